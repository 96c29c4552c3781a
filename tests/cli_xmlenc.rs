//! `--decrypt-key` on `decode`, `inspect` and `verify`: the decrypted
//! assertion is printed or validated, the key never appears in any output,
//! a wrong key is the generic error for `verify` and explained by `inspect`,
//! and the weak-algorithm opt-ins work.

mod bin;

use bin::run;
use std::process::Output;

const DIR: &str = "testdata/encrypted";
const KEY: &str = "testdata/encrypted/keys/sp-encryption.key.pem";
const OTHER: &str = "testdata/encrypted/keys/sp-other.key.pem";
const CERT: &str = "testdata/fixtures/rsa2048.cert.pem";
const NOW: &str = "2026-11-01T12:00:00Z";

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// No line of the private key's base64 body shows up in the output.
fn assert_no_key_material(out: &Output, key_path: &str) {
    let pem =
        std::fs::read_to_string(format!("{}/{key_path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let all = text(out);
    for line in pem.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!all.contains(line), "key material in the output");
    }
}

fn case(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// `verify --cert CERT --decrypt-key KEY --now NOW EXTRA… testdata/encrypted/NAME`.
fn verify_with(key: &str, extra: &[&str], name: &str) -> Output {
    let input = case(name);
    let base = ["verify", "--cert", CERT, "--decrypt-key", key, "--now", NOW];
    run(&[&base[..], extra, &[input.as_str()]].concat())
}

#[test]
fn decode_prints_the_decrypted_assertion() {
    let input = case("oaep11-sha256-aes128-gcm.xml");
    let out = run(&["decode", "--decrypt-key", KEY, &input]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(stdout.starts_with("<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\""));
    assert!(stdout.contains("alice.example@contoso.com</NameID>"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("xmlenc.decrypted"));
    assert_no_key_material(&out, KEY);
    let json = run(&["--format", "json", "decode", "--decrypt-key", KEY, &input]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["decrypted"][0]["element"], "EncryptedAssertion");
    assert_eq!(v["decrypted"][0]["content"], "aes128-gcm");
    assert!(
        v["decrypted"][0]["xml"]
            .as_str()
            .unwrap()
            .contains("alice.example")
    );
}

#[test]
fn decode_with_a_wrong_key_says_why_on_the_operators_terminal() {
    let out = run(&[
        "decode",
        "--decrypt-key",
        OTHER,
        &case("oaep-mgf1p-aes256-gcm.xml"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("xmlenc.decrypt_failed") && stderr.contains("wrong key"),
        "{stderr}"
    );
    assert_no_key_material(&out, OTHER);
}

#[test]
fn verify_validates_the_decrypted_assertion() {
    let out = verify_with(
        KEY,
        &["--audience", "urn:amazon:webservices"],
        "oaep-mgf1p-aes256-gcm.xml",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("alice.example@contoso.com"));
    assert!(stdout.contains("xmlenc.decrypted"));
    assert_no_key_material(&out, KEY);
}

#[test]
fn verify_without_a_key_or_with_a_wrong_one_is_refused() {
    let input = case("oaep-mgf1p-aes256-gcm.xml");
    let out = run(&["verify", "--cert", CERT, "--now", NOW, &input]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("xmlenc.no_key"), "{}", text(&out));
    let out = verify_with(OTHER, &[], "oaep-mgf1p-aes256-gcm.xml");
    assert_eq!(out.status.code(), Some(1));
    let all = text(&out);
    assert!(all.contains("xmlenc.decrypt_failed"), "{all}");
    // verify gives the generic error only; the reason is for `inspect`.
    assert!(!all.contains("unwrap"), "{all}");
    assert!(!all.contains("saml.assertion_count"), "{all}");
}

#[test]
fn verify_refuses_an_unsigned_encrypted_assertion() {
    let out = verify_with(KEY, &[], "unsigned-oaep-mgf1p-aes256-gcm.xml");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("signature.missing"), "{}", text(&out));
}

#[test]
fn cbc_needs_allow_cbc_and_is_then_warned_about() {
    let input = "oaep-mgf1p-aes128-cbc.xml";
    let out = verify_with(KEY, &[], input);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("xmlenc.algorithm_not_allowed"));
    let out = verify_with(KEY, &["--allow-cbc"], input);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("xmlenc.weak_algorithm"));
}

#[test]
fn rsa1_5_needs_allow_rsa1_5() {
    let input = "rsa1_5-aes256-gcm.xml";
    let out = verify_with(KEY, &[], input);
    assert_eq!(out.status.code(), Some(1));
    let out = verify_with(KEY, &["--allow-rsa1_5"], input);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("xmlenc.weak_algorithm"));
}

#[test]
fn inspect_shows_the_decrypted_assertion() {
    let out = run(&[
        "inspect",
        "--cert",
        CERT,
        "--decrypt-key",
        KEY,
        &case("response-signed-oaep-mgf1p-aes256-gcm.xml"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("alice.example@contoso.com"));
    assert!(stdout.contains("xmlenc.decrypted"));
}

#[test]
fn an_unreadable_key_file_is_a_usage_error_that_does_not_quote_it() {
    // A certificate is not a private key.
    let out = run(&[
        "verify",
        "--cert",
        CERT,
        "--decrypt-key",
        CERT,
        &case("oaep-mgf1p-aes256-gcm.xml"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let all = text(&out);
    assert!(all.contains("not a readable PEM private key"), "{all}");
    assert!(!all.contains("MII"), "{all}");
}

#[test]
fn decode_decrypts_an_encrypted_id_too() {
    // A signed Assertion whose NameID is an EncryptedID: the NameID is printed.
    let out = run(&[
        "decode",
        "--decrypt-key",
        KEY,
        &case("encrypted-id-signed-assertion.xml"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("<NameID xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"")
            && stdout.contains(">alice.example@contoso.com</NameID>"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("EncryptedID was decrypted"));
}

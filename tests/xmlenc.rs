//! Encrypted assertions: every allowed algorithm pair decrypts and validates
//! (values read from the decrypted, verified assertion); every failure after
//! the key transport is the one generic error; CBC and RSA-1_5 need their
//! opt-in; encryption is never taken as authentication; attacks.md E01-E04
//! are refused. Inputs: testdata/encrypted/ (made by its generate.py with
//! the xmlsec1 CLI; see its README).

mod support;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use saml_inspect::Code;
use saml_inspect::Severity;
use saml_inspect::inspect::{InspectOptions, inspect};
use saml_inspect::validate::{Expectations, Validator};
use saml_inspect::verify::{VerifyError, VerifyOptions, verify};
use saml_inspect::xmlenc::{self, DecryptError, DecryptPolicy, DecryptionKey, KeyError};
use support::{edit, read_path, trust};

const NAME_ID: &str = "alice.example@contoso.com";

fn input(name: &str) -> String {
    read_path(&format!("testdata/encrypted/{name}"))
}

fn key(name: &str) -> DecryptionKey {
    DecryptionKey::from_pem(input(&format!("keys/{name}")).as_bytes()).unwrap()
}

fn sp_key() -> DecryptionKey {
    key("sp-encryption.key.pem")
}

fn policy(allow_cbc: bool, allow_rsa1_5: bool) -> DecryptPolicy {
    DecryptPolicy {
        allow_cbc,
        allow_rsa1_5,
        ..Default::default()
    }
}

fn options(key: DecryptionKey, decrypt_policy: DecryptPolicy) -> VerifyOptions {
    VerifyOptions {
        trust: trust("rsa2048"),
        decryption_key: Some(key),
        decrypt_policy,
        ..Default::default()
    }
}

fn now() -> DateTime<Utc> {
    "2026-11-01T12:00:00Z".parse().unwrap()
}

fn validator(decrypt_policy: DecryptPolicy) -> Validator {
    Validator::new(
        trust("rsa2048"),
        Expectations {
            audiences: vec!["urn:amazon:webservices".into()],
            recipients: vec!["https://signin.aws.amazon.com/saml".into()],
            issuer: Some("https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/".into()),
            ..Default::default()
        },
    )
    .with_decryption(sp_key(), decrypt_policy)
}

fn failure(text: &str, options: &VerifyOptions) -> VerifyError {
    match verify(text.as_bytes(), options) {
        Ok(v) => panic!("verified, expected a failure: {:?}", v.summary().name_id),
        Err(e) => e,
    }
}

const GCM_PAIRS: [&str; 6] = [
    "oaep-mgf1p-aes128-gcm.xml",
    "oaep-mgf1p-aes192-gcm.xml",
    "oaep-mgf1p-aes256-gcm.xml",
    "oaep11-sha256-aes128-gcm.xml",
    "oaep11-sha256-aes192-gcm.xml",
    "oaep11-sha256-aes256-gcm.xml",
];

#[test]
fn every_allowed_pair_round_trips_through_the_validator() {
    let v = validator(DecryptPolicy::default());
    for name in GCM_PAIRS {
        let validated = v
            .validate(input(name).as_bytes(), now())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let a = &validated.assertion;
        assert_eq!(a.summary().name_id.as_deref(), Some(NAME_ID), "{name}");
        assert_eq!(a.summary().audiences, ["urn:amazon:webservices"], "{name}");
        assert!(a.assertion_signed && !a.response_signed, "{name}");
        assert!(
            validated
                .findings
                .iter()
                .any(|f| f.code == Code::XmlencDecrypted && f.message.contains("gcm")),
            "{name}: {:?}",
            validated.findings
        );
        assert!(
            !validated
                .findings
                .iter()
                .any(|f| f.code == Code::XmlencWeakAlgorithm),
            "{name}"
        );
    }
}

#[test]
fn the_algorithms_named_are_the_ones_used() {
    let text = input("oaep11-sha256-aes192-gcm.xml");
    let doc = saml_inspect::xml::parse(&text, &Default::default()).unwrap();
    let wrapper = doc
        .root_element()
        .children()
        .find(|n| xmlenc::is_encrypted_element(*n))
        .unwrap();
    let d = xmlenc::decrypt(wrapper, &sp_key(), &DecryptPolicy::default()).unwrap();
    assert_eq!(d.content, xmlenc::ContentAlgorithm::AesGcm(24));
    assert_eq!(d.key_transport.name(), "rsa-oaep(sha256, mgf1-sha256)");
    assert!(d.plaintext.starts_with("<Assertion "));
    assert!(d.plaintext.contains(NAME_ID));
}

#[test]
fn same_document_key_references_are_followed() {
    for name in [
        "retrieval-method-oaep-mgf1p-aes256-gcm.xml",
        "carried-key-name-oaep-mgf1p-aes256-gcm.xml",
    ] {
        let v = verify(
            input(name).as_bytes(),
            &options(sp_key(), DecryptPolicy::default()),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v.summary().name_id.as_deref(), Some(NAME_ID), "{name}");
    }
}

#[test]
fn a_response_signature_over_the_encrypted_assertion_covers_it() {
    let validated = validator(DecryptPolicy::default())
        .validate(
            input("response-signed-oaep-mgf1p-aes256-gcm.xml").as_bytes(),
            now(),
        )
        .unwrap();
    let a = &validated.assertion;
    assert!(a.response_signed && !a.assertion_signed);
    assert_eq!(a.summary().name_id.as_deref(), Some(NAME_ID));
    assert_eq!(
        a.response.as_ref().and_then(|r| r.destination.as_deref()),
        Some("https://signin.aws.amazon.com/saml")
    );
    // The Response signature covers the ciphertext: changing it breaks the signature
    // before any decryption.
    let text = input("response-signed-oaep-mgf1p-aes256-gcm.xml");
    let tampered = edit(
        &text,
        "http://www.w3.org/2009/xmlenc11#aes256-gcm",
        "http://www.w3.org/2009/xmlenc11#aes128-gcm",
    );
    let e = failure(&tampered, &options(sp_key(), DecryptPolicy::default()));
    assert_eq!(e.code(), Code::SignatureDigestMismatch);
}

#[test]
fn an_encrypted_but_unsigned_assertion_is_refused() {
    let e = failure(
        &input("unsigned-oaep-mgf1p-aes256-gcm.xml"),
        &options(sp_key(), DecryptPolicy::default()),
    );
    assert_eq!(e.code(), Code::SignatureMissing);
    assert!(
        e.to_string().contains("encryption is not authentication"),
        "{e}"
    );
}

#[test]
fn without_a_key_the_encrypted_assertion_is_refused_with_no_key() {
    let options = VerifyOptions {
        trust: trust("rsa2048"),
        ..Default::default()
    };
    let e = failure(&input("oaep-mgf1p-aes256-gcm.xml"), &options);
    assert_eq!(e.code(), Code::XmlencNoKey);
}

/// Re-encodes the `which`-th CipherValue (0: the EncryptedKey's, 1: the
/// content's) after flipping one bit at `index` (negative: from the end).
fn flip(text: &str, which: usize, index: isize) -> String {
    let mut from = 0;
    let mut start = 0;
    for _ in 0..=which {
        start =
            from + text[from..].find("<xenc:CipherValue>").unwrap() + "<xenc:CipherValue>".len();
        from = start;
    }
    let end = start + text[start..].find("</xenc:CipherValue>").unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let compact: String = text[start..end].split_whitespace().collect();
    let mut bytes = b64.decode(compact).unwrap();
    let i = if index < 0 {
        bytes.len() - index.unsigned_abs()
    } else {
        index as usize
    };
    bytes[i] ^= 0x01;
    format!("{}{}{}", &text[..start], b64.encode(bytes), &text[end..])
}

#[test]
fn every_decryption_failure_is_the_same_generic_error() {
    let gcm = input("oaep-mgf1p-aes256-gcm.xml");
    let cbc = input("oaep-mgf1p-aes128-cbc.xml");
    let good = options(sp_key(), policy(true, false));
    let cases: Vec<(&str, String, VerifyOptions)> = vec![
        (
            "wrong key",
            gcm.clone(),
            options(key("sp-other.key.pem"), policy(true, false)),
        ),
        ("tampered EncryptedKey", flip(&gcm, 0, 10), good.clone()),
        ("tampered ciphertext", flip(&gcm, 1, 40), good.clone()),
        ("tampered IV", flip(&gcm, 1, 0), good.clone()),
        ("tampered GCM tag", flip(&gcm, 1, -1), good.clone()),
        ("CBC last block", flip(&cbc, 1, -17), good.clone()),
        ("CBC padding byte", flip(&cbc, 1, -1), good.clone()),
        ("CBC IV", flip(&cbc, 1, 3), good.clone()),
        (
            "CBC wrong key",
            cbc.clone(),
            options(key("sp-other.key.pem"), policy(true, false)),
        ),
    ];
    let mut messages = Vec::new();
    for (what, text, options) in &cases {
        let e = failure(text, options);
        assert_eq!(e.code(), Code::XmlencDecryptFailed, "{what}: {e}");
        let VerifyError::Decrypt(DecryptError::Failed(f)) = &e else {
            panic!("{what}: {e:?}")
        };
        assert!(!f.operator_detail().is_empty(), "{what}");
        messages.push(e.to_finding().message);
    }
    messages.dedup();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    // The operator detail says which step failed.
    let wrong = failure(&gcm, &cases[0].2);
    let VerifyError::Decrypt(d) = wrong else {
        panic!()
    };
    assert!(
        d.to_operator_finding().message.contains("unwrap failed"),
        "{}",
        d.to_operator_finding().message
    );
}

#[test]
fn cbc_and_rsa1_5_are_refused_by_default_and_warned_about_with_the_opt_in() {
    for (name, allow_cbc, allow_rsa1_5) in [
        ("oaep-mgf1p-aes128-cbc.xml", true, false),
        ("oaep-mgf1p-aes256-cbc.xml", true, false),
        ("rsa1_5-aes256-gcm.xml", false, true),
    ] {
        let e = failure(&input(name), &options(sp_key(), DecryptPolicy::default()));
        assert_eq!(e.code(), Code::XmlencAlgorithmNotAllowed, "{name}: {e}");
        let validated = validator(policy(allow_cbc, allow_rsa1_5))
            .validate(input(name).as_bytes(), now())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            validated.assertion.summary().name_id.as_deref(),
            Some(NAME_ID)
        );
        let weak: Vec<_> = validated
            .findings
            .iter()
            .filter(|f| f.code == Code::XmlencWeakAlgorithm)
            .collect();
        assert_eq!(weak.len(), 1, "{name}: {:?}", validated.findings);
        assert_eq!(weak[0].severity, Severity::Warning);
    }
}

#[test]
fn rsa1_5_with_a_wrong_key_is_the_generic_error_too() {
    let e = failure(
        &input("rsa1_5-aes256-gcm.xml"),
        &options(key("sp-other.key.pem"), policy(false, true)),
    );
    assert_eq!(e.code(), Code::XmlencDecryptFailed);
}

fn attack(name: &str) -> String {
    input(&format!("attacks/{name}"))
}

#[test]
fn e01_cbc_oracle_variants_are_refused_by_policy_and_generic_with_the_opt_in() {
    for name in [
        "E01-cbc-last-block-flipped.xml",
        "E01-cbc-padding-byte-flipped.xml",
        "E01-cbc-iv-flipped.xml",
    ] {
        let e = failure(&attack(name), &options(sp_key(), DecryptPolicy::default()));
        assert_eq!(e.code(), Code::XmlencAlgorithmNotAllowed, "{name}");
        let e = failure(&attack(name), &options(sp_key(), policy(true, false)));
        assert_eq!(e.code(), Code::XmlencDecryptFailed, "{name}: {e}");
    }
}

#[test]
fn e02_relabelled_algorithms_are_refused_before_the_private_key_is_used() {
    for name in [
        "E02-gcm-relabelled-cbc-rsa1_5.xml",
        "E02-gcm-relabelled-cbc.xml",
    ] {
        // The wrong key would fail the unwrap: the policy error shows the
        // private key was never used.
        let e = failure(
            &attack(name),
            &options(key("sp-other.key.pem"), DecryptPolicy::default()),
        );
        assert_eq!(e.code(), Code::XmlencAlgorithmNotAllowed, "{name}: {e}");
    }
}

#[test]
fn e03_encryption_is_not_authentication() {
    let o = options(sp_key(), DecryptPolicy::default());
    let cases = [
        ("E03-unsigned-evil-assertion.xml", Code::SignatureMissing),
        (
            "E03-added-beside-signed-assertion.xml",
            Code::SamlAssertionCount,
        ),
        (
            "E03-attacker-signed-assertion.xml",
            Code::SignatureUntrustedKey,
        ),
    ];
    for (name, code) in cases {
        let e = failure(&attack(name), &o);
        assert_eq!(e.code(), code, "{name}: {e}");
    }
}

#[test]
fn e04_indirections_are_refused_with_bounded_work() {
    let o = options(sp_key(), DecryptPolicy::default());
    let cases = [
        ("E04-cipher-reference.xml", Code::XmlencStructure),
        ("E04-retrieval-external-uri.xml", Code::XmlencKeyReference),
        ("E04-retrieval-self-loop.xml", Code::XmlencKeyReference),
        ("E04-retrieval-xslt.xml", Code::XmlencKeyReference),
        ("E04-thousand-encrypted-keys.xml", Code::XmlencKeyReference),
        ("E04-chained-encrypted-key.xml", Code::XmlencKeyReference),
    ];
    for (name, code) in cases {
        let started = std::time::Instant::now();
        let e = failure(&attack(name), &o);
        assert_eq!(e.code(), code, "{name}: {e}");
        assert!(started.elapsed().as_secs() < 1, "{name}");
    }
}

#[test]
fn three_des_and_unknown_algorithms_are_refused() {
    let gcm = input("oaep-mgf1p-aes256-gcm.xml");
    for (from, to) in [
        (
            "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            "http://www.w3.org/2001/04/xmlenc#tripledes-cbc",
        ),
        (
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
            "http://www.w3.org/2001/04/xmlenc#kw-aes256",
        ),
        (
            "http://www.w3.org/2009/xmlenc11#aes256-gcm",
            "urn:example:none",
        ),
    ] {
        let e = failure(
            &edit(&gcm, from, to),
            &options(sp_key(), DecryptPolicy::default()),
        );
        assert_eq!(e.code(), Code::XmlencAlgorithmNotAllowed, "{to}: {e}");
    }
}

#[test]
fn decryption_keys_load_from_pkcs8_and_traditional_pem_and_never_show() {
    let pkcs8 = sp_key();
    let traditional = key("sp-encryption.rsa.pem");
    assert_eq!(pkcs8.bits(), 2048);
    assert_eq!(traditional.bits(), 2048);
    let debug = format!("{pkcs8:?}");
    assert_eq!(debug, "DecryptionKey { rsa_bits: 2048 }");
    let v = verify(
        input("oaep-mgf1p-aes128-gcm.xml").as_bytes(),
        &options(traditional, DecryptPolicy::default()),
    )
    .unwrap();
    assert_eq!(v.summary().name_id.as_deref(), Some(NAME_ID));
    assert_eq!(
        DecryptionKey::from_pem(input("keys/sp-encryption.cert.pem").as_bytes()).unwrap_err(),
        KeyError::Unreadable
    );
    let ec = read_path("testdata/fixtures/ecp256.key.pem");
    assert_eq!(
        DecryptionKey::from_pem(ec.as_bytes()).unwrap_err(),
        KeyError::NotRsa
    );
}

#[test]
fn inspect_reports_the_decrypted_assertion_and_the_operator_detail() {
    let options = InspectOptions {
        trust: trust("rsa2048"),
        decryption_key: Some(sp_key()),
        ..Default::default()
    };
    let i = inspect(input("oaep-mgf1p-aes256-gcm.xml").as_bytes(), &options).unwrap();
    assert!(!i.has_errors(), "{:?}", i.findings);
    let carried = i
        .findings
        .iter()
        .find(|f| f.code == Code::SamlEncryptedAssertion)
        .expect("the EncryptedAssertion is reported");
    assert_eq!(carried.severity, Severity::Info);
    assert!(i.findings.iter().any(|f| f.code == Code::XmlencDecrypted));
    assert!(
        i.findings.iter().any(|f| f.code == Code::SignatureVerified),
        "{:?}",
        i.findings
    );
    assert_eq!(
        i.assertion_summary()
            .and_then(|s| s.name_id.clone())
            .as_deref(),
        Some(NAME_ID)
    );
    let wrong = InspectOptions {
        decryption_key: Some(key("sp-other.key.pem")),
        ..options
    };
    let i = inspect(input("oaep-mgf1p-aes256-gcm.xml").as_bytes(), &wrong).unwrap();
    let f = i
        .findings
        .iter()
        .find(|f| f.code == Code::XmlencDecryptFailed)
        .unwrap();
    assert!(f.message.contains("wrong key"), "{}", f.message);
}

#[test]
fn the_plaintext_is_parsed_with_the_same_limits() {
    // The outer document has few nodes (the ciphertext is one text node);
    // the Assertion inside has many. A node limit just above the outer
    // document's count refuses the plaintext only.
    let text = input("oaep-mgf1p-aes256-gcm.xml");
    let outer_nodes = saml_inspect::xml::parse(&text, &Default::default())
        .unwrap()
        .tree()
        .descendants()
        .count();
    let mut o = options(sp_key(), DecryptPolicy::default());
    o.xml.max_nodes = u32::try_from(outer_nodes + 5).unwrap();
    let e = failure(&text, &o);
    // Refused as the generic decryption failure (with CBC, a parser error
    // would be an oracle), and the operator detail names the limit.
    assert_eq!(e.code(), Code::XmlencDecryptFailed, "{e}");
    let VerifyError::Decrypt(d) = e else { panic!() };
    assert!(
        d.to_operator_finding().message.contains("does not parse"),
        "{}",
        d.to_operator_finding().message
    );
}

/// An EncryptedID and an EncryptedAttribute inside a signed Assertion are
/// decrypted into the verified model (the signature covered their
/// ciphertext); without a key the assertion still verifies, the value is
/// absent and a warning says why; with a wrong key verification fails with
/// the generic error.
#[test]
fn encrypted_id_and_attribute_inside_a_signed_assertion_are_read() {
    const SESSION_NAME: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    let session_name = |a: &saml_inspect::saml::Assertion| {
        a.attribute_values(SESSION_NAME)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let id = input("encrypted-id-signed-assertion.xml");
    let attribute = input("encrypted-attribute-signed-assertion.xml");

    let v = validator(DecryptPolicy::default());
    let validated = v.validate(id.as_bytes(), now()).unwrap();
    let a = &validated.assertion;
    assert_eq!(a.summary().name_id.as_deref(), Some(NAME_ID));
    assert!(a.assertion.subject.as_ref().unwrap().encrypted_id);
    assert!(
        validated
            .findings
            .iter()
            .any(|f| f.code == Code::XmlencDecrypted && f.message.contains("EncryptedID"))
    );
    let validated = v.validate(attribute.as_bytes(), now()).unwrap();
    assert_eq!(session_name(&validated.assertion.assertion), [NAME_ID]);
    assert_eq!(validated.assertion.assertion.encrypted_attributes, 1);

    let no_key = VerifyOptions {
        trust: trust("rsa2048"),
        ..Default::default()
    };
    let v = verify(id.as_bytes(), &no_key).unwrap();
    assert_eq!(v.summary().name_id, None);
    assert!(
        v.decryption
            .iter()
            .any(|f| f.code == Code::XmlencNoKey && f.severity == Severity::Warning)
    );
    let v = verify(attribute.as_bytes(), &no_key).unwrap();
    assert!(session_name(&v.assertion).is_empty());

    let wrong = options(key("sp-other.key.pem"), DecryptPolicy::default());
    for text in [&id, &attribute] {
        assert_eq!(failure(text, &wrong).code(), Code::XmlencDecryptFailed);
    }

    // inspect reads them too, for explaining, and says why when it cannot.
    let inspected = inspect(
        attribute.as_bytes(),
        &InspectOptions {
            decryption_key: Some(sp_key()),
            ..Default::default()
        },
    )
    .unwrap();
    let aws = inspected.aws.expect("an assertion for AWS");
    assert_eq!(aws.session_name.as_deref(), Some(NAME_ID));
}

//! `inspect`, `verify` and `c14n` from the command line, on the shipped
//! fixtures and on hostile inputs.

mod bin;

use std::process::Output;
use std::time::{Duration, Instant};

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    bin::run_stdin(args, stdin.unwrap_or_default())
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

const ROLE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
/// An instant inside every fixture's validity window.
const NOW: &str = "2026-11-01T12:00:00Z";
const FIXTURE_ISSUER: &str = "https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/";
const AWS_ACS: &str = "https://signin.aws.amazon.com/saml";

#[test]
fn inspect_json_shows_what_an_administrator_looks_for() {
    let out = run(
        &[
            "inspect",
            "--format",
            "json",
            "testdata/fixtures/assertion-rsa2048.b64",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let j = json(&out);
    assert_eq!(j["binding"], "http-post");
    let a = &j["assertion"];
    assert_eq!(
        a["issuer"],
        "https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/"
    );
    assert_eq!(a["name_id"], "alice.example@contoso.com");
    assert_eq!(
        a["name_id_format"],
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    );
    assert_eq!(a["audiences"][0], "urn:amazon:webservices");
    assert_eq!(a["recipients"][0], "https://signin.aws.amazon.com/saml");
    assert_eq!(a["not_before"], "2026-11-01T11:55:00.123Z");
    assert_eq!(a["not_on_or_after"], "2026-11-01T13:00:00.123Z");
    assert_eq!(
        a["attributes"][ROLE][0],
        "arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/amazon-connect-federation-role"
    );
    assert_eq!(
        a["attributes"]["https://aws.amazon.com/SAML/Attributes/RoleSessionName"][0],
        "alice.example@contoso.com"
    );
    assert_eq!(
        a["attributes"]["https://aws.amazon.com/SAML/Attributes/SessionDuration"][0],
        "3600"
    );
    assert_eq!(j["aws"]["roles"][0]["order"], "provider-first");
    assert_eq!(j["aws"]["session_duration"], 3600);
    // Without trust, the signature is reported, not trusted.
    let codes: Vec<&str> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"signature.no_trust_configured"),
        "{codes:?}"
    );
}

#[test]
fn inspect_with_a_certificate_names_the_key() {
    let out = run(
        &[
            "inspect",
            "testdata/fixtures/both-rsa3072.xml",
            "--cert",
            "testdata/fixtures/rsa3072.cert.pem",
        ],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.starts_with("OK  SAML Response"), "{text}");
    assert_eq!(text.matches("signature.verified").count(), 2, "{text}");
    assert!(
        text.contains("Microsoft Azure Federated SSO Certificate"),
        "{text}"
    );
}

#[test]
fn inspect_reports_a_response_in_no_namespace() {
    let out = run(
        &[
            "inspect",
            "testdata/real-world/saml2aws-pingfed-response-whitespace.xml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("saml.not_saml") && text.contains("no namespace"),
        "{text}"
    );
}

#[test]
fn hostile_inputs_end_quickly_with_a_named_problem() {
    use base64::Engine as _;
    let b64 = std::fs::read_to_string(format!(
        "{}/testdata/fixtures/assertion-rsa2048.b64",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let read =
        |p: &str| std::fs::read(format!("{}/testdata/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        ("doctype", read("hostile/dtd.xml"), 1, "xml.dtd_forbidden"),
        (
            "billion laughs",
            read("hostile/xmlbomb.xml"),
            1,
            "xml.dtd_forbidden",
        ),
        (
            "external entity",
            read("hostile/external_file.xml"),
            1,
            "xml.dtd_forbidden",
        ),
        (
            "billion laughs as base64",
            base64::engine::general_purpose::STANDARD
                .encode(read("hostile/xmlbomb.xml"))
                .into_bytes(),
            1,
            "xml.dtd_forbidden",
        ),
        (
            "unbound prefix",
            read("real-world/saml2aws-adfs-response-invalid-date.xml"),
            1,
            "xml.malformed",
        ),
        (
            "deep nesting",
            ("<a>".repeat(10_000) + &"</a>".repeat(10_000)).into_bytes(),
            1,
            "xml.limit_exceeded",
        ),
        (
            "20 MB",
            format!("<a>{}</a>", "x".repeat(20 << 20)).into_bytes(),
            2,
            "decode.limit_exceeded",
        ),
        (
            "truncated base64",
            b64.as_bytes()[..b64.len() - 5].to_vec(),
            2,
            "decode.base64_invalid",
        ),
        (
            "url-safe base64",
            b64.replace('+', "-").replace('/', "_").into_bytes(),
            2,
            "decode.base64_url_safe",
        ),
        (
            "plain text",
            b"SAML is broken, please help".to_vec(),
            2,
            "decode.base64_invalid",
        ),
    ];
    for (name, input, exit, code) in cases {
        for format in ["text", "json"] {
            let start = Instant::now();
            let out = run(&["inspect", "--format", format, "-"], Some(&input));
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "{name}: {:?}",
                start.elapsed()
            );
            assert_eq!(out.status.code(), Some(exit), "{name} ({format})");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(all.contains(code), "{name} ({format}): {all}");
            assert!(!all.contains("panicked"), "{name}");
        }
    }
}

#[test]
fn verify_all_fixtures_with_their_certificate_and_refuse_others() {
    for kind in ["assertion", "response", "both", "large-assertion"] {
        for key in ["rsa2048", "rsa3072", "ecp256"] {
            let file = format!("testdata/fixtures/{kind}-{key}.b64");
            let good = format!("testdata/fixtures/{key}.cert.pem");
            let out = run(
                &[
                    "verify", "--format", "json", &file, "--cert", &good, "--now", NOW,
                ],
                None,
            );
            assert_eq!(
                out.status.code(),
                Some(0),
                "{file}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
            let j = json(&out);
            assert_eq!(j["valid"], true);
            assert_eq!(
                j["assertion"]["verified_by"]["subject"],
                "CN=Microsoft Azure Federated SSO Certificate"
            );
            assert_eq!(
                j["response_signed"],
                kind == "response" || kind == "both",
                "{file}"
            );
            let wrong = if key == "rsa2048" {
                "rsa3072"
            } else {
                "rsa2048"
            };
            let out = run(
                &[
                    "verify",
                    "--now",
                    NOW,
                    "--format",
                    "json",
                    &file,
                    "--cert",
                    &format!("testdata/fixtures/{wrong}.cert.pem"),
                ],
                None,
            );
            assert_eq!(out.status.code(), Some(1), "{file} with {wrong}");
            assert_eq!(json(&out)["valid"], false);
        }
    }
}

#[test]
fn verify_refuses_tampering_and_missing_trust() {
    let cases = [
        (
            "tampered-content-assertion-rsa2048.xml",
            "rsa2048",
            "signature.digest_mismatch",
        ),
        (
            "tampered-sigvalue-assertion-rsa2048.xml",
            "rsa2048",
            "signature.invalid",
        ),
        (
            "tampered-content-both-rsa2048.xml",
            "rsa2048",
            "signature.digest_mismatch",
        ),
        (
            "tampered-content-assertion-ecp256.xml",
            "ecp256",
            "signature.digest_mismatch",
        ),
    ];
    for (file, key, code) in cases {
        let out = run(
            &[
                "verify",
                "--now",
                NOW,
                "--format",
                "json",
                &format!("testdata/fixtures/{file}"),
                "--cert",
                &format!("testdata/fixtures/{key}.cert.pem"),
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(1), "{file}");
        assert_eq!(json(&out)["findings"][0]["code"], code, "{file}");
    }
    let out = run(
        &[
            "verify",
            "--now",
            NOW,
            "testdata/fixtures/assertion-rsa2048.xml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("signature.no_trust_configured"));
}

#[test]
fn c14n_reproduces_the_signed_digest() {
    let xml = std::fs::read_to_string(format!(
        "{}/testdata/fixtures/assertion-rsa2048.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let digest = xml
        .split("<DigestValue>")
        .nth(1)
        .unwrap()
        .split("</DigestValue>")
        .next()
        .unwrap();
    let id = xml
        .split("<Assertion")
        .nth(1)
        .unwrap()
        .split("ID=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let out = run(
        &[
            "c14n",
            "--format",
            "json",
            "--exclusive",
            "--id",
            id,
            "--enveloped",
            "testdata/fixtures/assertion-rsa2048.b64",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["sha256"], digest);
    // Without the enveloped-signature transform the digest differs.
    let out = run(
        &[
            "c14n",
            "--format",
            "json",
            "--exclusive",
            "--id",
            id,
            "testdata/fixtures/assertion-rsa2048.xml",
        ],
        None,
    );
    assert_ne!(json(&out)["sha256"], digest);
    // Text output is the canonical bytes themselves.
    let out = run(
        &[
            "c14n",
            "--exclusive",
            "--id",
            id,
            "--enveloped",
            "testdata/fixtures/assertion-rsa2048.xml",
        ],
        None,
    );
    assert!(
        out.stdout
            .starts_with(b"<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"")
    );
    // Usage errors exit 2.
    assert_eq!(
        run(
            &[
                "c14n",
                "--prefixes",
                "xs",
                "testdata/fixtures/assertion-rsa2048.xml"
            ],
            None
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        run(
            &[
                "c14n",
                "--id",
                "nope",
                "testdata/fixtures/assertion-rsa2048.xml"
            ],
            None
        )
        .status
        .code(),
        Some(1)
    );
}

#[test]
fn c14n_of_a_w3c_example_is_byte_exact() {
    // W3C C14N 1.0 example 3.2 (whitespace in document content), whole document.
    let dir = format!(
        "{}/testdata/c14n/c14n10-w3c-spec-examples",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = run(&["c14n", &format!("{dir}/32_input.xml")], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        std::fs::read(format!("{dir}/32_c14n.xml")).unwrap()
    );
    // Example 3.1 has a DOCTYPE: refused, with the reason.
    let out = run(&["c14n", &format!("{dir}/31_input.xml")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("xml.dtd_forbidden"));
}

#[test]
fn verify_trusts_the_signing_certificates_of_idp_metadata() {
    let verify = |file: &str, metadata: &str| {
        run(
            &[
                "verify",
                "--now",
                NOW,
                // The fixtures' issuer is not these documents' entityID.
                "--issuer",
                FIXTURE_ISSUER,
                &format!("testdata/fixtures/{file}"),
                "--idp-metadata",
                &format!("testdata/metadata/{metadata}"),
            ],
            None,
        )
        .status
        .code()
    };
    // Identity Center application metadata carrying the rsa2048 certificate.
    assert_eq!(
        verify("assertion-rsa2048.b64", "idc-app-idp-metadata.xml"),
        Some(0)
    );
    assert_eq!(
        verify("assertion-rsa3072.b64", "idc-app-idp-metadata.xml"),
        Some(1)
    );
    // During a rollover both published certificates are trusted.
    assert_eq!(
        verify("assertion-rsa2048.b64", "entra-app-rollover-signed.xml"),
        Some(0)
    );
    assert_eq!(
        verify("both-rsa3072.b64", "entra-app-rollover-signed.xml"),
        Some(0)
    );
    // The stale copy (rsa3072 only) no longer trusts the rsa2048 signer.
    assert_eq!(
        verify(
            "assertion-rsa2048.b64",
            "idc-app-idp-metadata-stale-iam-copy.xml"
        ),
        Some(1)
    );
    // SP metadata has no IdP signing key: a usage error, not a pass.
    assert_eq!(
        verify("assertion-rsa2048.b64", "aws-signin-sp-metadata.xml"),
        Some(2)
    );
}

/// `verify` for AWS: the fixture, the AWS audience and ACS, the Entra issuer.
fn verify_aws(file: &str, extra: &[&str]) -> Output {
    verify_as(file, "urn:amazon:webservices", FIXTURE_ISSUER, extra)
}

fn verify_as(file: &str, audience: &str, issuer: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "verify",
        "--format",
        "json",
        file,
        "--cert",
        "testdata/fixtures/rsa2048.cert.pem",
        "--audience",
        audience,
        "--recipient",
        AWS_ACS,
        "--issuer",
        issuer,
    ];
    args.extend_from_slice(extra);
    run(&args, None)
}

#[test]
fn verify_validates_time_audience_recipient_and_issuer() {
    let file = "testdata/fixtures/assertion-rsa2048.b64";
    let out = verify_aws(file, &["--now", NOW]);
    assert_eq!(out.status.code(), Some(0));
    let j = json(&out);
    assert_eq!(j["valid"], true);
    assert_eq!(j["assertion"]["issuer"], FIXTURE_ISSUER);
    assert_eq!(j["assertion"]["name_id"], "alice.example@contoso.com");
    assert_eq!(j["assertion"]["audiences"][0], "urn:amazon:webservices");
    assert_eq!(
        j["assertion"]["not_on_or_after"],
        "2026-11-01T13:00:00.123Z"
    );
    assert_eq!(
        j["assertion"]["attributes"]["https://aws.amazon.com/SAML/Attributes/SessionDuration"][0],
        "3600"
    );
    assert!(
        j["assertion"]["verified_by"]["sha256_thumbprint"]
            .as_str()
            .unwrap()
            .starts_with("04:42:5C")
    );
    // Each wrong expectation fails with its own code, first in the list.
    let entra_audience = "https://signin.aws.amazon.com/saml#1";
    let cases: [(&str, &str, &[&str], &str); 6] = [
        (
            "urn:amazon:webservices",
            FIXTURE_ISSUER,
            &["--now", "2026-11-01T11:40:00Z"],
            "saml.not_yet_valid",
        ),
        (
            "urn:amazon:webservices",
            FIXTURE_ISSUER,
            &["--now", "2026-11-01T14:00:00Z"],
            "saml.expired",
        ),
        (
            entra_audience,
            FIXTURE_ISSUER,
            &["--now", NOW],
            "saml.audience_mismatch",
        ),
        (
            "urn:amazon:webservices",
            "https://sts.windows.net/other/",
            &["--now", NOW],
            "saml.issuer_mismatch",
        ),
        (
            "urn:amazon:webservices",
            FIXTURE_ISSUER,
            &["--now", NOW, "--require-signed", "both"],
            "signature.missing",
        ),
        (
            "urn:amazon:webservices",
            FIXTURE_ISSUER,
            &[
                "--now",
                "2026-11-01T12:04:00Z",
                "--max-age",
                "60",
                "--skew",
                "0",
            ],
            "saml.timestamp_invalid",
        ),
    ];
    for (audience, issuer, extra, code) in cases {
        let out = verify_as(file, audience, issuer, extra);
        assert_eq!(out.status.code(), Some(1), "{extra:?}");
        let j = json(&out);
        assert_eq!(j["valid"], false);
        assert_eq!(j["findings"][0]["code"], code, "{extra:?}: {j}");
    }
    // Another ACS: the Destination of the Response is the first to disagree.
    let out = run(
        &[
            "verify",
            "--format",
            "json",
            file,
            "--cert",
            "testdata/fixtures/rsa2048.cert.pem",
            "--now",
            NOW,
            "--recipient",
            "https://eu-west-1.signin.aws.amazon.com/saml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let j = json(&out);
    assert_eq!(j["findings"][0]["code"], "saml.destination_mismatch");
    let codes: Vec<&str> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"saml.recipient_mismatch"), "{codes:?}");
}

#[test]
fn verify_without_expectations_says_what_it_skipped() {
    let out = run(
        &[
            "verify",
            "testdata/fixtures/both-rsa2048.xml",
            "--cert",
            "testdata/fixtures/rsa2048.cert.pem",
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("OK  validation"), "{text}");
    assert!(text.contains("the audience was not checked"), "{text}");
    assert!(text.contains("no expected recipient was given"), "{text}");
    assert!(
        text.contains("validated at   2026-11-01T12:00:00Z"),
        "{text}"
    );
    // Without --now the current time is used: the fixtures have long expired.
    let out = run(
        &[
            "verify",
            "testdata/fixtures/both-rsa2048.xml",
            "--cert",
            "testdata/fixtures/rsa2048.cert.pem",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    // A malformed --now is a usage error.
    let out = run(
        &[
            "verify",
            "testdata/fixtures/both-rsa2048.xml",
            "--cert",
            "testdata/fixtures/rsa2048.cert.pem",
            "--now",
            "noon",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn verify_expects_the_metadata_entity_as_issuer_by_default() {
    let out = run(
        &[
            "verify",
            "--format",
            "json",
            "--now",
            NOW,
            "testdata/fixtures/assertion-rsa2048.b64",
            "--idp-metadata",
            "testdata/metadata/idc-app-idp-metadata.xml",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let j = json(&out);
    assert_eq!(j["findings"][0]["code"], "saml.issuer_mismatch");
    assert_eq!(
        j["findings"][0]["expected"],
        "https://portal.sso.eu-central-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMzX2lucy0wMTIzNDU2Nzg5YWJjZGVm"
    );
}

#[test]
fn inspect_with_expectations_reports_every_protocol_failure() {
    let out = run(
        &[
            "inspect",
            "--format",
            "json",
            "testdata/fixtures/assertion-rsa2048.xml",
            "--now",
            "2026-11-01T14:00:00Z",
            "--audience",
            "https://other.example/sp",
            "--recipient",
            AWS_ACS,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let j = json(&out);
    let codes: Vec<&str> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"saml.expired"), "{codes:?}");
    assert!(codes.contains(&"saml.audience_mismatch"), "{codes:?}");
    assert!(!codes.contains(&"saml.recipient_mismatch"), "{codes:?}");
    // Without those flags inspect judges no time or audience.
    let out = run(
        &["inspect", "testdata/fixtures/assertion-rsa2048.xml"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
}

//! Certificate facts and findings, checked against what the openssl CLI prints.

use chrono::{DateTime, Utc};
use saml_inspect::Code;
use saml_inspect::cert::{CertPolicy, CertificateInfo, KeyInfo, check, parse_certificates};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn codes(findings: &[saml_inspect::Finding]) -> Vec<Code> {
    findings.iter().map(|f| f.code).collect()
}

/// `openssl x509 -noout -fingerprint -sha1 / -sha256 / -serial` on the fixtures.
const FIXTURES: &[(&str, &str, &str, &str)] = &[
    (
        "fixtures/rsa2048.cert.pem",
        "1C:12:9F:FE:95:53:63:B9:2A:39:32:07:B9:76:EC:60:08:69:9F:F6",
        "04:42:5C:4A:79:87:DA:0D:6B:95:77:E8:30:CA:4F:69:BA:5B:DA:A1:ED:45:F2:3B:0A:88:7C:82:15:46:0D:D0",
        "3B6D1F0E9C2A4E57B1F5A2C3D4E51001",
    ),
    (
        "fixtures/rsa3072.cert.pem",
        "B4:CC:47:85:61:3A:E6:1B:D4:39:91:52:FF:1B:04:3D:10:80:19:B5",
        "58:45:89:87:08:D5:07:D9:0E:BF:FF:EA:97:F1:5B:50:E7:DB:DA:0D:E1:37:8B:C7:C3:16:AE:A7:65:96:D7:3A",
        "",
    ),
    (
        "fixtures/ecp256.cert.pem",
        "E3:2F:EB:01:FA:F2:17:98:2E:D7:FD:32:BE:D6:98:D3:54:B8:D2:82",
        "D1:F6:BB:4C:6F:6E:E1:73:BC:44:3C:03:85:AD:B1:9A:B0:31:B8:D4:1E:54:1D:FD:FF:46:C8:EB:FD:6A:77:0C",
        "",
    ),
    (
        "metadata/python3-saml/idp_cert_settings1.pem",
        "AF:E7:1C:28:EF:74:0B:C8:74:25:BE:13:A2:26:3D:37:97:1D:A1:F9",
        "C5:1C:FA:06:C7:A4:97:67:F6:EA:B1:82:38:EA:E1:C5:67:08:E2:92:64:DA:3D:11:F5:38:A1:2C:D2:C3:57:BA",
        "9B3A5AD60DD5FB15",
    ),
];

#[test]
fn fixture_thumbprints_equal_openssl() {
    for (path, sha1, sha256, serial) in FIXTURES {
        let certs = parse_certificates(&read(path)).unwrap();
        assert_eq!(certs.len(), 1, "{path}");
        assert_eq!(certs[0].sha1_thumbprint, *sha1, "{path}");
        assert_eq!(certs[0].sha256_thumbprint, *sha256, "{path}");
        if !serial.is_empty() {
            assert_eq!(certs[0].serial, *serial, "{path}");
        }
        assert_eq!(certs[0].sha1_compact(), sha1.replace(':', ""));
    }
}

#[test]
fn pem_der_and_bare_base64_give_the_same_facts() {
    let pem = read("fixtures/rsa2048.cert.pem");
    let from_pem = parse_certificates(&pem).unwrap().remove(0);
    let from_der = parse_certificates(&from_pem.der).unwrap().remove(0);
    let body: String = String::from_utf8(pem.clone())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(|l| format!("  {l}\n"))
        .collect();
    let from_b64 = parse_certificates(body.as_bytes()).unwrap().remove(0);
    assert_eq!(from_pem, from_der);
    assert_eq!(from_pem, from_b64);
    assert_eq!(CertificateInfo::from_base64(&body).unwrap(), from_pem);
}

#[test]
fn several_pem_blocks_are_all_read_in_order() {
    let mut bundle = b"Bag Attributes: from openssl pkcs12\n".to_vec();
    bundle.extend(read("fixtures/rsa3072.cert.pem"));
    bundle.extend(read("fixtures/ecp256.cert.pem"));
    let certs = parse_certificates(&bundle).unwrap();
    assert_eq!(certs.len(), 2);
    assert_eq!(certs[0].key, KeyInfo::Rsa { bits: 3072 });
    assert_eq!(
        certs[1].key,
        KeyInfo::Ec {
            curve: "prime256v1".into(),
            bits: 256
        }
    );
}

#[test]
fn private_key_or_truncated_input_is_cert_invalid() {
    let key = read("fixtures/rsa2048.key.pem");
    let err = parse_certificates(&key).unwrap_err();
    assert_eq!(err.code(), Code::CertInvalid);
    assert!(err.to_string().contains("PRIVATE KEY"), "{err}");
    let der = parse_certificates(&read("fixtures/rsa2048.cert.pem"))
        .unwrap()
        .remove(0)
        .der;
    let cut = &der[..der.len() - 10];
    assert_eq!(
        parse_certificates(cut).unwrap_err().to_finding().code,
        Code::CertInvalid
    );
    let mut longer = der.clone();
    longer.push(0);
    assert!(
        parse_certificates(&longer)
            .unwrap_err()
            .to_string()
            .contains("1 bytes follow")
    );
}

#[test]
fn facts_of_the_azure_shaped_fixture() {
    let c = parse_certificates(&read("fixtures/rsa2048.cert.pem"))
        .unwrap()
        .remove(0);
    assert_eq!(c.subject, "CN=Microsoft Azure Federated SSO Certificate");
    assert_eq!(c.issuer, c.subject);
    assert_eq!(
        c.common_name(),
        Some("Microsoft Azure Federated SSO Certificate")
    );
    assert!(c.self_signed);
    assert_eq!(c.signature_algorithm, "sha256WithRSAEncryption");
    assert_eq!(c.key, KeyInfo::Rsa { bits: 2048 });
    assert_eq!(c.not_before, at("2026-01-01T00:00:00Z"));
    assert_eq!(c.not_after, at("2029-01-01T00:00:00Z"));
    assert_eq!(c.days_left(at("2028-12-01T00:00:00Z")), 31);
    assert!(c.days_left(at("2030-01-01T00:00:00Z")) < 0);
}

#[test]
fn validity_findings_follow_the_callers_clock() {
    let c = parse_certificates(&read("fixtures/rsa2048.cert.pem"))
        .unwrap()
        .remove(0);
    let policy = CertPolicy::default();
    assert!(check(&c, at("2027-06-01T00:00:00Z"), &policy).is_empty());
    assert_eq!(
        codes(&check(&c, at("2025-12-31T23:59:59Z"), &policy)),
        [Code::CertNotYetValid]
    );
    assert_eq!(
        codes(&check(&c, at("2028-12-15T00:00:00Z"), &policy)),
        [Code::CertExpiringSoon]
    );
    let expired = check(&c, at("2029-01-01T00:00:01Z"), &policy);
    assert_eq!(codes(&expired), [Code::CertExpired]);
    assert_eq!(
        expired[0].expected.as_deref(),
        Some("not after 2029-01-01T00:00:00Z")
    );
    // A longer warning window, as Entra's 60-day mails.
    let sixty = CertPolicy {
        expiring_soon_days: 60,
    };
    assert_eq!(
        codes(&check(&c, at("2028-11-10T00:00:00Z"), &sixty)),
        [Code::CertExpiringSoon]
    );
}

#[test]
fn weak_and_sha1_signed_certificates_are_reported() {
    let c = parse_certificates(&read("metadata/python3-saml/idp_cert_settings1.pem"))
        .unwrap()
        .remove(0);
    assert_eq!(c.key, KeyInfo::Rsa { bits: 1024 });
    assert_eq!(c.signature_algorithm, "sha1WithRSAEncryption");
    assert_eq!(c.key_usage, None);
    let found = check(&c, at("2026-11-01T00:00:00Z"), &CertPolicy::default());
    assert_eq!(
        codes(&found),
        [Code::CertExpired, Code::CertWeakKey, Code::CertSha1Signed]
    );
    assert_eq!(found[1].found.as_deref(), Some("1024 bits"));
    assert_eq!(found[2].severity, saml_inspect::Severity::Info);
}

#[test]
fn json_has_readable_dates_and_no_der() {
    let c = parse_certificates(&read("fixtures/ecp256.cert.pem"))
        .unwrap()
        .remove(0);
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["not_after"], "2029-01-01T00:00:00Z");
    assert_eq!(v["key"]["type"], "ec");
    assert_eq!(v["signature_algorithm"], "ecdsa-with-SHA256");
    assert!(v.get("der").is_none());
}

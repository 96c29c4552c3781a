//! The `metadata` and `cert` commands on the shipped metadata documents and
//! certificates (testdata/metadata/README.md): exit codes, key lines of the
//! text output and fields of the JSON output.

mod bin;

use bin::{run, run_stdin};
use std::process::Output;

use serde_json::Value;

/// The clock of testdata/metadata: the fixtures are valid 2026-01-01 to 2029-01-01.
const NOW: &str = "2026-11-01T00:00:00Z";

// Thumbprints as asserted in tests/metadata.rs and tests/cert.rs (openssl x509 -fingerprint).
const RSA2048_SHA1: &str = "1C:12:9F:FE:95:53:63:B9:2A:39:32:07:B9:76:EC:60:08:69:9F:F6";
const RSA2048_SHA256: &str = "04:42:5C:4A:79:87:DA:0D:6B:95:77:E8:30:CA:4F:69:BA:5B:DA:A1:ED:45:F2:3B:0A:88:7C:82:15:46:0D:D0";
const RSA3072_SHA1: &str = "B4:CC:47:85:61:3A:E6:1B:D4:39:91:52:FF:1B:04:3D:10:80:19:B5";
const RSA3072_SHA256: &str = "58:45:89:87:08:D5:07:D9:0E:BF:FF:EA:97:F1:5B:50:E7:DB:DA:0D:E1:37:8B:C7:C3:16:AE:A7:65:96:D7:3A";
const ECP256_SHA1: &str = "E3:2F:EB:01:FA:F2:17:98:2E:D7:FD:32:BE:D6:98:D3:54:B8:D2:82";
const AAD_2017: &[(&str, &str)] = &[
    (
        "6B:74:0D:D0:16:52:EE:CE:27:37:E0:5D:AE:36:C5:D1:8F:CB:74:C3",
        "3C:B3:E2:A1:27:22:D3:E7:59:7B:D6:8D:1F:00:6E:44:75:15:E0:FA:21:C0:E4:84:59:74:7F:51:36:81:26:DD",
    ),
    (
        "CF:4D:FD:CD:DB:05:BA:2C:E9:05:F0:55:2B:54:E7:DB:94:07:60:ED",
        "C3:AB:06:1B:65:2D:C9:A7:47:F3:3D:E0:A8:9F:B5:C4:60:9A:0E:FB:51:18:B0:A3:96:A5:7D:CE:3D:A1:DB:B3",
    ),
    (
        "D9:2E:12:09:51:AC:F1:28:3D:2D:2E:80:A8:B2:2A:E8:3A:56:FA:0F",
        "5C:75:8D:68:2B:B2:17:F0:1F:43:BE:D5:1D:00:90:29:CE:CD:2E:CE:52:CB:E8:C7:31:2C:E8:DF:13:D5:4B:7C",
    ),
];
const AAD: &str = "testdata/real-world/aad-common-federationmetadata-2017-signed.xml";
const AAD_BOM: &str = "testdata/metadata/aad-common-federationmetadata-2017-signed-bom.xml";
const IDC_APP: &str = "testdata/metadata/idc-app-idp-metadata.xml";
const IDC_STALE: &str = "testdata/metadata/idc-app-idp-metadata-stale-iam-copy.xml";
const IDC_SP: &str = "testdata/metadata/idc-sp-metadata.xml";
const ENTRA_APP: &str = "testdata/metadata/entra-app-rollover-signed.xml";
const ENTRA_TAMPERED: &str = "testdata/metadata/entra-app-rollover-tampered.xml";
const RSA2048_PEM: &str = "testdata/fixtures/rsa2048.cert.pem";

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs with `--format json` and parses stdout, checking the exit code.
fn json(args: &[&str], exit: i32) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run(&all);
    assert_eq!(
        code(&out),
        exit,
        "{args:?}\n{}\n{}",
        text(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", text(&out)))
}

fn codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn finding<'a>(v: &'a Value, wanted: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == wanted)
        .unwrap_or_else(|| panic!("no {wanted} in {:#}", v["findings"]))
}

/// The value of an aligned `key  value` row of the text output.
fn row<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|l| {
        l.strip_prefix("  ")?
            .strip_prefix(key)
            .filter(|rest| rest.starts_with("  "))
            .map(str::trim)
    })
}

// ---- metadata ----

#[test]
fn identity_center_application_json_decodes_account_and_instance() {
    let v = json(&["metadata", IDC_APP, "--now", NOW], 0);
    assert_eq!(
        v["entity_id"],
        "https://portal.sso.eu-central-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMzX2lucy0wMTIzNDU2Nzg5YWJjZGVm"
    );
    let kind = &v["kind"];
    assert_eq!(kind["type"], "identity_center_application");
    assert_eq!(kind["region"], "eu-central-1");
    assert_eq!(kind["account"], "111122223333");
    assert_eq!(kind["instance"], "ins-0123456789abcdef");
    assert_eq!(v["roles"], serde_json::json!(["idp"]));
    assert_eq!(v["signature"]["status"], "unsigned");
    assert_eq!(v["bom"], false);
    assert_eq!(v["now"], NOW);
    let certs = v["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 1);
    assert_eq!(certs[0]["sha1_thumbprint"], RSA2048_SHA1);
    assert_eq!(certs[0]["sha256_thumbprint"], RSA2048_SHA256);
    assert_eq!(certs[0]["not_after"], "2029-01-01T00:00:00Z");
    assert_eq!(certs[0]["days_left"], 792);
    assert_eq!(certs[0]["uses"], serde_json::json!(["signing"]));
    // Two SSO and two SLO endpoints, flattened with their role and service.
    let endpoints = v["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 4);
    assert!(endpoints.iter().all(|e| e["role"] == "idp"));
    assert_eq!(endpoints[1]["service"], "SingleSignOnService");
    assert_eq!(
        endpoints[1]["binding"],
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    );
    // Identity Center never signs: informational only.
    assert_eq!(finding(&v, "metadata.unsigned")["severity"], "info");
}

#[test]
fn identity_center_application_text_sections() {
    let out = run(&["metadata", IDC_APP, "--now", NOW]);
    assert_eq!(code(&out), 0);
    let t = text(&out);
    assert!(
        t.starts_with("OK  metadata https://portal.sso.eu-central-1.amazonaws.com/saml/assertion/"),
        "{t}"
    );
    assert_eq!(row(&t, "account"), Some("111122223333"));
    assert_eq!(row(&t, "instance"), Some("ins-0123456789abcdef"));
    assert_eq!(row(&t, "region"), Some("eu-central-1"));
    assert_eq!(row(&t, "SHA-1"), Some(RSA2048_SHA1));
    assert_eq!(row(&t, "SHA-256"), Some(RSA2048_SHA256));
    assert_eq!(row(&t, "status"), Some("unsigned"));
    assert!(row(&t, "valid").unwrap().ends_with("(792 days left)"));
    // Top-down: the verdict, the findings with their fixes, then the detail
    // sections in order: Entity, the role, certificates, signature.
    let pos = |s: &str| t.find(s).unwrap_or_else(|| panic!("{s} missing:\n{t}"));
    assert!(pos("\nFindings\n") < pos("\nEntity\n"));
    assert!(pos("\nEntity\n") < pos("\nRole: IdP (IDPSSODescriptor)\n"));
    assert!(pos("\nRole: IdP") < pos("\nCertificate 1 of 1\n"));
    assert!(pos("\nCertificate 1 of 1\n") < pos("\nSignature\n"));
    assert!(
        t.contains("HTTP-Redirect  https://portal.sso.eu-central-1.amazonaws.com/saml/logout/")
    );
}

#[test]
fn aad_2017_is_not_anchored_without_cert_and_its_certificates_have_expired() {
    let v = json(&["metadata", AAD, "--now", NOW], 1);
    assert_eq!(v["entity_id"], "https://sts.windows.net/{tenantid}/");
    assert_eq!(v["kind"]["type"], "entra_common");
    assert_eq!(v["signature"]["status"], "verified_not_anchored");
    assert_eq!(v["signature"]["sha1_thumbprint"], AAD_2017[0].0);
    let certs = v["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 3);
    for (c, (sha1, sha256)) in certs.iter().zip(AAD_2017) {
        assert_eq!(c["sha1_thumbprint"], *sha1);
        assert_eq!(c["sha256_thumbprint"], *sha256);
        assert_eq!(c["signed_metadata"], c["sha1_thumbprint"] == AAD_2017[0].0);
        assert!(c["days_left"].as_i64().unwrap() < 0);
    }
    let codes = codes(&v);
    assert_eq!(codes.iter().filter(|c| *c == "cert.expired").count(), 3);
    assert!(codes.contains(&"metadata.signature_not_anchored".to_string()));
    assert!(!codes.contains(&"metadata.bom".to_string()));

    let out = run(&["metadata", AAD, "--now", NOW]);
    assert_eq!(code(&out), 1);
    let t = text(&out);
    assert!(t.starts_with("INVALID  metadata https://sts.windows.net/{tenantid}/: 3 errors"));
    assert!(row(&t, "status").unwrap().ends_with("not anchored"), "{t}");
    assert!(t.contains("signed   this certificate signed the metadata"));
}

#[test]
fn cert_option_anchors_the_signature() {
    let plain = run(&["metadata", ENTRA_APP, "--now", NOW]);
    assert_eq!(code(&plain), 0);
    assert_eq!(
        row(&text(&plain), "status"),
        Some(
            format!("verifies with the embedded certificate {RSA2048_SHA1}, not anchored").as_str()
        )
    );
    let anchored = run(&["metadata", ENTRA_APP, "--now", NOW, "--cert", RSA2048_PEM]);
    assert_eq!(code(&anchored), 0);
    assert_eq!(
        row(&text(&anchored), "status"),
        Some(format!("verified and anchored (certificate {RSA2048_SHA1})").as_str())
    );

    let v = json(
        &["metadata", ENTRA_APP, "--now", NOW, "--cert", RSA2048_PEM],
        0,
    );
    assert_eq!(v["signature"]["status"], "verified_anchored");
    assert_eq!(v["kind"]["type"], "entra_application");
    assert_eq!(
        v["kind"]["tenant_id"],
        "5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
    );
    assert!(codes(&v).contains(&"signature.verified".to_string()));
    // The rollover: both certificates, the active one signed.
    let certs = v["certificates"].as_array().unwrap();
    let thumbs: Vec<&str> = certs
        .iter()
        .map(|c| c["sha1_thumbprint"].as_str().unwrap())
        .collect();
    assert_eq!(thumbs, [RSA2048_SHA1, RSA3072_SHA1]);
    assert_eq!(certs[1]["sha256_thumbprint"], RSA3072_SHA256);
    assert!(codes(&v).contains(&"cert.rollover".to_string()));
}

#[test]
fn a_certificate_that_did_not_sign_makes_the_signature_invalid() {
    let v = json(&["metadata", AAD, "--now", NOW, "--cert", RSA2048_PEM], 1);
    assert_eq!(v["signature"]["status"], "invalid");
    assert_eq!(v["signature"]["code"], "signature.untrusted_key");
    assert_eq!(
        finding(&v, "metadata.signature_invalid")["severity"],
        "error"
    );
}

#[test]
fn tampered_metadata_exits_1_with_signature_invalid() {
    let v = json(&["metadata", ENTRA_TAMPERED, "--now", NOW], 1);
    assert_eq!(v["signature"]["code"], "signature.digest_mismatch");
    assert!(codes(&v).contains(&"metadata.signature_invalid".to_string()));
    let out = run(&["metadata", ENTRA_TAMPERED, "--now", NOW]);
    assert!(text(&out).starts_with("INVALID"));
    assert!(row(&text(&out), "status").unwrap().starts_with("invalid: "));
}

#[test]
fn bom_copy_gives_metadata_bom_and_reads_the_same() {
    let plain = json(&["metadata", AAD, "--now", NOW], 1);
    let bom = json(&["metadata", AAD_BOM, "--now", NOW], 1);
    assert_eq!(bom["bom"], true);
    let f = finding(&bom, "metadata.bom");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["location"], serde_json::json!({"line": 1, "column": 1}));
    assert_eq!(bom["certificates"], plain["certificates"]);
    assert_eq!(bom["signature"], plain["signature"]);
    let t = text(&run(&["metadata", AAD_BOM, "--now", NOW]));
    assert!(row(&t, "BOM").unwrap().starts_with("yes"));
    assert!(t.contains("warning metadata.bom"));
}

#[test]
fn peer_mismatch_gives_flow_metadata_mismatch_and_exit_1() {
    let v = json(&["metadata", IDC_APP, "--now", NOW, "--peer", IDC_STALE], 1);
    let f = finding(&v, "flow.metadata_mismatch");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["expected"], RSA2048_SHA1);
    assert_eq!(f["found"], RSA3072_SHA1);
    assert_eq!(v["pair"]["agree"], false);
    assert_eq!(v["pair"]["peer_entity_id"], v["entity_id"]);
    assert_eq!(
        v["peer"]["certificates"][0]["sha1_thumbprint"],
        RSA3072_SHA1
    );

    let out = run(&["metadata", IDC_APP, "--now", NOW, "--peer", IDC_STALE]);
    assert_eq!(code(&out), 1);
    let t = text(&out);
    assert!(t.contains("\nCompared with the peer document\n"), "{t}");
    assert_eq!(row(&t, "comparison"), Some("1 mismatch (see findings)"));
    assert!(t.contains("error   flow.metadata_mismatch"));
    // Without the peer the same document is fine.
    assert_eq!(code(&run(&["metadata", IDC_APP, "--now", NOW])), 0);
}

#[test]
fn matching_idp_and_sp_peers_agree() {
    let v = json(&["metadata", ENTRA_APP, "--now", NOW, "--peer", IDC_SP], 0);
    assert_eq!(v["pair"]["agree"], true);
    assert_eq!(
        v["peer"]["kind"]["type"],
        "identity_center_service_provider"
    );
    assert_eq!(v["peer"]["kind"]["directory_id"], "d-99a1b2c3d4");
    assert!(!codes(&v).contains(&"flow.metadata_mismatch".to_string()));
    let t = text(&run(&[
        "metadata", ENTRA_APP, "--now", NOW, "--peer", IDC_SP,
    ]));
    let this = t.find("  this ").unwrap();
    let peer = t.find("  peer ").unwrap();
    assert!(
        t[this..peer].contains("https://sts.windows.net/5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/")
    );
    assert!(
        t[peer..].contains("https://eu-central-1.signin.aws.amazon.com/platform/saml/d-99a1b2c3d4")
    );
    assert_eq!(row(&t, "comparison"), Some("the two documents agree"));
}

#[test]
fn expired_metadata_exits_1() {
    let path = "testdata/metadata/python3-saml/expired_metadata_settings1.xml";
    let v = json(&["metadata", path, "--now", NOW], 1);
    assert_eq!(
        finding(&v, "metadata.expired")["found"],
        "2014-02-22T00:39:43Z"
    );
    // At a clock before validUntil the metadata itself is fresh.
    let v = json(&["metadata", path, "--now", "2014-01-01T00:00:00Z"], 1);
    assert!(!codes(&v).contains(&"metadata.expired".to_string()));
}

#[test]
fn entity_id_selects_an_entity_and_an_unknown_one_exits_2() {
    let path = "testdata/metadata/python3-saml/testshib-providers.xml";
    let sp = "https://sp.testshib.org/shibboleth-sp";
    let v = json(&["metadata", path, "--now", NOW, "--entity-id", sp], 1);
    assert_eq!(v["entity_id"], sp);
    assert_eq!(v["roles"], serde_json::json!(["sp"]));
    assert_eq!(v["entities_in_document"].as_array().unwrap().len(), 2);
    let out = run(&["metadata", path, "--entity-id", "https://nowhere.example/"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("saml.structure"));
}

#[test]
fn expiring_days_turns_a_valid_certificate_into_a_warning() {
    let v = json(
        &["metadata", IDC_APP, "--now", NOW, "--expiring-days", "800"],
        0,
    );
    assert_eq!(finding(&v, "cert.expiring_soon")["severity"], "warning");
    let v = json(&["metadata", IDC_APP, "--now", NOW], 0);
    assert!(!codes(&v).contains(&"cert.expiring_soon".to_string()));
}

#[test]
fn undecodable_or_unreadable_metadata_exits_2() {
    let out = run_stdin(&["metadata", "-", "--format", "json"], b"garbage, not XML");
    assert_eq!(code(&out), 2);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["code"], "xml.malformed");
    // A SAML response is XML but not metadata.
    let out = run(&["metadata", "testdata/fixtures/response-rsa2048.xml"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("saml.not_saml"));
    assert_eq!(code(&run(&["metadata", "testdata/does-not-exist.xml"])), 2);
    // A --cert that is not a certificate (here: a private key).
    let out = run(&[
        "metadata",
        IDC_APP,
        "--cert",
        "testdata/fixtures/rsa2048.key.pem",
    ]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("rsa2048.key.pem"));
    // A --now that is not RFC 3339 is a usage error.
    assert_eq!(code(&run(&["metadata", IDC_APP, "--now", "yesterday"])), 2);
}

// ---- cert ----

#[test]
fn cert_on_a_pem_shows_its_facts() {
    let v = json(&["cert", RSA2048_PEM, "--now", NOW], 0);
    assert_eq!(v["source"], "certificates");
    let c = &v["certificates"][0];
    assert_eq!(v["certificates"].as_array().unwrap().len(), 1);
    assert_eq!(c["sha1_thumbprint"], RSA2048_SHA1);
    assert_eq!(c["sha256_thumbprint"], RSA2048_SHA256);
    assert_eq!(c["serial"], "3B6D1F0E9C2A4E57B1F5A2C3D4E51001");
    assert_eq!(c["key"], serde_json::json!({"type": "rsa", "bits": 2048}));
    assert_eq!(c["subject"], "CN=Microsoft Azure Federated SSO Certificate");
    assert_eq!(c["self_signed"], true);
    assert_eq!(c["days_left"], 792);
    assert!(c.get("appears_in").is_none());
    assert_eq!(v["findings"], serde_json::json!([]));

    let out = run(&["cert", RSA2048_PEM, "--now", NOW]);
    assert_eq!(code(&out), 0);
    let t = text(&out);
    assert!(
        t.starts_with("OK  1 certificate: 0 errors, 0 warnings"),
        "{t}"
    );
    assert_eq!(row(&t, "SHA-1"), Some(RSA2048_SHA1));
    assert_eq!(row(&t, "key"), Some("RSA 2048 bits"));
    assert_eq!(row(&t, "signature"), Some("sha256WithRSAEncryption"));
    assert_eq!(row(&t, "self-signed"), Some("yes"));
    assert_eq!(
        row(&t, "valid"),
        Some("2026-01-01 00:00:00 UTC to 2029-01-01 00:00:00 UTC (792 days left)")
    );
}

#[test]
fn cert_reads_several_pem_blocks_der_and_base64() {
    let mut bundle = read(RSA2048_PEM);
    bundle.extend(read("testdata/fixtures/rsa3072.cert.pem"));
    bundle.extend(read("testdata/fixtures/ecp256.cert.pem"));
    let out = run_stdin(&["cert", "-", "--now", NOW, "--format", "json"], &bundle);
    assert_eq!(code(&out), 0);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let thumbs: Vec<&str> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sha1_thumbprint"].as_str().unwrap())
        .collect();
    assert_eq!(thumbs, [RSA2048_SHA1, RSA3072_SHA1, ECP256_SHA1]);
    assert_eq!(v["certificates"][2]["key"]["curve"], "prime256v1");

    // The body of the PEM is the bare base64 form; decoded, the DER form.
    let pem = String::from_utf8(read(RSA2048_PEM)).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(&b64)
        .unwrap();
    for input in [b64.into_bytes(), der] {
        let out = run_stdin(&["cert", "-", "--now", NOW, "--format", "json"], &input);
        assert_eq!(code(&out), 0);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["certificates"][0]["sha256_thumbprint"], RSA2048_SHA256);
    }
}

#[test]
fn cert_on_metadata_lists_every_certificate_with_role_and_use() {
    let v = json(&["cert", ENTRA_APP, "--now", NOW], 0);
    assert_eq!(v["source"], "metadata");
    let certs = v["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 2);
    assert_eq!(certs[0]["sha1_thumbprint"], RSA2048_SHA1);
    assert_eq!(certs[1]["sha256_thumbprint"], RSA3072_SHA256);
    // Entra lists both certificates in its three roles, for signing.
    let places: Vec<(String, String)> = certs[0]["appears_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(
                a["entity_id"],
                "https://sts.windows.net/5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/"
            );
            (
                a["role"].as_str().unwrap().to_string(),
                a["use"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("security_token_service".into(), "signing".into()),
            ("application_service".into(), "signing".into()),
            ("idp".into(), "signing".into()),
        ]
    );
    // Only certificate findings, not the metadata's own.
    assert!(codes(&v).iter().all(|c| c.starts_with("cert.")));
    assert!(codes(&v).contains(&"cert.rollover".to_string()));

    let t = text(&run(&["cert", ENTRA_APP, "--now", NOW]));
    assert!(t.starts_with("OK  2 certificates"));
    assert!(t.contains("appears in   WS-Fed STS signing\n"), "{t}");
    assert!(t.contains("IdP signing\n"));
}

#[test]
fn cert_on_an_entities_descriptor_covers_every_entity() {
    let path = "testdata/metadata/python3-saml/testshib-providers.xml";
    let v = json(&["cert", path, "--now", NOW], 1);
    let entities: Vec<&str> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["appears_in"].as_array().unwrap())
        .map(|a| a["entity_id"].as_str().unwrap())
        .collect();
    assert!(entities.contains(&"https://idp.testshib.org/idp/shibboleth"));
    assert!(entities.contains(&"https://sp.testshib.org/shibboleth-sp"));
    // The SP's 2006 certificate has expired.
    assert!(codes(&v).contains(&"cert.expired".to_string()));
}

#[test]
fn expired_certificate_with_a_future_clock_exits_1() {
    let v = json(&["cert", RSA2048_PEM, "--now", "2030-01-01T00:00:00Z"], 1);
    let f = finding(&v, "cert.expired");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["found"], "2030-01-01T00:00:00Z");
    assert_eq!(v["certificates"][0]["days_left"], -365);
    let out = run(&["cert", RSA2048_PEM, "--now", "2030-01-01T00:00:00Z"]);
    assert_eq!(code(&out), 1);
    let t = text(&out);
    assert!(t.starts_with("INVALID  1 certificate: 1 error"));
    assert!(
        row(&t, "valid")
            .unwrap()
            .ends_with("(EXPIRED 365 days ago)")
    );
    // Before its start it is not yet valid.
    let v = json(&["cert", RSA2048_PEM, "--now", "2025-06-01T00:00:00Z"], 1);
    assert!(codes(&v).contains(&"cert.not_yet_valid".to_string()));
}

#[test]
fn cert_on_garbage_exits_2() {
    let out = run_stdin(
        &["cert", "-", "--format", "json"],
        b"\x00\x01 definitely not a certificate",
    );
    assert_eq!(code(&out), 2);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["code"], "cert.invalid");
    let out = run(&["cert", "testdata/fixtures/rsa2048.key.pem"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("PRIVATE KEY"));
    // XML that is not metadata.
    assert_eq!(
        code(&run(&["cert", "testdata/fixtures/assertion-rsa2048.xml"])),
        2
    );
    assert_eq!(code(&run(&["cert", "testdata/nope.pem"])), 2);
}

//! Metadata: every test document parses; BOM, signatures (anchored or not),
//! Identity Center ids, rollover, entity selection and pairing behave as the
//! documents' provenance says (testdata/metadata/README.md).

use chrono::{DateTime, Utc};
use saml_inspect::Code;
use saml_inspect::cert::CertificateInfo;
use saml_inspect::dsig::{Policy, TrustedKeys};
use saml_inspect::metadata::{
    KeyUse, Metadata, MetadataError, MetadataKind, MetadataOptions, Role, SignatureStatus,
    check_pair,
};
use saml_inspect::report::Severity;

/// (SHA-1, SHA-256) as printed by `openssl x509 -fingerprint -sha1` / `-sha256`, for every
/// certificate in the test documents and fixtures (computed with the openssl CLI).
const OPENSSL_FINGERPRINTS: &[(&str, &str)] = &[
    // aws-signin-sp-metadata.xml, ecp256.cert.pem
    (
        "E3:2F:EB:01:FA:F2:17:98:2E:D7:FD:32:BE:D6:98:D3:54:B8:D2:82",
        "D1:F6:BB:4C:6F:6E:E1:73:BC:44:3C:03:85:AD:B1:9A:B0:31:B8:D4:1E:54:1D:FD:FF:46:C8:EB:FD:6A:77:0C",
    ),
    // entra-app-rollover-signed.xml, entra-app-rollover-tampered.xml, idc-app-idp-metadata.xml, rsa2048.cert.pem
    (
        "1C:12:9F:FE:95:53:63:B9:2A:39:32:07:B9:76:EC:60:08:69:9F:F6",
        "04:42:5C:4A:79:87:DA:0D:6B:95:77:E8:30:CA:4F:69:BA:5B:DA:A1:ED:45:F2:3B:0A:88:7C:82:15:46:0D:D0",
    ),
    // entra-app-rollover-signed.xml, entra-app-rollover-tampered.xml, idc-app-idp-metadata-stale-iam-copy.xml, idc-sp-metadata.xml, rsa3072.cert.pem
    (
        "B4:CC:47:85:61:3A:E6:1B:D4:39:91:52:FF:1B:04:3D:10:80:19:B5",
        "58:45:89:87:08:D5:07:D9:0E:BF:FF:EA:97:F1:5B:50:E7:DB:DA:0D:E1:37:8B:C7:C3:16:AE:A7:65:96:D7:3A",
    ),
    // aad-common-federationmetadata-2017-signed-bom.xml, aad-common-federationmetadata-2017-signed.xml
    (
        "6B:74:0D:D0:16:52:EE:CE:27:37:E0:5D:AE:36:C5:D1:8F:CB:74:C3",
        "3C:B3:E2:A1:27:22:D3:E7:59:7B:D6:8D:1F:00:6E:44:75:15:E0:FA:21:C0:E4:84:59:74:7F:51:36:81:26:DD",
    ),
    // aad-common-federationmetadata-2017-signed-bom.xml, aad-common-federationmetadata-2017-signed.xml
    (
        "CF:4D:FD:CD:DB:05:BA:2C:E9:05:F0:55:2B:54:E7:DB:94:07:60:ED",
        "C3:AB:06:1B:65:2D:C9:A7:47:F3:3D:E0:A8:9F:B5:C4:60:9A:0E:FB:51:18:B0:A3:96:A5:7D:CE:3D:A1:DB:B3",
    ),
    // aad-common-federationmetadata-2017-signed-bom.xml, aad-common-federationmetadata-2017-signed.xml
    (
        "D9:2E:12:09:51:AC:F1:28:3D:2D:2E:80:A8:B2:2A:E8:3A:56:FA:0F",
        "5C:75:8D:68:2B:B2:17:F0:1F:43:BE:D5:1D:00:90:29:CE:CD:2E:CE:52:CB:E8:C7:31:2C:E8:DF:13:D5:4B:7C",
    ),
    // expired_metadata_settings1.xml, idp_cert_settings1.pem, signed_metadata_settings1.xml
    (
        "AF:E7:1C:28:EF:74:0B:C8:74:25:BE:13:A2:26:3D:37:97:1D:A1:F9",
        "C5:1C:FA:06:C7:A4:97:67:F6:EA:B1:82:38:EA:E1:C5:67:08:E2:92:64:DA:3D:11:F5:38:A1:2C:D2:C3:57:BA",
    ),
    // idp_cert_settings2.pem, signed_metadata_settings2.xml
    (
        "EE:17:4E:FB:A8:81:71:12:0D:2A:78:43:BC:E7:0C:07:58:79:F4:F4",
        "55:FD:5F:3F:43:5A:AC:E6:79:89:BF:25:48:81:A1:C4:F3:37:3B:CB:1B:4D:68:A0:3E:A5:C9:FF:61:48:01:3F",
    ),
    // idp_metadata_different_sign_and_encrypt_cert.xml
    (
        "2D:A9:40:88:28:EE:67:BB:4A:5B:E0:58:A7:CC:71:95:2D:1B:C9:D3",
        "46:E3:68:F4:ED:61:43:2B:EC:36:E3:99:E9:03:4B:99:E5:B3:58:EF:A9:A9:00:FC:2D:C8:7C:14:C6:60:E3:8F",
    ),
    // idp_metadata_different_sign_and_encrypt_cert.xml, idp_metadata_multi_certs.xml, idp_metadata_multi_signing_certs.xml
    (
        "CD:2B:2B:DA:FF:F5:DB:64:10:7C:AC:FD:FE:0F:CB:5D:73:5F:16:07",
        "E5:52:D9:2C:3C:DC:3D:09:5C:90:76:82:AB:B6:75:B4:92:92:2C:42:87:7E:18:EB:17:F3:1F:39:FE:9F:7C:6A",
    ),
    // idp_metadata_multi_certs.xml, idp_metadata_multi_signing_certs.xml
    (
        "B3:91:4C:17:05:02:36:52:8F:B1:21:54:0A:CB:58:A5:40:7E:1D:1D",
        "47:05:10:32:70:68:42:DC:36:1B:2A:A8:4E:06:87:BE:CB:98:34:1D:0E:13:C4:D7:20:2E:8F:47:5B:4A:15:5D",
    ),
    // testshib-providers.xml
    (
        "95:39:26:B5:7F:87:39:60:22:2A:2F:1C:40:02:FA:F9:63:6B:8D:47",
        "ED:03:FF:38:DF:C7:EA:48:52:3E:27:10:EC:64:5F:ED:ED:DB:55:68:8C:16:2C:B3:7B:48:5C:52:3E:A5:C0:22",
    ),
    // testshib-providers.xml
    (
        "0E:82:A7:94:CE:98:B4:C0:E0:84:FF:F4:FC:95:14:27:0C:DB:94:1A",
        "83:F3:FE:E4:51:35:8C:5F:60:76:96:03:C2:7F:9F:64:D3:B6:52:B3:C9:7A:E7:DC:57:86:DE:E5:6C:72:B3:2D",
    ),
    // testshib-providers.xml
    (
        "A7:FC:F7:BF:21:86:71:DE:83:86:18:A2:A7:AF:25:B5:53:77:A1:2C",
        "FD:CD:97:F3:E2:EC:9D:99:C9:1E:3A:71:FB:50:A6:80:B3:74:E1:0E:8D:DA:FF:0F:CA:E9:2E:A7:9D:2A:81:2B",
    ),
];

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn now() -> DateTime<Utc> {
    at("2026-11-01T00:00:00Z")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

/// The python3-saml vectors are SHA-1 signed with 1024-bit keys.
fn legacy(mut o: MetadataOptions) -> MetadataOptions {
    o.policy = Policy {
        allow_sha1: true,
        allow_weak_rsa_1024: true,
        ..Policy::default()
    };
    o
}

fn load(path: &str) -> Metadata {
    load_with(path, &MetadataOptions::at(now()))
}

fn load_with(path: &str, options: &MetadataOptions) -> Metadata {
    Metadata::from_bytes(&read(path), options).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn trust(path: &str) -> TrustedKeys {
    TrustedKeys::from_certificate_bytes(&read(path)).unwrap()
}

fn codes(md: &Metadata) -> Vec<Code> {
    md.findings.iter().map(|f| f.code).collect()
}

fn finding(md: &Metadata, code: Code) -> &saml_inspect::Finding {
    md.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", md.findings))
}

/// Every metadata document of testdata, relative to testdata/.
fn all_documents() -> Vec<String> {
    let mut out = vec!["real-world/aad-common-federationmetadata-2017-signed.xml".to_string()];
    for sub in ["metadata", "metadata/python3-saml"] {
        let mut names: Vec<String> = std::fs::read_dir(dir().join(sub))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".xml"))
            .map(|n| format!("{sub}/{n}"))
            .collect();
        names.sort();
        out.extend(names);
    }
    out
}

#[test]
fn every_metadata_document_parses() {
    let docs = all_documents();
    assert_eq!(docs.len(), 17, "{docs:?}");
    for path in &docs {
        let md = load_with(path, &legacy(MetadataOptions::at(now())));
        assert!(!md.entity_id.is_empty(), "{path}");
        assert!(md.idp.is_some() || md.sp.is_some(), "{path}: no SSO role");
        // JSON is one object with the fields the CLI documents.
        let v = serde_json::to_value(&md).unwrap();
        for key in ["entity_id", "kind", "certificates", "signature", "findings"] {
            assert!(v.get(key).is_some(), "{path}: no {key}");
        }
    }
}

#[test]
fn thumbprints_equal_openssl_for_every_certificate() {
    let mut seen = std::collections::BTreeSet::new();
    let check = |info: &CertificateInfo,
                 seen: &mut std::collections::BTreeSet<String>,
                 from: &str| {
        let expected = OPENSSL_FINGERPRINTS
            .iter()
            .find(|(sha1, _)| *sha1 == info.sha1_thumbprint)
            .unwrap_or_else(|| panic!("{from}: {} not in the openssl table", info.sha1_thumbprint));
        assert_eq!(info.sha256_thumbprint, expected.1, "{from}");
        seen.insert(info.sha1_thumbprint.clone());
    };
    // Every X509Certificate element of every document, in any role or entity.
    for path in all_documents() {
        let bytes = read(&path);
        let doc = saml_inspect::xml::parse_bytes(&bytes, &Default::default()).unwrap();
        for node in doc.tree().descendants() {
            if node.tag_name().name() != "X509Certificate" {
                continue;
            }
            let text = saml_inspect::xml::element_text(node).unwrap();
            // The python3-saml EntitiesDescriptor double-encodes its certificates (PEM in base64).
            if text.trim_start().starts_with("LS0tLS1CRUdJT") {
                continue;
            }
            check(
                &CertificateInfo::from_base64(&text).unwrap(),
                &mut seen,
                &path,
            );
        }
    }
    for pem in [
        "fixtures/rsa2048.cert.pem",
        "fixtures/rsa3072.cert.pem",
        "fixtures/ecp256.cert.pem",
        "metadata/python3-saml/idp_cert_settings1.pem",
        "metadata/python3-saml/idp_cert_settings2.pem",
    ] {
        for info in saml_inspect::cert::parse_certificates(&read(pem)).unwrap() {
            check(&info, &mut seen, pem);
        }
    }
    assert_eq!(seen.len(), OPENSSL_FINGERPRINTS.len());
}

#[test]
fn bom_is_reported_and_the_rest_reads_the_same() {
    let plain = load("real-world/aad-common-federationmetadata-2017-signed.xml");
    let bom = load("metadata/aad-common-federationmetadata-2017-signed-bom.xml");
    assert!(bom.bom && !plain.bom);
    let f = finding(&bom, Code::MetadataBom);
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("Could not parse metadata"));
    assert!(!plain.findings.iter().any(|f| f.code == Code::MetadataBom));
    assert_eq!(bom.signature, plain.signature);
    assert_eq!(bom.certificates, plain.certificates);
}

#[test]
fn aad_2017_verifies_with_its_embedded_certificate_not_anchored() {
    let md = load("real-world/aad-common-federationmetadata-2017-signed.xml");
    assert_eq!(md.kind, MetadataKind::EntraCommon);
    assert_eq!(md.entity_id, "https://sts.windows.net/{tenantid}/");
    let signer = "6B:74:0D:D0:16:52:EE:CE:27:37:E0:5D:AE:36:C5:D1:8F:CB:74:C3";
    assert_eq!(
        md.signature,
        SignatureStatus::VerifiedNotAnchored {
            sha1_thumbprint: signer.into(),
            subject: "CN=accounts.accesscontrol.windows.net".into(),
            listed_in_metadata: true,
        }
    );
    assert_eq!(
        md.signature.describe(),
        format!("verifies with the embedded certificate {signer}, not anchored")
    );
    assert_eq!(
        finding(&md, Code::MetadataSignatureNotAnchored).severity,
        Severity::Info
    );
    // Three certificates, each in all three roles; the signer is marked.
    assert_eq!(md.certificates.len(), 3);
    for c in &md.certificates {
        assert_eq!(
            c.roles,
            [
                Role::SecurityTokenService,
                Role::ApplicationService,
                Role::Idp
            ]
        );
        assert_eq!(c.signed_metadata, c.info.sha1_thumbprint == signer);
    }
    // The WS-Fed roles are typed data.
    let sts = md.security_token_service.as_ref().unwrap();
    assert_eq!(sts.claim_types_offered.len(), 19);
    assert!(sts.passive_requestor_endpoints[0].ends_with("/common/wsfed"));
    let app = md.application_service.as_ref().unwrap();
    assert_eq!(
        app.target_scopes,
        ["https://sts.windows.net/%7Btenantid%7D/"]
    );
    let idp = md.idp.as_ref().unwrap();
    assert_eq!(idp.single_sign_on.len(), 2);
    // 2017 certificates, all expired at the clock; three signing certs is a rollover.
    assert_eq!(
        md.findings
            .iter()
            .filter(|f| f.code == Code::CertExpired)
            .count(),
        3
    );
    assert!(finding(&md, Code::CertRollover).message.contains(signer));
    assert_eq!(md.signing_keys().len(), 3);
}

#[test]
fn aad_2017_is_anchored_when_its_certificate_is_supplied() {
    let plain = load("real-world/aad-common-federationmetadata-2017-signed.xml");
    let signer = plain
        .certificates
        .iter()
        .find(|c| c.signed_metadata)
        .unwrap();
    let mut options = MetadataOptions::at(now());
    options.trusted = TrustedKeys::from_der_certificates([&signer.info.der]).unwrap();
    let md = load_with(
        "real-world/aad-common-federationmetadata-2017-signed.xml",
        &options,
    );
    assert!(matches!(
        md.signature,
        SignatureStatus::VerifiedAnchored { .. }
    ));
    assert!(md.signature.describe().starts_with("verified and anchored"));
    assert!(codes(&md).contains(&Code::SignatureVerified));
    // Another tenant's (here: a test) certificate does not anchor it.
    options.trusted = trust("fixtures/rsa2048.cert.pem");
    let md = load_with(
        "real-world/aad-common-federationmetadata-2017-signed.xml",
        &options,
    );
    assert_eq!(
        md.signature,
        SignatureStatus::Invalid {
            code: Code::SignatureUntrustedKey,
            reason: match &md.signature {
                SignatureStatus::Invalid { reason, .. } => reason.clone(),
                other => panic!("{other:?}"),
            },
        }
    );
    let f = finding(&md, Code::MetadataSignatureInvalid);
    assert!(f.expected.as_deref().unwrap().contains("1C129FFE"));
}

#[test]
fn identity_center_application_metadata_shows_account_and_instance() {
    let md = load("metadata/idc-app-idp-metadata.xml");
    assert_eq!(
        md.kind,
        MetadataKind::IdentityCenterApplication {
            region: "eu-central-1".into(),
            id: "MTExMTIyMjIzMzMzX2lucy0wMTIzNDU2Nzg5YWJjZGVm".into(),
            account: Some("111122223333".into()),
            instance: Some("ins-0123456789abcdef".into()),
        }
    );
    assert!(md.kind.describe().contains("account 111122223333"));
    // Identity Center never signs: only informational.
    assert_eq!(md.signature, SignatureStatus::Unsigned);
    assert_eq!(
        finding(&md, Code::MetadataUnsigned).severity,
        Severity::Info
    );
    // The empty <md:NameIDFormat/> is reported, not read as a format.
    let idp = md.idp.as_ref().unwrap();
    assert!(idp.name_id_formats.is_empty());
    assert!(
        md.findings
            .iter()
            .any(|f| f.message.contains("empty NameIDFormat"))
    );
    assert_eq!(idp.want_authn_requests_signed, Some(false));
    assert_eq!((idp.single_sign_on.len(), idp.single_logout.len()), (2, 2));
    assert_eq!(idp.single_sign_on[1].binding_name(), "HTTP-Redirect");
    let keys = md.signing_keys();
    assert_eq!(keys.len(), 1);
    assert_eq!(
        keys.iter().next().unwrap().sha1_thumbprint(),
        "1C129FFE955363B92A393207B976EC6008699FF6"
    );
    // Valid certificate, https endpoints: nothing above info.
    assert!(
        md.findings.iter().all(|f| f.severity == Severity::Info),
        "{:#?}",
        md.findings
    );
}

#[test]
fn identity_center_sp_and_aws_sign_in_metadata() {
    let sp = load("metadata/idc-sp-metadata.xml");
    assert_eq!(
        sp.kind,
        MetadataKind::IdentityCenterServiceProvider {
            region: "eu-central-1".into(),
            directory_id: "d-99a1b2c3d4".into(),
            acs_id: Some("3f2a6c1e-8b4d-4e7a-9c21-5d6e7f8a9b0c".into()),
        }
    );
    let desc = sp.sp.as_ref().unwrap();
    assert_eq!(desc.want_assertions_signed, Some(true));
    assert_eq!(desc.default_acs().unwrap().index, Some(0));
    assert_eq!(
        finding(&sp, Code::MetadataUnsigned).severity,
        Severity::Info
    );

    let aws = load("metadata/aws-signin-sp-metadata.xml");
    assert_eq!(aws.kind, MetadataKind::AwsSignIn);
    assert_eq!(
        finding(&aws, Code::MetadataUnsigned).severity,
        Severity::Warning
    );
    let desc = aws.sp.as_ref().unwrap();
    assert_eq!(
        desc.default_acs().unwrap().location,
        "https://signin.aws.amazon.com/saml"
    );
    let acs = &desc.attribute_consuming[0];
    assert_eq!(acs.service_names, ["AWS Management Console Single Sign-On"]);
    assert_eq!(
        acs.requested_attributes
            .iter()
            .filter(|a| a.is_required)
            .count(),
        2
    );
    assert_eq!(aws.certificates[0].uses, [KeyUse::Encryption]);
    // An SP has no signing key to miss, and its encryption key is no IdP trust.
    assert!(!codes(&aws).contains(&Code::MetadataNoSigningKey));
    assert!(aws.signing_keys().is_empty());
    assert!(aws.valid_until.is_some() && !codes(&aws).contains(&Code::MetadataExpired));
}

#[test]
fn entra_application_rollover_is_reported_with_the_signer() {
    let md = load("metadata/entra-app-rollover-signed.xml");
    assert_eq!(
        md.kind,
        MetadataKind::EntraApplication {
            tenant_id: "5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b".into()
        }
    );
    let old = "1C:12:9F:FE:95:53:63:B9:2A:39:32:07:B9:76:EC:60:08:69:9F:F6";
    let new = "B4:CC:47:85:61:3A:E6:1B:D4:39:91:52:FF:1B:04:3D:10:80:19:B5";
    assert!(matches!(&md.signature,
        SignatureStatus::VerifiedNotAnchored { sha1_thumbprint, .. } if sha1_thumbprint == old));
    let rollover = finding(&md, Code::CertRollover);
    assert!(rollover.message.contains(old) && rollover.message.contains(new));
    assert!(
        rollover.message.contains(&format!("signed by {old}")),
        "{}",
        rollover.message
    );
    // Both keys verify responses during the rollover.
    assert_eq!(md.signing_keys().len(), 2);
    assert_eq!(md.idp_signing_certificates().len(), 2);
    // Entra lists each certificate in its three roles: no duplicate finding.
    assert!(!codes(&md).contains(&Code::CertDuplicate));

    // Anchored by the active certificate; the other one alone does not anchor.
    let mut options = MetadataOptions::at(now());
    options.trusted = trust("fixtures/rsa2048.cert.pem");
    let anchored = load_with("metadata/entra-app-rollover-signed.xml", &options);
    assert!(matches!(
        anchored.signature,
        SignatureStatus::VerifiedAnchored { .. }
    ));
    options.trusted = trust("fixtures/rsa3072.cert.pem");
    let wrong = load_with("metadata/entra-app-rollover-signed.xml", &options);
    assert!(matches!(
        wrong.signature,
        SignatureStatus::Invalid {
            code: Code::SignatureUntrustedKey,
            ..
        }
    ));
}

#[test]
fn tampered_metadata_fails_its_digest() {
    let md = load("metadata/entra-app-rollover-tampered.xml");
    assert!(matches!(
        md.signature,
        SignatureStatus::Invalid {
            code: Code::SignatureDigestMismatch,
            ..
        }
    ));
    let f = finding(&md, Code::MetadataSignatureInvalid);
    assert_eq!(f.severity, Severity::Error);
    assert!(f.expected.is_some() && f.found.is_some());
    assert!(md.certificates.iter().all(|c| !c.signed_metadata));
}

// --- python3-saml vectors: expectations from their MANIFEST

#[test]
fn python3_saml_signed_metadata_settings1() {
    let path = "metadata/python3-saml/signed_metadata_settings1.xml";
    // VALID with the settings1 certificate (SHA-1, RSA-1024: legacy policy).
    let mut options = legacy(MetadataOptions::at(now()));
    options.trusted = trust("metadata/python3-saml/idp_cert_settings1.pem");
    let md = load_with(path, &options);
    assert!(matches!(
        md.signature,
        SignatureStatus::VerifiedAnchored { .. }
    ));
    // "FAIL with validatecert=True": the certificate expired in 2007.
    assert!(codes(&md).contains(&Code::CertExpired));
    // The wrong certificate fails.
    options.trusted = trust("metadata/python3-saml/idp_cert_settings2.pem");
    assert!(matches!(
        load_with(path, &options).signature,
        SignatureStatus::Invalid {
            code: Code::SignatureUntrustedKey,
            ..
        }
    ));
    // The strict default policy refuses SHA-1.
    let mut strict = MetadataOptions::at(now());
    strict.trusted = trust("metadata/python3-saml/idp_cert_settings1.pem");
    assert!(matches!(
        load_with(path, &strict).signature,
        SignatureStatus::Invalid {
            code: Code::SignatureAlgorithmNotAllowed,
            ..
        }
    ));
}

#[test]
fn python3_saml_signed_metadata_settings2_is_refused_by_the_strict_profile() {
    // python3-saml accepts this signature; it sits on the SPSSODescriptor (no
    // ID) with a Reference that has no URI, which the SAML profile we enforce
    // refuses (see testdata/metadata/README.md).
    let mut options = legacy(MetadataOptions::at(now()));
    options.trusted = trust("metadata/python3-saml/idp_cert_settings2.pem");
    let md = load_with(
        "metadata/python3-saml/signed_metadata_settings2.xml",
        &options,
    );
    assert!(matches!(
        md.signature,
        SignatureStatus::Invalid {
            code: Code::SignatureReferenceInvalid,
            ..
        }
    ));
    assert!(
        finding(&md, Code::MetadataUnsigned)
            .message
            .contains("SPSSODescriptor")
    );
}

#[test]
fn python3_saml_expired_metadata() {
    let path = "metadata/python3-saml/expired_metadata_settings1.xml";
    let md = load(path);
    let f = finding(&md, Code::MetadataExpired);
    assert_eq!(f.found.as_deref(), Some("2014-02-22T00:39:43Z"));
    assert_eq!(md.cache_duration.as_deref(), Some("PT1393462294S"));
    // Before validUntil it is fresh.
    let fresh = load_with(path, &MetadataOptions::at(at("2014-01-01T00:00:00Z")));
    assert!(!codes(&fresh).contains(&Code::MetadataExpired));
}

#[test]
fn python3_saml_multi_signing_certs_are_all_trust_anchors() {
    let md = load("metadata/python3-saml/idp_metadata_multi_signing_certs.xml");
    assert_eq!(md.signing_keys().len(), 2);
    assert!(codes(&md).contains(&Code::CertRollover));
    // One certificate is listed twice as a signing key.
    assert!(
        finding(&md, Code::CertDuplicate)
            .message
            .contains("CD:2B:2B:DA:FF:F5:DB:64:10:7C:AC:FD:FE:0F:CB:5D:73:5F:16:07")
    );
    // signing + encryption keys: the encryption-and-signing cert still counts.
    let multi = load("metadata/python3-saml/idp_metadata_multi_certs.xml");
    assert_eq!(multi.signing_keys().len(), 2);
}

#[test]
fn python3_saml_encryption_certificate_is_never_a_signing_key() {
    let md = load("metadata/python3-saml/idp_metadata_different_sign_and_encrypt_cert.xml");
    let keys = md.signing_keys();
    assert_eq!(keys.len(), 1);
    assert_eq!(
        keys.iter().next().unwrap().sha1_thumbprint(),
        "2DA9408828EE67BB4A5BE058A7CC71952D1BC9D3"
    );
    let enc = md
        .certificates
        .iter()
        .find(|c| c.uses == [KeyUse::Encryption])
        .unwrap();
    assert_eq!(
        enc.info.sha1_thumbprint,
        "CD:2B:2B:DA:FF:F5:DB:64:10:7C:AC:FD:FE:0F:CB:5D:73:5F:16:07"
    );
}

#[test]
fn python3_saml_entities_descriptor_selects_by_entity_id() {
    let path = "metadata/python3-saml/idp_multiple_descriptors.xml";
    let first = load(path);
    assert_eq!(
        first.entity_id,
        "https://foo.example.com/access/saml/idp.xml"
    );
    assert_eq!(first.entities_in_document.len(), 2);
    assert!(codes(&first).contains(&Code::MetadataExpired));
    // Its certificates are base64 of PEM text: unreadable, so no signing key.
    assert!(codes(&first).contains(&Code::CertInvalid));
    assert!(codes(&first).contains(&Code::MetadataNoSigningKey));

    let mut options = MetadataOptions::at(now());
    options.entity_id = Some("https://bar.example.com/access/saml/idp.xml".into());
    assert_eq!(
        load_with(path, &options).entity_id,
        options.entity_id.clone().unwrap()
    );
    options.entity_id = Some("https://baz.example.com/".into());
    let err = Metadata::from_bytes(&read(path), &options).unwrap_err();
    assert!(
        matches!(&err, MetadataError::EntityNotFound { available, .. } if available.len() == 2)
    );
    assert_eq!(err.code(), Code::SamlStructure);

    let testshib = "metadata/python3-saml/testshib-providers.xml";
    options.entity_id = Some("https://sp.testshib.org/shibboleth-sp".into());
    let sp = load_with(testshib, &options);
    assert!(sp.sp.is_some() && sp.idp.is_none());
    let idp = load(testshib);
    assert!(
        idp.skipped
            .iter()
            .any(|s| s == "AttributeAuthorityDescriptor")
    );
    assert!(codes(&idp).contains(&Code::MetadataSkipped));
}

#[test]
fn python3_saml_sp_metadata_with_http_endpoints() {
    let md = load("metadata/python3-saml/metadata_settings1.xml");
    assert_eq!(md.kind, MetadataKind::Generic);
    assert_eq!(
        md.findings
            .iter()
            .filter(|f| f.code == Code::MetadataHttpEndpoint)
            .count(),
        2
    );
    assert!(
        md.findings
            .iter()
            .all(|f| f.location.is_some() || f.code == Code::MetadataUnsigned)
    );
}

// --- constructed edge cases

const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

fn inline(xml: &str) -> Result<Metadata, MetadataError> {
    Metadata::from_bytes(xml.as_bytes(), &MetadataOptions::at(now()))
}

#[test]
fn duplicate_entity_id_is_ambiguous() {
    let xml = format!(
        r#"<EntitiesDescriptor xmlns="{MD}"><EntityDescriptor entityID="https://idp/"><IDPSSODescriptor protocolSupportEnumeration="x"/></EntityDescriptor><EntityDescriptor entityID="https://idp/"><IDPSSODescriptor protocolSupportEnumeration="x"/></EntityDescriptor></EntitiesDescriptor>"#
    );
    let mut options = MetadataOptions::at(now());
    options.entity_id = Some("https://idp/".into());
    let err = Metadata::from_bytes(xml.as_bytes(), &options).unwrap_err();
    assert!(
        matches!(err, MetadataError::AmbiguousEntity { .. }),
        "{err}"
    );
    assert!(err.to_finding().location.is_some());
}

#[test]
fn unknown_role_descriptors_and_extensions_are_skipped_not_fatal() {
    let xml = format!(
        r#"<EntityDescriptor xmlns="{MD}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="urn:example" entityID="https://idp/">
  <Extensions><x:Thing/></Extensions>
  <RoleDescriptor xsi:type="x:FutureType" protocolSupportEnumeration="urn:example"/>
  <RoleDescriptor xsi:type="fed:SecurityTokenServiceType" xmlns:fed="urn:not-wsfed" protocolSupportEnumeration="urn:example"/>
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="http://idp/sso"/>
  </IDPSSODescriptor>
</EntityDescriptor>"#
    );
    let md = inline(&xml).unwrap();
    assert_eq!(md.skipped.len(), 3, "{:?}", md.skipped);
    // A fed: prefix bound to another namespace is not Entra's STS.
    assert!(md.security_token_service.is_none());
    let skipped: Vec<_> = md
        .findings
        .iter()
        .filter(|f| f.code == Code::MetadataSkipped)
        .collect();
    assert!(
        skipped
            .iter()
            .all(|f| f.severity == Severity::Info && f.location.is_some())
    );
    assert!(
        finding(&md, Code::MetadataNoSigningKey)
            .message
            .contains("only encryption")
    );
    assert_eq!(
        finding(&md, Code::MetadataHttpEndpoint)
            .location
            .unwrap()
            .line,
        7
    );
}

#[test]
fn not_metadata_is_an_error_with_a_code() {
    let err = inline(r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>"#)
        .unwrap_err();
    assert_eq!(err.code(), Code::SamlNotSaml);
    let err = inline("<EntityDescriptor").unwrap_err();
    assert_eq!(err.code(), Code::XmlMalformed);
    let err = inline(&format!(r#"<EntityDescriptor xmlns="{MD}" entityID=" "/>"#)).unwrap_err();
    assert!(matches!(err, MetadataError::MissingEntityId { .. }));
}

// --- pairing

#[test]
fn identity_center_metadata_against_a_stale_iam_copy() {
    let idc = load("metadata/idc-app-idp-metadata.xml");
    let stale = load("metadata/idc-app-idp-metadata-stale-iam-copy.xml");
    assert!(check_pair(&idc, &idc).is_empty());
    let found = check_pair(&idc, &stale);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, Code::FlowMetadataMismatch);
    assert_eq!(
        found[0].expected.as_deref(),
        Some("1C:12:9F:FE:95:53:63:B9:2A:39:32:07:B9:76:EC:60:08:69:9F:F6")
    );
    assert_eq!(
        found[0].found.as_deref(),
        Some("B4:CC:47:85:61:3A:E6:1B:D4:39:91:52:FF:1B:04:3D:10:80:19:B5")
    );
    // A different entityID is its own mismatch.
    let entra = load("metadata/entra-app-rollover-signed.xml");
    let found = check_pair(&idc, &entra);
    assert!(
        found
            .iter()
            .any(|f| f.expected.as_deref() == Some(idc.entity_id.as_str()))
    );
}

#[test]
fn entra_application_against_identity_center_sp() {
    let entra = load("metadata/entra-app-rollover-signed.xml");
    let sp = load("metadata/idc-sp-metadata.xml");
    assert!(check_pair(&entra, &sp).is_empty());
    assert!(check_pair(&sp, &entra).is_empty());
    // An SP that takes responses only over Redirect, with its ACS in another region.
    let text = String::from_utf8(read("metadata/idc-sp-metadata.xml"))
        .unwrap()
        .replace("bindings:HTTP-POST", "bindings:HTTP-Redirect")
        .replace(
            "https://eu-central-1.signin.aws.amazon.com/platform/saml/acs/",
            "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/",
        );
    let bad = Metadata::from_bytes(text.as_bytes(), &MetadataOptions::at(now())).unwrap();
    let found = check_pair(&entra, &bad);
    let pairs: Vec<(Option<&str>, Option<&str>)> = found
        .iter()
        .map(|f| (f.expected.as_deref(), f.found.as_deref()))
        .collect();
    assert_eq!(
        pairs,
        [
            (Some("HTTP-POST"), Some("HTTP-Redirect")),
            (Some("eu-central-1"), Some("us-east-1")),
        ]
    );
}

#[test]
fn hostile_shapes_do_not_panic_and_stay_bounded() {
    // Non-ASCII right where an "http://" check looks, and a flood of certificates.
    let cert = saml_inspect::cert::parse_certificates(&read("fixtures/ecp256.cert.pem"))
        .unwrap()
        .remove(0);
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&cert.der)
    };
    let kd = format!(
        r#"<KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>{}</ds:X509Data></ds:KeyInfo></KeyDescriptor>"#,
        format!("<ds:X509Certificate>{b64}</ds:X509Certificate>").repeat(300)
    );
    let xml = format!(
        r#"<EntityDescriptor xmlns="{MD}" entityID="é"><IDPSSODescriptor protocolSupportEnumeration="x">{kd}<SingleSignOnService Binding="b" Location="httpéé://x"/></IDPSSODescriptor></EntityDescriptor>"#
    );
    let md = inline(&xml).unwrap();
    assert_eq!(md.certificates.len(), 1);
    assert!(codes(&md).contains(&Code::CertDuplicate));
    assert!(md.skipped.iter().any(|s| s.contains("256th")));
    assert!(!codes(&md).contains(&Code::MetadataHttpEndpoint));
}

#[test]
fn entra_tenant_metadata_is_told_apart_from_common_and_application() {
    // The 2017 common document with a tenant GUID in its entityID: tenant
    // metadata (token-signing keys, not app certificates). The edit breaks
    // the signature, which is reported, not fatal.
    let text = String::from_utf8(read(
        "real-world/aad-common-federationmetadata-2017-signed.xml",
    ))
    .unwrap()
    .replacen(
        "entityID=\"https://sts.windows.net/{tenantid}/\"",
        "entityID=\"https://sts.windows.net/5F1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B/\"",
        1,
    );
    let md = Metadata::from_bytes(text.as_bytes(), &MetadataOptions::at(now())).unwrap();
    assert_eq!(
        md.kind,
        MetadataKind::EntraTenant {
            tenant_id: "5F1A2B3C-4D5E-4F60-8A7B-9C0D1E2F3A4B".into()
        }
    );
    assert_eq!(
        md.roles,
        [
            Role::SecurityTokenService,
            Role::ApplicationService,
            Role::Idp
        ]
    );
    assert!(matches!(
        md.signature,
        SignatureStatus::Invalid {
            code: Code::SignatureDigestMismatch,
            ..
        }
    ));
    let v = serde_json::to_value(&md).unwrap();
    assert_eq!(v["kind"]["type"], "entra_tenant");
    assert_eq!(v["roles"][2], "idp");
    assert_eq!(v["signature"]["status"], "invalid");
    assert_eq!(v["certificates"][0]["roles"].as_array().unwrap().len(), 3);
    assert!(
        v["certificates"][0]["sha256_thumbprint"]
            .as_str()
            .unwrap()
            .len()
            == 95
    );
}

#[test]
fn mutated_documents_never_panic() {
    // Deterministic single-byte mutations over a signed Entra document and an
    // Identity Center one: each either parses (with findings) or is an error.
    for path in [
        "metadata/entra-app-rollover-signed.xml",
        "metadata/idc-app-idp-metadata.xml",
    ] {
        let original = read(path);
        let mut parsed = 0;
        let mut refused = 0;
        for pos in (0..original.len()).step_by(89) {
            for byte in [b'<', b'"', b'x', 0xC3, b'\n'] {
                let mut m = original.clone();
                m[pos] = byte;
                if let Ok(md) = Metadata::from_bytes(&m, &MetadataOptions::at(now())) {
                    parsed += 1;
                    if matches!(md.signature, SignatureStatus::Invalid { .. }) {
                        refused += 1;
                    }
                    // A changed signed document never verifies as intact.
                    if path.contains("signed") && m != original {
                        assert!(
                            !matches!(md.signature, SignatureStatus::VerifiedNotAnchored { .. })
                                || m[pos] == original[pos]
                                || is_insignificant(&original, pos, byte),
                            "{path}: mutation at {pos} to {byte:#x} still verifies"
                        );
                    }
                }
            }
        }
        assert!(parsed > 0, "{path}");
        assert_eq!(refused > 0, path.contains("signed"), "{path}");
    }
}

/// Changes that cannot alter what the signature covers: anything in the
/// Signature's own KeyInfo (the enveloped-signature transform removes the
/// Signature, and KeyInfo is outside SignedInfo; its certificate is only a
/// hint), and whitespace between attributes turned into another whitespace
/// (canonicalization rewrites it).
fn is_insignificant(original: &[u8], pos: usize, byte: u8) -> bool {
    let find = |needle: &[u8]| original.windows(needle.len()).position(|w| w == needle);
    let in_keyinfo = match (
        find(b"<KeyInfo><X509Data>"),
        find(b"</KeyInfo></Signature>"),
    ) {
        (Some(start), Some(end)) => (start..end).contains(&pos),
        _ => false,
    };
    let before = &original[..pos];
    let in_tag = before.iter().rposition(|b| *b == b'<') > before.iter().rposition(|b| *b == b'>');
    let quotes_before_in_tag = before
        .iter()
        .rev()
        .take_while(|b| **b != b'<')
        .filter(|b| **b == b'"')
        .count();
    let between_attributes = in_tag && quotes_before_in_tag % 2 == 0;
    in_keyinfo || (between_attributes && original[pos] == b' ' && byte == b'\n')
}

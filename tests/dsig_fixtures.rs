//! The 12 signed benchmark fixtures verify with their certificate, fail with
//! another one, and the 4 tampered copies fail with the exact code.

use saml_inspect::Code;
use saml_inspect::dsig::{
    Canonicalization, DigestAlgorithm, Policy, SignatureScheme, TransformChain, TrustedKeys,
    verify_element, verify_message,
};
use saml_inspect::xml::{self, Limits};

const KEYS: [&str; 3] = ["rsa2048", "rsa3072", "ecp256"];
const SHAPES: [&str; 4] = ["assertion", "response", "both", "large-assertion"];

fn read(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/testdata/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn trust(key: &str) -> TrustedKeys {
    TrustedKeys::from_pem(read(&format!("{key}.cert.pem")).as_bytes()).unwrap()
}

#[test]
fn all_twelve_verify_with_their_certificate() {
    for key in KEYS {
        let trust = trust(key);
        let thumb = trust.iter().next().unwrap().sha1_thumbprint().to_string();
        for shape in SHAPES {
            let text = read(&format!("{shape}-{key}.xml"));
            let doc = xml::parse(&text, &Limits::default()).unwrap();
            let msg = verify_message(&doc, &trust, &Policy::default())
                .unwrap_or_else(|e| panic!("{shape}-{key}: {e}"));
            assert_eq!(msg.assertions().len(), 1, "{shape}-{key}");
            let a = &msg.assertions()[0];
            assert!(a.is_covered());
            assert_eq!(
                msg.response().is_some(),
                shape == "response" || shape == "both"
            );
            assert_eq!(a.signature().is_some(), shape != "response");
            assert_eq!(
                a.covered_by_response(),
                shape == "response" || shape == "both"
            );
            assert!(msg.warnings().is_empty(), "{:?}", msg.warnings());
            let v = msg.response().or(a.signature()).unwrap();
            assert_eq!(v.key().sha1_thumbprint(), thumb);
            let algs = v.algorithms();
            assert_eq!(algs.canonicalization, Canonicalization::Exclusive);
            assert_eq!(algs.transforms, TransformChain::EnvelopedExclusive);
            assert_eq!(algs.digest, DigestAlgorithm::Sha256);
            let scheme = if key == "ecp256" {
                SignatureScheme::Ecdsa
            } else {
                SignatureScheme::RsaPkcs1
            };
            assert_eq!(algs.signature.scheme, scheme);
            // The element-level API gives the same node.
            let el = if shape == "response" {
                doc.root_element()
            } else {
                a.element()
            };
            let direct = verify_element(&doc, el, &trust, &Policy::default()).unwrap();
            assert_eq!(direct.element(), el);
            assert_eq!(direct.element().attribute("ID"), el.attribute("ID"));
        }
    }
}

#[test]
fn all_twelve_fail_with_another_certificate() {
    for key in KEYS {
        for other in KEYS.iter().filter(|k| **k != key) {
            let wrong = trust(other);
            for shape in SHAPES {
                let text = read(&format!("{shape}-{key}.xml"));
                let doc = xml::parse(&text, &Limits::default()).unwrap();
                let err = verify_message(&doc, &wrong, &Policy::default()).unwrap_err();
                // RSA keys of another size still fit rsa-sha256: KeyInfo names an
                // untrusted certificate. An EC key cannot make rsa-sha256 at all.
                let expected = match (key, *other) {
                    ("ecp256", _) | (_, "ecp256") => Code::SignatureAlgorithmNotAllowed,
                    _ => Code::SignatureUntrustedKey,
                };
                assert_eq!(err.code(), expected, "{shape}-{key} with {other}: {err}");
            }
        }
    }
}

#[test]
fn untrusted_key_names_both_thumbprints() {
    let text = read("assertion-rsa2048.xml");
    let doc = xml::parse(&text, &Limits::default()).unwrap();
    let wrong = trust("rsa3072");
    let right = trust("rsa2048");
    let err = verify_message(&doc, &wrong, &Policy::default()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(wrong.iter().next().unwrap().sha1_thumbprint()),
        "{msg}"
    );
    assert!(
        msg.contains(right.iter().next().unwrap().sha1_thumbprint()),
        "{msg}"
    );
    let f = err.to_finding();
    assert_eq!(f.code, Code::SignatureUntrustedKey);
    assert_eq!(
        f.found.as_deref(),
        Some(right.iter().next().unwrap().sha1_thumbprint())
    );
    assert_eq!(f.location.unwrap().line, 1);
}

#[test]
fn rollover_trust_verifies_each_signer() {
    let mut both = trust("rsa3072");
    both.extend(trust("rsa2048"));
    both.extend(trust("ecp256"));
    for key in KEYS {
        let text = read(&format!("both-{key}.xml"));
        let doc = xml::parse(&text, &Limits::default()).unwrap();
        let msg = verify_message(&doc, &both, &Policy::default()).unwrap();
        let expected = trust(key);
        assert_eq!(
            msg.response().unwrap().key().sha256_thumbprint(),
            expected.iter().next().unwrap().sha256_thumbprint()
        );
    }
}

#[test]
fn tampered_copies_fail_with_the_exact_code() {
    let cases = [
        (
            "tampered-content-assertion-ecp256.xml",
            "ecp256",
            Code::SignatureDigestMismatch,
        ),
        (
            "tampered-content-assertion-rsa2048.xml",
            "rsa2048",
            Code::SignatureDigestMismatch,
        ),
        (
            "tampered-content-both-rsa2048.xml",
            "rsa2048",
            Code::SignatureDigestMismatch,
        ),
        (
            "tampered-sigvalue-assertion-rsa2048.xml",
            "rsa2048",
            Code::SignatureInvalid,
        ),
    ];
    for (file, key, code) in cases {
        let text = read(file);
        let doc = xml::parse(&text, &Limits::default()).unwrap();
        let err = verify_message(&doc, &trust(key), &Policy::default()).unwrap_err();
        assert_eq!(err.code(), code, "{file}: {err}");
    }
}

#[test]
fn no_trust_fails_closed() {
    for shape in SHAPES {
        let text = read(&format!("{shape}-rsa2048.xml"));
        let doc = xml::parse(&text, &Limits::default()).unwrap();
        let err = verify_message(&doc, &TrustedKeys::new(), &Policy::default()).unwrap_err();
        assert_eq!(err.code(), Code::SignatureNoTrustConfigured, "{shape}");
    }
}

#[test]
fn inspect_reports_every_signature() {
    let text = read("both-ecp256.xml");
    let doc = xml::parse(&text, &Limits::default()).unwrap();
    let findings = saml_inspect::dsig::inspect(&doc, &trust("ecp256"), &Policy::default());
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings.iter().all(|f| f.code == Code::SignatureVerified));
    assert!(
        findings[0].message.contains("ecdsa-sha256"),
        "{}",
        findings[0].message
    );
    // Without trust, inspection still checks the digests and warns.
    let findings = saml_inspect::dsig::inspect(&doc, &TrustedKeys::new(), &Policy::default());
    // Two unverifiable signatures, and so an Assertion nothing covers.
    let codes: Vec<_> = findings.iter().map(|f| (f.code, f.severity)).collect();
    let warn = saml_inspect::Severity::Warning;
    assert_eq!(
        codes,
        [
            (Code::SignatureNoTrustConfigured, warn),
            (Code::SignatureNoTrustConfigured, warn),
            (Code::SignatureMissing, warn)
        ]
    );
    // A tampered one shows the digest mismatch even without trust.
    let text = read("tampered-content-both-rsa2048.xml");
    let doc = xml::parse(&text, &Limits::default()).unwrap();
    let findings = saml_inspect::dsig::inspect(&doc, &TrustedKeys::new(), &Policy::default());
    assert!(
        findings
            .iter()
            .any(|f| f.code == Code::SignatureDigestMismatch),
        "{findings:?}"
    );
}

fn real_world(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/testdata/real-world/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The certificate in the document's first Signature KeyInfo. Test-only:
/// the library never trusts a document's own certificate; here we pin it
/// by hand, as a user who downloaded it would.
fn keyinfo_certificate(text: &str) -> TrustedKeys {
    let start = text.find("<X509Certificate>").unwrap() + "<X509Certificate>".len();
    let end = start + text[start..].find("</X509Certificate>").unwrap();
    TrustedKeys::from_base64_certificate(&text[start..end]).unwrap()
}

#[test]
fn real_entra_metadata_verifies_with_its_pinned_certificate() {
    let text = real_world("aad-common-federationmetadata-2017-signed.xml");
    let doc = xml::parse(&text, &Limits::default()).unwrap();
    let trust = keyinfo_certificate(&text);
    let msg = verify_message(&doc, &trust, &Policy::default()).unwrap();
    let v = msg.response().expect("the EntityDescriptor's signature");
    assert_eq!(v.element(), doc.root_element());
    assert!(msg.assertions().is_empty());
    // The same metadata with one character of an endpoint changed.
    let tampered = text.replacen(
        "https://login.microsoftonline.com/common/saml2",
        "https://login.microsoftonline.com/common/saml3",
        1,
    );
    assert_ne!(tampered, text);
    let doc = xml::parse(&tampered, &Limits::default()).unwrap();
    let err = verify_message(&doc, &trust, &Policy::default()).unwrap_err();
    assert_eq!(err.code(), Code::SignatureDigestMismatch);
}

#[test]
fn real_entra_assertion_pretty_printed_after_signing_fails_its_digest() {
    let text = real_world("aad-saml2-assertion-signed-2017.xml");
    let doc = xml::parse(&text, &Limits::default()).unwrap();
    let trust = keyinfo_certificate(&text);
    let err = verify_message(&doc, &trust, &Policy::default()).unwrap_err();
    assert_eq!(err.code(), Code::SignatureDigestMismatch, "{err}");
}

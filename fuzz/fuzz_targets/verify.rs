//! Structure-aware signature fuzzing: start from a signed fixture, apply the
//! fuzzer's bytes as edits (replace, insert, delete, copy a range elsewhere,
//! insert an XML token that keeps the document well-formed), then verify
//! with the fixture's certificate through `dsig::verify_message` and
//! `verify::verify`.
//!
//! The invariant asserted: **whatever still verifies signs exactly the
//! fixture's bytes.** For every signature `dsig::verify_message` accepts,
//! the signed element's exclusive canonical form without comments, minus its
//! own enveloped Signature (the fixtures' transforms: that is the digest
//! input), must equal the canonical form of the fixture's element with the
//! same ID. And when `verify::verify` accepts, the assertion it returns
//! reads exactly as the fixture's (`AssertionSummary`) and names the same
//! key. So an edit may survive only where the signature does not reach:
//! whitespace in SignatureValue, KeyInfo, comments (dropped by c14n), or the
//! unsigned Response around an assertion-signed Assertion.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use saml_inspect::dsig::{TrustedKeys, verify_message};
use saml_inspect::inspect::AssertionSummary;
use saml_inspect::verify::{VerifyOptions, verify};
use saml_inspect::xml::c14n::{self, Method};
use saml_inspect::xml::{Limits, Node, parse_bytes};

#[path = "common/edits.rs"]
mod edits;

use edits::{FIXTURES, apply_edits};

struct Expected {
    options: VerifyOptions,
    /// (ID, canonical form without the enveloped Signature) of each element
    /// a signature of the unedited fixture covers.
    signed: Vec<(String, Vec<u8>)>,
    summary: AssertionSummary,
    signer: String,
}

fn signed_form(element: Node<'_, '_>, signature: Node<'_, '_>) -> Vec<u8> {
    // An Err yields an empty vector, which no verifying document matches.
    c14n::to_vec(element, Some(signature.id()), &Method::exclusive(false)).unwrap_or_default()
}

fn expected() -> &'static Vec<Expected> {
    static EXPECTED: OnceLock<Vec<Expected>> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        FIXTURES
            .iter()
            .map(|(xml, cert)| {
                let trust = TrustedKeys::from_pem(cert).expect("fixture certificate");
                let options = VerifyOptions {
                    trust,
                    ..VerifyOptions::default()
                };
                let doc = parse_bytes(xml, &options.xml).expect("fixture parses");
                let message = verify_message(&doc, &options.trust, &options.policy)
                    .expect("fixture verifies");
                let mut signed = Vec::new();
                let all = message
                    .response()
                    .into_iter()
                    .chain(message.assertions().iter().filter_map(|a| a.signature()));
                for v in all {
                    let id = v
                        .element()
                        .attribute("ID")
                        .expect("signed element has an ID");
                    signed.push((id.to_string(), signed_form(v.element(), v.signature())));
                }
                let verified = verify(xml, &options).expect("fixture verifies");
                Expected {
                    signed,
                    summary: verified.summary(),
                    signer: verified.verified_by.sha256_thumbprint,
                    options,
                }
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let [pick, edits @ ..] = data else { return };
    let fixtures = expected();
    let index = usize::from(*pick) % FIXTURES.len();
    let (Some((xml, _)), Some(expect)) = (FIXTURES.get(index), fixtures.get(index)) else {
        return;
    };
    let mut doc_bytes = xml.to_vec();
    apply_edits(&mut doc_bytes, edits);

    if let Ok(doc) = parse_bytes(&doc_bytes, &Limits::default()) {
        if let Ok(message) = verify_message(&doc, &expect.options.trust, &expect.options.policy) {
            let all = message
                .response()
                .into_iter()
                .chain(message.assertions().iter().filter_map(|a| a.signature()));
            for v in all {
                let id = v.element().attribute("ID").unwrap_or_default();
                let original = expect.signed.iter().find(|(i, _)| i == id);
                let Some((_, original)) = original else {
                    panic!("a signature verified over ID {id:?}, which the fixture never signed");
                };
                assert!(
                    signed_form(v.element(), v.signature()) == *original,
                    "a signature verified over changed content of ID {id:?}"
                );
            }
        }
    }

    if let Ok(verified) = verify(&doc_bytes, &expect.options) {
        assert_eq!(
            verified.summary(), expect.summary,
            "verify returned a changed assertion"
        );
        assert_eq!(verified.verified_by.sha256_thumbprint, expect.signer);
    }
});

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
use saml_inspect::xml::{Limits, parse_bytes};

const RSA_CERT: &[u8] = include_bytes!("../../testdata/fixtures/rsa2048.cert.pem");
const EC_CERT: &[u8] = include_bytes!("../../testdata/fixtures/ecp256.cert.pem");

/// The signed fixtures and the certificate that signed each.
const FIXTURES: [(&[u8], &[u8]); 4] = [
    (
        include_bytes!("../../testdata/fixtures/assertion-rsa2048.xml"),
        RSA_CERT,
    ),
    (
        include_bytes!("../../testdata/fixtures/response-rsa2048.xml"),
        RSA_CERT,
    ),
    (
        include_bytes!("../../testdata/fixtures/both-rsa2048.xml"),
        RSA_CERT,
    ),
    (
        include_bytes!("../../testdata/fixtures/both-ecp256.xml"),
        EC_CERT,
    ),
];

/// Tokens that keep a document well-formed when inserted between tags or
/// inside text, so edits reach the signature checks instead of the parser.
const TOKENS: [&[u8]; 12] = [
    b" ",
    b"\n",
    b"\r\n",
    b"<!--x-->",
    b"<?pi x?>",
    b"&#x20;",
    b"&amp;",
    b"<x/>",
    b"<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_evil\"/>",
    b" ID=\"_dup\"",
    b"xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ",
    b"<![CDATA[x]]>",
];

/// At most this many edits per input: enough to combine a few, few enough
/// that most inputs stay close to a verifying document.
const MAX_EDITS: usize = 8;

struct Expected {
    options: VerifyOptions,
    /// (ID, canonical form without the enveloped Signature) of each element
    /// a signature of the unedited fixture covers.
    signed: Vec<(String, Vec<u8>)>,
    summary: AssertionSummary,
    signer: String,
}

fn signed_form(element: roxmltree::Node<'_, '_>, signature: roxmltree::Node<'_, '_>) -> Vec<u8> {
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
                    summary: verified.summary,
                    signer: verified.verified_by.sha256_thumbprint,
                    options,
                }
            })
            .collect()
    })
}

/// Reads a position scaled to `len` from two bytes, so edits reach the
/// whole document whatever its size.
fn position(hi: u8, lo: u8, len: usize) -> usize {
    (usize::from(u16::from_be_bytes([hi, lo])) * (len + 1)) >> 16
}

/// Applies the edits `data` describes to `doc`. Each edit is
/// `[kind, pos_hi, pos_lo, n, ...]`; payloads come from the input.
fn apply_edits(doc: &mut Vec<u8>, mut data: &[u8]) {
    for _ in 0..MAX_EDITS {
        let [kind, hi, lo, n, rest @ ..] = data else {
            return;
        };
        data = rest;
        let at = position(*hi, *lo, doc.len());
        let n = usize::from(*n);
        match kind % 6 {
            // Replace up to n bytes at `at` with the next n input bytes.
            0 => {
                let take = n.min(data.len());
                let (payload, rest) = data.split_at(take);
                data = rest;
                let end = (at + take).min(doc.len());
                doc.splice(at..end, payload.iter().copied());
            }
            // Insert the next n input bytes at `at`.
            1 => {
                let take = n.min(data.len());
                let (payload, rest) = data.split_at(take);
                data = rest;
                doc.splice(at..at, payload.iter().copied());
            }
            // Delete n bytes at `at`.
            2 => {
                let end = (at + n).min(doc.len());
                doc.drain(at..end);
            }
            // Copy n*16 bytes from `at` to a second position (wrapping,
            // duplicating elements: the shape of signature wrapping).
            3 => {
                let [hi2, lo2, rest @ ..] = data else { return };
                data = rest;
                let end = (at + n * 16).min(doc.len());
                let copied = doc.get(at..end).map(<[u8]>::to_vec).unwrap_or_default();
                let to = position(*hi2, *lo2, doc.len());
                doc.splice(to..to, copied);
            }
            // Insert a well-formedness-friendly token.
            4 => {
                let token = TOKENS[n % TOKENS.len()];
                doc.splice(at..at, token.iter().copied());
            }
            // Flip one byte's low bits: a near-miss character.
            _ => {
                if let Some(b) = doc.get_mut(at) {
                    *b ^= (n as u8 & 0x07).max(1);
                }
            }
        }
    }
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
            verified.summary, expect.summary,
            "verify returned a changed assertion"
        );
        assert_eq!(verified.verified_by.sha256_thumbprint, expect.signer);
    }
});

//! XML signatures, verified strictly for the SAML signature profile.
//!
//! A SAML signature is an *enveloped* `ds:Signature` that is a direct child of
//! the element it signs and names that element by its `ID`:
//!
//! ```text
//! <Assertion ID="_a1">
//!   <Issuer>…</Issuer>
//!   <ds:Signature>
//!     <ds:SignedInfo>
//!       <ds:CanonicalizationMethod Algorithm="…xml-exc-c14n#"/>
//!       <ds:SignatureMethod Algorithm="…#rsa-sha256"/>
//!       <ds:Reference URI="#_a1">
//!         <ds:Transforms>
//!           <ds:Transform Algorithm="…#enveloped-signature"/>
//!           <ds:Transform Algorithm="…xml-exc-c14n#"/>
//!         </ds:Transforms>
//!         <ds:DigestMethod Algorithm="…xmlenc#sha256"/>
//!         <ds:DigestValue>…</ds:DigestValue>
//!       </ds:Reference>
//!     </ds:SignedInfo>
//!     <ds:SignatureValue>…</ds:SignatureValue>
//!     <ds:KeyInfo>…</ds:KeyInfo>            (optional, only a hint)
//!   </ds:Signature>
//!   …
//! </Assertion>
//! ```
//!
//! Only this shape is accepted (no `Object`, no `Manifest`, exactly one
//! `Reference`, only the transforms above; see [`algorithm`] for the
//! algorithm allow-list). The checks run in a fixed order, all before any
//! public-key operation: the shape of the Signature, the algorithms against
//! the [`Policy`], the uniqueness of every ID in the document, the Reference
//! target, whether a trusted key of the right type and size exists, the
//! digest, and only then the signature with the caller's [`TrustedKeys`]. A certificate in `KeyInfo` is never trusted: it only picks
//! which trusted key to try first and explains a failure.
//!
//! Decisions pinned by tests (`tests/dsig_attacks.rs`):
//!
//! - A Signature that verifies cryptographically but sits elsewhere than
//!   right after the leading `Issuer` is refused (`signature.structure`).
//! - `URI=""` is refused for every signature, Response-level included.
//! - Any identifier-like attribute value (`ID`, `Id`, `id`, `AssertionID`,
//!   `ResponseID`, `xml:id`, `wsu:Id`) repeated anywhere refuses the
//!   document; only `ID` resolves a Reference.
//! - KeyInfo is a hint: a document whose KeyInfo carries another (or a
//!   garbage) certificate still verifies with the trusted key; when no
//!   trusted key verifies, a KeyInfo certificate we do not trust makes the
//!   error `signature.untrusted_key` with both thumbprints.
//! - ECDSA: any of P-256/384/521 with any of SHA-256/384/512; the value is raw
//!   `r || s` of exactly twice the field size (DER only with
//!   [`Policy::allow_der_ecdsa_signature`]). `(r, n - s)` verifies as ECDSA
//!   does: replay caches must key on the Assertion ID, never on the value.
//! - RSA-PSS (RFC 6931 `…-rsa-MGF1` URIs): MGF1 with the signature's hash and
//!   a salt as long as the hash.
//! - The `#WithComments` algorithms and c14n 1.1 are refused.
//!
//! [`verify_element`] returns a [`Verified`] handle: the only way to reach the
//! signed element. [`verify_message`] applies this to a SAML message (the
//! Response and its Assertions, or metadata), and [`inspect`] reports on every
//! Signature in a document without stopping at the first problem.

pub mod algorithm;
mod ids;
mod message;
mod signature;
mod trust;
mod verify;

use crate::codes::Code;
use crate::report::{Finding, Location};

pub use algorithm::{
    Algorithms, Canonicalization, DigestAlgorithm, Policy, SignatureAlgorithm, SignatureScheme,
    TransformChain,
};
pub use message::{MessageAssertion, VerifiedMessage, inspect, verify_message};
pub use trust::{EcCurve, KeyKind, TrustError, TrustedKey, TrustedKeys};
pub use verify::{Verified, verify_element};

/// Why a signature was not accepted. Every variant maps to one finding code
/// ([`DsigError::code`]) and carries the location of the offending element.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DsigError {
    /// The element has no Signature where one is required.
    #[error("no signature on {element} at {location}")]
    Missing {
        /// The element that should carry a signature.
        element: String,
        /// Where that element starts.
        location: Location,
    },
    /// The Signature does not have the shape the SAML profile requires.
    #[error("malformed signature at {location}: {detail}")]
    Structure {
        /// What is wrong.
        detail: String,
        /// Where.
        location: Location,
    },
    /// The Reference does not point at the Signature's parent by its `ID`.
    #[error("invalid Reference at {location}: {detail}")]
    ReferenceInvalid {
        /// What is wrong.
        detail: String,
        /// Where the Reference is.
        location: Location,
    },
    /// An ID value appears more than once in the document.
    #[error("the ID \"{id}\" appears at {first} and again at {location}")]
    DuplicateId {
        /// The repeated value.
        id: String,
        /// Where it appears first.
        first: Location,
        /// Where it appears again.
        location: Location,
    },
    /// A transform outside the allow-list.
    #[error("transform not allowed at {location}: {detail}")]
    TransformNotAllowed {
        /// Which transform or chain, and why.
        detail: String,
        /// Where.
        location: Location,
    },
    /// An algorithm (or key) the policy refuses.
    #[error("algorithm not allowed at {location}: {detail}")]
    AlgorithmNotAllowed {
        /// Which algorithm and why.
        detail: String,
        /// Where.
        location: Location,
    },
    /// The referenced element's digest differs from the DigestValue.
    #[error(
        "the signed element was changed after signing: its {algorithm} digest is {computed}, the signature says {expected} (at {location})"
    )]
    DigestMismatch {
        /// The digest algorithm's name.
        algorithm: &'static str,
        /// The DigestValue, base64.
        expected: String,
        /// The digest computed over the element, base64.
        computed: String,
        /// Where the DigestValue is.
        location: Location,
    },
    /// The SignatureValue does not verify.
    #[error("the signature does not verify at {location}: {detail}")]
    Invalid {
        /// Which keys were tried.
        detail: String,
        /// Where the SignatureValue is.
        location: Location,
    },
    /// KeyInfo names a certificate that is not trusted, and no trusted key verifies.
    #[error(
        "the signature was not made by a trusted key: expected one of SHA-1 thumbprints {}; the signature's KeyInfo carries {} (at {location})",
        expected.join(", "),
        found.join(", ")
    )]
    UntrustedKey {
        /// SHA-1 thumbprints of the trusted certificates.
        expected: Vec<String>,
        /// SHA-1 thumbprints of the certificates in KeyInfo.
        found: Vec<String>,
        /// Where the Signature is.
        location: Location,
    },
    /// No trusted key was configured: nothing can be verified (fail closed).
    #[error(
        "no trusted certificate is configured, so the signature at {location} cannot be verified"
    )]
    NoTrustConfigured {
        /// Where the Signature is.
        location: Location,
    },
}

impl DsigError {
    /// The finding code for this error.
    pub fn code(&self) -> Code {
        match self {
            DsigError::Missing { .. } => Code::SignatureMissing,
            DsigError::Structure { .. } => Code::SignatureStructure,
            DsigError::ReferenceInvalid { .. } => Code::SignatureReferenceInvalid,
            DsigError::DuplicateId { .. } => Code::SignatureDuplicateId,
            DsigError::TransformNotAllowed { .. } => Code::SignatureTransformNotAllowed,
            DsigError::AlgorithmNotAllowed { .. } => Code::SignatureAlgorithmNotAllowed,
            DsigError::DigestMismatch { .. } => Code::SignatureDigestMismatch,
            DsigError::Invalid { .. } => Code::SignatureInvalid,
            DsigError::UntrustedKey { .. } => Code::SignatureUntrustedKey,
            DsigError::NoTrustConfigured { .. } => Code::SignatureNoTrustConfigured,
        }
    }

    /// Where in the input the problem is.
    pub fn location(&self) -> Location {
        match self {
            DsigError::Missing { location, .. }
            | DsigError::Structure { location, .. }
            | DsigError::ReferenceInvalid { location, .. }
            | DsigError::DuplicateId { location, .. }
            | DsigError::TransformNotAllowed { location, .. }
            | DsigError::AlgorithmNotAllowed { location, .. }
            | DsigError::DigestMismatch { location, .. }
            | DsigError::Invalid { location, .. }
            | DsigError::UntrustedKey { location, .. }
            | DsigError::NoTrustConfigured { location } => *location,
        }
    }

    /// The error as a finding (with expected and found values where the
    /// error compares two).
    pub fn to_finding(&self) -> Finding {
        let finding = Finding::new(self.code(), self.to_string()).at(self.location());
        match self {
            DsigError::DigestMismatch {
                expected, computed, ..
            } => finding.expected_found(expected.clone(), computed.clone()),
            DsigError::UntrustedKey {
                expected, found, ..
            } => {
                finding.expected_found(format!("one of {}", expected.join(", ")), found.join(", "))
            }
            _ => finding,
        }
    }
}

/// Upper-case hex, the way Entra and Windows show thumbprints.
pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02X}");
    }
    s
}

/// Decodes base64 after removing XML whitespace (line breaks every 64 or 76
/// characters are common in SignatureValue, DigestValue and certificates).
/// Text without whitespace (Entra's) is decoded in place, without a copy.
pub(crate) fn decode_base64_xml(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::Engine as _;
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bytes = text.as_bytes();
    let engine = base64::engine::general_purpose::STANDARD;
    if !bytes.iter().any(is_space) {
        return engine.decode(bytes);
    }
    let compact: Vec<u8> = bytes.iter().copied().filter(|b| !is_space(b)).collect();
    engine.decode(compact)
}

/// Standard base64.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

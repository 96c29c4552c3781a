//! Algorithm identifiers and the policy that decides which ones are accepted.
//!
//! Every URI the verifier understands is a constant here, and every accepted
//! algorithm is a variant of a closed enum: an unknown URI can never fall back
//! to a default (ruby-saml once mapped "anything else" to SHA-1). What is
//! accepted is an explicit allow-list:
//!
//! | role | accepted | only with [`Policy::allow_sha1`] |
//! |---|---|---|
//! | SignatureMethod | rsa-sha256/384/512, ecdsa-sha256/384/512, sha256/384/512-rsa-MGF1 (RSA-PSS) | rsa-sha1, ecdsa-sha1, sha1-rsa-MGF1 |
//! | DigestMethod | sha256, sha384, sha512 | sha1 |
//! | CanonicalizationMethod | exc-c14n, c14n 1.0 (both without comments) | |
//!
//! HMAC, DSA, MD5, the `#WithComments` variants, c14n 1.1 and anything
//! unknown are refused with `signature.algorithm_not_allowed`.

use openssl::hash::MessageDigest;

/// `http://www.w3.org/2000/09/xmldsig#rsa-sha1` (SHA-1: only with [`Policy::allow_sha1`]).
pub const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
/// `http://www.w3.org/2001/04/xmldsig-more#rsa-sha256`.
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
/// `http://www.w3.org/2001/04/xmldsig-more#rsa-sha384`.
pub const RSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
/// `http://www.w3.org/2001/04/xmldsig-more#rsa-sha512`.
pub const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
/// `http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1` (SHA-1).
pub const ECDSA_SHA1: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1";
/// `http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256`.
pub const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
/// `http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384`.
pub const ECDSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
/// `http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512`.
pub const ECDSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
/// RSASSA-PSS with SHA-1 and MGF1-SHA-1 (RFC 6931 2.3.10; SHA-1).
pub const RSA_PSS_SHA1_MGF1: &str = "http://www.w3.org/2007/05/xmldsig-more#sha1-rsa-MGF1";
/// RSASSA-PSS with SHA-256 and MGF1-SHA-256, salt of 32 bytes (RFC 6931 2.3.10).
pub const RSA_PSS_SHA256_MGF1: &str = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1";
/// RSASSA-PSS with SHA-384 and MGF1-SHA-384, salt of 48 bytes.
pub const RSA_PSS_SHA384_MGF1: &str = "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1";
/// RSASSA-PSS with SHA-512 and MGF1-SHA-512, salt of 64 bytes.
pub const RSA_PSS_SHA512_MGF1: &str = "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1";

/// `http://www.w3.org/2000/09/xmldsig#sha1` (SHA-1).
pub const DIGEST_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
/// `http://www.w3.org/2001/04/xmlenc#sha256`.
pub const DIGEST_SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
/// `http://www.w3.org/2001/04/xmldsig-more#sha384`.
pub const DIGEST_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#sha384";
/// `http://www.w3.org/2001/04/xmlenc#sha512`.
pub const DIGEST_SHA512: &str = "http://www.w3.org/2001/04/xmlenc#sha512";

/// Exclusive XML canonicalization 1.0, without comments.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Exclusive XML canonicalization 1.0, with comments (refused).
pub const EXC_C14N_WITH_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
/// Canonical XML 1.0, without comments (accepted for legacy identity providers).
pub const C14N10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// Canonical XML 1.0, with comments (refused).
pub const C14N10_WITH_COMMENTS: &str =
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// Canonical XML 1.1 (refused).
pub const C14N11: &str = "http://www.w3.org/2006/12/xml-c14n11";
/// The enveloped-signature transform.
pub const ENVELOPED_SIGNATURE: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// Known URIs that are refused on purpose, with the reason given to people.
const REFUSED: &[(&str, &str)] = &[
    (
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
        "HMAC is a shared-secret MAC; with a public certificate as the key anyone can forge it",
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
        "HMAC is a shared-secret MAC; with a public certificate as the key anyone can forge it",
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384",
        "HMAC is a shared-secret MAC; with a public certificate as the key anyone can forge it",
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512",
        "HMAC is a shared-secret MAC; with a public certificate as the key anyone can forge it",
    ),
    (
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
        "DSA is deprecated",
    ),
    (
        "http://www.w3.org/2009/xmldsig11#dsa-sha256",
        "DSA is deprecated",
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
        "MD5 is broken",
    ),
    (
        "http://www.w3.org/2001/04/xmldsig-more#md5",
        "MD5 is broken",
    ),
    (
        EXC_C14N_WITH_COMMENTS,
        "the #WithComments variants are not used by the SAML profile",
    ),
    (
        C14N10_WITH_COMMENTS,
        "the #WithComments variants are not used by the SAML profile",
    ),
    (C14N11, "Canonical XML 1.1 is not used by the SAML profile"),
];

/// Why a URI is refused, for the error message.
pub(crate) fn refusal_reason(uri: &str) -> &'static str {
    REFUSED
        .iter()
        .find(|(u, _)| *u == uri)
        .map_or("it is not on the allow-list", |(_, why)| why)
}

/// What the caller accepts beyond the safe defaults.
///
/// ```
/// use saml_inspect::dsig::Policy;
/// let strict = Policy::default();
/// assert!(!strict.allow_sha1);
/// let legacy = Policy { allow_sha1: true, ..Policy::default() };
/// assert!(legacy.allow_sha1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Accept rsa-sha1, ecdsa-sha1, sha1-rsa-MGF1 and the sha1 digest
    /// (Entra and ADFS can be configured to sign with SHA-1). Off by default:
    /// SHA-1 collisions are practical.
    pub allow_sha1: bool,
    /// Accept trusted RSA keys of 1024 to 2047 bits. Off by default: such
    /// keys are within reach of well-funded attackers.
    pub allow_weak_rsa_1024: bool,
    /// Accept an ECDSA SignatureValue encoded as ASN.1 DER (as goxmldsig
    /// writes it) in addition to the raw `r || s` XML-DSig requires. Off by
    /// default: two encodings of one signature invite confusion.
    pub allow_der_ecdsa_signature: bool,
}

impl Policy {
    /// The smallest RSA modulus, in bits, this policy accepts.
    pub fn min_rsa_bits(&self) -> u32 {
        if self.allow_weak_rsa_1024 { 1024 } else { 2048 }
    }
}

/// A digest algorithm on the allow-list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// SHA-1 (only with [`Policy::allow_sha1`]).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm a DigestMethod URI names, if it is one we know.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Some(match uri {
            DIGEST_SHA1 => DigestAlgorithm::Sha1,
            DIGEST_SHA256 => DigestAlgorithm::Sha256,
            DIGEST_SHA384 => DigestAlgorithm::Sha384,
            DIGEST_SHA512 => DigestAlgorithm::Sha512,
            _ => return None,
        })
    }

    /// The URI naming this algorithm as a DigestMethod.
    pub fn uri(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha1 => DIGEST_SHA1,
            DigestAlgorithm::Sha256 => DIGEST_SHA256,
            DigestAlgorithm::Sha384 => DIGEST_SHA384,
            DigestAlgorithm::Sha512 => DIGEST_SHA512,
        }
    }

    /// A short name, e.g. `sha256`.
    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha1 => "sha1",
            DigestAlgorithm::Sha256 => "sha256",
            DigestAlgorithm::Sha384 => "sha384",
            DigestAlgorithm::Sha512 => "sha512",
        }
    }

    /// The OpenSSL digest.
    pub(crate) fn message_digest(self) -> MessageDigest {
        match self {
            DigestAlgorithm::Sha1 => MessageDigest::sha1(),
            DigestAlgorithm::Sha256 => MessageDigest::sha256(),
            DigestAlgorithm::Sha384 => MessageDigest::sha384(),
            DigestAlgorithm::Sha512 => MessageDigest::sha512(),
        }
    }

    /// The DER `DigestInfo` header that precedes the hash in an RSA PKCS#1
    /// v1.5 signature (RFC 8017 §9.2, note 1: parameters NULL, as OpenSSL
    /// and every XML-DSig signer write them).
    pub(crate) fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            DigestAlgorithm::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            DigestAlgorithm::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            DigestAlgorithm::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            DigestAlgorithm::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            DigestAlgorithm::Sha1 => 20,
            DigestAlgorithm::Sha256 => 32,
            DigestAlgorithm::Sha384 => 48,
            DigestAlgorithm::Sha512 => 64,
        }
    }

    /// True for SHA-1.
    pub fn is_sha1(self) -> bool {
        self == DigestAlgorithm::Sha1
    }
}

/// The family of public-key scheme a signature algorithm uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5.
    RsaPkcs1,
    /// RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash.
    RsaPss,
    /// ECDSA, XML-DSig encoding (`r || s`).
    Ecdsa,
}

/// A signature algorithm on the allow-list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SignatureAlgorithm {
    /// The public-key scheme.
    pub scheme: SignatureScheme,
    /// The hash the scheme signs.
    pub digest: DigestAlgorithm,
}

impl SignatureAlgorithm {
    const ALL: [(&'static str, SignatureScheme, DigestAlgorithm); 12] = [
        (RSA_SHA1, SignatureScheme::RsaPkcs1, DigestAlgorithm::Sha1),
        (
            RSA_SHA256,
            SignatureScheme::RsaPkcs1,
            DigestAlgorithm::Sha256,
        ),
        (
            RSA_SHA384,
            SignatureScheme::RsaPkcs1,
            DigestAlgorithm::Sha384,
        ),
        (
            RSA_SHA512,
            SignatureScheme::RsaPkcs1,
            DigestAlgorithm::Sha512,
        ),
        (ECDSA_SHA1, SignatureScheme::Ecdsa, DigestAlgorithm::Sha1),
        (
            ECDSA_SHA256,
            SignatureScheme::Ecdsa,
            DigestAlgorithm::Sha256,
        ),
        (
            ECDSA_SHA384,
            SignatureScheme::Ecdsa,
            DigestAlgorithm::Sha384,
        ),
        (
            ECDSA_SHA512,
            SignatureScheme::Ecdsa,
            DigestAlgorithm::Sha512,
        ),
        (
            RSA_PSS_SHA1_MGF1,
            SignatureScheme::RsaPss,
            DigestAlgorithm::Sha1,
        ),
        (
            RSA_PSS_SHA256_MGF1,
            SignatureScheme::RsaPss,
            DigestAlgorithm::Sha256,
        ),
        (
            RSA_PSS_SHA384_MGF1,
            SignatureScheme::RsaPss,
            DigestAlgorithm::Sha384,
        ),
        (
            RSA_PSS_SHA512_MGF1,
            SignatureScheme::RsaPss,
            DigestAlgorithm::Sha512,
        ),
    ];

    /// The algorithm a SignatureMethod URI names, if it is one we know.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(u, _, _)| *u == uri)
            .map(|&(_, scheme, digest)| SignatureAlgorithm { scheme, digest })
    }

    /// The URI naming this algorithm as a SignatureMethod.
    pub fn uri(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s, d)| *s == self.scheme && *d == self.digest)
            .map_or("", |(u, _, _)| u)
    }

    /// A short name, e.g. `rsa-sha256`, `ecdsa-sha384`, `rsa-pss-sha256`.
    pub fn name(self) -> String {
        let scheme = match self.scheme {
            SignatureScheme::RsaPkcs1 => "rsa",
            SignatureScheme::RsaPss => "rsa-pss",
            SignatureScheme::Ecdsa => "ecdsa",
        };
        format!("{scheme}-{}", self.digest.name())
    }

    /// True when the hash is SHA-1.
    pub fn is_sha1(self) -> bool {
        self.digest.is_sha1()
    }
}

/// A canonicalization algorithm on the allow-list (comments never kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Canonicalization {
    /// Exclusive XML canonicalization 1.0.
    Exclusive,
    /// Canonical XML 1.0 (inclusive), used by some legacy identity providers.
    Inclusive,
}

impl Canonicalization {
    /// The algorithm a URI names, if it is on the allow-list.
    pub fn from_uri(uri: &str) -> Option<Self> {
        match uri {
            EXC_C14N => Some(Canonicalization::Exclusive),
            C14N10 => Some(Canonicalization::Inclusive),
            _ => None,
        }
    }

    /// The URI of this algorithm.
    pub fn uri(self) -> &'static str {
        match self {
            Canonicalization::Exclusive => EXC_C14N,
            Canonicalization::Inclusive => C14N10,
        }
    }
}

/// The transform chain of the Reference, one of the accepted shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransformChain {
    /// `[enveloped-signature, exc-c14n]` (the SAML profile's chain).
    EnvelopedExclusive,
    /// `[enveloped-signature]` alone: the node-set is serialised with Canonical XML 1.0.
    EnvelopedOnly,
    /// `[enveloped-signature, c14n 1.0]` (legacy identity providers).
    EnvelopedInclusive,
}

/// The algorithms a verified signature used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Algorithms {
    /// The SignedInfo's CanonicalizationMethod.
    pub canonicalization: Canonicalization,
    /// The SignatureMethod.
    pub signature: SignatureAlgorithm,
    /// The Reference's DigestMethod.
    pub digest: DigestAlgorithm,
    /// The Reference's transforms.
    pub transforms: TransformChain,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_uri_round_trips() {
        for (uri, scheme, digest) in SignatureAlgorithm::ALL {
            let alg = SignatureAlgorithm::from_uri(uri).unwrap();
            assert_eq!((alg.scheme, alg.digest), (scheme, digest));
            assert_eq!(alg.uri(), uri);
        }
        for d in [
            DigestAlgorithm::Sha1,
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ] {
            assert_eq!(DigestAlgorithm::from_uri(d.uri()), Some(d));
            assert_eq!(d.message_digest().size(), d.output_len());
        }
    }

    #[test]
    fn refused_and_unknown_uris_have_no_algorithm() {
        for (uri, _) in REFUSED {
            assert!(SignatureAlgorithm::from_uri(uri).is_none(), "{uri}");
            assert!(DigestAlgorithm::from_uri(uri).is_none(), "{uri}");
            assert!(Canonicalization::from_uri(uri).is_none(), "{uri}");
        }
        assert!(refusal_reason("http://www.w3.org/2000/09/xmldsig#hmac-sha1").contains("HMAC"));
        assert_eq!(refusal_reason("urn:x"), "it is not on the allow-list");
        assert!(SignatureAlgorithm::from_uri("urn:x").is_none());
    }

    #[test]
    fn policy_defaults_are_strict() {
        let p = Policy::default();
        assert!(!p.allow_sha1 && !p.allow_weak_rsa_1024 && !p.allow_der_ecdsa_signature);
        assert_eq!(p.min_rsa_bits(), 2048);
        let weak = Policy {
            allow_weak_rsa_1024: true,
            ..Policy::default()
        };
        assert_eq!(weak.min_rsa_bits(), 1024);
    }
}

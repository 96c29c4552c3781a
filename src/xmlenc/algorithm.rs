//! The XML Encryption algorithms we decrypt, and the policy that allows them.
//!
//! Allowed by default: key transport RSA-OAEP (`xmlenc#rsa-oaep-mgf1p` and
//! `xmlenc11#rsa-oaep`) and content encryption AES-GCM. RSA PKCS#1 v1.5 key
//! transport (a Bleichenbacher oracle) and AES-CBC content encryption (a
//! padding and parsing oracle, no integrity) need an opt-in and are then
//! reported as weak. Everything else (3DES, key wrap, key agreement, unknown
//! URIs) is refused; nothing falls back to a default.

use crate::dsig::DigestAlgorithm;

/// `xmlenc#rsa-oaep-mgf1p`: OAEP with MGF1-SHA1 and (by default) SHA-1.
pub const RSA_OAEP_MGF1P: &str = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
/// `xmlenc11#rsa-oaep`: OAEP with a DigestMethod and an `xenc11:MGF` choice.
pub const RSA_OAEP_11: &str = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
/// `xmlenc#rsa-1_5`: RSA PKCS#1 v1.5 key transport (opt-in only).
pub const RSA_1_5: &str = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
/// The `xenc11:MGF` URI prefix; the digest name follows (`mgf1sha256`, …).
const MGF1_PREFIX: &str = "http://www.w3.org/2009/xmlenc11#mgf1";

/// A symmetric content-encryption algorithm we know the URI of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentAlgorithm {
    /// AES-GCM with a key of this many bytes (16, 24 or 32).
    AesGcm(usize),
    /// AES-CBC with a key of this many bytes (16, 24 or 32); opt-in.
    AesCbc(usize),
}

impl ContentAlgorithm {
    /// The algorithm an EncryptedData's EncryptionMethod names, if allowed
    /// in principle (the policy decides about CBC).
    pub fn from_uri(uri: &str) -> Option<ContentAlgorithm> {
        Some(match uri {
            "http://www.w3.org/2009/xmlenc11#aes128-gcm" => ContentAlgorithm::AesGcm(16),
            "http://www.w3.org/2009/xmlenc11#aes192-gcm" => ContentAlgorithm::AesGcm(24),
            "http://www.w3.org/2009/xmlenc11#aes256-gcm" => ContentAlgorithm::AesGcm(32),
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => ContentAlgorithm::AesCbc(16),
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => ContentAlgorithm::AesCbc(24),
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => ContentAlgorithm::AesCbc(32),
            _ => return None,
        })
    }

    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            ContentAlgorithm::AesGcm(n) | ContentAlgorithm::AesCbc(n) => n,
        }
    }

    /// A short name, e.g. `aes256-gcm`.
    pub fn name(self) -> String {
        match self {
            ContentAlgorithm::AesGcm(n) => format!("aes{}-gcm", n * 8),
            ContentAlgorithm::AesCbc(n) => format!("aes{}-cbc", n * 8),
        }
    }
}

/// A key-transport algorithm with its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyTransport {
    /// RSAES-OAEP.
    RsaOaep {
        /// The OAEP digest (DigestMethod; SHA-1 when absent).
        digest: DigestAlgorithm,
        /// The MGF1 digest (SHA-1 for `rsa-oaep-mgf1p`).
        mgf1: DigestAlgorithm,
        /// The OAEP label (`OAEPparams`), empty when absent.
        label: Vec<u8>,
    },
    /// RSAES-PKCS1-v1_5 (opt-in).
    Rsa15,
}

impl KeyTransport {
    /// A short name, e.g. `rsa-oaep(sha256, mgf1-sha1)`.
    pub fn name(&self) -> String {
        match self {
            KeyTransport::RsaOaep { digest, mgf1, .. } => {
                format!("rsa-oaep({}, mgf1-{})", digest.name(), mgf1.name())
            }
            KeyTransport::Rsa15 => "rsa-1_5".to_string(),
        }
    }
}

/// The MGF1 digest an `xenc11:MGF` Algorithm names.
pub(crate) fn mgf1_from_uri(uri: &str) -> Option<DigestAlgorithm> {
    let name = uri.strip_prefix(MGF1_PREFIX)?;
    Some(match name {
        "sha1" => DigestAlgorithm::Sha1,
        "sha256" => DigestAlgorithm::Sha256,
        "sha384" => DigestAlgorithm::Sha384,
        "sha512" => DigestAlgorithm::Sha512,
        _ => return None,
    })
}

/// Which algorithms decryption accepts, and how much work it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecryptPolicy {
    /// Accept RSA PKCS#1 v1.5 key transport (a `xmlenc.weak_algorithm`
    /// warning is reported). Off by default: Bleichenbacher's attack.
    pub allow_rsa1_5: bool,
    /// Accept AES-CBC content encryption (a `xmlenc.weak_algorithm` warning
    /// is reported). Off by default: no integrity, padding oracle.
    pub allow_cbc: bool,
    /// At most this many EncryptedKeys are tried for one EncryptedData.
    pub max_encrypted_keys: usize,
}

impl Default for DecryptPolicy {
    fn default() -> Self {
        DecryptPolicy {
            allow_rsa1_5: false,
            allow_cbc: false,
            max_encrypted_keys: 4,
        }
    }
}

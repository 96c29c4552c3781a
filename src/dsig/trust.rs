//! The caller's trust: the certificates whose keys may sign.
//!
//! Each key is prepared once, when the trust is built: the certificate is
//! parsed, its public key turned into an OpenSSL key, and its thumbprints and
//! subject computed. Verification then only looks keys up and uses them.

use std::fmt;
use std::sync::Arc;

use openssl::ec::EcKey;
use openssl::hash::{MessageDigest, hash};
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Public};
use openssl::rsa::Rsa;
use openssl::x509::X509;

use super::{decode_base64_xml, hex_upper};
use crate::codes::Code;
use crate::report::Finding;

/// RSA keys below this size are refused outright, whatever the policy.
const MIN_RSA_BITS_EVER: u32 = 1024;

/// Why a certificate could not be added to the trust.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// The PEM text has no certificate, or a block is malformed.
    #[error("PEM: {detail}")]
    Pem {
        /// What is wrong.
        detail: String,
    },
    /// The bare base64 text is not valid base64.
    #[error("the certificate is not valid base64: {detail}")]
    Base64 {
        /// What is wrong.
        detail: String,
    },
    /// The bytes are not one DER-encoded X.509 certificate.
    #[error("certificate {index} cannot be parsed: {detail}")]
    Certificate {
        /// Position of the certificate in the input, from 1.
        index: usize,
        /// What is wrong.
        detail: String,
    },
    /// The certificate's key is neither RSA nor ECDSA on P-256, P-384 or P-521.
    #[error("the key of \"{subject}\" is not usable for SAML signatures: {detail}")]
    UnsupportedKey {
        /// The certificate's subject.
        subject: String,
        /// The key type found.
        detail: String,
    },
    /// The certificate's RSA key is under 1024 bits.
    #[error("the RSA key of \"{subject}\" has {bits} bits; at least 2048 are required")]
    WeakKey {
        /// The certificate's subject.
        subject: String,
        /// The key size.
        bits: u32,
    },
}

impl TrustError {
    /// The finding code for this error.
    pub fn code(&self) -> Code {
        match self {
            TrustError::WeakKey { .. } => Code::CertWeakKey,
            _ => Code::CertInvalid,
        }
    }

    /// The error as a finding.
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.code(), self.to_string())
    }
}

/// The elliptic curves accepted for ECDSA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EcCurve {
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
}

impl EcCurve {
    /// Bytes of one coordinate (and of `r` and `s` in an XML-DSig signature).
    pub fn field_len(self) -> usize {
        match self {
            EcCurve::P256 => 32,
            EcCurve::P384 => 48,
            EcCurve::P521 => 66,
        }
    }

    /// The curve's name, e.g. `P-256`.
    pub fn name(self) -> &'static str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
            EcCurve::P521 => "P-521",
        }
    }
}

/// What kind of public key a trusted certificate carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// Modulus size.
        bits: u32,
    },
    /// ECDSA on a named curve.
    Ec {
        /// The curve.
        curve: EcCurve,
    },
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyKind::Rsa { bits } => write!(f, "RSA {bits}"),
            KeyKind::Ec { curve } => write!(f, "EC {}", curve.name()),
        }
    }
}

/// One trusted certificate, its key ready for verification.
#[derive(Clone)]
pub struct TrustedKey {
    der: Vec<u8>,
    key: PKey<Public>,
    /// The RSA or EC key itself, for checks without the EVP layer's
    /// per-call setup (`dsig::verify`).
    handle: KeyHandle,
    kind: KeyKind,
    subject: String,
    sha1: String,
    sha256: String,
}

impl TrustedKey {
    /// Prepares the key of one DER-encoded X.509 certificate.
    pub fn from_der(der: &[u8]) -> Result<TrustedKey, TrustError> {
        Self::from_der_at(der, 1)
    }

    fn from_der_at(der: &[u8], index: usize) -> Result<TrustedKey, TrustError> {
        let bad = |detail: String| TrustError::Certificate { index, detail };
        // x509-parser tells us about trailing bytes, which OpenSSL would ignore.
        let (rest, parsed) = x509_parser::parse_x509_certificate(der)
            .map_err(|e| bad(format!("not a DER X.509 certificate ({e})")))?;
        if !rest.is_empty() {
            return Err(bad(format!("{} bytes follow the certificate", rest.len())));
        }
        let subject = parsed.subject().to_string();
        let x509 = X509::from_der(der).map_err(|e| bad(e.to_string()))?;
        let key = x509.public_key().map_err(|e| TrustError::UnsupportedKey {
            subject: subject.clone(),
            detail: e.to_string(),
        })?;
        let kind = key_kind(&key, &subject)?;
        let handle = match kind {
            KeyKind::Rsa { .. } => KeyHandle::Rsa(key.rsa().map_err(|e| bad(e.to_string()))?),
            KeyKind::Ec { .. } => KeyHandle::Ec(key.ec_key().map_err(|e| bad(e.to_string()))?),
        };
        let digest = |md: MessageDigest| hash(md, der).map(|d| hex_upper(&d));
        let sha1 = digest(MessageDigest::sha1()).map_err(|e| bad(e.to_string()))?;
        let sha256 = digest(MessageDigest::sha256()).map_err(|e| bad(e.to_string()))?;
        Ok(TrustedKey {
            der: der.to_vec(),
            key,
            handle,
            kind,
            subject,
            sha1,
            sha256,
        })
    }

    /// The certificate's subject, e.g. `CN=Microsoft Azure Federated SSO Certificate`.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// SHA-1 over the certificate's DER, upper-case hex (the "thumbprint" Entra shows).
    pub fn sha1_thumbprint(&self) -> &str {
        &self.sha1
    }

    /// SHA-256 over the certificate's DER, upper-case hex.
    pub fn sha256_thumbprint(&self) -> &str {
        &self.sha256
    }

    /// The certificate, DER-encoded.
    pub fn certificate_der(&self) -> &[u8] {
        &self.der
    }

    /// The key's type and size.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    pub(crate) fn public_key(&self) -> &PKey<Public> {
        &self.key
    }

    pub(crate) fn handle(&self) -> &KeyHandle {
        &self.handle
    }
}

/// A trusted key in its algorithm's own OpenSSL type.
#[derive(Clone)]
pub(crate) enum KeyHandle {
    Rsa(Rsa<Public>),
    Ec(EcKey<Public>),
}

impl fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustedKey")
            .field("subject", &self.subject)
            .field("kind", &self.kind)
            .field("sha1", &self.sha1)
            .finish()
    }
}

fn key_kind(key: &PKey<Public>, subject: &str) -> Result<KeyKind, TrustError> {
    let unsupported = |detail: String| TrustError::UnsupportedKey {
        subject: subject.to_string(),
        detail,
    };
    match key.id() {
        Id::RSA => {
            let bits = key.bits();
            if bits < MIN_RSA_BITS_EVER {
                return Err(TrustError::WeakKey {
                    subject: subject.to_string(),
                    bits,
                });
            }
            Ok(KeyKind::Rsa { bits })
        }
        Id::EC => {
            let ec = key.ec_key().map_err(|e| unsupported(e.to_string()))?;
            let curve = match ec.group().curve_name() {
                Some(Nid::X9_62_PRIME256V1) => EcCurve::P256,
                Some(Nid::SECP384R1) => EcCurve::P384,
                Some(Nid::SECP521R1) => EcCurve::P521,
                other => {
                    return Err(unsupported(format!(
                        "EC key on {}",
                        other
                            .and_then(|n| n.short_name().ok())
                            .unwrap_or("an unnamed curve")
                    )));
                }
            };
            Ok(KeyKind::Ec { curve })
        }
        other => Err(unsupported(format!("key type {other:?}"))),
    }
}

/// The certificates whose keys the caller trusts to sign.
///
/// Build it from PEM (one or several certificates), DER, or bare base64 (as
/// in metadata's `X509Certificate`). Every key is tried when verifying (a
/// rollover publishes two), the one whose certificate equals the signature's
/// KeyInfo certificate first. An empty trust verifies nothing: verification
/// fails with `signature.no_trust_configured`.
///
/// ```
/// use saml_inspect::dsig::TrustedKeys;
/// let trust = TrustedKeys::new();
/// assert!(trust.is_empty());
/// assert!(TrustedKeys::from_pem(b"not a certificate").is_err());
/// ```
#[derive(Clone, Default)]
pub struct TrustedKeys {
    keys: Vec<Arc<TrustedKey>>,
}

impl TrustedKeys {
    /// An empty trust (verifies nothing).
    pub fn new() -> Self {
        TrustedKeys::default()
    }

    /// Every `CERTIFICATE` block of a PEM text. Text outside the blocks (as
    /// `openssl pkcs12` writes) is ignored; a malformed block, another block
    /// type (a private key given by mistake) or no certificate at all is an
    /// error.
    pub fn from_pem(pem: &[u8]) -> Result<Self, TrustError> {
        let text = std::str::from_utf8(pem).map_err(|_| TrustError::Pem {
            detail: "the text is not UTF-8".into(),
        })?;
        let mut trust = TrustedKeys::new();
        let mut rest = text;
        let mut index = 0;
        while let Some(start) = rest.find("-----BEGIN ") {
            let after = &rest[start + "-----BEGIN ".len()..];
            let Some(label_end) = after.find("-----") else {
                return Err(TrustError::Pem {
                    detail: "unterminated BEGIN line".into(),
                });
            };
            let label = &after[..label_end];
            if label != "CERTIFICATE" {
                return Err(TrustError::Pem {
                    detail: format!("a {label} block where a CERTIFICATE was expected"),
                });
            }
            let body_and_rest = &after[label_end + "-----".len()..];
            let end_marker = "-----END CERTIFICATE-----";
            let Some(end) = body_and_rest.find(end_marker) else {
                return Err(TrustError::Pem {
                    detail: "a CERTIFICATE block has no END line".into(),
                });
            };
            index += 1;
            let der = decode_base64_xml(&body_and_rest[..end]).map_err(|e| TrustError::Pem {
                detail: format!("certificate {index}: {e}"),
            })?;
            trust.push(TrustedKey::from_der_at(&der, index)?);
            rest = &body_and_rest[end + end_marker.len()..];
        }
        if trust.is_empty() {
            return Err(TrustError::Pem {
                detail: "no CERTIFICATE block found".into(),
            });
        }
        // Headers before a block are common; anything after the last one is
        // a truncated or corrupted file.
        if !rest.trim().is_empty() {
            return Err(TrustError::Pem {
                detail: "text follows the last certificate".into(),
            });
        }
        Ok(trust)
    }

    /// Each item is one DER-encoded certificate (e.g. the decoded
    /// `X509Certificate` values of metadata).
    pub fn from_der_certificates<I, B>(certificates: I) -> Result<Self, TrustError>
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let mut trust = TrustedKeys::new();
        for (i, der) in certificates.into_iter().enumerate() {
            trust.push(TrustedKey::from_der_at(der.as_ref(), i + 1)?);
        }
        Ok(trust)
    }

    /// One certificate as bare base64 (whitespace allowed), as in a
    /// `ds:X509Certificate` element or the Entra portal's "Certificate (Base64)"
    /// download without its PEM lines.
    pub fn from_base64_certificate(text: &str) -> Result<Self, TrustError> {
        let der = decode_base64_xml(text).map_err(|e| TrustError::Base64 {
            detail: e.to_string(),
        })?;
        Self::from_der_certificates([der])
    }

    /// Certificates in any of the accepted forms, recognised by content: PEM
    /// (one or several), one DER certificate, or one bare base64 certificate.
    pub fn from_certificate_bytes(bytes: &[u8]) -> Result<Self, TrustError> {
        let is_pem = bytes
            .windows(b"-----BEGIN".len())
            .any(|w| w == b"-----BEGIN");
        if is_pem {
            Self::from_pem(bytes)
        } else if bytes.first() == Some(&0x30) {
            Self::from_der_certificates([bytes])
        } else {
            let text = std::str::from_utf8(bytes).map_err(|_| TrustError::Base64 {
                detail: "neither PEM, DER nor base64 text".into(),
            })?;
            Self::from_base64_certificate(text)
        }
    }

    /// Adds a prepared key. A certificate already present is not added twice.
    pub fn push(&mut self, key: TrustedKey) {
        if !self.keys.iter().any(|k| k.der == key.der) {
            self.keys.push(Arc::new(key));
        }
    }

    /// Adds every key of another trust.
    pub fn extend(&mut self, other: TrustedKeys) {
        for key in other.keys {
            if !self.keys.iter().any(|k| k.der == key.der) {
                self.keys.push(key);
            }
        }
    }

    /// Number of trusted keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when nothing is trusted.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The trusted keys, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &TrustedKey> {
        self.keys.iter().map(|k| k.as_ref())
    }

    /// The key whose certificate is exactly `der`, if trusted.
    pub fn find_certificate(&self, der: &[u8]) -> Option<&TrustedKey> {
        self.iter().find(|k| k.der == der)
    }

    pub(crate) fn shared(&self) -> &[Arc<TrustedKey>] {
        &self.keys
    }
}

impl fmt::Debug for TrustedKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.keys.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA2048: &[u8] = include_bytes!("../../testdata/fixtures/rsa2048.cert.pem");
    const RSA3072: &[u8] = include_bytes!("../../testdata/fixtures/rsa3072.cert.pem");
    const ECP256: &[u8] = include_bytes!("../../testdata/fixtures/ecp256.cert.pem");

    #[test]
    fn pem_certificates_are_prepared_once_with_thumbprints() {
        let mut both = RSA2048.to_vec();
        both.extend_from_slice(b"\nsubject=whatever openssl wrote\n");
        both.extend_from_slice(ECP256);
        let trust = TrustedKeys::from_pem(&both).unwrap();
        assert_eq!(trust.len(), 2);
        let keys: Vec<_> = trust.iter().collect();
        assert_eq!(keys[0].kind(), KeyKind::Rsa { bits: 2048 });
        assert_eq!(
            keys[1].kind(),
            KeyKind::Ec {
                curve: EcCurve::P256
            }
        );
        assert_eq!(
            keys[0].subject(),
            "CN=Microsoft Azure Federated SSO Certificate"
        );
        assert_eq!(keys[0].sha1_thumbprint().len(), 40);
        assert_eq!(keys[0].sha256_thumbprint().len(), 64);
        let sha1 = hash(MessageDigest::sha1(), keys[0].certificate_der()).unwrap();
        assert_eq!(keys[0].sha1_thumbprint(), hex_upper(&sha1));
    }

    #[test]
    fn der_and_base64_forms_give_the_same_key() {
        let pem = TrustedKeys::from_pem(RSA3072).unwrap();
        let der = pem.iter().next().unwrap().certificate_der().to_vec();
        let from_der = TrustedKeys::from_der_certificates([&der]).unwrap();
        assert_eq!(
            from_der.iter().next().unwrap().sha256_thumbprint(),
            pem.iter().next().unwrap().sha256_thumbprint()
        );
        let b64 = super::super::encode_base64(&der);
        let wrapped: String = b64
            .as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned() + "\n")
            .collect();
        let from_b64 = TrustedKeys::from_certificate_bytes(wrapped.as_bytes()).unwrap();
        assert_eq!(from_b64.len(), 1);
        assert!(from_b64.find_certificate(&der).is_some());
        assert_eq!(TrustedKeys::from_certificate_bytes(&der).unwrap().len(), 1);
        assert_eq!(
            TrustedKeys::from_certificate_bytes(RSA3072).unwrap().len(),
            1
        );
    }

    #[test]
    fn duplicates_are_kept_once() {
        let mut trust = TrustedKeys::from_pem(RSA2048).unwrap();
        trust.extend(TrustedKeys::from_pem(RSA2048).unwrap());
        assert_eq!(trust.len(), 1);
    }

    #[test]
    fn garbage_is_refused() {
        assert!(matches!(
            TrustedKeys::from_pem(b"hello"),
            Err(TrustError::Pem { .. })
        ));
        let key = include_bytes!("../../testdata/fixtures/rsa2048.key.pem");
        let err = TrustedKeys::from_pem(key).unwrap_err();
        assert!(err.to_string().contains("PRIVATE KEY"), "{err}");
        let pem = TrustedKeys::from_pem(RSA2048).unwrap();
        let mut der = pem.iter().next().unwrap().certificate_der().to_vec();
        der.extend_from_slice(b"junk");
        let err = TrustedKeys::from_der_certificates([der]).unwrap_err();
        assert!(err.to_string().contains("4 bytes follow"), "{err}");
        assert_eq!(err.code(), Code::CertInvalid);
        assert!(TrustedKeys::from_base64_certificate("***").is_err());
        let mut trailing = RSA2048.to_vec();
        trailing.extend_from_slice(b"garbage");
        let err = TrustedKeys::from_pem(&trailing).unwrap_err();
        assert!(err.to_string().contains("follows the last"), "{err}");
    }
}

//! Certificate facts and health: what an X.509 signing certificate says about
//! itself, and whether it is fit to sign SAML today.
//!
//! Identity providers publish their signing certificates in metadata
//! (`<ds:X509Certificate>`, bare base64) and administrators download them as
//! PEM or DER. [`parse_certificates`] accepts all three; [`CertificateInfo`]
//! holds the facts a person compares across systems (subject, validity,
//! thumbprints in the form `openssl x509 -fingerprint` and the Entra portal
//! show) and [`check`] turns them into findings at a clock the caller gives.
//!
//! ```
//! use saml_inspect::cert::{check, parse_certificates, CertPolicy};
//! let err = parse_certificates(b"not a certificate").unwrap_err();
//! assert_eq!(err.code().as_str(), "cert.invalid");
//! ```

use chrono::{DateTime, Utc};
use openssl::hash::{MessageDigest, hash};
use openssl::pkey::Id;
use openssl::x509::X509;
use serde::{Serialize, Serializer};

use crate::codes::Code;
use crate::report::{Finding, Severity};

/// Why bytes could not be read as certificates. Every variant is `cert.invalid`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    /// The input is neither PEM, DER nor base64 of a certificate.
    #[error("not a certificate: {detail}")]
    Unrecognized {
        /// What was found instead.
        detail: String,
    },
    /// The base64 (of a PEM block or an `X509Certificate`) is malformed.
    #[error("certificate {index}: invalid base64 ({detail})")]
    Base64 {
        /// Which certificate of the input, from 1.
        index: usize,
        /// The decoder's complaint.
        detail: String,
    },
    /// A PEM block is not a certificate or is not closed.
    #[error("PEM: {detail}")]
    Pem {
        /// What is wrong.
        detail: String,
    },
    /// The DER does not decode as an X.509 certificate.
    #[error("certificate {index}: not a DER X.509 certificate ({detail})")]
    Der {
        /// Which certificate of the input, from 1.
        index: usize,
        /// The parser's complaint.
        detail: String,
    },
}

impl CertError {
    /// The finding code: always `cert.invalid`.
    pub fn code(&self) -> Code {
        Code::CertInvalid
    }

    /// The error as a finding.
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.code(), self.to_string())
    }
}

/// The kind and size of a certificate's public key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum KeyInfo {
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// Modulus size in bits.
        bits: u32,
    },
    /// Elliptic curve key on a named curve.
    Ec {
        /// The curve's name as OpenSSL gives it (e.g. `prime256v1`), or `unknown`.
        curve: String,
        /// Size of the curve's field in bits.
        bits: u32,
    },
    /// Any other key type (DSA, Ed25519, …), by name.
    Other {
        /// The algorithm's name.
        name: String,
        /// Size in bits as OpenSSL reports it.
        bits: u32,
    },
}

impl std::fmt::Display for KeyInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyInfo::Rsa { bits } => write!(f, "RSA {bits} bits"),
            KeyInfo::Ec { curve, .. } => write!(f, "EC {curve}"),
            KeyInfo::Other { name, bits } => write!(f, "{name} {bits} bits"),
        }
    }
}

/// What an X.509 certificate says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    /// Subject distinguished name, e.g. `CN=Microsoft Azure Federated SSO Certificate`.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, upper-case hex without separators or leading zero bytes (as `openssl x509 -serial`).
    pub serial: String,
    /// Start of validity.
    #[serde(serialize_with = "rfc3339")]
    pub not_before: DateTime<Utc>,
    /// End of validity.
    #[serde(serialize_with = "rfc3339")]
    pub not_after: DateTime<Utc>,
    /// Public key type and size.
    pub key: KeyInfo,
    /// The algorithm the issuer signed the certificate with, e.g. `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// SHA-1 over the DER, upper-case hex with colons (as `openssl x509 -fingerprint -sha1`).
    pub sha1_thumbprint: String,
    /// SHA-256 over the DER, upper-case hex with colons.
    pub sha256_thumbprint: String,
    /// True when subject equals issuer and the certificate's own key verifies its signature.
    pub self_signed: bool,
    /// The key usage bits present (`digitalSignature`, `keyEncipherment`, …);
    /// `None` when the extension is absent (no restriction).
    pub key_usage: Option<Vec<String>>,
    /// The certificate, DER-encoded (not serialized: the thumbprints identify it).
    #[serde(skip)]
    pub der: Vec<u8>,
}

fn rfc3339<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Upper-case hex with a colon between bytes.
pub(crate) fn hex_colons(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02X}");
    }
    s
}

impl CertificateInfo {
    /// Reads one DER-encoded certificate. Trailing bytes after it are an error.
    pub fn from_der(der: &[u8]) -> Result<CertificateInfo, CertError> {
        Self::from_der_at(der, 1)
    }

    /// Reads one certificate as bare base64 (whitespace allowed), as in `<ds:X509Certificate>`.
    pub fn from_base64(text: &str) -> Result<CertificateInfo, CertError> {
        let der =
            decode_base64_ws(text).map_err(|detail| CertError::Base64 { index: 1, detail })?;
        Self::from_der(&der)
    }

    fn from_der_at(der: &[u8], index: usize) -> Result<CertificateInfo, CertError> {
        let bad = |detail: String| CertError::Der { index, detail };
        let (rest, parsed) =
            x509_parser::parse_x509_certificate(der).map_err(|e| bad(e.to_string()))?;
        if !rest.is_empty() {
            return Err(bad(format!("{} bytes follow the certificate", rest.len())));
        }
        let validity = parsed.validity();
        let time = |t: &x509_parser::time::ASN1Time| {
            DateTime::<Utc>::from_timestamp(t.timestamp(), 0)
                .ok_or_else(|| bad(format!("validity time {t} is out of range")))
        };
        let not_before = time(&validity.not_before)?;
        let not_after = time(&validity.not_after)?;
        // As openssl prints it: upper-case hex without the sign byte DER adds.
        // Both slice bounds below are at most the length, so slicing cannot panic.
        let raw_serial = parsed.raw_serial();
        let significant = raw_serial
            .iter()
            .position(|b| *b != 0)
            .map_or(&raw_serial[raw_serial.len().saturating_sub(1)..], |i| {
                &raw_serial[i..]
            });
        let serial = significant
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>();
        let sig_oid = parsed.signature_algorithm.algorithm.to_id_string();
        let signature_algorithm = signature_algorithm_name(&sig_oid)
            .map(str::to_string)
            .unwrap_or(sig_oid);
        let key_usage = match parsed.key_usage() {
            Ok(Some(ku)) => Some(key_usage_names(ku.value)),
            Ok(None) => None,
            Err(e) => return Err(bad(format!("key usage extension: {e}"))),
        };
        let names_equal = parsed.subject().as_raw() == parsed.issuer().as_raw();

        let x509 = X509::from_der(der).map_err(|e| bad(e.to_string()))?;
        let pkey = x509
            .public_key()
            .map_err(|e| bad(format!("public key: {e}")))?;
        let key = match pkey.id() {
            Id::RSA => KeyInfo::Rsa { bits: pkey.bits() },
            Id::EC => {
                let curve = pkey
                    .ec_key()
                    .ok()
                    .and_then(|k| k.group().curve_name())
                    .and_then(|nid| nid.short_name().ok())
                    .unwrap_or("unknown")
                    .to_string();
                KeyInfo::Ec {
                    curve,
                    bits: pkey.bits(),
                }
            }
            other => KeyInfo::Other {
                name: openssl::nid::Nid::from_raw(other.as_raw())
                    .short_name()
                    .unwrap_or("unknown")
                    .to_string(),
                bits: pkey.bits(),
            },
        };
        // Self-signed means: it names itself as issuer *and* its own key verifies it.
        let self_signed = names_equal && x509.verify(&pkey).unwrap_or(false);
        let digest = |md: MessageDigest| {
            hash(md, der)
                .map(|d| hex_colons(&d))
                .map_err(|e| bad(e.to_string()))
        };
        Ok(CertificateInfo {
            subject: parsed.subject().to_string(),
            issuer: parsed.issuer().to_string(),
            serial,
            not_before,
            not_after,
            key,
            signature_algorithm,
            sha1_thumbprint: digest(MessageDigest::sha1())?,
            sha256_thumbprint: digest(MessageDigest::sha256())?,
            self_signed,
            key_usage,
            der: der.to_vec(),
        })
    }

    /// Whole days from `now` until `not_after` (negative once expired).
    pub fn days_left(&self, now: DateTime<Utc>) -> i64 {
        (self.not_after - now).num_days()
    }

    /// The SHA-1 thumbprint without colons, as Entra and Windows show it.
    pub fn sha1_compact(&self) -> String {
        self.sha1_thumbprint.replace(':', "")
    }

    /// The subject's common name, if it has one.
    pub fn common_name(&self) -> Option<&str> {
        self.subject
            .split(", ")
            .find_map(|part| part.strip_prefix("CN="))
    }

    /// True when the certificate is signed with a SHA-1 based algorithm.
    pub fn is_sha1_signed(&self) -> bool {
        self.signature_algorithm
            .to_ascii_lowercase()
            .starts_with("sha1")
            || self
                .signature_algorithm
                .eq_ignore_ascii_case("ecdsa-with-SHA1")
    }
}

/// Readable names of the signature algorithms certificates use (OpenSSL's spelling).
fn signature_algorithm_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10040.4.3" => "dsaWithSHA1",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        _ => return None,
    })
}

fn key_usage_names(ku: &x509_parser::extensions::KeyUsage) -> Vec<String> {
    let bits = [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "nonRepudiation"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ];
    bits.iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| (*name).to_string())
        .collect()
}

/// Decodes standard base64 after removing XML whitespace.
pub(crate) fn decode_base64_ws(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n'))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| e.to_string())
}

/// Reads every certificate of an input, recognised by content: PEM (one or
/// several `CERTIFICATE` blocks; text around them ignored), one DER
/// certificate, or one bare base64 certificate.
pub fn parse_certificates(bytes: &[u8]) -> Result<Vec<CertificateInfo>, CertError> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    if bytes.windows(BEGIN.len()).any(|w| w == BEGIN) {
        let text = std::str::from_utf8(bytes).map_err(|_| CertError::Pem {
            detail: "the PEM text is not UTF-8".into(),
        })?;
        return parse_pem(text);
    }
    if bytes.first() == Some(&0x30) {
        return Ok(vec![CertificateInfo::from_der(bytes)?]);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| CertError::Unrecognized {
        detail: "neither PEM, DER nor base64 text".into(),
    })?;
    if text.trim().is_empty() {
        return Err(CertError::Unrecognized {
            detail: "the input is empty".into(),
        });
    }
    let der = decode_base64_ws(text).map_err(|detail| CertError::Unrecognized {
        detail: format!("neither PEM, DER nor base64 ({detail})"),
    })?;
    Ok(vec![CertificateInfo::from_der(&der)?])
}

fn parse_pem(text: &str) -> Result<Vec<CertificateInfo>, CertError> {
    const BEGIN: &str = "-----BEGIN ";
    const DASHES: &str = "-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        // `find` returns char boundaries, and the markers are ASCII.
        let after = &rest[start + BEGIN.len()..];
        let Some(label_end) = after.find(DASHES) else {
            return Err(CertError::Pem {
                detail: "unterminated BEGIN line".into(),
            });
        };
        let label = &after[..label_end];
        if label != "CERTIFICATE" {
            return Err(CertError::Pem {
                detail: format!("a {label} block where a CERTIFICATE was expected"),
            });
        }
        let body = &after[label_end + DASHES.len()..];
        let Some(end) = body.find(END) else {
            return Err(CertError::Pem {
                detail: "a CERTIFICATE block has no END line".into(),
            });
        };
        let index = out.len() + 1;
        let der =
            decode_base64_ws(&body[..end]).map_err(|detail| CertError::Base64 { index, detail })?;
        out.push(CertificateInfo::from_der_at(&der, index)?);
        rest = &body[end + END.len()..];
    }
    if out.is_empty() {
        return Err(CertError::Pem {
            detail: "no CERTIFICATE block found".into(),
        });
    }
    Ok(out)
}

/// Thresholds for [`check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertPolicy {
    /// A certificate expiring within this many days gets `cert.expiring_soon`.
    pub expiring_soon_days: i64,
}

impl Default for CertPolicy {
    fn default() -> Self {
        CertPolicy {
            expiring_soon_days: 30,
        }
    }
}

/// The findings about one certificate at `now`: `cert.expired`,
/// `cert.not_yet_valid`, `cert.expiring_soon`, `cert.weak_key` (RSA under
/// 2048 bits) and `cert.sha1_signed`.
///
/// Found values carry the dates and sizes so a person can act on them.
pub fn check(info: &CertificateInfo, now: DateTime<Utc>, policy: &CertPolicy) -> Vec<Finding> {
    let mut out = Vec::new();
    let who = format!("{} ({})", info.subject, info.sha1_thumbprint);
    let day = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    if now > info.not_after {
        out.push(
            Finding::new(
                Code::CertExpired,
                format!(
                    "certificate {who} expired on {} ({} days ago)",
                    day(info.not_after),
                    -info.days_left(now)
                ),
            )
            .expected_found(format!("not after {}", day(info.not_after)), day(now)),
        );
    } else if now < info.not_before {
        out.push(
            Finding::new(
                Code::CertNotYetValid,
                format!(
                    "certificate {who} is valid only from {}",
                    day(info.not_before)
                ),
            )
            .expected_found(format!("not before {}", day(info.not_before)), day(now)),
        );
    } else if info.days_left(now) < policy.expiring_soon_days {
        out.push(Finding::new(
            Code::CertExpiringSoon,
            format!(
                "certificate {who} expires on {} ({} days left); publish and activate its successor",
                day(info.not_after),
                info.days_left(now)
            ),
        ));
    }
    if let KeyInfo::Rsa { bits } = info.key {
        if bits < 2048 {
            out.push(
                Finding::new(
                    Code::CertWeakKey,
                    format!("certificate {who} has an RSA key of {bits} bits"),
                )
                .expected_found("at least 2048 bits", format!("{bits} bits")),
            );
        }
    }
    if info.is_sha1_signed() {
        out.push(
            Finding::new(
                Code::CertSha1Signed,
                format!(
                    "certificate {who} is signed with {} (harmless for a pinned, self-signed certificate; a problem in a chain)",
                    info.signature_algorithm
                ),
            )
            .severity(Severity::Info),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_with_colons() {
        assert_eq!(hex_colons(&[0x0a, 0xff, 0x00]), "0A:FF:00");
        assert_eq!(hex_colons(&[]), "");
    }

    #[test]
    fn garbage_is_invalid_not_a_panic() {
        for input in [
            &b""[..],
            b"\x30",
            b"\x30\x82\xff\xff",
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            b"-----BEGIN PRIVATE KEY-----\n",
            b"-----BEGIN ",
            b"MIIB",
            b"\xff\xfe",
        ] {
            let err = parse_certificates(input).unwrap_err();
            assert_eq!(err.code(), Code::CertInvalid, "{input:?}");
        }
    }
}

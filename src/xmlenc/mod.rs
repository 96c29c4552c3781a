//! XML Encryption: decrypting `EncryptedAssertion` (and `EncryptedID`,
//! `EncryptedAttribute`) with the service provider's RSA key.
//!
//! ```text
//! <saml:EncryptedAssertion>
//!   <xenc:EncryptedData Type="…xmlenc#Element">
//!     <xenc:EncryptionMethod Algorithm="…xmlenc11#aes256-gcm"/>
//!     <ds:KeyInfo>
//!       <xenc:EncryptedKey>                      (or a RetrievalMethod to one
//!         <xenc:EncryptionMethod Algorithm="…#rsa-oaep-mgf1p"/>   beside it)
//!         <xenc:CipherData><xenc:CipherValue>…</xenc:CipherValue></xenc:CipherData>
//!       </xenc:EncryptedKey>
//!     </ds:KeyInfo>
//!     <xenc:CipherData><xenc:CipherValue>…</xenc:CipherValue></xenc:CipherData>
//!   </xenc:EncryptedData>
//! </saml:EncryptedAssertion>
//! ```
//!
//! The checks run in a fixed order: the structure, the algorithms against
//! the [`DecryptPolicy`] and the key references are all checked before the
//! private key is used (`xmlenc.structure`, `xmlenc.algorithm_not_allowed`,
//! `xmlenc.key_reference`). From the key transport on, every failure — a
//! wrong key, an OAEP or padding error, a GCM tag that does not verify,
//! plaintext that is not UTF-8 or not the expected element — is the one
//! [`DecryptError::Failed`]: same code (`xmlenc.decrypt_failed`), same
//! message, so a caller cannot be used as a padding, format or key oracle.
//! A failed RSA unwrap is rejected implicitly: a random content key stands
//! in and content decryption runs anyway, so the time taken does not tell a
//! bad OAEP or PKCS#1 padding from a wrong content key either.
//! [`Failure::operator_detail`] says what really failed, for a person
//! inspecting their own message.
//!
//! Decryption is never authentication: anyone can encrypt to the service
//! provider's public key. [`crate::verify`] requires a trusted signature
//! inside the decrypted assertion, or on a Response that covers the
//! EncryptedAssertion, and parses the plaintext with the same hardened
//! parser and limits.

pub mod algorithm;
mod content;
mod key_transport;
mod structure;

use crate::xml::Node;

use crate::codes::Code;
use crate::ns;
use crate::report::{Finding, Location, Severity};
use crate::xml::{self, Limits, is_saml_element, location_of};

pub use algorithm::{ContentAlgorithm, DecryptPolicy, KeyTransport};
pub use key_transport::{DecryptionKey, KeyError};

/// The one message every decryption failure gives callers.
const GENERIC: &str = "the encrypted element could not be decrypted with the configured key";

/// A decryption failure after the key transport started. Its message is
/// the same whatever failed; [`Failure::operator_detail`] says more.
#[derive(Clone, PartialEq, Eq)]
pub struct Failure {
    location: Location,
    detail: String,
}

impl Failure {
    /// What really failed, for the person who owns the key (never shown
    /// to a remote caller: it would be an oracle).
    pub fn operator_detail(&self) -> &str {
        &self.detail
    }
}

impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Debug output ends up in logs: keep it as generic as Display.
        f.debug_struct("Failure")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// Why an encrypted element was not decrypted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// The encrypted element is missing a part or has a refused one.
    #[error("malformed encrypted element at {location}: {detail}")]
    Structure {
        /// What is wrong.
        detail: String,
        /// Where.
        location: Location,
    },
    /// An algorithm the policy refuses.
    #[error("encryption algorithm not allowed at {location}: {detail}")]
    AlgorithmNotAllowed {
        /// Which algorithm and why.
        detail: String,
        /// Where.
        location: Location,
    },
    /// The EncryptedKey cannot be found or is referenced in a refused way.
    #[error("EncryptedKey reference refused at {location}: {detail}")]
    KeyReference {
        /// What is wrong.
        detail: String,
        /// Where.
        location: Location,
    },
    /// The message is encrypted and no decryption key was given.
    #[error(
        "the {element} at {location} is encrypted and no decryption key was given (the service provider's private key, e.g. --decrypt-key)"
    )]
    NoKey {
        /// The encrypted element's name.
        element: String,
        /// Where it is.
        location: Location,
    },
    /// Decryption failed (the generic error).
    #[error("{GENERIC} (at {})", .0.location)]
    Failed(Failure),
}

impl DecryptError {
    /// The finding code.
    pub fn code(&self) -> Code {
        match self {
            DecryptError::Structure { .. } => Code::XmlencStructure,
            DecryptError::AlgorithmNotAllowed { .. } => Code::XmlencAlgorithmNotAllowed,
            DecryptError::KeyReference { .. } => Code::XmlencKeyReference,
            DecryptError::NoKey { .. } => Code::XmlencNoKey,
            DecryptError::Failed(_) => Code::XmlencDecryptFailed,
        }
    }

    /// Where.
    pub fn location(&self) -> Location {
        match self {
            DecryptError::Structure { location, .. }
            | DecryptError::AlgorithmNotAllowed { location, .. }
            | DecryptError::KeyReference { location, .. }
            | DecryptError::NoKey { location, .. } => *location,
            DecryptError::Failed(f) => f.location,
        }
    }

    /// The error as a finding, generic for a decryption failure.
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.code(), self.to_string()).at(self.location())
    }

    /// The error as a finding for the operator: a decryption failure says
    /// what failed.
    pub fn to_operator_finding(&self) -> Finding {
        match self {
            DecryptError::Failed(f) => {
                Finding::new(self.code(), format!("{GENERIC}: {}", f.detail)).at(f.location)
            }
            _ => self.to_finding(),
        }
    }

    /// The no-key error for an encrypted element.
    pub fn no_key(wrapper: Node<'_, '_>) -> DecryptError {
        DecryptError::NoKey {
            element: wrapper.tag_name().name().to_string(),
            location: location_of(wrapper),
        }
    }

    fn failed(wrapper: Node<'_, '_>, detail: impl Into<String>) -> DecryptError {
        DecryptError::Failed(Failure {
            location: location_of(wrapper),
            detail: detail.into(),
        })
    }
}

/// The plaintext of an encrypted element and how it was encrypted.
#[derive(Clone, PartialEq, Eq)]
pub struct Decrypted {
    /// The decrypted XML (an element), as UTF-8 text, with the namespace
    /// declarations it inherits from where the encrypted element stood
    /// added to its start tag (XML Encryption §4.5: the plaintext is read
    /// in that context), so that it stands alone. Exclusive c14n renders
    /// only the namespaces an element uses, so a signature inside is
    /// unaffected.
    pub plaintext: String,
    /// The key transport that unwrapped the content key.
    pub key_transport: KeyTransport,
    /// The content-encryption algorithm.
    pub content: ContentAlgorithm,
    /// Where the encrypted element is in the outer document.
    pub location: Location,
    /// `xmlenc.weak_algorithm` warnings (opted-in RSA-1_5 or CBC) and the
    /// `xmlenc.decrypted` note.
    pub findings: Vec<Finding>,
    /// The local name of the encrypted element (`EncryptedAssertion`, …).
    pub element: String,
}

impl std::fmt::Debug for Decrypted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decrypted")
            .field("element", &self.element)
            .field("key_transport", &self.key_transport)
            .field("content", &self.content)
            .field("plaintext_len", &self.plaintext.len())
            .finish_non_exhaustive()
    }
}

impl Decrypted {
    /// The generic decryption error for a failure found after decryption
    /// (e.g. in the plaintext), with `detail` for the operator.
    pub fn failure(&self, detail: impl Into<String>) -> DecryptError {
        DecryptError::Failed(Failure {
            location: self.location,
            detail: detail.into(),
        })
    }

    /// Parses the plaintext with the hardened parser and `limits`, and
    /// checks that it is one `local` element in the SAML assertion
    /// namespace (e.g. `Assertion` for an EncryptedAssertion). Failures are
    /// the generic decryption error: with CBC a parse error would be an
    /// oracle.
    pub fn parse<'s>(
        &'s self,
        limits: &Limits,
        local: &str,
    ) -> Result<xml::Document<'s>, DecryptError> {
        let fail = |detail: String| self.failure(detail);
        let doc = xml::parse(&self.plaintext, limits)
            .map_err(|e| fail(format!("the plaintext does not parse: {e}")))?;
        let root = doc.root_element();
        if !is_saml_element(root, ns::SAML_ASSERTION, local) {
            return Err(fail(format!(
                "the plaintext is a <{}>, not a saml:{local}",
                root.tag_name().name()
            )));
        }
        Ok(doc)
    }
}

/// The encrypted SAML elements this module decrypts.
pub const ENCRYPTED_ELEMENTS: [&str; 4] = [
    "EncryptedAssertion",
    "EncryptedID",
    "EncryptedAttribute",
    "NewEncryptedID",
];

/// True for `saml:EncryptedAssertion`, `EncryptedID`, `EncryptedAttribute`
/// (and `samlp:NewEncryptedID`).
pub fn is_encrypted_element(node: Node<'_, '_>) -> bool {
    ENCRYPTED_ELEMENTS.iter().any(|local| {
        is_saml_element(node, ns::SAML_ASSERTION, local)
            || is_saml_element(node, ns::SAML_PROTOCOL, local)
    })
}

/// The plaintext element name an encrypted element holds.
pub fn plaintext_name(wrapper: Node<'_, '_>) -> &'static str {
    match wrapper.tag_name().name() {
        "EncryptedAssertion" => "Assertion",
        "EncryptedAttribute" => "Attribute",
        _ => "NameID",
    }
}

/// Decrypts an encrypted SAML element (`wrapper`: an EncryptedAssertion,
/// EncryptedID or EncryptedAttribute) with `key` under `policy`.
pub fn decrypt(
    wrapper: Node<'_, '_>,
    key: &DecryptionKey,
    policy: &DecryptPolicy,
) -> Result<Decrypted, DecryptError> {
    let data = structure::parse_data(structure::encrypted_data(wrapper)?, policy)?;
    let keys = structure::candidate_keys(wrapper, &data, policy)?;
    // From here on, every failure is the generic one.
    let mut reasons = Vec::new();
    for encrypted_key in &keys {
        let attempt = key_transport::unwrap(
            key,
            &encrypted_key.transport,
            &encrypted_key.cipher,
            data.algorithm.key_len(),
        )
        .and_then(|unwrapped| {
            // Content decryption runs even after a failed unwrap (with a
            // random key): the same work, the same error.
            let content = content::decrypt(data.algorithm, &unwrapped.key, &data.cipher);
            match (unwrapped.failure, content) {
                (Some(failure), _) => Err(failure),
                (None, content) => content,
            }
        })
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| "the plaintext is not UTF-8".to_string())
        });
        match attempt {
            Ok(plaintext) => {
                let plaintext = in_context(plaintext, wrapper);
                let transport = encrypted_key.transport.clone();
                let findings = notes(wrapper, &transport, data.algorithm, key);
                return Ok(Decrypted {
                    plaintext,
                    key_transport: transport,
                    content: data.algorithm,
                    location: location_of(wrapper),
                    findings,
                    element: wrapper.tag_name().name().to_string(),
                });
            }
            Err(reason) => reasons.push(format!(
                "EncryptedKey at {}: {reason}",
                location_of(encrypted_key.node)
            )),
        }
    }
    Err(DecryptError::failed(wrapper, reasons.join("; ")))
}

/// The `xmlenc.decrypted` note and any `xmlenc.weak_algorithm` warnings.
fn notes(
    wrapper: Node<'_, '_>,
    transport: &KeyTransport,
    content: ContentAlgorithm,
    key: &DecryptionKey,
) -> Vec<Finding> {
    let at = location_of(wrapper);
    let mut out = vec![
        Finding::new(
            Code::XmlencDecrypted,
            format!(
                "the {} was decrypted: key transport {}, content {}, with a {}-bit RSA key",
                wrapper.tag_name().name(),
                transport.name(),
                content.name(),
                key.bits()
            ),
        )
        .at(at),
    ];
    if *transport == KeyTransport::Rsa15 {
        out.push(
            Finding::new(
                Code::XmlencWeakAlgorithm,
                "the content key was transported with RSA-1_5 (allowed by opt-in): it is open to Bleichenbacher's attack; configure the IdP for RSA-OAEP",
            )
            .severity(Severity::Warning)
            .at(at),
        );
    }
    if let ContentAlgorithm::AesCbc(_) = content {
        out.push(
            Finding::new(
                Code::XmlencWeakAlgorithm,
                format!(
                    "the content was encrypted with {} (allowed by opt-in): CBC has no integrity and is open to padding-oracle attacks; configure the IdP for AES-GCM",
                    content.name()
                ),
            )
            .severity(Severity::Warning)
            .at(at),
        );
    }
    out
}

/// The plaintext with the in-scope namespace declarations of `wrapper`
/// that it may use and its root start tag does not make itself (IdPs such as node-saml's
/// encrypt `<saml:Assertion>` without declaring `saml`). Text that has no
/// start tag is returned unchanged (and then fails to parse).
fn in_context(plaintext: String, wrapper: Node<'_, '_>) -> String {
    let Some(open) = root_start(&plaintext) else {
        return plaintext;
    };
    let rest = &plaintext[open..];
    let name_end = open
        + rest
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(rest.len());
    let start_tag = &plaintext[open..open + rest.find('>').unwrap_or(rest.len())];
    let mut declarations = String::new();
    for namespace in wrapper.namespaces() {
        let attribute = match namespace.name() {
            Some("xml") => continue,
            // Only prefixes the plaintext may use (a declaration too many is
            // harmless; one too few fails to parse).
            Some(prefix) if !plaintext.contains(&format!("{prefix}:")) => continue,
            Some(prefix) => format!("xmlns:{prefix}="),
            None => "xmlns=".to_string(),
        };
        if start_tag.contains(&attribute) {
            continue;
        }
        let uri = namespace
            .uri()
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        declarations.push_str(&format!(" {attribute}\"{uri}\""));
    }
    if declarations.is_empty() {
        return plaintext;
    }
    let mut out = plaintext;
    out.insert_str(name_end, &declarations);
    out
}

/// Where the root element's `<` is: after any XML declaration, processing
/// instructions, comments and white space.
fn root_start(text: &str) -> Option<usize> {
    let mut at = 0;
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("<?") {
            at += trimmed.find("?>")? + 2;
        } else if trimmed.starts_with("<!--") {
            at += trimmed.find("-->")? + 3;
        } else if trimmed.starts_with('<') {
            return Some(at);
        } else {
            return None;
        }
    }
}

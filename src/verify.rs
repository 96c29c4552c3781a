//! Verification: the signed assertion of a SAML message, read only from what
//! a trusted signature covers.
//!
//! This checks the signature profile and trust and reads the assertion from
//! the verified element (principle 2). It does not judge the SAML
//! conditions (time window, audience, recipient, issuer, status): those need
//! the caller's expectations and a clock; [`crate::validate::Validator`]
//! checks them on top of this.
//!
//! ```
//! use saml_inspect::verify::{verify, VerifyOptions};
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/fixtures/");
//! let trust = saml_inspect::dsig::TrustedKeys::from_pem(
//!     &std::fs::read(format!("{dir}rsa2048.cert.pem")).unwrap()).unwrap();
//! let input = std::fs::read(format!("{dir}assertion-rsa2048.b64")).unwrap();
//! let verified = verify(&input, &VerifyOptions { trust, ..Default::default() }).unwrap();
//! assert_eq!(verified.summary().audiences, ["urn:amazon:webservices"]);
//! ```

use serde::Serialize;

use crate::codes::Code;
use crate::decode::{DecodeError, DecodeLimits, decode};
use crate::dsig::{self, DsigError, Policy, TrustedKey, TrustedKeys};
use crate::inspect::AssertionSummary;
use crate::ns;
use crate::report::Finding;
use crate::saml::{Assertion, Attribute, NameId, Response};
use crate::xml::{self, Limits, XmlError};
use crate::xmlenc::{self, DecryptError, DecryptPolicy, DecryptionKey};

/// Trust, policy and limits for [`verify`].
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// Bounds on decoding.
    pub decode: DecodeLimits,
    /// Bounds on the XML parse.
    pub xml: Limits,
    /// The certificates whose keys may sign. Empty is an error (fail closed).
    pub trust: TrustedKeys,
    /// The algorithm policy.
    pub policy: Policy,
    /// The service provider's private key, to decrypt an
    /// EncryptedAssertion. Without it an encrypted message is refused
    /// (`xmlenc.no_key`).
    pub decryption_key: Option<DecryptionKey>,
    /// Which encryption algorithms decryption accepts.
    pub decrypt_policy: DecryptPolicy,
}

/// The key that verified a signature, as a person identifies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyIdentity {
    /// The certificate's subject.
    pub subject: String,
    /// SHA-1 thumbprint, upper-case hex with colons.
    pub sha1_thumbprint: String,
    /// SHA-256 thumbprint, upper-case hex with colons.
    pub sha256_thumbprint: String,
}

impl KeyIdentity {
    fn of(key: &TrustedKey) -> KeyIdentity {
        KeyIdentity {
            subject: key.subject().to_string(),
            sha1_thumbprint: with_colons(key.sha1_thumbprint()),
            sha256_thumbprint: with_colons(key.sha256_thumbprint()),
        }
    }
}

/// `AB12CD` as `AB:12:CD`, the form the certificate tools and consoles print.
fn with_colons(hex: &str) -> String {
    let mut out = String::with_capacity(hex.len() * 3 / 2);
    for (i, c) in hex.chars().enumerate() {
        if i > 0 && i % 2 == 0 {
            out.push(':');
        }
        out.push(c);
    }
    out
}

/// An assertion whose signature (its own, or its Response's) verified with a
/// trusted key, read from the verified element.
///
/// Serialises with its [`summary`](Self::summary) as a `summary` field.
#[derive(Clone, Debug)]
pub struct VerifiedAssertion {
    /// The assertion, read from the element the signature covers.
    pub assertion: Assertion,
    /// The Response, when the Response itself is signed and verified.
    pub response: Option<Response>,
    /// True when the Response's own signature verified.
    pub response_signed: bool,
    /// True when the Assertion's own signature verified.
    pub assertion_signed: bool,
    /// The key that verified the assertion (its own signature's key, or the
    /// Response's when only the Response is signed).
    pub verified_by: KeyIdentity,
    /// The RelayState that came with the message, if any (never signed).
    pub relay_state: Option<String>,
    /// When the assertion arrived encrypted: how it was decrypted
    /// (`xmlenc.decrypted`, and `xmlenc.weak_algorithm` warnings). The
    /// assertion's location is then a line and column of the plaintext.
    pub decryption: Vec<Finding>,
}

impl VerifiedAssertion {
    /// The values most people look at, in the `verify` JSON shape. Built on
    /// request: it copies every attribute value, which a validation at scale
    /// should not pay for unless it reads them this way.
    pub fn summary(&self) -> AssertionSummary {
        AssertionSummary::of(&self.assertion)
    }
}

impl Serialize for VerifiedAssertion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("VerifiedAssertion", 8)?;
        v.serialize_field("assertion", &self.assertion)?;
        v.serialize_field("summary", &self.summary())?;
        v.serialize_field("response", &self.response)?;
        v.serialize_field("response_signed", &self.response_signed)?;
        v.serialize_field("assertion_signed", &self.assertion_signed)?;
        v.serialize_field("verified_by", &self.verified_by)?;
        v.serialize_field("relay_state", &self.relay_state)?;
        v.serialize_field("decryption", &self.decryption)?;
        v.end()
    }
}

/// Why a message did not verify.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The input could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The XML was refused.
    #[error(transparent)]
    Xml(#[from] XmlError),
    /// A signature failed or the profile does not hold.
    #[error(transparent)]
    Signature(#[from] DsigError),
    /// The message is not what verification needs, or the verified element
    /// does not read as a valid assertion.
    #[error("{}", .0.message)]
    Message(Finding),
    /// The EncryptedAssertion was not decrypted.
    #[error(transparent)]
    Decrypt(#[from] DecryptError),
}

impl VerifyError {
    /// The finding code of the failure.
    pub fn code(&self) -> Code {
        match self {
            VerifyError::Decode(e) => e.code(),
            VerifyError::Xml(e) => e.code(),
            VerifyError::Signature(e) => e.code(),
            VerifyError::Message(f) => f.code,
            VerifyError::Decrypt(e) => e.code(),
        }
    }

    /// The failure as a finding.
    pub fn to_finding(&self) -> Finding {
        match self {
            VerifyError::Decode(e) => e.to_finding(),
            VerifyError::Xml(e) => e.to_finding(),
            VerifyError::Signature(e) => e.to_finding(),
            VerifyError::Message(f) => f.clone(),
            VerifyError::Decrypt(e) => e.to_finding(),
        }
    }
}

/// Decodes, parses and verifies a SAML Response (or a bare Assertion) and
/// returns its one assertion, read from the signed element.
///
/// Fails closed: no trust configured, a Response that does not carry
/// exactly one Assertion, an Assertion that no verified signature covers
/// are errors. An EncryptedAssertion is decrypted with
/// [`VerifyOptions::decryption_key`] (none: `xmlenc.no_key`) and must then
/// be covered the same way: by its own signature inside the plaintext, or
/// by the Response's signature verified before decryption.
pub fn verify(input: &[u8], options: &VerifyOptions) -> Result<VerifiedAssertion, VerifyError> {
    verify_checked(input, options, false).map(|c| c.verified)
}

/// What [`verify_checked`] hands the validator: the verified assertion and,
/// when the Response's own signature did not verify (it is unsigned), the
/// Response read leniently from the same parse, without its Assertions
/// (`assertions` is empty: the verified one is in `verified`). That unverified copy is
/// never a basis for accepting; the validator only uses it to reject
/// (a Destination, Issuer or Version that is wrong even unsigned).
pub(crate) struct Checked {
    pub(crate) verified: VerifiedAssertion,
    pub(crate) unverified_response: Option<crate::saml::Parsed<Response>>,
}

/// [`verify`], with the validator's extra step when `status_first`: a
/// Response whose Status is not Success is refused with `saml.status`
/// before an assertion is required (error responses carry none). The
/// status is reported as verified only when the Response's own signature
/// verifies; refusing on an unverified status is safe (it can only turn an
/// acceptance into a refusal).
pub(crate) fn verify_checked(
    input: &[u8],
    options: &VerifyOptions,
    status_first: bool,
) -> Result<Checked, VerifyError> {
    let decoded = decode(input, &options.decode)?;
    let doc = xml::parse_bytes(&decoded.xml, &options.xml)?;
    let root = doc.root_element();
    let is_response = xml::is_saml_element(root, ns::SAML_PROTOCOL, "Response");
    if !is_response && !xml::is_saml_element(root, ns::SAML_ASSERTION, "Assertion") {
        return Err(message_error(
            Code::SamlNotSaml,
            format!(
                "the root element <{}> is not a SAML Response or Assertion",
                root.tag_name().name()
            ),
            root,
        ));
    }
    // The Response's own values as written, signed or not (see `Checked`).
    // Its Assertions are not read here: the one that counts is read below,
    // from the verified element, and read once.
    let mut lenient = if is_response {
        Response::from_element_without_assertions(root).ok()
    } else {
        None
    };
    if status_first {
        if let Some(status) = lenient
            .as_ref()
            .and_then(|r| r.value.status.as_ref())
            .filter(|s| !s.is_success())
        {
            let signed = dsig::verify_message(&doc, &options.trust, &options.policy)
                .is_ok_and(|m| m.response().is_some());
            return Err(VerifyError::Message(crate::validate::status_finding(
                status, signed,
            )));
        }
    }
    if is_response {
        let encrypted: Vec<_> = root
            .children()
            .filter(|c| xml::is_saml_element(*c, ns::SAML_ASSERTION, "EncryptedAssertion"))
            .collect();
        if !encrypted.is_empty() {
            let verified = verify_encrypted(
                &doc,
                encrypted.len(),
                options,
                &mut lenient,
                decoded.relay_state,
            )?;
            return Ok(Checked {
                unverified_response: if verified.response.is_some() {
                    None
                } else {
                    lenient
                },
                verified,
            });
        }
    }
    let verified = dsig::verify_message(&doc, &options.trust, &options.policy)?;
    let [only] = verified.assertions() else {
        return Err(message_error(
            Code::SamlAssertionCount,
            format!(
                "the Response carries {} Assertions; exactly one is required",
                verified.assertions().len()
            ),
            root,
        ));
    };
    let (key, assertion_signed) = match (only.signature(), verified.response()) {
        (Some(own), _) => (own.key(), true),
        (None, Some(response)) if only.covered_by_response() => (response.key(), false),
        _ => {
            return Err(message_error(
                Code::SignatureMissing,
                "no trusted signature covers the Assertion (neither its own nor the Response's)",
                only.element(),
            ));
        }
    };
    let verified = read_verified(
        only.element(),
        verified.response().map(|v| v.element()),
        &mut lenient,
        key,
        assertion_signed,
        decoded.relay_state,
        options,
    )?;
    Ok(Checked {
        unverified_response: if verified.response.is_some() {
            None
        } else {
            lenient
        },
        verified,
    })
}

/// Reads the assertion (and the Response, when its signature verified)
/// strictly from the verified elements. `lenient` is the root Response read
/// without its Assertions; when the verified Response is the root it is
/// taken instead of reading the element twice.
fn read_verified(
    assertion: crate::xml::Node<'_, '_>,
    response: Option<crate::xml::Node<'_, '_>>,
    lenient: &mut Option<crate::saml::Parsed<Response>>,
    key: &TrustedKey,
    assertion_signed: bool,
    relay_state: Option<String>,
    options: &VerifyOptions,
) -> Result<VerifiedAssertion, VerifyError> {
    let strict = |f: Finding| VerifyError::Message(f);
    let node = assertion;
    let mut assertion = Assertion::from_element(node)
        .map_err(|e| strict(e.to_finding()))?
        .into_strict()
        .map_err(strict)?;
    let decryption = decrypt_within(
        node,
        &mut assertion,
        options.decryption_key.as_ref(),
        &options.decrypt_policy,
        &options.xml,
    )?;
    let response = match response {
        Some(element) => {
            let read = match lenient.take() {
                Some(read) if element == element.document().root_element() => read,
                other => {
                    *lenient = other;
                    Response::from_element_without_assertions(element)
                        .map_err(|e| strict(e.to_finding()))?
                }
            };
            // The assertion read without an error above, so the Response's
            // first error (if any) is its own.
            let mut response = read.into_strict().map_err(strict)?;
            response.assertions = vec![assertion.clone()];
            Some(response)
        }
        None => None,
    };
    Ok(VerifiedAssertion {
        assertion,
        response_signed: response.is_some(),
        response,
        assertion_signed,
        verified_by: KeyIdentity::of(key),
        relay_state,
        decryption,
    })
}

/// At most this many encrypted elements are decrypted inside one assertion.
const MAX_ENCRYPTED_WITHIN: usize = 16;

/// Decrypts what is encrypted inside an assertion, the Subject's EncryptedID
/// and the AttributeStatements' EncryptedAttributes, into the model read
/// from it (`subject.name_id`, `attributes`; the `encrypted_*` counts stay
/// as written). Inside a verified assertion their ciphertext was covered by
/// the signature, so the plaintext is as trusted as the rest. Without a key
/// they stay unread, with an `xmlenc.no_key` warning.
pub(crate) fn decrypt_within<'a, 'input>(
    node: crate::xml::Node<'a, 'input>,
    assertion: &mut Assertion,
    key: Option<&DecryptionKey>,
    policy: &DecryptPolicy,
    limits: &Limits,
) -> Result<Vec<Finding>, DecryptError> {
    let children = |parent: crate::xml::Node<'a, 'input>, local: &'static str| {
        parent
            .children()
            .filter(move |c| xml::is_saml_element(*c, ns::SAML_ASSERTION, local))
    };
    let ids = children(node, "Subject").flat_map(|s| children(s, "EncryptedID"));
    let attributes =
        children(node, "AttributeStatement").flat_map(|s| children(s, "EncryptedAttribute"));
    let mut findings = Vec::new();
    for wrapper in ids.chain(attributes).take(MAX_ENCRYPTED_WITHIN) {
        let Some(key) = key else {
            findings.push(
                DecryptError::no_key(wrapper)
                    .to_finding()
                    .severity(crate::Severity::Warning),
            );
            continue;
        };
        let decrypted = xmlenc::decrypt(wrapper, key, policy)?;
        findings.extend(decrypted.findings.iter().cloned());
        let unreadable = |f: Finding| decrypted.failure(format!("the plaintext: {}", f.message));
        if wrapper.tag_name().name() == "EncryptedID" {
            let plaintext = decrypted.parse(limits, "NameID")?;
            let name_id = NameId::from_element(plaintext.root_element())
                .map_err(|e| unreadable(e.to_finding()))?
                .into_strict()
                .map_err(unreadable)?;
            if let Some(subject) = assertion.subject.as_mut() {
                subject.name_id = name_id;
            }
        } else {
            let plaintext = decrypted.parse(limits, "Attribute")?;
            let attribute = Attribute::from_element(plaintext.root_element())
                .map_err(|e| unreadable(e.to_finding()))?
                .into_strict()
                .map_err(unreadable)?;
            assertion.attributes.extend(attribute);
        }
    }
    Ok(findings)
}

/// The signatures of a document, or none at all (`signature.missing` for
/// the whole document is not an error here: the caller decides).
fn signatures_if_any<'a, 'input>(
    doc: &'a xml::Document<'input>,
    options: &VerifyOptions,
) -> Result<Option<dsig::VerifiedMessage<'a, 'input>>, DsigError> {
    match dsig::verify_message(doc, &options.trust, &options.policy) {
        Ok(m) => Ok(Some(m)),
        Err(DsigError::Missing { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A Response with an EncryptedAssertion: the Response's signature (if
/// any) is verified on the outer document first, then the assertion is
/// decrypted, parsed with the same limits, and must carry its own trusted
/// signature unless the Response's covers the EncryptedAssertion.
fn verify_encrypted(
    doc: &xml::Document<'_>,
    encrypted: usize,
    options: &VerifyOptions,
    lenient: &mut Option<crate::saml::Parsed<Response>>,
    relay_state: Option<String>,
) -> Result<VerifiedAssertion, VerifyError> {
    let root = doc.root_element();
    let plain = root
        .children()
        .filter(|c| xml::is_saml_element(*c, ns::SAML_ASSERTION, "Assertion"))
        .count();
    if encrypted + plain != 1 {
        return Err(message_error(
            Code::SamlAssertionCount,
            format!(
                "the Response carries {plain} Assertions and {encrypted} EncryptedAssertions; exactly one assertion is required"
            ),
            root,
        ));
    }
    let outer = signatures_if_any(doc, options)?;
    let response_signature = outer.as_ref().and_then(|m| m.response());
    // Read the EncryptedAssertion from the verified Response when it is signed.
    let scope = response_signature.map_or(root, |v| v.element());
    let Some(wrapper) = scope
        .children()
        .find(|c| xml::is_saml_element(*c, ns::SAML_ASSERTION, "EncryptedAssertion"))
    else {
        return Err(message_error(
            Code::SamlAssertionCount,
            "the verified Response carries no EncryptedAssertion",
            root,
        ));
    };
    let Some(key) = options.decryption_key.as_ref() else {
        return Err(DecryptError::no_key(wrapper).into());
    };
    let decrypted = xmlenc::decrypt(wrapper, key, &options.decrypt_policy)?;
    let plaintext = decrypted.parse(&options.xml, "Assertion")?;
    let inner = signatures_if_any(&plaintext, options).map_err(|e| {
        if matches!(decrypted.content, xmlenc::ContentAlgorithm::AesCbc(_)) {
            // Without integrity, "the plaintext parsed but its signature
            // failed" is itself an oracle: the generic error.
            VerifyError::Decrypt(
                decrypted.failure(format!("the decrypted assertion's signature: {e}")),
            )
        } else {
            VerifyError::Signature(e)
        }
    })?;
    let assertion = plaintext.root_element();
    let own = inner
        .as_ref()
        .and_then(|m| m.assertions().first())
        .and_then(|a| a.signature());
    let (key, assertion_signed) = match (own, response_signature) {
        (Some(own), _) => (own.key(), true),
        (None, Some(response)) => (response.key(), false),
        (None, None) => {
            return Err(message_error(
                Code::SignatureMissing,
                "the decrypted Assertion carries no signature and no Response signature covers the EncryptedAssertion: encryption is not authentication (anyone can encrypt to the service provider's public key)",
                wrapper,
            ));
        }
    };
    let mut verified = read_verified(
        assertion,
        response_signature.map(|v| v.element()),
        lenient,
        key,
        assertion_signed,
        relay_state,
        options,
    )?;
    verified
        .decryption
        .splice(0..0, decrypted.findings.iter().cloned());
    Ok(verified)
}

fn message_error(
    code: Code,
    message: impl Into<String>,
    node: crate::xml::Node<'_, '_>,
) -> VerifyError {
    VerifyError::Message(Finding::new(code, message).at(xml::location_of(node)))
}

//! The typed SAML 2.0 model: Response, Assertion, AuthnRequest, LogoutRequest
//! and LogoutResponse, read from parsed nodes.
//!
//! # Reading only what was verified
//!
//! Every model type is built from one element with `from_element(node)`,
//! and looks only at that element, its attributes and its descendants
//! (plus the in-scope namespace declarations the parser resolves). No
//! constructor searches the document or climbs to an ancestor. The
//! validator calls them on the element that signature verification returned,
//! so what is read is what was signed (architecture principle 2).
//!
//! # Exact values
//!
//! Text is read with [`xml::element_text`](crate::xml::element_text): text
//! and CDATA are concatenated, comments and processing instructions never
//! cut a value (`admin@victim.com<!---->.evil.com` reads in full, attack
//! C01), and an element where text is expected is a `saml.structure` error.
//! Values are kept exactly as written, whitespace included (a padded Issuer
//! or Role value must be visible to the checks); `trimmed()` accessors exist
//! where a caller needs them.
//!
//! # Namespaces
//!
//! Elements are matched by namespace URI and local name, never by prefix. A
//! `<Response>` in no namespace (or in the SAML 1.x namespace) is reported
//! as `saml.not_saml` and never read as SAML.
//!
//! # Problems are findings
//!
//! Reading never stops at the first problem and never panics.
//! `from_element` returns `Err(`[`ModelError`]`)` only when the element is
//! not the one asked for; everything else (a missing ID, Version 1.1, an
//! invalid timestamp, a duplicated Subject, …) is a [`Finding`] in
//! [`Parsed::findings`], and the field concerned is `None`. A validating
//! caller must refuse a value whose findings include an error
//! ([`Parsed::into_strict`]).
//!
//! # Timestamps
//!
//! See [`time`] for the exact grammar and the decisions (no zone → UTC with
//! a warning, offsets normalised with a warning, leap seconds and hour 24
//! refused, fractions truncated to nanoseconds). Timestamps serialise as
//! RFC 3339 strings in UTC with `Z`.
//!
//! ```
//! use saml_inspect::saml::Message;
//! let xml = std::fs::read_to_string("testdata/fixtures/response-rsa2048.xml").unwrap();
//! let doc = saml_inspect::xml::parse(&xml, &Default::default()).unwrap();
//! let parsed = Message::from_document(&doc).unwrap();
//! let Message::Response(response) = &parsed.value else { panic!() };
//! let assertion = &response.assertions[0];
//! let roles: Vec<&str> =
//!     assertion.attribute_values("https://aws.amazon.com/SAML/Attributes/Role").collect();
//! assert_eq!(roles.len(), 1);
//! ```
//!
//! [`Finding`]: crate::report::Finding

mod assertion;
mod error;
mod read;
mod request;
mod response;
pub mod time;

pub use assertion::{
    Assertion, Attribute, AttributeValue, AudienceRestriction, AuthnStatement, Conditions, Issuer,
    NameId, ProxyRestriction, Subject, SubjectConfirmation, SubjectConfirmationData,
};
pub use error::{MAX_QUOTED_CHARS, ModelError, Parsed};
pub use request::{
    AuthnRequest, LogoutRequest, LogoutResponse, NameIdPolicy, RequestedAuthnContext,
};
pub use response::{Response, Status};

use serde::Serialize;

use crate::ns::{SAML_ASSERTION, SAML_METADATA, SAML_PROTOCOL};
use crate::report::Location;
use crate::xml;

use read::{Reader, expect_element, qualified_name};

/// The root of a SAML metadata document, recognised so that a caller can
/// route it to the metadata reader (this module does not read metadata).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MetadataRoot {
    /// `EntityDescriptor` or `EntitiesDescriptor`.
    pub element: &'static str,
    /// Where the root element starts.
    pub location: Location,
}

/// What a SAML document is, recognised from its root element, with the
/// message read into the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Message {
    /// `<samlp:Response>`.
    Response(Response),
    /// A bare `<saml:Assertion>`.
    Assertion(Assertion),
    /// `<samlp:AuthnRequest>`.
    AuthnRequest(AuthnRequest),
    /// `<samlp:LogoutRequest>`.
    LogoutRequest(LogoutRequest),
    /// `<samlp:LogoutResponse>`.
    LogoutResponse(LogoutResponse),
    /// `<md:EntityDescriptor>` or `<md:EntitiesDescriptor>` (not read here).
    Metadata(MetadataRoot),
}

/// The roots this module recognises: (namespace, local name).
const ROOTS: [(&str, &str); 7] = [
    (SAML_PROTOCOL, "Response"),
    (SAML_ASSERTION, "Assertion"),
    (SAML_PROTOCOL, "AuthnRequest"),
    (SAML_PROTOCOL, "LogoutRequest"),
    (SAML_PROTOCOL, "LogoutResponse"),
    (SAML_METADATA, "EntityDescriptor"),
    (SAML_METADATA, "EntitiesDescriptor"),
];

impl Message {
    /// Recognises the document's root element and reads it.
    ///
    /// `Err` with `saml.not_saml` when the root is none of the recognised
    /// SAML elements, including a SAML-named element in no namespace or
    /// another namespace ("a Response element in no namespace is not a SAML
    /// message").
    pub fn from_document(doc: &xml::Document<'_>) -> Result<Parsed<Message>, ModelError> {
        Message::from_element(doc.root_element())
    }

    /// Recognises `node` and reads it (see [`Message::from_document`]).
    pub fn from_element(node: crate::xml::Node<'_, '_>) -> Result<Parsed<Message>, ModelError> {
        let Some(&(uri, local)) = ROOTS
            .iter()
            .find(|(_, local)| node.is_element() && node.tag_name().name() == *local)
        else {
            return Err(ModelError::NotSaml {
                message: format!(
                    "the root element <{}> is not a SAML 2.0 message or metadata",
                    if node.is_element() {
                        qualified_name(node)
                    } else {
                        "(not an element)".to_owned()
                    }
                ),
                location: xml::location_of(node),
            });
        };
        // Right name, wrong (or no) namespace: NotSaml.
        expect_element(node, uri, local)?;
        let mut r = Reader::new(node);
        let message = match local {
            "Response" => Message::Response(Response::read(node, &mut r)),
            "Assertion" => Message::Assertion(Assertion::read(node, &mut r)),
            "AuthnRequest" => Message::AuthnRequest(AuthnRequest::read(node, &mut r)),
            "LogoutRequest" => Message::LogoutRequest(LogoutRequest::read(node, &mut r)),
            "LogoutResponse" => Message::LogoutResponse(LogoutResponse::read(node, &mut r)),
            _ => Message::Metadata(MetadataRoot {
                element: local,
                location: r.location(node),
            }),
        };
        Ok(r.finish(message))
    }

    /// The root element's local name, e.g. `Response`.
    pub fn element_name(&self) -> &'static str {
        match self {
            Message::Response(_) => "Response",
            Message::Assertion(_) => "Assertion",
            Message::AuthnRequest(_) => "AuthnRequest",
            Message::LogoutRequest(_) => "LogoutRequest",
            Message::LogoutResponse(_) => "LogoutResponse",
            Message::Metadata(m) => m.element,
        }
    }
}

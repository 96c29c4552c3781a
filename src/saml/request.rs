//! `<samlp:AuthnRequest>`, `<samlp:LogoutRequest>` and `<samlp:LogoutResponse>`:
//! the fields that matter when a sign-in or sign-out goes wrong.
//!
//! SAML 2.0 Core, section 3.2.1 (every request):
//!
//! ```text
//! <complexType name="RequestAbstractType" abstract="true">
//!   <sequence>
//!     <element ref="saml:Issuer" minOccurs="0"/>
//!     <element ref="ds:Signature" minOccurs="0"/>
//!     <element ref="samlp:Extensions" minOccurs="0"/>
//!   </sequence>
//!   <attribute name="ID" type="ID" use="required"/>
//!   <attribute name="Version" type="string" use="required"/>
//!   <attribute name="IssueInstant" type="dateTime" use="required"/>
//!   <attribute name="Destination" type="anyURI" use="optional"/>
//!   <attribute name="Consent" type="anyURI" use="optional"/>
//! </complexType>
//! ```
//!
//! AuthnRequest (3.4.1) adds Subject, NameIDPolicy, Conditions,
//! RequestedAuthnContext, Scoping and the ForceAuthn, IsPassive,
//! ProtocolBinding, AssertionConsumerService* attributes; LogoutRequest
//! (3.7.1) adds (BaseID | NameID | EncryptedID), SessionIndex*, Reason and
//! NotOnOrAfter; LogoutResponse is a plain StatusResponseType.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ns::{SAML_ASSERTION, SAML_PROTOCOL};
use crate::report::Location;

use super::assertion::{Issuer, NameId};
use super::error::{ModelError, Parsed};
use super::read::{Reader, element_children, expect_element, is, is_signature};
use super::response::{Status, read_status_response_children};
use super::time::serialize_opt;

/// `<samlp:NameIDPolicy>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameIdPolicy {
    /// The `Format` attribute.
    pub format: Option<String>,
    /// The `SPNameQualifier` attribute.
    pub sp_name_qualifier: Option<String>,
    /// The `AllowCreate` attribute.
    pub allow_create: Option<bool>,
}

/// `<samlp:RequestedAuthnContext>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestedAuthnContext {
    /// The `Comparison` attribute (`exact` when absent, per the schema).
    pub comparison: Option<String>,
    /// Every `<saml:AuthnContextClassRef>`, in order.
    pub class_refs: Vec<String>,
    /// Every `<saml:AuthnContextDeclRef>`, in order.
    pub decl_refs: Vec<String>,
}

/// `<samlp:AuthnRequest>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuthnRequest {
    /// The `ID` attribute (required).
    pub id: Option<String>,
    /// The `Version` attribute (must be "2.0").
    pub version: Option<String>,
    /// The `IssueInstant` attribute, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub issue_instant: Option<DateTime<Utc>>,
    /// The `Destination` attribute.
    pub destination: Option<String>,
    /// The `AssertionConsumerServiceURL` attribute.
    pub assertion_consumer_service_url: Option<String>,
    /// The `AssertionConsumerServiceIndex` attribute (as written).
    pub assertion_consumer_service_index: Option<String>,
    /// The `ProtocolBinding` attribute.
    pub protocol_binding: Option<String>,
    /// The `<saml:Issuer>`.
    pub issuer: Option<Issuer>,
    /// The `<samlp:NameIDPolicy>`.
    pub name_id_policy: Option<NameIdPolicy>,
    /// The `ForceAuthn` attribute.
    pub force_authn: Option<bool>,
    /// The `IsPassive` attribute.
    pub is_passive: Option<bool>,
    /// The `<samlp:RequestedAuthnContext>`.
    pub requested_authn_context: Option<RequestedAuthnContext>,
    /// True when a `<ds:Signature>` child is present.
    pub has_signature: bool,
    /// Where the element starts.
    pub location: Location,
}

impl AuthnRequest {
    /// Reads an AuthnRequest from its element. `Err` only when `node` is not
    /// a `<samlp:AuthnRequest>`.
    ///
    /// ```
    /// use saml_inspect::saml::AuthnRequest;
    /// let xml = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
    ///   ID="_q" Version="2.0" IssueInstant="2026-11-01T12:00:00Z" ForceAuthn="true"/>"#;
    /// let doc = saml_inspect::xml::parse(xml, &Default::default()).unwrap();
    /// let request = AuthnRequest::from_element(doc.root_element()).unwrap().value;
    /// assert_eq!(request.force_authn, Some(true));
    /// ```
    pub fn from_element(
        node: crate::xml::Node<'_, '_>,
    ) -> Result<Parsed<AuthnRequest>, ModelError> {
        expect_element(node, SAML_PROTOCOL, "AuthnRequest")?;
        let mut r = Reader::new(node);
        let value = AuthnRequest::read(node, &mut r);
        Ok(r.finish(value))
    }

    pub(crate) fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> AuthnRequest {
        const EL: &str = "AuthnRequest";
        let location = r.location(node);
        let header = r.header(node, EL);
        let mut q = AuthnRequest {
            id: header.id,
            version: header.version,
            issue_instant: header.issue_instant,
            destination: Reader::attr(node, "Destination"),
            assertion_consumer_service_url: Reader::attr(node, "AssertionConsumerServiceURL"),
            assertion_consumer_service_index: Reader::attr(node, "AssertionConsumerServiceIndex"),
            protocol_binding: Reader::attr(node, "ProtocolBinding"),
            issuer: None,
            name_id_policy: None,
            force_authn: None,
            is_passive: None,
            requested_authn_context: None,
            has_signature: false,
            location,
        };
        for a in node.attributes().filter(|a| a.namespace().is_none()) {
            match a.name() {
                "ForceAuthn" => q.force_authn = r.bool_attr(node, EL, "ForceAuthn"),
                "IsPassive" => q.is_passive = r.bool_attr(node, EL, "IsPassive"),
                _ => {}
            }
        }
        let common = read_request_children(node, r, EL, |child, r| {
            if is(child, SAML_PROTOCOL, "NameIDPolicy") {
                if q.name_id_policy.is_some() {
                    r.duplicate(EL, "NameIDPolicy", child);
                } else {
                    q.name_id_policy = Some(NameIdPolicy {
                        format: Reader::attr(child, "Format"),
                        sp_name_qualifier: Reader::attr(child, "SPNameQualifier"),
                        allow_create: r.bool_attr(child, "NameIDPolicy", "AllowCreate"),
                    });
                }
                true
            } else if is(child, SAML_PROTOCOL, "RequestedAuthnContext") {
                if q.requested_authn_context.is_some() {
                    r.duplicate(EL, "RequestedAuthnContext", child);
                } else {
                    q.requested_authn_context = Some(read_requested_authn_context(child, r));
                }
                true
            } else {
                // Allowed by the schema and not needed here.
                is(child, SAML_ASSERTION, "Subject")
                    || is(child, SAML_ASSERTION, "Conditions")
                    || is(child, SAML_PROTOCOL, "Scoping")
            }
        });
        q.issuer = common.issuer;
        q.has_signature = common.has_signature;
        q
    }
}

fn read_requested_authn_context(
    node: crate::xml::Node<'_, '_>,
    r: &mut Reader<'_>,
) -> RequestedAuthnContext {
    const EL: &str = "RequestedAuthnContext";
    let location = r.location(node);
    let mut c = RequestedAuthnContext {
        comparison: Reader::attr(node, "Comparison"),
        class_refs: Vec::new(),
        decl_refs: Vec::new(),
    };
    for child in element_children(node) {
        if is(child, SAML_ASSERTION, "AuthnContextClassRef") {
            c.class_refs.extend(r.text(child, "AuthnContextClassRef"));
        } else if is(child, SAML_ASSERTION, "AuthnContextDeclRef") {
            c.decl_refs.extend(r.text(child, "AuthnContextDeclRef"));
        } else {
            r.ignored_child(EL, child);
        }
    }
    if c.class_refs.is_empty() && c.decl_refs.is_empty() {
        r.error(ModelError::MissingElement {
            parent: EL,
            child: "AuthnContextClassRef",
            location,
        });
    }
    c
}

/// `<samlp:LogoutRequest>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogoutRequest {
    /// The `ID` attribute (required).
    pub id: Option<String>,
    /// The `Version` attribute (must be "2.0").
    pub version: Option<String>,
    /// The `IssueInstant` attribute, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub issue_instant: Option<DateTime<Utc>>,
    /// The `Destination` attribute.
    pub destination: Option<String>,
    /// The `<saml:Issuer>`.
    pub issuer: Option<Issuer>,
    /// The `<saml:NameID>` of the principal to log out.
    pub name_id: Option<NameId>,
    /// True when an `<saml:EncryptedID>` stands in for the NameID.
    pub encrypted_id: bool,
    /// Every `<samlp:SessionIndex>`, exactly as written.
    pub session_indexes: Vec<String>,
    /// The `NotOnOrAfter` attribute, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub not_on_or_after: Option<DateTime<Utc>>,
    /// The `Reason` attribute.
    pub reason: Option<String>,
    /// True when a `<ds:Signature>` child is present.
    pub has_signature: bool,
    /// Where the element starts.
    pub location: Location,
}

impl LogoutRequest {
    /// Reads a LogoutRequest from its element. `Err` only when `node` is not
    /// a `<samlp:LogoutRequest>`.
    pub fn from_element(
        node: crate::xml::Node<'_, '_>,
    ) -> Result<Parsed<LogoutRequest>, ModelError> {
        expect_element(node, SAML_PROTOCOL, "LogoutRequest")?;
        let mut r = Reader::new(node);
        let value = LogoutRequest::read(node, &mut r);
        Ok(r.finish(value))
    }

    pub(crate) fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> LogoutRequest {
        const EL: &str = "LogoutRequest";
        let location = r.location(node);
        let header = r.header(node, EL);
        let mut q = LogoutRequest {
            id: header.id,
            version: header.version,
            issue_instant: header.issue_instant,
            destination: Reader::attr(node, "Destination"),
            issuer: None,
            name_id: None,
            encrypted_id: false,
            session_indexes: Vec::new(),
            not_on_or_after: None,
            reason: Reader::attr(node, "Reason"),
            has_signature: false,
            location,
        };
        if node.attribute("NotOnOrAfter").is_some() {
            q.not_on_or_after = r.time_attr(node, EL, "NotOnOrAfter");
        }
        let mut identifiers = 0usize;
        let common = read_request_children(node, r, EL, |child, r| {
            if is(child, SAML_ASSERTION, "NameID")
                || is(child, SAML_ASSERTION, "EncryptedID")
                || is(child, SAML_ASSERTION, "BaseID")
            {
                identifiers += 1;
                if identifiers > 1 {
                    r.duplicate(EL, "NameID", child);
                } else {
                    match child.tag_name().name() {
                        "NameID" => q.name_id = NameId::read(child, "NameID", r),
                        "EncryptedID" => q.encrypted_id = true,
                        _ => {}
                    }
                }
                true
            } else if is(child, SAML_PROTOCOL, "SessionIndex") {
                q.session_indexes.extend(r.text(child, "SessionIndex"));
                true
            } else {
                false
            }
        });
        if identifiers == 0 {
            r.error(ModelError::MissingElement {
                parent: EL,
                child: "NameID",
                location,
            });
        }
        q.issuer = common.issuer;
        q.has_signature = common.has_signature;
        q
    }
}

/// `<samlp:LogoutResponse>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogoutResponse {
    /// The `ID` attribute (required).
    pub id: Option<String>,
    /// The `Version` attribute (must be "2.0").
    pub version: Option<String>,
    /// The `IssueInstant` attribute, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub issue_instant: Option<DateTime<Utc>>,
    /// The `InResponseTo` attribute.
    pub in_response_to: Option<String>,
    /// The `Destination` attribute.
    pub destination: Option<String>,
    /// The `<saml:Issuer>`.
    pub issuer: Option<Issuer>,
    /// The `<samlp:Status>` (required).
    pub status: Option<Status>,
    /// True when a `<ds:Signature>` child is present.
    pub has_signature: bool,
    /// Where the element starts.
    pub location: Location,
}

impl LogoutResponse {
    /// Reads a LogoutResponse from its element. `Err` only when `node` is
    /// not a `<samlp:LogoutResponse>`.
    pub fn from_element(
        node: crate::xml::Node<'_, '_>,
    ) -> Result<Parsed<LogoutResponse>, ModelError> {
        expect_element(node, SAML_PROTOCOL, "LogoutResponse")?;
        let mut r = Reader::new(node);
        let value = LogoutResponse::read(node, &mut r);
        Ok(r.finish(value))
    }

    pub(crate) fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> LogoutResponse {
        const EL: &str = "LogoutResponse";
        let location = r.location(node);
        let header = r.header(node, EL);
        let common = read_status_response_children(node, r, EL, location, |_, _| false);
        LogoutResponse {
            id: header.id,
            version: header.version,
            issue_instant: header.issue_instant,
            in_response_to: Reader::attr(node, "InResponseTo"),
            destination: Reader::attr(node, "Destination"),
            issuer: common.issuer,
            status: common.status,
            has_signature: common.has_signature,
            location,
        }
    }
}

/// The children every request has (Issuer, Signature, Extensions), plus
/// whatever `extra` accepts.
struct RequestChildren {
    issuer: Option<NameId>,
    has_signature: bool,
}

fn read_request_children(
    node: crate::xml::Node<'_, '_>,
    r: &mut Reader<'_>,
    element: &'static str,
    mut extra: impl FnMut(crate::xml::Node<'_, '_>, &mut Reader<'_>) -> bool,
) -> RequestChildren {
    let mut out = RequestChildren {
        issuer: None,
        has_signature: false,
    };
    let mut seen_issuer = false;
    let mut seen_extensions = false;
    for child in element_children(node) {
        if is(child, SAML_ASSERTION, "Issuer") {
            if seen_issuer {
                r.duplicate(element, "Issuer", child);
            } else {
                seen_issuer = true;
                out.issuer = NameId::read(child, "Issuer", r);
            }
        } else if is_signature(child) {
            if out.has_signature {
                r.duplicate(element, "Signature", child);
            }
            out.has_signature = true;
        } else if is(child, SAML_PROTOCOL, "Extensions") {
            if seen_extensions {
                r.duplicate(element, "Extensions", child);
            }
            seen_extensions = true;
        } else if !extra(child, r) {
            r.ignored_child(element, child);
        }
    }
    out
}

//! `<samlp:Response>` and `<samlp:Status>`.
//!
//! SAML 2.0 Core, sections 3.2.2 and 3.3.3:
//!
//! ```text
//! <complexType name="StatusResponseType">
//!   <sequence>
//!     <element ref="saml:Issuer" minOccurs="0"/>
//!     <element ref="ds:Signature" minOccurs="0"/>
//!     <element ref="samlp:Extensions" minOccurs="0"/>
//!     <element ref="samlp:Status"/>
//!   </sequence>
//!   <attribute name="ID" type="ID" use="required"/>
//!   <attribute name="InResponseTo" type="NCName" use="optional"/>
//!   <attribute name="Version" type="string" use="required"/>
//!   <attribute name="IssueInstant" type="dateTime" use="required"/>
//!   <attribute name="Destination" type="anyURI" use="optional"/>
//!   <attribute name="Consent" type="anyURI" use="optional"/>
//! </complexType>
//! <complexType name="ResponseType">
//!   <complexContent><extension base="samlp:StatusResponseType">
//!     <choice minOccurs="0" maxOccurs="unbounded">
//!       <element ref="saml:Assertion"/>
//!       <element ref="saml:EncryptedAssertion"/>
//!     </choice>
//!   </extension></complexContent>
//! </complexType>
//! ```
//!
//! Only the assertions that are *direct children* of the Response are read;
//! an assertion anywhere else (inside Extensions, Advice, a Signature's
//! Object) is not one of the Response's assertions (attacks W01-W12).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ns::{SAML_ASSERTION, SAML_PROTOCOL, STATUS_SUCCESS};

/// The namespace of the SAML 2.0 status codes (`…:status:Success`, `…:status:AuthnFailed`).
const STATUS_PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:status:";
use crate::report::Location;

use super::assertion::{Assertion, Issuer, NameId};
use super::error::{ModelError, Parsed};
use super::read::{Reader, element_children, expect_element, is, is_signature};
use super::time::serialize_opt;

/// `<samlp:Status>`: whether the request succeeded and, if not, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The `Value` of each `<samlp:StatusCode>` from the top level down the
    /// nested chain (`Responder` > `AuthnFailed` gives two entries). Empty
    /// when the top-level StatusCode is missing (a finding says so).
    pub codes: Vec<String>,
    /// The `<samlp:StatusMessage>`, exactly as written. Entra ID puts its
    /// `AADSTS…` error codes here.
    pub message: Option<String>,
    /// True when a `<samlp:StatusDetail>` is present (not read).
    pub has_detail: bool,
    /// Where the element starts.
    pub location: Location,
}

impl Status {
    /// The top-level status code, if any.
    pub fn top_level(&self) -> Option<&str> {
        self.codes.first().map(String::as_str)
    }

    /// True when the top-level status code is exactly `…:status:Success`
    /// and no nested StatusCode is a SAML status other than Success: a
    /// Success refined by `…:status:AuthnFailed` contradicts itself and is
    /// not taken as success. Nested codes outside the SAML status namespace
    /// (an identity provider's own detail) do not change the top level.
    pub fn is_success(&self) -> bool {
        let saml_failure =
            |c: &String| c.starts_with(STATUS_PREFIX) && c.as_str() != STATUS_SUCCESS;
        self.top_level() == Some(STATUS_SUCCESS) && !self.codes.iter().skip(1).any(saml_failure)
    }

    /// The Entra ID error codes (`AADSTS` followed by digits) named in the
    /// StatusMessage, in order.
    ///
    /// ```
    /// # use saml_inspect::saml::Status;
    /// # use saml_inspect::Location;
    /// let status = Status {
    ///     codes: vec![],
    ///     message: Some("AADSTS50105: The signed in user is not assigned (AADSTS50105x)".into()),
    ///     has_detail: false,
    ///     location: Location::new(1, 1),
    /// };
    /// assert_eq!(status.aadsts_codes(), ["AADSTS50105"]);
    /// ```
    pub fn aadsts_codes(&self) -> Vec<&str> {
        let Some(message) = self.message.as_deref() else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut rest = message;
        while let Some(at) = rest.find("AADSTS") {
            let tail = rest.get(at..).unwrap_or_default();
            let digits = tail
                .get("AADSTS".len()..)
                .unwrap_or_default()
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let end = "AADSTS".len() + digits;
            let followed_by_word = tail
                .get(end..)
                .and_then(|t| t.chars().next())
                .is_some_and(char::is_alphanumeric);
            if digits > 0 && !followed_by_word {
                found.extend(tail.get(..end));
            }
            rest = tail.get(end.max(1)..).unwrap_or_default();
        }
        found
    }

    /// Reads a node known to be a `<samlp:Status>`.
    pub(crate) fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> Status {
        const EL: &str = "Status";
        let mut s = Status {
            codes: Vec::new(),
            message: None,
            has_detail: false,
            location: r.location(node),
        };
        let mut saw_code = false;
        for child in element_children(node) {
            if is(child, SAML_PROTOCOL, "StatusCode") {
                if saw_code {
                    r.duplicate(EL, "StatusCode", child);
                    continue;
                }
                saw_code = true;
                read_status_codes(child, r, &mut s.codes);
            } else if is(child, SAML_PROTOCOL, "StatusMessage") {
                if s.message.is_some() {
                    r.duplicate(EL, "StatusMessage", child);
                } else {
                    s.message = r.text(child, "StatusMessage");
                }
            } else if is(child, SAML_PROTOCOL, "StatusDetail") {
                if s.has_detail {
                    r.duplicate(EL, "StatusDetail", child);
                }
                s.has_detail = true;
            } else {
                r.ignored_child(EL, child);
            }
        }
        if !saw_code {
            let location = s.location;
            r.error(ModelError::MissingElement {
                parent: EL,
                child: "StatusCode",
                location,
            });
        }
        s
    }
}

/// Follows the StatusCode chain (each may hold one nested StatusCode). The
/// depth is bounded by the parser's depth limit; the loop is iterative.
fn read_status_codes(first: crate::xml::Node<'_, '_>, r: &mut Reader<'_>, codes: &mut Vec<String>) {
    const EL: &str = "StatusCode";
    let mut current = Some(first);
    while let Some(node) = current {
        current = None;
        if let Some(value) = r.required_attr(node, EL, "Value") {
            codes.push(value);
        }
        for child in element_children(node) {
            if is(child, SAML_PROTOCOL, "StatusCode") {
                if current.is_some() {
                    r.duplicate(EL, "StatusCode", child);
                } else {
                    current = Some(child);
                }
            } else {
                r.ignored_child(EL, child);
            }
        }
    }
}

/// `<samlp:Response>`, read from the element (and only from it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Response {
    /// The `ID` attribute (required).
    pub id: Option<String>,
    /// The `Version` attribute (must be "2.0").
    pub version: Option<String>,
    /// The `IssueInstant` attribute, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub issue_instant: Option<DateTime<Utc>>,
    /// The `Destination` attribute, exactly as written.
    pub destination: Option<String>,
    /// The `InResponseTo` attribute.
    pub in_response_to: Option<String>,
    /// The `Consent` attribute.
    pub consent: Option<String>,
    /// The `<saml:Issuer>` (optional on a Response).
    pub issuer: Option<Issuer>,
    /// The `<samlp:Status>` (required).
    pub status: Option<Status>,
    /// The `<saml:Assertion>` children, in order, each read in full.
    pub assertions: Vec<Assertion>,
    /// How many `<saml:EncryptedAssertion>` children there are (not
    /// decrypted).
    pub encrypted_assertions: usize,
    /// True when the Response has a `<ds:Signature>` child (presence only).
    pub has_signature: bool,
    /// Where the element starts.
    pub location: Location,
}

impl Response {
    /// Reads a response from its element. `Err` only when `node` is not a
    /// `<samlp:Response>` (a `Response` in no namespace is `saml.not_saml`);
    /// every other problem is a finding.
    ///
    /// ```
    /// use saml_inspect::saml::Response;
    /// let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
    ///   ID="_r" Version="2.0" IssueInstant="2026-11-01T12:00:00Z">
    ///   <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">
    ///   <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/>
    ///   </samlp:StatusCode></samlp:Status></samlp:Response>"#;
    /// let doc = saml_inspect::xml::parse(xml, &Default::default()).unwrap();
    /// let response = Response::from_element(doc.root_element()).unwrap().value;
    /// let status = response.status.unwrap();
    /// assert!(!status.is_success());
    /// assert_eq!(status.codes.len(), 2);
    /// ```
    pub fn from_element(node: crate::xml::Node<'_, '_>) -> Result<Parsed<Response>, ModelError> {
        expect_element(node, SAML_PROTOCOL, "Response")?;
        let mut r = Reader::new(node);
        let value = Response::read(node, &mut r);
        Ok(r.finish(value))
    }

    /// [`Response::from_element`] without reading the Assertions: they are
    /// recognised as children, but `assertions` stays empty and no finding
    /// about them is made. For the verifier, which reads the one Assertion
    /// from the verified element itself and needs only the Response's own
    /// values from this read.
    pub(crate) fn from_element_without_assertions(
        node: crate::xml::Node<'_, '_>,
    ) -> Result<Parsed<Response>, ModelError> {
        expect_element(node, SAML_PROTOCOL, "Response")?;
        let mut r = Reader::new(node);
        let value = Response::read_with(node, &mut r, false);
        Ok(r.finish(value))
    }

    pub(crate) fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> Response {
        Response::read_with(node, r, true)
    }

    fn read_with(
        node: crate::xml::Node<'_, '_>,
        r: &mut Reader<'_>,
        with_assertions: bool,
    ) -> Response {
        const EL: &str = "Response";
        let location = r.location(node);
        let header = r.header(node, EL);
        let mut resp = Response {
            id: header.id,
            version: header.version,
            issue_instant: header.issue_instant,
            destination: Reader::attr(node, "Destination"),
            in_response_to: Reader::attr(node, "InResponseTo"),
            consent: Reader::attr(node, "Consent"),
            issuer: None,
            status: None,
            assertions: Vec::new(),
            encrypted_assertions: 0,
            has_signature: false,
            location,
        };
        let common = read_status_response_children(node, r, EL, location, |child, r| {
            if is(child, SAML_ASSERTION, "Assertion") {
                if with_assertions {
                    resp.assertions.push(Assertion::read(child, r));
                }
                true
            } else if is(child, SAML_ASSERTION, "EncryptedAssertion") {
                resp.encrypted_assertions += 1;
                true
            } else {
                false
            }
        });
        resp.issuer = common.issuer;
        resp.status = common.status;
        resp.has_signature = common.has_signature;
        resp
    }
}

/// The children every StatusResponseType has.
pub(crate) struct StatusResponseChildren {
    pub(crate) issuer: Option<NameId>,
    pub(crate) status: Option<Status>,
    pub(crate) has_signature: bool,
}

/// Reads Issuer, Signature, Extensions and Status; any other child is
/// offered to `extra`, which returns false when it has no place either.
pub(crate) fn read_status_response_children(
    node: crate::xml::Node<'_, '_>,
    r: &mut Reader<'_>,
    element: &'static str,
    location: Location,
    mut extra: impl FnMut(crate::xml::Node<'_, '_>, &mut Reader<'_>) -> bool,
) -> StatusResponseChildren {
    let mut out = StatusResponseChildren {
        issuer: None,
        status: None,
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
        } else if is(child, SAML_PROTOCOL, "Status") {
            if out.status.is_some() {
                r.duplicate(element, "Status", child);
            } else {
                out.status = Some(Status::read(child, r));
            }
        } else if !extra(child, r) {
            r.ignored_child(element, child);
        }
    }
    if out.status.is_none() {
        r.error(ModelError::MissingElement {
            parent: element,
            child: "Status",
            location,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;
    use crate::xml::{Limits, parse};

    fn read(xml: &str) -> Result<Parsed<Response>, ModelError> {
        let doc = parse(xml, &Limits::default()).unwrap();
        Response::from_element(doc.root_element())
    }

    #[test]
    fn no_namespace_response_is_not_saml() {
        let e = read(r#"<Response ID="_x" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"/>"#)
            .unwrap_err();
        assert_eq!(e.code(), Code::SamlNotSaml);
        assert_eq!(
            e.to_string(),
            "a Response element in no namespace is not a SAML message"
        );
        let e =
            read(r#"<r:Response xmlns:r="urn:oasis:names:tc:SAML:1.0:protocol"/>"#).unwrap_err();
        assert_eq!(e.code(), Code::SamlNotSaml);
        let e = read(r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>"#)
            .unwrap_err();
        assert_eq!(e.code(), Code::SamlStructure);
    }

    #[test]
    fn missing_status_and_nested_duplicates() {
        let p = read(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"/>"#,
        )
        .unwrap();
        assert_eq!(
            p.first_error().unwrap().message,
            "<Response> has no <Status> child, which is required"
        );
        let p = read(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"><samlp:Status><samlp:StatusMessage>AADSTS50105: not assigned</samlp:StatusMessage></samlp:Status></samlp:Response>"#,
        )
        .unwrap();
        assert_eq!(
            p.first_error().unwrap().message,
            "<Status> has no <StatusCode> child, which is required"
        );
        let status = p.value.status.unwrap();
        assert_eq!(status.top_level(), None);
        assert_eq!(status.aadsts_codes(), ["AADSTS50105"]);
    }

    #[test]
    fn aadsts_codes_are_found_in_text() {
        let status = |m: &str| Status {
            codes: vec![],
            message: Some(m.to_owned()),
            has_detail: false,
            location: Location::new(1, 1),
        };
        assert_eq!(
            status("AADSTS75011 then AADSTS; and AADSTS700016.").aadsts_codes(),
            ["AADSTS75011", "AADSTS700016"]
        );
        assert!(status("no codes, AADSTSx").aadsts_codes().is_empty());
        assert!(status("AADSTS").aadsts_codes().is_empty());
    }
}

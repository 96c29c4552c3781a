//! `<saml:Assertion>` and its parts: Issuer, Subject, Conditions, AuthnStatement,
//! AttributeStatement.
//!
//! SAML 2.0 Core, section 2.3.3:
//!
//! ```text
//! <element name="Assertion" type="saml:AssertionType"/>
//! <complexType name="AssertionType">
//!   <sequence>
//!     <element ref="saml:Issuer"/>
//!     <element ref="ds:Signature" minOccurs="0"/>
//!     <element ref="saml:Subject" minOccurs="0"/>
//!     <element ref="saml:Conditions" minOccurs="0"/>
//!     <element ref="saml:Advice" minOccurs="0"/>
//!     <choice minOccurs="0" maxOccurs="unbounded">
//!       <element ref="saml:Statement"/>
//!       <element ref="saml:AuthnStatement"/>
//!       <element ref="saml:AuthzDecisionStatement"/>
//!       <element ref="saml:AttributeStatement"/>
//!     </choice>
//!   </sequence>
//!   <attribute name="Version" type="string" use="required"/>
//!   <attribute name="ID" type="ID" use="required"/>
//!   <attribute name="IssueInstant" type="dateTime" use="required"/>
//! </complexType>
//! ```
//!
//! `Advice` is noted but never read: assertions inside it are not the
//! assertion that was signed for this subject (attack W12).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::codes::Code;
use crate::ns::{SAML_ASSERTION, XSI};
use crate::report::{Finding, Location};

use super::error::{ModelError, Parsed};
use super::read::{Reader, element_children, expect_element, is, is_signature};
use super::time::serialize_opt;

/// A `NameIDType` value: `<saml:NameID>` and `<saml:Issuer>` share it.
///
/// The value is kept exactly as written (whitespace included): whether an
/// `Issuer` padded with a newline matches is a question for the checks that
/// compare it, and they must be able to see the padding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameId {
    /// The text, exactly as written.
    pub value: String,
    /// The `Format` attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The `NameQualifier` attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_qualifier: Option<String>,
    /// The `SPNameQualifier` attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sp_name_qualifier: Option<String>,
    /// The `SPProvidedID` attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sp_provided_id: Option<String>,
    /// Where the element starts.
    pub location: Location,
}

/// `<saml:Issuer>`: a [`NameId`] naming the entity that issued the message.
pub type Issuer = NameId;

impl NameId {
    /// The value without leading and trailing XML whitespace.
    pub fn trimmed(&self) -> &str {
        self.value.trim_matches([' ', '\t', '\n', '\r'])
    }

    /// True when the value has leading or trailing whitespace.
    pub fn is_padded(&self) -> bool {
        self.trimmed().len() != self.value.len()
    }

    /// Reads a standalone `<saml:NameID>` (e.g. the plaintext of an
    /// EncryptedID). `None` in the value when its content is not text.
    pub fn from_element(
        node: crate::xml::Node<'_, '_>,
    ) -> Result<Parsed<Option<NameId>>, ModelError> {
        expect_element(node, SAML_ASSERTION, "NameID")?;
        let mut r = Reader::new(node);
        let value = NameId::read(node, "NameID", &mut r);
        Ok(r.finish(value))
    }

    /// Reads a NameIDType element (`element` names it in findings). `None`
    /// when its content is not text.
    pub(crate) fn read(
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
        r: &mut Reader<'_>,
    ) -> Option<NameId> {
        let location = r.location(node);
        let format = Reader::attr(node, "Format");
        let name_qualifier = Reader::attr(node, "NameQualifier");
        let sp_name_qualifier = Reader::attr(node, "SPNameQualifier");
        let sp_provided_id = Reader::attr(node, "SPProvidedID");
        let value = r.text(node, element)?;
        Some(NameId {
            value,
            format,
            name_qualifier,
            sp_name_qualifier,
            sp_provided_id,
            location,
        })
    }
}

/// `<saml:Assertion>`, read from the element (and only from it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Assertion {
    /// The `ID` attribute (required; absent only when a finding says so).
    pub id: Option<String>,
    /// The `Version` attribute (must be "2.0").
    pub version: Option<String>,
    /// The `IssueInstant` attribute, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub issue_instant: Option<DateTime<Utc>>,
    /// The `<saml:Issuer>` (required).
    pub issuer: Option<Issuer>,
    /// True when the assertion has a `<ds:Signature>` child (its presence
    /// only: verification is the `dsig` module's job).
    pub has_signature: bool,
    /// The `<saml:Subject>`.
    pub subject: Option<Subject>,
    /// The `<saml:Conditions>`.
    pub conditions: Option<Conditions>,
    /// Every `<saml:AuthnStatement>`.
    pub authn_statements: Vec<AuthnStatement>,
    /// The attributes of every `<saml:AttributeStatement>`, in document order.
    pub attributes: Vec<Attribute>,
    /// How many `<saml:EncryptedAttribute>` elements the statements carry
    /// (not decrypted).
    pub encrypted_attributes: usize,
    /// True when an `<saml:Advice>` is present (never read).
    pub has_advice: bool,
    /// Where the element starts.
    pub location: Location,
}

impl Assertion {
    /// Reads an assertion from its element. `Err` only when `node` is not a
    /// `<saml:Assertion>`; every other problem is a finding.
    ///
    /// ```
    /// use saml_inspect::saml::Assertion;
    /// let xml = r#"<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a"
    ///   Version="2.0" IssueInstant="2026-11-01T12:00:00Z"><Issuer>idp</Issuer>
    ///   <Subject><NameID>alice@<!---->example.com</NameID></Subject></Assertion>"#;
    /// let doc = saml_inspect::xml::parse(xml, &Default::default()).unwrap();
    /// let parsed = Assertion::from_element(doc.root_element()).unwrap();
    /// assert!(parsed.findings.is_empty());
    /// let name_id = parsed.value.name_id().unwrap();
    /// assert_eq!(name_id.value, "alice@example.com");
    /// ```
    pub fn from_element(node: crate::xml::Node<'_, '_>) -> Result<Parsed<Assertion>, ModelError> {
        expect_element(node, SAML_ASSERTION, "Assertion")?;
        let mut r = Reader::new(node);
        let value = Assertion::read(node, &mut r);
        Ok(r.finish(value))
    }

    /// Reads a node known to be a `<saml:Assertion>`.
    pub(crate) fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> Assertion {
        const EL: &str = "Assertion";
        let location = r.location(node);
        let header = r.header(node, EL);
        let mut a = Assertion {
            id: header.id,
            version: header.version,
            issue_instant: header.issue_instant,
            issuer: None,
            has_signature: false,
            subject: None,
            conditions: None,
            authn_statements: Vec::new(),
            attributes: Vec::new(),
            encrypted_attributes: 0,
            has_advice: false,
            location,
        };
        let mut seen_issuer = false;
        for child in element_children(node) {
            if is(child, SAML_ASSERTION, "Issuer") {
                if seen_issuer {
                    r.duplicate(EL, "Issuer", child);
                } else {
                    seen_issuer = true;
                    a.issuer = NameId::read(child, "Issuer", r);
                }
            } else if is_signature(child) {
                if a.has_signature {
                    r.duplicate(EL, "Signature", child);
                }
                a.has_signature = true;
            } else if is(child, SAML_ASSERTION, "Subject") {
                if a.subject.is_some() {
                    r.duplicate(EL, "Subject", child);
                } else {
                    a.subject = Some(Subject::read(child, r));
                }
            } else if is(child, SAML_ASSERTION, "Conditions") {
                if a.conditions.is_some() {
                    r.duplicate(EL, "Conditions", child);
                } else {
                    a.conditions = Some(Conditions::read(child, r));
                }
            } else if is(child, SAML_ASSERTION, "Advice") {
                if a.has_advice {
                    r.duplicate(EL, "Advice", child);
                }
                a.has_advice = true;
                let at = r.location(child);
                r.note(
                    Finding::new(
                        Code::SamlAdvice,
                        "the assertion carries an <Advice> element; it is never read",
                    )
                    .at(at),
                );
            } else if is(child, SAML_ASSERTION, "AuthnStatement") {
                a.authn_statements.push(AuthnStatement::read(child, r));
            } else if is(child, SAML_ASSERTION, "AttributeStatement") {
                read_attribute_statement(child, r, &mut a);
            } else if is(child, SAML_ASSERTION, "AuthzDecisionStatement")
                || is(child, SAML_ASSERTION, "Statement")
            {
                // Allowed by the schema, not used by web SSO: not read.
            } else {
                r.ignored_child(EL, child);
            }
        }
        if !seen_issuer {
            let location = a.location;
            r.error(ModelError::MissingElement {
                parent: EL,
                child: "Issuer",
                location,
            });
        }
        a
    }

    /// The subject's NameID, if any.
    pub fn name_id(&self) -> Option<&NameId> {
        self.subject.as_ref()?.name_id.as_ref()
    }

    /// Every attribute named exactly `name` (duplicates are possible; the
    /// checks decide what they mean).
    pub fn attributes_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Attribute> {
        self.attributes.iter().filter(move |a| a.name == name)
    }

    /// The values of every attribute named exactly `name`, in order.
    pub fn attribute_values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> {
        self.attributes_named(name)
            .flat_map(|a| a.values.iter().map(|v| v.text.as_str()))
    }
}

/// `<saml:Subject>`: who the assertion is about and how the bearer proves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// The `<saml:NameID>`, if one is given in clear.
    pub name_id: Option<NameId>,
    /// True when an `<saml:EncryptedID>` stands in for the NameID.
    pub encrypted_id: bool,
    /// True when a `<saml:BaseID>` stands in for the NameID (not read).
    pub base_id: bool,
    /// Every `<saml:SubjectConfirmation>`, in order.
    pub confirmations: Vec<SubjectConfirmation>,
    /// Where the element starts.
    pub location: Location,
}

impl Subject {
    fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> Subject {
        const EL: &str = "Subject";
        let mut s = Subject {
            name_id: None,
            encrypted_id: false,
            base_id: false,
            confirmations: Vec::new(),
            location: r.location(node),
        };
        // The identifier is a choice of one: NameID | EncryptedID | BaseID.
        let mut identifiers = 0usize;
        for child in element_children(node) {
            let identifier = if is(child, SAML_ASSERTION, "NameID") {
                Some("NameID")
            } else if is(child, SAML_ASSERTION, "EncryptedID") {
                Some("EncryptedID")
            } else if is(child, SAML_ASSERTION, "BaseID") {
                Some("BaseID")
            } else {
                None
            };
            if let Some(name) = identifier {
                identifiers += 1;
                if identifiers > 1 {
                    r.duplicate(EL, name, child);
                    continue;
                }
                match name {
                    "NameID" => s.name_id = NameId::read(child, "NameID", r),
                    "EncryptedID" => s.encrypted_id = true,
                    _ => s.base_id = true,
                }
            } else if is(child, SAML_ASSERTION, "SubjectConfirmation") {
                s.confirmations.push(SubjectConfirmation::read(child, r));
            } else {
                r.ignored_child(EL, child);
            }
        }
        s
    }
}

/// `<saml:SubjectConfirmation>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubjectConfirmation {
    /// The `Method` attribute (required), e.g.
    /// `urn:oasis:names:tc:SAML:2.0:cm:bearer`.
    pub method: Option<String>,
    /// A `<saml:NameID>` inside the confirmation, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_id: Option<NameId>,
    /// The `<saml:SubjectConfirmationData>`, if any.
    pub data: Option<SubjectConfirmationData>,
    /// Where the element starts.
    pub location: Location,
}

impl SubjectConfirmation {
    /// True when the method is exactly the bearer method.
    pub fn is_bearer(&self) -> bool {
        self.method.as_deref() == Some(crate::ns::CM_BEARER)
    }

    fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> SubjectConfirmation {
        const EL: &str = "SubjectConfirmation";
        let location = r.location(node);
        let method = r.required_attr(node, EL, "Method");
        let mut c = SubjectConfirmation {
            method,
            name_id: None,
            data: None,
            location,
        };
        let mut identifiers = 0usize;
        for child in element_children(node) {
            if is(child, SAML_ASSERTION, "NameID")
                || is(child, SAML_ASSERTION, "EncryptedID")
                || is(child, SAML_ASSERTION, "BaseID")
            {
                identifiers += 1;
                if identifiers > 1 {
                    r.duplicate(EL, "NameID", child);
                } else if child.tag_name().name() == "NameID" {
                    c.name_id = NameId::read(child, "NameID", r);
                }
            } else if is(child, SAML_ASSERTION, "SubjectConfirmationData") {
                if c.data.is_some() {
                    r.duplicate(EL, "SubjectConfirmationData", child);
                } else {
                    c.data = Some(SubjectConfirmationData::read(child, r));
                }
            } else {
                r.ignored_child(EL, child);
            }
        }
        c
    }
}

/// `<saml:SubjectConfirmationData>`: the bearer's window and destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubjectConfirmationData {
    /// `NotBefore`, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub not_before: Option<DateTime<Utc>>,
    /// `NotOnOrAfter`, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub not_on_or_after: Option<DateTime<Utc>>,
    /// `Recipient`, exactly as written.
    pub recipient: Option<String>,
    /// `InResponseTo`.
    pub in_response_to: Option<String>,
    /// `Address`.
    pub address: Option<String>,
    /// Where the element starts.
    pub location: Location,
}

impl SubjectConfirmationData {
    fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> SubjectConfirmationData {
        const EL: &str = "SubjectConfirmationData";
        let location = r.location(node);
        let mut d = SubjectConfirmationData {
            not_before: None,
            not_on_or_after: None,
            recipient: Reader::attr(node, "Recipient"),
            in_response_to: Reader::attr(node, "InResponseTo"),
            address: Reader::attr(node, "Address"),
            location,
        };
        // Source order keeps the location cursor moving forward.
        for a in node.attributes().filter(|a| a.namespace().is_none()) {
            match a.name() {
                "NotBefore" => d.not_before = r.time_attr(node, EL, "NotBefore"),
                "NotOnOrAfter" => d.not_on_or_after = r.time_attr(node, EL, "NotOnOrAfter"),
                _ => {}
            }
        }
        d
    }
}

/// `<saml:Conditions>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conditions {
    /// `NotBefore`, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub not_before: Option<DateTime<Utc>>,
    /// `NotOnOrAfter`, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub not_on_or_after: Option<DateTime<Utc>>,
    /// Every `<saml:AudienceRestriction>` (they are ANDed; the audiences in
    /// one are ORed).
    pub audience_restrictions: Vec<AudienceRestriction>,
    /// True when `<saml:OneTimeUse>` is present.
    pub one_time_use: bool,
    /// The `<saml:ProxyRestriction>`, if any.
    pub proxy_restriction: Option<ProxyRestriction>,
    /// How many `<saml:Condition>` elements of other types are present
    /// (SAML core 2.5.1: an unknown condition makes the assertion's validity
    /// indeterminate).
    pub other_conditions: usize,
    /// Where the element starts.
    pub location: Location,
}

impl Conditions {
    fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> Conditions {
        const EL: &str = "Conditions";
        let location = r.location(node);
        let mut c = Conditions {
            not_before: None,
            not_on_or_after: None,
            audience_restrictions: Vec::new(),
            one_time_use: false,
            proxy_restriction: None,
            other_conditions: 0,
            location,
        };
        for a in node.attributes().filter(|a| a.namespace().is_none()) {
            match a.name() {
                "NotBefore" => c.not_before = r.time_attr(node, EL, "NotBefore"),
                "NotOnOrAfter" => c.not_on_or_after = r.time_attr(node, EL, "NotOnOrAfter"),
                _ => {}
            }
        }
        for child in element_children(node) {
            if is(child, SAML_ASSERTION, "AudienceRestriction") {
                let location = r.location(child);
                let mut audiences = Vec::new();
                for aud in element_children(child) {
                    if is(aud, SAML_ASSERTION, "Audience") {
                        if let Some(v) = r.text(aud, "Audience") {
                            audiences.push(v);
                        }
                    } else {
                        r.ignored_child("AudienceRestriction", aud);
                    }
                }
                if audiences.is_empty() {
                    r.error(ModelError::MissingElement {
                        parent: "AudienceRestriction",
                        child: "Audience",
                        location,
                    });
                }
                c.audience_restrictions.push(AudienceRestriction {
                    audiences,
                    location,
                });
            } else if is(child, SAML_ASSERTION, "OneTimeUse") {
                // SAML core 2.5.1.5: "MUST NOT include more than one".
                if c.one_time_use {
                    r.duplicate(EL, "OneTimeUse", child);
                }
                c.one_time_use = true;
            } else if is(child, SAML_ASSERTION, "ProxyRestriction") {
                if c.proxy_restriction.is_some() {
                    r.duplicate(EL, "ProxyRestriction", child);
                    continue;
                }
                let location = r.location(child);
                let count = r.count_attr(child, "ProxyRestriction", "Count");
                let mut audiences = Vec::new();
                for aud in element_children(child) {
                    if is(aud, SAML_ASSERTION, "Audience") {
                        if let Some(v) = r.text(aud, "Audience") {
                            audiences.push(v);
                        }
                    } else {
                        r.ignored_child("ProxyRestriction", aud);
                    }
                }
                c.proxy_restriction = Some(ProxyRestriction {
                    count,
                    audiences,
                    location,
                });
            } else if is(child, SAML_ASSERTION, "Condition") {
                c.other_conditions += 1;
            } else {
                r.ignored_child(EL, child);
            }
        }
        c
    }

    /// True when every audience restriction names `audience` exactly (and
    /// there is at least one restriction).
    pub fn restricts_to(&self, audience: &str) -> bool {
        !self.audience_restrictions.is_empty()
            && self
                .audience_restrictions
                .iter()
                .all(|ar| ar.audiences.iter().any(|a| a == audience))
    }
}

/// `<saml:AudienceRestriction>`: the assertion is addressed to any one of
/// these audiences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AudienceRestriction {
    /// The `<saml:Audience>` values, exactly as written.
    pub audiences: Vec<String>,
    /// Where the element starts.
    pub location: Location,
}

/// `<saml:ProxyRestriction>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProxyRestriction {
    /// The `Count` attribute: how many further proxy steps are allowed.
    pub count: Option<u32>,
    /// The audiences proxied assertions may be addressed to.
    pub audiences: Vec<String>,
    /// Where the element starts.
    pub location: Location,
}

/// `<saml:AuthnStatement>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuthnStatement {
    /// `AuthnInstant` (required), in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub authn_instant: Option<DateTime<Utc>>,
    /// `SessionIndex`.
    pub session_index: Option<String>,
    /// `SessionNotOnOrAfter`, in UTC.
    #[serde(serialize_with = "serialize_opt")]
    pub session_not_on_or_after: Option<DateTime<Utc>>,
    /// The `<saml:AuthnContextClassRef>` inside `<saml:AuthnContext>`.
    pub authn_context_class_ref: Option<String>,
    /// Where the element starts.
    pub location: Location,
}

impl AuthnStatement {
    fn read(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> AuthnStatement {
        const EL: &str = "AuthnStatement";
        let location = r.location(node);
        let mut s = AuthnStatement {
            authn_instant: None,
            session_index: Reader::attr(node, "SessionIndex"),
            session_not_on_or_after: None,
            authn_context_class_ref: None,
            location,
        };
        let mut saw_instant = false;
        for a in node.attributes().filter(|a| a.namespace().is_none()) {
            match a.name() {
                "AuthnInstant" => {
                    saw_instant = true;
                    s.authn_instant = r.time_attr(node, EL, "AuthnInstant");
                }
                "SessionNotOnOrAfter" => {
                    s.session_not_on_or_after = r.time_attr(node, EL, "SessionNotOnOrAfter");
                }
                _ => {}
            }
        }
        if !saw_instant {
            r.error(ModelError::MissingAttribute {
                element: EL,
                attribute: "AuthnInstant",
                location,
            });
        }
        let mut saw_context = false;
        for child in element_children(node) {
            if is(child, SAML_ASSERTION, "AuthnContext") {
                if saw_context {
                    r.duplicate(EL, "AuthnContext", child);
                    continue;
                }
                saw_context = true;
                for part in element_children(child) {
                    if is(part, SAML_ASSERTION, "AuthnContextClassRef") {
                        if s.authn_context_class_ref.is_some() {
                            r.duplicate("AuthnContext", "AuthnContextClassRef", part);
                        } else {
                            s.authn_context_class_ref = r.text(part, "AuthnContextClassRef");
                        }
                    }
                    // AuthnContextDecl(Ref) and AuthenticatingAuthority are
                    // allowed and not needed: not read.
                }
            } else if !is(child, SAML_ASSERTION, "SubjectLocality") {
                r.ignored_child(EL, child);
            }
        }
        if !saw_context {
            r.error(ModelError::MissingElement {
                parent: EL,
                child: "AuthnContext",
                location,
            });
        }
        s
    }
}

/// One `<saml:Attribute>` of an AttributeStatement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attribute {
    /// The `Name` attribute, exactly as written.
    pub name: String,
    /// The `NameFormat` attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_format: Option<String>,
    /// The `FriendlyName` attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// The values, in order.
    pub values: Vec<AttributeValue>,
    /// Where the element starts.
    pub location: Location,
}

/// One `<saml:AttributeValue>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttributeValue {
    /// The text exactly as written (whitespace included; comments never cut
    /// it). Empty for an empty or nil value.
    pub text: String,
    /// The `xsi:type` attribute as written (e.g. `xs:string`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xsi_type: Option<String>,
    /// True when `xsi:nil="true"`.
    pub nil: bool,
    /// Where the element starts.
    pub location: Location,
}

/// The text exactly as written, so the AWS checks read values in place.
impl AsRef<str> for AttributeValue {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl AttributeValue {
    /// The text without leading and trailing XML whitespace.
    pub fn trimmed(&self) -> &str {
        self.text.trim_matches([' ', '\t', '\n', '\r'])
    }

    /// True when the value has no text (`<AttributeValue/>`, or nil).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// True when the text has leading or trailing whitespace.
    pub fn is_padded(&self) -> bool {
        self.trimmed().len() != self.text.len()
    }
}

fn read_attribute_statement(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>, a: &mut Assertion) {
    const EL: &str = "AttributeStatement";
    for child in element_children(node) {
        if is(child, SAML_ASSERTION, "Attribute") {
            if let Some(attribute) = read_attribute(child, r) {
                a.attributes.push(attribute);
            }
        } else if is(child, SAML_ASSERTION, "EncryptedAttribute") {
            a.encrypted_attributes += 1;
        } else {
            r.ignored_child(EL, child);
        }
    }
}

impl Attribute {
    /// Reads a standalone `<saml:Attribute>` (e.g. the plaintext of an
    /// EncryptedAttribute). `None` in the value when it has no Name.
    pub fn from_element(
        node: crate::xml::Node<'_, '_>,
    ) -> Result<Parsed<Option<Attribute>>, ModelError> {
        expect_element(node, SAML_ASSERTION, "Attribute")?;
        let mut r = Reader::new(node);
        let value = read_attribute(node, &mut r);
        Ok(r.finish(value))
    }
}

fn read_attribute(node: crate::xml::Node<'_, '_>, r: &mut Reader<'_>) -> Option<Attribute> {
    const EL: &str = "Attribute";
    let location = r.location(node);
    // Without a Name the attribute means nothing: reported and left out.
    let name = r.required_attr(node, EL, "Name")?;
    let mut attribute = Attribute {
        name,
        name_format: Reader::attr(node, "NameFormat"),
        friendly_name: Reader::attr(node, "FriendlyName"),
        values: Vec::new(),
        location,
    };
    for child in element_children(node) {
        if !is(child, SAML_ASSERTION, "AttributeValue") {
            r.ignored_child(EL, child);
            continue;
        }
        let location = r.location(child);
        let xsi_type = child.attribute((XSI, "type")).map(str::to_owned);
        let nil = match child.attribute((XSI, "nil")) {
            None => false,
            Some(v) => matches!(v.trim_matches([' ', '\t', '\n', '\r']), "true" | "1"),
        };
        // A value with element content (xs:anyType allows it, e.g. a NameID
        // inside an AttributeValue) is refused: a value is text, and an
        // element where text is expected is a sign of injection (attack M10).
        let Some(text) = r.text(child, "AttributeValue") else {
            continue;
        };
        if nil && !text.is_empty() {
            r.error(ModelError::InvalidValue {
                element: "AttributeValue",
                attribute: "xsi:nil",
                value: "true".to_owned(),
                reason: "a nil value must have no content",
                location,
            });
        }
        attribute.values.push(AttributeValue {
            text,
            xsi_type,
            nil,
            location,
        });
    }
    Some(attribute)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{Limits, parse};

    fn read(xml: &str) -> Parsed<Assertion> {
        let doc = parse(xml, &Limits::default()).unwrap();
        Assertion::from_element(doc.root_element()).unwrap()
    }

    const OPEN: &str = r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"><saml:Issuer>idp</saml:Issuer>"#;

    fn with(body: &str) -> Parsed<Assertion> {
        read(&format!("{OPEN}{body}</saml:Assertion>"))
    }

    #[test]
    fn comment_split_name_id_reads_fully() {
        let p = with(
            "<saml:Subject><saml:NameID>admin@victim.com<!---->.evil.com</saml:NameID></saml:Subject>",
        );
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        assert_eq!(
            p.value.name_id().unwrap().value,
            "admin@victim.com.evil.com"
        );
    }

    #[test]
    fn name_id_with_element_child_is_refused() {
        let p = with(
            "<saml:Subject><saml:NameID>admin@victim.com<b/>.evil.com</saml:NameID></saml:Subject>",
        );
        assert!(p.value.name_id().is_none());
        let f = p.first_error().unwrap();
        assert_eq!(f.code, Code::SamlStructure);
        assert!(f.message.contains("<NameID>"), "{}", f.message);
    }

    #[test]
    fn missing_issuer_and_duplicate_subject() {
        let p = read(
            r#"<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"><Subject/><Subject/></Assertion>"#,
        );
        let messages: Vec<_> = p.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "<Assertion> has more than one <Subject> child; only one is allowed",
                "<Assertion> has no <Issuer> child, which is required",
            ]
        );
    }

    #[test]
    fn attribute_values_keep_whitespace_type_and_nil() {
        let p = with(
            r#"<saml:AttributeStatement xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <saml:Attribute Name="n" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic" FriendlyName="f">
              <saml:AttributeValue xsi:type="xs:string"> padded </saml:AttributeValue>
              <saml:AttributeValue/>
              <saml:AttributeValue xsi:nil="true"/>
            </saml:Attribute><saml:EncryptedAttribute/></saml:AttributeStatement>"#,
        );
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let a = &p.value.attributes[0];
        assert_eq!(a.friendly_name.as_deref(), Some("f"));
        let v = &a.values;
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].text, " padded ");
        assert!(v[0].is_padded());
        assert_eq!(v[0].trimmed(), "padded");
        assert_eq!(v[0].xsi_type.as_deref(), Some("xs:string"));
        assert!(v[1].is_empty() && !v[1].nil);
        assert!(v[2].nil);
        assert_eq!(p.value.encrypted_attributes, 1);
    }

    #[test]
    fn attribute_value_with_element_is_refused_and_escaped_text_stays_text() {
        let p = with(
            r#"<saml:AttributeStatement><saml:Attribute Name="r">
              <saml:AttributeValue><saml:NameID>x</saml:NameID></saml:AttributeValue>
              <saml:AttributeValue>a&lt;/saml:AttributeValue&gt;&lt;saml:AttributeValue&gt;b</saml:AttributeValue>
            </saml:Attribute></saml:AttributeStatement>"#,
        );
        assert_eq!(p.findings.len(), 1);
        assert_eq!(p.findings[0].code, Code::SamlStructure);
        let values: Vec<_> = p.value.attribute_values("r").collect();
        assert_eq!(values, ["a</saml:AttributeValue><saml:AttributeValue>b"]);
    }

    #[test]
    fn attribute_without_name_is_reported_and_left_out() {
        let p = with(
            "<saml:AttributeStatement><saml:Attribute><saml:AttributeValue>x</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>",
        );
        assert!(p.value.attributes.is_empty());
        assert_eq!(
            p.findings[0].message,
            "<Attribute> has no Name attribute, which is required"
        );
    }

    #[test]
    fn conditions_and_confirmations() {
        let p = with(
            r#"<saml:Subject><saml:EncryptedID/>
              <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"/>
              <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
                <saml:SubjectConfirmationData NotBefore="2026-11-01T11:00:00Z" NotOnOrAfter="2026-11-01T12:05:00Z" Recipient="https://sp/acs" InResponseTo="_r1" Address="192.0.2.1"/>
              </saml:SubjectConfirmation></saml:Subject>
            <saml:Conditions NotBefore="2026-11-01T11:55:00Z" NotOnOrAfter="2026-11-01T13:00:00Z">
              <saml:AudienceRestriction><saml:Audience>a</saml:Audience><saml:Audience>b</saml:Audience></saml:AudienceRestriction>
              <saml:AudienceRestriction><saml:Audience>b</saml:Audience></saml:AudienceRestriction>
              <saml:OneTimeUse/>
              <saml:ProxyRestriction Count="2"><saml:Audience>c</saml:Audience></saml:ProxyRestriction>
            </saml:Conditions>
            <saml:Advice><saml:Assertion/></saml:Advice>
            <saml:AuthnStatement AuthnInstant="2026-11-01T11:59:58Z" SessionIndex="_s" SessionNotOnOrAfter="2026-11-01T20:00:00Z"><saml:AuthnContext><saml:AuthnContextClassRef>urn:x</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"#,
        );
        let a = &p.value;
        // Advice is noted (a warning), never read.
        assert_eq!(p.findings.len(), 1);
        assert_eq!(p.findings[0].code, Code::SamlAdvice);
        assert!(a.has_advice);
        let s = a.subject.as_ref().unwrap();
        assert!(s.encrypted_id && s.name_id.is_none());
        assert_eq!(s.confirmations.len(), 2);
        assert!(!s.confirmations[0].is_bearer() && s.confirmations[1].is_bearer());
        let d = s.confirmations[1].data.as_ref().unwrap();
        assert_eq!(d.recipient.as_deref(), Some("https://sp/acs"));
        assert_eq!(d.in_response_to.as_deref(), Some("_r1"));
        assert_eq!(d.address.as_deref(), Some("192.0.2.1"));
        assert!(d.not_before.is_some() && d.not_on_or_after.is_some());
        let c = a.conditions.as_ref().unwrap();
        assert_eq!(c.audience_restrictions.len(), 2);
        assert!(c.restricts_to("b"));
        assert!(!c.restricts_to("a"));
        assert!(c.one_time_use);
        let pr = c.proxy_restriction.as_ref().unwrap();
        assert_eq!(
            (pr.count, pr.audiences.as_slice()),
            (Some(2), &["c".to_owned()][..])
        );
        let st = &a.authn_statements[0];
        assert_eq!(st.session_index.as_deref(), Some("_s"));
        assert_eq!(st.authn_context_class_ref.as_deref(), Some("urn:x"));
        assert!(st.session_not_on_or_after.is_some());
    }

    #[test]
    fn empty_audience_restriction_is_an_error() {
        let p = with("<saml:Conditions><saml:AudienceRestriction/></saml:Conditions>");
        assert_eq!(
            p.first_error().unwrap().message,
            "<AudienceRestriction> has no <Audience> child, which is required"
        );
    }
}

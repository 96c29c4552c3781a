//! Inspection: what an input is and everything in it, with findings, without
//! stopping at the first problem.
//!
//! Inspection is for people: it reads the whole message, including parts no
//! signature covers, so that a report can say what is there and what is
//! wrong. Its model is therefore never a basis for an access decision; that
//! is what verification is for ([`crate::dsig::verify_message`]).
//!
//! ```
//! use saml_inspect::inspect::{inspect, InspectOptions};
//! let xml = br#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
//!     ID="_r" Version="2.0" IssueInstant="2026-11-01T12:00:00Z">
//!     <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>
//!     </samlp:Status></samlp:Response>"#;
//! let inspection = inspect(xml, &InspectOptions::default()).unwrap();
//! assert_eq!(inspection.message.unwrap().element_name(), "Response");
//! ```

use std::collections::HashMap;

use serde::Serialize;

use crate::aws::{self, SamlAttributeRef};
use crate::codes::Code;
use crate::decode::{Binding, DecodeError, DecodeLimits, decode};
use crate::dsig::{self, Policy, TrustedKeys};
use crate::report::{Finding, Severity};
use crate::saml::{Assertion, Message, Response};
use crate::xml::{self, Limits};
use crate::xmlenc::{self, DecryptError, DecryptPolicy, DecryptionKey};

/// What an inspection may use: limits, and optionally the trust to check
/// signatures against.
#[derive(Clone, Debug, Default)]
pub struct InspectOptions {
    /// Bounds on decoding.
    pub decode: DecodeLimits,
    /// Bounds on the XML parse.
    pub xml: Limits,
    /// Certificates to verify signatures with. Empty: digests are still
    /// checked, and the missing trust is reported as a warning.
    pub trust: TrustedKeys,
    /// The algorithm policy for signatures.
    pub policy: Policy,
    /// The service provider's private key: an EncryptedAssertion is
    /// decrypted, and its assertion read and its signature checked.
    pub decryption_key: Option<DecryptionKey>,
    /// Which encryption algorithms decryption accepts.
    pub decrypt_policy: DecryptPolicy,
}

/// The result of inspecting one input.
#[derive(Clone, Debug, Serialize)]
pub struct Inspection {
    /// How the message was carried.
    pub binding: Binding,
    /// The form or query parameter that carried it, if any.
    pub parameter: Option<&'static str>,
    /// The RelayState that came with it, if any.
    pub relay_state: Option<String>,
    /// True when the XML began with a UTF-8 byte-order mark.
    pub bom: bool,
    /// The message read into the model, when the input is well-formed SAML.
    pub message: Option<Message>,
    /// What the AWS attributes say, when the assertion is meant for AWS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<AwsAttributes>,
    /// Every finding, in the order the checks ran.
    pub findings: Vec<Finding>,
}

/// The AWS sign-in attributes of an assertion, as far as they are valid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AwsAttributes {
    /// The usable Role values.
    pub roles: Vec<AwsRole>,
    /// RoleSessionName, when valid.
    pub session_name: Option<String>,
    /// SessionDuration in seconds, when valid.
    pub session_duration: Option<u32>,
    /// SourceIdentity, when valid.
    pub source_identity: Option<String>,
    /// Session tags (`PrincipalTag:*`) as key and value.
    pub tags: Vec<(String, String)>,
}

/// One usable Role value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwsRole {
    /// The role ARN.
    pub role: String,
    /// The SAML provider ARN.
    pub provider: String,
    /// `role-first` or `provider-first`.
    pub order: &'static str,
}

impl Inspection {
    /// True when some finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Decodes, parses, reads and checks an input. `Err` only when the input
/// cannot be decoded at all; every later problem is a finding.
pub fn inspect(input: &[u8], options: &InspectOptions) -> Result<Inspection, DecodeError> {
    let decoded = decode(input, &options.decode)?;
    let mut inspection = Inspection {
        binding: decoded.binding,
        parameter: decoded.parameter,
        relay_state: decoded.relay_state.clone(),
        bom: false,
        message: None,
        aws: None,
        findings: vec![decoded.binding_finding()],
    };
    let doc = match xml::parse_bytes(&decoded.xml, &options.xml) {
        Ok(doc) => doc,
        Err(e) => {
            inspection.findings.push(e.to_finding());
            return Ok(inspection);
        }
    };
    if doc.had_bom() {
        inspection.bom = true;
        inspection.findings.push(Finding::new(
            Code::XmlBom,
            "the XML starts with a UTF-8 byte-order mark",
        ));
    }
    let mut message = match Message::from_document(&doc) {
        Ok(parsed) => {
            inspection.findings.extend(parsed.findings);
            parsed.value
        }
        Err(e) => {
            inspection.findings.push(e.to_finding());
            return Ok(inspection);
        }
    };
    if let Message::Metadata(_) = message {
        inspection.findings.push(
            Finding::new(
                Code::SamlNotSaml,
                "this is SAML metadata, not a message: `saml-inspect metadata` reads it",
            )
            .severity(Severity::Info),
        );
    } else {
        inspection
            .findings
            .extend(dsig::inspect(&doc, &options.trust, &options.policy));
    }
    inspect_encrypted_within(&doc, &mut message, options, &mut inspection.findings);
    if let Message::Response(response) = &mut message {
        inspect_encrypted(&doc, response, options, &mut inspection.findings);
    }
    if let Some(assertion) = single_assertion(&message).filter(|a| is_for_aws(a)) {
        let AwsAttributeChecks {
            roles,
            role_findings,
            session,
            session_findings,
        } = check_aws_attributes(assertion);
        inspection.aws = Some(AwsAttributes {
            roles: roles
                .iter()
                .map(|p| AwsRole {
                    role: p.role.to_string(),
                    provider: p.provider.to_string(),
                    order: match p.order {
                        aws::RoleOrder::RoleFirst => "role-first",
                        aws::RoleOrder::ProviderFirst => "provider-first",
                    },
                })
                .collect(),
            session_name: session.session_name,
            session_duration: session.duration_seconds,
            source_identity: session.source_identity,
            tags: session.tags.into_iter().map(|t| (t.key, t.value)).collect(),
        });
        inspection.findings.extend(role_findings);
        inspection.findings.extend(session_findings);
        let response = match &message {
            Message::Response(r) => Some(r),
            _ => None,
        };
        inspection
            .findings
            .extend(check_aws_endpoints(response, assertion));
    }
    inspection.message = Some(message);
    Ok(inspection)
}

/// What AWS sign-in reads from an assertion's attributes: the usable Role
/// pairs and the session attributes, each with the findings of their checks.
#[derive(Clone, Debug)]
pub struct AwsAttributeChecks {
    /// The Role attribute's usable provider/role pairs.
    pub roles: Vec<aws::RolePair>,
    /// What is wrong with the Role attribute (`aws.role.*`).
    pub role_findings: Vec<Finding>,
    /// RoleSessionName, SessionDuration, SourceIdentity and session tags.
    pub session: aws::SessionAttributes,
    /// What is wrong with them (`aws.session_*`, `aws.tag.*`, …).
    pub session_findings: Vec<Finding>,
}

/// Runs the AWS Role and session attribute checks ([`aws::check_role`],
/// [`aws::check_session`]) on an assertion's attributes. Use it on a
/// verified assertion (e.g. `Validated::assertion`) to decide, or on an
/// inspected one to explain.
pub fn check_aws_attributes(assertion: &Assertion) -> AwsAttributeChecks {
    let refs: Vec<SamlAttributeRef<'_, _>> = assertion
        .attributes
        .iter()
        .map(|a| SamlAttributeRef {
            name: &a.name,
            values: &a.values,
            location: Some(a.location),
        })
        .collect();
    let (roles, role_findings) = aws::check_role(&refs);
    let (session, session_findings) = aws::check_session(&refs);
    AwsAttributeChecks {
        roles,
        role_findings,
        session,
        session_findings,
    }
}

/// AWS sign-in's expectations of where an assertion goes: every bearer
/// Recipient and the Response's Destination are AWS sign-in endpoints, some
/// Audience is one AWS accepts, and the NameID is present in an accepted
/// format (`aws.recipient.invalid`, `aws.audience.invalid`, `aws.name_id.invalid`).
pub(crate) fn check_aws_endpoints(response: Option<&Response>, a: &Assertion) -> Vec<Finding> {
    let summary = AssertionSummary::of(a);
    let mut findings = Vec::new();
    let destination = response.and_then(|r| r.destination.as_deref());
    for url in summary
        .recipients
        .iter()
        .map(String::as_str)
        .chain(destination)
    {
        findings.extend(aws::check_recipient(aws::trim_xml(url)).1);
    }
    let audiences: Vec<_> = summary
        .audiences
        .iter()
        .map(|x| aws::check_audience(aws::trim_xml(x)))
        .collect();
    if audiences.iter().all(|(accepted, _)| accepted.is_none()) {
        findings.extend(audiences.into_iter().flat_map(|(_, f)| f));
    }
    findings.extend(aws::check_name_id(
        summary.name_id.as_deref(),
        summary.name_id_format.as_deref(),
    ));
    findings
}

/// At most this many EncryptedAssertions are decrypted for a report.
const MAX_DECRYPTED: usize = 4;

/// Decrypts the Response's EncryptedAssertions when a key is given: the
/// operator-facing reason of a failure, the decrypted assertion added to
/// the model (read as written, for explaining), and its own signature
/// checked within the plaintext.
fn inspect_encrypted(
    doc: &xml::Document<'_>,
    response: &mut Response,
    options: &InspectOptions,
    findings: &mut Vec<Finding>,
) {
    let wrappers = doc
        .root_element()
        .children()
        .filter(|c| xml::is_saml_element(*c, crate::ns::SAML_ASSERTION, "EncryptedAssertion"));
    let response_signed = || {
        dsig::verify_message(doc, &options.trust, &options.policy)
            .is_ok_and(|m| m.response().is_some())
    };
    for wrapper in wrappers.take(MAX_DECRYPTED) {
        findings.push(
            Finding::new(
                Code::SamlEncryptedAssertion,
                "the Response carries an EncryptedAssertion: its content is read only after decryption with the service provider's key",
            )
            .at(xml::location_of(wrapper)),
        );
        let Some(key) = &options.decryption_key else {
            findings.push(
                DecryptError::no_key(wrapper)
                    .to_finding()
                    .severity(Severity::Warning),
            );
            continue;
        };
        let decrypted = match xmlenc::decrypt(wrapper, key, &options.decrypt_policy) {
            Ok(d) => d,
            Err(e) => {
                findings.push(e.to_operator_finding());
                continue;
            }
        };
        findings.extend(decrypted.findings.iter().cloned());
        let plaintext = match decrypted.parse(&options.xml, "Assertion") {
            Ok(p) => p,
            Err(e) => {
                findings.push(e.to_operator_finding());
                continue;
            }
        };
        let covered = response_signed();
        findings.extend(
            dsig::inspect(&plaintext, &options.trust, &options.policy)
                .into_iter()
                .filter(|f| !(covered && f.code == Code::SignatureMissing)),
        );
        if let Ok(mut parsed) = Assertion::from_element(plaintext.root_element()) {
            findings.extend(parsed.findings);
            decrypt_within(
                plaintext.root_element(),
                &mut parsed.value,
                options,
                findings,
            );
            response.assertions.push(parsed.value);
        }
    }
}

/// The EncryptedID and EncryptedAttributes of the message's plain
/// Assertions, decrypted into the model for explaining (as written: the
/// signature checks report separately whether the assertion is trusted).
fn inspect_encrypted_within(
    doc: &xml::Document<'_>,
    message: &mut Message,
    options: &InspectOptions,
    findings: &mut Vec<Finding>,
) {
    let root = doc.root_element();
    let assertion = |n: &crate::xml::Node<'_, '_>| {
        xml::is_saml_element(*n, crate::ns::SAML_ASSERTION, "Assertion")
    };
    match message {
        Message::Assertion(a) => decrypt_within(root, a, options, findings),
        Message::Response(r) => {
            for (node, a) in root.children().filter(assertion).zip(&mut r.assertions) {
                decrypt_within(node, a, options, findings);
            }
        }
        _ => {}
    }
}

/// [`crate::verify::decrypt_within`] for a report: a failure becomes the
/// operator-facing finding.
fn decrypt_within(
    node: crate::xml::Node<'_, '_>,
    assertion: &mut Assertion,
    options: &InspectOptions,
    findings: &mut Vec<Finding>,
) {
    match crate::verify::decrypt_within(
        node,
        assertion,
        options.decryption_key.as_ref(),
        &options.decrypt_policy,
        &options.xml,
    ) {
        Ok(found) => findings.extend(found),
        Err(e) => findings.push(e.to_operator_finding()),
    }
}

fn single_assertion(message: &Message) -> Option<&Assertion> {
    match message {
        Message::Response(r) if r.assertions.len() == 1 => r.assertions.first(),
        Message::Assertion(a) => Some(a),
        _ => None,
    }
}

/// The AWS checks apply when the assertion carries AWS attributes (or a near
/// miss of their names) or is addressed to AWS's audience.
fn is_for_aws(assertion: &Assertion) -> bool {
    let aws_attribute = assertion.attributes.iter().any(|a| {
        a.name
            .to_ascii_lowercase()
            .contains("aws.amazon.com/saml/attributes")
    });
    let aws_audience = assertion.conditions.iter().any(|c| {
        c.audience_restrictions
            .iter()
            .flat_map(|r| r.audiences.iter())
            .any(|aud| aud.trim().starts_with("urn:amazon:webservices"))
    });
    aws_attribute || aws_audience
}

/// The values of an assertion a person or a program looks at first, in the
/// shape `verify` and `inspect` print (`"assertion": {…}` in JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AssertionSummary {
    /// The assertion's ID.
    pub id: Option<String>,
    /// The Issuer, exactly as written.
    pub issuer: Option<String>,
    /// The NameID value, exactly as written.
    pub name_id: Option<String>,
    /// The NameID Format.
    pub name_id_format: Option<String>,
    /// The first AuthnStatement's SessionIndex.
    pub session_index: Option<String>,
    /// Every Audience of every AudienceRestriction.
    pub audiences: Vec<String>,
    /// Conditions NotBefore, RFC 3339.
    pub not_before: Option<String>,
    /// Conditions NotOnOrAfter, RFC 3339.
    pub not_on_or_after: Option<String>,
    /// The Recipient of each bearer SubjectConfirmationData.
    pub recipients: Vec<String>,
    /// The earliest NotOnOrAfter of the bearer SubjectConfirmationData, RFC 3339.
    pub confirmation_not_on_or_after: Option<String>,
    /// The first AuthnStatement's SessionNotOnOrAfter, RFC 3339.
    pub session_not_on_or_after: Option<String>,
    /// Attribute names with their values, in document order (values of
    /// repeated names are merged).
    pub attributes: AttributeMap,
}

/// Attribute names and values, serialised as a JSON object in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttributeMap(pub Vec<(String, Vec<String>)>);

impl Serialize for AttributeMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, values) in &self.0 {
            map.serialize_entry(name, values)?;
        }
        map.end()
    }
}

impl AssertionSummary {
    /// Summarises an assertion.
    pub fn of(a: &Assertion) -> AssertionSummary {
        let rfc3339 = |t: &chrono::DateTime<chrono::Utc>| crate::saml::time::format_timestamp(t);
        let name_id = a.name_id();
        let bearer_data: Vec<_> = a
            .subject
            .iter()
            .flat_map(|s| s.confirmations.iter())
            .filter(|c| c.is_bearer())
            .filter_map(|c| c.data.as_ref())
            .collect();
        let mut attributes: Vec<(String, Vec<String>)> = Vec::with_capacity(a.attributes.len());
        // Where each name went: repeated names merge, and a search through
        // `attributes` per attribute would be quadratic (Entra sends hundreds).
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(a.attributes.len());
        for attr in &a.attributes {
            let values = attr.values.iter().map(|v| v.text.clone());
            match index.get(attr.name.as_str()) {
                Some(&i) => attributes[i].1.extend(values),
                None => {
                    index.insert(&attr.name, attributes.len());
                    attributes.push((attr.name.clone(), values.collect()));
                }
            }
        }
        let authn = a.authn_statements.first();
        AssertionSummary {
            id: a.id.clone(),
            issuer: a.issuer.as_ref().map(|i| i.value.clone()),
            name_id: name_id.map(|n| n.value.clone()),
            name_id_format: name_id.and_then(|n| n.format.clone()),
            session_index: authn.and_then(|s| s.session_index.clone()),
            audiences: a
                .conditions
                .iter()
                .flat_map(|c| c.audience_restrictions.iter())
                .flat_map(|r| r.audiences.iter().cloned())
                .collect(),
            not_before: a
                .conditions
                .as_ref()
                .and_then(|c| c.not_before.as_ref())
                .map(rfc3339),
            not_on_or_after: a
                .conditions
                .as_ref()
                .and_then(|c| c.not_on_or_after.as_ref())
                .map(rfc3339),
            recipients: bearer_data
                .iter()
                .filter_map(|d| d.recipient.clone())
                .collect(),
            confirmation_not_on_or_after: bearer_data
                .iter()
                .filter_map(|d| d.not_on_or_after)
                .min()
                .as_ref()
                .map(rfc3339),
            session_not_on_or_after: authn
                .and_then(|s| s.session_not_on_or_after.as_ref())
                .map(rfc3339),
            attributes: AttributeMap(attributes),
        }
    }
}

impl Inspection {
    /// The summary of the message's assertion, when it carries exactly one
    /// (a Response with one Assertion, or a bare Assertion).
    pub fn assertion_summary(&self) -> Option<AssertionSummary> {
        self.message
            .as_ref()
            .and_then(single_assertion)
            .map(AssertionSummary::of)
    }
}

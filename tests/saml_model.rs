//! The SAML model read from the fixtures, the real-world samples and small
//! inline documents.

use saml_inspect::saml::time::format_timestamp;
use saml_inspect::saml::{
    Assertion, AuthnRequest, LogoutRequest, LogoutResponse, Message, ModelError, Parsed, Response,
};
use saml_inspect::xml::{Limits, parse};
use saml_inspect::{Code, Location, Severity};

const ROLE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
const SESSION_NAME: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
const SESSION_DURATION: &str = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
const ENTRA_ISSUER: &str = "https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/";

fn testdata(path: &str) -> String {
    let full = format!("{}/testdata/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn message(xml: &str) -> Result<Parsed<Message>, ModelError> {
    let doc = parse(xml, &Limits::default()).expect("well-formed");
    Message::from_document(&doc)
}

fn response(xml: &str) -> Parsed<Response> {
    let doc = parse(xml, &Limits::default()).expect("well-formed");
    Response::from_element(doc.root_element()).expect("a Response")
}

fn ts(t: &Option<chrono::DateTime<chrono::Utc>>) -> String {
    format_timestamp(t.as_ref().expect("a timestamp"))
}

fn codes(p: &Parsed<impl Sized>) -> Vec<(Code, Severity)> {
    p.findings.iter().map(|f| (f.code, f.severity)).collect()
}

// ---------------------------------------------------------------- fixtures

fn check_entra_fixture(name: &str, response_signed: bool, assertion_signed: bool) {
    let parsed = message(&testdata(&format!("fixtures/{name}"))).unwrap();
    assert!(parsed.findings.is_empty(), "{name}: {:?}", parsed.findings);
    let Message::Response(r) = &parsed.value else {
        panic!("{name}: not a Response")
    };
    assert_eq!(r.version.as_deref(), Some("2.0"));
    assert_eq!(ts(&r.issue_instant), "2026-11-01T12:00:00.123Z");
    assert_eq!(
        r.destination.as_deref(),
        Some("https://signin.aws.amazon.com/saml")
    );
    assert_eq!(r.issuer.as_ref().unwrap().value, ENTRA_ISSUER);
    assert!(r.status.as_ref().unwrap().is_success(), "{name}");
    assert_eq!(r.has_signature, response_signed, "{name}");
    assert_eq!(r.assertions.len(), 1);
    assert_eq!(r.encrypted_assertions, 0);

    let a = &r.assertions[0];
    assert_eq!(a.has_signature, assertion_signed, "{name}");
    assert_eq!(ts(&a.issue_instant), "2026-11-01T12:00:00.123Z");
    assert_eq!(a.issuer.as_ref().unwrap().value, ENTRA_ISSUER);
    let name_id = a.name_id().unwrap();
    assert_eq!(name_id.value, "alice.example@contoso.com");
    assert_eq!(
        name_id.format.as_deref(),
        Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
    );
    let confirmations = &a.subject.as_ref().unwrap().confirmations;
    assert_eq!(confirmations.len(), 1);
    assert!(confirmations[0].is_bearer());
    let data = confirmations[0].data.as_ref().unwrap();
    assert_eq!(
        data.recipient.as_deref(),
        Some("https://signin.aws.amazon.com/saml")
    );
    assert_eq!(ts(&data.not_on_or_after), "2026-11-01T12:05:00.123Z");
    let c = a.conditions.as_ref().unwrap();
    assert_eq!(ts(&c.not_before), "2026-11-01T11:55:00.123Z");
    assert_eq!(ts(&c.not_on_or_after), "2026-11-01T13:00:00.123Z");
    assert!(c.restricts_to("urn:amazon:webservices"));
    assert_eq!(a.authn_statements.len(), 1);
    assert_eq!(
        a.authn_statements[0].authn_context_class_ref.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
    );
    let roles: Vec<_> = a.attribute_values(ROLE).collect();
    assert_eq!(
        roles.first().copied(),
        Some(
            "arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/amazon-connect-federation-role"
        ),
        "{name}"
    );
    assert_eq!(
        a.attribute_values(SESSION_NAME).collect::<Vec<_>>(),
        ["alice.example@contoso.com"]
    );
    assert_eq!(
        a.attribute_values(SESSION_DURATION).collect::<Vec<_>>(),
        ["3600"]
    );
    // Multi-valued attribute, values in order.
    assert_eq!(
        a.attribute_values("http://schemas.microsoft.com/claims/authnmethodsreferences")
            .count(),
        2
    );
}

#[test]
fn entra_fixtures_read_completely() {
    for key in ["rsa2048", "rsa3072", "ecp256"] {
        check_entra_fixture(&format!("response-{key}.xml"), true, false);
        check_entra_fixture(&format!("assertion-{key}.xml"), false, true);
        check_entra_fixture(&format!("both-{key}.xml"), true, true);
        check_entra_fixture(&format!("large-assertion-{key}.xml"), false, true);
    }
}

#[test]
fn large_fixture_has_every_value() {
    let parsed = message(&testdata("fixtures/large-assertion-rsa2048.xml")).unwrap();
    let Message::Response(r) = parsed.value else {
        panic!()
    };
    let a = &r.assertions[0];
    let values: usize = a.attributes.iter().map(|at| at.values.len()).sum();
    assert_eq!(values, 252);
    assert_eq!(a.attributes.len(), 44);
    assert!(a.attribute_values(ROLE).count() > 1);
}

#[test]
fn tampered_fixture_still_reads_its_changed_value() {
    // Reading is not verifying: the model shows what the document says.
    let parsed = message(&testdata("fixtures/tampered-content-assertion-rsa2048.xml")).unwrap();
    assert!(parsed.findings.is_empty());
    assert!(matches!(parsed.value, Message::Response(_)));
}

#[test]
fn json_has_rfc3339_timestamps_with_z() {
    let parsed = message(&testdata("fixtures/response-rsa2048.xml")).unwrap();
    let json = serde_json::to_value(&parsed).unwrap();
    assert_eq!(json["value"]["kind"], "response");
    assert_eq!(json["value"]["issue_instant"], "2026-11-01T12:00:00.123Z");
    let a = &json["value"]["assertions"][0];
    assert_eq!(a["conditions"]["not_before"], "2026-11-01T11:55:00.123Z");
    assert_eq!(
        a["subject"]["name_id"]["value"],
        "alice.example@contoso.com"
    );
    assert_eq!(a["subject"]["name_id"]["location"]["line"], 1);
    assert_eq!(json["findings"], serde_json::json!([]));
}

// ---------------------------------------------------------------- real world

#[test]
fn aad_bare_assertion() {
    let parsed = message(&testdata("real-world/aad-saml2-assertion-signed-2017.xml")).unwrap();
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    let Message::Assertion(a) = &parsed.value else {
        panic!()
    };
    assert_eq!(
        a.id.as_deref(),
        Some("_d60bd9ed-8aab-40c8-ba5f-f548c3401ae2")
    );
    assert!(a.has_signature);
    assert_eq!(
        a.name_id().unwrap().value,
        "RrX3SPSxDw6z4KHaKB2V_mnv0G-LbRZdYvo1RQa1L7s"
    );
    assert!(
        a.conditions
            .as_ref()
            .unwrap()
            .restricts_to("spn:fe78e0b4-6fe7-47e6-812c-fb75cee266a4")
    );
    assert_eq!(a.attributes.len(), 7);
    assert_eq!(a.location, Location::new(1, 1));
}

#[test]
fn saml2aws_aad_response_keeps_issuer_padding() {
    let parsed = message(&testdata(
        "real-world/saml2aws-aad-SAMLResponse-role-first.xml",
    ))
    .unwrap();
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    let Message::Response(r) = &parsed.value else {
        panic!()
    };
    let issuer = r.issuer.as_ref().unwrap();
    assert!(issuer.is_padded());
    assert_eq!(
        issuer.trimmed(),
        "https://sts.windows.net/25f4519b-eca5-405d-b516-123af862c268/"
    );
    assert!(issuer.value.ends_with("/\n\t"));
    // The Issuer element starts on line 3 (after a two-line start tag).
    assert_eq!(issuer.location, Location::new(3, 2));
    let a = &r.assertions[0];
    assert!(!a.issuer.as_ref().unwrap().is_padded());
    assert_eq!(a.attribute_values(ROLE).count(), 2);
    assert_eq!(
        a.attribute_values("http://schemas.microsoft.com/ws/2008/06/identity/claims/role")
            .count(),
        2
    );
}

#[test]
fn pingfed_response_in_no_namespace_is_not_saml() {
    let e = message(&testdata(
        "real-world/saml2aws-pingfed-response-whitespace.xml",
    ))
    .unwrap_err();
    assert_eq!(e.code(), Code::SamlNotSaml);
    assert_eq!(
        e.to_string(),
        "a Response element in no namespace is not a SAML message"
    );
    assert_eq!(e.location(), Location::new(1, 1));
    let f = e.to_finding();
    assert_eq!(f.code.as_str(), "saml.not_saml");
    assert_eq!(f.severity, Severity::Error);
}

#[test]
fn adfs_samples_with_undeclared_prefix_are_refused_by_the_parser() {
    for name in [
        "saml2aws-adfs-response-provider-first.xml",
        "saml2aws-adfs-response-no-destination.xml",
        "saml2aws-adfs-response-invalid-date.xml",
    ] {
        let e = parse(&testdata(&format!("real-world/{name}")), &Limits::default()).unwrap_err();
        assert_eq!(e.code(), Code::XmlMalformed, "{name}");
        assert!(e.to_string().contains("'saml2'"), "{name}: {e}");
    }
}

#[test]
fn metadata_root_is_recognised() {
    let parsed = message(&testdata(
        "real-world/aad-common-federationmetadata-2017-signed.xml",
    ))
    .unwrap();
    let Message::Metadata(m) = &parsed.value else {
        panic!()
    };
    assert_eq!(m.element, "EntityDescriptor");
    assert_eq!(parsed.value.element_name(), "EntityDescriptor");
}

// ---------------------------------------------------------------- inline

const P: &str = r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;
const SUCCESS: &str = r#"<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>"#;

fn assertion(id: &str, body: &str) -> String {
    format!(
        r#"<saml:Assertion ID="{id}" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"><saml:Issuer>idp</saml:Issuer>{body}</saml:Assertion>"#
    )
}

fn response_with(attrs: &str, body: &str) -> String {
    format!(r#"<samlp:Response {P} {attrs}>{body}</samlp:Response>"#)
}

const OK_ATTRS: &str = r#"ID="_r" Version="2.0" IssueInstant="2026-11-01T12:00:00Z""#;

#[test]
fn comment_split_values_read_fully() {
    let body = format!(
        "{SUCCESS}{}",
        assertion(
            "_a",
            r#"<saml:Subject><saml:NameID>admin@victim.com<!---->.evil.com</saml:NameID></saml:Subject>
            <saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">
            <saml:AttributeValue><!--x-->arn:aws:iam::111122223333:role/Admin<!---->,arn:aws:iam::111122223333:saml-provider/Idp<?pi?></saml:AttributeValue>
            </saml:Attribute></saml:AttributeStatement>"#
        )
    );
    let p = response(&response_with(OK_ATTRS, &body));
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let a = &p.value.assertions[0];
    assert_eq!(a.name_id().unwrap().value, "admin@victim.com.evil.com");
    assert_eq!(
        a.attribute_values(ROLE).collect::<Vec<_>>(),
        ["arn:aws:iam::111122223333:role/Admin,arn:aws:iam::111122223333:saml-provider/Idp"]
    );
}

#[test]
fn value_with_element_child_is_refused() {
    let body = format!(
        "{SUCCESS}{}",
        assertion(
            "_a",
            r#"<saml:Subject><saml:NameID>admin@victim.com<x/>.evil.com</saml:NameID></saml:Subject>
            <saml:AttributeStatement><saml:Attribute Name="r"><saml:AttributeValue>a<saml:AttributeValue>b</saml:AttributeValue></saml:AttributeValue></saml:Attribute></saml:AttributeStatement>"#
        )
    );
    let p = response(&response_with(OK_ATTRS, &body));
    assert_eq!(
        codes(&p),
        [
            (Code::SamlStructure, Severity::Error),
            (Code::SamlStructure, Severity::Error)
        ]
    );
    assert!(
        p.findings[0]
            .message
            .contains("<NameID> contains the element <x>")
    );
    let a = &p.value.assertions[0];
    assert!(a.name_id().is_none());
    assert_eq!(a.attribute_values("r").count(), 0);
    assert!(p.clone().into_strict().is_err());
}

#[test]
fn invalid_timestamp_is_named_with_value_and_location() {
    // The value from saml2aws' assertion_invalid_date.xml (which itself is
    // not namespace-well-formed, so it cannot be read directly).
    let body = format!(
        "{SUCCESS}\n{}",
        assertion(
            "_a",
            r#"<saml:Subject><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData Recipient="https://signin.aws.amazon.com/saml" NotOnOrAfter="This-is-invalid-2016-09-10F32:59:39.387Z"/></saml:SubjectConfirmation></saml:Subject>"#
        )
    );
    let p = response(&response_with(OK_ATTRS, &body));
    assert_eq!(codes(&p), [(Code::SamlTimestampInvalid, Severity::Error)]);
    let f = &p.findings[0];
    assert_eq!(
        f.message,
        "NotOnOrAfter=\"This-is-invalid-2016-09-10F32:59:39.387Z\" on <SubjectConfirmationData> is not a valid SAML timestamp: not of the form YYYY-MM-DDThh:mm:ss[.fraction][Z|+hh:mm]"
    );
    assert_eq!(f.location, Some(Location::new(3, 78)));
    let data = p.value.assertions[0]
        .subject
        .as_ref()
        .unwrap()
        .confirmations[0]
        .data
        .as_ref()
        .unwrap();
    assert_eq!(data.not_on_or_after, None);
    assert!(data.recipient.is_some());
}

fn conditions_finding(not_before: &str) -> (Parsed<Response>, Option<String>) {
    let body = format!(
        "{SUCCESS}{}",
        assertion(
            "_a",
            &format!(r#"<saml:Conditions NotBefore="{not_before}"/>"#)
        )
    );
    let p = response(&response_with(OK_ATTRS, &body));
    let nb = p.value.assertions[0]
        .conditions
        .as_ref()
        .unwrap()
        .not_before
        .map(|t| format_timestamp(&t));
    (p, nb)
}

#[test]
fn timestamp_edge_cases() {
    // Accepted as is.
    let (p, t) = conditions_finding("2026-11-01T11:55:00.123456789123Z");
    assert!(p.findings.is_empty());
    assert_eq!(t.as_deref(), Some("2026-11-01T11:55:00.123456789Z"));
    // Offset: normalised, with a warning.
    let (p, t) = conditions_finding("2026-11-01T13:55:00+02:00");
    assert_eq!(codes(&p), [(Code::SamlTimestampInvalid, Severity::Warning)]);
    assert!(p.findings[0].message.contains("offset"));
    assert_eq!(t.as_deref(), Some("2026-11-01T11:55:00Z"));
    assert!(!p.has_errors());
    // No zone: read as UTC, with a warning.
    let (p, t) = conditions_finding("2026-11-01T11:55:00");
    assert_eq!(codes(&p), [(Code::SamlTimestampInvalid, Severity::Warning)]);
    assert_eq!(t.as_deref(), Some("2026-11-01T11:55:00Z"));
    // Refused.
    for (bad, reason) in [
        ("2016-12-31T23:59:60Z", "leap seconds"),
        ("2026-11-01T24:00:00Z", "hour 24"),
        ("0000-01-01T00:00:00Z", "0001-9999"),
        ("10000-01-01T00:00:00Z", "0001-9999"),
        ("2026-02-30T00:00:00Z", "does not exist"),
        ("2026-11-01T11:55:00+15:00", "offset is out of range"),
        (" 2026-11-01T11:55:00Z", "whitespace"),
        ("2026-11-01T11:55Z", "not of the form"),
    ] {
        let (p, t) = conditions_finding(bad);
        assert_eq!(
            codes(&p),
            [(Code::SamlTimestampInvalid, Severity::Error)],
            "{bad}"
        );
        assert!(
            p.findings[0].message.contains(reason),
            "{bad}: {}",
            p.findings[0].message
        );
        assert_eq!(t, None, "{bad}");
    }
}

#[test]
fn missing_id_and_required_attributes() {
    let p = response(&response_with(
        r#"Version="2.0""#,
        &format!(
            "{SUCCESS}{}",
            r#"<saml:Assertion Version="2.0" IssueInstant="2026-11-01T12:00:00Z"><saml:Issuer>idp</saml:Issuer></saml:Assertion>"#
        ),
    ));
    let messages: Vec<_> = p.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "<Response> has no ID attribute, which is required",
            "<Response> has no IssueInstant attribute, which is required",
            "<Assertion> has no ID attribute, which is required",
        ]
    );
    assert!(p.findings.iter().all(|f| f.code == Code::SamlStructure));
    assert_eq!(p.value.id, None);
    assert_eq!(p.value.assertions[0].id, None);
    assert_eq!(p.findings[0].location, Some(Location::new(1, 1)));
}

#[test]
fn empty_id_is_invalid() {
    let p = response(&response_with(
        r#"ID="" Version="2.0" IssueInstant="2026-11-01T12:00:00Z""#,
        SUCCESS,
    ));
    assert_eq!(codes(&p), [(Code::SamlStructure, Severity::Error)]);
    assert!(
        p.findings[0]
            .message
            .starts_with("ID=\"\" on <Response> is not valid")
    );
}

#[test]
fn version_1_1_is_refused() {
    let p = response(&response_with(
        r#"ID="_r" Version="1.1" IssueInstant="2026-11-01T12:00:00Z""#,
        SUCCESS,
    ));
    assert_eq!(codes(&p), [(Code::SamlVersion, Severity::Error)]);
    let f = &p.findings[0];
    assert_eq!(f.expected.as_deref(), Some("2.0"));
    assert_eq!(f.found.as_deref(), Some("1.1"));
    assert_eq!(p.value.version.as_deref(), Some("1.1"));
    let err = p.into_strict().unwrap_err();
    assert_eq!(err.code, Code::SamlVersion);
}

#[test]
fn two_assertions_yield_two_and_encrypted_ones_are_counted() {
    let body = format!(
        "{SUCCESS}{}{}<saml:EncryptedAssertion/><saml:EncryptedAssertion/>",
        assertion("_a1", ""),
        assertion("_a2", "")
    );
    let p = response(&response_with(OK_ATTRS, &body));
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let ids: Vec<_> = p
        .value
        .assertions
        .iter()
        .map(|a| a.id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, ["_a1", "_a2"]);
    assert_eq!(p.value.encrypted_assertions, 2);
}

#[test]
fn only_direct_child_assertions_are_read() {
    // An assertion inside Extensions or inside Advice is not the Response's.
    let body = format!(
        "<samlp:Extensions>{}</samlp:Extensions>{SUCCESS}{}",
        assertion("_evil", ""),
        assertion(
            "_a",
            &format!("<saml:Advice>{}</saml:Advice>", assertion("_advice", ""))
        )
    );
    let p = response(&response_with(OK_ATTRS, &body));
    assert_eq!(p.value.assertions.len(), 1);
    assert_eq!(p.value.assertions[0].id.as_deref(), Some("_a"));
    assert!(p.value.assertions[0].has_advice);
    assert_eq!(codes(&p), [(Code::SamlAdvice, Severity::Warning)]);
}

#[test]
fn assertion_read_from_its_element_does_not_look_around() {
    // Reading the second assertion sees nothing of the first (nor of the
    // Response around it).
    let body = format!(
        "{SUCCESS}{}{}",
        assertion(
            "_a1",
            "<saml:Subject><saml:NameID>first</saml:NameID></saml:Subject>"
        ),
        assertion("_a2", "")
    );
    let xml = response_with(OK_ATTRS, &body);
    let doc = parse(&xml, &Limits::default()).unwrap();
    let second = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("Assertion"))
        .nth(1)
        .unwrap();
    let p = Assertion::from_element(second).unwrap();
    assert!(p.findings.is_empty());
    assert_eq!(p.value.id.as_deref(), Some("_a2"));
    assert!(p.value.subject.is_none());
    // Handing it the wrong element is an error, not a guess.
    let e = Assertion::from_element(doc.root_element()).unwrap_err();
    assert_eq!(e.code(), Code::SamlStructure);
}

#[test]
fn prefix_does_not_matter_namespace_does() {
    let xml = r#"<x:Response xmlns:x="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"><x:Status><x:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></x:Status><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0" IssueInstant="2026-11-01T12:00:00Z"/></x:Response>"#;
    let p = response(xml);
    // The "saml:Assertion" is in the protocol namespace: not an assertion.
    assert!(p.value.assertions.is_empty());
    assert_eq!(codes(&p), [(Code::SamlStructure, Severity::Warning)]);
    assert!(p.value.status.unwrap().is_success());
}

#[test]
fn status_chain_and_entra_message() {
    let body = r#"<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported"/></samlp:StatusCode><samlp:StatusMessage>AADSTS75011: Authentication method 'X509, MultiFactor' by which the user authenticated with the service doesn't match requested authentication method 'Password, ProtectedTransport'.</samlp:StatusMessage><samlp:StatusDetail><x xmlns="urn:example"/></samlp:StatusDetail></samlp:Status>"#;
    let p = response(&response_with(OK_ATTRS, body));
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let s = p.value.status.unwrap();
    assert_eq!(
        s.codes,
        [
            "urn:oasis:names:tc:SAML:2.0:status:Requester",
            "urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported"
        ]
    );
    assert!(!s.is_success());
    assert!(s.has_detail);
    assert_eq!(s.aadsts_codes(), ["AADSTS75011"]);
}

#[test]
fn authn_request() {
    let xml = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
        ID="_req1" Version="2.0" IssueInstant="2026-11-01T11:59:00Z" Destination="https://login.microsoftonline.com/t/saml2"
        AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        ForceAuthn="false" IsPassive="1">
      <saml:Issuer>https://us-east-1.signin.aws.amazon.com/platform/saml/d-1234567890</saml:Issuer>
      <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>
      <samlp:RequestedAuthnContext Comparison="exact"><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>
    </samlp:AuthnRequest>"#;
    let parsed = message(xml).unwrap();
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    let Message::AuthnRequest(q) = parsed.value else {
        panic!()
    };
    assert_eq!(q.id.as_deref(), Some("_req1"));
    assert_eq!(ts(&q.issue_instant), "2026-11-01T11:59:00Z");
    assert_eq!(
        q.assertion_consumer_service_url.as_deref(),
        Some("https://signin.aws.amazon.com/saml")
    );
    assert_eq!(
        q.protocol_binding.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")
    );
    assert_eq!((q.force_authn, q.is_passive), (Some(false), Some(true)));
    let policy = q.name_id_policy.unwrap();
    assert_eq!(policy.allow_create, Some(true));
    assert_eq!(
        policy.format.as_deref(),
        Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
    );
    let rac = q.requested_authn_context.unwrap();
    assert_eq!(rac.comparison.as_deref(), Some("exact"));
    assert_eq!(rac.class_refs.len(), 1);
    assert!(q.issuer.unwrap().value.ends_with("d-1234567890"));
}

#[test]
fn authn_request_problems() {
    let xml = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_q" Version="2.0" ForceAuthn="yes"/>"#;
    let doc = parse(xml, &Limits::default()).unwrap();
    let p = AuthnRequest::from_element(doc.root_element()).unwrap();
    let messages: Vec<_> = p.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "<AuthnRequest> has no IssueInstant attribute, which is required",
            "ForceAuthn=\"yes\" on <AuthnRequest> is not valid: an xs:boolean is true, false, 1 or 0",
        ]
    );
    assert_eq!(p.value.force_authn, None);
}

#[test]
fn logout_request() {
    let xml = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
        ID="_lo1" Version="2.0" IssueInstant="2026-11-01T12:30:00Z" Destination="https://idp/logout" NotOnOrAfter="2026-11-01T12:35:00Z" Reason="urn:oasis:names:tc:SAML:2.0:logout:user">
      <saml:Issuer>https://sp</saml:Issuer>
      <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">abc</saml:NameID>
      <samlp:SessionIndex>_s1</samlp:SessionIndex><samlp:SessionIndex>_s2</samlp:SessionIndex>
    </samlp:LogoutRequest>"#;
    let parsed = message(xml).unwrap();
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    let Message::LogoutRequest(q) = parsed.value else {
        panic!()
    };
    assert_eq!(q.name_id.unwrap().value, "abc");
    assert_eq!(q.session_indexes, ["_s1", "_s2"]);
    assert_eq!(ts(&q.not_on_or_after), "2026-11-01T12:35:00Z");
    assert_eq!(
        q.reason.as_deref(),
        Some("urn:oasis:names:tc:SAML:2.0:logout:user")
    );
    assert_eq!(q.destination.as_deref(), Some("https://idp/logout"));
    assert_eq!(q.issuer.unwrap().value, "https://sp");

    // Without an identifier, the request names nobody.
    let xml = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_lo2" Version="2.0" IssueInstant="2026-11-01T12:30:00Z"/>"#;
    let doc = parse(xml, &Limits::default()).unwrap();
    let p = LogoutRequest::from_element(doc.root_element()).unwrap();
    assert_eq!(
        p.first_error().unwrap().message,
        "<LogoutRequest> has no <NameID> child, which is required"
    );
}

#[test]
fn logout_response() {
    let xml = r#"<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
        ID="_lr1" Version="2.0" IssueInstant="2026-11-01T12:30:01Z" InResponseTo="_lo1" Destination="https://sp/slo">
      <saml:Issuer>https://idp</saml:Issuer>
      <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
    </samlp:LogoutResponse>"#;
    let parsed = message(xml).unwrap();
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    let Message::LogoutResponse(r) = &parsed.value else {
        panic!()
    };
    assert_eq!(r.in_response_to.as_deref(), Some("_lo1"));
    assert_eq!(r.destination.as_deref(), Some("https://sp/slo"));
    assert!(r.status.as_ref().unwrap().is_success());
    assert_eq!(r.issuer.as_ref().unwrap().value, "https://idp");

    let doc = parse(xml, &Limits::default()).unwrap();
    assert!(LogoutResponse::from_element(doc.root_element()).is_ok());
    assert!(Response::from_element(doc.root_element()).is_err());
}

#[test]
fn unknown_roots_are_not_saml() {
    for xml in [
        r#"<samlp:ArtifactResolve xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>"#,
        "<html/>",
        r#"<EntityDescriptor entityID="x"/>"#,
        r#"<Assertion xmlns="urn:oasis:names:tc:SAML:1.0:assertion"/>"#,
    ] {
        let e = message(xml).unwrap_err();
        assert_eq!(e.code(), Code::SamlNotSaml, "{xml}");
    }
}

#[test]
fn hostile_values_are_quoted_short() {
    let long = "x".repeat(10_000);
    let p = response(&response_with(
        &format!(r#"ID="_r" Version="{long}" IssueInstant="{long}""#),
        SUCCESS,
    ));
    assert_eq!(p.findings.len(), 2);
    assert!(p.findings.iter().all(|f| f.message.len() < 400));
}

#[test]
fn many_values_read_in_linear_time() {
    // 50 000 values on one line: locations must not rescan the input each time.
    let values = "<saml:AttributeValue>v</saml:AttributeValue>".repeat(50_000);
    let body = format!(
        "{SUCCESS}{}",
        assertion(
            "_a",
            &format!(
                r#"<saml:AttributeStatement><saml:Attribute Name="n">{values}</saml:Attribute></saml:AttributeStatement>"#
            )
        )
    );
    let start = std::time::Instant::now();
    let p = response(&response_with(OK_ATTRS, &body));
    assert_eq!(p.value.assertions[0].attributes[0].values.len(), 50_000);
    let last = p.value.assertions[0].attributes[0].values.last().unwrap();
    assert!(last.location.column > 2_000_000);
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

#[test]
fn no_namespace_names_use_the_right_article() {
    let e = message("<Assertion/>").unwrap_err();
    assert_eq!(
        e.to_string(),
        "an Assertion element in no namespace is not a SAML message"
    );
    let e = message(r#"<Response xmlns="urn:oasis:names:tc:SAML:1.0:protocol"/>"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "a Response element in the namespace \"urn:oasis:names:tc:SAML:1.0:protocol\" is not a SAML 2.0 message (expected \"urn:oasis:names:tc:SAML:2.0:protocol\")"
    );
}

#[test]
fn every_constructor_on_every_element_of_every_sample_is_total() {
    // No panic on any element of any sample, whatever it is asked to read.
    let dir = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
    let mut elements = 0usize;
    for sub in ["fixtures", "real-world", "hostile"] {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{dir}/{sub}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(doc) = parse(&text, &Limits::default()) else {
                continue;
            };
            for node in doc.tree().descendants().filter(|n| n.is_element()) {
                elements += 1;
                let _ = Message::from_element(node);
                let _ = Response::from_element(node);
                let _ = Assertion::from_element(node);
                let _ = AuthnRequest::from_element(node);
                let _ = LogoutRequest::from_element(node);
                let _ = LogoutResponse::from_element(node);
            }
        }
    }
    assert!(elements > 1000, "{elements}");
}

//! End-to-end validation: the shipped signed fixtures validate for AWS at
//! their instant, each wrong expectation fails with its own code, and the
//! SAML protocol attacks M01-M11 (docs/attacks.md §8), built by editing a
//! fixture and re-signing it with the test-only signer, are refused.

mod support;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use saml_inspect::Code;
use saml_inspect::Severity;
use saml_inspect::dsig::TrustedKeys;
use saml_inspect::validate::{
    Expectations, InMemoryReplayCache, RequireSigned, ValidationError, Validator,
};
use support::*;

const AUDIENCE: &str = "urn:amazon:webservices";
const ACS: &str = "https://signin.aws.amazon.com/saml";
const ISSUER: &str = "https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/";
const OTHER_ISSUER: &str = "https://sts.windows.net/00000000-1111-2222-3333-444444444444/";
const SCD_CLOSE: &str = "Recipient=\"https://signin.aws.amazon.com/saml\"/>";

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    at("2026-11-01T12:00:00Z")
}

fn aws() -> Expectations {
    Expectations {
        audiences: vec![AUDIENCE.into()],
        recipients: vec![ACS.into()],
        issuer: Some(ISSUER.into()),
        ..Default::default()
    }
}

fn validator(key: &str, expect: Expectations) -> Validator {
    Validator::new(trust(key), expect)
}

fn code_of(result: Result<saml_inspect::validate::Validated, ValidationError>) -> Code {
    match result {
        Ok(v) => panic!(
            "validated, expected a failure: {:?}",
            v.assertion.summary().id
        ),
        Err(e) => e.code(),
    }
}

/// The assertion-signed Entra fixture after `edits`, signed again by the IdP.
fn signed_assertion(edits: &[(&str, &str)]) -> String {
    let mut text = unsigned_response();
    for (from, to) in edits {
        text = edit(&text, from, to);
    }
    sign(
        &text,
        ASSERTION_ID,
        &Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048")),
        &private_key("rsa2048"),
    )
}

/// The same, with the Response signed instead.
fn signed_response(edits: &[(&str, &str)]) -> String {
    let mut text = unsigned_response();
    for (from, to) in edits {
        text = edit(&text, from, to);
    }
    sign(
        &text,
        RESPONSE_ID,
        &Spec::rsa_sha256(RESPONSE_ID, &cert_der("rsa2048")),
        &private_key("rsa2048"),
    )
}

fn check(
    text: &str,
    expect: Expectations,
) -> Result<saml_inspect::validate::Validated, ValidationError> {
    validator("rsa2048", expect).validate(text.as_bytes(), now())
}

const FIXTURES: [&str; 4] = ["assertion", "both", "response", "large-assertion"];
const KEYS: [&str; 3] = ["ecp256", "rsa2048", "rsa3072"];

#[test]
fn every_signed_fixture_validates_for_aws_in_both_encodings() {
    let mut count = 0;
    for shape in FIXTURES {
        for key in KEYS {
            let v = validator(key, aws());
            for ext in ["xml", "b64"] {
                let name = format!("{shape}-{key}.{ext}");
                let validated = v
                    .validate(read(&name).as_bytes(), now())
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    validated.assertion.summary().issuer.as_deref(),
                    Some(ISSUER)
                );
                assert_eq!(validated.assertion.summary().audiences, [AUDIENCE]);
                assert!(
                    validated
                        .findings
                        .iter()
                        .all(|f| f.severity != Severity::Error),
                    "{name}"
                );
                count += 1;
            }
        }
    }
    assert_eq!(count, 24);
}

#[test]
fn wrong_instant_audience_recipient_or_issuer_each_fail_with_their_code() {
    let input = read("assertion-rsa2048.xml");
    let v = validator("rsa2048", aws());
    assert_eq!(
        code_of(v.validate(input.as_bytes(), at("2026-11-01T11:40:00Z"))),
        Code::SamlNotYetValid
    );
    assert_eq!(
        code_of(v.validate(input.as_bytes(), at("2026-11-01T12:30:00Z"))),
        Code::SamlExpired
    );
    let wrong = |f: fn(&mut Expectations)| {
        let mut e = aws();
        f(&mut e);
        code_of(validator("rsa2048", e).validate(input.as_bytes(), now()))
    };
    assert_eq!(
        wrong(|e| e.audiences = vec!["https://signin.aws.amazon.com/saml".into()]),
        Code::SamlAudienceMismatch
    );
    assert_eq!(
        wrong(|e| e.recipients = vec!["https://eu-west-1.signin.aws.amazon.com/saml".into()]),
        Code::SamlDestinationMismatch
    );
    assert_eq!(
        wrong(|e| e.issuer = Some(OTHER_ISSUER.into())),
        Code::SamlIssuerMismatch
    );
    // A bare signed Assertion has no Destination: the Recipient is what fails.
    let bare = slice(&input, "<Assertion ", "</Assertion>", 0).to_string();
    assert_eq!(
        wrong_bare(&bare, |e| e.recipients =
            vec!["https://eu-west-1.signin.aws.amazon.com/saml".into()]),
        Code::SamlRecipientMismatch
    );
}

fn wrong_bare(bare: &str, f: fn(&mut Expectations)) -> Code {
    let mut e = aws();
    f(&mut e);
    code_of(validator("rsa2048", e).validate(bare.as_bytes(), now()))
}

#[test]
fn window_boundaries_use_the_skew_notbefore_inclusive_notonorafter_exclusive() {
    let input = read("assertion-rsa2048.xml");
    let v = validator("rsa2048", aws());
    // SubjectConfirmationData NotOnOrAfter = 12:05:00.123, skew 180 s.
    assert!(
        v.validate(input.as_bytes(), at("2026-11-01T12:08:00.122Z"))
            .is_ok()
    );
    assert_eq!(
        code_of(v.validate(input.as_bytes(), at("2026-11-01T12:08:00.123Z"))),
        Code::SamlExpired
    );
    // Conditions NotBefore moved after IssueInstant (12:00:00.123) so that
    // only the window decides.
    let later = signed_assertion(&[(
        "NotBefore=\"2026-11-01T11:55:00.123Z\"",
        "NotBefore=\"2026-11-01T12:02:00Z\"",
    )]);
    let v = validator("rsa2048", aws());
    assert!(
        v.validate(later.as_bytes(), at("2026-11-01T11:59:00Z"))
            .is_ok()
    );
    assert_eq!(
        code_of(v.validate(later.as_bytes(), at("2026-11-01T11:58:59.999Z"))),
        Code::SamlNotYetValid
    );
    // No skew: the same instants fail.
    let strict = validator(
        "rsa2048",
        Expectations {
            clock_skew: TimeDelta::zero(),
            ..aws()
        },
    );
    assert_eq!(
        code_of(strict.validate(input.as_bytes(), at("2026-11-01T12:05:00.123Z"))),
        Code::SamlExpired
    );
}

#[test]
fn issue_instant_in_the_future_or_too_old_is_refused() {
    // IssueInstant one hour ahead of the windows (which still hold).
    let text = signed_assertion(&[(
        "IssueInstant=\"2026-11-01T12:00:00.123Z\" Version=\"2.0\"><Issuer>",
        "IssueInstant=\"2026-11-01T12:10:00Z\" Version=\"2.0\"><Issuer>",
    )]);
    assert_eq!(code_of(check(&text, aws())), Code::SamlTimestampInvalid);
    let input = read("assertion-rsa2048.xml");
    let aged = Expectations {
        max_age: Some(TimeDelta::seconds(60)),
        ..aws()
    };
    let v = validator("rsa2048", aged);
    assert!(
        v.validate(input.as_bytes(), at("2026-11-01T12:04:00.123Z"))
            .is_ok()
    );
    assert_eq!(
        code_of(v.validate(input.as_bytes(), at("2026-11-01T12:04:00.124Z"))),
        Code::SamlTimestampInvalid
    );
}

#[test]
fn m01_required_signature_matrix() {
    let cases: [(&str, RequireSigned, bool); 12] = [
        ("assertion", RequireSigned::Assertion, true),
        ("assertion", RequireSigned::Response, false),
        ("assertion", RequireSigned::Either, true),
        ("assertion", RequireSigned::Both, false),
        ("response", RequireSigned::Assertion, false),
        ("response", RequireSigned::Response, true),
        ("response", RequireSigned::Either, true),
        ("response", RequireSigned::Both, false),
        ("both", RequireSigned::Assertion, true),
        ("both", RequireSigned::Response, true),
        ("both", RequireSigned::Either, true),
        ("both", RequireSigned::Both, true),
    ];
    for (shape, policy, valid) in cases {
        let v = validator(
            "rsa2048",
            Expectations {
                require_signed: policy,
                ..aws()
            },
        );
        let result = v.validate(read(&format!("{shape}-rsa2048.xml")).as_bytes(), now());
        match valid {
            true => assert!(result.is_ok(), "{shape} {policy:?}: {:?}", result.err()),
            false => assert_eq!(
                code_of(result),
                Code::SignatureMissing,
                "{shape} {policy:?}"
            ),
        }
    }
}

#[test]
fn m01_unsigned_response_fields_are_never_trusted_but_still_refuse() {
    let input = read("assertion-rsa2048.xml");
    // Destination edited in the unsigned Response: the signature still holds.
    let moved = edit(
        &input,
        "Destination=\"https://signin.aws.amazon.com/saml\"",
        "Destination=\"https://evil.example/saml\"",
    );
    assert_eq!(code_of(check(&moved, aws())), Code::SamlDestinationMismatch);
    // InResponseTo added to the unsigned Response for a request we never sent.
    let answered = edit(
        &input,
        "Version=\"2.0\" IssueInstant",
        "InResponseTo=\"_forged\" Version=\"2.0\" IssueInstant",
    );
    let sp_initiated = Expectations {
        in_response_to: Some(vec!["_req1".into()]),
        ..aws()
    };
    assert_eq!(
        code_of(check(&answered, sp_initiated)),
        Code::SamlInResponseTo
    );
    // A failure status in the unsigned Response refuses, flagged unverified.
    let failed = edit(
        &input,
        "status:Success\"/>",
        "status:Responder\"/><samlp:StatusMessage>AADSTS50105: not assigned</samlp:StatusMessage>",
    );
    let error = check(&failed, aws()).unwrap_err();
    assert_eq!(error.code(), Code::SamlStatus);
    assert!(error.to_string().contains("unverified"), "{error}");
    assert!(error.to_string().contains("AADSTS50105"), "{error}");
}

#[test]
fn m02_audience() {
    let ours = "<Audience>urn:amazon:webservices</Audience>";
    let restriction =
        "<AudienceRestriction><Audience>urn:amazon:webservices</Audience></AudienceRestriction>";
    let refused = [
        signed_assertion(&[(ours, "<Audience>https://other.example/sp</Audience>")]),
        signed_assertion(&[(restriction, "")]),
        signed_assertion(&[(ours, "<Audience/>")]),
        signed_assertion(&[(ours, "<Audience>urn:amazon:webservices/</Audience>")]),
        signed_assertion(&[(ours, "<Audience>URN:amazon:webservices</Audience>")]),
        // Restrictions are ANDed: ours and another.
        signed_assertion(&[(
            restriction,
            "<AudienceRestriction><Audience>urn:amazon:webservices</Audience></AudienceRestriction><AudienceRestriction><Audience>https://other.example/sp</Audience></AudienceRestriction>",
        )]),
    ];
    for (i, text) in refused.iter().enumerate() {
        assert_eq!(
            code_of(check(text, aws())),
            Code::SamlAudienceMismatch,
            "case {i}"
        );
    }
    // Audiences within one restriction are ORed.
    let either = signed_assertion(&[(
        ours,
        "<Audience>https://other.example/sp</Audience><Audience>urn:amazon:webservices</Audience>",
    )]);
    assert!(check(&either, aws()).is_ok());
}

#[test]
fn m03_destination_and_recipient() {
    let recipient = "Recipient=\"https://signin.aws.amazon.com/saml\"/>";
    let other = signed_assertion(&[(recipient, "Recipient=\"https://other.example/acs\"/>")]);
    assert_eq!(code_of(check(&other, aws())), Code::SamlRecipientMismatch);
    let missing =
        signed_assertion(&[(" Recipient=\"https://signin.aws.amazon.com/saml\"/>", "/>")]);
    assert_eq!(code_of(check(&missing, aws())), Code::SamlRecipientMismatch);
    // Host case is not significant; path case is.
    let host = signed_response(&[(
        "Destination=\"https://signin.aws.amazon.com/saml\"",
        "Destination=\"https://SIGNIN.aws.amazon.com/saml\"",
    )]);
    assert!(check(&host, aws()).is_ok());
    let path = signed_response(&[(
        "Destination=\"https://signin.aws.amazon.com/saml\"",
        "Destination=\"https://signin.aws.amazon.com/SAML\"",
    )]);
    assert_eq!(code_of(check(&path, aws())), Code::SamlDestinationMismatch);
    let empty = signed_response(&[(
        "Destination=\"https://signin.aws.amazon.com/saml\"",
        "Destination=\"\"",
    )]);
    assert!(check(&empty, aws()).is_err());
}

#[test]
fn m04_garbage_and_offset_timestamps() {
    let garbage = signed_assertion(&[(
        "NotOnOrAfter=\"2026-11-01T12:05:00.123Z\"",
        "NotOnOrAfter=\"tomorrow\"",
    )]);
    assert_eq!(code_of(check(&garbage, aws())), Code::SamlTimestampInvalid);
    let far = signed_assertion(&[(
        "NotOnOrAfter=\"2026-11-01T12:05:00.123Z\"",
        "NotOnOrAfter=\"9999-12-31T23:59:59Z\"",
    )]);
    // Year 9999 is valid and far away: no overflow, no panic.
    assert!(check(&far, aws()).is_ok());
    let offset = signed_assertion(&[(
        "NotOnOrAfter=\"2026-11-01T12:05:00.123Z\"",
        "NotOnOrAfter=\"2026-11-01T13:05:00+02:00\"",
    )]);
    // 13:05+02:00 is 11:05Z: expired.
    assert_eq!(code_of(check(&offset, aws())), Code::SamlExpired);
}

#[test]
fn m05_in_response_to() {
    let with = |irt: &str| {
        signed_assertion(&[(
            SCD_CLOSE,
            &format!("Recipient=\"{ACS}\" InResponseTo=\"{irt}\"/>"),
        )])
    };
    let expecting = |ids: &[&str], idp: bool| Expectations {
        in_response_to: Some(ids.iter().map(|s| s.to_string()).collect()),
        allow_idp_initiated: idp,
        ..aws()
    };
    assert!(check(&with("_req1"), expecting(&["_req1"], false)).is_ok());
    assert_eq!(
        code_of(check(&with("_unknown"), expecting(&["_req1"], true))),
        Code::SamlInResponseTo
    );
    // Present while only IdP-initiated is expected: must still match.
    assert_eq!(
        code_of(check(&with("_req1"), expecting(&[], true))),
        Code::SamlInResponseTo
    );
    // Absent while only answers to requests are accepted.
    assert_eq!(
        code_of(check(
            &read("assertion-rsa2048.xml"),
            expecting(&["_req1"], false)
        )),
        Code::SamlInResponseTo
    );
    assert!(check(&read("assertion-rsa2048.xml"), expecting(&["_req1"], true)).is_ok());
}

#[test]
fn m06_replay_is_refused_on_second_use() {
    let cache = Arc::new(InMemoryReplayCache::default());
    let v = validator("rsa2048", aws()).with_replay_cache(cache.clone());
    let input = read("assertion-rsa2048.b64");
    assert!(v.validate(input.as_bytes(), now()).is_ok());
    assert_eq!(
        code_of(v.validate(input.as_bytes(), now())),
        Code::SamlReplay
    );
    // The same assertion in another encoding and inside a re-signed
    // Response is still the same assertion.
    assert_eq!(
        code_of(v.validate(read("assertion-rsa2048.xml").as_bytes(), now())),
        Code::SamlReplay
    );
    assert_eq!(cache.len(), 1);
    // A refused message is not recorded.
    let other = validator("rsa2048", aws()).with_replay_cache(cache.clone());
    assert!(
        other
            .validate(input.as_bytes(), at("2026-11-01T14:00:00Z"))
            .is_err()
    );
    assert_eq!(cache.len(), 1);
}

#[test]
fn m07_issuer() {
    let assertion_issuer = format!("<Issuer>{ISSUER}</Issuer><Subject>");
    let other = signed_assertion(&[(
        &assertion_issuer,
        &format!("<Issuer>{OTHER_ISSUER}</Issuer><Subject>"),
    )]);
    assert_eq!(code_of(check(&other, aws())), Code::SamlIssuerMismatch);
    // Response Issuer (unsigned) differs from the Assertion's.
    let response_issuer = edit(&read("assertion-rsa2048.xml"), ISSUER, OTHER_ISSUER);
    assert_eq!(
        code_of(check(&response_issuer, aws())),
        Code::SamlIssuerMismatch
    );
    // Whitespace padding is a warning, not a mismatch.
    let padded = signed_assertion(&[(
        &assertion_issuer,
        &format!("<Issuer> {ISSUER}\n</Issuer><Subject>"),
    )]);
    let validated = check(&padded, aws()).unwrap();
    assert!(
        validated
            .findings
            .iter()
            .any(|f| f.code == Code::SamlIssuerMismatch && f.severity == Severity::Warning)
    );
}

#[test]
fn m08_subject_confirmation() {
    let bearer = "Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"";
    let vouches = signed_assertion(&[(
        bearer,
        "Method=\"urn:oasis:names:tc:SAML:2.0:cm:sender-vouches\"",
    )]);
    assert_eq!(
        code_of(check(&vouches, aws())),
        Code::SamlSubjectConfirmation
    );
    let hok = signed_assertion(&[(
        bearer,
        "Method=\"urn:oasis:names:tc:SAML:2.0:cm:holder-of-key\"",
    )]);
    assert_eq!(code_of(check(&hok, aws())), Code::SamlSubjectConfirmation);
    let no_data = signed_assertion(&[(
        "<SubjectConfirmationData NotOnOrAfter=\"2026-11-01T12:05:00.123Z\" Recipient=\"https://signin.aws.amazon.com/saml\"/>",
        "",
    )]);
    assert_eq!(
        code_of(check(&no_data, aws())),
        Code::SamlSubjectConfirmation
    );
    let no_expiry = signed_assertion(&[(
        " NotOnOrAfter=\"2026-11-01T12:05:00.123Z\" Recipient",
        " Recipient",
    )]);
    assert_eq!(
        code_of(check(&no_expiry, aws())),
        Code::SamlSubjectConfirmation
    );
    // Two confirmations, one for another SP and one for us: usable.
    let good = "<SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><SubjectConfirmationData NotOnOrAfter=\"2026-11-01T12:05:00.123Z\" Recipient=\"https://signin.aws.amazon.com/saml\"/></SubjectConfirmation>";
    let two = signed_assertion(&[(
        good,
        &format!("{}{good}", good.replace(ACS, "https://other.example/acs")),
    )]);
    assert!(check(&two, aws()).is_ok());
    // Two, both unusable: the summary names each reason.
    let bad_two = signed_assertion(&[(
        good,
        &format!(
            "{}{}",
            good.replace(ACS, "https://other.example/acs"),
            good.replace("12:05:00.123Z", "11:00:00Z")
        ),
    )]);
    let error = check(&bad_two, aws()).unwrap_err();
    assert_eq!(error.code(), Code::SamlSubjectConfirmation);
    assert!(error.to_string().contains("expired"), "{error}");
}

#[test]
fn m09_status_is_checked_before_an_assertion_is_required() {
    let status = "<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>";
    let failure = "<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Responder\"><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:AuthnFailed\"/></samlp:StatusCode><samlp:StatusMessage>AADSTS50105: The signed in user is not assigned to a role</samlp:StatusMessage>";
    // A signed Response with a failure status and a valid signed Assertion.
    let signed = signed_response(&[(status, failure)]);
    let error = check(&signed, aws()).unwrap_err();
    assert_eq!(error.code(), Code::SamlStatus);
    let message = error.to_string();
    assert!(message.contains("Responder > AuthnFailed"), "{message}");
    assert!(message.contains("AADSTS50105"), "{message}");
    assert!(!message.contains("unverified"), "{message}");
    // An error Response carrying no assertion (the usual shape).
    let mut bare = edit(&unsigned_response(), status, failure);
    let (start, end) = span(&bare, "<Assertion ", "</Assertion>", 0);
    bare.replace_range(start..end, "");
    let error = check(&bare, aws()).unwrap_err();
    assert_eq!(error.code(), Code::SamlStatus);
    // Success with a nested sub-code is still Success at the top level.
    let nested = signed_assertion(&[(
        status,
        "<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"><samlp:StatusCode Value=\"urn:example:detail\"/></samlp:StatusCode>",
    )]);
    assert!(check(&nested, aws()).is_ok());
}

#[test]
fn m10_escaped_markup_in_an_attribute_stays_one_value() {
    let role = "<Attribute Name=\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"><AttributeValue>";
    let injected = signed_assertion(&[(
        role,
        &format!("{role}x&lt;/AttributeValue&gt;&lt;AttributeValue&gt;admin"),
    )]);
    let validated = check(&injected, aws()).unwrap();
    let values: Vec<&str> = validated
        .assertion
        .assertion
        .attribute_values("https://aws.amazon.com/SAML/Attributes/RoleSessionName")
        .collect();
    assert_eq!(values.len(), 1);
    assert!(values[0].starts_with("x</AttributeValue><AttributeValue>admin"));
}

#[test]
fn m11_missing_id_and_wrong_version() {
    let assertion_v = signed_assertion(&[(
        "IssueInstant=\"2026-11-01T12:00:00.123Z\" Version=\"2.0\"><Issuer>",
        "IssueInstant=\"2026-11-01T12:00:00.123Z\" Version=\"1.1\"><Issuer>",
    )]);
    assert_eq!(code_of(check(&assertion_v, aws())), Code::SamlVersion);
    // The unsigned Response's Version and ID are still required.
    let input = read("assertion-rsa2048.xml");
    let response_v = edit(
        &input,
        "Version=\"2.0\" IssueInstant",
        "Version=\"1.1\" IssueInstant",
    );
    assert_eq!(code_of(check(&response_v, aws())), Code::SamlVersion);
    let no_id = edit(&input, &format!("ID=\"{RESPONSE_ID}\" "), "");
    assert_eq!(code_of(check(&no_id, aws())), Code::SamlStructure);
    let signed_v = signed_response(&[(
        "Version=\"2.0\" IssueInstant",
        "Version=\"1.1\" IssueInstant",
    )]);
    assert_eq!(code_of(check(&signed_v, aws())), Code::SamlVersion);
}

#[test]
fn metadata_gives_the_keys_and_the_expected_issuer() {
    use saml_inspect::metadata::{Metadata, MetadataOptions};
    let cert = read("rsa2048.cert.pem");
    let body: String = cert.lines().filter(|l| !l.starts_with("-----")).collect();
    let xml = format!(
        "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"{ISSUER}\"><IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"><KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data><X509Certificate>{body}</X509Certificate></X509Data></KeyInfo></KeyDescriptor><SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://login.microsoftonline.com/x/saml2\"/></IDPSSODescriptor></EntityDescriptor>"
    );
    let metadata = Metadata::from_bytes(xml.as_bytes(), &MetadataOptions::at(now())).unwrap();
    let v = Validator::from_metadata(
        &metadata,
        Expectations {
            issuer: None,
            ..aws()
        },
    );
    assert_eq!(v.expectations().issuer.as_deref(), Some(ISSUER));
    assert!(
        v.validate(read("assertion-rsa2048.xml").as_bytes(), now())
            .is_ok()
    );
    // Signed by a key the metadata does not list (same subject name).
    let (key, cert) = generated("rsa2048");
    let stranger = sign(
        &unsigned_response(),
        ASSERTION_ID,
        &Spec::rsa_sha256(ASSERTION_ID, &cert),
        &key,
    );
    assert_eq!(
        code_of(v.validate(stranger.as_bytes(), now())),
        Code::SignatureUntrustedKey
    );
}

#[test]
fn without_expectations_the_skipped_checks_are_reported() {
    let v = Validator::new(trust("rsa2048"), Expectations::default());
    let validated = v
        .validate(read("assertion-rsa2048.xml").as_bytes(), now())
        .unwrap();
    for code in [
        Code::SamlAudienceMismatch,
        Code::SamlRecipientMismatch,
        Code::SamlIssuerMismatch,
        Code::SamlInResponseTo,
    ] {
        assert!(
            validated
                .findings
                .iter()
                .any(|f| f.code == code && f.severity == Severity::Info),
            "{code}"
        );
    }
    // No trust at all fails closed.
    let none = Validator::new(TrustedKeys::new(), aws());
    assert_eq!(
        code_of(none.validate(read("assertion-rsa2048.xml").as_bytes(), now())),
        Code::SignatureNoTrustConfigured
    );
}

#[test]
fn inspect_reports_every_failure_at_once() {
    let v = Validator::new(
        trust("rsa2048"),
        Expectations {
            audiences: vec!["https://other.example/sp".into()],
            recipients: vec!["https://other.example/acs".into()],
            issuer: Some(OTHER_ISSUER.into()),
            ..Default::default()
        },
    );
    let findings = v.inspect(
        read("assertion-rsa2048.xml").as_bytes(),
        at("2026-11-01T14:00:00Z"),
    );
    let errors: Vec<Code> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code)
        .collect();
    for code in [
        Code::SamlIssuerMismatch,
        Code::SamlDestinationMismatch,
        Code::SamlRecipientMismatch,
        Code::SamlExpired,
        Code::SamlAudienceMismatch,
    ] {
        assert!(errors.contains(&code), "{code} missing from {errors:?}");
    }
    // A tampered message: the signature failure first, then the checks.
    let tampered = v.inspect(
        read("tampered-content-assertion-rsa2048.xml").as_bytes(),
        at("2026-11-01T14:00:00Z"),
    );
    assert_eq!(
        tampered.first().map(|f| f.code),
        Some(Code::SignatureDigestMismatch)
    );
    assert!(tampered.iter().any(|f| f.code == Code::SamlExpired));
    // A valid message gives no error.
    let ok = validator("rsa2048", aws()).inspect(read("both-rsa2048.xml").as_bytes(), now());
    assert!(ok.iter().all(|f| f.severity != Severity::Error), "{ok:?}");
}

#[test]
fn one_validator_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Validator>();
    let cache = Arc::new(InMemoryReplayCache::default());
    let v = Arc::new(validator("rsa2048", aws()).with_replay_cache(cache));
    let inputs: Vec<String> = ["assertion", "both", "response", "large-assertion"]
        .iter()
        .map(|s| read(&format!("{s}-rsa2048.xml")))
        .collect();
    // Every thread submits every fixture; each assertion ID is accepted once.
    let accepted: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let v = Arc::clone(&v);
                let inputs = &inputs;
                scope.spawn(move || {
                    inputs
                        .iter()
                        .filter(|i| v.validate(i.as_bytes(), now()).is_ok())
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let distinct_ids: std::collections::HashSet<String> = inputs
        .iter()
        .map(|i| slice(i, "<Assertion ", ">", 0).to_string())
        .collect();
    assert_eq!(accepted, distinct_ids.len());
}

#[test]
fn hostile_inputs_never_validate_and_mutations_never_panic() {
    let v = validator("rsa2048", aws());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/hostile");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "xml") {
            let bytes = std::fs::read(&path).unwrap();
            assert!(v.validate(&bytes, now()).is_err(), "{}", path.display());
            let _ = v.inspect(&bytes, now());
        }
    }
    // One byte changed at a stride through a signed fixture: only a change
    // the signature does not cover (or a no-op) may still validate, and then
    // the assertion read is the original one.
    let original = read("both-rsa2048.xml").into_bytes();
    for at in (0..original.len()).step_by(97) {
        let mut bytes = original.clone();
        bytes[at] ^= 0x01;
        if let Ok(v) = v.validate(&bytes, now()) {
            assert_eq!(
                v.assertion.summary().name_id.as_deref(),
                Some("alice.example@contoso.com"),
                "byte {at}"
            );
        }
        let _ = validator("rsa2048", aws()).inspect(&bytes, now());
    }
}

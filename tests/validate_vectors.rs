//! python3-saml's responses through the validator, with the settings each
//! response was made for (its audience, ACS, IdP entityID, request ID) and an
//! instant chosen to isolate the property the upstream test is about.
//!
//! Signed responses go through [`Validator::validate`] and must fail with
//! the code named; unsigned ones (upstream "strict mode" tests) cannot pass
//! the signature check, so [`Validator::inspect`] must name the code among
//! its findings, and the first finding must be the missing signature.

use chrono::{DateTime, Utc};
use saml_inspect::dsig::{Policy, TrustedKeys};
use saml_inspect::validate::{Expectations, Validator};
use saml_inspect::{Code, Severity};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/testdata/vectors/saml-python3-saml/"
);

/// python3-saml's settings1: the SP and IdP most invalid responses name.
const STUFF: Sp = Sp {
    audience: "http://stuff.com/endpoints/metadata.php",
    acs: "http://stuff.com/endpoints/endpoints/acs.php",
    issuer: "http://idp.example.com/",
    request: "_57bcbf70-7b1f-012e-c821-782bcb13bb38",
};
/// The "pitbulk" demo SP of the later responses.
const PITBULK: Sp = Sp {
    audience: "https://pitbulk.no-ip.org/newonelogin/demo1/metadata.php",
    acs: "https://pitbulk.no-ip.org/newonelogin/demo1/index.php?acs",
    issuer: "https://pitbulk.no-ip.org/simplesaml/saml2/idp/metadata.php",
    request: "ONELOGIN_5fe9d6e499b2f0913206aab3f7191729049bb807",
};
const EXAMPLE: Sp = Sp {
    audience: "https://example.com/newonelogin/demo1/metadata.php",
    acs: "https://example.com/newonelogin/demo1/index.php?acs",
    issuer: "https://example.com/simplesaml/saml2/idp/metadata.php",
    request: "ONELOGIN_af3d4a710fc8b305884b96d0094ab628802f5692",
};

/// empty_destination: settings1's IdP and audience, the pitbulk ACS.
const MIXED: Sp = Sp {
    audience: "http://stuff.com/endpoints/metadata.php",
    acs: "https://pitbulk.no-ip.org/newonelogin/demo1/index.php?acs",
    issuer: "http://idp.example.com/",
    request: "ONELOGIN_5fe9d6e499b2f0913206aab3f7191729049bb807",
};

struct Sp {
    audience: &'static str,
    acs: &'static str,
    issuer: &'static str,
    request: &'static str,
}

fn validator(sp: &Sp) -> Validator {
    let pem = std::fs::read(format!("{DIR}certs/idp_cert_settings1.pem")).unwrap();
    Validator::new(
        TrustedKeys::from_pem(&pem).unwrap(),
        Expectations {
            audiences: vec![sp.audience.into()],
            recipients: vec![sp.acs.into()],
            issuer: Some(sp.issuer.into()),
            in_response_to: Some(vec![sp.request.into()]),
            // The 2014 toolkit signs with rsa-sha1 and an RSA-1024 key.
            policy: Policy {
                allow_sha1: true,
                allow_weak_rsa_1024: true,
                ..Default::default()
            },
            ..Default::default()
        },
    )
}

fn input(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}responses/{name}.xml.base64")).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn signed_responses_get_the_upstream_verdict() {
    let cases: [(&str, &Sp, &str, Option<Code>); 6] = [
        // Status is required by the schema and this response has none (the
        // NotBefore it is about is shown by inspect below).
        (
            "invalids/not_before_failed",
            &EXAMPLE,
            "2020-01-01T00:00:00Z",
            Some(Code::SamlStructure),
        ),
        (
            "invalids/empty_destination",
            &MIXED,
            "2020-01-01T00:00:00Z",
            Some(Code::SamlDestinationMismatch),
        ),
        (
            "invalids/no_status",
            &PITBULK,
            "2020-01-01T00:00:00Z",
            Some(Code::SamlStructure),
        ),
        // A Status without a StatusCode is not Success.
        (
            "invalids/no_status_code",
            &PITBULK,
            "2010-11-18T21:55:00Z",
            Some(Code::SamlStatus),
        ),
        (
            "invalids/no_issuer_assertion",
            &PITBULK,
            "2014-02-19T02:00:00Z",
            Some(Code::SamlStructure),
        ),
        (
            "valid_response_without_inresponseto",
            &PITBULK,
            "2020-01-01T00:00:00Z",
            None,
        ),
    ];
    let mut wrong = Vec::new();
    for (name, sp, now, expected) in cases {
        let got = validator(sp).validate(&input(name), at(now));
        let got = got.map(|_| ()).map_err(|e| e.code()).err();
        if got != expected {
            wrong.push(format!("{name}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn unsigned_strict_mode_responses_are_explained_by_inspect() {
    let cases: [(&str, &Sp, &str, Code); 11] = [
        (
            "invalids/not_before_failed",
            &EXAMPLE,
            "2020-01-01T00:00:00Z",
            Code::SamlNotYetValid,
        ),
        (
            "invalids/invalid_audience",
            &STUFF,
            "2015-01-01T00:00:00Z",
            Code::SamlAudienceMismatch,
        ),
        (
            "invalids/invalid_subjectconfirmation_recipient",
            &STUFF,
            "2015-01-01T00:00:00Z",
            Code::SamlRecipientMismatch,
        ),
        (
            "invalids/invalid_subjectconfirmation_noa",
            &STUFF,
            "2015-01-01T00:00:00Z",
            Code::SamlExpired,
        ),
        (
            "invalids/invalid_subjectconfirmation_inresponse",
            &STUFF,
            "2015-01-01T00:00:00Z",
            Code::SamlInResponseTo,
        ),
        (
            "invalids/invalid_issuer_assertion",
            &STUFF,
            "2015-01-01T00:00:00Z",
            Code::SamlIssuerMismatch,
        ),
        (
            "invalids/invalid_issuer_message",
            &STUFF,
            "2015-01-01T00:00:00Z",
            Code::SamlIssuerMismatch,
        ),
        (
            "invalids/no_subjectconfirmation_method",
            &STUFF,
            "2015-01-01T00:00:00Z",
            Code::SamlSubjectConfirmation,
        ),
        (
            "invalids/status_code_responder",
            &STUFF,
            "2015-01-01T00:00:00Z",
            Code::SamlStatus,
        ),
        (
            "invalids/no_id",
            &EXAMPLE,
            "2014-02-19T01:06:00Z",
            Code::SamlStructure,
        ),
        (
            "expired_response",
            &PITBULK,
            "2015-01-01T00:00:00Z",
            Code::SamlExpired,
        ),
    ];
    let mut wrong = Vec::new();
    for (name, sp, now, code) in cases {
        let findings = validator(sp).inspect(&input(name), at(now));
        let errors: Vec<Code> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code)
            .collect();
        if !errors.contains(&code) {
            wrong.push(format!("{name}: {code} not in {errors:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn the_unsigned_status_failure_is_refused_as_unverified() {
    let error = validator(&STUFF)
        .validate(
            &input("invalids/status_code_responder"),
            at("2015-01-01T00:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(error.code(), Code::SamlStatus);
    assert!(error.to_string().contains("Responder"), "{error}");
    assert!(error.to_string().contains("unverified"), "{error}");
}

//! The response model and validation under structure-aware mutation: a
//! signed fixture edited as the input says (the `verify` target's edits),
//! then judged by a `Validator` whose expectations the fixture meets, at an
//! instant and with options the input chooses.
//!
//! Input: `[fixture, clock, options, edits...]`. `clock` moves the instant
//! from 2026-11-01T12:00:00Z by `(clock - 128) * 2` minutes (the fixtures
//! are valid 11:55 to 12:05 for the bearer confirmation); `options` picks
//! the required signatures, whether an outstanding request list is given,
//! and whether the audience and recipient expectations are set.
//!
//! What must hold, beyond no panic, hang or unbounded memory:
//! - an accepted response returns exactly the fixture's assertion (its
//!   `AssertionSummary`) verified by the fixture's key: no edit changes what
//!   a service provider would act on;
//! - `Validator::inspect` of an accepted response reports no error (the
//!   report and the decision agree);
//! - the unedited fixture at 12:00 is accepted (checked once at start).
#![no_main]

#[path = "common/edits.rs"]
mod edits;

use std::sync::OnceLock;

use chrono::{DateTime, TimeDelta, Utc};
use libfuzzer_sys::fuzz_target;
use saml_inspect::dsig::TrustedKeys;
use saml_inspect::inspect::AssertionSummary;
use saml_inspect::report::Severity;
use saml_inspect::validate::{Expectations, RequireSigned, Validator};

use edits::{FIXTURES, apply_edits};

const AUDIENCE: &str = "urn:amazon:webservices";
const RECIPIENT: &str = "https://signin.aws.amazon.com/saml";
const ISSUER: &str = "https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/";

/// The instant the fixtures were made for.
fn noon() -> DateTime<Utc> {
    "2026-11-01T12:00:00Z".parse().expect("fixed instant")
}

/// Expectations from the `options` byte.
fn expectations(options: u8) -> Expectations {
    let require_signed = match options & 0x03 {
        0 => RequireSigned::Either,
        1 => RequireSigned::Assertion,
        2 => RequireSigned::Response,
        _ => RequireSigned::Both,
    };
    let checked = options & 0x10 == 0;
    Expectations {
        audiences: if checked { vec![AUDIENCE.into()] } else { Vec::new() },
        recipients: if checked { vec![RECIPIENT.into()] } else { Vec::new() },
        issuer: Some(ISSUER.into()),
        in_response_to: (options & 0x04 != 0).then(|| vec!["_request-1".into()]),
        allow_idp_initiated: options & 0x08 == 0,
        require_signed,
        ..Expectations::default()
    }
}

struct Fixture {
    trust: TrustedKeys,
    summary: AssertionSummary,
    signer: String,
}

fn fixtures() -> &'static Vec<Fixture> {
    static FIXTURES_EXPECTED: OnceLock<Vec<Fixture>> = OnceLock::new();
    FIXTURES_EXPECTED.get_or_init(|| {
        FIXTURES
            .iter()
            .map(|(xml, cert)| {
                let trust = TrustedKeys::from_pem(cert).expect("fixture certificate");
                let validator = Validator::new(trust.clone(), expectations(0));
                let validated = validator
                    .validate(xml, noon())
                    .expect("the unedited fixture validates at noon");
                Fixture {
                    trust,
                    summary: validated.assertion.summary(),
                    signer: validated.assertion.verified_by.sha256_thumbprint,
                }
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let [pick, clock, options, edits @ ..] = data else {
        return;
    };
    let index = usize::from(*pick) % FIXTURES.len();
    let (Some((xml, _)), Some(fixture)) = (FIXTURES.get(index), fixtures().get(index)) else {
        return;
    };
    let mut doc = xml.to_vec();
    apply_edits(&mut doc, edits);
    let now = noon() + TimeDelta::minutes((i64::from(*clock) - 128) * 2);
    let validator = Validator::new(fixture.trust.clone(), expectations(*options));

    let findings = validator.inspect(&doc, now);
    let _ = validator.inspect_protocol(&doc, now);
    if let Ok(validated) = validator.validate(&doc, now) {
        assert_eq!(
            validated.assertion.summary(), fixture.summary,
            "the validator accepted a changed assertion"
        );
        assert_eq!(validated.assertion.verified_by.sha256_thumbprint, fixture.signer);
        let errors: Vec<_> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code)
            .collect();
        assert!(
            errors.is_empty(),
            "validate accepted what inspect reports as errors: {errors:?}"
        );
    }
});

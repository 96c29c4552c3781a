//! What the benches and `examples/bench_validate.rs` share: the fixtures of
//! `../shared/bench` (copied into `testdata/fixtures`), the validator they
//! are judged by, and the AWS checks on a validated assertion.
#![allow(dead_code)] // each bench uses a part

use chrono::{DateTime, Utc};
use saml_inspect::dsig::TrustedKeys;
use saml_inspect::inspect::check_aws_attributes;
use saml_inspect::validate::{Expectations, Validated, Validator};

/// The twelve signed messages of the yardstick.
pub const FIXTURES: &[&str] = &[
    "assertion-rsa2048",
    "response-rsa2048",
    "both-rsa2048",
    "large-assertion-rsa2048",
    "assertion-rsa3072",
    "response-rsa3072",
    "both-rsa3072",
    "large-assertion-rsa3072",
    "assertion-ecp256",
    "response-ecp256",
    "both-ecp256",
    "large-assertion-ecp256",
];

/// The fixtures' issuer (`gen_saml.py`'s tenant).
pub const ISSUER: &str = "https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/";

/// Inside every fixture's validity window.
pub fn now() -> DateTime<Utc> {
    "2026-11-01T12:00:00Z".parse().expect("a valid timestamp")
}

/// A file of `testdata/fixtures`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `rsa2048` for `both-rsa2048`.
pub fn key_of(fixture: &str) -> &str {
    fixture.rsplit('-').next().unwrap_or(fixture)
}

/// The trusted key of a fixture.
pub fn trust_for(fixture_name: &str) -> TrustedKeys {
    TrustedKeys::from_pem(&fixture(&format!("{}.cert.pem", key_of(fixture_name))))
        .expect("a fixture certificate")
}

/// The validator an AWS sign-in endpoint would use for these messages.
pub fn validator(trust: TrustedKeys) -> Validator {
    Validator::new(
        trust,
        Expectations {
            audiences: vec!["urn:amazon:webservices".into()],
            recipients: vec!["https://signin.aws.amazon.com/saml".into()],
            issuer: Some(ISSUER.into()),
            ..Default::default()
        },
    )
}

/// Full validation followed by the AWS attribute checks (Role pairs and
/// their ARNs, RoleSessionName, SessionDuration) on the verified
/// attributes. Returns the number of Role pairs, or `None` when refused.
pub fn validate_for_aws(validator: &Validator, input: &[u8], now: DateTime<Utc>) -> Option<usize> {
    let validated = validator.validate(input, now).ok()?;
    aws_checks(&validated)
}

fn aws_checks(validated: &Validated) -> Option<usize> {
    let checks = check_aws_attributes(&validated.assertion.assertion);
    checks.session.session_name.as_ref()?;
    (!checks.roles.is_empty()).then_some(checks.roles.len())
}

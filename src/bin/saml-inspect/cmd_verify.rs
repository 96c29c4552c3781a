//! `verify`: exit 0 only when a trusted key verifies the message's assertion
//! and the response is valid for this service provider at the given time
//! (status, issuer, destination, recipient, time window, audience,
//! InResponseTo, required signatures).

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use saml_inspect::validate::{
    DEFAULT_SKEW_SECONDS, Expectations, RequireSigned, Validated, ValidationError, Validator,
};
use saml_inspect::verify::VerifyError;
use saml_inspect::{Finding, Severity};

use crate::render::{self, Format, Section, Style};
use crate::{Outcome, fail_io, input};

/// What the response must match: the service provider's side of the check.
#[derive(clap::Args)]
pub struct ExpectArgs {
    /// The instant to validate at (RFC 3339, e.g. 2026-11-01T12:00:00Z);
    /// default: now. Use the time the response was posted to reproduce a
    /// past sign-in.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    now: Option<DateTime<Utc>>,
    /// Tolerated clock difference with the identity provider, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_SKEW_SECONDS as u32)]
    skew: u32,
    /// Refuse a response issued longer ago than this (plus the skew).
    #[arg(long, value_name = "SECONDS")]
    max_age: Option<u32>,
    /// An accepted audience (e.g. urn:amazon:webservices); repeatable.
    /// Without it the audience is not checked.
    #[arg(long = "audience", value_name = "URI")]
    audiences: Vec<String>,
    /// An accepted ACS URL, for the Recipient and the Destination (e.g.
    /// https://signin.aws.amazon.com/saml); repeatable. Without it they are
    /// not checked.
    #[arg(long = "recipient", value_name = "URL")]
    recipients: Vec<String>,
    /// The identity provider's entityID the Issuer must equal (default: the
    /// entityID of --idp-metadata; without either it is not checked).
    #[arg(long, value_name = "ENTITY_ID")]
    issuer: Option<String>,
    /// The ID of an AuthnRequest you sent; repeatable. When given, an
    /// InResponseTo must be one of them (IdP-initiated responses, without
    /// InResponseTo, are still accepted).
    #[arg(long = "in-response-to", value_name = "ID")]
    in_response_to: Vec<String>,
    /// Which signatures are required.
    #[arg(long, value_enum, default_value_t = Required::Either)]
    require_signed: Required,
}

/// `--require-signed` values.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Required {
    /// The Response's signature.
    Response,
    /// The Assertion's own signature.
    Assertion,
    /// Either one (the Assertion must be covered).
    Either,
    /// Both.
    Both,
}

fn parse_now(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 time ({e}); e.g. 2026-11-01T12:00:00Z"))
}

impl ExpectArgs {
    /// The expectations, with the issuer defaulting to the metadata's
    /// entityID (when all metadata files agree on one).
    pub fn expectations(
        &self,
        metadata_entity_ids: &[String],
        policy: saml_inspect::dsig::Policy,
    ) -> Result<Expectations, String> {
        let issuer = match (&self.issuer, metadata_entity_ids) {
            (Some(i), _) => Some(i.clone()),
            (None, []) => None,
            (None, [first, rest @ ..]) => {
                if rest.iter().any(|e| e != first) {
                    return Err(
                        "the --idp-metadata files name different entityIDs; say which issuer to expect with --issuer".into(),
                    );
                }
                Some(first.clone())
            }
        };
        Ok(Expectations {
            audiences: self.audiences.clone(),
            recipients: self.recipients.clone(),
            issuer,
            in_response_to: (!self.in_response_to.is_empty()).then(|| self.in_response_to.clone()),
            allow_idp_initiated: true,
            clock_skew: TimeDelta::seconds(i64::from(self.skew)),
            max_age: self.max_age.map(|s| TimeDelta::seconds(i64::from(s))),
            require_signed: match self.require_signed {
                Required::Response => RequireSigned::Response,
                Required::Assertion => RequireSigned::Assertion,
                Required::Either => RequireSigned::Either,
                Required::Both => RequireSigned::Both,
            },
            policy,
            ..Default::default()
        })
    }

    /// True when a flag asks for the protocol checks (for `inspect`).
    pub fn is_given(&self) -> bool {
        self.now.is_some()
            || self.max_age.is_some()
            || self.issuer.is_some()
            || !self.audiences.is_empty()
            || !self.recipients.is_empty()
            || !self.in_response_to.is_empty()
    }

    /// The instant to validate at.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
            .unwrap_or_else(|| std::time::SystemTime::now().into())
    }
}

pub fn run(path: &Path, validator: &Validator, now: DateTime<Utc>, format: Format) -> Outcome {
    let bytes = match input::read_input(path, validator.expectations().decode.max_input) {
        Ok(b) => b,
        Err(e) => return fail_io(format, e),
    };
    let result = validator.validate(&bytes, now);
    let findings = match &result {
        Ok(v) => v.findings.clone(),
        Err(e) => explain(validator, &bytes, now, e),
    };
    match format {
        Format::Json => {
            let json = match &result {
                Ok(v) => {
                    let mut assertion =
                        serde_json::to_value(v.assertion.summary()).unwrap_or_default();
                    assertion["verified_by"] =
                        serde_json::to_value(&v.assertion.verified_by).unwrap_or_default();
                    serde_json::json!({
                        "valid": true,
                        "now": saml_inspect::saml::time::format_timestamp(&now),
                        "response_signed": v.assertion.response_signed,
                        "assertion_signed": v.assertion.assertion_signed,
                        "relay_state": v.assertion.relay_state,
                        "assertion": assertion,
                        "findings": findings,
                    })
                }
                Err(_) => serde_json::json!({
                    "valid": false,
                    "now": saml_inspect::saml::time::format_timestamp(&now),
                    "findings": findings,
                }),
            };
            render::emit_json(&json);
        }
        Format::Text => {
            let style = Style::detect();
            let out = match &result {
                Ok(v) => text_ok(v, now, &findings, style),
                Err(_) => {
                    let mut out = render::verdict_line(style, false, "validation", &findings);
                    render::render_findings(&findings, style, &mut out);
                    out
                }
            };
            render::emit(&out);
        }
    }
    match result {
        Ok(_) => Outcome::Ok,
        // Undecodable input is a usage-level failure (exit 2), as for every command.
        Err(ValidationError::Verify(VerifyError::Decode(_))) => Outcome::Failure,
        Err(_) => Outcome::Invalid,
    }
}

/// The refusal first, then whatever else the full check finds (each once).
fn explain(
    validator: &Validator,
    bytes: &[u8],
    now: DateTime<Utc>,
    error: &ValidationError,
) -> Vec<Finding> {
    let first = error.to_finding();
    let mut findings = vec![first.clone()];
    if matches!(error, ValidationError::Verify(VerifyError::Decode(_))) {
        return findings;
    }
    for f in validator.inspect(bytes, now) {
        let seen = findings
            .iter()
            .any(|g| g.code == f.code && g.message == f.message);
        if !seen {
            findings.push(f);
        }
    }
    findings
}

fn text_ok(v: &Validated, now: DateTime<Utc>, findings: &[Finding], style: Style) -> String {
    let mut out = render::verdict_line(style, true, "validation", findings);
    let a = &v.assertion;
    let mut s = Section::new("Signature");
    let signed = match (a.response_signed, a.assertion_signed) {
        (true, true) => "Response and Assertion",
        (true, false) => "Response (covers the Assertion)",
        _ => "Assertion",
    };
    s.row("signed", signed);
    s.row("verified by", a.verified_by.subject.as_str());
    s.row("SHA-1", a.verified_by.sha1_thumbprint.as_str());
    s.row("SHA-256", a.verified_by.sha256_thumbprint.as_str());
    s.render(style, &mut out);
    let sum = a.summary();
    let mut section = Section::new("Assertion (read from the signed element)");
    section.opt("ID", sum.id.as_deref());
    section.opt("Issuer", sum.issuer.as_deref());
    section.opt("NameID", sum.name_id.as_deref());
    section.opt("NameID format", sum.name_id_format.as_deref());
    section.opt("SessionIndex", sum.session_index.as_deref());
    for aud in &sum.audiences {
        section.row("Audience", aud.as_str());
    }
    for r in &sum.recipients {
        section.row("Recipient", r.as_str());
    }
    section.opt("NotBefore", sum.not_before.as_deref());
    section.opt("NotOnOrAfter", sum.not_on_or_after.as_deref());
    section.opt(
        "SessionNotOnOrAfter",
        sum.session_not_on_or_after.as_deref(),
    );
    section.row(
        "validated at",
        saml_inspect::saml::time::format_timestamp(&now),
    );
    section.opt("RelayState", a.relay_state.as_deref());
    section.render(style, &mut out);
    let mut attrs = Section::new("Attributes");
    for (name, values) in &sum.attributes.0 {
        attrs.row(name.as_str(), values.join("\n"));
    }
    attrs.render(style, &mut out);
    let notes: Vec<Finding> = findings
        .iter()
        .filter(|f| f.severity != Severity::Error)
        .cloned()
        .collect();
    render::render_findings(&notes, style, &mut out);
    out
}

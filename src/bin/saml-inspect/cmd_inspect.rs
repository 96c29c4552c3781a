//! `inspect`: what the input is and everything in it, with findings.

use std::path::Path;

use chrono::{DateTime, Utc};
use saml_inspect::inspect::{AssertionSummary, InspectOptions, Inspection, inspect};
use saml_inspect::saml::{Assertion, Message, Response};
use saml_inspect::validate::Validator;

use crate::render::{self, Format, Section, Style};
use crate::{Outcome, fail, fail_io, input};

/// `checks`: the validator and instant when the protocol checks were asked for.
pub fn run(
    path: &Path,
    options: InspectOptions,
    checks: Option<(&Validator, DateTime<Utc>)>,
    format: Format,
) -> Outcome {
    let bytes = match input::read_input(path, options.decode.max_input) {
        Ok(b) => b,
        Err(e) => return fail_io(format, e),
    };
    let mut inspection = match inspect(&bytes, &options) {
        Ok(i) => i,
        Err(e) => return fail(format, e.to_finding()),
    };
    if let Some((validator, now)) = checks {
        for f in validator.inspect_protocol(&bytes, now) {
            let known = inspection
                .findings
                .iter()
                .any(|g| g.code == f.code && g.location == f.location);
            if !known {
                inspection.findings.push(f);
            }
        }
    }
    match format {
        Format::Json => {
            let mut json = serde_json::to_value(&inspection).unwrap_or_default();
            if let Some(summary) = inspection.assertion_summary() {
                json["assertion"] = serde_json::to_value(summary).unwrap_or_default();
            }
            render::emit_json(&json);
        }
        Format::Text => render::emit(&text(&inspection, Style::detect())),
    }
    if inspection.has_errors() {
        Outcome::Invalid
    } else {
        Outcome::Ok
    }
}

fn text(i: &Inspection, style: Style) -> String {
    let what = i.message.as_ref().map_or("input", |m| m.element_name());
    let mut out =
        render::verdict_line(style, !i.has_errors(), &format!("SAML {what}"), &i.findings);
    let mut input = Section::new("Input");
    input.row("binding", i.binding.describe());
    input.opt("parameter", i.parameter);
    input.opt("RelayState", i.relay_state.as_deref());
    if i.bom {
        input.row("byte-order mark", "yes");
    }
    input.render(style, &mut out);
    match &i.message {
        Some(Message::Response(r)) => {
            response_section(r).render(style, &mut out);
            for (n, a) in r.assertions.iter().enumerate() {
                let title = if r.assertions.len() > 1 {
                    format!("Assertion {}", n + 1)
                } else {
                    "Assertion".into()
                };
                assertion_sections(&title, a, style, &mut out);
            }
        }
        Some(Message::Assertion(a)) => assertion_sections("Assertion", a, style, &mut out),
        Some(other) => {
            let mut s = Section::new("Message");
            s.row("element", other.element_name());
            if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(other) {
                for (k, v) in fields {
                    if let Some(text) = scalar(&v) {
                        s.row(k, text);
                    }
                }
            }
            s.render(style, &mut out);
        }
        None => {}
    }
    if let Some(aws) = &i.aws {
        let mut s = Section::new("AWS sign-in");
        for r in &aws.roles {
            s.row(
                "Role",
                format!("{}\nvia {} ({})", r.role, r.provider, r.order),
            );
        }
        s.opt("RoleSessionName", aws.session_name.as_deref());
        s.opt(
            "SessionDuration",
            aws.session_duration.map(|d| format!("{d} s")),
        );
        s.opt("SourceIdentity", aws.source_identity.as_deref());
        for (k, v) in &aws.tags {
            s.row(format!("tag {k}"), v.as_str());
        }
        s.render(style, &mut out);
    }
    render::render_findings(&i.findings, style, &mut out);
    out
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn response_section(r: &Response) -> Section {
    let mut s = Section::new("Response");
    s.opt("ID", r.id.as_deref());
    s.opt("Issuer", r.issuer.as_ref().map(|i| i.value.as_str()));
    s.opt(
        "IssueInstant",
        r.issue_instant
            .as_ref()
            .map(saml_inspect::saml::time::format_timestamp),
    );
    s.opt("Destination", r.destination.as_deref());
    s.opt("InResponseTo", r.in_response_to.as_deref());
    if let Some(status) = &r.status {
        let mut text = status.codes.join("\n  ");
        if let Some(m) = &status.message {
            text.push_str(&format!("\nmessage: {m}"));
        }
        s.row("Status", text);
    }
    s.row(
        "signed",
        if r.has_signature {
            "yes (Signature present)"
        } else {
            "no"
        },
    );
    if r.encrypted_assertions > 0 {
        s.row("EncryptedAssertion", r.encrypted_assertions.to_string());
    }
    s
}

fn assertion_sections(title: &str, a: &Assertion, style: Style, out: &mut String) {
    let sum = AssertionSummary::of(a);
    let mut s = Section::new(title);
    s.opt("ID", sum.id.as_deref());
    s.opt("Issuer", sum.issuer.as_deref());
    s.opt(
        "IssueInstant",
        a.issue_instant
            .as_ref()
            .map(saml_inspect::saml::time::format_timestamp),
    );
    s.row(
        "signed",
        if a.has_signature {
            "yes (Signature present)"
        } else {
            "no"
        },
    );
    s.opt("NameID", sum.name_id.as_deref());
    s.opt("NameID format", sum.name_id_format.as_deref());
    for r in &sum.recipients {
        s.row("Recipient", r.as_str());
    }
    s.opt("confirm until", sum.confirmation_not_on_or_after.as_deref());
    if sum.not_before.is_some() || sum.not_on_or_after.is_some() {
        s.row(
            "valid",
            format!(
                "{} to {}",
                sum.not_before.as_deref().unwrap_or("(any time)"),
                sum.not_on_or_after.as_deref().unwrap_or("(no end)")
            ),
        );
    }
    for aud in &sum.audiences {
        s.row("Audience", aud.as_str());
    }
    s.opt("SessionIndex", sum.session_index.as_deref());
    s.opt("session until", sum.session_not_on_or_after.as_deref());
    s.render(style, out);
    let mut attrs = Section::new("Attributes");
    for (name, values) in &sum.attributes.0 {
        attrs.row(
            name.as_str(),
            values
                .iter()
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    attrs.render(style, out);
}

//! `verify`: exit 0 only when the signature profile holds and a trusted key
//! verifies the message's assertion.

use std::path::Path;

use saml_inspect::verify::{VerifiedAssertion, VerifyOptions, verify};

use crate::render::{self, Format, Section, Style};
use crate::{Outcome, fail_io, input};

pub fn run(path: &Path, options: VerifyOptions, format: Format) -> Outcome {
    let bytes = match input::read_input(path, options.decode.max_input) {
        Ok(b) => b,
        Err(e) => return fail_io(format, e),
    };
    let result = verify(&bytes, &options);
    match format {
        Format::Json => {
            let json = match &result {
                Ok(v) => {
                    let mut assertion = serde_json::to_value(&v.summary).unwrap_or_default();
                    assertion["verified_by"] =
                        serde_json::to_value(&v.verified_by).unwrap_or_default();
                    serde_json::json!({
                        "valid": true,
                        "response_signed": v.response_signed,
                        "assertion_signed": v.assertion_signed,
                        "relay_state": v.relay_state,
                        "assertion": assertion,
                        "findings": [],
                    })
                }
                Err(e) => serde_json::json!({ "valid": false, "findings": [e.to_finding()] }),
            };
            render::emit_json(&json);
        }
        Format::Text => {
            let style = Style::detect();
            let out = match &result {
                Ok(v) => text_ok(v, style),
                Err(e) => {
                    let findings = [e.to_finding()];
                    let mut out =
                        render::verdict_line(style, false, "signature verification", &findings);
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
        Err(saml_inspect::verify::VerifyError::Decode(_)) => Outcome::Failure,
        Err(_) => Outcome::Invalid,
    }
}

fn text_ok(v: &VerifiedAssertion, style: Style) -> String {
    let mut out = render::verdict_line(style, true, "signature verification", &[]);
    let mut s = Section::new("Signature");
    let signed = match (v.response_signed, v.assertion_signed) {
        (true, true) => "Response and Assertion",
        (true, false) => "Response (covers the Assertion)",
        _ => "Assertion",
    };
    s.row("signed", signed);
    s.row("verified by", v.verified_by.subject.as_str());
    s.row("SHA-1", v.verified_by.sha1_thumbprint.as_str());
    s.row("SHA-256", v.verified_by.sha256_thumbprint.as_str());
    s.render(style, &mut out);
    let sum = &v.summary;
    let mut a = Section::new("Assertion (read from the signed element)");
    a.opt("ID", sum.id.as_deref());
    a.opt("Issuer", sum.issuer.as_deref());
    a.opt("NameID", sum.name_id.as_deref());
    a.opt("NameID format", sum.name_id_format.as_deref());
    for aud in &sum.audiences {
        a.row("Audience", aud.as_str());
    }
    for r in &sum.recipients {
        a.row("Recipient", r.as_str());
    }
    a.opt("NotBefore", sum.not_before.as_deref());
    a.opt("NotOnOrAfter", sum.not_on_or_after.as_deref());
    a.opt("RelayState", v.relay_state.as_deref());
    a.render(style, &mut out);
    let mut attrs = Section::new("Attributes");
    for (name, values) in &sum.attributes.0 {
        attrs.row(name.as_str(), values.join("\n"));
    }
    attrs.render(style, &mut out);
    out.push_str(
        "Checked: the signature profile, the digest, the signature and the key's trust.\nNot checked yet: time window, audience, recipient, issuer and status.\n",
    );
    out
}

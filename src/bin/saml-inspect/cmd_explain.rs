//! `explain`: what a finding code means, how to fix it, and where it is documented.

use saml_inspect::Code;
use saml_inspect::explain::{Explanation, explain, suggest};

use crate::Outcome;
use crate::render::{self, Format, Style};

/// `code`: the code to explain; `None` (or `list`) lists every code.
pub fn run(code: Option<&str>, list: bool, format: Format) -> Outcome {
    let Some(query) = code.filter(|_| !list) else {
        return list_all(format);
    };
    match Code::from_str_opt(query.trim()) {
        Some(code) => {
            let e = explain(code);
            match format {
                Format::Json => render::emit_json(&json(&e)),
                Format::Text => render::emit(&text(&e, Style::detect())),
            }
            Outcome::Ok
        }
        None => {
            let near = suggest(query);
            match format {
                Format::Json => render::emit_json(&serde_json::json!({
                    "error": format!("unknown finding code {query:?}"),
                    "suggestions": near.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                    "findings": [],
                })),
                Format::Text => {
                    let mut msg = format!("saml-inspect: unknown finding code {query:?}");
                    if near.is_empty() {
                        msg.push_str("; `saml-inspect explain --list` lists every code");
                    } else {
                        msg.push_str("; did you mean:");
                        for c in &near {
                            msg.push_str(&format!("\n  {c}  {}", c.summary()));
                        }
                    }
                    eprintln!("{msg}");
                }
            }
            Outcome::Failure
        }
    }
}

fn json(e: &Explanation) -> serde_json::Value {
    serde_json::json!({
        "code": e.code,
        "severity": e.code.default_severity(),
        "summary": e.code.summary(),
        "cause": e.cause,
        "fix": e.fix,
        "doc": e.doc,
        "findings": [],
    })
}

fn text(e: &Explanation, style: Style) -> String {
    let mut out = format!(
        "{}  {}\n{}\n\n",
        style.bold(e.code.as_str()),
        e.code.default_severity(),
        e.code.summary()
    );
    out.push_str(&format!("{}\n  {}\n\n", style.bold("Cause"), e.cause));
    out.push_str(&format!("{}\n  {}\n\n", style.bold("Fix"), e.fix));
    if let Some(doc) = e.doc {
        out.push_str(&format!(
            "{}\n  {}\n  {}\n",
            style.bold("Documentation"),
            doc.title,
            doc.url
        ));
    }
    out
}

fn list_all(format: Format) -> Outcome {
    match format {
        Format::Json => render::emit_json(&serde_json::json!({
            "codes": Code::ALL.iter().map(|c| serde_json::json!({
                "code": c,
                "severity": c.default_severity(),
                "summary": c.summary(),
            })).collect::<Vec<_>>(),
            "findings": [],
        })),
        Format::Text => {
            let width = Code::ALL
                .iter()
                .map(|c| c.as_str().len())
                .max()
                .unwrap_or(0);
            let mut out = String::new();
            for c in Code::ALL {
                out.push_str(&format!(
                    "{:<width$}  {:<7}  {}\n",
                    c.as_str(),
                    c.default_severity().as_str(),
                    c.summary()
                ));
            }
            render::emit(&out);
        }
    }
    Outcome::Ok
}

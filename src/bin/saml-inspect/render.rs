//! Output for people (aligned sections, findings marked by severity, colour
//! only on a terminal and never with NO_COLOR) and for programs (one JSON
//! object per command).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use saml_inspect::explain::explain;
use saml_inspect::redact::Redactor;
use saml_inspect::{Finding, Severity};

/// How a command prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// One JSON object.
    Json,
}

/// Terminal styling: on only for a terminal without NO_COLOR.
#[derive(Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn severity(&self, s: Severity) -> String {
        let (code, label) = match s {
            Severity::Error => ("1;31", "error  "),
            Severity::Warning => ("1;33", "warning"),
            Severity::Info => ("36", "info   "),
        };
        self.paint(code, label)
    }

    pub fn verdict(&self, ok: bool, text: &str) -> String {
        self.paint(if ok { "1;32" } else { "1;31" }, text)
    }
}

/// A titled block of key/value lines, keys aligned.
pub struct Section {
    title: String,
    rows: Vec<(String, String)>,
}

impl Section {
    pub fn new(title: impl Into<String>) -> Section {
        Section {
            title: title.into(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Section {
        self.rows.push((key.into(), value.into()));
        self
    }

    /// Adds the row only when there is a value.
    pub fn opt(
        &mut self,
        key: impl Into<String>,
        value: Option<impl Into<String>>,
    ) -> &mut Section {
        if let Some(v) = value {
            self.rows.push((key.into(), v.into()));
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self, style: Style, out: &mut String) {
        if self.rows.is_empty() {
            return;
        }
        out.push_str(&style.bold(&self.title));
        out.push('\n');
        let width = self
            .rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in &self.rows {
            let mut lines = v.lines();
            let first = lines.next().unwrap_or("");
            out.push_str(&format!("  {k:<width$}  {first}\n"));
            for more in lines {
                out.push_str(&format!("  {:<width$}  {more}\n", ""));
            }
        }
        out.push('\n');
    }
}

/// The findings block, placed right under the verdict line that starts
/// `out` (reports read top-down: the verdict, what is wrong and how to fix
/// it, then the detail); appended when `out` has no verdict paragraph.
pub fn render_findings(findings: &[Finding], style: Style, out: &mut String) {
    let mut block = String::new();
    render_section_findings(findings, style, &mut block);
    match out.find("\n\n") {
        Some(end) => out.insert_str(end + 2, &block),
        None => out.push_str(&block),
    }
}

/// The findings block appended to `out` (for reports with findings per
/// section), most severe first within the original order; errors and
/// warnings carry the fix from the explanation catalogue.
pub fn render_section_findings(findings: &[Finding], style: Style, out: &mut String) {
    if findings.is_empty() {
        return;
    }
    out.push_str(&style.bold("Findings"));
    out.push('\n');
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let mut fixes = false;
    for f in sorted {
        out.push_str(&format!(
            "  {} {}  {}",
            style.severity(f.severity),
            f.code,
            f.message
        ));
        if let Some(loc) = f.location {
            out.push_str(&format!(" (line {}, column {})", loc.line, loc.column));
        }
        out.push('\n');
        if let (Some(e), Some(g)) = (&f.expected, &f.found) {
            out.push_str(&format!(
                "            expected: {e}\n            found:    {g}\n"
            ));
        }
        if f.severity >= Severity::Warning {
            out.push_str(&format!("            fix: {}\n", explain(f.code).fix));
            fixes = true;
        }
    }
    if fixes {
        out.push_str(
            "  (saml-inspect explain CODE gives the cause and the AWS or Microsoft page)\n",
        );
    }
    out.push('\n');
}

/// A one-line verdict with the counts of errors and warnings.
pub fn verdict_line(style: Style, ok: bool, what: &str, findings: &[Finding]) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let word = if ok { "OK" } else { "INVALID" };
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("1 {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    format!(
        "{}  {what}: {}, {}\n\n",
        style.verdict(ok, word),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The redactor of `--redact`: one per process, so pseudonyms are stable
/// across everything a command prints.
static REDACTOR: Mutex<Option<Redactor>> = Mutex::new(None);

/// Turns `--redact` on: from now on every output path replaces personal values.
pub fn enable_redaction() {
    if let Ok(mut r) = REDACTOR.lock() {
        r.get_or_insert_with(Redactor::new);
    }
}

/// Teaches the redactor (when on) the personal values of an input.
pub fn learn_input(bytes: &[u8]) {
    if let Ok(mut guard) = REDACTOR.lock()
        && let Some(r) = guard.as_mut()
    {
        r.learn_input(bytes);
    }
}

/// `text` with personal values replaced when `--redact` is on.
pub fn redacted(text: &str) -> String {
    match REDACTOR.lock() {
        Ok(mut guard) => match guard.as_mut() {
            Some(r) => r.redact_text(text),
            None => text.to_string(),
        },
        Err(_) => text.to_string(),
    }
}

/// Writes to stdout, ignoring a closed pipe (`saml-inspect … | head`).
pub fn emit(text: &str) {
    emit_bytes(text.as_bytes());
}

/// Writes bytes to stdout unchanged, or redacted (as lossy UTF-8) with `--redact`.
pub fn emit_bytes(bytes: &[u8]) {
    let redacting = REDACTOR.lock().is_ok_and(|g| g.is_some());
    let mut out = std::io::stdout().lock();
    if redacting {
        let _ = out.write_all(redacted(&String::from_utf8_lossy(bytes)).as_bytes());
    } else {
        let _ = out.write_all(bytes);
    }
    let _ = out.flush();
}

/// Writes one line to stderr (redacted with `--redact`).
pub fn eprint_line(text: &str) {
    eprintln!("{}", redacted(text));
}

/// Prints a JSON value followed by a newline.
pub fn emit_json(value: &serde_json::Value) {
    let mut value = value.clone();
    if let Ok(mut guard) = REDACTOR.lock()
        && let Some(r) = guard.as_mut()
    {
        r.redact_json(&mut value);
    }
    let text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into());
    emit_bytes((text + "\n").as_bytes());
}

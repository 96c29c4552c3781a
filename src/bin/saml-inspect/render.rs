//! Output for people (aligned sections, findings marked by severity, colour
//! only on a terminal and never with NO_COLOR) and for programs (one JSON
//! object per command).

use std::io::{IsTerminal, Write};

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

/// The findings block, most severe first within the original order.
pub fn render_findings(findings: &[Finding], style: Style, out: &mut String) {
    if findings.is_empty() {
        return;
    }
    out.push_str(&style.bold("Findings"));
    out.push('\n');
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
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

/// Writes to stdout, ignoring a closed pipe (`saml-inspect … | head`).
pub fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Prints a JSON value followed by a newline.
pub fn emit_json(value: &serde_json::Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".into());
    emit(&(text + "\n"));
}

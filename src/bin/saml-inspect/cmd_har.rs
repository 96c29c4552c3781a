//! `har`: every SAML message of a browser capture, in order, each inspected.

use std::io::{BufReader, IsTerminal, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use saml_inspect::Finding;
use saml_inspect::har::{HarCapture, HarMessage, read_har};
use saml_inspect::inspect::{InspectOptions, Inspection, inspect};

use crate::render::{self, Format, Section, Style};
use crate::{Outcome, fail_io};

/// Counts bytes read and, when stderr is a terminal and reading takes more
/// than a second, shows how far it got.
struct Progress<R> {
    inner: R,
    read: u64,
    total: Option<u64>,
    started: Instant,
    last: Option<Instant>,
    show: bool,
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.show && self.started.elapsed() > Duration::from_secs(1) {
            let due = self
                .last
                .is_none_or(|t| t.elapsed() > Duration::from_millis(250));
            if due {
                let mb = |b: u64| b as f64 / 1e6;
                match self.total {
                    Some(t) => eprint!("\rreading HAR: {:.1} of {:.1} MB", mb(self.read), mb(t)),
                    None => eprint!("\rreading HAR: {:.1} MB", mb(self.read)),
                }
                self.last = Some(Instant::now());
            }
        }
        Ok(n)
    }
}

fn load(path: &Path) -> Result<HarCapture, String> {
    let (reader, total): (Box<dyn Read>, Option<u64>) = if path.as_os_str() == "-" {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let len = file.metadata().ok().map(|m| m.len());
        (Box::new(file), len)
    };
    let mut progress = Progress {
        inner: BufReader::with_capacity(1 << 16, reader),
        read: 0,
        total,
        started: Instant::now(),
        last: None,
        show: std::io::stderr().is_terminal(),
    };
    let result = read_har(&mut progress);
    if progress.last.is_some() {
        eprintln!();
    }
    result.map_err(|e| format!("{}: {e}", path.display()))
}

/// One message with what inspecting it found.
struct Inspected<'a> {
    message: &'a HarMessage,
    inspection: Result<Inspection, Finding>,
}

impl Inspected<'_> {
    fn findings(&self) -> Vec<Finding> {
        match &self.inspection {
            Ok(i) => i.findings.clone(),
            Err(f) => vec![f.clone()],
        }
    }
}

pub fn run(path: &Path, options: InspectOptions, format: Format) -> Outcome {
    let capture = match load(path) {
        Ok(c) => c,
        Err(e) => return fail_io(format, e),
    };
    if capture.messages.is_empty() {
        return fail_io(
            format,
            format!(
                "{}: no SAML message in {} entries (was the capture recorded with \"Preserve log\" on?)",
                path.display(),
                capture.entries
            ),
        );
    }
    let inspected: Vec<Inspected> = capture
        .messages
        .iter()
        .map(|m| {
            render::learn_input(&m.input);
            Inspected {
                message: m,
                inspection: inspect(&m.input, &options).map_err(|e| e.to_finding()),
            }
        })
        .collect();
    let all: Vec<Finding> = inspected.iter().flat_map(|i| i.findings()).collect();
    match format {
        Format::Json => render::emit_json(&json(&capture, &inspected, &all)),
        Format::Text => render::emit(&text(&capture, &inspected, &all, Style::detect())),
    }
    if all
        .iter()
        .any(|f| f.severity == saml_inspect::Severity::Error)
    {
        Outcome::Invalid
    } else {
        Outcome::Ok
    }
}

fn json(capture: &HarCapture, inspected: &[Inspected], all: &[Finding]) -> serde_json::Value {
    let messages: Vec<serde_json::Value> = inspected
        .iter()
        .map(|i| {
            let mut v = serde_json::to_value(i.message).unwrap_or_default();
            if let Ok(ins) = &i.inspection {
                v["message"] = ins.message.as_ref().map(|m| m.element_name()).into();
                v["issuer"] = ins.assertion_summary().and_then(|s| s.issuer).into();
                v["inspection"] = serde_json::to_value(ins).unwrap_or_default();
            }
            v["findings"] = serde_json::to_value(i.findings()).unwrap_or_default();
            v
        })
        .collect();
    serde_json::json!({
        "entries": capture.entries,
        "messages": messages,
        "findings": all,
    })
}

/// The URL with long query values shortened (the SAML message is shown decoded).
fn short_url(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, v)) if v.len() > 60 => format!("{k}=…({} bytes)", v.len()),
            _ => p.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

fn text(capture: &HarCapture, inspected: &[Inspected], all: &[Finding], style: Style) -> String {
    let ok = !all
        .iter()
        .any(|f| f.severity == saml_inspect::Severity::Error);
    let mut out = render::verdict_line(
        style,
        ok,
        &format!(
            "{} SAML message(s) in {} HAR entries",
            inspected.len(),
            capture.entries
        ),
        all,
    );
    let mut path = Section::new("Path");
    for (n, i) in inspected.iter().enumerate() {
        let m = i.message;
        let status = match i.findings().iter().map(|f| f.severity).max() {
            Some(saml_inspect::Severity::Error) => "broken",
            Some(saml_inspect::Severity::Warning) => "warnings",
            _ => "ok",
        };
        path.row(
            format!("{}", n + 1),
            format!(
                "{} {} to {} ({status})",
                m.method,
                m.parameter,
                m.endpoint.describe()
            ),
        );
    }
    path.render(style, &mut out);
    for (n, i) in inspected.iter().enumerate() {
        let m = i.message;
        let mut s = Section::new(format!(
            "{}. {} to {}",
            n + 1,
            m.parameter,
            m.endpoint.describe()
        ));
        s.row(
            "entry",
            format!(
                "{} ({})",
                m.entry,
                m.started.as_deref().unwrap_or("no time")
            ),
        );
        s.row("request", format!("{} {}", m.method, short_url(&m.url)));
        s.row("found in", m.kind.describe());
        s.opt("RelayState", m.relay_state.as_deref());
        if let Ok(ins) = &i.inspection {
            s.opt("message", ins.message.as_ref().map(|x| x.element_name()));
            if let Some(summary) = ins.assertion_summary() {
                s.opt("Issuer", summary.issuer);
                s.opt("NameID", summary.name_id);
            }
        }
        s.render(style, &mut out);
        render::render_section_findings(&i.findings(), style, &mut out);
    }
    out
}

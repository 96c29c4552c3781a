//! `har`: every SAML message of a browser capture, in order, each inspected.

use std::io::{BufReader, IsTerminal, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use saml_inspect::Finding;
use saml_inspect::flow::{self, FlowReport, FlowVerdict, HopStatus};
use saml_inspect::har::{HarCapture, HarMessage, read_har};
use saml_inspect::inspect::{InspectOptions, Inspection, inspect};

use crate::cmd_flow::{ArtefactArgs, Artefacts};
use crate::render::{self, Format, Section, Style};
use crate::{Outcome, clock, fail_io};

/// The chain options of `har`: flow's artefacts, and the time.
#[derive(clap::Args)]
pub struct ChainArgs {
    #[command(flatten)]
    pub artefacts: ArtefactArgs,
    /// The time to check the chain at, RFC 3339 (default: when the capture
    /// recorded the request to AWS sign-in, else now).
    #[arg(long, value_name = "RFC3339", value_parser = clock::parse_rfc3339)]
    now: Option<chrono::DateTime<chrono::Utc>>,
}

/// The chain check of the capture's AWS sign-in response, and its entry.
struct Chain {
    entry: usize,
    at: chrono::DateTime<chrono::Utc>,
    report: FlowReport,
}

fn chain(capture: &HarCapture, args: &ChainArgs, artefacts: &Artefacts) -> Option<Chain> {
    let message = capture.aws_sign_in_response()?;
    let inputs = artefacts.inputs(Some(&message.input), message.relay_state.as_deref());
    // Without --now, the response is checked at the time it was captured.
    let captured = message
        .started
        .as_deref()
        .and_then(|t| clock::parse_rfc3339(t).ok());
    let at = args.now.or(captured);
    Some(Chain {
        entry: message.entry,
        at: clock::now_or_clock(at),
        report: flow::check(&inputs, clock::now_or_clock(at)),
    })
}

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

pub fn run(
    path: &Path,
    mut options: InspectOptions,
    chain_args: &ChainArgs,
    format: Format,
) -> Outcome {
    let artefacts = match chain_args.artefacts.load() {
        Ok(a) => a,
        Err(e) => return fail_io(format, e),
    };
    (options.decryption_key, options.decrypt_policy) = artefacts.decryption();
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
    let chain = chain(&capture, chain_args, &artefacts);
    let mut all: Vec<Finding> = inspected.iter().flat_map(|i| i.findings()).collect();
    if let Some(c) = &chain {
        for f in c.report.findings() {
            if !all.contains(f) {
                all.push(f.clone());
            }
        }
    }
    match format {
        Format::Json => render::emit_json(&json(&capture, &inspected, chain.as_ref(), &all)),
        Format::Text => render::emit(&text(
            &capture,
            &inspected,
            chain.as_ref(),
            &all,
            Style::detect(),
        )),
    }
    let chain_failed = chain
        .as_ref()
        .is_some_and(|c| c.report.verdict == FlowVerdict::Fail);
    if chain_failed
        || all
            .iter()
            .any(|f| f.severity == saml_inspect::Severity::Error)
    {
        Outcome::Invalid
    } else {
        Outcome::Ok
    }
}

fn json(
    capture: &HarCapture,
    inspected: &[Inspected],
    chain: Option<&Chain>,
    all: &[Finding],
) -> serde_json::Value {
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
    let mut v = serde_json::json!({
        "entries": capture.entries,
        "messages": messages,
        "chain": chain.map(|c| serde_json::json!({
            "entry": c.entry,
            "checked_at": saml_inspect::saml::time::format_timestamp(&c.at),
        })),
        "findings": all,
    });
    if let Some(c) = chain {
        v["verdict"] = serde_json::to_value(c.report.verdict).unwrap_or_default();
        v["hops"] = serde_json::to_value(&c.report.hops).unwrap_or_default();
    }
    v
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

fn text(
    capture: &HarCapture,
    inspected: &[Inspected],
    chain: Option<&Chain>,
    all: &[Finding],
    style: Style,
) -> String {
    let ok = !all
        .iter()
        .any(|f| f.severity == saml_inspect::Severity::Error)
        && chain.is_none_or(|c| c.report.verdict != FlowVerdict::Fail);
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
    if let Some(c) = chain {
        chain_text(c, style, &mut out);
    }
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

/// The chain check: one line per hop, the failed hops' findings and fix.
fn chain_text(chain: &Chain, style: Style, out: &mut String) {
    let verdict = match chain.report.verdict {
        FlowVerdict::Pass => style.verdict(true, "PASS"),
        FlowVerdict::Incomplete => style.verdict(true, "INCOMPLETE"),
        FlowVerdict::Fail => style.verdict(false, "FAIL"),
    };
    out.push_str(&format!(
        "{}  {verdict}\n",
        style.bold(&format!(
            "Chain check of the response posted to AWS sign-in (entry {}, at {})",
            chain.entry,
            clock::show(chain.at)
        ))
    ));
    for hop in &chain.report.hops {
        let status = match hop.status {
            HopStatus::Fail => style.verdict(false, "FAIL"),
            other => other.label().to_string(),
        };
        out.push_str(&format!(
            "  hop {}  {}: {status}\n",
            hop.id.number(),
            hop.name
        ));
        if hop.status == HopStatus::Fail {
            let mut block = String::new();
            render::render_section_findings(&hop.findings, style, &mut block);
            for line in block.lines().filter(|l| !l.is_empty()) {
                out.push_str(&format!("    {line}\n"));
            }
            if let Some(fix) = &hop.fix {
                out.push_str(&format!("    what to do: {fix}\n"));
            }
        }
    }
    if chain
        .report
        .hops
        .iter()
        .any(|h| h.status == HopStatus::NotChecked)
    {
        out.push_str("  (the flow options --azure-metadata, --sso-app-metadata, --iam-provider-metadata, --trust-policy, … check the hops not checked)\n");
    }
    out.push('\n');
}

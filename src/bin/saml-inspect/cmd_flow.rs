//! `flow`: every hop of Entra ID -> Identity Center -> IAM -> Amazon Connect,
//! and which one is broken (the library's `flow::check`, rendered).

use std::path::{Path, PathBuf};

use saml_inspect::flow::{self, FlowInputs, FlowReport, FlowVerdict, Hop, HopStatus};
use saml_inspect::xmlenc::{DecryptPolicy, DecryptionKey};
use serde_json::json;

use crate::cmd_aws::printable;
use crate::render::{self, Format, Style};
use crate::{Outcome, clock, fail_io, input};

/// Inputs larger than this are not read (the library's own limits are smaller).
const MAX_INPUT_BYTES: usize = 16 << 20;

/// The artefacts of the federation; every one optional.
#[derive(clap::Args)]
pub struct FlowArgs {
    /// The SAML response posted to AWS sign-in: XML, the base64 SAMLResponse
    /// value, or the form body (SAMLResponse=…&RelayState=…, which also gives
    /// the relay state).
    #[arg(long, value_name = "FILE")]
    response: Option<PathBuf>,
    /// The relay state configured in the identity provider: the URL itself,
    /// or a file that holds it.
    #[arg(long, value_name = "URL|FILE")]
    relay_state: Option<String>,
    #[command(flatten)]
    artefacts: ArtefactArgs,
    /// The time to check at, RFC 3339 (default: now), e.g. 2026-11-02T09:00:30Z.
    #[arg(long, value_name = "RFC3339", value_parser = clock::parse_rfc3339)]
    now: Option<chrono::DateTime<chrono::Utc>>,
}

/// Everything of the chain but the response: shared by `flow` and `har`
/// (which takes the response and its relay state from the capture).
#[derive(clap::Args)]
pub struct ArtefactArgs {
    /// Entra ID federation metadata (what was uploaded to Identity Center).
    #[arg(long, value_name = "FILE")]
    azure_metadata: Option<PathBuf>,
    /// IAM Identity Center's service-provider metadata (what was uploaded to Entra).
    #[arg(long, value_name = "FILE")]
    sso_sp_metadata: Option<PathBuf>,
    /// The Identity Center application's SAML metadata.
    #[arg(long, value_name = "FILE")]
    sso_app_metadata: Option<PathBuf>,
    /// The metadata uploaded to the IAM SAML provider.
    #[arg(long, value_name = "FILE")]
    iam_provider_metadata: Option<PathBuf>,
    /// The IAM SAML provider's ARN (arn:aws:iam::<account>:saml-provider/<name>).
    #[arg(long, value_name = "ARN")]
    provider_arn: Option<String>,
    /// The role's trust policy (a document, or `aws iam get-role` output).
    #[arg(long, value_name = "FILE")]
    trust_policy: Option<PathBuf>,
    /// The role's permissions policy (a document, or `get-role-policy` output).
    #[arg(long, value_name = "FILE")]
    permissions_policy: Option<PathBuf>,
    /// The Connect users: one user name per line, or the JSON of `aws connect list-users`.
    #[arg(long, value_name = "FILE")]
    connect_users: Option<PathBuf>,
    #[command(flatten)]
    pub decrypt: crate::decrypt::DecryptArgs,
}

/// The artefacts' files, read, and the decryption key.
pub struct Artefacts {
    azure: Option<Vec<u8>>,
    sp: Option<Vec<u8>>,
    app: Option<Vec<u8>>,
    iam: Option<Vec<u8>>,
    provider_arn: Option<String>,
    trust: Option<Vec<u8>>,
    permissions: Option<Vec<u8>>,
    users: Option<Vec<u8>>,
    key: Option<DecryptionKey>,
    policy: DecryptPolicy,
}

impl ArtefactArgs {
    /// Reads every file given; an error names the file.
    pub fn load(&self) -> Result<Artefacts, String> {
        Ok(Artefacts {
            azure: read(&self.azure_metadata)?,
            sp: read(&self.sso_sp_metadata)?,
            app: read(&self.sso_app_metadata)?,
            iam: read(&self.iam_provider_metadata)?,
            provider_arn: self.provider_arn.clone(),
            trust: read(&self.trust_policy)?,
            permissions: read(&self.permissions_policy)?,
            users: read(&self.connect_users)?,
            key: self.decrypt.key()?,
            policy: self.decrypt.policy(),
        })
    }
}

impl Artefacts {
    /// The chain check's inputs: these artefacts, with a response and relay state.
    pub fn inputs<'a>(
        &'a self,
        response: Option<&'a [u8]>,
        relay_state: Option<&'a str>,
    ) -> FlowInputs<'a> {
        FlowInputs {
            response,
            relay_state,
            azure_metadata: self.azure.as_deref(),
            sso_sp_metadata: self.sp.as_deref(),
            sso_app_metadata: self.app.as_deref(),
            iam_provider_metadata: self.iam.as_deref(),
            provider_arn: self.provider_arn.as_deref(),
            trust_policy: self.trust.as_deref(),
            permissions_policy: self.permissions.as_deref(),
            connect_users: self.users.as_deref(),
            decryption: self.key.as_ref().map(|k| (k, &self.policy)),
        }
    }

    /// The decryption key and policy, for inspecting messages.
    pub fn decryption(&self) -> (Option<DecryptionKey>, DecryptPolicy) {
        (self.key.clone(), self.policy.clone())
    }
}

fn read(path: &Option<PathBuf>) -> Result<Option<Vec<u8>>, String> {
    path.as_deref()
        .map(|p| input::read_input(p, MAX_INPUT_BYTES))
        .transpose()
}

/// `--relay-state`: a file when one exists at that path, else the URL itself.
fn relay_state(value: &Option<String>) -> Result<Option<String>, String> {
    let Some(value) = value else { return Ok(None) };
    let path = Path::new(value);
    if !value.starts_with("https://") && path.is_file() {
        let bytes = input::read_input(path, MAX_INPUT_BYTES)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{value}: the relay state file is not UTF-8"))?;
        return Ok(Some(text.trim().to_string()));
    }
    Ok(Some(value.clone()))
}

pub fn run(args: &FlowArgs, format: Format) -> Outcome {
    let loaded = (|| {
        Ok::<_, String>((
            read(&args.response)?,
            relay_state(&args.relay_state)?,
            args.artefacts.load()?,
        ))
    })();
    let (response, relay, artefacts) = match loaded {
        Ok(files) => files,
        Err(e) => return fail_io(format, e),
    };
    let inputs = artefacts.inputs(response.as_deref(), relay.as_deref());
    let report = flow::check(&inputs, clock::now_or_clock(args.now));
    match format {
        Format::Json => render::emit_json(&json!({
            "verdict": report.verdict,
            "hops": report.hops.iter().map(|h| json!({
                "number": h.id.number(),
                "id": h.id,
                "name": h.name,
                "status": h.status,
                "findings": h.findings,
                "facts": h.facts,
                "not_checked": h.not_checked,
                "fix": h.fix,
            })).collect::<Vec<_>>(),
            "findings": report.findings().collect::<Vec<_>>(),
        })),
        Format::Text => render::emit(&text(&report, Style::detect())),
    }
    match report.verdict {
        FlowVerdict::Fail => Outcome::Invalid,
        FlowVerdict::Pass | FlowVerdict::Incomplete => Outcome::Ok,
    }
}

fn count(hops: &[Hop], status: HopStatus) -> usize {
    hops.iter().filter(|h| h.status == status).count()
}

/// The verdict line: what failed first, or how much was checked.
fn verdict_line(report: &FlowReport, style: Style) -> String {
    let hops = &report.hops;
    let (ok, word, detail) = match report.verdict {
        FlowVerdict::Pass => (true, "PASS", "all 6 hops pass".to_string()),
        FlowVerdict::Incomplete => (
            true,
            "INCOMPLETE",
            format!(
                "{} hop(s) pass, {} not checked (inputs missing), none fails",
                count(hops, HopStatus::Pass),
                count(hops, HopStatus::NotChecked)
            ),
        ),
        FlowVerdict::Fail => {
            let failed: Vec<String> = report
                .failed()
                .map(|h| format!("hop {} ({})", h.id.number(), h.name))
                .collect();
            (false, "FAIL", format!("broken at {}", failed.join(", ")))
        }
    };
    format!(
        "{}  federation chain: {detail}\n\n",
        style.verdict(ok, word)
    )
}

fn text(report: &FlowReport, style: Style) -> String {
    let mut out = verdict_line(report, style);
    for hop in &report.hops {
        let status = match hop.status {
            HopStatus::Pass => style.verdict(true, "PASS"),
            HopStatus::Fail => style.verdict(false, "FAIL"),
            HopStatus::NotChecked => hop.status.label().to_string(),
        };
        out.push_str(&format!(
            "{}  {status}\n",
            style.bold(&format!("{}. {}", hop.id.number(), hop.name))
        ));
        let width = hop
            .facts
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0);
        for f in &hop.facts {
            out.push_str(&format!(
                "   {:<width$}  {}\n",
                f.label,
                printable(&f.value)
            ));
        }
        // The shared findings block, indented under the hop.
        let mut block = String::new();
        render::render_findings(&hop.findings, style, &mut block);
        for line in block.lines().filter(|l| !l.is_empty()) {
            out.push_str(&format!("   {line}\n"));
        }
        for n in &hop.not_checked {
            out.push_str(&format!("   not checked: {n}\n"));
        }
        if let Some(fix) = &hop.fix {
            out.push_str(&format!("   {} {fix}\n", style.bold("what to do:")));
        }
        out.push('\n');
    }
    out
}

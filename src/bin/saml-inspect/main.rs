//! `saml-inspect`: parse, verify and explain SAML from the command line.
//!
//! A thin layer over the library: argument parsing and rendering only.
//! Exit codes: 0 = valid / no error findings; 1 = the input is invalid;
//! 2 = usage or I/O problem, or input that could not be decoded at all.

mod clock;
mod cmd_cert;
mod cmd_decode;
mod cmd_metadata;
mod input;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use render::Format;

#[derive(Parser)]
#[command(
    name = "saml-inspect",
    version,
    about = "Parse, verify and explain SAML: Entra ID and IAM Identity Center metadata, SAML responses, XML signatures, and the AWS / Amazon Connect sign-in chain.",
    after_help = "Inputs are recognised by content: XML (with or without a byte-order mark), base64 (an HTTP-POST SAMLResponse value, line breaks allowed), a URL-encoded form body (SAMLResponse=…&RelayState=…), or an HTTP-Redirect value or URL. Use - to read standard input.\n\nExit codes: 0 valid, 1 invalid (error findings), 2 usage or I/O error, or undecodable input."
)]
struct Cli {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the decoded XML byte-for-byte (binding and RelayState go to stderr).
    Decode {
        /// A file, or - for standard input.
        input: PathBuf,
    },
    /// Inspect SAML metadata: entity, roles, endpoints, certificates, signature.
    ///
    /// Tells Entra ID tenant, application and common metadata apart, decodes
    /// the account and instance of IAM Identity Center application metadata,
    /// and compares two documents that must agree (--peer).
    #[command(
        after_help = "The metadata signature is checked against the certificates the document carries (\"not anchored\": it proves the file is intact, not who made it) unless --cert gives the publisher's certificate (\"anchored\").\n\nExit codes: 0 no error findings, 1 error findings (expired metadata or certificate, invalid signature, a --peer mismatch…), 2 unreadable or not metadata."
    )]
    Metadata {
        /// The metadata document (XML, a byte-order mark is tolerated and reported), or - for standard input.
        file: PathBuf,
        /// In an EntitiesDescriptor, the entityID to read (default: the only, or the first, entity).
        #[arg(long, value_name = "ID")]
        entity_id: Option<String>,
        /// A certificate you trust to have signed the metadata (PEM, one or several; DER; or bare base64). Repeat for several files.
        #[arg(long = "cert", value_name = "FILE")]
        certs: Vec<PathBuf>,
        /// The time to check validity at, RFC 3339 (default: now), e.g. 2026-11-01T00:00:00Z.
        #[arg(long, value_name = "RFC3339", value_parser = clock::parse_rfc3339)]
        now: Option<chrono::DateTime<chrono::Utc>>,
        /// A second metadata document that must agree with FILE: the Identity Center metadata and its copy uploaded to IAM, or an IdP and its SP.
        #[arg(long, value_name = "FILE")]
        peer: Option<PathBuf>,
        /// Warn about certificates that expire within this many days.
        #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=36500))]
        expiring_days: i64,
    },
    /// Show certificate facts (subject, validity, key, thumbprints) and health.
    ///
    /// Reads PEM (one or several certificates), DER, bare base64, or a
    /// metadata document (then every certificate in it, with the role and use
    /// it is listed with).
    #[command(
        after_help = "Thumbprints are printed as openssl x509 -fingerprint prints them (upper-case hex with colons); Entra shows the SHA-1 one without colons.\n\nExit codes: 0 no error findings, 1 error findings (expired, not yet valid, weak key…), 2 unreadable or not a certificate."
    )]
    Cert {
        /// The certificate or metadata file, or - for standard input.
        file: PathBuf,
        /// The time to check validity at, RFC 3339 (default: now), e.g. 2026-11-01T00:00:00Z.
        #[arg(long, value_name = "RFC3339", value_parser = clock::parse_rfc3339)]
        now: Option<chrono::DateTime<chrono::Utc>>,
        /// Warn about certificates that expire within this many days.
        #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(i64).range(0..=36500))]
        expiring_days: i64,
    },
}

/// The outcome of a command, mapped to the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Valid, or nothing wrong found.
    Ok,
    /// The input is invalid (error findings).
    Invalid,
    /// Usage or I/O problem, or undecodable input.
    Failure,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Decode { input } => cmd_decode::run(&input, cli.format),
        Command::Metadata {
            file,
            entity_id,
            certs,
            now,
            peer,
            expiring_days,
        } => cmd_metadata::run(
            &cmd_metadata::MetadataArgs {
                path: file,
                entity_id,
                certs,
                now,
                peer,
                expiring_days,
            },
            cli.format,
        ),
        Command::Cert {
            file,
            now,
            expiring_days,
        } => cmd_cert::run(&file, now, expiring_days, cli.format),
    };
    ExitCode::from(match outcome {
        Outcome::Ok => 0,
        Outcome::Invalid => 1,
        Outcome::Failure => 2,
    })
}

/// Reports a failure that stops a command before it has a report to show.
pub fn fail(format: Format, finding: saml_inspect::Finding) -> Outcome {
    match format {
        Format::Json => render::emit_json(&serde_json::json!({ "findings": [finding] })),
        Format::Text => eprintln!("saml-inspect: {} [{}]", finding.message, finding.code),
    }
    Outcome::Failure
}

/// An I/O or usage problem.
pub fn fail_io(format: Format, message: String) -> Outcome {
    match format {
        Format::Json => render::emit_json(&serde_json::json!({ "error": message, "findings": [] })),
        Format::Text => eprintln!("saml-inspect: {message}"),
    }
    Outcome::Failure
}

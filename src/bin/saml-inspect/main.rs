//! `saml-inspect`: parse, verify and explain SAML from the command line.
//!
//! A thin layer over the library: argument parsing and rendering only.
//! Exit codes: 0 = valid / no error findings; 1 = the input is invalid;
//! 2 = usage or I/O problem, or input that could not be decoded at all.

mod cmd_aws;
mod cmd_decode;
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
    /// Check the AWS federation pieces on their own: Role attribute values,
    /// Amazon Connect relay states, IAM trust and permissions policies.
    Aws {
        #[command(subcommand)]
        command: cmd_aws::AwsCommand,
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
        Command::Aws { command } => cmd_aws::run(command, cli.format),
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

//! `saml-inspect`: parse, verify and explain SAML from the command line.
//!
//! A thin layer over the library: argument parsing and rendering only.
//! Exit codes: 0 = valid / no error findings; 1 = the input is invalid;
//! 2 = usage or I/O problem, or input that could not be decoded at all.

mod clock;
mod cmd_aws;
mod cmd_c14n;
mod cmd_cert;
mod cmd_decode;
mod cmd_explain;
mod cmd_flow;
mod cmd_har;
mod cmd_inspect;
mod cmd_metadata;
mod cmd_verify;
mod decrypt;
mod input;
mod render;
mod trust;

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
    /// Replace personal values (NameIDs, e-mail addresses, names, tenant and
    /// object IDs, account numbers) by stable pseudonyms and certificates by
    /// their thumbprint, so the output can be pasted into a ticket.
    #[arg(long, global = true)]
    redact: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the decoded XML byte-for-byte (binding and RelayState go to stderr).
    ///
    /// With --decrypt-key, print the decrypted assertion (and any other
    /// encrypted element) instead; nothing is verified.
    Decode {
        /// A file, or - for standard input.
        input: PathBuf,
        #[command(flatten)]
        decrypt: decrypt::DecryptArgs,
    },
    /// Show what the input is and everything in it, with findings (no trust needed).
    ///
    /// With --audience, --recipient, --issuer, --in-response-to or --now, the
    /// checks `verify` makes are reported too, all at once.
    Inspect {
        /// A file, or - for standard input.
        input: PathBuf,
        #[command(flatten)]
        sig: SignatureArgs,
        #[command(flatten)]
        expect: cmd_verify::ExpectArgs,
        #[command(flatten)]
        decrypt: decrypt::DecryptArgs,
    },
    /// Validate a SAML response end to end: the signature with a trusted key,
    /// then status, issuer, destination, recipient, time window, audience
    /// and InResponseTo; exit 0 only when all hold.
    Verify {
        /// A file, or - for standard input.
        input: PathBuf,
        #[command(flatten)]
        sig: SignatureArgs,
        #[command(flatten)]
        expect: cmd_verify::ExpectArgs,
        #[command(flatten)]
        decrypt: decrypt::DecryptArgs,
    },
    /// Print canonical bytes (C14N 1.0 by default), to debug a digest mismatch.
    ///
    /// Example: compare with a Reference's DigestValue:
    /// saml-inspect c14n --exclusive --id _abc --enveloped response.xml | openssl dgst -sha256 -binary | base64
    C14n {
        /// A file, or - for standard input (any binding is decoded first).
        input: PathBuf,
        /// Exclusive canonicalization (what SAML signatures use).
        #[arg(long)]
        exclusive: bool,
        /// Keep comments (the #WithComments variants).
        #[arg(long)]
        with_comments: bool,
        /// The InclusiveNamespaces PrefixList, e.g. "xs #default" (with --exclusive).
        #[arg(long, value_name = "LIST")]
        prefixes: Option<String>,
        /// Canonicalize only the element whose ID attribute is ID.
        #[arg(long)]
        id: Option<String>,
        /// With --id: leave out that element's own ds:Signature, as the
        /// enveloped-signature transform does (gives the digest input).
        #[arg(long)]
        enveloped: bool,
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
    /// Check the AWS federation pieces on their own: Role attribute values,
    /// Amazon Connect relay states, IAM trust and permissions policies.
    Aws {
        #[command(subcommand)]
        command: cmd_aws::AwsCommand,
    },
    /// Check every hop of Entra ID -> IAM Identity Center -> IAM SAML provider
    /// -> role -> Amazon Connect, and name the hop that is broken.
    ///
    /// Every input is optional; a hop whose inputs are missing is NOT CHECKED.
    #[command(
        after_help = "Example (testdata/flow):\n  saml-inspect flow --response testdata/flow/response.txt --azure-metadata testdata/flow/entra-metadata.xml --sso-sp-metadata testdata/flow/sso-sp-metadata.xml --sso-app-metadata testdata/flow/sso-app-metadata.xml --iam-provider-metadata testdata/flow/iam-provider-metadata.xml --provider-arn arn:aws:iam::444455556666:saml-provider/IdentityCenterConnect --trust-policy testdata/flow/trust-policy.json --permissions-policy testdata/flow/permissions-policy.json --connect-users testdata/flow/connect-users.json --now 2026-11-02T09:00:30Z\n\nExit codes: 0 no hop fails (some may be NOT CHECKED), 1 a hop fails, 2 an input could not be read."
    )]
    Flow(cmd_flow::FlowArgs),
    /// Find every SAML message in a browser capture (HAR), list them in
    /// order with where they went (Entra ID, IAM Identity Center, AWS
    /// sign-in, Amazon Connect), and inspect each.
    #[command(
        after_help = "Record the failed sign-in with the browser's developer tools (Network tab, \"Preserve log\" on) and \"Save all as HAR\". Use --redact before pasting the report anywhere.\n\nExit codes: 0 no error findings, 1 error findings, 2 unreadable capture or no SAML message in it."
    )]
    Har {
        /// The HAR file, or - for standard input.
        file: PathBuf,
        #[command(flatten)]
        sig: SignatureArgs,
        #[command(flatten)]
        chain: cmd_har::ChainArgs,
    },
    /// Explain a finding code: its cause, the fix, and the AWS or Microsoft
    /// documentation page. Without a code (or with --list), list every code.
    #[command(
        after_help = "Exit codes: 0 explained or listed, 2 unknown code (near matches are listed)."
    )]
    Explain {
        /// A finding code, e.g. signature.untrusted_key.
        code: Option<String>,
        /// List every code with its severity and summary.
        #[arg(long)]
        list: bool,
    },
}

/// Trust and algorithm policy for commands that check signatures.
#[derive(clap::Args)]
struct SignatureArgs {
    /// A trusted signing certificate (PEM with one or more certificates, DER,
    /// or base64); repeat for several. A certificate in the message itself is
    /// never trusted.
    #[arg(long = "cert", value_name = "FILE")]
    certs: Vec<PathBuf>,
    /// Trust the signing certificates of this identity-provider metadata
    /// (all of them during a rollover); repeatable, combines with --cert.
    #[arg(long = "idp-metadata", value_name = "FILE")]
    idp_metadata: Vec<PathBuf>,
    /// Accept SHA-1 signatures and digests (legacy IdPs).
    #[arg(long)]
    allow_sha1: bool,
}

impl SignatureArgs {
    /// The trusted keys, and the entityID of each --idp-metadata file.
    fn trust(&self) -> Result<(saml_inspect::dsig::TrustedKeys, Vec<String>), String> {
        let mut trust = trust::load_certificates(&self.certs)?;
        let (keys, entity_ids) = trust::load_metadata(&self.idp_metadata)?;
        trust.extend(keys);
        Ok((trust, entity_ids))
    }

    fn policy(&self) -> saml_inspect::dsig::Policy {
        saml_inspect::dsig::Policy {
            allow_sha1: self.allow_sha1,
            ..Default::default()
        }
    }
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
    if cli.redact {
        render::enable_redaction();
    }
    let outcome = match cli.command {
        Command::Decode { input, decrypt } => match decrypt.key() {
            Ok(key) => cmd_decode::run(&input, key.map(|k| (k, decrypt.policy())), cli.format),
            Err(e) => fail_io(cli.format, e),
        },
        Command::Inspect {
            input,
            sig,
            expect,
            decrypt,
        } => {
            let loaded = sig.trust().and_then(|(trust, entity_ids)| {
                let key = decrypt.key()?;
                let validator = if expect.is_given() {
                    let expectations = expect.expectations(&entity_ids, sig.policy())?;
                    let v = saml_inspect::validate::Validator::new(trust.clone(), expectations);
                    Some(match &key {
                        Some(k) => v.with_decryption(k.clone(), decrypt.policy()),
                        None => v,
                    })
                } else {
                    None
                };
                Ok((trust, validator, key))
            });
            match loaded {
                Ok((trust, validator, decryption_key)) => {
                    let options = saml_inspect::inspect::InspectOptions {
                        trust,
                        policy: sig.policy(),
                        decryption_key,
                        decrypt_policy: decrypt.policy(),
                        ..Default::default()
                    };
                    let checks = validator.as_ref().map(|v| (v, expect.now()));
                    cmd_inspect::run(&input, options, checks, cli.format)
                }
                Err(e) => fail_io(cli.format, e),
            }
        }
        Command::Verify {
            input,
            sig,
            expect,
            decrypt,
        } => {
            let loaded = sig.trust().and_then(|(trust, entity_ids)| {
                let expectations = expect.expectations(&entity_ids, sig.policy())?;
                let v = saml_inspect::validate::Validator::new(trust, expectations);
                Ok(match decrypt.key()? {
                    Some(k) => v.with_decryption(k, decrypt.policy()),
                    None => v,
                })
            });
            match loaded {
                Ok(validator) => cmd_verify::run(&input, &validator, expect.now(), cli.format),
                Err(e) => fail_io(cli.format, e),
            }
        }
        Command::C14n {
            input,
            exclusive,
            with_comments,
            prefixes,
            id,
            enveloped,
        } => cmd_c14n::run(
            cmd_c14n::Args {
                path: &input,
                exclusive,
                with_comments,
                prefixes: prefixes.as_deref(),
                id: id.as_deref(),
                enveloped,
            },
            cli.format,
        ),
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
        Command::Aws { command } => cmd_aws::run(command, cli.format),
        Command::Flow(args) => cmd_flow::run(&args, cli.format),
        Command::Har { file, sig, chain } => match sig.trust() {
            Ok((trust, _)) => {
                let options = saml_inspect::inspect::InspectOptions {
                    trust,
                    policy: sig.policy(),
                    ..Default::default()
                };
                cmd_har::run(&file, options, &chain, cli.format)
            }
            Err(e) => fail_io(cli.format, e),
        },
        Command::Explain { code, list } => cmd_explain::run(code.as_deref(), list, cli.format),
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
        Format::Text => render::eprint_line(&format!(
            "saml-inspect: {} [{}]",
            finding.message, finding.code
        )),
    }
    Outcome::Failure
}

/// An I/O or usage problem.
pub fn fail_io(format: Format, message: String) -> Outcome {
    match format {
        Format::Json => render::emit_json(&serde_json::json!({ "error": message, "findings": [] })),
        Format::Text => render::eprint_line(&format!("saml-inspect: {message}")),
    }
    Outcome::Failure
}

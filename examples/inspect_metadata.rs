//! Reads a metadata file and prints what saml-inspect makes of it, as JSON.
//!
//! ```text
//! cargo run --example inspect_metadata -- FILE [NOW_RFC3339] [TRUSTED_CERT_PEM]
//! ```

use saml_inspect::dsig::{Policy, TrustedKeys};
use saml_inspect::metadata::{Metadata, MetadataOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: inspect_metadata FILE [NOW_RFC3339] [TRUSTED_CERT_PEM]");
        std::process::exit(2);
    };
    let now = match args.get(1) {
        Some(t) => match chrono::DateTime::parse_from_rfc3339(t) {
            Ok(t) => t.to_utc(),
            Err(e) => {
                eprintln!("bad time {t}: {e}");
                std::process::exit(2);
            }
        },
        None => chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
    };
    let mut options = MetadataOptions::at(now);
    options.policy = Policy {
        allow_sha1: true,
        allow_weak_rsa_1024: true,
        ..Policy::default()
    };
    if let Some(pem) = args.get(2) {
        let bytes = std::fs::read(pem).unwrap_or_else(|e| {
            eprintln!("{pem}: {e}");
            std::process::exit(2);
        });
        options.trusted = TrustedKeys::from_certificate_bytes(&bytes).unwrap_or_else(|e| {
            eprintln!("{pem}: {e}");
            std::process::exit(2);
        });
    }
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    match Metadata::from_bytes(&bytes, &options) {
        Ok(md) => match serde_json::to_string_pretty(&md) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("{e}"),
        },
        Err(e) => {
            eprintln!("{}", e.to_finding());
            std::process::exit(1);
        }
    }
}

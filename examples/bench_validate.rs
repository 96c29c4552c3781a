//! Throughput of one complete validation, in the format of the shared
//! yardstick (`../shared/bench/README.md`, "Adding our crate"), so that
//! `compare.sh target/release/examples/bench_validate` puts this crate in the
//! same table as libxmlsec1 and the crypto floor.
//!
//! ```text
//! bench_validate [-e] [-r ROUNDS] CERT.pem FILE.xml
//! bench_validate -n OPS CERT.pem FILE.xml    (OPS of each path, one mean each: for callgrind)
//! ```
//!
//! Prints two lines, each a column of the table:
//!
//! - `tool=ours`: what the xmlsec column does: parse the XML bytes (hardened
//!   parse, DTDs refused, limits), index and check every ID, find the
//!   Signatures at the SAML positions, verify each with the pinned key
//!   (`dsig::verify_message`). The op fails unless every Signature verifies
//!   and at least one covers an Assertion.
//! - `tool=ours-full`: `validate::Validator::validate` on the same bytes
//!   (everything above, the SAML model read from the signed element, Status,
//!   Issuer, Destination, Recipient, Audience, time windows at a fixed now of
//!   2026-11-01T12:00:00Z), then the AWS attribute checks (Role pairs and ARNs,
//!   RoleSessionName, SessionDuration) on the verified attributes.
//!
//! Each line's `median_us` is the median over ROUNDS rounds (default 7, each
//! about 300 ms) of the mean time per op within the round. The exit status is
//! non-zero if any validation failed; with `-e`, zero only if every one failed.

use std::process::ExitCode;
use std::time::{Duration, Instant};

#[path = "../benches/common/mod.rs"]
mod common;

use chrono::{DateTime, Utc};
use saml_inspect::dsig::{self, Policy, TrustedKeys};
use saml_inspect::validate::Validator;
use saml_inspect::xml::{self, Limits};

const ROUND: Duration = Duration::from_millis(300);

struct Args {
    expect_fail: bool,
    rounds: usize,
    /// `-n N`: run N ops of each path without timing (for callgrind).
    count: Option<u64>,
    cert: String,
    file: String,
}

fn args() -> Result<Args, String> {
    let mut expect_fail = false;
    let mut rounds = 7;
    let mut count = None;
    let mut positional = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "-e" => expect_fail = true,
            "-r" => {
                rounds = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("-r needs a positive number")?;
            }
            "-n" => {
                count = Some(
                    it.next()
                        .and_then(|n| n.parse().ok())
                        .ok_or("-n needs a number")?,
                );
            }
            _ => positional.push(a),
        }
    }
    let [cert, file] = <[String; 2]>::try_from(positional)
        .map_err(|_| "usage: bench_validate [-e] [-r ROUNDS] CERT.pem FILE.xml")?;
    Ok(Args {
        expect_fail,
        rounds,
        count,
        cert,
        file,
    })
}

/// The signature work only: parse and verify every signature. Returns how
/// many signatures verified, or `None` when the message does not verify.
#[inline(never)]
fn verify_only(xml_bytes: &[u8], trust: &TrustedKeys, policy: &Policy) -> Option<usize> {
    let doc = xml::parse_bytes(xml_bytes, &Limits::default()).ok()?;
    let verified = dsig::verify_message(&doc, trust, policy).ok()?;
    if !verified.assertions().iter().any(|a| a.is_covered()) {
        return None;
    }
    let own = verified
        .assertions()
        .iter()
        .filter(|a| a.signature().is_some())
        .count();
    Some(own + usize::from(verified.response().is_some()))
}

/// Full validation plus the AWS attribute checks; `None` when refused.
#[inline(never)]
fn full(xml_bytes: &[u8], validator: &Validator, now: DateTime<Utc>) -> Option<usize> {
    common::validate_for_aws(validator, xml_bytes, now)
}

/// Runs `op` for `rounds` rounds of about [`ROUND`] each; returns the median
/// µs per op and the number of failed ops.
fn measure(rounds: usize, mut op: impl FnMut() -> bool) -> (f64, u64) {
    let mut failures = 0u64;
    // Warm up and size a batch to about 10 ms.
    let start = Instant::now();
    let mut warm = 0u64;
    while start.elapsed() < Duration::from_millis(50) {
        failures += u64::from(!op());
        warm += 1;
    }
    let per_op = start.elapsed().as_secs_f64() / warm as f64;
    let batch = ((0.01 / per_op) as u64).max(1);
    let mut medians = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < ROUND {
            for _ in 0..batch {
                failures += u64::from(!op());
            }
            n += batch;
        }
        medians.push(start.elapsed().as_secs_f64() * 1e6 / n as f64);
    }
    medians.sort_by(f64::total_cmp);
    (medians[medians.len() / 2], failures)
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let read = |p: &str| std::fs::read(p).map_err(|e| format!("{p}: {e}"));
    let (pem, xml_bytes) = match (read(&args.cert), read(&args.file)) {
        (Ok(p), Ok(x)) => (p, x),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let trust = match TrustedKeys::from_pem(&pem) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", args.cert);
            return ExitCode::from(2);
        }
    };
    let policy = Policy::default();
    let validator = common::validator(trust.clone());
    let now = common::now();
    let sigs = verify_only(&xml_bytes, &trust, &policy);
    if args.expect_fail {
        // Every path must refuse; one op of each is enough to know.
        let verify_refused = sigs.is_none();
        let full_refused = full(&xml_bytes, &validator, now).is_none();
        println!(
            "tool=ours file={} expect_fail verify_refused={verify_refused} full_refused={full_refused}",
            args.file
        );
        return if verify_refused && full_refused {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let sigs = sigs.unwrap_or(0);
    if let Some(n) = args.count {
        let start = Instant::now();
        let verified = (0..n)
            .filter(|_| verify_only(&xml_bytes, &trust, &policy).is_some())
            .count();
        let verify_us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
        let start = Instant::now();
        let validated = (0..n)
            .filter(|_| full(&xml_bytes, &validator, now).is_some())
            .count();
        let full_us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!(
            "ops={n} verified={verified} validated={validated} verify_us={verify_us:.1} full_us={full_us:.1}"
        );
        return ExitCode::SUCCESS;
    }
    let (verify_us, verify_fail) = measure(args.rounds, || {
        verify_only(&xml_bytes, &trust, &policy).is_some()
    });
    let (full_us, full_fail) = measure(args.rounds, || full(&xml_bytes, &validator, now).is_some());
    for (tool, us, fail) in [
        ("ours", verify_us, verify_fail),
        ("ours-full", full_us, full_fail),
    ] {
        println!(
            "tool={tool} file={} bytes={} sigs={sigs} median_us={us:.1} ops_per_s={:.0} rounds={} fail={fail}",
            args.file,
            xml_bytes.len(),
            1e6 / us,
            args.rounds
        );
    }
    if verify_fail + full_fail > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

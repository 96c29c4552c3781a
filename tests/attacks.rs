//! The attack table: every case in `testdata/attacks/cases.txt` (one row
//! per file: catalogue id, file, API, expected code, options) is run
//! through the public API it names and must give exactly the expected code.
//! One test per row (a `harness = false` test on libtest-mimic), so
//! `cargo test --test attacks` lists the table case by case.
//!
//! The rows are data: new rows for an id need no code. A new id needs one
//! line in `CATALOGUE`. `testdata/attacks/README.md` lists the ids that do not
//! apply and why.
//!
//! APIs:
//! - `verify`: `verify::verify` (decode, parse, signatures, the assertion read);
//! - `validate`: `Validator::validate` with the fixtures' expectations
//!   (audience `urn:amazon:webservices`, ACS `https://signin.aws.amazon.com/saml`,
//!   the Entra issuer), at 2026-11-01T12:00:00Z unless `now=` says otherwise;
//! - `inspect`: `inspect::inspect` (the report): the code must be among the findings;
//! - `metadata`: `Metadata::from_bytes` at 2026-11-01T00:00:00Z: the error's
//!   code, or a finding with the code;
//! - `cert`: `cert::parse_certificates` then `cert::check` at `now`;
//! - `decode`: `decode::decode` with the default limits.
//!
//! Options (space separated, `-` for none): `trust=a,b` (fixture key names,
//! or a certificate file in testdata/attacks; `none` for no trust; default
//! `rsa2048`), `sha1` (allow SHA-1), `now=RFC3339`, `require=either|assertion|response|both`,
//! `irt=id,…` (outstanding requests; empty for none outstanding),
//! `sp_initiated` (refuse unsolicited), `twice` (validate twice with a
//! replay cache; the code is the second result's), `replay_after=FILE`
//! (validate that file first, same cache), `name_id=VALUE` (on success, the
//! NameID read must be exactly VALUE), `decrypt=NAME` (decrypt with the test
//! key `testdata/encrypted/keys/NAME.key.pem`), `cbc` / `rsa1_5` (allow the
//! weak encryption algorithms).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use libtest_mimic::{Arguments, Failed, Trial};
use saml_inspect::cert::{self, CertPolicy};
use saml_inspect::decode::{DecodeLimits, decode};
use saml_inspect::dsig::{Policy, TrustedKeys};
use saml_inspect::inspect::{InspectOptions, inspect};
use saml_inspect::metadata::{Metadata, MetadataOptions};
use saml_inspect::validate::{Expectations, InMemoryReplayCache, RequireSigned, Validator};
use saml_inspect::verify::{VerifyOptions, verify};
use saml_inspect::xmlenc::{DecryptPolicy, DecryptionKey};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/attacks");

struct Row {
    id: String,
    file: String,
    api: String,
    expect: String,
    options: Vec<(String, String)>,
}

impl Row {
    fn option(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn has(&self, key: &str) -> bool {
        self.option(key).is_some()
    }
}

/// Every row of every `cases*.txt` in testdata/attacks (a later table, e.g.
/// `cases-xmlenc.txt`, adds rows without touching the generated one).
fn rows() -> Vec<Row> {
    let mut tables: Vec<_> = std::fs::read_dir(DIR)
        .expect("testdata/attacks")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("cases") && n.ends_with(".txt"))
        })
        .collect();
    tables.sort();
    let mut rows = Vec::new();
    for table in tables {
        let text = std::fs::read_to_string(&table).expect("read table");
        for line in text.lines() {
            let line = line.split(" # ").next().unwrap_or_default();
            let line = line.split("\t# ").next().unwrap_or_default().trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let [id, file, api, expect, options] = fields[..] else {
                panic!("{}: malformed row {line:?}", table.display());
            };
            let options = options
                .split_whitespace()
                .filter(|o| *o != "-")
                .map(|o| match o.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (o.to_string(), String::new()),
                })
                .collect();
            rows.push(Row {
                id: id.into(),
                file: file.into(),
                api: api.into(),
                expect: expect.into(),
                options,
            });
        }
    }
    rows
}

fn fixture(name: &str) -> Vec<u8> {
    let attack = Path::new(DIR).join(name);
    if attack.exists() {
        return std::fs::read(attack).expect("read");
    }
    std::fs::read(format!(
        "{}/testdata/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("read fixture")
}

/// The trusted keys the row names; a certificate refused as trust (e.g.
/// an RSA-1024 key) is the row's outcome, as configuration fails there.
fn trust(row: &Row) -> Result<TrustedKeys, String> {
    let mut keys = TrustedKeys::new();
    let names = row.option("trust").unwrap_or("rsa2048");
    for name in names.split(',').filter(|n| *n != "none" && !n.is_empty()) {
        let path = Path::new(DIR).join(name);
        let bytes = if path.exists() {
            std::fs::read(path).expect("certificate")
        } else {
            fixture(&format!("{name}.cert.pem"))
        };
        let one = TrustedKeys::from_certificate_bytes(&bytes)
            .map_err(|e| e.code().as_str().to_string())?;
        keys.extend(one);
    }
    Ok(keys)
}

/// The service provider's key the row names (`decrypt=NAME`: the test key
/// `testdata/encrypted/keys/NAME.key.pem`), and the algorithms it allows
/// (`cbc`, `rsa1_5`).
fn decryption(row: &Row) -> (Option<DecryptionKey>, DecryptPolicy) {
    let key = row.option("decrypt").map(|name| {
        let pem = std::fs::read(format!(
            "{}/testdata/encrypted/keys/{name}.key.pem",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("decryption key");
        DecryptionKey::from_pem(&pem).expect("a usable test key")
    });
    let policy = DecryptPolicy {
        allow_cbc: row.has("cbc"),
        allow_rsa1_5: row.has("rsa1_5"),
        ..DecryptPolicy::default()
    };
    (key, policy)
}

fn now(row: &Row, default: &str) -> DateTime<Utc> {
    row.option("now").unwrap_or(default).parse().expect("now")
}

fn policy(row: &Row) -> Policy {
    Policy {
        allow_sha1: row.has("sha1"),
        ..Policy::default()
    }
}

fn expectations(row: &Row) -> Expectations {
    Expectations {
        audiences: vec!["urn:amazon:webservices".into()],
        recipients: vec!["https://signin.aws.amazon.com/saml".into()],
        issuer: Some("https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/".into()),
        in_response_to: row.option("irt").map(|ids| {
            ids.split(',')
                .filter(|i| !i.is_empty())
                .map(String::from)
                .collect()
        }),
        allow_idp_initiated: !row.has("sp_initiated"),
        require_signed: match row.option("require").unwrap_or("either") {
            "assertion" => RequireSigned::Assertion,
            "response" => RequireSigned::Response,
            "both" => RequireSigned::Both,
            _ => RequireSigned::Either,
        },
        policy: policy(row),
        ..Expectations::default()
    }
}

/// `ok`, or the code of the outcome; and the NameID read on success.
fn run(row: &Row, input: &[u8]) -> (String, Option<String>) {
    let code = |c: saml_inspect::Code| c.as_str().to_string();
    let trusted = match trust(row) {
        Ok(keys) => keys,
        Err(code) => return (code, None),
    };
    let trust = |_: &Row| trusted.clone();
    let (decryption_key, decrypt_policy) = decryption(row);
    match row.api.as_str() {
        "verify" => {
            let options = VerifyOptions {
                trust: trust(row),
                policy: policy(row),
                decryption_key,
                decrypt_policy,
                ..VerifyOptions::default()
            };
            match verify(input, &options) {
                Ok(v) => ("ok".into(), v.summary().name_id),
                Err(e) => (code(e.code()), None),
            }
        }
        "validate" => {
            let validator = Validator::new(trust(row), expectations(row));
            let validator = match decryption_key {
                Some(key) => validator.with_decryption(key, decrypt_policy),
                None => validator,
            };
            let at = now(row, "2026-11-01T12:00:00Z");
            let validator = if row.has("twice") || row.has("replay_after") {
                let cache = Arc::new(InMemoryReplayCache::new(16));
                let v = validator.with_replay_cache(cache);
                let first = match row.option("replay_after") {
                    Some(file) => fixture(file),
                    None => input.to_vec(),
                };
                v.validate(&first, at)
                    .expect("the first submission validates");
                v
            } else {
                validator
            };
            match validator.validate(input, at) {
                Ok(v) => ("ok".into(), v.assertion.summary().name_id),
                Err(e) => (code(e.code()), None),
            }
        }
        "inspect" => {
            let options = InspectOptions {
                trust: trust(row),
                policy: policy(row),
                decryption_key,
                decrypt_policy,
                ..InspectOptions::default()
            };
            match inspect(input, &options) {
                Ok(i) => contains(&row.expect, i.findings.iter().map(|f| f.code)),
                Err(e) => (code(e.code()), None),
            }
        }
        "metadata" => {
            let mut options = MetadataOptions::at(now(row, "2026-11-01T00:00:00Z"));
            if row.has("trust") {
                options.trusted = trust(row);
            }
            match Metadata::from_bytes(input, &options) {
                Ok(m) => contains(&row.expect, m.findings.iter().map(|f| f.code)),
                Err(e) => (code(e.code()), None),
            }
        }
        "cert" => match cert::parse_certificates(input) {
            Ok(certs) => {
                let at = now(row, "2026-11-01T00:00:00Z");
                let findings = certs
                    .iter()
                    .flat_map(|c| cert::check(c, at, &CertPolicy::default()));
                contains(&row.expect, findings.map(|f| f.code))
            }
            Err(e) => (code(e.code()), None),
        },
        "decode" => match decode(input, &DecodeLimits::default()) {
            Ok(_) => ("ok".into(), None),
            Err(e) => (code(e.code()), None),
        },
        other => panic!("unknown API {other:?}"),
    }
}

/// For report APIs: the expected code when a finding carries it, `ok`
/// when no finding is an error, else the first error's code.
fn contains(
    expect: &str,
    codes: impl Iterator<Item = saml_inspect::Code>,
) -> (String, Option<String>) {
    let codes: Vec<_> = codes.collect();
    if codes.iter().any(|c| c.as_str() == expect) {
        return (expect.into(), None);
    }
    let error = codes
        .iter()
        .find(|c| c.default_severity() == saml_inspect::Severity::Error);
    (error.map_or("ok", |c| c.as_str()).into(), None)
}

/// Runs one row: its outcome must be the expected code (and, on success,
/// the NameID it names), within 2 s.
fn check(row: &Row) -> Result<(), Failed> {
    let input = fixture(&row.file);
    let start = std::time::Instant::now();
    let (got, name_id) = run(row, &input);
    let elapsed = start.elapsed();
    if got != row.expect {
        return Err(format!("got {got}, expected {}", row.expect).into());
    }
    if let (Some(want), "ok") = (row.option("name_id"), got.as_str()) {
        if name_id.as_deref() != Some(want) {
            return Err(format!("NameID {name_id:?}, expected {want:?}").into());
        }
    }
    if elapsed > std::time::Duration::from_secs(2) {
        return Err(format!("took {elapsed:?}").into());
    }
    Ok(())
}

/// The catalogue of `shared/docs/attacks.md`: every id with a short name
/// for the test list. Every id must have a case, and every case an id here.
const CATALOGUE: &[(&str, &str)] = &[
    ("W01", "xsw1_response_clone_in_signature"),
    ("W02", "xsw2_response_clone_before_signature"),
    ("W03", "xsw3_evil_assertion_first"),
    ("W04", "xsw4_evil_assertion_wraps_signed"),
    ("W05", "xsw5_edited_in_place_copy_appended"),
    ("W06", "xsw6_copy_inside_signature"),
    ("W07", "xsw7_same_id_in_extensions"),
    ("W08", "xsw8_copy_in_object"),
    ("W09", "xsw9_second_signed_info"),
    ("W10", "signed_original_hidden_same_id"),
    ("W11", "multiple_assertions"),
    ("W12", "assertion_in_advice"),
    ("W13", "signature_not_enveloping"),
    ("W14", "signature_at_non_schema_position"),
    ("W15", "other_signed_document_reused"),
    ("W16", "only_verified_node_consumed"),
    ("S01", "document_wide_digest_lookup"),
    ("S02", "comment_in_digest_value"),
    ("S03", "second_or_prefixed_signed_info"),
    ("S04", "several_references"),
    ("S05", "zero_wrong_dangling_references"),
    ("S06", "reference_uri_forms"),
    ("S07", "transforms_outside_allow_list"),
    ("S08", "id_attribute_confusion"),
    ("S09", "malformed_signature"),
    ("K01", "key_from_keyinfo"),
    ("K02", "keyinfo_is_a_hint"),
    ("K03", "no_trust_fails_closed"),
    ("K04", "certificate_validity"),
    ("K05", "hmac_key_confusion"),
    ("K06", "truncated_hmac"),
    ("K07", "sha1_downgrade"),
    ("K08", "weak_unknown_algorithms"),
    ("K09", "ecdsa_encodings"),
    ("C01", "comment_injection_reads_full_name_id"),
    ("C02", "cdata_injection"),
    ("C03", "processing_instruction_injection"),
    ("C04", "entities_and_char_refs"),
    ("C05", "namespace_confusion"),
    ("C06", "with_comments"),
    ("C07", "line_endings"),
    ("C08", "void_canonicalization"),
    ("P01", "doctype_xxe"),
    ("P02", "entity_expansion"),
    ("P03", "doctype_parser_differential"),
    ("P04", "round_trip_instability"),
    ("P05", "roots_bom_encodings"),
    ("P06", "resource_exhaustion"),
    ("M01", "which_element_signed"),
    ("M02", "audience"),
    ("M03", "destination_recipient"),
    ("M04", "time_windows"),
    ("M05", "in_response_to"),
    ("M06", "replay"),
    ("M07", "issuer"),
    ("M08", "subject_confirmation"),
    ("M09", "status"),
    ("M10", "name_id_and_attributes"),
    ("M11", "missing_id_wrong_version"),
    ("D01", "metadata_trust"),
    ("E01", "cbc_padding_oracle"),
    ("E02", "algorithm_substitution"),
    ("E03", "encryption_is_not_authentication"),
    ("E04", "key_and_cipher_references"),
];

/// One test per row of the table, named `<id>_<topic>::<file> (<api> -> <expect>)`,
/// so `cargo test --test attacks` lists the table line by line (and a
/// filter such as `c01` runs one catalogue id).
fn main() -> ExitCode {
    let args = Arguments::from_args();
    let rows = rows();
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let unknown: Vec<String> = rows
        .iter()
        .filter(|r| !CATALOGUE.iter().any(|(id, _)| *id == r.id))
        .map(|r| format!("{} ({})", r.id, r.file))
        .collect();
    let uncovered: Vec<&str> = CATALOGUE
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !ids.contains(id))
        .collect();
    let mut trials = vec![Trial::test(
        "catalogue::every_id_has_a_case_and_every_case_an_id",
        move || {
            match (unknown.is_empty(), uncovered.is_empty()) {
            (true, true) => Ok(()),
            _ => Err(format!(
                "rows with an id missing from CATALOGUE: {unknown:?}; ids without a case: {uncovered:?}"
            )
            .into()),
        }
        },
    )];
    for row in rows {
        let topic = CATALOGUE
            .iter()
            .find(|(id, _)| *id == row.id)
            .map_or("unknown", |(_, t)| t);
        let name = format!(
            "{}_{topic}::{} ({} -> {})",
            row.id.to_lowercase(),
            row.file.rsplit('/').next().unwrap_or_default(),
            row.api,
            row.expect
        );
        trials.push(Trial::test(name, move || check(&row)));
    }
    libtest_mimic::run(&args, trials).exit_code()
}

//! The attack table: every case in `testdata/attacks/cases.txt` (one row
//! per file: catalogue id, file, API, expected code, options) is run
//! through the public API it names and must give exactly the expected code.
//! One test per catalogue id, so `cargo test --test attacks` lists the
//! table; each prints one line per row (`--nocapture` shows them).
//!
//! The rows are data: new rows for an id need no code. A new id needs one
//! `attack!` line. `testdata/attacks/README.md` lists the ids that do not
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
use std::sync::Arc;

use chrono::{DateTime, Utc};
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
                Ok(v) => ("ok".into(), v.summary.name_id),
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
                Ok(v) => ("ok".into(), v.assertion.summary.name_id),
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

/// Runs every row of `id`; prints one line per row, and fails listing
/// every row whose outcome is not the expected code.
fn check(id: &str) {
    let rows: Vec<Row> = rows().into_iter().filter(|r| r.id == id).collect();
    assert!(!rows.is_empty(), "no case for {id} in testdata/attacks");
    let mut failures = Vec::new();
    for row in &rows {
        let input = fixture(&row.file);
        let start = std::time::Instant::now();
        let (got, name_id) = run(row, &input);
        let elapsed = start.elapsed();
        let mut verdict = if got == row.expect { "ok" } else { "FAIL" };
        if let (Some(want), "ok") = (row.option("name_id"), got.as_str()) {
            if name_id.as_deref() != Some(want) {
                verdict = "FAIL";
                failures.push(format!(
                    "{}: NameID {name_id:?}, expected {want:?}",
                    row.file
                ));
            }
        }
        println!(
            "{id:4} {:55} {:9} expect {:34} got {:34} {verdict} ({} ms)",
            row.file,
            row.api,
            row.expect,
            got,
            elapsed.as_millis()
        );
        if got != row.expect {
            failures.push(format!("{}: got {got}, expected {}", row.file, row.expect));
        }
        assert!(
            elapsed < std::time::Duration::from_secs(2),
            "{} took {elapsed:?}",
            row.file
        );
    }
    assert!(failures.is_empty(), "{id}:\n{}", failures.join("\n"));
}

macro_rules! attacks {
    ($($name:ident = $id:literal;)*) => {
        $( #[test] fn $name() { check($id); } )*

        /// Every row's id has a test above (a row for an unknown id would
        /// otherwise never run).
        #[test]
        fn every_row_has_a_test() {
            let ids = [$($id),*];
            for row in rows() {
                assert!(ids.contains(&row.id.as_str()), "{} ({}) has no attacks! line", row.id, row.file);
            }
        }
    };
}

attacks! {
    w01_xsw1_response_clone_in_signature = "W01";
    w02_xsw2_response_clone_before_signature = "W02";
    w03_xsw3_evil_assertion_first = "W03";
    w04_xsw4_evil_assertion_wraps_signed = "W04";
    w05_xsw5_edited_in_place_copy_appended = "W05";
    w06_xsw6_copy_inside_signature = "W06";
    w07_xsw7_same_id_in_extensions = "W07";
    w08_xsw8_copy_in_object = "W08";
    w09_xsw9_second_signed_info = "W09";
    w10_signed_original_hidden_same_id = "W10";
    w11_multiple_assertions = "W11";
    w12_assertion_in_advice = "W12";
    w13_signature_not_enveloping = "W13";
    w14_signature_at_non_schema_position = "W14";
    w15_other_signed_document_reused = "W15";
    w16_only_verified_node_consumed = "W16";
    s01_document_wide_digest_lookup = "S01";
    s02_comment_in_digest_value = "S02";
    s03_second_or_prefixed_signed_info = "S03";
    s04_several_references = "S04";
    s05_zero_wrong_dangling_references = "S05";
    s06_reference_uri_forms = "S06";
    s07_transforms_outside_allow_list = "S07";
    s08_id_attribute_confusion = "S08";
    s09_malformed_signature = "S09";
    k01_key_from_keyinfo = "K01";
    k02_keyinfo_is_a_hint = "K02";
    k03_no_trust_fails_closed = "K03";
    k04_certificate_validity = "K04";
    k05_hmac_key_confusion = "K05";
    k06_truncated_hmac = "K06";
    k07_sha1_downgrade = "K07";
    k08_weak_unknown_algorithms = "K08";
    k09_ecdsa_encodings = "K09";
    c01_comment_injection_reads_full_name_id = "C01";
    c02_cdata_injection = "C02";
    c03_processing_instruction_injection = "C03";
    c04_entities_and_char_refs = "C04";
    c05_namespace_confusion = "C05";
    c06_with_comments = "C06";
    c07_line_endings = "C07";
    c08_void_canonicalization = "C08";
    p01_doctype_xxe = "P01";
    p02_entity_expansion = "P02";
    p03_doctype_parser_differential = "P03";
    p04_round_trip_instability = "P04";
    p05_roots_bom_encodings = "P05";
    p06_resource_exhaustion = "P06";
    m01_which_element_signed = "M01";
    m02_audience = "M02";
    m03_destination_recipient = "M03";
    m04_time_windows = "M04";
    m05_in_response_to = "M05";
    m06_replay = "M06";
    m07_issuer = "M07";
    m08_subject_confirmation = "M08";
    m09_status = "M09";
    m10_name_id_and_attributes = "M10";
    m11_missing_id_wrong_version = "M11";
    d01_metadata_trust = "D01";
    e01_cbc_padding_oracle = "E01";
    e02_algorithm_substitution = "E02";
    e03_encryption_is_not_authentication = "E03";
    e04_key_and_cipher_references = "E04";
}

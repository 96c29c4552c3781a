//! Shared harness for the signature-vector suites in `testdata/vectors/`.
//!
//! Each suite is a table of [`Case`]s: one upstream file (decoded as the table
//! says), the trust anchors, the policy, which element or message to verify, and
//! the verdict *our* verifier must give: `VALID` or the stable finding code of
//! the refusal. [`run_suite`] runs every case, prints one line per case and
//! fails at the end with every mismatch, never at the first.
//!
//! A case where the verifier is believed wrong is listed in the suite's
//! known-disagreement table with the verdict it gives today; the test checks that
//! list exactly, so it fails when the behaviour changes in either direction.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use saml_inspect::dsig;
use saml_inspect::xml::{self, Limits};

/// The verdict of a case that verifies.
pub const VALID: &str = "VALID";
/// `signature.missing`
pub const MISSING: &str = "signature.missing";
/// `signature.structure`
pub const STRUCTURE: &str = "signature.structure";
/// `signature.reference_invalid`
pub const REFERENCE: &str = "signature.reference_invalid";
/// `signature.duplicate_id`
pub const DUPLICATE_ID: &str = "signature.duplicate_id";
/// `signature.transform_not_allowed`
pub const TRANSFORM: &str = "signature.transform_not_allowed";
/// `signature.algorithm_not_allowed`
pub const ALGORITHM: &str = "signature.algorithm_not_allowed";
/// `signature.digest_mismatch`
pub const DIGEST: &str = "signature.digest_mismatch";
/// `signature.invalid`
pub const INVALID: &str = "signature.invalid";
/// `signature.untrusted_key`
pub const UNTRUSTED: &str = "signature.untrusted_key";
/// `signature.no_trust_configured`
pub const NO_TRUST: &str = "signature.no_trust_configured";
/// `xml.dtd_forbidden`
pub const DTD: &str = "xml.dtd_forbidden";
/// `xml.malformed`
pub const MALFORMED: &str = "xml.malformed";

/// How the file's bytes become XML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    /// The file is the XML.
    Xml,
    /// Base64 of the XML (HTTP-POST binding value); line breaks allowed.
    B64,
    /// Base64 of raw DEFLATE of the XML (HTTP-Redirect style).
    B64Deflate,
}

/// What is verified.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// `dsig::verify_element` on the document element.
    Root,
    /// `dsig::verify_element` on the one element whose `ID` attribute is this.
    Id(&'static str),
    /// `dsig::verify_element` on the parent of the first `ds:Signature` in
    /// document order (for signatures on elements without an ID).
    SignatureParent,
    /// The SAML message-level check (`dsig::verify_message`): the root's
    /// signature and those of the Assertions directly inside a Response. The
    /// verdict is VALID only when every such Assertion is covered by a
    /// verified signature (its own or the Response's), as a service provider
    /// must require; otherwise `signature.missing`.
    Message,
}

/// One row of a suite table.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// Path of the vector, relative to the suite directory.
    pub file: &'static str,
    /// Distinguishes several rows on the same file ("" for the main row).
    pub label: &'static str,
    /// Encoding of the file.
    pub enc: Enc,
    /// Trust anchors, relative to the suite directory: PEM/DER certificates or
    /// SAML metadata (its signing certificates are used). Empty = no trust.
    pub trust: &'static [&'static str],
    /// `Policy::allow_sha1`.
    pub sha1: bool,
    /// `Policy::allow_weak_rsa_1024` (the vector's key is RSA-1024).
    pub rsa1024: bool,
    /// `Policy::allow_der_ecdsa_signature`.
    pub der_ecdsa: bool,
    /// What is verified.
    pub target: Target,
    /// A textual edit applied to the decoded XML before parsing (the upstream
    /// test's mutation): the first occurrence of `.0` becomes `.1`.
    pub edit: Option<(&'static str, &'static str)>,
    /// `VALID` or the finding code of the refusal.
    pub expect: &'static str,
    /// The MANIFEST's verdict and why ours is what it is.
    pub why: &'static str,
    /// Set when the upstream verdict depends on a clock: our verifier does not
    /// check time, so only the signature part is tested.
    pub time: Option<&'static str>,
}

/// A row: `file`, encoding, trust, target, expected verdict, reason.
pub const fn case(
    file: &'static str,
    enc: Enc,
    trust: &'static [&'static str],
    target: Target,
    expect: &'static str,
    why: &'static str,
) -> Case {
    Case {
        file,
        label: "",
        enc,
        trust,
        sha1: false,
        rsa1024: false,
        der_ecdsa: false,
        target,
        edit: None,
        expect,
        why,
        time: None,
    }
}

impl Case {
    /// Runs with `allow_sha1: true` (the vector is signed with SHA-1 and the
    /// verdict is about the rest).
    pub const fn sha1(mut self) -> Case {
        self.sha1 = true;
        self
    }
    /// Runs with `allow_weak_rsa_1024: true` (the signer's key is RSA-1024, as
    /// in most toolkits' old test certificates).
    pub const fn rsa1024(mut self) -> Case {
        self.rsa1024 = true;
        self
    }
    /// Runs with `allow_der_ecdsa_signature: true`.
    pub const fn der_ecdsa(mut self) -> Case {
        self.der_ecdsa = true;
        self
    }
    /// Names a variant row on a file that has several.
    pub const fn label(mut self, label: &'static str) -> Case {
        self.label = label;
        self
    }
    /// Applies the upstream test's mutation before parsing.
    pub const fn edit(mut self, from: &'static str, to: &'static str) -> Case {
        self.edit = Some((from, to));
        self
    }
    /// Marks an upstream verdict that depends on the clock.
    pub const fn time(mut self, note: &'static str) -> Case {
        self.time = Some(note);
        self
    }
    fn name(&self) -> String {
        if self.label.is_empty() {
            self.file.to_string()
        } else {
            format!("{} [{}]", self.file, self.label)
        }
    }
}

/// A case on which the verifier is believed wrong today.
#[derive(Clone, Copy, Debug)]
pub struct Known {
    /// The case's file.
    pub file: &'static str,
    /// The case's label.
    pub label: &'static str,
    /// The verdict the verifier gives today.
    pub actual: &'static str,
    /// Why we think the verifier is wrong, and what should change.
    pub diagnosis: &'static str,
}

/// Files of a suite directory that no row needs, with the reason.
pub type Unused = &'static [(&'static str, &'static str)];

fn suite_dir(suite: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/vectors")
        .join(suite)
}

fn read(dir: &Path, rel: &str) -> Result<Vec<u8>, String> {
    std::fs::read(dir.join(rel)).map_err(|e| format!("table error: cannot read {rel}: {e}"))
}

/// Decodes a vector file as its row says and checks the declared encoding.
pub fn decode(bytes: &[u8], enc: Enc) -> Result<Vec<u8>, String> {
    let looks_xml = |b: &[u8]| {
        let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
        b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
    };
    match enc {
        Enc::Xml => {
            if !looks_xml(bytes) {
                return Err("table error: declared XML but is not".into());
            }
            Ok(bytes.to_vec())
        }
        Enc::B64 | Enc::B64Deflate => {
            let compact: Vec<u8> = bytes
                .iter()
                .copied()
                .filter(|c| !c.is_ascii_whitespace())
                .collect();
            let raw = base64::engine::general_purpose::STANDARD
                .decode(&compact)
                .map_err(|e| format!("table error: bad base64: {e}"))?;
            if enc == Enc::B64 {
                if !looks_xml(&raw) {
                    return Err("table error: declared base64 XML but is not".into());
                }
                return Ok(raw);
            }
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(raw.as_slice())
                .take(16 * 1024 * 1024)
                .read_to_end(&mut out)
                .map_err(|e| format!("table error: bad raw DEFLATE: {e}"))?;
            if !looks_xml(&out) {
                return Err("table error: inflated data is not XML".into());
            }
            Ok(out)
        }
    }
}

/// The signing certificates of a SAML metadata document, base64 DER as written.
fn metadata_certificates(bytes: &[u8]) -> Result<Vec<String>, String> {
    let doc = xml::parse_bytes(bytes, &Limits::default())
        .map_err(|e| format!("table error: metadata does not parse: {e}"))?;
    let mut certs = Vec::new();
    for kd in doc
        .tree()
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "KeyDescriptor")
    {
        if kd.attribute("use").is_some_and(|u| u != "signing") {
            continue;
        }
        for c in kd.descendants().filter(|n| {
            n.is_element()
                && n.tag_name().name() == "X509Certificate"
                && n.tag_name().namespace() == Some(saml_inspect::ns::XMLDSIG)
        }) {
            let text = xml::element_text(c).unwrap_or_default();
            certs.push(text.split_whitespace().collect::<String>());
        }
    }
    if certs.is_empty() {
        return Err("table error: metadata has no signing certificate".into());
    }
    Ok(certs)
}

/// Builds the trust from the row's files; a refusal is reported as `trust:<code>`.
fn trust_of(dir: &Path, files: &[&str]) -> Result<dsig::TrustedKeys, String> {
    let mut trust = dsig::TrustedKeys::new();
    let refused = |e: dsig::TrustError| format!("trust:{}", e.code());
    for f in files {
        let bytes = read(dir, f)?;
        let is_metadata = bytes.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<');
        if is_metadata {
            for b64 in metadata_certificates(&bytes)? {
                trust.extend(dsig::TrustedKeys::from_base64_certificate(&b64).map_err(refused)?);
            }
        } else {
            trust.extend(dsig::TrustedKeys::from_certificate_bytes(&bytes).map_err(refused)?);
        }
    }
    Ok(trust)
}

/// The trust anchors of a suite's files (certificates or metadata), for the
/// validator tests; a refusal is reported as `trust:<code>`.
pub fn suite_trust(suite: &str, files: &[&str]) -> Result<dsig::TrustedKeys, String> {
    trust_of(&suite_dir(suite), files)
}

/// A suite's vector file, decoded as `enc` says (the XML bytes).
pub fn suite_input(suite: &str, file: &str, enc: Enc) -> Result<Vec<u8>, String> {
    decode(&read(&suite_dir(suite), file)?, enc)
}

fn find_target<'a, 'i>(
    doc: &'a xml::Document<'i>,
    target: Target,
) -> Result<saml_inspect::xml::Node<'a, 'i>, String> {
    match target {
        Target::Root | Target::Message => Ok(doc.root_element()),
        Target::Id(id) => {
            let hits: Vec<_> = doc
                .tree()
                .descendants()
                .filter(|n| n.is_element() && n.attribute("ID") == Some(id))
                .collect();
            match hits.as_slice() {
                [one] => Ok(*one),
                _ => Err(format!(
                    "table error: {} elements with ID={id}, want 1",
                    hits.len()
                )),
            }
        }
        Target::SignatureParent => doc
            .tree()
            .descendants()
            .find(|n| {
                n.is_element()
                    && n.tag_name().name() == "Signature"
                    && n.tag_name().namespace() == Some(saml_inspect::ns::XMLDSIG)
            })
            .and_then(|s| s.parent_element())
            .ok_or_else(|| "table error: no ds:Signature with a parent element".into()),
    }
}

/// Runs one case; `Ok((verdict, detail))`: `VALID` or a code, and the error's
/// message; `Err` is a table error.
fn run_case(dir: &Path, case: &Case) -> Result<(String, String), String> {
    let raw = read(dir, case.file)?;
    let mut bytes = decode(&raw, case.enc)?;
    if let Some((from, to)) = case.edit {
        let text = String::from_utf8(bytes)
            .map_err(|_| "table error: edit on non-UTF-8 input".to_string())?;
        if !text.contains(from) {
            return Err(format!("table error: edit target {from:?} not found"));
        }
        bytes = text.replacen(from, to, 1).into_bytes();
    }
    let doc = match xml::parse_bytes(&bytes, &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => return Ok((e.code().as_str().to_string(), e.to_string())),
    };
    let trust = match trust_of(dir, case.trust) {
        Ok(t) => t,
        Err(e) if e.starts_with("trust:") => return Ok((e, String::new())),
        Err(e) => return Err(e),
    };
    let policy = dsig::Policy {
        allow_sha1: case.sha1,
        allow_weak_rsa_1024: case.rsa1024,
        allow_der_ecdsa_signature: case.der_ecdsa,
    };
    let element = find_target(&doc, case.target)?;
    if let Target::Message = case.target {
        return Ok(match dsig::verify_message(&doc, &trust, &policy) {
            Err(e) => (e.code().as_str().to_string(), e.to_string()),
            // A consumer reads only covered Assertions; an Assertion no
            // verified signature covers makes the message unusable, as a
            // SAML service provider must treat it.
            Ok(m) if m.assertions().iter().any(|a| !a.is_covered()) => {
                let why: Vec<String> = m.warnings().iter().map(|w| w.message.clone()).collect();
                (
                    MISSING.to_string(),
                    format!("uncovered Assertion: {}", why.join("; ")),
                )
            }
            Ok(m) => {
                let why: Vec<String> = m.warnings().iter().map(|w| w.message.clone()).collect();
                (VALID.to_string(), why.join("; "))
            }
        });
    }
    Ok(match dsig::verify_element(&doc, element, &trust, &policy) {
        Ok(_) => (VALID.to_string(), String::new()),
        Err(e) => (e.code().as_str().to_string(), e.to_string()),
    })
}

/// Runs every case of a suite, prints a line per case, and panics listing all
/// mismatches, stale known disagreements, table errors and unreferenced files.
pub fn run_suite(suite: &str, cases: &[Case], known: &[Known], unused: Unused) {
    let dir = suite_dir(suite);
    let mut failures = Vec::new();
    let mut seen_known = BTreeSet::new();
    let mut names = BTreeSet::new();
    let (mut valid, mut refused, mut disagreements) = (0, 0, 0);
    for case in cases {
        let name = case.name();
        if !names.insert(name.clone()) {
            failures.push(format!("{name}: table error: duplicate row"));
        }
        let time = case
            .time
            .map(|t| format!(" (time not checked: {t})"))
            .unwrap_or_default();
        let (actual, detail) = match run_case(&dir, case) {
            Ok(v) => v,
            Err(e) => {
                println!("{name}: {e}");
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let known_row = known
            .iter()
            .find(|k| k.file == case.file && k.label == case.label);
        if actual == case.expect {
            println!("{name}: expected {}, got {actual}{time}", case.expect);
            if !detail.is_empty() {
                println!("    ({detail})");
            }
            if case.expect == VALID {
                valid += 1;
            } else {
                refused += 1;
            }
            if known_row.is_some() {
                failures.push(format!(
                    "{name}: listed as a known disagreement but now agrees ({actual}): \
                     remove it from the list"
                ));
            }
            continue;
        }
        match known_row {
            Some(k) if k.actual == actual => {
                seen_known.insert(name.clone());
                disagreements += 1;
                println!(
                    "{name}: expected {}, got {actual} -- KNOWN DISAGREEMENT: {}",
                    case.expect, k.diagnosis
                );
                println!("    ({detail})");
            }
            Some(k) => {
                seen_known.insert(name.clone());
                println!("{name}: expected {}, got {actual}", case.expect);
                failures.push(format!(
                    "{name}: expected {}, got {actual} (known disagreement recorded {})",
                    case.expect, k.actual
                ));
            }
            None => {
                println!(
                    "{name}: expected {}, got {actual}  <-- MISMATCH",
                    case.expect
                );
                println!("    ({detail})");
                failures.push(format!(
                    "{name}: expected {}, got {actual} ({})",
                    case.expect, case.why
                ));
            }
        }
    }
    for k in known {
        let name = if k.label.is_empty() {
            k.file.to_string()
        } else {
            format!("{} [{}]", k.file, k.label)
        };
        if !names.contains(&name) {
            failures.push(format!(
                "{name}: known disagreement for a row that does not exist"
            ));
        }
    }
    failures.extend(unreferenced_files(&dir, cases, unused));
    println!(
        "{suite}: {} cases: {valid} VALID as expected, {refused} refused with the expected code, \
         {disagreements} known disagreements, {} failures",
        cases.len(),
        failures.len()
    );
    if !failures.is_empty() {
        let mut msg = format!("{suite}: {} failures:\n", failures.len());
        for f in &failures {
            let _ = writeln!(msg, "  {f}");
        }
        panic!("{msg}");
    }
}

/// Every file in the suite directory must be a vector, a trust anchor of some
/// row, or listed as unused with a reason; a listed file must exist.
fn unreferenced_files(dir: &Path, cases: &[Case], unused: Unused) -> Vec<String> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    for c in cases {
        used.insert(c.file.to_string());
        used.extend(c.trust.iter().map(|t| t.to_string()));
    }
    let mut problems = Vec::new();
    for (f, _) in unused {
        if !dir.join(f).is_file() {
            problems.push(format!("{f}: listed as unused but missing"));
        }
        used.insert(f.to_string());
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            problems.push(format!("cannot list {}", d.display()));
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(dir)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if !used.contains(&rel) {
                problems.push(format!("{rel}: file in the suite but in no row"));
            }
        }
    }
    problems
}

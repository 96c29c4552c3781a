//! `saml-inspect har`: the SAML messages of a browser capture, in order,
//! each inspected, the broken hop named; large captures in bounded memory.

mod bin;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Read;

use saml_inspect::har::{Endpoint, read_har};

// --- a counting allocator, per thread so parallel tests do not disturb it

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

// SAFETY: forwards to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        track(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A HAR capture of `entries` entries, made while it is read: every entry
/// carries a 64 KiB response body, every 100th posts a SAML response.
struct GeneratedHar {
    entries: usize,
    next: usize,
    chunk: Vec<u8>,
    pos: usize,
    done: bool,
    produced: usize,
    saml: String,
    body: String,
}

impl GeneratedHar {
    fn new(entries: usize) -> Self {
        let saml = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/fixtures/response-rsa2048.b64"
        ))
        .unwrap()
        .trim()
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
        GeneratedHar {
            entries,
            next: 0,
            chunk: br#"{"log":{"version":"1.2","creator":{"name":"test"},"entries":["#.to_vec(),
            pos: 0,
            done: false,
            produced: 0,
            saml,
            body: "QUJD".repeat(16 * 1024),
        }
    }

    fn refill(&mut self) {
        self.chunk.clear();
        self.pos = 0;
        if self.next == self.entries {
            if !self.done {
                self.chunk.extend_from_slice(b"]}}");
                self.done = true;
            }
            return;
        }
        let comma = if self.next > 0 { "," } else { "" };
        let post = if self.next % 100 == 50 {
            format!(
                r#","postData":{{"mimeType":"application/x-www-form-urlencoded","text":"SAMLResponse={}&RelayState=x"}}"#,
                self.saml
            )
        } else {
            String::new()
        };
        let url = if post.is_empty() {
            "https://example.com/app.js"
        } else {
            "https://signin.aws.amazon.com/saml"
        };
        let method = if post.is_empty() { "GET" } else { "POST" };
        self.chunk.extend_from_slice(
            format!(
                r#"{comma}{{"startedDateTime":"2026-11-01T12:00:00Z","request":{{"method":"{method}","url":"{url}","headers":[{{"name":"a","value":"b"}}]{post}}},"response":{{"status":200,"content":{{"size":65536,"mimeType":"text/javascript","text":"{}"}}}},"timings":{{"wait":1}}}}"#,
                self.body
            )
            .as_bytes(),
        );
        self.next += 1;
    }
}

impl Read for GeneratedHar {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.chunk.len() {
            self.refill();
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        self.produced += n;
        Ok(n)
    }
}

#[test]
fn a_50_mb_capture_is_read_in_bounded_memory() {
    let entries = 800; // 800 x 64 KiB bodies: 52 MB of JSON
    let mut har = GeneratedHar::new(entries);
    let before = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let capture = read_har(&mut har).unwrap();
    let peak = PEAK.with(Cell::get) - before;
    let total = har.produced;
    assert!(total > 50_000_000, "{total}");
    assert_eq!(capture.entries, entries);
    assert_eq!(capture.messages.len(), entries / 100);
    assert!(
        capture
            .messages
            .iter()
            .all(|m| m.endpoint == Endpoint::AwsSignIn)
    );
    eprintln!("read {total} bytes, peak allocation {peak} bytes");
    // The generator's own 64 KiB chunk and the parser's buffers, not 50 MB.
    assert!(
        peak < 2_000_000,
        "peak {peak} bytes for a {total}-byte capture"
    );
}

fn cli(args: &[&str]) -> (i32, String) {
    let out = bin::run(args);
    (out.status.code().unwrap(), bin::all_output(&out))
}

const TRUST: [&str; 4] = [
    "--cert",
    "testdata/fixtures/rsa2048.cert.pem",
    "--cert",
    "testdata/fixtures/rsa3072.cert.pem",
];

fn har_json(file: &str) -> (i32, serde_json::Value) {
    let mut args = vec!["--format", "json", "har"];
    args.extend(TRUST);
    args.push(file);
    let (rc, out) = cli(&args);
    (
        rc,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}")),
    )
}

/// (endpoint, parameter, has errors) per message.
fn hops(v: &serde_json::Value) -> Vec<(String, String, bool)> {
    v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let errors = m["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["severity"] == "error");
            (
                m["endpoint"].as_str().unwrap().to_string(),
                m["parameter"].as_str().unwrap().to_string(),
                errors,
            )
        })
        .collect()
}

fn hop(endpoint: &str, parameter: &str, broken: bool) -> (String, String, bool) {
    (endpoint.into(), parameter.into(), broken)
}

#[test]
fn the_chain_capture_lists_every_message_in_order() {
    let (rc, v) = har_json("testdata/har/chain-ok.har");
    assert_eq!(rc, 0, "{v}");
    assert_eq!(v["entries"], 7);
    assert_eq!(
        hops(&v),
        [
            hop("entra", "SAMLRequest", false),
            hop("identity_center", "SAMLResponse", false),
            hop("aws_sign_in", "SAMLResponse", false),
        ]
    );
    let aws = &v["messages"][2];
    assert_eq!(
        aws["relay_state"],
        "https://eu-central-1.console.aws.amazon.com/connect/federate/6c1e2f3a-4b5c-4d6e-8f70-91a2b3c4d5e6?destination=%2Fccp-v2"
    );
    assert_eq!(aws["message"], "Response");
    assert_eq!(v["messages"][0]["message"], "AuthnRequest");
    assert_eq!(v["messages"][0]["kind"], "query");
}

#[test]
fn a_tampered_response_to_aws_sign_in_is_the_broken_hop() {
    let (rc, v) = har_json("testdata/har/chain-aws-response-tampered.har");
    assert_eq!(rc, 1);
    assert_eq!(
        hops(&v),
        [
            hop("entra", "SAMLRequest", false),
            hop("identity_center", "SAMLResponse", false),
            hop("aws_sign_in", "SAMLResponse", true),
        ]
    );
    let codes: Vec<&str> = v["messages"][2]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"signature.digest_mismatch"), "{codes:?}");

    let mut args = vec!["har"];
    args.extend(TRUST);
    args.push("testdata/har/chain-aws-response-tampered.har");
    let (rc, text) = cli(&args);
    assert_eq!(rc, 1);
    assert!(text.starts_with("INVALID"), "{text}");
    assert!(
        text.contains("3  POST SAMLResponse to AWS sign-in (broken)"),
        "{text}"
    );
    assert!(
        text.contains("2  POST SAMLResponse to IAM Identity Center (ok)"),
        "{text}"
    );
}

#[test]
fn an_entra_response_not_signed_by_a_trusted_key_breaks_the_identity_center_hop() {
    let (rc, v) = har_json("testdata/har/chain-entra-untrusted-signer.har");
    assert_eq!(rc, 1);
    assert_eq!(
        hops(&v),
        [
            hop("entra", "SAMLRequest", false),
            hop("identity_center", "SAMLResponse", true),
            hop("aws_sign_in", "SAMLResponse", false),
        ]
    );
    assert!(
        v["messages"][1]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "error"
                && f["code"].as_str().unwrap().starts_with("signature."))
    );
}

#[test]
fn redacted_har_reports_hide_tenant_user_and_instance() {
    for format in ["text", "json"] {
        let (rc, out) = cli(&[
            "--redact",
            "--format",
            format,
            "har",
            "testdata/har/chain-ok.har",
        ]);
        assert_eq!(rc, 0);
        for secret in [
            "8256aa56-5196-41e1-afa0-a52d35c98bf9",
            "alice.example@contoso.com",
            "Alice Example",
            "6c1e2f3a-4b5c-4d6e-8f70-91a2b3c4d5e6",
            "123456789012",
            "MIIDEzCCAfugAwIBAgIQO20fDpwqTlex9aLD1OUQATANBgkqhkiG9w0BAQsFADA0",
        ] {
            assert!(!out.contains(secret), "{format} leaks {secret}");
        }
        assert!(out.contains("guid-"), "{out}");
    }
}

#[test]
fn bad_captures_are_refused_with_the_reason() {
    let (rc, out) = cli(&["har", "testdata/fixtures/response-rsa2048.xml"]);
    assert_eq!(rc, 2);
    assert!(out.contains("not a HAR capture"), "{out}");
    let (rc, out) = cli(&["har", "testdata/aws/trust-policy.json"]);
    assert_eq!(rc, 2);
    assert!(out.contains("not a HAR capture"), "{out}");
}

/// The artefacts of the chain example in testdata/flow, as `har` options.
const FLOW: [&str; 16] = [
    "--azure-metadata",
    "testdata/flow/entra-metadata.xml",
    "--sso-sp-metadata",
    "testdata/flow/sso-sp-metadata.xml",
    "--sso-app-metadata",
    "testdata/flow/sso-app-metadata.xml",
    "--iam-provider-metadata",
    "testdata/flow/iam-provider-metadata.xml",
    "--provider-arn",
    "arn:aws:iam::444455556666:saml-provider/IdentityCenterConnect",
    "--trust-policy",
    "testdata/flow/trust-policy.json",
    "--permissions-policy",
    "testdata/flow/permissions-policy.json",
    "--connect-users",
    "testdata/flow/connect-users.json",
];

fn flow_json(file: &str) -> (i32, serde_json::Value) {
    let mut args = vec!["--format", "json", "har"];
    args.extend(FLOW);
    args.push(file);
    let (rc, out) = cli(&args);
    (
        rc,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}")),
    )
}

/// (hop number, code of its first error) of every failing hop.
fn failed_hops(v: &serde_json::Value) -> Vec<(usize, String)> {
    v["hops"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, h)| h["status"] == "fail")
        .map(|(n, h)| {
            let code = h["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["severity"] == "error")
                .map(|f| f["code"].as_str().unwrap().to_string())
                .unwrap_or_default();
            (n + 1, code)
        })
        .collect()
}

#[test]
fn the_chain_check_runs_on_the_response_posted_to_aws_sign_in() {
    let (rc, v) = flow_json("testdata/har/flow-chain-ok.har");
    assert_eq!(rc, 0, "{v}");
    assert_eq!(v["verdict"], "pass");
    assert_eq!(v["hops"].as_array().unwrap().len(), 6);
    assert!(failed_hops(&v).is_empty());
    // Checked when the capture recorded the POST, not today.
    assert_eq!(v["chain"]["entry"], 4);
    assert!(
        v["chain"]["checked_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-02T09:00:50")
    );
}

#[test]
fn broken_captures_name_the_broken_hop() {
    for (file, hop, code) in [
        (
            "flow-chain-signed-with-new-cert.har",
            3,
            "flow.signing_cert_not_in_metadata",
        ),
        ("flow-chain-other-account.har", 4, "flow.account_mismatch"),
        (
            "flow-chain-relay-state-other-region.har",
            5,
            "flow.region_mismatch",
        ),
    ] {
        let path = format!("testdata/har/{file}");
        let (rc, v) = flow_json(&path);
        assert_eq!(rc, 1, "{file}");
        assert_eq!(v["verdict"], "fail", "{file}");
        assert_eq!(failed_hops(&v), [(hop, code.to_string())], "{file}");

        let mut args = vec!["har"];
        args.extend(FLOW);
        args.push(&path);
        let (_, text) = cli(&args);
        assert!(text.starts_with("INVALID"), "{text}");
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("  hop {hop} ")))
            .unwrap();
        assert!(line.ends_with("FAIL"), "{file}: {line}");
        assert!(text.contains(code), "{file}");
    }
}

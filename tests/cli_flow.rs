//! `saml-inspect flow`: exit codes, the text report read top-down (verdict,
//! then each hop with its status, facts, findings and fix), and the JSON shape.

mod bin;

use bin::run;
use std::process::Output;

use serde_json::Value;

const PROVIDER_ARN: &str = "arn:aws:iam::444455556666:saml-provider/IdentityCenterConnect";
const NOW: &str = "2026-11-02T09:00:30Z";

/// The quick-start arguments with `replace` swapped in for one option's file.
fn example(replace: Option<(&str, &str)>) -> Vec<String> {
    let mut args = vec!["flow".to_string()];
    for (option, file) in [
        ("--response", "response.txt"),
        ("--azure-metadata", "entra-metadata.xml"),
        ("--sso-sp-metadata", "sso-sp-metadata.xml"),
        ("--sso-app-metadata", "sso-app-metadata.xml"),
        ("--iam-provider-metadata", "iam-provider-metadata.xml"),
        ("--trust-policy", "trust-policy.json"),
        ("--permissions-policy", "permissions-policy.json"),
        ("--connect-users", "connect-users.json"),
    ] {
        let file = match replace {
            Some((o, f)) if o == option => f,
            _ => file,
        };
        args.push(option.into());
        args.push(format!("testdata/flow/{file}"));
    }
    args.extend(["--provider-arn", PROVIDER_ARN, "--now", NOW].map(String::from));
    args
}

fn run_example(replace: Option<(&str, &str)>, extra: &[&str]) -> Output {
    let mut args = example(replace);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&refs)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text report of the example with one file replaced; it must exit 1.
fn fails(option: &str, file: &str) -> String {
    let out = run_example(Some((option, file)), &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    text
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn the_example_passes_and_reads_top_down() {
    let out = run_example(None, &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("PASS  federation chain: all 6 hops pass\n"),
        "{text}"
    );
    // The hops in chain order, each with its status.
    let mut at = 0;
    for title in [
        "1. Entra ID / Identity Center  PASS",
        "2. Identity Center application / IAM SAML provider  PASS",
        "3. SAML response / IAM SAML provider  PASS",
        "4. Role pair / role and trust policy  PASS",
        "5. relay state / Connect instance / permissions policy  PASS",
        "6. session name / Connect user  PASS",
    ] {
        let pos = text[at..]
            .find(title)
            .unwrap_or_else(|| panic!("{title} missing or out of order:\n{text}"));
        at += pos + title.len();
    }
    assert!(text.contains("Connect user          agent.alice@example.com (exact match)"));
    assert!(!text.contains("what to do"));
}

#[test]
fn a_broken_hop_fails_with_its_code_and_fix() {
    let text = fails("--trust-policy", "broken/trust-policy-audience-urn.json");
    assert!(
        text.starts_with(
            "FAIL  federation chain: broken at hop 4 (Role pair / role and trust policy)\n"
        ),
        "{text}"
    );
    let hop4 = &text[text.find("4. Role pair").unwrap()..text.find("5. relay state").unwrap()];
    assert!(
        hop4.contains("4. Role pair / role and trust policy  FAIL"),
        "{hop4}"
    );
    assert!(
        hop4.contains("error   iam.trust.audience_mismatch"),
        "{hop4}"
    );
    assert!(hop4.contains("what to do: "), "{hop4}");
    assert!(hop4.contains("SAML:aud"), "{hop4}");
    // The other hops still pass.
    assert!(text.contains("3. SAML response / IAM SAML provider  PASS"));
}

#[test]
fn the_rollover_shows_expected_and_found_thumbprints() {
    let text = fails("--response", "broken/response-signed-with-new-cert.txt");
    assert!(text.contains("flow.signing_cert_not_in_metadata"), "{text}");
    assert!(text.contains("expected: 1C:12:9F:FE"), "{text}");
    assert!(text.contains("found:    B4:CC:47:85"), "{text}");
}

#[test]
fn missing_inputs_are_not_checked_and_exit_zero() {
    let out = run(&[
        "flow",
        "--response",
        "testdata/flow/response.txt",
        "--now",
        NOW,
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.starts_with("INCOMPLETE  federation chain: "), "{text}");
    assert!(
        text.contains("1. Entra ID / Identity Center  NOT CHECKED"),
        "{text}"
    );
    assert!(text.contains("not checked: the role's trust policy (needs --trust-policy)"));
    // Nothing at all: every hop not checked.
    let out = run(&["flow", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["verdict"], "incomplete");
    assert!(
        items(&v["hops"])
            .iter()
            .all(|h| h["status"] == "not_checked")
    );
}

#[test]
fn json_has_verdict_hops_and_all_findings() {
    let out = run_example(
        Some(("--connect-users", "broken/connect-users-case.json")),
        &["--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["verdict"], "fail");
    let hops = v["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 6);
    for (i, hop) in hops.iter().enumerate() {
        assert_eq!(hop["number"], i + 1);
        assert!(hop["name"].is_string() && hop["findings"].is_array());
    }
    assert_eq!(hops[5]["id"], "session_user");
    assert_eq!(hops[5]["status"], "fail");
    assert_eq!(hops[5]["findings"][0]["code"], "connect.user.not_found");
    assert_eq!(hops[5]["findings"][0]["found"], "Agent.Alice@example.com");
    assert!(
        hops[5]["fix"]
            .as_str()
            .unwrap()
            .contains("Create the Connect user")
    );
    assert!(hops[0..5].iter().all(|h| h["status"] == "pass"));
    // `findings` holds every hop's findings.
    let total: usize = hops
        .iter()
        .map(|h| h["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(v["findings"].as_array().unwrap().len(), total);
    assert!(
        items(&v["findings"])
            .iter()
            .any(|f| f["code"] == "connect.user.not_found")
    );
}

fn items(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}"))
}

fn hop5_has(v: &Value, code: &str) -> bool {
    items(&v["hops"][4]["findings"])
        .iter()
        .any(|f| f["code"] == code)
}

#[test]
fn relay_state_from_a_value_or_a_file() {
    let url = "https://eu-west-2.console.aws.amazon.com/connect/federate/9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a";
    let out = run_example(None, &["--relay-state", url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(hop5_has(&json(&out), "flow.instance_mismatch"));
    // A file holding the URL.
    let dir = std::env::temp_dir().join(format!("saml-inspect-flow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("relay-state.txt");
    std::fs::write(&file, format!("{url}\n")).unwrap();
    let out = run_example(
        None,
        &["--relay-state", file.to_str().unwrap(), "--format", "json"],
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(hop5_has(&json(&out), "flow.instance_mismatch"));
}

#[test]
fn usage_and_io_problems_exit_two() {
    let out = run(&["flow", "--response", "testdata/flow/no-such-file.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.txt"));
    let out = run(&["flow", "--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[
        "flow",
        "--format",
        "json",
        "--trust-policy",
        "testdata/flow/missing.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        json(&out)["error"]
            .as_str()
            .unwrap()
            .contains("missing.json")
    );
}

/// An encrypted response: without the key the chain check says it cannot
/// read the assertion and asks for the key; with it, the Role pair and
/// RoleSessionName are read from the decrypted assertion and its clock is
/// checked; with the wrong key, hop 3 fails with the generic error.
#[test]
fn encrypted_response_needs_and_uses_the_decryption_key() {
    let base = [
        "flow",
        "--response",
        "testdata/encrypted/oaep-mgf1p-aes256-gcm.xml",
        "--format",
        "json",
    ];
    let hop3_codes = |extra: &[&str], at: &str| {
        let mut args = base.to_vec();
        args.extend(["--now", at]);
        args.extend(extra);
        let report = json(&run(&args));
        let hop3 = &report["hops"][2];
        let codes: Vec<String> = hop3["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        (report, codes)
    };
    let key = [
        "--decrypt-key",
        "testdata/encrypted/keys/sp-encryption.key.pem",
    ];

    let (report, codes) = hop3_codes(&[], "2026-11-01T12:01:00Z");
    assert_eq!(codes, ["xmlenc.no_key"], "{report}");
    assert_eq!(report["hops"][3]["status"], "not_checked", "{report}");
    assert!(
        report["hops"][2]["not_checked"]
            .to_string()
            .contains("--decrypt-key")
    );

    let (report, codes) = hop3_codes(&key, "2026-11-01T12:01:00Z");
    assert!(codes.is_empty(), "{report}");
    let role_hop = report["hops"][3].to_string();
    assert!(
        role_hop.contains("arn:aws:iam::123456789012:role/amazon-connect-federation-role"),
        "{role_hop}"
    );
    assert_eq!(report["hops"][5]["status"], "pass", "{report}");

    let (report, codes) = hop3_codes(&key, "2026-11-02T09:00:30Z");
    assert!(codes.contains(&"saml.expired".to_string()), "{report}");
    assert_eq!(report["hops"][2]["status"], "fail");

    let other = ["--decrypt-key", "testdata/encrypted/keys/sp-other.key.pem"];
    let (report, codes) = hop3_codes(&other, "2026-11-01T12:01:00Z");
    assert_eq!(codes, ["xmlenc.decrypt_failed"], "{report}");
    assert_eq!(report["hops"][2]["status"], "fail");
}

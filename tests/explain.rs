//! The explanation catalogue covers every code, and `saml-inspect explain` shows it.

mod bin;

use saml_inspect::Code;
use saml_inspect::explain::{docs, explain};

/// Families whose rules AWS or Microsoft document: each of their codes links a page.
const DOCUMENTED_FAMILIES: &[&str] = &["aws", "connect", "iam", "flow", "metadata", "cert"];

#[test]
fn every_code_has_a_cause_a_fix_and_a_doc_where_one_applies() {
    for &code in Code::ALL {
        let e = explain(code);
        assert_eq!(e.code, code);
        assert!(e.cause.len() > 20, "{code}: cause too short: {:?}", e.cause);
        assert!(e.fix.len() > 10, "{code}: fix too short: {:?}", e.fix);
        assert_ne!(e.cause, e.fix, "{code}");
        let family = code.as_str().split('.').next().unwrap();
        if DOCUMENTED_FAMILIES.contains(&family) {
            assert!(e.doc.is_some(), "{code} has no documentation link");
        }
        if let Some(doc) = e.doc {
            assert!(
                docs::ALL.contains(&doc),
                "{code} links a page outside the docs table"
            );
        }
    }
}

#[test]
fn documentation_links_are_aws_or_microsoft_pages() {
    for doc in docs::ALL {
        assert!(
            doc.url.starts_with("https://docs.aws.amazon.com/")
                || doc
                    .url
                    .starts_with("https://learn.microsoft.com/en-us/entra/"),
            "{}",
            doc.url
        );
        assert!(!doc.url.contains(char::is_whitespace), "{}", doc.url);
        assert!(!doc.title.is_empty());
    }
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = bin::run(args);
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn explain_prints_cause_fix_and_page() {
    let (rc, out, _) = cli(&["explain", "signature.invalid"]);
    assert_eq!(rc, 0);
    let e = explain(Code::SignatureInvalid);
    assert!(out.contains(e.cause), "{out}");
    assert!(out.contains(e.fix), "{out}");
    assert!(out.contains(e.doc.unwrap().url), "{out}");
}

#[test]
fn explain_json_has_the_same_content() {
    let (rc, out, _) = cli(&["--format", "json", "explain", "connect.user.not_found"]);
    assert_eq!(rc, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let e = explain(Code::ConnectUserNotFound);
    assert_eq!(v["code"], "connect.user.not_found");
    assert_eq!(v["fix"], e.fix);
    assert_eq!(v["doc"]["url"], e.doc.unwrap().url);
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn unknown_code_lists_near_matches_and_exits_2() {
    let (rc, out, err) = cli(&["explain", "signature.digest_mismach"]);
    assert_eq!(rc, 2);
    assert!(out.is_empty());
    assert!(err.contains("signature.digest_mismatch"), "{err}");
    let (rc, out, _) = cli(&["--format", "json", "explain", "aws.role.mising"]);
    assert_eq!(rc, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["suggestions"][0], "aws.role.missing");
}

#[test]
fn list_names_every_code() {
    for args in [&["explain"][..], &["explain", "--list"][..]] {
        let (rc, out, _) = cli(args);
        assert_eq!(rc, 0);
        for code in Code::ALL {
            assert!(
                out.lines().any(|l| l.starts_with(&format!("{code} "))),
                "{code} missing from the list"
            );
        }
    }
}

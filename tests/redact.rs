//! `--redact`: no personal value of the input survives in any command's output.

mod bin;

/// Personal values in `text`: e-mail addresses, GUIDs, 12-digit account
/// numbers, NameIDs, personal attribute values and certificates.
fn personal_values(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.@".contains(c))) {
        let word = word.trim_matches(['.', '-', '_']);
        let guid = word.len() == 36 && word.matches('-').count() == 4;
        let account = word.len() == 12 && word.bytes().all(|b| b.is_ascii_digit());
        let email = word.contains('@') && word.contains('.');
        if guid || account || email {
            values.push(word.to_string());
        }
    }
    let limits = saml_inspect::xml::Limits::default();
    if let Ok(doc) = saml_inspect::xml::parse(text.trim_start_matches('\u{feff}'), &limits) {
        for n in doc.tree().descendants().filter(|n| n.is_element()) {
            let take = match n.tag_name().name() {
                "NameID" | "X509Certificate" => true,
                "AttributeValue" => personal_attr_of(n),
                _ => false,
            };
            if take && let Some(t) = n.text() {
                let t: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
                if t.len() >= 3 {
                    // Certificates: any 60-character slice would give them away.
                    values.push(if t.len() > 200 {
                        t[100..160].to_string()
                    } else {
                        t
                    });
                }
            }
        }
    }
    values.sort();
    values.dedup();
    values
}

fn personal_attr_of(value: saml_inspect::xml::Node) -> bool {
    value
        .parent()
        .and_then(|a| a.attribute("Name"))
        .is_some_and(|a| {
            [
                "displayname",
                "givenname",
                "surname",
                "RoleSessionName",
                "/name",
                "emailaddress",
            ]
            .iter()
            .any(|k| a.ends_with(k))
        })
}

fn run(args: &[&str]) -> String {
    bin::all_output(&bin::run(args))
}

/// Runs `args` with --redact in both formats; none of `secrets` may appear.
fn assert_redacted(args: &[&str], secrets: &[String]) {
    assert!(!secrets.is_empty(), "{args:?}: nothing to look for");
    for format in ["text", "json"] {
        let mut full = vec!["--redact", "--format", format];
        full.extend_from_slice(args);
        let out = run(&full);
        assert!(out.len() > 50, "{full:?} printed almost nothing: {out}");
        for s in secrets {
            assert!(!out.contains(s.as_str()), "{full:?} leaks {s:?}:\n{out}");
            if s.contains(['@', '-']) || s.bytes().all(|b| b.is_ascii_digit()) {
                let lower = s.to_ascii_lowercase();
                assert!(
                    !out.to_ascii_lowercase().contains(&lower),
                    "{full:?} leaks {s:?}"
                );
            }
        }
    }
}

fn secrets_of(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap();
    personal_values(&text)
}

#[test]
fn responses_with_nameids_names_tenants_and_accounts() {
    for path in [
        "testdata/fixtures/response-rsa2048.xml",
        "testdata/real-world/saml2aws-aad-SAMLResponse-role-first.xml",
        "testdata/real-world/saml2aws-adfs-response-provider-first.xml",
        "testdata/real-world/aad-saml2-assertion-signed-2017.xml",
    ] {
        let secrets = secrets_of(path);
        assert!(secrets.len() >= 3, "{path}: {secrets:?}");
        for cmd in ["decode", "inspect", "verify", "c14n"] {
            assert_redacted(&[cmd, path], &secrets);
        }
    }
    // Base64 input: the values are learned from the decoded message.
    let secrets = secrets_of("testdata/fixtures/response-rsa2048.xml");
    assert_redacted(
        &["inspect", "testdata/fixtures/response-rsa2048.b64"],
        &secrets,
    );
}

#[test]
fn the_redacted_report_keeps_equal_values_equal() {
    let out = run(&[
        "--redact",
        "inspect",
        "testdata/fixtures/response-rsa2048.xml",
    ]);
    assert!(
        out.contains("NameID         user-1@example.invalid"),
        "{out}"
    );
    assert!(
        out.contains("RoleSessionName  user-1@example.invalid"),
        "{out}"
    );
    assert!(out.contains("arn:aws:iam::account-1:role/"), "{out}");
    assert!(out.contains("https://sts.windows.net/guid-"), "{out}");
}

#[test]
fn metadata_and_certificates() {
    for path in [
        "testdata/metadata/entra-app-rollover-signed.xml",
        "testdata/metadata/aad-common-federationmetadata-2017-signed-bom.xml",
        "testdata/metadata/idc-app-idp-metadata.xml",
    ] {
        let secrets = secrets_of(path);
        assert_redacted(&["metadata", path], &secrets);
        assert_redacted(&["cert", path], &secrets);
    }
    // IAM Identity Center IDs carry the account number in base64.
    let out = run(&[
        "--redact",
        "metadata",
        "testdata/metadata/idc-app-idp-metadata.xml",
    ]);
    assert!(
        !out.contains("MTExMTIyMjIzMzMzX2lucy0wMTIzNDU2Nzg5YWJjZGVm"),
        "{out}"
    );
    let pem = secrets_of("testdata/fixtures/rsa2048.cert.pem");
    let body: Vec<String> = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fixtures/rsa2048.cert.pem"),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.starts_with("-----"))
    .map(str::to_string)
    .collect();
    assert!(pem.is_empty() && body.len() > 5);
    assert_redacted(
        &["decode", "testdata/fixtures/response-rsa2048.xml"],
        &body[1..4],
    );
}

#[test]
fn aws_policies_relay_states_and_roles() {
    for path in [
        "testdata/aws/trust-policy.json",
        "testdata/aws/permissions-policy.json",
        "testdata/aws/get-role-urlencoded.json",
    ] {
        assert_redacted(&["aws", "policy", path], &secrets_of(path));
    }
    let relay = "https://us-west-2.console.aws.amazon.com/connect/federate/6c1e2f3a-4b5c-4d6e-8f70-91a2b3c4d5e6?destination=%2Fccp-v2";
    assert_redacted(
        &["aws", "relay-state", relay],
        &["6c1e2f3a-4b5c-4d6e-8f70-91a2b3c4d5e6".to_string()],
    );
    let role = "arn:aws:iam::210987654321:role/connect,arn:aws:iam::210987654321:saml-provider/IdC";
    assert_redacted(&["aws", "role", role], &["210987654321".to_string()]);
}

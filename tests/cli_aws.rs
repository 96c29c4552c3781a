//! The `aws role`, `aws relay-state` and `aws policy` commands: exit codes,
//! the key lines of the text output and the fields of the JSON output.

mod bin;

use bin::{run, run_stdin};
use std::process::Output;

use serde_json::Value;

const PROVIDER: &str = "arn:aws:iam::123456789012:saml-provider/AzureAD";
const ROLE: &str = "arn:aws:iam::123456789012:role/amazon-connect-federation-role";
const INSTANCE_ARN: &str =
    "arn:aws:connect:eu-west-2:123456789012:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const RELAY_STATE: &str = "https://us-east-1.console.aws.amazon.com/connect/federate/0f5a7c3e-1b2d-4c5e-8f90-123456789abc?destination=%2Fccp-v2";

/// Runs with `--format json` and returns the exit code and the one JSON object.
fn run_json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code(), json)
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn codes(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn fixture_value(provider_first: bool) -> String {
    if provider_first {
        format!("{PROVIDER},{ROLE}")
    } else {
        format!("{ROLE},{PROVIDER}")
    }
}

// ---------------------------------------------------------------- aws role

#[test]
fn fixture_role_value_passes_in_both_orders() {
    for (provider_first, order) in [(true, "provider first"), (false, "role first")] {
        let value = fixture_value(provider_first);
        let out = run(&["aws", "role", &value]);
        assert_eq!(out.status.code(), Some(0), "{value}");
        let t = text(&out);
        assert!(
            t.starts_with("OK  Role attribute: 0 errors, 0 warnings"),
            "{t}"
        );
        assert!(t.contains(&format!("  role       {ROLE}\n")), "{t}");
        assert!(t.contains(&format!("  provider   {PROVIDER}\n")), "{t}");
        assert!(t.contains(&format!("  order      {order}\n")), "{t}");
        assert!(t.contains("  account    123456789012\n"), "{t}");
        assert!(t.contains("  partition  aws\n"), "{t}");
        assert!(!t.contains("Findings"), "{t}");
    }
}

#[test]
fn role_json_has_the_typed_pair() {
    let (code, json) = run_json(&["aws", "role", &fixture_value(true)]);
    assert_eq!(code, Some(0));
    assert_eq!(
        json["attribute"],
        "https://aws.amazon.com/SAML/Attributes/Role"
    );
    let pair = &json["pairs"][0];
    assert_eq!(pair["role"], ROLE);
    assert_eq!(pair["role_name"], "amazon-connect-federation-role");
    assert_eq!(pair["provider"], PROVIDER);
    assert_eq!(pair["provider_name"], "AzureAD");
    assert_eq!(pair["order"], "provider_first");
    assert_eq!(pair["account"], "123456789012");
    assert_eq!(pair["partition"], "aws");
    assert_eq!(pair["value_index"], 0);
    assert_eq!(json["findings"], serde_json::json!([]));

    let (_, json) = run_json(&["aws", "role", &fixture_value(false)]);
    assert_eq!(json["pairs"][0]["order"], "role_first");
}

#[test]
fn broken_role_values_exit_1_with_their_code() {
    let cases = [
        (
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef,arn:aws:iam::123456789012:saml-provider/AzureAD",
            "aws.role.reserved_sso_role",
        ),
        (
            "arn:aws:iam::123456789012:role/amazon-connect-federation-role",
            "aws.role.malformed",
        ),
        (
            "arn:aws:iam::123456789012:role/a,arn:aws:iam::123456789012:role/b",
            "aws.role.malformed",
        ),
        (
            "arn:aws-us-gov:iam::123456789012:role/a,arn:aws:iam::123456789012:saml-provider/AzureAD",
            "aws.role.partition_mismatch",
        ),
    ];
    for (value, code) in cases {
        let (exit, json) = run_json(&["aws", "role", value]);
        assert_eq!(exit, Some(1), "{value}: {json}");
        assert_eq!(codes(&json), vec![code], "{value}");
        assert_eq!(json["findings"][0]["severity"], "error");
        assert_eq!(json["pairs"], serde_json::json!([]), "{value}");

        let out = run(&["aws", "role", value]);
        assert_eq!(out.status.code(), Some(1));
        let t = text(&out);
        assert!(t.starts_with("INVALID  Role attribute: 1 error"), "{t}");
        assert!(t.contains(&format!("error   {code}  ")), "{t}");
        assert!(t.contains("usable  no"), "{t}");
    }
}

#[test]
fn swapped_accounts_are_reported_with_both_accounts() {
    // The role and the provider come from different accounts. The library
    // reports this as a warning (rule 32 is a consistency check AWS does not
    // document), so the value stays usable and the exit code is 0.
    let value = "arn:aws:iam::210987654321:saml-provider/AzureAD,arn:aws:iam::123456789012:role/amazon-connect-federation-role";
    let (exit, json) = run_json(&["aws", "role", value]);
    assert_eq!(codes(&json), vec!["aws.role.account_mismatch"]);
    let finding = &json["findings"][0];
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["expected"], "123456789012");
    assert_eq!(finding["found"], "210987654321");
    assert_eq!(exit, Some(0));
    assert_eq!(json["pairs"][0]["provider_account"], "210987654321");

    let t = text(&run(&["aws", "role", value]));
    assert!(
        t.contains("account    123456789012 (role), 210987654321 (provider)"),
        "{t}"
    );
    assert!(t.contains("warning aws.role.account_mismatch"), "{t}");
}

#[test]
fn several_values_are_checked_one_by_one() {
    let good = fixture_value(true);
    let (exit, json) = run_json(&["aws", "role", &good, "not-an-arn", &fixture_value(false)]);
    assert_eq!(exit, Some(1));
    // The malformed value, then the repeat of the first pair in the other order.
    assert_eq!(
        codes(&json),
        vec!["aws.role.malformed", "aws.role.duplicate"]
    );
    assert_eq!(json["pairs"].as_array().unwrap().len(), 1);
    assert_eq!(json["values"].as_array().unwrap().len(), 3);
    let t = text(&run(&["aws", "role", &good, "not-an-arn"]));
    assert!(t.contains("Role value 1\n"), "{t}");
    assert!(t.contains("Role value 2\n  value   not-an-arn\n"), "{t}");
}

#[test]
fn control_characters_in_values_are_shown_escaped() {
    // An escape sequence in a value must not reach the terminal as one.
    let value = "arn:aws:iam::123456789012:role/a\u{1b}[2J";
    let out = run(&["aws", "role", value]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(!t.contains('\u{1b}'), "{t:?}");
    assert!(
        t.contains("  value   arn:aws:iam::123456789012:role/a\\u{1b}[2J\n"),
        "{t}"
    );
}

#[test]
fn attribute_name_near_misses_are_named() {
    let value = fixture_value(true);
    for name in [
        "https://aws.amazon.com/SAML/Attributes/role",
        "http://aws.amazon.com/SAML/Attributes/Role",
        "https://aws.amazon.com/SAML/Attributes/Role/",
    ] {
        let (exit, json) = run_json(&["aws", "role", "--name", name, &value]);
        assert_eq!(exit, Some(1), "{name}");
        assert_eq!(codes(&json), vec!["aws.role.name_case"], "{name}");
        assert_eq!(
            json["findings"][0]["expected"],
            "https://aws.amazon.com/SAML/Attributes/Role"
        );
        assert_eq!(json["findings"][0]["found"], name);
        assert_eq!(json["attribute"], name);
    }
    let (exit, json) = run_json(&[
        "aws",
        "role",
        "--name",
        "https://aws.amazon.com/SAML/Attributes/Role",
        &value,
    ]);
    assert_eq!(exit, Some(0));
    assert_eq!(codes(&json), Vec::<String>::new());
}

#[test]
fn role_without_values_is_a_usage_error() {
    let out = run(&["aws", "role"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("VALUE"));
}

// ---------------------------------------------------------------- aws relay-state

#[test]
fn valid_relay_state_is_taken_apart() {
    let out = run(&["aws", "relay-state", RELAY_STATE]);
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out);
    assert!(
        t.starts_with("OK  Connect relay state: 0 errors, 0 warnings"),
        "{t}"
    );
    for line in [
        "  host         us-east-1.console.aws.amazon.com\n",
        "  region       us-east-1\n",
        "  partition    aws\n",
        "  instance id  0f5a7c3e-1b2d-4c5e-8f90-123456789abc\n",
        "  destination  /ccp-v2\n",
        "  new_domain   no\n",
        "  length       116 bytes\n",
    ] {
        assert!(t.contains(line), "missing {line:?} in\n{t}");
    }
    // Over the 80 bytes of the SAML bindings: noted, not an error.
    assert!(t.contains("info    connect.relay_state.long"), "{t}");

    let (exit, json) = run_json(&["aws", "relay-state", RELAY_STATE]);
    assert_eq!(exit, Some(0));
    let rs = &json["relay_state"];
    assert_eq!(rs["host"], "us-east-1.console.aws.amazon.com");
    assert_eq!(rs["region"], "us-east-1");
    assert_eq!(rs["partition"], "aws");
    assert_eq!(rs["instance_id"], "0f5a7c3e-1b2d-4c5e-8f90-123456789abc");
    assert_eq!(rs["destination"], "/ccp-v2");
    assert_eq!(rs["new_domain"], false);
    assert_eq!(rs["vdi_platform"], Value::Null);
    assert_eq!(rs["byte_len"], 116);
    assert_eq!(codes(&json), vec!["connect.relay_state.long"]);
}

#[test]
fn relay_state_with_new_domain_and_vdi_platform() {
    let url = "https://eu-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?destination=%2Fagent-app-v2?VDIPlatform=AWS_WORKSPACE&new_domain=true";
    let (exit, json) = run_json(&["aws", "relay-state", url]);
    let rs = &json["relay_state"];
    assert_eq!(rs["region"], "eu-west-2", "{json}");
    assert_eq!(rs["new_domain"], true);
    assert_eq!(rs["vdi_platform"], "AWS_WORKSPACE", "{json}");
    assert_eq!(exit, Some(0), "{json}");
    let t = text(&run(&["aws", "relay-state", url]));
    assert!(t.contains("  VDI platform  AWS_WORKSPACE\n"), "{t}");
    assert!(t.contains("  new_domain    yes\n"), "{t}");
}

#[test]
fn broken_relay_states_exit_1_and_say_why() {
    let cases = [
        (
            "https://us-east-1.console.aws.amazon.com/connect/federate/0F5A7C3E-1B2D-4C5E-8F90-123456789ABC",
            "must be lower-case",
        ),
        (
            "https://attacker.example.com/connect/federate/0f5a7c3e-1b2d-4c5e-8f90-123456789abc",
            "the host 'attacker.example.com'",
        ),
    ];
    for (url, why) in cases {
        let (exit, json) = run_json(&["aws", "relay-state", url]);
        assert_eq!(exit, Some(1), "{url}");
        assert_eq!(json["relay_state"], Value::Null);
        let invalid: Vec<&Value> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "connect.relay_state.invalid")
            .collect();
        assert_eq!(invalid.len(), 1, "{json}");
        assert!(
            invalid[0]["message"].as_str().unwrap().contains(why),
            "{json}"
        );

        let out = run(&["aws", "relay-state", url]);
        assert_eq!(out.status.code(), Some(1));
        let t = text(&out);
        assert!(
            t.starts_with("INVALID  Connect relay state: 1 error"),
            "{t}"
        );
        assert!(t.contains("error   connect.relay_state.invalid"), "{t}");
        assert!(t.contains(&format!("  input   {url}\n")), "{t}");
    }
}

// ---------------------------------------------------------------- aws policy

#[test]
fn trust_policy_matches_its_provider_and_recipients() {
    for file in [
        "testdata/aws/trust-policy.json",
        "testdata/aws/get-role-urlencoded.json",
    ] {
        for recipient in [
            "https://signin.aws.amazon.com/saml",
            "https://eu-west-2.signin.aws.amazon.com/saml",
        ] {
            let out = run(&[
                "aws",
                "policy",
                file,
                "--provider-arn",
                PROVIDER,
                "--recipient",
                recipient,
            ]);
            assert_eq!(out.status.code(), Some(0), "{file} {recipient}");
            let t = text(&out);
            assert!(t.starts_with("OK  trust policy: 0 errors"), "{t}");
            assert!(
                t.contains(
                    "  sts:AssumeRoleWithSAML  allowed by statement \"AllowIdentityCenterConnectApp\"\n"
                ),
                "{t}"
            );
        }
    }
    let (exit, json) = run_json(&[
        "aws",
        "policy",
        "testdata/aws/get-role-urlencoded.json",
        "--provider-arn",
        PROVIDER,
    ]);
    assert_eq!(exit, Some(0));
    assert_eq!(json["policy"]["source"], "get-role");
    assert_eq!(
        json["policy"]["role_name"],
        "amazon-connect-federation-role"
    );
    assert_eq!(json["trust"]["provider_arn"], PROVIDER);
    // Without --recipient the global endpoint is assumed.
    assert_eq!(
        json["trust"]["recipient"],
        "https://signin.aws.amazon.com/saml"
    );
    assert_eq!(
        json["trust"]["assume_role_with_saml"],
        serde_json::json!({
            "result": "allowed",
            "statement": "statement \"AllowIdentityCenterConnectApp\"",
            "unevaluated_conditions": false
        })
    );
    assert_eq!(json["trust"]["tag_session"], Value::Null);
    assert_eq!(json["connect"], Value::Null);
    assert_eq!(json["findings"], serde_json::json!([]));
}

#[test]
fn trust_policy_mismatches_exit_1() {
    // Another provider name, and the same name in another account.
    for provider in [
        "arn:aws:iam::123456789012:saml-provider/Okta",
        "arn:aws:iam::210987654321:saml-provider/AzureAD",
    ] {
        let (exit, json) = run_json(&[
            "aws",
            "policy",
            "testdata/aws/trust-policy.json",
            "--provider-arn",
            provider,
        ]);
        assert_eq!(exit, Some(1), "{provider}");
        assert_eq!(codes(&json), vec!["iam.trust.provider_mismatch"]);
        assert_eq!(json["findings"][0]["expected"], provider);
        assert_eq!(json["findings"][0]["found"], PROVIDER);
        assert_eq!(
            json["trust"]["assume_role_with_saml"]["result"],
            "not_allowed"
        );
    }
    // A regional Recipient the SAML:aud condition does not list.
    let (exit, json) = run_json(&[
        "aws",
        "policy",
        "testdata/aws/trust-policy.json",
        "--provider-arn",
        PROVIDER,
        "--recipient",
        "https://us-west-2.signin.aws.amazon.com/saml",
    ]);
    assert_eq!(exit, Some(1));
    assert_eq!(codes(&json), vec!["iam.trust.audience_mismatch"]);
    assert_eq!(
        json["findings"][0]["found"],
        "https://us-west-2.signin.aws.amazon.com/saml"
    );
    // A Recipient that is no sign-in endpoint at all is named as such too.
    let (exit, json) = run_json(&[
        "aws",
        "policy",
        "testdata/aws/trust-policy.json",
        "--provider-arn",
        PROVIDER,
        "--recipient",
        "urn:amazon:webservices",
    ]);
    assert_eq!(exit, Some(1));
    assert_eq!(
        codes(&json),
        vec!["aws.recipient.invalid", "iam.trust.audience_mismatch"]
    );
}

#[test]
fn audience_urn_policy_with_tags_and_source_identity() {
    let args = [
        "aws",
        "policy",
        "testdata/aws/trust-policy-audience-urn.json",
        "--provider-arn",
        PROVIDER,
        "--tags",
        "--source-identity",
    ];
    let (exit, json) = run_json(&args);
    assert_eq!(exit, Some(1));
    assert_eq!(
        codes(&json),
        vec![
            "iam.trust.audience_mismatch",
            "iam.trust.audience_mismatch",
            "iam.trust.missing_action"
        ]
    );
    assert!(
        json["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("urn:amazon:webservices' never matches")
    );
    assert_eq!(json["trust"]["tag_session"]["result"], "not_allowed");
    assert_eq!(
        json["trust"]["set_source_identity"]["result"],
        "not_allowed"
    );
    // Statement given as an object, Action as an array.
    let st = &json["policy"]["statements"][0];
    assert_eq!(st["effect"], "Allow");
    assert_eq!(
        st["action"],
        serde_json::json!(["sts:AssumeRoleWithSAML", "sts:TagSession"])
    );
    assert_eq!(st["principal"]["Federated"], serde_json::json!([PROVIDER]));
    assert_eq!(st["conditions"][0]["key"], "saml:aud");

    let t = text(&run(&args));
    assert!(t.starts_with("INVALID  trust policy: 3 errors"), "{t}");
    assert!(t.contains("  sts:TagSession          not allowed\n"), "{t}");
    assert!(t.contains("  sts:SetSourceIdentity   not allowed\n"), "{t}");
    assert!(
        t.contains("  condition  StringEquals saml:aud = urn:amazon:webservices\n"),
        "{t}"
    );
}

#[test]
fn permissions_policies_against_the_instance() {
    let by_arn = ["--instance-arn", INSTANCE_ARN];
    let by_parts = [
        "--region",
        "eu-west-2",
        "--account",
        "123456789012",
        "--instance-id",
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    ];
    for file in [
        "testdata/aws/permissions-policy.json",
        "testdata/aws/permissions-policy-instance-condition.json",
        "testdata/aws/get-role-policy.json",
    ] {
        for target in [&by_arn[..], &by_parts[..]] {
            let mut args = vec!["aws", "policy", file];
            args.extend_from_slice(target);
            let (exit, json) = run_json(&args);
            assert_eq!(exit, Some(0), "{file}: {json}");
            assert_eq!(json["connect"]["instance_arn"], INSTANCE_ARN);
            assert_eq!(
                json["connect"]["resource"],
                format!("{INSTANCE_ARN}/user/${{aws:userid}}")
            );
            assert_eq!(json["connect"]["get_federation_token"]["result"], "allowed");
            assert_eq!(json["trust"], Value::Null);
        }
    }

    let mut args = vec![
        "aws",
        "policy",
        "testdata/aws/permissions-policy-other-region.json",
    ];
    args.extend_from_slice(&by_arn);
    let (exit, json) = run_json(&args);
    assert_eq!(exit, Some(1));
    assert_eq!(codes(&json), vec!["connect.policy.region_mismatch"]);
    assert_eq!(json["findings"][0]["expected"], "eu-west-2");
    assert_eq!(json["findings"][0]["found"], "us-east-1");
    assert_eq!(
        json["connect"]["get_federation_token"]["result"],
        "not_allowed"
    );
    let t = text(&run(&args));
    assert!(
        t.starts_with("INVALID  Connect permissions: 1 error"),
        "{t}"
    );
    assert!(
        t.contains("  connect:GetFederationToken  not allowed\n"),
        "{t}"
    );

    // The right policy for another instance id.
    let (exit, json) = run_json(&[
        "aws",
        "policy",
        "testdata/aws/permissions-policy-instance-condition.json",
        "--instance-arn",
        "arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555",
    ]);
    assert_eq!(exit, Some(1));
    assert_eq!(codes(&json), vec!["connect.policy.instance_mismatch"]);
}

#[test]
fn both_checks_at_once() {
    // A trust policy has no GetFederationToken: the permissions check fails.
    let (exit, json) = run_json(&[
        "aws",
        "policy",
        "testdata/aws/trust-policy.json",
        "--provider-arn",
        PROVIDER,
        "--instance-arn",
        INSTANCE_ARN,
    ]);
    assert_eq!(exit, Some(1));
    assert_eq!(json["trust"]["assume_role_with_saml"]["result"], "allowed");
    assert_eq!(codes(&json), vec!["connect.policy.missing_action"]);
}

#[test]
fn policy_without_expectations_is_summarised() {
    let out = run(&["aws", "policy", "testdata/aws/get-role-policy.json"]);
    assert_eq!(out.status.code(), Some(0));
    let t = text(&out);
    assert!(t.starts_with("OK  policy: 0 errors, 0 warnings"), "{t}");
    for line in [
        "  source      aws iam get-role-policy (PolicyDocument)\n",
        "  role        amazon-connect-federation-role\n",
        "  version     2012-10-17\n",
        "  statements  1\n",
        "Statement 1 \"FederateIntoConnect\"\n",
        "  effect    Allow\n",
        "  action    connect:GetFederationToken\n",
        "  resource  arn:aws:connect:eu-west-2:123456789012:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/user/${aws:userid}\n",
    ] {
        assert!(t.contains(line), "missing {line:?} in\n{t}");
    }
    assert!(!t.contains("check"), "{t}");

    let (exit, json) = run_json(&["aws", "policy", "testdata/aws/trust-policy.json"]);
    assert_eq!(exit, Some(0));
    assert_eq!(json["policy"]["source"], "document");
    assert_eq!(json["policy"]["version"], "2012-10-17");
    let st = &json["policy"]["statements"][0];
    assert_eq!(st["sid"], "AllowIdentityCenterConnectApp");
    assert_eq!(st["action"], serde_json::json!(["sts:AssumeRoleWithSAML"]));
    assert_eq!(st["resource"], Value::Null);
    assert_eq!(st["conditions"][0]["operator"], "StringEquals");
    assert_eq!(
        st["conditions"][0]["values"],
        serde_json::json!([
            "https://signin.aws.amazon.com/saml",
            "https://eu-west-2.signin.aws.amazon.com/saml"
        ])
    );
    assert_eq!(json["trust"], Value::Null);
    assert_eq!(json["connect"], Value::Null);
    assert_eq!(json["findings"], serde_json::json!([]));
}

#[test]
fn unreadable_policies_and_bad_arguments_exit_2() {
    // Not JSON at all: undecodable input, with the position.
    let (exit, json) = run_json(&["aws", "policy", "testdata/aws/README.md"]);
    assert_eq!(exit, Some(2));
    assert_eq!(codes(&json), vec!["iam.policy.invalid"]);
    assert_eq!(json["findings"][0]["location"]["line"], 1);

    // A missing file.
    let out = run(&["aws", "policy", "testdata/aws/no-such-policy.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open"));

    // Invalid ARNs on the command line are usage errors, named.
    let out = run(&[
        "aws",
        "policy",
        "testdata/aws/trust-policy.json",
        "--provider-arn",
        "arn:aws:iam::1234:saml-provider/AzureAD",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--provider-arn") && stderr.contains("aws.arn.invalid"),
        "{stderr}"
    );
    let (exit, json) = run_json(&[
        "aws",
        "policy",
        "testdata/aws/permissions-policy.json",
        "--region",
        "eu-west-2",
        "--account",
        "123456789012",
        "--instance-id",
        "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",
    ]);
    assert_eq!(exit, Some(2));
    assert_eq!(codes(&json), vec!["aws.arn.invalid"]);

    // Options that need each other.
    for args in [
        &["--region", "eu-west-2"][..],
        &["--tags"][..],
        &["--instance-arn", INSTANCE_ARN, "--region", "eu-west-2"][..],
    ] {
        let mut all = vec!["aws", "policy", "testdata/aws/permissions-policy.json"];
        all.extend_from_slice(args);
        assert_eq!(run(&all).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn valid_json_that_is_not_a_valid_policy_is_invalid() {
    // An IAM policy with an unknown Version, on standard input.
    let policy = r#"{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"sts:AssumeRoleWithSAML"}}"#;
    let out = run_stdin(
        &["--format", "json", "aws", "policy", "-"],
        policy.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(codes(&json), vec!["iam.policy.invalid"]);
    assert!(
        json["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2012-10-18")
    );
    assert_eq!(json["policy"], Value::Null);
    let out = run_stdin(&["aws", "policy", "-"], policy.as_bytes());
    let t = text(&out);
    assert!(t.starts_with("INVALID  policy: 1 error"), "{t}");
    assert!(t.contains("  file  -\n"), "{t}");
}

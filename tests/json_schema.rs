//! `--format json` of every command validates against docs/schema/report.schema.json.
//!
//! The validator is a small structural checker for the subset of draft 2020-12
//! the schema uses (type, required, properties, additionalProperties, items,
//! enum, minimum, local $ref); a keyword outside that subset fails the test, so
//! the schema cannot silently say more than is checked. (The `jsonschema`
//! crate would add some 40 crates, a regex engine and big-number arithmetic
//! to the build for this one test.)

mod bin;

use saml_inspect::Code;
use serde_json::Value;

const ANNOTATIONS: &[&str] = &["$schema", "$id", "title", "description", "$defs"];

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schema/report.schema.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn resolve<'a>(root: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("only local $ref: {reference}"));
    root.pointer(pointer)
        .unwrap_or_else(|| panic!("dangling $ref {reference}"))
}

fn type_matches(name: &str, v: &Value) -> bool {
    match name {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        other => panic!("unknown type {other}"),
    }
}

/// Appends a message per violation of `schema` by `value` at `path`.
fn check(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(obj) = schema.as_object() else {
        panic!("schema at {path} is not an object");
    };
    for (key, s) in obj {
        match key.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "$ref" => check(
                root,
                resolve(root, s.as_str().unwrap()),
                value,
                path,
                errors,
            ),
            "type" => {
                let ok = match s {
                    Value::String(t) => type_matches(t, value),
                    Value::Array(ts) => ts.iter().any(|t| type_matches(t.as_str().unwrap(), value)),
                    _ => panic!("bad type at {path}"),
                };
                if !ok {
                    errors.push(format!("{path}: {value} is not of type {s}"));
                }
            }
            "enum" => {
                if !s.as_array().unwrap().contains(value) {
                    errors.push(format!("{path}: {value} not in {s}"));
                }
            }
            "minimum" => {
                if let Some(n) = value.as_f64()
                    && n < s.as_f64().unwrap()
                {
                    errors.push(format!("{path}: {n} < {s}"));
                }
            }
            "required" => {
                if let Some(o) = value.as_object() {
                    for r in s.as_array().unwrap() {
                        if !o.contains_key(r.as_str().unwrap()) {
                            errors.push(format!("{path}: missing required {r}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(o) = value.as_object() {
                    for (name, sub) in s.as_object().unwrap() {
                        if let Some(v) = o.get(name) {
                            check(root, sub, v, &format!("{path}/{name}"), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(o) = value.as_object() {
                    let known = obj.get("properties").and_then(Value::as_object);
                    for (name, v) in o {
                        if known.is_some_and(|k| k.contains_key(name)) {
                            continue;
                        }
                        match s {
                            Value::Bool(true) => {}
                            Value::Bool(false) => {
                                errors.push(format!("{path}: unexpected property {name}"))
                            }
                            sub => check(root, sub, v, &format!("{path}/{name}"), errors),
                        }
                    }
                }
            }
            "items" if s == &Value::Bool(false) => {
                if value.as_array().is_some_and(|a| !a.is_empty()) {
                    errors.push(format!("{path}: no items allowed"));
                }
            }
            "items" => {
                if let Some(a) = value.as_array() {
                    for (i, v) in a.iter().enumerate() {
                        check(root, s, v, &format!("{path}/{i}"), errors);
                    }
                }
            }
            other => panic!("schema keyword {other:?} at {path} is outside the checked subset"),
        }
    }
}

/// Runs the CLI with `--format json` and checks the object against the
/// schema's root and the command's own definition.
fn validate(command: &str, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = bin::run(&all);
    let text = String::from_utf8(out.stdout).unwrap();
    let value: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{args:?}: not one JSON object ({e}): {text}"));
    let root = schema();
    let mut errors = Vec::new();
    check(&root, &root, &value, "", &mut errors);
    check(
        &root,
        &serde_json::json!({ "$ref": format!("#/$defs/commands/properties/{command}") }),
        &value,
        "",
        &mut errors,
    );
    assert!(errors.is_empty(), "{args:?}:\n{}", errors.join("\n"));
    for f in value["findings"].as_array().unwrap() {
        let code = f["code"].as_str().unwrap();
        assert!(Code::from_str_opt(code).is_some(), "unknown code {code}");
    }
    value
}

const RESPONSE: &str = "testdata/fixtures/response-rsa2048.xml";
const CERT: &str = "testdata/fixtures/rsa2048.cert.pem";

#[test]
fn decode_inspect_verify_c14n() {
    for input in [
        RESPONSE,
        "testdata/fixtures/response-rsa2048.b64",
        "testdata/real-world/saml2aws-aad-SAMLResponse-role-first.xml",
    ] {
        validate("decode", &["decode", input]);
        validate("inspect", &["inspect", input]);
        validate("inspect", &["inspect", "--cert", CERT, input]);
        validate("verify", &["verify", "--cert", CERT, input]);
        validate("c14n", &["c14n", "--exclusive", input]);
    }
    let ok = validate(
        "verify",
        &[
            "verify",
            "--now",
            "2026-11-01T12:01:00Z",
            "--cert",
            CERT,
            RESPONSE,
        ],
    );
    assert_eq!(ok["valid"], true);
}

#[test]
fn metadata_and_cert() {
    for file in [
        "testdata/metadata/idc-app-idp-metadata.xml",
        "testdata/metadata/entra-app-rollover-signed.xml",
        "testdata/metadata/aad-common-federationmetadata-2017-signed-bom.xml",
        "testdata/metadata/aws-signin-sp-metadata.xml",
    ] {
        validate("metadata", &["metadata", file]);
        validate("cert", &["cert", file]);
    }
    validate(
        "metadata",
        &[
            "metadata",
            "testdata/metadata/idc-app-idp-metadata.xml",
            "--peer",
            "testdata/metadata/idc-app-idp-metadata-stale-iam-copy.xml",
        ],
    );
    validate("cert", &["cert", CERT]);
}

#[test]
fn aws_subcommands() {
    validate(
        "aws_role",
        &[
            "aws",
            "role",
            "arn:aws:iam::123456789012:role/x,arn:aws:iam::123456789012:saml-provider/y",
        ],
    );
    validate(
        "aws_relay_state",
        &[
            "aws",
            "relay-state",
            "https://us-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        ],
    );
    for file in [
        "testdata/aws/trust-policy.json",
        "testdata/aws/permissions-policy.json",
        "testdata/aws/get-role-urlencoded.json",
    ] {
        validate("aws_policy", &["aws", "policy", file]);
    }
}

#[test]
fn har() {
    for file in [
        "testdata/har/chain-ok.har",
        "testdata/har/chain-aws-response-tampered.har",
        "testdata/har/chain-entra-untrusted-signer.har",
    ] {
        let v = validate("har", &["har", "--cert", CERT, file]);
        assert_eq!(v["messages"].as_array().unwrap().len(), 3);
    }
    validate("failure", &["har", RESPONSE]);
    for file in [
        "testdata/har/flow-chain-ok.har",
        "testdata/har/flow-chain-other-account.har",
    ] {
        let v = validate(
            "har",
            &[
                "har",
                "--sso-app-metadata",
                "testdata/flow/sso-app-metadata.xml",
                "--iam-provider-metadata",
                "testdata/flow/iam-provider-metadata.xml",
                file,
            ],
        );
        assert_eq!(v["hops"].as_array().unwrap().len(), 6);
    }
}

#[test]
fn flow() {
    let dir = "testdata/flow/";
    let v = validate(
        "flow",
        &[
            "flow",
            "--response",
            &format!("{dir}response.txt"),
            "--sso-app-metadata",
            &format!("{dir}sso-app-metadata.xml"),
            "--iam-provider-metadata",
            &format!("{dir}iam-provider-metadata.xml"),
            "--now",
            "2026-11-02T09:00:30Z",
        ],
    );
    assert_eq!(v["verdict"], "incomplete");
    validate(
        "flow",
        &[
            "flow",
            "--response",
            &format!("{dir}broken/response-other-account.txt"),
            "--now",
            "2026-11-02T09:00:30Z",
        ],
    );
}

#[test]
fn explain_and_failures() {
    validate("explain", &["explain", "signature.invalid"]);
    validate("explain_list", &["explain", "--list"]);
    // A usage failure is still one object with `findings` and an `error`.
    for args in [
        &["cert", "testdata/does-not-exist.pem"][..],
        &["inspect", "testdata/does-not-exist.xml"][..],
        &["aws", "policy", "testdata/does-not-exist.json"][..],
    ] {
        let v = validate("failure", args);
        assert!(v["error"].as_str().unwrap().contains("does-not-exist"));
    }
}

#[test]
fn the_checker_rejects_what_the_schema_forbids() {
    let root = schema();
    let bad = serde_json::json!({
        "findings": [{ "code": "x.y", "severity": "fatal", "message": 3, "extra": 1 }]
    });
    let mut errors = Vec::new();
    check(&root, &root, &bad, "", &mut errors);
    assert_eq!(errors.len(), 3, "{errors:?}");
    let mut errors = Vec::new();
    check(
        &root,
        &root,
        &serde_json::json!({ "hops": [] }),
        "",
        &mut errors,
    );
    assert_eq!(errors, [": missing required \"findings\""]);
}

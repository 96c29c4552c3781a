//! The `decode` command on the shipped fixtures: every binding gives back the
//! exact bytes that were signed.

mod bin;

use bin::{run, run_stdin};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn base64_file_decodes_to_the_signed_xml() {
    let out = run(&["decode", "testdata/fixtures/assertion-rsa2048.b64"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, fixture("assertion-rsa2048.xml"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HTTP-POST"));
}

#[test]
fn stdin_and_form_body_decode_identically() {
    let b64 = fixture("assertion-rsa2048.b64");
    let out = run_stdin(&["decode", "-"], &b64);
    assert_eq!(out.stdout, fixture("assertion-rsa2048.xml"));

    let value = String::from_utf8(b64)
        .unwrap()
        .trim()
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let relay = "https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fconnect%2Ffederate%2F0f5a7c3e-1b2d-4c5e-8f90-123456789abc";
    let form = format!("SAMLResponse={value}&RelayState={relay}");
    let out = run_stdin(&["decode", "-"], form.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, fixture("assertion-rsa2048.xml"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "RelayState: https://us-east-1.console.aws.amazon.com/connect/federate/0f5a7c3e"
        ),
        "{stderr}"
    );

    let out = run_stdin(&["decode", "--format", "json", "-"], form.as_bytes());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["binding"], "http-post");
    assert_eq!(json["parameter"], "SAMLResponse");
    assert_eq!(
        json["xml"].as_str().unwrap().as_bytes(),
        fixture("assertion-rsa2048.xml")
    );
    assert_eq!(json["findings"][0]["code"], "decode.binding");
}

#[test]
fn undecodable_inputs_exit_2_with_a_reason() {
    let b64 = String::from_utf8(fixture("assertion-rsa2048.b64")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            b64.as_bytes()[..b64.len() - 7].to_vec(),
            "decode.base64_invalid",
        ),
        (
            "url-safe",
            b64.replace('+', "-").replace('/', "_").into_bytes(),
            "decode.base64_url_safe",
        ),
        (
            "plain text",
            b"Hello, this is not SAML at all.".to_vec(),
            "decode.base64_invalid",
        ),
        ("empty", b"\n".to_vec(), "decode.unrecognized"),
    ];
    for (name, input, code) in cases {
        let out = run_stdin(&["decode", "--format", "json", "-"], &input);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["findings"][0]["code"], code, "{name}: {json}");
        let out = run_stdin(&["decode", "-"], &input);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(code), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}");
    }
}

#[test]
fn missing_file_is_an_io_error() {
    let out = run(&["decode", "/nonexistent/file.xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open /nonexistent/file.xml"));
}

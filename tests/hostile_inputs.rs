//! Hostile inputs are refused by the decoder or the parser, quickly, with an
//! error that names the problem, and never with a panic.

use std::time::{Duration, Instant};

use saml_inspect::Code;
use saml_inspect::decode::{DecodeLimits, decode};
use saml_inspect::xml::{Limits, parse_bytes};

fn testdata(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/testdata/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Decodes and parses like every command does; returns the code and message of the refusal.
fn refuse(input: &[u8]) -> (Code, String) {
    let start = Instant::now();
    let result = match decode(input, &DecodeLimits::default()) {
        Err(e) => (e.code(), e.to_string()),
        Ok(d) => match parse_bytes(&d.xml, &Limits::default()) {
            Err(e) => (e.code(), e.to_string()),
            Ok(_) => panic!("accepted a hostile input"),
        },
    };
    // Generous bound: this guards against blow-ups, not a performance target.
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
    result
}

#[test]
fn defusedxml_set_is_refused_as_dtd() {
    for name in [
        "cyclic",
        "dtd",
        "external",
        "external_file",
        "quadratic",
        "xmlbomb",
        "xmlbomb2",
    ] {
        let (code, msg) = refuse(&testdata(&format!("hostile/{name}.xml")));
        assert_eq!(code, Code::XmlDtdForbidden, "{name}: {msg}");
        assert!(msg.contains("DOCTYPE"), "{name}: {msg}");
    }
}

#[test]
fn hostile_xml_also_refused_through_base64() {
    use base64::Engine as _;
    let bomb = base64::engine::general_purpose::STANDARD.encode(testdata("hostile/xmlbomb.xml"));
    assert_eq!(refuse(bomb.as_bytes()).0, Code::XmlDtdForbidden);
}

#[test]
fn unbound_prefix_is_named() {
    let (code, msg) = refuse(&testdata(
        "real-world/saml2aws-adfs-response-provider-first.xml",
    ));
    assert_eq!(code, Code::XmlMalformed);
    assert!(
        msg.contains("'saml2'") && msg.contains("not bound"),
        "{msg}"
    );
}

#[test]
fn ten_thousand_deep_nesting() {
    let deep = "<a>".repeat(10_000) + &"</a>".repeat(10_000);
    let (code, msg) = refuse(deep.as_bytes());
    assert_eq!(code, Code::XmlLimitExceeded);
    assert!(msg.contains("nesting depth"), "{msg}");
}

#[test]
fn twenty_megabytes() {
    let big = format!("<a>{}</a>", "x".repeat(20 * 1024 * 1024));
    let (code, msg) = refuse(big.as_bytes());
    assert_eq!(code, Code::DecodeLimitExceeded);
    assert!(msg.contains("over the limit"), "{msg}");
}

#[test]
fn many_attributes_and_long_text() {
    let attrs: String = (0..100).map(|i| format!(" a{i}='x'")).collect();
    let (code, msg) = refuse(format!("<r{attrs}/>").as_bytes());
    assert_eq!(code, Code::XmlLimitExceeded);
    assert!(msg.contains("number of attributes"), "{msg}");
    let (code, msg) = refuse(format!("<r>{}</r>", "y".repeat(2 * 1024 * 1024)).as_bytes());
    assert_eq!(code, Code::XmlLimitExceeded);
    assert!(msg.contains("text node"), "{msg}");
}

#[test]
fn wide_documents_hit_the_node_limit() {
    let wide = format!("<r>{}</r>", "<e/>".repeat(250_000));
    let (code, msg) = refuse(wide.as_bytes());
    assert_eq!(code, Code::XmlLimitExceeded);
    assert!(msg.contains("number of nodes"), "{msg}");
}

#[test]
fn trailing_garbage_and_two_roots() {
    assert_eq!(refuse(b"<a/><b/>").0, Code::XmlMalformed);
    assert_eq!(refuse(b"<a/>trailing").0, Code::XmlMalformed);
    assert_eq!(refuse(b"<a>").0, Code::XmlMalformed);
}

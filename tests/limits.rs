//! Every resource limit, one by one: an input just over it (most of them
//! about 4 MiB) goes through the whole public path (`verify::verify`:
//! decode, parse, signatures) and is refused with the limit's code, in
//! bounded time and bounded memory.
//!
//! Memory is measured by a counting global allocator in this test binary
//! (the only `unsafe` here: it forwards to the system allocator and counts).
//! The tests take a lock so each measures its own peak. The bounds are
//! generous guards against blow-ups (linear in the input, never more); the
//! measured values are printed (`--nocapture`), and precise timings belong
//! in benchmarks.
//!
//! Measured 2026-11-28, `cargo test --release --test limits -- --nocapture
//! --test-threads=1` on a shared 2-core machine: every refusal under 100 ms
//! (4 MiB inputs: 0.4-32 ms; 9 000 References 91 ms; 300 000 empty
//! elements 79 ms), peak allocation 1.0x the input for every parser limit
//! (the pre-scan refuses before the parser reserves memory), except the
//! densest markup under the caps (300 000 `<a/>`: 19x, bounded at about
//! 30 MB by the '<' cap), the References (3.7x) and the DEFLATE bomb (9.5 MB:
//! the 4 MiB inflate limit, then the buffers).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use saml_inspect::Code;
use saml_inspect::dsig::TrustedKeys;
use saml_inspect::verify::{VerifyOptions, verify};

/// Counts live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to `System` with the same arguments; the
// counters are atomics and never affect the returned memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One test at a time (the peak is process-wide): each test holds this
/// from before it builds its input.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

const MIB: usize = 1024 * 1024;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/testdata/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn options() -> VerifyOptions {
    VerifyOptions {
        trust: TrustedKeys::from_pem(fixture("rsa2048.cert.pem").as_bytes()).expect("cert"),
        ..VerifyOptions::default()
    }
}

/// Verifies `input`; asserts it is refused with `code` in under 2 s (debug,
/// on a shared machine; the measured values are printed),
/// with a peak of allocation (beyond what was live before) under
/// `factor` × the input size + 1 MiB. Returns the refusal's message.
fn refused(what: &str, input: &[u8], code: Code, factor: usize) -> String {
    let options = options();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let result = verify(input, &options);
    let elapsed = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    let error = match result {
        Ok(_) => panic!("{what}: accepted"),
        Err(e) => e,
    };
    println!(
        "{what:32} {:>9} bytes  -> {:28} {:>7.1} ms  peak {:>9} bytes ({:.2}x input)",
        input.len(),
        error.code().as_str(),
        elapsed.as_secs_f64() * 1000.0,
        peak,
        peak as f64 / input.len() as f64
    );
    assert_eq!(error.code(), code, "{what}: {error}");
    assert!(elapsed < Duration::from_secs(1), "{what}: took {elapsed:?}");
    assert!(
        peak < factor * input.len() + MIB,
        "{what}: peak allocation {peak} bytes for {} bytes of input",
        input.len()
    );
    error.to_string()
}

/// A document of `len` bytes or a little more: `open`, `unit` repeated, `close`.
fn filled(open: &str, unit: &str, close: &str, len: usize) -> Vec<u8> {
    let n = (len.saturating_sub(open.len() + close.len())) / unit.len() + 1;
    let mut s = String::with_capacity(open.len() + unit.len() * n + close.len());
    s.push_str(open);
    for _ in 0..n {
        s.push_str(unit);
    }
    s.push_str(close);
    s.into_bytes()
}

#[test]
fn input_bytes_over_the_xml_limit() {
    let _serial = serial();
    // 4 MiB is the parser's limit; the decoder's (8 MiB) is larger.
    let input = filled("<r>", "<a/>", "</r>", 4 * MIB + 1);
    let message = refused("input bytes (xml)", &input, Code::XmlLimitExceeded, 2);
    assert!(message.contains("bytes"), "{message}");
}

#[test]
fn input_bytes_over_the_decode_limit() {
    let _serial = serial();
    // Checked before base64 decoding: a 9 MiB POST body is never decoded.
    let input = vec![b'A'; 9 * MIB];
    refused("input bytes (decode)", &input, Code::DecodeLimitExceeded, 1);
}

#[test]
fn depth() {
    let _serial = serial();
    // 4 MiB of open tags: over the markup cap before parsing.
    let input = filled("", "<a>", "", 4 * MIB - 16);
    let message = refused("depth (4 MiB)", &input, Code::XmlLimitExceeded, 2);
    assert!(message.contains("'<'"), "{message}");
    // Under the markup cap the pre-scan's depth count refuses before the
    // parser reserves anything: 130 000 open elements (390 KB).
    let input = filled("", "<a>", "", 390_000);
    let message = refused("depth (390 KB)", &input, Code::XmlLimitExceeded, 2);
    assert!(message.contains("depth"), "{message}");
}

#[test]
fn node_count() {
    let _serial = serial();
    // 200 000 nodes at most; this has 1 million in just under 4 MiB.
    let input = filled("<r>", "<a/>", "</r>", 4 * MIB - 16);
    let message = refused("node count (4 MiB)", &input, Code::XmlLimitExceeded, 2);
    assert!(message.contains("'<'"), "{message}");
    // Under the markup cap the parser's own node limit refuses: 300 000
    // empty elements (1.2 MB). The parser reserves a node (about 76 bytes)
    // per '<' first, so this densest markup costs about 19 times its size;
    // the cap bounds that at about 30 MB for any input.
    let input = filled("<r>", "<a/>", "</r>", 1_200_000);
    let message = refused("node count (1.2 MB)", &input, Code::XmlLimitExceeded, 24);
    assert!(message.contains("nodes"), "{message}");
}

#[test]
fn markup_characters_the_parser_reserves_for() {
    let _serial = serial();
    // The parser reserves a node per '<' and an attribute per '=' before
    // reading: 4 MiB of either inside a comment or text is refused first.
    let input = filled("<r><!--", "<", "--></r>", 4 * MIB - 16);
    refused("'<' in a comment", &input, Code::XmlLimitExceeded, 2);
    let input = filled("<r>", "=", "</r>", 4 * MIB - 16);
    refused("'=' in text", &input, Code::XmlLimitExceeded, 2);
}

#[test]
fn attributes_per_element() {
    let _serial = serial();
    let mut attrs = String::new();
    let mut i = 0;
    while attrs.len() < 4 * MIB - 64 {
        attrs.push_str(&format!(" a{i}=\"\""));
        i += 1;
    }
    let input = format!("<r{attrs}/>").into_bytes();
    let message = refused("attributes per element", &input, Code::XmlLimitExceeded, 2);
    assert!(message.contains("attribute"), "{message}");
}

#[test]
fn attribute_length() {
    let _serial = serial();
    let input = format!("<r a=\"{}\"/>", "x".repeat(4 * MIB - 16)).into_bytes();
    let message = refused("attribute length", &input, Code::XmlLimitExceeded, 2);
    assert!(message.contains("attribute"), "{message}");
}

#[test]
fn text_length() {
    let _serial = serial();
    let input = format!("<r>{}</r>", "x".repeat(4 * MIB - 16)).into_bytes();
    let message = refused("text length", &input, Code::XmlLimitExceeded, 2);
    assert!(message.contains("text"), "{message}");
}

#[test]
fn namespace_declarations() {
    let _serial = serial();
    let mut decls = String::new();
    let mut i = 0;
    while decls.len() < 4 * MIB - 64 {
        decls.push_str(&format!(" xmlns:p{i}=\"u\""));
        i += 1;
    }
    let input = format!("<r{decls}/>").into_bytes();
    let message = refused("namespace declarations", &input, Code::XmlLimitExceeded, 2);
    assert!(message.contains("namespace"), "{message}");
}

#[test]
fn inflated_size() {
    let _serial = serial();
    // An HTTP-Redirect value (raw DEFLATE, base64) inflating to 1 GiB: the
    // inflater stops at the 4 MiB limit, so memory stays near that.
    use flate2::Compression;
    use flate2::write::DeflateEncoder;
    use std::io::Write as _;
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    let block = vec![b' '; MIB];
    for _ in 0..1024 {
        enc.write_all(&block).expect("deflate");
    }
    let compressed = enc.finish().expect("deflate");
    use base64::Engine as _;
    let input = base64::engine::general_purpose::STANDARD
        .encode(&compressed)
        .into_bytes();
    // The bound is the inflate limit, not the (tiny) input.
    let message = refused(
        "inflated size",
        &input,
        Code::DecodeLimitExceeded,
        16 * MIB / input.len() + 4,
    );
    assert!(
        message.contains("inflat") || message.contains("limit"),
        "{message}"
    );
}

/// B-A with `f` applied to its Signature element's text.
fn with_signature(f: impl Fn(&str) -> String) -> String {
    let text = fixture("assertion-rsa2048.xml");
    let open = "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">";
    let start = text.find(open).expect("signature");
    let end = text[start..].find("</Signature>").expect("end") + start + "</Signature>".len();
    format!("{}{}{}", &text[..start], f(&text[start..end]), &text[end..])
}

#[test]
fn signatures_per_document() {
    let _serial = serial();
    // The Assertion may carry one Signature: a thousand copies (about 2 MiB)
    // are refused before any of them is verified.
    let input = with_signature(|sig| sig.repeat(1000)).into_bytes();
    let message = refused(
        "signatures per element",
        &input,
        Code::SignatureStructure,
        4,
    );
    assert!(message.contains("Signature"), "{message}");
}

#[test]
fn references_per_signature() {
    let _serial = serial();
    // Exactly one Reference: 9 000 of them (about 4 MiB) are refused
    // before any digest is computed.
    let input = with_signature(|sig| {
        let from = sig.find("<Reference ").expect("reference");
        let to = sig.find("</Reference>").expect("end") + "</Reference>".len();
        let reference = &sig[from..to];
        format!("{}{}{}", &sig[..from], reference.repeat(9_000), &sig[to..])
    })
    .into_bytes();
    assert!(input.len() < 4 * MIB, "{} bytes", input.len());
    let message = refused(
        "references per signature",
        &input,
        Code::SignatureReferenceInvalid,
        4,
    );
    assert!(message.contains("Reference"), "{message}");
}

//! Any bytes through the bindings decoder and the hardened parser: no panic,
//! no hang, bounded memory; and whatever parses can have its text read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saml_inspect::decode::{DecodeLimits, decode};
use saml_inspect::xml::{Limits, element_text, parse_bytes};

fuzz_target!(|data: &[u8]| {
    let limits = DecodeLimits {
        max_input: 1 << 20,
        max_inflated: 1 << 20,
    };
    let Ok(decoded) = decode(data, &limits) else {
        return;
    };
    let Ok(doc) = parse_bytes(&decoded.xml, &Limits::default()) else {
        return;
    };
    for node in doc.tree().descendants().filter(|n| n.is_element()) {
        let _ = element_text(node);
    }
});

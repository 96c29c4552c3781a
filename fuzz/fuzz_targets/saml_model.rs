//! Any bytes into the SAML model (`saml::Message::from_document`) and into
//! the whole inspection (`inspect::inspect`, which also decodes bindings).
//! What must hold: no panic, no hang, bounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saml_inspect::inspect::{InspectOptions, inspect};
use saml_inspect::saml::Message;
use saml_inspect::xml::{Limits, parse_bytes};

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = parse_bytes(data, &Limits::default()) {
        let _ = Message::from_document(&doc);
    }
    let _ = inspect(data, &InspectOptions::default());
});

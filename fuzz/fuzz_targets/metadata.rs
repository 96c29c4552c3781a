//! Any bytes into `metadata::Metadata::from_bytes` at a fixed clock (the
//! fixtures' 2026-11-01T12:00:00Z), then the derived views.
//! What must hold: no panic, no hang, bounded memory.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use saml_inspect::metadata::{Metadata, MetadataOptions};

fuzz_target!(|data: &[u8]| {
    let Some(now) = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).single() else {
        return;
    };
    let Ok(metadata) = Metadata::from_bytes(data, &MetadataOptions::at(now)) else {
        return;
    };
    let _ = metadata.signing_keys();
    let _ = metadata.idp_signing_certificates();
    let _ = metadata.kind.describe();
});

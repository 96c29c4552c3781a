//! Any bytes into `cert::parse_certificates` (PEM, DER or bare base64), and
//! every certificate read through `cert::check` at a fixed clock.
//! What must hold: no panic, no hang, bounded memory.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use saml_inspect::cert::{CertPolicy, check, parse_certificates};

fuzz_target!(|data: &[u8]| {
    let Ok(certificates) = parse_certificates(data) else {
        return;
    };
    let Some(now) = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).single() else {
        return;
    };
    for info in &certificates {
        let _ = check(info, now, &CertPolicy::default());
        let _ = info.common_name();
        let _ = info.days_left(now);
    }
});

//! The inspection clock: `--now` when given, else the system clock. Only the
//! CLI reads the clock; the library always takes the time as an argument.

use chrono::{DateTime, Utc};

/// Parses an RFC 3339 time (`2026-11-01T00:00:00Z`, any offset) for clap.
pub fn parse_rfc3339(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{e} (expected RFC 3339, e.g. 2026-11-01T00:00:00Z)"))
}

/// `--now`, or the current time.
pub fn now_or_clock(now: Option<DateTime<Utc>>) -> DateTime<Utc> {
    now.unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()))
}

/// A date for people: `2029-01-01 00:00:00 UTC`.
pub fn show(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// How a validity period stands at `now`, e.g. `762 days left`.
pub fn validity_note(
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    if now > not_after {
        let days = (now - not_after).num_days();
        format!("EXPIRED {days} day{} ago", plural(days))
    } else if now < not_before {
        let days = (not_before - now).num_days();
        format!("NOT YET VALID, starts in {days} day{}", plural(days))
    } else {
        let days = (not_after - now).num_days();
        format!("{days} day{} left", plural(days))
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

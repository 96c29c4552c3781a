//! SAML timestamps: a strict reading of `xs:dateTime`.
//!
//! SAML 2.0 Core, section 1.3.3 ("Time Values"):
//!
//! > All SAML time values have the type `xs:dateTime`, which is built in to
//! > the W3C XML Schema Datatypes specification, and MUST be expressed in UTC
//! > form, with no time zone component. SAML system entities SHOULD NOT rely
//! > on time resolution finer than milliseconds. Implementations MUST NOT
//! > generate time instants that specify leap seconds.
//!
//! In practice every identity provider (Entra ID, ADFS, Okta, PingFederate,
//! Shibboleth) writes the UTC designator `Z`, and "UTC form" is read that way.
//! The grammar accepted here is
//!
//! ```text
//! YYYY-MM-DD "T" hh:mm:ss ("." 1*DIGIT)? ("Z" | ("+" | "-") hh:mm)?
//! ```
//!
//! and the choices are:
//!
//! | input | outcome |
//! |---|---|
//! | `2026-11-01T12:00:00.123Z` | accepted ([`Zone::Utc`]) |
//! | `2026-11-01T12:00:00` (no zone) | accepted **as UTC** ([`Zone::Missing`]): that is the literal reading of "UTC form, with no time zone component"; the reader adds a warning because a schema processor would call it a local time |
//! | `2026-11-01T14:00:00+02:00` | accepted and **normalised** to UTC ([`Zone::Offset`]); the reader adds a warning because it is not UTC form. Offsets are limited to ±14:00 as in XML Schema |
//! | any number of fraction digits | accepted, **truncated** (not rounded) to nanoseconds |
//! | second `60` (a leap second) | **refused**: SAML forbids generating them, and clamping would move a validity boundary |
//! | hour `24` (`24:00:00`, allowed by XML Schema 1.0) | **refused**: no identity provider sends it and it is a classic source of off-by-one-day bugs |
//! | year outside `0001`-`9999`, a sign, more than 4 year digits | **refused** |
//! | leading or trailing whitespace, lower-case `t`/`z`, missing seconds | **refused** |
//!
//! Everything is checked arithmetic: no input can overflow or panic.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use serde::Serialize;

/// How a timestamp expressed its time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "offset_minutes")]
pub enum Zone {
    /// The UTC designator `Z`: what SAML asks for.
    Utc,
    /// A numeric offset such as `+02:00` (in minutes east of UTC); the value
    /// was converted to UTC.
    Offset(i32),
    /// No zone at all; the value was read as UTC.
    Missing,
}

/// A timestamp read from a SAML attribute: the instant in UTC and how the
/// zone was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// The instant, in UTC.
    pub instant: DateTime<Utc>,
    /// How the input wrote the zone.
    pub zone: Zone,
}

/// Why a string is not a SAML timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text does not follow `YYYY-MM-DDThh:mm:ss(.s+)?(Z|±hh:mm)?`.
    #[error("not of the form YYYY-MM-DDThh:mm:ss[.fraction][Z|+hh:mm]")]
    Syntax,
    /// Leading or trailing whitespace.
    #[error("it has leading or trailing whitespace")]
    Whitespace,
    /// The year is outside 0001-9999 (or has a sign or more than four digits).
    #[error("the year is outside 0001-9999")]
    YearOutOfRange,
    /// The month or day does not exist (e.g. 2026-02-30).
    #[error("the date does not exist")]
    InvalidDate,
    /// The hour is 24 (`24:00:00`).
    #[error("hour 24 is not accepted; write the next day's 00:00:00")]
    Hour24,
    /// The second is 60.
    #[error("leap seconds (second 60) are not accepted (SAML core 1.3.3)")]
    LeapSecond,
    /// An hour, minute or second is out of range.
    #[error("the time of day is out of range")]
    InvalidTime,
    /// The zone offset is out of range (beyond ±14:00, or minutes over 59).
    #[error("the time zone offset is out of range (at most ±14:00)")]
    InvalidOffset,
}

/// Parses a SAML timestamp strictly (see the module documentation for the
/// accepted grammar and the reasons behind each choice).
///
/// ```
/// use saml_inspect::saml::time::{parse_timestamp, Zone};
/// let t = parse_timestamp("2026-11-01T14:00:00.5+02:00").unwrap();
/// assert_eq!(t.instant.to_rfc3339(), "2026-11-01T12:00:00.500+00:00");
/// assert_eq!(t.zone, Zone::Offset(120));
/// assert!(parse_timestamp("2016-09-10T23:59:60Z").is_err());
/// ```
pub fn parse_timestamp(text: &str) -> Result<Timestamp, TimestampError> {
    if text.trim() != text {
        return Err(TimestampError::Whitespace);
    }
    let b = text.as_bytes();
    // Fixed part: "YYYY-MM-DDThh:mm:ss" is 19 ASCII bytes.
    if b.first().is_some_and(|&c| c == b'-' || c == b'+') {
        return Err(TimestampError::YearOutOfRange);
    }
    // A year of more than four digits: count the leading digits.
    let year_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year_digits > 4 {
        return Err(TimestampError::YearOutOfRange);
    }
    let fixed = b.get(..19).ok_or(TimestampError::Syntax)?;
    let num = |range: std::ops::Range<usize>| -> Result<u32, TimestampError> {
        let digits = fixed.get(range).ok_or(TimestampError::Syntax)?;
        digits.iter().try_fold(0u32, |acc, &d| {
            if d.is_ascii_digit() {
                Ok(acc * 10 + u32::from(d - b'0'))
            } else {
                Err(TimestampError::Syntax)
            }
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| fixed.get(i) != Some(&c)) {
        return Err(TimestampError::Syntax);
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);

    // The rest: optional fraction, optional zone.
    let mut rest = b.get(19..).unwrap_or_default();
    let mut nanos: u32 = 0;
    if let Some(after_dot) = rest.strip_prefix(b".") {
        let digits = after_dot.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(TimestampError::Syntax);
        }
        // Only the first nine digits matter (nanoseconds); the others are
        // truncated, not rounded, so a value never moves to the next second.
        for i in 0..9 {
            let d = after_dot.get(i).filter(|_| i < digits);
            nanos = nanos * 10 + d.map_or(0, |&c| u32::from(c - b'0'));
        }
        rest = after_dot.get(digits..).unwrap_or_default();
    }
    let zone = match rest {
        [] => Zone::Missing,
        [b'Z'] => Zone::Utc,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| -> Result<i32, TimestampError> {
                if a.is_ascii_digit() && b.is_ascii_digit() {
                    Ok(i32::from(a - b'0') * 10 + i32::from(b - b'0'))
                } else {
                    Err(TimestampError::Syntax)
                }
            };
            let (h, m) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if m > 59 || h > 14 || (h == 14 && m != 0) {
                return Err(TimestampError::InvalidOffset);
            }
            let minutes = h * 60 + m;
            Zone::Offset(if *sign == b'-' { -minutes } else { minutes })
        }
        _ => return Err(TimestampError::Syntax),
    };

    if !(1..=9999).contains(&year) {
        return Err(TimestampError::YearOutOfRange);
    }
    // `year` is at most 9999 here, so the conversion cannot fail.
    let year = i32::try_from(year).map_err(|_| TimestampError::YearOutOfRange)?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(TimestampError::InvalidDate)?;
    if hour == 24 {
        return Err(TimestampError::Hour24);
    }
    if second == 60 {
        return Err(TimestampError::LeapSecond);
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
        .filter(|_| second < 60)
        .ok_or(TimestampError::InvalidTime)?;
    let local = NaiveDateTime::new(date, time);
    let utc = match zone {
        Zone::Utc | Zone::Missing => local,
        Zone::Offset(minutes) => local
            .checked_sub_signed(TimeDelta::minutes(i64::from(minutes)))
            .ok_or(TimestampError::YearOutOfRange)?,
    };
    Ok(Timestamp {
        instant: utc.and_utc(),
        zone,
    })
}

/// Formats an instant as RFC 3339 with `Z` and only as many fraction digits
/// as needed (`2026-11-01T12:00:00.123Z`).
pub fn format_timestamp(instant: &DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Serde helper: an optional instant as an RFC 3339 string with `Z`.
pub(crate) fn serialize_opt<S: serde::Serializer>(
    value: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(t) => s.serialize_str(&format_timestamp(t)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Timestamp {
        parse_timestamp(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }
    fn err(s: &str) -> TimestampError {
        parse_timestamp(s).expect_err(s)
    }

    #[test]
    fn utc_with_milliseconds() {
        let t = ok("2026-11-01T12:00:00.123Z");
        assert_eq!(t.zone, Zone::Utc);
        assert_eq!(format_timestamp(&t.instant), "2026-11-01T12:00:00.123Z");
    }

    #[test]
    fn fraction_is_truncated_to_nanoseconds() {
        let t = ok("2026-11-01T12:00:00.1234567899999Z");
        assert_eq!(
            format_timestamp(&t.instant),
            "2026-11-01T12:00:00.123456789Z"
        );
        let t = ok("2026-11-01T23:59:59.9999999999Z");
        assert_eq!(
            format_timestamp(&t.instant),
            "2026-11-01T23:59:59.999999999Z"
        );
        assert_eq!(
            format_timestamp(&ok("2026-11-01T12:00:00.5Z").instant),
            "2026-11-01T12:00:00.500Z"
        );
        // Digits of the zone are not fraction digits.
        assert_eq!(
            format_timestamp(&ok("2026-11-01T14:00:00.5+02:00").instant),
            "2026-11-01T12:00:00.500Z"
        );
        assert_eq!(err("2026-11-01T12:00:00.Z"), TimestampError::Syntax);
    }

    #[test]
    fn offsets_are_normalised() {
        let t = ok("2026-11-01T14:00:00+02:00");
        assert_eq!(t.zone, Zone::Offset(120));
        assert_eq!(format_timestamp(&t.instant), "2026-11-01T12:00:00Z");
        let t = ok("2026-11-01T00:30:00-01:00");
        assert_eq!(t.zone, Zone::Offset(-60));
        assert_eq!(format_timestamp(&t.instant), "2026-11-01T01:30:00Z");
        assert_eq!(ok("2026-11-01T12:00:00+00:00").zone, Zone::Offset(0));
        assert_eq!(
            err("2026-11-01T12:00:00+14:30"),
            TimestampError::InvalidOffset
        );
        assert_eq!(
            err("2026-11-01T12:00:00+02:60"),
            TimestampError::InvalidOffset
        );
        assert_eq!(err("2026-11-01T12:00:00+0200"), TimestampError::Syntax);
    }

    #[test]
    fn missing_zone_reads_as_utc() {
        let t = ok("2026-11-01T12:00:00");
        assert_eq!(t.zone, Zone::Missing);
        assert_eq!(format_timestamp(&t.instant), "2026-11-01T12:00:00Z");
    }

    #[test]
    fn leap_second_and_hour_24_are_refused() {
        assert_eq!(err("2016-12-31T23:59:60Z"), TimestampError::LeapSecond);
        assert_eq!(err("2026-11-01T24:00:00Z"), TimestampError::Hour24);
        assert_eq!(err("2026-11-01T12:60:00Z"), TimestampError::InvalidTime);
        assert_eq!(err("2026-11-01T25:00:00Z"), TimestampError::InvalidTime);
    }

    #[test]
    fn years_outside_range_are_refused() {
        assert_eq!(err("0000-01-01T00:00:00Z"), TimestampError::YearOutOfRange);
        assert_eq!(err("10000-01-01T00:00:00Z"), TimestampError::YearOutOfRange);
        assert_eq!(err("-0001-01-01T00:00:00Z"), TimestampError::YearOutOfRange);
        assert_eq!(err("+2026-01-01T00:00:00Z"), TimestampError::YearOutOfRange);
        // The extremes themselves are fine, offsets included.
        assert_eq!(
            format_timestamp(&ok("0001-01-01T00:00:00Z").instant),
            "0001-01-01T00:00:00Z"
        );
        assert_eq!(
            format_timestamp(&ok("9999-12-31T23:59:59.999999999-14:00").instant),
            "+10000-01-01T13:59:59.999999999Z"
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(err("2026-02-29T00:00:00Z"), TimestampError::InvalidDate);
        assert!(parse_timestamp("2024-02-29T00:00:00Z").is_ok());
        assert_eq!(err("2026-13-01T00:00:00Z"), TimestampError::InvalidDate);
        assert_eq!(err("2026-00-10T00:00:00Z"), TimestampError::InvalidDate);
    }

    #[test]
    fn garbage_is_refused() {
        for s in [
            "",
            "This-is-invalid-2016-09-10F32:59:39.387Z",
            "2026-11-01",
            "2026-11-01T12:00Z",
            "2026-11-01 12:00:00Z",
            "2026-11-01t12:00:00Z",
            "2026-11-01T12:00:00z",
            "2026-11-01T12:00:00ZZ",
            "2026-1-01T12:00:00Z",
            "2026-11-01T12:00:00.12a3Z",
            "٢٠٢٦-11-01T12:00:00Z",
            "2026-11-01T12:00:00+",
        ] {
            assert_eq!(parse_timestamp(s), Err(TimestampError::Syntax), "{s:?}");
        }
        assert_eq!(err(" 2026-11-01T12:00:00Z"), TimestampError::Whitespace);
        assert_eq!(err("2026-11-01T12:00:00Z\n"), TimestampError::Whitespace);
    }
}

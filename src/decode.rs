//! SAML bindings: from whatever a person pasted or captured to the XML bytes.
//!
//! Inputs are recognised by their content, in this order:
//!
//! | input | binding |
//! |---|---|
//! | `<…` (after an optional UTF-8 byte-order mark and whitespace) | raw XML |
//! | `SAMLResponse=…&RelayState=…` (also `SAMLRequest=`, or a URL with such a query) | a URL-encoded form body or query string |
//! | standard base64 of XML (line breaks allowed) | HTTP-POST value |
//! | standard base64 of raw DEFLATE of XML | HTTP-Redirect value |
//!
//! A form or query parameter's value is decoded the same way, so a Redirect
//! URL and a POST form body are both recognised. The inflated size is capped,
//! so a deflate bomb costs at most [`DecodeLimits::max_inflated`] bytes.
//!
//! ```
//! use saml_inspect::decode::{decode, Binding, DecodeLimits};
//! let d = decode(b"PGEvPg==", &DecodeLimits::default()).unwrap(); // base64 of "<a/>"
//! assert_eq!(d.binding, Binding::HttpPost);
//! assert_eq!(d.xml, b"<a/>");
//! ```

use std::io::Read;

use base64::Engine as _;
use serde::Serialize;

use crate::codes::Code;
use crate::report::Finding;

/// Bounds on decoding work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest accepted input, in bytes.
    pub max_input: usize,
    /// Largest accepted result of inflating an HTTP-Redirect value, in bytes.
    pub max_inflated: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_input: 8 * 1024 * 1024,
            max_inflated: 4 * 1024 * 1024,
        }
    }
}

/// How the SAML message was carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    /// The XML itself.
    RawXml,
    /// Base64 of the XML: the HTTP-POST binding's form value.
    HttpPost,
    /// Base64 of raw DEFLATE of the XML: the HTTP-Redirect binding's query value.
    HttpRedirect,
}

impl Binding {
    /// A short description for people.
    pub fn describe(self) -> &'static str {
        match self {
            Binding::RawXml => "raw XML",
            Binding::HttpPost => "HTTP-POST (base64)",
            Binding::HttpRedirect => "HTTP-Redirect (base64 of raw DEFLATE)",
        }
    }
}

/// The result of decoding an input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decoded {
    /// The binding that was recognised.
    pub binding: Binding,
    /// True when the input was a form body or query string.
    pub form: bool,
    /// The form or query parameter that carried the message (`SAMLResponse` or
    /// `SAMLRequest`), when there was one.
    pub parameter: Option<&'static str>,
    /// The XML bytes, exactly as carried (a byte-order mark included).
    #[serde(skip)]
    pub xml: Vec<u8>,
    /// The `RelayState` parameter, percent-decoded, when present.
    pub relay_state: Option<String>,
    /// The `SigAlg` query parameter of a signed Redirect message.
    pub sig_alg: Option<String>,
    /// The `Signature` query parameter of a signed Redirect message (base64).
    pub query_signature: Option<String>,
}

impl Decoded {
    /// An info finding that says which binding was recognised.
    pub fn binding_finding(&self) -> Finding {
        let mut msg = format!("input recognised as {}", self.binding.describe());
        if let Some(p) = self.parameter {
            msg.push_str(&format!(" in the form parameter {p}"));
        }
        if self.relay_state.is_some() {
            msg.push_str(", with a RelayState");
        }
        Finding::new(Code::DecodeBinding, msg)
    }
}

/// Why an input could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is empty or only whitespace.
    #[error("the input is empty")]
    Empty,
    /// The input is larger than [`DecodeLimits::max_input`].
    #[error("the input is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The input's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The base64 uses `-` or `_`, the URL-safe alphabet.
    #[error(
        "the base64 uses the URL-safe alphabet ('{symbol}' at offset {offset}); SAML bindings use the standard alphabet (+ and /)"
    )]
    UrlSafeBase64 {
        /// The URL-safe symbol found.
        symbol: char,
        /// Its offset among the base64 characters.
        offset: usize,
    },
    /// A byte outside the base64 alphabet.
    #[error("{context}: byte {byte:?} at offset {offset} is not base64")]
    InvalidBase64Byte {
        /// What was being decoded.
        context: &'static str,
        /// The offending byte, as text.
        byte: String,
        /// Its offset among the base64 characters.
        offset: usize,
    },
    /// Missing or misplaced `=` padding.
    #[error("{context}: the base64 padding is wrong ({detail})")]
    Base64Padding {
        /// What was being decoded.
        context: &'static str,
        /// What is wrong with it.
        detail: String,
    },
    /// The base64 stops in the middle of a group, or its last symbol is impossible.
    #[error("{context}: the base64 is truncated or its last character was altered ({detail})")]
    Base64Truncated {
        /// What was being decoded.
        context: &'static str,
        /// Details.
        detail: String,
    },
    /// A form body or query string that cannot be read.
    #[error("the form body is malformed: {0}")]
    Form(String),
    /// The decoded bytes are neither XML nor raw DEFLATE of XML.
    #[error("{0}")]
    Unrecognized(String),
    /// DEFLATE data that cannot be inflated.
    #[error("the HTTP-Redirect value does not inflate: {0}")]
    Inflate(String),
    /// The inflated message is larger than [`DecodeLimits::max_inflated`].
    #[error("the HTTP-Redirect value inflates to more than {limit} bytes (a deflate bomb?)")]
    InflatedTooLarge {
        /// The limit.
        limit: usize,
    },
}

impl DecodeError {
    /// The finding code for this error.
    pub fn code(&self) -> Code {
        match self {
            DecodeError::Empty | DecodeError::Unrecognized(_) => Code::DecodeUnrecognized,
            DecodeError::TooLarge { .. } | DecodeError::InflatedTooLarge { .. } => {
                Code::DecodeLimitExceeded
            }
            DecodeError::UrlSafeBase64 { .. } => Code::DecodeBase64UrlSafe,
            DecodeError::InvalidBase64Byte { .. }
            | DecodeError::Base64Padding { .. }
            | DecodeError::Base64Truncated { .. } => Code::DecodeBase64Invalid,
            DecodeError::Form(_) => Code::DecodeFormInvalid,
            DecodeError::Inflate(_) => Code::DecodeInflateFailed,
        }
    }

    /// The error as a finding.
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.code(), self.to_string())
    }
}

/// Decodes an input in any of the recognised bindings.
pub fn decode(input: &[u8], limits: &DecodeLimits) -> Result<Decoded, DecodeError> {
    if input.len() > limits.max_input {
        return Err(DecodeError::TooLarge {
            size: input.len(),
            limit: limits.max_input,
        });
    }
    let body = trim_ascii_ws(input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input));
    if body.is_empty() {
        return Err(DecodeError::Empty);
    }
    if body[0] == b'<' {
        return Ok(Decoded {
            binding: Binding::RawXml,
            form: false,
            parameter: None,
            xml: input.to_vec(),
            relay_state: None,
            sig_alg: None,
            query_signature: None,
        });
    }
    if let Some(query) = form_part(body) {
        return decode_form(query, limits);
    }
    let (binding, xml) = decode_value(
        body,
        "the input (not XML, not a form body) read as base64",
        limits,
    )?;
    Ok(Decoded {
        binding,
        form: false,
        parameter: None,
        xml,
        relay_state: None,
        sig_alg: None,
        query_signature: None,
    })
}

const SAML_PARAMETERS: [&str; 2] = ["SAMLResponse", "SAMLRequest"];

/// The form body or query string in `body`, if it looks like one: a URL's
/// query, or text whose first parameter is a SAML or RelayState parameter.
fn form_part(body: &[u8]) -> Option<&[u8]> {
    let is_form = |s: &[u8]| {
        s.split(|&b| b == b'&').any(|pair| {
            let key = pair.split(|&b| b == b'=').next().unwrap_or_default();
            SAML_PARAMETERS.iter().any(|p| p.as_bytes() == key)
        })
    };
    if body.starts_with(b"http://") || body.starts_with(b"https://") {
        let q = body.iter().position(|&b| b == b'?')?;
        let query = &body[q + 1..];
        let query = query.split(|&b| b == b'#').next().unwrap_or_default();
        return is_form(query).then_some(query);
    }
    is_form(body).then_some(body)
}

fn decode_form(query: &[u8], limits: &DecodeLimits) -> Result<Decoded, DecodeError> {
    let mut message: Option<(&'static str, Vec<u8>)> = None;
    let mut relay_state = None;
    let mut sig_alg = None;
    let mut query_signature = None;
    for pair in query.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let mut kv = pair.splitn(2, |&b| b == b'=');
        let key = kv.next().unwrap_or_default();
        let value = kv.next().unwrap_or_default();
        let value = percent_decode_form(value)?;
        if let Some(p) = SAML_PARAMETERS.iter().find(|p| p.as_bytes() == key) {
            if message.is_some() {
                return Err(DecodeError::Form(
                    "it carries more than one SAMLResponse/SAMLRequest parameter".into(),
                ));
            }
            message = Some((p, value));
        } else {
            let text = || {
                String::from_utf8(value.clone())
                    .map_err(|_| DecodeError::Form("a parameter is not UTF-8 text".into()))
            };
            match key {
                b"RelayState" => relay_state = Some(text()?),
                b"SigAlg" => sig_alg = Some(text()?),
                b"Signature" => query_signature = Some(text()?),
                _ => {} // other fields of a captured form carry no SAML meaning
            }
        }
    }
    let (parameter, value) = message.ok_or_else(|| {
        DecodeError::Form("it has no SAMLResponse or SAMLRequest parameter".into())
    })?;
    let context = if parameter == "SAMLResponse" {
        "SAMLResponse"
    } else {
        "SAMLRequest"
    };
    let (binding, xml) = decode_value(trim_ascii_ws(&value), context, limits)?;
    Ok(Decoded {
        binding,
        form: true,
        parameter: Some(parameter),
        xml,
        relay_state,
        sig_alg,
        query_signature,
    })
}

/// Decodes one base64 value: XML (HTTP-POST) or raw DEFLATE of XML (HTTP-Redirect).
fn decode_value(
    value: &[u8],
    context: &'static str,
    limits: &DecodeLimits,
) -> Result<(Binding, Vec<u8>), DecodeError> {
    let bytes = decode_base64(value, context)?;
    if looks_like_xml(&bytes) {
        return Ok((Binding::HttpPost, bytes));
    }
    let inflated = inflate(&bytes, limits.max_inflated).map_err(|e| match e {
        // Neither XML nor DEFLATE: say so plainly rather than "bad deflate".
        DecodeError::Inflate(_) => DecodeError::Unrecognized(format!(
            "{context}: valid base64, but it decodes to neither XML nor raw DEFLATE data"
        )),
        other => other,
    })?;
    if looks_like_xml(&inflated) {
        Ok((Binding::HttpRedirect, inflated))
    } else {
        Err(DecodeError::Unrecognized(format!(
            "{context}: it inflates (HTTP-Redirect), but the result is not XML"
        )))
    }
}

/// Strict standard-alphabet base64 with XML whitespace (line breaks) allowed.
fn decode_base64(value: &[u8], context: &'static str) -> Result<Vec<u8>, DecodeError> {
    let is_ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    // Most values have no line breaks: avoid copying them byte by byte.
    let compact: std::borrow::Cow<'_, [u8]> = if value.iter().any(is_ws) {
        value
            .iter()
            .copied()
            .filter(|b| !is_ws(b))
            .collect::<Vec<u8>>()
            .into()
    } else {
        value.into()
    };
    if let Some(offset) = compact.iter().position(|&b| b == b'-' || b == b'_') {
        // Only blame the alphabet when the rest is base64 too; otherwise it is not base64 at all.
        if compact
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=+/".contains(b))
        {
            return Err(DecodeError::UrlSafeBase64 {
                symbol: compact[offset] as char,
                offset,
            });
        }
    }
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|e| {
            use base64::DecodeError as B;
            match e {
                B::InvalidByte(offset, b'=') => DecodeError::Base64Padding {
                    context,
                    detail: format!("'=' at offset {offset} is not at the end"),
                },
                B::InvalidByte(offset, byte) => DecodeError::InvalidBase64Byte {
                    context,
                    byte: describe_byte(byte),
                    offset,
                },
                B::InvalidPadding => DecodeError::Base64Padding {
                    context,
                    detail: format!(
                        "{} base64 characters need {} '=' at the end",
                        compact.iter().filter(|&&b| b != b'=').count(),
                        (4 - compact.iter().filter(|&&b| b != b'=').count() % 4) % 4
                    ),
                },
                B::InvalidLength(len) => DecodeError::Base64Truncated {
                    context,
                    detail: format!("{len} symbols cannot end a base64 group"),
                },
                B::InvalidLastSymbol { offset, symbol, .. } => DecodeError::Base64Truncated {
                    context,
                    detail: format!("last symbol '{}' at offset {offset}", symbol as char),
                },
            }
        })
}

fn describe_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        (b as char).to_string()
    } else {
        format!("0x{b:02X}")
    }
}

/// Inflates raw DEFLATE, refusing to produce more than `limit` bytes.
fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    let mut reader = flate2::read::DeflateDecoder::new(data).take(limit as u64 + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Inflate(e.to_string()))?;
    if out.len() > limit {
        return Err(DecodeError::InflatedTooLarge { limit });
    }
    Ok(out)
}

fn looks_like_xml(bytes: &[u8]) -> bool {
    let body = trim_ascii_ws(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    body.first() == Some(&b'<')
}

fn trim_ascii_ws(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &b[start..end]
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
pub fn percent_decode_form(value: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        match value[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = value.get(i + 1..i + 3).and_then(|h| {
                    let s = std::str::from_utf8(h).ok()?;
                    u8::from_str_radix(s, 16).ok()
                });
                match hex {
                    Some(byte) => out.push(byte),
                    None => {
                        return Err(DecodeError::Form(format!(
                            "'%' at offset {i} is not followed by two hex digits"
                        )));
                    }
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn b64(x: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(x)
    }

    fn deflate(x: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(x).unwrap();
        e.finish().unwrap()
    }

    fn err(input: &[u8]) -> DecodeError {
        decode(input, &DecodeLimits::default()).unwrap_err()
    }

    #[test]
    fn raw_xml_is_kept_byte_for_byte() {
        let input = b"\xEF\xBB\xBF  <a>\r\n</a>";
        let d = decode(input, &DecodeLimits::default()).unwrap();
        assert_eq!(d.binding, Binding::RawXml);
        assert_eq!(d.xml, input);
    }

    #[test]
    fn base64_with_line_breaks() {
        let xml = b"<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'/>";
        let wrapped: String = b64(xml)
            .as_bytes()
            .chunks(20)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join("\r\n");
        let d = decode(wrapped.as_bytes(), &DecodeLimits::default()).unwrap();
        assert_eq!((d.binding, d.xml.as_slice()), (Binding::HttpPost, &xml[..]));
    }

    #[test]
    fn redirect_value_and_url() {
        let xml = b"<samlp:AuthnRequest xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'/>";
        let value = b64(&deflate(xml));
        let d = decode(value.as_bytes(), &DecodeLimits::default()).unwrap();
        assert_eq!(
            (d.binding, d.xml.as_slice()),
            (Binding::HttpRedirect, &xml[..])
        );

        let enc = value
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        let url = format!(
            "https://login.microsoftonline.com/t/saml2?SAMLRequest={enc}&RelayState=abc%20d&SigAlg=x&Signature=c2ln"
        );
        let d = decode(url.as_bytes(), &DecodeLimits::default()).unwrap();
        assert_eq!(d.binding, Binding::HttpRedirect);
        assert_eq!(d.parameter, Some("SAMLRequest"));
        assert_eq!(d.relay_state.as_deref(), Some("abc d"));
        assert_eq!(d.sig_alg.as_deref(), Some("x"));
        assert_eq!(d.query_signature.as_deref(), Some("c2ln"));
    }

    #[test]
    fn form_body_with_relay_state() {
        let xml = b"<r/>";
        let body = format!(
            "SAMLResponse={}&RelayState=https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fconnect%2Ffederate%2Fx",
            b64(xml).replace('=', "%3D")
        );
        let d = decode(body.as_bytes(), &DecodeLimits::default()).unwrap();
        assert!(d.form);
        assert_eq!(d.parameter, Some("SAMLResponse"));
        assert_eq!(d.xml, xml);
        assert_eq!(
            d.relay_state.as_deref(),
            Some("https://us-east-1.console.aws.amazon.com/connect/federate/x")
        );
    }

    #[test]
    fn url_safe_alphabet_is_named() {
        let e = err(b"PD94bWwg-_Zlcn==");
        assert_eq!(e.code(), Code::DecodeBase64UrlSafe);
        assert!(e.to_string().contains("URL-safe"), "{e}");
    }

    #[test]
    fn padding_and_truncation_are_named() {
        let full = b64(b"<samlp:Response/>"); // ends with '='
        let e = err(full.trim_end_matches('=').as_bytes());
        assert!(matches!(e, DecodeError::Base64Padding { .. }), "{e}");
        let e = err(&full.as_bytes()[..full.len() - 3]);
        assert_eq!(e.code(), Code::DecodeBase64Invalid, "{e}");
        let e = err(b"PGE+=PGE+");
        assert!(matches!(e, DecodeError::Base64Padding { .. }), "{e}");
    }

    #[test]
    fn plain_text_is_unrecognized() {
        let e = err(b"this is not a saml message");
        assert_eq!(e.code(), Code::DecodeBase64Invalid);
        assert!(e.to_string().contains("not XML"), "{e}");
        let e = err(&b64(b"hello, world").into_bytes());
        assert_eq!(e.code(), Code::DecodeUnrecognized, "{e}");
        assert_eq!(err(b"  \n").code(), Code::DecodeUnrecognized);
    }

    #[test]
    fn deflate_bomb_is_capped() {
        let bomb = deflate(&vec![b'<'; 5 * 1024 * 1024]);
        let limits = DecodeLimits::default();
        let e = decode(b64(&bomb).as_bytes(), &limits).unwrap_err();
        assert_eq!(
            e,
            DecodeError::InflatedTooLarge {
                limit: limits.max_inflated
            }
        );
    }

    #[test]
    fn oversized_input_is_refused() {
        let limits = DecodeLimits {
            max_input: 10,
            ..Default::default()
        };
        let e = decode(b"<a>0123456789</a>", &limits).unwrap_err();
        assert_eq!(e.code(), Code::DecodeLimitExceeded);
    }

    #[test]
    fn form_errors() {
        assert_eq!(err(b"SAMLResponse=%ZZ").code(), Code::DecodeFormInvalid);
        assert_eq!(
            err(b"SAMLResponse=PGEvPg%3D%3D&SAMLResponse=x").code(),
            Code::DecodeFormInvalid
        );
    }
}

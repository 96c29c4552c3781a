//! SAML messages in a browser capture (HAR, "Save all as HAR").
//!
//! [`read_har`] streams the HAR's JSON and keeps only the requests that carry
//! a SAML message: POST bodies with `SAMLResponse` or `SAMLRequest` (in
//! `postData.text` or `postData.params`) and HTTP-Redirect query parameters,
//! each with its `RelayState`. Everything else — response bodies, headers,
//! timings, which make up nearly all of a capture — is skipped while
//! parsing, without being stored, so memory stays bounded by the largest
//! single request field rather than the file size.
//!
//! Each [`HarMessage`] records where it was sent ([`Endpoint`]: Entra ID,
//! IAM Identity Center, AWS sign-in, Amazon Connect) and the bytes to give to
//! [`crate::inspect::inspect`] or [`crate::decode::decode`].

use std::fmt;
use std::io::Read;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::decode::percent_decode_form;

/// Which party of the federation chain a request went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// Microsoft Entra ID (`login.microsoftonline.com` and its aliases).
    Entra,
    /// AWS IAM Identity Center: its SAML service provider endpoint
    /// (`*.signin.aws.amazon.com/platform/saml/…`), the access portal
    /// (`*.awsapps.com/start`) or its identity provider (`portal.sso.*`).
    IdentityCenter,
    /// AWS sign-in's SAML endpoint (`signin.aws.amazon.com/saml`, regional too).
    AwsSignIn,
    /// Amazon Connect (console federation URL or the instance's domain).
    Connect,
    /// Anything else.
    Other,
}

impl Endpoint {
    /// Classifies a request URL.
    pub fn of_url(url: &str) -> Endpoint {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or(url);
        let (host, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
        let host = host.to_ascii_lowercase();
        let path = path.split('?').next().unwrap_or("");
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        if [
            "login.microsoftonline.com",
            "login.windows.net",
            "login.microsoft.com",
        ]
        .contains(&host.as_str())
        {
            Endpoint::Entra
        } else if under("signin.aws.amazon.com") || under("signin.amazonaws-us-gov.com") {
            if path.starts_with("/platform/saml") {
                Endpoint::IdentityCenter
            } else {
                Endpoint::AwsSignIn
            }
        } else if path.starts_with("/connect")
            && (under("console.aws.amazon.com") || under("awsapps.com"))
            || under("my.connect.aws")
        {
            Endpoint::Connect
        } else if under("awsapps.com")
            || (host.starts_with("portal.sso.") && under("amazonaws.com"))
        {
            Endpoint::IdentityCenter
        } else {
            Endpoint::Other
        }
    }

    /// A name for people.
    pub fn describe(self) -> &'static str {
        match self {
            Endpoint::Entra => "Entra ID",
            Endpoint::IdentityCenter => "IAM Identity Center",
            Endpoint::AwsSignIn => "AWS sign-in",
            Endpoint::Connect => "Amazon Connect",
            Endpoint::Other => "other",
        }
    }
}

/// Where in the request the message was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// The URL-encoded POST body (`postData.text`).
    PostText,
    /// The parsed POST parameters (`postData.params`).
    PostParams,
    /// The request URL's query (HTTP-Redirect binding).
    Query,
}

impl Carrier {
    /// A name for people.
    pub fn describe(self) -> &'static str {
        match self {
            Carrier::PostText => "POST body (HTTP-POST binding)",
            Carrier::PostParams => "POST parameters (HTTP-POST binding)",
            Carrier::Query => "URL query (HTTP-Redirect binding)",
        }
    }
}

/// One SAML message found in the capture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HarMessage {
    /// The entry's index in the HAR log, from 0.
    pub entry: usize,
    /// The entry's `startedDateTime`, as recorded.
    pub started: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The request URL.
    pub url: String,
    /// Who the request went to.
    pub endpoint: Endpoint,
    /// Where the message was found.
    pub kind: Carrier,
    /// `SAMLRequest` or `SAMLResponse`.
    pub parameter: &'static str,
    /// The `RelayState` sent with it, decoded.
    pub relay_state: Option<String>,
    /// The binding-encoded input for [`crate::decode::decode`] and
    /// [`crate::inspect::inspect`]: a form body or a Redirect URL.
    #[serde(skip)]
    pub input: Vec<u8>,
}

/// The SAML messages of a capture, in the order of its entries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HarCapture {
    /// How many entries the log has.
    pub entries: usize,
    /// The messages, in entry order.
    pub messages: Vec<HarMessage>,
}

impl HarCapture {
    /// The last SAMLResponse posted to AWS sign-in: the one the chain check needs.
    pub fn aws_sign_in_response(&self) -> Option<&HarMessage> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.endpoint == Endpoint::AwsSignIn && m.parameter == "SAMLResponse")
    }
}

/// Why a capture could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HarError {
    /// Not JSON, or JSON that is not a HAR log.
    #[error("not a HAR capture: {0}")]
    Json(String),
    /// More entries than [`MAX_ENTRIES`].
    #[error("the capture has more than {MAX_ENTRIES} entries")]
    TooManyEntries,
}

/// The most entries read from one capture.
pub const MAX_ENTRIES: usize = 1_000_000;

/// Reads a HAR capture from a stream, keeping only SAML-bearing requests.
/// The stream is buffered here; the whole capture is never held in memory.
pub fn read_har<R: Read>(reader: R) -> Result<HarCapture, HarError> {
    finish(serde_json::Deserializer::from_reader(
        std::io::BufReader::new(reader),
    ))
}

/// Reads a HAR capture from bytes.
pub fn parse_har(bytes: &[u8]) -> Result<HarCapture, HarError> {
    finish(serde_json::Deserializer::from_slice(bytes))
}

fn finish<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
) -> Result<HarCapture, HarError> {
    let capture = de
        .deserialize_map(RootVisitor)
        .map_err(|e| HarError::Json(e.to_string()))?;
    de.end().map_err(|e| HarError::Json(e.to_string()))?;
    capture.ok_or_else(|| HarError::Json("no log.entries array".into()))
}

struct RootVisitor;

impl<'de> Visitor<'de> for RootVisitor {
    type Value = Option<HarCapture>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR object with a log")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut capture = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<str>>()? {
            if key == "log" {
                capture = map.next_value::<LogSeed>()?.0;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(capture)
    }
}

struct LogSeed(Option<HarCapture>);

impl<'de> Deserialize<'de> for LogSeed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LogVisitor;
        impl<'de> Visitor<'de> for LogVisitor {
            type Value = LogSeed;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a HAR log object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LogSeed, A::Error> {
                let mut capture = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<str>>()? {
                    if key == "entries" {
                        capture = Some(map.next_value::<EntriesSeed>()?.0);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(LogSeed(capture))
            }
        }
        d.deserialize_map(LogVisitor)
    }
}

struct EntriesSeed(HarCapture);

impl<'de> Deserialize<'de> for EntriesSeed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = EntriesSeed;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of HAR entries")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<EntriesSeed, A::Error> {
                let mut capture = HarCapture::default();
                while let Some(entry) = seq.next_element::<Entry>()? {
                    if capture.entries == MAX_ENTRIES {
                        return Err(de::Error::custom(HarError::TooManyEntries));
                    }
                    entry.saml_messages(capture.entries, &mut capture.messages);
                    capture.entries += 1;
                }
                Ok(EntriesSeed(capture))
            }
        }
        d.deserialize_seq(EntriesVisitor)
    }
}

// Only these fields are kept; serde skips the rest (responses, headers,
// timings) without storing them.
#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "startedDateTime", default)]
    started: Option<String>,
    request: Request,
}

#[derive(Deserialize)]
struct Request {
    #[serde(default)]
    method: String,
    url: String,
    #[serde(rename = "postData", default)]
    post_data: Option<PostData>,
}

#[derive(Deserialize)]
struct PostData {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    params: Vec<Param>,
}

#[derive(Deserialize)]
struct Param {
    name: String,
    #[serde(default)]
    value: Option<String>,
}

const PARAMETERS: [&str; 2] = ["SAMLResponse", "SAMLRequest"];

/// `name=value` pairs of a form body or query, values still encoded.
fn pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .filter_map(|p| p.split_once('=').or(Some((p, ""))))
}

fn form_value(raw: &str) -> String {
    percent_decode_form(raw.as_bytes())
        .map(|v| String::from_utf8_lossy(&v).into_owned())
        .unwrap_or_else(|_| raw.to_string())
}

impl Entry {
    fn saml_messages(self, index: usize, out: &mut Vec<HarMessage>) {
        let Request {
            method,
            url,
            post_data,
        } = self.request;
        let endpoint = Endpoint::of_url(&url);
        let mut found = Vec::new();
        if let Some(query) = url
            .split_once('?')
            .map(|(_, q)| q.split('#').next().unwrap_or(q))
        {
            let relay = pairs(query)
                .find(|(k, _)| *k == "RelayState")
                .map(|(_, v)| form_value(v));
            for (name, _) in pairs(query) {
                if let Some(p) = PARAMETERS.iter().find(|p| **p == name) {
                    found.push((Carrier::Query, *p, relay.clone(), url.clone().into_bytes()));
                }
            }
        }
        if let Some(post) = post_data {
            let text = post.text.unwrap_or_default();
            let from_text: Vec<_> = pairs(text.trim())
                .filter_map(|(k, _)| PARAMETERS.iter().find(|p| **p == k))
                .collect();
            if !from_text.is_empty() {
                let relay = pairs(text.trim())
                    .find(|(k, _)| *k == "RelayState")
                    .map(|(_, v)| form_value(v));
                for p in from_text {
                    found.push((
                        Carrier::PostText,
                        *p,
                        relay.clone(),
                        text.trim().as_bytes().to_vec(),
                    ));
                }
            } else {
                let relay = post
                    .params
                    .iter()
                    .find(|p| p.name == "RelayState")
                    .and_then(|p| p.value.as_deref())
                    .map(param_value);
                for param in &post.params {
                    if let Some(p) = PARAMETERS.iter().find(|p| **p == param.name) {
                        let value = param.value.as_deref().unwrap_or("");
                        // Captures store parameters either still URL-encoded
                        // or decoded; decoded base64 is passed as it is.
                        let input = if value.contains('%') {
                            format!("{}={value}", param.name).into_bytes()
                        } else {
                            value.as_bytes().to_vec()
                        };
                        found.push((Carrier::PostParams, *p, relay.clone(), input));
                    }
                }
            }
        }
        for (kind, parameter, relay_state, input) in found {
            out.push(HarMessage {
                entry: index,
                started: self.started.clone(),
                method: method.clone(),
                url: url.clone(),
                endpoint,
                kind,
                parameter,
                relay_state,
                input,
            });
        }
    }
}

fn param_value(v: &str) -> String {
    if v.contains('%') {
        form_value(v)
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_of_the_chain() {
        let cases = [
            (
                "https://login.microsoftonline.com/0f1e2d3c-0000-4000-8000-000000000000/saml2",
                Endpoint::Entra,
            ),
            (
                "https://eu-central-1.signin.aws.amazon.com/platform/saml/acs/2f0c5f43-7a0c-4b8b-8d34-0a1b2c3d4e5f",
                Endpoint::IdentityCenter,
            ),
            (
                "https://d-1234567890.awsapps.com/start/",
                Endpoint::IdentityCenter,
            ),
            (
                "https://portal.sso.eu-central-1.amazonaws.com/saml/assertion/abc",
                Endpoint::IdentityCenter,
            ),
            ("https://signin.aws.amazon.com/saml", Endpoint::AwsSignIn),
            (
                "https://eu-central-1.signin.aws.amazon.com/saml",
                Endpoint::AwsSignIn,
            ),
            (
                "https://eu-central-1.console.aws.amazon.com/connect/federate/6c1e2f3a-4b5c-4d6e-8f70-91a2b3c4d5e6",
                Endpoint::Connect,
            ),
            ("https://example.my.connect.aws/ccp-v2", Endpoint::Connect),
            ("https://example.com/saml", Endpoint::Other),
        ];
        for (url, want) in cases {
            assert_eq!(Endpoint::of_url(url), want, "{url}");
        }
    }

    #[test]
    fn keeps_only_saml_requests() {
        let har = br#"{"log":{"version":"1.2","entries":[
          {"startedDateTime":"t0","request":{"method":"GET","url":"https://login.microsoftonline.com/x/saml2?SAMLRequest=abc&RelayState=r%2F1","headers":[]},"response":{"content":{"text":"big"}}},
          {"request":{"method":"GET","url":"https://example.com/"}},
          {"request":{"method":"POST","url":"https://signin.aws.amazon.com/saml","postData":{"mimeType":"application/x-www-form-urlencoded","text":"SAMLResponse=PHg%2B&RelayState=https%3A%2F%2Fx"}}},
          {"request":{"method":"POST","url":"https://eu-central-1.signin.aws.amazon.com/platform/saml/acs/u","postData":{"params":[{"name":"SAMLResponse","value":"PHg+"},{"name":"RelayState","value":"rs"}]}}}
        ]}}"#;
        let c = parse_har(har).unwrap();
        assert_eq!(c.entries, 4);
        assert_eq!(c.messages.len(), 3);
        let m = &c.messages[0];
        assert_eq!(
            (m.entry, m.kind, m.parameter),
            (0, Carrier::Query, "SAMLRequest")
        );
        assert_eq!(m.relay_state.as_deref(), Some("r/1"));
        assert_eq!(m.endpoint, Endpoint::Entra);
        let m = &c.messages[1];
        assert_eq!(
            (m.entry, m.kind, m.endpoint),
            (2, Carrier::PostText, Endpoint::AwsSignIn)
        );
        assert_eq!(m.relay_state.as_deref(), Some("https://x"));
        let m = &c.messages[2];
        assert_eq!(
            (m.kind, m.endpoint),
            (Carrier::PostParams, Endpoint::IdentityCenter)
        );
        assert_eq!(m.input, b"PHg+");
        assert_eq!(c.aws_sign_in_response().unwrap().entry, 2);
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(matches!(parse_har(b"[1]"), Err(HarError::Json(_))));
        assert!(matches!(
            parse_har(br#"{"log":{}}"#),
            Err(HarError::Json(_))
        ));
        assert!(parse_har(br#"{"log":{"entries":[{"request":{}}]}}"#).is_err());
        assert!(parse_har(br#"{"log":{"entries":[]}} trailing"#).is_err());
    }
}

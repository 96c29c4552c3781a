//! The Amazon Connect relay state: the URL the IdP hands to AWS sign-in so that
//! the browser continues to the Connect instance (rules 38, 42-45).
//!
//! ```text
//! https://<region>.console.aws.amazon.com/connect/federate/<instance-id>[?destination=%2Fccp-v2[&new_domain=true]]
//! https://console.amazonaws-us-gov.com/connect/federate/<instance-id>
//! ```
//!
//! The URL is split and percent-decoded by hand, strictly: one scheme
//! (`https`), lower-case host, exact path, `%XX` escapes only, UTF-8 after
//! decoding. A general URL parser would accept (and normalise) far more than
//! the Connect console does, which would hide exactly the mistakes we look for.

use super::arn::{Partition, is_lowercase_uuid, is_region_shape, is_uuid_any_case};
use super::excerpt;
use crate::codes::Code;
use crate::report::{Finding, Severity};

/// SAML bindings' limit for RelayState (bindings §3.4.3 / §3.5.3).
pub const SAML_RELAY_STATE_MAX_BYTES: usize = 80;
/// Relay states longer than this are refused without being examined.
const MAX_EXAMINED_BYTES: usize = 8192;
/// The destination pages documented for Connect (rule 43).
pub const DOCUMENTED_DESTINATIONS: &[&str] = &[
    "/ccp-v2",
    "/ccp-v2/chat",
    "/agent-app-v2",
    "/connect/ccp",
    "/connect/ccp-v2",
    "/connect/home",
];

/// The console host a Connect relay state goes through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectHost {
    /// `<region>.console.aws.amazon.com`.
    Regional(String),
    /// `console.aws.amazon.com` without a region (seen in partner docs; us-east-1).
    Global,
    /// `console.amazonaws-us-gov.com` (AWS GovCloud (US)).
    GovCloud,
}

/// The host name, e.g. `eu-west-2.console.aws.amazon.com`.
impl std::fmt::Display for ConnectHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectHost::Regional(region) => write!(f, "{region}.console.aws.amazon.com"),
            ConnectHost::Global => f.write_str("console.aws.amazon.com"),
            ConnectHost::GovCloud => f.write_str("console.amazonaws-us-gov.com"),
        }
    }
}

/// The VDI platforms Connect's `VDIPlatform` parameter names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VdiPlatform {
    /// `CITRIX_413`.
    Citrix413,
    /// `AWS_WORKSPACE`.
    AwsWorkspace,
    /// `OMNISSA`.
    Omnissa,
    /// `AZURE`.
    Azure,
}

impl VdiPlatform {
    /// The value as written in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            VdiPlatform::Citrix413 => "CITRIX_413",
            VdiPlatform::AwsWorkspace => "AWS_WORKSPACE",
            VdiPlatform::Omnissa => "OMNISSA",
            VdiPlatform::Azure => "AZURE",
        }
    }

    fn from_value(s: &str) -> Option<VdiPlatform> {
        [
            VdiPlatform::Citrix413,
            VdiPlatform::AwsWorkspace,
            VdiPlatform::Omnissa,
            VdiPlatform::Azure,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// The relay-state entry point: `RelayState::parse(url)` is
/// [`ConnectRelayState::parse`]; the relay states this crate understands are
/// Connect federation URLs.
pub type RelayState = ConnectRelayState;

/// A Connect federation relay state, taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectRelayState {
    /// The console host.
    pub host: ConnectHost,
    /// The instance id (a lower-case UUID).
    pub instance_id: String,
    /// The decoded destination page (e.g. `/ccp-v2/chat`), without parameters.
    pub destination: Option<String>,
    /// True when `new_domain=true` is given (as a parameter or inside the destination).
    pub new_domain: bool,
    /// The VDI platform named inside the destination.
    pub vdi_platform: Option<VdiPlatform>,
    /// The length of the relay state in bytes.
    pub byte_len: usize,
}

impl ConnectRelayState {
    /// The region the relay state sends the user to: the host's region, us-east-1
    /// for the region-less commercial host, None for GovCloud (whose host names none).
    pub fn region(&self) -> Option<&str> {
        match &self.host {
            ConnectHost::Regional(r) => Some(r),
            ConnectHost::Global => Some("us-east-1"),
            ConnectHost::GovCloud => None,
        }
    }

    /// The partition of the console host.
    pub fn partition(&self) -> Partition {
        match self.host {
            ConnectHost::GovCloud => Partition::AwsUsGov,
            _ => Partition::Aws,
        }
    }

    /// Parses and checks a relay state as a Connect federation URL.
    ///
    /// Findings: `connect.relay_state.invalid` (says what is wrong),
    /// `connect.relay_state.destination_unknown` (warning),
    /// `connect.relay_state.long` (info, over 80 bytes). The value is returned
    /// when it has no error.
    ///
    /// ```
    /// use saml_inspect::aws::ConnectRelayState;
    /// let (rs, findings) = ConnectRelayState::parse(
    ///     "https://us-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?destination=%2Fccp-v2%2Fchat&new_domain=true");
    /// let rs = rs.unwrap();
    /// assert_eq!(rs.region(), Some("us-west-2"));
    /// assert_eq!(rs.destination.as_deref(), Some("/ccp-v2/chat"));
    /// assert!(rs.new_domain);
    /// // Only the informational "longer than 80 bytes" note.
    /// assert!(findings.iter().all(|f| f.severity == saml_inspect::Severity::Info));
    /// ```
    pub fn parse(url: &str) -> (Option<ConnectRelayState>, Vec<Finding>) {
        let mut findings = Vec::new();
        if url.len() > SAML_RELAY_STATE_MAX_BYTES {
            findings.push(Finding::new(
                Code::ConnectRelayStateLong,
                format!(
                    "the relay state is {} bytes; SAML bindings say at most 80, but AWS relay states \
                     are routinely longer and work",
                    url.len()
                ),
            ));
        }
        let result = parse_inner(url, &mut findings);
        let value = match result {
            Ok(v) => Some(v),
            Err(why) => {
                findings.push(
                    Finding::new(
                        Code::ConnectRelayStateInvalid,
                        format!(
                            "the relay state '{}' is not a Connect federation URL: {why}",
                            excerpt(url, 200)
                        ),
                    )
                    .expected_found(
                        "https://<region>.console.aws.amazon.com/connect/federate/<instance-id>",
                        excerpt(url, 200),
                    ),
                );
                None
            }
        };
        (value, findings)
    }
}

fn parse_inner(url: &str, findings: &mut Vec<Finding>) -> Result<ConnectRelayState, String> {
    if url.len() > MAX_EXAMINED_BYTES {
        return Err(format!("it is {} bytes long", url.len()));
    }
    if url.is_empty() {
        return Err("it is empty".to_string());
    }
    if let Some((i, c)) = url
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        return Err(format!(
            "it contains whitespace or a control character (U+{:04X}) at byte {}",
            u32::from(c),
            i + 1
        ));
    }
    if url.starts_with("http://") {
        return Err("it uses http; the console is https".to_string());
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("it does not start with https://".to_string());
    };
    if rest.contains('#') {
        return Err("it has a fragment ('#'), which Connect does not use".to_string());
    }
    let (base, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (host, path) = match base.find('/') {
        Some(i) => (base.get(..i).unwrap_or(""), base.get(i..).unwrap_or("")),
        None => (base, ""),
    };
    let host = parse_host(host)?;
    let Some(id) = path.strip_prefix("/connect/federate/") else {
        return Err(format!(
            "the path is '{}'; it must be /connect/federate/<instance-id>",
            excerpt(path, 80)
        ));
    };
    if let Some(bare) = id.strip_suffix('/').filter(|b| is_uuid_any_case(b)) {
        return Err(format!(
            "the instance id '{bare}' is followed by a '/'; remove it"
        ));
    }
    if !is_lowercase_uuid(id) {
        return Err(if is_uuid_any_case(id) {
            format!(
                "the instance id '{id}' must be lower-case ('{}')",
                id.to_ascii_lowercase()
            )
        } else {
            format!(
                "'{}' is not an instance id (a lower-case UUID such as \
                 aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee)",
                excerpt(id, 80)
            )
        });
    }
    let mut state = ConnectRelayState {
        host,
        instance_id: id.to_string(),
        destination: None,
        new_domain: false,
        vdi_platform: None,
        byte_len: url.len(),
    };
    if let Some(query) = query {
        parse_query(query, &mut state, findings)?;
    }
    Ok(state)
}

fn parse_host(host: &str) -> Result<ConnectHost, String> {
    if host.contains(['@', ':']) {
        return Err(format!(
            "the host part '{}' carries a port or user information",
            excerpt(host, 80)
        ));
    }
    if host != host.to_ascii_lowercase() {
        return Err(format!(
            "the host '{host}' must be lower-case ('{}')",
            host.to_ascii_lowercase()
        ));
    }
    if host == "console.aws.amazon.com" {
        return Ok(ConnectHost::Global);
    }
    if host == "console.amazonaws-us-gov.com" {
        return Ok(ConnectHost::GovCloud);
    }
    if let Some(region) = host.strip_suffix(".console.aws.amazon.com") {
        if is_region_shape(region) && Partition::Aws.has_region(region) {
            return Ok(ConnectHost::Regional(region.to_string()));
        }
        return Err(format!(
            "'{region}' in the host is not an AWS commercial region (GovCloud uses \
             https://console.amazonaws-us-gov.com/connect/federate/<instance-id>)"
        ));
    }
    if host.ends_with(".my.connect.aws") || host.ends_with(".awsapps.com") {
        return Err(format!(
            "'{host}' is the instance's own address; a SAML relay state must go through \
             https://<region>.console.aws.amazon.com/connect/federate/<instance-id>"
        ));
    }
    Err(format!(
        "the host '{}' is not <region>.console.aws.amazon.com or console.amazonaws-us-gov.com",
        excerpt(host, 80)
    ))
}

/// Decodes `%XX` escapes strictly; everything else (including `+`) stays as is.
pub fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).and_then(|&h| (h as char).to_digit(16));
            match (hex(i + 1), hex(i + 2)) {
                (Some(hi), Some(lo)) => {
                    // Both digits are below 16, so the byte fits.
                    out.push((hi * 16 + lo) as u8);
                    i += 3;
                }
                _ => {
                    return Err(format!(
                        "'%' at byte {} is not followed by two hexadecimal digits",
                        i + 1
                    ));
                }
            }
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the decoded text is not UTF-8".to_string())
}

fn parse_query(
    query: &str,
    state: &mut ConnectRelayState,
    findings: &mut Vec<Finding>,
) -> Result<(), String> {
    if query.is_empty() {
        return Err("it ends with an empty query ('?')".to_string());
    }
    let mut seen_destination = false;
    let mut seen_new_domain = false;
    for param in query.split('&') {
        let Some((key, value)) = param.split_once('=') else {
            return Err(format!(
                "the parameter '{}' has no '=value'",
                excerpt(param, 80)
            ));
        };
        match key {
            "destination" => {
                if seen_destination {
                    return Err("'destination' is given twice".to_string());
                }
                seen_destination = true;
                parse_destination(value, state, findings)?;
            }
            "new_domain" => {
                if seen_new_domain {
                    return Err("'new_domain' is given twice".to_string());
                }
                seen_new_domain = true;
                if value != "true" {
                    return Err(format!(
                        "new_domain is '{}'; the only documented value is 'true'",
                        excerpt(value, 40)
                    ));
                }
                state.new_domain = true;
            }
            "VDIPlatform" => {
                return Err("VDIPlatform belongs inside the destination, after a '?' \
                     (?destination=%2Fagent-app-v2?VDIPlatform=…)"
                    .to_string());
            }
            other => {
                return Err(format!(
                    "the parameter '{}' is not one Connect documents (destination, new_domain)",
                    excerpt(other, 40)
                ));
            }
        }
    }
    // new_domain may come before or after the destination, so this is checked last.
    if let Some(page) = state
        .destination
        .as_deref()
        .filter(|p| p.starts_with("/connect/"))
    {
        if state.new_domain {
            findings.push(Finding::new(
                Code::ConnectRelayStateDestinationUnknown,
                format!(
                    "the destination '{page}' is a page of the old awsapps.com domain, but \
                     new_domain=true asks for the new one; drop the /connect prefix ('{}')",
                    page.strip_prefix("/connect").unwrap_or(page)
                ),
            ));
        }
    }
    Ok(())
}

fn parse_destination(
    raw: &str,
    state: &mut ConnectRelayState,
    findings: &mut Vec<Finding>,
) -> Result<(), String> {
    if raw.contains('/') {
        findings.push(
            Finding::new(
                Code::ConnectRelayStateInvalid,
                "the destination has a literal '/'; AWS documents it percent-encoded (%2F), \
                 which is safer through IdP configuration screens"
                    .to_string(),
            )
            .severity(Severity::Warning),
        );
    }
    let decoded =
        percent_decode(raw).map_err(|e| format!("the destination is badly encoded: {e}"))?;
    if !decoded.starts_with('/') {
        return Err(format!(
            "the destination '{}' must start with '/' (%2F)",
            excerpt(&decoded, 80)
        ));
    }
    // Parameters can ride inside the destination: "&new_domain=true" encoded as
    // %26, and "?VDIPlatform=…" after a literal or encoded '?'.
    let (head, extra) = match decoded.split_once('&') {
        Some((h, e)) => (h, Some(e)),
        None => (decoded.as_str(), None),
    };
    let (page, inner) = match head.split_once('?') {
        Some((p, i)) => (p, Some(i)),
        None => (head, None),
    };
    let params = inner.into_iter().chain(extra).flat_map(|s| s.split('&'));
    for param in params {
        match param.split_once('=') {
            Some(("new_domain", "true")) => state.new_domain = true,
            Some(("new_domain", v)) => {
                return Err(format!(
                    "new_domain inside the destination is '{}'; the only documented value is 'true'",
                    excerpt(v, 40)
                ));
            }
            Some(("VDIPlatform", v)) => match VdiPlatform::from_value(v) {
                Some(p) => state.vdi_platform = Some(p),
                None => {
                    return Err(format!(
                        "VDIPlatform '{}' is not one of CITRIX_413, AWS_WORKSPACE, OMNISSA, AZURE",
                        excerpt(v, 40)
                    ));
                }
            },
            _ => {
                return Err(format!(
                    "the destination carries '{}', which is not new_domain=true or VDIPlatform=…",
                    excerpt(param, 60)
                ));
            }
        }
    }
    if !DOCUMENTED_DESTINATIONS.contains(&page) {
        findings.push(Finding::new(
            Code::ConnectRelayStateDestinationUnknown,
            format!(
                "the destination '{}' is not a documented Connect page ({}); check the spelling and \
                 that the user's security profile allows it",
                excerpt(page, 80),
                DOCUMENTED_DESTINATIONS.join(", ")
            ),
        ));
    }
    state.destination = Some(page.to_string());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    fn url(host: &str, tail: &str) -> String {
        format!("https://{host}/connect/federate/{ID}{tail}")
    }

    #[test]
    fn host_displays_as_the_host_name_parsed() {
        for host in [
            "eu-west-2.console.aws.amazon.com",
            "console.aws.amazon.com",
            "console.amazonaws-us-gov.com",
        ] {
            let (rs, _) = ConnectRelayState::parse(&url(host, ""));
            assert_eq!(rs.map(|r| r.host.to_string()).as_deref(), Some(host));
        }
    }

    fn errors(f: &[Finding]) -> Vec<&Finding> {
        f.iter().filter(|f| f.severity != Severity::Info).collect()
    }

    #[test]
    fn documented_forms_are_accepted() {
        for (u, dest, new_domain, vdi) in [
            (
                url("us-west-2.console.aws.amazon.com", ""),
                None,
                false,
                None,
            ),
            (
                url("eu-west-2.console.aws.amazon.com", "?destination=%2Fccp-v2"),
                Some("/ccp-v2"),
                false,
                None,
            ),
            (
                url(
                    "eu-west-2.console.aws.amazon.com",
                    "?destination=%2Fccp-v2%2Fchat&new_domain=true",
                ),
                Some("/ccp-v2/chat"),
                true,
                None,
            ),
            (
                url(
                    "eu-west-2.console.aws.amazon.com",
                    "?destination=%2Fccp-v2%2Fchat%26new_domain=true",
                ),
                Some("/ccp-v2/chat"),
                true,
                None,
            ),
            (
                url("eu-west-2.console.aws.amazon.com", "?new_domain=true"),
                None,
                true,
                None,
            ),
            (
                url(
                    "eu-west-2.console.aws.amazon.com",
                    "?destination=%2Fagent-app-v2?VDIPlatform=CITRIX_413",
                ),
                Some("/agent-app-v2"),
                false,
                Some(VdiPlatform::Citrix413),
            ),
            (
                url(
                    "console.amazonaws-us-gov.com",
                    "?destination=%2Fconnect%2Fccp",
                ),
                Some("/connect/ccp"),
                false,
                None,
            ),
            (
                url("console.aws.amazon.com", "?destination=%2Fconnect%2Fhome"),
                Some("/connect/home"),
                false,
                None,
            ),
        ] {
            let (rs, f) = ConnectRelayState::parse(&u);
            assert!(errors(&f).is_empty(), "{u}: {f:?}");
            let rs = rs.unwrap();
            assert_eq!(rs.instance_id, ID);
            assert_eq!(rs.destination.as_deref(), dest, "{u}");
            assert_eq!(rs.new_domain, new_domain, "{u}");
            assert_eq!(rs.vdi_platform, vdi, "{u}");
        }
    }

    #[test]
    fn long_is_info_only() {
        let (rs, f) = ConnectRelayState::parse(&url("us-west-2.console.aws.amazon.com", ""));
        assert!(rs.is_some());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, Code::ConnectRelayStateLong);
        assert_eq!(f[0].severity, Severity::Info);
    }

    #[test]
    fn invalid_forms_say_what() {
        let upper = url("eu-west-2.console.aws.amazon.com", "").replace("aaaaaaaa", "AAAAAAAA");
        for (u, why) in [
            (
                url("eu-west-2.console.aws.amazon.com", "/"),
                "followed by a '/'",
            ),
            (upper, "lower-case"),
            (
                url(
                    "eu-west-2.console.aws.amazon.com",
                    "?destination=%2Fccp-v2&foo=1",
                ),
                "foo",
            ),
            (
                url("eu-west-2.console.aws.amazon.com", "?new_domain=false"),
                "only documented value",
            ),
            (
                url("eu-west-2.console.aws.amazon.com", "?destination=ccp-v2"),
                "must start with '/'",
            ),
            (
                url(
                    "eu-west-2.console.aws.amazon.com",
                    "?destination=%2Fccp-v2%zz",
                ),
                "two hexadecimal",
            ),
            (
                url(
                    "eu-west-2.console.aws.amazon.com",
                    "?destination=%2Fagent-app-v2?VDIPlatform=VMWARE",
                ),
                "VDIPlatform",
            ),
            (
                url("eu-west-2.console.aws.amazon.com", "?VDIPlatform=AZURE"),
                "inside the destination",
            ),
            (url("us-gov-west-1.console.aws.amazon.com", ""), "GovCloud"),
            (url("EU-west-2.console.aws.amazon.com", ""), "lower-case"),
            (url("example.com", ""), "not <region>"),
            (url("eu-west-2.console.aws.amazon.com", "#x"), "fragment"),
            (
                "http://eu-west-2.console.aws.amazon.com/connect/federate/x".to_string(),
                "http",
            ),
            (
                "https://mycc.my.connect.aws/ccp-v2".to_string(),
                "instance's own address",
            ),
            (
                "https://eu-west-2.console.aws.amazon.com/connect/home".to_string(),
                "path",
            ),
            (
                url(
                    "eu-west-2.console.aws.amazon.com",
                    "?destination=%2Fccp-v2&destination=%2Fccp-v2",
                ),
                "twice",
            ),
            (
                url("eu-west-2.console.aws.amazon.com", "?destination=%2F%FF"),
                "UTF-8",
            ),
            (
                format!(" {}", url("eu-west-2.console.aws.amazon.com", "")),
                "whitespace",
            ),
        ] {
            let (rs, f) = ConnectRelayState::parse(&u);
            assert!(rs.is_none(), "{u}");
            let invalid: Vec<_> = f
                .iter()
                .filter(|f| f.code == Code::ConnectRelayStateInvalid)
                .collect();
            assert_eq!(invalid.len(), 1, "{u}");
            assert!(
                invalid[0].message.contains(why),
                "{u}: {}",
                invalid[0].message
            );
        }
    }

    #[test]
    fn unknown_destination_is_a_warning() {
        let (rs, f) = ConnectRelayState::parse(&url(
            "eu-west-2.console.aws.amazon.com",
            "?destination=%2Fccp",
        ));
        assert!(rs.is_some());
        let w: Vec<_> = errors(&f);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, Code::ConnectRelayStateDestinationUnknown);
        assert_eq!(w[0].severity, Severity::Warning);
        let (_, f) = ConnectRelayState::parse(&url(
            "eu-west-2.console.aws.amazon.com",
            "?destination=%2Fconnect%2Fccp-v2&new_domain=true",
        ));
        assert!(errors(&f)[0].message.contains("drop the /connect prefix"));
    }

    #[test]
    fn literal_slash_in_destination_warns() {
        let (rs, f) = ConnectRelayState::parse(&url(
            "eu-west-2.console.aws.amazon.com",
            "?destination=/ccp-v2",
        ));
        assert_eq!(rs.unwrap().destination.as_deref(), Some("/ccp-v2"));
        let w = errors(&f);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].severity, Severity::Warning);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("%2Fccp-v2%2fchat").unwrap(), "/ccp-v2/chat");
        assert_eq!(percent_decode("a+b").unwrap(), "a+b");
        assert!(percent_decode("%2").is_err());
        assert!(percent_decode("%").is_err());
        assert_eq!(percent_decode("%C3%A9").unwrap(), "é");
    }
}

//! The AWS side of the federation: ARNs, the SAML attributes AWS sign-in
//! reads, the sign-in endpoints, the Amazon Connect relay state, and the IAM
//! policies on the federated role.
//!
//! These checks take plain data (strings, attribute lists, JSON text) and
//! return typed values plus [`Finding`]s, so they work on their own (`aws role
//! VALUE`, `aws relay-state URL`, `aws policy FILE`) and on values read from a
//! SAML response. Nothing here parses XML.
//!
//! The rules, grammars and AWS error messages come from the project's
//! `aws-azure-rules.md`; the numbers quoted in comments (`rule 16`) refer to it.

use crate::report::Location;

pub mod arn;
pub mod endpoints;
pub mod policy;
pub mod relay_state;
pub mod role;
pub mod session;

pub use arn::{
    Arn, ArnError, ArnOptions, ConnectInstanceArn, IamRoleArn, Partition, SamlProviderArn,
};
pub use endpoints::{
    AwsAudience, SignInEndpoint, SignInEndpointKind, check_audience, check_name_id, check_recipient,
};
pub use policy::{
    ConnectTarget, Effect, PolicyDocument, PolicyError, PolicySource, Statement, TrustExpectations,
    TrustVerdict, Verdict, check_connect_permissions, check_trust_policy, parse_policy,
};
pub use relay_state::{ConnectHost, ConnectRelayState, RelayState, VdiPlatform};
pub use role::{RoleOrder, RolePair, check_role};
pub use session::{PrincipalTag, SessionAttributes, check_session};

/// The prefix every AWS SAML attribute name shares.
pub const ATTRIBUTE_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/";
/// The Role attribute (required): role and provider ARN pairs.
pub const ROLE_ATTRIBUTE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
/// The RoleSessionName attribute (required).
pub const ROLE_SESSION_NAME_ATTRIBUTE: &str =
    "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
/// The SessionDuration attribute (optional, seconds).
pub const SESSION_DURATION_ATTRIBUTE: &str =
    "https://aws.amazon.com/SAML/Attributes/SessionDuration";
/// The SourceIdentity attribute (optional).
pub const SOURCE_IDENTITY_ATTRIBUTE: &str = "https://aws.amazon.com/SAML/Attributes/SourceIdentity";
/// The prefix of the PrincipalTag attributes; the tag key follows it.
pub const PRINCIPAL_TAG_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";
/// The TransitiveTagKeys attribute (optional, multi-valued).
pub const TRANSITIVE_TAG_KEYS_ATTRIBUTE: &str =
    "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys";

/// What the console shows when the Role attribute is missing or garbled (rule 15).
pub const AWS_INVALID_SAML_RESPONSE: &str =
    "Your request included an invalid SAML response. To logout, click here.";
/// STS's answer when AssumeRoleWithSAML is not allowed (trust policy, role name, NameID).
pub const AWS_NOT_AUTHORIZED: &str = "Not authorized to perform sts:AssumeRoleWithSAML (service: AWSSecurityTokenService; status code: 403; error code: AccessDenied)";

/// One SAML attribute as the AWS checks see it: its name, its values (the
/// text of each AttributeValue, untrimmed) and where it is in the input.
///
/// The SAML model builds these from its own attribute type, so this module
/// does not depend on it. The values are any string-like type (`String` by
/// default), so the model's own values are checked without a copy.
#[derive(Debug)]
pub struct SamlAttributeRef<'a, V = String> {
    /// The `Name` attribute, exactly as written.
    pub name: &'a str,
    /// The text of each `AttributeValue`, in order, untrimmed.
    pub values: &'a [V],
    /// Where the `Attribute` element is, when known.
    pub location: Option<Location>,
}

// Not derived: a derive would require `V: Clone`, but only references are copied.
impl<V> Clone for SamlAttributeRef<'_, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V> Copy for SamlAttributeRef<'_, V> {}

/// The first whitespace or control character of `s` with its position in
/// characters (from 0). ARNs are ASCII, so that case is a byte scan: a Role
/// attribute can carry hundreds of them, each scanned twice.
pub(crate) fn find_space_or_control(s: &str) -> Option<(usize, char)> {
    // Printable ASCII (U+0021-U+007E) is the common case: one pass without
    // early exit, which the compiler vectorises.
    let printable = s.as_bytes().chunks(32).all(|c| {
        c.iter()
            .fold(true, |ok, &b| ok & (b'!'..=b'~').contains(&b))
    });
    if printable {
        return None;
    }
    if s.is_ascii() {
        // In ASCII, every whitespace character but the space is a control.
        return s
            .bytes()
            .position(|b| b == b' ' || b.is_ascii_control())
            .map(|i| (i, char::from(s.as_bytes()[i])));
    }
    s.chars()
        .enumerate()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
}

/// XML whitespace (`S` in the XML grammar): space, tab, CR, LF. Only these are
/// trimmed; other Unicode spaces are kept and reported.
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// `s` without leading and trailing XML whitespace.
pub(crate) fn trim_xml(s: &str) -> &str {
    s.trim_matches(is_xml_space)
}

/// A short, printable excerpt of untrusted text for a message: at most `max`
/// characters, control characters escaped.
pub(crate) fn excerpt(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `name` is a near miss of `expected`: equal after ignoring letter
/// case, `http` vs `https`, a trailing slash and a trailing plural `s`.
/// Returns false for the exact name.
pub(crate) fn is_near_miss(name: &str, expected: &str) -> bool {
    if name == expected {
        return false;
    }
    // Compared without allocating: every attribute name of every response
    // is checked against several expected names.
    fn normal(s: &str) -> &[u8] {
        let s = trim_xml(s).as_bytes();
        let strip = |p: &[u8]| {
            (s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p)).then(|| &s[p.len()..])
        };
        let s = strip(b"https://")
            .or_else(|| strip(b"http://"))
            .unwrap_or(s);
        let end = s.iter().rposition(|&c| c != b'/').map_or(0, |p| p + 1);
        &s[..end]
    }
    let (n, e) = (normal(name), normal(expected));
    n.eq_ignore_ascii_case(e)
        || (n.len() == e.len() + 1
            && n[..e.len()].eq_ignore_ascii_case(e)
            && n[e.len()].eq_ignore_ascii_case(&b's'))
}

/// A finding's message with the AWS error a user would see appended.
pub(crate) fn with_aws_error(message: impl Into<String>, aws_error: &str) -> String {
    let mut m = message.into();
    m.push_str(&format!(". AWS answers: \"{aws_error}\""));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses() {
        assert!(is_near_miss(
            "http://aws.amazon.com/SAML/Attributes/Role",
            ROLE_ATTRIBUTE
        ));
        assert!(is_near_miss(
            "https://aws.amazon.com/SAML/Attributes/Role/",
            ROLE_ATTRIBUTE
        ));
        assert!(is_near_miss(
            "https://aws.amazon.com/SAML/Attributes/Roles",
            ROLE_ATTRIBUTE
        ));
        assert!(is_near_miss(
            "https://aws.amazon.com/saml/attributes/role",
            ROLE_ATTRIBUTE
        ));
        assert!(!is_near_miss(ROLE_ATTRIBUTE, ROLE_ATTRIBUTE));
        assert!(!is_near_miss(ROLE_SESSION_NAME_ATTRIBUTE, ROLE_ATTRIBUTE));
    }

    #[test]
    fn excerpts_escape_controls() {
        assert_eq!(excerpt("a\nb", 10), "a\\nb");
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }
}

//! The Role attribute: which IAM role the user may assume, through which SAML provider.
//!
//! ```text
//! <Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">
//!   <AttributeValue>arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/connect</AttributeValue>
//! </Attribute>
//! ```
//!
//! Each value is exactly two ARNs and one comma, in either order (rule 16): the
//! tokens are told apart by their resource type (`role/` vs `saml-provider/`),
//! never by position. XML whitespace around the value and around each token is
//! trimmed with a warning (rule 17); whitespace inside an ARN is an error.

use std::collections::HashSet;

use super::arn::{ArnOptions, IamRoleArn, SamlProviderArn};
use super::{
    AWS_INVALID_SAML_RESPONSE, ROLE_ATTRIBUTE, SamlAttributeRef, excerpt, find_space_or_control,
    is_near_miss, is_xml_space, trim_xml, with_aws_error,
};
use crate::codes::Code;
use crate::report::{Finding, Location, Severity};

/// Values longer than this are not parsed: two ARNs of at most 2048
/// characters, a comma, and generous room for whitespace.
const MAX_VALUE_LEN: usize = 2 * 2048 + 1 + 1024;
/// At most this many Role values are examined; the rest are reported once.
const MAX_VALUES: usize = 1000;
/// IdC-managed roles cannot be assumed with AssumeRoleWithSAML (rule 30).
const RESERVED_SSO_PREFIX: &str = "AWSReservedSSO_";

/// The order of the two ARNs in a Role value. AWS accepts both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoleOrder {
    /// `role ARN,provider ARN`: the order the IAM documentation shows.
    RoleFirst,
    /// `provider ARN,role ARN`: the order of IAM Identity Center and many IdPs.
    ProviderFirst,
}

/// One usable Role value: a role and the SAML provider that vouches for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolePair {
    /// The role to assume.
    pub role: IamRoleArn,
    /// The SAML provider in IAM.
    pub provider: SamlProviderArn,
    /// Which ARN came first.
    pub order: RoleOrder,
    /// Index of the value among the Role attribute's values (from 0).
    pub value_index: usize,
    /// True when XML whitespace had to be trimmed.
    pub trimmed: bool,
    /// Where the Role attribute is, when known.
    pub location: Option<Location>,
}

/// Checks the Role attribute among `attrs` and returns the usable role pairs.
///
/// Findings: `aws.role.missing`, `aws.role.name_case`, `aws.role.malformed`,
/// `aws.role.whitespace`, `aws.role.account_mismatch`,
/// `aws.role.partition_mismatch`, `aws.role.reserved_sso_role`,
/// `aws.role.duplicate`, `aws.role.choice`, and `aws.arn.invalid` (warning) for
/// provider names the IAM API refuses. A value with an error yields no pair.
///
/// ```
/// use saml_inspect::aws::{check_role, RoleOrder, SamlAttributeRef};
/// let values = vec!["arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/connect".to_string()];
/// let attrs = [SamlAttributeRef { name: "https://aws.amazon.com/SAML/Attributes/Role", values: &values, location: None }];
/// let (pairs, findings) = check_role(&attrs);
/// assert!(findings.is_empty());
/// assert_eq!(pairs[0].order, RoleOrder::ProviderFirst);
/// assert_eq!(pairs[0].role.name(), "connect");
/// ```
pub fn check_role<V: AsRef<str>>(
    attrs: &[SamlAttributeRef<'_, V>],
) -> (Vec<RolePair>, Vec<Finding>) {
    let mut findings = Vec::new();
    let exact: Vec<&SamlAttributeRef<'_, V>> =
        attrs.iter().filter(|a| a.name == ROLE_ATTRIBUTE).collect();

    for near in attrs
        .iter()
        .filter(|a| is_near_miss(a.name, ROLE_ATTRIBUTE))
    {
        let message = format!(
            "the attribute '{}' is not the Role attribute: AWS matches attribute names exactly \
             (case-sensitive, https, no trailing slash); the name must be '{ROLE_ATTRIBUTE}'",
            excerpt(near.name, 120)
        );
        let finding = if exact.is_empty() {
            Finding::new(
                Code::AwsRoleNameCase,
                with_aws_error(message, AWS_INVALID_SAML_RESPONSE),
            )
        } else {
            // The real attribute is present too, so sign-in works; the near
            // miss is dead configuration that misleads the next reader.
            Finding::new(
                Code::AwsRoleNameCase,
                format!("{message}; AWS ignores it and uses the exact attribute"),
            )
            .severity(Severity::Warning)
        };
        findings.push(
            finding
                .at(near.location)
                .expected_found(ROLE_ATTRIBUTE, near.name),
        );
    }

    if exact.is_empty() {
        if !findings.iter().any(|f| f.code == Code::AwsRoleNameCase) {
            findings.push(Finding::new(
                Code::AwsRoleMissing,
                with_aws_error(
                    format!("the response has no '{ROLE_ATTRIBUTE}' attribute"),
                    AWS_INVALID_SAML_RESPONSE,
                ),
            ));
        }
        return (Vec::new(), findings);
    }

    if exact.len() > 1 {
        findings.push(
            Finding::new(
                Code::AwsRoleDuplicate,
                format!(
                    "the Role attribute appears {} times; how AWS treats several Role attributes is \
                     not documented, so put every role in one attribute with one AttributeValue each",
                    exact.len()
                ),
            )
            .at(exact.get(1).and_then(|a| a.location)),
        );
    }

    let mut pairs = Vec::new();
    // Keyed by the ARNs as written (what the pair holds), borrowed from the input.
    let mut seen: HashSet<(&str, &str)> = HashSet::with_capacity(
        exact
            .iter()
            .map(|a| a.values.len())
            .sum::<usize>()
            .min(MAX_VALUES),
    );
    let mut index = 0usize;
    let mut any_value = false;
    for attr in &exact {
        for value in attr.values.iter() {
            any_value = true;
            if index == MAX_VALUES {
                findings.push(
                    Finding::new(
                        Code::AwsRoleMalformed,
                        format!(
                            "the Role attribute has more than {MAX_VALUES} values; only the first \
                             {MAX_VALUES} were checked"
                        ),
                    )
                    .severity(Severity::Warning)
                    .at(attr.location),
                );
            }
            if index >= MAX_VALUES {
                index += 1;
                continue;
            }
            if let Some((pair, key)) =
                check_value(value.as_ref(), index, attr.location, &mut findings)
            {
                if seen.insert(key) {
                    pairs.push(pair);
                } else {
                    findings.push(
                        Finding::new(
                            Code::AwsRoleDuplicate,
                            format!(
                                "Role value {} repeats the pair role '{}' / provider '{}'; the role \
                                 picker shows it once",
                                index + 1,
                                pair.role,
                                pair.provider
                            ),
                        )
                        .at(attr.location),
                    );
                }
            }
            index += 1;
        }
    }

    if !any_value {
        findings.push(
            Finding::new(
                Code::AwsRoleMissing,
                with_aws_error(
                    "the Role attribute has no AttributeValue",
                    AWS_INVALID_SAML_RESPONSE,
                ),
            )
            .at(exact.first().and_then(|a| a.location)),
        );
    }

    if pairs.len() > 1 {
        let list: Vec<String> = pairs
            .iter()
            .take(20)
            .map(|p| format!("{} (via {})", p.role, p.provider.name()))
            .collect();
        let more = if pairs.len() > 20 {
            format!(" and {} more", pairs.len() - 20)
        } else {
            String::new()
        };
        findings.push(
            Finding::new(
                Code::AwsRoleChoice,
                format!(
                    "{} roles are offered, so the AWS console shows a role picker: {}{more}",
                    pairs.len(),
                    list.join(", ")
                ),
            )
            .at(exact.first().and_then(|a| a.location)),
        );
    }
    (pairs, findings)
}

/// The kind of ARN a token claims to be, read from its resource part.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    Role,
    Provider,
    Other,
}

fn token_kind(token: &str) -> TokenKind {
    // The resource starts after the fifth ':' (`arn:p:s:r:a:resource`).
    let resource = memchr::memchr_iter(b':', token.as_bytes())
        .nth(4)
        .map_or(&b""[..], |colon| &token.as_bytes()[colon + 1..]);
    if resource.starts_with(b"role/") {
        TokenKind::Role
    } else if resource.starts_with(b"saml-provider/") {
        TokenKind::Provider
    } else {
        TokenKind::Other
    }
}

/// Checks one Role value; a usable pair comes with its (role, provider) ARN
/// texts, borrowed from `value`, for duplicate detection.
fn check_value<'v>(
    value: &'v str,
    index: usize,
    location: Option<Location>,
    findings: &mut Vec<Finding>,
) -> Option<(RolePair, (&'v str, &'v str))> {
    let n = index + 1;
    let malformed = |why: String| {
        Finding::new(
            Code::AwsRoleMalformed,
            with_aws_error(format!("Role value {n}: {why}"), AWS_INVALID_SAML_RESPONSE),
        )
        .at(location)
    };
    if value.len() > MAX_VALUE_LEN {
        findings.push(malformed(format!(
            "is {} bytes long; two ARNs of at most 2048 characters cannot be that long",
            value.len()
        )));
        return None;
    }
    let trimmed_value = trim_xml(value);
    if trimmed_value.is_empty() {
        findings.push(malformed(
            "is empty; it must be a role ARN and a SAML provider ARN separated by a comma"
                .to_string(),
        ));
        return None;
    }
    let commas = trimmed_value.matches(',').count();
    if commas != 1 {
        let why = if commas == 0 {
            format!(
                "'{}' has no comma; it must be a role ARN and a SAML provider ARN separated by \
                 exactly one comma",
                excerpt(trimmed_value, 200)
            )
        } else {
            format!(
                "'{}' has {commas} commas; it must be exactly two ARNs separated by one comma \
                 (put each role in its own AttributeValue)",
                excerpt(trimmed_value, 200)
            )
        };
        findings.push(malformed(why));
        return None;
    }
    let (raw_a, raw_b) = trimmed_value.split_once(',')?;
    let (a, b) = (trim_xml(raw_a), trim_xml(raw_b));
    let trimmed =
        value.len() != trimmed_value.len() || a.len() != raw_a.len() || b.len() != raw_b.len();
    for (which, token) in [("first", a), ("second", b)] {
        if token.is_empty() {
            findings.push(malformed(format!("the {which} ARN is empty")));
            return None;
        }
        if let Some((_, c)) = find_space_or_control(token) {
            let kind = if is_xml_space(c) {
                "whitespace"
            } else {
                "a non-XML space or control character"
            };
            findings.push(malformed(format!(
                "the {which} ARN '{}' contains {kind} (U+{:04X}) inside it; only whitespace around \
                 the ARNs is tolerated",
                excerpt(token, 200),
                u32::from(c)
            )));
            return None;
        }
    }
    let (order, role_text, provider_text) = match (token_kind(a), token_kind(b)) {
        (TokenKind::Role, TokenKind::Provider) => (RoleOrder::RoleFirst, a, b),
        (TokenKind::Provider, TokenKind::Role) => (RoleOrder::ProviderFirst, b, a),
        (TokenKind::Role, TokenKind::Role) => {
            findings.push(malformed(format!(
                "both '{}' and '{}' are role ARNs; one must be a saml-provider ARN",
                excerpt(a, 200),
                excerpt(b, 200)
            )));
            return None;
        }
        (TokenKind::Provider, TokenKind::Provider) => {
            findings.push(malformed(format!(
                "both '{}' and '{}' are saml-provider ARNs; one must be a role ARN",
                excerpt(a, 200),
                excerpt(b, 200)
            )));
            return None;
        }
        (ka, _) => {
            let odd = if ka == TokenKind::Other { a } else { b };
            findings.push(malformed(format!(
                "'{}' is neither an IAM role ARN (arn:aws:iam::<account>:role/<name>) nor a SAML \
                 provider ARN (arn:aws:iam::<account>:saml-provider/<name>)",
                excerpt(odd, 200)
            )));
            return None;
        }
    };
    let role = match IamRoleArn::parse(role_text, ArnOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            findings.push(malformed(format!(
                "the role ARN '{}' is invalid: {e}",
                excerpt(role_text, 200)
            )));
            return None;
        }
    };
    let provider = match SamlProviderArn::parse(provider_text, ArnOptions::default()) {
        Ok(p) => p,
        Err(e) => {
            findings.push(malformed(format!(
                "the SAML provider ARN '{}' is invalid: {e}",
                excerpt(provider_text, 200)
            )));
            return None;
        }
    };
    if trimmed {
        findings.push(
            Finding::new(
                Code::AwsRoleWhitespace,
                format!(
                    "Role value {n} has whitespace around the value or around an ARN; AWS has been \
                     seen to accept it and tools trim it, but the value should be '{},{}'",
                    if order == RoleOrder::RoleFirst {
                        role.as_str()
                    } else {
                        provider.as_str()
                    },
                    if order == RoleOrder::RoleFirst {
                        provider.as_str()
                    } else {
                        role.as_str()
                    },
                ),
            )
            .at(location),
        );
    }
    let mut usable = true;
    if role.partition() != provider.partition() {
        usable = false;
        findings.push(
            Finding::new(
                Code::AwsRolePartitionMismatch,
                format!(
                    "Role value {n}: the role is in the partition '{}' and the provider in '{}'; a \
                     provider cannot vouch for a role in another partition",
                    role.partition(),
                    provider.partition()
                ),
            )
            .at(location)
            .expected_found(role.partition().as_str(), provider.partition().as_str()),
        );
    }
    if role.account() != provider.account() {
        // Rule 32 marks this check as unverified, so it warns rather than fails.
        findings.push(
            Finding::new(
                Code::AwsRoleAccountMismatch,
                format!(
                    "Role value {n}: the role is in account {} but the SAML provider in account {}; \
                     a role's trust policy names a provider of its own account, so STS is expected \
                     to refuse this (\"{}\")",
                    role.account(),
                    provider.account(),
                    super::AWS_NOT_AUTHORIZED
                ),
            )
            .severity(Severity::Warning)
            .at(location)
            .expected_found(role.account(), provider.account()),
        );
    }
    if role.name().starts_with(RESERVED_SSO_PREFIX) {
        usable = false;
        findings.push(
            Finding::new(
                Code::AwsRoleReservedSsoRole,
                format!(
                    "Role value {n}: '{}' is a role that IAM Identity Center manages \
                     (AWSReservedSSO_…); AssumeRoleWithSAML cannot assume it. Create an ordinary \
                     IAM role that trusts the SAML provider",
                    role.name()
                ),
            )
            .at(location),
        );
    }
    findings.extend(provider.name_warnings(location));
    usable.then_some((
        RolePair {
            role,
            provider,
            order,
            value_index: index,
            trimmed,
            location,
        },
        (role_text, provider_text),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, values: &[&str]) -> (Vec<RolePair>, Vec<Finding>) {
        let values: Vec<String> = values.iter().map(|s| s.to_string()).collect();
        let attrs = [SamlAttributeRef {
            name,
            values: &values,
            location: Some(Location::new(3, 7)),
        }];
        check_role(&attrs)
    }

    fn codes(f: &[Finding]) -> Vec<Code> {
        f.iter().map(|f| f.code).collect()
    }

    const FIXTURE: &str = "arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/amazon-connect-federation-role";

    #[test]
    fn fixture_value_is_provider_first_and_clean() {
        let (pairs, findings) = run(ROLE_ATTRIBUTE, &[FIXTURE]);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].order, RoleOrder::ProviderFirst);
        assert_eq!(pairs[0].provider.name(), "AzureAD");
        assert_eq!(pairs[0].role.name(), "amazon-connect-federation-role");
        assert!(!pairs[0].trimmed);
    }

    #[test]
    fn space_after_comma_is_trimmed_with_a_warning() {
        let (pairs, findings) = run(
            ROLE_ATTRIBUTE,
            &[
                "arn:aws:iam::123456789012:role/admin_sso, arn:aws:iam::123456789012:saml-provider/AzureSSO",
            ],
        );
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].order, RoleOrder::RoleFirst);
        assert_eq!(codes(&findings), vec![Code::AwsRoleWhitespace]);
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(findings[0].location, Some(Location::new(3, 7)));
    }

    #[test]
    fn malformed_values_say_why() {
        let cases: &[(&str, &str)] = &[
            ("arn:aws:iam::123456789012:role/a", "no comma"),
            (
                "arn:aws:iam::123456789012:role/a,arn:aws:iam::123456789012:saml-provider/p,x",
                "2 commas",
            ),
            (
                "arn:aws:iam::123456789012:role/a,arn:aws:iam::123456789012:role/b",
                "both",
            ),
            (
                "arn:aws:iam::123456789012:role/my role,arn:aws:iam::123456789012:saml-provider/p",
                "inside it",
            ),
            (
                "arn:aws:iam::12345:role/a,arn:aws:iam::123456789012:saml-provider/p",
                "exactly 12 digits",
            ),
            (
                "arn:aws:s3:::bucket,arn:aws:iam::123456789012:saml-provider/p",
                "neither",
            ),
            (",arn:aws:iam::123456789012:saml-provider/p", "empty"),
            ("   ", "is empty"),
        ];
        for (value, why) in cases {
            let (pairs, findings) = run(ROLE_ATTRIBUTE, &[value]);
            assert!(pairs.is_empty(), "{value}");
            assert_eq!(codes(&findings), vec![Code::AwsRoleMalformed], "{value}");
            assert!(
                findings[0].message.contains(why),
                "{value}: {}",
                findings[0].message
            );
            assert!(findings[0].message.contains(AWS_INVALID_SAML_RESPONSE));
        }
    }

    #[test]
    fn near_miss_names_the_exact_string() {
        for name in [
            "https://aws.amazon.com/SAML/Attributes/role",
            "http://aws.amazon.com/SAML/Attributes/Role",
            "https://aws.amazon.com/SAML/Attributes/Role/",
            "https://aws.amazon.com/SAML/Attributes/Roles",
            "https://aws.amazon.com/SAML/attributes/role",
        ] {
            let (pairs, findings) = run(name, &[FIXTURE]);
            assert!(pairs.is_empty());
            assert_eq!(codes(&findings), vec![Code::AwsRoleNameCase], "{name}");
            assert!(findings[0].message.contains(ROLE_ATTRIBUTE));
            assert_eq!(findings[0].expected.as_deref(), Some(ROLE_ATTRIBUTE));
        }
    }

    #[test]
    fn near_miss_beside_the_exact_name_is_a_warning() {
        let values = vec![FIXTURE.to_string()];
        let attrs = [
            SamlAttributeRef {
                name: ROLE_ATTRIBUTE,
                values: &values,
                location: None,
            },
            SamlAttributeRef {
                name: "https://aws.amazon.com/SAML/Attributes/Roles",
                values: &values,
                location: None,
            },
        ];
        let (pairs, findings) = check_role(&attrs);
        assert_eq!(pairs.len(), 1);
        assert_eq!(codes(&findings), vec![Code::AwsRoleNameCase]);
        assert_eq!(findings[0].severity, Severity::Warning);
    }

    #[test]
    fn two_role_attributes_are_merged_with_a_warning() {
        let one = vec![FIXTURE.to_string()];
        let two = vec![
            "arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/other"
                .to_string(),
        ];
        let attrs = [
            SamlAttributeRef {
                name: ROLE_ATTRIBUTE,
                values: &one,
                location: None,
            },
            SamlAttributeRef {
                name: ROLE_ATTRIBUTE,
                values: &two,
                location: None,
            },
        ];
        let (pairs, findings) = check_role(&attrs);
        assert_eq!(pairs.len(), 2);
        assert_eq!(
            codes(&findings),
            vec![Code::AwsRoleDuplicate, Code::AwsRoleChoice]
        );
        assert_eq!(findings[0].severity, Severity::Warning);
    }

    #[test]
    fn missing_and_empty() {
        let (_, findings) = run(
            "https://aws.amazon.com/SAML/Attributes/RoleSessionName",
            &["x"],
        );
        assert_eq!(codes(&findings), vec![Code::AwsRoleMissing]);
        let (_, findings) = run(ROLE_ATTRIBUTE, &[]);
        assert_eq!(codes(&findings), vec![Code::AwsRoleMissing]);
    }

    #[test]
    fn mismatches_reserved_duplicates_and_choice() {
        let (pairs, findings) = run(
            ROLE_ATTRIBUTE,
            &["arn:aws:iam::111111111111:role/a,arn:aws:iam::222222222222:saml-provider/p"],
        );
        assert_eq!(pairs.len(), 1);
        assert_eq!(codes(&findings), vec![Code::AwsRoleAccountMismatch]);
        let (pairs, findings) = run(
            ROLE_ATTRIBUTE,
            &["arn:aws-us-gov:iam::111111111111:role/a,arn:aws:iam::111111111111:saml-provider/p"],
        );
        assert!(pairs.is_empty());
        assert_eq!(codes(&findings), vec![Code::AwsRolePartitionMismatch]);
        let (pairs, findings) = run(
            ROLE_ATTRIBUTE,
            &[
                "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef,arn:aws:iam::111111111111:saml-provider/p",
            ],
        );
        assert!(pairs.is_empty());
        assert_eq!(codes(&findings), vec![Code::AwsRoleReservedSsoRole]);
        let (pairs, findings) = run(ROLE_ATTRIBUTE, &[FIXTURE, FIXTURE]);
        assert_eq!(pairs.len(), 1);
        assert_eq!(codes(&findings), vec![Code::AwsRoleDuplicate]);
    }

    #[test]
    fn non_xml_space_is_not_trimmed() {
        let v = format!("{FIXTURE}\u{a0}");
        let (pairs, findings) = run(ROLE_ATTRIBUTE, &[&v]);
        assert!(pairs.is_empty());
        assert_eq!(codes(&findings), vec![Code::AwsRoleMalformed]);
        assert!(findings[0].message.contains("U+00A0"));
    }

    #[test]
    fn huge_inputs_are_bounded() {
        let long = "a".repeat(MAX_VALUE_LEN + 1);
        let (_, findings) = run(ROLE_ATTRIBUTE, &[&long]);
        assert_eq!(codes(&findings), vec![Code::AwsRoleMalformed]);
        let many: Vec<&str> = std::iter::repeat_n(FIXTURE, MAX_VALUES + 5).collect();
        let (pairs, findings) = run(ROLE_ATTRIBUTE, &many);
        assert_eq!(pairs.len(), 1);
        assert_eq!(
            findings
                .iter()
                .filter(|f| f.code == Code::AwsRoleDuplicate)
                .count(),
            MAX_VALUES - 1
        );
    }
}

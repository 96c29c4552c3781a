//! The session attributes: RoleSessionName, SessionDuration, SourceIdentity,
//! PrincipalTag:* and TransitiveTagKeys (rules 18-22).

use std::collections::HashMap;

use super::{
    PRINCIPAL_TAG_PREFIX, ROLE_SESSION_NAME_ATTRIBUTE, SESSION_DURATION_ATTRIBUTE,
    SOURCE_IDENTITY_ATTRIBUTE, SamlAttributeRef, TRANSITIVE_TAG_KEYS_ATTRIBUTE, excerpt,
    is_near_miss, trim_xml,
};
use crate::codes::Code;
use crate::report::{Finding, Location, Severity};

/// STS's message when RoleSessionName is absent.
pub const STS_SESSION_NAME_REQUIRED: &str = "RoleSessionName is required in AuthnResponse (service: AWSSecurityTokenService; status code: 400; error code: InvalidIdentityToken)";
/// STS's message when RoleSessionName breaks the grammar.
pub const STS_SESSION_NAME_INVALID: &str = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64} (service: AWSSecurityTokenService; status code: 400; error code: InvalidIdentityToken)";
/// STS's message when SourceIdentity breaks the grammar.
pub const STS_SOURCE_IDENTITY_INVALID: &str =
    "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"";
/// The console session length when SessionDuration is absent.
pub const DEFAULT_SESSION_DURATION: u32 = 3600;
/// The smallest SessionDuration STS accepts.
pub const MIN_SESSION_DURATION: u32 = 900;
/// The largest SessionDuration STS accepts (12 hours).
pub const MAX_SESSION_DURATION: u32 = 43200;
/// The most session tags one session may carry.
pub const MAX_SESSION_TAGS: usize = 50;

/// One session tag sent as `PrincipalTag:<key>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalTag {
    /// The tag key, from the attribute name.
    pub key: String,
    /// The tag value.
    pub value: String,
    /// Where the attribute is, when known.
    pub location: Option<Location>,
}

/// What the session attributes say, as far as they are valid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionAttributes {
    /// The RoleSessionName (trimmed of XML whitespace) when it is valid.
    pub session_name: Option<String>,
    /// SessionDuration in seconds when present and valid.
    pub duration_seconds: Option<u32>,
    /// The SourceIdentity when present and valid.
    pub source_identity: Option<String>,
    /// The valid session tags, in order; for keys equal but for case, the last one.
    pub tags: Vec<PrincipalTag>,
    /// The TransitiveTagKeys values that name a sent tag.
    pub transitive_tag_keys: Vec<String>,
}

impl SessionAttributes {
    /// The console session length: SessionDuration, or 3600 seconds when absent.
    pub fn effective_duration_seconds(&self) -> u32 {
        self.duration_seconds.unwrap_or(DEFAULT_SESSION_DURATION)
    }

    /// True when session tags are sent (the trust policy then needs `sts:TagSession`).
    pub fn sends_tags(&self) -> bool {
        !self.tags.is_empty()
    }

    /// True when a SourceIdentity is sent (the trust policy then needs `sts:SetSourceIdentity`).
    pub fn sends_source_identity(&self) -> bool {
        self.source_identity.is_some()
    }
}

/// Whether `c` is in STS's `[a-zA-Z_0-9+=,.@-]`.
fn is_session_char(c: char) -> bool {
    super::arn::is_iam_name_char(c)
}

/// Why `s` is not 2-64 characters of `[a-zA-Z_0-9+=,.@-]`, if it is not.
fn session_grammar_problem(s: &str) -> Option<String> {
    let len = s.chars().count();
    if len < 2 {
        return Some(format!("is {len} character(s) long; at least 2 are needed"));
    }
    if len > 64 {
        return Some(format!("is {len} characters long; at most 64 are allowed"));
    }
    s.chars().find(|&c| !is_session_char(c)).map(|c| {
        format!(
            "has the character {:?}; only A-Z a-z 0-9 _ + = , . @ - are allowed",
            c
        )
    })
}

/// Checks the session attributes among `attrs`.
///
/// Findings: `aws.session_name.missing`, `aws.session_name.invalid`,
/// `aws.session_duration.invalid`, `aws.source_identity.invalid`,
/// `aws.principal_tag.invalid`, `aws.transitive_tag.invalid`.
///
/// RoleSessionName must also be a valid Amazon Connect user name (rule 40):
/// a valid session name with `+`, `=` or `,`, or an `@` outside an e-mail
/// form, gets a warning because no Connect user can carry that name.
pub fn check_session<V: AsRef<str>>(
    attrs: &[SamlAttributeRef<'_, V>],
) -> (SessionAttributes, Vec<Finding>) {
    let mut out = SessionAttributes::default();
    let mut findings = Vec::new();
    check_session_name(attrs, &mut out, &mut findings);
    check_duration(attrs, &mut out, &mut findings);
    check_source_identity(attrs, &mut out, &mut findings);
    check_tags(attrs, &mut out, &mut findings);
    (out, findings)
}

/// The single value of the attribute `name`, or a finding with `code` when it
/// appears more than once or has several values. `Ok(None)` when absent.
fn single_value<'a, V: AsRef<str>>(
    attrs: &'a [SamlAttributeRef<'a, V>],
    name: &str,
    code: Code,
    label: &str,
    findings: &mut Vec<Finding>,
) -> Result<Option<(&'a str, Option<Location>)>, ()> {
    let found: Vec<&SamlAttributeRef<'_, V>> = attrs.iter().filter(|a| a.name == name).collect();
    let Some(first) = found.first() else {
        return Ok(None);
    };
    if found.len() > 1 {
        findings.push(
            Finding::new(
                code,
                format!(
                    "the {label} attribute appears {} times; send it once",
                    found.len()
                ),
            )
            .at(first.location),
        );
        return Err(());
    }
    match first.values {
        [one] => Ok(Some((one.as_ref(), first.location))),
        [] => {
            findings.push(
                Finding::new(code, format!("the {label} attribute has no AttributeValue"))
                    .at(first.location),
            );
            Err(())
        }
        many => {
            findings.push(
                Finding::new(
                    code,
                    format!(
                        "the {label} attribute has {} values; it takes exactly one",
                        many.len()
                    ),
                )
                .at(first.location),
            );
            Err(())
        }
    }
}

/// A warning when XML whitespace had to be trimmed from a single-valued attribute.
fn trimmed_warning(code: Code, label: &str, raw: &str, location: Option<Location>) -> Finding {
    Finding::new(
        code,
        format!(
            "the {label} value '{}' has whitespace around it; it was trimmed, but AWS documents no \
             trimming, so send it without",
            excerpt(raw, 80)
        ),
    )
    .severity(Severity::Warning)
    .at(location)
}

fn near_miss_note<V>(attrs: &[SamlAttributeRef<'_, V>], expected: &str) -> String {
    attrs
        .iter()
        .find(|a| is_near_miss(a.name, expected))
        .map(|a| {
            format!(
                " (an attribute named '{}' is present, but names are matched exactly)",
                excerpt(a.name, 120)
            )
        })
        .unwrap_or_default()
}

fn check_session_name<V: AsRef<str>>(
    attrs: &[SamlAttributeRef<'_, V>],
    out: &mut SessionAttributes,
    findings: &mut Vec<Finding>,
) {
    let code = Code::AwsSessionNameInvalid;
    let Ok(value) = single_value(
        attrs,
        ROLE_SESSION_NAME_ATTRIBUTE,
        code,
        "RoleSessionName",
        findings,
    ) else {
        return;
    };
    let Some((raw, location)) = value else {
        findings.push(Finding::new(
            Code::AwsSessionNameMissing,
            format!(
                "the response has no '{ROLE_SESSION_NAME_ATTRIBUTE}' attribute{}. STS answers: \"{STS_SESSION_NAME_REQUIRED}\"",
                near_miss_note(attrs, ROLE_SESSION_NAME_ATTRIBUTE)
            ),
        ));
        return;
    };
    let name = trim_xml(raw);
    if name.len() != raw.len() {
        findings.push(trimmed_warning(code, "RoleSessionName", raw, location));
    }
    if let Some(problem) = session_grammar_problem(name) {
        findings.push(
            Finding::new(
                code,
                format!(
                    "the RoleSessionName '{}' {problem}. STS answers: \"{STS_SESSION_NAME_INVALID}\"",
                    excerpt(name, 80)
                ),
            )
            .at(location),
        );
        return;
    }
    if let Some(problem) = connect_user_name_problem(name) {
        findings.push(
            Finding::new(
                code,
                format!(
                    "the RoleSessionName '{name}' is valid for STS but cannot be an Amazon Connect user \
                     name, which must equal it exactly: {problem}"
                ),
            )
            .severity(Severity::Warning)
            .at(location),
        );
    }
    out.session_name = Some(name.to_string());
}

/// Why a valid session name cannot be a Connect user name (rule 40), if it cannot.
pub fn connect_user_name_problem(name: &str) -> Option<String> {
    if let Some(c) = name.chars().find(|c| matches!(c, '+' | '=' | ',')) {
        return Some(format!(
            "Connect user names use only A-Z a-z 0-9 _ - . @, not {c:?}"
        ));
    }
    if name.contains('@') {
        let mut parts = name.split('@');
        let (local, domain) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let ok = parts.next().is_none()
            && !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.');
        if !ok {
            return Some(
                "with '@' the name must be an e-mail address such as user@example.com".to_string(),
            );
        }
    }
    None
}

fn check_duration<V: AsRef<str>>(
    attrs: &[SamlAttributeRef<'_, V>],
    out: &mut SessionAttributes,
    findings: &mut Vec<Finding>,
) {
    let code = Code::AwsSessionDurationInvalid;
    let Ok(Some((raw, location))) = single_value(
        attrs,
        SESSION_DURATION_ATTRIBUTE,
        code,
        "SessionDuration",
        findings,
    ) else {
        return;
    };
    let text = trim_xml(raw);
    if text.len() != raw.len() {
        findings.push(trimmed_warning(code, "SessionDuration", raw, location));
    }
    let invalid = |why: String| {
        Finding::new(
            code,
            format!(
                "SessionDuration '{}' {why}; it must be a whole number of seconds from 900 to 43200",
                excerpt(text, 40)
            ),
        )
        .at(location)
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        findings.push(invalid("is not a whole number".to_string()));
        return;
    }
    // Leading zeros are digits too; strip them so the length test bounds the value.
    let significant = text.trim_start_matches('0');
    let seconds = if significant.len() > 9 {
        None
    } else {
        significant.parse::<u32>().ok().or(Some(0))
    };
    match seconds {
        Some(s) if (MIN_SESSION_DURATION..=MAX_SESSION_DURATION).contains(&s) => {
            out.duration_seconds = Some(s);
        }
        _ => findings.push(invalid("is out of range".to_string())),
    }
}

fn check_source_identity<V: AsRef<str>>(
    attrs: &[SamlAttributeRef<'_, V>],
    out: &mut SessionAttributes,
    findings: &mut Vec<Finding>,
) {
    let code = Code::AwsSourceIdentityInvalid;
    let Ok(Some((raw, location))) = single_value(
        attrs,
        SOURCE_IDENTITY_ATTRIBUTE,
        code,
        "SourceIdentity",
        findings,
    ) else {
        return;
    };
    let value = trim_xml(raw);
    if value.len() != raw.len() {
        findings.push(trimmed_warning(code, "SourceIdentity", raw, location));
    }
    let problem = if value.len() >= 4
        && value
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
    {
        Some("begins with the reserved prefix 'aws:'".to_string())
    } else {
        session_grammar_problem(value)
    };
    match problem {
        Some(problem) => findings.push(
            Finding::new(
                code,
                format!(
                    "the SourceIdentity '{}' {problem}. STS answers: \"{STS_SOURCE_IDENTITY_INVALID}\"",
                    excerpt(value, 80)
                ),
            )
            .at(location),
        ),
        None => out.source_identity = Some(value.to_string()),
    }
}

/// Whether `c` is in AWS's tag alphabet `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
///
/// `\p{L}` is approximated by `char::is_alphabetic` (which also admits letter
/// numbers and a few combining marks); `\p{Z}` is exactly "Unicode white space
/// that is not a control character"; `\p{N}` is `char::is_numeric`.
fn is_tag_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || (c.is_whitespace() && !c.is_control())
        || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

fn tag_text_problem(s: &str, min: usize, max: usize) -> Option<String> {
    let len = s.chars().count();
    if len < min {
        return Some("is empty".to_string());
    }
    if len > max {
        return Some(format!(
            "is {len} characters long; at most {max} are allowed"
        ));
    }
    s.chars().find(|&c| !is_tag_char(c)).map(|c| {
        let hint = if c.is_control() {
            " (a line break or tab, perhaps from pretty-printed XML)"
        } else {
            ""
        };
        format!(
            "has the character {:?}{hint}; tags use letters, digits, spaces and _ . : / = + - @",
            c
        )
    })
}

fn has_aws_prefix(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

fn check_tags<V: AsRef<str>>(
    attrs: &[SamlAttributeRef<'_, V>],
    out: &mut SessionAttributes,
    findings: &mut Vec<Finding>,
) {
    let code = Code::AwsPrincipalTagInvalid;
    // Lower-cased key -> index in out.tags, to apply "same key regardless of case".
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for attr in attrs {
        let Some(key) = attr.name.strip_prefix(PRINCIPAL_TAG_PREFIX) else {
            continue;
        };
        let invalid = |why: String| Finding::new(code, why).at(attr.location);
        if let Some(problem) = tag_text_problem(key, 1, 128) {
            findings.push(invalid(format!(
                "the session tag key '{}' {problem}",
                excerpt(key, 140)
            )));
            continue;
        }
        if has_aws_prefix(key) {
            findings.push(invalid(format!(
                "the session tag key '{}' begins with the reserved prefix 'aws:'",
                excerpt(key, 140)
            )));
            continue;
        }
        let value = match attr.values {
            [one] => {
                let one = one.as_ref();
                let trimmed = trim_xml(one);
                if trimmed.len() != one.len() {
                    findings.push(trimmed_warning(
                        code,
                        &format!("session tag '{key}'"),
                        one,
                        attr.location,
                    ));
                }
                trimmed
            }
            [] => {
                findings.push(invalid(format!(
                    "the session tag '{key}' has no AttributeValue; send one (it may be empty)"
                )));
                continue;
            }
            many => {
                findings.push(invalid(format!(
                    "the session tag '{key}' has {} values; a tag has exactly one",
                    many.len()
                )));
                continue;
            }
        };
        if let Some(problem) = tag_text_problem(value, 0, 256) {
            findings.push(invalid(format!(
                "the value of session tag '{key}' ('{}') {problem}",
                excerpt(value, 80)
            )));
            continue;
        }
        let tag = PrincipalTag {
            key: key.to_string(),
            value: value.to_string(),
            location: attr.location,
        };
        let lower = key.to_lowercase();
        match by_key.get(&lower).and_then(|&i| out.tags.get_mut(i)) {
            Some(previous) => {
                findings.push(
                    Finding::new(
                        code,
                        format!(
                            "the session tags '{}' and '{key}' have the same key (tag keys ignore \
                             case); only the last one, '{key}={}', takes effect",
                            previous.key,
                            excerpt(value, 80)
                        ),
                    )
                    .severity(Severity::Warning)
                    .at(attr.location),
                );
                *previous = tag;
            }
            None => {
                by_key.insert(lower, out.tags.len());
                out.tags.push(tag);
            }
        }
    }
    if out.tags.len() > MAX_SESSION_TAGS {
        findings.push(Finding::new(
            code,
            format!(
                "{} session tags are sent; AWS allows at most {MAX_SESSION_TAGS}",
                out.tags.len()
            ),
        ));
    }

    let transitive: Vec<&SamlAttributeRef<'_, V>> = attrs
        .iter()
        .filter(|a| a.name == TRANSITIVE_TAG_KEYS_ATTRIBUTE)
        .collect();
    for attr in transitive {
        for raw in attr.values.iter().take(MAX_SESSION_TAGS * 4) {
            let key = trim_xml(raw.as_ref());
            let tcode = Code::AwsTransitiveTagInvalid;
            if let Some(problem) = tag_text_problem(key, 1, 128) {
                findings.push(
                    Finding::new(
                        tcode,
                        format!(
                            "the TransitiveTagKeys value '{}' {problem}",
                            excerpt(key, 140)
                        ),
                    )
                    .at(attr.location),
                );
                continue;
            }
            if by_key.contains_key(&key.to_lowercase()) {
                if !out
                    .transitive_tag_keys
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(key))
                {
                    out.transitive_tag_keys.push(key.to_string());
                }
            } else {
                findings.push(
                    Finding::new(
                        tcode,
                        format!(
                            "TransitiveTagKeys names '{key}', but no valid \
                             '{PRINCIPAL_TAG_PREFIX}{key}' attribute is sent"
                        ),
                    )
                    .at(attr.location),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr<'a>(name: &'a str, values: &'a [String]) -> SamlAttributeRef<'a> {
        SamlAttributeRef {
            name,
            values,
            location: None,
        }
    }

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    fn codes(f: &[Finding]) -> Vec<(Code, Severity)> {
        f.iter().map(|f| (f.code, f.severity)).collect()
    }

    #[test]
    fn valid_session_name_and_duration() {
        let name = v(&["alice.example@contoso.com"]);
        let dur = v(&["3600"]);
        let attrs = [
            attr(ROLE_SESSION_NAME_ATTRIBUTE, &name),
            attr(SESSION_DURATION_ATTRIBUTE, &dur),
        ];
        let (s, f) = check_session(&attrs);
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(s.session_name.as_deref(), Some("alice.example@contoso.com"));
        assert_eq!(s.duration_seconds, Some(3600));
        assert!(!s.sends_tags());
    }

    #[test]
    fn missing_session_name_quotes_sts() {
        let (s, f) = check_session::<String>(&[]);
        assert!(s.session_name.is_none());
        assert_eq!(
            codes(&f),
            vec![(Code::AwsSessionNameMissing, Severity::Error)]
        );
        assert!(f[0].message.contains(STS_SESSION_NAME_REQUIRED));
        let name = v(&["bob"]);
        let (_, f) = check_session(&[attr(
            "https://aws.amazon.com/SAML/Attributes/rolesessionname",
            &name,
        )]);
        assert!(f[0].message.contains("matched exactly"), "{}", f[0].message);
    }

    #[test]
    fn invalid_session_names() {
        for bad in ["a", "Alice Example", &"x".repeat(65), "a/b"] {
            let name = v(&[bad]);
            let (s, f) = check_session(&[attr(ROLE_SESSION_NAME_ATTRIBUTE, &name)]);
            assert!(s.session_name.is_none());
            assert_eq!(
                codes(&f),
                vec![(Code::AwsSessionNameInvalid, Severity::Error)],
                "{bad}"
            );
            assert!(f[0].message.contains(STS_SESSION_NAME_INVALID));
        }
        let two = v(&["alice", "bob"]);
        let (_, f) = check_session(&[attr(ROLE_SESSION_NAME_ATTRIBUTE, &two)]);
        assert_eq!(
            codes(&f),
            vec![(Code::AwsSessionNameInvalid, Severity::Error)]
        );
    }

    #[test]
    fn pingfed_padding_is_trimmed_with_a_warning() {
        let name = v(&["\n\t\t\t\t\tevan.mclean\n\t\t\t\t"]);
        let (s, f) = check_session(&[attr(ROLE_SESSION_NAME_ATTRIBUTE, &name)]);
        assert_eq!(s.session_name.as_deref(), Some("evan.mclean"));
        assert_eq!(
            codes(&f),
            vec![(Code::AwsSessionNameInvalid, Severity::Warning)]
        );
    }

    #[test]
    fn connect_user_name_warning() {
        for odd in ["alice+ops", "alice@example"] {
            let name = v(&[odd]);
            let (s, f) = check_session(&[attr(ROLE_SESSION_NAME_ATTRIBUTE, &name)]);
            assert_eq!(s.session_name.as_deref(), Some(odd));
            assert_eq!(
                codes(&f),
                vec![(Code::AwsSessionNameInvalid, Severity::Warning)],
                "{odd}"
            );
        }
    }

    #[test]
    fn durations() {
        let name = v(&["alice"]);
        for (d, ok) in [
            ("900", true),
            ("43200", true),
            ("0003600", true),
            ("899", false),
            ("43201", false),
            ("3600s", false),
            ("-900", false),
            ("", false),
            ("99999999999999999999", false),
        ] {
            let dur = v(&[d]);
            let (s, f) = check_session(&[
                attr(ROLE_SESSION_NAME_ATTRIBUTE, &name),
                attr(SESSION_DURATION_ATTRIBUTE, &dur),
            ]);
            assert_eq!(s.duration_seconds.is_some(), ok, "{d}");
            assert_eq!(f.is_empty(), ok, "{d}: {f:?}");
            if !ok {
                assert_eq!(f[0].code, Code::AwsSessionDurationInvalid);
            }
        }
        let (s, _) = check_session(&[attr(ROLE_SESSION_NAME_ATTRIBUTE, &name)]);
        assert_eq!(s.effective_duration_seconds(), 3600);
    }

    #[test]
    fn source_identity() {
        let name = v(&["alice"]);
        for (si, ok) in [
            ("alice@example.com", true),
            ("aws:alice", false),
            ("a", false),
        ] {
            let val = v(&[si]);
            let (s, f) = check_session(&[
                attr(ROLE_SESSION_NAME_ATTRIBUTE, &name),
                attr(SOURCE_IDENTITY_ATTRIBUTE, &val),
            ]);
            assert_eq!(s.sends_source_identity(), ok, "{si}");
            if !ok {
                assert_eq!(
                    codes(&f),
                    vec![(Code::AwsSourceIdentityInvalid, Severity::Error)]
                );
                assert!(f[0].message.contains(STS_SOURCE_IDENTITY_INVALID));
            }
        }
    }

    #[test]
    fn tags_and_transitive_keys() {
        let name = v(&["alice"]);
        let dept = v(&["Contact Centre"]);
        let dept2 = v(&["Sales"]);
        let empty = v(&[""]);
        let cc = v(&["1234/ops"]);
        let transitive = v(&["Department", "Missing"]);
        let tag_dept = format!("{PRINCIPAL_TAG_PREFIX}Department");
        let tag_dept_lc = format!("{PRINCIPAL_TAG_PREFIX}department");
        let tag_cc = format!("{PRINCIPAL_TAG_PREFIX}CostCenter");
        let tag_empty = format!("{PRINCIPAL_TAG_PREFIX}Flag");
        let (s, f) = check_session(&[
            attr(ROLE_SESSION_NAME_ATTRIBUTE, &name),
            attr(&tag_dept, &dept),
            attr(&tag_cc, &cc),
            attr(&tag_empty, &empty),
            attr(&tag_dept_lc, &dept2),
            attr(TRANSITIVE_TAG_KEYS_ATTRIBUTE, &transitive),
        ]);
        assert_eq!(s.tags.len(), 3);
        assert_eq!(s.tags[0].key, "department");
        assert_eq!(s.tags[0].value, "Sales");
        assert_eq!(s.transitive_tag_keys, vec!["Department".to_string()]);
        assert_eq!(
            codes(&f),
            vec![
                (Code::AwsPrincipalTagInvalid, Severity::Warning),
                (Code::AwsTransitiveTagInvalid, Severity::Error)
            ]
        );
    }

    #[test]
    fn invalid_tags() {
        let ok = v(&["x"]);
        let newline = v(&["a\nb"]);
        let aws_key = format!("{PRINCIPAL_TAG_PREFIX}aws:team");
        let empty_key = PRINCIPAL_TAG_PREFIX.to_string();
        let long_key = format!("{PRINCIPAL_TAG_PREFIX}{}", "k".repeat(129));
        let bad_char = format!("{PRINCIPAL_TAG_PREFIX}team#1");
        let nl = format!("{PRINCIPAL_TAG_PREFIX}team");
        let long_value = v(&[&"v".repeat(257)]);
        let lv = format!("{PRINCIPAL_TAG_PREFIX}lv");
        let two = v(&["a", "b"]);
        let tw = format!("{PRINCIPAL_TAG_PREFIX}two");
        let attrs = [
            attr(&aws_key, &ok),
            attr(&empty_key, &ok),
            attr(&long_key, &ok),
            attr(&bad_char, &ok),
            attr(&nl, &newline),
            attr(&lv, &long_value),
            attr(&tw, &two),
        ];
        let (s, f) = check_session(&attrs);
        assert!(s.tags.is_empty());
        assert_eq!(
            f.iter()
                .filter(|f| f.code == Code::AwsPrincipalTagInvalid)
                .count(),
            7
        );
        assert!(f.iter().any(|f| f.message.contains("line break")));
    }

    #[test]
    fn padded_tag_value_is_trimmed_with_a_warning() {
        let name = v(&["alice"]);
        let padded = v(&["\n\t\tSales\n\t"]);
        let key = format!("{PRINCIPAL_TAG_PREFIX}Department");
        let (s, f) = check_session(&[
            attr(ROLE_SESSION_NAME_ATTRIBUTE, &name),
            attr(&key, &padded),
        ]);
        assert_eq!(s.tags[0].value, "Sales");
        assert_eq!(
            codes(&f),
            vec![(Code::AwsPrincipalTagInvalid, Severity::Warning)]
        );
    }

    #[test]
    fn too_many_tags() {
        let names: Vec<String> = (0..51)
            .map(|i| format!("{PRINCIPAL_TAG_PREFIX}k{i}"))
            .collect();
        let val = v(&["x"]);
        let attrs: Vec<SamlAttributeRef<'_>> = names.iter().map(|n| attr(n, &val)).collect();
        let (s, f) = check_session(&attrs);
        assert_eq!(s.tags.len(), 51);
        assert!(f.iter().any(|f| f.code == Code::AwsPrincipalTagInvalid && f.message.contains("at most 50")));
    }

    #[test]
    fn tag_alphabet() {
        assert!(is_tag_char('é'));
        assert!(is_tag_char('٣'));
        assert!(is_tag_char('\u{3000}'));
        assert!(!is_tag_char('\t'));
        assert!(!is_tag_char('#'));
    }
}

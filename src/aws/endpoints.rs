//! The AWS sign-in endpoints a SAML response is posted to (Recipient,
//! Destination), the audiences AWS accepts, and the NameID formats STS takes
//! (rules 1-6 and 12).

use super::arn::{Partition, is_region_shape, is_uuid_any_case};
use super::{AWS_NOT_AUTHORIZED, excerpt};
use crate::codes::Code;
use crate::report::{Finding, Severity};

/// The global AWS sign-in SAML endpoint (us-east-1).
pub const GLOBAL_SIGNIN_SAML: &str = "https://signin.aws.amazon.com/saml";
/// The `static` form of the global endpoint, also documented.
pub const GLOBAL_SIGNIN_STATIC_SAML: &str = "https://signin.aws.amazon.com/static/saml";
/// The AWS GovCloud (US) sign-in SAML endpoint.
pub const GOVCLOUD_SIGNIN_SAML: &str = "https://signin.amazonaws-us-gov.com/saml";
/// The China sign-in SAML endpoint.
pub const CHINA_SIGNIN_SAML: &str = "https://signin.amazonaws.cn/saml";
/// AWS's SP entity ID, the audience in AWS's own metadata.
pub const AWS_SP_ENTITY_ID: &str = "urn:amazon:webservices";
/// What sign-in says when the audience is wrong (rule 5).
pub const AWS_AUDIENCE_ERROR: &str = "Response does not contain the required audience.";

/// The NameID formats AWS sign-in accepts (rule 12).
pub const ACCEPTED_NAME_ID_FORMATS: &[&str] = &[
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
];

/// Which family of sign-in endpoint a URL is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignInEndpointKind {
    /// `https://signin.aws.amazon.com/saml` (or `/static/saml`): us-east-1.
    Global,
    /// `https://<region>.signin.aws.amazon.com/saml` (or `/static/saml`).
    Regional,
    /// `https://signin.amazonaws-us-gov.com/saml`.
    GovCloud,
    /// `https://signin.amazonaws.cn/saml`.
    China,
    /// `https://[<region>.]signin.aws.amazon.com/saml/acs/<id>`: the per-provider
    /// endpoint reported for encrypted assertions (rule 37, unverified).
    PerProvider,
}

/// A recognised AWS sign-in endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInEndpoint {
    /// The family.
    pub kind: SignInEndpointKind,
    /// The partition it serves.
    pub partition: Partition,
    /// The region named in the host, if any.
    pub region: Option<String>,
    /// True for the `/static/saml` path.
    pub static_path: bool,
}

impl SignInEndpoint {
    /// The region the endpoint signs in to: the host's region, or us-east-1 for
    /// the global endpoint. None for GovCloud and China, whose host names no region.
    pub fn implied_region(&self) -> Option<&str> {
        match (&self.region, self.kind) {
            (Some(r), _) => Some(r),
            (None, SignInEndpointKind::Global | SignInEndpointKind::PerProvider) => {
                Some("us-east-1")
            }
            _ => None,
        }
    }
}

/// Splits `https://host/path` into host and path (path starts with `/` or is empty).
fn split_https(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://")?;
    let cut = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((rest.get(..cut)?, rest.get(cut..)?))
}

/// The region in a `<region>.signin.aws.amazon.com` host, if it is one.
fn regional_signin_host(host: &str) -> Option<&str> {
    host.strip_suffix(".signin.aws.amazon.com")
}

/// Checks that `url` (a Recipient or Destination) is an AWS sign-in SAML endpoint.
///
/// Accepted: `https://signin.aws.amazon.com/saml`, `…/static/saml`,
/// `https://<region>.signin.aws.amazon.com/saml` (and `/static/saml`), the
/// GovCloud and China endpoints. Anything else is `aws.recipient.invalid`, with
/// a hint at the intended endpoint where one can be guessed; the unverified
/// per-provider form `…/saml/acs/<id>` gets a warning.
///
/// ```
/// use saml_inspect::aws::check_recipient;
/// let (endpoint, findings) = check_recipient("https://eu-west-2.signin.aws.amazon.com/saml");
/// assert!(findings.is_empty());
/// assert_eq!(endpoint.unwrap().implied_region(), Some("eu-west-2"));
/// ```
pub fn check_recipient(url: &str) -> (Option<SignInEndpoint>, Vec<Finding>) {
    match classify_recipient(url) {
        Ok((endpoint, warning)) => (Some(endpoint), warning.into_iter().collect()),
        Err(why) => (
            None,
            vec![
                Finding::new(
                    Code::AwsRecipientInvalid,
                    format!(
                        "'{}' is not an AWS sign-in SAML endpoint: {why}",
                        excerpt(url, 200)
                    ),
                )
                .expected_found(GLOBAL_SIGNIN_SAML, url),
            ],
        ),
    }
}

fn classify_recipient(url: &str) -> Result<(SignInEndpoint, Option<Finding>), String> {
    if url.trim() != url {
        return Err("it has whitespace around it; AWS compares the Recipient exactly".to_string());
    }
    if url.starts_with("http://") {
        return Err("it uses http; AWS sign-in endpoints are https".to_string());
    }
    let Some((host, path)) = split_https(url) else {
        return Err("it is not an https URL".to_string());
    };
    if host != host.to_ascii_lowercase() {
        return Err(format!(
            "the host '{host}' must be lower-case ('{}'); AWS compares the value exactly",
            host.to_ascii_lowercase()
        ));
    }
    let (kind, partition, region) = if host == "signin.aws.amazon.com" {
        (SignInEndpointKind::Global, Partition::Aws, None)
    } else if let Some(region) = regional_signin_host(host) {
        if !is_region_shape(region) || !Partition::Aws.has_region(region) {
            return Err(format!(
                "'{region}' in the host is not an AWS commercial region name such as eu-west-2"
            ));
        }
        (
            SignInEndpointKind::Regional,
            Partition::Aws,
            Some(region.to_string()),
        )
    } else if host == "signin.amazonaws-us-gov.com" {
        (SignInEndpointKind::GovCloud, Partition::AwsUsGov, None)
    } else if host == "signin.amazonaws.cn" {
        (SignInEndpointKind::China, Partition::AwsCn, None)
    } else {
        return Err(format!(
            "the host '{host}' is not signin.aws.amazon.com, <region>.signin.aws.amazon.com, \
             signin.amazonaws-us-gov.com or signin.amazonaws.cn"
        ));
    };
    let region_note = match &region {
        Some(r) => format!(" (the host is the {r} regional sign-in endpoint)"),
        None if kind == SignInEndpointKind::Global => {
            " (the host is the global sign-in endpoint, us-east-1)".to_string()
        }
        None => String::new(),
    };
    let base = format!("https://{host}/saml");
    let commercial = partition == Partition::Aws;
    let static_path = match path {
        "/saml" => false,
        "/static/saml" if commercial => true,
        _ => {
            if let Some(id) = path.strip_prefix("/saml/acs/").filter(|_| commercial) {
                if !id.is_empty()
                    && id.len() <= 128
                    && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    let warning = Finding::new(
                        Code::AwsRecipientInvalid,
                        format!(
                            "'{url}' has the per-provider form …/saml/acs/<id> that IAM is reported to \
                             give SAML providers with encrypted assertions; this form is not \
                             verified here, so make sure it is the endpoint the IAM console shows{region_note}"
                        ),
                    )
                    .severity(Severity::Warning);
                    return Ok((
                        SignInEndpoint {
                            kind: SignInEndpointKind::PerProvider,
                            partition,
                            region,
                            static_path: false,
                        },
                        Some(warning),
                    ));
                }
            }
            if path
                .strip_prefix("/platform/saml/acs/")
                .is_some_and(is_uuid_any_case)
            {
                return Err(format!(
                    "it is IAM Identity Center's own ACS (the Entra ID -> Identity Center hop); a \
                     response for AWS sign-in goes to {base}{region_note}"
                ));
            }
            let hint = if path == "/saml/" || path == "/static/saml/" {
                format!("remove the trailing slash ({base})")
            } else if path.starts_with("/saml?") || path.starts_with("/saml#") {
                format!("remove the query or fragment ({base})")
            } else if path.is_empty() || path == "/" {
                format!("the path /saml is missing ({base})")
            } else if path.eq_ignore_ascii_case("/saml") {
                format!("the path is case-sensitive ({base})")
            } else {
                format!(
                    "the path must be /saml, not '{}' ({base})",
                    excerpt(path, 80)
                )
            };
            return Err(format!("{hint}{region_note}"));
        }
    };
    Ok((
        SignInEndpoint {
            kind,
            partition,
            region,
            static_path,
        },
        None,
    ))
}

/// An audience value AWS accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AwsAudience {
    /// `urn:amazon:webservices`, AWS's SP entity ID.
    AmazonWebServices,
    /// `urn:amazon:webservices:govcloud`.
    GovCloudUrn,
    /// `urn:amazon:webservices:cn-north-1` or `…:cn-northwest-1`; the region.
    ChinaUrn(String),
    /// A sign-in endpoint URL (the form Entra's AWS gallery apps emit).
    SignInUrl(SignInEndpoint),
}

/// Checks that `uri` (an AudienceRestriction/Audience value) is one AWS accepts.
///
/// Accepted: `urn:amazon:webservices`, `urn:amazon:webservices:govcloud`,
/// `urn:amazon:webservices:cn-north-1` / `cn-northwest-1`, and the sign-in
/// endpoint URLs `https://[<region>.]signin.aws.amazon.com/saml` and the
/// GovCloud / China ones. Anything else is `aws.audience.invalid`.
pub fn check_audience(uri: &str) -> (Option<AwsAudience>, Vec<Finding>) {
    let accepted = match uri {
        AWS_SP_ENTITY_ID => Some(AwsAudience::AmazonWebServices),
        "urn:amazon:webservices:govcloud" => Some(AwsAudience::GovCloudUrn),
        "urn:amazon:webservices:cn-north-1" | "urn:amazon:webservices:cn-northwest-1" => Some(
            AwsAudience::ChinaUrn(uri.rsplit(':').next().unwrap_or("").to_string()),
        ),
        _ => match classify_recipient(uri) {
            Ok((endpoint, None)) if !endpoint.static_path => Some(AwsAudience::SignInUrl(endpoint)),
            _ => None,
        },
    };
    if accepted.is_some() {
        return (accepted, Vec::new());
    }
    let why = if let Some(n) = uri.strip_prefix("https://signin.aws.amazon.com/saml#") {
        format!(
            "the '#{n}' suffix belongs to the Entra app's Identifier and Entra normally strips it \
             before emitting the Audience; the audience must be exactly {GLOBAL_SIGNIN_SAML}"
        )
    } else if uri.eq_ignore_ascii_case(AWS_SP_ENTITY_ID) {
        format!("audiences are compared exactly; use '{AWS_SP_ENTITY_ID}'")
    } else if uri.contains("signin.aws.amazon.com/static/saml-metadata.xml") {
        format!("that is the URL of AWS's metadata, not its entity ID; use '{AWS_SP_ENTITY_ID}'")
    } else if uri.contains(".signin.aws.amazon.com/platform/saml/") {
        format!(
            "that is IAM Identity Center's SP entity ID (the Entra ID -> Identity Center hop); \
             AWS sign-in expects '{AWS_SP_ENTITY_ID}' or {GLOBAL_SIGNIN_SAML}"
        )
    } else if uri.contains("signin.aws.amazon.com") || uri.contains("signin.amazonaws") {
        match classify_recipient(uri) {
            Err(e) => format!("it looks like a sign-in URL but {e}"),
            Ok(_) => format!(
                "only the /saml endpoints are audiences; use '{AWS_SP_ENTITY_ID}' or {GLOBAL_SIGNIN_SAML}"
            ),
        }
    } else {
        format!("AWS sign-in accepts '{AWS_SP_ENTITY_ID}' or {GLOBAL_SIGNIN_SAML}")
    };
    (
        None,
        vec![
            Finding::new(
                Code::AwsAudienceInvalid,
                format!(
                    "the audience '{}' is not one AWS accepts: {why}. AWS answers: \"{AWS_AUDIENCE_ERROR}\"",
                    excerpt(uri, 200)
                ),
            )
            .expected_found(AWS_SP_ENTITY_ID, uri),
        ],
    )
}

/// Checks the Subject's NameID for AWS: present, non-empty, in an accepted
/// format. `format` is the `Format` attribute; absent means `unspecified`.
pub fn check_name_id(value: Option<&str>, format: Option<&str>) -> Vec<Finding> {
    let mut findings = Vec::new();
    match value.map(super::trim_xml) {
        None => findings.push(Finding::new(
            Code::AwsNameIdInvalid,
            format!(
                "the assertion's Subject has no NameID; AWS requires one. STS answers: \"{AWS_NOT_AUTHORIZED}\""
            ),
        )),
        Some("") => findings.push(Finding::new(
            Code::AwsNameIdInvalid,
            format!("the NameID is empty; AWS requires a value. STS answers: \"{AWS_NOT_AUTHORIZED}\""),
        )),
        Some(_) => {}
    }
    if let Some(format) = format {
        if !ACCEPTED_NAME_ID_FORMATS.contains(&format) {
            let hint = ACCEPTED_NAME_ID_FORMATS
                .iter()
                .find(|f| f.eq_ignore_ascii_case(format))
                .map(|f| format!("; formats are case-sensitive: '{f}'"))
                .unwrap_or_else(|| {
                    "; AWS accepts persistent, transient, emailAddress, unspecified, \
                     X509SubjectName, WindowsDomainQualifiedName, kerberos and entity"
                        .to_string()
                });
            findings.push(
                Finding::new(
                    Code::AwsNameIdInvalid,
                    format!(
                        "the NameID format '{}' is not one AWS accepts{hint}",
                        excerpt(format, 120)
                    ),
                )
                .expected_found(
                    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
                    format,
                ),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_recipients() {
        for (url, kind, region) in [
            (
                GLOBAL_SIGNIN_SAML,
                SignInEndpointKind::Global,
                Some("us-east-1"),
            ),
            (
                GLOBAL_SIGNIN_STATIC_SAML,
                SignInEndpointKind::Global,
                Some("us-east-1"),
            ),
            (
                "https://eu-west-2.signin.aws.amazon.com/saml",
                SignInEndpointKind::Regional,
                Some("eu-west-2"),
            ),
            (
                "https://ap-southeast-2.signin.aws.amazon.com/static/saml",
                SignInEndpointKind::Regional,
                Some("ap-southeast-2"),
            ),
            (GOVCLOUD_SIGNIN_SAML, SignInEndpointKind::GovCloud, None),
            (CHINA_SIGNIN_SAML, SignInEndpointKind::China, None),
        ] {
            let (e, f) = check_recipient(url);
            assert!(f.is_empty(), "{url}: {f:?}");
            let e = e.unwrap();
            assert_eq!(e.kind, kind);
            assert_eq!(e.implied_region(), region, "{url}");
        }
    }

    #[test]
    fn refused_recipients_say_why() {
        for (url, why) in [
            ("http://signin.aws.amazon.com/saml", "uses http"),
            ("https://signin.aws.amazon.com/saml/", "trailing slash"),
            (
                "https://eu-west-2.signin.aws.amazon.com/saml/",
                "eu-west-2 regional",
            ),
            ("https://Signin.AWS.amazon.com/saml", "lower-case"),
            ("https://signin.aws.amazon.com/", "missing"),
            (
                "https://us-gov-west-1.signin.aws.amazon.com/saml",
                "not an AWS commercial region",
            ),
            (
                "https://signin.amazonaws-us-gov.com/static/saml",
                "must be /saml",
            ),
            ("https://example.com/saml", "host"),
            (
                "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/85f2a8f3-9efd-4a5d-82d4-536a359a8c35",
                "Identity Center",
            ),
            (" https://signin.aws.amazon.com/saml", "whitespace"),
        ] {
            let (e, f) = check_recipient(url);
            assert!(e.is_none(), "{url}");
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].code, Code::AwsRecipientInvalid);
            assert_eq!(f[0].severity, Severity::Error);
            assert!(f[0].message.contains(why), "{url}: {}", f[0].message);
        }
    }

    #[test]
    fn per_provider_endpoint_is_a_warning() {
        let (e, f) =
            check_recipient("https://eu-west-1.signin.aws.amazon.com/saml/acs/SAMLSP4ABCDEF012345");
        assert_eq!(e.unwrap().kind, SignInEndpointKind::PerProvider);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn audiences() {
        for ok in [
            "urn:amazon:webservices",
            "https://signin.aws.amazon.com/saml",
            "https://eu-west-2.signin.aws.amazon.com/saml",
            "urn:amazon:webservices:govcloud",
            "urn:amazon:webservices:cn-north-1",
        ] {
            let (a, f) = check_audience(ok);
            assert!(a.is_some() && f.is_empty(), "{ok}");
        }
        for (bad, why) in [
            ("https://signin.aws.amazon.com/saml#1", "strips"),
            ("urn:amazon:WebServices", "exactly"),
            (
                "https://signin.aws.amazon.com/static/saml-metadata.xml",
                "metadata",
            ),
            (
                "https://eu-west-1.signin.aws.amazon.com/platform/saml/d-996719544f",
                "Identity Center",
            ),
            ("https://signin.aws.amazon.com/saml/", "trailing slash"),
            ("spn:00000000-0000-0000-0000-000000000000", "accepts"),
        ] {
            let (a, f) = check_audience(bad);
            assert!(a.is_none(), "{bad}");
            assert_eq!(f[0].code, Code::AwsAudienceInvalid);
            assert!(f[0].message.contains(why), "{bad}: {}", f[0].message);
            assert!(f[0].message.contains(AWS_AUDIENCE_ERROR));
        }
    }

    #[test]
    fn name_ids() {
        assert!(
            check_name_id(Some("alice@contoso.com"), Some(ACCEPTED_NAME_ID_FORMATS[2])).is_empty()
        );
        assert!(check_name_id(Some("x"), None).is_empty());
        let f = check_name_id(None, None);
        assert_eq!(f[0].code, Code::AwsNameIdInvalid);
        assert!(f[0].message.contains(AWS_NOT_AUTHORIZED));
        assert_eq!(check_name_id(Some(" \n"), None).len(), 1);
        let f = check_name_id(
            Some("x"),
            Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailaddress"),
        );
        assert!(f[0].message.contains("case-sensitive"));
        let f = check_name_id(Some("x"), Some("urn:example:custom"));
        assert_eq!(f[0].code, Code::AwsNameIdInvalid);
    }
}

//! Amazon Resource Names: the generic grammar and the three kinds the federation uses.
//!
//! ```text
//! arn:<partition>:<service>:<region>:<account>:<resource>
//! arn:aws:iam::123456789012:role/<path/>name            (IAM: the region is empty)
//! arn:aws:iam::123456789012:saml-provider/<name>        (no path)
//! arn:aws:connect:us-east-1:123456789012:instance/<lower-case uuid>
//! ```
//!
//! Everything here is hand-written and linear in the input: no regex engine, no
//! allocation beyond the parts that are kept.

use std::fmt;
use std::ops::Range;

use crate::codes::Code;
use crate::report::{Finding, Location, Severity};

/// The shortest ARN the STS API accepts (`arnType`, min 20).
pub const ARN_MIN_LEN: usize = 20;
/// The longest ARN the STS API accepts (`arnType`, max 2048).
pub const ARN_MAX_LEN: usize = 2048;
/// IAM's limit on a role path, leading and trailing `/` included (`pathType`).
pub const ROLE_PATH_MAX_LEN: usize = 512;
/// IAM's limit on a role name (`roleNameType`).
pub const ROLE_NAME_MAX_LEN: usize = 64;
/// IAM's limit on a SAML provider name (`SAMLProviderNameType`).
pub const SAML_PROVIDER_NAME_MAX_LEN: usize = 128;

/// An AWS partition: the top-level namespace an ARN lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Partition {
    /// `aws`: the commercial regions.
    Aws,
    /// `aws-cn`: the China regions.
    AwsCn,
    /// `aws-us-gov`: AWS GovCloud (US).
    AwsUsGov,
    /// `aws-iso` (opt-in).
    AwsIso,
    /// `aws-iso-b` (opt-in).
    AwsIsoB,
    /// `aws-iso-e` (opt-in).
    AwsIsoE,
    /// `aws-iso-f` (opt-in).
    AwsIsoF,
    /// `aws-eusc`, the European Sovereign Cloud (opt-in).
    AwsEusc,
}

impl Partition {
    /// Every partition, the three standard ones first.
    pub const ALL: &'static [Partition] = &[
        Partition::Aws,
        Partition::AwsCn,
        Partition::AwsUsGov,
        Partition::AwsIso,
        Partition::AwsIsoB,
        Partition::AwsIsoE,
        Partition::AwsIsoF,
        Partition::AwsEusc,
    ];

    /// The name as it appears in an ARN, e.g. `aws-us-gov`.
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsIso => "aws-iso",
            Partition::AwsIsoB => "aws-iso-b",
            Partition::AwsIsoE => "aws-iso-e",
            Partition::AwsIsoF => "aws-iso-f",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    /// The partition with this exact (lower-case) name.
    pub fn from_name(name: &str) -> Option<Partition> {
        Partition::ALL.iter().copied().find(|p| p.as_str() == name)
    }

    /// True for `aws`, `aws-cn` and `aws-us-gov`, the partitions accepted by default.
    pub fn is_standard(self) -> bool {
        matches!(
            self,
            Partition::Aws | Partition::AwsCn | Partition::AwsUsGov
        )
    }

    /// Whether `region` belongs to this partition, by the botocore region patterns.
    ///
    /// The opt-in partitions are only checked against the loose region grammar.
    pub fn has_region(self, region: &str) -> bool {
        if !is_region_shape(region) {
            return false;
        }
        match self {
            Partition::Aws => {
                let prefix = region.split('-').next().unwrap_or("");
                ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"].contains(&prefix)
                    && !region.starts_with("us-gov-")
                    && !region.starts_with("us-iso")
            }
            Partition::AwsCn => region.starts_with("cn-"),
            Partition::AwsUsGov => region.starts_with("us-gov-"),
            _ => true,
        }
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The partition a region name belongs to, among the three standard partitions.
pub fn partition_of_region(region: &str) -> Option<Partition> {
    [Partition::AwsUsGov, Partition::AwsCn, Partition::Aws]
        .into_iter()
        .find(|p| p.has_region(region))
}

/// Whether `s` has the loose region shape `[a-z]{2}(-[a-z]+)+-\d+`, e.g. `eu-west-2`.
pub fn is_region_shape(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    // At least: two-letter prefix, one word, one number.
    if parts.len() < 3 || s.len() > 64 {
        return false;
    }
    let (first, rest) = match parts.split_first() {
        Some(x) => x,
        None => return false,
    };
    let (last, middle) = match rest.split_last() {
        Some(x) => x,
        None => return false,
    };
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `s` is a 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `s` is a lower-case UUID (`8-4-4-4-12` hex digits), the form Connect uses.
pub fn is_lowercase_uuid(s: &str) -> bool {
    is_uuid_with(s, |b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `s` is a UUID in any letter case.
pub fn is_uuid_any_case(s: &str) -> bool {
    is_uuid_with(s, |b| b.is_ascii_hexdigit())
}

fn is_uuid_with(s: &str, hex: impl Fn(u8) -> bool) -> bool {
    let groups = [8usize, 4, 4, 4, 12];
    let parts: Vec<&str> = s.splitn(6, '-').collect();
    parts.len() == groups.len()
        && parts
            .iter()
            .zip(groups)
            .all(|(p, n)| p.len() == n && p.bytes().all(&hex))
}

/// Options for [`Arn::parse`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArnOptions {
    /// Accept `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f` and `aws-eusc`
    /// besides `aws`, `aws-cn` and `aws-us-gov`.
    pub allow_other_partitions: bool,
}

/// Why a string is not a valid ARN (or not the kind of ARN expected).
///
/// Every variant names the part that is wrong and the value found there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArnError {
    /// Outside the 20-2048 characters the STS API accepts.
    #[error("the ARN is {len} characters long; AWS accepts 20 to 2048")]
    Length {
        /// The length found, in characters.
        len: usize,
    },
    /// Does not start with `arn:`.
    #[error("'{found}' does not start with 'arn:'")]
    NotAnArn {
        /// The start of the value (at most 32 characters).
        found: String,
    },
    /// Whitespace or a control character inside the ARN.
    #[error(
        "the ARN contains whitespace or a control character (U+{code_point:04X}) at character {position}"
    )]
    Whitespace {
        /// Position of the character, counted from 1.
        position: usize,
        /// Its code point.
        code_point: u32,
    },
    /// Fewer than six colon-separated parts.
    #[error(
        "the ARN has {found} colon-separated parts; it needs 6 (arn:partition:service:region:account:resource)"
    )]
    MissingParts {
        /// Number of parts found.
        found: usize,
    },
    /// The partition is not known.
    #[error("the partition '{found}' is not one of aws, aws-cn, aws-us-gov")]
    UnknownPartition {
        /// The partition found.
        found: String,
    },
    /// The partition is known but needs [`ArnOptions::allow_other_partitions`].
    #[error("the partition '{found}' is only accepted when other partitions are allowed")]
    PartitionNotAllowed {
        /// The partition found.
        found: String,
    },
    /// The service is empty or has characters other than `[a-z0-9-]`.
    #[error("the service '{found}' must be lower-case letters, digits and '-'")]
    Service {
        /// The service found.
        found: String,
    },
    /// Another service was expected (e.g. `iam`).
    #[error("the service is '{found}'; expected '{expected}'")]
    WrongService {
        /// The service required.
        expected: &'static str,
        /// The service found.
        found: String,
    },
    /// The region does not have the shape of a region name.
    #[error("the region '{found}' is not a region name such as us-east-1")]
    Region {
        /// The region found.
        found: String,
    },
    /// The region belongs to another partition.
    #[error("the region '{region}' is not in the partition '{partition}'")]
    RegionNotInPartition {
        /// The region found.
        region: String,
        /// The ARN's partition.
        partition: Partition,
    },
    /// IAM ARNs carry an empty region.
    #[error("IAM ARNs have an empty region, but this one has '{found}'")]
    RegionNotEmpty {
        /// The region found.
        found: String,
    },
    /// The ARN needs a region and has none.
    #[error("the region is empty; a {kind} ARN names its region")]
    RegionMissing {
        /// The kind of ARN.
        kind: &'static str,
    },
    /// The account id is not 12 digits.
    #[error("the account id '{found}' must be exactly 12 digits")]
    Account {
        /// The account id found.
        found: String,
    },
    /// The resource part is empty.
    #[error("the resource part is empty")]
    EmptyResource,
    /// Another resource type was expected.
    #[error("the resource type is '{found}'; expected '{expected}'")]
    WrongResourceType {
        /// The resource type required.
        expected: &'static str,
        /// The resource type found.
        found: String,
    },
    /// The role path breaks IAM's rules.
    #[error("the role path '{found}' {reason}")]
    RolePath {
        /// The path found.
        found: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The role name breaks IAM's rules.
    #[error("the role name '{found}' {reason}")]
    RoleName {
        /// The name found.
        found: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The SAML provider name breaks IAM's rules.
    #[error("the SAML provider name '{found}' {reason}")]
    ProviderName {
        /// The name found.
        found: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The Connect instance id is not a lower-case UUID.
    #[error("the Connect instance id '{found}' {reason}")]
    InstanceId {
        /// The id found.
        found: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The partition is not one where the service exists.
    #[error("{service} is not available in the partition '{partition}'")]
    PartitionNotSupported {
        /// The service.
        service: &'static str,
        /// The partition found.
        partition: Partition,
    },
}

impl ArnError {
    /// The finding code for an invalid ARN.
    pub fn code(&self) -> Code {
        Code::AwsArnInvalid
    }

    /// This error as a finding about `what` (e.g. "the role ARN 'arn:…'").
    pub fn to_finding(&self, what: &str, location: Option<Location>) -> Finding {
        Finding::new(self.code(), format!("{what} is not a valid ARN: {self}")).at(location)
    }
}

/// A parsed ARN. The parts borrow nothing: an `Arn` can outlive its input.
/// (One allocation: the parts are ranges of the text; a Role attribute can
/// carry hundreds of ARNs.)
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Arn {
    text: String,
    partition: Partition,
    service: Range<usize>,
    region: Range<usize>,
    account: Range<usize>,
    resource: Range<usize>,
}

impl Arn {
    /// Parses `arn:partition:service:region:account:resource`.
    ///
    /// The region may be empty; when present it must have the shape of a region
    /// and belong to the partition. The account must be exactly 12 digits.
    ///
    /// ```
    /// use saml_inspect::aws::{Arn, ArnOptions};
    /// let arn = Arn::parse("arn:aws:iam::123456789012:role/ops/Admin", ArnOptions::default()).unwrap();
    /// assert_eq!(arn.account(), "123456789012");
    /// assert_eq!(arn.resource_type(), "role");
    /// assert_eq!(arn.resource_path(), "/ops/");
    /// assert_eq!(arn.resource_name(), "Admin");
    /// ```
    pub fn parse(s: &str, options: ArnOptions) -> Result<Arn, ArnError> {
        let len = if s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        };
        if !(ARN_MIN_LEN..=ARN_MAX_LEN).contains(&len) {
            if !s.starts_with("arn:") {
                return Err(not_an_arn(s));
            }
            return Err(ArnError::Length { len });
        }
        if let Some((i, c)) = super::find_space_or_control(s) {
            return Err(ArnError::Whitespace {
                position: i + 1,
                code_point: u32::from(c),
            });
        }
        let mut split = s.splitn(6, ':');
        let parts: [Option<&str>; 6] = std::array::from_fn(|_| split.next());
        let [
            Some(prefix),
            Some(partition),
            Some(service),
            Some(region),
            Some(account),
            Some(resource),
        ] = parts
        else {
            if !s.starts_with("arn:") {
                return Err(not_an_arn(s));
            }
            let found = parts.iter().flatten().count();
            return Err(ArnError::MissingParts { found });
        };
        if prefix != "arn" {
            return Err(not_an_arn(s));
        }
        let partition_name = partition;
        let partition = match Partition::from_name(partition_name) {
            Some(p) if p.is_standard() || options.allow_other_partitions => p,
            Some(_) => {
                return Err(ArnError::PartitionNotAllowed {
                    found: partition_name.to_string(),
                });
            }
            None => {
                return Err(ArnError::UnknownPartition {
                    found: partition_name.to_string(),
                });
            }
        };
        if service.is_empty()
            || !service
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(ArnError::Service {
                found: service.to_string(),
            });
        }
        if !region.is_empty() {
            if !is_region_shape(region) {
                return Err(ArnError::Region {
                    found: region.to_string(),
                });
            }
            if !partition.has_region(region) {
                return Err(ArnError::RegionNotInPartition {
                    region: region.to_string(),
                    partition,
                });
            }
        }
        if !is_account_id(account) {
            return Err(ArnError::Account {
                found: account.to_string(),
            });
        }
        if resource.is_empty() {
            return Err(ArnError::EmptyResource);
        }
        // Each part's range in `s`: the parts are consecutive, one ':' apart.
        let mut at = prefix.len() + 1 + partition_name.len() + 1;
        let mut span = |part: &str| {
            let range = at..at + part.len();
            at = range.end + 1;
            range
        };
        Ok(Arn {
            text: s.to_string(),
            partition,
            service: span(service),
            region: span(region),
            account: span(account),
            resource: span(resource),
        })
    }

    fn part(&self, range: &Range<usize>) -> &str {
        self.text.get(range.clone()).unwrap_or("")
    }

    /// The whole ARN as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.partition
    }

    /// The service, e.g. `iam`.
    pub fn service(&self) -> &str {
        self.part(&self.service)
    }

    /// The region; empty for global services such as IAM.
    pub fn region(&self) -> &str {
        self.part(&self.region)
    }

    /// The 12-digit account id.
    pub fn account(&self) -> &str {
        self.part(&self.account)
    }

    /// Everything after the account, e.g. `role/ops/Admin`.
    pub fn resource(&self) -> &str {
        self.part(&self.resource)
    }

    /// The resource type: the resource up to the first `/` or `:` (`role`,
    /// `saml-provider`, `instance`), or the whole resource when it has neither.
    pub fn resource_type(&self) -> &str {
        let resource = self.resource();
        let end = resource.find(['/', ':']).unwrap_or(resource.len());
        resource.get(..end).unwrap_or("")
    }

    /// The path between the resource type and the name, with its slashes
    /// (`/` when there is none, `/ops/` for `role/ops/Admin`).
    pub fn resource_path(&self) -> &str {
        let after_type = self.after_type();
        match (after_type.find('/'), after_type.rfind('/')) {
            // `after_type` starts right after the type's separator, so the path
            // is the part up to and including the last '/', with the separator.
            (Some(_), Some(last)) => {
                let sep = self.resource_type().len();
                self.resource().get(sep..sep + 1 + last + 1).unwrap_or("/")
            }
            _ => "/",
        }
    }

    /// The last segment of the resource (the role or provider name, the instance id).
    pub fn resource_name(&self) -> &str {
        let after_type = self.after_type();
        match after_type.rfind('/') {
            Some(last) => after_type.get(last + 1..).unwrap_or(""),
            None => after_type,
        }
    }

    /// The resource after the type and its one separator character.
    fn after_type(&self) -> &str {
        let n = self.resource_type().len();
        // `n` is at a char boundary ('/' or ':' is ASCII) or at the end.
        self.resource().get(n + 1..).unwrap_or("")
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn not_an_arn(s: &str) -> ArnError {
    ArnError::NotAnArn {
        found: s.chars().take(32).collect(),
    }
}

/// Whether `c` is in IAM's `\w+=,.@-` set (ASCII `\w`).
pub(crate) fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '=' | ',' | '.' | '@' | '-')
}

fn check_iam_arn(arn: &Arn, resource_type: &'static str) -> Result<(), ArnError> {
    if arn.service() != "iam" {
        return Err(ArnError::WrongService {
            expected: "iam",
            found: arn.service().to_string(),
        });
    }
    if !arn.region().is_empty() {
        return Err(ArnError::RegionNotEmpty {
            found: arn.region().to_string(),
        });
    }
    let found_type = arn.resource_type();
    if found_type != resource_type || arn.resource().as_bytes().get(found_type.len()) != Some(&b'/')
    {
        return Err(ArnError::WrongResourceType {
            expected: resource_type,
            found: found_type.to_string(),
        });
    }
    Ok(())
}

/// An IAM role ARN: `arn:<partition>:iam::<account>:role/<path/>name`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IamRoleArn {
    arn: Arn,
}

impl IamRoleArn {
    /// Parses and checks a role ARN: empty region; path `/` or `/…/` of
    /// U+0021-U+007E, at most 512 characters; name 1-64 of `[A-Za-z0-9_+=,.@-]`.
    pub fn parse(s: &str, options: ArnOptions) -> Result<IamRoleArn, ArnError> {
        IamRoleArn::from_arn(Arn::parse(s, options)?)
    }

    /// Checks an already parsed ARN.
    pub fn from_arn(arn: Arn) -> Result<IamRoleArn, ArnError> {
        check_iam_arn(&arn, "role")?;
        let path = arn.resource_path();
        if path.len() > ROLE_PATH_MAX_LEN {
            return Err(ArnError::RolePath {
                found: path.to_string(),
                reason: "is longer than 512 characters",
            });
        }
        if path.contains("//") {
            return Err(ArnError::RolePath {
                found: path.to_string(),
                reason: "has an empty segment ('//')",
            });
        }
        if let Some(c) = path.chars().find(|c| !('\u{21}'..='\u{7e}').contains(c)) {
            return Err(ArnError::RolePath {
                found: path.to_string(),
                reason: if c.is_ascii() {
                    "has a character outside U+0021-U+007E"
                } else {
                    "has a non-ASCII character; paths are U+0021-U+007E"
                },
            });
        }
        let name = arn.resource_name();
        check_role_name(name)?;
        Ok(IamRoleArn { arn })
    }

    /// The generic ARN.
    pub fn arn(&self) -> &Arn {
        &self.arn
    }

    /// The role name, without its path.
    pub fn name(&self) -> &str {
        self.arn.resource_name()
    }

    /// The path, `/` when there is none.
    pub fn path(&self) -> &str {
        self.arn.resource_path()
    }

    /// The account id.
    pub fn account(&self) -> &str {
        self.arn.account()
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.arn.partition()
    }

    /// The whole ARN.
    pub fn as_str(&self) -> &str {
        self.arn.as_str()
    }
}

impl fmt::Display for IamRoleArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.arn.fmt(f)
    }
}

fn check_role_name(name: &str) -> Result<(), ArnError> {
    let len = name.chars().count();
    if len == 0 {
        return Err(ArnError::RoleName {
            found: name.to_string(),
            reason: "is empty".to_string(),
        });
    }
    if len > ROLE_NAME_MAX_LEN {
        return Err(ArnError::RoleName {
            found: name.to_string(),
            reason: format!("is {len} characters long; IAM allows at most 64"),
        });
    }
    if let Some(c) = name.chars().find(|&c| !is_iam_name_char(c)) {
        return Err(ArnError::RoleName {
            found: name.to_string(),
            reason: format!(
                "has the character {c:?}; role names use only A-Z a-z 0-9 _ + = , . @ -"
            ),
        });
    }
    Ok(())
}

/// An IAM SAML provider ARN: `arn:<partition>:iam::<account>:saml-provider/<name>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SamlProviderArn {
    arn: Arn,
}

impl SamlProviderArn {
    /// Parses and checks a SAML provider ARN: empty region, no path, name of
    /// 1-128 characters. Names with `+ = , @` (allowed by IAM's prose, not by
    /// its API regex `[\w._-]+`) are accepted here; [`Self::name_warnings`]
    /// reports them.
    pub fn parse(s: &str, options: ArnOptions) -> Result<SamlProviderArn, ArnError> {
        SamlProviderArn::from_arn(Arn::parse(s, options)?)
    }

    /// Checks an already parsed ARN.
    pub fn from_arn(arn: Arn) -> Result<SamlProviderArn, ArnError> {
        check_iam_arn(&arn, "saml-provider")?;
        let name = arn.after_type();
        let len = name.chars().count();
        let bad = |reason: String| ArnError::ProviderName {
            found: name.to_string(),
            reason,
        };
        if len == 0 {
            return Err(bad("is empty".to_string()));
        }
        if name.contains('/') {
            return Err(bad("has a '/'; SAML providers have no path".to_string()));
        }
        if len > SAML_PROVIDER_NAME_MAX_LEN {
            return Err(bad(format!(
                "is {len} characters long; IAM allows at most 128"
            )));
        }
        if let Some(c) = name.chars().find(|&c| !is_iam_name_char(c)) {
            return Err(bad(format!(
                "has the character {c:?}; provider names use only A-Z a-z 0-9 _ . -"
            )));
        }
        Ok(SamlProviderArn { arn })
    }

    /// The provider name.
    pub fn name(&self) -> &str {
        self.arn.resource_name()
    }

    /// The generic ARN.
    pub fn arn(&self) -> &Arn {
        &self.arn
    }

    /// The account id.
    pub fn account(&self) -> &str {
        self.arn.account()
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.arn.partition()
    }

    /// The whole ARN.
    pub fn as_str(&self) -> &str {
        self.arn.as_str()
    }

    /// Characters of the name that IAM's prose allows but its API regex
    /// `[\w._-]+` does not (`+ = , @`), in order of appearance, without repeats.
    pub fn prose_only_chars(&self) -> Vec<char> {
        let mut out = Vec::new();
        for c in self.name().chars() {
            if matches!(c, '+' | '=' | ',' | '@') && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// A warning when the name uses characters the API regex refuses.
    pub fn name_warnings(&self, location: Option<Location>) -> Vec<Finding> {
        let chars = self.prose_only_chars();
        if chars.is_empty() {
            return Vec::new();
        }
        let list: Vec<String> = chars.iter().map(|c| format!("'{c}'")).collect();
        vec![
            Finding::new(
                Code::AwsArnInvalid,
                format!(
                    "the SAML provider name '{}' uses {}: IAM's documentation allows them but its API \
                     pattern [\\w._-]+ does not, so CreateSAMLProvider refuses such a name; a provider \
                     by this name probably does not exist",
                    self.name(),
                    list.join(", ")
                ),
            )
            .severity(Severity::Warning)
            .at(location),
        ]
    }
}

impl fmt::Display for SamlProviderArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.arn.fmt(f)
    }
}

/// An Amazon Connect instance ARN:
/// `arn:(aws|aws-us-gov):connect:<region>:<account>:instance/<lower-case uuid>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConnectInstanceArn {
    arn: Arn,
}

impl ConnectInstanceArn {
    /// Parses and checks a Connect instance ARN. Connect's API model lists
    /// only the `aws` and `aws-us-gov` partitions.
    pub fn parse(s: &str, options: ArnOptions) -> Result<ConnectInstanceArn, ArnError> {
        let arn = Arn::parse(s, options)?;
        if arn.service() != "connect" {
            return Err(ArnError::WrongService {
                expected: "connect",
                found: arn.service().to_string(),
            });
        }
        if !matches!(arn.partition(), Partition::Aws | Partition::AwsUsGov) {
            return Err(ArnError::PartitionNotSupported {
                service: "Amazon Connect",
                partition: arn.partition(),
            });
        }
        if arn.region().is_empty() {
            return Err(ArnError::RegionMissing { kind: "Connect" });
        }
        if arn.resource_type() != "instance" || !arn.resource().starts_with("instance/") {
            return Err(ArnError::WrongResourceType {
                expected: "instance",
                found: arn.resource_type().to_string(),
            });
        }
        let id = arn.after_type();
        if !is_lowercase_uuid(id) {
            return Err(ArnError::InstanceId {
                found: id.to_string(),
                reason: if is_uuid_any_case(id) {
                    "must be lower-case"
                } else {
                    "is not a UUID (8-4-4-4-12 hexadecimal digits)"
                },
            });
        }
        Ok(ConnectInstanceArn { arn })
    }

    /// The instance id (a lower-case UUID).
    pub fn instance_id(&self) -> &str {
        self.arn.after_type()
    }

    /// The region.
    pub fn region(&self) -> &str {
        self.arn.region()
    }

    /// The account id.
    pub fn account(&self) -> &str {
        self.arn.account()
    }

    /// The partition.
    pub fn partition(&self) -> Partition {
        self.arn.partition()
    }

    /// The generic ARN.
    pub fn arn(&self) -> &Arn {
        &self.arn
    }
}

impl fmt::Display for ConnectInstanceArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.arn.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/amazon-connect-federation-role";
    const PROVIDER: &str = "arn:aws:iam::123456789012:saml-provider/AzureAD";
    const INSTANCE: &str =
        "arn:aws:connect:eu-west-2:123456789012:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    fn opts() -> ArnOptions {
        ArnOptions::default()
    }

    #[test]
    fn generic_parts() {
        let arn = Arn::parse(ROLE, opts()).unwrap();
        assert_eq!(arn.partition(), Partition::Aws);
        assert_eq!(arn.service(), "iam");
        assert_eq!(arn.region(), "");
        assert_eq!(arn.resource_type(), "role");
        assert_eq!(arn.resource_path(), "/");
        assert_eq!(arn.resource_name(), "amazon-connect-federation-role");
        let pathed = Arn::parse(
            "arn:aws:iam::123456789012:role/application_abc/component_xyz/RDSAccess",
            opts(),
        )
        .unwrap();
        assert_eq!(pathed.resource_path(), "/application_abc/component_xyz/");
        assert_eq!(pathed.resource_name(), "RDSAccess");
    }

    #[test]
    fn account_error_names_the_account() {
        let err = Arn::parse("arn:aws:iam::12345:role/admin-role", opts()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the account id '12345' must be exactly 12 digits"
        );
        assert_eq!(err.code(), Code::AwsArnInvalid);
    }

    #[test]
    fn partitions() {
        assert!(matches!(
            Arn::parse("arn:aws-iso:iam::123456789012:role/x", opts()),
            Err(ArnError::PartitionNotAllowed { .. })
        ));
        assert!(
            Arn::parse(
                "arn:aws-iso:iam::123456789012:role/x",
                ArnOptions {
                    allow_other_partitions: true
                }
            )
            .is_ok()
        );
        assert!(matches!(
            Arn::parse("arn:azure:iam::123456789012:role/x", opts()),
            Err(ArnError::UnknownPartition { .. })
        ));
        assert!(Arn::parse("arn:aws-us-gov:iam::123456789012:role/x", opts()).is_ok());
        assert!(matches!(
            Arn::parse("arn:aws:connect:cn-north-1:123456789012:instance/x", opts()),
            Err(ArnError::RegionNotInPartition { .. })
        ));
    }

    #[test]
    fn length_and_whitespace() {
        assert!(matches!(
            Arn::parse("arn:aws:iam::1", opts()),
            Err(ArnError::Length { len: 14 })
        ));
        let long = format!("arn:aws:iam::123456789012:role/{}", "a".repeat(2100));
        assert!(matches!(
            Arn::parse(&long, opts()),
            Err(ArnError::Length { .. })
        ));
        assert!(matches!(
            Arn::parse("arn:aws:iam::123456789012:role/my role", opts()),
            Err(ArnError::Whitespace {
                position: 34,
                code_point: 0x20
            })
        ));
        assert!(matches!(
            Arn::parse("nra:aws:iam::123456789012:role/x", opts()),
            Err(ArnError::NotAnArn { .. })
        ));
        assert!(matches!(
            Arn::parse("arn:aws:iam:123456789012:role/xxxxxx", opts()),
            Err(ArnError::MissingParts { found: 5 })
        ));
    }

    #[test]
    fn role_arn_rules() {
        let role = IamRoleArn::parse(ROLE, opts()).unwrap();
        assert_eq!(role.name(), "amazon-connect-federation-role");
        assert!(matches!(
            IamRoleArn::parse(PROVIDER, opts()),
            Err(ArnError::WrongResourceType {
                expected: "role",
                ..
            })
        ));
        assert!(matches!(
            IamRoleArn::parse("arn:aws:iam:us-east-1:123456789012:role/x", opts()),
            Err(ArnError::RegionNotEmpty { .. })
        ));
        let long_name = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(65));
        let err = IamRoleArn::parse(&long_name, opts()).unwrap_err();
        assert!(err.to_string().contains("at most 64"), "{err}");
        assert!(matches!(
            IamRoleArn::parse("arn:aws:iam::123456789012:role/a#b", opts()),
            Err(ArnError::RoleName { .. })
        ));
        assert!(matches!(
            IamRoleArn::parse("arn:aws:iam::123456789012:role/a//b", opts()),
            Err(ArnError::RolePath { .. })
        ));
        assert!(matches!(
            IamRoleArn::parse("arn:aws:iam::123456789012:role/", opts()),
            Err(ArnError::RoleName { .. })
        ));
        assert!(
            IamRoleArn::parse("arn:aws:iam::123456789012:role/a#b/name", opts()).is_ok(),
            "'#' is allowed in a path"
        );
    }

    #[test]
    fn provider_arn_rules() {
        let p = SamlProviderArn::parse(PROVIDER, opts()).unwrap();
        assert_eq!(p.name(), "AzureAD");
        assert!(p.name_warnings(None).is_empty());
        let odd =
            SamlProviderArn::parse("arn:aws:iam::123456789012:saml-provider/Azure@AD", opts())
                .unwrap();
        let w = odd.name_warnings(None);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].severity, Severity::Warning);
        assert!(w[0].message.contains("'@'"));
        assert!(matches!(
            SamlProviderArn::parse("arn:aws:iam::123456789012:saml-provider/a/b", opts()),
            Err(ArnError::ProviderName { .. })
        ));
        let long = format!(
            "arn:aws:iam::123456789012:saml-provider/{}",
            "p".repeat(129)
        );
        assert!(SamlProviderArn::parse(&long, opts()).is_err());
        assert!(matches!(
            SamlProviderArn::parse(ROLE, opts()),
            Err(ArnError::WrongResourceType { .. })
        ));
    }

    #[test]
    fn connect_instance_arn() {
        let i = ConnectInstanceArn::parse(INSTANCE, opts()).unwrap();
        assert_eq!(i.instance_id(), "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        assert_eq!(i.region(), "eu-west-2");
        let upper = INSTANCE.replace("aaaaaaaa", "AAAAAAAA");
        let err = ConnectInstanceArn::parse(&upper, opts()).unwrap_err();
        assert!(err.to_string().contains("lower-case"), "{err}");
        assert!(matches!(
            ConnectInstanceArn::parse(
                "arn:aws-cn:connect:cn-north-1:123456789012:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                opts()
            ),
            Err(ArnError::PartitionNotSupported { .. })
        ));
    }

    #[test]
    fn region_shapes() {
        assert!(is_region_shape("us-east-1"));
        assert!(is_region_shape("us-gov-west-1"));
        assert!(!is_region_shape("useast1"));
        assert!(!is_region_shape("US-east-1"));
        assert!(!is_region_shape("us--1"));
        assert_eq!(
            partition_of_region("us-gov-east-1"),
            Some(Partition::AwsUsGov)
        );
        assert_eq!(
            partition_of_region("cn-northwest-1"),
            Some(Partition::AwsCn)
        );
        assert_eq!(partition_of_region("eu-central-2"), Some(Partition::Aws));
        assert_eq!(partition_of_region("xx-east-1"), None);
    }
}

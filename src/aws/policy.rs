//! IAM policies on the federated role: the trust policy (who may assume the
//! role, rule 4) and the permissions policy (`connect:GetFederationToken`, rule 46).
//!
//! [`parse_policy`] reads a policy document, or the JSON that `aws iam get-role`
//! (`Role.AssumeRolePolicyDocument`), `get-role-policy` (`PolicyDocument`) and
//! `get-policy-version` (`PolicyVersion.Document`) print; the document may be
//! an object or a URL-encoded string. [`check_trust_policy`] and
//! [`check_connect_permissions`] then evaluate the few requests the federation
//! makes, the way IAM does for the parts this module understands: `Statement`
//! as object or array, values as string or array, explicit `Deny` wins,
//! `*`/`?` wildcards, case-insensitive actions and condition keys, and the
//! `String*` condition operators with `ForAnyValue:`/`ForAllValues:` and
//! `…IfExists`. What it does not model (`NotAction`, `NotResource`,
//! `NotPrincipal`, conditions on keys it cannot know) is reported as
//! `iam.policy.unsupported` instead of being guessed.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::arn::Partition;
use super::excerpt;
use super::relay_state::percent_decode;
use crate::codes::Code;
use crate::report::{Finding, Location, Severity};

/// Policy inputs larger than this are refused (IAM's own limits are far smaller:
/// 10,240 characters for a managed policy).
pub const MAX_POLICY_INPUT_BYTES: usize = 1 << 20;
/// The policy language version that supports policy variables.
pub const POLICY_VERSION_2012: &str = "2012-10-17";
/// The action AWS sign-in calls on the role's trust policy.
pub const ASSUME_ROLE_WITH_SAML: &str = "sts:AssumeRoleWithSAML";
/// Needed in the trust policy when PrincipalTag attributes are sent.
pub const TAG_SESSION: &str = "sts:TagSession";
/// Needed in the trust policy when SourceIdentity is sent.
pub const SET_SOURCE_IDENTITY: &str = "sts:SetSourceIdentity";
/// The action Connect's federation calls.
pub const GET_FEDERATION_TOKEN: &str = "connect:GetFederationToken";
/// What Connect shows when the role lacks GetFederationToken (rule 49).
pub const CONNECT_ACCESS_DENIED: &str =
    "Access denied, Please contact your AWS account administrator for assistance.";

/// Where a policy document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicySource {
    /// A bare policy document.
    Document,
    /// `aws iam get-role` output: `Role.AssumeRolePolicyDocument`.
    GetRole,
    /// `aws iam get-role-policy` output: `PolicyDocument`.
    GetRolePolicy,
    /// `aws iam get-policy-version` output: `PolicyVersion.Document`.
    GetPolicyVersion,
}

impl PolicySource {
    fn field(self) -> &'static str {
        match self {
            PolicySource::Document => "policy document",
            PolicySource::GetRole => "Role.AssumeRolePolicyDocument",
            PolicySource::GetRolePolicy => "PolicyDocument",
            PolicySource::GetPolicyVersion => "PolicyVersion.Document",
        }
    }
}

/// Allow or Deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
pub enum Effect {
    /// `"Effect": "Allow"`.
    Allow,
    /// `"Effect": "Deny"`: wins over every Allow.
    Deny,
}

/// A `Principal` (or `NotPrincipal`) element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`: everyone.
    Any,
    /// `{"Federated": [...], "AWS": [...], ...}`: principal type to values.
    Map(BTreeMap<String, Vec<String>>),
}

/// One condition: operator, key and the values it is compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The operator as written, e.g. `StringEquals` or `ForAnyValue:StringLike`.
    pub operator: String,
    /// The condition key as written, e.g. `SAML:aud`.
    pub key: String,
    /// The values (numbers and booleans as their JSON text).
    pub values: Vec<String>,
}

/// One statement of a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Position in the policy, from 0.
    pub index: usize,
    /// The `Sid`, when given.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// `Principal`, when given (trust policies).
    pub principal: Option<Principal>,
    /// `NotPrincipal`, when given (not analysed).
    pub not_principal: Option<Principal>,
    /// `Action` values.
    pub action: Option<Vec<String>>,
    /// `NotAction` values (not analysed).
    pub not_action: Option<Vec<String>>,
    /// `Resource` values.
    pub resource: Option<Vec<String>>,
    /// `NotResource` values (not analysed).
    pub not_resource: Option<Vec<String>>,
    /// The conditions, all of which must hold.
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// A name for messages: `Sid "X"` or `statement #n` (from 1).
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => format!("statement \"{}\"", excerpt(sid, 60)),
            _ => format!("statement #{}", self.index + 1),
        }
    }
}

/// A parsed policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDocument {
    /// Where it came from.
    pub source: PolicySource,
    /// `Version`, when given.
    pub version: Option<String>,
    /// The statements, in order.
    pub statements: Vec<Statement>,
    /// The role name, from get-role / get-role-policy output.
    pub role_name: Option<String>,
}

impl PolicyDocument {
    /// True when policy variables such as `${aws:userid}` are substituted
    /// (Version 2012-10-17); otherwise they are literal text.
    pub fn supports_variables(&self) -> bool {
        self.version.as_deref() == Some(POLICY_VERSION_2012)
    }
}

/// Why a policy could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not JSON, or JSON of the wrong shape, at a known position.
    #[error("{message} (in {context}, line {line}, column {column})")]
    Json {
        /// Which text: "the input" or the decoded document field.
        context: String,
        /// serde_json's description.
        message: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// Valid JSON that is not a policy in a way only visible after parsing.
    #[error("{0}")]
    Shape(String),
    /// The input is larger than [`MAX_POLICY_INPUT_BYTES`].
    #[error("the input is {0} bytes; at most 1 MiB is read")]
    TooLarge(usize),
}

impl PolicyError {
    /// The finding code.
    pub fn code(&self) -> Code {
        Code::IamPolicyInvalid
    }

    /// The error as a finding; JSON errors in the input itself carry line:column.
    pub fn to_finding(&self) -> Finding {
        let location = match self {
            PolicyError::Json {
                line,
                column,
                context,
                ..
            } if context == INPUT_CONTEXT => Some(Location::new(
                u32::try_from(*line).unwrap_or(u32::MAX),
                u32::try_from(*column).unwrap_or(u32::MAX),
            )),
            _ => None,
        };
        Finding::new(self.code(), format!("the policy cannot be read: {self}")).at(location)
    }

    fn json(context: &str, e: &serde_json::Error) -> PolicyError {
        // serde_json's Display repeats the position; keep only the description.
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full.get(..i).unwrap_or(&full).to_string(),
            None => full,
        };
        PolicyError::Json {
            context: context.to_string(),
            message,
            line: e.line(),
            column: e.column(),
        }
    }
}

const INPUT_CONTEXT: &str = "the input";

// ---------------------------------------------------------------- raw serde shapes

/// A value or an array of values (`"Action": "s3:Get*"` or `["a", "b"]`).
struct OneOrMany<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or an array of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|t| OneOrMany(vec![t]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(IntoDeserializer::<E>::into_deserializer(v))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                T::deserialize(IntoDeserializer::<E>::into_deserializer(v))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                T::deserialize(IntoDeserializer::<E>::into_deserializer(v))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                T::deserialize(IntoDeserializer::<E>::into_deserializer(v))
                    .map(|t| OneOrMany(vec![t]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                T::deserialize(IntoDeserializer::<E>::into_deserializer(v))
                    .map(|t| OneOrMany(vec![t]))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A condition value: a string, or a number or boolean kept as its text.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

struct RawPrincipal(Principal);

impl<'de> Deserialize<'de> for RawPrincipal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPrincipal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"*\" or an object such as {\"Federated\": \"arn:…\"}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPrincipal, E> {
                if v == "*" {
                    Ok(RawPrincipal(Principal::Any))
                } else {
                    Err(E::custom(format!(
                        "a Principal string must be \"*\", not {:?}; name principals in an object \
                         such as {{\"Federated\": \"arn:…\"}}",
                        excerpt(v, 80)
                    )))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPrincipal, A::Error> {
                let m = BTreeMap::<String, OneOrMany<String>>::deserialize(
                    MapAccessDeserializer::new(map),
                )?;
                Ok(RawPrincipal(Principal::Map(
                    m.into_iter().map(|(k, v)| (k, v.0)).collect(),
                )))
            }
        }
        d.deserialize_any(V)
    }
}

type RawConditions = BTreeMap<String, BTreeMap<String, OneOrMany<Scalar>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatement {
    #[serde(rename = "Sid")]
    sid: Option<String>,
    #[serde(rename = "Effect")]
    effect: Effect,
    #[serde(rename = "Principal")]
    principal: Option<RawPrincipal>,
    #[serde(rename = "NotPrincipal")]
    not_principal: Option<RawPrincipal>,
    #[serde(rename = "Action")]
    action: Option<OneOrMany<String>>,
    #[serde(rename = "NotAction")]
    not_action: Option<OneOrMany<String>>,
    #[serde(rename = "Resource")]
    resource: Option<OneOrMany<String>>,
    #[serde(rename = "NotResource")]
    not_resource: Option<OneOrMany<String>>,
    #[serde(rename = "Condition")]
    condition: Option<RawConditions>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(rename = "Version")]
    version: Option<String>,
    #[serde(rename = "Id")]
    #[allow(dead_code)] // read so that deny_unknown_fields accepts it
    id: Option<String>,
    #[serde(rename = "Statement")]
    statement: OneOrMany<RawStatement>,
}

/// A document field of CLI output: an object, or a (URL-encoded) JSON string.
enum DocField {
    Parsed(RawPolicy),
    Text(String),
}

impl<'de> Deserialize<'de> for DocField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DocField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a policy document (object or URL-encoded string)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DocField, E> {
                Ok(DocField::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DocField, A::Error> {
                RawPolicy::deserialize(MapAccessDeserializer::new(map)).map(DocField::Parsed)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct GetRoleOutput {
    #[serde(rename = "Role")]
    role: GetRoleInner,
}

#[derive(Deserialize)]
struct GetRoleInner {
    #[serde(rename = "RoleName")]
    role_name: Option<String>,
    #[serde(rename = "AssumeRolePolicyDocument")]
    document: DocField,
}

#[derive(Deserialize)]
struct GetRolePolicyOutput {
    #[serde(rename = "RoleName")]
    role_name: Option<String>,
    #[serde(rename = "PolicyDocument")]
    document: DocField,
}

#[derive(Deserialize)]
struct GetPolicyVersionOutput {
    #[serde(rename = "PolicyVersion")]
    version: GetPolicyVersionInner,
}

#[derive(Deserialize)]
struct GetPolicyVersionInner {
    #[serde(rename = "Document")]
    document: DocField,
}

// ---------------------------------------------------------------- parsing

/// Parses a policy document or the JSON output of `aws iam get-role`,
/// `get-role-policy` or `get-policy-version`.
///
/// A leading byte-order mark is skipped. A document given as a string is
/// percent-decoded first (`%XX` only; `+` stays `+`, since IAM encodes spaces
/// as `%20` and `+` is common in names), unless it already starts with `{`.
///
/// ```
/// use saml_inspect::aws::{parse_policy, PolicySource};
/// let doc = parse_policy(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"connect:GetFederationToken","Resource":"*"}}"#).unwrap();
/// assert_eq!(doc.source, PolicySource::Document);
/// assert_eq!(doc.statements.len(), 1);
/// ```
pub fn parse_policy(text: &str) -> Result<PolicyDocument, PolicyError> {
    if text.len() > MAX_POLICY_INPUT_BYTES {
        return Err(PolicyError::TooLarge(text.len()));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| PolicyError::json(INPUT_CONTEXT, &e))?;
    let Some(object) = value.as_object() else {
        return Err(PolicyError::Shape(
            "the input is JSON but not an object; a policy is {\"Version\": …, \"Statement\": …}"
                .to_string(),
        ));
    };
    let parse_input = |e: serde_json::Error| PolicyError::json(INPUT_CONTEXT, &e);
    let (source, role_name, field) = if object.contains_key("Statement") {
        let raw: RawPolicy = serde_json::from_str(text).map_err(parse_input)?;
        (PolicySource::Document, None, DocField::Parsed(raw))
    } else if object.contains_key("Role") {
        let out: GetRoleOutput = serde_json::from_str(text).map_err(parse_input)?;
        (PolicySource::GetRole, out.role.role_name, out.role.document)
    } else if object.contains_key("PolicyDocument") {
        let out: GetRolePolicyOutput = serde_json::from_str(text).map_err(parse_input)?;
        (PolicySource::GetRolePolicy, out.role_name, out.document)
    } else if object.contains_key("PolicyVersion") {
        let out: GetPolicyVersionOutput = serde_json::from_str(text).map_err(parse_input)?;
        (PolicySource::GetPolicyVersion, None, out.version.document)
    } else {
        let keys: Vec<&str> = object.keys().take(8).map(String::as_str).collect();
        return Err(PolicyError::Shape(format!(
            "the JSON object has the keys [{}]; expected a policy document (Statement) or the \
             output of aws iam get-role, get-role-policy or get-policy-version",
            keys.join(", ")
        )));
    };
    let raw = match field {
        DocField::Parsed(raw) => raw,
        DocField::Text(encoded) => {
            let decoded = if encoded.trim_start().starts_with('{') {
                encoded
            } else {
                percent_decode(&encoded).map_err(|e| {
                    PolicyError::Shape(format!(
                        "{} is a string but not a URL-encoded policy: {e}",
                        source.field()
                    ))
                })?
            };
            let context = format!("the decoded {}", source.field());
            serde_json::from_str::<RawPolicy>(&decoded)
                .map_err(|e| PolicyError::json(&context, &e))?
        }
    };
    build(raw, source, role_name)
}

fn build(
    raw: RawPolicy,
    source: PolicySource,
    role_name: Option<String>,
) -> Result<PolicyDocument, PolicyError> {
    if let Some(v) = &raw.version {
        if v != POLICY_VERSION_2012 && v != "2008-10-17" {
            return Err(PolicyError::Shape(format!(
                "the Version '{}' is not 2012-10-17 or 2008-10-17",
                excerpt(v, 40)
            )));
        }
    }
    let mut statements = Vec::new();
    for (index, s) in raw.statement.0.into_iter().enumerate() {
        let mut conditions = Vec::new();
        for (operator, keys) in s.condition.unwrap_or_default() {
            for (key, values) in keys {
                conditions.push(Condition {
                    operator: operator.clone(),
                    key,
                    values: values.0.into_iter().map(|v| v.0).collect(),
                });
            }
        }
        let st = Statement {
            index,
            sid: s.sid,
            effect: s.effect,
            principal: s.principal.map(|p| p.0),
            not_principal: s.not_principal.map(|p| p.0),
            action: s.action.map(|a| a.0),
            not_action: s.not_action.map(|a| a.0),
            resource: s.resource.map(|r| r.0),
            not_resource: s.not_resource.map(|r| r.0),
            conditions,
        };
        let both = |a: bool, b: bool, x: &str, y: &str| -> Result<(), PolicyError> {
            if a && b {
                return Err(PolicyError::Shape(format!(
                    "{} has both {x} and {y}; IAM allows one",
                    st.label()
                )));
            }
            Ok(())
        };
        both(
            st.action.is_some(),
            st.not_action.is_some(),
            "Action",
            "NotAction",
        )?;
        both(
            st.resource.is_some(),
            st.not_resource.is_some(),
            "Resource",
            "NotResource",
        )?;
        both(
            st.principal.is_some(),
            st.not_principal.is_some(),
            "Principal",
            "NotPrincipal",
        )?;
        if st.action.is_none() && st.not_action.is_none() {
            return Err(PolicyError::Shape(format!(
                "{} has neither Action nor NotAction",
                st.label()
            )));
        }
        statements.push(st);
    }
    Ok(PolicyDocument {
        source,
        version: raw.version,
        statements,
        role_name,
    })
}

// ---------------------------------------------------------------- matching

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// `*` matching any run of characters.
    Star,
    /// `*` inside an ARN segment: any run without `:`.
    SegStar,
    /// `?` matching any one character.
    One,
    /// `?` inside an ARN segment: one character other than `:`.
    SegOne,
    Lit(char),
}

/// How a pattern's wildcards behave.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PatternKind {
    /// An action (`sts:Assume*`): case-insensitive, wildcards unrestricted.
    Action,
    /// A resource ARN: wildcards stay inside their colon-separated segment,
    /// except a `*` that ends a segment, which may run past the colons (IAM's
    /// documented rule). `escapes` turns on `${*}`, `${?}`, `${$}` (Version 2012-10-17).
    Arn { escapes: bool },
    /// A `StringLike` condition value: wildcards unrestricted, case-sensitive.
    Like,
}

/// Tokenises an IAM pattern of the given kind.
fn tokens(pattern: &str, kind: PatternKind) -> Vec<Tok> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if kind == (PatternKind::Arn { escapes: true }) {
            if let Some(lit) = ["${*}", "${?}", "${$}"]
                .iter()
                .find(|e| rest.starts_with(**e))
            {
                // The escape is 4 ASCII bytes and its literal is the third.
                out.push(Tok::Lit(lit.chars().nth(2).unwrap_or('$')));
                rest = rest.get(4..).unwrap_or("");
                continue;
            }
        }
        let after = rest.get(c.len_utf8()..).unwrap_or("");
        let segment_end = after.is_empty() || after.starts_with(':');
        match (c, kind) {
            ('*', PatternKind::Arn { .. }) if !segment_end => out.push(Tok::SegStar),
            ('*', _) => out.push(Tok::Star),
            ('?', PatternKind::Arn { .. }) => out.push(Tok::SegOne),
            ('?', _) => out.push(Tok::One),
            (c, PatternKind::Action) => out.extend(c.to_lowercase().map(Tok::Lit)),
            (c, _) => out.push(Tok::Lit(c)),
        }
        rest = after;
    }
    out
}

/// A bound on the matching work of one check, so that hostile patterns
/// (`*a*a*a…b` against long text) cannot make it quadratic without limit.
pub(crate) struct Budget {
    steps_left: std::cell::Cell<u64>,
    exhausted: std::cell::Cell<bool>,
}

impl Budget {
    /// Steps one public match call may take.
    const PER_MATCH: u64 = 1_000_000;
    /// Steps one trust or permissions check may take in total.
    const PER_CHECK: u64 = 20_000_000;

    fn new(steps: u64) -> Budget {
        Budget {
            steps_left: std::cell::Cell::new(steps),
            exhausted: std::cell::Cell::new(false),
        }
    }

    /// Takes `steps`; false (and exhausted) when fewer are left.
    fn take(&self, steps: u64) -> bool {
        match self.steps_left.get().checked_sub(steps) {
            Some(left) => {
                self.steps_left.set(left);
                true
            }
            None => {
                self.exhausted.set(true);
                false
            }
        }
    }

    fn note(&self) -> Option<Finding> {
        self.exhausted.get().then(|| {
            unsupported(
                "the policy's wildcard patterns needed more matching work than allowed; the \
                 remaining patterns were treated as not matching, so the result may be incomplete"
                    .to_string(),
            )
        })
    }
}

/// Glob match by dynamic programming over text positions: pattern × text
/// steps, paid from the budget up front (no match when it cannot pay).
fn glob(pattern: &[Tok], text: &[char], budget: &Budget) -> bool {
    let n = text.len();
    let cost = (pattern.len() as u64 + 1).saturating_mul(n as u64 + 1);
    if !budget.take(cost) {
        return false;
    }
    // reach[t]: the pattern so far can match exactly the first t characters.
    let mut reach = vec![false; n + 1];
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    let mut next = vec![false; n + 1];
    for tok in pattern {
        for t in 0..=n {
            let prev_char = t.checked_sub(1).and_then(|i| text.get(i));
            let diagonal = t.checked_sub(1).and_then(|i| reach.get(i)) == Some(&true);
            let left = t.checked_sub(1).and_then(|i| next.get(i)) == Some(&true);
            let here = reach.get(t) == Some(&true);
            let not_colon = prev_char.is_some_and(|c| *c != ':');
            let value = match tok {
                Tok::Star => here || left,
                Tok::SegStar => here || (left && not_colon),
                Tok::One => diagonal,
                Tok::SegOne => diagonal && not_colon,
                Tok::Lit(c) => diagonal && prev_char == Some(c),
            };
            if let Some(slot) = next.get_mut(t) {
                *slot = value;
            }
        }
        std::mem::swap(&mut reach, &mut next);
        if !reach.contains(&true) {
            return false;
        }
    }
    reach.get(n) == Some(&true)
}

fn lower_chars(s: &str) -> Vec<char> {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// Whether the action pattern covers `action` (case-insensitive).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    action_matches_within(pattern, action, &Budget::new(Budget::PER_MATCH))
}

fn action_matches_within(pattern: &str, action: &str, budget: &Budget) -> bool {
    glob(
        &tokens(pattern, PatternKind::Action),
        &lower_chars(action),
        budget,
    )
}

/// Whether the resource ARN pattern covers `resource` (case-sensitive; a
/// wildcard stays inside its colon-separated segment unless it is a `*` that
/// ends the segment).
/// `escapes` enables the `${*}` / `${?}` / `${$}` escapes of Version 2012-10-17.
pub fn resource_matches(pattern: &str, resource: &str, escapes: bool) -> bool {
    resource_matches_within(pattern, resource, escapes, &Budget::new(Budget::PER_MATCH))
}

fn resource_matches_within(pattern: &str, resource: &str, escapes: bool, budget: &Budget) -> bool {
    let text: Vec<char> = resource.chars().collect();
    glob(
        &tokens(pattern, PatternKind::Arn { escapes }),
        &text,
        budget,
    )
}

/// `StringLike`: `*` and `?` match anything, case-sensitively.
fn like_matches_within(pattern: &str, value: &str, budget: &Budget) -> bool {
    let text: Vec<char> = value.chars().collect();
    glob(&tokens(pattern, PatternKind::Like), &text, budget)
}

/// The result of evaluating a statement's conditions.
enum CondOutcome {
    Match,
    /// A condition failed: (operator, key, values).
    NoMatch(Vec<Condition>),
    /// Conditions on keys we cannot know; their keys.
    Unknown(Vec<String>),
}

/// Evaluates `conditions` against a request context of single-valued keys
/// (`context` maps lower-case keys to values).
fn evaluate_conditions(
    conditions: &[Condition],
    context: &[(&str, &str)],
    budget: &Budget,
) -> CondOutcome {
    let mut failed = Vec::new();
    let mut unknown = Vec::new();
    for c in conditions {
        let key = c.key.to_ascii_lowercase();
        let Some(&(_, value)) = context.iter().find(|(k, _)| *k == key) else {
            unknown.push(format!("{} {}", c.operator, c.key));
            continue;
        };
        let op = c.operator.as_str();
        let op = op
            .strip_prefix("ForAnyValue:")
            .or_else(|| op.strip_prefix("ForAllValues:"))
            .unwrap_or(op);
        let op = op.strip_suffix("IfExists").unwrap_or(op);
        let any = |f: &dyn Fn(&str) -> bool| c.values.iter().any(|v| f(v));
        let holds = match op {
            "StringEquals" => any(&|v| v == value),
            "StringNotEquals" => !any(&|v| v == value),
            "StringEqualsIgnoreCase" => any(&|v| v.to_lowercase() == value.to_lowercase()),
            "StringNotEqualsIgnoreCase" => !any(&|v| v.to_lowercase() == value.to_lowercase()),
            "StringLike" => any(&|v| like_matches_within(v, value, budget)),
            "StringNotLike" => !any(&|v| like_matches_within(v, value, budget)),
            _ => {
                unknown.push(format!("{} {}", c.operator, c.key));
                continue;
            }
        };
        if !holds {
            failed.push(c.clone());
        }
    }
    if !failed.is_empty() {
        CondOutcome::NoMatch(failed)
    } else if !unknown.is_empty() {
        CondOutcome::Unknown(unknown)
    } else {
        CondOutcome::Match
    }
}

fn unsupported(message: String) -> Finding {
    Finding::new(Code::IamPolicyUnsupported, message)
}

/// The outcome of evaluating one request against a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A statement allows it and none denies it.
    Allowed {
        /// The allowing statement's label.
        statement: String,
        /// True when the allowing statement has conditions this module could not evaluate.
        unevaluated_conditions: bool,
    },
    /// A Deny statement applies.
    Denied {
        /// The denying statement's label.
        statement: String,
    },
    /// No statement allows it.
    NotAllowed,
}

impl Verdict {
    /// True for [`Verdict::Allowed`].
    pub fn is_allowed(&self) -> bool {
        matches!(self, Verdict::Allowed { .. })
    }
}

// ---------------------------------------------------------------- trust policy

/// What the sign-in will ask of the role's trust policy.
#[derive(Clone, Copy, Debug)]
pub struct TrustExpectations<'a> {
    /// The SAML provider ARN from the Role attribute.
    pub provider_arn: &'a str,
    /// The Recipient the response uses (STS's `saml:aud`).
    pub recipient: &'a str,
    /// True when PrincipalTag attributes are sent (needs `sts:TagSession`).
    pub sends_tags: bool,
    /// True when SourceIdentity is sent (needs `sts:SetSourceIdentity`).
    pub sends_source_identity: bool,
}

/// The trust policy's answer for each action the sign-in needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustVerdict {
    /// `sts:AssumeRoleWithSAML`.
    pub assume_role_with_saml: Verdict,
    /// `sts:TagSession`, when tags are sent.
    pub tag_session: Option<Verdict>,
    /// `sts:SetSourceIdentity`, when a source identity is sent.
    pub set_source_identity: Option<Verdict>,
}

fn principal_matches(p: &Principal, provider_arn: &str) -> bool {
    match p {
        Principal::Any => true,
        Principal::Map(m) => m.iter().any(|(kind, values)| {
            (kind == "Federated" && values.iter().any(|v| v == provider_arn))
                || (kind == "AWS" && values.iter().any(|v| v == "*"))
        }),
    }
}

fn federated_principals(doc: &PolicyDocument) -> Vec<String> {
    let mut out = Vec::new();
    for s in &doc.statements {
        if let Some(Principal::Map(m)) = &s.principal {
            for v in m.get("Federated").into_iter().flatten() {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
        }
    }
    out
}

/// Evaluates `action` for a request by `principal` (checked with `principal_ok`)
/// on `resource` (None: trust policies have no Resource). Pushes unsupported
/// notes and returns the verdict plus the failed conditions of statements that
/// would otherwise have allowed it.
fn evaluate(
    doc: &PolicyDocument,
    action: &str,
    principal_ok: &dyn Fn(&Statement) -> bool,
    resource_ok: &dyn Fn(&Statement) -> bool,
    context: &[(&str, &str)],
    budget: &Budget,
    notes: &mut Vec<Finding>,
) -> (Verdict, Vec<(String, Vec<Condition>)>) {
    let mut allowed: Option<(String, bool)> = None;
    let mut failed = Vec::new();
    for s in &doc.statements {
        if s.not_principal.is_some() {
            notes.push(unsupported(format!(
                "{} uses NotPrincipal, which is not analysed; it was skipped",
                s.label()
            )));
            continue;
        }
        if s.not_action.is_some() {
            notes.push(unsupported(format!(
                "{} uses NotAction, which is not analysed; whether it covers {action} was not decided",
                s.label()
            )));
            continue;
        }
        if s.not_resource.is_some() {
            notes.push(unsupported(format!(
                "{} uses NotResource, which is not analysed; it was skipped",
                s.label()
            )));
            continue;
        }
        let acts = s.action.as_deref().unwrap_or(&[]);
        if !acts
            .iter()
            .any(|a| action_matches_within(a, action, budget))
            || !principal_ok(s)
            || !resource_ok(s)
        {
            continue;
        }
        match (s.effect, evaluate_conditions(&s.conditions, context, budget)) {
            (Effect::Deny, CondOutcome::Match) => {
                return (
                    Verdict::Denied {
                        statement: s.label(),
                    },
                    failed,
                );
            }
            (Effect::Deny, CondOutcome::Unknown(keys)) => notes.push(unsupported(format!(
                "{} denies {action} under conditions that were not evaluated ({}); it may deny the sign-in",
                s.label(),
                keys.join(", ")
            ))),
            (Effect::Deny, CondOutcome::NoMatch(_)) => {}
            (Effect::Allow, CondOutcome::Match) => {
                if allowed.as_ref().is_none_or(|(_, caveat)| *caveat) {
                    allowed = Some((s.label(), false));
                }
            }
            (Effect::Allow, CondOutcome::Unknown(keys)) => {
                if allowed.is_none() {
                    allowed = Some((s.label(), true));
                    notes.push(
                        unsupported(format!(
                            "{} allows {action} under conditions that were not evaluated ({}); \
                             assumed to hold",
                            s.label(),
                            keys.join(", ")
                        ))
                        .severity(Severity::Info),
                    );
                }
            }
            (Effect::Allow, CondOutcome::NoMatch(conds)) => failed.push((s.label(), conds)),
        }
    }
    let verdict = match allowed {
        Some((statement, unevaluated_conditions)) => Verdict::Allowed {
            statement,
            unevaluated_conditions,
        },
        None => Verdict::NotAllowed,
    };
    (verdict, failed)
}

/// Checks a role's trust policy for a SAML sign-in.
///
/// Findings: `iam.trust.provider_mismatch` (no Allow statement names the
/// provider as `Federated` principal), `iam.trust.missing_action` (no
/// `sts:AssumeRoleWithSAML`, or no `sts:TagSession` / `sts:SetSourceIdentity`
/// when those are sent, or an explicit Deny), `iam.trust.audience_mismatch`
/// (`SAML:aud` conditions that the Recipient does not satisfy), and
/// `iam.policy.unsupported` for what was not analysed.
pub fn check_trust_policy(
    doc: &PolicyDocument,
    expect: &TrustExpectations<'_>,
) -> (TrustVerdict, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let budget = Budget::new(Budget::PER_CHECK);
    let provider = expect.provider_arn;
    let trusts_provider = doc.statements.iter().any(|s| {
        s.effect == Effect::Allow
            && s.principal
                .as_ref()
                .is_some_and(|p| principal_matches(p, provider))
    });
    let not_allowed = TrustVerdict {
        assume_role_with_saml: Verdict::NotAllowed,
        tag_session: expect.sends_tags.then_some(Verdict::NotAllowed),
        set_source_identity: expect.sends_source_identity.then_some(Verdict::NotAllowed),
    };
    if !trusts_provider {
        let found = federated_principals(doc);
        let hint = found
            .iter()
            .find_map(|f| provider_hint(f, provider))
            .unwrap_or_default();
        let found_text = if found.is_empty() {
            "no Federated principal at all".to_string()
        } else {
            found.join(", ")
        };
        let mut finding = Finding::new(
            Code::IamTrustProviderMismatch,
            format!(
                "no Allow statement of the trust policy has the principal {{\"Federated\": \
                 \"{provider}\"}}; it names {found_text}{hint}. STS answers: \"{}\"",
                super::AWS_NOT_AUTHORIZED
            ),
        );
        if let Some(first) = found.first() {
            finding = finding.expected_found(provider, first.as_str());
        }
        findings.push(finding);
        return (not_allowed, findings);
    }
    let principal_ok = |s: &Statement| {
        s.principal
            .as_ref()
            .is_some_and(|p| principal_matches(p, provider))
    };
    let resource_ok = |_: &Statement| true;
    let context = [("saml:aud", expect.recipient)];

    let mut check = |action: &str| -> Verdict {
        let (verdict, failed) = evaluate(
            doc,
            action,
            &principal_ok,
            &resource_ok,
            &context,
            &budget,
            &mut notes,
        );
        match &verdict {
            Verdict::Allowed { .. } => {}
            Verdict::Denied { statement } => findings.push(Finding::new(
                Code::IamTrustMissingAction,
                format!(
                    "{statement} of the trust policy explicitly denies {action} for this sign-in; \
                     a Deny wins over every Allow. STS answers: \"{}\"",
                    super::AWS_NOT_AUTHORIZED
                ),
            )),
            Verdict::NotAllowed if failed.is_empty() => findings.push(Finding::new(
                Code::IamTrustMissingAction,
                format!(
                    "no Allow statement for the provider grants {action}{}. STS answers: \"{}\"",
                    match action {
                        TAG_SESSION => " (needed because PrincipalTag attributes are sent)",
                        SET_SOURCE_IDENTITY => " (needed because SourceIdentity is sent)",
                        _ => "",
                    },
                    super::AWS_NOT_AUTHORIZED
                ),
            )),
            Verdict::NotAllowed => {
                for (label, conds) in &failed {
                    for c in conds {
                        findings.push(audience_finding(label, action, c, expect.recipient));
                    }
                }
            }
        }
        verdict
    };
    let assume = check(ASSUME_ROLE_WITH_SAML);
    let tag = expect.sends_tags.then(|| check(TAG_SESSION));
    let source = expect
        .sends_source_identity
        .then(|| check(SET_SOURCE_IDENTITY));
    notes.extend(budget.note());
    dedup_into(&mut findings, notes);
    (
        TrustVerdict {
            assume_role_with_saml: assume,
            tag_session: tag,
            set_source_identity: source,
        },
        findings,
    )
}

fn audience_finding(label: &str, action: &str, c: &Condition, recipient: &str) -> Finding {
    let values = c.values.join("\", \"");
    let mut hint = String::new();
    if c.values
        .iter()
        .any(|v| v.starts_with("urn:amazon:webservices"))
    {
        hint.push_str(
            "; SAML:aud is the Recipient of SubjectConfirmationData, not the Audience, so \
             'urn:amazon:webservices' never matches",
        );
    }
    if recipient.contains(".signin.aws.amazon.com") {
        hint.push_str(&format!(
            "; with a regional sign-in endpoint the condition must list it too, e.g. \
             [\"https://signin.aws.amazon.com/saml\", \"{recipient}\"]"
        ));
    }
    Finding::new(
        Code::IamTrustAudienceMismatch,
        format!(
            "{label} of the trust policy allows {action} only when {} {} is \"{values}\", but the \
             response's Recipient (STS's SAML:aud) is \"{recipient}\"{hint}. STS answers: \"{}\"",
            c.operator,
            c.key,
            super::AWS_NOT_AUTHORIZED
        ),
    )
    .expected_found(c.values.first().cloned().unwrap_or_default(), recipient)
}

/// A hint when a Federated principal is close to the expected provider ARN.
fn provider_hint(found: &str, expected: &str) -> Option<String> {
    let split = |s: &str| -> Option<(String, String)> {
        let mut parts = s.splitn(6, ':');
        let account = parts.nth(4)?.to_string();
        let resource = parts.next()?.to_string();
        Some((account, resource))
    };
    let (fa, fr) = split(found)?;
    let (ea, er) = split(expected)?;
    if fr == er && fa != ea {
        Some(format!(
            " (the same provider name in account {fa} instead of {ea})"
        ))
    } else if fa == ea && fr.eq_ignore_ascii_case(&er) {
        Some(
            " (the provider names differ only in letter case, and ARNs are compared exactly)"
                .to_string(),
        )
    } else if fa == ea {
        Some(format!(" (another provider of the same account: {found})"))
    } else {
        None
    }
}

fn dedup_into(findings: &mut Vec<Finding>, notes: Vec<Finding>) {
    for n in notes {
        if !findings.contains(&n) {
            findings.push(n);
        }
    }
}

// ---------------------------------------------------------------- permissions

/// The Connect instance the federated role must reach.
#[derive(Clone, Copy, Debug)]
pub struct ConnectTarget<'a> {
    /// The partition (`aws` or `aws-us-gov`).
    pub partition: Partition,
    /// The instance's region.
    pub region: &'a str,
    /// The instance's account.
    pub account: &'a str,
    /// The instance id (lower-case UUID).
    pub instance_id: &'a str,
}

impl ConnectTarget<'_> {
    /// The resource GetFederationToken is authorised on:
    /// `arn:<p>:connect:<region>:<account>:instance/<id>/user/${aws:userid}`.
    pub fn federation_resource(&self) -> String {
        format!(
            "arn:{}:connect:{}:{}:instance/{}/user/${{aws:userid}}",
            self.partition, self.region, self.account, self.instance_id
        )
    }
}

/// Checks that the role's permission policies allow `connect:GetFederationToken`
/// on the target instance.
///
/// The request is `connect:GetFederationToken` on
/// [`ConnectTarget::federation_resource`] with the condition key
/// `connect:InstanceId` = the instance id. A pattern such as
/// `…/user/${aws:userid}` matches only under Version 2012-10-17, where the
/// variable is substituted; `…/user/*` and `*` match always.
///
/// Findings (only when nothing allows the request): `connect.policy.missing_action`,
/// `connect.policy.instance_mismatch`, `connect.policy.region_mismatch`,
/// `connect.policy.account_mismatch`; and `iam.policy.unsupported`.
pub fn check_connect_permissions(
    policies: &[PolicyDocument],
    target: &ConnectTarget<'_>,
) -> (Verdict, Vec<Finding>) {
    let wanted = target.federation_resource();
    let mut notes = Vec::new();
    let budget = Budget::new(Budget::PER_CHECK);
    let mut diagnoses: Vec<Finding> = Vec::new();
    let context = [("connect:instanceid", target.instance_id)];
    let mut verdict = Verdict::NotAllowed;
    let mut has_action = false;
    for doc in policies {
        let variables = doc.supports_variables();
        let resource_ok = |s: &Statement| {
            s.resource.as_ref().is_some_and(|rs| {
                rs.iter()
                    .any(|r| connect_resource_matches(r, &wanted, variables, &budget))
            })
        };
        let (v, failed) = evaluate(
            doc,
            GET_FEDERATION_TOKEN,
            &|_| true,
            &resource_ok,
            &context,
            &budget,
            &mut notes,
        );
        for (label, conds) in failed {
            for c in conds {
                diagnoses.push(
                    Finding::new(
                        Code::ConnectPolicyInstanceMismatch,
                        format!(
                            "{label} allows {GET_FEDERATION_TOKEN} only when {} {} is \"{}\", not the \
                             instance {}",
                            c.operator,
                            c.key,
                            c.values.join("\", \""),
                            target.instance_id
                        ),
                    )
                    .expected_found(target.instance_id, c.values.join(", ")),
                );
            }
        }
        for s in &doc.statements {
            let acts = s.action.as_deref().unwrap_or(&[]);
            if s.effect != Effect::Allow
                || !acts
                    .iter()
                    .any(|a| action_matches_within(a, GET_FEDERATION_TOKEN, &budget))
            {
                continue;
            }
            has_action = true;
            if resource_ok(s) {
                continue;
            }
            match &s.resource {
                None => diagnoses.push(Finding::new(
                    Code::ConnectPolicyMissingAction,
                    format!(
                        "{} allows {GET_FEDERATION_TOKEN} but has no Resource",
                        s.label()
                    ),
                )),
                Some(rs) => {
                    for r in rs {
                        diagnoses.extend(diagnose_resource(
                            &budget,
                            &s.label(),
                            r,
                            target,
                            &wanted,
                            variables,
                        ));
                    }
                }
            }
        }
        match (&verdict, v) {
            (Verdict::Denied { .. }, _) => {}
            (_, d @ Verdict::Denied { .. }) => verdict = d,
            (Verdict::NotAllowed, a @ Verdict::Allowed { .. }) => verdict = a,
            _ => {}
        }
    }
    let mut findings = Vec::new();
    match &verdict {
        Verdict::Allowed { .. } => {}
        Verdict::Denied { statement } => findings.push(Finding::new(
            Code::ConnectPolicyMissingAction,
            format!(
                "{statement} explicitly denies {GET_FEDERATION_TOKEN} on {wanted}; a Deny wins over \
                 every Allow. Connect shows: \"{CONNECT_ACCESS_DENIED}\""
            ),
        )),
        Verdict::NotAllowed if !has_action || diagnoses.is_empty() => findings.push(
            Finding::new(
                Code::ConnectPolicyMissingAction,
                format!(
                    "no statement allows {GET_FEDERATION_TOKEN} on {wanted}. Connect shows: \
                     \"{CONNECT_ACCESS_DENIED}\""
                ),
            ),
        ),
        Verdict::NotAllowed => {
            for d in diagnoses {
                let d = Finding {
                    message: format!("{}. Connect shows: \"{CONNECT_ACCESS_DENIED}\"", d.message),
                    ..d
                };
                if !findings.contains(&d) {
                    findings.push(d);
                }
            }
        }
    }
    notes.extend(budget.note());
    dedup_into(&mut findings, notes);
    (verdict, findings)
}

fn connect_resource_matches(pattern: &str, wanted: &str, variables: bool, budget: &Budget) -> bool {
    if !variables && pattern.contains("${") {
        // Without Version 2012-10-17 "${aws:userid}" is literal text and never
        // equals a real user id.
        return false;
    }
    resource_matches_within(pattern, wanted, variables, budget)
}

/// Explains why a resource pattern does not cover the federation resource.
fn diagnose_resource(
    budget: &Budget,
    label: &str,
    pattern: &str,
    target: &ConnectTarget<'_>,
    wanted: &str,
    variables: bool,
) -> Option<Finding> {
    if !variables
        && pattern.contains("${")
        && resource_matches_within(pattern, wanted, true, budget)
    {
        return Some(Finding::new(
            Code::ConnectPolicyMissingAction,
            format!(
                "{label} names '{pattern}', but the policy's Version is not 2012-10-17, so \
                 ${{aws:userid}} is not substituted and matches no user; add \"Version\": \"2012-10-17\""
            ),
        ));
    }
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts[..] else {
        return Some(Finding::new(
            Code::ConnectPolicyMissingAction,
            format!(
                "{label} allows {GET_FEDERATION_TOKEN} on '{}', which is not an ARN pattern",
                excerpt(pattern, 120)
            ),
        ));
    };
    let m = |p: &str, t: &str| resource_matches_within(p, t, variables, budget);
    if !m(arn, "arn") || !m(service, "connect") {
        return Some(Finding::new(
            Code::ConnectPolicyMissingAction,
            format!(
                "{label} allows {GET_FEDERATION_TOKEN} on '{}', which is not a Connect resource",
                excerpt(pattern, 120)
            ),
        ));
    }
    if !m(partition, target.partition.as_str()) {
        return Some(Finding::new(
            Code::ConnectPolicyMissingAction,
            format!(
                "{label} names the partition '{partition}', but the instance is in '{}'",
                target.partition
            ),
        ));
    }
    if !m(region, target.region) {
        return Some(
            Finding::new(
                Code::ConnectPolicyRegionMismatch,
                format!(
                    "{label} allows {GET_FEDERATION_TOKEN} in the region '{region}', but the instance \
                     is in {}",
                    target.region
                ),
            )
            .expected_found(target.region, region),
        );
    }
    if !m(account, target.account) {
        return Some(
            Finding::new(
                Code::ConnectPolicyAccountMismatch,
                format!(
                    "{label} allows {GET_FEDERATION_TOKEN} in the account '{account}', but the \
                     instance is in {}",
                    target.account
                ),
            )
            .expected_found(target.account, account),
        );
    }
    if let Some(after) = resource.strip_prefix("instance/") {
        let id = after.split('/').next().unwrap_or("");
        if !m(id, target.instance_id) {
            return Some(
                Finding::new(
                    Code::ConnectPolicyInstanceMismatch,
                    format!(
                        "{label} allows {GET_FEDERATION_TOKEN} on the instance '{id}', not {}",
                        target.instance_id
                    ),
                )
                .expected_found(target.instance_id, id),
            );
        }
    }
    Some(Finding::new(
        Code::ConnectPolicyMissingAction,
        format!(
            "{label} allows {GET_FEDERATION_TOKEN} on '{}', which does not cover the user resource \
             {wanted}",
            excerpt(pattern, 160)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbing() {
        assert!(action_matches("sts:*", "sts:AssumeRoleWithSAML"));
        assert!(action_matches(
            "STS:assumerolewithsaml",
            "sts:AssumeRoleWithSAML"
        ));
        assert!(action_matches("connect:Get*", GET_FEDERATION_TOKEN));
        assert!(action_matches("*", GET_FEDERATION_TOKEN));
        assert!(!action_matches("sts:AssumeRole", "sts:AssumeRoleWithSAML"));
        assert!(action_matches("sts:AssumeRole*", "sts:AssumeRoleWithSAML"));
        assert!(resource_matches(
            "arn:aws:connect:*:*:instance/*",
            "arn:aws:connect:eu-west-2:1:instance/x",
            false
        ));
        assert!(resource_matches("a?c", "abc", false));
        assert!(!resource_matches("a?c", "ac", false));
        assert!(!resource_matches("ARN:*", "arn:x", false));
        assert!(resource_matches("a${*}", "a*", true));
        assert!(!resource_matches("a${*}", "ab", true));
        assert!(resource_matches("*a*b*c*", "xxaxxbxxcxx", false));
        // A '*' inside a segment does not run past a colon; one ending a segment does.
        assert!(!resource_matches(
            "arn:aws:con*1:x",
            "arn:aws:connect:eu-west-1:x",
            false
        ));
        assert!(resource_matches(
            "arn:aws:connect:eu*1:x",
            "arn:aws:connect:eu-west-1:x",
            false
        ));
        assert!(resource_matches(
            "arn:aws:*",
            "arn:aws:connect:eu-west-1:1:instance/x",
            false
        ));
        assert!(!resource_matches(
            "arn:aws:connect:eu-west-?:1:x",
            "arn:aws:connect:eu-west-:1:x",
            false
        ));
        assert!(resource_matches(
            "arn:aws:connect:eu-west-2:1:instance/i/user/*",
            "arn:aws:connect:eu-west-2:1:instance/i/user/${aws:userid}",
            true
        ));
        // Pathological backtracking stays bounded (pattern x text steps).
        let text = "a".repeat(5000);
        assert!(!resource_matches(
            &format!("{}b", "*a".repeat(50)),
            &text,
            false
        ));
    }

    #[test]
    fn matching_work_is_bounded() {
        let pattern = tokens(&format!("{}b", "*a".repeat(100)), PatternKind::Like);
        let text: Vec<char> = "a".repeat(10_000).chars().collect();
        let budget = Budget::new(1000);
        assert!(!glob(&pattern, &text, &budget));
        assert!(
            budget
                .note()
                .is_some_and(|f| f.code == Code::IamPolicyUnsupported)
        );
        let roomy = Budget::new(Budget::PER_MATCH);
        assert!(glob(&tokens("*a", PatternKind::Like), &text, &roomy));
        assert!(roomy.note().is_none());
    }

    #[test]
    fn json_errors_carry_positions() {
        let err = parse_policy("{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}")
            .unwrap_err();
        let f = err.to_finding();
        assert_eq!(f.code, Code::IamPolicyInvalid);
        assert_eq!(f.location, Some(Location::new(3, 24)));
        let err = parse_policy("{\"Statement\": {\"Effect\": \"allow\", \"Action\": \"*\"}}")
            .unwrap_err();
        assert!(err.to_string().contains("unknown variant `allow`"), "{err}");
        assert!(matches!(err, PolicyError::Json { line: 1, .. }));
        let err = parse_policy("{\"Statement\": {\"Effect\": \"Allow\", \"Actions\": \"*\"}}")
            .unwrap_err();
        assert!(err.to_string().contains("Actions"), "{err}");
        let err = parse_policy("{\"Statement\": {\"Effect\": \"Allow\", \"Resource\": \"*\"}}")
            .unwrap_err();
        assert!(matches!(err, PolicyError::Shape(_)), "{err}");
        assert!(parse_policy("[1]").is_err());
        assert!(parse_policy("{\"Foo\": 1}").is_err());
        let err = parse_policy("{\"Version\":\"2012-10-18\",\"Statement\":[]}").unwrap_err();
        assert!(err.to_string().contains("Version"));
    }

    #[test]
    fn shapes() {
        let doc = parse_policy(
            r#"{"Statement":[{"Effect":"Deny","Action":["sts:*"],"Principal":"*",
                "Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"x":5}}}]}"#,
        )
        .unwrap();
        let s = &doc.statements[0];
        assert_eq!(s.principal, Some(Principal::Any));
        assert_eq!(s.conditions.len(), 2);
        assert!(
            s.conditions
                .iter()
                .any(|c| c.values == vec!["false".to_string()])
        );
        assert!(!doc.supports_variables());
    }
}

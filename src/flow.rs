//! The whole-chain check: every hop of Entra ID -> IAM Identity Center -> IAM
//! SAML provider -> role -> Amazon Connect, and which hop is broken.
//!
//! [`check`] takes whatever artefacts the caller has ([`FlowInputs`]: the
//! SAML response posted to AWS, the relay state, the metadata documents, the
//! provider ARN, the role's policies, the Connect user list; every one
//! optional, all already read into memory) and a clock, and returns a
//! [`FlowReport`] with one [`Hop`] per link of the chain, in order:
//!
//! 1. [`HopId::EntraIdentityCenter`]: Entra's federation metadata and the
//!    Identity Center service-provider metadata uploaded to Entra.
//! 2. [`HopId::IdentityCenterIamProvider`]: the Identity Center application's
//!    metadata and the copy uploaded to the IAM SAML provider.
//! 3. [`HopId::ResponseProvider`]: the response against the provider: the
//!    signature verifies with a certificate of the provider's metadata, the
//!    Issuer is its entityID, the AWS endpoints, audience and time window.
//! 4. [`HopId::RoleTrust`]: the Role attribute's pair against the provider
//!    ARN, and the role's trust policy.
//! 5. [`HopId::RelayStateInstance`]: the relay state, the Connect instance,
//!    and the permissions policy (`connect:GetFederationToken`).
//! 6. [`HopId::SessionUser`]: RoleSessionName against the Connect users.
//!
//! Each hop is [`HopStatus::Pass`], [`HopStatus::Fail`] (an error finding) or
//! [`HopStatus::NotChecked`] (none of its inputs were given); a hop that ran
//! only part of its checks lists the rest in [`Hop::not_checked`] with the
//! input each needs. Findings come from the modules that own the checks
//! ([`crate::metadata`], [`crate::validate`], [`crate::aws`]); the `flow.*`
//! codes are the comparisons between artefacts that only this module sees.
//!
//! ```
//! use saml_inspect::flow::{check, FlowInputs, HopStatus, FlowVerdict};
//! let now = "2026-11-02T09:00:30Z".parse().unwrap();
//! let report = check(&FlowInputs {
//!     relay_state: Some("https://eu-west-2.console.aws.amazon.com/connect/federate/3c2b9c7e-5d41-4f6a-9e8b-1a2b3c4d5e6f"),
//!     permissions_policy: Some(br#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"connect:GetFederationToken","Resource":"arn:aws:connect:eu-west-2:444455556666:instance/3c2b9c7e-5d41-4f6a-9e8b-1a2b3c4d5e6f/user/${aws:userid}"}}"#),
//!     provider_arn: Some("arn:aws:iam::444455556666:saml-provider/IdentityCenterConnect"),
//!     ..Default::default()
//! }, now);
//! assert_eq!(report.hops[4].status, HopStatus::Pass);
//! assert_eq!(report.hops[0].status, HopStatus::NotChecked);
//! assert_eq!(report.verdict, FlowVerdict::Incomplete);
//! ```

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::aws::endpoints::GLOBAL_SIGNIN_SAML;
use crate::aws::{
    self, Arn, ArnOptions, ConnectRelayState, ConnectTarget, Partition, PolicyDocument, RolePair,
    SamlProviderArn, SessionAttributes, TrustExpectations,
};
use crate::codes::Code;
use crate::decode::decode;
use crate::dsig::TrustedKeys;
use crate::inspect::{InspectOptions, check_aws_attributes, inspect};
use crate::metadata::{Metadata, MetadataKind, MetadataOptions, check_pair};
use crate::report::{Finding, Severity};
use crate::saml::{Assertion, Message, Response};
use crate::validate::{Expectations, Validator};
use crate::verify::{VerifyOptions, verify};
use crate::xmlenc::{DecryptPolicy, DecryptionKey};

/// What IAM answers when the Issuer is not the provider's entityID (rule 35).
pub const IAM_ISSUER_NOT_PRESENT: &str = "Failed to assume role: Issuer not present in specified provider (service: AWSOpenIdDiscoveryService; status code: 400; error code: AuthSamlInvalidSamlResponseException)";
/// What STS answers when no certificate of the provider verifies the signature (rule 35).
pub const STS_SIGNATURE_INVALID: &str = "Response signature invalid (service: AWSSecurityTokenService; status code: 400; error code: InvalidIdentityToken)";
/// What AWS sign-in answers when the Role attribute names a provider that does not exist.
pub const IAM_PROVIDER_DOES_NOT_EXIST: &str = "Specified provider doesn't exist.";
/// What Connect shows when no user has the RoleSessionName as user name (rule 49).
pub const CONNECT_NOT_ONBOARDED: &str = "Access Denied. Your account has been authenticated, but has not been onboarded to this application.";
/// A Connect user list longer than this (bytes) is refused.
pub const MAX_USERS_INPUT_BYTES: usize = 8 << 20;

/// The artefacts of one federation, each optional, already read.
///
/// Byte inputs are the files as they are (a byte-order mark, base64, a form
/// body: whatever the owning module accepts); string inputs are single values.
#[derive(Clone, Copy, Debug, Default)]
pub struct FlowInputs<'a> {
    /// The SAML response posted to AWS sign-in, in any encoding
    /// [`crate::decode::decode`] accepts; a form body may also carry the RelayState.
    pub response: Option<&'a [u8]>,
    /// The relay state configured in the identity provider (a Connect federation URL).
    pub relay_state: Option<&'a str>,
    /// Entra ID federation metadata (what was uploaded to Identity Center).
    pub azure_metadata: Option<&'a [u8]>,
    /// Identity Center's service-provider metadata (what was uploaded to Entra).
    pub sso_sp_metadata: Option<&'a [u8]>,
    /// The Identity Center application's (IdP) metadata.
    pub sso_app_metadata: Option<&'a [u8]>,
    /// The metadata uploaded to the IAM SAML provider.
    pub iam_provider_metadata: Option<&'a [u8]>,
    /// The IAM SAML provider's ARN.
    pub provider_arn: Option<&'a str>,
    /// The role's trust policy (a document, or `aws iam get-role` output).
    pub trust_policy: Option<&'a [u8]>,
    /// The role's permissions policy (a document, or `get-role-policy` /
    /// `get-policy-version` output).
    pub permissions_policy: Option<&'a [u8]>,
    /// The Connect users: one user name per line, or the JSON of
    /// `aws connect list-users` (`UserSummaryList[].Username`).
    pub connect_users: Option<&'a [u8]>,
    /// The service provider's key and the algorithms to accept, to decrypt
    /// an EncryptedAssertion in the response (still verified afterwards).
    pub decryption: Option<(&'a DecryptionKey, &'a DecryptPolicy)>,
}

/// The six hops, in the order a sign-in travels them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HopId {
    /// Entra ID federation metadata / Identity Center SP metadata.
    EntraIdentityCenter,
    /// Identity Center application metadata / IAM SAML provider metadata.
    IdentityCenterIamProvider,
    /// The SAML response / the IAM SAML provider.
    ResponseProvider,
    /// The Role pair / the role and its trust policy.
    RoleTrust,
    /// The relay state / the Connect instance / the permissions policy.
    RelayStateInstance,
    /// RoleSessionName / the Connect user.
    SessionUser,
}

impl HopId {
    /// Every hop, in order.
    pub const ALL: [HopId; 6] = [
        HopId::EntraIdentityCenter,
        HopId::IdentityCenterIamProvider,
        HopId::ResponseProvider,
        HopId::RoleTrust,
        HopId::RelayStateInstance,
        HopId::SessionUser,
    ];

    /// The hop's number, from 1.
    pub fn number(self) -> usize {
        HopId::ALL.iter().position(|h| *h == self).unwrap_or(0) + 1
    }

    /// The hop's title for people.
    pub fn name(self) -> &'static str {
        match self {
            HopId::EntraIdentityCenter => "Entra ID / Identity Center",
            HopId::IdentityCenterIamProvider => "Identity Center application / IAM SAML provider",
            HopId::ResponseProvider => "SAML response / IAM SAML provider",
            HopId::RoleTrust => "Role pair / role and trust policy",
            HopId::RelayStateInstance => "relay state / Connect instance / permissions policy",
            HopId::SessionUser => "session name / Connect user",
        }
    }
}

/// How a hop came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HopStatus {
    /// The checks that ran found no error.
    Pass,
    /// Some check found an error.
    Fail,
    /// None of the hop's inputs were given.
    NotChecked,
}

impl HopStatus {
    /// `PASS`, `FAIL` or `NOT CHECKED`.
    pub fn label(self) -> &'static str {
        match self {
            HopStatus::Pass => "PASS",
            HopStatus::Fail => "FAIL",
            HopStatus::NotChecked => "NOT CHECKED",
        }
    }
}

/// One value a hop read or compared (`issuer`, `signed by`, `role`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What the value is.
    pub label: &'static str,
    /// The value.
    pub value: String,
}

/// One hop of the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Which hop.
    pub id: HopId,
    /// Its title ([`HopId::name`]).
    pub name: &'static str,
    /// Pass, fail or not checked.
    pub status: HopStatus,
    /// What the checks found, in the order they ran.
    pub findings: Vec<Finding>,
    /// The values read and compared.
    pub facts: Vec<Fact>,
    /// Checks that could not run, each with the input it needs.
    pub not_checked: Vec<String>,
    /// What to do: for a failed hop, the fix of its first error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Hop {
    /// The value of the fact labelled `label`, if the hop recorded one.
    pub fn fact(&self, label: &str) -> Option<&str> {
        self.facts
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.value.as_str())
    }
}

/// The overall outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowVerdict {
    /// Every hop was checked and passed.
    Pass,
    /// At least one hop failed.
    Fail,
    /// No hop failed, but some were not checked.
    Incomplete,
}

/// The result of [`check`]: the verdict and the six hops in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowReport {
    /// Fail when a hop failed; pass when all six passed; else incomplete.
    pub verdict: FlowVerdict,
    /// The six hops, in [`HopId::ALL`] order.
    pub hops: Vec<Hop>,
}

impl FlowReport {
    /// The hop `id`.
    pub fn hop(&self, id: HopId) -> &Hop {
        &self.hops[id.number() - 1]
    }

    /// Every finding of every hop, in hop order.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.hops.iter().flat_map(|h| h.findings.iter())
    }

    /// The hops that failed.
    pub fn failed(&self) -> impl Iterator<Item = &Hop> {
        self.hops.iter().filter(|h| h.status == HopStatus::Fail)
    }
}

/// Checks every hop the inputs allow, at `now`.
pub fn check(inputs: &FlowInputs<'_>, now: DateTime<Utc>) -> FlowReport {
    let ctx = Context::read(inputs, now);
    let hops = vec![
        ctx.hop_entra(inputs),
        ctx.hop_identity_center(inputs),
        ctx.hop_response(),
        ctx.hop_role(inputs),
        ctx.hop_relay_state(inputs),
        ctx.hop_session(inputs),
    ];
    let verdict = if hops.iter().any(|h| h.status == HopStatus::Fail) {
        FlowVerdict::Fail
    } else if hops.iter().all(|h| h.status == HopStatus::Pass) {
        FlowVerdict::Pass
    } else {
        FlowVerdict::Incomplete
    };
    FlowReport { verdict, hops }
}

// ---------------------------------------------------------------- reading the inputs

/// A metadata input, read (or the finding that says why it could not be).
type MetadataInput = Option<Result<Metadata, Finding>>;

/// What the response says, read once for the hops that need it.
struct ResponseFacts {
    /// Findings of hop 3 (decoding, signature, protocol, endpoints).
    findings: Vec<Finding>,
    facts: Vec<Fact>,
    /// Checks hop 3 could not run.
    not_checked: Vec<String>,
    /// The assertion could be read (verified or not).
    readable: bool,
    /// The signature verified with the provider's metadata.
    verified: bool,
    relay_state: Option<String>,
    recipient: Option<String>,
    pairs: Vec<RolePair>,
    role_findings: Vec<Finding>,
    session: SessionAttributes,
    session_findings: Vec<Finding>,
}

/// The Connect users and, from `list-users` ARNs, their instance.
struct ConnectUsers {
    names: Vec<String>,
    instance: Option<InstanceFacts>,
    /// `list-users` returned a NextToken: the list is one page.
    paginated: bool,
}

/// Where a Connect instance is.
#[derive(Clone, Debug, PartialEq, Eq)]
struct InstanceFacts {
    partition: Partition,
    region: Option<String>,
    account: Option<String>,
    instance_id: String,
}

struct Context {
    now: DateTime<Utc>,
    decryption: Option<(DecryptionKey, DecryptPolicy)>,
    azure: MetadataInput,
    sp: MetadataInput,
    app: MetadataInput,
    iam: MetadataInput,
    provider: Option<Result<SamlProviderArn, Finding>>,
    response: Option<ResponseFacts>,
    users: Option<Result<ConnectUsers, Finding>>,
}

/// The finding with the option it is about in front of its message.
fn about(option: &str, mut f: Finding) -> Finding {
    f.message = format!("{option}: {}", f.message);
    f
}

fn read_metadata(bytes: Option<&[u8]>, now: DateTime<Utc>, option: &str) -> MetadataInput {
    bytes.map(|b| {
        Metadata::from_bytes(b, &MetadataOptions::at(now))
            .map_err(|e| about(option, e.to_finding()))
    })
}

impl Context {
    fn read(inputs: &FlowInputs<'_>, now: DateTime<Utc>) -> Context {
        let azure = read_metadata(inputs.azure_metadata, now, "--azure-metadata");
        let sp = read_metadata(inputs.sso_sp_metadata, now, "--sso-sp-metadata");
        let app = read_metadata(inputs.sso_app_metadata, now, "--sso-app-metadata");
        let iam = read_metadata(inputs.iam_provider_metadata, now, "--iam-provider-metadata");
        let provider = inputs.provider_arn.map(|s| {
            SamlProviderArn::parse(s.trim(), ArnOptions::default())
                .map_err(|e| e.to_finding("the provider ARN", None))
        });
        let users = inputs.connect_users.map(read_users);
        let mut ctx = Context {
            now,
            decryption: inputs.decryption.map(|(k, p)| (k.clone(), p.clone())),
            azure,
            sp,
            app,
            iam,
            provider,
            response: None,
            users,
        };
        ctx.response = inputs.response.map(|bytes| ctx.read_response(bytes));
        ctx
    }

    /// The metadata whose keys the response must verify with: the IAM copy,
    /// else the Identity Center application's, with the option it came from.
    fn provider_metadata(&self) -> Option<(&Metadata, &'static str)> {
        fn usable(m: &MetadataInput) -> Option<&Metadata> {
            ok(m).filter(|m| !m.signing_keys().is_empty())
        }
        match (&self.iam, usable(&self.iam), usable(&self.app)) {
            (_, Some(m), _) => Some((m, "the IAM provider metadata")),
            (None, None, Some(m)) => Some((m, "the Identity Center application metadata")),
            _ => None,
        }
    }

    /// The validator, decrypting with the caller's key when one was given.
    fn decrypting(&self, validator: Validator) -> Validator {
        match &self.decryption {
            Some((key, policy)) => validator.with_decryption(key.clone(), policy.clone()),
            None => validator,
        }
    }

    fn provider_arn(&self) -> Option<&SamlProviderArn> {
        self.provider.as_ref().and_then(|p| p.as_ref().ok())
    }

    fn read_response(&self, bytes: &[u8]) -> ResponseFacts {
        let mut out = ResponseFacts {
            findings: Vec::new(),
            facts: Vec::new(),
            not_checked: Vec::new(),
            readable: false,
            verified: false,
            relay_state: None,
            recipient: None,
            pairs: Vec::new(),
            role_findings: Vec::new(),
            session: SessionAttributes::default(),
            session_findings: Vec::new(),
        };
        let decoded = match decode(bytes, &Default::default()) {
            Ok(d) => d,
            Err(e) => {
                out.findings.push(e.to_finding());
                return out;
            }
        };
        out.relay_state = decoded.relay_state.clone();
        out.facts.push(Fact {
            label: "binding",
            value: decoded.binding.describe().to_string(),
        });
        // The whole message as written, for explaining; never for deciding.
        let (decryption_key, decrypt_policy) = self.decryption.clone().unzip();
        let decrypt_policy = decrypt_policy.unwrap_or_default();
        let inspect_options = InspectOptions {
            decryption_key: decryption_key.clone(),
            decrypt_policy: decrypt_policy.clone(),
            ..Default::default()
        };
        let inspection = match inspect(bytes, &inspect_options) {
            Ok(i) => i,
            Err(e) => {
                out.findings.push(e.to_finding());
                return out;
            }
        };
        if inspection.message.is_none() {
            out.findings.extend(
                inspection
                    .findings
                    .into_iter()
                    .filter(|f| f.severity == Severity::Error),
            );
            return out;
        }
        let trust = self.provider_metadata();
        let verified = trust.and_then(|(md, _)| {
            let options = VerifyOptions {
                trust: md.signing_keys(),
                decryption_key: decryption_key.clone(),
                decrypt_policy: decrypt_policy.clone(),
                ..Default::default()
            };
            verify(bytes, &options).ok()
        });
        match trust {
            Some((md, source)) => {
                // Audience and Recipient are compared with AWS's endpoint
                // lists by `endpoint_checks`, not with one expected value.
                let validator =
                    self.decrypting(Validator::from_metadata(md, Expectations::default()));
                for f in validator.inspect(bytes, self.now) {
                    push_response_finding(&mut out.findings, f, md, source, self.app_metadata());
                }
                match &verified {
                    Some(v) => out.facts.push(Fact {
                        label: "signed by",
                        value: format!(
                            "{} (SHA-1 {}), listed in {source}",
                            v.verified_by.subject, v.verified_by.sha1_thumbprint
                        ),
                    }),
                    None => out.facts.push(Fact {
                        label: "signature",
                        value: format!(
                            "does not verify with {source}; the values below are read from the unverified response"
                        ),
                    }),
                }
                out.facts.push(Fact {
                    label: "provider entityID",
                    value: md.entity_id.clone(),
                });
            }
            None => {
                let why = if self.iam.is_some() || self.app.is_some() {
                    "the metadata given could not be read or lists no signing certificate; see hop 2"
                } else {
                    "needs --iam-provider-metadata or --sso-app-metadata"
                };
                out.not_checked.push(format!(
                    "the signature and the Issuer against the provider's metadata ({why})"
                ));
                let validator =
                    self.decrypting(Validator::new(TrustedKeys::new(), Expectations::default()));
                out.findings.extend(
                    validator
                        .inspect_protocol(bytes, self.now)
                        .into_iter()
                        .filter(|f| f.severity != Severity::Info),
                );
            }
        }
        out.verified = verified.is_some();
        let unverified_response = match &inspection.message {
            Some(Message::Response(r)) => Some(r),
            _ => None,
        };
        let response = verified
            .as_ref()
            .and_then(|v| v.response.as_ref())
            .or(unverified_response);
        let assertion = match (&verified, &inspection.message) {
            (Some(v), _) => Some(&v.assertion),
            (None, Some(Message::Response(r))) if r.assertions.len() == 1 => r.assertions.first(),
            (None, Some(Message::Assertion(a))) => Some(a),
            _ => None,
        };
        let Some(assertion) = assertion else {
            if unverified_response.is_some_and(|r| r.encrypted_assertions > 0) {
                // Why the encrypted assertion could not be read (no key, a
                // wrong one), as the operator may see it.
                out.findings.extend(
                    inspection
                        .findings
                        .iter()
                        .filter(|f| f.code.as_str().starts_with("xmlenc."))
                        .cloned(),
                );
                if self.decryption.is_none() {
                    out.not_checked.push(
                        "the encrypted assertion (needs --decrypt-key with the service provider's private key)"
                            .to_string(),
                    );
                }
            }
            return out;
        };
        out.readable = true;
        endpoint_checks(response, assertion, &mut out);
        let checks = check_aws_attributes(assertion);
        out.pairs = checks.roles;
        out.role_findings = checks.role_findings;
        out.session = checks.session;
        out.session_findings = checks.session_findings;
        out
    }

    fn app_metadata(&self) -> Option<&Metadata> {
        self.app.as_ref().and_then(|m| m.as_ref().ok())
    }

    /// The account the role (and so the Connect instance) is in: the
    /// provider ARN's, else the Role pair's.
    fn role_account(&self) -> Option<String> {
        self.provider_arn()
            .map(|p| p.account().to_string())
            .or_else(|| self.chosen_pair().map(|p| p.role.account().to_string()))
    }

    /// The Role pair the sign-in uses: the first naming the provider ARN,
    /// else the first.
    fn chosen_pair(&self) -> Option<&RolePair> {
        let pairs = &self.response.as_ref()?.pairs;
        let provider = self.provider_arn();
        pairs
            .iter()
            .find(|p| provider.is_some_and(|a| p.provider.as_str() == a.as_str()))
            .or(pairs.first())
    }
}

/// Adds a validator finding to hop 3, turning the two failures that mean "the
/// response and the provider's metadata disagree" into their `flow.*` codes.
fn push_response_finding(
    out: &mut Vec<Finding>,
    f: Finding,
    md: &Metadata,
    source: &str,
    app: Option<&Metadata>,
) {
    if f.severity == Severity::Info {
        return;
    }
    match f.code {
        Code::SamlIssuerMismatch if f.severity == Severity::Error => {
            if out.iter().any(|g| g.code == Code::FlowIssuerNotInMetadata) {
                return;
            }
            let found = f.found.clone().unwrap_or_else(|| "(no Issuer)".into());
            out.push(
                Finding::new(
                    Code::FlowIssuerNotInMetadata,
                    format!(
                        "the response's Issuer is not the entityID of {source}: {}. IAM answers: \"{IAM_ISSUER_NOT_PRESENT}\"",
                        f.message
                    ),
                )
                .at(f.location)
                .expected_found(md.entity_id.clone(), found),
            );
        }
        Code::SignatureUntrustedKey => {
            let expected = thumbprints(md);
            let found = f
                .found
                .as_deref()
                .unwrap_or_default()
                .split(", ")
                .map(with_colons)
                .collect::<Vec<_>>()
                .join(", ");
            let found_norm = normalise_thumbprint(&found);
            let in_app = app.is_some_and(|a| {
                !std::ptr::eq(a, md)
                    && thumbprints(a)
                        .iter()
                        .any(|t| normalise_thumbprint(t) == found_norm)
            });
            let why = if in_app {
                "the Identity Center application metadata lists it, so the IAM provider holds a stale copy (a certificate rollover): upload the current metadata with `aws iam update-saml-provider`"
            } else {
                "a certificate rollover the provider's metadata was not updated for, or a response from another identity provider"
            };
            out.push(
                Finding::new(
                    Code::FlowSigningCertNotInMetadata,
                    format!(
                        "the response is signed with the certificate {} (SHA-1, from its KeyInfo), which {source} does not list (it lists {}): {why}. STS answers: \"{STS_SIGNATURE_INVALID}\"",
                        found,
                        expected.join(", ")
                    ),
                )
                .at(f.location)
                .expected_found(expected.join(", "), found),
            );
        }
        _ => out.push(f),
    }
}

/// SHA-1 thumbprints of the identity provider's signing certificates.
fn thumbprints(md: &Metadata) -> Vec<String> {
    md.idp_signing_certificates()
        .iter()
        .map(|c| c.info.sha1_thumbprint.clone())
        .collect()
}

/// A thumbprint without separators, upper case, for comparing.
fn normalise_thumbprint(t: &str) -> String {
    t.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A thumbprint the way the certificate tools print it: `AB:12:…`.
fn with_colons(t: &str) -> String {
    let hex = normalise_thumbprint(t);
    let pairs: Vec<&str> = (0..hex.len())
        .step_by(2)
        .filter_map(|i| hex.get(i..i + 2))
        .collect();
    pairs.join(":")
}

/// What the response says about where it goes (facts), and whether AWS
/// accepts its Recipient, Destination, Audience and NameID (findings).
fn endpoint_checks(response: Option<&Response>, a: &Assertion, out: &mut ResponseFacts) {
    let summary = crate::inspect::AssertionSummary::of(a);
    if let Some(issuer) = &summary.issuer {
        out.facts.push(Fact {
            label: "issuer",
            value: issuer.clone(),
        });
    }
    out.findings
        .extend(crate::inspect::check_aws_endpoints(response, a));
    out.recipient = summary.recipients.first().map(|r| r.trim().to_string());
    if let Some(r) = &out.recipient {
        out.facts.push(Fact {
            label: "recipient",
            value: r.clone(),
        });
    }
    if let Some(aud) = summary.audiences.first() {
        out.facts.push(Fact {
            label: "audience",
            value: aud.clone(),
        });
    }
    if let Some(t) = &summary.confirmation_not_on_or_after {
        out.facts.push(Fact {
            label: "usable until",
            value: t.clone(),
        });
    }
}

/// Reads the Connect user list: `aws connect list-users` JSON, or one name per line.
fn read_users(bytes: &[u8]) -> Result<ConnectUsers, Finding> {
    let invalid =
        |why: String| Finding::new(Code::FlowInputInvalid, format!("--connect-users: {why}"));
    if bytes.len() > MAX_USERS_INPUT_BYTES {
        return Err(invalid(format!(
            "{} bytes is more than the {MAX_USERS_INPUT_BYTES} accepted",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| invalid(format!("not UTF-8 ({e})")))?;
    if !text.trim_start().starts_with('{') {
        let names = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        return Ok(ConnectUsers {
            names,
            instance: None,
            paginated: false,
        });
    }
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("not valid JSON: {e}")))?;
    let list = json
        .get("UserSummaryList")
        .and_then(|l| l.as_array())
        .ok_or_else(|| {
            invalid(
                "JSON without a UserSummaryList array; give the output of `aws connect list-users --instance-id …`, or one user name per line"
                    .into(),
            )
        })?;
    let mut names = Vec::new();
    let mut instance: Option<InstanceFacts> = None;
    for (i, user) in list.iter().enumerate() {
        let name = user
            .get("Username")
            .and_then(|n| n.as_str())
            .ok_or_else(|| invalid(format!("UserSummaryList[{i}] has no Username string")))?;
        names.push(name.to_string());
        if instance.is_none() {
            instance = user
                .get("Arn")
                .and_then(|a| a.as_str())
                .and_then(instance_of_user_arn);
        }
    }
    Ok(ConnectUsers {
        names,
        instance,
        paginated: json.get("NextToken").is_some_and(|t| !t.is_null()),
    })
}

/// The instance of `arn:<p>:connect:<region>:<account>:instance/<id>/agent/<uuid>`.
fn instance_of_user_arn(arn: &str) -> Option<InstanceFacts> {
    let arn = Arn::parse(arn, ArnOptions::default()).ok()?;
    if arn.service() != "connect" {
        return None;
    }
    let rest = arn.resource().strip_prefix("instance/")?;
    let id = rest.split('/').next()?;
    Some(InstanceFacts {
        partition: arn.partition(),
        region: Some(arn.region().to_string()).filter(|r| !r.is_empty()),
        account: Some(arn.account().to_string()).filter(|a| !a.is_empty()),
        instance_id: id.to_string(),
    })
}

/// Reads a policy input (UTF-8 JSON) into a document, or the finding that says why not.
fn read_policy(bytes: &[u8], option: &str) -> Result<PolicyDocument, Finding> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Finding::new(Code::FlowInputInvalid, format!("{option}: not UTF-8 ({e})")))?;
    aws::parse_policy(text).map_err(|e| about(option, e.to_finding()))
}

// ---------------------------------------------------------------- building the hops

/// A hop under construction.
struct Draft {
    id: HopId,
    ran: bool,
    findings: Vec<Finding>,
    facts: Vec<Fact>,
    not_checked: Vec<String>,
}

impl Draft {
    fn new(id: HopId) -> Draft {
        Draft {
            id,
            ran: false,
            findings: Vec::new(),
            facts: Vec::new(),
            not_checked: Vec::new(),
        }
    }

    fn fact(&mut self, label: &'static str, value: impl Into<String>) {
        self.facts.push(Fact {
            label,
            value: value.into(),
        });
    }

    fn skip(&mut self, what: impl Into<String>) {
        self.not_checked.push(what.into());
    }

    /// Metadata input: its problems (each message says which option's
    /// document it is about), or its parse failure.
    fn metadata(&mut self, md: &MetadataInput, option: &str) {
        match md {
            Some(Ok(m)) => {
                self.ran = true;
                self.findings
                    .extend(m.findings.iter().map(|f| about(option, f.clone())));
            }
            Some(Err(f)) => {
                self.ran = true;
                self.findings.push(f.clone());
            }
            None => {}
        }
    }

    fn finish(self) -> Hop {
        let status = if !self.ran {
            HopStatus::NotChecked
        } else if self.findings.iter().any(|f| f.severity == Severity::Error) {
            HopStatus::Fail
        } else {
            HopStatus::Pass
        };
        let fix = match status {
            HopStatus::Fail => self
                .findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .map(|f| fix_for(self.id, f)),
            _ => None,
        };
        Hop {
            id: self.id,
            name: self.id.name(),
            status,
            findings: self.findings,
            facts: self.facts,
            not_checked: self.not_checked,
            fix,
        }
    }
}

fn ok(md: &MetadataInput) -> Option<&Metadata> {
    md.as_ref().and_then(|m| m.as_ref().ok())
}

/// `flow.metadata_mismatch` for a document of the wrong kind.
fn wrong_kind(option: &str, expected: &str, md: &Metadata) -> Finding {
    Finding::new(
        Code::FlowMetadataMismatch,
        format!(
            "{option} should be {expected}, but it is {} ({})",
            md.kind.describe(),
            md.entity_id
        ),
    )
    .expected_found(expected, md.kind.describe())
}

fn region_of_kind(kind: &MetadataKind) -> Option<&str> {
    match kind {
        MetadataKind::IdentityCenterApplication { region, .. }
        | MetadataKind::IdentityCenterServiceProvider { region, .. } => Some(region),
        _ => None,
    }
}

impl Context {
    fn hop_entra(&self, inputs: &FlowInputs<'_>) -> Hop {
        let mut h = Draft::new(HopId::EntraIdentityCenter);
        h.metadata(&self.azure, "--azure-metadata");
        h.metadata(&self.sp, "--sso-sp-metadata");
        if let Some(azure) = ok(&self.azure) {
            h.fact("Entra entityID", azure.entity_id.clone());
            h.fact("Entra metadata", azure.kind.describe());
            match &azure.kind {
                _ if azure.idp.is_none() => h.findings.push(wrong_kind(
                    "--azure-metadata",
                    "identity-provider metadata (Entra ID federation metadata)",
                    azure,
                )),
                MetadataKind::EntraCommon => h.findings.push(wrong_kind(
                    "--azure-metadata",
                    "the tenant's or the application's Entra ID metadata (the `common` document names no tenant)",
                    azure,
                )),
                MetadataKind::EntraTenant { .. } => h.findings.push(
                    Finding::new(
                        Code::FlowMetadataMismatch,
                        "--azure-metadata is the tenant's metadata, whose keys are the tenant's token-signing keys; a SAML application signs with its own certificate, so upload the application's metadata (the App Federation Metadata URL, ending in ?appid=<application id>) to Identity Center",
                    )
                    .severity(Severity::Warning)
                    .expected_found("Entra ID application metadata", azure.kind.describe()),
                ),
                MetadataKind::EntraApplication { .. } => {}
                _ => h.findings.push(
                    Finding::new(
                        Code::FlowMetadataMismatch,
                        format!(
                            "--azure-metadata is {}, not Entra ID metadata; it was checked as a generic identity provider",
                            azure.kind.describe()
                        ),
                    )
                    .severity(Severity::Info),
                ),
            }
        }
        if let Some(sp) = ok(&self.sp) {
            h.fact("Identity Center SP entityID", sp.entity_id.clone());
            if let Some(acs) = sp.sp.as_ref().and_then(|s| s.default_acs()) {
                h.fact("Identity Center ACS", acs.location.clone());
            }
            if !matches!(sp.kind, MetadataKind::IdentityCenterServiceProvider { .. }) {
                h.findings.push(wrong_kind(
                    "--sso-sp-metadata",
                    "IAM Identity Center service provider metadata (entityID https://<region>.signin.aws.amazon.com/platform/saml/d-…)",
                    sp,
                ));
            }
        }
        match (ok(&self.azure), ok(&self.sp)) {
            (Some(a), Some(s)) => h.findings.extend(check_pair(a, s)),
            _ if inputs.azure_metadata.is_none() || inputs.sso_sp_metadata.is_none() => h.skip(
                "Entra's metadata against Identity Center's SP metadata (needs --azure-metadata and --sso-sp-metadata)",
            ),
            _ => {}
        }
        // One Identity Center instance: its SP and application metadata name one region.
        if let (Some(sp), Some(app)) = (ok(&self.sp), self.app_metadata()) {
            if let (Some(rs), Some(ra)) = (region_of_kind(&sp.kind), region_of_kind(&app.kind)) {
                if rs != ra {
                    h.findings.push(
                        Finding::new(
                            Code::FlowRegionMismatch,
                            format!(
                                "Identity Center's SP metadata is for region {rs} but its application metadata for {ra}; both come from one Identity Center instance, so one of them belongs to another instance"
                            ),
                        )
                        .expected_found(ra, rs),
                    );
                }
            }
        }
        h.finish()
    }

    fn hop_identity_center(&self, inputs: &FlowInputs<'_>) -> Hop {
        let mut h = Draft::new(HopId::IdentityCenterIamProvider);
        h.metadata(&self.app, "--sso-app-metadata");
        h.metadata(&self.iam, "--iam-provider-metadata");
        for (md, option) in [
            (ok(&self.app), "--sso-app-metadata"),
            (ok(&self.iam), "--iam-provider-metadata"),
        ] {
            let Some(md) = md else { continue };
            if md.idp.is_none() {
                h.findings.push(wrong_kind(
                    option,
                    "identity-provider metadata (the Identity Center application's SAML metadata)",
                    md,
                ));
            }
        }
        if let Some(app) = self.app_metadata() {
            h.fact("application entityID", app.entity_id.clone());
            h.fact("application metadata", app.kind.describe());
            h.fact(
                "application signing certificates",
                thumbprints(app).join(", "),
            );
        }
        if let Some(iam) = ok(&self.iam) {
            h.fact("IAM provider metadata entityID", iam.entity_id.clone());
            h.fact(
                "IAM provider signing certificates",
                thumbprints(iam).join(", "),
            );
        }
        match (self.app_metadata(), ok(&self.iam)) {
            (Some(a), Some(i)) => h.findings.extend(check_pair(a, i)),
            _ if inputs.sso_app_metadata.is_none() || inputs.iam_provider_metadata.is_none() => h
                .skip(
                    "the IAM provider's copy against the application metadata (needs --sso-app-metadata and --iam-provider-metadata)",
                ),
            _ => {}
        }
        match &self.provider {
            Some(Ok(p)) => {
                h.ran = true;
                h.fact("IAM SAML provider", p.as_str());
                h.findings.extend(p.name_warnings(None));
            }
            Some(Err(f)) => {
                h.ran = true;
                h.findings.push(f.clone());
            }
            None => {}
        }
        h.finish()
    }

    fn hop_response(&self) -> Hop {
        let mut h = Draft::new(HopId::ResponseProvider);
        if let Some(r) = &self.response {
            h.ran = true;
            h.findings.extend(r.findings.iter().cloned());
            h.facts.extend(r.facts.iter().cloned());
            h.not_checked.extend(r.not_checked.iter().cloned());
        }
        h.finish()
    }

    fn hop_role(&self, inputs: &FlowInputs<'_>) -> Hop {
        let mut h = Draft::new(HopId::RoleTrust);
        let response = self.response.as_ref().filter(|r| r.readable);
        if let Some(r) = response {
            h.ran = true;
            h.findings.extend(r.role_findings.iter().cloned());
            if !r.verified {
                h.fact(
                    "read from",
                    "the response as written (its signature was not verified)",
                );
            }
        } else if inputs.response.is_some() {
            h.skip("the Role attribute (the response could not be read; see hop 3)");
        } else {
            h.skip("the Role attribute (needs --response)");
        }
        let provider = self.provider_arn();
        let pair = self.chosen_pair();
        if let Some(p) = pair {
            h.fact("role", p.role.as_str());
            h.fact("provider", p.provider.as_str());
            h.fact(
                "order",
                match p.order {
                    aws::RoleOrder::RoleFirst => "role first",
                    aws::RoleOrder::ProviderFirst => "provider first",
                },
            );
        }
        if let (Some(provider), Some(r)) = (provider, response) {
            if !r.pairs.is_empty()
                && !r
                    .pairs
                    .iter()
                    .any(|p| p.provider.as_str() == provider.as_str())
            {
                h.findings.push(provider_mismatch(provider, &r.pairs));
            }
        } else if response.is_some() && provider.is_none() {
            h.skip("that the Role attribute names your IAM SAML provider (needs --provider-arn)");
        }
        match inputs.trust_policy {
            Some(bytes) => {
                h.ran = true;
                match read_policy(bytes, "--trust-policy") {
                    Err(f) => h.findings.push(f),
                    Ok(doc) => {
                        if let Some(name) = &doc.role_name {
                            h.fact("trust policy of role", name.clone());
                        }
                        h.findings
                            .extend(role_mismatch("--trust-policy", &doc, pair));
                        let provider_arn = provider
                            .map(|p| p.as_str().to_string())
                            .or_else(|| pair.map(|p| p.provider.as_str().to_string()));
                        match provider_arn {
                            Some(provider_arn) => {
                                let recipient = response
                                    .and_then(|r| r.recipient.clone())
                                    .unwrap_or_else(|| GLOBAL_SIGNIN_SAML.to_string());
                                let session = response.map(|r| &r.session);
                                let expect = TrustExpectations {
                                    provider_arn: &provider_arn,
                                    recipient: &recipient,
                                    sends_tags: session.is_some_and(|s| s.sends_tags()),
                                    sends_source_identity: session
                                        .is_some_and(|s| s.sends_source_identity()),
                                };
                                let (verdict, findings) = aws::check_trust_policy(&doc, &expect);
                                h.findings.extend(findings);
                                h.fact(
                                    "sts:AssumeRoleWithSAML",
                                    if verdict.assume_role_with_saml.is_allowed() {
                                        "allowed"
                                    } else {
                                        "not allowed"
                                    },
                                );
                            }
                            None => h.skip(
                                "the trust policy (needs the provider: --provider-arn, or a --response with a Role attribute)",
                            ),
                        }
                    }
                }
            }
            None => h.skip("the role's trust policy (needs --trust-policy)"),
        }
        h.finish()
    }

    fn hop_relay_state(&self, inputs: &FlowInputs<'_>) -> Hop {
        let mut h = Draft::new(HopId::RelayStateInstance);
        let carried = self
            .response
            .as_ref()
            .and_then(|r| r.relay_state.as_deref());
        let configured = inputs.relay_state.map(str::trim);
        let mut relay: Option<ConnectRelayState> = None;
        let parse = |h: &mut Draft, url: &str, what: &'static str| {
            h.ran = true;
            h.fact(what, url.to_string());
            let (state, findings) = ConnectRelayState::parse(url);
            h.findings.extend(findings);
            state
        };
        match (carried, configured) {
            (Some(c), Some(g)) if c == g => relay = parse(&mut h, c, "relay state"),
            (Some(c), Some(g)) => {
                let from_response = parse(&mut h, c, "relay state (in the response)");
                let from_option = parse(&mut h, g, "relay state (--relay-state)");
                if let (Some(a), Some(b)) = (&from_response, &from_option) {
                    compare_instances(
                        &mut h,
                        &facts_of_relay(b),
                        &facts_of_relay(a),
                        "--relay-state",
                        "the relay state the response carried",
                    );
                }
                relay = from_response;
            }
            (Some(url), None) | (None, Some(url)) => relay = parse(&mut h, url, "relay state"),
            (None, None) => h.skip("the relay state (needs --relay-state, or a --response form body carrying RelayState)"),
        }
        let users_instance = self
            .users
            .as_ref()
            .and_then(|u| u.as_ref().ok())
            .and_then(|u| u.instance.clone());
        if let (Some(users), Some(relay)) = (&users_instance, &relay) {
            compare_instances(
                &mut h,
                users,
                &facts_of_relay(relay),
                "the Connect user list (its user ARNs)",
                "the relay state",
            );
        }
        let role_account = self.role_account();
        if let Some(users) = &users_instance {
            h.fact(
                "Connect instance (from the user list)",
                users.instance_id.clone(),
            );
            if let (Some(ua), Some(ra)) = (&users.account, &role_account) {
                if ua != ra {
                    h.findings.push(
                        Finding::new(
                            Code::FlowAccountMismatch,
                            format!(
                                "the Connect instance is in account {ua} (its user ARNs) but the federated role is in account {ra}; GetFederationToken is called by the role on an instance of its own account"
                            ),
                        )
                        .expected_found(ra.clone(), ua.clone()),
                    );
                }
            }
        }
        // The instance the role must reach: AWS's own answer (the user ARNs)
        // before what was configured (the relay state).
        let target = users_instance
            .clone()
            .or_else(|| relay.as_ref().map(facts_of_relay));
        match inputs.permissions_policy {
            Some(bytes) => {
                h.ran = true;
                match read_policy(bytes, "--permissions-policy") {
                    Err(f) => h.findings.push(f),
                    Ok(doc) => {
                        h.findings.extend(role_mismatch(
                            "--permissions-policy",
                            &doc,
                            self.chosen_pair(),
                        ));
                        let account = users_instance
                            .as_ref()
                            .and_then(|u| u.account.clone())
                            .or(role_account);
                        match (&target, &account) {
                            (Some(t), Some(account)) if t.region.is_some() => {
                                let target = ConnectTarget {
                                    partition: t.partition,
                                    region: t.region.as_deref().unwrap_or_default(),
                                    account,
                                    instance_id: &t.instance_id,
                                };
                                h.fact("GetFederationToken on", target.federation_resource());
                                let (verdict, findings) =
                                    aws::check_connect_permissions(std::slice::from_ref(&doc), &target);
                                h.findings.extend(findings);
                                h.fact(
                                    "connect:GetFederationToken",
                                    if verdict.is_allowed() { "allowed" } else { "not allowed" },
                                );
                            }
                            _ => h.skip(
                                "the permissions policy (needs the instance and its region from --relay-state or --connect-users JSON, and the account from --provider-arn, the response's Role or --connect-users JSON)",
                            ),
                        }
                    }
                }
            }
            None => h.skip("the role's permissions policy (needs --permissions-policy)"),
        }
        // AWS recommends the regional sign-in endpoint of the instance's region.
        if let (Some(recipient), Some(t)) = (
            self.response.as_ref().and_then(|r| r.recipient.as_deref()),
            &target,
        ) {
            let endpoint = aws::check_recipient(recipient).0;
            let region = endpoint.as_ref().and_then(|e| e.region.as_deref());
            if let (Some(sr), Some(ir)) = (region, t.region.as_deref()) {
                if sr != ir {
                    h.findings.push(
                        Finding::new(
                            Code::FlowRegionMismatch,
                            format!(
                                "the response is posted to the {sr} sign-in endpoint but the Connect instance is in {ir}; AWS recommends the regional endpoint of the instance's region (and SAML:aud in the trust policy to match)"
                            ),
                        )
                        .severity(Severity::Warning)
                        .expected_found(ir, sr),
                    );
                }
            }
        }
        h.finish()
    }

    fn hop_session(&self, inputs: &FlowInputs<'_>) -> Hop {
        let mut h = Draft::new(HopId::SessionUser);
        let response = self.response.as_ref().filter(|r| r.readable);
        if let Some(r) = response {
            h.ran = true;
            h.findings.extend(r.session_findings.iter().cloned());
            if let Some(name) = &r.session.session_name {
                h.fact("RoleSessionName", name.clone());
            }
        } else if inputs.response.is_some() {
            h.skip("RoleSessionName (the response could not be read; see hop 3)");
        } else {
            h.skip("RoleSessionName (needs --response)");
        }
        match &self.users {
            Some(Err(f)) => {
                h.ran = true;
                h.findings.push(f.clone());
            }
            Some(Ok(users)) => {
                h.ran = true;
                h.fact("Connect users listed", users.names.len().to_string());
                match response.and_then(|r| r.session.session_name.as_deref()) {
                    Some(name) => match user_lookup(name, users) {
                        Ok(()) => h.fact("Connect user", format!("{name} (exact match)")),
                        Err(f) => h.findings.push(f),
                    },
                    None => {
                        h.skip("the Connect user (needs a valid RoleSessionName from --response)")
                    }
                }
            }
            None => h.skip("that a Connect user has this name (needs --connect-users)"),
        }
        h.finish()
    }
}

/// `flow.provider_arn_mismatch`, or `flow.account_mismatch` when the Role
/// pair names the provider's name in another account.
/// `flow.role_mismatch` when the policy names its role (get-role or
/// get-role-policy output) and that is not the role the sign-in assumes:
/// the policy's verdict then says nothing about the role in use.
fn role_mismatch(option: &str, doc: &PolicyDocument, pair: Option<&RolePair>) -> Option<Finding> {
    let (policy_role, pair) = (doc.role_name.as_deref()?, pair?);
    let assumed = pair.role.name();
    if policy_role == assumed {
        return None;
    }
    let case = if policy_role.eq_ignore_ascii_case(assumed) {
        " (they differ only in case, and the Role attribute's ARN is compared exactly)"
    } else {
        ""
    };
    Some(
        Finding::new(
            Code::FlowRoleMismatch,
            format!(
                "{option} is role {policy_role}'s, but the Role attribute asks for role {assumed} ({}){case}: the check of this policy says nothing about the role the sign-in assumes",
                pair.role.as_str()
            ),
        )
        .at(pair.location)
        .expected_found(assumed, policy_role),
    )
}

fn provider_mismatch(provider: &SamlProviderArn, pairs: &[RolePair]) -> Finding {
    let found = pairs
        .iter()
        .map(|p| p.provider.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let other_account = pairs.iter().find(|p| {
        p.provider.name() == provider.name()
            && p.provider.partition() == provider.partition()
            && p.provider.account() != provider.account()
    });
    match other_account {
        Some(p) => Finding::new(
            Code::FlowAccountMismatch,
            format!(
                "the Role attribute names the provider {} in account {}, but your IAM SAML provider is in account {}: AWS looks for the provider (and the role {}) in account {}. AWS answers: \"{IAM_PROVIDER_DOES_NOT_EXIST}\"",
                provider.name(),
                p.provider.account(),
                provider.account(),
                p.role.name(),
                p.provider.account()
            ),
        )
        .at(p.location)
        .expected_found(provider.account(), p.provider.account()),
        None => Finding::new(
            Code::FlowProviderArnMismatch,
            format!(
                "the Role attribute names the SAML provider {found}, not yours ({}). AWS answers: \"{IAM_PROVIDER_DOES_NOT_EXIST}\"",
                provider.as_str()
            ),
        )
        .at(pairs.first().and_then(|p| p.location))
        .expected_found(provider.as_str(), found),
    }
}

fn facts_of_relay(r: &ConnectRelayState) -> InstanceFacts {
    InstanceFacts {
        partition: r.partition(),
        region: r.region().map(str::to_string),
        account: None,
        instance_id: r.instance_id.clone(),
    }
}

/// `flow.instance_mismatch` / `flow.region_mismatch` between two views of
/// the Connect instance (`expected` is the more authoritative).
fn compare_instances(
    h: &mut Draft,
    expected: &InstanceFacts,
    found: &InstanceFacts,
    expected_what: &str,
    found_what: &str,
) {
    if expected.instance_id != found.instance_id {
        h.findings.push(
            Finding::new(
                Code::FlowInstanceMismatch,
                format!(
                    "{found_what} names the Connect instance {}, but {expected_what} names {}",
                    found.instance_id, expected.instance_id
                ),
            )
            .expected_found(expected.instance_id.clone(), found.instance_id.clone()),
        );
    }
    // GovCloud's console host names no region: compare partitions then.
    let (er, fr) = match (expected.region.as_deref(), found.region.as_deref()) {
        (Some(e), Some(f)) => (e, f),
        _ => (expected.partition.as_str(), found.partition.as_str()),
    };
    if er != fr {
        h.findings.push(
            Finding::new(
                Code::FlowRegionMismatch,
                format!(
                    "{found_what} sends the user to {fr}, but {expected_what} puts the instance in {er}"
                ),
            )
            .expected_found(er, fr),
        );
    }
}

/// Whether a Connect user has exactly `name` as user name (Connect compares
/// case-sensitively); the finding names a near match if there is one.
fn user_lookup(name: &str, users: &ConnectUsers) -> Result<(), Finding> {
    if users.names.iter().any(|u| u == name) {
        return Ok(());
    }
    let near: Vec<&str> = users
        .names
        .iter()
        .filter(|u| u.to_lowercase() == name.to_lowercase())
        .map(String::as_str)
        .collect();
    let mut message = format!(
        "no Connect user is named '{name}' among the {} listed",
        users.names.len()
    );
    if let Some(n) = near.first() {
        message.push_str(&format!(
            "; '{n}' differs only in letter case, and Connect compares user names case-sensitively"
        ));
    }
    if users.paginated {
        message.push_str(" (the list is one page of list-users: it has a NextToken)");
    }
    message.push_str(&format!(". Connect answers: \"{CONNECT_NOT_ONBOARDED}\""));
    let found = near.first().copied().unwrap_or("(none)");
    Err(Finding::new(Code::ConnectUserNotFound, message).expected_found(name, found))
}

/// What to do about a failed hop: for the codes whose finding carries the
/// values involved (all four always set expected/found), the fix names them
/// (the user, the certificate, the issuer, the role); otherwise the code's
/// general advice.
fn fix_for(hop: HopId, f: &Finding) -> String {
    let (expected, found) = (f.expected.as_deref(), f.found.as_deref());
    match (f.code, expected, found) {
        (Code::ConnectUserNotFound, Some(name), _) => format!(
            "Create the Connect user {name} (exactly the RoleSessionName, same letter case), or map RoleSessionName to the attribute that holds the Connect user name."
        ),
        (Code::FlowSigningCertNotInMetadata, _, Some(cert)) => format!(
            "Upload the metadata that lists the signing certificate {cert} to the IAM SAML provider (`aws iam update-saml-provider --saml-metadata-document file://…`); keep the old certificate listed until the rollover is over."
        ),
        (Code::FlowIssuerNotInMetadata, Some(entity), Some(issuer)) => format!(
            "The response is issued by {issuer} but the IAM SAML provider holds the metadata of {entity}: upload the metadata of {issuer} to the provider, or make the Role attribute name the provider that holds it."
        ),
        (Code::FlowRoleMismatch, Some(role), _) => format!(
            "Check the policies of role {role}, the one the Role attribute names (`aws iam get-role --role-name {role}`), or make the identity provider send the role whose policy you checked."
        ),
        _ => advice(hop, f.code).to_string(),
    }
}

/// What to do about a failed hop, by the code of its first error.
fn advice(hop: HopId, code: Code) -> &'static str {
    match code {
        Code::FlowProviderArnMismatch => {
            "Fix the Role attribute mapping in Identity Center (or Entra) so that it names the IAM SAML provider's exact ARN; provider names are case-sensitive."
        }
        Code::FlowAccountMismatch => {
            "Use the account that holds the role, the SAML provider and the Connect instance in every ARN (the Role attribute, the policies)."
        }
        Code::FlowRegionMismatch => {
            "Use the Connect instance's region in the relay state URL (https://<region>.console.aws.amazon.com/connect/federate/<instance-id>)."
        }
        Code::FlowInstanceMismatch => {
            "Put the Connect instance id (Amazon Connect console, instance ARN) in the relay state URL."
        }
        Code::FlowMetadataMismatch if hop == HopId::EntraIdentityCenter => {
            "Upload Identity Center's SP metadata (Identity Center > Settings > Identity source) to the Entra enterprise application, and Entra's federation metadata to Identity Center."
        }
        Code::FlowMetadataMismatch => {
            "Update the IAM SAML provider with the Identity Center application's current metadata, every signing certificate included."
        }
        Code::IamTrustProviderMismatch => {
            "Make the role's trust policy name the SAML provider as Principal {\"Federated\": \"<provider ARN>\"}."
        }
        Code::IamTrustAudienceMismatch => {
            "Make the trust policy's SAML:aud condition list the Recipient the response is posted to (https://signin.aws.amazon.com/saml, and any regional endpoint used)."
        }
        Code::IamTrustMissingAction => {
            "Allow sts:AssumeRoleWithSAML in the role's trust policy (and sts:TagSession / sts:SetSourceIdentity when tags or a source identity are sent)."
        }
        Code::ConnectPolicyMissingAction
        | Code::ConnectPolicyInstanceMismatch
        | Code::ConnectPolicyRegionMismatch
        | Code::ConnectPolicyAccountMismatch => {
            "Allow connect:GetFederationToken on arn:aws:connect:<region>:<account>:instance/<instance-id>/user/${aws:userid} in the role's permissions policy."
        }
        Code::ConnectRelayStateInvalid => {
            "Set the application's relay state to https://<region>.console.aws.amazon.com/connect/federate/<instance-id>."
        }
        Code::XmlencNoKey | Code::XmlencDecryptFailed => {
            "Give --decrypt-key the service provider's private key: the one whose certificate the identity provider encrypts to (for IAM, the key added to the SAML provider)."
        }
        Code::FlowInputInvalid | Code::IamPolicyInvalid => {
            "Give the file the option asks for (see the finding)."
        }
        _ => match hop {
            HopId::EntraIdentityCenter | HopId::IdentityCenterIamProvider => {
                "Download fresh metadata from the console that publishes it and upload it where it is expected (see the finding)."
            }
            HopId::ResponseProvider => {
                "Fix what the finding names in the identity provider's application settings, then capture a new response."
            }
            HopId::RoleTrust => {
                "Fix the Role attribute mapping in the identity provider (two ARNs, one comma: role and SAML provider)."
            }
            HopId::RelayStateInstance => {
                "Fix the relay state or the role's permissions policy as the finding says."
            }
            HopId::SessionUser => {
                "Map RoleSessionName to an attribute that is a valid Connect user name (2-64 characters of A-Z a-z 0-9 _ . @ -)."
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_from_lines_and_json() {
        let u = read_users(b"# agents\nalice@example.com\n\n  bob  \n").unwrap();
        assert_eq!(u.names, ["alice@example.com", "bob"]);
        assert!(u.instance.is_none());
        let json = br#"{"UserSummaryList":[{"Id":"u1","Arn":"arn:aws:connect:eu-west-2:444455556666:instance/3c2b9c7e-5d41-4f6a-9e8b-1a2b3c4d5e6f/agent/u1","Username":"Alice@example.com"}],"NextToken":"x"}"#;
        let u = read_users(json).unwrap();
        assert_eq!(u.names, ["Alice@example.com"]);
        assert!(u.paginated);
        let i = u.instance.clone().unwrap();
        assert_eq!(i.region.as_deref(), Some("eu-west-2"));
        assert_eq!(i.account.as_deref(), Some("444455556666"));
        assert_eq!(i.instance_id, "3c2b9c7e-5d41-4f6a-9e8b-1a2b3c4d5e6f");
        let e = user_lookup("alice@example.com", &u).unwrap_err();
        assert_eq!(e.code, Code::ConnectUserNotFound);
        assert!(
            e.message
                .contains("'Alice@example.com' differs only in letter case")
        );
        assert!(e.message.contains("NextToken"));
    }

    #[test]
    fn unreadable_user_lists_say_why() {
        for (input, why) in [
            (&b"{\"Users\":[]}"[..], "UserSummaryList"),
            (b"{not json", "not valid JSON"),
            (b"\xff\xfe", "not UTF-8"),
            (
                br#"{"UserSummaryList":[{"Id":"x"}]}"#,
                "UserSummaryList[0] has no Username",
            ),
        ] {
            let e = read_users(input).err().unwrap();
            assert_eq!(e.code, Code::FlowInputInvalid);
            assert!(e.message.contains(why), "{}", e.message);
        }
    }

    #[test]
    fn hop_numbers_follow_the_chain() {
        assert_eq!(HopId::EntraIdentityCenter.number(), 1);
        assert_eq!(HopId::SessionUser.number(), 6);
    }
}

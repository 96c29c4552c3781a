//! Validation: a SAML Response judged end to end for one service provider,
//! at one instant.
//!
//! A [`Validator`] is built once from the identity provider's trust (its
//! certificates, or its metadata) and the caller's [`Expectations`]
//! (audiences, recipients, issuer, requests outstanding, clock skew, which
//! signatures are required). [`Validator::validate`] then verifies the
//! signature ([`crate::verify`]), and checks on the verified elements only:
//! Status, Version, the single Assertion, Issuer, Destination, the bearer
//! SubjectConfirmation (Recipient, NotOnOrAfter, InResponseTo), Conditions
//! (time window, audiences), IssueInstant, the required signatures and,
//! optionally, replay. The first failure is returned as a
//! [`ValidationError`] that carries a [`Finding`].
//!
//! Values of an unsigned Response (Destination, InResponseTo, Issuer,
//! Version, Status) are never used to accept; when they are wrong the
//! message is still refused, because an attacker could only turn an
//! acceptance into a refusal by editing them.
//!
//! [`Validator::inspect`] runs the same checks without stopping at the
//! first, for reports.
//!
//! ```
//! use saml_inspect::validate::{Expectations, Validator};
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/fixtures/");
//! let trust = saml_inspect::dsig::TrustedKeys::from_pem(
//!     &std::fs::read(format!("{dir}rsa2048.cert.pem")).unwrap()).unwrap();
//! let validator = Validator::new(trust, Expectations {
//!     audiences: vec!["urn:amazon:webservices".into()],
//!     recipients: vec!["https://signin.aws.amazon.com/saml".into()],
//!     issuer: Some("https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/".into()),
//!     ..Default::default()
//! });
//! let now = "2026-11-01T12:00:00Z".parse().unwrap();
//! let input = std::fs::read(format!("{dir}assertion-rsa2048.b64")).unwrap();
//! let validated = validator.validate(&input, now).unwrap();
//! assert_eq!(validated.assertion.summary().name_id.as_deref(), Some("alice.example@contoso.com"));
//! let late = "2026-11-01T14:00:00Z".parse().unwrap();
//! let error = validator.validate(&input, late).unwrap_err();
//! assert_eq!(error.code(), saml_inspect::Code::SamlExpired);
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};

use crate::codes::Code;
use crate::decode::DecodeLimits;
use crate::dsig::{Policy, TrustedKeys};
use crate::metadata::Metadata;
use crate::report::{Finding, Location, Severity};
use crate::saml::time::format_timestamp;
use crate::saml::{Assertion, Issuer, Message, Response, Status, SubjectConfirmationData};
use crate::verify::{self, VerifiedAssertion, VerifyError, VerifyOptions};
use crate::xml::{self, Limits};

/// Which signatures a message must carry (each verified with a trusted key).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RequireSigned {
    /// The Response must be signed (its signature covers the Assertion).
    Response,
    /// The Assertion must carry its own signature (Entra ID's default).
    Assertion,
    /// Either signature is enough, as long as the Assertion is covered.
    #[default]
    Either,
    /// Both the Response and the Assertion must be signed.
    Both,
}

/// The only `Format` an identity provider's Issuer may carry (SAML profiles 4.1.4.2).
const ENTITY_FORMAT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";

/// The default clock skew, in seconds (three minutes).
pub const DEFAULT_SKEW_SECONDS: i64 = 180;

/// What this service provider expects of a response.
#[derive(Clone, Debug)]
pub struct Expectations {
    /// Accepted audiences; every AudienceRestriction must name one of them
    /// (exact string comparison). Empty: the audience is not checked and an
    /// info finding says so.
    pub audiences: Vec<String>,
    /// Accepted ACS URLs, for the bearer SubjectConfirmationData's Recipient
    /// and the Response's Destination. The scheme and host compare without
    /// regard to case, the rest exactly. Empty: not checked (info finding).
    pub recipients: Vec<String>,
    /// The identity provider's entityID; Response and Assertion Issuer must
    /// equal it. `None`: not checked (info finding); [`Validator::from_metadata`]
    /// fills it from the metadata.
    pub issuer: Option<String>,
    /// The IDs of the AuthnRequests outstanding. `None`: InResponseTo is not
    /// checked (info finding). `Some(ids)`: an InResponseTo that is present
    /// must be one of `ids` (an empty list refuses every one).
    pub in_response_to: Option<Vec<String>>,
    /// Accept responses without InResponseTo (IdP-initiated sign-in, as AWS
    /// and Amazon Connect use). On by default.
    pub allow_idp_initiated: bool,
    /// Tolerated clock difference with the identity provider.
    pub clock_skew: TimeDelta,
    /// The oldest IssueInstant accepted (beyond the skew). `None`: only the
    /// validity windows the identity provider set limit the age.
    pub max_age: Option<TimeDelta>,
    /// Which signatures are required.
    pub require_signed: RequireSigned,
    /// The algorithm policy.
    pub policy: Policy,
    /// Bounds on decoding.
    pub decode: DecodeLimits,
    /// Bounds on the XML parse.
    pub xml: Limits,
}

impl Default for Expectations {
    fn default() -> Self {
        Expectations {
            audiences: Vec::new(),
            recipients: Vec::new(),
            issuer: None,
            in_response_to: None,
            allow_idp_initiated: true,
            clock_skew: TimeDelta::seconds(DEFAULT_SKEW_SECONDS),
            max_age: None,
            require_signed: RequireSigned::Either,
            policy: Policy::default(),
            decode: DecodeLimits::default(),
            xml: Limits::default(),
        }
    }
}

/// Remembers assertion IDs until they expire, so that a bearer assertion is
/// used once (SAML profiles 4.1.4.5).
pub trait ReplayCache: Send + Sync {
    /// Records `assertion_id` until `expires`; false when it is already
    /// recorded and not expired at `now` (a replay), or cannot be recorded.
    ///
    /// The validator passes the verified Assertion's `ID` (the Issuer is
    /// already pinned by the expectations) and an expiry of the latest
    /// NotOnOrAfter of the assertion plus the clock skew; it calls this only
    /// for an assertion that passed every other check.
    fn check_and_insert(
        &self,
        assertion_id: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool;
}

/// A [`ReplayCache`] in memory, bounded in size.
///
/// Expired entries are pruned when the cache fills. When it is full of
/// unexpired entries a new ID is refused (reported as a replay) rather
/// than an entry forgotten, which would let that assertion be replayed.
#[derive(Debug)]
pub struct InMemoryReplayCache {
    seen: Mutex<HashMap<String, DateTime<Utc>>>,
    capacity: usize,
}

impl InMemoryReplayCache {
    /// A cache holding at most `capacity` unexpired IDs.
    pub fn new(capacity: usize) -> Self {
        InMemoryReplayCache {
            seen: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// How many IDs are recorded (expired ones included until pruned).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no ID is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, DateTime<Utc>>> {
        // A panic elsewhere while holding the lock leaves the map intact
        // (every update is a single insert or retain): keep using it.
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for InMemoryReplayCache {
    /// 100 000 IDs.
    fn default() -> Self {
        InMemoryReplayCache::new(100_000)
    }
}

impl ReplayCache for InMemoryReplayCache {
    fn check_and_insert(
        &self,
        assertion_id: &str,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> bool {
        let mut seen = self.lock();
        if let Some(until) = seen.get(assertion_id) {
            if *until > now {
                return false;
            }
        }
        if seen.len() >= self.capacity && !seen.contains_key(assertion_id) {
            seen.retain(|_, until| *until > now);
            if seen.len() >= self.capacity {
                return false;
            }
        }
        seen.insert(assertion_id.to_owned(), expires);
        true
    }
}

/// A response that passed every check.
#[derive(Clone, Debug)]
pub struct Validated {
    /// The verified assertion (read from the signed element).
    pub assertion: VerifiedAssertion,
    /// When the identity provider wants the session to end, if it says.
    pub session_not_on_or_after: Option<DateTime<Utc>>,
    /// Warnings and notes (checks skipped, padded values, session end).
    pub findings: Vec<Finding>,
}

/// Why a response was refused.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// Decoding, parsing or signature verification failed.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// A SAML check failed.
    #[error("{}", .0.message)]
    Check(Finding),
}

impl ValidationError {
    /// The finding code of the failure.
    pub fn code(&self) -> Code {
        match self {
            ValidationError::Verify(e) => e.code(),
            ValidationError::Check(f) => f.code,
        }
    }

    /// The failure as a finding.
    pub fn to_finding(&self) -> Finding {
        match self {
            ValidationError::Verify(e) => e.to_finding(),
            ValidationError::Check(f) => f.clone(),
        }
    }
}

/// Validates SAML responses for one service provider. Build it once and
/// share it (it is `Send + Sync`); certificates are parsed at construction.
#[derive(Clone)]
pub struct Validator {
    options: VerifyOptions,
    expect: Expectations,
    replay: Option<Arc<dyn ReplayCache>>,
}

impl std::fmt::Debug for Validator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validator")
            .field("trusted_keys", &self.options.trust.len())
            .field("expectations", &self.expect)
            .field("replay_cache", &self.replay.is_some())
            .finish()
    }
}

// A validator is meant to be built once and shared between threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Validator>();
    assert_send_sync::<InMemoryReplayCache>();
};

impl Validator {
    /// A validator trusting `trust`'s keys.
    pub fn new(trust: TrustedKeys, expectations: Expectations) -> Validator {
        Validator {
            options: VerifyOptions {
                decode: expectations.decode.clone(),
                xml: expectations.xml.clone(),
                trust,
                policy: expectations.policy.clone(),
                decryption_key: None,
                decrypt_policy: Default::default(),
            },
            expect: expectations,
            replay: None,
        }
    }

    /// A validator trusting the identity provider's published signing
    /// certificates; the expected issuer is its entityID unless
    /// `expectations.issuer` says otherwise.
    pub fn from_metadata(metadata: &Metadata, mut expectations: Expectations) -> Validator {
        if expectations.issuer.is_none() {
            expectations.issuer = Some(metadata.entity_id.clone());
        }
        Validator::new(metadata.signing_keys(), expectations)
    }

    /// Refuses an assertion ID seen before (`saml.replay`).
    pub fn with_replay_cache(mut self, cache: Arc<dyn ReplayCache>) -> Validator {
        self.replay = Some(cache);
        self
    }

    /// Decrypts an EncryptedAssertion with the service provider's `key`
    /// under `policy` (without a key an encrypted response is refused with
    /// `xmlenc.no_key`). The decrypted assertion must still be signed.
    pub fn with_decryption(
        mut self,
        key: crate::xmlenc::DecryptionKey,
        policy: crate::xmlenc::DecryptPolicy,
    ) -> Validator {
        self.options.decryption_key = Some(key);
        self.options.decrypt_policy = policy;
        self
    }

    /// The expectations this validator applies.
    pub fn expectations(&self) -> &Expectations {
        &self.expect
    }

    /// Validates one message (any binding) at `now`.
    pub fn validate(&self, input: &[u8], now: DateTime<Utc>) -> Result<Validated, ValidationError> {
        let checked = verify::verify_checked(input, &self.options, true)?;
        let verified = checked.verified;
        let mut findings = Vec::new();
        let unverified = checked.unverified_response.as_ref();
        if let Some(parsed) = unverified {
            // Wrong even unsigned: refuse (never used to accept).
            if let Some(e) = parsed.first_error() {
                return Err(ValidationError::Check(e.clone()));
            }
        }
        let response = verified
            .response
            .as_ref()
            .map(|r| (r, true))
            .or_else(|| unverified.map(|p| (&p.value, false)));
        findings.extend(verified.decryption.iter().cloned());
        self.check_signatures(&verified, &mut findings);
        self.check_message(response, &verified.assertion, now, &mut findings);
        if let Some(error) = findings.iter().find(|f| f.severity == Severity::Error) {
            return Err(ValidationError::Check(error.clone()));
        }
        if let Some(cache) = &self.replay {
            let a = &verified.assertion;
            let id = a.id.as_deref().unwrap_or_default();
            let expires = replay_expiry(a, now).unwrap_or(now);
            let expires = add(expires, self.expect.clock_skew);
            if !cache.check_and_insert(id, expires, now) {
                return Err(ValidationError::Check(
                    Finding::new(
                        Code::SamlReplay,
                        format!(
                            "the assertion {id} was already used (or the replay cache is full)"
                        ),
                    )
                    .at(a.location),
                ));
            }
        }
        let session_not_on_or_after = verified
            .assertion
            .authn_statements
            .iter()
            .filter_map(|s| s.session_not_on_or_after)
            .min();
        Ok(Validated {
            assertion: verified,
            session_not_on_or_after,
            findings,
        })
    }

    /// Runs every check without stopping at the first failure, for a report.
    ///
    /// When the signature does not verify, its failure comes first and the
    /// remaining checks run on the message as written (unverified, so only
    /// for explaining). The replay cache is not consulted.
    pub fn inspect(&self, input: &[u8], now: DateTime<Utc>) -> Vec<Finding> {
        let (failure, checks) = self.inspect_parts(input, now);
        failure.into_iter().chain(checks).collect()
    }

    /// The protocol checks of [`Validator::inspect`] only (`saml.*` codes and
    /// a required signature that is missing), without the verification
    /// failure, for adding to an [`Inspection`](crate::inspect::Inspection),
    /// which reports decoding, parsing and signatures itself.
    pub fn inspect_protocol(&self, input: &[u8], now: DateTime<Utc>) -> Vec<Finding> {
        let (_, checks) = self.inspect_parts(input, now);
        checks
            .into_iter()
            .filter(|f| f.code.as_str().starts_with("saml.") || f.code == Code::SignatureMissing)
            .collect()
    }

    /// The verification failure (if any) and the findings of the checks.
    fn inspect_parts(&self, input: &[u8], now: DateTime<Utc>) -> (Option<Finding>, Vec<Finding>) {
        let mut findings = Vec::new();
        match verify::verify_checked(input, &self.options, false) {
            Ok(checked) => {
                let verified = checked.verified;
                let unverified = checked.unverified_response.as_ref();
                if let Some(parsed) = unverified {
                    findings.extend(
                        parsed
                            .findings
                            .iter()
                            .filter(|f| f.severity == Severity::Error)
                            .cloned(),
                    );
                }
                let response = verified
                    .response
                    .as_ref()
                    .map(|r| (r, true))
                    .or_else(|| unverified.map(|p| (&p.value, false)));
                self.check_signatures(&verified, &mut findings);
                if let Some((r, signed)) = response {
                    check_status(r, signed, &mut findings);
                }
                self.check_message(response, &verified.assertion, now, &mut findings);
                (None, findings)
            }
            Err(e) => {
                self.inspect_unverified(input, now, &mut findings);
                (Some(e.to_finding()), findings)
            }
        }
    }

    /// The checks on a message whose signature did not verify, read as
    /// written (for explaining only).
    fn inspect_unverified(&self, input: &[u8], now: DateTime<Utc>, findings: &mut Vec<Finding>) {
        let Ok(decoded) = crate::decode::decode(input, &self.options.decode) else {
            return;
        };
        let Ok(doc) = xml::parse_bytes(&decoded.xml, &self.options.xml) else {
            return;
        };
        let Ok(parsed) = Message::from_document(&doc) else {
            return;
        };
        findings.extend(
            parsed
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .cloned(),
        );
        let (response, assertion) = match &parsed.value {
            Message::Response(r) => {
                check_status(r, false, findings);
                // An EncryptedAssertion counts (its failure was reported).
                if r.assertions.len() + r.encrypted_assertions != 1 {
                    findings.push(
                        Finding::new(
                            Code::SamlAssertionCount,
                            format!(
                                "the Response carries {} Assertions; exactly one is required",
                                r.assertions.len()
                            ),
                        )
                        .at(r.location),
                    );
                }
                (Some((r, false)), r.assertions.first())
            }
            Message::Assertion(a) => (None, Some(a)),
            _ => return,
        };
        let decrypted = match assertion {
            None => self.decrypt_unverified(&doc),
            Some(_) => None,
        };
        if let Some(a) = assertion.or(decrypted.as_ref()) {
            self.check_message(response, a, now, findings);
        }
    }

    /// The Response's first EncryptedAssertion decrypted with the configured
    /// key and read as written, so that an unverified encrypted message still
    /// gets its protocol checks (verification already said why it failed).
    fn decrypt_unverified(&self, doc: &xml::Document<'_>) -> Option<Assertion> {
        let key = self.options.decryption_key.as_ref()?;
        let wrapper = doc
            .root_element()
            .children()
            .find(|c| xml::is_saml_element(*c, crate::ns::SAML_ASSERTION, "EncryptedAssertion"))?;
        let decrypted = crate::xmlenc::decrypt(wrapper, key, &self.options.decrypt_policy).ok()?;
        let plaintext = decrypted.parse(&self.options.xml, "Assertion").ok()?;
        Assertion::from_element(plaintext.root_element())
            .ok()
            .map(|p| p.value)
    }

    fn check_signatures(&self, v: &VerifiedAssertion, findings: &mut Vec<Finding>) {
        let (need_response, need_assertion) = match self.expect.require_signed {
            RequireSigned::Response => (true, false),
            RequireSigned::Assertion => (false, true),
            RequireSigned::Either => (false, false),
            RequireSigned::Both => (true, true),
        };
        if need_response && !v.response_signed {
            findings.push(
                Finding::new(
                    Code::SignatureMissing,
                    "the Response is not signed, and the policy requires its signature",
                )
                .at(v.response.as_ref().map(|r| r.location)),
            );
        }
        if need_assertion && !v.assertion_signed {
            findings.push(
                Finding::new(
                    Code::SignatureMissing,
                    "the Assertion has no signature of its own, and the policy requires one",
                )
                .at(v.assertion.location),
            );
        }
    }

    /// Every check on the Response (`signed` says whether it was verified)
    /// and its Assertion, except Status and signatures.
    fn check_message(
        &self,
        response: Option<(&Response, bool)>,
        a: &Assertion,
        now: DateTime<Utc>,
        findings: &mut Vec<Finding>,
    ) {
        if let Some((r, signed)) = response {
            let tag = unverified_tag(signed);
            if let Some(v) = r.version.as_deref().filter(|v| *v != "2.0") {
                findings.push(
                    Finding::new(
                        Code::SamlVersion,
                        format!("the Response has Version=\"{v}\"; only 2.0 is accepted{tag}"),
                    )
                    .at(r.location)
                    .expected_found("2.0", shorten(v)),
                );
            }
            if let Some(issuer) = &r.issuer {
                self.check_issuer("Response", issuer, tag, findings);
            }
            self.check_destination(r, tag, findings);
            if let Some(irt) = r.in_response_to.as_deref() {
                if let Some(f) = self.in_response_to_problem(Some(irt), "Response") {
                    findings.push(f.at(r.location));
                }
            }
        }
        if let Some(v) = a.version.as_deref().filter(|v| *v != "2.0") {
            findings.push(
                Finding::new(
                    Code::SamlVersion,
                    format!("the Assertion has Version=\"{v}\"; only 2.0 is accepted"),
                )
                .at(a.location)
                .expected_found("2.0", shorten(v)),
            );
        }
        match &a.issuer {
            Some(issuer) => self.check_issuer("Assertion", issuer, "", findings),
            None => findings.push(
                Finding::new(Code::SamlIssuerMismatch, "the Assertion has no Issuer")
                    .at(a.location),
            ),
        }
        if self.expect.issuer.is_none() {
            findings.push(skipped(
                Code::SamlIssuerMismatch,
                "the Issuer was not checked: no expected issuer was given",
            ));
        }
        self.check_confirmation(a, now, findings);
        self.check_conditions(a, now, findings);
        // After the windows: a clock far off is clearest reported as the
        // window it misses; IssueInstant catches what the windows allow.
        if let Some((r, _)) = response {
            self.check_instant("Response", r.issue_instant, r.location, now, findings);
        }
        self.check_instant("Assertion", a.issue_instant, a.location, now, findings);
        for s in &a.authn_statements {
            if let Some(end) = s.session_not_on_or_after {
                let (severity, verb) = if end <= now {
                    (Severity::Warning, "ended")
                } else {
                    (Severity::Info, "ends")
                };
                findings.push(
                    Finding::new(
                        Code::SamlExpired,
                        format!(
                            "the identity provider's session {verb} at {} (SessionNotOnOrAfter)",
                            format_timestamp(&end)
                        ),
                    )
                    .severity(severity)
                    .at(s.location),
                );
            }
        }
    }

    fn check_issuer(&self, element: &str, issuer: &Issuer, tag: &str, findings: &mut Vec<Finding>) {
        let Some(expected) = self.expect.issuer.as_deref() else {
            return;
        };
        // SAML profiles 4.1.4.2: the Format is omitted or the entity format.
        if let Some(format) = issuer.format.as_deref().filter(|f| *f != ENTITY_FORMAT) {
            findings.push(
                Finding::new(
                    Code::SamlIssuerMismatch,
                    format!("the {element} Issuer has Format {format}; an identity provider's Issuer must omit Format or use the entity format{tag}"),
                )
                .at(issuer.location)
                .expected_found(ENTITY_FORMAT, shorten(format)),
            );
            return;
        }
        if issuer.value == expected {
            return;
        }
        let (severity, what) = if issuer.trimmed() == expected {
            (
                Severity::Warning,
                "is padded with whitespace around the expected issuer",
            )
        } else {
            (Severity::Error, "is not the expected identity provider")
        };
        findings.push(
            Finding::new(
                Code::SamlIssuerMismatch,
                format!("the {element} Issuer {what}{tag}"),
            )
            .severity(severity)
            .at(issuer.location)
            .expected_found(expected, shorten(&issuer.value)),
        );
    }

    fn check_destination(&self, r: &Response, tag: &str, findings: &mut Vec<Finding>) {
        let Some(destination) = r.destination.as_deref() else {
            return;
        };
        if self.expect.recipients.is_empty() {
            return;
        }
        if !self
            .expect
            .recipients
            .iter()
            .any(|e| same_url(e, destination))
        {
            findings.push(
                Finding::new(
                    Code::SamlDestinationMismatch,
                    format!("the Response Destination is not an expected endpoint{tag}"),
                )
                .at(r.location)
                .expected_found(self.expect.recipients.join(" | "), shorten(destination)),
            );
        }
    }

    /// A problem with an InResponseTo value (`None` when acceptable).
    fn in_response_to_problem(&self, value: Option<&str>, element: &str) -> Option<Finding> {
        let expected = self.expect.in_response_to.as_ref()?;
        match value {
            Some(v) if expected.iter().any(|e| e == v) => None,
            Some(v) => Some(
                Finding::new(
                    Code::SamlInResponseTo,
                    format!(
                        "the {element} answers request {}, which is not outstanding",
                        shorten(v)
                    ),
                )
                .expected_found(expected.join(" | "), shorten(v)),
            ),
            None if self.expect.allow_idp_initiated => None,
            None => Some(Finding::new(
                Code::SamlInResponseTo,
                format!(
                    "the {element} has no InResponseTo (IdP-initiated), and only answers to requests are accepted"
                ),
            )),
        }
    }

    fn check_instant(
        &self,
        element: &str,
        instant: Option<DateTime<Utc>>,
        location: Location,
        now: DateTime<Utc>,
        findings: &mut Vec<Finding>,
    ) {
        let Some(instant) = instant else { return };
        let skew = self.expect.clock_skew;
        if instant > add(now, skew) {
            findings.push(
                Finding::new(
                    Code::SamlTimestampInvalid,
                    format!(
                        "the {element} IssueInstant {} is in the future (now {}, skew {} s)",
                        format_timestamp(&instant),
                        format_timestamp(&now),
                        skew.num_seconds()
                    ),
                )
                .at(location),
            );
        }
        if let Some(max_age) = self.expect.max_age {
            if add(add(instant, max_age), skew) < now {
                findings.push(
                    Finding::new(
                        Code::SamlTimestampInvalid,
                        format!(
                            "the {element} IssueInstant {} is older than the maximum age of {} s",
                            format_timestamp(&instant),
                            max_age.num_seconds()
                        ),
                    )
                    .at(location),
                );
            }
        }
    }

    fn check_confirmation(&self, a: &Assertion, now: DateTime<Utc>, findings: &mut Vec<Finding>) {
        if self.expect.recipients.is_empty() {
            findings.push(skipped(
                Code::SamlRecipientMismatch,
                "the Recipient and Destination were not checked: no expected recipient was given",
            ));
        }
        if self.expect.in_response_to.is_none() {
            findings.push(skipped(
                Code::SamlInResponseTo,
                "InResponseTo was not checked: no outstanding request IDs were given",
            ));
        }
        let location = a.subject.as_ref().map_or(a.location, |s| s.location);
        let bearer: Vec<_> = a
            .subject
            .iter()
            .flat_map(|s| s.confirmations.iter())
            .filter(|c| c.is_bearer())
            .collect();
        if bearer.is_empty() {
            findings.push(
                Finding::new(
                    Code::SamlSubjectConfirmation,
                    "the Subject has no bearer SubjectConfirmation (method urn:oasis:names:tc:SAML:2.0:cm:bearer)",
                )
                .at(location),
            );
            return;
        }
        let mut problems = Vec::new();
        for c in &bearer {
            let Some(data) = &c.data else {
                problems.push(
                    Finding::new(
                        Code::SamlSubjectConfirmation,
                        "a bearer SubjectConfirmation has no SubjectConfirmationData",
                    )
                    .at(c.location),
                );
                continue;
            };
            match self.confirmation_problem(data, now) {
                None => return,
                Some(f) => problems.push(f.at(data.location)),
            }
        }
        // None usable: one candidate's own reason is the clearest report.
        if let [only] = problems.as_slice() {
            findings.push(only.clone());
        } else {
            let reasons: Vec<_> = problems.iter().map(|f| f.message.as_str()).collect();
            findings.push(
                Finding::new(
                    Code::SamlSubjectConfirmation,
                    format!(
                        "no bearer SubjectConfirmation is usable: {}",
                        reasons.join("; ")
                    ),
                )
                .at(location),
            );
        }
    }

    /// Why one bearer SubjectConfirmationData is not usable, if it is not.
    fn confirmation_problem(
        &self,
        data: &SubjectConfirmationData,
        now: DateTime<Utc>,
    ) -> Option<Finding> {
        let skew = self.expect.clock_skew;
        if !self.expect.recipients.is_empty() {
            match data.recipient.as_deref() {
                Some(r) if self.expect.recipients.iter().any(|e| same_url(e, r)) => {}
                found => {
                    return Some(
                        Finding::new(
                            Code::SamlRecipientMismatch,
                            match found {
                                Some(_) => "the SubjectConfirmationData Recipient is not an expected endpoint",
                                None => "the SubjectConfirmationData has no Recipient",
                            },
                        )
                        .expected_found(
                            self.expect.recipients.join(" | "),
                            shorten(found.unwrap_or("(none)")),
                        ),
                    );
                }
            }
        }
        match data.not_on_or_after {
            None => {
                return Some(Finding::new(
                    Code::SamlSubjectConfirmation,
                    "the SubjectConfirmationData has no NotOnOrAfter, which a bearer confirmation requires",
                ));
            }
            Some(end) if sub(now, skew) >= end => {
                return Some(Finding::new(
                    Code::SamlExpired,
                    format!(
                        "the SubjectConfirmationData expired at {} (now {}, skew {} s)",
                        format_timestamp(&end),
                        format_timestamp(&now),
                        skew.num_seconds()
                    ),
                ));
            }
            Some(_) => {}
        }
        if let Some(start) = data.not_before {
            if add(now, skew) < start {
                return Some(Finding::new(
                    Code::SamlNotYetValid,
                    format!(
                        "the SubjectConfirmationData is valid only from {} (now {}, skew {} s)",
                        format_timestamp(&start),
                        format_timestamp(&now),
                        skew.num_seconds()
                    ),
                ));
            }
        }
        self.in_response_to_problem(data.in_response_to.as_deref(), "SubjectConfirmationData")
    }

    fn check_conditions(&self, a: &Assertion, now: DateTime<Utc>, findings: &mut Vec<Finding>) {
        let skew = self.expect.clock_skew;
        let location = a.conditions.as_ref().map_or(a.location, |c| c.location);
        if let Some(c) = &a.conditions {
            if let Some(start) = c.not_before {
                if add(now, skew) < start {
                    findings.push(
                        Finding::new(
                            Code::SamlNotYetValid,
                            format!(
                                "the assertion is valid only from {} (now {}, skew {} s)",
                                format_timestamp(&start),
                                format_timestamp(&now),
                                skew.num_seconds()
                            ),
                        )
                        .at(location),
                    );
                }
            }
            if let Some(end) = c.not_on_or_after {
                if sub(now, skew) >= end {
                    findings.push(
                        Finding::new(
                            Code::SamlExpired,
                            format!(
                                "the assertion expired at {} (now {}, skew {} s)",
                                format_timestamp(&end),
                                format_timestamp(&now),
                                skew.num_seconds()
                            ),
                        )
                        .at(location),
                    );
                }
            }
        }
        if self.expect.audiences.is_empty() {
            findings.push(skipped(
                Code::SamlAudienceMismatch,
                "the audience was not checked: no expected audience was given",
            ));
            return;
        }
        let restrictions = a
            .conditions
            .iter()
            .flat_map(|c| c.audience_restrictions.iter());
        let mut any = false;
        for r in restrictions {
            any = true;
            if !r
                .audiences
                .iter()
                .any(|aud| self.expect.audiences.iter().any(|e| e == aud))
            {
                findings.push(
                    Finding::new(
                        Code::SamlAudienceMismatch,
                        "an AudienceRestriction names none of the expected audiences",
                    )
                    .at(r.location)
                    .expected_found(
                        self.expect.audiences.join(" | "),
                        shorten(&r.audiences.join(" | ")),
                    ),
                );
            }
        }
        if !any {
            findings.push(
                Finding::new(
                    Code::SamlAudienceMismatch,
                    "the assertion has no AudienceRestriction, so it is not addressed to this service provider",
                )
                .at(location)
                .expected_found(self.expect.audiences.join(" | "), "(none)"),
            );
        }
    }
}

/// The `saml.status` finding for a Status that is not Success: the
/// StatusCode chain, the StatusMessage and any Entra `AADSTS` codes.
/// `signed` says whether the Response's own signature verified.
pub(crate) fn status_finding(status: &Status, signed: bool) -> Finding {
    let chain = if status.codes.is_empty() {
        "(no StatusCode)".to_owned()
    } else {
        status
            .codes
            .iter()
            .map(|c| c.rsplit(':').next().unwrap_or(c))
            .collect::<Vec<_>>()
            .join(" > ")
    };
    let mut message = format!("the identity provider answered with status {chain}");
    if let Some(m) = &status.message {
        message.push_str(&format!(": \"{}\"", shorten(m)));
    }
    let aadsts = status.aadsts_codes();
    if !aadsts.is_empty() {
        message.push_str(&format!(" (Entra ID error {})", aadsts.join(", ")));
    }
    message.push_str(unverified_tag(signed));
    Finding::new(Code::SamlStatus, message)
        .at(status.location)
        .expected_found(
            crate::ns::STATUS_SUCCESS,
            shorten(&status.codes.join(" > ")),
        )
}

fn check_status(r: &Response, signed: bool, findings: &mut Vec<Finding>) {
    if let Some(status) = r.status.as_ref().filter(|s| !s.is_success()) {
        findings.push(status_finding(status, signed));
    }
}

fn unverified_tag(signed: bool) -> &'static str {
    if signed {
        ""
    } else {
        " (read from the unsigned Response: unverified)"
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 300;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}

fn skipped(code: Code, message: &str) -> Finding {
    Finding::new(code, message).severity(Severity::Info)
}

/// When the assertion stops being usable: the later of the Conditions and
/// bearer confirmation ends (the cache must outlive both).
fn replay_expiry(a: &Assertion, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let conditions = a.conditions.as_ref().and_then(|c| c.not_on_or_after);
    let confirmations = a
        .subject
        .iter()
        .flat_map(|s| s.confirmations.iter())
        .filter_map(|c| c.data.as_ref())
        .filter_map(|d| d.not_on_or_after);
    conditions
        .into_iter()
        .chain(confirmations)
        .max()
        .map(|t| t.max(now))
}

/// `t + d`, saturating at the end of chrono's range (no panic on year 9999).
fn add(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_add_signed(d)
        .unwrap_or(if d >= TimeDelta::zero() {
            DateTime::<Utc>::MAX_UTC
        } else {
            DateTime::<Utc>::MIN_UTC
        })
}

/// `t - d`, saturating.
fn sub(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_sub_signed(d)
        .unwrap_or(if d >= TimeDelta::zero() {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
}

/// URL equality for ACS endpoints: scheme and host without regard to case
/// (they are case-insensitive), path and query exactly (they are not).
fn same_url(expected: &str, found: &str) -> bool {
    fn split(url: &str) -> (String, &str) {
        match url.split_once("://") {
            Some((scheme, rest)) => {
                let cut = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                let (host, tail) = rest.split_at(cut);
                (
                    format!(
                        "{}://{}",
                        scheme.to_ascii_lowercase(),
                        host.to_ascii_lowercase()
                    ),
                    tail,
                )
            }
            None => (String::new(), url),
        }
    }
    expected == found || split(expected) == split(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_host_case_insensitively_and_path_exactly() {
        let acs = "https://signin.aws.amazon.com/saml";
        assert!(same_url(acs, "HTTPS://Signin.AWS.amazon.com/saml"));
        assert!(!same_url(acs, "https://signin.aws.amazon.com/SAML"));
        assert!(!same_url(acs, "https://signin.aws.amazon.com/saml?x=1"));
        assert!(!same_url(acs, "https://signin.aws.amazon.com.evil/saml"));
        assert!(!same_url(acs, "signin.aws.amazon.com/saml"));
    }

    #[test]
    fn replay_cache_refuses_a_second_use_until_expiry_and_stays_bounded() {
        let t0: DateTime<Utc> = "2026-11-01T12:00:00Z".parse().unwrap();
        let later = t0 + TimeDelta::minutes(10);
        let cache = InMemoryReplayCache::new(2);
        assert!(cache.check_and_insert("_a", t0 + TimeDelta::minutes(5), t0));
        assert!(!cache.check_and_insert("_a", t0 + TimeDelta::minutes(5), t0));
        assert!(cache.check_and_insert("_b", t0 + TimeDelta::minutes(5), t0));
        // Full of unexpired IDs: refused rather than forgetting one.
        assert!(!cache.check_and_insert("_c", t0 + TimeDelta::minutes(5), t0));
        // Once expired they are pruned.
        assert!(cache.check_and_insert("_c", later + TimeDelta::minutes(5), later));
        assert!(cache.len() <= 2);
        assert!(cache.check_and_insert("_a", later + TimeDelta::minutes(5), later));
    }

    #[test]
    fn time_arithmetic_saturates() {
        assert_eq!(
            add(DateTime::<Utc>::MAX_UTC, TimeDelta::seconds(180)),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            sub(DateTime::<Utc>::MIN_UTC, TimeDelta::seconds(180)),
            DateTime::<Utc>::MIN_UTC
        );
    }
}

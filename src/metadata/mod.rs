//! SAML 2.0 metadata: the model, what kind of document it is, and what is
//! wrong with it.
//!
//! Metadata is where trust comes from: the identity provider's signing
//! certificates, its endpoints, and its entityID (which must equal the
//! `Issuer` of every response). The shape read here is SAML 2.0 metadata
//! (`saml-metadata-2.0-os` §2.3-2.4):
//!
//! ```text
//! <EntitiesDescriptor>                        (optional wrapper; select by entityID)
//!   <EntityDescriptor entityID="…" ID="…" validUntil="…" cacheDuration="…">
//!     <ds:Signature/>?                        (enveloped, covers the element)
//!     <Extensions/>?                          (skipped)
//!     <RoleDescriptor xsi:type="fed:SecurityTokenServiceType"/>   (Entra, WS-Fed)
//!     <RoleDescriptor xsi:type="fed:ApplicationServiceType"/>     (Entra, WS-Fed)
//!     <IDPSSODescriptor WantAuthnRequestsSigned="…">
//!       <KeyDescriptor use="signing|encryption"?><ds:KeyInfo>…<ds:X509Certificate/>…
//!       <SingleLogoutService Binding Location/>*
//!       <NameIDFormat/>*
//!       <SingleSignOnService Binding Location/>+
//!     <SPSSODescriptor AuthnRequestsSigned WantAssertionsSigned>
//!       <KeyDescriptor/>* <SingleLogoutService/>* <NameIDFormat/>*
//!       <AssertionConsumerService Binding Location index isDefault/>+
//!       <AttributeConsumingService index isDefault>…
//! ```
//!
//! [`Metadata::from_bytes`] reads one entity into an owned, serializable
//! [`Metadata`]: roles, endpoints, certificates (with thumbprints and
//! validity), the [`MetadataKind`] (Entra tenant / application / `common`,
//! IAM Identity Center application or service provider, AWS sign-in), the
//! [`SignatureStatus`] and the findings. Inspection never stops at the first
//! problem; only input that is not metadata at all is an error.
//!
//! ```
//! use saml_inspect::metadata::{Metadata, MetadataOptions};
//! let now = chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap().to_utc();
//! let xml = br#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:amazon:webservices">
//!   <SPSSODescriptor WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
//!     <AssertionConsumerService index="1" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://signin.aws.amazon.com/saml"/>
//!   </SPSSODescriptor></EntityDescriptor>"#;
//! let md = Metadata::from_bytes(xml, &MetadataOptions::at(now)).unwrap();
//! assert_eq!(md.entity_id, "urn:amazon:webservices");
//! assert!(md.findings.iter().any(|f| f.code.as_str() == "metadata.unsigned"));
//! ```

pub mod aws;
pub mod entra;

use std::collections::BTreeSet;

use crate::xml::Node;
use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use crate::cert::{self, CertPolicy, CertificateInfo};
use crate::codes::Code;
use crate::dsig::{self, Policy, TrustedKey, TrustedKeys};
use crate::ns;
use crate::report::{Finding, Location, Severity};
use crate::xml::{self, element_text, is_saml_element, location_of};

pub use entra::{ApplicationService, ClaimType, SecurityTokenService};

/// The SAML 2.0 HTTP-POST binding.
pub const BINDING_HTTP_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
/// The SAML 2.0 HTTP-Redirect binding.
pub const BINDING_HTTP_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/// Most KeyDescriptors read from one role; the rest is reported and ignored
/// (IAM accepts at most 10 keys per provider; real documents carry 1-4).
const MAX_KEYS_PER_ROLE: usize = 64;
/// Most certificates read from one document (each is parsed and compared
/// with the others, so the count bounds the work).
const MAX_CERTIFICATES: usize = 256;

/// What the caller brings to a metadata inspection.
#[derive(Clone, Debug)]
pub struct MetadataOptions {
    /// The clock for `validUntil` and certificate validity (the library never reads the clock).
    pub now: DateTime<Utc>,
    /// The entity to read from an `EntitiesDescriptor`; `None` takes the
    /// only one, or the first with a finding naming the others.
    pub entity_id: Option<String>,
    /// Certificates that anchor the metadata signature. Empty: the signature
    /// is checked against the certificates the document carries and reported
    /// as "not anchored".
    pub trusted: TrustedKeys,
    /// The signature algorithm policy (SHA-1 and RSA-1024 are refused unless allowed).
    pub policy: Policy,
    /// When a certificate counts as expiring soon.
    pub cert_policy: CertPolicy,
    /// Parser limits.
    pub limits: xml::Limits,
}

impl MetadataOptions {
    /// Default options at the clock `now`: no trusted certificates, strict
    /// algorithm policy, 30 days for `cert.expiring_soon`.
    pub fn at(now: DateTime<Utc>) -> Self {
        MetadataOptions {
            now,
            entity_id: None,
            trusted: TrustedKeys::new(),
            policy: Policy::default(),
            cert_policy: CertPolicy::default(),
            limits: xml::Limits::default(),
        }
    }
}

/// Why an input could not be read as metadata at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// The XML parse refused the input.
    #[error(transparent)]
    Xml(#[from] xml::XmlError),
    /// The root is not a SAML metadata `EntityDescriptor` or `EntitiesDescriptor`.
    #[error(
        "the root element is {found} at {location}, not a SAML 2.0 metadata EntityDescriptor or EntitiesDescriptor"
    )]
    NotMetadata {
        /// The root's name, with its namespace.
        found: String,
        /// Where it starts.
        location: Location,
    },
    /// The EntitiesDescriptor holds no EntityDescriptor.
    #[error("the EntitiesDescriptor at {location} holds no EntityDescriptor")]
    NoEntity {
        /// Where the EntitiesDescriptor starts.
        location: Location,
    },
    /// The requested entityID is not in the document.
    #[error("no EntityDescriptor has entityID \"{entity_id}\"; the document has: {}", available.join(", "))]
    EntityNotFound {
        /// The entityID asked for.
        entity_id: String,
        /// The entityIDs present.
        available: Vec<String>,
    },
    /// The requested entityID appears more than once (an attacker can
    /// prepend a second descriptor with the same entityID).
    #[error("entityID \"{entity_id}\" appears at {first} and again at {location}")]
    AmbiguousEntity {
        /// The repeated entityID.
        entity_id: String,
        /// The first descriptor.
        first: Location,
        /// The second descriptor.
        location: Location,
    },
    /// The EntityDescriptor has no (or an empty) entityID.
    #[error("the EntityDescriptor at {location} has no entityID")]
    MissingEntityId {
        /// Where the EntityDescriptor starts.
        location: Location,
    },
}

impl MetadataError {
    /// The finding code for this error.
    pub fn code(&self) -> Code {
        match self {
            MetadataError::Xml(e) => e.code(),
            MetadataError::NotMetadata { .. } => Code::SamlNotSaml,
            MetadataError::NoEntity { .. }
            | MetadataError::EntityNotFound { .. }
            | MetadataError::AmbiguousEntity { .. }
            | MetadataError::MissingEntityId { .. } => Code::SamlStructure,
        }
    }

    /// Where in the input the problem is, when known.
    pub fn location(&self) -> Option<Location> {
        match self {
            MetadataError::Xml(e) => e.location(),
            MetadataError::NotMetadata { location, .. }
            | MetadataError::NoEntity { location }
            | MetadataError::AmbiguousEntity { location, .. }
            | MetadataError::MissingEntityId { location } => Some(*location),
            MetadataError::EntityNotFound { .. } => None,
        }
    }

    /// The error as a finding.
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.code(), self.to_string()).at(self.location())
    }
}

/// What a KeyDescriptor's key is for (`use` attribute; absent means both).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyUse {
    /// `use="signing"`.
    Signing,
    /// `use="encryption"`: never a signature verification key.
    Encryption,
    /// No `use`: the key serves both.
    Unspecified,
}

impl KeyUse {
    /// True for keys that may verify signatures (signing or unspecified).
    pub fn can_sign(self) -> bool {
        matches!(self, KeyUse::Signing | KeyUse::Unspecified)
    }
}

/// One `KeyDescriptor`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyDescriptor {
    /// What the key is for.
    #[serde(rename = "use")]
    pub key_use: KeyUse,
    /// The readable certificates of its `X509Data` (SHA-1 thumbprints; full facts are in [`Metadata::certificates`]).
    pub certificates: Vec<String>,
    /// Where the KeyDescriptor starts.
    pub location: Location,
}

/// A protocol endpoint (`SingleSignOnService`, `SingleLogoutService`, `AssertionConsumerService`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// The binding URI.
    pub binding: String,
    /// The URL.
    pub location: String,
    /// `ResponseLocation`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_location: Option<String>,
    /// `index` (indexed endpoints only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// `isDefault`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_default: Option<bool>,
    /// Where the element starts.
    pub at: Location,
}

impl Endpoint {
    /// The binding's short name (`HTTP-POST`, `HTTP-Redirect`, …).
    pub fn binding_name(&self) -> &str {
        self.binding
            .rsplit(':')
            .next()
            .unwrap_or(self.binding.as_str())
    }
}

/// One `RequestedAttribute` of an `AttributeConsumingService`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestedAttribute {
    /// `Name`.
    pub name: String,
    /// `FriendlyName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_name: Option<String>,
    /// `NameFormat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_format: Option<String>,
    /// `isRequired`.
    pub is_required: bool,
}

/// An `AttributeConsumingService` of a service provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttributeConsumingService {
    /// `index`.
    pub index: Option<u32>,
    /// `isDefault`.
    pub is_default: Option<bool>,
    /// The `ServiceName` texts.
    pub service_names: Vec<String>,
    /// The requested attributes.
    pub requested_attributes: Vec<RequestedAttribute>,
}

/// The `IDPSSODescriptor`: what a service provider needs to trust the IdP.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IdpSsoDescriptor {
    /// `WantAuthnRequestsSigned`.
    pub want_authn_requests_signed: Option<bool>,
    /// `protocolSupportEnumeration`, split on whitespace.
    pub protocol_support: Vec<String>,
    /// The KeyDescriptors.
    pub keys: Vec<KeyDescriptor>,
    /// `SingleSignOnService` endpoints.
    pub single_sign_on: Vec<Endpoint>,
    /// `SingleLogoutService` endpoints.
    pub single_logout: Vec<Endpoint>,
    /// Non-empty `NameIDFormat` values.
    pub name_id_formats: Vec<String>,
}

/// The `SPSSODescriptor`: where and how a service provider wants assertions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SpSsoDescriptor {
    /// `AuthnRequestsSigned`.
    pub authn_requests_signed: Option<bool>,
    /// `WantAssertionsSigned`.
    pub want_assertions_signed: Option<bool>,
    /// `protocolSupportEnumeration`, split on whitespace.
    pub protocol_support: Vec<String>,
    /// The KeyDescriptors.
    pub keys: Vec<KeyDescriptor>,
    /// `AssertionConsumerService` endpoints.
    pub assertion_consumer: Vec<Endpoint>,
    /// `SingleLogoutService` endpoints.
    pub single_logout: Vec<Endpoint>,
    /// Non-empty `NameIDFormat` values.
    pub name_id_formats: Vec<String>,
    /// `AttributeConsumingService` elements.
    pub attribute_consuming: Vec<AttributeConsumingService>,
}

impl SpSsoDescriptor {
    /// The default AssertionConsumerService: the one with `isDefault="true"`,
    /// else the first without `isDefault="false"`, else the first
    /// (saml-metadata-2.0-os §2.2.3).
    pub fn default_acs(&self) -> Option<&Endpoint> {
        let acs = &self.assertion_consumer;
        acs.iter()
            .find(|e| e.is_default == Some(true))
            .or_else(|| acs.iter().find(|e| e.is_default.is_none()))
            .or_else(|| acs.first())
    }
}

/// Which role of the entity a certificate appears in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// `IDPSSODescriptor`.
    Idp,
    /// `SPSSODescriptor`.
    Sp,
    /// Entra's WS-Fed `SecurityTokenServiceType` RoleDescriptor.
    SecurityTokenService,
    /// Entra's WS-Fed `ApplicationServiceType` RoleDescriptor.
    ApplicationService,
}

/// One distinct certificate of the entity, with where it is used and how healthy it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MetadataCertificate {
    /// The certificate's facts.
    #[serde(flatten)]
    pub info: CertificateInfo,
    /// Whole days left at the inspection's clock (negative once expired).
    pub days_left: i64,
    /// The roles that list it.
    pub roles: Vec<Role>,
    /// The uses it is listed with.
    pub uses: Vec<KeyUse>,
    /// True when this certificate's key verified the metadata signature.
    pub signed_metadata: bool,
}

/// What became of the metadata's own signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignatureStatus {
    /// No enveloped Signature on the metadata.
    Unsigned,
    /// The signature verifies with a certificate the document itself carries;
    /// nothing the caller trusts anchors it (it proves integrity, not origin).
    VerifiedNotAnchored {
        /// SHA-1 thumbprint of the certificate that verified it.
        sha1_thumbprint: String,
        /// Its subject.
        subject: String,
        /// True when the certificate is also one the metadata lists in a
        /// KeyDescriptor (Entra's case), false when only KeyInfo carries it.
        listed_in_metadata: bool,
    },
    /// The signature verifies with a certificate the caller trusts.
    VerifiedAnchored {
        /// SHA-1 thumbprint of the trusted certificate.
        sha1_thumbprint: String,
        /// Its subject.
        subject: String,
    },
    /// The signature does not verify (or does not meet the profile).
    Invalid {
        /// The verifier's finding code.
        code: Code,
        /// Why.
        reason: String,
    },
}

impl SignatureStatus {
    /// A short sentence for people.
    pub fn describe(&self) -> String {
        match self {
            SignatureStatus::Unsigned => "unsigned".into(),
            SignatureStatus::VerifiedNotAnchored {
                sha1_thumbprint, ..
            } => format!("verifies with the embedded certificate {sha1_thumbprint}, not anchored"),
            SignatureStatus::VerifiedAnchored {
                sha1_thumbprint, ..
            } => format!("verified and anchored (certificate {sha1_thumbprint})"),
            SignatureStatus::Invalid { reason, .. } => format!("invalid: {reason}"),
        }
    }
}

/// What kind of metadata document this is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MetadataKind {
    /// Entra ID tenant federation metadata (token-signing keys `CN=accounts.accesscontrol.windows.net`).
    EntraTenant {
        /// The tenant GUID from the entityID.
        tenant_id: String,
    },
    /// Entra ID per-application (`?appid=`) metadata: app-specific SAML
    /// certificates (`CN=Microsoft Azure Federated SSO Certificate`).
    EntraApplication {
        /// The tenant GUID from the entityID.
        tenant_id: String,
    },
    /// Entra's tenant-independent `common` metadata (entityID with a literal `{tenantid}`).
    EntraCommon,
    /// IAM Identity Center application (IdP) metadata.
    IdentityCenterApplication {
        /// The region from the portal host.
        region: String,
        /// The base64 id at the end of the entityID.
        id: String,
        /// The AWS account, decoded from the id (`<account>_ins-<instance>`).
        #[serde(skip_serializing_if = "Option::is_none")]
        account: Option<String>,
        /// The Identity Center instance (`ins-…`), decoded from the id.
        #[serde(skip_serializing_if = "Option::is_none")]
        instance: Option<String>,
    },
    /// IAM Identity Center as a service provider for an external IdP.
    IdentityCenterServiceProvider {
        /// The region of the sign-in host.
        region: String,
        /// The identity store / directory id (`d-` and 10 hex digits).
        directory_id: String,
        /// The UUID of the ACS URL, when the ACS has the expected shape.
        #[serde(skip_serializing_if = "Option::is_none")]
        acs_id: Option<String>,
    },
    /// AWS sign-in's own service provider metadata (`urn:amazon:webservices`).
    AwsSignIn,
    /// Any other SAML metadata.
    Generic,
}

impl MetadataKind {
    /// True for the two IAM Identity Center kinds (whose metadata is never signed).
    pub fn is_identity_center(&self) -> bool {
        matches!(
            self,
            MetadataKind::IdentityCenterApplication { .. }
                | MetadataKind::IdentityCenterServiceProvider { .. }
        )
    }

    /// A short name for people.
    pub fn describe(&self) -> String {
        match self {
            MetadataKind::EntraTenant { tenant_id } => {
                format!("Entra ID tenant metadata (tenant {tenant_id})")
            }
            MetadataKind::EntraApplication { tenant_id } => {
                format!("Entra ID application metadata (tenant {tenant_id})")
            }
            MetadataKind::EntraCommon => "Entra ID common (multi-tenant) metadata".into(),
            MetadataKind::IdentityCenterApplication {
                region,
                account,
                instance,
                ..
            } => format!(
                "IAM Identity Center application metadata (region {region}, account {}, instance {})",
                account.as_deref().unwrap_or("?"),
                instance.as_deref().unwrap_or("?")
            ),
            MetadataKind::IdentityCenterServiceProvider {
                region,
                directory_id,
                ..
            } => format!(
                "IAM Identity Center service provider metadata (region {region}, directory {directory_id})"
            ),
            MetadataKind::AwsSignIn => "AWS sign-in service provider metadata".into(),
            MetadataKind::Generic => "SAML 2.0 metadata".into(),
        }
    }
}

fn rfc3339_opt<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        None => s.serialize_none(),
    }
}

/// One entity's metadata, read and checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// The entityID (as written; compare exactly).
    pub entity_id: String,
    /// The EntityDescriptor's `ID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What kind of document this is.
    pub kind: MetadataKind,
    /// `validUntil`.
    #[serde(serialize_with = "rfc3339_opt")]
    pub valid_until: Option<DateTime<Utc>>,
    /// `cacheDuration` (xs:duration, as written).
    pub cache_duration: Option<String>,
    /// True when the input began with a UTF-8 byte-order mark.
    pub bom: bool,
    /// The roles the entity has, in the order read.
    pub roles: Vec<Role>,
    /// Every entityID in the document, when it is an `EntitiesDescriptor`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entities_in_document: Vec<String>,
    /// The identity provider role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp: Option<IdpSsoDescriptor>,
    /// The service provider role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sp: Option<SpSsoDescriptor>,
    /// Entra's WS-Fed security token service role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_token_service: Option<SecurityTokenService>,
    /// Entra's WS-Fed application service role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_service: Option<ApplicationService>,
    /// Elements that were skipped (unknown RoleDescriptors, Extensions, other roles).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
    /// Every distinct certificate of the entity.
    pub certificates: Vec<MetadataCertificate>,
    /// The metadata signature.
    pub signature: SignatureStatus,
    /// Everything noticed, in document order where possible.
    pub findings: Vec<Finding>,
}

/// A certificate occurrence while reading: which role and use, and the parse result.
struct CertSeen {
    role: Role,
    key_use: KeyUse,
    location: Location,
    info: CertificateInfo,
}

/// Collected while walking the entity.
#[derive(Default)]
struct Walk {
    certs: Vec<CertSeen>,
    findings: Vec<Finding>,
    skipped: Vec<String>,
}

impl Metadata {
    /// Parses bytes (a UTF-8 BOM is accepted and reported as `metadata.bom`)
    /// and reads one entity.
    pub fn from_bytes(bytes: &[u8], options: &MetadataOptions) -> Result<Metadata, MetadataError> {
        let doc = xml::parse_bytes(bytes, &options.limits)?;
        Self::from_document(&doc, options)
    }

    /// Reads one entity from an already parsed document.
    pub fn from_document(
        doc: &xml::Document<'_>,
        options: &MetadataOptions,
    ) -> Result<Metadata, MetadataError> {
        let root = doc.root_element();
        let mut findings = Vec::new();
        if doc.had_bom() {
            findings.push(
                Finding::new(
                    Code::MetadataBom,
                    "the metadata starts with a UTF-8 byte-order mark (EF BB BF): IAM refuses it with \"Could not parse metadata\"; strip the first three bytes before uploading",
                )
                .at(Location::new(1, 1)),
            );
        }
        let (entity, entities_in_document) = select_entity(root, options, &mut findings)?;
        let entity_id = entity
            .attribute("entityID")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(MetadataError::MissingEntityId {
                location: location_of(entity),
            })?
            .to_string();
        if entity.attribute("entityID") != Some(entity_id.as_str()) {
            findings.push(
                Finding::new(
                    Code::SamlStructure,
                    "the entityID has leading or trailing whitespace; issuers are compared exactly",
                )
                .severity(Severity::Warning)
                .at(location_of(entity)),
            );
        }

        let valid_until = read_valid_until(entity, root, &mut findings);
        let cache_duration = entity
            .attribute("cacheDuration")
            .or_else(|| root.attribute("cacheDuration"))
            .map(str::to_string);
        if let Some(until) = valid_until {
            if until < options.now {
                findings.push(
                    Finding::new(
                        Code::MetadataExpired,
                        format!(
                            "the metadata's validUntil {} has passed: fetch a fresh copy",
                            fmt_time(until)
                        ),
                    )
                    .at(location_of(entity))
                    .expected_found(format!("after {}", fmt_time(options.now)), fmt_time(until)),
                );
            }
        }

        let mut walk = Walk::default();
        let mut idp = None;
        let mut sp = None;
        let mut sts = None;
        let mut app = None;
        for child in entity.children().filter(|n| n.is_element()) {
            let name = child.tag_name().name();
            let in_md = child.tag_name().namespace() == Some(ns::SAML_METADATA);
            if is_saml_element(child, ns::XMLDSIG, "Signature") {
                continue;
            }
            if in_md && name == "IDPSSODescriptor" {
                if idp.is_some() {
                    walk.skip_because(child, "a second IDPSSODescriptor", "only the first is read");
                } else {
                    idp = Some(read_idp(child, &mut walk));
                }
            } else if in_md && name == "SPSSODescriptor" {
                if sp.is_some() {
                    walk.skip_because(child, "a second SPSSODescriptor", "only the first is read");
                } else {
                    sp = Some(read_sp(child, &mut walk));
                }
            } else if in_md && name == "RoleDescriptor" {
                match entra::role_type(child) {
                    Some(entra::WsFedRole::SecurityTokenService) if sts.is_none() => {
                        sts = Some(entra::read_sts(child, &mut walk));
                    }
                    Some(entra::WsFedRole::ApplicationService) if app.is_none() => {
                        app = Some(entra::read_application_service(child, &mut walk));
                    }
                    _ => walk.skip(
                        child,
                        &format!(
                            "RoleDescriptor of type {}",
                            child
                                .attribute((ns::XSI, "type"))
                                .unwrap_or("(no xsi:type)")
                        ),
                    ),
                }
            } else if in_md
                && matches!(
                    name,
                    "Extensions"
                        | "AttributeAuthorityDescriptor"
                        | "AuthnAuthorityDescriptor"
                        | "PDPDescriptor"
                        | "Organization"
                        | "ContactPerson"
                        | "AdditionalMetadataLocation"
                        | "AffiliationDescriptor"
                )
            {
                // Organization and ContactPerson are informational, not worth a finding.
                if !matches!(name, "Organization" | "ContactPerson") {
                    walk.skip(child, name);
                }
            } else {
                walk.skip(
                    child,
                    &format!(
                        "unknown element {{{}}}{name}",
                        child.tag_name().namespace().unwrap_or("")
                    ),
                );
            }
        }

        let kind = classify(&entity_id, &walk.certs, idp.as_ref(), sp.as_ref());

        // The metadata signature: the selected entity's own, else the root's.
        let (signature, verified_der) = check_signature(
            doc,
            entity,
            root,
            &walk.certs,
            &kind,
            options,
            &mut findings,
        );

        findings.append(&mut walk.findings);

        // Signing key presence for identity providers.
        if let Some(idp) = &idp {
            let signing = walk
                .certs
                .iter()
                .filter(|c| c.role == Role::Idp && c.key_use.can_sign())
                .count();
            if signing == 0 {
                let signing_kd = idp.keys.iter().any(|k| k.key_use.can_sign());
                let only_enc = idp.keys.iter().any(|k| k.key_use == KeyUse::Encryption);
                findings.push(
                    Finding::new(
                        Code::MetadataNoSigningKey,
                        if signing_kd {
                            "the IDPSSODescriptor's signing KeyDescriptors hold no readable certificate: no response from it can be verified"
                        } else if only_enc {
                            "the IDPSSODescriptor lists only encryption keys: no certificate can verify its responses"
                        } else {
                            "the IDPSSODescriptor lists no signing certificate: no response from it can be verified"
                        },
                    )
                    .at(entity
                        .children()
                        .find(|n| is_saml_element(*n, ns::SAML_METADATA, "IDPSSODescriptor"))
                        .map(location_of)),
                );
            }
        }

        let certificates = summarize_certificates(&walk.certs, verified_der.as_deref(), options);
        certificate_findings(&walk.certs, &certificates, options, &mut findings);
        endpoint_findings(
            idp.as_ref(),
            sp.as_ref(),
            sts.as_ref(),
            app.as_ref(),
            &mut findings,
        );

        let roles = [
            (sts.is_some(), Role::SecurityTokenService),
            (app.is_some(), Role::ApplicationService),
            (idp.is_some(), Role::Idp),
            (sp.is_some(), Role::Sp),
        ]
        .into_iter()
        .filter_map(|(present, role)| present.then_some(role))
        .collect();
        Ok(Metadata {
            roles,
            entity_id,
            id: entity.attribute("ID").map(str::to_string),
            kind,
            valid_until,
            cache_duration,
            bom: doc.had_bom(),
            entities_in_document,
            idp,
            sp,
            security_token_service: sts,
            application_service: app,
            skipped: walk.skipped,
            certificates,
            signature,
            findings,
        })
    }

    /// The keys that may verify this identity provider's responses: the
    /// signing and unspecified-use certificates of the IDPSSODescriptor, all
    /// of them during a rollover. Encryption-only keys are never included;
    /// certificates whose key cannot be used (unsupported type) are left out.
    ///
    /// Whether the metadata itself deserves trust is the caller's decision:
    /// look at [`Metadata::signature`] (anchored, or not) and at how the
    /// document was obtained.
    pub fn signing_keys(&self) -> TrustedKeys {
        let mut trust = TrustedKeys::new();
        let Some(idp) = &self.idp else {
            return trust;
        };
        for kd in idp.keys.iter().filter(|k| k.key_use.can_sign()) {
            for thumb in &kd.certificates {
                if let Some(c) = self
                    .certificates
                    .iter()
                    .find(|c| &c.info.sha1_thumbprint == thumb)
                {
                    if let Ok(key) = TrustedKey::from_der(&c.info.der) {
                        trust.push(key);
                    }
                }
            }
        }
        trust
    }

    /// The IdP role's signing (and unspecified-use) certificates.
    pub fn idp_signing_certificates(&self) -> Vec<&MetadataCertificate> {
        self.certificates
            .iter()
            .filter(|c| c.roles.contains(&Role::Idp) && c.uses.iter().any(|u| u.can_sign()))
            .collect()
    }

    /// True when some finding carries `code`.
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

impl Walk {
    fn skip(&mut self, node: Node<'_, '_>, what: &str) {
        self.skip_because(node, what, "not used for SAML web SSO");
    }

    fn skip_because(&mut self, node: Node<'_, '_>, what: &str, why: &str) {
        self.skipped.push(what.to_string());
        self.findings.push(
            Finding::new(Code::MetadataSkipped, format!("skipped {what}: {why}"))
                .at(location_of(node)),
        );
    }
}

fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The entity to read, and every entityID when the root is an EntitiesDescriptor.
fn select_entity<'a, 'input>(
    root: Node<'a, 'input>,
    options: &MetadataOptions,
    findings: &mut Vec<Finding>,
) -> Result<(Node<'a, 'input>, Vec<String>), MetadataError> {
    if is_saml_element(root, ns::SAML_METADATA, "EntityDescriptor") {
        if let Some(wanted) = &options.entity_id {
            let found = root.attribute("entityID").unwrap_or("");
            if found != wanted {
                return Err(MetadataError::EntityNotFound {
                    entity_id: wanted.clone(),
                    available: vec![found.to_string()],
                });
            }
        }
        return Ok((root, Vec::new()));
    }
    if !is_saml_element(root, ns::SAML_METADATA, "EntitiesDescriptor") {
        return Err(MetadataError::NotMetadata {
            found: format!(
                "{{{}}}{}",
                root.tag_name().namespace().unwrap_or(""),
                root.tag_name().name()
            ),
            location: location_of(root),
        });
    }
    // Only EntityDescriptors reached through EntitiesDescriptors count: one
    // hidden in Extensions or elsewhere is not part of the document's list.
    let mut entities = Vec::new();
    let mut stack = vec![root];
    while let Some(group) = stack.pop() {
        for child in group.children().filter(|n| n.is_element()) {
            if is_saml_element(child, ns::SAML_METADATA, "EntityDescriptor") {
                entities.push(child);
            } else if is_saml_element(child, ns::SAML_METADATA, "EntitiesDescriptor") {
                stack.push(child);
            }
        }
    }
    entities.sort_by_key(|n| n.range().start);
    let ids: Vec<String> = entities
        .iter()
        .map(|e| e.attribute("entityID").unwrap_or("").to_string())
        .collect();
    let Some(&first) = entities.first() else {
        return Err(MetadataError::NoEntity {
            location: location_of(root),
        });
    };
    let chosen = match &options.entity_id {
        Some(wanted) => {
            let mut matching = entities
                .iter()
                .filter(|e| e.attribute("entityID") == Some(wanted.as_str()));
            let Some(&hit) = matching.next() else {
                return Err(MetadataError::EntityNotFound {
                    entity_id: wanted.clone(),
                    available: ids,
                });
            };
            if let Some(&again) = matching.next() {
                return Err(MetadataError::AmbiguousEntity {
                    entity_id: wanted.clone(),
                    first: location_of(hit),
                    location: location_of(again),
                });
            }
            hit
        }
        None => {
            if entities.len() > 1 {
                findings.push(
                    Finding::new(
                        Code::SamlStructure,
                        format!(
                            "the EntitiesDescriptor holds {} entities; showing the first, \"{}\"; choose another by entityID ({})",
                            entities.len(),
                            first.attribute("entityID").unwrap_or(""),
                            ids.join(", ")
                        ),
                    )
                    .severity(Severity::Info)
                    .at(location_of(root)),
                );
            }
            first
        }
    };
    Ok((chosen, ids))
}

fn read_valid_until(
    entity: Node<'_, '_>,
    root: Node<'_, '_>,
    findings: &mut Vec<Finding>,
) -> Option<DateTime<Utc>> {
    // The entity's own validUntil, or the enclosing document's, whichever is earlier.
    let mut earliest: Option<DateTime<Utc>> = None;
    for node in [entity, root] {
        let Some(raw) = node.attribute("validUntil") else {
            continue;
        };
        match DateTime::parse_from_rfc3339(raw.trim()) {
            Ok(t) => {
                let t = t.to_utc();
                earliest = Some(earliest.map_or(t, |e| e.min(t)));
            }
            Err(e) => findings.push(
                Finding::new(
                    Code::SamlTimestampInvalid,
                    format!("validUntil \"{raw}\" is not an xs:dateTime ({e})"),
                )
                .at(location_of(node)),
            ),
        }
        if node == root {
            break;
        }
    }
    earliest
}

fn parse_bool(v: Option<&str>) -> Option<bool> {
    match v.map(str::trim) {
        Some("true") | Some("1") => Some(true),
        Some("false") | Some("0") => Some(false),
        _ => None,
    }
}

fn md_children<'a, 'input>(
    node: Node<'a, 'input>,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children()
        .filter(move |n| is_saml_element(*n, ns::SAML_METADATA, local))
}

fn read_endpoint(node: Node<'_, '_>, walk: &mut Walk) -> Endpoint {
    let binding = node.attribute("Binding").unwrap_or("").trim().to_string();
    let location = node.attribute("Location").unwrap_or("").trim().to_string();
    if binding.is_empty() || location.is_empty() {
        walk.findings.push(
            Finding::new(
                Code::SamlStructure,
                format!("{} without a Binding or Location", node.tag_name().name()),
            )
            .at(location_of(node)),
        );
    }
    Endpoint {
        binding,
        location,
        response_location: node.attribute("ResponseLocation").map(str::to_string),
        index: node.attribute("index").and_then(|v| v.trim().parse().ok()),
        is_default: parse_bool(node.attribute("isDefault")),
        at: location_of(node),
    }
}

fn read_name_id_formats(role: Node<'_, '_>, walk: &mut Walk) -> Vec<String> {
    let mut out = Vec::new();
    for n in md_children(role, "NameIDFormat") {
        let value = element_text(n).map(|t| t.trim().to_string());
        match value {
            Some(v) if !v.is_empty() => out.push(v),
            _ => walk.findings.push(
                Finding::new(
                    Code::SamlStructure,
                    "an empty NameIDFormat element (Identity Center writes <md:NameIDFormat/>): no format is announced",
                )
                .severity(Severity::Info)
                .at(location_of(n)),
            ),
        }
    }
    out
}

/// The certificates of every KeyDescriptor of a role.
fn read_keys(role_node: Node<'_, '_>, role: Role, walk: &mut Walk) -> Vec<KeyDescriptor> {
    let mut out = Vec::new();
    for (i, kd) in md_children(role_node, "KeyDescriptor").enumerate() {
        if i >= MAX_KEYS_PER_ROLE {
            walk.skip_because(
                kd,
                "KeyDescriptors beyond the 64th",
                "the rest of the role is ignored to bound the work",
            );
            break;
        }
        let key_use = match kd.attribute("use").map(str::trim) {
            Some("signing") => KeyUse::Signing,
            Some("encryption") => KeyUse::Encryption,
            None => KeyUse::Unspecified,
            Some(other) => {
                walk.findings.push(
                    Finding::new(
                        Code::SamlStructure,
                        format!("KeyDescriptor use=\"{other}\" is neither signing nor encryption; the key is ignored"),
                    )
                    .at(location_of(kd)),
                );
                continue;
            }
        };
        let mut thumbs = Vec::new();
        // KeyInfo/X509Data/X509Certificate, in the dsig namespace.
        let certs = kd
            .children()
            .filter(|n| is_saml_element(*n, ns::XMLDSIG, "KeyInfo"))
            .flat_map(|ki| {
                ki.children()
                    .filter(|n| is_saml_element(*n, ns::XMLDSIG, "X509Data"))
            })
            .flat_map(|xd| {
                xd.children()
                    .filter(|n| is_saml_element(*n, ns::XMLDSIG, "X509Certificate"))
            });
        for c in certs {
            if walk.certs.len() >= MAX_CERTIFICATES {
                walk.skip_because(
                    c,
                    "certificates beyond the 256th of the document",
                    "the rest are ignored to bound the work",
                );
                break;
            }
            let text = element_text(c).unwrap_or_default();
            if looks_like_encoded_pem(&text) {
                walk.findings.push(
                    Finding::new(
                        Code::CertInvalid,
                        "the X509Certificate holds base64 of a whole PEM text (BEGIN CERTIFICATE lines included), i.e. the certificate is encoded twice; it must be the base64 of the DER only",
                    )
                    .at(location_of(c)),
                );
                continue;
            }
            match CertificateInfo::from_base64(&text) {
                Ok(info) => {
                    thumbs.push(info.sha1_thumbprint.clone());
                    walk.certs.push(CertSeen {
                        role,
                        key_use,
                        location: location_of(c),
                        info,
                    });
                }
                Err(e) => walk.findings.push(
                    Finding::new(
                        Code::CertInvalid,
                        format!("the X509Certificate cannot be read: {e}"),
                    )
                    .at(location_of(c)),
                ),
            }
        }
        out.push(KeyDescriptor {
            key_use,
            certificates: thumbs,
            location: location_of(kd),
        });
    }
    out
}

/// True when base64 text decodes to a PEM text (a common double-encoding mistake).
fn looks_like_encoded_pem(text: &str) -> bool {
    // "-----BEGIN" in base64 starts with "LS0tLS1CRUdJT".
    text.trim_start().starts_with("LS0tLS1CRUdJT")
}

fn protocol_support(node: Node<'_, '_>) -> Vec<String> {
    node.attribute("protocolSupportEnumeration")
        .unwrap_or("")
        .split_ascii_whitespace()
        .map(str::to_string)
        .collect()
}

fn read_idp(node: Node<'_, '_>, walk: &mut Walk) -> IdpSsoDescriptor {
    skip_extensions(node, walk);
    let idp = IdpSsoDescriptor {
        want_authn_requests_signed: parse_bool(node.attribute("WantAuthnRequestsSigned")),
        protocol_support: protocol_support(node),
        keys: read_keys(node, Role::Idp, walk),
        single_sign_on: md_children(node, "SingleSignOnService")
            .map(|n| read_endpoint(n, walk))
            .collect(),
        single_logout: md_children(node, "SingleLogoutService")
            .map(|n| read_endpoint(n, walk))
            .collect(),
        name_id_formats: read_name_id_formats(node, walk),
    };
    if idp.single_sign_on.is_empty() {
        walk.findings.push(
            Finding::new(
                Code::SamlStructure,
                "the IDPSSODescriptor has no SingleSignOnService",
            )
            .at(location_of(node)),
        );
    }
    idp
}

fn read_sp(node: Node<'_, '_>, walk: &mut Walk) -> SpSsoDescriptor {
    skip_extensions(node, walk);
    let sp = SpSsoDescriptor {
        authn_requests_signed: parse_bool(node.attribute("AuthnRequestsSigned")),
        want_assertions_signed: parse_bool(node.attribute("WantAssertionsSigned")),
        protocol_support: protocol_support(node),
        keys: read_keys(node, Role::Sp, walk),
        assertion_consumer: md_children(node, "AssertionConsumerService")
            .map(|n| read_endpoint(n, walk))
            .collect(),
        single_logout: md_children(node, "SingleLogoutService")
            .map(|n| read_endpoint(n, walk))
            .collect(),
        name_id_formats: read_name_id_formats(node, walk),
        attribute_consuming: md_children(node, "AttributeConsumingService")
            .map(read_attribute_consuming)
            .collect(),
    };
    if sp.assertion_consumer.is_empty() {
        walk.findings.push(
            Finding::new(
                Code::SamlStructure,
                "the SPSSODescriptor has no AssertionConsumerService",
            )
            .at(location_of(node)),
        );
    }
    sp
}

fn skip_extensions(role: Node<'_, '_>, walk: &mut Walk) {
    for ext in md_children(role, "Extensions") {
        walk.skip(ext, &format!("Extensions of {}", role.tag_name().name()));
    }
}

fn read_attribute_consuming(node: Node<'_, '_>) -> AttributeConsumingService {
    AttributeConsumingService {
        index: node.attribute("index").and_then(|v| v.trim().parse().ok()),
        is_default: parse_bool(node.attribute("isDefault")),
        service_names: md_children(node, "ServiceName")
            .filter_map(|n| element_text(n).map(|t| t.trim().to_string()))
            .collect(),
        requested_attributes: md_children(node, "RequestedAttribute")
            .map(|n| RequestedAttribute {
                name: n.attribute("Name").unwrap_or("").to_string(),
                friendly_name: n.attribute("FriendlyName").map(str::to_string),
                name_format: n.attribute("NameFormat").map(str::to_string),
                is_required: parse_bool(n.attribute("isRequired")).unwrap_or(false),
            })
            .collect(),
    }
}

fn classify(
    entity_id: &str,
    certs: &[CertSeen],
    idp: Option<&IdpSsoDescriptor>,
    sp: Option<&SpSsoDescriptor>,
) -> MetadataKind {
    if let Some(kind) = entra::classify(entity_id, certs.iter().map(|c| &c.info)) {
        return kind;
    }
    if let Some(kind) = aws::classify(entity_id, idp, sp) {
        return kind;
    }
    MetadataKind::Generic
}

/// Certificates found inside the Signature's KeyInfo (hints only).
fn keyinfo_certificates(signature: Node<'_, '_>) -> Vec<Vec<u8>> {
    signature
        .children()
        .filter(|n| is_saml_element(*n, ns::XMLDSIG, "KeyInfo"))
        .flat_map(|ki| ki.descendants())
        .filter(|n| is_saml_element(*n, ns::XMLDSIG, "X509Certificate"))
        .filter_map(|n| element_text(n).and_then(|t| cert::decode_base64_ws(&t).ok()))
        .collect()
}

/// Verifies the metadata's enveloped signature; returns its status and the
/// DER of the certificate that verified it.
fn check_signature(
    doc: &xml::Document<'_>,
    entity: Node<'_, '_>,
    root: Node<'_, '_>,
    certs: &[CertSeen],
    kind: &MetadataKind,
    options: &MetadataOptions,
    findings: &mut Vec<Finding>,
) -> (SignatureStatus, Option<Vec<u8>>) {
    let has_sig = |n: Node<'_, '_>| {
        n.children()
            .any(|c| is_saml_element(c, ns::XMLDSIG, "Signature"))
    };
    // A role may carry its own Signature (the schema allows it on every
    // RoleDescriptor); it then covers that role only.
    let signed_role = entity
        .children()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(ns::SAML_METADATA))
        .find(|n| has_sig(*n));
    let signed = if has_sig(entity) {
        entity
    } else if root != entity && has_sig(root) {
        root
    } else if let Some(role) = signed_role {
        findings.push(
            Finding::new(
                Code::MetadataUnsigned,
                format!(
                    "the EntityDescriptor itself is unsigned; only its {} carries a Signature, which covers that role alone",
                    role.tag_name().name()
                ),
            )
            .at(location_of(entity)),
        );
        role
    } else {
        let (severity, why) = if kind.is_identity_center() {
            (
                Severity::Info,
                "the metadata is unsigned (IAM Identity Center never signs its metadata): make sure the copy came from the console over HTTPS",
            )
        } else {
            (
                Severity::Warning,
                "the metadata is unsigned: its certificates are only as trustworthy as the channel it came over",
            )
        };
        findings.push(
            Finding::new(Code::MetadataUnsigned, why)
                .severity(severity)
                .at(location_of(entity)),
        );
        return (SignatureStatus::Unsigned, None);
    };

    let anchored = !options.trusted.is_empty();
    let trust = if anchored {
        options.trusted.clone()
    } else {
        // Not anchored: the document's own certificates (and those of KeyInfo)
        // show whether it is intact and who signed it, never that it is genuine.
        let mut t = TrustedKeys::new();
        for c in certs {
            if let Ok(k) = TrustedKey::from_der(&c.info.der) {
                t.push(k);
            }
        }
        let sig = signed
            .children()
            .find(|c| is_saml_element(*c, ns::XMLDSIG, "Signature"));
        if let Some(sig) = sig {
            for der in keyinfo_certificates(sig) {
                if let Ok(k) = TrustedKey::from_der(&der) {
                    t.push(k);
                }
            }
        }
        t
    };
    match dsig::verify_element(doc, signed, &trust, &options.policy) {
        Ok(v) => {
            let key = v.key();
            let der = key.certificate_der().to_vec();
            let thumb = CertificateInfo::from_der(&der)
                .map(|i| i.sha1_thumbprint)
                .unwrap_or_else(|_| key.sha1_thumbprint().to_string());
            let subject = key.subject().to_string();
            let at = location_of(v.signature());
            if anchored {
                findings.push(
                    Finding::new(
                        Code::SignatureVerified,
                        format!(
                            "the metadata signature is verified and anchored: certificate {thumb} ({subject}) is trusted"
                        ),
                    )
                    .at(at),
                );
                (
                    SignatureStatus::VerifiedAnchored {
                        sha1_thumbprint: thumb,
                        subject,
                    },
                    Some(der),
                )
            } else {
                let listed = certs.iter().any(|c| c.info.der == der);
                findings.push(
                    Finding::new(
                        Code::MetadataSignatureNotAnchored,
                        format!(
                            "the metadata signature verifies with the embedded certificate {thumb} ({subject}){}, not anchored: supply a trusted certificate to anchor it",
                            if listed { "" } else { ", which no KeyDescriptor lists" }
                        ),
                    )
                    .at(at),
                );
                (
                    SignatureStatus::VerifiedNotAnchored {
                        sha1_thumbprint: thumb,
                        subject,
                        listed_in_metadata: listed,
                    },
                    Some(der),
                )
            }
        }
        Err(e) => {
            let reason = e.to_string();
            let mut f = Finding::new(
                Code::MetadataSignatureInvalid,
                format!("the metadata signature does not verify: {reason}"),
            )
            .at(e.location());
            let detail = e.to_finding();
            if let (Some(exp), Some(found)) = (detail.expected, detail.found) {
                f = f.expected_found(exp, found);
            }
            findings.push(f);
            (
                SignatureStatus::Invalid {
                    code: e.code(),
                    reason,
                },
                None,
            )
        }
    }
}

fn summarize_certificates(
    certs: &[CertSeen],
    verified_der: Option<&[u8]>,
    options: &MetadataOptions,
) -> Vec<MetadataCertificate> {
    let mut out: Vec<MetadataCertificate> = Vec::new();
    for c in certs {
        if let Some(existing) = out.iter_mut().find(|m| m.info.der == c.info.der) {
            if !existing.roles.contains(&c.role) {
                existing.roles.push(c.role);
            }
            if !existing.uses.contains(&c.key_use) {
                existing.uses.push(c.key_use);
            }
            continue;
        }
        out.push(MetadataCertificate {
            days_left: c.info.days_left(options.now),
            roles: vec![c.role],
            uses: vec![c.key_use],
            signed_metadata: verified_der == Some(c.info.der.as_slice()),
            info: c.info.clone(),
        });
    }
    out
}

fn certificate_findings(
    certs: &[CertSeen],
    distinct: &[MetadataCertificate],
    options: &MetadataOptions,
    findings: &mut Vec<Finding>,
) {
    // Health of each distinct certificate, once.
    for m in distinct {
        let at = certs
            .iter()
            .find(|c| c.info.der == m.info.der)
            .map(|c| c.location);
        for f in cert::check(&m.info, options.now, &options.cert_policy) {
            findings.push(f.at(at));
        }
    }
    // The same certificate twice in one role with the same use. (Entra
    // repeats its certificates across its three roles; that is normal.)
    let mut seen: BTreeSet<(Role, KeyUse, &str)> = BTreeSet::new();
    for c in certs {
        if !seen.insert((c.role, c.key_use, c.info.sha1_thumbprint.as_str())) {
            findings.push(
                Finding::new(
                    Code::CertDuplicate,
                    format!(
                        "certificate {} is listed more than once as a {:?} key of the {:?} role",
                        c.info.sha1_thumbprint, c.key_use, c.role
                    ),
                )
                .at(c.location),
            );
        }
    }
    // Rollover: several distinct signing certificates in the role that signs
    // responses (the IdP role, else the first role that has any).
    for role in [
        Role::Idp,
        Role::SecurityTokenService,
        Role::ApplicationService,
        Role::Sp,
    ] {
        let signing: Vec<&MetadataCertificate> = distinct
            .iter()
            .filter(|m| m.roles.contains(&role) && m.uses.iter().any(|u| u.can_sign()))
            .collect();
        if signing.is_empty() {
            continue;
        }
        if signing.len() > 1 {
            let latest = signing.iter().map(|m| m.info.not_before).max();
            let newest_all: Vec<String> = signing
                .iter()
                .filter(|m| Some(m.info.not_before) == latest)
                .map(|m| m.info.sha1_thumbprint.clone())
                .collect();
            let newest = newest_all.join(" and ");
            let signer = signing
                .iter()
                .find(|m| m.signed_metadata)
                .map(|m| m.info.sha1_thumbprint.clone());
            let list = signing
                .iter()
                .map(|m| {
                    format!(
                        "{} ({} to {})",
                        m.info.sha1_thumbprint,
                        fmt_time(m.info.not_before),
                        fmt_time(m.info.not_after)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let signer_text = match &signer {
                Some(s) if newest_all.len() == 1 && newest_all.contains(s) => {
                    "the newest one signed the metadata".to_string()
                }
                Some(s) if newest_all.contains(s) => format!("the metadata was signed by {s}"),
                Some(s) => format!("the metadata was signed by {s}, not by the newest"),
                None => "no verified signature says which one is active".to_string(),
            };
            findings.push(Finding::new(
                Code::CertRollover,
                format!(
                    "{} signing certificates in the {role:?} role (a rollover): {list}; newest: {newest}; {signer_text}. Accept all of them until the old one is removed",
                    signing.len()
                ),
            ));
        }
        break;
    }
}

fn endpoint_findings(
    idp: Option<&IdpSsoDescriptor>,
    sp: Option<&SpSsoDescriptor>,
    sts: Option<&SecurityTokenService>,
    app: Option<&ApplicationService>,
    findings: &mut Vec<Finding>,
) {
    let mut endpoints: Vec<(&str, &str, Option<Location>)> = Vec::new();
    if let Some(idp) = idp {
        for e in idp.single_sign_on.iter().chain(&idp.single_logout) {
            endpoints.push(("IdP endpoint", e.location.as_str(), Some(e.at)));
        }
    }
    if let Some(sp) = sp {
        for e in sp.assertion_consumer.iter().chain(&sp.single_logout) {
            endpoints.push(("SP endpoint", e.location.as_str(), Some(e.at)));
        }
    }
    if let Some(sts) = sts {
        for u in sts
            .passive_requestor_endpoints
            .iter()
            .chain(&sts.security_token_service_endpoints)
        {
            endpoints.push(("WS-Federation endpoint", u.as_str(), None));
        }
    }
    if let Some(app) = app {
        for u in app
            .passive_requestor_endpoints
            .iter()
            .chain(&app.application_service_endpoints)
        {
            endpoints.push(("WS-Federation endpoint", u.as_str(), None));
        }
    }
    for (what, url, at) in endpoints {
        // `get` rather than slicing: byte 7 need not be a character boundary.
        if url
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
        {
            findings.push(
                Finding::new(
                    Code::MetadataHttpEndpoint,
                    format!("{what} {url} uses plain http: assertions would travel unencrypted"),
                )
                .at(at),
            );
        }
    }
}

/// Compares two metadata documents that must agree.
///
/// - Two identity-provider documents (Identity Center application metadata
///   and the copy uploaded to an IAM SAML provider; or two downloads of an
///   Entra app's metadata): the same entityID and the same signing certificates.
/// - An identity provider and a service provider (Entra application metadata
///   and Identity Center's SP metadata): the SP must take responses over
///   HTTP-POST, the IdP must offer a binding the SP can send requests with,
///   and an Identity Center ACS must be in the entityID's region.
///
/// Each disagreement is a `flow.metadata_mismatch` with expected and found values.
pub fn check_pair(a: &Metadata, b: &Metadata) -> Vec<Finding> {
    let mut out = Vec::new();
    match (&a.idp, &b.idp, &a.sp, &b.sp) {
        (Some(_), Some(_), _, _) => compare_idps(a, b, &mut out),
        (Some(_), None, _, Some(_)) => compare_idp_sp(a, b, &mut out),
        (None, Some(_), Some(_), _) => compare_idp_sp(b, a, &mut out),
        _ => {
            if a.entity_id != b.entity_id {
                out.push(mismatch(
                    "the two documents name different entities",
                    &a.entity_id,
                    &b.entity_id,
                ));
            }
        }
    }
    out
}

fn mismatch(what: &str, expected: &str, found: &str) -> Finding {
    Finding::new(Code::FlowMetadataMismatch, what.to_string()).expected_found(expected, found)
}

fn compare_idps(a: &Metadata, b: &Metadata, out: &mut Vec<Finding>) {
    if a.entity_id != b.entity_id {
        out.push(mismatch(
            "the identity provider entityIDs differ: responses are issued as the first, the second expects the other (IAM: \"Issuer not present in specified provider\")",
            &a.entity_id,
            &b.entity_id,
        ));
    }
    let thumbs = |m: &Metadata| -> BTreeSet<String> {
        m.idp_signing_certificates()
            .iter()
            .map(|c| c.info.sha1_thumbprint.clone())
            .collect()
    };
    let (ta, tb) = (thumbs(a), thumbs(b));
    if ta != tb {
        let join = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
        let missing: Vec<&String> = ta.difference(&tb).collect();
        let what = if missing.is_empty() {
            "the second copy lists signing certificates the first does not".to_string()
        } else {
            format!(
                "the second copy lacks signing certificate(s) {}: responses signed with them will fail (\"Response signature invalid\"); update the uploaded metadata",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push(mismatch(&what, &join(&ta), &join(&tb)));
    }
}

fn compare_idp_sp(idp_md: &Metadata, sp_md: &Metadata, out: &mut Vec<Finding>) {
    let (Some(idp), Some(sp)) = (&idp_md.idp, &sp_md.sp) else {
        return;
    };
    if idp_md.entity_id == sp_md.entity_id {
        out.push(mismatch(
            "the identity provider and the service provider have the same entityID",
            "two different entityIDs",
            &sp_md.entity_id,
        ));
    }
    // Entra (and most IdPs) answer over HTTP-POST only.
    let post_acs = sp
        .assertion_consumer
        .iter()
        .any(|e| e.binding == BINDING_HTTP_POST);
    if !post_acs {
        let found = sp
            .assertion_consumer
            .iter()
            .map(|e| e.binding_name().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        out.push(mismatch(
            "the service provider has no HTTP-POST AssertionConsumerService, the binding the identity provider answers with",
            "HTTP-POST",
            if found.is_empty() { "none" } else { &found },
        ));
    }
    let sso_bindings: BTreeSet<&str> = idp
        .single_sign_on
        .iter()
        .map(|e| e.binding.as_str())
        .collect();
    if !sso_bindings.contains(BINDING_HTTP_REDIRECT) && !sso_bindings.contains(BINDING_HTTP_POST) {
        out.push(mismatch(
            "the identity provider offers no HTTP-Redirect or HTTP-POST SingleSignOnService for the service provider's requests",
            "HTTP-Redirect or HTTP-POST",
            &sso_bindings.iter().copied().collect::<Vec<_>>().join(", "),
        ));
    }
    if let MetadataKind::IdentityCenterServiceProvider { region, .. } = &sp_md.kind {
        for acs in &sp.assertion_consumer {
            match aws::identity_center_acs(&acs.location) {
                Some((acs_region, _)) if acs_region != *region => out.push(mismatch(
                    "the Identity Center ACS URL is in another region than its entityID",
                    region,
                    &acs_region,
                )),
                None => out.push(mismatch(
                    "the Identity Center ACS URL does not have the https://<region>.signin.aws.amazon.com/platform/saml/acs/<uuid> shape",
                    &format!("https://{region}.signin.aws.amazon.com/platform/saml/acs/<uuid>"),
                    &acs.location,
                )),
                _ => {}
            }
        }
    }
    // Identity Center requires an email-format NameID from the IdP.
    if !idp.name_id_formats.is_empty() && !sp.name_id_formats.is_empty() {
        let common = sp
            .name_id_formats
            .iter()
            .any(|f| idp.name_id_formats.contains(f));
        if !common {
            out.push(mismatch(
                "the identity provider announces none of the NameID formats the service provider asks for",
                &sp.name_id_formats.join(", "),
                &idp.name_id_formats.join(", "),
            ));
        }
    }
}

//! `metadata`: what a SAML metadata document says (entity, roles,
//! endpoints, certificates, signature) and what is wrong with it, optionally
//! compared with a second document that must agree with it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use saml_inspect::cert::CertPolicy;
use saml_inspect::dsig::TrustedKeys;
use saml_inspect::metadata::{
    Endpoint, Metadata, MetadataKind, MetadataOptions, Role, SignatureStatus, check_pair,
};
use saml_inspect::{Finding, Severity};
use serde::Serialize;

use crate::cmd_cert::{appearances_of, role_name, use_name};
use crate::render::{self, Format, Section, Style};
use crate::{Outcome, clock, fail, fail_io, input};

/// Largest certificate file read for `--cert` (a PEM bundle of a few dozen certificates).
const MAX_CERT_FILE: usize = 1024 * 1024;

/// What the command was asked.
pub struct MetadataArgs {
    /// The metadata document.
    pub path: PathBuf,
    /// The entity to read from an EntitiesDescriptor.
    pub entity_id: Option<String>,
    /// Certificates that anchor the metadata signature.
    pub certs: Vec<PathBuf>,
    /// The clock (`None`: now).
    pub now: Option<DateTime<Utc>>,
    /// A second document to compare with.
    pub peer: Option<PathBuf>,
    /// Days under which a certificate is "expiring soon".
    pub expiring_days: i64,
}

/// One endpoint of any role, flattened for programs.
#[derive(Serialize)]
struct FlatEndpoint<'a> {
    role: Role,
    service: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    binding: Option<&'a str>,
    location: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_default: Option<bool>,
}

pub fn run(args: &MetadataArgs, format: Format) -> Outcome {
    let now = clock::now_or_clock(args.now);
    let mut options = MetadataOptions::at(now);
    options.cert_policy = CertPolicy {
        expiring_soon_days: args.expiring_days,
    };
    let mut trusted = TrustedKeys::new();
    for path in &args.certs {
        let bytes = match input::read_input(path, MAX_CERT_FILE) {
            Ok(b) => b,
            Err(e) => return fail_io(format, e),
        };
        match TrustedKeys::from_certificate_bytes(&bytes) {
            Ok(keys) => trusted.extend(keys),
            Err(e) => {
                let mut f = e.to_finding();
                f.message = format!("{}: {}", path.display(), f.message);
                return fail(format, f);
            }
        }
    }
    // The peer is read with the same clock and thresholds but checked only
    // against its own certificates: the trusted certificates anchor FILE.
    let peer_options = options.clone();
    options.trusted = trusted;
    options.entity_id = args.entity_id.clone();

    let md = match load(&args.path, &options, format) {
        Ok(md) => md,
        Err(outcome) => return outcome,
    };
    let peer = match &args.peer {
        Some(path) => match load(path, &peer_options, format) {
            Ok(p) => Some(p),
            Err(outcome) => return outcome,
        },
        None => None,
    };
    let pair = peer
        .as_ref()
        .map(|p| check_pair(&md, p))
        .unwrap_or_default();
    let mut findings = md.findings.clone();
    findings.extend(pair.iter().cloned());

    let is_error = |f: &Finding| f.severity == Severity::Error;
    let ok = !findings.iter().any(is_error)
        && !peer
            .as_ref()
            .is_some_and(|p| p.findings.iter().any(is_error));

    match format {
        Format::Json => {
            let mut value = match serde_json::to_value(&md) {
                Ok(v) => v,
                Err(e) => return fail_io(format, format!("cannot serialize the metadata: {e}")),
            };
            if let Some(object) = value.as_object_mut() {
                object.insert(
                    "now".into(),
                    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        .into(),
                );
                object.insert("endpoints".into(), serde_json::json!(endpoints(&md)));
                object.insert("findings".into(), serde_json::json!(findings));
                if let Some(p) = &peer {
                    object.insert("peer".into(), serde_json::json!(p));
                    object.insert(
                        "pair".into(),
                        serde_json::json!({
                            "entity_id": md.entity_id,
                            "peer_entity_id": p.entity_id,
                            "agree": pair.is_empty(),
                        }),
                    );
                }
            }
            render::emit_json(&value);
        }
        Format::Text => {
            let style = Style::detect();
            let mut out =
                render::verdict_line(style, ok, &format!("metadata {}", md.entity_id), &findings);
            entity_section(&md, now).render(style, &mut out);
            for section in role_sections(&md) {
                section.render(style, &mut out);
            }
            let total = md.certificates.len();
            for (i, c) in md.certificates.iter().enumerate() {
                let mut s = Section::new(format!("Certificate {} of {total}", i + 1));
                let uses: Vec<String> = appearances_of(&md, &c.info.sha1_thumbprint)
                    .iter()
                    .map(|a| format!("{} {}", role_name(a.role), use_name(a.key_use)))
                    .collect();
                s.row("subject", c.info.subject.as_str())
                    .row("use", uses.join("\n"))
                    .row("SHA-1", c.info.sha1_thumbprint.as_str())
                    .row("SHA-256", c.info.sha256_thumbprint.as_str())
                    .row(
                        "valid",
                        format!(
                            "{} to {} ({})",
                            clock::show(c.info.not_before),
                            clock::show(c.info.not_after),
                            clock::validity_note(c.info.not_before, c.info.not_after, now)
                        ),
                    );
                if c.signed_metadata {
                    s.row("signed", "this certificate signed the metadata");
                }
                s.render(style, &mut out);
            }
            signature_section(&md.signature, !options.trusted.is_empty()).render(style, &mut out);
            if let Some(p) = &peer {
                pair_section(&md, p, &pair).render(style, &mut out);
            }
            render::render_findings(&findings, style, &mut out);
            render::emit(&out);
        }
    }
    if ok { Outcome::Ok } else { Outcome::Invalid }
}

/// Reads and inspects one document; an unreadable or undecodable one ends the command.
fn load(path: &Path, options: &MetadataOptions, format: Format) -> Result<Metadata, Outcome> {
    let bytes =
        input::read_input(path, options.limits.max_bytes).map_err(|e| fail_io(format, e))?;
    Metadata::from_bytes(&bytes, options).map_err(|e| {
        let mut f = e.to_finding();
        f.message = format!("{}: {}", path.display(), f.message);
        fail(format, f)
    })
}

/// Every endpoint of every role, in the order the roles are shown.
fn endpoints(md: &Metadata) -> Vec<FlatEndpoint<'_>> {
    let mut out = Vec::new();
    if let Some(sts) = &md.security_token_service {
        let role = Role::SecurityTokenService;
        out.extend(wsfed(
            role,
            "PassiveRequestorEndpoint",
            &sts.passive_requestor_endpoints,
        ));
        out.extend(wsfed(
            role,
            "SecurityTokenServiceEndpoint",
            &sts.security_token_service_endpoints,
        ));
    }
    if let Some(app) = &md.application_service {
        let role = Role::ApplicationService;
        out.extend(wsfed(
            role,
            "ApplicationServiceEndpoint",
            &app.application_service_endpoints,
        ));
        out.extend(wsfed(
            role,
            "PassiveRequestorEndpoint",
            &app.passive_requestor_endpoints,
        ));
    }
    if let Some(idp) = &md.idp {
        out.extend(saml(Role::Idp, "SingleSignOnService", &idp.single_sign_on));
        out.extend(saml(Role::Idp, "SingleLogoutService", &idp.single_logout));
    }
    if let Some(sp) = &md.sp {
        out.extend(saml(
            Role::Sp,
            "AssertionConsumerService",
            &sp.assertion_consumer,
        ));
        out.extend(saml(Role::Sp, "SingleLogoutService", &sp.single_logout));
    }
    out
}

fn saml<'a>(
    role: Role,
    service: &'static str,
    list: &'a [Endpoint],
) -> impl Iterator<Item = FlatEndpoint<'a>> {
    list.iter().map(move |e| FlatEndpoint {
        role,
        service,
        binding: Some(e.binding.as_str()),
        location: e.location.as_str(),
        response_location: e.response_location.as_deref(),
        index: e.index,
        is_default: e.is_default,
    })
}

fn wsfed<'a>(
    role: Role,
    service: &'static str,
    list: &'a [String],
) -> impl Iterator<Item = FlatEndpoint<'a>> {
    list.iter().map(move |u| FlatEndpoint {
        role,
        service,
        binding: None,
        location: u.as_str(),
        response_location: None,
        index: None,
        is_default: None,
    })
}

/// entityID, kind with its decoded details, validity, BOM.
fn entity_section(md: &Metadata, now: DateTime<Utc>) -> Section {
    let mut s = Section::new("Entity");
    s.row("entityID", md.entity_id.as_str());
    s.opt("ID", md.id.as_deref());
    let (kind, details) = kind_details(&md.kind);
    s.row("kind", kind);
    for (key, value) in details {
        s.row(key, value);
    }
    s.row(
        "validUntil",
        match md.valid_until {
            Some(t) if t < now => format!(
                "{} (PASSED {} days ago)",
                clock::show(t),
                (now - t).num_days()
            ),
            Some(t) => format!("{} (in {} days)", clock::show(t), (t - now).num_days()),
            None => "(absent)".to_string(),
        },
    );
    s.row(
        "cacheDuration",
        md.cache_duration.as_deref().unwrap_or("(absent)"),
    );
    s.row(
        "BOM",
        if md.bom {
            "yes: the file starts with EF BB BF, which IAM refuses"
        } else {
            "no"
        },
    );
    let roles: Vec<&str> = md.roles.iter().map(|r| role_name(*r)).collect();
    s.row("roles", roles.join(", "));
    if md.entities_in_document.len() > 1 {
        s.row(
            "document holds",
            format!(
                "{} entities (select with --entity-id):\n{}",
                md.entities_in_document.len(),
                md.entities_in_document.join("\n")
            ),
        );
    }
    s
}

/// A short name for the kind and the values decoded from the entityID.
fn kind_details(kind: &MetadataKind) -> (String, Vec<(&'static str, String)>) {
    match kind {
        MetadataKind::EntraTenant { tenant_id } => (
            "Entra ID tenant metadata".into(),
            vec![("tenant", tenant_id.clone())],
        ),
        MetadataKind::EntraApplication { tenant_id } => (
            "Entra ID application (?appid=) metadata".into(),
            vec![("tenant", tenant_id.clone())],
        ),
        MetadataKind::EntraCommon => (
            "Entra ID common (multi-tenant) metadata".into(),
            vec![(
                "tenant",
                "none: {tenantid} is a placeholder; each tenant issues as https://sts.windows.net/<tenant>/"
                    .to_string(),
            )],
        ),
        MetadataKind::IdentityCenterApplication {
            region,
            id,
            account,
            instance,
        } => (
            "IAM Identity Center application (IdP) metadata".into(),
            vec![
                ("region", region.clone()),
                (
                    "account",
                    account.clone().unwrap_or_else(|| "(not decodable from the id)".into()),
                ),
                (
                    "instance",
                    instance.clone().unwrap_or_else(|| "(not decodable from the id)".into()),
                ),
                ("application id", id.clone()),
            ],
        ),
        MetadataKind::IdentityCenterServiceProvider {
            region,
            directory_id,
            acs_id,
        } => {
            let mut rows = vec![("region", region.clone()), ("directory", directory_id.clone())];
            if let Some(acs) = acs_id {
                rows.push(("ACS id", acs.clone()));
            }
            ("IAM Identity Center service provider metadata".into(), rows)
        }
        MetadataKind::AwsSignIn => ("AWS sign-in service provider metadata".into(), Vec::new()),
        MetadataKind::Generic => ("SAML 2.0 metadata".into(), Vec::new()),
    }
}

fn flag(value: Option<bool>) -> String {
    match value {
        Some(true) => "true".into(),
        Some(false) => "false".into(),
        None => "(absent: false)".into(),
    }
}

fn endpoint_lines(list: &[Endpoint]) -> String {
    list.iter()
        .map(|e| {
            let mut line = format!("{:<13}  {}", e.binding_name(), e.location);
            let mut extra = Vec::new();
            if let Some(i) = e.index {
                extra.push(format!("index {i}"));
            }
            if e.is_default == Some(true) {
                extra.push("default".to_string());
            }
            if !extra.is_empty() {
                line.push_str(&format!("  [{}]", extra.join(", ")));
            }
            if let Some(r) = &e.response_location {
                line.push_str(&format!("\n{:<13}  response: {r}", ""));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn nonempty(s: &mut Section, key: &str, value: String) {
    if !value.is_empty() {
        s.row(key, value);
    }
}

/// One section per role, with its endpoints.
fn role_sections(md: &Metadata) -> Vec<Section> {
    let mut out = Vec::new();
    if let Some(sts) = &md.security_token_service {
        let mut s = Section::new("Role: WS-Fed security token service (Entra)");
        nonempty(
            &mut s,
            "PassiveRequestor",
            sts.passive_requestor_endpoints.join("\n"),
        );
        nonempty(
            &mut s,
            "STS endpoint",
            sts.security_token_service_endpoints.join("\n"),
        );
        if !sts.claim_types_offered.is_empty() {
            s.row("claim types", sts.claim_types_offered.len().to_string());
        }
        // A role with nothing to show is named in the Entity section only.
        if !s.is_empty() {
            out.push(s);
        }
    }
    if let Some(app) = &md.application_service {
        let mut s = Section::new("Role: WS-Fed application service (Entra)");
        nonempty(&mut s, "TargetScopes", app.target_scopes.join("\n"));
        nonempty(
            &mut s,
            "AppService endpoint",
            app.application_service_endpoints.join("\n"),
        );
        nonempty(
            &mut s,
            "PassiveRequestor",
            app.passive_requestor_endpoints.join("\n"),
        );
        if !s.is_empty() {
            out.push(s);
        }
    }
    if let Some(idp) = &md.idp {
        let mut s = Section::new("Role: IdP (IDPSSODescriptor)");
        s.row(
            "WantAuthnRequestsSigned",
            flag(idp.want_authn_requests_signed),
        );
        nonempty(
            &mut s,
            "SingleSignOnService",
            endpoint_lines(&idp.single_sign_on),
        );
        nonempty(
            &mut s,
            "SingleLogoutService",
            endpoint_lines(&idp.single_logout),
        );
        nonempty(&mut s, "NameIDFormat", idp.name_id_formats.join("\n"));
        out.push(s);
    }
    if let Some(sp) = &md.sp {
        let mut s = Section::new("Role: SP (SPSSODescriptor)");
        s.row("AuthnRequestsSigned", flag(sp.authn_requests_signed));
        s.row("WantAssertionsSigned", flag(sp.want_assertions_signed));
        nonempty(
            &mut s,
            "AssertionConsumer",
            endpoint_lines(&sp.assertion_consumer),
        );
        nonempty(
            &mut s,
            "SingleLogoutService",
            endpoint_lines(&sp.single_logout),
        );
        nonempty(&mut s, "NameIDFormat", sp.name_id_formats.join("\n"));
        let requested: Vec<String> = sp
            .attribute_consuming
            .iter()
            .flat_map(|acs| &acs.requested_attributes)
            .map(|a| {
                let name = a.friendly_name.as_deref().unwrap_or(a.name.as_str());
                if a.is_required {
                    format!("{name} (required)")
                } else {
                    name.to_string()
                }
            })
            .collect();
        nonempty(&mut s, "requested attributes", requested.join("\n"));
        out.push(s);
    }
    out
}

fn signature_section(status: &SignatureStatus, trust_given: bool) -> Section {
    let mut s = Section::new("Signature");
    s.row("status", status.describe());
    match status {
        SignatureStatus::VerifiedNotAnchored {
            subject,
            listed_in_metadata,
            ..
        } => {
            s.row("signer", subject.as_str());
            s.row(
                "signer listed",
                if *listed_in_metadata {
                    "yes, in a KeyDescriptor of the metadata"
                } else {
                    "no, only in the Signature's KeyInfo"
                },
            );
            s.row(
                "meaning",
                "the document is intact, but nothing you trust vouches for it;\npass --cert FILE with the publisher's certificate to anchor it",
            );
        }
        SignatureStatus::VerifiedAnchored { subject, .. } => {
            s.row("signer", subject.as_str());
        }
        SignatureStatus::Invalid { code, .. } => {
            s.row("code", code.as_str());
            if trust_given {
                s.row("trusted", "the certificates given with --cert");
            }
        }
        SignatureStatus::Unsigned => {}
    }
    s
}

/// The comparison with `--peer`: both entities, the peer's own health, the verdict.
fn pair_section(md: &Metadata, peer: &Metadata, pair: &[Finding]) -> Section {
    let mut s = Section::new("Compared with the peer document");
    s.row(
        "this",
        format!("{}\n{}", md.entity_id, kind_details(&md.kind).0),
    );
    s.row(
        "peer",
        format!("{}\n{}", peer.entity_id, kind_details(&peer.kind).0),
    );
    s.row("peer signature", peer.signature.describe());
    let notable: Vec<String> = peer
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{} {}  {}", f.severity, f.code, f.message))
        .collect();
    s.row(
        "peer findings",
        if notable.is_empty() {
            "no errors or warnings".to_string()
        } else {
            notable.join("\n")
        },
    );
    s.row(
        "comparison",
        match pair.len() {
            0 => "the two documents agree".to_string(),
            1 => "1 mismatch (see findings)".to_string(),
            n => format!("{n} mismatches (see findings)"),
        },
    );
    s
}

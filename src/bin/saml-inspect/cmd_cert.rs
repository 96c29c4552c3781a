//! `cert`: the facts and health of certificates, from PEM, DER, base64 or a
//! metadata document (then every certificate in it, with where it appears).

use std::path::Path;

use chrono::{DateTime, Utc};
use saml_inspect::cert::{self, CertPolicy, CertificateInfo};
use saml_inspect::metadata::{KeyDescriptor, KeyUse, Metadata, MetadataOptions, Role};
use saml_inspect::{Finding, Severity, xml};
use serde::Serialize;

use crate::render::{self, Format, Section, Style};
use crate::{Outcome, clock, fail, fail_io, input};

/// Most entities of one EntitiesDescriptor whose certificates are listed:
/// each is a separate read of the document, so the count bounds the work.
const MAX_ENTITIES: usize = 32;

/// Where a certificate appears in metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Appearance {
    /// The entity that lists it.
    pub entity_id: String,
    /// The role whose KeyDescriptor lists it.
    pub role: Role,
    /// The KeyDescriptor's `use`.
    #[serde(rename = "use")]
    pub key_use: KeyUse,
}

/// One certificate with its days left and, from metadata, where it appears.
#[derive(Serialize)]
struct Entry {
    #[serde(flatten)]
    info: CertificateInfo,
    days_left: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    appears_in: Vec<Appearance>,
}

/// What the input turned out to be.
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
enum Source {
    /// PEM, DER or bare base64 certificate(s).
    Certificates,
    /// A SAML metadata document.
    Metadata,
}

pub fn run(path: &Path, now: Option<DateTime<Utc>>, expiring_days: i64, format: Format) -> Outcome {
    let now = clock::now_or_clock(now);
    let policy = CertPolicy {
        expiring_soon_days: expiring_days,
    };
    let limits = xml::Limits::default();
    let bytes = match input::read_input(path, limits.max_bytes) {
        Ok(b) => b,
        Err(e) => return fail_io(format, e),
    };
    let (source, entries, findings) = if looks_like_xml(&bytes) {
        let mut options = MetadataOptions::at(now);
        options.cert_policy = policy;
        options.limits = limits;
        match from_metadata(&bytes, &mut options) {
            Ok((entries, findings)) => (Source::Metadata, entries, findings),
            Err(finding) => return fail(format, finding),
        }
    } else {
        match cert::parse_certificates(&bytes) {
            Ok(infos) => {
                let mut findings = Vec::new();
                let entries = infos
                    .into_iter()
                    .map(|info| {
                        findings.extend(cert::check(&info, now, &policy));
                        Entry {
                            days_left: info.days_left(now),
                            info,
                            appears_in: Vec::new(),
                        }
                    })
                    .collect();
                (Source::Certificates, entries, findings)
            }
            Err(e) => return fail(format, e.to_finding()),
        }
    };
    let ok = !findings.iter().any(|f| f.severity == Severity::Error);
    match format {
        Format::Json => render::emit_json(&serde_json::json!({
            "source": source,
            "now": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "certificates": entries,
            "findings": findings,
        })),
        Format::Text => {
            let style = Style::detect();
            let what = match entries.len() {
                1 => "1 certificate".to_string(),
                n => format!("{n} certificates"),
            };
            let mut out = render::verdict_line(style, ok, &what, &findings);
            let total = entries.len();
            for (i, e) in entries.iter().enumerate() {
                let mut section = Section::new(format!("Certificate {} of {total}", i + 1));
                certificate_rows(&mut section, &e.info, now);
                if !e.appears_in.is_empty() {
                    let first = e.appears_in.first().map(|a| a.entity_id.as_str());
                    let several_entities = e
                        .appears_in
                        .iter()
                        .any(|a| Some(a.entity_id.as_str()) != first);
                    let lines: Vec<String> = e
                        .appears_in
                        .iter()
                        .map(|a| {
                            let place = format!("{} {}", role_name(a.role), use_name(a.key_use));
                            if several_entities {
                                format!("{place} ({})", a.entity_id)
                            } else {
                                place
                            }
                        })
                        .collect();
                    section.row("appears in", lines.join("\n"));
                }
                section.render(style, &mut out);
            }
            render::render_findings(&findings, style, &mut out);
            render::emit(&out);
        }
    }
    if ok { Outcome::Ok } else { Outcome::Invalid }
}

/// True when the input (after a byte-order mark and whitespace) starts with `<`.
fn looks_like_xml(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Every certificate of a metadata document, with the `cert.*` findings the
/// metadata reading made about them. An EntitiesDescriptor is read entity by entity.
fn from_metadata(
    bytes: &[u8],
    options: &mut MetadataOptions,
) -> Result<(Vec<Entry>, Vec<Finding>), Finding> {
    let first = Metadata::from_bytes(bytes, options).map_err(|e| e.to_finding())?;
    let mut findings = Vec::new();
    let others: Vec<String> = first
        .entities_in_document
        .iter()
        .filter(|id| **id != first.entity_id)
        .cloned()
        .collect();
    let mut documents = vec![first];
    let mut read_ids: Vec<String> = Vec::new();
    for id in others {
        if read_ids.contains(&id) {
            continue;
        }
        if read_ids.len() + 1 >= MAX_ENTITIES {
            findings.push(
                Finding::new(
                    saml_inspect::Code::MetadataSkipped,
                    format!(
                        "the document has more entities than the {MAX_ENTITIES} whose certificates are listed; select one with `saml-inspect metadata --entity-id`"
                    ),
                )
                .severity(Severity::Warning),
            );
            break;
        }
        options.entity_id = Some(id.clone());
        match Metadata::from_bytes(bytes, options) {
            Ok(md) => documents.push(md),
            // e.g. an entityID repeated in the document: say so, go on with the rest.
            Err(e) => findings.push(e.to_finding()),
        }
        read_ids.push(id);
    }

    let mut entries: Vec<Entry> = Vec::new();
    for md in &documents {
        for c in &md.certificates {
            let appearances = appearances_of(md, &c.info.sha1_thumbprint);
            match entries
                .iter_mut()
                .find(|e| e.info.sha256_thumbprint == c.info.sha256_thumbprint)
            {
                Some(e) => {
                    for a in appearances {
                        if !e.appears_in.contains(&a) {
                            e.appears_in.push(a);
                        }
                    }
                }
                None => entries.push(Entry {
                    info: c.info.clone(),
                    days_left: c.days_left,
                    appears_in: appearances,
                }),
            }
        }
        for f in md
            .findings
            .iter()
            .filter(|f| f.code.as_str().starts_with("cert."))
        {
            // An entity shared by several reads (a signed wrapper) reports once.
            if !findings.contains(f) {
                findings.push(f.clone());
            }
        }
    }
    Ok((entries, findings))
}

/// The KeyDescriptors of every role the entity has.
pub fn key_descriptors(md: &Metadata) -> Vec<(Role, &KeyDescriptor)> {
    let mut out = Vec::new();
    let roles: [(Role, Option<&[KeyDescriptor]>); 4] = [
        (
            Role::SecurityTokenService,
            md.security_token_service
                .as_ref()
                .map(|r| r.keys.as_slice()),
        ),
        (
            Role::ApplicationService,
            md.application_service.as_ref().map(|r| r.keys.as_slice()),
        ),
        (Role::Idp, md.idp.as_ref().map(|r| r.keys.as_slice())),
        (Role::Sp, md.sp.as_ref().map(|r| r.keys.as_slice())),
    ];
    for (role, keys) in roles {
        for kd in keys.unwrap_or_default() {
            out.push((role, kd));
        }
    }
    out
}

/// Where the certificate with this SHA-1 thumbprint is listed (role and use), in document order.
pub fn appearances_of(md: &Metadata, sha1_thumbprint: &str) -> Vec<Appearance> {
    let mut out: Vec<Appearance> = Vec::new();
    for (role, kd) in key_descriptors(md) {
        if kd.certificates.iter().any(|t| t == sha1_thumbprint) {
            let a = Appearance {
                entity_id: md.entity_id.clone(),
                role,
                key_use: kd.key_use,
            };
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// The facts of one certificate as aligned rows.
pub fn certificate_rows(section: &mut Section, info: &CertificateInfo, now: DateTime<Utc>) {
    section
        .row("subject", info.subject.as_str())
        .row("issuer", info.issuer.as_str())
        .row("serial", info.serial.as_str())
        .row(
            "valid",
            format!(
                "{} to {} ({})",
                clock::show(info.not_before),
                clock::show(info.not_after),
                clock::validity_note(info.not_before, info.not_after, now)
            ),
        )
        .row("key", info.key.to_string())
        .row("signature", info.signature_algorithm.as_str())
        .row("SHA-1", info.sha1_thumbprint.as_str())
        .row("SHA-256", info.sha256_thumbprint.as_str())
        .row("self-signed", if info.self_signed { "yes" } else { "no" })
        .row(
            "key usage",
            match &info.key_usage {
                Some(bits) if bits.is_empty() => "(extension present, no bits set)".to_string(),
                Some(bits) => bits.join(", "),
                None => "(no extension: unrestricted)".to_string(),
            },
        );
}

/// A role's name for people.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Idp => "IdP",
        Role::Sp => "SP",
        Role::SecurityTokenService => "WS-Fed STS",
        Role::ApplicationService => "WS-Fed application service",
    }
}

/// A key use for people.
pub fn use_name(key_use: KeyUse) -> &'static str {
    match key_use {
        KeyUse::Signing => "signing",
        KeyUse::Encryption => "encryption",
        KeyUse::Unspecified => "signing and encryption (no use)",
    }
}

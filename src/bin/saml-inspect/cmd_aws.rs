//! `aws role`, `aws relay-state`, `aws policy`: the AWS federation pieces
//! checked on their own, without a SAML response.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use saml_inspect::aws::arn::partition_of_region;
use saml_inspect::aws::endpoints::GLOBAL_SIGNIN_SAML;
use saml_inspect::aws::policy::{MAX_POLICY_INPUT_BYTES, Principal};
use saml_inspect::aws::{
    ArnOptions, ConnectInstanceArn, ConnectRelayState, ConnectTarget, Effect, Partition,
    PolicyDocument, PolicyError, PolicySource, ROLE_ATTRIBUTE, RoleOrder, RolePair,
    SamlAttributeRef, SamlProviderArn, Statement, TrustExpectations, TrustVerdict, Verdict,
    check_connect_permissions, check_recipient, check_role, check_trust_policy, parse_policy,
};
use saml_inspect::{Code, Finding, Severity};
use serde_json::{Value, json};

use crate::render::{self, Format, Section, Style};
use crate::{Outcome, fail, input};

/// The `aws` subcommands.
#[derive(Subcommand)]
pub enum AwsCommand {
    /// Check Role attribute values (a role ARN and a SAML provider ARN, in either order).
    Role {
        /// One value of the https://aws.amazon.com/SAML/Attributes/Role attribute, e.g.
        /// arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/connect
        #[arg(required = true, value_name = "VALUE")]
        values: Vec<String>,
        /// Also check the attribute name your IdP sends: AWS matches it exactly
        /// (case, https, no trailing slash).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// Take apart and check an Amazon Connect relay state URL.
    ///
    /// The form is
    /// https://<region>.console.aws.amazon.com/connect/federate/<instance-id>?destination=…
    RelayState {
        /// The relay state URL, as configured in the IdP.
        url: String,
    },
    /// Read an IAM policy; check it as the role's trust policy or as its Connect permissions.
    ///
    /// FILE is a policy document, or the JSON that `aws iam get-role`,
    /// `get-role-policy` or `get-policy-version` prints. --provider-arn checks
    /// it as a trust policy (sts:AssumeRoleWithSAML for that provider and
    /// Recipient); --instance-arn, or --region, --account and --instance-id,
    /// check that it allows connect:GetFederationToken on that instance.
    /// Without either, the statements are summarised.
    Policy {
        /// The policy JSON file, or - for standard input.
        file: PathBuf,
        /// Check the file as a trust policy: the SAML provider the Role attribute names.
        #[arg(long, value_name = "ARN")]
        provider_arn: Option<String>,
        /// The Recipient the SAML response uses (STS compares it with SAML:aud)
        /// [default: https://signin.aws.amazon.com/saml].
        #[arg(long, value_name = "URL", requires = "provider_arn")]
        recipient: Option<String>,
        /// The response sends PrincipalTag attributes (the trust policy needs sts:TagSession).
        #[arg(long, requires = "provider_arn")]
        tags: bool,
        /// The response sends SourceIdentity (the trust policy needs sts:SetSourceIdentity).
        #[arg(long, requires = "provider_arn")]
        source_identity: bool,
        /// Check the file as a permissions policy: the Connect instance ARN
        /// (arn:aws:connect:<region>:<account>:instance/<id>).
        #[arg(long, value_name = "ARN", conflicts_with_all = ["region", "account", "instance_id"])]
        instance_arn: Option<String>,
        /// The Connect instance's region (with --account and --instance-id).
        #[arg(long, value_name = "REGION", requires_all = ["account", "instance_id"])]
        region: Option<String>,
        /// The Connect instance's account (with --region and --instance-id).
        #[arg(long, value_name = "ACCOUNT", requires_all = ["region", "instance_id"])]
        account: Option<String>,
        /// The Connect instance id, a lower-case UUID (with --region and --account).
        #[arg(long, value_name = "ID", requires_all = ["region", "account"])]
        instance_id: Option<String>,
    },
}

pub fn run(command: AwsCommand, format: Format) -> Outcome {
    match command {
        AwsCommand::Role { values, name } => run_role(&values, name.as_deref(), format),
        AwsCommand::RelayState { url } => run_relay_state(&url, format),
        AwsCommand::Policy {
            file,
            provider_arn,
            recipient,
            tags,
            source_identity,
            instance_arn,
            region,
            account,
            instance_id,
        } => {
            let trust = provider_arn.map(|provider_arn| TrustArgs {
                provider_arn,
                recipient: recipient.unwrap_or_else(|| GLOBAL_SIGNIN_SAML.to_string()),
                tags,
                source_identity,
            });
            let instance = match (instance_arn, region, account, instance_id) {
                (Some(arn), ..) => Some(InstanceArgs::Arn(arn)),
                (None, Some(region), Some(account), Some(id)) => Some(InstanceArgs::Parts {
                    region,
                    account,
                    id,
                }),
                // clap's `requires_all` makes the three parts come together.
                _ => None,
            };
            run_policy(&file, trust, instance, format)
        }
    }
}

/// Exit 1 when any finding is an error.
fn outcome_of(findings: &[Finding]) -> Outcome {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Outcome::Invalid
    } else {
        Outcome::Ok
    }
}

fn has_errors(findings: &[Finding]) -> bool {
    outcome_of(findings) == Outcome::Invalid
}

/// Untrusted text for the terminal: control characters (an escape sequence
/// hidden in a Role value or a policy) are shown escaped, never interpreted.
pub(crate) fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

// ---------------------------------------------------------------- aws role

fn order_text(order: RoleOrder) -> &'static str {
    match order {
        RoleOrder::RoleFirst => "role first",
        RoleOrder::ProviderFirst => "provider first",
    }
}

fn order_json(order: RoleOrder) -> &'static str {
    match order {
        RoleOrder::RoleFirst => "role_first",
        RoleOrder::ProviderFirst => "provider_first",
    }
}

fn pair_json(pair: &RolePair) -> Value {
    json!({
        "value_index": pair.value_index,
        "role": pair.role.as_str(),
        "role_name": pair.role.name(),
        "provider": pair.provider.as_str(),
        "provider_name": pair.provider.name(),
        "order": order_json(pair.order),
        "account": pair.role.account(),
        "provider_account": pair.provider.account(),
        "partition": pair.role.partition().as_str(),
        "trimmed": pair.trimmed,
    })
}

fn run_role(values: &[String], name: Option<&str>, format: Format) -> Outcome {
    let name = name.unwrap_or(ROLE_ATTRIBUTE);
    let attrs = [SamlAttributeRef {
        name,
        values,
        location: None,
    }];
    let (pairs, findings) = check_role(&attrs);
    match format {
        Format::Json => render::emit_json(&json!({
            "attribute": name,
            "values": values,
            "pairs": pairs.iter().map(pair_json).collect::<Vec<_>>(),
            "findings": findings,
        })),
        Format::Text => {
            let style = Style::detect();
            let mut out =
                render::verdict_line(style, !has_errors(&findings), "Role attribute", &findings);
            let mut attr = Section::new("Attribute");
            attr.row("name", printable(name))
                .row("values", values.len().to_string())
                .row("usable pairs", pairs.len().to_string());
            attr.render(style, &mut out);
            for (index, value) in values.iter().enumerate() {
                let mut section = Section::new(format!("Role value {}", index + 1));
                match pairs.iter().find(|p| p.value_index == index) {
                    Some(p) => {
                        let account = if p.role.account() == p.provider.account() {
                            p.role.account().to_string()
                        } else {
                            format!(
                                "{} (role), {} (provider)",
                                p.role.account(),
                                p.provider.account()
                            )
                        };
                        section
                            .row("role", p.role.as_str())
                            .row("provider", p.provider.as_str())
                            .row("order", order_text(p.order))
                            .row("account", account)
                            .row("partition", p.role.partition().as_str());
                    }
                    None => {
                        section.row("value", printable(value)).row(
                            "usable",
                            "no: rejected, or a repeat of an earlier value (see the findings)",
                        );
                    }
                }
                section.render(style, &mut out);
            }
            render::render_findings(&findings, style, &mut out);
            render::emit(&out);
        }
    }
    outcome_of(&findings)
}

// ---------------------------------------------------------------- aws relay-state

fn run_relay_state(url: &str, format: Format) -> Outcome {
    let (state, findings) = ConnectRelayState::parse(url);
    match format {
        Format::Json => {
            let state_json = state.as_ref().map(|s| {
                json!({
                    "host": s.host.to_string(),
                    "region": s.region(),
                    "partition": s.partition().as_str(),
                    "instance_id": s.instance_id,
                    "destination": s.destination,
                    "new_domain": s.new_domain,
                    "vdi_platform": s.vdi_platform.map(|p| p.as_str()),
                    "byte_len": s.byte_len,
                })
            });
            render::emit_json(&json!({
                "input": url,
                "relay_state": state_json,
                "findings": findings,
            }));
        }
        Format::Text => {
            let style = Style::detect();
            let mut out = render::verdict_line(
                style,
                !has_errors(&findings),
                "Connect relay state",
                &findings,
            );
            let mut section = Section::new("Relay state");
            match &state {
                Some(s) => {
                    section
                        .row("host", s.host.to_string())
                        .row("region", s.region().unwrap_or("(not named by the host)"))
                        .row("partition", s.partition().as_str())
                        .row("instance id", s.instance_id.as_str())
                        .row(
                            "destination",
                            s.destination
                                .as_deref()
                                .unwrap_or("(none: the Connect home page)"),
                        )
                        .row("new_domain", yes_no(s.new_domain))
                        .opt("VDI platform", s.vdi_platform.map(|p| p.as_str()))
                        .row("length", format!("{} bytes", s.byte_len));
                }
                None => {
                    section
                        .row("input", printable(url))
                        .row("length", format!("{} bytes", url.len()));
                }
            }
            section.render(style, &mut out);
            render::render_findings(&findings, style, &mut out);
            render::emit(&out);
        }
    }
    outcome_of(&findings)
}

// ---------------------------------------------------------------- aws policy

/// The trust-policy expectations from the command line.
struct TrustArgs {
    provider_arn: String,
    recipient: String,
    tags: bool,
    source_identity: bool,
}

/// The Connect instance from the command line.
enum InstanceArgs {
    Arn(String),
    Parts {
        region: String,
        account: String,
        id: String,
    },
}

impl InstanceArgs {
    /// The instance ARN, checked; an invalid one is a usage error.
    fn resolve(&self) -> Result<ConnectInstanceArn, Finding> {
        match self {
            InstanceArgs::Arn(arn) => ConnectInstanceArn::parse(arn, ArnOptions::default())
                .map_err(|e| e.to_finding(&format!("--instance-arn '{arn}'"), None)),
            InstanceArgs::Parts {
                region,
                account,
                id,
            } => {
                // An unknown region still gets an ARN to parse, so that the
                // ARN parser names what is wrong with it.
                let partition = partition_of_region(region).unwrap_or(Partition::Aws);
                let arn = format!("arn:{partition}:connect:{region}:{account}:instance/{id}");
                ConnectInstanceArn::parse(&arn, ArnOptions::default()).map_err(|e| {
                    e.to_finding(
                        &format!(
                            "the instance given by --region, --account and --instance-id ({arn})"
                        ),
                        None,
                    )
                })
            }
        }
    }
}

fn source_text(source: PolicySource) -> &'static str {
    match source {
        PolicySource::Document => "policy document",
        PolicySource::GetRole => "aws iam get-role (Role.AssumeRolePolicyDocument)",
        PolicySource::GetRolePolicy => "aws iam get-role-policy (PolicyDocument)",
        PolicySource::GetPolicyVersion => "aws iam get-policy-version (PolicyVersion.Document)",
    }
}

fn source_json(source: PolicySource) -> &'static str {
    match source {
        PolicySource::Document => "document",
        PolicySource::GetRole => "get-role",
        PolicySource::GetRolePolicy => "get-role-policy",
        PolicySource::GetPolicyVersion => "get-policy-version",
    }
}

fn principal_json(p: &Principal) -> Value {
    match p {
        Principal::Any => json!("*"),
        Principal::Map(m) => json!(m),
    }
}

fn principal_text(p: &Principal) -> String {
    match p {
        Principal::Any => "*".to_string(),
        Principal::Map(m) => m
            .iter()
            .map(|(kind, values)| {
                let values: Vec<String> = values.iter().map(|v| printable(v)).collect();
                format!("{}: {}", printable(kind), values.join(", "))
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn effect_text(effect: Effect) -> &'static str {
    match effect {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    }
}

fn statement_json(s: &Statement) -> Value {
    json!({
        "index": s.index,
        "sid": s.sid,
        "effect": effect_text(s.effect),
        "principal": s.principal.as_ref().map(principal_json),
        "not_principal": s.not_principal.as_ref().map(principal_json),
        "action": s.action,
        "not_action": s.not_action,
        "resource": s.resource,
        "not_resource": s.not_resource,
        "conditions": s.conditions.iter().map(|c| json!({
            "operator": c.operator,
            "key": c.key,
            "values": c.values,
        })).collect::<Vec<_>>(),
    })
}

fn statement_section(s: &Statement) -> Section {
    let title = match &s.sid {
        Some(sid) if !sid.is_empty() => {
            format!("Statement {} \"{}\"", s.index + 1, printable(sid))
        }
        _ => format!("Statement {}", s.index + 1),
    };
    let mut section = Section::new(title);
    let list = |v: &Option<Vec<String>>| {
        v.as_ref().map(|v| {
            v.iter()
                .map(|x| printable(x))
                .collect::<Vec<_>>()
                .join("\n")
        })
    };
    section
        .row("effect", effect_text(s.effect))
        .opt("principal", s.principal.as_ref().map(principal_text))
        .opt(
            "not principal",
            s.not_principal.as_ref().map(principal_text),
        )
        .opt("action", list(&s.action))
        .opt("not action", list(&s.not_action))
        .opt("resource", list(&s.resource))
        .opt("not resource", list(&s.not_resource));
    if !s.conditions.is_empty() {
        let text = s
            .conditions
            .iter()
            .map(|c| {
                let values: Vec<String> = c.values.iter().map(|v| printable(v)).collect();
                format!(
                    "{} {} = {}",
                    printable(&c.operator),
                    printable(&c.key),
                    values.join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        section.row("condition", text);
    }
    section
}

fn verdict_json(v: &Verdict) -> Value {
    match v {
        Verdict::Allowed {
            statement,
            unevaluated_conditions,
        } => json!({
            "result": "allowed",
            "statement": statement,
            "unevaluated_conditions": unevaluated_conditions,
        }),
        Verdict::Denied { statement } => json!({ "result": "denied", "statement": statement }),
        Verdict::NotAllowed => json!({ "result": "not_allowed" }),
    }
}

fn verdict_text(v: &Verdict) -> String {
    match v {
        Verdict::Allowed {
            statement,
            unevaluated_conditions: false,
        } => format!("allowed by {statement}"),
        Verdict::Allowed {
            statement,
            unevaluated_conditions: true,
        } => format!("allowed by {statement} (conditions not evaluated)"),
        Verdict::Denied { statement } => format!("denied by {statement}"),
        Verdict::NotAllowed => "not allowed".to_string(),
    }
}

fn trust_json(args: &TrustArgs, v: &TrustVerdict) -> Value {
    json!({
        "provider_arn": args.provider_arn,
        "recipient": args.recipient,
        "assume_role_with_saml": verdict_json(&v.assume_role_with_saml),
        "tag_session": v.tag_session.as_ref().map(verdict_json),
        "set_source_identity": v.set_source_identity.as_ref().map(verdict_json),
    })
}

/// Reads the file and parses it. A file that is not JSON (or too large) is
/// undecodable input (exit 2); valid JSON that is not a valid policy is an
/// invalid policy, reported like any other error finding (exit 1).
fn read_policy(path: &Path, format: Format) -> Result<Result<PolicyDocument, Finding>, Outcome> {
    let bytes = match input::read_input(path, MAX_POLICY_INPUT_BYTES) {
        Ok(b) => b,
        Err(e) => return Err(crate::fail_io(format, e)),
    };
    if bytes.len() > MAX_POLICY_INPUT_BYTES {
        return Err(fail(
            format,
            PolicyError::TooLarge(bytes.len()).to_finding(),
        ));
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(fail(
            format,
            Finding::new(
                Code::IamPolicyInvalid,
                format!(
                    "{} is not UTF-8 text; IAM policies are UTF-8 JSON",
                    path.display()
                ),
            ),
        ));
    };
    match parse_policy(&text) {
        Ok(doc) => Ok(Ok(doc)),
        Err(e @ PolicyError::Shape(_)) => Ok(Err(e.to_finding())),
        Err(e) => Err(fail(format, e.to_finding())),
    }
}

fn run_policy(
    path: &Path,
    trust: Option<TrustArgs>,
    instance: Option<InstanceArgs>,
    format: Format,
) -> Outcome {
    // Arguments first: a typo in an ARN is a usage error, whatever the file holds.
    if let Some(t) = &trust {
        let options = ArnOptions {
            allow_other_partitions: true,
        };
        if let Err(e) = SamlProviderArn::parse(&t.provider_arn, options) {
            return fail(
                format,
                e.to_finding(&format!("--provider-arn '{}'", t.provider_arn), None),
            );
        }
    }
    let instance_arn = match instance.as_ref().map(InstanceArgs::resolve).transpose() {
        Ok(arn) => arn,
        Err(finding) => return fail(format, finding),
    };
    let doc = match read_policy(path, format) {
        Ok(doc) => doc,
        Err(outcome) => return outcome,
    };

    let mut findings = Vec::new();
    let mut trust_result = None;
    let mut connect_result = None;
    match &doc {
        Err(parse_finding) => findings.push(parse_finding.clone()),
        Ok(doc) => {
            if let Some(t) = &trust {
                let (_, recipient_findings) = check_recipient(&t.recipient);
                findings.extend(recipient_findings);
                let expect = TrustExpectations {
                    provider_arn: &t.provider_arn,
                    recipient: &t.recipient,
                    sends_tags: t.tags,
                    sends_source_identity: t.source_identity,
                };
                let (verdict, f) = check_trust_policy(doc, &expect);
                findings.extend(f);
                trust_result = Some(verdict);
            }
            if let Some(arn) = &instance_arn {
                let target = ConnectTarget {
                    partition: arn.partition(),
                    region: arn.region(),
                    account: arn.account(),
                    instance_id: arn.instance_id(),
                };
                let (verdict, f) = check_connect_permissions(std::slice::from_ref(doc), &target);
                findings.extend(f);
                connect_result = Some((target.federation_resource(), verdict));
            }
        }
    }

    match format {
        Format::Json => {
            let policy = doc.as_ref().ok().map(|d| {
                json!({
                    "source": source_json(d.source),
                    "role_name": d.role_name,
                    "version": d.version,
                    "statements": d.statements.iter().map(statement_json).collect::<Vec<_>>(),
                })
            });
            let trust_json = trust
                .as_ref()
                .zip(trust_result.as_ref())
                .map(|(t, v)| trust_json(t, v));
            let connect_json =
                instance_arn
                    .as_ref()
                    .zip(connect_result.as_ref())
                    .map(|(arn, (resource, v))| {
                        json!({
                            "instance_arn": arn.to_string(),
                            "resource": resource,
                            "get_federation_token": verdict_json(v),
                        })
                    });
            render::emit_json(&json!({
                "policy": policy,
                "trust": trust_json,
                "connect": connect_json,
                "findings": findings,
            }));
        }
        Format::Text => {
            let style = Style::detect();
            let what = match (&trust, &instance_arn) {
                (Some(_), Some(_)) => "trust and Connect permissions",
                (Some(_), None) => "trust policy",
                (None, Some(_)) => "Connect permissions",
                (None, None) => "policy",
            };
            let mut out = render::verdict_line(style, !has_errors(&findings), what, &findings);
            let mut head = Section::new("Policy");
            head.row("file", path.display().to_string());
            if let Ok(d) = &doc {
                head.row("source", source_text(d.source))
                    .opt("role", d.role_name.as_deref().map(printable))
                    .row(
                        "version",
                        d.version.as_deref().map_or("(none)".to_string(), printable),
                    )
                    .row("statements", d.statements.len().to_string());
            }
            head.render(style, &mut out);
            if let (Some(t), Some(v)) = (&trust, &trust_result) {
                let mut section = Section::new("Trust policy check");
                section
                    .row("provider", printable(&t.provider_arn))
                    .row("recipient (SAML:aud)", printable(&t.recipient))
                    .row(
                        "sts:AssumeRoleWithSAML",
                        verdict_text(&v.assume_role_with_saml),
                    )
                    .opt("sts:TagSession", v.tag_session.as_ref().map(verdict_text))
                    .opt(
                        "sts:SetSourceIdentity",
                        v.set_source_identity.as_ref().map(verdict_text),
                    );
                section.render(style, &mut out);
            }
            if let (Some(arn), Some((resource, v))) = (&instance_arn, &connect_result) {
                let mut section = Section::new("Connect permissions check");
                section
                    .row("instance", arn.to_string())
                    .row("resource", resource.as_str())
                    .row("connect:GetFederationToken", verdict_text(v));
                section.render(style, &mut out);
            }
            if let Ok(d) = &doc {
                for s in &d.statements {
                    statement_section(s).render(style, &mut out);
                }
            }
            render::render_findings(&findings, style, &mut out);
            render::emit(&out);
        }
    }
    outcome_of(&findings)
}

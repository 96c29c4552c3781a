//! The whole-chain check (`saml_inspect::flow`) on `testdata/flow`: the
//! consistent example passes every hop, each broken copy fails with exactly
//! its code in the right hop, missing inputs leave hops NOT CHECKED.
//!
//! The files in `testdata/flow` are made by `generated_testdata_is_current`
//! below (RSA PKCS#1 v1.5 signatures are deterministic, so the committed
//! bytes are checked against a fresh generation); regenerate with
//! `UPDATE_FLOW=1 cargo test --test flow generated_testdata_is_current`.

mod support;

use std::collections::BTreeSet;

use saml_inspect::flow::{FlowInputs, FlowReport, FlowVerdict, HopId, HopStatus, check};
use saml_inspect::{Code, Severity};

// ---------------------------------------------------------------- the example

const NOW: &str = "2026-11-02T09:00:30Z";
/// The IAM SAML provider in the internal-services account.
const PROVIDER_ARN: &str = "arn:aws:iam::444455556666:saml-provider/IdentityCenterConnect";
const ROLE_ARN: &str = "arn:aws:iam::444455556666:role/ConnectAgent";
const INSTANCE: &str = "3c2b9c7e-5d41-4f6a-9e8b-1a2b3c4d5e6f";
const OTHER_INSTANCE: &str = "9d8e7f6a-5b4c-4d3e-8f2a-1b0c9d8e7f6a";
const RELAY_STATE: &str = "https://eu-west-2.console.aws.amazon.com/connect/federate/3c2b9c7e-5d41-4f6a-9e8b-1a2b3c4d5e6f?destination=%2Fccp-v2";
const SESSION_NAME: &str = "agent.alice@example.com";
/// The Identity Center application (testdata/metadata/idc-app-idp-metadata.xml).
const APP_ENTITY_ID: &str = "https://portal.sso.eu-central-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMzX2lucy0wMTIzNDU2Nzg5YWJjZGVm";
/// The Entra tenant of testdata/metadata/entra-app-rollover-signed.xml.
const ENTRA_ISSUER: &str = "https://sts.windows.net/5f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b/";
const RESPONSE_ID: &str = "_2d7e5c1a-6b3f-4e8d-9a0c-1f2e3d4c5b6a";
const ASSERTION_ID: &str = "_8c4a2e6f-1d3b-4a5c-8e7f-0a1b2c3d4e5f";

fn now() -> chrono::DateTime<chrono::Utc> {
    NOW.parse().unwrap()
}

fn path(name: &str) -> String {
    format!("{}/testdata/flow/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The inputs of the example, by option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Input {
    Response,
    AzureMetadata,
    SsoSpMetadata,
    SsoAppMetadata,
    IamProviderMetadata,
    TrustPolicy,
    PermissionsPolicy,
    ConnectUsers,
}

impl Input {
    const ALL: [Input; 8] = [
        Input::Response,
        Input::AzureMetadata,
        Input::SsoSpMetadata,
        Input::SsoAppMetadata,
        Input::IamProviderMetadata,
        Input::TrustPolicy,
        Input::PermissionsPolicy,
        Input::ConnectUsers,
    ];

    fn file(self) -> &'static str {
        match self {
            Input::Response => "response.txt",
            Input::AzureMetadata => "entra-metadata.xml",
            Input::SsoSpMetadata => "sso-sp-metadata.xml",
            Input::SsoAppMetadata => "sso-app-metadata.xml",
            Input::IamProviderMetadata => "iam-provider-metadata.xml",
            Input::TrustPolicy => "trust-policy.json",
            Input::PermissionsPolicy => "permissions-policy.json",
            Input::ConnectUsers => "connect-users.json",
        }
    }
}

/// The files of one run: the example's, with some replaced or left out.
struct Files(Vec<(Input, Vec<u8>)>);

impl Files {
    fn example() -> Files {
        Files(Input::ALL.iter().map(|i| (*i, read(i.file()))).collect())
    }

    fn with(mut self, input: Input, bytes: Vec<u8>) -> Files {
        self.0.retain(|(i, _)| *i != input);
        self.0.push((input, bytes));
        self
    }

    fn without(mut self, input: Input) -> Files {
        self.0.retain(|(i, _)| *i != input);
        self
    }

    fn get(&self, input: Input) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(i, _)| *i == input)
            .map(|(_, b)| b.as_slice())
    }

    fn check_with(&self, provider_arn: Option<&str>, relay_state: Option<&str>) -> FlowReport {
        check(
            &FlowInputs {
                response: self.get(Input::Response),
                relay_state,
                azure_metadata: self.get(Input::AzureMetadata),
                sso_sp_metadata: self.get(Input::SsoSpMetadata),
                sso_app_metadata: self.get(Input::SsoAppMetadata),
                iam_provider_metadata: self.get(Input::IamProviderMetadata),
                provider_arn,
                trust_policy: self.get(Input::TrustPolicy),
                permissions_policy: self.get(Input::PermissionsPolicy),
                connect_users: self.get(Input::ConnectUsers),
                decryption: None,
            },
            now(),
        )
    }

    fn check(&self) -> FlowReport {
        self.check_with(Some(PROVIDER_ARN), None)
    }
}

fn error_codes(report: &FlowReport) -> BTreeSet<Code> {
    report
        .findings()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code)
        .collect()
}

/// Whether hop `id` lists a check it could not make that mentions `what`.
fn skipped(report: &FlowReport, id: HopId, what: &str) -> bool {
    report.hop(id).not_checked.iter().any(|n| n.contains(what))
}

/// The check with only a response given.
fn response_only(bytes: &[u8]) -> FlowReport {
    check(
        &FlowInputs {
            response: Some(bytes),
            ..Default::default()
        },
        now(),
    )
}

fn describe(report: &FlowReport) -> String {
    let mut s = String::new();
    for h in &report.hops {
        s.push_str(&format!("hop {} {:?}\n", h.id.number(), h.status));
        for f in &h.findings {
            s.push_str(&format!("  {f}\n"));
        }
    }
    s
}

// ---------------------------------------------------------------- broken copies

/// One misconfiguration: the file under `broken/`, the input it replaces,
/// the one error code it must produce and the hop that must fail.
struct Case {
    file: &'static str,
    replaces: Input,
    code: Code,
    hop: HopId,
}

const CASES: &[Case] = &[
    Case {
        file: "broken/wrong-sp-metadata.xml",
        replaces: Input::SsoSpMetadata,
        code: Code::FlowMetadataMismatch,
        hop: HopId::EntraIdentityCenter,
    },
    Case {
        file: "broken/iam-provider-metadata-missing-new-cert.xml",
        replaces: Input::SsoAppMetadata,
        code: Code::FlowMetadataMismatch,
        hop: HopId::IdentityCenterIamProvider,
    },
    Case {
        file: "broken/response-issuer-not-in-metadata.txt",
        replaces: Input::Response,
        code: Code::FlowIssuerNotInMetadata,
        hop: HopId::ResponseProvider,
    },
    Case {
        file: "broken/response-signed-with-new-cert.txt",
        replaces: Input::Response,
        code: Code::FlowSigningCertNotInMetadata,
        hop: HopId::ResponseProvider,
    },
    Case {
        file: "broken/response-other-provider.txt",
        replaces: Input::Response,
        code: Code::FlowProviderArnMismatch,
        hop: HopId::RoleTrust,
    },
    Case {
        file: "broken/response-other-account.txt",
        replaces: Input::Response,
        code: Code::FlowAccountMismatch,
        hop: HopId::RoleTrust,
    },
    Case {
        file: "broken/trust-policy-other-provider.json",
        replaces: Input::TrustPolicy,
        code: Code::IamTrustProviderMismatch,
        hop: HopId::RoleTrust,
    },
    Case {
        file: "broken/trust-policy-audience-urn.json",
        replaces: Input::TrustPolicy,
        code: Code::IamTrustAudienceMismatch,
        hop: HopId::RoleTrust,
    },
    Case {
        file: "broken/trust-policy-assume-role.json",
        replaces: Input::TrustPolicy,
        code: Code::IamTrustMissingAction,
        hop: HopId::RoleTrust,
    },
    Case {
        file: "broken/trust-policy-other-role.json",
        replaces: Input::TrustPolicy,
        code: Code::FlowRoleMismatch,
        hop: HopId::RoleTrust,
    },
    Case {
        file: "broken/response-relay-state-other-region.txt",
        replaces: Input::Response,
        code: Code::FlowRegionMismatch,
        hop: HopId::RelayStateInstance,
    },
    Case {
        file: "broken/response-relay-state-other-instance.txt",
        replaces: Input::Response,
        code: Code::FlowInstanceMismatch,
        hop: HopId::RelayStateInstance,
    },
    Case {
        file: "broken/permissions-policy-no-federation-token.json",
        replaces: Input::PermissionsPolicy,
        code: Code::ConnectPolicyMissingAction,
        hop: HopId::RelayStateInstance,
    },
    Case {
        file: "broken/permissions-policy-other-instance.json",
        replaces: Input::PermissionsPolicy,
        code: Code::ConnectPolicyInstanceMismatch,
        hop: HopId::RelayStateInstance,
    },
    Case {
        file: "broken/permissions-policy-other-region.json",
        replaces: Input::PermissionsPolicy,
        code: Code::ConnectPolicyRegionMismatch,
        hop: HopId::RelayStateInstance,
    },
    Case {
        file: "broken/permissions-policy-other-account.json",
        replaces: Input::PermissionsPolicy,
        code: Code::ConnectPolicyAccountMismatch,
        hop: HopId::RelayStateInstance,
    },
    Case {
        file: "broken/connect-users-case.json",
        replaces: Input::ConnectUsers,
        code: Code::ConnectUserNotFound,
        hop: HopId::SessionUser,
    },
];

#[test]
fn the_example_passes_every_hop() {
    let report = Files::example().check();
    assert_eq!(report.verdict, FlowVerdict::Pass, "{}", describe(&report));
    for hop in &report.hops {
        assert_eq!(hop.status, HopStatus::Pass, "{}", describe(&report));
        assert!(hop.not_checked.is_empty(), "{:?}", hop.not_checked);
        assert!(hop.fix.is_none());
        assert!(
            hop.findings.iter().all(|f| f.severity != Severity::Error),
            "{}",
            describe(&report)
        );
    }
    let fact = |id: HopId, label: &str| {
        report
            .hop(id)
            .fact(label)
            .unwrap_or_else(|| panic!("no fact {label} in {id:?}"))
            .to_string()
    };
    assert_eq!(fact(HopId::ResponseProvider, "issuer"), APP_ENTITY_ID);
    assert!(fact(HopId::ResponseProvider, "signed by").contains("listed in the IAM provider"));
    assert_eq!(fact(HopId::RoleTrust, "role"), ROLE_ARN);
    assert_eq!(fact(HopId::RoleTrust, "order"), "role first");
    assert_eq!(fact(HopId::RelayStateInstance, "relay state"), RELAY_STATE);
    assert_eq!(
        fact(HopId::RelayStateInstance, "GetFederationToken on"),
        format!("arn:aws:connect:eu-west-2:444455556666:instance/{INSTANCE}/user/${{aws:userid}}")
    );
    assert_eq!(
        fact(HopId::SessionUser, "Connect user"),
        format!("{SESSION_NAME} (exact match)")
    );
}

#[test]
fn each_broken_copy_fails_with_exactly_its_code_in_its_hop() {
    for case in CASES {
        let report = Files::example()
            .with(case.replaces, read(case.file))
            .check();
        let context = format!("{}:\n{}", case.file, describe(&report));
        assert_eq!(report.verdict, FlowVerdict::Fail, "{context}");
        assert_eq!(
            error_codes(&report),
            BTreeSet::from([case.code]),
            "{context}"
        );
        let failed: Vec<HopId> = report.failed().map(|h| h.id).collect();
        assert_eq!(failed, [case.hop], "{context}");
        let hop = report.hop(case.hop);
        assert!(hop.fix.as_ref().is_some_and(|f| !f.is_empty()));
        for other in report.hops.iter().filter(|h| h.id != case.hop) {
            assert_eq!(other.status, HopStatus::Pass, "{context}");
        }
    }
}

#[test]
fn every_flow_code_has_a_broken_copy() {
    let covered: BTreeSet<Code> = CASES.iter().map(|c| c.code).collect();
    for code in Code::ALL.iter().filter(|c| {
        let s = c.as_str();
        (s.starts_with("flow.") && **c != Code::FlowInputInvalid)
            || s.starts_with("iam.trust.")
            || s.starts_with("connect.policy.")
            || s == "connect.user.not_found"
    }) {
        assert!(covered.contains(code), "{code} has no broken copy");
    }
    // The README of testdata/flow lists every case.
    let readme = String::from_utf8(read("README.md")).unwrap();
    for case in CASES {
        assert!(
            readme.contains(case.file),
            "{} not in the README",
            case.file
        );
    }
}

#[test]
fn the_rollover_message_gives_both_thumbprints() {
    let report = Files::example()
        .with(
            Input::Response,
            read("broken/response-signed-with-new-cert.txt"),
        )
        .check();
    let f = report
        .hop(HopId::ResponseProvider)
        .findings
        .iter()
        .find(|f| f.code == Code::FlowSigningCertNotInMetadata)
        .unwrap();
    let thumb = |key: &str| {
        let der = support::cert_der(key);
        openssl::hash::hash(openssl::hash::MessageDigest::sha1(), &der)
            .unwrap()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
    };
    let (old, new) = (thumb("rsa2048").join(":"), thumb("rsa3072").join(":"));
    assert_eq!(f.expected.as_deref(), Some(old.as_str()));
    assert_eq!(f.found.as_deref(), Some(new.as_str()));
    assert!(
        f.message.contains("Response signature invalid"),
        "{}",
        f.message
    );
    // With the application metadata listing the new certificate, the
    // message says the IAM copy is stale.
    let app_with_both = read("broken/iam-provider-metadata-missing-new-cert.xml");
    let report = Files::example()
        .with(
            Input::Response,
            read("broken/response-signed-with-new-cert.txt"),
        )
        .with(Input::SsoAppMetadata, app_with_both)
        .check();
    let hop3 = report.hop(HopId::ResponseProvider);
    assert_eq!(hop3.status, HopStatus::Fail);
    assert!(
        hop3.findings
            .iter()
            .any(|f| f.code == Code::FlowSigningCertNotInMetadata
                && f.message.contains("stale copy")),
        "{}",
        describe(&report)
    );
}

#[test]
fn a_near_miss_user_name_is_named() {
    let report = Files::example()
        .with(Input::ConnectUsers, read("broken/connect-users-case.json"))
        .check();
    let f = &report.hop(HopId::SessionUser).findings[0];
    assert_eq!(f.code, Code::ConnectUserNotFound);
    assert!(
        f.message
            .contains("'Agent.Alice@example.com' differs only in letter case"),
        "{}",
        f.message
    );
    // One name per line works as well as list-users JSON.
    let report = Files::example()
        .with(
            Input::ConnectUsers,
            b"agent.bob@example.com\nagent.alice@example.com\n".to_vec(),
        )
        .check();
    assert_eq!(report.hop(HopId::SessionUser).status, HopStatus::Pass);
    let report = Files::example()
        .with(Input::ConnectUsers, b"agent.bob@example.com\n".to_vec())
        .check();
    let f = &report.hop(HopId::SessionUser).findings[0];
    assert_eq!(f.code, Code::ConnectUserNotFound);
    assert!(!f.message.contains("letter case"));
}

/// The "what to do" of a failed hop names the values involved: the Connect
/// user to create, the certificate to upload, the issuer whose metadata is
/// missing, the role whose policy to check.
#[test]
fn the_fix_names_the_user_the_certificate_and_the_role() {
    let fix = |input: Input, file: &str, hop: HopId| {
        let report = Files::example().with(input, read(file)).check();
        report.hop(hop).fix.clone().unwrap_or_default()
    };
    let user = fix(
        Input::ConnectUsers,
        "broken/connect-users-case.json",
        HopId::SessionUser,
    );
    assert!(
        user.starts_with(&format!("Create the Connect user {SESSION_NAME} ")),
        "{user}"
    );
    let cert = fix(
        Input::Response,
        "broken/response-signed-with-new-cert.txt",
        HopId::ResponseProvider,
    );
    let report = Files::example()
        .with(
            Input::Response,
            read("broken/response-signed-with-new-cert.txt"),
        )
        .check();
    let found = report.hop(HopId::ResponseProvider).findings[0]
        .found
        .clone()
        .unwrap();
    assert!(cert.contains(&found) && found.contains(':'), "{cert}");
    let issuer = fix(
        Input::Response,
        "broken/response-issuer-not-in-metadata.txt",
        HopId::ResponseProvider,
    );
    assert!(
        issuer.contains(ENTRA_ISSUER) && issuer.contains(APP_ENTITY_ID),
        "{issuer}"
    );
    let role = fix(
        Input::TrustPolicy,
        "broken/trust-policy-other-role.json",
        HopId::RoleTrust,
    );
    assert!(role.contains("--role-name ConnectAgent"), "{role}");
}

// ---------------------------------------------------------------- missing inputs

#[test]
fn nothing_given_checks_nothing() {
    let report = check(&FlowInputs::default(), now());
    assert_eq!(report.verdict, FlowVerdict::Incomplete);
    assert!(
        report
            .hops
            .iter()
            .all(|h| h.status == HopStatus::NotChecked)
    );
    assert_eq!(report.findings().count(), 0);
    // Each unchecked hop names what it needs.
    for hop in &report.hops[3..] {
        assert!(
            hop.not_checked.iter().any(|n| n.contains("needs --")),
            "{hop:?}"
        );
    }
}

#[test]
fn missing_inputs_leave_their_hops_not_checked() {
    // The quick-start set: no Entra / Identity Center SP metadata.
    let report = Files::example()
        .without(Input::AzureMetadata)
        .without(Input::SsoSpMetadata)
        .check();
    assert_eq!(report.verdict, FlowVerdict::Incomplete);
    assert_eq!(report.hops[0].status, HopStatus::NotChecked);
    assert!(report.hops[1..].iter().all(|h| h.status == HopStatus::Pass));

    // Only the response: hop 3 still checks time, endpoints and attributes,
    // but names the signature check it could not make.
    let report = response_only(&read("response.txt"));
    let statuses: Vec<HopStatus> = report.hops.iter().map(|h| h.status).collect();
    use HopStatus::*;
    assert_eq!(statuses, [NotChecked, NotChecked, Pass, Pass, Pass, Pass]);
    assert!(report.hop(HopId::ResponseProvider).not_checked[0].contains("--iam-provider-metadata"));
    assert!(skipped(&report, HopId::RoleTrust, "--trust-policy"));
    assert!(skipped(&report, HopId::SessionUser, "--connect-users"));

    // Without the IAM copy the application metadata is the trust for hop 3.
    let report = Files::example().without(Input::IamProviderMetadata).check();
    assert_eq!(report.hop(HopId::ResponseProvider).status, HopStatus::Pass);
    assert!(
        report
            .hop(HopId::ResponseProvider)
            .facts
            .iter()
            .any(|f| f.value.contains("Identity Center application metadata"))
    );
}

#[test]
fn a_relay_state_option_is_compared_with_the_one_carried() {
    let other = RELAY_STATE.replace(INSTANCE, OTHER_INSTANCE);
    let report = Files::example().check_with(Some(PROVIDER_ARN), Some(&other));
    let hop = report.hop(HopId::RelayStateInstance);
    assert_eq!(hop.status, HopStatus::Fail);
    assert!(
        hop.findings
            .iter()
            .any(|f| f.code == Code::FlowInstanceMismatch && f.message.contains("--relay-state"))
    );
    // The same relay state given twice is fine.
    let report = Files::example().check_with(Some(PROVIDER_ARN), Some(RELAY_STATE));
    assert_eq!(report.verdict, FlowVerdict::Pass, "{}", describe(&report));
    // A relay state only from the option (the response is a bare base64 value).
    let b64 = form_value(&read("response.txt"), "SAMLResponse");
    let report = Files::example()
        .with(Input::Response, b64.into_bytes())
        .check_with(Some(PROVIDER_ARN), Some(RELAY_STATE));
    assert_eq!(report.verdict, FlowVerdict::Pass, "{}", describe(&report));
}

#[test]
fn unreadable_inputs_are_findings_not_panics() {
    let report = Files::example()
        .with(Input::Response, b"not a SAML response at all %%%".to_vec())
        .with(Input::ConnectUsers, b"{\"Users\": 1}".to_vec())
        .with(Input::TrustPolicy, b"{".to_vec())
        .check();
    assert_eq!(report.hop(HopId::ResponseProvider).status, HopStatus::Fail);
    assert!(skipped(&report, HopId::RoleTrust, "could not be read"));
    assert!(error_codes(&report).contains(&Code::FlowInputInvalid));
    assert!(error_codes(&report).contains(&Code::IamPolicyInvalid));
    let report = Files::example().check_with(Some("arn:aws:iam::4444:saml-provider/x"), None);
    assert_eq!(
        report.hop(HopId::IdentityCenterIamProvider).status,
        HopStatus::Fail
    );
    assert!(error_codes(&report).contains(&Code::AwsArnInvalid));
}

#[test]
fn an_expired_response_fails_hop_three_only() {
    let files = Files::example();
    let late = "2026-11-02T12:00:00Z".parse().unwrap();
    let report = check(
        &FlowInputs {
            response: files.get(Input::Response),
            sso_app_metadata: files.get(Input::SsoAppMetadata),
            iam_provider_metadata: files.get(Input::IamProviderMetadata),
            provider_arn: Some(PROVIDER_ARN),
            ..Default::default()
        },
        late,
    );
    assert_eq!(
        report.failed().map(|h| h.id).collect::<Vec<_>>(),
        [HopId::ResponseProvider]
    );
    assert!(error_codes(&report).contains(&Code::SamlExpired));
}

// ---------------------------------------------------------------- saml2aws samples

fn real_world(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/real-world/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn saml2aws_azure_response_role_first_offers_a_choice() {
    // Azure-shaped, Role values role-first, two accounts; doctored signature.
    let bytes = real_world("saml2aws-aad-SAMLResponse-role-first.xml");
    let at = "2019-12-31T23:59:00Z".parse().unwrap();
    let run = |provider_arn: &str| {
        check(
            &FlowInputs {
                response: Some(&bytes),
                provider_arn: Some(provider_arn),
                ..Default::default()
            },
            at,
        )
    };
    let report = run("arn:aws:iam::123456789012:saml-provider/EXAMPLE_PROVIDER");
    let hop4 = report.hop(HopId::RoleTrust);
    assert_eq!(hop4.status, HopStatus::Pass, "{}", describe(&report));
    assert!(hop4.findings.iter().any(|f| f.code == Code::AwsRoleChoice));
    let fact = |label: &str| hop4.fact(label).unwrap_or_default().to_string();
    assert_eq!(fact("order"), "role first");
    // The pair naming the given provider is the one chosen (the second value).
    assert_eq!(fact("role"), "arn:aws:iam::123456789012:role/example_role");
    assert!(fact("read from").contains("not verified"));
    // Another provider: named as a mismatch with both found.
    let report = run("arn:aws:iam::123456789012:saml-provider/AzureAD");
    let f = report
        .findings()
        .find(|f| f.code == Code::FlowProviderArnMismatch)
        .unwrap();
    assert!(
        f.found
            .as_ref()
            .unwrap()
            .contains("012345678901:saml-provider/EXAMPLE_PROVIDER")
    );
    // Its audience is the sign-in URL form, which AWS accepts.
    assert!(!error_codes(&report).contains(&Code::AwsAudienceInvalid));
    assert_eq!(
        report.hop(HopId::ResponseProvider).fact("audience"),
        Some("https://signin.aws.amazon.com/saml")
    );
}

#[test]
fn saml2aws_shapes_that_are_not_saml_stop_at_hop_three() {
    // PingFederate-shaped (whitespace padding) in no namespace; ADFS-shaped
    // (provider-first) with an undeclared prefix: hop 3 says why, hops 4
    // and 6 say they could not read the attributes.
    for (name, code) in [
        (
            "saml2aws-pingfed-response-whitespace.xml",
            Code::SamlNotSaml,
        ),
        (
            "saml2aws-adfs-response-provider-first.xml",
            Code::XmlMalformed,
        ),
    ] {
        let bytes = real_world(name);
        let report = response_only(&bytes);
        let hop3 = report.hop(HopId::ResponseProvider);
        assert_eq!(hop3.status, HopStatus::Fail, "{name}");
        assert!(
            hop3.findings.iter().any(|f| f.code == code),
            "{name}: {}",
            describe(&report)
        );
        for id in [HopId::RoleTrust, HopId::SessionUser] {
            let hop = report.hop(id);
            assert_eq!(hop.status, HopStatus::NotChecked, "{name}");
            assert!(
                hop.not_checked
                    .iter()
                    .any(|n| n.contains("could not be read"))
            );
        }
    }
}

#[test]
fn whitespace_padded_role_values_are_trimmed_with_warnings() {
    // The PingFederate sample's Role and RoleSessionName values (tabs and
    // newlines around each), in a signed response of the example's shape.
    let padded = "\n\t\t\t\t\tarn:aws:iam::444455556666:role/ConnectAgent,arn:aws:iam::444455556666:saml-provider/IdentityCenterConnect\n\t\t\t\t";
    let xml = response_xml(
        APP_ENTITY_ID,
        padded,
        &format!("\n\t\t\t\t\t{SESSION_NAME}\n\t\t\t\t"),
    );
    let signed = sign_assertion(&xml, "rsa2048");
    let report = Files::example()
        .with(Input::Response, signed.into_bytes())
        .check_with(Some(PROVIDER_ARN), Some(RELAY_STATE));
    assert_eq!(report.verdict, FlowVerdict::Pass, "{}", describe(&report));
    let warnings: Vec<Code> = report
        .findings()
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| f.code)
        .collect();
    assert!(warnings.contains(&Code::AwsRoleWhitespace), "{warnings:?}");
    assert_eq!(
        report.hop(HopId::SessionUser).fact("RoleSessionName"),
        Some(SESSION_NAME)
    );
}

// ---------------------------------------------------------------- the generator

/// The IdC-shaped response to AWS sign-in, unsigned.
fn response_xml(issuer: &str, role: &str, session: &str) -> String {
    format!(
        concat!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="{rid}" Version="2.0" IssueInstant="2026-11-02T09:00:00Z" Destination="https://signin.aws.amazon.com/saml">"#,
            r#"<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">{issuer}</Issuer>"#,
            r#"<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>"#,
            r#"<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="{aid}" IssueInstant="2026-11-02T09:00:00Z" Version="2.0">"#,
            r#"<Issuer>{issuer}</Issuer>"#,
            r#"<Subject><NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d</NameID>"#,
            r#"<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData NotOnOrAfter="2026-11-02T09:05:00Z" Recipient="https://signin.aws.amazon.com/saml"/></SubjectConfirmation></Subject>"#,
            r#"<Conditions NotBefore="2026-11-02T08:55:00Z" NotOnOrAfter="2026-11-02T10:00:00Z"><AudienceRestriction><Audience>urn:amazon:webservices</Audience></AudienceRestriction></Conditions>"#,
            r#"<AttributeStatement>"#,
            r#"<Attribute Name="https://aws.amazon.com/SAML/Attributes/Role" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"><AttributeValue>{role}</AttributeValue></Attribute>"#,
            r#"<Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"><AttributeValue>{session}</AttributeValue></Attribute>"#,
            r#"<Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"><AttributeValue>36000</AttributeValue></Attribute>"#,
            r#"</AttributeStatement>"#,
            r#"<AuthnStatement AuthnInstant="2026-11-02T08:59:58Z" SessionIndex="{aid}"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</AuthnContextClassRef></AuthnContext></AuthnStatement>"#,
            r#"</Assertion></samlp:Response>"#
        ),
        rid = RESPONSE_ID,
        aid = ASSERTION_ID,
        issuer = issuer,
        role = role,
        session = session,
    )
}

/// Signs the Assertion (Identity Center's default) with a test key.
fn sign_assertion(xml: &str, key: &str) -> String {
    let spec = support::Spec::rsa_sha256(ASSERTION_ID, &support::cert_der(key));
    support::sign(xml, ASSERTION_ID, &spec, &support::private_key(key))
}

/// `application/x-www-form-urlencoded` for one value.
fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The form body AWS sign-in receives: SAMLResponse (base64) and RelayState.
fn form_body(signed_xml: &str, relay_state: &str) -> String {
    format!(
        "SAMLResponse={}&RelayState={}\n",
        form_encode(&support::b64(signed_xml.as_bytes())),
        form_encode(relay_state)
    )
}

/// One parameter of a form body, percent-decoded.
fn form_value(body: &[u8], name: &str) -> String {
    let body = std::str::from_utf8(body).unwrap().trim();
    let raw = body
        .split('&')
        .find_map(|p| p.strip_prefix(&format!("{name}=")))
        .unwrap();
    String::from_utf8(saml_inspect::decode::percent_decode_form(raw.as_bytes()).unwrap()).unwrap()
}

fn role_value(role_account: &str, provider: &str) -> String {
    format!(
        "arn:aws:iam::{role_account}:role/ConnectAgent,arn:aws:iam::{role_account}:saml-provider/{provider}"
    )
}

fn trust_policy(provider_arn: &str, action: &str, aud: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "IdentityCenterConnectApp",
      "Effect": "Allow",
      "Principal": {{
        "Federated": "{provider_arn}"
      }},
      "Action": "{action}",
      "Condition": {{
        "StringEquals": {{
          "SAML:aud": "{aud}"
        }}
      }}
    }}
  ]
}}
"#
    )
}

/// `aws iam get-role --role-name NAME` output holding `trust` (a policy document).
fn get_role(name: &str, trust: &str) -> String {
    let trust = trust.trim_end().replace('\n', "\n    ");
    format!(
        r#"{{
  "Role": {{
    "Path": "/",
    "RoleName": "{name}",
    "RoleId": "AROAZQ3EXAMPLE7RXK4QD",
    "Arn": "arn:aws:iam::444455556666:role/{name}",
    "CreateDate": "2026-03-12T08:15:02+00:00",
    "AssumeRolePolicyDocument": {trust},
    "MaxSessionDuration": 43200,
    "RoleLastUsed": {{}}
  }}
}}
"#
    )
}

fn permissions_policy(action: &str, region: &str, account: &str, instance: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "FederateIntoConnect",
      "Effect": "Allow",
      "Action": "{action}",
      "Resource": "arn:aws:connect:{region}:{account}:instance/{instance}/user/${{aws:userid}}"
    }}
  ]
}}
"#
    )
}

fn connect_users(names: &[&str]) -> String {
    let users: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let id = format!("0c1d2e3f-4a5b-4c6d-8e7f-00000000000{}", i + 1);
            format!(
                r#"        {{
            "Id": "{id}",
            "Arn": "arn:aws:connect:eu-west-2:444455556666:instance/{INSTANCE}/agent/{id}",
            "Username": "{name}",
            "LastModifiedTime": "2026-10-20T10:15:00.000000+00:00",
            "LastModifiedRegion": "eu-west-2"
        }}"#
            )
        })
        .collect();
    format!(
        "{{\n    \"UserSummaryList\": [\n{}\n    ]\n}}\n",
        users.join(",\n")
    )
}

/// The Identity Center application metadata with a second signing
/// certificate (rsa3072) after the first: a rollover in progress.
fn app_metadata_with_new_cert(app: &str) -> String {
    let first_end = app.find("</md:KeyDescriptor>").unwrap() + "</md:KeyDescriptor>".len();
    let first_start = app.find("<md:KeyDescriptor").unwrap();
    let first = &app[first_start..first_end];
    let old_cert = support::b64(&support::cert_der("rsa2048"));
    let new_cert = support::b64(&support::cert_der("rsa3072"));
    assert!(first.contains(&old_cert));
    let second = first.replace(&old_cert, &new_cert);
    format!("{}\n    {second}{}", &app[..first_end], &app[first_end..])
}

/// Every file of testdata/flow, by name.
fn generate() -> Vec<(String, Vec<u8>)> {
    let metadata = |name: &str| {
        std::fs::read(format!(
            "{}/testdata/metadata/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let good_role = role_value("444455556666", "IdentityCenterConnect");
    let response = |issuer: &str, role: &str, key: &str, relay: &str| {
        form_body(
            &sign_assertion(&response_xml(issuer, role, SESSION_NAME), key),
            relay,
        )
        .into_bytes()
    };
    let app = String::from_utf8(metadata("idc-app-idp-metadata.xml")).unwrap();
    let aud = "https://signin.aws.amazon.com/saml";
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "entra-metadata.xml".into(),
            metadata("entra-app-rollover-signed.xml"),
        ),
        (
            "sso-sp-metadata.xml".into(),
            metadata("idc-sp-metadata.xml"),
        ),
        ("sso-app-metadata.xml".into(), app.clone().into_bytes()),
        ("iam-provider-metadata.xml".into(), app.clone().into_bytes()),
        (
            "response.txt".into(),
            response(APP_ENTITY_ID, &good_role, "rsa2048", RELAY_STATE),
        ),
        (
            "trust-policy.json".into(),
            trust_policy(PROVIDER_ARN, "sts:AssumeRoleWithSAML", aud).into_bytes(),
        ),
        (
            "permissions-policy.json".into(),
            permissions_policy(
                "connect:GetFederationToken",
                "eu-west-2",
                "444455556666",
                INSTANCE,
            )
            .into_bytes(),
        ),
        (
            "connect-users.json".into(),
            connect_users(&[
                "agent.bob@example.com",
                SESSION_NAME,
                "supervisor.carol@example.com",
            ])
            .into_bytes(),
        ),
    ];
    let broken: Vec<(&str, Vec<u8>)> = vec![
        (
            "broken/wrong-sp-metadata.xml",
            metadata("aws-signin-sp-metadata.xml"),
        ),
        (
            "broken/iam-provider-metadata-missing-new-cert.xml",
            app_metadata_with_new_cert(&app).into_bytes(),
        ),
        (
            "broken/response-issuer-not-in-metadata.txt",
            response(ENTRA_ISSUER, &good_role, "rsa2048", RELAY_STATE),
        ),
        (
            "broken/response-signed-with-new-cert.txt",
            response(APP_ENTITY_ID, &good_role, "rsa3072", RELAY_STATE),
        ),
        (
            "broken/response-other-provider.txt",
            response(
                APP_ENTITY_ID,
                &role_value("444455556666", "AzureAD"),
                "rsa2048",
                RELAY_STATE,
            ),
        ),
        (
            "broken/response-other-account.txt",
            response(
                APP_ENTITY_ID,
                &role_value("777788889999", "IdentityCenterConnect"),
                "rsa2048",
                RELAY_STATE,
            ),
        ),
        (
            "broken/response-relay-state-other-region.txt",
            response(
                APP_ENTITY_ID,
                &good_role,
                "rsa2048",
                &RELAY_STATE.replace("eu-west-2", "us-east-1"),
            ),
        ),
        (
            "broken/response-relay-state-other-instance.txt",
            response(
                APP_ENTITY_ID,
                &good_role,
                "rsa2048",
                &RELAY_STATE.replace(INSTANCE, OTHER_INSTANCE),
            ),
        ),
        (
            "broken/trust-policy-other-provider.json",
            trust_policy(
                "arn:aws:iam::444455556666:saml-provider/AzureAD",
                "sts:AssumeRoleWithSAML",
                aud,
            )
            .into_bytes(),
        ),
        (
            "broken/trust-policy-audience-urn.json",
            trust_policy(
                PROVIDER_ARN,
                "sts:AssumeRoleWithSAML",
                "urn:amazon:webservices",
            )
            .into_bytes(),
        ),
        (
            "broken/trust-policy-assume-role.json",
            trust_policy(PROVIDER_ARN, "sts:AssumeRole", aud).into_bytes(),
        ),
        (
            "broken/trust-policy-other-role.json",
            get_role(
                "ConnectSupervisor",
                &trust_policy(PROVIDER_ARN, "sts:AssumeRoleWithSAML", aud),
            )
            .into_bytes(),
        ),
        (
            "broken/permissions-policy-no-federation-token.json",
            permissions_policy(
                "connect:DescribeUser",
                "eu-west-2",
                "444455556666",
                INSTANCE,
            )
            .into_bytes(),
        ),
        (
            "broken/permissions-policy-other-instance.json",
            permissions_policy(
                "connect:GetFederationToken",
                "eu-west-2",
                "444455556666",
                OTHER_INSTANCE,
            )
            .into_bytes(),
        ),
        (
            "broken/permissions-policy-other-region.json",
            permissions_policy(
                "connect:GetFederationToken",
                "us-east-1",
                "444455556666",
                INSTANCE,
            )
            .into_bytes(),
        ),
        (
            "broken/permissions-policy-other-account.json",
            permissions_policy(
                "connect:GetFederationToken",
                "eu-west-2",
                "777788889999",
                INSTANCE,
            )
            .into_bytes(),
        ),
        (
            "broken/connect-users-case.json",
            connect_users(&[
                "agent.bob@example.com",
                "Agent.Alice@example.com",
                "supervisor.carol@example.com",
            ])
            .into_bytes(),
        ),
    ];
    files.extend(broken.into_iter().map(|(n, b)| (n.to_string(), b)));
    files
}

#[test]
fn generated_testdata_is_current() {
    let update = std::env::var_os("UPDATE_FLOW").is_some();
    for (name, bytes) in generate() {
        let p = path(&name);
        if update {
            std::fs::create_dir_all(std::path::Path::new(&p).parent().unwrap()).unwrap();
            std::fs::write(&p, &bytes).unwrap();
        } else {
            let committed = std::fs::read(&p).unwrap_or_default();
            assert!(
                committed == bytes,
                "testdata/flow/{name} differs from what the generator makes; \
                 run UPDATE_FLOW=1 cargo test --test flow generated_testdata_is_current"
            );
        }
    }
}

// ---------------------------------------------------------------- endpoints

#[test]
fn aws_endpoint_expectations_are_checked_by_inspect_and_flow() {
    // The Entra fixture with an Identifier-style audience, a mistyped
    // Recipient and a NameID format AWS does not accept.
    let xml = support::unsigned_response();
    let xml = support::edit(
        &xml,
        "<Audience>urn:amazon:webservices</Audience>",
        "<Audience>https://signin.aws.amazon.com/saml#1</Audience>",
    );
    let xml = support::edit(
        &xml,
        r#"Recipient="https://signin.aws.amazon.com/saml""#,
        r#"Recipient="https://signin.aws.amazon.com/sam1""#,
    );
    let xml = support::edit(
        &xml,
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "urn:example:nameid-format:upn",
    );
    let expected = [
        Code::AwsRecipientInvalid,
        Code::AwsAudienceInvalid,
        Code::AwsNameIdInvalid,
    ];
    let inspection = saml_inspect::inspect::inspect(xml.as_bytes(), &Default::default()).unwrap();
    let codes: Vec<Code> = inspection.findings.iter().map(|f| f.code).collect();
    for code in expected {
        assert_eq!(
            codes.iter().filter(|c| **c == code).count(),
            1,
            "{code}: {codes:?}"
        );
    }
    let audience = inspection
        .findings
        .iter()
        .find(|f| f.code == Code::AwsAudienceInvalid)
        .unwrap();
    assert!(
        audience.message.contains("'#1' suffix"),
        "{}",
        audience.message
    );
    // The same findings in hop 3 of the chain check.
    let report = response_only(xml.as_bytes());
    let hop3 = report.hop(HopId::ResponseProvider);
    assert_eq!(hop3.status, HopStatus::Fail);
    for code in expected {
        assert!(hop3.findings.iter().any(|f| f.code == code), "{code}");
    }
    // The untouched fixture has none of them.
    let clean = support::unsigned_response();
    let inspection = saml_inspect::inspect::inspect(clean.as_bytes(), &Default::default()).unwrap();
    assert!(
        inspection
            .findings
            .iter()
            .all(|f| !expected.contains(&f.code))
    );
}

// ---------------------------------------------------------------- more cross-hop checks

#[test]
fn entra_common_metadata_and_a_second_identity_center_fail_hop_one() {
    let common = std::fs::read(format!(
        "{}/testdata/metadata/aad-common-federationmetadata-2017-signed-bom.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let report = Files::example().with(Input::AzureMetadata, common).check();
    assert_eq!(
        report.failed().map(|h| h.id).collect::<Vec<_>>(),
        [HopId::EntraIdentityCenter],
        "{}",
        describe(&report)
    );
    assert!(
        report
            .hop(HopId::EntraIdentityCenter)
            .findings
            .iter()
            .any(|f| f.code == Code::FlowMetadataMismatch && f.message.contains("`common`"))
    );
    // Identity Center's SP metadata from another region than its application.
    let sp = String::from_utf8(read("sso-sp-metadata.xml"))
        .unwrap()
        .replace("eu-central-1", "eu-west-1");
    let report = Files::example()
        .with(Input::SsoSpMetadata, sp.into_bytes())
        .check();
    assert_eq!(
        error_codes(&report),
        BTreeSet::from([Code::FlowRegionMismatch])
    );
    assert_eq!(
        report.hop(HopId::EntraIdentityCenter).status,
        HopStatus::Fail
    );
}

#[test]
fn unreadable_provider_metadata_is_named_in_hop_three() {
    let report = Files::example()
        .with(Input::IamProviderMetadata, b"<not metadata/>".to_vec())
        .check();
    assert_eq!(
        report.hop(HopId::IdentityCenterIamProvider).status,
        HopStatus::Fail
    );
    assert!(skipped(&report, HopId::ResponseProvider, "see hop 2"));
}

#[test]
fn govcloud_relay_states_compare_by_partition() {
    let gov_id = "0f5a7c3e-1b2d-4c5e-8f90-123456789abc";
    let users = format!(
        r#"{{"UserSummaryList":[{{"Id":"u","Arn":"arn:aws-us-gov:connect:us-gov-west-1:444455556666:instance/{gov_id}/agent/u","Username":"{SESSION_NAME}"}}]}}"#
    );
    let gov_relay = format!("https://console.amazonaws-us-gov.com/connect/federate/{gov_id}");
    let run = |relay: &str| {
        let inputs = FlowInputs {
            relay_state: Some(relay),
            connect_users: Some(users.as_bytes()),
            ..Default::default()
        };
        check(&inputs, now())
    };
    let report = run(&gov_relay);
    assert_eq!(
        report.hop(HopId::RelayStateInstance).status,
        HopStatus::Pass,
        "{}",
        describe(&report)
    );
    let commercial = format!("https://us-east-1.console.aws.amazon.com/connect/federate/{gov_id}");
    let report = run(&commercial);
    assert_eq!(
        error_codes(&report),
        BTreeSet::from([Code::FlowRegionMismatch])
    );
}

#[test]
fn a_regional_recipient_in_another_region_is_a_warning() {
    let xml = response_xml(
        APP_ENTITY_ID,
        &role_value("444455556666", "IdentityCenterConnect"),
        SESSION_NAME,
    )
    .replace(
        r#"Recipient="https://signin.aws.amazon.com/saml""#,
        r#"Recipient="https://eu-central-1.signin.aws.amazon.com/saml""#,
    );
    let body = form_body(&sign_assertion(&xml, "rsa2048"), RELAY_STATE);
    let report = Files::example()
        .with(Input::Response, body.into_bytes())
        .check();
    let hop5 = report.hop(HopId::RelayStateInstance);
    assert_eq!(hop5.status, HopStatus::Pass);
    let f = hop5
        .findings
        .iter()
        .find(|f| f.code == Code::FlowRegionMismatch)
        .unwrap();
    assert_eq!(f.severity, Severity::Warning);
    // The trust policy's SAML:aud names only the global endpoint.
    assert_eq!(
        error_codes(&report),
        BTreeSet::from([Code::IamTrustAudienceMismatch])
    );
}

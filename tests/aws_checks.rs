//! The AWS and Amazon Connect checks on the shapes seen in real federations:
//! every code is triggered at least once and a valid input gives no error.

use saml_inspect::aws::{
    self, Arn, ArnOptions, ConnectInstanceArn, ConnectRelayState, ConnectTarget, Partition,
    PolicyDocument, RoleOrder, SamlAttributeRef, SamlProviderArn, TrustExpectations,
    check_audience, check_connect_permissions, check_name_id, check_recipient, check_role,
    check_session, check_trust_policy, parse_policy,
};
use saml_inspect::{Code, Finding, Location, Severity};

const ROLE: &str = aws::ROLE_ATTRIBUTE;
const SESSION: &str = aws::ROLE_SESSION_NAME_ATTRIBUTE;
const PROVIDER_ARN: &str = "arn:aws:iam::123456789012:saml-provider/AzureAD";
const INSTANCE_ID: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

/// The Role value of the signed fixtures in testdata/fixtures (provider first).
const FIXTURE_ROLE: &str = "arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/amazon-connect-federation-role";

/// testdata/real-world/saml2aws-aad-SAMLResponse-role-first.xml, lines 78-79.
const SAML2AWS_AAD_ROLES: [&str; 2] = [
    "arn:aws:iam::012345678901:role/example_role,arn:aws:iam::012345678901:saml-provider/EXAMPLE_PROVIDER",
    "arn:aws:iam::123456789012:role/example_role,arn:aws:iam::123456789012:saml-provider/EXAMPLE_PROVIDER",
];

/// testdata/real-world/saml2aws-adfs-response-provider-first.xml, lines 44-45.
const SAML2AWS_ADFS_ROLES: [&str; 2] = [
    "arn:aws:iam::123123123123:saml-provider/ExampleADFS,arn:aws:iam::123123123123:role/AWS-Admin-CloudOPSBuild",
    "arn:aws:iam::123123123123:saml-provider/ExampleADFS,arn:aws:iam::123123123123:role/AWS-Admin-CloudOPSNonProd",
];

/// testdata/real-world/saml2aws-pingfed-response-whitespace.xml, lines 92-106:
/// each AttributeValue's text, tabs and newlines included.
const PINGFED_ROLES: [&str; 5] = [
    "\n\t\t\t\t\tarn:aws:iam::456456456456:role/admin,arn:aws:iam::456456456456:saml-provider/example-idp\n\t\t\t\t",
    "\n\t\t\t\t\tarn:aws:iam::456456456456:role/developer,arn:aws:iam::456456456456:saml-provider/example-idp\n\t\t\t\t",
    "\n\t\t\t\t\tarn:aws:iam::789789789789:role/admin,arn:aws:iam::789789789789:saml-provider/example-idp\n\t\t\t\t",
    "\n\t\t\t\t\tarn:aws:iam::123123123123:role/developer,arn:aws:iam::123123123123:saml-provider/example-idp\n\t\t\t\t",
    "\n\t\t\t\t\tarn:aws:iam::123123123123:role/admin,arn:aws:iam::123123123123:saml-provider/example-idp\n\t\t\t\t",
];
/// The same file's RoleSessionName value (line 68).
const PINGFED_SESSION_NAME: &str = "\n\t\t\t\t\tevan.mclean\n\t\t\t\t";

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

fn codes(findings: &[Finding]) -> Vec<Code> {
    findings.iter().map(|f| f.code).collect()
}

fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

fn testdata(name: &str) -> String {
    let path = format!("{}/testdata/aws/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn policy(name: &str) -> PolicyDocument {
    parse_policy(&testdata(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn role_check(name: &str, values: &[&str]) -> (Vec<aws::RolePair>, Vec<Finding>) {
    let values = strings(values);
    check_role(&[SamlAttributeRef {
        name,
        values: &values,
        location: Some(Location::new(12, 4)),
    }])
}

// ------------------------------------------------------------------ ARNs

#[test]
fn arn_invalid_names_the_wrong_part() {
    let err = Arn::parse("arn:aws:iam::12345:role/admin", ArnOptions::default()).unwrap_err();
    assert_eq!(err.code(), Code::AwsArnInvalid);
    assert_eq!(
        err.to_string(),
        "the account id '12345' must be exactly 12 digits"
    );
    let f = err.to_finding("the role ARN", Some(Location::new(1, 2)));
    assert_eq!(f.code, Code::AwsArnInvalid);
    assert_eq!(f.location, Some(Location::new(1, 2)));
    // Negative: the fixture's ARNs are valid.
    let provider = SamlProviderArn::parse(PROVIDER_ARN, ArnOptions::default()).unwrap();
    assert!(provider.name_warnings(None).is_empty());
    let instance = ConnectInstanceArn::parse(
        &format!("arn:aws:connect:eu-west-2:123456789012:instance/{INSTANCE_ID}"),
        ArnOptions::default(),
    )
    .unwrap();
    assert_eq!(instance.instance_id(), INSTANCE_ID);
}

#[test]
fn provider_name_outside_the_api_regex_warns() {
    let (pairs, findings) = role_check(
        ROLE,
        &["arn:aws:iam::123456789012:saml-provider/Azure+AD,arn:aws:iam::123456789012:role/r"],
    );
    assert_eq!(pairs.len(), 1, "the pair is still usable");
    assert_eq!(codes(&findings), vec![Code::AwsArnInvalid]);
    assert_eq!(findings[0].severity, Severity::Warning);
}

// ------------------------------------------------------------------ Role attribute

#[test]
fn fixture_role_is_clean_and_provider_first() {
    let (pairs, findings) = role_check(ROLE, &[FIXTURE_ROLE]);
    assert!(findings.is_empty(), "{findings:?}");
    assert_eq!(pairs[0].order, RoleOrder::ProviderFirst);
    assert_eq!(pairs[0].provider.as_str(), PROVIDER_ARN);
    assert_eq!(pairs[0].location, Some(Location::new(12, 4)));
}

#[test]
fn saml2aws_role_first_and_provider_first_offer_a_choice() {
    let (pairs, findings) = role_check(ROLE, &SAML2AWS_AAD_ROLES);
    assert_eq!(pairs.len(), 2);
    assert!(pairs.iter().all(|p| p.order == RoleOrder::RoleFirst));
    assert_eq!(codes(&findings), vec![Code::AwsRoleChoice]);
    assert_eq!(findings[0].severity, Severity::Info);
    assert!(
        findings[0]
            .message
            .contains("arn:aws:iam::012345678901:role/example_role")
    );

    let (pairs, findings) = role_check(ROLE, &SAML2AWS_ADFS_ROLES);
    assert!(pairs.iter().all(|p| p.order == RoleOrder::ProviderFirst));
    assert_eq!(pairs[1].role.name(), "AWS-Admin-CloudOPSNonProd");
    assert_eq!(codes(&findings), vec![Code::AwsRoleChoice]);
}

#[test]
fn pingfed_padding_is_trimmed_with_warnings() {
    let (pairs, findings) = role_check(ROLE, &PINGFED_ROLES);
    assert_eq!(pairs.len(), 5);
    assert!(pairs.iter().all(|p| p.trimmed));
    let whitespace = findings
        .iter()
        .filter(|f| f.code == Code::AwsRoleWhitespace)
        .count();
    assert_eq!(whitespace, 5);
    assert!(errors(&findings).is_empty());
    assert!(findings.iter().any(|f| f.code == Code::AwsRoleChoice));
}

#[test]
fn role_errors_quote_the_console_message() {
    let (_, missing) = role_check(SESSION, &["alice"]);
    assert_eq!(codes(&missing), vec![Code::AwsRoleMissing]);
    let (_, near) = role_check(
        "https://aws.amazon.com/SAML/Attributes/role",
        &[FIXTURE_ROLE],
    );
    assert_eq!(codes(&near), vec![Code::AwsRoleNameCase]);
    assert!(
        near[0]
            .message
            .contains("'https://aws.amazon.com/SAML/Attributes/Role'")
    );
    let (_, malformed) = role_check(
        ROLE,
        &["arn:aws:iam::123456789012:saml-provider/AzureAD;arn:aws:iam::123456789012:role/r"],
    );
    assert_eq!(codes(&malformed), vec![Code::AwsRoleMalformed]);
    for f in missing.iter().chain(&near).chain(&malformed) {
        assert!(f.message.contains(aws::AWS_INVALID_SAML_RESPONSE), "{f}");
    }
}

#[test]
fn role_consistency_checks() {
    let (_, f) = role_check(
        ROLE,
        &["arn:aws:iam::111122223333:saml-provider/AzureAD,arn:aws:iam::123456789012:role/r"],
    );
    assert_eq!(codes(&f), vec![Code::AwsRoleAccountMismatch]);
    let (_, f) = role_check(
        ROLE,
        &["arn:aws-cn:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/r"],
    );
    assert_eq!(codes(&f), vec![Code::AwsRolePartitionMismatch]);
    let (_, f) = role_check(
        ROLE,
        &[
            "arn:aws:iam::123456789012:saml-provider/AzureAD,arn:aws:iam::123456789012:role/AWSReservedSSO_Connect_0123456789abcdef",
        ],
    );
    assert_eq!(codes(&f), vec![Code::AwsRoleReservedSsoRole]);
    let (pairs, f) = role_check(ROLE, &[FIXTURE_ROLE, &format!(" {FIXTURE_ROLE}")]);
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        codes(&f),
        vec![Code::AwsRoleWhitespace, Code::AwsRoleDuplicate]
    );
}

// ------------------------------------------------------------------ session attributes

fn session_check(attrs: &[(&str, &[&str])]) -> (aws::SessionAttributes, Vec<Finding>) {
    let owned: Vec<(String, Vec<String>)> = attrs
        .iter()
        .map(|(n, v)| (n.to_string(), strings(v)))
        .collect();
    let refs: Vec<SamlAttributeRef<'_>> = owned
        .iter()
        .map(|(n, v)| SamlAttributeRef {
            name: n,
            values: v,
            location: None,
        })
        .collect();
    check_session(&refs)
}

#[test]
fn fixture_session_attributes_are_clean() {
    let (s, f) = session_check(&[
        (SESSION, &["alice.example@contoso.com"]),
        (aws::SESSION_DURATION_ATTRIBUTE, &["3600"]),
    ]);
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(s.session_name.as_deref(), Some("alice.example@contoso.com"));
    assert_eq!(s.effective_duration_seconds(), 3600);
    // saml2aws ADFS sample: SessionDuration 28800.
    let (s, f) = session_check(&[
        (SESSION, &["wolfeidau@example.com"]),
        (aws::SESSION_DURATION_ATTRIBUTE, &["28800"]),
    ]);
    assert!(f.is_empty());
    assert_eq!(s.duration_seconds, Some(28800));
}

#[test]
fn pingfed_session_name_is_trimmed() {
    let (s, f) = session_check(&[(SESSION, &[PINGFED_SESSION_NAME])]);
    assert_eq!(s.session_name.as_deref(), Some("evan.mclean"));
    assert!(errors(&f).is_empty());
    assert_eq!(codes(&f), vec![Code::AwsSessionNameInvalid]);
}

#[test]
fn session_errors_quote_sts() {
    let (_, f) = session_check(&[]);
    assert_eq!(codes(&f), vec![Code::AwsSessionNameMissing]);
    assert!(
        f[0].message
            .contains("RoleSessionName is required in AuthnResponse")
    );
    let (_, f) = session_check(&[(SESSION, &["Alice Example"])]);
    assert_eq!(codes(&f), vec![Code::AwsSessionNameInvalid]);
    assert!(f[0].message.contains("must match [a-zA-Z_0-9+=,.@-]{2,64}"));
    let (_, f) = session_check(&[
        (SESSION, &["alice"]),
        (aws::SESSION_DURATION_ATTRIBUTE, &["86400"]),
    ]);
    assert_eq!(codes(&f), vec![Code::AwsSessionDurationInvalid]);
    let (_, f) = session_check(&[
        (SESSION, &["alice"]),
        (aws::SOURCE_IDENTITY_ATTRIBUTE, &["aws:alice"]),
    ]);
    assert_eq!(codes(&f), vec![Code::AwsSourceIdentityInvalid]);
    assert!(f[0].message.contains("not begin with \"aws:\""));
}

#[test]
fn tags_and_transitive_keys() {
    let dept = format!("{}Department", aws::PRINCIPAL_TAG_PREFIX);
    let reserved = format!("{}aws:Team", aws::PRINCIPAL_TAG_PREFIX);
    let (s, f) = session_check(&[
        (SESSION, &["alice"]),
        (aws::SOURCE_IDENTITY_ATTRIBUTE, &["alice@contoso.com"]),
        (&dept, &["Contact Centre"]),
        (aws::TRANSITIVE_TAG_KEYS_ATTRIBUTE, &["department"]),
    ]);
    assert!(f.is_empty(), "{f:?}");
    assert!(s.sends_tags() && s.sends_source_identity());
    assert_eq!(s.transitive_tag_keys, vec!["department".to_string()]);
    let (_, f) = session_check(&[
        (SESSION, &["alice"]),
        (&reserved, &["x"]),
        (aws::TRANSITIVE_TAG_KEYS_ATTRIBUTE, &["CostCenter"]),
    ]);
    assert_eq!(
        codes(&f),
        vec![Code::AwsPrincipalTagInvalid, Code::AwsTransitiveTagInvalid]
    );
}

// ------------------------------------------------------------------ endpoints

#[test]
fn recipient_and_audience_of_the_fixtures_are_accepted() {
    let (e, f) = check_recipient("https://signin.aws.amazon.com/saml");
    assert!(f.is_empty());
    assert_eq!(e.unwrap().implied_region(), Some("us-east-1"));
    let (a, f) = check_audience("urn:amazon:webservices");
    assert!(a.is_some() && f.is_empty());
    assert!(
        check_name_id(
            Some("alice.example@contoso.com"),
            Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
        )
        .is_empty()
    );
}

#[test]
fn endpoint_errors() {
    let (_, f) = check_recipient("https://eu-west-2.signin.aws.amazon.com/saml/");
    assert_eq!(codes(&f), vec![Code::AwsRecipientInvalid]);
    assert!(f[0].message.contains("eu-west-2"), "{}", f[0].message);
    let (_, f) = check_audience("https://signin.aws.amazon.com/saml#1");
    assert_eq!(codes(&f), vec![Code::AwsAudienceInvalid]);
    assert!(
        f[0].message
            .contains("Response does not contain the required audience.")
    );
    let f = check_name_id(None, None);
    assert_eq!(codes(&f), vec![Code::AwsNameIdInvalid]);
}

// ------------------------------------------------------------------ relay state

#[test]
fn relay_states_from_the_connect_docs() {
    for url in [
        "https://us-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "https://eu-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?destination=%2Fccp-v2%2Fchat&new_domain=true",
        "https://eu-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?destination=%2Fccp-v2%2Fchat%26new_domain=true",
        "https://eu-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?destination=%2Fagent-app-v2?VDIPlatform=CITRIX_413",
        "https://console.amazonaws-us-gov.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    ] {
        let (rs, f) = ConnectRelayState::parse(url);
        assert!(rs.is_some(), "{url}");
        assert_eq!(codes(&f), vec![Code::ConnectRelayStateLong], "{url}");
        assert_eq!(f[0].severity, Severity::Info);
    }
    let (rs, _) = ConnectRelayState::parse(
        "https://console.amazonaws-us-gov.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    );
    assert_eq!(rs.unwrap().partition(), Partition::AwsUsGov);
}

#[test]
fn relay_state_problems() {
    let (rs, f) = ConnectRelayState::parse(
        "https://eu-west-2.console.aws.amazon.com/connect/federate/AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",
    );
    assert!(rs.is_none());
    assert!(codes(&f).contains(&Code::ConnectRelayStateInvalid));
    let (rs, f) = ConnectRelayState::parse(
        "https://eu-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?destination=%2Fccp-v3",
    );
    assert!(rs.is_some());
    assert!(codes(&f).contains(&Code::ConnectRelayStateDestinationUnknown));
    assert!(errors(&f).is_empty());
}

// ------------------------------------------------------------------ IAM policies

fn expectations(recipient: &str) -> TrustExpectations<'_> {
    TrustExpectations {
        provider_arn: PROVIDER_ARN,
        recipient,
        sends_tags: false,
        sends_source_identity: false,
    }
}

fn target() -> ConnectTarget<'static> {
    ConnectTarget {
        partition: Partition::Aws,
        region: "eu-west-2",
        account: "123456789012",
        instance_id: INSTANCE_ID,
    }
}

#[test]
fn trust_policy_file_and_get_role_output_agree() {
    let doc = policy("trust-policy.json");
    let from_cli = policy("get-role-urlencoded.json");
    assert_eq!(from_cli.source, aws::PolicySource::GetRole);
    assert_eq!(
        from_cli.role_name.as_deref(),
        Some("amazon-connect-federation-role")
    );
    assert_eq!(from_cli.statements, doc.statements);
    for recipient in [
        "https://signin.aws.amazon.com/saml",
        "https://eu-west-2.signin.aws.amazon.com/saml",
    ] {
        let (v, f) = check_trust_policy(&from_cli, &expectations(recipient));
        assert!(v.assume_role_with_saml.is_allowed(), "{recipient}");
        assert!(f.is_empty(), "{recipient}: {f:?}");
    }
}

#[test]
fn trust_policy_problems() {
    let doc = policy("trust-policy.json");
    let (v, f) = check_trust_policy(
        &doc,
        &expectations("https://us-east-2.signin.aws.amazon.com/saml"),
    );
    assert!(!v.assume_role_with_saml.is_allowed());
    assert_eq!(codes(&f), vec![Code::IamTrustAudienceMismatch]);
    assert!(
        f[0].message.contains("must list it too"),
        "{}",
        f[0].message
    );

    let urn = policy("trust-policy-audience-urn.json");
    let mut e = expectations("https://signin.aws.amazon.com/saml");
    e.sends_tags = true;
    e.sends_source_identity = true;
    let (_, f) = check_trust_policy(&urn, &e);
    assert_eq!(
        codes(&f),
        vec![
            Code::IamTrustAudienceMismatch,
            Code::IamTrustAudienceMismatch,
            Code::IamTrustMissingAction
        ]
    );
    assert!(f[0].message.contains("not the Audience"));
    assert!(f[2].message.contains("sts:SetSourceIdentity"));

    let mut other = expectations("https://signin.aws.amazon.com/saml");
    other.provider_arn = "arn:aws:iam::210987654321:saml-provider/AzureAD";
    let (_, f) = check_trust_policy(&doc, &other);
    assert_eq!(codes(&f), vec![Code::IamTrustProviderMismatch]);
    assert!(
        f[0].message
            .contains("in account 123456789012 instead of 210987654321"),
        "{}",
        f[0].message
    );
}

#[test]
fn trust_policy_deny_and_unsupported() {
    let doc = parse_policy(
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/AzureAD"},"Action":"sts:*"},
            {"Sid":"NoSaml","Effect":"Deny","Principal":"*","Action":"sts:AssumeRoleWithSAML"},
            {"Effect":"Allow","Principal":"*","NotAction":"iam:*"}]}"#,
    )
    .unwrap();
    let (v, f) = check_trust_policy(&doc, &expectations("https://signin.aws.amazon.com/saml"));
    assert!(matches!(
        v.assume_role_with_saml,
        aws::policy::Verdict::Denied { .. }
    ));
    assert_eq!(codes(&f), vec![Code::IamTrustMissingAction]);
    assert!(f[0].message.contains("\"NoSaml\""));
    let allow_only = parse_policy(
        r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/AzureAD"},"Action":"sts:AssumeRoleWithSAML"},
            {"Effect":"Allow","Principal":"*","NotAction":"iam:*"}]}"#,
    )
    .unwrap();
    let (v, f) = check_trust_policy(
        &allow_only,
        &expectations("https://signin.aws.amazon.com/saml"),
    );
    assert!(v.assume_role_with_saml.is_allowed());
    assert_eq!(codes(&f), vec![Code::IamPolicyUnsupported]);
}

#[test]
fn permissions_policies_that_work() {
    for name in [
        "permissions-policy.json",
        "permissions-policy-instance-condition.json",
        "get-role-policy.json",
    ] {
        let (v, f) = check_connect_permissions(&[policy(name)], &target());
        assert!(v.is_allowed(), "{name}");
        assert!(f.is_empty(), "{name}: {f:?}");
    }
}

#[test]
fn permissions_policy_problems() {
    let (_, f) =
        check_connect_permissions(&[policy("permissions-policy-other-region.json")], &target());
    assert_eq!(codes(&f), vec![Code::ConnectPolicyRegionMismatch]);
    assert!(
        f[0].message
            .contains("Access denied, Please contact your AWS account administrator")
    );

    let mut other_account = target();
    other_account.account = "210987654321";
    let (_, f) = check_connect_permissions(&[policy("permissions-policy.json")], &other_account);
    assert_eq!(codes(&f), vec![Code::ConnectPolicyAccountMismatch]);

    let mut other_instance = target();
    other_instance.instance_id = "11111111-2222-3333-4444-555555555555";
    let (_, f) = check_connect_permissions(&[policy("permissions-policy.json")], &other_instance);
    assert_eq!(codes(&f), vec![Code::ConnectPolicyInstanceMismatch]);
    let (_, f) = check_connect_permissions(
        &[policy("permissions-policy-instance-condition.json")],
        &other_instance,
    );
    assert_eq!(codes(&f), vec![Code::ConnectPolicyInstanceMismatch]);

    let (_, f) = check_connect_permissions(&[policy("trust-policy.json")], &target());
    assert_eq!(codes(&f), vec![Code::ConnectPolicyMissingAction]);

    // Without "Version": "2012-10-17", ${aws:userid} is literal text.
    let old = testdata("permissions-policy.json").replace("\"Version\": \"2012-10-17\",", "");
    let (v, f) = check_connect_permissions(&[parse_policy(&old).unwrap()], &target());
    assert!(!v.is_allowed());
    assert_eq!(codes(&f), vec![Code::ConnectPolicyMissingAction]);
    assert!(f[0].message.contains("2012-10-17"));
}

#[test]
fn policy_wildcards_and_deny() {
    let wildcard = parse_policy(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"connect:Get*",
            "Resource":"arn:aws:connect:eu-west-?:123456789012:instance/*"}}"#,
    )
    .unwrap();
    let (v, f) = check_connect_permissions(std::slice::from_ref(&wildcard), &target());
    assert!(v.is_allowed() && f.is_empty());
    let deny = parse_policy(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"connect:*","Resource":"*"}}"#,
    )
    .unwrap();
    let (v, f) = check_connect_permissions(&[wildcard, deny], &target());
    assert!(!v.is_allowed());
    assert_eq!(codes(&f), vec![Code::ConnectPolicyMissingAction]);
    assert!(f[0].message.contains("explicitly denies"));
}

#[test]
fn policy_invalid_reports_line_and_column() {
    let broken =
        testdata("trust-policy.json").replace("\"Effect\": \"Allow\",", "\"Effect\": \"Allow\"");
    let err = parse_policy(&broken).unwrap_err();
    let f = err.to_finding();
    assert_eq!(f.code, Code::IamPolicyInvalid);
    assert_eq!(f.location, Some(Location::new(7, 7)), "{f}");
    // A shape error inside the URL-encoded document names the decoded field.
    let get_role = testdata("get-role-urlencoded.json").replace("%22Allow%22", "%22Permit%22");
    let err = parse_policy(&get_role).unwrap_err();
    assert!(
        err.to_string()
            .contains("the decoded Role.AssumeRolePolicyDocument"),
        "{err}"
    );
    assert!(err.to_string().contains("Permit"));
}

// ------------------------------------------------------------------ robustness

/// Mangles valid inputs (byte deletions, duplications, odd characters) with a
/// fixed pseudo-random sequence and runs every parser on them: none may panic.
#[test]
fn mangled_inputs_never_panic() {
    let seeds: Vec<String> = vec![
        FIXTURE_ROLE.to_string(),
        PINGFED_ROLES[0].to_string(),
        "https://eu-west-2.console.aws.amazon.com/connect/federate/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee?destination=%2Fagent-app-v2?VDIPlatform=CITRIX_413&new_domain=true".to_string(),
        "https://eu-west-2.signin.aws.amazon.com/saml".to_string(),
        testdata("trust-policy.json"),
        testdata("get-role-urlencoded.json"),
        testdata("permissions-policy-instance-condition.json"),
    ];
    let odd = [
        '%', ',', '/', ':', '*', '?', '$', '{', '}', '"', '\n', 'é', '\u{a0}', '\u{feff}', '&', '=',
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for seed in &seeds {
        for _ in 0..300 {
            let mut chars: Vec<char> = seed.chars().collect();
            for _ in 0..(1 + next() % 4) {
                if chars.is_empty() {
                    break;
                }
                let at = next() % chars.len();
                match next() % 3 {
                    0 => {
                        chars.remove(at);
                    }
                    1 => chars.insert(at, odd[next() % odd.len()]),
                    _ => {
                        let c = chars[at];
                        chars.insert(at, c);
                    }
                }
            }
            let s: String = chars.into_iter().collect();
            let _ = Arn::parse(
                &s,
                ArnOptions {
                    allow_other_partitions: true,
                },
            );
            let _ = role_check(ROLE, &[&s]);
            let _ = session_check(&[(SESSION, &[&s]), (aws::SESSION_DURATION_ATTRIBUTE, &[&s])]);
            let _ = ConnectRelayState::parse(&s);
            let _ = check_recipient(&s);
            let _ = check_audience(&s);
            if let Ok(doc) = parse_policy(&s) {
                let _ = check_trust_policy(&doc, &expectations(&s));
                let _ = check_connect_permissions(&[doc], &target());
            }
        }
    }
}

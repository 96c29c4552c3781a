//! What each finding code means, how to fix it, and where AWS or Microsoft
//! document it: the catalogue behind `saml-inspect explain` and the fix
//! lines of the text reports.
//!
//! [`explain`] is an exhaustive `match` over [`Code`], so a code added to
//! `src/codes.rs` without an explanation does not compile.
//!
//! The documentation links are the published pages of the sources cited in
//! the project's rules document (the IAM, Amazon Connect, IAM Identity
//! Center and AWS General Reference guides, and Microsoft Entra's
//! documentation); codes about generic XML or encoding problems have none.

use serde::Serialize;

use crate::codes::Code;

/// One documentation page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Doc {
    /// The page title, as the vendor names it.
    pub title: &'static str,
    /// The page address.
    pub url: &'static str,
}

/// Cause, fix and documentation of one finding code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The code explained.
    pub code: Code,
    /// Why the finding is made: what is wrong and what usually causes it.
    pub cause: &'static str,
    /// What to do about it, one sentence a person can act on.
    pub fix: &'static str,
    /// The AWS or Microsoft page that documents the rule, where one applies.
    pub doc: Option<Doc>,
}

/// AWS and Microsoft documentation pages the explanations link to.
pub mod docs {
    use super::Doc;

    /// IAM User Guide: configuring SAML assertions for the authentication response.
    pub const IAM_SAML_ASSERTIONS: Doc = Doc {
        title: "IAM User Guide: Configure SAML assertions for the authentication response",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html",
    };
    /// IAM User Guide: troubleshooting SAML 2.0 federation.
    pub const IAM_SAML_TROUBLESHOOT: Doc = Doc {
        title: "IAM User Guide: Troubleshoot SAML 2.0 federation with AWS",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html",
    };
    /// IAM User Guide: creating a role for SAML 2.0 federation (trust policy).
    pub const IAM_ROLE_FOR_SAML: Doc = Doc {
        title: "IAM User Guide: Create a role for a third-party identity provider (SAML 2.0 federation)",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html",
    };
    /// IAM User Guide: creating a SAML identity provider (metadata upload).
    pub const IAM_CREATE_SAML_PROVIDER: Doc = Doc {
        title: "IAM User Guide: Create a SAML identity provider in IAM",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml.html",
    };
    /// IAM User Guide: session tags.
    pub const IAM_SESSION_TAGS: Doc = Doc {
        title: "IAM User Guide: Pass session tags in AWS STS",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html",
    };
    /// IAM User Guide: IAM identifiers (ARN grammar).
    pub const IAM_IDENTIFIERS: Doc = Doc {
        title: "IAM User Guide: IAM identifiers",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html",
    };
    /// IAM User Guide: condition keys, including `SAML:aud`.
    pub const IAM_CONDITION_KEYS: Doc = Doc {
        title: "IAM User Guide: AWS STS condition context keys (SAML:aud)",
        url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html",
    };
    /// Amazon Connect Administrator Guide: SAML 2.0 based single sign-on.
    pub const CONNECT_SAML: Doc = Doc {
        title: "Amazon Connect Administrator Guide: Configure SAML with IAM for Amazon Connect",
        url: "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
    };
    /// Amazon Connect Administrator Guide: troubleshooting SAML.
    pub const CONNECT_SAML_TROUBLESHOOT: Doc = Doc {
        title: "Amazon Connect Administrator Guide: Troubleshoot SAML with Amazon Connect",
        url: "https://docs.aws.amazon.com/connect/latest/adminguide/troubleshoot-saml.html",
    };
    /// AWS General Reference: AWS sign-in endpoints.
    pub const SIGNIN_ENDPOINTS: Doc = Doc {
        title: "AWS General Reference: AWS Sign-In endpoints",
        url: "https://docs.aws.amazon.com/general/latest/gr/signin-service.html",
    };
    /// IAM Identity Center User Guide: rotating the IAM Identity Center certificate.
    pub const IDC_ROTATE_CERT: Doc = Doc {
        title: "IAM Identity Center User Guide: Rotate the IAM Identity Center certificate",
        url: "https://docs.aws.amazon.com/singlesignon/latest/userguide/rotatecert.html",
    };
    /// IAM Identity Center User Guide: troubleshooting.
    pub const IDC_TROUBLESHOOT: Doc = Doc {
        title: "IAM Identity Center User Guide: Troubleshooting IAM Identity Center issues",
        url: "https://docs.aws.amazon.com/singlesignon/latest/userguide/troubleshooting.html",
    };
    /// Microsoft Entra: managing certificates for federated single sign-on.
    pub const ENTRA_CERTIFICATES: Doc = Doc {
        title: "Microsoft Entra: Manage certificates for federated single sign-on",
        url: "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/tutorial-manage-certificates-for-federated-single-sign-on",
    };
    /// Microsoft Entra: SAML token signing options.
    pub const ENTRA_SIGNING_OPTIONS: Doc = Doc {
        title: "Microsoft Entra: Advanced certificate signing options in a SAML token",
        url: "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/certificate-signing-options",
    };
    /// Microsoft Entra: the single sign-on SAML protocol.
    pub const ENTRA_SAML_PROTOCOL: Doc = Doc {
        title: "Microsoft identity platform: Single sign-on SAML protocol",
        url: "https://learn.microsoft.com/en-us/entra/identity-platform/single-sign-on-saml-protocol",
    };
    /// Microsoft Entra: federation metadata.
    pub const ENTRA_FEDERATION_METADATA: Doc = Doc {
        title: "Microsoft identity platform: Federation metadata",
        url: "https://learn.microsoft.com/en-us/entra/identity-platform/federation-metadata",
    };
    /// Microsoft Entra: SAML token claims reference.
    pub const ENTRA_SAML_TOKENS: Doc = Doc {
        title: "Microsoft identity platform: SAML token claims reference",
        url: "https://learn.microsoft.com/en-us/entra/identity-platform/reference-saml-tokens",
    };
    /// Microsoft Entra: SAML token encryption.
    pub const ENTRA_TOKEN_ENCRYPTION: Doc = Doc {
        title: "Microsoft Entra: Configure SAML token encryption",
        url: "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/howto-saml-token-encryption",
    };
    /// Microsoft Entra: the AWS Single-Account Access gallery app tutorial.
    pub const ENTRA_AWS_TUTORIAL: Doc = Doc {
        title: "Microsoft Entra SSO integration with AWS Single-Account Access",
        url: "https://learn.microsoft.com/en-us/entra/identity/saas-apps/amazon-web-service-tutorial",
    };

    /// Every page, for tests and listings.
    pub const ALL: &[Doc] = &[
        IAM_SAML_ASSERTIONS,
        IAM_SAML_TROUBLESHOOT,
        IAM_ROLE_FOR_SAML,
        IAM_CREATE_SAML_PROVIDER,
        IAM_SESSION_TAGS,
        IAM_IDENTIFIERS,
        IAM_CONDITION_KEYS,
        CONNECT_SAML,
        CONNECT_SAML_TROUBLESHOOT,
        SIGNIN_ENDPOINTS,
        IDC_ROTATE_CERT,
        IDC_TROUBLESHOOT,
        ENTRA_CERTIFICATES,
        ENTRA_SIGNING_OPTIONS,
        ENTRA_SAML_PROTOCOL,
        ENTRA_FEDERATION_METADATA,
        ENTRA_SAML_TOKENS,
        ENTRA_AWS_TUTORIAL,
        ENTRA_TOKEN_ENCRYPTION,
    ];
}

/// The cause, fix and documentation of `code`.
pub fn explain(code: Code) -> Explanation {
    use docs::*;
    let (cause, fix, doc): (&str, &str, Option<Doc>) = match code {
        // --- input decoding
        Code::DecodeBinding => (
            "Informational: the input was recognised as raw XML, an HTTP-POST base64 value, a form body or an HTTP-Redirect value.",
            "Nothing to fix; check that the binding is the one the receiving endpoint expects (AWS sign-in takes HTTP-POST).",
            Some(SIGNIN_ENDPOINTS),
        ),
        Code::DecodeUnrecognized => (
            "The input is none of the forms a SAML message travels in; often a truncated copy, an HTML error page, or a JWT pasted by mistake.",
            "Copy the SAMLResponse value again (browser developer tools, Network tab, the POST to the sign-in endpoint) or export a HAR file and run `saml-inspect har`.",
            None,
        ),
        Code::DecodeBase64Invalid => (
            "The base64 text has a character outside the alphabet, wrong padding, or was cut off while copying.",
            "Copy the complete SAMLResponse value; if it came from a URL-encoded form, pass the whole form body so %2B and %3D are decoded.",
            None,
        ),
        Code::DecodeBase64UrlSafe => (
            "The value uses '-' and '_' (URL-safe base64); the SAML bindings use the standard alphabet with '+' and '/'.",
            "Pass the value exactly as the browser posted it, or fix the software that re-encoded it.",
            None,
        ),
        Code::DecodeFormInvalid => (
            "The URL-encoded form body has a broken %-escape or carries neither SAMLResponse nor SAMLRequest.",
            "Pass the full form body of the POST (SAMLResponse=...&RelayState=...) or only the SAMLResponse value.",
            None,
        ),
        Code::DecodeInflateFailed => (
            "An HTTP-Redirect value must be raw DEFLATE data under the base64; this one is not (or is a POST value given as a redirect).",
            "Pass the SAMLRequest/SAMLResponse query parameter of the redirect URL unchanged, or the whole URL.",
            None,
        ),
        Code::DecodeLimitExceeded => (
            "The decoded or inflated message is larger than the configured limit, which protects against decompression bombs.",
            "Check that the input is a single SAML message; genuine responses are a few kilobytes.",
            None,
        ),
        // --- XML
        Code::XmlMalformed => (
            "The XML is not well-formed: a tag is not closed, there are several root elements, data follows the root, or a prefix is not bound to a namespace.",
            "Inspect the original message rather than a reformatted or hand-edited copy; fix the issuing software if it emits unbound prefixes.",
            None,
        ),
        Code::XmlDtdForbidden => (
            "The input declares a DOCTYPE. SAML never needs one, and DTDs enable entity-expansion and external-entity attacks.",
            "Reject the message; a genuine identity provider does not send a DOCTYPE.",
            None,
        ),
        Code::XmlLimitExceeded => (
            "The document is deeper, larger or has more nodes, attributes or text than the parser allows.",
            "Check that the input is a genuine SAML message; hostile documents are built to exhaust parsers.",
            None,
        ),
        Code::XmlEncoding => (
            "The input is not UTF-8 or declares another encoding; SAML messages and AWS metadata uploads are UTF-8.",
            "Convert the file to UTF-8 (without byte-order mark for IAM) and remove the encoding declaration if it names another one.",
            Some(IAM_CREATE_SAML_PROVIDER),
        ),
        Code::XmlBom => (
            "The input starts with a UTF-8 byte-order mark; Entra's metadata downloads carry one.",
            "Nothing to fix for a message; strip the byte-order mark before uploading metadata to IAM.",
            Some(IAM_CREATE_SAML_PROVIDER),
        ),
        Code::XmlC14nUnsupported => (
            "The canonicalization asked for (node, exclusion list or algorithm) is not one the canonicalizer can render, so nothing is digested.",
            "Use exclusive canonicalization (what SAML signatures use) or a supported C14N 1.0 variant.",
            None,
        ),
        // --- SAML model
        Code::SamlNotSaml => (
            "The root element is not a SAML protocol message, assertion or metadata in the SAML 2.0 namespaces.",
            "Pass a SAML 2.0 Response, Assertion, AuthnRequest or metadata document; WS-Federation tokens and SAML 1.1 are not SAML 2.0.",
            Some(ENTRA_SAML_PROTOCOL),
        ),
        Code::SamlStructure => (
            "A required SAML element is missing, appears twice, is in the wrong place or has an invalid value.",
            "Fix the identity provider's claim or response configuration so the message follows the SAML 2.0 schema.",
            Some(ENTRA_SAML_PROTOCOL),
        ),
        Code::SamlEncryptedAssertion => (
            "The response carries an EncryptedAssertion; its content can only be read with the service provider's private key.",
            "To read it here, pass --decrypt-key with the service provider's key. For IAM, configure the SAML provider's private key; IAM Identity Center as service provider does not accept encrypted assertions, so turn token encryption off in Entra for that app.",
            Some(IAM_CREATE_SAML_PROVIDER),
        ),
        Code::SamlAdvice => (
            "The assertion carries an Advice element; its content is not covered by any decision and can hide injected data.",
            "Remove Advice from the identity provider's configuration; nothing in it is trusted.",
            None,
        ),
        Code::SamlStatus => (
            "The identity provider answered with a non-Success status, often with an AADSTS error code in StatusMessage.",
            "Look up the AADSTS code in the StatusMessage and fix the Entra app (user assignment, reply URL, identifier).",
            Some(ENTRA_SAML_PROTOCOL),
        ),
        Code::SamlVersion => (
            "The message's Version is not 2.0.",
            "Configure the identity provider to send SAML 2.0.",
            Some(ENTRA_SAML_PROTOCOL),
        ),
        Code::SamlAssertionCount => (
            "The response carries no assertion or several; AWS and the SAML profile expect exactly one.",
            "Configure the identity provider to send one (signed) assertion per response.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::SamlIssuerMismatch => (
            "The Issuer is not the identity provider expected; AWS answers \"Issuer not present in specified provider\".",
            "Upload the current metadata of the identity provider that actually signs (its entityID must equal the Issuer), e.g. `aws iam update-saml-provider`.",
            Some(IAM_SAML_TROUBLESHOOT),
        ),
        Code::SamlDestinationMismatch => (
            "The response's Destination is not the endpoint it was posted to; the reply URL in the identity provider is wrong.",
            "Set the identity provider's reply URL (ACS) to the service provider's endpoint, e.g. https://signin.aws.amazon.com/saml.",
            Some(SIGNIN_ENDPOINTS),
        ),
        Code::SamlRecipientMismatch => (
            "No bearer SubjectConfirmationData names the expected Recipient; AWS requires Recipient to be its sign-in endpoint.",
            "Set the reply URL in the identity provider to the AWS sign-in endpoint (regional or global) the trust policy's SAML:aud allows.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::SamlSubjectConfirmation => (
            "There is no usable bearer SubjectConfirmation with NotOnOrAfter and Recipient, which AWS requires.",
            "Configure the identity provider to send a bearer SubjectConfirmation with NotOnOrAfter and Recipient.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::SamlNotYetValid => (
            "NotBefore is in the future beyond the allowed clock skew: the identity provider's or this machine's clock is wrong.",
            "Synchronise clocks (NTP) on the identity provider and the checking machine; check --now if one was given.",
            Some(IAM_SAML_TROUBLESHOOT),
        ),
        Code::SamlExpired => (
            "The assertion or its confirmation expired (Entra's assertions are valid about 70 minutes, the confirmation a few minutes); the response was replayed or checked too late.",
            "Sign in again to get a fresh response; check with --now at the time the response was captured.",
            Some(IAM_SAML_TROUBLESHOOT),
        ),
        Code::SamlAudienceMismatch => (
            "The AudienceRestriction does not name the service provider; AWS answers \"Response does not contain the required audience\".",
            "Set the Identifier (entity ID) of the Entra app to urn:amazon:webservices or https://signin.aws.amazon.com/saml.",
            Some(ENTRA_AWS_TUTORIAL),
        ),
        Code::SamlInResponseTo => (
            "InResponseTo names a request the service provider did not send (or that already completed).",
            "Start the sign-in again from the service provider; for IdP-initiated sign-in the response must not carry InResponseTo.",
            Some(ENTRA_SAML_PROTOCOL),
        ),
        Code::SamlReplay => (
            "An assertion with this ID was already accepted; the message is being replayed.",
            "Sign in again; never reuse a captured SAML response.",
            None,
        ),
        Code::SamlTimestampInvalid => (
            "A timestamp is not a valid xs:dateTime, or IssueInstant is too old or in the future.",
            "Fix the identity provider's clock or the software that formats the timestamps (UTC with a Z suffix).",
            Some(ENTRA_SAML_PROTOCOL),
        ),
        // --- signatures
        Code::SignatureMissing => (
            "A signature the service provider requires is absent; AWS's metadata asks for signed assertions.",
            "Enable \"Sign SAML assertion\" (or response and assertion) in the Entra app's signing options.",
            Some(ENTRA_SIGNING_OPTIONS),
        ),
        Code::SignatureStructure => (
            "The Signature element is not shaped as the SAML signature profile requires (one Reference, expected children).",
            "Reject the message; a genuine identity provider produces profile-conformant signatures.",
            None,
        ),
        Code::SignatureReferenceInvalid => (
            "The signature's Reference does not point at its parent element by ID, the shape of signature-wrapping attacks.",
            "Reject the message; it was altered or built by a non-conformant signer.",
            None,
        ),
        Code::SignatureDuplicateId => (
            "An ID value appears more than once, which lets a signature cover one element while another is read (signature wrapping).",
            "Reject the message; it was altered.",
            None,
        ),
        Code::SignatureTransformNotAllowed => (
            "The signature uses a transform other than enveloped-signature and exclusive canonicalization (XPath/XSLT transforms are attack surface).",
            "Reject the message; configure the signer to use the SAML profile's transforms.",
            None,
        ),
        Code::SignatureAlgorithmNotAllowed => (
            "The signature, digest or canonicalization algorithm is not allowed by the policy (SHA-1 unless --allow-sha1).",
            "Set the Entra app's signing algorithm to SHA-256, or pass --allow-sha1 for a legacy identity provider.",
            Some(ENTRA_SIGNING_OPTIONS),
        ),
        Code::SignatureDigestMismatch => (
            "The signed element changed after signing: someone edited it, or a proxy or copy reformatted the XML.",
            "Re-check with the response exactly as posted (a HAR capture or the raw SAMLResponse value); if that copy fails too, the message was altered: reject it.",
            None,
        ),
        Code::SignatureInvalid => (
            "The SignatureValue does not verify with the key; AWS answers \"Response signature invalid\", typically after a certificate rotation.",
            "Upload the current Entra signing certificate (the identity provider's current metadata) to the SAML provider, e.g. `aws iam update-saml-provider`.",
            Some(IAM_SAML_TROUBLESHOOT),
        ),
        Code::SignatureUntrustedKey => (
            "The signature verifies, but with a key that is not among the trusted certificates; usually the identity provider rotated its certificate.",
            "Upload the current Entra certificate to the service provider (IAM Identity Center or the IAM SAML provider), or trust it with --cert / --idp-metadata.",
            Some(ENTRA_CERTIFICATES),
        ),
        Code::SignatureNoTrustConfigured => (
            "No trusted certificate or metadata was given, so no signature can be verified; a certificate inside the message proves nothing.",
            "Pass the identity provider's certificate with --cert or its metadata with --idp-metadata.",
            None,
        ),
        Code::SignatureVerified => (
            "Informational: a signature verified with a trusted key.",
            "Nothing to fix.",
            None,
        ),
        // --- metadata
        Code::MetadataBom => (
            "The metadata starts with a byte-order mark; IAM refuses it with \"Could not parse metadata\". Entra's downloads carry one.",
            "Strip the first three bytes (EF BB BF) before uploading the metadata to IAM.",
            Some(IAM_SAML_TROUBLESHOOT),
        ),
        Code::MetadataExpired => (
            "The metadata's validUntil has passed; consumers must stop using it.",
            "Download current metadata from the publisher and upload it again.",
            Some(IAM_CREATE_SAML_PROVIDER),
        ),
        Code::MetadataUnsigned => (
            "The metadata carries no signature, so its integrity rests on how it was transported.",
            "Download it over HTTPS from the publisher, or compare it with the publisher's copy (--peer).",
            Some(ENTRA_FEDERATION_METADATA),
        ),
        Code::MetadataSignatureInvalid => (
            "The metadata's signature does not verify: the file was edited or damaged after signing.",
            "Download the metadata again from the publisher and do not edit it.",
            Some(ENTRA_FEDERATION_METADATA),
        ),
        Code::MetadataSignatureNotAnchored => (
            "The signature verifies with a certificate inside the document, which proves the file is intact but not who made it.",
            "Pass the publisher's certificate with --cert to anchor the signature.",
            Some(ENTRA_FEDERATION_METADATA),
        ),
        Code::MetadataNoSigningKey => (
            "The identity provider metadata lists no signing certificate, so a service provider cannot verify anything it signs.",
            "Download the metadata of the right application (Entra: the app's Federation Metadata XML) with its signing certificate.",
            Some(IAM_CREATE_SAML_PROVIDER),
        ),
        Code::MetadataHttpEndpoint => (
            "An endpoint uses plain http, which exposes SAML messages in transit.",
            "Use the https endpoints; every AWS sign-in and Entra endpoint is https.",
            Some(SIGNIN_ENDPOINTS),
        ),
        Code::MetadataSkipped => (
            "Informational: an unknown RoleDescriptor or Extensions element (e.g. Entra's WS-Federation roles) was skipped.",
            "Nothing to fix.",
            Some(ENTRA_FEDERATION_METADATA),
        ),
        // --- certificates
        Code::CertExpired => (
            "The certificate's validity has ended; Entra signs with the next active certificate, and a service provider still holding the old one fails.",
            "Activate a current certificate in the Entra app and upload it to IAM Identity Center (or the IAM SAML provider).",
            Some(ENTRA_CERTIFICATES),
        ),
        Code::CertNotYetValid => (
            "The certificate's validity has not started; a new certificate was activated too early or a clock is wrong.",
            "Wait for the certificate's start date or check the clocks; keep the current certificate active until then.",
            Some(ENTRA_CERTIFICATES),
        ),
        Code::CertExpiringSoon => (
            "The certificate expires within the warning window; sign-ins break on that day unless the new certificate is in place.",
            "Create the new certificate in Entra, upload it to the service provider, then make it active before the old one expires.",
            Some(ENTRA_CERTIFICATES),
        ),
        Code::CertWeakKey => (
            "The certificate's RSA key has fewer than 2048 bits (IAM refuses keys under 1024).",
            "Issue a new signing certificate with an RSA key of 2048 bits or more.",
            Some(IAM_CREATE_SAML_PROVIDER),
        ),
        Code::CertSha1Signed => (
            "Informational: the certificate itself is signed with SHA-1; SAML signature checks do not depend on it.",
            "Nothing to fix for SAML; replace it at the next rotation.",
            Some(ENTRA_CERTIFICATES),
        ),
        Code::CertRollover => (
            "Informational: several signing certificates are published, as during a rollover; any of them may sign.",
            "Make sure the service provider has the certificate Entra will activate next.",
            Some(IDC_ROTATE_CERT),
        ),
        Code::CertDuplicate => (
            "The same certificate is listed more than once.",
            "Remove the duplicate before uploading; IAM allows at most 10 keys per provider.",
            Some(IAM_CREATE_SAML_PROVIDER),
        ),
        Code::CertInvalid => (
            "The certificate cannot be parsed as X.509 (damaged base64, wrong PEM block, truncated copy).",
            "Download the certificate again from the identity provider (Entra: Certificate (Base64)).",
            Some(ENTRA_CERTIFICATES),
        ),
        // --- AWS
        Code::AwsRoleMissing => (
            "The https://aws.amazon.com/SAML/Attributes/Role attribute is absent; AWS answers \"Your request included an invalid SAML response\".",
            "Add the Role claim to the Entra app (source: user.assignedroles) and assign the user an app role holding \"role ARN,provider ARN\".",
            Some(IAM_SAML_TROUBLESHOOT),
        ),
        Code::AwsRoleNameCase => (
            "An attribute name is a near miss of https://aws.amazon.com/SAML/Attributes/Role; AWS matches attribute names exactly, case included.",
            "Rename the claim to exactly https://aws.amazon.com/SAML/Attributes/Role.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsRoleMalformed => (
            "A Role value is not a role ARN and a SAML provider ARN separated by one comma.",
            "Set the app role value to \"arn:aws:iam::ACCOUNT:role/NAME,arn:aws:iam::ACCOUNT:saml-provider/NAME\".",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsRoleWhitespace => (
            "A Role value has whitespace around the ARNs; AWS tolerates it in practice but it is fragile.",
            "Remove the spaces and line breaks from the app role value.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsRoleAccountMismatch => (
            "The role and the SAML provider in a Role value are in different accounts; the role must trust a provider in its own account.",
            "Use the SAML provider ARN of the role's account in the Role value.",
            Some(IAM_ROLE_FOR_SAML),
        ),
        Code::AwsRolePartitionMismatch => (
            "The role and the SAML provider are in different partitions (aws, aws-cn, aws-us-gov); cross-partition federation is impossible.",
            "Use a role and provider of the same partition.",
            Some(IAM_IDENTIFIERS),
        ),
        Code::AwsRoleReservedSsoRole => (
            "The role is an IAM Identity Center managed role (AWSReservedSSO_...), which AssumeRoleWithSAML cannot assume.",
            "Create a separate IAM role that trusts the SAML provider and put its ARN in the Role attribute.",
            Some(IAM_ROLE_FOR_SAML),
        ),
        Code::AwsRoleDuplicate => (
            "The same role and provider pair is listed more than once.",
            "Remove the duplicate app role assignment.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsRoleChoice => (
            "Informational: several Role values, so the AWS sign-in page shows a role picker.",
            "Nothing to fix; assign one role to skip the picker.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsSessionNameMissing => (
            "The RoleSessionName attribute is absent; STS answers \"RoleSessionName is required in AuthnResponse\".",
            "Add the claim https://aws.amazon.com/SAML/Attributes/RoleSessionName (Entra: user.userprincipalname).",
            Some(IAM_SAML_TROUBLESHOOT),
        ),
        Code::AwsSessionNameInvalid => (
            "The RoleSessionName is not 2 to 64 characters of [A-Za-z0-9_+=,.@-]; STS refuses it.",
            "Map RoleSessionName to a value without spaces or other characters, e.g. the user principal name.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsSessionDurationInvalid => (
            "SessionDuration is not an integer from 900 to 43200 seconds.",
            "Send a SessionDuration between 900 and 43200, not above the role's MaxSessionDuration.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsSourceIdentityInvalid => (
            "SourceIdentity is not 2 to 64 characters of [A-Za-z0-9_+=,.@-] or begins with aws:.",
            "Map SourceIdentity to a conformant value and allow sts:SetSourceIdentity in the trust policy.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsPrincipalTagInvalid => (
            "A PrincipalTag attribute breaks AWS's limits (key or value length, characters, aws: prefix, more than 50 tags).",
            "Fix the tag claims and allow sts:TagSession in the trust policy.",
            Some(IAM_SESSION_TAGS),
        ),
        Code::AwsTransitiveTagInvalid => (
            "TransitiveTagKeys names a tag that is not sent as a PrincipalTag, or is malformed.",
            "List only keys of PrincipalTag attributes the assertion carries.",
            Some(IAM_SESSION_TAGS),
        ),
        Code::AwsRecipientInvalid => (
            "The Recipient or Destination is not an AWS sign-in endpoint (https://signin.aws.amazon.com/saml or a regional one).",
            "Set the reply URL of the app to the AWS sign-in endpoint, e.g. https://signin.aws.amazon.com/saml.",
            Some(SIGNIN_ENDPOINTS),
        ),
        Code::AwsAudienceInvalid => (
            "The Audience is not one AWS accepts (urn:amazon:webservices or https://signin.aws.amazon.com/saml).",
            "Set the app's Identifier (entity ID) to urn:amazon:webservices or https://signin.aws.amazon.com/saml.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsNameIdInvalid => (
            "The NameID is missing or in a format AWS does not accept; STS answers \"Not authorized to perform sts:AssumeRoleWithSAML\".",
            "Send a NameID in a supported format (persistent, transient, emailAddress or unspecified).",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::AwsArnInvalid => (
            "A string is not a valid ARN (partition, service, empty IAM region, 12-digit account, resource).",
            "Copy the ARN from the IAM console (role or SAML provider summary).",
            Some(IAM_IDENTIFIERS),
        ),
        // --- Connect
        Code::ConnectRelayStateInvalid => (
            "The relay state is not an Amazon Connect federation URL (https://REGION.console.aws.amazon.com/connect/federate/INSTANCE-ID).",
            "Set the app's relay state to https://REGION.console.aws.amazon.com/connect/federate/INSTANCE-ID.",
            Some(CONNECT_SAML),
        ),
        Code::ConnectRelayStateDestinationUnknown => (
            "The relay state's destination parameter is not a documented Connect page.",
            "Use a documented destination such as /ccp-v2 or /agent-app-v2, or drop the parameter.",
            Some(CONNECT_SAML),
        ),
        Code::ConnectRelayStateLong => (
            "Informational: the relay state is longer than the 80 bytes SAML recommends; AWS accepts longer values.",
            "Nothing to fix unless an intermediary truncates it.",
            Some(CONNECT_SAML),
        ),
        Code::ConnectPolicyMissingAction => (
            "No statement of the role's permissions allows connect:GetFederationToken, so the console cannot open Connect.",
            "Attach a policy allowing connect:GetFederationToken on arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE-ID/user/${aws:userid}.",
            Some(CONNECT_SAML),
        ),
        Code::ConnectPolicyInstanceMismatch => (
            "The permissions policy allows GetFederationToken on another Connect instance than the relay state opens.",
            "Put the relay state's instance ID in the policy resource.",
            Some(CONNECT_SAML),
        ),
        Code::ConnectPolicyRegionMismatch => (
            "The permissions policy names another region than the Connect instance's.",
            "Use the instance's region in the policy resource ARN.",
            Some(CONNECT_SAML),
        ),
        Code::ConnectPolicyAccountMismatch => (
            "The permissions policy names another account than the Connect instance's.",
            "Use the instance's account in the policy resource ARN.",
            Some(CONNECT_SAML),
        ),
        Code::ConnectUserNotFound => (
            "No Amazon Connect user has the RoleSessionName as its user name; Connect matches them exactly, case included.",
            "Create the Connect user with the RoleSessionName as user name (e.g. the user principal name), or change the RoleSessionName mapping.",
            Some(CONNECT_SAML_TROUBLESHOOT),
        ),
        // --- IAM trust policy
        Code::IamTrustProviderMismatch => (
            "The role's trust policy does not trust the SAML provider named in the Role attribute.",
            "Set the trust policy's Principal to {\"Federated\": \"arn:aws:iam::ACCOUNT:saml-provider/NAME\"} of that provider.",
            Some(IAM_ROLE_FOR_SAML),
        ),
        Code::IamTrustAudienceMismatch => (
            "The trust policy's SAML:aud condition does not cover the Recipient the response uses (regional sign-in endpoints need their own value).",
            "Add the Recipient used (e.g. https://REGION.signin.aws.amazon.com/saml) to the SAML:aud condition.",
            Some(IAM_CONDITION_KEYS),
        ),
        Code::IamTrustMissingAction => (
            "The trust policy does not allow sts:AssumeRoleWithSAML, or sts:TagSession / sts:SetSourceIdentity that the assertion needs.",
            "Add the missing action to the trust policy statement for the SAML provider.",
            Some(IAM_ROLE_FOR_SAML),
        ),
        Code::IamPolicyInvalid => (
            "The policy document is not valid JSON or not an IAM policy (also when URL-encoded as get-role returns it).",
            "Pass the policy document itself, as `aws iam get-role` or the console shows it.",
            Some(IAM_ROLE_FOR_SAML),
        ),
        Code::IamPolicyUnsupported => (
            "A policy element was not analysed (NotAction, NotResource, NotPrincipal or an unevaluated condition), so the verdict may be incomplete.",
            "Check those statements by hand or with the IAM policy simulator.",
            Some(IAM_ROLE_FOR_SAML),
        ),
        // --- the chain
        Code::FlowIssuerNotInMetadata => (
            "The response's Issuer is not the entityID of the metadata uploaded to the SAML provider; AWS answers \"Issuer not present in specified provider\".",
            "Upload the metadata of the identity provider that issued the response (IAM Identity Center app metadata) to the IAM SAML provider.",
            Some(IAM_SAML_TROUBLESHOOT),
        ),
        Code::FlowSigningCertNotInMetadata => (
            "The response was signed with a certificate the uploaded metadata does not list, typically after a certificate rotation.",
            "Upload the current certificate (the identity provider's current metadata) to the SAML provider, e.g. `aws iam update-saml-provider`.",
            Some(IDC_ROTATE_CERT),
        ),
        Code::FlowProviderArnMismatch => (
            "The Role attribute names another SAML provider than the one the metadata was uploaded to.",
            "Put the ARN of the SAML provider holding this identity provider's metadata in the Role attribute.",
            Some(IAM_SAML_ASSERTIONS),
        ),
        Code::FlowAccountMismatch => (
            "Two artefacts of the chain name different AWS accounts (role, provider, policy or Connect instance).",
            "Use the account that holds the role, the SAML provider and the Connect instance in every artefact.",
            Some(CONNECT_SAML),
        ),
        Code::FlowRegionMismatch => (
            "Two artefacts of the chain name different regions (relay state, sign-in endpoint, Connect instance).",
            "Use the Connect instance's region in the relay state and the policy.",
            Some(CONNECT_SAML),
        ),
        Code::FlowInstanceMismatch => (
            "Two artefacts of the chain name different Connect instances.",
            "Use the same instance ID in the relay state and the permissions policy.",
            Some(CONNECT_SAML),
        ),
        Code::FlowInputInvalid => (
            "A file given to the chain check is not what its option names (not UTF-8, or not the JSON of `aws connect list-users` / an IAM policy).",
            "Pass each artefact to its own option, exported as the AWS CLI or console prints it (e.g. `aws connect list-users --instance-id ID` for --connect-users).",
            Some(CONNECT_SAML),
        ),
        Code::FlowRoleMismatch => (
            "The trust or permissions policy given was exported from another role (its RoleName) than the one the Role attribute asks AWS to assume, so its verdict does not apply to this sign-in: either the wrong policy was exported, or the identity provider sends the wrong role.",
            "Export the policy of the role named in the Role attribute (`aws iam get-role --role-name NAME`), or fix the role the identity provider sends (Entra: the app role's value; Identity Center: the permission set or application's role mapping).",
            Some(IAM_ROLE_FOR_SAML),
        ),
        Code::FlowMetadataMismatch => (
            "Two copies of metadata that must agree (the identity provider's current metadata and the copy uploaded to IAM) differ.",
            "Download the current metadata and update the SAML provider with it.",
            Some(IDC_ROTATE_CERT),
        ),
        Code::XmlencDecryptFailed => (
            "The encrypted assertion did not decrypt with the key given: the identity provider encrypted it to another certificate, or the EncryptedKey, IV, ciphertext or GCM tag was changed. Callers get this one message whatever failed, so it cannot serve as a padding or format oracle.",
            "Check that the certificate the identity provider encrypts to (Entra: the enterprise app's token-encryption certificate) is the public half of the key given; `inspect --decrypt-key` shows the operator-side reason.",
            Some(ENTRA_TOKEN_ENCRYPTION),
        ),
        Code::XmlencAlgorithmNotAllowed => (
            "The encryption names an algorithm the policy refuses: RSA-1_5 key transport (Bleichenbacher's attack) or AES-CBC content encryption (no integrity: padding oracles) without their opt-in, or 3DES or an unknown URI.",
            "Prefer RSA-OAEP with AES-GCM at the identity provider. If it offers only AES-CBC or RSA-1_5, accept them knowingly with --allow-cbc / --allow-rsa1_5 (the library: DecryptPolicy); the assertion must be signed either way.",
            Some(ENTRA_TOKEN_ENCRYPTION),
        ),
        Code::XmlencStructure => (
            "The EncryptedData or EncryptedKey is missing a part (EncryptionMethod, CipherData/CipherValue) or has one that is refused, such as a CipherReference (an external fetch).",
            "Have the identity provider send the ciphertext inline (CipherValue), as every SAML implementation does; a CipherReference in a response is a sign of tampering.",
            None,
        ),
        Code::XmlencKeyReference => (
            "The EncryptedKey could not be found, or is referenced in a refused way: an external RetrievalMethod URI, transforms, a chain of EncryptedKeys, or more EncryptedKeys than are tried.",
            "Expect one EncryptedKey inside the EncryptedData's KeyInfo, or beside it referenced by a same-document RetrievalMethod; anything else is refused rather than fetched or searched.",
            None,
        ),
        Code::XmlencWeakAlgorithm => (
            "The assertion was decrypted with an algorithm accepted only by opt-in (RSA-1_5 key transport or AES-CBC content encryption).",
            "Move the identity provider to RSA-OAEP and AES-GCM when it offers them; until then the warning stays.",
            Some(ENTRA_TOKEN_ENCRYPTION),
        ),
        Code::XmlencNoKey => (
            "The message carries an EncryptedAssertion (or EncryptedID/EncryptedAttribute) and no decryption key was given, or the key given cannot be used.",
            "Pass the service provider's private key (--decrypt-key SP.key.pem; it stays on this machine). For IAM the key is the one added to the SAML provider; IAM Identity Center as service provider does not accept encrypted assertions at all.",
            Some(IAM_CREATE_SAML_PROVIDER),
        ),
        Code::XmlencDecrypted => (
            "An encrypted element was decrypted with the key given; the finding names the algorithms and the key size.",
            "Nothing to fix. The decrypted assertion is still checked for a trusted signature: encryption is not authentication.",
            None,
        ),
    };
    Explanation {
        code,
        cause,
        fix,
        doc,
    }
}

/// Codes whose dotted string is close to `query`, best first: codes that
/// contain it, then codes within a small edit distance, then codes of the
/// same family. Empty when nothing is close.
pub fn suggest(query: &str) -> Vec<Code> {
    let q = query.trim().to_ascii_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, Code)> = Code::ALL
        .iter()
        .filter_map(|&c| {
            let s = c.as_str();
            let family = s.split('.').next().unwrap_or(s);
            if s.contains(&q) || (q.len() >= 3 && q.contains(s)) {
                Some((0, c))
            } else {
                let rest = s.split_once('.').map_or(s, |(_, r)| r);
                let d = edit_distance(&q, s).min(edit_distance(&q, rest));
                if d <= 3.max(q.len() / 4) {
                    Some((1 + d, c))
                } else if q.split('.').next() == Some(family) {
                    Some((10, c))
                } else {
                    None
                }
            }
        })
        .collect();
    scored.sort_by_key(|&(score, c)| (score, c.as_str()));
    scored.into_iter().map(|(_, c)| c).take(8).collect()
}

/// Levenshtein distance over bytes (codes are ASCII); bounded by the short inputs.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > 200 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_find_typos_and_fragments() {
        assert_eq!(
            suggest("signature.digest_mismach").first(),
            Some(&Code::SignatureDigestMismatch)
        );
        assert!(suggest("digest").contains(&Code::SignatureDigestMismatch));
        assert!(suggest("aws.role").contains(&Code::AwsRoleMissing));
        assert_eq!(
            suggest("digest_mismach").first(),
            Some(&Code::SignatureDigestMismatch)
        );
        assert!(suggest("zzzz.qqqq").is_empty());
    }
}

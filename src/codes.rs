//! The catalogue of finding codes: one place for every code the crate can emit.
//!
//! Codes are stable: tools and people match on them. A code is never reused
//! for another meaning; new codes are added, old ones may only be retired.
//! The README's table of codes is checked against [`Code::ALL`] by a test.

use serde::{Serialize, Serializer};
use std::fmt;

use crate::report::Severity;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $sev:ident, $summary:literal; )*) => {
        /// A stable finding code. `Display` and JSON give the dotted string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* #[doc = concat!("`", $code, "`: ", $summary)] $variant, )*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The dotted string, e.g. `signature.digest_mismatch`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// The severity a finding with this code has unless the context says otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// One sentence on what the code means.
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            /// The code for a dotted string, if it is one of ours.
            pub fn from_str_opt(s: &str) -> Option<Code> {
                match s { $( $code => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    // --- input decoding (bindings)
    DecodeBinding = "decode.binding", Info, "Which SAML binding the input was recognised as.";
    DecodeUnrecognized = "decode.unrecognized", Error, "The input is not XML, base64, a form body or a Redirect value.";
    DecodeBase64Invalid = "decode.base64_invalid", Error, "The base64 is malformed (bad character, bad padding, or truncated).";
    DecodeBase64UrlSafe = "decode.base64_url_safe", Error, "The base64 uses the URL-safe alphabet; SAML bindings use the standard one.";
    DecodeFormInvalid = "decode.form_invalid", Error, "The URL-encoded form body is malformed or carries no SAML parameter.";
    DecodeInflateFailed = "decode.inflate_failed", Error, "The HTTP-Redirect value is not valid raw DEFLATE data.";
    DecodeLimitExceeded = "decode.limit_exceeded", Error, "The decoded or inflated input is larger than the configured limit.";
    // --- XML input
    XmlMalformed = "xml.malformed", Error, "The input is not well-formed XML (or has several roots, trailing data, an unbound prefix).";
    XmlDtdForbidden = "xml.dtd_forbidden", Error, "The input has a DOCTYPE; DTDs and entities are refused.";
    XmlLimitExceeded = "xml.limit_exceeded", Error, "The input exceeds a parser limit (bytes, depth, nodes, attributes, text).";
    XmlEncoding = "xml.encoding", Error, "The input is not UTF-8 (or declares another encoding).";
    XmlBom = "xml.bom", Info, "The input starts with a UTF-8 byte-order mark.";
    XmlC14nUnsupported = "xml.c14n_unsupported", Error, "The node, exclusion or method asked of the canonicalizer is not one it can render (nothing is digested).";
    // --- the SAML model
    SamlNotSaml = "saml.not_saml", Error, "The root element is not a SAML protocol message or metadata in the SAML namespaces.";
    SamlStructure = "saml.structure", Error, "A SAML element is missing, duplicated, misplaced or has an invalid value.";
    SamlEncryptedAssertion = "saml.encrypted_assertion", Info, "The message carries an EncryptedAssertion.";
    SamlAdvice = "saml.advice", Warning, "The assertion carries an Advice element, which is never read.";
    SamlStatus = "saml.status", Error, "The Status is not Success.";
    SamlVersion = "saml.version", Error, "The Version is not 2.0.";
    SamlAssertionCount = "saml.assertion_count", Error, "The Response does not carry exactly one Assertion.";
    SamlIssuerMismatch = "saml.issuer_mismatch", Error, "The Issuer is not the expected identity provider.";
    SamlDestinationMismatch = "saml.destination_mismatch", Error, "The Destination is not among the expected endpoints.";
    SamlRecipientMismatch = "saml.recipient_mismatch", Error, "No bearer SubjectConfirmationData names an expected Recipient.";
    SamlSubjectConfirmation = "saml.subject_confirmation", Error, "No usable bearer SubjectConfirmation.";
    SamlNotYetValid = "saml.not_yet_valid", Error, "The assertion is not valid yet (NotBefore is in the future beyond the skew).";
    SamlExpired = "saml.expired", Error, "The assertion or its confirmation has expired.";
    SamlAudienceMismatch = "saml.audience_mismatch", Error, "The AudienceRestriction does not name an expected audience.";
    SamlInResponseTo = "saml.in_response_to", Error, "InResponseTo does not match an outstanding request.";
    SamlReplay = "saml.replay", Error, "The assertion ID was seen before.";
    SamlTimestampInvalid = "saml.timestamp_invalid", Error, "A timestamp is not a valid xs:dateTime, or IssueInstant is out of range.";
    // --- XML signatures
    SignatureMissing = "signature.missing", Error, "A required signature is absent.";
    SignatureStructure = "signature.structure", Error, "The Signature element does not have the shape the SAML profile requires.";
    SignatureReferenceInvalid = "signature.reference_invalid", Error, "The Reference does not point at the Signature's parent by its ID.";
    SignatureDuplicateId = "signature.duplicate_id", Error, "An ID value appears more than once in the document.";
    SignatureTransformNotAllowed = "signature.transform_not_allowed", Error, "A transform other than enveloped-signature and exclusive c14n is used.";
    SignatureAlgorithmNotAllowed = "signature.algorithm_not_allowed", Error, "The signature, digest or canonicalization algorithm is not allowed by the policy.";
    SignatureDigestMismatch = "signature.digest_mismatch", Error, "The signed element was changed after signing (its digest differs).";
    SignatureInvalid = "signature.invalid", Error, "The SignatureValue does not verify with the key.";
    SignatureUntrustedKey = "signature.untrusted_key", Error, "The signature was not made by a trusted key.";
    SignatureNoTrustConfigured = "signature.no_trust_configured", Error, "No trusted certificate or key was given, so nothing can be verified.";
    SignatureVerified = "signature.verified", Info, "A signature verified with a trusted key.";
    // --- metadata
    MetadataBom = "metadata.bom", Warning, "The metadata starts with a byte-order mark, which IAM refuses (\"Could not parse metadata\").";
    MetadataExpired = "metadata.expired", Error, "The metadata's validUntil has passed.";
    MetadataUnsigned = "metadata.unsigned", Warning, "The metadata carries no signature.";
    MetadataSignatureInvalid = "metadata.signature_invalid", Error, "The metadata signature does not verify.";
    MetadataSignatureNotAnchored = "metadata.signature_not_anchored", Info, "The metadata signature verifies with a certificate the document carries, but no trusted certificate anchors it.";
    MetadataNoSigningKey = "metadata.no_signing_key", Error, "The identity provider metadata has no signing certificate.";
    MetadataHttpEndpoint = "metadata.http_endpoint", Warning, "An endpoint uses plain http.";
    MetadataSkipped = "metadata.skipped", Info, "An unknown RoleDescriptor or an Extensions element was skipped.";
    // --- certificates
    CertExpired = "cert.expired", Error, "The certificate has expired.";
    CertNotYetValid = "cert.not_yet_valid", Error, "The certificate is not valid yet.";
    CertExpiringSoon = "cert.expiring_soon", Warning, "The certificate expires soon.";
    CertWeakKey = "cert.weak_key", Error, "The certificate's key is too small (RSA under 2048 bits).";
    CertSha1Signed = "cert.sha1_signed", Info, "The certificate itself is signed with SHA-1.";
    CertRollover = "cert.rollover", Info, "Several signing certificates are published (a rollover).";
    CertDuplicate = "cert.duplicate", Warning, "The same certificate is listed more than once.";
    CertInvalid = "cert.invalid", Error, "The certificate cannot be parsed.";
    // --- AWS sign-in and STS
    AwsRoleMissing = "aws.role.missing", Error, "The Role attribute is absent.";
    AwsRoleNameCase = "aws.role.name_case", Error, "An attribute name is a near miss of the Role attribute's exact name.";
    AwsRoleMalformed = "aws.role.malformed", Error, "A Role value is not exactly a role ARN and a SAML provider ARN separated by one comma.";
    AwsRoleWhitespace = "aws.role.whitespace", Warning, "A Role value needed whitespace trimmed.";
    AwsRoleAccountMismatch = "aws.role.account_mismatch", Error, "The role and the provider are in different accounts.";
    AwsRolePartitionMismatch = "aws.role.partition_mismatch", Error, "The role and the provider are in different partitions.";
    AwsRoleReservedSsoRole = "aws.role.reserved_sso_role", Error, "AWSReservedSSO_ roles cannot be assumed with SAML.";
    AwsRoleDuplicate = "aws.role.duplicate", Warning, "The same Role pair is listed more than once.";
    AwsRoleChoice = "aws.role.choice", Info, "Several Role values: AWS shows a role picker.";
    AwsSessionNameMissing = "aws.session_name.missing", Error, "The RoleSessionName attribute is absent.";
    AwsSessionNameInvalid = "aws.session_name.invalid", Error, "The RoleSessionName is not 2-64 characters of [A-Za-z0-9_+=,.@-].";
    AwsSessionDurationInvalid = "aws.session_duration.invalid", Error, "SessionDuration is not an integer from 900 to 43200.";
    AwsSourceIdentityInvalid = "aws.source_identity.invalid", Error, "SourceIdentity breaks AWS's rules.";
    AwsPrincipalTagInvalid = "aws.principal_tag.invalid", Error, "A PrincipalTag attribute breaks AWS's limits.";
    AwsTransitiveTagInvalid = "aws.transitive_tag.invalid", Error, "TransitiveTagKeys names a tag that is not sent, or is malformed.";
    AwsRecipientInvalid = "aws.recipient.invalid", Error, "The Recipient or Destination is not an AWS sign-in endpoint.";
    AwsAudienceInvalid = "aws.audience.invalid", Error, "The Audience is not one AWS accepts.";
    AwsNameIdInvalid = "aws.name_id.invalid", Error, "The NameID is missing or in a format AWS does not accept.";
    AwsArnInvalid = "aws.arn.invalid", Error, "A string is not a valid ARN.";
    // --- Amazon Connect
    ConnectRelayStateInvalid = "connect.relay_state.invalid", Error, "The relay state is not a Connect federation URL.";
    ConnectRelayStateDestinationUnknown = "connect.relay_state.destination_unknown", Warning, "The relay state's destination is not a documented Connect page.";
    ConnectRelayStateLong = "connect.relay_state.long", Info, "The relay state is longer than the 80 bytes SAML recommends.";
    ConnectPolicyMissingAction = "connect.policy.missing_action", Error, "No statement allows connect:GetFederationToken.";
    ConnectPolicyInstanceMismatch = "connect.policy.instance_mismatch", Error, "The policy allows another Connect instance.";
    ConnectPolicyRegionMismatch = "connect.policy.region_mismatch", Error, "The policy names another region.";
    ConnectPolicyAccountMismatch = "connect.policy.account_mismatch", Error, "The policy names another account.";
    ConnectUserNotFound = "connect.user.not_found", Error, "No Connect user has the RoleSessionName as user name.";
    // --- IAM trust policy
    IamTrustProviderMismatch = "iam.trust.provider_mismatch", Error, "The trust policy does not trust the SAML provider.";
    IamTrustAudienceMismatch = "iam.trust.audience_mismatch", Error, "The trust policy's SAML:aud does not cover the Recipient used.";
    IamTrustMissingAction = "iam.trust.missing_action", Error, "The trust policy lacks sts:AssumeRoleWithSAML (or TagSession / SetSourceIdentity when needed).";
    IamPolicyInvalid = "iam.policy.invalid", Error, "The policy document cannot be read.";
    IamPolicyUnsupported = "iam.policy.unsupported", Warning, "A policy element was not analysed (NotAction, NotResource, NotPrincipal, an unevaluated condition).";
    // --- the whole chain
    FlowIssuerNotInMetadata = "flow.issuer_not_in_metadata", Error, "The response's Issuer is not the entityID of the uploaded metadata.";
    FlowSigningCertNotInMetadata = "flow.signing_cert_not_in_metadata", Error, "The response was signed with a certificate the metadata does not list.";
    FlowProviderArnMismatch = "flow.provider_arn_mismatch", Error, "The Role attribute names another SAML provider.";
    FlowAccountMismatch = "flow.account_mismatch", Error, "Two artefacts name different AWS accounts.";
    FlowRegionMismatch = "flow.region_mismatch", Error, "Two artefacts name different regions.";
    FlowInstanceMismatch = "flow.instance_mismatch", Error, "Two artefacts name different Connect instances.";
    FlowMetadataMismatch = "flow.metadata_mismatch", Error, "Two copies of metadata that must agree do not.";
    FlowInputInvalid = "flow.input_invalid", Error, "An input of the chain check cannot be read as what its option names (not UTF-8, not the expected JSON).";
    FlowRoleMismatch = "flow.role_mismatch", Error, "A policy given (get-role / get-role-policy output) is another role's than the one the Role attribute names.";
    // --- XML Encryption (encrypted assertions)
    XmlencDecryptFailed = "xmlenc.decrypt_failed", Error, "The encrypted element could not be decrypted with the configured key (one generic error, whatever failed).";
    XmlencAlgorithmNotAllowed = "xmlenc.algorithm_not_allowed", Error, "An encryption algorithm the policy refuses (3DES, unknown; RSA-1_5 and AES-CBC without their opt-in).";
    XmlencStructure = "xmlenc.structure", Error, "The EncryptedData or EncryptedKey is missing a part or has one that is refused (e.g. a CipherReference).";
    XmlencKeyReference = "xmlenc.key_reference", Error, "The EncryptedKey cannot be found, or is referenced in a way that is refused (external URI, transforms, chains, too many keys).";
    XmlencWeakAlgorithm = "xmlenc.weak_algorithm", Warning, "Decrypted with an algorithm allowed only by opt-in (RSA-1_5 key transport or AES-CBC).";
    XmlencNoKey = "xmlenc.no_key", Error, "The message is encrypted and no (usable) decryption key was given.";
    XmlencDecrypted = "xmlenc.decrypted", Info, "An encrypted element was decrypted (which algorithms, with which key size).";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_dotted() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s.contains('.'), "{s} has no family");
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'),
                "{s}"
            );
            assert_eq!(Code::from_str_opt(s), Some(*code));
        }
    }
}

//! AWS specifics: IAM Identity Center application (IdP) metadata, Identity
//! Center service-provider metadata, and AWS sign-in's own SP metadata.
//!
//! - Identity Center application: entityID
//!   `https://portal.sso.<region>.amazonaws.com/saml/assertion/<id>`, where
//!   `<id>` is standard base64 of `<12-digit account>_ins-<16 hex>`.
//! - Identity Center as SP for an external IdP: entityID
//!   `https://<region>.signin.aws.amazon.com/platform/saml/d-<10 hex>`, ACS
//!   `https://<region>.signin.aws.amazon.com/platform/saml/acs/<uuid>`.
//! - AWS sign-in: entityID `urn:amazon:webservices`.

use super::{IdpSsoDescriptor, MetadataKind, SpSsoDescriptor};

/// The entityID of AWS sign-in's SP metadata.
pub const AWS_SIGNIN_ENTITY_ID: &str = "urn:amazon:webservices";

/// True for an AWS region name (`eu-west-1`, `us-gov-west-1`, `ap-south-1`).
pub fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let Some((last, rest)) = parts.split_last() else {
        return false;
    };
    let Some((first, middle)) = rest.split_first() else {
        return false;
    };
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// What an Identity Center application entityID says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityCenterAppId {
    /// The region of the portal host.
    pub region: String,
    /// The base64 id.
    pub id: String,
    /// `(account, instance)` when the id decodes to `<12 digits>_ins-<hex>`.
    pub decoded: Option<(String, String)>,
}

/// Reads `https://portal.sso.<region>.amazonaws.com/saml/assertion/<id>`.
///
/// ```
/// use saml_inspect::metadata::aws::identity_center_app;
/// let id = identity_center_app(
///     "https://portal.sso.eu-west-1.amazonaws.com/saml/assertion/NjU1MjA1ODYxMTE3X2lucy0yNTE4MGE2NTgwZDk1MjY1",
/// ).unwrap();
/// assert_eq!(id.region, "eu-west-1");
/// assert_eq!(
///     id.decoded,
///     Some(("655205861117".to_string(), "ins-25180a6580d95265".to_string()))
/// );
/// ```
pub fn identity_center_app(entity_id: &str) -> Option<IdentityCenterAppId> {
    let rest = entity_id.strip_prefix("https://portal.sso.")?;
    let (region, rest) = rest.split_once(".amazonaws.com/saml/assertion/")?;
    if !is_region(region) || rest.is_empty() || rest.contains('/') {
        return None;
    }
    Some(IdentityCenterAppId {
        region: region.to_string(),
        id: rest.to_string(),
        decoded: decode_app_id(rest),
    })
}

/// Decodes the id: base64 (padded or not) of `<12 digits>_ins-<hex>`.
fn decode_app_id(id: &str) -> Option<(String, String)> {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD_NO_PAD;
    let bytes = engine.decode(id.trim_end_matches('=')).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (account, instance) = text.split_once('_')?;
    let hex = instance.strip_prefix("ins-")?;
    let ok = account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| (account.to_string(), instance.to_string()))
}

/// Reads `https://<region>.signin.aws.amazon.com/platform/saml/d-<10 hex>`:
/// `(region, directory id)`.
pub fn identity_center_sp(entity_id: &str) -> Option<(String, String)> {
    let rest = entity_id.strip_prefix("https://")?;
    let (region, rest) = rest.split_once(".signin.aws.amazon.com/platform/saml/")?;
    let hex = rest.strip_prefix("d-")?;
    (is_region(region) && hex.len() == 10 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| (region.to_string(), rest.to_string()))
}

/// Reads `https://<region>.signin.aws.amazon.com/platform/saml/acs/<uuid>`:
/// `(region, uuid)`.
pub fn identity_center_acs(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://")?;
    let (region, uuid) = rest.split_once(".signin.aws.amazon.com/platform/saml/acs/")?;
    (is_region(region) && super::entra::is_guid(uuid))
        .then(|| (region.to_string(), uuid.to_string()))
}

/// Which AWS document this is, if any.
pub(super) fn classify(
    entity_id: &str,
    idp: Option<&IdpSsoDescriptor>,
    sp: Option<&SpSsoDescriptor>,
) -> Option<MetadataKind> {
    if idp.is_some() {
        if let Some(app) = identity_center_app(entity_id) {
            let (account, instance) = match app.decoded {
                Some((a, i)) => (Some(a), Some(i)),
                None => (None, None),
            };
            return Some(MetadataKind::IdentityCenterApplication {
                region: app.region,
                id: app.id,
                account,
                instance,
            });
        }
    }
    if let Some(sp) = sp {
        if let Some((region, directory_id)) = identity_center_sp(entity_id) {
            let acs_id = sp
                .assertion_consumer
                .iter()
                .find_map(|e| identity_center_acs(&e.location))
                .map(|(_, uuid)| uuid);
            return Some(MetadataKind::IdentityCenterServiceProvider {
                region,
                directory_id,
                acs_id,
            });
        }
        if entity_id == AWS_SIGNIN_ENTITY_ID {
            return Some(MetadataKind::AwsSignIn);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for r in ["eu-west-1", "ap-south-1", "us-gov-west-1", "ap-southeast-2"] {
            assert!(is_region(r), "{r}");
        }
        for r in [
            "",
            "eu",
            "eu-1",
            "EU-west-1",
            "eu-west-",
            "eu--1",
            "eu-west-x",
        ] {
            assert!(!is_region(r), "{r}");
        }
    }

    #[test]
    fn identity_center_ids() {
        let app = identity_center_app(
            "https://portal.sso.ap-south-1.amazonaws.com/saml/assertion/NzY3Mzk4MDM5MDQ1X2lucy02NTk1YmE2MzVjYjhlNmMx",
        )
        .unwrap();
        assert_eq!(
            app.decoded,
            Some(("767398039045".into(), "ins-6595ba635cb8e6c1".into()))
        );
        // Not base64 of the expected shape: recognised, not decoded.
        let odd = identity_center_app(
            "https://portal.sso.eu-west-1.amazonaws.com/saml/assertion/aGVsbG8",
        )
        .unwrap();
        assert_eq!(odd.decoded, None);
        assert!(identity_center_app("https://portal.sso.evil.com/saml/assertion/x").is_none());
        assert_eq!(
            identity_center_sp(
                "https://eu-west-1.signin.aws.amazon.com/platform/saml/d-996719544f"
            ),
            Some(("eu-west-1".into(), "d-996719544f".into()))
        );
        assert!(
            identity_center_sp("https://eu-west-1.signin.aws.amazon.com/platform/saml/d-99")
                .is_none()
        );
        assert_eq!(
            identity_center_acs(
                "https://eu-west-1.signin.aws.amazon.com/platform/saml/acs/85f2a8f3-9efd-4a5d-82d4-536a359a8c35"
            ),
            Some((
                "eu-west-1".into(),
                "85f2a8f3-9efd-4a5d-82d4-536a359a8c35".into()
            ))
        );
    }
}

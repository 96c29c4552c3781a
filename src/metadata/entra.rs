//! Microsoft Entra ID specifics: the WS-Federation RoleDescriptors Entra puts
//! before its IDPSSODescriptor, and which kind of Entra document this is.
//!
//! ```text
//! <RoleDescriptor xsi:type="fed:SecurityTokenServiceType" …>
//!   <KeyDescriptor use="signing">…</KeyDescriptor>
//!   <fed:ClaimTypesOffered><auth:ClaimType Uri="…"><auth:DisplayName>…</auth:DisplayName>…
//!   <fed:SecurityTokenServiceEndpoint><wsa:EndpointReference><wsa:Address>https://login.microsoftonline.com/<tenant>/wsfed</wsa:Address>…
//!   <fed:PassiveRequestorEndpoint><wsa:EndpointReference><wsa:Address>…
//! <RoleDescriptor xsi:type="fed:ApplicationServiceType" …>
//!   <KeyDescriptor use="signing">…
//!   <fed:TargetScopes><wsa:EndpointReference><wsa:Address>https://sts.windows.net/<tenant>/</wsa:Address>…
//!   <fed:ApplicationServiceEndpoint>…<fed:PassiveRequestorEndpoint>…
//! ```
//!
//! Entityids are `https://sts.windows.net/<tenant GUID>/`; the `common`
//! document has the literal `{tenantid}`. Tenant metadata is signed by the
//! tenant token-signing keys (`CN=accounts.accesscontrol.windows.net`),
//! per-application (`?appid=`) metadata by the application's SAML
//! certificates (`CN=Microsoft Azure Federated SSO Certificate`).

use crate::xml::Node;
use serde::Serialize;

use super::{KeyDescriptor, MetadataKind, Role, Walk, read_keys};
use crate::cert::CertificateInfo;
use crate::ns;
use crate::xml::{element_text, is_saml_element};

/// WS-Addressing (`wsa:`), the namespace of the endpoint addresses.
const WS_ADDRESSING: &str = "http://www.w3.org/2005/08/addressing";
/// WS-Federation authorization (`auth:`), the namespace of `ClaimType`.
const WS_FED_AUTH: &str = "http://docs.oasis-open.org/wsfed/authorization/200706";

/// The subject CN of Entra per-application SAML signing certificates.
pub const APP_CERT_CN: &str = "Microsoft Azure Federated SSO Certificate";
/// The subject CN of Entra tenant token-signing certificates.
pub const TENANT_CERT_CN: &str = "accounts.accesscontrol.windows.net";

/// One claim type an Entra STS offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimType {
    /// The claim URI.
    pub uri: String,
    /// `auth:DisplayName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// `auth:Description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The `fed:SecurityTokenServiceType` RoleDescriptor (WS-Federation STS).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SecurityTokenService {
    /// Its KeyDescriptors.
    pub keys: Vec<KeyDescriptor>,
    /// `fed:PassiveRequestorEndpoint` addresses.
    pub passive_requestor_endpoints: Vec<String>,
    /// `fed:SecurityTokenServiceEndpoint` addresses.
    pub security_token_service_endpoints: Vec<String>,
    /// `fed:ClaimTypesOffered`.
    pub claim_types_offered: Vec<ClaimType>,
}

/// The `fed:ApplicationServiceType` RoleDescriptor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ApplicationService {
    /// Its KeyDescriptors.
    pub keys: Vec<KeyDescriptor>,
    /// `fed:TargetScopes` addresses.
    pub target_scopes: Vec<String>,
    /// `fed:ApplicationServiceEndpoint` addresses.
    pub application_service_endpoints: Vec<String>,
    /// `fed:PassiveRequestorEndpoint` addresses.
    pub passive_requestor_endpoints: Vec<String>,
}

/// The WS-Federation role types we read.
pub(super) enum WsFedRole {
    SecurityTokenService,
    ApplicationService,
}

/// The RoleDescriptor's `xsi:type`, resolved through the namespaces in scope
/// (the prefix is the author's choice; only `fed`'s URI counts).
pub(super) fn role_type(node: Node<'_, '_>) -> Option<WsFedRole> {
    let raw = node.attribute((ns::XSI, "type"))?.trim();
    let (prefix, local) = match raw.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, raw),
    };
    if node.lookup_namespace_uri(prefix) != Some(ns::WS_FED) {
        return None;
    }
    match local {
        "SecurityTokenServiceType" => Some(WsFedRole::SecurityTokenService),
        "ApplicationServiceType" => Some(WsFedRole::ApplicationService),
        _ => None,
    }
}

/// The `wsa:Address` values of each `fed:<local>` child.
fn addresses(role: Node<'_, '_>, local: &str) -> Vec<String> {
    role.children()
        .filter(|n| is_saml_element(*n, ns::WS_FED, local))
        .flat_map(|n| {
            n.descendants()
                .filter(|d| is_saml_element(*d, WS_ADDRESSING, "Address"))
        })
        .filter_map(|a| element_text(a).map(|t| t.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

fn child_text(node: Node<'_, '_>, ns_uri: &str, local: &str) -> Option<String> {
    node.children()
        .find(|n| is_saml_element(*n, ns_uri, local))
        .and_then(|n| element_text(n).map(|t| t.trim().to_string()))
}

pub(super) fn read_sts(node: Node<'_, '_>, walk: &mut Walk) -> SecurityTokenService {
    let claim_types_offered = node
        .children()
        .filter(|n| is_saml_element(*n, ns::WS_FED, "ClaimTypesOffered"))
        .flat_map(|n| n.children())
        .filter(|n| is_saml_element(*n, WS_FED_AUTH, "ClaimType"))
        .map(|c| ClaimType {
            uri: c.attribute("Uri").unwrap_or("").to_string(),
            display_name: child_text(c, WS_FED_AUTH, "DisplayName"),
            description: child_text(c, WS_FED_AUTH, "Description"),
        })
        .collect();
    SecurityTokenService {
        keys: read_keys(node, Role::SecurityTokenService, walk),
        passive_requestor_endpoints: addresses(node, "PassiveRequestorEndpoint"),
        security_token_service_endpoints: addresses(node, "SecurityTokenServiceEndpoint"),
        claim_types_offered,
    }
}

pub(super) fn read_application_service(node: Node<'_, '_>, walk: &mut Walk) -> ApplicationService {
    ApplicationService {
        keys: read_keys(node, Role::ApplicationService, walk),
        target_scopes: addresses(node, "TargetScopes"),
        application_service_endpoints: addresses(node, "ApplicationServiceEndpoint"),
        passive_requestor_endpoints: addresses(node, "PassiveRequestorEndpoint"),
    }
}

/// True for a GUID in any letter case (8-4-4-4-12 hex digits).
pub fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The tenant of an Entra entityID `https://sts.windows.net/<tenant>/`:
/// `Some(None)` for the `common` document's literal `{tenantid}`.
pub fn tenant_of_entity_id(entity_id: &str) -> Option<Option<&str>> {
    let tenant = entity_id
        .strip_prefix("https://sts.windows.net/")?
        .strip_suffix('/')?;
    if tenant == "{tenantid}" {
        Some(None)
    } else if is_guid(tenant) {
        Some(Some(tenant))
    } else {
        None
    }
}

/// Which Entra document this is, if any.
pub(super) fn classify<'a>(
    entity_id: &str,
    mut certs: impl Iterator<Item = &'a CertificateInfo>,
) -> Option<MetadataKind> {
    match tenant_of_entity_id(entity_id)? {
        None => Some(MetadataKind::EntraCommon),
        Some(tenant) => {
            let tenant_id = tenant.to_string();
            if certs.any(|c| c.common_name() == Some(APP_CERT_CN)) {
                Some(MetadataKind::EntraApplication { tenant_id })
            } else {
                Some(MetadataKind::EntraTenant { tenant_id })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_ids() {
        assert_eq!(
            tenant_of_entity_id("https://sts.windows.net/81c1df79-e153-4f9d-a101-8dcf04af6c2c/"),
            Some(Some("81c1df79-e153-4f9d-a101-8dcf04af6c2c"))
        );
        assert_eq!(
            tenant_of_entity_id("https://sts.windows.net/{tenantid}/"),
            Some(None)
        );
        assert_eq!(
            tenant_of_entity_id("https://sts.windows.net/81c1df79-e153-4f9d-a101-8dcf04af6c2c"),
            None
        );
        assert_eq!(
            tenant_of_entity_id("https://sts.windows.net/contoso/"),
            None
        );
        assert!(!is_guid("81c1df79-e153-4f9d-a101-8dcf04af6c2"));
    }
}

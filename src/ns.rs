//! Namespace URIs, in one place.

/// SAML 2.0 assertions (`saml:`).
pub const SAML_ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// SAML 2.0 protocol (`samlp:`).
pub const SAML_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 metadata (`md:`).
pub const SAML_METADATA: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML Signature (`ds:`).
pub const XMLDSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XML Signature 1.1 (`dsig11:`).
pub const XMLDSIG11: &str = "http://www.w3.org/2009/xmldsig11#";
/// XML Encryption (`xenc:`).
pub const XMLENC: &str = "http://www.w3.org/2001/04/xmlenc#";
/// Exclusive canonicalization (`ec:`), home of `InclusiveNamespaces`.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// The `xml:` prefix's namespace.
pub const XML: &str = "http://www.w3.org/XML/1998/namespace";
/// XML Schema instance (`xsi:`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// WS-Federation (`fed:`), used by Entra's RoleDescriptors.
pub const WS_FED: &str = "http://docs.oasis-open.org/wsfed/federation/200706";
/// SAML 2.0 status code for success.
pub const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
/// The bearer subject confirmation method.
pub const CM_BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

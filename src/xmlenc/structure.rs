//! The shape of `xenc:EncryptedData` and `xenc:EncryptedKey`, and which
//! EncryptedKeys may unlock an EncryptedData.
//!
//! Everything here runs before any private-key operation: the structure,
//! the algorithms against the [`DecryptPolicy`], and the key references.
//! Only references inside the same encrypted element are followed (an
//! EncryptedKey in the EncryptedData's KeyInfo, a `ds:RetrievalMethod` of
//! Type EncryptedKey to `#id`, or an EncryptedKey sibling that names the
//! EncryptedData); no transforms, no external URIs, no chains.

use crate::xml::Node;

use super::DecryptError;
use super::algorithm::{
    ContentAlgorithm, DecryptPolicy, KeyTransport, RSA_1_5, RSA_OAEP_11, RSA_OAEP_MGF1P,
    mgf1_from_uri,
};
use crate::dsig::{DigestAlgorithm, decode_base64_xml};
use crate::ns;
use crate::xml::{element_text, is_saml_element, location_of};

/// The XML Encryption 1.1 namespace (`xenc11:MGF`).
const XMLENC11: &str = "http://www.w3.org/2009/xmlenc11#";
/// The EncryptedData Type SAML uses (and the default).
const TYPE_ELEMENT: &str = "http://www.w3.org/2001/04/xmlenc#Element";
/// The other XML Type: the content of an element (the plaintext must then
/// still parse as the expected element).
const TYPE_CONTENT: &str = "http://www.w3.org/2001/04/xmlenc#Content";
/// The RetrievalMethod Type of an EncryptedKey reference.
const TYPE_ENCRYPTED_KEY: &str = "http://www.w3.org/2001/04/xmlenc#EncryptedKey";

/// A parsed EncryptedData whose algorithm the policy allows.
#[derive(Debug)]
pub(crate) struct EncryptedData<'a, 'input> {
    pub(crate) node: Node<'a, 'input>,
    pub(crate) algorithm: ContentAlgorithm,
    pub(crate) cipher: Vec<u8>,
    key_info: Option<Node<'a, 'input>>,
}

/// A parsed EncryptedKey whose algorithm the policy allows.
#[derive(Debug)]
pub(crate) struct EncryptedKey<'a, 'input> {
    pub(crate) node: Node<'a, 'input>,
    pub(crate) transport: KeyTransport,
    pub(crate) cipher: Vec<u8>,
}

fn is_xenc(node: Node<'_, '_>, local: &str) -> bool {
    is_saml_element(node, ns::XMLENC, local)
}

fn structure(detail: impl Into<String>, node: Node<'_, '_>) -> DecryptError {
    DecryptError::Structure {
        detail: detail.into(),
        location: location_of(node),
    }
}

fn not_allowed(detail: impl Into<String>, node: Node<'_, '_>) -> DecryptError {
    DecryptError::AlgorithmNotAllowed {
        detail: detail.into(),
        location: location_of(node),
    }
}

fn key_reference(detail: impl Into<String>, node: Node<'_, '_>) -> DecryptError {
    DecryptError::KeyReference {
        detail: detail.into(),
        location: location_of(node),
    }
}

fn elements<'a, 'input>(node: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(Node::is_element)
}

/// The one child named `local` in `namespace`, if present; two is an error.
fn optional_child<'a, 'input>(
    node: Node<'a, 'input>,
    namespace: &str,
    local: &str,
) -> Result<Option<Node<'a, 'input>>, DecryptError> {
    let mut found = elements(node).filter(|c| is_saml_element(*c, namespace, local));
    let first = found.next();
    if let Some(second) = found.next() {
        return Err(structure(
            format!("<{local}> appears more than once"),
            second,
        ));
    }
    Ok(first)
}

fn algorithm_of<'a>(method: Node<'a, '_>) -> Result<&'a str, DecryptError> {
    method
        .attribute("Algorithm")
        .ok_or_else(|| structure("the EncryptionMethod has no Algorithm", method))
}

/// The CipherValue's bytes; a CipherReference (data fetched from a URI,
/// through transforms) is refused.
fn cipher_value(parent: Node<'_, '_>) -> Result<Vec<u8>, DecryptError> {
    let Some(data) = optional_child(parent, ns::XMLENC, "CipherData")? else {
        return Err(structure(
            format!("<{}> has no CipherData", parent.tag_name().name()),
            parent,
        ));
    };
    let kids: Vec<Node<'_, '_>> = elements(data).collect();
    match kids.as_slice() {
        [value] if is_xenc(*value, "CipherValue") => {
            let text = element_text(*value).unwrap_or_default();
            let bytes = decode_base64_xml(&text).map_err(|e| {
                structure(format!("the CipherValue is not valid base64: {e}"), *value)
            })?;
            if bytes.is_empty() {
                return Err(structure("the CipherValue is empty", *value));
            }
            Ok(bytes)
        }
        [r] if is_xenc(*r, "CipherReference") => Err(structure(
            "a CipherReference (cipher data fetched from a URI) is refused: only an inline CipherValue is decrypted",
            *r,
        )),
        _ => Err(structure(
            "the CipherData must hold exactly one CipherValue",
            data,
        )),
    }
}

/// Parses an EncryptedData and checks its algorithm against the policy.
pub(crate) fn parse_data<'a, 'input>(
    node: Node<'a, 'input>,
    policy: &DecryptPolicy,
) -> Result<EncryptedData<'a, 'input>, DecryptError> {
    if let Some(t) = node
        .attribute("Type")
        .filter(|t| *t != TYPE_ELEMENT && *t != TYPE_CONTENT)
    {
        return Err(structure(
            format!(
                "the EncryptedData Type is {t}; only XML is decrypted ({TYPE_ELEMENT} or {TYPE_CONTENT})"
            ),
            node,
        ));
    }
    let Some(method) = optional_child(node, ns::XMLENC, "EncryptionMethod")? else {
        return Err(structure(
            "the EncryptedData has no EncryptionMethod (no algorithm is assumed)",
            node,
        ));
    };
    let uri = algorithm_of(method)?;
    let algorithm = match ContentAlgorithm::from_uri(uri) {
        Some(ContentAlgorithm::AesCbc(_)) if !policy.allow_cbc => {
            return Err(not_allowed(
                format!(
                    "content encryption {uri} (AES-CBC has no integrity: a padding oracle) is refused unless CBC is allowed; ask the IdP for AES-GCM"
                ),
                method,
            ));
        }
        Some(a) => a,
        None => {
            return Err(not_allowed(
                format!(
                    "content encryption {uri} is not allowed (only AES-128/192/256-GCM, and AES-CBC by opt-in)"
                ),
                method,
            ));
        }
    };
    for child in elements(node) {
        let known = is_xenc(child, "EncryptionMethod")
            || is_xenc(child, "CipherData")
            || is_xenc(child, "EncryptionProperties")
            || is_saml_element(child, ns::XMLDSIG, "KeyInfo");
        if !known {
            return Err(structure(
                format!(
                    "unexpected <{}> in the EncryptedData",
                    child.tag_name().name()
                ),
                child,
            ));
        }
    }
    Ok(EncryptedData {
        node,
        algorithm,
        cipher: cipher_value(node)?,
        key_info: optional_child(node, ns::XMLDSIG, "KeyInfo")?,
    })
}

/// The digest a `ds:DigestMethod` inside an EncryptionMethod names (SHA-1
/// when absent, as the specification says).
fn oaep_digest(method: Node<'_, '_>) -> Result<DigestAlgorithm, DecryptError> {
    match optional_child(method, ns::XMLDSIG, "DigestMethod")? {
        None => Ok(DigestAlgorithm::Sha1),
        Some(d) => {
            let uri = d.attribute("Algorithm").unwrap_or_default();
            DigestAlgorithm::from_uri(uri)
                .ok_or_else(|| not_allowed(format!("OAEP digest {uri:?} is not allowed"), d))
        }
    }
}

/// The MGF1 digest an `xenc11:MGF` names (SHA-1 when absent).
fn oaep_mgf(method: Node<'_, '_>) -> Result<DigestAlgorithm, DecryptError> {
    match optional_child(method, XMLENC11, "MGF")? {
        None => Ok(DigestAlgorithm::Sha1),
        Some(m) => {
            let mgf = m.attribute("Algorithm").unwrap_or_default();
            mgf1_from_uri(mgf).ok_or_else(|| not_allowed(format!("MGF {mgf:?} is not allowed"), m))
        }
    }
}

fn oaep_label(method: Node<'_, '_>) -> Result<Vec<u8>, DecryptError> {
    match optional_child(method, ns::XMLENC, "OAEPparams")? {
        None => Ok(Vec::new()),
        Some(p) => decode_base64_xml(&element_text(p).unwrap_or_default())
            .map_err(|e| structure(format!("the OAEPparams are not valid base64: {e}"), p)),
    }
}

/// Parses an EncryptedKey and checks its algorithm against the policy.
pub(crate) fn parse_key<'a, 'input>(
    node: Node<'a, 'input>,
    policy: &DecryptPolicy,
) -> Result<EncryptedKey<'a, 'input>, DecryptError> {
    let Some(method) = optional_child(node, ns::XMLENC, "EncryptionMethod")? else {
        return Err(structure("the EncryptedKey has no EncryptionMethod", node));
    };
    let uri = algorithm_of(method)?;
    let transport = match uri {
        RSA_OAEP_MGF1P => {
            // The URI fixes MGF1-SHA1; an xenc11:MGF naming another is a
            // contradiction (some libraries honour it): refused, not guessed.
            if oaep_mgf(method)? != DigestAlgorithm::Sha1 {
                return Err(not_allowed(
                    "rsa-oaep-mgf1p means MGF1 with SHA-1, but an xenc11:MGF names another digest; use xmlenc11#rsa-oaep for that",
                    method,
                ));
            }
            KeyTransport::RsaOaep {
                digest: oaep_digest(method)?,
                mgf1: DigestAlgorithm::Sha1,
                label: oaep_label(method)?,
            }
        }
        RSA_OAEP_11 => {
            let mgf1 = oaep_mgf(method)?;
            KeyTransport::RsaOaep {
                digest: oaep_digest(method)?,
                mgf1,
                label: oaep_label(method)?,
            }
        }
        RSA_1_5 if policy.allow_rsa1_5 => KeyTransport::Rsa15,
        RSA_1_5 => {
            return Err(not_allowed(
                "key transport rsa-1_5 (RSA PKCS#1 v1.5, Bleichenbacher's attack) is refused unless RSA-1_5 is allowed; ask the IdP for RSA-OAEP",
                method,
            ));
        }
        other => {
            return Err(not_allowed(
                format!(
                    "key transport {other} is not allowed (only RSA-OAEP, and RSA-1_5 by opt-in)"
                ),
                method,
            ));
        }
    };
    if let Some(info) = optional_child(node, ns::XMLDSIG, "KeyInfo")? {
        if let Some(chained) = elements(info).find(|c| {
            is_xenc(*c, "EncryptedKey")
                || is_xenc(*c, "AgreementMethod")
                || is_saml_element(*c, ns::XMLDSIG, "RetrievalMethod")
        }) {
            return Err(key_reference(
                format!(
                    "the EncryptedKey's KeyInfo holds <{}>: chained or indirect key transport is refused (the key must be the service provider's RSA key)",
                    chained.tag_name().name()
                ),
                chained,
            ));
        }
    }
    Ok(EncryptedKey {
        node,
        transport,
        cipher: cipher_value(node)?,
    })
}

/// The `#id` a same-document reference names.
fn fragment(uri: &str) -> Option<&str> {
    uri.strip_prefix('#')
        .filter(|id| !id.is_empty() && !id.contains(['#', '/', ':', '(', ' ']))
}

/// The EncryptedKey a RetrievalMethod names, inside `wrapper`.
fn retrieve<'a, 'input>(
    method: Node<'a, 'input>,
    wrapper: Node<'a, 'input>,
) -> Result<Node<'a, 'input>, DecryptError> {
    if method.attribute("Type") != Some(TYPE_ENCRYPTED_KEY) {
        return Err(key_reference(
            format!(
                "a RetrievalMethod of Type {:?} is refused: only Type {TYPE_ENCRYPTED_KEY} to an EncryptedKey in the same EncryptedAssertion is followed",
                method.attribute("Type").unwrap_or("(none)")
            ),
            method,
        ));
    }
    if let Some(child) = elements(method).next() {
        return Err(key_reference(
            format!(
                "the RetrievalMethod carries <{}>: transforms are refused",
                child.tag_name().name()
            ),
            child,
        ));
    }
    let uri = method.attribute("URI").unwrap_or_default();
    let Some(id) = fragment(uri) else {
        return Err(key_reference(
            format!(
                "the RetrievalMethod URI {uri:?} is not a same-document reference (#id); nothing is fetched"
            ),
            method,
        ));
    };
    let mut found = wrapper
        .descendants()
        .filter(|n| n.is_element() && n.attribute("Id") == Some(id));
    let (Some(target), None) = (found.next(), found.next()) else {
        return Err(key_reference(
            format!(
                "the RetrievalMethod URI {uri} names no single element inside the EncryptedAssertion"
            ),
            method,
        ));
    };
    if !is_xenc(target, "EncryptedKey") || target.parent() != Some(wrapper) {
        return Err(key_reference(
            format!(
                "the RetrievalMethod URI {uri} names a <{}>, not an EncryptedKey beside the EncryptedData",
                target.tag_name().name()
            ),
            method,
        ));
    }
    Ok(target)
}

/// Whether a sibling EncryptedKey is meant for `data`: its ReferenceList
/// names the EncryptedData, its CarriedKeyName is one of the EncryptedData's
/// KeyNames, or it names nothing at all.
fn sibling_matches(key: Node<'_, '_>, data_id: Option<&str>, key_names: &[String]) -> bool {
    let references: Vec<&str> = elements(key)
        .filter(|c| is_xenc(*c, "ReferenceList"))
        .flat_map(elements)
        .filter(|r| is_xenc(*r, "DataReference"))
        .filter_map(|r| r.attribute("URI"))
        .collect();
    let carried = elements(key)
        .find(|c| is_xenc(*c, "CarriedKeyName"))
        .and_then(element_text);
    if references.is_empty() && carried.is_none() {
        return true;
    }
    let by_reference = data_id.is_some_and(|id| references.iter().any(|u| fragment(u) == Some(id)));
    let by_name = carried.is_some_and(|c| key_names.iter().any(|k| k == c.trim()));
    by_reference || by_name
}

/// The EncryptedKeys that may unlock `data`, parsed and checked against the
/// policy (all before any private-key operation), at most
/// `policy.max_encrypted_keys` of them.
pub(crate) fn candidate_keys<'a, 'input>(
    wrapper: Node<'a, 'input>,
    data: &EncryptedData<'a, 'input>,
    policy: &DecryptPolicy,
) -> Result<Vec<EncryptedKey<'a, 'input>>, DecryptError> {
    let mut nodes: Vec<Node<'a, 'input>> = Vec::new();
    let mut key_names = Vec::new();
    if let Some(info) = data.key_info {
        for child in elements(info) {
            if is_xenc(child, "EncryptedKey") {
                nodes.push(child);
            } else if is_saml_element(child, ns::XMLDSIG, "RetrievalMethod") {
                nodes.push(retrieve(child, wrapper)?);
            } else if is_saml_element(child, ns::XMLDSIG, "KeyName") {
                key_names.push(element_text(child).unwrap_or_default().trim().to_string());
            } else {
                return Err(key_reference(
                    format!(
                        "the EncryptedData's KeyInfo holds <{}>; only an EncryptedKey, a RetrievalMethod to one, or a KeyName is understood",
                        child.tag_name().name()
                    ),
                    child,
                ));
            }
        }
    }
    let data_id = data.node.attribute("Id");
    for sibling in elements(wrapper).filter(|n| *n != data.node) {
        if !is_xenc(sibling, "EncryptedKey") {
            return Err(structure(
                format!(
                    "unexpected <{}> beside the EncryptedData",
                    sibling.tag_name().name()
                ),
                sibling,
            ));
        }
        if !nodes.contains(&sibling) && sibling_matches(sibling, data_id, &key_names) {
            nodes.push(sibling);
        }
    }
    if nodes.is_empty() {
        return Err(key_reference(
            "no EncryptedKey for this EncryptedData (in its KeyInfo, or beside it naming it)",
            data.node,
        ));
    }
    if nodes.len() > policy.max_encrypted_keys {
        return Err(key_reference(
            format!(
                "{} EncryptedKeys may unlock this EncryptedData; at most {} are tried",
                nodes.len(),
                policy.max_encrypted_keys
            ),
            nodes[policy.max_encrypted_keys],
        ));
    }
    nodes.into_iter().map(|n| parse_key(n, policy)).collect()
}

/// The EncryptedData of an encrypted SAML element (`EncryptedAssertion`,
/// `EncryptedID`, `EncryptedAttribute`): its first child, and the only one.
pub(crate) fn encrypted_data<'a, 'input>(
    wrapper: Node<'a, 'input>,
) -> Result<Node<'a, 'input>, DecryptError> {
    let mut datas = elements(wrapper).filter(|c| is_xenc(*c, "EncryptedData"));
    let first = datas.next();
    if let Some(second) = datas.next() {
        return Err(structure(
            "more than one EncryptedData in one encrypted element",
            second,
        ));
    }
    match (first, elements(wrapper).next()) {
        (Some(d), Some(f)) if d == f => Ok(d),
        _ => Err(structure(
            format!(
                "<{}> must start with an xenc:EncryptedData",
                wrapper.tag_name().name()
            ),
            wrapper,
        )),
    }
}

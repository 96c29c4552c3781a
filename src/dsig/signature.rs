//! Strict parsing of one `ds:Signature` element.
//!
//! ```text
//! Signature      = SignedInfo, SignatureValue, KeyInfo?         (no Object)
//! SignedInfo     = CanonicalizationMethod, SignatureMethod, Reference   (exactly one)
//! Reference @URI = Transforms?, DigestMethod, DigestValue
//! Transforms     = Transform+      (allow-listed chains only)
//! ```
//!
//! Elements are matched by namespace URI and local name, never by prefix.
//! Between elements only whitespace, comments and processing instructions may
//! appear. Values are the concatenation of an element's text children
//! (comments cannot cut them), base64 with XML whitespace removed.

use crate::xml::Node;

use super::algorithm::{
    self, Canonicalization, DigestAlgorithm, Policy, SignatureAlgorithm, TransformChain,
};
use super::{DsigError, decode_base64_xml};
use crate::ns;
use crate::report::Location;
use crate::xml::{c14n, element_text, location_of};

/// At most this many certificates are read from KeyInfo (they are only hints).
const MAX_KEYINFO_CERTIFICATES: usize = 8;

/// A parsed Signature whose shape and algorithms are acceptable.
#[derive(Debug)]
pub(crate) struct ParsedSignature<'a, 'input> {
    pub signature: Node<'a, 'input>,
    pub signed_info: Node<'a, 'input>,
    pub canonicalization: Canonicalization,
    pub signed_info_method: c14n::Method,
    pub signature_algorithm: SignatureAlgorithm,
    pub reference: Node<'a, 'input>,
    /// The Reference URI's fragment (an NCName).
    pub reference_id: &'a str,
    pub transforms: TransformChain,
    pub digest_method: c14n::Method,
    pub digest_algorithm: DigestAlgorithm,
    pub digest_value: Vec<u8>,
    pub digest_value_node: Node<'a, 'input>,
    pub signature_value: Vec<u8>,
    pub signature_value_node: Node<'a, 'input>,
    /// The `KeyInfo` element, if any: its certificates are hints only, decoded
    /// by [`ParsedSignature::keyinfo_certificates`] when they matter.
    pub key_info: Option<Node<'a, 'input>>,
}

fn structure(node: Node<'_, '_>, detail: impl Into<String>) -> DsigError {
    DsigError::Structure {
        detail: detail.into(),
        location: location_of(node),
    }
}

fn is_ds(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(ns::XMLDSIG)
        && node.tag_name().name() == local
}

fn describe(node: Node<'_, '_>) -> String {
    match node.tag_name().namespace() {
        Some(ns) => format!("{{{ns}}}{}", node.tag_name().name()),
        None => node.tag_name().name().to_string(),
    }
}

/// The element children of `parent`; non-whitespace text between them is an error.
fn element_children<'a, 'input>(
    parent: Node<'a, 'input>,
) -> Result<Vec<Node<'a, 'input>>, DsigError> {
    let mut out = Vec::new();
    for child in parent.children() {
        if child.is_element() {
            out.push(child);
        } else if child.is_text()
            && !child
                .text()
                .unwrap_or("")
                .chars()
                .all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
        {
            return Err(structure(
                child,
                format!(
                    "text inside {} where only elements belong",
                    describe(parent)
                ),
            ));
        }
    }
    Ok(out)
}

/// Takes the next child if it is `ds:<local>`.
fn take<'a, 'input>(
    children: &mut std::iter::Peekable<std::vec::IntoIter<Node<'a, 'input>>>,
    local: &str,
) -> Option<Node<'a, 'input>> {
    children.next_if(|n| is_ds(*n, local))
}

/// The required next child `ds:<local>` of `parent`.
fn expect<'a, 'input>(
    children: &mut std::iter::Peekable<std::vec::IntoIter<Node<'a, 'input>>>,
    parent: Node<'a, 'input>,
    local: &str,
) -> Result<Node<'a, 'input>, DsigError> {
    match children.next() {
        Some(n) if is_ds(n, local) => Ok(n),
        Some(n) => Err(structure(
            n,
            format!(
                "found {} where ds:{local} must come in {}",
                describe(n),
                describe(parent)
            ),
        )),
        None => Err(structure(
            parent,
            format!("{} has no ds:{local}", describe(parent)),
        )),
    }
}

/// No further children are allowed.
fn end<'a, 'input>(
    mut children: std::iter::Peekable<std::vec::IntoIter<Node<'a, 'input>>>,
    parent: Node<'a, 'input>,
    after: &str,
) -> Result<(), DsigError> {
    match children.next() {
        None => Ok(()),
        Some(n) => Err(structure(
            n,
            format!(
                "{} is not allowed after {after} in {} (the SAML profile allows no Object, Manifest or second element)",
                describe(n),
                describe(parent)
            ),
        )),
    }
}

fn algorithm_attr<'a>(node: Node<'a, '_>) -> Result<&'a str, DsigError> {
    node.attribute("Algorithm")
        .ok_or_else(|| structure(node, format!("{} has no Algorithm", describe(node))))
}

fn no_children(node: Node<'_, '_>) -> Result<(), DsigError> {
    match element_children(node)?.first() {
        None => Ok(()),
        Some(child) => Err(structure(
            *child,
            format!("{} may not contain {}", describe(node), describe(*child)),
        )),
    }
}

/// A base64 value element: text only (comments skipped), whitespace removed.
fn base64_value(node: Node<'_, '_>) -> Result<Vec<u8>, DsigError> {
    let text = element_text(node).ok_or_else(|| {
        structure(
            node,
            format!(
                "{} contains an element; it must hold base64 text",
                describe(node)
            ),
        )
    })?;
    let bytes = decode_base64_xml(&text)
        .map_err(|e| structure(node, format!("{} is not valid base64: {e}", describe(node))))?;
    if bytes.is_empty() {
        return Err(structure(node, format!("{} is empty", describe(node))));
    }
    Ok(bytes)
}

fn algorithm_not_allowed(node: Node<'_, '_>, role: &str, uri: &str) -> DsigError {
    DsigError::AlgorithmNotAllowed {
        detail: format!(
            "{role} \"{uri}\" is refused: {}",
            algorithm::refusal_reason(uri)
        ),
        location: location_of(node),
    }
}

fn sha1_refused(node: Node<'_, '_>, role: &str, uri: &str) -> DsigError {
    DsigError::AlgorithmNotAllowed {
        detail: format!(
            "{role} \"{uri}\" uses SHA-1, which the policy refuses (allow_sha1 turns it on)"
        ),
        location: location_of(node),
    }
}

/// An optional `ec:InclusiveNamespaces/@PrefixList` child of an exclusive
/// c14n method (CanonicalizationMethod or Transform); returns the PrefixList.
fn prefix_list<'a>(method: Node<'a, '_>, exclusive: bool) -> Result<Option<&'a str>, DsigError> {
    let children = element_children(method)?;
    match children.as_slice() {
        [] => Ok(None),
        [only]
            if exclusive
                && only.tag_name().namespace() == Some(ns::EXC_C14N)
                && only.tag_name().name() == "InclusiveNamespaces" =>
        {
            no_children(*only)?;
            let list = only.attribute("PrefixList").unwrap_or("");
            for token in list.split_ascii_whitespace() {
                if token != c14n::DEFAULT_PREFIX_TOKEN && !super::ids::is_ncname(token) {
                    return Err(structure(
                        *only,
                        format!("\"{token}\" in the PrefixList is not a namespace prefix"),
                    ));
                }
            }
            Ok(Some(list))
        }
        [first, ..] => Err(structure(
            *first,
            format!("{} may not contain {}", describe(method), describe(*first)),
        )),
    }
}

fn c14n_method(canonicalization: Canonicalization, prefixes: Option<&str>) -> c14n::Method {
    match canonicalization {
        Canonicalization::Exclusive => {
            let m = c14n::Method::exclusive(false);
            match prefixes {
                Some(list) => m.with_prefix_list(list),
                None => m,
            }
        }
        Canonicalization::Inclusive => c14n::Method::inclusive(false),
    }
}

/// Parses `signature` strictly and checks its algorithms against `policy`.
pub(crate) fn parse<'a, 'input>(
    signature: Node<'a, 'input>,
    policy: &Policy,
) -> Result<ParsedSignature<'a, 'input>, DsigError> {
    if !is_ds(signature, "Signature") {
        return Err(structure(
            signature,
            format!("{} is not a ds:Signature", describe(signature)),
        ));
    }
    let mut children = element_children(signature)?.into_iter().peekable();
    let signed_info = expect(&mut children, signature, "SignedInfo")?;
    let signature_value_node = expect(&mut children, signature, "SignatureValue")?;
    let key_info = take(&mut children, "KeyInfo");
    end(
        children,
        signature,
        if key_info.is_some() {
            "KeyInfo"
        } else {
            "SignatureValue"
        },
    )?;

    // SignedInfo = CanonicalizationMethod, SignatureMethod, Reference.
    let mut si = element_children(signed_info)?.into_iter().peekable();
    let c14n_node = expect(&mut si, signed_info, "CanonicalizationMethod")?;
    let sig_method_node = expect(&mut si, signed_info, "SignatureMethod")?;
    let reference = match si.next() {
        Some(n) if is_ds(n, "Reference") => n,
        Some(n) => {
            return Err(structure(
                n,
                format!("found {} where ds:Reference must come", describe(n)),
            ));
        }
        None => {
            return Err(DsigError::ReferenceInvalid {
                detail: "SignedInfo has no Reference; the SAML profile requires exactly one".into(),
                location: location_of(signed_info),
            });
        }
    };
    if let Some(extra) = si.next() {
        return Err(if is_ds(extra, "Reference") {
            DsigError::ReferenceInvalid {
                detail:
                    "SignedInfo has more than one Reference; the SAML profile allows exactly one"
                        .into(),
                location: location_of(extra),
            }
        } else {
            structure(
                extra,
                format!("{} is not allowed after the Reference", describe(extra)),
            )
        });
    }

    // CanonicalizationMethod.
    let c14n_uri = algorithm_attr(c14n_node)?;
    let canonicalization = Canonicalization::from_uri(c14n_uri)
        .ok_or_else(|| algorithm_not_allowed(c14n_node, "CanonicalizationMethod", c14n_uri))?;
    let c14n_prefixes = prefix_list(c14n_node, canonicalization == Canonicalization::Exclusive)?;
    let signed_info_method = c14n_method(canonicalization, c14n_prefixes);

    // SignatureMethod: the URI is judged first (an HMAC URI is refused as
    // such), then no child is allowed (HMACOutputLength on RSA is malformed).
    let sig_uri = algorithm_attr(sig_method_node)?;
    let signature_algorithm = SignatureAlgorithm::from_uri(sig_uri)
        .ok_or_else(|| algorithm_not_allowed(sig_method_node, "SignatureMethod", sig_uri))?;
    if signature_algorithm.is_sha1() && !policy.allow_sha1 {
        return Err(sha1_refused(sig_method_node, "SignatureMethod", sig_uri));
    }
    no_children(sig_method_node)?;

    // Reference = Transforms?, DigestMethod, DigestValue.
    let uri = reference
        .attribute("URI")
        .ok_or_else(|| DsigError::ReferenceInvalid {
            detail: "the Reference has no URI".into(),
            location: location_of(reference),
        })?;
    let reference_id = check_reference_uri(reference, uri)?;
    let mut rc = element_children(reference)?.into_iter().peekable();
    let transforms_node = take(&mut rc, "Transforms");
    let digest_method_node = expect(&mut rc, reference, "DigestMethod")?;
    let digest_value_node = expect(&mut rc, reference, "DigestValue")?;
    end(rc, reference, "DigestValue")?;

    let (transforms, digest_method) = match transforms_node {
        Some(t) => parse_transforms(t)?,
        None => {
            return Err(DsigError::TransformNotAllowed {
                detail:
                    "the Reference has no Transforms; the enveloped-signature transform is required"
                        .into(),
                location: location_of(reference),
            });
        }
    };

    let digest_uri = algorithm_attr(digest_method_node)?;
    let digest_algorithm = DigestAlgorithm::from_uri(digest_uri)
        .ok_or_else(|| algorithm_not_allowed(digest_method_node, "DigestMethod", digest_uri))?;
    if digest_algorithm.is_sha1() && !policy.allow_sha1 {
        return Err(sha1_refused(digest_method_node, "DigestMethod", digest_uri));
    }
    no_children(digest_method_node)?;
    let digest_value = base64_value(digest_value_node)?;
    let signature_value = base64_value(signature_value_node)?;

    Ok(ParsedSignature {
        signature,
        signed_info,
        canonicalization,
        signed_info_method,
        signature_algorithm,
        reference,
        reference_id,
        transforms,
        digest_method,
        digest_algorithm,
        digest_value,
        digest_value_node,
        signature_value,
        signature_value_node,
        key_info,
    })
}

/// `#` followed by an NCName: the only Reference form the SAML profile uses.
fn check_reference_uri<'a>(reference: Node<'_, '_>, uri: &'a str) -> Result<&'a str, DsigError> {
    let invalid = |why: &str| DsigError::ReferenceInvalid {
        detail: format!("the Reference URI \"{uri}\" {why}"),
        location: location_of(reference),
    };
    if uri.is_empty() {
        return Err(invalid(
            "is empty (the whole document); the SAML profile requires \"#\" and the signed element's ID",
        ));
    }
    let Some(id) = uri.strip_prefix('#') else {
        return Err(invalid(
            "is not a same-document reference; only \"#\" and an ID is accepted",
        ));
    };
    if !super::ids::is_ncname(id) {
        return Err(invalid(
            "is not \"#\" followed by an ID (an XML NCName); XPointer and other forms are refused",
        ));
    }
    Ok(id)
}

/// The transform chain, checked against the allow-list; returns the chain
/// and the canonicalization that turns the node-set into digested octets.
fn parse_transforms(transforms: Node<'_, '_>) -> Result<(TransformChain, c14n::Method), DsigError> {
    let list = element_children(transforms)?;
    let mut uris: Vec<(Node<'_, '_>, &str)> = Vec::with_capacity(list.len());
    for t in &list {
        if !is_ds(*t, "Transform") {
            return Err(structure(
                *t,
                format!("{} is not a ds:Transform", describe(*t)),
            ));
        }
        uris.push((*t, algorithm_attr(*t)?));
    }
    let not_allowed = |node: Node<'_, '_>, detail: String| DsigError::TransformNotAllowed {
        detail,
        location: location_of(node),
    };
    let names: Vec<&str> = uris.iter().map(|(_, u)| *u).collect();
    let shown = format!("[{}]", names.join(", "));
    match uris.as_slice() {
        [(first, env), rest @ ..] if *env == algorithm::ENVELOPED_SIGNATURE => {
            no_children(*first)?;
            match rest {
                [] => Ok((
                    TransformChain::EnvelopedOnly,
                    c14n::Method::inclusive(false),
                )),
                [(node, algorithm::EXC_C14N)] => {
                    let prefixes = prefix_list(*node, true)?;
                    Ok((
                        TransformChain::EnvelopedExclusive,
                        c14n_method(Canonicalization::Exclusive, prefixes),
                    ))
                }
                [(node, algorithm::C14N10)] => {
                    no_children(*node)?;
                    Ok((
                        TransformChain::EnvelopedInclusive,
                        c14n::Method::inclusive(false),
                    ))
                }
                [(node, uri)] => Err(not_allowed(
                    *node,
                    format!(
                        "the transform \"{uri}\" after enveloped-signature is refused ({}); only exclusive c14n (or c14n 1.0) may follow",
                        algorithm::refusal_reason(uri)
                    ),
                )),
                [_, (node, _), ..] => Err(not_allowed(
                    *node,
                    format!(
                        "the chain {shown} is too long; the SAML profile allows enveloped-signature and one canonicalization"
                    ),
                )),
            }
        }
        [(node, _), ..] => Err(not_allowed(
            *node,
            format!("the chain {shown} does not start with enveloped-signature"),
        )),
        [] => Err(not_allowed(
            transforms,
            "the Transforms element is empty; enveloped-signature is required".into(),
        )),
    }
}

/// DER bytes of every `X509Data/X509Certificate` (undecodable ones skipped:
/// KeyInfo is only a hint, never a source of trust).
fn keyinfo_certificates(key_info: Node<'_, '_>) -> Vec<Vec<u8>> {
    key_info
        .children()
        .filter(|n| is_ds(*n, "X509Data"))
        .flat_map(|d| d.children().filter(|n| is_ds(*n, "X509Certificate")))
        .filter_map(|c| element_text(c).and_then(|t| decode_base64_xml(&t).ok()))
        .filter(|der| !der.is_empty())
        .take(MAX_KEYINFO_CERTIFICATES)
        .collect()
}

impl ParsedSignature<'_, '_> {
    /// DER certificates from `KeyInfo/X509Data/X509Certificate` (hints only;
    /// unreadable ones are skipped).
    pub(crate) fn keyinfo_certificates(&self) -> Vec<Vec<u8>> {
        self.key_info.map(keyinfo_certificates).unwrap_or_default()
    }

    /// Where the Signature starts.
    pub(crate) fn location(&self) -> Location {
        location_of(self.signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;

    const ASSERTION: &str = include_str!("../../testdata/fixtures/assertion-rsa2048.xml");

    fn document(text: &str) -> crate::xml::Document<'_> {
        crate::xml::parse(text, &crate::xml::Limits::default()).unwrap()
    }

    /// The first ds:Signature of `doc`.
    fn signature<'a, 'i>(doc: &'a crate::xml::Document<'i>) -> Node<'a, 'i> {
        doc.tree()
            .descendants()
            .find(|n| is_ds(*n, "Signature"))
            .unwrap()
    }

    fn parse_text(text: &str, policy: &Policy) -> Result<(), DsigError> {
        parse(signature(&document(text)), policy).map(|_| ())
    }

    fn code(text: &str) -> Code {
        parse_text(text, &Policy::default()).unwrap_err().code()
    }

    #[test]
    fn fixture_parses() {
        let doc = document(ASSERTION);
        let p = parse(signature(&doc), &Policy::default()).unwrap();
        assert_eq!(p.reference_id, "_add19051-4da9-4d5c-9029-80010f62288f");
        assert_eq!(p.transforms, TransformChain::EnvelopedExclusive);
        assert_eq!(p.digest_value.len(), 32);
        assert_eq!(p.signature_value.len(), 256);
        assert_eq!(p.keyinfo_certificates().len(), 1);
    }

    #[test]
    fn comment_in_digest_value_does_not_change_what_is_read() {
        let text = ASSERTION.replacen("<DigestValue>", "<DigestValue><!--AAAA-->", 1);
        let doc = document(&text);
        let p = parse(signature(&doc), &Policy::default()).unwrap();
        assert_eq!(p.digest_value.len(), 32);
        let text = ASSERTION.replacen("<DigestValue>", "<DigestValue><x/>", 1);
        assert_eq!(code(&text), Code::SignatureStructure);
    }

    #[test]
    fn shape_errors() {
        let object = ASSERTION.replacen("</KeyInfo>", "</KeyInfo><Object/>", 1);
        assert_eq!(code(&object), Code::SignatureStructure);
        let no_sm = ASSERTION.replacen(
            r#"<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#,
            "",
            1,
        );
        assert_eq!(code(&no_sm), Code::SignatureStructure);
        let text = ASSERTION.replacen("<SignedInfo>", "<SignedInfo>x", 1);
        assert_eq!(code(&text), Code::SignatureStructure);
        // Prefix does not matter, the namespace does.
        let foreign = ASSERTION.replacen(
            "<SignatureValue>",
            "<SignatureValue xmlns=\"urn:other\">",
            1,
        );
        assert_eq!(code(&foreign), Code::SignatureStructure);
    }

    #[test]
    fn reference_uri_forms() {
        for uri in [
            "",
            "#",
            "#a b",
            "#xpointer(/)",
            "http://x/",
            "#a#b",
            "#x' or '1'='1",
        ] {
            let text = ASSERTION.replacen(
                "URI=\"#_add19051-4da9-4d5c-9029-80010f62288f\"",
                &format!("URI=\"{uri}\""),
                1,
            );
            assert_eq!(code(&text), Code::SignatureReferenceInvalid, "{uri}");
        }
    }

    #[test]
    fn sha1_needs_the_policy() {
        let text = ASSERTION.replacen(algorithm::DIGEST_SHA256, algorithm::DIGEST_SHA1, 1);
        assert_eq!(code(&text), Code::SignatureAlgorithmNotAllowed);
        let allow = Policy {
            allow_sha1: true,
            ..Policy::default()
        };
        assert!(parse_text(&text, &allow).is_ok());
    }
}

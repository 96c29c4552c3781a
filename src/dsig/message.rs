//! Signatures of a SAML message: which ones count, and what they cover.
//!
//! Only two places carry a signature the SAML profile trusts: the root
//! element (a `samlp:Response`, a bare `saml:Assertion`, metadata's
//! `EntityDescriptor`/`EntitiesDescriptor`, …) and each `saml:Assertion`
//! that is a direct child of a Response. There the Signature must sit at its
//! schema position: right after the leading `Issuer`, or first when there is
//! none. A Signature anywhere else (inside `Advice`, `Extensions`,
//! `StatusDetail`, an attribute value, a nested Assertion, …) is never
//! verified and nothing under it is trusted: it is reported, because it is
//! how signature-wrapping attacks hide a genuine signed copy.

use std::collections::HashSet;

use crate::xml::{Node, NodeId};

use super::DsigError;
use super::algorithm::Policy;
use super::ids::IdIndex;
use super::signature;
use super::trust::TrustedKeys;
use super::verify::{Verified, enveloped_signature, verify_parsed};
use crate::codes::Code;
use crate::ns;
use crate::report::{Finding, Severity};
use crate::xml::{self, is_saml_element, location_of};

/// At most this many signed positions (the root and its Assertions) are
/// examined; real messages have one or two.
const MAX_SIGNED_POSITIONS: usize = 16;

/// At most this many ignored Signatures are reported one by one.
const MAX_REPORTED_IGNORED: usize = 16;

/// An Assertion of the message and what covers it.
#[derive(Clone, Debug)]
pub struct MessageAssertion<'a, 'input> {
    element: Node<'a, 'input>,
    signature: Option<Verified<'a, 'input>>,
    covered_by_root: bool,
}

impl<'a, 'input> MessageAssertion<'a, 'input> {
    /// The Assertion element (a direct child of the Response, or the root).
    pub fn element(&self) -> Node<'a, 'input> {
        self.element
    }

    /// The Assertion's own verified signature, if it has one.
    pub fn signature(&self) -> Option<&Verified<'a, 'input>> {
        self.signature.as_ref()
    }

    /// True when the Assertion sits inside a Response whose signature verified.
    pub fn covered_by_response(&self) -> bool {
        self.covered_by_root
    }

    /// True when a verified signature covers the Assertion (its own or the
    /// Response's).
    pub fn is_covered(&self) -> bool {
        self.signature.is_some() || self.covered_by_root
    }
}

/// The verified signatures of a SAML message.
#[derive(Clone, Debug)]
pub struct VerifiedMessage<'a, 'input> {
    root: Node<'a, 'input>,
    root_signature: Option<Verified<'a, 'input>>,
    assertions: Vec<MessageAssertion<'a, 'input>>,
    ignored: Vec<Finding>,
}

impl<'a, 'input> VerifiedMessage<'a, 'input> {
    /// The document element.
    pub fn root(&self) -> Node<'a, 'input> {
        self.root
    }

    /// The verified signature of the root element when the root is not an
    /// Assertion: the Response's signature (or the metadata's).
    pub fn response(&self) -> Option<&Verified<'a, 'input>> {
        self.root_signature.as_ref()
    }

    /// The Assertions that are direct children of the Response (or the root
    /// Assertion), in document order, each with what covers it.
    pub fn assertions(&self) -> &[MessageAssertion<'a, 'input>] {
        &self.assertions
    }

    /// The Assertions a verified signature covers.
    pub fn covered_assertions(&self) -> impl Iterator<Item = Node<'a, 'input>> + '_ {
        self.assertions
            .iter()
            .filter(|a| a.is_covered())
            .map(|a| a.element)
    }

    /// Warnings about Signature elements at positions the profile does not
    /// sign (never verified, never trusted) and about Assertions no verified
    /// signature covers.
    pub fn warnings(&self) -> &[Finding] {
        &self.ignored
    }
}

/// One place where a trusted signature may sit.
struct Slot<'a, 'input> {
    element: Node<'a, 'input>,
    /// `None`: the element is unsigned.
    outcome: Option<Result<Verified<'a, 'input>, DsigError>>,
}

struct Examination<'a, 'input> {
    root_is_response: bool,
    /// A problem of the whole document: a repeated ID value, or too many
    /// signed positions.
    document_error: Option<DsigError>,
    slots: Vec<Slot<'a, 'input>>,
    ignored: Vec<Node<'a, 'input>>,
}

/// The Signature must come right after a leading Issuer, or first.
fn check_position(element: Node<'_, '_>, sig: Node<'_, '_>) -> Result<(), DsigError> {
    let kids: Vec<Node<'_, '_>> = element.children().filter(|n| n.is_element()).collect();
    let issuer_first = kids
        .first()
        .is_some_and(|n| is_saml_element(*n, ns::SAML_ASSERTION, "Issuer"));
    let expected = usize::from(issuer_first);
    let at = kids.iter().position(|n| *n == sig);
    let issuer_after = kids
        .iter()
        .skip(at.unwrap_or(0))
        .any(|n| is_saml_element(*n, ns::SAML_ASSERTION, "Issuer"));
    if at == Some(expected) && !issuer_after {
        return Ok(());
    }
    Err(DsigError::Structure {
        detail: format!(
            "the Signature of <{}> at {} is not at its schema position ({}); a misplaced signature is refused",
            element.tag_name().name(),
            location_of(element),
            if issuer_first {
                "right after Issuer"
            } else {
                "the first child"
            }
        ),
        location: location_of(sig),
    })
}

fn examine<'a, 'input>(
    doc: &'a xml::Document<'input>,
    trust: &TrustedKeys,
    policy: &Policy,
) -> Examination<'a, 'input> {
    let root = doc.root_element();
    let root_is_response = is_saml_element(root, ns::SAML_PROTOCOL, "Response");
    let mut elements = vec![root];
    if root_is_response {
        elements.extend(
            root.children()
                .filter(|n| is_saml_element(*n, ns::SAML_ASSERTION, "Assertion")),
        );
    }
    // Bounded work: every signed position costs a canonicalization and a
    // public-key operation; real messages have two.
    let mut document_error = None;
    if elements.len() > MAX_SIGNED_POSITIONS {
        document_error = Some(DsigError::Structure {
            detail: format!(
                "the Response carries {} Assertions; at most {} are examined",
                elements.len() - 1,
                MAX_SIGNED_POSITIONS - 1
            ),
            location: location_of(root),
        });
        elements.truncate(MAX_SIGNED_POSITIONS);
    }
    // One pass over the whole document: a repeated ID anywhere refuses
    // everything, even when no signature sits at a signed position (the
    // genuine signed copy may be the one hidden elsewhere).
    let index = IdIndex::build(doc.tree());
    let mut slots = Vec::with_capacity(elements.len());
    for element in elements {
        let outcome = match enveloped_signature(element) {
            Err(DsigError::Missing { .. }) => None,
            Err(e) => Some(Err(e)),
            Ok(sig) => Some(verify_slot(element, sig, &index, trust, policy)),
        };
        slots.push(Slot { element, outcome });
    }
    // Signatures whose parent is a signed position were examined above (a
    // second one there is an error); all others are ignored and reported.
    let positions: HashSet<NodeId> = slots.iter().map(|s| s.element.id()).collect();
    let ignored = doc
        .tree()
        .descendants()
        .filter(|n| is_saml_element(*n, ns::XMLDSIG, "Signature"))
        .filter(|n| !n.parent().is_some_and(|p| positions.contains(&p.id())))
        .collect();
    Examination {
        root_is_response,
        document_error: index.err().or(document_error),
        slots,
        ignored,
    }
}

fn verify_slot<'a, 'input>(
    element: Node<'a, 'input>,
    sig: Node<'a, 'input>,
    index: &Result<IdIndex<'a, 'input>, DsigError>,
    trust: &TrustedKeys,
    policy: &Policy,
) -> Result<Verified<'a, 'input>, DsigError> {
    check_position(element, sig)?;
    let parsed = signature::parse(sig, policy)?;
    let index = index.as_ref().map_err(Clone::clone)?;
    verify_parsed(element, &parsed, index, trust, policy)
}

fn ignored_finding(sig: Node<'_, '_>) -> Finding {
    let parent = sig.parent().map_or("", |p| p.tag_name().name());
    Finding::new(
        Code::SignatureStructure,
        format!(
            "a Signature inside <{parent}> is at no position the SAML profile signs (the root, or an Assertion directly in the Response): it was not verified and nothing under it is trusted"
        ),
    )
    .severity(Severity::Warning)
    .at(location_of(sig))
}

/// One warning per ignored Signature, up to a bound, then a summary.
fn ignored_findings(ignored: Vec<Node<'_, '_>>) -> Vec<Finding> {
    let mut out: Vec<Finding> = ignored
        .iter()
        .take(MAX_REPORTED_IGNORED)
        .map(|n| ignored_finding(*n))
        .collect();
    if let Some(first_unreported) = ignored.get(MAX_REPORTED_IGNORED) {
        out.push(
            Finding::new(
                Code::SignatureStructure,
                format!(
                    "{} more Signature elements at positions the SAML profile does not sign were ignored",
                    ignored.len() - MAX_REPORTED_IGNORED
                ),
            )
            .severity(Severity::Warning)
            .at(location_of(*first_unreported)),
        );
    }
    out
}

fn uncovered_finding(assertion: Node<'_, '_>) -> Finding {
    Finding::new(
        Code::SignatureMissing,
        "this Assertion is covered by no verified signature (neither its own nor the Response's)",
    )
    .severity(Severity::Warning)
    .at(location_of(assertion))
}

/// Verifies every signature of a SAML message: the root's and those of the
/// Assertions directly inside a Response.
///
/// First the whole document's identifiers are indexed (a repeated ID value
/// anywhere is `signature.duplicate_id`); then each signature is checked as
/// [`verify_element`](super::verify_element) does, after its position. Fails
/// on the first signature that does not verify, on a misplaced one, and when
/// no signature is present at all (`signature.missing`). Whether
/// the Response, the Assertion or both must be signed is the caller's
/// policy: check [`VerifiedMessage::response`] and
/// [`MessageAssertion::is_covered`].
pub fn verify_message<'a, 'input>(
    doc: &'a xml::Document<'input>,
    trust: &TrustedKeys,
    policy: &Policy,
) -> Result<VerifiedMessage<'a, 'input>, DsigError> {
    let exam = examine(doc, trust, policy);
    if let Some(e) = exam.document_error {
        return Err(e);
    }
    let root = doc.root_element();
    let mut root_signature = None;
    let mut assertions = Vec::new();
    let mut any = false;
    for (i, slot) in exam.slots.into_iter().enumerate() {
        let verified = match slot.outcome {
            None => None,
            Some(Err(e)) => return Err(e),
            Some(Ok(v)) => {
                any = true;
                Some(v)
            }
        };
        if i == 0 && exam.root_is_response {
            root_signature = verified;
        } else if is_saml_element(slot.element, ns::SAML_ASSERTION, "Assertion") {
            assertions.push(MessageAssertion {
                element: slot.element,
                signature: verified,
                covered_by_root: false,
            });
        } else {
            // A metadata (or other) root.
            root_signature = verified;
        }
    }
    if !any {
        return Err(DsigError::Missing {
            element: root.tag_name().name().to_string(),
            location: location_of(root),
        });
    }
    let root_verified = root_signature.is_some() && exam.root_is_response;
    for a in &mut assertions {
        a.covered_by_root = root_verified;
    }
    let mut ignored = ignored_findings(exam.ignored);
    ignored.extend(
        assertions
            .iter()
            .filter(|a| !a.is_covered())
            .map(|a| uncovered_finding(a.element)),
    );
    Ok(VerifiedMessage {
        root,
        root_signature,
        assertions,
        ignored,
    })
}

/// Reports on every Signature of a document without stopping at the first
/// problem: each signature at a signed position is verified
/// (`signature.verified` naming the key, or the error), signatures elsewhere
/// and Assertions no signature covers are warned about. With no trust
/// configured the digests are still checked and the missing trust is a
/// warning, so inspection works without certificates.
pub fn inspect(doc: &xml::Document<'_>, trust: &TrustedKeys, policy: &Policy) -> Vec<Finding> {
    let exam = examine(doc, trust, policy);
    let mut findings = Vec::new();
    let mut root_verified = false;
    let mut seen_duplicate = false;
    if let Some(e) = &exam.document_error {
        findings.push(e.to_finding());
        seen_duplicate = matches!(e, DsigError::DuplicateId { .. });
    }
    for (i, slot) in exam.slots.iter().enumerate() {
        let what = slot.element.tag_name().name();
        match &slot.outcome {
            None => {}
            Some(Ok(v)) => {
                if i == 0 && exam.root_is_response {
                    root_verified = true;
                }
                let key = v.key();
                findings.push(
                    Finding::new(
                        Code::SignatureVerified,
                        format!(
                            "the signature of <{what}> verified ({}, digest {}) with the trusted key \"{}\" (SHA-1 thumbprint {})",
                            v.algorithms().signature.name(),
                            v.algorithms().digest.name(),
                            key.subject(),
                            key.sha1_thumbprint()
                        ),
                    )
                    .at(location_of(v.signature())),
                );
            }
            Some(Err(e)) => {
                // One duplicate ID spoils every signature; say it once.
                if matches!(e, DsigError::DuplicateId { .. }) {
                    if seen_duplicate {
                        continue;
                    }
                    seen_duplicate = true;
                }
                let f = e.to_finding();
                findings.push(if matches!(e, DsigError::NoTrustConfigured { .. }) {
                    f.severity(Severity::Warning)
                } else {
                    f
                });
            }
        }
    }
    if exam.slots.iter().all(|s| s.outcome.is_none()) {
        let root = doc.root_element();
        findings.push(
            Finding::new(
                Code::SignatureMissing,
                format!(
                    "<{}> carries no signature, nor does any Assertion directly inside it",
                    root.tag_name().name()
                ),
            )
            .severity(Severity::Warning)
            .at(location_of(root)),
        );
    } else {
        for slot in &exam.slots {
            let is_assertion = is_saml_element(slot.element, ns::SAML_ASSERTION, "Assertion");
            let own = matches!(slot.outcome, Some(Ok(_)));
            if is_assertion && !own && !(root_verified && slot.element != doc.root_element()) {
                findings.push(uncovered_finding(slot.element));
            }
        }
    }
    findings.extend(ignored_findings(exam.ignored));
    findings
}

//! Reading values from the tree exactly.

use std::borrow::Cow;

use crate::report::Location;

/// The text content of an element: the concatenation of all its text and
/// CDATA children. Comments and processing instructions are skipped, never
/// cut the value (`a<!---->b` reads `ab`: the comment-injection attacks of
/// 2018 relied on readers that stopped at the first text node).
///
/// Returns `None` when the element has element children, where a value is
/// expected that is a sign of tampering or a schema violation.
pub fn element_text<'a>(node: crate::xml::Node<'a, '_>) -> Option<Cow<'a, str>> {
    let mut out: Option<Cow<'a, str>> = None;
    for child in node.children() {
        if child.is_element() {
            return None;
        }
        if let Some(t) = child.text().filter(|_| child.is_text()) {
            out = Some(match out {
                None => Cow::Borrowed(t),
                Some(prev) => Cow::Owned(prev.into_owned() + t),
            });
        }
    }
    Some(out.unwrap_or(Cow::Borrowed("")))
}

/// The line:column where a node starts.
///
/// This counts from the start of the input on every call (quickly, but
/// still in proportion to the offset): code that locates many nodes in
/// document order should carry a cursor forward with [`crate::xml`]'s
/// `advance` instead, as the SAML reader does.
pub fn location_of(node: crate::xml::Node<'_, '_>) -> Location {
    super::parse::location_in(node.document().input_text(), node.range().start)
}

/// True when `node` is the element `local` in namespace `ns`.
pub fn is_saml_element(node: crate::xml::Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_do_not_cut_text() {
        let doc = crate::xml::parse(
            "<a>admin@evil.com<!---->.example.org</a>",
            &crate::xml::Limits::default(),
        )
        .unwrap();
        assert_eq!(
            element_text(doc.root_element()).unwrap(),
            "admin@evil.com.example.org"
        );
        let doc = crate::xml::parse(
            "<a>x<?pi y?>z<![CDATA[<w>]]></a>",
            &crate::xml::Limits::default(),
        )
        .unwrap();
        assert_eq!(element_text(doc.root_element()).unwrap(), "xz<w>");
    }

    #[test]
    fn element_children_are_not_text() {
        let doc = crate::xml::parse("<a>x<b/>y</a>", &crate::xml::Limits::default()).unwrap();
        assert_eq!(element_text(doc.root_element()), None);
        let doc = crate::xml::parse("<a/>", &crate::xml::Limits::default()).unwrap();
        assert_eq!(element_text(doc.root_element()).unwrap(), "");
    }
}

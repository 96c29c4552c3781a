//! The document's identifiers, indexed in one pass.
//!
//! Only the unqualified attribute `ID` (SAML 2.0) identifies an element a
//! Reference may point at. But an attacker can make one value name two
//! elements in the eyes of different readers (`ID` here, `Id`, `AssertionID`
//! or `xml:id` there: XML-signature-wrapping via ID confusion), so every
//! identifier-like attribute takes part in the uniqueness check: a value that
//! appears twice anywhere refuses the whole document.

use std::collections::HashMap;

use crate::xml::Node;

use super::DsigError;
use crate::ns;
use crate::xml::location_of;

/// Attribute local names that some reader treats as an identifier.
const ID_LIKE: &[&str] = &["ID", "Id", "id", "AssertionID", "ResponseID"];

/// True when `attr` is one of the identifier-like attributes.
fn is_id_like(attr: &crate::xml::Attribute<'_, '_>) -> bool {
    match attr.namespace() {
        None => ID_LIKE.contains(&attr.name()),
        // xml:id, wsu:Id and friends.
        Some(ns::XML) => attr.name() == "id",
        Some(_) => matches!(attr.name(), "Id" | "ID" | "id"),
    }
}

/// Every `ID` attribute of the document, each value known to be unique among
/// all identifier-like attributes.
pub(crate) struct IdIndex<'a, 'input> {
    by_id: HashMap<&'a str, Node<'a, 'input>>,
}

impl<'a, 'input: 'a> IdIndex<'a, 'input> {
    /// Indexes `doc` in one pass; a repeated identifier value is an error
    /// naming both places.
    pub(crate) fn build(doc: &'a crate::xml::tree::Document<'input>) -> Result<Self, DsigError> {
        let mut seen: HashMap<&'a str, Node<'a, 'input>> = HashMap::new();
        let mut by_id = HashMap::new();
        for node in doc.descendants().filter(|n| n.is_element()) {
            for attr in node.attributes().filter(is_id_like) {
                let value = attr.value();
                if let Some(first) = seen.insert(value, node) {
                    return Err(DsigError::DuplicateId {
                        id: value.to_string(),
                        first: location_of(first),
                        location: location_of(node),
                    });
                }
                if attr.namespace().is_none() && attr.name() == "ID" {
                    by_id.insert(value, node);
                }
            }
        }
        Ok(IdIndex { by_id })
    }

    /// The element whose `ID` attribute is `id`.
    pub(crate) fn get(&self, id: &str) -> Option<Node<'a, 'input>> {
        self.by_id.get(id).copied()
    }
}

/// True when `s` is an XML NCName (a Name without colons).
pub(crate) fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    is_name_start(first) && chars.all(|c| is_name_start(c) || is_name_char(c))
}

fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ncnames() {
        assert!(is_ncname("_a1-b.c"));
        assert!(is_ncname("id-é"));
        for bad in [
            "",
            "1a",
            "a:b",
            "a b",
            "x' or '1'='1",
            "-a",
            "a#b",
            "xpointer(/)",
        ] {
            assert!(!is_ncname(bad), "{bad}");
        }
    }

    #[test]
    fn index_finds_only_id() {
        let doc = crate::xml::parse(
            r#"<r ID="a"><x Id="b"/><y AssertionID="c"/></r>"#,
            &crate::xml::Limits::default(),
        )
        .unwrap();
        let index = IdIndex::build(doc.tree()).unwrap();
        assert_eq!(index.get("a"), Some(doc.root_element()));
        assert_eq!(index.get("b"), None);
        assert_eq!(index.get("c"), None);
    }

    #[test]
    fn any_repeated_identifier_is_refused() {
        for text in [
            r#"<r ID="a"><x ID="a"/></r>"#,
            r#"<r ID="a"><x Id="a"/></r>"#,
            r#"<r ID="a"><x AssertionID="a"/></r>"#,
            r#"<r ID="a"><x xml:id="a"/></r>"#,
            r#"<r ID="a"><x xmlns:wsu="urn:wsu" wsu:Id="a"/></r>"#,
            "<r ID=\"a\">\n<x id=\"a\"/></r>",
        ] {
            let doc = crate::xml::parse(text, &crate::xml::Limits::default()).unwrap();
            let err = IdIndex::build(doc.tree()).err().expect(text);
            assert!(
                matches!(err, DsigError::DuplicateId { ref id, .. } if id == "a"),
                "{text}"
            );
        }
        let doc = crate::xml::parse(
            "<r ID=\"a\">\n<x id=\"a\"/></r>",
            &crate::xml::Limits::default(),
        )
        .unwrap();
        let err = IdIndex::build(doc.tree()).err().unwrap();
        assert_eq!(err.location().line, 2);
        // Other attributes with the same value are not identifiers.
        let doc = crate::xml::parse(
            r#"<r ID="a"><x SessionIndex="a"/></r>"#,
            &crate::xml::Limits::default(),
        )
        .unwrap();
        assert!(IdIndex::build(doc.tree()).is_ok());
    }
}

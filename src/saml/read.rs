//! The reading context shared by the model constructors: locations, findings,
//! and typed attribute and text readers.
//!
//! Every reader looks only at the node it is given and that node's
//! attributes and children (principle 2 of the architecture); namespace
//! prefixes are resolved by the parser, never compared as strings.

use chrono::{DateTime, Utc};

use crate::codes::Code;
use crate::ns;
use crate::report::{Finding, Location, Severity};
use crate::xml;

use super::error::{ModelError, Parsed, quote};
use super::time::{Zone, parse_timestamp};

/// The element's name as `{namespace}local`, or `local` when it has no
/// namespace: how an unexpected element is named in messages.
pub(crate) fn qualified_name(node: crate::xml::Node<'_, '_>) -> String {
    let tag = node.tag_name();
    let local = quote(tag.name());
    match tag.namespace() {
        Some(uri) => format!("{{{}}}{local}", quote(uri)),
        None => local,
    }
}

/// True when `node` is the element `local` in namespace `uri`.
pub(crate) fn is(node: crate::xml::Node<'_, '_>, uri: &str, local: &str) -> bool {
    xml::is_saml_element(node, uri, local)
}

/// The element children of `node`, in document order.
pub(crate) fn element_children<'a, 'i>(
    node: crate::xml::Node<'a, 'i>,
) -> impl Iterator<Item = crate::xml::Node<'a, 'i>> {
    node.children().filter(crate::xml::Node::is_element)
}

/// Checks that `node` is the element `local` in namespace `uri`. An element
/// with the right local name in another namespace (or none) is `NotSaml`:
/// it looks like SAML but is not, and must never be read as SAML.
pub(crate) fn expect_element(
    node: crate::xml::Node<'_, '_>,
    uri: &str,
    local: &'static str,
) -> Result<(), ModelError> {
    if is(node, uri, local) {
        return Ok(());
    }
    let location = xml::location_of(node);
    if node.is_element() && node.tag_name().name() == local {
        let article = if local.starts_with(['A', 'E', 'I', 'O', 'U']) {
            "an"
        } else {
            "a"
        };
        let message = match node.tag_name().namespace() {
            None => format!("{article} {local} element in no namespace is not a SAML message"),
            Some(other) => format!(
                "{article} {local} element in the namespace \"{}\" is not a SAML 2.0 message (expected \"{uri}\")",
                quote(other)
            ),
        };
        return Err(ModelError::NotSaml { message, location });
    }
    Err(ModelError::UnexpectedElement {
        expected: local,
        found: if node.is_element() {
            qualified_name(node)
        } else {
            "(not an element)".to_owned()
        },
        location,
    })
}

/// Collects findings while one element tree is read, and turns byte offsets
/// into line:column cheaply.
///
/// `xml::location_of` rescans the input from its start on every call, which
/// is quadratic over a document with many values. Reading visits nodes in
/// document order, so the reader keeps a cursor and only scans forward; a
/// backward step (rare) rescans from the start. The results are identical to
/// `xml::location_of` (a test checks it).
pub(crate) struct Reader<'t> {
    text: &'t str,
    pos: usize,
    at: Location,
    findings: Vec<Finding>,
}

impl<'t> Reader<'t> {
    /// A reader for the document that `node` belongs to.
    pub(crate) fn new(node: crate::xml::Node<'_, 't>) -> Self {
        Reader {
            text: node.document().input_text(),
            pos: 0,
            at: Location::new(1, 1),
            findings: Vec::new(),
        }
    }

    /// The line:column of byte offset `pos` in the input.
    pub(crate) fn location_at(&mut self, pos: usize) -> Location {
        let pos = pos.min(self.text.len());
        if pos < self.pos {
            self.pos = 0;
            self.at = Location::new(1, 1);
        }
        let Some(between) = self.text.get(self.pos..pos) else {
            // Not a character boundary: cannot happen for node and attribute
            // starts, but never panic; fall back to the start of the input.
            return Location::new(1, 1);
        };
        self.at = xml::advance(self.at, between.as_bytes());
        self.pos = pos;
        self.at
    }

    /// Where `node` starts.
    pub(crate) fn location(&mut self, node: crate::xml::Node<'_, '_>) -> Location {
        self.location_at(node.range().start)
    }

    /// Where the un-namespaced attribute `name` of `node` starts (or the
    /// node, when it has no such attribute).
    pub(crate) fn attribute_location(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        name: &str,
    ) -> Location {
        let start = node
            .attributes()
            .find(|a| a.name() == name && a.namespace().is_none())
            .map_or(node.range().start, |a| a.range().start);
        self.location_at(start)
    }

    /// Records a problem.
    pub(crate) fn error(&mut self, e: ModelError) {
        self.findings.push(e.to_finding());
    }

    /// Records a finding as it is.
    pub(crate) fn note(&mut self, f: Finding) {
        self.findings.push(f);
    }

    /// Wraps up: the value with every finding made.
    pub(crate) fn finish<T>(self, value: T) -> Parsed<T> {
        Parsed {
            value,
            findings: self.findings,
        }
    }

    /// Records that a child was ignored because it has no place here.
    pub(crate) fn ignored_child(&mut self, parent: &'static str, child: crate::xml::Node<'_, '_>) {
        let at = self.location(child);
        let what = qualified_name(child);
        let hint = if child.tag_name().namespace().is_none() {
            " (it is in no namespace, so it is not SAML)"
        } else {
            ""
        };
        self.note(
            Finding::new(
                Code::SamlStructure,
                format!("<{parent}> has an unexpected child <{what}>{hint}; it was ignored"),
            )
            .severity(Severity::Warning)
            .at(at),
        );
    }

    /// Records a second occurrence of a child that may appear once.
    pub(crate) fn duplicate(
        &mut self,
        parent: &'static str,
        child_name: &'static str,
        child: crate::xml::Node<'_, '_>,
    ) {
        let location = self.location(child);
        self.error(ModelError::Duplicate {
            parent,
            child: child_name,
            location,
        });
    }

    /// An optional attribute's value, exactly as written.
    pub(crate) fn attr(node: crate::xml::Node<'_, '_>, name: &str) -> Option<String> {
        node.attribute(name).map(str::to_owned)
    }

    /// A required attribute's value; its absence is recorded.
    pub(crate) fn required_attr(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
        attribute: &'static str,
    ) -> Option<String> {
        let value = Self::attr(node, attribute);
        if value.is_none() {
            let location = self.location(node);
            self.error(ModelError::MissingAttribute {
                element,
                attribute,
                location,
            });
        }
        value
    }

    /// An `xs:ID` attribute (required): present, non-empty, and shaped like
    /// an NCName as far as it matters (no whitespace or colon, does not start
    /// with a digit, `-` or `.`).
    pub(crate) fn id_attr(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
    ) -> Option<String> {
        let value = self.required_attr(node, element, "ID")?;
        let bad_start = value
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_digit() || c == '-' || c == '.');
        if bad_start || value.chars().any(|c| c.is_whitespace() || c == ':') {
            let location = self.attribute_location(node, "ID");
            self.error(ModelError::InvalidValue {
                element,
                attribute: "ID",
                value: quote(&value),
                reason: "an ID must be a non-empty XML name (no spaces or colons, not starting with a digit)",
                location,
            });
        }
        Some(value)
    }

    /// The `Version` attribute (required); anything but "2.0" is recorded.
    pub(crate) fn version_attr(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
    ) -> Option<String> {
        let value = self.required_attr(node, element, "Version")?;
        if value != "2.0" {
            let location = self.attribute_location(node, "Version");
            self.error(ModelError::Version {
                element,
                found: quote(&value),
                location,
            });
        }
        Some(value)
    }

    /// An optional timestamp attribute. An invalid value is recorded and
    /// read as absent; a zone other than `Z` is noted as a warning.
    pub(crate) fn time_attr(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
        attribute: &'static str,
    ) -> Option<DateTime<Utc>> {
        let raw = node.attribute(attribute)?;
        match parse_timestamp(raw) {
            Ok(t) => {
                let note = match t.zone {
                    Zone::Utc => None,
                    Zone::Missing => Some(
                        "has no time zone; it was read as UTC, but SAML timestamps should end in Z (SAML core 1.3.3)".to_owned(),
                    ),
                    Zone::Offset(_) => Some(
                        "has a time zone offset; it was converted to UTC, but SAML requires UTC form ending in Z (SAML core 1.3.3)".to_owned(),
                    ),
                };
                if let Some(note) = note {
                    let location = self.attribute_location(node, attribute);
                    self.note(
                        Finding::new(
                            Code::SamlTimestampInvalid,
                            format!("{attribute}=\"{}\" on <{element}> {note}", quote(raw)),
                        )
                        .severity(Severity::Warning)
                        .at(location),
                    );
                }
                Some(t.instant)
            }
            Err(reason) => {
                let location = self.attribute_location(node, attribute);
                self.error(ModelError::Timestamp {
                    element,
                    attribute,
                    value: quote(raw),
                    reason,
                    location,
                });
                None
            }
        }
    }

    /// An optional `xs:boolean` attribute (`true`, `false`, `1`, `0`).
    pub(crate) fn bool_attr(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
        attribute: &'static str,
    ) -> Option<bool> {
        let raw = node.attribute(attribute)?;
        // xs:boolean's whitespace facet is "collapse".
        match raw.trim_matches([' ', '\t', '\n', '\r']) {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => {
                let location = self.attribute_location(node, attribute);
                self.error(ModelError::InvalidValue {
                    element,
                    attribute,
                    value: quote(raw),
                    reason: "an xs:boolean is true, false, 1 or 0",
                    location,
                });
                None
            }
        }
    }

    /// An optional non-negative integer attribute that fits in a `u32`.
    pub(crate) fn count_attr(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
        attribute: &'static str,
    ) -> Option<u32> {
        let raw = node.attribute(attribute)?;
        match raw.parse::<u32>() {
            Ok(n) if raw.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => {
                let location = self.attribute_location(node, attribute);
                self.error(ModelError::InvalidValue {
                    element,
                    attribute,
                    value: quote(raw),
                    reason: "not a non-negative integer (up to 4294967295)",
                    location,
                });
                None
            }
        }
    }

    /// The text of an element that holds only text, exactly as written
    /// (text and CDATA concatenated; comments and processing instructions
    /// skipped, never cutting the value). An element child is recorded as a
    /// structure error and the value is refused (`None`).
    pub(crate) fn text(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
    ) -> Option<String> {
        match xml::element_text(node) {
            Some(text) => Some(text.into_owned()),
            None => {
                let child = element_children(node).next().unwrap_or(node);
                let location = self.location(child);
                self.error(ModelError::ElementInText {
                    element,
                    child: qualified_name(child),
                    location,
                });
                None
            }
        }
    }

    /// The ID, Version and IssueInstant that every SAML request, response
    /// and assertion carries (all required).
    pub(crate) fn header(
        &mut self,
        node: crate::xml::Node<'_, '_>,
        element: &'static str,
    ) -> Header {
        // Attribute order in the source is arbitrary; read them in source
        // order so the location cursor only moves forward.
        let location = self.location(node);
        let mut header = Header::default();
        let mut seen = [false; 3];
        for a in node.attributes().filter(|a| a.namespace().is_none()) {
            match a.name() {
                "ID" => {
                    header.id = self.id_attr(node, element);
                    seen[0] = true;
                }
                "Version" => {
                    header.version = self.version_attr(node, element);
                    seen[1] = true;
                }
                "IssueInstant" => {
                    header.issue_instant = self.time_attr(node, element, "IssueInstant");
                    seen[2] = true;
                }
                _ => {}
            }
        }
        for (seen, attribute) in seen.into_iter().zip(["ID", "Version", "IssueInstant"]) {
            if !seen {
                self.error(ModelError::MissingAttribute {
                    element,
                    attribute,
                    location,
                });
            }
        }
        header
    }
}

/// The attributes every SAML message and assertion starts with.
#[derive(Default)]
pub(crate) struct Header {
    pub(crate) id: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) issue_instant: Option<DateTime<Utc>>,
}

/// True when `node` is a `ds:Signature`.
pub(crate) fn is_signature(node: crate::xml::Node<'_, '_>) -> bool {
    is(node, ns::XMLDSIG, "Signature")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_locations_equal_location_of() {
        let text = "<a>\n  <b x='1'>é<c/></b>\r\n<d\n y='2'/>\n</a>";
        let doc = crate::xml::parse(text, &crate::xml::Limits::default()).unwrap();
        let mut reader = Reader::new(doc.root_element());
        let nodes: Vec<_> = doc
            .tree()
            .descendants()
            .filter(|n| n.is_element())
            .collect();
        for n in nodes.iter().chain(nodes.iter().rev()) {
            assert_eq!(reader.location(*n), xml::location_of(*n), "{n:?}");
        }
        let d = nodes.iter().find(|n| n.has_tag_name("d")).unwrap();
        assert_eq!(reader.attribute_location(*d, "y"), Location::new(4, 2));
    }
}

//! The hardened parse: our reader with DTDs refused and every dimension bounded.

use super::reader::{self, ErrorKind};
use super::tree::{self, Node};
use crate::codes::Code;
use crate::report::{Finding, Location};

/// Bounds on the size and shape of an XML input.
///
/// The defaults are far above anything an identity provider sends (an Entra
/// response is 5-30 KB, about 10 elements deep) and low enough that a hostile
/// input is refused in milliseconds.
///
/// ```
/// let limits = saml_inspect::xml::Limits { max_depth: 32, ..Default::default() };
/// assert!(saml_inspect::xml::parse("<a><b/></a>", &limits).is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    pub max_bytes: usize,
    /// Deepest element nesting (the root element is depth 1).
    pub max_depth: usize,
    /// Most nodes (elements, text, comments, processing instructions).
    pub max_nodes: u32,
    /// Most attributes on one element (namespace declarations not counted).
    pub max_attributes: usize,
    /// Longest attribute value, in bytes.
    pub max_attribute_len: usize,
    /// Longest text node, in bytes.
    pub max_text_len: usize,
    /// Most namespace declarations (`xmlns` / `xmlns:p` attributes) in the
    /// whole document. Checked before parsing: the parser compares each
    /// declaration with the others on its element, so thousands of them on
    /// one element cost seconds.
    pub max_namespace_declarations: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 4 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 200_000,
            max_attributes: 64,
            max_attribute_len: 64 * 1024,
            max_text_len: 1024 * 1024,
            max_namespace_declarations: 1024,
        }
    }
}

/// Why an input was refused by the parser.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlError {
    /// The input is larger than [`Limits::max_bytes`].
    #[error("the input is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The input has a document type declaration.
    #[error("DOCTYPE at {location}: DTDs and entity declarations are refused")]
    Dtd {
        /// Where the DOCTYPE starts.
        location: Location,
    },
    /// The input is not UTF-8 or declares another encoding.
    #[error("{detail} at {location}: only UTF-8 is accepted")]
    Encoding {
        /// What was found.
        detail: String,
        /// Where.
        location: Location,
    },
    /// The input is not well-formed XML.
    #[error("malformed XML at {location}: {detail}")]
    Malformed {
        /// What is wrong.
        detail: String,
        /// Where.
        location: Location,
    },
    /// A limit other than the input size was exceeded.
    #[error("{what} at {location} is {found}, over the limit of {limit}")]
    Limit {
        /// Which limit, e.g. "nesting depth".
        what: &'static str,
        /// The value found.
        found: usize,
        /// The limit.
        limit: usize,
        /// Where the limit was crossed.
        location: Location,
    },
}

impl XmlError {
    /// The finding code for this error.
    pub fn code(&self) -> Code {
        match self {
            XmlError::TooLarge { .. } | XmlError::Limit { .. } => Code::XmlLimitExceeded,
            XmlError::Dtd { .. } => Code::XmlDtdForbidden,
            XmlError::Encoding { .. } => Code::XmlEncoding,
            XmlError::Malformed { .. } => Code::XmlMalformed,
        }
    }

    /// Where in the input the problem is, when known.
    pub fn location(&self) -> Option<Location> {
        match self {
            XmlError::TooLarge { .. } => None,
            XmlError::Dtd { location }
            | XmlError::Encoding { location, .. }
            | XmlError::Malformed { location, .. }
            | XmlError::Limit { location, .. } => Some(*location),
        }
    }

    /// The error as a finding.
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.code(), self.to_string()).at(self.location())
    }
}

/// A parsed, limit-checked XML document: the one parse every reader uses.
pub struct Document<'input> {
    tree: tree::Document<'input>,
    bom: bool,
}

impl<'input> Document<'input> {
    /// The node tree, for reading.
    pub fn tree(&self) -> &tree::Document<'input> {
        &self.tree
    }

    /// The root element.
    pub fn root_element(&self) -> Node<'_, 'input> {
        self.tree.root_element()
    }

    /// True when the input began with a UTF-8 byte-order mark (which was skipped).
    pub fn had_bom(&self) -> bool {
        self.bom
    }

    /// The XML text that was parsed (without the byte-order mark).
    pub fn text(&self) -> &'input str {
        self.tree.input_text()
    }

    /// The line:column of a byte offset into [`Document::text`].
    pub fn location(&self, pos: usize) -> Location {
        location_in(self.tree.input_text(), pos)
    }
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("root", &self.tree.root_element().tag_name())
            .field("bom", &self.bom)
            .finish()
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses bytes: a UTF-8 byte-order mark is skipped (and remembered), any
/// other encoding is refused, then [`parse`] runs.
pub fn parse_bytes<'input>(
    bytes: &'input [u8],
    limits: &Limits,
) -> Result<Document<'input>, XmlError> {
    if bytes.len() > limits.max_bytes {
        return Err(XmlError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let (body, bom) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if let Some(name) = foreign_encoding(body) {
        return Err(XmlError::Encoding {
            detail: format!("the input is {name}"),
            location: Location::new(1, 1),
        });
    }
    // The declaration is ASCII, so a lossy look at the head is exact for it.
    let head = String::from_utf8_lossy(&body[..body.len().min(256)]);
    check_declared_encoding(&head)?;
    let text = std::str::from_utf8(body).map_err(|e| {
        let valid = &body[..e.valid_up_to()];
        // Everything before the bad byte is valid UTF-8, so it can be counted.
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        XmlError::Encoding {
            detail: format!("invalid UTF-8 byte 0x{:02X}", body[e.valid_up_to()]),
            location: location_in(valid, valid.len()),
        }
    })?;
    let mut doc = parse(text, limits)?;
    doc.bom = bom;
    Ok(doc)
}

/// Names the encoding of inputs that announce a non-UTF-8 encoding in their
/// first bytes (a UTF-16/32 byte-order mark or zero bytes around `<`).
fn foreign_encoding(b: &[u8]) -> Option<&'static str> {
    match b {
        [0x00, 0x00, 0xFE, 0xFF, ..] | [0xFF, 0xFE, 0x00, 0x00, ..] => Some("UTF-32"),
        [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] => Some("UTF-16 (byte-order mark)"),
        [0x00, b'<', ..] | [b'<', 0x00, ..] => Some("UTF-16 (no byte-order mark)"),
        _ => None,
    }
}

/// Parses XML text with the given limits.
///
/// ```
/// use saml_inspect::xml::{parse, Limits, XmlError};
/// let err = parse("<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", &Limits::default()).unwrap_err();
/// assert!(matches!(err, XmlError::Dtd { .. }));
/// ```
pub fn parse<'input>(text: &'input str, limits: &Limits) -> Result<Document<'input>, XmlError> {
    if text.len() > limits.max_bytes {
        return Err(XmlError::TooLarge {
            size: text.len(),
            limit: limits.max_bytes,
        });
    }
    check_declared_encoding(text)?;
    let markup = prescan(text, limits)?;
    let tree = tree::Document::parse(text, limits.max_nodes, markup)
        .map_err(|e| map_reader_error(text, limits, e))?;
    check_shape(&tree, limits)?;
    Ok(Document { tree, bom: false })
}

/// Refuses an XML declaration that names an encoding other than UTF-8.
/// (The reader reads the text as UTF-8 whatever the declaration says, which
/// would silently misread a Latin-1 document.)
fn check_declared_encoding(text: &str) -> Result<(), XmlError> {
    let Some(decl) = text.strip_prefix("<?xml") else {
        return Ok(());
    };
    let Some(end) = decl.find("?>") else {
        return Ok(());
    }; // the parser reports it
    let decl = &decl[..end];
    let Some(at) = decl.find("encoding") else {
        return Ok(());
    };
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')
        .unwrap_or("");
    let rest = rest.trim_start();
    let quote = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => q,
        _ => return Ok(()),
    };
    let value = rest[1..].split(quote).next().unwrap_or("");
    if value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8") {
        return Ok(());
    }
    Err(XmlError::Encoding {
        detail: format!("the XML declaration says encoding=\"{value}\""),
        location: location_in(text, "<?xml".len() + at),
    })
}

fn map_reader_error(text: &str, limits: &Limits, e: reader::Error) -> XmlError {
    let location = location_in(text, e.pos);
    match e.kind {
        ErrorKind::Dtd => XmlError::Dtd { location },
        ErrorKind::NodeLimit => XmlError::Limit {
            what: "the number of nodes",
            found: limits.max_nodes as usize + 1,
            limit: limits.max_nodes as usize,
            location,
        },
        ErrorKind::UnknownPrefix(prefix) => XmlError::Malformed {
            detail: format!("the prefix '{prefix}' is not bound to a namespace"),
            location,
        },
        ErrorKind::Malformed(detail) => XmlError::Malformed {
            detail: detail.into_owned(),
            location,
        },
    }
}

/// Refuses, before the parser runs, what would make it slow or large: more
/// than twice `max_nodes` (+ 2) of `<` or of `=` (it reserves a node per `<`
/// and an attribute per `=` up front: 4 MiB of either would cost some
/// 300 MB), too many attributes on one start tag (its duplicate check is
/// quadratic: 400 000 attributes on one element would take hours), too many
/// namespace declarations, and nesting past the depth limit (it would
/// reserve memory for every node first).
///
/// One linear pass that jumps with `memchr` from markup to markup and over
/// attribute values (the 30 KB messages of the benchmarks spend a few
/// microseconds here). Every real tag is reached from its `<` (attribute
/// values cannot contain `<`); a `<` in a comment or CDATA section can only
/// over-count.
///
/// Returns the counts of `<` and `=`, which size the parser's node and
/// attribute arrays.
fn prescan(text: &str, limits: &Limits) -> Result<(usize, usize), XmlError> {
    let b = text.as_bytes();
    let cap = (limits.max_nodes as usize)
        .saturating_mul(2)
        .saturating_add(2);
    let mut counts = [0; 2];
    for (k, (what, ch)) in [
        ("the number of '<' (tags)", b'<'),
        ("the number of '=' (attributes)", b'='),
    ]
    .into_iter()
    .enumerate()
    {
        let found = memchr::memchr_iter(ch, b).count();
        if found > cap {
            return Err(XmlError::Limit {
                what,
                found,
                limit: cap,
                location: Location::new(1, 1),
            });
        }
        counts[k] = found;
    }
    let mut scan = TagScan {
        text,
        limits,
        namespace_declarations: 0,
    };
    let (mut i, mut depth) = (0, 0usize);
    while let Some(off) = b.get(i..).and_then(|r| memchr::memchr(b'<', r)) {
        let start = i + off;
        i = start + 1;
        match b.get(i) {
            Some(b'/') => depth = depth.saturating_sub(1),
            None | Some(b'!' | b'?') => {}
            Some(_) => {
                i = scan.start_tag(start)?;
                let here = depth + 1;
                if here > limits.max_depth {
                    return Err(XmlError::Limit {
                        what: "the element nesting depth",
                        found: here,
                        limit: limits.max_depth,
                        location: location_in(text, start),
                    });
                }
                if b.get(i) != Some(&b'>') || b.get(i - 1) != Some(&b'/') {
                    depth = here;
                }
            }
        }
    }
    Ok((counts[0], counts[1]))
}

/// The per-tag part of [`prescan`], with the document-wide count of
/// namespace declarations.
struct TagScan<'t> {
    text: &'t str,
    limits: &'t Limits,
    namespace_declarations: usize,
}

impl TagScan<'_> {
    /// Scans the start tag at `start` up to its `>` (or a `<`), counting its
    /// attributes and namespace declarations; returns where it stopped.
    fn start_tag(&mut self, start: usize) -> Result<usize, XmlError> {
        let b = self.text.as_bytes();
        let (mut i, mut count) = (start + 1, 0usize);
        loop {
            let Some(off) = b
                .get(i..)
                .and_then(|r| memchr::memchr3(b'=', b'<', b'>', r))
            else {
                return Ok(b.len());
            };
            i += off;
            if b[i] != b'=' {
                return Ok(i);
            }
            i += 1;
            // The name before '=': back to whitespace, a quote or another '='.
            let name = b[start..i - 1].trim_ascii_end();
            let from = name
                .iter()
                .rposition(|&c| c.is_ascii_whitespace() || matches!(c, b'=' | b'"' | b'\''))
                .map_or(0, |p| p + 1);
            let name = &name[from..];
            if name == b"xmlns" || name.starts_with(b"xmlns:") {
                self.namespace_declarations += 1;
                if self.namespace_declarations > self.limits.max_namespace_declarations {
                    return Err(XmlError::Limit {
                        what: "the number of namespace declarations",
                        found: self.namespace_declarations,
                        limit: self.limits.max_namespace_declarations,
                        location: location_in(self.text, start),
                    });
                }
            } else {
                count += 1;
                if count > self.limits.max_attributes {
                    return Err(XmlError::Limit {
                        what: "the number of attributes",
                        found: count,
                        limit: self.limits.max_attributes,
                        location: location_in(self.text, start),
                    });
                }
            }
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            if let Some(&q @ (b'"' | b'\'')) = b.get(i) {
                i += 1;
                i += b
                    .get(i..)
                    .and_then(|r| memchr::memchr2(q, b'<', r))
                    .unwrap_or(b.len() - i);
                i += usize::from(b.get(i) == Some(&q));
            }
        }
    }
}

/// Depth, attribute and text limits, checked in one pass over the nodes
/// (stored in document order, parents first).
fn check_shape(tree: &tree::Document<'_>, limits: &Limits) -> Result<(), XmlError> {
    let mut depth: Vec<u32> = Vec::with_capacity(64);
    let at =
        |node: Node<'_, '_>| -> Location { location_in(tree.input_text(), node.range().start) };
    for node in tree.root().descendants() {
        let d = match node.parent() {
            Some(p) => depth[p.id().get_usize()] + u32::from(node.is_element()),
            None => 0,
        };
        depth.push(d);
        debug_assert_eq!(depth.len(), node.id().get_usize() + 1);
        if node.is_element() {
            if d as usize > limits.max_depth {
                return Err(XmlError::Limit {
                    what: "the element nesting depth",
                    found: d as usize,
                    limit: limits.max_depth,
                    location: at(node),
                });
            }
            let attrs = node.attributes();
            if attrs.len() > limits.max_attributes {
                return Err(XmlError::Limit {
                    what: "the number of attributes",
                    found: attrs.len(),
                    limit: limits.max_attributes,
                    location: at(node),
                });
            }
            for a in attrs {
                if a.value().len() > limits.max_attribute_len {
                    return Err(XmlError::Limit {
                        what: "an attribute value's length",
                        found: a.value().len(),
                        limit: limits.max_attribute_len,
                        location: location_in(tree.input_text(), a.range().start),
                    });
                }
            }
        } else if let Some(t) = node.text() {
            if t.len() > limits.max_text_len {
                return Err(XmlError::Limit {
                    what: "a text node's length",
                    found: t.len(),
                    limit: limits.max_text_len,
                    location: at(node),
                });
            }
        }
    }
    Ok(())
}

/// The line:column of byte offset `pos` in `text` (clamped to its length;
/// an offset inside a character counts that character).
pub(crate) fn location_in(text: &str, pos: usize) -> Location {
    let end = pos.min(text.len());
    advance(
        Location::new(1, 1),
        text.as_bytes().get(..end).unwrap_or_default(),
    )
}

/// How many bytes of `bytes` satisfy `pred`. Counted in blocks of 255 into a
/// `u8` so the compiler keeps 32 counters per vector register: a plain
/// `filter().count()` sums into `usize` lanes, four bytes per step, and made
/// locating every node of a 30 KB message cost as much as reading it.
fn count(bytes: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            let n = block.iter().fold(0u8, |n, &b| n + u8::from(pred(b)));
            usize::from(n)
        })
        .sum()
}

/// The location after reading `bytes` (UTF-8) from location `at`: a line
/// feed starts a new line, every other character moves one column.
///
/// Both counts are byte predicates counted by [`count`], so a 30 KB message
/// costs a few microseconds, not a character decode per byte.
pub(crate) fn advance(at: Location, bytes: &[u8]) -> Location {
    // A character starts at every byte that is not a UTF-8 continuation byte.
    fn chars(bytes: &[u8]) -> u32 {
        let n = count(bytes, |b| (b as i8) >= -0x40);
        u32::try_from(n).unwrap_or(u32::MAX)
    }
    let newlines = count(bytes, |b| b == b'\n');
    let last_newline = match newlines {
        0 => None,
        _ => bytes.iter().rposition(|&b| b == b'\n'),
    };
    match last_newline {
        None => Location::new(at.line, at.column.saturating_add(chars(bytes))),
        Some(last) => {
            let tail = bytes.get(last + 1..).unwrap_or_default();
            Location::new(
                at.line
                    .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX)),
                chars(tail).saturating_add(1),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> XmlError {
        parse(text, &Limits::default()).unwrap_err()
    }

    #[test]
    fn refuses_doctype_with_its_location() {
        let e = err("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"b\">]><r/>");
        assert_eq!(
            e,
            XmlError::Dtd {
                location: Location::new(2, 1)
            }
        );
        assert_eq!(e.code(), Code::XmlDtdForbidden);
    }

    #[test]
    fn unbound_prefix_is_named() {
        let e = err("<r>\n  <x:a/></r>");
        assert_eq!(e.code(), Code::XmlMalformed);
        assert!(e.to_string().contains("'x'"), "{e}");
        assert_eq!(e.location(), Some(Location::new(2, 4)));
    }

    #[test]
    fn two_roots_are_malformed() {
        assert_eq!(err("<a/><b/>").code(), Code::XmlMalformed);
    }

    #[test]
    fn depth_limit() {
        let deep = "<a>".repeat(200) + &"</a>".repeat(200);
        let e = err(&deep);
        assert!(
            matches!(
                e,
                XmlError::Limit {
                    what: "the element nesting depth",
                    found: 129,
                    ..
                }
            ),
            "{e}"
        );
        let ok = "<a>".repeat(128) + &"</a>".repeat(128);
        assert!(parse(&ok, &Limits::default()).is_ok());
    }

    #[test]
    fn attribute_count_is_checked_before_the_quadratic_parse() {
        // 300 000 attributes on one element: refused by the pre-scan in
        // linear time (the parser's duplicate check would take hours).
        let attrs: String = (0..300_000).map(|i| format!(" a{i}=''")).collect();
        let start = std::time::Instant::now();
        let e = parse(&format!("<r{attrs}/>"), &Limits::default()).unwrap_err();
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
        assert!(
            matches!(
                e,
                XmlError::Limit {
                    what: "the number of attributes",
                    found: 65,
                    ..
                }
            ),
            "{e}"
        );
        // Values holding '=', '>' or the other quote, namespace
        // declarations and comments do not count as attributes.
        let limits = Limits {
            max_attributes: 2,
            ..Default::default()
        };
        let ok = "<!-- x='' --><a xmlns='u' xmlns:p='v' x=\"a=b>c'd\" y = 'e=\"f'><b c='1'/></a>";
        assert!(parse(ok, &limits).is_ok());
        assert!(parse("<a x='1' y='a=b' z='3'/>", &limits).is_err());
    }

    #[test]
    fn depth_is_checked_before_the_parse() {
        // 130 000 open elements: refused by the pre-scan (the parser would
        // reserve a node for each first).
        let deep = "<a>".repeat(130_000) + &"</a>".repeat(130_000);
        assert!(matches!(
            parse(&deep, &Limits::default()),
            Err(XmlError::Limit {
                what: "the element nesting depth",
                found: 129,
                ..
            })
        ));
        // Self-closing and closed siblings do not nest; '>' in a value does not end the tag.
        let limits = Limits {
            max_depth: 2,
            ..Default::default()
        };
        let ok = "<a><b x='>'/><b></b><b/></a>";
        assert!(parse(ok, &limits).is_ok());
        assert!(parse("<a><b><c/></b></a>", &limits).is_err());
        assert!(parse("<a><b></b><b/></a>", &limits).is_ok());
    }

    #[test]
    fn markup_characters_are_counted_before_the_parser_reserves_for_them() {
        let limits = Limits {
            max_nodes: 10,
            ..Default::default()
        };
        let text = format!("<r><!--{}--></r>", "<".repeat(30));
        assert!(matches!(
            parse(&text, &limits),
            Err(XmlError::Limit {
                found: 33,
                limit: 22,
                ..
            })
        ));
        let text = format!("<r>{}</r>", "=".repeat(23));
        assert!(matches!(
            parse(&text, &limits),
            Err(XmlError::Limit {
                found: 23,
                limit: 22,
                ..
            })
        ));
        let ok = format!("<r>{}</r>", "<a x='1'/>".repeat(8));
        assert!(parse(&ok, &limits).is_ok());
    }

    #[test]
    fn attribute_and_text_limits() {
        let limits = Limits {
            max_attributes: 2,
            max_attribute_len: 4,
            max_text_len: 4,
            ..Default::default()
        };
        assert!(matches!(
            parse("<a x='1' y='2' z='3'/>", &limits),
            Err(XmlError::Limit { found: 3, .. })
        ));
        assert!(matches!(
            parse("<a x='12345'/>", &limits),
            Err(XmlError::Limit { found: 5, .. })
        ));
        assert!(matches!(
            parse("<a>12345</a>", &limits),
            Err(XmlError::Limit { found: 5, .. })
        ));
        assert!(parse("<a x='1234'>1234</a>", &limits).is_ok());
    }

    #[test]
    fn node_and_byte_limits() {
        let limits = Limits {
            max_nodes: 10,
            max_bytes: 100,
            ..Default::default()
        };
        let many = format!("<a>{}</a>", "<b/>".repeat(20));
        assert!(matches!(
            parse(&many, &limits),
            Err(XmlError::Limit {
                what: "the number of nodes",
                ..
            })
        ));
        let big = format!("<a>{}</a>", "x".repeat(200));
        assert!(matches!(
            parse(&big, &limits),
            Err(XmlError::TooLarge {
                size: 207,
                limit: 100
            })
        ));
    }

    #[test]
    fn namespace_declaration_flood_is_refused_before_parsing() {
        let decls: String = (0..60_000).map(|i| format!(" xmlns:p{i}='u'")).collect();
        let flood = format!("<r{decls}/>");
        let start = std::time::Instant::now();
        let e = err(&flood);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
        assert!(
            matches!(
                e,
                XmlError::Limit {
                    what: "the number of namespace declarations",
                    found: 1025,
                    ..
                }
            ),
            "{e}"
        );
        let few: String = (0..1000).map(|i| format!(" xmlns:p{i}='u{i}'")).collect();
        assert!(parse(&format!("<r{few}/>"), &Limits::default()).is_ok());
    }

    #[test]
    fn locations_count_lines_and_characters() {
        let text = "<a>\n  <b x='1'>é€𝄞<c/></b>\r\n<d\n y='2'/>\n</a>";
        for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
            let pos_ = roxmltree::Document::parse(text).unwrap().text_pos_at(pos);
            let expected = Location::new(pos_.row, pos_.col);
            assert_eq!(location_in(text, pos), expected, "at {pos}");
            let (head, rest) = text.split_at(pos);
            let from_middle = advance(location_in(text, pos), rest.as_bytes());
            assert_eq!(from_middle, location_in(text, text.len()), "from {pos}");
            assert_eq!(advance(Location::new(1, 1), head.as_bytes()), expected);
        }
    }

    #[test]
    fn bom_is_accepted_and_reported() {
        let doc = parse_bytes(b"\xEF\xBB\xBF<a/>", &Limits::default()).unwrap();
        assert!(doc.had_bom());
        assert!(!parse_bytes(b"<a/>", &Limits::default()).unwrap().had_bom());
    }

    #[test]
    fn other_encodings_are_refused() {
        let e = parse_bytes(b"\xFF\xFE<\x00a\x00/\x00>\x00", &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("UTF-16"), "{e}");
        let e = parse_bytes(
            b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xE9</a>",
            &Limits::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ISO-8859-1"), "{e}");
        let e = parse_bytes(b"<a>\n\xE9</a>", &Limits::default()).unwrap_err();
        assert_eq!(
            e,
            XmlError::Encoding {
                detail: "invalid UTF-8 byte 0xE9".into(),
                location: Location::new(2, 1)
            }
        );
        assert!(
            parse_bytes(
                b"<?xml version='1.0' encoding='utf-8'?><a/>",
                &Limits::default()
            )
            .is_ok()
        );
    }
}

//! Canonical XML over the one parse.
//!
//! Implements W3C Canonical XML 1.0 (inclusive, `c14n`) and Exclusive XML
//! Canonicalization 1.0 (`exc-c14n`), each with and without comments, of a
//! whole document or of one element's subtree, directly over the
//! [`crate::xml::tree`] nodes of [`crate::xml::parse`]. There is no second parse and
//! no re-serialisation: the bytes that are digested are computed from the same
//! tree every value is read from.
//!
//! What the parse already did, and canonical XML wants: line ends are
//! normalised to `\n`, character references are resolved (a `&#13;` stays a
//! carriage return and is written back as `&#xD;`), CDATA sections are merged
//! into text, attribute values are normalised. DTDs are refused by the parse,
//! so no input here needs attribute defaults or entity declarations.
//!
//! Every element's and attribute's qualified name is taken as written in the
//! input (the tree keeps its range), so prefixes are rendered exactly as
//! written.
//!
//! ```
//! use saml_inspect::xml::{self, c14n};
//! let doc = xml::parse(
//!     r#"<r xmlns:s="urn:s" xmlns:u="urn:unused"><s:a b="1" a="2"/></r>"#,
//!     &xml::Limits::default(),
//! ).unwrap();
//! let a = doc.root_element().first_child().unwrap();
//! let bytes = c14n::to_vec(a, None, &c14n::Method::exclusive(false)).unwrap();
//! assert_eq!(bytes, br#"<s:a xmlns:s="urn:s" a="2" b="1"></s:a>"#);
//! ```
//!
//! Work is bounded: the walk over the tree is iterative (parent links, no
//! recursion), its cost is linear in the input however many namespaces are
//! in scope, and the output is capped at [`output_limit`] of the input size.
//! On any error no canonical form exists ([`C14nError`]); nothing may be
//! digested (attack C08, "void canonicalization").

use std::collections::HashMap;

use crate::xml::{Node, NodeId, NodeType};

use crate::codes::Code;
use crate::ns;
use crate::report::{Finding, Location};
use crate::xml::location_of;

/// URI of Canonical XML 1.0, comments omitted.
pub const C14N10_URI: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// URI of Canonical XML 1.0 with comments.
pub const C14N10_WITH_COMMENTS_URI: &str =
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// URI of Exclusive XML Canonicalization 1.0, comments omitted.
pub const EXC_C14N_URI: &str = ns::EXC_C14N;
/// URI of Exclusive XML Canonicalization 1.0 with comments.
pub const EXC_C14N_WITH_COMMENTS_URI: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

/// The PrefixList token that stands for the default namespace.
pub const DEFAULT_PREFIX_TOKEN: &str = "#default";

/// Which canonicalization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// Canonical XML 1.0: every in-scope namespace is rendered on the apex,
    /// and `xml:*` attributes of the apex's ancestors are imported.
    Inclusive,
    /// Exclusive XML Canonicalization 1.0: a namespace is rendered only
    /// where it is visibly used (or listed in the PrefixList); nothing is
    /// taken from the apex's ancestors.
    Exclusive,
}

/// A canonicalization method: the algorithm, whether comments are kept and,
/// for exclusive c14n, the InclusiveNamespaces PrefixList.
///
/// ```
/// use saml_inspect::xml::c14n::{Algorithm, Method};
/// let m = Method::from_uri("http://www.w3.org/2001/10/xml-exc-c14n#").unwrap()
///     .with_prefix_list("xs #default");
/// assert_eq!(m.algorithm, Algorithm::Exclusive);
/// assert_eq!(m.inclusive_prefixes, ["xs", "#default"]);
/// assert_eq!(m.uri(), "http://www.w3.org/2001/10/xml-exc-c14n#");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Method {
    /// Inclusive or exclusive.
    pub algorithm: Algorithm,
    /// Keep comment nodes (the `#WithComments` variants).
    ///
    /// Note for signatures (XMLDSig 4.4.3.3): dereferencing `URI=""` or
    /// `URI="#id"` yields a node-set without comments, so a `#WithComments`
    /// transform after such a reference still canonicalizes without them;
    /// only the XPointer forms keep comments.
    pub with_comments: bool,
    /// Exclusive only: prefixes whose namespaces are treated as by inclusive
    /// c14n (rendered where in scope, not only where used); `"#default"`
    /// stands for the default namespace. Must be empty for inclusive c14n.
    pub inclusive_prefixes: Vec<String>,
}

impl Method {
    /// Canonical XML 1.0.
    pub fn inclusive(with_comments: bool) -> Method {
        Method {
            algorithm: Algorithm::Inclusive,
            with_comments,
            inclusive_prefixes: Vec::new(),
        }
    }

    /// Exclusive XML Canonicalization 1.0 with an empty PrefixList.
    pub fn exclusive(with_comments: bool) -> Method {
        Method {
            algorithm: Algorithm::Exclusive,
            with_comments,
            inclusive_prefixes: Vec::new(),
        }
    }

    /// This method with the PrefixList set from an `InclusiveNamespaces/@PrefixList`
    /// value (whitespace-separated prefixes, `#default` for the default namespace).
    pub fn with_prefix_list(mut self, prefix_list: &str) -> Method {
        self.inclusive_prefixes = prefix_list
            .split_ascii_whitespace()
            .map(String::from)
            .collect();
        self
    }

    /// The method named by one of the four W3C algorithm URIs; `None` for any
    /// other URI (c14n 1.1 included).
    pub fn from_uri(uri: &str) -> Option<Method> {
        match uri {
            C14N10_URI => Some(Method::inclusive(false)),
            C14N10_WITH_COMMENTS_URI => Some(Method::inclusive(true)),
            EXC_C14N_URI => Some(Method::exclusive(false)),
            EXC_C14N_WITH_COMMENTS_URI => Some(Method::exclusive(true)),
            _ => None,
        }
    }

    /// The W3C algorithm URI of this method.
    pub fn uri(&self) -> &'static str {
        match (self.algorithm, self.with_comments) {
            (Algorithm::Inclusive, false) => C14N10_URI,
            (Algorithm::Inclusive, true) => C14N10_WITH_COMMENTS_URI,
            (Algorithm::Exclusive, false) => EXC_C14N_URI,
            (Algorithm::Exclusive, true) => EXC_C14N_WITH_COMMENTS_URI,
        }
    }
}

/// Where canonical bytes go: a buffer, or a digest computed on the fly.
///
/// The canonicalizer buffers internally and calls [`Sink::write`] with
/// chunks of several kilobytes.
///
/// ```
/// use saml_inspect::xml::c14n::Sink;
/// struct Count(usize);
/// impl Sink for Count {
///     fn write(&mut self, bytes: &[u8]) { self.0 += bytes.len(); }
/// }
/// ```
pub trait Sink {
    /// Takes the next canonical bytes.
    fn write(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    fn write(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Why a canonicalization was refused. No canonical bytes exist then: a
/// caller must never digest what the sink received before the error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum C14nError {
    /// The node given as the apex is not an element.
    #[error(
        "the node at {location} is not an element; only an element's subtree can be canonicalized"
    )]
    NotAnElement {
        /// Where the node is.
        location: Location,
    },
    /// The node to exclude is not an element strictly inside the apex's
    /// subtree (excluding the apex would leave nothing to canonicalize).
    #[error(
        "the node to exclude ({excluded}) is not strictly inside the element at {location} being canonicalized"
    )]
    ExcludedOutsideSubtree {
        /// Where the apex is.
        location: Location,
        /// Where the node to exclude is, or "unknown node" if the id is not in the document.
        excluded: String,
    },
    /// A PrefixList was given to inclusive c14n, which has none.
    #[error("an InclusiveNamespaces PrefixList applies only to exclusive canonicalization")]
    PrefixListWithInclusive,
    /// A PrefixList entry is not a prefix (nor `#default`).
    #[error("'{token}' in the InclusiveNamespaces PrefixList is not a namespace prefix")]
    InvalidPrefix {
        /// The entry.
        token: String,
    },
    /// The canonical form would be more than [`output_limit`] bytes (a
    /// namespace declaration repeated on many elements can make it far
    /// larger than the input).
    #[error("the canonical form is over the limit of {limit} bytes")]
    OutputTooLarge {
        /// The limit, from [`output_limit`] of the input's size.
        limit: usize,
    },
    /// The canonical form would render a namespace declaration with a
    /// relative URI (`xmlns:a="foo"`): C14N 1.0 section 2.1 says
    /// canonicalization must fail on relative namespace URIs (libxml2, so
    /// xmlsec1, fails on any declared in the subtree; a declaration exclusive
    /// c14n does not render changes nothing and is let through).
    #[error(
        "the namespace declaration at {location} binds the relative URI '{uri}'; canonicalization refuses relative namespace URIs (C14N 1.0 section 2.1)"
    )]
    RelativeNamespaceUri {
        /// The URI as written (at most 64 characters).
        uri: String,
        /// Where the declaring element is.
        location: Location,
    },
    /// An element's or attribute's qualified name could not be read back from
    /// the input text (the tree does not match the text it came from).
    #[error("the name of the node at {location} cannot be read back from the input")]
    NameUnreadable {
        /// Where the node is.
        location: Location,
    },
}

impl C14nError {
    /// The finding code for this error.
    pub fn code(&self) -> Code {
        match self {
            C14nError::NameUnreadable { .. } => Code::XmlMalformed,
            C14nError::OutputTooLarge { .. } => Code::XmlLimitExceeded,
            C14nError::NotAnElement { .. }
            | C14nError::ExcludedOutsideSubtree { .. }
            | C14nError::PrefixListWithInclusive
            | C14nError::InvalidPrefix { .. }
            | C14nError::RelativeNamespaceUri { .. } => Code::XmlC14nUnsupported,
        }
    }

    /// Where in the input the problem is, when known.
    pub fn location(&self) -> Option<Location> {
        match self {
            C14nError::NotAnElement { location }
            | C14nError::ExcludedOutsideSubtree { location, .. }
            | C14nError::NameUnreadable { location }
            | C14nError::RelativeNamespaceUri { location, .. } => Some(*location),
            C14nError::PrefixListWithInclusive
            | C14nError::InvalidPrefix { .. }
            | C14nError::OutputTooLarge { .. } => None,
        }
    }

    /// The error as a finding.
    pub fn to_finding(&self) -> Finding {
        Finding::new(self.code(), self.to_string()).at(self.location())
    }
}

/// Canonicalizes the subtree of `element`, leaving out the subtree of
/// `exclude` (for the enveloped-signature transform: the `Signature`
/// element), and writes the canonical bytes to `out`.
///
/// The node-set is the apex, all its descendants (comments only when
/// `method.with_comments`), their attributes and namespaces, minus the
/// excluded subtree. For inclusive c14n the apex also carries every in-scope
/// namespace and the `xml:*` attributes inherited from its ancestors.
///
/// `exclude` must be an element strictly inside `element`, or the call is
/// refused: the enveloped-signature transform is a no-op for a reference
/// whose target does not contain the signature, so pass `None` then.
///
/// On error, `out` may have received part of the output; discard it.
///
/// ```
/// use saml_inspect::xml::{self, c14n};
/// let doc = xml::parse(
///     r#"<A xmlns="urn:a" ID="x"><B/><S><C/></S></A>"#, &xml::Limits::default()).unwrap();
/// let a = doc.root_element();
/// let s = a.last_child().unwrap();
/// let mut out = Vec::new();
/// c14n::canonicalize_element(a, Some(s.id()), &c14n::Method::exclusive(false), &mut out).unwrap();
/// assert_eq!(out, br#"<A xmlns="urn:a" ID="x"><B></B></A>"#);
/// ```
pub fn canonicalize_element<S: Sink + ?Sized>(
    element: Node<'_, '_>,
    exclude: Option<NodeId>,
    method: &Method,
    out: &mut S,
) -> Result<(), C14nError> {
    if !element.is_element() {
        return Err(C14nError::NotAnElement {
            location: location_of(element),
        });
    }
    if let Some(id) = exclude {
        check_excluded_inside(element, id)?;
    }
    let mut canon = Canonicalizer::new(element.document().input_text(), method, out)?;
    canon.subtree(element, exclude)?;
    canon.out.flush();
    canon.out.check()
}

/// Canonicalizes a whole document: the document element's subtree, with the
/// comments (when kept) and processing instructions before and after it,
/// each separated from the document element by a line feed. The XML
/// declaration and whitespace outside the document element are not part of
/// the canonical form.
///
/// On error, `out` may have received part of the output; discard it.
///
/// ```
/// use saml_inspect::xml::{self, c14n};
/// let doc = xml::parse("<?xml version='1.0'?>\n<!--c--><?p x?>\n<a/>\n<!--d-->\n",
///     &xml::Limits::default()).unwrap();
/// let mut out = Vec::new();
/// c14n::canonicalize_document(doc.tree(), &c14n::Method::inclusive(true), &mut out).unwrap();
/// assert_eq!(out, b"<!--c-->\n<?p x?>\n<a></a>\n<!--d-->");
/// ```
pub fn canonicalize_document<S: Sink + ?Sized>(
    doc: &crate::xml::tree::Document<'_>,
    method: &Method,
    out: &mut S,
) -> Result<(), C14nError> {
    let mut canon = Canonicalizer::new(doc.input_text(), method, out)?;
    let mut after_root = false;
    for child in doc.root().children() {
        match child.node_type() {
            NodeType::Element => {
                canon.subtree(child, None)?;
                after_root = true;
            }
            NodeType::Comment | NodeType::PI => {
                if child.is_comment() && !method.with_comments {
                    continue;
                }
                if after_root {
                    canon.out.push(b"\n");
                }
                canon.leaf(child);
                if !after_root {
                    canon.out.push(b"\n");
                }
                canon.out.check()?;
            }
            // Whitespace outside the document element is not in the canonical form.
            NodeType::Text | NodeType::Root => {}
        }
    }
    canon.out.flush();
    canon.out.check()
}

/// [`canonicalize_element`] into a new vector.
pub fn to_vec(
    element: Node<'_, '_>,
    exclude: Option<NodeId>,
    method: &Method,
) -> Result<Vec<u8>, C14nError> {
    let mut out = Vec::new();
    canonicalize_element(element, exclude, method, &mut out)?;
    Ok(out)
}

/// [`canonicalize_document`] into a new vector.
pub fn document_to_vec(
    doc: &crate::xml::tree::Document<'_>,
    method: &Method,
) -> Result<Vec<u8>, C14nError> {
    let mut out = Vec::new();
    canonicalize_document(doc, method, &mut out)?;
    Ok(out)
}

fn check_excluded_inside(element: Node<'_, '_>, id: NodeId) -> Result<(), C14nError> {
    let excluded = element.document().get_node(id);
    let inside = excluded.is_some_and(|n| {
        n.is_element() && n.id() != element.id() && n.ancestors().any(|a| a.id() == element.id())
    });
    if inside {
        return Ok(());
    }
    Err(C14nError::ExcludedOutsideSubtree {
        location: location_of(element),
        excluded: match excluded {
            Some(n) => format!("node at {}", location_of(n)),
            None => "unknown node".to_string(),
        },
    })
}

/// Chunk size handed to the sink: large enough that a hashing sink is
/// called a few times per assertion, small enough to stay in cache.
const CHUNK: usize = 16 * 1024;

/// How many times larger than its input text the canonical form may be.
///
/// Escaping grows text at most sixfold (`"` to `&quot;`), but exclusive c14n
/// repeats a namespace declaration on every element that uses it, so a
/// 4 MB input with one 64 KB namespace URI on 100 000 small elements would
/// canonicalize to 6 GB. Real documents stay well under twice their size.
pub const MAX_EXPANSION: usize = 16;

/// The output every input may have regardless of its size, in bytes.
pub const MIN_OUTPUT_LIMIT: usize = 1024 * 1024;

/// The largest canonical form accepted for an input text of `input_len` bytes.
pub fn output_limit(input_len: usize) -> usize {
    input_len
        .saturating_mul(MAX_EXPANSION)
        .saturating_add(MIN_OUTPUT_LIMIT)
}

struct Buffered<'s, S: Sink + ?Sized> {
    sink: &'s mut S,
    buf: Vec<u8>,
    /// Bytes handed to the sink so far.
    written: usize,
    limit: usize,
    exceeded: bool,
}

impl<S: Sink + ?Sized> Buffered<'_, S> {
    #[inline]
    fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    #[inline]
    fn maybe_flush(&mut self) {
        if self.buf.len() >= CHUNK {
            self.flush();
        }
    }

    /// Hands the buffer to the sink, unless the output limit is passed: then
    /// nothing more reaches the sink and [`Buffered::check`] fails.
    fn flush(&mut self) {
        if self.buf.is_empty() || self.exceeded {
            self.buf.clear();
            return;
        }
        self.written = self.written.saturating_add(self.buf.len());
        if self.written > self.limit {
            self.exceeded = true;
        } else {
            self.sink.write(&self.buf);
        }
        self.buf.clear();
    }

    #[inline]
    fn check(&self) -> Result<(), C14nError> {
        match self.exceeded {
            false => Ok(()),
            true => Err(C14nError::OutputTooLarge { limit: self.limit }),
        }
    }

    /// Comment text and processing-instruction data, with line ends
    /// normalised: the tree hands these out as raw slices of the input,
    /// while XML (and so c14n) reads every CRLF or lone CR as one line feed.
    fn line_normalized(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut run_start = 0;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b == b'\r' {
                // run_start <= i < bytes.len(): both bounds are in range.
                self.buf
                    .extend_from_slice(bytes.get(run_start..i).unwrap_or_default());
                self.buf.push(b'\n');
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                run_start = i;
            } else {
                i += 1;
            }
        }
        self.buf
            .extend_from_slice(bytes.get(run_start..).unwrap_or_default());
    }

    /// Text content: `&`, `<`, `>` and carriage return are escaped.
    fn text(&mut self, s: &str) {
        self.escaped(s, &TEXT_SPECIALS, |b| match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            _ => b"&#xD;",
        });
    }

    /// Attribute (and namespace) values: `&`, `<`, `"`, tab, line feed and
    /// carriage return are escaped.
    fn attribute_value(&mut self, s: &str) {
        self.escaped(s, &ATTRIBUTE_SPECIALS, |b| match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'"' => b"&quot;",
            b'\t' => b"&#x9;",
            b'\n' => b"&#xA;",
            _ => b"&#xD;",
        });
    }

    /// Copies `s`, replacing each byte of `specials` by `escape(byte)`; the
    /// runs between them are copied as slices. Only ASCII bytes are ever
    /// replaced, so multi-byte characters pass through intact.
    #[inline]
    fn escaped<const N: usize>(
        &mut self,
        s: &str,
        specials: &[u8; N],
        escape: impl Fn(u8) -> &'static [u8],
    ) {
        let bytes = s.as_bytes();
        let mut run_start = 0;
        while let Some(i) = find_special(bytes, run_start, specials) {
            // run_start <= i < bytes.len(): both bounds are in range.
            self.buf
                .extend_from_slice(bytes.get(run_start..i).unwrap_or_default());
            self.buf
                .extend_from_slice(escape(bytes.get(i).copied().unwrap_or_default()));
            run_start = i + 1;
        }
        self.buf
            .extend_from_slice(bytes.get(run_start..).unwrap_or_default());
        self.maybe_flush();
    }
}

const TEXT_SPECIALS: [u8; 4] = [b'&', b'<', b'>', b'\r'];
const ATTRIBUTE_SPECIALS: [u8; 6] = [b'&', b'<', b'"', b'\t', b'\n', b'\r'];

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The index of the first byte at or after `from` that is one of `specials`.
///
/// Text is scanned eight bytes at a time: `(x - 0x01..) & !x & 0x80..`
/// flags the zero bytes of `x`, so with `x = word ^ (special * 0x01..)` it
/// flags the bytes equal to `special`. A borrow can only raise false flags
/// above a true one, so the lowest flag is always exact.
#[inline]
fn find_special<const N: usize>(bytes: &[u8], from: usize, specials: &[u8; N]) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(word);
        let mut flags = 0;
        for &special in specials {
            let x = word ^ (ONES * u64::from(special));
            flags |= x.wrapping_sub(ONES) & !x & HIGHS;
        }
        if flags != 0 {
            // Little-endian: the lowest flagged byte comes first in the text.
            return Some(i + (flags.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|b| specials.contains(b))
        .map(|p| i + p)
}

/// One attribute to render, with its sort key (namespace URI, local name).
struct OutAttr<'a> {
    uri: &'a str,
    local: &'a str,
    qname: &'a str,
    prefix: Option<&'a str>,
    value: &'a str,
}

/// A namespace declaration: prefix (`None` = default namespace) and URI.
type NsDecl<'a> = (Option<&'a str>, &'a str);

/// The namespace bindings in effect in the output, with an undo log so that
/// leaving an element restores its parent's bindings.
struct Bindings<'a> {
    /// Every binding rendered on the open elements: prefix, URI, and the
    /// URI the prefix had before (to restore).
    log: Vec<(Option<&'a str>, &'a str, Option<&'a str>)>,
    /// The current URI of each bound prefix.
    current: HashMap<Option<&'a str>, &'a str>,
}

impl<'a> Bindings<'a> {
    /// Below this many bindings a backwards scan beats hashing.
    const SCAN_LIMIT: usize = 16;

    /// The URI the output binds `prefix` to; the default namespace is ""
    /// until something else is rendered.
    #[inline]
    fn get(&self, prefix: Option<&str>) -> Option<&'a str> {
        let found = if self.log.len() <= Self::SCAN_LIMIT {
            self.log
                .iter()
                .rev()
                .find(|(p, _, _)| *p == prefix)
                .map(|&(_, uri, _)| uri)
        } else {
            self.current.get(&prefix).copied()
        };
        match prefix {
            None => Some(found.unwrap_or("")),
            Some(_) => found,
        }
    }

    /// True when the output already binds `prefix` to `uri`.
    #[inline]
    fn has(&self, prefix: Option<&str>, uri: &str) -> bool {
        self.get(prefix).is_some_and(|r| same_str(r, uri))
    }

    fn bind(&mut self, prefix: Option<&'a str>, uri: &'a str) {
        let previous = self.current.insert(prefix, uri);
        self.log.push((prefix, uri, previous));
    }

    /// Undoes the bindings made after the log had `mark` entries.
    fn unwind(&mut self, mark: usize) {
        while self.log.len() > mark {
            let Some((prefix, _, previous)) = self.log.pop() else {
                break;
            };
            match previous {
                Some(uri) => self.current.insert(prefix, uri),
                None => self.current.remove(&prefix),
            };
        }
    }
}

struct Canonicalizer<'a, 's, S: Sink + ?Sized> {
    text: &'a str,
    exclusive: bool,
    with_comments: bool,
    /// Exclusive only: the PrefixList, sorted and without duplicates,
    /// `None` standing for `#default`.
    prefix_list: Vec<Option<&'a str>>,
    rendered: Bindings<'a>,
    /// For each open element: the length of the bindings log before it, and its qname.
    open: Vec<(usize, &'a str)>,
    /// Scratch space reused for every element.
    decls: Vec<NsDecl<'a>>,
    declared: Vec<Option<&'a str>>,
    attrs: Vec<OutAttr<'a>>,
    out: Buffered<'s, S>,
}

impl<'a, 's, S: Sink + ?Sized> Canonicalizer<'a, 's, S> {
    fn new(text: &'a str, method: &'a Method, sink: &'s mut S) -> Result<Self, C14nError> {
        let exclusive = method.algorithm == Algorithm::Exclusive;
        if !exclusive && !method.inclusive_prefixes.is_empty() {
            return Err(C14nError::PrefixListWithInclusive);
        }
        let mut prefix_list = Vec::with_capacity(method.inclusive_prefixes.len());
        for token in &method.inclusive_prefixes {
            if token == DEFAULT_PREFIX_TOKEN {
                prefix_list.push(None);
            } else if is_ncname(token) {
                prefix_list.push(Some(token.as_str()));
            } else {
                return Err(C14nError::InvalidPrefix {
                    token: token.clone(),
                });
            }
        }
        prefix_list.sort_unstable();
        prefix_list.dedup();
        Ok(Canonicalizer {
            text,
            exclusive,
            with_comments: method.with_comments,
            prefix_list,
            rendered: Bindings {
                log: Vec::with_capacity(16),
                current: HashMap::new(),
            },
            open: Vec::with_capacity(16),
            decls: Vec::with_capacity(8),
            declared: Vec::with_capacity(8),
            attrs: Vec::with_capacity(16),
            out: Buffered {
                sink,
                buf: Vec::with_capacity(CHUNK + 1024),
                written: 0,
                limit: output_limit(text.len()),
                exceeded: false,
            },
        })
    }

    /// Walks the subtree of `apex` in document order without recursion:
    /// `parent` links lead back up once an element's children are done.
    fn subtree(&mut self, apex: Node<'a, '_>, exclude: Option<NodeId>) -> Result<(), C14nError> {
        self.start_element(apex, true)?;
        let mut current = apex;
        let mut next = apex.first_child();
        loop {
            match next {
                Some(node) if node.is_element() => {
                    if Some(node.id()) == exclude {
                        next = node.next_sibling();
                    } else {
                        self.start_element(node, false)?;
                        current = node;
                        next = node.first_child();
                    }
                }
                Some(node) => {
                    self.leaf(node);
                    next = node.next_sibling();
                }
                None => {
                    self.end_element();
                    if current.id() == apex.id() {
                        return self.out.check();
                    }
                    next = current.next_sibling();
                    match current.parent() {
                        Some(parent) => current = parent,
                        // Unreachable: `current` is a strict descendant of the apex.
                        None => return self.out.check(),
                    }
                }
            }
            self.out.check()?;
        }
    }

    /// Text, comment or processing instruction.
    fn leaf(&mut self, node: Node<'a, '_>) {
        match node.node_type() {
            NodeType::Text => {
                if let Some(t) = node.text() {
                    self.out.text(t);
                }
            }
            NodeType::Comment => {
                if self.with_comments {
                    self.out.push(b"<!--");
                    self.out.line_normalized(node.text().unwrap_or_default());
                    self.out.push(b"-->");
                    self.out.maybe_flush();
                }
            }
            NodeType::PI => {
                if let Some(pi) = node.pi() {
                    self.out.push(b"<?");
                    self.out.push(pi.target.as_bytes());
                    if let Some(value) = pi.value.filter(|v| !v.is_empty()) {
                        self.out.push(b" ");
                        self.out.line_normalized(value);
                    }
                    self.out.push(b"?>");
                    self.out.maybe_flush();
                }
            }
            NodeType::Element | NodeType::Root => {}
        }
    }

    fn start_element(&mut self, node: Node<'a, '_>, is_apex: bool) -> Result<(), C14nError> {
        let (qname, prefix) = self.element_qname(node)?;
        self.open.push((self.rendered.log.len(), qname));

        let mut attrs = std::mem::take(&mut self.attrs);
        attrs.clear();
        for a in node.attributes() {
            let (qname, prefix) = self.attribute_qname(a, node)?;
            let uri = a.namespace().unwrap_or("");
            // A namespaced attribute always has a prefix, an unprefixed one no namespace.
            if prefix.is_some() == uri.is_empty() {
                return Err(C14nError::NameUnreadable {
                    location: attribute_location(node, a),
                });
            }
            attrs.push(OutAttr {
                uri,
                local: a.name(),
                qname,
                prefix,
                value: a.value(),
            });
        }

        let mut decls = std::mem::take(&mut self.decls);
        decls.clear();
        let result = if self.exclusive {
            self.exclusive_decls(node, qname, prefix, is_apex, &attrs, &mut decls)
        } else {
            self.inclusive_decls(node, qname, is_apex, &mut decls)
                .and_then(|()| match is_apex {
                    true => self.import_xml_attributes(node, &mut attrs),
                    false => Ok(()),
                })
        };
        // A relative namespace URI would be rendered: refuse (see the error).
        let result = result.and_then(|()| match decls.iter().find(|(_, u)| is_relative_uri(u)) {
            Some((_, uri)) => Err(C14nError::RelativeNamespaceUri {
                uri: uri.chars().take(64).collect(),
                location: location_of(node),
            }),
            None => Ok(()),
        });
        if let Err(e) = result {
            self.decls = decls;
            self.attrs = attrs;
            return Err(e);
        }
        // The default namespace (None) sorts first, then prefixes by code point.
        if decls.len() > 1 {
            decls.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        }
        if attrs.len() > 1 {
            attrs.sort_unstable_by(|a, b| (a.uri, a.local).cmp(&(b.uri, b.local)));
        }

        let out = &mut self.out;
        out.push(b"<");
        out.push(qname.as_bytes());
        for &(p, uri) in &decls {
            match p {
                Some(p) => {
                    out.push(b" xmlns:");
                    out.push(p.as_bytes());
                    out.push(b"=\"");
                }
                None => out.push(b" xmlns=\""),
            }
            out.attribute_value(uri);
            out.push(b"\"");
            self.rendered.bind(p, uri);
            // An element may declare thousands of namespaces: stop early.
            out.check()?;
        }
        for a in &attrs {
            out.push(b" ");
            out.push(a.qname.as_bytes());
            out.push(b"=\"");
            out.attribute_value(a.value);
            out.push(b"\"");
        }
        out.push(b">");
        self.decls = decls;
        self.attrs = attrs;
        Ok(())
    }

    fn end_element(&mut self) {
        if let Some((mark, qname)) = self.open.pop() {
            self.rendered.unwind(mark);
            self.out.push(b"</");
            self.out.push(qname.as_bytes());
            self.out.push(b">");
            self.out.maybe_flush();
        }
    }

    /// Inclusive c14n: every in-scope namespace the nearest output ancestor
    /// does not already bind the same way; `xmlns=""` when the element has
    /// no default namespace but the output ancestor has one.
    ///
    /// Below the apex the output binds exactly the parent's in-scope
    /// namespaces, so only the element's own declarations can differ: those
    /// are read from its start tag, which keeps the work linear in the input
    /// even when hundreds of namespaces are in scope everywhere.
    fn inclusive_decls(
        &mut self,
        node: Node<'a, '_>,
        qname: &'a str,
        is_apex: bool,
        decls: &mut Vec<NsDecl<'a>>,
    ) -> Result<(), C14nError> {
        if is_apex {
            let mut default_uri = "";
            for ns in node.namespaces() {
                match ns.name() {
                    Some("xml") => {}
                    Some(p) => {
                        if !self.rendered.has(Some(p), ns.uri()) {
                            decls.push((Some(p), ns.uri()));
                        }
                    }
                    None => default_uri = ns.uri(),
                }
            }
            if !self.rendered.has(None, default_uri) {
                decls.push((None, default_uri));
            }
            return Ok(());
        }
        let mut declared = std::mem::take(&mut self.declared);
        let result = self.declared_prefixes(node, qname, &mut declared);
        if result.is_ok() {
            let mut in_scope = node.namespaces();
            for &p in &declared {
                let Some(uri) = declared_uri(node, &mut in_scope, p) else {
                    self.declared = declared;
                    return Err(C14nError::NameUnreadable {
                        location: location_of(node),
                    });
                };
                if !self.rendered.has(p, uri) {
                    decls.push((p, uri));
                }
            }
        }
        self.declared = declared;
        result
    }

    /// Exclusive c14n: the namespaces visibly utilised by the element (its
    /// own prefix or the default namespace, and its attributes' prefixes)
    /// plus the PrefixList's in-scope namespaces, each unless the nearest
    /// output ancestor already renders it with the same URI.
    ///
    /// A listed prefix is rendered on the apex when in scope there; below,
    /// its binding can only change where an element declares it, so only
    /// the element's own declarations are looked at.
    fn exclusive_decls(
        &mut self,
        node: Node<'a, '_>,
        qname: &'a str,
        prefix: Option<&'a str>,
        is_apex: bool,
        attrs: &[OutAttr<'a>],
        decls: &mut Vec<NsDecl<'a>>,
    ) -> Result<(), C14nError> {
        let element_uri = node.tag_name().namespace().unwrap_or("");
        self.consider(decls, prefix, element_uri);
        for a in attrs {
            if let Some(p) = a.prefix {
                self.consider(decls, Some(p), a.uri);
            }
        }
        if self.prefix_list.is_empty() {
            return Ok(());
        }
        // Visibly utilised prefixes are at most 1 + 64 (attributes); the
        // listed ones below are distinct from each other.
        let visible = decls.len();
        let listed_decl = |this: &Self, decls: &mut Vec<NsDecl<'a>>, p, uri| {
            let seen = decls
                .get(..visible)
                .unwrap_or_default()
                .iter()
                .any(|(q, _)| *q == p);
            if !seen && p != Some("xml") && !this.rendered.has(p, uri) {
                decls.push((p, uri));
            }
        };
        if is_apex {
            for ns in node.namespaces() {
                if self.is_listed(ns.name()) {
                    listed_decl(self, decls, ns.name(), ns.uri());
                }
            }
            // A listed default namespace that is not in scope is "", which
            // is what the output binds at the apex: nothing to render.
            return Ok(());
        }
        let mut declared = std::mem::take(&mut self.declared);
        let result = self.declared_prefixes(node, qname, &mut declared);
        if result.is_ok() {
            let mut in_scope = node.namespaces();
            for &p in &declared {
                // Advance the in-scope list in step with the declarations.
                let uri = declared_uri(node, &mut in_scope, p);
                if !self.is_listed(p) {
                    continue;
                }
                let Some(uri) = uri else {
                    self.declared = declared;
                    return Err(C14nError::NameUnreadable {
                        location: location_of(node),
                    });
                };
                listed_decl(self, decls, p, uri);
            }
        }
        self.declared = declared;
        result
    }

    fn is_listed(&self, prefix: Option<&str>) -> bool {
        self.prefix_list.binary_search(&prefix).is_ok()
    }

    /// Adds a visibly utilised namespace unless already added or rendered.
    fn consider(&self, decls: &mut Vec<NsDecl<'a>>, prefix: Option<&'a str>, uri: &'a str) {
        if prefix == Some("xml") || decls.iter().any(|(p, _)| *p == prefix) {
            return;
        }
        if !self.rendered.has(prefix, uri) {
            decls.push((prefix, uri));
        }
    }

    /// The prefixes the element's start tag declares (`None` for `xmlns`),
    /// in written order, read from the input after the qualified name;
    /// `xmlns:xml` is left out (the tree does not list it). The tree keeps
    /// only the resulting in-scope list, which repeats every inherited
    /// namespace.
    fn declared_prefixes(
        &self,
        node: Node<'a, '_>,
        qname: &'a str,
        declared: &mut Vec<Option<&'a str>>,
    ) -> Result<(), C14nError> {
        declared.clear();
        let unreadable = || C14nError::NameUnreadable {
            location: location_of(node),
        };
        let bytes = self.text.as_bytes();
        let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let mut i = node.range().start + 1 + qname.len();
        loop {
            while bytes.get(i).is_some_and(is_space) {
                i += 1;
            }
            match bytes.get(i) {
                Some(b'>' | b'/') => return Ok(()),
                None => return Err(unreadable()),
                Some(_) => {}
            }
            let name_start = i;
            while bytes
                .get(i)
                .is_some_and(|b| !is_space(b) && !matches!(b, b'=' | b'>' | b'/'))
            {
                i += 1;
            }
            let name = self.text.get(name_start..i).ok_or_else(unreadable)?;
            while bytes.get(i).is_some_and(is_space) {
                i += 1;
            }
            if bytes.get(i) != Some(&b'=') {
                return Err(unreadable());
            }
            i += 1;
            while bytes.get(i).is_some_and(is_space) {
                i += 1;
            }
            let quote = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => q,
                _ => return Err(unreadable()),
            };
            let value_len = bytes
                .get(i + 1..)
                .and_then(|rest| rest.iter().position(|&b| b == quote))
                .ok_or_else(unreadable)?;
            i += value_len + 2;
            if name == "xmlns" {
                declared.push(None);
            } else if let Some(p) = name.strip_prefix("xmlns:").filter(|&p| p != "xml") {
                declared.push(Some(p));
            }
        }
    }

    /// Inclusive c14n of a subtree: the apex carries the `xml:*` attributes
    /// of its ancestors that it does not itself have, the nearest occurrence
    /// of each (spec section 2.4).
    fn import_xml_attributes(
        &self,
        node: Node<'a, '_>,
        attrs: &mut Vec<OutAttr<'a>>,
    ) -> Result<(), C14nError> {
        for ancestor in node.ancestors().skip(1).filter(|n| n.is_element()) {
            for a in ancestor.attributes() {
                if a.namespace() != Some(ns::XML) {
                    continue;
                }
                if attrs
                    .iter()
                    .any(|o| o.uri == ns::XML && o.local == a.name())
                {
                    continue;
                }
                let (qname, prefix) = self.attribute_qname(a, ancestor)?;
                attrs.push(OutAttr {
                    uri: ns::XML,
                    local: a.name(),
                    qname,
                    prefix,
                    value: a.value(),
                });
            }
        }
        Ok(())
    }

    /// The element's qualified name as written (the name right after `<`),
    /// and its prefix.
    fn element_qname(&self, node: Node<'a, '_>) -> Result<(&'a str, Option<&'a str>), C14nError> {
        self.text
            .get(node.range_qname())
            .and_then(|q| Some((q, qname_prefix(q, node.tag_name().name())?)))
            .ok_or_else(|| C14nError::NameUnreadable {
                location: location_of(node),
            })
    }

    /// The attribute's qualified name as written, and its prefix.
    fn attribute_qname(
        &self,
        a: crate::xml::Attribute<'a, '_>,
        owner: Node<'a, '_>,
    ) -> Result<(&'a str, Option<&'a str>), C14nError> {
        self.text
            .get(a.range_qname())
            .and_then(|q| Some((q, qname_prefix(q, a.name())?)))
            .ok_or_else(|| C14nError::NameUnreadable {
                location: attribute_location(owner, a),
            })
    }
}

/// True for a non-empty URI reference without a scheme (RFC 3986:
/// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`), as written. (A scheme
/// spelled with character references would count as relative: refused, on
/// the safe side.)
fn is_relative_uri(uri: &str) -> bool {
    let Some((scheme, _)) = uri.split_once(':') else {
        return !uri.is_empty();
    };
    let mut chars = scheme.chars();
    !(chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
}

/// The URI of a namespace the element declares. The tree lists an
/// element's own declarations first, in written order, so `in_scope`
/// (the element's in-scope list, advanced once per declaration) usually
/// yields it next; otherwise it is looked up. An element's in-scope list has
/// one entry per prefix, so an entry with the prefix is the binding.
fn declared_uri<'a>(
    node: Node<'a, '_>,
    in_scope: &mut crate::xml::tree::NamespaceIter<'a, '_>,
    prefix: Option<&str>,
) -> Option<&'a str> {
    match in_scope.next() {
        Some(ns) if ns.name() == prefix => Some(ns.uri()),
        _ => in_scope_uri(node, prefix),
    }
}

/// The URI `prefix` is bound to in the element's scope; the default
/// namespace is "" when none is in scope.
fn in_scope_uri<'a>(node: Node<'a, '_>, prefix: Option<&str>) -> Option<&'a str> {
    let found = node
        .namespaces()
        .find(|ns| ns.name() == prefix)
        .map(|ns| ns.uri());
    match prefix {
        None => Some(found.unwrap_or("")),
        Some(_) => found,
    }
}

fn attribute_location(owner: Node<'_, '_>, a: crate::xml::Attribute<'_, '_>) -> Location {
    owner.document().text_pos_at(a.range().start).into()
}

/// The prefix of `qname` when it is `local` (`Some(None)`) or
/// `prefix:local` (`Some(Some(prefix))`); `None` when it is neither.
fn qname_prefix<'q>(qname: &'q str, local: &str) -> Option<Option<&'q str>> {
    let prefix_len = qname.len().checked_sub(local.len())?;
    if !same_str(qname.get(prefix_len..)?, local) {
        return None;
    }
    if prefix_len == 0 {
        return Some(None);
    }
    // `prefix_len >= 1` here; the byte before the local name must be the colon.
    let prefix = qname.get(..prefix_len - 1)?;
    let well_formed = qname.as_bytes().get(prefix_len - 1) == Some(&b':')
        && !prefix.is_empty()
        && !prefix.bytes().any(|b| b == b':');
    well_formed.then_some(Some(prefix))
}

/// String equality with a shortcut for the same slice (namespace URIs
/// usually come from the tree's one table of namespaces).
#[inline]
fn same_str(a: &str, b: &str) -> bool {
    (std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len()) || a == b
}

/// A namespace prefix as the Namespaces spec allows: a name without colons.
fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{Limits, parse};

    fn exc(xml: &str) -> String {
        let doc = parse(xml, &Limits::default()).unwrap();
        String::from_utf8(to_vec(doc.root_element(), None, &Method::exclusive(false)).unwrap())
            .unwrap()
    }

    fn inc(xml: &str) -> String {
        let doc = parse(xml, &Limits::default()).unwrap();
        String::from_utf8(to_vec(doc.root_element(), None, &Method::inclusive(false)).unwrap())
            .unwrap()
    }

    fn first<'a, 'i>(doc: &'a crate::xml::Document<'i>, local: &str) -> Node<'a, 'i> {
        doc.tree()
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == local)
            .unwrap()
    }

    fn sub(xml: &str, local: &str, method: &Method) -> String {
        let doc = parse(xml, &Limits::default()).unwrap();
        String::from_utf8(to_vec(first(&doc, local), None, method).unwrap()).unwrap()
    }

    #[test]
    fn attributes_sorted_by_namespace_uri_then_local_name() {
        let xml = r#"<e xmlns:b="urn:b" xmlns:a="urn:z" b:x="1" z="2" a:y="3" a="4"/>"#;
        // No-namespace attributes first; then urn:b before urn:z (URI, not prefix, order).
        assert_eq!(
            exc(xml),
            r#"<e xmlns:a="urn:z" xmlns:b="urn:b" a="4" z="2" b:x="1" a:y="3"></e>"#
        );
    }

    #[test]
    fn text_and_attribute_escaping() {
        let xml = "<e a=\"&#9;t&#10;n&#13;r &amp; &lt; &gt; &quot; '\">&#13;&amp;&lt;&gt;\"'\t</e>";
        assert_eq!(
            inc(xml),
            "<e a=\"&#x9;t&#xA;n&#xD;r &amp; &lt; > &quot; '\">&#xD;&amp;&lt;&gt;\"'\t</e>"
        );
        // A literal tab or line feed in an attribute is normalised to a space by the parse.
        assert_eq!(inc("<e a='x\ty\nz'/>"), "<e a=\"x y z\"></e>");
        // CRLF in text is a line feed; CDATA becomes escaped text.
        assert_eq!(
            inc("<e>a\r\nb<![CDATA[<&>]]></e>"),
            "<e>a\nb&lt;&amp;&gt;</e>"
        );
        // Multi-byte characters pass through.
        assert_eq!(
            inc("<e a='é&amp;'>é&lt;ü</e>"),
            "<e a=\"é&amp;\">é&lt;ü</e>"
        );
    }

    #[test]
    fn namespace_redeclaration_and_empty_default() {
        let xml = r#"<a xmlns="urn:1"><b xmlns="urn:1"><c xmlns=""><d xmlns=""/><e xmlns="urn:2"/></c></b></a>"#;
        let expected =
            r#"<a xmlns="urn:1"><b><c xmlns=""><d></d><e xmlns="urn:2"></e></c></b></a>"#;
        assert_eq!(inc(xml), expected);
        assert_eq!(exc(xml), expected);
        // xmlns="" with nothing to undeclare is superfluous.
        assert_eq!(inc(r#"<a xmlns=""><b xmlns=""/></a>"#), "<a><b></b></a>");
        // A prefix rebound to another URI below is rendered again.
        let xml = r#"<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c xmlns:p="urn:2"/></p:b></p:a>"#;
        let expected = r#"<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c></p:c></p:b></p:a>"#;
        assert_eq!(inc(xml), expected);
        assert_eq!(exc(xml), expected);
    }

    #[test]
    fn relative_namespace_uris_are_refused_where_rendered() {
        let canon = |xml: &str, method: Method| {
            let doc = parse(xml, &Limits::default()).unwrap();
            to_vec(doc.root_element(), None, &method)
        };
        for (xml, method) in [
            (r#"<r xmlns:a="foo"><b/></r>"#, Method::inclusive(false)),
            (r#"<r><b xmlns="../rel"/></r>"#, Method::inclusive(false)),
            (r#"<a:r xmlns:a="foo"/>"#, Method::exclusive(false)),
            (
                r#"<r xmlns:a="a/b:c"><b a:x="1"/></r>"#,
                Method::exclusive(false),
            ),
            (
                r#"<r xmlns:a="foo"/>"#,
                Method::exclusive(false).with_prefix_list("a"),
            ),
        ] {
            let e = canon(xml, method).unwrap_err();
            assert!(
                matches!(e, C14nError::RelativeNamespaceUri { .. }),
                "{xml}: {e}"
            );
            assert_eq!(e.code(), Code::XmlC14nUnsupported);
            assert!(e.to_string().contains("relative URI"), "{e}");
        }
        // Absolute URIs, the undeclaration, and a relative declaration that
        // exclusive c14n does not render are fine.
        assert_eq!(
            inc(r#"<r xmlns="urn:x" xmlns:h="http://e.example/"><b xmlns=""/></r>"#),
            r#"<r xmlns="urn:x" xmlns:h="http://e.example/"><b xmlns=""></b></r>"#
        );
        assert_eq!(exc(r#"<r xmlns:a="foo"><b/></r>"#), "<r><b></b></r>");
    }

    #[test]
    fn superfluous_declarations_dropped() {
        let xml = r#"<r xmlns:u="urn:unused" xmlns:s="urn:s"><s:a xmlns:s="urn:s"><s:b xmlns:u="urn:unused"/></s:a></r>"#;
        // Inclusive keeps the unused declaration (on the apex only), exclusive drops it.
        assert_eq!(
            inc(xml),
            r#"<r xmlns:s="urn:s" xmlns:u="urn:unused"><s:a><s:b></s:b></s:a></r>"#
        );
        assert_eq!(exc(xml), r#"<r><s:a xmlns:s="urn:s"><s:b></s:b></s:a></r>"#);
    }

    #[test]
    fn exclusive_pushes_declarations_down_to_first_use() {
        let xml = r#"<r xmlns:x="urn:x"><a><x:b/><x:c/></a><x:d x:at="1"/></r>"#;
        assert_eq!(
            exc(xml),
            r#"<r><a><x:b xmlns:x="urn:x"></x:b><x:c xmlns:x="urn:x"></x:c></a><x:d xmlns:x="urn:x" x:at="1"></x:d></r>"#
        );
        // A prefix used only inside an attribute value is not visibly utilised.
        let xml = r#"<r xmlns:xs="urn:xs" xmlns:xsi="urn:xsi"><v xsi:type="xs:string"/></r>"#;
        assert_eq!(
            sub(xml, "v", &Method::exclusive(false)),
            r#"<v xmlns:xsi="urn:xsi" xsi:type="xs:string"></v>"#
        );
        assert_eq!(
            sub(xml, "v", &Method::exclusive(false).with_prefix_list("xs")),
            r#"<v xmlns:xs="urn:xs" xmlns:xsi="urn:xsi" xsi:type="xs:string"></v>"#
        );
    }

    #[test]
    fn exclusive_prefix_list_with_default() {
        let xml =
            r#"<r xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q"><p:a><p:b xmlns=""/></p:a></r>"#;
        assert_eq!(
            sub(xml, "a", &Method::exclusive(false)),
            r#"<p:a xmlns:p="urn:p"><p:b></p:b></p:a>"#
        );
        assert_eq!(
            sub(
                xml,
                "a",
                &Method::exclusive(false).with_prefix_list("#default q")
            ),
            r#"<p:a xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q"><p:b xmlns=""></p:b></p:a>"#
        );
        // A listed prefix that is not in scope is ignored.
        assert_eq!(
            sub(xml, "a", &Method::exclusive(false).with_prefix_list("nope")),
            r#"<p:a xmlns:p="urn:p"><p:b></p:b></p:a>"#
        );
    }

    #[test]
    fn inclusive_subtree_takes_ancestor_namespaces_and_xml_attributes() {
        let xml = r#"<r xmlns:a="urn:a" xml:lang="en" xml:space="preserve" xml:base="b/"><m xml:lang="fr"><x xml:space="default"/></m></r>"#;
        assert_eq!(
            sub(xml, "x", &Method::inclusive(false)),
            r#"<x xmlns:a="urn:a" xml:base="b/" xml:lang="fr" xml:space="default"></x>"#
        );
        assert_eq!(
            sub(xml, "x", &Method::exclusive(false)),
            r#"<x xml:space="default"></x>"#
        );
    }

    #[test]
    fn comments_kept_or_dropped() {
        let xml = "<!--before--><a>x<!-- c -->y<b><!--d--></b></a><!--after-->";
        let doc = parse(xml, &Limits::default()).unwrap();
        let with = document_to_vec(doc.tree(), &Method::exclusive(true)).unwrap();
        assert_eq!(
            with,
            b"<!--before-->\n<a>x<!-- c -->y<b><!--d--></b></a>\n<!--after-->"
        );
        let without = document_to_vec(doc.tree(), &Method::exclusive(false)).unwrap();
        assert_eq!(without, b"<a>xy<b></b></a>");
        let with = to_vec(doc.root_element(), None, &Method::inclusive(true)).unwrap();
        assert_eq!(with, b"<a>x<!-- c -->y<b><!--d--></b></a>");
    }

    #[test]
    fn processing_instructions_are_kept() {
        // Spec example 3.1, without its DOCTYPE (refused here); the PI's
        // data keeps its inner and trailing whitespace.
        let xml = "<?xml version=\"1.0\"?>\r\n\r\n<?xml-stylesheet   href=\"doc.xsl\"\r\n   type=\"text/xsl\"   ?>\r\n\r\n<doc>Hello, world!<!-- Comment 1 --></doc>\r\n\r\n<?pi-without-data     ?>\r\n\r\n<!-- Comment 2 -->\r\n\r\n<!-- Comment 3 -->\r\n";
        let doc = parse(xml, &Limits::default()).unwrap();
        let plain = document_to_vec(doc.tree(), &Method::inclusive(false)).unwrap();
        assert_eq!(
            String::from_utf8(plain).unwrap(),
            "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>"
        );
        let comments = document_to_vec(doc.tree(), &Method::inclusive(true)).unwrap();
        assert_eq!(
            String::from_utf8(comments).unwrap(),
            "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->"
        );
        // Comments get the same line-end normalisation.
        let doc = parse("<a><!--x\r\ny\rz--><?p a\r\nb?></a>", &Limits::default()).unwrap();
        let out = to_vec(doc.root_element(), None, &Method::exclusive(true)).unwrap();
        assert_eq!(out, b"<a><!--x\ny\nz--><?p a\nb?></a>");
        // Inside an element a PI changes the canonical bytes (attack C03).
        assert_eq!(exc("<a>x<?y z?>w</a>"), "<a>x<?y z?>w</a>");
    }

    #[test]
    fn subtree_with_excluded_child() {
        let xml = r#"<R xmlns="urn:p"><A xmlns="urn:a" xmlns:ds="urn:ds" ID="_1"><I>i</I><ds:Signature><ds:X/></ds:Signature><S>s</S></A></R>"#;
        let doc = parse(xml, &Limits::default()).unwrap();
        let a = first(&doc, "A");
        let sig = first(&doc, "Signature");
        let out = to_vec(a, Some(sig.id()), &Method::exclusive(false)).unwrap();
        assert_eq!(out, br#"<A xmlns="urn:a" ID="_1"><I>i</I><S>s</S></A>"#);
        let out = to_vec(a, Some(sig.id()), &Method::inclusive(false)).unwrap();
        assert_eq!(
            out,
            br#"<A xmlns="urn:a" xmlns:ds="urn:ds" ID="_1"><I>i</I><S>s</S></A>"#
        );
        // Excluding the apex itself, or a node outside it, is refused: an
        // empty canonical form must never be digested.
        let e = to_vec(a, Some(a.id()), &Method::exclusive(false)).unwrap_err();
        assert!(matches!(e, C14nError::ExcludedOutsideSubtree { .. }), "{e}");
        assert_eq!(e.code(), Code::XmlC14nUnsupported);
        let text = first(&doc, "I").first_child().unwrap();
        let e = to_vec(a, Some(text.id()), &Method::exclusive(false)).unwrap_err();
        assert!(matches!(e, C14nError::ExcludedOutsideSubtree { .. }), "{e}");
        let e = to_vec(sig, Some(first(&doc, "I").id()), &Method::exclusive(false)).unwrap_err();
        assert!(matches!(e, C14nError::ExcludedOutsideSubtree { .. }), "{e}");
    }

    #[test]
    fn saml_assertion_renders_prefix_declared_on_response() {
        let xml = concat!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r">"#,
            r#"<saml:Issuer>idp</saml:Issuer>"#,
            r#"<saml:Assertion ID="_a" Version="2.0"><saml:Issuer>idp</saml:Issuer>"#,
            r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>"#,
            r#"<saml:Subject><saml:NameID>u@x<!--c-->.y</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>"#
        );
        let doc = parse(xml, &Limits::default()).unwrap();
        let assertion = first(&doc, "Assertion");
        let sig = first(&doc, "Signature");
        let out = to_vec(assertion, Some(sig.id()), &Method::exclusive(false)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            concat!(
                r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0">"#,
                r#"<saml:Issuer>idp</saml:Issuer><saml:Subject><saml:NameID>u@x.y</saml:NameID></saml:Subject></saml:Assertion>"#
            )
        );
    }

    #[test]
    fn method_uris_round_trip() {
        for uri in [
            C14N10_URI,
            C14N10_WITH_COMMENTS_URI,
            EXC_C14N_URI,
            EXC_C14N_WITH_COMMENTS_URI,
        ] {
            assert_eq!(Method::from_uri(uri).unwrap().uri(), uri);
        }
        assert_eq!(
            Method::from_uri("http://www.w3.org/2006/12/xml-c14n11"),
            None
        );
        assert_eq!(Method::from_uri(""), None);
    }

    #[test]
    fn bad_methods_and_nodes_are_refused() {
        let doc = parse("<a>t</a>", &Limits::default()).unwrap();
        let a = doc.root_element();
        let mut m = Method::inclusive(false);
        m.inclusive_prefixes.push("a".into());
        assert_eq!(to_vec(a, None, &m), Err(C14nError::PrefixListWithInclusive));
        let m = Method::exclusive(false).with_prefix_list("ok a:b");
        assert!(
            matches!(to_vec(a, None, &m), Err(C14nError::InvalidPrefix { token }) if token == "a:b")
        );
        let text = a.first_child().unwrap();
        let e = to_vec(text, None, &Method::exclusive(false)).unwrap_err();
        assert!(matches!(e, C14nError::NotAnElement { .. }));
        assert_eq!(e.location(), Some(Location::new(1, 4)));
    }

    #[test]
    fn word_scan_finds_every_special_byte() {
        // Every position within and across eight-byte words, among bytes that
        // differ from a special by one bit or one borrow, and zero bytes.
        let filler = "%;=?'\u{1}\u{0}é\u{7f}\u{c}\u{e}\u{8}!#";
        let naive = |v: &[u8], from: usize, set: &[u8]| {
            v.iter()
                .skip(from)
                .position(|b| set.contains(b))
                .map(|p| p + from)
        };
        for len in 0..40 {
            let base: Vec<u8> = filler.bytes().cycle().take(len).collect();
            assert_eq!(find_special(&base, 0, &ATTRIBUTE_SPECIALS), None);
            for at in 0..len {
                for &special in ATTRIBUTE_SPECIALS.iter().chain(&TEXT_SPECIALS) {
                    let mut v = base.clone();
                    v[at] = special;
                    for from in 0..=len {
                        assert_eq!(
                            find_special(&v, from, &TEXT_SPECIALS),
                            naive(&v, from, &TEXT_SPECIALS),
                            "{v:?} from {from}"
                        );
                        assert_eq!(
                            find_special(&v, from, &ATTRIBUTE_SPECIALS),
                            naive(&v, from, &ATTRIBUTE_SPECIALS),
                            "{v:?} from {from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn large_output_is_flushed_in_chunks() {
        struct Chunks(Vec<usize>, Vec<u8>);
        impl Sink for Chunks {
            fn write(&mut self, bytes: &[u8]) {
                self.0.push(bytes.len());
                self.1.extend_from_slice(bytes);
            }
        }
        let xml = format!("<a>{}</a>", "<b x='&amp;'>t&lt;</b>".repeat(5000));
        let doc = parse(&xml, &Limits::default()).unwrap();
        let mut sink = Chunks(Vec::new(), Vec::new());
        canonicalize_element(
            doc.root_element(),
            None,
            &Method::exclusive(false),
            &mut sink,
        )
        .unwrap();
        assert!(sink.0.len() > 3, "{:?}", sink.0);
        let expected = format!("<a>{}</a>", "<b x=\"&amp;\">t&lt;</b>".repeat(5000));
        assert_eq!(sink.1, expected.as_bytes());
        assert_eq!(
            to_vec(doc.root_element(), None, &Method::exclusive(false)).unwrap(),
            expected.as_bytes()
        );
    }

    #[test]
    fn own_declarations_are_read_from_the_start_tag() {
        // Attribute values may hold '>', '/', quotes and xmlns-lookalikes.
        let xml = r#"<a xmlns:r="urn:r1"><b v='x xmlns:q="urn:q" /> y' xmlns:r="urn:r2"
            w="&gt;xmlns=&apos;" xmlns:xml="http://www.w3.org/XML/1998/namespace" xmlns = 'urn:d' ><r:c/></b></a>"#;
        assert_eq!(
            inc(xml),
            r#"<a xmlns:r="urn:r1"><b xmlns="urn:d" xmlns:r="urn:r2" v="x xmlns:q=&quot;urn:q&quot; /> y" w=">xmlns='"><r:c></r:c></b></a>"#
        );
        assert_eq!(
            sub(
                xml,
                "b",
                &Method::exclusive(false).with_prefix_list("r #default")
            ),
            r#"<b xmlns="urn:d" xmlns:r="urn:r2" v="x xmlns:q=&quot;urn:q&quot; /> y" w=">xmlns='"><r:c></r:c></b>"#
        );
    }

    #[test]
    fn many_bindings_are_undone_when_leaving_an_element() {
        // More bindings than the backwards scan handles: the map is used.
        let decls: String = (0..40)
            .map(|i| format!(" xmlns:p{i}=\"urn:{i}\""))
            .collect();
        let uses: String = (0..40).map(|i| format!("<p{i}:e/>")).collect();
        let xml = format!(
            r#"<r{decls}><p0:x p1:a="" p2:a="" p3:a="" p4:a="" p5:a="" p6:a="" p7:a="" p8:a="" p9:a="" p10:a="" p11:a="" p12:a="" p13:a="" p14:a="" p15:a="" p16:a="" p17:a="" p18:a=""><p5:y xmlns:p5="urn:other"><p5:z/></p5:y><p5:w/>{uses}</p0:x></r>"#
        );
        let out = sub(&xml, "x", &Method::exclusive(false));
        // Declarations sort by prefix: p0, p1, p10, p11, ..., p18, p2, ...
        let mut x_prefixes: Vec<String> = (0..19).map(|i| format!("p{i}")).collect();
        x_prefixes.sort();
        let x_decls: String = x_prefixes
            .iter()
            .map(|p| format!(" xmlns:{p}=\"urn:{}\"", &p[1..]))
            .collect();
        assert!(out.starts_with(&format!("<p0:x{x_decls} ")), "{out}");
        assert!(
            out.contains(
                r#"<p5:y xmlns:p5="urn:other"><p5:z></p5:z></p5:y><p5:w></p5:w><p0:e></p0:e>"#
            ),
            "{out}"
        );
        // Prefixes bound on x are not repeated; the others are declared where used.
        assert!(
            out.contains(r#"<p18:e></p18:e><p19:e xmlns:p19="urn:19"></p19:e>"#),
            "{out}"
        );
        assert!(
            out.ends_with(r#"<p39:e xmlns:p39="urn:39"></p39:e></p0:x>"#),
            "{out}"
        );
    }

    #[test]
    fn many_namespaces_in_scope_cost_linear_work() {
        // 3000 namespaces in scope on 20000 elements: looking at every
        // in-scope namespace of every element would be 60 million lookups
        // into a 3000-entry table.
        let decls: String = (0..3000)
            .map(|i| format!(" xmlns:n{i}=\"urn:{i}\""))
            .collect();
        let xml = format!("<r{decls}>{}</r>", "<e/>".repeat(20_000));
        // Above the default cap on declarations: c14n must stay linear even
        // for a caller that raises it.
        let limits = Limits {
            max_namespace_declarations: 4000,
            ..Limits::default()
        };
        let doc = parse(&xml, &limits).unwrap();
        let started = std::time::Instant::now();
        let out = to_vec(doc.root_element(), None, &Method::inclusive(false)).unwrap();
        let mut prefixes: Vec<String> = (0..3000).map(|i| format!("n{i}")).collect();
        prefixes.sort();
        let decls: String = prefixes
            .iter()
            .map(|p| format!(" xmlns:{p}=\"urn:{}\"", &p[1..]))
            .collect();
        let expected = format!("<r{decls}>{}</r>", "<e></e>".repeat(20_000));
        assert!(out == expected.as_bytes(), "inclusive output differs");
        let m = Method::exclusive(false).with_prefix_list(&prefixes.join(" "));
        let out = to_vec(doc.root_element(), None, &m).unwrap();
        assert!(out == expected.as_bytes(), "exclusive output differs");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn namespace_explosion_is_refused() {
        // One 60 KB namespace URI used by 2000 elements: exclusive c14n would
        // repeat it on each (120 MB).
        let uri = "u".repeat(60_000);
        let xml = format!("<r xmlns:p=\"urn:{uri}\">{}</r>", "<p:a/>".repeat(2000));
        let doc = parse(&xml, &Limits::default()).unwrap();
        struct Counting(usize);
        impl Sink for Counting {
            fn write(&mut self, bytes: &[u8]) {
                self.0 += bytes.len();
            }
        }
        let mut sink = Counting(0);
        let e = canonicalize_element(
            doc.root_element(),
            None,
            &Method::exclusive(false),
            &mut sink,
        )
        .unwrap_err();
        assert_eq!(
            e,
            C14nError::OutputTooLarge {
                limit: output_limit(xml.len())
            }
        );
        assert_eq!(e.code(), Code::XmlLimitExceeded);
        assert!(sink.0 <= output_limit(xml.len()), "{}", sink.0);
        // Inclusive c14n declares it once.
        assert!(to_vec(doc.root_element(), None, &Method::inclusive(false)).is_ok());
    }

    #[test]
    fn deep_nesting_needs_no_recursion() {
        let depth = 128;
        let xml = "<a>".repeat(depth) + &"</a>".repeat(depth);
        let doc = parse(&xml, &Limits::default()).unwrap();
        let out = to_vec(doc.root_element(), None, &Method::inclusive(false)).unwrap();
        assert_eq!(
            out,
            ("<a>".repeat(depth) + &"</a>".repeat(depth)).as_bytes()
        );
    }
}

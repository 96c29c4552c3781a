//! The parsed document: an arena of nodes in document order, read through
//! copyable [`Node`] handles.
//!
//! The API mirrors the parts of roxmltree 0.21 this crate used (same method
//! names and semantics), so readers did not change when the parser did.
//! Strings are byte ranges into the input, or into one per-document buffer
//! for values that entity expansion or line-end / attribute-whitespace
//! normalisation changed.

use std::fmt;
use std::ops::Range;

use super::reader;

/// "No node" in the `u32` links.
pub(super) const NONE: u32 = u32::MAX;
/// High bit of [`Val::start`]: the range is in the document's buffer.
const OWNED: u32 = 1 << 31;
/// The namespace the `xml` prefix is bound to.
pub(super) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A string of the document: a range of the input or (high bit of `start`
/// set) of the document's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Val {
    start: u32,
    end: u32,
}

impl Val {
    pub(super) const EMPTY: Val = Val { start: 0, end: 0 };

    /// `input[a..b]`. Offsets fit: inputs are refused at 1 GiB.
    pub(super) fn input(a: usize, b: usize) -> Val {
        Val {
            start: a as u32,
            end: b as u32,
        }
    }

    /// `buf[a..b]`.
    pub(super) fn owned(a: usize, b: usize) -> Val {
        Val {
            start: a as u32 | OWNED,
            end: b as u32,
        }
    }

    pub(super) fn is_owned(self) -> bool {
        self.start & OWNED != 0
    }

    pub(super) fn len(self) -> usize {
        (self.end - (self.start & !OWNED)) as usize
    }

    pub(super) fn start(self) -> usize {
        (self.start & !OWNED) as usize
    }

    pub(super) fn set_end(&mut self, end: usize) {
        self.end = end as u32;
    }
}

/// What a node is, with its data.
#[derive(Clone, Copy, Debug)]
pub(super) enum Kind {
    Root,
    /// `qname` is the qualified name in the input, `local` the offset of
    /// the local part in it; `ns` indexes `decls` (`NONE`: no namespace);
    /// `attrs` and `scope` are ranges of `attrs` and `scopes`.
    Element {
        qname: Val,
        local: u32,
        ns: u32,
        attrs: (u32, u32),
        scope: (u32, u32),
    },
    Text(Val),
    Comment(Val),
    /// `value` is `None` for `<?target?>`.
    Pi {
        target: Val,
        value: Option<Val>,
    },
}

/// One node of the arena.
#[derive(Clone, Copy, Debug)]
pub(super) struct NodeData {
    pub(super) parent: u32,
    pub(super) first_child: u32,
    pub(super) last_child: u32,
    pub(super) next_sibling: u32,
    pub(super) prev_sibling: u32,
    /// One past the last node of the subtree: nodes are stored in document
    /// order, so the descendants of node `n` are `n..subtree_end`.
    pub(super) subtree_end: u32,
    pub(super) range: (u32, u32),
    pub(super) kind: Kind,
}

/// An attribute as stored.
#[derive(Clone, Copy, Debug)]
pub(super) struct AttrData {
    /// The qualified name in the input.
    pub(super) qname: Val,
    /// Offset of the local part in `qname`.
    pub(super) local: u32,
    /// Index into `decls`, `NONE` for no namespace.
    pub(super) ns: u32,
    pub(super) value: Val,
    /// End of the closing quote.
    pub(super) end: u32,
}

/// A namespace declaration: `prefix` is `None` for the default namespace.
#[derive(Clone, Copy, Debug)]
pub(super) struct Decl {
    pub(super) prefix: Option<Val>,
    pub(super) uri: Val,
}

/// A parsed XML document.
///
/// Made by [`crate::xml::parse`]; read from [`Document::root`] or
/// [`Document::root_element`].
pub struct Document<'input> {
    pub(super) text: &'input str,
    pub(super) buf: String,
    pub(super) nodes: Vec<NodeData>,
    pub(super) attrs: Vec<AttrData>,
    /// Every declaration; `decls[0]` binds `xml` (used for `xml:`
    /// attributes, never listed in scopes, as in roxmltree).
    pub(super) decls: Vec<Decl>,
    /// In-scope lists: indexes into `decls`, one run per element that
    /// declares namespaces (others share their parent's run).
    pub(super) scopes: Vec<u32>,
}

impl<'input> Document<'input> {
    /// Parses `text` without limits other than the node count; use
    /// [`crate::xml::parse`], which also applies [`crate::xml::Limits`].
    /// `markup` (the counts of `<` and `=`) sizes the arrays.
    pub(super) fn parse(
        text: &'input str,
        max_nodes: u32,
        markup: (usize, usize),
    ) -> Result<Self, reader::Error> {
        reader::parse(text, max_nodes, markup)
    }

    /// A string of the document.
    #[inline]
    pub(super) fn str(&self, v: Val) -> &str {
        if v.is_owned() {
            &self.buf[v.start()..v.end as usize]
        } else {
            &self.text[v.start()..v.end as usize]
        }
    }

    /// A string that is always in the input.
    #[inline]
    fn input_str(&self, v: Val) -> &'input str {
        debug_assert!(!v.is_owned());
        &self.text[v.start()..v.end as usize]
    }

    /// An attribute's local name.
    pub(super) fn attribute_name(&self, a: &AttrData) -> &'input str {
        &self.input_str(a.qname)[a.local as usize..]
    }

    fn node(&self, id: u32) -> Node<'_, 'input> {
        Node {
            doc: self,
            id,
            d: &self.nodes[id as usize],
        }
    }

    /// The document node (parent of the root element and of the comments
    /// and processing instructions around it).
    pub fn root(&self) -> Node<'_, 'input> {
        self.node(0)
    }

    /// The document element.
    pub fn root_element(&self) -> Node<'_, 'input> {
        self.root()
            .children()
            .find(Node::is_element)
            .expect("a parsed document has a root element")
    }

    /// The node with this id, if there is one.
    pub fn get_node(&self, id: NodeId) -> Option<Node<'_, 'input>> {
        (id.0 < self.nodes.len() as u32).then(|| self.node(id.0))
    }

    /// All nodes in document order, the document node first.
    pub fn descendants(&self) -> Descendants<'_, 'input> {
        self.root().descendants()
    }

    /// The parsed text.
    pub fn input_text(&self) -> &'input str {
        self.text
    }

    /// The row and column (both from 1; columns count characters) of a byte
    /// offset into [`Document::input_text`].
    pub fn text_pos_at(&self, pos: usize) -> TextPos {
        let at = super::parse::location_in(self.text, pos);
        TextPos {
            row: at.line,
            col: at.column,
        }
    }
}

impl fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("nodes", &self.nodes.len())
            .finish()
    }
}

/// A position in the input text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPos {
    /// Line, from 1.
    pub row: u32,
    /// Column in characters, from 1.
    pub col: u32,
}

impl fmt::Display for TextPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.row, self.col)
    }
}

/// A node's index in its document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    /// The index as `usize`.
    pub fn get_usize(self) -> usize {
        self.0 as usize
    }
}

/// The kind of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeType {
    /// The document node.
    Root,
    /// An element.
    Element,
    /// A processing instruction.
    PI,
    /// A comment.
    Comment,
    /// Text (CDATA sections included).
    Text,
}

/// A processing instruction's target and value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PI<'input> {
    /// The target name.
    pub target: &'input str,
    /// Everything after the target and the whitespace after it, up to `?>`;
    /// `None` when that is empty.
    pub value: Option<&'input str>,
}

/// A namespace URI and local name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExpandedName<'a, 'b> {
    uri: Option<&'a str>,
    name: &'b str,
}

impl<'a, 'b> ExpandedName<'a, 'b> {
    /// The namespace URI.
    pub fn namespace(&self) -> Option<&'a str> {
        self.uri
    }

    /// The local name.
    pub fn name(&self) -> &'b str {
        self.name
    }
}

impl<'a> From<&'a str> for ExpandedName<'a, 'a> {
    fn from(name: &'a str) -> Self {
        ExpandedName { uri: None, name }
    }
}

impl<'a, 'b> From<(&'a str, &'b str)> for ExpandedName<'a, 'b> {
    fn from((uri, name): (&'a str, &'b str)) -> Self {
        ExpandedName {
            uri: Some(uri),
            name,
        }
    }
}

/// A node of a [`Document`]: a cheap copyable handle.
#[derive(Clone, Copy)]
pub struct Node<'a, 'input> {
    doc: &'a Document<'input>,
    id: u32,
    d: &'a NodeData,
}

impl PartialEq for Node<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.doc, other.doc)
    }
}

impl Eq for Node<'_, '_> {}

impl fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.d.kind {
            Kind::Root => write!(f, "Root"),
            Kind::Element { .. } => {
                let name = self.tag_name();
                write!(f, "Element {{ tag_name: {name:?} }}")
            }
            Kind::Text(_) => write!(f, "Text({:?})", self.text().unwrap_or_default()),
            Kind::Comment(_) => write!(f, "Comment({:?})", self.text().unwrap_or_default()),
            Kind::Pi { .. } => write!(f, "PI({:?})", self.pi()),
        }
    }
}

impl<'a, 'input: 'a> Node<'a, 'input> {
    fn link(&self, id: u32) -> Option<Self> {
        (id != NONE).then(|| self.doc.node(id))
    }

    /// The node's id.
    pub fn id(&self) -> NodeId {
        NodeId(self.id)
    }

    /// The document the node belongs to.
    pub fn document(&self) -> &'a Document<'input> {
        self.doc
    }

    /// The node's kind.
    pub fn node_type(&self) -> NodeType {
        match self.d.kind {
            Kind::Root => NodeType::Root,
            Kind::Element { .. } => NodeType::Element,
            Kind::Text(_) => NodeType::Text,
            Kind::Comment(_) => NodeType::Comment,
            Kind::Pi { .. } => NodeType::PI,
        }
    }

    /// True for the document node.
    pub fn is_root(&self) -> bool {
        matches!(self.d.kind, Kind::Root)
    }

    /// True for an element.
    pub fn is_element(&self) -> bool {
        matches!(self.d.kind, Kind::Element { .. })
    }

    /// True for a text node.
    pub fn is_text(&self) -> bool {
        matches!(self.d.kind, Kind::Text(_))
    }

    /// True for a comment.
    pub fn is_comment(&self) -> bool {
        matches!(self.d.kind, Kind::Comment(_))
    }

    /// True for a processing instruction.
    pub fn is_pi(&self) -> bool {
        matches!(self.d.kind, Kind::Pi { .. })
    }

    /// The element's namespace URI and local name (empty for other nodes).
    pub fn tag_name(&self) -> ExpandedName<'a, 'input> {
        match self.d.kind {
            Kind::Element {
                qname, local, ns, ..
            } => ExpandedName {
                uri: self.doc.ns_uri(ns),
                name: &self.doc.input_str(qname)[local as usize..],
            },
            _ => ExpandedName {
                uri: None,
                name: "",
            },
        }
    }

    /// True for an element with this name: a bare name compares the local
    /// name only, a `(uri, name)` pair both.
    pub fn has_tag_name<'n, 'm, N: Into<ExpandedName<'n, 'm>>>(&self, name: N) -> bool {
        if !self.is_element() {
            return false;
        }
        let name = name.into();
        let own = self.tag_name();
        match name.uri {
            Some(_) => own == name,
            None => own.name == name.name,
        }
    }

    /// The value of the attribute with this expanded name (a bare name is
    /// an attribute without namespace).
    pub fn attribute<'n, 'm, N: Into<ExpandedName<'n, 'm>>>(&self, name: N) -> Option<&'a str> {
        let name = name.into();
        self.attributes()
            .find(|a| a.name() == name.name && a.namespace() == name.uri)
            .map(|a| a.value())
    }

    /// True when the element has the attribute.
    pub fn has_attribute<'n, 'm, N: Into<ExpandedName<'n, 'm>>>(&self, name: N) -> bool {
        self.attribute(name).is_some()
    }

    /// The element's attributes in written order (namespace declarations
    /// are not attributes).
    pub fn attributes(&self) -> Attributes<'a, 'input> {
        let slice = match self.d.kind {
            Kind::Element { attrs, .. } => &self.doc.attrs[attrs.0 as usize..attrs.1 as usize],
            _ => &[],
        };
        Attributes {
            doc: self.doc,
            iter: slice.iter(),
        }
    }

    /// The namespaces in scope on an element: its own declarations in
    /// written order, then the inherited ones it does not redeclare; one
    /// per prefix, `xml` not listed.
    pub fn namespaces(&self) -> NamespaceIter<'a, 'input> {
        let slice = match self.d.kind {
            Kind::Element { scope, .. } => &self.doc.scopes[scope.0 as usize..scope.1 as usize],
            _ => &[],
        };
        NamespaceIter {
            doc: self.doc,
            iter: slice.iter(),
        }
    }

    /// The URI `prefix` (`None`: the default namespace) is bound to here.
    pub fn lookup_namespace_uri(&self, prefix: Option<&str>) -> Option<&'a str> {
        self.namespaces()
            .find(|ns| ns.name() == prefix)
            .map(|ns| ns.uri())
    }

    /// Text of a text or comment node; for an element, the text of its
    /// first child when that is a text node.
    pub fn text(&self) -> Option<&'a str> {
        match self.d.kind {
            Kind::Element { .. } => self.first_child().filter(Node::is_text)?.text(),
            Kind::Text(v) | Kind::Comment(v) => Some(self.doc.str(v)),
            _ => None,
        }
    }

    /// For an element, the text node right after it.
    pub fn tail(&self) -> Option<&'a str> {
        if !self.is_element() {
            return None;
        }
        self.next_sibling().filter(Node::is_text)?.text()
    }

    /// The processing instruction, for a PI node.
    pub fn pi(&self) -> Option<PI<'input>> {
        match self.d.kind {
            Kind::Pi { target, value } => Some(PI {
                target: self.doc.input_str(target),
                value: value.map(|v| self.doc.input_str(v)),
            }),
            _ => None,
        }
    }

    /// The node's bytes in the input: an element from `<` to the end of its
    /// end tag (or `/>`), a comment or PI its markup, a text node the span
    /// it was read from.
    pub fn range(&self) -> Range<usize> {
        self.d.range.0 as usize..self.d.range.1 as usize
    }

    /// The bytes of an element's qualified name in the input (prefix
    /// included, as written); empty for other nodes.
    pub fn range_qname(&self) -> Range<usize> {
        match self.d.kind {
            Kind::Element { qname, .. } => qname.start()..qname.end as usize,
            _ => 0..0,
        }
    }

    /// The parent node.
    pub fn parent(&self) -> Option<Self> {
        self.link(self.d.parent)
    }

    /// The nearest ancestor that is an element.
    pub fn parent_element(&self) -> Option<Self> {
        self.ancestors().skip(1).find(Node::is_element)
    }

    /// The first child.
    pub fn first_child(&self) -> Option<Self> {
        self.link(self.d.first_child)
    }

    /// The last child.
    pub fn last_child(&self) -> Option<Self> {
        self.link(self.d.last_child)
    }

    /// The next sibling.
    pub fn next_sibling(&self) -> Option<Self> {
        self.link(self.d.next_sibling)
    }

    /// The previous sibling.
    pub fn prev_sibling(&self) -> Option<Self> {
        self.link(self.d.prev_sibling)
    }

    /// The first child that is an element.
    pub fn first_element_child(&self) -> Option<Self> {
        self.children().find(Node::is_element)
    }

    /// The next sibling that is an element.
    pub fn next_sibling_element(&self) -> Option<Self> {
        let mut n = self.next_sibling();
        while let Some(s) = n {
            if s.is_element() {
                return Some(s);
            }
            n = s.next_sibling();
        }
        None
    }

    /// True when the node has children.
    pub fn has_children(&self) -> bool {
        self.d.first_child != NONE
    }

    /// The children in order.
    pub fn children(&self) -> Children<'a, 'input> {
        Children {
            doc: self.doc,
            next: self.d.first_child,
        }
    }

    /// The node itself, then its ancestors up to the document node.
    pub fn ancestors(&self) -> Ancestors<'a, 'input> {
        Ancestors {
            doc: self.doc,
            next: self.id,
        }
    }

    /// The node itself and all nodes below it, in document order.
    pub fn descendants(&self) -> Descendants<'a, 'input> {
        Descendants {
            doc: self.doc,
            range: self.id..self.d.subtree_end,
        }
    }
}

impl Document<'_> {
    /// The URI of declaration `ns` (`NONE`: no namespace).
    pub(super) fn ns_uri(&self, ns: u32) -> Option<&str> {
        (ns != NONE).then(|| self.str(self.decls[ns as usize].uri))
    }
}

/// An attribute of an element.
#[derive(Clone, Copy)]
pub struct Attribute<'a, 'input> {
    doc: &'a Document<'input>,
    d: &'a AttrData,
}

impl<'a, 'input: 'a> Attribute<'a, 'input> {
    /// The local name.
    pub fn name(&self) -> &'input str {
        self.doc.attribute_name(self.d)
    }

    /// The namespace URI, `None` for an unprefixed attribute.
    pub fn namespace(&self) -> Option<&'a str> {
        self.doc.ns_uri(self.d.ns)
    }

    /// The value, with references expanded and whitespace normalised.
    pub fn value(&self) -> &'a str {
        self.doc.str(self.d.value)
    }

    /// The bytes of `name="value"` in the input.
    pub fn range(&self) -> Range<usize> {
        self.d.qname.start()..self.d.end as usize
    }

    /// The bytes of the qualified name in the input.
    pub fn range_qname(&self) -> Range<usize> {
        self.d.qname.start()..self.d.qname.end as usize
    }
}

impl fmt::Debug for Attribute<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attribute")
            .field("name", &self.name())
            .field("namespace", &self.namespace())
            .field("value", &self.value())
            .finish()
    }
}

/// The attributes of an element.
#[derive(Clone)]
pub struct Attributes<'a, 'input> {
    doc: &'a Document<'input>,
    iter: std::slice::Iter<'a, AttrData>,
}

impl<'a, 'input> Iterator for Attributes<'a, 'input> {
    type Item = Attribute<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        let doc = self.doc;
        self.iter.next().map(|d| Attribute { doc, d })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl DoubleEndedIterator for Attributes<'_, '_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let doc = self.doc;
        self.iter.next_back().map(|d| Attribute { doc, d })
    }
}

impl ExactSizeIterator for Attributes<'_, '_> {}

/// A namespace in scope: prefix (`None` for the default namespace) and URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Namespace<'a> {
    name: Option<&'a str>,
    uri: &'a str,
}

impl<'a> Namespace<'a> {
    /// The prefix, `None` for the default namespace.
    pub fn name(&self) -> Option<&'a str> {
        self.name
    }

    /// The URI (empty for `xmlns=""`).
    pub fn uri(&self) -> &'a str {
        self.uri
    }
}

/// The namespaces in scope on an element.
#[derive(Clone)]
pub struct NamespaceIter<'a, 'input> {
    doc: &'a Document<'input>,
    iter: std::slice::Iter<'a, u32>,
}

impl<'a> Iterator for NamespaceIter<'a, '_> {
    type Item = Namespace<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let doc = self.doc;
        self.iter.next().map(|&i| {
            let d = doc.decls[i as usize];
            Namespace {
                name: d.prefix.map(|p| doc.str(p)),
                uri: doc.str(d.uri),
            }
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }
}

impl ExactSizeIterator for NamespaceIter<'_, '_> {}

/// The children of a node.
#[derive(Clone)]
pub struct Children<'a, 'input> {
    doc: &'a Document<'input>,
    next: u32,
}

impl<'a, 'input> Iterator for Children<'a, 'input> {
    type Item = Node<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next == NONE {
            return None;
        }
        let node = self.doc.node(self.next);
        self.next = node.d.next_sibling;
        Some(node)
    }
}

/// A node and its ancestors.
#[derive(Clone)]
pub struct Ancestors<'a, 'input> {
    doc: &'a Document<'input>,
    next: u32,
}

impl<'a, 'input> Iterator for Ancestors<'a, 'input> {
    type Item = Node<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next == NONE {
            return None;
        }
        let node = self.doc.node(self.next);
        self.next = node.d.parent;
        Some(node)
    }
}

/// A node and everything below it, in document order.
#[derive(Clone)]
pub struct Descendants<'a, 'input> {
    doc: &'a Document<'input>,
    range: Range<u32>,
}

impl<'a, 'input> Iterator for Descendants<'a, 'input> {
    type Item = Node<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        self.range.next().map(|id| self.doc.node(id))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for Descendants<'_, '_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.range.next_back().map(|id| self.doc.node(id))
    }
}

impl ExactSizeIterator for Descendants<'_, '_> {}

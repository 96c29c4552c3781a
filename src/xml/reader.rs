//! The XML reader that builds a [`Document`]: one forward pass over the
//! input with a stack of open elements.
//!
//! Speed comes from a few choices: values stay ranges of the input unless
//! they must change, scanning jumps with `memchr`, byte classes come from a
//! table or branch-free loops the compiler vectorises, and an element that
//! declares no namespace shares its parent's in-scope list.

use std::borrow::Cow;

use memchr::{memchr, memchr2, memmem};

use super::tree::{AttrData, Decl, Document, Kind, NONE, NodeData, Val, XML_NS};

const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Why the reader stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ErrorKind {
    /// A document type declaration.
    Dtd,
    /// More nodes than allowed.
    NodeLimit,
    /// A prefix not bound to a namespace.
    UnknownPrefix(String),
    /// Any other well-formedness error.
    Malformed(Cow<'static, str>),
}

/// An error and the byte offset it was found at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Error {
    pub(super) kind: ErrorKind,
    pub(super) pos: usize,
}

type R<T> = Result<T, Error>;

/// A well-formedness error at `pos`.
fn malformed(detail: impl Into<Cow<'static, str>>, pos: usize) -> Error {
    Error {
        kind: ErrorKind::Malformed(detail.into()),
        pos,
    }
}

fn err<T>(detail: impl Into<Cow<'static, str>>, pos: usize) -> R<T> {
    Err(malformed(detail, pos))
}

/// Name character classes: bit 1 may start a name, bit 2 may continue one,
/// bit 4 is the colon. Non-ASCII bytes are accepted loosely (the full
/// Unicode name classes are not checked).
static NAME: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c == b':' {
            7
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            3
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            2
        } else {
            0
        };
        i += 1;
    }
    t
};

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The Char production over the whole input: control characters other than
/// tab, line feed and carriage return, and U+FFFE / U+FFFF, are refused
/// (surrogates cannot occur in a `str`). Checked once, up front, with a
/// branch-free loop, so no later step has to.
fn check_chars(b: &[u8]) -> R<()> {
    let bad = |c: u8| (c < 0x20) & (c != b'\t') & (c != b'\n') & (c != b'\r');
    for (k, block) in b.chunks(256).enumerate() {
        // OR of u8 flags, not `any()`: no early exit, so it vectorises.
        let any = block.iter().fold(0u8, |acc, &c| acc | u8::from(bad(c)));
        if any != 0 {
            let i = block.iter().position(|&c| bad(c)).unwrap_or(0);
            let at = k * 256 + i;
            return err(format!("a non-XML character U+{:04X}", b[at]), at);
        }
    }
    for at in memmem::find_iter(b, b"\xEF\xBF") {
        if let Some(&(0xBE | 0xBF)) = b.get(at + 2) {
            let c = if b[at + 2] == 0xBE { "FFFE" } else { "FFFF" };
            return err(format!("a non-XML character U+{c}"), at);
        }
    }
    Ok(())
}

/// Text of the pending text node: its value and source span.
#[derive(Clone, Copy)]
struct Pending {
    value: Val,
    start: usize,
    end: usize,
}

/// An open element (or the document node at the bottom of the stack).
#[derive(Clone, Copy)]
struct Frame {
    id: u32,
    qname: Val,
    scope: (u32, u32),
    /// The `decls` index of the default namespace in scope (`NONE`: none).
    default_ns: u32,
}

/// An attribute read but not yet resolved: qualified name range, colon
/// offset (`NONE` without prefix), value, end of the closing quote.
type RawAttr = (usize, usize, u32, Val, usize);

struct Parser<'a> {
    b: &'a [u8],
    pos: usize,
    doc: Document<'a>,
    stack: Vec<Frame>,
    pending: Option<Pending>,
    raw_attrs: Vec<RawAttr>,
    root_seen: bool,
    max_nodes: u32,
}

/// Parses `text`; at most `max_nodes` nodes (the document node included).
/// `markup` counts `<` and `=` in `text`: about the number of elements and
/// attributes, so the arrays rarely grow (text nodes sit between tags).
pub(super) fn parse(text: &str, max_nodes: u32, markup: (usize, usize)) -> R<Document<'_>> {
    // Values are u32 offsets with the high bit marking the buffer, and the
    // buffer can hold about as much as the input again (decoded text and
    // attribute values): 1 GiB keeps both below 2^31.
    if text.len() >= (1 << 30) {
        return err("the input is too large (1 GiB or more)", 0);
    }
    let mut buf = String::with_capacity(64);
    buf.push_str("xml");
    buf.push_str(XML_NS);
    let doc = Document {
        text,
        buf,
        nodes: Vec::with_capacity((markup.0 + 2).min(max_nodes as usize)),
        attrs: Vec::with_capacity(markup.1),
        decls: vec![Decl {
            prefix: Some(Val::owned(0, 3)),
            uri: Val::owned(3, 3 + XML_NS.len()),
        }],
        scopes: Vec::new(),
    };
    let mut p = Parser {
        b: text.as_bytes(),
        pos: 0,
        doc,
        stack: Vec::with_capacity(16),
        pending: None,
        raw_attrs: Vec::new(),
        root_seen: false,
        max_nodes,
    };
    p.doc.nodes.push(NodeData {
        parent: NONE,
        first_child: NONE,
        last_child: NONE,
        next_sibling: NONE,
        prev_sibling: NONE,
        subtree_end: NONE,
        range: (0, text.len() as u32),
        kind: Kind::Root,
    });
    p.stack.push(Frame {
        id: 0,
        qname: Val::EMPTY,
        scope: (0, 0),
        default_ns: NONE,
    });
    p.run()?;
    p.doc.nodes[0].subtree_end = p.doc.nodes.len() as u32;
    Ok(p.doc)
}

impl<'a> Parser<'a> {
    #[inline]
    fn peek(&self, off: usize) -> u8 {
        self.b.get(self.pos + off).copied().unwrap_or(0)
    }

    #[inline]
    fn starts(&self, s: &[u8]) -> bool {
        self.b[self.pos..].starts_with(s)
    }

    #[inline]
    fn skip_ws(&mut self) {
        while self.pos < self.b.len() && is_ws(self.b[self.pos]) {
            self.pos += 1;
        }
    }

    /// Appends a node as the last child of the innermost open element.
    #[inline]
    fn append(&mut self, kind: Kind, range: (usize, usize)) -> R<u32> {
        if self.doc.nodes.len() >= self.max_nodes as usize {
            return Err(Error {
                kind: ErrorKind::NodeLimit,
                pos: range.0,
            });
        }
        let id = self.doc.nodes.len() as u32;
        let parent = self.stack.last().map_or(0, |f| f.id);
        let last = self.doc.nodes[parent as usize].last_child;
        self.doc.nodes.push(NodeData {
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            prev_sibling: last,
            subtree_end: id + 1,
            range: (range.0 as u32, range.1 as u32),
            kind,
        });
        let p = &mut self.doc.nodes[parent as usize];
        p.last_child = id;
        if last == NONE {
            p.first_child = id;
        } else {
            self.doc.nodes[last as usize].next_sibling = id;
        }
        Ok(id)
    }

    fn run(&mut self) -> R<()> {
        check_chars(self.b)?;
        if self.starts("\u{feff}".as_bytes()) {
            self.pos = 3;
        }
        if self.starts(b"<?xml") && is_ws(self.peek(5)) {
            self.declaration()?;
        }
        let n = self.b.len();
        while self.pos < n {
            // Markup often follows markup directly: no memchr call then.
            let lt = if self.b[self.pos] == b'<' {
                self.pos
            } else {
                memchr(b'<', &self.b[self.pos..]).map_or(n, |i| self.pos + i)
            };
            if lt > self.pos {
                self.text(self.pos, lt)?;
                self.pos = lt;
            }
            if lt == n {
                break;
            }
            match self.peek(1) {
                b'/' => {
                    self.flush()?;
                    self.end_tag()?;
                }
                b'!' => {
                    if self.starts(b"<!--") {
                        self.flush()?;
                        self.comment()?;
                    } else if self.starts(b"<![CDATA[") {
                        self.cdata()?;
                    } else if self.starts(b"<!DOCTYPE") && !self.root_seen {
                        return Err(Error {
                            kind: ErrorKind::Dtd,
                            pos: self.pos,
                        });
                    } else {
                        return err("unknown markup after '<!'", self.pos);
                    }
                }
                b'?' => {
                    self.flush()?;
                    self.pi()?;
                }
                _ => {
                    self.flush()?;
                    self.start_tag()?;
                }
            }
        }
        if self.stack.len() > 1 {
            let open = self.stack[self.stack.len() - 1].qname;
            return err(
                format!("the element '{}' is not closed", self.doc.str(open)),
                n,
            );
        }
        if !self.root_seen {
            return err("the document has no root element", n);
        }
        Ok(())
    }

    /// `<?xml version=".." [encoding=".."] [standalone=".."] ?>`.
    fn declaration(&mut self) -> R<()> {
        let start = self.pos;
        self.pos += 5;
        self.skip_ws();
        if !self.pseudo_attribute(b"version")? {
            return err("the XML declaration has no version", self.pos);
        }
        for name in [&b"encoding"[..], b"standalone"] {
            let before = self.pos;
            self.skip_ws();
            if self.pos > before && self.pseudo_attribute(name)? {
                continue;
            }
            self.pos = before;
        }
        self.skip_ws();
        if !self.starts(b"?>") {
            return err("malformed XML declaration", start);
        }
        self.pos += 2;
        Ok(())
    }

    /// `name = 'value'` of the XML declaration; false when `name` is not next.
    fn pseudo_attribute(&mut self, name: &[u8]) -> R<bool> {
        if !self.starts(name) {
            return Ok(false);
        }
        self.pos += name.len();
        self.skip_ws();
        if self.peek(0) != b'=' {
            return err("expected '=' in the XML declaration", self.pos);
        }
        self.pos += 1;
        self.skip_ws();
        let q = self.peek(0);
        if q != b'"' && q != b'\'' {
            return err("expected a quote in the XML declaration", self.pos);
        }
        let vs = self.pos + 1;
        let ve = memchr2(q, b'<', &self.b[vs..])
            .map(|i| vs + i)
            .filter(|&e| self.b[e] == q)
            .ok_or_else(|| malformed("unterminated value in the XML declaration", vs))?;
        self.pos = ve + 1;
        Ok(true)
    }

    /// Turns the pending text into a node.
    #[inline]
    fn flush(&mut self) -> R<()> {
        if let Some(t) = self.pending.take() {
            self.append(Kind::Text(t.value), (t.start, t.end))?;
        }
        Ok(())
    }

    /// Moves the pending text into the buffer so more can be appended.
    fn own_pending(&mut self) -> &mut Pending {
        let Some(t) = self.pending.as_mut() else {
            unreachable!("own_pending is called with text pending")
        };
        if !t.value.is_owned() {
            let s = self.doc.buf.len();
            self.doc
                .buf
                .push_str(&self.doc.text[t.value.start()..t.value.start() + t.value.len()]);
            t.value = Val::owned(s, self.doc.buf.len());
        }
        t
    }

    /// Adds `input[a..e]` as is to the pending text.
    fn add_borrowed(&mut self, a: usize, e: usize) {
        match self.pending {
            None => {
                self.pending = Some(Pending {
                    value: Val::input(a, e),
                    start: a,
                    end: e,
                })
            }
            Some(_) => {
                let text = self.doc.text;
                self.own_pending();
                self.doc.buf.push_str(&text[a..e]);
                let end = self.doc.buf.len();
                let t = self.pending.as_mut().expect("pending");
                t.value.set_end(end);
                t.end = e;
            }
        }
    }

    /// Character data between markup.
    fn text(&mut self, a: usize, e: usize) -> R<()> {
        let seg = &self.b[a..e];
        if self.stack.len() == 1 {
            if seg.iter().all(|&c| is_ws(c)) {
                return Ok(());
            }
            return err("text outside the root element", a);
        }
        if !text_special(seg) {
            self.add_borrowed(a, e);
            return Ok(());
        }
        if let Some(i) = memmem::find(seg, b"]]>") {
            return err("']]>' in text", a + i);
        }
        if memchr2(b'&', b'\r', seg).is_none() {
            self.add_borrowed(a, e);
            return Ok(());
        }
        if self.pending.is_none() {
            let s = self.doc.buf.len();
            self.pending = Some(Pending {
                value: Val::owned(s, s),
                start: a,
                end: e,
            });
        } else {
            self.own_pending();
        }
        decode_into(&mut self.doc.buf, self.doc.text, a, e, false)?;
        let end = self.doc.buf.len();
        let t = self.pending.as_mut().expect("pending");
        t.value.set_end(end);
        t.end = e;
        Ok(())
    }

    fn cdata(&mut self) -> R<()> {
        let start = self.pos;
        if self.stack.len() == 1 {
            return err("a CDATA section outside the root element", start);
        }
        let s = start + 9;
        let e = memmem::find(&self.b[s..], b"]]>")
            .map(|i| s + i)
            .ok_or_else(|| malformed("unterminated CDATA section", start))?;
        self.pos = e + 3;
        if memchr(b'\r', &self.b[s..e]).is_none() {
            // An empty section still makes a text node, as in roxmltree.
            self.add_borrowed(s, e);
            if let Some(t) = self.pending.as_mut() {
                t.start = t.start.min(start);
                t.end = self.pos;
            }
            return Ok(());
        }
        let normalised = self.doc.text[s..e]
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        if self.pending.is_none() {
            let b = self.doc.buf.len();
            self.pending = Some(Pending {
                value: Val::owned(b, b),
                start,
                end: self.pos,
            });
        } else {
            self.own_pending();
        }
        self.doc.buf.push_str(&normalised);
        let end = self.doc.buf.len();
        let t = self.pending.as_mut().expect("pending");
        t.value.set_end(end);
        t.end = self.pos;
        Ok(())
    }

    fn comment(&mut self) -> R<()> {
        let start = self.pos;
        let s = start + 4;
        let i = memmem::find(&self.b[s..], b"--")
            .ok_or_else(|| malformed("unterminated comment", start))?;
        if self.b.get(s + i + 2) != Some(&b'>') {
            return err("'--' inside a comment", s + i);
        }
        self.pos = s + i + 3;
        self.append(Kind::Comment(Val::input(s, s + i)), (start, self.pos))?;
        Ok(())
    }

    fn pi(&mut self) -> R<()> {
        let start = self.pos;
        self.pos += 2;
        let (ts, te) = self.plain_name()?;
        if self.b[ts..te].eq_ignore_ascii_case(b"xml") {
            return err("an XML declaration not at the start of the input", start);
        }
        if !self.starts(b"?>") && !is_ws(self.peek(0)) {
            return err(
                "expected whitespace after the processing instruction target",
                self.pos,
            );
        }
        self.skip_ws();
        let e = memmem::find(&self.b[self.pos..], b"?>")
            .map(|i| self.pos + i)
            .ok_or_else(|| malformed("unterminated processing instruction", start))?;
        let value = (e > self.pos).then(|| Val::input(self.pos, e));
        self.pos = e + 2;
        let target = Val::input(ts, te);
        self.append(Kind::Pi { target, value }, (start, self.pos))?;
        Ok(())
    }

    /// A Name (colons allowed anywhere) at `pos`.
    fn plain_name(&mut self) -> R<(usize, usize)> {
        let s = self.pos;
        if NAME[self.peek(0) as usize] & 1 == 0 {
            return err("invalid name", s);
        }
        let len = self.b[s + 1..]
            .iter()
            .position(|&c| NAME[c as usize] == 0)
            .unwrap_or(self.b.len() - s - 1);
        self.pos = s + 1 + len;
        Ok((s, self.pos))
    }

    /// A qualified name at `pos`: (start, end, colon offset or `NONE`).
    #[inline]
    fn qname(&mut self) -> R<(usize, usize, u32)> {
        let s = self.pos;
        let b = self.b;
        if s >= b.len() || NAME[b[s] as usize] & 1 == 0 {
            return err("invalid name", s);
        }
        let mut seen = NAME[b[s] as usize];
        let mut i = s + 1;
        while i < b.len() {
            let t = NAME[b[i] as usize];
            if t == 0 {
                break;
            }
            seen |= t;
            i += 1;
        }
        self.pos = i;
        if seen & 4 == 0 {
            return Ok((s, i, NONE));
        }
        // At most one colon, with a name on either side.
        let name = &b[s..i];
        let colon = memchr(b':', name).unwrap_or(0);
        if colon == 0
            || name[colon + 1..].contains(&b':')
            || s + colon + 1 == i
            || NAME[b[s + colon + 1] as usize] & 1 == 0
        {
            return err(
                format!("invalid qualified name '{}'", String::from_utf8_lossy(name)),
                s,
            );
        }
        Ok((s, i, colon as u32))
    }

    fn start_tag(&mut self) -> R<()> {
        let tag_start = self.pos;
        if self.stack.len() == 1 {
            if self.root_seen {
                return err("a second root element", tag_start);
            }
            self.root_seen = true;
        }
        self.pos += 1;
        let (qs, qe, qcolon) = self.qname()?;
        self.raw_attrs.clear();
        let parent = *self.stack.last().expect("the document frame");
        let decl_base = self.doc.decls.len();
        let empty;
        loop {
            let had_ws = is_ws(self.peek(0));
            self.skip_ws();
            match self.peek(0) {
                b'>' => {
                    self.pos += 1;
                    empty = false;
                    break;
                }
                b'/' => {
                    if self.peek(1) != b'>' {
                        return err("expected '/>'", self.pos);
                    }
                    self.pos += 2;
                    empty = true;
                    break;
                }
                _ if self.pos >= self.b.len() => {
                    return err("unterminated start tag", tag_start);
                }
                _ => {}
            }
            if !had_ws {
                return err("expected whitespace before an attribute", self.pos);
            }
            self.attribute(decl_base)?;
        }

        // The in-scope list: own declarations in written order, then the
        // inherited ones not redeclared (roxmltree's order).
        let new_decls = self.doc.decls.len() > decl_base;
        let scope = if !new_decls {
            parent.scope
        } else {
            let s = self.doc.scopes.len();
            self.doc
                .scopes
                .extend(decl_base as u32..self.doc.decls.len() as u32);
            for i in parent.scope.0..parent.scope.1 {
                let d = self.doc.scopes[i as usize];
                let prefix = self.doc.decls[d as usize].prefix;
                let redeclared = self.doc.decls[decl_base..]
                    .iter()
                    .any(|nd| self.same_prefix(nd.prefix, prefix));
                if !redeclared {
                    self.doc.scopes.push(d);
                }
            }
            (s as u32, self.doc.scopes.len() as u32)
        };
        let default_ns = if new_decls {
            self.resolve(scope, None)
        } else {
            parent.default_ns
        };
        let text = self.doc.text;
        let (ns, local) = if qcolon == NONE {
            (default_ns, 0)
        } else {
            let prefix = &text[qs..qs + qcolon as usize];
            if prefix == "xmlns" {
                return err("an element cannot have the 'xmlns' prefix", qs);
            }
            let ns = self.resolve(scope, Some(prefix));
            if ns == NONE {
                return Err(Error {
                    kind: ErrorKind::UnknownPrefix(prefix.to_string()),
                    pos: qs,
                });
            }
            (ns, qcolon + 1)
        };

        let a0 = self.doc.attrs.len();
        for k in 0..self.raw_attrs.len() {
            let (as_, ae, acolon, value, end) = self.raw_attrs[k];
            let (ans, alocal) = if acolon == NONE {
                (NONE, 0)
            } else {
                let prefix = &text[as_..as_ + acolon as usize];
                let r = if prefix == "xml" {
                    0
                } else {
                    self.resolve(scope, Some(prefix))
                };
                if r == NONE {
                    return Err(Error {
                        kind: ErrorKind::UnknownPrefix(prefix.to_string()),
                        pos: as_,
                    });
                }
                (r, acolon + 1)
            };
            let local_name = &text[as_ + alocal as usize..ae];
            let uri = self.doc.ns_uri(ans);
            let duplicate = self.doc.attrs[a0..]
                .iter()
                .any(|a| self.doc.attribute_name(a) == local_name && self.doc.ns_uri(a.ns) == uri);
            if duplicate {
                return err(format!("a duplicate attribute '{local_name}'"), as_);
            }
            self.doc.attrs.push(AttrData {
                qname: Val::input(as_, ae),
                local: alocal,
                ns: ans,
                value,
                end: end as u32,
            });
        }
        let kind = Kind::Element {
            qname: Val::input(qs, qe),
            local,
            ns,
            attrs: (a0 as u32, self.doc.attrs.len() as u32),
            scope,
        };
        let id = self.append(kind, (tag_start, self.pos))?;
        if !empty {
            self.stack.push(Frame {
                id,
                qname: Val::input(qs, qe),
                scope,
                default_ns,
            });
        }
        Ok(())
    }

    /// One `name="value"` of a start tag: a namespace declaration is
    /// checked and recorded, an attribute kept for resolution.
    fn attribute(&mut self, decl_base: usize) -> R<()> {
        let (as_, ae, acolon) = self.qname()?;
        self.skip_ws();
        if self.peek(0) != b'=' {
            return err("expected '=' after the attribute name", self.pos);
        }
        self.pos += 1;
        self.skip_ws();
        let q = self.peek(0);
        if q != b'"' && q != b'\'' {
            return err("expected a quote", self.pos);
        }
        let vs = self.pos + 1;
        let ve = memchr(q, &self.b[vs..])
            .map(|i| vs + i)
            .ok_or_else(|| malformed("unterminated attribute value", vs))?;
        self.pos = ve + 1;
        let raw = &self.b[vs..ve];
        let value = if !attr_special(raw) {
            Val::input(vs, ve)
        } else {
            if let Some(i) = memchr(b'<', raw) {
                return err("'<' in an attribute value", vs + i);
            }
            let s = self.doc.buf.len();
            decode_into(&mut self.doc.buf, self.doc.text, vs, ve, true)?;
            Val::owned(s, self.doc.buf.len())
        };
        let name = &self.b[as_..ae];
        let is_decl = name == b"xmlns" || acolon == 5 && name.starts_with(b"xmlns");
        if !is_decl {
            self.raw_attrs.push((as_, ae, acolon, value, self.pos));
            return Ok(());
        }
        let prefix = (name.len() > 5).then(|| Val::input(as_ + 6, ae));
        let text = self.doc.text;
        let prefix_str = prefix.map(|p| &text[p.start()..p.start() + p.len()]);
        let uri = self.doc.str(value);
        match prefix_str {
            Some("xmlns") => return err("the 'xmlns' prefix cannot be declared", as_),
            Some("xml") if uri != XML_NS => {
                return err("the 'xml' prefix bound to another namespace", as_);
            }
            // Bound as it must be; like roxmltree, not listed.
            Some("xml") => return Ok(()),
            _ if uri == XML_NS => {
                return err("the XML namespace bound to a prefix other than 'xml'", as_);
            }
            _ if uri == XMLNS_NS => return err("the xmlns namespace cannot be declared", as_),
            // `xmlns:p=""` is accepted (and binds `p` to ""), as roxmltree
            // did: the attacks suite has signatures that use it.
            _ => {}
        }
        let duplicate = self.doc.decls[decl_base..]
            .iter()
            .any(|d| self.same_prefix(d.prefix, prefix));
        if duplicate {
            return err("a duplicate namespace declaration", as_);
        }
        self.doc.decls.push(Decl { prefix, uri: value });
        Ok(())
    }

    fn same_prefix(&self, a: Option<Val>, b: Option<Val>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => self.doc.str(a) == self.doc.str(b),
            _ => false,
        }
    }

    /// The declaration binding `prefix` in `scope`, `NONE` if unbound.
    #[inline]
    fn resolve(&self, scope: (u32, u32), prefix: Option<&str>) -> u32 {
        for i in scope.0..scope.1 {
            let d = self.doc.scopes[i as usize];
            let found = match (self.doc.decls[d as usize].prefix, prefix) {
                (None, None) => true,
                // Length first: most lookups never reach a string compare.
                (Some(v), Some(p)) => v.len() == p.len() && self.doc.str(v) == p,
                _ => false,
            };
            if found {
                return d;
            }
        }
        NONE
    }

    fn end_tag(&mut self) -> R<()> {
        let start = self.pos;
        self.pos += 2;
        if self.stack.len() == 1 {
            return err("an end tag without a start tag", start);
        }
        let frame = self.stack.pop().expect("an open element");
        let (s, e) = (frame.qname.start(), frame.qname.start() + frame.qname.len());
        let len = e - s;
        let matches = self.b.get(self.pos..self.pos + len) == Some(&self.b[s..e])
            && NAME[self.peek(len) as usize] == 0;
        if !matches {
            return err(
                format!(
                    "the end tag does not match the start tag '<{}>'",
                    &self.doc.text[s..e]
                ),
                start,
            );
        }
        self.pos += len;
        self.skip_ws();
        if self.peek(0) != b'>' {
            return err("expected '>'", self.pos);
        }
        self.pos += 1;
        let end = self.doc.nodes.len() as u32;
        let node = &mut self.doc.nodes[frame.id as usize];
        node.subtree_end = end;
        node.range.1 = self.pos as u32;
        Ok(())
    }
}

/// Whether text needs a closer look: `&`, `\r` or `>` (for `]]>`).
/// Branch-free so the compiler vectorises it.
#[inline]
fn text_special(s: &[u8]) -> bool {
    let mut acc = 0u8;
    for &b in s {
        acc |= u8::from(b == b'&') | u8::from(b == b'\r') | u8::from(b == b'>');
    }
    acc != 0
}

/// Whether an attribute value needs decoding (`&`, whitespace other than
/// space) or is wrong (`<`); other control characters were refused already.
#[inline]
fn attr_special(s: &[u8]) -> bool {
    let mut acc = 0u8;
    for &b in s {
        acc |= u8::from(b < 0x20) | u8::from(b == b'&') | u8::from(b == b'<');
    }
    acc != 0
}

/// Appends `input[a..e]` to `buf` with references expanded and line ends
/// normalised; in an attribute (`attr`) tab, line feed and carriage return
/// become spaces (`\r\n` one space). Expanded characters are kept as they
/// are.
fn decode_into(buf: &mut String, input: &str, a: usize, e: usize, attr: bool) -> R<()> {
    let b = input.as_bytes();
    let mut i = a;
    while i < e {
        let next = if attr {
            b[i..e]
                .iter()
                .position(|&c| matches!(c, b'&' | b'\r' | b'\n' | b'\t'))
        } else {
            memchr2(b'&', b'\r', &b[i..e])
        };
        let Some(j) = next.map(|r| i + r) else {
            buf.push_str(&input[i..e]);
            break;
        };
        buf.push_str(&input[i..j]);
        match b[j] {
            b'\r' => {
                buf.push(if attr { ' ' } else { '\n' });
                i = j + 1;
                if i < e && b[i] == b'\n' {
                    i += 1;
                }
            }
            b'\n' | b'\t' => {
                buf.push(' ');
                i = j + 1;
            }
            _ => {
                let semi = memchr(b';', &b[j..e])
                    .map(|r| j + r)
                    .ok_or_else(|| malformed("a malformed entity reference", j))?;
                let ch = match &b[j + 1..semi] {
                    b"lt" => '<',
                    b"gt" => '>',
                    b"amp" => '&',
                    b"apos" => '\'',
                    b"quot" => '"',
                    [b'#', b'x', hex @ ..] => char_ref(hex, 16, j)?,
                    [b'#', dec @ ..] => char_ref(dec, 10, j)?,
                    name => {
                        return err(
                            format!(
                                "an unknown entity reference '&{};'",
                                String::from_utf8_lossy(name)
                            ),
                            j,
                        );
                    }
                };
                buf.push(ch);
                i = semi + 1;
            }
        }
    }
    Ok(())
}

/// The character of a character reference's digits.
fn char_ref(digits: &[u8], radix: u32, pos: usize) -> R<char> {
    let invalid = || malformed("an invalid character reference", pos);
    if digits.is_empty() {
        return Err(invalid());
    }
    let mut v: u32 = 0;
    for &c in digits {
        let d = char::from(c).to_digit(radix).ok_or_else(invalid)?;
        v = v
            .checked_mul(radix)
            .and_then(|v| v.checked_add(d))
            .ok_or_else(invalid)?;
    }
    let is_xml_char = matches!(
        v,
        0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF
    );
    if !is_xml_char {
        return Err(invalid());
    }
    char::from_u32(v).ok_or_else(invalid)
}

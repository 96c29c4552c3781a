//! Our XML reader against roxmltree, the parser it replaced: every `.xml`
//! file under testdata/ (and a few tricky documents) must be accepted or
//! refused by both, and when accepted give the same tree: node kinds,
//! names, namespaces, attributes, texts, comments, processing instructions,
//! in-scope namespaces (in order: c14n reads them in order) and element and
//! attribute byte ranges.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use roxmltree::NodeType as RoxNodeType;
use saml_inspect::xml::{self, Limits, NodeType as OurNodeType, XmlError};

/// Limits that refuse nothing roxmltree would accept.
fn unlimited() -> Limits {
    Limits {
        max_bytes: usize::MAX,
        max_depth: usize::MAX,
        max_nodes: u32::MAX,
        max_attributes: usize::MAX,
        max_attribute_len: usize::MAX,
        max_text_len: usize::MAX,
        max_namespace_declarations: usize::MAX,
    }
}

fn xml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            xml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

/// A line per node, in document order; written once for both trees (their
/// APIs have the same method names, their types differ).
macro_rules! dump_fn {
    ($(#[$doc:meta])* $name:ident, $document:ty, $node_type:ident) => {
        $(#[$doc])*
        fn $name(doc: &$document) -> String {
            use $node_type as NodeType;
            let mut out = String::new();
            for n in doc.root().descendants() {
                let depth = n.ancestors().count();
                let _ = write!(out, "{depth} ");
                match n.node_type() {
                    NodeType::Root => out.push_str("root"),
                    NodeType::Element => {
                        let mut attrs: Vec<_> = n
                            .attributes()
                            .map(|a| {
                                (
                                    a.namespace(),
                                    a.name(),
                                    a.value(),
                                    a.range().start,
                                    a.range().end,
                                )
                            })
                            .collect();
                        attrs.sort();
                        let ns: Vec<_> = n.namespaces().map(|ns| (ns.name(), ns.uri())).collect();
                        let _ = write!(
                            out,
                            "element {:?} {:?} {:?} attrs {attrs:?} ns {ns:?}",
                            n.tag_name().namespace(),
                            n.tag_name().name(),
                            n.range()
                        );
                    }
                    NodeType::Text => {
                        let _ = write!(out, "text {:?}", n.text());
                    }
                    NodeType::Comment => {
                        let _ = write!(out, "comment {:?} {:?}", n.text(), n.range());
                    }
                    NodeType::PI => {
                        let pi = n.pi().unwrap();
                        let _ = write!(out, "pi {:?} {:?} {:?}", pi.target, pi.value, n.range());
                    }
                }
                out.push('\n');
            }
            out
        }
    };
}

dump_fn!(
    /// roxmltree's tree.
    dump_roxmltree,
    roxmltree::Document<'_>,
    RoxNodeType
);
dump_fn!(
    /// Our tree.
    dump_ours,
    xml::tree::Document<'_>,
    OurNodeType
);

/// Compares the two parsers on one input; `None` when they agree.
fn compare(text: &str) -> Option<String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let theirs = roxmltree::Document::parse_with_options(text, options);
    let ours = xml::parse(text, &unlimited());
    match (theirs, ours) {
        (Ok(t), Ok(o)) => {
            let (t, o) = (dump_roxmltree(&t), dump_ours(o.tree()));
            if t == o {
                return None;
            }
            let line = t
                .lines()
                .zip(o.lines())
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("\n  roxmltree: {a}\n  ours:      {b}"))
                .unwrap_or_else(|| " (node counts differ)".into());
            Some(format!("trees differ{line}"))
        }
        (Err(_), Err(_)) => None,
        // We also refuse an XML declaration that names another encoding.
        (Ok(_), Err(XmlError::Encoding { .. })) => None,
        (Ok(_), Err(e)) => Some(format!("roxmltree accepts, ours refuses: {e}")),
        (Err(e), Ok(_)) => Some(format!("roxmltree refuses ({e}), ours accepts")),
    }
}

#[test]
fn every_testdata_file_parses_as_roxmltree_parses_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut files = Vec::new();
    xml_files(&root, &mut files);
    let mut compared = 0;
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        // Not UTF-8: refused before either parser runs.
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        compared += 1;
        if let Some(why) = compare(text) {
            failures.push(format!("{}: {why}", path.display()));
        }
    }
    assert!(compared > 300, "only {compared} files compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tricky_documents_parse_as_roxmltree_parses_them() {
    let docs = [
        "<a>x<!--c-->y<![CDATA[z]]>w<?p v?>q</a>",
        "<a><![CDATA[]]></a>",
        "<a>1<![CDATA[]]>2</a>",
        "<a>&lt;&#x41;&#66;&amp;\r\nb\rc</a>",
        "<a x='\t1\r\n2\n3&#9;&#10;&#13;'/>",
        "<a xmlns='u'><b xmlns=''><c/></b></a>",
        "<p:a xmlns:p='u' xmlns:q='v'><q:b xmlns:p='w' p:x='1' q:y='2' xml:lang='en'/></p:a>",
        "<a xmlns:p='u'><b xmlns:p=''/></a>",
        "<a xmlns:xml='http://www.w3.org/XML/1998/namespace'/>",
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<!--c--><?p?><a/><!--d-->\n",
        "<?xml version=\"1.0\"?><a  x = \"1\"  ></a   >",
        "<a><!----><b/>t<!---->u</a>",
        "<a>]]></a>",
        "<a>--></a>",
        "<a><b></a>",
        "<a/><b/>",
        "x<a/>",
        "<a x='1' x='2'/>",
        "<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>",
        "<a xmlns:p='u' xmlns:p='v'/>",
        "<x:a/>",
        "<xmlns:a/>",
        "<a xmlns:xml='u'/>",
        "<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>",
        "<a xmlns='http://www.w3.org/2000/xmlns/'/>",
        "<a>&unknown;</a>",
        "<a>&#0;</a>",
        "<a>\u{1}</a>",
        "<a>\u{FFFE}</a>",
        "<a><!-- a -- b --></a>",
        "<a><!-- a ---></a>",
        "<?xml version='1.0'?><?xml version='1.0'?><a/>",
        "<?xml encoding='UTF-8'?><a/>",
        "<!DOCTYPE a><a/>",
        "<a x=1/>",
        "<a x='<'/>",
        "<a:b:c xmlns:a='u'/>",
        "<a",
        "<a>",
        "<a><?xml-stylesheet x?></a>",
        "",
    ];
    let failures: Vec<_> = docs
        .iter()
        .filter_map(|d| compare(d).map(|why| format!("{d:?}: {why}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Where we deliberately differ from roxmltree, each time on the side of
/// the XML and Namespaces specifications (and of libxml2, which xmlsec
/// uses): inputs roxmltree accepts that are not well-formed.
#[test]
fn stricter_than_roxmltree() {
    for doc in [
        // Attribute names must be unique.
        "<a xmlns='x' xmlns='y'/>",
        // PI targets matching [Xx][Mm][Ll] are reserved.
        "<?XML version='1.0'?><a/>",
        // A PI target is followed by whitespace or `?>`.
        "<a><?p\"x\"?></a>",
        // `:x` is not a qualified name (roxmltree read it as `x`).
        "<a :x='1'/>",
        "<a></:a>",
        // A surrogate is not a Char (roxmltree read U+FFFD).
        "<a>&#xD800;</a>",
        "<a x='&#xDFFF;'/>",
        // Only version, encoding and standalone in the XML declaration.
        "<?xml versionX='1.0'?><a/>",
        // An unbound prefix (roxmltree took `p:xmlns` for `xmlns`).
        "<a p:xmlns='u'/>",
    ] {
        assert!(roxmltree::Document::parse(doc).is_ok(), "{doc}");
        assert!(xml::parse(doc, &unlimited()).is_err(), "{doc}");
    }
}

/// Where both accept but we read differently, again as the specifications
/// (and libxml2) do.
#[test]
fn different_from_roxmltree() {
    let limits = unlimited();
    // `p:xmlns` is an ordinary attribute; roxmltree took it for a default
    // namespace declaration.
    let doc = xml::parse("<a xmlns:p='u' p:xmlns='v'/>", &limits).unwrap();
    let a = doc.root_element();
    assert_eq!(a.tag_name().namespace(), None);
    assert_eq!(a.attribute(("u", "xmlns")), Some("v"));
    // A carriage return before a reference is a line end like any other
    // (roxmltree kept it as `\r`).
    let doc = xml::parse("<a>x\r&amp;</a>", &limits).unwrap();
    assert_eq!(doc.root_element().text(), Some("x\n&"));
    // `<?xml` followed by any whitespace is the XML declaration (roxmltree
    // made a PI of it unless a space followed).
    let doc = xml::parse("<?xml\tversion='1.0'?><a/>", &limits).unwrap();
    assert!(!doc.tree().root().children().any(|n| n.is_pi()));
}

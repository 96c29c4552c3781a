//! Any bytes through the hardened parser, then every canonicalization the
//! library offers over the document and over each element: inclusive and
//! exclusive, with and without comments, and exclusive with an
//! InclusiveNamespaces PrefixList made of the prefixes the input declares.
//! What must hold: no panic, no hang, output within `c14n::output_limit`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saml_inspect::xml::c14n::{self, Method};
use saml_inspect::xml::{Limits, parse_bytes};

/// Per-element canonicalization is linear in the element's size, so doing
/// it for every element is quadratic: cap the count to keep runs fast.
const MAX_ELEMENTS: usize = 64;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = parse_bytes(data, &Limits::default()) else {
        return;
    };
    let tree = doc.tree();
    let limit = c14n::output_limit(doc.text().len());

    // The PrefixList: every namespace in scope on the document element, by
    // prefix, `#default` for the default namespace.
    let mut prefixes: Vec<&str> = Vec::new();
    for ns in doc.root_element().namespaces() {
        prefixes.push(ns.name().unwrap_or("#default"));
    }
    let prefix_list = prefixes.join(" ");

    let methods = [
        Method::inclusive(false),
        Method::inclusive(true),
        Method::exclusive(false),
        Method::exclusive(true),
        Method::exclusive(false).with_prefix_list(&prefix_list),
        Method::exclusive(true).with_prefix_list(&prefix_list),
    ];
    for method in &methods {
        if let Ok(out) = c14n::document_to_vec(tree, method) {
            assert!(
                out.len() <= limit,
                "document c14n exceeded its output limit"
            );
        }
        for element in tree
            .descendants()
            .filter(|n| n.is_element())
            .take(MAX_ELEMENTS)
        {
            if let Ok(out) = c14n::to_vec(element, None, method) {
                assert!(out.len() <= limit, "element c14n exceeded its output limit");
            }
            // Excluding the first child element, as enveloped signatures do.
            if let Some(child) = element.children().find(|n| n.is_element()) {
                let _ = c14n::to_vec(element, Some(child.id()), method);
            }
        }
    }
});

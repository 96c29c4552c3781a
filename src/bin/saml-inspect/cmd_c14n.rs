//! `c14n`: the canonical bytes of a document or of one element, to debug a
//! digest mismatch.

use std::path::Path;

use saml_inspect::decode::{DecodeLimits, decode};
use saml_inspect::xml::c14n::{self, Algorithm, Method};
use saml_inspect::xml::{self, Limits};
use saml_inspect::{Code, Finding};

use crate::render::{self, Format};
use crate::{Outcome, fail, fail_io, input};

pub struct Args<'a> {
    pub path: &'a Path,
    pub exclusive: bool,
    pub with_comments: bool,
    pub prefixes: Option<&'a str>,
    pub id: Option<&'a str>,
    pub enveloped: bool,
}

pub fn run(args: Args<'_>, format: Format) -> Outcome {
    if args.prefixes.is_some() && !args.exclusive {
        return fail_io(format, "--prefixes needs --exclusive (an InclusiveNamespaces PrefixList only exists in exclusive c14n)".into());
    }
    if args.enveloped && args.id.is_none() {
        return fail_io(
            format,
            "--enveloped needs --id (it removes that element's own Signature)".into(),
        );
    }
    let limits = DecodeLimits::default();
    let bytes = match input::read_input(args.path, limits.max_input) {
        Ok(b) => b,
        Err(e) => return fail_io(format, e),
    };
    let decoded = match decode(&bytes, &limits) {
        Ok(d) => d,
        Err(e) => return fail(format, e.to_finding()),
    };
    let doc = match xml::parse_bytes(&decoded.xml, &Limits::default()) {
        Ok(d) => d,
        Err(e) => return invalid(format, e.to_finding()),
    };
    let mut method = Method {
        algorithm: if args.exclusive {
            Algorithm::Exclusive
        } else {
            Algorithm::Inclusive
        },
        with_comments: args.with_comments,
        inclusive_prefixes: Vec::new(),
    };
    if let Some(list) = args.prefixes {
        method.inclusive_prefixes = list.split_whitespace().map(str::to_string).collect();
    }
    let mut out = Vec::new();
    let result = match args.id {
        None => c14n::canonicalize_document(doc.tree(), &method, &mut out),
        Some(id) => {
            let matches: Vec<_> = doc
                .tree()
                .descendants()
                .filter(|n| n.is_element() && n.attribute("ID") == Some(id))
                .collect();
            let element = match matches.as_slice() {
                [one] => *one,
                [] => {
                    return invalid(
                        format,
                        Finding::new(
                            Code::SignatureReferenceInvalid,
                            format!("no element has ID=\"{id}\""),
                        ),
                    );
                }
                [first, ..] => {
                    return invalid(
                        format,
                        Finding::new(
                            Code::SignatureDuplicateId,
                            format!("{} elements have ID=\"{id}\"", matches.len()),
                        )
                        .at(xml::location_of(*first)),
                    );
                }
            };
            let exclude = args
                .enveloped
                .then(|| {
                    element
                        .children()
                        .find(|c| xml::is_saml_element(*c, saml_inspect::ns::XMLDSIG, "Signature"))
                })
                .flatten()
                .map(|s| s.id());
            c14n::canonicalize_element(element, exclude, &method, &mut out)
        }
    };
    if let Err(e) = result {
        return invalid(format, e.to_finding());
    }
    match format {
        Format::Text => render::emit_bytes(&out),
        Format::Json => {
            use base64::Engine as _;
            let digest = |md| {
                openssl::hash::hash(md, &out)
                    .map(|d| base64::engine::general_purpose::STANDARD.encode(d))
                    .unwrap_or_default()
            };
            render::emit_json(&serde_json::json!({
                "method": method.uri(),
                "inclusive_prefixes": method.inclusive_prefixes,
                "canonical": String::from_utf8_lossy(&out),
                "bytes": out.len(),
                "sha256": digest(openssl::hash::MessageDigest::sha256()),
                "sha1": digest(openssl::hash::MessageDigest::sha1()),
                "findings": [],
            }));
        }
    }
    Outcome::Ok
}

fn invalid(format: Format, finding: Finding) -> Outcome {
    fail(format, finding);
    Outcome::Invalid
}

//! Differential check of canonicalisation against xmlsec1 (libxml2's c14n):
//! for every signed element in testdata (fixtures, real-world documents,
//! metadata, the upstream vectors, and the attack cases that verify), the
//! bytes we canonicalise for each Reference equal the bytes xmlsec1 digests
//! (`xmlsec1 --verify --store-references --print-debug` prints them as
//! "PreDigest data").
//!
//! xmlsec1 (Debian package `xmlsec1`) is run on each Signature in turn
//! (`--node-xpath`); it needs a key of the right type before it processes
//! references, so it is given the fixtures' certificates and `--insecure`
//! (KeyInfo's certificate is used unverified: the signature's validity is
//! not what is compared here, only the digest input). References whose
//! transforms we refuse (XPath, XSLT, base64…) or whose target xmlsec1 and
//! we resolve by different ID attributes are counted as skipped, with the
//! reason printed.
//!
//! Skips, with a message, when `xmlsec1` is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

use saml_inspect::decode::{DecodeLimits, decode};
use saml_inspect::xml::c14n::{self, Method};
use saml_inspect::xml::{self, Limits};

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The element name, attribute pairs xmlsec1 treats as IDs (ours are `ID`;
/// the dsig vectors use `Id`, SAML 1.1 `AssertionID`/`ResponseID`).
const ID_ATTRS: [(&str, &str); 8] = [
    ("ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response"),
    ("ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"),
    (
        "ID",
        "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
    ),
    (
        "ID",
        "urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor",
    ),
    ("ID", "urn:oasis:names:tc:SAML:2.0:protocol:LogoutRequest"),
    ("ID", "urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest"),
    (
        "AssertionID",
        "urn:oasis:names:tc:SAML:1.0:assertion:Assertion",
    ),
    (
        "ResponseID",
        "urn:oasis:names:tc:SAML:1.0:protocol:Response",
    ),
];

fn xmlsec1_available() -> bool {
    Command::new("xmlsec1")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The documents to compare: XML (or a binding the decoder reads) that
/// contains a dsig Signature.
fn documents() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["fixtures", "real-world", "metadata", "vectors"] {
        walk(&Path::new(ROOT).join("testdata").join(dir), &mut out);
    }
    // The attack cases that verify (their signed bases).
    let table =
        std::fs::read_to_string(format!("{ROOT}/testdata/attacks/cases.txt")).unwrap_or_default();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() > 4 && f[3] == "ok" && (f[2] == "verify" || f[2] == "validate") {
            out.push(Path::new(ROOT).join("testdata/attacks").join(f[1]));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if !p
            .extension()
            .is_some_and(|x| x == "pem" || x == "der" || x == "md" || x == "txt" || x == "crt")
        {
            out.push(p);
        }
    }
}

/// The XML of a file: raw, or decoded from a binding.
fn xml_of(bytes: &[u8]) -> Option<Vec<u8>> {
    let decoded = decode(bytes, &DecodeLimits::default()).ok()?;
    Some(decoded.xml.to_vec())
}

/// What we canonicalise for one Reference, or why it is not compared.
fn our_bytes(
    doc: &xml::Document<'_>,
    signature: saml_inspect::xml::Node<'_, '_>,
    reference: saml_inspect::xml::Node<'_, '_>,
) -> Result<Vec<u8>, String> {
    let uri = reference.attribute("URI").ok_or("no URI")?;
    let target = if uri.is_empty() {
        None
    } else {
        let id = uri
            .strip_prefix('#')
            .ok_or_else(|| format!("URI {uri:?}"))?;
        let matches: Vec<_> = doc
            .tree()
            .descendants()
            .filter(|n| {
                // xmlsec1 also takes `Id` inside the Signature (an enveloping
                // signature's Object).
                let in_signature =
                    n.attribute("Id") == Some(id) && n.ancestors().any(|a| a == signature);
                n.is_element() && in_signature
                    || n.is_element()
                        && ID_ATTRS.iter().any(|(attr, el)| {
                            n.attribute(*attr) == Some(id)
                                && el.rsplit_once(':').is_some_and(|(ns, name)| {
                                    n.tag_name().name() == name
                                        && n.tag_name().namespace() == Some(ns)
                                })
                        })
            })
            .collect();
        match matches[..] {
            [one] => Some(one),
            _ => return Err(format!("{} elements with ID {id:?}", matches.len())),
        }
    };
    let transforms: Vec<saml_inspect::xml::Node<'_, '_>> = reference
        .children()
        .find(|n| n.has_tag_name((DSIG, "Transforms")))
        .map(|t| {
            t.children()
                .filter(|n| n.has_tag_name((DSIG, "Transform")))
                .collect()
        })
        .unwrap_or_default();
    let mut enveloped = false;
    let mut method = Method::inclusive(false);
    for t in &transforms {
        let alg = t.attribute("Algorithm").unwrap_or_default();
        if alg == ENVELOPED {
            enveloped = true;
        } else if let Some(m) = Method::from_uri(alg) {
            let prefixes = t
                .children()
                .find(|n| n.tag_name().name() == "InclusiveNamespaces")
                .and_then(|n| n.attribute("PrefixList"));
            method = match prefixes {
                Some(list) => m.with_prefix_list(list),
                None => m,
            };
        } else {
            return Err(format!("transform {alg}"));
        }
    }
    // A same-document reference drops comments whatever the method says
    // (XMLDSig 4.4.3.3); our verifier refuses WithComments, so only compare
    // methods without comments.
    if method.uri().contains("WithComments") {
        return Err("WithComments".into());
    }
    let exclude = enveloped.then(|| signature.id());
    let result = match target {
        Some(el) => c14n::to_vec(
            el,
            exclude.filter(|_| signature.ancestors().any(|a| a == el)),
            &method,
        ),
        // URI="": the document; without a PI outside the root element,
        // that is the root element's canonical form.
        None if doc.tree().root().children().any(|n| n.is_pi()) => {
            return Err("URI=\"\" with a processing instruction outside the root".into());
        }
        None => c14n::to_vec(doc.root_element(), exclude, &method),
    };
    result.map_err(|e| format!("c14n refused: {e}"))
}

/// The PreDigest buffers xmlsec1 prints for the `index`-th Signature (1-based).
fn xmlsec_bytes(file: &Path, index: usize) -> Result<Vec<Vec<u8>>, String> {
    let mut cmd = Command::new("xmlsec1");
    cmd.args([
        "--verify",
        "--store-references",
        "--print-debug",
        "--insecure",
    ]);
    for (attr, el) in ID_ATTRS {
        cmd.arg(format!("--id-attr:{attr}")).arg(el);
    }
    for cert in ["rsa2048", "ecp256"] {
        cmd.arg("--pubkey-cert-pem")
            .arg(format!("{ROOT}/testdata/fixtures/{cert}.cert.pem"));
    }
    cmd.arg("--node-xpath")
        .arg(format!(
            "(//*[local-name()='Signature' and namespace-uri()='{DSIG}'])[{index}]"
        ))
        .arg(file);
    let out = cmd.output().map_err(|e| e.to_string())?;
    let stdout = out.stdout;
    let start_tag = b"== PreDigest data - start buffer:\n";
    let end_tag = b"\n== PreDigest data - end buffer";
    let stderr = String::from_utf8_lossy(&out.stderr);
    if let Some(line) = stderr.lines().find(|l| l.contains("C14N error")) {
        // libxml2's canonicalizer failed (e.g. a relative namespace URI,
        // which C14N 1.0 section 2.1 says must fail); what it printed is a
        // truncated buffer, not a digest input.
        return Err(format!("xmlsec1's canonicalizer failed: {}", line.trim()));
    }
    let mut buffers = Vec::new();
    let mut rest = &stdout[..];
    while let Some(at) = find(rest, start_tag) {
        let body = &rest[at + start_tag.len()..];
        let end = find(body, end_tag).ok_or("unterminated buffer")?;
        buffers.push(body[..end].to_vec());
        rest = &body[end..];
    }
    if buffers.is_empty() {
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        return Err(format!("xmlsec1 printed no reference ({last})"));
    }
    Ok(buffers)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn canonical_bytes_equal_what_xmlsec1_digests() {
    if !xmlsec1_available() {
        println!(
            "SKIPPED: xmlsec1 is not installed (apt-get install -y xmlsec1); the differential check did not run"
        );
        return;
    }
    let tmp = std::env::temp_dir().join(format!("saml-inspect-xmlsec-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let (mut compared, mut skipped, mut signed_documents) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for path in documents() {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Some(xml_bytes) = xml_of(&bytes) else {
            continue;
        };
        let Ok(doc) = xml::parse_bytes(&xml_bytes, &Limits::default()) else {
            continue;
        };
        let signatures: Vec<_> = doc
            .tree()
            .descendants()
            .filter(|n| n.has_tag_name((DSIG, "Signature")))
            .collect();
        if signatures.is_empty() {
            continue;
        }
        signed_documents += 1;
        let name = path
            .strip_prefix(ROOT)
            .unwrap_or(&path)
            .display()
            .to_string();
        let file = tmp.join("doc.xml");
        std::fs::write(&file, &xml_bytes).expect("write temp");
        for (i, signature) in signatures.iter().enumerate() {
            let references: Vec<_> = signature
                .children()
                .find(|n| n.has_tag_name((DSIG, "SignedInfo")))
                .map(|si| {
                    si.children()
                        .filter(|n| n.has_tag_name((DSIG, "Reference")))
                        .collect()
                })
                .unwrap_or_default();
            let theirs = match xmlsec_bytes(&file, i + 1) {
                Ok(b) => b,
                Err(why) => {
                    skipped += references.len();
                    println!("skip {name} signature {}: {why}", i + 1);
                    continue;
                }
            };
            for (r, reference) in references.iter().enumerate() {
                let ours = match our_bytes(&doc, *signature, *reference) {
                    Ok(b) => b,
                    Err(why) => {
                        skipped += 1;
                        println!("skip {name} signature {} reference {}: {why}", i + 1, r + 1);
                        continue;
                    }
                };
                let Some(theirs) = theirs.get(r) else {
                    skipped += 1;
                    println!(
                        "skip {name} signature {} reference {}: xmlsec1 stopped before it",
                        i + 1,
                        r + 1
                    );
                    continue;
                };
                compared += 1;
                if ours != *theirs {
                    let at = ours
                        .iter()
                        .zip(theirs.iter())
                        .position(|(a, b)| a != b)
                        .unwrap_or(ours.len().min(theirs.len()));
                    let show = |b: &[u8]| {
                        String::from_utf8_lossy(&b[at.saturating_sub(40)..(at + 40).min(b.len())])
                            .into_owned()
                    };
                    mismatches.push(format!(
                        "{name} signature {} reference {}: differ at byte {at}\n  ours:   {:?}\n  xmlsec: {:?}",
                        i + 1,
                        r + 1,
                        show(&ours),
                        show(theirs)
                    ));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!(
        "{signed_documents} signed documents; {compared} references compared, {skipped} skipped, {} differ",
        mismatches.len()
    );
    assert!(compared >= 100, "only {compared} references compared");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

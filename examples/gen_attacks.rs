//! Generates `testdata/attacks/`: one file per attack case of
//! `docs/attacks.md` (the shared catalogue), and `cases.txt`, the table
//! `tests/attacks.rs` runs. The files are committed; tests never run this.
//!
//! ```sh
//! cargo run --example gen_attacks
//! ```
//!
//! Every case starts from a fixture signed with the test IdP key
//! (`testdata/fixtures/rsa2048.key.pem`, or `ecp256`): NOKEY cases edit the
//! signed text, IDPKEY cases re-sign an edited document with the test key
//! through the test signer in `tests/support` (as a misbehaving IdP would),
//! ATTKEY cases sign with a key generated here. The expected code of each
//! row is written here, by hand, from the catalogue; the test checks it.

#[path = "../tests/support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::io::Write as _;

use openssl::hash::{MessageDigest, hash};
use saml_inspect::dsig::algorithm as alg;
use saml_inspect::xml::c14n;
use support::*;

const OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/attacks");

/// One row of `cases.txt`.
struct Case {
    id: &'static str,
    file: String,
    api: &'static str,
    expect: &'static str,
    options: String,
    why: &'static str,
}

#[derive(Default)]
struct Cases {
    rows: Vec<Case>,
}

impl Cases {
    /// Writes `bytes` to `<slug>.<ext>` and records the row.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        id: &'static str,
        slug: &str,
        bytes: impl AsRef<[u8]>,
        api: &'static str,
        expect: &'static str,
        options: &str,
        why: &'static str,
    ) {
        let ext = match api {
            "decode" => "txt",
            "cert" => "pem",
            _ => "xml",
        };
        let file = format!("{}-{slug}.{ext}", id.to_lowercase());
        std::fs::write(format!("{OUT}/{file}"), bytes).expect("write case");
        self.rows.push(Case {
            id,
            file,
            api,
            expect,
            options: options.to_string(),
            why,
        });
    }
}

fn b_a() -> String {
    read("assertion-rsa2048.xml")
}
fn b_r() -> String {
    read("response-rsa2048.xml")
}
fn b_ra() -> String {
    read("both-rsa2048.xml")
}

/// The Assertion of B-A with the evil NameID and no Signature, under a new ID.
fn evil_copy(text: &str, new_id: &str) -> String {
    let a = remove_all_signatures(assertion(text));
    let a = edit(&a, NAME_ID, EVIL_NAME_ID);
    edit(
        &a,
        &format!("ID=\"{ASSERTION_ID}\""),
        &format!("ID=\"{new_id}\""),
    )
}

/// The unsigned B-A with `edits` applied, then signed on the Assertion
/// with `spec` by the test IdP key (IDPKEY).
fn idp_sign_with(edits: &[(&str, &str)], spec: &Spec) -> String {
    let mut text = unsigned_response();
    for (from, to) in edits {
        text = edit(&text, from, to);
    }
    sign(&text, ASSERTION_ID, spec, &private_key("rsa2048"))
}

fn entra_spec() -> Spec {
    Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048"))
}

fn idp_sign(edits: &[(&str, &str)]) -> String {
    idp_sign_with(edits, &entra_spec())
}

/// base64(SHA-256(exclusive c14n of the Assertion without its Signature)):
/// the digest an attacker computes for an edited Assertion (no key needed).
fn assertion_digest(text: &str) -> String {
    let unsigned = remove_all_signatures(assertion(text));
    let doc = saml_inspect::xml::parse(&unsigned, &Default::default()).expect("parses");
    let mut out = Vec::new();
    c14n::canonicalize_element(
        doc.root_element(),
        None,
        &c14n::Method::exclusive(false),
        &mut out,
    )
    .expect("c14n");
    b64(&hash(MessageDigest::sha256(), &out).expect("sha256"))
}

fn digest_value(text: &str) -> String {
    slice(text, "<DigestValue>", "</DigestValue>", 0)
        .trim_start_matches("<DigestValue>")
        .trim_end_matches("</DigestValue>")
        .to_string()
}

fn signature_value(text: &str) -> String {
    slice(text, "<SignatureValue>", "</SignatureValue>", 0)
        .trim_start_matches("<SignatureValue>")
        .trim_end_matches("</SignatureValue>")
        .to_string()
}

fn wrapping(c: &mut Cases) {
    let a = b_a();
    let r = b_r();
    let signed = assertion(&a).to_string();
    let sig = slice(&a, SIG_OPEN, SIG_CLOSE, 0).to_string();

    // W01: the Response cloned into its own Signature, outer one edited.
    let clone = remove_all_signatures(&r);
    let outer = edit(
        &edit(&r, NAME_ID, EVIL_NAME_ID),
        &format!("ID=\"{RESPONSE_ID}\""),
        "ID=\"_evil_response_ID\"",
    );
    let (_, end) = span(&outer, "<KeyInfo>", "</KeyInfo>", 0);
    let mut w01 = outer.clone();
    w01.insert_str(end, &clone);
    c.add(
        "W01",
        "xsw1-response-clone-in-signature",
        &w01,
        "verify",
        "signature.duplicate_id",
        "",
        "the clone repeats the Assertion's ID",
    );
    let renamed = w01.replacen(&format!("ID=\"{ASSERTION_ID}\""), "ID=\"_renamed\"", 1);
    c.add(
        "W01",
        "xsw1-clone-renamed",
        renamed,
        "verify",
        "signature.structure",
        "",
        "with the IDs made unique, the Signature's foreign child is refused",
    );
    // W02: the clone as a sibling before the Signature.
    let mut w02 = outer.clone();
    let at = w02.find(SIG_OPEN).expect("signature");
    w02.insert_str(
        at,
        &clone.replacen(&format!("ID=\"{ASSERTION_ID}\""), "ID=\"_c\"", 1),
    );
    c.add(
        "W02",
        "xsw2-response-clone-before-signature",
        w02,
        "verify",
        "signature.structure",
        "",
        "a Response inside the Response is refused before references are resolved",
    );
    // W03: an evil unsigned Assertion before the signed one.
    let w03 = edit(
        &a,
        &signed,
        &format!("{}{signed}", evil_copy(&a, "_evil_assertion_ID")),
    );
    c.add(
        "W03",
        "xsw3-evil-assertion-first",
        w03,
        "verify",
        "saml.assertion_count",
        "",
        "two Assertions: the unsigned one is not covered",
    );
    // W04: the evil Assertion wraps the signed one.
    let evil = evil_copy(&a, "_evil_assertion_ID");
    let wrapped = edit(&evil, "</Assertion>", &format!("{signed}</Assertion>"));
    let w04 = edit(&a, &signed, &wrapped);
    c.add("W04", "xsw4-evil-assertion-wraps-signed", w04, "verify", "signature.missing", "",
        "the only Assertion child is unsigned; the signature nested inside it sits at no signed position");
    // W05: edited in place (ID changed, Signature kept), pristine copy appended.
    let pristine = remove_all_signatures(&signed);
    let in_place = edit(
        &edit(&signed, NAME_ID, EVIL_NAME_ID),
        &format!("ID=\"{ASSERTION_ID}\""),
        "ID=\"_evil_assertion_ID\"",
    );
    let w05 = edit(&a, &signed, &format!("{in_place}{pristine}"));
    c.add(
        "W05",
        "xsw5-edited-in-place-pristine-appended",
        w05,
        "verify",
        "signature.reference_invalid",
        "",
        "the Signature's Reference is not its parent (and there are two Assertions)",
    );
    // W06: the pristine copy inside the Signature.
    let w06 = edit(
        &edit(&a, "</KeyInfo>", &format!("</KeyInfo>{pristine}")),
        NAME_ID,
        EVIL_NAME_ID,
    )
    .replacen(
        &format!("ID=\"{ASSERTION_ID}\""),
        "ID=\"_evil_assertion_ID\"",
        1,
    );
    c.add(
        "W06",
        "xsw6-pristine-copy-in-signature",
        w06,
        "verify",
        "signature.structure",
        "",
        "an Assertion is not a child a Signature may have",
    );
    // W07: an evil copy with the same ID in samlp:Extensions.
    let same_id = edit(&remove_all_signatures(&signed), NAME_ID, EVIL_NAME_ID);
    let w07 = edit(
        &a,
        "<samlp:Status>",
        &format!("<samlp:Extensions>{same_id}</samlp:Extensions><samlp:Status>"),
    );
    c.add(
        "W07",
        "xsw7-same-id-copy-in-extensions",
        w07,
        "verify",
        "signature.duplicate_id",
        "",
        "one ID value on two elements",
    );
    // W08: pristine copy in a ds:Object, original edited.
    let object = format!("</KeyInfo><Object>{pristine}</Object>");
    let w08 = edit(&edit(&a, "</KeyInfo>", &object), NAME_ID, EVIL_NAME_ID);
    c.add(
        "W08",
        "xsw8-pristine-copy-in-object",
        w08,
        "verify",
        "signature.duplicate_id",
        "",
        "the copy repeats the ID (and Object is refused by shape)",
    );
    let w08b = w08_renamed(&a, &pristine);
    c.add(
        "W08",
        "xsw8-object-unique-id",
        w08b,
        "verify",
        "signature.structure",
        "",
        "with a unique ID, the Object child itself is refused",
    );
    // W09: a second SignedInfo with the evil digest after the original pair.
    let evil_a = edit(&a, NAME_ID, EVIL_NAME_ID);
    let si = slice(&a, "<SignedInfo>", "</SignedInfo>", 0);
    let evil_si = edit(si, &digest_value(&a), &assertion_digest(&evil_a));
    let w09 = edit(
        &evil_a,
        "</SignatureValue>",
        &format!("</SignatureValue>{evil_si}"),
    );
    c.add(
        "W09",
        "xsw9-second-signed-info",
        w09,
        "verify",
        "signature.structure",
        "",
        "exactly one SignedInfo, first child",
    );
    // W10: the signed Response hidden in StatusDetail, outer carries its ID.
    let inner = r.clone();
    let outer_unsigned = remove_all_signatures(&edit(&r, NAME_ID, EVIL_NAME_ID));
    let w10 = edit(
        &outer_unsigned,
        "</samlp:Status>",
        &format!("<samlp:StatusDetail>{inner}</samlp:StatusDetail></samlp:Status>"),
    );
    c.add(
        "W10",
        "signed-response-in-status-detail",
        w10,
        "verify",
        "signature.duplicate_id",
        "",
        "the hidden original and the evil outer element share IDs",
    );
    // W11: a second (unsigned) Assertion appended, and prepended.
    let extra = evil_copy(&a, "_second");
    let w11 = edit(&a, &signed, &format!("{signed}{extra}"));
    c.add(
        "W11",
        "second-assertion-appended",
        w11,
        "verify",
        "saml.assertion_count",
        "",
        "exactly one Assertion",
    );
    let w11 = edit(&a, &signed, &format!("{extra}{signed}"));
    c.add(
        "W11",
        "second-assertion-prepended",
        w11,
        "verify",
        "saml.assertion_count",
        "",
        "exactly one Assertion",
    );
    // W12: the signed Assertion moved into the Advice of an evil one.
    let evil = evil_copy(&a, "_evil_assertion_ID");
    let with_advice = edit(
        &evil,
        "<Conditions ",
        &format!("<Advice>{signed}</Advice><Conditions "),
    );
    let w12 = edit(&a, &signed, &with_advice);
    c.add(
        "W12",
        "signed-assertion-in-advice",
        w12,
        "verify",
        "signature.missing",
        "",
        "the consumed Assertion is unsigned; a signature inside Advice is never verified",
    );
    // W13: the Signature moved into an evil Assertion, genuine kept in Extensions.
    let evil = evil_copy(&a, "_evil_assertion_ID");
    let evil_signed = edit(&evil, "</Issuer>", &format!("</Issuer>{sig}"));
    let w13 = edit(
        &edit(&a, &signed, &evil_signed),
        "<samlp:Status>",
        &format!("<samlp:Extensions>{pristine}</samlp:Extensions><samlp:Status>"),
    );
    c.add(
        "W13",
        "signature-moved-to-evil-assertion",
        w13,
        "verify",
        "signature.reference_invalid",
        "",
        "the Reference does not point at the Signature's parent",
    );
    // W14: the Response Signature moved after the Assertion.
    let rsig = slice(&r, SIG_OPEN, SIG_CLOSE, 0).to_string();
    let moved = edit(&r, &rsig, "");
    let w14 = edit(
        &moved,
        "</samlp:Response>",
        &format!("{rsig}</samlp:Response>"),
    );
    c.add(
        "W14",
        "response-signature-after-assertion",
        w14,
        "verify",
        "signature.structure",
        "",
        "a Signature must sit right after Issuer",
    );
    // W15: signed metadata embedded in an unsigned Response.
    let md = read_path("testdata/metadata/entra-app-rollover-signed.xml");
    let md = md.trim_start_matches(|ch| ch != '<');
    let md = md
        .strip_prefix("<?xml")
        .map_or(md, |rest| &rest[rest.find("?>").unwrap() + 2..]);
    let w15 = edit(
        &remove_all_signatures(&a),
        "<samlp:Status>",
        &format!("<samlp:Extensions>{md}</samlp:Extensions><samlp:Status>"),
    );
    c.add(
        "W15",
        "signed-metadata-in-extensions",
        w15,
        "verify",
        "signature.missing",
        "",
        "a signature inside Extensions covers nothing a Response consumer reads",
    );
    // W16: evil data outside the signed Assertion (Subject under Response,
    // Destination changed): verification succeeds and reads the signed NameID.
    let w16 = edit(
        &edit(
            &a,
            "<samlp:Status>",
            "<samlp:Extensions><NameID xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\">admin@contoso.com</NameID></samlp:Extensions><samlp:Status>",
        ),
        "Destination=\"https://signin.aws.amazon.com/saml\"",
        "Destination=\"https://signin.aws.amazon.com/saml\" InResponseTo=\"_forged\"",
    );
    c.add(
        "W16",
        "evil-data-outside-signed-assertion",
        &w16,
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "only the verified Assertion is read",
    );
    c.add(
        "W16",
        "unsigned-destination-changed",
        edit(
            &a,
            "Destination=\"https://signin.aws.amazon.com/saml\"",
            "Destination=\"https://evil.example/saml\"",
        ),
        "validate",
        "saml.destination_mismatch",
        "",
        "an unsigned Response's Destination is never used to accept, and refuses when wrong",
    );
}

fn w08_renamed(a: &str, pristine: &str) -> String {
    let renamed = pristine.replacen(&format!("ID=\"{ASSERTION_ID}\""), "ID=\"_copy\"", 1);
    edit(
        a,
        "</KeyInfo>",
        &format!("</KeyInfo><Object>{renamed}</Object>"),
    )
}

fn signature_parsing(c: &mut Cases) {
    let a = b_a();
    let evil_a = edit(&a, NAME_ID, EVIL_NAME_ID);
    let evil_digest = assertion_digest(&evil_a);
    let dv = digest_value(&a);
    let sv = signature_value(&a);

    // S01: a stray Reference/DigestValue with the evil digest elsewhere.
    let stray = format!(
        "<samlp:Extensions><ds:Reference xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" URI=\"#{ASSERTION_ID}\"><ds:DigestValue>{evil_digest}</ds:DigestValue></ds:Reference></samlp:Extensions><samlp:Status>"
    );
    c.add(
        "S01",
        "stray-digest-value-in-extensions",
        edit(&evil_a, "<samlp:Status>", &stray),
        "verify",
        "signature.digest_mismatch",
        "",
        "only SignedInfo's own Reference is read",
    );
    let in_subject = edit(
        &evil_a,
        "<Subject>",
        &format!(
            "<Subject><DigestValue xmlns=\"http://www.w3.org/2000/09/xmldsig#\">{evil_digest}</DigestValue>"
        ),
    );
    c.add(
        "S01",
        "stray-digest-value-in-subject",
        in_subject,
        "verify",
        "signature.digest_mismatch",
        "",
        "only SignedInfo's own Reference is read",
    );
    // S02: comments inside DigestValue.
    let s02 = edit(
        &evil_a,
        &format!("<DigestValue>{dv}"),
        &format!("<DigestValue><!--{dv}-->{evil_digest}"),
    );
    c.add("S02", "comment-then-evil-digest", s02, "verify", "signature.invalid", "",
        "DigestValue reads as its text (the evil digest), so the content matches it, but SignedInfo changed");
    let s02 = edit(
        &evil_a,
        &format!("<DigestValue>{dv}"),
        &format!("<DigestValue>{dv}<!--x-->"),
    );
    c.add(
        "S02",
        "original-digest-then-comment",
        s02,
        "verify",
        "signature.digest_mismatch",
        "",
        "the comment is not text; the original digest no longer matches the edited content",
    );
    let (h1, h2) = dv.split_at(10);
    let s02 = edit(
        &evil_a,
        &format!("<DigestValue>{dv}"),
        &format!("<DigestValue>{h1}<!---->{h2}"),
    );
    c.add(
        "S02",
        "digest-split-by-comment",
        s02,
        "verify",
        "signature.digest_mismatch",
        "",
        "the split value reads whole; the content edit still mismatches",
    );
    // S03: second SignedInfo, prefix confusion, reorder.
    let si = slice(&a, "<SignedInfo>", "</SignedInfo>", 0).to_string();
    let evil_si = edit(&si, &dv, &evil_digest);
    c.add(
        "S03",
        "second-signed-info-last",
        edit(&evil_a, "</KeyInfo>", &format!("</KeyInfo>{evil_si}")),
        "verify",
        "signature.structure",
        "",
        "(a) exactly one SignedInfo",
    );
    c.add(
        "S03",
        "second-signed-info-first",
        edit(&evil_a, SIG_OPEN, &format!("{SIG_OPEN}{evil_si}")),
        "verify",
        "signature.structure",
        "",
        "(b) exactly one SignedInfo, first",
    );
    let sig = slice(&a, SIG_OPEN, SIG_CLOSE, 0).to_string();
    let ki = slice(&a, "<KeyInfo>", "</KeyInfo>", 0).to_string();
    let reprefixed = sig
        .replace("<", "<dsx:")
        .replace("<dsx:/", "</dsx:")
        .replace(
            "<dsx:Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">",
            "<dsx:Signature xmlns:dsx=\"http://www.w3.org/2000/09/xmldsig#\" xmlns:ds=\"\">",
        );
    c.add("S03", "reprefixed-signature", edit(&a, &sig, &reprefixed), "verify", "signature.invalid", "",
        "(c) re-prefixing SignedInfo changes its exclusive canonical form (prefixes are kept), so the SignatureValue fails; see README");
    // The prefix is not semantic where it is not signed: the Signature,
    // SignatureValue and KeyInfo re-prefixed, SignedInfo left as signed.
    let si_default = si.replacen(
        "<SignedInfo>",
        "<SignedInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\">",
        1,
    );
    let outer_dsx = format!(
        "<dsx:Signature xmlns:dsx=\"http://www.w3.org/2000/09/xmldsig#\">{si_default}<dsx:SignatureValue>{sv}</dsx:SignatureValue>{}</dsx:Signature>",
        ki.replace("<", "<dsx:").replace("<dsx:/", "</dsx:")
    );
    c.add(
        "S03",
        "reprefixed-outside-signed-info",
        edit(&a, &sig, &outer_dsx),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "(c) elements are found by namespace URI, not prefix",
    );
    let reordered = format!("{SIG_OPEN}<SignatureValue>{sv}</SignatureValue>{ki}{si}{SIG_CLOSE}");
    c.add(
        "S03",
        "children-reordered",
        edit(&a, &sig, &reordered),
        "verify",
        "signature.structure",
        "",
        "(d) SignedInfo must come first",
    );
    // S04: two References (IDPKEY), also in reverse order.
    let u = unsigned_response();
    let two = idp_sign_with(
        &[],
        &Spec {
            references: vec![format!("#{ASSERTION_ID}"), format!("#{RESPONSE_ID}")],
            ..entra_spec()
        },
    );
    let _ = u;
    c.add(
        "S04",
        "two-references",
        two,
        "verify",
        "signature.reference_invalid",
        "",
        "exactly one Reference, even when both digests match",
    );
    let two_rev = idp_sign_with(
        &[],
        &Spec {
            references: vec![format!("#{RESPONSE_ID}"), format!("#{ASSERTION_ID}")],
            ..entra_spec()
        },
    );
    c.add(
        "S04",
        "two-references-reversed",
        two_rev,
        "verify",
        "signature.reference_invalid",
        "",
        "exactly one Reference",
    );
    // S05: zero References, a sibling reference, a dangling one.
    let zero = idp_sign_with(
        &[],
        &Spec {
            references: vec![],
            ..entra_spec()
        },
    );
    c.add(
        "S05",
        "zero-references",
        zero,
        "verify",
        "signature.reference_invalid",
        "",
        "no Reference is never vacuously valid",
    );
    let sibling = idp_sign_with(
        &[],
        &Spec {
            references: vec![format!("#{RESPONSE_ID}")],
            ..entra_spec()
        },
    );
    c.add(
        "S05",
        "reference-to-response-from-assertion",
        sibling,
        "verify",
        "signature.reference_invalid",
        "",
        "the Reference must name the Signature's parent",
    );
    c.add(
        "S05",
        "dangling-reference",
        a.replacen(
            &format!("URI=\"#{ASSERTION_ID}\""),
            "URI=\"#_nonexistent\"",
            1,
        ),
        "verify",
        "signature.reference_invalid",
        "",
        "structure is checked before crypto",
    );
    // S06: URI forms.
    for (slug, uri) in [
        ("uri-xpath-injection", "#x' or '1'='1"),
        ("uri-trailing-space", "#_id "),
        ("uri-bare-hash", "#"),
        ("uri-xpointer-root", "#xpointer(/)"),
        (
            "uri-xpointer-id",
            "#xpointer(id('_add19051-4da9-4d5c-9029-80010f62288f'))",
        ),
        ("uri-element-scheme", "#element(/1/2)"),
        ("uri-http", "http://127.0.0.1:1/"),
        ("uri-file", "file:///etc/passwd"),
        ("uri-double-fragment", "#_a#_b"),
    ] {
        let uri = uri.replace('\'', "&apos;");
        c.add(
            "S06",
            slug,
            a.replacen(
                &format!("URI=\"#{ASSERTION_ID}\""),
                &format!("URI=\"{uri}\""),
                1,
            ),
            "verify",
            "signature.reference_invalid",
            "",
            "only #NCName, before any dereference",
        );
    }
    let empty = idp_sign_with(
        &[],
        &Spec {
            references: vec![String::new()],
            ..entra_spec()
        },
    );
    c.add(
        "S06",
        "uri-empty-on-assertion",
        empty,
        "verify",
        "signature.reference_invalid",
        "",
        "URI=\"\" covers the document, not the Assertion",
    );
    // S07: transforms outside the allow-list.
    let xpath = format!(
        "<Transform Algorithm=\"{}\"><XPath>not(ancestor-or-self::Subject)</XPath></Transform>",
        "http://www.w3.org/TR/1999/REC-xpath-19991116"
    );
    for (slug, list) in [
        (
            "xpath",
            vec![enveloped(), xpath.clone(), transform(alg::EXC_C14N)],
        ),
        (
            "xslt",
            vec![
                enveloped(),
                transform("http://www.w3.org/TR/1999/REC-xslt-19991116"),
            ],
        ),
        (
            "exc-c14n-twice",
            vec![
                enveloped(),
                transform(alg::EXC_C14N),
                transform(alg::EXC_C14N),
            ],
        ),
        (
            "c14n11",
            vec![
                enveloped(),
                transform("http://www.w3.org/2006/12/xml-c14n11"),
            ],
        ),
        ("unknown-uri", vec![enveloped(), transform("urn:x")]),
        (
            "base64",
            vec![
                enveloped(),
                transform("http://www.w3.org/2000/09/xmldsig#base64"),
            ],
        ),
    ] {
        let doc = idp_sign_with(
            &[],
            &Spec {
                transforms: Some(list),
                ..entra_spec()
            },
        );
        c.add(
            "S07",
            &format!("transform-{slug}"),
            doc,
            "verify",
            "signature.transform_not_allowed",
            "",
            "transforms outside [enveloped-signature, exc-c14n]",
        );
    }
    let no_env = idp_sign_with(
        &[],
        &Spec {
            transforms: Some(vec![transform(alg::EXC_C14N)]),
            ..entra_spec()
        },
    );
    c.add(
        "S07",
        "transform-without-enveloped",
        no_env,
        "verify",
        "signature.transform_not_allowed",
        "",
        "the enveloped-signature transform is required (structure before crypto)",
    );
    // S08: ID attribute confusion.
    let evil_first = |attr: &str| {
        let e = evil_copy(&a, "_unused").replacen(
            "ID=\"_unused\"",
            &format!("{attr}=\"{ASSERTION_ID}\" ID=\"_e\""),
            1,
        );
        let signed = assertion(&a).to_string();
        edit(&a, &signed, &format!("{e}{signed}"))
    };
    c.add(
        "S08",
        "evil-first-with-Id",
        evil_first("Id"),
        "verify",
        "signature.duplicate_id",
        "",
        "(a) an ID value used twice, on whatever attribute",
    );
    c.add(
        "S08",
        "evil-first-with-AssertionID",
        evil_first("AssertionID"),
        "verify",
        "signature.duplicate_id",
        "",
        "(b) an ID value used twice",
    );
    c.add(
        "S08",
        "evil-first-with-xml-id",
        evil_first("xml:id"),
        "verify",
        "signature.duplicate_id",
        "",
        "(c) an ID value used twice",
    );
    c.add(
        "S08",
        "extra-Id-on-signed",
        a.replacen(
            &format!("ID=\"{ASSERTION_ID}\""),
            &format!("ID=\"{ASSERTION_ID}\" Id=\"_other\""),
            1,
        ),
        "verify",
        "signature.digest_mismatch",
        "",
        "(d) the added attribute is inside the signed subtree",
    );
    let only_id = idp_sign(&[(
        &format!("ID=\"{ASSERTION_ID}\""),
        &format!("Id=\"{ASSERTION_ID}\""),
    )]);
    c.add(
        "S08",
        "reference-to-Id-only",
        only_id,
        "verify",
        "signature.reference_invalid",
        "",
        "(e) only ID counts",
    );
    // S09: malformed Signature elements.
    let sig_val = format!("<SignatureValue>{sv}</SignatureValue>");
    c.add(
        "S09",
        "duplicate-signature-value",
        edit(
            &a,
            &sig_val,
            &format!("<SignatureValue>AAAA</SignatureValue>{sig_val}"),
        ),
        "verify",
        "signature.structure",
        "",
        "one SignatureValue",
    );
    c.add(
        "S09",
        "keyinfo-before-signed-info",
        edit(&edit(&a, &ki, ""), SIG_OPEN, &format!("{SIG_OPEN}{ki}")),
        "verify",
        "signature.structure",
        "",
        "order SignedInfo, SignatureValue, KeyInfo",
    );
    c.add(
        "S09",
        "empty-object",
        edit(&a, "</KeyInfo>", "</KeyInfo><Object/>"),
        "verify",
        "signature.structure",
        "",
        "no Object in a SAML signature",
    );
    c.add(
        "S09",
        "manifest-in-object",
        edit(&a, "</KeyInfo>", "</KeyInfo><Object><Manifest/></Object>"),
        "verify",
        "signature.structure",
        "",
        "no Object/Manifest",
    );
    c.add(
        "S09",
        "no-signature-method",
        a.replacen(
            "<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>",
            "",
            1,
        ),
        "verify",
        "signature.structure",
        "",
        "SignatureMethod is required",
    );
    let wrapped: String = sv
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c) + "\n")
        .collect();
    c.add(
        "S09",
        "signature-value-line-breaks",
        edit(&a, &sv, &wrapped),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "whitespace inside base64 is accepted",
    );
    c.add(
        "S09",
        "signature-value-not-base64",
        edit(&a, &sv, &format!("*{}", &sv[1..])),
        "verify",
        "signature.structure",
        "",
        "a base64 error, never a panic",
    );
}

fn keys(c: &mut Cases) {
    let a = b_a();
    let (attacker, attacker_cert) = generated("rsa2048");
    // K01: attacker re-signs with own key, own cert in KeyInfo.
    let mut u = unsigned_response();
    u = edit(&u, NAME_ID, EVIL_NAME_ID);
    let k01 = sign(
        &u,
        ASSERTION_ID,
        &Spec::rsa_sha256(ASSERTION_ID, &attacker_cert),
        &attacker,
    );
    c.add(
        "K01",
        "attacker-key-and-cert",
        k01,
        "verify",
        "signature.untrusted_key",
        "",
        "the key comes from configuration only",
    );
    let both = format!(
        "<KeyInfo><X509Data><X509Certificate>{}</X509Certificate><X509Certificate>{}</X509Certificate></X509Data></KeyInfo>",
        b64(&cert_der("rsa2048")),
        b64(&attacker_cert)
    );
    let k01b = sign(
        &u,
        ASSERTION_ID,
        &Spec {
            key_info: both,
            ..Spec::rsa_sha256(ASSERTION_ID, &attacker_cert)
        },
        &attacker,
    );
    c.add("K01", "attacker-key-genuine-cert-listed-first", k01b, "verify", "signature.invalid", "",
        "the genuine certificate in KeyInfo selects the pinned key, which does not verify the attacker's signature");
    // K02: KeyInfo is a hint only.
    let ki = slice(&a, "<KeyInfo>", "</KeyInfo>", 0).to_string();
    c.add(
        "K02",
        "keyinfo-removed",
        edit(&a, &ki, ""),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "(a) the pinned certificate verifies without KeyInfo",
    );
    c.add(
        "K02",
        "keyinfo-other-cert",
        edit(&a, &b64(&cert_der("rsa2048")), &b64(&cert_der("rsa3072"))),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "(b) KeyInfo is ignored: the pinned key verifies",
    );
    c.add(
        "K02",
        "keyinfo-garbage",
        edit(&a, &b64(&cert_der("rsa2048")), "bm90IGEgY2VydA=="),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "(c) KeyInfo is ignored",
    );
    c.add(
        "K02",
        "keyinfo-retrieval-method",
        edit(
            &a,
            "<KeyInfo>",
            "<KeyInfo><RetrievalMethod URI=\"http://127.0.0.1:1/\"/>",
        ),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "(d) never dereferenced",
    );
    c.add(
        "K02",
        "unpinned-signer",
        read("assertion-rsa3072.xml"),
        "verify",
        "signature.untrusted_key",
        "",
        "rollover: a certificate that is not pinned is refused",
    );
    c.add(
        "K02",
        "rollover-new-cert",
        read("assertion-rsa3072.xml"),
        "verify",
        "ok",
        "trust=rsa2048,rsa3072",
        "rollover: both pinned certificates verify",
    );
    // K03: no trust configured.
    c.add(
        "K03",
        "no-trust",
        &a,
        "verify",
        "signature.no_trust_configured",
        "trust=none",
        "fail closed",
    );
    c.add(
        "K03",
        "no-trust-validate",
        &a,
        "validate",
        "signature.no_trust_configured",
        "trust=none",
        "fail closed",
    );
    // K04: certificate validity: pinned-key trust. Verification never reads
    // the validity period (nor KeyInfo's); the pinned certificate's expiry
    // is reported by `cert::check`.
    c.add(
        "K04",
        "pinned-key-trust",
        &a,
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "pinned-key trust: validity is not a verification input",
    );
    c.add(
        "K04",
        "pinned-cert-expired-at-now",
        read("rsa2048.cert.pem"),
        "cert",
        "cert.expired",
        "now=2030-01-01T00:00:00Z",
        "the expired pinned certificate is reported",
    );
    c.add(
        "K04",
        "pinned-cert-not-yet-valid",
        read("rsa2048.cert.pem"),
        "cert",
        "cert.not_yet_valid",
        "now=2025-01-01T00:00:00Z",
        "a certificate not valid yet is reported",
    );
    // K05/K06: HMAC with the public certificate as the secret, truncated.
    for (slug, inner) in [
        ("hmac-sha256", ""),
        (
            "hmac-sha256-trunc0",
            "<HMACOutputLength>0</HMACOutputLength>",
        ),
    ] {
        let spec = Spec {
            scheme: Scheme::Hmac(MessageDigest::sha256(), cert_der("rsa2048")),
            signature_method: "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256".into(),
            signature_method_inner: inner.into(),
            ..entra_spec()
        };
        let id = if inner.is_empty() { "K05" } else { "K06" };
        let mut text = edit(&unsigned_response(), NAME_ID, EVIL_NAME_ID);
        text = sign(&text, ASSERTION_ID, &spec, &private_key("rsa2048"));
        c.add(
            id,
            slug,
            text,
            "verify",
            "signature.algorithm_not_allowed",
            "",
            "HMAC is never allowed",
        );
    }
    let trunc = a.replacen(
        "rsa-sha256\"/>",
        "rsa-sha256\"><HMACOutputLength>0</HMACOutputLength></SignatureMethod>",
        1,
    );
    c.add(
        "K06",
        "hmac-output-length-on-rsa",
        trunc,
        "verify",
        "signature.structure",
        "",
        "HMACOutputLength on an RSA method",
    );
    // K07: SHA-1.
    let sha1_sig = |sig: &str, md: MessageDigest, digest: &str, dmd: MessageDigest| Spec {
        scheme: Scheme::Rsa(md),
        signature_method: sig.into(),
        digest_method: digest.into(),
        digest: dmd,
        ..entra_spec()
    };
    let rsa_sha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    let sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
    for (slug, spec) in [
        (
            "rsa-sha1-sha1",
            sha1_sig(rsa_sha1, MessageDigest::sha1(), sha1, MessageDigest::sha1()),
        ),
        (
            "rsa-sha256-sha1-digest",
            sha1_sig(
                alg::RSA_SHA256,
                MessageDigest::sha256(),
                sha1,
                MessageDigest::sha1(),
            ),
        ),
        (
            "rsa-sha1-sha256-digest",
            sha1_sig(
                rsa_sha1,
                MessageDigest::sha1(),
                alg::DIGEST_SHA256,
                MessageDigest::sha256(),
            ),
        ),
    ] {
        let doc = idp_sign_with(&[], &spec);
        c.add(
            "K07",
            slug,
            &doc,
            "verify",
            "signature.algorithm_not_allowed",
            "",
            "SHA-1 needs the opt-in",
        );
        c.add(
            "K07",
            &format!("{slug}-opted-in"),
            doc,
            "verify",
            "ok",
            "sha1",
            "with allow_sha1 it verifies",
        );
    }
    // K08: weak/unknown algorithms and mismatches.
    c.add(
        "K08",
        "ecdsa-uri-on-rsa-key",
        a.replacen(
            alg::RSA_SHA256,
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            1,
        ),
        "verify",
        "signature.algorithm_not_allowed",
        "",
        "key type and URI must agree",
    );
    c.add(
        "K08",
        "md5-digest",
        a.replacen(
            alg::DIGEST_SHA256,
            "http://www.w3.org/2001/04/xmldsig-more#md5",
            1,
        ),
        "verify",
        "signature.algorithm_not_allowed",
        "",
        "MD5 is never allowed",
    );
    c.add(
        "K08",
        "unknown-c14n",
        a.replacen(
            &format!("<CanonicalizationMethod Algorithm=\"{}\"/>", alg::EXC_C14N),
            "<CanonicalizationMethod Algorithm=\"urn:x\"/>",
            1,
        ),
        "verify",
        "signature.algorithm_not_allowed",
        "",
        "no fallback to a default",
    );
    let (weak, weak_cert) = generated("rsa1024");
    let k08 = sign(
        &unsigned_response(),
        ASSERTION_ID,
        &Spec::rsa_sha256(ASSERTION_ID, &weak_cert),
        &weak,
    );
    std::fs::write(format!("{OUT}/k08-rsa1024.cert.der"), &weak_cert).expect("write cert");
    c.add(
        "K08",
        "rsa1024-signed",
        k08,
        "verify",
        "signature.algorithm_not_allowed",
        "trust=k08-rsa1024.cert.der",
        "even when configured as trust, an RSA key under 2048 bits is refused by the policy",
    );
    // K09: ECDSA encodings on the P-256 fixture.
    let ec = read("assertion-ecp256.xml");
    let ec_sv = signature_value(&ec);
    let raw = base64_decode(&ec_sv);
    let der = raw_to_der(&raw);
    c.add(
        "K09",
        "ecdsa-der",
        edit(&ec, &ec_sv, &b64(&der)),
        "verify",
        "signature.invalid",
        "trust=ecp256",
        "XMLDSig ECDSA is raw r||s; DER is refused",
    );
    let mut padded = vec![0u8];
    padded.extend_from_slice(&raw[..32]);
    padded.push(0);
    padded.extend_from_slice(&raw[32..]);
    c.add(
        "K09",
        "ecdsa-padded-66",
        edit(&ec, &ec_sv, &b64(&padded)),
        "verify",
        "signature.invalid",
        "trust=ecp256",
        "r and s must be exactly the field size",
    );
    c.add(
        "K09",
        "ecdsa-63-bytes",
        edit(&ec, &ec_sv, &b64(&raw[1..])),
        "verify",
        "signature.invalid",
        "trust=ecp256",
        "odd length is refused",
    );
    let mut zero_r = raw.clone();
    zero_r[..32].fill(0);
    c.add(
        "K09",
        "ecdsa-r-zero",
        edit(&ec, &ec_sv, &b64(&zero_r)),
        "verify",
        "signature.invalid",
        "trust=ecp256",
        "r = 0 never verifies",
    );
    let high_s = negate_s(&raw);
    c.add(
        "K09",
        "ecdsa-high-s",
        edit(&ec, &ec_sv, &b64(&high_s)),
        "verify",
        "ok",
        "trust=ecp256",
        "n - s verifies (ECDSA is malleable); replay is keyed on the Assertion ID",
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(s.split_whitespace().collect::<String>())
        .expect("base64")
}

/// (r, n - s) for a P-256 raw signature.
fn negate_s(raw: &[u8]) -> Vec<u8> {
    use openssl::bn::{BigNum, BigNumContext};
    use openssl::ec::EcGroup;
    use openssl::nid::Nid;
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("p256");
    let mut ctx = BigNumContext::new().expect("ctx");
    let mut n = BigNum::new().expect("bn");
    group.order(&mut n, &mut ctx).expect("order");
    let s = BigNum::from_slice(&raw[32..]).expect("s");
    let mut ns = BigNum::new().expect("bn");
    ns.checked_sub(&n, &s).expect("sub");
    let mut out = raw[..32].to_vec();
    out.extend(ns.to_vec_padded(32).expect("pad"));
    out
}

fn canonicalization(c: &mut Cases) {
    let a = b_a();
    // C01: the IdP signs a NameID the attacker registered; a comment is then
    // inserted. The signature stays valid and the whole NameID is read.
    let long = "alice.example@contoso.com.evil.example</NameID>";
    let signed = idp_sign(&[(NAME_ID, long)]);
    let injected = edit(
        &signed,
        long,
        "alice.example@contoso.com<!---->.evil.example</NameID>",
    );
    c.add(
        "C01",
        "comment-in-name-id",
        &injected,
        "verify",
        "ok",
        "name_id=alice.example@contoso.com.evil.example",
        "comments are not text: the full NameID is read",
    );
    c.add(
        "C01",
        "comment-in-name-id-validate",
        &injected,
        "validate",
        "ok",
        "name_id=alice.example@contoso.com.evil.example",
        "the validator reads the same full NameID",
    );
    let start = edit(
        &signed,
        long,
        "<!--x-->alice.example@contoso.com.evil.example<!--y--></NameID>",
    );
    c.add(
        "C01",
        "comments-at-both-ends",
        start,
        "verify",
        "ok",
        "name_id=alice.example@contoso.com.evil.example",
        "comments at the start or end change nothing",
    );
    let child = idp_sign(&[(NAME_ID, "alice.example@contoso.com<b>x</b></NameID>")]);
    c.add(
        "C01",
        "element-in-name-id",
        child,
        "verify",
        "saml.structure",
        "",
        "an element where text is expected is refused",
    );
    // C02: CDATA.
    c.add(
        "C02",
        "cdata-wrapping-same-text",
        edit(
            &a,
            NAME_ID,
            "<![CDATA[alice.example@contoso.com]]></NameID>",
        ),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "(a) same canonical text: valid, same value",
    );
    c.add(
        "C02",
        "cdata-appended",
        edit(
            &a,
            NAME_ID,
            "alice.example@contoso.com<![CDATA[.evil.com]]></NameID>",
        ),
        "verify",
        "signature.digest_mismatch",
        "",
        "(b) added text breaks the digest",
    );
    // C03: processing instructions.
    c.add(
        "C03",
        "pi-in-name-id",
        edit(
            &a,
            NAME_ID,
            "alice.example@contoso.com<?evil .evil.com?></NameID>",
        ),
        "verify",
        "signature.digest_mismatch",
        "",
        "exc-c14n keeps PIs",
    );
    c.add(
        "C03",
        "pi-in-signed-info",
        a.replacen("<SignatureMethod ", "<?evil x?><SignatureMethod ", 1),
        "verify",
        "signature.invalid",
        "",
        "SignedInfo changed",
    );
    c.add(
        "C03",
        "pi-before-root",
        format!("<?evil .evil.com?>{a}"),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "the prolog is outside the signed subtree",
    );
    // C04: character references, entities.
    c.add(
        "C04",
        "char-ref-in-name-id",
        edit(&a, NAME_ID, "alice.example&#x40;contoso.com</NameID>"),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "(a) a character reference is the character",
    );
    let dtd = format!("<!DOCTYPE r [<!ENTITY id \"{ASSERTION_ID}\">]>");
    c.add(
        "C04",
        "id-via-entity",
        format!(
            "{dtd}{}",
            a.replacen(&format!("ID=\"{ASSERTION_ID}\""), "ID=\"&id;\"", 1)
        ),
        "verify",
        "xml.dtd_forbidden",
        "",
        "(b) DOCTYPE refused before anything else",
    );
    // C05: namespaces.
    c.add(
        "C05",
        "saml-prefix-rebound-on-subject",
        edit(
            &edit(&a, "<Subject>", "<Subject xmlns:saml=\"urn:evil\">"),
            "<NameID ",
            "<saml:NameID ",
        ),
        "verify",
        "xml.malformed",
        "",
        "(a) the closing tag no longer matches; as a matched rename:",
    );
    let renamed = edit(
        &edit(
            &edit(&a, "<Subject>", "<Subject xmlns:saml=\"urn:evil\">"),
            "<NameID ",
            "<saml:NameID ",
        ),
        NAME_ID,
        "alice.example@contoso.com</saml:NameID>",
    );
    c.add(
        "C05",
        "name-id-moved-to-other-namespace",
        renamed,
        "verify",
        "signature.digest_mismatch",
        "",
        "(a) the element moved namespace",
    );
    c.add("C05", "default-ns-undeclared-on-signature", a.replacen(SIG_OPEN,
        "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">", 1),
        "verify", "ok", "name_id=alice.example@contoso.com", "(c) an unused declaration: the resolved Signature is the same");
    c.add(
        "C05",
        "same-attribute-two-prefixes",
        edit(
            &a,
            "<Subject>",
            "<Subject xmlns:a=\"urn:x\" xmlns:b=\"urn:x\" a:ID=\"1\" b:ID=\"2\">",
        ),
        "verify",
        "xml.malformed",
        "",
        "(d) not namespace-well-formed",
    );
    // C06: WithComments is refused.
    let wc = idp_sign_with(
        &[],
        &Spec {
            transforms: Some(vec![
                enveloped(),
                transform("http://www.w3.org/2001/10/xml-exc-c14n#WithComments"),
            ]),
            ..entra_spec()
        },
    );
    c.add(
        "C06",
        "exc-c14n-with-comments",
        wc,
        "verify",
        "signature.transform_not_allowed",
        "",
        "#WithComments is refused by policy",
    );
    // C07: line endings and attribute normalisation.
    c.add(
        "C07",
        "crlf",
        a.replace('\n', "\r\n").replacen("><", ">\r\n<", 1),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "CRLF outside the signed subtree; parsed, not byte-compared",
    );
    c.add(
        "C07",
        "char-ref-space-in-attribute",
        a.replacen("Version=\"2.0\"><Issuer>", "Version=\"2.0\" ><Issuer>", 1)
            .replacen("emailAddress\"", "emailAddress\" ", 1),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "whitespace between attributes is not canonical content",
    );
    c.add(
        "C07",
        "cr-reference-added",
        edit(&a, NAME_ID, "alice.example@contoso.com&#13;</NameID>"),
        "verify",
        "signature.digest_mismatch",
        "",
        "an added &#13; changes the digest",
    );
    // C08: canonicalisation stress; the empty digest is never accepted.
    let empty_digest = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    let dv = digest_value(&a);
    c.add(
        "C08",
        "empty-string-digest",
        edit(&a, &dv, empty_digest),
        "verify",
        "signature.digest_mismatch",
        "",
        "the digest of empty octets never matches an element",
    );
    c.add("C08", "relative-namespace-uri", edit(&a, "<Subject>", "<Subject xmlns:a=\"foo\">"), "verify",
        "ok", "name_id=alice.example@contoso.com",
        "canonicalised, never void: the unused relative-URI declaration is not rendered by exclusive c14n");
    c.add(
        "C08",
        "relative-namespace-uri-rendered",
        edit(&a, "<Subject>", "<Subject xmlns:a=\"foo\" a:x=\"1\">"),
        "verify",
        "signature.structure",
        "",
        "a relative namespace URI that would be rendered: canonicalization fails loudly (C14N 1.0 section 2.1), nothing is digested",
    );
    c.add(
        "C08",
        "nul-char-ref",
        edit(&a, NAME_ID, "alice&#0;</NameID>"),
        "verify",
        "xml.malformed",
        "",
        "&#0; is not an XML character",
    );
    c.add("C08", "prefix-list-undeclared", a.replacen(
        &format!("<Transform Algorithm=\"{}\"/></Transforms>", alg::EXC_C14N),
        &format!("<Transform Algorithm=\"{}\"><InclusiveNamespaces xmlns=\"{}\" PrefixList=\"undeclared\"/></Transform></Transforms>",
            alg::EXC_C14N, alg::EXC_C14N), 1),
        "verify", "signature.invalid", "", "SignedInfo changed; an unbound prefix in the PrefixList renders nothing");
}

fn parser(c: &mut Cases) {
    let a = b_a();
    c.add(
        "P01",
        "doctype-external",
        format!("<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/x.dtd\">{a}"),
        "verify",
        "xml.dtd_forbidden",
        "",
        "no DTD, no fetch",
    );
    c.add(
        "P01",
        "xxe-file",
        format!(
            "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>{}",
            edit(&a, NAME_ID, "&x;</NameID>")
        ),
        "verify",
        "xml.dtd_forbidden",
        "",
        "no entities",
    );
    c.add(
        "P01",
        "attlist-only",
        format!("<!DOCTYPE r [<!ATTLIST Assertion ID ID #IMPLIED>]>{a}"),
        "verify",
        "xml.dtd_forbidden",
        "",
        "any DOCTYPE",
    );
    c.add(
        "P01",
        "doctype-in-base64",
        b64(format!("<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/x.dtd\">{a}").as_bytes()),
        "verify",
        "xml.dtd_forbidden",
        "",
        "the same after the POST binding's base64",
    );
    let bomb = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><lolz>&lol3;</lolz>";
    c.add(
        "P02",
        "billion-laughs",
        bomb,
        "verify",
        "xml.dtd_forbidden",
        "",
        "refused before expansion",
    );
    let quadratic = format!(
        "<!DOCTYPE r [<!ENTITY a \"{}\">]><r>{}</r>",
        "x".repeat(10_000),
        "&a;".repeat(1000)
    );
    c.add(
        "P02",
        "quadratic-blowup",
        quadratic,
        "verify",
        "xml.dtd_forbidden",
        "",
        "refused before expansion",
    );
    c.add(
        "P03",
        "attlist-quote-trick",
        format!("<!DOCTYPE x [ <!ATTLIST x y '&quot;>]><!--'> ]>{a}"),
        "verify",
        "xml.dtd_forbidden",
        "",
        "DOCTYPE refused: no second reading of the document",
    );
    c.add(
        "P04",
        "colon-attribute-name",
        edit(&a, "<Subject>", "<Subject ::foo=\"bar\">"),
        "verify",
        "xml.malformed",
        "",
        "namespace-malformed",
    );
    c.add(
        "P04",
        "undeclared-prefix",
        edit(
            &edit(&a, "<NameID ", "<evil:NameID "),
            NAME_ID,
            "alice.example@contoso.com</evil:NameID>",
        ),
        "verify",
        "xml.malformed",
        "",
        "an unbound prefix",
    );
    c.add(
        "P04",
        "comment-and-cdata-outside-signed",
        edit(&a, "<samlp:Status>", "<!-- -- --><samlp:Status>"),
        "verify",
        "xml.malformed",
        "",
        "'--' inside a comment is not well-formed",
    );
    c.add(
        "P05",
        "second-root",
        format!(
            "{a}{}",
            remove_all_signatures(&edit(&a, NAME_ID, EVIL_NAME_ID))
        ),
        "verify",
        "xml.malformed",
        "",
        "one root",
    );
    c.add(
        "P05",
        "trailing-text",
        format!("{a}trailing"),
        "verify",
        "xml.malformed",
        "",
        "nothing after the root",
    );
    c.add(
        "P05",
        "utf8-bom",
        format!("\u{feff}{a}"),
        "verify",
        "ok",
        "name_id=alice.example@contoso.com",
        "a UTF-8 BOM is accepted",
    );
    c.add(
        "P05",
        "declared-utf16",
        format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>{a}"),
        "verify",
        "xml.encoding",
        "",
        "declared encoding differs from the bytes",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(a.encode_utf16().flat_map(u16::to_le_bytes));
    c.add(
        "P05",
        "genuine-utf16",
        utf16,
        "verify",
        "decode.base64_invalid",
        "",
        "UTF-8 only, by policy: UTF-16 bytes are not XML to the decoder, and not base64 either",
    );
    // P06: resource exhaustion (the limits one by one are in tests/limits.rs).
    let deep = format!("<r>{}{}</r>", "<a>".repeat(1000), "</a>".repeat(1000));
    c.add(
        "P06",
        "deep-nesting",
        deep,
        "verify",
        "xml.limit_exceeded",
        "",
        "depth limit",
    );
    let many: String = (0..5000)
        .map(|i| format!(" xmlns:p{i}=\"urn:p{i}\""))
        .collect();
    c.add(
        "P06",
        "namespace-declarations",
        edit(&a, "<Subject>", &format!("<Subject{many}>")),
        "verify",
        "xml.limit_exceeded",
        "",
        "namespace declaration limit",
    );
    let attrs: String = (0..1000).map(|i| format!(" a{i}=\"x\"")).collect();
    c.add(
        "P06",
        "many-attributes",
        edit(&a, "<Subject>", &format!("<Subject{attrs}>")),
        "verify",
        "xml.limit_exceeded",
        "",
        "attributes per element",
    );
    c.add(
        "P06",
        "deflate-bomb",
        deflate_bomb(),
        "decode",
        "decode.limit_exceeded",
        "",
        "HTTP-Redirect value inflating past the limit",
    );
}

/// A raw-DEFLATE HTTP-Redirect value (base64) that inflates to 64 MiB.
fn deflate_bomb() -> String {
    use flate2::Compression;
    use flate2::write::DeflateEncoder;
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..64 {
        enc.write_all(&zeros).expect("deflate");
    }
    b64(&enc.finish().expect("deflate"))
}

fn protocol(c: &mut Cases) {
    let a = b_a();
    let r = b_r();
    let ra = b_ra();
    // M01: which element is signed, per policy; edits to the unsigned Response.
    for (slug, doc, ok_for) in [
        ("assertion-signed", &a, ["either", "assertion"]),
        ("response-signed", &r, ["either", "response"]),
    ] {
        for require in ["either", "assertion", "response", "both"] {
            let expect = if ok_for.contains(&require) {
                "ok"
            } else {
                "signature.missing"
            };
            c.add(
                "M01",
                &format!("{slug}-require-{require}"),
                doc,
                "validate",
                expect,
                &format!("require={require}"),
                "the required-signature matrix",
            );
        }
    }
    c.add(
        "M01",
        "both-signed-require-both",
        &ra,
        "validate",
        "ok",
        "require=both",
        "both present",
    );
    c.add(
        "M01",
        "unsigned-in-response-to-forged",
        edit(&a, "Destination=", "InResponseTo=\"_forged\" Destination="),
        "validate",
        "saml.in_response_to",
        "irt=_request-1",
        "an unsigned InResponseTo is never used to accept; wrong, it refuses",
    );
    c.add(
        "M01",
        "unsigned-status-edited",
        edit(&a, "status:Success", "status:Requester"),
        "validate",
        "saml.status",
        "",
        "a non-success Status refuses even unsigned",
    );
    // M02: audience.
    let aud = "<Audience>urn:amazon:webservices</Audience>";
    let restriction = format!("<AudienceRestriction>{aud}</AudienceRestriction>");
    for (slug, to, expect) in [
        ("other-sp", "<AudienceRestriction><Audience>https://other.example/sp</Audience></AudienceRestriction>".to_string(), "saml.audience_mismatch"),
        ("empty-audience", "<AudienceRestriction><Audience/></AudienceRestriction>".to_string(), "saml.audience_mismatch"),
        ("and-with-other", format!("{restriction}<AudienceRestriction><Audience>https://other.example/sp</Audience></AudienceRestriction>"), "saml.audience_mismatch"),
        ("or-containing-ours", format!("<AudienceRestriction><Audience>https://other.example/sp</Audience>{aud}</AudienceRestriction>"), "ok"),
        ("trailing-slash", "<AudienceRestriction><Audience>urn:amazon:webservices/</Audience></AudienceRestriction>".to_string(), "saml.audience_mismatch"),
        ("case-differs", "<AudienceRestriction><Audience>urn:amazon:WebServices</Audience></AudienceRestriction>".to_string(), "saml.audience_mismatch"),
    ] {
        c.add("M02", slug, idp_sign(&[(&restriction, &to)]), "validate", expect, "", "each restriction must name us, exactly");
    }
    c.add(
        "M02",
        "no-restriction",
        idp_sign(&[(&restriction, "")]),
        "validate",
        "saml.audience_mismatch",
        "",
        "a missing AudienceRestriction is a policy failure",
    );
    // M03: destination and recipient.
    let rcp = "Recipient=\"https://signin.aws.amazon.com/saml\"";
    c.add(
        "M03",
        "recipient-other",
        idp_sign(&[(rcp, "Recipient=\"https://other.example/acs\"")]),
        "validate",
        "saml.recipient_mismatch",
        "",
        "Recipient must be our ACS",
    );
    c.add(
        "M03",
        "recipient-missing",
        idp_sign(&[(rcp, "")]),
        "validate",
        "saml.recipient_mismatch",
        "",
        "Recipient is required for bearer",
    );
    c.add(
        "M03",
        "recipient-host-case",
        idp_sign(&[(rcp, "Recipient=\"https://SIGNIN.aws.amazon.com/saml\"")]),
        "validate",
        "ok",
        "",
        "scheme and host compare without case",
    );
    c.add(
        "M03",
        "recipient-path-case",
        idp_sign(&[(rcp, "Recipient=\"https://signin.aws.amazon.com/SAML\"")]),
        "validate",
        "saml.recipient_mismatch",
        "",
        "the path compares exactly",
    );
    c.add(
        "M03",
        "recipient-query",
        idp_sign(&[(rcp, "Recipient=\"https://signin.aws.amazon.com/saml?x=1\"")]),
        "validate",
        "saml.recipient_mismatch",
        "",
        "a query string differs",
    );
    c.add(
        "M03",
        "destination-other",
        edit(
            &r,
            "Destination=\"https://signin.aws.amazon.com/saml\"",
            "Destination=\"https://other.example/acs\"",
        ),
        "validate",
        "signature.digest_mismatch",
        "",
        "on a signed Response the Destination is signed",
    );
    let dest_other = sign(
        &edit(
            &remove_all_signatures(&r),
            "Destination=\"https://signin.aws.amazon.com/saml\"",
            "Destination=\"https://other.example/acs\"",
        ),
        RESPONSE_ID,
        &Spec::rsa_sha256(RESPONSE_ID, &cert_der("rsa2048")),
        &private_key("rsa2048"),
    );
    c.add(
        "M03",
        "destination-other-signed",
        dest_other,
        "validate",
        "saml.destination_mismatch",
        "",
        "Destination must be our ACS",
    );
    c.add(
        "M03",
        "destination-empty",
        edit(
            &a,
            "Destination=\"https://signin.aws.amazon.com/saml\"",
            "Destination=\"\"",
        ),
        "validate",
        "saml.destination_mismatch",
        "",
        "an empty Destination is not ours",
    );
    // M04: time windows around the fixture's values (skew 180 s).
    for (slug, now, expect) in [
        (
            "before-not-before-minus-skew",
            "2026-11-01T11:51:59Z",
            "saml.not_yet_valid",
        ),
        (
            "issue-instant-ahead-beyond-skew",
            "2026-11-01T11:57:00.122Z",
            "saml.timestamp_invalid",
        ),
        (
            "issue-instant-ahead-within-skew",
            "2026-11-01T11:57:00.123Z",
            "ok",
        ),
        (
            "confirmation-expired-plus-skew",
            "2026-11-01T12:08:00.123Z",
            "saml.expired",
        ),
        (
            "confirmation-just-inside-skew",
            "2026-11-01T12:08:00.122Z",
            "ok",
        ),
    ] {
        c.add(
            "M04",
            slug,
            &a,
            "validate",
            expect,
            &format!("now={now}"),
            "NotBefore inclusive, NotOnOrAfter exclusive, with skew",
        );
    }
    let noa = "NotOnOrAfter=\"2026-11-01T13:00:00.123Z\"";
    for (slug, value, expect) in [
        ("no-zone", "2026-11-01T13:00:00", "ok"),
        ("offset", "2026-11-01T15:00:00+02:00", "ok"),
        (
            "nine-fraction-digits",
            "2026-11-01T13:00:00.123456789Z",
            "ok",
        ),
        ("hour-24", "2026-11-01T24:00:00Z", "saml.timestamp_invalid"),
        ("year-9999", "9999-12-31T23:59:59Z", "ok"),
        (
            "year-0000",
            "0000-01-01T00:00:00Z",
            "saml.timestamp_invalid",
        ),
        ("garbage", "tomorrow", "saml.timestamp_invalid"),
    ] {
        c.add(
            "M04",
            &format!("timestamp-{slug}"),
            idp_sign(&[(noa, &format!("NotOnOrAfter=\"{value}\""))]),
            "validate",
            expect,
            "",
            "xs:dateTime in UTC; checked arithmetic",
        );
    }
    // M05: InResponseTo.
    let scd = "<SubjectConfirmationData ";
    c.add(
        "M05",
        "unknown-request",
        idp_sign(&[(scd, "<SubjectConfirmationData InResponseTo=\"_unknown\" ")]),
        "validate",
        "saml.in_response_to",
        "irt=_request-1",
        "must answer an outstanding request",
    );
    c.add(
        "M05",
        "matching-request",
        idp_sign(&[(scd, "<SubjectConfirmationData InResponseTo=\"_request-1\" ")]),
        "validate",
        "ok",
        "irt=_request-1",
        "answers our request",
    );
    c.add(
        "M05",
        "unsolicited-sp-initiated-only",
        &a,
        "validate",
        "saml.in_response_to",
        "irt=_request-1 sp_initiated",
        "unsolicited refused when IdP-initiated is off",
    );
    c.add(
        "M05",
        "present-while-idp-initiated",
        idp_sign(&[(scd, "<SubjectConfirmationData InResponseTo=\"_unknown\" ")]),
        "validate",
        "saml.in_response_to",
        "irt=",
        "present must still match",
    );
    // M06: replay.
    c.add(
        "M06",
        "same-assertion-twice",
        &a,
        "validate",
        "saml.replay",
        "twice",
        "one-time use",
    );
    c.add(
        "M06",
        "same-assertion-new-response-id",
        edit(&a, RESPONSE_ID, "_other-response"),
        "validate",
        "saml.replay",
        "replay_after=assertion-rsa2048.xml",
        "keyed on the Assertion ID, not the Response",
    );
    // M07: issuer.
    let iss = "<Issuer>https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/</Issuer>";
    c.add(
        "M07",
        "assertion-issuer-other-tenant",
        idp_sign(&[(
            iss,
            "<Issuer>https://sts.windows.net/00000000-0000-0000-0000-000000000000/</Issuer>",
        )]),
        "validate",
        "saml.issuer_mismatch",
        "",
        "the trusted key alone is not enough",
    );
    c.add(
        "M07",
        "response-issuer-differs",
        edit(
            &a,
            "assertion\">https://sts.windows.net/8256aa56",
            "assertion\">https://sts.windows.net/00000000",
        ),
        "validate",
        "saml.issuer_mismatch",
        "",
        "an unsigned Response Issuer that differs refuses",
    );
    c.add("M07", "issuer-format-other", idp_sign(&[(iss, "<Issuer Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/</Issuer>")]),
        "validate", "saml.issuer_mismatch", "", "Issuer Format must be omitted or entity (profiles 4.1.4.2)");
    c.add("M07", "issuer-format-entity", idp_sign(&[(iss, "<Issuer Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">https://sts.windows.net/8256aa56-5196-41e1-afa0-a52d35c98bf9/</Issuer>")]),
        "validate", "ok", "", "the entity Format is allowed");
    // M08: subject confirmation.
    let bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    c.add(
        "M08",
        "sender-vouches",
        idp_sign(&[(bearer, "urn:oasis:names:tc:SAML:2.0:cm:sender-vouches")]),
        "validate",
        "saml.subject_confirmation",
        "",
        "only bearer",
    );
    let sc = slice(&a, "<SubjectConfirmation ", "</SubjectConfirmation>", 0).to_string();
    let bad = edit(
        &sc,
        "https://signin.aws.amazon.com/saml",
        "https://other.example/acs",
    );
    c.add(
        "M08",
        "two-confirmations-one-valid",
        idp_sign(&[(&sc, &format!("{bad}{sc}"))]),
        "validate",
        "ok",
        "",
        "any one bearer confirmation that fully validates",
    );
    c.add(
        "M08",
        "no-confirmation",
        idp_sign(&[(&sc, "")]),
        "validate",
        "saml.subject_confirmation",
        "",
        "a bearer confirmation is required",
    );
    // M09: status.
    let success = "urn:oasis:names:tc:SAML:2.0:status:Success\"/>";
    c.add(
        "M09",
        "responder-with-signed-assertion",
        sign(
            &edit(
                &remove_all_signatures(&r),
                success,
                "urn:oasis:names:tc:SAML:2.0:status:Responder\"/>",
            ),
            RESPONSE_ID,
            &Spec::rsa_sha256(RESPONSE_ID, &cert_der("rsa2048")),
            &private_key("rsa2048"),
        ),
        "validate",
        "saml.status",
        "",
        "a non-success Status refuses whatever it carries",
    );
    c.add("M09", "success-with-nested-failure", idp_sign(&[(success,
        "urn:oasis:names:tc:SAML:2.0:status:Success\"><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:AuthnFailed\"/></samlp:StatusCode>")]),
        "validate", "saml.status", "", "a nested non-success code");
    c.add(
        "M09",
        "missing-status",
        edit(&a, slice(&a, "<samlp:Status>", "</samlp:Status>", 0), ""),
        "validate",
        "saml.structure",
        "",
        "Status is required",
    );
    // M10: NameID / attributes.
    c.add(
        "M10",
        "empty-name-id",
        idp_sign(&[(NAME_ID, "</NameID>")]),
        "validate",
        "ok",
        "",
        "deterministic: an empty NameID is read as empty (AWS reads no NameID; the Role decides)",
    );
    let escaped = "arn:aws:iam::111122223333:role/Reader,arn:aws:iam::111122223333:saml-provider/Entra&lt;/AttributeValue&gt;&lt;AttributeValue&gt;arn:aws:iam::111122223333:role/Admin";
    let role_open = "<Attribute Name=\"https://aws.amazon.com/SAML/Attributes/Role\">";
    let role = slice(&a, role_open, "</Attribute>", 0).to_string();
    let evil_role = format!("{role_open}<AttributeValue>{escaped}</AttributeValue></Attribute>");
    c.add(
        "M10",
        "escaped-markup-in-role",
        idp_sign(&[(&role, &evil_role)]),
        "inspect",
        "aws.role.malformed",
        "",
        "escaped text stays one value, and that value is not a role pair",
    );
    let three = format!(
        "{role_open}<AttributeValue>arn:aws:iam::111122223333:role/A,arn:aws:iam::111122223333:saml-provider/P,arn:aws:iam::111122223333:role/Admin</AttributeValue></Attribute>"
    );
    c.add(
        "M10",
        "role-three-arns",
        idp_sign(&[(&role, &three)]),
        "inspect",
        "aws.role.malformed",
        "",
        "exactly one role and one provider per value",
    );
    c.add(
        "M10",
        "two-role-attributes",
        idp_sign(&[(&role, &format!("{role}{three}"))]),
        "inspect",
        "aws.role.malformed",
        "",
        "both Role attributes are read; the bad value is reported",
    );
    // M11: missing ID / wrong Version.
    c.add(
        "M11",
        "assertion-version-1-1",
        idp_sign(&[(
            "IssueInstant=\"2026-11-01T12:00:00.123Z\" Version=\"2.0\"><Issuer>",
            "IssueInstant=\"2026-11-01T12:00:00.123Z\" Version=\"1.1\"><Issuer>",
        )]),
        "validate",
        "saml.version",
        "",
        "Version must be 2.0",
    );
    c.add(
        "M11",
        "response-without-id",
        edit(&a, &format!(" ID=\"{RESPONSE_ID}\""), ""),
        "validate",
        "saml.structure",
        "",
        "the Response ID is required",
    );
}

fn metadata(c: &mut Cases) {
    let md = read_path("testdata/metadata/entra-app-rollover-signed.xml");
    c.add(
        "D01",
        "metadata-signed-valid",
        &md,
        "metadata",
        "ok",
        "trust=rsa2048",
        "the signed metadata verifies",
    );
    c.add(
        "D01",
        "metadata-tampered",
        md.replacen(
            "login.microsoftonline.com",
            "login.microsoftonline.example",
            1,
        ),
        "metadata",
        "metadata.signature_invalid",
        "trust=rsa2048",
        "changed after signing",
    );
    c.add(
        "D01",
        "metadata-wrong-anchor",
        &md,
        "metadata",
        "metadata.signature_invalid",
        "trust=rsa3072",
        "signed with a key that is not the anchor",
    );
    let id_at = md.find(" ID=\"").expect("metadata ID") + 5;
    let id = &md[id_at..id_at + md[id_at..].find('"').expect("quote")];
    c.add("D01", "metadata-xsw-duplicate-id", md.replacen("<IDPSSODescriptor", &format!("<Extensions xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\"><EntityDescriptor ID=\"{id}\" entityID=\"https://evil.example/\"/></Extensions><IDPSSODescriptor"), 1),
        "metadata", "metadata.signature_invalid", "trust=rsa2048",
        "metadata XSW: the inserted element is inside the signed EntityDescriptor, so its digest fails first");
    c.add(
        "D01",
        "metadata-expired",
        md.replacen(" ID=\"", " validUntil=\"2026-10-01T00:00:00Z\" ID=\"", 1),
        "metadata",
        "metadata.expired",
        "",
        "validUntil in the past (the edit also breaks the signature)",
    );
    c.add(
        "D01",
        "metadata-doctype",
        format!("<!DOCTYPE r []>{md}"),
        "metadata",
        "xml.dtd_forbidden",
        "",
        "parser policy",
    );
}

fn main() {
    std::fs::create_dir_all(OUT).expect("output directory");
    for entry in std::fs::read_dir(OUT).expect("list") {
        let path = entry.expect("entry").path();
        // Hand-written tables (`cases-*.txt`, e.g. cases-xmlenc.txt) stay.
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let generated = path
            .extension()
            .is_some_and(|e| ["xml", "txt", "der", "pem"].iter().any(|x| e == *x))
            && !name.starts_with("cases-");
        if generated {
            std::fs::remove_file(path).expect("remove old case");
        }
    }
    let mut c = Cases::default();
    wrapping(&mut c);
    signature_parsing(&mut c);
    keys(&mut c);
    canonicalization(&mut c);
    parser(&mut c);
    protocol(&mut c);
    metadata(&mut c);
    let mut table = String::from(
        "# Generated by `cargo run --example gen_attacks`; see README.md.\n# id\tfile\tapi\texpect\toptions\t# why\n",
    );
    for row in &c.rows {
        let options = if row.options.is_empty() {
            "-"
        } else {
            &row.options
        };
        writeln!(
            table,
            "{}\t{}\t{}\t{}\t{}\t# {}",
            row.id, row.file, row.api, row.expect, options, row.why
        )
        .expect("format");
    }
    std::fs::write(format!("{OUT}/cases.txt"), table).expect("write table");
    println!("{} cases in {OUT}", c.rows.len());
}

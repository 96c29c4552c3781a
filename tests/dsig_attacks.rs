//! The attack catalogue (docs/attacks.md, W, S, K and C families) against the
//! signature verifier. NOKEY cases edit a signed fixture's text after
//! signing; IDPKEY/ATTKEY cases use the test-only signer in `support`.

mod support;

use openssl::hash::{MessageDigest, hash};
use saml_inspect::dsig::algorithm as alg;
use saml_inspect::dsig::{Policy, SignatureScheme, TrustedKeys, verify_element, verify_message};
use saml_inspect::xml::{self, Limits, c14n, element_text};
use saml_inspect::{Code, Severity};
use support::*;

const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";

fn b_a() -> String {
    read("assertion-rsa2048.xml")
}
fn b_r() -> String {
    read("response-rsa2048.xml")
}

fn allow_sha1() -> Policy {
    Policy {
        allow_sha1: true,
        ..Policy::default()
    }
}

/// The Assertion of B-A with the evil NameID and no Signature, under a new ID.
fn evil_assertion_copy(text: &str, new_id: &str) -> String {
    let a = assertion(text);
    let a = remove_all_signatures(a);
    let a = edit(&a, NAME_ID, EVIL_NAME_ID);
    edit(
        &a,
        &format!("ID=\"{ASSERTION_ID}\""),
        &format!("ID=\"{new_id}\""),
    )
}

// ---------------------------------------------------------------- W family

#[test]
fn w01_response_clone_inside_signature() {
    let text = b_r();
    let clone = remove_all_signatures(&text);
    let mut evil = edit(&text, NAME_ID, EVIL_NAME_ID);
    evil = edit(
        &evil,
        &format!("ID=\"{RESPONSE_ID}\""),
        "ID=\"_evil_response_ID\"",
    );
    let (_, end) = span(&evil, "<KeyInfo>", "</KeyInfo>", 0);
    evil.insert_str(end, &clone);
    // The clone repeats the Assertion's ID ...
    assert_eq!(code(&evil), Some(Code::SignatureDuplicateId));
    // ... and with that renamed, the Signature's foreign child is refused.
    let renamed = evil.replacen(&format!("ID=\"{ASSERTION_ID}\""), "ID=\"_renamed\"", 1);
    assert_eq!(code(&renamed), Some(Code::SignatureStructure));
}

#[test]
fn w02_response_clone_before_signature() {
    let text = b_r();
    let clone = remove_all_signatures(&text);
    let mut evil = edit(&text, NAME_ID, EVIL_NAME_ID);
    evil = edit(
        &evil,
        &format!("ID=\"{RESPONSE_ID}\""),
        "ID=\"_evil_response_ID\"",
    );
    let at = evil.find(SIG_OPEN).unwrap();
    evil.insert_str(at, &clone);
    // The message level sees the repeated Assertion ID, then (renamed) a
    // misplaced Signature ...
    assert_eq!(code(&evil), Some(Code::SignatureDuplicateId));
    let renamed = evil.replacen(&format!("ID=\"{ASSERTION_ID}\""), "ID=\"_renamed\"", 1);
    assert_eq!(code(&renamed), Some(Code::SignatureStructure));
    // ... and the element level the Assertion ID the clone repeats.
    let doc = xml::parse(&evil, &Limits::default()).unwrap();
    let err = verify_element(
        &doc,
        doc.root_element(),
        &trust("rsa2048"),
        &Policy::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), Code::SignatureDuplicateId, "{err}");
    // With the clone's Assertion renamed too, the Reference is what fails.
    let renamed = evil.replacen(&format!("ID=\"{ASSERTION_ID}\""), "ID=\"_renamed\"", 1);
    let doc = xml::parse(&renamed, &Limits::default()).unwrap();
    let err = verify_element(
        &doc,
        doc.root_element(),
        &trust("rsa2048"),
        &Policy::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), Code::SignatureReferenceInvalid, "{err}");
}

#[test]
fn w03_evil_assertion_first_is_not_covered() {
    let text = b_a();
    let evil = evil_assertion_copy(&text, "_evil_assertion_ID");
    let at = text.find("<Assertion ").unwrap();
    let attacked = format!("{}{}{}", &text[..at], evil, &text[at..]);
    let doc = xml::parse(&attacked, &Limits::default()).unwrap();
    let msg = verify_message(&doc, &trust("rsa2048"), &Policy::default()).unwrap();
    assert_eq!(msg.assertions().len(), 2);
    assert!(!msg.assertions()[0].is_covered());
    assert!(msg.assertions()[1].is_covered());
    let covered: Vec<_> = msg.covered_assertions().collect();
    assert_eq!(covered.len(), 1);
    assert_eq!(covered[0].attribute("ID"), Some(ASSERTION_ID));
    assert_eq!(msg.warnings().len(), 1);
    assert_eq!(msg.warnings()[0].code, Code::SignatureMissing);
}

#[test]
fn w04_evil_assertion_wraps_the_signed_one() {
    let text = b_a();
    let original = assertion(&text).to_string();
    let evil = evil_assertion_copy(&text, "_evil_assertion_ID");
    let wrapped = edit(&evil, "</Assertion>", &format!("{original}</Assertion>"));
    let attacked = edit(&text, &original, &wrapped);
    assert_eq!(code(&attacked), Some(Code::SignatureMissing));
    let findings = inspect_findings(&attacked, &trust("rsa2048"));
    assert!(findings.iter().any(|f| f.code == Code::SignatureStructure
        && f.severity == Severity::Warning
        && f.message.contains("not verified")));
}

#[test]
fn w05_edited_in_place_pristine_copy_appended() {
    let text = b_a();
    let original = assertion(&text).to_string();
    let pristine = remove_all_signatures(&original);
    let evil = edit(
        &edit(&original, NAME_ID, EVIL_NAME_ID),
        &format!("ID=\"{ASSERTION_ID}\""),
        "ID=\"_evil_assertion_ID\"",
    );
    let attacked = edit(&text, &original, &format!("{evil}{pristine}"));
    assert_eq!(code(&attacked), Some(Code::SignatureReferenceInvalid));
}

#[test]
fn w06_pristine_copy_inside_signature() {
    let text = b_a();
    let original = assertion(&text).to_string();
    let pristine = remove_all_signatures(&original);
    let mut evil = edit(
        &edit(&original, NAME_ID, EVIL_NAME_ID),
        &format!("ID=\"{ASSERTION_ID}\""),
        "ID=\"_evil_assertion_ID\"",
    );
    evil = edit(&evil, "</KeyInfo>", &format!("</KeyInfo>{pristine}"));
    let attacked = edit(&text, &original, &evil);
    assert_eq!(code(&attacked), Some(Code::SignatureStructure));
}

#[test]
fn w07_same_id_copy_in_extensions() {
    let text = b_a();
    let copy = remove_all_signatures(&edit(assertion(&text), NAME_ID, EVIL_NAME_ID));
    let attacked = edit(
        &text,
        "<samlp:Status>",
        &format!("<samlp:Extensions>{copy}</samlp:Extensions><samlp:Status>"),
    );
    assert_eq!(code(&attacked), Some(Code::SignatureDuplicateId));
    // Inverted (OneUptime #2949): genuine hidden in Extensions, forged copy
    // with the same ID and the signature bytes in the normal position.
    let original = assertion(&text).to_string();
    let forged = edit(&original, NAME_ID, EVIL_NAME_ID);
    let moved = edit(&text, &original, &forged);
    let attacked = edit(
        &moved,
        "<samlp:Status>",
        &format!("<samlp:Extensions>{original}</samlp:Extensions><samlp:Status>"),
    );
    assert_eq!(code(&attacked), Some(Code::SignatureDuplicateId));
}

#[test]
fn w08_pristine_copy_in_object() {
    let text = b_a();
    let original = assertion(&text).to_string();
    let pristine = remove_all_signatures(&original);
    for object in [
        format!("<Object>{pristine}</Object>"),
        format!("<Object xmlns=\"\">{pristine}</Object>"),
    ] {
        let evil = edit(
            &edit(&original, NAME_ID, EVIL_NAME_ID),
            "</KeyInfo>",
            &format!("</KeyInfo>{object}"),
        );
        let attacked = edit(&text, &original, &evil);
        // The message level indexes IDs first: the copy repeats the ID.
        assert_eq!(
            code(&attacked),
            Some(Code::SignatureDuplicateId),
            "{object:.30}"
        );
        // The element level looks at the Signature's shape first.
        let doc = xml::parse(&attacked, &Limits::default()).unwrap();
        let a = doc
            .tree()
            .descendants()
            .find(|n| n.attribute("ID") == Some(ASSERTION_ID))
            .unwrap();
        let err = verify_element(&doc, a, &trust("rsa2048"), &Policy::default()).unwrap_err();
        assert_eq!(err.code(), Code::SignatureStructure, "{err}");
    }
}

#[test]
fn w09_second_signed_info() {
    let text = b_a();
    let si = slice(&text, "<SignedInfo>", "</SignedInfo>", 0).to_string();
    let evil_si = edit(&si, "<DigestValue>", "<DigestValue>AAAA");
    let attacked = edit(&text, "<KeyInfo>", &format!("{evil_si}<KeyInfo>"));
    let attacked = edit(&attacked, NAME_ID, EVIL_NAME_ID);
    assert_eq!(code(&attacked), Some(Code::SignatureStructure));
}

#[test]
fn w10_signed_original_in_status_detail_with_same_id() {
    let text = b_r();
    let body = text.clone();
    let mut evil = remove_all_signatures(&edit(&text, NAME_ID, EVIL_NAME_ID));
    evil = edit(
        &evil,
        "</samlp:Status>",
        &format!("<samlp:StatusDetail>{body}</samlp:StatusDetail></samlp:Status>"),
    );
    assert_eq!(code(&evil), Some(Code::SignatureDuplicateId));
}

#[test]
fn w11_multiple_assertions() {
    let text = b_a();
    let evil = evil_assertion_copy(&text, "_evil_2");
    for attacked in [
        edit(
            &text,
            "</samlp:Response>",
            &format!("{evil}</samlp:Response>"),
        ),
        edit(&text, "<Assertion ", &format!("{evil}<Assertion ")),
    ] {
        let doc = xml::parse(&attacked, &Limits::default()).unwrap();
        let msg = verify_message(&doc, &trust("rsa2048"), &Policy::default()).unwrap();
        assert_eq!(msg.assertions().len(), 2);
        let uncovered: Vec<_> = msg
            .assertions()
            .iter()
            .filter(|a| !a.is_covered())
            .collect();
        assert_eq!(uncovered.len(), 1);
        assert_eq!(uncovered[0].element().attribute("ID"), Some("_evil_2"));
        assert_eq!(msg.warnings()[0].code, Code::SignatureMissing);
    }
}

#[test]
fn w12_signed_assertion_moved_into_advice() {
    let text = b_a();
    let original = assertion(&text).to_string();
    let evil = evil_assertion_copy(&text, "_evil_advice");
    let evil = edit(
        &evil,
        "<Subject>",
        &format!("<Advice>{original}</Advice><Subject>"),
    );
    let attacked = edit(&text, &original, &evil);
    assert_eq!(code(&attacked), Some(Code::SignatureMissing));
    let findings = inspect_findings(&attacked, &trust("rsa2048"));
    assert!(
        findings.iter().any(|f| f.code == Code::SignatureStructure
            && f.severity == Severity::Warning
            && f.message.contains("not verified")),
        "{findings:?}"
    );
}

#[test]
fn w13_signature_moved_to_another_assertion() {
    let text = b_a();
    let original = assertion(&text).to_string();
    let sig = slice(&original, SIG_OPEN, SIG_CLOSE, 0).to_string();
    let genuine = remove_all_signatures(&original);
    let evil = evil_assertion_copy(&text, "_evil_w13");
    let evil = edit(&evil, "</Issuer>", &format!("</Issuer>{sig}"));
    let attacked = edit(&text, &original, &evil);
    let attacked = edit(
        &attacked,
        "<samlp:Status>",
        &format!("<samlp:Extensions>{genuine}</samlp:Extensions><samlp:Status>"),
    );
    assert_eq!(code(&attacked), Some(Code::SignatureReferenceInvalid));
}

#[test]
fn w14_signature_after_the_assertion() {
    let text = b_r();
    let sig = slice(&text, SIG_OPEN, SIG_CLOSE, 0).to_string();
    let moved = edit(&text, &sig, "");
    let moved = edit(
        &moved,
        "</samlp:Response>",
        &format!("{sig}</samlp:Response>"),
    );
    assert_eq!(code(&moved), Some(Code::SignatureStructure));
    // Crypto alone would accept it: the element-level check passes.
    let doc = xml::parse(&moved, &Limits::default()).unwrap();
    assert!(
        verify_element(
            &doc,
            doc.root_element(),
            &trust("rsa2048"),
            &Policy::default()
        )
        .is_ok()
    );
}

#[test]
fn w15_signed_metadata_embedded_in_unsigned_response() {
    let metadata = read_path("testdata/real-world/aad-common-federationmetadata-2017-signed.xml");
    let metadata = metadata.trim_start_matches("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let evil = remove_all_signatures(&edit(&b_a(), NAME_ID, EVIL_NAME_ID));
    let attacked = edit(
        &evil,
        "<samlp:Status>",
        &format!("<samlp:Extensions>{metadata}</samlp:Extensions><samlp:Status>"),
    );
    assert_eq!(code(&attacked), Some(Code::SignatureMissing));
}

#[test]
fn w16_only_the_verified_assertion_is_reachable() {
    let text = b_a();
    let attacked = edit(
        &text,
        "<samlp:Status>",
        "<Subject xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"><NameID>admin@contoso.com</NameID></Subject><samlp:Status>",
    );
    let attacked = edit(
        &attacked,
        "Destination=\"https://signin.aws.amazon.com/saml\"",
        "Destination=\"https://evil.example/\"",
    );
    let doc = xml::parse(&attacked, &Limits::default()).unwrap();
    let msg = verify_message(&doc, &trust("rsa2048"), &Policy::default()).unwrap();
    assert!(msg.response().is_none(), "the Response is not signed");
    let v = msg.assertions()[0].signature().unwrap();
    let names: Vec<String> = v
        .element()
        .descendants()
        .filter(|n| n.tag_name().name() == "NameID")
        .map(|n| element_text(n).unwrap().into_owned())
        .collect();
    assert_eq!(names, ["alice.example@contoso.com"]);
    assert!(
        v.element()
            .ancestors()
            .skip(1)
            .all(|a| a.attribute("ID") != Some(ASSERTION_ID))
    );
}

// ---------------------------------------------------------------- S family

#[test]
fn s01_stray_digest_value_elsewhere_is_never_read() {
    let text = b_a();
    let evil = edit(&text, NAME_ID, EVIL_NAME_ID);
    // The digest of the evil Assertion, computed as an attacker can.
    let d = {
        let doc = xml::parse(&evil, &Limits::default()).unwrap();
        let a = doc
            .tree()
            .descendants()
            .find(|n| n.attribute("ID") == Some(ASSERTION_ID))
            .unwrap();
        let sig = a
            .children()
            .find(|n| n.has_tag_name((NS_DS, "Signature")))
            .unwrap();
        let mut out = Vec::new();
        c14n::canonicalize_element(a, Some(sig.id()), &c14n::Method::exclusive(false), &mut out)
            .unwrap();
        b64(&hash(MessageDigest::sha256(), &out).unwrap())
    };
    for stray in [
        format!(
            "<ds:Reference xmlns:ds=\"{NS_DS}\"><ds:DigestValue>{d}</ds:DigestValue></ds:Reference>"
        ),
        format!("<ds:DigestValue xmlns:ds=\"{NS_DS}\">{d}</ds:DigestValue>"),
    ] {
        let attacked = edit(
            &evil,
            "<samlp:Status>",
            &format!("<samlp:Extensions>{stray}</samlp:Extensions><samlp:Status>"),
        );
        assert_eq!(code(&attacked), Some(Code::SignatureDigestMismatch));
        let inside = edit(&evil, "<NameID ", &format!("{stray}<NameID "));
        assert_eq!(code(&inside), Some(Code::SignatureDigestMismatch));
    }
}

#[test]
fn s02_comments_inside_digest_value() {
    let text = b_a();
    let dv = slice(&text, "<DigestValue>", "</DigestValue>", 0).to_string();
    let value = &dv["<DigestValue>".len()..dv.len() - "</DigestValue>".len()];
    let evil = edit(&text, NAME_ID, EVIL_NAME_ID);
    // The xml-crypto bypass: original value in a comment, anything as text.
    let attacked = edit(
        &evil,
        &dv,
        &format!("<DigestValue><!--{value}-->AAAA</DigestValue>"),
    );
    assert_eq!(code(&attacked), Some(Code::SignatureDigestMismatch));
    let attacked = edit(
        &evil,
        &dv,
        &format!(
            "<DigestValue><!--{value}-->47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=</DigestValue>"
        ),
    );
    assert_eq!(code(&attacked), Some(Code::SignatureDigestMismatch));
    // A value split by a comment is read whole: unmodified content verifies,
    // modified content does not.
    let (a, b) = value.split_at(10);
    let split = format!("<DigestValue>{a}<!---->{b}</DigestValue>");
    assert_eq!(code(&edit(&text, &dv, &split)), None);
    assert_eq!(
        code(&edit(&evil, &dv, &split)),
        Some(Code::SignatureDigestMismatch)
    );
    // A comment after the value: same.
    let after = format!("<DigestValue>{value}<!--x--></DigestValue>");
    assert_eq!(code(&edit(&text, &dv, &after)), None);
    // A PI is part of SignedInfo's canonical form: the signature breaks.
    let pi = format!("<DigestValue><?x {value}?>{value}</DigestValue>");
    assert_eq!(code(&edit(&text, &dv, &pi)), Some(Code::SignatureInvalid));
    // CDATA is text: identical canonical bytes.
    let cdata = format!("<DigestValue><![CDATA[{value}]]></DigestValue>");
    assert_eq!(code(&edit(&text, &dv, &cdata)), None);
}

#[test]
fn s03_second_or_reordered_signed_info_and_prefixes() {
    let text = b_a();
    let si = slice(&text, "<SignedInfo>", "</SignedInfo>", 0).to_string();
    let evil_si = edit(&si, "<DigestValue>", "<DigestValue>AAAA");
    // (a) appended, (b) first.
    let a = edit(&text, "</KeyInfo>", &format!("</KeyInfo>{evil_si}"));
    assert_eq!(code(&a), Some(Code::SignatureStructure));
    let b = edit(&text, &si, &format!("{evil_si}{si}"));
    assert_eq!(code(&b), Some(Code::SignatureStructure));
    // (d) SignatureValue, KeyInfo, SignedInfo.
    let sv = slice(&text, "<SignatureValue>", "</SignatureValue>", 0).to_string();
    let ki = slice(&text, "<KeyInfo>", "</KeyInfo>", 0).to_string();
    let d = edit(&text, &format!("{si}{sv}{ki}"), &format!("{sv}{ki}{si}"));
    assert_eq!(code(&d), Some(Code::SignatureStructure));
    // (c) a different prefix for the same namespace, and xmlns:ds="" nowhere
    // relevant: prefixes are not semantic, the signature still verifies.
    let sig = slice(&text, SIG_OPEN, SIG_CLOSE, 0).to_string();
    let prefixed = sig
        .replace("<", "<dsx:")
        .replace("<dsx:/", "</dsx:")
        .replacen(
            "<dsx:Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">",
            "<dsx:Signature xmlns:dsx=\"http://www.w3.org/2000/09/xmldsig#\">",
            1,
        );
    let c = edit(&text, &sig, &prefixed);
    // The prefix is part of SignedInfo's canonical bytes: re-prefixing after
    // signing breaks the signature, but is not a shape error.
    assert_eq!(code(&c), Some(Code::SignatureInvalid));
    // Signed as it is (IDPKEY), the dsx: prefix verifies: parts are found by
    // namespace URI, not by prefix.
    let c = resign(
        &c,
        &Scheme::Rsa(MessageDigest::sha256()),
        &private_key("rsa2048"),
    );
    assert_eq!(code(&c), None);
    // (c)+(a): still refused.
    let ca = edit(&c, "</dsx:KeyInfo>", &format!("</dsx:KeyInfo>{evil_si}"));
    assert_eq!(code(&ca), Some(Code::SignatureStructure));
    // Same local names in another namespace are not the Signature's parts.
    let foreign = edit(&text, "<SignedInfo>", "<SignedInfo xmlns=\"urn:evil\">");
    assert_eq!(code(&foreign), Some(Code::SignatureStructure));
}

#[test]
fn s04_several_references_are_refused() {
    let base = unsigned_response();
    let base = edit(&base, "<Subject>", "<Subject ID=\"_subject\">");
    let key = private_key("rsa2048");
    for refs in [
        vec![format!("#{ASSERTION_ID}"), "#_subject".to_string()],
        vec!["#_subject".to_string(), format!("#{ASSERTION_ID}")],
    ] {
        let mut spec = Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048"));
        spec.references = refs;
        let signed = sign(&base, ASSERTION_ID, &spec, &key);
        assert_eq!(code(&signed), Some(Code::SignatureReferenceInvalid));
        let evil = edit(&signed, NAME_ID, EVIL_NAME_ID);
        assert_eq!(code(&evil), Some(Code::SignatureReferenceInvalid));
    }
}

#[test]
fn s05_zero_wrong_and_dangling_references() {
    let base = unsigned_response();
    let base = edit(&base, "<Subject>", "<Subject ID=\"_subject\">");
    let key = private_key("rsa2048");
    let der = cert_der("rsa2048");
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
    spec.references = vec![];
    assert_eq!(
        code(&sign(&base, ASSERTION_ID, &spec, &key)),
        Some(Code::SignatureReferenceInvalid)
    );
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
    spec.references = vec!["#_subject".into()];
    assert_eq!(
        code(&sign(&base, ASSERTION_ID, &spec, &key)),
        Some(Code::SignatureReferenceInvalid)
    );
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
    spec.references = vec![format!("#{RESPONSE_ID}")];
    assert_eq!(
        code(&sign(&base, ASSERTION_ID, &spec, &key)),
        Some(Code::SignatureReferenceInvalid)
    );
    // NOKEY: a dangling ID is refused before any crypto.
    let dangling = edit(
        &b_a(),
        &format!("URI=\"#{ASSERTION_ID}\""),
        "URI=\"#nonexistent\"",
    );
    assert_eq!(code(&dangling), Some(Code::SignatureReferenceInvalid));
}

#[test]
fn s06_reference_uri_forms() {
    let text = b_a();
    let from = format!("URI=\"#{ASSERTION_ID}\"");
    for uri in [
        "#x&apos; or &apos;1&apos;=&apos;1".to_string(),
        format!("#{ASSERTION_ID} "),
        "#".into(),
        "#xpointer(/)".into(),
        format!("#xpointer(id(&apos;{ASSERTION_ID}&apos;))"),
        "#element(/1/2)".into(),
        "http://127.0.0.1:1/".into(),
        "file:///etc/passwd".into(),
        format!("#{ASSERTION_ID}#{ASSERTION_ID}"),
        String::new(),
    ] {
        let attacked = edit(&text, &from, &format!("URI=\"{uri}\""));
        assert_eq!(
            code(&attacked),
            Some(Code::SignatureReferenceInvalid),
            "{uri}"
        );
    }
    // IDPKEY: an Assertion signature with URI="" signed for real.
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048"));
    spec.references = vec![String::new()];
    let signed = sign(
        &unsigned_response(),
        ASSERTION_ID,
        &spec,
        &private_key("rsa2048"),
    );
    assert_eq!(code(&signed), Some(Code::SignatureReferenceInvalid));
}

#[test]
fn s07_transform_allow_list() {
    let base = unsigned_response();
    let key = private_key("rsa2048");
    let der = cert_der("rsa2048");
    let xpath = "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><XPath>not(ancestor-or-self::*[local-name()='Subject'])</XPath></Transform>".to_string();
    let xslt = "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>".to_string();
    let refused: Vec<Vec<String>> = vec![
        vec![enveloped(), xpath, transform(alg::EXC_C14N)],
        vec![enveloped(), xslt],
        vec![transform(alg::EXC_C14N)],
        vec![
            enveloped(),
            transform(alg::EXC_C14N),
            transform(alg::EXC_C14N),
        ],
        vec![enveloped(), transform(alg::C14N11)],
        vec![enveloped(), transform(alg::EXC_C14N_WITH_COMMENTS)],
        vec![enveloped(), transform(alg::C14N10_WITH_COMMENTS)],
        vec![
            enveloped(),
            transform("http://www.w3.org/2000/09/xmldsig#base64"),
        ],
        vec![enveloped(), transform("urn:x")],
        vec![enveloped(), enveloped()],
        vec![],
    ];
    for chain in refused {
        let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
        spec.transforms = Some(chain.clone());
        let signed = sign(&base, ASSERTION_ID, &spec, &key);
        assert_eq!(
            code(&signed),
            Some(Code::SignatureTransformNotAllowed),
            "{chain:?}"
        );
    }
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
    spec.transforms = None;
    assert_eq!(
        code(&sign(&base, ASSERTION_ID, &spec, &key)),
        Some(Code::SignatureTransformNotAllowed)
    );
    // Accepted: [enveloped, exc-c14n] with and without PrefixList,
    // [enveloped] alone, [enveloped, c14n 1.0].
    let prefix = format!(
        "<Transform Algorithm=\"{}\"><InclusiveNamespaces xmlns=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"xs #default\"/></Transform>",
        alg::EXC_C14N
    );
    let accepted = [
        (
            vec![enveloped(), prefix],
            c14n::Method::exclusive(false).with_prefix_list("xs #default"),
        ),
        (vec![enveloped()], c14n::Method::inclusive(false)),
        (
            vec![enveloped(), transform(alg::C14N10)],
            c14n::Method::inclusive(false),
        ),
    ];
    for (chain, method) in accepted {
        let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
        spec.transforms = Some(chain.clone());
        spec.digest_c14n = method;
        assert_eq!(
            code(&sign(&base, ASSERTION_ID, &spec, &key)),
            None,
            "{chain:?}"
        );
    }
    // Inclusive c14n for SignedInfo too.
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
    spec.c14n = alg::C14N10.into();
    assert_eq!(code(&sign(&base, ASSERTION_ID, &spec, &key)), None);
    spec.c14n = alg::EXC_C14N_WITH_COMMENTS.into();
    assert_eq!(
        code(&sign(&base, ASSERTION_ID, &spec, &key)),
        Some(Code::SignatureAlgorithmNotAllowed)
    );
}

#[test]
fn s08_id_attribute_confusion() {
    let text = b_a();
    for attr in ["Id", "AssertionID", "xml:id", "id"] {
        let evil = evil_assertion_copy(&text, "_unused");
        let evil = edit(
            &evil,
            "ID=\"_unused\"",
            &format!("{attr}=\"{ASSERTION_ID}\""),
        );
        let attacked = edit(&text, "<Assertion ", &format!("{evil}<Assertion "));
        assert_eq!(code(&attacked), Some(Code::SignatureDuplicateId), "{attr}");
    }
    // (d) an extra attribute on the signed Assertion changes its digest.
    let d = edit(
        &text,
        &format!("ID=\"{ASSERTION_ID}\""),
        &format!("ID=\"{ASSERTION_ID}\" Id=\"other\""),
    );
    assert_eq!(code(&d), Some(Code::SignatureDigestMismatch));
    // (e) IDPKEY: an element that only has Id cannot be referenced.
    let base = edit(
        &unsigned_response(),
        &format!("ID=\"{ASSERTION_ID}\""),
        &format!("Id=\"{ASSERTION_ID}\""),
    );
    let spec = Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048"));
    let signed = sign(&base, ASSERTION_ID, &spec, &private_key("rsa2048"));
    assert_eq!(code(&signed), Some(Code::SignatureReferenceInvalid));
}

#[test]
fn s09_malformed_signature_element() {
    let text = b_a();
    let sv = slice(&text, "<SignatureValue>", "</SignatureValue>", 0).to_string();
    let garbage = "<SignatureValue>AAAA</SignatureValue>";
    assert_eq!(
        code(&edit(&text, &sv, &format!("{garbage}{sv}"))),
        Some(Code::SignatureStructure)
    );
    assert_eq!(
        code(&edit(&text, &sv, &format!("{sv}{garbage}"))),
        Some(Code::SignatureStructure)
    );
    let ki = slice(&text, "<KeyInfo>", "</KeyInfo>", 0).to_string();
    let no_ki = edit(&text, &ki, "");
    let ki_first = edit(&no_ki, "<SignedInfo>", &format!("{ki}<SignedInfo>"));
    assert_eq!(code(&ki_first), Some(Code::SignatureStructure));
    assert_eq!(
        code(&edit(&text, "</KeyInfo>", "</KeyInfo><Object/>")),
        Some(Code::SignatureStructure)
    );
    assert_eq!(
        code(&edit(
            &text,
            "</KeyInfo>",
            "</KeyInfo><Object><Manifest/></Object>"
        )),
        Some(Code::SignatureStructure)
    );
    let sm = format!("<SignatureMethod Algorithm=\"{}\"/>", alg::RSA_SHA256);
    assert_eq!(code(&edit(&text, &sm, "")), Some(Code::SignatureStructure));
    // Line breaks every 64 characters are fine.
    let value = &sv["<SignatureValue>".len()..sv.len() - "</SignatureValue>".len()];
    let wrapped: String = value
        .as_bytes()
        .chunks(64)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect();
    assert_eq!(code(&edit(&text, value, &wrapped)), None);
    // Non-base64 is malformed, never a panic.
    assert_eq!(
        code(&edit(&text, value, &format!("*{value}"))),
        Some(Code::SignatureStructure)
    );
    // A Signature in no namespace (xmlns="") is no signature at all.
    assert_eq!(
        code(&edit(&text, SIG_OPEN, "<Signature xmlns=\"\">")),
        Some(Code::SignatureMissing)
    );
}

// ---------------------------------------------------------------- K family

#[test]
fn k01_attacker_key_in_keyinfo() {
    let (key, der) = generated("rsa2048");
    let evil = edit(&unsigned_response(), NAME_ID, EVIL_NAME_ID);
    let spec = Spec::rsa_sha256(ASSERTION_ID, &der);
    let signed = sign(&evil, ASSERTION_ID, &spec, &key);
    assert_eq!(code(&signed), Some(Code::SignatureUntrustedKey));
    // With the attacker cert trusted, the same document verifies: the signer works.
    let attacker = TrustedKeys::from_der_certificates([&der]).unwrap();
    assert_eq!(outcome(&signed, &attacker, &Policy::default()), None);
    // Both certificates in KeyInfo (either order): the trusted one fails.
    let genuine = cert_der("rsa2048");
    for pair in [[&genuine, &der], [&der, &genuine]] {
        let mut spec = spec.clone();
        spec.key_info = format!(
            "<KeyInfo><X509Data><X509Certificate>{}</X509Certificate><X509Certificate>{}</X509Certificate></X509Data></KeyInfo>",
            b64(pair[0]),
            b64(pair[1])
        );
        assert_eq!(
            code(&sign(&evil, ASSERTION_ID, &spec, &key)),
            Some(Code::SignatureInvalid)
        );
    }
    // A bare RSAKeyValue names no certificate: plain invalid.
    let mut spec = spec.clone();
    spec.key_info = "<KeyInfo><KeyValue><RSAKeyValue><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent></RSAKeyValue></KeyValue></KeyInfo>".into();
    assert_eq!(
        code(&sign(&evil, ASSERTION_ID, &spec, &key)),
        Some(Code::SignatureInvalid)
    );
}

#[test]
fn k02_keyinfo_is_only_a_hint() {
    let text = b_a();
    let ki = slice(&text, "<KeyInfo>", "</KeyInfo>", 0).to_string();
    let cert = slice(&ki, "<X509Certificate>", "</X509Certificate>", 0).to_string();
    // (a) no KeyInfo.
    assert_eq!(code(&edit(&text, &ki, "")), None);
    // (b) another valid certificate: the trusted key still verifies.
    let other = format!(
        "<X509Certificate>{}</X509Certificate>",
        b64(&cert_der("rsa3072"))
    );
    assert_eq!(code(&edit(&text, &cert, &other)), None);
    // (c) garbage and base64-of-PEM.
    assert_eq!(
        code(&edit(
            &text,
            &cert,
            "<X509Certificate>***</X509Certificate>"
        )),
        None
    );
    let pem_b64 = format!(
        "<X509Certificate>{}</X509Certificate>",
        b64(read("rsa2048.cert.pem").as_bytes())
    );
    assert_eq!(code(&edit(&text, &cert, &pem_b64)), None);
    // (d) RetrievalMethod to the network: ignored, never followed.
    let rm = edit(
        &text,
        "<KeyInfo>",
        "<KeyInfo><RetrievalMethod URI=\"http://127.0.0.1:1/\"/>",
    );
    assert_eq!(code(&rm), None);
    // Rollover: both pinned accepted; only the other pinned refused.
    let mut two = trust("rsa3072");
    two.extend(trust("rsa2048"));
    assert_eq!(outcome(&text, &two, &Policy::default()), None);
    assert_eq!(
        outcome(&text, &trust("rsa3072"), &Policy::default()),
        Some(Code::SignatureUntrustedKey)
    );
}

#[test]
fn k03_no_trust_fails_closed() {
    assert_eq!(
        outcome(&b_a(), &TrustedKeys::new(), &Policy::default()),
        Some(Code::SignatureNoTrustConfigured)
    );
    let mut pem = read("rsa2048.cert.pem");
    pem.push_str("trailing garbage");
    assert!(TrustedKeys::from_pem(pem.as_bytes()).is_err());
    assert!(TrustedKeys::from_pem(b"").is_err());
}

fn sha1_spec(sig: &str, scheme_md: MessageDigest, digest: &str, digest_md: MessageDigest) -> Spec {
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048"));
    spec.signature_method = sig.into();
    spec.scheme = Scheme::Rsa(scheme_md);
    spec.digest_method = digest.into();
    spec.digest = digest_md;
    spec
}

#[test]
fn k05_k06_hmac_is_refused_before_any_crypto() {
    let base = edit(&unsigned_response(), NAME_ID, EVIL_NAME_ID);
    let genuine = cert_der("rsa2048");
    let pem = read("rsa2048.cert.pem");
    // (OpenSSL refuses an empty HMAC key outright.)
    for secret in [genuine.clone(), pem.into_bytes(), b"\x00".to_vec()] {
        let mut spec = Spec::rsa_sha256(ASSERTION_ID, &genuine);
        spec.signature_method = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256".into();
        spec.scheme = Scheme::Hmac(MessageDigest::sha256(), secret.clone());
        let signed = sign(&base, ASSERTION_ID, &spec, &private_key("rsa2048"));
        assert_eq!(code(&signed), Some(Code::SignatureAlgorithmNotAllowed));
        assert_eq!(
            outcome(&signed, &trust("rsa2048"), &allow_sha1()),
            Some(Code::SignatureAlgorithmNotAllowed)
        );
        for len in [0, 1, 8, 40, 80, 128] {
            let mut spec = spec.clone();
            spec.signature_method = "http://www.w3.org/2000/09/xmldsig#hmac-sha1".into();
            spec.scheme = Scheme::Hmac(MessageDigest::sha1(), secret.clone());
            spec.signature_method_inner = format!("<HMACOutputLength>{len}</HMACOutputLength>");
            let signed = sign(&base, ASSERTION_ID, &spec, &private_key("rsa2048"));
            assert_eq!(code(&signed), Some(Code::SignatureAlgorithmNotAllowed));
        }
    }
    // K06 NOKEY: HMACOutputLength inside an RSA SignatureMethod.
    let sm = format!("<SignatureMethod Algorithm=\"{}\"/>", alg::RSA_SHA256);
    let with_len = format!(
        "<SignatureMethod Algorithm=\"{}\"><HMACOutputLength>0</HMACOutputLength></SignatureMethod>",
        alg::RSA_SHA256
    );
    assert_eq!(
        code(&edit(&b_a(), &sm, &with_len)),
        Some(Code::SignatureStructure)
    );
}

#[test]
fn k07_sha1_needs_the_opt_in() {
    let base = unsigned_response();
    let key = private_key("rsa2048");
    let cases = [
        sha1_spec(
            alg::RSA_SHA1,
            MessageDigest::sha1(),
            alg::DIGEST_SHA1,
            MessageDigest::sha1(),
        ),
        sha1_spec(
            alg::RSA_SHA256,
            MessageDigest::sha256(),
            alg::DIGEST_SHA1,
            MessageDigest::sha1(),
        ),
        sha1_spec(
            alg::RSA_SHA1,
            MessageDigest::sha1(),
            alg::DIGEST_SHA256,
            MessageDigest::sha256(),
        ),
    ];
    for spec in cases {
        let signed = sign(&base, ASSERTION_ID, &spec, &key);
        assert_eq!(
            code(&signed),
            Some(Code::SignatureAlgorithmNotAllowed),
            "{}",
            spec.signature_method
        );
        assert_eq!(
            outcome(&signed, &trust("rsa2048"), &allow_sha1()),
            None,
            "{}",
            spec.signature_method
        );
    }
    // ecdsa-sha1 and sha1-rsa-MGF1 likewise.
    let mut spec = sha1_spec(
        alg::ECDSA_SHA1,
        MessageDigest::sha1(),
        alg::DIGEST_SHA256,
        MessageDigest::sha256(),
    );
    spec.scheme = Scheme::Ecdsa(MessageDigest::sha1(), 32);
    spec.key_info = key_info_for(&cert_der("ecp256"));
    let signed = sign(&base, ASSERTION_ID, &spec, &private_key("ecp256"));
    assert_eq!(
        outcome(&signed, &trust("ecp256"), &Policy::default()),
        Some(Code::SignatureAlgorithmNotAllowed)
    );
    assert_eq!(outcome(&signed, &trust("ecp256"), &allow_sha1()), None);
    let mut spec = sha1_spec(
        alg::RSA_PSS_SHA1_MGF1,
        MessageDigest::sha1(),
        alg::DIGEST_SHA256,
        MessageDigest::sha256(),
    );
    spec.scheme = Scheme::RsaPss(MessageDigest::sha1());
    let signed = sign(&base, ASSERTION_ID, &spec, &key);
    assert_eq!(code(&signed), Some(Code::SignatureAlgorithmNotAllowed));
    assert_eq!(outcome(&signed, &trust("rsa2048"), &allow_sha1()), None);
}

#[test]
fn k08_weak_unknown_and_mismatched_algorithms() {
    let base = unsigned_response();
    // RSA-1024: refused unless the weak-key knob is on.
    let (key, der) = generated("rsa1024");
    let weak = TrustedKeys::from_der_certificates([&der]).unwrap();
    let signed = sign(
        &base,
        ASSERTION_ID,
        &Spec::rsa_sha256(ASSERTION_ID, &der),
        &key,
    );
    assert_eq!(
        outcome(&signed, &weak, &Policy::default()),
        Some(Code::SignatureAlgorithmNotAllowed)
    );
    let knob = Policy {
        allow_weak_rsa_1024: true,
        ..Policy::default()
    };
    assert_eq!(outcome(&signed, &weak, &knob), None);
    // Policy comes before hashing: a tampered document is refused for the
    // weak key, not reported as a digest mismatch.
    let tampered = edit(&signed, NAME_ID, EVIL_NAME_ID);
    assert_eq!(
        outcome(&tampered, &weak, &Policy::default()),
        Some(Code::SignatureAlgorithmNotAllowed)
    );
    assert_eq!(
        outcome(&tampered, &weak, &knob),
        Some(Code::SignatureDigestMismatch)
    );
    // An RSA key cannot make ecdsa-sha256 (NOKEY: just the URI).
    let text = b_a();
    let sm = format!("Algorithm=\"{}\"", alg::RSA_SHA256);
    let ec_uri = edit(&text, &sm, &format!("Algorithm=\"{}\"", alg::ECDSA_SHA256));
    assert_eq!(code(&ec_uri), Some(Code::SignatureAlgorithmNotAllowed));
    // MD5, DSA, unknown, c14n 1.1 / urn:x as CanonicalizationMethod.
    let dm = format!("Algorithm=\"{}\"", alg::DIGEST_SHA256);
    let md5 = edit(
        &text,
        &dm,
        "Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#md5\"",
    );
    assert_eq!(code(&md5), Some(Code::SignatureAlgorithmNotAllowed));
    for uri in [
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
        "urn:x",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
    ] {
        assert_eq!(
            code(&edit(&text, &sm, &format!("Algorithm=\"{uri}\""))),
            Some(Code::SignatureAlgorithmNotAllowed),
            "{uri}"
        );
    }
    let cm = format!("<CanonicalizationMethod Algorithm=\"{}\"/>", alg::EXC_C14N);
    for uri in ["urn:x", alg::C14N11, alg::EXC_C14N_WITH_COMMENTS] {
        let t = edit(
            &text,
            &cm,
            &format!("<CanonicalizationMethod Algorithm=\"{uri}\"/>"),
        );
        assert_eq!(code(&t), Some(Code::SignatureAlgorithmNotAllowed), "{uri}");
    }
    // P-256 with ecdsa-sha512: allowed (the spec pairs any curve with any hash).
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &cert_der("ecp256"));
    spec.signature_method = alg::ECDSA_SHA512.into();
    spec.scheme = Scheme::Ecdsa(MessageDigest::sha512(), 32);
    let signed = sign(&base, ASSERTION_ID, &spec, &private_key("ecp256"));
    assert_eq!(outcome(&signed, &trust("ecp256"), &Policy::default()), None);
}

#[test]
fn positive_round_trips_pss_sha384_sha512_p384_p521() {
    let base = unsigned_response();
    let key = private_key("rsa2048");
    let der = cert_der("rsa2048");
    let rsa_cases = [
        (
            alg::RSA_SHA384,
            Scheme::Rsa(MessageDigest::sha384()),
            SignatureScheme::RsaPkcs1,
        ),
        (
            alg::RSA_SHA512,
            Scheme::Rsa(MessageDigest::sha512()),
            SignatureScheme::RsaPkcs1,
        ),
        (
            alg::RSA_PSS_SHA256_MGF1,
            Scheme::RsaPss(MessageDigest::sha256()),
            SignatureScheme::RsaPss,
        ),
        (
            alg::RSA_PSS_SHA384_MGF1,
            Scheme::RsaPss(MessageDigest::sha384()),
            SignatureScheme::RsaPss,
        ),
        (
            alg::RSA_PSS_SHA512_MGF1,
            Scheme::RsaPss(MessageDigest::sha512()),
            SignatureScheme::RsaPss,
        ),
    ];
    for (uri, scheme, expected) in rsa_cases {
        for (digest_uri, md) in [
            (alg::DIGEST_SHA384, MessageDigest::sha384()),
            (alg::DIGEST_SHA512, MessageDigest::sha512()),
        ] {
            let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
            spec.signature_method = uri.into();
            spec.scheme = scheme.clone();
            spec.digest_method = digest_uri.into();
            spec.digest = md;
            let signed = sign(&base, ASSERTION_ID, &spec, &key);
            let doc = xml::parse(&signed, &Limits::default()).unwrap();
            let msg = verify_message(&doc, &trust("rsa2048"), &Policy::default())
                .unwrap_or_else(|e| panic!("{uri}: {e}"));
            let algs = msg.assertions()[0].signature().unwrap().algorithms();
            assert_eq!(algs.signature.scheme, expected);
            assert_eq!(algs.signature.uri(), uri);
            assert_eq!(algs.digest.uri(), digest_uri);
            // The same bytes under PKCS#1 v1.5 and PSS are not interchangeable.
            let swapped = if uri.contains("MGF1") {
                edit(&signed, uri, alg::RSA_SHA256)
            } else {
                edit(&signed, uri, alg::RSA_PSS_SHA256_MGF1)
            };
            assert_eq!(code(&swapped), Some(Code::SignatureInvalid), "{uri}");
        }
    }
    for (kind, field, uri, md) in [
        ("p384", 48, alg::ECDSA_SHA384, MessageDigest::sha384()),
        ("p521", 66, alg::ECDSA_SHA512, MessageDigest::sha512()),
    ] {
        let (key, der) = generated(kind);
        let trust = TrustedKeys::from_der_certificates([&der]).unwrap();
        let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der);
        spec.signature_method = uri.into();
        spec.scheme = Scheme::Ecdsa(md, field);
        let signed = sign(&base, ASSERTION_ID, &spec, &key);
        assert_eq!(outcome(&signed, &trust, &Policy::default()), None, "{kind}");
        // The fixture's P-256 key does not verify it.
        assert_eq!(
            outcome(&signed, &support::trust("ecp256"), &Policy::default()),
            Some(Code::SignatureUntrustedKey)
        );
    }
}

#[test]
fn k09_ecdsa_encodings() {
    let base = unsigned_response();
    let der_cert = cert_der("ecp256");
    let mut spec = Spec::rsa_sha256(ASSERTION_ID, &der_cert);
    spec.signature_method = alg::ECDSA_SHA256.into();
    spec.scheme = Scheme::Ecdsa(MessageDigest::sha256(), 32);
    let signed = sign(&base, ASSERTION_ID, &spec, &private_key("ecp256"));
    let t = trust("ecp256");
    assert_eq!(outcome(&signed, &t, &Policy::default()), None);
    let sv = slice(&signed, "<SignatureValue>", "</SignatureValue>", 0).to_string();
    let value = &sv["<SignatureValue>".len()..sv.len() - "</SignatureValue>".len()];
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(value)
        .unwrap();
    assert_eq!(raw.len(), 64);
    let with = |bytes: &[u8]| edit(&signed, value, &b64(bytes));
    // DER: refused by default, accepted with the knob.
    let der = raw_to_der(&raw);
    assert_eq!(
        outcome(&with(&der), &t, &Policy::default()),
        Some(Code::SignatureInvalid)
    );
    let knob = Policy {
        allow_der_ecdsa_signature: true,
        ..Policy::default()
    };
    assert_eq!(outcome(&with(&der), &t, &knob), None);
    // Left-padded (66 bytes), truncated (63), r = 0, s = n.
    let mut padded = vec![0u8];
    padded.extend_from_slice(&raw[..32]);
    padded.push(0);
    padded.extend_from_slice(&raw[32..]);
    assert_eq!(
        outcome(&with(&padded), &t, &knob),
        Some(Code::SignatureInvalid)
    );
    assert_eq!(
        outcome(&with(&raw[1..]), &t, &Policy::default()),
        Some(Code::SignatureInvalid)
    );
    let mut r0 = raw.clone();
    r0[..32].fill(0);
    assert_eq!(
        outcome(&with(&r0), &t, &Policy::default()),
        Some(Code::SignatureInvalid)
    );
    let n = openssl::bn::BigNum::from_hex_str(
        "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
    )
    .unwrap();
    let mut s_n = raw[..32].to_vec();
    s_n.extend(n.to_vec_padded(32).unwrap());
    assert_eq!(
        outcome(&with(&s_n), &t, &Policy::default()),
        Some(Code::SignatureInvalid)
    );
    // n - s verifies: ECDSA is malleable (key replay caches on the Assertion
    // ID, never on SignatureValue).
    let s = openssl::bn::BigNum::from_slice(&raw[32..]).unwrap();
    let mut ns = openssl::bn::BigNum::new().unwrap();
    ns.checked_sub(&n, &s).unwrap();
    let mut high = raw[..32].to_vec();
    high.extend(ns.to_vec_padded(32).unwrap());
    assert_eq!(outcome(&with(&high), &t, &Policy::default()), None);
}

// ---------------------------------------------------------------- C family

#[test]
fn c01_comment_injected_before_signing_verifies_and_reads_whole() {
    let base = edit(
        &unsigned_response(),
        NAME_ID,
        "admin@evil.com<!---->.example.org</NameID>",
    );
    let spec = Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048"));
    let signed = sign(&base, ASSERTION_ID, &spec, &private_key("rsa2048"));
    let doc = xml::parse(&signed, &Limits::default()).unwrap();
    let msg = verify_message(&doc, &trust("rsa2048"), &Policy::default()).unwrap();
    let verified = msg.assertions()[0].signature().unwrap().element();
    let name_id = verified
        .descendants()
        .find(|n| n.tag_name().name() == "NameID")
        .unwrap();
    assert_eq!(element_text(name_id).unwrap(), "admin@evil.com.example.org");
    // The comment is not signed: moving it keeps the signature valid and the value whole.
    let moved = edit(
        &signed,
        "admin@evil.com<!---->.example.org",
        "<!---->admin@evil.com.example.org<!--x-->",
    );
    assert_eq!(code(&moved), None);
    // An element child is not text.
    let with_child = edit(&signed, "<!---->", "<b/>");
    let doc = xml::parse(&with_child, &Limits::default()).unwrap();
    let name_id = doc
        .tree()
        .descendants()
        .find(|n| n.tag_name().name() == "NameID")
        .unwrap();
    assert!(element_text(name_id).is_none());
}

#[test]
fn c02_cdata() {
    let text = b_a();
    let same = edit(
        &text,
        NAME_ID,
        "<![CDATA[alice.example@contoso.com]]></NameID>",
    );
    assert_eq!(code(&same), None);
    let more = edit(
        &text,
        NAME_ID,
        "alice.example@contoso.com<![CDATA[.evil.com]]></NameID>",
    );
    assert_eq!(code(&more), Some(Code::SignatureDigestMismatch));
}

#[test]
fn c03_processing_instructions() {
    let text = b_a();
    let middle = edit(
        &text,
        NAME_ID,
        "alice.example<?evil .evil.com?>@contoso.com</NameID>",
    );
    assert_eq!(code(&middle), Some(Code::SignatureDigestMismatch));
    let end = edit(
        &text,
        NAME_ID,
        "alice.example@contoso.com<?evil .evil.com?></NameID>",
    );
    assert_eq!(code(&end), Some(Code::SignatureDigestMismatch));
    let si = edit(&text, "<SignatureMethod ", "<?evil x?><SignatureMethod ");
    assert_eq!(code(&si), Some(Code::SignatureInvalid));
    let before_root = format!("<?evil x?>{text}");
    assert_eq!(code(&before_root), None);
}

#[test]
fn c04_character_references_and_entities() {
    let text = b_a();
    let charref = edit(&text, NAME_ID, "alice.example&#x40;contoso.com</NameID>");
    assert_eq!(code(&charref), None);
    let with_dtd = format!("<!DOCTYPE r [<!ENTITY id \"{ASSERTION_ID}\">]>{text}");
    let err = xml::parse(&with_dtd, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), Code::XmlDtdForbidden);
}

#[test]
fn c05_namespace_redefinition() {
    let text = b_a();
    // (a) NameID moved into another namespace.
    let a = edit(&text, "<Subject>", "<Subject xmlns:saml=\"urn:evil\">");
    let a = edit(&a, "<NameID ", "<saml:NameID ");
    let a = edit(&a, "</NameID>", "</saml:NameID>");
    assert_eq!(code(&a), Some(Code::SignatureDigestMismatch));
    // (c) xmlns="" on the Signature: no ds:Signature any more.
    let c = edit(&text, SIG_OPEN, "<Signature xmlns=\"\">");
    assert_eq!(code(&c), Some(Code::SignatureMissing));
    // (d) duplicate attribute through two prefixes of one namespace.
    let d = edit(
        &text,
        "<Subject>",
        "<Subject xmlns:a=\"urn:x\" xmlns:b=\"urn:x\" a:ID=\"1\" b:ID=\"2\">",
    );
    assert_eq!(
        xml::parse(&d, &Limits::default()).unwrap_err().code(),
        Code::XmlMalformed
    );
    // (b) a QName in content whose prefix is bound outside the signed
    // Assertion is NOT protected (documented; readers must not trust it).
    let base = edit(
        &unsigned_response(),
        "<samlp:Response ",
        "<samlp:Response xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
    );
    let base = edit(
        &base,
        "<AttributeValue>Alice</AttributeValue>",
        "<AttributeValue xsi:type=\"xs:string\">Alice</AttributeValue>",
    );
    let signed = sign(
        &base,
        ASSERTION_ID,
        &Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048")),
        &private_key("rsa2048"),
    );
    assert_eq!(code(&signed), None);
    let rebound = edit(
        &signed,
        "xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"",
        "xmlns:xs=\"urn:evil\"",
    );
    assert_eq!(code(&rebound), None);
}

#[test]
fn c06_with_comments_is_refused() {
    let text = b_a();
    let t = format!("<Transform Algorithm=\"{}\"/>", alg::EXC_C14N);
    let wc = edit(
        &text,
        &t,
        &format!("<Transform Algorithm=\"{}\"/>", alg::EXC_C14N_WITH_COMMENTS),
    );
    assert_eq!(code(&wc), Some(Code::SignatureTransformNotAllowed));
}

#[test]
fn c07_line_endings_and_attribute_normalisation() {
    let text = b_a();
    // The fixture has no line breaks in content; add some between elements.
    let spaced = text
        .replace("><Subject>", ">\n<Subject>")
        .replace("><Conditions ", ">\n<Conditions ");
    let signed_spaced = {
        let base = remove_all_signatures(&spaced);
        sign(
            &base,
            ASSERTION_ID,
            &Spec::rsa_sha256(ASSERTION_ID, &cert_der("rsa2048")),
            &private_key("rsa2048"),
        )
    };
    assert_eq!(code(&signed_spaced), None);
    assert_eq!(code(&signed_spaced.replace('\n', "\r\n")), None);
    assert_eq!(code(&signed_spaced.replace('\n', "\r")), None);
    let space = edit(
        &text,
        "Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"",
        "Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"",
    );
    assert_eq!(code(&space), None);
    let tab = edit(
        &text,
        "<AttributeValue>Alice Example</AttributeValue>",
        "<AttributeValue>Alice&#x20;Example</AttributeValue>",
    );
    assert_eq!(code(&tab), None);
    let cr = edit(
        &text,
        "Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\"",
        "Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress&#13;\"",
    );
    assert_eq!(code(&cr), Some(Code::SignatureDigestMismatch));
}

#[test]
fn c08_canonicalization_stress_is_never_an_empty_digest() {
    let text = b_a();
    let dv = slice(&text, "<DigestValue>", "</DigestValue>", 0).to_string();
    let empty = edit(
        &text,
        &dv,
        "<DigestValue>47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=</DigestValue>",
    );
    assert_eq!(code(&empty), Some(Code::SignatureDigestMismatch));
    // An unused (relative) namespace declaration inside the signed subtree:
    // exclusive c14n leaves it out, semantics unchanged, still valid.
    let rel = edit(&text, "<Subject>", "<Subject xmlns:a=\"foo\">");
    assert_eq!(code(&rel), None);
    // A PrefixList naming an undeclared prefix changes only SignedInfo.
    let t = format!("<Transform Algorithm=\"{}\"/>", alg::EXC_C14N);
    let pl = edit(
        &text,
        &t,
        &format!(
            "<Transform Algorithm=\"{}\"><InclusiveNamespaces xmlns=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"undeclared\"/></Transform>",
            alg::EXC_C14N
        ),
    );
    assert_eq!(code(&pl), Some(Code::SignatureInvalid));
    // Many namespace declarations: bounded, and the digest catches them
    // only if visibly used (they are not).
    let many: String = (0..1000)
        .map(|i| format!(" xmlns:p{i}=\"urn:p{i}\""))
        .collect();
    let decls = edit(&text, "<Subject>", &format!("<Subject{many}>"));
    assert_eq!(code(&decls), None);
}

// ------------------------------------------------- bounded work, no panics

#[test]
fn p06_many_signatures_and_assertions_are_bounded() {
    let text = b_a();
    let signed = assertion(&text).to_string();
    // 1000 copies of the Signature hidden in Extensions: ignored, reported
    // in bounded form, and the genuine signature still verifies.
    let sig = slice(&text, SIG_OPEN, SIG_CLOSE, 0).to_string();
    let hidden = format!(
        "<samlp:Extensions>{}</samlp:Extensions><samlp:Status>",
        sig.repeat(1000)
    );
    let attacked = edit(&text, "<samlp:Status>", &hidden);
    let start = std::time::Instant::now();
    let findings = inspect_findings(&attacked, &trust("rsa2048"));
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(findings[0].code, Code::SignatureVerified);
    let ignored = findings
        .iter()
        .filter(|f| f.code == Code::SignatureStructure)
        .count();
    assert_eq!(ignored, 17, "16 one by one and a summary");
    assert!(findings.last().unwrap().message.starts_with("984 more"));
    // 40 Assertions directly in the Response: refused before any crypto.
    let many: String = (0..40)
        .map(|i| evil_assertion_copy(&text, &format!("_copy{i}")))
        .collect();
    let attacked = edit(&text, &signed, &format!("{signed}{many}"));
    assert_eq!(code(&attacked), Some(Code::SignatureStructure));
}

#[test]
fn mutations_never_panic() {
    // Deterministic pseudo-random edits of a signed document: every outcome
    // is a value (usually an error), never a panic.
    let text = read("both-ecp256.xml");
    let t = trust("ecp256");
    let bytes = text.as_bytes();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"<>/=\"' #:ab_-xX0AZ+";
    let mut verified = 0;
    for _ in 0..1500 {
        let mut m = bytes.to_vec();
        let pos = (next() % m.len() as u64) as usize;
        match next() % 3 {
            0 => {
                m.remove(pos);
            }
            1 => m.insert(pos, alphabet[(next() % alphabet.len() as u64) as usize]),
            _ => m[pos] = alphabet[(next() % alphabet.len() as u64) as usize],
        }
        let Ok(doc) = xml::parse_bytes(&m, &Limits::default()) else {
            continue;
        };
        if verify_message(&doc, &t, &Policy::default()).is_ok() {
            verified += 1;
        }
        let _ = saml_inspect::dsig::inspect(&doc, &t, &Policy::default());
    }
    // Some edits are harmless (inside KeyInfo's certificate, which is only a
    // hint; or the Response Signature's namespace, which leaves a verified
    // Assertion and an unsigned Response), most are not; the run must have
    // exercised both.
    assert!(verified > 0 && verified < 1500, "{verified}");
}

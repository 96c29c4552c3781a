//! TEST-ONLY helpers: fixture loading, text edits, and a minimal XML-DSig
//! signer built from the crate's c14n and OpenSSL.
//!
//! The signer exists so tests can produce documents a legitimate (or
//! misbehaving, legacy) identity provider would sign: SHA-1, HMAC, RSA-PSS,
//! several References, other transforms. It is deliberately permissive and
//! must never be used outside tests. It signs with the test keys in
//! `testdata/fixtures` or keys generated in the test.
#![allow(dead_code)]

use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::ecdsa::EcdsaSig;
use openssl::hash::{MessageDigest, hash};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::{Padding, Rsa};
use openssl::sign::{RsaPssSaltlen, Signer};
use openssl::x509::{X509, X509NameBuilder};
use saml_inspect::dsig::algorithm as alg;
use saml_inspect::dsig::{Policy, TrustedKeys, verify_message};
use saml_inspect::xml::{self, Limits, c14n};
use saml_inspect::{Code, Finding};

pub const RESPONSE_ID: &str = "_63345566-7e9b-4eda-b993-31e833a0958f";
pub const ASSERTION_ID: &str = "_add19051-4da9-4d5c-9029-80010f62288f";
pub const SIG_OPEN: &str = "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">";
pub const SIG_CLOSE: &str = "</Signature>";
pub const NAME_ID: &str = "alice.example@contoso.com</NameID>";
pub const EVIL_NAME_ID: &str = "admin@contoso.com</NameID>";

pub fn read(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/testdata/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

pub fn read_path(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn trust(key: &str) -> TrustedKeys {
    TrustedKeys::from_pem(read(&format!("{key}.cert.pem")).as_bytes()).unwrap()
}

pub fn private_key(key: &str) -> PKey<Private> {
    PKey::private_key_from_pem(read(&format!("{key}.key.pem")).as_bytes()).unwrap()
}

pub fn cert_der(key: &str) -> Vec<u8> {
    X509::from_pem(read(&format!("{key}.cert.pem")).as_bytes())
        .unwrap()
        .to_der()
        .unwrap()
}

/// Replaces the first `from`; panics when it is absent, so a test whose
/// edit no longer applies fails instead of testing the pristine document.
pub fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "edit target not found: {from}");
    text.replacen(from, to, 1)
}

/// Byte range of the n-th (0-based) occurrence of `open` .. matching `close`
/// (no nesting of the same element in between).
pub fn span(text: &str, open: &str, close: &str, nth: usize) -> (usize, usize) {
    let mut from = 0;
    let mut start = 0;
    for _ in 0..=nth {
        start = from + text[from..].find(open).expect("open tag");
        from = start + open.len();
    }
    let end = start + text[start..].find(close).expect("close tag") + close.len();
    (start, end)
}

pub fn slice<'a>(text: &'a str, open: &str, close: &str, nth: usize) -> &'a str {
    let (s, e) = span(text, open, close, nth);
    &text[s..e]
}

/// Removes the n-th Signature element.
pub fn remove_signature(text: &str, nth: usize) -> String {
    let (s, e) = span(text, SIG_OPEN, SIG_CLOSE, nth);
    format!("{}{}", &text[..s], &text[e..])
}

/// Removes every Signature element.
pub fn remove_all_signatures(text: &str) -> String {
    let mut t = text.to_string();
    while t.contains(SIG_OPEN) {
        t = remove_signature(&t, 0);
    }
    t
}

/// The Assertion element's text.
pub fn assertion(text: &str) -> &str {
    slice(text, "<Assertion ", "</Assertion>", 0)
}

/// verify_message with the given trust; the code of the error, or None.
pub fn outcome(text: &str, trust: &TrustedKeys, policy: &Policy) -> Option<Code> {
    let doc = xml::parse(text, &Limits::default()).expect("well-formed test document");
    verify_message(&doc, trust, policy).err().map(|e| e.code())
}

/// The error code with the rsa2048 test trust and the default policy.
pub fn code(text: &str) -> Option<Code> {
    outcome(text, &trust("rsa2048"), &Policy::default())
}

pub fn inspect_findings(text: &str, trust: &TrustedKeys) -> Vec<Finding> {
    let doc = xml::parse(text, &Limits::default()).unwrap();
    saml_inspect::dsig::inspect(&doc, trust, &Policy::default())
}

/// How the test signer computes SignatureValue.
#[derive(Clone)]
pub enum Scheme {
    Rsa(MessageDigest),
    RsaPss(MessageDigest),
    /// ECDSA, `r || s` with the given field length in bytes.
    Ecdsa(MessageDigest, usize),
    /// HMAC with the given secret.
    Hmac(MessageDigest, Vec<u8>),
}

/// Everything the test signer writes into the Signature.
#[derive(Clone)]
pub struct Spec {
    pub scheme: Scheme,
    pub signature_method: String,
    pub signature_method_inner: String,
    pub c14n: String,
    /// The `<Transform …/>` elements, or None for no Transforms element.
    pub transforms: Option<Vec<String>>,
    pub digest_method: String,
    pub digest: MessageDigest,
    /// How the signer serialises each referenced element.
    pub digest_c14n: c14n::Method,
    /// Reference URIs (one per Reference).
    pub references: Vec<String>,
    pub key_info: String,
}

pub fn enveloped() -> String {
    format!("<Transform Algorithm=\"{}\"/>", alg::ENVELOPED_SIGNATURE)
}

pub fn transform(uri: &str) -> String {
    format!("<Transform Algorithm=\"{uri}\"/>")
}

pub fn key_info_for(der: &[u8]) -> String {
    format!(
        "<KeyInfo><X509Data><X509Certificate>{}</X509Certificate></X509Data></KeyInfo>",
        b64(der)
    )
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl Spec {
    /// The Entra shape: rsa-sha256, sha256, [enveloped, exc-c14n], one Reference.
    pub fn rsa_sha256(reference_id: &str, cert: &[u8]) -> Spec {
        Spec {
            scheme: Scheme::Rsa(MessageDigest::sha256()),
            signature_method: alg::RSA_SHA256.into(),
            signature_method_inner: String::new(),
            c14n: alg::EXC_C14N.into(),
            transforms: Some(vec![enveloped(), transform(alg::EXC_C14N)]),
            digest_method: alg::DIGEST_SHA256.into(),
            digest: MessageDigest::sha256(),
            digest_c14n: c14n::Method::exclusive(false),
            references: vec![format!("#{reference_id}")],
            key_info: key_info_for(cert),
        }
    }

    fn signature_xml(&self) -> String {
        let mut refs = String::new();
        for (i, uri) in self.references.iter().enumerate() {
            let transforms = match &self.transforms {
                Some(t) => format!("<Transforms>{}</Transforms>", t.concat()),
                None => String::new(),
            };
            refs.push_str(&format!(
                "<Reference URI=\"{uri}\">{transforms}<DigestMethod Algorithm=\"{}\"/><DigestValue>@DIGEST{i}@</DigestValue></Reference>",
                self.digest_method
            ));
        }
        format!(
            "{SIG_OPEN}<SignedInfo><CanonicalizationMethod Algorithm=\"{}\"/><SignatureMethod Algorithm=\"{}\">{}</SignatureMethod>{refs}</SignedInfo><SignatureValue>@SIG@</SignatureValue>{}{SIG_CLOSE}",
            self.c14n, self.signature_method, self.signature_method_inner, self.key_info
        )
    }
}

/// Signs the element whose ID-like attribute is `parent_id` with an
/// enveloped Signature inserted right after its Issuer. `unsigned` must not
/// already carry a Signature on that element.
pub fn sign(unsigned: &str, parent_id: &str, spec: &Spec, key: &PKey<Private>) -> String {
    let at = unsigned
        .find(&format!("=\"{parent_id}\""))
        .expect("parent ID");
    let issuer_end = at + unsigned[at..].find("</Issuer>").expect("Issuer") + "</Issuer>".len();
    let mut text = format!(
        "{}{}{}",
        &unsigned[..issuer_end],
        spec.signature_xml(),
        &unsigned[issuer_end..]
    );
    // Digests: each Reference's element, the new Signature left out.
    let mut digests = Vec::new();
    {
        let doc = xml::parse(&text, &Limits::default()).unwrap();
        let sig = doc
            .tree()
            .descendants()
            .find(|n| {
                n.has_tag_name(("http://www.w3.org/2000/09/xmldsig#", "Signature"))
                    && n.descendants().any(|d| d.text() == Some("@SIG@"))
            })
            .unwrap();
        for uri in &spec.references {
            let target = match uri.strip_prefix('#') {
                Some(id) => doc
                    .tree()
                    .descendants()
                    .find(|n| n.attributes().any(|a| a.value() == id))
                    .expect("reference target"),
                None => doc.root_element(),
            };
            let exclude = sig.ancestors().any(|a| a == target).then(|| sig.id());
            let mut out = Vec::new();
            c14n::canonicalize_element(target, exclude, &spec.digest_c14n, &mut out).unwrap();
            digests.push(b64(&hash(spec.digest, &out).unwrap()));
        }
    }
    for (i, d) in digests.iter().enumerate() {
        text = text.replacen(&format!("@DIGEST{i}@"), d, 1);
    }
    // SignatureValue over c14n(SignedInfo).
    let signed_info = {
        let doc = xml::parse(&text, &Limits::default()).unwrap();
        let si = doc
            .tree()
            .descendants()
            .find(|n| {
                n.has_tag_name(("http://www.w3.org/2000/09/xmldsig#", "SignedInfo"))
                    && n.next_sibling_element()
                        .is_some_and(|v| v.text() == Some("@SIG@"))
            })
            .unwrap();
        let method = c14n::Method::from_uri(&spec.c14n).unwrap_or(c14n::Method::exclusive(false));
        let mut out = Vec::new();
        c14n::canonicalize_element(si, None, &method, &mut out).unwrap();
        out
    };
    let value = raw_sign(&spec.scheme, key, &signed_info);
    text.replacen("@SIG@", &b64(&value), 1)
}

pub fn raw_sign(scheme: &Scheme, key: &PKey<Private>, data: &[u8]) -> Vec<u8> {
    match scheme {
        Scheme::Rsa(md) => {
            let mut s = Signer::new(*md, key).unwrap();
            s.set_rsa_padding(Padding::PKCS1).unwrap();
            s.sign_oneshot_to_vec(data).unwrap()
        }
        Scheme::RsaPss(md) => {
            let mut s = Signer::new(*md, key).unwrap();
            s.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
            s.set_rsa_mgf1_md(*md).unwrap();
            s.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH).unwrap();
            s.sign_oneshot_to_vec(data).unwrap()
        }
        Scheme::Ecdsa(md, field) => {
            let mut s = Signer::new(*md, key).unwrap();
            let der = s.sign_oneshot_to_vec(data).unwrap();
            der_to_raw(&der, *field)
        }
        Scheme::Hmac(md, secret) => {
            let k = PKey::hmac(secret).unwrap();
            let mut s = Signer::new(*md, &k).unwrap();
            s.sign_oneshot_to_vec(data).unwrap()
        }
    }
}

pub fn der_to_raw(der: &[u8], field: usize) -> Vec<u8> {
    let sig = EcdsaSig::from_der(der).unwrap();
    let mut raw = sig.r().to_vec_padded(field as i32).unwrap();
    raw.extend(sig.s().to_vec_padded(field as i32).unwrap());
    raw
}

pub fn raw_to_der(raw: &[u8]) -> Vec<u8> {
    let (r, s) = raw.split_at(raw.len() / 2);
    EcdsaSig::from_private_components(
        BigNum::from_slice(r).unwrap(),
        BigNum::from_slice(s).unwrap(),
    )
    .unwrap()
    .to_der()
    .unwrap()
}

/// A fresh key and self-signed certificate (subject like the IdP's, so
/// name checks cannot tell them apart).
pub fn generated(kind: &str) -> (PKey<Private>, Vec<u8>) {
    let key = match kind {
        "p384" => PKey::from_ec_key(
            EcKey::generate(&EcGroup::from_curve_name(Nid::SECP384R1).unwrap()).unwrap(),
        )
        .unwrap(),
        "p521" => PKey::from_ec_key(
            EcKey::generate(&EcGroup::from_curve_name(Nid::SECP521R1).unwrap()).unwrap(),
        )
        .unwrap(),
        "rsa1024" => PKey::from_rsa(Rsa::generate(1024).unwrap()).unwrap(),
        "rsa2048" => PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap(),
        other => panic!("unknown key kind {other}"),
    };
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "Microsoft Azure Federated SSO Certificate")
        .unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::from_unix(1_767_225_600).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_unix(1_861_920_000).unwrap())
        .unwrap();
    let serial = BigNum::from_u32(7).unwrap().to_asn1_integer().unwrap();
    b.set_serial_number(&serial).unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    (key, b.build().to_der().unwrap())
}

/// The assertion-signed Entra fixture with its signature removed.
pub fn unsigned_response() -> String {
    remove_all_signatures(&read("assertion-rsa2048.xml"))
}

/// Recomputes the SignatureValue of the first Signature over its current
/// SignedInfo (exclusive c14n), as the IdP would have for this exact text.
pub fn resign(text: &str, scheme: &Scheme, key: &PKey<Private>) -> String {
    let doc = xml::parse(text, &Limits::default()).unwrap();
    let si = doc
        .tree()
        .descendants()
        .find(|n| n.has_tag_name(("http://www.w3.org/2000/09/xmldsig#", "SignedInfo")))
        .unwrap();
    let sv = si.next_sibling_element().unwrap();
    let old = sv.text().unwrap();
    let mut out = Vec::new();
    c14n::canonicalize_element(si, None, &c14n::Method::exclusive(false), &mut out).unwrap();
    let value = raw_sign(scheme, key, &out);
    edit(text, old, &b64(&value))
}

//! The generic XML-DSig interop suites (xmlsec, Merlin, XMLDSig 1.1 interop,
//! Phaos, Santuario negatives) run through the SAML-profile verifier.
//!
//! Almost every vector here is cryptographically valid but outside the SAML
//! signature profile: enveloping signatures (the document element is
//! `ds:Signature`, the signed data sits in `ds:Object`), `URI=""`, several
//! References, keys only in `KeyValue`, HMAC, DSA, XPath transforms. Our verdict
//! is then the profile's refusal code; the `why` column says "crypto-valid,
//! refused by profile" and why. The MANIFEST's upstream verdict is quoted.
//!
//! An enveloping signature signs no element that carries it, so the SAML
//! profile has nothing to verify: `verify_element` on its document element
//! answers `signature.missing` before any algorithm is looked at. The
//! algorithm, transform and Reference refusals are exercised by the enveloped
//! vectors (Phaos, Merlin DSA, the xmlsec `enveloped-*` files).
//! Verification times in the MANIFESTs are not ours to check: the verifier does
//! not look at the clock or at certificate validity.

mod vectors_support;

use vectors_support::Enc::Xml;
use vectors_support::Target::{Id, Root};
use vectors_support::*;

// ---------------------------------------------------------------- xmlsec aleksey-01

#[rustfmt::skip]
const ALEKSEY: &[Case] = &[
    case("enveloping-sha256-rsa-sha256.xml", Xml, &["keys/rsa-2048-cert.pem"], Root, MISSING,
        "upstream VALID (trust cacert.pem); crypto-valid, refused by profile: enveloping signature \
         (document element is ds:Signature, Reference #object to a ds:Object), no enveloped ds:Signature child"),
    case("enveloping-sha256-rsa-sha256.xml", Xml, &[], Root, MISSING,
        "upstream MUST FAIL without a trust anchor (KeyInfo cert alone is never trusted); ours fails: the shape \
         is checked before the trust, and it is never VALID")
        .label("no-trust"),
    case("enveloping-sha256-rsa-sha256.xml", Xml, &["keys/rsa-2048-pubkey.pem"], Root, "trust:cert.invalid",
        "trust given as the bare RSA-2048 public key: TrustedKeys takes certificates only")
        .label("pubkey"),
    case("enveloping-sha256-rsa-sha256.xml", Xml, &["keys/cacert.pem", "keys/ca2cert.pem"], Root, MISSING,
        "upstream trust = CA chain; we pin keys, never build chains; refused by profile (enveloping) first")
        .label("ca-chain"),
    case("enveloping-sha384-rsa-sha384.xml", Xml, &["keys/rsa-4096-cert.pem"], Root, MISSING,
        "upstream VALID (RSA-4096 leaf); crypto-valid, refused by profile: enveloping"),
    case("enveloping-sha512-rsa-sha512.xml", Xml, &["keys/rsa-4096-cert.pem"], Root, MISSING,
        "upstream VALID (RSA-4096 leaf); crypto-valid, refused by profile: enveloping"),
    case("enveloping-sha1-rsa-sha1.xml", Xml, &["keys/rsa-2048-cert.pem"], Root, MISSING,
        "upstream VALID crypto, SHA-1 downgrade test; crypto-valid, refused by profile: enveloping")
        .sha1(),
    case("enveloping-sha1-rsa-sha1.xml", Xml, &["keys/rsa-2048-cert.pem"], Root, MISSING,
        "SHA-1 not allowed by the default policy; refused by profile (enveloping) in any case")
        .label("sha1-banned"),
    case("enveloping-sha256-ecdsa-sha256.xml", Xml, &["keys/ec-prime256v1-cert.pem"], Root, MISSING,
        "upstream VALID (P-256 leaf, raw r||s); crypto-valid, refused by profile: enveloping"),
    case("enveloping-sha384-ecdsa-sha384.xml", Xml, &["keys/ec-prime521v1-cert.pem"], Root, MISSING,
        "upstream VALID (signed with the P-521 key); crypto-valid, refused by profile: enveloping"),
    case("enveloping-sha384-ecdsa-sha384.xml", Xml, &["keys/ec-prime384v1-cert.pem"], Root, MISSING,
        "wrong key (P-384 cert; the vector is signed with P-521); refused by profile (enveloping) first")
        .label("wrong-curve"),
    case("enveloping-sha512-ecdsa-sha512.xml", Xml, &["keys/ec-prime521v1-cert.pem"], Root, MISSING,
        "upstream VALID (P-521); crypto-valid, refused by profile: enveloping"),
    case("enveloping-sha512-ecdsa-sha512.xml", Xml, &["keys/ec-prime521v1-pubkey.pem"], Root, "trust:cert.invalid",
        "trust as the bare P-521 public key: TrustedKeys takes certificates only")
        .label("pubkey"),
    case("enveloping-sha256-ecdsa-sha256_padded.xml", Xml, &["keys/ec-prime256v1-cert.pem"], Root, MISSING,
        "upstream EDGE (r||s zero-padded to 33 bytes, xmlsec needs --insecure); refused by profile: enveloping"),
    case("enveloped-ecdsa-java-bug.xml", Xml, &["keys/enveloped-ecdsa-java-bug-cert.pem"], Root, ALGORITHM,
        "upstream VALID at 2019-01-01; crypto-valid, refused by profile: Reference URI=\"\" (not #ID), \
         c14n#WithComments, no exc-c14n transform")
        .time("cert expired 2021-08-01"),
    case("enveloping-expired-cert.xml", Xml, &["keys/rsa-expired-cert.pem"], Root, MISSING,
        "upstream FAIL after 2026-03-22 (cert expired), VALID at 2026-03-15; refused by profile: enveloping")
        .sha1()
        .time("leaf valid only 2026-03-08..2026-03-22"),
    case("enveloped-x509-same-subj-cert.xml", Xml, &["keys/same-subj-cert1.pem"], Root, REFERENCE,
        "upstream VALID with same-subj-cert1; crypto-valid, refused by profile: URI=\"\" + XPath transform"),
    case("enveloped-x509-same-subj-cert.xml", Xml, &["keys/same-subj-cert2.pem"], Root, REFERENCE,
        "upstream MUST FAIL with same-subj-cert2 (same subject, other key); refused by profile before any key lookup")
        .label("same-subject-other-key"),
    case("enveloped-x509-missing-cert.xml", Xml, &["keys/rsa-2048-cert.pem"], Root, REFERENCE,
        "upstream chain-building test; crypto-valid, refused by profile: URI=\"\" + XPath transform"),
    case("enveloped-sha1-rsa-sha1.xml", Xml, &["keys/rsa-4096-cert.pem"], Root, REFERENCE,
        "upstream VALID with the RSA-4096 public key (KeyName only); refused by profile: URI=\"\" + XPath transform")
        .sha1(),
    case("enveloped-sha1-rsa-sha1.xml", Xml, &["keys/rsa-4096-pubkey.pem"], Root, "trust:cert.invalid",
        "upstream's trust is the bare public key: TrustedKeys takes certificates only")
        .label("pubkey").sha1(),
    case("enveloped-sha256-ecdsa-sha256.xml", Xml, &["keys/ec-prime256v1-cert.pem"], Root, REFERENCE,
        "upstream VALID with the P-256 public key (KeyName only); refused by profile: URI=\"\" + XPath transform"),
    case("enveloped-sha256-ecdsa-sha256.xml", Xml, &["keys/ec-prime256v1-pubkey.pem"], Root, "trust:cert.invalid",
        "upstream's trust is the bare public key: TrustedKeys takes certificates only")
        .label("pubkey"),
    case("enveloping-sha256-hmac-sha256.xml", Xml, &["keys/rsa-2048-cert.pem"], Root, MISSING,
        "upstream HMAC crypto-valid (key hmackey.bin); refused by profile: enveloping, and HMAC is never allowed"),
    case("enveloping-sha256-hmac-sha256-64.xml", Xml, &["keys/rsa-2048-cert.pem"], Root, MISSING,
        "upstream MUST be INVALID (HMACOutputLength 80 < 128, CVE-2009-0217); refused by profile: enveloping + HMAC"),
    case("enveloping-rsa-x509chain.xml", Xml, &["keys/rsa-2048-cert.pem"], Root, MISSING,
        "upstream VALID (cert chain in KeyInfo, rsa-sha1); crypto-valid, refused by profile: enveloping")
        .sha1(),
];

/// Cases of `dsig-xmlsec-aleksey-01` where the verifier is believed wrong, with the verdict it
/// gives today; checked exactly. None: every verdict was reviewed and agrees.
const ALEKSEY_KNOWN_DISAGREEMENTS: &[Known] = &[];

#[test]
fn dsig_xmlsec_aleksey_01() {
    run_suite(
        "dsig-xmlsec-aleksey-01",
        ALEKSEY,
        ALEKSEY_KNOWN_DISAGREEMENTS,
        &[],
    );
}

// ---------------------------------------------------------------- merlin-23

#[rustfmt::skip]
const MERLIN: &[Case] = &[
    case("signature-x509-crt.xml", Xml, &["certs/ca.crt"], Root, "trust:cert.invalid",
        "the Merlin CA certificate has a DSA key: refused as a trust anchor (RSA and ECDSA only)")
        .label("dsa-anchor"),
    case("signature-enveloping-rsa.xml", Xml, &[], Root, MISSING,
        "upstream VALID with the inline RSAKeyValue (rsa-sha1); crypto-valid, refused by profile: enveloping, \
         and a KeyValue-only key is never trusted (cf. CVE-2024-32962)")
        .sha1(),
    case("signature-enveloped-dsa.xml", Xml, &[], Root, ALGORITHM,
        "upstream VALID (DSA-SHA1, KeyValue, URI=\"\"); crypto-valid, refused by profile: DSA is never allowed, URI=\"\"")
        .sha1(),
    case("signature-enveloping-hmac-sha1.xml", Xml, &[], Root, MISSING,
        "upstream HMAC-SHA1 crypto-valid (key \"secret\"); refused by profile: enveloping + HMAC")
        .sha1(),
    case("signature-enveloping-hmac-sha1-40.xml", Xml, &[], Root, MISSING,
        "upstream MUST be INVALID (HMACOutputLength=40, CVE-2009-0217); refused by profile: enveloping + HMAC")
        .sha1(),
    case("signature-x509-crt.xml", Xml, &[], Root, MISSING,
        "upstream VALID at 2005-01-01 (DSA, trust ca.crt); refused by profile: document element is ds:Signature, \
         Reference to an external http: URI")
        .sha1()
        .time("verification time 2005-01-01T10:00:00Z"),
    case("signature-x509-crt-crl.xml", Xml, &[], Root, MISSING,
        "upstream FAIL (cert revoked by the CRL in KeyInfo); refused by profile: detached external Reference")
        .sha1(),
];

/// Cases of `dsig-merlin-23` where the verifier is believed wrong, with the verdict it
/// gives today; checked exactly. None: every verdict was reviewed and agrees.
const MERLIN_KNOWN_DISAGREEMENTS: &[Known] = &[];

#[test]
fn dsig_merlin_23() {
    run_suite("dsig-merlin-23", MERLIN, MERLIN_KNOWN_DISAGREEMENTS, &[]);
}

// ---------------------------------------------------------------- XMLDSig 1.1 interop 2012

#[rustfmt::skip]
const XMLDSIG11: &[Case] = &[
    case("signature-enveloping-p256_sha256.xml", Xml, &["keys/p256-key.crt"], Root, MISSING,
        "upstream VALID (ecdsa-sha256, ECKeyValue); crypto-valid, refused by profile: enveloping"),
    case("signature-enveloping-p256_sha1.xml", Xml, &["keys/p256-key.crt"], Root, MISSING,
        "upstream VALID crypto (ecdsa-sha1); crypto-valid, refused by profile: enveloping")
        .sha1(),
    case("signature-enveloping-p256_sha512.xml", Xml, &["keys/p256-key.crt"], Root, MISSING,
        "upstream VALID (sha512 on P-256); crypto-valid, refused by profile: enveloping"),
    case("signature-enveloping-p384_sha384.xml", Xml, &["keys/p384-key.crt"], Root, MISSING,
        "upstream VALID (P-384); crypto-valid, refused by profile: enveloping"),
    case("signature-enveloping-p521_sha512.xml", Xml, &["keys/p521-key.crt"], Root, MISSING,
        "upstream VALID (P-521); crypto-valid, refused by profile: enveloping"),
    case("signature-enveloping-p521_sha256.xml", Xml, &["keys/p521-key.crt"], Root, MISSING,
        "upstream VALID (P-521 with SHA-256); crypto-valid, refused by profile: enveloping"),
    case("signature-enveloping-rsa-sha256.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream VALID (rsa-sha256 + SHA-1 digest, RSAKeyValue); crypto-valid, refused by profile: enveloping").rsa1024()
        .sha1(),
    case("signature-enveloping-sha256-rsa-sha256.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream VALID (RSAKeyValue inline); crypto-valid, refused by profile: enveloping").rsa1024(),
    case("signature-enveloping-sha512-rsa_sha256.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream VALID (sha512 digest, rsa-sha256); crypto-valid, refused by profile: enveloping").rsa1024(),
    case("signature-enveloping-derencoded-ec.xml", Xml, &["keys/p256-key.crt"], Root, MISSING,
        "upstream VALID (DEREncodedKeyValue P-256); crypto-valid, refused by profile: enveloping"),
    case("signature-enveloping-derencoded-rsa.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream VALID (DEREncodedKeyValue RSA); crypto-valid, refused by profile: enveloping").rsa1024(),
    case("signature-enveloping-keyinforeference-rsa.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream VALID with a key not copied (KeyInfoReference indirection); refused by profile: enveloping").rsa1024(),
    case("signature-enveloping-x509digest-rsa.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream needs cert resolution by X509Digest; refused by profile: enveloping").rsa1024(),
    case("signature-enveloping-hmac-sha1-truncated40.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream MUST REJECT (HMAC truncated to 40 bits); refused by profile: enveloping + HMAC").rsa1024()
        .sha1(),
    case("signature-enveloping-hmac-sha1-truncated160.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream HMAC crypto-valid; refused by profile: enveloping + HMAC").rsa1024()
        .sha1(),
    case("signature-enveloping-hmac-sha256.xml", Xml, &["keys/rsa-key.crt"], Root, MISSING,
        "upstream HMAC-SHA256 crypto-valid; refused by profile: enveloping + HMAC").rsa1024()
        .sha1(),
];

/// Cases of `dsig-xmldsig11-interop-2012` where the verifier is believed wrong, with the verdict it
/// gives today; checked exactly. None: every verdict was reviewed and agrees.
const XMLDSIG11_KNOWN_DISAGREEMENTS: &[Known] = &[];

#[test]
fn dsig_xmldsig11_interop_2012() {
    run_suite(
        "dsig-xmldsig11-interop-2012",
        XMLDSIG11,
        XMLDSIG11_KNOWN_DISAGREEMENTS,
        &[],
    );
}

// ---------------------------------------------------------------- Phaos 3

#[rustfmt::skip]
const PHAOS: &[Case] = &[
    case("signature-rsa-enveloped.xml", Xml, &["certs/rsa-cert.der"], Root, REFERENCE,
        "upstream VALID at 2009-01-01 (rsa-sha1, trust rsa-ca-cert.der); crypto-valid, refused by profile: \
         Reference URI=\"\" (whole document), not #ID of the parent").rsa1024()
        .sha1()
        .time("verification time 2009-01-01T10:00:00Z"),
    case("signature-rsa-enveloped.xml", Xml, &["certs/rsa-ca-cert.der"], Root, REFERENCE,
        "upstream trust anchor is the CA; we pin keys and never build chains; refused by profile first").rsa1024()
        .label("ca-anchor")
        .sha1(),
    case("signature-rsa-enveloped-bad-digest-val.xml", Xml, &["certs/rsa-cert.der"], Root, REFERENCE,
        "upstream MUST FAIL (DigestValue altered); refused by profile before digesting: URI=\"\"").rsa1024()
        .sha1(),
    case("signature-rsa-enveloped-bad-sig.xml", Xml, &["certs/rsa-cert.der"], Root, REFERENCE,
        "upstream MUST FAIL (SignatureValue altered); refused by profile: two References (second MD5), URI=\"\"").rsa1024()
        .sha1(),
    case("signature-rsa-enveloping.xml", Xml, &["certs/rsa-cert.der"], Root, MISSING,
        "upstream VALID at 2009-01-01; crypto-valid, refused by profile: enveloping").rsa1024()
        .sha1(),
    case("signature-hmac-sha1-exclusive-c14n-enveloped.xml", Xml, &["certs/rsa-cert.der"], Root, ALGORITHM,
        "upstream HMAC crypto-valid (key \"test\"); refused by profile: HMAC is never allowed, URI=\"\"").rsa1024()
        .sha1(),
    case("signature-hmac-sha1-40-exclusive-c14n-comments-detached.xml", Xml, &["certs/rsa-cert.der"], Root, MISSING,
        "upstream MUST be INVALID (HMAC-40, detached external URI); refused by profile: document element is ds:Signature").rsa1024()
        .sha1(),
];

/// Cases of `dsig-phaos-3` where the verifier is believed wrong, with the verdict it
/// gives today; checked exactly. None: every verdict was reviewed and agrees.
const PHAOS_KNOWN_DISAGREEMENTS: &[Known] = &[];

#[test]
fn dsig_phaos_3() {
    run_suite("dsig-phaos-3", PHAOS, PHAOS_KNOWN_DISAGREEMENTS, &[]);
}

// ---------------------------------------------------------------- Santuario negatives

#[rustfmt::skip]
const SANTUARIO: &[Case] = &[
    case("signature-enveloping-hmac-sha1-trunclen-0-attack.xml", Xml, &[], Root, MISSING,
        "upstream MUST REJECT (HMACOutputLength=0); refused: enveloping + HMAC (no trust needed to refuse)")
        .sha1(),
    case("signature-enveloping-hmac-sha1-trunclen-8-attack.xml", Xml, &[], Root, MISSING,
        "upstream MUST REJECT (HMACOutputLength=8); refused: enveloping + HMAC")
        .sha1(),
    case("signature-bad-c14n-algo.xml", Xml, &[], Root, MISSING,
        "upstream MUST REJECT (unknown CanonicalizationMethod); refused: enveloping, unknown c14n"),
    case("signature-bad-sig-algo.xml", Xml, &[], Root, MISSING,
        "upstream MUST REJECT (unknown SignatureMethod); refused: enveloping, unknown algorithm"),
    case("signature-bad-transform-algo.xml", Xml, &[], Root, MISSING,
        "upstream MUST REJECT (unknown Transform); refused: enveloping, unknown transform"),
    case("invalid-signature.xml", Xml, &[], Root, MISSING,
        "upstream MUST REJECT (core validation fails); refused: enveloping"),
    case("SAML2ArtifactResponse.xml", Xml, &[], Id("rident"), NO_TRUST,
        "upstream structural sample (key in a JKS not copied); the Response's signature carries a cert in \
         KeyInfo, but with no trust configured we must fail closed, never trust KeyInfo")
        .sha1(),
];

/// Cases of `dsig-santuario-negatives` where the verifier is believed wrong, with the verdict it
/// gives today; checked exactly. None: every verdict was reviewed and agrees.
const SANTUARIO_KNOWN_DISAGREEMENTS: &[Known] = &[];

#[test]
fn dsig_santuario_negatives() {
    run_suite(
        "dsig-santuario-negatives",
        SANTUARIO,
        SANTUARIO_KNOWN_DISAGREEMENTS,
        &[],
    );
}

// ---------------------------------------------------------------- the harness itself

/// One Phaos row whose expectation is deliberately not the verifier's verdict
/// (the vector is refused for its `URI=""`), and the other Phaos files listed
/// as unused, so the harness's bookkeeping can be exercised.
#[rustfmt::skip]
const HARNESS_ROW: &[Case] = &[
    case("signature-rsa-enveloped.xml", Xml, &["certs/rsa-cert.der"], Root, VALID,
        "deliberately wrong expectation for the harness tests").sha1().rsa1024(),
];
const HARNESS_UNUSED: Unused = &[
    ("signature-rsa-enveloped-bad-digest-val.xml", "harness test"),
    ("signature-rsa-enveloped-bad-sig.xml", "harness test"),
    ("signature-rsa-enveloping.xml", "harness test"),
    (
        "signature-hmac-sha1-exclusive-c14n-enveloped.xml",
        "harness test",
    ),
    (
        "signature-hmac-sha1-40-exclusive-c14n-comments-detached.xml",
        "harness test",
    ),
    ("certs/rsa-ca-cert.der", "harness test"),
];

#[test]
fn harness_accepts_a_recorded_disagreement() {
    let known = &[Known {
        file: "signature-rsa-enveloped.xml",
        label: "",
        actual: REFERENCE,
        diagnosis: "harness test",
    }];
    run_suite("dsig-phaos-3", HARNESS_ROW, known, HARNESS_UNUSED);
}

#[test]
#[should_panic(expected = "known disagreement recorded signature.digest_mismatch")]
fn harness_fails_when_a_disagreement_changes() {
    let known = &[Known {
        file: "signature-rsa-enveloped.xml",
        label: "",
        actual: DIGEST,
        diagnosis: "harness test",
    }];
    run_suite("dsig-phaos-3", HARNESS_ROW, known, HARNESS_UNUSED);
}

#[test]
#[should_panic(expected = "expected VALID, got signature.reference_invalid")]
fn harness_fails_on_an_unrecorded_mismatch() {
    run_suite("dsig-phaos-3", HARNESS_ROW, &[], HARNESS_UNUSED);
}

#[test]
#[should_panic(expected = "file in the suite but in no row")]
fn harness_fails_on_an_unreferenced_file() {
    let known = &[Known {
        file: "signature-rsa-enveloped.xml",
        label: "",
        actual: REFERENCE,
        diagnosis: "harness test",
    }];
    run_suite("dsig-phaos-3", HARNESS_ROW, known, &HARNESS_UNUSED[1..]);
}

//! The stages of one validation, per fixture of `../shared/bench`:
//! canonicalization alone, signature verification of a parsed document,
//! full validation (decode, parse, verify, SAML profile, AWS checks), and
//! metadata parse + verify. Decode and parse alone are in `benches/parse.rs`.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use saml_inspect::dsig::{self, Policy};
use saml_inspect::metadata::{Metadata, MetadataOptions, SignatureStatus};
use saml_inspect::ns;
use saml_inspect::xml::{self, Limits, c14n};

/// Counts canonical bytes: the canonicalizer's own cost, without a digest.
struct Count(usize);

impl c14n::Sink for Count {
    fn write(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

fn canonicalization(c: &mut Criterion) {
    let mut group = c.benchmark_group("c14n");
    for name in &common::FIXTURES[..4] {
        let bytes = common::fixture(&format!("{name}.xml"));
        let doc = xml::parse_bytes(&bytes, &Limits::default()).unwrap();
        // Every signed element with its enveloped Signature, as verification
        // digests them (SignedInfo is small and not included).
        let signed: Vec<_> = doc
            .tree()
            .descendants()
            .filter(|n| xml::is_saml_element(*n, ns::XMLDSIG, "Signature"))
            .map(|s| (s.parent().unwrap(), s.id()))
            .collect();
        let method = c14n::Method::exclusive(false);
        let total: usize = signed
            .iter()
            .map(|(e, s)| c14n::to_vec(*e, Some(*s), &method).unwrap().len())
            .sum();
        group.throughput(Throughput::Bytes(total as u64));
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mut out = Count(0);
                for (element, signature) in &signed {
                    c14n::canonicalize_element(*element, Some(*signature), &method, &mut out)
                        .unwrap();
                }
                out.0
            })
        });
    }
    group.finish();
}

fn verification(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify");
    for name in common::FIXTURES {
        let bytes = common::fixture(&format!("{name}.xml"));
        let doc = xml::parse_bytes(&bytes, &Limits::default()).unwrap();
        let trust = common::trust_for(name);
        let policy = Policy::default();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| dsig::verify_message(&doc, &trust, &policy).unwrap())
        });
    }
    group.finish();
}

fn validation(c: &mut Criterion) {
    let now = common::now();
    let mut group = c.benchmark_group("validate");
    for name in common::FIXTURES {
        let bytes = common::fixture(&format!("{name}.xml"));
        let validator = common::validator(common::trust_for(name));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| common::validate_for_aws(&validator, &bytes, now).unwrap())
        });
    }
    group.finish();
    // The same without the AWS attribute checks: Validator::validate only.
    let mut group = c.benchmark_group("validate-saml");
    for name in common::FIXTURES {
        let bytes = common::fixture(&format!("{name}.xml"));
        let validator = common::validator(common::trust_for(name));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| validator.validate(&bytes, now).unwrap())
        });
    }
    group.finish();
    // As posted: the SAMLResponse form value, base64.
    let mut group = c.benchmark_group("validate-b64");
    for name in [common::FIXTURES[0], common::FIXTURES[3]] {
        let b64 = common::fixture(&format!("{name}.b64"));
        let validator = common::validator(common::trust_for(name));
        group.throughput(Throughput::Bytes(b64.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| common::validate_for_aws(&validator, &b64, now).unwrap())
        });
    }
    group.finish();
}

fn metadata(c: &mut Criterion) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/metadata/");
    let mut group = c.benchmark_group("metadata");
    let now = "2026-11-01T00:00:00Z".parse().unwrap();
    // Entra per-application metadata, anchored with the signing certificate.
    let mut anchored = MetadataOptions::at(now);
    anchored.trusted = common::trust_for("rsa2048");
    // Entra's tenant-wide federation metadata (about 60 KB), checked against
    // the certificates it carries.
    let carried = MetadataOptions::at(now);
    for (file, options) in [
        ("entra-app-rollover-signed.xml", &anchored),
        (
            "aad-common-federationmetadata-2017-signed-bom.xml",
            &carried,
        ),
    ] {
        let bytes = std::fs::read(format!("{dir}{file}")).unwrap();
        let check = Metadata::from_bytes(&bytes, options).unwrap();
        assert!(
            matches!(
                check.signature,
                SignatureStatus::VerifiedAnchored { .. }
                    | SignatureStatus::VerifiedNotAnchored { .. }
            ),
            "{file}: {:?}",
            check.signature
        );
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(file.trim_end_matches(".xml"), |b| {
            b.iter(|| Metadata::from_bytes(&bytes, options).unwrap())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = canonicalization, verification, validation, metadata
}
criterion_main!(benches);

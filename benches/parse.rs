//! Decode and parse throughput on the Entra-shaped fixtures (one per
//! message shape: the key type changes only the signature's size).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use saml_inspect::decode::{DecodeLimits, decode};
use saml_inspect::xml::{Limits, parse_bytes};

const FIXTURES: &[&str] = &[
    "assertion-rsa2048",
    "response-rsa2048",
    "both-rsa2048",
    "large-assertion-rsa2048",
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/testdata/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for name in FIXTURES {
        let b64 = fixture(&format!("{name}.b64"));
        group.throughput(Throughput::Bytes(b64.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| decode(&b64, &DecodeLimits::default()).unwrap())
        });
    }
    group.finish();
    let mut group = c.benchmark_group("parse");
    for name in FIXTURES {
        let xml = fixture(&format!("{name}.xml"));
        group.throughput(Throughput::Bytes(xml.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| parse_bytes(&xml, &Limits::default()).unwrap())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);

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
    // How fast could a leaner parse be? roxmltree alone (without our limit
    // and shape checks), and quick-xml's namespace-resolving event reader
    // with every attribute unescaped and every text decoded but no tree
    // built: a lower bound for a tree built on quick-xml events.
    let mut group = c.benchmark_group("parse-alternatives");
    for name in FIXTURES {
        let xml = fixture(&format!("{name}.xml"));
        let text = std::str::from_utf8(&xml).unwrap();
        group.throughput(Throughput::Bytes(xml.len() as u64));
        group.bench_function(format!("roxmltree/{name}"), |b| {
            b.iter(|| {
                roxmltree::Document::parse(text)
                    .unwrap()
                    .descendants()
                    .count()
            })
        });
        group.bench_function(format!("quick-xml-events/{name}"), |b| {
            b.iter(|| quick_xml_events(text))
        });
    }
    group.finish();
}

/// Reads every event of `text` with namespaces resolved, every attribute
/// value unescaped and every text decoded; returns a checksum of sizes.
fn quick_xml_events(text: &str) -> usize {
    use quick_xml::events::Event;
    let mut reader = quick_xml::reader::NsReader::from_str(text);
    let mut sum = 0;
    loop {
        match reader.read_resolved_event().unwrap() {
            (_, Event::Start(e) | Event::Empty(e)) => {
                for a in e.attributes() {
                    sum += a
                        .unwrap()
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .len();
                }
            }
            (_, Event::Text(t)) => sum += t.decode().unwrap().len(),
            (_, Event::Eof) => break,
            _ => sum += 1,
        }
    }
    sum
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);

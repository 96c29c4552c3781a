//! Peak memory of one validation, and throughput of threads sharing one
//! `Validator`. Not a criterion bench: it prints its own table.
//!
//! ```text
//! cargo bench --bench scaling            # both
//! cargo bench --bench scaling -- memory  # or: threads
//! ```
//!
//! Memory: a counting `#[global_allocator]` records the highest number of
//! live heap bytes during one call (the input is allocated before and is not
//! counted). Target: at most 4x the input plus a few hundred KB.
//!
//! Threads: one `Validator` in an `Arc`, validated against by 1 and then 2
//! threads for a fixed time; the ratio of total throughputs, median of
//! several trials. Target: 2 threads give at least 1.8x one thread (on a
//! machine with 2 idle cores: other load on the machine lowers it).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use saml_inspect::dsig::{self, Policy};
use saml_inspect::xml::{self, Limits};

/// Counts live bytes and their peak while `ON` is set (off for the thread
/// measurement, so that the counters are not a point of contention).
struct Counting;

static ON: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && ON.load(Ordering::Relaxed) {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ON.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && ON.load(Ordering::Relaxed) {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let live = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak live heap bytes during `f` (memory freed during `f` that was
/// allocated before it can make LIVE wrap; the inputs here are allocated
/// before and freed after, so it does not).
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    LIVE.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
    ON.store(true, Ordering::SeqCst);
    let out = f();
    ON.store(false, Ordering::SeqCst);
    (PEAK.load(Ordering::SeqCst), out)
}

fn memory() {
    println!("## Peak heap of one call (bytes)\n");
    println!(
        "| fixture | input B | verify (parse + signatures) | full validation + AWS | full ÷ input | full, from base64 | budget 4×xml + 256 KiB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let now = common::now();
    for name in common::FIXTURES {
        let xml_bytes = common::fixture(&format!("{name}.xml"));
        let b64 = common::fixture(&format!("{name}.b64"));
        let trust = common::trust_for(name);
        let validator = common::validator(trust.clone());
        let policy = Policy::default();
        // Once outside, so that lazily initialised statics (OpenSSL's) are not counted.
        common::validate_for_aws(&validator, &xml_bytes, now).expect("validates");
        let (verify_peak, ok) = peak_of(|| {
            let doc = xml::parse_bytes(&xml_bytes, &Limits::default()).ok()?;
            dsig::verify_message(&doc, &trust, &policy).ok().map(|_| ())
        });
        ok.expect("verifies");
        let (full_peak, ok) = peak_of(|| common::validate_for_aws(&validator, &xml_bytes, now));
        ok.expect("validates");
        let (b64_peak, ok) = peak_of(|| common::validate_for_aws(&validator, &b64, now));
        ok.expect("validates");
        let budget = 4 * xml_bytes.len() + 256 * 1024;
        println!(
            "| {name} | {} | {verify_peak} | {full_peak} | {:.1} | {b64_peak} | {budget}{} |",
            xml_bytes.len(),
            full_peak as f64 / xml_bytes.len() as f64,
            if full_peak.max(b64_peak) <= budget {
                ""
            } else {
                " (over)"
            }
        );
    }
    println!();
}

/// Operations per second of `threads` threads each running `op` for `time`.
fn throughput(op: &Arc<dyn Fn() + Send + Sync>, threads: usize, time: Duration) -> f64 {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let op = Arc::clone(op);
            std::thread::spawn(move || {
                let start = Instant::now();
                let mut n = 0u64;
                while start.elapsed() < time {
                    for _ in 0..16 {
                        op();
                    }
                    n += 16;
                }
                n as f64 / start.elapsed().as_secs_f64()
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("a bench thread"))
        .sum()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn threads() {
    const TRIALS: usize = 7;
    let time = Duration::from_millis(700);
    println!("## Two threads sharing one Validator (full validation + AWS checks)\n");
    println!(
        "cores: {}, load average at start: {}\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!(
        "| fixture | 1 thread ops/s | 2 threads ops/s | ratio (median of {TRIALS}) | ratios min-max |"
    );
    println!("|---|---:|---:|---:|---:|");
    let now = common::now();
    for name in ["assertion-rsa2048", "large-assertion-rsa2048"] {
        let input = Arc::new(common::fixture(&format!("{name}.xml")));
        let validator = Arc::new(common::validator(common::trust_for(name)));
        let validate: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
            common::validate_for_aws(&validator, &input, now).expect("validates");
        });
        let input = common::fixture(&format!("{name}.xml"));
        // A control without OpenSSL: how much a second thread can get from
        // this machine at the moment.
        let parse: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
            xml::parse_bytes(&input, &Limits::default()).expect("parses");
        });
        for (what, op) in [
            ("full validation", &validate),
            ("parse only (control)", &parse),
        ] {
            throughput(op, 2, Duration::from_millis(300));
            let (mut one, mut two, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..TRIALS {
                let a = throughput(op, 1, time);
                let b = throughput(op, 2, time);
                one.push(a);
                two.push(b);
                ratios.push(b / a);
            }
            let (lo, hi) = ratios
                .iter()
                .fold((f64::MAX, 0f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
            println!(
                "| {name}, {what} | {:.0} | {:.0} | {:.2} | {lo:.2}-{hi:.2} |",
                median(one),
                median(two),
                median(ratios)
            );
        }
    }
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let wants = |what: &str| {
        !args.iter().any(|a| a == "memory" || a == "threads") || args.iter().any(|a| a == what)
    };
    if wants("memory") {
        memory();
    }
    if wants("threads") {
        threads();
    }
}

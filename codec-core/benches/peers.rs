//! Skyrocket's Rust codec against peer formats: encode time, decode time and
//! encoded size on five workloads (see `workloads/`).
//!
//! `cargo bench -p skyrocket --bench peers` prints the size table first,
//! checks every format round-trips every workload, then runs criterion.
//! Filter with criterion's usual argument: `... --bench peers -- arena/`.

mod workloads;

use criterion::Criterion;
use std::hint::black_box;
use std::time::Duration;
use workloads::{check_roundtrip, encode, Case, Plain, Proto, Sky, FORMATS};

/// One row of the size table.
fn size_row<P: Plain, S: Sky, M: Proto>(case: &Case<P, S, M>) -> String {
    let floor = case.floor_bits.div_ceil(8);
    let sizes: Vec<String> = (0..FORMATS.len())
        .map(|f| encode(case, f).len().to_string())
        .collect();
    let sky = encode(case, 0).len() as u64;
    assert_eq!(
        sky, floor,
        "{}: Skyrocket's size is not the bit-count floor",
        case.name
    );
    format!("| {} | {} | {} |", case.name, floor, sizes.join(" | "))
}

fn bench_case<P: Plain, S: Sky, M: Proto>(c: &mut Criterion, case: &Case<P, S, M>) {
    for format in 0..FORMATS.len() {
        check_roundtrip(case, format);
    }

    let mut group = c.benchmark_group(format!("{}/encode", case.name));
    group.bench_function("skyrocket", |b| {
        b.iter(|| black_box(&case.sky).to_bytes().unwrap())
    });
    group.bench_function("bitcode", |b| {
        b.iter(|| bitcode::encode(black_box(&case.plain)))
    });
    group.bench_function("postcard", |b| {
        b.iter(|| postcard::to_allocvec(black_box(&case.plain)).unwrap())
    });
    group.bench_function("rmp-serde", |b| {
        b.iter(|| rmp_serde::to_vec(black_box(&case.plain)).unwrap())
    });
    group.bench_function("prost", |b| {
        b.iter(|| black_box(&case.proto).encode_to_vec())
    });
    group.bench_function("serde_json", |b| {
        b.iter(|| serde_json::to_vec(black_box(&case.plain)).unwrap())
    });
    group.finish();

    let bytes: Vec<Vec<u8>> = (0..FORMATS.len()).map(|f| encode(case, f)).collect();
    let mut group = c.benchmark_group(format!("{}/decode", case.name));
    group.bench_function("skyrocket", |b| {
        b.iter(|| S::from_bytes(black_box(&bytes[0])).unwrap())
    });
    group.bench_function("bitcode", |b| {
        b.iter(|| bitcode::decode::<P>(black_box(&bytes[1])).unwrap())
    });
    group.bench_function("postcard", |b| {
        b.iter(|| postcard::from_bytes::<P>(black_box(&bytes[2])).unwrap())
    });
    group.bench_function("rmp-serde", |b| {
        b.iter(|| rmp_serde::from_slice::<P>(black_box(&bytes[3])).unwrap())
    });
    group.bench_function("prost", |b| {
        b.iter(|| M::decode(black_box(&bytes[4][..])).unwrap())
    });
    group.bench_function("serde_json", |b| {
        b.iter(|| serde_json::from_slice::<P>(black_box(&bytes[5])).unwrap())
    });
    group.finish();
}

/// `peers --iterate WORKLOAD OP FORMAT N`: runs one operation N times and
/// exits, for `perf stat` (cycles and instructions per iteration do not
/// depend on how busy the machine is, unlike wall-clock time).
fn iterate<P: Plain, S: Sky, M: Proto>(case: &Case<P, S, M>, op: &str, format: &str, n: u64) {
    let f = FORMATS
        .iter()
        .position(|&name| name == format)
        .expect("format name");
    let bytes = encode(case, f);
    for _ in 0..n {
        if op == "encode" {
            black_box(encode(black_box(case), f));
        } else {
            match f {
                0 => drop(black_box(S::from_bytes(black_box(&bytes)).unwrap())),
                1 => drop(black_box(bitcode::decode::<P>(black_box(&bytes)).unwrap())),
                2 => drop(black_box(
                    postcard::from_bytes::<P>(black_box(&bytes)).unwrap(),
                )),
                3 => drop(black_box(
                    rmp_serde::from_slice::<P>(black_box(&bytes)).unwrap(),
                )),
                4 => drop(black_box(M::decode(black_box(&bytes[..])).unwrap())),
                _ => drop(black_box(
                    serde_json::from_slice::<P>(black_box(&bytes)).unwrap(),
                )),
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--iterate") {
        let (workload, op, format) = (&args[2], &args[3], &args[4]);
        let n: u64 = args[5].parse().expect("iteration count");
        match workload.as_str() {
            "entities" => iterate(&workloads::entities::case(), op, format, n),
            "bools" => iterate(&workloads::bools::case(), op, format, n),
            "arena" => iterate(&workloads::arena::case(), op, format, n),
            "mk48" => iterate(&workloads::mk48::case(), op, format, n),
            _ => iterate(&workloads::log::case(), op, format, n),
        }
        return;
    }

    let entities = workloads::entities::case();
    let bools = workloads::bools::case();
    let arena = workloads::arena::case();
    let mk48 = workloads::mk48::case();
    let log = workloads::log::case();

    println!("Encoded sizes (bytes); floor = ceil(sum of Skyrocket field widths / 8)\n");
    println!("| workload | floor | {} |", FORMATS.join(" | "));
    println!("|---|---:|{}", "---:|".repeat(FORMATS.len()));
    println!("{}", size_row(&entities));
    println!("{}", size_row(&bools));
    println!("{}", size_row(&arena));
    println!("{}", size_row(&mk48));
    println!("{}", size_row(&log));
    println!();

    // Tuned so the whole run (60 benchmarks) takes a few minutes on 2 cores.
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args();
    bench_case(&mut c, &entities);
    bench_case(&mut c, &bools);
    bench_case(&mut c, &arena);
    bench_case(&mut c, &mk48);
    bench_case(&mut c, &log);
    c.final_summary();
}

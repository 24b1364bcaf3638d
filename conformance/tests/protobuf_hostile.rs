//! Hostile bytes into the Protobuf decoders: random inputs and mutations of
//! valid messages go to `Formats/Protobuf.luau` and to the Rust codec.
//!
//! - `decode` never raises and returns a `protobuf: cannot decode ...` error;
//! - work is bounded (interrupts, counted on loop back-edges and calls, stay
//!   within a constant times the input length times the nesting) and memory
//!   is bounded (a VM memory limit that is never hit);
//! - Luau accepts what Rust accepts and decodes it to the same value, except
//!   where only one side can tell (64-bit integers beyond 2^53 and missing
//!   Roblox enum items only in Luau; instance indices past the side table
//!   only in Rust: Luau gives `nil`, as its bit-packed decoders do).

mod common;

use common::same;
use prost::encoding::{encode_key, encode_varint, WireType};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skyrocket::roblox::Instance;
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::formats::LuauFormat;
use skyrocket_conformance::json::to_hex;
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::schemas;
use skyrocket_formats::{Codec, Protobuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const RANDOM_INPUTS_PER_TYPE: usize = 200;
const MUTATIONS_PER_TYPE: usize = 300;

struct Harness {
    format: LuauFormat,
    interrupts: Arc<AtomicU64>,
}

impl Harness {
    fn new(schema: &Schema) -> Self {
        let format = LuauFormat::load(schema, "Formats/Protobuf.luau", true).expect("module loads");
        let interrupts = skyrocket_conformance::budget::guard(format.lua());
        Harness { format, interrupts }
    }
}

fn mutate(rng: &mut ChaCha8Rng, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match rng.gen_range(0..6) {
        0 if !out.is_empty() => {
            let at = rng.gen_range(0..out.len());
            out[at] ^= 1 << rng.gen_range(0..8);
        }
        1 if !out.is_empty() => {
            let at = rng.gen_range(0..out.len());
            out[at] = rng.gen();
        }
        2 => {
            let at = rng.gen_range(0..=out.len());
            out.insert(at, rng.gen());
        }
        3 if !out.is_empty() => {
            let at = rng.gen_range(0..out.len());
            out.remove(at);
        }
        4 => {
            // A message twice is a valid merge of it with itself.
            out.extend_from_slice(bytes);
        }
        _ => {
            let at = rng.gen_range(0..=out.len());
            out.splice(at..at, [0xff; 6]);
        }
    }
    out
}

fn check_input(
    schema: &Schema,
    h: &Harness,
    type_name: &str,
    input: &[u8],
    instances: &[Instance],
    stats: &mut (usize, usize, u64),
) {
    let ty = Ty::Named(type_name.to_owned());
    h.interrupts.store(0, Ordering::Relaxed);
    let luau = h.format.decode(type_name, input, instances);
    let work = h.interrupts.load(Ordering::Relaxed);
    let what = format!("{type_name} input {}", to_hex(input));
    // Each byte is read once per enclosing message; nesting needs two bytes a
    // level. The constant covers the defaults of a large type from no bytes.
    let n = input.len() as u64;
    let bound = 5000 + 60 * n * (1 + n / 2).min(64);
    assert!(
        work <= bound,
        "{what}: {work} interrupts, more than {bound}"
    );
    stats.2 = stats.2.max(work / (n + 1));
    let rust = Protobuf.decode(schema, &ty, input, instances);
    match (&luau, &rust) {
        (Err(message), _) if message.starts_with("decode raised") => {
            panic!("{what}: decode raised: {message}")
        }
        (Err(message), _) if !message.starts_with("protobuf: cannot decode") => {
            panic!("{what}: not a decode error: {message}")
        }
        (Err(message), Ok(_)) => {
            assert!(
                message.contains("unsafe integer") || message.contains("has no item"),
                "{what}: Luau rejected ({message}) what Rust accepts"
            );
            stats.1 += 1;
        }
        (Err(message), Err(_)) => {
            assert!(!message.contains("memory"), "{what}: ran out of memory");
            stats.1 += 1;
        }
        (Ok(value), Ok(expected)) => {
            assert!(
                same(value, expected),
                "{what}: Luau decoded {value:?}, Rust {expected:?}"
            );
            stats.0 += 1;
        }
        (Ok(value), Err(e)) => {
            assert!(
                e.message.contains("side table"),
                "{what}: Luau accepted {value:?}, Rust rejected: {e}"
            );
        }
    }
}

fn run(schema_name: &str, source: &str, seed: u64) {
    let schema = skyrocket_schema::parse_file(source).expect("schema parses");
    let h = Harness::new(&schema);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut stats = (0usize, 0usize, 0u64);
    for def in &schema.types {
        let ty = Ty::Named(def.name.clone());
        let instances: Vec<Instance> = (1..=4).map(|id| Instance { id }).collect();
        for _ in 0..RANDOM_INPUTS_PER_TYPE {
            let len = rng.gen_range(0..64);
            let input: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
            check_input(&schema, &h, &def.name, &input, &instances, &mut stats);
        }
        let mut gen = ValueGen::new(&schema, ChaCha8Rng::seed_from_u64(rng.gen()));
        for _ in 0..MUTATIONS_PER_TYPE {
            let value = gen.value(&ty);
            let Ok(encoded) = Protobuf.encode(&schema, &ty, &value) else {
                continue;
            };
            let input = mutate(&mut rng, &encoded.bytes);
            check_input(
                &schema,
                &h,
                &def.name,
                &input,
                &encoded.instances,
                &mut stats,
            );
        }
    }
    let (accepted, rejected, per_byte) = stats;
    eprintln!(
        "{schema_name}: {accepted} hostile inputs decoded identically, {rejected} rejected cleanly, at most {per_byte} interrupts a byte"
    );
    assert!(
        rejected > 100 && accepted > 100,
        "{schema_name}: both outcomes must be exercised"
    );
}

#[test]
fn hostile_bytes_into_feature_decoders_give_clean_errors_within_bounds() {
    run("features.rs", schemas::FEATURES, 17);
}

#[test]
fn hostile_bytes_into_arena_decoders_give_clean_errors_within_bounds() {
    run("arena/schema.rs", schemas::ARENA, 18);
}

/// `Tree.next` nested `depth` times.
fn nested_trees(depth: usize) -> Vec<u8> {
    let mut body = Vec::new();
    for _ in 0..depth {
        let mut outer = Vec::new();
        encode_key(3, WireType::LengthDelimited, &mut outer);
        encode_varint(body.len() as u64, &mut outer);
        outer.extend_from_slice(&body);
        body = outer;
    }
    body
}

#[test]
fn nesting_past_max_depth_is_refused_on_both_sides() {
    let schema = skyrocket_schema::parse_file(schemas::FEATURES).expect("schema parses");
    let h = Harness::new(&schema);
    // Tree has max_depth 16: the root and 15 nested levels decode.
    assert!(Protobuf
        .decode(&schema, &Ty::Named("Tree".into()), &nested_trees(15), &[])
        .is_ok());
    assert!(h.format.decode("Tree", &nested_trees(15), &[]).is_ok());
    let rust = Protobuf
        .decode(&schema, &Ty::Named("Tree".into()), &nested_trees(16), &[])
        .expect_err("too deep");
    assert!(rust.message.contains("max_depth 16"), "{rust}");
    let luau = h
        .format
        .decode("Tree", &nested_trees(5000), &[])
        .expect_err("too deep");
    assert!(luau.contains("max_depth 16"), "{luau}");
}

#[test]
fn a_huge_claimed_length_is_refused_before_allocating() {
    let schema = skyrocket_schema::parse_file(schemas::FEATURES).expect("schema parses");
    let h = Harness::new(&schema);
    // Collections.name (field 1) claims 2^32 - 1 bytes and has none.
    let input = [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f];
    let before = h.format.lua().used_memory();
    let message = h
        .format
        .decode("Collections", &input, &[])
        .expect_err("refused");
    let grown = h.format.lua().used_memory().saturating_sub(before);
    assert!(
        message.contains("past the end") && message.contains("at byte 0"),
        "{message}"
    );
    assert!(grown < 1 << 20, "decoder grew the heap by {grown} bytes");
    let rust = Protobuf
        .decode(&schema, &Ty::Named("Collections".into()), &input, &[])
        .expect_err("refused");
    assert!(rust.message.contains("past the end"), "{rust}");
}

#[test]
fn many_occurrences_of_a_sub_message_merge_in_linear_work() {
    let schema = skyrocket_schema::parse_file(schemas::FEATURES).expect("schema parses");
    let h = Harness::new(&schema);
    // Tree.next (field 3) 20000 times, each setting Tree.value (field 1) = 1:
    // protobuf merges them into one Tree.
    let mut input = Vec::new();
    for _ in 0..20_000 {
        input.extend_from_slice(&[0x1a, 0x02, 0x08, 0x02]);
    }
    h.interrupts.store(0, Ordering::Relaxed);
    let luau = h.format.decode("Tree", &input, &[]).expect("Luau merges");
    let work = h.interrupts.load(Ordering::Relaxed);
    assert!(
        work < 100 * input.len() as u64,
        "{work} interrupts for {} bytes",
        input.len()
    );
    let rust = Protobuf
        .decode(&schema, &Ty::Named("Tree".into()), &input, &[])
        .expect("Rust merges");
    assert!(same(&luau, &rust), "{luau:?} / {rust:?}");
    let leaf = skyrocket::dynamic::Value::Struct(vec![
        skyrocket::dynamic::Value::Int(1),
        skyrocket::dynamic::Value::List(vec![]),
        skyrocket::dynamic::Value::Option(None),
    ]);
    let expected = skyrocket::dynamic::Value::Struct(vec![
        skyrocket::dynamic::Value::Int(0),
        skyrocket::dynamic::Value::List(vec![]),
        skyrocket::dynamic::Value::Option(Some(Box::new(leaf))),
    ]);
    assert_eq!(rust, expected);
}

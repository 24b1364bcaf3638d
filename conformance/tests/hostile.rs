//! Part 4 of the conformance suite: hostile bytes. Random inputs and
//! mutations of valid messages go into the generated Luau decoders (and the
//! Rust ones, as a differential check):
//!
//! - `tryDecode` never raises, and returns a clean error string naming a
//!   spec error kind;
//! - work is bounded: the VM's interrupt count (called on loop back-edges and
//!   calls) stays linear in the input length;
//! - memory is bounded: the VM runs under a memory limit it never hits;
//! - Luau accepts exactly what Rust accepts (except 64-bit values Luau cannot
//!   represent, spec 7), and decodes it to the same value.

mod common;

use common::same;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skyrocket::dynamic;
use skyrocket::roblox::Instance;
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::json::to_hex;
use skyrocket_conformance::luau::LuauCodecs;
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::schemas;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const KINDS: [&str; 11] = [
    "UnexpectedEnd",
    "InvalidTag",
    "OutOfRange",
    "LengthLimit",
    "InvalidUtf8",
    "NonCanonical",
    "TrailingBytes",
    "DepthLimit",
    "InvalidVarint",
    "UnsafeInteger",
    "MissingInstance",
];
const RANDOM_INPUTS_PER_TYPE: usize = 200;
const MUTATIONS_PER_TYPE: usize = 200;

struct Harness {
    codecs: LuauCodecs,
    interrupts: Arc<AtomicU64>,
}

impl Harness {
    fn new(schema: &Schema) -> Self {
        let codecs = LuauCodecs::load(schema, true).expect("module loads");
        let interrupts = skyrocket_conformance::budget::guard(codecs.lua());
        Harness { codecs, interrupts }
    }
}

fn mutate(rng: &mut ChaCha8Rng, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    match rng.gen_range(0..5) {
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
        _ => {
            // Claim huge counts: 0xff bytes set every varint continuation and length bit.
            let at = rng.gen_range(0..=out.len());
            out.splice(at..at, [0xff; 6]);
        }
    }
    out
}

/// Random bytes around a message: decoders read bit-section windows that
/// may start before the message (up to a few hundred bytes for long runs of
/// fields), from the buffer or from the padded copy `read` makes.
fn surroundings(rng: &mut ChaCha8Rng) -> (Vec<u8>, Vec<u8>) {
    let before_len = match rng.gen_range(0..3) {
        0 => rng.gen_range(0..8),
        1 => rng.gen_range(8..64),
        _ => rng.gen_range(64..400),
    };
    let after_len = rng.gen_range(0..16);
    let before = (0..before_len).map(|_| rng.gen()).collect();
    let after = (0..after_len).map(|_| rng.gen()).collect();
    (before, after)
}

fn check_input(
    schema: &Schema,
    h: &Harness,
    rng: &mut ChaCha8Rng,
    type_name: &str,
    input: &[u8],
    instances: &[Instance],
    stats: &mut (usize, usize),
) {
    let ty = Ty::Named(type_name.to_owned());
    h.interrupts.store(0, Ordering::Relaxed);
    let luau = h.codecs.try_decode(type_name, input, instances);
    let work = h.interrupts.load(Ordering::Relaxed);
    let what = format!("{type_name} input {}", to_hex(input));
    let (before, after) = surroundings(rng);
    let within = h
        .codecs
        .try_decode_within(type_name, &before, input, &after, instances);
    match (&luau, &within) {
        (Ok(a), Ok(b)) => assert!(
            same(a, b),
            "{what}: decoded {a:?} alone, {b:?} after {} other bytes",
            before.len()
        ),
        (Err(a), Err(b)) => assert_eq!(
            a,
            b,
            "{what}: the error changed with {} bytes before the message",
            before.len()
        ),
        _ => panic!(
            "{what}: alone {luau:?}, after {} other bytes {within:?}",
            before.len()
        ),
    }
    // Generous constant: a few interrupts per element or call, never more than linear.
    let bound = 64 + 16 * input.len() as u64 * 8;
    assert!(
        work <= bound,
        "{what}: {work} interrupts, more than linear ({bound})"
    );
    let rust = dynamic::from_bytes(schema, &ty, input, instances);
    match (&luau, &rust) {
        (Err(message), _) if message.starts_with("tryDecode raised") => {
            panic!("{what}: tryDecode raised: {message}")
        }
        (Err(message), Ok(_)) => {
            // Only Luau refuses 64-bit values it cannot represent (spec 7) and
            // Roblox enum values with no item (spec 5): Rust knows no Roblox enums.
            let luau_only = message.contains("UnsafeInteger")
                || (message.contains("InvalidTag")
                    && mentions_enum_item(schema, &ty, &mut Vec::new()));
            assert!(
                luau_only,
                "{what}: Luau rejected ({message}) what Rust accepts"
            );
            stats.1 += 1;
        }
        (Err(message), Err(_)) => {
            assert!(
                KINDS.iter().any(|k| message.contains(k)),
                "{what}: error {message:?} names no spec error kind"
            );
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
        (Ok(value), Err(e)) => panic!("{what}: Luau accepted {value:?}, Rust rejected: {e}"),
    }
}

fn mentions_enum_item(schema: &Schema, ty: &Ty, seen: &mut Vec<String>) -> bool {
    use skyrocket::schema::{RobloxTy, TypeKind};
    match ty {
        Ty::Roblox(RobloxTy::EnumItem { .. }) => true,
        Ty::Option(t) | Ty::Boxed(t) => mentions_enum_item(schema, t, seen),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            mentions_enum_item(schema, elem, seen)
        }
        Ty::Map { key, value, .. } => {
            mentions_enum_item(schema, key, seen) || mentions_enum_item(schema, value, seen)
        }
        Ty::Tuple(tys) => tys.iter().any(|t| mentions_enum_item(schema, t, seen)),
        Ty::Named(name) if !seen.contains(name) => {
            seen.push(name.clone());
            let fields: Vec<Ty> = match schema.get(name).map(|d| &d.kind) {
                Some(TypeKind::Struct(f)) => f.iter().map(|f| f.ty.clone()).collect(),
                Some(TypeKind::Enum(vs)) => vs
                    .iter()
                    .flat_map(|v| v.fields.iter().map(|f| f.ty.clone()))
                    .collect(),
                None => Vec::new(),
            };
            fields.iter().any(|t| mentions_enum_item(schema, t, seen))
        }
        _ => false,
    }
}

fn run(schema_name: &str, source: &str, seed: u64) {
    let schema = skyrocket_schema::parse_file(source).expect("schema parses");
    let h = Harness::new(&schema);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut stats = (0usize, 0usize);
    for def in &schema.types {
        let ty = Ty::Named(def.name.clone());
        let instances: Vec<Instance> = (1..=4).map(|id| Instance { id }).collect();
        for _ in 0..RANDOM_INPUTS_PER_TYPE {
            let len = rng.gen_range(0..64);
            let input: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
            check_input(
                &schema, &h, &mut rng, &def.name, &input, &instances, &mut stats,
            );
        }
        let mut gen = ValueGen::new(&schema, ChaCha8Rng::seed_from_u64(rng.gen()));
        for _ in 0..MUTATIONS_PER_TYPE {
            let value = gen.value(&ty);
            let Ok((bytes, side)) = dynamic::to_bytes(&schema, &ty, &value) else {
                continue;
            };
            let input = mutate(&mut rng, &bytes);
            check_input(&schema, &h, &mut rng, &def.name, &input, &side, &mut stats);
        }
    }
    let (accepted, rejected) = stats;
    eprintln!(
        "{schema_name}: {accepted} hostile inputs decoded identically, {rejected} rejected cleanly"
    );
    assert!(
        rejected > accepted,
        "{schema_name}: the mutations should mostly be invalid"
    );
}

#[test]
fn hostile_bytes_into_feature_decoders_give_clean_errors_within_bounds() {
    run("features.rs", schemas::FEATURES, 7);
}

#[test]
fn hostile_bytes_into_arena_decoders_give_clean_errors_within_bounds() {
    run("arena/schema.rs", schemas::ARENA, 8);
}

#[test]
fn hostile_bytes_into_wide_struct_decoders_give_clean_errors_within_bounds() {
    run("wide", &schemas::wide(), 10);
}

#[test]
fn hostile_bytes_into_bool_run_decoders_give_clean_errors_within_bounds() {
    run("bool runs", schemas::BOOL_RUNS, 9);
}

#[test]
fn a_huge_claimed_count_is_refused_before_allocating() {
    let schema = skyrocket_schema::parse_file(schemas::FEATURES).expect("schema parses");
    let h = Harness::new(&schema);
    // Collections.name: a varint length of 2^32 - 1 with no bytes behind it.
    let mut input = vec![0u8; 8];
    input.extend_from_slice(&[0x0f, 0xff, 0xff, 0xff, 0xff]);
    input.reverse();
    let before = h.codecs.lua().used_memory();
    let result = h.codecs.try_decode("Collections", &input, &[]);
    let grown = h.codecs.lua().used_memory().saturating_sub(before);
    let message = result.expect_err("a 4 GB string in 13 bytes must be refused");
    assert!(
        message.contains("LengthLimit") || message.contains("UnexpectedEnd"),
        "unexpected error {message}"
    );
    assert!(grown < 1 << 20, "decoder grew the heap by {grown} bytes");
}

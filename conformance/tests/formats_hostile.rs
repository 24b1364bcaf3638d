//! Hostile input into the Luau JSON and MessagePack decoders (and the Rust
//! ones, as a differential check): random bytes, mutations of valid
//! messages, and pathological nesting.
//!
//! - `decode` never raises, and returns `<format>: cannot decode ...`;
//! - work is bounded: the VM's interrupt count stays linear in the input;
//! - memory is bounded: the VM runs under a limit it never hits;
//! - Luau accepts exactly what Rust accepts (except 64-bit values Luau
//!   cannot represent and Roblox enum values with no item), and decodes it
//!   to the same value.

mod common;

use common::same;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skyrocket::roblox::Instance;
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::formats::LuauFormats;
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::schemas;
use skyrocket_formats::{Codec, Json, MsgPack};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const RANDOM_INPUTS_PER_TYPE: usize = 100;
const MUTATIONS_PER_TYPE: usize = 150;

struct Harness {
    formats: LuauFormats,
    interrupts: Arc<AtomicU64>,
}

impl Harness {
    fn new(schema: &Schema) -> Self {
        let formats = LuauFormats::load(schema, true).expect("formats load");
        let interrupts = skyrocket_conformance::budget::guard(formats.lua());
        Harness {
            formats,
            interrupts,
        }
    }
}

/// Bytes that make JSON and MessagePack mutations interesting.
const JSON_BYTES: &[u8] = b"{}[]\",:-0123456789.eE+ \\u\"truefalsenullkind";

fn mutate(rng: &mut ChaCha8Rng, bytes: &[u8], json: bool) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let pick = |rng: &mut ChaCha8Rng| {
        if json && rng.gen_ratio(3, 4) {
            JSON_BYTES[rng.gen_range(0..JSON_BYTES.len())]
        } else {
            rng.gen()
        }
    };
    match rng.gen_range(0..6) {
        0 if !out.is_empty() => {
            let at = rng.gen_range(0..out.len());
            out[at] ^= 1 << rng.gen_range(0..8);
        }
        1 if !out.is_empty() => {
            let at = rng.gen_range(0..out.len());
            out[at] = pick(rng);
        }
        2 => {
            let at = rng.gen_range(0..=out.len());
            let b = pick(rng);
            out.insert(at, b);
        }
        3 if !out.is_empty() => {
            let at = rng.gen_range(0..out.len());
            out.remove(at);
        }
        4 if !out.is_empty() => {
            // Duplicate a slice: repeated keys, elements, nesting.
            let a = rng.gen_range(0..out.len());
            let b = rng.gen_range(a..=out.len().min(a + 24));
            let slice = out[a..b].to_vec();
            out.splice(b..b, slice);
        }
        _ => {
            // Claim huge counts or nest deeply.
            let at = rng.gen_range(0..=out.len());
            let filler: &[u8] = if json {
                b"[[[[[[[["
            } else {
                &[0xdd, 0xff, 0xff, 0xff, 0xff, 0x91]
            };
            out.splice(at..at, filler.iter().copied());
        }
    }
    out
}

fn check(
    schema: &Schema,
    h: &Harness,
    codec: &dyn Codec,
    type_name: &str,
    input: &[u8],
    instances: &[Instance],
    stats: &mut (usize, usize),
) {
    let format = codec.name();
    let ty = Ty::Named(type_name.to_owned());
    h.interrupts.store(0, Ordering::Relaxed);
    let luau = h.formats.decode(format, type_name, input, instances);
    let work = h.interrupts.load(Ordering::Relaxed);
    let what = format!(
        "{format} {type_name} input {:?}",
        String::from_utf8_lossy(input)
    );
    let bound = 256 + 64 * input.len() as u64;
    assert!(
        work <= bound,
        "{what}: {work} interrupts, more than linear ({bound})"
    );
    let rust = codec.decode(schema, &ty, input, instances);
    match (&luau, &rust) {
        (Err(message), _) if message.starts_with("decode raised") => {
            panic!("{what}: decode raised: {message}")
        }
        (Err(message), Ok(_)) => {
            let luau_only = message.contains("UnsafeInteger") || message.contains("InvalidTag");
            assert!(
                luau_only,
                "{what}: Luau rejected ({message}) what Rust accepts"
            );
            stats.1 += 1;
        }
        (Err(message), Err(_)) => {
            assert!(
                message.starts_with(&format!("{format}: cannot decode")),
                "{what}: unclear error {message:?}"
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

fn run(schema_name: &str, source: &str, seed: u64) {
    let schema = skyrocket_schema::parse_file(source).expect("schema parses");
    let h = Harness::new(&schema);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for codec in [&Json as &dyn Codec, &MsgPack] {
        let json = codec.name() == "json";
        let mut stats = (0usize, 0usize);
        for def in &schema.types {
            let ty = Ty::Named(def.name.clone());
            let instances: Vec<Instance> = (1..=4).map(|id| Instance { id }).collect();
            for _ in 0..RANDOM_INPUTS_PER_TYPE {
                let len = rng.gen_range(0..64);
                let input: Vec<u8> = (0..len)
                    .map(|_| {
                        if json {
                            JSON_BYTES[rng.gen_range(0..JSON_BYTES.len())]
                        } else {
                            rng.gen()
                        }
                    })
                    .collect();
                check(
                    &schema, &h, codec, &def.name, &input, &instances, &mut stats,
                );
            }
            let mut gen = ValueGen::new(&schema, ChaCha8Rng::seed_from_u64(rng.gen()));
            gen.max_unbounded_len = 4;
            for _ in 0..MUTATIONS_PER_TYPE {
                let value = gen.value(&ty);
                let Ok(encoded) = codec.encode(&schema, &ty, &value) else {
                    continue;
                };
                let input = mutate(&mut rng, &encoded.bytes, json);
                check(
                    &schema,
                    &h,
                    codec,
                    &def.name,
                    &input,
                    &encoded.instances,
                    &mut stats,
                );
            }
        }
        let (accepted, rejected) = stats;
        eprintln!(
            "{schema_name} {}: {accepted} hostile inputs decoded identically, {rejected} rejected cleanly",
            codec.name()
        );
        assert!(
            rejected > 0 && accepted > 0,
            "{schema_name}: mutations should mix valid and invalid"
        );
    }
}

#[test]
fn hostile_input_into_feature_format_decoders_gives_clean_errors_within_bounds() {
    run("features.rs", schemas::FEATURES, 21);
}

#[test]
fn hostile_input_into_arena_format_decoders_gives_clean_errors_within_bounds() {
    run("arena/schema.rs", schemas::ARENA, 22);
}

#[test]
fn deep_nesting_and_huge_claims_are_refused_before_work_or_allocation() {
    let schema = skyrocket_schema::parse_file(schemas::FEATURES).expect("schema parses");
    let h = Harness::new(&schema);
    let tree = |depth: usize| {
        let mut s = String::new();
        for _ in 0..depth {
            s.push_str("{\"value\":1,\"children\":[],\"next\":");
        }
        s.push_str("null");
        s.push_str(&"}".repeat(depth));
        s
    };
    // Tree has max_depth 16: 16 levels decode, 17 do not, on both sides.
    for (depth, ok) in [(16, true), (17, false)] {
        let input = tree(depth);
        let rust = Json.decode(&schema, &Ty::Named("Tree".into()), input.as_bytes(), &[]);
        let luau = h.formats.decode("json", "Tree", input.as_bytes(), &[]);
        assert_eq!(rust.is_ok(), ok, "Rust at depth {depth}: {rust:?}");
        assert_eq!(luau.is_ok(), ok, "Luau at depth {depth}: {luau:?}");
    }
    // An unknown key holding 100k nested arrays is refused at SKIP_DEPTH.
    let deep = format!(
        "{{\"value\":1,\"children\":[],\"next\":null,\"x\":{}",
        "[".repeat(100_000)
    );
    let message = h
        .formats
        .decode("json", "Tree", deep.as_bytes(), &[])
        .expect_err("refused");
    assert!(message.contains("nests deeper"), "{message}");
    let message = Json
        .decode(&schema, &Ty::Named("Tree".into()), deep.as_bytes(), &[])
        .expect_err("refused")
        .to_string();
    assert!(message.contains("nests deeper"), "{message}");
    // A MessagePack array32 claiming 4 billion elements in 5 bytes.
    let before = h.formats.lua().used_memory();
    let claim = [
        0x81, 0xa7, b'n', b'u', b'm', b'b', b'e', b'r', b's', 0xdd, 0xff, 0xff, 0xff, 0xff,
    ];
    let message = h
        .formats
        .decode("msgpack", "Collections", &claim, &[])
        .expect_err("refused");
    assert!(message.contains("claimed"), "{message}");
    let grown = h.formats.lua().used_memory().saturating_sub(before);
    assert!(grown < 1 << 20, "decoder grew the heap by {grown} bytes");
}

//! Protobuf in Rust and Luau (`Formats/Protobuf.luau`): for random values of
//! every type in `conformance/schemas/`, both sides write the same bytes and
//! side table, each decodes the other's bytes to the same value, and unknown
//! fields of every wire type are skipped the same way.

mod common;

use common::same;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::formats::LuauFormat;
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::{json, schemas};
use skyrocket_formats::{Codec, Protobuf};

const CASES_PER_TYPE: usize = 150;
const MODULE: &str = "Formats/Protobuf.luau";

/// Unknown fields of every wire type (numbers no conformance type uses),
/// including a group with a nested group.
fn unknown_fields(rng: &mut ChaCha8Rng) -> Vec<u8> {
    use prost::encoding::{encode_key, encode_varint, WireType};
    let mut out = Vec::new();
    for _ in 0..rng.gen_range(1..4) {
        let number = rng.gen_range(1000..1_000_000);
        match rng.gen_range(0..5) {
            0 => {
                encode_key(number, WireType::Varint, &mut out);
                encode_varint(rng.gen(), &mut out);
            }
            1 => {
                encode_key(number, WireType::SixtyFourBit, &mut out);
                out.extend_from_slice(&rng.gen::<u64>().to_le_bytes());
            }
            2 => {
                encode_key(number, WireType::ThirtyTwoBit, &mut out);
                out.extend_from_slice(&rng.gen::<u32>().to_le_bytes());
            }
            3 => {
                encode_key(number, WireType::LengthDelimited, &mut out);
                let len = rng.gen_range(0..20);
                encode_varint(len, &mut out);
                out.extend((0..len).map(|_| rng.gen::<u8>()));
            }
            _ => {
                encode_key(number, WireType::StartGroup, &mut out);
                encode_key(number + 1, WireType::Varint, &mut out);
                encode_varint(300, &mut out);
                encode_key(number + 2, WireType::StartGroup, &mut out);
                encode_key(number + 2, WireType::EndGroup, &mut out);
                encode_key(number, WireType::EndGroup, &mut out);
            }
        }
    }
    out
}

fn check_type(schema: &Schema, luau: &[(&str, LuauFormat)], type_name: &str, seed: u64) {
    let ty = Ty::Named(type_name.to_owned());
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xf00d);
    let mut gen = ValueGen::new(schema, ChaCha8Rng::seed_from_u64(seed));
    for case in 0..CASES_PER_TYPE {
        let value = gen.value(&ty);
        let context = || {
            format!(
                "type {type_name}, case {case}, value {}",
                json::to_json(schema, &ty, &value)
            )
        };
        let rust = Protobuf
            .encode(schema, &ty, &value)
            .unwrap_or_else(|e| panic!("Rust encode failed: {e}; {}", context()));
        let canonical = Protobuf
            .decode(schema, &ty, &rust.bytes, &rust.instances)
            .unwrap_or_else(|e| panic!("Rust decode failed: {e}; {}", context()));
        let mut noisy = unknown_fields(&mut rng);
        noisy.extend_from_slice(&rust.bytes);
        noisy.extend(unknown_fields(&mut rng));
        let rust_noisy = Protobuf
            .decode(schema, &ty, &noisy, &rust.instances)
            .unwrap_or_else(|e| {
                panic!("Rust decode with unknown fields failed: {e}; {}", context())
            });
        assert!(
            same(&rust_noisy, &canonical),
            "unknown fields changed the value; {}",
            context()
        );
        for (mode, format) in luau {
            let (bytes, instances) = format
                .encode(type_name, &value)
                .unwrap_or_else(|e| panic!("Luau ({mode}) encode failed: {e}; {}", context()));
            assert_eq!(
                json::to_hex(&bytes),
                json::to_hex(&rust.bytes),
                "Luau ({mode}) bytes differ; {}",
                context()
            );
            assert_eq!(
                instances,
                rust.instances,
                "Luau ({mode}) side table differs; {}",
                context()
            );
            for (what, input) in [
                ("Rust bytes", &rust.bytes),
                ("bytes with unknown fields", &noisy),
            ] {
                let decoded = format
                    .decode(type_name, input, &rust.instances)
                    .unwrap_or_else(|e| {
                        panic!("Luau ({mode}) decode of {what} failed: {e}; {}", context())
                    });
                assert!(
                    same(&decoded, &canonical),
                    "Luau ({mode}) decoded {what} to {}, Rust to {}; {}",
                    json::to_json(schema, &ty, &decoded),
                    json::to_json(schema, &ty, &canonical),
                    context()
                );
            }
        }
    }
}

fn check_schema(name: &str, source: &str) {
    let schema = skyrocket_schema::parse_file(source)
        .unwrap_or_else(|e| panic!("{name} does not parse: {e:?}"));
    let luau = [
        (
            "interpreter",
            LuauFormat::load(&schema, MODULE, false).expect("module loads"),
        ),
        (
            "native",
            LuauFormat::load(&schema, MODULE, true).expect("module loads"),
        ),
    ];
    let mut failures = Vec::new();
    for (i, def) in schema.types.iter().enumerate() {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_type(&schema, &luau, &def.name, 0x9b + i as u64)
        }));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "non-string panic".into());
            failures.push(format!("{}: {message}", def.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: {} types disagree:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn rust_and_luau_protobuf_agree_on_the_feature_schema() {
    check_schema("features.rs", schemas::FEATURES);
}

#[test]
fn rust_and_luau_protobuf_agree_on_the_arena_schema() {
    check_schema("arena/schema.rs", schemas::ARENA);
}

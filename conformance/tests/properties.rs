//! Part 2 of the conformance suite: random values of every type in
//! `conformance/schemas/` encode to identical bytes in Rust and in the
//! generated Luau (interpreted and natively compiled), and each side decodes
//! the other's bytes to the same value. The derive is held to the same bytes.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use skyrocket::dynamic;
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::luau::LuauCodecs;
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::{json, schemas};

const CASES_PER_TYPE: usize = 150;

mod common;
use common::{derive_round_trip, same};

fn check_type(
    schema: &Schema,
    luau: &[(&str, LuauCodecs)],
    type_name: &str,
    seed: u64,
    derived: bool,
) {
    let ty = Ty::Named(type_name.to_owned());
    let mut gen = ValueGen::new(schema, ChaCha8Rng::seed_from_u64(seed));
    for case in 0..CASES_PER_TYPE {
        let value = gen.value(&ty);
        let context = || {
            format!(
                "type {type_name}, case {case}, value {}",
                json::to_json(schema, &ty, &value)
            )
        };
        let (rust_bytes, instances) = dynamic::to_bytes(schema, &ty, &value)
            .unwrap_or_else(|e| panic!("Rust encode failed: {e}; {}", context()));
        let canonical = dynamic::from_bytes(schema, &ty, &rust_bytes, &instances)
            .unwrap_or_else(|e| panic!("Rust decode failed: {e}; {}", context()));
        // Decoding and re-encoding is the identity except where the spec
        // allows otherwise (smallest-three rotations at near-ties, spec 5.1),
        // so the derive is held to what the schema codec re-encodes.
        let (again, _) = dynamic::to_bytes(schema, &ty, &canonical)
            .unwrap_or_else(|e| panic!("Rust re-encode failed: {e}; {}", context()));
        if derived {
            assert_eq!(
                derive_round_trip(type_name, &rust_bytes, &instances).as_deref(),
                Ok(&again[..]),
                "derive disagrees with the schema codec; {}",
                context()
            );
        }
        for (mode, codecs) in luau {
            let (luau_bytes, luau_instances) = codecs
                .encode(type_name, &value)
                .unwrap_or_else(|e| panic!("Luau ({mode}) encode failed: {e}; {}", context()));
            assert_eq!(
                json::to_hex(&luau_bytes),
                json::to_hex(&rust_bytes),
                "Luau ({mode}) bytes differ from Rust; {}",
                context()
            );
            assert_eq!(
                luau_instances,
                instances,
                "Luau ({mode}) side table differs; {}",
                context()
            );
            let decoded = codecs
                .try_decode(type_name, &rust_bytes, &instances)
                .unwrap_or_else(|e| {
                    panic!(
                        "Luau ({mode}) decode of Rust bytes failed: {e}; {}",
                        context()
                    )
                });
            assert!(
                same(&decoded, &canonical),
                "Luau ({mode}) decoded {:?}, Rust decoded {:?}; {}",
                json::to_json(schema, &ty, &decoded),
                json::to_json(schema, &ty, &canonical),
                context()
            );
        }
    }
}

fn check_schema(name: &str, source: &str, min_types: usize, derived: bool) {
    let schema = skyrocket_schema::parse_file(source)
        .unwrap_or_else(|e| panic!("{name} does not parse: {e:?}"));
    let luau = [
        (
            "interpreter",
            LuauCodecs::load(&schema, false).expect("module loads"),
        ),
        (
            "native",
            LuauCodecs::load(&schema, true).expect("module loads"),
        ),
    ];
    assert!(schema.types.len() >= min_types, "{name} lost types");
    let mut failures = Vec::new();
    for (i, def) in schema.types.iter().enumerate() {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_type(&schema, &luau, &def.name, 0x5eed + i as u64, derived)
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
fn rust_and_luau_agree_on_random_values_of_the_feature_schema() {
    check_schema("features.rs", schemas::FEATURES, 12, true);
}

#[test]
fn rust_and_luau_agree_on_random_values_of_the_arena_schema() {
    check_schema("arena/schema.rs", schemas::ARENA, 11, true);
}

#[test]
fn rust_and_luau_agree_on_random_values_of_structs_wider_than_luau_locals() {
    check_schema("wide", &schemas::wide(), 3, false);
}

#[test]
fn rust_and_luau_agree_on_random_bool_runs() {
    check_schema("bool runs", schemas::BOOL_RUNS, 1, false);
}

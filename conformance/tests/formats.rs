//! JSON and MessagePack across languages: for random values of every type in
//! `conformance/schemas/` (and the arena schema), the Luau encoders
//! (`Formats/Json.luau`, `Formats/MsgPack.luau`) write exactly the Rust
//! bytes, each side decodes the other's bytes to the same value, and
//! re-encoding is the identity.

mod common;

use common::same;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::formats::LuauFormats;
use skyrocket_conformance::json::{to_hex, to_json};
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::schemas;
use skyrocket_formats::{Codec, Json, MsgPack};

const CASES_PER_TYPE: usize = 80;

fn shown(format: &str, bytes: &[u8]) -> String {
    if format == "json" {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        to_hex(bytes)
    }
}

fn check_type(schema: &Schema, luau: &LuauFormats, codec: &dyn Codec, type_name: &str, seed: u64) {
    let format = codec.name();
    let ty = Ty::Named(type_name.to_owned());
    let mut gen = ValueGen::new(schema, ChaCha8Rng::seed_from_u64(seed));
    for case in 0..CASES_PER_TYPE {
        let value = gen.value(&ty);
        let context = || format!("{format} {type_name} case {case}: {}", to_json(schema, &ty, &value));
        let rust = codec
            .encode(schema, &ty, &value)
            .unwrap_or_else(|e| panic!("Rust encode failed: {e}; {}", context()));
        let back = codec
            .decode(schema, &ty, &rust.bytes, &rust.instances)
            .unwrap_or_else(|e| panic!("Rust decode of {} failed: {e}; {}", shown(format, &rust.bytes), context()));
        assert!(same(&back, &value), "Rust round trip gave {back:?}; {}", context());
        let (bytes, instances) = luau
            .encode(format, type_name, &value)
            .unwrap_or_else(|e| panic!("Luau encode failed: {e}; {}", context()));
        assert_eq!(
            shown(format, &bytes),
            shown(format, &rust.bytes),
            "Luau bytes differ from Rust; {}",
            context()
        );
        assert_eq!(instances, rust.instances, "side tables differ; {}", context());
        let decoded = luau
            .decode(format, type_name, &rust.bytes, &rust.instances)
            .unwrap_or_else(|e| panic!("Luau decode failed: {e}; {}", context()));
        assert!(same(&decoded, &value), "Luau decoded {decoded:?}; {}", context());
    }
}

fn check_schema(name: &str, source: &str, native: bool) {
    let schema = skyrocket_schema::parse_file(source).expect("schema parses");
    let luau = LuauFormats::load(&schema, native).expect("formats load");
    let mut failures = Vec::new();
    for codec in [&Json as &dyn Codec, &MsgPack] {
        for (i, def) in schema.types.iter().enumerate() {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                check_type(&schema, &luau, codec, &def.name, 0xf0 + i as u64)
            }));
            if let Err(panic) = outcome {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| "non-string panic".into());
                failures.push(format!("{} {}: {message}", codec.name(), def.name));
            }
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
fn json_and_msgpack_agree_on_the_feature_schema() {
    check_schema("features.rs", schemas::FEATURES, true);
}

#[test]
fn json_and_msgpack_agree_on_the_arena_schema_interpreted() {
    check_schema("arena/schema.rs", schemas::ARENA, false);
}

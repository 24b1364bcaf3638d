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
        let context = || {
            format!(
                "{format} {type_name} case {case}: {}",
                to_json(schema, &ty, &value)
            )
        };
        let rust = codec
            .encode(schema, &ty, &value)
            .unwrap_or_else(|e| panic!("Rust encode failed: {e}; {}", context()));
        let back = codec
            .decode(schema, &ty, &rust.bytes, &rust.instances)
            .unwrap_or_else(|e| {
                panic!(
                    "Rust decode of {} failed: {e}; {}",
                    shown(format, &rust.bytes),
                    context()
                )
            });
        assert!(
            same(&back, &value),
            "Rust round trip gave {back:?}; {}",
            context()
        );
        let (bytes, instances) = luau
            .encode(format, type_name, &value)
            .unwrap_or_else(|e| panic!("Luau encode failed: {e}; {}", context()));
        assert_eq!(
            shown(format, &bytes),
            shown(format, &rust.bytes),
            "Luau bytes differ from Rust; {}",
            context()
        );
        assert_eq!(
            instances,
            rust.instances,
            "side tables differ; {}",
            context()
        );
        let decoded = luau
            .decode(format, type_name, &rust.bytes, &rust.instances)
            .unwrap_or_else(|e| panic!("Luau decode failed: {e}; {}", context()));
        assert!(
            same(&decoded, &value),
            "Luau decoded {decoded:?}; {}",
            context()
        );
        if format == "json" {
            // Any JSON text for the value decodes to it: serde_json's
            // rendering sorts the keys, indents, and writes floats its way.
            let parsed: serde_json::Value =
                serde_json::from_slice(&rust.bytes).expect("canonical JSON is JSON");
            let pretty = serde_json::to_string_pretty(&parsed).expect("renders");
            let from_rust = codec
                .decode(schema, &ty, pretty.as_bytes(), &rust.instances)
                .unwrap_or_else(|e| panic!("Rust rejected {pretty}: {e}; {}", context()));
            assert!(
                same(&from_rust, &value),
                "Rust read {pretty} as {from_rust:?}; {}",
                context()
            );
            let from_luau = luau
                .decode(format, type_name, pretty.as_bytes(), &rust.instances)
                .unwrap_or_else(|e| panic!("Luau rejected {pretty}: {e}; {}", context()));
            assert!(
                same(&from_luau, &value),
                "Luau read {pretty} as {from_luau:?}; {}",
                context()
            );
        }
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

/// Doubles and singles that stress the shortest-digits search: powers of
/// two (lopsided rounding intervals) and their neighbours, powers of ten,
/// the layout thresholds (1e21, 1e-7), subnormals, and random bit patterns.
fn stress_floats(rng: &mut ChaCha8Rng) -> (Vec<f64>, Vec<f32>) {
    use rand::Rng;
    let mut doubles = Vec::new();
    for k in -1074..=1023 {
        let p = 2f64.powi(k);
        doubles.extend([
            p,
            f64::from_bits(p.to_bits() + 1),
            f64::from_bits(p.to_bits().saturating_sub(1)),
        ]);
    }
    for k in -323..=308 {
        let p: f64 = format!("1e{k}").parse().unwrap_or(1.0);
        doubles.extend([
            p,
            f64::from_bits(p.to_bits() + 1),
            f64::from_bits(p.to_bits().saturating_sub(1)),
        ]);
    }
    doubles.extend([
        9007199254740993.0,
        1e21 - 65536.0,
        244452721654215.5 + 0.125,
        0.1 + 0.2,
        f64::MAX,
    ]);
    for _ in 0..6000 {
        doubles.push(f64::from_bits(rng.gen()));
        doubles.push(rng.gen_range(-1e6..1e6));
    }
    let mut singles = Vec::new();
    for k in -149..=127 {
        let p = 2f32.powi(k);
        singles.extend([
            p,
            f32::from_bits(p.to_bits() + 1),
            f32::from_bits(p.to_bits().saturating_sub(1)),
        ]);
    }
    for k in -45..=38 {
        let p: f32 = format!("1e{k}").parse().unwrap_or(1.0);
        singles.extend([
            p,
            f32::from_bits(p.to_bits() + 1),
            f32::from_bits(p.to_bits().saturating_sub(1)),
        ]);
    }
    for _ in 0..6000 {
        singles.push(f32::from_bits(rng.gen()));
        singles.push(rng.gen_range(-5000.0f32..5000.0));
    }
    (doubles, singles)
}

#[test]
fn floats_print_identically_in_rust_and_luau() {
    use skyrocket::dynamic::Value;
    let schema = skyrocket_schema::parse_file(
        "#[derive(NetCodec)] struct Floats { doubles: Vec<f64>, singles: Vec<f32> }",
    )
    .expect("schema parses");
    let luau = LuauFormats::load(&schema, true).expect("formats load");
    let ty = Ty::Named("Floats".into());
    let (doubles, singles) = stress_floats(&mut ChaCha8Rng::seed_from_u64(11));
    for (d, s) in doubles.chunks(500).zip(singles.chunks(250).cycle()) {
        let value = Value::Struct(vec![
            Value::List(d.iter().map(|&x| Value::Float(x)).collect()),
            Value::List(s.iter().map(|&x| Value::Float(x as f64)).collect()),
        ]);
        let rust = Json.encode(&schema, &ty, &value).expect("Rust encodes");
        let (bytes, _) = luau.encode("json", "Floats", &value).expect("Luau encodes");
        let (rust_text, luau_text) = (shown("json", &rust.bytes), shown("json", &bytes));
        if rust_text != luau_text {
            let first = rust_text
                .split(',')
                .zip(luau_text.split(','))
                .find(|(a, b)| a != b);
            panic!("Rust and Luau print a float differently: {first:?}");
        }
        // Every printed number reads back as the same value on both sides.
        let back = Json
            .decode(&schema, &ty, &rust.bytes, &[])
            .expect("Rust decodes");
        assert!(same(&back, &value), "Rust read back a different value");
        let back = luau
            .decode("json", "Floats", &rust.bytes, &[])
            .expect("Luau decodes");
        assert!(same(&back, &value), "Luau read back a different value");
    }
}

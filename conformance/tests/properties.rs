//! Part 2 of the conformance suite: random values of every type in
//! `conformance/schemas/` encode to identical bytes in Rust and in the
//! generated Luau (interpreted and natively compiled), and each side decodes
//! the other's bytes to the same value. The derive is held to the same bytes.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use skyrocket::dynamic::{self, Value};
use skyrocket::schema::{Schema, Ty};
use skyrocket::NetCodec;
use skyrocket_conformance::luau::LuauCodecs;
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::{json, schemas};

#[allow(dead_code)]
#[path = "../schemas/features.rs"]
mod features;

const CASES_PER_TYPE: usize = 150;

/// Bitwise equality, so NaN == NaN and 0.0 != -0.0.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        (Value::Option(x), Value::Option(y)) => match (x, y) {
            (Some(x), Some(y)) => same(x, y),
            (None, None) => true,
            _ => false,
        },
        (Value::List(x), Value::List(y)) | (Value::Struct(x), Value::Struct(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Enum(i, x), Value::Enum(j, y)) => {
            i == j && same(&Value::List(x.clone()), &Value::List(y.clone()))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
        }
        (Value::Vector3(x), Value::Vector3(y)) => {
            [x.x, x.y, x.z].map(f32::to_bits) == [y.x, y.y, y.z].map(f32::to_bits)
                || format!("{x:?}") == format!("{y:?}")
        }
        _ => a == b || format!("{a:?}") == format!("{b:?}"),
    }
}

/// Decodes with the derived Rust type and re-encodes: must give `bytes` back.
fn derive_round_trip(
    type_name: &str,
    bytes: &[u8],
    instances: &[skyrocket::roblox::Instance],
) -> Result<Vec<u8>, String> {
    macro_rules! typed {
        ($($t:ident),*) => {
            match type_name {
                $(stringify!($t) => {
                    let mut dec = skyrocket::Decoder::with_instances(bytes, instances);
                    let value = features::$t::decode(&mut dec).map_err(|e| e.to_string())?;
                    dec.finish().map_err(|e| e.to_string())?;
                    let mut enc = skyrocket::Encoder::new();
                    value.encode(&mut enc).map_err(|e| e.to_string())?;
                    Ok(enc.finish())
                })*
                other => Err(format!("no derived type {other}")),
            }
        };
    }
    typed!(
        Integers,
        Floats,
        Collections,
        Marker,
        Pair,
        Shape,
        Only,
        Tree,
        Expr,
        RobloxValues,
        WithSkip,
        Everything
    )
}

fn check_type(schema: &Schema, luau: &[(&str, LuauCodecs)], type_name: &str, seed: u64) {
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
        assert_eq!(
            derive_round_trip(type_name, &rust_bytes, &instances).as_deref(),
            Ok(&rust_bytes[..]),
            "derive disagrees with the schema codec; {}",
            context()
        );
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

#[test]
fn rust_and_luau_agree_on_random_values_of_every_conformance_type() {
    let schema = skyrocket_schema::parse_file(schemas::FEATURES).expect("features.rs parses");
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
    assert!(schema.types.len() >= 12, "the feature schema lost types");
    let mut failures = Vec::new();
    for (i, def) in schema.types.iter().enumerate() {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_type(&schema, &luau, &def.name, 0x5eed + i as u64)
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
        "{} types disagree:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

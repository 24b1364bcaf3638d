//! The derive on the shared schemas (`conformance/schemas/features.rs`,
//! `examples/arena/schema.rs`): its `describe()` must equal what the schema
//! parser (`skyrocket gen`'s view) reads from the same file, and its codecs
//! must agree byte for byte with the IR-driven dynamic codec on random values.

#![allow(dead_code)]

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use skyrocket::schema::{parse_file, Schema, Ty};
use skyrocket::{Decoder, Encoder, NetCodec};

#[path = "../../conformance/schemas/features.rs"]
mod features;

#[path = "../../examples/arena/schema.rs"]
mod arena;

#[path = "../../conformance/src/random.rs"]
mod random;

/// Registers `T` (and what it uses) into `schema`.
fn describe<T: NetCodec>(schema: &mut Schema) {
    T::describe(schema);
}

/// Checks every type the parser finds in `file` equals the derive's description.
fn same_as_parsed(file: &str, derived: &Schema) {
    let path = format!("{}/../{file}", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(&path).expect("schema file");
    let parsed = parse_file(&source).unwrap_or_else(|errors| {
        let text: Vec<String> = errors.iter().map(|e| e.render(file)).collect();
        panic!("{}", text.join("\n"))
    });
    assert_eq!(
        parsed.types.len(),
        derived.types.len(),
        "{file}: type count"
    );
    for def in &parsed.types {
        let mine = derived
            .get(&def.name)
            .unwrap_or_else(|| panic!("{file}: derive did not describe {}", def.name));
        assert_eq!(mine, def, "{file}: {}", def.name);
    }
}

/// Random values through the dynamic codec, decoded and re-encoded by the
/// derived codec: the bytes and instance side tables must be identical.
fn agrees_with_dynamic<T: NetCodec>(seed: u64, rounds: usize) {
    let (schema, ty) = T::schema();
    let mut values = random::ValueGen::new(&schema, ChaCha8Rng::seed_from_u64(seed));
    values.luau_safe_integers = false;
    for round in 0..rounds {
        let value = values.value(&ty);
        let (bytes, instances) = skyrocket::dynamic::to_bytes(&schema, &ty, &value)
            .unwrap_or_else(|e| panic!("round {round}: dynamic encode: {e}"));
        let mut dec = Decoder::with_instances(&bytes, &instances);
        let decoded = T::decode(&mut dec)
            .and_then(|v| dec.finish().map(|()| v))
            .unwrap_or_else(|e| panic!("round {round}: derived decode of {bytes:02x?}: {e}"));
        let mut enc = Encoder::new();
        decoded.encode(&mut enc).expect("derived encode");
        let (again, again_instances) = enc.finish_with_instances();
        assert_eq!(again, bytes, "round {round}: {value:?}");
        assert_eq!(again_instances, instances, "round {round}");
    }
}

#[test]
fn features_describe_matches_parser() {
    let mut schema = Schema::default();
    describe::<features::Everything>(&mut schema);
    describe::<features::RobloxValues>(&mut schema);
    same_as_parsed("conformance/schemas/features.rs", &schema);
}

#[test]
fn arena_describe_matches_parser() {
    let mut schema = Schema::default();
    describe::<arena::Snapshot>(&mut schema);
    describe::<arena::ProjectileSpawned>(&mut schema);
    describe::<arena::Inventory>(&mut schema);
    describe::<arena::ChatMessage>(&mut schema);
    describe::<arena::InputFrame>(&mut schema);
    describe::<arena::Interact>(&mut schema);
    same_as_parsed("examples/arena/schema.rs", &schema);
}

#[test]
fn features_agree_with_dynamic_codec() {
    agrees_with_dynamic::<features::Integers>(1, 300);
    agrees_with_dynamic::<features::Floats>(2, 300);
    agrees_with_dynamic::<features::Collections>(3, 300);
    agrees_with_dynamic::<features::Shape>(4, 300);
    agrees_with_dynamic::<features::Tree>(5, 100);
    agrees_with_dynamic::<features::Expr>(6, 200);
    agrees_with_dynamic::<features::RobloxValues>(7, 300);
    agrees_with_dynamic::<features::WithSkip>(8, 100);
    agrees_with_dynamic::<features::Everything>(9, 100);
}

#[test]
fn arena_agrees_with_dynamic_codec() {
    agrees_with_dynamic::<arena::Snapshot>(10, 100);
    agrees_with_dynamic::<arena::ProjectileSpawned>(11, 200);
    agrees_with_dynamic::<arena::Inventory>(12, 200);
    agrees_with_dynamic::<arena::ChatMessage>(13, 200);
    agrees_with_dynamic::<arena::InputFrame>(14, 200);
    agrees_with_dynamic::<arena::Interact>(15, 200);
}

#[test]
fn describe_returns_named() {
    assert_eq!(
        features::Everything::schema().1,
        Ty::Named("Everything".into())
    );
}

/// Flips bits of valid encodings and truncates them: decoding never panics,
/// and whatever decodes re-encodes to exactly the same bytes (one valid
/// encoding per value, spec section 6).
///
/// `canonical = false` for types holding a lossy `CFrame`: the
/// smallest-three rotation (spec 5.1) decodes component triples that no
/// rotation encodes to (not unit length, or the dropped component not the
/// largest), so those re-encode differently. Only "no panic" is checked then.
fn hostile_inputs<T: NetCodec>(seed: u64, rounds: usize, canonical: bool) {
    use rand::Rng;
    let (schema, ty) = T::schema();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut values = random::ValueGen::new(&schema, ChaCha8Rng::seed_from_u64(seed + 1));
    values.luau_safe_integers = false;
    for _ in 0..rounds {
        let value = values.value(&ty);
        let (mut bytes, instances) =
            skyrocket::dynamic::to_bytes(&schema, &ty, &value).expect("encode");
        if bytes.is_empty() || rng.gen_ratio(1, 4) {
            let cut = rng.gen_range(0..=bytes.len());
            bytes.truncate(cut);
        } else {
            for _ in 0..rng.gen_range(1..=3) {
                let i = rng.gen_range(0..bytes.len());
                bytes[i] ^= 1 << rng.gen_range(0..8);
            }
        }
        let mut dec = Decoder::with_instances(&bytes, &instances);
        let Ok(decoded) = T::decode(&mut dec).and_then(|v| dec.finish().map(|()| v)) else {
            continue;
        };
        let mut enc = Encoder::new();
        decoded.encode(&mut enc).expect("a decoded value encodes");
        if canonical {
            assert_eq!(
                enc.finish(),
                bytes,
                "{}: accepted input must be canonical",
                std::any::type_name::<T>()
            );
        }
    }
}

#[test]
fn hostile_inputs_never_panic_and_accepted_ones_are_canonical() {
    hostile_inputs::<features::Everything>(20, 400, true);
    hostile_inputs::<features::RobloxValues>(21, 400, false);
    hostile_inputs::<arena::Snapshot>(22, 300, true);
    hostile_inputs::<arena::InputFrame>(23, 300, true);
}

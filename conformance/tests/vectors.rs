//! Part 1 of the conformance suite: the checked-in vectors of
//! `conformance/vectors/`. Rust (the schema codec and the derive) and the
//! generated Luau (interpreted and native) must produce exactly each vector's
//! bytes, decode them to its value, and reject every invalid input.
//!
//! `SKYROCKET_BLESS=1 cargo test -p skyrocket-conformance --test vectors`
//! regenerates the files from the Rust side; review the diff before committing.

mod common;

use common::{derive_round_trip, same};
use skyrocket::dynamic;
use skyrocket::roblox::Instance;
use skyrocket::schema::Ty;
use skyrocket_conformance::json::{to_hex, to_json};
use skyrocket_conformance::luau::LuauCodecs;
use skyrocket_conformance::schemas;
use skyrocket_conformance::vectors::{build, from_document, to_document};
use std::path::PathBuf;

fn vector_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(file)
}

fn check(schema_name: &str, source: &str, file: &str, seed: u64) {
    let schema = skyrocket_schema::parse_file(source).expect("schema parses");
    let path = vector_path(file);
    let expected = to_document(schema_name, &schema, &build(&schema, seed));
    if std::env::var_os("SKYROCKET_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&expected).expect("serializes") + "\n";
        std::fs::write(&path, text).expect("vector file written");
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; generate it with SKYROCKET_BLESS=1 cargo test -p skyrocket-conformance --test vectors",
            path.display()
        )
    });
    let doc: serde_json::Value = serde_json::from_str(&text).expect("vector file is JSON");
    assert_eq!(
        doc, expected,
        "{} is out of date with the Rust side; regenerate with SKYROCKET_BLESS=1 and review the diff",
        path.display()
    );
    let vectors = from_document(&schema, &doc).expect("vector file matches the schema");
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
    let mut checked = 0;
    for tv in &vectors {
        let ty = Ty::Named(tv.type_name.clone());
        assert!(!tv.valid.is_empty(), "{} has no valid vector", tv.type_name);
        for v in &tv.valid {
            let instances: Vec<Instance> = v.instances.iter().map(|&id| Instance { id }).collect();
            let hex = to_hex(&v.bytes);
            let what = format!("{} {}", tv.type_name, to_json(&schema, &ty, &v.value));
            let (rust, rust_instances) =
                dynamic::to_bytes(&schema, &ty, &v.value).expect("Rust encodes");
            assert_eq!(to_hex(&rust), hex, "Rust bytes for {what}");
            assert_eq!(rust_instances, instances, "Rust side table for {what}");
            let decoded =
                dynamic::from_bytes(&schema, &ty, &v.bytes, &instances).expect("Rust decodes");
            assert!(
                same(&decoded, &v.value),
                "Rust decoded {decoded:?} for {what}"
            );
            assert_eq!(
                derive_round_trip(&tv.type_name, &v.bytes, &instances).map(|b| to_hex(&b)),
                Ok(hex.clone()),
                "derive for {what}"
            );
            for (mode, codecs) in &luau {
                let (bytes, side) = codecs
                    .encode(&tv.type_name, &v.value)
                    .unwrap_or_else(|e| panic!("Luau ({mode}) encode of {what}: {e}"));
                assert_eq!(to_hex(&bytes), hex, "Luau ({mode}) bytes for {what}");
                assert_eq!(side, instances, "Luau ({mode}) side table for {what}");
                let decoded = codecs
                    .try_decode(&tv.type_name, &v.bytes, &instances)
                    .unwrap_or_else(|e| panic!("Luau ({mode}) decode of {what}: {e}"));
                assert!(
                    same(&decoded, &v.value),
                    "Luau ({mode}) decoded {decoded:?} for {what}"
                );
            }
            checked += 1;
        }
        for v in &tv.invalid {
            let hex = to_hex(&v.bytes);
            let what = format!("{} input {hex} ({})", tv.type_name, v.why);
            let rust = dynamic::from_bytes(&schema, &ty, &v.bytes, &[]);
            let rust_kind = rust.as_ref().err().map(|e| e.kind().name());
            assert!(rust_kind.is_some(), "Rust accepted invalid {what}");
            assert!(
                derive_round_trip(&tv.type_name, &v.bytes, &[]).is_err(),
                "derive accepted invalid {what}"
            );
            for (mode, codecs) in &luau {
                match codecs.try_decode(&tv.type_name, &v.bytes, &[]) {
                    Ok(value) => panic!("Luau ({mode}) accepted invalid {what} as {value:?}"),
                    Err(message) => assert!(
                        // Luau alone refuses 64-bit values it cannot represent (spec 7),
                        // which may come first on a corrupted input.
                        message.contains(&v.error)
                            || message.contains("UnsafeInteger")
                            || rust_kind == Some("MissingInstance"),
                        "Luau ({mode}) rejected {what} with {message:?}, expected kind {}",
                        v.error
                    ),
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= vectors.len() * 2, "too few vectors checked");
}

#[test]
fn feature_vectors_hold_in_rust_and_luau() {
    check("features.rs", schemas::FEATURES, "features.json", 2026);
}

#[test]
fn arena_vectors_hold_in_rust_and_luau() {
    check(
        "examples/arena/schema.rs",
        schemas::ARENA,
        "arena.json",
        2027,
    );
}

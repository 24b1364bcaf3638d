//! Checked-in JSON and MessagePack vectors (`conformance/vectors/formats-*.json`):
//! for values of every schema type, the exact JSON text and MessagePack
//! bytes. Rust and Luau must write exactly these and decode them to the value.
//!
//! `SKYROCKET_BLESS=1 cargo test -p skyrocket-conformance --test format_vectors`
//! regenerates the files from the Rust side; review the diff before committing.

mod common;

use common::same;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value as Json};
use skyrocket::roblox::Instance;
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::formats::LuauFormats;
use skyrocket_conformance::json::{from_json, to_hex, to_json, unhex};
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::schemas;
use skyrocket_formats::{Codec, Json as JsonCodec, MsgPack};
use std::path::PathBuf;

const PER_TYPE: usize = 4;

fn build(schema: &Schema, seed: u64) -> Json {
    let mut vectors = Vec::new();
    for (i, def) in schema.types.iter().enumerate() {
        let ty = Ty::Named(def.name.clone());
        let mut gen = ValueGen::new(schema, ChaCha8Rng::seed_from_u64(seed + i as u64));
        gen.max_unbounded_len = 3;
        gen.max_collection_len = 3;
        let mut seen = Vec::new();
        for _ in 0..PER_TYPE * 4 {
            if seen.len() == PER_TYPE {
                break;
            }
            let value = gen.value(&ty);
            let json = JsonCodec
                .encode(schema, &ty, &value)
                .expect("Rust encodes JSON");
            if seen.contains(&json.bytes) {
                continue;
            }
            seen.push(json.bytes.clone());
            let msgpack = MsgPack
                .encode(schema, &ty, &value)
                .expect("Rust encodes MessagePack");
            vectors.push(json!({
                "type": def.name,
                "value": to_json(schema, &ty, &value),
                "instances": json.instances.iter().map(|i| i.id).collect::<Vec<_>>(),
                "json": String::from_utf8(json.bytes).expect("JSON is UTF-8"),
                "msgpack": to_hex(&msgpack.bytes),
            }));
        }
    }
    json!({ "format": "docs/formats.md, JSON and MessagePack", "vectors": vectors })
}

fn check(source: &str, file: &str, seed: u64) {
    let schema = skyrocket_schema::parse_file(source).expect("schema parses");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(file);
    let expected = build(&schema, seed);
    if std::env::var_os("SKYROCKET_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&expected).expect("serializes") + "\n";
        std::fs::write(&path, text).expect("vector file written");
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; generate it with SKYROCKET_BLESS=1",
            path.display()
        )
    });
    let doc: Json = serde_json::from_str(&text).expect("vector file is JSON");
    assert_eq!(
        doc,
        expected,
        "{} is out of date with the Rust side",
        path.display()
    );
    let luau = LuauFormats::load(&schema, false).expect("formats load");
    let vectors = doc["vectors"].as_array().expect("a vector list");
    for v in vectors {
        let type_name = v["type"].as_str().expect("type name");
        let ty = Ty::Named(type_name.to_owned());
        let value = from_json(&schema, &ty, &v["value"]).expect("value fits the schema");
        let instances: Vec<Instance> = v["instances"]
            .as_array()
            .expect("instances")
            .iter()
            .map(|i| Instance {
                id: i.as_u64().expect("id"),
            })
            .collect();
        let json_text = v["json"].as_str().expect("json text").as_bytes().to_vec();
        let msgpack = unhex(v["msgpack"].as_str().expect("msgpack hex")).expect("hex");
        for (codec, bytes) in [(&JsonCodec as &dyn Codec, &json_text), (&MsgPack, &msgpack)] {
            let format = codec.name();
            let what = format!("{format} {type_name} {}", v["value"]);
            let rust = codec.encode(&schema, &ty, &value).expect("Rust encodes");
            assert_eq!(&rust.bytes, bytes, "Rust bytes differ: {what}");
            let (luau_bytes, luau_instances) = luau
                .encode(format, type_name, &value)
                .expect("Luau encodes");
            assert_eq!(&luau_bytes, bytes, "Luau bytes differ: {what}");
            assert_eq!(luau_instances, instances, "Luau side table differs: {what}");
            let back = codec
                .decode(&schema, &ty, bytes, &instances)
                .expect("Rust decodes");
            assert!(same(&back, &value), "Rust decoded {back:?}: {what}");
            let back = luau
                .decode(format, type_name, bytes, &instances)
                .expect("Luau decodes");
            assert!(same(&back, &value), "Luau decoded {back:?}: {what}");
        }
    }
    assert!(vectors.len() >= schema.types.len());
}

#[test]
fn feature_vectors_hold_in_rust_and_luau() {
    check(schemas::FEATURES, "formats-features.json", 0x4a50);
}

#[test]
fn arena_vectors_hold_in_rust_and_luau() {
    check(schemas::ARENA, "formats-arena.json", 0x4d50);
}

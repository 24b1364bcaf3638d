//! Checked-in Protobuf vectors (`conformance/vectors/protobuf.json`): values
//! of every conformance type with their bytes in hex. Rust and Luau must both
//! write exactly these bytes and read them back to the value. Regenerate
//! after an intended change with
//! `SKYROCKET_BLESS=1 cargo test -p skyrocket-conformance --test protobuf_vectors`.

mod common;

use common::same;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value as Json};
use skyrocket::roblox::Instance;
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::formats::LuauFormat;
use skyrocket_conformance::json::{from_json, to_hex, to_json, unhex};
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::schemas;
use skyrocket_formats::{Codec, Protobuf};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/protobuf.json");
const PER_TYPE: usize = 4;

fn schemas() -> Vec<(&'static str, Schema)> {
    [("features", schemas::FEATURES), ("arena", schemas::ARENA)]
        .into_iter()
        .map(|(name, src)| {
            (
                name,
                skyrocket_schema::parse_file(src).expect("schema parses"),
            )
        })
        .collect()
}

fn bless() -> Json {
    let mut vectors = Vec::new();
    for (name, schema) in schemas() {
        for (i, def) in schema.types.iter().enumerate() {
            let ty = Ty::Named(def.name.clone());
            let mut gen = ValueGen::new(&schema, ChaCha8Rng::seed_from_u64(0x7ec + i as u64));
            gen.max_unbounded_len = 4;
            gen.max_collection_len = 2;
            for _ in 0..PER_TYPE {
                let value = gen.value(&ty);
                let e = Protobuf.encode(&schema, &ty, &value).expect("encode");
                vectors.push(json!({
                    "schema": name,
                    "type": def.name,
                    "value": to_json(&schema, &ty, &value),
                    "instances": e.instances.iter().map(|i| i.id).collect::<Vec<_>>(),
                    "hex": to_hex(&e.bytes),
                }));
            }
        }
    }
    json!({ "format": "protobuf (docs/formats.md, \"Protobuf\")", "vectors": vectors })
}

#[test]
fn rust_and_luau_write_and_read_the_checked_in_vectors() {
    if std::env::var_os("SKYROCKET_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&bless()).expect("json") + "\n";
        std::fs::write(PATH, text).expect("write vectors");
    }
    let doc: Json = serde_json::from_str(&std::fs::read_to_string(PATH).expect("vectors exist"))
        .expect("vectors parse");
    let schemas = schemas();
    let luau: Vec<LuauFormat> = schemas
        .iter()
        .map(|(_, s)| LuauFormat::load(s, "Formats/Protobuf.luau", false).expect("module loads"))
        .collect();
    let vectors = doc["vectors"].as_array().expect("vector list");
    assert!(vectors.len() >= 20 * PER_TYPE, "vectors went missing");
    for v in vectors {
        let which = schemas
            .iter()
            .position(|(n, _)| Some(*n) == v["schema"].as_str())
            .expect("known schema");
        let schema = &schemas[which].1;
        let type_name = v["type"].as_str().expect("type");
        let ty = Ty::Named(type_name.to_owned());
        let value = from_json(schema, &ty, &v["value"]).expect("value parses");
        let hex = v["hex"].as_str().expect("hex");
        let bytes = unhex(hex).expect("hex parses");
        let instances: Vec<Instance> = v["instances"]
            .as_array()
            .expect("instances")
            .iter()
            .map(|id| Instance {
                id: id.as_u64().expect("id"),
            })
            .collect();
        let what = format!("{type_name} {}", v["value"]);
        let rust = Protobuf.encode(schema, &ty, &value).expect("Rust encodes");
        assert_eq!(to_hex(&rust.bytes), hex, "Rust bytes; {what}");
        assert_eq!(rust.instances, instances, "Rust side table; {what}");
        let (luau_bytes, luau_instances) =
            luau[which].encode(type_name, &value).expect("Luau encodes");
        assert_eq!(to_hex(&luau_bytes), hex, "Luau bytes; {what}");
        assert_eq!(luau_instances, instances, "Luau side table; {what}");
        let from_rust = Protobuf
            .decode(schema, &ty, &bytes, &instances)
            .expect("Rust decodes");
        let from_luau = luau[which]
            .decode(type_name, &bytes, &instances)
            .expect("Luau decodes");
        assert!(
            same(&from_rust, &from_luau),
            "Rust and Luau read {what} differently"
        );
        let again = Protobuf.encode(schema, &ty, &from_rust).expect("re-encode");
        assert_eq!(
            to_hex(&again.bytes),
            hex,
            "the decoded value re-encodes differently; {what}"
        );
    }
}

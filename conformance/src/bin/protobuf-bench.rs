//! `protobuf-bench`: size and CPU time of the Protobuf codec on the
//! Entities, Booleans and Arena workloads (the `luau-bench` values), in Rust
//! (`skyrocket_formats::Protobuf`) and in Luau (`Formats/Protobuf.luau`,
//! through the `Formats` registry in the embedded host), with and without
//! zstd framing (`skyrocket_formats::compress`, `Formats/Compression.luau`).
//! Times are thread CPU time per operation, best of three runs.
//!
//! `cargo run --release -p skyrocket-conformance --bin protobuf-bench [-- --min-seconds S]`

use mlua::{Function, Value as Lv};
use skyrocket::dynamic;
use skyrocket::schema::Ty;
use skyrocket_conformance::clock::cpu_seconds;
use skyrocket_conformance::luau::to_lua;
use skyrocket_conformance::workloads::{workloads, Workload};
use skyrocket_formats::compress::Compression;
use skyrocket_formats::{Codec, Protobuf};
use skyrocket_luau::library::FORMAT_FILES;
use skyrocket_luau::{descriptor::generate_descriptor, generate, GenOptions};
use skyrocket_sim::{Peer, World, WorldConfig};
use std::hint::black_box;

/// CPU seconds per call of `f`, best of three runs of at least `min_s`.
fn time(min_s: f64, mut f: impl FnMut()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = cpu_seconds();
        let mut n = 0u64;
        while cpu_seconds() - start < min_s {
            for _ in 0..16 {
                f();
            }
            n += 16;
        }
        best = best.min((cpu_seconds() - start) / n as f64);
    }
    best
}

const LUAU_BENCH: &str = r#"
local Shared = game:GetService("ReplicatedStorage").Shared
local Formats = require(Shared.Formats)
local Compression = require(Shared.Formats.Compression)
local registry = Formats.new(require(Shared.Codecs), require(Shared.Schema))
local protobuf = registry.get("protobuf")
assert(protobuf, "the registry has no protobuf codec")
local zstd = Compression.new({})

local function time(minS, clock, f)
    local best = math.huge
    for _ = 1, 3 do
        local start, n = clock(), 0
        repeat
            for _ = 1, 16 do
                f()
            end
            n += 16
        until clock() - start >= minS
        best = math.min(best, (clock() - start) / n)
    end
    return best
end

function benchProtobuf(typeName, value, minS, clock)
    local b = protobuf.encode(typeName, value)
    local packed = zstd.pack(b)
    local back, err = protobuf.decode(typeName, b)
    assert(back ~= nil, err)
    local encode = time(minS, clock, function() protobuf.encode(typeName, value) end)
    local decode = time(minS, clock, function() protobuf.decode(typeName, b) end)
    local encodeZ = time(minS, clock, function() zstd.pack(protobuf.encode(typeName, value)) end)
    local decodeZ = time(minS, clock, function() protobuf.decode(typeName, (zstd.unpack(packed))) end)
    return b, packed, encode, decode, encodeZ, decodeZ
end
"#;

fn luau_world(w: &Workload) -> World {
    let codecs = generate(&w.schema, &GenOptions::default()).expect("generate");
    let mut world = World::new(WorldConfig::default()).expect("world");
    world
        .add_module("ReplicatedStorage/Shared/Codecs", &codecs.source)
        .expect("codecs");
    world
        .add_module(
            "ReplicatedStorage/Shared/Schema",
            &generate_descriptor(&w.schema, codecs.schema_hash, None),
        )
        .expect("schema");
    for (path, src) in FORMAT_FILES {
        let path = path.trim_end_matches(".luau").trim_end_matches("/init");
        world
            .add_module(&format!("ReplicatedStorage/Shared/{path}"), src)
            .expect("format module");
    }
    world
        .run(Peer::Server, LUAU_BENCH, "ServerScriptService.Bench")
        .expect("bench setup");
    world
}

fn buffer_bytes(v: &Lv) -> Vec<u8> {
    match v {
        Lv::Buffer(b) => b.to_vec(),
        other => panic!("expected a buffer, got {}", other.type_name()),
    }
}

fn ns(s: f64) -> String {
    format!("{:.0}", s * 1e9)
}

fn main() {
    let mut min_s = 0.2;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--min-seconds") {
        min_s = args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .expect("--min-seconds S");
    }
    let zstd = Compression::default();
    println!("| workload | side | bit-packed bytes | protobuf bytes | + zstd bytes | encode ns | decode ns | encode + zstd ns | zstd + decode ns |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for w in workloads() {
        let ty = Ty::Named(w.type_name.into());
        let (packed_bits, _) = dynamic::to_bytes(&w.schema, &ty, &w.value).expect("bit-packed");
        let bytes = Protobuf
            .encode(&w.schema, &ty, &w.value)
            .expect("encode")
            .bytes;
        let framed = zstd.pack(&bytes).expect("zstd");
        let encode = time(min_s, || {
            black_box(
                Protobuf
                    .encode(&w.schema, &ty, black_box(&w.value))
                    .expect("encode"),
            );
        });
        let decode = time(min_s, || {
            black_box(
                Protobuf
                    .decode(&w.schema, &ty, black_box(&bytes), &[])
                    .expect("decode"),
            );
        });
        let encode_z = time(min_s, || {
            let b = Protobuf
                .encode(&w.schema, &ty, black_box(&w.value))
                .expect("encode");
            black_box(zstd.pack(&b.bytes).expect("zstd"));
        });
        let decode_z = time(min_s, || {
            let b = zstd.unpack(black_box(&framed)).expect("unzstd");
            black_box(Protobuf.decode(&w.schema, &ty, &b, &[]).expect("decode"));
        });
        println!(
            "| {} | Rust | {} | {} | {} | {} | {} | {} | {} |",
            w.title,
            packed_bits.len(),
            bytes.len(),
            framed.len(),
            ns(encode),
            ns(decode),
            ns(encode_z),
            ns(decode_z)
        );

        let world = luau_world(&w);
        let lua = world.server();
        let bench: Function = lua.globals().get("benchProtobuf").expect("bench function");
        let clock = lua
            .create_function(|_, ()| Ok(cpu_seconds()))
            .expect("clock");
        let value = to_lua(lua, &w.schema, &ty, &w.value).expect("value");
        let wire = w.schema.get(w.type_name).expect("type").wire_name.clone();
        let (b, z, e, d, ez, dz): (Lv, Lv, f64, f64, f64, f64) =
            bench.call((wire, value, min_s, clock)).expect("Luau bench");
        let (lb, lz) = (buffer_bytes(&b), buffer_bytes(&z));
        assert_eq!(lb, bytes, "Luau bytes differ from Rust");
        println!(
            "| {} | Luau | {} | {} | {} | {} | {} | {} | {} |",
            w.title,
            packed_bits.len(),
            lb.len(),
            lz.len(),
            ns(e),
            ns(d),
            ns(ez),
            ns(dz)
        );
    }
}

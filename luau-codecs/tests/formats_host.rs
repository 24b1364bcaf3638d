//! The Luau codec interface (`Formats/`) and zstd framing in the embedded
//! host, byte for byte against `skyrocket_formats` in Rust.

use skyrocket_formats::compress::Compression;
use skyrocket_luau::library::FORMAT_FILES;
use skyrocket_luau::{descriptor::generate_descriptor, generate, GenOptions};
use skyrocket_sim::{Peer, World, WorldConfig};

const SCHEMA: &str = r#"
#[derive(NetCodec)]
pub struct Move {
    #[net(range = 0..=100)]
    pub speed: u8,
    #[net(max_len = 20)]
    pub name: String,
    pub jump: bool,
}
"#;

fn world() -> World {
    let schema = skyrocket_schema::parse_file(SCHEMA).expect("schema");
    let codecs = generate(&schema, &GenOptions::default()).expect("generate");
    let mut w = World::new(WorldConfig::default()).expect("world");
    w.add_module("ReplicatedStorage/Shared/Codecs", &codecs.source)
        .expect("codecs");
    w.add_module(
        "ReplicatedStorage/Shared/Schema",
        &generate_descriptor(&schema, codecs.schema_hash, None),
    )
    .expect("schema module");
    for (path, src) in FORMAT_FILES {
        let path = path.trim_end_matches(".luau").trim_end_matches("/init");
        w.add_module(&format!("ReplicatedStorage/Shared/{path}"), src)
            .expect("format module");
    }
    w.run(
        Peer::Server,
        r#"
        local Shared = game:GetService("ReplicatedStorage").Shared
        Codecs = require(Shared.Codecs)
        Schema = require(Shared.Schema)
        Formats = require(Shared.Formats)
        Compression = require(Shared.Formats.Compression)
        function pack(b, options) return Compression.new(options).pack(b) end
        function unpack(b, options) return Compression.new(options).unpack(b) end
        function unpackCapped(b) return Compression.new({ maxDecompressed = 65536 }).unpack(b) end
        "#,
        "ServerScriptService.Main",
    )
    .expect("setup");
    w
}

fn compressible(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 11) as u8).collect()
}

fn lua_buffer(w: &World, bytes: &[u8]) -> mlua::MultiValue {
    mlua::MultiValue::from_vec(vec![mlua::Value::Buffer(
        w.server().create_buffer(bytes).expect("buffer"),
    )])
}

fn bytes_of(v: &mlua::Value) -> Vec<u8> {
    match v {
        mlua::Value::Buffer(b) => b.to_vec(),
        other => panic!("expected a buffer, got {other:?}"),
    }
}

#[test]
fn luau_frames_are_byte_identical_to_rust_and_both_unpack_each_other() {
    let mut w = world();
    let rust = Compression::default();
    for len in [0usize, 10, 127, 128, 1000, 20_000] {
        let payload = compressible(len);
        let input = lua_buffer(&w, &payload);
        let luau_frame: mlua::Value = w.call(Peer::Server, "pack", input).expect("pack");
        let luau_frame = bytes_of(&luau_frame);
        let rust_frame = rust.pack(&payload).expect("pack");
        assert_eq!(luau_frame, rust_frame, "frame of {len} bytes");
        assert_eq!(rust.unpack(&luau_frame).expect("rust unpacks"), payload);
        let frame = lua_buffer(&w, &rust_frame);
        let (out, err): (mlua::Value, Option<String>) =
            w.call(Peer::Server, "unpack", frame).expect("unpack");
        assert_eq!(err, None);
        assert_eq!(bytes_of(&out), payload);
    }
}

#[test]
fn luau_refuses_zip_bombs_and_garbage_with_errors_not_raises() {
    let mut w = world();
    let bomb = Compression {
        threshold: 0,
        ..Compression::default()
    }
    .pack(&vec![0u8; 4 << 20])
    .expect("pack");
    assert!(bomb.len() < 1024);
    let frame = lua_buffer(&w, &bomb);
    let (out, err): (Option<mlua::Value>, Option<String>) =
        w.call(Peer::Server, "unpackCapped", frame).expect("unpack");
    assert!(out.is_none());
    let err = err.expect("an error");
    assert!(
        err.contains("declared decompressed size 4194304 exceeds the cap of 65536"),
        "{err}"
    );

    for garbage in [&[][..], &[1, 2, 3, 4][..], &[9, 0][..]] {
        let frame = lua_buffer(&w, garbage);
        let (out, err): (Option<mlua::Value>, Option<String>) = w
            .call(Peer::Server, "unpack", frame)
            .expect("unpack never raises");
        assert!(out.is_none(), "{garbage:?}");
        assert!(
            err.expect("error").starts_with("zstd: cannot decode"),
            "{garbage:?}"
        );
    }
}

#[test]
fn the_registry_has_the_bit_packed_default_and_takes_custom_codecs() {
    let mut w = world();
    let (names, same, decoded, replaced, err): (String, bool, String, bool, String) = w
        .eval(
            Peer::Server,
            r#"
            local registry = Formats.new(Codecs, Schema)
            local default = registry.get("skyrocket")
            local value = { speed = 42, name = "dash", jump = true }
            local b = default.encode("Move", value)
            local same = buffer.tostring(b) == buffer.tostring(Codecs.Move.encode(value))
            local back = default.decode("Move", b)
            local custom = {
                name = "upper",
                encode = function(_typeName: string, v: any): buffer return buffer.fromstring(string.upper(v.name)) end,
                decode = function(_typeName: string, b: buffer): (any?, string?) return { name = buffer.tostring(b) }, nil end,
            }
            assert(registry.register(custom) == nil)
            local replaced = registry.register(custom) == custom
            local _, err = default.decode("Nope", b)
            return table.concat(registry.names(), ","), same, back.name .. tostring(back.speed), replaced, err
            "#,
        )
        .expect("eval");
    assert_eq!(names, "skyrocket,json,msgpack,protobuf,upper");
    assert!(same);
    assert_eq!(decoded, "dash42");
    assert!(replaced);
    assert!(err.contains("no schema type named Nope"), "{err}");
}

#[test]
fn the_json_and_msgpack_modules_run_in_the_host() {
    let mut w = world();
    let (json, msgpack, back): (String, String, String) = w
        .eval(
            Peer::Server,
            r#"
            local registry = Formats.new(Codecs, Schema)
            local value = { speed = 42, name = "dash", jump = true }
            local json = registry.get("json").encode("Move", value)
            local msgpack = registry.get("msgpack").encode("Move", value)
            local back = registry.get("msgpack").decode("Move", msgpack)
            local hex = string.gsub(buffer.tostring(msgpack), ".", function(c)
                return string.format("%02x", string.byte(c))
            end)
            return buffer.tostring(json), hex, back.name
            "#,
        )
        .expect("eval");
    assert_eq!(json, r#"{"speed":42,"name":"dash","jump":true}"#);
    assert_eq!(msgpack, "83a573706565642aa46e616d65a464617368a46a756d70c3");
    assert_eq!(back, "dash");
}

#[test]
fn the_registry_holds_protobuf_byte_identical_to_rust() {
    use skyrocket::dynamic::Value;
    use skyrocket_formats::{Codec, Protobuf};
    let mut w = world();
    let (hex, decoded): (String, String) = w
        .eval(
            Peer::Server,
            r#"
            local protobuf = Formats.new(Codecs, Schema).get("protobuf")
            local b = protobuf.encode("Move", { speed = 42, name = "dash", jump = true })
            local back = protobuf.decode("Move", b)
            local hex = string.gsub(buffer.tostring(b), ".", function(c) return string.format("%02x", string.byte(c)) end)
            return hex, back.name .. tostring(back.speed) .. tostring(back.jump)
            "#,
        )
        .expect("eval");
    let schema = skyrocket_schema::parse_file(SCHEMA).expect("schema");
    let value = Value::Struct(vec![
        Value::Int(42),
        Value::String("dash".into()),
        Value::Bool(true),
    ]);
    let rust = Protobuf
        .encode(
            &schema,
            &skyrocket_schema::ir::Ty::Named("Move".into()),
            &value,
        )
        .expect("encode");
    let rust_hex: String = rust.bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, rust_hex);
    assert_eq!(rust_hex, "082a1204646173681801");
    assert_eq!(decoded, "dash42true");
}

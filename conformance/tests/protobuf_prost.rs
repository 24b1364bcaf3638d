//! The Protobuf codec is wire-compatible with prost: for random values of
//! every type in `conformance/schemas/`, prost parses our bytes and writes
//! them back unchanged (so they are exactly the bytes prost writes for that
//! message), and our decoder reads them back to the value. Hand-built prost
//! messages pin the field mapping itself.

mod common;
#[path = "proto/messages.rs"]
mod messages;

use common::same;
use prost::Message;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use skyrocket::dynamic::Value;
use skyrocket::roblox::{self, Instance};
use skyrocket::schema::{Schema, Ty};
use skyrocket_conformance::random::ValueGen;
use skyrocket_conformance::{json, schemas};
use skyrocket_formats::{Codec, Protobuf};

const CASES_PER_TYPE: usize = 300;

/// Parses `bytes` as the prost message of `type_name` and encodes it again.
fn prost_round_trip(type_name: &str, bytes: &[u8]) -> Result<Vec<u8>, String> {
    fn again<M: Message + Default>(bytes: &[u8]) -> Result<Vec<u8>, String> {
        M::decode(bytes)
            .map(|m| m.encode_to_vec())
            .map_err(|e| e.to_string())
    }
    use messages as m;
    match type_name {
        "MoveState" => again::<m::MoveStateValue>(bytes),
        "PlayerState" => again::<m::PlayerState>(bytes),
        "Snapshot" => again::<m::Snapshot>(bytes),
        "Weapon" => again::<m::WeaponValue>(bytes),
        "ProjectileSpawned" => again::<m::ProjectileSpawned>(bytes),
        "ItemStack" => again::<m::ItemStack>(bytes),
        "Inventory" => again::<m::Inventory>(bytes),
        "ChatMessage" => again::<m::ChatMessage>(bytes),
        "ChatChannel" => again::<m::ChatChannel>(bytes),
        "InputFrame" => again::<m::InputFrame>(bytes),
        "Interact" => again::<m::Interact>(bytes),
        "Integers" => again::<m::Integers>(bytes),
        "Floats" => again::<m::Floats>(bytes),
        "Collections" => again::<m::Collections>(bytes),
        "Marker" => again::<m::Marker>(bytes),
        "Pair" => again::<m::Pair>(bytes),
        "Shape" => again::<m::Shape>(bytes),
        "Only" => again::<m::Only>(bytes),
        "Tree" => again::<m::Tree>(bytes),
        "Expr" => again::<m::Expr>(bytes),
        "RobloxValues" => again::<m::RobloxValues>(bytes),
        "WithSkip" => again::<m::Renamed>(bytes),
        "Everything" => again::<m::Everything>(bytes),
        other => Err(format!("no prost message for {other}")),
    }
}

/// Equal, except that a -0.0 may come back as +0.0: proto3 (and prost)
/// leave out a singular float equal to zero, so its sign is lost.
fn same_but_zero_sign(a: &Value, b: &Value) -> bool {
    fn norm(v: &Value) -> Value {
        let z = |f: f32| if f == 0.0 { 0.0 } else { f };
        match v {
            Value::Float(f) if *f == 0.0 => Value::Float(0.0),
            Value::Option(Some(v)) => Value::Option(Some(Box::new(norm(v)))),
            Value::List(x) => Value::List(x.iter().map(norm).collect()),
            Value::Struct(x) => Value::Struct(x.iter().map(norm).collect()),
            Value::Enum(i, x) => Value::Enum(*i, x.iter().map(norm).collect()),
            Value::Map(x) => Value::Map(x.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
            Value::Vector3(v) => Value::Vector3(roblox::Vector3::new(z(v.x), z(v.y), z(v.z))),
            Value::Vector2(v) => Value::Vector2(roblox::Vector2::new(z(v.x), z(v.y))),
            Value::Color3(c) => Value::Color3(roblox::Color3 {
                r: z(c.r),
                g: z(c.g),
                b: z(c.b),
            }),
            Value::CFrame(cf) => {
                let mut cf = *cf;
                cf.position =
                    roblox::Vector3::new(z(cf.position.x), z(cf.position.y), z(cf.position.z));
                cf.rotation = cf.rotation.map(|row| row.map(z));
                Value::CFrame(cf)
            }
            Value::UDim(u) => Value::UDim(roblox::UDim {
                scale: z(u.scale),
                offset: u.offset,
            }),
            Value::UDim2(u) => Value::UDim2(roblox::UDim2 {
                x: roblox::UDim {
                    scale: z(u.x.scale),
                    offset: u.x.offset,
                },
                y: roblox::UDim {
                    scale: z(u.y.scale),
                    offset: u.y.offset,
                },
            }),
            other => other.clone(),
        }
    }
    same(&norm(a), &norm(b))
}

fn check_schema(name: &str, source: &str) {
    let schema: Schema = skyrocket_schema::parse_file(source)
        .unwrap_or_else(|e| panic!("{name} does not parse: {e:?}"));
    for (i, def) in schema.types.iter().enumerate() {
        let ty = Ty::Named(def.name.clone());
        let mut gen = ValueGen::new(&schema, ChaCha8Rng::seed_from_u64(0x9b0 + i as u64));
        gen.luau_safe_integers = false;
        for case in 0..CASES_PER_TYPE {
            let value = gen.value(&ty);
            let context = || {
                format!(
                    "{name}: type {}, case {case}, value {}",
                    def.name,
                    json::to_json(&schema, &ty, &value)
                )
            };
            let ours = Protobuf
                .encode(&schema, &ty, &value)
                .unwrap_or_else(|e| panic!("encode failed: {e}; {}", context()));
            let theirs = prost_round_trip(&def.name, &ours.bytes)
                .unwrap_or_else(|e| panic!("prost cannot parse our bytes: {e}; {}", context()));
            assert_eq!(
                json::to_hex(&ours.bytes),
                json::to_hex(&theirs),
                "prost writes other bytes; {}",
                context()
            );
            let back = Protobuf
                .decode(&schema, &ty, &theirs, &ours.instances)
                .unwrap_or_else(|e| panic!("decode of prost's bytes failed: {e}; {}", context()));
            assert!(
                same_but_zero_sign(&back, &value),
                "decoded {}; {}",
                json::to_json(&schema, &ty, &back),
                context()
            );
            let again = Protobuf.encode(&schema, &ty, &back).expect("re-encode");
            assert_eq!(
                again.bytes,
                ours.bytes,
                "re-encoding differs; {}",
                context()
            );
        }
    }
}

#[test]
fn prost_writes_our_bytes_for_every_feature_type() {
    check_schema("features.rs", schemas::FEATURES);
}

#[test]
fn prost_writes_our_bytes_for_every_arena_type() {
    check_schema("arena/schema.rs", schemas::ARENA);
}

fn arena() -> Schema {
    skyrocket_schema::parse_file(schemas::ARENA).expect("arena parses")
}

fn encode(schema: &Schema, type_name: &str, value: &Value) -> (Vec<u8>, Vec<Instance>) {
    let e = Protobuf
        .encode(schema, &Ty::Named(type_name.into()), value)
        .expect("encode");
    (e.bytes, e.instances)
}

#[test]
fn field_numbers_and_types_match_the_hand_written_messages() {
    let schema = arena();
    let v3 = |x, y, z| Value::Vector3(roblox::Vector3::new(x, y, z));
    let player = Value::Struct(vec![
        Value::Int(7),
        v3(1.5, -0.0, 2.0),
        Value::Float(0.25),
        Value::Int(100),
        Value::Enum(5, vec![]),
        Value::List(vec![
            Value::Bool(true),
            Value::Bool(false),
            Value::Bool(false),
            Value::Bool(true),
        ]),
        v3(0.0, 0.0, 0.0),
    ]);
    let expected = messages::PlayerState {
        id: 7,
        position: Some(messages::Vector3 {
            x: 1.5,
            y: -0.0,
            z: 2.0,
        }),
        yaw: 0.25,
        health: 100,
        state: messages::MoveState::Dead as i32,
        flags: vec![true, false, false, true],
        velocity: Some(messages::Vector3::default()),
    };
    assert_eq!(
        encode(&schema, "PlayerState", &player).0,
        expected.encode_to_vec()
    );

    let stack = |item: i128, count: i128, tint: Option<(f32, f32, f32)>| {
        Value::Struct(vec![
            Value::Int(item),
            Value::Int(count),
            Value::Option(
                tint.map(|(r, g, b)| Box::new(Value::Color3(roblox::Color3 { r, g, b }))),
            ),
        ])
    };
    let inventory = Value::Struct(vec![
        Value::Map(vec![
            (Value::Int(0), stack(0, 1, None)),
            (Value::Int(3), stack(12, 999, Some((1.0, 0.0, 0.5)))),
        ]),
        Value::Int(1 << 40),
    ]);
    let expected = messages::Inventory {
        slots: [
            (
                0,
                messages::ItemStack {
                    item: 0,
                    count: 1,
                    tint: None,
                },
            ),
            (
                3,
                messages::ItemStack {
                    item: 12,
                    count: 999,
                    tint: Some(messages::Color3 {
                        r: 1.0,
                        g: 0.0,
                        b: 0.5,
                    }),
                },
            ),
        ]
        .into(),
        coins: 1 << 40,
    };
    assert_eq!(
        encode(&schema, "Inventory", &inventory).0,
        expected.encode_to_vec()
    );

    let chat = Value::Struct(vec![
        Value::Int(3),
        Value::String("gg 🚀".into()),
        Value::Enum(2, vec![Value::Int(9)]),
        Value::DateTime(roblox::DateTime { unix_millis: -5 }),
    ]);
    let expected = messages::ChatMessage {
        from: 3,
        text: "gg 🚀".into(),
        channel: Some(messages::ChatChannel {
            variant: Some(messages::chat_channel::Variant::Whisper(
                messages::chat_channel::Whisper { to: 9 },
            )),
        }),
        sent_at: -5,
    };
    assert_eq!(
        encode(&schema, "ChatMessage", &chat).0,
        expected.encode_to_vec()
    );

    let interact = Value::Struct(vec![
        Value::Instance(Instance { id: 77 }),
        v3(0.0, 1.0, 0.0),
    ]);
    let (bytes, instances) = encode(&schema, "Interact", &interact);
    assert_eq!(instances, [Instance { id: 77 }]);
    let expected = messages::Interact {
        target: 0,
        hit: Some(messages::Vector3 {
            x: 0.0,
            y: 1.0,
            z: 0.0,
        }),
    };
    assert_eq!(bytes, expected.encode_to_vec());
}

/// Compiles the `.proto` that `skyrocket gen --proto` writes for `source`
/// with protox (a protobuf compiler in Rust).
fn compiled_proto(name: &str, source: &str) -> (Schema, prost_reflect::DescriptorPool, String) {
    let schema = skyrocket_schema::parse_file(source).expect("schema parses");
    let package = name.to_owned();
    let text = skyrocket_luau::proto::generate_proto(&schema, &package).expect("proto generates");
    let dir = std::env::temp_dir().join(format!("skyrocket-proto-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{name}.proto"));
    std::fs::write(&file, &text).expect("write proto");
    let set = protox::compile([&file], [&dir])
        .unwrap_or_else(|e| panic!("protox rejects the generated file: {e:?}\n{text}"));
    let _ = std::fs::remove_dir_all(&dir);
    let pool =
        prost_reflect::DescriptorPool::from_file_descriptor_set(set).expect("descriptor pool");
    (schema, pool, package)
}

/// Fails if any message in `m` (recursively) holds fields the `.proto` does not declare.
fn assert_no_unknown_fields(m: &prost_reflect::DynamicMessage, context: &dyn Fn() -> String) {
    use prost_reflect::{ReflectMessage, Value as V};
    assert_eq!(
        m.unknown_fields().count(),
        0,
        "{} has fields the .proto does not declare; {}",
        m.descriptor().full_name(),
        context()
    );
    fn walk(v: &V, context: &dyn Fn() -> String) {
        match v {
            V::Message(m) => assert_no_unknown_fields(m, context),
            V::List(items) => items.iter().for_each(|v| walk(v, context)),
            V::Map(entries) => entries.values().for_each(|v| walk(v, context)),
            _ => {}
        }
    }
    for (_, v) in m.fields() {
        walk(v, context);
    }
}

/// The generated `.proto` compiles, and it describes our bytes: a reader
/// built from it finds every field we write (no unknown fields, right wire
/// types), and what it writes back decodes to the same value.
fn check_generated_proto(name: &str, source: &str) {
    let (schema, pool, package) = compiled_proto(name, source);
    for (i, def) in schema.types.iter().enumerate() {
        let ty = Ty::Named(def.name.clone());
        let unit_enum = matches!(&def.kind, skyrocket::schema::TypeKind::Enum(vs)
            if vs.iter().all(|v| matches!(v.fields, skyrocket::schema::Fields::Unit)));
        let message = if unit_enum {
            format!("{package}.{}Value", def.wire_name)
        } else {
            format!("{package}.{}", def.wire_name)
        };
        let desc = pool
            .get_message_by_name(&message)
            .unwrap_or_else(|| panic!("the .proto has no message {message}"));
        let mut gen = ValueGen::new(&schema, ChaCha8Rng::seed_from_u64(0x51 + i as u64));
        for case in 0..100 {
            let value = gen.value(&ty);
            let context = || {
                format!(
                    "{name}: {}, case {case}, value {}",
                    def.name,
                    json::to_json(&schema, &ty, &value)
                )
            };
            let ours = Protobuf.encode(&schema, &ty, &value).expect("encode");
            let dynamic =
                prost_reflect::DynamicMessage::decode(desc.clone(), ours.bytes.as_slice())
                    .unwrap_or_else(|e| {
                        panic!("the .proto cannot read our bytes: {e}; {}", context())
                    });
            assert_no_unknown_fields(&dynamic, &context);
            let rewritten = dynamic.encode_to_vec();
            let a = Protobuf
                .decode(&schema, &ty, &ours.bytes, &ours.instances)
                .expect("decode ours");
            let b = Protobuf
                .decode(&schema, &ty, &rewritten, &ours.instances)
                .unwrap_or_else(|e| {
                    panic!("decode of the reader's bytes failed: {e}; {}", context())
                });
            assert!(
                same(&a, &b),
                "the reader's bytes mean something else; {}",
                context()
            );
        }
    }
}

#[test]
fn the_generated_proto_compiles_and_describes_the_feature_bytes() {
    check_generated_proto("features", schemas::FEATURES);
}

#[test]
fn the_generated_proto_compiles_and_describes_the_arena_bytes() {
    check_generated_proto("arena", schemas::ARENA);
}

#[test]
fn the_generated_proto_declares_the_documented_types() {
    use prost_reflect::{Cardinality, Kind};
    let (_, pool, _) = compiled_proto("arena", schemas::ARENA);
    let field = |message: &str, field: &str| {
        pool.get_message_by_name(&format!("arena.{message}"))
            .and_then(|m| m.get_field_by_name(field))
            .unwrap_or_else(|| panic!("no field {message}.{field}"))
    };
    assert!(matches!(field("PlayerState", "id").kind(), Kind::Uint32));
    assert_eq!(field("PlayerState", "health").number(), 4);
    assert!(field("PlayerState", "flags").is_packed());
    assert!(matches!(
        field("ChatMessage", "sent_at").kind(),
        Kind::Int64
    ));
    assert!(matches!(field("Inventory", "coins").kind(), Kind::Uint64));
    assert!(field("Inventory", "slots").is_map());
    let key = field("InputFrame", "key");
    assert!(key.supports_presence() && key.cardinality() == Cardinality::Optional);
    assert!(matches!(field("Interact", "target").kind(), Kind::Uint32));
    let whisper = field("ChatChannel", "whisper");
    assert_eq!(whisper.number(), 3);
    assert!(whisper.containing_oneof().is_some());
    let (_, features, _) = compiled_proto("features", schemas::FEATURES);
    let f = |message: &str, field: &str| {
        features
            .get_message_by_name(&format!("features.{message}"))
            .and_then(|m| m.get_field_by_name(field))
            .unwrap_or_else(|| panic!("no field {message}.{field}"))
    };
    assert!(matches!(f("Integers", "a_i32").kind(), Kind::Sint32));
    assert!(matches!(f("Integers", "a_i64").kind(), Kind::Sint64));
    assert_eq!(f("Renamed", "displayName").number(), 3);
    assert!(features
        .get_message_by_name("features.Renamed")
        .expect("Renamed")
        .reserved_ranges()
        .any(|r| r.contains(&2)));
}

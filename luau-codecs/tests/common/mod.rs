//! Shared helpers: hand-built IR and an embedded sandboxed Luau VM.
#![allow(dead_code)]

use mlua::{Function, Lua, Table, Value};
use skyrocket_luau::{generate, GenOptions};
use skyrocket_schema::{
    Field, Fields, FloatEncoding, FloatTy, IntEncoding, IntTy, Pos, Quantize, RobloxTy, Schema, Ty,
    TypeDef, TypeKind, Variant, DEFAULT_MAX_DEPTH,
};

pub fn field(name: &str, ty: Ty) -> Field {
    Field {
        name: Some(name.into()),
        wire_name: name.into(),
        ty,
        skip: None,
        doc: None,
        pos: Pos::default(),
    }
}

pub fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
    TypeDef {
        name: name.into(),
        wire_name: name.into(),
        doc: None,
        max_depth: DEFAULT_MAX_DEPTH,
        kind: TypeKind::Struct(if fields.is_empty() {
            Fields::Unit
        } else {
            Fields::Named(fields)
        }),
        pos: Pos::default(),
    }
}

pub fn variant(name: &str, fields: Fields) -> Variant {
    Variant {
        name: name.into(),
        wire_name: name.into(),
        fields,
        doc: None,
        pos: Pos::default(),
    }
}

pub fn enumm(name: &str, variants: Vec<Variant>) -> TypeDef {
    TypeDef {
        name: name.into(),
        wire_name: name.into(),
        doc: None,
        max_depth: DEFAULT_MAX_DEPTH,
        kind: TypeKind::Enum(variants),
        pos: Pos::default(),
    }
}

pub fn int(it: IntTy) -> Ty {
    Ty::Int(it, IntEncoding::Fixed)
}

pub fn range(it: IntTy, lo: i128, hi: i128) -> Ty {
    Ty::Int(it, IntEncoding::Range { lo, hi })
}

pub fn varint(it: IntTy) -> Ty {
    Ty::Int(it, IntEncoding::Varint)
}

pub fn f32t() -> Ty {
    Ty::Float(FloatTy::F32, FloatEncoding::Full)
}

pub fn f64t() -> Ty {
    Ty::Float(FloatTy::F64, FloatEncoding::Full)
}

pub fn quant(ft: FloatTy, min: f64, max: f64, step: f64) -> Ty {
    Ty::Float(ft, FloatEncoding::Quantized(Quantize { min, max, step }))
}

pub fn named(n: &str) -> Ty {
    Ty::Named(n.into())
}

pub fn list(elem: Ty, max_len: Option<u32>) -> Ty {
    Ty::List {
        elem: Box::new(elem),
        max_len,
    }
}

pub fn opt(t: Ty) -> Ty {
    Ty::Option(Box::new(t))
}

/// A schema touching every IR feature.
pub fn all_features() -> Schema {
    use skyrocket_schema::CollectionKind;
    let tuple_fields = Fields::Tuple(vec![
        Field {
            name: None,
            wire_name: "_0".into(),
            ..field("_0", int(IntTy::I8))
        },
        Field {
            name: None,
            wire_name: "_1".into(),
            ..field("_1", Ty::String { max_len: None })
        },
    ]);
    let mut tree = strukt(
        "Tree",
        vec![
            field("value", range(IntTy::I32, -3, 3)),
            field("children", list(named("Tree"), Some(4))),
        ],
    );
    tree.max_depth = 8;
    let mut skipped = field("cache", int(IntTy::U32));
    skipped.skip = Some(skyrocket_schema::SkipDefault::Default);
    let mut renamed = field("end", Ty::Bool);
    renamed.wire_name = "end".into();
    Schema {
        types: vec![
            enumm(
                "Team",
                vec![
                    variant("Red", Fields::Unit),
                    variant("Green", Fields::Unit),
                    variant("Blue", Fields::Unit),
                ],
            ),
            enumm(
                "Msg",
                vec![
                    variant("Idle", Fields::Unit),
                    variant("Move", Fields::Named(vec![field("x", int(IntTy::I8))])),
                    variant("Chat", tuple_fields.clone()),
                ],
            ),
            TypeDef {
                kind: TypeKind::Struct(tuple_fields),
                ..strukt("Pair", vec![])
            },
            strukt("Empty", vec![]),
            tree,
            strukt(
                "Everything",
                vec![
                    field("unit", Ty::Unit),
                    field("flag", Ty::Bool),
                    renamed,
                    skipped,
                    field("u8", int(IntTy::U8)),
                    field("u16", int(IntTy::U16)),
                    field("u32", int(IntTy::U32)),
                    field("u64", int(IntTy::U64)),
                    field("i8", int(IntTy::I8)),
                    field("i16", int(IntTy::I16)),
                    field("i32", int(IntTy::I32)),
                    field("i64", int(IntTy::I64)),
                    field("r5", range(IntTy::U8, 0, 5)),
                    field("rneg", range(IntTy::I16, -1000, 1000)),
                    field("rbyte", range(IntTy::U16, 100, 355)),
                    field("rwide", range(IntTy::I64, -(1 << 62), 1 << 62)),
                    field("rconst", range(IntTy::U8, 7, 7)),
                    field("vu16", varint(IntTy::U16)),
                    field("vi32", varint(IntTy::I32)),
                    field("vu64", varint(IntTy::U64)),
                    field("vi64", varint(IntTy::I64)),
                    field("f32", f32t()),
                    field("f64", f64t()),
                    field("h32", Ty::Float(FloatTy::F32, FloatEncoding::Half)),
                    field("h64", Ty::Float(FloatTy::F64, FloatEncoding::Half)),
                    field("q32", quant(FloatTy::F32, -1.0, 1.0, 0.01)),
                    field("q64", quant(FloatTy::F64, 0.0, 1000.0, 0.5)),
                    field("name", Ty::String { max_len: Some(20) }),
                    field("text", Ty::String { max_len: None }),
                    field("blob", Ty::Bytes { max_len: Some(8) }),
                    field("blob2", Ty::Bytes { max_len: None }),
                    field("hash", Ty::ByteArray(4)),
                    field("maybe", opt(int(IntTy::U16))),
                    field("maybeMsg", opt(named("Msg"))),
                    field("boxed", Ty::Boxed(Box::new(int(IntTy::U8)))),
                    field("nums", list(range(IntTy::U8, 0, 9), Some(10))),
                    field("words", list(Ty::String { max_len: None }, None)),
                    field("units", list(Ty::Unit, Some(3))),
                    field(
                        "grid",
                        Ty::Array {
                            elem: Box::new(int(IntTy::I16)),
                            len: 3,
                        },
                    ),
                    field(
                        "tuple",
                        Ty::Tuple(vec![int(IntTy::U8), Ty::String { max_len: Some(5) }]),
                    ),
                    field(
                        "scores",
                        Ty::Map {
                            key: Box::new(Ty::String { max_len: None }),
                            value: Box::new(int(IntTy::I32)),
                            max_len: None,
                            kind: CollectionKind::BTree,
                        },
                    ),
                    field(
                        "flags",
                        Ty::Map {
                            key: Box::new(Ty::Bool),
                            value: Box::new(int(IntTy::U8)),
                            max_len: Some(2),
                            kind: CollectionKind::Hash,
                        },
                    ),
                    field(
                        "ids",
                        Ty::Set {
                            elem: Box::new(int(IntTy::I32)),
                            max_len: Some(100),
                            kind: CollectionKind::BTree,
                        },
                    ),
                    field("team", named("Team")),
                    field("msgs", list(named("Msg"), None)),
                    field("pair", named("Pair")),
                    field("empty", named("Empty")),
                    field("tree", named("Tree")),
                ],
            ),
            strukt(
                "World",
                vec![
                    field("pos", Ty::Roblox(RobloxTy::Vector3(FloatEncoding::Full))),
                    field(
                        "qpos",
                        Ty::Roblox(RobloxTy::Vector3(FloatEncoding::Quantized(Quantize {
                            min: -512.0,
                            max: 512.0,
                            step: 0.125,
                        }))),
                    ),
                    field("hpos", Ty::Roblox(RobloxTy::Vector3(FloatEncoding::Half))),
                    field("v2", Ty::Roblox(RobloxTy::Vector2(FloatEncoding::Full))),
                    field("cf", Ty::Roblox(RobloxTy::CFrame { lossless: false })),
                    field("cfl", Ty::Roblox(RobloxTy::CFrame { lossless: true })),
                    field("color", Ty::Roblox(RobloxTy::Color3 { lossless: false })),
                    field("colorl", Ty::Roblox(RobloxTy::Color3 { lossless: true })),
                    field("udim", Ty::Roblox(RobloxTy::UDim)),
                    field("udim2", Ty::Roblox(RobloxTy::UDim2)),
                    field("time", Ty::Roblox(RobloxTy::DateTime)),
                    field(
                        "key",
                        Ty::Roblox(RobloxTy::EnumItem {
                            enum_name: "KeyCode".into(),
                        }),
                    ),
                    field("part", Ty::Roblox(RobloxTy::Instance)),
                    field("parts", list(Ty::Roblox(RobloxTy::Instance), Some(4))),
                ],
            ),
        ],
    }
}

/// A sandboxed VM with Roblox datatypes and native codegen, as Roblox runs
/// server scripts.
pub fn vm() -> Lua {
    skyrocket_sim::new_sandboxed_vm().expect("vm")
}

/// Generates and loads `schema`'s module; returns the `Codec` table.
pub fn load(lua: &Lua, schema: &Schema) -> Table {
    let m = generate(schema, &GenOptions::default()).expect("generate");
    load_source(lua, &m.source)
}

pub fn load_source(lua: &Lua, source: &str) -> Table {
    match lua.load(source).set_name("=codec").eval::<Table>() {
        Ok(t) => t,
        Err(e) => {
            for (i, l) in source.lines().enumerate() {
                eprintln!("{:5} {l}", i + 1);
            }
            panic!("module failed to load: {e}");
        }
    }
}

/// Runs a Luau snippet with `Codec` in scope and returns its result.
pub fn run<R: mlua::FromLuaMulti>(lua: &Lua, codec: &Table, body: &str) -> R {
    let f: Function = lua
        .load(format!("local Codec = ...\n{body}"))
        .set_name("=test")
        .into_function()
        .expect("snippet compiles");
    match f.call::<R>(codec.clone()) {
        Ok(r) => r,
        Err(e) => panic!("snippet failed: {e}\n{body}"),
    }
}

/// Hex of a Luau buffer value.
pub fn hex(v: &Value) -> String {
    match v {
        Value::Buffer(b) => b.to_vec().iter().map(|x| format!("{x:02x}")).collect(),
        other => panic!("not a buffer: {other:?}"),
    }
}

pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// 150 types: more than Luau's 200 locals allow as one local per codec.
pub fn large() -> Schema {
    large_n(150)
}

/// `n` types in chains of at most 9, a string enum every 10.
pub fn large_n(n: usize) -> Schema {
    let mut types = vec![];
    for i in 0..n {
        if i % 10 == 9 {
            types.push(enumm(
                &format!("E{i}"),
                vec![variant("A", Fields::Unit), variant("B", Fields::Unit)],
            ));
        } else {
            let mut fields = vec![field("x", int(IntTy::U8))];
            if i + 1 < n && i % 10 < 8 {
                fields.push(field("next", opt(named(&format!("T{}", i + 1)))));
            }
            if i % 10 == 8 {
                fields.push(field("e", named(&format!("E{}", i + 1))));
            }
            types.push(strukt(&format!("T{i}"), fields));
        }
    }
    // T_i for i % 10 == 8 points at E_{i+1} via `e`, and next at T_{i+1} (an enum name): fix up.
    for t in types.iter_mut() {
        if let skyrocket_schema::TypeKind::Struct(Fields::Named(fs)) = &mut t.kind {
            fs.retain(|f| !matches!(&f.ty, skyrocket_schema::Ty::Option(inner) if matches!(&**inner, skyrocket_schema::Ty::Named(n) if n.starts_with('T') && n[1..].parse::<usize>().unwrap() % 10 == 9)));
        }
    }
    Schema { types }
}

//! Rows of `docs/wire-format.md` section 9, encoded and decoded by the
//! generated Luau (the spec's hex was worked out by hand from the text).
mod common;

use common::*;
use mlua::Value;
use skyrocket_schema::{
    CollectionKind, FloatEncoding, FloatTy, IntTy, Quantize, RobloxTy, Schema, Ty,
};

fn check(ty: Ty, lua_value: &str, want: &str) {
    let lua = vm();
    let codec = load(
        &lua,
        &Schema {
            types: vec![strukt("T", vec![field("v", ty)])],
        },
    );
    let got: Value = run(
        &lua,
        &codec,
        &format!("return Codec.T.encode({{ v = {lua_value} }})"),
    );
    let want: String = want.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    assert_eq!(hex(&got), want, "{lua_value}");
    let ok: bool = run(
        &lua,
        &codec,
        &format!("local b = Codec.T.encode({{ v = {lua_value} }}); local v, e = Codec.T.tryDecode(b); assert(e == nil, e); return true"),
    );
    assert!(ok);
}

#[test]
fn primitives() {
    check(Ty::Bool, "true", "01");
    check(int(IntTy::I64), "-(2^53 - 1)", "01 00 00 00 00 00 e0 ff");
    check(f32t(), "-0.0", "00 00 00 80");
    check(f64t(), "-2.5", "00 00 00 00 00 00 04 c0");
    check(range(IntTy::U8, 0, 100), "42", "2a");
    check(range(IntTy::I8, -10, 10), "-3", "07");
    check(range(IntTy::U16, 1000, 1255), "1255", "ff");
    check(
        Ty::Tuple(vec![int(IntTy::U8), range(IntTy::U16, 0, 1000)]),
        "{ 7, 1000 }",
        "07 03 e8",
    );
    check(varint(IntTy::U16), "65535", "03 ff ff");
    check(varint(IntTy::I16), "-65", "01 81");
}

#[test]
fn floats() {
    let h32 = Ty::Float(FloatTy::F32, FloatEncoding::Half);
    let h64 = Ty::Float(FloatTy::F64, FloatEncoding::Half);
    check(h32.clone(), "0.1", "66 2e");
    check(h32.clone(), "65520", "00 7c");
    check(h32, "2^-25", "00 00");
    check(h64.clone(), "1 + 3 * 2^-11 - 2^-40", "01 3c");
    check(h64, "0/0", "00 7e");
    let q = quant(FloatTy::F64, 0.0, 1.0, 0.1);
    check(q.clone(), "0.34", "03");
    check(q.clone(), "2.0", "0a");
    check(q, "0/0", "00");
    check(quant(FloatTy::F64, 0.0, 255.0, 1.0), "100.5", "65");
    check(quant(FloatTy::F64, -100.0, 100.0, 0.01), "0.0", "27 10");
}

#[test]
fn collections() {
    check(Ty::String { max_len: None }, "\"hi\"", "68 69 02");
    check(Ty::String { max_len: Some(10) }, "\"abc\"", "61 62 63 03");
    check(
        Ty::Tuple(vec![Ty::String { max_len: Some(255) }, int(IntTy::U8)]),
        "{ \"a\", 7 }",
        "61 07 01",
    );
    check(Ty::Bytes { max_len: Some(0) }, "buffer.create(0)", "");
    check(list(Ty::Bool, None), "{ true, false, true }", "05 03");
    check(list(Ty::Bool, Some(4)), "{ true, true, true, true }", "7c");
    check(opt(int(IntTy::U8)), "7", "07 01");
    check(
        Ty::Map {
            key: Box::new(int(IntTy::U8)),
            value: Box::new(Ty::Bool),
            max_len: None,
            kind: CollectionKind::BTree,
        },
        "{ [3] = true, [1] = false }",
        "01 03 02 02",
    );
    check(
        Ty::Set {
            elem: Box::new(Ty::String { max_len: None }),
            max_len: None,
            kind: CollectionKind::BTree,
        },
        "{ ab = true, a = true, B = true }",
        "42 61 61 62 02 01 01 03",
    );
    check(
        Ty::Set {
            elem: Box::new(Ty::Bool),
            max_len: None,
            kind: CollectionKind::Hash,
        },
        "{ [true] = true, [false] = true }",
        "02 02",
    );
}

#[test]
fn roblox() {
    check(
        Ty::Roblox(RobloxTy::Vector3(FloatEncoding::Quantized(Quantize {
            min: 0.0,
            max: 3.0,
            step: 1.0,
        }))),
        "Vector3.new(0, 1, 3)",
        "34",
    );
    check(
        Ty::Roblox(RobloxTy::Color3 { lossless: false }),
        "Color3.new(2, -1, 0/0)",
        "ff 00 00",
    );
    check(
        Ty::Roblox(RobloxTy::UDim2),
        "UDim2.new(0.5, 10, 1, -1)",
        "00 00 00 3f 0a 00 00 00 00 00 80 3f ff ff ff ff",
    );
    check(
        Ty::Roblox(RobloxTy::DateTime),
        "DateTime.fromUnixTimestampMillis(1700000000000)",
        "00 68 e5 cf 8b 01 00 00",
    );
    check(
        Ty::Roblox(RobloxTy::EnumItem {
            enum_name: "KeyCode".into(),
        }),
        "Enum.KeyCode.Return",
        "0d 00",
    );
    let cf = Ty::Roblox(RobloxTy::CFrame { lossless: false });
    let pos = "00 00 00 00 00 00 00 80 00 00 80 3f";
    check(
        cf.clone(),
        "CFrame.new(0, -0.0, 1)",
        &format!("{pos} 3f ff 7f fe ff fc"),
    );
    check(
        cf.clone(),
        "CFrame.new(0, -0.0, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1)",
        &format!("{pos} 3f ff 7f fe ff ff"),
    );
    check(
        cf,
        "CFrame.new(0, -0.0, 1, 1, 0, 0, 0, 0, -1, 0, 1, 0)",
        &format!("{pos} 3f ff 7f ff ff f8"),
    );
}

#[test]
fn structs_and_enums() {
    let lua = vm();
    let s = Schema {
        types: vec![
            strukt(
                "Player",
                vec![
                    field("id", int(IntTy::U16)),
                    field("alive", Ty::Bool),
                    field("hp", range(IntTy::U16, 0, 1000)),
                    field("name", Ty::String { max_len: None }),
                ],
            ),
            enumm(
                "Shape",
                vec![
                    variant(
                        "Circle",
                        skyrocket_schema::Fields::Named(vec![field("radius", f32t())]),
                    ),
                    variant(
                        "Square",
                        skyrocket_schema::Fields::Tuple(vec![field("_0", int(IntTy::U8))]),
                    ),
                    variant("Empty", skyrocket_schema::Fields::Unit),
                ],
            ),
            strukt(
                "Node",
                vec![
                    field("value", int(IntTy::U8)),
                    field("children", list(named("Node"), None)),
                ],
            ),
        ],
    };
    let codec = load(&lua, &s);
    let h = |e: &str| hex(&run::<Value>(&lua, &codec, e));
    assert_eq!(
        h("return Codec.Player.encode({ id = 0x0102, alive = true, hp = 1000, name = \"Al\" })"),
        "0201416c0017d1"
    );
    assert_eq!(
        h("return Codec.Shape.encode({ kind = \"Square\", _0 = 5 })"),
        "0501"
    );
    assert_eq!(h("return Codec.Shape.encode({ kind = \"Empty\" })"), "02");
    assert_eq!(
        h("return Codec.Node.encode({ value = 1, children = { { value = 2, children = {} } } })"),
        "01020001"
    );
}

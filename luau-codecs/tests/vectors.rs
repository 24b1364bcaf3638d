//! Hand-computed bytes from the spec for every primitive encoding.
mod common;

use common::*;
use mlua::Value;
use skyrocket_schema::{CollectionKind, FloatEncoding, FloatTy, IntTy, RobloxTy, Schema, Ty};

fn one(ty: Ty) -> Schema {
    Schema {
        types: vec![strukt("T", vec![field("v", ty)])],
    }
}

/// Encodes `{ v = <lua_value> }` as `T` and returns hex; also checks the
/// round trip re-encodes to the same bytes.
fn enc(ty: Ty, lua_value: &str) -> String {
    let lua = vm();
    let codec = load(&lua, &one(ty));
    let v: Value = run(
        &lua,
        &codec,
        &format!("return Codec.T.encode({{ v = {lua_value} }})"),
    );
    let h = hex(&v);
    let again: Value = run(
        &lua,
        &codec,
        &format!("local b = Codec.T.encode({{ v = {lua_value} }}); return Codec.T.encode(Codec.T.decode(b))"),
    );
    assert_eq!(hex(&again), h, "round trip of {lua_value}");
    h
}

#[test]
fn struct_bool_u8_range() {
    let s = Schema {
        types: vec![strukt(
            "S",
            vec![
                field("a", Ty::Bool),
                field("b", int(IntTy::U8)),
                field("c", range(IntTy::U8, 0, 5)),
            ],
        )],
    };
    let lua = vm();
    let codec = load(&lua, &s);
    let v: Value = run(
        &lua,
        &codec,
        "return Codec.S.encode({ a = true, b = 7, c = 5 })",
    );
    // byte section [07]; bits: a=1 at bit 0, c=5 (3 bits) at bits 1..3 -> 0b1011
    assert_eq!(hex(&v), "070b");
    let ok: bool = run(
        &lua,
        &codec,
        "local v = Codec.S.decode(Codec.S.encode({ a = true, b = 7, c = 5 }))
         return v.a == true and v.b == 7 and v.c == 5",
    );
    assert!(ok);
}

#[test]
fn integers() {
    assert_eq!(enc(int(IntTy::U16), "0x1234"), "3412");
    assert_eq!(enc(int(IntTy::I16), "-2"), "feff");
    assert_eq!(enc(int(IntTy::I32), "-1"), "ffffffff");
    assert_eq!(enc(int(IntTy::U64), "2^40"), "0000000000010000");
    assert_eq!(enc(int(IntTy::I64), "-1"), "ffffffffffffffff");
    assert_eq!(enc(int(IntTy::I64), "-(2^53 - 1)"), "010000000000e0ff");
    assert_eq!(enc(range(IntTy::I16, -1000, 1000), "-1000"), "0000");
    // range 100..=355 spans 256 values: one byte-section byte
    assert_eq!(enc(range(IntTy::U16, 100, 355), "355"), "ff");
    assert_eq!(enc(range(IntTy::U8, 7, 7), "7"), "");
    // span 2^63 + 1 values: 64 bits, byte section
    assert_eq!(
        enc(range(IntTy::I64, -(1 << 62), 1 << 62), "5"),
        "0500000000000040"
    );
    // 2^63 values: a 63-bit bit-section field
    assert_eq!(
        enc(range(IntTy::I64, -(1 << 62), (1 << 62) - 1), "-5"),
        "3ffffffffffffffb"
    );
}

#[test]
fn varints() {
    assert_eq!(enc(varint(IntTy::U32), "300"), "02ac");
    assert_eq!(enc(varint(IntTy::I16), "-1"), "01");
    assert_eq!(enc(varint(IntTy::I16), "1"), "02");
    assert_eq!(enc(varint(IntTy::U16), "0"), "00");
    assert_eq!(enc(varint(IntTy::U64), "2^53 - 1"), "0fffffffffffffff");
    // zigzag(-(2^53-1)) = 2^54 - 3
    assert_eq!(enc(varint(IntTy::I64), "-(2^53 - 1)"), "1ffffffffffffffd");
    assert_eq!(enc(varint(IntTy::I64), "2^53 - 1"), "1ffffffffffffffe");
}

#[test]
fn floats() {
    assert_eq!(enc(f32t(), "0/0"), "0000c07f");
    assert_eq!(enc(f32t(), "1.5"), "0000c03f");
    assert_eq!(enc(f64t(), "1"), "000000000000f03f");
    assert_eq!(enc(f64t(), "-0/0"), "000000000000f87f");
    assert_eq!(enc(f64t(), "-0.0"), "0000000000000080");
    let half = Ty::Float(FloatTy::F64, FloatEncoding::Half);
    assert_eq!(enc(half.clone(), "1"), "003c");
    assert_eq!(enc(half.clone(), "65504"), "ff7b");
    assert_eq!(enc(half.clone(), "65520"), "007c");
    assert_eq!(enc(half.clone(), "0/0"), "007e");
    assert_eq!(enc(half.clone(), "-2^-24"), "0180");
    assert_eq!(enc(half.clone(), "2^-25"), "0000");
    // 1 + 2^-11 is a tie between 1 and 1 + 2^-10: to even (1)
    assert_eq!(enc(half, "1 + 2^-11"), "003c");
    // N = 21 levels: 5 bits; 2.5 -> level 5
    assert_eq!(enc(quant(FloatTy::F64, 0.0, 10.0, 0.5), "2.5"), "05");
    assert_eq!(enc(quant(FloatTy::F64, 0.0, 10.0, 0.5), "99"), "14");
    assert_eq!(enc(quant(FloatTy::F64, 0.0, 10.0, 0.5), "0/0"), "00");
}

#[test]
fn strings_and_bytes() {
    // length 2 in 4 bits (max 10), then bytes
    assert_eq!(enc(Ty::String { max_len: Some(10) }, "\"hi\""), "686902");
    assert_eq!(enc(Ty::String { max_len: None }, "\"\""), "00");
    assert_eq!(
        enc(Ty::Bytes { max_len: None }, "buffer.fromstring(\"ab\")"),
        "616202"
    );
    assert_eq!(
        enc(Ty::ByteArray(3), "buffer.fromstring(\"xyz\")"),
        "78797a"
    );
}

#[test]
fn options_lists_maps() {
    assert_eq!(enc(opt(int(IntTy::U16)), "0x1234"), "341201");
    assert_eq!(enc(opt(int(IntTy::U16)), "nil"), "00");
    // 3 elements in 2 bits, then 3 bytes
    assert_eq!(enc(list(int(IntTy::U8), Some(3)), "{1, 2, 3}"), "01020303");
    let map = Ty::Map {
        key: Box::new(int(IntTy::U8)),
        value: Box::new(Ty::Bool),
        max_len: Some(3),
        kind: CollectionKind::BTree,
    };
    // len 2 (2 bits) = 0b10, then false, true -> 0b1010
    assert_eq!(enc(map, "{ [2] = true, [1] = false }"), "01020a");
    let set = Ty::Set {
        elem: Box::new(Ty::String { max_len: Some(3) }),
        max_len: Some(3),
        kind: CollectionKind::BTree,
    };
    // len 2 (2 bits), "a" len 1 (2 bits), "b" len 1: 0b01_01_10 = 0x16
    assert_eq!(enc(set, "{ b = true, a = true }"), "616216");
    assert_eq!(
        enc(Ty::Tuple(vec![int(IntTy::U8), Ty::Bool]), "{ 9, true }"),
        "0901"
    );
}

#[test]
fn enums() {
    let s = all_features();
    let lua = vm();
    let codec = load(&lua, &s);
    let h = |e: &str| -> String { hex(&run::<Value>(&lua, &codec, e)) };
    assert_eq!(
        h("return Codec.Msg.encode({ kind = \"Move\", x = -1 })"),
        "ff01"
    );
    assert_eq!(h("return Codec.Msg.encode({ kind = \"Idle\" })"), "00");
    // tag 2 (2 bits), _0 = 5, then _1 = "a": varint length 1 at bits 2..9
    assert_eq!(
        h("return Codec.Msg.encode({ kind = \"Chat\", _0 = 5, _1 = \"a\" })"),
        "05610006"
    );
    assert_eq!(h("return Codec.Team.encode(\"Blue\")"), "02");
    assert_eq!(h("return Codec.Empty.encode({})"), "");
    let ok: bool = run(
        &lua,
        &codec,
        "local m = Codec.Msg.decode(Codec.Msg.encode({ kind = \"Chat\", _0 = 5, _1 = \"a\" }))
         return m.kind == \"Chat\" and m._0 == 5 and m._1 == \"a\" and Codec.Team.decode(buffer.fromstring(\"\\1\")) == \"Green\"",
    );
    assert!(ok);
}

#[test]
fn roblox_types() {
    let v3 = Ty::Roblox(RobloxTy::Vector3(FloatEncoding::Full));
    assert_eq!(enc(v3, "Vector3.new(1, 2, 3)"), "0000803f0000004000004040");
    // identity: largest = w (0), others level 16383 (spec 5.1), bit section 3f ff 7f fe ff fc
    assert_eq!(
        enc(
            Ty::Roblox(RobloxTy::CFrame { lossless: false }),
            "CFrame.new()"
        ),
        "0000000000000000000000003fff7ffefffc"
    );
    assert_eq!(
        enc(
            Ty::Roblox(RobloxTy::Color3 { lossless: false }),
            "Color3.new(1, 0.5, 0)"
        ),
        "ff8000"
    );
    assert_eq!(
        enc(Ty::Roblox(RobloxTy::UDim), "UDim.new(0.5, -2)"),
        "0000003ffeffffff"
    );
    assert_eq!(
        enc(
            Ty::Roblox(RobloxTy::DateTime),
            "DateTime.fromUnixTimestampMillis(1000)"
        ),
        "e803000000000000"
    );
    assert_eq!(
        enc(
            Ty::Roblox(RobloxTy::EnumItem {
                enum_name: "KeyCode".into()
            }),
            "Enum.KeyCode.A"
        ),
        "6100"
    );
}

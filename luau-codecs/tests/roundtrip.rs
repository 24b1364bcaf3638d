//! Round trips, limits and hostile input over a schema using every IR feature.
mod common;

use common::*;
use mlua::{Function, Value};
use skyrocket_schema::{IntTy, Schema, Ty};

const EVERYTHING: &str = r#"local value = {
    unit = true, flag = true, ["end"] = false,
    u8 = 255, u16 = 65535, u32 = 4294967295, u64 = 2^53 - 1,
    i8 = -128, i16 = -32768, i32 = -2147483648, i64 = -(2^53 - 1),
    r5 = 4, rneg = -999, rbyte = 300, rwide = -2^52, rconst = 7,
    vu16 = 65535, vi32 = -2147483648, vu64 = 2^53 - 1, vi64 = -(2^53 - 1),
    f32 = 1.5, f64 = math.pi, h32 = -0.5, h64 = 1 / 3,
    q32 = 0.25, q64 = 999.5,
    name = "héllo", text = string.rep("x", 300),
    blob = buffer.fromstring("\0\1\2"), blob2 = buffer.create(0), hash = buffer.fromstring("abcd"),
    maybe = 7, maybeMsg = { kind = "Move", x = 3 }, boxed = 9,
    nums = { 1, 2, 9 }, words = { "a", "", "ccc" }, units = { true, true },
    grid = { -1, 0, 1 }, tuple = { 200, "five5" },
    scores = { alice = 10, bob = -20, [""] = 0 },
    flags = { [true] = 1, [false] = 2 },
    ids = { [5] = true, [-3] = true, [100000] = true },
    team = "Green",
    msgs = { { kind = "Idle" }, { kind = "Chat", _0 = -7, _1 = "yo" }, { kind = "Move", x = 127 } },
    pair = { _0 = 1, _1 = "p" },
    empty = {},
    tree = { value = 3, children = { { value = -3, children = {} }, { value = 0, children = { { value = 1, children = {} } } } } },
}
"#;

#[test]
fn everything_round_trips() {
    let lua = vm();
    let codec = load(&lua, &all_features());
    let ok: String = run(
        &lua,
        &codec,
        &format!(
            r#"{EVERYTHING}
        local b = Codec.Everything.encode(value)
        local v = Codec.Everything.decode(b)
        local b2 = Codec.Everything.encode(v)
        assert(buffer.tostring(b) == buffer.tostring(b2), "re-encode differs")
        assert(Codec.Everything.size(value) == buffer.len(b))
        assert(v.u64 == 2^53 - 1 and v.i64 == -(2^53 - 1) and v.rwide == -2^52)
        assert(v.vi32 == -2147483648 and v.vu64 == 2^53 - 1 and v.vi64 == -(2^53 - 1))
        assert(v.f64 == math.pi and v.h32 == -0.5 and math.abs(v.q32 - 0.25) < 1e-6)
        assert(v.name == "héllo" and #v.text == 300 and buffer.len(v.blob) == 3)
        assert(v.maybeMsg and v.maybeMsg.kind == "Move")
        assert(v.scores.alice == 10 and v.scores[""] == 0 and v.flags[true] == 1)
        assert(v.ids[-3] == true and v.ids[100000] == true)
        assert(v.tuple[1] == 200 and v.tuple[2] == "five5")
        assert(v.tree.children[2].children[1].value == 1)
        assert(v["end"] == false and v.cache == nil)
        -- write/stage into a larger buffer at an offset
        local big = buffer.create(2000)
        local after = Codec.Everything.write(big, 10, value)
        assert(after == 10 + buffer.len(b))
        local v3 = Codec.Everything.read(big, 10, buffer.len(b))
        assert(buffer.tostring(Codec.Everything.encode(v3)) == buffer.tostring(b))
        local n = Codec.Everything.stage(value)
        assert(Codec.copyStaged(big, 1000) == 1000 + n)
        local v4, err = Codec.Everything.tryDecode(big, 1000, n)
        assert(v4 and err == nil, err)
        return buffer.len(b) .. " bytes""#
        ),
    );
    eprintln!("Everything: {ok}");
}

#[test]
fn roblox_values_and_instances_round_trip() {
    let lua = vm();
    let codec = load(&lua, &all_features());
    let _: () = run(
        &lua,
        &codec,
        r#"
        local value = {
            pos = Vector3.new(1.5, -2, 1e30), qpos = Vector3.new(10.125, -511.9, 3),
            hpos = Vector3.new(0.5, 2, -4),
            v2 = Vector2.new(3, 4),
            cf = CFrame.new(1, 2, 3) * CFrame.Angles(0.3, -1.2, 2.5),
            cfl = CFrame.new(4, 5, 6) * CFrame.Angles(1, 2, 3),
            color = Color3.new(0.2, 0.4, 1), colorl = Color3.new(0.123, 0.5, 0.75),
            udim = UDim.new(0.5, 10), udim2 = UDim2.new(1, -5, 0.25, 7),
            time = DateTime.fromUnixTimestampMillis(1700000000123),
            key = Enum.KeyCode.Space,
            part = nil, parts = {},
        }
        local b, inst = Codec.World.encode(value)
        assert(type(inst) == "table")
        local v = Codec.World.decode(b, inst)
        assert(v.pos == value.pos and v.v2 == value.v2)
        assert((v.qpos - Vector3.new(10.125, -511.875, 3)).Magnitude < 1e-6, tostring(v.qpos))
        assert(v.hpos == value.hpos)
        assert(v.cfl == value.cfl)
        local d = v.cf.Position - value.cf.Position
        assert(d.Magnitude < 1e-6)
        local r1 = { v.cf:GetComponents() }
        local r2 = { value.cf:GetComponents() }
        for i = 4, 12 do assert(math.abs(r1[i] - r2[i]) < 1e-3, "rotation") end
        assert(v.colorl == value.colorl)
        assert(math.abs(v.color.R - 0.2) < 0.003 and v.color.B == 1)
        assert(v.udim == value.udim and v.udim2 == value.udim2)
        assert(v.time.UnixTimestampMillis == 1700000000123)
        assert(v.key == Enum.KeyCode.Space)
        assert(v.part == nil)
        -- decoded rotation re-encodes to the same bytes (quantization is idempotent)
        assert(buffer.tostring(Codec.World.encode(v)) == buffer.tostring(b))
        "#,
    );
}

#[test]
fn encode_errors_are_clear() {
    let lua = vm();
    let codec = load(&lua, &all_features());
    let cases = [
        (
            "r5 = 6",
            "Everything.r5: value 6 is not an integer in 0..=5",
        ),
        ("u8 = 256", "Everything.u8: value 256"),
        ("u8 = 1.5", "Everything.u8: value 1.5"),
        // bit32-based checks: every non-integer or out-of-range number fails
        ("u8 = -1", "Everything.u8: value -1"),
        ("u8 = -0.5", "Everything.u8: value -0.5"),
        ("u8 = 0/0", "Everything.u8: value nan"),
        ("u8 = math.huge", "Everything.u8: value inf"),
        ("u8 = 2^32 + 5", "Everything.u8: value"),
        ("u8 = 1e-300", "Everything.u8: value 1e-300"),
        ("u16 = 65536", "Everything.u16: value 65536"),
        ("u32 = 2^32", "Everything.u32: value"),
        ("u32 = -2^32", "Everything.u32: value"),
        ("u32 = 2^70", "Everything.u32: value"),
        ("u32 = 4294967295.5", "Everything.u32: value"),
        ("r5 = 5.5", "Everything.r5: value 5.5"),
        ("r5 = -0.25", "Everything.r5: value -0.25"),
        ("vu16 = 65536", "Everything.vu16: value 65536"),
        ("vu16 = 0/0", "Everything.vu16: value nan"),
        // the first invalid field of a record is the one reported
        ("u16 = 1.5; value.u32 = -1", "Everything.u16: value 1.5"),
        ("u64 = 2^53", "Everything.u64: value"),
        (
            "name = string.rep('x', 21)",
            "Everything.name: length 21 is above max_len 20",
        ),
        ("name = '\\255'", "Everything.name: invalid UTF-8"),
        ("text = '\\237\\160\\128'", "Everything.text: invalid UTF-8"),
        (
            "hash = buffer.create(3)",
            "Everything.hash: buffer length 3 is not 4",
        ),
        ("grid = {1, 2}", "Everything.grid: array length 2 is not 3"),
        ("nums = {1, 10}", "Everything.nums[2]: value 10"),
        (
            "msgs = {{ kind = 'Nope' }}",
            "Msg: unknown variant kind Nope",
        ),
        ("team = 'Purple'", "Everything.team: unknown variant Purple"),
        ("tree = { value = 4, children = {} }", "Tree.value: value 4"),
    ];
    for (patch, want) in cases {
        let msg: String = run(
            &lua,
            &codec,
            &format!(
                "{EVERYTHING}\nvalue.{patch}\nlocal ok, err = pcall(Codec.Everything.encode, value)\nassert(not ok)\nreturn tostring(err)"
            ),
        );
        assert!(msg.contains(want), "{patch}: got {msg:?}, want {want:?}");
    }
}

fn try_decode(lua: &mlua::Lua, codec: &mlua::Table, ty: &str, bytes: &[u8]) -> Option<String> {
    let t: mlua::Table = codec.get(ty).unwrap();
    let f: Function = t.get("tryDecode").unwrap();
    let b = lua.create_buffer(bytes).unwrap();
    let (v, err): (Value, Option<String>) = f.call(b).expect("tryDecode never raises");
    match err {
        Some(e) => {
            assert!(v.is_nil());
            Some(e)
        }
        None => None,
    }
}

#[test]
fn decode_errors_name_path_kind_and_position() {
    let lua = vm();
    let s = Schema {
        types: vec![strukt(
            "S",
            vec![
                field("a", int(IntTy::U8)),
                field("items", list(range(IntTy::U8, 0, 5), Some(7))),
                field("s", Ty::String { max_len: Some(3) }),
            ],
        )],
    };
    let codec = load(&lua, &s);
    // valid: a=1, items=[2], s="" -> bytes [01] + bits len 1 (3 bits), 2 (3 bits), 0 (2 bits)
    // bits: 001 010 00 -> 0b00_010_001 = 0x11
    assert_eq!(try_decode(&lua, &codec, "S", &[0x01, 0x11]), None);
    // item 7 > 5: 001 111 -> 0b111_001 = 0x39
    let e = try_decode(&lua, &codec, "S", &[0x01, 0x39]).unwrap();
    assert_eq!(e, "S.items[1]: OutOfRange at byte 1 (bit-section bit 6)");
    // string length 3 but nothing left
    let e = try_decode(&lua, &codec, "S", &[0x01, 0xd1]).unwrap();
    assert!(e.starts_with("S.s: UnexpectedEnd"), "{e}");
    // trailing byte
    let e = try_decode(&lua, &codec, "S", &[0x01, 0x00, 0x11]).unwrap();
    assert!(e.contains("TrailingBytes"), "{e}");
    // padding bits set
    let e = try_decode(&lua, &codec, "S", &[0x01, 0x20]).unwrap();
    assert!(e.contains("NonCanonical"), "{e}");
    let e = try_decode(&lua, &codec, "S", &[]).unwrap();
    assert!(e.contains("UnexpectedEnd"), "{e}");
    // tryDecode never raises, even on a non-buffer
    let (v, err): (Value, String) = run(&lua, &codec, "return Codec.S.tryDecode(\"nope\" :: any)");
    assert!(v.is_nil() && err.contains("expected a buffer"));
    let (v, err): (Value, String) = run(
        &lua,
        &codec,
        "return Codec.S.tryDecode(buffer.create(4), 3, 5)",
    );
    assert!(v.is_nil() && err.contains("outside the buffer"));
}

#[test]
fn nested_error_paths() {
    let lua = vm();
    let codec = load(&lua, &all_features());
    // A Tree whose second child's value is out of range: build valid bytes, then corrupt.
    let msg: String = run(
        &lua,
        &codec,
        r#"
        -- value 3 bits (range -3..=3 has 7 values), children count 3 bits (max 4)
        local b = Codec.Tree.encode({ value = 0, children = { { value = 0, children = {} }, { value = 0, children = {} } } })
        -- bit stream: root value(3) count(3) | child1 value(3) count(3) | child2 value(3) ...
        -- child2 value is bits 12..14; set it to 7 (offset 7 > 6)
        local n = buffer.len(b)
        local x = buffer.readu8(b, n - 2)
        buffer.writeu8(b, n - 2, bit32.bor(x, bit32.lshift(7, 4)))
        local v, err = Codec.Tree.tryDecode(b)
        return err
        "#,
    );
    assert_eq!(
        msg,
        "Tree.children[2].value: OutOfRange at byte 0 (bit-section bit 15)"
    );
}

#[test]
fn depth_limit() {
    let lua = vm();
    let codec = load(&lua, &all_features());
    let res: (bool, String) = run(
        &lua,
        &codec,
        r#"
        local function nest(n)
            local t = { value = 0, children = {} }
            for _ = 2, n do t = { value = 0, children = { t } } end
            return t
        end
        local ok8 = Codec.Tree.tryDecode(Codec.Tree.encode(nest(8))) ~= nil
        local _, err = Codec.Tree.tryDecode(Codec.Tree.encode(nest(9)))
        return ok8, err
        "#,
    );
    assert!(res.0, "depth 8 accepted");
    assert!(res.1.contains("DepthLimit"), "{}", res.1);
    assert!(
        res.1.starts_with("Tree.children[1].children[1]"),
        "{}",
        res.1
    );
}

#[test]
fn length_limits_checked_before_allocation() {
    let lua = vm();
    let codec = load(&lua, &all_features());
    // Everything starts with many fixed fields; simplest: a Msg Chat whose
    // string length varint claims 2^31 bytes.
    // tag 2 (2 bits) + varint groups: 0x80 0x80 0x80 0x80 0x08
    let mut bits: Vec<u8> = vec![];
    let stream: u64 = 2 | (0x80 << 2) | (0x80 << 10) | (0x80 << 18) | (0x80 << 26) | (0x08 << 34);
    for i in 0..6 {
        bits.push((stream >> (8 * i)) as u8);
    }
    bits.reverse();
    let mut msg = vec![0x05];
    msg.extend(bits);
    let e = try_decode(&lua, &codec, "Msg", &msg).unwrap();
    assert!(e.starts_with("Msg.Chat._1: LengthLimit"), "{e}");
    // a bounded list above max_len: nums max 10 in 4 bits
    let s = Schema {
        types: vec![strukt("L", vec![field("v", list(Ty::Unit, Some(10)))])],
    };
    let c2 = load(&lua, &s);
    assert_eq!(try_decode(&lua, &c2, "L", &[0x0a]), None);
    let e = try_decode(&lua, &c2, "L", &[0x0b]).unwrap();
    assert!(e.contains("LengthLimit"), "{e}");
    // varint overflow and non-canonical varints
    let s = Schema {
        types: vec![strukt("V", vec![field("v", varint(IntTy::U16))])],
    };
    let c3 = load(&lua, &s);
    assert_eq!(try_decode(&lua, &c3, "V", &[0x03, 0xff, 0xff]), None);
    let e = try_decode(&lua, &c3, "V", &[0x04, 0xff, 0xff]).unwrap();
    assert!(e.contains("InvalidVarint"), "{e}");
    let e = try_decode(&lua, &c3, "V", &[0x00, 0x81]).unwrap();
    assert!(e.contains("NonCanonical"), "{e}");
}

#[test]
fn garbage_never_raises() {
    let lua = vm();
    let codec = load(&lua, &all_features());
    let mut seed: u64 = 0x1234_5678;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let valid: Value = run(
        &lua,
        &codec,
        &format!("{EVERYTHING}\nreturn Codec.Everything.encode(value)"),
    );
    let valid = match valid {
        Value::Buffer(b) => b.to_vec(),
        _ => unreachable!(),
    };
    for ty in [
        "Everything",
        "World",
        "Msg",
        "Tree",
        "Team",
        "Pair",
        "Empty",
    ] {
        for round in 0..300 {
            let len = (next() % 40) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if ty == "Everything" && round % 2 == 0 {
                // mutate a valid message: truncate or flip bits
                bytes = valid.clone();
                let cut = (next() as usize) % (bytes.len() + 1);
                if round % 4 == 0 {
                    bytes.truncate(cut);
                } else if !bytes.is_empty() {
                    let i = (next() as usize) % bytes.len();
                    bytes[i] ^= 1 << (next() % 8);
                }
            }
            let _ = try_decode(&lua, &codec, ty, &bytes);
        }
    }
    // valid plus a trailing byte is rejected; a truncated message is rejected
    let mut long = valid.clone();
    long.push(0);
    assert!(try_decode(&lua, &codec, "Everything", &long).is_some());
    assert!(try_decode(&lua, &codec, "Everything", &valid[..valid.len() - 1]).is_some());
}

#[test]
fn unsafe_integers_are_refused() {
    let lua = vm();
    let s = Schema {
        types: vec![strukt(
            "W",
            vec![field("a", int(IntTy::U64)), field("b", varint(IntTy::I64))],
        )],
    };
    let codec = load(&lua, &s);
    // a = 2^53 (0x0020000000000000), b = 0
    let mut m = vec![0, 0, 0, 0, 0, 0, 0x20, 0];
    m.push(0);
    let e = try_decode(&lua, &codec, "W", &m).unwrap();
    assert!(e.starts_with("W.a: UnsafeInteger"), "{e}");
    // b = zigzag 2^54 - 1 -> -(2^53): groups ff*7, then 0x1f
    let mut m = vec![0; 8];
    let mut groups = vec![0xffu8; 7];
    groups.push(0x1f);
    groups.reverse();
    m.extend(groups);
    let e = try_decode(&lua, &codec, "W", &m).unwrap();
    assert!(e.starts_with("W.b: UnsafeInteger"), "{e}");
}

#[test]
fn inlined_structs_keep_paths_and_depth_checks() {
    let lua = vm();
    let mut tight = strukt("Tight", vec![field("v", int(IntTy::U8))]);
    tight.max_depth = 1;
    let s = Schema {
        types: vec![
            strukt("Inner", vec![field("v", range(IntTy::U8, 0, 5))]),
            strukt("Outer", vec![field("items", list(named("Inner"), Some(3)))]),
            tight,
            strukt("HoldsTight", vec![field("t", named("Tight"))]),
        ],
    };
    let codec = load(&lua, &s);
    // items: count 1 (2 bits), v = 7 (3 bits): 0b111_01 = 0x1d
    let e = try_decode(&lua, &codec, "Outer", &[0x1d]).unwrap();
    assert_eq!(
        e,
        "Outer.items[1].v: OutOfRange at byte 0 (bit-section bit 5)"
    );
    // Tight alone is fine; nested one level down it exceeds its max_depth 1
    assert_eq!(try_decode(&lua, &codec, "Tight", &[0x01]), None);
    let e = try_decode(&lua, &codec, "HoldsTight", &[0x01]).unwrap();
    assert!(e.starts_with("HoldsTight.t: DepthLimit"), "{e}");
}

#[test]
fn deferred_bounds_checks_name_the_first_failing_field() {
    let lua = vm();
    let s = Schema {
        types: vec![
            strukt("B", vec![field("flags", list(Ty::Bool, Some(15)))]),
            strukt(
                "T",
                vec![
                    field("a", range(IntTy::U8, 0, 5)),
                    field("b", range(IntTy::U8, 0, 20)),
                    field("c", Ty::Bool),
                ],
            ),
        ],
    };
    let codec = load(&lua, &s);
    // 15 bools claimed, 4 fit after the 4-bit length: the fifth fails
    let e = try_decode(&lua, &codec, "B", &[0x0f]).unwrap();
    assert_eq!(e, "B.flags[5]: UnexpectedEnd at byte 0 (bit-section bit 8)");
    // 4 bools: 0b1010 then length 4 = 0b0100 -> 0xa4
    assert_eq!(try_decode(&lua, &codec, "B", &[0xa4]), None);
    let v: String = run(
        &lua,
        &codec,
        "local v = Codec.B.decode(buffer.fromstring('\\164')); local t = {} for i, f in v.flags do t[i] = if f then '1' else '0' end return table.concat(t)",
    );
    assert_eq!(v, "0101");
    // a = 7: out of range before anything runs out
    let e = try_decode(&lua, &codec, "T", &[0x07]).unwrap();
    assert_eq!(e, "T.a: OutOfRange at byte 0 (bit-section bit 3)");
    // nothing at all: a runs out first
    let e = try_decode(&lua, &codec, "T", &[]).unwrap();
    assert_eq!(e, "T.a: UnexpectedEnd at byte 0 (bit-section bit 0)");
    // a = 1, b = 21 (out of range), c missing: b's range error comes first
    let e = try_decode(&lua, &codec, "T", &[0xa9]).unwrap();
    assert_eq!(e, "T.b: OutOfRange at byte 0 (bit-section bit 8)");
    // b = 20, c missing
    let e = try_decode(&lua, &codec, "T", &[0xa1]).unwrap();
    assert_eq!(e, "T.c: UnexpectedEnd at byte 0 (bit-section bit 8)");
    assert_eq!(try_decode(&lua, &codec, "T", &[0x01, 0xa1]), None);
}

#[test]
fn static_depth_bounds_keep_every_reachable_depth_limit() {
    let lua = vm();
    let mut c = strukt("C", vec![field("v", int(IntTy::U8))]);
    c.max_depth = 2;
    let mut leaf = strukt("Leaf", vec![field("v", int(IntTy::U8))]);
    leaf.max_depth = 3;
    let s = Schema {
        types: vec![
            strukt("A", vec![field("b", named("B"))]),
            strukt("B", vec![field("c", named("C"))]),
            c,
            leaf,
            strukt(
                "Node",
                vec![
                    field("leaf", named("Leaf")),
                    field("kids", list(named("Node"), Some(1))),
                ],
            ),
        ],
    };
    let codec = load(&lua, &s);
    // C at depth 1 and 2 is fine, at depth 3 (inside A) it is not
    assert_eq!(try_decode(&lua, &codec, "C", &[0x05]), None);
    assert_eq!(try_decode(&lua, &codec, "B", &[0x05]), None);
    let e = try_decode(&lua, &codec, "A", &[0x05]).unwrap();
    assert!(e.starts_with("A.b.c: DepthLimit"), "{e}");
    // Leaf below a recursive type: depth 2 and 3 fine, 4 refused
    let res: (bool, String) = run(
        &lua,
        &codec,
        r#"
        local one = { leaf = { v = 1 }, kids = {} }
        local two = { leaf = { v = 1 }, kids = { one } }
        local three = { leaf = { v = 1 }, kids = { two } }
        local ok = Codec.Node.tryDecode(Codec.Node.encode(two)) ~= nil
        local _, err = Codec.Node.tryDecode(Codec.Node.encode(three))
        return ok, err
        "#,
    );
    assert!(res.0, "Leaf at depth 3 accepted");
    assert!(
        res.1.starts_with("Node.kids[1].kids[1].leaf: DepthLimit"),
        "{}",
        res.1
    );
}

#[test]
fn bool_runs_pack_across_accumulator_words() {
    let lua = vm();
    let s = Schema {
        types: vec![strukt(
            "S",
            vec![
                field("a", range(IntTy::U32, 0, (1 << 30) - 1)),
                field(
                    "flags",
                    Ty::Array {
                        elem: Box::new(Ty::Bool),
                        len: 40,
                    },
                ),
                field("more", list(Ty::Bool, Some(100))),
            ],
        )],
    };
    let codec = load(&lua, &s);
    // a = 2^30 - 1 (30 bits), flags[k] = k % 3 == 0, more: 33 bools k % 2 == 0
    let mut bits: Vec<bool> = (0..30).map(|_| true).collect();
    bits.extend((1..=40).map(|k| k % 3 == 0));
    bits.extend((0..7).map(|i| (33 >> i) & 1 == 1));
    bits.extend((1..=33).map(|k| k % 2 == 0));
    let mut want = vec![0u8; bits.len().div_ceil(8)];
    let n = want.len();
    for (i, &bit) in bits.iter().enumerate() {
        if bit {
            want[n - 1 - i / 8] |= 1 << (i % 8);
        }
    }
    let hex: String = run(
        &lua,
        &codec,
        r#"
        local flags, more = {}, {}
        for k = 1, 40 do flags[k] = k % 3 == 0 end
        for k = 1, 33 do more[k] = k % 2 == 0 end
        local v = { a = 2^30 - 1, flags = flags, more = more }
        local b = Codec.S.encode(v)
        local back = Codec.S.decode(b)
        assert(back.a == v.a and #back.flags == 40 and #back.more == 33)
        for k = 1, 40 do assert(back.flags[k] == flags[k]) end
        for k = 1, 33 do assert(back.more[k] == more[k]) end
        local t = {}
        for i = 0, buffer.len(b) - 1 do t[#t + 1] = string.format("%02x", buffer.readu8(b, i)) end
        return table.concat(t)
        "#,
    );
    let want: String = want.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, want);
}

#[test]
fn byte_runs_check_once_and_name_the_first_failing_field() {
    let lua = vm();
    let s = Schema {
        types: vec![strukt(
            "R",
            vec![
                field("a", int(IntTy::U8)),
                field("b", int(IntTy::U8)),
                field("c", int(IntTy::U16)),
                field("d", range(IntTy::U8, 0, 200)),
                field("e", int(IntTy::U8)),
            ],
        )],
    };
    let codec = load(&lua, &s);
    assert_eq!(try_decode(&lua, &codec, "R", &[1, 2, 3, 4, 200, 6]), None);
    let e = try_decode(&lua, &codec, "R", &[1]).unwrap();
    assert_eq!(e, "R.b: UnexpectedEnd at byte 1 (bit-section bit 0)");
    let e = try_decode(&lua, &codec, "R", &[1, 2, 3]).unwrap();
    assert_eq!(e, "R.c: UnexpectedEnd at byte 2 (bit-section bit 0)");
    // d out of range is reported before e runs out
    let e = try_decode(&lua, &codec, "R", &[1, 2, 3, 4, 201]).unwrap();
    assert_eq!(e, "R.d: OutOfRange at byte 5 (bit-section bit 0)");
    let e = try_decode(&lua, &codec, "R", &[1, 2, 3, 4, 200]).unwrap();
    assert_eq!(e, "R.e: UnexpectedEnd at byte 5 (bit-section bit 0)");
}

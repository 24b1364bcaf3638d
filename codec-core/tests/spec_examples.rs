//! The examples of `docs/wire-format.md` section 9, checked against the code.
//!
//! Every expected hex string below was worked out by hand from the spec text,
//! not copied from the encoder's output: the point is that the spec and the
//! code agree independently. Each example checks that
//!
//! - encoding the value gives exactly the bytes,
//! - decoding the bytes gives the value (or, for lossy encodings, the stated
//!   decoded value), compared bit for bit (`{:?}` of floats is exact),
//! - re-encoding the decoded value gives the same bytes again.
//!
//! Reminder of the layout (spec 1): byte-section fields in order from offset
//! 0, then the bit section's bytes *reversed*: bit `i` of the bit stream is
//! bit `i % 8` of byte `len - 1 - i / 8`.

mod common;

use common::*;
use skyrocket::roblox::{
    CFrame, Color3, DateTime, EnumItem, Instance, UDim, UDim2, Vector2, Vector3,
};
use skyrocket::{Decoder, Encoder, NetCodec};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Debug;

/// Collects mismatches so one run reports all of them.
#[derive(Default)]
struct Table {
    failures: Vec<String>,
    count: usize,
}

impl Table {
    /// A lossless example: `value` encodes to `hex` and decodes back to itself.
    fn ex<T: NetCodec + Debug>(&mut self, name: &str, value: T, hex_bytes: &str) {
        let expected = format!("{value:?}");
        self.lossy(name, value, hex_bytes, &expected);
    }

    /// `value` encodes to `hex`; the bytes decode to a value printing as `decoded`.
    fn lossy<T: NetCodec + Debug>(&mut self, name: &str, value: T, hex_bytes: &str, decoded: &str) {
        self.count += 1;
        let want = unhex(hex_bytes);
        match value.to_bytes() {
            Ok(got) if got == want => {}
            Ok(got) => self.failures.push(format!(
                "{name}: {value:?} encodes to [{}], spec says [{}]",
                hex(&got),
                hex(&want)
            )),
            Err(e) => self.failures.push(format!("{name}: encode failed: {e}")),
        }
        match T::from_bytes(&want) {
            Ok(back) => {
                let shown = format!("{back:?}");
                if shown != decoded {
                    self.failures
                        .push(format!("{name}: decodes to {shown}, spec says {decoded}"));
                }
                match back.to_bytes() {
                    Ok(again) if again == want => {}
                    Ok(again) => self.failures.push(format!(
                        "{name}: decoded value re-encodes to [{}]",
                        hex(&again)
                    )),
                    Err(e) => self.failures.push(format!("{name}: re-encode failed: {e}")),
                }
            }
            Err(e) => self.failures.push(format!("{name}: decode failed: {e}")),
        }
    }

    fn finish(self, min_count: usize) {
        assert!(
            self.failures.is_empty(),
            "{} of {} examples disagree with the spec:\n{}",
            self.failures.len(),
            self.count,
            self.failures.join("\n")
        );
        assert!(self.count >= min_count, "only {} examples", self.count);
    }
}

#[test]
fn primitives() {
    let mut t = Table::default();
    // bool: one bit in the bit section; the byte's 7 high bits are padding.
    t.ex("bool true", true, "01");
    t.ex("bool false", false, "00");
    // Integers: byte section, little-endian two's complement.
    t.ex("u8", 200u8, "c8");
    t.ex("i8", -2i8, "fe");
    t.ex("u16", 0x1234u16, "34 12");
    t.ex("i16", -2i16, "fe ff");
    t.ex("u32", 0xDEAD_BEEFu32, "ef be ad de");
    t.ex("i32", -1i32, "ff ff ff ff");
    t.ex("u64", 1u64, "01 00 00 00 00 00 00 00");
    t.ex("u64 max", u64::MAX, "ff ff ff ff ff ff ff ff");
    t.ex("i64 min", i64::MIN, "00 00 00 00 00 00 00 80");
    // f32: 1.0 = 0x3F800000; -0.0 = 0x80000000 (sign kept); inf = 0x7F800000.
    t.ex("f32 1.0", 1.0f32, "00 00 80 3f");
    t.ex("f32 -0.0", -0.0f32, "00 00 00 80");
    t.ex("f32 inf", f32::INFINITY, "00 00 80 7f");
    t.ex("f32 -inf", f32::NEG_INFINITY, "00 00 80 ff");
    // Any NaN (here negative, with a payload) is written as 0x7FC00000.
    t.ex("f32 NaN", f32::from_bits(0xFFC0_0001), "00 00 c0 7f");
    // f64: -2.5 = -1.25 * 2^1: sign 1, exponent 1023 + 1 = 0x400, mantissa
    // 0.25 = 0x4000000000000 -> 0xC004000000000000.
    t.ex("f64 -2.5", -2.5f64, "00 00 00 00 00 00 04 c0");
    t.ex("f64 -0.0", -0.0f64, "00 00 00 00 00 00 00 80");
    t.ex(
        "f64 NaN",
        f64::from_bits(0x7FF0_0000_0000_0001),
        "00 00 00 00 00 00 f8 7f",
    );
    t.ex("unit", (), "");
    t.finish(20);
}

#[test]
fn ranged_integers() {
    let mut t = Table::default();
    // 0..=100: w = ceil(log2(101)) = 7 bits, bit section. 42 = 0b0101010.
    t.ex("range 0..=100", Ranged::<0, 100>(42), "2a");
    // -10..=10: w = ceil(log2(21)) = 5; offset -3 - (-10) = 7.
    t.ex("range -10..=10", Ranged::<-10, 10>(-3), "07");
    // 1000..=1255: 256 values, w = 8 -> byte section as a u8 offset.
    t.ex("range 1000..=1255", Ranged::<1000, 1255>(1255), "ff");
    // 0..=65535: w = 16 -> byte section, u16 LE.
    t.ex("range 0..=65535", Ranged::<0, 65535>(0x1234), "34 12");
    // LO == HI: w = 0, nothing written.
    t.ex("range 5..=5", Ranged::<5, 5>(5), "");
    // Two 2-bit fields share a byte: 2 = 0b10 at bits 0-1, 3 = 0b11 at bits
    // 2-3 -> 0b1110 = 0x0e.
    t.ex(
        "two ranges 0..=2",
        (Ranged::<0, 2>(2), Ranged::<0, 3>(3)),
        "0e",
    );
    // Full i64 range: w = 64 -> byte section; offset of -1 is 2^63 - 1.
    t.ex(
        "range i64::MIN..=i64::MAX",
        Ranged::<{ i64::MIN as i128 }, { i64::MAX as i128 }>(-1),
        "ff ff ff ff ff ff ff 7f",
    );
    // 0..=1000 (w = 10) next to a byte field: the byte field stays at
    // offset 0, the 10 bits go to the end. 1000 = 0x3E8 -> stream bytes
    // e8 03 -> reversed 03 e8.
    t.ex(
        "u8 + range 0..=1000",
        (7u8, Ranged::<0, 1000>(1000)),
        "07 03 e8",
    );
    t.finish(8);
}

#[test]
fn varints() {
    let mut t = Table::default();
    t.ex("varint u32 0", VarU::<32>(0), "00");
    t.ex("varint u32 127", VarU::<32>(127), "7f");
    // 128: group 0 = 0 | continuation = 0x80, group 1 = 0x01. Stream order
    // 80 01; bit-section bytes are laid out from the end: 01 80.
    t.ex("varint u32 128", VarU::<32>(128), "01 80");
    // 300 = 0b10_0101100: groups 0x2C|0x80 = 0xac, 0x02 -> "02 ac".
    t.ex("varint u32 300", VarU::<32>(300), "02 ac");
    // 65535 = 0b11_1111111_1111111: ff ff 03 -> reversed 03 ff ff.
    t.ex("varint u16 max", VarU::<16>(65535), "03 ff ff");
    // u64::MAX: nine groups 0xff, then 0x01 (64 = 9 * 7 + 1).
    t.ex(
        "varint u64 max",
        VarU::<64>(u64::MAX),
        "01 ff ff ff ff ff ff ff ff ff",
    );
    // zigzag: -1 -> 1, 1 -> 2, -65 -> 129 = 0x81 -> groups 81 01.
    t.ex("zigzag i32 -1", VarI::<32>(-1), "01");
    t.ex("zigzag i32 1", VarI::<32>(1), "02");
    t.ex("zigzag i16 -65", VarI::<16>(-65), "01 81");
    // i64::MIN zigzags to u64::MAX.
    t.ex(
        "zigzag i64 min",
        VarI::<64>(i64::MIN),
        "01 ff ff ff ff ff ff ff ff ff",
    );
    t.ex(
        "zigzag i64 max",
        VarI::<64>(i64::MAX),
        "01 ff ff ff ff ff ff ff ff fe",
    );
    t.finish(11);
}

#[test]
fn half_floats() {
    let mut t = Table::default();
    let two = |e: i32| 2f64.powi(e);
    t.ex("half 1.0", Half(1.0), "00 3c");
    t.ex("half -2.0", Half(-2.0), "00 c0");
    t.ex("half -0.0", Half(-0.0), "00 80");
    // 0.1 = 1.6 * 2^-4: exponent field 15 - 4 = 11, mantissa round(0.6 * 1024)
    // = round(614.4) = 614 = 0x266 -> (11 << 10) | 0x266 = 0x2e66.
    t.lossy("half 0.1", Half(0.1), "66 2e", "Half(0.0999755859375)");
    // Largest finite: 65504 = 0x7bff.
    t.ex("half max", Half(65504.0), "ff 7b");
    // 65519.99 is below the midpoint 65520 between 65504 and 2^16: 65504.
    t.lossy("half 65519.99", Half(65519.99), "ff 7b", "Half(65504.0)");
    // 65520 is exactly the midpoint; ties to even: 0x7bff is odd -> infinity.
    t.lossy("half 65520 -> inf", Half(65520.0), "00 7c", "Half(inf)");
    t.lossy("half -1e6 -> -inf", Half(-1e6), "00 fc", "Half(-inf)");
    // Smallest subnormal 2^-24 = 0x0001.
    t.ex("half 2^-24", Half(two(-24)), "01 00");
    // 2^-25 is the midpoint between 0 and 2^-24: ties to even -> +0.
    t.lossy("half 2^-25 -> 0", Half(two(-25)), "00 00", "Half(0.0)");
    // 3 * 2^-25 = 1.5 * 2^-24: midpoint of 1 and 2 (units of 2^-24) -> 2.
    t.lossy(
        "half 1.5 * 2^-24",
        Half(3.0 * two(-25)),
        "02 00",
        &format!("Half({:?})", two(-23)),
    );
    // Largest subnormal 1023 * 2^-24 = 0x03ff; smallest normal 2^-14 = 0x0400.
    t.ex("half max subnormal", Half(1023.0 * two(-24)), "ff 03");
    t.ex("half min normal", Half(two(-14)), "00 04");
    // 1 + 2^-11 is the midpoint of 0x3c00 and 0x3c01: ties to even -> 0x3c00.
    t.lossy("half tie down", Half(1.0 + two(-11)), "00 3c", "Half(1.0)");
    // 1 + 3 * 2^-11 is the midpoint of 0x3c01 and 0x3c02: -> 0x3c02 (even).
    t.lossy(
        "half tie up",
        Half(1.0 + 3.0 * two(-11)),
        "02 3c",
        "Half(1.001953125)",
    );
    // Just above a midpoint rounds up, even when the excess is only in the
    // low 32 bits of the binary64 mantissa.
    t.lossy(
        "half just above tie",
        Half(1.0 + two(-11) + two(-40)),
        "01 3c",
        "Half(1.0009765625)",
    );
    // 1 + 3 * 2^-11 - 2^-40 is just below the midpoint of 0x3c01 and 0x3c02,
    // so 0x3c01. Converting through binary32 first would round it onto the
    // midpoint, which then goes to even, 0x3c02 (double rounding).
    t.lossy(
        "half just below tie",
        Half(1.0 + 3.0 * two(-11) - two(-40)),
        "01 3c",
        "Half(1.0009765625)",
    );
    t.lossy("half NaN", Half(f64::NAN), "00 7e", "Half(NaN)");
    t.ex("half inf", Half(f64::INFINITY), "00 7c");
    t.finish(19);
}

#[test]
fn quantized_floats() {
    let mut t = Table::default();
    // QUANTIZE[0] = (min 0, max 1, step 0.1): N = floor(10 + 0.5) + 1 = 11,
    // w = ceil(log2(11)) = 4 bits. 0.5 -> floor(0.5 / 0.1 + 0.5) = floor(5.5) = 5.
    t.ex("quantize 0.5", Quant::<0>(0.5), "05");
    // 0.34 -> floor(3.4 + 0.5) = 3; decodes to 0 + 3 * 0.1 = 0.30000000000000004.
    t.lossy(
        "quantize 0.34",
        Quant::<0>(0.34),
        "03",
        "Quant(0.30000000000000004)",
    );
    // Clamped: 2.0 -> level 20 -> N - 1 = 10 (decodes to 10 * 0.1 = 1.0);
    // -1.0 -> level -10 -> 0; NaN -> 0.
    t.lossy("quantize above max", Quant::<0>(2.0), "0a", "Quant(1.0)");
    t.lossy("quantize below min", Quant::<0>(-1.0), "00", "Quant(0.0)");
    t.lossy("quantize NaN", Quant::<0>(f64::NAN), "00", "Quant(0.0)");
    t.lossy(
        "quantize +inf",
        Quant::<0>(f64::INFINITY),
        "0a",
        "Quant(1.0)",
    );
    // QUANTIZE[1] = (0, 255, 1): N = 256, w = 8 -> byte section.
    // 254.6 -> floor(255.1) = 255; 100.5 -> floor(101.0) = 101 = 0x65.
    t.lossy(
        "quantize byte 254.6",
        Quant::<1>(254.6),
        "ff",
        "Quant(255.0)",
    );
    t.lossy(
        "quantize byte 100.5",
        Quant::<1>(100.5),
        "65",
        "Quant(101.0)",
    );
    // QUANTIZE[2] = (-100, 100, 0.01): N = 20001, w = 15 bits.
    // 0.0 -> floor(100 / 0.01 + 0.5) = 10000 = 0x2710 -> stream 10 27 -> "27 10".
    t.ex("quantize 15-bit 0.0", Quant::<2>(0.0), "27 10");
    t.ex("quantize 15-bit min", Quant::<2>(-100.0), "00 00");
    // Top level 20000 = 0x4e20; decodes to -100 + 20000 * 0.01 = 100.0.
    t.ex("quantize 15-bit max", Quant::<2>(100.0), "4e 20");
    t.finish(11);
}

#[test]
fn strings_and_sequences() {
    let mut t = Table::default();
    // Length varint in the bit section (at the end), bytes in the byte section.
    t.ex("String \"hi\"", "hi".to_string(), "68 69 02");
    t.ex("String empty", String::new(), "00");
    t.ex("String é", "é".to_string(), "c3 a9 02");
    // max_len = 10: length in ceil(log2(11)) = 4 bits.
    t.ex(
        "String max_len 10",
        BoundedStr::<10>("abc".into()),
        "61 62 63 03",
    );
    // max_len = 255: length is 8 bits but still in the bit section, so it
    // comes after a following byte field: "a", then u8 7, then the length.
    t.ex(
        "String max_len 255 + u8",
        (BoundedStr::<255>("a".into()), 7u8),
        "61 07 01",
    );
    t.ex("Vec<u8>", vec![1u8, 2, 3], "01 02 03 03");
    // max_len = 3: 2-bit length.
    t.ex(
        "Vec<u8> max_len 3",
        BoundedBytes::<3>(vec![9, 9]),
        "09 09 02",
    );
    // max_len = 0: zero-bit length, nothing at all.
    t.ex("Vec<u8> max_len 0", BoundedBytes::<0>(vec![]), "");
    t.ex("[u8; 3]", [1u8, 2, 3], "01 02 03");
    t.ex("Vec<u16>", vec![1u16, 0x0203], "01 00 03 02 02");
    // Count 3 = stream byte 0 (0x03); the bools are stream bits 8, 9, 10 =
    // 1, 0, 1 -> stream byte 1 = 0x05. Reversed: 05 03.
    t.ex("Vec<bool>", vec![true, false, true], "05 03");
    t.ex("[bool; 3]", [true, true, false], "03");
    // max_len = 4: count 4 = 0b100 in 3 bits, then four 1 bits:
    // 0b1111_100 = 0x7c.
    t.ex(
        "Vec<T> max_len 4",
        BoundedVec::<bool, 4>(vec![true; 4]),
        "7c",
    );
    t.ex("Option<u8> None", None::<u8>, "00");
    t.ex("Option<u8> Some", Some(7u8), "07 01");
    // Flag 1 (outer Some), flag 0 (inner None).
    t.ex("Option<Option<bool>>", Some(None::<bool>), "01");
    t.ex("Option<Option<bool>> full", Some(Some(true)), "07");
    t.ex("Box<u16>", Box::new(5u16), "05 00");
    t.ex("(u8, bool, u16)", (1u8, true, 2u16), "01 02 00 01");
    t.finish(19);
}

#[test]
fn maps_and_sets() {
    let mut t = Table::default();
    // {3: true, 1: false} is written in key order 1, 3: keys 01 03 in the byte
    // section; stream: count 0x02 (bits 0-7), false (bit 8), true (bit 9)
    // -> stream bytes 02 02.
    let map: BTreeMap<u8, bool> = [(3, true), (1, false)].into();
    t.ex("BTreeMap<u8, bool>", map, "01 03 02 02");
    // Numeric order for signed keys: -1 before 1.
    let map: BTreeMap<i8, u8> = [(1, 2), (-1, 1)].into();
    t.ex("BTreeMap<i8, u8>", map, "ff 01 01 02 02");
    // Strings by bytes: "B" (0x42) < "a" (0x61) < "ab". Stream: count 3,
    // lengths 1, 1, 2 -> 03 01 01 02 -> reversed 02 01 01 03.
    let set: BTreeSet<String> = ["ab", "a", "B"].map(String::from).into();
    t.ex("BTreeSet<String>", set, "42 61 61 62 02 01 01 03");
    // HashSet encodes in sorted order too: false < true.
    let set: HashSet<bool> = [true, false].into();
    let hex_bytes = "02 02";
    t.count += 1;
    assert_eq!(set.to_bytes().unwrap(), unhex(hex_bytes));
    assert_eq!(HashSet::<bool>::from_bytes(&unhex(hex_bytes)).unwrap(), set);
    let map: HashMap<u16, ()> = [(0x0102, ()), (0x0001, ())].into();
    t.count += 1;
    assert_eq!(map.to_bytes().unwrap(), unhex("01 00 02 01 02"));
    t.finish(5);
}

#[test]
fn structs_and_enums() {
    let mut t = Table::default();
    // Hit { damage: 42 (7 bits, 0..=100), critical: true }: 42 | 1 << 7 = 0xaa.
    t.ex(
        "struct Hit",
        Hit {
            damage: 42,
            critical: true,
        },
        "aa",
    );
    // Player { id: 0x0102, alive: true, hp: 1000 (0..=1000, 10 bits), name: "Al" }
    // byte section: 02 01 (id), 41 6c (name bytes).
    // stream: alive at bit 0, hp at bits 1-10, name length 2 at bits 11-18:
    // 1 + (1000 << 1) + (2 << 11) = 1 + 2000 + 4096 = 6097 = 0x17d1, 19 bits
    // -> stream bytes d1 17 00 -> reversed 00 17 d1.
    t.ex(
        "struct Player",
        Player {
            id: 0x0102,
            alive: true,
            hp: 1000,
            name: "Al".into(),
        },
        "02 01 41 6c 00 17 d1",
    );
    // 3 variants: 2-bit tag.
    t.ex(
        "enum Circle",
        Shape::Circle { radius: 1.0 },
        "00 00 80 3f 00",
    );
    t.ex("enum Square", Shape::Square(5), "05 01");
    t.ex("enum Empty", Shape::Empty, "02");
    // One variant: 0-bit tag.
    t.ex("single-variant enum", Only::A(0x0102), "02 01");
    t.ex("unit struct", Marker, "");
    // Recursion: Node { 1, [Node { 2, [] }] }: values 01 02; stream: count 1,
    // count 0 -> 01 00 -> reversed 00 01.
    t.ex("recursive Node", Node::chain(2), "01 02 00 01");
    t.finish(8);
}

#[test]
fn roblox_types() {
    let mut t = Table::default();
    t.ex(
        "Vector3",
        Vector3::new(1.0, 2.0, 3.0),
        "00 00 80 3f  00 00 00 40  00 00 40 40",
    );
    t.ex(
        "Vector2",
        Vector2::new(-1.0, 0.5),
        "00 00 80 bf  00 00 00 3f",
    );
    // QUANTIZE[3] = (0, 3, 1): 2 bits per component: 0, 1, 3 ->
    // 0 | 1 << 2 | 3 << 4 = 0x34.
    t.ex(
        "Vector3 quantized",
        QVector3::<3>(Vector3::new(0.0, 1.0, 3.0)),
        "34",
    );
    t.ex(
        "Vector3 half",
        HVector3(Vector3::new(1.0, -2.0, 0.0)),
        "00 3c  00 c0  00 00",
    );
    // Color3: floor(c * 255 + 0.5) clamped: 1 -> 255, 0.5 -> floor(128.0) =
    // 128, 0 -> 0. 128 decodes to 128/255 (binary64), rounded to binary32.
    t.lossy(
        "Color3",
        Color3 {
            r: 1.0,
            g: 0.5,
            b: 0.0,
        },
        "ff 80 00",
        &format!(
            "{:?}",
            Color3 {
                r: 1.0,
                g: (128.0f64 / 255.0) as f32,
                b: 0.0
            }
        ),
    );
    // Out-of-range channels clamp; NaN gives 0.
    t.lossy(
        "Color3 clamped",
        Color3 {
            r: 2.0,
            g: -1.0,
            b: f32::NAN,
        },
        "ff 00 00",
        &format!(
            "{:?}",
            Color3 {
                r: 1.0,
                g: 0.0,
                b: 0.0
            }
        ),
    );
    t.ex(
        "Color3 lossless",
        LosslessColor3(Color3 {
            r: 0.5,
            g: 0.25,
            b: 1.0,
        }),
        "00 00 00 3f  00 00 80 3e  00 00 80 3f",
    );
    t.ex(
        "UDim2",
        UDim2 {
            x: UDim {
                scale: 0.5,
                offset: 10,
            },
            y: UDim {
                scale: 1.0,
                offset: -1,
            },
        },
        "00 00 00 3f  0a 00 00 00  00 00 80 3f  ff ff ff ff",
    );
    // 1_700_000_000_000 ms = 0x18B_CFE5_6800.
    t.ex(
        "DateTime",
        DateTime {
            unix_millis: 1_700_000_000_000,
        },
        "00 68 e5 cf 8b 01 00 00",
    );
    t.ex(
        "DateTime before 1970",
        DateTime { unix_millis: -1 },
        "ff ff ff ff ff ff ff ff",
    );
    // Enum.KeyCode.Return has Value 13.
    t.ex("EnumItem KeyCode", KeyCode(EnumItem { value: 13 }), "0d 00");
    // Lossless CFrame: 12 f32s, position then R00 R01 ... R22.
    t.ex(
        "CFrame lossless",
        LosslessCFrame(CFrame::from_position(1.0, 2.0, 3.0)),
        "00 00 80 3f  00 00 00 40  00 00 40 40
         00 00 80 3f  00 00 00 00  00 00 00 00
         00 00 00 00  00 00 80 3f  00 00 00 00
         00 00 00 00  00 00 00 00  00 00 80 3f",
    );
    t.finish(12);
}

/// Every entry within 1e-4.
fn close(a: &[[f32; 3]; 3], b: &[[f32; 3]; 3]) -> bool {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .all(|(x, y)| (x - y).abs() < 1e-4)
}

/// Smallest-three rotations (spec 5.1). The decoded matrix is approximate, so
/// these check the bytes exactly and the decoded rotation within 0.01°.
#[test]
fn cframe_smallest_three() {
    // (name, rotation, the 6 bit-section bytes as laid out at the message end)
    let cases: [(&str, [[f32; 3]; 3], &str); 3] = [
        // Identity: t = 3 > 0, s = 4, q = (1, 0, 0, 0); largest = 0.
        // Each zero component -> floor((0 + H) / (2H) * 32766 + 0.5) =
        // floor(16383 + 0.5) = 16383 = 0x3fff (H/(2H) is exactly 0.5).
        // Stream: 0 (2 bits) | 0x3fff << 2 | 0x3fff << 17 | 0x3fff << 32
        //   = 0x0000_3fff_7ffe_fffc -> stream bytes fc ff fe 7f ff 3f,
        // reversed at the end of the message: 3f ff 7f fe ff fc.
        ("identity", CFrame::IDENTITY.rotation, "3f ff 7f fe ff fc"),
        // 180° about Z: t = -1; R00 > R11 is false (equal), R11 > R22 false
        // -> last case: s = sqrt(1 + 1 + 1 + 1) * 2 = 4, q = (0, 0, 0, 1),
        // largest = 3; w, x, y all 16383.
        // Stream: 3 | 0x3fff << 2 | 0x3fff << 17 | 0x3fff << 32 = 0x0000_3fff_7ffe_ffff.
        (
            "180 deg about Z",
            [[-1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]],
            "3f ff 7f fe ff ff",
        ),
        // 90° about X: t = 1, s = sqrt(2) * 2, w = s/4 = 0.7071067811865476,
        // x = 2/s = 0.7071067811865475 (one ulp less); after normalizing w is
        // still the larger: largest = 0. x -> floor(~1.0 * 32766 + 0.5) = 32766
        // = 0x7ffe; y, z -> 16383.
        // Stream: 0 | 0x7ffe << 2 | 0x3fff << 17 | 0x3fff << 32 = 0x0000_3fff_7fff_fff8.
        (
            "90 deg about X",
            [[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]],
            "3f ff 7f ff ff f8",
        ),
    ];
    for (name, rotation, tail) in cases {
        let cf = CFrame {
            position: Vector3::new(0.0, -0.0, 1.0),
            rotation,
        };
        let mut want = unhex("00 00 00 00  00 00 00 80  00 00 80 3f");
        want.extend(unhex(tail));
        let got = cf.to_bytes().unwrap();
        assert_eq!(hex(&got), hex(&want), "{name}");
        let back = CFrame::from_bytes(&want).unwrap();
        assert_eq!(format!("{:?}", back.position), format!("{:?}", cf.position));
        // 0.01° is 1.7e-4 rad; matrix entries move by at most ~2x that.
        assert!(close(&back.rotation, &rotation), "{name}: {back:?}");
        let again = back.to_bytes().unwrap();
        if name.starts_with("90") {
            // |w| = |x|: a tie that quantization breaks the other way. The
            // decoded w = sqrt(1 - x² - y² - z²) comes out just below the
            // decoded x, so re-encoding picks x (index 1) as largest: the
            // same rotation, different bytes (spec 5.1).
            assert_eq!(again[17] & 3, 1, "{name}: largest after re-encode");
            let twice = CFrame::from_bytes(&again).unwrap();
            assert!(close(&twice.rotation, &rotation), "{name}: {twice:?}");
        } else {
            // Idempotent: the decoded rotation encodes to the same bytes.
            assert_eq!(again, want, "{name} re-encode");
        }
    }
}

/// Instances are zero bits: they travel in the side table, in encounter order.
#[test]
fn instance_side_table() {
    let a = Instance { id: 11 };
    let b = Instance { id: 22 };
    let value = (a, 7u8, Some(b));
    let mut enc = Encoder::new();
    value.encode(&mut enc).unwrap();
    let (bytes, table) = enc.finish_with_instances();
    // u8 7 in the byte section, the Option flag (1) in the bit section.
    assert_eq!(bytes, unhex("07 01"));
    assert_eq!(table, vec![a, b]);
    let mut dec = Decoder::with_instances(&bytes, &table);
    let back = <(Instance, u8, Option<Instance>)>::decode(&mut dec).unwrap();
    dec.finish().unwrap();
    assert_eq!(back, value);

    // A lone instance is an empty message.
    let mut enc = Encoder::new();
    a.encode(&mut enc).unwrap();
    let (bytes, table) = enc.finish_with_instances();
    assert!(bytes.is_empty());
    assert_eq!(table, vec![a]);
}

/// The even maximum level puts zero exactly on a level (spec 5.1): the
/// identity and half turns about an axis come back exact.
#[test]
fn identity_and_half_turns_decode_exactly() {
    let rotations: [[[f32; 3]; 3]; 4] = [
        CFrame::IDENTITY.rotation,
        [[-1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]],
        [[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, -1.0]],
        [[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]],
    ];
    for rotation in rotations {
        let cf = CFrame {
            position: Vector3::new(1.0, 2.0, 3.0),
            rotation,
        };
        let back = CFrame::from_bytes(&cf.to_bytes().unwrap()).unwrap();
        assert_eq!(back.rotation, rotation);
    }
}

/// Level 32767 does not exist (spec 5.1).
#[test]
fn rotation_level_above_maximum_is_out_of_range() {
    let mut bytes = CFrame::IDENTITY.to_bytes().unwrap();
    let last = bytes.len() - 1;
    // The first component's 15 bits follow the 2-bit index in the last byte.
    bytes[last] |= 0xfc;
    bytes[last - 1] |= 0xff;
    bytes[last - 2] |= 0x01;
    let err = CFrame::from_bytes(&bytes).unwrap_err();
    assert_eq!(err.kind(), skyrocket::DecodeErrorKind::OutOfRange);
}

//! Inputs every decoder must refuse (spec section 6), with the error kind,
//! field path and cursor positions it must report.

mod common;

use common::*;
use skyrocket::roblox::Instance;
use skyrocket::{DecodeError, DecodeErrorKind as K, Decoder, NetCodec};
use std::collections::{BTreeMap, BTreeSet};

fn err<T: NetCodec + std::fmt::Debug>(hex_bytes: &str) -> DecodeError {
    match T::from_bytes(&unhex(hex_bytes)) {
        Ok(v) => panic!("[{hex_bytes}] decoded to {v:?}, expected an error"),
        Err(e) => e,
    }
}

fn kind<T: NetCodec + std::fmt::Debug>(hex_bytes: &str) -> K {
    err::<T>(hex_bytes).kind()
}

#[test]
fn truncated_input() {
    assert_eq!(kind::<u32>("01 02 03"), K::UnexpectedEnd);
    assert_eq!(kind::<bool>(""), K::UnexpectedEnd);
    assert_eq!(kind::<f64>("00 00 00 00 00 00 f8"), K::UnexpectedEnd);
    assert_eq!(kind::<[u8; 4]>("01 02 03"), K::UnexpectedEnd);
    // "hi" with its last byte cut: the length byte 02 is now read as 'i'
    // and the length comes from 0x69 = 105 -> 'h' alone cannot hold it.
    assert_eq!(kind::<String>("68 69"), K::LengthLimit);
    // Length 2 claimed, one byte present.
    assert_eq!(kind::<String>("68 02"), K::UnexpectedEnd);
    // A byte-section read may not take the byte the bit section is using:
    // (bool, u8) needs 2 bytes; with one, the bool owns it.
    let e = err::<(bool, u8)>("01");
    assert_eq!(e.kind(), K::UnexpectedEnd);
    assert_eq!(e.path().to_string(), "[1]");
    assert_eq!((e.byte_offset(), e.bit_offset()), (0, 1));
    // And the other way: a bit read may not take a byte-section byte.
    let e = err::<(u8, bool)>("01");
    assert_eq!(e.kind(), K::UnexpectedEnd);
    assert_eq!((e.byte_offset(), e.bit_offset()), (1, 0));
    // Varint cut after a continuation group.
    assert_eq!(kind::<VarU<32>>("80"), K::UnexpectedEnd);
}

#[test]
fn trailing_bytes_and_padding() {
    let e = err::<u8>("01 02");
    assert_eq!(e.kind(), K::TrailingBytes);
    assert_eq!((e.byte_offset(), e.bit_offset()), (1, 0));
    assert_eq!(kind::<()>("00"), K::TrailingBytes);
    // bool reads bit 0 of the last byte (0x00 -> false); the 0x01 before it
    // is left over.
    assert_eq!(kind::<bool>("01 00"), K::TrailingBytes);
    // Non-zero padding bits in the last touched bit-section byte.
    let e = err::<bool>("03");
    assert_eq!(e.kind(), K::NonCanonical);
    assert_eq!((e.byte_offset(), e.bit_offset()), (0, 1));
    assert_eq!(kind::<bool>("81"), K::NonCanonical);
    // Range 0..=100 uses 7 bits; bit 7 set is padding.
    assert_eq!(kind::<Ranged<0, 100>>("aa"), K::NonCanonical);
    // Padding in the *last touched* byte, which is the lowest-addressed
    // bit-section byte: 9 bits = Vec<bool> count 1 + one bool -> the second
    // byte from the end holds bit 8 and 7 padding bits.
    assert_eq!(
        Vec::<bool>::from_bytes(&unhex("01 01")).unwrap(),
        vec![true]
    );
    assert_eq!(kind::<Vec<bool>>("03 01"), K::NonCanonical);
}

#[test]
fn non_canonical_nans() {
    // f32: quiet NaN with payload, negative NaN, signalling NaN.
    for bad in ["01 00 c0 7f", "00 00 c0 ff", "01 00 80 7f"] {
        assert_eq!(kind::<f32>(bad), K::NonCanonical, "{bad}");
    }
    assert!(f32::from_bytes(&unhex("00 00 c0 7f")).unwrap().is_nan());
    for bad in ["01 00 00 00 00 00 f8 7f", "00 00 00 00 00 00 f8 ff"] {
        assert_eq!(kind::<f64>(bad), K::NonCanonical, "{bad}");
    }
    // binary16: 0x7e01, 0xfe00 (negative), 0x7c01 (signalling).
    for bad in ["01 7e", "00 fe", "01 7c"] {
        assert_eq!(kind::<Half>(bad), K::NonCanonical, "{bad}");
    }
    assert!(Half::from_bytes(&unhex("00 7e")).unwrap().0.is_nan());
    // Infinities are fine.
    assert_eq!(
        Half::from_bytes(&unhex("00 fc")).unwrap().0,
        f64::NEG_INFINITY
    );
}

#[test]
fn varints() {
    // Zero last group: 0 written as two groups (stream 80 00).
    assert_eq!(kind::<VarU<32>>("00 80"), K::NonCanonical);
    // 1 written as two groups (stream 81 00).
    assert_eq!(kind::<VarU<32>>("00 81"), K::NonCanonical);
    // u16: third group may carry 2 bits; 4 overflows (stream ff ff 04).
    assert_eq!(kind::<VarU<16>>("04 ff ff"), K::InvalidVarint);
    assert_eq!(
        VarU::<16>::from_bytes(&unhex("03 ff ff")).unwrap(),
        VarU(65535)
    );
    // A fourth group for u16 at all (stream 80 80 80 01).
    assert_eq!(kind::<VarU<16>>("01 80 80 80"), K::InvalidVarint);
    // u32: fifth group may carry 4 bits.
    assert_eq!(kind::<VarU<32>>("10 ff ff ff ff"), K::InvalidVarint);
    // u64: 11 groups.
    assert_eq!(
        kind::<VarU<64>>("01 80 80 80 80 80 80 80 80 80 80"),
        K::InvalidVarint
    );
    // u64: tenth group may carry 1 bit.
    assert_eq!(
        kind::<VarU<64>>("02 ff ff ff ff ff ff ff ff ff"),
        K::InvalidVarint
    );
    // i16 zigzag: 65535 is the largest (-32768), 65536 overflows.
    assert_eq!(
        VarI::<16>::from_bytes(&unhex("03 ff ff")).unwrap(),
        VarI(-32768)
    );
    assert_eq!(kind::<VarI<16>>("04 80 80"), K::InvalidVarint);
    // Collection counts are u32 varints: a count that overflows u32.
    assert_eq!(kind::<Vec<u8>>("10 80 80 80 80"), K::InvalidVarint);
}

#[test]
fn ranges_quantize_tags() {
    // 0..=100 in 7 bits: 127 is above the range.
    let e = err::<Ranged<0, 100>>("7f");
    assert_eq!(e.kind(), K::OutOfRange);
    assert_eq!((e.byte_offset(), e.bit_offset()), (0, 7));
    // 1000..=1100: 101 values, 7 bits; offset 101 is one past.
    assert_eq!(kind::<Ranged<1000, 1100>>("65"), K::OutOfRange);
    assert_eq!(
        Ranged::<1000, 1100>::from_bytes(&unhex("64")).unwrap(),
        Ranged(1100)
    );
    // Byte-width range 0..=199 is 8 bits: 200 is out.
    assert_eq!(kind::<Ranged<0, 199>>("c8"), K::OutOfRange);
    // Quantize N = 11 (4 bits): levels 11..15 are invalid.
    assert_eq!(kind::<Quant<0>>("0b"), K::OutOfRange);
    assert_eq!(kind::<Quant<0>>("0f"), K::OutOfRange);
    // 15-bit quantize, N = 20001: 0x4e21 is one past.
    assert_eq!(kind::<Quant<2>>("4e 21"), K::OutOfRange);
    // Shape has 3 variants, 2-bit tag: 3 is invalid.
    let e = err::<Shape>("03");
    assert_eq!(e.kind(), K::InvalidTag);
    assert_eq!(e.path().to_string(), "<root>");
}

#[test]
fn lengths() {
    // max_len 10 (4-bit count): 11 is above.
    let e = err::<BoundedStr<10>>("0b");
    assert_eq!(e.kind(), K::LengthLimit);
    assert_eq!((e.byte_offset(), e.bit_offset()), (0, 4));
    // max_len 4 (3-bit count): 5, with enough bits for 5 bools present.
    assert_eq!(kind::<BoundedVec<bool, 4>>("fd"), K::LengthLimit);
    // A count above the bits left, refused before anything is allocated:
    // u32::MAX elements claimed by a 5-byte message.
    assert_eq!(kind::<Vec<u64>>("0f ff ff ff ff"), K::LengthLimit);
    // Count 9 with 8 bits left: refused before decoding any element.
    assert_eq!(kind::<Vec<bool>>("00 09"), K::LengthLimit);
    // Count 2 with 8 bits left but u16 elements: caught by the reads.
    assert_eq!(kind::<Vec<u16>>("00 02"), K::UnexpectedEnd);
}

#[test]
fn utf8() {
    let e = err::<String>("ff fe 02");
    assert_eq!(e.kind(), K::InvalidUtf8);
    // Overlong encoding of '/' and a lone surrogate (ED A0 80).
    assert_eq!(kind::<String>("c0 af 02"), K::InvalidUtf8);
    assert_eq!(kind::<String>("ed a0 80 03"), K::InvalidUtf8);
    // Truncated multi-byte sequence: the string cuts 'é' in half.
    assert_eq!(kind::<String>("c3 01"), K::InvalidUtf8);
}

#[test]
fn map_and_set_order() {
    // Keys 3 then 1 (values false, true).
    let e = err::<BTreeMap<u8, bool>>("03 01 02 02");
    assert_eq!(e.kind(), K::NonCanonical);
    assert_eq!(e.path().to_string(), "[1]<key>");
    // Duplicate key.
    assert_eq!(kind::<BTreeMap<u8, bool>>("01 01 02 02"), K::NonCanonical);
    // Signed keys: 1 before -1 is out of order.
    assert_eq!(kind::<BTreeSet<i8>>("01 ff 02"), K::NonCanonical);
    // Strings: "a" before "B" is out of (byte) order.
    assert_eq!(kind::<BTreeSet<String>>("61 42 01 01 02"), K::NonCanonical);
    // bool: true then false.
    assert_eq!(kind::<BTreeSet<bool>>("01 02"), K::NonCanonical);
    assert_eq!(
        BTreeSet::<bool>::from_bytes(&unhex("02 02")).unwrap(),
        [false, true].into()
    );
}

#[test]
fn depth_limit() {
    // Node has max_depth 4: a chain of 4 decodes, 5 does not.
    let ok = Node::chain(4).to_bytes().unwrap();
    assert_eq!(Node::from_bytes(&ok).unwrap(), Node::chain(4));
    let e = err::<Node>(&hex(&Node::chain(5).to_bytes().unwrap()));
    assert_eq!(e.kind(), K::DepthLimit);
    assert_eq!(
        e.path().to_string(),
        "children[0].children[0].children[0].children[0]"
    );
    // Siblings do not add up: depth is nesting, not count.
    let wide = Node {
        value: 0,
        children: vec![Node::chain(3), Node::chain(3), Node::chain(3)],
    };
    assert_eq!(Node::from_bytes(&wide.to_bytes().unwrap()).unwrap(), wide);
}

#[test]
fn missing_instance() {
    assert_eq!(kind::<Instance>(""), K::MissingInstance);
    // One instance in the table, two in the value.
    let table = [Instance { id: 1 }];
    let mut dec = Decoder::with_instances(&[], &table);
    let e = <(Instance, Instance)>::decode(&mut dec).unwrap_err();
    assert_eq!(e.kind(), K::MissingInstance);
    assert_eq!(e.path().to_string(), "[1]");
}

#[test]
fn paths_and_offsets() {
    // Invalid UTF-8 in players[1].name.
    let players = vec![
        Player {
            id: 1,
            alive: true,
            hp: 5,
            name: "ok".into(),
        },
        Player {
            id: 2,
            alive: false,
            hp: 6,
            name: "\u{e9}".into(),
        },
    ];
    let mut bytes = players.to_bytes().unwrap();
    // Layout: 01 00 'o' 'k' 02 00 c3 a9 | bit section. Break the 'é'.
    assert_eq!(&bytes[..8], &unhex("01 00 6f 6b 02 00 c3 a9")[..]);
    bytes[7] = 0x28;
    let e = Vec::<Player>::from_bytes(&bytes).unwrap_err();
    assert_eq!(e.kind(), K::InvalidUtf8);
    assert_eq!(e.path().to_string(), "[1].name");
    // The byte cursor is past the string; the bit cursor past its length:
    // count 8 + (alive 1 + hp 10 + len 8) * 2 = 46 bits.
    assert_eq!((e.byte_offset(), e.bit_offset()), (8, 46));
    assert_eq!(
        e.to_string(),
        "[1].name: InvalidUtf8 at byte 8 (bit-section bit 46)"
    );

    // hp out of range in the first player: 1023 > 1000.
    let mut enc = skyrocket::Encoder::new();
    1u16.encode(&mut enc).unwrap();
    enc.write_bool(true);
    enc.write_bits(1023, 10);
    enc.write_varint(0);
    let e = Player::from_bytes(&enc.finish()).unwrap_err();
    assert_eq!(e.kind(), K::OutOfRange);
    assert_eq!(e.path().to_string(), "hp");
    assert_eq!((e.byte_offset(), e.bit_offset()), (2, 11));

    // Enum variant payload: Circle with a non-canonical NaN radius.
    let e = err::<Shape>("01 00 c0 7f 00");
    assert_eq!(e.kind(), K::NonCanonical);
    assert_eq!(e.path().to_string(), "Circle.radius");
    // [Square(5), Square(?)]: byte 05; stream count 2 | tag 1 << 8 | tag 1
    // << 10 = 0x502 -> "05 02". The second Square's byte is missing.
    let e = err::<Vec<Shape>>("05 05 02");
    assert_eq!(e.path().to_string(), "[1].Square.0");
    assert_eq!(e.kind(), K::UnexpectedEnd);

    // Map value path.
    let e = err::<BTreeMap<u8, f32>>("01 01 00 c0 7f 01");
    assert_eq!(e.path().to_string(), "[0]");
    assert_eq!(e.kind(), K::NonCanonical);
}

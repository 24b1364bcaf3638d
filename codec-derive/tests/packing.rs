//! The derive's combined writes and reads against field-by-field encoding
//! with the wire primitives: bit fields packed into one write per 64 bits,
//! adjacent byte fields as one array, bulk byte records, the enum tag, and
//! `size_hint`. Same bytes, same errors (kind, field path, position).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skyrocket::roblox::Vector3;
use skyrocket::schema::Quantize;
use skyrocket::wire::{self, Decoder, Encoder};
use skyrocket::{DecodeError, DecodeErrorKind, EncodeErrorKind, NetCodec, SizeHint};

const POS: Quantize = Quantize {
    min: -2048.0,
    max: 2048.0,
    step: 0.015625,
};
const YAW: Quantize = Quantize {
    min: 0.0,
    max: std::f64::consts::TAU,
    step: 0.006135923151542565,
};

#[derive(NetCodec, Debug, Clone, Copy, PartialEq)]
enum Mode {
    A,
    B,
    C,
    D,
    E,
}

/// 137 bits of bit fields (three groups once split at 64) with byte fields
/// between them, and a named enum that closes a group.
#[derive(NetCodec, Debug, Clone, PartialEq)]
struct Mixed {
    id: u16,
    #[net(quantize(min = -2048.0, max = 2048.0, step = 0.015625))]
    position: Vector3,
    flag: bool,
    tag: u8,
    #[net(quantize(min = 0.0, max = 6.283185307179586, step = 0.006135923151542565))]
    yaw: f32,
    #[net(range = -50..=50)]
    health: i32,
    mode: Mode,
    flags: [bool; 5],
    #[net(range = 0..=1000)]
    score: u16,
    wide: [bool; 64],
    tail: u32,
}

/// What the derive wrote before: every field on its own.
fn mixed_reference(m: &Mixed) -> Vec<u8> {
    let mut enc = Encoder::new();
    enc.write_u16(m.id);
    for c in [m.position.x, m.position.y, m.position.z] {
        wire::write_quantized(&mut enc, c as f64, &POS);
    }
    enc.write_bool(m.flag);
    enc.write_u8(m.tag);
    wire::write_quantized(&mut enc, m.yaw as f64, &YAW);
    wire::write_range(&mut enc, m.health as i128, -50, 50).unwrap();
    wire::write_tag(&mut enc, m.mode as u32, 5);
    for &b in &m.flags {
        enc.write_bool(b);
    }
    wire::write_range(&mut enc, m.score as i128, 0, 1000).unwrap();
    for &b in &m.wide {
        enc.write_bool(b);
    }
    enc.write_u32(m.tail);
    enc.finish()
}

fn random_mixed(rng: &mut ChaCha8Rng) -> Mixed {
    let modes = [Mode::A, Mode::B, Mode::C, Mode::D, Mode::E];
    // Off-grid and out-of-range values too: quantization clamps.
    let mut coord = || rng.gen_range(-2100.0f32..2100.0);
    let position = Vector3::new(coord(), coord(), coord());
    Mixed {
        id: rng.gen(),
        position,
        flag: rng.gen(),
        tag: rng.gen(),
        yaw: rng.gen_range(-0.5f32..7.0),
        health: rng.gen_range(-50..=50),
        mode: modes[rng.gen_range(0..5)],
        flags: rng.gen(),
        score: rng.gen_range(0..=1000),
        wide: std::array::from_fn(|_| rng.gen()),
        tail: rng.gen(),
    }
}

#[test]
fn packed_bit_fields_write_the_field_by_field_bytes() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..500 {
        let m = random_mixed(&mut rng);
        let bytes = m.to_bytes().unwrap();
        assert_eq!(bytes, mixed_reference(&m), "{m:?}");
        Mixed::from_bytes(&bytes).unwrap();
    }
}

#[test]
fn a_range_error_inside_a_group_names_its_field() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let mut m = random_mixed(&mut rng);
    m.health = 51;
    m.score = 1001; // a later field: the first failing field is reported
    let e = m.to_bytes().unwrap_err();
    assert_eq!(
        e.to_string(),
        "health: value 51 is outside the declared range -50..=50"
    );
    m.health = 0;
    let e = m.to_bytes().unwrap_err();
    assert!(matches!(
        e.kind(),
        EncodeErrorKind::OutOfRange { value: 1001, .. }
    ));
    assert_eq!(
        e.to_string(),
        "score: value 1001 is outside the declared range 0..=1000"
    );
}

#[test]
fn size_hint_is_exact_for_fixed_width_types() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let m = random_mixed(&mut rng);
    let mut enc = Encoder::new();
    m.encode(&mut enc).unwrap();
    let hint = m.size_hint();
    assert_eq!(
        (hint.bytes, hint.bits as u64),
        (enc.byte_len(), enc.bit_len())
    );
    // A list adds its length field and every element.
    let list = vec![m.clone(), m.clone(), m];
    let mut enc = Encoder::new();
    list.encode(&mut enc).unwrap();
    let hint = list.size_hint();
    assert_eq!(
        (hint.bytes, hint.bits as u64),
        (enc.byte_len(), enc.bit_len())
    );
    assert_eq!(Mode::C.size_hint(), SizeHint::new(0, 3));
}

/// Six plain bytes: a byte record (bulk `encode_slice` / `decode_many`).
#[derive(NetCodec, Debug, Clone, PartialEq)]
struct Entity {
    id: u8,
    x: u8,
    y: i8,
    z: u16,
    code: [u8; 2],
}

/// Byte runs around a bit field: `a b` and `d e` are read as runs.
#[derive(NetCodec, Debug, Clone, PartialEq)]
struct Runs {
    a: u32,
    b: i16,
    c: bool,
    d: u8,
    e: [u8; 3],
}

fn entity(rng: &mut ChaCha8Rng) -> Entity {
    Entity {
        id: rng.gen(),
        x: rng.gen(),
        y: rng.gen(),
        z: rng.gen(),
        code: rng.gen(),
    }
}

#[test]
fn byte_records_write_and_read_like_single_fields() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for len in [0, 1, 2, 7, 100, 300] {
        let items: Vec<Entity> = (0..len).map(|_| entity(&mut rng)).collect();
        let mut enc = Encoder::new();
        wire::write_len(&mut enc, len, None).unwrap();
        for e in &items {
            enc.write_u8(e.id);
            enc.write_u8(e.x);
            enc.write_u8(e.y as u8);
            enc.write_u16(e.z);
            enc.write_bytes(&e.code);
        }
        let bytes = items.to_bytes().unwrap();
        assert_eq!(bytes, enc.finish());
        assert_eq!(Vec::<Entity>::from_bytes(&bytes).unwrap(), items);
    }
}

/// Decodes `len` entities one at a time, as `decode_many`'s default did.
fn one_by_one(bytes: &[u8], len: usize) -> Result<Vec<Entity>, DecodeError> {
    let mut dec = Decoder::new(bytes);
    let n = wire::read_len(&mut dec, None)?;
    assert_eq!(n, len);
    skyrocket::codec::decode_each::<Entity>(&mut dec, n)
}

/// A message claiming `len` entities with only `records` after the length.
fn claimed(len: usize, records: &[u8]) -> Vec<u8> {
    let mut enc = Encoder::new();
    wire::write_len(&mut enc, len, None).unwrap();
    enc.write_bytes(records);
    enc.finish()
}

#[test]
fn truncated_byte_records_fail_where_field_reads_fail() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let items: Vec<Entity> = (0..5).map(|_| entity(&mut rng)).collect();
    let mut enc = Encoder::new();
    Entity::encode_slice(&items, &mut enc).unwrap();
    let records = enc.finish();
    assert_eq!(records.len(), 5 * 7);
    for cut in 0..records.len() {
        let short = claimed(5, &records[..cut]);
        let bulk = Vec::<Entity>::from_bytes(&short).unwrap_err();
        let reference = one_by_one(&short, 5).unwrap_err();
        assert_eq!(bulk.to_string(), reference.to_string(), "cut at {cut}");
        assert_eq!(
            (bulk.byte_offset(), bulk.bit_offset()),
            (reference.byte_offset(), reference.bit_offset())
        );
    }
    // Cut inside the fourth element's `z`: the message names it.
    let e = Vec::<Entity>::from_bytes(&claimed(5, &records[..3 * 7 + 4])).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::UnexpectedEnd);
    assert_eq!(e.to_string().split(':').next(), Some("[3].z"));
}

#[test]
fn byte_runs_read_back_and_fail_on_their_first_missing_field() {
    let value = Runs {
        a: 0xDEAD_BEEF,
        b: -2,
        c: true,
        d: 9,
        e: [1, 2, 3],
    };
    let bytes = value.to_bytes().unwrap();
    assert_eq!(bytes.len(), 4 + 2 + 1 + 3 + 1);
    assert_eq!(Runs::from_bytes(&bytes).unwrap(), value);
    // A message with only `a`, `b` and two more bytes: `c` takes one bit of
    // the last byte, so `d` still fits and the run `d e` fails at `e`.
    let mut enc = Encoder::new();
    enc.write_u32(value.a);
    enc.write_u16(value.b as u16);
    enc.write_u8(value.d);
    enc.write_bool(true);
    let short = enc.finish();
    let e = Runs::from_bytes(&short).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::UnexpectedEnd);
    assert_eq!(e.to_string().split(':').next(), Some("e"));
    assert_eq!((e.byte_offset(), e.bit_offset()), (7, 1));
    // Too short for `a` and `b` together: the error is at `b`.
    let e = Runs::from_bytes(&bytes[..5]).unwrap_err();
    assert_eq!(e.to_string().split(':').next(), Some("b"));
    assert_eq!(e.byte_offset(), 4);
}

#[derive(NetCodec, Debug, Clone, PartialEq)]
enum Shape {
    Empty,
    Dot(#[net(range = 0..=9)] u8),
    Box { w: u16, h: u16, filled: bool },
    Unit2,
}

#[test]
fn enum_tags_are_written_once_before_the_fields() {
    let cases = [
        (Shape::Empty, 0u32),
        (Shape::Dot(7), 1),
        (
            Shape::Box {
                w: 300,
                h: 2,
                filled: true,
            },
            2,
        ),
        (Shape::Unit2, 3),
    ];
    for (shape, tag) in cases {
        let mut enc = Encoder::new();
        wire::write_tag(&mut enc, tag, 4);
        match &shape {
            Shape::Dot(v) => wire::write_range(&mut enc, *v as i128, 0, 9).unwrap(),
            Shape::Box { w, h, filled } => {
                enc.write_u16(*w);
                enc.write_u16(*h);
                enc.write_bool(*filled);
            }
            _ => {}
        }
        let bytes = shape.to_bytes().unwrap();
        assert_eq!(bytes, enc.finish(), "{shape:?}");
        assert_eq!(Shape::from_bytes(&bytes).unwrap(), shape);
    }
    let e = Shape::Dot(10).to_bytes().unwrap_err();
    assert_eq!(e.path().segments().len(), 2);
}

//! Properties of every std and Roblox codec, checked with quickcheck, and of
//! the lossy encodings (half, quantize, smallest-three), checked with seeded
//! random samples against independent oracles.
//!
//! The core property is **canonicality**: every value has exactly one
//! encoding, and a decoder accepts exactly the canonical encodings. So:
//!
//! - `decode(encode(v)) == v` (floats bit for bit, NaN canonical), and
//! - whenever `decode(b)` succeeds, `encode(decode(b)) == b`.
//!
//! "`from_bytes` rejects every strict prefix of an encoding" is *not* true:
//! `Some(0u8)` is `00 01`, and its prefix `00` is the complete encoding of
//! `None` (one 0 flag bit). What is true is the second property applied to
//! prefixes: a prefix either fails, or decodes to a different value whose
//! encoding is exactly that prefix.

mod common;

use common::*;
use quickcheck::{Arbitrary, Gen, QuickCheck};
use skyrocket::roblox::{self, CFrame, Color3, DateTime, Instance, UDim, UDim2, Vector2, Vector3};
use skyrocket::schema::Quantize;
use skyrocket::wire;
use skyrocket::{Decoder, Encoder, NetCodec};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Debug;

/// Round trip, re-encoding, determinism, message length and prefixes.
fn check<T: NetCodec + Debug>(value: &T) {
    // `{:?}` of floats is exact (shortest round-trip), and -0.0 prints as such.
    check_with(value, |a, b| format!("{a:?}") == format!("{b:?}"));
}

/// [`check`] with an explicit equality (hash collections print in any order).
fn check_with<T: NetCodec + Debug>(value: &T, same: impl Fn(&T, &T) -> bool) {
    let mut enc = Encoder::new();
    value.encode(&mut enc).expect("encode");
    let (byte_len, bit_len) = (enc.byte_len(), enc.bit_len());
    let bytes = enc.finish();
    assert_eq!(bytes.len() as u64, byte_len as u64 + bit_len.div_ceil(8));
    assert_eq!(value.to_bytes().unwrap(), bytes, "deterministic");
    let back = T::from_bytes(&bytes).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    assert!(same(&back, value), "{value:?} decoded to {back:?}");
    assert_eq!(back.to_bytes().unwrap(), bytes, "re-encode");
    // Every cut of short messages; for long ones the first and last 32 and
    // 64 spread over the middle (all of them would be quadratic).
    let n = bytes.len();
    let cuts: Vec<usize> = if n <= 128 {
        (0..n).collect()
    } else {
        (0..32)
            .chain(n - 32..n)
            .chain((1..64).map(|k| 32 + k * (n - 64) / 64))
            .collect()
    };
    for cut in cuts {
        let prefix = &bytes[..cut];
        if let Ok(other) = T::from_bytes(prefix) {
            assert_eq!(
                other.to_bytes().unwrap(),
                prefix,
                "prefix of {value:?} decoded to {other:?}"
            );
        }
    }
}

fn qc<A: Arbitrary + Debug>(tests: u64, f: fn(A) -> bool) {
    // Size 40 (default 100): nested collections stay in the kilobytes, so
    // the prefix checks stay fast in debug builds.
    QuickCheck::new()
        .rng(Gen::new(40))
        .tests(tests)
        .max_tests(tests * 10)
        .quickcheck(f);
}

macro_rules! roundtrip {
    ($($name:ident: $t:ty;)*) => {$(
        #[test]
        fn $name() {
            fn prop(v: $t) -> bool {
                check(&v);
                true
            }
            qc(300, prop as fn($t) -> bool);
        }
    )*};
}

macro_rules! roundtrip_eq {
    ($($name:ident: $t:ty;)*) => {$(
        #[test]
        fn $name() {
            fn prop(v: $t) -> bool {
                check_with(&v, |a, b| a == b);
                true
            }
            qc(300, prop as fn($t) -> bool);
        }
    )*};
}

roundtrip_eq! {
    rt_hashmap: HashMap<i16, Option<u8>>;
    rt_hashmap_bool: HashMap<bool, String>;
    rt_hashset_string: HashSet<String>;
    rt_hashset_bool: HashSet<bool>;
    rt_hashmap_nested: Vec<HashMap<u64, HashSet<i32>>>;
}

roundtrip! {
    rt_bool: bool;
    rt_u8: u8;
    rt_u16: u16;
    rt_u32: u32;
    rt_u64: u64;
    rt_i8: i8;
    rt_i16: i16;
    rt_i32: i32;
    rt_i64: i64;
    rt_f32: f32;
    rt_f64: f64;
    rt_unit: ();
    rt_string: String;
    rt_bytes: Vec<u8>;
    rt_vec_u16: Vec<u16>;
    rt_vec_bool: Vec<bool>;
    rt_vec_vec_u64: Vec<Vec<u64>>;
    rt_vec_option_string: Vec<Option<String>>;
    rt_option_i32: Option<i32>;
    rt_option_option_bool: Option<Option<bool>>;
    rt_box_u64: Box<u64>;
    rt_box_tuple: Box<(i8, Vec<i8>)>;
    rt_tuple2: (u8, bool);
    rt_tuple3: (String, f32, Option<u16>);
    rt_tuple6: (bool, i64, (), Vec<bool>, f64, u8);
    rt_btreemap: BTreeMap<String, Vec<bool>>;
    rt_btreemap_signed: BTreeMap<i64, f32>;
    rt_btreeset: BTreeSet<u64>;
    rt_btreeset_i8: BTreeSet<i8>;
    rt_float_bits: (F32Bits, F64Bits);
    rt_arrays: Arrays;
    rt_ranged: Ranges;
    rt_varints: Varints;
    rt_bounded: Bounded;
    rt_shapes: Vec<AShape>;
    rt_players: Vec<APlayer>;
    rt_vector3: AVector3;
    rt_vector2: AVector2;
    rt_udim2: AUDim2;
    rt_datetime: ADateTime;
    rt_color3_lossless: AColor3;
    rt_cframe_lossless: ACFrame;
    rt_key_code: AKeyCode;
}

// ---------------------------------------------------------------------------
// Arbitrary wrappers.

/// An `f32` from arbitrary bits: every NaN payload, subnormal, -0.0.
#[derive(Clone, Copy, Debug)]
struct F32Bits(f32);
impl Arbitrary for F32Bits {
    fn arbitrary(g: &mut Gen) -> Self {
        F32Bits(f32::from_bits(u32::arbitrary(g)))
    }
}
impl NetCodec for F32Bits {
    fn encode(&self, enc: &mut Encoder) -> Result<(), skyrocket::EncodeError> {
        self.0.encode(enc)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, skyrocket::DecodeError> {
        f32::decode(dec).map(F32Bits)
    }
    fn describe(s: &mut skyrocket::schema::Schema) -> skyrocket::schema::Ty {
        f32::describe(s)
    }
}

/// An `f64` from arbitrary bits.
#[derive(Clone, Copy, Debug)]
struct F64Bits(f64);
impl Arbitrary for F64Bits {
    fn arbitrary(g: &mut Gen) -> Self {
        F64Bits(f64::from_bits(u64::arbitrary(g)))
    }
}
impl NetCodec for F64Bits {
    fn encode(&self, enc: &mut Encoder) -> Result<(), skyrocket::EncodeError> {
        self.0.encode(enc)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, skyrocket::DecodeError> {
        f64::decode(dec).map(F64Bits)
    }
    fn describe(s: &mut skyrocket::schema::Schema) -> skyrocket::schema::Ty {
        f64::describe(s)
    }
}

/// Fixed arrays (quickcheck has no `Arbitrary` for them).
type ArraysInner = ([u8; 4], [i16; 3], [Option<bool>; 2], [u8; 0]);
#[derive(Clone, Debug)]
struct Arrays(ArraysInner);
impl Arbitrary for Arrays {
    fn arbitrary(g: &mut Gen) -> Self {
        Arrays((
            [0; 4].map(|_| u8::arbitrary(g)),
            [0; 3].map(|_| i16::arbitrary(g)),
            [0; 2].map(|_| Option::<bool>::arbitrary(g)),
            [],
        ))
    }
}

/// Pass-through codec for wrappers around a `NetCodec` tuple.
macro_rules! wrapper_codec {
    ($w:ident) => {
        impl NetCodec for $w {
            fn encode(&self, enc: &mut Encoder) -> Result<(), skyrocket::EncodeError> {
                self.0.encode(enc)
            }
            fn decode(dec: &mut Decoder<'_>) -> Result<Self, skyrocket::DecodeError> {
                NetCodec::decode(dec).map($w)
            }
            fn describe(_: &mut skyrocket::schema::Schema) -> skyrocket::schema::Ty {
                skyrocket::schema::Ty::Unit
            }
        }
    };
}
wrapper_codec!(Arrays);

fn in_range(g: &mut Gen, lo: i128, hi: i128) -> i128 {
    // Bias to the ends, which are where off-by-ones live.
    match u8::arbitrary(g) % 4 {
        0 => lo,
        1 => hi,
        _ => lo + (u128::arbitrary(g) % ((hi - lo) as u128 + 1)) as i128,
    }
}

type RangesInner = (
    Ranged<0, 100>,
    (Ranged<-10, 10>, Ranged<5, 5>),
    Ranged<1000, 1255>,
    Ranged<0, 65535>,
    Ranged<-5_000_000_000, 5_000_000_000>,
    (
        Ranged<{ i64::MIN as i128 }, { i64::MAX as i128 }>,
        Ranged<0, { u64::MAX as i128 }>,
        Ranged<0, 1>,
    ),
);
#[derive(Clone, Debug)]
struct Ranges(RangesInner);
impl Arbitrary for Ranges {
    fn arbitrary(g: &mut Gen) -> Self {
        Ranges((
            Ranged(in_range(g, 0, 100)),
            (Ranged(in_range(g, -10, 10)), Ranged(5)),
            Ranged(in_range(g, 1000, 1255)),
            Ranged(in_range(g, 0, 65535)),
            Ranged(in_range(g, -5_000_000_000, 5_000_000_000)),
            (
                Ranged(in_range(g, i64::MIN as i128, i64::MAX as i128)),
                Ranged(in_range(g, 0, u64::MAX as i128)),
                Ranged(in_range(g, 0, 1)),
            ),
        ))
    }
}
wrapper_codec!(Ranges);

type VarintsInner = (VarU<16>, VarU<32>, VarU<64>, VarI<16>, VarI<32>, VarI<64>);
#[derive(Clone, Debug)]
struct Varints(VarintsInner);
impl Arbitrary for Varints {
    fn arbitrary(g: &mut Gen) -> Self {
        Varints((
            VarU(u16::arbitrary(g) as u64),
            VarU(u32::arbitrary(g) as u64),
            VarU(u64::arbitrary(g)),
            VarI(i16::arbitrary(g) as i64),
            VarI(i32::arbitrary(g) as i64),
            VarI(i64::arbitrary(g)),
        ))
    }
}
wrapper_codec!(Varints);

type BoundedInner = (
    BoundedStr<10>,
    BoundedBytes<3>,
    BoundedVec<u16, 5>,
    BoundedVec<(), 7>,
    BoundedBytes<0>,
);
#[derive(Clone, Debug)]
struct Bounded(BoundedInner);
impl Arbitrary for Bounded {
    fn arbitrary(g: &mut Gen) -> Self {
        let mut s = String::arbitrary(g);
        while s.len() > 10 {
            s.pop();
        }
        let mut b = Vec::<u8>::arbitrary(g);
        b.truncate(3);
        let mut v = Vec::<u16>::arbitrary(g);
        v.truncate(5);
        let units = usize::arbitrary(g) % 8;
        Bounded((
            BoundedStr(s),
            BoundedBytes(b),
            BoundedVec(v),
            BoundedVec(vec![(); units]),
            BoundedBytes(vec![]),
        ))
    }
}
wrapper_codec!(Bounded);

#[derive(Clone, Debug)]
struct AShape(Shape);
impl Arbitrary for AShape {
    fn arbitrary(g: &mut Gen) -> Self {
        AShape(match u8::arbitrary(g) % 3 {
            0 => Shape::Circle {
                radius: f32::arbitrary(g),
            },
            1 => Shape::Square(u8::arbitrary(g)),
            _ => Shape::Empty,
        })
    }
}
wrapper_codec!(AShape);

#[derive(Clone, Debug)]
struct APlayer(Player);
impl Arbitrary for APlayer {
    fn arbitrary(g: &mut Gen) -> Self {
        APlayer(Player {
            id: u16::arbitrary(g),
            alive: bool::arbitrary(g),
            hp: in_range(g, 0, 1000) as u16,
            name: String::arbitrary(g),
        })
    }
}
wrapper_codec!(APlayer);

fn f32_any(g: &mut Gen) -> f32 {
    if bool::arbitrary(g) {
        f32::arbitrary(g)
    } else {
        F32Bits::arbitrary(g).0
    }
}

#[derive(Clone, Debug)]
struct AVector3(Vector3);
impl Arbitrary for AVector3 {
    fn arbitrary(g: &mut Gen) -> Self {
        AVector3(Vector3::new(f32_any(g), f32_any(g), f32_any(g)))
    }
}
wrapper_codec!(AVector3);

#[derive(Clone, Debug)]
struct AVector2(Vector2);
impl Arbitrary for AVector2 {
    fn arbitrary(g: &mut Gen) -> Self {
        AVector2(Vector2::new(f32_any(g), f32_any(g)))
    }
}
wrapper_codec!(AVector2);

#[derive(Clone, Debug)]
struct AUDim2((UDim2, UDim));
impl Arbitrary for AUDim2 {
    fn arbitrary(g: &mut Gen) -> Self {
        let mut udim = || UDim {
            scale: f32_any(g),
            offset: i32::arbitrary(g),
        };
        AUDim2((
            UDim2 {
                x: udim(),
                y: udim(),
            },
            udim(),
        ))
    }
}
wrapper_codec!(AUDim2);

#[derive(Clone, Debug)]
struct ADateTime(DateTime);
impl Arbitrary for ADateTime {
    fn arbitrary(g: &mut Gen) -> Self {
        ADateTime(DateTime {
            unix_millis: i64::arbitrary(g),
        })
    }
}
wrapper_codec!(ADateTime);

#[derive(Clone, Debug)]
struct AColor3(LosslessColor3);
impl Arbitrary for AColor3 {
    fn arbitrary(g: &mut Gen) -> Self {
        AColor3(LosslessColor3(Color3 {
            r: f32_any(g),
            g: f32_any(g),
            b: f32_any(g),
        }))
    }
}
wrapper_codec!(AColor3);

#[derive(Clone, Debug)]
struct ACFrame(LosslessCFrame);
impl Arbitrary for ACFrame {
    fn arbitrary(g: &mut Gen) -> Self {
        let v = AVector3::arbitrary(g).0;
        let rotation = [0; 3].map(|_| [0; 3].map(|_| f32_any(g)));
        ACFrame(LosslessCFrame(CFrame {
            position: v,
            rotation,
        }))
    }
}
wrapper_codec!(ACFrame);

#[derive(Clone, Debug)]
struct AKeyCode(KeyCode);
impl Arbitrary for AKeyCode {
    fn arbitrary(g: &mut Gen) -> Self {
        AKeyCode(KeyCode(roblox::EnumItem {
            value: u16::arbitrary(g),
        }))
    }
}
wrapper_codec!(AKeyCode);

// ---------------------------------------------------------------------------
// Properties beyond the round trip.

/// A `HashMap`/`HashSet` encodes the same whatever the insertion order.
#[test]
fn hash_collections_are_deterministic() {
    fn prop(entries: Vec<(String, u8)>) -> bool {
        let forward: HashMap<String, u8> = entries.iter().cloned().collect();
        let mut backward = HashMap::with_capacity(entries.len() * 3);
        for (k, v) in entries.iter().rev() {
            backward.entry(k.clone()).or_insert(*v);
        }
        // Same key set; make the values agree where duplicates differed.
        let backward: HashMap<String, u8> = backward
            .into_keys()
            .map(|k| {
                let v = forward[&k];
                (k, v)
            })
            .collect();
        let as_btree: BTreeMap<String, u8> = forward.clone().into_iter().collect();
        let set: HashSet<&String> = forward.keys().collect();
        let set: HashSet<String> = set.into_iter().cloned().collect();
        let btree_set: BTreeSet<String> = set.iter().cloned().collect();
        forward.to_bytes().unwrap() == backward.to_bytes().unwrap()
            && forward.to_bytes().unwrap() == as_btree.to_bytes().unwrap()
            && set.to_bytes().unwrap() == btree_set.to_bytes().unwrap()
    }
    qc(300, prop as fn(Vec<(String, u8)>) -> bool);
}

/// Instances: zero bits, side table in encounter order.
#[test]
fn instances_round_trip() {
    fn prop(ids: Vec<Option<u64>>) -> bool {
        let value: Vec<Option<Instance>> =
            ids.iter().map(|id| id.map(|id| Instance { id })).collect();
        let mut enc = Encoder::new();
        value.encode(&mut enc).unwrap();
        let (bytes, table) = enc.finish_with_instances();
        let expected: Vec<Instance> = value.iter().flatten().copied().collect();
        assert_eq!(table, expected);
        // Same bytes as the flags alone.
        let flags: Vec<bool> = ids.iter().map(Option::is_some).collect();
        assert_eq!(bytes, flags.to_bytes().unwrap());
        let mut dec = Decoder::with_instances(&bytes, &table);
        let back = Vec::<Option<Instance>>::decode(&mut dec).unwrap();
        dec.finish().unwrap();
        back == value
    }
    qc(200, prop as fn(Vec<Option<u64>>) -> bool);
}

/// A deterministic generator for the sampled (non-quickcheck) properties.
struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// binary16 rounding against an exact oracle: the two neighbouring binary16
/// values `lo <= |v| <= hi` and the exact comparison `2|v|` vs `lo + hi`
/// (both sides exact in binary64).
#[test]
fn half_rounds_to_nearest_even() {
    let value_of = |bits: u16| wire::f16_bits_to_f64(bits);
    let oracle = |v: f64| -> u16 {
        if v.is_nan() {
            return 0x7E00;
        }
        let sign = if v.is_sign_negative() { 0x8000 } else { 0 };
        let a = v.abs();
        if a >= 65520.0 {
            return sign | 0x7C00;
        }
        // Largest finite bits with value <= a (values are monotonic in bits).
        let (mut lo, mut hi) = (0u16, 0x7BFFu16);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if value_of(mid) <= a {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let below = lo;
        let above = lo + 1; // 0x7C00 stands for 65536 here.
        let above_value = if above == 0x7C00 {
            65536.0
        } else {
            value_of(above)
        };
        let twice = 2.0 * a;
        let sum = value_of(below) + above_value;
        let pick = if twice < sum {
            below
        } else if twice > sum {
            above
        } else if below % 2 == 0 {
            below
        } else {
            above
        };
        sign | pick
    };
    let mut rng = SplitMix(0x5EED_0F16);
    for i in 0..200_000 {
        let v = match i % 4 {
            // Anywhere between two neighbours, including the exact midpoint
            // and values a hair off it.
            0 | 1 => {
                let b = rng.below(0x7C00) as u16;
                let lo = value_of(b);
                let hi = if b == 0x7BFF {
                    65536.0
                } else {
                    value_of(b + 1)
                };
                let mid = (lo + hi) / 2.0;
                let v = match rng.below(4) {
                    0 => mid,
                    1 => f64::from_bits(mid.to_bits() + 1 + rng.below(1 << 20)),
                    2 => f64::from_bits(mid.to_bits() - 1 - rng.below(1 << 20)),
                    _ => lo + rng.unit() * (hi - lo),
                };
                if rng.below(2) == 0 {
                    -v
                } else {
                    v
                }
            }
            // Any binary64 with an exponent near the binary16 range.
            2 => {
                let exp = 1023 - 30 + rng.below(50);
                f64::from_bits((rng.next() & (1 << 63 | ((1 << 52) - 1))) | exp << 52)
            }
            // Any bits at all.
            _ => f64::from_bits(rng.next()),
        };
        let got = wire::f64_to_f16_bits(v);
        assert_eq!(got, oracle(v), "{v:e} ({:#018x})", v.to_bits());
        // Idempotent: the decoded value encodes to the same bits.
        assert_eq!(wire::f64_to_f16_bits(value_of(got)), got);
        // Through the codec.
        let bytes = Half(v).to_bytes().unwrap();
        assert_eq!(bytes, got.to_le_bytes());
    }
}

fn random_quantize(rng: &mut SplitMix) -> Quantize {
    let steps = [0.001, 0.01, 0.1, 0.25, 0.5, 1.0, 3.0, 1.0 / 3.0];
    let step = steps[rng.below(steps.len() as u64) as usize];
    let min = (rng.unit() * 2000.0 - 1000.0).round() * step;
    let width = rng.below(25);
    let levels = 1 + rng.below(1 << width);
    // max may sit up to just under half a step past the last level.
    let max = min + (levels - 1) as f64 * step + rng.unit() * 0.49 * step;
    Quantize { min, max, step }
}

/// Quantize: error <= step/2 inside the range, ends clamp, idempotent.
#[test]
fn quantize_error_bound_and_idempotence() {
    let mut rng = SplitMix(0x00A1_712E);
    for _ in 0..100_000 {
        let q = random_quantize(&mut rng);
        let n = q.levels();
        let top = q.min + (n - 1) as f64 * q.step;
        let v = match rng.below(8) {
            0 => q.min,
            1 => q.max,
            2 => q.min - rng.unit() * 100.0,
            3 => q.max + rng.unit() * 100.0,
            _ => q.min + rng.unit() * (q.max - q.min),
        };
        let level = wire::quantize_level(v, &q);
        assert!(level < n);
        let mut enc = Encoder::new();
        wire::write_quantized(&mut enc, v, &q);
        assert_eq!(enc.byte_len() as u64 * 8 + enc.bit_len(), q.bits() as u64);
        let bytes = enc.finish();
        let mut dec = Decoder::new(&bytes);
        let d = wire::read_quantized(&mut dec, &q).unwrap();
        dec.finish().unwrap();
        let slack = 1e-9 * (v.abs() + q.min.abs() + q.step);
        if v >= q.min && v <= q.max {
            assert!((d - v).abs() <= q.step / 2.0 + slack, "{q:?}: {v} -> {d}");
        } else if v < q.min {
            assert_eq!(level, 0);
        } else {
            assert_eq!(level, n - 1);
            assert!((d - top).abs() <= slack);
        }
        // Idempotence: the decoded value encodes to the same level.
        let mut again = Encoder::new();
        wire::write_quantized(&mut again, d, &q);
        assert_eq!(again.finish(), bytes, "{q:?}: {v} -> {d}");
    }
}

/// Quantized `f32` fields (Vector3 components) are idempotent when the step
/// is coarser than binary32 resolution over the range.
#[test]
fn quantize_f32_components_idempotent() {
    let mut rng = SplitMix(0xF32);
    let mut tested = 0;
    while tested < 20_000 {
        let q = random_quantize(&mut rng);
        let largest = q.min.abs().max(q.max.abs());
        if q.step < largest * f32::EPSILON as f64 * 4.0 {
            continue;
        }
        tested += 1;
        let span = q.max - q.min;
        let mut c = || (q.min + rng.unit() * span * 1.2 - 0.1 * span) as f32;
        let v = Vector3::new(c(), c(), c());
        let encoding = skyrocket::schema::FloatEncoding::Quantized(q);
        let mut enc = Encoder::new();
        roblox::write_vector3(&mut enc, &v, &encoding);
        let bytes = enc.finish();
        let mut dec = Decoder::new(&bytes);
        let d = roblox::read_vector3(&mut dec, &encoding).unwrap();
        dec.finish().unwrap();
        let mut again = Encoder::new();
        roblox::write_vector3(&mut again, &d, &encoding);
        assert_eq!(again.finish(), bytes, "{q:?}: {v:?} -> {d:?}");
    }
}

/// Color3 RGB8: every `Color3.fromRGB` color survives exactly, and decoding
/// is idempotent.
#[test]
fn color3_rgb8() {
    for r in 0..=255u8 {
        let c = Color3::from_rgb(r, 255 - r, r / 2);
        let bytes = c.to_bytes().unwrap();
        assert_eq!(bytes, [r, 255 - r, r / 2]);
        assert_eq!(Color3::from_bytes(&bytes).unwrap(), c);
    }
    fn prop(c: (f32, f32, f32)) -> bool {
        let c = Color3 {
            r: c.0,
            g: c.1,
            b: c.2,
        };
        let bytes = c.to_bytes().unwrap();
        let back = Color3::from_bytes(&bytes).unwrap();
        back.to_bytes().unwrap() == bytes
    }
    qc(500, prop as fn((f32, f32, f32)) -> bool);
}

fn random_unit_quaternion(rng: &mut SplitMix) -> [f64; 4] {
    loop {
        let q = [0; 4].map(|_| rng.unit() * 2.0 - 1.0);
        let n2: f64 = q.iter().map(|c| c * c).sum();
        if n2 > 1e-6 && n2 <= 1.0 {
            let n = n2.sqrt();
            return q.map(|c| c / n);
        }
    }
}

/// Angle in degrees between two rotations given as quaternions.
fn angle_deg(a: [f64; 4], b: [f64; 4]) -> f64 {
    // r = conj(a) * b; angle = 2 atan2(|r.xyz|, |r.w|).
    let [aw, ax, ay, az] = a;
    let [bw, bx, by, bz] = b;
    let w = aw * bw + ax * bx + ay * by + az * bz;
    let x = aw * bx - ax * bw - ay * bz + az * by;
    let y = aw * by + ax * bz - ay * bw - az * bx;
    let z = aw * bz - ax * by + ay * bx - az * bw;
    2.0 * (x * x + y * y + z * z).sqrt().atan2(w.abs()).to_degrees()
}

/// Smallest-three: error < 0.01° for random rotations; idempotent unless two
/// components tie in magnitude (then the same rotation, within the bound).
#[test]
fn rotation_error_bound_and_idempotence() {
    let mut rng = SplitMix(0x0020_7A7E);
    let mut worst = 0.0f64;
    let mut ties = 0;
    for i in 0..100_000 {
        let mut q = random_unit_quaternion(&mut rng);
        if i % 10 == 0 {
            // Axis-aligned and 45° cases, where components tie.
            let k = rng.below(4) as usize;
            let j = rng.below(4) as usize;
            q = [0.0; 4];
            q[k] = std::f64::consts::FRAC_1_SQRT_2;
            q[j] += std::f64::consts::FRAC_1_SQRT_2;
            let n = q.iter().map(|c| c * c).sum::<f64>().sqrt();
            q = q.map(|c| c / n);
        }
        let matrix = roblox::quaternion_to_matrix(q);
        let mut enc = Encoder::new();
        roblox::write_rotation(&mut enc, &matrix);
        assert_eq!(enc.bit_len(), 47);
        let bytes = enc.finish();
        let mut dec = Decoder::new(&bytes);
        let back = roblox::read_rotation(&mut dec).unwrap();
        dec.finish().unwrap();
        let error = angle_deg(q, roblox::matrix_to_quaternion(&back));
        worst = worst.max(error);
        assert!(error < 0.01, "{q:?}: {error}°");

        let mut again = Encoder::new();
        roblox::write_rotation(&mut again, &back);
        let again = again.finish();
        let mut sorted = q.map(f64::abs);
        sorted.sort_by(|a, b| b.total_cmp(a));
        if sorted[0] - sorted[1] > 1e-3 {
            assert_eq!(again, bytes, "{q:?} not idempotent");
        } else if again != bytes {
            ties += 1;
            let mut dec = Decoder::new(&again);
            let twice = roblox::read_rotation(&mut dec).unwrap();
            assert!(angle_deg(q, roblox::matrix_to_quaternion(&twice)) < 0.01);
        }
    }
    assert!(worst > 0.0 && worst < 0.01, "worst {worst}°");
    // Sanity: the tie cases do happen (so the branch above is exercised).
    assert!(ties > 0);
}

/// Full CFrames (position + rotation) through the codec.
#[test]
fn cframe_round_trip() {
    let mut rng = SplitMix(0xCF);
    for _ in 0..10_000 {
        let q = random_unit_quaternion(&mut rng);
        let p = [0; 3].map(|_| ((rng.unit() - 0.5) * 1e4) as f32);
        let cf = CFrame {
            position: Vector3::new(p[0], p[1], p[2]),
            rotation: roblox::quaternion_to_matrix(q),
        };
        let bytes = cf.to_bytes().unwrap();
        assert_eq!(bytes.len(), 12 + 6);
        let back = CFrame::from_bytes(&bytes).unwrap();
        assert_eq!(back.position, cf.position);
        assert!(angle_deg(q, roblox::matrix_to_quaternion(&back.rotation)) < 0.01);
        // Lossless: exact.
        let lossless = LosslessCFrame(cf).to_bytes().unwrap();
        assert_eq!(lossless.len(), 48);
        assert_eq!(LosslessCFrame::from_bytes(&lossless).unwrap().0, cf);
    }
}

//! Hand-written `NetCodec` impls shared by the codec-core integration tests.
//!
//! They stand in for `#[derive(NetCodec)]` (not available to these tests) and
//! follow spec section 4 literally: fields in declaration order, enum tag via
//! `wire::write_tag`, `Decoder::enter`/`leave` around every struct and enum
//! value, field names added to error paths. Field-level attributes
//! (`range`, `varint`, `half`, `quantize`, `max_len`, `lossless`) are newtypes
//! whose impls call the matching `wire`/`roblox` functions.

#![allow(dead_code)]

use skyrocket::roblox::{self, CFrame, Color3, EnumItem, Vector3};
use skyrocket::schema::{FloatEncoding, Quantize, Schema, Ty};
use skyrocket::wire;
use skyrocket::{DecodeError, Decoder, EncodeError, Encoder, NetCodec};

/// Parses `"01 ab"`-style hex (spaces and underscores ignored).
pub fn unhex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'_')
        .collect();
    assert!(digits.len().is_multiple_of(2), "odd hex string {s:?}");
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

/// Renders bytes as `"01 ab"`.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn no_schema() -> Ty {
    // The wrappers are only used through encode/decode in these tests.
    Ty::Unit
}

// ---------------------------------------------------------------------------
// Field encodings as newtypes.

/// An integer declared `#[net(range = LO..=HI)]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranged<const LO: i128, const HI: i128>(pub i128);

impl<const LO: i128, const HI: i128> NetCodec for Ranged<LO, HI> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_range(enc, self.0, LO, HI)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        wire::read_range(dec, LO, HI).map(Ranged)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// An unsigned integer of `BITS` bits declared `#[net(varint)]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VarU<const BITS: u32>(pub u64);

impl<const BITS: u32> NetCodec for VarU<BITS> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_varint(self.0);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.read_varint(BITS).map(VarU)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// A signed integer of `BITS` bits declared `#[net(varint)]` (zigzag).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VarI<const BITS: u32>(pub i64);

impl<const BITS: u32> NetCodec for VarI<BITS> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_signed_varint(self.0);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.read_signed_varint(BITS).map(VarI)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// An `f64` declared `#[net(half)]`.
#[derive(Debug, Clone, Copy)]
pub struct Half(pub f64);

impl PartialEq for Half {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits() || (self.0.is_nan() && other.0.is_nan())
    }
}

impl NetCodec for Half {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_half(enc, self.0);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        wire::read_half(dec).map(Half)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// The quantization parameter sets the `Quant<P>` examples use.
pub const QUANTIZE: [Quantize; 4] = [
    // 0: N = 11 levels, 4 bits (bit section).
    Quantize {
        min: 0.0,
        max: 1.0,
        step: 0.1,
    },
    // 1: N = 256 levels, 8 bits (byte section).
    Quantize {
        min: 0.0,
        max: 255.0,
        step: 1.0,
    },
    // 2: N = 20001 levels, 15 bits (bit section).
    Quantize {
        min: -100.0,
        max: 100.0,
        step: 0.01,
    },
    // 3: N = 4 levels, 2 bits.
    Quantize {
        min: 0.0,
        max: 3.0,
        step: 1.0,
    },
];

/// An `f64` declared `#[net(quantize(...))]` with `QUANTIZE[P]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quant<const P: usize>(pub f64);

impl<const P: usize> NetCodec for Quant<P> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_quantized(enc, self.0, &QUANTIZE[P]);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        wire::read_quantized(dec, &QUANTIZE[P]).map(Quant)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// A `Vector3` declared `#[net(quantize(...))]` with `QUANTIZE[P]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QVector3<const P: usize>(pub Vector3);

impl<const P: usize> NetCodec for QVector3<P> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        roblox::write_vector3(enc, &self.0, &FloatEncoding::Quantized(QUANTIZE[P]));
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        roblox::read_vector3(dec, &FloatEncoding::Quantized(QUANTIZE[P])).map(QVector3)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// A `Vector3` declared `#[net(half)]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HVector3(pub Vector3);

impl NetCodec for HVector3 {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        roblox::write_vector3(enc, &self.0, &FloatEncoding::Half);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        roblox::read_vector3(dec, &FloatEncoding::Half).map(HVector3)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// A `String` declared `#[net(max_len = M)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundedStr<const M: u32>(pub String);

impl<const M: u32> NetCodec for BoundedStr<M> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_str(enc, &self.0, Some(M))
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        wire::read_string(dec, Some(M)).map(BoundedStr)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// A `Vec<u8>` declared `#[net(max_len = M)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundedBytes<const M: u32>(pub Vec<u8>);

impl<const M: u32> NetCodec for BoundedBytes<M> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_byte_string(enc, &self.0, Some(M))
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        wire::read_byte_string(dec, Some(M)).map(BoundedBytes)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// A `Vec<T>` declared `#[net(max_len = M)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundedVec<T, const M: u32>(pub Vec<T>);

impl<T: NetCodec, const M: u32> NetCodec for BoundedVec<T, M> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_len(enc, self.0.len(), Some(M))?;
        T::encode_slice(&self.0, enc)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let len = wire::read_len(dec, Some(M))?;
        skyrocket::codec::decode_elements(dec, len).map(BoundedVec)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// A `CFrame` declared `#[net(lossless)]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LosslessCFrame(pub CFrame);

impl NetCodec for LosslessCFrame {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        roblox::write_cframe(enc, &self.0, true);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        roblox::read_cframe(dec, true).map(LosslessCFrame)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// A `Color3` declared `#[net(lossless)]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LosslessColor3(pub Color3);

impl NetCodec for LosslessColor3 {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        roblox::write_color3(enc, &self.0, true);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        roblox::read_color3(dec, true).map(LosslessColor3)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// An `EnumItem` declared `#[net(roblox_enum = "KeyCode")]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyCode(pub EnumItem);

impl NetCodec for KeyCode {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        roblox::write_enum_item(enc, &self.0);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        roblox::read_enum_item(dec).map(KeyCode)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

// ---------------------------------------------------------------------------
// Structs and enums, written as the derive would expand them.

const MAX_DEPTH: u32 = skyrocket::schema::DEFAULT_MAX_DEPTH;

/// ```ignore
/// struct Hit { #[net(range = 0..=100)] damage: u8, critical: bool }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub damage: u8,
    pub critical: bool,
}

impl NetCodec for Hit {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_range(enc, self.damage as i128, 0, 100).map_err(|e| e.in_field("damage"))?;
        self.critical
            .encode(enc)
            .map_err(|e| e.in_field("critical"))
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.enter(MAX_DEPTH)?;
        let damage = wire::read_range(dec, 0, 100).map_err(|e| e.in_field("damage"))? as u8;
        let critical = bool::decode(dec).map_err(|e| e.in_field("critical"))?;
        dec.leave();
        Ok(Hit { damage, critical })
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// ```ignore
/// struct Player {
///     id: u16,
///     alive: bool,
///     #[net(range = 0..=1000)] hp: u16,
///     name: String,
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Player {
    pub id: u16,
    pub alive: bool,
    pub hp: u16,
    pub name: String,
}

impl NetCodec for Player {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        self.id.encode(enc).map_err(|e| e.in_field("id"))?;
        self.alive.encode(enc).map_err(|e| e.in_field("alive"))?;
        wire::write_range(enc, self.hp as i128, 0, 1000).map_err(|e| e.in_field("hp"))?;
        self.name.encode(enc).map_err(|e| e.in_field("name"))
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.enter(MAX_DEPTH)?;
        let id = u16::decode(dec).map_err(|e| e.in_field("id"))?;
        let alive = bool::decode(dec).map_err(|e| e.in_field("alive"))?;
        let hp = wire::read_range(dec, 0, 1000).map_err(|e| e.in_field("hp"))? as u16;
        let name = String::decode(dec).map_err(|e| e.in_field("name"))?;
        dec.leave();
        Ok(Player {
            id,
            alive,
            hp,
            name,
        })
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// ```ignore
/// enum Shape { Circle { radius: f32 }, Square(u8), Empty }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    Circle { radius: f32 },
    Square(u8),
    Empty,
}

impl NetCodec for Shape {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        match self {
            Shape::Circle { radius } => {
                wire::write_tag(enc, 0, 3);
                radius
                    .encode(enc)
                    .map_err(|e| e.in_field("radius").in_variant("Circle"))
            }
            Shape::Square(side) => {
                wire::write_tag(enc, 1, 3);
                side.encode(enc)
                    .map_err(|e| e.in_field("0").in_variant("Square"))
            }
            Shape::Empty => {
                wire::write_tag(enc, 2, 3);
                Ok(())
            }
        }
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.enter(MAX_DEPTH)?;
        let value = match wire::read_tag(dec, 3)? {
            0 => Shape::Circle {
                radius: f32::decode(dec).map_err(|e| e.in_field("radius").in_variant("Circle"))?,
            },
            1 => Shape::Square(u8::decode(dec).map_err(|e| e.in_field("0").in_variant("Square"))?),
            _ => Shape::Empty,
        };
        dec.leave();
        Ok(value)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// ```ignore
/// enum Only { A(u16) }   // one variant: a zero-bit tag
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Only {
    A(u16),
}

impl NetCodec for Only {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        let Only::A(v) = self;
        wire::write_tag(enc, 0, 1);
        v.encode(enc).map_err(|e| e.in_field("0").in_variant("A"))
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.enter(MAX_DEPTH)?;
        wire::read_tag(dec, 1)?;
        let v = u16::decode(dec).map_err(|e| e.in_field("0").in_variant("A"))?;
        dec.leave();
        Ok(Only::A(v))
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// ```ignore
/// struct Marker;   // unit struct: zero bits
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marker;

impl NetCodec for Marker {
    fn encode(&self, _: &mut Encoder) -> Result<(), EncodeError> {
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.enter(MAX_DEPTH)?;
        dec.leave();
        Ok(Marker)
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

/// ```ignore
/// #[net(max_depth = 4)]
/// struct Node { value: u8, children: Vec<Node> }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: u8,
    pub children: Vec<Node>,
}

/// `max_depth` of [`Node`].
pub const NODE_MAX_DEPTH: u32 = 4;

impl Node {
    /// A chain `depth` nodes deep.
    pub fn chain(depth: u32) -> Node {
        let mut node = Node {
            value: depth as u8,
            children: vec![],
        };
        for d in (1..depth).rev() {
            node = Node {
                value: d as u8,
                children: vec![node],
            };
        }
        node
    }
}

impl NetCodec for Node {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        self.value.encode(enc).map_err(|e| e.in_field("value"))?;
        self.children
            .encode(enc)
            .map_err(|e| e.in_field("children"))
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.enter(NODE_MAX_DEPTH)?;
        let value = u8::decode(dec).map_err(|e| e.in_field("value"))?;
        let children = Vec::<Node>::decode(dec).map_err(|e| e.in_field("children"))?;
        dec.leave();
        Ok(Node { value, children })
    }
    fn describe(_: &mut Schema) -> Ty {
        no_schema()
    }
}

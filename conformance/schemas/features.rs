//! Conformance schema: every feature of the wire format, used by the Rust
//! derive (compiled into the conformance crate) and by `skyrocket gen`.

use skyrocket::roblox::{
    CFrame, Color3, DateTime, EnumItem, Instance, UDim, UDim2, Vector2, Vector3,
};
use skyrocket::NetCodec;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Every integer width, fixed, ranged and varint.
#[derive(NetCodec, Debug, Clone, PartialEq, Default)]
pub struct Integers {
    pub a_u8: u8,
    pub a_u16: u16,
    pub a_u32: u32,
    pub a_u64: u64,
    pub a_i8: i8,
    pub a_i16: i16,
    pub a_i32: i32,
    pub a_i64: i64,
    #[net(range = 0..=100)]
    pub small: u8,
    #[net(range = -100..=100)]
    pub signed_small: i16,
    #[net(range = 5..=5)]
    pub constant: u32,
    #[net(range = 0..=255)]
    pub byte_wide: u16,
    #[net(range = -32768..=32767)]
    pub word_wide: i32,
    #[net(range = 1000..=1000000)]
    pub wide: u32,
    #[net(range = -5000000000..=5000000000)]
    pub huge: i64,
    #[net(varint)]
    pub v_u16: u16,
    #[net(varint)]
    pub v_u32: u32,
    #[net(varint)]
    pub v_u64: u64,
    #[net(varint)]
    pub v_i32: i32,
    #[net(varint)]
    pub v_i64: i64,
}

/// Every float encoding.
#[derive(NetCodec, Debug, Clone, PartialEq, Default)]
pub struct Floats {
    pub a_f32: f32,
    pub a_f64: f64,
    #[net(half)]
    pub h32: f32,
    #[net(half)]
    pub h64: f64,
    #[net(quantize(min = -2048.0, max = 2047.984375, step = 0.015625))]
    pub position: f32,
    #[net(quantize(min = 0.0, max = 1.0, step = 0.00392156862745098))]
    pub unit_byte: f64,
    #[net(quantize(min = -1.0, max = 1.0, step = 0.1))]
    pub coarse: f32,
}

/// Strings, byte strings and collections.
#[derive(NetCodec, Debug, Clone, PartialEq, Default)]
pub struct Collections {
    pub name: String,
    #[net(max_len = 16)]
    pub short_name: String,
    pub blob: Vec<u8>,
    #[net(max_len = 8)]
    pub short_blob: Vec<u8>,
    pub digest: [u8; 4],
    pub numbers: Vec<i32>,
    #[net(max_len = 5, range = 0..=9)]
    pub digits: Vec<u8>,
    pub triple: [u16; 3],
    pub flags: [bool; 5],
    pub pair: (u8, bool),
    pub maybe: Option<u32>,
    pub maybe_text: Option<String>,
    pub nested: Vec<Vec<bool>>,
    pub scores: BTreeMap<String, u32>,
    #[net(max_len = 4)]
    pub by_id: HashMap<u16, bool>,
    pub tags: BTreeSet<String>,
    pub ids: HashSet<i64>,
    pub switches: BTreeMap<bool, u8>,
    #[net(max_len = 3)]
    pub units: Vec<()>,
}

/// A unit struct: zero bits.
#[derive(NetCodec, Debug, Clone, PartialEq, Default)]
pub struct Marker;

/// A tuple struct.
#[derive(NetCodec, Debug, Clone, PartialEq, Default)]
pub struct Pair(pub u8, #[net(range = 0..=3)] pub u8);

/// Enums of every variant shape.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub enum Shape {
    Empty,
    Circle(#[net(half)] f32),
    Rect {
        w: u16,
        h: u16,
    },
    #[net(rename = "Tri")]
    Triangle(Pair, Pair, Pair),
    Tagged {
        marker: Marker,
        label: Option<String>,
    },
}

/// A single-variant enum: zero tag bits.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub enum Only {
    One(u8),
}

/// Recursion through `Vec` and `Option<Box<_>>`.
#[derive(NetCodec, Debug, Clone, PartialEq)]
#[net(max_depth = 16)]
pub struct Tree {
    pub value: i32,
    #[net(max_len = 4)]
    pub children: Vec<Tree>,
    pub next: Option<Box<Tree>>,
}

/// A recursive enum.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(#[net(varint)] i64),
    Negate(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
}

/// Roblox value types with every encoding option.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct RobloxValues {
    pub position: Vector3,
    #[net(quantize(min = -1024.0, max = 1023.9375, step = 0.0625))]
    pub packed_position: Vector3,
    pub offset: Vector2,
    #[net(half)]
    pub half_offset: Vector2,
    pub transform: CFrame,
    #[net(lossless)]
    pub exact_transform: CFrame,
    pub tint: Color3,
    #[net(lossless)]
    pub exact_tint: Color3,
    pub width: UDim,
    pub size: UDim2,
    pub when: DateTime,
    #[net(roblox_enum = "KeyCode")]
    pub key: EnumItem,
    #[net(roblox_enum = "Material")]
    pub material: Option<EnumItem>,
    pub part: Instance,
    pub maybe_part: Option<Instance>,
}

/// Skipped and renamed fields.
#[derive(NetCodec, Debug, Clone, PartialEq, Default)]
#[net(rename = "Renamed")]
pub struct WithSkip {
    pub kept: u8,
    #[net(skip)]
    pub cache: u32,
    #[net(rename = "displayName", max_len = 32)]
    pub display_name: String,
}

/// Everything at once.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct Everything {
    pub integers: Integers,
    pub floats: Floats,
    pub collections: Collections,
    pub marker: Marker,
    pub pair: Pair,
    #[net(max_len = 6)]
    pub shapes: Vec<Shape>,
    pub only: Only,
    pub tree: Tree,
    pub expr: Expr,
    pub with_skip: WithSkip,
}

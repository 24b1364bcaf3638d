//! The messages of `skyrocket gen --proto` for the conformance schemas,
//! written by hand with prost's derive: the reference our codec's bytes are
//! compared with.
#![allow(dead_code, clippy::enum_variant_names)]

use std::collections::BTreeMap;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Unit {}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Vector3 {
    #[prost(float, tag = "1")]
    pub x: f32,
    #[prost(float, tag = "2")]
    pub y: f32,
    #[prost(float, tag = "3")]
    pub z: f32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Vector2 {
    #[prost(float, tag = "1")]
    pub x: f32,
    #[prost(float, tag = "2")]
    pub y: f32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct CFrame {
    #[prost(float, tag = "1")]
    pub x: f32,
    #[prost(float, tag = "2")]
    pub y: f32,
    #[prost(float, tag = "3")]
    pub z: f32,
    #[prost(float, tag = "4")]
    pub r00: f32,
    #[prost(float, tag = "5")]
    pub r01: f32,
    #[prost(float, tag = "6")]
    pub r02: f32,
    #[prost(float, tag = "7")]
    pub r10: f32,
    #[prost(float, tag = "8")]
    pub r11: f32,
    #[prost(float, tag = "9")]
    pub r12: f32,
    #[prost(float, tag = "10")]
    pub r20: f32,
    #[prost(float, tag = "11")]
    pub r21: f32,
    #[prost(float, tag = "12")]
    pub r22: f32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Color3 {
    #[prost(float, tag = "1")]
    pub r: f32,
    #[prost(float, tag = "2")]
    pub g: f32,
    #[prost(float, tag = "3")]
    pub b: f32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct UDim {
    #[prost(float, tag = "1")]
    pub scale: f32,
    #[prost(sint32, tag = "2")]
    pub offset: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct UDim2 {
    #[prost(message, optional, tag = "1")]
    pub x: Option<UDim>,
    #[prost(message, optional, tag = "2")]
    pub y: Option<UDim>,
}

// ---- arena ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
pub enum MoveState {
    Idle = 0,
    Running = 1,
    Jumping = 2,
    Falling = 3,
    Crouching = 4,
    Dead = 5,
}

/// A unit-only enum as a whole message: field 1 holds it.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MoveStateValue {
    #[prost(enumeration = "MoveState", tag = "1")]
    pub value: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PlayerState {
    #[prost(uint32, tag = "1")]
    pub id: u32,
    #[prost(message, optional, tag = "2")]
    pub position: Option<Vector3>,
    #[prost(float, tag = "3")]
    pub yaw: f32,
    #[prost(uint32, tag = "4")]
    pub health: u32,
    #[prost(enumeration = "MoveState", tag = "5")]
    pub state: i32,
    #[prost(bool, repeated, tag = "6")]
    pub flags: Vec<bool>,
    #[prost(message, optional, tag = "7")]
    pub velocity: Option<Vector3>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Snapshot {
    #[prost(uint32, tag = "1")]
    pub tick: u32,
    #[prost(message, repeated, tag = "2")]
    pub players: Vec<PlayerState>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
pub enum Weapon {
    Rifle = 0,
    Grenade = 1,
    Rocket = 2,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct WeaponValue {
    #[prost(enumeration = "Weapon", tag = "1")]
    pub value: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ProjectileSpawned {
    #[prost(uint32, tag = "1")]
    pub id: u32,
    #[prost(uint32, tag = "2")]
    pub owner: u32,
    #[prost(enumeration = "Weapon", tag = "3")]
    pub weapon: i32,
    #[prost(message, optional, tag = "4")]
    pub origin: Option<CFrame>,
    #[prost(float, tag = "5")]
    pub speed: f32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ItemStack {
    #[prost(uint32, tag = "1")]
    pub item: u32,
    #[prost(uint32, tag = "2")]
    pub count: u32,
    #[prost(message, optional, tag = "3")]
    pub tint: Option<Color3>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Inventory {
    #[prost(btree_map = "uint32, message", tag = "1")]
    pub slots: BTreeMap<u32, ItemStack>,
    #[prost(uint64, tag = "2")]
    pub coins: u64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ChatMessage {
    #[prost(uint32, tag = "1")]
    pub from: u32,
    #[prost(string, tag = "2")]
    pub text: String,
    #[prost(message, optional, tag = "3")]
    pub channel: Option<ChatChannel>,
    #[prost(int64, tag = "4")]
    pub sent_at: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ChatChannel {
    #[prost(oneof = "chat_channel::Variant", tags = "1, 2, 3")]
    pub variant: Option<chat_channel::Variant>,
}

pub mod chat_channel {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Variant {
        #[prost(message, tag = "1")]
        All(super::Unit),
        #[prost(message, tag = "2")]
        Team(Team),
        #[prost(message, tag = "3")]
        Whisper(Whisper),
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Team {
        #[prost(uint32, tag = "1")]
        pub f_0: u32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Whisper {
        #[prost(uint32, tag = "1")]
        pub to: u32,
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct InputFrame {
    #[prost(uint32, tag = "1")]
    pub sequence: u32,
    #[prost(float, tag = "2")]
    pub move_x: f32,
    #[prost(float, tag = "3")]
    pub move_z: f32,
    #[prost(float, tag = "4")]
    pub aim_yaw: f32,
    #[prost(float, tag = "5")]
    pub aim_pitch: f32,
    #[prost(bool, repeated, tag = "6")]
    pub buttons: Vec<bool>,
    #[prost(uint32, optional, tag = "7")]
    pub key: Option<u32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Interact {
    #[prost(uint32, tag = "1")]
    pub target: u32,
    #[prost(message, optional, tag = "2")]
    pub hit: Option<Vector3>,
}

// ---- features ----

#[derive(Clone, PartialEq, prost::Message)]
pub struct Integers {
    #[prost(uint32, tag = "1")]
    pub a_u8: u32,
    #[prost(uint32, tag = "2")]
    pub a_u16: u32,
    #[prost(uint32, tag = "3")]
    pub a_u32: u32,
    #[prost(uint64, tag = "4")]
    pub a_u64: u64,
    #[prost(sint32, tag = "5")]
    pub a_i8: i32,
    #[prost(sint32, tag = "6")]
    pub a_i16: i32,
    #[prost(sint32, tag = "7")]
    pub a_i32: i32,
    #[prost(sint64, tag = "8")]
    pub a_i64: i64,
    #[prost(uint32, tag = "9")]
    pub small: u32,
    #[prost(sint32, tag = "10")]
    pub signed_small: i32,
    #[prost(uint32, tag = "11")]
    pub constant: u32,
    #[prost(uint32, tag = "12")]
    pub byte_wide: u32,
    #[prost(sint32, tag = "13")]
    pub word_wide: i32,
    #[prost(uint32, tag = "14")]
    pub wide: u32,
    #[prost(sint64, tag = "15")]
    pub huge: i64,
    #[prost(uint32, tag = "16")]
    pub v_u16: u32,
    #[prost(uint32, tag = "17")]
    pub v_u32: u32,
    #[prost(uint64, tag = "18")]
    pub v_u64: u64,
    #[prost(sint32, tag = "19")]
    pub v_i32: i32,
    #[prost(sint64, tag = "20")]
    pub v_i64: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Floats {
    #[prost(float, tag = "1")]
    pub a_f32: f32,
    #[prost(double, tag = "2")]
    pub a_f64: f64,
    #[prost(float, tag = "3")]
    pub h32: f32,
    #[prost(double, tag = "4")]
    pub h64: f64,
    #[prost(float, tag = "5")]
    pub position: f32,
    #[prost(double, tag = "6")]
    pub unit_byte: f64,
    #[prost(float, tag = "7")]
    pub coarse: f32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TupleUint32Bool {
    #[prost(uint32, tag = "1")]
    pub f_1: u32,
    #[prost(bool, tag = "2")]
    pub f_2: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ListBool {
    #[prost(bool, repeated, tag = "1")]
    pub value: Vec<bool>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Collections {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(string, tag = "2")]
    pub short_name: String,
    #[prost(bytes = "vec", tag = "3")]
    pub blob: Vec<u8>,
    #[prost(bytes = "vec", tag = "4")]
    pub short_blob: Vec<u8>,
    #[prost(bytes = "vec", tag = "5")]
    pub digest: Vec<u8>,
    #[prost(sint32, repeated, tag = "6")]
    pub numbers: Vec<i32>,
    #[prost(uint32, repeated, tag = "7")]
    pub digits: Vec<u32>,
    #[prost(uint32, repeated, tag = "8")]
    pub triple: Vec<u32>,
    #[prost(bool, repeated, tag = "9")]
    pub flags: Vec<bool>,
    #[prost(message, optional, tag = "10")]
    pub pair: Option<TupleUint32Bool>,
    #[prost(uint32, optional, tag = "11")]
    pub maybe: Option<u32>,
    #[prost(string, optional, tag = "12")]
    pub maybe_text: Option<String>,
    #[prost(message, repeated, tag = "13")]
    pub nested: Vec<ListBool>,
    #[prost(btree_map = "string, uint32", tag = "14")]
    pub scores: BTreeMap<String, u32>,
    #[prost(btree_map = "uint32, bool", tag = "15")]
    pub by_id: BTreeMap<u32, bool>,
    #[prost(string, repeated, tag = "16")]
    pub tags: Vec<String>,
    #[prost(sint64, repeated, tag = "17")]
    pub ids: Vec<i64>,
    #[prost(btree_map = "bool, uint32", tag = "18")]
    pub switches: BTreeMap<bool, u32>,
    #[prost(message, repeated, tag = "19")]
    pub units: Vec<Unit>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Marker {}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Pair {
    #[prost(uint32, tag = "1")]
    pub f_0: u32,
    #[prost(uint32, tag = "2")]
    pub f_1: u32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Shape {
    #[prost(oneof = "shape::Variant", tags = "1, 2, 3, 4, 5")]
    pub variant: Option<shape::Variant>,
}

pub mod shape {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Variant {
        #[prost(message, tag = "1")]
        Empty(super::Unit),
        #[prost(message, tag = "2")]
        Circle(Circle),
        #[prost(message, tag = "3")]
        Rect(Rect),
        #[prost(message, tag = "4")]
        Tri(Tri),
        #[prost(message, tag = "5")]
        Tagged(Tagged),
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Circle {
        #[prost(float, tag = "1")]
        pub f_0: f32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Rect {
        #[prost(uint32, tag = "1")]
        pub w: u32,
        #[prost(uint32, tag = "2")]
        pub h: u32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Tri {
        #[prost(message, optional, tag = "1")]
        pub f_0: Option<super::Pair>,
        #[prost(message, optional, tag = "2")]
        pub f_1: Option<super::Pair>,
        #[prost(message, optional, tag = "3")]
        pub f_2: Option<super::Pair>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Tagged {
        #[prost(message, optional, tag = "1")]
        pub marker: Option<super::Marker>,
        #[prost(string, optional, tag = "2")]
        pub label: Option<String>,
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Only {
    #[prost(oneof = "only::Variant", tags = "1")]
    pub variant: Option<only::Variant>,
}

pub mod only {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Variant {
        #[prost(message, tag = "1")]
        One(One),
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct One {
        #[prost(uint32, tag = "1")]
        pub f_0: u32,
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Tree {
    #[prost(sint32, tag = "1")]
    pub value: i32,
    #[prost(message, repeated, tag = "2")]
    pub children: Vec<Tree>,
    #[prost(message, optional, boxed, tag = "3")]
    pub next: Option<Box<Tree>>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Expr {
    #[prost(oneof = "expr::Variant", tags = "1, 2, 3")]
    pub variant: Option<expr::Variant>,
}

pub mod expr {
    #[derive(Clone, PartialEq, prost::Oneof)]
    pub enum Variant {
        #[prost(message, tag = "1")]
        Literal(Literal),
        #[prost(message, tag = "2")]
        Negate(Box<Negate>),
        #[prost(message, tag = "3")]
        Add(Box<Add>),
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Literal {
        #[prost(sint64, tag = "1")]
        pub f_0: i64,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Negate {
        #[prost(message, optional, boxed, tag = "1")]
        pub f_0: Option<Box<super::Expr>>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Add {
        #[prost(message, optional, boxed, tag = "1")]
        pub f_0: Option<Box<super::Expr>>,
        #[prost(message, optional, boxed, tag = "2")]
        pub f_1: Option<Box<super::Expr>>,
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct RobloxValues {
    #[prost(message, optional, tag = "1")]
    pub position: Option<Vector3>,
    #[prost(message, optional, tag = "2")]
    pub packed_position: Option<Vector3>,
    #[prost(message, optional, tag = "3")]
    pub offset: Option<Vector2>,
    #[prost(message, optional, tag = "4")]
    pub half_offset: Option<Vector2>,
    #[prost(message, optional, tag = "5")]
    pub transform: Option<CFrame>,
    #[prost(message, optional, tag = "6")]
    pub exact_transform: Option<CFrame>,
    #[prost(message, optional, tag = "7")]
    pub tint: Option<Color3>,
    #[prost(message, optional, tag = "8")]
    pub exact_tint: Option<Color3>,
    #[prost(message, optional, tag = "9")]
    pub width: Option<UDim>,
    #[prost(message, optional, tag = "10")]
    pub size: Option<UDim2>,
    #[prost(int64, tag = "11")]
    pub when: i64,
    #[prost(uint32, tag = "12")]
    pub key: u32,
    #[prost(uint32, optional, tag = "13")]
    pub material: Option<u32>,
    #[prost(uint32, tag = "14")]
    pub part: u32,
    #[prost(uint32, optional, tag = "15")]
    pub maybe_part: Option<u32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Renamed {
    #[prost(uint32, tag = "1")]
    pub kept: u32,
    #[prost(string, tag = "3")]
    pub display_name: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Everything {
    #[prost(message, optional, tag = "1")]
    pub integers: Option<Integers>,
    #[prost(message, optional, tag = "2")]
    pub floats: Option<Floats>,
    #[prost(message, optional, tag = "3")]
    pub collections: Option<Collections>,
    #[prost(message, optional, tag = "4")]
    pub marker: Option<Marker>,
    #[prost(message, optional, tag = "5")]
    pub pair: Option<Pair>,
    #[prost(message, repeated, tag = "6")]
    pub shapes: Vec<Shape>,
    #[prost(message, optional, tag = "7")]
    pub only: Option<Only>,
    #[prost(message, optional, tag = "8")]
    pub tree: Option<Tree>,
    #[prost(message, optional, tag = "9")]
    pub expr: Option<Expr>,
    #[prost(message, optional, tag = "10")]
    pub with_skip: Option<Renamed>,
}

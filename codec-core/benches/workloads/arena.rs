//! Workload 3: the arena snapshot of `examples/arena/schema.rs`: 64 players
//! with quantized positions, yaw and velocity, ranged health, a six-state
//! enum and four flags, in a `Vec` with `max_len = 64`.
//!
//! Peers get the natural plain form (`f32` components, `u8` health, a unit
//! enum, `[bool; 4]`); Skyrocket gets the schema's quantization. The data is
//! generated on the quantization grid so every format round-trips exactly.

use super::{rng, Case};
use rand::Rng;
use serde::{Deserialize, Serialize};
use skyrocket::roblox::Vector3;
use skyrocket::schema::{length_bits, Quantize};
use skyrocket::wire::{self, tag_bits};
use skyrocket::NetCodec;

/// Players in the snapshot (and the schema's `max_len`).
pub const PLAYERS: usize = 64;
/// `position`: 1/64 stud inside ±2048 studs (19 bits a component).
pub const POSITION: Quantize = Quantize {
    min: -2048.0,
    max: 2048.0,
    step: 0.015625,
};
/// `yaw`: 0..=2π in 2π/1024 steps (1025 levels, 11 bits), as in the example schema.
pub const YAW: Quantize = Quantize {
    min: 0.0,
    max: std::f64::consts::TAU,
    step: 0.006135923151542565,
};
/// `velocity`: ±128 studs/s in 1/16 steps (13 bits a component).
pub const VELOCITY: Quantize = Quantize {
    min: -128.0,
    max: 128.0,
    step: 0.0625,
};

/// Animation state: six unit variants (3 tag bits in Skyrocket).
#[derive(
    NetCodec,
    Serialize,
    Deserialize,
    bitcode::Encode,
    bitcode::Decode,
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
)]
pub enum MoveState {
    Idle,
    Running,
    Jumping,
    Falling,
    Crouching,
    Dead,
}

const MOVE_STATES: [MoveState; 6] = [
    MoveState::Idle,
    MoveState::Running,
    MoveState::Jumping,
    MoveState::Falling,
    MoveState::Crouching,
    MoveState::Dead,
];

/// A plain 3-vector for the peers.
#[derive(
    Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Copy, Debug, PartialEq,
)]
pub struct Vec3 {
    pub x: f32,
    pub y: f32,
    pub z: f32,
}

/// One player, plain form.
#[derive(Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq)]
pub struct PlayerState {
    pub id: u16,
    pub position: Vec3,
    pub yaw: f32,
    pub health: u8,
    pub state: MoveState,
    pub flags: [bool; 4],
    pub velocity: Vec3,
}

/// The snapshot, plain form.
#[derive(Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub tick: u32,
    pub players: Vec<PlayerState>,
}

/// One player in the Skyrocket schema types: `PlayerState` of
/// `examples/arena/schema.rs` (the attributes must match the constants above).
#[derive(NetCodec, Clone, Debug, PartialEq)]
#[net(rename = "PlayerState")]
pub struct SkyPlayerState {
    pub id: u16,
    #[net(quantize(min = -2048.0, max = 2048.0, step = 0.015625))]
    pub position: Vector3,
    #[net(quantize(min = 0.0, max = 6.283185307179586, step = 0.006135923151542565))]
    pub yaw: f32,
    #[net(range = 0..=100)]
    pub health: u8,
    pub state: MoveState,
    pub flags: [bool; 4],
    #[net(quantize(min = -128.0, max = 128.0, step = 0.0625))]
    pub velocity: Vector3,
}

/// The snapshot in the Skyrocket schema types.
#[derive(NetCodec, Clone, Debug, PartialEq)]
#[net(rename = "Snapshot")]
pub struct SkySnapshot {
    pub tick: u32,
    #[net(max_len = 64)]
    pub players: Vec<SkyPlayerState>,
}

/// `message Vector3 { float x = 1; float y = 2; float z = 3; }`.
#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct Vector3Pb {
    #[prost(float, tag = "1")]
    pub x: f32,
    #[prost(float, tag = "2")]
    pub y: f32,
    #[prost(float, tag = "3")]
    pub z: f32,
}

/// `enum MoveState { IDLE = 0; ... }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum MoveStatePb {
    Idle = 0,
    Running = 1,
    Jumping = 2,
    Falling = 3,
    Crouching = 4,
    Dead = 5,
}

/// `message PlayerState { ... }`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PlayerStatePb {
    #[prost(uint32, tag = "1")]
    pub id: u32,
    #[prost(message, optional, tag = "2")]
    pub position: Option<Vector3Pb>,
    #[prost(float, tag = "3")]
    pub yaw: f32,
    #[prost(uint32, tag = "4")]
    pub health: u32,
    #[prost(enumeration = "MoveStatePb", tag = "5")]
    pub state: i32,
    #[prost(bool, repeated, tag = "6")]
    pub flags: Vec<bool>,
    #[prost(message, optional, tag = "7")]
    pub velocity: Option<Vector3Pb>,
}

/// `message Snapshot { uint32 tick = 1; repeated PlayerState players = 2; }`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct SnapshotPb {
    #[prost(uint32, tag = "1")]
    pub tick: u32,
    #[prost(message, repeated, tag = "2")]
    pub players: Vec<PlayerStatePb>,
}

/// A random value on the grid of `q`, as an `f32` that decodes back exactly.
fn on_grid(rng: &mut impl Rng, q: &Quantize) -> f32 {
    let level = rng.gen_range(0..q.levels());
    (q.min + level as f64 * q.step) as f32
}

fn vec3(rng: &mut impl Rng, q: &Quantize) -> Vec3 {
    Vec3 {
        x: on_grid(rng, q),
        y: on_grid(rng, q),
        z: on_grid(rng, q),
    }
}

fn to_vector3(v: Vec3) -> Vector3 {
    Vector3::new(v.x, v.y, v.z)
}

fn to_pb(v: Vec3) -> Vector3Pb {
    Vector3Pb {
        x: v.x,
        y: v.y,
        z: v.z,
    }
}

/// Bits of one player in the schema.
pub fn player_bits() -> u64 {
    u64::from(
        16 + 3 * POSITION.bits()
            + YAW.bits()
            + wire::range_bits(0, 100)
            + tag_bits(6)
            + 4
            + 3 * VELOCITY.bits(),
    )
}

/// The data set.
pub fn case() -> Case<Snapshot, SkySnapshot, SnapshotPb> {
    let mut rng = rng(3);
    let players: Vec<PlayerState> = (0..PLAYERS)
        .map(|i| PlayerState {
            id: i as u16,
            position: vec3(&mut rng, &POSITION),
            yaw: on_grid(&mut rng, &YAW),
            health: rng.gen_range(0..=100),
            state: MOVE_STATES[rng.gen_range(0..MOVE_STATES.len())],
            flags: rng.gen(),
            velocity: vec3(&mut rng, &VELOCITY),
        })
        .collect();
    let plain = Snapshot {
        tick: rng.gen(),
        players,
    };
    let sky = SkySnapshot {
        tick: plain.tick,
        players: plain
            .players
            .iter()
            .map(|p| SkyPlayerState {
                id: p.id,
                position: to_vector3(p.position),
                yaw: p.yaw,
                health: p.health,
                state: p.state,
                flags: p.flags,
                velocity: to_vector3(p.velocity),
            })
            .collect(),
    };
    let proto = SnapshotPb {
        tick: plain.tick,
        players: plain
            .players
            .iter()
            .map(|p| PlayerStatePb {
                id: p.id.into(),
                position: Some(to_pb(p.position)),
                yaw: p.yaw,
                health: p.health.into(),
                state: p.state as i32,
                flags: p.flags.to_vec(),
                velocity: Some(to_pb(p.velocity)),
            })
            .collect(),
    };
    Case {
        name: "arena",
        floor_bits: 32 + u64::from(length_bits(PLAYERS as u32)) + PLAYERS as u64 * player_bits(),
        plain,
        sky,
        proto,
    }
}

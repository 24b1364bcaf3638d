//! Workload 4a: the shape of rust_serialization_benchmark's `mk48` data set
//! (game updates of the mk48.io naval game), regenerated from a seed with the
//! same field types and similar distributions (the recorded data cannot be
//! downloaded here).
//!
//! The Skyrocket schema annotates what a schema author would: `varint` for
//! ids and scores, `max_len` on the short per-ship lists. Everything else is
//! the plain type's default encoding.

use super::{rng, varint_bits, Case};
use rand::distributions::WeightedIndex;
use rand::Rng;
use serde::{Deserialize, Serialize};
use skyrocket::schema::length_bits;
use skyrocket::NetCodec;

/// Updates in the data set (the original records 1000; 100 keeps it quick).
pub const UPDATES: usize = 100;
/// `max_len` of `Contact::reloads` (the most armed ship has 28).
pub const MAX_RELOADS: u32 = 32;
/// `max_len` of `Contact::turret_angles` (at most 4).
pub const MAX_TURRETS: u32 = 8;

/// Ship classes (10 variants: 4 tag bits).
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
pub enum EntityType {
    ArleighBurke,
    Bismarck,
    Clemenceau,
    Fletcher,
    G5,
    Iowa,
    Kolkata,
    Osa,
    Yasen,
    Zubr,
}

use EntityType::*;
const ENTITY_TYPES: [EntityType; 10] = [
    ArleighBurke,
    Bismarck,
    Clemenceau,
    Fletcher,
    G5,
    Iowa,
    Kolkata,
    Osa,
    Yasen,
    Zubr,
];

impl EntityType {
    /// How common the class is in the recorded games (relative weight).
    fn weight(self) -> f64 {
        [2.14, 0.52, 0.97, 1.46, 13.16, 1.55, 0.83, 7.25, 4.06, 12.92][self as usize]
    }
    fn turrets(self) -> usize {
        [1, 4, 4, 4, 0, 3, 1, 2, 0, 3][self as usize]
    }
    fn weapons(self) -> usize {
        [20, 10, 16, 18, 2, 28, 15, 6, 14, 11][self as usize]
    }
}

/// Position and motion of a ship.
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
)]
pub struct Transform {
    pub altitude: i8,
    pub angle: u16,
    pub position: (f32, f32),
    pub velocity: i16,
}

/// Where a ship steers.
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
)]
pub struct Guidance {
    pub angle: u16,
    pub submerge: bool,
    pub velocity: i16,
}

/// A ship seen by the player.
#[derive(
    NetCodec, Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq,
)]
pub struct Contact {
    pub damage: u8,
    #[net(varint)]
    pub entity_id: u32,
    pub entity_type: Option<EntityType>,
    pub guidance: Guidance,
    pub player_id: Option<u16>,
    #[net(max_len = 32)]
    pub reloads: Vec<bool>,
    pub transform: Transform,
    #[net(max_len = 8)]
    pub turret_angles: Vec<u16>,
}

/// Changed terrain: a chunk id and its (compressed) bytes.
#[derive(
    NetCodec, Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq,
)]
pub struct TerrainUpdate {
    pub chunk_id: (i8, i8),
    pub data: Vec<u8>,
}

/// One server tick as one player sees it.
#[derive(
    NetCodec, Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq,
)]
pub struct Update {
    pub contacts: Vec<Contact>,
    #[net(varint)]
    pub score: u32,
    pub world_radius: f32,
    pub terrain_updates: Vec<TerrainUpdate>,
}

/// The data set's root.
#[derive(
    NetCodec, Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq,
)]
pub struct Updates {
    pub updates: Vec<Update>,
}

// ---- prost forms (mk48.proto of the original benchmark) ----

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum EntityTypePb {
    ArleighBurke = 0,
    Bismarck = 1,
    Clemenceau = 2,
    Fletcher = 3,
    G5 = 4,
    Iowa = 5,
    Kolkata = 6,
    Osa = 7,
    Yasen = 8,
    Zubr = 9,
}

#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct Vector2fPb {
    #[prost(float, tag = "1")]
    pub x: f32,
    #[prost(float, tag = "2")]
    pub y: f32,
}

#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct TransformPb {
    #[prost(int32, tag = "1")]
    pub altitude: i32,
    #[prost(uint32, tag = "2")]
    pub angle: u32,
    #[prost(message, optional, tag = "3")]
    pub position: Option<Vector2fPb>,
    #[prost(int32, tag = "4")]
    pub velocity: i32,
}

#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct GuidancePb {
    #[prost(uint32, tag = "1")]
    pub angle: u32,
    #[prost(bool, tag = "2")]
    pub submerge: bool,
    #[prost(int32, tag = "3")]
    pub velocity: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ContactPb {
    #[prost(uint32, tag = "1")]
    pub damage: u32,
    #[prost(uint32, tag = "2")]
    pub entity_id: u32,
    #[prost(enumeration = "EntityTypePb", optional, tag = "3")]
    pub entity_type: Option<i32>,
    #[prost(message, optional, tag = "4")]
    pub guidance: Option<GuidancePb>,
    #[prost(uint32, optional, tag = "5")]
    pub player_id: Option<u32>,
    #[prost(bool, repeated, tag = "6")]
    pub reloads: Vec<bool>,
    #[prost(message, optional, tag = "7")]
    pub transform: Option<TransformPb>,
    #[prost(uint32, repeated, tag = "8")]
    pub turret_angles: Vec<u32>,
}

#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct ChunkIdPb {
    #[prost(int32, tag = "1")]
    pub x: i32,
    #[prost(int32, tag = "2")]
    pub y: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TerrainUpdatePb {
    #[prost(message, optional, tag = "1")]
    pub chunk_id: Option<ChunkIdPb>,
    #[prost(bytes = "vec", tag = "2")]
    pub data: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdatePb {
    #[prost(message, repeated, tag = "1")]
    pub contacts: Vec<ContactPb>,
    #[prost(uint32, tag = "2")]
    pub score: u32,
    #[prost(float, tag = "3")]
    pub world_radius: f32,
    #[prost(message, repeated, tag = "4")]
    pub terrain_updates: Vec<TerrainUpdatePb>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct UpdatesPb {
    #[prost(message, repeated, tag = "1")]
    pub updates: Vec<UpdatePb>,
}

fn to_pb(u: &Updates) -> UpdatesPb {
    UpdatesPb {
        updates: u
            .updates
            .iter()
            .map(|u| UpdatePb {
                contacts: u
                    .contacts
                    .iter()
                    .map(|c| ContactPb {
                        damage: c.damage.into(),
                        entity_id: c.entity_id,
                        entity_type: c.entity_type.map(|t| t as i32),
                        guidance: Some(GuidancePb {
                            angle: c.guidance.angle.into(),
                            submerge: c.guidance.submerge,
                            velocity: c.guidance.velocity.into(),
                        }),
                        player_id: c.player_id.map(u32::from),
                        reloads: c.reloads.clone(),
                        transform: Some(TransformPb {
                            altitude: c.transform.altitude.into(),
                            angle: c.transform.angle.into(),
                            position: Some(Vector2fPb {
                                x: c.transform.position.0,
                                y: c.transform.position.1,
                            }),
                            velocity: c.transform.velocity.into(),
                        }),
                        turret_angles: c.turret_angles.iter().map(|&a| a.into()).collect(),
                    })
                    .collect(),
                score: u.score,
                world_radius: u.world_radius,
                terrain_updates: u
                    .terrain_updates
                    .iter()
                    .map(|t| TerrainUpdatePb {
                        chunk_id: Some(ChunkIdPb {
                            x: t.chunk_id.0.into(),
                            y: t.chunk_id.1.into(),
                        }),
                        data: t.data.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

// ---- generation ----

fn velocity(rng: &mut impl Rng) -> i16 {
    match rng.gen_range(0..100) {
        0..80 => rng.gen_range(140..900),
        80..90 => 0,
        _ => rng.gen_range(-225..-35),
    }
}

fn contact(rng: &mut impl Rng, types: &WeightedIndex<f64>, players: u16) -> Contact {
    let entity_type = ENTITY_TYPES[rng.sample(types)];
    let visible = rng.gen_bool(0.7);
    let submerged = entity_type == Yasen && rng.gen_bool(0.9);
    let damage = if visible && rng.gen_bool(0.6) {
        0
    } else {
        rng.gen_range(0..200)
    };
    let reload_p = rng.gen_range(0.0..1.0);
    let reloads = if visible {
        (0..entity_type.weapons())
            .map(|_| rng.gen_bool(reload_p))
            .collect()
    } else {
        Vec::new()
    };
    let base: u16 = rng.gen();
    let turret_angles = if visible {
        (0..entity_type.turrets())
            .map(|_| {
                if rng.gen_bool(0.75) {
                    base.wrapping_add_signed(rng.gen_range(-200..200))
                } else {
                    rng.gen()
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Contact {
        damage,
        entity_id: rng.gen_range(0..u32::from(players) * 20),
        entity_type: visible.then_some(entity_type),
        guidance: Guidance {
            angle: rng.gen(),
            submerge: submerged,
            velocity: velocity(rng),
        },
        player_id: if visible {
            Some(rng.gen_range(0..players))
        } else {
            None
        },
        reloads,
        transform: Transform {
            altitude: if submerged {
                rng.gen_range(-120..-35)
            } else {
                0
            },
            angle: rng.gen(),
            position: (rng.gen_range(-750.0..750.0), rng.gen_range(-750.0..750.0)),
            velocity: velocity(rng),
        },
        turret_angles,
    }
}

fn update(rng: &mut impl Rng, types: &WeightedIndex<f64>) -> Update {
    let players: u16 = rng.gen_range(200..400);
    let world_radius = (f32::from(players) * 15000.0).sqrt() + rng.gen_range(-50.0..50.0);
    let terrain_radius = (world_radius / 1600.0).ceil() as i8;
    let contacts = (0..rng.gen_range(20..40))
        .map(|_| contact(rng, types, players))
        .collect();
    let score = (rng.gen::<f32>().powi(4) * 5000.0) as u32 + rng.gen_range(0..50);
    let terrain_updates = (0..rng.gen_range(3..10))
        .map(|_| {
            let len = if rng.gen_bool(0.02) {
                rng.gen_range(900..1100)
            } else {
                rng.gen_range(3..9)
            };
            TerrainUpdate {
                chunk_id: (
                    rng.gen_range(-terrain_radius..terrain_radius),
                    rng.gen_range(-terrain_radius..terrain_radius),
                ),
                data: (0..len).map(|_| rng.gen()).collect(),
            }
        })
        .collect();
    Update {
        contacts,
        score,
        world_radius,
        terrain_updates,
    }
}

/// Skyrocket's bits for `u`: the sum of the schema's field widths.
pub fn floor_bits(u: &Updates) -> u64 {
    let len_bits = |n: usize| varint_bits(n as u64);
    let contact = |c: &Contact| {
        8 + varint_bits(c.entity_id.into())
            + 1
            + if c.entity_type.is_some() { 4 } else { 0 }
            + (16 + 1 + 16)
            + 1
            + if c.player_id.is_some() { 16 } else { 0 }
            + u64::from(length_bits(MAX_RELOADS))
            + c.reloads.len() as u64
            + (8 + 16 + 64 + 16)
            + u64::from(length_bits(MAX_TURRETS))
            + 16 * c.turret_angles.len() as u64
    };
    let terrain = |t: &TerrainUpdate| 16 + len_bits(t.data.len()) + 8 * t.data.len() as u64;
    len_bits(u.updates.len())
        + u.updates
            .iter()
            .map(|u| {
                len_bits(u.contacts.len())
                    + u.contacts.iter().map(contact).sum::<u64>()
                    + varint_bits(u.score.into())
                    + 32
                    + len_bits(u.terrain_updates.len())
                    + u.terrain_updates.iter().map(terrain).sum::<u64>()
            })
            .sum::<u64>()
}

/// The data set.
pub fn case() -> Case<Updates, Updates, UpdatesPb> {
    let mut rng = rng(4);
    let types = WeightedIndex::new(ENTITY_TYPES.map(EntityType::weight)).expect("weights");
    let plain = Updates {
        updates: (0..UPDATES).map(|_| update(&mut rng, &types)).collect(),
    };
    Case {
        name: "mk48",
        floor_bits: floor_bits(&plain),
        proto: to_pb(&plain),
        sky: plain.clone(),
        plain,
    }
}

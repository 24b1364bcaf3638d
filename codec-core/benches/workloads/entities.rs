//! Workload 1: 100 entities of six `u8` fields, the data set Roblox
//! networking libraries publish benchmarks for.

use super::{rng, varint_bits, Case};
use rand::Rng;
use serde::{Deserialize, Serialize};
use skyrocket::NetCodec;

/// Entity count.
pub const COUNT: usize = 100;

/// One entity; the same type serves every format (all fields are plain `u8`).
#[derive(
    NetCodec, Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq,
)]
pub struct Entity {
    pub id: u8,
    pub x: u8,
    pub y: u8,
    pub z: u8,
    pub orientation: u8,
    pub animation: u8,
}

/// The prost form: `message Entity { uint32 id = 1; ... }`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EntityPb {
    #[prost(uint32, tag = "1")]
    pub id: u32,
    #[prost(uint32, tag = "2")]
    pub x: u32,
    #[prost(uint32, tag = "3")]
    pub y: u32,
    #[prost(uint32, tag = "4")]
    pub z: u32,
    #[prost(uint32, tag = "5")]
    pub orientation: u32,
    #[prost(uint32, tag = "6")]
    pub animation: u32,
}

/// `message Entities { repeated Entity entities = 1; }`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct EntitiesPb {
    #[prost(message, repeated, tag = "1")]
    pub entities: Vec<EntityPb>,
}

/// The data set: `Vec<Entity>` (length as a varint, no `max_len`).
pub fn case() -> Case<Vec<Entity>, Vec<Entity>, EntitiesPb> {
    let mut rng = rng(1);
    let plain: Vec<Entity> = (0..COUNT)
        .map(|_| Entity {
            id: rng.gen(),
            x: rng.gen(),
            y: rng.gen(),
            z: rng.gen(),
            orientation: rng.gen(),
            animation: rng.gen(),
        })
        .collect();
    let proto = EntitiesPb {
        entities: plain
            .iter()
            .map(|e| EntityPb {
                id: e.id.into(),
                x: e.x.into(),
                y: e.y.into(),
                z: e.z.into(),
                orientation: e.orientation.into(),
                animation: e.animation.into(),
            })
            .collect(),
    };
    Case {
        name: "entities",
        floor_bits: varint_bits(COUNT as u64) + COUNT as u64 * 6 * 8,
        sky: plain.clone(),
        plain,
        proto,
    }
}

//! Workload 1: 100 entities of six `u8` fields, the data set Roblox
//! networking libraries publish benchmarks for.

use super::{rng, varint_bits, Case};
use rand::Rng;
use serde::{Deserialize, Serialize};
use skyrocket::schema::{Schema, Ty};
use skyrocket::{DecodeError, Decoder, EncodeError, Encoder, NetCodec};

/// Entity count.
pub const COUNT: usize = 100;

/// One entity; the same type serves every format (all fields are plain `u8`).
#[derive(Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq)]
pub struct Entity {
    pub id: u8,
    pub x: u8,
    pub y: u8,
    pub z: u8,
    pub orientation: u8,
    pub animation: u8,
}

// Hand-written as the derive would write it (spec section 4): the fields in
// order, each a `u8` in the byte section.
impl NetCodec for Entity {
    #[inline]
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_u8(self.id);
        enc.write_u8(self.x);
        enc.write_u8(self.y);
        enc.write_u8(self.z);
        enc.write_u8(self.orientation);
        enc.write_u8(self.animation);
        Ok(())
    }

    #[inline]
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.enter(64)?;
        let value = Entity {
            id: dec.read_u8().map_err(|e| e.in_field("id"))?,
            x: dec.read_u8().map_err(|e| e.in_field("x"))?,
            y: dec.read_u8().map_err(|e| e.in_field("y"))?,
            z: dec.read_u8().map_err(|e| e.in_field("z"))?,
            orientation: dec.read_u8().map_err(|e| e.in_field("orientation"))?,
            animation: dec.read_u8().map_err(|e| e.in_field("animation"))?,
        };
        dec.leave();
        Ok(value)
    }

    fn describe(_: &mut Schema) -> Ty {
        Ty::Named("Entity".into())
    }
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

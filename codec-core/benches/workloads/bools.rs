//! Workload 2: 1000 booleans in a `Vec<bool>`.

use super::{rng, varint_bits, Case};
use rand::Rng;

/// Element count.
pub const COUNT: usize = 1000;

/// `message Bools { repeated bool values = 1; }` (packed, as proto3 does).
#[derive(Clone, PartialEq, prost::Message)]
pub struct BoolsPb {
    #[prost(bool, repeated, tag = "1")]
    pub values: Vec<bool>,
}

/// The data set: `Vec<bool>` everywhere (Skyrocket: varint length, 1 bit each).
pub fn case() -> Case<Vec<bool>, Vec<bool>, BoolsPb> {
    let mut rng = rng(2);
    let plain: Vec<bool> = (0..COUNT).map(|_| rng.gen()).collect();
    Case {
        name: "bools",
        floor_bits: varint_bits(COUNT as u64) + COUNT as u64,
        sky: plain.clone(),
        proto: BoolsPb {
            values: plain.clone(),
        },
        plain,
    }
}

//! Workloads shared by the peer benchmark: each module generates one data set
//! (seeded, so every run and every format sees the same values) in the
//! representations the formats need, and the Skyrocket bit-count floor of it.

pub mod arena;
pub mod bools;
pub mod entities;
pub mod log;
pub mod mk48;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::de::DeserializeOwned;
use serde::Serialize;
use skyrocket::NetCodec;
use std::fmt::Debug;

/// The deterministic generator every workload uses.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Bits of an unsigned varint (spec 2.2): 8 per 7-bit group.
pub fn varint_bits(v: u64) -> u64 {
    let significant = 64 - u64::from(v.leading_zeros());
    8 * significant.div_ceil(7).max(1)
}

/// One workload, in the representation each format uses.
pub struct Case<P, S, M> {
    /// Name used in benchmark ids and tables.
    pub name: &'static str,
    /// Plain Rust data for bitcode and the serde formats.
    pub plain: P,
    /// The same data in its Skyrocket schema types.
    pub sky: S,
    /// The same data as prost messages.
    pub proto: M,
    /// Skyrocket's floor for this data: the sum of the schema's field widths.
    pub floor_bits: u64,
}

/// What the benchmark needs from a workload's types.
pub trait Plain:
    Serialize + DeserializeOwned + bitcode::Encode + bitcode::DecodeOwned + PartialEq + Debug
{
}
impl<T> Plain for T where
    T: Serialize + DeserializeOwned + bitcode::Encode + bitcode::DecodeOwned + PartialEq + Debug
{
}

/// What the benchmark needs from a workload's Skyrocket type.
pub trait Sky: NetCodec + PartialEq + Debug {}
impl<T: NetCodec + PartialEq + Debug> Sky for T {}

/// What the benchmark needs from a workload's prost type.
pub trait Proto: prost::Message + Default + PartialEq {}
impl<T: prost::Message + Default + PartialEq> Proto for T {}

/// The formats compared, in table order.
pub const FORMATS: [&str; 6] = [
    "skyrocket",
    "bitcode",
    "postcard",
    "rmp-serde",
    "prost",
    "serde_json",
];

/// Encodes `case` with format number `format` (an index into [`FORMATS`]).
pub fn encode<P: Plain, S: Sky, M: Proto>(case: &Case<P, S, M>, format: usize) -> Vec<u8> {
    match format {
        0 => case.sky.to_bytes().expect("skyrocket encode"),
        1 => bitcode::encode(&case.plain),
        2 => postcard::to_allocvec(&case.plain).expect("postcard encode"),
        3 => rmp_serde::to_vec(&case.plain).expect("rmp-serde encode"),
        4 => case.proto.encode_to_vec(),
        5 => serde_json::to_vec(&case.plain).expect("serde_json encode"),
        _ => unreachable!(),
    }
}

/// Decodes `bytes` with format number `format` and checks the value matches.
pub fn check_roundtrip<P: Plain, S: Sky, M: Proto>(case: &Case<P, S, M>, format: usize) {
    let bytes = encode(case, format);
    let ok = match format {
        0 => S::from_bytes(&bytes).expect("skyrocket decode") == case.sky,
        1 => bitcode::decode::<P>(&bytes).expect("bitcode decode") == case.plain,
        2 => postcard::from_bytes::<P>(&bytes).expect("postcard decode") == case.plain,
        3 => rmp_serde::from_slice::<P>(&bytes).expect("rmp-serde decode") == case.plain,
        4 => M::decode(&bytes[..]).expect("prost decode") == case.proto,
        5 => serde_json::from_slice::<P>(&bytes).expect("serde_json decode") == case.plain,
        _ => unreachable!(),
    };
    assert!(
        ok,
        "{}: {} round trip changed the value",
        case.name, FORMATS[format]
    );
}

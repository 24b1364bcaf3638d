//! Workloads of the Luau codec benchmark (`luau-bench`).

use skyrocket::NetCodec;

/// One entity of the Entities workload: six byte-wide fields.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct Entity {
    /// Entity id.
    pub id: u8,
    /// Position X.
    pub x: u8,
    /// Position Y.
    pub y: u8,
    /// Position Z.
    pub z: u8,
    /// Facing.
    pub orientation: u8,
    /// Animation id.
    pub animation: u8,
}

/// Workload 1: 100 entities.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct Entities {
    /// The entities.
    #[net(max_len = 100)]
    pub entities: Vec<Entity>,
}

/// Workload 2: 1000 booleans.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct Booleans {
    /// The flags.
    #[net(max_len = 1000)]
    pub flags: Vec<bool>,
}

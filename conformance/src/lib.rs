//! Skyrocket's cross-language conformance suite: the generated Luau codecs
//! run in an embedded, sandboxed Luau VM and must agree byte for byte with
//! the Rust side, on checked-in vectors, on random values, on every type of
//! `conformance/schemas/`, and on hostile input.

#![warn(missing_docs)]

pub mod budget;
pub mod clock;
pub mod formats;
pub mod json;
pub mod luau;
pub mod random;

/// The conformance schemas, as `skyrocket gen` reads them.
pub mod schemas {
    /// Every feature of the wire format (`conformance/schemas/features.rs`).
    pub const FEATURES: &str = include_str!("../schemas/features.rs");
    /// The example game's schema (`examples/arena/schema.rs`).
    pub const ARENA: &str = include_str!("../../examples/arena/schema.rs");
    /// Runs of bools at every starting bit offset and of every length
    /// around the 32-bool words the Luau codecs pack and read at once.
    /// Checked against the schema-driven Rust codec only (no derive).
    pub const BOOL_RUNS: &str = r#"
/// A bool run after a variable number of bits.
#[derive(NetCodec)]
pub struct BoolRuns {
    /// 3 length bits and 0-7 bools: every offset of what follows.
    #[net(max_len = 7)]
    pub lead: Vec<bool>,
    #[net(max_len = 300)]
    pub run: Vec<bool>,
    pub fixed: [bool; 40],
    pub rows: Vec<Vec<bool>>,
}
"#;
}
pub mod vectors;
pub mod workloads;

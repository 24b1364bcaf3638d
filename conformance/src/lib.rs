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
}
pub mod vectors;
pub mod workloads;

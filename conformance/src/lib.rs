//! Skyrocket's cross-language conformance suite: the generated Luau codecs
//! run in an embedded, sandboxed Luau VM and must agree byte for byte with
//! the Rust side, on checked-in vectors, on random values, on every type of
//! `conformance/schemas/`, and on hostile input.

pub mod json;
pub mod random;

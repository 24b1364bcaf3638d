//! The Skyrocket schema: one intermediate representation ([`ir`]) of the
//! types in a `schema.rs`, the parser that builds it from Rust source
//! (shared by `#[derive(NetCodec)]` and `skyrocket gen`), and the analyses
//! every backend needs (encoded size bounds).

pub mod ir;

pub use ir::*;

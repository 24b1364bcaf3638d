//! The Skyrocket schema: one intermediate representation ([`ir`]) of the
//! types in a `schema.rs`, the parser that builds it from Rust source
//! (shared by `#[derive(NetCodec)]` and `skyrocket gen`), and the analyses
//! every backend needs (encoded size bounds).

#![warn(missing_docs)]

pub mod error;
pub mod ir;
#[cfg(feature = "parse")]
pub mod parse;
pub mod protocol;
pub mod size;
pub mod validate;

pub use error::SchemaError;
pub use ir::*;
#[cfg(feature = "parse")]
pub use parse::{parse_derive_input, parse_file, parse_file_with_protocol, parse_protocol};
pub use protocol::{validate_protocol, Protocol};
pub use size::{can_be_zero_bits, size_of, type_size, SizeBounds, Sizes};
pub use validate::validate;

//! # Skyrocket
//!
//! A bit-packed wire format for Roblox networking. Describe messages as Rust
//! types, derive [`NetCodec`], and get encoders and decoders that produce the
//! same bytes as the Luau codecs `skyrocket gen` writes from the same file.
//!
//! ```
//! use skyrocket::NetCodec;
//!
//! #[derive(NetCodec, Debug, PartialEq)]
//! struct Hit {
//!     #[net(range = 0..=100)]
//!     damage: u8,
//!     critical: bool,
//! }
//!
//! let bytes = Hit { damage: 42, critical: true }.to_bytes().unwrap();
//! assert_eq!(bytes.len(), 1); // 7 bits of damage + 1 bit of critical
//! assert_eq!(Hit::from_bytes(&bytes).unwrap(), Hit { damage: 42, critical: true });
//! ```
//!
//! The format is specified in `docs/wire-format.md`.

#![warn(missing_docs)]

pub mod codec;
pub mod dynamic;
pub mod error;
pub mod roblox;
pub mod wire;

pub use codec::{MapKey, NetCodec, SizeHint};
pub use error::{
    DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, FieldPath, PathSegment,
};
/// `#[derive(NetCodec)]`: the derive macro (same name as the trait, like serde).
pub use skyrocket_derive::{protocol, NetCodec};
pub use wire::{Decoder, Encoder};

/// The schema IR, re-exported for derived code and tools.
pub use skyrocket_schema as schema;

/// The README's Rust example, compiled and run as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

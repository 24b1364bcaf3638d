//! JSON in the canonical form of docs/formats.md ("JSON"): the Rust encoder
//! and the Luau encoder (`Formats/Json.luau`) write the same bytes; the
//! decoders accept any JSON text that fits the schema (whitespace, key
//! order, escapes, number notations for floats, unknown keys) and reject the
//! rest naming the field path and byte offset.
//!
//! The decoder is a schema-driven parser rather than serde_json, so it knows
//! both the path and the byte offset of every failure, refuses a wrong
//! value as soon as it starts, and bounds its recursion by the schema's
//! `max_depth` (unknown values by [`SKIP_DEPTH`]).

mod base64;
mod decode;
mod encode;
mod number;

pub use decode::SKIP_DEPTH;

use crate::{Codec, Encoded, FormatError};
use skyrocket::dynamic::Value;
use skyrocket::roblox::Instance;
use skyrocket_schema::ir::{Schema, Ty};

/// The JSON codec, registered as `"json"`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Codec for Json {
    fn name(&self) -> &str {
        "json"
    }

    fn encode(&self, schema: &Schema, ty: &Ty, value: &Value) -> Result<Encoded, FormatError> {
        let mut enc = encode::Encoder::new(schema);
        enc.value(ty, value)
            .map_err(|e| e.encode_error(self.name()))?;
        Ok(Encoded {
            bytes: enc.out,
            instances: enc.instances,
        })
    }

    fn decode(
        &self,
        schema: &Schema,
        ty: &Ty,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Value, FormatError> {
        decode::Parser::new(schema, bytes, instances)
            .document(ty)
            .map_err(|e| e.decode_error(self.name()))
    }
}

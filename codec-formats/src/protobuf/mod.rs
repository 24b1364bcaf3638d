//! Protobuf (proto3), wire-compatible with prost: the schema maps to the
//! messages `skyrocket gen --proto` declares (docs/formats.md, "Protobuf"),
//! and the encoder writes exactly the bytes prost writes for them.

mod decode;
mod encode;
mod path;
pub(crate) mod shape;

use crate::{Codec, Encoded, FormatError};
use skyrocket::dynamic::Value;
use skyrocket::roblox::Instance;
use skyrocket_schema::ir::{Schema, Ty};

/// The Protobuf codec, registered as `"protobuf"`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Protobuf;

const NAME: &str = "protobuf";

impl Codec for Protobuf {
    fn name(&self) -> &str {
        NAME
    }

    fn encode(&self, schema: &Schema, ty: &Ty, value: &Value) -> Result<Encoded, FormatError> {
        let mut enc = encode::Enc::new(schema);
        enc.root(ty, value)
            .map_err(|f| FormatError::encode(NAME, f.path(), f.message))?;
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
        decode::Dec::new(schema, bytes, instances)
            .root(ty)
            .map_err(|f| FormatError::decode(NAME, f.path(), f.offset, f.message))
    }
}

//! MessagePack with the smallest-representation rules of docs/formats.md
//! ("MessagePack"): the Rust encoder (on `rmp`'s writers, which choose the
//! smallest form by value and length) and the Luau encoder
//! (`Formats/MsgPack.luau`) write the same bytes. The decoder accepts any
//! width of every family (an `uint32` holding 5 is still 5), any key order
//! and unknown keys, and rejects the rest naming the field path and byte
//! offset.

mod decode;
mod encode;

use crate::{Codec, Encoded, FormatError};
use skyrocket::dynamic::Value;
use skyrocket::roblox::Instance;
use skyrocket_schema::ir::{Schema, Ty};

/// The MessagePack codec, registered as `"msgpack"`.
#[derive(Debug, Clone, Copy, Default)]
pub struct MsgPack;

impl Codec for MsgPack {
    fn name(&self) -> &str {
        "msgpack"
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
        decode::Reader::new(schema, bytes, instances)
            .document(ty)
            .map_err(|e| e.decode_error(self.name()))
    }
}

//! Pluggable codecs for Skyrocket schemas, identical in Rust and Luau.
//!
//! A [`Codec`] turns a schema value ([`Value`]) of a schema type into bytes
//! and back. The bit-packed wire format ([`BitPacked`]) is the default; the
//! other formats carry the same values in self-describing or
//! interoperable encodings. The Luau runtime (`Formats/`, shipped by
//! `skyrocket gen`) implements each codec with the same bytes; the rules
//! that make both sides agree are in `docs/formats.md`.
//!
//! Every codec validates what the bit-packed encoder would: integer ranges,
//! length caps, fixed lengths, variant tags, UTF-8 (floats are never
//! range-checked: the bit-packed encoder clamps quantized values). A format
//! carries a value at its field's Rust type (an `f32` field as a binary32);
//! quantization and half precision are bit-packed encodings only.
//!
//! Typed Rust values go through [`encode_typed`] / [`decode_typed`].
//! Compression is a separate layer: [`compress`]; encryption another:
//! [`envelope`] (ChaCha20-Poly1305 with a replay window).

#![warn(missing_docs)]

mod common;
pub mod compress;
pub mod envelope;
mod error;
pub mod json;
pub mod msgpack;
pub mod protobuf;
mod registry;

pub use error::FormatError;
pub use json::Json;
pub use msgpack::MsgPack;
pub use protobuf::Protobuf;
pub use registry::Registry;

use skyrocket::dynamic::{self, Value};
use skyrocket::roblox::Instance;
use skyrocket::NetCodec;
use skyrocket_schema::ir::{Schema, Ty};

/// An encoded message: the bytes and the instance references carried beside
/// them (spec 5.2), in encounter order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encoded {
    /// The payload.
    pub bytes: Vec<u8>,
    /// Instance side table.
    pub instances: Vec<Instance>,
}

/// One wire format for schema values. Implementations must be pure: the same
/// value gives the same bytes, and decoding never panics on any input.
pub trait Codec: Send + Sync {
    /// The name the codec is registered under (`"skyrocket"`, `"json"` ...),
    /// the same as the Luau codec's `name`.
    fn name(&self) -> &str;

    /// Encodes `value` of type `ty` (usually [`Ty::Named`]) of `schema`.
    fn encode(&self, schema: &Schema, ty: &Ty, value: &Value) -> Result<Encoded, FormatError>;

    /// Decodes one whole message of type `ty` from `bytes`, resolving
    /// instance references in `instances`.
    fn decode(
        &self,
        schema: &Schema,
        ty: &Ty,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Value, FormatError>;
}

/// The bit-packed Skyrocket wire format (docs/wire-format.md), the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct BitPacked;

impl Codec for BitPacked {
    fn name(&self) -> &str {
        "skyrocket"
    }

    fn encode(&self, schema: &Schema, ty: &Ty, value: &Value) -> Result<Encoded, FormatError> {
        let (bytes, instances) = dynamic::to_bytes(schema, ty, value)
            .map_err(|e| FormatError::encode(self.name(), e.path().to_string(), e.to_string()))?;
        Ok(Encoded { bytes, instances })
    }

    fn decode(
        &self,
        schema: &Schema,
        ty: &Ty,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Value, FormatError> {
        dynamic::from_bytes(schema, ty, bytes, instances).map_err(|e| {
            FormatError::decode(
                self.name(),
                e.path().to_string(),
                Some(e.byte_offset()),
                e.to_string(),
            )
        })
    }
}

/// Encodes a typed value with `codec`: the value is converted to its schema
/// [`Value`] first (through the bit-packed form, which the derive already
/// provides), so every format works for every `#[derive(NetCodec)]` type.
pub fn encode_typed<T: NetCodec>(codec: &dyn Codec, value: &T) -> Result<Encoded, FormatError> {
    let (schema, ty) = T::schema();
    let mut enc = skyrocket::Encoder::new();
    value
        .encode(&mut enc)
        .map_err(|e| FormatError::encode("skyrocket", e.path().to_string(), e.to_string()))?;
    let (bytes, instances) = enc.finish_with_instances();
    if codec.name() == BitPacked.name() {
        return Ok(Encoded { bytes, instances });
    }
    let as_value = dynamic::from_bytes(&schema, &ty, &bytes, &instances)
        .map_err(|e| FormatError::encode("skyrocket", e.path().to_string(), e.to_string()))?;
    codec.encode(&schema, &ty, &as_value)
}

/// Decodes a typed value with `codec` (the inverse of [`encode_typed`]).
pub fn decode_typed<T: NetCodec>(
    codec: &dyn Codec,
    bytes: &[u8],
    instances: &[Instance],
) -> Result<T, FormatError> {
    let (schema, ty) = T::schema();
    let value = codec.decode(&schema, &ty, bytes, instances)?;
    let packed = BitPacked.encode(&schema, &ty, &value)?;
    let mut dec = skyrocket::Decoder::with_instances(&packed.bytes, &packed.instances);
    let typed = T::decode(&mut dec).and_then(|v| dec.finish().map(|()| v));
    typed.map_err(|e| FormatError::decode(codec.name(), e.path().to_string(), None, e.to_string()))
}

/// The payload of one runtime message of a remote declared with
/// `codec = "..."` (and `compress`): `codec`'s bytes, framed by
/// `compression` when given. The Luau transport runtime (`Net/Format.luau`)
/// writes the same bytes inside its batch messages.
pub fn encode_payload(
    registry: &Registry,
    codec: &str,
    compression: Option<&compress::Compression>,
    schema: &Schema,
    ty: &Ty,
    value: &Value,
) -> Result<Encoded, FormatError> {
    let c = registry
        .get(codec)
        .ok_or_else(|| FormatError::encode(codec, "", format!("no codec named `{codec}`")))?;
    let mut encoded = c.encode(schema, ty, value)?;
    if let Some(compression) = compression {
        encoded.bytes = compression.pack(&encoded.bytes)?;
    }
    Ok(encoded)
}

/// The inverse of [`encode_payload`]: unframes (refusing a declared size
/// over `compression.max_decompressed` before decompressing), then decodes.
pub fn decode_payload(
    registry: &Registry,
    codec: &str,
    compression: Option<&compress::Compression>,
    schema: &Schema,
    ty: &Ty,
    bytes: &[u8],
    instances: &[Instance],
) -> Result<Value, FormatError> {
    let c = registry
        .get(codec)
        .ok_or_else(|| FormatError::decode(codec, "", None, format!("no codec named `{codec}`")))?;
    match compression {
        Some(compression) => c.decode(schema, ty, &compression.unpack(bytes)?, instances),
        None => c.decode(schema, ty, bytes, instances),
    }
}

//! Schema-driven encoding of dynamic values: encode and decode any schema
//! type from its IR alone, without the Rust type. Tools use it (inspecting
//! recorded traffic, the CLI), and the conformance suite uses it as the
//! reference the derive and the generated Luau are compared with.

use crate::error::{DecodeError, DecodeErrorKind as K, EncodeError, EncodeErrorKind};
use crate::roblox::{self, CFrame, Color3, EnumItem, Instance, Vector2, Vector3};
use crate::wire::{self, Decoder, Encoder};
use skyrocket_schema::{
    Fields, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Schema, Ty, TypeKind,
};
use std::cmp::Ordering;

/// A value of some schema type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `()`
    Unit,
    /// `bool`
    Bool(bool),
    /// Any integer.
    Int(i128),
    /// Any float (an `f32` field holds an `f32`-representable value).
    Float(f64),
    /// `String`
    String(String),
    /// `Vec<u8>` or `[u8; N]`
    Bytes(Vec<u8>),
    /// `Option<T>`
    Option(Option<Box<Value>>),
    /// `Vec<T>`, `[T; N]`, tuples and sets (sets in ascending key order).
    List(Vec<Value>),
    /// Maps, entries in ascending key order.
    Map(Vec<(Value, Value)>),
    /// A struct's encoded fields in declaration order (skipped fields left out).
    Struct(Vec<Value>),
    /// An enum variant by index, with its encoded fields.
    Enum(u32, Vec<Value>),
    /// `Vector3`
    Vector3(Vector3),
    /// `Vector2`
    Vector2(Vector2),
    /// `CFrame`
    CFrame(CFrame),
    /// `Color3`
    Color3(Color3),
    /// `UDim`
    UDim(roblox::UDim),
    /// `UDim2`
    UDim2(roblox::UDim2),
    /// `DateTime`
    DateTime(roblox::DateTime),
    /// A Roblox enum item.
    EnumItem(EnumItem),
    /// An instance reference.
    Instance(Instance),
}

/// A value that does not match its schema type.
fn mismatch(ty: &Ty) -> EncodeError {
    EncodeError::new(EncodeErrorKind::TypeMismatch {
        expected: format!("{ty:?}"),
    })
}

/// Total order on map keys, as the spec defines it (integers numerically,
/// `false < true`, strings bytewise).
pub fn key_order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::String(x), Value::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => Ordering::Equal,
    }
}

/// Encodes `value` as `ty` of `schema`.
pub fn encode(
    schema: &Schema,
    ty: &Ty,
    value: &Value,
    enc: &mut Encoder,
) -> Result<(), EncodeError> {
    match (ty, value) {
        (Ty::Unit, Value::Unit) => Ok(()),
        (Ty::Bool, Value::Bool(b)) => {
            enc.write_bool(*b);
            Ok(())
        }
        (Ty::Int(kind, encoding), Value::Int(v)) => encode_int(enc, *kind, *encoding, *v),
        (Ty::Float(kind, encoding), Value::Float(v)) => {
            encode_float(enc, *kind, encoding, *v);
            Ok(())
        }
        (Ty::String { max_len }, Value::String(s)) => wire::write_str(enc, s, *max_len),
        (Ty::Bytes { max_len }, Value::Bytes(b)) => wire::write_byte_string(enc, b, *max_len),
        (Ty::ByteArray(n), Value::Bytes(b)) if b.len() == *n as usize => {
            enc.write_bytes(b);
            Ok(())
        }
        (Ty::Option(inner), Value::Option(v)) => {
            enc.write_bool(v.is_some());
            match v {
                Some(v) => encode(schema, inner, v, enc),
                None => Ok(()),
            }
        }
        (Ty::Boxed(inner), v) => encode(schema, inner, v, enc),
        (Ty::List { elem, max_len }, Value::List(items))
        | (Ty::Set { elem, max_len, .. }, Value::List(items)) => {
            wire::write_len(enc, items.len(), *max_len)?;
            encode_items(schema, items.iter().map(|v| (&**elem, v)), enc)
        }
        (Ty::Array { elem, len }, Value::List(items)) if items.len() == *len as usize => {
            encode_items(schema, items.iter().map(|v| (&**elem, v)), enc)
        }
        (Ty::Tuple(tys), Value::List(items)) if items.len() == tys.len() => {
            encode_items(schema, tys.iter().zip(items), enc)
        }
        (
            Ty::Map {
                key,
                value: vty,
                max_len,
                ..
            },
            Value::Map(entries),
        ) => {
            wire::write_len(enc, entries.len(), *max_len)?;
            for (i, (k, v)) in entries.iter().enumerate() {
                encode(schema, key, k, enc).map_err(|e| e.in_key().in_index(i))?;
                encode(schema, vty, v, enc).map_err(|e| e.in_index(i))?;
            }
            Ok(())
        }
        (Ty::Roblox(r), v) => encode_roblox(enc, r, v).ok_or_else(|| mismatch(ty)),
        (Ty::Named(name), v) => encode_named(schema, name, v, enc),
        _ => Err(mismatch(ty)),
    }
}

fn encode_items<'a>(
    schema: &Schema,
    items: impl Iterator<Item = (&'a Ty, &'a Value)>,
    enc: &mut Encoder,
) -> Result<(), EncodeError> {
    for (i, (ty, v)) in items.enumerate() {
        encode(schema, ty, v, enc).map_err(|e| e.in_index(i))?;
    }
    Ok(())
}

fn encode_int(
    enc: &mut Encoder,
    kind: IntTy,
    encoding: IntEncoding,
    v: i128,
) -> Result<(), EncodeError> {
    let (lo, hi) = match encoding {
        IntEncoding::Range { lo, hi } => (lo, hi),
        _ => (kind.min_value(), kind.max_value()),
    };
    if v < lo || v > hi {
        return Err(EncodeError::new(EncodeErrorKind::OutOfRange {
            value: v,
            lo,
            hi,
        }));
    }
    match encoding {
        IntEncoding::Fixed => {
            enc.write_le(v as u64, (kind.bits() / 8) as usize);
            Ok(())
        }
        IntEncoding::Range { lo, hi } => wire::write_range(enc, v, lo, hi),
        IntEncoding::Varint => {
            if kind.signed() {
                enc.write_signed_varint(v as i64);
            } else {
                enc.write_varint(v as u64);
            }
            Ok(())
        }
    }
}

fn encode_float(enc: &mut Encoder, kind: FloatTy, encoding: &FloatEncoding, v: f64) {
    match (encoding, kind) {
        (FloatEncoding::Full, FloatTy::F32) => enc.write_f32(v as f32),
        (FloatEncoding::Full, FloatTy::F64) => enc.write_f64(v),
        (FloatEncoding::Half, _) => wire::write_half(enc, v),
        (FloatEncoding::Quantized(q), _) => wire::write_quantized(enc, v, q),
    }
}

fn encode_roblox(enc: &mut Encoder, ty: &RobloxTy, value: &Value) -> Option<()> {
    match (ty, value) {
        (RobloxTy::Vector3(e), Value::Vector3(v)) => roblox::write_vector3(enc, v, e),
        (RobloxTy::Vector2(e), Value::Vector2(v)) => roblox::write_vector2(enc, v, e),
        (RobloxTy::CFrame { lossless }, Value::CFrame(v)) => {
            roblox::write_cframe(enc, v, *lossless)
        }
        (RobloxTy::Color3 { lossless }, Value::Color3(v)) => {
            roblox::write_color3(enc, v, *lossless)
        }
        (RobloxTy::UDim, Value::UDim(v)) => write_udim(enc, v),
        (RobloxTy::UDim2, Value::UDim2(v)) => {
            write_udim(enc, &v.x);
            write_udim(enc, &v.y);
        }
        (RobloxTy::DateTime, Value::DateTime(v)) => enc.write_u64(v.unix_millis as u64),
        (RobloxTy::EnumItem { .. }, Value::EnumItem(v)) => roblox::write_enum_item(enc, v),
        (RobloxTy::Instance, Value::Instance(v)) => enc.push_instance(*v),
        _ => return None,
    }
    Some(())
}

fn write_udim(enc: &mut Encoder, v: &roblox::UDim) {
    enc.write_f32(v.scale);
    enc.write_u32(v.offset as u32);
}

fn encode_named(
    schema: &Schema,
    name: &str,
    value: &Value,
    enc: &mut Encoder,
) -> Result<(), EncodeError> {
    let def = schema
        .get(name)
        .ok_or_else(|| EncodeError::new(EncodeErrorKind::UnknownType(name.to_owned())))?;
    match (&def.kind, value) {
        (TypeKind::Struct(fields), Value::Struct(values)) => {
            encode_fields(schema, fields, values, enc)
        }
        (TypeKind::Enum(variants), Value::Enum(index, values)) => {
            let variant = variants
                .get(*index as usize)
                .ok_or_else(|| mismatch(&Ty::Named(name.to_owned())))?;
            wire::write_tag(enc, *index, variants.len() as u32);
            encode_fields(schema, &variant.fields, values, enc)
        }
        _ => Err(mismatch(&Ty::Named(name.to_owned()))),
    }
}

fn encode_fields(
    schema: &Schema,
    fields: &Fields,
    values: &[Value],
    enc: &mut Encoder,
) -> Result<(), EncodeError> {
    let encoded: Vec<_> = fields.encoded().collect();
    if encoded.len() != values.len() {
        return Err(EncodeError::new(EncodeErrorKind::TypeMismatch {
            expected: format!("{} fields", encoded.len()),
        }));
    }
    for (i, (field, value)) in encoded.iter().zip(values).enumerate() {
        encode(schema, &field.ty, value, enc).map_err(|e| e.in_index(i))?;
    }
    Ok(())
}

/// Decodes one whole message of type `ty`.
pub fn from_bytes(
    schema: &Schema,
    ty: &Ty,
    bytes: &[u8],
    instances: &[Instance],
) -> Result<Value, DecodeError> {
    let mut dec = Decoder::with_instances(bytes, instances);
    let value = decode(schema, ty, &mut dec)?;
    dec.finish()?;
    Ok(value)
}

/// Encodes one whole message of type `ty`, with its instance side table.
pub fn to_bytes(
    schema: &Schema,
    ty: &Ty,
    value: &Value,
) -> Result<(Vec<u8>, Vec<Instance>), EncodeError> {
    let mut enc = Encoder::new();
    encode(schema, ty, value, &mut enc)?;
    Ok(enc.finish_with_instances())
}

/// Decodes a value of `ty` from `dec`.
pub fn decode(schema: &Schema, ty: &Ty, dec: &mut Decoder<'_>) -> Result<Value, DecodeError> {
    Ok(match ty {
        Ty::Unit => Value::Unit,
        Ty::Bool => Value::Bool(dec.read_bool()?),
        Ty::Int(kind, encoding) => Value::Int(decode_int(dec, *kind, *encoding)?),
        Ty::Float(kind, encoding) => Value::Float(decode_float(dec, *kind, encoding)?),
        Ty::String { max_len } => Value::String(wire::read_string(dec, *max_len)?),
        Ty::Bytes { max_len } => Value::Bytes(wire::read_byte_string(dec, *max_len)?),
        Ty::ByteArray(n) => Value::Bytes(dec.read_bytes(*n as usize)?.to_vec()),
        Ty::Option(inner) => Value::Option(if dec.read_bool()? {
            Some(Box::new(decode(schema, inner, dec)?))
        } else {
            None
        }),
        Ty::Boxed(inner) => decode(schema, inner, dec)?,
        Ty::List { elem, max_len } => {
            let len = wire::read_len(dec, *max_len)?;
            Value::List(decode_items(
                schema,
                std::iter::repeat_n(&**elem, len),
                dec,
            )?)
        }
        Ty::Array { elem, len } => Value::List(decode_items(
            schema,
            std::iter::repeat_n(&**elem, *len as usize),
            dec,
        )?),
        Ty::Tuple(tys) => Value::List(decode_items(schema, tys.iter(), dec)?),
        Ty::Set { elem, max_len, .. } => {
            let len = wire::read_len(dec, *max_len)?;
            let keys = decode_items(schema, std::iter::repeat_n(&**elem, len), dec)?;
            if keys
                .windows(2)
                .any(|w| key_order(&w[0], &w[1]) != Ordering::Less)
            {
                return Err(dec.fail(K::NonCanonical));
            }
            Value::List(keys)
        }
        Ty::Map {
            key,
            value,
            max_len,
            ..
        } => {
            let len = wire::read_len(dec, *max_len)?;
            let mut entries: Vec<(Value, Value)> =
                Vec::with_capacity(wire::safe_capacity(dec, len));
            for i in 0..len {
                let k = decode(schema, key, dec).map_err(|e| e.in_key().in_index(i))?;
                if entries
                    .last()
                    .is_some_and(|(p, _)| key_order(p, &k) != Ordering::Less)
                {
                    return Err(dec.fail(K::NonCanonical).in_key().in_index(i));
                }
                let v = decode(schema, value, dec).map_err(|e| e.in_index(i))?;
                entries.push((k, v));
            }
            Value::Map(entries)
        }
        Ty::Roblox(r) => decode_roblox(dec, r)?,
        Ty::Named(name) => decode_named(schema, name, dec)?,
    })
}

fn decode_items<'a>(
    schema: &Schema,
    tys: impl Iterator<Item = &'a Ty>,
    dec: &mut Decoder<'_>,
) -> Result<Vec<Value>, DecodeError> {
    let mut items = Vec::with_capacity(wire::safe_capacity(dec, tys.size_hint().0));
    for (i, ty) in tys.enumerate() {
        items.push(decode(schema, ty, dec).map_err(|e| e.in_index(i))?);
    }
    Ok(items)
}

fn decode_int(
    dec: &mut Decoder<'_>,
    kind: IntTy,
    encoding: IntEncoding,
) -> Result<i128, DecodeError> {
    match encoding {
        IntEncoding::Fixed => {
            let bits = kind.bits();
            let raw = dec.read_le((bits / 8) as usize)?;
            Ok(if kind.signed() {
                // Sign-extend from the type's width.
                let shift = 64 - bits;
                (((raw << shift) as i64) >> shift) as i128
            } else {
                raw as i128
            })
        }
        IntEncoding::Range { lo, hi } => wire::read_range(dec, lo, hi),
        IntEncoding::Varint => Ok(if kind.signed() {
            dec.read_signed_varint(kind.bits())? as i128
        } else {
            dec.read_varint(kind.bits())? as i128
        }),
    }
}

fn decode_float(
    dec: &mut Decoder<'_>,
    kind: FloatTy,
    encoding: &FloatEncoding,
) -> Result<f64, DecodeError> {
    let v = match (encoding, kind) {
        (FloatEncoding::Full, FloatTy::F32) => dec.read_f32()? as f64,
        (FloatEncoding::Full, FloatTy::F64) => dec.read_f64()?,
        (FloatEncoding::Half, _) => wire::read_half(dec)?,
        (FloatEncoding::Quantized(q), _) => wire::read_quantized(dec, q)?,
    };
    Ok(match kind {
        FloatTy::F32 => v as f32 as f64,
        FloatTy::F64 => v,
    })
}

fn decode_roblox(dec: &mut Decoder<'_>, ty: &RobloxTy) -> Result<Value, DecodeError> {
    Ok(match ty {
        RobloxTy::Vector3(e) => Value::Vector3(roblox::read_vector3(dec, e)?),
        RobloxTy::Vector2(e) => Value::Vector2(roblox::read_vector2(dec, e)?),
        RobloxTy::CFrame { lossless } => Value::CFrame(roblox::read_cframe(dec, *lossless)?),
        RobloxTy::Color3 { lossless } => Value::Color3(roblox::read_color3(dec, *lossless)?),
        RobloxTy::UDim => Value::UDim(read_udim(dec)?),
        RobloxTy::UDim2 => Value::UDim2(roblox::UDim2 {
            x: read_udim(dec)?,
            y: read_udim(dec)?,
        }),
        RobloxTy::DateTime => Value::DateTime(roblox::DateTime {
            unix_millis: dec.read_u64()? as i64,
        }),
        RobloxTy::EnumItem { .. } => Value::EnumItem(roblox::read_enum_item(dec)?),
        RobloxTy::Instance => Value::Instance(dec.next_instance()?),
    })
}

fn read_udim(dec: &mut Decoder<'_>) -> Result<roblox::UDim, DecodeError> {
    Ok(roblox::UDim {
        scale: dec.read_f32()?,
        offset: dec.read_u32()? as i32,
    })
}

fn decode_named(schema: &Schema, name: &str, dec: &mut Decoder<'_>) -> Result<Value, DecodeError> {
    let Some(def) = schema.get(name) else {
        // A schema that passed validation names only its own types.
        return Err(dec.fail(K::InvalidTag));
    };
    dec.enter(def.max_depth)?;
    let value = match &def.kind {
        TypeKind::Struct(fields) => Value::Struct(decode_fields(schema, fields, dec)?),
        TypeKind::Enum(variants) => {
            let tag = wire::read_tag(dec, variants.len() as u32)?;
            let variant = &variants[tag as usize];
            Value::Enum(tag, decode_fields(schema, &variant.fields, dec)?)
        }
    };
    dec.leave();
    Ok(value)
}

fn decode_fields(
    schema: &Schema,
    fields: &Fields,
    dec: &mut Decoder<'_>,
) -> Result<Vec<Value>, DecodeError> {
    let mut values = Vec::new();
    for (i, field) in fields.encoded().enumerate() {
        values.push(decode(schema, &field.ty, dec).map_err(|e| e.in_index(i))?);
    }
    Ok(values)
}

//! The canonical proto3 encoding of a schema value: byte-identical to what
//! prost writes for the messages `skyrocket gen --proto` declares.

use super::path::{Fail, Res};
use super::shape::{self, kind, numbered, unbox, Kind, Scalar, WT_LEN};
use prost::encoding::{encode_key, encode_varint, encoded_len_varint, WireType};
use skyrocket::dynamic::{key_order, Value};
use skyrocket::roblox::Instance;
use skyrocket_schema::ir::{Fields, IntEncoding, RobloxTy, Schema, Ty, TypeKind};
use std::cmp::Ordering;

pub(crate) struct Enc<'s> {
    schema: &'s Schema,
    pub out: Vec<u8>,
    pub instances: Vec<Instance>,
}

fn wire(wt: u8) -> WireType {
    match wt {
        0 => WireType::Varint,
        1 => WireType::SixtyFourBit,
        2 => WireType::LengthDelimited,
        _ => WireType::ThirtyTwoBit,
    }
}

fn mismatch(ty: &Ty, value: &Value) -> Fail {
    Fail::new(None, format!("expected a value of {ty:?}, got {value:?}"))
}

/// Zigzag of a 32-bit or 64-bit signed value (`sint32`/`sint64`).
fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

impl<'s> Enc<'s> {
    pub(crate) fn new(schema: &'s Schema) -> Self {
        Enc {
            schema,
            out: Vec::new(),
            instances: Vec::new(),
        }
    }

    /// A whole message: a message type's body, or any other type as field 1
    /// of a wrapper message.
    pub(crate) fn root(&mut self, ty: &Ty, value: &Value) -> Res<()> {
        let ty = unbox(ty);
        match kind(self.schema, ty) {
            Kind::Message => self.body(ty, value),
            _ => self.field(1, ty, value),
        }
    }

    fn key(&mut self, number: u32, wt: u8) {
        encode_key(number, wire(wt), &mut self.out);
    }

    /// Writes a length prefix and the body `f` writes; returns the body length.
    fn delimited(&mut self, f: impl FnOnce(&mut Self) -> Res<()>) -> Res<usize> {
        let at = self.out.len();
        self.out.push(0);
        f(self)?;
        let len = self.out.len() - at - 1;
        if len < 0x80 {
            self.out[at] = len as u8;
        } else {
            let mut prefix = Vec::with_capacity(encoded_len_varint(len as u64));
            encode_varint(len as u64, &mut prefix);
            self.out.splice(at..at + 1, prefix);
        }
        Ok(len)
    }

    /// A field with proto3 implicit presence for scalars (omitted when it
    /// holds the default value) and explicit presence otherwise.
    pub(crate) fn field(&mut self, number: u32, ty: &Ty, value: &Value) -> Res<()> {
        let ty = unbox(ty);
        match kind(self.schema, ty) {
            Kind::Scalar(s) => {
                let start = self.out.len();
                self.key(number, s.wire_type());
                if !self.scalar(s, ty, value)? {
                    self.out.truncate(start);
                }
                Ok(())
            }
            Kind::Message => {
                self.key(number, WT_LEN);
                self.delimited(|e| e.body(ty, value)).map(drop)
            }
            Kind::Option => match (ty, value) {
                (Ty::Option(_), Value::Option(None)) => Ok(()),
                (Ty::Option(inner), Value::Option(Some(v))) => self.present(number, inner, v),
                _ => Err(mismatch(ty, value)),
            },
            Kind::Repeated => self.repeated(number, ty, value),
            Kind::Map => self.map(number, ty, value),
        }
    }

    /// A value that is always written (explicit presence): an `Option`'s
    /// content, a repeated element, a oneof member.
    fn present(&mut self, number: u32, ty: &Ty, value: &Value) -> Res<()> {
        let ty = unbox(ty);
        match kind(self.schema, ty) {
            Kind::Scalar(s) => {
                self.key(number, s.wire_type());
                self.scalar(s, ty, value).map(drop)
            }
            Kind::Message => {
                self.key(number, WT_LEN);
                self.delimited(|e| e.body(ty, value)).map(drop)
            }
            // A wrapper message whose field 1 holds the value.
            _ => {
                self.key(number, WT_LEN);
                self.delimited(|e| e.field(1, ty, value)).map(drop)
            }
        }
    }

    fn repeated(&mut self, number: u32, ty: &Ty, value: &Value) -> Res<()> {
        let (elem, items) = match (ty, value) {
            (Ty::List { elem, max_len }, Value::List(items)) => {
                check_len(items.len(), *max_len)?;
                (elem, items)
            }
            (Ty::Array { elem, len }, Value::List(items)) => {
                if items.len() != *len as usize {
                    return Err(Fail::new(
                        None,
                        format!("expected {len} elements, got {}", items.len()),
                    ));
                }
                (elem, items)
            }
            (Ty::Set { elem, max_len, .. }, Value::List(items)) => {
                check_len(items.len(), *max_len)?;
                let sorted = canonical_order(items.iter().collect(), |v| v)?;
                return self.elements(number, elem, &sorted);
            }
            _ => return Err(mismatch(ty, value)),
        };
        let items: Vec<&Value> = items.iter().collect();
        self.elements(number, elem, &items)
    }

    fn elements(&mut self, number: u32, elem: &Ty, items: &[&Value]) -> Res<()> {
        let elem = unbox(elem);
        match kind(self.schema, elem) {
            Kind::Scalar(s) if s.packed() => {
                if items.is_empty() {
                    return Ok(());
                }
                self.key(number, WT_LEN);
                self.delimited(|e| {
                    for (i, item) in items.iter().enumerate() {
                        e.scalar(s, elem, item).map_err(|f| f.index(i))?;
                    }
                    Ok(())
                })
                .map(drop)
            }
            _ => {
                for (i, item) in items.iter().enumerate() {
                    self.present(number, elem, item).map_err(|f| f.index(i))?;
                }
                Ok(())
            }
        }
    }

    fn map(&mut self, number: u32, ty: &Ty, value: &Value) -> Res<()> {
        let (
            Ty::Map {
                key,
                value: vty,
                max_len,
                ..
            },
            Value::Map(entries),
        ) = (ty, value)
        else {
            return Err(mismatch(ty, value));
        };
        check_len(entries.len(), *max_len)?;
        let entries = canonical_order(entries.iter().collect(), |(k, _)| k)?;
        let vty = unbox(vty);
        let vkind = kind(self.schema, vty);
        for (i, (k, v)) in entries.into_iter().enumerate() {
            self.key(number, WT_LEN);
            self.delimited(|e| {
                e.field(1, key, k)?;
                match vkind {
                    Kind::Scalar(_) => e.field(2, vty, v),
                    // prost leaves out a message value equal to its default,
                    // which is exactly a message whose body is empty.
                    _ => {
                        let start = e.out.len();
                        e.present(2, vty, v)?;
                        if e.out.len() == start + 2 && e.out[start + 1] == 0 {
                            e.out.truncate(start);
                        }
                        Ok(())
                    }
                }
            })
            .map_err(|f| f.index(i))?;
        }
        Ok(())
    }

    /// Writes one scalar (without key); returns whether it differs from the
    /// proto3 default (so an implicit-presence field may be left out).
    fn scalar(&mut self, s: Scalar, ty: &Ty, value: &Value) -> Res<bool> {
        let out = &mut self.out;
        Ok(match (s, value) {
            (Scalar::Bool, Value::Bool(b)) => {
                out.push(*b as u8);
                *b
            }
            (Scalar::U32(_) | Scalar::U64 | Scalar::S32(_) | Scalar::S64, Value::Int(v)) => {
                check_int(ty, *v)?;
                let raw = match s {
                    Scalar::S32(_) | Scalar::S64 => zigzag(*v as i64),
                    _ => *v as u64,
                };
                encode_varint(raw, out);
                *v != 0
            }
            (Scalar::Millis, Value::DateTime(d)) => {
                encode_varint(d.unix_millis as u64, out);
                d.unix_millis != 0
            }
            (Scalar::F32, Value::Float(f)) => {
                let f = *f as f32;
                out.extend_from_slice(&f.to_le_bytes());
                // `!=` as prost compares: -0.0 counts as the default.
                f != 0.0
            }
            (Scalar::F64, Value::Float(f)) => {
                out.extend_from_slice(&f.to_le_bytes());
                *f != 0.0
            }
            (Scalar::Str, Value::String(text)) => {
                if let Ty::String { max_len } = ty {
                    check_bytes(text.len(), *max_len)?;
                }
                encode_varint(text.len() as u64, out);
                out.extend_from_slice(text.as_bytes());
                !text.is_empty()
            }
            (Scalar::Bytes, Value::Bytes(b)) => {
                match ty {
                    Ty::Bytes { max_len } => check_bytes(b.len(), *max_len)?,
                    Ty::ByteArray(n) if b.len() != *n as usize => {
                        return Err(Fail::new(
                            None,
                            format!("expected {n} bytes, got {}", b.len()),
                        ))
                    }
                    _ => {}
                }
                encode_varint(b.len() as u64, out);
                out.extend_from_slice(b);
                !b.is_empty()
            }
            (Scalar::Enum(count), Value::Enum(index, fields)) if fields.is_empty() => {
                if *index >= count {
                    return Err(Fail::new(None, format!("no variant {index}")));
                }
                encode_varint(*index as u64, out);
                *index != 0
            }
            (Scalar::EnumItem, Value::EnumItem(item)) => {
                encode_varint(item.value as u64, out);
                item.value != 0
            }
            (Scalar::Instance, Value::Instance(instance)) => {
                let index = self.instances.len();
                self.instances.push(*instance);
                encode_varint(index as u64, out);
                index != 0
            }
            _ => return Err(mismatch(ty, value)),
        })
    }

    /// The fields of a message type, in field-number order.
    fn body(&mut self, ty: &Ty, value: &Value) -> Res<()> {
        match (ty, value) {
            (Ty::Unit, Value::Unit) => Ok(()),
            (Ty::Tuple(tys), Value::List(items)) if tys.len() == items.len() => {
                for (i, (t, v)) in tys.iter().zip(items).enumerate() {
                    self.field(i as u32 + 1, t, v).map_err(|f| f.index(i))?;
                }
                Ok(())
            }
            (Ty::Roblox(r), v) => self.roblox(r, v).ok_or_else(|| mismatch(ty, value))?,
            (Ty::Named(name), v) => self.named(name, v),
            _ => Err(mismatch(ty, value)),
        }
    }

    fn roblox(&mut self, r: &RobloxTy, value: &Value) -> Option<Res<()>> {
        let floats: Vec<f32> = match (r, value) {
            (
                RobloxTy::Vector3(_)
                | RobloxTy::Vector2(_)
                | RobloxTy::CFrame { .. }
                | RobloxTy::Color3 { .. },
                v,
            ) => crate::common::roblox_floats(r, v)?,
            (RobloxTy::UDim, Value::UDim(u)) => return Some(self.udim(u)),
            (RobloxTy::UDim2, Value::UDim2(u)) => {
                return Some((|| {
                    for (number, part) in [(1, &u.x), (2, &u.y)] {
                        self.key(number, WT_LEN);
                        self.delimited(|e| e.udim(part))?;
                    }
                    Ok(())
                })())
            }
            _ => return None,
        };
        for (i, f) in floats.into_iter().enumerate() {
            self.float_field(i as u32 + 1, f);
        }
        Some(Ok(()))
    }

    fn float_field(&mut self, number: u32, f: f32) {
        if f != 0.0 {
            self.key(number, shape::Scalar::F32.wire_type());
            self.out.extend_from_slice(&f.to_le_bytes());
        }
    }

    fn udim(&mut self, u: &skyrocket::roblox::UDim) -> Res<()> {
        self.float_field(1, u.scale);
        self.field(2, &shape::I32, &Value::Int(u.offset as i128))
    }

    fn named(&mut self, name: &str, value: &Value) -> Res<()> {
        let def = self
            .schema
            .get(name)
            .ok_or_else(|| Fail::new(None, format!("no schema type {name}")))?;
        match (&def.kind, value) {
            (TypeKind::Struct(fields), Value::Struct(values)) => self.fields(fields, values),
            (TypeKind::Enum(variants), Value::Enum(index, values)) => {
                let variant = variants
                    .get(*index as usize)
                    .ok_or_else(|| Fail::new(None, format!("{name} has no variant {index}")))?;
                self.key(*index + 1, WT_LEN);
                self.delimited(|e| e.fields(&variant.fields, values))
                    .map_err(|f| f.name(&variant.wire_name))?;
                Ok(())
            }
            _ => Err(mismatch(&Ty::Named(name.to_owned()), value)),
        }
    }

    fn fields(&mut self, fields: &Fields, values: &[Value]) -> Res<()> {
        let count = fields.encoded().count();
        if count != values.len() {
            return Err(Fail::new(
                None,
                format!("expected {count} fields, got {}", values.len()),
            ));
        }
        for ((number, field), v) in numbered(fields).zip(values) {
            self.field(number, &field.ty, v)
                .map_err(|f| f.name(&field.wire_name))?;
        }
        Ok(())
    }
}

fn check_len(len: usize, max_len: Option<u32>) -> Res<()> {
    match max_len {
        Some(m) if len > m as usize => Err(Fail::new(
            None,
            format!("{len} elements, more than max_len {m}"),
        )),
        _ => Ok(()),
    }
}

fn check_bytes(len: usize, max_len: Option<u32>) -> Res<()> {
    match max_len {
        Some(m) if len > m as usize => Err(Fail::new(
            None,
            format!("{len} bytes, more than max_len {m}"),
        )),
        _ => Ok(()),
    }
}

/// Checks an integer against its type's range or its declared range.
pub(crate) fn check_int(ty: &Ty, v: i128) -> Res<()> {
    let Ty::Int(int, encoding) = ty else {
        return Ok(());
    };
    let (lo, hi) = match encoding {
        IntEncoding::Range { lo, hi } => (*lo, *hi),
        _ => (int.min_value(), int.max_value()),
    };
    if v < lo || v > hi {
        return Err(Fail::new(
            None,
            format!("expected an integer in {lo}..={hi}, got {v}"),
        ));
    }
    Ok(())
}

/// Map entries and set elements in ascending key order; a repeated key is an error.
fn canonical_order<T>(mut items: Vec<T>, key: impl Fn(&T) -> &Value) -> Res<Vec<T>> {
    let ordered = |a: &T, b: &T| key_order(key(a), key(b));
    if items
        .windows(2)
        .any(|w| ordered(&w[0], &w[1]) != Ordering::Less)
    {
        items.sort_by(ordered);
        if let Some(i) = items
            .windows(2)
            .position(|w| ordered(&w[0], &w[1]) == Ordering::Equal)
        {
            return Err(Fail::new(None, "the same key twice").index(i + 1));
        }
    }
    Ok(items)
}

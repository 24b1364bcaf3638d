//! The JSON encoder: writes the canonical form (docs/formats.md, "JSON").

use super::{base64, number};
use crate::common::{
    check_exact_len, check_int, check_len, encoded_fields, key_text, named, sorted, unit_only,
    Fail, Res,
};
use skyrocket::dynamic::Value;
use skyrocket::roblox::{Instance, UDim};
use skyrocket_schema::ir::{Field, FloatTy, RobloxTy, Schema, Ty, TypeKind};

pub(super) struct Encoder<'s> {
    pub(super) schema: &'s Schema,
    pub(super) out: Vec<u8>,
    pub(super) instances: Vec<Instance>,
    scratch: String,
}

fn mismatch(ty: &Ty, value: &Value) -> Fail {
    Fail::new(None, format!("expected a value of {ty:?}, got {value:?}"))
}

impl<'s> Encoder<'s> {
    pub(super) fn new(schema: &'s Schema) -> Self {
        Encoder {
            schema,
            out: Vec::with_capacity(64),
            instances: Vec::new(),
            scratch: String::new(),
        }
    }

    pub(super) fn value(&mut self, ty: &Ty, value: &Value) -> Res<()> {
        match (ty, value) {
            (Ty::Unit, Value::Unit) => self.out.extend_from_slice(b"{}"),
            (Ty::Bool, Value::Bool(b)) => {
                self.out
                    .extend_from_slice(if *b { b"true" } else { b"false" })
            }
            (Ty::Int(kind, encoding), Value::Int(v)) => {
                check_int(*kind, *encoding, *v).map_err(|m| Fail::new(None, m))?;
                self.int(*v);
            }
            (Ty::Float(kind, _), Value::Float(v)) => self.float(*kind, *v),
            (Ty::String { max_len }, Value::String(s)) => {
                check_len(s.len(), *max_len, "string").map_err(|m| Fail::new(None, m))?;
                write_string(&mut self.out, s);
            }
            (Ty::Bytes { max_len }, Value::Bytes(b)) => {
                check_len(b.len(), *max_len, "byte string").map_err(|m| Fail::new(None, m))?;
                self.bytes(b);
            }
            (Ty::ByteArray(n), Value::Bytes(b)) => {
                check_exact_len(b.len(), *n as usize, "bytes").map_err(|m| Fail::new(None, m))?;
                self.bytes(b);
            }
            (Ty::Option(inner), Value::Option(v)) => match v {
                Some(v) => self.value(inner, v)?,
                None => self.out.extend_from_slice(b"null"),
            },
            (Ty::Boxed(inner), v) => self.value(inner, v)?,
            (Ty::List { elem, max_len }, Value::List(items)) => {
                check_len(items.len(), *max_len, "list").map_err(|m| Fail::new(None, m))?;
                self.array(items.iter().map(|v| (&**elem, v)))?;
            }
            (Ty::Array { elem, len }, Value::List(items)) => {
                check_exact_len(items.len(), *len as usize, "elements")
                    .map_err(|m| Fail::new(None, m))?;
                self.array(items.iter().map(|v| (&**elem, v)))?;
            }
            (Ty::Tuple(tys), Value::List(items)) if tys.len() == items.len() => {
                self.array(tys.iter().zip(items))?;
            }
            (Ty::Set { elem, max_len, .. }, Value::List(items)) => {
                check_len(items.len(), *max_len, "set").map_err(|m| Fail::new(None, m))?;
                let items = sorted(items, |v| v)?;
                self.array(items.into_iter().map(|v| (&**elem, v)))?;
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
                check_len(entries.len(), *max_len, "map").map_err(|m| Fail::new(None, m))?;
                let entries = sorted(entries, |(k, _)| k)?;
                self.out.push(b'{');
                for (i, (k, v)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.map_key(key, k).map_err(|e| e.key(key_text(k)))?;
                    self.out.push(b':');
                    self.value(vty, v).map_err(|e| e.key(key_text(k)))?;
                }
                self.out.push(b'}');
            }
            (Ty::Roblox(r), v) => self.roblox(r, v).ok_or_else(|| mismatch(ty, value))?,
            (Ty::Named(name), v) => self.named(name, v)?,
            _ => return Err(mismatch(ty, value)),
        }
        Ok(())
    }

    fn int(&mut self, v: i128) {
        self.scratch.clear();
        use std::fmt::Write;
        let _ = write!(self.scratch, "{v}");
        self.out.extend_from_slice(self.scratch.as_bytes());
    }

    fn float(&mut self, kind: FloatTy, v: f64) {
        match kind {
            FloatTy::F32 => number::write_f32(&mut self.out, &mut self.scratch, v as f32),
            FloatTy::F64 => number::write_f64(&mut self.out, &mut self.scratch, v),
        }
    }

    fn f32s(&mut self, values: &[f32]) {
        self.out.push(b'[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            number::write_f32(&mut self.out, &mut self.scratch, *v);
        }
        self.out.push(b']');
    }

    fn bytes(&mut self, b: &[u8]) {
        self.out.push(b'"');
        base64::encode(&mut self.out, b);
        self.out.push(b'"');
    }

    fn array<'a>(&mut self, items: impl Iterator<Item = (&'a Ty, &'a Value)>) -> Res<()> {
        self.out.push(b'[');
        for (i, (ty, v)) in items.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.value(ty, v).map_err(|e| e.index(i))?;
        }
        self.out.push(b']');
        Ok(())
    }

    fn map_key(&mut self, ty: &Ty, key: &Value) -> Res<()> {
        match (ty, key) {
            (Ty::String { max_len }, Value::String(s)) => {
                check_len(s.len(), *max_len, "string").map_err(|m| Fail::new(None, m))?;
                write_string(&mut self.out, s);
            }
            (Ty::Int(kind, encoding), Value::Int(v)) => {
                check_int(*kind, *encoding, *v).map_err(|m| Fail::new(None, m))?;
                self.out.push(b'"');
                self.int(*v);
                self.out.push(b'"');
            }
            (Ty::Bool, Value::Bool(b)) => {
                self.out
                    .extend_from_slice(if *b { b"\"true\"" } else { b"\"false\"" })
            }
            (Ty::Boxed(inner), k) => self.map_key(inner, k)?,
            _ => return Err(mismatch(ty, key)),
        }
        Ok(())
    }

    fn roblox(&mut self, ty: &RobloxTy, value: &Value) -> Option<()> {
        match (ty, value) {
            (
                RobloxTy::Vector3(_)
                | RobloxTy::Vector2(_)
                | RobloxTy::CFrame { .. }
                | RobloxTy::Color3 { .. },
                v,
            ) => self.f32s(&crate::common::roblox_floats(ty, v)?),
            (RobloxTy::UDim, Value::UDim(u)) => {
                self.out.push(b'[');
                self.udim(u);
                self.out.push(b']');
            }
            (RobloxTy::UDim2, Value::UDim2(u)) => {
                self.out.push(b'[');
                self.udim(&u.x);
                self.out.push(b',');
                self.udim(&u.y);
                self.out.push(b']');
            }
            (RobloxTy::DateTime, Value::DateTime(d)) => self.int(d.unix_millis as i128),
            (RobloxTy::EnumItem { .. }, Value::EnumItem(e)) => self.int(e.value as i128),
            (RobloxTy::Instance, Value::Instance(i)) => {
                self.int(self.instances.len() as i128);
                self.instances.push(*i);
            }
            _ => return None,
        }
        Some(())
    }

    fn udim(&mut self, u: &UDim) {
        number::write_f32(&mut self.out, &mut self.scratch, u.scale);
        self.out.push(b',');
        self.int(u.offset as i128);
    }

    fn named(&mut self, name: &str, value: &Value) -> Res<()> {
        let def = named(self.schema, name).map_err(|m| Fail::new(None, m))?;
        match (&def.kind, value) {
            (TypeKind::Struct(fields), Value::Struct(values)) => {
                let fields = encoded_fields(fields, values)?;
                self.out.push(b'{');
                self.fields(&fields, values, false)?;
                self.out.push(b'}');
            }
            (TypeKind::Enum(variants), Value::Enum(index, values)) => {
                let variant = variants.get(*index as usize).ok_or_else(|| {
                    Fail::new(None, format!("{name} has no variant number {index}"))
                })?;
                if unit_only(variants) {
                    write_string(&mut self.out, &variant.wire_name);
                    return Ok(());
                }
                let fields = encoded_fields(&variant.fields, values)?;
                self.out.extend_from_slice(b"{\"kind\":");
                write_string(&mut self.out, &variant.wire_name);
                self.fields(&fields, values, true)?;
                self.out.push(b'}');
            }
            _ => return Err(mismatch(&Ty::Named(name.to_owned()), value)),
        }
        Ok(())
    }

    fn fields(&mut self, fields: &[&Field], values: &[Value], after_kind: bool) -> Res<()> {
        for (i, (field, v)) in fields.iter().zip(values).enumerate() {
            if i > 0 || after_kind {
                self.out.push(b',');
            }
            write_string(&mut self.out, &field.wire_name);
            self.out.push(b':');
            self.value(&field.ty, v)
                .map_err(|e| e.field(&field.wire_name))?;
        }
        Ok(())
    }
}

/// A JSON string: `"` and `\` escaped, control characters as `\b \f \n \r
/// \t` or `\u00xx` (lowercase hex), everything else as raw UTF-8 (the
/// escapes serde_json writes).
pub(super) fn write_string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(c >> 4) as usize]);
            out.push(HEX[(c & 15) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

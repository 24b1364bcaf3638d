//! The MessagePack encoder: the smallest representation of every value.

use crate::common::{
    check_exact_len, check_int, check_len, encoded_fields, key_text, named, sorted, unit_only,
    Fail, Res,
};
use rmp::encode as w;
use skyrocket::dynamic::Value;
use skyrocket::roblox::{Instance, UDim};
use skyrocket_schema::ir::{Field, FloatTy, RobloxTy, Schema, Ty, TypeKind};

/// The quiet NaNs every NaN is written as, so both sides agree on the bytes.
const NAN32: u32 = 0x7fc0_0000;
const NAN64: u64 = 0x7ff8_0000_0000_0000;

pub(super) struct Encoder<'s> {
    schema: &'s Schema,
    pub(super) out: Vec<u8>,
    pub(super) instances: Vec<Instance>,
}

fn mismatch(ty: &Ty, value: &Value) -> Fail {
    Fail::new(None, format!("expected a value of {ty:?}, got {value:?}"))
}

fn len32(len: usize, what: &str) -> Res<u32> {
    u32::try_from(len).map_err(|_| {
        Fail::new(
            None,
            format!("{what} of length {len} is too long for MessagePack"),
        )
    })
}

impl<'s> Encoder<'s> {
    pub(super) fn new(schema: &'s Schema) -> Self {
        Encoder {
            schema,
            out: Vec::with_capacity(64),
            instances: Vec::new(),
        }
    }

    // Writing to a Vec cannot fail, so rmp's results are dropped.
    fn int(&mut self, v: i128) {
        if v >= 0 {
            let _ = w::write_uint(&mut self.out, v as u64);
        } else {
            let _ = w::write_sint(&mut self.out, v as i64);
        }
    }

    fn f32(&mut self, v: f32) {
        let v = if v.is_nan() { f32::from_bits(NAN32) } else { v };
        let _ = w::write_f32(&mut self.out, v);
    }

    fn f64(&mut self, v: f64) {
        let v = if v.is_nan() { f64::from_bits(NAN64) } else { v };
        let _ = w::write_f64(&mut self.out, v);
    }

    fn str(&mut self, s: &str) -> Res<()> {
        let _ = w::write_str_len(&mut self.out, len32(s.len(), "string")?);
        self.out.extend_from_slice(s.as_bytes());
        Ok(())
    }

    fn bin(&mut self, b: &[u8]) -> Res<()> {
        let _ = w::write_bin_len(&mut self.out, len32(b.len(), "byte string")?);
        self.out.extend_from_slice(b);
        Ok(())
    }

    fn array_len(&mut self, len: usize) -> Res<()> {
        let _ = w::write_array_len(&mut self.out, len32(len, "list")?);
        Ok(())
    }

    fn map_len(&mut self, len: usize) -> Res<()> {
        let _ = w::write_map_len(&mut self.out, len32(len, "map")?);
        Ok(())
    }

    pub(super) fn value(&mut self, ty: &Ty, value: &Value) -> Res<()> {
        match (ty, value) {
            (Ty::Unit, Value::Unit) => self.map_len(0)?,
            (Ty::Bool, Value::Bool(b)) => {
                let _ = w::write_bool(&mut self.out, *b);
            }
            (Ty::Int(kind, encoding), Value::Int(v)) => {
                check_int(*kind, *encoding, *v).map_err(|m| Fail::new(None, m))?;
                self.int(*v);
            }
            (Ty::Float(FloatTy::F32, _), Value::Float(v)) => self.f32(*v as f32),
            (Ty::Float(FloatTy::F64, _), Value::Float(v)) => self.f64(*v),
            (Ty::String { max_len }, Value::String(s)) => {
                check_len(s.len(), *max_len, "string").map_err(|m| Fail::new(None, m))?;
                self.str(s)?;
            }
            (Ty::Bytes { max_len }, Value::Bytes(b)) => {
                check_len(b.len(), *max_len, "byte string").map_err(|m| Fail::new(None, m))?;
                self.bin(b)?;
            }
            (Ty::ByteArray(n), Value::Bytes(b)) => {
                check_exact_len(b.len(), *n as usize, "bytes").map_err(|m| Fail::new(None, m))?;
                self.bin(b)?;
            }
            (Ty::Option(inner), Value::Option(v)) => match v {
                Some(v) => self.value(inner, v)?,
                None => {
                    let _ = w::write_nil(&mut self.out);
                }
            },
            (Ty::Boxed(inner), v) => self.value(inner, v)?,
            (Ty::List { elem, max_len }, Value::List(items)) => {
                check_len(items.len(), *max_len, "list").map_err(|m| Fail::new(None, m))?;
                self.array(items.iter().map(|v| (&**elem, v)), items.len())?;
            }
            (Ty::Array { elem, len }, Value::List(items)) => {
                check_exact_len(items.len(), *len as usize, "elements")
                    .map_err(|m| Fail::new(None, m))?;
                self.array(items.iter().map(|v| (&**elem, v)), items.len())?;
            }
            (Ty::Tuple(tys), Value::List(items)) if tys.len() == items.len() => {
                self.array(tys.iter().zip(items), items.len())?;
            }
            (Ty::Set { elem, max_len, .. }, Value::List(items)) => {
                check_len(items.len(), *max_len, "set").map_err(|m| Fail::new(None, m))?;
                let items = sorted(items, |v| v)?;
                let n = items.len();
                self.array(items.into_iter().map(|v| (&**elem, v)), n)?;
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
                self.map_len(entries.len())?;
                for (k, v) in entries {
                    self.value(key, k).map_err(|e| e.key(key_text(k)))?;
                    self.value(vty, v).map_err(|e| e.key(key_text(k)))?;
                }
            }
            (Ty::Roblox(r), v) => self.roblox(r, v).ok_or_else(|| mismatch(ty, value))?,
            (Ty::Named(name), v) => self.named(name, v)?,
            _ => return Err(mismatch(ty, value)),
        }
        Ok(())
    }

    fn array<'a>(
        &mut self,
        items: impl Iterator<Item = (&'a Ty, &'a Value)>,
        len: usize,
    ) -> Res<()> {
        self.array_len(len)?;
        for (i, (ty, v)) in items.enumerate() {
            self.value(ty, v).map_err(|e| e.index(i))?;
        }
        Ok(())
    }

    fn f32s(&mut self, values: &[f32]) {
        let _ = w::write_array_len(&mut self.out, values.len() as u32);
        for v in values {
            self.f32(*v);
        }
    }

    fn udim(&mut self, u: &UDim) {
        self.f32(u.scale);
        self.int(u.offset as i128);
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
                let _ = w::write_array_len(&mut self.out, 2);
                self.udim(u);
            }
            (RobloxTy::UDim2, Value::UDim2(u)) => {
                let _ = w::write_array_len(&mut self.out, 4);
                self.udim(&u.x);
                self.udim(&u.y);
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

    fn named(&mut self, name: &str, value: &Value) -> Res<()> {
        let def = named(self.schema, name).map_err(|m| Fail::new(None, m))?;
        match (&def.kind, value) {
            (TypeKind::Struct(fields), Value::Struct(values)) => {
                let fields = encoded_fields(fields, values)?;
                self.map_len(fields.len())?;
                self.fields(&fields, values)?;
            }
            (TypeKind::Enum(variants), Value::Enum(index, values)) => {
                let variant = variants.get(*index as usize).ok_or_else(|| {
                    Fail::new(None, format!("{name} has no variant number {index}"))
                })?;
                if unit_only(variants) {
                    return self.str(&variant.wire_name);
                }
                let fields = encoded_fields(&variant.fields, values)?;
                self.map_len(fields.len() + 1)?;
                self.str("kind")?;
                self.str(&variant.wire_name)?;
                self.fields(&fields, values)?;
            }
            _ => return Err(mismatch(&Ty::Named(name.to_owned()), value)),
        }
        Ok(())
    }

    fn fields(&mut self, fields: &[&Field], values: &[Value]) -> Res<()> {
        for (field, v) in fields.iter().zip(values) {
            self.str(&field.wire_name)?;
            self.value(&field.ty, v)
                .map_err(|e| e.field(&field.wire_name))?;
        }
        Ok(())
    }
}

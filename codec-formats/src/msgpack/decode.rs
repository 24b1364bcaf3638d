//! The MessagePack decoder: schema-driven, every length checked against the
//! bytes left before anything is allocated for it.

use crate::common::{
    check_exact_len, check_int, check_len, is_option, key_text, named_within, unit_only, Fail, Res,
};
use crate::json::SKIP_DEPTH;
use rmp::Marker;
use skyrocket::dynamic::{key_order, Value};
use skyrocket::roblox::{self, EnumItem, Instance};
use skyrocket_schema::ir::{Fields, FloatTy, IntTy, RobloxTy, Schema, Ty, TypeKind, Variant};
use std::cmp::Ordering;

pub(super) struct Reader<'a> {
    schema: &'a Schema,
    src: &'a [u8],
    pos: usize,
    depth: u32,
    instances: &'a [Instance],
}

/// What a marker starts, for error messages.
fn describe(m: Marker) -> &'static str {
    match m {
        Marker::Null => "nil",
        Marker::True | Marker::False => "a boolean",
        Marker::FixPos(_) | Marker::FixNeg(_) => "an integer",
        Marker::U8 | Marker::U16 | Marker::U32 | Marker::U64 => "an integer",
        Marker::I8 | Marker::I16 | Marker::I32 | Marker::I64 => "an integer",
        Marker::F32 | Marker::F64 => "a float",
        Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => "a string",
        Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => "a byte string",
        Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => "an array",
        Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => "a map",
        Marker::Reserved => "the reserved byte 0xc1",
        _ => "an extension value",
    }
}

impl<'a> Reader<'a> {
    pub(super) fn new(schema: &'a Schema, src: &'a [u8], instances: &'a [Instance]) -> Self {
        Reader {
            schema,
            src,
            pos: 0,
            depth: 0,
            instances,
        }
    }

    pub(super) fn document(&mut self, ty: &Ty) -> Res<Value> {
        let value = self.value(ty)?;
        if self.pos != self.src.len() {
            return Err(self.fail(
                self.pos,
                format!(
                    "{} trailing bytes after the value",
                    self.src.len() - self.pos
                ),
            ));
        }
        Ok(value)
    }

    fn fail(&self, at: usize, message: impl Into<String>) -> Fail {
        Fail::new(Some(at), message)
    }

    fn peek(&self) -> Res<Marker> {
        self.src
            .get(self.pos)
            .map(|&b| Marker::from_u8(b))
            .ok_or_else(|| self.fail(self.pos, "unexpected end of input"))
    }

    fn expected(&self, what: &str) -> Fail {
        match self.peek() {
            Ok(m) => self.fail(self.pos, format!("expected {what}, found {}", describe(m))),
            Err(e) => e,
        }
    }

    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let at = self.pos;
        let end = at
            .checked_add(n)
            .filter(|&e| e <= self.src.len())
            .ok_or_else(|| {
                self.fail(
                    at,
                    format!("{n} bytes claimed, only {} left", self.src.len() - at),
                )
            })?;
        self.pos = end;
        Ok(&self.src[at..end])
    }

    fn be(&mut self, n: usize) -> Res<u64> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, &b| acc << 8 | b as u64))
    }

    /// A length field of `n` bytes; elements of at least `min` bytes each
    /// must fit in what is left.
    fn len(&mut self, n: usize, min: usize, at: usize) -> Res<usize> {
        let len = self.be(n)? as usize;
        self.fits(len, min, at)
    }

    fn fits(&self, len: usize, min: usize, at: usize) -> Res<usize> {
        let left = self.src.len() - self.pos;
        if len.saturating_mul(min) > left {
            return Err(self.fail(at, format!("length {len} claimed, only {left} bytes left")));
        }
        Ok(len)
    }

    /// Any integer family member, as i128.
    fn integer(&mut self) -> Res<Option<i128>> {
        let m = self.peek()?;
        let v = match m {
            Marker::FixPos(v) => {
                self.pos += 1;
                v as i128
            }
            Marker::FixNeg(v) => {
                self.pos += 1;
                v as i128
            }
            Marker::U8 | Marker::U16 | Marker::U32 | Marker::U64 => {
                self.pos += 1;
                let n = 1 << (m.to_u8() - 0xcc);
                self.be(n)? as i128
            }
            Marker::I8 | Marker::I16 | Marker::I32 | Marker::I64 => {
                self.pos += 1;
                let n = 1usize << (m.to_u8() - 0xd0);
                let raw = self.be(n)?;
                let shift = 64 - 8 * n as u32;
                (((raw << shift) as i64) >> shift) as i128
            }
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    fn int(&mut self, kind: IntTy, encoding: skyrocket_schema::ir::IntEncoding) -> Res<i128> {
        let at = self.pos;
        let v = self.integer()?.ok_or_else(|| self.expected("an integer"))?;
        check_int(kind, encoding, v).map_err(|m| self.fail(at, m))?;
        Ok(v)
    }

    fn float(&mut self, kind: FloatTy) -> Res<f64> {
        let v = match self.peek()? {
            Marker::F32 => {
                self.pos += 1;
                f32::from_bits(self.be(4)? as u32) as f64
            }
            Marker::F64 => {
                self.pos += 1;
                f64::from_bits(self.be(8)?)
            }
            _ => match self.integer()? {
                Some(i) if i < 0 => i as i64 as f64,
                Some(i) => i as u64 as f64,
                None => return Err(self.expected("a float")),
            },
        };
        Ok(match kind {
            FloatTy::F32 => v as f32 as f64,
            FloatTy::F64 => v,
        })
    }

    fn string(&mut self) -> Res<String> {
        let at = self.pos;
        let len = match self.peek()? {
            Marker::FixStr(n) => {
                self.pos += 1;
                n as usize
            }
            Marker::Str8 => {
                self.pos += 1;
                self.be(1)? as usize
            }
            Marker::Str16 => {
                self.pos += 1;
                self.be(2)? as usize
            }
            Marker::Str32 => {
                self.pos += 1;
                self.be(4)? as usize
            }
            _ => return Err(self.expected("a string")),
        };
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
            self.fail(
                at,
                format!(
                    "invalid UTF-8 in a string (after {} bytes)",
                    e.valid_up_to()
                ),
            )
        })
    }

    fn bin(&mut self) -> Res<Vec<u8>> {
        let n = match self.peek()? {
            Marker::Bin8 => 1,
            Marker::Bin16 => 2,
            Marker::Bin32 => 4,
            _ => return Err(self.expected("a byte string (bin)")),
        };
        self.pos += 1;
        let len = self.be(n)? as usize;
        Ok(self.take(len)?.to_vec())
    }

    fn array_len(&mut self) -> Res<usize> {
        let at = self.pos;
        match self.peek()? {
            Marker::FixArray(n) => {
                self.pos += 1;
                self.fits(n as usize, 1, at)
            }
            Marker::Array16 => {
                self.pos += 1;
                self.len(2, 1, at)
            }
            Marker::Array32 => {
                self.pos += 1;
                self.len(4, 1, at)
            }
            _ => Err(self.expected("an array")),
        }
    }

    fn map_len(&mut self) -> Res<usize> {
        let at = self.pos;
        match self.peek()? {
            Marker::FixMap(n) => {
                self.pos += 1;
                self.fits(n as usize, 2, at)
            }
            Marker::Map16 => {
                self.pos += 1;
                self.len(2, 2, at)
            }
            Marker::Map32 => {
                self.pos += 1;
                self.len(4, 2, at)
            }
            _ => Err(self.expected("a map")),
        }
    }

    /// Skips any value (an unknown key's), nesting at most [`SKIP_DEPTH`].
    fn skip(&mut self, nesting: u32) -> Res<()> {
        let at = self.pos;
        let m = self.peek()?;
        let (header, payload, children) = match m {
            Marker::Null | Marker::True | Marker::False | Marker::FixPos(_) | Marker::FixNeg(_) => {
                (1, 0, 0)
            }
            Marker::U8 | Marker::I8 => (1, 1, 0),
            Marker::U16 | Marker::I16 => (1, 2, 0),
            Marker::U32 | Marker::I32 | Marker::F32 => (1, 4, 0),
            Marker::U64 | Marker::I64 | Marker::F64 => (1, 8, 0),
            Marker::FixStr(n) => (1, n as usize, 0),
            Marker::Str8 | Marker::Bin8 => {
                self.pos += 1;
                (0, self.be(1)? as usize, 0)
            }
            Marker::Str16 | Marker::Bin16 => {
                self.pos += 1;
                (0, self.be(2)? as usize, 0)
            }
            Marker::Str32 | Marker::Bin32 => {
                self.pos += 1;
                (0, self.be(4)? as usize, 0)
            }
            Marker::FixExt1 => (1, 2, 0),
            Marker::FixExt2 => (1, 3, 0),
            Marker::FixExt4 => (1, 5, 0),
            Marker::FixExt8 => (1, 9, 0),
            Marker::FixExt16 => (1, 17, 0),
            Marker::Ext8 => {
                self.pos += 1;
                (0, self.be(1)? as usize + 1, 0)
            }
            Marker::Ext16 => {
                self.pos += 1;
                (0, self.be(2)? as usize + 1, 0)
            }
            Marker::Ext32 => {
                self.pos += 1;
                (0, self.be(4)? as usize + 1, 0)
            }
            Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => (0, 0, self.array_len()?),
            Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => (0, 0, 2 * self.map_len()?),
            Marker::Reserved => {
                return Err(self.fail(at, "the reserved byte 0xc1 is not MessagePack"))
            }
        };
        self.pos += header;
        self.take(payload)?;
        if children > 0 && nesting >= SKIP_DEPTH {
            return Err(self.fail(
                at,
                format!("an unknown value nests deeper than {SKIP_DEPTH}"),
            ));
        }
        for _ in 0..children {
            self.skip(nesting + 1)?;
        }
        Ok(())
    }

    fn nil(&mut self) -> bool {
        if self.src.get(self.pos) == Some(&0xc0) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn value(&mut self, ty: &Ty) -> Res<Value> {
        let at = self.pos;
        Ok(match ty {
            Ty::Unit => {
                let n = self.map_len()?;
                for _ in 0..2 * n {
                    self.skip(0)?;
                }
                Value::Unit
            }
            Ty::Bool => match self.peek()? {
                Marker::True | Marker::False => {
                    self.pos += 1;
                    Value::Bool(self.src[at] == 0xc3)
                }
                _ => return Err(self.expected("a boolean")),
            },
            Ty::Int(kind, encoding) => Value::Int(self.int(*kind, *encoding)?),
            Ty::Float(kind, _) => Value::Float(self.float(*kind)?),
            Ty::String { max_len } => {
                let s = self.string()?;
                check_len(s.len(), *max_len, "string").map_err(|m| self.fail(at, m))?;
                Value::String(s)
            }
            Ty::Bytes { max_len } => {
                let b = self.bin()?;
                check_len(b.len(), *max_len, "byte string").map_err(|m| self.fail(at, m))?;
                Value::Bytes(b)
            }
            Ty::ByteArray(n) => {
                let b = self.bin()?;
                check_exact_len(b.len(), *n as usize, "bytes").map_err(|m| self.fail(at, m))?;
                Value::Bytes(b)
            }
            Ty::Option(inner) => {
                if self.nil() {
                    Value::Option(None)
                } else {
                    Value::Option(Some(Box::new(self.value(inner)?)))
                }
            }
            Ty::Boxed(inner) => self.value(inner)?,
            Ty::List { elem, max_len } => {
                let n = self.array_len()?;
                check_len(n, *max_len, "list").map_err(|m| self.fail(at, m))?;
                Value::List(self.items(n, |_| &**elem)?)
            }
            Ty::Array { elem, len } => {
                let n = self.array_len()?;
                check_exact_len(n, *len as usize, "elements").map_err(|m| self.fail(at, m))?;
                Value::List(self.items(n, |_| &**elem)?)
            }
            Ty::Tuple(tys) => {
                let n = self.array_len()?;
                check_exact_len(n, tys.len(), "elements").map_err(|m| self.fail(at, m))?;
                Value::List(self.items(n, |i| &tys[i])?)
            }
            Ty::Set { elem, max_len, .. } => {
                let n = self.array_len()?;
                check_len(n, *max_len, "set").map_err(|m| self.fail(at, m))?;
                let mut items: Vec<(Value, usize)> = Vec::with_capacity(n);
                for i in 0..n {
                    let item_at = self.pos;
                    items.push((self.value(elem).map_err(|e| e.index(i))?, item_at));
                }
                items.sort_by(|a, b| key_order(&a.0, &b.0));
                if let Some(w) = items
                    .windows(2)
                    .find(|w| key_order(&w[0].0, &w[1].0) == Ordering::Equal)
                {
                    return Err(self.fail(
                        w[0].1.max(w[1].1),
                        format!("duplicate set element {}", key_text(&w[1].0)),
                    ));
                }
                Value::List(items.into_iter().map(|(v, _)| v).collect())
            }
            Ty::Map {
                key,
                value,
                max_len,
                ..
            } => {
                let n = self.map_len()?;
                check_len(n, *max_len, "map").map_err(|m| self.fail(at, m))?;
                let mut entries: Vec<((Value, Value), usize)> = Vec::with_capacity(n);
                for i in 0..n {
                    let key_at = self.pos;
                    let k = self.value(key).map_err(|e| e.index(i))?;
                    let v = self.value(value).map_err(|e| e.key(key_text(&k)))?;
                    entries.push(((k, v), key_at));
                }
                entries.sort_by(|a, b| key_order(&a.0 .0, &b.0 .0));
                if let Some(w) = entries
                    .windows(2)
                    .find(|w| key_order(&w[0].0 .0, &w[1].0 .0) == Ordering::Equal)
                {
                    return Err(self.fail(
                        w[0].1.max(w[1].1),
                        format!("duplicate key {}", key_text(&w[1].0 .0)),
                    ));
                }
                Value::Map(entries.into_iter().map(|(e, _)| e).collect())
            }
            Ty::Roblox(r) => self.roblox(r)?,
            Ty::Named(name) => self.named(name)?,
        })
    }

    fn items<'t>(&mut self, n: usize, ty: impl Fn(usize) -> &'t Ty) -> Res<Vec<Value>> {
        let mut items = Vec::with_capacity(n);
        for i in 0..n {
            items.push(self.value(ty(i)).map_err(|e| e.index(i))?);
        }
        Ok(items)
    }

    fn f32s(&mut self, n: usize) -> Res<Vec<f32>> {
        let at = self.pos;
        let len = self.array_len()?;
        if len != n {
            return Err(self.fail(
                at,
                format!("expected an array of {n} numbers, got {len} elements"),
            ));
        }
        (0..n)
            .map(|i| Ok(self.float(FloatTy::F32).map_err(|e| e.index(i))? as f32))
            .collect()
    }

    fn udims(&mut self, n: usize) -> Res<Vec<roblox::UDim>> {
        let at = self.pos;
        let len = self.array_len()?;
        if len != 2 * n {
            return Err(self.fail(
                at,
                format!("expected an array of {} numbers, got {len} elements", 2 * n),
            ));
        }
        (0..n)
            .map(|i| {
                let scale = self.float(FloatTy::F32).map_err(|e| e.index(2 * i))? as f32;
                let offset = self
                    .int(IntTy::I32, skyrocket_schema::ir::IntEncoding::Fixed)
                    .map_err(|e| e.index(2 * i + 1))? as i32;
                Ok(roblox::UDim { scale, offset })
            })
            .collect()
    }

    fn roblox(&mut self, ty: &RobloxTy) -> Res<Value> {
        use skyrocket_schema::ir::IntEncoding::Fixed;
        let at = self.pos;
        Ok(match ty {
            RobloxTy::Vector3(_)
            | RobloxTy::Vector2(_)
            | RobloxTy::CFrame { .. }
            | RobloxTy::Color3 { .. } => {
                let count = crate::common::roblox_float_count(ty).unwrap_or(0);
                let c = self.f32s(count)?;
                crate::common::roblox_from_floats(ty, &c).unwrap_or(Value::Unit)
            }
            RobloxTy::UDim => Value::UDim(self.udims(1)?[0]),
            RobloxTy::UDim2 => {
                let u = self.udims(2)?;
                Value::UDim2(roblox::UDim2 { x: u[0], y: u[1] })
            }
            RobloxTy::DateTime => Value::DateTime(roblox::DateTime {
                unix_millis: self.int(IntTy::I64, Fixed)? as i64,
            }),
            RobloxTy::EnumItem { .. } => Value::EnumItem(EnumItem {
                value: self.int(IntTy::U16, Fixed)? as u16,
            }),
            RobloxTy::Instance => {
                let index = self.int(IntTy::U32, Fixed)? as usize;
                let instance = self.instances.get(index).ok_or_else(|| {
                    self.fail(
                        at,
                        format!(
                            "no instance {index} in the side table (it holds {})",
                            self.instances.len()
                        ),
                    )
                })?;
                Value::Instance(*instance)
            }
        })
    }

    fn named(&mut self, name: &str) -> Res<Value> {
        let at = self.pos;
        let schema = self.schema;
        let def = named_within(schema, name, self.depth).map_err(|m| self.fail(at, m))?;
        self.depth += 1;
        let value = match &def.kind {
            TypeKind::Struct(fields) => Value::Struct(self.fields(fields, false)?),
            TypeKind::Enum(variants) => self.variant(variants)?,
        };
        self.depth -= 1;
        Ok(value)
    }

    fn variant(&mut self, variants: &[Variant]) -> Res<Value> {
        let at = self.pos;
        let find = |p: &Self, name: &str, at: usize| {
            variants
                .iter()
                .position(|v| v.wire_name == name)
                .ok_or_else(|| p.fail(at, format!("unknown variant {name:?}")))
        };
        if unit_only(variants) {
            let name = self.string()?;
            return Ok(Value::Enum(find(self, &name, at)? as u32, Vec::new()));
        }
        let n = self.map_len()?;
        let mut kind = None;
        for _ in 0..n {
            let key = self.string()?;
            if key == "kind" {
                let kind_at = self.pos;
                kind = Some((self.string()?, kind_at));
                break;
            }
            self.skip(0)?;
        }
        let (name, kind_at) = kind.ok_or_else(|| self.fail(at, "missing \"kind\""))?;
        let index = find(self, &name, kind_at)?;
        self.pos = at;
        let values = self.fields(&variants[index].fields, true)?;
        Ok(Value::Enum(index as u32, values))
    }

    fn fields(&mut self, fields: &Fields, with_kind: bool) -> Res<Vec<Value>> {
        let at = self.pos;
        let n = self.map_len()?;
        let list: Vec<_> = fields.encoded().collect();
        let mut slots: Vec<Option<Value>> = vec![None; list.len()];
        let mut kind_seen = false;
        for _ in 0..n {
            let key_at = self.pos;
            let key = self.string()?;
            if with_kind && key == "kind" {
                if kind_seen {
                    return Err(self.fail(key_at, "duplicate key \"kind\""));
                }
                kind_seen = true;
                self.skip(0)?;
                continue;
            }
            match list.iter().position(|f| f.wire_name == key) {
                Some(i) => {
                    if slots[i].is_some() {
                        return Err(self.fail(key_at, format!("duplicate key {key:?}")));
                    }
                    slots[i] = Some(
                        self.value(&list[i].ty)
                            .map_err(|e| e.field(&list[i].wire_name))?,
                    );
                }
                None => self.skip(0)?,
            }
        }
        list.iter()
            .zip(slots)
            .map(|(field, slot)| match slot {
                Some(v) => Ok(v),
                None if is_option(&field.ty) => Ok(Value::Option(None)),
                None => Err(self.fail(at, format!("missing field {:?}", field.wire_name))),
            })
            .collect()
    }
}

//! Decoding proto3 into schema values: any valid encoding of the message
//! (fields in any order, packed or unpacked repeated scalars, unknown fields
//! of every wire type), with the schema's validation on top.
//!
//! A message is read in two steps: one scan over its bytes decodes scalars
//! (the last occurrence wins), appends repeated elements and map entries,
//! and records where each singular sub-message occurs; then each recorded
//! sub-message is decoded from all its occurrences at once, which is
//! protobuf's merge (parsing the concatenation). Every byte is scanned once
//! per enclosing message, and the nesting of named types is bounded by their
//! `max_depth`.

use super::encode::check_int;
use super::path::{Fail, Res};
use super::shape::{
    kind, numbered, roblox_field_ty, unbox, unit_only, Kind, Scalar, WT_END_GROUP, WT_I32, WT_I64,
    WT_LEN, WT_START_GROUP, WT_VARINT,
};
use skyrocket::dynamic::{key_order, Value};
use skyrocket::roblox::{self, EnumItem, Instance};
use skyrocket_schema::ir::{Fields, RobloxTy, Schema, Ty, TypeKind};
use std::cmp::Ordering;
use std::ops::Range;

/// Unknown groups nested deeper than this are refused.
const MAX_GROUP_DEPTH: u32 = 32;

pub(crate) struct Dec<'a> {
    schema: &'a Schema,
    input: &'a [u8],
    instances: &'a [Instance],
    depth: u32,
}

/// What a message is made of.
#[derive(Clone, Copy)]
enum Layout<'t> {
    /// A message type (struct, enum with data, tuple, unit, Roblox composite).
    Type(&'t Ty),
    /// A wrapper: field 1 holds a value of this type.
    Wrap(&'t Ty),
    /// A map entry: key field 1, value field 2.
    Entry(&'t Ty, &'t Ty),
}

/// The state of one field while its message is scanned.
enum Slot {
    Empty,
    /// A scalar or an `Option` of a scalar: the last occurrence.
    Value(Value),
    /// Occurrences of a singular sub-message (to be merged).
    Pieces(Vec<Range<usize>>),
    /// Repeated elements or map entries so far.
    Items(Vec<Value>),
    Entries(Vec<(Value, Value)>),
}

/// A field the scan found: its number, wire type and payload bounds.
struct Found {
    number: u32,
    wt: u8,
    /// Where the key starts (for errors).
    at: usize,
    /// The payload: the varint, the fixed bytes or the delimited body.
    data: Range<usize>,
}

fn fail(at: usize, message: impl Into<String>) -> Fail {
    Fail::new(Some(at), message)
}

impl<'a> Dec<'a> {
    pub(crate) fn new(schema: &'a Schema, input: &'a [u8], instances: &'a [Instance]) -> Self {
        Dec {
            schema,
            input,
            instances,
            depth: 0,
        }
    }

    /// A whole message of `ty`.
    pub(crate) fn root(&mut self, ty: &'a Ty) -> Res<Value> {
        let ty = unbox(ty);
        let all = 0..self.input.len();
        let whole = std::slice::from_ref(&all);
        match kind(self.schema, ty) {
            Kind::Message => self.message(Layout::Type(ty), whole, 0),
            _ => Ok(unwrap_one(self.message(Layout::Wrap(ty), whole, 0)?)),
        }
    }

    /// Reads a varint at `*pos` (inside `end`), as prost does: at most ten
    /// bytes, the tenth at most 1.
    fn varint(&self, pos: &mut usize, end: usize) -> Res<u64> {
        let start = *pos;
        let mut slice = &self.input[start..end];
        let before = slice.len();
        let v = prost::encoding::decode_varint(&mut slice)
            .map_err(|_| fail(start, "invalid or truncated varint"))?;
        *pos += before - slice.len();
        Ok(v)
    }

    /// Scans one field at `*pos`; skips unknown groups itself.
    fn next_field(&self, pos: &mut usize, end: usize) -> Res<Found> {
        let at = *pos;
        let key = self.varint(pos, end)?;
        if key > u32::MAX as u64 {
            return Err(fail(at, format!("invalid field key {key}")));
        }
        let number = (key >> 3) as u32;
        let wt = (key & 7) as u8;
        if number == 0 {
            return Err(fail(at, "field number 0"));
        }
        let data_start = *pos;
        let len = match wt {
            WT_VARINT => {
                self.varint(pos, end)?;
                0
            }
            WT_I64 => 8,
            WT_I32 => 4,
            WT_LEN => {
                let len = self.varint(pos, end)?;
                let data_start = *pos;
                if len > (end - data_start) as u64 {
                    return Err(fail(
                        at,
                        format!("field {number}: {len} bytes, past the end"),
                    ));
                }
                *pos += len as usize;
                return Ok(Found {
                    number,
                    wt,
                    at,
                    data: data_start..*pos,
                });
            }
            WT_START_GROUP => {
                self.skip_group(number, pos, end, 1)?;
                return Ok(Found {
                    number,
                    wt,
                    at,
                    data: data_start..*pos,
                });
            }
            WT_END_GROUP => return Err(fail(at, format!("unexpected end of group {number}"))),
            _ => return Err(fail(at, format!("field {number}: invalid wire type {wt}"))),
        };
        if len > end - *pos {
            return Err(fail(at, format!("field {number}: truncated")));
        }
        *pos += len;
        Ok(Found {
            number,
            wt,
            at,
            data: data_start..*pos,
        })
    }

    /// Skips an unknown group up to its end-group key (protobuf's deprecated
    /// groups are skipped like any unknown field, as prost does).
    fn skip_group(&self, number: u32, pos: &mut usize, end: usize, depth: u32) -> Res<()> {
        if depth > MAX_GROUP_DEPTH {
            return Err(fail(*pos, "groups nested too deeply"));
        }
        loop {
            if *pos >= end {
                return Err(fail(*pos, format!("group {number} has no end")));
            }
            let at = *pos;
            let key = self.varint(pos, end)?;
            let (inner, wt) = ((key >> 3) as u32, (key & 7) as u8);
            if key > u32::MAX as u64 || inner == 0 {
                return Err(fail(at, format!("invalid field key {key}")));
            }
            match wt {
                WT_END_GROUP if inner == number => return Ok(()),
                WT_END_GROUP => return Err(fail(at, format!("unexpected end of group {inner}"))),
                WT_START_GROUP => self.skip_group(inner, pos, end, depth + 1)?,
                _ => {
                    *pos = at;
                    self.next_field(pos, end)?;
                }
            }
        }
    }

    /// The fields of a layout: (number, type) in number order.
    fn fields(&self, layout: Layout<'a>) -> Res<Vec<(u32, &'a Ty)>> {
        Ok(match layout {
            Layout::Wrap(ty) => vec![(1, ty)],
            Layout::Entry(k, v) => vec![(1, k), (2, v)],
            Layout::Type(ty) => match ty {
                Ty::Unit => vec![],
                Ty::Tuple(tys) => tys
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (i as u32 + 1, t))
                    .collect(),
                Ty::Roblox(r) => (1..=super::shape::roblox_fields(r).len() as u32)
                    .map(|n| (n, roblox_field_ty(r, n)))
                    .collect(),
                Ty::Named(name) => match self.schema.get(name).map(|d| &d.kind) {
                    Some(TypeKind::Struct(fields)) => {
                        numbered(fields).map(|(n, f)| (n, &f.ty)).collect()
                    }
                    _ => vec![],
                },
                _ => vec![],
            },
        })
    }

    /// Decodes a message of `layout` from all its occurrences `pieces`.
    fn message(&mut self, layout: Layout<'a>, pieces: &[Range<usize>], at: usize) -> Res<Value> {
        if let Layout::Type(Ty::Named(name)) = layout {
            let schema = self.schema;
            let def = schema
                .get(name)
                .ok_or_else(|| fail(at, format!("no schema type {name}")))?;
            if self.depth >= def.max_depth {
                return Err(fail(
                    at,
                    format!("nested deeper than max_depth {}", def.max_depth),
                ));
            }
            self.depth += 1;
            let value = match &def.kind {
                TypeKind::Enum(variants) if !unit_only(variants) => {
                    self.oneof(variants, pieces, at)
                }
                _ => self.plain(layout, pieces, at),
            };
            self.depth -= 1;
            return value;
        }
        self.plain(layout, pieces, at)
    }

    fn plain(&mut self, layout: Layout<'a>, pieces: &[Range<usize>], at: usize) -> Res<Value> {
        let fields = self.fields(layout)?;
        let mut slots: Vec<Slot> = fields.iter().map(|_| Slot::Empty).collect();
        let mut last_at: Vec<usize> = vec![at; fields.len()];
        let mut hint = 0;
        for piece in pieces {
            let mut pos = piece.start;
            while pos < piece.end {
                let found = self.next_field(&mut pos, piece.end)?;
                // Fields come in number order in canonical messages: try the
                // next one first.
                let index = if fields.get(hint).is_some_and(|f| f.0 == found.number) {
                    Some(hint)
                } else {
                    fields.binary_search_by_key(&found.number, |f| f.0).ok()
                };
                let Some(index) = index else {
                    continue; // Unknown field: skipped.
                };
                hint = index + 1;
                last_at[index] = found.at;
                let ty = fields[index].1;
                self.occurrence(layout, ty, &mut slots[index], &found)
                    .map_err(|f| name_field(f, self.schema, layout, index))?;
            }
        }
        let mut values = Vec::with_capacity(fields.len());
        for (index, ((_, ty), slot)) in fields.iter().zip(slots).enumerate() {
            let entry_value = matches!(layout, Layout::Entry(..)) && index == 1;
            let v = self
                .finish(ty, slot, last_at[index], entry_value)
                .map_err(|f| name_field(f, self.schema, layout, index))?;
            values.push(v);
        }
        self.assemble(layout, values, at)
    }

    /// One occurrence of a known field.
    fn occurrence(
        &mut self,
        layout: Layout<'a>,
        ty: &'a Ty,
        slot: &mut Slot,
        f: &Found,
    ) -> Res<()> {
        let ty = unbox(ty);
        let entry_value = matches!(layout, Layout::Entry(..)) && f.number == 2;
        let k = kind(self.schema, ty);
        if entry_value && matches!(k, Kind::Option | Kind::Repeated | Kind::Map) {
            // A map value that needs a wrapper message.
            return self.piece(slot, f);
        }
        match k {
            Kind::Scalar(s) => {
                *slot = Slot::Value(self.scalar(s, ty, f)?);
            }
            Kind::Option => {
                let Ty::Option(inner) = ty else {
                    unreachable_kind(f)?
                };
                let inner = unbox(inner);
                match kind(self.schema, inner) {
                    Kind::Scalar(s) => *slot = Slot::Value(self.scalar(s, inner, f)?),
                    _ => self.piece(slot, f)?,
                }
            }
            Kind::Message => self.piece(slot, f)?,
            Kind::Repeated => self.element(ty, slot, f)?,
            Kind::Map => {
                let Ty::Map {
                    key,
                    value,
                    max_len,
                    ..
                } = ty
                else {
                    unreachable_kind(f)?
                };
                expect_wt(f, WT_LEN)?;
                let Value::List(kv) = self.message(
                    Layout::Entry(key, value),
                    std::slice::from_ref(&f.data),
                    f.at,
                )?
                else {
                    return Err(fail(f.at, "map entry"));
                };
                let mut kv = kv.into_iter();
                let (Some(k), Some(v)) = (kv.next(), kv.next()) else {
                    return Err(fail(f.at, "map entry"));
                };
                if !matches!(slot, Slot::Entries(_)) {
                    *slot = Slot::Entries(Vec::new());
                }
                if let Slot::Entries(entries) = slot {
                    entries.push((k, v));
                    // Entries count as they arrive, a repeated key included,
                    // so memory stays within the cap.
                    limit(entries.len(), max_len.map(|m| m as usize), f.at)?;
                }
            }
        }
        Ok(())
    }

    fn piece(&self, slot: &mut Slot, f: &Found) -> Res<()> {
        expect_wt(f, WT_LEN)?;
        match slot {
            Slot::Pieces(p) => p.push(f.data.clone()),
            _ => *slot = Slot::Pieces(vec![f.data.clone()]),
        }
        Ok(())
    }

    /// One occurrence of a repeated field: an element, or a packed run.
    fn element(&mut self, ty: &'a Ty, slot: &mut Slot, f: &Found) -> Res<()> {
        let (elem, max_len) = match ty {
            Ty::List { elem, max_len } | Ty::Set { elem, max_len, .. } => (elem, *max_len),
            Ty::Array { elem, len } => (elem, Some(*len)),
            _ => unreachable_kind(f)?,
        };
        let elem = unbox(elem);
        if !matches!(slot, Slot::Items(_)) {
            *slot = Slot::Items(Vec::new());
        }
        let Slot::Items(items) = slot else {
            return Err(fail(f.at, "repeated field"));
        };
        let cap = max_len.map(|m| m as usize);
        match kind(self.schema, elem) {
            Kind::Scalar(s) if s.packed() && f.wt == WT_LEN => {
                let mut pos = f.data.start;
                while pos < f.data.end {
                    let one = self.packed_one(s, &mut pos, f.data.end, f.number)?;
                    items.push(
                        self.scalar(s, elem, &one)
                            .map_err(|e| e.index(items.len()))?,
                    );
                    limit(items.len(), cap, one.at)?;
                }
            }
            Kind::Scalar(s) => {
                items.push(self.scalar(s, elem, f).map_err(|e| e.index(items.len()))?);
                limit(items.len(), cap, f.at)?;
            }
            Kind::Message => {
                expect_wt(f, WT_LEN)?;
                let v = self
                    .message(Layout::Type(elem), std::slice::from_ref(&f.data), f.at)
                    .map_err(|e| e.index(items.len()))?;
                items.push(v);
                limit(items.len(), cap, f.at)?;
            }
            _ => {
                expect_wt(f, WT_LEN)?;
                let v = self
                    .message(Layout::Wrap(elem), std::slice::from_ref(&f.data), f.at)
                    .map_err(|e| e.index(items.len()))?;
                let Value::List(mut one) = v else {
                    return Err(fail(f.at, "wrapper"));
                };
                items.push(one.pop().unwrap_or(Value::Unit));
                limit(items.len(), cap, f.at)?;
            }
        }
        Ok(())
    }

    /// One value of a packed run, as a field of its own.
    fn packed_one(&self, s: Scalar, pos: &mut usize, end: usize, number: u32) -> Res<Found> {
        let at = *pos;
        match s.wire_type() {
            WT_VARINT => {
                self.varint(pos, end)?;
            }
            wt => {
                let n = if wt == WT_I32 { 4 } else { 8 };
                if end - *pos < n {
                    return Err(fail(
                        at,
                        format!("field {number}: packed run ends inside a value"),
                    ));
                }
                *pos += n;
            }
        }
        Ok(Found {
            number,
            wt: s.wire_type(),
            at,
            data: at..*pos,
        })
    }

    /// The final value of a field from what the scan collected.
    fn finish(&mut self, ty: &'a Ty, slot: Slot, at: usize, entry_value: bool) -> Res<Value> {
        let ty = unbox(ty);
        let k = kind(self.schema, ty);
        if entry_value && matches!(k, Kind::Option | Kind::Repeated | Kind::Map) {
            let pieces = match slot {
                Slot::Pieces(p) => p,
                _ => Vec::new(),
            };
            return Ok(unwrap_one(self.message(Layout::Wrap(ty), &pieces, at)?));
        }
        match (k, slot) {
            (Kind::Scalar(_), Slot::Value(v)) => Ok(v),
            (Kind::Scalar(s), Slot::Empty) => self.default_scalar(s, ty, at),
            (Kind::Message, Slot::Pieces(p)) => self.message(Layout::Type(ty), &p, at),
            (Kind::Message, Slot::Empty) => self.message(Layout::Type(ty), &[], at),
            (Kind::Option, Slot::Empty) => Ok(Value::Option(None)),
            (Kind::Option, Slot::Value(v)) => Ok(Value::Option(Some(Box::new(v)))),
            (Kind::Option, Slot::Pieces(p)) => {
                let Ty::Option(inner) = ty else {
                    return Err(fail(at, "option"));
                };
                let inner = unbox(inner);
                let v = match kind(self.schema, inner) {
                    Kind::Message => self.message(Layout::Type(inner), &p, at)?,
                    _ => unwrap_one(self.message(Layout::Wrap(inner), &p, at)?),
                };
                Ok(Value::Option(Some(Box::new(v))))
            }
            (Kind::Repeated, slot) => {
                let items = match slot {
                    Slot::Items(items) => items,
                    _ => Vec::new(),
                };
                self.finish_repeated(ty, items, at)
            }
            (Kind::Map, slot) => {
                let entries = match slot {
                    Slot::Entries(e) => e,
                    _ => Vec::new(),
                };
                // Later entries replace earlier ones with the same key.
                let mut entries = entries;
                entries.reverse();
                entries.sort_by(|a, b| key_order(&a.0, &b.0));
                entries.dedup_by(|b, a| key_order(&a.0, &b.0) == Ordering::Equal);
                Ok(Value::Map(entries))
            }
            _ => Err(fail(at, "field holds the wrong kind of value")),
        }
    }

    fn finish_repeated(&self, ty: &Ty, mut items: Vec<Value>, at: usize) -> Res<Value> {
        match ty {
            Ty::Array { len, .. } if items.len() != *len as usize => Err(fail(
                at,
                format!("expected {len} elements, got {}", items.len()),
            )),
            Ty::Set { .. } => {
                items.sort_by(key_order);
                if let Some(i) = items
                    .windows(2)
                    .position(|w| key_order(&w[0], &w[1]) == Ordering::Equal)
                {
                    return Err(fail(at, "the same set element twice").index(i + 1));
                }
                Ok(Value::List(items))
            }
            _ => Ok(Value::List(items)),
        }
    }

    /// Builds the value of a message type from its field values.
    fn assemble(&self, layout: Layout<'a>, values: Vec<Value>, at: usize) -> Res<Value> {
        let ty = match layout {
            Layout::Wrap(_) | Layout::Entry(..) => return Ok(Value::List(values)),
            Layout::Type(ty) => ty,
        };
        let float = |i: usize| match values.get(i) {
            Some(Value::Float(f)) => *f as f32,
            _ => 0.0,
        };
        Ok(match ty {
            Ty::Unit => Value::Unit,
            Ty::Tuple(_) => Value::List(values),
            Ty::Roblox(r) => match r {
                RobloxTy::Vector3(_)
                | RobloxTy::Vector2(_)
                | RobloxTy::CFrame { .. }
                | RobloxTy::Color3 { .. } => {
                    let count = crate::common::roblox_float_count(r).unwrap_or(0);
                    let floats: Vec<f32> = (0..count).map(float).collect();
                    crate::common::roblox_from_floats(r, &floats).unwrap_or(Value::Unit)
                }
                RobloxTy::UDim => Value::UDim(roblox::UDim {
                    scale: float(0),
                    offset: match values.get(1) {
                        Some(Value::Int(i)) => *i as i32,
                        _ => 0,
                    },
                }),
                RobloxTy::UDim2 => {
                    let mut parts = values.into_iter().map(|v| match v {
                        Value::UDim(u) => u,
                        _ => roblox::UDim::default(),
                    });
                    let x = parts.next().unwrap_or_default();
                    let y = parts.next().unwrap_or_default();
                    Value::UDim2(roblox::UDim2 { x, y })
                }
                _ => return Err(fail(at, "not a message type")),
            },
            Ty::Named(_) => Value::Struct(values),
            _ => return Err(fail(at, "not a message type")),
        })
    }

    /// An enum with data: a `oneof` of its variants; the last member wins,
    /// and occurrences of the same member merge.
    fn oneof(
        &mut self,
        variants: &'a [skyrocket_schema::ir::Variant],
        pieces: &[Range<usize>],
        at: usize,
    ) -> Res<Value> {
        let mut chosen: Option<(usize, Vec<Range<usize>>, usize)> = None;
        for piece in pieces {
            let mut pos = piece.start;
            while pos < piece.end {
                let found = self.next_field(&mut pos, piece.end)?;
                let index = found.number as usize - 1;
                if index >= variants.len() {
                    continue;
                }
                expect_wt(&found, WT_LEN).map_err(|f| f.name(&variants[index].wire_name))?;
                match &mut chosen {
                    Some((i, p, last)) if *i == index => {
                        p.push(found.data.clone());
                        *last = found.at;
                    }
                    _ => chosen = Some((index, vec![found.data.clone()], found.at)),
                }
            }
        }
        let Some((index, pieces, last)) = chosen else {
            return Err(fail(at, "no variant is set"));
        };
        let variant = &variants[index];
        let values = self
            .variant_fields(&variant.fields, &pieces, last)
            .map_err(|f| f.name(&variant.wire_name))?;
        Ok(Value::Enum(index as u32, values))
    }

    fn variant_fields(
        &mut self,
        fields: &'a Fields,
        pieces: &[Range<usize>],
        at: usize,
    ) -> Res<Vec<Value>> {
        // A variant's fields are a message of their own; decode them as a
        // tuple of the encoded field types at their numbers.
        let numbered: Vec<(u32, &'a Ty, &'a str)> = numbered(fields)
            .map(|(n, f)| (n, &f.ty, f.wire_name.as_str()))
            .collect();
        let mut slots: Vec<Slot> = numbered.iter().map(|_| Slot::Empty).collect();
        let mut last_at = vec![at; numbered.len()];
        for piece in pieces {
            let mut pos = piece.start;
            while pos < piece.end {
                let found = self.next_field(&mut pos, piece.end)?;
                let Ok(index) = numbered.binary_search_by_key(&found.number, |f| f.0) else {
                    continue;
                };
                last_at[index] = found.at;
                let (_, ty, name) = numbered[index];
                self.occurrence(Layout::Wrap(ty), ty, &mut slots[index], &found)
                    .map_err(|f| f.name(name))?;
            }
        }
        let mut values = Vec::with_capacity(numbered.len());
        for (index, ((_, ty, name), slot)) in numbered.iter().zip(slots).enumerate() {
            values.push(
                self.finish(ty, slot, last_at[index], false)
                    .map_err(|f| f.name(name))?,
            );
        }
        Ok(values)
    }

    /// Decodes one scalar occurrence, checking its wire type and range.
    fn scalar(&self, s: Scalar, ty: &Ty, f: &Found) -> Res<Value> {
        let wt = s.wire_type();
        if f.wt != wt {
            return Err(fail(
                f.at,
                format!("field {}: wire type {}, expected {wt}", f.number, f.wt),
            ));
        }
        let data = &self.input[f.data.clone()];
        let at = f.data.start;
        let varint = || {
            let mut pos = f.data.start;
            self.varint(&mut pos, f.data.end)
        };
        let u32_of =
            |v: u64| u32::try_from(v).map_err(|_| fail(at, format!("{v} does not fit 32 bits")));
        Ok(match s {
            // Any non-zero varint is true, as protobuf specifies.
            Scalar::Bool => Value::Bool(varint()? != 0),
            Scalar::U32(_) => self.int(ty, u32_of(varint()?)? as i128, at)?,
            Scalar::U64 => self.int(ty, varint()? as i128, at)?,
            Scalar::S32(_) => {
                let z = u32_of(varint()?)?;
                self.int(ty, ((z >> 1) as i32 ^ -((z & 1) as i32)) as i128, at)?
            }
            Scalar::S64 => {
                let z = varint()?;
                self.int(ty, ((z >> 1) as i64 ^ -((z & 1) as i64)) as i128, at)?
            }
            Scalar::Millis => Value::DateTime(roblox::DateTime {
                unix_millis: varint()? as i64,
            }),
            Scalar::F32 => {
                let b: [u8; 4] = data.try_into().map_err(|_| fail(at, "float"))?;
                Value::Float(f32::from_le_bytes(b) as f64)
            }
            Scalar::F64 => {
                let b: [u8; 8] = data.try_into().map_err(|_| fail(at, "double"))?;
                Value::Float(f64::from_le_bytes(b))
            }
            Scalar::Str => {
                let text = std::str::from_utf8(data)
                    .map_err(|e| fail(at + e.valid_up_to(), "invalid UTF-8"))?;
                if let Ty::String { max_len: Some(m) } = ty {
                    if text.len() > *m as usize {
                        return Err(fail(
                            at,
                            format!("{} bytes, more than max_len {m}", text.len()),
                        ));
                    }
                }
                Value::String(text.to_owned())
            }
            Scalar::Bytes => {
                match ty {
                    Ty::Bytes { max_len: Some(m) } if data.len() > *m as usize => {
                        return Err(fail(
                            at,
                            format!("{} bytes, more than max_len {m}", data.len()),
                        ))
                    }
                    Ty::ByteArray(n) if data.len() != *n as usize => {
                        return Err(fail(at, format!("expected {n} bytes, got {}", data.len())))
                    }
                    _ => {}
                }
                Value::Bytes(data.to_vec())
            }
            Scalar::Enum(count) => {
                let v = varint()?;
                if v >= count as u64 {
                    return Err(fail(at, format!("no variant {v} (the enum has {count})")));
                }
                Value::Enum(v as u32, Vec::new())
            }
            Scalar::EnumItem => {
                let v = varint()?;
                let value = u16::try_from(v)
                    .map_err(|_| fail(at, format!("enum item value {v} above 65535")))?;
                Value::EnumItem(EnumItem { value })
            }
            Scalar::Instance => {
                let v = varint()?;
                self.instance(v, at)?
            }
        })
    }

    fn instance(&self, index: u64, at: usize) -> Res<Value> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.instances.get(i))
            .map(|i| Value::Instance(*i))
            .ok_or_else(|| {
                fail(
                    at,
                    format!(
                        "instance {index} is not in the side table of {}",
                        self.instances.len()
                    ),
                )
            })
    }

    fn int(&self, ty: &Ty, v: i128, at: usize) -> Res<Value> {
        check_int(ty, v).map_err(|f| fail(at, f.message))?;
        Ok(Value::Int(v))
    }

    /// The value of an absent implicit-presence field, validated like any.
    fn default_scalar(&self, s: Scalar, ty: &Ty, at: usize) -> Res<Value> {
        Ok(match s {
            Scalar::Bool => Value::Bool(false),
            Scalar::U32(_) | Scalar::U64 | Scalar::S32(_) | Scalar::S64 => self.int(ty, 0, at)?,
            Scalar::Millis => Value::DateTime(roblox::DateTime { unix_millis: 0 }),
            Scalar::F32 | Scalar::F64 => Value::Float(0.0),
            Scalar::Str => Value::String(String::new()),
            Scalar::Bytes => {
                if let Ty::ByteArray(n) = ty {
                    if *n != 0 {
                        return Err(fail(at, format!("expected {n} bytes, got none")));
                    }
                }
                Value::Bytes(Vec::new())
            }
            Scalar::Enum(_) => Value::Enum(0, Vec::new()),
            Scalar::EnumItem => Value::EnumItem(EnumItem { value: 0 }),
            Scalar::Instance => self.instance(0, at)?,
        })
    }
}

fn unwrap_one(v: Value) -> Value {
    match v {
        Value::List(mut one) => one.pop().unwrap_or(Value::Unit),
        other => other,
    }
}

fn expect_wt(f: &Found, wt: u8) -> Res<()> {
    if f.wt != wt {
        return Err(fail(
            f.at,
            format!("field {}: wire type {}, expected {wt}", f.number, f.wt),
        ));
    }
    Ok(())
}

fn limit(len: usize, cap: Option<usize>, at: usize) -> Res<()> {
    match cap {
        Some(m) if len > m => Err(fail(at, format!("more than {m} elements"))),
        _ => Ok(()),
    }
}

fn unreachable_kind<T>(f: &Found) -> Res<T> {
    Err(fail(f.at, "unexpected field type"))
}

/// Adds the name of field `index` of `layout` to an error's path.
fn name_field(f: Fail, schema: &Schema, layout: Layout<'_>, index: usize) -> Fail {
    match layout {
        Layout::Type(Ty::Named(name)) => match schema.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(fields)) => match numbered(fields).nth(index) {
                Some((_, field)) => f.name(&field.wire_name),
                None => f,
            },
            _ => f,
        },
        Layout::Type(Ty::Roblox(r)) => match super::shape::roblox_fields(r).get(index) {
            Some(n) => f.name(n),
            None => f,
        },
        Layout::Type(Ty::Tuple(_)) => f.index(index),
        Layout::Entry(..) if index == 0 => f.name("key"),
        Layout::Entry(..) => f.name("value"),
        _ => f,
    }
}

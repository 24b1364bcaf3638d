//! What the schema-driven formats (JSON, MessagePack, Protobuf) share: failures that
//! remember where they happened, and the checks every format applies exactly
//! as the bit-packed encoder does.

use crate::FormatError;
use skyrocket::dynamic::{key_order, Value};
use skyrocket::roblox::{CFrame, Color3, Vector2, Vector3};
use skyrocket_schema::ir::{Fields, IntEncoding, IntTy, RobloxTy, Schema, Ty, TypeDef};
use std::cmp::Ordering;

/// One step of a path into a value.
#[derive(Debug, Clone)]
enum Step {
    Field(String),
    Index(usize),
    Key(String),
}

/// A failure with its path, built leaf first while the error unwinds (so the
/// success path never pays for path bookkeeping).
#[derive(Debug, Clone)]
pub(crate) struct Fail {
    steps: Vec<Step>,
    offset: Option<usize>,
    message: String,
}

/// Result of the formats' internals.
pub(crate) type Res<T> = Result<T, Fail>;

impl Fail {
    /// A failure at byte `offset` (decoding) or without one (encoding).
    pub(crate) fn new(offset: Option<usize>, message: impl Into<String>) -> Self {
        Fail {
            steps: Vec::new(),
            offset,
            message: message.into(),
        }
    }

    /// Prepends a struct field or variant field.
    pub(crate) fn field(mut self, name: &str) -> Self {
        self.steps.push(Step::Field(name.to_owned()));
        self
    }

    /// Prepends a list, array or tuple index.
    pub(crate) fn index(mut self, i: usize) -> Self {
        self.steps.push(Step::Index(i));
        self
    }

    /// Prepends a map key (its text).
    pub(crate) fn key(mut self, key: impl Into<String>) -> Self {
        self.steps.push(Step::Key(key.into()));
        self
    }

    /// `players[3].health`
    pub(crate) fn path(&self) -> String {
        let mut out = String::new();
        for step in self.steps.iter().rev() {
            match step {
                Step::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
                Step::Key(k) => out.push_str(&format!("[{k}]")),
            }
        }
        out
    }

    /// The public error for an encode failure of `format`.
    pub(crate) fn encode_error(self, format: &str) -> FormatError {
        FormatError::encode(format, self.path(), self.message)
    }

    /// The public error for a decode failure of `format`.
    pub(crate) fn decode_error(self, format: &str) -> FormatError {
        FormatError::decode(format, self.path(), self.offset, self.message)
    }
}

/// The text of a map key in paths: strings as they are, numbers in decimal.
pub(crate) fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

/// The inclusive bounds an integer of this type and encoding may take.
pub(crate) fn int_bounds(kind: IntTy, encoding: IntEncoding) -> (i128, i128) {
    match encoding {
        IntEncoding::Range { lo, hi } => (lo, hi),
        _ => (kind.min_value(), kind.max_value()),
    }
}

/// Checks an integer against its type and range, as the bit-packed encoder does.
pub(crate) fn check_int(kind: IntTy, encoding: IntEncoding, v: i128) -> Result<(), String> {
    let (lo, hi) = int_bounds(kind, encoding);
    if v < lo || v > hi {
        return Err(format!("expected an integer in {lo}..={hi}, got {v}"));
    }
    Ok(())
}

/// Checks the length of a fixed-size value (`[u8; N]`, `[T; N]`, a tuple).
pub(crate) fn check_exact_len(len: usize, expected: usize, what: &str) -> Result<(), String> {
    if len == expected {
        Ok(())
    } else {
        Err(format!("expected exactly {expected} {what}, got {len}"))
    }
}

/// Checks a length against a `max_len` cap.
pub(crate) fn check_len(len: usize, max_len: Option<u32>, what: &str) -> Result<(), String> {
    match max_len {
        Some(max) if len > max as usize => {
            Err(format!("{what} of length {len} exceeds max_len {max}"))
        }
        _ => Ok(()),
    }
}

/// A named type of the schema.
pub(crate) fn named<'s>(schema: &'s Schema, name: &str) -> Result<&'s TypeDef, String> {
    schema
        .get(name)
        .ok_or_else(|| format!("the schema has no type named {name}"))
}

/// A named type of the schema that a decoder at nesting `depth` may enter
/// (its `max_depth` not reached).
pub(crate) fn named_within<'s>(
    schema: &'s Schema,
    name: &str,
    depth: u32,
) -> Result<&'s TypeDef, String> {
    let def = named(schema, name)?;
    if depth >= def.max_depth {
        return Err(format!(
            "nesting deeper than max_depth {} of {}",
            def.max_depth, def.wire_name
        ));
    }
    Ok(def)
}

/// Whether every variant of an enum is a unit variant (written as a string).
pub(crate) fn unit_only(variants: &[skyrocket_schema::ir::Variant]) -> bool {
    variants.iter().all(|v| matches!(v.fields, Fields::Unit))
}

/// Whether a missing struct field may default to `None`.
pub(crate) fn is_option(ty: &Ty) -> bool {
    match ty {
        Ty::Option(_) => true,
        Ty::Boxed(inner) => is_option(inner),
        _ => false,
    }
}

/// Sorts set elements (`Value::List`) or map entries into the spec's key
/// order and rejects duplicates, so encoders write the canonical order
/// whatever order the value holds.
pub(crate) fn sorted<'v, T>(items: &'v [T], key: impl Fn(&'v T) -> &'v Value) -> Res<Vec<&'v T>> {
    let mut refs: Vec<&T> = items.iter().collect();
    refs.sort_by(|a, b| key_order(key(a), key(b)));
    for (i, w) in refs.windows(2).enumerate() {
        if key_order(key(w[0]), key(w[1])) == Ordering::Equal {
            return Err(
                Fail::new(None, format!("duplicate key {}", key_text(key(w[1])))).index(i + 1),
            );
        }
    }
    Ok(refs)
}

/// The encoded fields of a struct or variant, checked against the value's count.
pub(crate) fn encoded_fields<'s>(
    fields: &'s Fields,
    values: &[Value],
) -> Res<Vec<&'s skyrocket_schema::ir::Field>> {
    let list: Vec<_> = fields.encoded().collect();
    if list.len() != values.len() {
        return Err(Fail::new(
            None,
            format!("expected {} fields, got {}", list.len(), values.len()),
        ));
    }
    Ok(list)
}

/// The float components every format carries for a float-based Roblox type
/// (Vector3: x, y, z; Vector2: x, y; CFrame: its 12 `GetComponents()`;
/// Color3: r, g, b), or `None` for other types or a mismatched value.
pub(crate) fn roblox_floats(ty: &RobloxTy, value: &Value) -> Option<Vec<f32>> {
    Some(match (ty, value) {
        (RobloxTy::Vector3(_), Value::Vector3(v)) => vec![v.x, v.y, v.z],
        (RobloxTy::Vector2(_), Value::Vector2(v)) => vec![v.x, v.y],
        (RobloxTy::CFrame { .. }, Value::CFrame(cf)) => cf.components().to_vec(),
        (RobloxTy::Color3 { .. }, Value::Color3(c)) => vec![c.r, c.g, c.b],
        _ => return None,
    })
}

/// How many floats [`roblox_floats`] gives for `ty`, or `None` when `ty` is
/// not a float-based Roblox type.
pub(crate) fn roblox_float_count(ty: &RobloxTy) -> Option<usize> {
    match ty {
        RobloxTy::Vector3(_) | RobloxTy::Color3 { .. } => Some(3),
        RobloxTy::Vector2(_) => Some(2),
        RobloxTy::CFrame { .. } => Some(12),
        _ => None,
    }
}

/// The inverse of [`roblox_floats`]; missing components are 0.
pub(crate) fn roblox_from_floats(ty: &RobloxTy, c: &[f32]) -> Option<Value> {
    let f = |i: usize| c.get(i).copied().unwrap_or(0.0);
    Some(match ty {
        RobloxTy::Vector3(_) => Value::Vector3(Vector3::new(f(0), f(1), f(2))),
        RobloxTy::Vector2(_) => Value::Vector2(Vector2::new(f(0), f(1))),
        RobloxTy::CFrame { .. } => Value::CFrame(CFrame {
            position: Vector3::new(f(0), f(1), f(2)),
            rotation: [[f(3), f(4), f(5)], [f(6), f(7), f(8)], [f(9), f(10), f(11)]],
        }),
        RobloxTy::Color3 { .. } => Value::Color3(Color3 {
            r: f(0),
            g: f(1),
            b: f(2),
        }),
        _ => return None,
    })
}

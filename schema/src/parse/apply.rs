//! Applying field attributes to a resolved type.
//!
//! Numeric attributes (`range`, `varint`, `half`, `quantize`) and the Roblox
//! ones (`lossless`, `roblox_enum`) apply to the innermost values: through
//! `Option`, `Box`, `Vec`, arrays, map values, set elements and every tuple
//! element. `max_len` applies to the outermost string or collection (through
//! `Option` and `Box`).

use proc_macro2::Span;

use crate::ir::{FloatEncoding, IntEncoding, IntTy, RobloxTy, Ty};
use crate::size::zero_bits_local;

use super::attrs::FieldAttrs;

/// A short Rust-like spelling of a type, for error messages.
pub(crate) fn spelling(ty: &Ty) -> String {
    match ty {
        Ty::Unit => "()".into(),
        Ty::Bool => "bool".into(),
        Ty::Int(t, _) => t.rust_name().into(),
        Ty::Float(crate::ir::FloatTy::F32, _) => "f32".into(),
        Ty::Float(crate::ir::FloatTy::F64, _) => "f64".into(),
        Ty::String { .. } => "String".into(),
        Ty::Bytes { .. } => "Vec<u8>".into(),
        Ty::ByteArray(n) => format!("[u8; {n}]"),
        Ty::Option(t) => format!("Option<{}>", spelling(t)),
        Ty::Boxed(t) => format!("Box<{}>", spelling(t)),
        Ty::List { elem, .. } => format!("Vec<{}>", spelling(elem)),
        Ty::Array { elem, len } => format!("[{}; {len}]", spelling(elem)),
        Ty::Tuple(items) => format!(
            "({})",
            items.iter().map(spelling).collect::<Vec<_>>().join(", ")
        ),
        Ty::Map { key, value, .. } => format!("map<{}, {}>", spelling(key), spelling(value)),
        Ty::Set { elem, .. } => format!("set<{}>", spelling(elem)),
        Ty::Roblox(r) => match r {
            RobloxTy::Vector3(_) => "Vector3",
            RobloxTy::Vector2(_) => "Vector2",
            RobloxTy::CFrame { .. } => "CFrame",
            RobloxTy::Color3 { .. } => "Color3",
            RobloxTy::UDim => "UDim",
            RobloxTy::UDim2 => "UDim2",
            RobloxTy::DateTime => "DateTime",
            RobloxTy::EnumItem { .. } => "EnumItem",
            RobloxTy::Instance => "Instance",
        }
        .into(),
        Ty::Named(n) => n.clone(),
    }
}

/// Collects mutable references to the innermost values of `ty`.
fn leaves_mut<'a>(ty: &'a mut Ty, out: &mut Vec<&'a mut Ty>) {
    match ty {
        Ty::Option(t) | Ty::Boxed(t) => leaves_mut(t, out),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            leaves_mut(elem, out)
        }
        Ty::Map { value, .. } => leaves_mut(value, out),
        Ty::Tuple(items) => items.iter_mut().for_each(|t| leaves_mut(t, out)),
        _ => out.push(ty),
    }
}

/// Turns byte strings into lists of `u8` so integer attributes can reach the bytes.
fn unpack_bytes(ty: &mut Ty) {
    let u8_ty = || Box::new(Ty::Int(IntTy::U8, IntEncoding::Fixed));
    match ty {
        Ty::Bytes { max_len } => {
            *ty = Ty::List {
                elem: u8_ty(),
                max_len: *max_len,
            }
        }
        Ty::ByteArray(len) => {
            *ty = Ty::Array {
                elem: u8_ty(),
                len: *len,
            }
        }
        Ty::Option(t) | Ty::Boxed(t) => unpack_bytes(t),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => unpack_bytes(elem),
        Ty::Map { value, .. } => unpack_bytes(value),
        Ty::Tuple(items) => items.iter_mut().for_each(unpack_bytes),
        _ => {}
    }
}

/// One leaf-level attribute: name, span, and how it changes a leaf (or why not).
type LeafRule<'a> = (
    &'a str,
    Span,
    Box<dyn Fn(&mut Ty) -> Result<(), String> + 'a>,
);

fn range_rule(lo: i128, hi: i128) -> impl Fn(&mut Ty) -> Result<(), String> {
    move |leaf| match leaf {
        Ty::Int(t, enc) => {
            if lo < t.min_value() || hi > t.max_value() {
                return Err(format!(
                    "range {lo}..={hi} does not fit in `{}` ({}..={})",
                    t.rust_name(),
                    t.min_value(),
                    t.max_value()
                ));
            }
            *enc = IntEncoding::Range { lo, hi };
            Ok(())
        }
        other => Err(format!(
            "`range` applies to integers, not `{}`",
            spelling(other)
        )),
    }
}

fn varint_rule(leaf: &mut Ty) -> Result<(), String> {
    match leaf {
        Ty::Int(t, _) if t.bits() == 8 => Err(format!(
            "`varint` needs an integer of 16 bits or more; `{}` is already one byte",
            t.rust_name()
        )),
        Ty::Int(_, enc) => {
            *enc = IntEncoding::Varint;
            Ok(())
        }
        other => Err(format!(
            "`varint` applies to integers, not `{}`",
            spelling(other)
        )),
    }
}

fn half_rule(leaf: &mut Ty) -> Result<(), String> {
    match leaf {
        Ty::Float(_, enc)
        | Ty::Roblox(RobloxTy::Vector3(enc))
        | Ty::Roblox(RobloxTy::Vector2(enc)) => {
            *enc = FloatEncoding::Half;
            Ok(())
        }
        other => Err(format!(
            "`half` applies to `f32`, `f64`, `Vector3` or `Vector2`, not `{}`",
            spelling(other)
        )),
    }
}

fn quantize_rule(q: crate::ir::Quantize) -> impl Fn(&mut Ty) -> Result<(), String> {
    move |leaf| match leaf {
        Ty::Float(_, enc)
        | Ty::Roblox(RobloxTy::Vector3(enc))
        | Ty::Roblox(RobloxTy::Vector2(enc)) => {
            *enc = FloatEncoding::Quantized(q);
            Ok(())
        }
        other => Err(format!(
            "`quantize` applies to `f32`, `f64`, `Vector3` or `Vector2`, not `{}`",
            spelling(other)
        )),
    }
}

fn lossless_rule(leaf: &mut Ty) -> Result<(), String> {
    match leaf {
        Ty::Roblox(RobloxTy::CFrame { lossless }) | Ty::Roblox(RobloxTy::Color3 { lossless }) => {
            *lossless = true;
            Ok(())
        }
        other => Err(format!(
            "`lossless` applies to `CFrame` or `Color3`, not `{}`",
            spelling(other)
        )),
    }
}

fn roblox_enum_rule(name: &str) -> impl Fn(&mut Ty) -> Result<(), String> + '_ {
    move |leaf| match leaf {
        Ty::Roblox(RobloxTy::EnumItem { enum_name }) => {
            *enum_name = name.to_owned();
            Ok(())
        }
        other => Err(format!(
            "`roblox_enum` applies to `EnumItem`, not `{}`",
            spelling(other)
        )),
    }
}

/// Sets `max_len` on the outermost string or collection (through `Option`/`Box`).
fn apply_max_len(ty: &mut Ty, max: u32) -> Result<(), String> {
    match ty {
        Ty::Option(t) | Ty::Boxed(t) => apply_max_len(t, max),
        Ty::String { max_len }
        | Ty::Bytes { max_len }
        | Ty::List { max_len, .. }
        | Ty::Map { max_len, .. }
        | Ty::Set { max_len, .. } => {
            *max_len = Some(max);
            Ok(())
        }
        other => Err(format!(
            "`max_len` applies to `String`, `Vec`, maps and sets, not `{}`",
            spelling(other)
        )),
    }
}

/// Checks that no `EnumItem` lacks its enum name and every map/set key is allowed.
fn check_structure(ty: &Ty, span: Span, errors: &mut Vec<syn::Error>) {
    let key_ok = |k: &Ty| matches!(k, Ty::Int(..) | Ty::Bool | Ty::String { .. });
    match ty {
        Ty::Roblox(RobloxTy::EnumItem { enum_name }) if enum_name.is_empty() => {
            errors.push(syn::Error::new(
                span,
                "`EnumItem` needs the Roblox enum's name: `#[net(roblox_enum = \"KeyCode\")]`",
            ))
        }
        Ty::Option(t) | Ty::Boxed(t) => check_structure(t, span, errors),
        Ty::List { elem, .. } | Ty::Array { elem, .. } => check_structure(elem, span, errors),
        Ty::Set { elem, .. } if !key_ok(elem) => {
            errors.push(syn::Error::new(
                span,
                format!(
                    "set elements must be integers, `bool` or `String`, not `{}`",
                    spelling(elem)
                ),
            ));
        }
        Ty::Map { key, value, .. } => {
            if !key_ok(key) {
                errors.push(syn::Error::new(
                    span,
                    format!(
                        "map keys must be integers, `bool` or `String`, not `{}`",
                        spelling(key)
                    ),
                ));
            }
            check_structure(value, span, errors);
        }
        Ty::Tuple(items) => items.iter().for_each(|t| check_structure(t, span, errors)),
        _ => {}
    }
}

/// Checks that every collection whose element can be zero bits has `max_len`
/// (spec section 3), judging named types as non-zero (they are checked by
/// [`crate::validate`] when the whole schema is known).
fn check_zero_bit_collections(ty: &Ty, span: Span, errors: &mut Vec<syn::Error>) {
    let complain = |errors: &mut Vec<syn::Error>, elem: &Ty| {
        errors.push(syn::Error::new(
            span,
            format!(
                "a collection of `{}` (which can encode to zero bits) needs `#[net(max_len = N)]`",
                spelling(elem)
            ),
        ))
    };
    match ty {
        Ty::List {
            elem,
            max_len: None,
        }
        | Ty::Set {
            elem,
            max_len: None,
            ..
        } => {
            if zero_bits_local(elem) {
                complain(errors, elem);
            }
            check_zero_bit_collections(elem, span, errors);
        }
        Ty::Map {
            key,
            value,
            max_len,
            ..
        } => {
            if max_len.is_none() && zero_bits_local(key) && zero_bits_local(value) {
                complain(errors, value);
            }
            check_zero_bit_collections(value, span, errors);
        }
        Ty::Option(t) | Ty::Boxed(t) => check_zero_bit_collections(t, span, errors),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            check_zero_bit_collections(elem, span, errors)
        }
        Ty::Tuple(items) => items
            .iter()
            .for_each(|t| check_zero_bit_collections(t, span, errors)),
        _ => {}
    }
}

/// Applies the field's wire attributes to `ty`. Errors point at the attribute
/// at fault, or at `ty_span` for problems of the type itself.
pub(crate) fn apply(
    mut ty: Ty,
    attrs: &FieldAttrs,
    ty_span: Span,
    errors: &mut Vec<syn::Error>,
) -> Ty {
    if let (Some(_), Some(varint)) = (&attrs.range, attrs.varint) {
        errors.push(syn::Error::new(
            varint,
            "`range` and `varint` conflict: a ranged integer already has a fixed width",
        ));
    }
    if let (Some(half), Some(_)) = (attrs.half, &attrs.quantize) {
        errors.push(syn::Error::new(half, "`half` and `quantize` conflict"));
    }
    if attrs.range.is_some() || attrs.varint.is_some() {
        unpack_bytes(&mut ty);
    }
    let mut rules: Vec<LeafRule<'_>> = Vec::new();
    if let Some(r) = &attrs.range {
        let (lo, hi) = r.value;
        rules.push(("range", r.span, Box::new(range_rule(lo, hi))));
    }
    if let Some(span) = attrs.varint {
        rules.push(("varint", span, Box::new(varint_rule)));
    }
    if let Some(span) = attrs.half {
        rules.push(("half", span, Box::new(half_rule)));
    }
    if let Some(q) = &attrs.quantize {
        rules.push(("quantize", q.span, Box::new(quantize_rule(q.value))));
    }
    if let Some(span) = attrs.lossless {
        rules.push(("lossless", span, Box::new(lossless_rule)));
    }
    if let Some(e) = &attrs.roblox_enum {
        rules.push(("roblox_enum", e.span, Box::new(roblox_enum_rule(&e.value))));
    }
    for (_name, span, rule) in &rules {
        let mut leaves = Vec::new();
        leaves_mut(&mut ty, &mut leaves);
        // One error per attribute: the first leaf it does not fit.
        if let Some(message) = leaves.into_iter().find_map(|leaf| rule(leaf).err()) {
            errors.push(syn::Error::new(*span, message));
        }
    }
    if let Some(m) = &attrs.max_len {
        if let Err(message) = apply_max_len(&mut ty, m.value) {
            errors.push(syn::Error::new(m.span, message));
        }
    }
    check_structure(&ty, ty_span, errors);
    check_zero_bit_collections(&ty, ty_span, errors);
    ty
}

//! Whole-schema checks: what one type alone cannot tell.

use std::collections::HashMap;

use crate::error::SchemaError;
use crate::ir::{Fields, Pos, Schema, Ty, TypeKind};
use crate::size::{zero_bits_local, Sizes};

/// Checks a schema as a whole:
///
/// - every [`Ty::Named`] refers to a type of the schema;
/// - type names and wire names are unique;
/// - a collection without `max_len` has no element that can encode to zero
///   bits through a named type (spec section 3; the parser already checked
///   the cases visible in one field);
/// - every type has a finite value (it does not always contain itself).
pub fn validate(schema: &Schema) -> Vec<SchemaError> {
    let mut errors = Vec::new();
    let mut names: HashMap<&str, Pos> = HashMap::new();
    let mut wire_names: HashMap<&str, Pos> = HashMap::new();
    for def in &schema.types {
        if let Some(first) = names.insert(&def.name, def.pos) {
            errors.push(SchemaError::new(
                def.pos,
                format!(
                    "type `{}` is declared twice (first at {}:{})",
                    def.name, first.line, first.column
                ),
            ));
        } else if let Some(first) = wire_names.insert(&def.wire_name, def.pos) {
            errors.push(SchemaError::new(
                def.pos,
                format!(
                    "wire name `{}` is used by two types (first at {}:{})",
                    def.wire_name, first.line, first.column
                ),
            ));
        }
    }
    let sizes = Sizes::new(schema);
    for def in &schema.types {
        let field_lists: Vec<&Fields> = match &def.kind {
            TypeKind::Struct(fields) => vec![fields],
            TypeKind::Enum(variants) => variants.iter().map(|v| &v.fields).collect(),
        };
        for field in field_lists.into_iter().flat_map(Fields::encoded) {
            check_ty(schema, &sizes, &field.ty, field.pos, &mut errors);
        }
        if sizes.min_bits_of(&Ty::Named(def.name.clone())) == u64::MAX {
            errors.push(SchemaError::new(
                def.pos,
                format!(
                    "type `{}` has no finite value: it always contains itself (make the recursion optional with `Option`, `Vec` or another enum variant)",
                    def.name
                ),
            ));
        }
    }
    errors
}

fn check_ty(schema: &Schema, sizes: &Sizes<'_>, ty: &Ty, pos: Pos, errors: &mut Vec<SchemaError>) {
    let zero_via_named = |t: &Ty| sizes.min_bits_of(t) == 0 && !zero_bits_local(t);
    match ty {
        Ty::Named(name) if schema.get(name).is_none() => {
            errors.push(SchemaError::new(
                pos,
                format!("unknown type `{name}`: schema types must be structs or enums deriving `NetCodec` in this file"),
            ));
        }
        Ty::List { elem, max_len } | Ty::Set { elem, max_len, .. } => {
            if max_len.is_none() && zero_via_named(elem) {
                zero_bit_error(elem, pos, errors);
            }
            check_ty(schema, sizes, elem, pos, errors);
        }
        Ty::Map {
            key,
            value,
            max_len,
            ..
        } => {
            if max_len.is_none() && sizes.min_bits_of(key) == 0 && zero_via_named(value) {
                zero_bit_error(value, pos, errors);
            }
            check_ty(schema, sizes, key, pos, errors);
            check_ty(schema, sizes, value, pos, errors);
        }
        Ty::Option(t) | Ty::Boxed(t) | Ty::Array { elem: t, .. } => {
            check_ty(schema, sizes, t, pos, errors)
        }
        Ty::Tuple(items) => items
            .iter()
            .for_each(|t| check_ty(schema, sizes, t, pos, errors)),
        _ => {}
    }
}

fn zero_bit_error(elem: &Ty, pos: Pos, errors: &mut Vec<SchemaError>) {
    let what = match elem {
        Ty::Named(n) => format!("`{n}`"),
        _ => "an element type".to_owned(),
    };
    errors.push(SchemaError::new(
        pos,
        format!(
            "a collection of {what} (which can encode to zero bits) needs `#[net(max_len = N)]`"
        ),
    ));
}

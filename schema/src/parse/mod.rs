//! The `schema.rs` parser (feature `parse`): Rust source to [`Schema`].
//!
//! The same code serves `#[derive(NetCodec)]` ([`parse_derive_input`], with
//! spans for compiler errors) and `skyrocket gen` ([`parse_file`], with
//! `line:column` positions).

mod apply;
mod attrs;
mod items;
mod protocol;
mod types;

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::{Item, Path, Token};

use crate::error::SchemaError;
use crate::ir::{Pos, Schema};
use crate::validate::validate;

pub use items::parse_derive_input;
pub use protocol::{parse_file_with_protocol, parse_protocol};

/// The 1-based position of a span's start (`0:0` when unknown).
pub(crate) fn pos_of(span: Span) -> Pos {
    let start = span.start();
    Pos {
        line: start.line as u32,
        column: start.column as u32 + 1,
    }
}

/// Converts a (possibly combined) `syn::Error` into positioned errors.
pub fn schema_errors(error: syn::Error) -> Vec<SchemaError> {
    error
        .into_iter()
        .map(|e| SchemaError::new(pos_of(e.span()), e.to_string()))
        .collect()
}

/// Whether a `derive` path names Skyrocket's `NetCodec`
/// (`NetCodec`, `skyrocket::NetCodec` or `::skyrocket::NetCodec`).
fn is_net_codec(path: &Path) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [name] => name == "NetCodec" && path.leading_colon.is_none(),
        [krate, name] => krate == "skyrocket" && name == "NetCodec",
        _ => false,
    }
}

/// Whether an item's attributes include `#[derive(..., NetCodec, ...)]`.
fn derives_net_codec(attrs: &[syn::Attribute]) -> syn::Result<bool> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let paths = attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)?;
        if paths.iter().any(is_net_codec) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Collects the `NetCodec` types of `items`, descending into inline modules.
fn collect(items: &[Item], schema: &mut Schema, errors: &mut Vec<syn::Error>) {
    for item in items {
        let input: syn::DeriveInput = match item {
            Item::Struct(s) => s.clone().into(),
            Item::Enum(e) => e.clone().into(),
            Item::Union(u) => u.clone().into(),
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, schema, errors);
                }
                continue;
            }
            _ => continue,
        };
        match derives_net_codec(&input.attrs) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(e) => {
                errors.push(e);
                continue;
            }
        }
        schema.types.push(items::type_def(&input, errors));
    }
}

/// Parses a `schema.rs`: every struct and enum deriving `NetCodec` (also in
/// inline `mod x { ... }`) becomes a [`crate::TypeDef`]; other items are
/// ignored. The result is validated as a whole ([`validate`]): references to
/// types not in the file are errors. Errors are sorted by position.
pub fn parse_file(source: &str) -> Result<Schema, Vec<SchemaError>> {
    let file = syn::parse_file(source).map_err(|e| {
        schema_errors(e)
            .into_iter()
            .map(|mut e| {
                if e.message == "cannot parse string into token stream" {
                    e.message = "syntax error: unbalanced brackets or an invalid token".into();
                }
                e
            })
            .collect::<Vec<_>>()
    })?;
    let mut schema = Schema::default();
    let mut errors = Vec::new();
    collect(&file.items, &mut schema, &mut errors);
    let mut errors: Vec<SchemaError> = errors.into_iter().flat_map(schema_errors).collect();
    errors.extend(validate(&schema));
    if errors.is_empty() {
        Ok(schema)
    } else {
        errors.sort_by_key(|e| (e.pos.line, e.pos.column));
        Err(errors)
    }
}

#[cfg(test)]
mod tests;

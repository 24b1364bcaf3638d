//! Structs and enums to [`TypeDef`]s.

use std::collections::HashSet;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput};

use crate::ir::{Field, Fields, SkipDefault, Ty, TypeDef, TypeKind, Variant, DEFAULT_MAX_DEPTH};

use super::attrs::{doc_comment, field_attrs, type_attrs, variant_attrs, FieldAttrs};
use super::{apply, pos_of, types};

/// Converts a struct or enum declaration into a [`TypeDef`], collecting every
/// error (each with the span of the attribute, field or type at fault).
pub fn parse_derive_input(input: &DeriveInput) -> Result<TypeDef, Vec<syn::Error>> {
    let mut errors = Vec::new();
    let def = type_def(input, &mut errors);
    if errors.is_empty() {
        Ok(def)
    } else {
        Err(errors)
    }
}

/// Like [`parse_derive_input`], but always returns the (best effort) type and
/// pushes errors to `errors`, so later checks can still see the type.
pub(crate) fn type_def(input: &DeriveInput, errors: &mut Vec<syn::Error>) -> TypeDef {
    let errors = &mut *errors;
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new(
            input.generics.span(),
            "generic types cannot derive `NetCodec`: the wire format needs concrete types",
        ));
    }
    let attrs = type_attrs(&input.attrs, errors);
    let kind = match &input.data {
        Data::Struct(s) => TypeKind::Struct(fields(&s.fields, errors)),
        Data::Enum(e) => {
            if e.variants.is_empty() {
                errors.push(syn::Error::new(
                    input.ident.span(),
                    "an enum with no variants has no values to encode",
                ));
            }
            let variants = e
                .variants
                .iter()
                .map(|v| variant(v, errors))
                .collect::<Vec<_>>();
            check_unique(
                variants.iter().map(|v| v.wire_name.as_str()),
                e.variants.iter().map(|v| v.ident.span()),
                "variant",
                errors,
            );
            TypeKind::Enum(variants)
        }
        Data::Union(u) => {
            errors.push(syn::Error::new(
                u.union_token.span,
                "unions cannot derive `NetCodec`; use an enum",
            ));
            TypeKind::Struct(Fields::Unit)
        }
    };
    let name = input.ident.to_string();
    TypeDef {
        wire_name: attrs.rename.map_or_else(|| name.clone(), |r| r.value),
        name,
        doc: doc_comment(&input.attrs),
        max_depth: attrs.max_depth.map_or(DEFAULT_MAX_DEPTH, |d| d.value),
        kind,
        pos: pos_of(input.ident.span()),
    }
}

fn variant(v: &syn::Variant, errors: &mut Vec<syn::Error>) -> Variant {
    let attrs = variant_attrs(&v.attrs, errors);
    if let Some((_, expr)) = &v.discriminant {
        errors.push(syn::Error::new(
            expr.span(),
            "explicit discriminants are not supported: the wire tag is the variant's declaration index",
        ));
    }
    let name = v.ident.to_string();
    Variant {
        wire_name: attrs.rename.map_or_else(|| name.clone(), |r| r.value),
        name,
        fields: fields(&v.fields, errors),
        doc: doc_comment(&v.attrs),
        pos: pos_of(v.ident.span()),
    }
}

fn fields(fields: &syn::Fields, errors: &mut Vec<syn::Error>) -> Fields {
    match fields {
        syn::Fields::Unit => Fields::Unit,
        syn::Fields::Named(named) => {
            let out: Vec<Field> = named
                .named
                .iter()
                .enumerate()
                .map(|(i, f)| field(i, f, errors))
                .collect();
            check_unique(
                out.iter().map(|f| f.wire_name.as_str()),
                named.named.iter().map(field_span),
                "field",
                errors,
            );
            Fields::Named(out)
        }
        syn::Fields::Unnamed(unnamed) => {
            let out: Vec<Field> = unnamed
                .unnamed
                .iter()
                .enumerate()
                .map(|(i, f)| field(i, f, errors))
                .collect();
            check_unique(
                out.iter().map(|f| f.wire_name.as_str()),
                unnamed.unnamed.iter().map(field_span),
                "field",
                errors,
            );
            Fields::Tuple(out)
        }
    }
}

/// The span errors about a whole field point at: its name, or its type.
fn field_span(f: &syn::Field) -> Span {
    f.ident.as_ref().map_or_else(|| f.ty.span(), |i| i.span())
}

fn field(index: usize, f: &syn::Field, errors: &mut Vec<syn::Error>) -> Field {
    let attrs = field_attrs(&f.attrs, errors);
    let name = f.ident.as_ref().map(|i| i.to_string());
    let wire_name = match (&attrs.rename, &name) {
        (Some(r), _) => r.value.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) => format!("_{index}"),
    };
    let (ty, skip) = field_type(f, &attrs, errors);
    Field {
        name,
        wire_name,
        ty,
        skip,
        doc: doc_comment(&f.attrs),
        pos: pos_of(field_span(f)),
    }
}

/// The wire type and skip default of a field. A skipped field's type does
/// not need to be a wire type: it is resolved when possible, else `()`.
fn field_type(
    f: &syn::Field,
    attrs: &FieldAttrs,
    errors: &mut Vec<syn::Error>,
) -> (Ty, Option<SkipDefault>) {
    if attrs.skip.is_some() {
        let wire_attrs = [
            attrs.range.as_ref().map(|a| a.span),
            attrs.varint,
            attrs.half,
            attrs.quantize.as_ref().map(|a| a.span),
            attrs.max_len.as_ref().map(|a| a.span),
            attrs.lossless,
            attrs.roblox_enum.as_ref().map(|a| a.span),
        ];
        if let Some(span) = wire_attrs.into_iter().flatten().next() {
            errors.push(syn::Error::new(
                span,
                "a `skip` field is not encoded, so encoding attributes do not apply to it",
            ));
        }
        let skip = match &attrs.default {
            Some(d) => {
                if syn::parse_str::<syn::Path>(&d.value).is_err() {
                    errors.push(syn::Error::new(
                        d.span,
                        "`default` must name a function path, like `\"my_default\"` or `\"Self::fresh\"`",
                    ));
                }
                SkipDefault::Function(d.value.clone())
            }
            None => SkipDefault::Default,
        };
        let ty = types::resolve(&f.ty).unwrap_or(Ty::Unit);
        return (ty, Some(skip));
    }
    if let Some(d) = &attrs.default {
        errors.push(syn::Error::new(
            d.span,
            "`default` only applies together with `skip`",
        ));
    }
    match types::resolve(&f.ty) {
        Ok(ty) => (apply::apply(ty, attrs, f.ty.span(), errors), None),
        Err(e) => {
            errors.push(e);
            (Ty::Unit, None)
        }
    }
}

/// Reports wire names used twice (after `rename`).
fn check_unique<'n>(
    names: impl Iterator<Item = &'n str>,
    spans: impl Iterator<Item = Span>,
    what: &str,
    errors: &mut Vec<syn::Error>,
) {
    let mut seen = HashSet::new();
    for (name, span) in names.zip(spans) {
        if !seen.insert(name) {
            errors.push(syn::Error::new(
                span,
                format!("two {what}s have the wire name `{name}`"),
            ));
        }
    }
}

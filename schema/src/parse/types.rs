//! Rust type syntax to [`Ty`], with default encodings (attributes are
//! applied afterwards by [`super::apply`]).

use syn::spanned::Spanned;
use syn::{GenericArgument, PathArguments, Type};

use crate::ir::{CollectionKind, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Ty};

/// Resolves a field type. `Vec<u8>` becomes [`Ty::Bytes`] and `[u8; N]`
/// [`Ty::ByteArray`]; an `EnumItem` gets an empty `enum_name` that the
/// `roblox_enum` attribute fills in.
pub(crate) fn resolve(ty: &Type) -> syn::Result<Ty> {
    match ty {
        Type::Paren(p) => resolve(&p.elem),
        Type::Group(g) => resolve(&g.elem),
        Type::Tuple(t) => match t.elems.len() {
            0 => Ok(Ty::Unit),
            1 => Err(syn::Error::new(
                t.span(),
                "one-element tuples are not supported; use the element type",
            )),
            _ => Ok(Ty::Tuple(
                t.elems.iter().map(resolve).collect::<syn::Result<_>>()?,
            )),
        },
        Type::Array(a) => {
            let len = array_len(&a.len)?;
            match resolve(&a.elem)? {
                Ty::Int(IntTy::U8, IntEncoding::Fixed) => Ok(Ty::ByteArray(len)),
                elem => Ok(Ty::Array {
                    elem: Box::new(elem),
                    len,
                }),
            }
        }
        Type::Path(p) if p.qself.is_none() => resolve_path(&p.path),
        Type::Reference(_) => Err(syn::Error::new(
            ty.span(),
            "references are not supported in schema types; use an owned type",
        )),
        Type::Slice(_) => Err(syn::Error::new(
            ty.span(),
            "slices are not supported; use `Vec<T>` or `[T; N]`",
        )),
        _ => Err(syn::Error::new(
            ty.span(),
            "unsupported type in a schema: expected a primitive, String, Vec, array, Option, Box, tuple, map, set, Roblox type or schema type",
        )),
    }
}

fn array_len(expr: &syn::Expr) -> syn::Result<u32> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(lit),
            ..
        }) => lit
            .base10_parse::<u32>()
            .map_err(|_| syn::Error::new(lit.span(), "array length must be at most 4294967295")),
        syn::Expr::Group(g) => array_len(&g.expr),
        syn::Expr::Paren(p) => array_len(&p.expr),
        _ => Err(syn::Error::new(
            expr.span(),
            "array length must be an integer literal",
        )),
    }
}

const ROBLOX_TYPES: &[&str] = &[
    "Vector3", "Vector2", "CFrame", "Color3", "UDim", "UDim2", "DateTime", "EnumItem", "Instance",
];

/// Which module prefixes are accepted before a known type name.
fn prefix_ok(prefix: &[String], name: &str) -> bool {
    let p: Vec<&str> = prefix.iter().map(String::as_str).collect();
    if p.is_empty() {
        return true;
    }
    match name {
        "Vec" => matches!(p.as_slice(), ["std" | "alloc", "vec"]),
        "Option" => matches!(p.as_slice(), ["std" | "core", "option"]),
        "Box" => matches!(p.as_slice(), ["std" | "alloc", "boxed"]),
        "String" => matches!(p.as_slice(), ["std" | "alloc", "string"]),
        "HashMap" => matches!(
            p.as_slice(),
            ["std", "collections"] | ["std", "collections", "hash_map"]
        ),
        "HashSet" => matches!(
            p.as_slice(),
            ["std", "collections"] | ["std", "collections", "hash_set"]
        ),
        "BTreeMap" => matches!(
            p.as_slice(),
            ["std" | "alloc", "collections"] | ["std" | "alloc", "collections", "btree_map"]
        ),
        "BTreeSet" => matches!(
            p.as_slice(),
            ["std" | "alloc", "collections"] | ["std" | "alloc", "collections", "btree_set"]
        ),
        _ if ROBLOX_TYPES.contains(&name) => {
            matches!(p.as_slice(), ["roblox"] | ["skyrocket", "roblox"])
        }
        _ => false,
    }
}

fn resolve_path(path: &syn::Path) -> syn::Result<Ty> {
    let Some(last) = path.segments.last() else {
        return Err(syn::Error::new(path.span(), "empty type path"));
    };
    let name = last.ident.to_string();
    let prefix: Vec<String> = path
        .segments
        .iter()
        .take(path.segments.len() - 1)
        .map(|s| s.ident.to_string())
        .collect();
    if path
        .segments
        .iter()
        .take(path.segments.len() - 1)
        .any(|s| !s.arguments.is_none())
    {
        return Err(syn::Error::new(path.span(), "unsupported type path"));
    }
    if !prefix_ok(&prefix, &name) {
        return Err(syn::Error::new(
            path.span(),
            format!(
                "unsupported type path; schema types are referred to by their bare name (`{name}`), imported with `use` if needed"
            ),
        ));
    }
    let args = generic_types(last)?;
    let no_args = |ty: Ty| -> syn::Result<Ty> {
        if args.is_empty() {
            Ok(ty)
        } else {
            Err(syn::Error::new(
                last.arguments.span(),
                format!("`{name}` takes no type arguments"),
            ))
        }
    };
    let one_arg = || -> syn::Result<Ty> {
        match args.as_slice() {
            [t] => resolve(t),
            _ => Err(syn::Error::new(
                last.span(),
                format!("`{name}` needs exactly one type argument"),
            )),
        }
    };
    let two_args = || -> syn::Result<(Ty, Ty)> {
        match args.as_slice() {
            [k, v] => Ok((resolve(k)?, resolve(v)?)),
            _ => Err(syn::Error::new(
                last.span(),
                format!(
                    "`{name}` needs exactly two type arguments (custom hashers are not supported)"
                ),
            )),
        }
    };
    let int = |t: IntTy| no_args(Ty::Int(t, IntEncoding::Fixed));
    let float = |t: FloatTy| no_args(Ty::Float(t, FloatEncoding::Full));
    let roblox = |t: RobloxTy| no_args(Ty::Roblox(t));
    let bare = prefix.is_empty();
    match name.as_str() {
        "bool" if bare => no_args(Ty::Bool),
        "u8" if bare => int(IntTy::U8),
        "u16" if bare => int(IntTy::U16),
        "u32" if bare => int(IntTy::U32),
        "u64" if bare => int(IntTy::U64),
        "i8" if bare => int(IntTy::I8),
        "i16" if bare => int(IntTy::I16),
        "i32" if bare => int(IntTy::I32),
        "i64" if bare => int(IntTy::I64),
        "f32" if bare => float(FloatTy::F32),
        "f64" if bare => float(FloatTy::F64),
        "usize" | "isize" if bare => Err(syn::Error::new(
            last.span(),
            format!("`{name}` is platform dependent and not allowed in a schema; use `u32`/`u64` (or `i32`/`i64`)"),
        )),
        "u128" | "i128" if bare => Err(syn::Error::new(
            last.span(),
            format!("`{name}` is not supported (Luau numbers cannot hold it); use `[u8; 16]` for opaque 128-bit values"),
        )),
        "char" if bare => Err(syn::Error::new(
            last.span(),
            "`char` is not supported; use `String` or a `u32` code point",
        )),
        "str" if bare => Err(syn::Error::new(last.span(), "`str` is not supported; use `String`")),
        "String" => no_args(Ty::String { max_len: None }),
        "Vec" => Ok(match one_arg()? {
            Ty::Int(IntTy::U8, IntEncoding::Fixed) => Ty::Bytes { max_len: None },
            elem => Ty::List {
                elem: Box::new(elem),
                max_len: None,
            },
        }),
        "Option" => Ok(Ty::Option(Box::new(one_arg()?))),
        "Box" => Ok(Ty::Boxed(Box::new(one_arg()?))),
        "HashMap" | "BTreeMap" => {
            let (key, value) = two_args()?;
            Ok(Ty::Map {
                key: Box::new(key),
                value: Box::new(value),
                max_len: None,
                kind: collection_kind(&name),
            })
        }
        "HashSet" | "BTreeSet" => Ok(Ty::Set {
            elem: Box::new(one_arg()?),
            max_len: None,
            kind: collection_kind(&name),
        }),
        "Vector3" => roblox(RobloxTy::Vector3(FloatEncoding::Full)),
        "Vector2" => roblox(RobloxTy::Vector2(FloatEncoding::Full)),
        "CFrame" => roblox(RobloxTy::CFrame { lossless: false }),
        "Color3" => roblox(RobloxTy::Color3 { lossless: false }),
        "UDim" => roblox(RobloxTy::UDim),
        "UDim2" => roblox(RobloxTy::UDim2),
        "DateTime" => roblox(RobloxTy::DateTime),
        "EnumItem" => roblox(RobloxTy::EnumItem {
            enum_name: String::new(),
        }),
        "Instance" => roblox(RobloxTy::Instance),
        _ => {
            if !args.is_empty() || !last.arguments.is_none() {
                return Err(syn::Error::new(
                    last.span(),
                    "generic schema types are not supported",
                ));
            }
            Ok(Ty::Named(name))
        }
    }
}

fn collection_kind(name: &str) -> CollectionKind {
    if name.starts_with("BTree") {
        CollectionKind::BTree
    } else {
        CollectionKind::Hash
    }
}

/// The type arguments of `Name<A, B>`; lifetimes, consts and `Fn(..)` sugar are errors.
fn generic_types(segment: &syn::PathSegment) -> syn::Result<Vec<&Type>> {
    match &segment.arguments {
        PathArguments::None => Ok(Vec::new()),
        PathArguments::Parenthesized(p) => Err(syn::Error::new(
            p.span(),
            "function types are not supported in a schema",
        )),
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .map(|arg| match arg {
                GenericArgument::Type(t) => Ok(t),
                other => Err(syn::Error::new(
                    other.span(),
                    "only type arguments are supported here",
                )),
            })
            .collect(),
    }
}

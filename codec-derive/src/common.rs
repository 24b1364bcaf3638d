//! Helpers shared by the encode and decode generators: literals, Rust types
//! of IR types, error-path wrapping, and the "default encoding" test.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use skyrocket_schema::{
    CollectionKind, FloatEncoding, FloatTy, IntEncoding, IntTy, Quantize, RobloxTy, Ty,
};

/// An `i128` literal (negative values as `-(N)`, which token literals cannot hold).
pub fn lit_i128(v: i128) -> TokenStream {
    // Schema ranges fit in i64/u64, so the magnitude fits in i128.
    let magnitude = Literal::i128_suffixed(v.unsigned_abs() as i128);
    if v < 0 {
        quote!((-#magnitude))
    } else {
        quote!(#magnitude)
    }
}

/// An `f64` literal (finite values only: the parser guarantees it).
pub fn lit_f64(v: f64) -> TokenStream {
    let magnitude = Literal::f64_suffixed(v.abs());
    if v.is_sign_negative() {
        quote!((-#magnitude))
    } else {
        quote!(#magnitude)
    }
}

/// `Some(N)` / `None` for a `max_len`.
pub fn max_len_tokens(max_len: Option<u32>) -> TokenStream {
    match max_len {
        Some(m) => {
            let m = Literal::u32_suffixed(m);
            quote!(::core::option::Option::Some(#m))
        }
        None => quote!(::core::option::Option::None),
    }
}

/// A `Quantize` constructor expression.
pub fn quantize_tokens(q: &Quantize) -> TokenStream {
    let (min, max, step) = (lit_f64(q.min), lit_f64(q.max), lit_f64(q.step));
    quote!(::skyrocket::schema::Quantize { min: #min, max: #max, step: #step })
}

/// A `FloatEncoding` constructor expression.
pub fn float_encoding_tokens(e: &FloatEncoding) -> TokenStream {
    match e {
        FloatEncoding::Full => quote!(::skyrocket::schema::FloatEncoding::Full),
        FloatEncoding::Half => quote!(::skyrocket::schema::FloatEncoding::Half),
        FloatEncoding::Quantized(q) => {
            let q = quantize_tokens(q);
            quote!(::skyrocket::schema::FloatEncoding::Quantized(#q))
        }
    }
}

/// The Rust primitive of an integer type.
pub fn int_type(t: IntTy) -> Ident {
    Ident::new(t.rust_name(), Span::call_site())
}

/// The unsigned type of the same width.
pub fn unsigned_of(t: IntTy) -> Ident {
    Ident::new(&format!("u{}", t.bits()), Span::call_site())
}

/// The Rust primitive of a float type.
pub fn float_type(t: FloatTy) -> TokenStream {
    match t {
        FloatTy::F32 => quote!(f32),
        FloatTy::F64 => quote!(f64),
    }
}

/// The Rust type a value of `ty` has in a struct field.
pub fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Unit => quote!(()),
        Ty::Bool => quote!(bool),
        Ty::Int(t, _) => {
            let t = int_type(*t);
            quote!(#t)
        }
        Ty::Float(t, _) => float_type(*t),
        Ty::String { .. } => quote!(::std::string::String),
        Ty::Bytes { .. } => quote!(::std::vec::Vec<u8>),
        Ty::ByteArray(n) => {
            let n = Literal::usize_unsuffixed(*n as usize);
            quote!([u8; #n])
        }
        Ty::Option(t) => {
            let t = rust_type(t);
            quote!(::core::option::Option<#t>)
        }
        Ty::Boxed(t) => {
            let t = rust_type(t);
            quote!(::std::boxed::Box<#t>)
        }
        Ty::List { elem, .. } => {
            let t = rust_type(elem);
            quote!(::std::vec::Vec<#t>)
        }
        Ty::Array { elem, len } => {
            let t = rust_type(elem);
            let n = Literal::usize_unsuffixed(*len as usize);
            quote!([#t; #n])
        }
        Ty::Tuple(items) => {
            let items = items.iter().map(rust_type);
            quote!((#(#items,)*))
        }
        Ty::Map {
            key, value, kind, ..
        } => {
            let (k, v) = (rust_type(key), rust_type(value));
            match kind {
                CollectionKind::Hash => quote!(::std::collections::HashMap<#k, #v>),
                CollectionKind::BTree => quote!(::std::collections::BTreeMap<#k, #v>),
            }
        }
        Ty::Set { elem, kind, .. } => {
            let k = rust_type(elem);
            match kind {
                CollectionKind::Hash => quote!(::std::collections::HashSet<#k>),
                CollectionKind::BTree => quote!(::std::collections::BTreeSet<#k>),
            }
        }
        Ty::Roblox(r) => {
            let name = format_ident!("{}", roblox_name(r));
            quote!(::skyrocket::roblox::#name)
        }
        Ty::Named(n) => {
            let n = format_ident!("{}", n);
            quote!(#n)
        }
    }
}

/// The Rust name of a Roblox type in `skyrocket::roblox`.
pub fn roblox_name(r: &RobloxTy) -> &'static str {
    match r {
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
}

/// Whether `ty` is exactly what the type's own `NetCodec` impl writes (no
/// attribute anywhere inside), so generated code can call that impl.
pub fn is_default(ty: &Ty) -> bool {
    match ty {
        Ty::Unit | Ty::Bool | Ty::ByteArray(_) | Ty::Named(_) => true,
        Ty::Int(_, e) => *e == IntEncoding::Fixed,
        Ty::Float(_, e) => *e == FloatEncoding::Full,
        Ty::String { max_len } | Ty::Bytes { max_len } => max_len.is_none(),
        Ty::Option(t) | Ty::Boxed(t) => is_default(t),
        Ty::List { elem, max_len } | Ty::Set { elem, max_len, .. } => {
            max_len.is_none() && is_default(elem)
        }
        Ty::Array { elem, .. } => is_default(elem),
        // The std impls cover tuples of 2 to 6 elements.
        Ty::Tuple(items) => items.len() <= 6 && items.iter().all(is_default),
        Ty::Map {
            key,
            value,
            max_len,
            ..
        } => max_len.is_none() && is_default(key) && is_default(value),
        Ty::Roblox(r) => match r {
            RobloxTy::Vector3(e) | RobloxTy::Vector2(e) => *e == FloatEncoding::Full,
            RobloxTy::CFrame { lossless } | RobloxTy::Color3 { lossless } => !lossless,
            RobloxTy::EnumItem { .. } => false,
            RobloxTy::UDim | RobloxTy::UDim2 | RobloxTy::DateTime | RobloxTy::Instance => true,
        },
    }
}

/// One segment of the field path added to errors raised inside a value.
#[derive(Clone)]
pub enum Seg {
    /// `.in_field("name")`
    Field(String),
    /// `.in_index(i)` with `i` a loop variable or literal.
    Index(TokenStream),
    /// `.in_variant("Name")`
    Variant(String),
    /// `.in_key()`
    Key,
}

/// The path from the value being encoded/decoded to the current position,
/// outermost first.
#[derive(Clone, Default)]
pub struct ErrPath(Vec<Seg>);

impl ErrPath {
    /// This path with `seg` appended (one level deeper).
    pub fn with(&self, seg: Seg) -> Self {
        let mut p = self.0.clone();
        p.push(seg);
        ErrPath(p)
    }

    /// `e` with the path's segments added, innermost first.
    pub fn wrap(&self, e: TokenStream) -> TokenStream {
        let calls = self.0.iter().rev().map(|s| match s {
            Seg::Field(n) => quote!(.in_field(#n)),
            Seg::Index(i) => quote!(.in_index(#i)),
            Seg::Variant(n) => quote!(.in_variant(#n)),
            Seg::Key => quote!(.in_key()),
        });
        quote!(#e #(#calls)*)
    }

    /// `expr?`, adding the path to the error (cold path only).
    pub fn try_(&self, expr: TokenStream) -> TokenStream {
        if self.0.is_empty() {
            return quote!(#expr?);
        }
        let wrapped = self.wrap(quote!(e));
        quote!(match #expr {
            ::core::result::Result::Ok(v) => v,
            ::core::result::Result::Err(e) => return ::core::result::Result::Err(#wrapped),
        })
    }
}

/// A fresh identifier for nesting level `depth` (loop counters, temporaries).
pub fn local(name: &str, depth: usize) -> Ident {
    format_ident!("__{}{}", name, depth)
}

//! Encode code generation from the IR type tree of a field.

use proc_macro2::TokenStream;
use quote::quote;
use skyrocket_schema::{CollectionKind, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Ty};

use crate::common::{
    float_encoding_tokens, is_default, lit_i128, local, max_len_tokens, quantize_tokens,
    unsigned_of, ErrPath, Seg,
};

/// Statements encoding the value `v` (an expression of type `&T` for the
/// Rust type of `ty`) into `enc`, inside a function returning
/// `Result<(), EncodeError>`. Errors get `path` added. `depth` keeps loop
/// variables of nested collections apart.
pub fn encode(ty: &Ty, v: &TokenStream, path: &ErrPath, depth: usize) -> TokenStream {
    match ty {
        Ty::Unit => quote!(let _ = #v;),
        Ty::Bool => quote!(enc.write_bool(*#v);),
        Ty::Int(t, e) => encode_int(*t, *e, v, path),
        Ty::Float(t, e) => encode_float(*t, e, v),
        Ty::ByteArray(_) => quote!(enc.write_bytes(#v);),
        _ if is_default(ty) => {
            let call = path.try_(quote!(::skyrocket::NetCodec::encode(#v, enc)));
            quote!(#call;)
        }
        Ty::String { max_len } => {
            let m = max_len_tokens(*max_len);
            let call = path.try_(quote!(::skyrocket::wire::write_str(enc, #v, #m)));
            quote!(#call;)
        }
        Ty::Bytes { max_len } => {
            let m = max_len_tokens(*max_len);
            let call = path.try_(quote!(::skyrocket::wire::write_byte_string(enc, #v, #m)));
            quote!(#call;)
        }
        Ty::Option(inner) => {
            let x = local("x", depth);
            let body = encode(inner, &quote!(#x), path, depth + 1);
            quote! {
                enc.write_bool(::core::option::Option::is_some(#v));
                if let ::core::option::Option::Some(#x) = #v { #body }
            }
        }
        Ty::Boxed(inner) => {
            let x = local("x", depth);
            let body = encode(inner, &quote!(#x), path, depth + 1);
            quote!({ let #x = &**#v; #body })
        }
        Ty::List { elem, max_len } => {
            let m = max_len_tokens(*max_len);
            let len = path.try_(quote!(::skyrocket::wire::write_len(enc, #v.len(), #m)));
            let items = encode_items(elem, v, path, depth);
            quote!(#len; #items)
        }
        Ty::Array { elem, .. } => encode_items(elem, v, path, depth),
        Ty::Tuple(items) => {
            let parts = items.iter().enumerate().map(|(k, t)| {
                let idx = syn::Index::from(k);
                let value = quote!((&(#v).#idx));
                encode(t, &value, &path.with(Seg::Index(quote!(#k))), depth + 1)
            });
            quote!(#(#parts)*)
        }
        Ty::Map {
            key,
            value,
            max_len,
            kind,
        } => {
            let (i, k, x, entries) = (
                local("i", depth),
                local("k", depth),
                local("x", depth),
                local("entries", depth),
            );
            let m = max_len_tokens(*max_len);
            let len = path.try_(quote!(::skyrocket::wire::write_len(enc, #v.len(), #m)));
            let entry_path = path.with(Seg::Index(quote!(#i)));
            let key_code = encode(key, &quote!(#k), &entry_path.with(Seg::Key), depth + 1);
            let value_code = encode(value, &quote!(#x), &entry_path, depth + 1);
            let sorted = sorted_iter(
                *kind,
                v,
                &entries,
                quote!(|a, b| ::core::cmp::Ord::cmp(a.0, b.0)),
            );
            quote! {
                #len;
                #sorted
                for (#i, (#k, #x)) in #entries.enumerate() {
                    let _ = #i;
                    #key_code
                    #value_code
                }
            }
        }
        Ty::Set {
            elem,
            max_len,
            kind,
        } => {
            let (i, k, entries) = (
                local("i", depth),
                local("k", depth),
                local("entries", depth),
            );
            let m = max_len_tokens(*max_len);
            let len = path.try_(quote!(::skyrocket::wire::write_len(enc, #v.len(), #m)));
            let key_code = encode(
                elem,
                &quote!(#k),
                &path.with(Seg::Index(quote!(#i))),
                depth + 1,
            );
            let sorted = sorted_iter(
                *kind,
                v,
                &entries,
                quote!(|a, b| ::core::cmp::Ord::cmp(a, b)),
            );
            quote! {
                #len;
                #sorted
                for (#i, #k) in #entries.enumerate() {
                    let _ = #i;
                    #key_code
                }
            }
        }
        Ty::Roblox(r) => encode_roblox(r, v, path),
        // Always default (caught above); spelled out for the exhaustive match.
        Ty::Named(_) => {
            let call = path.try_(quote!(::skyrocket::NetCodec::encode(#v, enc)));
            quote!(#call;)
        }
    }
}

/// `let entries = ...;` iterating a map or set in ascending key order.
fn sorted_iter(
    kind: CollectionKind,
    v: &TokenStream,
    entries: &proc_macro2::Ident,
    cmp: TokenStream,
) -> TokenStream {
    match kind {
        CollectionKind::BTree => quote!(let #entries = #v.iter();),
        CollectionKind::Hash => quote! {
            let mut #entries: ::std::vec::Vec<_> = #v.iter().collect();
            #entries.sort_unstable_by(#cmp);
            let #entries = #entries.into_iter();
        },
    }
}

/// A loop encoding every element of a slice-like `v`.
fn encode_items(elem: &Ty, v: &TokenStream, path: &ErrPath, depth: usize) -> TokenStream {
    if is_default(elem) {
        // The element impl's bulk form (e.g. one copy for `u8`); it adds indices itself.
        let call = path.try_(quote!(::skyrocket::NetCodec::encode_slice(&#v[..], enc)));
        return quote!(#call;);
    }
    let (i, x) = (local("i", depth), local("x", depth));
    let body = encode(
        elem,
        &quote!(#x),
        &path.with(Seg::Index(quote!(#i))),
        depth + 1,
    );
    quote! {
        for (#i, #x) in #v.iter().enumerate() {
            let _ = #i;
            #body
        }
    }
}

fn encode_int(t: IntTy, e: IntEncoding, v: &TokenStream, path: &ErrPath) -> TokenStream {
    match e {
        IntEncoding::Fixed => {
            let u = unsigned_of(t);
            let write = quote::format_ident!("write_{}", u);
            quote!(enc.#write(*#v as #u);)
        }
        IntEncoding::Range { lo, hi } => {
            let (lo, hi) = (lit_i128(lo), lit_i128(hi));
            let call =
                path.try_(quote!(::skyrocket::wire::write_range(enc, *#v as i128, #lo, #hi)));
            quote!(#call;)
        }
        IntEncoding::Varint if t.signed() => quote!(enc.write_signed_varint(*#v as i64);),
        IntEncoding::Varint => quote!(enc.write_varint(*#v as u64);),
    }
}

fn encode_float(t: FloatTy, e: &FloatEncoding, v: &TokenStream) -> TokenStream {
    match (e, t) {
        (FloatEncoding::Full, FloatTy::F32) => quote!(enc.write_f32(*#v);),
        (FloatEncoding::Full, FloatTy::F64) => quote!(enc.write_f64(*#v);),
        (FloatEncoding::Half, _) => quote!(::skyrocket::wire::write_half(enc, *#v as f64);),
        (FloatEncoding::Quantized(q), _) => {
            let q = quantize_tokens(q);
            quote!(::skyrocket::wire::write_quantized(enc, *#v as f64, &#q);)
        }
    }
}

fn encode_roblox(r: &RobloxTy, v: &TokenStream, path: &ErrPath) -> TokenStream {
    match r {
        RobloxTy::Vector3(e) => {
            let e = float_encoding_tokens(e);
            quote!(::skyrocket::roblox::write_vector3(enc, #v, &#e);)
        }
        RobloxTy::Vector2(e) => {
            let e = float_encoding_tokens(e);
            quote!(::skyrocket::roblox::write_vector2(enc, #v, &#e);)
        }
        RobloxTy::CFrame { lossless } => {
            quote!(::skyrocket::roblox::write_cframe(enc, #v, #lossless);)
        }
        RobloxTy::Color3 { lossless } => {
            quote!(::skyrocket::roblox::write_color3(enc, #v, #lossless);)
        }
        RobloxTy::EnumItem { .. } => quote!(::skyrocket::roblox::write_enum_item(enc, #v);),
        RobloxTy::UDim | RobloxTy::UDim2 | RobloxTy::DateTime | RobloxTy::Instance => {
            let call = path.try_(quote!(::skyrocket::NetCodec::encode(#v, enc)));
            quote!(#call;)
        }
    }
}

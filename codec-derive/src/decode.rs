//! Decode code generation from the IR type tree of a field.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use skyrocket_schema::{CollectionKind, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Ty};

use crate::common::{
    float_encoding_tokens, float_type, int_type, is_default, lit_i128, local, max_len_tokens,
    quantize_tokens, rust_type, unsigned_of, ErrPath, Seg,
};

/// Arrays up to this length decode as one array expression (no allocation);
/// longer ones through a `Vec`.
const UNROLL_ARRAY_MAX: u32 = 16;

/// An expression decoding a value of `ty` from `dec`, inside a function
/// returning `Result<_, DecodeError>`; errors get `path` added and return.
pub fn decode(ty: &Ty, path: &ErrPath, depth: usize) -> TokenStream {
    match ty {
        Ty::Unit => quote!(()),
        Ty::Bool => path.try_(quote!(dec.read_bool())),
        Ty::Int(t, e) => decode_int(*t, *e, path),
        Ty::Float(t, e) => decode_float(*t, e, path),
        Ty::ByteArray(n) => {
            let n = Literal::usize_unsuffixed(*n as usize);
            let bytes = path.try_(quote!(dec.read_bytes(#n)));
            quote!({
                let mut array = [0u8; #n];
                array.copy_from_slice(#bytes);
                array
            })
        }
        _ if is_default(ty) => {
            let t = rust_type(ty);
            path.try_(quote!(<#t as ::skyrocket::NetCodec>::decode(dec)))
        }
        Ty::String { max_len } => {
            let m = max_len_tokens(*max_len);
            path.try_(quote!(::skyrocket::wire::read_string(dec, #m)))
        }
        Ty::Bytes { max_len } => {
            let m = max_len_tokens(*max_len);
            path.try_(quote!(::skyrocket::wire::read_byte_string(dec, #m)))
        }
        Ty::Option(inner) => {
            let flag = path.try_(quote!(dec.read_bool()));
            let value = decode(inner, path, depth + 1);
            quote!(if #flag {
                ::core::option::Option::Some(#value)
            } else {
                ::core::option::Option::None
            })
        }
        Ty::Boxed(inner) => {
            let value = decode(inner, path, depth + 1);
            quote!(::std::boxed::Box::new(#value))
        }
        Ty::List { elem, max_len } => {
            let (i, len, out) = (local("i", depth), local("len", depth), local("out", depth));
            let m = max_len_tokens(*max_len);
            let read_len = path.try_(quote!(::skyrocket::wire::read_len(dec, #m)));
            let item = decode(elem, &path.with(Seg::Index(quote!(#i))), depth + 1);
            quote!({
                let #len = #read_len;
                let mut #out = ::std::vec::Vec::with_capacity(::skyrocket::wire::safe_capacity(dec, #len));
                for #i in 0..#len {
                    #out.push(#item);
                }
                #out
            })
        }
        Ty::Array { elem, len } => decode_array(elem, *len, path, depth),
        Ty::Tuple(items) => {
            let parts = items
                .iter()
                .enumerate()
                .map(|(k, t)| decode(t, &path.with(Seg::Index(quote!(#k))), depth + 1));
            quote!((#(#parts,)*))
        }
        Ty::Map {
            key,
            value,
            max_len,
            kind,
        } => {
            let (i, k, out, prev) = (
                local("i", depth),
                local("k", depth),
                local("out", depth),
                local("prev", depth),
            );
            let m = max_len_tokens(*max_len);
            let read_len = path.try_(quote!(::skyrocket::wire::read_len(dec, #m)));
            let entry_path = path.with(Seg::Index(quote!(#i)));
            let key_path = entry_path.with(Seg::Key);
            let key_code = decode(key, &key_path, depth + 1);
            let value_code = decode(value, &entry_path, depth + 1);
            let unordered =
                key_path.wrap(quote!(dec.fail(::skyrocket::DecodeErrorKind::NonCanonical)));
            let new = collection_new(*kind, true);
            quote!({
                let mut #out = #new;
                let mut #prev = ::core::option::Option::None;
                for #i in 0..#read_len {
                    let #k = #key_code;
                    if #prev.as_ref().is_some_and(|p| *p >= #k) {
                        return ::core::result::Result::Err(#unordered);
                    }
                    let value = #value_code;
                    #prev = ::core::option::Option::Some(::core::clone::Clone::clone(&#k));
                    #out.insert(#k, value);
                }
                #out
            })
        }
        Ty::Set {
            elem,
            max_len,
            kind,
        } => {
            let (i, k, out, prev) = (
                local("i", depth),
                local("k", depth),
                local("out", depth),
                local("prev", depth),
            );
            let m = max_len_tokens(*max_len);
            let read_len = path.try_(quote!(::skyrocket::wire::read_len(dec, #m)));
            let elem_path = path.with(Seg::Index(quote!(#i)));
            let key_code = decode(elem, &elem_path, depth + 1);
            let unordered =
                elem_path.wrap(quote!(dec.fail(::skyrocket::DecodeErrorKind::NonCanonical)));
            let new = collection_new(*kind, false);
            quote!({
                let mut #out = #new;
                let mut #prev = ::core::option::Option::None;
                for #i in 0..#read_len {
                    let #k = #key_code;
                    if #prev.as_ref().is_some_and(|p| *p >= #k) {
                        return ::core::result::Result::Err(#unordered);
                    }
                    #prev = ::core::option::Option::Some(::core::clone::Clone::clone(&#k));
                    #out.insert(#k);
                }
                #out
            })
        }
        Ty::Roblox(r) => decode_roblox(r, path),
        // Always default (caught above); spelled out for the exhaustive match.
        Ty::Named(_) => {
            let t = rust_type(ty);
            path.try_(quote!(<#t as ::skyrocket::NetCodec>::decode(dec)))
        }
    }
}

fn collection_new(kind: CollectionKind, map: bool) -> TokenStream {
    match (kind, map) {
        (CollectionKind::Hash, true) => quote!(::std::collections::HashMap::new()),
        (CollectionKind::BTree, true) => quote!(::std::collections::BTreeMap::new()),
        (CollectionKind::Hash, false) => quote!(::std::collections::HashSet::new()),
        (CollectionKind::BTree, false) => quote!(::std::collections::BTreeSet::new()),
    }
}

fn decode_array(elem: &Ty, len: u32, path: &ErrPath, depth: usize) -> TokenStream {
    if len <= UNROLL_ARRAY_MAX {
        // Array expressions evaluate their elements in order.
        let items =
            (0..len as usize).map(|k| decode(elem, &path.with(Seg::Index(quote!(#k))), depth + 1));
        return quote!([#(#items,)*]);
    }
    let (i, out) = (local("i", depth), local("out", depth));
    let n = Literal::usize_unsuffixed(len as usize);
    let t = rust_type(elem);
    let item = decode(elem, &path.with(Seg::Index(quote!(#i))), depth + 1);
    let wrong_len = path.wrap(quote!(dec.fail(::skyrocket::DecodeErrorKind::LengthLimit)));
    quote!({
        let mut #out: ::std::vec::Vec<#t> = ::std::vec::Vec::with_capacity(#n);
        for #i in 0..#n {
            #out.push(#item);
        }
        match <[#t; #n]>::try_from(#out) {
            ::core::result::Result::Ok(array) => array,
            ::core::result::Result::Err(_) => return ::core::result::Result::Err(#wrong_len),
        }
    })
}

fn decode_int(t: IntTy, e: IntEncoding, path: &ErrPath) -> TokenStream {
    let ty = int_type(t);
    match e {
        IntEncoding::Fixed => {
            let read = quote::format_ident!("read_{}", unsigned_of(t));
            let v = path.try_(quote!(dec.#read()));
            quote!((#v as #ty))
        }
        IntEncoding::Range { lo, hi } => {
            let (lo, hi) = (lit_i128(lo), lit_i128(hi));
            let v = path.try_(quote!(::skyrocket::wire::read_range(dec, #lo, #hi)));
            // In range, so the cast is exact.
            quote!((#v as #ty))
        }
        IntEncoding::Varint => {
            let bits = t.bits();
            let v = if t.signed() {
                path.try_(quote!(dec.read_signed_varint(#bits)))
            } else {
                path.try_(quote!(dec.read_varint(#bits)))
            };
            // The decoder checked the value fits `bits`, so the cast is exact.
            quote!((#v as #ty))
        }
    }
}

fn decode_float(t: FloatTy, e: &FloatEncoding, path: &ErrPath) -> TokenStream {
    let ty = float_type(t);
    match (e, t) {
        (FloatEncoding::Full, FloatTy::F32) => path.try_(quote!(dec.read_f32())),
        (FloatEncoding::Full, FloatTy::F64) => path.try_(quote!(dec.read_f64())),
        (FloatEncoding::Half, _) => {
            let v = path.try_(quote!(::skyrocket::wire::read_half(dec)));
            quote!((#v as #ty))
        }
        (FloatEncoding::Quantized(q), _) => {
            let q = quantize_tokens(q);
            let v = path.try_(quote!(::skyrocket::wire::read_quantized(dec, &#q)));
            quote!((#v as #ty))
        }
    }
}

fn decode_roblox(r: &RobloxTy, path: &ErrPath) -> TokenStream {
    match r {
        RobloxTy::Vector3(e) => {
            let e = float_encoding_tokens(e);
            path.try_(quote!(::skyrocket::roblox::read_vector3(dec, &#e)))
        }
        RobloxTy::Vector2(e) => {
            let e = float_encoding_tokens(e);
            path.try_(quote!(::skyrocket::roblox::read_vector2(dec, &#e)))
        }
        RobloxTy::CFrame { lossless } => {
            path.try_(quote!(::skyrocket::roblox::read_cframe(dec, #lossless)))
        }
        RobloxTy::Color3 { lossless } => {
            path.try_(quote!(::skyrocket::roblox::read_color3(dec, #lossless)))
        }
        RobloxTy::EnumItem { .. } => path.try_(quote!(::skyrocket::roblox::read_enum_item(dec))),
        RobloxTy::UDim | RobloxTy::UDim2 | RobloxTy::DateTime | RobloxTy::Instance => {
            let t = crate::common::rust_type(&Ty::Roblox(r.clone()));
            path.try_(quote!(<#t as ::skyrocket::NetCodec>::decode(dec)))
        }
    }
}

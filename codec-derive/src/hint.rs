//! `size_hint` code generation: the encoded size of a field, exact for its
//! fixed-width parts, so `to_bytes` allocates its buffers once.

use proc_macro2::TokenStream;
use quote::quote;
use skyrocket_schema::{
    bits_for_count, is_byte_width, length_bits, FloatEncoding, FloatTy, IntEncoding, RobloxTy, Ty,
};

use crate::common::{is_default, local};

/// `SizeHint::new(bytes, bits)` for a field of `bits` width in its section.
fn sized(bits: u32) -> TokenStream {
    let (bytes, bits) = if is_byte_width(bits) {
        (bits as usize / 8, 0usize)
    } else {
        (0, bits as usize)
    };
    quote!(::skyrocket::SizeHint::new(#bytes, #bits))
}

/// Bits of a collection's length: `max_len` bits, or one varint group.
fn len_bits(max_len: Option<u32>) -> usize {
    max_len.map_or(8, length_bits) as usize
}

/// An expression of type `SizeHint` for the value `v` (`&T` of `ty`).
pub fn size_hint(ty: &Ty, v: &TokenStream, depth: usize) -> TokenStream {
    let none = quote!(::skyrocket::SizeHint::default());
    match ty {
        Ty::Unit => none,
        Ty::Bool => sized(1),
        Ty::Int(t, IntEncoding::Fixed) => sized(t.bits()),
        Ty::Int(_, IntEncoding::Range { lo, hi }) => sized(bits_for_count((hi - lo) as u128 + 1)),
        // At least one 8-bit group.
        Ty::Int(_, IntEncoding::Varint) => quote!(::skyrocket::SizeHint::new(0, 8)),
        Ty::Float(FloatTy::F32, FloatEncoding::Full) => sized(32),
        Ty::Float(FloatTy::F64, FloatEncoding::Full) => sized(64),
        Ty::Float(_, FloatEncoding::Half) => sized(16),
        Ty::Float(_, FloatEncoding::Quantized(q)) => sized(q.bits()),
        Ty::ByteArray(n) => {
            let n = *n as usize;
            quote!(::skyrocket::SizeHint::new(#n, 0))
        }
        Ty::Roblox(RobloxTy::Vector3(e)) => component_hint(e, 3),
        Ty::Roblox(RobloxTy::Vector2(e)) => component_hint(e, 2),
        _ if is_default(ty) => quote!(::skyrocket::NetCodec::size_hint(#v)),
        Ty::String { max_len } | Ty::Bytes { max_len } => {
            let bits = len_bits(*max_len);
            quote!(::skyrocket::SizeHint::new(#v.len(), #bits))
        }
        Ty::Option(inner) => {
            let x = local("x", depth);
            let inner = size_hint(inner, &quote!(#x), depth + 1);
            quote! {
                (::skyrocket::SizeHint::new(0, 1) + match #v {
                    ::core::option::Option::Some(#x) => #inner,
                    ::core::option::Option::None => #none,
                })
            }
        }
        Ty::Boxed(inner) => {
            let x = local("x", depth);
            let inner = size_hint(inner, &quote!(#x), depth + 1);
            quote!({ let #x = &**#v; #inner })
        }
        Ty::List { elem, max_len } => {
            let bits = len_bits(*max_len);
            let items = items_hint(elem, v, depth);
            quote!((::skyrocket::SizeHint::new(0, #bits) + #items))
        }
        Ty::Array { elem, .. } => items_hint(elem, v, depth),
        Ty::Tuple(items) => {
            let parts = items.iter().enumerate().map(|(k, t)| {
                let idx = syn::Index::from(k);
                size_hint(t, &quote!((&(#v).#idx)), depth + 1)
            });
            quote!((#none #(+ #parts)*))
        }
        // Entries are not walked (a hash map would have to be sorted first).
        Ty::Map { max_len, .. } | Ty::Set { max_len, .. } => {
            let bits = len_bits(*max_len);
            quote!(::skyrocket::SizeHint::new(0, #bits))
        }
        // Non-default Roblox encodings (lossless, enum items): no hint.
        Ty::Roblox(_) => none,
        Ty::Named(_) => quote!(::skyrocket::NetCodec::size_hint(#v)),
    }
}

/// The sum over a slice-like `v`'s elements (a constant times the length
/// once inlined, for fixed-width elements).
fn items_hint(elem: &Ty, v: &TokenStream, depth: usize) -> TokenStream {
    let x = local("x", depth);
    let inner = size_hint(elem, &quote!(#x), depth + 1);
    quote! {
        #v.iter().map(|#x| #inner).sum::<::skyrocket::SizeHint>()
    }
}

fn component_hint(e: &FloatEncoding, count: usize) -> TokenStream {
    let bits = match e {
        FloatEncoding::Full => 32,
        FloatEncoding::Half => 16,
        FloatEncoding::Quantized(q) => q.bits(),
    };
    let parts = (0..count).map(|_| sized(bits));
    quote!((::skyrocket::SizeHint::default() #(+ #parts)*))
}

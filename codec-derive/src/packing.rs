//! Field classes that let a struct's fields be written or read together:
//! static-width bit-section fields combined into one bit write, and runs of
//! fixed-size byte-section fields read or written as one byte array.
//!
//! The byte section and the bit section are separate streams (spec 1), so a
//! byte field between two bit fields does not split a bit group, and the
//! bytes of a run land exactly where per-field writes would put them.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use skyrocket_schema::{is_byte_width, FloatEncoding, IntEncoding, RobloxTy, Ty};

use crate::common::{int_type, lit_i128, quantize_tokens, ErrPath};

/// One static-width part of a field's bit-section output.
pub struct Piece {
    /// Width in bits (at most 64).
    pub bits: u32,
    /// An expression of type `u64` below `2^bits`; it may `return` an
    /// encode error (range checks), so pieces are evaluated in field order.
    pub value: TokenStream,
}

/// Bits of a `lo..=hi` range field (spec 2.1).
fn range_bits(lo: i128, hi: i128) -> u32 {
    skyrocket_schema::bits_for_count((hi - lo) as u128 + 1)
}

/// Whether a width goes to the bit section (0-bit fields write nothing).
fn in_bit_section(bits: u32) -> bool {
    bits > 0 && !is_byte_width(bits)
}

/// The static-width bit pieces that encoding `v` (an expression of type `&T`)
/// writes, when its whole encoding is such pieces (and nothing in the byte
/// section): bools, ranged integers and quantized floats that are not
/// byte-wide, bool arrays up to 64, quantized Roblox vectors.
pub fn bit_pieces(ty: &Ty, v: &TokenStream, path: &ErrPath) -> Option<Vec<Piece>> {
    match ty {
        Ty::Bool => Some(vec![Piece {
            bits: 1,
            value: quote!((*#v as u64)),
        }]),
        Ty::Int(_, IntEncoding::Range { lo, hi }) if in_bit_section(range_bits(*lo, *hi)) => {
            let (lo_t, hi_t) = (lit_i128(*lo), lit_i128(*hi));
            let value =
                path.try_(quote!(::skyrocket::wire::range_offset(*#v as i128, #lo_t, #hi_t)));
            Some(vec![Piece {
                bits: range_bits(*lo, *hi),
                value,
            }])
        }
        Ty::Float(_, FloatEncoding::Quantized(q)) if in_bit_section(q.bits()) => {
            let qt = quantize_tokens(q);
            Some(vec![Piece {
                bits: q.bits(),
                value: quote!(::skyrocket::wire::quantize_level(*#v as f64, &#qt)),
            }])
        }
        Ty::Array { elem, len } if **elem == Ty::Bool && (1..=64).contains(len) => {
            Some(vec![Piece {
                bits: *len,
                value: quote!(::skyrocket::wire::pack_bools(&#v[..])),
            }])
        }
        Ty::Roblox(RobloxTy::Vector3(FloatEncoding::Quantized(q))) if in_bit_section(q.bits()) => {
            Some(vector_pieces(&["x", "y", "z"], q, v))
        }
        Ty::Roblox(RobloxTy::Vector2(FloatEncoding::Quantized(q))) if in_bit_section(q.bits()) => {
            Some(vector_pieces(&["x", "y"], q, v))
        }
        _ => None,
    }
}

fn vector_pieces(
    components: &[&str],
    q: &skyrocket_schema::Quantize,
    v: &TokenStream,
) -> Vec<Piece> {
    let qt = quantize_tokens(q);
    components
        .iter()
        .map(|c| {
            let c = quote::format_ident!("{}", c);
            Piece {
                bits: q.bits(),
                value: quote!(::skyrocket::wire::quantize_level((#v).#c as f64, &#qt)),
            }
        })
        .collect()
}

/// The size of a field whose encoding is a fixed number of bytes in the byte
/// section, any value valid: fixed-width integers and byte arrays.
pub fn plain_bytes(ty: &Ty) -> Option<usize> {
    match ty {
        Ty::Int(t, IntEncoding::Fixed) => Some(t.bits() as usize / 8),
        Ty::ByteArray(n) => Some(*n as usize),
        _ => None,
    }
}

/// Whether encoding `ty` writes nothing to the bit section, so a pending
/// bit group may stay open across it.
pub fn byte_section_only(ty: &Ty) -> bool {
    match ty {
        Ty::Unit | Ty::ByteArray(_) => true,
        Ty::Int(_, IntEncoding::Fixed) => true,
        Ty::Int(_, IntEncoding::Range { lo, hi }) => !in_bit_section(range_bits(*lo, *hi)),
        Ty::Int(_, IntEncoding::Varint) => false,
        Ty::Float(_, FloatEncoding::Full | FloatEncoding::Half) => true,
        Ty::Float(_, FloatEncoding::Quantized(q)) => !in_bit_section(q.bits()),
        _ => false,
    }
}

/// A `[u8; size]` expression: the bytes `v` (`&T`, a [`plain_bytes`] type) writes.
pub fn bytes_of(ty: &Ty, v: &TokenStream) -> TokenStream {
    match ty {
        Ty::Int(..) => quote!(#v.to_le_bytes()),
        _ => quote!(*#v),
    }
}

/// The value of a [`plain_bytes`] field from `run[offset..offset + size]`,
/// where `run` is a byte array (constant indices: no runtime checks).
pub fn value_from_run(ty: &Ty, run: &TokenStream, offset: usize) -> TokenStream {
    let size = plain_bytes(ty).unwrap_or(0);
    let indices = (offset..offset + size).map(Literal::usize_unsuffixed);
    match ty {
        Ty::Int(t, _) => {
            let t = int_type(*t);
            quote!(#t::from_le_bytes([#(#run[#indices]),*]))
        }
        _ => quote!([#(#run[#indices]),*]),
    }
}

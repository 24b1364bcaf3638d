//! `#[derive(NetCodec)]` for the Skyrocket wire format.
//!
//! The macro is thin: it parses the item with the shared schema parser
//! ([`skyrocket_schema::parse_derive_input`], the same code `skyrocket gen`
//! runs on a `schema.rs`), then generates code from the resolved IR type of
//! each field, so attributes work at any nesting depth:
//!
//! - [`encode`](mod@encode) and [`decode`](mod@decode) walk a field's [`skyrocket_schema::Ty`]:
//!   loops for collections, wire helpers for scalars with attributes, and the
//!   type's own `NetCodec` impl for subtrees with default encodings and for
//!   named types. Decoding adds the field path to errors on the error path
//!   only, and wraps each struct/enum in the decoder's depth guard.
//! - [`ir_tokens`] emits the parsed [`skyrocket_schema::TypeDef`] as
//!   constructor code for `NetCodec::describe`.

use proc_macro::TokenStream;

mod common;
mod decode;
mod encode;
mod hint;
mod ir_tokens;
mod item;
mod packing;
mod protocol;

/// Derives `skyrocket::NetCodec`. Field attributes: `#[net(range = LO..=HI)]`,
/// `varint`, `half`, `quantize(min = A, max = B, step = S)`, `max_len = N`,
/// `skip`, `default = "path"`, `rename = "name"`, `lossless`,
/// `roblox_enum = "Name"`; type attributes `rename`, `max_depth = N`;
/// variant attribute `rename`. See `docs/wire-format.md`.
#[proc_macro_derive(NetCodec, attributes(net))]
pub fn derive_net_codec(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    match skyrocket_schema::parse_derive_input(&input) {
        Ok(def) => item::expand(&input, &def).into(),
        Err(errors) => errors
            .into_iter()
            .map(|e| e.to_compile_error())
            .collect::<proc_macro2::TokenStream>()
            .into(),
    }
}

/// Marks the protocol module of a schema: events and remote functions
/// declared as type aliases with `#[event(...)]` / `#[function(...)]`
/// (see `docs/runtime.md`). `skyrocket gen` reads the declarations from the
/// source; in Rust the attribute removes them so the module compiles.
#[proc_macro_attribute]
pub fn protocol(_args: TokenStream, item: TokenStream) -> TokenStream {
    protocol::expand(item.into()).into()
}

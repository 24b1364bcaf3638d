//! `#[skyrocket::protocol]`: the protocol module of a schema.rs stays plain
//! Rust. The attribute removes the `#[event(...)]` and `#[function(...)]`
//! declarations and `#[channel(...)]` defaults (which `skyrocket gen` reads from the source) so the module
//! compiles, and checks that it is an inline module.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Attribute, ItemMod};

struct StripDeclarations;

fn is_declaration(attr: &Attribute) -> bool {
    attr.path().is_ident("event")
        || attr.path().is_ident("function")
        || attr.path().is_ident("channel")
}

impl VisitMut for StripDeclarations {
    fn visit_item_type_mut(&mut self, item: &mut syn::ItemType) {
        item.attrs.retain(|a| !is_declaration(a));
        // The aliases exist for the generator; unused ones must not warn.
        item.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
    }

    fn visit_item_mod_mut(&mut self, item: &mut ItemMod) {
        item.attrs.retain(|a| !is_declaration(a));
        syn::visit_mut::visit_item_mod_mut(self, item);
    }
}

/// Expands the attribute on `item`.
pub fn expand(item: TokenStream) -> TokenStream {
    let mut module: ItemMod = match syn::parse2(item) {
        Ok(m) => m,
        Err(e) => {
            return syn::Error::new(
                e.span(),
                "#[skyrocket::protocol] goes on an inline module: `pub mod net { ... }`",
            )
            .to_compile_error()
        }
    };
    if module.content.is_none() {
        return syn::Error::new_spanned(
            &module,
            "#[skyrocket::protocol] needs the module's body inline, in schema.rs",
        )
        .to_compile_error();
    }
    StripDeclarations.visit_item_mod_mut(&mut module);
    quote!(#module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_declarations_and_channel_defaults() {
        let out = expand(quote! {
            pub mod net {
                #[event(to_server, codec = "json", compress = 64)]
                pub type A = u8;
                #[channel(codec = "msgpack", compress)]
                pub mod admin {
                    #[function(to_server)]
                    pub type B = fn(u8) -> u8;
                }
            }
        })
        .to_string();
        for gone in ["event", "function", "channel", "codec", "compress"] {
            assert!(!out.contains(gone), "`{gone}` left in {out}");
        }
        assert!(out.contains("pub mod admin"), "{out}");
    }
}

//! The `impl NetCodec` for one struct or enum.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use skyrocket_schema::{Field, Fields, SkipDefault, Ty, TypeDef, TypeKind};

use crate::common::{ErrPath, Seg};
use crate::decode::decode;
use crate::encode::encode;
use crate::ir_tokens::type_def_tokens;

/// The binding a field's value gets in patterns and decode temporaries.
fn binding(index: usize) -> Ident {
    format_ident!("__f{}", index)
}

/// The path segment naming a field in errors: its Rust name or tuple index.
fn field_label(index: usize, field: &Field) -> String {
    field.name.clone().unwrap_or_else(|| index.to_string())
}

/// A destructuring pattern binding every encoded field (`{ a: __f0, b: _ }`
/// or `(__f0, _)`), after the path `head` (`Self` or `Self::Variant`).
fn pattern(head: &TokenStream, fields: &Fields) -> TokenStream {
    let parts = fields.iter().enumerate().map(|(i, f)| {
        let bind = if f.skip.is_some() {
            quote!(_)
        } else {
            let b = binding(i);
            quote!(#b)
        };
        match &f.name {
            Some(n) => {
                let n = Ident::new_raw_or_plain(n);
                quote!(#n: #bind)
            }
            None => bind,
        }
    });
    match fields {
        Fields::Named(_) => quote!(#head { #(#parts),* }),
        Fields::Tuple(_) => quote!(#head ( #(#parts),* )),
        Fields::Unit => quote!(#head),
    }
}

/// Raw identifiers (`r#type`) as written; plain names otherwise.
trait IdentExt {
    fn new_raw_or_plain(name: &str) -> Ident;
}

impl IdentExt for Ident {
    fn new_raw_or_plain(name: &str) -> Ident {
        match name.strip_prefix("r#") {
            Some(raw) => Ident::new_raw(raw, Span::call_site()),
            None => Ident::new(name, Span::call_site()),
        }
    }
}

/// Statements encoding the bound fields, with `outer` added to error paths.
fn encode_fields(fields: &Fields, outer: &ErrPath) -> TokenStream {
    let parts = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.skip.is_none())
        .map(|(i, f)| {
            let b = binding(i);
            let path = outer.with(Seg::Field(
                field_label(i, f).trim_start_matches("r#").to_owned(),
            ));
            encode(&f.ty, &quote!(#b), &path, 0)
        });
    quote!(#(#parts)*)
}

/// Statements decoding every field into its binding (skipped ones from
/// their default), then the constructor expression `head { ... }`.
fn decode_fields(head: &TokenStream, fields: &Fields, outer: &ErrPath) -> TokenStream {
    let lets = fields.iter().enumerate().map(|(i, f)| {
        let b = binding(i);
        let value = match &f.skip {
            None => {
                let path = outer.with(Seg::Field(
                    field_label(i, f).trim_start_matches("r#").to_owned(),
                ));
                decode(&f.ty, &path, 0)
            }
            Some(SkipDefault::Default) => quote!(::core::default::Default::default()),
            Some(SkipDefault::Function(p)) => {
                // Checked to be a path by the parser.
                let p: TokenStream = p
                    .parse()
                    .unwrap_or_else(|_| quote!(::core::default::Default::default));
                quote!(#p())
            }
        };
        quote!(let #b = #value;)
    });
    let build = {
        let parts = fields.iter().enumerate().map(|(i, f)| {
            let b = binding(i);
            match &f.name {
                Some(n) => {
                    let n = Ident::new_raw_or_plain(n);
                    quote!(#n: #b)
                }
                None => quote!(#b),
            }
        });
        match fields {
            Fields::Named(_) => quote!(#head { #(#parts),* }),
            Fields::Tuple(_) => quote!(#head ( #(#parts),* )),
            Fields::Unit => quote!(#head),
        }
    };
    quote!(#(#lets)* #build)
}

/// Named types referenced anywhere in `ty`.
fn named_types<'a>(ty: &'a Ty, out: &mut BTreeSet<&'a str>) {
    match ty {
        Ty::Named(n) => {
            out.insert(n);
        }
        Ty::Option(t) | Ty::Boxed(t) => named_types(t, out),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            named_types(elem, out)
        }
        Ty::Map { key, value, .. } => {
            named_types(key, out);
            named_types(value, out);
        }
        Ty::Tuple(items) => items.iter().for_each(|t| named_types(t, out)),
        _ => {}
    }
}

/// The `describe` body: register this type (once, before its dependencies,
/// so recursive types terminate), then every named type it uses.
fn describe_body(def: &TypeDef) -> TokenStream {
    let mut deps = BTreeSet::new();
    let all_fields: Vec<&Fields> = match &def.kind {
        TypeKind::Struct(f) => vec![f],
        TypeKind::Enum(vs) => vs.iter().map(|v| &v.fields).collect(),
    };
    for f in all_fields.iter().flat_map(|f| f.encoded()) {
        named_types(&f.ty, &mut deps);
    }
    deps.remove(def.name.as_str());
    let deps = deps.into_iter().map(|d| {
        let d = format_ident!("{}", d);
        quote!(<#d as ::skyrocket::NetCodec>::describe(schema);)
    });
    let name = &def.name;
    let def_tokens = type_def_tokens(def);
    quote! {
        if schema.get(#name).is_none() {
            schema.types.push(#def_tokens);
            #(#deps)*
        }
        ::skyrocket::schema::Ty::Named(::std::string::String::from(#name))
    }
}

/// The whole `impl ::skyrocket::NetCodec for T`.
pub fn expand(input: &syn::DeriveInput, def: &TypeDef) -> TokenStream {
    let ident = &input.ident;
    let depth = Literal::u32_suffixed(def.max_depth);
    let head = quote!(Self);
    let (encode_body, decode_body) = match &def.kind {
        TypeKind::Struct(fields) => {
            let pat = pattern(&head, fields);
            let enc = encode_fields(fields, &ErrPath::default());
            let dec = decode_fields(&head, fields, &ErrPath::default());
            (quote!(let #pat = self; #enc), dec)
        }
        TypeKind::Enum(variants) => {
            let count = Literal::u32_suffixed(variants.len() as u32);
            let enc_arms = variants.iter().enumerate().map(|(tag, v)| {
                let vname = Ident::new_raw_or_plain(&v.name);
                let vhead = quote!(Self::#vname);
                let pat = pattern(&vhead, &v.fields);
                let tag = Literal::u32_suffixed(tag as u32);
                let fields = encode_fields(
                    &v.fields,
                    &ErrPath::default().with(Seg::Variant(v.name.clone())),
                );
                quote!(#pat => {
                    ::skyrocket::wire::write_tag(enc, #tag, #count);
                    #fields
                })
            });
            let dec_arms = variants.iter().enumerate().map(|(tag, v)| {
                let vname = Ident::new_raw_or_plain(&v.name);
                let vhead = quote!(Self::#vname);
                let tag = Literal::u32_suffixed(tag as u32);
                let body = decode_fields(
                    &vhead,
                    &v.fields,
                    &ErrPath::default().with(Seg::Variant(v.name.clone())),
                );
                quote!(#tag => { #body })
            });
            (
                quote!(match self { #(#enc_arms)* }),
                quote! {
                    match ::skyrocket::wire::read_tag(dec, #count)? {
                        #(#dec_arms)*
                        _ => return ::core::result::Result::Err(dec.fail(::skyrocket::DecodeErrorKind::InvalidTag)),
                    }
                },
            )
        }
    };
    let describe = describe_body(def);
    quote! {
        #[automatically_derived]
        // Literals come from the user's attributes (a quantize bound of 3.14159
        // is not meant as PI); casts and unit lets are uniform codegen.
        #[allow(
            unused_variables,
            clippy::approx_constant,
            clippy::excessive_precision,
            clippy::unreadable_literal,
            clippy::unnecessary_cast,
            clippy::let_unit_value,
            clippy::identity_op
        )]
        impl ::skyrocket::NetCodec for #ident {
            fn encode(&self, enc: &mut ::skyrocket::Encoder) -> ::core::result::Result<(), ::skyrocket::EncodeError> {
                #encode_body
                ::core::result::Result::Ok(())
            }

            fn decode(dec: &mut ::skyrocket::Decoder<'_>) -> ::core::result::Result<Self, ::skyrocket::DecodeError> {
                dec.enter(#depth)?;
                let value = { #decode_body };
                dec.leave();
                ::core::result::Result::Ok(value)
            }

            fn describe(schema: &mut ::skyrocket::schema::Schema) -> ::skyrocket::schema::Ty {
                #describe
            }
        }
    }
}

//! The parsed IR as Rust constructor expressions, for `NetCodec::describe`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use skyrocket_schema::{
    CollectionKind, Field, Fields, FloatTy, IntEncoding, IntTy, Pos, RobloxTy, SkipDefault, Ty,
    TypeDef, TypeKind, Variant,
};

use crate::common::{float_encoding_tokens, lit_i128};

fn string(s: &str) -> TokenStream {
    quote!(::std::string::String::from(#s))
}

fn opt_string(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => {
            let s = string(s);
            quote!(::core::option::Option::Some(#s))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn opt_u32(v: Option<u32>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::u32_suffixed(v);
            quote!(::core::option::Option::Some(#v))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn pos(p: &Pos) -> TokenStream {
    let (line, column) = (
        Literal::u32_suffixed(p.line),
        Literal::u32_suffixed(p.column),
    );
    quote!(::skyrocket::schema::Pos { line: #line, column: #column })
}

fn int_ty(t: IntTy) -> TokenStream {
    let name = quote::format_ident!("{}", format!("{t:?}"));
    quote!(::skyrocket::schema::IntTy::#name)
}

fn kind(k: CollectionKind) -> TokenStream {
    match k {
        CollectionKind::BTree => quote!(::skyrocket::schema::CollectionKind::BTree),
        CollectionKind::Hash => quote!(::skyrocket::schema::CollectionKind::Hash),
    }
}

fn boxed(ty: &Ty) -> TokenStream {
    let t = ty_tokens(ty);
    quote!(::std::boxed::Box::new(#t))
}

/// A constructor expression for `ty`.
pub fn ty_tokens(ty: &Ty) -> TokenStream {
    let s = quote!(::skyrocket::schema);
    match ty {
        Ty::Unit => quote!(#s::Ty::Unit),
        Ty::Bool => quote!(#s::Ty::Bool),
        Ty::Int(t, e) => {
            let t = int_ty(*t);
            let e = match e {
                IntEncoding::Fixed => quote!(#s::IntEncoding::Fixed),
                IntEncoding::Varint => quote!(#s::IntEncoding::Varint),
                IntEncoding::Range { lo, hi } => {
                    let (lo, hi) = (lit_i128(*lo), lit_i128(*hi));
                    quote!(#s::IntEncoding::Range { lo: #lo, hi: #hi })
                }
            };
            quote!(#s::Ty::Int(#t, #e))
        }
        Ty::Float(t, e) => {
            let t = match t {
                FloatTy::F32 => quote!(#s::FloatTy::F32),
                FloatTy::F64 => quote!(#s::FloatTy::F64),
            };
            let e = float_encoding_tokens(e);
            quote!(#s::Ty::Float(#t, #e))
        }
        Ty::String { max_len } => {
            let m = opt_u32(*max_len);
            quote!(#s::Ty::String { max_len: #m })
        }
        Ty::Bytes { max_len } => {
            let m = opt_u32(*max_len);
            quote!(#s::Ty::Bytes { max_len: #m })
        }
        Ty::ByteArray(n) => {
            let n = Literal::u32_suffixed(*n);
            quote!(#s::Ty::ByteArray(#n))
        }
        Ty::Option(t) => {
            let t = boxed(t);
            quote!(#s::Ty::Option(#t))
        }
        Ty::Boxed(t) => {
            let t = boxed(t);
            quote!(#s::Ty::Boxed(#t))
        }
        Ty::List { elem, max_len } => {
            let (e, m) = (boxed(elem), opt_u32(*max_len));
            quote!(#s::Ty::List { elem: #e, max_len: #m })
        }
        Ty::Array { elem, len } => {
            let (e, n) = (boxed(elem), Literal::u32_suffixed(*len));
            quote!(#s::Ty::Array { elem: #e, len: #n })
        }
        Ty::Tuple(items) => {
            let items = items.iter().map(ty_tokens);
            quote!(#s::Ty::Tuple(::std::vec![#(#items),*]))
        }
        Ty::Map {
            key,
            value,
            max_len,
            kind: k,
        } => {
            let (key, value, m, k) = (boxed(key), boxed(value), opt_u32(*max_len), kind(*k));
            quote!(#s::Ty::Map { key: #key, value: #value, max_len: #m, kind: #k })
        }
        Ty::Set {
            elem,
            max_len,
            kind: k,
        } => {
            let (e, m, k) = (boxed(elem), opt_u32(*max_len), kind(*k));
            quote!(#s::Ty::Set { elem: #e, max_len: #m, kind: #k })
        }
        Ty::Roblox(r) => {
            let r = match r {
                RobloxTy::Vector3(e) => {
                    let e = float_encoding_tokens(e);
                    quote!(#s::RobloxTy::Vector3(#e))
                }
                RobloxTy::Vector2(e) => {
                    let e = float_encoding_tokens(e);
                    quote!(#s::RobloxTy::Vector2(#e))
                }
                RobloxTy::CFrame { lossless } => {
                    quote!(#s::RobloxTy::CFrame { lossless: #lossless })
                }
                RobloxTy::Color3 { lossless } => {
                    quote!(#s::RobloxTy::Color3 { lossless: #lossless })
                }
                RobloxTy::UDim => quote!(#s::RobloxTy::UDim),
                RobloxTy::UDim2 => quote!(#s::RobloxTy::UDim2),
                RobloxTy::DateTime => quote!(#s::RobloxTy::DateTime),
                RobloxTy::EnumItem { enum_name } => {
                    let n = string(enum_name);
                    quote!(#s::RobloxTy::EnumItem { enum_name: #n })
                }
                RobloxTy::Instance => quote!(#s::RobloxTy::Instance),
            };
            quote!(#s::Ty::Roblox(#r))
        }
        Ty::Named(n) => {
            let n = string(n);
            quote!(#s::Ty::Named(#n))
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let name = opt_string(&f.name);
    let wire_name = string(&f.wire_name);
    let ty = ty_tokens(&f.ty);
    let skip = match &f.skip {
        None => quote!(::core::option::Option::None),
        Some(SkipDefault::Default) => {
            quote!(::core::option::Option::Some(
                ::skyrocket::schema::SkipDefault::Default
            ))
        }
        Some(SkipDefault::Function(path)) => {
            let p = string(path);
            quote!(::core::option::Option::Some(::skyrocket::schema::SkipDefault::Function(#p)))
        }
    };
    let doc = opt_string(&f.doc);
    let p = pos(&f.pos);
    quote!(::skyrocket::schema::Field {
        name: #name, wire_name: #wire_name, ty: #ty, skip: #skip, doc: #doc, pos: #p,
    })
}

fn fields(f: &Fields) -> TokenStream {
    match f {
        Fields::Unit => quote!(::skyrocket::schema::Fields::Unit),
        Fields::Named(list) => {
            let list = list.iter().map(field);
            quote!(::skyrocket::schema::Fields::Named(::std::vec![#(#list),*]))
        }
        Fields::Tuple(list) => {
            let list = list.iter().map(field);
            quote!(::skyrocket::schema::Fields::Tuple(::std::vec![#(#list),*]))
        }
    }
}

fn variant(v: &Variant) -> TokenStream {
    let (name, wire_name) = (string(&v.name), string(&v.wire_name));
    let f = fields(&v.fields);
    let doc = opt_string(&v.doc);
    let p = pos(&v.pos);
    quote!(::skyrocket::schema::Variant {
        name: #name, wire_name: #wire_name, fields: #f, doc: #doc, pos: #p,
    })
}

/// A constructor expression for the whole type definition.
pub fn type_def_tokens(def: &TypeDef) -> TokenStream {
    let (name, wire_name) = (string(&def.name), string(&def.wire_name));
    let doc = opt_string(&def.doc);
    let depth = Literal::u32_suffixed(def.max_depth);
    let kind = match &def.kind {
        TypeKind::Struct(f) => {
            let f = fields(f);
            quote!(::skyrocket::schema::TypeKind::Struct(#f))
        }
        TypeKind::Enum(vs) => {
            let vs = vs.iter().map(variant);
            quote!(::skyrocket::schema::TypeKind::Enum(::std::vec![#(#vs),*]))
        }
    };
    let p = pos(&def.pos);
    quote!(::skyrocket::schema::TypeDef {
        name: #name, wire_name: #wire_name, doc: #doc, max_depth: #depth, kind: #kind, pos: #p,
    })
}

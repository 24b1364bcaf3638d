//! The `impl NetCodec` for one struct or enum.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use skyrocket_schema::{Field, Fields, SkipDefault, Ty, TypeDef, TypeKind};

use crate::common::{ErrPath, Seg};
use crate::decode::decode;
use crate::encode::encode;
use crate::ir_tokens::type_def_tokens;
use crate::packing;

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
///
/// Static-width bit fields are combined into one `write_bits` per up to 64
/// bits (their values are computed, and checked, in field order), and
/// adjacent fixed-size byte fields into one `write_bytes`: fewer updates of
/// the encoder's cursors and bit accumulator, same bytes.
fn encode_fields(fields: &Fields, outer: &ErrPath) -> TokenStream {
    let mut packer = Packer::default();
    for (i, f) in fields.iter().enumerate() {
        if f.skip.is_some() {
            continue;
        }
        let b = binding(i);
        let v = quote!(#b);
        let path = outer.with(Seg::Field(
            field_label(i, f).trim_start_matches("r#").to_owned(),
        ));
        if let Some(size) = packing::plain_bytes(&f.ty) {
            packer.run.push((packing::bytes_of(&f.ty, &v), size));
        } else if let Some(pieces) = packing::bit_pieces(&f.ty, &v, &path) {
            for piece in pieces {
                packer.push_bits(piece);
            }
        } else {
            packer.flush_bytes();
            if !packing::byte_section_only(&f.ty) {
                packer.flush_bits();
            }
            packer.out.push(encode(&f.ty, &v, &path, 0));
        }
    }
    packer.flush_bytes();
    packer.flush_bits();
    let out = packer.out;
    quote!(#(#out)*)
}

/// Pending combined writes of [`encode_fields`].
#[derive(Default)]
struct Packer {
    out: Vec<TokenStream>,
    /// Bit pieces computed but not yet written: `(local, width)`.
    group: Vec<(Ident, u32)>,
    group_bits: u32,
    /// Byte fields not yet written: `([u8; size] expression, size)`.
    run: Vec<(TokenStream, usize)>,
    next_local: usize,
}

impl Packer {
    fn push_bits(&mut self, piece: packing::Piece) {
        if self.group_bits + piece.bits > 64 {
            self.flush_bits();
        }
        let local = format_ident!("__p{}", self.next_local);
        self.next_local += 1;
        let value = piece.value;
        self.out.push(quote!(let #local: u64 = #value;));
        self.group.push((local, piece.bits));
        self.group_bits += piece.bits;
    }

    fn flush_bits(&mut self) {
        let mut shift = 0u32;
        let mut terms = Vec::new();
        for (local, bits) in self.group.drain(..) {
            terms.push(if shift == 0 {
                quote!(#local)
            } else {
                quote!((#local << #shift))
            });
            shift += bits;
        }
        if shift > 0 {
            self.out.push(quote!(enc.write_bits(#(#terms)|*, #shift);));
        }
        self.group_bits = 0;
    }

    fn flush_bytes(&mut self) {
        let total: usize = self.run.iter().map(|(_, size)| size).sum();
        let mut offset = 0;
        let mut copies = Vec::new();
        for (bytes, size) in self.run.drain(..) {
            let (start, end) = (offset, offset + size);
            copies.push(quote!(__run[#start..#end].copy_from_slice(&#bytes);));
            offset = end;
        }
        if total > 0 {
            self.out.push(quote!({
                let mut __run = [0u8; #total];
                #(#copies)*
                enc.write_bytes(&__run);
            }));
        }
    }
}

/// The decode expression of one field: its wire decoding, or its default
/// when skipped.
fn field_value(i: usize, f: &Field, outer: &ErrPath) -> TokenStream {
    match &f.skip {
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
    }
}

/// The fixed byte size of a field that can join a byte run.
fn run_size(f: &Field) -> Option<usize> {
    match f.skip {
        None => packing::plain_bytes(&f.ty),
        Some(_) => None,
    }
}

/// Statements decoding every field into its binding (skipped ones from
/// their default), then the constructor expression `head { ... }`.
///
/// Two or more adjacent fixed-size byte fields are read as one byte array
/// (one bounds check); if it is not all there, the fields are read one by
/// one again so the error names the field and position it always did.
fn decode_fields(head: &TokenStream, fields: &Fields, outer: &ErrPath) -> TokenStream {
    let all: Vec<&Field> = fields.iter().collect();
    let mut lets = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let run_end = (i..all.len())
            .find(|&k| run_size(all[k]).is_none())
            .unwrap_or(all.len());
        if run_end - i < 2 {
            let b = binding(i);
            let value = field_value(i, all[i], outer);
            lets.push(quote!(let #b = #value;));
            i += 1;
            continue;
        }
        let total: usize = all[i..run_end].iter().filter_map(|f| run_size(f)).sum();
        let precise = (i..run_end).map(|k| field_value(k, all[k], outer));
        let unreachable = outer.wrap(quote!(dec.fail(::skyrocket::DecodeErrorKind::UnexpectedEnd)));
        lets.push(quote! {
            let __run: [u8; #total] = match dec.read_array::<#total>() {
                ::core::result::Result::Ok(bytes) => bytes,
                ::core::result::Result::Err(_) => {
                    #(let _ = #precise;)*
                    return ::core::result::Result::Err(#unreachable);
                }
            };
        });
        let mut offset = 0;
        for (k, f) in all.iter().enumerate().take(run_end).skip(i) {
            let b = binding(k);
            let value = packing::value_from_run(&f.ty, &quote!(__run), offset);
            lets.push(quote!(let #b = #value;));
            offset += run_size(f).unwrap_or(0);
        }
        i = run_end;
    }
    let build = constructor(head, fields);
    quote!(#(#lets)* #build)
}

/// The sum of the encoded fields' size hints (bindings from [`pattern`]).
fn fields_hint(fields: &Fields) -> TokenStream {
    let parts = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.skip.is_none())
        .map(|(i, f)| {
            let b = binding(i);
            crate::hint::size_hint(&f.ty, &quote!(#b), 0)
        });
    quote!((::skyrocket::SizeHint::default() #(+ #parts)*))
}

/// `encode_slice` and `decode_many` for a struct whose fields are all
/// fixed-size byte fields (a record of `N` bytes, any bytes valid): a slice
/// of them is `len * N` bytes, written and read with one bounds check.
/// Nothing for other structs (the trait's element-by-element defaults).
fn byte_record_methods(fields: &Fields, depth: &Literal) -> TokenStream {
    let sizes: Option<Vec<usize>> = fields.iter().map(run_size).collect();
    let Some(sizes) = sizes else {
        return quote!();
    };
    let total: usize = sizes.iter().sum();
    if total == 0 {
        return quote!();
    }
    let head = quote!(Self);
    let pat = pattern(&head, fields);
    let mut offset = 0;
    let mut copies = Vec::new();
    let mut lets = Vec::new();
    for (i, (f, size)) in fields.iter().zip(&sizes).enumerate() {
        let b = binding(i);
        let (start, end) = (offset, offset + size);
        let bytes = packing::bytes_of(&f.ty, &quote!(#b));
        copies.push(quote!(__run[#start..#end].copy_from_slice(&#bytes);));
        let value = packing::value_from_run(&f.ty, &quote!(__run), offset);
        lets.push(quote!(let #b = #value;));
        offset = end;
    }
    let build = constructor(&head, fields);
    quote! {
        #[inline]
        fn encode_slice(items: &[Self], enc: &mut ::skyrocket::Encoder) -> ::core::result::Result<(), ::skyrocket::EncodeError> {
            enc.write_byte_records::<Self, #total>(items, |item| {
                let #pat = item;
                let mut __run = [0u8; #total];
                #(#copies)*
                __run
            });
            ::core::result::Result::Ok(())
        }

        #[inline]
        fn decode_many(dec: &mut ::skyrocket::Decoder<'_>, len: usize) -> ::core::result::Result<::std::vec::Vec<Self>, ::skyrocket::DecodeError> {
            ::skyrocket::codec::decode_byte_records::<Self, #total>(dec, len, #depth, |__run: &[u8; #total]| {
                #(#lets)*
                #build
            })
        }
    }
}

/// `head { name: __f0, ... }` (or the tuple/unit form) from the bindings.
fn constructor(head: &TokenStream, fields: &Fields) -> TokenStream {
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
    let hint_body = match &def.kind {
        TypeKind::Struct(fields) => {
            let pat = pattern(&head, fields);
            let sum = fields_hint(fields);
            quote!(let #pat = self; #sum)
        }
        TypeKind::Enum(variants) => {
            let tag_bits = skyrocket_schema::bits_for_count(variants.len() as u128) as usize;
            let arms = variants.iter().map(|v| {
                let vname = Ident::new_raw_or_plain(&v.name);
                let pat = pattern(&quote!(Self::#vname), &v.fields);
                let sum = fields_hint(&v.fields);
                quote!(#pat => #sum,)
            });
            quote!(::skyrocket::SizeHint::new(0, #tag_bits) + match self { #(#arms)* })
        }
    };
    let (encode_body, decode_body) = match &def.kind {
        TypeKind::Struct(fields) => {
            let pat = pattern(&head, fields);
            let enc = encode_fields(fields, &ErrPath::default());
            let dec = decode_fields(&head, fields, &ErrPath::default());
            (quote!(let #pat = self; #enc), dec)
        }
        TypeKind::Enum(variants) => {
            let count = Literal::u32_suffixed(variants.len() as u32);
            // The tag is computed by its own match (a plain discriminant read
            // that LLVM turns into arithmetic or a table load) and written
            // once: a `write_tag` per arm would be reached through an
            // unpredictable jump table when the variant varies.
            let tag_arms = variants.iter().enumerate().map(|(tag, v)| {
                let vname = Ident::new_raw_or_plain(&v.name);
                let tag = Literal::u32_suffixed(tag as u32);
                let pat = match &v.fields {
                    Fields::Named(_) => quote!(Self::#vname { .. }),
                    Fields::Tuple(_) => quote!(Self::#vname(..)),
                    Fields::Unit => quote!(Self::#vname),
                };
                quote!(#pat => #tag,)
            });
            let enc_arms: Vec<TokenStream> = variants
                .iter()
                .filter(|v| v.fields.encoded().next().is_some())
                .map(|v| {
                    let vname = Ident::new_raw_or_plain(&v.name);
                    let vhead = quote!(Self::#vname);
                    let pat = pattern(&vhead, &v.fields);
                    let fields = encode_fields(
                        &v.fields,
                        &ErrPath::default().with(Seg::Variant(v.name.clone())),
                    );
                    quote!(#pat => { #fields })
                })
                .collect();
            let fields_match = if enc_arms.is_empty() {
                quote!()
            } else if enc_arms.len() < variants.len() {
                quote!(match self { #(#enc_arms)* _ => {} })
            } else {
                quote!(match self { #(#enc_arms)* })
            };
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
                quote! {
                    let tag = match self { #(#tag_arms)* };
                    ::skyrocket::wire::write_tag(enc, tag, #count);
                    #fields_match
                },
                quote! {
                    match ::skyrocket::wire::read_tag(dec, #count)? {
                        #(#dec_arms)*
                        _ => return ::core::result::Result::Err(dec.fail(::skyrocket::DecodeErrorKind::InvalidTag)),
                    }
                },
            )
        }
    };
    let bulk = match &def.kind {
        TypeKind::Struct(fields) => byte_record_methods(fields, &depth),
        TypeKind::Enum(_) => quote!(),
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

            #[inline]
            fn size_hint(&self) -> ::skyrocket::SizeHint {
                #hint_body
            }

            #bulk
        }
    }
}

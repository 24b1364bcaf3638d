//! `#[net(...)]` attributes: parsing into typed values with spans.
//!
//! Each attribute is remembered with the span of its key so errors about it
//! (duplicates, conflicts, wrong target type) point at it.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitFloat, LitInt, LitStr, Token};

use crate::ir::Quantize;

/// A parsed attribute value and the span of its key.
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// The `#[net(...)]` attributes of one field.
#[derive(Debug, Default)]
pub(crate) struct FieldAttrs {
    /// `range = LO..=HI` (stored inclusive).
    pub range: Option<Spanned<(i128, i128)>>,
    pub varint: Option<Span>,
    pub half: Option<Span>,
    pub quantize: Option<Spanned<Quantize>>,
    pub max_len: Option<Spanned<u32>>,
    pub skip: Option<Span>,
    pub default: Option<Spanned<String>>,
    pub rename: Option<Spanned<String>>,
    pub lossless: Option<Span>,
    pub roblox_enum: Option<Spanned<String>>,
}

/// The `#[net(...)]` attributes of a struct or enum.
#[derive(Debug, Default)]
pub(crate) struct TypeAttrs {
    pub rename: Option<Spanned<String>>,
    pub max_depth: Option<Spanned<u32>>,
}

/// The `#[net(...)]` attributes of an enum variant.
#[derive(Debug, Default)]
pub(crate) struct VariantAttrs {
    pub rename: Option<Spanned<String>>,
}

const FIELD_KEYS: &str =
    "range, varint, half, quantize, max_len, skip, default, rename, lossless, roblox_enum";

/// Runs `each` on every item of every `#[net(...)]` attribute, collecting errors.
fn for_each_net_meta(
    attrs: &[Attribute],
    errors: &mut Vec<syn::Error>,
    mut each: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("net")) {
        if let Err(e) = attr.parse_nested_meta(|meta| each(&meta)) {
            errors.push(e);
        }
    }
}

/// The key of a nested meta as text (`range`, `max_len` ...).
fn key_name(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_else(|| {
            let path = &meta.path;
            quote::quote!(#path).to_string().replace(' ', "")
        })
}

fn set_once<T>(slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("duplicate `{}` attribute", key_name(meta))));
    }
    *slot = Some(value);
    Ok(())
}

fn spanned<T>(value: T, meta: &ParseNestedMeta<'_>) -> Spanned<T> {
    Spanned {
        value,
        span: key_span(meta),
    }
}

fn key_span(meta: &ParseNestedMeta<'_>) -> Span {
    syn::spanned::Spanned::span(&meta.path)
}

/// A flag attribute (`varint`) must not have a value.
fn flag(meta: &ParseNestedMeta<'_>) -> syn::Result<Span> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`{}` takes no value", key_name(meta))));
    }
    Ok(key_span(meta))
}

fn string_value(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    let lit: LitStr = meta.value()?.parse()?;
    let text = lit.value();
    if text.is_empty() {
        return Err(syn::Error::new(lit.span(), "expected a non-empty string"));
    }
    Ok(text)
}

fn u32_value(meta: &ParseNestedMeta<'_>) -> syn::Result<u32> {
    let lit: LitInt = meta.value()?.parse()?;
    lit.base10_parse::<u32>()
        .map_err(|_| syn::Error::new(lit.span(), "expected an integer from 0 to 4294967295"))
}

/// An integer literal with an optional leading minus sign.
fn signed_int(input: syn::parse::ParseStream<'_>) -> syn::Result<i128> {
    let negative = input.parse::<Option<Token![-]>>()?.is_some();
    let lit: LitInt = input.parse()?;
    let magnitude = lit
        .base10_parse::<i128>()
        .map_err(|_| syn::Error::new(lit.span(), "integer literal too large"))?;
    Ok(if negative { -magnitude } else { magnitude })
}

/// A float or integer literal with an optional leading minus sign.
fn signed_float(input: syn::parse::ParseStream<'_>) -> syn::Result<f64> {
    let negative = input.parse::<Option<Token![-]>>()?.is_some();
    let magnitude = if input.peek(LitFloat) {
        let lit: LitFloat = input.parse()?;
        lit.base10_parse::<f64>()?
    } else if input.peek(LitInt) {
        let lit: LitInt = input.parse()?;
        lit.base10_parse::<f64>()?
    } else {
        return Err(input.error("expected a number"));
    };
    Ok(if negative { -magnitude } else { magnitude })
}

/// `LO..=HI` or `LO..HI`, as an inclusive pair. An empty range is an error.
fn range_value(meta: &ParseNestedMeta<'_>) -> syn::Result<(i128, i128)> {
    let input = meta.value()?;
    let start_span = input.span();
    let lo = signed_int(input)?;
    let inclusive = if input.peek(Token![..=]) {
        input.parse::<Token![..=]>()?;
        true
    } else if input.peek(Token![..]) {
        input.parse::<Token![..]>()?;
        false
    } else {
        return Err(input.error("expected `LO..=HI` or `LO..HI`"));
    };
    let hi = signed_int(input)?;
    let hi = if inclusive { hi } else { hi - 1 };
    if lo > hi {
        return Err(syn::Error::new(
            start_span,
            format!("empty range: the low end {lo} is above the high end {hi}"),
        ));
    }
    Ok((lo, hi))
}

/// `quantize(min = A, max = B, step = S)`, checked for consistency.
fn quantize_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Quantize> {
    let (mut min, mut max, mut step) = (None, None, None);
    meta.parse_nested_meta(|inner| {
        let slot = if inner.path.is_ident("min") {
            &mut min
        } else if inner.path.is_ident("max") {
            &mut max
        } else if inner.path.is_ident("step") {
            &mut step
        } else {
            return Err(
                inner.error("unknown `quantize` parameter; expected `min`, `max` or `step`")
            );
        };
        let value = signed_float(inner.value()?)?;
        set_once(slot, value, &inner)
    })?;
    let missing = |name: &str| meta.error(format!("`quantize` needs `{name} = ...`"));
    let q = Quantize {
        min: min.ok_or_else(|| missing("min"))?,
        max: max.ok_or_else(|| missing("max"))?,
        step: step.ok_or_else(|| missing("step"))?,
    };
    check_quantize(&q).map_err(|msg| meta.error(msg))?;
    Ok(q)
}

/// Largest quantized width: levels must stay exact in binary64.
pub(crate) const MAX_QUANTIZE_BITS: u32 = 53;

/// Checks `min < max`, `step > 0`, finiteness and the 53-bit limit.
pub(crate) fn check_quantize(q: &Quantize) -> Result<(), String> {
    if !(q.min.is_finite() && q.max.is_finite() && q.step.is_finite()) {
        return Err("`quantize` bounds and step must be finite".into());
    }
    if q.step <= 0.0 {
        return Err(format!(
            "`quantize` step must be above zero, got {}",
            q.step
        ));
    }
    if q.max <= q.min {
        return Err(format!(
            "`quantize` max ({}) must be above min ({})",
            q.max, q.min
        ));
    }
    let steps = ((q.max - q.min) / q.step + 0.5).floor();
    // levels = steps + 1 must fit in 2^53 so every level is an exact binary64.
    if steps >= (1u64 << MAX_QUANTIZE_BITS) as f64 {
        let needed = if steps.is_finite() {
            format!("{} bits", (steps + 1.0).log2().ceil())
        } else {
            "too many bits".to_owned()
        };
        return Err(format!(
            "`quantize` with these bounds and step needs {needed}, above the limit of {MAX_QUANTIZE_BITS} (levels must be exact in binary64); use a larger step or a narrower range"
        ));
    }
    Ok(())
}

/// Parses the `#[net(...)]` attributes of a field.
pub(crate) fn field_attrs(attrs: &[Attribute], errors: &mut Vec<syn::Error>) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for_each_net_meta(attrs, errors, |meta| {
        let key = key_name(meta);
        match key.as_str() {
            "range" => set_once(&mut out.range, spanned(range_value(meta)?, meta), meta),
            "varint" => set_once(&mut out.varint, flag(meta)?, meta),
            "half" => set_once(&mut out.half, flag(meta)?, meta),
            "quantize" => set_once(
                &mut out.quantize,
                spanned(quantize_value(meta)?, meta),
                meta,
            ),
            "max_len" => set_once(&mut out.max_len, spanned(u32_value(meta)?, meta), meta),
            "skip" => set_once(&mut out.skip, flag(meta)?, meta),
            "default" => set_once(&mut out.default, spanned(string_value(meta)?, meta), meta),
            "rename" => set_once(&mut out.rename, spanned(string_value(meta)?, meta), meta),
            "lossless" => set_once(&mut out.lossless, flag(meta)?, meta),
            "roblox_enum" => set_once(
                &mut out.roblox_enum,
                spanned(string_value(meta)?, meta),
                meta,
            ),
            "max_depth" => {
                Err(meta.error("`max_depth` goes on the struct or enum, not on a field"))
            }
            _ => Err(meta.error(format!(
                "unknown field attribute `{key}`{}; expected one of: {FIELD_KEYS}",
                suggestion(&key, FIELD_KEYS)
            ))),
        }
    });
    out
}

/// ` (did you mean `x`?)` when `key` is one or two edits from a known key.
fn suggestion(key: &str, known: &str) -> String {
    known
        .split(", ")
        .map(|k| (edit_distance(key, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance, with adjacent swaps counting as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Parses the `#[net(...)]` attributes of a struct or enum.
pub(crate) fn type_attrs(attrs: &[Attribute], errors: &mut Vec<syn::Error>) -> TypeAttrs {
    let mut out = TypeAttrs::default();
    for_each_net_meta(attrs, errors, |meta| {
        let key = key_name(meta);
        match key.as_str() {
            "rename" => set_once(&mut out.rename, spanned(string_value(meta)?, meta), meta),
            "max_depth" => {
                let depth = u32_value(meta)?;
                if depth == 0 {
                    return Err(meta.error("`max_depth` must be at least 1"));
                }
                set_once(&mut out.max_depth, spanned(depth, meta), meta)
            }
            _ => Err(meta.error(format!(
                "unknown type attribute `{key}`; expected `rename` or `max_depth`"
            ))),
        }
    });
    out
}

/// Parses the `#[net(...)]` attributes of an enum variant.
pub(crate) fn variant_attrs(attrs: &[Attribute], errors: &mut Vec<syn::Error>) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    for_each_net_meta(attrs, errors, |meta| {
        let key = key_name(meta);
        match key.as_str() {
            "rename" => set_once(&mut out.rename, spanned(string_value(meta)?, meta), meta),
            _ => Err(meta.error(format!(
                "unknown variant attribute `{key}`; expected `rename`"
            ))),
        }
    });
    out
}

/// The doc comment of an item: `///` lines joined by newlines, one leading
/// space removed from each.
pub(crate) fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| line.strip_prefix(' ').map(str::to_owned).unwrap_or(line))
        .collect();
    if lines.is_empty() {
        None
    } else {
        Some(lines.join("\n").trim_end().to_owned())
    }
}

//! The protocol declaration: `#[skyrocket::protocol] mod net { ... }`.
//!
//! ```text
//! #[skyrocket::protocol]
//! pub mod net {
//!     use super::*;
//!     pub mod combat {                     // namespace `Combat`
//!         use super::*;
//!         /// World state, every frame.
//!         #[event(to_client, unreliable, priority = 10)]
//!         pub type Snapshot = super::Snapshot;
//!         #[event(to_server, rate = 30, burst = 60)]
//!         pub type Input = InputFrame;
//!         #[function(to_server, timeout = 5, retries = 2, rate = 4)]
//!         pub type GetInventory = fn(u8) -> Inventory;
//!     }
//! }
//! ```
//!
//! Event keys: `to_client` | `to_server` (required), `reliable` (default) |
//! `unreliable`, `splittable`, `priority = 0..=255` (default 128), `rate = N`
//! (per second per player), `burst = N`, `name = "..."`.
//! Function keys: `to_server` | `to_client`, `timeout = SECONDS` (default
//! 10), `retries = N` (default 0), `rate`, `burst`, `name`.
//! Both take `codec = "skyrocket" | "json" | "msgpack" | "protobuf"` and
//! `compress` / `compress = THRESHOLD_BYTES`; `#[channel(codec = ..,
//! compress)]` on a namespace module (or the protocol module) sets the
//! default of every remote inside it.

use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, Item, LitFloat, LitInt, LitStr, Type};

use crate::error::SchemaError;
use crate::ir::{Schema, Ty};
use crate::protocol::{
    validate_protocol, Direction, EventDef, FunctionDef, PayloadFormat, Protocol, RateLimit,
    CODECS, DEFAULT_COMPRESS_THRESHOLD, DEFAULT_TIMEOUT,
};

use super::attrs::doc_comment;
use super::{parse_file, pos_of, schema_errors, types};

/// Default event priority.
pub const DEFAULT_PRIORITY: u8 = 128;

/// Whether an attribute is `#[skyrocket::protocol]` or `#[protocol]`.
fn is_protocol_attr(attr: &Attribute) -> bool {
    let segs: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    matches!(segs.as_slice(), [p] if p == "protocol")
        || matches!(segs.as_slice(), [k, p] if k == "skyrocket" && p == "protocol")
}

/// `snake_case` or `PascalCase` module name to `PascalCase`.
fn pascal(name: &str) -> String {
    name.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn number(meta: &ParseNestedMeta<'_>) -> syn::Result<f64> {
    let input = meta.value()?;
    if input.peek(LitFloat) {
        input.parse::<LitFloat>()?.base10_parse::<f64>()
    } else {
        input.parse::<LitInt>()?.base10_parse::<f64>()
    }
}

fn key(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_default()
}

/// Drops leading `crate::`, `self::` and `super::` segments so a payload can
/// name the schema type as seen from inside the protocol module.
fn strip_relative(ty: &Type) -> Type {
    if let Type::Path(p) = ty {
        if p.qself.is_none() {
            let mut path = p.path.clone();
            let keep: Vec<_> = path
                .segments
                .iter()
                .skip_while(|s| {
                    let i = s.ident.to_string();
                    i == "crate" || i == "self" || i == "super"
                })
                .cloned()
                .collect();
            if !keep.is_empty() && keep.len() != path.segments.len() {
                path.leading_colon = None;
                path.segments = keep.into_iter().collect();
                return Type::Path(syn::TypePath { qself: None, path });
            }
        }
    }
    ty.clone()
}

fn resolve(ty: &Type, errors: &mut Vec<syn::Error>) -> Ty {
    match types::resolve(&strip_relative(ty)) {
        Ok(t) => t,
        Err(e) => {
            errors.push(e);
            Ty::Unit
        }
    }
}

#[derive(Default)]
struct Common {
    direction: Option<Direction>,
    rate: Option<f64>,
    burst: Option<f64>,
    name: Option<String>,
    format: PayloadFormat,
}

/// `codec = "..."` and `compress [= N]`, shared by remotes and `#[channel]`.
fn format_key(meta: &ParseNestedMeta<'_>, f: &mut PayloadFormat) -> syn::Result<bool> {
    match key(meta).as_str() {
        "codec" => {
            let s: LitStr = meta.value()?.parse()?;
            let v = s.value();
            if !CODECS.contains(&v.as_str()) {
                return Err(syn::Error::new(
                    s.span(),
                    format!("unknown codec `{v}`; expected one of {}", CODECS.join(", ")),
                ));
            }
            f.codec = v;
        }
        "compress" => {
            f.compress = Some(if meta.input.peek(syn::Token![=]) {
                let lit: LitInt = meta.value()?.parse()?;
                lit.base10_parse::<u32>().map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "compress takes a threshold in bytes (0..=4294967295)",
                    )
                })?
            } else {
                DEFAULT_COMPRESS_THRESHOLD
            });
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn common(meta: &ParseNestedMeta<'_>, c: &mut Common) -> syn::Result<bool> {
    if format_key(meta, &mut c.format)? {
        return Ok(true);
    }
    match key(meta).as_str() {
        "to_client" | "to_server" => {
            let d = if key(meta) == "to_client" {
                Direction::ToClient
            } else {
                Direction::ToServer
            };
            if c.direction.replace(d).is_some() {
                return Err(meta.error("the direction is given twice"));
            }
        }
        "rate" => {
            let v = number(meta)?;
            if !(v > 0.0 && v.is_finite()) {
                return Err(meta.error("rate must be a positive number of messages per second"));
            }
            c.rate = Some(v);
        }
        "burst" => {
            let v = number(meta)?;
            if !(v >= 1.0 && v.is_finite()) {
                return Err(meta.error("burst must be at least 1"));
            }
            c.burst = Some(v);
        }
        "name" => {
            let s: LitStr = meta.value()?.parse()?;
            let v = s.value();
            if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(syn::Error::new(s.span(), "name must be an identifier"));
            }
            c.name = Some(v);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn rate_limit(c: &Common, span: proc_macro2::Span) -> syn::Result<Option<RateLimit>> {
    match (c.rate, c.burst) {
        (Some(rate), burst) => Ok(Some(RateLimit {
            rate,
            burst: burst.unwrap_or(rate.max(1.0)),
        })),
        (None, Some(_)) => Err(syn::Error::new(span, "`burst` needs a `rate`")),
        (None, None) => Ok(None),
    }
}

fn event(
    attr: &Attribute,
    alias: &syn::ItemType,
    ns: &[String],
    defaults: &PayloadFormat,
    errors: &mut Vec<syn::Error>,
) -> Option<EventDef> {
    let mut c = Common {
        format: defaults.clone(),
        ..Common::default()
    };
    let mut reliable: Option<bool> = None;
    let mut splittable = false;
    let mut priority = DEFAULT_PRIORITY;
    let r = attr.parse_nested_meta(|meta| {
        if common(&meta, &mut c)? {
            return Ok(());
        }
        match key(&meta).as_str() {
            "reliable" | "unreliable" => {
                if reliable.replace(key(&meta) == "reliable").is_some() {
                    return Err(meta.error("reliability is given twice"));
                }
            }
            "splittable" => splittable = true,
            "priority" => {
                let lit: LitInt = meta.value()?.parse()?;
                priority = lit
                    .base10_parse::<u8>()
                    .map_err(|_| syn::Error::new(lit.span(), "priority must be 0..=255"))?;
            }
            k => {
                return Err(meta.error(format!(
                    "unknown event option `{k}`; expected to_client, to_server, reliable, unreliable, splittable, priority, rate, burst, name, codec or compress"
                )))
            }
        }
        Ok(())
    });
    if let Err(e) = r {
        errors.push(e);
        return None;
    }
    let Some(direction) = c.direction else {
        errors.push(syn::Error::new(
            attr.span(),
            "an event needs a direction: `to_client` or `to_server`",
        ));
        return None;
    };
    let rl = match rate_limit(&c, attr.span()) {
        Ok(r) => r,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    Some(EventDef {
        name: c.name.unwrap_or_else(|| alias.ident.to_string()),
        namespace: ns.to_vec(),
        ty: resolve(&alias.ty, errors),
        direction,
        reliable: reliable.unwrap_or(true),
        splittable,
        priority,
        rate_limit: rl,
        format: c.format,
        doc: doc_comment(&alias.attrs),
        pos: pos_of(alias.ident.span()),
    })
}

fn function(
    attr: &Attribute,
    alias: &syn::ItemType,
    ns: &[String],
    defaults: &PayloadFormat,
    errors: &mut Vec<syn::Error>,
) -> Option<FunctionDef> {
    let mut c = Common {
        format: defaults.clone(),
        ..Common::default()
    };
    let mut timeout = DEFAULT_TIMEOUT;
    let mut retries = 0u32;
    let r = attr.parse_nested_meta(|meta| {
        if common(&meta, &mut c)? {
            return Ok(());
        }
        match key(&meta).as_str() {
            "timeout" => timeout = number(&meta)?,
            "retries" => {
                let lit: LitInt = meta.value()?.parse()?;
                retries = lit
                    .base10_parse::<u32>()
                    .map_err(|_| syn::Error::new(lit.span(), "retries must be 0..=100"))?;
                if retries > 100 {
                    return Err(syn::Error::new(lit.span(), "retries must be 0..=100"));
                }
            }
            k => {
                return Err(meta.error(format!(
                    "unknown function option `{k}`; expected to_server, to_client, timeout, retries, rate, burst, name, codec or compress"
                )))
            }
        }
        Ok(())
    });
    if let Err(e) = r {
        errors.push(e);
        return None;
    }
    let Some(direction) = c.direction else {
        errors.push(syn::Error::new(
            attr.span(),
            "a function needs a direction: `to_server` (clients invoke) or `to_client` (the server invokes)",
        ));
        return None;
    };
    let Type::BareFn(f) = &*alias.ty else {
        errors.push(syn::Error::new(
            alias.ty.span(),
            "a remote function is declared as `fn(Request) -> Response`",
        ));
        return None;
    };
    if f.inputs.len() > 1 {
        errors.push(syn::Error::new(
            f.inputs.span(),
            "a remote function takes at most one request value; use a struct or a tuple",
        ));
        return None;
    }
    let request = f
        .inputs
        .first()
        .map_or(Ty::Unit, |a| resolve(&a.ty, errors));
    let response = match &f.output {
        syn::ReturnType::Default => Ty::Unit,
        syn::ReturnType::Type(_, t) => resolve(t, errors),
    };
    let rl = match rate_limit(&c, attr.span()) {
        Ok(r) => r,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    Some(FunctionDef {
        name: c.name.unwrap_or_else(|| alias.ident.to_string()),
        namespace: ns.to_vec(),
        request,
        response,
        direction,
        timeout,
        retries,
        rate_limit: rl,
        format: c.format,
        doc: doc_comment(&alias.attrs),
        pos: pos_of(alias.ident.span()),
    })
}

/// The payload format a module's `#[channel(...)]` gives its remotes.
fn channel_defaults(
    attrs: &[Attribute],
    inherited: &PayloadFormat,
    errors: &mut Vec<syn::Error>,
) -> PayloadFormat {
    let mut f = inherited.clone();
    for attr in attrs.iter().filter(|a| a.path().is_ident("channel")) {
        let r = attr.parse_nested_meta(|meta| {
            if format_key(&meta, &mut f)? {
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown channel option `{}`; expected codec or compress",
                    key(&meta)
                )))
            }
        });
        if let Err(e) = r {
            errors.push(e);
        }
    }
    f
}

fn collect_decls(
    items: &[Item],
    ns: &mut Vec<String>,
    defaults: &PayloadFormat,
    p: &mut Protocol,
    errors: &mut Vec<syn::Error>,
) {
    for item in items {
        match item {
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    let inner_defaults = channel_defaults(&m.attrs, defaults, errors);
                    ns.push(pascal(&m.ident.to_string()));
                    collect_decls(inner, ns, &inner_defaults, p, errors);
                    ns.pop();
                }
            }
            Item::Type(alias) => {
                for attr in &alias.attrs {
                    if attr.path().is_ident("event") {
                        if let Some(e) = event(attr, alias, ns, defaults, errors) {
                            p.events.push(e);
                        }
                    } else if attr.path().is_ident("function") {
                        if let Some(f) = function(attr, alias, ns, defaults, errors) {
                            p.functions.push(f);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn find_protocols(items: &[Item], p: &mut Protocol, errors: &mut Vec<syn::Error>) {
    for item in items {
        if let Item::Mod(m) = item {
            if let Some((_, inner)) = &m.content {
                if m.attrs.iter().any(is_protocol_attr) {
                    let defaults = channel_defaults(&m.attrs, &PayloadFormat::default(), errors);
                    collect_decls(inner, &mut Vec::new(), &defaults, p, errors);
                } else {
                    find_protocols(inner, p, errors);
                }
            }
        }
    }
}

/// Parses the protocol declarations of a `schema.rs` (every `#[event]` and
/// `#[function]` type alias inside `#[skyrocket::protocol]` modules; nested
/// modules are namespaces) without validating them against the types.
pub fn parse_protocol(source: &str) -> Result<Protocol, Vec<SchemaError>> {
    let file = syn::parse_file(source).map_err(schema_errors)?;
    let mut p = Protocol::default();
    let mut errors = Vec::new();
    find_protocols(&file.items, &mut p, &mut errors);
    if errors.is_empty() {
        Ok(p)
    } else {
        let mut e: Vec<SchemaError> = errors.into_iter().flat_map(schema_errors).collect();
        e.sort_by_key(|e| (e.pos.line, e.pos.column));
        Err(e)
    }
}

/// Parses a whole `schema.rs`: its types ([`parse_file`]) and its protocol
/// ([`parse_protocol`]), validated together ([`validate_protocol`]: sizes of
/// unreliable events, unknown payload types, duplicate names).
pub fn parse_file_with_protocol(source: &str) -> Result<(Schema, Protocol), Vec<SchemaError>> {
    let schema = parse_file(source);
    let protocol = parse_protocol(source);
    match (schema, protocol) {
        (Ok(s), Ok(p)) => {
            let errors = validate_protocol(&s, &p);
            if errors.is_empty() {
                Ok((s, p))
            } else {
                Err(errors)
            }
        }
        (Err(mut a), Err(b)) => {
            a.extend(b);
            a.sort_by_key(|e| (e.pos.line, e.pos.column));
            a.dedup();
            Err(a)
        }
        (Err(a), Ok(_)) | (Ok(_), Err(a)) => Err(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{IntEncoding, IntTy};

    const SRC: &str = r#"
use skyrocket::NetCodec;
#[derive(NetCodec)]
pub struct Small { pub a: u8 }
#[derive(NetCodec)]
pub struct Big { #[net(max_len = 2000)] pub data: Vec<u8> }

#[skyrocket::protocol]
pub mod net {
    use super::*;
    #[event(to_server, rate = 30, burst = 60)]
    pub type Ping = u8;
    pub mod world_state {
        use super::*;
        /// Doc.
        #[event(to_client, unreliable, priority = 7)]
        pub type Tick = super::Small;
        #[function(to_server, timeout = 2.5, retries = 3)]
        pub type Fetch = fn(u16) -> Big;
        #[function(to_client)]
        pub type Ask = fn();
    }
}
"#;

    #[test]
    fn parses_events_functions_namespaces() {
        let (s, p) = parse_file_with_protocol(SRC).unwrap();
        assert_eq!(s.types.len(), 2);
        assert_eq!(p.events.len(), 2);
        assert_eq!(p.functions.len(), 2);
        let ping = &p.events[0];
        assert_eq!(ping.name, "Ping");
        assert!(ping.namespace.is_empty());
        assert_eq!(ping.ty, Ty::Int(IntTy::U8, IntEncoding::Fixed));
        assert_eq!(ping.direction, Direction::ToServer);
        assert!(ping.reliable);
        assert_eq!(
            ping.rate_limit,
            Some(RateLimit {
                rate: 30.0,
                burst: 60.0
            })
        );
        let tick = &p.events[1];
        assert_eq!(tick.namespace, vec!["WorldState".to_owned()]);
        assert_eq!(tick.ty, Ty::Named("Small".into()));
        assert!(!tick.reliable);
        assert_eq!(tick.priority, 7);
        assert_eq!(tick.doc.as_deref(), Some("Doc."));
        assert_eq!(tick.pos.line, 17);
        let fetch = &p.functions[0];
        assert_eq!(fetch.request, Ty::Int(IntTy::U16, IntEncoding::Fixed));
        assert_eq!(fetch.response, Ty::Named("Big".into()));
        assert_eq!(fetch.timeout, 2.5);
        assert_eq!(fetch.retries, 3);
        let ask = &p.functions[1];
        assert_eq!(ask.request, Ty::Unit);
        assert_eq!(ask.response, Ty::Unit);
        assert_eq!(ask.direction, Direction::ToClient);
        assert_eq!(ask.timeout, DEFAULT_TIMEOUT);
    }

    #[test]
    fn oversize_unreliable_is_refused_at_the_declaration() {
        let src = SRC.replace("pub type Tick = super::Small;", "pub type Tick = Big;");
        let e = parse_file_with_protocol(&src).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].pos.line, e[0].pos.column), (17, 18));
        assert!(e[0]
            .message
            .contains("unreliable event `WorldState.Tick` can be 2002 bytes"));
        assert!(e[0]
            .render("schema.rs")
            .starts_with("schema.rs:17:18: error: "));
        // Unbounded too.
        let src = SRC.replace("pub type Tick = super::Small;", "pub type Tick = String;");
        let e = parse_file_with_protocol(&src).unwrap_err();
        assert!(e.iter().any(|e| e.message.contains("unboundedly many")));
        // Splittable is accepted.
        let src = SRC.replace("unreliable, priority", "unreliable, splittable, priority");
        let src = src.replace("pub type Tick = super::Small;", "pub type Tick = Big;");
        assert!(parse_file_with_protocol(&src).is_ok());
    }

    #[test]
    fn declaration_errors() {
        for (from, to, want) in [
            (
                "#[event(to_server, rate",
                "#[event(rate",
                "needs a direction",
            ),
            (
                "unreliable, priority = 7",
                "unreliable, priority = 700",
                "priority must be",
            ),
            (
                "timeout = 2.5",
                "timeout = 2.5, colour = 1",
                "unknown function option `colour`",
            ),
            (
                "fn(u16) -> Big",
                "u16",
                "declared as `fn(Request) -> Response`",
            ),
            (
                "fn(u16) -> Big",
                "fn(u16, u8) -> Big",
                "at most one request",
            ),
            (
                "pub type Tick = super::Small;",
                "pub type Tick = Missing;",
                "`Missing` is not a `NetCodec` type",
            ),
            (
                "pub type Ask = fn();",
                "pub type Tick = fn();",
                "declared twice",
            ),
        ] {
            let src = SRC.replace(from, to);
            assert_ne!(src, SRC, "{from}");
            let e = parse_file_with_protocol(&src).unwrap_err();
            assert!(e.iter().any(|e| e.message.contains(want)), "{want}: {e:?}");
        }
    }

    const FORMATS: &str = r#"
#[derive(NetCodec)]
pub struct Small { pub a: u8 }
#[skyrocket::protocol]
pub mod net {
    use super::*;
    #[event(to_server, codec = "json")]
    pub type A = Small;
    #[event(to_client, unreliable, splittable, codec = "protobuf", compress)]
    pub type B = Small;
    #[channel(codec = "msgpack", compress = 256)]
    pub mod bulk {
        use super::*;
        #[function(to_server)]
        pub type C = fn(Small) -> Small;
        #[event(to_client, codec = "skyrocket")]
        pub type D = Small;
    }
    #[event(to_client, unreliable)]
    pub type E = Small;
}
"#;

    #[test]
    fn codecs_and_compression_per_remote_and_per_channel() {
        let (_, p) = parse_file_with_protocol(FORMATS).unwrap();
        let f = |codec: &str, compress: Option<u32>| PayloadFormat {
            codec: codec.to_owned(),
            compress,
        };
        assert_eq!(p.events[0].format, f("json", None));
        assert_eq!(p.events[1].format, f("protobuf", Some(128)));
        assert_eq!(p.functions[0].format, f("msgpack", Some(256)));
        // A remote's own key wins over its channel's; the channel's other key stays.
        assert_eq!(p.events[2].format, f("skyrocket", Some(256)));
        assert!(p.events[3].format.is_plain());
    }

    #[test]
    fn unknown_codecs_and_unbounded_unreliable_formats_are_refused() {
        let src = FORMATS.replace("codec = \"json\"", "codec = \"xml\"");
        let e = parse_file_with_protocol(&src).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].message.contains("unknown codec `xml`"), "{e:?}");
        // Pointing at the string literal of the attribute.
        assert_eq!((e[0].pos.line, e[0].pos.column), (7, 32));
        let src = FORMATS.replace(
            "#[channel(codec = \"msgpack\"",
            "#[channel(codec = \"yaml\"",
        );
        let e = parse_file_with_protocol(&src).unwrap_err();
        assert!(e[0].message.contains("unknown codec `yaml`"), "{e:?}");
        let src = FORMATS.replace("compress = 256", "compress = -1");
        assert!(parse_file_with_protocol(&src).is_err());
        // Text codecs have no schema size bound: unreliable needs splittable.
        let src = FORMATS.replace(
            "#[event(to_client, unreliable)]",
            "#[event(to_client, unreliable, codec = \"json\")]",
        );
        let e = parse_file_with_protocol(&src).unwrap_err();
        assert!(
            e[0].message
                .contains("unreliable event `E` uses codec `json`, whose size is not bounded"),
            "{e:?}"
        );
        assert_eq!(e[0].pos.line, 20);
    }

    #[test]
    fn no_protocol_is_empty() {
        let p = parse_protocol("pub struct A;").unwrap();
        assert!(p.is_empty());
    }
}

//! The protocol IR: the remotes a game declares beside its types (events and
//! remote functions, grouped in namespaces), and their validation.
//!
//! Declared in `schema.rs` inside a `#[skyrocket::protocol] mod ... { }`
//! (see `docs/runtime.md` and [`crate::parse::parse_protocol`]).

use crate::error::SchemaError;
use crate::ir::{Pos, Schema, Ty};
use crate::size::Sizes;

/// Largest batch buffer the runtime puts in one `UnreliableRemoteEvent`
/// call. Roblox drops payloads over 1000 bytes after its own encoding: 5
/// bytes per call, a tag and a 2-byte length for the buffer, and room for an
/// empty instance table leave 960 bytes of buffer with margin.
pub const UNRELIABLE_PACKET_LIMIT: u64 = 960;

/// Framing of one message inside a batch: a varint message id (at most 2
/// bytes: 16,384 remotes) and a varint length (at most 2 bytes).
pub const MESSAGE_HEADER_MAX: u64 = 4;

/// Largest payload of an unreliable event (`UNRELIABLE_PACKET_LIMIT -
/// MESSAGE_HEADER_MAX`).
pub const UNRELIABLE_PAYLOAD_LIMIT: u64 = UNRELIABLE_PACKET_LIMIT - MESSAGE_HEADER_MAX;

/// Largest payload of any message (varint length of at most 3 bytes).
pub const MESSAGE_PAYLOAD_LIMIT: u64 = (1 << 21) - 1;

/// The message id reserved for fragments of splittable events (the largest
/// 2-byte varint); remotes take the ids below it.
pub const FRAGMENT_MESSAGE_ID: u64 = 16_383;

/// Payload bytes carried by every fragment but the last.
pub const FRAGMENT_DATA: u64 = 940;

/// Most fragments of one message (index and count are u8).
pub const MAX_FRAGMENTS: u64 = 255;

/// Largest payload of a splittable event (`MAX_FRAGMENTS * FRAGMENT_DATA`).
pub const SPLITTABLE_PAYLOAD_LIMIT: u64 = MAX_FRAGMENTS * FRAGMENT_DATA;

/// Codec names a remote may declare (`codec = "..."`), the first the default.
pub const CODECS: &[&str] = &["skyrocket", "json", "msgpack", "protobuf"];

/// The default codec: the bit-packed wire format.
pub const DEFAULT_CODEC: &str = "skyrocket";

/// Default compression threshold in bytes of a bare `compress`.
pub const DEFAULT_COMPRESS_THRESHOLD: u32 = 128;

/// How a remote's payloads are encoded: the codec by name and an optional
/// zstd frame (docs/formats.md, "Compression").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadFormat {
    /// A [`CODECS`] name.
    pub codec: String,
    /// Compression threshold in bytes: `Some` frames every payload
    /// (compressed when at least this long and smaller for it).
    pub compress: Option<u32>,
}

impl Default for PayloadFormat {
    fn default() -> Self {
        PayloadFormat {
            codec: DEFAULT_CODEC.to_owned(),
            compress: None,
        }
    }
}

impl PayloadFormat {
    /// The bit-packed codec without a compression frame: the runtime's fast path.
    pub fn is_plain(&self) -> bool {
        self.codec == DEFAULT_CODEC && self.compress.is_none()
    }

    /// Bytes the compression frame adds at most (its header byte).
    pub fn frame_overhead(&self) -> u64 {
        u64::from(self.compress.is_some())
    }
}

/// Who sends a remote's messages (for functions: who invokes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Server to client(s): `to_client`.
    ToClient,
    /// Client to server: `to_server`.
    ToServer,
}

impl Direction {
    /// The declaration keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Direction::ToClient => "to_client",
            Direction::ToServer => "to_server",
        }
    }
}

/// A flood limit: a token bucket of `burst` tokens refilled at `rate` per
/// second, per player, checked by the server on messages from clients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Messages per second.
    pub rate: f64,
    /// Bucket size (default: `rate`, at least 1).
    pub burst: f64,
}

/// An event: fire-and-forget messages of one type.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDef {
    /// Name in generated code (the type alias name, or `name = "..."`).
    pub name: String,
    /// Namespace path, outermost first (PascalCase).
    pub namespace: Vec<String>,
    /// Payload type.
    pub ty: Ty,
    /// Who fires it.
    pub direction: Direction,
    /// Ordered and reliable (`RemoteEvent`) or not (`UnreliableRemoteEvent`).
    pub reliable: bool,
    /// Unreliable messages that may exceed the packet limit are allowed and
    /// are cut into fragments when they do (`splittable`).
    pub splittable: bool,
    /// Bandwidth priority: under a budget, lower values are deferred first.
    pub priority: u8,
    /// Flood limit for client-sent events.
    pub rate_limit: Option<RateLimit>,
    /// Payload codec and compression (`codec = "json"`, `compress`).
    pub format: PayloadFormat,
    /// Doc comment.
    pub doc: Option<String>,
    /// Where the declaration is.
    pub pos: Pos,
}

/// A remote function: a request answered by a response (or an error).
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    /// Name in generated code.
    pub name: String,
    /// Namespace path, outermost first.
    pub namespace: Vec<String>,
    /// Request type (`Ty::Unit` for `fn()`).
    pub request: Ty,
    /// Response type (`Ty::Unit` when there is no `-> T`).
    pub response: Ty,
    /// Who invokes: `to_server` means clients call the server.
    pub direction: Direction,
    /// Seconds before an attempt times out.
    pub timeout: f64,
    /// Extra attempts after a timeout (with doubling backoff).
    pub retries: u32,
    /// Flood limit for client-sent requests.
    pub rate_limit: Option<RateLimit>,
    /// Codec and compression of requests and responses.
    pub format: PayloadFormat,
    /// Doc comment.
    pub doc: Option<String>,
    /// Where the declaration is.
    pub pos: Pos,
}

/// Default [`FunctionDef::timeout`] in seconds.
pub const DEFAULT_TIMEOUT: f64 = 10.0;

/// All remotes of a schema, in declaration order. Message ids are assigned
/// in this order: events first (`0..events.len()`), then functions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Protocol {
    /// Events.
    pub events: Vec<EventDef>,
    /// Remote functions.
    pub functions: Vec<FunctionDef>,
}

impl Protocol {
    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.functions.is_empty()
    }

    /// The wire id of event `i`.
    pub fn event_id(&self, i: usize) -> usize {
        i
    }

    /// The wire id of function `i`.
    pub fn function_id(&self, i: usize) -> usize {
        self.events.len() + i
    }
}

/// The dotted full name of a remote (`Combat.Snapshot`).
pub fn full_name(namespace: &[String], name: &str) -> String {
    let mut s = namespace.join(".");
    if !s.is_empty() {
        s.push('.');
    }
    s.push_str(name);
    s
}

/// Checks a protocol against its schema: payload types exist, names are
/// unique, unreliable events fit one packet (unless `splittable`), messages
/// are bounded by the framing. Errors point at the declarations.
pub fn validate_protocol(schema: &Schema, protocol: &Protocol) -> Vec<SchemaError> {
    let mut errors = Vec::new();
    let sizes = Sizes::new(schema);
    let mut seen: Vec<(String, Pos)> = Vec::new();
    let mut check_name = |ns: &[String], name: &str, pos: Pos, errors: &mut Vec<SchemaError>| {
        let full = full_name(ns, name);
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == full) {
            errors.push(SchemaError::new(
                pos,
                format!(
                    "remote `{full}` is declared twice (first at {}:{})",
                    first.line, first.column
                ),
            ));
        } else {
            seen.push((full, pos));
        }
    };
    let check_ty = |ty: &Ty, pos: Pos, what: &str, errors: &mut Vec<SchemaError>| {
        let mut missing = Vec::new();
        named_refs(ty, &mut missing);
        for n in missing {
            if schema.get(&n).is_none() {
                errors.push(SchemaError::new(
                    pos,
                    format!("{what} type `{n}` is not a `NetCodec` type of this schema"),
                ));
            }
        }
    };
    for e in &protocol.events {
        check_name(&e.namespace, &e.name, e.pos, &mut errors);
        let before = errors.len();
        check_ty(&e.ty, e.pos, "payload", &mut errors);
        if errors.len() > before {
            continue;
        }
        let full = full_name(&e.namespace, &e.name);
        let bit_packed = e.format.codec == DEFAULT_CODEC;
        // Only the bit-packed size is computable from the schema; other
        // codecs are bounded at send time by the runtime instead.
        let max = if bit_packed {
            sizes
                .of(&e.ty)
                .max_bytes()
                .map(|m| m + e.format.frame_overhead())
        } else {
            sizes.of(&e.ty).max_bytes().map(|_| 0)
        };
        if !bit_packed && !e.reliable && !e.splittable {
            errors.push(SchemaError::new(
                e.pos,
                format!(
                    "unreliable event `{full}` uses codec `{}`, whose size is not bounded by the schema: declare it `splittable` (the runtime checks each payload against the {SPLITTABLE_PAYLOAD_LIMIT}-byte limit) or make it reliable",
                    e.format.codec
                ),
            ));
            continue;
        }
        if e.splittable && e.reliable {
            errors.push(SchemaError::new(
                e.pos,
                format!("event `{full}` is reliable: `splittable` only applies to unreliable events (reliable ones are never limited to one packet)"),
            ));
        }
        match max {
            Some(m) if e.splittable && !e.reliable && m > SPLITTABLE_PAYLOAD_LIMIT => {
                errors.push(SchemaError::new(
                    e.pos,
                    format!(
                        "splittable event `{full}` can be {m} bytes, over the {SPLITTABLE_PAYLOAD_LIMIT}-byte limit of {MAX_FRAGMENTS} fragments; bound its size (max_len, ranges) or make it reliable"
                    ),
                ));
            }
            _ => {}
        }
        if !e.reliable && !e.splittable {
            match max {
                Some(m) if m <= UNRELIABLE_PAYLOAD_LIMIT => {}
                _ => errors.push(SchemaError::new(
                    e.pos,
                    format!(
                        "unreliable event `{full}` can be {} bytes, over the {UNRELIABLE_PAYLOAD_LIMIT}-byte payload limit of one UnreliableRemoteEvent packet (Roblox drops packets over 1000 bytes); bound its size (max_len, ranges), make it reliable, or declare it `splittable`",
                        max.map_or("unboundedly many".to_owned(), |m| m.to_string())
                    ),
                )),
            }
        }
        if max.is_none_or(|m| m > MESSAGE_PAYLOAD_LIMIT) {
            errors.push(SchemaError::new(
                e.pos,
                format!(
                    "event `{full}` can exceed the {MESSAGE_PAYLOAD_LIMIT}-byte message limit; bound its size with max_len"
                ),
            ));
        }
    }
    for f in &protocol.functions {
        check_name(&f.namespace, &f.name, f.pos, &mut errors);
        let full = full_name(&f.namespace, &f.name);
        let before = errors.len();
        check_ty(&f.request, f.pos, "request", &mut errors);
        check_ty(&f.response, f.pos, "response", &mut errors);
        if errors.len() > before {
            continue;
        }
        for (what, ty) in [("request", &f.request), ("response", &f.response)] {
            // 4 bytes of call id + 1 byte of status precede the value.
            if sizes
                .of(ty)
                .max_bytes()
                .is_none_or(|m| m + 5 > MESSAGE_PAYLOAD_LIMIT)
            {
                errors.push(SchemaError::new(
                    f.pos,
                    format!(
                        "the {what} of function `{full}` can exceed the {MESSAGE_PAYLOAD_LIMIT}-byte message limit; bound its size with max_len"
                    ),
                ));
            }
        }
        if !(f.timeout > 0.0 && f.timeout.is_finite()) {
            errors.push(SchemaError::new(
                f.pos,
                format!("function `{full}`: timeout must be a positive number of seconds"),
            ));
        }
    }
    let total = protocol.events.len() + protocol.functions.len();
    if total as u64 > FRAGMENT_MESSAGE_ID {
        errors.push(SchemaError::new(
            Pos::default(),
            format!("{total} remotes declared; at most {FRAGMENT_MESSAGE_ID} fit the 2-byte message id (id {FRAGMENT_MESSAGE_ID} is reserved for fragments)"),
        ));
    }
    errors.sort_by_key(|e| (e.pos.line, e.pos.column));
    errors
}

fn named_refs(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Option(t) | Ty::Boxed(t) => named_refs(t, out),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            named_refs(elem, out)
        }
        Ty::Map { key, value, .. } => {
            named_refs(key, out);
            named_refs(value, out);
        }
        Ty::Tuple(ts) => ts.iter().for_each(|t| named_refs(t, out)),
        _ => {}
    }
}

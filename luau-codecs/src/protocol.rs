//! The typed Luau API of a protocol (`#[skyrocket::protocol]` in
//! `schema.rs`) over the Skyrocket transport runtime (`runtime/Net`).
//!
//! [`generate_api`] emits one `--!strict` ModuleScript that requires its
//! siblings `Net` (the runtime, [`RUNTIME_FILES`]) and the codec module, and
//! returns:
//!
//! ```text
//! Api.net                         -- the runtime: flush, stats, onError, onLimited,
//!                                 -- limitReport, use, useNamespace, subscribe,
//!                                 -- configure, addToGroup, removeFromGroup
//! Api.<Namespace>.<Event>         -- ToClientEvent<T> or ToServerEvent<T>
//! Api.<Namespace>.<Function>      -- ToServerFunction<Req, Res> or ToClientFunction<Req, Res>
//! ```
//!
//! `ToClientEvent<T>` (server fires, clients connect): `fire(player, value)`,
//! `fireAll(value)`, `fireExcept(player, value)`, `fireList(players, value)`,
//! `fireGroup(group, value)`, `fireFilter(predicate, value)`,
//! `connect(function(value) end): () -> ()`.
//! `ToServerEvent<T>`: `fire(value)` on clients, `connect(function(player,
//! value) end)` on the server.
//! `ToServerFunction<Req, Res>`: `invoke(value): (Res?, string?)` (yields;
//! errors are values: `nil, "timeout"`), `request(value, callback): cancel`,
//! `onInvoke(function(player, value): Res end)` on the server.
//! `ToClientFunction<Req, Res>`: the same with the server invoking a
//! `player`; it never yields forever (timeouts, player leaving).
//! Every remote has `use({ inbound = fn?, outbound = fn? })` and `name`.

use std::fmt::Write as _;

use skyrocket_schema::protocol::{
    full_name, validate_protocol, Direction, PayloadFormat, Protocol, MESSAGE_PAYLOAD_LIMIT,
    SPLITTABLE_PAYLOAD_LIMIT,
};
use skyrocket_schema::{
    FloatEncoding, FloatTy, IntEncoding, IntTy, Schema, SchemaError, Sizes, Ty,
};

use crate::emit::lua_string;
use crate::GenError;

/// The runtime modules shipped next to generated code, as
/// `(path relative to the output folder, source)`; `Net/init.luau` makes
/// `Net` a ModuleScript with the others as children.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("Net/init.luau", include_str!("../runtime/Net/init.luau")),
    (
        "Net/RateLimit.luau",
        include_str!("../runtime/Net/RateLimit.luau"),
    ),
    (
        "Net/Profiler.luau",
        include_str!("../runtime/Net/Profiler.luau"),
    ),
    (
        "Net/Pattern.luau",
        include_str!("../runtime/Net/Pattern.luau"),
    ),
    (
        "Net/DebugPanel.luau",
        include_str!("../runtime/Net/DebugPanel.luau"),
    ),
    ("Net/Wire.luau", include_str!("../runtime/Net/Wire.luau")),
    (
        "Net/Format.luau",
        include_str!("../runtime/Net/Format.luau"),
    ),
    (
        "Net/Reassembly.luau",
        include_str!("../runtime/Net/Reassembly.luau"),
    ),
];

const TYPES: &str = r#"export type Middleware = { inbound: ((ctx: any) -> boolean?)?, outbound: ((ctx: any) -> boolean?)? }

-- Server fires, clients connect.
export type ToClientEvent<T> = {
	name: string,
	fire: (player: Player, value: T) -> (),
	fireAll: (value: T) -> (),
	fireExcept: (except: Player, value: T) -> (),
	fireList: (players: { Player }, value: T) -> (),
	fireGroup: (group: string, value: T) -> (),
	fireFilter: (predicate: (Player) -> boolean, value: T) -> (),
	connect: (handler: (value: T) -> ()) -> () -> (),
	use: (middleware: Middleware) -> (),
}

-- Clients fire, the server connects.
export type ToServerEvent<T> = {
	name: string,
	fire: (value: T) -> (),
	connect: (handler: (player: Player, value: T) -> ()) -> () -> (),
	use: (middleware: Middleware) -> (),
}

-- Clients invoke, the server answers. invoke yields; errors are values.
export type ToServerFunction<Req, Res> = {
	name: string,
	invoke: (value: Req) -> (Res?, string?),
	request: (value: Req, callback: (Res?, string?) -> ()) -> () -> (),
	onInvoke: (handler: (player: Player, value: Req) -> Res) -> (),
	use: (middleware: Middleware) -> (),
}

-- The server invokes a client, which answers. Never yields forever.
export type ToClientFunction<Req, Res> = {
	name: string,
	invoke: (player: Player, value: Req) -> (Res?, string?),
	request: (player: Player, value: Req, callback: (Res?, string?) -> ()) -> () -> (),
	onInvoke: (handler: (value: Req) -> Res) -> (),
	use: (middleware: Middleware) -> (),
}
"#;

/// The Luau type and codec expression of a payload, or `None` when the
/// runtime has no codec for it (only schema types and simple primitives).
fn payload(schema: &Schema, ty: &Ty) -> Option<(String, String)> {
    let prim = |luau: &str, name: &str| {
        Some((
            luau.to_owned(),
            format!("Net.primitive({})", lua_string(name)),
        ))
    };
    match ty {
        Ty::Named(n) => {
            let d = schema.get(n)?;
            Some((d.wire_name.clone(), format!("Codec.{} :: any", d.wire_name)))
        }
        Ty::Unit => prim("nil", "unit"),
        Ty::Bool => prim("boolean", "bool"),
        Ty::Int(t, IntEncoding::Fixed) if !matches!(t, IntTy::U64 | IntTy::I64) => {
            prim("number", t.rust_name())
        }
        Ty::Float(FloatTy::F32, FloatEncoding::Full) => prim("number", "f32"),
        Ty::Float(FloatTy::F64, FloatEncoding::Full) => prim("number", "f64"),
        _ => None,
    }
}

/// The codec expression of a payload in format `format`: the plain codec
/// (`plain`) for the bit-packed fast path and for `()` (no bytes to encode),
/// else `Net.format(...)`, which loads `Formats/` on first use. `max_size`
/// bounds the encoded (and framed) payload at send time.
fn format_codec(
    schema: &Schema,
    ty: &Ty,
    format: &PayloadFormat,
    max_size: u64,
    plain: String,
) -> Result<String, String> {
    if format.is_plain() || *ty == Ty::Unit {
        return Ok(plain);
    }
    let wire = match ty {
        Ty::Named(n) => schema.get(n).map(|d| d.wire_name.clone()),
        _ => None,
    };
    let Some(wire) = wire else {
        return Err(format!(
            "codec `{}`{} needs a #[derive(NetCodec)] type (or `()`) as payload",
            format.codec,
            if format.compress.is_some() {
                " with compress"
            } else {
                ""
            }
        ));
    };
    let compress = format
        .compress
        .map_or(String::new(), |t| format!("compress = {t}, "));
    Ok(format!(
        "Net.format(Codec, {}, {}, {{ {compress}maxSize = {max_size} }})",
        lua_string(&format.codec),
        lua_string(&wire)
    ))
}

fn unsupported(pos: skyrocket_schema::Pos, what: &str, name: &str) -> SchemaError {
    SchemaError::new(
        pos,
        format!(
            "the {what} of `{name}` has no runtime codec: use a #[derive(NetCodec)] type, (), bool, a fixed-width integer up to 32 bits, f32 or f64"
        ),
    )
}

/// Generates the typed API module of `protocol`. `codec_module_name` is the
/// sibling codec ModuleScript (`Codecs` by default in the CLI).
pub fn generate_api(
    schema: &Schema,
    protocol: &Protocol,
    codec_module_name: &str,
) -> Result<String, GenError> {
    let mut errors = skyrocket_schema::validate(schema);
    errors.extend(validate_protocol(schema, protocol));
    let mut specs = String::new();
    let mut fields: Vec<(Vec<String>, String, String)> = Vec::new();
    let mut used_types: Vec<String> = Vec::new();
    let mut note = |luau: &str, schema: &Schema| {
        if schema.types.iter().any(|d| d.wire_name == luau) && !used_types.iter().any(|u| u == luau)
        {
            used_types.push(luau.to_owned());
        }
    };
    let sizes = Sizes::new(schema);
    let mut id = 0usize;
    for e in &protocol.events {
        id += 1;
        let name = full_name(&e.namespace, &e.name);
        let Some((luau, plain)) = payload(schema, &e.ty) else {
            errors.push(unsupported(e.pos, "payload", &name));
            continue;
        };
        let bit_packed = e.format.codec == skyrocket_schema::protocol::DEFAULT_CODEC;
        // validate_protocol has refused unbounded splittable events.
        let max = if e.splittable && !e.reliable {
            if bit_packed {
                sizes.of(&e.ty).max_bytes().unwrap_or(0) + e.format.frame_overhead()
            } else {
                SPLITTABLE_PAYLOAD_LIMIT
            }
        } else {
            MESSAGE_PAYLOAD_LIMIT
        };
        let codec = match format_codec(schema, &e.ty, &e.format, max, plain) {
            Ok(c) => c,
            Err(m) => {
                errors.push(SchemaError::new(e.pos, format!("event `{name}`: {m}")));
                continue;
            }
        };
        note(&luau, schema);
        let inst = crate::has_instance(schema, &e.ty, &mut vec![]);
        let (rate, burst) = e.rate_limit.map_or(("nil".into(), "nil".into()), |r| {
            (num(r.rate), num(r.burst))
        });
        let mut split = String::new();
        if e.splittable && !e.reliable {
            if inst {
                errors.push(SchemaError::new(
                    e.pos,
                    format!("splittable event `{name}` carries Instances; fragments have no instance side table: make it reliable or move the Instances to another event"),
                ));
                continue;
            }
            split = format!(", splittable = true, maxSize = {max}");
        }
        let _ = writeln!(
            specs,
            "\t{{ name = {}, kind = \"event\", toServer = {}, reliable = {}, priority = {}, rate = {rate}, burst = {burst}, codec = {codec}, instances = {inst}{split} }},",
            lua_string(&name),
            e.direction == Direction::ToServer,
            e.reliable,
            e.priority,
        );
        let ty = match e.direction {
            Direction::ToClient => format!("ToClientEvent<{luau}>"),
            Direction::ToServer => format!("ToServerEvent<{luau}>"),
        };
        fields.push((
            e.namespace.clone(),
            e.name.clone(),
            format!("net:remote({id}) :: {ty}"),
        ));
    }
    for f in &protocol.functions {
        id += 1;
        let name = full_name(&f.namespace, &f.name);
        let req = payload(schema, &f.request);
        let res = payload(schema, &f.response);
        let (Some((rq, rq_plain)), Some((rs, rs_plain))) = (req.clone(), res.clone()) else {
            if req.is_none() {
                errors.push(unsupported(f.pos, "request", &name));
            }
            if res.is_none() {
                errors.push(unsupported(f.pos, "response", &name));
            }
            continue;
        };
        // A call id (4 bytes) and for responses a status byte precede the value.
        let rq_codec = format_codec(
            schema,
            &f.request,
            &f.format,
            MESSAGE_PAYLOAD_LIMIT - 5,
            rq_plain,
        );
        let rs_codec = format_codec(
            schema,
            &f.response,
            &f.format,
            MESSAGE_PAYLOAD_LIMIT - 5,
            rs_plain,
        );
        let (rq_codec, rs_codec) = match (rq_codec, rs_codec) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(m), _) | (_, Err(m)) => {
                errors.push(SchemaError::new(f.pos, format!("function `{name}`: {m}")));
                continue;
            }
        };
        note(&rq, schema);
        note(&rs, schema);
        let (rate, burst) = f.rate_limit.map_or(("nil".into(), "nil".into()), |r| {
            (num(r.rate), num(r.burst))
        });
        let _ = writeln!(
            specs,
            "\t{{ name = {}, kind = \"function\", toServer = {}, reliable = true, priority = 255, rate = {rate}, burst = {burst}, timeout = {}, retries = {}, codec = {rq_codec}, response = {rs_codec}, instances = {}, responseInstances = {} }},",
            lua_string(&name),
            f.direction == Direction::ToServer,
            num(f.timeout),
            f.retries,
            crate::has_instance(schema, &f.request, &mut vec![]),
            crate::has_instance(schema, &f.response, &mut vec![]),
        );
        let ty = match f.direction {
            Direction::ToClient => format!("ToClientFunction<{rq}, {rs}>"),
            Direction::ToServer => format!("ToServerFunction<{rq}, {rs}>"),
        };
        fields.push((
            f.namespace.clone(),
            f.name.clone(),
            format!("net:remote({id}) :: {ty}"),
        ));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.pos.line, e.pos.column));
        return Err(GenError::Schema(errors));
    }
    let mut out = String::new();
    out.push_str("-- Code generated by skyrocket-luau. DO NOT EDIT.\n--!strict\n");
    out.push_str(
        "-- The typed network API of this game's protocol, over the Skyrocket runtime (Net).\n\n",
    );
    let _ = writeln!(out, "local Net = require(script.Parent.Net)");
    let _ = writeln!(
        out,
        "local Codec = require(script.Parent[{}])\n",
        lua_string(codec_module_name)
    );
    for t in &used_types {
        let _ = writeln!(out, "export type {t} = Codec.{t}");
    }
    out.push('\n');
    out.push_str(TYPES);
    out.push_str("\nlocal specs: { Net.RemoteSpec } = {\n");
    out.push_str(&specs);
    out.push_str("}\n\nlocal net = Net.new(specs)\n\n");
    // One table constructor, so the checker infers every remote's type.
    let mut root = Node::default();
    for (ns, name, expr) in &fields {
        let mut node = &mut root;
        for seg in ns {
            let i = match node.children.iter().position(|(n, _)| n == seg) {
                Some(i) => i,
                None => {
                    node.children.push((seg.clone(), Node::default()));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[i].1;
        }
        node.leaves.push((name.clone(), expr.clone()));
    }
    out.push_str("local Api = {\n\tnet = net,\n");
    root.emit(&mut out, 1);
    out.push_str("}\n");
    out.push_str("\nreturn Api\n");
    Ok(out)
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[derive(Default)]
struct Node {
    leaves: Vec<(String, String)>,
    children: Vec<(String, Node)>,
}

impl Node {
    fn emit(&self, out: &mut String, depth: usize) {
        let tab = "\t".repeat(depth);
        for (name, expr) in &self.leaves {
            let _ = writeln!(out, "{tab}{name} = {expr},");
        }
        for (name, child) in &self.children {
            let _ = writeln!(out, "{tab}{name} = {{");
            child.emit(out, depth + 1);
            let _ = writeln!(out, "{tab}}},");
        }
    }
}

/// Writes the runtime modules ([`RUNTIME_FILES`]) under `out_dir` (creating
/// `out_dir/Net/`), next to the generated API and codecs. For `skyrocket gen`.
pub fn write_runtime(out_dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    for (rel, src) in RUNTIME_FILES {
        let path = out_dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, src)?;
        written.push(path);
    }
    Ok(written)
}

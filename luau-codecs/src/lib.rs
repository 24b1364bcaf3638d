//! Skyrocket's Luau backend: generates one self-contained, `--!strict`,
//! `--!native` Luau ModuleScript of codecs for a whole schema, byte for byte
//! compatible with the Rust codecs (`docs/wire-format.md`).
//!
//! # Generated API
//!
//! The module returns a table `Codec` with `Codec.schemaHash` (hex string),
//! `Codec.copyStaged(target, offset): number`, and one table per schema type
//! named by its wire name, e.g. `Codec.Player`:
//!
//! | function | meaning |
//! |---|---|
//! | `encode(value: T): buffer` | a new buffer holding exactly the message |
//! | `stage(value: T): number` | encodes into the module's staging area, returns the byte length; `Codec.copyStaged(target, offset)` then copies it (valid until the next encode) and returns `offset + length` |
//! | `write(b: buffer, offset: number, value: T): number` | stage + copy into `b` at `offset`; returns the offset after the message; raises when `b` is too small |
//! | `size(value: T): number` | exact encoded length (same as `stage`) |
//! | `read(b: buffer, offset: number, length: number): T` | decodes the message `b[offset, offset + length)`; raises on invalid input |
//! | `decode(b: buffer): T` | `read(b, 0, buffer.len(b))` |
//! | `tryDecode(b: buffer, offset: number?, length: number?): (T?, string?)` | never raises: `value, nil` or `nil, error` |
//!
//! Types containing an `Instance` take/return the side table (spec 5.2):
//! `encode(value): (buffer, {Instance?})`, `stage(value): (number,
//! {Instance?})`, `write(b, offset, value): (number, {Instance?})`, and a
//! trailing `instances: {Instance?}?` argument on `read`, `decode` and
//! `tryDecode`.
//!
//! Errors: encoding raises `skyrocket: cannot encode Player.items[2].count:
//! value 300 is not an integer in 0..=255`; decoding raises / returns
//! `Player.items[2].count: OutOfRange at byte 12 (bit-section bit 4)`
//! (kinds of spec section 6; indices are 1-based Luau indices; byte offsets
//! are relative to the message start).
//!
//! # Luau representation of IR types
//!
//! | IR | Luau |
//! |---|---|
//! | `()` | `true` |
//! | `bool` | `boolean` |
//! | integers (all encodings), floats | `number` (64-bit: safe integers only, spec 7) |
//! | `String` | `string` (UTF-8 checked both ways) |
//! | `Vec<u8>`, `[u8; N]` | `buffer` |
//! | `Option<T>` | `T?` (nested options collapse: `Some(None)` is not representable) |
//! | `Box<T>` | `T` |
//! | `Vec<T>`, `[T; N]` | `{T}` (length by `#`, so no `nil` holes) |
//! | tuple `(A, B)` | array `{A | B}` of the elements in order |
//! | maps | `{[K]: V}`; sets `{[K]: true}` |
//! | struct (named or tuple) | record `{ field: T }`; tuple fields are `_0`, `_1` ...; skipped fields are absent |
//! | enum, all variants unit | string union `"Red" \| "Green"` |
//! | enum, otherwise | tagged union `{ kind: "Move", x: number } \| { kind: "Idle" }` |
//! | Roblox types | `Vector3`, `Vector2`, `CFrame`, `Color3`, `UDim`, `UDim2`, `DateTime`, `EnumItem`, `Instance?` |

#![warn(missing_docs)]

pub mod cli;
mod decode;
pub mod descriptor;
pub mod emit;
mod encode;
pub mod hash;
pub mod library;
mod path;
mod prelude;
pub mod proto;
pub mod protocol;
pub mod types;

use std::fmt;

use skyrocket_schema::{Fields, RobloxTy, Schema, SchemaError, Ty, TypeKind};

pub use hash::{canonical_dump, schema_hash};

/// Largest integer Luau represents exactly together with its neighbours.
pub(crate) const SAFE_INT: i128 = (1 << 53) - 1;

/// Wraps a negative literal in parentheses so it can follow an operator.
pub(crate) fn neg(lit: &str) -> String {
    if lit.starts_with('-') {
        format!("({lit})")
    } else {
        lit.to_owned()
    }
}

/// Above this many types, codec functions live in tables, not locals.
const LARGE_SCHEMA: usize = 60;

/// Generation options.
#[derive(Debug, Clone, Default)]
pub struct GenOptions {
    /// Name of the schema source, shown in the module header.
    pub source_name: Option<String>,
}

/// A generated Luau module.
#[derive(Debug, Clone)]
pub struct GeneratedModule {
    /// The ModuleScript source.
    pub source: String,
    /// The schema hash stamped into the module ([`schema_hash`]).
    pub schema_hash: u64,
    /// Wire names of the types, in schema order (keys of the `Codec` table).
    pub types: Vec<String>,
}

/// Why a schema cannot be generated.
#[derive(Debug, Clone)]
pub enum GenError {
    /// The schema failed validation.
    Schema(Vec<SchemaError>),
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::Schema(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{}:{}: {}", e.pos.line, e.pos.column, e.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for GenError {}

impl GenError {
    /// The errors rendered as `file:line:col: message` lines.
    pub fn render(&self, file_name: &str) -> String {
        match self {
            GenError::Schema(errors) => errors
                .iter()
                .map(|e| e.render(file_name))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// Whether values of `ty` can carry instances (and so a side table).
pub(crate) fn has_instance(schema: &Schema, ty: &Ty, seen: &mut Vec<String>) -> bool {
    match ty {
        Ty::Roblox(RobloxTy::Instance) => true,
        Ty::Option(t) | Ty::Boxed(t) => has_instance(schema, t, seen),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            has_instance(schema, elem, seen)
        }
        Ty::Map { key, value, .. } => {
            has_instance(schema, key, seen) || has_instance(schema, value, seen)
        }
        Ty::Tuple(ts) => ts.iter().any(|t| has_instance(schema, t, seen)),
        Ty::Named(n) => {
            if seen.contains(n) {
                return false;
            }
            seen.push(n.clone());
            match schema.get(n).map(|d| &d.kind) {
                Some(TypeKind::Struct(f)) => fields_have_instance(schema, f, seen),
                Some(TypeKind::Enum(vs)) => vs
                    .iter()
                    .any(|v| fields_have_instance(schema, &v.fields, seen)),
                None => false,
            }
        }
        _ => false,
    }
}

fn fields_have_instance(schema: &Schema, f: &Fields, seen: &mut Vec<String>) -> bool {
    f.encoded().any(|x| has_instance(schema, &x.ty, seen))
}

/// Named types in `ty` (through options, collections and tuples).
fn named_types(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Named(n) => out.push(n.clone()),
        Ty::Option(t) | Ty::Boxed(t) => named_types(t, out),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            named_types(elem, out)
        }
        Ty::Map { key, value, .. } => {
            named_types(key, out);
            named_types(value, out);
        }
        Ty::Tuple(ts) => ts.iter().for_each(|t| named_types(t, out)),
        _ => {}
    }
}

/// For every type, the largest nesting depth its decoder can be entered
/// at (1 for a message's root value), over every schema type as a root;
/// `None` when a recursive type can reach it (no static bound). Depth checks
/// that cannot fail within this bound are left out of generated decoders.
pub(crate) fn entry_depths(schema: &Schema) -> std::collections::HashMap<String, Option<u32>> {
    use std::collections::{HashMap, HashSet};
    let mut children: HashMap<&str, Vec<String>> = HashMap::new();
    for def in &schema.types {
        let mut out = vec![];
        match &def.kind {
            TypeKind::Struct(f) => f.encoded().for_each(|x| named_types(&x.ty, &mut out)),
            TypeKind::Enum(vs) => vs
                .iter()
                .flat_map(|v| v.fields.encoded())
                .for_each(|x| named_types(&x.ty, &mut out)),
        }
        out.retain(|n| schema.get(n).is_some());
        children.insert(&def.name, out);
    }
    // Types reachable from `from` (excluding `from` unless via a cycle).
    let reach = |from: &str| -> HashSet<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut stack: Vec<String> = children.get(from).cloned().unwrap_or_default();
        while let Some(n) = stack.pop() {
            if seen.insert(n.clone()) {
                stack.extend(children.get(n.as_str()).cloned().unwrap_or_default());
            }
        }
        seen
    };
    let mut unbounded: HashSet<String> = HashSet::new();
    for def in &schema.types {
        let r = reach(&def.name);
        if r.contains(&def.name) {
            unbounded.insert(def.name.clone());
            unbounded.extend(r);
        }
    }
    let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
    for (p, cs) in &children {
        for c in cs {
            parents.entry(c.as_str()).or_default().push(p);
        }
    }
    fn depth<'a>(
        n: &'a str,
        parents: &HashMap<&'a str, Vec<&'a str>>,
        memo: &mut HashMap<&'a str, u32>,
    ) -> u32 {
        if let Some(&d) = memo.get(n) {
            return d;
        }
        let d = parents
            .get(n)
            .map(|ps| {
                ps.iter()
                    .map(|p| depth(p, parents, memo).saturating_add(1))
                    .max()
                    .unwrap_or(1)
            })
            .unwrap_or(1);
        memo.insert(n, d);
        d
    }
    let mut memo = HashMap::new();
    schema
        .types
        .iter()
        .map(|def| {
            let d = if unbounded.contains(&def.name) {
                None
            } else {
                Some(depth(&def.name, &parents, &mut memo))
            };
            (def.name.clone(), d)
        })
        .collect()
}

/// Types whose codecs are inlined at every use instead of called: enums
/// of unit variants, and non-recursive structs of at most [`INLINE_MAX_FIELDS`] fields whose named
/// fields are all inlinable too (so inlined code never calls a function and
/// its nesting depth is static).
pub(crate) fn inlinable(schema: &Schema) -> std::collections::HashSet<String> {
    fn named_in(ty: &Ty, out: &mut Vec<String>) {
        match ty {
            Ty::Named(n) => out.push(n.clone()),
            Ty::Option(t) | Ty::Boxed(t) => named_in(t, out),
            Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
                named_in(elem, out)
            }
            Ty::Map { key, value, .. } => {
                named_in(key, out);
                named_in(value, out);
            }
            Ty::Tuple(ts) => ts.iter().for_each(|t| named_in(t, out)),
            _ => {}
        }
    }
    fn ok(
        schema: &Schema,
        name: &str,
        stack: &mut Vec<String>,
        memo: &mut std::collections::HashMap<String, bool>,
    ) -> bool {
        if let Some(&r) = memo.get(name) {
            return r;
        }
        if stack.iter().any(|s| s == name) {
            return false;
        }
        let Some(def) = schema.get(name) else {
            return false;
        };
        let TypeKind::Struct(fields) = &def.kind else {
            // Enums of unit variants (strings) are a tag lookup: inlined.
            let r = matches!(&def.kind, TypeKind::Enum(vs) if !vs.is_empty())
                && types::is_string_enum(def);
            memo.insert(name.to_owned(), r);
            return r;
        };
        if fields.encoded().count() > INLINE_MAX_FIELDS {
            memo.insert(name.to_owned(), false);
            return false;
        }
        stack.push(name.to_owned());
        let mut names = vec![];
        for f in fields.encoded() {
            match &f.ty {
                Ty::Named(n) => names.push(n.clone()),
                other => {
                    // Named types behind options or collections stay calls:
                    // inlining them nests branches that Luau's type solver
                    // handles poorly in big modules.
                    let mut nested = vec![];
                    named_in(other, &mut nested);
                    if !nested.is_empty() {
                        memo.insert(name.to_owned(), false);
                        return false;
                    }
                }
            }
        }
        let r = names.iter().all(|n| ok(schema, n, stack, memo))
            && fields
                .encoded()
                .map(|f| weight(schema, &f.ty, 0))
                .sum::<usize>()
                <= INLINE_MAX_WEIGHT;
        stack.pop();
        memo.insert(name.to_owned(), r);
        r
    }
    let mut memo = std::collections::HashMap::new();
    schema
        .types
        .iter()
        .filter(|d| ok(schema, &d.name, &mut vec![], &mut memo))
        .map(|d| d.name.clone())
        .collect()
}

/// Largest struct inlined at its uses.
const INLINE_MAX_FIELDS: usize = 16;

/// Largest number of leaf values an inlined struct may expand to.
const INLINE_MAX_WEIGHT: usize = 16;

/// Leaf values of `ty` once structs are expanded in place (bounded walk).
fn weight(schema: &Schema, ty: &Ty, depth: u32) -> usize {
    if depth > 8 {
        return INLINE_MAX_WEIGHT + 1;
    }
    match ty {
        Ty::Named(n) => match schema.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct(f)) => {
                f.encoded().map(|x| weight(schema, &x.ty, depth + 1)).sum()
            }
            _ => 1,
        },
        Ty::Option(t) | Ty::Boxed(t) => 1 + weight(schema, t, depth + 1),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            1 + weight(schema, elem, depth + 1)
        }
        Ty::Map { key, value, .. } => {
            1 + weight(schema, key, depth + 1) + weight(schema, value, depth + 1)
        }
        Ty::Tuple(ts) => ts.iter().map(|t| weight(schema, t, depth + 1)).sum(),
        _ => 1,
    }
}

/// Largest [`local_cost`] of one `do ... end` segment of a struct's fields.
pub(crate) const SEGMENT_COST: usize = 40;

/// A struct's encoded fields cut into segments of at most [`SEGMENT_COST`]
/// (a single costlier field alone), or `None` when they fit in one run.
pub(crate) fn segments<'f>(
    schema: &Schema,
    inline: &std::collections::HashSet<String>,
    fields: &'f skyrocket_schema::Fields,
) -> Option<Vec<Vec<&'f skyrocket_schema::Field>>> {
    let costed: Vec<_> = fields
        .encoded()
        .map(|f| (f, local_cost(schema, inline, &f.ty)))
        .collect();
    if costed.iter().map(|(_, c)| c).sum::<usize>() <= SEGMENT_COST {
        return None;
    }
    let mut out: Vec<Vec<&skyrocket_schema::Field>> = vec![];
    let mut used = 0;
    for (f, cost) in costed {
        match out.last_mut() {
            Some(seg) if used + cost <= SEGMENT_COST => seg.push(f),
            _ => {
                out.push(vec![f]);
                used = 0;
            }
        }
        used += cost;
    }
    Some(out)
}

/// About how many Luau locals (in units of up to three) a field of type
/// `ty` keeps alive in generated code until its struct's run of fields
/// ends: inlined structs count their own fields, values behind loops or
/// branches count one (their locals live in a nested block). Luau allows
/// 200 locals per function, so a struct's fields are cut into segments of
/// at most [`SEGMENT_COST`].
pub(crate) fn local_cost(
    schema: &Schema,
    inline: &std::collections::HashSet<String>,
    ty: &Ty,
) -> usize {
    match ty {
        Ty::Named(n) if inline.contains(n) => match schema.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct(fields)) => {
                1 + fields
                    .encoded()
                    .map(|f| local_cost(schema, inline, &f.ty))
                    .sum::<usize>()
            }
            _ => 1,
        },
        Ty::Array { elem, len } if *len <= 8 && encode::unrollable(elem) => 1 + *len as usize,
        Ty::Tuple(ts) => {
            1 + ts
                .iter()
                .map(|t| local_cost(schema, inline, t))
                .sum::<usize>()
        }
        Ty::Roblox(skyrocket_schema::RobloxTy::CFrame { .. }) => 6,
        Ty::Roblox(_) => 3,
        _ => 1,
    }
}

/// Checks what the Luau representation needs beyond schema validation.
fn check_luau(schema: &Schema) -> Vec<SchemaError> {
    let mut errors = vec![];
    for def in &schema.types {
        if let TypeKind::Enum(vs) = &def.kind {
            for v in vs {
                for f in v.fields.iter() {
                    if f.wire_name == types::TAG_FIELD {
                        errors.push(SchemaError::new(
                            f.pos,
                            format!(
                                "field `{}` of variant `{}::{}` clashes with the Luau discriminant field `{}`; rename it with #[net(rename = \"...\")]",
                                f.wire_name, def.name, v.name, types::TAG_FIELD
                            ),
                        ));
                    }
                }
            }
        }
    }
    errors
}

/// Generates the Luau module for `schema`.
pub fn generate(schema: &Schema, options: &GenOptions) -> Result<GeneratedModule, GenError> {
    let mut errors = skyrocket_schema::validate(schema);
    errors.extend(check_luau(schema));
    if !errors.is_empty() {
        return Err(GenError::Schema(errors));
    }
    let hash = schema_hash(schema);
    let mut w = emit::Writer::new();
    w.line("-- Code generated by skyrocket-luau. DO NOT EDIT.");
    w.line(format!(
        "-- Schema hash: {hash:016x}{}",
        options
            .source_name
            .as_ref()
            .map(|s| format!(" (from {s})"))
            .unwrap_or_default()
    ));
    w.line("--!strict");
    w.line("--!native");
    w.line("--[[");
    for l in API_DOC.lines() {
        w.line(l);
    }
    w.line("]]");
    w.line("");
    for def in &schema.types {
        types::emit_type(&mut w, schema, def);
    }
    w.line("");
    w.raw(prelude::PRELUDE);
    w.line("");
    // Luau allows 200 locals per function: large schemas keep their
    // codec functions and enum tables in tables instead of locals.
    let large = schema.types.len() > LARGE_SCHEMA;
    if large {
        w.line("local ENC: {[string]: any} = {}");
        w.line("local DEC: {[string]: any} = {}");
        w.line("local TAGS: {[string]: {[string]: number}} = {}");
        w.line("local NAMES: {[string]: {any}} = {}");
    }
    for def in &schema.types {
        if let TypeKind::Enum(vs) = &def.kind {
            if types::is_string_enum(def) && !vs.is_empty() {
                let tags: Vec<String> = vs
                    .iter()
                    .enumerate()
                    .map(|(i, v)| format!("{} = {i}", emit::field_key(&v.wire_name)))
                    .collect();
                let names: Vec<String> =
                    vs.iter().map(|v| emit::lua_string(&v.wire_name)).collect();
                if large {
                    w.line(format!("TAGS.{} = {{ {} }}", def.name, tags.join(", ")));
                    w.line(format!("NAMES.{} = {{ {} }}", def.name, names.join(", ")));
                } else {
                    w.line(format!(
                        "local TAGS_{}: {{[string]: number}} = {{ {} }}",
                        def.name,
                        tags.join(", ")
                    ));
                    w.line(format!(
                        "local NAMES_{}: {{{}}} = {{ {} }}",
                        def.name,
                        def.wire_name,
                        names.join(", ")
                    ));
                }
            }
        }
    }
    if !large {
        for def in &schema.types {
            let t = &def.wire_name;
            w.line(format!(
                "local {}: ({t}, buffer, number, number, number, number) -> (buffer, number, number, number, number)",
                encode::enc_fn(&def.name, false)
            ));
            w.line(format!(
                "local {}: (buffer, number, number, number) -> ({t}, number, number)",
                decode::dec_fn(&def.name, false)
            ));
        }
    }
    w.line("");
    let depths = entry_depths(schema);
    let mut pad = 0;
    for def in &schema.types {
        encode::emit_encoder(&mut w, schema, def, large);
        w.line("");
        let entry = depths.get(&def.name).copied().flatten();
        pad = pad.max(decode::emit_decoder(&mut w, schema, def, large, entry));
        w.line("");
    }
    emit_padding(&mut w, pad);
    for def in &schema.types {
        let inst = has_instance(schema, &Ty::Named(def.name.clone()), &mut vec![]);
        emit_api(&mut w, def, inst, large, pad > 0);
        w.line("");
    }
    w.line(format!("Codec.schemaHash = \"{hash:016x}\""));
    w.line("Codec.copyStaged = copyStaged");
    w.line("");
    w.line("return Codec");
    Ok(GeneratedModule {
        source: w.finish(),
        schema_hash: hash,
        types: schema.types.iter().map(|d| d.wire_name.clone()).collect(),
    })
}

const API_DOC: &str = "Skyrocket codecs. For every schema type T, `Codec.T` has:
    encode(value: T): buffer
    stage(value: T): number              -- encode into the staging area; then Codec.copyStaged(target, offset)
    write(b: buffer, offset: number, value: T): number   -- returns the offset after the message
    size(value: T): number
    read(b: buffer, offset: number, length: number): T  -- raises on invalid input
    decode(b: buffer): T                                -- raises on invalid input
    tryDecode(b: buffer, offset: number?, length: number?): (T?, string?)  -- never raises
Types containing Instances also return / take the instance side table {Instance?}.
Enums whose variants are all unit are strings; other enums are tables with a `kind` field.";

/// `DPAD` and `padded`: decoders' bit-section windows may read up to `pad`
/// bytes before the message (see `decode::Dec::open_window`), so `read`
/// decodes a message closer than that to its buffer's start from a copy
/// with `pad` bytes in front. The copy buffer is reused up to 64 KiB.
fn emit_padding(w: &mut emit::Writer, pad: u64) {
    if pad == 0 {
        return;
    }
    w.raw(&format!(
        "local DPAD = {pad}
local dpad: buffer = buffer.create(1024)

local function padded(b: buffer, o: number, n: number): buffer
    local size = n + DPAD
    local c = dpad
    if size > buffer.len(c) then
        c = buffer.create(math.max(size, 2 * buffer.len(c)))
        if buffer.len(c) <= 65536 then
            dpad = c
        end
    end
    buffer.copy(c, DPAD, b, o, n)
    return c
end
"
    ));
    w.line("");
}

fn emit_api(
    w: &mut emit::Writer,
    def: &skyrocket_schema::TypeDef,
    inst: bool,
    large: bool,
    pad: bool,
) {
    let t = &def.wire_name;
    let enc = encode::enc_fn(&def.name, large);
    let dec = decode::dec_fn(&def.name, large);
    let api = format!("Codec.{t}");
    w.line(format!("{api} = {{}}"));
    let reset = if inst { "eInst = {}; eInstN = 0; " } else { "" };
    let (ret_b, ret_n, ret_w) = if inst {
        (
            "(buffer, {Instance?})",
            "(number, {Instance?})",
            "(number, {Instance?})",
        )
    } else {
        ("buffer", "number", "number")
    };
    let extra = if inst { ", eInst" } else { "" };
    let run = format!(
        "{reset}local b, p, acc, na, bp = {enc}(value, scratch, 0, 0, 0, buffer.len(scratch))"
    );
    w.open(format!("function {api}.encode(value: {t}): {ret_b}"));
    w.line(&run);
    w.line(format!("return finishEncode(b, p, acc, na, bp){extra}"));
    w.close("end");
    w.open(format!("function {api}.stage(value: {t}): {ret_n}"));
    w.line(&run);
    w.line(format!("return finishStage(b, p, acc, na, bp){extra}"));
    w.close("end");
    w.open(format!("function {api}.size(value: {t}): number"));
    w.line(&run);
    w.line("return finishStage(b, p, acc, na, bp)");
    w.close("end");
    w.open(format!(
        "function {api}.write(target: buffer, offset: number, value: {t}): {ret_w}"
    ));
    w.line(&run);
    w.line("local n = finishStage(b, p, acc, na, bp)");
    w.line("if offset < 0 or offset + n > buffer.len(target) then error(\"skyrocket: write: message does not fit the target buffer\", 0) end");
    w.line(format!("return copyStaged(target, offset){extra}"));
    w.close("end");
    let ip = if inst {
        ", instances: {Instance?}?"
    } else {
        ""
    };
    let ia = if inst { ", instances" } else { "" };
    w.open(format!(
        "function {api}.read(b: buffer, offset: number, length: number{ip}): {t}"
    ));
    w.line("local o, n = checkRange(b, offset, length)");
    if pad {
        w.line("if o < DPAD then");
        w.line("    b = padded(b, o, n)");
        w.line("    o = DPAD");
        w.line("end");
    }
    w.line(format!("dRoot = {}", emit::lua_string(t)));
    w.line("dBase = o");
    w.line("dDepth = 0");
    if inst {
        w.line("dInst = (instances or {}) :: any");
        w.line("dInstN = 0");
    }
    w.line("local E = o + n");
    w.line(format!("local v, p, q = {dec}(b, o, 0, E)"));
    w.line("finishDecode(b, p, q, E)");
    w.line("return v");
    w.close("end");
    w.open(format!("function {api}.decode(b: buffer{ip}): {t}"));
    w.line(format!("return {api}.read(b, 0, buffer.len(b){ia})"));
    w.close("end");
    w.open(format!(
        "function {api}.tryDecode(b: buffer, offset: number?, length: number?{ip}): ({t}?, string?)"
    ));
    w.line(format!(
        "local ok, res = pcall({api}.read, b, offset :: any, length :: any{ia})"
    ));
    w.line("if ok then");
    w.line("    return res :: any, nil");
    w.line("end");
    w.line("return nil, tostring(res)");
    w.close("end");
}

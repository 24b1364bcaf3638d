//! Luau codec benchmark: generated Skyrocket codecs vs hand-written
//! `buffer.writeu8/writef32` baselines, in the Luau interpreter and with
//! native code generation, in sandboxed VMs as Roblox runs scripts.
//!
//! `cargo run --release -p skyrocket-conformance --bin luau-bench [-- options]`
//!
//! Options: `--runs N` (timed loops per figure, best kept; default 7),
//! `--min-ms M` (each timed loop runs at least M ms; default 20),
//! `--only NAME` (one workload: entities, booleans, arena),
//! `--dump NAME` (print the generated module of a workload and exit),
//! `--config roblox|roblox-o2|default` (how chunks are compiled, see
//! [`Config`]; default `roblox`), `--variants` (also time variants of the
//! generated code that isolate the cost of single constructs),
//! `--eval FILE` (run a Luau experiment file, see [`eval_file`]).
//!
//! Workloads (schemas in `conformance/bench/schema.rs` and
//! `examples/arena/schema.rs`): 100 entities of six `u8` fields
//! (`Vec<Entity>`, `max_len = 100`), 1000 bools (`Vec<bool>`,
//! `max_len = 1000`), and the arena `Snapshot` with 64 players.
//!
//! Every message is also encoded by the Rust dynamic codec; the Luau bytes
//! must equal the Rust bytes and the bit-count floor of the value (printed
//! loudly, exit status 1, when not).

use skyrocket_conformance::clock::cpu_seconds;
use std::process::ExitCode;

use mlua::{Compiler, Lua, Table, Value as Lv};
use skyrocket::dynamic::{self, Value};
use skyrocket::schema::{length_bits, size_of, Schema, Ty, TypeKind};
use skyrocket_conformance::luau::to_lua;
use skyrocket_conformance::workloads::{workloads, Workload};
use skyrocket_luau::{generate, GenOptions};

const HARNESS: &str = include_str!("../../bench/harness.luau");

/// The bit-count floor of `value`: the sum of its fields' widths.
fn floor_bits(schema: &Schema, ty: &Ty, value: &Value) -> u64 {
    let bounds = size_of(schema, ty);
    if bounds.is_fixed() {
        return bounds.min_bits;
    }
    match (ty, value) {
        (
            Ty::List {
                elem,
                max_len: Some(m),
            },
            Value::List(items),
        ) => {
            length_bits(*m) as u64
                + items
                    .iter()
                    .map(|i| floor_bits(schema, elem, i))
                    .sum::<u64>()
        }
        (Ty::Named(n), Value::Struct(values)) => match &schema.get(n).expect("type").kind {
            TypeKind::Struct(fields) => fields
                .encoded()
                .zip(values)
                .map(|(f, v)| floor_bits(schema, &f.ty, v))
                .sum(),
            TypeKind::Enum(_) => panic!("floor of a data enum not needed here"),
        },
        _ => panic!("floor: unsupported type {ty:?}"),
    }
}

/// Figures of one workload in one VM mode.
#[derive(Debug, Clone, Default)]
struct Figures {
    bytes: Vec<u8>,
    base_bytes: u64,
    gen_round_trip: bool,
    base_round_trip: bool,
    gen_encode: f64,
    gen_stage: f64,
    gen_decode: f64,
    base_encode: f64,
    /// The generated `encode` and the baseline copying its message out to a
    /// new buffer, timed as a pair.
    gen_encode_again: f64,
    base_encode_to_buffer: f64,
    base_decode: f64,
}

/// How chunks are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Config {
    /// As Roblox compiles scripts: `Vector3` is the host vector type and
    /// `Vector3.new` its constructor (a builtin), optimization level 1.
    Roblox,
    /// The same at optimization level 2 (inlining, loop unrolling).
    RobloxO2,
    /// mlua's default compiler, as `skyrocket_sim::new_sandboxed_vm` leaves
    /// it: a `Vector3` annotation reads as an unknown host *userdata* type,
    /// so native code guarding on it exits to the interpreter on the vector.
    MluaDefault,
}

impl Config {
    fn parse(s: &str) -> Option<Config> {
        match s {
            "roblox" => Some(Config::Roblox),
            "roblox-o2" => Some(Config::RobloxO2),
            "default" => Some(Config::MluaDefault),
            _ => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Config::Roblox => "compiler as Roblox (vector type and constructor `Vector3`/`Vector3.new`), -O1",
            Config::RobloxO2 => "compiler as Roblox (vector type and constructor `Vector3`/`Vector3.new`), -O2",
            Config::MluaDefault => "mlua default compiler (as skyrocket_sim::new_sandboxed_vm: `Vector3` unknown to the compiler), -O1",
        }
    }

    fn compiler(self) -> Compiler {
        let roblox = || {
            Compiler::new()
                .set_vector_ctor("Vector3.new")
                .set_vector_type("Vector3")
        };
        match self {
            Config::Roblox => roblox(),
            Config::RobloxO2 => roblox().set_optimization_level(2),
            Config::MluaDefault => Compiler::new(),
        }
    }
}

/// A fresh sandboxed VM (globals installed, then sandboxed), with native
/// code generation on or off for the chunks loaded afterwards.
fn vm(native: bool, config: Config) -> mlua::Result<Lua> {
    let lua = skyrocket_sim::new_sandboxed_vm()?;
    lua.set_compiler(config.compiler());
    lua.enable_jit(native);
    Ok(lua)
}

fn load(lua: &Lua, source: &str, name: &str) -> mlua::Result<Table> {
    lua.load(source).set_name(format!("={name}")).eval()
}

fn measure(
    w: &Workload,
    generated: &str,
    native: bool,
    config: Config,
    runs: u32,
    min_s: f64,
) -> mlua::Result<Figures> {
    let lua = vm(native, config)?;
    let module = load(&lua, generated, "Codecs")?;
    let wire_name = &w.schema.get(w.type_name).expect("type").wire_name;
    let codec: Table = module.get(wire_name.as_str())?;
    let base = load(&lua, w.baseline, "Baseline")?;
    let harness = load(&lua, HARNESS, "Harness")?;
    let value = to_lua(&lua, &w.schema, &Ty::Named(w.type_name.into()), &w.value)?;
    let run: mlua::Function = harness.get("run")?;
    let clock = lua.create_function(|_, ()| Ok(cpu_seconds()))?;
    let r: Table = run.call((codec, base, value, runs, min_s, clock))?;
    let bytes = match r.get::<Lv>("bytes")? {
        Lv::Buffer(b) => b.to_vec(),
        other => {
            return Err(mlua::Error::runtime(format!(
                "encode returned {}",
                other.type_name()
            )))
        }
    };
    Ok(Figures {
        bytes,
        base_bytes: r.get("baseBytes")?,
        gen_round_trip: r.get("genRoundTrip")?,
        base_round_trip: r.get("baseRoundTrip")?,
        gen_encode: r.get("genEncode")?,
        gen_stage: r.get("genStage")?,
        gen_decode: r.get("genDecode")?,
        base_encode: r.get("baseEncode")?,
        gen_encode_again: r.get("genEncodeAgain")?,
        base_encode_to_buffer: r.get("baseEncodeToBuffer")?,
        base_decode: r.get("baseDecode")?,
    })
}

fn ns(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn ratio(a: f64, b: f64) -> String {
    format!("{:.2}x", a / b)
}

struct Options {
    runs: u32,
    min_ms: f64,
    only: Option<String>,
    dump: Option<String>,
    variants: bool,
    eval: Option<String>,
    config: Config,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        runs: 7,
        min_ms: 20.0,
        only: None,
        dump: None,
        variants: false,
        eval: None,
        config: Config::Roblox,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--runs" => o.runs = val()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--min-ms" => o.min_ms = val()?.parse().map_err(|e| format!("--min-ms: {e}"))?,
            "--only" => o.only = Some(val()?),
            "--dump" => o.dump = Some(val()?),
            "--variants" => o.variants = true,
            "--eval" => o.eval = Some(val()?),
            "--config" => {
                let v = val()?;
                o.config = Config::parse(&v).ok_or_else(|| format!("--config: unknown {v}"))?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("luau-bench: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &o.eval {
        return match eval_file(path, &o) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("luau-bench: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut ok = true;
    let all = workloads();
    if let Some(key) = &o.dump {
        let Some(w) = all.iter().find(|w| w.key == key) else {
            eprintln!("luau-bench: no workload {key}");
            return ExitCode::from(2);
        };
        let g = generate(&w.schema, &GenOptions::default()).expect("generate");
        print!("{}", g.source);
        return ExitCode::SUCCESS;
    }
    println!(
        "Luau codecs, generated vs hand-written. Sandboxed VMs; {}; best of {} loops of >= {} ms thread CPU time; ns per message.",
        o.config.describe(), o.runs, o.min_ms
    );
    let mut table = vec![
        "| workload | codec | bytes | encode interp | decode interp | encode native | decode native |"
            .to_owned(),
        "|---|---|---:|---:|---:|---:|---:|".to_owned(),
    ];
    let mut notes = vec![];
    for w in all
        .iter()
        .filter(|w| o.only.as_deref().is_none_or(|k| k == w.key))
    {
        let ty = Ty::Named(w.type_name.into());
        let (rust_bytes, _) = dynamic::to_bytes(&w.schema, &ty, &w.value).expect("Rust encode");
        let floor = floor_bits(&w.schema, &ty, &w.value);
        let generated = generate(&w.schema, &GenOptions::default())
            .expect("generate")
            .source;
        let mut figs = vec![];
        for native in [false, true] {
            match measure(w, &generated, native, o.config, o.runs, o.min_ms / 1000.0) {
                Ok(f) => figs.push(f),
                Err(e) => {
                    eprintln!("!!! {} ({}): Luau error: {e}", w.title, mode(native));
                    return ExitCode::FAILURE;
                }
            }
        }
        for (f, native) in figs.iter().zip([false, true]) {
            let m = mode(native);
            if f.bytes != rust_bytes {
                ok = false;
                eprintln!(
                    "!!! MISMATCH {} ({m}): Luau encoded {} bytes, Rust {} bytes; Luau {} Rust {}",
                    w.title,
                    f.bytes.len(),
                    rust_bytes.len(),
                    hex(&f.bytes),
                    hex(&rust_bytes)
                );
            }
            if !f.gen_round_trip || !f.base_round_trip {
                ok = false;
                eprintln!(
                    "!!! ROUND TRIP FAILED {} ({m}): generated {}, baseline {}",
                    w.title, f.gen_round_trip, f.base_round_trip
                );
            }
        }
        if (rust_bytes.len() as u64) != floor.div_ceil(8) {
            ok = false;
            eprintln!(
                "!!! {}: {} bytes, above the floor of {} bits = {} bytes",
                w.title,
                rust_bytes.len(),
                floor,
                floor.div_ceil(8)
            );
        }
        let (i, n) = (&figs[0], &figs[1]);
        notes.push(format!(
            "- {}: Luau {} B, Rust {} B ({}), floor {} bits = {} B; hand-written {} B.",
            w.title,
            i.bytes.len(),
            rust_bytes.len(),
            if i.bytes == rust_bytes && n.bytes == rust_bytes {
                "identical"
            } else {
                "MISMATCH"
            },
            floor,
            floor.div_ceil(8),
            i.base_bytes
        ));
        let t = w.title;
        let bytes = i.bytes.len();
        table.push(format!(
            "| {t} | generated `encode` | {bytes} | {} | {} | {} | {} |",
            ns(i.gen_encode),
            ns(i.gen_decode),
            ns(n.gen_encode),
            ns(n.gen_decode)
        ));
        table.push(format!(
            "| {t} | generated `stage` (no result buffer) | {bytes} | {} | | {} | |",
            ns(i.gen_stage),
            ns(n.gen_stage)
        ));
        table.push(format!(
            "| {t} | hand-written | {} | {} | {} | {} | {} |",
            i.base_bytes,
            ns(i.base_encode),
            ns(i.base_decode),
            ns(n.base_encode),
            ns(n.base_decode)
        ));
        table.push(format!(
            "| {t} | hand-written, copied to a new buffer | {} | {} | | {} | |",
            i.base_bytes,
            ns(i.base_encode_to_buffer),
            ns(n.base_encode_to_buffer)
        ));
        table.push(format!(
            "| {t} | **ratio** generated/hand-written (`encode`; `stage`; `encode` / new buffer) | {:.2} | {}; {}; {} | {} | {}; {}; {} | {} |",
            bytes as f64 / i.base_bytes as f64,
            ratio(i.gen_encode, i.base_encode),
            ratio(i.gen_stage, i.base_encode),
            ratio(i.gen_encode_again, i.base_encode_to_buffer),
            ratio(i.gen_decode, i.base_decode),
            ratio(n.gen_encode, n.base_encode),
            ratio(n.gen_stage, n.base_encode),
            ratio(n.gen_encode_again, n.base_encode_to_buffer),
            ratio(n.gen_decode, n.base_decode)
        ));
    }
    println!();
    for l in &table {
        println!("{l}");
    }
    println!();
    for l in &notes {
        println!("{l}");
    }
    if o.variants {
        if let Err(e) = variants::run(&o) {
            eprintln!("!!! variants: {e}");
            return ExitCode::FAILURE;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("!!! luau-bench: byte identity or floor check FAILED (see above)");
        ExitCode::FAILURE
    }
}

fn mode(native: bool) -> &'static str {
    if native {
        "native"
    } else {
        "interpreter"
    }
}

fn hex(b: &[u8]) -> String {
    if b.len() > 48 {
        format!(
            "{}..({} bytes)",
            b[..48]
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect::<String>(),
            b.len()
        )
    } else {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
}

/// `--variants`: the generated module with one kind of construct removed at
/// a time (textually), to price each construct. Removing checks keeps the
/// bytes of valid messages, which is verified.
mod variants {
    use super::*;

    type Transform = fn(&str) -> String;

    fn drop_lines(src: &str, drop: impl Fn(&str) -> bool) -> String {
        src.lines()
            .filter(|l| !drop(l.trim_start()))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    fn as_is(src: &str) -> String {
        src.to_owned()
    }

    fn no_value_checks(src: &str) -> String {
        drop_lines(src, |l| l.starts_with("if ") && l.contains("then encErr("))
    }

    fn no_capacity_checks(src: &str) -> String {
        drop_lines(src, |l| l.starts_with("if bp - p < ")).replace(
            "local scratch: buffer = buffer.create(1024)",
            "local scratch: buffer = buffer.create(65536)",
        )
    }

    fn no_decode_checks(src: &str) -> String {
        drop_lines(src, |l| l.starts_with("if ") && l.contains("then fail("))
    }

    fn no_error_context(src: &str) -> String {
        drop_lines(src, |l| {
            l.starts_with("ctxT[") || l.starts_with("ctxI[") || l.starts_with("dDepth = d")
        })
    }

    fn none_of_these(src: &str) -> String {
        no_error_context(&no_decode_checks(&no_capacity_checks(&no_value_checks(
            src,
        ))))
    }

    const VARIANTS: &[(&str, Transform)] = &[
        ("generated, as is", as_is),
        (
            "- encode value checks (`if x ~= x // 1 or ...`)",
            no_value_checks,
        ),
        (
            "- encode capacity checks (`if bp - p < n then grow`)",
            no_capacity_checks,
        ),
        (
            "- decode checks (`if ... then fail(...)`)",
            no_decode_checks,
        ),
        (
            "- decode error context (`ctxT[d]`, `ctxI[..]`, `dDepth`)",
            no_error_context,
        ),
        ("- all four", none_of_these),
    ];

    fn time(
        w: &Workload,
        source: &str,
        native: bool,
        o: &Options,
        expect: &[u8],
    ) -> Result<(f64, f64), String> {
        let e = |e: mlua::Error| e.to_string();
        let lua = vm(native, o.config).map_err(e)?;
        let module = load(&lua, source, "Variant").map_err(e)?;
        let wire_name = &w.schema.get(w.type_name).expect("type").wire_name;
        let codec: Table = module.get(wire_name.as_str()).map_err(e)?;
        let harness = load(&lua, HARNESS, "Harness").map_err(e)?;
        let clock = lua.create_function(|_, ()| Ok(cpu_seconds())).map_err(e)?;
        harness
            .get::<mlua::Function>("setClock")
            .and_then(|f| f.call::<()>(clock))
            .map_err(e)?;
        let value = to_lua(&lua, &w.schema, &Ty::Named(w.type_name.into()), &w.value).map_err(e)?;
        let encode: mlua::Function = codec.get("encode").map_err(e)?;
        let decode: mlua::Function = codec.get("decode").map_err(e)?;
        let got: mlua::Buffer = encode.call(value.clone()).map_err(e)?;
        if got.to_vec() != expect {
            return Err(format!("{}: variant changed the bytes", w.title));
        }
        let msg = lua.create_buffer(expect).map_err(e)?;
        let measure: mlua::Function = harness.get("measure").map_err(e)?;
        let min_s = o.min_ms / 1000.0;
        let enc: f64 = measure.call((encode, value, o.runs, min_s)).map_err(e)?;
        let dec: f64 = measure.call((decode, msg, o.runs, min_s)).map_err(e)?;
        Ok((enc, dec))
    }

    pub fn run(o: &Options) -> Result<(), String> {
        println!();
        println!("Variants of the generated code ({}):", o.config.describe());
        for w in workloads()
            .iter()
            .filter(|w| o.only.as_deref().is_none_or(|k| k == w.key))
        {
            let ty = Ty::Named(w.type_name.into());
            let (bytes, _) = dynamic::to_bytes(&w.schema, &ty, &w.value).expect("Rust encode");
            let generated = generate(&w.schema, &GenOptions::default())
                .expect("generate")
                .source;
            println!();
            println!(
                "| {} | encode interp | decode interp | encode native | decode native |",
                w.title
            );
            println!("|---|---:|---:|---:|---:|");
            for (name, transform) in VARIANTS {
                let src = transform(&generated);
                let (ei, di) = time(w, &src, false, o, &bytes)?;
                let (en, dn) = time(w, &src, true, o, &bytes)?;
                println!(
                    "| {name} | {} | {} | {} | {} |",
                    ns(ei),
                    ns(di),
                    ns(en),
                    ns(dn)
                );
            }
        }
        Ok(())
    }
}

/// `--eval FILE`: runs a Luau experiment file in both modes. The chunk gets
/// `(harness, clock, codecs)` where `codecs` maps workload keys to the
/// generated modules; it returns an array of `{name, ns}` pairs.
fn eval_file(path: &str, o: &Options) -> Result<(), String> {
    let src = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let all = workloads();
    for native in [false, true] {
        let lua = vm(native, o.config).map_err(|e| e.to_string())?;
        let codecs = lua.create_table().map_err(|e| e.to_string())?;
        for w in &all {
            let g = generate(&w.schema, &GenOptions::default()).expect("generate");
            let m = load(&lua, &g.source, w.key).map_err(|e| e.to_string())?;
            codecs.set(w.key, m).map_err(|e| e.to_string())?;
            let v = to_lua(&lua, &w.schema, &Ty::Named(w.type_name.into()), &w.value)
                .map_err(|e| e.to_string())?;
            codecs
                .set(format!("{}_value", w.key), v)
                .map_err(|e| e.to_string())?;
        }
        let harness = load(&lua, HARNESS, "Harness").map_err(|e| e.to_string())?;
        let clock = lua
            .create_function(|_, ()| Ok(cpu_seconds()))
            .map_err(|e| e.to_string())?;
        let r: Table = lua
            .load(src.as_str())
            .set_name("=eval")
            .call((harness, clock, codecs, o.runs, o.min_ms / 1000.0))
            .map_err(|e| e.to_string())?;
        println!("[{}]", mode(native));
        for pair in r.sequence_values::<Table>() {
            let pair = pair.map_err(|e| e.to_string())?;
            let name: String = pair.get(1).map_err(|e| e.to_string())?;
            let ns: f64 = pair.get(2).map_err(|e| e.to_string())?;
            println!("  {name:<50} {ns:>10.0} ns");
        }
    }
    Ok(())
}

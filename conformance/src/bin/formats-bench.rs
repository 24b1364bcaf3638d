//! Size and speed of the JSON and MessagePack codecs against the bit-packed
//! default, with and without zstd, in Rust and in Luau (interpreter and
//! native), on the Entities, Booleans and Arena workloads of `luau-bench`.
//!
//! `cargo run --release -p skyrocket-conformance --bin formats-bench [-- --runs N --min-ms M]`
//!
//! Times are thread CPU time per message (best of `--runs` loops of at
//! least `--min-ms` each). Luau zstd runs in the engine (EncodingService),
//! not in Luau, so only its sizes are Luau's concern: they equal Rust's.

use mlua::{Function, Value as Lv};
use skyrocket::schema::Ty;
use skyrocket_conformance::clock::cpu_seconds;
use skyrocket_conformance::formats::LuauFormats;
use skyrocket_conformance::luau::to_lua;
use skyrocket_conformance::workloads::{workloads, Workload};
use skyrocket_formats::compress::Compression;
use skyrocket_formats::{BitPacked, Codec, Json, MsgPack};
use std::hint::black_box;

struct Timing {
    runs: usize,
    min_s: f64,
}

impl Timing {
    /// Best CPU nanoseconds per call of `f` (which runs `n` calls).
    fn best(&self, mut f: impl FnMut(usize)) -> f64 {
        let mut n = 1;
        loop {
            let t = cpu_seconds();
            f(n);
            if cpu_seconds() - t >= self.min_s {
                break;
            }
            n *= 2;
        }
        (0..self.runs)
            .map(|_| {
                let t = cpu_seconds();
                f(n);
                (cpu_seconds() - t) * 1e9 / n as f64
            })
            .fold(f64::INFINITY, f64::min)
    }
}

fn rust_row(w: &Workload, codec: &dyn Codec, timing: &Timing) -> String {
    let ty = Ty::Named(w.type_name.into());
    let zstd = Compression::default();
    let encoded = codec.encode(&w.schema, &ty, &w.value).expect("encodes");
    let packed = zstd.pack(&encoded.bytes).expect("packs");
    let enc = timing.best(|n| {
        for _ in 0..n {
            black_box(
                codec
                    .encode(&w.schema, &ty, black_box(&w.value))
                    .expect("encodes"),
            );
        }
    });
    let dec = timing.best(|n| {
        for _ in 0..n {
            black_box(
                codec
                    .decode(&w.schema, &ty, black_box(&encoded.bytes), &[])
                    .expect("decodes"),
            );
        }
    });
    let enc_z = timing.best(|n| {
        for _ in 0..n {
            let e = codec
                .encode(&w.schema, &ty, black_box(&w.value))
                .expect("encodes");
            black_box(zstd.pack(&e.bytes).expect("packs"));
        }
    });
    let dec_z = timing.best(|n| {
        for _ in 0..n {
            let raw = zstd.unpack(black_box(&packed)).expect("unpacks");
            black_box(codec.decode(&w.schema, &ty, &raw, &[]).expect("decodes"));
        }
    });
    format!(
        "| {} | {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
        w.name,
        codec.name(),
        encoded.bytes.len(),
        packed.len(),
        enc / 1e3,
        dec / 1e3,
        enc_z / 1e3,
        dec_z / 1e3
    )
}

fn luau_times(w: &Workload, format: &str, native: bool, timing: &Timing) -> (f64, f64) {
    let luau = LuauFormats::load(&w.schema, native).expect("formats load");
    let lua = luau.lua();
    let ty = Ty::Named(w.type_name.into());
    let value = to_lua(lua, &w.schema, &ty, &w.value).expect("converts");
    let (bytes, _) = luau
        .encode_lua(format, w.type_name, value.clone())
        .expect("encodes");
    let rust = if format == "json" {
        Json.encode(&w.schema, &ty, &w.value)
    } else {
        MsgPack.encode(&w.schema, &ty, &w.value)
    };
    assert_eq!(
        bytes,
        rust.expect("Rust encodes").bytes,
        "Luau and Rust bytes differ"
    );
    let looped: Function = lua
        .load(
            r#"local codec, op, name, arg, n = ...
            if op == "encode" then
                for _ = 1, n do codec.encode(name, arg) end
            else
                for _ = 1, n do
                    local v, err = codec.decode(name, arg)
                    if err then error(err) end
                end
            end"#,
        )
        .into_function()
        .expect("loop compiles");
    let wire_name = w.schema.get(w.type_name).expect("type").wire_name.clone();
    let codec = luau.codec_table(format).expect("codec");
    let buffer = Lv::Buffer(lua.create_buffer(&bytes).expect("buffer"));
    let run = |op: &str, arg: &Lv, n: usize| {
        looped
            .call::<()>((codec.clone(), op, wire_name.as_str(), arg.clone(), n))
            .expect("Luau loop runs");
    };
    let enc = timing.best(|n| run("encode", &value, n));
    let dec = timing.best(|n| run("decode", &buffer, n));
    (enc, dec)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: f64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let timing = Timing {
        runs: arg("--runs", 5.0) as usize,
        min_s: arg("--min-ms", 20.0) / 1e3,
    };
    let workloads = workloads();
    println!(
        "Rust (µs per message; zstd level 1 via skyrocket_formats::compress, threshold 128)\n"
    );
    println!(
        "| workload | codec | bytes | zstd bytes | encode | decode | encode+zstd | unzstd+decode |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for w in &workloads {
        for codec in [&BitPacked as &dyn Codec, &Json, &MsgPack] {
            println!("{}", rust_row(w, codec, &timing));
        }
    }
    println!("\nLuau (µs per message; Formats/Json.luau, Formats/MsgPack.luau)\n");
    println!("| workload | codec | encode (interp.) | decode (interp.) | encode (native) | decode (native) |");
    println!("|---|---|---|---|---|---|");
    for w in &workloads {
        for format in ["json", "msgpack"] {
            let (ie, id) = luau_times(w, format, false, &timing);
            let (ne, nd) = luau_times(w, format, true, &timing);
            println!(
                "| {} | {format} | {:.1} | {:.1} | {:.1} | {:.1} |",
                w.name,
                ie / 1e3,
                id / 1e3,
                ne / 1e3,
                nd / 1e3
            );
        }
    }
}

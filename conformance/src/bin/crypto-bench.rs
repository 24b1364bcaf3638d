//! ChaCha20-Poly1305 benchmark: the pure-Luau AEAD
//! (`luau-codecs/runtime/Crypto/ChaCha20Poly1305.luau`) in sandboxed VMs,
//! interpreted (as Roblox clients run it) and with native code generation
//! (as Roblox servers run `--!native` scripts), next to the Rust
//! `chacha20poly1305` crate for reference.
//!
//! `cargo run --release -p skyrocket-conformance --bin crypto-bench [-- options]`
//!
//! Options: `--runs N` (timed loops per figure, best kept; default 5),
//! `--min-ms M` (each timed loop runs at least M ms; default 100),
//! `--o2` (compile the Luau module at optimization level 2 instead of 1).
//!
//! Times are the calling thread's CPU time (the machine may be shared), so
//! figures are throughput of one core. Before timing, the Luau output is
//! checked byte for byte against the crate's.

use skyrocket_conformance::clock::cpu_seconds;
use std::process::ExitCode;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use mlua::{Compiler, Function, Lua, Table};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SRC: &str = include_str!("../../../luau-codecs/runtime/Crypto/ChaCha20Poly1305.luau");

/// Times `C.encrypt` and `C.decrypt` in the VM; the clock is thread CPU time
/// from the host, called only around batches.
const HARNESS: &str = r#"
local C, key, nonce, pt, aad, runs, minS, clock = ...
local sealed = C.encrypt(key, nonce, pt, aad)
local batch = math.max(1, 262144 // (buffer.len(pt) + 256))

local function timeEncrypt(): number
    local best = math.huge
    for _ = 1, runs do
        local n = 0
        local t0 = clock()
        local t = 0
        repeat
            for _ = 1, batch do
                C.encrypt(key, nonce, pt, aad)
            end
            n += batch
            t = clock() - t0
        until t >= minS
        best = math.min(best, t / n)
    end
    return best
end

local function timeDecrypt(): number
    local best = math.huge
    for _ = 1, runs do
        local n = 0
        local t0 = clock()
        local t = 0
        repeat
            for _ = 1, batch do
                local out = C.decrypt(key, nonce, sealed, aad)
                if out == nil then
                    error("decrypt failed")
                end
            end
            n += batch
            t = clock() - t0
        until t >= minS
        best = math.min(best, t / n)
    end
    return best
end

return sealed, timeEncrypt(), timeDecrypt()
"#;

const SIZES: [usize; 3] = [64, 1024, 65536];
const AAD: &[u8] = b"\x07\x02kind";

struct Options {
    runs: u32,
    min_s: f64,
    o2: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        runs: 5,
        min_s: 0.1,
        o2: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => o.runs = args.next().and_then(|v| v.parse().ok()).ok_or("--runs N")?,
            "--min-ms" => {
                o.min_s = args
                    .next()
                    .and_then(|v| v.parse::<f64>().ok())
                    .ok_or("--min-ms M")?
                    / 1000.0
            }
            "--o2" => o.o2 = true,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

/// Seconds per (encrypt, decrypt) of `pt` in a fresh sandboxed VM.
fn luau_times(
    native: bool,
    o: &Options,
    key: &[u8],
    nonce: &[u8],
    pt: &[u8],
    expected: &[u8],
) -> Result<(f64, f64), String> {
    let e = |err: mlua::Error| err.to_string();
    let lua: Lua = skyrocket_sim::new_sandboxed_vm_with(native).map_err(e)?;
    if o.o2 {
        lua.set_compiler(Compiler::new().set_optimization_level(2));
    }
    let m: Table = lua
        .load(SRC)
        .set_name("=ChaCha20Poly1305")
        .eval()
        .map_err(e)?;
    let harness: Function = lua
        .load(HARNESS)
        .set_name("=CryptoBench")
        .into_function()
        .map_err(e)?;
    let clock = lua.create_function(|_, ()| Ok(cpu_seconds())).map_err(e)?;
    let (sealed, enc, dec): (mlua::Buffer, f64, f64) = harness
        .call((
            m,
            lua.create_buffer(key).map_err(e)?,
            lua.create_buffer(nonce).map_err(e)?,
            lua.create_buffer(pt).map_err(e)?,
            lua.create_buffer(AAD).map_err(e)?,
            o.runs,
            o.min_s,
            clock,
        ))
        .map_err(e)?;
    if sealed.to_vec() != expected {
        return Err(format!(
            "Luau output differs from the crate's for {} bytes",
            pt.len()
        ));
    }
    Ok((enc, dec))
}

/// Seconds per (encrypt, decrypt) with the Rust crate.
fn rust_times(o: &Options, key: &[u8], nonce: &[u8], pt: &[u8]) -> (f64, f64) {
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let nonce = Nonce::from_slice(nonce);
    let sealed = cipher
        .encrypt(nonce, Payload { msg: pt, aad: AAD })
        .expect("encrypt");
    let time = |f: &dyn Fn() -> usize| {
        let mut best = f64::INFINITY;
        for _ in 0..o.runs {
            let t0 = cpu_seconds();
            let mut n = 0u64;
            let mut sink = 0usize;
            loop {
                for _ in 0..64 {
                    sink = sink.wrapping_add(std::hint::black_box(f()));
                }
                n += 64;
                let t = cpu_seconds() - t0;
                if t >= o.min_s {
                    best = best.min(t / n as f64);
                    break;
                }
            }
            std::hint::black_box(sink);
        }
        best
    };
    let enc = time(&|| {
        cipher
            .encrypt(nonce, Payload { msg: pt, aad: AAD })
            .expect("encrypt")
            .len()
    });
    let dec = time(&|| {
        cipher
            .decrypt(
                nonce,
                Payload {
                    msg: &sealed,
                    aad: AAD,
                },
            )
            .expect("decrypt")
            .len()
    });
    (enc, dec)
}

fn mbps(size: usize, secs: f64) -> String {
    let v = size as f64 / secs / 1e6;
    if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("crypto-bench: {e}");
            return ExitCode::from(2);
        }
    };
    // SAFETY: a pure query of the linked Luau code generator.
    let codegen = unsafe { mlua::ffi::luau_codegen_supported() } != 0;
    println!("ChaCha20-Poly1305: MB/s (10^6 bytes of plaintext per second of thread CPU time), best of {} runs of >= {} ms", o.runs, o.min_s * 1000.0);
    println!(
        "Luau: sandboxed VM, -O{}, native code generation supported on this CPU: {}; aad {} bytes",
        if o.o2 { 2 } else { 1 },
        if codegen {
            "yes"
        } else {
            "NO (native column = interpreter)"
        },
        AAD.len()
    );
    println!();
    println!(
        "| message | Luau interpreter enc | dec | Luau native enc | dec | Rust crate enc | dec |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut rng = ChaCha8Rng::seed_from_u64(0xC4A_C4A);
    for size in SIZES {
        let mut key = [0u8; 32];
        let mut nonce = [0u8; 12];
        rng.fill_bytes(&mut key);
        rng.fill_bytes(&mut nonce);
        let mut pt = vec![0u8; size];
        rng.fill_bytes(&mut pt);
        let expected = ChaCha20Poly1305::new(Key::from_slice(&key))
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: &pt, aad: AAD })
            .expect("encrypt");
        let interp = luau_times(false, &o, &key, &nonce, &pt, &expected);
        let native = luau_times(true, &o, &key, &nonce, &pt, &expected);
        let (interp, native) = match (interp, native) {
            (Ok(i), Ok(n)) => (i, n),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("crypto-bench: {e}");
                return ExitCode::FAILURE;
            }
        };
        let rust = rust_times(&o, &key, &nonce, &pt);
        let label = if size >= 1024 {
            format!("{} KB", size / 1024)
        } else {
            format!("{size} B")
        };
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} |",
            mbps(size, interp.0),
            mbps(size, interp.1),
            mbps(size, native.0),
            mbps(size, native.1),
            mbps(size, rust.0),
            mbps(size, rust.1)
        );
    }
    ExitCode::SUCCESS
}

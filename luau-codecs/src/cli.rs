//! The `skyrocket` command line:
//!
//! - `skyrocket gen <schema.rs> --out <dir> [--name <Module>]` writes
//!   `<dir>/<Module>.luau` (default `Codecs`), the Luau codecs of every
//!   `NetCodec` type in the schema; when the schema declares a
//!   `#[skyrocket::protocol]` module, also `<dir>/Remotes.luau` (the typed remote
//!   API) and the runtime modules under `<dir>/Net/`;
//!   with `--proto <file.proto>`, also (or, without `--out`, only) the
//!   proto3 file of the schema for the Protobuf codec (package: the schema
//!   file's stem); `Schema.luau` always, `Formats/` when the protocol uses
//!   another codec or compression, with `--proto`, or with `--formats`, and
//!   `Crypto/` with `--crypto`;
//! - `skyrocket check <schema.rs>` prints the encoded size bounds of every
//!   type (bits and bytes);
//! - `skyrocket sim <project-folder> [--clients N] [--seconds S] [--link P]
//!   [--seed N]` runs a Rojo-style game folder in the embedded Roblox host
//!   and prints its bandwidth and timing report; a folder with a `schema.rs`
//!   is regenerated into `src/shared/Generated` first and the runtime's
//!   profiler report of every peer is added. It lives in the binary
//!   (`src/main.rs`, `src/sim.rs`, over `skyrocket_sim::cli`), so this
//!   library and its tests do not link the embedded Luau VM (the type-check
//!   tests link Luau's analyzer, whose symbols clash with the VM's).
//!
//! Schema errors are printed as `file:line:col: error: message`.

use std::io::Write;
use std::path::{Path, PathBuf};

use skyrocket_schema::{Protocol, Schema, SchemaError, Sizes};

use crate::{generate, GenOptions};

const USAGE: &str = "usage:
  skyrocket gen <schema.rs> --out <dir> [--name <Module>] [--proto <file.proto>] [--formats] [--crypto]
  skyrocket gen <schema.rs> --proto <file.proto>
  skyrocket check <schema.rs>
  skyrocket sim <project-folder> [--clients N] [--seconds S] [--link PRESET] [--seed N]";

/// Unreliable remote events drop payloads above this many bytes.
const UNRELIABLE_LIMIT: u64 = 1000;

/// Runs the CLI with `args` (without the program name), writing to `out` and
/// `err`; returns the process exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match run_inner(args, out) {
        Ok(()) => 0,
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            if msg.starts_with("usage") {
                2
            } else {
                1
            }
        }
    }
}

fn run_inner(args: &[String], out: &mut dyn Write) -> Result<(), String> {
    let mut it = args.iter();
    let cmd = it.next().ok_or_else(|| USAGE.to_owned())?;
    let mut file: Option<PathBuf> = None;
    let mut out_dir: Option<PathBuf> = None;
    let mut name = String::from("Codecs");
    let mut proto: Option<PathBuf> = None;
    let mut with_formats = false;
    let mut with_crypto = false;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" | "-o" => {
                out_dir = Some(it.next().ok_or_else(|| USAGE.to_owned())?.into());
            }
            "--name" => name = it.next().ok_or_else(|| USAGE.to_owned())?.clone(),
            "--proto" => proto = Some(it.next().ok_or_else(|| USAGE.to_owned())?.into()),
            "--formats" => with_formats = true,
            "--crypto" => with_crypto = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n{USAGE}")),
            s => {
                if file.replace(s.into()).is_some() {
                    return Err(USAGE.to_owned());
                }
            }
        }
    }
    let file = file.ok_or_else(|| USAGE.to_owned())?;
    match cmd.as_str() {
        "gen" => {
            if let Some(proto) = &proto {
                write_proto(out, &file, proto)?;
                if out_dir.is_none() {
                    return Ok(());
                }
            }
            let out_dir = out_dir.ok_or_else(|| USAGE.to_owned())?;
            let (schema, protocol, display) = load_with_protocol(&file)?;
            let mut taken = vec!["Schema", "Formats", "Crypto"];
            if !protocol.is_empty() {
                taken.extend(["Remotes", "Net"]);
            }
            if taken.contains(&name.as_str()) {
                return Err(format!(
                    "--name {name}: that module name is taken by another generated module ({})",
                    taken.join(", ")
                ));
            }
            let module = generate(
                &schema,
                &GenOptions {
                    source_name: Some(display.clone()),
                },
            )
            .map_err(|e| e.render(&display))?;
            std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
            let path = out_dir.join(format!("{name}.luau"));
            std::fs::write(&path, &module.source)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            writeln!(
                out,
                "wrote {} ({} types, schema hash {:016x})",
                path.display(),
                module.types.len(),
                module.schema_hash
            )
            .map_err(|e| e.to_string())?;
            let descriptor =
                crate::descriptor::generate_descriptor(&schema, module.schema_hash, Some(&display));
            let path = out_dir.join("Schema.luau");
            std::fs::write(&path, descriptor).map_err(|e| format!("{}: {e}", path.display()))?;
            writeln!(out, "wrote {} (the schema as data)", path.display())
                .map_err(|e| e.to_string())?;
            let protocol_uses_formats = protocol
                .events
                .iter()
                .map(|e| &e.format)
                .chain(protocol.functions.iter().map(|f| &f.format))
                .any(|f| !f.is_plain());
            let mut library: Vec<(&str, &[(&str, &str)])> = Vec::new();
            // Asking for a .proto means talking Protobuf: its Luau codec comes along.
            if with_formats || protocol_uses_formats || proto.is_some() {
                library.push(("Formats/", crate::library::FORMAT_FILES));
            }
            if with_crypto {
                library.push(("Crypto/", crate::library::CRYPTO_FILES));
            }
            for (folder, files) in library {
                let written = crate::library::write_files(&out_dir, files)
                    .map_err(|e| format!("{}: {e}", out_dir.display()))?;
                writeln!(
                    out,
                    "wrote {} modules under {}",
                    written.len(),
                    out_dir.join(folder).display()
                )
                .map_err(|e| e.to_string())?;
            }
            write_protocol(out, &schema, &protocol, &display, &out_dir, &name)
        }
        "check" => {
            let (schema, _) = load(&file)?;
            out.write_all(size_report(&schema).as_bytes())
                .map_err(|e| e.to_string())?;
            Ok(())
        }
        _ => Err(format!("unknown command {cmd}\n{USAGE}")),
    }
}

/// Writes the proto3 file of the schema in `file` to `proto`.
fn write_proto(out: &mut dyn Write, file: &Path, proto: &Path) -> Result<(), String> {
    let (schema, display) = load(file)?;
    let errors = skyrocket_schema::validate(&schema);
    if !errors.is_empty() {
        return Err(render(&errors, &display));
    }
    let package = crate::proto::package_name(file);
    let text = crate::proto::generate_proto(&schema, &package)
        .map_err(|e| format!("{display}: error: {e}"))?;
    if let Some(parent) = proto.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(proto, text).map_err(|e| format!("{}: {e}", proto.display()))?;
    writeln!(
        out,
        "wrote {} (proto3, package {package}, {} types)",
        proto.display(),
        schema.types.len()
    )
    .map_err(|e| e.to_string())
}

fn render(errors: &[SchemaError], file: &str) -> String {
    errors
        .iter()
        .map(|e| e.render(file))
        .collect::<Vec<_>>()
        .join("\n")
}

fn load(file: &Path) -> Result<(Schema, String), String> {
    let (schema, _, display) = load_with_protocol(file)?;
    Ok((schema, display))
}

fn load_with_protocol(file: &Path) -> Result<(Schema, Protocol, String), String> {
    let display = file.display().to_string();
    let source = std::fs::read_to_string(file).map_err(|e| format!("{display}: error: {e}"))?;
    let (schema, protocol) =
        skyrocket_schema::parse_file_with_protocol(&source).map_err(|e| render(&e, &display))?;
    Ok((schema, protocol, display))
}

/// Writes the typed remote API (`Remotes.luau`) and the runtime modules beside
/// the codecs when the schema declares a protocol.
fn write_protocol(
    out: &mut dyn Write,
    schema: &Schema,
    protocol: &Protocol,
    display: &str,
    out_dir: &Path,
    codec_module: &str,
) -> Result<(), String> {
    if protocol.is_empty() {
        return Ok(());
    }
    let api = crate::protocol::generate_api(schema, protocol, codec_module)
        .map_err(|e| e.render(display))?;
    let path = out_dir.join("Remotes.luau");
    std::fs::write(&path, api).map_err(|e| format!("{}: {e}", path.display()))?;
    let runtime = crate::protocol::write_runtime(out_dir)
        .map_err(|e| format!("{}: {e}", out_dir.display()))?;
    writeln!(
        out,
        "wrote {} ({} events, {} functions) and {} runtime modules",
        path.display(),
        protocol.events.len(),
        protocol.functions.len(),
        runtime.len()
    )
    .map_err(|e| e.to_string())
}

/// The `check` report: one line per type with min/max bits and bytes.
pub fn size_report(schema: &Schema) -> String {
    let sizes = Sizes::new(schema);
    let width = schema
        .types
        .iter()
        .map(|t| t.wire_name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut s = format!(
        "{:width$}  {:>10}  {:>10}  {:>9}  {:>9}\n",
        "type", "min bits", "max bits", "min bytes", "max bytes"
    );
    for def in &schema.types {
        let Some(b) = sizes.of_type(&def.name) else {
            continue;
        };
        let max_bits = b.max_bits.map_or("unbounded".to_owned(), |m| m.to_string());
        let max_bytes = b
            .max_bytes()
            .map_or("unbounded".to_owned(), |m| m.to_string());
        let mut note = String::new();
        if b.is_fixed() {
            note.push_str("  fixed");
        }
        if b.max_bytes().is_none_or(|m| m > UNRELIABLE_LIMIT) {
            note.push_str("  (may exceed the 1000-byte unreliable limit)");
        }
        s.push_str(&format!(
            "{:width$}  {:>10}  {:>10}  {:>9}  {:>9}{note}\n",
            def.wire_name,
            b.min_bits,
            max_bits,
            b.min_bytes(),
            max_bytes
        ));
    }
    s
}

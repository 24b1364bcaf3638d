//! Luau modules that `skyrocket gen` ships beside a generated schema when
//! they are wanted: the codec interface and formats (`Formats/`, reading
//! `Schema.luau`; written when the protocol uses a codec other than the
//! bit-packed one or compression, or with `--formats`) and ChaCha20-Poly1305
//! (`Crypto/`, with `--crypto`). They are about 150 KB of source a game would
//! otherwise replicate to every client for nothing.

/// `Formats/`: the codec registry, zstd framing and the schema-driven formats.
pub const FORMAT_FILES: &[(&str, &str)] = &[
    (
        "Formats/init.luau",
        include_str!("../runtime/Formats/init.luau"),
    ),
    (
        "Formats/Compression.luau",
        include_str!("../runtime/Formats/Compression.luau"),
    ),
    (
        "Formats/Json.luau",
        include_str!("../runtime/Formats/Json.luau"),
    ),
    (
        "Formats/MsgPack.luau",
        include_str!("../runtime/Formats/MsgPack.luau"),
    ),
    (
        "Formats/Protobuf.luau",
        include_str!("../runtime/Formats/Protobuf.luau"),
    ),
];

/// `Crypto/`: ChaCha20-Poly1305 (RFC 8439) and the replay-protected envelope.
pub const CRYPTO_FILES: &[(&str, &str)] = &[
    (
        "Crypto/ChaCha20Poly1305.luau",
        include_str!("../runtime/Crypto/ChaCha20Poly1305.luau"),
    ),
    (
        "Crypto/Envelope.luau",
        include_str!("../runtime/Crypto/Envelope.luau"),
    ),
];

/// Writes `files` under `out_dir`, creating folders.
pub fn write_files(
    out_dir: &std::path::Path,
    files: &[(&str, &str)],
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    for (rel, src) in files {
        let path = out_dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, src)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes [`FORMAT_FILES`] and [`CRYPTO_FILES`] under `out_dir`.
pub fn write_library(out_dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut written = write_files(out_dir, FORMAT_FILES)?;
    written.extend(write_files(out_dir, CRYPTO_FILES)?);
    Ok(written)
}

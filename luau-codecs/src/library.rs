//! Luau modules that `skyrocket gen` ships beside every generated schema,
//! whether or not it declares a protocol: the codec interface and formats
//! (`Formats/`, reading `Schema.luau`) and ChaCha20-Poly1305 (`Crypto/`).

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

/// Writes [`FORMAT_FILES`] and [`CRYPTO_FILES`] under `out_dir`.
pub fn write_library(out_dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    for (rel, src) in FORMAT_FILES.iter().chain(CRYPTO_FILES) {
        let path = out_dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, src)?;
        written.push(path);
    }
    Ok(written)
}

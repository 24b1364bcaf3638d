//! zstd framing: compression chosen per message by a size threshold, with a
//! cap on the declared decompressed size checked before any allocation.
//!
//! A frame is one header byte and a body (docs/formats.md, "Compression"):
//!
//! | header | body |
//! |---|---|
//! | `0x00` | the payload as is |
//! | `0x01` | one zstd frame whose header declares the content size |
//!
//! The Luau side (`Formats/Compression.luau`) writes the same frames with
//! `EncodingService:CompressBuffer(b, Enum.CompressionAlgorithm.Zstd, level)`
//! and checks `EncodingService:GetDecompressedBufferSize` against its cap.

use crate::FormatError;

/// Header byte of an uncompressed frame.
pub const RAW: u8 = 0x00;
/// Header byte of a zstd frame.
pub const ZSTD: u8 = 0x01;

/// When to compress and how much a peer may make us allocate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compression {
    /// Payloads shorter than this are sent raw (zstd's frame overhead,
    /// about 10 bytes, outweighs any gain on small messages).
    pub threshold: usize,
    /// zstd level (1..=22; Roblox's `CompressBuffer` default is used by Luau).
    pub level: i32,
    /// Largest decompressed size accepted from a peer.
    pub max_decompressed: usize,
}

impl Default for Compression {
    fn default() -> Self {
        Compression {
            threshold: 128,
            level: 1,
            max_decompressed: 1 << 20,
        }
    }
}

const FORMAT: &str = "zstd";

impl Compression {
    /// Frames `payload`: compressed when it is at least `threshold` bytes and
    /// compression makes it smaller, raw otherwise.
    pub fn pack(&self, payload: &[u8]) -> Result<Vec<u8>, FormatError> {
        if payload.len() >= self.threshold {
            let compressed = zstd::bulk::compress(payload, self.level)
                .map_err(|e| FormatError::encode(FORMAT, "", e.to_string()))?;
            if compressed.len() < payload.len() {
                let mut out = Vec::with_capacity(compressed.len() + 1);
                out.push(ZSTD);
                out.extend_from_slice(&compressed);
                return Ok(out);
            }
        }
        let mut out = Vec::with_capacity(payload.len() + 1);
        out.push(RAW);
        out.extend_from_slice(payload);
        Ok(out)
    }

    /// Unframes `frame`, refusing a declared size above `max_decompressed`
    /// before allocating anything for it.
    pub fn unpack(&self, frame: &[u8]) -> Result<Vec<u8>, FormatError> {
        let fail = |offset: usize, message: String| FormatError::decode(FORMAT, "", Some(offset), message);
        let (&header, body) = frame
            .split_first()
            .ok_or_else(|| fail(0, "empty frame: missing the header byte".to_owned()))?;
        match header {
            RAW => {
                if body.len() > self.max_decompressed {
                    return Err(fail(
                        1,
                        format!(
                            "raw payload of {} bytes exceeds the cap of {} bytes",
                            body.len(),
                            self.max_decompressed
                        ),
                    ));
                }
                Ok(body.to_vec())
            }
            ZSTD => {
                let declared = declared_size(body).map_err(|m| fail(1, m))?;
                if declared > self.max_decompressed as u64 {
                    return Err(fail(
                        1,
                        format!(
                            "declared decompressed size {declared} exceeds the cap of {} bytes",
                            self.max_decompressed
                        ),
                    ));
                }
                let out = zstd::bulk::decompress(body, declared as usize)
                    .map_err(|e| fail(1, format!("corrupt zstd frame: {e}")))?;
                if out.len() as u64 != declared {
                    return Err(fail(
                        1,
                        format!(
                            "zstd frame declared {declared} bytes but held {}",
                            out.len()
                        ),
                    ));
                }
                Ok(out)
            }
            other => Err(fail(
                0,
                format!("unknown frame header 0x{other:02x} (expected 0x00 raw or 0x01 zstd)"),
            )),
        }
    }
}

/// The content size a zstd frame declares in its header.
fn declared_size(body: &[u8]) -> Result<u64, String> {
    match zstd::zstd_safe::get_frame_content_size(body) {
        Ok(Some(n)) => Ok(n),
        Ok(None) => Err("zstd frame does not declare its content size".to_owned()),
        Err(_) => Err("not a zstd frame".to_owned()),
    }
}

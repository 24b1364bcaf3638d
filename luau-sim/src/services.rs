//! Rust halves of HttpService (JSON, GUIDs) and EncodingService (zstd,
//! base64).

use mlua::{Buffer, Lua, Result, Value};
use rand::RngCore;
use rand_chacha::ChaCha8Rng;

/// Largest buffer Roblox allows (1 GiB); caps decompression.
const MAX_BUFFER: u64 = 1 << 30;

/// A version-4 GUID in Roblox's upper-case form, without braces.
pub(crate) fn guid(rng: &mut ChaCha8Rng) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02X}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn to_json(v: &Value, depth: usize) -> Result<serde_json::Value> {
    use serde_json::Value as J;
    if depth > 100 {
        return Err(mlua::Error::runtime(
            "JSONEncode: table is nested too deeply or cyclic",
        ));
    }
    Ok(match v {
        Value::Nil => J::Null,
        Value::Boolean(b) => J::Bool(*b),
        Value::Integer(i) => J::from(*i),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                J::from(*n as i64)
            } else {
                serde_json::Number::from_f64(*n)
                    .map(J::Number)
                    .unwrap_or(J::Null)
            }
        }
        Value::String(s) => J::String(s.to_string_lossy()),
        Value::Table(t) => {
            let len = t.raw_len();
            if len > 0 {
                let mut out = Vec::with_capacity(len);
                for i in 1..=len {
                    out.push(to_json(&t.raw_get::<Value>(i)?, depth + 1)?);
                }
                J::Array(out)
            } else {
                let mut m = serde_json::Map::new();
                for pair in t.clone().pairs::<Value, Value>() {
                    let (k, v) = pair?;
                    let key = match &k {
                        Value::String(s) => s.to_string_lossy(),
                        Value::Integer(i) => i.to_string(),
                        Value::Number(n) => n.to_string(),
                        _ => return Err(mlua::Error::runtime("JSONEncode: invalid key type")),
                    };
                    m.insert(key, to_json(&v, depth + 1)?);
                }
                J::Object(m)
            }
        }
        other => {
            return Err(mlua::Error::runtime(format!(
                "Can't convert to JSON: {}",
                crate::datatypes::type_name(other)
            )))
        }
    })
}

/// `HttpService:JSONEncode`.
pub(crate) fn json_encode(v: Value) -> Result<String> {
    serde_json::to_string(&to_json(&v, 0)?).map_err(mlua::Error::external)
}

fn from_json(lua: &Lua, j: &serde_json::Value) -> Result<Value> {
    use serde_json::Value as J;
    Ok(match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Boolean(*b),
        J::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Value::String(lua.create_string(s)?),
        J::Array(a) => {
            let t = lua.create_table_with_capacity(a.len(), 0)?;
            for (i, v) in a.iter().enumerate() {
                t.raw_set(i + 1, from_json(lua, v)?)?;
            }
            Value::Table(t)
        }
        J::Object(m) => {
            let t = lua.create_table_with_capacity(0, m.len())?;
            for (k, v) in m {
                t.raw_set(k.as_str(), from_json(lua, v)?)?;
            }
            Value::Table(t)
        }
    })
}

/// `HttpService:JSONDecode`.
pub(crate) fn json_decode(lua: &Lua, s: &str) -> Result<Value> {
    let j: serde_json::Value = serde_json::from_str(s)
        .map_err(|e| mlua::Error::runtime(format!("Can't parse JSON: {e}")))?;
    from_json(lua, &j)
}

/// `EncodingService:CompressBuffer` with Zstd.
pub(crate) fn compress(lua: &Lua, input: &Buffer, level: i32) -> Result<Buffer> {
    let level = level.clamp(-7, 22);
    let out = zstd::bulk::compress(&input.to_vec(), level).map_err(mlua::Error::external)?;
    lua.create_buffer(out)
}

/// `EncodingService:GetDecompressedBufferSize`: the size declared in the
/// zstd frame header, or nil when unknown or invalid.
pub(crate) fn decompressed_size(input: &Buffer) -> Option<u64> {
    zstd::zstd_safe::get_frame_content_size(&input.to_vec())
        .ok()
        .flatten()
}

/// `EncodingService:DecompressBuffer`.
pub(crate) fn decompress(lua: &Lua, input: &Buffer) -> Result<Buffer> {
    let data = input.to_vec();
    let size = match zstd::zstd_safe::get_frame_content_size(&data) {
        Ok(Some(n)) if n <= MAX_BUFFER => n as usize,
        Ok(Some(_)) => {
            return Err(mlua::Error::runtime(
                "decompressed size exceeds the buffer limit",
            ))
        }
        _ => {
            return Err(mlua::Error::runtime(
                "input is not a valid zstd frame with a known size",
            ))
        }
    };
    let out = zstd::bulk::decompress(&data, size)
        .map_err(|e| mlua::Error::runtime(format!("failed to decompress buffer: {e}")))?;
    lua.create_buffer(out)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `EncodingService:Base64Encode` (standard alphabet, padded).
pub(crate) fn base64_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        out.push(B64[(n >> 18) as usize & 63]);
        out.push(B64[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63]
        } else {
            b'='
        });
    }
    out
}

/// `EncodingService:Base64Decode`.
pub(crate) fn base64_decode(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in data {
        if c == b'=' {
            break;
        }
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

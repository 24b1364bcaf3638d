//! Base64 with the standard alphabet and `=` padding (RFC 4648 section 4),
//! decoded strictly: only the canonical text of some bytes is accepted.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends the base64 text of `bytes`.
pub(crate) fn encode(out: &mut Vec<u8>, bytes: &[u8]) {
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        out.push(ALPHABET[(n >> 18) as usize & 63]);
        out.push(ALPHABET[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            ALPHABET[n as usize & 63]
        } else {
            b'='
        });
    }
}

fn sextet(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

/// Decodes canonical base64; on failure, the index of the offending
/// character and what is wrong.
pub(crate) fn decode(text: &[u8]) -> Result<Vec<u8>, (usize, &'static str)> {
    if !text.len().is_multiple_of(4) {
        return Err((text.len(), "base64 text length is not a multiple of 4"));
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let groups = text.len() / 4;
    for g in 0..groups {
        let at = g * 4;
        let quad = &text[at..at + 4];
        let last = g + 1 == groups;
        let pad = if last {
            quad.iter().rev().take_while(|&&c| c == b'=').count()
        } else {
            0
        };
        if pad > 2 {
            return Err((at, "too much base64 padding"));
        }
        let mut n = 0u32;
        for (i, &c) in quad[..4 - pad].iter().enumerate() {
            let s = sextet(c).ok_or((at + i, "invalid base64 character"))?;
            n |= s << (18 - 6 * i);
        }
        let keep = 3 - pad;
        // The unused low bits of the last character must be zero.
        if (pad == 1 && n & 0xff != 0) || (pad == 2 && n & 0xffff != 0) {
            return Err((at + 3 - pad, "non-canonical base64 (unused bits set)"));
        }
        out.extend_from_slice(&n.to_be_bytes()[1..1 + keep]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_rfc_examples_and_rejects_sloppy_text() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (&[0xfb, 0xff], "+/8="),
        ];
        for (bytes, text) in cases {
            let mut out = Vec::new();
            encode(&mut out, bytes);
            assert_eq!(out, text.as_bytes());
            assert_eq!(decode(text.as_bytes()).unwrap(), bytes);
        }
        for bad in ["Zg", "Zh==", "Zg=a", "Z===", "Zg==Zg==", "Z-8="] {
            assert!(decode(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}

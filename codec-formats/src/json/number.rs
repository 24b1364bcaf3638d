//! The canonical text of a float (docs/formats.md, "JSON", numbers): the
//! shortest decimal that reads back as the same value at the field's Rust
//! type, laid out as JavaScript's `Number.prototype.toString` does.
//!
//! The Luau encoder (`Formats/Json.luau`) finds the same digits with
//! `string.format("%.{p}e")` and `tonumber`, so the search below is written
//! the way that side can repeat it exactly.

use std::fmt::Write;

/// Writes `v` (an `f64` field) in canonical form: the shortest digits that
/// read back as `v`, the closest to `v` among those, the even one on a tie.
pub(crate) fn write_f64(out: &mut Vec<u8>, scratch: &mut String, v: f64) {
    if special(out, v) {
        return;
    }
    scratch.clear();
    // `{:e}` is Rust's shortest round-trip form: the fewest digits that
    // parse back to `v`, the closest to `v` among those.
    let _ = write!(scratch, "{:e}", v.abs());
    let (mut digits, mut exp) = split_scientific(scratch);
    // Rust's shortest form breaks a tie between two equally close
    // candidates upwards; the canonical form takes the even digit, as
    // ECMA-262 does. Ties need 16 or more digits (below that, the half-unit
    // of the last digit exceeds the rounding interval of a binary64).
    if digits.len() >= 16 {
        let (even, even_exp) = exact(scratch, v.abs(), digits.len());
        if read_back(scratch, &even, even_exp) == v.abs() {
            (digits, exp) = (even, even_exp);
        }
    }
    layout(out, v < 0.0, &digits, exp + 1);
}

/// Writes `v` (an `f32` field) in canonical form.
pub(crate) fn write_f32(out: &mut Vec<u8>, scratch: &mut String, v: f32) {
    let wide = v as f64;
    if special(out, wide) {
        return;
    }
    let (digits, exp) = shortest_f32(scratch, v.abs());
    layout(out, v < 0.0, &digits, exp + 1);
}

/// NaN, the infinities (as strings) and zeros; true when it wrote one.
fn special(out: &mut Vec<u8>, v: f64) -> bool {
    let text: &[u8] = if v.is_nan() {
        b"\"NaN\""
    } else if v == f64::INFINITY {
        b"\"Infinity\""
    } else if v == f64::NEG_INFINITY {
        b"\"-Infinity\""
    } else if v == 0.0 {
        if v.is_sign_negative() {
            b"-0"
        } else {
            b"0"
        }
    } else {
        return false;
    };
    out.extend_from_slice(text);
    true
}

/// `d.ddde-5` → (`dddd`, -5).
fn split_scientific(text: &str) -> (Vec<u8>, i32) {
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// The shortest digits `d` and exponent `e` (value `d.ddd × 10^e`) such that
/// the decimal, read as the nearest binary64 and then rounded to binary32,
/// is `v` (positive, finite, non-zero); the closest to `v` among those.
///
/// Whether some `p`-digit decimal reads back as `v` is monotone in `p` (the
/// decimals that read back as `v` form an interval around it), so a binary
/// search over `p` in 1..=9 (9 digits always suffice) finds the shortest. At
/// each `p` only the two `p`-digit decimals around `v` can qualify: the
/// correctly rounded one (tried first, the closer) and its neighbour on the
/// other side of `v` (which matters next to powers of two, where the
/// interval is lopsided).
fn shortest_f32(scratch: &mut String, v: f32) -> (Vec<u8>, i32) {
    let (mut digits, exp) = fast_f32(scratch, v).unwrap_or_else(|| search_f32(scratch, v));
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp)
}

/// The answer of [`search_f32`] found in fewer steps, when it can be proven:
/// Rust's own shortest binary32 form (which reads decimals straight to
/// binary32) gives a length `p` at which some decimal reads back as `v`;
/// if none of `p - 1` digits does, `p` is the shortest length.
fn fast_f32(scratch: &mut String, v: f32) -> Option<(Vec<u8>, i32)> {
    scratch.clear();
    let _ = write!(scratch, "{v:e}");
    let (digits, exp) = split_scientific(scratch);
    let p = digits.len();
    if read_back(scratch, &digits, exp) as f32 != v {
        return None;
    }
    if p > 1 && candidate_f32(scratch, v, p - 1).is_some() {
        return None;
    }
    candidate_f32(scratch, v, p)
}

/// Binary search for the shortest length (the specification's algorithm).
fn search_f32(scratch: &mut String, v: f32) -> (Vec<u8>, i32) {
    let (mut lo, mut hi) = (1usize, 9usize);
    let mut best = None;
    while lo < hi {
        let mid = (lo + hi) / 2;
        match candidate_f32(scratch, v, mid) {
            Some(found) => {
                hi = mid;
                best = Some(found);
            }
            None => lo = mid + 1,
        }
    }
    match best {
        Some(found) if found.0.len() == lo => found,
        // 9 significant digits always identify a binary32.
        _ => candidate_f32(scratch, v, lo).unwrap_or_else(|| exact(scratch, v as f64, 9)),
    }
}

/// The `p`-digit decimal that reads back as `v`, if there is one.
fn candidate_f32(scratch: &mut String, v: f32, p: usize) -> Option<(Vec<u8>, i32)> {
    let (digits, exp) = exact(scratch, v as f64, p);
    let read = read_back(scratch, &digits, exp);
    if read as f32 == v {
        return Some((digits, exp));
    }
    let other = step(&digits, exp, read < v as f64);
    if read_back(scratch, &other.0, other.1) as f32 == v {
        return Some(other);
    }
    None
}

/// `v` correctly rounded to `p` significant digits (ties to even, as C's
/// `printf` and Rust's formatting both round).
fn exact(scratch: &mut String, v: f64, p: usize) -> (Vec<u8>, i32) {
    scratch.clear();
    let _ = write!(scratch, "{:.*e}", p - 1, v);
    split_scientific(scratch)
}

/// The decimal `d.ddd × 10^e` read as the nearest binary64.
fn read_back(scratch: &mut String, digits: &[u8], exp: i32) -> f64 {
    scratch.clear();
    for &d in digits {
        scratch.push(d as char);
    }
    let _ = write!(scratch, "e{}", exp - (digits.len() as i32 - 1));
    scratch.parse().unwrap_or(f64::NAN)
}

/// The next (`up`) or previous `p`-digit decimal.
fn step(digits: &[u8], exp: i32, up: bool) -> (Vec<u8>, i32) {
    let mut d = digits.to_vec();
    if up {
        for c in d.iter_mut().rev() {
            if *c == b'9' {
                *c = b'0';
            } else {
                *c += 1;
                return (d, exp);
            }
        }
        // 99..9 + 1 = 100..0: one more power of ten, still p digits.
        d[0] = b'1';
        (d, exp + 1)
    } else {
        for c in d.iter_mut().rev() {
            if *c == b'0' {
                *c = b'9';
            } else {
                *c -= 1;
                break;
            }
        }
        if d[0] == b'0' {
            // 10..0 - 1 = 09..9: p nines one power of ten lower.
            d.iter_mut().for_each(|c| *c = b'9');
            return (d, exp - 1);
        }
        (d, exp)
    }
}

/// Lays out digits `d1..dk` with value `0.d1..dk × 10^n` the way
/// `Number.prototype.toString` does (ECMA-262, Number::toString).
fn layout(out: &mut Vec<u8>, negative: bool, digits: &[u8], n: i32) {
    let k = digits.len() as i32;
    if negative {
        out.push(b'-');
    }
    if k <= n && n <= 21 {
        out.extend_from_slice(digits);
        out.extend(std::iter::repeat_n(b'0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.extend_from_slice(&digits[..n as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-n) as usize));
        out.extend_from_slice(digits);
    } else {
        out.push(digits[0]);
        if k > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        let e = n - 1;
        out.push(b'e');
        out.push(if e > 0 { b'+' } else { b'-' });
        out.extend_from_slice(e.unsigned_abs().to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_text(v: f64) -> String {
        let mut out = Vec::new();
        write_f64(&mut out, &mut String::new(), v);
        String::from_utf8(out).unwrap()
    }

    fn f32_text(v: f32) -> String {
        let mut out = Vec::new();
        write_f32(&mut out, &mut String::new(), v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn doubles_print_like_javascript() {
        let cases: [(f64, &str); 17] = [
            (1.0, "1"),
            (-1.5, "-1.5"),
            (0.1, "0.1"),
            (123.456, "123.456"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (-0.0, "-0"),
            (f64::NAN, "\"NaN\""),
            (f64::NEG_INFINITY, "\"-Infinity\""),
            (0.30000000000000004, "0.30000000000000004"),
            (244452721654215.5 + 0.125, "244452721654215.62"),
        ];
        for (v, text) in cases {
            assert_eq!(f64_text(v), text, "{v:e}");
        }
    }

    #[test]
    fn singles_print_their_own_shortest_digits() {
        let cases: [(f32, &str); 8] = [
            (0.1, "0.1"),
            (1.0 / 3.0, "0.33333334"),
            (16777216.0, "16777216"),
            (3.4028235e38, "3.4028235e+38"),
            (1e-45, "1e-45"),
            (f32::MIN_POSITIVE, "1.1754944e-38"),
            (-2.5, "-2.5"),
            (f32::INFINITY, "\"Infinity\""),
        ];
        for (v, text) in cases {
            assert_eq!(f32_text(v), text, "{v:e}");
        }
    }

    #[test]
    fn singles_agree_with_rusts_shortest_on_a_sweep_and_read_back() {
        for i in 0..100_000u32 {
            let bits = 1 + i.wrapping_mul(21_283) % 0x7f7f_ffff;
            let v = f32::from_bits(bits);
            let text = f32_text(v);
            let back: f64 = text.parse().unwrap();
            assert_eq!(back as f32, v, "{text}");
            // Rust's own shortest binary32 form has as many digits.
            let rust = split_scientific(&format!("{v:e}")).0.len();
            let ours = split_scientific(&format!("{back:e}")).0.len();
            assert_eq!(rust, ours, "{v:e} vs {text}");
        }
    }

    #[test]
    fn the_fast_path_finds_what_the_specified_search_finds() {
        let mut scratch = String::new();
        let mut fast_taken = 0;
        for i in 0..200_000u32 {
            let v = f32::from_bits(1 + i.wrapping_mul(10_651) % 0x7f7f_ffff);
            let mut searched = search_f32(&mut scratch, v);
            while searched.0.len() > 1 && searched.0.last() == Some(&b'0') {
                searched.0.pop();
            }
            if let Some(mut fast) = fast_f32(&mut scratch, v) {
                fast_taken += 1;
                while fast.0.len() > 1 && fast.0.last() == Some(&b'0') {
                    fast.0.pop();
                }
                assert_eq!(fast, searched, "{v:e}");
            }
        }
        assert!(
            fast_taken > 190_000,
            "the fast path is rarely taken: {fast_taken}"
        );
    }
}

//! The wire primitives of `docs/wire-format.md`: an [`Encoder`] with a byte
//! section growing forward and a bit section growing backward from the end,
//! a [`Decoder`] that reads both and checks they meet, and the field
//! encodings (ranged integers, varints, quantized and half floats, lengths,
//! strings) that derived code calls.

use crate::error::{DecodeError, DecodeErrorKind as K, EncodeError, EncodeErrorKind};
use crate::roblox::Instance;
use skyrocket_schema::{is_byte_width, length_bits, Quantize};

/// Canonical binary32 NaN (spec section 2).
pub const CANONICAL_NAN_F32: u32 = 0x7FC0_0000;
/// Canonical binary64 NaN (spec section 2).
pub const CANONICAL_NAN_F64: u64 = 0x7FF8_0000_0000_0000;
/// Canonical binary16 NaN (spec section 2.3).
pub const CANONICAL_NAN_F16: u16 = 0x7E00;

/// Writes one message. Create, write the value, then [`Encoder::finish`].
#[derive(Debug, Default)]
pub struct Encoder {
    bytes: Vec<u8>,
    /// Completed bit-section bytes in stream order (reversed by `finish`).
    bit_bytes: Vec<u8>,
    pending: u128,
    pending_bits: u32,
    instances: Vec<Instance>,
}

impl Encoder {
    /// An empty encoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty encoder with room for `bytes` byte-section bytes.
    pub fn with_capacity(bytes: usize) -> Self {
        Encoder {
            bytes: Vec::with_capacity(bytes),
            ..Self::default()
        }
    }

    /// Appends `n` little-endian bytes of `value` to the byte section.
    #[inline]
    pub fn write_le(&mut self, value: u64, n: usize) {
        self.bytes.extend_from_slice(&value.to_le_bytes()[..n]);
    }

    /// Appends one byte to the byte section.
    #[inline]
    pub fn write_u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    /// Appends a little-endian `u16`.
    #[inline]
    pub fn write_u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends a little-endian `u32`.
    #[inline]
    pub fn write_u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends a little-endian `u64`.
    #[inline]
    pub fn write_u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends an `f32`, NaN made canonical.
    #[inline]
    pub fn write_f32(&mut self, v: f32) {
        let bits = if v.is_nan() {
            CANONICAL_NAN_F32
        } else {
            v.to_bits()
        };
        self.write_u32(bits);
    }

    /// Appends an `f64`, NaN made canonical.
    #[inline]
    pub fn write_f64(&mut self, v: f64) {
        let bits = if v.is_nan() {
            CANONICAL_NAN_F64
        } else {
            v.to_bits()
        };
        self.write_u64(bits);
    }

    /// Appends raw bytes to the byte section.
    #[inline]
    pub fn write_bytes(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// Appends the low `n` bits of `value` (n <= 64) to the bit section.
    #[inline]
    pub fn write_bits(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 64);
        debug_assert!(n == 64 || value >> n == 0, "value wider than {n} bits");
        self.pending |= (value as u128) << self.pending_bits;
        self.pending_bits += n;
        while self.pending_bits >= 8 {
            self.bit_bytes.push(self.pending as u8);
            self.pending >>= 8;
            self.pending_bits -= 8;
        }
    }

    /// Appends one bool to the bit section.
    #[inline]
    pub fn write_bool(&mut self, v: bool) {
        self.write_bits(v as u64, 1);
    }

    /// Appends an unsigned varint (spec 2.2) to the bit section.
    pub fn write_varint(&mut self, mut v: u64) {
        loop {
            let group = v & 0x7F;
            v >>= 7;
            if v == 0 {
                self.write_bits(group, 8);
                return;
            }
            self.write_bits(group | 0x80, 8);
        }
    }

    /// Appends a zigzag-mapped signed varint (spec 2.2).
    pub fn write_signed_varint(&mut self, v: i64) {
        self.write_varint(((v << 1) ^ (v >> 63)) as u64);
    }

    /// Records an instance reference in the side table (spec 5.2).
    pub fn push_instance(&mut self, instance: Instance) {
        self.instances.push(instance);
    }

    /// Bytes written to the byte section so far.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// Bits written to the bit section so far.
    pub fn bit_len(&self) -> u64 {
        self.bit_bytes.len() as u64 * 8 + self.pending_bits as u64
    }

    /// The message: byte section, then the bit section's bytes reversed.
    pub fn finish(self) -> Vec<u8> {
        self.finish_with_instances().0
    }

    /// The message and its instance side table.
    pub fn finish_with_instances(mut self) -> (Vec<u8>, Vec<Instance>) {
        if self.pending_bits > 0 {
            self.bit_bytes.push(self.pending as u8);
        }
        let mut out = self.bytes;
        out.reserve(self.bit_bytes.len());
        out.extend(self.bit_bytes.iter().rev());
        (out, self.instances)
    }
}

/// Reads one message. Decode the value, then call [`Decoder::finish`].
#[derive(Debug)]
pub struct Decoder<'a> {
    input: &'a [u8],
    byte_pos: usize,
    bit_pos: u64,
    depth: u32,
    instances: &'a [Instance],
    next_instance: usize,
}

impl<'a> Decoder<'a> {
    /// A decoder over one whole message.
    pub fn new(input: &'a [u8]) -> Self {
        Self::with_instances(input, &[])
    }

    /// A decoder over a message and its instance side table.
    pub fn with_instances(input: &'a [u8], instances: &'a [Instance]) -> Self {
        Decoder {
            input,
            byte_pos: 0,
            bit_pos: 0,
            depth: 0,
            instances,
            next_instance: 0,
        }
    }

    #[cold]
    fn error(&self, kind: K) -> DecodeError {
        DecodeError::new(kind, self.byte_pos, self.bit_pos)
    }

    /// Builds an error of `kind` at the current position.
    #[cold]
    pub fn fail(&self, kind: K) -> DecodeError {
        self.error(kind)
    }

    #[inline]
    fn bit_section_bytes(bit_pos: u64) -> usize {
        bit_pos.div_ceil(8) as usize
    }

    /// Bits neither section has consumed yet.
    #[inline]
    pub fn remaining_bits(&self) -> u64 {
        (self.input.len() as u64 * 8).saturating_sub(self.byte_pos as u64 * 8 + self.bit_pos)
    }

    /// Takes `n` bytes from the byte section.
    #[inline]
    pub fn read_bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .byte_pos
            .checked_add(n)
            .ok_or_else(|| self.error(K::UnexpectedEnd))?;
        if end + Self::bit_section_bytes(self.bit_pos) > self.input.len() {
            return Err(self.error(K::UnexpectedEnd));
        }
        let slice = &self.input[self.byte_pos..end];
        self.byte_pos = end;
        Ok(slice)
    }

    #[inline]
    fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let bytes = self.read_bytes(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// Reads `n` (1..=8) little-endian bytes as an unsigned number.
    #[inline]
    pub fn read_le(&mut self, n: usize) -> Result<u64, DecodeError> {
        let bytes = self.read_bytes(n)?;
        let mut full = [0u8; 8];
        full[..n].copy_from_slice(bytes);
        Ok(u64::from_le_bytes(full))
    }

    /// Reads one byte.
    #[inline]
    pub fn read_u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.read_array::<1>()?[0])
    }

    /// Reads a little-endian `u16`.
    #[inline]
    pub fn read_u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_le_bytes(self.read_array()?))
    }

    /// Reads a little-endian `u32`.
    #[inline]
    pub fn read_u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.read_array()?))
    }

    /// Reads a little-endian `u64`.
    #[inline]
    pub fn read_u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.read_array()?))
    }

    /// Reads an `f32`, rejecting non-canonical NaNs.
    #[inline]
    pub fn read_f32(&mut self) -> Result<f32, DecodeError> {
        let bits = self.read_u32()?;
        let v = f32::from_bits(bits);
        if v.is_nan() && bits != CANONICAL_NAN_F32 {
            return Err(self.error(K::NonCanonical));
        }
        Ok(v)
    }

    /// Reads an `f64`, rejecting non-canonical NaNs.
    #[inline]
    pub fn read_f64(&mut self) -> Result<f64, DecodeError> {
        let bits = self.read_u64()?;
        let v = f64::from_bits(bits);
        if v.is_nan() && bits != CANONICAL_NAN_F64 {
            return Err(self.error(K::NonCanonical));
        }
        Ok(v)
    }

    /// Takes the next `n` (<= 64) bits of the bit section.
    #[inline]
    pub fn read_bits(&mut self, n: u32) -> Result<u64, DecodeError> {
        if n == 0 {
            return Ok(0);
        }
        let end = self.bit_pos + n as u64;
        if self.byte_pos + Self::bit_section_bytes(end) > self.input.len() {
            return Err(self.error(K::UnexpectedEnd));
        }
        let last = self.input.len() - 1;
        let mut value = 0u64;
        let mut got = 0u32;
        let mut pos = self.bit_pos;
        while got < n {
            let byte = self.input[last - (pos >> 3) as usize] as u64;
            let shift = (pos & 7) as u32;
            let take = (8 - shift).min(n - got);
            let chunk = (byte >> shift) & ((1u64 << take) - 1);
            value |= chunk << got;
            got += take;
            pos += take as u64;
        }
        self.bit_pos = end;
        Ok(value)
    }

    /// Reads one bool from the bit section.
    #[inline]
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        Ok(self.read_bits(1)? == 1)
    }

    /// Reads an unsigned varint that must fit in `type_bits` bits.
    pub fn read_varint(&mut self, type_bits: u32) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        let mut shift = 0u32;
        loop {
            let group = self.read_bits(8)?;
            let payload = group & 0x7F;
            if shift >= type_bits || (shift > 0 && payload >> (type_bits - shift).min(7) != 0) {
                return Err(self.error(K::InvalidVarint));
            }
            value |= payload << shift;
            if group & 0x80 == 0 {
                if payload == 0 && shift > 0 {
                    return Err(self.error(K::NonCanonical));
                }
                return Ok(value);
            }
            shift += 7;
        }
    }

    /// Reads a zigzag signed varint that must fit in `type_bits` bits.
    pub fn read_signed_varint(&mut self, type_bits: u32) -> Result<i64, DecodeError> {
        let z = self.read_varint(type_bits)?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    /// Enters a struct or enum value: fails past `max_depth` nested values.
    #[inline]
    pub fn enter(&mut self, max_depth: u32) -> Result<(), DecodeError> {
        if self.depth >= max_depth {
            return Err(self.error(K::DepthLimit));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves a value entered with [`Decoder::enter`].
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The next instance of the side table.
    pub fn next_instance(&mut self) -> Result<Instance, DecodeError> {
        let instance = self
            .instances
            .get(self.next_instance)
            .copied()
            .ok_or_else(|| self.error(K::MissingInstance))?;
        self.next_instance += 1;
        Ok(instance)
    }

    /// Checks the cursors met and the padding bits are zero (spec 6).
    pub fn finish(&self) -> Result<(), DecodeError> {
        let bit_bytes = Self::bit_section_bytes(self.bit_pos);
        if self.byte_pos + bit_bytes != self.input.len() {
            return Err(self.error(K::TrailingBytes));
        }
        let used = (self.bit_pos & 7) as u32;
        if used != 0 {
            let last_touched = self.input[self.input.len() - bit_bytes];
            if last_touched >> used != 0 {
                return Err(self.error(K::NonCanonical));
            }
        }
        Ok(())
    }
}

/// Writes a field of `bits` width holding `value`: byte section for 8, 16,
/// 32 and 64 bits, bit section otherwise (spec 2.1).
#[inline]
pub fn write_sized(enc: &mut Encoder, value: u64, bits: u32) {
    if is_byte_width(bits) {
        enc.write_le(value, (bits / 8) as usize);
    } else {
        enc.write_bits(value, bits);
    }
}

/// Reads a field written by [`write_sized`].
#[inline]
pub fn read_sized(dec: &mut Decoder<'_>, bits: u32) -> Result<u64, DecodeError> {
    if is_byte_width(bits) {
        dec.read_le((bits / 8) as usize)
    } else {
        dec.read_bits(bits)
    }
}

/// Bit width of a `lo..=hi` ranged integer.
#[inline]
pub const fn range_bits(lo: i128, hi: i128) -> u32 {
    let count = (hi - lo) as u128 + 1;
    if count <= 1 {
        0
    } else {
        128 - (count - 1).leading_zeros()
    }
}

/// Writes `value` declared `range = lo..=hi` (spec 2.1).
#[inline]
pub fn write_range(enc: &mut Encoder, value: i128, lo: i128, hi: i128) -> Result<(), EncodeError> {
    if value < lo || value > hi {
        return Err(EncodeError::new(EncodeErrorKind::OutOfRange {
            value,
            lo,
            hi,
        }));
    }
    write_sized(enc, (value - lo) as u64, range_bits(lo, hi));
    Ok(())
}

/// Reads a `range = lo..=hi` integer (spec 2.1).
#[inline]
pub fn read_range(dec: &mut Decoder<'_>, lo: i128, hi: i128) -> Result<i128, DecodeError> {
    let offset = read_sized(dec, range_bits(lo, hi))? as i128;
    if offset > hi - lo {
        return Err(dec.fail(K::OutOfRange));
    }
    Ok(lo + offset)
}

/// The quantized level of `value` (spec 2.3), in binary64 in the spec's order.
#[inline]
pub fn quantize_level(value: f64, q: &Quantize) -> u64 {
    let level = ((value - q.min) / q.step + 0.5).floor();
    let top = (q.levels() - 1) as f64;
    if level.is_nan() || level <= 0.0 {
        0
    } else if level >= top {
        top as u64
    } else {
        level as u64
    }
}

/// Writes a quantized float (spec 2.3).
#[inline]
pub fn write_quantized(enc: &mut Encoder, value: f64, q: &Quantize) {
    write_sized(enc, quantize_level(value, q), q.bits());
}

/// Reads a quantized float as binary64 (spec 2.3).
#[inline]
pub fn read_quantized(dec: &mut Decoder<'_>, q: &Quantize) -> Result<f64, DecodeError> {
    let level = read_sized(dec, q.bits())?;
    if level >= q.levels() {
        return Err(dec.fail(K::OutOfRange));
    }
    Ok(q.min + level as f64 * q.step)
}

/// The binary16 bits of `value` (spec 2.3): round to nearest, ties to even,
/// overflow to infinity, NaN canonical.
///
/// Done by hand on the binary64 bits rather than with `half::f16::from_f64`:
/// that one drops the low 32 mantissa bits before rounding (so values just
/// above a tie round down) and, on x86 with F16C, goes through binary32
/// (double rounding), which would make the bytes depend on the CPU.
pub fn f64_to_f16_bits(value: f64) -> u16 {
    if value.is_nan() {
        return CANONICAL_NAN_F16;
    }
    let bits = value.to_bits();
    let sign = ((bits >> 48) & 0x8000) as u16;
    let biased = ((bits >> 52) & 0x7FF) as i32;
    let exp = biased - 1023;
    if exp > 15 {
        // Includes infinity (biased 0x7FF).
        return sign | 0x7C00;
    }
    if biased == 0 {
        // Zero or a binary64 subnormal: far below half the smallest binary16 subnormal.
        return sign;
    }
    let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    // Drop the bits below the binary16 quantum: 2^(exp - 10) for normal
    // results, 2^-24 for subnormal ones.
    let shift = if exp >= -14 {
        42
    } else {
        42 + (-14 - exp) as u32
    };
    if shift >= 64 {
        return sign;
    }
    let mut q = mantissa >> shift;
    let rem = mantissa & ((1u64 << shift) - 1);
    let halfway = 1u64 << (shift - 1);
    if rem > halfway || (rem == halfway && q & 1 == 1) {
        q += 1;
    }
    // For normal results q includes the implicit bit (2^10), which adds one to
    // the exponent field; a carry out of the mantissa (q = 2^11) moves to the
    // next binade, and past 65504 to infinity (0x7C00).
    let base = if exp >= -14 {
        ((exp + 14) as u64) << 10
    } else {
        0
    };
    sign | (base + q) as u16
}

/// The value of binary16 `bits` as binary64 (exact).
pub fn f16_bits_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((bits >> 10) & 0x1F) as i32;
    let mantissa = (bits & 0x3FF) as f64;
    let magnitude = match exp {
        0 => mantissa * f64::powi(2.0, -24),
        0x1F if mantissa == 0.0 => f64::INFINITY,
        0x1F => f64::NAN,
        _ => (1024.0 + mantissa) * f64::powi(2.0, exp - 25),
    };
    sign * magnitude
}

/// Writes a binary16 float (spec 2.3).
#[inline]
pub fn write_half(enc: &mut Encoder, value: f64) {
    enc.write_u16(f64_to_f16_bits(value));
}

/// Reads a binary16 float as binary64 (spec 2.3).
#[inline]
pub fn read_half(dec: &mut Decoder<'_>) -> Result<f64, DecodeError> {
    let bits = dec.read_u16()?;
    let value = f16_bits_to_f64(bits);
    if value.is_nan() && bits != CANONICAL_NAN_F16 {
        return Err(dec.fail(K::NonCanonical));
    }
    Ok(value)
}

/// Writes a collection length (spec 3).
#[inline]
pub fn write_len(enc: &mut Encoder, len: usize, max_len: Option<u32>) -> Result<(), EncodeError> {
    match max_len {
        Some(max) => {
            if len > max as usize {
                return Err(EncodeError::new(EncodeErrorKind::TooLong {
                    len,
                    max: max as usize,
                }));
            }
            enc.write_bits(len as u64, length_bits(max));
        }
        None => {
            if len > u32::MAX as usize {
                return Err(EncodeError::new(EncodeErrorKind::TooLong {
                    len,
                    max: u32::MAX as usize,
                }));
            }
            enc.write_varint(len as u64);
        }
    }
    Ok(())
}

/// Reads a collection length (spec 3). Without `max_len`, elements take at
/// least one bit (schema rule), so a count above the remaining bits is refused
/// before anything is allocated.
#[inline]
pub fn read_len(dec: &mut Decoder<'_>, max_len: Option<u32>) -> Result<usize, DecodeError> {
    let len = match max_len {
        Some(max) => {
            let len = dec.read_bits(length_bits(max))?;
            if len > max as u64 {
                return Err(dec.fail(K::LengthLimit));
            }
            len
        }
        None => {
            let len = dec.read_varint(32)?;
            if len > dec.remaining_bits() {
                return Err(dec.fail(K::LengthLimit));
            }
            len
        }
    };
    Ok(len as usize)
}

/// Most elements [`safe_capacity`] ever preallocates. A count is only a claim
/// until the elements decode: with a bound of one element per remaining bit
/// alone, a 1 MB message claiming 8M `Vec<u64>`s would reserve 192 MB before
/// failing. Longer collections grow as their elements actually decode.
pub const MAX_PREALLOCATED_ELEMENTS: usize = 4096;

/// A capacity to preallocate for `len` elements: never more than the
/// remaining input could hold nor [`MAX_PREALLOCATED_ELEMENTS`], so hostile
/// counts cannot force allocations.
#[inline]
pub fn safe_capacity(dec: &Decoder<'_>, len: usize) -> usize {
    len.min(dec.remaining_bits() as usize)
        .min(MAX_PREALLOCATED_ELEMENTS)
}

/// Writes a string: length, then UTF-8 bytes (spec 3).
pub fn write_str(enc: &mut Encoder, s: &str, max_len: Option<u32>) -> Result<(), EncodeError> {
    write_len(enc, s.len(), max_len)?;
    enc.write_bytes(s.as_bytes());
    Ok(())
}

/// Reads a string (spec 3).
pub fn read_string(dec: &mut Decoder<'_>, max_len: Option<u32>) -> Result<String, DecodeError> {
    let len = read_len(dec, max_len)?;
    let bytes = dec.read_bytes(len)?;
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => Err(dec.fail(K::InvalidUtf8)),
    }
}

/// Writes a byte string: length, then the bytes (spec 3).
pub fn write_byte_string(
    enc: &mut Encoder,
    bytes: &[u8],
    max_len: Option<u32>,
) -> Result<(), EncodeError> {
    write_len(enc, bytes.len(), max_len)?;
    enc.write_bytes(bytes);
    Ok(())
}

/// Reads a byte string (spec 3).
pub fn read_byte_string(
    dec: &mut Decoder<'_>,
    max_len: Option<u32>,
) -> Result<Vec<u8>, DecodeError> {
    let len = read_len(dec, max_len)?;
    Ok(dec.read_bytes(len)?.to_vec())
}

/// Bit width of an enum tag for `variants` variants.
#[inline]
pub const fn tag_bits(variants: u32) -> u32 {
    if variants <= 1 {
        0
    } else {
        32 - (variants - 1).leading_zeros()
    }
}

/// Writes an enum tag (spec 4).
#[inline]
pub fn write_tag(enc: &mut Encoder, index: u32, variants: u32) {
    enc.write_bits(index as u64, tag_bits(variants));
}

/// Reads an enum tag, rejecting indices at or above `variants` (spec 4).
#[inline]
pub fn read_tag(dec: &mut Decoder<'_>, variants: u32) -> Result<u32, DecodeError> {
    let tag = dec.read_bits(tag_bits(variants))? as u32;
    if tag >= variants {
        return Err(dec.fail(K::InvalidTag));
    }
    Ok(tag)
}

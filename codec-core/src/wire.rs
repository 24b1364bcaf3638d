//! The wire primitives of `docs/wire-format.md`: an [`Encoder`] with a byte
//! section growing forward and a bit section growing backward from the end,
//! a [`Decoder`] that reads both and checks they meet, and the field
//! encodings (ranged integers, varints, quantized and half floats, lengths,
//! strings) that derived code calls.

use crate::error::{DecodeError, DecodeErrorKind as K, EncodeError, EncodeErrorKind};
use crate::roblox::Instance;
use skyrocket_schema::Quantize;

/// Canonical binary32 NaN (spec section 2).
pub const CANONICAL_NAN_F32: u32 = 0x7FC0_0000;
/// Canonical binary64 NaN (spec section 2).
pub const CANONICAL_NAN_F64: u64 = 0x7FF8_0000_0000_0000;
/// Canonical binary16 NaN (spec section 2.3).
pub const CANONICAL_NAN_F16: u16 = 0x7E00;

/// Writes one message. Create, write the value, then [`Encoder::finish`].
///
/// The bit section is accumulated LSB-first in a `u64` and stored a whole
/// word at a time (stream bit `i` is bit `i % 64` of word `i / 64`);
/// [`Encoder::finish`] appends the words' bytes in reverse order.
///
/// The buffers are kept fully initialized (`len == capacity`, zeroed spare
/// room) with separate cursors, and grow only through by-value calls
/// ([`grow_zeroed`]): no call ever receives a pointer into the encoder, so
/// once a value's `encode` is inlined the cursors and the bit accumulator
/// live in registers instead of being stored and reloaded on every field.
#[derive(Debug, Default)]
pub struct Encoder {
    /// Byte section: `bytes[..byte_len]` is written, the rest is zeroed room.
    bytes: Vec<u8>,
    byte_len: usize,
    /// Completed 64-bit words of the bit section, in stream order:
    /// `bit_words[..word_len]`.
    bit_words: Vec<u64>,
    word_len: usize,
    /// The stream's bits after the completed words (the low `acc_bits`).
    acc: u64,
    /// Bits held in `acc`, always below 64.
    acc_bits: u32,
    instances: Vec<Instance>,
}

/// Most bytes [`Encoder::for_size`] allocates per buffer before any write.
pub const MAX_PREALLOCATED_BYTES: usize = 16 * 1024;

/// `v` grown (zero-filled) to at least `min_len` elements, doubling; out of
/// line and by value so callers never hand out a pointer into an [`Encoder`].
#[cold]
#[inline(never)]
fn grow_zeroed<T: Copy + Default>(mut v: Vec<T>, min_len: usize) -> Vec<T> {
    let len = min_len.max(v.len() * 2).max(64 / std::mem::size_of::<T>());
    v.resize(len, T::default());
    v
}

impl Encoder {
    /// An empty encoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty encoder with room for `bytes` byte-section bytes.
    pub fn with_capacity(bytes: usize) -> Self {
        Encoder {
            bytes: vec![0; bytes],
            ..Self::default()
        }
    }

    /// An empty encoder with room for a value of about `hint`'s size: the
    /// byte section's buffer also has room for the bit section's bytes, so
    /// [`Encoder::finish`] appends them without reallocating.
    ///
    ///
    /// Only messages up to [`MAX_PREALLOCATED_BYTES`] are allocated up front;
    /// larger ones grow as with [`Encoder::new`] (their growth is cheap next
    /// to their encoding, and measured slower when preallocated: a large
    /// zeroed allocation per message costs page faults).
    #[inline]
    pub fn for_size(hint: crate::codec::SizeHint) -> Self {
        let bit_bytes = hint.bits.div_ceil(8);
        let bytes = hint.bytes.saturating_add(bit_bytes);
        if bytes > MAX_PREALLOCATED_BYTES {
            return Self::new();
        }
        Encoder {
            bytes: vec![0; bytes],
            // Whole words are stored once 64 bits are complete: `bits / 64`.
            bit_words: vec![0; hint.bits / 64],
            ..Self::default()
        }
    }

    /// Appends `n` little-endian bytes of `value` to the byte section.
    #[inline]
    pub fn write_le(&mut self, value: u64, n: usize) {
        self.write_bytes(&value.to_le_bytes()[..n]);
    }

    /// Appends one byte to the byte section.
    #[inline]
    pub fn write_u8(&mut self, v: u8) {
        self.write_bytes(&[v]);
    }

    /// Appends a little-endian `u16`.
    #[inline]
    pub fn write_u16(&mut self, v: u16) {
        self.write_bytes(&v.to_le_bytes());
    }

    /// Appends a little-endian `u32`.
    #[inline]
    pub fn write_u32(&mut self, v: u32) {
        self.write_bytes(&v.to_le_bytes());
    }

    /// Appends a little-endian `u64`.
    #[inline]
    pub fn write_u64(&mut self, v: u64) {
        self.write_bytes(&v.to_le_bytes());
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
        let start = self.byte_len;
        let end = start + bytes.len();
        if end > self.bytes.len() {
            self.bytes = grow_zeroed(std::mem::take(&mut self.bytes), end);
        }
        self.bytes[start..end].copy_from_slice(bytes);
        self.byte_len = end;
    }

    /// Appends `N` bytes per item, `record(item)`, to the byte section: the
    /// same bytes as `write_bytes(&record(item))` on each, with one capacity
    /// check for all of them (derived `encode_slice` of byte-only structs).
    #[inline]
    pub fn write_byte_records<T, const N: usize>(
        &mut self,
        items: &[T],
        record: impl Fn(&T) -> [u8; N],
    ) {
        let start = self.byte_len;
        let end = start + items.len() * N;
        if end > self.bytes.len() {
            self.bytes = grow_zeroed(std::mem::take(&mut self.bytes), end);
        }
        let (chunks, _) = self.bytes[start..end].as_chunks_mut::<N>();
        for (chunk, item) in chunks.iter_mut().zip(items) {
            *chunk = record(item);
        }
        self.byte_len = end;
    }

    /// Appends the low `n` bits of `value` (n <= 64) to the bit section.
    #[inline]
    pub fn write_bits(&mut self, value: u64, n: u32) {
        debug_assert!(n <= 64);
        debug_assert!(n == 64 || value >> n == 0, "value wider than {n} bits");
        let used = self.acc_bits;
        self.acc |= value << used;
        let total = used + n;
        if total >= 64 {
            if self.word_len == self.bit_words.len() {
                self.bit_words =
                    grow_zeroed(std::mem::take(&mut self.bit_words), self.word_len + 1);
            }
            self.bit_words[self.word_len] = self.acc;
            self.word_len += 1;
            // The bits of `value` that did not fit: `value >> (64 - used)`,
            // written so that `used == 0` shifts everything out.
            self.acc = (value >> 1) >> (63 - used);
            self.acc_bits = total - 64;
        } else {
            self.acc_bits = total;
        }
    }

    /// Appends one bool to the bit section.
    #[inline]
    pub fn write_bool(&mut self, v: bool) {
        self.write_bits(v as u64, 1);
    }

    /// Appends many bools to the bit section, one bit each, in order: the
    /// same bits as [`Encoder::write_bool`] on each, 64 at a time.
    #[inline]
    pub fn write_bools(&mut self, values: &[bool]) {
        if values.len() <= 64 {
            // Short (a `[bool; N]` field): one write, unrolled when inlined.
            self.write_bits(pack_bools(values), values.len() as u32);
        } else {
            self.write_many_bools(values);
        }
    }

    fn write_many_bools(&mut self, values: &[bool]) {
        let mut words = values.chunks_exact(64);
        for chunk in &mut words {
            let mut word = 0u64;
            for (k, eight) in chunk.chunks_exact(8).enumerate() {
                word |= pack8(eight) << (8 * k);
            }
            self.write_bits(word, 64);
        }
        let rest = words.remainder();
        let mut word = 0u64;
        for (k, &b) in rest.iter().enumerate() {
            word |= (b as u64) << k;
        }
        self.write_bits(word, rest.len() as u32);
    }

    /// Appends an unsigned varint (spec 2.2) to the bit section.
    #[inline]
    pub fn write_varint(&mut self, v: u64) {
        if v < 0x80 {
            self.write_bits(v, 8);
        } else if v < 1 << 56 {
            // Up to 8 groups: all of them in one write of 8 bits each.
            let (groups, bits) = varint_groups(v);
            self.write_bits(groups, bits);
        } else {
            self.write_bits(spread_groups(v) | 0x8080_8080_8080_8080, 64);
            let rest = v >> 56;
            if rest < 0x80 {
                self.write_bits(rest, 8);
            } else {
                self.write_bits((rest & 0x7F) | 0x80, 8);
                self.write_bits(rest >> 7, 8);
            }
        }
    }

    /// Appends a zigzag-mapped signed varint (spec 2.2).
    pub fn write_signed_varint(&mut self, v: i64) {
        self.write_varint(((v << 1) ^ (v >> 63)) as u64);
    }

    /// Records an instance reference in the side table (spec 5.2).
    pub fn push_instance(&mut self, instance: Instance) {
        // Through a local, so the push's growth path never sees the encoder.
        let mut instances = std::mem::take(&mut self.instances);
        instances.push(instance);
        self.instances = instances;
    }

    /// Bytes written to the byte section so far.
    pub fn byte_len(&self) -> usize {
        self.byte_len
    }

    /// Bits written to the bit section so far.
    pub fn bit_len(&self) -> u64 {
        self.word_len as u64 * 64 + self.acc_bits as u64
    }

    /// The message: byte section, then the bit section's bytes reversed.
    #[inline]
    pub fn finish(self) -> Vec<u8> {
        self.finish_with_instances().0
    }

    /// The message and its instance side table.
    #[inline]
    pub fn finish_with_instances(self) -> (Vec<u8>, Vec<Instance>) {
        // Taken apart here, inline, so the encoder itself never has its
        // address taken: its bit accumulator can then live in a register
        // while the value is written.
        let Encoder {
            mut bytes,
            byte_len,
            bit_words,
            word_len,
            acc,
            acc_bits,
            instances,
        } = self;
        bytes.truncate(byte_len);
        (
            join_sections(bytes, bit_words, word_len, acc, acc_bits),
            instances,
        )
    }
}

/// Appends the bit section to the byte section: the stream's last bytes come
/// first, so the partial word (high byte first), then the whole words from
/// the last one, each high byte first.
#[inline(never)]
fn join_sections(
    mut out: Vec<u8>,
    words: Vec<u64>,
    word_len: usize,
    acc: u64,
    acc_bits: u32,
) -> Vec<u8> {
    let words = &words[..word_len];
    let tail = acc_bits.div_ceil(8) as usize;
    let start = out.len();
    // Within the capacity `Encoder::for_size` reserved when the hint was right.
    out.resize(start + tail + words.len() * 8, 0);
    let (partial, whole) = out[start..].split_at_mut(tail);
    partial.copy_from_slice(&acc.to_be_bytes()[8 - tail..]);
    for (chunk, word) in whole
        .as_chunks_mut::<8>()
        .0
        .iter_mut()
        .zip(words.iter().rev())
    {
        *chunk = word.to_be_bytes();
    }
    out
}

/// The varint groups of `v < 2^56` (spec 2.2) as one little-endian run of
/// bytes, continuation bits set, and its length in bits.
#[inline]
fn varint_groups(v: u64) -> (u64, u32) {
    debug_assert!(v < 1 << 56);
    let n = (64 - (v | 1).leading_zeros()).div_ceil(7);
    let continuation = 0x8080_8080_8080_8080u64 & ((1u64 << (8 * (n - 1))) - 1);
    (spread_groups(v) | continuation, 8 * n)
}

/// The low 56 bits of `v` as eight 7-bit groups, one per byte (constant
/// shifts instead of a loop per group).
#[inline]
fn spread_groups(v: u64) -> u64 {
    let mut spread = 0u64;
    for k in 0..8 {
        spread |= (v << k) & (0x7F << (8 * k));
    }
    spread
}

/// Packs 8 bools into a byte, the first in bit 0.
#[inline]
fn pack8(bools: &[bool]) -> u64 {
    let bytes: [u8; 8] = std::array::from_fn(|k| bools[k] as u8);
    // Each byte is 0 or 1; the multiply moves byte k's bit to bit 56 + k
    // (no two partial products overlap, so nothing carries).
    (u64::from_le_bytes(bytes).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Reads one message. Decode the value, then call [`Decoder::finish`].
#[derive(Debug)]
pub struct Decoder<'a> {
    input: &'a [u8],
    byte_pos: usize,
    /// Where the byte section must stop: `input.len()` minus the bytes the
    /// bit section has touched (`ceil(bit_pos / 8)`).
    byte_limit: usize,
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
            byte_limit: input.len(),
            bit_pos: 0,
            depth: 0,
            instances,
            next_instance: 0,
        }
    }

    // Errors are built out of line from the cursor values, not from `&self`:
    // a call that receives a pointer to the decoder would keep its cursors in
    // memory for the whole decode (see `Encoder`).
    #[inline(always)]
    fn error(&self, kind: K) -> DecodeError {
        decode_error(kind, self.byte_pos, self.bit_pos)
    }

    /// Builds an error of `kind` at the current position.
    #[inline(always)]
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
        // `byte_pos <= byte_limit <= input.len()` always holds.
        if n > self.byte_limit - self.byte_pos {
            return Err(self.error(K::UnexpectedEnd));
        }
        let start = self.byte_pos;
        // Never `None` (checked above); `get` keeps panics out of the hot path.
        let Some(bytes) = self.input.get(start..start + n) else {
            return Err(self.error(K::UnexpectedEnd));
        };
        self.byte_pos = start + n;
        Ok(bytes)
    }

    /// Takes `N` bytes from the byte section as an array.
    #[inline]
    pub fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        if N > self.byte_limit - self.byte_pos {
            return Err(self.error(K::UnexpectedEnd));
        }
        let start = self.byte_pos;
        // Never `None` (checked above); `get` keeps panics out of the hot path,
        // so the cursor can stay in a register across consecutive reads.
        let Some(bytes) = self.input.get(start..).and_then(|b| b.first_chunk::<N>()) else {
            return Err(self.error(K::UnexpectedEnd));
        };
        self.byte_pos = start + N;
        Ok(*bytes)
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
    #[inline(always)]
    pub fn read_bits(&mut self, n: u32) -> Result<u64, DecodeError> {
        debug_assert!(n <= 64);
        if n == 0 {
            return Ok(0);
        }
        let pos = self.bit_pos;
        let end = pos + n as u64;
        let touched = Self::bit_section_bytes(end);
        // `byte_pos <= input.len()` always holds.
        if touched > self.input.len() - self.byte_pos {
            return Err(self.error(K::UnexpectedEnd));
        }
        // Index of the byte holding stream bit `pos`; the check above makes
        // it valid. Stream bytes run backward, so a big-endian load of the 8
        // bytes ending there puts the stream in LSB-first order.
        let first = self.input.len() - 1 - (pos >> 3) as usize;
        let value = if n <= 57 && first >= 7 {
            let bytes: [u8; 8] = self.input[first - 7..=first].try_into().expect("8 bytes");
            (u64::from_be_bytes(bytes) >> (pos & 7)) & ((1u64 << n) - 1)
        } else {
            peek_bits_slow(self.input, pos, n)
        };
        self.bit_pos = end;
        self.byte_limit = self.input.len() - touched;
        Ok(value)
    }

    /// Reads `len` bools from the bit section (one bit each, as
    /// [`Decoder::read_bool`] would) and appends them to `out`.
    pub fn read_bools(&mut self, len: usize, out: &mut Vec<bool>) -> Result<(), DecodeError> {
        if len as u64 > self.remaining_bits() {
            return Err(self.error(K::UnexpectedEnd));
        }
        out.reserve(len);
        let mut left = len;
        while left > 0 {
            let n = left.min(56);
            let mut bits = self.read_bits(n as u32)?;
            for _ in 0..n / 8 {
                out.extend_from_slice(&unpack8(bits as u8));
                bits >>= 8;
            }
            for k in 0..n % 8 {
                out.push((bits >> k) & 1 == 1);
            }
            left -= n;
        }
        Ok(())
    }

    /// Reads one bool from the bit section.
    #[inline]
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        Ok(self.read_bits(1)? == 1)
    }

    /// Reads an unsigned varint that must fit in `type_bits` bits.
    #[inline]
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
    #[inline]
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

/// Unpacks a byte into 8 bools, bit 0 first.
#[inline]
fn unpack8(byte: u8) -> [bool; 8] {
    // Copy the byte into every lane, keep bit k in lane k, then turn each
    // lane into 0 or 1 (adding 0x7F sets a lane's top bit iff it is nonzero;
    // lanes are at most 0x80, so nothing carries into the next one).
    let lanes = (byte as u64).wrapping_mul(0x0101_0101_0101_0101) & 0x8040_2010_0804_0201;
    let ones = ((lanes + 0x7F7F_7F7F_7F7F_7F7F) >> 7) & 0x0101_0101_0101_0101;
    ones.to_le_bytes().map(|b| b != 0)
}

/// Bits of a `max_len = M` length field, `ceil(log2(M + 1))`: the schema's
/// `length_bits`, here so that it folds for a constant `max_len`.
#[inline(always)]
const fn length_bits(max_len: u32) -> u32 {
    32 - max_len.leading_zeros()
}

/// Whether a field of this many bits goes to the byte section (spec 1).
#[inline(always)]
const fn byte_width(bits: u32) -> bool {
    matches!(bits, 8 | 16 | 32 | 64)
}

/// A decode error at the given cursors.
#[cold]
#[inline(never)]
fn decode_error(kind: K, byte_pos: usize, bit_pos: u64) -> DecodeError {
    DecodeError::new(kind, byte_pos, bit_pos)
}

/// [`Decoder::read_bits`] for the rare cases: more than 57 bits, or bits
/// within the first 7 bytes of the input. Already bounds-checked.
#[inline(never)]
fn peek_bits_slow(input: &[u8], pos: u64, n: u32) -> u64 {
    let mut value = 0u64;
    for k in 0..n as u64 {
        let i = pos + k;
        let byte = input[input.len() - 1 - (i >> 3) as usize];
        value |= (((byte >> (i & 7)) & 1) as u64) << k;
    }
    value
}

/// Writes a field of `bits` width holding `value`: byte section for 8, 16,
/// 32 and 64 bits, bit section otherwise (spec 2.1).
#[inline(always)]
pub fn write_sized(enc: &mut Encoder, value: u64, bits: u32) {
    if byte_width(bits) {
        enc.write_le(value, (bits / 8) as usize);
    } else {
        enc.write_bits(value, bits);
    }
}

/// Reads a field written by [`write_sized`].
#[inline(always)]
pub fn read_sized(dec: &mut Decoder<'_>, bits: u32) -> Result<u64, DecodeError> {
    if byte_width(bits) {
        dec.read_le((bits / 8) as usize)
    } else {
        dec.read_bits(bits)
    }
}

/// Bit width of a `lo..=hi` ranged integer.
#[inline(always)]
pub const fn range_bits(lo: i128, hi: i128) -> u32 {
    let count = (hi - lo) as u128 + 1;
    if count <= 1 {
        0
    } else {
        128 - (count - 1).leading_zeros()
    }
}

/// Writes `value` declared `range = lo..=hi` (spec 2.1).
#[inline(always)]
pub fn write_range(enc: &mut Encoder, value: i128, lo: i128, hi: i128) -> Result<(), EncodeError> {
    write_sized(enc, range_offset(value, lo, hi)?, range_bits(lo, hi));
    Ok(())
}

/// The offset `value - lo` a `range = lo..=hi` field writes (spec 2.1), for
/// derived code that combines several bit fields into one write.
#[inline(always)]
pub fn range_offset(value: i128, lo: i128, hi: i128) -> Result<u64, EncodeError> {
    if value < lo || value > hi {
        return Err(EncodeError::new(EncodeErrorKind::OutOfRange {
            value,
            lo,
            hi,
        }));
    }
    Ok((value - lo) as u64)
}

/// Up to 64 bools as the bits [`Encoder::write_bools`] writes for them: the
/// first in bit 0.
#[inline(always)]
pub fn pack_bools(values: &[bool]) -> u64 {
    debug_assert!(values.len() <= 64);
    let mut word = 0u64;
    for (k, &b) in values.iter().enumerate() {
        word |= (b as u64) << (k & 63);
    }
    word
}

/// Reads a `range = lo..=hi` integer (spec 2.1).
#[inline(always)]
pub fn read_range(dec: &mut Decoder<'_>, lo: i128, hi: i128) -> Result<i128, DecodeError> {
    let offset = read_sized(dec, range_bits(lo, hi))? as i128;
    if offset > hi - lo {
        return Err(dec.fail(K::OutOfRange));
    }
    Ok(lo + offset)
}

/// `Quantize::levels` inlined: `floor((max - min) / step + 0.5) + 1`, where
/// the conversion to `u64` does the floor (the value is never negative for a
/// valid quantization, and `as` gives 0 for negatives and NaN, as floor +
/// `as` does). Inlined so constant parameters fold away in derived code.
#[inline(always)]
fn quantize_levels(q: &Quantize) -> u64 {
    ((q.max - q.min) / q.step + 0.5) as u64 + 1
}

/// `Quantize::bits` inlined: `ceil(log2(levels))`.
#[inline(always)]
fn quantize_bits(levels: u64) -> u32 {
    if levels <= 1 {
        0
    } else {
        64 - (levels - 1).leading_zeros()
    }
}

/// The quantized level of `value` (spec 2.3), in binary64 in the spec's order.
#[inline(always)]
pub fn quantize_level(value: f64, q: &Quantize) -> u64 {
    level_below(value, q, quantize_levels(q) - 1)
}

/// `clamp(floor((value - min) / step + 0.5), 0, top)`, NaN giving 0. With
/// `x = (value - min) / step + 0.5`: `floor(x) >= top` exactly when
/// `x >= top` (an integer), `floor(x) <= 0` exactly when `x < 1` (or NaN),
/// and in between `floor(x)` is `x` truncated, which `as` does without a
/// libm call (`f64::floor` is one on baseline x86-64).
#[inline(always)]
fn level_below(value: f64, q: &Quantize, top: u64) -> u64 {
    let x = (value - q.min) / q.step + 0.5;
    if x >= top as f64 {
        top
    } else if x >= 1.0 {
        if top <= i64::MAX as u64 {
            // Same value; the signed conversion is one instruction on x86-64
            // (this test folds away for a constant quantization).
            x as i64 as u64
        } else {
            x as u64
        }
    } else {
        // Below 1, or NaN.
        0
    }
}

/// Writes a quantized float (spec 2.3).
#[inline(always)]
pub fn write_quantized(enc: &mut Encoder, value: f64, q: &Quantize) {
    let levels = quantize_levels(q);
    write_sized(
        enc,
        level_below(value, q, levels - 1),
        quantize_bits(levels),
    );
}

/// Reads a quantized float as binary64 (spec 2.3).
#[inline(always)]
pub fn read_quantized(dec: &mut Decoder<'_>, q: &Quantize) -> Result<f64, DecodeError> {
    let levels = quantize_levels(q);
    let level = read_sized(dec, quantize_bits(levels))?;
    if level >= levels {
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
#[inline(always)]
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
#[inline(always)]
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
#[inline(always)]
pub const fn tag_bits(variants: u32) -> u32 {
    if variants <= 1 {
        0
    } else {
        32 - (variants - 1).leading_zeros()
    }
}

/// Writes an enum tag (spec 4).
#[inline(always)]
pub fn write_tag(enc: &mut Encoder, index: u32, variants: u32) {
    enc.write_bits(index as u64, tag_bits(variants));
}

/// Reads an enum tag, rejecting indices at or above `variants` (spec 4).
#[inline(always)]
pub fn read_tag(dec: &mut Decoder<'_>, variants: u32) -> Result<u32, DecodeError> {
    let tag = dec.read_bits(tag_bits(variants))? as u32;
    if tag >= variants {
        return Err(dec.fail(K::InvalidTag));
    }
    Ok(tag)
}

#[cfg(test)]
mod tests {
    //! The word-at-a-time bit paths against a bit-by-bit model of spec 1.
    use super::*;

    /// xorshift64*: deterministic, no dependencies.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Spec 1 literally: bit `i` of the stream is bit `i mod 8` of byte
    /// `len - 1 - i / 8`, after the byte section.
    fn model(bytes: &[u8], fields: &[(u64, u32)]) -> Vec<u8> {
        let stream: Vec<bool> = fields
            .iter()
            .flat_map(|&(v, n)| (0..n).map(move |k| (v >> k) & 1 == 1))
            .collect();
        let bit_bytes = stream.len().div_ceil(8);
        let mut out = bytes.to_vec();
        out.resize(bytes.len() + bit_bytes, 0);
        let len = out.len();
        for (i, &bit) in stream.iter().enumerate() {
            out[len - 1 - i / 8] |= (bit as u8) << (i % 8);
        }
        out
    }

    fn mask(n: u32) -> u64 {
        if n == 64 {
            u64::MAX
        } else {
            (1 << n) - 1
        }
    }

    /// Spec 2.2 group by group: 7 bits per 8-bit group, low groups first,
    /// bit 7 set on every group but the last.
    fn varint_model(mut v: u64) -> Vec<(u64, u32)> {
        let mut groups = vec![];
        loop {
            let group = v & 0x7F;
            v >>= 7;
            if v == 0 {
                groups.push((group, 8));
                return groups;
            }
            groups.push((group | 0x80, 8));
        }
    }

    #[test]
    fn varints_match_the_model_at_every_group_count_and_read_back() {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        let mut values = vec![0, 1, u64::MAX, u64::MAX - 1];
        for k in 1..=9 {
            let edge = 1u64 << (7 * k);
            values.extend([edge - 1, edge, edge + 1]);
        }
        for _ in 0..3000 {
            let width = rng.below(65) as u32;
            values.push(rng.next() & mask(width));
        }
        for (i, &v) in values.iter().enumerate() {
            // After 0-63 bits, so the groups straddle the 64-bit words.
            let lead = (i % 64) as u32;
            let mut enc = Encoder::new();
            enc.write_bits(0, lead);
            enc.write_varint(v);
            let mut fields = vec![(0, lead)];
            fields.extend(varint_model(v));
            let bytes = enc.finish();
            assert_eq!(bytes, model(&[], &fields), "varint {v} after {lead} bits");
            let mut dec = Decoder::new(&bytes);
            assert_eq!(dec.read_bits(lead).ok(), Some(0));
            assert_eq!(dec.read_varint(64).ok(), Some(v), "varint {v} read back");
        }
    }

    #[test]
    fn bit_fields_match_the_model_and_read_back() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..2000 {
            let count = rng.below(if round < 1000 { 6 } else { 40 }) as usize;
            let byte_count = rng.below(12) as usize;
            let bytes: Vec<u8> = (0..byte_count).map(|_| rng.next() as u8).collect();
            let fields: Vec<(u64, u32)> = (0..count)
                .map(|_| {
                    let n = match rng.below(4) {
                        0 => 1,
                        1 => rng.below(65) as u32,
                        2 => 57 + rng.below(8) as u32,
                        _ => rng.below(20) as u32,
                    };
                    (rng.next() & mask(n), n)
                })
                .collect();
            let mut enc = Encoder::new();
            enc.write_bytes(&bytes);
            for &(v, n) in &fields {
                enc.write_bits(v, n);
            }
            let total: u64 = fields.iter().map(|&(_, n)| n as u64).sum();
            assert_eq!(enc.bit_len(), total);
            let out = enc.finish();
            assert_eq!(out, model(&bytes, &fields), "fields {fields:?}");

            let mut dec = Decoder::new(&out);
            assert_eq!(dec.read_bytes(byte_count).unwrap(), &bytes[..]);
            for &(v, n) in &fields {
                assert_eq!(dec.read_bits(n).unwrap(), v, "width {n}");
            }
            dec.finish().unwrap();
            // One bit more than there is must fail, and not move the cursor.
            let mut dec = Decoder::new(&out);
            dec.read_bytes(byte_count).unwrap();
            for &(_, n) in &fields {
                dec.read_bits(n).unwrap();
            }
            let spare = (out.len() - byte_count) as u64 * 8 - total;
            assert!(dec.read_bits(spare as u32 + 1).is_err());
            assert!(dec.read_bytes(1).is_err());
        }
    }

    #[test]
    fn bulk_bools_match_one_by_one() {
        let mut rng = Rng(7);
        for len in (0..300).chain([1000, 4096 + 3]) {
            let lead = rng.below(65) as u32;
            let lead_value = rng.next() & mask(lead);
            let values: Vec<bool> = (0..len).map(|_| rng.next() & 1 == 1).collect();

            let mut one = Encoder::new();
            one.write_bits(lead_value, lead);
            for &b in &values {
                one.write_bool(b);
            }
            let mut bulk = Encoder::new();
            bulk.write_bits(lead_value, lead);
            bulk.write_bools(&values);
            let bytes = one.finish();
            assert_eq!(bulk.finish(), bytes, "len {len}");

            let mut dec = Decoder::new(&bytes);
            assert_eq!(dec.read_bits(lead).unwrap(), lead_value);
            let mut got = Vec::new();
            dec.read_bools(len, &mut got).unwrap();
            assert_eq!(got, values);
            dec.finish().unwrap();

            let mut dec = Decoder::new(&bytes);
            dec.read_bits(lead).unwrap();
            let spare = bytes.len() as u64 * 8 - lead as u64;
            assert!(dec.read_bools(spare as usize + 1, &mut Vec::new()).is_err());
        }
    }

    #[test]
    fn quantize_level_matches_the_floor_formula() {
        let reference = |value: f64, q: &Quantize| -> u64 {
            let level = ((value - q.min) / q.step + 0.5).floor();
            let top = (q.levels() - 1) as f64;
            if level.is_nan() || level <= 0.0 {
                0
            } else if level >= top {
                top as u64
            } else {
                level as u64
            }
        };
        let qs = [
            Quantize {
                min: -2048.0,
                max: 2048.0,
                step: 0.015625,
            },
            Quantize {
                min: 0.0,
                max: std::f64::consts::TAU,
                step: std::f64::consts::TAU / 1024.0,
            },
            Quantize {
                min: -1.0,
                max: 1.0,
                step: 1.0 / 127.0,
            },
            Quantize {
                min: 3.0,
                max: 3.0,
                step: 1.0,
            },
            Quantize {
                min: 0.0,
                max: 1.0,
                step: 0.3,
            },
        ];
        let mut rng = Rng(11);
        for q in &qs {
            assert_eq!(quantize_levels(q), q.levels());
            assert_eq!(quantize_bits(q.levels()), q.bits());
            let span = q.max - q.min;
            let mut values = vec![
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                -0.0,
                0.0,
                q.min,
                q.max,
                q.min - q.step / 2.0,
                q.max + q.step / 2.0,
            ];
            for k in 0..q.levels() {
                let v = q.min + k as f64 * q.step;
                values.extend([v, v + q.step / 2.0, v - q.step / 2.0]);
                values.extend([(v + q.step / 2.0).next_down(), (v + q.step / 2.0).next_up()]);
                if k > 50 {
                    break;
                }
            }
            for _ in 0..10_000 {
                let unit = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
                values.push(q.min - span * 0.1 + unit * span * 1.2);
            }
            for v in values {
                assert_eq!(quantize_level(v, q), reference(v, q), "{v} in {q:?}");
            }
        }
    }

    #[test]
    fn local_width_helpers_match_the_schema() {
        for max in (0..5000).chain([u32::MAX / 2, u32::MAX - 1, u32::MAX]) {
            assert_eq!(
                length_bits(max),
                skyrocket_schema::length_bits(max),
                "{max}"
            );
        }
        for bits in 0..=64 {
            assert_eq!(byte_width(bits), skyrocket_schema::is_byte_width(bits));
        }
    }

    #[test]
    fn pack_and_unpack_every_byte() {
        for byte in 0..=255u8 {
            let bools = unpack8(byte);
            for (k, &b) in bools.iter().enumerate() {
                assert_eq!(b, (byte >> k) & 1 == 1);
            }
            assert_eq!(pack8(&bools), byte as u64);
        }
    }
}

#[cfg(test)]
mod section_tests {
    //! Encoder bookkeeping and the two-section layout of spec 1, by hand.
    use super::*;

    #[test]
    fn byte_len_and_bit_len_track_each_section() {
        let mut enc = Encoder::new();
        assert_eq!((enc.byte_len(), enc.bit_len()), (0, 0));
        enc.write_u16(7);
        assert_eq!((enc.byte_len(), enc.bit_len()), (2, 0));
        enc.write_bits(5, 3);
        assert_eq!((enc.byte_len(), enc.bit_len()), (2, 3));
        enc.write_varint(300); // two 8-bit groups
        assert_eq!((enc.byte_len(), enc.bit_len()), (2, 19));
        enc.write_f64(1.0);
        enc.write_bytes(b"ab");
        assert_eq!((enc.byte_len(), enc.bit_len()), (12, 19));
        enc.write_bits(u64::MAX, 64);
        enc.write_bool(true);
        assert_eq!((enc.byte_len(), enc.bit_len()), (12, 84));
        // Zero-width writes change nothing.
        enc.write_bits(0, 0);
        assert_eq!(enc.bit_len(), 84);
        // byte_count + ceil(bit_count / 8).
        assert_eq!(enc.finish().len(), 12 + 11);
    }

    #[test]
    fn empty_and_whole_byte_bit_sections() {
        assert!(Encoder::new().finish().is_empty());
        // Exactly 16 bits: two bytes, no padding byte.
        let mut enc = Encoder::new();
        enc.write_bits(0x1234, 16);
        assert_eq!(enc.finish(), [0x12, 0x34]);
        // 17 bits: a third byte, at the front of the bit section.
        let mut enc = Encoder::new();
        enc.write_bits(0x1_1234, 17);
        assert_eq!(enc.finish(), [0x01, 0x12, 0x34]);
    }

    #[test]
    fn sections_interleave_by_kind_not_by_order() {
        let mut enc = Encoder::new();
        enc.write_u8(0xAA);
        enc.write_bits(1, 1);
        enc.write_u16(0x1234);
        enc.write_bits(0x1FF, 9);
        enc.write_bits(0xABCD, 16);
        // Byte section: aa 34 12. Bit stream: 1 | 0x1ff << 1 | 0xabcd << 10
        // = 0x2af37ff, 26 bits -> stream bytes ff 37 af 02, laid out
        // backwards from the end: 02 af 37 ff.
        let bytes = enc.finish();
        assert_eq!(bytes, [0xAA, 0x34, 0x12, 0x02, 0xAF, 0x37, 0xFF]);

        // The decoder reads the two sections in the same interleaved order.
        let mut dec = Decoder::new(&bytes);
        assert_eq!(dec.remaining_bits(), 56);
        assert_eq!(dec.read_u8().unwrap(), 0xAA);
        assert_eq!(dec.read_bits(1).unwrap(), 1);
        assert_eq!(dec.remaining_bits(), 56 - 8 - 1);
        assert_eq!(dec.read_u16().unwrap(), 0x1234);
        assert_eq!(dec.read_bits(9).unwrap(), 0x1FF);
        assert_eq!(dec.read_bits(16).unwrap(), 0xABCD);
        assert_eq!(dec.remaining_bits(), 6); // the padding bits
                                             // The byte section cannot take a byte the bit section has touched.
        assert_eq!(
            dec.read_u8().unwrap_err().kind(),
            crate::DecodeErrorKind::UnexpectedEnd
        );
        dec.finish().unwrap();

        // Stopping early leaves the cursors apart.
        let mut dec = Decoder::new(&bytes);
        dec.read_u8().unwrap();
        assert_eq!(
            dec.finish().unwrap_err().kind(),
            crate::DecodeErrorKind::TrailingBytes
        );
    }

    #[test]
    fn binary16_conversions_are_exact_inverses() {
        for bits in 0..=u16::MAX {
            let v = f16_bits_to_f64(bits);
            let is_nan = bits & 0x7C00 == 0x7C00 && bits & 0x03FF != 0;
            assert_eq!(v.is_nan(), is_nan, "{bits:#06x}");
            if is_nan {
                assert_eq!(f64_to_f16_bits(v), CANONICAL_NAN_F16);
            } else {
                assert_eq!(f64_to_f16_bits(v), bits, "{bits:#06x} = {v:e}");
                // Also exact from binary32, as an `f32` field converts.
                assert_eq!(f64_to_f16_bits(v as f32 as f64), bits);
            }
        }
        assert_eq!(f16_bits_to_f64(0x0001), 2f64.powi(-24));
        assert_eq!(f16_bits_to_f64(0x3555), 0.333251953125);
        assert_eq!(f16_bits_to_f64(0xFBFF), -65504.0);
        assert!(f16_bits_to_f64(0x8000).is_sign_negative());
    }
}

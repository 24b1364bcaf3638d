//! The [`NetCodec`] trait and its implementations for the standard types,
//! each with the default encoding of `docs/wire-format.md`.

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::wire::{self, Decoder, Encoder};
use skyrocket_schema::{CollectionKind, FloatEncoding, FloatTy, IntEncoding, IntTy, Schema, Ty};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;

/// A type with a Skyrocket wire encoding. Derive it with
/// `#[derive(NetCodec)]`; the standard types below implement it with their
/// default encodings.
pub trait NetCodec: Sized {
    /// Writes `self` into `enc`.
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError>;

    /// Reads a value from `dec`. Never panics on any input.
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError>;

    /// Registers the named types `Self` uses in `schema` and returns the wire
    /// type of `Self`.
    fn describe(schema: &mut Schema) -> Ty;

    /// An estimate of the size `self` encodes to, which [`NetCodec::to_bytes`]
    /// uses to allocate the encoder's buffers once instead of growing them.
    /// Only a hint: a wrong one costs a reallocation, never wrong bytes.
    /// Derived types and the standard types give the exact size of their
    /// fixed-width parts; the default is empty.
    #[inline]
    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }

    /// Encodes many values in a row; types with a faster bulk form override it.
    fn encode_slice(items: &[Self], enc: &mut Encoder) -> Result<(), EncodeError> {
        for (i, item) in items.iter().enumerate() {
            item.encode(enc).map_err(|e| e.in_index(i))?;
        }
        Ok(())
    }

    /// Decodes `len` values in a row (a collection's elements, after its
    /// length); types with a faster bulk form override it.
    fn decode_many(dec: &mut Decoder<'_>, len: usize) -> Result<Vec<Self>, DecodeError> {
        decode_each(dec, len)
    }

    /// Encodes `self` as one whole message.
    fn to_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let mut enc = Encoder::for_size(self.size_hint());
        self.encode(&mut enc)?;
        Ok(enc.finish())
    }

    /// Decodes one whole message: the cursors must meet exactly (spec 6).
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut dec = Decoder::new(bytes);
        let value = Self::decode(&mut dec)?;
        dec.finish()?;
        Ok(value)
    }

    /// The schema of `Self`: every named type it uses, and its own wire type.
    fn schema() -> (Schema, Ty) {
        let mut schema = Schema::default();
        let ty = Self::describe(&mut schema);
        (schema, ty)
    }
}

/// Estimated encoded size of a value, per section (see [`NetCodec::size_hint`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SizeHint {
    /// Bytes in the byte section.
    pub bytes: usize,
    /// Bits in the bit section.
    pub bits: usize,
}

impl SizeHint {
    /// A hint of `bytes` byte-section bytes and `bits` bit-section bits.
    #[inline(always)]
    pub const fn new(bytes: usize, bits: usize) -> Self {
        SizeHint { bytes, bits }
    }

    /// The sum of the hints of `items`, or a partial sum once it is past
    /// [`crate::wire::MAX_PREALLOCATED_BYTES`]: messages that large are not
    /// preallocated, so walking the rest of a long list would be wasted
    /// (measured: 9 µs of a 58 µs encode of the 72 KB `log` workload).
    /// Short lists are summed in one go, which folds into one multiplication
    /// for fixed-size elements; long ones in chunks, checked between chunks.
    #[inline]
    pub fn of_all<T: NetCodec>(items: &[T]) -> Self {
        const CHUNK: usize = 256;
        if items.len() <= CHUNK {
            return items.iter().map(T::size_hint).sum();
        }
        let mut total = SizeHint::default();
        for chunk in items.chunks(CHUNK) {
            total = total + chunk.iter().map(T::size_hint).sum();
            if total.bytes.saturating_add(total.bits / 8) > crate::wire::MAX_PREALLOCATED_BYTES {
                break;
            }
        }
        total
    }
}

impl std::ops::Add for SizeHint {
    type Output = SizeHint;
    #[inline(always)]
    fn add(self, other: SizeHint) -> SizeHint {
        // Wrapping, not saturating: a sum over a list of fixed-size elements
        // then folds into one multiplication. A hint cannot overflow for a
        // value held in memory, and a wrong hint only costs a reallocation.
        SizeHint {
            bytes: self.bytes.wrapping_add(other.bytes),
            bits: self.bits.wrapping_add(other.bits),
        }
    }
}

impl std::iter::Sum for SizeHint {
    #[inline]
    fn sum<I: Iterator<Item = SizeHint>>(iter: I) -> SizeHint {
        iter.fold(SizeHint::default(), |a, b| a + b)
    }
}

/// Bits an unbounded length takes for `len` (a varint, spec 3).
#[inline(always)]
fn varint_len_bits(len: usize) -> usize {
    let significant = usize::BITS - len.leading_zeros();
    8 * (significant.div_ceil(7).max(1) as usize)
}

impl NetCodec for () {
    fn encode(&self, _: &mut Encoder) -> Result<(), EncodeError> {
        Ok(())
    }
    fn decode(_: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        Ok(())
    }
    fn describe(_: &mut Schema) -> Ty {
        Ty::Unit
    }
}

impl NetCodec for bool {
    #[inline]
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_bool(*self);
        Ok(())
    }
    #[inline]
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.read_bool()
    }
    fn describe(_: &mut Schema) -> Ty {
        Ty::Bool
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        SizeHint::new(0, 1)
    }
    #[inline]
    fn encode_slice(items: &[Self], enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_bools(items);
        Ok(())
    }
    fn decode_many(dec: &mut Decoder<'_>, len: usize) -> Result<Vec<Self>, DecodeError> {
        if len as u64 > dec.remaining_bits() {
            // Too short: decode one by one so the error names the element.
            return decode_each(dec, len);
        }
        let mut items = Vec::new();
        dec.read_bools(len, &mut items)?;
        Ok(items)
    }
}

macro_rules! int_codec {
    ($($t:ty => $u:ty, $kind:ident);* $(;)?) => {$(
        impl NetCodec for $t {
            #[inline]
            fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
                enc.write_bytes(&self.to_le_bytes());
                Ok(())
            }
            #[inline]
            fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
                let bytes = dec.read_bytes(std::mem::size_of::<$t>())?;
                let mut array = [0u8; std::mem::size_of::<$t>()];
                array.copy_from_slice(bytes);
                Ok(<$t>::from_le_bytes(array))
            }
            fn describe(_: &mut Schema) -> Ty {
                Ty::Int(IntTy::$kind, IntEncoding::Fixed)
            }
            #[inline]
            fn size_hint(&self) -> SizeHint {
                SizeHint::new(std::mem::size_of::<$t>(), 0)
            }
        }
    )*};
}

int_codec! {
    u16 => u16, U16;
    u32 => u32, U32;
    u64 => u64, U64;
    i8 => u8, I8;
    i16 => u16, I16;
    i32 => u32, I32;
    i64 => u64, I64;
}

impl NetCodec for u8 {
    #[inline]
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_u8(*self);
        Ok(())
    }
    #[inline]
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.read_u8()
    }
    fn describe(_: &mut Schema) -> Ty {
        Ty::Int(IntTy::U8, IntEncoding::Fixed)
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        SizeHint::new(1, 0)
    }
    fn encode_slice(items: &[Self], enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_bytes(items);
        Ok(())
    }
    fn decode_many(dec: &mut Decoder<'_>, len: usize) -> Result<Vec<Self>, DecodeError> {
        match dec.read_bytes(len) {
            Ok(bytes) => Ok(bytes.to_vec()),
            // Too short: decode one by one so the error names the element.
            Err(_) => decode_each(dec, len),
        }
    }
}

impl NetCodec for f32 {
    #[inline]
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_f32(*self);
        Ok(())
    }
    #[inline]
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.read_f32()
    }
    fn describe(_: &mut Schema) -> Ty {
        Ty::Float(FloatTy::F32, FloatEncoding::Full)
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        SizeHint::new(4, 0)
    }
}

impl NetCodec for f64 {
    #[inline]
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_f64(*self);
        Ok(())
    }
    #[inline]
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.read_f64()
    }
    fn describe(_: &mut Schema) -> Ty {
        Ty::Float(FloatTy::F64, FloatEncoding::Full)
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        SizeHint::new(8, 0)
    }
}

impl NetCodec for String {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_str(enc, self, None)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        wire::read_string(dec, None)
    }
    fn describe(_: &mut Schema) -> Ty {
        Ty::String { max_len: None }
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        SizeHint::new(self.len(), varint_len_bits(self.len()))
    }
}

impl<T: NetCodec> NetCodec for Option<T> {
    #[inline]
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.write_bool(self.is_some());
        match self {
            Some(v) => v.encode(enc),
            None => Ok(()),
        }
    }
    #[inline]
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        if dec.read_bool()? {
            Ok(Some(T::decode(dec)?))
        } else {
            Ok(None)
        }
    }
    fn describe(schema: &mut Schema) -> Ty {
        Ty::Option(Box::new(T::describe(schema)))
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        let inner = match self {
            Some(v) => v.size_hint(),
            None => SizeHint::default(),
        };
        SizeHint::new(0, 1) + inner
    }
}

impl<T: NetCodec> NetCodec for Box<T> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        (**self).encode(enc)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        Ok(Box::new(T::decode(dec)?))
    }
    fn describe(schema: &mut Schema) -> Ty {
        Ty::Boxed(Box::new(T::describe(schema)))
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        (**self).size_hint()
    }
}

/// Decodes `len` elements into a vector, index added to error paths.
#[inline]
pub fn decode_elements<T: NetCodec>(
    dec: &mut Decoder<'_>,
    len: usize,
) -> Result<Vec<T>, DecodeError> {
    T::decode_many(dec, len)
}

/// [`NetCodec::decode_many`]'s default: [`NetCodec::decode`] `len` times.
pub fn decode_each<T: NetCodec>(dec: &mut Decoder<'_>, len: usize) -> Result<Vec<T>, DecodeError> {
    let mut items = Vec::with_capacity(wire::safe_capacity(dec, len));
    for i in 0..len {
        items.push(T::decode(dec).map_err(|e| e.in_index(i))?);
    }
    Ok(items)
}

/// [`NetCodec::decode_many`] of a struct made only of fixed-size byte fields
/// (`N` bytes in all, built from them by `build`), as derived code
/// overrides it: one bounds check and one depth check for all elements
/// instead of one per field and per element. Anything that would fail goes
/// through [`decode_each`], so errors name the element as they always did.
#[inline]
pub fn decode_byte_records<T: NetCodec, const N: usize>(
    dec: &mut Decoder<'_>,
    len: usize,
    max_depth: u32,
    build: impl Fn(&[u8; N]) -> T,
) -> Result<Vec<T>, DecodeError> {
    // Every element enters and leaves the same nesting level: one check.
    if N == 0 || dec.enter(max_depth).is_err() {
        return decode_each(dec, len);
    }
    let bytes = len
        .checked_mul(N)
        .and_then(|total| dec.read_bytes(total).ok());
    dec.leave();
    match bytes {
        Some(bytes) => Ok(bytes.as_chunks::<N>().0.iter().map(build).collect()),
        None => decode_each(dec, len),
    }
}

fn is_plain_u8(ty: &Ty) -> bool {
    *ty == Ty::Int(IntTy::U8, IntEncoding::Fixed)
}

impl<T: NetCodec> NetCodec for Vec<T> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        wire::write_len(enc, self.len(), None)?;
        T::encode_slice(self, enc)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let len = wire::read_len(dec, None)?;
        decode_elements(dec, len)
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        SizeHint::new(0, varint_len_bits(self.len())) + SizeHint::of_all(self)
    }
    fn describe(schema: &mut Schema) -> Ty {
        let elem = T::describe(schema);
        if is_plain_u8(&elem) {
            Ty::Bytes { max_len: None }
        } else {
            Ty::List {
                elem: Box::new(elem),
                max_len: None,
            }
        }
    }
}

/// Arrays up to this length decode on the stack, without a temporary `Vec`.
const STACK_ARRAY_MAX: usize = 64;

impl<T: NetCodec, const N: usize> NetCodec for [T; N] {
    #[inline]
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        T::encode_slice(self, enc)
    }
    #[inline]
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        if N <= STACK_ARRAY_MAX {
            let mut items: [Option<T>; N] = std::array::from_fn(|_| None);
            for (i, slot) in items.iter_mut().enumerate() {
                *slot = Some(T::decode(dec).map_err(|e| e.in_index(i))?);
            }
            return Ok(items.map(|item| item.expect("every element decoded")));
        }
        let items = decode_elements::<T>(dec, N)?;
        items
            .try_into()
            .map_err(|_| dec.fail(DecodeErrorKind::LengthLimit))
    }
    #[inline]
    fn size_hint(&self) -> SizeHint {
        SizeHint::of_all(self)
    }
    fn describe(schema: &mut Schema) -> Ty {
        let elem = T::describe(schema);
        if is_plain_u8(&elem) {
            Ty::ByteArray(N as u32)
        } else {
            Ty::Array {
                elem: Box::new(elem),
                len: N as u32,
            }
        }
    }
}

macro_rules! tuple_codec {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: NetCodec),+> NetCodec for ($($name,)+) {
            fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
                $(self.$idx.encode(enc).map_err(|e| e.in_index($idx))?;)+
                Ok(())
            }
            fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
                Ok(($($name::decode(dec).map_err(|e| e.in_index($idx))?,)+))
            }
            fn describe(schema: &mut Schema) -> Ty {
                Ty::Tuple(vec![$($name::describe(schema)),+])
            }
            #[inline]
            fn size_hint(&self) -> SizeHint {
                SizeHint::default() $(+ self.$idx.size_hint())+
            }
        }
    };
}

tuple_codec!(A 0, B 1);
tuple_codec!(A 0, B 1, C 2);
tuple_codec!(A 0, B 1, C 2, D 3);
tuple_codec!(A 0, B 1, C 2, D 3, E 4);
tuple_codec!(A 0, B 1, C 2, D 3, E 4, F 5);

/// Map and set keys: integers, `bool` and `String`, in the spec's key order.
pub trait MapKey: NetCodec + Ord + Clone {}
impl MapKey for bool {}
impl MapKey for u8 {}
impl MapKey for u16 {}
impl MapKey for u32 {}
impl MapKey for u64 {}
impl MapKey for i8 {}
impl MapKey for i16 {}
impl MapKey for i32 {}
impl MapKey for i64 {}
impl MapKey for String {}

/// Encodes map entries already in ascending key order.
pub fn encode_entries<'a, K: MapKey + 'a, V: NetCodec + 'a>(
    enc: &mut Encoder,
    len: usize,
    entries: impl Iterator<Item = (&'a K, &'a V)>,
    max_len: Option<u32>,
) -> Result<(), EncodeError> {
    wire::write_len(enc, len, max_len)?;
    for (i, (k, v)) in entries.enumerate() {
        k.encode(enc).map_err(|e| e.in_key().in_index(i))?;
        v.encode(enc).map_err(|e| e.in_index(i))?;
    }
    Ok(())
}

/// Decodes map entries, rejecting keys that are not strictly ascending.
pub fn decode_entries<K: MapKey, V: NetCodec>(
    dec: &mut Decoder<'_>,
    max_len: Option<u32>,
    mut insert: impl FnMut(K, V),
) -> Result<(), DecodeError> {
    let len = wire::read_len(dec, max_len)?;
    let mut previous: Option<K> = None;
    for i in 0..len {
        let key = K::decode(dec).map_err(|e| e.in_key().in_index(i))?;
        if previous.as_ref().is_some_and(|p| *p >= key) {
            return Err(dec.fail(DecodeErrorKind::NonCanonical).in_key().in_index(i));
        }
        let value = V::decode(dec).map_err(|e| e.in_index(i))?;
        previous = Some(key.clone());
        insert(key, value);
    }
    Ok(())
}

/// Encodes set keys already in ascending order.
pub fn encode_keys<'a, K: MapKey + 'a>(
    enc: &mut Encoder,
    len: usize,
    keys: impl Iterator<Item = &'a K>,
    max_len: Option<u32>,
) -> Result<(), EncodeError> {
    wire::write_len(enc, len, max_len)?;
    for (i, k) in keys.enumerate() {
        k.encode(enc).map_err(|e| e.in_index(i))?;
    }
    Ok(())
}

/// Decodes set keys, rejecting keys that are not strictly ascending.
pub fn decode_keys<K: MapKey>(
    dec: &mut Decoder<'_>,
    max_len: Option<u32>,
    mut insert: impl FnMut(K),
) -> Result<(), DecodeError> {
    decode_entries::<K, ()>(dec, max_len, |k, ()| insert(k))
}

fn describe_map<K: NetCodec, V: NetCodec>(schema: &mut Schema, kind: CollectionKind) -> Ty {
    Ty::Map {
        key: Box::new(K::describe(schema)),
        value: Box::new(V::describe(schema)),
        max_len: None,
        kind,
    }
}

fn describe_set<K: NetCodec>(schema: &mut Schema, kind: CollectionKind) -> Ty {
    Ty::Set {
        elem: Box::new(K::describe(schema)),
        max_len: None,
        kind,
    }
}

impl<K: MapKey, V: NetCodec> NetCodec for BTreeMap<K, V> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        encode_entries(enc, self.len(), self.iter(), None)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let mut map = BTreeMap::new();
        decode_entries(dec, None, |k, v| {
            map.insert(k, v);
        })?;
        Ok(map)
    }
    fn describe(schema: &mut Schema) -> Ty {
        describe_map::<K, V>(schema, CollectionKind::BTree)
    }
}

impl<K: MapKey + Hash, V: NetCodec> NetCodec for HashMap<K, V> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        let mut entries: Vec<(&K, &V)> = self.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        encode_entries(enc, entries.len(), entries.into_iter(), None)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let mut map = HashMap::new();
        decode_entries(dec, None, |k, v| {
            map.insert(k, v);
        })?;
        Ok(map)
    }
    fn describe(schema: &mut Schema) -> Ty {
        describe_map::<K, V>(schema, CollectionKind::Hash)
    }
}

impl<K: MapKey> NetCodec for BTreeSet<K> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        encode_keys(enc, self.len(), self.iter(), None)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let mut set = BTreeSet::new();
        decode_keys(dec, None, |k| {
            set.insert(k);
        })?;
        Ok(set)
    }
    fn describe(schema: &mut Schema) -> Ty {
        describe_set::<K>(schema, CollectionKind::BTree)
    }
}

impl<K: MapKey + Hash> NetCodec for HashSet<K> {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        let mut keys: Vec<&K> = self.iter().collect();
        keys.sort_unstable();
        encode_keys(enc, keys.len(), keys.into_iter(), None)
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let mut set = HashSet::new();
        decode_keys(dec, None, |k| {
            set.insert(k);
        })?;
        Ok(set)
    }
    fn describe(schema: &mut Schema) -> Ty {
        describe_set::<K>(schema, CollectionKind::Hash)
    }
}

//! Encoded size bounds of schema types, exact per the wire format spec.
//!
//! A message of `b` bits (byte section plus bit section) takes `ceil(b / 8)`
//! bytes, so bit counts are what this module computes.

use std::collections::HashMap;

use crate::ir::{
    bits_for_count, length_bits, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Schema, Ty,
    TypeDef, TypeKind,
};

/// Bounds of the encoded size of a type, in bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeBounds {
    /// The smallest encoding. `u64::MAX` for a type with no finite value
    /// (one that always contains itself).
    pub min_bits: u64,
    /// The largest encoding; `None` when unbounded (or above `u64::MAX` bits).
    pub max_bits: Option<u64>,
}

impl SizeBounds {
    /// An exact size.
    pub fn exact(bits: u64) -> Self {
        SizeBounds {
            min_bits: bits,
            max_bits: Some(bits),
        }
    }

    /// Smallest message size in bytes.
    pub fn min_bytes(&self) -> u64 {
        self.min_bits.div_ceil(8)
    }

    /// Largest message size in bytes, `None` when unbounded.
    pub fn max_bytes(&self) -> Option<u64> {
        self.max_bits.map(|b| b.div_ceil(8))
    }

    /// Whether every value has the same size.
    pub fn is_fixed(&self) -> bool {
        self.max_bits == Some(self.min_bits)
    }
}

/// The size bounds of `ty` in `schema`. A named type missing from the schema
/// counts as `0..unbounded`.
pub fn size_of(schema: &Schema, ty: &Ty) -> SizeBounds {
    Sizes::new(schema).of(ty)
}

/// The size bounds of the named type `name`, `None` if it is not in `schema`.
pub fn type_size(schema: &Schema, name: &str) -> Option<SizeBounds> {
    schema.get(name)?;
    Some(size_of(schema, &Ty::Named(name.to_owned())))
}

/// Whether some value of `ty` encodes to zero bits (spec section 3: such
/// elements need `max_len` in a collection).
pub fn can_be_zero_bits(schema: &Schema, ty: &Ty) -> bool {
    Sizes::new(schema).min(ty) == 0
}

/// Zero-bit check that judges named types as never zero bits (used per field
/// by the parser, before the whole schema is known).
pub(crate) fn zero_bits_local(ty: &Ty) -> bool {
    let empty = Schema::default();
    let sizes = Sizes {
        schema: &empty,
        mins: HashMap::new(),
        unknown_min: 1,
    };
    sizes.min(ty) == 0
}

/// Size analysis of one schema: minimums of all named types are computed
/// once (a fixed point, so recursive types work); maximums on demand.
#[derive(Debug, Clone)]
pub struct Sizes<'a> {
    schema: &'a Schema,
    mins: HashMap<&'a str, u64>,
    unknown_min: u64,
}

const INFINITE: u64 = u64::MAX;

/// Bits of an unsigned varint holding values below `2^value_bits`: 8..=8*groups.
fn varint_bounds(value_bits: u32) -> SizeBounds {
    SizeBounds {
        min_bits: 8,
        max_bits: Some(8 * u64::from(value_bits.div_ceil(7))),
    }
}

/// Bits of the varint for exactly `value`.
fn varint_bits_of(value: u128) -> u64 {
    let significant = 128 - value.leading_zeros();
    8 * u64::from(significant.div_ceil(7).max(1))
}

fn int_bounds(t: IntTy, enc: IntEncoding) -> SizeBounds {
    match enc {
        IntEncoding::Fixed => SizeBounds::exact(t.bits().into()),
        IntEncoding::Range { lo, hi } => {
            SizeBounds::exact(bits_for_count((hi - lo) as u128 + 1).into())
        }
        IntEncoding::Varint => varint_bounds(t.bits()),
    }
}

fn float_bits(t: FloatTy, enc: FloatEncoding) -> u64 {
    match enc {
        FloatEncoding::Full => match t {
            FloatTy::F32 => 32,
            FloatTy::F64 => 64,
        },
        FloatEncoding::Half => 16,
        FloatEncoding::Quantized(q) => q.bits().into(),
    }
}

fn vector_component_bits(enc: FloatEncoding) -> u64 {
    float_bits(FloatTy::F32, enc)
}

/// Bits of one smallest-three rotation (spec 5.1).
pub const ROTATION_BITS: u64 = 2 + 3 * 15;

fn roblox_bits(r: &RobloxTy) -> u64 {
    match r {
        RobloxTy::Vector3(enc) => 3 * vector_component_bits(*enc),
        RobloxTy::Vector2(enc) => 2 * vector_component_bits(*enc),
        RobloxTy::CFrame { lossless: true } => 12 * 32,
        RobloxTy::CFrame { lossless: false } => 3 * 32 + ROTATION_BITS,
        RobloxTy::Color3 { lossless: true } => 3 * 32,
        RobloxTy::Color3 { lossless: false } => 3 * 8,
        RobloxTy::UDim => 64,
        RobloxTy::UDim2 => 128,
        RobloxTy::DateTime => 64,
        RobloxTy::EnumItem { .. } => 16,
        RobloxTy::Instance => 0,
    }
}

/// How many distinct values a map/set key type has (`None`: unlimited).
fn key_domain(key: &Ty) -> Option<u128> {
    match key {
        Ty::Bool => Some(2),
        Ty::Int(_, IntEncoding::Range { lo, hi }) => Some((hi - lo) as u128 + 1),
        Ty::Int(t, _) => Some(1u128 << t.bits()),
        _ => None,
    }
}

/// Min and max of a length prefix and the element count it allows.
fn length_and_count(
    max_len: Option<u32>,
    domain: Option<u128>,
) -> (u64, Option<u64>, Option<u128>) {
    match (max_len, domain) {
        (Some(m), d) => {
            let bits = length_bits(m).into();
            let count = d.map_or(m.into(), |d| d.min(m.into()));
            (bits, Some(bits), Some(count))
        }
        (None, Some(d)) => (8, Some(varint_bits_of(d)), Some(d)),
        (None, None) => (8, None, None),
    }
}

fn mul(count: Option<u128>, each: Option<u64>) -> Option<u64> {
    let total = count?.checked_mul(each?.into())?;
    u64::try_from(total).ok()
}

impl<'a> Sizes<'a> {
    /// Analyses `schema` (named types missing from it count as `0..unbounded`).
    pub fn new(schema: &'a Schema) -> Self {
        let mut sizes = Sizes {
            schema,
            mins: schema
                .types
                .iter()
                .map(|t| (t.name.as_str(), INFINITE))
                .collect(),
            unknown_min: 0,
        };
        // Least fixed point: minimums only decrease, and a smallest value never
        // nests a value of its own type, so this ends within |types| + 1 rounds.
        for _ in 0..=schema.types.len() {
            let mut changed = false;
            for def in &schema.types {
                let m = sizes.def_min(def);
                if m < sizes.mins[def.name.as_str()] {
                    sizes.mins.insert(def.name.as_str(), m);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        sizes
    }

    /// The bounds of `ty`.
    pub fn of(&self, ty: &Ty) -> SizeBounds {
        SizeBounds {
            min_bits: self.min(ty),
            max_bits: self.max(ty, &mut Vec::new(), &mut HashMap::new()),
        }
    }

    /// The bounds of a named type, `None` if not in the schema.
    pub fn of_type(&self, name: &str) -> Option<SizeBounds> {
        self.schema.get(name)?;
        Some(self.of(&Ty::Named(name.to_owned())))
    }

    /// Minimum bits of `ty` (`u64::MAX` when it has no finite value).
    pub fn min_bits_of(&self, ty: &Ty) -> u64 {
        self.min(ty)
    }

    fn def_min(&self, def: &TypeDef) -> u64 {
        match &def.kind {
            TypeKind::Struct(fields) => fields
                .encoded()
                .fold(0u64, |acc, f| acc.saturating_add(self.min(&f.ty))),
            TypeKind::Enum(variants) => {
                let tag = u64::from(bits_for_count(variants.len() as u128));
                variants
                    .iter()
                    .map(|v| {
                        v.fields
                            .encoded()
                            .fold(tag, |acc, f| acc.saturating_add(self.min(&f.ty)))
                    })
                    .min()
                    .unwrap_or(INFINITE)
            }
        }
    }

    /// Minimum bits of `ty` (`u64::MAX` if it has no finite value).
    fn min(&self, ty: &Ty) -> u64 {
        match ty {
            Ty::Unit => 0,
            Ty::Bool => 1,
            Ty::Int(t, enc) => int_bounds(*t, *enc).min_bits,
            Ty::Float(t, enc) => float_bits(*t, *enc),
            Ty::String { max_len } | Ty::Bytes { max_len } => {
                max_len.map_or(8, |m| length_bits(m).into())
            }
            Ty::ByteArray(n) => 8 * u64::from(*n),
            Ty::Option(_) => 1,
            Ty::Boxed(t) => self.min(t),
            Ty::List { max_len, .. } | Ty::Map { max_len, .. } | Ty::Set { max_len, .. } => {
                max_len.map_or(8, |m| length_bits(m).into())
            }
            Ty::Array { elem, len } => {
                if *len == 0 {
                    0
                } else {
                    self.min(elem).saturating_mul((*len).into())
                }
            }
            Ty::Tuple(items) => items
                .iter()
                .fold(0u64, |acc, t| acc.saturating_add(self.min(t))),
            Ty::Roblox(r) => roblox_bits(r),
            Ty::Named(n) => self
                .mins
                .get(n.as_str())
                .copied()
                .unwrap_or(self.unknown_min),
        }
    }

    /// Maximum bits of `ty`; `None` if unbounded. `visiting` holds the named
    /// types being expanded (reaching one again means recursion: unbounded).
    fn max(
        &self,
        ty: &Ty,
        visiting: &mut Vec<&'a str>,
        done: &mut HashMap<&'a str, Option<u64>>,
    ) -> Option<u64> {
        match ty {
            Ty::Unit => Some(0),
            Ty::Bool => Some(1),
            Ty::Int(t, enc) => int_bounds(*t, *enc).max_bits,
            Ty::Float(t, enc) => Some(float_bits(*t, *enc)),
            Ty::String { max_len } | Ty::Bytes { max_len } => {
                let m = u64::from((*max_len)?);
                Some(u64::from(length_bits(m as u32)) + 8 * m)
            }
            Ty::ByteArray(n) => Some(8 * u64::from(*n)),
            Ty::Option(t) => self.max(t, visiting, done)?.checked_add(1),
            Ty::Boxed(t) => self.max(t, visiting, done),
            Ty::List { elem, max_len } => {
                let (_, len_max, count) = length_and_count(*max_len, None);
                let elems = mul(count, self.max(elem, visiting, done))?;
                len_max?.checked_add(elems)
            }
            Ty::Set { elem, max_len, .. } => {
                let (_, len_max, count) = length_and_count(*max_len, key_domain(elem));
                let elems = mul(count, self.max(elem, visiting, done))?;
                len_max?.checked_add(elems)
            }
            Ty::Map {
                key,
                value,
                max_len,
                ..
            } => {
                let (_, len_max, count) = length_and_count(*max_len, key_domain(key));
                let entry = self
                    .max(key, visiting, done)?
                    .checked_add(self.max(value, visiting, done)?);
                len_max?.checked_add(mul(count, entry)?)
            }
            Ty::Array { elem, len } => mul(Some((*len).into()), self.max(elem, visiting, done)),
            Ty::Tuple(items) => items
                .iter()
                .try_fold(0u64, |acc, t| acc.checked_add(self.max(t, visiting, done)?)),
            Ty::Roblox(r) => Some(roblox_bits(r)),
            Ty::Named(n) => {
                let def = self.schema.get(n)?;
                let name = def.name.as_str();
                if let Some(known) = done.get(name) {
                    return *known;
                }
                if visiting.contains(&name) {
                    return None;
                }
                visiting.push(name);
                let result = self.def_max(def, visiting, done);
                visiting.pop();
                done.insert(name, result);
                result
            }
        }
    }

    fn def_max(
        &self,
        def: &'a TypeDef,
        visiting: &mut Vec<&'a str>,
        done: &mut HashMap<&'a str, Option<u64>>,
    ) -> Option<u64> {
        let fields_max = |fields: &'a crate::ir::Fields,
                          visiting: &mut Vec<&'a str>,
                          done: &mut HashMap<&'a str, Option<u64>>| {
            fields.encoded().try_fold(0u64, |acc, f| {
                acc.checked_add(self.max(&f.ty, visiting, done)?)
            })
        };
        match &def.kind {
            TypeKind::Struct(fields) => fields_max(fields, visiting, done),
            TypeKind::Enum(variants) => {
                let tag = u64::from(bits_for_count(variants.len() as u128));
                let mut best = 0u64;
                for v in variants {
                    best = best.max(fields_max(&v.fields, visiting, done)?);
                }
                tag.checked_add(best)
            }
        }
    }
}

#[cfg(all(test, feature = "parse"))]
mod tests {
    use super::*;
    use crate::parse_file;

    /// Bounds of the first field of `struct S { <field> }` with `extra` items.
    fn field_bounds(field: &str, extra: &str) -> SizeBounds {
        let src = format!("#[derive(NetCodec)] struct S {{ {field} }}\n{extra}");
        let schema = parse_file(&src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        let TypeKind::Struct(fields) = &schema.types[0].kind else {
            panic!("struct")
        };
        let ty = &fields.iter().next().expect("one field").ty;
        size_of(&schema, ty)
    }

    fn bounds(field: &str) -> (u64, Option<u64>) {
        let b = field_bounds(field, "");
        (b.min_bits, b.max_bits)
    }

    #[test]
    fn scalars() {
        assert_eq!(bounds("a: bool"), (1, Some(1)));
        assert_eq!(bounds("a: u8"), (8, Some(8)));
        assert_eq!(bounds("a: i64"), (64, Some(64)));
        assert_eq!(bounds("#[net(range = 0..=100)] a: u8"), (7, Some(7)));
        assert_eq!(bounds("#[net(range = -100..=100)] a: i16"), (8, Some(8)));
        assert_eq!(bounds("#[net(range = 5..=5)] a: u32"), (0, Some(0)));
        assert_eq!(
            bounds("#[net(range = -5000000000..=5000000000)] a: i64"),
            (34, Some(34))
        );
        assert_eq!(bounds("#[net(varint)] a: u16"), (8, Some(24)));
        assert_eq!(bounds("#[net(varint)] a: i32"), (8, Some(40)));
        assert_eq!(bounds("#[net(varint)] a: u64"), (8, Some(80)));
        assert_eq!(bounds("a: f64"), (64, Some(64)));
        assert_eq!(bounds("#[net(half)] a: f64"), (16, Some(16)));
        // levels = floor(2 / 0.1 + 0.5) + 1 = 21 -> 5 bits
        assert_eq!(
            bounds("#[net(quantize(min = -1, max = 1, step = 0.1))] a: f32"),
            (5, Some(5))
        );
        assert_eq!(bounds("a: ()"), (0, Some(0)));
    }

    #[test]
    fn strings_and_collections() {
        assert_eq!(bounds("a: String"), (8, None));
        // 5 length bits + 16 bytes
        assert_eq!(bounds("#[net(max_len = 16)] a: String"), (5, Some(133)));
        assert_eq!(bounds("#[net(max_len = 8)] a: Vec<u8>"), (4, Some(68)));
        assert_eq!(bounds("a: [u8; 4]"), (32, Some(32)));
        assert_eq!(bounds("#[net(max_len = 5)] a: Vec<bool>"), (3, Some(8)));
        assert_eq!(
            bounds("#[net(max_len = 5, range = 0..=9)] a: Vec<u8>"),
            (3, Some(23))
        );
        assert_eq!(bounds("a: [u16; 3]"), (48, Some(48)));
        assert_eq!(bounds("a: Option<u32>"), (1, Some(33)));
        assert_eq!(bounds("a: Box<(u8, bool)>"), (9, Some(9)));
        assert_eq!(bounds("a: Vec<u32>"), (8, None));
        // keys are bools: at most 2 entries, count 2 fits one varint group
        assert_eq!(bounds("a: BTreeMap<bool, u8>"), (8, Some(8 + 2 * 9)));
        // 256 distinct u8 keys at most although max_len is 300: 9 length bits
        assert_eq!(
            bounds("#[net(max_len = 300)] a: HashSet<u8>"),
            (9, Some(9 + 256 * 8))
        );
        assert_eq!(bounds("a: HashSet<String>"), (8, None));
        assert_eq!(bounds("#[net(max_len = 0)] a: Vec<u64>"), (0, Some(0)));
    }

    #[test]
    fn roblox() {
        assert_eq!(bounds("a: Vector3"), (96, Some(96)));
        // levels = 2047.9375 / 0.0625 + 1 = 32768 -> 15 bits per component
        assert_eq!(
            bounds("#[net(quantize(min = -1024.0, max = 1023.9375, step = 0.0625))] a: Vector3"),
            (45, Some(45))
        );
        assert_eq!(bounds("#[net(half)] a: Vector2"), (32, Some(32)));
        assert_eq!(bounds("a: CFrame"), (143, Some(143)));
        assert_eq!(bounds("#[net(lossless)] a: CFrame"), (384, Some(384)));
        assert_eq!(bounds("a: Color3"), (24, Some(24)));
        assert_eq!(bounds("#[net(lossless)] a: Color3"), (96, Some(96)));
        assert_eq!(bounds("a: UDim2"), (128, Some(128)));
        assert_eq!(bounds("a: DateTime"), (64, Some(64)));
        assert_eq!(
            bounds("#[net(roblox_enum = \"KeyCode\")] a: EnumItem"),
            (16, Some(16))
        );
        assert_eq!(bounds("a: Instance"), (0, Some(0)));
    }

    const TYPES: &str = "
        #[derive(NetCodec)] enum E { A, B(u8), C { x: u16, y: bool } }
        #[derive(NetCodec)] enum Tree { Leaf(u8), Node(Box<Tree>, Box<Tree>) }
        #[derive(NetCodec)] struct List { head: u8, tail: Option<Box<List>> }
        #[derive(NetCodec)] struct Unit;
        #[derive(NetCodec)] enum One { Only(Unit, #[net(skip)] u64) }
        #[derive(NetCodec)] struct Skips { a: u8, #[net(skip)] b: u64 }
    ";

    #[test]
    fn named_types() {
        let b = |field: &str| {
            let s = field_bounds(field, TYPES);
            (s.min_bits, s.max_bits)
        };
        // 2 tag bits; largest variant 16 + 1
        assert_eq!(b("a: E"), (2, Some(19)));
        assert_eq!(b("a: [E; 3]"), (6, Some(57)));
        assert_eq!(b("a: Tree"), (9, None));
        assert_eq!(b("a: List"), (9, None));
        assert_eq!(b("a: Option<Tree>"), (1, None));
        assert_eq!(b("a: Unit"), (0, Some(0)));
        assert_eq!(b("a: One"), (0, Some(0)));
        assert_eq!(b("a: Skips"), (8, Some(8)));
    }

    #[test]
    fn type_size_and_zero_bits() {
        let schema = parse_file(TYPES).expect("valid");
        assert_eq!(
            type_size(&schema, "E"),
            Some(SizeBounds {
                min_bits: 2,
                max_bits: Some(19)
            })
        );
        assert_eq!(type_size(&schema, "Nope"), None);
        assert!(can_be_zero_bits(&schema, &Ty::Named("Unit".into())));
        assert!(can_be_zero_bits(&schema, &Ty::Named("One".into())));
        assert!(!can_be_zero_bits(&schema, &Ty::Named("E".into())));
        assert!(can_be_zero_bits(&schema, &Ty::Roblox(RobloxTy::Instance)));
        assert!(!can_be_zero_bits(&schema, &Ty::Bool));
        // Missing types count as 0..unbounded.
        assert_eq!(
            size_of(&schema, &Ty::Named("Elsewhere".into())),
            SizeBounds {
                min_bits: 0,
                max_bits: None
            }
        );
        let b = SizeBounds {
            min_bits: 9,
            max_bits: Some(17),
        };
        assert_eq!((b.min_bytes(), b.max_bytes()), (2, Some(3)));
        assert!(SizeBounds::exact(4).is_fixed());
    }

    #[test]
    fn no_finite_value() {
        let schema = Schema {
            types: vec![TypeDef {
                name: "Loop".into(),
                wire_name: "Loop".into(),
                doc: None,
                max_depth: 64,
                kind: TypeKind::Struct(crate::ir::Fields::Tuple(vec![crate::ir::Field {
                    name: None,
                    wire_name: "_0".into(),
                    ty: Ty::Boxed(Box::new(Ty::Named("Loop".into()))),
                    skip: None,
                    doc: None,
                    pos: Default::default(),
                }])),
                pos: Default::default(),
            }],
        };
        assert_eq!(
            type_size(&schema, "Loop").map(|s| s.min_bits),
            Some(u64::MAX)
        );
    }
}

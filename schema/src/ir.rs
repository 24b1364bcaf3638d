//! The schema intermediate representation: one description of the types that
//! every backend (Rust derive, Luau generator, size analysis, docs) reads.
//!
//! Attributes are resolved at parse time: a `#[net(range = 0..=100)]` on a
//! `Vec<u8>` field is already an [`Ty::List`] of [`Ty::Int`] with
//! [`IntEncoding::Range`] here, so backends never look at attributes.

/// A whole schema: the named types of one schema file (or of one derive).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// Named types in declaration order.
    pub types: Vec<TypeDef>,
}

impl Schema {
    /// Looks a type up by its Rust name.
    pub fn get(&self, rust_name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == rust_name)
    }
}

/// A source position, 1-based, for error messages (`file:line:column`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// A named struct or enum.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust identifier.
    pub name: String,
    /// The name used by generated code (Luau type name); `rename` or `name`.
    pub wire_name: String,
    /// Doc comment, if any, for generated docs.
    pub doc: Option<String>,
    /// Maximum nesting depth accepted by decoders (`#[net(max_depth = D)]`).
    pub max_depth: u32,
    /// Struct or enum body.
    pub kind: TypeKind,
    /// Where the type is declared.
    pub pos: Pos,
}

/// Default for [`TypeDef::max_depth`].
pub const DEFAULT_MAX_DEPTH: u32 = 64;

/// The body of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct: named, tuple or unit.
    Struct(Fields),
    /// An enum; the tag is the index into this list.
    Enum(Vec<Variant>),
}

/// The fields of a struct or an enum variant.
#[derive(Debug, Clone, PartialEq)]
pub enum Fields {
    /// `{ a: T, b: U }`
    Named(Vec<Field>),
    /// `(T, U)`
    Tuple(Vec<Field>),
    /// No fields.
    Unit,
}

impl Fields {
    /// All fields, in declaration order (empty for unit).
    pub fn iter(&self) -> std::slice::Iter<'_, Field> {
        match self {
            Fields::Named(f) | Fields::Tuple(f) => f.iter(),
            Fields::Unit => [].iter(),
        }
    }

    /// Fields that are actually encoded (not `skip`).
    pub fn encoded(&self) -> impl Iterator<Item = &Field> {
        self.iter().filter(|f| f.skip.is_none())
    }
}

/// One field of a struct or variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust field name; `None` for tuple fields.
    pub name: Option<String>,
    /// Name in generated code: `rename`, else the Rust name, else `_0`, `_1`...
    pub wire_name: String,
    /// The resolved wire type.
    pub ty: Ty,
    /// `Some` when the field is `#[net(skip)]`: not encoded, decoded as this default.
    pub skip: Option<SkipDefault>,
    /// Doc comment, if any.
    pub doc: Option<String>,
    /// Where the field is declared.
    pub pos: Pos,
}

/// How a skipped field gets its value when decoding.
#[derive(Debug, Clone, PartialEq)]
pub enum SkipDefault {
    /// `Default::default()`
    Default,
    /// `#[net(skip, default = "path::to::fn")]`
    Function(String),
}

/// One enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust identifier.
    pub name: String,
    /// Name in generated code.
    pub wire_name: String,
    /// Payload.
    pub fields: Fields,
    /// Doc comment, if any.
    pub doc: Option<String>,
    /// Where the variant is declared.
    pub pos: Pos,
}

/// A wire type, with every attribute already applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `()`: zero bits.
    Unit,
    /// `bool`: one bit.
    Bool,
    /// An integer.
    Int(IntTy, IntEncoding),
    /// A float.
    Float(FloatTy, FloatEncoding),
    /// `String`, with an optional maximum byte length.
    String {
        /// `max_len` in bytes.
        max_len: Option<u32>,
    },
    /// `Vec<u8>`: a byte string (Luau `buffer`).
    Bytes {
        /// `max_len` in bytes.
        max_len: Option<u32>,
    },
    /// `[u8; N]`: a fixed byte string (Luau `buffer` of length N).
    ByteArray(u32),
    /// `Option<T>`.
    Option(Box<Ty>),
    /// `Box<T>`: same bits as `T`.
    Boxed(Box<Ty>),
    /// `Vec<T>` (T not u8).
    List {
        /// Element type.
        elem: Box<Ty>,
        /// Maximum element count.
        max_len: Option<u32>,
    },
    /// `[T; N]` (T not u8).
    Array {
        /// Element type.
        elem: Box<Ty>,
        /// Element count.
        len: u32,
    },
    /// `(A, B, ...)` with at least two elements.
    Tuple(Vec<Ty>),
    /// `BTreeMap<K, V>` / `HashMap<K, V>`.
    Map {
        /// Key type: integer, bool or String.
        key: Box<Ty>,
        /// Value type.
        value: Box<Ty>,
        /// Maximum entry count.
        max_len: Option<u32>,
        /// Which Rust collection.
        kind: CollectionKind,
    },
    /// `BTreeSet<K>` / `HashSet<K>`.
    Set {
        /// Key type: integer, bool or String.
        elem: Box<Ty>,
        /// Maximum element count.
        max_len: Option<u32>,
        /// Which Rust collection.
        kind: CollectionKind,
    },
    /// A Roblox value type from `skyrocket::roblox`.
    Roblox(RobloxTy),
    /// A named schema type (struct or enum), by Rust name.
    Named(String),
}

/// Which Rust standard collection a map or set is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectionKind {
    /// `BTreeMap` / `BTreeSet`.
    BTree,
    /// `HashMap` / `HashSet`.
    Hash,
}

/// Integer types. `usize`/`isize` are not allowed (platform dependent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntTy {
    /// `u8`
    U8,
    /// `u16`
    U16,
    /// `u32`
    U32,
    /// `u64`
    U64,
    /// `i8`
    I8,
    /// `i16`
    I16,
    /// `i32`
    I32,
    /// `i64`
    I64,
}

impl IntTy {
    /// Width of the full (unranged) encoding in bits.
    pub fn bits(self) -> u32 {
        match self {
            IntTy::U8 | IntTy::I8 => 8,
            IntTy::U16 | IntTy::I16 => 16,
            IntTy::U32 | IntTy::I32 => 32,
            IntTy::U64 | IntTy::I64 => 64,
        }
    }

    /// Whether the type is signed.
    pub fn signed(self) -> bool {
        matches!(self, IntTy::I8 | IntTy::I16 | IntTy::I32 | IntTy::I64)
    }

    /// Smallest value of the type.
    pub fn min_value(self) -> i128 {
        if self.signed() {
            -(1i128 << (self.bits() - 1))
        } else {
            0
        }
    }

    /// Largest value of the type.
    pub fn max_value(self) -> i128 {
        if self.signed() {
            (1i128 << (self.bits() - 1)) - 1
        } else {
            (1i128 << self.bits()) - 1
        }
    }

    /// The Rust spelling (`u8`, `i64` ...).
    pub fn rust_name(self) -> &'static str {
        match self {
            IntTy::U8 => "u8",
            IntTy::U16 => "u16",
            IntTy::U32 => "u32",
            IntTy::U64 => "u64",
            IntTy::I8 => "i8",
            IntTy::I16 => "i16",
            IntTy::I32 => "i32",
            IntTy::I64 => "i64",
        }
    }
}

/// How an integer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntEncoding {
    /// Full width, byte section, little-endian two's complement.
    Fixed,
    /// `v - lo` in `ceil(log2(hi - lo + 1))` bits (spec 2.1).
    Range {
        /// Inclusive low end.
        lo: i128,
        /// Inclusive high end.
        hi: i128,
    },
    /// Bit-section LEB128 groups, zigzag for signed types (spec 2.2).
    Varint,
}

/// Float types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatTy {
    /// `f32`
    F32,
    /// `f64`
    F64,
}

/// How a float is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FloatEncoding {
    /// IEEE binary32/binary64 as the type is.
    Full,
    /// IEEE binary16 (spec 2.3).
    Half,
    /// Quantized by range and step (spec 2.3).
    Quantized(Quantize),
}

/// Parameters of a quantized float: `quantize(min = A, max = B, step = S)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantize {
    /// Lowest representable value.
    pub min: f64,
    /// Highest value (rounded to a whole number of steps).
    pub max: f64,
    /// Distance between representable values.
    pub step: f64,
}

impl Quantize {
    /// Number of representable levels `N = floor((max - min) / step + 0.5) + 1`.
    pub fn levels(&self) -> u64 {
        ((self.max - self.min) / self.step + 0.5).floor() as u64 + 1
    }

    /// Bits per quantized value: `ceil(log2(N))`.
    pub fn bits(&self) -> u32 {
        bits_for_count(self.levels() as u128)
    }
}

/// Roblox value types (`skyrocket::roblox`), with their encoding options.
#[derive(Debug, Clone, PartialEq)]
pub enum RobloxTy {
    /// Three components, full `f32` or quantized.
    Vector3(FloatEncoding),
    /// Two components, full `f32` or quantized.
    Vector2(FloatEncoding),
    /// Position + smallest-three rotation, or 12 `f32` when lossless.
    CFrame {
        /// `#[net(lossless)]`
        lossless: bool,
    },
    /// RGB8, or 3 `f32` when lossless.
    Color3 {
        /// `#[net(lossless)]`
        lossless: bool,
    },
    /// `f32` scale, `i32` offset.
    UDim,
    /// Two `UDim`s.
    UDim2,
    /// `i64` Unix milliseconds.
    DateTime,
    /// A Roblox enum item (`#[net(roblox_enum = "KeyCode")]`), `u16` value.
    EnumItem {
        /// The Roblox enum's name, e.g. `KeyCode`.
        enum_name: String,
    },
    /// An instance reference, carried in the side table: zero bits.
    Instance,
}

/// `ceil(log2(count))`: bits needed to tell `count` values apart (0 for 0 or 1).
pub fn bits_for_count(count: u128) -> u32 {
    if count <= 1 {
        0
    } else {
        128 - (count - 1).leading_zeros()
    }
}

/// Bits of a `max_len = M` length field: `ceil(log2(M + 1))`.
pub fn length_bits(max_len: u32) -> u32 {
    bits_for_count(max_len as u128 + 1)
}

/// Whether a field of this many bits goes to the byte section (spec 1).
pub fn is_byte_width(bits: u32) -> bool {
    matches!(bits, 8 | 16 | 32 | 64)
}

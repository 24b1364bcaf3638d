//! Encode and decode errors, with the field path where they happened.

use std::fmt;

/// One step of a field path: `players`, `[3]`, `Move`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A struct field (or tuple field index as text).
    Field(&'static str),
    /// An element of a list, array, tuple or map.
    Index(usize),
    /// The payload of an enum variant.
    Variant(&'static str),
    /// A map key (the key itself failed to decode or encode).
    Key,
}

/// A field path, outermost segment first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(Vec<PathSegment>);

impl FieldPath {
    /// The segments, outermost first.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    fn push_outer(&mut self, segment: PathSegment) {
        // Errors travel outward, so segments arrive innermost first.
        self.0.insert(0, segment);
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for segment in &self.0 {
            match segment {
                PathSegment::Field(name) | PathSegment::Variant(name) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                PathSegment::Index(i) => write!(f, "[{i}]")?,
                PathSegment::Key => f.write_str("<key>")?,
            }
            first = false;
        }
        if first {
            f.write_str("<root>")?;
        }
        Ok(())
    }
}

/// What went wrong while decoding (spec section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// A read would cross the other section's cursor or the end.
    UnexpectedEnd,
    /// An enum tag at or above the variant count.
    InvalidTag,
    /// A ranged integer or quantized level above its maximum.
    OutOfRange,
    /// A count above `max_len` or above what the remaining input can hold.
    LengthLimit,
    /// String bytes that are not UTF-8.
    InvalidUtf8,
    /// A non-canonical encoding (NaN payload, varint padding, key order, padding bits).
    NonCanonical,
    /// Input left over after the value.
    TrailingBytes,
    /// Nesting deeper than the type's `max_depth`.
    DepthLimit,
    /// A varint that overflows its type.
    InvalidVarint,
    /// An instance reference with no entry in the side table.
    MissingInstance,
}

impl DecodeErrorKind {
    /// The spec's name for the kind.
    pub fn name(self) -> &'static str {
        match self {
            DecodeErrorKind::UnexpectedEnd => "UnexpectedEnd",
            DecodeErrorKind::InvalidTag => "InvalidTag",
            DecodeErrorKind::OutOfRange => "OutOfRange",
            DecodeErrorKind::LengthLimit => "LengthLimit",
            DecodeErrorKind::InvalidUtf8 => "InvalidUtf8",
            DecodeErrorKind::NonCanonical => "NonCanonical",
            DecodeErrorKind::TrailingBytes => "TrailingBytes",
            DecodeErrorKind::DepthLimit => "DepthLimit",
            DecodeErrorKind::InvalidVarint => "InvalidVarint",
            DecodeErrorKind::MissingInstance => "MissingInstance",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct DecodeErrorInner {
    kind: DecodeErrorKind,
    path: FieldPath,
    byte_offset: usize,
    bit_offset: u64,
}

/// A decode failure: what, where in the value (field path) and where in the
/// input (byte cursor and bit-section cursor when it happened).
///
/// Boxed so that `Result<T, DecodeError>` stays one word wider than `T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(Box<DecodeErrorInner>);

impl DecodeError {
    /// A new error at the given cursors, with an empty path.
    pub fn new(kind: DecodeErrorKind, byte_offset: usize, bit_offset: u64) -> Self {
        DecodeError(Box::new(DecodeErrorInner {
            kind,
            path: FieldPath::default(),
            byte_offset,
            bit_offset,
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> DecodeErrorKind {
        self.0.kind
    }

    /// Where in the value.
    pub fn path(&self) -> &FieldPath {
        &self.0.path
    }

    /// Byte-section cursor (bytes read from the start) when it failed.
    pub fn byte_offset(&self) -> usize {
        self.0.byte_offset
    }

    /// Bit-section cursor (bits read from the end) when it failed.
    pub fn bit_offset(&self) -> u64 {
        self.0.bit_offset
    }

    /// Adds an enclosing struct field to the path.
    #[cold]
    pub fn in_field(mut self, name: &'static str) -> Self {
        self.0.path.push_outer(PathSegment::Field(name));
        self
    }

    /// Adds an enclosing collection index to the path.
    #[cold]
    pub fn in_index(mut self, index: usize) -> Self {
        self.0.path.push_outer(PathSegment::Index(index));
        self
    }

    /// Adds an enclosing enum variant to the path.
    #[cold]
    pub fn in_variant(mut self, name: &'static str) -> Self {
        self.0.path.push_outer(PathSegment::Variant(name));
        self
    }

    /// Marks the error as inside a map key.
    #[cold]
    pub fn in_key(mut self) -> Self {
        self.0.path.push_outer(PathSegment::Key);
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} at byte {} (bit-section bit {})",
            self.0.path,
            self.0.kind.name(),
            self.0.byte_offset,
            self.0.bit_offset
        )
    }
}

impl std::error::Error for DecodeError {}

/// What went wrong while encoding: the value does not fit its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeErrorKind {
    /// An integer outside its declared range.
    OutOfRange {
        /// The value.
        value: i128,
        /// Inclusive low end.
        lo: i128,
        /// Inclusive high end.
        hi: i128,
    },
    /// A collection or string longer than its `max_len`.
    TooLong {
        /// Its length.
        len: usize,
        /// The maximum.
        max: usize,
    },
    /// A dynamic value that does not match its schema type.
    TypeMismatch {
        /// What the schema expected.
        expected: String,
    },
    /// A schema type name that the schema does not define.
    UnknownType(String),
}

/// An encode failure with the field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    kind: EncodeErrorKind,
    path: FieldPath,
}

impl EncodeError {
    /// A new error with an empty path.
    pub fn new(kind: EncodeErrorKind) -> Self {
        EncodeError {
            kind,
            path: FieldPath::default(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &EncodeErrorKind {
        &self.kind
    }

    /// Where in the value.
    pub fn path(&self) -> &FieldPath {
        &self.path
    }

    /// Adds an enclosing struct field to the path.
    #[cold]
    pub fn in_field(mut self, name: &'static str) -> Self {
        self.path.push_outer(PathSegment::Field(name));
        self
    }

    /// Adds an enclosing collection index to the path.
    #[cold]
    pub fn in_index(mut self, index: usize) -> Self {
        self.path.push_outer(PathSegment::Index(index));
        self
    }

    /// Adds an enclosing enum variant to the path.
    #[cold]
    pub fn in_variant(mut self, name: &'static str) -> Self {
        self.path.push_outer(PathSegment::Variant(name));
        self
    }

    /// Marks the error as inside a map key.
    #[cold]
    pub fn in_key(mut self) -> Self {
        self.path.push_outer(PathSegment::Key);
        self
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            EncodeErrorKind::OutOfRange { value, lo, hi } => write!(
                f,
                "{}: value {value} is outside the declared range {lo}..={hi}",
                self.path
            ),
            EncodeErrorKind::TooLong { len, max } => {
                write!(f, "{}: length {len} exceeds max_len {max}", self.path)
            }
            EncodeErrorKind::TypeMismatch { expected } => {
                write!(
                    f,
                    "{}: value does not match the schema type {expected}",
                    self.path
                )
            }
            EncodeErrorKind::UnknownType(name) => {
                write!(f, "{}: the schema has no type named {name}", self.path)
            }
        }
    }
}

impl std::error::Error for EncodeError {}

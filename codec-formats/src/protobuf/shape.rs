//! How each schema type sits in a Protobuf message (docs/formats.md,
//! "Protobuf"): the classification both the encoder and the decoder follow.

use skyrocket_schema::ir::{
    Field, Fields, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Schema, Ty, TypeKind,
};

/// A scalar field's proto3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scalar {
    Bool,
    /// `u8`/`u16`/`u32` (`uint32`).
    U32(IntTy),
    /// `u64` (`uint64`).
    U64,
    /// `i8`/`i16`/`i32` (`sint32`).
    S32(IntTy),
    /// `i64` (`sint64`).
    S64,
    /// `DateTime` milliseconds (`int64`).
    Millis,
    F32,
    F64,
    Str,
    Bytes,
    /// A unit-only enum with this many variants (a proto `enum`).
    Enum(u32),
    /// A Roblox enum item's value (`uint32`, at most `u16::MAX`).
    EnumItem,
    /// An index into the instance side table (`uint32`).
    Instance,
}

impl Scalar {
    /// The wire type of one value.
    pub(crate) fn wire_type(self) -> u8 {
        match self {
            Scalar::F32 => WT_I32,
            Scalar::F64 => WT_I64,
            Scalar::Str | Scalar::Bytes => WT_LEN,
            _ => WT_VARINT,
        }
    }

    /// Whether a repeated field of it is packed (every scalar but strings and bytes).
    pub(crate) fn packed(self) -> bool {
        !matches!(self, Scalar::Str | Scalar::Bytes)
    }
}

pub(crate) const WT_VARINT: u8 = 0;
pub(crate) const WT_I64: u8 = 1;
pub(crate) const WT_LEN: u8 = 2;
pub(crate) const WT_START_GROUP: u8 = 3;
pub(crate) const WT_END_GROUP: u8 = 4;
pub(crate) const WT_I32: u8 = 5;

/// Where a type goes in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Scalar(Scalar),
    /// A length-delimited sub-message (structs, enums with data, tuples,
    /// `()`, Roblox composite types).
    Message,
    Option,
    Repeated,
    Map,
}

/// `Box<T>` is `T`.
pub(crate) fn unbox(mut ty: &Ty) -> &Ty {
    while let Ty::Boxed(inner) = ty {
        ty = inner;
    }
    ty
}

/// The kind of `ty` (already unboxed).
pub(crate) fn kind(schema: &Schema, ty: &Ty) -> Kind {
    match ty {
        Ty::Unit | Ty::Tuple(_) => Kind::Message,
        Ty::Bool => Kind::Scalar(Scalar::Bool),
        Ty::Int(int, _) => Kind::Scalar(match int {
            IntTy::U8 | IntTy::U16 | IntTy::U32 => Scalar::U32(*int),
            IntTy::U64 => Scalar::U64,
            IntTy::I8 | IntTy::I16 | IntTy::I32 => Scalar::S32(*int),
            IntTy::I64 => Scalar::S64,
        }),
        Ty::Float(FloatTy::F32, _) => Kind::Scalar(Scalar::F32),
        Ty::Float(FloatTy::F64, _) => Kind::Scalar(Scalar::F64),
        Ty::String { .. } => Kind::Scalar(Scalar::Str),
        Ty::Bytes { .. } | Ty::ByteArray(_) => Kind::Scalar(Scalar::Bytes),
        Ty::Option(_) => Kind::Option,
        Ty::Boxed(inner) => kind(schema, inner),
        Ty::List { .. } | Ty::Array { .. } | Ty::Set { .. } => Kind::Repeated,
        Ty::Map { .. } => Kind::Map,
        Ty::Roblox(r) => match r {
            RobloxTy::DateTime => Kind::Scalar(Scalar::Millis),
            RobloxTy::EnumItem { .. } => Kind::Scalar(Scalar::EnumItem),
            RobloxTy::Instance => Kind::Scalar(Scalar::Instance),
            _ => Kind::Message,
        },
        Ty::Named(name) => match schema.get(name).map(|d| &d.kind) {
            Some(TypeKind::Enum(variants)) if unit_only(variants) => {
                Kind::Scalar(Scalar::Enum(variants.len() as u32))
            }
            _ => Kind::Message,
        },
    }
}

/// Whether every variant is a unit variant (the enum is a proto `enum`).
pub(crate) fn unit_only(variants: &[skyrocket_schema::ir::Variant]) -> bool {
    variants.iter().all(|v| matches!(v.fields, Fields::Unit))
}

/// The encoded fields of a struct or variant with their field numbers (the
/// 1-based declaration position; skipped fields keep theirs reserved).
pub(crate) fn numbered(fields: &Fields) -> impl Iterator<Item = (u32, &Field)> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.skip.is_none())
        .map(|(i, f)| (i as u32 + 1, f))
}

/// Component types of the Roblox messages.
pub(crate) const F32: Ty = Ty::Float(FloatTy::F32, FloatEncoding::Full);
pub(crate) const I32: Ty = Ty::Int(IntTy::I32, IntEncoding::Fixed);
pub(crate) const UDIM: Ty = Ty::Roblox(RobloxTy::UDim);

/// Field names of the Roblox messages, in field-number order.
pub(crate) fn roblox_fields(r: &RobloxTy) -> &'static [&'static str] {
    match r {
        RobloxTy::Vector3(_) => &["x", "y", "z"],
        RobloxTy::Vector2(_) => &["x", "y"],
        RobloxTy::CFrame { .. } => &[
            "x", "y", "z", "r00", "r01", "r02", "r10", "r11", "r12", "r20", "r21", "r22",
        ],
        RobloxTy::Color3 { .. } => &["r", "g", "b"],
        RobloxTy::UDim => &["scale", "offset"],
        RobloxTy::UDim2 => &["x", "y"],
        _ => &[],
    }
}

/// The type of field `number` (1-based) of a Roblox message.
pub(crate) fn roblox_field_ty(r: &RobloxTy, number: u32) -> &'static Ty {
    match (r, number) {
        (RobloxTy::UDim, 2) => &I32,
        (RobloxTy::UDim2, _) => &UDIM,
        _ => &F32,
    }
}

//! Roblox value types as plain Rust data, with the encodings of
//! `docs/wire-format.md` section 5. Components are `f32`, as Roblox stores them.

use crate::codec::NetCodec;
use crate::error::{DecodeError, EncodeError};
use crate::wire::{self, Decoder, Encoder};
use skyrocket_schema::{FloatEncoding, RobloxTy, Schema, Ty};

/// Roblox `Vector3`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Vector3 {
    /// X component.
    pub x: f32,
    /// Y component.
    pub y: f32,
    /// Z component.
    pub z: f32,
}

impl Vector3 {
    /// A vector from its components.
    pub const fn new(x: f32, y: f32, z: f32) -> Self {
        Vector3 { x, y, z }
    }
}

/// Roblox `Vector2`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Vector2 {
    /// X component.
    pub x: f32,
    /// Y component.
    pub y: f32,
}

impl Vector2 {
    /// A vector from its components.
    pub const fn new(x: f32, y: f32) -> Self {
        Vector2 { x, y }
    }
}

/// Roblox `CFrame`: a position and a rotation matrix, row-major, in the order
/// of `CFrame:GetComponents()`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CFrame {
    /// Position.
    pub position: Vector3,
    /// Rotation matrix rows: `[[R00, R01, R02], [R10, R11, R12], [R20, R21, R22]]`.
    pub rotation: [[f32; 3]; 3],
}

impl Default for CFrame {
    fn default() -> Self {
        CFrame::IDENTITY
    }
}

impl CFrame {
    /// No translation, no rotation.
    pub const IDENTITY: CFrame = CFrame {
        position: Vector3::new(0.0, 0.0, 0.0),
        rotation: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
    };

    /// A translation without rotation.
    pub const fn from_position(x: f32, y: f32, z: f32) -> Self {
        CFrame {
            position: Vector3::new(x, y, z),
            rotation: CFrame::IDENTITY.rotation,
        }
    }

    /// Rotation about X, then Y, then Z (radians), like `CFrame.Angles`.
    pub fn from_euler_xyz(rx: f64, ry: f64, rz: f64) -> Self {
        let (sx, cx) = rx.sin_cos();
        let (sy, cy) = ry.sin_cos();
        let (sz, cz) = rz.sin_cos();
        let m = [
            [cy * cz, -cy * sz, sy],
            [cx * sz + sx * sy * cz, cx * cz - sx * sy * sz, -sx * cy],
            [sx * sz - cx * sy * cz, sx * cz + cx * sy * sz, cx * cy],
        ];
        CFrame {
            position: Vector3::default(),
            rotation: m.map(|row| row.map(|v| v as f32)),
        }
    }

    /// The 12 components as `CFrame:GetComponents()` returns them.
    pub fn components(&self) -> [f32; 12] {
        let r = &self.rotation;
        [
            self.position.x,
            self.position.y,
            self.position.z,
            r[0][0],
            r[0][1],
            r[0][2],
            r[1][0],
            r[1][1],
            r[1][2],
            r[2][0],
            r[2][1],
            r[2][2],
        ]
    }
}

/// Roblox `Color3`, components nominally in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Color3 {
    /// Red.
    pub r: f32,
    /// Green.
    pub g: f32,
    /// Blue.
    pub b: f32,
}

impl Color3 {
    /// A color from 0..=255 channels, like `Color3.fromRGB`.
    pub fn from_rgb(r: u8, g: u8, b: u8) -> Self {
        Color3 {
            r: r as f32 / 255.0,
            g: g as f32 / 255.0,
            b: b as f32 / 255.0,
        }
    }
}

/// Roblox `UDim`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UDim {
    /// Fraction of the parent size.
    pub scale: f32,
    /// Pixels.
    pub offset: i32,
}

/// Roblox `UDim2`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UDim2 {
    /// Horizontal.
    pub x: UDim,
    /// Vertical.
    pub y: UDim,
}

/// Roblox `DateTime`, as Unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub unix_millis: i64,
}

/// A Roblox enum item by value; the field's `#[net(roblox_enum = "...")]`
/// names the Roblox enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct EnumItem {
    /// `EnumItem.Value`.
    pub value: u16,
}

/// An instance reference: an opaque id carried in the side table beside the
/// buffer (spec 5.2), never in the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instance {
    /// Opaque id chosen by the host.
    pub id: u64,
}

#[inline(always)]
fn write_component(enc: &mut Encoder, v: f32, encoding: &FloatEncoding) {
    match encoding {
        FloatEncoding::Full => enc.write_f32(v),
        FloatEncoding::Half => wire::write_half(enc, v as f64),
        FloatEncoding::Quantized(q) => wire::write_quantized(enc, v as f64, q),
    }
}

#[inline(always)]
fn read_component(dec: &mut Decoder<'_>, encoding: &FloatEncoding) -> Result<f32, DecodeError> {
    match encoding {
        FloatEncoding::Full => dec.read_f32(),
        FloatEncoding::Half => Ok(wire::read_half(dec)? as f32),
        FloatEncoding::Quantized(q) => Ok(wire::read_quantized(dec, q)? as f32),
    }
}

/// Writes a `Vector3` with the given component encoding.
#[inline(always)]
pub fn write_vector3(enc: &mut Encoder, v: &Vector3, encoding: &FloatEncoding) {
    write_component(enc, v.x, encoding);
    write_component(enc, v.y, encoding);
    write_component(enc, v.z, encoding);
}

/// Reads a `Vector3` with the given component encoding.
#[inline(always)]
pub fn read_vector3(
    dec: &mut Decoder<'_>,
    encoding: &FloatEncoding,
) -> Result<Vector3, DecodeError> {
    let x = read_component(dec, encoding).map_err(|e| e.in_field("X"))?;
    let y = read_component(dec, encoding).map_err(|e| e.in_field("Y"))?;
    let z = read_component(dec, encoding).map_err(|e| e.in_field("Z"))?;
    Ok(Vector3 { x, y, z })
}

/// Writes a `Vector2` with the given component encoding.
#[inline(always)]
pub fn write_vector2(enc: &mut Encoder, v: &Vector2, encoding: &FloatEncoding) {
    write_component(enc, v.x, encoding);
    write_component(enc, v.y, encoding);
}

/// Reads a `Vector2` with the given component encoding.
#[inline(always)]
pub fn read_vector2(
    dec: &mut Decoder<'_>,
    encoding: &FloatEncoding,
) -> Result<Vector2, DecodeError> {
    let x = read_component(dec, encoding).map_err(|e| e.in_field("X"))?;
    let y = read_component(dec, encoding).map_err(|e| e.in_field("Y"))?;
    Ok(Vector2 { x, y })
}

/// Bits per smallest-three component (spec 5.1).
pub const ROTATION_COMPONENT_BITS: u32 = 15;
/// Highest smallest-three level: even, so a zero component is exactly level 16383.
const ROTATION_COMPONENT_MAX: f64 = 32766.0;
/// The half range `H` of a smallest-three component (spec 5.1): `1/sqrt(2)`
/// correctly rounded to binary64, `0x3FE6A09E667F3BCD` = 0.7071067811865476
/// (`std::f64::consts::FRAC_1_SQRT_2`). Note that `1 / math.sqrt(2)`
/// evaluates to one ulp less; implementations must use this constant.
pub const ROTATION_HALF_RANGE: f64 = std::f64::consts::FRAC_1_SQRT_2;
/// The full range `2H` (spec 5.1): `0x3FF6A09E667F3BCD`, exactly
/// `2 * ROTATION_HALF_RANGE`.
pub const ROTATION_RANGE: f64 = 2.0 * ROTATION_HALF_RANGE;

/// The unit quaternion `[w, x, y, z]` of a rotation matrix (spec 5.1 steps 1-2).
pub fn matrix_to_quaternion(r: &[[f32; 3]; 3]) -> [f64; 4] {
    let m = |i: usize, j: usize| r[i][j] as f64;
    let trace = m(0, 0) + m(1, 1) + m(2, 2);
    let q = if trace > 0.0 {
        let s = (trace + 1.0).sqrt() * 2.0;
        [
            s / 4.0,
            (m(2, 1) - m(1, 2)) / s,
            (m(0, 2) - m(2, 0)) / s,
            (m(1, 0) - m(0, 1)) / s,
        ]
    } else if m(0, 0) > m(1, 1) && m(0, 0) > m(2, 2) {
        let s = (1.0 + m(0, 0) - m(1, 1) - m(2, 2)).sqrt() * 2.0;
        [
            (m(2, 1) - m(1, 2)) / s,
            s / 4.0,
            (m(0, 1) + m(1, 0)) / s,
            (m(0, 2) + m(2, 0)) / s,
        ]
    } else if m(1, 1) > m(2, 2) {
        let s = (1.0 + m(1, 1) - m(0, 0) - m(2, 2)).sqrt() * 2.0;
        [
            (m(0, 2) - m(2, 0)) / s,
            (m(0, 1) + m(1, 0)) / s,
            s / 4.0,
            (m(1, 2) + m(2, 1)) / s,
        ]
    } else {
        let s = (1.0 + m(2, 2) - m(0, 0) - m(1, 1)).sqrt() * 2.0;
        [
            (m(1, 0) - m(0, 1)) / s,
            (m(0, 2) + m(2, 0)) / s,
            (m(1, 2) + m(2, 1)) / s,
            s / 4.0,
        ]
    };
    let norm = (q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]).sqrt();
    if norm.is_nan() || norm == 0.0 {
        return [1.0, 0.0, 0.0, 0.0];
    }
    q.map(|c| c / norm)
}

/// The rotation matrix of a unit quaternion `[w, x, y, z]` (spec 5.1).
pub fn quaternion_to_matrix(q: [f64; 4]) -> [[f32; 3]; 3] {
    let [w, x, y, z] = q;
    let m = [
        [
            1.0 - 2.0 * (y * y + z * z),
            2.0 * (x * y - z * w),
            2.0 * (x * z + y * w),
        ],
        [
            2.0 * (x * y + z * w),
            1.0 - 2.0 * (x * x + z * z),
            2.0 * (y * z - x * w),
        ],
        [
            2.0 * (x * z - y * w),
            2.0 * (y * z + x * w),
            1.0 - 2.0 * (x * x + y * y),
        ],
    ];
    m.map(|row| row.map(|v| v as f32))
}

/// Writes a rotation as smallest-three (spec 5.1): 47 bits.
pub fn write_rotation(enc: &mut Encoder, rotation: &[[f32; 3]; 3]) {
    let mut q = matrix_to_quaternion(rotation);
    let mut largest = 0;
    for i in 1..4 {
        if q[i].abs() > q[largest].abs() {
            largest = i;
        }
    }
    if q[largest] < 0.0 {
        q = q.map(|c| -c);
    }
    enc.write_bits(largest as u64, 2);
    for (i, c) in q.iter().enumerate() {
        if i == largest {
            continue;
        }
        let level =
            ((c + ROTATION_HALF_RANGE) / ROTATION_RANGE * ROTATION_COMPONENT_MAX + 0.5).floor();
        let level = level.clamp(0.0, ROTATION_COMPONENT_MAX);
        enc.write_bits(level as u64, ROTATION_COMPONENT_BITS);
    }
}

/// Reads a smallest-three rotation (spec 5.1).
pub fn read_rotation(dec: &mut Decoder<'_>) -> Result<[[f32; 3]; 3], DecodeError> {
    let largest = dec.read_bits(2)? as usize;
    let mut q = [0.0f64; 4];
    // `sum = ((a² + b²) + c²)`, then `1 - sum` (spec 5.1).
    let mut sum = 0.0;
    for (i, slot) in q.iter_mut().enumerate() {
        if i == largest {
            continue;
        }
        let level = dec.read_bits(ROTATION_COMPONENT_BITS)? as f64;
        if level > ROTATION_COMPONENT_MAX {
            return Err(dec.fail(crate::error::DecodeErrorKind::OutOfRange));
        }
        let c = level / ROTATION_COMPONENT_MAX * ROTATION_RANGE - ROTATION_HALF_RANGE;
        *slot = c;
        sum += c * c;
    }
    q[largest] = (1.0 - sum).max(0.0).sqrt();
    Ok(quaternion_to_matrix(q))
}

/// Writes a `CFrame`: position, then smallest-three rotation or 9 `f32`s.
pub fn write_cframe(enc: &mut Encoder, cf: &CFrame, lossless: bool) {
    write_vector3(enc, &cf.position, &FloatEncoding::Full);
    if lossless {
        for row in &cf.rotation {
            for v in row {
                enc.write_f32(*v);
            }
        }
    } else {
        write_rotation(enc, &cf.rotation);
    }
}

/// Reads a `CFrame` written by [`write_cframe`].
pub fn read_cframe(dec: &mut Decoder<'_>, lossless: bool) -> Result<CFrame, DecodeError> {
    let position = read_vector3(dec, &FloatEncoding::Full).map_err(|e| e.in_field("Position"))?;
    let rotation = if lossless {
        let mut r = [[0.0f32; 3]; 3];
        for row in r.iter_mut() {
            for v in row.iter_mut() {
                *v = dec.read_f32()?;
            }
        }
        r
    } else {
        read_rotation(dec)?
    };
    Ok(CFrame { position, rotation })
}

fn color_channel(c: f32) -> u8 {
    let level = (c as f64 * 255.0 + 0.5).floor();
    if level.is_nan() {
        0
    } else {
        level.clamp(0.0, 255.0) as u8
    }
}

/// Writes a `Color3`: RGB8, or 3 `f32`s when lossless.
pub fn write_color3(enc: &mut Encoder, c: &Color3, lossless: bool) {
    if lossless {
        enc.write_f32(c.r);
        enc.write_f32(c.g);
        enc.write_f32(c.b);
    } else {
        enc.write_u8(color_channel(c.r));
        enc.write_u8(color_channel(c.g));
        enc.write_u8(color_channel(c.b));
    }
}

/// Reads a `Color3` written by [`write_color3`].
pub fn read_color3(dec: &mut Decoder<'_>, lossless: bool) -> Result<Color3, DecodeError> {
    if lossless {
        Ok(Color3 {
            r: dec.read_f32()?,
            g: dec.read_f32()?,
            b: dec.read_f32()?,
        })
    } else {
        Ok(Color3 {
            r: (dec.read_u8()? as f64 / 255.0) as f32,
            g: (dec.read_u8()? as f64 / 255.0) as f32,
            b: (dec.read_u8()? as f64 / 255.0) as f32,
        })
    }
}

macro_rules! roblox_codec {
    ($t:ty, $ty:expr, |$s:ident, $enc:ident| $encode:expr, |$dec:ident| $decode:expr) => {
        impl NetCodec for $t {
            fn encode(&self, $enc: &mut Encoder) -> Result<(), EncodeError> {
                let $s = self;
                $encode;
                Ok(())
            }
            fn decode($dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
                $decode
            }
            fn describe(_: &mut Schema) -> Ty {
                Ty::Roblox($ty)
            }
        }
    };
}

roblox_codec!(
    Vector3,
    RobloxTy::Vector3(FloatEncoding::Full),
    |v, enc| write_vector3(enc, v, &FloatEncoding::Full),
    |dec| read_vector3(dec, &FloatEncoding::Full)
);
roblox_codec!(
    Vector2,
    RobloxTy::Vector2(FloatEncoding::Full),
    |v, enc| write_vector2(enc, v, &FloatEncoding::Full),
    |dec| read_vector2(dec, &FloatEncoding::Full)
);
roblox_codec!(
    CFrame,
    RobloxTy::CFrame { lossless: false },
    |v, enc| write_cframe(enc, v, false),
    |dec| read_cframe(dec, false)
);
roblox_codec!(
    Color3,
    RobloxTy::Color3 { lossless: false },
    |v, enc| write_color3(enc, v, false),
    |dec| read_color3(dec, false)
);
roblox_codec!(
    UDim,
    RobloxTy::UDim,
    |v, enc| {
        enc.write_f32(v.scale);
        enc.write_u32(v.offset as u32)
    },
    |dec| Ok(UDim {
        scale: dec.read_f32()?,
        offset: dec.read_u32()? as i32
    })
);
roblox_codec!(
    UDim2,
    RobloxTy::UDim2,
    |v, enc| {
        v.x.encode(enc)?;
        v.y.encode(enc)?
    },
    |dec| Ok(UDim2 {
        x: UDim::decode(dec).map_err(|e| e.in_field("X"))?,
        y: UDim::decode(dec).map_err(|e| e.in_field("Y"))?
    })
);
roblox_codec!(
    DateTime,
    RobloxTy::DateTime,
    |v, enc| enc.write_u64(v.unix_millis as u64),
    |dec| Ok(DateTime {
        unix_millis: dec.read_u64()? as i64
    })
);

/// Writes an enum item value (spec 5).
pub fn write_enum_item(enc: &mut Encoder, item: &EnumItem) {
    enc.write_u16(item.value);
}

/// Reads an enum item value (spec 5).
pub fn read_enum_item(dec: &mut Decoder<'_>) -> Result<EnumItem, DecodeError> {
    Ok(EnumItem {
        value: dec.read_u16()?,
    })
}

impl NetCodec for Instance {
    fn encode(&self, enc: &mut Encoder) -> Result<(), EncodeError> {
        enc.push_instance(*self);
        Ok(())
    }
    fn decode(dec: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        dec.next_instance()
    }
    fn describe(_: &mut Schema) -> Ty {
        Ty::Roblox(RobloxTy::Instance)
    }
}

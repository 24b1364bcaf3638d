//! `CFrame`: position plus 3x3 rotation matrix, f32 storage like Roblox.
//!
//! Conventions (Roblox's): `GetComponents()` returns
//! `x, y, z, R00, R01, R02, R10, R11, R12, R20, R21, R22` (row-major);
//! `RightVector` is column 0, `UpVector` column 1, `LookVector` is minus
//! column 2. `CFrame.Angles(rx, ry, rz)` = `Rx * Ry * Rz`;
//! `CFrame.fromOrientation(rx, ry, rz)` = `Ry * Rx * Rz`.

use super::{bad_arg, fmt_f32, opt_num, set_library, userdata_eq, userdata_from_lua};
use mlua::{Lua, MetaMethod, Result, UserData, UserDataMethods, Value, Variadic, Vector};

type M3 = [[f64; 3]; 3];
type V3 = [f64; 3];

/// Roblox `CFrame`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CFrame {
    /// Translation.
    pub position: [f32; 3],
    /// Rotation matrix, row-major (`rotation[row][col]`).
    pub rotation: [[f32; 3]; 3],
}

impl Default for CFrame {
    fn default() -> Self {
        Self::IDENTITY
    }
}

userdata_from_lua!(CFrame, "CFrame");

fn v3(v: Vector) -> V3 {
    [v.x() as f64, v.y() as f64, v.z() as f64]
}
fn to_vector(v: V3) -> Vector {
    Vector::new(v[0] as f32, v[1] as f32, v[2] as f32)
}
fn sub(a: V3, b: V3) -> V3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
fn dot(a: V3, b: V3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
fn cross(a: V3, b: V3) -> V3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}
fn norm(a: V3) -> V3 {
    let m = dot(a, a).sqrt();
    [a[0] / m, a[1] / m, a[2] / m]
}
fn matmul(a: &M3, b: &M3) -> M3 {
    let mut r = [[0.0; 3]; 3];
    for (i, row) in r.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    r
}
fn rot_x(a: f64) -> M3 {
    let (s, c) = a.sin_cos();
    [[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]]
}
fn rot_y(a: f64) -> M3 {
    let (s, c) = a.sin_cos();
    [[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]]
}
fn rot_z(a: f64) -> M3 {
    let (s, c) = a.sin_cos();
    [[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]]
}
fn from_columns(x: V3, y: V3, z: V3) -> M3 {
    [[x[0], y[0], z[0]], [x[1], y[1], z[1]], [x[2], y[2], z[2]]]
}

/// Quaternion `[x, y, z, w]` of a rotation matrix.
fn quat_from(m: &M3) -> [f64; 4] {
    let tr = m[0][0] + m[1][1] + m[2][2];
    let q = if tr > 0.0 {
        let s = (tr + 1.0).sqrt() * 2.0;
        [
            (m[2][1] - m[1][2]) / s,
            (m[0][2] - m[2][0]) / s,
            (m[1][0] - m[0][1]) / s,
            0.25 * s,
        ]
    } else if m[0][0] > m[1][1] && m[0][0] > m[2][2] {
        let s = (1.0 + m[0][0] - m[1][1] - m[2][2]).sqrt() * 2.0;
        [
            0.25 * s,
            (m[0][1] + m[1][0]) / s,
            (m[0][2] + m[2][0]) / s,
            (m[2][1] - m[1][2]) / s,
        ]
    } else if m[1][1] > m[2][2] {
        let s = (1.0 + m[1][1] - m[0][0] - m[2][2]).sqrt() * 2.0;
        [
            (m[0][1] + m[1][0]) / s,
            0.25 * s,
            (m[1][2] + m[2][1]) / s,
            (m[0][2] - m[2][0]) / s,
        ]
    } else {
        let s = (1.0 + m[2][2] - m[0][0] - m[1][1]).sqrt() * 2.0;
        [
            (m[0][2] + m[2][0]) / s,
            (m[1][2] + m[2][1]) / s,
            0.25 * s,
            (m[1][0] - m[0][1]) / s,
        ]
    };
    let n = q.iter().map(|c| c * c).sum::<f64>().sqrt();
    [q[0] / n, q[1] / n, q[2] / n, q[3] / n]
}

/// Rotation matrix of a quaternion `[x, y, z, w]` (normalized here).
fn mat_from_quat(q: [f64; 4]) -> M3 {
    let n = q.iter().map(|c| c * c).sum::<f64>().sqrt();
    let (x, y, z, w) = (q[0] / n, q[1] / n, q[2] / n, q[3] / n);
    [
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
    ]
}

impl CFrame {
    /// The identity CFrame.
    pub const IDENTITY: CFrame = CFrame {
        position: [0.0; 3],
        rotation: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
    };

    fn from_parts(p: V3, r: &M3) -> Self {
        let mut rotation = [[0.0f32; 3]; 3];
        for i in 0..3 {
            for j in 0..3 {
                rotation[i][j] = r[i][j] as f32;
            }
        }
        Self {
            position: [p[0] as f32, p[1] as f32, p[2] as f32],
            rotation,
        }
    }
    fn p(&self) -> V3 {
        self.position.map(f64::from)
    }
    fn r(&self) -> M3 {
        self.rotation.map(|row| row.map(f64::from))
    }
    fn column(&self, j: usize) -> V3 {
        [0, 1, 2].map(|i| self.rotation[i][j] as f64)
    }

    /// A pure translation.
    pub fn from_position(x: f32, y: f32, z: f32) -> Self {
        Self {
            position: [x, y, z],
            ..Self::IDENTITY
        }
    }
    /// From the 12 components in `GetComponents` order.
    pub fn from_components(c: [f32; 12]) -> Self {
        Self {
            position: [c[0], c[1], c[2]],
            rotation: [[c[3], c[4], c[5]], [c[6], c[7], c[8]], [c[9], c[10], c[11]]],
        }
    }
    /// The 12 components in `GetComponents` order.
    pub fn components(&self) -> [f32; 12] {
        let (p, m) = (self.position, self.rotation);
        [
            p[0], p[1], p[2], m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0],
            m[2][1], m[2][2],
        ]
    }
    /// `CFrame.Angles(rx, ry, rz)`: `Rx * Ry * Rz`.
    pub fn angles(rx: f64, ry: f64, rz: f64) -> Self {
        let r = matmul(&matmul(&rot_x(rx), &rot_y(ry)), &rot_z(rz));
        Self::from_parts([0.0; 3], &r)
    }
    /// `CFrame.fromOrientation(rx, ry, rz)`: `Ry * Rx * Rz`.
    pub fn from_orientation(rx: f64, ry: f64, rz: f64) -> Self {
        let r = matmul(&matmul(&rot_y(ry), &rot_x(rx)), &rot_z(rz));
        Self::from_parts([0.0; 3], &r)
    }
    /// `CFrame.lookAt(at, target, up)`.
    pub fn look_at(at: Vector, target: Vector, up: Vector) -> Self {
        let look = sub(v3(target), v3(at));
        if dot(look, look) == 0.0 {
            return Self::from_position(at.x(), at.y(), at.z());
        }
        Self::look_along(at, to_vector(look), up)
    }
    fn look_along(at: Vector, dir: Vector, up: Vector) -> Self {
        let look = norm(v3(dir));
        let mut right = cross(look, v3(up));
        if dot(right, right) < 1e-12 {
            // Looking straight along `up`: pick any perpendicular right.
            right = cross(look, [0.0, 0.0, 1.0]);
            if dot(right, right) < 1e-12 {
                right = cross(look, [1.0, 0.0, 0.0]);
            }
        }
        let right = norm(right);
        let upv = cross(right, look);
        let back = [-look[0], -look[1], -look[2]];
        Self::from_parts(v3(at), &from_columns(right, upv, back))
    }
    /// `a * b`.
    pub fn mul(&self, o: &CFrame) -> CFrame {
        let r = matmul(&self.r(), &o.r());
        let p = self.transform_point(o.p());
        Self::from_parts(p, &r)
    }
    fn rotate(&self, v: V3) -> V3 {
        let r = self.r();
        [0, 1, 2].map(|i| dot(r[i], v))
    }
    fn rotate_inv(&self, v: V3) -> V3 {
        [0, 1, 2].map(|j| dot(self.column(j), v))
    }
    fn transform_point(&self, v: V3) -> V3 {
        let r = self.rotate(v);
        let p = self.p();
        [r[0] + p[0], r[1] + p[1], r[2] + p[2]]
    }
    /// The inverse transform.
    pub fn inverse(&self) -> CFrame {
        let r = self.r();
        let rt = [0, 1, 2].map(|i| [0, 1, 2].map(|j| r[j][i]));
        let p = self.rotate_inv(self.p());
        Self::from_parts([-p[0], -p[1], -p[2]], &rt)
    }
    /// Euler angles `(rx, ry, rz)` such that `fromOrientation` rebuilds self.
    pub fn to_orientation(self) -> (f64, f64, f64) {
        let m = self.r();
        let sx = (-m[1][2]).clamp(-1.0, 1.0);
        let rx = sx.asin();
        if sx.abs() < 0.999_999_9 {
            (rx, m[0][2].atan2(m[2][2]), m[1][0].atan2(m[1][1]))
        } else {
            (rx, (-m[2][0]).atan2(m[0][0]), 0.0)
        }
    }
    /// Euler angles `(rx, ry, rz)` such that `Angles` rebuilds self.
    pub fn to_euler_xyz(self) -> (f64, f64, f64) {
        let m = self.r();
        let sy = m[0][2].clamp(-1.0, 1.0);
        let ry = sy.asin();
        if sy.abs() < 0.999_999_9 {
            ((-m[1][2]).atan2(m[2][2]), ry, (-m[0][1]).atan2(m[0][0]))
        } else {
            (m[2][1].atan2(m[1][1]), ry, 0.0)
        }
    }
    /// Interpolates position linearly and rotation by quaternion slerp.
    pub fn lerp(&self, goal: &CFrame, t: f64) -> CFrame {
        let (a, mut b) = (quat_from(&self.r()), quat_from(&goal.r()));
        let mut d: f64 = (0..4).map(|i| a[i] * b[i]).sum();
        if d < 0.0 {
            b = b.map(|c| -c);
            d = -d;
        }
        let q = if d > 0.9995 {
            [0, 1, 2, 3].map(|i| a[i] + (b[i] - a[i]) * t)
        } else {
            let th = d.clamp(-1.0, 1.0).acos();
            let s = th.sin();
            let (wa, wb) = (((1.0 - t) * th).sin() / s, (t * th).sin() / s);
            [0, 1, 2, 3].map(|i| a[i] * wa + b[i] * wb)
        };
        let (pa, pb) = (self.p(), goal.p());
        let p = [0, 1, 2].map(|i| pa[i] + (pb[i] - pa[i]) * t);
        Self::from_parts(p, &mat_from_quat(q))
    }
    fn from_axis_angle(axis: Vector, angle: f64) -> CFrame {
        let a = norm(v3(axis));
        let (s, c) = (angle / 2.0).sin_cos();
        Self::from_parts([0.0; 3], &mat_from_quat([a[0] * s, a[1] * s, a[2] * s, c]))
    }
    fn to_axis_angle(self) -> (V3, f64) {
        let mut q = quat_from(&self.r());
        if q[3] < 0.0 {
            q = q.map(|c| -c);
        }
        let angle = 2.0 * q[3].clamp(-1.0, 1.0).acos();
        let s = (1.0 - q[3] * q[3]).max(0.0).sqrt();
        if s < 1e-9 {
            ([1.0, 0.0, 0.0], 0.0)
        } else {
            ([q[0] / s, q[1] / s, q[2] / s], angle)
        }
    }
    fn rotation_only(&self) -> CFrame {
        CFrame {
            position: [0.0; 3],
            rotation: self.rotation,
        }
    }
}

fn num(v: &Value, func: &str, n: usize) -> Result<f64> {
    match v {
        Value::Nil => Err(bad_arg(func, n, "number", v)),
        _ => opt_num(v, func, n, 0.0),
    }
}

fn vec_arg(v: &Value, func: &str, n: usize) -> Result<Vector> {
    match v {
        Value::Vector(v) => Ok(*v),
        other => Err(bad_arg(func, n, "Vector3", other)),
    }
}

fn cframe_new(args: Variadic<Value>) -> Result<CFrame> {
    const F: &str = "CFrame.new";
    match args.len() {
        0 => Ok(CFrame::IDENTITY),
        1 => {
            let p = vec_arg(&args[0], F, 1)?;
            Ok(CFrame::from_position(p.x(), p.y(), p.z()))
        }
        2 => {
            let (at, target) = (vec_arg(&args[0], F, 1)?, vec_arg(&args[1], F, 2)?);
            Ok(CFrame::look_at(at, target, Vector::new(0.0, 1.0, 0.0)))
        }
        3 => Ok(CFrame::from_position(
            num(&args[0], F, 1)? as f32,
            num(&args[1], F, 2)? as f32,
            num(&args[2], F, 3)? as f32,
        )),
        7 => {
            let n: Vec<f64> = (0..7)
                .map(|i| num(&args[i], F, i + 1))
                .collect::<Result<_>>()?;
            let r = mat_from_quat([n[3], n[4], n[5], n[6]]);
            Ok(CFrame::from_parts([n[0], n[1], n[2]], &r))
        }
        12 => {
            let mut c = [0.0f32; 12];
            for (i, slot) in c.iter_mut().enumerate() {
                *slot = num(&args[i], F, i + 1)? as f32;
            }
            Ok(CFrame::from_components(c))
        }
        n => Err(mlua::Error::runtime(format!(
            "Invalid number of arguments: {n} (CFrame.new takes 0, 1, 2, 3, 7 or 12)"
        ))),
    }
}

impl UserData for CFrame {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "CFrame");
        let pos = |_: &Lua, c: &CFrame| Ok(to_vector(c.p()));
        fields.add_field_method_get("Position", pos);
        fields.add_field_method_get("p", pos);
        fields.add_field_method_get("X", |_, c| Ok(c.position[0]));
        fields.add_field_method_get("Y", |_, c| Ok(c.position[1]));
        fields.add_field_method_get("Z", |_, c| Ok(c.position[2]));
        fields.add_field_method_get("x", |_, c| Ok(c.position[0]));
        fields.add_field_method_get("y", |_, c| Ok(c.position[1]));
        fields.add_field_method_get("z", |_, c| Ok(c.position[2]));
        fields.add_field_method_get("Rotation", |_, c| Ok(c.rotation_only()));
        let right = |_: &Lua, c: &CFrame| Ok(to_vector(c.column(0)));
        let up = |_: &Lua, c: &CFrame| Ok(to_vector(c.column(1)));
        let look = |_: &Lua, c: &CFrame| Ok(to_vector(c.column(2).map(|v| -v)));
        fields.add_field_method_get("RightVector", right);
        fields.add_field_method_get("rightVector", right);
        fields.add_field_method_get("XVector", right);
        fields.add_field_method_get("UpVector", up);
        fields.add_field_method_get("upVector", up);
        fields.add_field_method_get("YVector", up);
        fields.add_field_method_get("LookVector", look);
        fields.add_field_method_get("lookVector", look);
        fields.add_field_method_get("ZVector", |_, c| Ok(to_vector(c.column(2))));
    }

    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("Inverse", |_, c, ()| Ok(c.inverse()));
        methods.add_method("inverse", |_, c, ()| Ok(c.inverse()));
        methods.add_method("Lerp", |_, c, (g, t): (CFrame, f64)| Ok(c.lerp(&g, t)));
        methods.add_method("lerp", |_, c, (g, t): (CFrame, f64)| Ok(c.lerp(&g, t)));
        let comps = |_: &Lua, c: &CFrame, ()| Ok(Variadic::from_iter(c.components()));
        methods.add_method("GetComponents", comps);
        methods.add_method("components", comps);
        methods.add_method("ToOrientation", |_, c, ()| Ok(c.to_orientation()));
        methods.add_method("ToEulerAnglesYXZ", |_, c, ()| Ok(c.to_orientation()));
        methods.add_method("ToEulerAnglesXYZ", |_, c, ()| Ok(c.to_euler_xyz()));
        methods.add_method("ToAxisAngle", |_, c, ()| {
            let (axis, angle) = c.to_axis_angle();
            Ok((to_vector(axis), angle))
        });
        methods.add_method("ToWorldSpace", |_, c, others: Variadic<CFrame>| {
            Ok(Variadic::from_iter(others.iter().map(|o| c.mul(o))))
        });
        methods.add_method("ToObjectSpace", |_, c, others: Variadic<CFrame>| {
            let inv = c.inverse();
            Ok(Variadic::from_iter(others.iter().map(|o| inv.mul(o))))
        });
        methods.add_method("PointToWorldSpace", |_, c, vs: Variadic<Vector>| {
            Ok(Variadic::from_iter(
                vs.iter().map(|v| to_vector(c.transform_point(v3(*v)))),
            ))
        });
        methods.add_method("PointToObjectSpace", |_, c, vs: Variadic<Vector>| {
            let inv = c.inverse();
            Ok(Variadic::from_iter(
                vs.iter().map(|v| to_vector(inv.transform_point(v3(*v)))),
            ))
        });
        methods.add_method("VectorToWorldSpace", |_, c, vs: Variadic<Vector>| {
            Ok(Variadic::from_iter(
                vs.iter().map(|v| to_vector(c.rotate(v3(*v)))),
            ))
        });
        methods.add_method("VectorToObjectSpace", |_, c, vs: Variadic<Vector>| {
            Ok(Variadic::from_iter(
                vs.iter().map(|v| to_vector(c.rotate_inv(v3(*v)))),
            ))
        });
        methods.add_method("Orthonormalize", |_, c, ()| {
            let x = norm(c.column(0));
            let y0 = c.column(1);
            let d = dot(x, y0);
            let y = norm([y0[0] - x[0] * d, y0[1] - x[1] * d, y0[2] - x[2] * d]);
            let z = cross(x, y);
            Ok(CFrame::from_parts(c.p(), &from_columns(x, y, z)))
        });
        methods.add_method("FuzzyEq", |_, c, (o, eps): (CFrame, Option<f32>)| {
            let e = eps.unwrap_or(1e-5);
            Ok(c.components()
                .iter()
                .zip(o.components())
                .all(|(a, b)| (a - b).abs() <= e))
        });
        userdata_eq!(methods, CFrame);
        methods.add_meta_method(MetaMethod::ToString, |_, c, ()| {
            Ok(c.components()
                .iter()
                .map(|v| fmt_f32(*v))
                .collect::<Vec<_>>()
                .join(", "))
        });
        methods.add_meta_function(MetaMethod::Mul, |lua, (a, b): (CFrame, Value)| match &b {
            Value::Vector(v) => Ok(Value::Vector(to_vector(a.transform_point(v3(*v))))),
            Value::UserData(ud) if ud.is::<CFrame>() => {
                let o = ud.borrow::<CFrame>()?;
                mlua::IntoLua::into_lua(a.mul(&o), lua)
            }
            other => Err(bad_arg("CFrame.__mul", 2, "CFrame or Vector3", other)),
        });
        methods.add_meta_function(MetaMethod::Add, |_, (a, b): (CFrame, Vector)| {
            let p = a.p();
            let d = v3(b);
            Ok(CFrame::from_parts(
                [p[0] + d[0], p[1] + d[1], p[2] + d[2]],
                &a.r(),
            ))
        });
        methods.add_meta_function(MetaMethod::Sub, |_, (a, b): (CFrame, Vector)| {
            Ok(CFrame::from_parts(sub(a.p(), v3(b)), &a.r()))
        });
    }
}

/// Installs the `CFrame` library.
pub(super) fn install(lua: &Lua) -> Result<()> {
    let lib = lua.create_table()?;
    lib.set(
        "new",
        lua.create_function(|_, a: Variadic<Value>| cframe_new(a))?,
    )?;
    let angles = lua.create_function(|_, (x, y, z): (Value, Value, Value)| {
        const F: &str = "CFrame.Angles";
        Ok(CFrame::angles(
            opt_num(&x, F, 1, 0.0)?,
            opt_num(&y, F, 2, 0.0)?,
            opt_num(&z, F, 3, 0.0)?,
        ))
    })?;
    lib.set("Angles", angles.clone())?;
    lib.set("fromEulerAnglesXYZ", angles)?;
    let orient = lua.create_function(|_, (x, y, z): (Value, Value, Value)| {
        const F: &str = "CFrame.fromOrientation";
        Ok(CFrame::from_orientation(
            opt_num(&x, F, 1, 0.0)?,
            opt_num(&y, F, 2, 0.0)?,
            opt_num(&z, F, 3, 0.0)?,
        ))
    })?;
    lib.set("fromOrientation", orient.clone())?;
    lib.set("fromEulerAnglesYXZ", orient)?;
    lib.set(
        "lookAt",
        lua.create_function(|_, (at, target, up): (Vector, Vector, Option<Vector>)| {
            Ok(CFrame::look_at(
                at,
                target,
                up.unwrap_or(Vector::new(0.0, 1.0, 0.0)),
            ))
        })?,
    )?;
    lib.set(
        "lookAlong",
        lua.create_function(|_, (at, dir, up): (Vector, Vector, Option<Vector>)| {
            Ok(CFrame::look_along(
                at,
                dir,
                up.unwrap_or(Vector::new(0.0, 1.0, 0.0)),
            ))
        })?,
    )?;
    lib.set(
        "fromMatrix",
        lua.create_function(
            |_, (pos, vx, vy, vz): (Vector, Vector, Vector, Option<Vector>)| {
                let (x, y) = (v3(vx), v3(vy));
                let z = match vz {
                    Some(z) => v3(z),
                    None => norm(cross(x, y)),
                };
                Ok(CFrame::from_parts(v3(pos), &from_columns(x, y, z)))
            },
        )?,
    )?;
    lib.set(
        "fromAxisAngle",
        lua.create_function(|_, (axis, angle): (Vector, f64)| {
            Ok(CFrame::from_axis_angle(axis, angle))
        })?,
    )?;
    lib.set("identity", CFrame::IDENTITY)?;
    set_library(lua, "CFrame", lib)
}

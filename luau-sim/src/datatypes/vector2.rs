//! `Vector2`: an immutable pair of f32 components.

use super::{bad_arg, fmt_f32, opt_num, set_library, userdata_eq, userdata_from_lua};
use mlua::{AnyUserData, Lua, MetaMethod, Result, UserData, UserDataMethods, Value};

/// Roblox `Vector2` (f32 components).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Vector2 {
    /// X component.
    pub x: f32,
    /// Y component.
    pub y: f32,
}

impl Vector2 {
    /// Creates a vector.
    pub fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }
    fn magnitude(self) -> f32 {
        (self.x * self.x + self.y * self.y).sqrt()
    }
    fn map(self, f: impl Fn(f32) -> f32) -> Self {
        Self::new(f(self.x), f(self.y))
    }
    fn zip(self, o: Self, f: impl Fn(f32, f32) -> f32) -> Self {
        Self::new(f(self.x, o.x), f(self.y, o.y))
    }
}

userdata_from_lua!(Vector2, "Vector2");

/// Either a Vector2 or a number operand, for arithmetic metamethods.
fn operand(v: &Value, op: &str) -> Result<Vector2> {
    match v {
        Value::Integer(i) => Ok(Vector2::new(*i as f32, *i as f32)),
        Value::Number(n) => Ok(Vector2::new(*n as f32, *n as f32)),
        Value::UserData(ud) => ud
            .borrow::<Vector2>()
            .map(|v| *v)
            .map_err(|_| bad_arg(op, 2, "Vector2 or number", v)),
        other => Err(bad_arg(op, 2, "Vector2 or number", other)),
    }
}

impl UserData for Vector2 {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "Vector2");
        fields.add_field_method_get("X", |_, v| Ok(v.x));
        fields.add_field_method_get("Y", |_, v| Ok(v.y));
        fields.add_field_method_get("x", |_, v| Ok(v.x));
        fields.add_field_method_get("y", |_, v| Ok(v.y));
        fields.add_field_method_get("Magnitude", |_, v| Ok(v.magnitude()));
        fields.add_field_method_get("Unit", |_, v| {
            let m = v.magnitude();
            Ok(v.map(|c| c / m))
        });
    }

    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("Dot", |_, a, b: Vector2| Ok(a.x * b.x + a.y * b.y));
        methods.add_method("Cross", |_, a, b: Vector2| Ok(a.x * b.y - a.y * b.x));
        methods.add_method("Lerp", |_, a, (b, t): (Vector2, f32)| {
            Ok(a.zip(b, |x, y| x + (y - x) * t))
        });
        methods.add_method("Abs", |_, a, ()| Ok(a.map(f32::abs)));
        methods.add_method("Floor", |_, a, ()| Ok(a.map(f32::floor)));
        methods.add_method("Ceil", |_, a, ()| Ok(a.map(f32::ceil)));
        methods.add_method("Sign", |_, a, ()| {
            Ok(a.map(|c| {
                if c > 0.0 {
                    1.0
                } else if c < 0.0 {
                    -1.0
                } else {
                    0.0
                }
            }))
        });
        methods.add_method("Max", |_, a, rest: mlua::Variadic<Vector2>| {
            Ok(rest.iter().fold(*a, |acc, b| acc.zip(*b, f32::max)))
        });
        methods.add_method("Min", |_, a, rest: mlua::Variadic<Vector2>| {
            Ok(rest.iter().fold(*a, |acc, b| acc.zip(*b, f32::min)))
        });
        methods.add_method("FuzzyEq", |_, a, (b, eps): (Vector2, Option<f32>)| {
            let e = eps.unwrap_or(1e-5);
            Ok((a.x - b.x).abs() <= e && (a.y - b.y).abs() <= e)
        });
        methods.add_method("Angle", |_, a, (b, signed): (Vector2, Option<bool>)| {
            let cross = a.x * b.y - a.y * b.x;
            let ang = cross.abs().atan2(a.x * b.x + a.y * b.y);
            Ok(if signed == Some(true) && cross < 0.0 {
                -ang
            } else {
                ang
            })
        });
        userdata_eq!(methods, Vector2);
        methods.add_meta_method(MetaMethod::ToString, |_, v, ()| {
            Ok(format!("{}, {}", fmt_f32(v.x), fmt_f32(v.y)))
        });
        methods.add_meta_method(MetaMethod::Unm, |_, v, ()| Ok(v.map(|c| -c)));
        methods.add_meta_function(MetaMethod::Add, |_, (a, b): (Vector2, Vector2)| {
            Ok(a.zip(b, |x, y| x + y))
        });
        methods.add_meta_function(MetaMethod::Sub, |_, (a, b): (Vector2, Vector2)| {
            Ok(a.zip(b, |x, y| x - y))
        });
        methods.add_meta_function(MetaMethod::Mul, |_, (a, b): (Value, Value)| {
            let (a, b) = (operand(&a, "__mul")?, operand(&b, "__mul")?);
            Ok(a.zip(b, |x, y| x * y))
        });
        methods.add_meta_function(MetaMethod::Div, |_, (a, b): (Value, Value)| {
            let (a, b) = (operand(&a, "__div")?, operand(&b, "__div")?);
            Ok(a.zip(b, |x, y| x / y))
        });
        methods.add_meta_function(MetaMethod::IDiv, |_, (a, b): (Value, Value)| {
            let (a, b) = (operand(&a, "__idiv")?, operand(&b, "__idiv")?);
            Ok(a.zip(b, |x, y| (x / y).floor()))
        });
    }
}

/// Installs the `Vector2` library.
pub(super) fn install(lua: &Lua) -> Result<()> {
    let lib = lua.create_table()?;
    lib.set(
        "new",
        lua.create_function(|_, (x, y): (Value, Value)| {
            Ok(Vector2::new(
                opt_num(&x, "Vector2.new", 1, 0.0)? as f32,
                opt_num(&y, "Vector2.new", 2, 0.0)? as f32,
            ))
        })?,
    )?;
    let consts: [(&str, Vector2); 4] = [
        ("zero", Vector2::new(0.0, 0.0)),
        ("one", Vector2::new(1.0, 1.0)),
        ("xAxis", Vector2::new(1.0, 0.0)),
        ("yAxis", Vector2::new(0.0, 1.0)),
    ];
    for (name, v) in consts {
        let ud: AnyUserData = lua.create_userdata(v)?;
        lib.set(name, ud)?;
    }
    set_library(lua, "Vector2", lib)
}

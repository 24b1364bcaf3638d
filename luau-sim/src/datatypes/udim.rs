//! `UDim` (f32 scale, i32 offset) and `UDim2` (two UDims).

use super::{bad_arg, fmt_f32, opt_num, set_library, userdata_eq, userdata_from_lua};
use mlua::{Lua, MetaMethod, Result, UserData, UserDataMethods, Value, Variadic};

/// Roblox `UDim`.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct UDim {
    /// Relative part.
    pub scale: f32,
    /// Absolute part in pixels (int32 in Roblox).
    pub offset: i32,
}

/// Roblox `UDim2`.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct UDim2 {
    /// Horizontal dimension.
    pub x: UDim,
    /// Vertical dimension.
    pub y: UDim,
}

userdata_from_lua!(UDim, "UDim");
userdata_from_lua!(UDim2, "UDim2");

impl UDim {
    /// Creates a UDim.
    pub fn new(scale: f32, offset: i32) -> Self {
        Self { scale, offset }
    }
    fn add(self, o: Self) -> Self {
        Self::new(self.scale + o.scale, self.offset.wrapping_add(o.offset))
    }
    fn sub(self, o: Self) -> Self {
        Self::new(self.scale - o.scale, self.offset.wrapping_sub(o.offset))
    }
    fn lerp(self, o: Self, t: f32) -> Self {
        Self::new(
            self.scale + (o.scale - self.scale) * t,
            (self.offset as f32 + (o.offset - self.offset) as f32 * t).round() as i32,
        )
    }
}

/// Converts a Luau number to an int32 offset as Roblox does (truncation,
/// saturating at the int32 range).
fn offset(v: &Value, f: &str, n: usize) -> Result<i32> {
    Ok(opt_num(v, f, n, 0.0)?.trunc() as i32)
}

impl UserData for UDim {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "UDim");
        fields.add_field_method_get("Scale", |_, u| Ok(u.scale));
        fields.add_field_method_get("Offset", |_, u| Ok(u.offset));
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        userdata_eq!(methods, UDim);
        methods.add_meta_method(MetaMethod::ToString, |_, u, ()| {
            Ok(format!("{}, {}", fmt_f32(u.scale), u.offset))
        });
        methods.add_meta_function(MetaMethod::Add, |_, (a, b): (UDim, UDim)| Ok(a.add(b)));
        methods.add_meta_function(MetaMethod::Sub, |_, (a, b): (UDim, UDim)| Ok(a.sub(b)));
        methods.add_meta_method(MetaMethod::Unm, |_, u, ()| {
            Ok(UDim::new(-u.scale, u.offset.wrapping_neg()))
        });
    }
}

impl UserData for UDim2 {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "UDim2");
        fields.add_field_method_get("X", |_, u| Ok(u.x));
        fields.add_field_method_get("Y", |_, u| Ok(u.y));
        fields.add_field_method_get("Width", |_, u| Ok(u.x));
        fields.add_field_method_get("Height", |_, u| Ok(u.y));
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("Lerp", |_, a, (b, t): (UDim2, f32)| {
            Ok(UDim2 {
                x: a.x.lerp(b.x, t),
                y: a.y.lerp(b.y, t),
            })
        });
        userdata_eq!(methods, UDim2);
        methods.add_meta_method(MetaMethod::ToString, |_, u, ()| {
            Ok(format!(
                "{{{}, {}}}, {{{}, {}}}",
                fmt_f32(u.x.scale),
                u.x.offset,
                fmt_f32(u.y.scale),
                u.y.offset
            ))
        });
        methods.add_meta_function(MetaMethod::Add, |_, (a, b): (UDim2, UDim2)| {
            Ok(UDim2 {
                x: a.x.add(b.x),
                y: a.y.add(b.y),
            })
        });
        methods.add_meta_function(MetaMethod::Sub, |_, (a, b): (UDim2, UDim2)| {
            Ok(UDim2 {
                x: a.x.sub(b.x),
                y: a.y.sub(b.y),
            })
        });
    }
}

fn udim2_new(args: Variadic<Value>) -> Result<UDim2> {
    const F: &str = "UDim2.new";
    if let (Some(Value::UserData(a)), Some(b)) = (args.first(), args.get(1)) {
        let x = a
            .borrow::<UDim>()
            .map_err(|_| bad_arg(F, 1, "UDim", &args[0]))?;
        let y = match b {
            Value::UserData(b) => *b
                .borrow::<UDim>()
                .map_err(|_| bad_arg(F, 2, "UDim", &args[1]))?,
            other => return Err(bad_arg(F, 2, "UDim", other)),
        };
        return Ok(UDim2 { x: *x, y });
    }
    let get = |i: usize| args.get(i).cloned().unwrap_or(Value::Nil);
    Ok(UDim2 {
        x: UDim::new(opt_num(&get(0), F, 1, 0.0)? as f32, offset(&get(1), F, 2)?),
        y: UDim::new(opt_num(&get(2), F, 3, 0.0)? as f32, offset(&get(3), F, 4)?),
    })
}

/// Installs the `UDim` and `UDim2` libraries.
pub(super) fn install(lua: &Lua) -> Result<()> {
    let lib = lua.create_table()?;
    lib.set(
        "new",
        lua.create_function(|_, (s, o): (Value, Value)| {
            Ok(UDim::new(
                opt_num(&s, "UDim.new", 1, 0.0)? as f32,
                offset(&o, "UDim.new", 2)?,
            ))
        })?,
    )?;
    set_library(lua, "UDim", lib)?;

    let lib = lua.create_table()?;
    lib.set(
        "new",
        lua.create_function(|_, a: Variadic<Value>| udim2_new(a))?,
    )?;
    lib.set(
        "fromScale",
        lua.create_function(|_, (x, y): (Value, Value)| {
            const F: &str = "UDim2.fromScale";
            Ok(UDim2 {
                x: UDim::new(opt_num(&x, F, 1, 0.0)? as f32, 0),
                y: UDim::new(opt_num(&y, F, 2, 0.0)? as f32, 0),
            })
        })?,
    )?;
    lib.set(
        "fromOffset",
        lua.create_function(|_, (x, y): (Value, Value)| {
            const F: &str = "UDim2.fromOffset";
            Ok(UDim2 {
                x: UDim::new(0.0, offset(&x, F, 1)?),
                y: UDim::new(0.0, offset(&y, F, 2)?),
            })
        })?,
    )?;
    set_library(lua, "UDim2", lib)
}

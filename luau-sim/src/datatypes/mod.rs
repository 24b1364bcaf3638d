//! Roblox datatypes for any mlua Luau state.
//!
//! [`install`] defines the globals `Vector3`, `Vector2`, `CFrame`, `Color3`,
//! `UDim`, `UDim2`, `DateTime`, `Random` and `Enum`, and gives Luau's native `vector`
//! type the behaviour of Roblox's `Vector3` (in Roblox, `Vector3` *is* the
//! native vector type).
//!
//! `typeof` needs no override: Luau's built-in `typeof` reads the `__type`
//! metafield of userdata metatables and of the per-type metatable set for
//! `vector`, so `typeof(Vector3.one) == "Vector3"`, `typeof(CFrame.identity)
//! == "CFrame"`, `typeof(Enum.KeyCode.A) == "EnumItem"` while `type(..)`
//! still answers `"vector"` / `"userdata"` as in Roblox.
//!
//! The Rust structs ([`CFrame`], [`Vector2`], [`Color3`], [`UDim`],
//! [`UDim2`], [`DateTime`], [`EnumItem`]) are public so that hosts can pass
//! values in and out (`lua.create_userdata(cf)` or simply `cf.into_lua(lua)`,
//! and `FromLua` for reading them back).

mod cframe;
mod color3;
mod datetime;
mod enum_data;
mod enums;
mod random;
mod udim;
mod vector2;
mod vector3;

pub use cframe::CFrame;
pub use color3::Color3;
pub use datetime::{ClockSource, DateTime};
pub use enums::{Enum, EnumItem, Enums};
pub use random::{Random, RandomSeeds};
pub use udim::{UDim, UDim2};
pub use vector2::Vector2;

use mlua::{Lua, Result, Table, Value};

/// Installs every Roblox datatype global into `lua`.
///
/// Call this before [`Lua::sandbox`]: sandboxing freezes the global table.
/// The state must have Luau's `vector` library loaded (the default for
/// `Lua::new()`).
pub fn install(lua: &Lua) -> Result<()> {
    vector3::install(lua)?;
    vector2::install(lua)?;
    cframe::install(lua)?;
    color3::install(lua)?;
    udim::install(lua)?;
    datetime::install(lua)?;
    enums::install(lua)?;
    random::install(lua)?;
    Ok(())
}

/// Creates a read-only library table from `(name, value)` pairs and sets it as
/// global `name`.
pub(crate) fn set_library(lua: &Lua, name: &str, table: Table) -> Result<()> {
    table.set_readonly(true);
    lua.globals().set(name, table)
}

/// Formats an `f32` the way Roblox's `tostring` prints datatype components:
/// the shortest representation that round-trips.
pub(crate) fn fmt_f32(v: f32) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = v.abs();
    if a != 0.0 && !(1e-5..1e16).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A type-mismatch error for a constructor or method argument.
pub(crate) fn bad_arg(func: &str, n: usize, expected: &str, got: &Value) -> mlua::Error {
    mlua::Error::runtime(format!(
        "invalid argument #{n} to '{func}' ({expected} expected, got {})",
        type_of(got)
    ))
}

/// Roblox-style type name of a value, as `typeof` answers.
pub fn type_name(v: &Value) -> String {
    type_of(v)
}

pub(crate) fn type_of(v: &Value) -> String {
    match v {
        Value::Vector(_) => "Vector3".into(),
        Value::UserData(ud) => ud
            .metatable()
            .ok()
            .and_then(|mt| mt.get::<Option<String>>("__type").ok().flatten())
            .unwrap_or_else(|| "userdata".into()),
        other => other.type_name().into(),
    }
}

/// Reads an optional number argument (nil -> default).
pub(crate) fn opt_num(v: &Value, func: &str, n: usize, default: f64) -> Result<f64> {
    match v {
        Value::Nil => Ok(default),
        Value::Integer(i) => Ok(*i as f64),
        Value::Number(x) => Ok(*x),
        Value::String(s) => s
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .ok_or_else(|| bad_arg(func, n, "number", v)),
        other => Err(bad_arg(func, n, "number", other)),
    }
}

/// Implements `FromLua` for a `Copy`/`Clone` userdata type.
macro_rules! userdata_from_lua {
    ($t:ty, $name:literal) => {
        impl mlua::FromLua for $t {
            fn from_lua(value: mlua::Value, _lua: &mlua::Lua) -> mlua::Result<Self> {
                match &value {
                    mlua::Value::UserData(ud) => match ud.borrow::<Self>() {
                        Ok(v) => Ok(v.clone()),
                        Err(_) => Err(mlua::Error::FromLuaConversionError {
                            from: "userdata",
                            to: $name.into(),
                            message: Some(format!(
                                "expected {}, got {}",
                                $name,
                                $crate::datatypes::type_of(&value)
                            )),
                        }),
                    },
                    other => Err(mlua::Error::FromLuaConversionError {
                        from: other.type_name(),
                        to: $name.into(),
                        message: None,
                    }),
                }
            }
        }
    };
}
pub(crate) use userdata_from_lua;

/// Registers `__eq` comparing two userdata of type `$t` by value (false for
/// any other type), as Roblox datatypes compare.
macro_rules! userdata_eq {
    ($methods:ident, $t:ty) => {
        $methods.add_meta_function(
            mlua::MetaMethod::Eq,
            |_, (a, b): (mlua::AnyUserData, mlua::AnyUserData)| match (
                a.borrow::<$t>(),
                b.borrow::<$t>(),
            ) {
                (Ok(a), Ok(b)) => Ok(*a == *b),
                _ => Ok(false),
            },
        );
    };
}
pub(crate) use userdata_eq;

//! `Vector3`: Luau's native `vector` type with Roblox's members.
//!
//! Component access (`.X`, `.x`, ...) and arithmetic are handled by the Luau
//! VM itself; the per-type metatable adds `Magnitude`, `Unit`, the methods and
//! `__type = "Vector3"` (so `typeof` answers like Roblox).

use super::{fmt_f32, set_library};
use mlua::{Lua, Result, Table, Vector};

const PRELUDE: &str = r#"
local tostringfn = ...
local vcreate = vector.create
local vdot, vcross, vmag, vnorm = vector.dot, vector.cross, vector.magnitude, vector.normalize
local vabs, vfloor, vceil, vsign = vector.abs, vector.floor, vector.ceil, vector.sign
local vmax, vmin = vector.max, vector.min
local methods = {}
function methods.Dot(a: vector, b: vector): number return vdot(a, b) end
function methods.Cross(a: vector, b: vector): vector return vcross(a, b) end
function methods.Lerp(a: vector, b: vector, t: number): vector return a + (b - a) * t end
function methods.Abs(a: vector): vector return vabs(a) end
function methods.Floor(a: vector): vector return vfloor(a) end
function methods.Ceil(a: vector): vector return vceil(a) end
function methods.Sign(a: vector): vector return vsign(a) end
function methods.Max(a: vector, ...: vector): vector return vmax(a, ...) end
function methods.Min(a: vector, ...: vector): vector return vmin(a, ...) end
function methods.FuzzyEq(a: vector, b: vector, eps: number?): boolean
    local e = eps or 1e-5
    local d = vabs(a - b)
    return d.x <= e and d.y <= e and d.z <= e
end
function methods.Angle(a: vector, b: vector, axis: vector?): number
    local c = vcross(a, b)
    local ang = math.atan2(vmag(c), vdot(a, b))
    if axis ~= nil and vdot(c, axis) < 0 then
        return -ang
    end
    return ang
end
local comps = { X = 1, Y = 2, Z = 3, x = 1, y = 2, z = 3 }
local mt = {}
mt.__type = "Vector3"
mt.__tostring = tostringfn
mt.__index = function(v: vector, k: any): any
    if k == "Magnitude" or k == "magnitude" then
        return vmag(v)
    elseif k == "Unit" or k == "unit" then
        return vnorm(v)
    end
    local m = methods[k]
    if m ~= nil then
        return m
    end
    local c = comps[k]
    if c == 1 then return v.x elseif c == 2 then return v.y elseif c == 3 then return v.z end
    error(tostring(k) .. " is not a valid member of Vector3", 2)
end
table.freeze(methods)
table.freeze(comps)
table.freeze(mt)
local lib = {
    new = function(x: number?, y: number?, z: number?): vector
        return vcreate(x or 0, y or 0, z or 0)
    end,
    zero = vcreate(0, 0, 0),
    one = vcreate(1, 1, 1),
    xAxis = vcreate(1, 0, 0),
    yAxis = vcreate(0, 1, 0),
    zAxis = vcreate(0, 0, 1),
}
return mt, lib
"#;

/// Installs `Vector3` and the vector type metatable.
pub(super) fn install(lua: &Lua) -> Result<()> {
    let tostring = lua.create_function(|_, v: Vector| {
        Ok(format!(
            "{}, {}, {}",
            fmt_f32(v.x()),
            fmt_f32(v.y()),
            fmt_f32(v.z())
        ))
    })?;
    let (mt, lib): (Table, Table) = lua.load(PRELUDE).set_name("=Vector3").call(tostring)?;
    lua.set_type_metatable::<Vector>(Some(mt));
    set_library(lua, "Vector3", lib)
}

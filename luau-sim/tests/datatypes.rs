//! Roblox datatype behaviour, checked with Luau snippets.

use mlua::{Lua, Value};
use skyrocket_sim::datatypes::{self, CFrame, Color3, DateTime, UDim2, Vector2};

const HELPERS: &str = r#"
local function near(a, b, eps)
    eps = eps or 1e-6
    if math.abs(a - b) > eps then
        error(string.format("expected %.9g, got %.9g", b, a), 2)
    end
end
local function eq(a, b)
    if a ~= b then
        error("expected " .. tostring(b) .. ", got " .. tostring(a), 2)
    end
end
local function comps(cf, expected, eps)
    local c = { cf:GetComponents() }
    assert(#c == 12, "12 components")
    for i = 1, 12 do
        if math.abs(c[i] - expected[i]) > (eps or 1e-6) then
            error(string.format("component %d: expected %.9g, got %.9g (%s)", i, expected[i], c[i], tostring(cf)), 2)
        end
    end
end
"#;

fn run(src: &str) {
    let lua = skyrocket_sim::new_sandboxed_vm().expect("vm");
    let code = format!("{HELPERS}\n{src}");
    if let Err(e) = lua.load(&code).set_name("=test").exec() {
        panic!("Luau error: {e}");
    }
}

#[test]
fn vector3_is_native_vector() {
    run(r##"
        local v = Vector3.new(1, 2, 3)
        eq(typeof(v), "Vector3")
        eq(type(v), "vector")
        eq(v.X, 1) eq(v.Y, 2) eq(v.Z, 3)
        eq(v.x, 1) eq(v.y, 2) eq(v.z, 3)
        local k = "Z"
        eq(v[k], 3)
        eq(Vector3.new(0.1, 0, 0).X == 0.1, false)
        near(Vector3.new(0.1, 0, 0).X, 0.100000001490116, 1e-15)
        eq(Vector3.new(), Vector3.zero)
        eq(Vector3.one, Vector3.new(1, 1, 1))
        eq(v + Vector3.one, Vector3.new(2, 3, 4))
        eq(v - Vector3.one, Vector3.new(0, 1, 2))
        eq(v * 2, Vector3.new(2, 4, 6))
        eq(2 * v, Vector3.new(2, 4, 6))
        eq(v * v, Vector3.new(1, 4, 9))
        eq(v / 2, Vector3.new(0.5, 1, 1.5))
        eq(-v, Vector3.new(-1, -2, -3))
        near(Vector3.new(3, 4, 0).Magnitude, 5)
        eq(Vector3.new(0, 0, 5).Unit, Vector3.zAxis)
        eq(v:Dot(Vector3.new(4, 5, 6)), 32)
        eq(Vector3.xAxis:Cross(Vector3.yAxis), Vector3.zAxis)
        eq(Vector3.zero:Lerp(Vector3.new(10, 20, 30), 0.5), Vector3.new(5, 10, 15))
        eq(Vector3.new(-1, 2, -3):Abs(), Vector3.new(1, 2, 3))
        eq(Vector3.new(1, 5, 3):Max(Vector3.new(4, 2, 6)), Vector3.new(4, 5, 6))
        near(Vector3.xAxis:Angle(Vector3.yAxis), math.pi / 2)
        eq(tostring(Vector3.new(1, 2.5, -3)), "1, 2.5, -3")
        eq(tostring(Vector3.new(0.1, 0, 0)), "0.1, 0, 0")
        assert(not pcall(function() return v.Nope end), "unknown member errors")
        local t = {} t[Vector3.one] = 1
        eq(t[Vector3.new(1, 1, 1)], 1)
    "##);
}

#[test]
fn vector2_values() {
    run(r##"
        local v = Vector2.new(3, 4)
        eq(typeof(v), "Vector2")
        eq(type(v), "userdata")
        eq(v.X, 3) eq(v.Y, 4) eq(v.x, 3)
        near(v.Magnitude, 5)
        near(v.Unit.X, 0.6) near(v.Unit.Y, 0.8)
        eq(v, Vector2.new(3, 4))
        assert(v ~= Vector2.new(3, 5))
        assert(v ~= Vector3.new(3, 4, 0))
        eq(v + Vector2.one, Vector2.new(4, 5))
        eq(v - Vector2.one, Vector2.new(2, 3))
        eq(v * 2, Vector2.new(6, 8))
        eq(2 * v, Vector2.new(6, 8))
        eq(v / Vector2.new(3, 2), Vector2.new(1, 2))
        eq(-v, Vector2.new(-3, -4))
        eq(v:Dot(Vector2.new(1, 1)), 7)
        eq(Vector2.xAxis:Cross(Vector2.yAxis), 1)
        eq(Vector2.zero:Lerp(v, 0.5), Vector2.new(1.5, 2))
        eq(Vector2.new(), Vector2.zero)
        eq(tostring(v), "3, 4")
        near(Vector2.new(0.1, 0).X, 0.100000001490116, 1e-15)
    "##);
}

#[test]
fn cframe_angles_matrix() {
    run(r##"
        local cf = CFrame.Angles(0, math.pi / 2, 0)
        eq(typeof(cf), "CFrame")
        comps(cf, { 0, 0, 0, 0, 0, 1, 0, 1, 0, -1, 0, 0 })
        comps(CFrame.Angles(math.pi / 2, 0, 0), { 0, 0, 0, 1, 0, 0, 0, 0, -1, 0, 1, 0 })
        comps(CFrame.Angles(0, 0, math.pi / 2), { 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 1 })
        -- Angles is Rx * Ry * Rz
        local a = CFrame.Angles(0.3, -0.7, 1.1)
        local b = CFrame.Angles(0.3, 0, 0) * CFrame.Angles(0, -0.7, 0) * CFrame.Angles(0, 0, 1.1)
        comps(a, { b:GetComponents() })
        eq(CFrame.fromEulerAnglesXYZ(0.3, -0.7, 1.1), a)
        local rx, ry, rz = a:ToEulerAnglesXYZ()
        near(rx, 0.3) near(ry, -0.7) near(rz, 1.1)
        -- fromOrientation is Ry * Rx * Rz
        local o = CFrame.fromOrientation(0.3, -0.7, 1.1)
        local o2 = CFrame.Angles(0, -0.7, 0) * CFrame.Angles(0.3, 0, 0) * CFrame.Angles(0, 0, 1.1)
        comps(o, { o2:GetComponents() })
        local ox, oy, oz = o:ToOrientation()
        near(ox, 0.3) near(oy, -0.7) near(oz, 1.1)
        -- round trip many orientations
        for i = 1, 50 do
            local x, y, z = (i * 0.37) % 3 - 1.5, (i * 0.91) % 6 - 3, (i * 1.3) % 6 - 3
            local c = CFrame.fromOrientation(x, y, z)
            local c2 = CFrame.fromOrientation(c:ToOrientation())
            comps(c2, { c:GetComponents() }, 1e-5)
        end
    "##);
}

#[test]
fn cframe_constructors_and_members() {
    run(r##"
        local cf = CFrame.new(1, 2, 3)
        comps(cf, { 1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1 })
        eq(cf.Position, Vector3.new(1, 2, 3))
        eq(cf.X, 1) eq(cf.Y, 2) eq(cf.Z, 3)
        eq(cf.LookVector, Vector3.new(0, 0, -1))
        eq(cf.RightVector, Vector3.new(1, 0, 0))
        eq(cf.UpVector, Vector3.new(0, 1, 0))
        eq(CFrame.new(), CFrame.identity)
        eq(CFrame.new(Vector3.new(1, 2, 3)), cf)
        local m = CFrame.new(1, 2, 3, 0, 0, 1, 0, 1, 0, -1, 0, 0)
        comps(m, { 1, 2, 3, 0, 0, 1, 0, 1, 0, -1, 0, 0 })
        eq(m.Rotation, CFrame.new(0, 0, 0, 0, 0, 1, 0, 1, 0, -1, 0, 0))
        -- quaternion form: 90 degrees about Y
        local s = math.sqrt(0.5)
        comps(CFrame.new(0, 0, 0, 0, s, 0, s), { 0, 0, 0, 0, 0, 1, 0, 1, 0, -1, 0, 0 })
        -- lookAt: looking from origin toward +X
        local la = CFrame.lookAt(Vector3.zero, Vector3.new(5, 0, 0))
        near(la.LookVector.X, 1) near(la.LookVector.Y, 0) near(la.LookVector.Z, 0)
        near(la.UpVector.Y, 1)
        near(la.RightVector.Z, 1)
        local legacy = CFrame.new(Vector3.zero, Vector3.new(5, 0, 0))
        comps(legacy, { la:GetComponents() })
        -- fromMatrix
        local fm = CFrame.fromMatrix(Vector3.new(1, 2, 3), Vector3.new(0, 0, -1), Vector3.yAxis)
        comps(fm, { 1, 2, 3, 0, 0, 1, 0, 1, 0, -1, 0, 0 })
        near(fm.RightVector.Z, -1)
        eq(tostring(CFrame.new(1, 2, 3)), "1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1")
        local ax, ang = CFrame.Angles(0, 0.5, 0):ToAxisAngle()
        near(ang, 0.5) near(ax.Y, 1)
        comps(CFrame.fromAxisAngle(Vector3.yAxis, 0.5), { CFrame.Angles(0, 0.5, 0):GetComponents() })
    "##);
}

#[test]
fn cframe_algebra() {
    run(r##"
        local cf = CFrame.new(1, 2, 3) * CFrame.Angles(0.4, 1.2, -0.3)
        local id = cf:Inverse() * cf
        comps(id, { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 1e-5)
        assert(id:FuzzyEq(CFrame.identity, 1e-5))
        comps(cf * cf:Inverse(), { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 1e-5)
        local t = CFrame.new(1, 2, 3) * CFrame.new(10, 0, 0)
        eq(t, CFrame.new(11, 2, 3))
        -- rotate then translate in local space
        local r = CFrame.new(0, 0, 0) * CFrame.Angles(0, math.pi / 2, 0) * CFrame.new(0, 0, -1)
        near(r.X, -1) near(r.Z, 0, 1e-6)
        local p = CFrame.Angles(0, math.pi / 2, 0) * Vector3.new(1, 0, 0)
        near(p.X, 0) near(p.Z, -1)
        local w = cf:PointToWorldSpace(Vector3.new(1, 1, 1))
        local back = cf:PointToObjectSpace(w)
        near(back.X, 1, 1e-5) near(back.Y, 1, 1e-5) near(back.Z, 1, 1e-5)
        local rel = cf:ToObjectSpace(CFrame.new(5, 5, 5))
        comps(cf * rel, { CFrame.new(5, 5, 5):GetComponents() }, 1e-5)
        eq(CFrame.new(1, 2, 3) + Vector3.new(1, 1, 1), CFrame.new(2, 3, 4))
        eq(CFrame.new(1, 2, 3) - Vector3.new(1, 1, 1), CFrame.new(0, 1, 2))
        -- Lerp: halfway position and rotation
        local a, b = CFrame.new(0, 0, 0), CFrame.new(10, 0, 0) * CFrame.Angles(0, 1, 0)
        local h = a:Lerp(b, 0.5)
        near(h.X, 5)
        local _, hy, _ = h:ToOrientation()
        near(hy, 0.5, 1e-5)
        comps(a:Lerp(b, 1), { b:GetComponents() }, 1e-5)
        comps(a:Lerp(b, 0), { a:GetComponents() }, 1e-6)
        assert(CFrame.new(1, 2, 3) ~= CFrame.new(1, 2, 4))
        assert(not pcall(function() return CFrame.new(1, 2) end))
        assert(not pcall(function() return CFrame.new(1, 2, "x") end))
    "##);
}

#[test]
fn color3_values() {
    run(r##"
        local c = Color3.fromRGB(255, 128, 0)
        eq(typeof(c), "Color3")
        eq(c.R, 1) near(c.G, 128 / 255) eq(c.B, 0)
        eq(c:ToHex(), "FF8000")
        eq(Color3.new(1, 0, 0), Color3.fromRGB(255, 0, 0))
        assert(Color3.new(1, 0, 0) ~= Color3.new(0, 1, 0))
        eq(Color3.fromHex("#00FF00"), Color3.new(0, 1, 0))
        eq(tostring(Color3.new(1, 0.5, 0)), "1, 0.5, 0")
        local h, s, v = Color3.new(0, 0, 1):ToHSV()
        near(h, 2 / 3) near(s, 1) near(v, 1)
        eq(Color3.fromHSV(2 / 3, 1, 1), Color3.new(0, 0, 1))
        near(Color3.new(0.1, 0, 0).R, 0.100000001490116, 1e-15)
    "##);
}

#[test]
fn udim_values() {
    run(r##"
        local u = UDim.new(0.5, 10)
        eq(typeof(u), "UDim")
        eq(u.Scale, 0.5) eq(u.Offset, 10)
        eq(UDim.new(0.5, 10.9).Offset, 10)
        eq(u, UDim.new(0.5, 10))
        assert(u ~= UDim.new(0.5, 11))
        eq(u + UDim.new(0.25, 5), UDim.new(0.75, 15))
        eq(tostring(u), "0.5, 10")
        local u2 = UDim2.new(0.5, 10, 1, -20)
        eq(typeof(u2), "UDim2")
        eq(u2.X, UDim.new(0.5, 10)) eq(u2.Y, UDim.new(1, -20))
        eq(u2.Width, u2.X) eq(u2.Height, u2.Y)
        eq(UDim2.new(UDim.new(0.5, 10), UDim.new(1, -20)), u2)
        eq(UDim2.fromScale(0.5, 1), UDim2.new(0.5, 0, 1, 0))
        eq(UDim2.fromOffset(3, 4), UDim2.new(0, 3, 0, 4))
        eq(tostring(u2), "{0.5, 10}, {1, -20}")
        eq(u2 + UDim2.fromOffset(1, 1), UDim2.new(0.5, 11, 1, -19))
        assert(u2 ~= UDim2.new(0.5, 10, 1, -21))
    "##);
}

#[test]
fn datetime_values() {
    run(r##"
        local d = DateTime.fromUnixTimestampMillis(1577934245123)
        eq(typeof(d), "DateTime")
        eq(d.UnixTimestampMillis, 1577934245123)
        eq(d.UnixTimestamp, 1577934245)
        eq(d:ToIsoDate(), "2020-01-02T03:04:05.123Z")
        eq(DateTime.fromUnixTimestamp(1577934245), DateTime.fromUnixTimestampMillis(1577934245000))
        assert(DateTime.fromUnixTimestamp(1) ~= DateTime.fromUnixTimestamp(2))
        assert(DateTime.fromUnixTimestamp(1) < DateTime.fromUnixTimestamp(2))
        local t = d:ToUniversalTime()
        eq(t.Year, 2020) eq(t.Month, 1) eq(t.Day, 2) eq(t.Hour, 3) eq(t.Minute, 4) eq(t.Second, 5) eq(t.Millisecond, 123)
        eq(DateTime.fromUniversalTime(2020, 1, 2, 3, 4, 5, 123), d)
        eq(DateTime.fromIsoDate("2020-01-02T03:04:05.123Z"), d)
        eq(DateTime.fromIsoDate("2000-02-29T00:00:00Z").UnixTimestamp, 951782400)
        assert(DateTime.now().UnixTimestamp > 1600000000)
    "##);
}

#[test]
fn enums() {
    run(r##"
        eq(typeof(Enum), "Enums")
        eq(typeof(Enum.KeyCode), "Enum")
        local a = Enum.KeyCode.A
        eq(typeof(a), "EnumItem")
        eq(a.Value, 97) eq(Enum.KeyCode.W.Value, 119) eq(Enum.KeyCode.Space.Value, 32)
        eq(a.Name, "A")
        eq(a.EnumType, Enum.KeyCode)
        eq(tostring(a), "Enum.KeyCode.A")
        eq(tostring(Enum.KeyCode), "KeyCode")
        eq(rawequal(a, Enum.KeyCode.A), true)
        eq(Enum.KeyCode:FromValue(119), Enum.KeyCode.W)
        eq(Enum.KeyCode:FromValue(123456), nil)
        eq(Enum.KeyCode:FromName("Space"), Enum.KeyCode.Space)
        eq(Enum.KeyCode:FromName("Nope"), nil)
        local items = Enum.KeyCode:GetEnumItems()
        assert(#items > 60)
        eq(items[1], Enum.KeyCode.Unknown)
        assert(a ~= Enum.KeyCode.B)
        assert(Enum.UserInputType.Keyboard ~= Enum.KeyCode.A)
        eq(Enum.Material.Plastic.Value, 256)
        eq(Enum.HumanoidStateType.Jumping.Value, 3)
        eq(Enum.UserInputType.Keyboard.Value, 8)
        eq(Enum.CompressionAlgorithm.Zstd.Value, 0)
        local t = { [Enum.KeyCode.A] = "a" }
        eq(t[Enum.KeyCode.A], "a")
        assert(not pcall(function() return Enum.KeyCode.NotAKey end))
        assert(not pcall(function() return Enum.NotAnEnum end))
        assert(a:IsA("KeyCode"))
    "##);
}

#[test]
fn typeof_builtin_types() {
    run(r##"
        eq(typeof(buffer.create(1)), "buffer")
        eq(typeof(1), "number") eq(typeof("s"), "string") eq(typeof({}), "table")
        eq(typeof(nil), "nil") eq(typeof(print), "function") eq(typeof(true), "boolean")
        eq(typeof(coroutine.create(function() end)), "thread")
    "##);
}

#[test]
fn sandbox_freezes_datatype_globals() {
    run(r##"
        assert(not pcall(function() CFrame.new = nil end), "library is read-only")
        assert(not pcall(function() Vector3.zero = 1 end), "library is read-only")
    "##);
}

#[test]
fn install_works_on_plain_state_and_values_cross_to_rust() {
    let lua = Lua::new();
    datatypes::install(&lua).expect("install");
    let cf: CFrame = lua
        .load("CFrame.new(1, 2, 3) * CFrame.Angles(0, math.pi, 0)")
        .eval()
        .expect("eval");
    assert_eq!(cf.position, [1.0, 2.0, 3.0]);
    assert!((cf.rotation[0][0] + 1.0).abs() < 1e-6);
    let v: Vector2 = lua.load("Vector2.new(1, 2)").eval().expect("v2");
    assert_eq!(v, Vector2::new(1.0, 2.0));
    let c: Color3 = lua.load("Color3.fromRGB(0, 255, 0)").eval().expect("c3");
    assert_eq!(c, Color3::new(0.0, 1.0, 0.0));
    let u: UDim2 = lua.load("UDim2.new(1, 2, 3, 4)").eval().expect("u2");
    assert_eq!(u.y.offset, 4);
    let d: DateTime = lua
        .load("DateTime.fromUnixTimestamp(5)")
        .eval()
        .expect("dt");
    assert_eq!(d.unix_millis, 5000);
    // Rust-made values are real Roblox values in Luau.
    lua.globals()
        .set("cf", CFrame::from_position(4.0, 5.0, 6.0))
        .expect("set");
    let ok: bool = lua
        .load("typeof(cf) == 'CFrame' and cf == CFrame.new(4, 5, 6)")
        .eval()
        .expect("eval");
    assert!(ok);
    let wrong: mlua::Result<CFrame> = lua.load("Vector2.new(1, 2)").eval();
    assert!(wrong.is_err());
    let v: Value = lua.load("Vector3.new(1, 2, 3)").eval().expect("v3");
    assert!(matches!(v, Value::Vector(v) if v.x() == 1.0 && v.z() == 3.0));
}

#[test]
#[should_panic(expected = "expected 2, got 1")]
fn harness_reports_failed_assertions() {
    run("eq(1, 2)");
}

#[test]
fn random_is_seeded() {
    run(r##"
        local a, b = Random.new(42), Random.new(42)
        eq(typeof(a), "Random")
        for _ = 1, 100 do
            local x = a:NextInteger(1, 6)
            eq(x, b:NextInteger(1, 6))
            assert(x >= 1 and x <= 6 and x == math.floor(x))
            local f = a:NextNumber(2, 3)
            eq(f, b:NextNumber(2, 3))
            assert(f >= 2 and f < 3)
        end
        assert(Random.new(1):NextNumber() ~= Random.new(2):NextNumber())
        near(a:NextUnitVector().Magnitude, 1, 1e-5)
        local c = a:Clone()
        eq(c:NextInteger(1, 1000000), a:NextInteger(1, 1000000))
        local t = { 1, 2, 3, 4, 5, 6, 7, 8 }
        a:Shuffle(t)
        local sum = 0
        for _, v in t do sum += v end
        eq(#t, 8) eq(sum, 36)
        assert(not pcall(function() a:NextInteger(5, 1) end))
    "##);
}

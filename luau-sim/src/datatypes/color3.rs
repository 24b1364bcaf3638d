//! `Color3`: f32 red, green, blue (nominally 0..1).

use super::{fmt_f32, opt_num, set_library, userdata_eq, userdata_from_lua};
use mlua::{Lua, MetaMethod, Result, UserData, UserDataMethods, Value};

/// Roblox `Color3`.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Color3 {
    /// Red.
    pub r: f32,
    /// Green.
    pub g: f32,
    /// Blue.
    pub b: f32,
}

userdata_from_lua!(Color3, "Color3");

impl Color3 {
    /// Creates a color from 0..1 components.
    pub fn new(r: f32, g: f32, b: f32) -> Self {
        Self { r, g, b }
    }
    /// `Color3.fromRGB`: components 0..255.
    pub fn from_rgb(r: f64, g: f64, b: f64) -> Self {
        Self::new((r / 255.0) as f32, (g / 255.0) as f32, (b / 255.0) as f32)
    }
    fn byte(c: f32) -> u8 {
        (c.clamp(0.0, 1.0) * 255.0).round() as u8
    }
    /// `ToHex()`: `RRGGBB`, upper-case, without `#`.
    pub fn to_hex(&self) -> String {
        format!(
            "{:02X}{:02X}{:02X}",
            Self::byte(self.r),
            Self::byte(self.g),
            Self::byte(self.b)
        )
    }
    /// `Color3.fromHSV`.
    pub fn from_hsv(h: f64, s: f64, v: f64) -> Self {
        let h = (h.rem_euclid(1.0)) * 6.0;
        let i = h.floor();
        let f = h - i;
        let (p, q, t) = (v * (1.0 - s), v * (1.0 - s * f), v * (1.0 - s * (1.0 - f)));
        let (r, g, b) = match i as i64 {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
        Self::new(r as f32, g as f32, b as f32)
    }
    /// `ToHSV()`.
    pub fn to_hsv(&self) -> (f64, f64, f64) {
        let (r, g, b) = (self.r as f64, self.g as f64, self.b as f64);
        let max = r.max(g).max(b);
        let min = r.min(g).min(b);
        let d = max - min;
        let h = if d == 0.0 {
            0.0
        } else if max == r {
            ((g - b) / d).rem_euclid(6.0) / 6.0
        } else if max == g {
            ((b - r) / d + 2.0) / 6.0
        } else {
            ((r - g) / d + 4.0) / 6.0
        };
        let s = if max == 0.0 { 0.0 } else { d / max };
        (h, s, max)
    }
}

fn from_hex(s: &str) -> Option<Color3> {
    let h = s.trim().trim_start_matches('#');
    let parse = |i: usize, n: usize| u8::from_str_radix(h.get(i..i + n)?, 16).ok();
    match h.len() {
        6 => Some(Color3::from_rgb(
            parse(0, 2)? as f64,
            parse(2, 2)? as f64,
            parse(4, 2)? as f64,
        )),
        3 => Some(Color3::from_rgb(
            (parse(0, 1)? * 17) as f64,
            (parse(1, 1)? * 17) as f64,
            (parse(2, 1)? * 17) as f64,
        )),
        _ => None,
    }
}

impl UserData for Color3 {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "Color3");
        fields.add_field_method_get("R", |_, c| Ok(c.r));
        fields.add_field_method_get("G", |_, c| Ok(c.g));
        fields.add_field_method_get("B", |_, c| Ok(c.b));
        fields.add_field_method_get("r", |_, c| Ok(c.r));
        fields.add_field_method_get("g", |_, c| Ok(c.g));
        fields.add_field_method_get("b", |_, c| Ok(c.b));
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("ToHex", |_, c, ()| Ok(c.to_hex()));
        methods.add_method("ToHSV", |_, c, ()| Ok(c.to_hsv()));
        methods.add_method("Lerp", |_, a, (b, t): (Color3, f32)| {
            Ok(Color3::new(
                a.r + (b.r - a.r) * t,
                a.g + (b.g - a.g) * t,
                a.b + (b.b - a.b) * t,
            ))
        });
        userdata_eq!(methods, Color3);
        methods.add_meta_method(MetaMethod::ToString, |_, c, ()| {
            Ok(format!(
                "{}, {}, {}",
                fmt_f32(c.r),
                fmt_f32(c.g),
                fmt_f32(c.b)
            ))
        });
    }
}

/// Installs the `Color3` library.
pub(super) fn install(lua: &Lua) -> Result<()> {
    let lib = lua.create_table()?;
    lib.set(
        "new",
        lua.create_function(|_, (r, g, b): (Value, Value, Value)| {
            const F: &str = "Color3.new";
            Ok(Color3::new(
                opt_num(&r, F, 1, 0.0)? as f32,
                opt_num(&g, F, 2, 0.0)? as f32,
                opt_num(&b, F, 3, 0.0)? as f32,
            ))
        })?,
    )?;
    lib.set(
        "fromRGB",
        lua.create_function(|_, (r, g, b): (Value, Value, Value)| {
            const F: &str = "Color3.fromRGB";
            Ok(Color3::from_rgb(
                opt_num(&r, F, 1, 0.0)?,
                opt_num(&g, F, 2, 0.0)?,
                opt_num(&b, F, 3, 0.0)?,
            ))
        })?,
    )?;
    lib.set(
        "fromHSV",
        lua.create_function(|_, (h, s, v): (f64, f64, f64)| Ok(Color3::from_hsv(h, s, v)))?,
    )?;
    lib.set(
        "fromHex",
        lua.create_function(|_, s: String| {
            from_hex(&s).ok_or_else(|| {
                mlua::Error::runtime(format!("Unable to convert characters to hex value: {s}"))
            })
        })?,
    )?;
    set_library(lua, "Color3", lib)
}

//! `DateTime`: a UTC instant with millisecond precision.

use super::{set_library, userdata_eq, userdata_from_lua};
use mlua::{Lua, MetaMethod, Result, UserData, UserDataMethods};
use std::rc::Rc;

/// Roblox `DateTime`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct DateTime {
    /// Milliseconds since the Unix epoch.
    pub unix_millis: i64,
}

userdata_from_lua!(DateTime, "DateTime");

/// Source of "now" for `DateTime.now()`, stored as Lua app data.
///
/// A host with a virtual clock sets it with `lua.set_app_data(ClockSource(..))`;
/// without one, `DateTime.now()` reads the system clock.
#[derive(Clone)]
pub struct ClockSource(pub Rc<dyn Fn() -> i64>);

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl DateTime {
    /// UTC parts: year, month, day, hour, minute, second, millisecond.
    pub fn parts(&self) -> [i64; 7] {
        let ms = self.unix_millis.rem_euclid(1000);
        let secs = self.unix_millis.div_euclid(1000);
        let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        [y, m, d, sod / 3600, (sod / 60) % 60, sod % 60, ms]
    }
    /// From UTC parts (month 1-12, day 1-31).
    pub fn from_parts(p: [i64; 7]) -> Self {
        let days = days_from_civil(p[0], p[1], p[2]);
        let secs = days * 86_400 + p[3] * 3600 + p[4] * 60 + p[5];
        Self {
            unix_millis: secs * 1000 + p[6],
        }
    }
    /// ISO 8601 in UTC, e.g. `2020-01-02T03:04:05Z` (milliseconds shown when
    /// not zero).
    pub fn to_iso(&self) -> String {
        let [y, mo, d, h, mi, s, ms] = self.parts();
        if ms == 0 {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        } else {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
        }
    }
    /// Parses `YYYY-MM-DDTHH:MM:SS[.mmm]Z`.
    pub fn from_iso(s: &str) -> Option<Self> {
        let s = s.trim().strip_suffix('Z')?;
        let (date, time) = s.split_once('T')?;
        let mut dp = date.split('-').map(|x| x.parse::<i64>().ok());
        let (y, mo, d) = (dp.next()??, dp.next()??, dp.next()??);
        let (hms, ms) = match time.split_once('.') {
            Some((a, b)) => (a, format!("{b:0<3}").get(..3)?.parse::<i64>().ok()?),
            None => (time, 0),
        };
        let mut tp = hms.split(':').map(|x| x.parse::<i64>().ok());
        let (h, mi, sec) = (tp.next()??, tp.next()??, tp.next()??);
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        Some(Self::from_parts([y, mo, d, h, mi, sec, ms]))
    }
}

fn now_millis(lua: &Lua) -> i64 {
    if let Some(src) = lua.app_data_ref::<ClockSource>() {
        return (src.0)();
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl UserData for DateTime {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "DateTime");
        fields.add_field_method_get("UnixTimestampMillis", |_, d| Ok(d.unix_millis));
        fields.add_field_method_get("UnixTimestamp", |_, d| Ok(d.unix_millis.div_euclid(1000)));
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("ToIsoDate", |_, d, ()| Ok(d.to_iso()));
        let to_table = |lua: &Lua, d: &DateTime, ()| {
            let t = lua.create_table()?;
            let names = [
                "Year",
                "Month",
                "Day",
                "Hour",
                "Minute",
                "Second",
                "Millisecond",
            ];
            for (k, v) in names.iter().zip(d.parts()) {
                t.set(*k, v)?;
            }
            Ok(t)
        };
        methods.add_method("ToUniversalTime", to_table);
        userdata_eq!(methods, DateTime);
        methods.add_meta_function(MetaMethod::Lt, |_, (a, b): (DateTime, DateTime)| Ok(a < b));
        methods.add_meta_function(MetaMethod::Le, |_, (a, b): (DateTime, DateTime)| Ok(a <= b));
        methods.add_meta_method(MetaMethod::ToString, |_, d, ()| Ok(d.to_iso()));
    }
}

/// Installs the `DateTime` library.
pub(super) fn install(lua: &Lua) -> Result<()> {
    let lib = lua.create_table()?;
    lib.set(
        "now",
        lua.create_function(|lua, ()| {
            Ok(DateTime {
                unix_millis: now_millis(lua),
            })
        })?,
    )?;
    lib.set(
        "fromUnixTimestampMillis",
        lua.create_function(|_, ms: f64| {
            Ok(DateTime {
                unix_millis: ms.floor() as i64,
            })
        })?,
    )?;
    lib.set(
        "fromUnixTimestamp",
        lua.create_function(|_, s: f64| {
            Ok(DateTime {
                unix_millis: (s * 1000.0).floor() as i64,
            })
        })?,
    )?;
    lib.set(
        "fromUniversalTime",
        lua.create_function(|_, args: mlua::Variadic<i64>| {
            let mut p = [1970, 1, 1, 0, 0, 0, 0];
            for (slot, v) in p.iter_mut().zip(args.iter()) {
                *slot = *v;
            }
            Ok(DateTime::from_parts(p))
        })?,
    )?;
    lib.set(
        "fromIsoDate",
        lua.create_function(|_, s: String| Ok(DateTime::from_iso(&s)))?,
    )?;
    set_library(lua, "DateTime", lib)
}

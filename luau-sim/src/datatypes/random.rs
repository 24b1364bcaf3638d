//! `Random`: a seeded pseudo-random generator object.
//!
//! The sequence is ChaCha8-based, not Roblox's PCG, so values differ from
//! Roblox's for the same seed; what matters here is determinism: the same
//! seed gives the same sequence. `Random.new()` without a seed draws its
//! seed from [`RandomSeeds`] when the host set one (the world does, per
//! peer), else from the system clock.

use super::{set_library, userdata_from_lua};
use mlua::{Lua, Result, UserData, UserDataMethods, Value, Vector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cell::Cell;

/// Roblox `Random`.
#[derive(Clone, Debug)]
pub struct Random {
    rng: ChaCha8Rng,
}

userdata_from_lua!(Random, "Random");

/// Source of default seeds for `Random.new()`, stored as Lua app data.
#[derive(Debug)]
pub struct RandomSeeds(pub Cell<u64>);

impl Random {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }
}

impl UserData for Random {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(mlua::MetaMethod::Type, "Random");
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method_mut("NextInteger", |_, r, (min, max): (f64, f64)| {
            let (lo, hi) = (min.ceil() as i64, max.floor() as i64);
            if lo > hi {
                return Err(mlua::Error::runtime(
                    "invalid argument #2 to 'NextInteger' (max must be >= min)",
                ));
            }
            Ok(r.rng.gen_range(lo..=hi))
        });
        methods.add_method_mut(
            "NextNumber",
            |_, r, (min, max): (Option<f64>, Option<f64>)| {
                let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(1.0));
                Ok(lo + (hi - lo) * r.rng.gen::<f64>())
            },
        );
        methods.add_method_mut("NextUnitVector", |_, r, ()| loop {
            let v: [f64; 3] = [0, 1, 2].map(|_| r.rng.gen::<f64>() * 2.0 - 1.0);
            let m = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
            if m > 1e-6 && m <= 1.0 {
                return Ok(Vector::new(
                    (v[0] / m) as f32,
                    (v[1] / m) as f32,
                    (v[2] / m) as f32,
                ));
            }
        });
        methods.add_method_mut("Shuffle", |_, r, t: mlua::Table| {
            let n = t.raw_len();
            for i in (2..=n).rev() {
                let j = r.rng.gen_range(1..=i);
                let (a, b): (Value, Value) = (t.raw_get(i)?, t.raw_get(j)?);
                t.raw_set(i, b)?;
                t.raw_set(j, a)?;
            }
            Ok(())
        });
        methods.add_method("Clone", |_, r, ()| Ok(r.clone()));
    }
}

fn default_seed(lua: &Lua) -> u64 {
    if let Some(s) = lua.app_data_ref::<RandomSeeds>() {
        let v = s.0.get();
        s.0.set(v.wrapping_add(0x9E37_79B9_7F4A_7C15));
        return v;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// Installs the `Random` library.
pub(super) fn install(lua: &Lua) -> Result<()> {
    let lib = lua.create_table()?;
    lib.set(
        "new",
        lua.create_function(|lua, seed: Option<f64>| {
            Ok(Random::new(match seed {
                Some(s) => s as i64 as u64,
                None => default_seed(lua),
            }))
        })?,
    )?;
    set_library(lua, "Random", lib)
}

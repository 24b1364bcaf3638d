//! Skyrocket's embedded Roblox host.
//!
//! - [`datatypes::install`] gives any mlua Luau state Roblox's datatypes
//!   (`Vector3`, `Vector2`, `CFrame`, `Color3`, `UDim`, `UDim2`, `DateTime`,
//!   `Enum`).
//! - [`new_sandboxed_vm`] makes a state configured as Roblox runs scripts.
//! - [`World`] runs one server VM and any number of client VMs on a virtual
//!   clock, connected by a seeded, conditioned network ([`link`]), with
//!   byte counters ([`Counters`]).

#![warn(missing_docs)]

pub mod cli;
pub mod clock;
pub mod counters;
pub mod datatypes;
pub mod link;
mod services;
pub mod value;
mod vm;
pub mod world;

pub use counters::{Counters, Direction, Traffic};
pub use link::LinkConfig;
pub use vm::{InstanceRef, Kind};
pub use world::{Peer, ScriptError, Timing, World, WorldConfig};

use mlua::{Lua, Result};

/// Creates a Luau state set up as Roblox runs scripts: Roblox datatypes
/// installed, then sandboxed, with native code generation enabled.
///
/// Order matters: [`Lua::sandbox`] makes the global table and every library
/// table read-only and marks the environment "safe" so that the compiler's
/// fast paths for builtins (`buffer.*`, `vector.*`, `math.*`) apply. Globals
/// must therefore be installed **before** sandboxing; anything installed
/// afterwards lands in the per-script proxy environment instead, and
/// measurements taken without sandboxing understate Luau's speed.
///
/// Native codegen (`luau-jit`) applies to chunks loaded after this call;
/// Roblox compiles `--!native` scripts on servers only, so a client VM that
/// should mimic the interpreter can call `lua.enable_jit(false)`.
pub fn new_sandboxed_vm() -> Result<Lua> {
    new_sandboxed_vm_with(true)
}

/// Like [`new_sandboxed_vm`], choosing native code generation (`true`) or
/// the interpreter (`false`, as Roblox clients run), so that benchmarks can
/// report both figures.
pub fn new_sandboxed_vm_with(native: bool) -> Result<Lua> {
    let lua = Lua::new();
    lua.enable_jit(native);
    datatypes::install(&lua)?;
    lua.sandbox(true)?;
    Ok(lua)
}

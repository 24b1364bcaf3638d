//! Bounds for hostile-input tests: a VM under a memory limit, with a counter
//! of its interrupts (Luau calls the interrupt handler at function calls and
//! loop back-edges), so a test can check that decoding work stays linear in
//! the input.

use mlua::Lua;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Memory a hostile-input VM may use; a decoder that allocates what the
/// input cannot justify hits it and fails the test.
pub const MEMORY_LIMIT: usize = 256 * 1024 * 1024;

/// Puts `lua` under [`MEMORY_LIMIT`] and returns its interrupt counter
/// (reset it with `store(0, ..)` before each input).
pub fn guard(lua: &Lua) -> Arc<AtomicU64> {
    let interrupts = Arc::new(AtomicU64::new(0));
    let counter = interrupts.clone();
    lua.set_interrupt(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(mlua::VmState::Continue)
    });
    lua.set_memory_limit(MEMORY_LIMIT)
        .expect("memory limit set");
    interrupts
}

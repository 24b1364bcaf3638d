//! Schemas with more types than Luau has locals per function still load
//! and round-trip (the type check is in `typecheck.rs`: luau-analyze and
//! mlua link conflicting Luau symbols, so never both in one test binary).
mod common;

use common::*;

#[test]
fn large_schema_loads_and_round_trips() {
    let lua = vm();
    let codec = load(&lua, &large());
    let ok: bool = run(
        &lua,
        &codec,
        r#"
        local v = { x = 1, next = { x = 2, next = nil } }
        local w = Codec.T0.decode(Codec.T0.encode(v))
        local e = Codec.T8.decode(Codec.T8.encode({ x = 3, e = "B" }))
        return w.next.x == 2 and e.e == "B" and Codec.E9.decode(Codec.E9.encode("B")) == "B"
        "#,
    );
    assert!(ok);
}

//! Compile-fail tests of `#[derive(NetCodec)]`: every attribute mistake is a
//! compiler error pointing at the attribute or field at fault
//! (`tests/ui/*.rs`, expected output in `tests/ui/*.stderr`).

#[test]
fn derive_errors() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}

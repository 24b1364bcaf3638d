//! Strict type check of the Crypto runtime modules
//! (`luau-codecs/runtime/Crypto/`) with Luau's own checker.
//!
//! A test binary of its own: `luau-analyze` links its own copy of Luau, which
//! must not share a binary with mlua's VM (in debug builds the duplicate C++
//! symbols resolve across the two copies and break `Lua::new`).

const CHACHA_SRC: &str = include_str!("../../luau-codecs/runtime/Crypto/ChaCha20Poly1305.luau");
const ENVELOPE_SRC: &str = include_str!("../../luau-codecs/runtime/Crypto/Envelope.luau");

fn type_errors(source: &str) -> Vec<String> {
    let mut checker = luau_analyze::Checker::new().expect("checker");
    checker
        .add_definitions(include_str!("../../luau-codecs/luau/roblox.d.luau"))
        .expect("definitions load");
    let result = checker.check(source).expect("check runs");
    result
        .errors()
        .iter()
        .map(|d| {
            let line = source.lines().nth(d.line as usize).unwrap_or("");
            format!(
                "{}:{}: {}\n    {}",
                d.line + 1,
                d.col + 1,
                d.message,
                line.trim()
            )
        })
        .collect()
}

#[test]
fn crypto_modules_have_no_strict_type_errors() {
    // The checker sees one module at a time and knows no `script`: Envelope
    // is checked with its `require` replaced by the module's source inlined
    // in a function, which gives the checker the same types.
    let require = "require(script.Parent.ChaCha20Poly1305)";
    assert!(ENVELOPE_SRC.contains(require));
    let envelope = ENVELOPE_SRC.replace(require, &format!("(function()\n{CHACHA_SRC}\nend)()"));
    for (name, src) in [
        ("ChaCha20Poly1305", CHACHA_SRC),
        ("Envelope", envelope.as_str()),
    ] {
        assert!(src.starts_with("--!strict\n--!native\n"), "{name} header");
        let errors = type_errors(src);
        assert!(
            errors.is_empty(),
            "{name}: {} type errors:\n{}",
            errors.len(),
            errors.join("\n")
        );
        // Sanity: the checker is strict on this module (a planted error is seen).
        let planted = src.replacen("\nlocal ", "\nlocal _planted: number = \"no\"\nlocal ", 1);
        assert!(
            !type_errors(&planted).is_empty(),
            "{name}: planted error not reported"
        );
    }
}

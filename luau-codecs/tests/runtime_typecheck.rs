//! The runtime modules and a generated protocol API type-check in `--!strict`.
//! Each module is checked alone (the checker has no module resolution), so
//! `require` results are `any` here; the API's own types are still checked.

/// Full Roblox API definitions (luau-lsp), shared by the workspace.
const ROBLOX_DEFS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/roblox/roblox-api-2025-07.d.luau"
);

use skyrocket_luau::protocol::{generate_api, RUNTIME_FILES};

/// The full Roblox definitions live beside the checkout (`../shared`), which
/// a user's fresh clone does not have: the tests that need them say so and
/// skip there.
fn roblox_defs() -> Option<String> {
    match std::fs::read_to_string(ROBLOX_DEFS) {
        Ok(defs) => Some(defs),
        Err(e) => {
            eprintln!("skipped: the full Roblox definitions ({ROBLOX_DEFS}) are not here: {e}");
            None
        }
    }
}

fn check(name: &str, source: &str, defs: &str) -> Vec<String> {
    let mut checker = luau_analyze::Checker::new().expect("checker");
    checker.add_definitions(defs).expect("definitions load");
    let result = checker.check(source).expect("check runs");
    result
        .errors()
        .iter()
        .map(|d| {
            let line = source.lines().nth(d.line as usize).unwrap_or("");
            format!(
                "{name}:{}:{}: {}\n    {}",
                d.line + 1,
                d.col + 1,
                d.message,
                line.trim()
            )
        })
        .collect()
}

#[test]
fn runtime_modules_are_strict_clean() {
    let Some(defs) = roblox_defs() else {
        return;
    };
    let mut errors = Vec::new();
    for (path, src) in RUNTIME_FILES {
        assert!(src.starts_with("--!strict"), "{path}");
        errors.extend(check(path, src, &defs));
    }
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn generated_api_is_strict_clean_and_enforces_types() {
    let Some(defs) = roblox_defs() else {
        return;
    };
    let src = r#"
use skyrocket::NetCodec;
#[derive(NetCodec)]
pub struct Chat { #[net(max_len = 10)] pub text: String }
#[skyrocket::protocol]
mod net {
    use super::*;
    pub mod chat {
        use super::*;
        #[event(to_client)]
        pub type Say = Chat;
        #[function(to_server)]
        pub type Ask = fn(u8) -> Chat;
    }
    #[event(to_server, unreliable)]
    pub type Move = f32;
}
"#;
    let (schema, protocol) = skyrocket_schema::parse_file_with_protocol(src).unwrap();
    let api = generate_api(&schema, &protocol, "Codecs").unwrap();
    // Without module resolution, Codec types are unknown: stand them in.
    let api = api
        .replace(
            "export type Chat = Codec.Chat",
            "export type Chat = { text: string }",
        )
        .replace("{ Net.RemoteSpec }", "{ any }")
        .replace("require(script.Parent.Net)", "(nil :: any)")
        .replace("require(script.Parent[\"Codecs\"])", "(nil :: any)");
    let errors = check("Protocol", &api, &defs);
    assert!(errors.is_empty(), "{}\n{api}", errors.join("\n"));
    // Misuse is caught by the checker.
    let bad = api.replace(
        "\nreturn Api\n",
        "\nApi.Chat.Say.fireAll({ text = 5 })\nApi.Move.fire(\"fast\")\nlocal c: Chat? = Api.Chat.Ask.invoke(\"x\")\nreturn Api\n",
    );
    let errors = check("Protocol", &bad, &defs);
    assert_eq!(errors.len(), 3, "{}", errors.join("\n"));
}

#[test]
fn write_runtime_writes_every_module() {
    let dir = std::env::temp_dir().join(format!("skyrocket-runtime-{}", std::process::id()));
    let files = skyrocket_luau::protocol::write_runtime(&dir).unwrap();
    assert_eq!(files.len(), RUNTIME_FILES.len());
    assert!(dir.join("Net/init.luau").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn format_modules_are_strict_clean() {
    // (Crypto/ is checked by conformance/tests/crypto_types.rs.)
    let Some(defs) = roblox_defs() else {
        return;
    };
    let mut errors = Vec::new();
    for (path, src) in skyrocket_luau::library::FORMAT_FILES {
        assert!(src.starts_with("--!strict"), "{path}");
        errors.extend(check(path, src, &defs));
    }
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn the_schema_descriptor_is_strict_clean() {
    let Some(defs) = roblox_defs() else {
        return;
    };
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/arena/schema.rs"
    ))
    .unwrap();
    let (schema, _) = skyrocket_schema::parse_file_with_protocol(&source).unwrap();
    let src = skyrocket_luau::descriptor::generate_descriptor(&schema, 1, Some("arena"));
    let errors = check("Schema", &src, &defs);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

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

/// The example game's scripts, checked against the typed API generated from
/// its schema. The checker has no module resolution, so each script is
/// bundled with what it requires: the codec types, the generated API (whose
/// codec values and runtime stay `any`), and `Rules`/`DebugPanel` inlined.
#[test]
fn arena_game_scripts_are_strict_clean_against_the_generated_api() {
    let Some(defs) = roblox_defs() else {
        return;
    };
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/arena");
    let read = |rel: &str| {
        std::fs::read_to_string(format!("{root}/{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let (schema, protocol) =
        skyrocket_schema::parse_file_with_protocol(&read("schema.rs")).expect("arena schema");
    let codecs = skyrocket_luau::generate(&schema, &skyrocket_luau::GenOptions::default())
        .expect("codecs")
        .source;
    let types_start = codecs.find("\nexport type").expect("codec types");
    let types_end = codecs
        .find("\nlocal Codec = {}")
        .expect("the codec table follows the types");
    let api: String = generate_api(&schema, &protocol, "Codecs")
        .expect("api")
        .lines()
        .filter(|l| !(l.starts_with("export type ") && l.contains("= Codec.")))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("{ Net.RemoteSpec }", "{ any }")
        .replace("require(script.Parent.Net)", "(nil :: any)")
        .replace("require(script.Parent[\"Codecs\"])", "(nil :: any)")
        .replace("\nreturn Api", "\nlocal Remotes = Api");
    let inline = |src: &str| {
        let body = src
            .strip_prefix("--!strict")
            .unwrap_or(src)
            .replace("\nexport type ", "\ntype ");
        format!("(function()\n{body}\nend)()")
    };
    let debug_panel = RUNTIME_FILES
        .iter()
        .find(|(p, _)| *p == "Net/DebugPanel.luau")
        .expect("DebugPanel in the runtime")
        .1;
    let prefix = format!(
        "--!strict\n{}\n{api}\ndo\n",
        &codecs[types_start..types_end]
    );
    let mut errors = Vec::new();
    for script in ["src/server/Main.server.luau", "src/client/Main.client.luau"] {
        let source = read(script);
        assert!(source.starts_with("--!strict"), "{script}");
        let body: Vec<String> = source
            .lines()
            .map(|l| {
                let trimmed = l.trim_start();
                if trimmed.starts_with("local Remotes = require(")
                    || trimmed.starts_with("local Codecs = require(")
                    || (trimmed.starts_with("type ") && trimmed.contains(" = Codecs."))
                {
                    // keep line numbers: the bundle provides these names
                    String::new()
                } else if trimmed.starts_with("local Rules = require(") {
                    // inlined in the bundle's head, to keep line numbers
                    "local Rules = __Rules".into()
                } else if trimmed.starts_with("local DebugPanel = require(") {
                    "local DebugPanel = __DebugPanel".into()
                } else {
                    l.to_string()
                }
            })
            .collect();
        let head = format!(
            "{prefix}local __DebugPanel = {}\nlocal __Rules = {}\n",
            inline(debug_panel),
            inline(&read("src/shared/Rules.luau"))
        );
        let offset = head.lines().count();
        let bundle = format!("{head}{}\nend\n", body.join("\n"));
        let mut checker = luau_analyze::Checker::new().expect("checker");
        checker.add_definitions(&defs).expect("definitions load");
        let result = checker.check(&bundle).expect("check runs");
        for d in result.errors() {
            let line = d.line as usize;
            let place = if line >= offset {
                format!("{script}:{}", line - offset + 1)
            } else {
                format!("bundle prefix:{}", line + 1)
            };
            let text = bundle.lines().nth(line).unwrap_or("").trim();
            errors.push(format!("{place}: {}\n    {text}", d.message));
        }
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

//! `skyrocket sim` on examples/hello-sim and on a folder laid out by
//! service names.

use skyrocket_sim::cli::{self, Options};
use skyrocket_sim::Direction;
use std::path::PathBuf;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-sim")
}

fn args(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

#[test]
fn hello_sim_runs_with_traffic_on_every_remote() {
    let o = Options {
        folder: example(),
        clients: 3,
        seconds: 4.0,
        link: "4g".into(),
        seed: 7,
    };
    let r = cli::simulate(&o).expect("simulate");
    assert!(r.errors.is_empty(), "script errors: {:#?}", r.errors);
    assert_eq!(r.frames, 240);
    let rs = "ReplicatedStorage.Remotes";
    for (remote, dir) in [
        ("Input", Direction::Up),
        ("Snapshot", Direction::Down),
        ("Chat", Direction::Up),
        ("Chat", Direction::Down),
        ("ChatBroadcast", Direction::Down),
    ] {
        let name = format!("{rs}.{remote}");
        let t = r
            .remote(&name, dir)
            .unwrap_or_else(|| panic!("no traffic on {name} {dir:?}"));
        assert!(
            t.total.sent_messages > 0 && t.total.sent_bytes > 0,
            "{name} {dir:?}"
        );
        assert_eq!(t.players.len(), 3, "{name} {dir:?}: one row per player");
        for (_, player, p) in &t.players {
            assert!(p.sent_messages > 0, "{name} {dir:?} {player}");
        }
    }
    // 20 Hz input for ~4 s (the first inputs wait for the remotes to
    // replicate): 11-byte buffer + tag + length + call overhead = 18 bytes.
    let input = r.remote(&format!("{rs}.Input"), Direction::Up).unwrap();
    for (_, player, p) in &input.players {
        assert!(
            (70..=80).contains(&p.sent_messages),
            "{player} sent {} inputs",
            p.sent_messages
        );
        assert_eq!(p.sent_bytes, p.sent_messages * 18, "{player}");
    }
    // Snapshot: 20 Hz to each of 3 players, 3 + 12 * 3 bytes of buffer.
    let snap = r
        .remote(&format!("{rs}.Snapshot"), Direction::Down)
        .unwrap();
    for (_, player, p) in &snap.players {
        assert!(
            (75..=81).contains(&p.sent_messages),
            "{player}: {}",
            p.sent_messages
        );
        assert_eq!(p.sent_bytes, p.sent_messages * (5 + 1 + 1 + 39), "{player}");
    }
    // Chat every 3 s: one invocation and one answer per player; every
    // player sees the 3 broadcasts.
    let up = r.remote(&format!("{rs}.Chat"), Direction::Up).unwrap();
    let down = r.remote(&format!("{rs}.Chat"), Direction::Down).unwrap();
    assert_eq!(up.total.sent_messages, 3);
    assert_eq!(down.total.sent_messages, 3);
    let bc = r
        .remote(&format!("{rs}.ChatBroadcast"), Direction::Down)
        .unwrap();
    assert_eq!(bc.total.sent_messages, 9);
    assert!(r.server_ms_per_frame > 0.0 && r.client_ms_per_frame > 0.0);

    let text = r.to_string();
    for needle in [
        "ReplicatedStorage.Remotes.Input",
        "Player3",
        "script errors: 0",
        "frame time (real ms per frame)",
    ] {
        assert!(text.contains(needle), "report lacks {needle:?}:\n{text}");
    }
}

#[test]
fn run_parses_the_command_line() {
    let folder = example();
    let line = format!(
        "{} --clients 2 --seconds 1 --link lossy5 --seed 3",
        folder.display()
    );
    let report = cli::run(&args(&line)).expect("run");
    assert!(report.contains("2 clients, 1 virtual s (60 frames at 60 Hz), link lossy5, seed 3"));
    assert!(cli::run(&args("--help"))
        .expect("help")
        .starts_with("usage:"));
    for bad in [
        "",
        "x --clients",
        "x --clients two",
        "x --link moon",
        "x --seconds -1",
        "x y",
        "x --frobnicate 1",
    ] {
        let e = cli::run(&args(bad)).expect_err(bad);
        assert!(e.contains("usage:"), "{bad}: {e}");
    }
    let e = cli::run(&args("/nonexistent/skyrocket-sim-project")).expect_err("missing");
    assert!(e.contains("no default.project.json"), "{e}");
}

#[test]
fn folder_conventions_without_a_project_file() {
    let dir = std::env::temp_dir().join(format!("skyrocket-sim-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for d in [
        "ReplicatedStorage",
        "ServerScriptService",
        "StarterPlayerScripts",
    ] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    std::fs::write(
        dir.join("ReplicatedStorage/Config.luau"),
        "return { greeting = 'hi' }",
    )
    .unwrap();
    std::fs::write(
        dir.join("ServerScriptService/Main.server.luau"),
        r#"
        local rs = game:GetService("ReplicatedStorage")
        local cfg = require(rs.Config)
        local ev = Instance.new("RemoteEvent")
        ev.Name = "Ping"
        ev.Parent = rs
        ev.OnServerEvent:Connect(function(p, s) ev:FireClient(p, s .. "!") end)
        assert(cfg.greeting == "hi")
        "#,
    )
    .unwrap();
    std::fs::write(
        dir.join("StarterPlayerScripts/Main.client.luau"),
        r#"
        local rs = game:GetService("ReplicatedStorage")
        local ev = rs:WaitForChild("Ping")
        ev:FireServer(require(rs.Config).greeting)
        "#,
    )
    .unwrap();
    let o = Options {
        folder: dir.clone(),
        clients: 2,
        seconds: 1.0,
        link: "perfect".into(),
        seed: 1,
    };
    let r = cli::simulate(&o).expect("simulate");
    assert!(r.errors.is_empty(), "{:#?}", r.errors);
    let up = r
        .remote("ReplicatedStorage.Ping", Direction::Up)
        .expect("up");
    let down = r
        .remote("ReplicatedStorage.Ping", Direction::Down)
        .expect("down");
    assert_eq!(up.total.sent_messages, 2);
    assert_eq!(down.total.sent_messages, 2);
    // "hi" = tag + len + 2; "hi!" one more; 5 bytes per call.
    assert_eq!(up.total.sent_bytes, 2 * (5 + 4));
    assert_eq!(down.total.sent_bytes, 2 * (5 + 5));
    let _ = std::fs::remove_dir_all(&dir);
}

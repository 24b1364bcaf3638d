//! `skyrocket sim` through the real binary: runs the hello-sim example in the
//! embedded host and prints its report.

use std::process::Command;

#[test]
fn skyrocket_sim_runs_the_example_and_reports_traffic() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/hello-sim");
    let output = Command::new(env!("CARGO_BIN_EXE_skyrocket"))
        .args([
            "sim",
            example,
            "--clients",
            "2",
            "--seconds",
            "3",
            "--link",
            "lan",
        ])
        .output()
        .expect("the skyrocket binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("2 clients, 3 virtual s"), "{stdout}");
    assert!(
        stdout.contains("ReplicatedStorage.Remotes.Snapshot"),
        "{stdout}"
    );
    assert!(stdout.contains("script errors: 0"), "{stdout}");
}

#[test]
fn skyrocket_sim_names_a_missing_project_folder() {
    let output = Command::new(env!("CARGO_BIN_EXE_skyrocket"))
        .args(["sim", "no/such/folder"])
        .output()
        .expect("the skyrocket binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no/such/folder"), "{stderr}");
}

#[test]
fn skyrocket_gen_writes_codecs_remotes_and_runtime_for_the_arena() {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/arena/schema.rs");
    let out = std::env::temp_dir().join(format!("skyrocket-gen-arena-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_skyrocket"))
        .args(["gen", schema, "--out"])
        .arg(&out)
        .output()
        .expect("the skyrocket binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let remotes = std::fs::read_to_string(out.join("Remotes.luau")).expect("Remotes.luau written");
    assert!(remotes.starts_with("--") && remotes.contains("--!strict"));
    for name in ["Snapshot", "Input", "GetInventory", "Chat"] {
        assert!(remotes.contains(name), "Remotes.luau lacks {name}");
    }
    for module in ["Codecs.luau", "Net/init.luau", "Net/RateLimit.luau"] {
        assert!(out.join(module).is_file(), "{module} not written");
    }
    let _ = std::fs::remove_dir_all(&out);
}

/// The numbers of the report line whose first word is `first`, after the
/// line `section` (e.g. the server's `World.Snapshot` row).
fn row<'a>(report: &'a str, section: &str, first: &str) -> Vec<&'a str> {
    report
        .lines()
        .skip_while(|l| l.trim() != section)
        .find(|l| l.split_whitespace().next() == Some(first))
        .unwrap_or_else(|| panic!("no {first} row after {section}:\n{report}"))
        .split_whitespace()
        .collect()
}

fn num(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("not a number: {cell}"))
}

/// README's main job, shorter: regenerates the arena's Luau from its schema,
/// plays the match in the embedded host, and prints the host's report and
/// the runtime profiler's, which must agree with each other and show the
/// game working (snapshots arrive, chat is relayed, GetInventory answered,
/// the chat spammer limited).
#[test]
fn skyrocket_sim_runs_the_arena_game_on_the_generated_api() {
    let project = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/arena");
    let clients = 3;
    let output = Command::new(env!("CARGO_BIN_EXE_skyrocket"))
        .args([
            "sim",
            project,
            "--clients",
            "3",
            "--seconds",
            "8",
            "--link",
            "lan",
        ])
        .output()
        .expect("the skyrocket binary runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains("Generated/Remotes.luau (6 events, 1 functions)"),
        "{report}"
    );
    assert!(report.contains("script errors: 0"), "{report}");

    // Per remote, as the server's profiler counted: rates are counts / uptime.
    let state: Vec<&str> = report
        .lines()
        .skip_while(|l| l.trim() != "state")
        .nth(2)
        .expect("state row")
        .split_whitespace()
        .collect();
    let uptime = num(state[0]);
    assert!((7.5..=8.5).contains(&uptime), "uptime {uptime}");
    for remote in [
        "World.Snapshot",
        "Player.Chat",
        "Player.Say",
        "Player.Input",
    ] {
        let r = row(&report, "remotes", remote);
        for (count, per_second) in [(1, 3), (2, 4), (5, 7), (6, 8)] {
            let expected = num(r[count]) / uptime;
            assert!(
                (num(r[per_second]) - expected).abs() <= 0.051 + expected * 0.01,
                "{remote}: column {per_second} is not column {count} / {uptime}: {r:?}"
            );
        }
    }
    let snapshot = row(&report, "remotes", "World.Snapshot");
    let frames = uptime * 60.0;
    assert!(
        num(snapshot[1]) >= (frames - 10.0) * clients as f64
            && num(snapshot[1]) <= frames * clients as f64 + 1.0,
        "one snapshot per frame per player: {snapshot:?}"
    );

    // Every client's profiler: what arrived, and its function round trips.
    let mut snapshots_received = 0.0;
    let mut answered = 0.0;
    for i in 1..=clients {
        let line = report
            .lines()
            .find(|l| l.starts_with(&format!("Player{i}: ")))
            .unwrap_or_else(|| panic!("no Player{i} summary:\n{report}"));
        let count = |key: &str| -> f64 {
            let at = line
                .find(key)
                .unwrap_or_else(|| panic!("Player{i} lacks {key}: {line}"));
            num(line[at + key.len()..]
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or(""))
        };
        snapshots_received += count("World.Snapshot=");
        assert!(
            count("Player.Chat=") >= 2.0,
            "chat relayed to Player{i}: {line}"
        );
        let n = num(line
            .split(" answered")
            .next()
            .and_then(|s| s.rsplit(' ').next())
            .unwrap_or(""));
        assert!(n >= 1.0 && line.contains(" 0 timeouts"), "{line}");
        answered += n;
    }
    // Each Unreliable call down carries one snapshot: the clients' profilers
    // and the host's counters agree.
    let unreliable_down = report
        .lines()
        .find(|l| l.contains("SkyrocketRemotes.Unreliable down"))
        .expect("unreliable down row");
    let delivered = num(unreliable_down
        .split_whitespace()
        .nth(5)
        .expect("delivered"));
    assert_eq!(snapshots_received, delivered, "{unreliable_down}");

    let say = row(&report, "remotes", "Player.Say");
    let chat = row(&report, "remotes", "Player.Chat");
    assert!(
        num(say[5]) >= 2.0 && num(chat[1]) >= num(say[5]),
        "{say:?} {chat:?}"
    );
    let inventory = row(&report, "remotes", "Player.GetInventory");
    assert!(num(inventory[5]) >= answered, "{inventory:?}");

    // Player1 spams chat for two seconds; only it is limited, for rate.
    let limited: Vec<&str> = report
        .lines()
        .skip_while(|l| l.trim() != "rate-limited")
        .skip(2)
        .take_while(|l| l.starts_with("    "))
        .collect();
    assert_eq!(limited.len(), 1, "{report}");
    assert!(
        limited[0].trim_start().starts_with("Player1 (") && limited[0].contains("rate="),
        "{limited:?}"
    );
}

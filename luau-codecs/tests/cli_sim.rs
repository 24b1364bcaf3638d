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

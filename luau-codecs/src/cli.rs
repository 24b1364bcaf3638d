//! The `skyrocket` command line (see `src/main.rs`).

/// Placeholder until the CLI lands.
pub fn run(_args: Vec<String>) -> i32 {
    0
}

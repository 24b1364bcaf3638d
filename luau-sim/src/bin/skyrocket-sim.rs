//! Stand-alone `skyrocket sim` until the `skyrocket` CLI wires it:
//!
//! ```text
//! cargo run --release -p skyrocket-sim --bin skyrocket-sim -- examples/hello-sim --clients 4 --seconds 10 --link 4g
//! ```
//!
//! See [`skyrocket_sim::cli`] for the options and the project layout.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match skyrocket_sim::cli::run(&args) {
        Ok(report) => print!("{report}"),
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    }
}

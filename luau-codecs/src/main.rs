//! The `skyrocket` command line: see [`skyrocket_luau::cli`].

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = if args.first().map(String::as_str) == Some("sim") {
        match skyrocket_sim::cli::run(&args[1..]) {
            Ok(report) => {
                let _ = writeln!(std::io::stdout(), "{report}");
                0
            }
            Err(message) => {
                let _ = writeln!(std::io::stderr(), "{message}");
                1
            }
        }
    } else {
        skyrocket_luau::cli::run(&args, &mut std::io::stdout(), &mut std::io::stderr())
    };
    std::process::exit(code);
}

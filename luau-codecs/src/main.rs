//! The `skyrocket` command line: see [`skyrocket_luau::cli`]. `sim` lives
//! here, in the binary, because it links the embedded Luau VM (mlua), which
//! must stay out of the library's test binaries (they link Luau's analyzer).

use std::io::Write;

mod sim;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = if args.first().map(String::as_str) == Some("sim") {
        match sim::run(&args[1..]) {
            Ok(report) => {
                let _ = write!(std::io::stdout(), "{report}");
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

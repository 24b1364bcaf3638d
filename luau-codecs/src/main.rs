//! The `skyrocket` command line: see [`skyrocket_luau::cli`].

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = skyrocket_luau::cli::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}

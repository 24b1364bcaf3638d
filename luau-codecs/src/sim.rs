//! `skyrocket sim <project>`: for a project with a `schema.rs`, regenerate
//! its Luau (codecs, typed remotes, runtime) into [`GENERATED_DIR`], run the
//! game in the embedded host, and add the runtime profiler's report of every
//! peer to the host's bandwidth and timing report.

use std::path::Path;

use skyrocket_sim::cli::{self, Options};

/// Where a project's generated Luau goes, relative to the project folder;
/// with Rojo's usual `src/shared` -> `ReplicatedStorage.Shared` mapping,
/// scripts require `ReplicatedStorage.Shared.Generated.Remotes`.
pub const GENERATED_DIR: &str = "src/shared/Generated";

const USAGE_EXTRA: &str = "
If the folder has a schema.rs, its codecs, typed remotes and runtime are
regenerated into <folder>/src/shared/Generated first, and after the run the
runtime's profiler (Net.DebugPanel) reports from the server (per remote,
per player, rate limits) and from each client (rates, function round trips).
";

/// Evaluated on every peer after the run: the runtime's own figures. The
/// generated folder is found by name, wherever the project maps it.
const REPORT_CHUNK: &str = r#"
local RunService = game:GetService("RunService")
local generated = game:GetService("ReplicatedStorage"):FindFirstChild("Generated", true)
if generated == nil then
    return "no ReplicatedStorage descendant named Generated"
end
local Remotes = require(generated:FindFirstChild("Remotes"))
local Panel = require(generated:FindFirstChild("Net"):FindFirstChild("DebugPanel"))
return Panel.report(Remotes.net, RunService:IsServer())
"#;

/// Runs the command with the arguments after `sim`; returns what to print.
pub fn run(args: &[String]) -> Result<String, String> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(format!("{}{USAGE_EXTRA}", cli::USAGE));
    }
    let options = Options::parse(args)?;
    let schema = options.folder.join("schema.rs");
    let mut out = String::new();
    let chunk = if schema.is_file() {
        out.push_str(&generate(&schema, &options.folder.join(GENERATED_DIR))?);
        Some(REPORT_CHUNK)
    } else {
        None
    };
    let report = cli::simulate_with_report(&options, chunk)?;
    out.push_str(&report.to_string());
    Ok(out)
}

fn generate(schema: &Path, out_dir: &Path) -> Result<String, String> {
    let args = [
        "gen".to_string(),
        schema.display().to_string(),
        "--out".to_string(),
        out_dir.display().to_string(),
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = skyrocket_luau::cli::run(&args, &mut out, &mut err);
    if code != 0 {
        return Err(String::from_utf8_lossy(&err).into_owned());
    }
    Ok(String::from_utf8_lossy(&out).into_owned() + "\n")
}

//! `skyrocket sim`: run a game folder on the embedded host and report its
//! network traffic.
//!
//! ```text
//! skyrocket sim <project-folder> [--clients N] [--seconds S] [--link PRESET] [--seed N]
//! ```
//!
//! # Project layout
//!
//! If the folder has a `default.project.json` (Rojo's format), its `tree`
//! is followed: every node with a `$path` loads that file or folder at the
//! node's place in the DataModel (`ReplicatedStorage.Shared` ...), and other
//! `$`-keys are ignored. Otherwise, folders named after services are used:
//!
//! | folder | becomes |
//! | --- | --- |
//! | `ReplicatedStorage/`, `ReplicatedFirst/`, `Workspace/` | ModuleScripts there (replicated to clients) |
//! | `ServerStorage/` | ModuleScripts there (server only) |
//! | `ServerScriptService/` | server scripts and server modules |
//! | `StarterPlayer/StarterPlayerScripts/` or `StarterPlayerScripts/` | client scripts |
//!
//! Inside, Rojo's file rules apply (see [`World::load_dir`]):
//! `X.server.luau` is a server Script, `X.client.luau` a LocalScript run by
//! every client, `X.luau` a ModuleScript named `X`, `init.luau` makes its
//! folder a ModuleScript, sub-folders are Folders (`.lua` works too).
//! Everything that is not under `ServerScriptService` or `StarterPlayer` is
//! loaded first, so scripts can `require` shared modules at once; then
//! server scripts start; then the players join (`Player1` ... `PlayerN`,
//! all at time 0) and each runs the client scripts.
//!
//! Not modelled: client-side ModuleScripts under `StarterPlayer` (client
//! scripts can `require` what ReplicatedStorage holds), and everything
//! [`World`] does not model (docs/sim.md).

use crate::counters::{Direction, Traffic};
use crate::link::LinkConfig;
use crate::world::{Peer, ScriptError, World, WorldConfig};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Usage text (also returned for `--help`).
pub const USAGE: &str = "\
usage: skyrocket sim <project-folder> [--clients N] [--seconds S] [--link PRESET] [--seed N]

Runs the server and client scripts of a Rojo-like folder on simulated
Roblox peers (one server, N clients) over a conditioned network for S
virtual seconds, and prints bandwidth per remote and per player, frame
timing and script errors.

  --clients N     players joining at time 0 (default 4)
  --seconds S     virtual seconds to run (default 10)
  --link PRESET   perfect, lan, home, 4g, 3g, lossy5 (default 4g)
  --seed N        seed for every random choice (default 1)
";

/// Parsed command-line options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The project folder.
    pub folder: PathBuf,
    /// Number of players.
    pub clients: usize,
    /// Virtual seconds to run.
    pub seconds: f64,
    /// Link preset name (see [`LinkConfig::preset`]).
    pub link: String,
    /// World seed.
    pub seed: u64,
}

impl Options {
    /// Parses the arguments that follow `sim` (see [`USAGE`]); `Err` holds
    /// a message that includes the usage.
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut folder = None;
        let mut o = Options {
            folder: PathBuf::new(),
            clients: 4,
            seconds: 10.0,
            link: "4g".into(),
            seed: 1,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
            };
            match a.as_str() {
                "--clients" => {
                    let v = value(a)?;
                    o.clients = v
                        .parse()
                        .map_err(|_| format!("--clients: not a count: {v}\n\n{USAGE}"))?;
                }
                "--seconds" => {
                    let v = value(a)?;
                    o.seconds = v
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .ok_or_else(|| format!("--seconds: not a duration: {v}\n\n{USAGE}"))?;
                }
                "--link" => {
                    let v = value(a)?;
                    if LinkConfig::preset(&v).is_none() {
                        return Err(format!("--link: unknown preset {v}\n\n{USAGE}"));
                    }
                    o.link = v;
                }
                "--seed" => {
                    let v = value(a)?;
                    o.seed = v
                        .parse()
                        .map_err(|_| format!("--seed: not a number: {v}\n\n{USAGE}"))?;
                }
                s if s.starts_with("--") => {
                    return Err(format!("unknown option {s}\n\n{USAGE}"));
                }
                s => {
                    if folder.is_some() {
                        return Err(format!("unexpected argument {s}\n\n{USAGE}"));
                    }
                    folder = Some(PathBuf::from(s));
                }
            }
        }
        o.folder = folder.ok_or_else(|| format!("missing <project-folder>\n\n{USAGE}"))?;
        Ok(o)
    }
}

/// Runs `skyrocket sim` and returns the report text.
///
/// `args` are the arguments **after** `sim`, e.g. for
/// `skyrocket sim examples/hello-sim --clients 4 --seconds 10 --link 4g`:
///
/// ```no_run
/// let args: Vec<String> = std::env::args().skip(2).collect(); // skip "skyrocket", "sim"
/// match skyrocket_sim::cli::run(&args) {
///     Ok(report) => print!("{report}"),
///     Err(message) => {
///         eprintln!("{message}");
///         std::process::exit(2);
///     }
/// }
/// ```
///
/// `--help`/`-h` returns `Ok(USAGE)`. `Err` is a bad command line, a
/// project that cannot be read, or a compile error in a script; runtime
/// errors of scripts do not fail the run, they are listed in the report.
pub fn run(args: &[String]) -> Result<String, String> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(USAGE.to_string());
    }
    let options = Options::parse(args)?;
    Ok(simulate(&options)?.to_string())
}

/// Traffic of one remote in one direction.
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteTraffic {
    /// Full name (`ReplicatedStorage.Remotes.Input`), or `replication`.
    pub remote: String,
    /// Up (client to server) or down.
    pub direction: Direction,
    /// Totals over every player.
    pub total: Traffic,
    /// Per player: (UserId, player name, totals).
    pub players: Vec<(u64, String, Traffic)>,
}

/// What [`simulate`] measured. `Display` renders the report.
#[derive(Clone, Debug)]
pub struct SimReport {
    /// The options it ran with.
    pub options: Options,
    /// Frames stepped.
    pub frames: u64,
    /// Frame rate (frames per virtual second).
    pub frame_rate: f64,
    /// Real seconds the run took (not setup).
    pub real_seconds: f64,
    /// Real milliseconds per frame spent in the server VM.
    pub server_ms_per_frame: f64,
    /// Real milliseconds per frame in a client VM, averaged over clients.
    pub client_ms_per_frame: f64,
    /// The slowest client's average (UserId, ms per frame).
    pub slowest_client: Option<(u64, f64)>,
    /// Real milliseconds per frame outside the VMs (links, routing).
    pub host_ms_per_frame: f64,
    /// Per remote and direction, with per-player rows; sorted by name.
    pub remotes: Vec<RemoteTraffic>,
    /// Script errors (runtime errors of scripts and handlers).
    pub errors: Vec<ScriptError>,
    /// Lines printed by scripts (`print`/`warn`).
    pub output_lines: usize,
    /// What the report chunk of [`simulate_with_report`] returned on each
    /// peer after the run: (`server` or the player's name, text).
    pub peer_reports: Vec<(String, String)>,
}

impl SimReport {
    /// The traffic of a remote (full name) in one direction, if it had any.
    pub fn remote(&self, name: &str, direction: Direction) -> Option<&RemoteTraffic> {
        self.remotes
            .iter()
            .find(|r| r.remote == name && r.direction == direction)
    }
}

fn project_entries(folder: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let project = folder.join("default.project.json");
    let mut out = Vec::new();
    if project.is_file() {
        let text =
            std::fs::read_to_string(&project).map_err(|e| format!("{}: {e}", project.display()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", project.display()))?;
        let tree = json
            .get("tree")
            .ok_or_else(|| format!("{}: no \"tree\"", project.display()))?;
        fn walk(
            node: &serde_json::Value,
            path: &str,
            folder: &Path,
            out: &mut Vec<(String, PathBuf)>,
        ) {
            let Some(obj) = node.as_object() else { return };
            if let Some(p) = obj.get("$path").and_then(|p| p.as_str()) {
                if !path.is_empty() {
                    out.push((path.to_string(), folder.join(p)));
                }
            }
            for (k, v) in obj {
                if k.starts_with('$') {
                    continue;
                }
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}/{k}")
                };
                walk(v, &child, folder, out);
            }
        }
        walk(tree, "", folder, &mut out);
    } else {
        for service in [
            "ReplicatedStorage",
            "ReplicatedFirst",
            "Workspace",
            "ServerStorage",
            "ServerScriptService",
            "StarterPlayer",
        ] {
            let dir = folder.join(service);
            if dir.is_dir() {
                out.push((service.to_string(), dir));
            }
        }
        let dir = folder.join("StarterPlayerScripts");
        if dir.is_dir() {
            out.push(("StarterPlayer/StarterPlayerScripts".into(), dir));
        }
        if out.is_empty() {
            return Err(format!(
                "{}: no default.project.json and no service folders \
                 (ReplicatedStorage, ServerScriptService, StarterPlayerScripts, ...)",
                folder.display()
            ));
        }
    }
    // Shared modules first, then server scripts, then client scripts.
    let phase = |p: &str| match p.split('/').next() {
        Some("ServerScriptService") => 1,
        Some("StarterPlayer") => 2,
        _ => 0,
    };
    out.sort_by_key(|(p, _)| phase(p));
    Ok(out)
}

fn load_entry(world: &mut World, inst: &str, path: &Path) -> Result<(), String> {
    let err = |e: mlua::Error| format!("{}: {e}", path.display());
    if path.is_dir() {
        return world.load_dir(path, inst).map_err(err);
    }
    let source = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let stem = file
        .strip_suffix(".luau")
        .or_else(|| file.strip_suffix(".lua"))
        .unwrap_or(file);
    let chunk = inst.replace('/', ".");
    if stem.ends_with(".server") {
        world.run(Peer::Server, &source, &chunk).map_err(err)
    } else if stem.ends_with(".client") {
        world.add_client_script(&chunk, &source).map_err(err)
    } else {
        world.add_module(inst, &source).map_err(err)
    }
}

/// Loads the project, runs it and measures it (see the module docs).
pub fn simulate(o: &Options) -> Result<SimReport, String> {
    simulate_with_report(o, None)
}

/// [`simulate`], then evaluates `report_chunk` (Luau returning a string) on
/// the server and on every client, in the game's own VMs, so a game or its
/// libraries can add their view of the run (profilers, scores) to the
/// report. A chunk that fails puts its error in place of the text.
pub fn simulate_with_report(o: &Options, report_chunk: Option<&str>) -> Result<SimReport, String> {
    let link = LinkConfig::preset(&o.link).ok_or_else(|| format!("unknown link {}", o.link))?;
    let entries = project_entries(&o.folder)?;
    let config = WorldConfig {
        seed: o.seed,
        default_link: link,
        ..WorldConfig::default()
    };
    let frame_rate = config.frame_rate;
    let mut world = World::new(config).map_err(|e| e.to_string())?;
    for (inst, path) in &entries {
        load_entry(&mut world, inst, path)?;
    }
    let mut names = std::collections::BTreeMap::new();
    for i in 1..=o.clients {
        let name = format!("Player{i}");
        let uid = world.add_player(&name).map_err(|e| e.to_string())?;
        names.insert(uid, name);
    }
    let start = Instant::now();
    world.run_for(o.seconds).map_err(|e| e.to_string())?;
    let real_seconds = start.elapsed().as_secs_f64();
    let mut peer_reports = Vec::new();
    if let Some(chunk) = report_chunk {
        let mut peers = vec![("server".to_string(), Peer::Server)];
        peers.extend(names.iter().map(|(uid, n)| (n.clone(), Peer::Client(*uid))));
        for (label, peer) in peers {
            let text = world
                .eval::<String>(peer, chunk)
                .unwrap_or_else(|e| format!("report failed: {e}"));
            peer_reports.push((label, text));
        }
    }

    let mut remotes: Vec<RemoteTraffic> = Vec::new();
    for ((remote, uid, dir), t) in world.counters().iter() {
        let row = match remotes
            .iter_mut()
            .find(|r| &r.remote == remote && r.direction == *dir)
        {
            Some(r) => r,
            None => {
                remotes.push(RemoteTraffic {
                    remote: remote.clone(),
                    direction: *dir,
                    total: Traffic::default(),
                    players: Vec::new(),
                });
                remotes.last_mut().expect("just pushed")
            }
        };
        add(&mut row.total, t);
        let name = names.get(uid).cloned().unwrap_or_else(|| format!("#{uid}"));
        row.players.push((*uid, name, *t));
    }
    let timing = world.timing();
    let frames = timing.frames.max(1) as f64;
    let ms = |d: std::time::Duration, n: f64| d.as_secs_f64() * 1000.0 / n.max(1.0);
    let per_client: Vec<(u64, f64)> = timing
        .clients
        .iter()
        .map(|(uid, (n, d))| (*uid, ms(*d, *n as f64)))
        .collect();
    let client_ms_per_frame = if per_client.is_empty() {
        0.0
    } else {
        per_client.iter().map(|(_, m)| m).sum::<f64>() / per_client.len() as f64
    };
    let slowest_client = per_client
        .iter()
        .copied()
        .max_by(|a, b| a.1.total_cmp(&b.1));
    Ok(SimReport {
        options: o.clone(),
        frames: timing.frames,
        frame_rate,
        real_seconds,
        server_ms_per_frame: ms(timing.server, frames),
        client_ms_per_frame,
        slowest_client,
        host_ms_per_frame: ms(timing.host, frames),
        remotes,
        errors: world.errors().to_vec(),
        output_lines: world.output().len(),
        peer_reports,
    })
}

fn add(a: &mut Traffic, b: &Traffic) {
    a.sent_messages += b.sent_messages;
    a.sent_bytes += b.sent_bytes;
    a.delivered_messages += b.delivered_messages;
    a.delivered_bytes += b.delivered_bytes;
    a.dropped += b.dropped;
    a.duplicated += b.duplicated;
    a.retransmits += b.retransmits;
    a.oversize += b.oversize;
}

fn dir_name(d: Direction) -> &'static str {
    match d {
        Direction::Up => "up",
        Direction::Down => "down",
    }
}

impl std::fmt::Display for SimReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let o = &self.options;
        let secs = self.frames as f64 / self.frame_rate;
        let rate = |bytes: u64| bytes as f64 / secs.max(f64::MIN_POSITIVE);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "skyrocket sim {}: {} clients, {} virtual s ({} frames at {} Hz), link {}, seed {}",
            o.folder.display(),
            o.clients,
            secs,
            self.frames,
            self.frame_rate,
            o.link,
            o.seed
        );
        let _ = writeln!(
            s,
            "real time {:.3} s ({:.1}x real time)",
            self.real_seconds,
            secs / self.real_seconds.max(f64::MIN_POSITIVE)
        );
        let _ = writeln!(s, "\nframe time (real ms per frame)");
        let _ = writeln!(s, "  server              {:>8.3}", self.server_ms_per_frame);
        let _ = writeln!(s, "  client (average)    {:>8.3}", self.client_ms_per_frame);
        if let Some((uid, m)) = self.slowest_client {
            let _ = writeln!(s, "  client (slowest)    {m:>8.3}  (UserId {uid})");
        }
        let _ = writeln!(s, "  host (links)        {:>8.3}", self.host_ms_per_frame);

        let _ = writeln!(
            s,
            "\ntraffic per remote (up = client to server; bytes per the size model in docs/sim.md)"
        );
        let _ = writeln!(
            s,
            "  {:<40} {:<4} {:>9} {:>11} {:>10} {:>9} {:>7} {:>6} {:>5} {:>5}",
            "remote",
            "dir",
            "messages",
            "bytes",
            "B/s",
            "delivered",
            "dropped",
            "retx",
            "dup",
            "over"
        );
        for r in &self.remotes {
            let t = &r.total;
            let _ = writeln!(
                s,
                "  {:<40} {:<4} {:>9} {:>11} {:>10.1} {:>9} {:>7} {:>6} {:>5} {:>5}",
                r.remote,
                dir_name(r.direction),
                t.sent_messages,
                t.sent_bytes,
                rate(t.sent_bytes),
                t.delivered_messages,
                t.dropped,
                t.retransmits,
                t.duplicated,
                t.oversize
            );
        }
        let _ = writeln!(s, "\ntraffic per player");
        let _ = writeln!(
            s,
            "  {:<12} {:<40} {:<4} {:>9} {:>11} {:>10} {:>7}",
            "player", "remote", "dir", "messages", "bytes", "B/s", "dropped"
        );
        let mut rows: Vec<(&u64, &String, &RemoteTraffic, &Traffic)> = self
            .remotes
            .iter()
            .flat_map(|r| r.players.iter().map(move |(u, n, t)| (u, n, r, t)))
            .collect();
        rows.sort_by(|a, b| {
            (a.0, &a.2.remote, a.2.direction).cmp(&(b.0, &b.2.remote, b.2.direction))
        });
        for (_, name, r, t) in rows {
            let _ = writeln!(
                s,
                "  {:<12} {:<40} {:<4} {:>9} {:>11} {:>10.1} {:>7}",
                name,
                r.remote,
                dir_name(r.direction),
                t.sent_messages,
                t.sent_bytes,
                rate(t.sent_bytes),
                t.dropped
            );
        }
        let _ = writeln!(s, "\nscript errors: {}", self.errors.len());
        for e in self.errors.iter().take(20) {
            let peer = match e.peer {
                Peer::Server => "server".to_string(),
                Peer::Client(u) => format!("client {u}"),
            };
            let _ = writeln!(s, "  [{peer} t={:.3}] {}", e.time, e.message.trim_end());
        }
        if self.errors.len() > 20 {
            let _ = writeln!(s, "  ... {} more", self.errors.len() - 20);
        }
        let _ = writeln!(
            s,
            "script output: {} lines (SKYROCKET_SIM_ECHO=1 prints them as they happen)",
            self.output_lines
        );
        if !self.peer_reports.is_empty() {
            let _ = writeln!(s, "\nreported by the game on each peer after the run");
        }
        for (peer, text) in &self.peer_reports {
            if text.contains('\n') {
                let _ = writeln!(s, "{peer}:");
                for line in text.trim_end().lines() {
                    let _ = writeln!(s, "  {line}");
                }
            } else {
                let _ = writeln!(s, "{peer}: {text}");
            }
        }
        f.write_str(&s)
    }
}

//! Runtime benchmark (prints figures; run with
//! `cargo test --release -p skyrocket-luau --test runtime_bench -- --ignored --nocapture`):
//! 100 clients each receiving an Entities snapshot every frame, 100 clients
//! each sending 30 small events per second, and both at once, through the
//! runtime vs plain per-event remotes (one remote call per event, same
//! codecs). Times are thread CPU time: the server VM's part of each frame
//! alone, and whole frames (server + clients + network).
//!
//! To compare with an older runtime, point `SKYROCKET_BENCH_BASELINE` at its
//! `Net/init.luau` (e.g. `git show 14c4038:luau-codecs/runtime/Net/init.luau
//! > /tmp/init.luau`): it is measured too, interleaved with the others.

use skyrocket_luau::protocol::{generate_api, RUNTIME_FILES};
use skyrocket_luau::{generate, GenOptions};
use skyrocket_sim::clock::thread_cpu;
use skyrocket_sim::{Direction, Peer, World, WorldConfig};

const SCHEMA: &str = r#"
use skyrocket::NetCodec;
use skyrocket::roblox::Vector3;
#[derive(NetCodec)]
pub struct Entity {
    pub id: u16,
    #[net(quantize(min = -2048.0, max = 2047.984375, step = 0.015625))]
    pub position: Vector3,
    #[net(range = 0..=100)]
    pub health: u8,
}
#[derive(NetCodec)]
pub struct Entities { #[net(max_len = 64)] pub list: Vec<Entity> }
#[derive(NetCodec)]
pub struct Input { pub seq: u16, #[net(range = 0..=15)] pub buttons: u8 }
#[skyrocket::protocol]
mod net {
    use super::*;
    #[event(to_client)]
    pub type World = Entities;
    #[event(to_server, rate = 60)]
    pub type Press = Input;
}
"#;

const CLIENTS: usize = 100;
const SECONDS: f64 = 2.0;

/// What the bench exercises.
#[derive(Clone, Copy)]
struct Workload {
    name: &'static str,
    /// The server fires a 32-entity snapshot to every client every frame.
    snapshots: bool,
    /// Every client fires 30 small events per second.
    inputs: bool,
}

/// Who carries the events.
#[derive(Clone, Copy)]
enum Side<'a> {
    /// One RemoteEvent call per event.
    Plain,
    /// The runtime (`RUNTIME_FILES`).
    Runtime,
    /// The runtime with this `Net/init.luau` source instead.
    Baseline(&'a str),
}

impl Side<'_> {
    fn name(self) -> &'static str {
        match self {
            Side::Plain => "plain",
            Side::Runtime => "runtime",
            Side::Baseline(_) => "baseline",
        }
    }
}

fn setup(side: Side, load: Workload) -> (World, Vec<u64>) {
    let runtime = !matches!(side, Side::Plain);
    let (schema, protocol) = skyrocket_schema::parse_file_with_protocol(SCHEMA).unwrap();
    let codecs = generate(&schema, &GenOptions::default()).unwrap();
    let api = generate_api(&schema, &protocol, "Codecs").unwrap();
    let mut w = World::new(WorldConfig::default()).unwrap();
    w.add_module("ReplicatedStorage/Shared/Codecs", &codecs.source)
        .unwrap();
    for (path, src) in RUNTIME_FILES {
        let src = match side {
            Side::Baseline(init) if *path == "Net/init.luau" => init,
            _ => src,
        };
        let path = path.trim_end_matches(".luau").trim_end_matches("/init");
        w.add_module(&format!("ReplicatedStorage/Shared/{path}"), src)
            .unwrap();
    }
    w.add_module("ReplicatedStorage/Shared/Protocol", &api)
        .unwrap();
    let server = r#"
        local RS = game:GetService("ReplicatedStorage")
        Codecs = require(RS.Shared.Codecs)
        ents = { list = {} }
        for i = 1, 32 do
            ents.list[i] = { id = i, position = Vector3.new(i, 2, -i), health = 100 }
        end
        received = 0
        if RUNTIME then
            Api = require(RS.Shared.Protocol)
            Api.Press.connect(function(p, v) received += 1 end)
            if SNAPSHOTS then
                game:GetService("RunService").Heartbeat:Connect(function() Api.World.fireAll(ents) end)
            end
        else
            local W = Instance.new("RemoteEvent") W.Name = "PlainWorld" W.Parent = RS
            local P = Instance.new("RemoteEvent") P.Name = "PlainPress" P.Parent = RS
            P.OnServerEvent:Connect(function(player, b)
                if typeof(b) == "buffer" then
                    local v = Codecs.Input.tryDecode(b)
                    if v then received += 1 end
                end
            end)
            if SNAPSHOTS then
                game:GetService("RunService").Heartbeat:Connect(function()
                    for _, p in game:GetService("Players"):GetPlayers() do
                        W:FireClient(p, Codecs.Entities.encode(ents))
                    end
                end)
            end
        end
    "#;
    w.run(
        Peer::Server,
        &format!(
            "RUNTIME = {runtime}\nSNAPSHOTS = {}\n{server}",
            load.snapshots
        ),
        "ServerScriptService.Main",
    )
    .unwrap();
    w.step().unwrap();
    let client = r#"
        local RS = game:GetService("ReplicatedStorage")
        local Codecs = require(RS.Shared.Codecs)
        got = 0
        local seq = 0
        if RUNTIME then
            local Api = require(RS.Shared.Protocol)
            Api.World.connect(function(e) got += 1 end)
            if INPUTS then
                task.spawn(function()
                    while true do
                        seq = (seq + 1) % 65536
                        Api.Press.fire({ seq = seq, buttons = 3 })
                        task.wait(1 / 30)
                    end
                end)
            end
        else
            RS:WaitForChild("PlainWorld").OnClientEvent:Connect(function(b)
                local e = Codecs.Entities.tryDecode(b)
                if e then got += 1 end
            end)
            local P = RS:WaitForChild("PlainPress")
            if INPUTS then
                task.spawn(function()
                    while true do
                        seq = (seq + 1) % 65536
                        P:FireServer(Codecs.Input.encode({ seq = seq, buttons = 3 }))
                        task.wait(1 / 30)
                    end
                end)
            end
        end
    "#;
    let mut uids = Vec::new();
    for i in 0..CLIENTS {
        uids.push(w.add_player(&format!("P{i}")).unwrap());
    }
    w.step().unwrap();
    for &uid in &uids {
        w.run(
            Peer::Client(uid),
            &format!("RUNTIME = {runtime}\nINPUTS = {}\n{client}", load.inputs),
            "StarterPlayerScripts.Main",
        )
        .unwrap();
    }
    w.run_for(0.5).unwrap();
    assert!(w.errors().is_empty(), "{:#?}", w.errors());
    (w, uids)
}

/// Figures of one run.
struct Figures {
    server_ms: f64,
    frame_ms: f64,
    line: String,
}

fn measure(side: Side, load: Workload) -> Figures {
    let (mut w, _) = setup(side, load);
    let before_down = w.counters().total(Direction::Down);
    let before_up = w.counters().total(Direction::Up);
    let received0: f64 = w.eval(Peer::Server, "return received").unwrap();
    let frames = (SECONDS * 60.0) as u32;
    let server0 = w.timing().server_cpu;
    let start = thread_cpu();
    for _ in 0..frames {
        w.step().unwrap();
    }
    let total = (thread_cpu() - start).as_secs_f64();
    let server = (w.timing().server_cpu - server0).as_secs_f64();
    assert!(w.errors().is_empty(), "{:#?}", w.errors());
    let down = w.counters().total(Direction::Down);
    let up = w.counters().total(Direction::Up);
    let received: f64 = w.eval(Peer::Server, "return received").unwrap();
    let f = frames as f64;
    let server_ms = server / f * 1e3;
    let frame_ms = total / f * 1e3;
    let line = format!(
        "{:9} {:8}: server {:.3} ms/frame, whole frame {:.2} ms (server + {CLIENTS} clients + network); down {:.0} B/frame in {:.1} calls; up {:.0} B/frame in {:.1} calls; server handled {:.0} events/s",
        load.name,
        side.name(),
        server_ms,
        frame_ms,
        (down.sent_bytes - before_down.sent_bytes) as f64 / f,
        (down.sent_messages - before_down.sent_messages) as f64 / f,
        (up.sent_bytes - before_up.sent_bytes) as f64 / f,
        (up.sent_messages - before_up.sent_messages) as f64 / f,
        (received - received0) / SECONDS,
    );
    Figures {
        server_ms,
        frame_ms,
        line,
    }
}

/// Runs of each side; the fastest is printed (the machine is shared:
/// slower runs measure other processes' pressure on caches and cores).
const RUNS: usize = 5;

const WORKLOADS: [Workload; 3] = [
    Workload {
        name: "snapshots",
        snapshots: true,
        inputs: false,
    },
    Workload {
        name: "inputs",
        snapshots: false,
        inputs: true,
    },
    Workload {
        name: "both",
        snapshots: true,
        inputs: true,
    },
];

#[test]
#[ignore]
fn bench_runtime_vs_plain_remotes() {
    let baseline = std::env::var("SKYROCKET_BENCH_BASELINE")
        .ok()
        .map(|p| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}")));
    let mut sides = vec![Side::Plain, Side::Runtime];
    if let Some(b) = &baseline {
        sides.push(Side::Baseline(b));
    }
    for load in WORKLOADS {
        let mut best: Vec<Option<Figures>> = sides.iter().map(|_| None).collect();
        let mut server_ms = vec![f64::INFINITY; sides.len()];
        // Interleaved, so that the machine's load drifts alike for every side.
        for _ in 0..RUNS {
            for (k, &side) in sides.iter().enumerate() {
                let f = measure(side, load);
                server_ms[k] = server_ms[k].min(f.server_ms);
                if best[k].as_ref().is_none_or(|b| f.frame_ms < b.frame_ms) {
                    best[k] = Some(f);
                }
            }
        }
        for (k, b) in best.into_iter().enumerate() {
            if let Some(b) = b {
                println!(
                    "{} [fastest server of {RUNS} runs: {:.3} ms]",
                    b.line, server_ms[k]
                );
            }
        }
    }
}

//! Runtime benchmark (prints figures; run with
//! `cargo test --release -p skyrocket-luau --test runtime_bench -- --ignored --nocapture`):
//! 100 clients each receiving an Entities snapshot every frame, and 100
//! clients each sending 30 small events per second, through the runtime vs
//! plain per-event remotes (one remote call per event, same codecs).

use std::time::Instant;

use skyrocket_luau::protocol::{generate_api, RUNTIME_FILES};
use skyrocket_luau::{generate, GenOptions};
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

fn setup(runtime: bool) -> (World, Vec<u64>) {
    let (schema, protocol) = skyrocket_schema::parse_file_with_protocol(SCHEMA).unwrap();
    let codecs = generate(&schema, &GenOptions::default()).unwrap();
    let api = generate_api(&schema, &protocol, "Codecs").unwrap();
    let mut w = World::new(WorldConfig::default()).unwrap();
    w.add_module("ReplicatedStorage/Shared/Codecs", &codecs.source)
        .unwrap();
    for (path, src) in RUNTIME_FILES {
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
            game:GetService("RunService").Heartbeat:Connect(function() Api.World.fireAll(ents) end)
        else
            local W = Instance.new("RemoteEvent") W.Name = "PlainWorld" W.Parent = RS
            local P = Instance.new("RemoteEvent") P.Name = "PlainPress" P.Parent = RS
            P.OnServerEvent:Connect(function(player, b)
                if typeof(b) == "buffer" then
                    local v = Codecs.Input.tryDecode(b)
                    if v then received += 1 end
                end
            end)
            game:GetService("RunService").Heartbeat:Connect(function()
                for _, p in game:GetService("Players"):GetPlayers() do
                    W:FireClient(p, Codecs.Entities.encode(ents))
                end
            end)
        end
    "#;
    w.run(
        Peer::Server,
        &format!("RUNTIME = {runtime}\n{server}"),
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
            task.spawn(function()
                while true do
                    seq = (seq + 1) % 65536
                    Api.Press.fire({ seq = seq, buttons = 3 })
                    task.wait(1 / 30)
                end
            end)
        else
            RS:WaitForChild("PlainWorld").OnClientEvent:Connect(function(b)
                local e = Codecs.Entities.tryDecode(b)
                if e then got += 1 end
            end)
            local P = RS:WaitForChild("PlainPress")
            task.spawn(function()
                while true do
                    seq = (seq + 1) % 65536
                    P:FireServer(Codecs.Input.encode({ seq = seq, buttons = 3 }))
                    task.wait(1 / 30)
                end
            end)
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
            &format!("RUNTIME = {runtime}\n{client}"),
            "StarterPlayerScripts.Main",
        )
        .unwrap();
    }
    w.run_for(0.5).unwrap();
    assert!(w.errors().is_empty(), "{:#?}", w.errors());
    (w, uids)
}

fn measure(runtime: bool) {
    let (mut w, _) = setup(runtime);
    let before_down = w.counters().total(Direction::Down);
    let before_up = w.counters().total(Direction::Up);
    let received0: f64 = w.eval(Peer::Server, "return received").unwrap();
    let frames = (SECONDS * 60.0) as u32;
    // Host time of whole frames (server and clients: the sim exposes no
    // per-VM timer yet).
    let start = Instant::now();
    for _ in 0..frames {
        w.step().unwrap();
    }
    let total = start.elapsed().as_secs_f64();
    assert!(w.errors().is_empty(), "{:#?}", w.errors());
    let down = w.counters().total(Direction::Down);
    let up = w.counters().total(Direction::Up);
    let received: f64 = w.eval(Peer::Server, "return received").unwrap();
    let f = frames as f64;
    println!(
        "{:8}: world step {:.2} ms/frame (server + {CLIENTS} clients); down {:.0} B/frame in {:.1} calls/frame; up {:.0} B/frame in {:.1} calls/frame; server handled {:.0} events/s",
        if runtime { "runtime" } else { "plain" },
        total / f * 1e3,
        (down.sent_bytes - before_down.sent_bytes) as f64 / f,
        (down.sent_messages - before_down.sent_messages) as f64 / f,
        (up.sent_bytes - before_up.sent_bytes) as f64 / f,
        (up.sent_messages - before_up.sent_messages) as f64 / f,
        (received - received0) / SECONDS,
    );
}

#[test]
#[ignore]
fn bench_runtime_vs_plain_remotes() {
    measure(false);
    measure(true);
}

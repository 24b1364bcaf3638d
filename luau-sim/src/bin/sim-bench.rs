//! `cargo run --release -p skyrocket-sim --bin sim-bench [clients] [seconds] [preset] [warmup]`
//!
//! 100 clients (default) exchange events with the server over a lossy link
//! (`lossy5` preset by default) for 60 virtual seconds and the real time it
//! takes is printed, with traffic totals.
//!
//! `warmup` (default 0) virtual seconds run untimed first, to measure the
//! steady state without the players' join traffic; the timed part is the
//! function `timed_run`, which profilers can select (e.g. callgrind's
//! `--toggle-collect='sim_bench::timed_run'`).
//!
//! Real time depends on what else the machine runs; the CPU time of this
//! (single-threaded) process is printed beside it, from
//! `/proc/self/schedstat`, as the steadier figure on a shared machine.

use skyrocket_sim::{Direction, LinkConfig, Peer, World, WorldConfig};
use std::time::Instant;

const SERVER: &str = r#"
local rs = game:GetService("ReplicatedStorage")
local input = Instance.new("UnreliableRemoteEvent")
input.Name = "Input"
input.Parent = rs
local chat = Instance.new("RemoteEvent")
chat.Name = "Chat"
chat.Parent = rs
local state = Instance.new("UnreliableRemoteEvent")
state.Name = "State"
state.Parent = rs
local positions = {}
inputs, chats = 0, 0
input.OnServerEvent:Connect(function(player, b)
    inputs += 1
    positions[player.UserId] = buffer.readf32(b, 0)
end)
chat.OnServerEvent:Connect(function(player, msg)
    chats += 1
    chat:FireAllClients(player, msg)
end)
local acc = 0
game:GetService("RunService").Heartbeat:Connect(function(dt)
    acc += dt
    if acc >= 0.05 then
        acc -= 0.05
        local b = buffer.create(64)
        local i = 0
        for id, x in positions do
            if i >= 16 then break end
            buffer.writeu32(b, i * 4, id)
            i += 1
        end
        state:FireAllClients(b)
    end
end)
"#;

const CLIENT: &str = r#"
local rs = game:GetService("ReplicatedStorage")
local input = rs:WaitForChild("Input")
local chat = rs:WaitForChild("Chat")
local state = rs:WaitForChild("State")
received, states, chats = 0, 0, 0
state.OnClientEvent:Connect(function(b) states += 1; received += buffer.len(b) end)
chat.OnClientEvent:Connect(function(p, msg) chats += 1; received += #msg end)
local frame = 0
game:GetService("RunService").Heartbeat:Connect(function()
    frame += 1
    if frame % 3 == 0 then
        local b = buffer.create(16)
        buffer.writef32(b, 0, frame)
        input:FireServer(b)
    end
    if frame % 120 == 0 then
        chat:FireServer("hello from " .. game.Players.LocalPlayer.Name)
    end
end)
"#;

/// CPU time of the main thread in seconds (Linux), if available.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

#[inline(never)]
fn timed_run(world: &mut World, seconds: f64) -> mlua::Result<()> {
    world.run_for(seconds)
}

fn main() -> mlua::Result<()> {
    let mut args = std::env::args().skip(1);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let seconds: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60.0);
    let preset = args.next().unwrap_or_else(|| "lossy5".into());
    let link = LinkConfig::preset(&preset).unwrap_or(LinkConfig::LOSSY_5);
    let warmup: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.0);

    let setup = Instant::now();
    let mut world = World::new(WorldConfig {
        seed: 1,
        default_link: link,
        ..WorldConfig::default()
    })?;
    world.run(Peer::Server, SERVER, "ServerScriptService.Bench")?;
    for i in 0..clients {
        let id = world.add_player(&format!("Player{i}"))?;
        world.run(Peer::Client(id), CLIENT, "StarterPlayerScripts.Bench")?;
    }
    world.run_for(warmup)?;
    let setup = setup.elapsed();
    let frames_before = world.frame();
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    timed_run(&mut world, seconds)?;
    let elapsed = start.elapsed();
    let cpu = cpu_seconds().zip(cpu_start).map(|(b, a)| b - a);

    let frames = (world.frame() - frames_before).max(1) as f64;
    let up = world.counters().total(Direction::Up);
    let down = world.counters().total(Direction::Down);
    println!(
        "sim-bench: {clients} clients, {seconds} virtual s (after {warmup} s warm-up), link {preset}"
    );
    println!("  setup + warm-up  {:>10.3} s", setup.as_secs_f64());
    println!(
        "  run              {:>10.3} s real ({:.1}x real time, {:.3} ms/frame)",
        elapsed.as_secs_f64(),
        seconds / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / frames
    );
    if let Some(cpu) = cpu {
        println!(
            "  run (CPU)        {:>10.3} s cpu  ({:.3} ms/frame; real/cpu {:.2}: >1 means other processes took the CPU)",
            cpu,
            cpu * 1000.0 / frames,
            elapsed.as_secs_f64() / cpu
        );
    }
    let t = world.timing();
    let client_total: f64 = t.clients.values().map(|(_, d)| d.as_secs_f64()).sum();
    println!(
        "  real time split  server {:.3} s | clients {:.3} s | host (links, routing) {:.3} s",
        t.server.as_secs_f64(),
        client_total,
        t.host.as_secs_f64()
    );
    for (name, t) in [("up (c->s)", up), ("down (s->c)", down)] {
        println!(
            "  {name:<12} sent {:>9} msgs {:>11} B | delivered {:>9} | dropped {:>7} | dup {:>5} | retx {:>5} | oversize {}",
            t.sent_messages, t.sent_bytes, t.delivered_messages, t.dropped, t.duplicated, t.retransmits, t.oversize
        );
    }
    // What the scripts' handlers saw (whole run, warm-up included): the
    // traffic above really reached Luau code in both directions.
    let (inputs, chats_in): (f64, f64) = world.eval(Peer::Server, "return inputs, chats")?;
    let (mut states, mut chats_out) = (0.0, 0.0);
    for id in world.players() {
        let (s, c): (f64, f64) = world.eval(Peer::Client(id), "return states, chats")?;
        states += s;
        chats_out += c;
    }
    let all_frames = world.frame().max(1) as f64;
    println!(
        "  handled in Luau  server: {inputs} inputs + {chats_in} chats ({:.1}/frame) | clients: {states} states + {chats_out} chats ({:.1}/frame)",
        (inputs + chats_in) / all_frames,
        (states + chats_out) / all_frames
    );
    println!("  script errors    {}", world.errors().len());
    if let Some(e) = world.errors().first() {
        println!("  first error: {}", e.message);
    }
    Ok(())
}

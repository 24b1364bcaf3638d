//! RemoteFunction:InvokeClient / OnClientInvoke, and typeof of signals and
//! connections.

use skyrocket_sim::{Direction, LinkConfig, Peer, World, WorldConfig};

fn world_with_latency(latency: f64) -> World {
    World::new(WorldConfig {
        default_link: LinkConfig {
            latency,
            ..LinkConfig::PERFECT
        },
        ..WorldConfig::default()
    })
    .expect("world")
}

fn run(w: &mut World, peer: Peer, src: &str) {
    w.run(peer, src, "Test").expect("compile");
}

fn eval<R: mlua::FromLuaMulti>(w: &mut World, peer: Peer, src: &str) -> R {
    w.eval(peer, src).expect("eval")
}

const SERVER: &str = r#"
    local rs = game:GetService("ReplicatedStorage")
    local rf = Instance.new("RemoteFunction")
    rf.Name = "Ask"
    rf.Parent = rs
    results = {}
    function ask(player, ...)
        local args = table.pack(...)
        task.spawn(function()
            local t0 = time()
            local ok, a, b = pcall(rf.InvokeClient, rf, player, table.unpack(args, 1, args.n))
            table.insert(results, { ok = ok, a = a, b = b, took = time() - t0 })
        end)
    end
"#;

#[test]
fn invoke_client_yields_until_the_client_answers() {
    let mut w = world_with_latency(0.1);
    run(&mut w, Peer::Server, SERVER);
    let uid = w.add_player("Cleo").expect("join");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local rf = game:GetService("ReplicatedStorage"):WaitForChild("Ask")
        rf.OnClientInvoke = function(x, y)
            if x == "fail" then error("client says no") end
            return x * y, game.Players.LocalPlayer.Name
        end
        "#,
    );
    w.run_for(0.5).expect("replicate");
    run(
        &mut w,
        Peer::Server,
        "ask(game.Players:GetPlayers()[1], 6, 7); ask(game.Players:GetPlayers()[1], 'fail')",
    );
    w.run_for(0.15).expect("run");
    // Not back yet: the server thread is still yielding (one-way 0.1 s).
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return #results"), 0.0);
    w.run_for(0.2).expect("run");
    let (ok, a, b, took): (bool, f64, String, f64) = eval(
        &mut w,
        Peer::Server,
        "local r = results[1]; return r.ok, r.a, r.b, r.took",
    );
    assert!(ok);
    assert_eq!((a, b.as_str()), (42.0, "Cleo"));
    assert!((0.2..0.25).contains(&took), "round trip took {took}");
    // A client error comes back to the server as an error of InvokeClient.
    let (ok, err): (bool, String) = eval(
        &mut w,
        Peer::Server,
        "local r = results[2]; return r.ok, tostring(r.a)",
    );
    assert!(!ok);
    assert!(err.contains("client says no"), "{err}");
    assert!(w
        .errors()
        .iter()
        .any(|e| e.peer == Peer::Client(uid) && e.message.contains("client says no")));
    // Traffic: two invocations down, two responses up, on the remote's name.
    let down = w
        .counters()
        .get("ReplicatedStorage.Ask", uid, Direction::Down);
    let up = w
        .counters()
        .get("ReplicatedStorage.Ask", uid, Direction::Up);
    assert_eq!((down.sent_messages, up.sent_messages), (2, 2));
}

#[test]
fn invoke_client_without_answer_yields_forever_until_the_player_leaves() {
    let mut w = world_with_latency(0.05);
    run(&mut w, Peer::Server, SERVER);
    let uid = w.add_player("Dan").expect("join");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local rf = game:GetService("ReplicatedStorage"):WaitForChild("Ask")
        rf.OnClientInvoke = function() task.wait(1e9) end
        "#,
    );
    w.run_for(0.5).expect("replicate");
    run(&mut w, Peer::Server, "ask(game.Players:GetPlayers()[1])");
    w.run_for(30.0).expect("run");
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return #results"), 0.0);
    // Leaving ends the wait with an error, as on Roblox.
    w.remove_player(uid).expect("leave");
    w.step().expect("step");
    let (ok, err): (bool, String) = eval(
        &mut w,
        Peer::Server,
        "local r = results[1]; return r.ok, tostring(r.a)",
    );
    assert!(!ok);
    assert!(err.contains("player left"), "{err}");
}

#[test]
fn invocations_wait_for_on_client_invoke_and_sides_are_checked() {
    let mut w = world_with_latency(0.0);
    run(&mut w, Peer::Server, SERVER);
    let uid = w.add_player("Eve").expect("join");
    w.run_for(0.1).expect("replicate");
    run(
        &mut w,
        Peer::Server,
        "ask(game.Players:GetPlayers()[1], 5, 1)",
    );
    w.run_for(1.0).expect("run");
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return #results"), 0.0);
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local rf = game:GetService("ReplicatedStorage").Ask
        rf.OnClientInvoke = function(x, y) return x + y end
        okServer, errServer = pcall(function() rf.OnServerInvoke = function() end end)
        okInvoke, errInvoke = pcall(function() rf:InvokeClient(game.Players.LocalPlayer) end)
        "#,
    );
    w.run_for(0.1).expect("run");
    assert_eq!(
        eval::<f64>(&mut w, Peer::Server, "return results[1].a"),
        6.0
    );
    let (a, b): (bool, bool) = eval(&mut w, Peer::Client(uid), "return okServer, okInvoke");
    assert!(!a && !b);
    let ok: bool = eval(
        &mut w,
        Peer::Server,
        "return pcall(function() game.ReplicatedStorage.Ask.OnClientInvoke = print end)",
    );
    assert!(!ok);
}

#[test]
fn typeof_signals_and_connections() {
    let mut w = world_with_latency(0.0);
    let uid = w.add_player("Fay").expect("join");
    let src = r#"
        local rs = game:GetService("RunService")
        local sig = rs.Heartbeat
        local conn = sig:Connect(function() end)
        local before = conn.Connected
        conn:Disconnect()
        local f = Instance.new("Folder")
        return typeof(sig), typeof(conn), typeof(f.ChildAdded),
            tostring(sig), tostring(conn), before, conn.Connected,
            sig == rs.Heartbeat, type(sig),
            pcall(function() return sig.Nope end)
    "#;
    for peer in [Peer::Server, Peer::Client(uid)] {
        let r: (
            String,
            String,
            String,
            String,
            String,
            bool,
            bool,
            bool,
            String,
            bool,
        ) = eval(&mut w, peer, src);
        assert_eq!(r.0, "RBXScriptSignal");
        assert_eq!(r.1, "RBXScriptConnection");
        assert_eq!(r.2, "RBXScriptSignal");
        assert_eq!(r.3, "Signal Heartbeat");
        assert_eq!(r.4, "Connection");
        assert!(r.5 && !r.6, "Connected before/after Disconnect");
        assert!(r.7, "the same signal every time");
        assert_eq!(r.8, "userdata");
        assert!(!r.9, "unknown members are errors");
    }
}

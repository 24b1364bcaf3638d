//! World behaviour: services, instances, signals, scheduler, remotes,
//! players, replication, modules, determinism.

use skyrocket_sim::{Direction, LinkConfig, Peer, World, WorldConfig};

fn world() -> World {
    World::new(WorldConfig::default()).expect("world")
}

fn assert_no_errors(w: &World) {
    assert!(w.errors().is_empty(), "script errors: {:#?}", w.errors());
}

fn run(w: &mut World, peer: Peer, src: &str) {
    w.run(peer, src, "Test").expect("compile");
}

fn eval<R: mlua::FromLuaMulti>(w: &mut World, peer: Peer, src: &str) -> R {
    w.eval(peer, src).expect("eval")
}

const PING_SERVER: &str = r#"
    local rs = game:GetService("ReplicatedStorage")
    local ev = Instance.new("RemoteEvent")
    ev.Name = "Ping"
    ev.Parent = rs
    ev.OnServerEvent:Connect(function(player, n)
        ev:FireClient(player, n + 1)
    end)
"#;

#[test]
fn remote_event_round_trip_with_latency() {
    let mut w = World::new(WorldConfig {
        default_link: LinkConfig {
            latency: 0.1,
            ..LinkConfig::PERFECT
        },
        ..WorldConfig::default()
    })
    .expect("world");
    run(&mut w, Peer::Server, PING_SERVER);
    let uid = w.add_player("Alice").expect("join");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local ev = game:GetService("ReplicatedStorage"):WaitForChild("Ping")
        sentAt = time()
        ev.OnClientEvent:Connect(function(n) result = n; gotAt = os.clock() end)
        ev:FireServer(41)
        "#,
    );
    w.run_for(0.25).expect("run");
    assert_eq!(
        eval::<Option<f64>>(&mut w, Peer::Client(uid), "return result"),
        None
    );
    w.run_for(0.5).expect("run");
    assert_no_errors(&w);
    assert_eq!(
        eval::<f64>(&mut w, Peer::Client(uid), "return result"),
        42.0
    );
    // 0.1 s each way plus at most two frames of processing.
    let got: f64 = eval(&mut w, Peer::Client(uid), "return gotAt - sentAt");
    assert!(
        (0.2..0.2 + 2.5 / 60.0).contains(&got),
        "round trip took {got}"
    );
    let up = w
        .counters()
        .get("ReplicatedStorage.Ping", uid, Direction::Up);
    assert_eq!(up.sent_messages, 1);
    assert_eq!(up.delivered_messages, 1);
    let down = w
        .counters()
        .get("ReplicatedStorage.Ping", uid, Direction::Down);
    assert_eq!(down.delivered_messages, 1);
    assert_eq!(down.sent_bytes, 5 + 9);
}

#[test]
fn signals_are_deferred() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local be = Instance.new("BindableEvent")
        log = {}
        local c1 = be.Event:Connect(function(x) table.insert(log, "a" .. x) end)
        local c2 = be.Event:Connect(function(x) table.insert(log, "b" .. x) end)
        be.Event:Once(function(x) table.insert(log, "once" .. x) end)
        be:Fire(1)
        inlineCount = #log
        c2:Disconnect()
        connected = { c1.Connected, c2.Connected }
        be:Fire(2)
        task.wait()
        finalLog = table.concat(log, ",")
        "#,
    );
    w.run_for(0.1).expect("run");
    assert_no_errors(&w);
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return inlineCount"), 0.0);
    assert_eq!(
        eval::<(bool, bool)>(&mut w, Peer::Server, "return connected[1], connected[2]"),
        (true, false)
    );
    // b was disconnected before its deferred turn: it never ran.
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return finalLog"),
        "a1,once1,a2"
    );
}

#[test]
fn signal_wait_returns_fired_arguments() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local be = Instance.new("BindableEvent")
        task.delay(1, function() be:Fire("x", 2) end)
        local a, b = be.Event:Wait()
        got = a .. b
        at = time()
        "#,
    );
    w.run_for(2.0).expect("run");
    assert_no_errors(&w);
    assert_eq!(eval::<String>(&mut w, Peer::Server, "return got"), "x2");
    let at: f64 = eval(&mut w, Peer::Server, "return at");
    assert!((1.0..1.05).contains(&at), "{at}");
}

#[test]
fn task_library_on_virtual_clock() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        order = {}
        local t0 = os.clock()
        task.defer(function() table.insert(order, "defer") end)
        task.spawn(function() table.insert(order, "spawn") end)
        task.delay(0.5, function() table.insert(order, "delay") end)
        local cancelled = task.delay(0.2, function() table.insert(order, "cancelled") end)
        task.cancel(cancelled)
        table.insert(order, "main")
        local elapsed = task.wait(1)
        waited = elapsed
        clockDelta = os.clock() - t0
        table.insert(order, "woke")
        local f0 = time()
        task.wait()
        oneFrame = time() - f0
        "#,
    );
    w.run_for(2.0).expect("run");
    assert_no_errors(&w);
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(order, ',')"),
        "spawn,main,defer,delay,woke"
    );
    let waited: f64 = eval(&mut w, Peer::Server, "return waited");
    assert!((1.0..1.0 + 2.0 / 60.0).contains(&waited), "{waited}");
    let d: f64 = eval(&mut w, Peer::Server, "return clockDelta");
    assert!((waited - d).abs() < 1e-9);
    let f: f64 = eval(&mut w, Peer::Server, "return oneFrame");
    assert!((f - 1.0 / 60.0).abs() < 1e-9, "{f}");
}

#[test]
fn clocks_agree() {
    let mut w = world();
    w.run_for(2.0).expect("run");
    let (t, tick, server_now, unix, dt_now): (f64, f64, f64, f64, f64) = eval(
        &mut w,
        Peer::Server,
        "return time(), tick(), workspace:GetServerTimeNow(), os.time(), DateTime.now().UnixTimestampMillis",
    );
    assert!((t - 2.0).abs() < 1e-9);
    assert!((tick - 1_700_000_002.0).abs() < 1e-6);
    assert!((server_now - tick).abs() < 1e-9);
    assert_eq!(unix, 1_700_000_002.0);
    assert_eq!(dt_now, 1_700_000_002_000.0);
}

#[test]
fn instance_tree_basics() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local f = Instance.new("Folder")
        f.Name = "Root"
        local child = Instance.new("RemoteEvent", f)
        child.Name = "Ev"
        assert(typeof(f) == "Instance")
        assert(f.ClassName == "Folder")
        assert(child:IsA("RemoteEvent") and child:IsA("Instance") and not child:IsA("Folder"))
        assert(f:FindFirstChild("Ev") == child)
        assert(f.Ev == child)
        assert(f:FindFirstChild("Nope") == nil)
        assert(#f:GetChildren() == 1)
        assert(child.Parent == f)
        f.Parent = game:GetService("ServerStorage")
        assert(child:GetFullName() == "ServerStorage.Root.Ev")
        assert(child:IsDescendantOf(game))
        f:SetAttribute("Speed", 16)
        f:SetAttribute("Dir", Vector3.new(1, 0, 0))
        assert(f:GetAttribute("Speed") == 16)
        assert(f:GetAttribute("Dir") == Vector3.xAxis)
        assert(not pcall(function() f:SetAttribute("Bad", {}) end))
        assert(not pcall(function() return f.NotAMember end))
        assert(not pcall(function() f.Parent = child end), "circular parent")
        child:Destroy()
        assert(child.Parent == nil)
        assert(#f:GetChildren() == 0)
        assert(not pcall(function() child.Parent = f end), "parent locked after Destroy")
        assert(not pcall(function() Instance.new("Part") end))
        assert(game:GetService("Workspace") == workspace)
        assert(game.ReplicatedStorage == game:GetService("ReplicatedStorage"))
        done = true
        "#,
    );
    w.step().expect("step");
    assert_no_errors(&w);
    assert!(eval::<bool>(&mut w, Peer::Server, "return done"));
}

#[test]
fn wait_for_child_yields_on_virtual_clock() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        task.delay(2, function()
            local f = Instance.new("Folder")
            f.Name = "Late"
            f.Parent = workspace
        end)
        task.spawn(function()
            local c = workspace:WaitForChild("Late")
            foundAt = time()
            found = c.Name
        end)
        task.spawn(function()
            missing = workspace:WaitForChild("Never", 0.5)
            timedOutAt = time()
        end)
        "#,
    );
    w.run_for(3.0).expect("run");
    assert_no_errors(&w);
    assert_eq!(eval::<String>(&mut w, Peer::Server, "return found"), "Late");
    let at: f64 = eval(&mut w, Peer::Server, "return foundAt");
    assert!((2.0..2.05).contains(&at), "{at}");
    assert!(eval::<bool>(&mut w, Peer::Server, "return missing == nil"));
    let t: f64 = eval(&mut w, Peer::Server, "return timedOutAt");
    assert!((0.5..0.55).contains(&t), "{t}");
}

#[test]
fn replication_to_clients() {
    let mut w = world();
    let uid = w.add_player("A").expect("join");
    run(
        &mut w,
        Peer::Server,
        r#"
        local f = Instance.new("Folder")
        f.Name = "Shared"
        f:SetAttribute("Mode", "ffa")
        Instance.new("RemoteEvent", f).Name = "Ev"
        f.Parent = game.ReplicatedStorage
        local hidden = Instance.new("Folder")
        hidden.Name = "Secret"
        hidden.Parent = game.ServerStorage
        "#,
    );
    w.step().expect("step");
    w.step().expect("step");
    assert_no_errors(&w);
    let (class, mode, secret): (String, String, bool) = eval(
        &mut w,
        Peer::Client(uid),
        r#"local f = game.ReplicatedStorage:FindFirstChild("Shared")
        return f.Ev.ClassName, f:GetAttribute("Mode"), game.ServerStorage:FindFirstChild("Secret") == nil"#,
    );
    assert_eq!(
        (class.as_str(), mode.as_str(), secret),
        ("RemoteEvent", "ffa", true)
    );
    // Later changes replicate; late joiners get a snapshot.
    run(
        &mut w,
        Peer::Server,
        r#"
        local f = game.ReplicatedStorage.Shared
        f:SetAttribute("Mode", "teams")
        f.Name = "Renamed"
        f.Ev:Destroy()
        "#,
    );
    let late = w.add_player("B").expect("join");
    w.step().expect("step");
    w.step().expect("step");
    for id in [uid, late] {
        let (mode, ev): (String, bool) = eval(
            &mut w,
            Peer::Client(id),
            r#"local f = game.ReplicatedStorage:FindFirstChild("Renamed")
            return f:GetAttribute("Mode"), f:FindFirstChild("Ev") == nil"#,
        );
        assert_eq!((mode.as_str(), ev), ("teams", true));
    }
    // Client-side changes stay local.
    run(
        &mut w,
        Peer::Client(uid),
        r#"Instance.new("Folder", game.ReplicatedStorage).Name = "ClientOnly""#,
    );
    w.step().expect("step");
    assert!(eval::<bool>(
        &mut w,
        Peer::Server,
        "return game.ReplicatedStorage:FindFirstChild('ClientOnly') == nil"
    ));
    assert_no_errors(&w);
}

#[test]
fn arguments_are_deep_copied_with_roblox_rules() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local ev = Instance.new("RemoteEvent")
        ev.Name = "Args"
        ev.Parent = game.ReplicatedStorage
        local replicated = Instance.new("Folder", game.ReplicatedStorage)
        replicated.Name = "Rep"
        local private = Instance.new("Folder", game.ServerStorage)
        game.Players.PlayerAdded:Connect(function(p)
            task.wait(0.1)
            local b = buffer.create(4)
            buffer.writeu32(b, 0, 7)
            local meta = setmetatable({ x = 1 }, { __index = function() return "meta" end })
            local mixed = { 10, 20, name = "dropped?" }
            local keys = { [true] = 1, [5] = 2, ok = 3 }
            ev:FireClient(p, b, meta, mixed, keys, print, replicated, private,
                Vector3.new(1, 2, 3), CFrame.new(1, 2, 3), Enum.KeyCode.W, Color3.new(1, 0, 0), nil, "tail")
            buffer.writeu32(b, 0, 99) -- must not affect the copy in flight
        end)
        "#,
    );
    let uid = w.add_player("A").expect("join");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        game.ReplicatedStorage:WaitForChild("Args").OnClientEvent:Connect(function(...)
            local b, meta, mixed, keys, fn, rep, priv, v, cf, key, col, n, tail = ...
            r = {
                count = select('#', ...),
                buf = buffer.readu32(b, 0),
                metaLost = getmetatable(meta) == nil and meta.y == nil and meta.x == 1,
                mixed = #mixed == 2 and mixed.name == nil,
                keys = keys.ok == 3 and keys[true] == nil and keys[5] == nil,
                fn = fn == nil,
                rep = rep == game.ReplicatedStorage.Rep,
                priv = priv == nil,
                v = v == Vector3.new(1, 2, 3),
                cf = cf == CFrame.new(1, 2, 3),
                key = key == Enum.KeyCode.W,
                col = col == Color3.new(1, 0, 0),
                n = n == nil,
                tail = tail,
            }
        end)
        "#,
    );
    w.run_for(0.5).expect("run");
    assert_no_errors(&w);
    let checks: Vec<bool> = eval(
        &mut w,
        Peer::Client(uid),
        "return { r.metaLost, r.mixed, r.keys, r.fn, r.rep, r.priv, r.v, r.cf, r.key, r.col, r.n }",
    );
    assert_eq!(checks, vec![true; 11]);
    let (count, buf, tail): (f64, f64, String) =
        eval(&mut w, Peer::Client(uid), "return r.count, r.buf, r.tail");
    assert_eq!((count, buf, tail.as_str()), (13.0, 7.0, "tail"));
}

#[test]
fn remote_function_invoke() {
    let mut w = World::new(WorldConfig {
        default_link: LinkConfig {
            latency: 0.05,
            ..LinkConfig::PERFECT
        },
        ..WorldConfig::default()
    })
    .expect("world");
    run(
        &mut w,
        Peer::Server,
        r#"
        local rf = Instance.new("RemoteFunction")
        rf.Name = "Add"
        rf.Parent = game.ReplicatedStorage
        local bad = Instance.new("RemoteFunction")
        bad.Name = "Bad"
        bad.Parent = game.ReplicatedStorage
        bad.OnServerInvoke = function() error("nope") end
        local late = Instance.new("RemoteFunction")
        late.Name = "Late"
        late.Parent = game.ReplicatedStorage
        task.delay(1, function()
            late.OnServerInvoke = function(player) return player.Name end
        end)
        rf.OnServerInvoke = function(player, a, b)
            task.wait(0.2) -- handlers may yield
            return a + b, player.UserId
        end
        "#,
    );
    let uid = w.add_player("Bob").expect("join");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local rs = game:GetService("ReplicatedStorage")
        local t0 = time()
        sum, who = rs:WaitForChild("Add"):InvokeServer(2, 3)
        took = time() - t0
        ok, err = pcall(function() return rs:WaitForChild("Bad"):InvokeServer() end)
        lateName = rs:WaitForChild("Late"):InvokeServer()
        "#,
    );
    w.run_for(2.0).expect("run");
    let (sum, who, took): (f64, f64, f64) =
        eval(&mut w, Peer::Client(uid), "return sum, who, took");
    assert_eq!((sum, who), (5.0, uid as f64));
    assert!((0.3..0.4).contains(&took), "{took}");
    let (ok, err): (bool, String) = eval(&mut w, Peer::Client(uid), "return ok, tostring(err)");
    assert!(!ok);
    assert!(err.contains("nope"), "{err}");
    assert_eq!(
        eval::<String>(&mut w, Peer::Client(uid), "return lateName"),
        "Bob"
    );
    // The server-side error is reported too.
    assert!(w
        .errors()
        .iter()
        .any(|e| e.peer == Peer::Server && e.message.contains("nope")));
}

#[test]
fn players_join_leave_and_kick() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        joined, left = {}, {}
        local Players = game:GetService("Players")
        Players.PlayerAdded:Connect(function(p) table.insert(joined, p.Name .. ":" .. p.UserId) end)
        Players.PlayerRemoving:Connect(function(p) table.insert(left, p.Name) end)
        "#,
    );
    let a = w.add_player("Ann").expect("join");
    let b = w.add_player("Ben").expect("join");
    w.run_for(0.1).expect("run");
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(joined, ',')"),
        format!("Ann:{a},Ben:{b}")
    );
    let (local_name, uid, count): (String, f64, f64) = eval(
        &mut w,
        Peer::Client(b),
        "local p = game.Players.LocalPlayer return p.Name, p.UserId, #game.Players:GetPlayers()",
    );
    assert_eq!((local_name.as_str(), uid, count), ("Ben", b as f64, 2.0));
    assert!(eval::<bool>(
        &mut w,
        Peer::Server,
        "return game.Players.LocalPlayer == nil"
    ));
    w.remove_player(a).expect("leave");
    w.run_for(0.1).expect("run");
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(left, ',')"),
        "Ann"
    );
    assert_eq!(
        eval::<f64>(&mut w, Peer::Client(b), "return #game.Players:GetPlayers()"),
        1.0
    );
    run(
        &mut w,
        Peer::Server,
        "game.Players:GetPlayerByUserId(game.Players:GetPlayers()[1].UserId):Kick('bye')",
    );
    w.step().expect("step");
    assert!(w.players().is_empty());
    assert!(w.client(b).is_none());
    assert_no_errors(&w);
}

#[test]
fn run_service_signals() {
    let mut w = world();
    let uid = w.add_player("A").expect("join");
    let src = r#"
        local RS = game:GetService("RunService")
        beats, steps, lastDt, lastStepTime = 0, 0, 0, 0
        RS.Heartbeat:Connect(function(dt) beats += 1; lastDt = dt end)
        RS.Stepped:Connect(function(t, dt) steps += 1; lastStepTime = t end)
        isServer, isClient = RS:IsServer(), RS:IsClient()
        renders = 0
        pcall(function() RS.RenderStepped:Connect(function() renders += 1 end) end)
    "#;
    run(&mut w, Peer::Server, src);
    run(&mut w, Peer::Client(uid), src);
    w.run_for(1.0).expect("run");
    assert_no_errors(&w);
    let (beats, steps, dt, srv, renders): (f64, f64, f64, bool, f64) = eval(
        &mut w,
        Peer::Server,
        "return beats, steps, lastDt, isServer and not isClient, renders",
    );
    assert_eq!((beats, steps, srv, renders), (60.0, 60.0, true, 0.0));
    assert!((dt - 1.0 / 60.0).abs() < 1e-12);
    let (cl, renders): (bool, f64) = eval(
        &mut w,
        Peer::Client(uid),
        "return isClient and not isServer, renders",
    );
    assert!(cl);
    assert_eq!(renders, 60.0);
}

#[test]
fn http_service_guid_and_json() {
    let guid = |seed: u64| {
        let mut w = World::new(WorldConfig {
            seed,
            ..WorldConfig::default()
        })
        .expect("world");
        eval::<(String, String)>(
            &mut w,
            Peer::Server,
            "local h = game:GetService('HttpService') return h:GenerateGUID(), h:GenerateGUID(false)",
        )
    };
    let (a1, a2) = guid(7);
    assert_eq!(guid(7), (a1.clone(), a2.clone()));
    assert_ne!(guid(8).0, a1);
    assert_ne!(a1[1..37], a2[..]);
    assert_eq!(a1.len(), 38);
    assert!(a1.starts_with('{') && a1.ends_with('}'));
    assert_eq!(&a1[15..16], "4");
    let mut w = world();
    let (json, back): (String, String) = eval(
        &mut w,
        Peer::Server,
        r#"local h = game:GetService("HttpService")
        local s = h:JSONEncode({ a = 1, b = { 1, 2, "x" }, c = true })
        local t = h:JSONDecode('{"k":[1,2,{"z":null}],"s":"v"}')
        return s, t.s .. #t.k"#,
    );
    assert_eq!(json, r#"{"a":1,"b":[1,2,"x"],"c":true}"#);
    assert_eq!(back, "v3");
}

#[test]
fn encoding_service_zstd() {
    let mut w = world();
    let (size, ok, len, bad): (f64, bool, f64, bool) = eval(
        &mut w,
        Peer::Server,
        r#"local E = game:GetService("EncodingService")
        local b = buffer.fromstring(string.rep("skyrocket ", 100))
        local c = E:CompressBuffer(b, Enum.CompressionAlgorithm.Zstd, 3)
        local d = E:DecompressBuffer(c, Enum.CompressionAlgorithm.Zstd)
        local bad = pcall(function() return E:DecompressBuffer(buffer.fromstring("junk"), Enum.CompressionAlgorithm.Zstd) end)
        return E:GetDecompressedBufferSize(c, Enum.CompressionAlgorithm.Zstd),
            buffer.tostring(d) == buffer.tostring(b), buffer.len(c), bad"#,
    );
    assert_eq!(size, 1000.0);
    assert!(ok);
    assert!(len < 100.0, "compressed to {len}");
    assert!(!bad);
    let b64: String = eval(
        &mut w,
        Peer::Server,
        "local E = game:GetService('EncodingService') return buffer.tostring(E:Base64Encode(buffer.fromstring('hello')))",
    );
    assert_eq!(b64, "aGVsbG8=");
}

#[test]
fn unreliable_payload_limit() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local u = Instance.new("UnreliableRemoteEvent")
        u.Name = "U"
        u.Parent = game.ReplicatedStorage
        got = {}
        u.OnServerEvent:Connect(function(p, s) table.insert(got, #s) end)
        "#,
    );
    let uid = w.add_player("A").expect("join");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local u = game.ReplicatedStorage:WaitForChild("U")
        u:FireServer(string.rep("x", 900))
        u:FireServer(string.rep("x", 1200))
        "#,
    );
    w.run_for(0.2).expect("run");
    assert_no_errors(&w);
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(got, ',')"),
        "900"
    );
    let t = w.counters().get("ReplicatedStorage.U", uid, Direction::Up);
    assert_eq!(
        (t.sent_messages, t.oversize, t.delivered_messages),
        (1, 1, 1)
    );
}

#[test]
fn reliable_events_keep_order_under_jitter() {
    let mut w = World::new(WorldConfig {
        default_link: LinkConfig {
            latency: 0.05,
            jitter: 0.1,
            loss: 0.2,
            ..LinkConfig::PERFECT
        },
        seed: 3,
        ..WorldConfig::default()
    })
    .expect("world");
    run(
        &mut w,
        Peer::Server,
        r#"
        local ev = Instance.new("RemoteEvent")
        ev.Name = "Seq"
        ev.Parent = game.ReplicatedStorage
        got = {}
        ev.OnServerEvent:Connect(function(p, n) table.insert(got, n) end)
        "#,
    );
    let uid = w.add_player("A").expect("join");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local ev = game.ReplicatedStorage:WaitForChild("Seq")
        for i = 1, 200 do ev:FireServer(i) if i % 10 == 0 then task.wait() end end
        "#,
    );
    w.run_for(10.0).expect("run");
    assert_no_errors(&w);
    let got: Vec<f64> = eval(&mut w, Peer::Server, "return got");
    assert_eq!(got, (1..=200).map(f64::from).collect::<Vec<_>>());
    assert!(
        w.counters()
            .get("ReplicatedStorage.Seq", uid, Direction::Up)
            .retransmits
            > 10
    );
}

#[test]
fn client_error_does_not_stop_world() {
    let mut w = world();
    run(&mut w, Peer::Server, PING_SERVER);
    let a = w.add_player("A").expect("join");
    let b = w.add_player("B").expect("join");
    w.run(
        Peer::Client(a),
        "local x = nil\nlocal y = x.field -- line 2\n",
        "StarterPlayerScripts.Broken",
    )
    .expect("compile");
    run(
        &mut w,
        Peer::Client(b),
        r#"
        local ev = game.ReplicatedStorage:WaitForChild("Ping")
        ev.OnClientEvent:Connect(function(n) result = n end)
        ev:FireServer(1)
        "#,
    );
    w.run_for(0.2).expect("run");
    assert_eq!(eval::<f64>(&mut w, Peer::Client(b), "return result"), 2.0);
    let errs = w.errors();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].peer, Peer::Client(a));
    assert!(
        errs[0].message.contains("StarterPlayerScripts.Broken:2:"),
        "{}",
        errs[0].message
    );
    // A compile error is returned to the caller.
    assert!(w.run(Peer::Server, "local = 1", "Bad").is_err());
}

#[test]
fn modules_require_and_errors() {
    let mut w = world();
    w.add_module(
        "ReplicatedStorage/Shared/Util",
        "--!strict\n--!native\nlocal M = {}\nfunction M.double(x: number): number return x * 2 end\nM.where = script:GetFullName()\nreturn M\n",
    )
    .expect("module");
    w.add_module(
        "ReplicatedStorage/Shared/Net",
        "local Util = require(script.Parent.Util)\nreturn { quad = function(x) return Util.double(Util.double(x)) end }\n",
    )
    .expect("module");
    w.add_module(
        "ReplicatedStorage/Shared/Broken",
        "local t = {}\n\nreturn t.a.b\n",
    )
    .expect("module");
    let uid = w.add_player("A").expect("join");
    w.step().expect("step");
    for peer in [Peer::Server, Peer::Client(uid)] {
        let (q, where_, same): (f64, String, bool) = eval(
            &mut w,
            peer,
            r#"local Net = require(game.ReplicatedStorage.Shared.Net)
            local U = require("ReplicatedStorage/Shared/Util")
            return Net.quad(3), U.where, U == require(game.ReplicatedStorage.Shared.Util)"#,
        );
        assert_eq!(
            (q, where_.as_str(), same),
            (12.0, "ReplicatedStorage.Shared.Util", true)
        );
    }
    let err = w
        .require(Peer::Server, "ReplicatedStorage/Shared/Broken")
        .expect_err("broken module");
    let msg = err.to_string();
    assert!(msg.contains("ReplicatedStorage.Shared.Broken:3:"), "{msg}");
    assert_no_errors(&w);
}

#[test]
fn load_rojo_like_folder() {
    let dir = std::env::temp_dir().join(format!("skyrocket-sim-rojo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("Lib")).expect("mkdir");
    std::fs::write(
        dir.join("Lib/init.luau"),
        "return { name = 'lib', sub = require(script.Sub) }",
    )
    .expect("w");
    std::fs::write(dir.join("Lib/Sub.luau"), "return 5").expect("w");
    std::fs::write(
        dir.join("Main.server.luau"),
        "serverRan = require(game.ReplicatedStorage.Shared.Lib).sub",
    )
    .expect("w");
    std::fs::write(
        dir.join("Hello.client.luau"),
        "clientRan = game.Players.LocalPlayer.Name",
    )
    .expect("w");
    let mut w = world();
    let early = w.add_player("Early").expect("join");
    w.load_dir(&dir, "ReplicatedStorage/Shared").expect("load");
    let late = w.add_player("Late").expect("join");
    w.step().expect("step");
    assert_no_errors(&w);
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return serverRan"), 5.0);
    assert_eq!(
        eval::<String>(&mut w, Peer::Client(early), "return clientRan"),
        "Early"
    );
    assert_eq!(
        eval::<String>(&mut w, Peer::Client(late), "return clientRan"),
        "Late"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn lossy_run(seed: u64) -> skyrocket_sim::Counters {
    let mut w = World::new(WorldConfig {
        seed,
        default_link: LinkConfig::LOSSY_5,
        ..WorldConfig::default()
    })
    .expect("world");
    run(
        &mut w,
        Peer::Server,
        r#"
        local u = Instance.new("UnreliableRemoteEvent")
        u.Name = "State"
        u.Parent = game.ReplicatedStorage
        u.OnServerEvent:Connect(function(p, n) u:FireAllClients(p.UserId, n, HttpService and 0 or string.rep("s", n % 50)) end)
        "#,
    );
    let ids: Vec<u64> = (0..4)
        .map(|i| w.add_player(&format!("P{i}")).expect("join"))
        .collect();
    for id in ids {
        run(
            &mut w,
            Peer::Client(id),
            r#"
            local u = game.ReplicatedStorage:WaitForChild("State")
            game:GetService("RunService").Heartbeat:Connect(function() u:FireServer(math.floor(time() * 60)) end)
            "#,
        );
    }
    w.run_for(3.0).expect("run");
    assert_no_errors(&w);
    w.counters().clone()
}

#[test]
fn same_seed_same_bytes() {
    let a = lossy_run(11);
    let b = lossy_run(11);
    assert_eq!(a, b);
    let c = lossy_run(12);
    assert_ne!(a, c);
    let up = a.total(Direction::Up);
    assert!(up.dropped > 0 && up.delivered_messages > 0);
}

#[test]
fn handler_errors_carry_traceback() {
    let mut w = world();
    w.add_module(
        "ReplicatedStorage/Lib",
        "local M = {}\nfunction M.explode()\n    error('boom')\nend\nreturn M\n",
    )
    .expect("module");
    w.run(
        Peer::Server,
        "local Lib = require(game.ReplicatedStorage.Lib)\ngame:GetService('RunService').Heartbeat:Once(function()\n    Lib.explode()\nend)\n",
        "ServerScriptService.Main",
    )
    .expect("compile");
    w.step().expect("step");
    w.step().expect("step");
    let errs = w.take_errors();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let m = &errs[0].message;
    assert!(m.contains("ReplicatedStorage.Lib:3: boom"), "{m}");
    // The traceback names the calling script and line too.
    assert!(m.contains("ServerScriptService.Main:3"), "{m}");
}

#[test]
fn link_changes_mid_run() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local u = Instance.new("UnreliableRemoteEvent")
        u.Name = "U"
        u.Parent = game.ReplicatedStorage
        count = 0
        u.OnServerEvent:Connect(function() count += 1 end)
        "#,
    );
    let uid = w.add_player("A").expect("join");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local u = game.ReplicatedStorage:WaitForChild("U")
        game:GetService("RunService").Heartbeat:Connect(function() u:FireServer() end)
        "#,
    );
    w.run_for(1.0).expect("run");
    let before: f64 = eval(&mut w, Peer::Server, "return count");
    assert!(before >= 58.0, "{before}");
    w.set_link(
        uid,
        Direction::Up,
        LinkConfig {
            loss: 1.0,
            ..LinkConfig::PERFECT
        },
    );
    w.run_for(1.0).expect("run");
    let during: f64 = eval(&mut w, Peer::Server, "return count");
    assert!(during - before <= 1.0, "{before} -> {during}");
    w.set_link(uid, Direction::Up, LinkConfig::PERFECT);
    w.run_for(1.0).expect("run");
    let after: f64 = eval(&mut w, Peer::Server, "return count");
    assert!(after - during >= 59.0, "{during} -> {after}");
    let t = w.counters().get("ReplicatedStorage.U", uid, Direction::Up);
    assert_eq!(t.dropped, 60);
}

#[test]
fn yielding_or_failing_handlers_do_not_block_others() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local be = Instance.new("BindableEvent")
        log = {}
        be.Event:Connect(function(n) task.wait(1) table.insert(log, "slow" .. n) end)
        be.Event:Connect(function(n) error("bad" .. n) end)
        be.Event:Connect(function(n) table.insert(log, "fast" .. n) end)
        be:Fire(1)
        be:Fire(2)
        "#,
    );
    w.step().expect("step");
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(log, ',')"),
        "fast1,fast2"
    );
    w.run_for(1.1).expect("run");
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(log, ',')"),
        "fast1,fast2,slow1,slow2"
    );
    let errs = w.take_errors();
    assert_eq!(errs.len(), 2);
    assert!(errs[0].message.contains("bad1") && errs[1].message.contains("bad2"));
}

#[test]
fn math_random_and_random_follow_world_seed() {
    let draw = |seed: u64| {
        let mut w = World::new(WorldConfig {
            seed,
            ..WorldConfig::default()
        })
        .expect("world");
        eval::<(f64, f64)>(
            &mut w,
            Peer::Server,
            "return math.random(1, 1000000), Random.new():NextInteger(1, 1000000)",
        )
    };
    assert_eq!(draw(5), draw(5));
    assert_ne!(draw(5), draw(6));
}

#[test]
fn run_service_connections_change_mid_frame() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local RS = game:GetService("RunService")
        log = {}
        local frame = 0
        local post
        RS.PreSimulation:Connect(function()
            frame += 1
            if frame == 2 then
                -- Connected during PreSimulation: PostSimulation fires later
                -- in this same frame.
                post = RS.PostSimulation:Connect(function()
                    table.insert(log, "post" .. frame)
                end)
            elseif frame == 4 then
                post:Disconnect()
            end
        end)
        task.spawn(function()
            for _ = 1, 3 do
                RS.Heartbeat:Wait()
                table.insert(log, "wait" .. frame)
            end
        end)
        RS.Heartbeat:Once(function()
            table.insert(log, "once" .. frame)
        end)
        "#,
    );
    w.run_for(6.0 / 60.0).expect("run");
    assert_no_errors(&w);
    let log: String = eval(&mut w, Peer::Server, "return table.concat(log, ' ')");
    // Connections run before waiters, as fired.
    assert_eq!(log, "once1 wait1 post2 wait2 post3 wait3");
}

#[test]
fn remote_events_follow_connect_and_destroy() {
    let mut w = world();
    let uid = w.add_player("A").expect("join");
    run(
        &mut w,
        Peer::Server,
        r#"
        got = {}
        local function make(tag)
            local ev = Instance.new("RemoteEvent")
            ev.Name = "Ev"
            ev.Parent = game.ReplicatedStorage
            ev.OnServerEvent:Connect(function(_, n)
                table.insert(got, tag .. n)
            end)
            return ev
        end
        make("a")
        game.ReplicatedStorage.ChildRemoved:Connect(function()
            make("b")
        end)
        "#,
    );
    w.step().expect("step");
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        seen = {}
        game.ReplicatedStorage:WaitForChild("Ev"):FireServer(1)
        "#,
    );
    // Delivered before the client connects: nobody sees it.
    run(
        &mut w,
        Peer::Server,
        "game.ReplicatedStorage.Ev:FireAllClients(1)",
    );
    w.run_for(0.05).expect("run");
    // A handler connected after events already arrived sees later ones.
    run(
        &mut w,
        Peer::Client(uid),
        r#"game.ReplicatedStorage.Ev.OnClientEvent:Connect(function(n)
            table.insert(seen, "a" .. n)
        end)"#,
    );
    run(
        &mut w,
        Peer::Server,
        "game.ReplicatedStorage.Ev:FireAllClients(2)",
    );
    w.run_for(0.05).expect("run");
    run(&mut w, Peer::Server, "game.ReplicatedStorage.Ev:Destroy()");
    w.run_for(0.05).expect("run");
    // The replacement remote (new id, same name) is a different remote on
    // both sides.
    run(
        &mut w,
        Peer::Client(uid),
        r#"
        local ev = game.ReplicatedStorage:WaitForChild("Ev")
        ev.OnClientEvent:Connect(function(n)
            table.insert(seen, "b" .. n)
        end)
        ev:FireServer(3)
        "#,
    );
    w.run_for(0.05).expect("run");
    run(
        &mut w,
        Peer::Server,
        "game.ReplicatedStorage.Ev:FireAllClients(4)",
    );
    w.run_for(0.05).expect("run");
    assert_no_errors(&w);
    let got: String = eval(&mut w, Peer::Server, "return table.concat(got, ' ')");
    assert_eq!(got, "a1 b3");
    let seen: String = eval(&mut w, Peer::Client(uid), "return table.concat(seen, ' ')");
    assert_eq!(seen, "a2 b4");
}

/// Host prelude errors raised with a level name the script's line; this
/// would break if the prelude were compiled with inlining (`-O2`).
#[test]
fn prelude_errors_point_at_the_calling_line() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        msgs = {}
        local function try(f)
            local _, e = pcall(f)
            table.insert(msgs, e)
        end
        try(function()
            workspace.ChildAdded.Connect(nil, print)
        end)
        try(function()
            task.spawn(5)
        end)
        try(function()
            local f = Instance.new("Folder")
            f.Parent = f
        end)
        "#,
    );
    assert_no_errors(&w);
    let msgs: String = eval(&mut w, Peer::Server, "return table.concat(msgs, '\\n')");
    assert_eq!(
        msgs,
        "Test:8: Expected ':' not '.' calling member function Connect\n\
         Test:11: invalid argument #1 (function or thread expected, got number)\n\
         Test:15: Attempt to set parent of Folder to Folder would result in circular reference"
    );
}

/// A large burst of deferred events, then small rounds reusing the grown
/// queue tables (cleared only up to their used length): every handler call
/// runs exactly once.
#[test]
fn deferred_queue_after_a_burst_runs_each_handler_once() {
    let mut w = world();
    run(
        &mut w,
        Peer::Server,
        r#"
        local ev = Instance.new("BindableEvent")
        calls = {}
        ev.Event:Connect(function(n)
            calls[n] = (calls[n] or 0) + 1
        end)
        for i = 1, 500 do
            ev:Fire(i)
        end
        local frame = 0
        game:GetService("RunService").Heartbeat:Connect(function()
            frame += 1
            if frame <= 3 then
                ev:Fire(1000 + frame)
            end
        end)
        "#,
    );
    w.run_for(0.1).expect("run");
    assert_no_errors(&w);
    let (count, total, extra): (f64, f64, f64) = eval(
        &mut w,
        Peer::Server,
        r#"local count, total = 0, 0
        for _, c in calls do count += 1; total += c end
        return count, total, (calls[1001] or 0) + (calls[1002] or 0) + (calls[1003] or 0)"#,
    );
    assert_eq!((count, total, extra), (503.0, 503.0, 3.0));
}

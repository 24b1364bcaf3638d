//! End-to-end tests of the Luau transport runtime (`runtime/Net`) and the
//! generated protocol API, in the embedded Roblox host.

use skyrocket_luau::protocol::{generate_api, RUNTIME_FILES};
use skyrocket_luau::{generate, GenOptions};
use skyrocket_sim::{Direction, LinkConfig, Peer, World, WorldConfig};

const SCHEMA: &str = r#"
use skyrocket::NetCodec;
use skyrocket::roblox::Instance;

#[derive(NetCodec)]
pub struct Chat {
    #[net(max_len = 100)]
    pub text: String,
    pub from: u16,
}

#[derive(NetCodec)]
pub enum Color { Red, Green, Blue }

#[derive(NetCodec)]
pub struct Touch {
    pub part: Instance,
    pub n: u8,
}

#[derive(NetCodec)]
pub struct Item {
    pub id: u32,
    #[net(max_len = 20)]
    pub name: String,
}

#[skyrocket::protocol]
pub mod net {
    use super::*;
    pub mod chat {
        use super::*;
        #[event(to_server, rate = 5, burst = 5)]
        pub type Say = Chat;
        #[event(to_client)]
        pub type Broadcast = Chat;
    }
    #[event(to_client, unreliable, priority = 10)]
    pub type Tick = u32;
    #[event(to_client, priority = 1)]
    pub type Bulk = Chat;
    #[event(to_server)]
    pub type Pick = Color;
    #[event(to_client)]
    pub type Touched = Touch;
    #[event(to_server, unreliable)]
    pub type Move = u16;
    #[event(to_client, unreliable, splittable)]
    pub type BigDown = Blob;
    #[event(to_server, unreliable, splittable, rate = 100)]
    pub type BigUp = Blob;
    #[function(to_server, timeout = 1, rate = 20, burst = 20)]
    pub type GetItem = fn(u32) -> Item;
    #[function(to_client, timeout = 0.5, retries = 1)]
    pub type Ping = fn(u8) -> u8;
    #[function(to_server, timeout = 2)]
    pub type Fail = fn() -> u8;
}

#[derive(NetCodec)]
pub struct Blob {
    pub n: u16,
    #[net(max_len = 6000)]
    pub data: Vec<u8>,
}
"#;

/// A world with the codecs, the generated API and the runtime under
/// `ReplicatedStorage/Shared`, the server having required the API as `Api`.
fn world(server_setup: &str) -> World {
    world_of(SCHEMA, false, server_setup)
}

/// [`world`] for another schema; `formats`: ship `Schema` and `Formats/`
/// beside the runtime too (as `skyrocket gen` does).
fn world_of(source: &str, formats: bool, server_setup: &str) -> World {
    let (schema, protocol) = skyrocket_schema::parse_file_with_protocol(source).unwrap();
    let codecs = generate(&schema, &GenOptions::default()).unwrap();
    let api = generate_api(&schema, &protocol, "Codecs").unwrap();
    let mut w = World::new(WorldConfig::default()).unwrap();
    w.add_module("ReplicatedStorage/Shared/Codecs", &codecs.source)
        .unwrap();
    if formats {
        w.add_module(
            "ReplicatedStorage/Shared/Schema",
            &skyrocket_luau::descriptor::generate_descriptor(&schema, codecs.schema_hash, None),
        )
        .unwrap();
        for (path, src) in skyrocket_luau::library::FORMAT_FILES {
            let path = path.trim_end_matches(".luau").trim_end_matches("/init");
            w.add_module(&format!("ReplicatedStorage/Shared/{path}"), src)
                .unwrap();
        }
    }
    for (path, src) in RUNTIME_FILES {
        let path = path.trim_end_matches(".luau").trim_end_matches("/init");
        w.add_module(&format!("ReplicatedStorage/Shared/{path}"), src)
            .unwrap();
    }
    w.add_module("ReplicatedStorage/Shared/Protocol", &api)
        .unwrap();
    w.run(
        Peer::Server,
        &format!(
            "Api = require(game:GetService('ReplicatedStorage').Shared.Protocol)\n{server_setup}"
        ),
        "ServerScriptService.Main",
    )
    .unwrap();
    w.step().unwrap();
    assert_no_errors(&w);
    w
}

fn join(w: &mut World, name: &str, client_setup: &str) -> u64 {
    let uid = w.add_player(name).unwrap();
    w.step().unwrap();
    w.run(
        Peer::Client(uid),
        &format!(
            "Api = require(game:GetService('ReplicatedStorage').Shared.Protocol)\n{client_setup}"
        ),
        "StarterPlayerScripts.Main",
    )
    .unwrap();
    w.step().unwrap();
    assert_no_errors(w);
    uid
}

fn assert_no_errors(w: &World) {
    assert!(w.errors().is_empty(), "{:#?}", w.errors());
}

fn eval<R: mlua::FromLuaMulti>(w: &mut World, peer: Peer, src: &str) -> R {
    w.eval(peer, src).expect("eval")
}

fn run(w: &mut World, peer: Peer, src: &str) {
    w.run(peer, src, "Test").unwrap();
}

const RELIABLE: &str = "ReplicatedStorage.SkyrocketRemotes.Reliable";
const UNRELIABLE: &str = "ReplicatedStorage.SkyrocketRemotes.Unreliable";

#[test]
fn events_are_batched_typed_and_delivered() {
    let mut w = world(
        r#"
        said = {}
        Api.Chat.Say.connect(function(player, msg)
            table.insert(said, player.Name .. ":" .. msg.text)
            Api.Chat.Broadcast.fireAll({ text = msg.text, from = player.UserId })
        end)
        "#,
    );
    let client = r#"
        got = {}
        Api.Chat.Broadcast.connect(function(msg) table.insert(got, msg.text .. "/" .. msg.from) end)
    "#;
    let a = join(&mut w, "Alice", client);
    let b = join(&mut w, "Bob", client);
    run(
        &mut w,
        Peer::Client(a),
        r#"Api.Chat.Say.fire({ text = "hi", from = 0 }) Api.Chat.Say.fire({ text = "yo", from = 0 }) Api.Chat.Say.fire({ text = "3", from = 0 })"#,
    );
    w.run_for(0.2).unwrap();
    assert_no_errors(&w);
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(said, ',')"),
        "Alice:hi,Alice:yo,Alice:3"
    );
    // Three events, one remote call up; three broadcasts, one call down per player.
    assert_eq!(
        w.counters().get(RELIABLE, a, Direction::Up).sent_messages,
        1
    );
    for uid in [a, b] {
        assert_eq!(
            eval::<String>(&mut w, Peer::Client(uid), "return table.concat(got, ',')"),
            format!("hi/{a},yo/{a},3/{a}")
        );
        assert_eq!(
            w.counters()
                .get(RELIABLE, uid, Direction::Down)
                .sent_messages,
            1
        );
    }
    // fire / fireExcept / fireList / fireGroup / fireFilter
    let c = join(&mut w, "Carol", client);
    run(
        &mut w,
        Peer::Server,
        r#"
        local P = game:GetService("Players")
        local alice, bob, carol = P:GetPlayers()[1], P:GetPlayers()[2], P:GetPlayers()[3]
        Api.Chat.Broadcast.fire(bob, { text = "toBob", from = 1 })
        Api.Chat.Broadcast.fireExcept(alice, { text = "notAlice", from = 1 })
        Api.Chat.Broadcast.fireList({ alice, carol }, { text = "list", from = 1 })
        Api.net:addToGroup("red", carol)
        Api.Chat.Broadcast.fireGroup("red", { text = "group", from = 1 })
        Api.Chat.Broadcast.fireFilter(function(p) return p.Name == "Alice" end, { text = "filter", from = 1 })
        "#,
    );
    w.run_for(0.1).unwrap();
    assert_no_errors(&w);
    let got = |w: &mut World, uid| {
        eval::<String>(
            w,
            Peer::Client(uid),
            "local t = table.concat(got, ',') table.clear(got) return t",
        )
    };
    assert!(
        got(&mut w, a).ends_with("list/1,filter/1"),
        "{}",
        got(&mut w, a)
    );
    assert!(got(&mut w, b).ends_with("toBob/1,notAlice/1"));
    assert_eq!(got(&mut w, c), "notAlice/1,list/1,group/1");
    // Wrong side: a client cannot fire a to-client event.
    let r: mlua::Result<()> = w.eval(
        Peer::Client(a),
        "Api.Chat.Broadcast.fireAll({ text = 'x', from = 1 })",
    );
    assert!(r.unwrap_err().to_string().contains("fire is server-side"));
}

#[test]
fn unreliable_events_never_exceed_the_packet_limit() {
    let mut w = world("");
    let a = join(
        &mut w,
        "Alice",
        "ticks = {} Api.Tick.connect(function(t) table.insert(ticks, t) end)",
    );
    // 500 ticks of 6 framed bytes in one frame: several packets of <= 960 bytes.
    run(
        &mut w,
        Peer::Server,
        "for i = 1, 500 do Api.Tick.fireAll(i) end",
    );
    w.run_for(0.1).unwrap();
    assert_no_errors(&w);
    let t = w.counters().get(UNRELIABLE, a, Direction::Down);
    assert_eq!(t.oversize, 0);
    assert_eq!(t.sent_messages, 4, "{t:?}"); // ceil(500 * 6 / 960)
    let (n, ok): (f64, bool) = eval(
        &mut w,
        Peer::Client(a),
        "local ok = true for i, v in ticks do ok = ok and v == i end return #ticks, ok",
    );
    assert_eq!((n, ok), (500.0, true));
}

#[test]
fn instances_travel_in_the_side_table() {
    let mut w = world(
        r#"
        local part = Instance.new("Folder")
        part.Name = "Door"
        part.Parent = workspace
        "#,
    );
    let a = join(
        &mut w,
        "Alice",
        "touched = {} Api.Touched.connect(function(t) table.insert(touched, (t.part and t.part.Name or 'nil') .. t.n) end)",
    );
    run(
        &mut w,
        Peer::Server,
        r#"
        local door = workspace:FindFirstChild("Door")
        local hidden = Instance.new("Folder") hidden.Parent = game:GetService("ServerStorage")
        Api.Touched.fireAll({ part = door, n = 1 })
        Api.Touched.fireAll({ part = hidden, n = 2 })
        Api.Touched.fireAll({ part = nil, n = 3 })
        Api.Touched.fireAll({ part = door, n = 4 })
        "#,
    );
    w.run_for(0.1).unwrap();
    assert_no_errors(&w);
    let report: String = eval(
        &mut w,
        Peer::Client(a),
        "local r = Api.net:limitReport()[0] local t = {} for k, v in r or {} do table.insert(t, k .. '=' .. v) end return table.concat(t, ',')",
    );
    assert_eq!(report, "");
    assert_eq!(
        eval::<String>(&mut w, Peer::Client(a), "return table.concat(touched, ',')"),
        "Door1,nil2,nil3,Door4"
    );
}

#[test]
fn remote_functions_return_values_errors_and_time_out() {
    let mut w = world(
        r#"
        Api.GetItem.onInvoke(function(player, id)
            if id == 0 then error("no item 0") end
            return { id = id, name = "item" .. id }
        end)
        pings = {}
        "#,
    );
    let a = join(
        &mut w,
        "Alice",
        r#"
        Api.Ping.onInvoke(function(n) return n + 1 end)
        results = {}
        task.spawn(function()
            local item, err = Api.GetItem.invoke(7)
            table.insert(results, item and (item.name .. ":" .. item.id) or err)
            local item2, err2 = Api.GetItem.invoke(0)
            table.insert(results, tostring(item2) .. "|" .. tostring(err2))
            local v, e = Api.Fail.invoke()
            table.insert(results, tostring(v) .. "|" .. tostring(e))
        end)
        "#,
    );
    // Bob never answers pings.
    let b = join(
        &mut w,
        "Bob",
        "Api.Ping.onInvoke(function() task.wait(1000) return 0 end)",
    );
    w.run_for(0.5).unwrap();
    let results = eval::<String>(&mut w, Peer::Client(a), "return table.concat(results, ',')");
    assert!(results.starts_with("item7:7,nil|"), "{results}");
    assert!(results.contains("no item 0"), "{results}");
    assert!(results.ends_with("nil|no handler"), "{results}");
    // The handler error was reported (default hook warns) and cleared here.
    w.take_errors();
    run(
        &mut w,
        Peer::Server,
        r#"
        local P = game:GetService("Players")
        for _, p in P:GetPlayers() do
            task.spawn(function()
                local v, err = Api.Ping.invoke(p, 41)
                pings[p.Name] = tostring(v) .. "|" .. tostring(err)
            end)
        end
        cancelled = nil
        local cancel = Api.Ping.request(P:GetPlayers()[2], 1, function(v, err) cancelled = err end)
        cancel()
        "#,
    );
    w.run_for(0.3).unwrap();
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return pings.Alice"),
        "42|nil"
    );
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return cancelled"),
        "cancelled"
    );
    assert!(eval::<Option<String>>(&mut w, Peer::Server, "return pings.Bob").is_none());
    // timeout 0.5 s, one retry after 0.5 * 2 = 1 s: the server gives up at ~1.5 s.
    w.run_for(1.5).unwrap();
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return pings.Bob"),
        "nil|timeout"
    );
    // The retry was sent: two request messages went to Bob.
    assert_eq!(
        eval::<f64>(&mut w, Peer::Server, "return Api.net:stats().pendingCalls"),
        0.0
    );
    // A player leaving completes its calls at once.
    run(
        &mut w,
        Peer::Server,
        r#"
        local bob = game:GetService("Players"):GetPlayers()[2]
        task.spawn(function()
            local v, err = Api.Ping.invoke(bob, 1)
            pings.left = tostring(err)
        end)
        "#,
    );
    w.step().unwrap();
    w.remove_player(b).unwrap();
    w.step().unwrap();
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return pings.left"),
        "player left"
    );
    let rtt: f64 = eval(
        &mut w,
        Peer::Server,
        "return Api.net:stats().rtt.Ping.count",
    );
    assert!(rtt >= 1.0);
    assert_no_errors(&w);
}

#[test]
fn seventy_thousand_calls_in_flight() {
    let mut w = world("");
    let a = join(
        &mut w,
        "Alice",
        "Api.Ping.onInvoke(function(n) return (n + 1) % 256 end)",
    );
    run(
        &mut w,
        Peer::Server,
        r#"
        Api.net.config.byteBudget = 10000000
        done, okCount = 0, 0
        for i = 1, 70000 do
            Api.Ping.request(game:GetService("Players"):GetPlayers()[1], i % 256, function(v, err)
                done += 1
                if v == (i % 256 + 1) % 256 then okCount += 1 end
            end)
        end
        inFlight = Api.net:stats().pendingCalls
        "#,
    );
    assert_eq!(
        eval::<f64>(&mut w, Peer::Server, "return inFlight"),
        70000.0
    );
    w.run_for(0.2).unwrap();
    assert_no_errors(&w);
    assert_eq!(
        eval::<(f64, f64)>(&mut w, Peer::Server, "return done, okCount"),
        (70000.0, 70000.0)
    );
    let _ = a;
}

#[test]
fn handler_errors_are_isolated_and_reported_with_sampling_cap() {
    let mut w = world(
        r#"
        handled = 0
        errors = {}
        Api.net:onError(function(info)
            table.insert(errors, info)
        end)
        Api.Pick.connect(function(player, color)
            if color == "Red" then error("red is banned") end
            handled += 1
        end)
        "#,
    );
    let a = join(&mut w, "Alice", "");
    run(
        &mut w,
        Peer::Client(a),
        r#"for i = 1, 30 do Api.Pick.fire(if i % 2 == 0 then "Red" else "Green") end"#,
    );
    w.run_for(0.1).unwrap();
    assert_no_errors(&w);
    // 15 good messages ran although 15 handlers in the same batch raised.
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return handled"), 15.0);
    // Rate cap: 10 reports per second by default.
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return #errors"), 10.0);
    let (msg, tb, remote, player): (String, String, String, String) = eval(
        &mut w,
        Peer::Server,
        "local e = errors[1] return e.message, e.traceback, e.remote, e.player.Name",
    );
    assert!(msg.contains("red is banned"), "{msg}");
    assert!(!tb.is_empty());
    assert_eq!((remote.as_str(), player.as_str()), ("Pick", "Alice"));
    // Sampling: rate 0 reports nothing.
    run(
        &mut w,
        Peer::Server,
        "table.clear(errors) Api.net.config.errorSampleRate = 0",
    );
    w.run_for(1.1).unwrap();
    run(&mut w, Peer::Client(a), r#"Api.Pick.fire("Red")"#);
    w.run_for(0.1).unwrap();
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return #errors"), 0.0);
}

#[test]
fn malicious_client_is_limited_and_others_are_unaffected() {
    let mut w = world(
        r#"
        said = {}
        Api.Chat.Say.connect(function(player, msg)
            said[player.Name] = (said[player.Name] or 0) + 1
        end)
        picks = 0
        Api.Pick.connect(function() picks += 1 end)
        limited = {}
        Api.net:onLimited(function(player, reason, remote)
            limited[reason] = (limited[reason] or 0) + 1
        end)
        "#,
    );
    let good = join(&mut w, "Good", "");
    let bad = join(&mut w, "Bad", "");
    // The good player chats at its limit (5/s) during the whole attack.
    run(
        &mut w,
        Peer::Client(good),
        r#"task.spawn(function() for i = 1, 10 do Api.Chat.Say.fire({ text = "ok", from = 0 }) task.wait(0.2) end end)"#,
    );
    run(
        &mut w,
        Peer::Client(bad),
        r#"
        local remotes = game:GetService("ReplicatedStorage").SkyrocketRemotes
        local R = remotes.Reliable
        task.spawn(function()
            for frame = 1, 120 do
                R:FireServer(buffer.create(1000000))          -- huge buffer
                R:FireServer("not a buffer", 5)               -- wrong types
                local g = buffer.create(64)
                for i = 0, 63 do buffer.writeu8(g, i, (i * 97 + frame) % 256) end
                R:FireServer(g)                               -- garbage
                local bad = buffer.create(3)                  -- Pick with tag 3 (3 variants)
                buffer.writeu8(bad, 0, 4) buffer.writeu8(bad, 1, 1) buffer.writeu8(bad, 2, 3)
                R:FireServer(bad)
                for i = 1, 50 do Api.Chat.Say.fire({ text = "spam", from = 0 }) end  -- 10x flood
                task.wait()
            end
        end)
        "#,
    );
    let start = std::time::Instant::now();
    w.run_for(2.0).unwrap();
    let per_frame = start.elapsed().as_secs_f64() / 120.0;
    eprintln!("attack: {:.3} ms of host time per frame", per_frame * 1e3);
    assert_no_errors(&w);
    let good_said = eval::<f64>(&mut w, Peer::Server, "return said.Good");
    assert_eq!(good_said, 10.0);
    // The flood got at most burst + rate * 2 s through.
    let bad_said = eval::<f64>(&mut w, Peer::Server, "return said.Bad or 0");
    assert!(bad_said <= 5.0 + 5.0 * 2.0 + 1.0, "{bad_said}");
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return picks"), 0.0);
    let report: String = eval(
        &mut w,
        Peer::Server,
        &format!(
            "local r = Api.net:limitReport()[{bad}] local k = {{}} for reason, n in r do table.insert(k, reason) end table.sort(k) return table.concat(k, ',')"
        ),
    );
    for reason in ["bytes", "decode", "malformed", "rate"] {
        assert!(report.contains(reason), "{reason} missing from {report}");
    }
    assert!(eval::<bool>(
        &mut w,
        Peer::Server,
        &format!("return Api.net:limitReport()[{good}] == nil")
    ));
    // With onLimit = "kick", the offender is removed.
    run(
        &mut w,
        Peer::Server,
        "Api.net.config.onLimit = 'kick' Api.net.config.kickThreshold = 1",
    );
    run(
        &mut w,
        Peer::Client(bad),
        "for i = 1, 50 do Api.Chat.Say.fire({ text = 'spam', from = 0 }) end",
    );
    w.run_for(0.2).unwrap();
    assert!(!w.players().contains(&bad));
    assert!(w.players().contains(&good));
}

#[test]
fn bandwidth_budget_defers_low_priority_first() {
    let mut w = world("Api.net.config.bandwidthBudget = 100");
    let a = join(
        &mut w,
        "Alice",
        r#"
        order = {}
        Api.Bulk.connect(function(m) table.insert(order, "bulk" .. m.text) end)
        Api.Chat.Broadcast.connect(function(m) table.insert(order, "hi" .. m.text) end)
        "#,
    );
    run(
        &mut w,
        Peer::Server,
        r#"
        for i = 1, 10 do Api.Bulk.fireAll({ text = tostring(i) .. "xxxxxxxxxxxxxxxxxxxxxxxxx", from = 1 }) end
        Api.Chat.Broadcast.fireAll({ text = "!", from = 1 })
        "#,
    );
    w.step().unwrap();
    w.step().unwrap();
    let first: String = eval(&mut w, Peer::Client(a), "return order[1]");
    assert_eq!(first, "hi!");
    let n_first: f64 = eval(&mut w, Peer::Client(a), "return #order");
    assert!(n_first < 11.0, "{n_first}");
    w.run_for(0.5).unwrap();
    let all: String = eval(&mut w, Peer::Client(a), "return table.concat(order, ',')");
    assert_eq!(all.matches("bulk").count(), 10, "{all}");
    assert!(all.contains("bulk1x") && all.find("bulk1x") < all.find("bulk2x"));
    // Every batch stayed under the budget (plus one oversize message at most).
    let t = w.counters().get(RELIABLE, a, Direction::Down);
    assert!(t.sent_messages >= 3, "{t:?}");
}

#[test]
fn patterns_and_middleware() {
    let mut w = world(
        r#"
        seen = {}
        Api.net:subscribe("Chat.*", function(name, player, value) table.insert(seen, name) end)
        Api.net:subscribe("(Pick|Move)", function(name) table.insert(seen, name) end)
        Api.net:subscribe(">", function(name) table.insert(seen, "all:" .. name) end)
        Api.net:use({ inbound = function(ctx) return ctx.value ~= "Blue" end })
        Api.net:useNamespace("Chat", { inbound = function(ctx) ctx.value.text = string.upper(ctx.value.text) return true end })
        texts = {}
        Api.Chat.Say.connect(function(p, m) table.insert(texts, m.text) end)
        Api.Chat.Say.use({ inbound = function(ctx) return ctx.value.text ~= "DROP" end })
        "#,
    );
    let a = join(&mut w, "Alice", "");
    run(
        &mut w,
        Peer::Client(a),
        r#"
        Api.Chat.Say.fire({ text = "hello", from = 0 })
        Api.Chat.Say.fire({ text = "drop", from = 0 })
        Api.Pick.fire("Green") Api.Pick.fire("Blue") Api.Move.fire(3)
        "#,
    );
    w.run_for(0.1).unwrap();
    assert_no_errors(&w);
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(texts, ',')"),
        "HELLO"
    );
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(seen, ',')"),
        "Chat.Say,all:Chat.Say,Pick,all:Pick,Move,all:Move"
    );
    let m: bool = eval(
        &mut w,
        Peer::Server,
        r#"local m = Api.net.Pattern.compile("Player(HP|MaxHP)Changed.*")
        return m("PlayerHPChanged.x") and m("PlayerMaxHPChanged.y") and not m("PlayerXPChanged.x") and not m("PlayerHPChanged")"#,
    );
    assert!(m);
}

#[test]
fn profiler_reports_bytes_calls_rates_and_queues() {
    let mut w = world("Api.GetItem.onInvoke(function(p, id) return { id = id, name = 'x' } end)");
    let a = join(
        &mut w,
        "Alice",
        "task.spawn(function() for i = 1, 5 do Api.GetItem.invoke(i) end end)",
    );
    run(
        &mut w,
        Peer::Server,
        "task.spawn(function() for i = 1, 120 do Api.Tick.fireAll(i) task.wait() end end)",
    );
    w.run_for(2.1).unwrap();
    assert_no_errors(&w);
    let (bytes, calls, rate, pbytes): (f64, f64, f64, f64) = eval(
        &mut w,
        Peer::Server,
        &format!(
            "local s = Api.net:stats() local t = s.remotes.Tick return t.bytesOut, t.callsOut, t.callsOutPerSecond, s.players[{a}].bytesOut"
        ),
    );
    assert_eq!(calls, 120.0);
    assert_eq!(bytes, 120.0 * 6.0);
    assert!((50.0..=70.0).contains(&rate), "{rate}");
    assert!(pbytes >= bytes);
    let (count, avg, inb): (f64, f64, f64) = eval(
        &mut w,
        Peer::Client(a),
        "local s = Api.net:stats() return s.rtt.GetItem.count, s.rtt.GetItem.average, s.remotes.GetItem.bytesIn",
    );
    assert_eq!(count, 5.0);
    assert!(avg > 0.0 && avg < 0.2, "{avg}");
    assert!(inb > 0.0);
    run(
        &mut w,
        Peer::Server,
        "Api.net.config.autoFlush = false for i = 1, 3 do Api.Tick.fireAll(i) end",
    );
    let depth: f64 = eval(
        &mut w,
        Peer::Server,
        &format!("return Api.net:stats().queueDepth[{a}]"),
    );
    assert_eq!(depth, 3.0);
    run(&mut w, Peer::Server, "Api.net:flush()");
    let depth: f64 = eval(
        &mut w,
        Peer::Server,
        &format!("return Api.net:stats().queueDepth[{a}] or 0"),
    );
    assert_eq!(depth, 0.0);
}

#[test]
fn oversize_unreliable_is_refused_by_generation() {
    let src = SCHEMA.replace(
        "#[event(to_client, priority = 1)]\n    pub type Bulk = Chat;",
        "#[event(to_client, unreliable)]\n    pub type Bulk = Big;",
    ) + "#[derive(NetCodec)] pub struct Big { #[net(max_len = 5000)] pub b: Vec<u8> }";
    let e = skyrocket_schema::parse_file_with_protocol(&src).unwrap_err();
    assert!(
        e[0].render("schema.rs")
            .starts_with("schema.rs:41:14: error: unreliable event `Bulk` can be 5002 bytes"),
        "{}",
        e[0].render("schema.rs")
    );
}

/// Luau: `blob(n, len)` makes a Blob whose bytes follow from `n`, and
/// `intact(b)` checks one (so a message assembled from the wrong pieces
/// cannot pass).
const BLOBS: &str = r#"
    function blob(n, len)
        local data = buffer.create(len)
        for i = 0, len - 1 do buffer.writeu8(data, i, (n * 31 + i * 7) % 256) end
        return { n = n, data = data }
    end
    function intact(b)
        for i = 0, buffer.len(b.data) - 1 do
            if buffer.readu8(b.data, i) ~= (b.n * 31 + i * 7) % 256 then return false end
        end
        return true
    end
"#;

#[test]
fn splittable_events_travel_in_fragments_and_arrive_intact() {
    let mut w = world(&format!(
        "{BLOBS} up = {{}} Api.BigUp.connect(function(p, b) table.insert(up, buffer.len(b.data) .. (if intact(b) then 'ok' else 'BAD')) end)"
    ));
    let a = join(
        &mut w,
        "Alice",
        &format!("{BLOBS} down = {{}} Api.BigDown.connect(function(b) table.insert(down, b.n .. ':' .. buffer.len(b.data) .. (if intact(b) then 'ok' else 'BAD')) end)"),
    );
    run(
        &mut w,
        Peer::Server,
        "Api.BigDown.fireAll(blob(1, 5000)) Api.BigDown.fireAll(blob(2, 10)) Api.BigDown.fireAll(blob(3, 6000))",
    );
    run(&mut w, Peer::Client(a), "Api.BigUp.fire(blob(4, 5000))");
    w.run_for(0.2).unwrap();
    assert_no_errors(&w);
    assert_eq!(
        eval::<String>(&mut w, Peer::Client(a), "return table.concat(down, ',')"),
        "1:5000ok,2:10ok,3:6000ok"
    );
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(up, ',')"),
        "5000ok"
    );
    // 5003 + 6004 bytes of payload: 6 + 7 fragments, each in its own call
    // under the limit (the small message shares a call); nothing reliable.
    let t = w.counters().get(UNRELIABLE, a, Direction::Down);
    assert_eq!(t.oversize, 0, "{t:?}");
    assert_eq!(t.sent_messages, 13, "{t:?}");
    assert_eq!(
        w.counters().get(RELIABLE, a, Direction::Down).sent_messages,
        0
    );
    assert_eq!(
        w.counters().get(UNRELIABLE, a, Direction::Up).sent_messages,
        6
    );
    // Nothing is left half-assembled.
    let held: f64 = eval(
        &mut w,
        Peer::Client(a),
        "local n = 0 for _, s in Api.net.reassembly do n += #s.parts end return n",
    );
    assert_eq!(held, 0.0);
}

#[test]
fn a_lost_fragment_drops_the_whole_message_never_garbage() {
    let mut w = world(BLOBS);
    let a = join(
        &mut w,
        "Alice",
        &format!("{BLOBS} got, bad = 0, 0 Api.BigDown.connect(function(b) if intact(b) and buffer.len(b.data) == 3000 + b.n then got += 1 else bad += 1 end end)"),
    );
    w.set_link(
        a,
        Direction::Down,
        LinkConfig {
            latency: 0.03,
            jitter: 0.02,
            loss: 0.1,
            duplicate: 0.05,
            reorder: 0.1,
            bandwidth: None,
        },
    );
    run(
        &mut w,
        Peer::Server,
        "task.spawn(function() for n = 1, 200 do Api.BigDown.fireAll(blob(n, 3000 + n)) task.wait() end end)",
    );
    w.run_for(4.0).unwrap();
    assert_no_errors(&w);
    let (got, bad, held): (f64, f64, f64) = eval(
        &mut w,
        Peer::Client(a),
        "local n = 0 for _, s in Api.net.reassembly do n += #s.parts end return got, bad, n",
    );
    eprintln!("lossy link: {got} of 200 delivered, {held} held");
    // 4 fragments each at 10% loss: about 66% arrive; none corrupted.
    assert_eq!(bad, 0.0);
    assert!((60.0..=190.0).contains(&got), "{got}");
    assert!(got < 200.0, "no fragment was lost? {got}");
    assert!(held <= 8.0, "{held}");
    // Losses on the network are not offenses.
    assert!(eval::<bool>(
        &mut w,
        Peer::Client(a),
        "return Api.net:limitReport()[0] == nil"
    ));
}

#[test]
fn hostile_fragments_are_rejected_and_honest_clients_unaffected() {
    let mut w = world(&format!(
        r#"{BLOBS}
        got = {{}}
        Api.BigUp.connect(function(p, b)
            got[p.Name] = (got[p.Name] or 0) + (if intact(b) then 1 else 1000)
        end)
        "#
    ));
    let good = join(&mut w, "Good", BLOBS);
    let bad = join(&mut w, "Bad", "");
    run(
        &mut w,
        Peer::Client(good),
        "task.spawn(function() for n = 1, 60 do Api.BigUp.fire(blob(n, 4000)) task.wait() end end)",
    );
    // Fragments of BigUp (wire id 8) and of the non-splittable Move (6).
    run(
        &mut w,
        Peer::Client(bad),
        r#"
        local RS = game:GetService("ReplicatedStorage")
        local Wire = require(RS.Shared.Net.Wire)
        local U = RS.SkyrocketRemotes.Unreliable
        local function frag(wireId, seq, index, count, total, len)
            local body = buffer.create(16 + len)
            local p = Wire.writeVarint(body, 0, wireId)
            buffer.writeu16(body, p, seq) buffer.writeu8(body, p + 2, index) buffer.writeu8(body, p + 3, count)
            p = Wire.writeVarint(body, p + 4, total)
            local out = buffer.create(4 + p + len)
            local q = Wire.writeVarint(out, 0, 16383)
            q = Wire.writeVarint(out, q, p + len)
            buffer.copy(out, q, body, 0, p)
            return out
        end
        task.spawn(function()
            for f = 1, 60 do
                U:FireServer(frag(8, f, 3, 2, 1000, 60))         -- index past count
                U:FireServer(frag(8, f, 0, 255, 239000, 940))    -- total over BigUp's maximum
                U:FireServer(frag(8, f, 0, 3, 1000, 940))        -- 3 fragments cannot hold 1000 bytes
                U:FireServer(frag(8, f, 0, 2, 1000, 900))        -- wrong data length
                U:FireServer(frag(6, f, 0, 2, 1000, 940))        -- Move is not splittable
                for k = 1, 6 do                                  -- partial messages, never completed
                    U:FireServer(frag(8, (f * 7 + k) % 65536, 0, 7, 6003, 940))
                end
                task.wait()
            end
        end)
        "#,
    );
    w.run_for(1.5).unwrap();
    assert_no_errors(&w);
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return got.Good"), 60.0);
    assert_eq!(
        eval::<f64>(&mut w, Peer::Server, "return got.Bad or 0"),
        0.0
    );
    let (fragments, held, bytes): (f64, f64, f64) = eval(
        &mut w,
        Peer::Server,
        &format!(
            "local s = Api.net.reassembly[{bad}] return Api.net:limitReport()[{bad}].fragment, #s.parts, s.bytes"
        ),
    );
    eprintln!("hostile: {fragments} fragment offenses, {held} held, {bytes} bytes");
    // Five bad fragments a frame, plus evictions of the flood.
    assert!(fragments >= 60.0 * 5.0, "{fragments}");
    assert!(held <= 8.0, "{held}");
    assert!(bytes <= 65536.0, "{bytes}");
    assert!(eval::<bool>(
        &mut w,
        Peer::Server,
        &format!("return Api.net:limitReport()[{good}] == nil")
    ));
}

#[test]
fn splittable_declarations_are_checked_at_generation() {
    let with = |decl: &str, ty: &str| {
        SCHEMA.replace(
            "#[event(to_client, priority = 1)]\n    pub type Bulk = Chat;",
            &format!("{decl}\n    pub type Bulk = {ty};"),
        ) + "#[derive(NetCodec)] pub struct Huge { #[net(max_len = 300000)] pub b: Vec<u8> }"
    };
    let render = |src: &str| -> Vec<String> {
        match skyrocket_schema::parse_file_with_protocol(src) {
            Err(e) => e.iter().map(|e| e.render("schema.rs")).collect(),
            Ok((schema, protocol)) => match generate_api(&schema, &protocol, "Codecs") {
                Err(skyrocket_luau::GenError::Schema(e)) => {
                    e.iter().map(|e| e.render("schema.rs")).collect()
                }
                Ok(_) => vec![],
            },
        }
    };
    // Within 255 fragments: accepted.
    assert_eq!(
        render(&with("#[event(to_client, unreliable, splittable)]", "Blob")),
        Vec::<String>::new()
    );
    let e = render(&with("#[event(to_client, unreliable, splittable)]", "Huge"));
    assert!(
        e[0].starts_with("schema.rs:41:14: error: splittable event `Bulk` can be 300003 bytes, over the 239700-byte limit of 255 fragments"),
        "{e:?}"
    );
    let e = render(&with("#[event(to_client, splittable)]", "Chat"));
    assert!(
        e[0].contains("`splittable` only applies to unreliable events"),
        "{e:?}"
    );
    let e = render(&with(
        "#[event(to_client, unreliable, splittable)]",
        "Touch",
    ));
    assert!(
        e[0].starts_with("schema.rs:41:14: error: splittable event `Bulk` carries Instances"),
        "{e:?}"
    );
}

#[test]
fn idle_clients_drop_their_heartbeat_and_wake_on_send() {
    let mut w = world("got = 0 Api.Move.connect(function() got += 1 end)");
    let a = join(&mut w, "Alice", "");
    w.run_for(1.2).unwrap();
    // Nothing sent yet: no Heartbeat handler on the client; always one on the server.
    assert!(eval::<bool>(
        &mut w,
        Peer::Client(a),
        "return Api.net.heartbeat == nil"
    ));
    assert!(eval::<bool>(
        &mut w,
        Peer::Server,
        "return Api.net.heartbeat ~= nil"
    ));
    run(&mut w, Peer::Client(a), "Api.Move.fire(1) Api.Move.fire(2)");
    assert!(eval::<bool>(
        &mut w,
        Peer::Client(a),
        "return Api.net.heartbeat ~= nil"
    ));
    w.run_for(0.1).unwrap();
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return got"), 2.0);
    // One batch for both, then idle again after a second.
    assert_eq!(
        w.counters().get(UNRELIABLE, a, Direction::Up).sent_messages,
        1
    );
    w.run_for(1.1).unwrap();
    assert!(eval::<bool>(
        &mut w,
        Peer::Client(a),
        "return Api.net.heartbeat == nil"
    ));
    // Rates still roll without it.
    let rate: f64 = eval(
        &mut w,
        Peer::Client(a),
        "return Api.net:stats().remotes.Move.callsOutPerSecond",
    );
    assert!(rate < 2.0, "{rate}");
    run(&mut w, Peer::Client(a), "Api.Move.fire(3)");
    w.run_for(0.1).unwrap();
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return got"), 3.0);
    assert_no_errors(&w);
}

#[test]
fn fragment_framing_matches_the_documented_example() {
    let mut w = world("");
    // docs/runtime.md, "Splittable events": 2,000 bytes of event id 7, sequence 5.
    let heads: String = eval(
        &mut w,
        Peer::Server,
        r#"
        local Wire = require(game:GetService("ReplicatedStorage").Shared.Net.Wire)
        local parts = Wire.split(7, 5, buffer.create(2000))
        local out = {}
        for _, b in parts do
            local hex = {}
            local head = buffer.len(b) - (if #out < 2 then 940 else 120)
            for i = 0, head - 1 do table.insert(hex, string.format("%02X", buffer.readu8(b, i))) end
            table.insert(out, table.concat(hex, " ") .. " +" .. (buffer.len(b) - head))
        end
        return table.concat(out, "|")
        "#,
    );
    assert_eq!(
        heads,
        "FF 7F B3 07 07 05 00 00 03 D0 0F +940|FF 7F B3 07 07 05 00 01 03 D0 0F +940|FF 7F 7F 07 05 00 02 03 D0 0F +120"
    );
}

#[test]
fn yielding_handlers_do_not_stall_their_batch() {
    let mut w = world(
        r#"
        log = {}
        Api.Pick.connect(function(p, c)
            table.insert(log, "start " .. c)
            task.wait(0.5)
            table.insert(log, "end " .. c)
        end)
        "#,
    );
    let a = join(&mut w, "Alice", "");
    // Three messages in one batch; every handler yields, the last one inline.
    run(
        &mut w,
        Peer::Client(a),
        r#"Api.Pick.fire("Red") Api.Pick.fire("Green") Api.Pick.fire("Blue")"#,
    );
    w.run_for(0.1).unwrap();
    assert_eq!(
        w.counters().get(RELIABLE, a, Direction::Up).sent_messages,
        1
    );
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(log, ',')"),
        "start Red,start Green,start Blue"
    );
    w.run_for(0.6).unwrap();
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return table.concat(log, ',')"),
        "start Red,start Green,start Blue,end Red,end Green,end Blue"
    );
    assert_no_errors(&w);
}

const FORMAT_SCHEMA: &str = r#"
use skyrocket::NetCodec;

#[derive(NetCodec)]
pub struct Note {
    #[net(max_len = 4000)]
    pub text: String,
    pub n: u16,
}

#[derive(NetCodec)]
pub struct Query {
    pub id: u32,
}

#[skyrocket::protocol]
pub mod net {
    use super::*;
    #[event(to_server, codec = "json")]
    pub type JsonUp = Note;
    #[event(to_client, codec = "json")]
    pub type JsonDown = Note;
    #[event(to_server, codec = "protobuf", compress)]
    pub type PackedUp = Note;
    #[event(to_client, codec = "protobuf", compress)]
    pub type PackedDown = Note;
    #[event(to_server, codec = "json", compress = 64)]
    pub type Logged = Note;
    #[event(to_client, compress = 0)]
    pub type Squeezed = Note;
    #[function(to_server, codec = "msgpack")]
    pub type Lookup = fn(Query) -> Note;
    #[channel(codec = "msgpack", compress = 16)]
    pub mod admin {
        use super::*;
        #[function(to_client)]
        pub type Ask = fn(Query) -> Note;
        #[event(to_client, unreliable, splittable)]
        pub type Dump = Note;
    }
}
"#;

fn format_world(server_setup: &str) -> World {
    world_of(FORMAT_SCHEMA, true, server_setup)
}

#[test]
fn json_protobuf_and_msgpack_remotes_deliver_typed_values_both_ways() {
    let mut w = format_world(
        r#"
        got = {}
        local function note(tag) return function(player, v) table.insert(got, tag .. ":" .. v.text:sub(1, 5) .. ":" .. #v.text .. ":" .. v.n) end end
        Api.JsonUp.connect(note("json"))
        Api.PackedUp.connect(note("proto"))
        Api.Lookup.onInvoke(function(player, q) return { text = "found " .. q.id, n = q.id } end)
        "#,
    );
    let a = join(
        &mut w,
        "Alice",
        r#"
        got = {}
        local function note(tag) return function(v) table.insert(got, tag .. ":" .. v.text:sub(1, 5) .. ":" .. #v.text .. ":" .. v.n) end end
        Api.JsonDown.connect(note("json"))
        Api.PackedDown.connect(note("proto"))
        Api.Admin.Dump.connect(note("dump"))
        Api.Squeezed.connect(note("bits"))
        Api.Admin.Ask.onInvoke(function(q) return { text = string.rep("z", q.id), n = 9 } end)
        Api.JsonUp.fire({ text = "héllo \"json\"", n = 1 })
        Api.PackedUp.fire({ text = string.rep("abc", 1000), n = 2 })
        task.spawn(function()
            local v, err = Api.Lookup.invoke({ id = 42 })
            lookup = if v then v.text .. "/" .. v.n else err
        end)
        "#,
    );
    w.run_for(0.3).unwrap();
    run(
        &mut w,
        Peer::Server,
        &format!(
            r#"
        local alice = game:GetService("Players"):GetPlayerByUserId({a})
        Api.JsonDown.fire(alice, {{ text = "down", n = 3 }})
        Api.PackedDown.fire(alice, {{ text = string.rep("xy", 1500), n = 4 }})
        Api.Admin.Dump.fire(alice, {{ text = string.rep("d", 3000), n = 5 }})
        Api.Squeezed.fire(alice, {{ text = string.rep("s", 3000), n = 6 }})
        task.spawn(function()
            local v, err = Api.Admin.Ask.invoke(alice, {{ id = 500 }})
            asked = if v then #v.text .. "/" .. v.n else err
        end)
        "#
        ),
    );
    w.run_for(0.3).unwrap();
    assert_no_errors(&w);
    let server: String = eval(&mut w, Peer::Server, "return table.concat(got, ',')");
    assert_eq!(server, "json:héll:13:1,proto:abcab:3000:2");
    // Unreliable (Dump) and reliable messages are not ordered between them.
    let client: String = eval(
        &mut w,
        Peer::Client(a),
        "table.sort(got) return table.concat(got, ',')",
    );
    assert_eq!(
        client,
        "bits:sssss:3000:6,dump:ddddd:3000:5,json:down:4:3,proto:xyxyx:3000:4"
    );
    assert_eq!(
        eval::<String>(&mut w, Peer::Client(a), "return lookup"),
        "found 42/42"
    );
    assert_eq!(
        eval::<String>(&mut w, Peer::Server, "return asked"),
        "500/9"
    );
    // Compression made the 3000-character events far smaller on the wire.
    let up = w.counters().get(RELIABLE, a, Direction::Up).sent_bytes;
    assert!(up < 1000, "{up} bytes up");
    let down = w.counters().get(RELIABLE, a, Direction::Down).sent_bytes;
    assert!(down < 2000, "{down} bytes down");
}

#[test]
fn bit_packed_games_never_load_formats_and_formatted_sends_are_bounded() {
    // No Formats/ and no Schema beside Net: bit-packed remotes work, a
    // formatted one fails on send with a clear error.
    let mut w = world_of(FORMAT_SCHEMA, false, "");
    let a = join(
        &mut w,
        "Alice",
        "got = 0 Api.Squeezed.connect(function() got += 1 end)",
    );
    let err: String = eval(
        &mut w,
        Peer::Client(a),
        r#"local ok, e = pcall(Api.JsonUp.fire, { text = "x", n = 1 }) return tostring(e)"#,
    );
    assert!(
        err.contains("Formats and Schema must sit beside Net"),
        "{err}"
    );
    // maxSize bounds the encoded payload, whatever the codec.
    let mut w = format_world("");
    let err: String = eval(
        &mut w,
        Peer::Server,
        r#"
        local Shared = game:GetService("ReplicatedStorage").Shared
        local Net = require(Shared.Net)
        local codec = Net.format(require(Shared.Codecs), "json", "Note", { maxSize = 19 })
        assert(buffer.tostring((codec.encode({ text = "ab", n = 1 }))) == '{"text":"ab","n":1}')
        local ok, e = pcall(codec.encode, { text = "abc", n = 1 })
        return tostring(e)
        "#,
    );
    assert_eq!(
        err,
        "json: payload of 20 bytes exceeds the 19-byte limit of this remote"
    );
}

/// The bytes of message `id` in a batch (varint id, varint length, payload).
fn message_payload(batch: &[u8], id: u64) -> Option<Vec<u8>> {
    let varint = |b: &[u8], p: &mut usize| -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..28).step_by(7) {
            let byte = *b.get(*p)?;
            *p += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(v);
            }
        }
        None
    };
    let mut p = 0;
    while p < batch.len() {
        let mid = varint(batch, &mut p)?;
        let len = varint(batch, &mut p)? as usize;
        let body = batch.get(p..p + len)?;
        if mid == id {
            return Some(body.to_vec());
        }
        p += len;
    }
    None
}

#[test]
fn runtime_payloads_are_byte_identical_to_rust_encode_payload() {
    use skyrocket_formats::compress::Compression;
    let mut w = format_world(
        r#"
        local remote = game:GetService("ReplicatedStorage").SkyrocketRemotes.Reliable
        remote.OnServerEvent:Connect(function(player, b) lastBatch = b end)
        "#,
    );
    let a = join(&mut w, "Alice", "");
    let text = "héllo, \"world\"\n".repeat(20);
    let luau_text = text.replace('\n', "\\n").replace('"', "\\\"");
    run(
        &mut w,
        Peer::Client(a),
        &format!(r#"Api.Logged.fire({{ text = "{luau_text}", n = 65535 }})"#),
    );
    w.run_for(0.1).unwrap();
    assert_no_errors(&w);
    let batch: mlua::Value = eval(&mut w, Peer::Server, "return lastBatch");
    let mlua::Value::Buffer(batch) = batch else {
        panic!("no batch captured: {batch:?}")
    };
    let luau = message_payload(&batch.to_vec(), 4).expect("Logged is message id 4");
    // The same value in Rust, from the bit-packed bytes the Luau codec writes.
    let packed: mlua::Value = eval(
        &mut w,
        Peer::Server,
        &format!(
            r#"return require(game:GetService("ReplicatedStorage").Shared.Codecs).Note.encode({{ text = "{luau_text}", n = 65535 }})"#
        ),
    );
    let mlua::Value::Buffer(packed) = packed else {
        panic!("{packed:?}")
    };
    let (schema, _) = skyrocket_schema::parse_file_with_protocol(FORMAT_SCHEMA).unwrap();
    let ty = skyrocket_schema::Ty::Named("Note".into());
    let value = skyrocket::dynamic::from_bytes(&schema, &ty, &packed.to_vec(), &[]).unwrap();
    let compression = Compression {
        threshold: 64,
        ..Compression::default()
    };
    let rust = skyrocket_formats::encode_payload(
        &skyrocket_formats::Registry::default(),
        "json",
        Some(&compression),
        &schema,
        &ty,
        &value,
    )
    .unwrap();
    assert_eq!(luau, rust.bytes);
    assert_eq!(
        luau[0],
        skyrocket_formats::compress::ZSTD,
        "compressed frame"
    );
}

#[test]
fn garbage_and_zip_bombs_on_formatted_events_are_reported_and_dropped() {
    use skyrocket_formats::compress::Compression;
    let mut w = format_world(
        r#"
        said = {}
        local function count(player) said[player.Name] = (said[player.Name] or 0) + 1 end
        Api.JsonUp.connect(count)
        Api.PackedUp.connect(count)
        limited = {}
        Api.net:onLimited(function(player, reason, remote)
            local k = reason .. ":" .. tostring(remote)
            limited[k] = (limited[k] or 0) + 1
        end)
        "#,
    );
    let good = join(&mut w, "Good", "");
    let bad = join(&mut w, "Bad", "");
    // 4 MiB of zeros in a 140-byte zstd frame, declared size and all.
    let bomb = Compression {
        threshold: 0,
        max_decompressed: usize::MAX,
        ..Compression::default()
    }
    .pack(&vec![0u8; 4 << 20])
    .unwrap();
    assert!(bomb.len() < 1000, "{}", bomb.len());
    let hex: String = bomb.iter().map(|b| format!("{b:02x}")).collect();
    run(
        &mut w,
        Peer::Client(good),
        r#"task.spawn(function() for i = 1, 10 do Api.JsonUp.fire({ text = "ok", n = i }) Api.PackedUp.fire({ text = string.rep("ok", 200), n = i }) task.wait(0.05) end end)"#,
    );
    run(
        &mut w,
        Peer::Client(bad),
        &format!(
            r#"
        local R = game:GetService("ReplicatedStorage").SkyrocketRemotes.Reliable
        local function message(id, payload)
            local b = buffer.create(3 + #payload)
            buffer.writeu8(b, 0, id)
            buffer.writeu8(b, 1, bit32.bor(#payload % 128, 128))
            buffer.writeu8(b, 2, #payload // 128)
            buffer.writestring(b, 3, payload)
            return b
        end
        local hex = "{hex}"
        local bomb = hex:gsub("..", function(h) return string.char(tonumber(h, 16)) end)
        task.spawn(function()
            for i = 1, 10 do
                R:FireServer(message(0, '{{"text":"unterminated'))     -- JsonUp: bad JSON
                R:FireServer(message(0, '{{"text":"x","n":70000}}'))   -- JsonUp: n out of range
                R:FireServer(message(2, "\7garbage"))                 -- PackedUp: unknown frame header
                R:FireServer(message(2, bomb))                        -- PackedUp: zip bomb
                task.wait(0.05)
            end
        end)
        "#
        ),
    );
    w.run_for(1.0).unwrap();
    assert_no_errors(&w);
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return said.Good"), 20.0);
    assert_eq!(
        eval::<f64>(&mut w, Peer::Server, "return said.Bad or 0"),
        0.0
    );
    let report: String = eval(
        &mut w,
        Peer::Server,
        "local k = {} for r, n in limited do table.insert(k, r .. '=' .. n) end table.sort(k) return table.concat(k, ',')",
    );
    assert_eq!(report, "decode:JsonUp=20,decompress:PackedUp=20");
    assert!(eval::<bool>(
        &mut w,
        Peer::Server,
        &format!("return Api.net:limitReport()[{good}] == nil")
    ));
    // The cap is read live from the config: 400 bytes decompressed refuses
    // the honest client's 400-character note too.
    run(
        &mut w,
        Peer::Server,
        "Api.net.config.maxDecompressed = 300 limited = {}",
    );
    run(
        &mut w,
        Peer::Client(good),
        r#"Api.PackedUp.fire({ text = string.rep("ok", 200), n = 1 })"#,
    );
    w.run_for(0.1).unwrap();
    assert_eq!(eval::<f64>(&mut w, Peer::Server, "return said.Good"), 20.0);
    assert_eq!(
        eval::<f64>(
            &mut w,
            Peer::Server,
            "return limited['decompress:PackedUp']"
        ),
        1.0
    );
}

#[test]
fn formatted_declarations_are_checked_at_generation() {
    let check = |from: &str, to: &str, want: &str| {
        let src = FORMAT_SCHEMA.replace(from, to);
        assert_ne!(src, FORMAT_SCHEMA, "{from}");
        let err = match skyrocket_schema::parse_file_with_protocol(&src) {
            Err(e) => e,
            Ok((schema, protocol)) => match generate_api(&schema, &protocol, "Codecs") {
                Err(skyrocket_luau::GenError::Schema(e)) => e,
                other => panic!("{from} -> {to}: {:?}", other.map(|_| ())),
            },
        };
        assert!(
            err.iter().any(|e| e.message.contains(want)),
            "{want}: {err:?}"
        );
    };
    check(
        "codec = \"json\")]\n    pub type JsonUp",
        "codec = \"yaml\")]\n    pub type JsonUp",
        "unknown codec `yaml`",
    );
    check(
        "#[event(to_client, unreliable, splittable)]",
        "#[event(to_client, unreliable)]",
        "uses codec `msgpack`, whose size is not bounded",
    );
    check(
        "pub type JsonUp = Note;",
        "pub type JsonUp = u32;",
        "needs a #[derive(NetCodec)] type",
    );
}

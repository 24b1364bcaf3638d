//! The runtime's debug panel (`runtime/Net/DebugPanel.luau`) in the embedded
//! host: its data layer (sections, text, summary) against the profiler's
//! counters, and the GUI it builds on a client.

use skyrocket_luau::protocol::{generate_api, RUNTIME_FILES};
use skyrocket_luau::{generate, GenOptions};
use skyrocket_sim::{Peer, World, WorldConfig};

const SCHEMA: &str = r#"
use skyrocket::NetCodec;

#[derive(NetCodec)]
pub struct Line {
    #[net(max_len = 50)]
    pub text: String,
}

#[skyrocket::protocol]
pub mod net {
    use super::*;
    #[event(to_server, rate = 2, burst = 2)]
    pub type Say = Line;
    #[event(to_client)]
    pub type Echo = Line;
    #[function(to_server)]
    pub type Double = fn(u8) -> u8;
}
"#;

const PRELUDE: &str = "local RS = game:GetService('ReplicatedStorage')
Api = require(RS.Shared.Protocol)
Panel = require(RS.Shared.Net.DebugPanel)
";

/// Server echoes `Say` to everyone and answers `Double`; one client says
/// five lines at once (three over its rate) and calls `Double` twice.
fn world() -> (World, u64) {
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
    let server = format!(
        "{PRELUDE}
        Api.Say.connect(function(player, line) Api.Echo.fireAll(line) end)
        Api.Double.onInvoke(function(player, n) return n * 2 end)"
    );
    w.run(Peer::Server, &server, "ServerScriptService.Main")
        .unwrap();
    w.step().unwrap();
    let uid = w.add_player("Alice").unwrap();
    w.step().unwrap();
    let client = format!(
        "{PRELUDE}
        for i = 1, 5 do Api.Say.fire({{ text = 'hi ' .. i }}) end
        task.spawn(function()
            answers = {{ Api.Double.invoke(4), Api.Double.invoke(5) }}
        end)"
    );
    w.run(Peer::Client(uid), &client, "StarterPlayerScripts.Main")
        .unwrap();
    w.run_for(1.0).unwrap();
    assert!(w.errors().is_empty(), "{:#?}", w.errors());
    (w, uid)
}

fn eval<R: mlua::FromLuaMulti>(w: &mut World, peer: Peer, src: &str) -> R {
    w.eval(peer, src).expect("eval")
}

#[test]
fn sections_are_the_profiler_counters_as_rows() {
    let (mut w, uid) = world();
    // Each row of the remotes section against the counter it shows.
    let mismatches: String = eval(
        &mut w,
        Peer::Server,
        r#"
        local stats = Api.net:stats()
        local sections = Panel.sections(stats, Api.net:limitReport(), 2, { [UserIdOfAlice] = "Alice" })
        local bad = {}
        local seen = 0
        for _, row in sections[1].rows do
            local c = stats.remotes[row[1]]
            seen += 1
            local want = { tostring(c.callsOut), tostring(c.bytesOut), string.format("%.1f", c.callsOut / 2),
                string.format("%.1f", c.bytesOut / 2), tostring(c.callsIn), tostring(c.bytesIn),
                string.format("%.1f", c.callsIn / 2), string.format("%.1f", c.bytesIn / 2) }
            for i, v in want do
                if row[i + 1] ~= v then
                    table.insert(bad, `{row[1]} column {i + 1}: {row[i + 1]} ~= {v}`)
                end
            end
        end
        if seen ~= 3 then table.insert(bad, `{seen} remote rows`) end
        return table.concat(bad, "\n")
        "#
        .replace("UserIdOfAlice", &uid.to_string())
        .as_str(),
    );
    assert_eq!(mismatches, "");

    let (say_in, echo_out, double_in): (u32, u32, u32) = eval(
        &mut w,
        Peer::Server,
        "local s = Api.net:stats() return s.remotes.Say.callsIn, s.remotes.Echo.callsOut, s.remotes.Double.callsIn",
    );
    // Two of five lines pass the rate limit (burst 2) and are echoed; both calls arrive.
    assert_eq!((say_in, echo_out, double_in), (2, 2, 2));

    let text: String = eval(
        &mut w,
        Peer::Server,
        "return Panel.text(Panel.sections(Api.net:stats(), Api.net:limitReport(), 1, { [UserIdOfAlice] = 'Alice' }))"
            .replace("UserIdOfAlice", &uid.to_string())
            .as_str(),
    );
    let say = text
        .lines()
        .find(|l| l.trim_start().starts_with("Say "))
        .unwrap_or_else(|| panic!("no Say row:\n{text}"));
    let cells: Vec<&str> = say.split_whitespace().collect();
    assert_eq!(cells[5], "2", "calls in: {say}");
    assert_eq!(cells[7], "2.0", "calls/s in over 1 s: {say}");
    let limited = text
        .lines()
        .skip_while(|l| !l.starts_with("rate-limited"))
        .nth(2)
        .unwrap_or_else(|| panic!("no rate-limited row:\n{text}"));
    assert!(
        limited.contains(&format!("Alice ({uid})")) && limited.contains("rate=3"),
        "{text}"
    );
    assert!(
        !text.contains("function round trips"),
        "the server called no function:\n{text}"
    );
}

#[test]
fn client_summary_has_round_trips_and_what_arrived() {
    let (mut w, uid) = world();
    let answers: (u8, u8) = eval(&mut w, Peer::Client(uid), "return answers[1], answers[2]");
    assert_eq!(answers, (8, 10));
    let summary: String = eval(
        &mut w,
        Peer::Client(uid),
        "return Panel.report(Api.net, false)",
    );
    assert!(summary.contains("received Double=2 Echo=2"), "{summary}");
    assert!(
        summary.contains("Double rtt avg") && summary.contains("2 answered, 0 timeouts"),
        "{summary}"
    );
    assert!(!summary.contains('\n'), "{summary}");
}

#[test]
fn pure_data_layer_formats_given_figures() {
    let (mut w, _) = world();
    let text: String = eval(
        &mut w,
        Peer::Server,
        r#"
        local c = { bytesOut = 300, bytesIn = 0, callsOut = 30, callsIn = 0 }
        local stats = { remotes = { B = c, A = { bytesOut = 0, bytesIn = 40, callsOut = 0, callsIn = 4 } },
            players = { [0] = c }, rtt = { F = { count = 2, last = 0.05, average = 0.04, max = 0.05, timeouts = 1 } },
            queueDepth = { [7] = 3 }, pendingCalls = 1, limited = {}, startedAt = 0 }
        return Panel.text(Panel.sections(stats, { [7] = { rate = 2, bytes = 1 } }, 10, { [7] = "Bo" }))
        "#,
    );
    let expected = "\
remotes
  remote  calls out  bytes out  calls/s out  B/s out  calls in  bytes in  calls/s in  B/s in
  A               0          0          0.0      0.0         4        40         0.4     4.0
  B              30        300          3.0     30.0         0         0         0.0     0.0
players
  player  calls out  bytes out  calls/s out  B/s out  calls in  bytes in  calls/s in  B/s in
  server         30        300          3.0     30.0         0         0         0.0     0.0
function round trips
  function  answered  avg ms  max ms  last ms  timeouts
  F                2    40.0    50.0     50.0         1
rate-limited
  player  offenses  reasons
  Bo (7)         3  bytes=1 rate=2
state
  uptime s  pending calls  queued messages
  10.0                  1                3";
    assert_eq!(text, expected);
}

#[test]
fn panel_builds_gui_instances_and_refreshes() {
    let (mut w, uid) = world();
    let client = Peer::Client(uid);
    w.run(
        client,
        &format!(
            "{PRELUDE}
            local gui = game:GetService('Players').LocalPlayer:WaitForChild('PlayerGui')
            panel = Panel.mount(gui, Api.net, 0.5)
            function texts()
                local out = {{}}
                for _, l in panel.gui.Panel:GetChildren() do
                    if l.Visible then table.insert(out, l.Text) end
                end
                return table.concat(out, '|')
            end"
        ),
        "StarterPlayerScripts.Panel",
    )
    .unwrap();
    w.step().unwrap();
    let (class, parent, first): (String, String, String) = eval(
        &mut w,
        client,
        "return panel.gui.ClassName, panel.gui.Parent.ClassName, texts()",
    );
    assert_eq!(
        (class.as_str(), parent.as_str()),
        ("ScreenGui", "PlayerGui")
    );
    assert!(first.starts_with("remotes|remote|calls out"), "{first}");
    assert!(first.contains("|Echo|0|0|0.0|0.0|2|"), "{first}");
    // More traffic, then a refresh: the labels follow the counters.
    w.run(client, "Api.Say.fire({ text = 'later' })", "Test")
        .unwrap();
    w.run_for(1.0).unwrap();
    let later: String = eval(&mut w, client, "return texts()");
    assert!(later.contains("|Echo|0|0|0.0|0.0|3|"), "{later}");
    let labels: u32 = eval(
        &mut w,
        client,
        "local n = 0 for _, l in panel.gui.Panel:GetChildren() do if l:IsA('TextLabel') then n += 1 end end return n",
    );
    assert!(labels > 20, "{labels} labels");
    let gone: bool = eval(
        &mut w,
        client,
        "local g = panel.gui panel.destroy() return g.Parent == nil",
    );
    assert!(gone);
    assert!(w.errors().is_empty(), "{:#?}", w.errors());
}

#[test]
fn plugins_register_middleware_tick_hooks_and_panels() {
    let (mut w, uid) = world();
    let (plugins, said_before): (String, u32) = eval(
        &mut w,
        Peer::Server,
        r#"
        ticks, said, errors = 0, 0, {}
        Api.net:onError(function(info) table.insert(errors, info.remote .. ": " .. info.message) end)
        local plugin = {
            name = "audit",
            install = function(net)
                net:use({ inbound = function(ctx) if ctx.remote == "Say" then said += 1 end return true end })
                net:onTick(function(dt) assert(dt >= 0) ticks += 1 end)
                net:addPanel("Audit", function()
                    return { columns = { "counter", "value" }, rows = { { "said", tostring(said) }, { "ticks", tostring(ticks) } } }
                end)
            end,
        }
        Api.net:use(plugin)
        removeBroken = Api.net:onTick(function() error("tick exploded") end)
        Api.net:addPanel("Broken", function() error("no data") end)
        return table.concat(Api.net:plugins(), ","), said
        "#,
    );
    assert_eq!(plugins, "audit");
    assert_eq!(said_before, 0);
    w.run(
        Peer::Client(uid),
        "for i = 1, 2 do Api.Say.fire({ text = 'again ' .. i }) end",
        "Test",
    )
    .unwrap();
    w.run_for(0.5).unwrap();
    let (ticks, said, first_error, error_count): (u32, u32, String, u32) = eval(
        &mut w,
        Peer::Server,
        "removeBroken(); return ticks, said, errors[1], #errors",
    );
    // 0.5 s at 60 Hz, and the failing hook did not stop the plugin's.
    assert!((25..=31).contains(&ticks), "{ticks} ticks");
    assert_eq!(said, 2, "middleware saw the two lines");
    assert!(first_error.starts_with("tick: "), "{first_error}");
    assert!(first_error.contains("tick exploded"), "{first_error}");
    // One error a frame, reported at most `errorRateCap` (10) times a second.
    assert!((10..=20).contains(&error_count), "{error_count}");
    w.run_for(0.2).unwrap();
    let (errors_after, report): (u32, String) = eval(
        &mut w,
        Peer::Server,
        "return #errors, Panel.report(Api.net)",
    );
    assert_eq!(errors_after, error_count, "removed hook no longer runs");
    let audit = report.find("Audit").expect("plugin panel in the report");
    assert!(report[audit..].contains("said"), "{report}");
    assert!(report[audit..].contains('2'), "{report}");
    let broken = report.find("Broken").expect("failing panel shown");
    assert!(report[broken..].contains("no data"), "{report}");
}

//! World behaviour: services, instances, signals, scheduler, remotes.

use skyrocket_sim::{Direction, LinkConfig, Peer, World, WorldConfig};

fn world() -> World {
    World::new(WorldConfig::default()).expect("world")
}

fn assert_no_errors(w: &World) {
    assert!(w.errors().is_empty(), "script errors: {:#?}", w.errors());
}

#[test]
fn smoke_remote_event_round_trip() {
    let mut w = world();
    w.run(
        Peer::Server,
        r#"
        local rs = game:GetService("ReplicatedStorage")
        local ev = Instance.new("RemoteEvent")
        ev.Name = "Ping"
        ev.Parent = rs
        ev.OnServerEvent:Connect(function(player, n)
            ev:FireClient(player, n + 1)
        end)
        "#,
        "ServerMain",
    )
    .expect("server");
    let uid = w.add_player("Alice").expect("join");
    w.run(
        Peer::Client(uid),
        r#"
        local ev = game:GetService("ReplicatedStorage"):WaitForChild("Ping")
        ev.OnClientEvent:Connect(function(n) _G_result = n end)
        ev:FireServer(41)
        "#,
        "ClientMain",
    )
    .expect("client");
    w.run_for(0.5).expect("run");
    assert_no_errors(&w);
    let up = w
        .counters()
        .get("ReplicatedStorage.Ping", uid, Direction::Up);
    assert_eq!(up.sent_messages, 1);
    let _ = LinkConfig::PERFECT;
}

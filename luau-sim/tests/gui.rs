//! GUI instances (ScreenGui, Frame, TextLabel) hold their properties, and
//! each client's own Player has a PlayerGui; `simulate_with_report` adds
//! what the game reports on each peer.

use skyrocket_sim::{Peer, World, WorldConfig};

#[test]
fn gui_objects_keep_properties_and_check_their_types() {
    let mut w = World::new(WorldConfig::default()).expect("world");
    let uid = w.add_player("Ann").expect("player");
    w.add_player("Ben").expect("player");
    w.step().expect("step");
    let client = Peer::Client(uid);
    let (gui_parent, other_has_gui, text, size, visible, is_gui, default_size): (
        String,
        bool,
        String,
        f64,
        bool,
        bool,
        f64,
    ) = w
        .eval(
            client,
            r#"
            local Players = game:GetService("Players")
            local gui = Instance.new("ScreenGui")
            gui.ResetOnSpawn = false
            gui.Parent = Players.LocalPlayer:WaitForChild("PlayerGui")
            local label = Instance.new("TextLabel", Instance.new("Frame", gui))
            label.Text = "hello"
            label.Size = UDim2.fromOffset(120, 16)
            label.Visible = false
            local ben = Players:FindFirstChild("Ben")
            return gui.Parent:GetFullName(), ben:FindFirstChild("PlayerGui") ~= nil, label.Text,
                label.Size.X.Offset, label.Visible, label:IsA("GuiObject"), Instance.new("Frame").Size.Y.Offset
            "#,
        )
        .expect("eval");
    assert_eq!(gui_parent, "Players.Ann.PlayerGui");
    assert!(!other_has_gui, "only the local player has a PlayerGui");
    assert_eq!(
        (text.as_str(), size, visible, is_gui, default_size),
        ("hello", 120.0, false, true, 100.0)
    );
    let err = w
        .eval::<()>(client, "Instance.new('TextLabel').Text = 5")
        .expect_err("a number is not a string");
    assert!(
        err.to_string().contains("Unable to assign property Text"),
        "{err}"
    );
    let server_gui: bool = w
        .eval(
            Peer::Server,
            "return game:GetService('Players').Ann:FindFirstChild('PlayerGui') ~= nil",
        )
        .expect("eval");
    assert!(!server_gui, "PlayerGui is the client's own");
}

#[test]
fn simulate_with_report_collects_each_peers_text() {
    let dir = std::env::temp_dir().join(format!("skyrocket-sim-report-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("ServerScriptService")).unwrap();
    std::fs::write(
        dir.join("ServerScriptService/Main.server.luau"),
        "game:GetService('RunService').Heartbeat:Connect(function() frames = (frames or 0) + 1 end)",
    )
    .unwrap();
    let o = skyrocket_sim::cli::Options::parse(&[
        dir.display().to_string(),
        "--clients".into(),
        "2".into(),
        "--seconds".into(),
        "1".into(),
    ])
    .unwrap();
    let chunk = "if game:GetService('RunService'):IsServer() then return 'server saw ' .. frames .. ' frames' end
        return 'I am ' .. game:GetService('Players').LocalPlayer.Name";
    let r = skyrocket_sim::cli::simulate_with_report(&o, Some(chunk)).unwrap();
    assert_eq!(
        r.peer_reports,
        vec![
            ("server".to_string(), "server saw 60 frames".to_string()),
            ("Player1".to_string(), "I am Player1".to_string()),
            ("Player2".to_string(), "I am Player2".to_string()),
        ]
    );
    assert!(r.to_string().contains("Player2: I am Player2"), "{r}");
    let failing = skyrocket_sim::cli::simulate_with_report(&o, Some("error('no report')")).unwrap();
    assert!(
        failing.peer_reports[0].1.starts_with("report failed:")
            && failing.peer_reports[0].1.contains("no report"),
        "{:?}",
        failing.peer_reports
    );
    let _ = std::fs::remove_dir_all(&dir);
}

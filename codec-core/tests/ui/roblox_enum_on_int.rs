use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Input {
    #[net(roblox_enum = "KeyCode")]
    key: u16,
}

fn main() {}

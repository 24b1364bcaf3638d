use skyrocket::NetCodec;

fn start() -> u32 {
    1
}

#[derive(NetCodec)]
struct Player {
    #[net(default = "start")]
    level: u32,
}

fn main() {}

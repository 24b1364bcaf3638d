use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(max_depth = 4)]
    level: u8,
}

fn main() {}

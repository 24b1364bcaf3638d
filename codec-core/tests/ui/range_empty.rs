use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(range = 10..=1)]
    health: u8,
}

fn main() {}

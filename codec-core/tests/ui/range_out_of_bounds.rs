use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(range = 0..=300)]
    health: u8,
}

fn main() {}

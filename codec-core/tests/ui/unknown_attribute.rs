use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(rnage = 0..=9)]
    level: u8,
}

fn main() {}

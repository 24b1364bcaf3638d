use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(range = 0..=9, varint)]
    score: u32,
}

fn main() {}

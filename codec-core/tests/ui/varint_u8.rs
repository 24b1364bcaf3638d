use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(varint)]
    level: u8,
}

fn main() {}

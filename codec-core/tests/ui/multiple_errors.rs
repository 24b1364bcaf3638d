use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(varint)]
    level: u8,
    #[net(half)]
    name: String,
    index: isize,
}

fn main() {}

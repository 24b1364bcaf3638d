use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(half)]
    level: u16,
}

fn main() {}

use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(max_len = 16)]
    id: u32,
}

fn main() {}

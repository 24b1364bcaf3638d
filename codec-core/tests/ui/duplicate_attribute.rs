use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(max_len = 8, max_len = 9)]
    name: String,
}

fn main() {}

use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    index: usize,
}

fn main() {}

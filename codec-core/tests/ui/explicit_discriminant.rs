use skyrocket::NetCodec;

#[derive(NetCodec)]
enum Team {
    Red = 1,
    Blue = 2,
}

fn main() {}

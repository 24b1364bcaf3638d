use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(range = 0..=9)]
    speed: f32,
}

fn main() {}

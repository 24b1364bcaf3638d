use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(quantize(min = 0.0, max = 1.0, step = 0.0))]
    aim: f32,
}

fn main() {}

use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(quantize(min = 0.0, max = 1e12, step = 0.00001))]
    distance: f64,
}

fn main() {}

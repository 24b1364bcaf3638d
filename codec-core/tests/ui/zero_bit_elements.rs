use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Markers {
    markers: Vec<()>,
}

fn main() {}

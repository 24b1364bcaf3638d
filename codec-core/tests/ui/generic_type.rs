use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Wrapper<T> {
    value: T,
}

fn main() {}

use skyrocket::NetCodec;

#[derive(NetCodec)]
struct Player {
    #[net(lossless)]
    position: skyrocket::roblox::Vector3,
}

fn main() {}

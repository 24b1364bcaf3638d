use skyrocket::NetCodec;

use skyrocket::roblox::EnumItem;

#[derive(NetCodec)]
struct Input {
    key: EnumItem,
}

fn main() {}

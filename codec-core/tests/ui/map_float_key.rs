use skyrocket::NetCodec;

use std::collections::HashMap;

#[derive(NetCodec)]
struct Scores {
    by_weight: HashMap<f32, u32>,
}

fn main() {}

//! Arbitrary bytes into every decoder of the arena schema: no panic, and an
//! accepted input re-encodes to exactly the same bytes (canonical form).
#![no_main]

use libfuzzer_sys::fuzz_target;
use skyrocket::NetCodec;

#[allow(dead_code)]
#[path = "../../examples/arena/schema.rs"]
mod arena;

fn canonical<T: NetCodec>(data: &[u8]) {
    if let Ok(value) = T::from_bytes(data) {
        let again = value.to_bytes().expect("a decoded value re-encodes");
        assert_eq!(again, data, "accepted a non-canonical encoding");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    match selector % 8 {
        0 => canonical::<arena::Snapshot>(data),
        1 => canonical::<arena::PlayerState>(data),
        2 => canonical::<arena::Inventory>(data),
        3 => canonical::<arena::ChatMessage>(data),
        4 => canonical::<arena::InputFrame>(data),
        5 => canonical::<arena::ItemStack>(data),
        6 => canonical::<arena::ChatChannel>(data),
        // Rotations are lossy: only check that decoding never panics.
        _ => {
            let _ = arena::ProjectileSpawned::from_bytes(data);
        }
    }
});

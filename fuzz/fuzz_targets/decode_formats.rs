//! Arbitrary bytes into every registered format's decoder but the bit-packed one (JSON,
//! MessagePack, Protobuf ...) and the zstd framing, for the arena schema:
//! no panic, and an accepted value re-encodes and decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skyrocket::NetCodec;
use skyrocket_formats::compress::Compression;
use skyrocket_formats::Registry;

#[allow(dead_code)]
#[path = "../../examples/arena/schema.rs"]
mod arena;

fn stable<T: NetCodec>(registry: &Registry, codec_index: usize, data: &[u8]) {
    let (schema, ty) = T::schema();
    // The bit-packed codec has its own targets (decode_arena, derive_vs_dynamic).
    let names: Vec<&str> = registry.names().filter(|n| *n != "skyrocket").collect();
    let Some(codec) = registry.get(names[codec_index % names.len()]) else {
        return;
    };
    if let Ok(value) = codec.decode(&schema, &ty, data, &[]) {
        let encoded = codec
            .encode(&schema, &ty, &value)
            .expect("a decoded value re-encodes");
        let again = codec
            .decode(&schema, &ty, &encoded.bytes, &encoded.instances)
            .expect("a re-encoded value decodes");
        assert!(
            format!("{again:?}") == format!("{value:?}"),
            "{}: value changed through a round trip",
            codec.name()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    let registry = Registry::default();
    let codec = (selector >> 3) as usize;
    match selector % 8 {
        0 => stable::<arena::Snapshot>(&registry, codec, data),
        1 => stable::<arena::PlayerState>(&registry, codec, data),
        2 => stable::<arena::Inventory>(&registry, codec, data),
        3 => stable::<arena::ChatMessage>(&registry, codec, data),
        4 => stable::<arena::InputFrame>(&registry, codec, data),
        5 => stable::<arena::ProjectileSpawned>(&registry, codec, data),
        6 => stable::<arena::ChatChannel>(&registry, codec, data),
        _ => {
            let cap = Compression {
                max_decompressed: 1 << 16,
                ..Compression::default()
            };
            if let Ok(out) = cap.unpack(data) {
                assert!(out.len() <= 1 << 16);
            }
        }
    }
});

//! Differential: the derived decoder and the schema-driven dynamic decoder
//! must accept the same inputs and agree on the re-encoded bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skyrocket::dynamic;
use skyrocket::schema::Ty;
use skyrocket::NetCodec;
use std::sync::OnceLock;

#[allow(dead_code)]
#[path = "../../conformance/schemas/features.rs"]
mod features;

fn schema() -> &'static skyrocket::schema::Schema {
    static SCHEMA: OnceLock<skyrocket::schema::Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        skyrocket_schema::parse_file(include_str!("../../conformance/schemas/features.rs"))
            .expect("the feature schema parses")
    })
}

fn compare<T: NetCodec>(name: &str, data: &[u8]) {
    let instances: Vec<_> = (0..8).map(|id| skyrocket::roblox::Instance { id }).collect();
    let mut dec = skyrocket::Decoder::with_instances(data, &instances);
    let typed = T::decode(&mut dec).and_then(|v| dec.finish().map(|()| v));
    let ty = Ty::Named(name.to_owned());
    let dynamic = dynamic::from_bytes(schema(), &ty, data, &instances);
    assert_eq!(typed.is_ok(), dynamic.is_ok(), "derive and dynamic disagree on acceptance");
    if let (Ok(typed), Ok(value)) = (typed, dynamic) {
        let mut enc = skyrocket::Encoder::new();
        typed.encode(&mut enc).expect("re-encodes");
        let (again, _) = dynamic::to_bytes(schema(), &ty, &value).expect("re-encodes");
        assert_eq!(enc.finish(), again, "derive and dynamic re-encode differently");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else {
        return;
    };
    match selector % 6 {
        0 => compare::<features::Integers>("Integers", data),
        1 => compare::<features::Floats>("Floats", data),
        2 => compare::<features::Collections>("Collections", data),
        3 => compare::<features::Shape>("Shape", data),
        4 => compare::<features::Tree>("Tree", data),
        _ => compare::<features::Everything>("Everything", data),
    }
});

//! The codec interface: the bit-packed default, typed helpers, custom codecs.

use skyrocket::dynamic::Value;
use skyrocket::roblox::Instance;
use skyrocket::NetCodec;
use skyrocket_formats::{
    decode_typed, encode_typed, BitPacked, Codec, Encoded, FormatError, Registry,
};
use skyrocket_schema::ir::{Schema, Ty};
use std::sync::Arc;

#[derive(NetCodec, Debug, PartialEq, Clone)]
struct Move {
    #[net(range = 0..=100)]
    speed: u8,
    name: String,
    jump: bool,
}

/// A custom codec: the bit-packed bytes, reversed (stands in for a user's format).
struct Reversed;

impl Codec for Reversed {
    fn name(&self) -> &str {
        "reversed"
    }
    fn encode(&self, schema: &Schema, ty: &Ty, value: &Value) -> Result<Encoded, FormatError> {
        let mut packed = BitPacked.encode(schema, ty, value)?;
        packed.bytes.reverse();
        Ok(packed)
    }
    fn decode(
        &self,
        schema: &Schema,
        ty: &Ty,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Value, FormatError> {
        let mut b = bytes.to_vec();
        b.reverse();
        BitPacked.decode(schema, ty, &b, instances)
    }
}

#[test]
fn the_default_codec_is_the_bit_packed_format() {
    let registry = Registry::default();
    let codec = registry.get("skyrocket").expect("default codec");
    let value = Move {
        speed: 42,
        name: "dash".into(),
        jump: true,
    };
    let encoded = encode_typed(codec.as_ref(), &value).expect("encode");
    assert_eq!(encoded.bytes, value.to_bytes().expect("derive encode"));
    let back: Move = decode_typed(codec.as_ref(), &encoded.bytes, &[]).expect("decode");
    assert_eq!(back, value);
}

#[test]
fn a_custom_codec_plugs_in_and_replaces_by_name() {
    let mut registry = Registry::default();
    let built_in = registry.names().count();
    assert!(registry.register(Arc::new(Reversed)).is_none());
    assert_eq!(registry.names().next(), Some("skyrocket"));
    assert_eq!(registry.names().last(), Some("reversed"));
    let value = Move {
        speed: 7,
        name: "x".into(),
        jump: false,
    };
    let codec = registry.get("reversed").expect("registered");
    let encoded = encode_typed(codec.as_ref(), &value).expect("encode");
    let mut expected = value.to_bytes().expect("derive encode");
    expected.reverse();
    assert_eq!(encoded.bytes, expected);
    assert_eq!(
        decode_typed::<Move>(codec.as_ref(), &encoded.bytes, &[]).expect("decode"),
        value
    );
    assert!(registry.register(Arc::new(Reversed)).is_some());
    assert_eq!(registry.names().count(), built_in + 1);
}

#[test]
fn decode_errors_name_the_format_the_field_and_the_byte() {
    let codec = BitPacked;
    // speed is 7 bits in 0..=100: 127 is out of range.
    let (schema, ty) = Move::schema();
    let err = codec
        .decode(&schema, &ty, &[0x00, 0x7f], &[])
        .expect_err("invalid");
    let text = err.to_string();
    assert!(text.starts_with("skyrocket: cannot decode"), "{text}");
    assert!(err.offset.is_some(), "{text}");
    let err = decode_typed::<Move>(&codec, &[], &[]).expect_err("empty input");
    assert!(
        err.to_string().contains("skyrocket: cannot decode"),
        "{err}"
    );
}

#[test]
fn payloads_are_codec_bytes_in_an_optional_compression_frame() {
    use skyrocket_formats::compress::{Compression, RAW, ZSTD};
    use skyrocket_formats::{decode_payload, encode_payload};
    let registry = Registry::default();
    let (schema, ty) = Move::schema();
    let value = |name: String| {
        let m = Move {
            speed: 7,
            name,
            jump: true,
        };
        let b = encode_typed(&BitPacked, &m).unwrap();
        BitPacked.decode(&schema, &ty, &b.bytes, &[]).unwrap()
    };
    let small = value("ab".into());
    let plain = encode_payload(&registry, "json", None, &schema, &ty, &small).unwrap();
    assert_eq!(plain.bytes, br#"{"speed":7,"name":"ab","jump":true}"#);
    let c = Compression::default();
    let framed = encode_payload(&registry, "json", Some(&c), &schema, &ty, &small).unwrap();
    assert_eq!(framed.bytes[0], RAW, "under the threshold: raw frame");
    assert_eq!(&framed.bytes[1..], &plain.bytes[..]);
    let big = value("x".repeat(400));
    let framed = encode_payload(&registry, "json", Some(&c), &schema, &ty, &big).unwrap();
    assert_eq!(framed.bytes[0], ZSTD);
    let back = decode_payload(
        &registry,
        "json",
        Some(&c),
        &schema,
        &ty,
        &framed.bytes,
        &[],
    );
    assert_eq!(back.unwrap(), big);
    // The cap is checked before decompression.
    let capped = Compression {
        max_decompressed: 100,
        ..c
    };
    let e = decode_payload(
        &registry,
        "json",
        Some(&capped),
        &schema,
        &ty,
        &framed.bytes,
        &[],
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("exceeds the cap of 100 bytes"),
        "{e}"
    );
    let e = encode_payload(&registry, "xml", None, &schema, &ty, &small).unwrap_err();
    assert!(e.to_string().contains("no codec named `xml`"), "{e}");
}

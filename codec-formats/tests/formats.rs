//! JSON and MessagePack on the example of docs/formats.md: exact bytes,
//! lenient decoding, errors naming path and offset, and decoders that never
//! panic on arbitrary input.

use quickcheck::{quickcheck, TestResult};
use skyrocket::roblox::Vector3;
use skyrocket::NetCodec;
use skyrocket_formats::{decode_typed, encode_typed, Codec, Json, MsgPack, Registry};
use std::collections::{BTreeMap, BTreeSet};

#[derive(NetCodec, Debug, Clone, PartialEq)]
pub enum Team {
    Red,
    Blue,
}

#[derive(NetCodec, Debug, Clone, PartialEq)]
pub enum State {
    Idle,
    Moving { dx: i16, dy: i16 },
}

#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct Player {
    pub name: String,
    #[net(range = 0..=100)]
    pub health: u8,
    pub position: Vector3,
    pub speed: f32,
    pub score: f64,
    pub tags: BTreeSet<String>,
    pub inventory: BTreeMap<u16, u32>,
    pub avatar: Vec<u8>,
    pub team: Option<Team>,
    pub state: State,
}

fn example() -> Player {
    Player {
        name: "Ann \"A\"\n".into(),
        health: 100,
        position: Vector3::new(1.0, -0.5, 3.25),
        speed: 0.1,
        score: 1e21,
        tags: ["b".to_owned(), "a".to_owned()].into_iter().collect(),
        inventory: [(10, 5), (2, 7)].into_iter().collect(),
        avatar: vec![0, 1, 2, 255],
        team: Some(Team::Blue),
        state: State::Moving { dx: -1, dy: 300 },
    }
}

const EXAMPLE_JSON: &str = concat!(
    r#"{"name":"Ann \"A\"\n","health":100,"position":[1,-0.5,3.25],"speed":0.1,"#,
    r#""score":1e+21,"tags":["a","b"],"inventory":{"2":7,"10":5},"avatar":"AAEC/w==","#,
    r#""team":"Blue","state":{"kind":"Moving","dx":-1,"dy":300}}"#
);

const EXAMPLE_MSGPACK: &str = concat!(
    "8a",
    "a46e616d65a8416e6e20224122 0a",
    "a66865616c746864",
    "a8706f736974696f6e93ca3f800000cabf000000ca40500000",
    "a57370656564ca3dcccccd",
    "a573636f7265cb444b1ae4d6e2ef50",
    "a47461677392a161a162",
    "a9696e76656e746f72798202070a05",
    "a6617661746172c404000102ff",
    "a47465616da4426c7565",
    "a5737461746583a46b696e64a64d6f76696e67a26478ffa26479cd012c",
);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_documented_example_encodes_to_the_documented_bytes() {
    let json = encode_typed(&Json, &example()).expect("encodes");
    assert_eq!(String::from_utf8(json.bytes.clone()).unwrap(), EXAMPLE_JSON);
    let msgpack = encode_typed(&MsgPack, &example()).expect("encodes");
    let expected: String = EXAMPLE_MSGPACK
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert_eq!(hex(&msgpack.bytes), expected);
    for (codec, bytes) in [
        (&Json as &dyn Codec, &json.bytes),
        (&MsgPack, &msgpack.bytes),
    ] {
        let back: Player = decode_typed(codec, bytes, &[]).expect("decodes");
        assert_eq!(back, example(), "{}", codec.name());
    }
}

#[test]
fn the_default_registry_holds_both_formats() {
    let registry = Registry::default();
    assert!(registry.get("json").is_some() && registry.get("msgpack").is_some());
}

#[test]
fn json_decoding_accepts_any_layout_and_skips_unknown_keys() {
    let text = r#"
        { "state": {"dy": 300, "dx": -1, "kind": "Moving"}, "team": "Blue",
          "unknown": [1, {"deep": [true, null, "x"]}], "avatar": "AAEC\/w==",
          "inventory": {"10": 5, "2": 7}, "tags": ["b", "a"], "score": 1E21,
          "speed": 0.100000001, "position": [1.0, -5e-1, 3.25],
          "health": 100, "name": "Ann \u0022A\"\u000a" }
    "#;
    let back: Player = decode_typed(&Json, text.as_bytes(), &[]).expect("decodes");
    assert_eq!(back, example());
}

fn json_error(text: &str) -> String {
    decode_typed::<Player>(&Json, text.as_bytes(), &[])
        .expect_err("must be rejected")
        .to_string()
}

#[test]
fn json_errors_name_the_field_and_the_byte() {
    let bad_health = EXAMPLE_JSON.replace("\"health\":100", "\"health\":300");
    assert_eq!(
        json_error(&bad_health),
        "json: cannot decode health at byte 31: expected an integer in 0..=100, got 300"
    );
    let fraction = EXAMPLE_JSON.replace("\"health\":100", "\"health\":1.0");
    assert!(json_error(&fraction).contains("expected an integer, got 1.0"));
    let duplicate = EXAMPLE_JSON.replace("{\"name\"", "{\"health\":1,\"name\"");
    assert!(json_error(&duplicate).contains("duplicate key \"health\""));
    let missing = EXAMPLE_JSON.replace("\"health\":100,", "");
    assert!(json_error(&missing).contains("missing field \"health\""));
    let bad_key = EXAMPLE_JSON.replace("\"2\":7", "\"02\":7");
    assert!(
        json_error(&bad_key).contains("inventory[02]"),
        "{}",
        json_error(&bad_key)
    );
    let bad_variant = EXAMPLE_JSON.replace("\"Moving\"", "\"Flying\"");
    assert!(json_error(&bad_variant).contains("state at byte"));
    let trailing = format!("{EXAMPLE_JSON} x");
    assert!(json_error(&trailing).contains("expected the end of input"));
    let lone = EXAMPLE_JSON.replace("Ann", "\\ud800");
    assert!(json_error(&lone).contains("surrogate"));
    // A missing Option field is None; an explicit null too.
    let no_team = EXAMPLE_JSON.replace(",\"team\":\"Blue\"", "");
    let back: Player = decode_typed(&Json, no_team.as_bytes(), &[]).expect("decodes");
    assert_eq!(back.team, None);
}

#[test]
fn msgpack_decoding_accepts_wider_forms_than_it_writes() {
    // { "name": str8 "Ann \"A\"\n", "health": uint64 100, ... } in another order.
    let mut wide = EXAMPLE_MSGPACK
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>();
    wide = wide.replace("a8416e6e20224122", "d908416e6e20224122");
    wide = wide.replace("6864", "68cf0000000000000064");
    let bytes: Vec<u8> = (0..wide.len() / 2)
        .map(|i| u8::from_str_radix(&wide[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let back: Player = decode_typed(&MsgPack, &bytes, &[]).expect("decodes");
    assert_eq!(back, example());
    let canonical = encode_typed(&MsgPack, &example()).expect("encodes").bytes;
    let err = decode_typed::<Player>(&MsgPack, &canonical[..canonical.len() - 1], &[])
        .expect_err("truncated")
        .to_string();
    assert_eq!(
        err,
        "msgpack: cannot decode state.dy at byte 149: 2 bytes claimed, only 1 left"
    );
}

quickcheck! {
    fn decoders_never_panic_on_arbitrary_bytes(bytes: Vec<u8>) -> bool {
        let _ = decode_typed::<Player>(&Json, &bytes, &[]);
        let _ = decode_typed::<Player>(&MsgPack, &bytes, &[]);
        true
    }

    fn decoders_never_panic_on_edited_messages(at: usize, byte: u8, cut: bool) -> TestResult {
        for codec in [&Json as &dyn Codec, &MsgPack] {
            let mut bytes = encode_typed(codec, &example()).expect("encodes").bytes;
            let at = at % bytes.len();
            if cut {
                bytes.truncate(at);
            } else {
                bytes[at] = byte;
            }
            if let Ok(back) = decode_typed::<Player>(codec, &bytes, &[]) {
                // Whatever decodes re-encodes to bytes that decode to it again.
                let again = encode_typed(codec, &back).expect("re-encodes");
                let twice: Player = decode_typed(codec, &again.bytes, &[]).expect("decodes");
                // Compared by canonical bytes: an edited float can be NaN, which
                // is never equal to itself.
                let third = encode_typed(codec, &twice).expect("re-encodes");
                if third.bytes != again.bytes {
                    return TestResult::failed();
                }
            }
        }
        TestResult::passed()
    }
}

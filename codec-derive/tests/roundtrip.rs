//! The derive against the runtime: round trips, exact bytes and bit counts,
//! error paths, depth limit, skip defaults and `describe`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use skyrocket::roblox::{CFrame, Color3, EnumItem, Instance, Vector2, Vector3};
use skyrocket::schema::{FloatEncoding, IntEncoding, IntTy, Ty, TypeKind};
use skyrocket::{DecodeErrorKind, EncodeErrorKind, NetCodec};

fn round_trip<T: NetCodec + PartialEq + std::fmt::Debug>(value: &T) -> Vec<u8> {
    let bytes = value.to_bytes().expect("encodes");
    let back = T::from_bytes(&bytes).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    assert_eq!(&back, value);
    bytes
}

/// The docs example: 7 bits of damage + 1 bit of critical = one byte.
#[derive(NetCodec, Debug, PartialEq)]
struct Hit {
    #[net(range = 0..=100)]
    damage: u8,
    critical: bool,
}

#[test]
fn hit_is_one_byte() {
    let bytes = round_trip(&Hit {
        damage: 42,
        critical: true,
    });
    // Bit stream: 42 in 7 bits, then 1: 0b1_0101010.
    assert_eq!(bytes, vec![0b1010_1010]);
}

#[derive(NetCodec, Debug, PartialEq, Default)]
struct Scalars {
    a: u8,
    b: i16,
    c: u32,
    d: i64,
    e: f32,
    f: f64,
    #[net(varint)]
    g: u64,
    #[net(varint)]
    h: i32,
    #[net(range = -100..=100)]
    i: i16,
    #[net(range = 5..=5)]
    j: u32,
    #[net(range = 0..=65535)]
    k: u32,
    #[net(half)]
    l: f32,
    #[net(quantize(min = -1.0, max = 1.0, step = 0.25))]
    m: f64,
    n: (),
    o: bool,
}

#[test]
fn scalars_round_trip_and_layout() {
    let v = Scalars {
        a: 1,
        b: -2,
        c: 3,
        d: -4,
        e: 1.5,
        f: -2.25,
        g: 300,
        h: -3,
        i: -100,
        j: 5,
        k: 65535,
        l: 0.5,
        m: 0.75,
        n: (),
        o: true,
    };
    let bytes = round_trip(&v);
    // Byte section: 1 + 2 + 4 + 8 + 4 + 8 + (k: 2) + (l: 2) = 31 bytes.
    // Bit section: varint 300 (16) + varint zigzag(-3)=5 (8) + i (8 bits, 201 values)
    // + j (0) + m (9 levels: 4 bits) + o (1) = 37 bits = 5 bytes.
    assert_eq!(bytes.len(), 36);
    assert_eq!(&bytes[..3], &[1, 0xFE, 0xFF]);
    let half = Scalars {
        l: 1.0 / 3.0,
        j: 5,
        ..Default::default()
    };
    let back = Scalars::from_bytes(&half.to_bytes().unwrap()).unwrap();
    assert_eq!(back.l, 0.333_251_95);
}

#[test]
fn quantized_values_snap_to_steps() {
    let v = Scalars {
        m: 0.3,
        j: 5,
        ..Default::default()
    };
    let back = Scalars::from_bytes(&v.to_bytes().unwrap()).unwrap();
    assert_eq!(back.m, 0.25);
}

#[test]
fn encode_errors_name_the_field() {
    let err = Hit {
        damage: 101,
        critical: false,
    }
    .to_bytes()
    .unwrap_err();
    assert_eq!(
        err.kind(),
        &EncodeErrorKind::OutOfRange {
            value: 101,
            lo: 0,
            hi: 100
        }
    );
    assert_eq!(err.path().to_string(), "damage");
}

#[derive(NetCodec, Debug, PartialEq, Default)]
struct Collections {
    name: String,
    #[net(max_len = 4)]
    short: String,
    blob: Vec<u8>,
    #[net(max_len = 3)]
    short_blob: Vec<u8>,
    digest: [u8; 4],
    numbers: Vec<i32>,
    #[net(max_len = 5, range = 0..=9)]
    digits: Vec<u8>,
    #[net(range = 0..=3)]
    nested: Vec<Vec<[u8; 2]>>,
    flags: [bool; 5],
    #[net(varint)]
    big_array: [u32; 20],
    pair: (u8, bool),
    #[net(range = 0..=7)]
    ranged_pair: (u8, i64),
    maybe: Option<u32>,
    #[net(range = 1..=2)]
    maybe_ranged: Option<Box<u16>>,
    map: HashMap<String, u8>,
    #[net(half, max_len = 2)]
    halves: BTreeMap<i8, f32>,
    set: HashSet<u16>,
    #[net(range = 10..=20)]
    ranged_set: BTreeSet<u8>,
    seven: (u8, u8, u8, u8, u8, u8, u8),
}

fn sample_collections() -> Collections {
    Collections {
        name: "héllo".into(),
        short: "abcd".into(),
        blob: vec![1, 2, 3],
        short_blob: vec![9],
        digest: [1, 2, 3, 4],
        numbers: vec![-1, 0, 1],
        digits: vec![9, 0, 5],
        nested: vec![vec![[0, 1], [2, 3]], vec![]],
        flags: [true, false, true, true, false],
        big_array: std::array::from_fn(|i| (i as u32) << 20),
        pair: (7, true),
        ranged_pair: (7, 0),
        maybe: Some(5),
        maybe_ranged: Some(Box::new(2)),
        map: [
            ("b".to_string(), 2),
            ("a".to_string(), 1),
            ("c".to_string(), 3),
        ]
        .into(),
        halves: [(-3, 0.5), (4, -2.0)].into(),
        set: [3, 1, 2, 1000].into(),
        ranged_set: [10, 20, 15].into(),
        seven: (1, 2, 3, 4, 5, 6, 7),
    }
}

#[test]
fn collections_round_trip() {
    round_trip(&sample_collections());
    round_trip(&Collections::default());
}

#[test]
fn hash_collections_encode_in_key_order() {
    // Same content, different insertion order: same bytes.
    let a = sample_collections();
    let mut b = sample_collections();
    b.map = [
        ("c".to_string(), 3),
        ("a".to_string(), 1),
        ("b".to_string(), 2),
    ]
    .into();
    b.set = [1000, 2, 3, 1].into();
    assert_eq!(a.to_bytes().unwrap(), b.to_bytes().unwrap());
}

#[test]
fn max_len_is_enforced_on_encode() {
    let mut v = sample_collections();
    v.short = "abcde".into();
    let err = v.to_bytes().unwrap_err();
    assert_eq!(err.kind(), &EncodeErrorKind::TooLong { len: 5, max: 4 });
    assert_eq!(err.path().to_string(), "short");
}

#[test]
fn nested_errors_have_full_paths() {
    let mut v = sample_collections();
    v.nested[1] = vec![[0, 0], [0, 4]];
    let err = v.to_bytes().unwrap_err();
    assert_eq!(err.path().to_string(), "nested[1][1][1]");
    let mut v = sample_collections();
    v.ranged_set.insert(21);
    assert_eq!(
        v.to_bytes().unwrap_err().path().to_string(),
        "ranged_set[3]"
    );
    let mut v = sample_collections();
    v.ranged_pair.1 = -1;
    assert_eq!(
        v.to_bytes().unwrap_err().path().to_string(),
        "ranged_pair[1]"
    );
}

/// A list of ranged bytes in 4 bits each, plus a tag-carrying enum.
#[derive(NetCodec, Debug, PartialEq, Clone)]
enum Command {
    Stop,
    Move {
        #[net(range = 0..=15)]
        dx: i8,
        #[net(skip)]
        cached: u64,
        #[net(range = 0..=15)]
        dy: i8,
    },
    #[net(rename = "Say")]
    Chat(#[net(max_len = 8)] String),
}

#[test]
fn enums_tags_and_fields() {
    // 3 variants: 2 tag bits.
    assert_eq!(round_trip(&Command::Stop), vec![0]);
    let mv = Command::Move {
        dx: 3,
        cached: 0,
        dy: 15,
    };
    // tag 1 (2 bits) + 3 (4 bits) + 15 (4 bits) = 10 bits = 2 bytes.
    assert_eq!(round_trip(&mv), vec![0b11, 0b1100_1101]);
    round_trip(&Command::Chat("hi".into()));
}

#[test]
fn skipped_fields_decode_to_default() {
    let mv = Command::Move {
        dx: 1,
        cached: 99,
        dy: 2,
    };
    let back = Command::from_bytes(&mv.to_bytes().unwrap()).unwrap();
    assert_eq!(
        back,
        Command::Move {
            dx: 1,
            cached: 0,
            dy: 2
        }
    );
}

fn fresh_id() -> u32 {
    77
}

#[derive(NetCodec, Debug, PartialEq)]
struct WithDefault(u8, #[net(skip, default = "fresh_id")] u32);

#[test]
fn skip_with_default_function() {
    let back = WithDefault::from_bytes(&WithDefault(1, 5).to_bytes().unwrap()).unwrap();
    assert_eq!(back, WithDefault(1, 77));
}

#[test]
fn invalid_tag_and_decode_paths() {
    // Tag 3 of 3 variants.
    let err = Command::from_bytes(&[0b11]).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::InvalidTag);
    // Move in one byte: tag (2 bits) and dx (4 bits) fit, dy does not.
    let err = Command::from_bytes(&[0b01]).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::UnexpectedEnd);
    assert_eq!(err.path().to_string(), "Move.dy");
    // Chat with a length above max_len 8 (4 bits: 9) -> LengthLimit.
    let err = Command::from_bytes(&[0b100110]).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::LengthLimit);
    assert_eq!(err.path().to_string(), "Chat.0");
}

#[derive(NetCodec, Debug, PartialEq)]
struct Outer {
    id: u8,
    inner: Vec<Hit>,
}

#[test]
fn named_types_nest() {
    let v = Outer {
        id: 9,
        inner: vec![
            Hit {
                damage: 1,
                critical: false,
            },
            Hit {
                damage: 100,
                critical: true,
            },
        ],
    };
    let bytes = round_trip(&v);
    assert_eq!(bytes.len(), 4);
    let err = Outer::from_bytes(&[9]).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::UnexpectedEnd);
    assert_eq!(err.path().to_string(), "inner");
    let bad = Outer {
        id: 0,
        inner: vec![
            Hit {
                damage: 0,
                critical: false,
            },
            Hit {
                damage: 200,
                critical: false,
            },
        ],
    };
    assert_eq!(
        bad.to_bytes().unwrap_err().path().to_string(),
        "inner[1].damage"
    );
}

/// Recursive, with a small depth limit.
#[derive(NetCodec, Debug, PartialEq)]
#[net(max_depth = 3)]
enum Tree {
    Leaf(u8),
    Node(Box<Tree>, Box<Tree>),
}

#[test]
fn recursion_and_depth_limit() {
    let leaf = |v| Box::new(Tree::Leaf(v));
    let ok = Tree::Node(Box::new(Tree::Node(leaf(1), leaf(2))), leaf(3));
    round_trip(&ok);
    let deep = Tree::Node(
        Box::new(Tree::Node(Box::new(Tree::Node(leaf(1), leaf(2))), leaf(3))),
        leaf(4),
    );
    let bytes = deep.to_bytes().unwrap();
    let err = Tree::from_bytes(&bytes).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::DepthLimit);
    assert_eq!(err.path().to_string(), "Node.0.Node.0.Node.0");
}

#[derive(NetCodec, Debug, PartialEq)]
struct Roblox {
    position: Vector3,
    #[net(quantize(min = -1024.0, max = 1023.9375, step = 0.0625))]
    packed: Vector3,
    #[net(half)]
    offset: Vector2,
    transform: CFrame,
    #[net(lossless)]
    exact: CFrame,
    tint: Color3,
    #[net(lossless)]
    exact_tint: Option<Color3>,
    #[net(roblox_enum = "KeyCode")]
    key: EnumItem,
    #[net(roblox_enum = "Material", max_len = 4)]
    materials: Vec<EnumItem>,
    part: Instance,
}

#[test]
fn roblox_types() {
    let v = Roblox {
        position: Vector3::new(1.0, 2.0, 3.0),
        packed: Vector3::new(1.5, -2.0, 3.0625),
        offset: Vector2::new(0.5, 2.0),
        transform: CFrame::default(),
        exact: CFrame::default(),
        tint: Color3::from_rgb(255, 0, 128),
        exact_tint: None,
        key: EnumItem { value: 13 },
        materials: vec![EnumItem { value: 256 }],
        part: Instance { id: 42 },
    };
    let mut enc = skyrocket::Encoder::new();
    v.encode(&mut enc).unwrap();
    let (bytes, instances) = enc.finish_with_instances();
    // 96 + 45 + 32 + 143 + 384 + 24 + 1 + 16 + (3 + 16) + 0 = 760 bits
    assert_eq!(bytes.len(), 95);
    let mut dec = skyrocket::Decoder::with_instances(&bytes, &instances);
    let mut back = Roblox::decode(&mut dec).unwrap();
    dec.finish().unwrap();
    // The smallest-three rotation is lossy (below 0.01 degrees).
    for (row, want) in back.transform.rotation.iter().zip(v.transform.rotation) {
        for (got, want) in row.iter().zip(want) {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
    }
    back.transform = v.transform;
    assert_eq!(back, v);
}

#[test]
fn describe_registers_types_and_dependencies() {
    let (schema, ty) = Outer::schema();
    assert_eq!(ty, Ty::Named("Outer".into()));
    let names: Vec<&str> = schema.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, vec!["Outer", "Hit"]);
    let hit = schema.get("Hit").unwrap();
    let TypeKind::Struct(fields) = &hit.kind else {
        panic!("struct")
    };
    let first = fields.iter().next().unwrap();
    assert_eq!(
        first.ty,
        Ty::Int(IntTy::U8, IntEncoding::Range { lo: 0, hi: 100 })
    );
    // Recursive types terminate.
    let (schema, _) = Tree::schema();
    assert_eq!(schema.types.len(), 1);
    assert_eq!(schema.types[0].max_depth, 3);
    let (schema, _) = Roblox::schema();
    let TypeKind::Struct(fields) = &schema.types[0].kind else {
        panic!("struct")
    };
    assert_eq!(
        fields.iter().nth(2).unwrap().ty,
        Ty::Roblox(skyrocket::schema::RobloxTy::Vector2(FloatEncoding::Half))
    );
}

#[test]
fn derived_schema_matches_parsed_schema_and_dynamic_codec() {
    // The derive's describe() and the dynamic (IR-driven) codec agree on bytes.
    let value = sample_collections();
    let (schema, ty) = Collections::schema();
    let bytes = value.to_bytes().unwrap();
    let dynamic =
        skyrocket::dynamic::from_bytes(&schema, &ty, &bytes, &[]).expect("dynamic decode");
    let (again, _) = skyrocket::dynamic::to_bytes(&schema, &ty, &dynamic).expect("dynamic encode");
    assert_eq!(again, bytes);
}

#[derive(NetCodec, Debug, PartialEq)]
struct Unit;

#[derive(NetCodec, Debug, PartialEq)]
struct Units {
    #[net(max_len = 3)]
    units: Vec<Unit>,
}

#[test]
fn unit_structs_and_bounded_zero_bit_lists() {
    assert_eq!(round_trip(&Unit), Vec::<u8>::new());
    assert_eq!(
        round_trip(&Units {
            units: vec![Unit, Unit]
        }),
        vec![0b10]
    );
}

#[test]
fn trailing_bytes_and_truncation_are_rejected() {
    let bytes = sample_collections().to_bytes().unwrap();
    for cut in 0..bytes.len() {
        assert!(
            Collections::from_bytes(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.insert(0, 0);
    assert!(Collections::from_bytes(&longer).is_err());
}

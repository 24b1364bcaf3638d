//! The benchmark workloads of issues #2 and #3 as schema values: Entities
//! (100 x six u8), Booleans (1000) and the Arena snapshot (64 players), from
//! one seed, so every bench (luau-bench, formats-bench, protobuf-bench)
//! measures the same messages.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skyrocket::dynamic::Value;
use skyrocket::roblox::Vector3;
use skyrocket::schema::Schema;

/// The bench schema (`conformance/bench/schema.rs`: Entities, Booleans).
pub const BENCH_SCHEMA: &str = include_str!("../bench/schema.rs");

/// One workload.
pub struct Workload {
    /// Command-line key (`entities`, `booleans`, `arena`).
    pub key: &'static str,
    /// Short name for tables (`Entities`).
    pub name: &'static str,
    /// Long title (`Entities (100 x 6 u8)`).
    pub title: &'static str,
    /// The schema the type lives in.
    pub schema: Schema,
    /// The message type (Rust name).
    pub type_name: &'static str,
    /// The message.
    pub value: Value,
    /// The hand-written Luau baseline (`conformance/bench/baseline_*.luau`).
    pub baseline: &'static str,
}

/// The three workloads, always the same values.
pub fn workloads() -> Vec<Workload> {
    let bench = skyrocket_schema::parse_file(BENCH_SCHEMA).expect("bench schema");
    let arena = skyrocket_schema::parse_file(crate::schemas::ARENA).expect("arena schema");
    let mut rng = ChaCha8Rng::seed_from_u64(0x5C1_20C4E7);
    let entities = Value::Struct(vec![Value::List(
        (0..100)
            .map(|_| Value::Struct((0..6).map(|_| Value::Int(rng.gen_range(0..=255))).collect()))
            .collect(),
    )]);
    let booleans = Value::Struct(vec![Value::List(
        (0..1000).map(|_| Value::Bool(rng.gen())).collect(),
    )]);
    let mut v3 = |lo: f32, hi: f32| {
        let mut c = || rng.gen_range(lo..hi);
        Value::Vector3(Vector3 {
            x: c(),
            y: c(),
            z: c(),
        })
    };
    let mut players = vec![];
    for id in 0..64 {
        let position = v3(-2000.0, 2000.0);
        let velocity = v3(-100.0, 100.0);
        let mut rng = ChaCha8Rng::seed_from_u64(id);
        players.push(Value::Struct(vec![
            Value::Int(id as i128 + 1),
            position,
            Value::Float(rng.gen_range(0.0f32..6.27) as f64),
            Value::Int(rng.gen_range(0..=100)),
            Value::Enum(rng.gen_range(0..6), vec![]),
            Value::List((0..4).map(|_| Value::Bool(rng.gen())).collect()),
            velocity,
        ]));
    }
    let snapshot = Value::Struct(vec![Value::Int(123_456), Value::List(players)]);
    vec![
        Workload {
            key: "entities",
            name: "Entities",
            title: "Entities (100 x 6 u8)",
            schema: bench.clone(),
            type_name: "Entities",
            value: entities,
            baseline: include_str!("../bench/baseline_entities.luau"),
        },
        Workload {
            key: "booleans",
            name: "Booleans",
            title: "Booleans (1000 bool)",
            schema: bench,
            type_name: "Booleans",
            value: booleans,
            baseline: include_str!("../bench/baseline_booleans.luau"),
        },
        Workload {
            key: "arena",
            name: "Arena",
            title: "Arena Snapshot (64 players)",
            schema: arena,
            type_name: "Snapshot",
            value: snapshot,
            baseline: include_str!("../bench/baseline_arena.luau"),
        },
    ]
}

//! Skyrocket's cross-language conformance suite: the generated Luau codecs
//! run in an embedded, sandboxed Luau VM and must agree byte for byte with
//! the Rust side, on checked-in vectors, on random values, on every type of
//! `conformance/schemas/`, and on hostile input.

#![warn(missing_docs)]

pub mod budget;
pub mod clock;
pub mod formats;
pub mod json;
pub mod luau;
pub mod random;

/// The conformance schemas, as `skyrocket gen` reads them.
pub mod schemas {
    /// Every feature of the wire format (`conformance/schemas/features.rs`).
    pub const FEATURES: &str = include_str!("../schemas/features.rs");
    /// The example game's schema (`examples/arena/schema.rs`).
    pub const ARENA: &str = include_str!("../../examples/arena/schema.rs");
    /// Structs and an enum variant too wide for one Luau function's 200
    /// locals unless the generated code cuts them into segments: 160 fields
    /// of every kind, inlined structs among them.
    pub fn wide() -> String {
        let kinds = [
            "u8",
            "#[net(range = -5..=1000)] i32",
            "#[net(quantize(min = -10.0, max = 10.0, step = 0.05))] f32",
            "bool",
            "#[net(max_len = 12)] String",
            "Option<u16>",
            "Vector3",
            "Cell",
            "[bool; 3]",
            "f64",
        ];
        let fields = |prefix: &str| -> String {
            (0..160)
                .map(|i| {
                    let kind = kinds[i % kinds.len()];
                    let (attr, ty) = match kind.rsplit_once("] ") {
                        Some((a, t)) => (format!("{a}]\n    "), t),
                        None => (String::new(), kind),
                    };
                    format!("    {attr}pub {prefix}{i}: {ty},\n")
                })
                .collect()
        };
        let variant_fields: String = fields("v")
            .replace("    pub ", "        ")
            .replace("\n    #", "\n        #");
        format!(
            "/// A small struct the generator inlines.\n#[derive(NetCodec)]\npub struct Cell {{\n    pub a: u8,\n    #[net(range = 0..=3)]\n    pub b: u8,\n}}\n\n/// Wider than Luau's locals.\n#[derive(NetCodec)]\npub struct Wide {{\n{}}}\n\n/// A wide variant.\n#[derive(NetCodec)]\npub enum WideEnum {{\n    Small(u8),\n    Big {{\n{variant_fields}    }},\n}}\n",
            fields("f")
        )
    }

    /// Runs of bools at every starting bit offset and of every length
    /// around the 32-bool words the Luau codecs pack and read at once.
    /// Checked against the schema-driven Rust codec only (no derive).
    pub const BOOL_RUNS: &str = r#"
/// A bool run after a variable number of bits.
#[derive(NetCodec)]
pub struct BoolRuns {
    /// 3 length bits and 0-7 bools: every offset of what follows.
    #[net(max_len = 7)]
    pub lead: Vec<bool>,
    #[net(max_len = 300)]
    pub run: Vec<bool>,
    pub fixed: [bool; 40],
    pub rows: Vec<Vec<bool>>,
}
"#;
}
pub mod vectors;
pub mod workloads;

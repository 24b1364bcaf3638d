//! Parser tests: type resolution, attributes, errors with positions.

use crate::ir::*;
use crate::{parse_file, SchemaError};

/// Parses a one-struct schema `struct S { <fields> }` and returns its fields.
fn fields_of(fields: &str) -> Vec<Field> {
    let src = format!("#[derive(NetCodec)]\nstruct S {{\n{fields}\n}}\n");
    let schema = parse_file(&src).unwrap_or_else(|e| panic!("{src}\n{e:?}"));
    match &schema.types[0].kind {
        TypeKind::Struct(Fields::Named(f)) => f.clone(),
        other => panic!("not a named struct: {other:?}"),
    }
}

fn ty_of(field: &str) -> Ty {
    fields_of(field).remove(0).ty
}

/// Errors of a schema made of `struct S { <fields> }` plus `extra` items.
fn errors_of(fields: &str) -> Vec<SchemaError> {
    let src = format!("#[derive(NetCodec)]\nstruct S {{\n{fields}\n}}\n");
    parse_file(&src).expect_err("expected an error")
}

/// The single error message of a schema, checked to be on `line`.
fn one_error(fields: &str) -> (u32, String) {
    let errors = errors_of(fields);
    assert_eq!(errors.len(), 1, "{errors:?}");
    (errors[0].pos.line, errors[0].message.clone())
}

fn int(t: IntTy) -> Ty {
    Ty::Int(t, IntEncoding::Fixed)
}

fn ranged(t: IntTy, lo: i128, hi: i128) -> Ty {
    Ty::Int(t, IntEncoding::Range { lo, hi })
}

#[test]
fn primitives() {
    assert_eq!(ty_of("a: bool"), Ty::Bool);
    assert_eq!(ty_of("a: u8"), int(IntTy::U8));
    assert_eq!(ty_of("a: i64"), int(IntTy::I64));
    assert_eq!(
        ty_of("a: f32"),
        Ty::Float(FloatTy::F32, FloatEncoding::Full)
    );
    assert_eq!(ty_of("a: ()"), Ty::Unit);
    assert_eq!(ty_of("a: String"), Ty::String { max_len: None });
    assert_eq!(
        ty_of("a: std::string::String"),
        Ty::String { max_len: None }
    );
}

#[test]
fn containers() {
    assert_eq!(ty_of("a: Vec<u8>"), Ty::Bytes { max_len: None });
    assert_eq!(ty_of("a: [u8; 16]"), Ty::ByteArray(16));
    assert_eq!(
        ty_of("a: Vec<u16>"),
        Ty::List {
            elem: Box::new(int(IntTy::U16)),
            max_len: None
        }
    );
    assert_eq!(
        ty_of("a: [bool; 3]"),
        Ty::Array {
            elem: Box::new(Ty::Bool),
            len: 3
        }
    );
    assert_eq!(
        ty_of("a: Option<Box<bool>>"),
        Ty::Option(Box::new(Ty::Boxed(Box::new(Ty::Bool))))
    );
    assert_eq!(
        ty_of("a: (u8, bool)"),
        Ty::Tuple(vec![int(IntTy::U8), Ty::Bool])
    );
    assert_eq!(
        ty_of("a: std::collections::HashMap<String, u8>"),
        Ty::Map {
            key: Box::new(Ty::String { max_len: None }),
            value: Box::new(int(IntTy::U8)),
            max_len: None,
            kind: CollectionKind::Hash
        }
    );
    assert_eq!(
        ty_of("a: BTreeSet<i32>"),
        Ty::Set {
            elem: Box::new(int(IntTy::I32)),
            max_len: None,
            kind: CollectionKind::BTree
        }
    );
}

#[test]
fn roblox_types_by_any_accepted_path() {
    assert_eq!(
        ty_of("a: Vector3"),
        Ty::Roblox(RobloxTy::Vector3(FloatEncoding::Full))
    );
    assert_eq!(
        ty_of("a: roblox::CFrame"),
        Ty::Roblox(RobloxTy::CFrame { lossless: false })
    );
    assert_eq!(
        ty_of("a: skyrocket::roblox::Instance"),
        Ty::Roblox(RobloxTy::Instance)
    );
    assert_eq!(
        ty_of("#[net(roblox_enum = \"KeyCode\")] a: EnumItem"),
        Ty::Roblox(RobloxTy::EnumItem {
            enum_name: "KeyCode".into()
        })
    );
    assert_eq!(
        ty_of("#[net(lossless)] a: Color3"),
        Ty::Roblox(RobloxTy::Color3 { lossless: true })
    );
}

#[test]
fn ranges_inclusive_exclusive_negative() {
    assert_eq!(
        ty_of("#[net(range = 0..=100)] a: u8"),
        ranged(IntTy::U8, 0, 100)
    );
    assert_eq!(
        ty_of("#[net(range = 0..100)] a: u8"),
        ranged(IntTy::U8, 0, 99)
    );
    assert_eq!(
        ty_of("#[net(range = -5..=-1)] a: i8"),
        ranged(IntTy::I8, -5, -1)
    );
    assert_eq!(
        ty_of("#[net(range = 7..=7)] a: u32"),
        ranged(IntTy::U32, 7, 7)
    );
}

#[test]
fn numeric_attributes_reach_innermost_values() {
    // A ranged Vec<u8> is a list of ranged bytes, not a byte string.
    assert_eq!(
        ty_of("#[net(range = 0..=9, max_len = 5)] a: Vec<u8>"),
        Ty::List {
            elem: Box::new(ranged(IntTy::U8, 0, 9)),
            max_len: Some(5)
        }
    );
    assert_eq!(
        ty_of("#[net(varint)] a: Option<Vec<[u32; 2]>>"),
        Ty::Option(Box::new(Ty::List {
            elem: Box::new(Ty::Array {
                elem: Box::new(Ty::Int(IntTy::U32, IntEncoding::Varint)),
                len: 2
            }),
            max_len: None
        }))
    );
    // Map values, not keys.
    assert_eq!(
        ty_of("#[net(half)] a: HashMap<u8, f32>"),
        Ty::Map {
            key: Box::new(int(IntTy::U8)),
            value: Box::new(Ty::Float(FloatTy::F32, FloatEncoding::Half)),
            max_len: None,
            kind: CollectionKind::Hash
        }
    );
    // Every tuple element.
    assert_eq!(
        ty_of("#[net(range = 0..=3)] a: (u8, i16)"),
        Ty::Tuple(vec![ranged(IntTy::U8, 0, 3), ranged(IntTy::I16, 0, 3)])
    );
    let q = Quantize {
        min: -1.0,
        max: 1.0,
        step: 0.5,
    };
    assert_eq!(
        ty_of("#[net(quantize(min = -1, max = 1.0, step = 0.5))] a: Box<Vector2>"),
        Ty::Boxed(Box::new(Ty::Roblox(RobloxTy::Vector2(
            FloatEncoding::Quantized(q)
        ))))
    );
}

#[test]
fn max_len_applies_to_outermost_collection() {
    assert_eq!(
        ty_of("#[net(max_len = 4)] a: Option<Vec<String>>"),
        Ty::Option(Box::new(Ty::List {
            elem: Box::new(Ty::String { max_len: None }),
            max_len: Some(4)
        }))
    );
    assert_eq!(
        ty_of("#[net(max_len = 3)] a: Vec<u8>"),
        Ty::Bytes { max_len: Some(3) }
    );
}

#[test]
fn names_docs_skip_rename() {
    let src = r#"
use skyrocket::NetCodec;
fn helper() {}
/// A player.
/// Second line.
#[derive(Debug, skyrocket::NetCodec)]
#[net(rename = "PlayerInfo", max_depth = 8)]
pub struct Player {
    /// The id.
    #[net(rename = "userId")]
    pub id: u64,
    #[net(skip)]
    cache: usize,
    #[net(skip, default = "fresh")]
    other: Vec<u8>,
}
#[derive(Debug)]
struct NotInSchema(u8);
mod inner {
    #[derive(NetCodec)]
    pub enum Shape { Dot, #[net(rename = "Circle")] Round(f32), Rect { w: f32, h: f32 } }
}
#[derive(NetCodec)]
struct Pair(u8, Player);
"#;
    let schema = parse_file(src).expect("valid");
    assert_eq!(schema.types.len(), 3);
    let player = schema.get("Player").expect("Player");
    assert_eq!(player.wire_name, "PlayerInfo");
    assert_eq!(player.max_depth, 8);
    assert_eq!(player.doc.as_deref(), Some("A player.\nSecond line."));
    assert_eq!(
        player.pos,
        Pos {
            line: 8,
            column: 12
        }
    );
    let TypeKind::Struct(Fields::Named(fields)) = &player.kind else {
        panic!("named struct")
    };
    assert_eq!(fields[0].wire_name, "userId");
    assert_eq!(fields[0].doc.as_deref(), Some("The id."));
    assert_eq!(fields[1].skip, Some(SkipDefault::Default));
    assert_eq!(
        fields[1].ty,
        Ty::Unit,
        "usize is no wire type: skipped as ()"
    );
    assert_eq!(fields[2].skip, Some(SkipDefault::Function("fresh".into())));
    assert_eq!(player.kind_fields_encoded_count(), 1);

    let shape = schema.get("Shape").expect("Shape");
    let TypeKind::Enum(variants) = &shape.kind else {
        panic!("enum")
    };
    assert_eq!(variants.len(), 3);
    assert_eq!(variants[1].wire_name, "Circle");
    assert!(matches!(variants[0].fields, Fields::Unit));
    let TypeKind::Struct(Fields::Tuple(pair)) = &schema.get("Pair").expect("Pair").kind else {
        panic!("tuple struct")
    };
    assert_eq!(pair[0].wire_name, "_0");
    assert_eq!(pair[1].ty, Ty::Named("Player".into()));
}

impl TypeDef {
    fn kind_fields_encoded_count(&self) -> usize {
        match &self.kind {
            TypeKind::Struct(f) => f.encoded().count(),
            TypeKind::Enum(_) => 0,
        }
    }
}

#[test]
fn error_positions_and_rendering() {
    let src =
        "#[derive(NetCodec)]\nstruct S {\n    a: u8,\n    #[net(range = 0..=300)]\n    b: u8,\n}\n";
    let errors = parse_file(src).expect_err("range too wide");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].pos,
        Pos {
            line: 4,
            column: 11
        }
    );
    assert_eq!(
        errors[0].render("schema.rs"),
        "schema.rs:4:11: error: range 0..=300 does not fit in `u8` (0..=255)"
    );
}

#[test]
fn rejected_types() {
    for (ty, needle) in [
        ("usize", "platform dependent"),
        ("isize", "platform dependent"),
        ("u128", "not supported"),
        ("char", "`char` is not supported"),
        ("&'static str", "references"),
        ("[u8]", "slices"),
        ("[u8; N]", "integer literal"),
        ("Foo<u8>", "generic"),
        ("crate::Foo", "bare name"),
        ("HashMap<u8, u8, MyHasher>", "two type arguments"),
        ("Vec<u8, u8>", "exactly one type argument"),
        ("(u8,)", "one-element tuples"),
        ("fn()", "unsupported type"),
    ] {
        let (_, msg) = one_error(&format!("a: {ty}"));
        assert!(msg.contains(needle), "{ty}: {msg}");
    }
}

#[test]
fn attribute_errors() {
    for (field, needle) in [
        (
            "#[net(range = 0..=9)] a: f32",
            "`range` applies to integers, not `f32`",
        ),
        ("#[net(range = 0..=9)] a: Vec<String>", "not `String`"),
        ("#[net(range = -1..=9)] a: u8", "does not fit in `u8`"),
        ("#[net(range = 0..=128)] a: i8", "does not fit in `i8`"),
        ("#[net(range = 9..=1)] a: u8", "empty range"),
        ("#[net(range = 3..3)] a: u8", "empty range"),
        ("#[net(range = 0..=1, varint)] a: u32", "conflict"),
        ("#[net(varint)] a: u8", "16 bits or more"),
        ("#[net(varint)] a: Vec<u8>", "16 bits or more"),
        ("#[net(varint)] a: bool", "applies to integers"),
        ("#[net(half)] a: u16", "`half` applies to `f32`, `f64`"),
        (
            "#[net(half, quantize(min = 0, max = 1, step = 0.5))] a: f32",
            "conflict",
        ),
        (
            "#[net(quantize(min = 0, max = 1, step = 0.5))] a: u8",
            "`quantize` applies",
        ),
        (
            "#[net(quantize(min = 0, max = 1, step = 0))] a: f32",
            "step must be above zero",
        ),
        (
            "#[net(quantize(min = 0, max = 1, step = -1))] a: f32",
            "step must be above zero",
        ),
        (
            "#[net(quantize(min = 1, max = 1, step = 0.5))] a: f32",
            "must be above min",
        ),
        (
            "#[net(quantize(min = 0, max = 1e20, step = 0.001))] a: f64",
            "needs 77 bits, above the limit of 53",
        ),
        ("#[net(quantize(min = 0, max = 1))] a: f32", "needs `step"),
        (
            "#[net(quantize(min = 0, max = 1, step = 1, size = 2))] a: f32",
            "unknown `quantize` parameter",
        ),
        ("#[net(max_len = 3)] a: u32", "`max_len` applies"),
        ("#[net(max_len = 3)] a: [String; 2]", "`max_len` applies"),
        (
            "#[net(lossless)] a: Vector3",
            "`lossless` applies to `CFrame` or `Color3`",
        ),
        ("a: EnumItem", "roblox_enum"),
        (
            "#[net(roblox_enum = \"KeyCode\")] a: u16",
            "`roblox_enum` applies to `EnumItem`",
        ),
        (
            "#[net(bogus)] a: u8",
            "unknown field attribute `bogus`; expected",
        ),
        (
            "#[net(rnage = 0..=1)] a: u8",
            "`rnage` (did you mean `range`?)",
        ),
        ("#[net(maxlen = 3)] a: String", "(did you mean `max_len`?)"),
        ("#[net(max_depth = 3)] a: u8", "goes on the struct"),
        ("#[net(varint, varint)] a: u32", "duplicate `varint`"),
        (
            "#[net(range = 0..=1)] #[net(range = 0..=2)] a: u8",
            "duplicate `range`",
        ),
        ("#[net(varint = 1)] a: u32", "takes no value"),
        (
            "#[net(default = \"f\")] a: u32",
            "only applies together with `skip`",
        ),
        (
            "#[net(skip, varint)] a: u32",
            "encoding attributes do not apply",
        ),
        ("a: HashMap<f32, u8>", "map keys must be integers"),
        ("a: BTreeSet<Vector3>", "set elements must be integers"),
        ("a: Vec<()>", "needs `#[net(max_len = N)]`"),
        ("a: Vec<Instance>", "needs `#[net(max_len = N)]`"),
        (
            "#[net(range = 1..=1)] a: Vec<u8>",
            "needs `#[net(max_len = N)]`",
        ),
        ("a: Vec<[bool; 0]>", "needs `#[net(max_len = N)]`"),
        (
            "#[net(rename = \"b\")] a: u8, b: u8",
            "two fields have the wire name `b`",
        ),
    ] {
        let (line, msg) = one_error(field);
        assert_eq!(line, 3, "{field}: {msg}");
        assert!(msg.contains(needle), "{field}: {msg}");
    }
}

#[test]
fn zero_bit_elements_with_max_len_are_fine() {
    assert_eq!(
        ty_of("#[net(max_len = 4)] a: Vec<()>"),
        Ty::List {
            elem: Box::new(Ty::Unit),
            max_len: Some(4)
        }
    );
}

#[test]
fn type_level_errors() {
    let cases = [
        ("#[derive(NetCodec)] struct G<T> { a: T }", "generic types"),
        ("#[derive(NetCodec)] enum E {}", "no variants"),
        (
            "#[derive(NetCodec)] enum E { A = 1, B }",
            "explicit discriminants",
        ),
        (
            "#[derive(NetCodec)] enum E { A, #[net(rename = \"A\")] B }",
            "two variants",
        ),
        (
            "#[derive(NetCodec)] #[net(max_depth = 0)] struct S;",
            "at least 1",
        ),
        (
            "#[derive(NetCodec)] #[net(frobnicate)] struct S;",
            "unknown type attribute",
        ),
        (
            "#[derive(NetCodec)] enum E { #[net(skip)] A }",
            "unknown variant attribute",
        ),
        ("#[derive(NetCodec)] union U { a: u8 }", "unions"),
        (
            "#[derive(NetCodec)] struct S { a: Missing }",
            "unknown type `Missing`",
        ),
        (
            "#[derive(NetCodec)] struct S; #[derive(NetCodec)] struct S;",
            "declared twice",
        ),
        (
            "#[derive(NetCodec)] struct A; #[derive(NetCodec)] #[net(rename = \"A\")] struct B;",
            "wire name `A`",
        ),
        (
            "#[derive(NetCodec)] struct Z; #[derive(NetCodec)] struct S { a: Vec<Z> }",
            "collection of `Z`",
        ),
        (
            "#[derive(NetCodec)] struct Loop { next: Box<Loop> }",
            "no finite value",
        ),
        ("struct S { a: u8 ", "syntax error"),
        ("struct S { a: u8 ) }", "syntax error"),
        ("struct S { a u8 }", "expected"),
    ];
    for (src, needle) in cases {
        let errors = parse_file(src).expect_err(src);
        assert!(
            errors.iter().any(|e| e.message.contains(needle)),
            "{src}: {errors:?}"
        );
        assert!(errors.iter().all(|e| e.pos.line >= 1), "{src}: {errors:?}");
    }
}

#[test]
fn errors_accumulate_and_sort() {
    let errors = errors_of("#[net(varint)] a: u8,\n#[net(half)] b: u8,\nc: usize");
    let lines: Vec<u32> = errors.iter().map(|e| e.pos.line).collect();
    assert_eq!(lines, vec![3, 4, 5]);
}

#[test]
fn recursive_types_with_a_way_out_are_accepted() {
    let src = "#[derive(NetCodec)] enum Tree { Leaf(u8), Node(Box<Tree>, Box<Tree>) }
               #[derive(NetCodec)] struct List { head: u8, tail: Option<Box<List>> }";
    assert!(parse_file(src).is_ok());
}

#[test]
fn other_derives_and_items_are_ignored() {
    let src = "#[derive(Debug)] struct Plain { a: usize }
               #[derive(other::NetCodec)] struct Foreign { a: usize }
               impl Plain { fn f(&self) {} }
               const X: u8 = 3;";
    assert_eq!(parse_file(src).expect("ok").types.len(), 0);
}

#[test]
fn conformance_and_example_schemas_parse() {
    for path in [
        "../conformance/schemas/features.rs",
        "../examples/arena/schema.rs",
    ] {
        let full = concat!(env!("CARGO_MANIFEST_DIR"), "/").to_owned() + path;
        let Ok(src) = std::fs::read_to_string(&full) else {
            continue;
        };
        if let Err(errors) = parse_file(&src) {
            let text: Vec<String> = errors.iter().map(|e| e.render(path)).collect();
            panic!("{}", text.join("\n"));
        }
    }
}

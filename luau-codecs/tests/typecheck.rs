//! The generated module type-checks in `--!strict` with Luau's own checker.
mod common;

use skyrocket_luau::{generate, GenOptions};

fn check(source: &str) -> Vec<String> {
    let mut checker = luau_analyze::Checker::new().expect("checker");
    checker
        .add_definitions(include_str!("../luau/roblox.d.luau"))
        .expect("definitions load");
    let result = checker.check(source).expect("check runs");
    result
        .errors()
        .iter()
        .map(|d| {
            let line = source.lines().nth(d.line as usize).unwrap_or("");
            format!(
                "{}:{}: {}\n    {}",
                d.line + 1,
                d.col + 1,
                d.message,
                line.trim()
            )
        })
        .collect()
}

#[test]
fn generated_module_has_no_type_errors() {
    let m = generate(&common::all_features(), &GenOptions::default()).unwrap();
    let errors = check(&m.source);
    assert!(
        errors.is_empty(),
        "{} type errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn checker_is_strict_on_generated_code() {
    // Sanity: the header keeps strict mode on (a planted error is reported).
    let m = generate(&common::all_features(), &GenOptions::default()).unwrap();
    let planted = m.source.replace(
        "return Codec\n",
        "local _x: number = \"no\"\nreturn Codec\n",
    );
    assert!(!check(&planted).is_empty());
}

#[test]
fn large_schema_type_checks() {
    // 70 types: above the threshold where codecs move into tables. (Luau's
    // solver gives up, "type inference failed to complete", on modules of
    // ~13k lines such as `common::large()`'s 150 types.)
    let m = generate(&common::large_n(70), &GenOptions::default()).unwrap();
    let errors = check(&m.source);
    assert!(
        errors.is_empty(),
        "{} type errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn struct_wider_than_luau_locals_type_checks() {
    // 100 fields: the encoder and decoder are cut into `do ... end`
    // segments (the record is filled field by field through an `any` local)
    // to stay within Luau's 200 locals per function. (Luau's solver gives
    // up, "type inference failed to complete", on much longer functions:
    // about 130 such fields, or 60 bounded strings.)
    let kinds = [
        "u8",
        "#[net(quantize(min = 0.0, max = 1.0, step = 0.01))] f32",
        "#[net(max_len = 8)] String",
        "Option<u16>",
        "Vector3",
    ];
    let fields: String = (0..100)
        .map(|i| {
            let kind = kinds[i % kinds.len()];
            match kind.rsplit_once("] ") {
                Some((attr, ty)) => format!("    {attr}]\n    pub f{i}: {ty},\n"),
                None => format!("    pub f{i}: {kind},\n"),
            }
        })
        .collect();
    let source = format!(
        "#[derive(NetCodec)]\npub struct Wide {{\n{fields}}}\n#[derive(NetCodec)]\npub enum Holder {{\n    Empty,\n    Full {{ wide: Wide }},\n}}\n"
    );
    let schema = skyrocket_schema::parse_file(&source).expect("schema parses");
    let m = generate(&schema, &GenOptions::default()).unwrap();
    assert!(m.source.contains("local rec"), "the decoder is segmented");
    let errors = check(&m.source);
    assert!(
        errors.is_empty(),
        "{} type errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

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

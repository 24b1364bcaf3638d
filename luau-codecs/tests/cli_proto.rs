//! `skyrocket gen --proto`: writes the proto3 file, alone or beside the Luau modules.

fn cli(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (vec![], vec![]);
    let code = skyrocket_luau::cli::run(&args, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[test]
fn gen_proto_writes_a_deterministic_proto3_file() {
    let schema = format!("{}/../examples/arena/schema.rs", env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("skyrocket-proto-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let proto = dir.join("nested/arena.proto");
    let (code, out, err) = cli(&["gen", &schema, "--proto", proto.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("package schema, 11 types"), "{out}");
    let first = std::fs::read_to_string(&proto).expect("proto written");
    assert!(
        first.contains("syntax = \"proto3\";\n\npackage schema;\n"),
        "{first}"
    );
    assert!(first.contains("message Snapshot {"), "{first}");
    assert!(
        !dir.join("Codecs.luau").exists(),
        "no --out: only the proto"
    );

    let out_dir = dir.join("luau");
    let (code, _, err) = cli(&[
        "gen",
        &schema,
        "--out",
        out_dir.to_str().expect("utf-8"),
        "--proto",
        proto.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out_dir.join("Codecs.luau").exists());
    assert!(out_dir.join("Formats/Protobuf.luau").exists());
    assert_eq!(
        std::fs::read_to_string(&proto).expect("again"),
        first,
        "deterministic"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

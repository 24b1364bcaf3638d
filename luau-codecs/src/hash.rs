//! The schema hash stamped into generated modules (spec section 8).

use skyrocket_schema::{Fields, Schema, TypeKind};

/// A canonical text of everything in `schema` that affects the wire format
/// or the generated Luau API (names, types, encodings, depth limits), and
/// nothing else (no doc comments, no source positions).
pub fn canonical_dump(schema: &Schema) -> String {
    let mut out = String::from("skyrocket-wire-v1\n");
    let fields = |out: &mut String, f: &Fields| {
        let shape = match f {
            Fields::Named(_) => "named",
            Fields::Tuple(_) => "tuple",
            Fields::Unit => "unit",
        };
        out.push_str(&format!("  fields {shape}\n"));
        for field in f.iter() {
            out.push_str(&format!(
                "   {} skip={} {:?}\n",
                field.wire_name,
                field.skip.is_some(),
                field.ty
            ));
        }
    };
    for def in &schema.types {
        out.push_str(&format!(
            "type {} as {} depth {}\n",
            def.name, def.wire_name, def.max_depth
        ));
        match &def.kind {
            TypeKind::Struct(f) => fields(&mut out, f),
            TypeKind::Enum(vs) => {
                for v in vs {
                    out.push_str(&format!(" variant {} as {}\n", v.name, v.wire_name));
                    fields(&mut out, &v.fields);
                }
            }
        }
    }
    out
}

/// FNV-1a, 64 bits.
pub fn fnv1a64(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The schema hash: FNV-1a 64 of [`canonical_dump`].
pub fn schema_hash(schema: &Schema) -> u64 {
    fnv1a64(canonical_dump(schema).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    }
}

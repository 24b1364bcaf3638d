//! Luau type emission: the exported type of every schema type and the Luau
//! spelling of every IR type (see the crate docs for the representation).

use skyrocket_schema::{Fields, RobloxTy, Schema, Ty, TypeDef, TypeKind};

use crate::emit::{field_key, lua_string, Writer};

/// The discriminant field of enum values represented as tables.
pub const TAG_FIELD: &str = "kind";

/// Whether an enum is represented as a string union (every variant is unit).
pub fn is_string_enum(def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Enum(vs) => vs.iter().all(|v| matches!(v.fields, Fields::Unit)),
        TypeKind::Struct(_) => false,
    }
}

/// The Luau spelling of a wire type.
pub fn luau_type(schema: &Schema, ty: &Ty) -> String {
    match ty {
        Ty::Unit => "true".into(),
        Ty::Bool => "boolean".into(),
        Ty::Int(..) | Ty::Float(..) => "number".into(),
        Ty::String { .. } => "string".into(),
        Ty::Bytes { .. } | Ty::ByteArray(_) => "buffer".into(),
        Ty::Option(inner) => {
            let t = luau_type(schema, inner);
            if t.ends_with('?') {
                t
            } else if t.contains(' ') {
                format!("({t})?")
            } else {
                format!("{t}?")
            }
        }
        Ty::Boxed(inner) => luau_type(schema, inner),
        Ty::List { elem, .. } | Ty::Array { elem, .. } => {
            format!("{{{}}}", luau_type(schema, elem))
        }
        Ty::Tuple(elems) => {
            let mut parts: Vec<String> = Vec::new();
            for e in elems {
                let t = luau_type(schema, e);
                if !parts.contains(&t) {
                    parts.push(t);
                }
            }
            format!("{{{}}}", parts.join(" | "))
        }
        Ty::Map { key, value, .. } => {
            format!(
                "{{[{}]: {}}}",
                luau_type(schema, key),
                luau_type(schema, value)
            )
        }
        Ty::Set { elem, .. } => format!("{{[{}]: true}}", luau_type(schema, elem)),
        Ty::Roblox(r) => roblox_type(r).into(),
        Ty::Named(n) => schema
            .get(n)
            .map(|d| d.wire_name.clone())
            .unwrap_or_else(|| n.clone()),
    }
}

/// The Luau type of a Roblox value type.
pub fn roblox_type(r: &RobloxTy) -> &'static str {
    match r {
        RobloxTy::Vector3(_) => "Vector3",
        RobloxTy::Vector2(_) => "Vector2",
        RobloxTy::CFrame { .. } => "CFrame",
        RobloxTy::Color3 { .. } => "Color3",
        RobloxTy::UDim => "UDim",
        RobloxTy::UDim2 => "UDim2",
        RobloxTy::DateTime => "DateTime",
        RobloxTy::EnumItem { .. } => "EnumItem",
        RobloxTy::Instance => "Instance?",
    }
}

fn doc_comment(w: &mut Writer, doc: &Option<String>) {
    if let Some(doc) = doc {
        for l in doc.lines() {
            w.line(format!("--- {}", l.trim()));
        }
    }
}

/// The record body `{ a: T, b: U }` of a struct or variant's fields, with an
/// optional leading `kind` discriminant.
fn record_type(schema: &Schema, fields: &Fields, tag: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(tag) = tag {
        parts.push(format!("{TAG_FIELD}: {}", lua_string(tag)));
    }
    for f in fields.encoded() {
        parts.push(format!(
            "{}: {}",
            field_key(&f.wire_name),
            luau_type(schema, &f.ty)
        ));
    }
    if parts.is_empty() {
        "{}".into()
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}

/// Emits `export type Name = ...` for one schema type.
pub fn emit_type(w: &mut Writer, schema: &Schema, def: &TypeDef) {
    doc_comment(w, &def.doc);
    match &def.kind {
        TypeKind::Struct(fields) => {
            w.line(format!(
                "export type {} = {}",
                def.wire_name,
                record_type(schema, fields, None)
            ));
        }
        TypeKind::Enum(variants) => {
            if variants.is_empty() {
                w.line(format!("export type {} = never", def.wire_name));
            } else if is_string_enum(def) {
                let alts: Vec<String> = variants.iter().map(|v| lua_string(&v.wire_name)).collect();
                w.line(format!(
                    "export type {} = {}",
                    def.wire_name,
                    alts.join(" | ")
                ));
            } else {
                w.line(format!("export type {} =", def.wire_name));
                for (i, v) in variants.iter().enumerate() {
                    let sep = if i == 0 { "  " } else { "| " };
                    w.line(format!(
                        "    {sep}{}",
                        record_type(schema, &v.fields, Some(&v.wire_name))
                    ));
                }
            }
        }
    }
}

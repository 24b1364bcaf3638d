//! A readable JSON form of dynamic values, for the checked-in vectors.
//!
//! Structs are objects keyed by field name, enums `{"Variant": payload}`,
//! options `null` or `{"some": v}`, byte strings `{"hex": "..."}`, floats
//! numbers or `"NaN"`, `"inf"`, `"-inf"`, `"-0"`, 64-bit integers outside
//! ±2^53 strings, Roblox values `{"Vector3": [x, y, z]}` and so on.

use serde_json::{json, Map, Value as Json};
use skyrocket::dynamic::Value;
use skyrocket::roblox::{self, CFrame, Color3, EnumItem, Instance, Vector2, Vector3};
use skyrocket::schema::{Fields, RobloxTy, Schema, Ty, TypeKind};

/// Why a JSON value does not fit its schema type.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError(pub String);

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad(what: &str, json: &Json) -> JsonError {
    JsonError(format!("expected {what}, found {json}"))
}

/// Renders a value as JSON.
pub fn to_json(schema: &Schema, ty: &Ty, value: &Value) -> Json {
    match (ty, value) {
        (_, Value::Unit) => Json::Null,
        (_, Value::Bool(b)) => json!(b),
        (_, Value::Int(i)) => {
            if i.unsigned_abs() <= (1u128 << 53) {
                json!(*i as i64)
            } else {
                json!(i.to_string())
            }
        }
        (_, Value::Float(f)) => float_json(*f),
        (_, Value::String(s)) => json!(s),
        (_, Value::Bytes(b)) => json!({ "hex": hex(b) }),
        (Ty::Option(inner), Value::Option(v)) => match v {
            Some(v) => json!({ "some": to_json(schema, inner, v) }),
            None => Json::Null,
        },
        (Ty::Boxed(inner), v) => to_json(schema, inner, v),
        (
            Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. },
            Value::List(items),
        ) => Json::Array(items.iter().map(|v| to_json(schema, elem, v)).collect()),
        (Ty::Tuple(tys), Value::List(items)) => Json::Array(
            tys.iter()
                .zip(items)
                .map(|(t, v)| to_json(schema, t, v))
                .collect(),
        ),
        (
            Ty::Map {
                key, value: vty, ..
            },
            Value::Map(entries),
        ) => Json::Array(
            entries
                .iter()
                .map(|(k, v)| json!([to_json(schema, key, k), to_json(schema, vty, v)]))
                .collect(),
        ),
        (Ty::Named(name), v) => named_to_json(schema, name, v),
        (_, Value::Vector3(v)) => json!({ "Vector3": [f(v.x), f(v.y), f(v.z)] }),
        (_, Value::Vector2(v)) => json!({ "Vector2": [f(v.x), f(v.y)] }),
        (_, Value::CFrame(cf)) => {
            json!({ "CFrame": cf.components().iter().map(|c| f(*c)).collect::<Vec<_>>() })
        }
        (_, Value::Color3(c)) => json!({ "Color3": [f(c.r), f(c.g), f(c.b)] }),
        (_, Value::UDim(u)) => json!({ "UDim": [f(u.scale), u.offset] }),
        (_, Value::UDim2(u)) => {
            json!({ "UDim2": [f(u.x.scale), u.x.offset, f(u.y.scale), u.y.offset] })
        }
        (_, Value::DateTime(d)) => json!({ "DateTime": d.unix_millis }),
        (_, Value::EnumItem(e)) => json!({ "EnumItem": e.value }),
        (_, Value::Instance(i)) => json!({ "Instance": i.id }),
        _ => json!({ "unrepresentable": format!("{value:?}") }),
    }
}

fn f(v: f32) -> Json {
    float_json(v as f64)
}

fn float_json(v: f64) -> Json {
    if v.is_nan() {
        json!("NaN")
    } else if v == f64::INFINITY {
        json!("inf")
    } else if v == f64::NEG_INFINITY {
        json!("-inf")
    } else if v == 0.0 && v.is_sign_negative() {
        json!("-0")
    } else {
        json!(v)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses lowercase or uppercase hex.
pub fn unhex(s: &str) -> Result<Vec<u8>, JsonError> {
    if !s.len().is_multiple_of(2) {
        return Err(JsonError(format!("odd-length hex {s:?}")));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&s[i..i + 2], 16).map_err(|_| JsonError(format!("bad hex {s:?}")))
        })
        .collect()
}

/// Renders bytes as lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    hex(bytes)
}

fn fields_to_json(schema: &Schema, fields: &Fields, values: &[Value]) -> Json {
    match fields {
        Fields::Named(_) => {
            let mut map = Map::new();
            for (field, v) in fields.encoded().zip(values) {
                map.insert(field.wire_name.clone(), to_json(schema, &field.ty, v));
            }
            Json::Object(map)
        }
        Fields::Tuple(_) => Json::Array(
            fields
                .encoded()
                .zip(values)
                .map(|(field, v)| to_json(schema, &field.ty, v))
                .collect(),
        ),
        Fields::Unit => Json::Null,
    }
}

fn named_to_json(schema: &Schema, name: &str, value: &Value) -> Json {
    let Some(def) = schema.get(name) else {
        return Json::Null;
    };
    match (&def.kind, value) {
        (TypeKind::Struct(fields), Value::Struct(values)) => fields_to_json(schema, fields, values),
        (TypeKind::Enum(variants), Value::Enum(index, values)) => {
            let variant = &variants[*index as usize];
            json!({ variant.wire_name.clone(): fields_to_json(schema, &variant.fields, values) })
        }
        _ => Json::Null,
    }
}

/// Parses the JSON form of a value of `ty`.
pub fn from_json(schema: &Schema, ty: &Ty, json: &Json) -> Result<Value, JsonError> {
    Ok(match ty {
        Ty::Unit => Value::Unit,
        Ty::Bool => Value::Bool(json.as_bool().ok_or_else(|| bad("a bool", json))?),
        Ty::Int(..) => Value::Int(int(json)?),
        Ty::Float(..) => Value::Float(float(json)?),
        Ty::String { .. } => Value::String(
            json.as_str()
                .ok_or_else(|| bad("a string", json))?
                .to_owned(),
        ),
        Ty::Bytes { .. } | Ty::ByteArray(_) => {
            let hex = json
                .get("hex")
                .and_then(Json::as_str)
                .ok_or_else(|| bad("{\"hex\": ...}", json))?;
            Value::Bytes(unhex(hex)?)
        }
        Ty::Option(inner) => Value::Option(match json {
            Json::Null => None,
            _ => {
                let some = json
                    .get("some")
                    .ok_or_else(|| bad("null or {\"some\": ...}", json))?;
                Some(Box::new(from_json(schema, inner, some)?))
            }
        }),
        Ty::Boxed(inner) => from_json(schema, inner, json)?,
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => Value::List(
            array(json)?
                .iter()
                .map(|j| from_json(schema, elem, j))
                .collect::<Result<_, _>>()?,
        ),
        Ty::Tuple(tys) => {
            let items = array(json)?;
            if items.len() != tys.len() {
                return Err(bad(&format!("{} tuple elements", tys.len()), json));
            }
            Value::List(
                tys.iter()
                    .zip(items)
                    .map(|(t, j)| from_json(schema, t, j))
                    .collect::<Result<_, _>>()?,
            )
        }
        Ty::Map { key, value, .. } => Value::Map(
            array(json)?
                .iter()
                .map(|entry| {
                    let pair = array(entry)?;
                    if pair.len() != 2 {
                        return Err(bad("a [key, value] pair", entry));
                    }
                    Ok((
                        from_json(schema, key, &pair[0])?,
                        from_json(schema, value, &pair[1])?,
                    ))
                })
                .collect::<Result<_, _>>()?,
        ),
        Ty::Roblox(r) => roblox_from_json(r, json)?,
        Ty::Named(name) => named_from_json(schema, name, json)?,
    })
}

fn array(json: &Json) -> Result<&Vec<Json>, JsonError> {
    json.as_array().ok_or_else(|| bad("an array", json))
}

fn int(json: &Json) -> Result<i128, JsonError> {
    match json {
        Json::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        Json::String(s) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| bad("an integer", json))
}

fn float(json: &Json) -> Result<f64, JsonError> {
    match json {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "inf" => Some(f64::INFINITY),
            "-inf" => Some(f64::NEG_INFINITY),
            "-0" => Some(-0.0),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| bad("a number", json))
}

fn floats<const N: usize>(json: &Json) -> Result<[f32; N], JsonError> {
    let items = array(json)?;
    if items.len() != N {
        return Err(bad(&format!("{N} numbers"), json));
    }
    let mut out = [0.0f32; N];
    for (slot, j) in out.iter_mut().zip(items) {
        *slot = float(j)? as f32;
    }
    Ok(out)
}

fn roblox_from_json(ty: &RobloxTy, json: &Json) -> Result<Value, JsonError> {
    let (tag, payload) = json
        .as_object()
        .and_then(|o| o.iter().next())
        .ok_or_else(|| bad("a Roblox value object", json))?;
    let value = match (ty, tag.as_str()) {
        (RobloxTy::Vector3(_), "Vector3") => {
            let [x, y, z] = floats(payload)?;
            Value::Vector3(Vector3::new(x, y, z))
        }
        (RobloxTy::Vector2(_), "Vector2") => {
            let [x, y] = floats(payload)?;
            Value::Vector2(Vector2::new(x, y))
        }
        (RobloxTy::CFrame { .. }, "CFrame") => {
            let c: [f32; 12] = floats(payload)?;
            Value::CFrame(CFrame {
                position: Vector3::new(c[0], c[1], c[2]),
                rotation: [[c[3], c[4], c[5]], [c[6], c[7], c[8]], [c[9], c[10], c[11]]],
            })
        }
        (RobloxTy::Color3 { .. }, "Color3") => {
            let [r, g, b] = floats(payload)?;
            Value::Color3(Color3 { r, g, b })
        }
        (RobloxTy::UDim, "UDim") => {
            let items = array(payload)?;
            Value::UDim(udim(items, 0)?)
        }
        (RobloxTy::UDim2, "UDim2") => {
            let items = array(payload)?;
            Value::UDim2(roblox::UDim2 {
                x: udim(items, 0)?,
                y: udim(items, 2)?,
            })
        }
        (RobloxTy::DateTime, "DateTime") => Value::DateTime(roblox::DateTime {
            unix_millis: int(payload)? as i64,
        }),
        (RobloxTy::EnumItem { .. }, "EnumItem") => Value::EnumItem(EnumItem {
            value: int(payload)? as u16,
        }),
        (RobloxTy::Instance, "Instance") => Value::Instance(Instance {
            id: int(payload)? as u64,
        }),
        _ => return Err(bad(&format!("{ty:?}"), json)),
    };
    Ok(value)
}

fn udim(items: &[Json], at: usize) -> Result<roblox::UDim, JsonError> {
    let scale = items
        .get(at)
        .ok_or_else(|| JsonError("UDim scale missing".into()))?;
    let offset = items
        .get(at + 1)
        .ok_or_else(|| JsonError("UDim offset missing".into()))?;
    Ok(roblox::UDim {
        scale: float(scale)? as f32,
        offset: int(offset)? as i32,
    })
}

fn fields_from_json(
    schema: &Schema,
    fields: &Fields,
    json: &Json,
) -> Result<Vec<Value>, JsonError> {
    match fields {
        Fields::Named(_) => {
            let object = json.as_object().ok_or_else(|| bad("an object", json))?;
            fields
                .encoded()
                .map(|field| {
                    let j = object
                        .get(&field.wire_name)
                        .ok_or_else(|| JsonError(format!("field {} missing", field.wire_name)))?;
                    from_json(schema, &field.ty, j)
                })
                .collect()
        }
        Fields::Tuple(_) => {
            let items = array(json)?;
            fields
                .encoded()
                .zip(items)
                .map(|(field, j)| from_json(schema, &field.ty, j))
                .collect()
        }
        Fields::Unit => Ok(Vec::new()),
    }
}

fn named_from_json(schema: &Schema, name: &str, json: &Json) -> Result<Value, JsonError> {
    let def = schema
        .get(name)
        .ok_or_else(|| JsonError(format!("unknown type {name}")))?;
    match &def.kind {
        TypeKind::Struct(fields) => Ok(Value::Struct(fields_from_json(schema, fields, json)?)),
        TypeKind::Enum(variants) => {
            let (tag, payload) = json
                .as_object()
                .and_then(|o| o.iter().next())
                .ok_or_else(|| bad("{\"Variant\": payload}", json))?;
            let index = variants
                .iter()
                .position(|v| v.wire_name == *tag)
                .ok_or_else(|| JsonError(format!("{name} has no variant {tag}")))?;
            Ok(Value::Enum(
                index as u32,
                fields_from_json(schema, &variants[index].fields, payload)?,
            ))
        }
    }
}

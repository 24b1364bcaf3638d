//! Checked-in conformance vectors: for each schema type, values with their
//! exact encoding, and inputs every decoder must reject.
//!
//! The files under `conformance/vectors/` are generated from the Rust side
//! (`SKYROCKET_BLESS=1 cargo test -p skyrocket-conformance --test vectors`),
//! reviewed, and committed; the tests then hold Rust and Luau to them.

use crate::json::{from_json, to_hex, to_json, unhex, JsonError};
use crate::random::ValueGen;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value as Json};
use skyrocket::dynamic::{self, Value};
use skyrocket::schema::{Schema, Ty};

/// One valid vector: a value and its exact encoding.
#[derive(Debug, Clone)]
pub struct ValidVector {
    /// The value, in the JSON form of [`crate::json`].
    pub value: Value,
    /// The encoding.
    pub bytes: Vec<u8>,
    /// Ids of the instance side table.
    pub instances: Vec<u64>,
}

/// One input that must be rejected.
#[derive(Debug, Clone)]
pub struct InvalidVector {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The spec's error kind the Rust decoder reports.
    pub error: String,
    /// How it was made from a valid vector.
    pub why: String,
}

/// The vectors of one schema type.
#[derive(Debug, Clone)]
pub struct TypeVectors {
    /// Rust type name.
    pub type_name: String,
    /// Values and encodings.
    pub valid: Vec<ValidVector>,
    /// Rejected inputs.
    pub invalid: Vec<InvalidVector>,
}

const VALID_PER_TYPE: usize = 6;
const INVALID_PER_TYPE: usize = 6;

fn instances_of(list: &[u64]) -> Vec<skyrocket::roblox::Instance> {
    list.iter()
        .map(|&id| skyrocket::roblox::Instance { id })
        .collect()
}

/// Builds the vectors of every type of `schema` from a seed.
pub fn build(schema: &Schema, seed: u64) -> Vec<TypeVectors> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    schema
        .types
        .iter()
        .map(|def| {
            let ty = Ty::Named(def.name.clone());
            let mut gen = ValueGen::new(schema, ChaCha8Rng::seed_from_u64(rng.gen()));
            gen.max_unbounded_len = 4;
            gen.max_collection_len = 3;
            let mut valid: Vec<ValidVector> = Vec::new();
            for _ in 0..VALID_PER_TYPE * 4 {
                if valid.len() == VALID_PER_TYPE {
                    break;
                }
                let value = gen.value(&ty);
                let Ok((bytes, instances)) = dynamic::to_bytes(schema, &ty, &value) else {
                    continue;
                };
                // Store the canonical (decoded) value: lossy encodings round.
                let Ok(value) = dynamic::from_bytes(schema, &ty, &bytes, &instances) else {
                    continue;
                };
                // Keep only fixed points of decode-then-encode (spec 5.1 allows
                // rotations at near-ties to re-encode differently).
                if dynamic::to_bytes(schema, &ty, &value)
                    .map(|(b, _)| b)
                    .as_ref()
                    != Ok(&bytes)
                {
                    continue;
                }
                if valid.iter().any(|v| v.bytes == bytes) {
                    continue;
                }
                valid.push(ValidVector {
                    value,
                    bytes,
                    instances: instances.iter().map(|i| i.id).collect(),
                });
            }
            let invalid = invalid_inputs(schema, &ty, &valid, &mut rng);
            TypeVectors {
                type_name: def.name.clone(),
                valid,
                invalid,
            }
        })
        .collect()
}

fn invalid_inputs(
    schema: &Schema,
    ty: &Ty,
    valid: &[ValidVector],
    rng: &mut ChaCha8Rng,
) -> Vec<InvalidVector> {
    let mut out: Vec<InvalidVector> = Vec::new();
    let push = |bytes: Vec<u8>, instances: &[u64], why: String, out: &mut Vec<InvalidVector>| {
        if out.len() >= INVALID_PER_TYPE || out.iter().any(|v| v.bytes == bytes) {
            return;
        }
        if let Err(e) = dynamic::from_bytes(schema, ty, &bytes, &instances_of(instances)) {
            out.push(InvalidVector {
                bytes,
                error: e.kind().name().to_owned(),
                why,
            });
        }
    };
    for v in valid {
        push(
            [v.bytes.clone(), vec![0]].concat(),
            &v.instances,
            "a trailing zero byte".into(),
            &mut out,
        );
        if !v.bytes.is_empty() {
            push(
                v.bytes[..v.bytes.len() - 1].to_vec(),
                &v.instances,
                "last byte removed".into(),
                &mut out,
            );
            for _ in 0..8 {
                let mut bytes = v.bytes.clone();
                let at = rng.gen_range(0..bytes.len());
                let bit = rng.gen_range(0..8);
                bytes[at] ^= 1 << bit;
                push(
                    bytes,
                    &v.instances,
                    format!("bit {bit} of byte {at} flipped"),
                    &mut out,
                );
            }
        }
    }
    out
}

/// Renders vectors as the checked-in JSON document.
pub fn to_document(schema_file: &str, schema: &Schema, vectors: &[TypeVectors]) -> Json {
    let types: Vec<Json> = vectors
        .iter()
        .map(|tv| {
            let ty = Ty::Named(tv.type_name.clone());
            json!({
                "type": tv.type_name,
                "valid": tv.valid.iter().map(|v| {
                    let mut entry = json!({ "value": to_json(schema, &ty, &v.value), "hex": to_hex(&v.bytes) });
                    if !v.instances.is_empty() {
                        entry["instances"] = json!(v.instances);
                    }
                    entry
                }).collect::<Vec<_>>(),
                "invalid": tv.invalid.iter().map(|v| json!({
                    "hex": to_hex(&v.bytes),
                    "error": v.error,
                    "why": v.why,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "schema": schema_file,
        "format": "skyrocket wire format v1 (docs/wire-format.md)",
        "types": types,
    })
}

fn field<'a>(json: &'a Json, key: &str) -> Result<&'a Json, JsonError> {
    json.get(key)
        .ok_or_else(|| JsonError(format!("missing {key:?}")))
}

fn text<'a>(json: &'a Json, key: &str) -> Result<&'a str, JsonError> {
    field(json, key)?
        .as_str()
        .ok_or_else(|| JsonError(format!("{key:?} is not a string")))
}

/// Parses a checked-in JSON document back into vectors.
pub fn from_document(schema: &Schema, doc: &Json) -> Result<Vec<TypeVectors>, JsonError> {
    let types = field(doc, "types")?
        .as_array()
        .ok_or_else(|| JsonError("types is not an array".into()))?;
    types
        .iter()
        .map(|t| {
            let type_name = text(t, "type")?.to_owned();
            let ty = Ty::Named(type_name.clone());
            let list = |key: &str| -> Result<Vec<Json>, JsonError> {
                Ok(field(t, key)?.as_array().cloned().unwrap_or_default())
            };
            let valid = list("valid")?
                .iter()
                .map(|v| {
                    Ok(ValidVector {
                        value: from_json(schema, &ty, field(v, "value")?)?,
                        bytes: unhex(text(v, "hex")?)?,
                        instances: v
                            .get("instances")
                            .and_then(Json::as_array)
                            .map(|a| a.iter().filter_map(Json::as_u64).collect())
                            .unwrap_or_default(),
                    })
                })
                .collect::<Result<_, JsonError>>()?;
            let invalid = list("invalid")?
                .iter()
                .map(|v| {
                    Ok(InvalidVector {
                        bytes: unhex(text(v, "hex")?)?,
                        error: text(v, "error")?.to_owned(),
                        why: text(v, "why")?.to_owned(),
                    })
                })
                .collect::<Result<_, JsonError>>()?;
            Ok(TypeVectors {
                type_name,
                valid,
                invalid,
            })
        })
        .collect()
}

//! Shared by the conformance tests: the conformance schemas compiled as Rust
//! types with the derive, and value comparison.
#![allow(dead_code)]

use skyrocket::dynamic::Value;
use skyrocket::NetCodec;

#[path = "../../schemas/features.rs"]
pub mod features;

#[path = "../../../examples/arena/schema.rs"]
pub mod arena;

/// Bitwise equality, so NaN == NaN and 0.0 != -0.0.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        (Value::Option(x), Value::Option(y)) => match (x, y) {
            (Some(x), Some(y)) => same(x, y),
            (None, None) => true,
            _ => false,
        },
        (Value::List(x), Value::List(y)) | (Value::Struct(x), Value::Struct(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Enum(i, x), Value::Enum(j, y)) => {
            i == j && same(&Value::List(x.clone()), &Value::List(y.clone()))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| same(k1, k2) && same(v1, v2))
        }
        (Value::Vector3(x), Value::Vector3(y)) => {
            [x.x, x.y, x.z].map(f32::to_bits) == [y.x, y.y, y.z].map(f32::to_bits)
                || format!("{x:?}") == format!("{y:?}")
        }
        _ => a == b || format!("{a:?}") == format!("{b:?}"),
    }
}

fn round_trip<T: NetCodec>(
    bytes: &[u8],
    instances: &[skyrocket::roblox::Instance],
) -> Result<Vec<u8>, String> {
    let mut dec = skyrocket::Decoder::with_instances(bytes, instances);
    let value = T::decode(&mut dec).map_err(|e| e.to_string())?;
    dec.finish().map_err(|e| e.to_string())?;
    let mut enc = skyrocket::Encoder::new();
    value.encode(&mut enc).map_err(|e| e.to_string())?;
    Ok(enc.finish())
}

/// Decodes with the derived Rust type of that name (from the feature or the
/// arena schema) and re-encodes.
pub fn derive_round_trip(
    type_name: &str,
    bytes: &[u8],
    instances: &[skyrocket::roblox::Instance],
) -> Result<Vec<u8>, String> {
    macro_rules! by_name {
        ($($module:ident :: $t:ident),* $(,)?) => {
            match type_name {
                $(stringify!($t) => round_trip::<$module::$t>(bytes, instances),)*
                other => Err(format!("no derived type {other}")),
            }
        };
    }
    by_name!(
        features::Integers,
        features::Floats,
        features::Collections,
        features::Marker,
        features::Pair,
        features::Shape,
        features::Only,
        features::Tree,
        features::Expr,
        features::RobloxValues,
        features::WithSkip,
        features::Everything,
        arena::MoveState,
        arena::PlayerState,
        arena::Snapshot,
        arena::Weapon,
        arena::ProjectileSpawned,
        arena::ItemStack,
        arena::Inventory,
        arena::ChatMessage,
        arena::ChatChannel,
        arena::InputFrame,
        arena::Interact,
    )
}

//! Values crossing the simulated network: deep copies with Roblox's argument
//! rules, and the payload size model.
//!
//! Conversion follows Roblox's "Argument limitations for bindables and
//! remotes" (<https://create.roblox.com/docs/scripting/events/argument-limitations>):
//! tables are copied (identity and metatables are lost); a table whose key
//! `1` is set is an array and only its `1..n` run travels (keys after the
//! first nil, and every non-index key, are lost); other tables travel as
//! dictionaries of their **string** keys only; functions and threads become
//! `nil`; buffers are copied; instances travel as references and arrive as
//! `nil` where the receiving peer has no such instance.
//!
//! # Size model
//!
//! Roblox does not publish its remote encoding; [`NetValue::wire_size`]
//! estimates it as follows (documented so that numbers are comparable run to
//! run and with measurements such as packet-size counters):
//!
//! | value | bytes |
//! | --- | --- |
//! | any value | 1 type tag, plus: |
//! | nil | 0 |
//! | boolean | 1 |
//! | number | 8 |
//! | string, buffer | varint(len) + len |
//! | Vector3 | 12 |
//! | Vector2, UDim | 8 |
//! | CFrame | 12 + 1 when the rotation is axis-aligned, else 12 + 12 |
//! | Color3 | 12 |
//! | UDim2 | 16 |
//! | DateTime | 8 |
//! | EnumItem | 2 (enum id) + 2 (value) |
//! | Instance | 4 (reference id) |
//! | table (array) | varint(n) + elements |
//! | table (dictionary) | varint(n) + per entry: varint(len) + key + value |
//!
//! A remote call adds [`MESSAGE_OVERHEAD`] bytes (remote reference and
//! argument count). `UnreliableRemoteEvent` compares this total against its
//! 1000-byte limit.

use crate::datatypes::{CFrame, Color3, DateTime, EnumItem, UDim, UDim2, Vector2};
use mlua::{IntoLua, Lua, Result, Value};

/// Bytes added to every remote call by the size model.
pub const MESSAGE_OVERHEAD: usize = 5;

/// Maximum table nesting accepted in an argument (cycles are errors).
const MAX_DEPTH: usize = 64;

/// A Lua value copied out of one VM, ready to be rebuilt in another.
#[derive(Clone, Debug, PartialEq)]
pub enum NetValue {
    /// `nil` (also what functions and threads become).
    Nil,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string (bytes).
    String(Vec<u8>),
    /// A buffer (copied).
    Buffer(Vec<u8>),
    /// A Vector3 (native vector).
    Vector3([f32; 3]),
    /// A Vector2.
    Vector2(Vector2),
    /// A CFrame.
    CFrame(CFrame),
    /// A Color3.
    Color3(Color3),
    /// A UDim.
    UDim(UDim),
    /// A UDim2.
    UDim2(UDim2),
    /// A DateTime.
    DateTime(DateTime),
    /// An EnumItem, by enum and item name.
    EnumItem(&'static str, &'static str, u32),
    /// An instance reference (id shared by server and clients).
    Instance(i64),
    /// An array (`1..n`).
    Array(Vec<NetValue>),
    /// A dictionary with string keys, in a deterministic (sorted) order.
    Dict(Vec<(Vec<u8>, NetValue)>),
}

fn varint_len(mut n: usize) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

fn axis_aligned(cf: &CFrame) -> bool {
    cf.rotation
        .iter()
        .flatten()
        .all(|v| *v == 0.0 || *v == 1.0 || *v == -1.0)
}

impl NetValue {
    /// Estimated bytes on the wire (see the module documentation).
    pub fn wire_size(&self) -> usize {
        1 + match self {
            NetValue::Nil => 0,
            NetValue::Bool(_) => 1,
            NetValue::Number(_) => 8,
            NetValue::String(s) | NetValue::Buffer(s) => varint_len(s.len()) + s.len(),
            NetValue::Vector3(_) | NetValue::Color3(_) => 12,
            NetValue::Vector2(_) | NetValue::UDim(_) | NetValue::DateTime(_) => 8,
            NetValue::CFrame(cf) => {
                if axis_aligned(cf) {
                    13
                } else {
                    24
                }
            }
            NetValue::UDim2(_) => 16,
            NetValue::EnumItem(..) => 4,
            NetValue::Instance(_) => 4,
            NetValue::Array(items) => {
                varint_len(items.len()) + items.iter().map(NetValue::wire_size).sum::<usize>()
            }
            NetValue::Dict(entries) => {
                varint_len(entries.len())
                    + entries
                        .iter()
                        .map(|(k, v)| varint_len(k.len()) + k.len() + v.wire_size())
                        .sum::<usize>()
            }
        }
    }

    /// Copies a Lua value following the rules above (instances become their
    /// shared ids).
    pub fn from_lua(value: &Value) -> Result<NetValue> {
        Self::copy(value, 0)
    }

    fn copy(value: &Value, depth: usize) -> Result<NetValue> {
        Ok(match value {
            Value::Nil => NetValue::Nil,
            Value::Boolean(b) => NetValue::Bool(*b),
            Value::Integer(i) => NetValue::Number(*i as f64),
            Value::Number(n) => NetValue::Number(*n),
            Value::String(s) => NetValue::String(s.as_bytes().to_vec()),
            Value::Buffer(b) => NetValue::Buffer(b.to_vec()),
            Value::Vector(v) => NetValue::Vector3([v.x(), v.y(), v.z()]),
            Value::Table(t) => {
                if depth >= MAX_DEPTH {
                    return Err(mlua::Error::runtime(
                        "tables passed to remotes cannot be cyclic or nested this deeply",
                    ));
                }
                let first: Value = t.raw_get(1)?;
                if !first.is_nil() {
                    let mut items = Vec::new();
                    for i in 1.. {
                        let v: Value = t.raw_get(i)?;
                        if v.is_nil() {
                            break;
                        }
                        items.push(Self::copy(&v, depth + 1)?);
                    }
                    NetValue::Array(items)
                } else {
                    let mut entries = Vec::new();
                    for pair in t.clone().pairs::<Value, Value>() {
                        let (k, v) = pair?;
                        if let Value::String(k) = k {
                            let v = Self::copy(&v, depth + 1)?;
                            if v != NetValue::Nil {
                                entries.push((k.as_bytes().to_vec(), v));
                            }
                        }
                    }
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                    NetValue::Dict(entries)
                }
            }
            Value::UserData(ud) => {
                if let Ok(i) = ud.borrow::<crate::vm::InstanceRef>() {
                    NetValue::Instance(i.0)
                } else if let Ok(v) = ud.borrow::<CFrame>() {
                    NetValue::CFrame(*v)
                } else if let Ok(v) = ud.borrow::<Vector2>() {
                    NetValue::Vector2(*v)
                } else if let Ok(v) = ud.borrow::<Color3>() {
                    NetValue::Color3(*v)
                } else if let Ok(v) = ud.borrow::<UDim>() {
                    NetValue::UDim(*v)
                } else if let Ok(v) = ud.borrow::<UDim2>() {
                    NetValue::UDim2(*v)
                } else if let Ok(v) = ud.borrow::<DateTime>() {
                    NetValue::DateTime(*v)
                } else if let Ok(v) = ud.borrow::<EnumItem>() {
                    NetValue::EnumItem(v.enum_type, v.name, v.value)
                } else {
                    NetValue::Nil
                }
            }
            _ => NetValue::Nil,
        })
    }

    /// Rebuilds the value in `lua`. `instance` resolves an instance id to the
    /// peer's handle (or nil).
    pub fn to_lua(&self, lua: &Lua, instance: &dyn Fn(i64) -> Result<Value>) -> Result<Value> {
        Ok(match self {
            NetValue::Nil => Value::Nil,
            NetValue::Bool(b) => Value::Boolean(*b),
            NetValue::Number(n) => Value::Number(*n),
            NetValue::String(s) => Value::String(lua.create_string(s)?),
            NetValue::Buffer(b) => Value::Buffer(lua.create_buffer(b)?),
            NetValue::Vector3(v) => Value::Vector(mlua::Vector::new(v[0], v[1], v[2])),
            NetValue::Vector2(v) => v.into_lua(lua)?,
            NetValue::CFrame(v) => v.into_lua(lua)?,
            NetValue::Color3(v) => v.into_lua(lua)?,
            NetValue::UDim(v) => v.into_lua(lua)?,
            NetValue::UDim2(v) => v.into_lua(lua)?,
            NetValue::DateTime(v) => v.into_lua(lua)?,
            NetValue::EnumItem(e, n, _) => match EnumItem::lookup(lua, e, n)? {
                Some(ud) => Value::UserData(ud),
                None => Value::Nil,
            },
            NetValue::Instance(id) => instance(*id)?,
            NetValue::Array(items) => {
                let t = lua.create_table_with_capacity(items.len(), 0)?;
                for (i, v) in items.iter().enumerate() {
                    t.raw_set(i + 1, v.to_lua(lua, instance)?)?;
                }
                Value::Table(t)
            }
            NetValue::Dict(entries) => {
                let t = lua.create_table_with_capacity(0, entries.len())?;
                for (k, v) in entries {
                    t.raw_set(lua.create_string(k)?, v.to_lua(lua, instance)?)?;
                }
                Value::Table(t)
            }
        })
    }
}

/// Total estimated size of a remote call with these arguments.
pub fn message_size(args: &[NetValue]) -> usize {
    MESSAGE_OVERHEAD + args.iter().map(NetValue::wire_size).sum::<usize>()
}

//! Runs generated Luau codecs in an embedded, sandboxed Luau VM and converts
//! between Rust dynamic values and their Luau representation (the table in
//! `skyrocket_luau`'s crate docs).

use mlua::{Lua, ObjectLike, Table, Value as Lv};
use skyrocket::dynamic::Value;
use skyrocket::roblox::{self, CFrame, Color3, EnumItem, Instance, Vector2, Vector3};
use skyrocket::schema::{Fields, RobloxTy, Schema, Ty, TypeKind};
use skyrocket_luau::{generate, GenOptions};

/// A generated codec module loaded into its own Luau VM.
pub struct LuauCodecs {
    lua: Lua,
    module: Table,
    schema: Schema,
    /// The generated source, for error messages and type checks.
    pub source: String,
}

/// A failure on the Luau side or in conversion, as text.
pub type LuauError = String;

fn err(e: impl std::fmt::Display) -> LuauError {
    e.to_string()
}

impl LuauCodecs {
    /// Generates the module for `schema` and loads it into a sandboxed VM,
    /// with native codegen on or off.
    pub fn load(schema: &Schema, native: bool) -> Result<Self, LuauError> {
        let generated = generate(schema, &GenOptions::default()).map_err(err)?;
        let lua = skyrocket_sim::new_sandboxed_vm().map_err(err)?;
        lua.enable_jit(native);
        let module: Table = lua
            .load(generated.source.as_str())
            .set_name("=Codecs")
            .eval()
            .map_err(err)?;
        Ok(LuauCodecs {
            lua,
            module,
            schema: schema.clone(),
            source: generated.source,
        })
    }

    /// The VM the module runs in.
    pub fn lua(&self) -> &Lua {
        &self.lua
    }

    /// The module's table for a type, by Rust type name.
    pub fn codec(&self, type_name: &str) -> Result<Table, LuauError> {
        let def = self
            .schema
            .get(type_name)
            .ok_or_else(|| format!("no type {type_name}"))?;
        self.module.get(def.wire_name.as_str()).map_err(err)
    }

    /// Encodes `value` of the named type with the Luau codec.
    pub fn encode(
        &self,
        type_name: &str,
        value: &Value,
    ) -> Result<(Vec<u8>, Vec<Instance>), LuauError> {
        let codec = self.codec(type_name)?;
        let lv =
            to_lua(&self.lua, &self.schema, &Ty::Named(type_name.into()), value).map_err(err)?;
        let encode: mlua::Function = codec.get("encode").map_err(err)?;
        let (b, side): (Lv, Option<Table>) = encode.call(lv).map_err(err)?;
        let bytes = match b {
            Lv::Buffer(buf) => buf.to_vec(),
            other => return Err(format!("encode returned {}", other.type_name())),
        };
        let mut instances = Vec::new();
        if let Some(side) = side {
            for i in 1..=side.raw_len() {
                let entry: Lv = side.raw_get(i).map_err(err)?;
                instances.push(instance_from_lua(&entry)?);
            }
        }
        Ok((bytes, instances))
    }

    /// Decodes with `tryDecode`; `Err` holds the Luau error string.
    pub fn try_decode(
        &self,
        type_name: &str,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Value, LuauError> {
        self.try_decode_within(type_name, &[], bytes, &[], instances)
    }

    /// Decodes `bytes` with `tryDecode` from a buffer holding `before`,
    /// `bytes` and `after` (offset and length given): the result must not
    /// depend on the bytes around the message.
    pub fn try_decode_within(
        &self,
        type_name: &str,
        before: &[u8],
        bytes: &[u8],
        after: &[u8],
        instances: &[Instance],
    ) -> Result<Value, LuauError> {
        let codec = self.codec(type_name)?;
        let try_decode: mlua::Function = codec.get("tryDecode").map_err(err)?;
        let whole = [before, bytes, after].concat();
        let buffer = self.lua.create_buffer(whole).map_err(err)?;
        let (offset, length) = if before.is_empty() && after.is_empty() {
            (Lv::Nil, Lv::Nil)
        } else {
            (
                Lv::Integer(before.len() as i64),
                Lv::Integer(bytes.len() as i64),
            )
        };
        let side = self.lua.create_table().map_err(err)?;
        for (i, instance) in instances.iter().enumerate() {
            side.raw_set(i + 1, instance_to_lua(&self.lua, instance).map_err(err)?)
                .map_err(err)?;
        }
        let (value, error): (Lv, Option<String>) = try_decode
            .call((buffer, offset, length, side))
            .map_err(|e| format!("tryDecode raised: {e}"))?;
        if let Some(error) = error {
            return Err(error);
        }
        from_lua(&self.schema, &Ty::Named(type_name.into()), &value)
    }
}

/// Stands in for a Roblox `Instance` in the conformance VM: a userdata whose
/// `typeof` is "Instance" (the codecs check that), carrying a test id.
#[derive(Clone, Copy)]
struct TestInstance(u64);

impl mlua::UserData for TestInstance {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field("__type", "Instance");
        fields.add_field_method_get("InstanceId", |_, this| Ok(this.0));
    }
}

/// A test instance as the Luau side sees it.
pub fn instance_to_lua(lua: &Lua, instance: &Instance) -> mlua::Result<Lv> {
    Ok(Lv::UserData(
        lua.create_userdata(TestInstance(instance.id))?,
    ))
}

/// The test instance behind a Luau value.
pub fn instance_from_lua(v: &Lv) -> Result<Instance, LuauError> {
    match v {
        Lv::UserData(ud) => Ok(Instance {
            id: ud.borrow::<TestInstance>().map_err(err)?.0,
        }),
        other => Err(format!("side table holds a {}", other.type_name())),
    }
}

fn call_global(lua: &Lua, path: &[&str], args: impl mlua::IntoLuaMulti) -> mlua::Result<Lv> {
    let mut table: Table = lua.globals().get(path[0])?;
    for key in &path[1..path.len() - 1] {
        table = table.get(*key)?;
    }
    let f: mlua::Function = table.get(path[path.len() - 1])?;
    f.call(args)
}

/// Converts a dynamic value to its Luau representation.
pub fn to_lua(lua: &Lua, schema: &Schema, ty: &Ty, value: &Value) -> mlua::Result<Lv> {
    let bad = || mlua::Error::runtime(format!("value {value:?} does not match {ty:?}"));
    Ok(match (ty, value) {
        (Ty::Unit, Value::Unit) => Lv::Boolean(true),
        (Ty::Bool, Value::Bool(b)) => Lv::Boolean(*b),
        (Ty::Int(..), Value::Int(i)) => Lv::Number(*i as f64),
        (Ty::Float(..), Value::Float(f)) => Lv::Number(*f),
        (Ty::String { .. }, Value::String(s)) => Lv::String(lua.create_string(s)?),
        (Ty::Bytes { .. } | Ty::ByteArray(_), Value::Bytes(b)) => Lv::Buffer(lua.create_buffer(b)?),
        (Ty::Option(inner), Value::Option(v)) => match v {
            Some(v) => to_lua(lua, schema, inner, v)?,
            None => Lv::Nil,
        },
        (Ty::Boxed(inner), v) => to_lua(lua, schema, inner, v)?,
        (Ty::List { elem, .. } | Ty::Array { elem, .. }, Value::List(items)) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                t.raw_set(i + 1, to_lua(lua, schema, elem, item)?)?;
            }
            Lv::Table(t)
        }
        (Ty::Tuple(tys), Value::List(items)) => {
            let t = lua.create_table()?;
            for (i, (ty, item)) in tys.iter().zip(items).enumerate() {
                t.raw_set(i + 1, to_lua(lua, schema, ty, item)?)?;
            }
            Lv::Table(t)
        }
        (Ty::Set { elem, .. }, Value::List(items)) => {
            let t = lua.create_table()?;
            for item in items {
                t.raw_set(to_lua(lua, schema, elem, item)?, true)?;
            }
            Lv::Table(t)
        }
        (
            Ty::Map {
                key, value: vty, ..
            },
            Value::Map(entries),
        ) => {
            let t = lua.create_table()?;
            for (k, v) in entries {
                t.raw_set(to_lua(lua, schema, key, k)?, to_lua(lua, schema, vty, v)?)?;
            }
            Lv::Table(t)
        }
        (Ty::Roblox(r), v) => roblox_to_lua(lua, r, v).and_then(|o| o.ok_or_else(bad))?,
        (Ty::Named(name), v) => named_to_lua(lua, schema, name, v)?,
        _ => return Err(bad()),
    })
}

fn roblox_to_lua(lua: &Lua, ty: &RobloxTy, value: &Value) -> mlua::Result<Option<Lv>> {
    let f = |v: f32| v as f64;
    Ok(Some(match (ty, value) {
        (RobloxTy::Vector3(_), Value::Vector3(v)) => {
            call_global(lua, &["Vector3", "new"], (f(v.x), f(v.y), f(v.z)))?
        }
        (RobloxTy::Vector2(_), Value::Vector2(v)) => {
            call_global(lua, &["Vector2", "new"], (f(v.x), f(v.y)))?
        }
        (RobloxTy::CFrame { .. }, Value::CFrame(cf)) => {
            let c = cf.components().map(f);
            call_global(
                lua,
                &["CFrame", "new"],
                (
                    c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11],
                ),
            )?
        }
        (RobloxTy::Color3 { .. }, Value::Color3(c)) => {
            call_global(lua, &["Color3", "new"], (f(c.r), f(c.g), f(c.b)))?
        }
        (RobloxTy::UDim, Value::UDim(u)) => {
            call_global(lua, &["UDim", "new"], (f(u.scale), u.offset))?
        }
        (RobloxTy::UDim2, Value::UDim2(u)) => call_global(
            lua,
            &["UDim2", "new"],
            (f(u.x.scale), u.x.offset, f(u.y.scale), u.y.offset),
        )?,
        (RobloxTy::DateTime, Value::DateTime(d)) => call_global(
            lua,
            &["DateTime", "fromUnixTimestampMillis"],
            d.unix_millis as f64,
        )?,
        (RobloxTy::EnumItem { enum_name }, Value::EnumItem(e)) => {
            let roblox_enum: Lv = match lua.globals().get::<Lv>("Enum")? {
                Lv::UserData(enums) => enums.get(enum_name.as_str())?,
                Lv::Table(enums) => enums.get(enum_name.as_str())?,
                _ => return Ok(None),
            };
            let from_value: mlua::Function = match &roblox_enum {
                Lv::UserData(ud) => ud.get("FromValue")?,
                Lv::Table(t) => t.get("FromValue")?,
                _ => return Ok(None),
            };
            let item: Lv = from_value.call((roblox_enum, e.value))?;
            if item.is_nil() {
                return Err(mlua::Error::runtime(format!(
                    "Enum.{enum_name} has no item {}",
                    e.value
                )));
            }
            item
        }
        (RobloxTy::Instance, Value::Instance(i)) => instance_to_lua(lua, i)?,
        _ => return Ok(None),
    }))
}

fn fields_to_lua(
    lua: &Lua,
    schema: &Schema,
    fields: &Fields,
    values: &[Value],
    t: &Table,
) -> mlua::Result<()> {
    for (field, v) in fields.encoded().zip(values) {
        t.raw_set(field.wire_name.as_str(), to_lua(lua, schema, &field.ty, v)?)?;
    }
    Ok(())
}

fn is_string_enum(def_kind: &TypeKind) -> bool {
    matches!(def_kind, TypeKind::Enum(vs) if vs.iter().all(|v| matches!(v.fields, Fields::Unit)))
}

fn named_to_lua(lua: &Lua, schema: &Schema, name: &str, value: &Value) -> mlua::Result<Lv> {
    let def = schema
        .get(name)
        .ok_or_else(|| mlua::Error::runtime(format!("unknown type {name}")))?;
    match (&def.kind, value) {
        (TypeKind::Struct(fields), Value::Struct(values)) => {
            let t = lua.create_table()?;
            fields_to_lua(lua, schema, fields, values, &t)?;
            Ok(Lv::Table(t))
        }
        (TypeKind::Enum(variants), Value::Enum(index, values)) => {
            let variant = variants
                .get(*index as usize)
                .ok_or_else(|| mlua::Error::runtime("variant index out of range"))?;
            if is_string_enum(&def.kind) {
                return Ok(Lv::String(lua.create_string(&variant.wire_name)?));
            }
            let t = lua.create_table()?;
            t.raw_set("kind", variant.wire_name.as_str())?;
            fields_to_lua(lua, schema, &variant.fields, values, &t)?;
            Ok(Lv::Table(t))
        }
        _ => Err(mlua::Error::runtime(format!(
            "value {value:?} is not a {name}"
        ))),
    }
}

fn number(v: &Lv) -> Result<f64, LuauError> {
    match v {
        Lv::Number(n) => Ok(*n),
        Lv::Integer(i) => Ok(*i as f64),
        other => Err(format!("expected a number, found {}", other.type_name())),
    }
}

fn table(v: &Lv) -> Result<&Table, LuauError> {
    match v {
        Lv::Table(t) => Ok(t),
        other => Err(format!("expected a table, found {}", other.type_name())),
    }
}

/// Converts a Luau value back to a dynamic value of `ty`.
pub fn from_lua(schema: &Schema, ty: &Ty, v: &Lv) -> Result<Value, LuauError> {
    Ok(match ty {
        Ty::Unit => Value::Unit,
        Ty::Bool => match v {
            Lv::Boolean(b) => Value::Bool(*b),
            other => return Err(format!("expected a boolean, found {}", other.type_name())),
        },
        Ty::Int(..) => {
            let n = number(v)?;
            if n.fract() != 0.0 {
                return Err(format!("expected an integer, found {n}"));
            }
            Value::Int(n as i128)
        }
        Ty::Float(..) => Value::Float(number(v)?),
        Ty::String { .. } => match v {
            Lv::String(s) => Value::String(s.to_str().map_err(err)?.to_owned()),
            other => return Err(format!("expected a string, found {}", other.type_name())),
        },
        Ty::Bytes { .. } | Ty::ByteArray(_) => match v {
            Lv::Buffer(b) => Value::Bytes(b.to_vec()),
            other => return Err(format!("expected a buffer, found {}", other.type_name())),
        },
        Ty::Option(inner) => Value::Option(match v {
            Lv::Nil => None,
            v => Some(Box::new(from_lua(schema, inner, v)?)),
        }),
        Ty::Boxed(inner) => from_lua(schema, inner, v)?,
        Ty::List { elem, .. } | Ty::Array { elem, .. } => {
            let t = table(v)?;
            let mut items = Vec::new();
            for i in 1..=t.raw_len() {
                items.push(from_lua(schema, elem, &t.raw_get::<Lv>(i).map_err(err)?)?);
            }
            Value::List(items)
        }
        Ty::Tuple(tys) => {
            let t = table(v)?;
            let mut items = Vec::new();
            for (i, ty) in tys.iter().enumerate() {
                items.push(from_lua(schema, ty, &t.raw_get::<Lv>(i + 1).map_err(err)?)?);
            }
            Value::List(items)
        }
        Ty::Set { elem, .. } => {
            let mut keys = Vec::new();
            for pair in table(v)?.clone().pairs::<Lv, Lv>() {
                let (k, _) = pair.map_err(err)?;
                keys.push(from_lua(schema, elem, &k)?);
            }
            keys.sort_by(skyrocket::dynamic::key_order);
            Value::List(keys)
        }
        Ty::Map { key, value, .. } => {
            let mut entries = Vec::new();
            for pair in table(v)?.clone().pairs::<Lv, Lv>() {
                let (k, val) = pair.map_err(err)?;
                entries.push((from_lua(schema, key, &k)?, from_lua(schema, value, &val)?));
            }
            entries.sort_by(|a, b| skyrocket::dynamic::key_order(&a.0, &b.0));
            Value::Map(entries)
        }
        Ty::Roblox(r) => roblox_from_lua(r, v)?,
        Ty::Named(name) => named_from_lua(schema, name, v)?,
    })
}

fn userdata_numbers(v: &Lv, method: &str, fields: &[&str]) -> Result<Vec<f64>, LuauError> {
    match v {
        Lv::UserData(ud) => {
            if method.is_empty() {
                fields
                    .iter()
                    .map(|f| ud.get::<f64>(*f).map_err(err))
                    .collect()
            } else {
                let values: mlua::MultiValue = ud.call_method(method, ()).map_err(err)?;
                values.iter().map(number).collect()
            }
        }
        other => Err(format!("expected a userdata, found {}", other.type_name())),
    }
}

fn roblox_from_lua(ty: &RobloxTy, v: &Lv) -> Result<Value, LuauError> {
    let f = |x: f64| x as f32;
    Ok(match ty {
        RobloxTy::Vector3(_) => match v {
            Lv::Vector(vec) => Value::Vector3(Vector3::new(vec.x(), vec.y(), vec.z())),
            other => return Err(format!("expected a Vector3, found {}", other.type_name())),
        },
        RobloxTy::Vector2(_) => {
            let n = userdata_numbers(v, "", &["X", "Y"])?;
            Value::Vector2(Vector2::new(f(n[0]), f(n[1])))
        }
        RobloxTy::CFrame { .. } => {
            let c = userdata_numbers(v, "GetComponents", &[])?;
            if c.len() != 12 {
                return Err(format!("GetComponents returned {} numbers", c.len()));
            }
            let c: Vec<f32> = c.into_iter().map(f).collect();
            Value::CFrame(CFrame {
                position: Vector3::new(c[0], c[1], c[2]),
                rotation: [[c[3], c[4], c[5]], [c[6], c[7], c[8]], [c[9], c[10], c[11]]],
            })
        }
        RobloxTy::Color3 { .. } => {
            let n = userdata_numbers(v, "", &["R", "G", "B"])?;
            Value::Color3(Color3 {
                r: f(n[0]),
                g: f(n[1]),
                b: f(n[2]),
            })
        }
        RobloxTy::UDim => {
            let n = userdata_numbers(v, "", &["Scale", "Offset"])?;
            Value::UDim(roblox::UDim {
                scale: f(n[0]),
                offset: n[1] as i32,
            })
        }
        RobloxTy::UDim2 => match v {
            Lv::UserData(ud) => {
                let x: Lv = ud.get("X").map_err(err)?;
                let y: Lv = ud.get("Y").map_err(err)?;
                let (Value::UDim(x), Value::UDim(y)) = (
                    roblox_from_lua(&RobloxTy::UDim, &x)?,
                    roblox_from_lua(&RobloxTy::UDim, &y)?,
                ) else {
                    return Err("UDim2 components are not UDims".into());
                };
                Value::UDim2(roblox::UDim2 { x, y })
            }
            other => return Err(format!("expected a UDim2, found {}", other.type_name())),
        },
        RobloxTy::DateTime => {
            let n = userdata_numbers(v, "", &["UnixTimestampMillis"])?;
            Value::DateTime(roblox::DateTime {
                unix_millis: n[0] as i64,
            })
        }
        RobloxTy::EnumItem { .. } => {
            let n = userdata_numbers(v, "", &["Value"])?;
            Value::EnumItem(EnumItem { value: n[0] as u16 })
        }
        RobloxTy::Instance => Value::Instance(instance_from_lua(v)?),
    })
}

fn fields_from_lua(schema: &Schema, fields: &Fields, t: &Table) -> Result<Vec<Value>, LuauError> {
    fields
        .encoded()
        .map(|field| {
            let v: Lv = t.raw_get(field.wire_name.as_str()).map_err(err)?;
            from_lua(schema, &field.ty, &v).map_err(|e| format!("{}: {e}", field.wire_name))
        })
        .collect()
}

fn named_from_lua(schema: &Schema, name: &str, v: &Lv) -> Result<Value, LuauError> {
    let def = schema
        .get(name)
        .ok_or_else(|| format!("unknown type {name}"))?;
    match &def.kind {
        TypeKind::Struct(fields) => Ok(Value::Struct(fields_from_lua(schema, fields, table(v)?)?)),
        TypeKind::Enum(variants) => {
            let (tag, t) = match v {
                Lv::String(s) => (s.to_str().map_err(err)?.to_owned(), None),
                Lv::Table(t) => (t.raw_get::<String>("kind").map_err(err)?, Some(t)),
                other => return Err(format!("expected a {name}, found {}", other.type_name())),
            };
            let index = variants
                .iter()
                .position(|v| v.wire_name == tag)
                .ok_or_else(|| format!("{name} has no variant {tag}"))?;
            let values = match t {
                Some(t) => fields_from_lua(schema, &variants[index].fields, t)?,
                None => Vec::new(),
            };
            Ok(Value::Enum(index as u32, values))
        }
    }
}

//! Runs a schema-driven Luau format module (`Formats/<Name>.luau`) over the
//! generated `Schema.luau` in a sandboxed VM, converting values with
//! [`crate::luau`]'s Luau representation.

use crate::luau::{from_lua, instance_from_lua, instance_to_lua, to_lua, LuauError};
use mlua::{Function, Lua, Table, Value as Lv};
use skyrocket::dynamic::Value;
use skyrocket::roblox::Instance;
use skyrocket::schema::{Schema, Ty};

/// One format codec (`module.new(schema)`) in its own VM.
pub struct LuauFormat {
    lua: Lua,
    codec: Table,
    schema: Schema,
}

fn err(e: impl std::fmt::Display) -> LuauError {
    e.to_string()
}

impl LuauFormat {
    /// Loads the runtime module `file` (a `FORMAT_FILES` path such as
    /// `Formats/Protobuf.luau`) over the descriptor of `schema`.
    pub fn load(schema: &Schema, file: &str, native: bool) -> Result<Self, LuauError> {
        let source = skyrocket_luau::library::FORMAT_FILES
            .iter()
            .find(|(path, _)| *path == file)
            .map(|(_, src)| *src)
            .ok_or_else(|| format!("no runtime module {file}"))?;
        let descriptor = skyrocket_luau::descriptor::generate_descriptor(
            schema,
            skyrocket_luau::schema_hash(schema),
            None,
        );
        let lua = skyrocket_sim::new_sandboxed_vm().map_err(err)?;
        lua.enable_jit(native);
        let schema_table: Table = lua
            .load(descriptor.as_str())
            .set_name("=Schema")
            .eval()
            .map_err(err)?;
        let module: Table = lua
            .load(source)
            .set_name(format!("={file}"))
            .eval()
            .map_err(err)?;
        let new: Function = module.get("new").map_err(err)?;
        let codec: Table = new.call(schema_table).map_err(err)?;
        Ok(LuauFormat {
            lua,
            codec,
            schema: schema.clone(),
        })
    }

    /// The VM the module runs in.
    pub fn lua(&self) -> &Lua {
        &self.lua
    }

    fn wire_name(&self, type_name: &str) -> Result<String, LuauError> {
        self.schema
            .get(type_name)
            .map(|d| d.wire_name.clone())
            .ok_or_else(|| format!("no type {type_name}"))
    }

    /// Encodes `value` of the named type (Rust name); `Err` holds the raised error.
    pub fn encode(
        &self,
        type_name: &str,
        value: &Value,
    ) -> Result<(Vec<u8>, Vec<Instance>), LuauError> {
        let lv =
            to_lua(&self.lua, &self.schema, &Ty::Named(type_name.into()), value).map_err(err)?;
        let encode: Function = self.codec.get("encode").map_err(err)?;
        let (b, side): (Lv, Option<Table>) =
            encode.call((self.wire_name(type_name)?, lv)).map_err(err)?;
        let bytes = match b {
            Lv::Buffer(buf) => buf.to_vec(),
            other => return Err(format!("encode returned {}", other.type_name())),
        };
        let mut instances = Vec::new();
        if let Some(side) = side {
            for i in 1..=side.raw_len() {
                instances.push(instance_from_lua(&side.raw_get::<Lv>(i).map_err(err)?)?);
            }
        }
        Ok((bytes, instances))
    }

    /// Decodes; `Err` holds the codec's error string. A decode that raises
    /// is reported as `raised: ...` (decoders must never raise).
    pub fn decode(
        &self,
        type_name: &str,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Value, LuauError> {
        let decode: Function = self.codec.get("decode").map_err(err)?;
        let buffer = self.lua.create_buffer(bytes).map_err(err)?;
        let side = self.lua.create_table().map_err(err)?;
        for (i, instance) in instances.iter().enumerate() {
            side.raw_set(i + 1, instance_to_lua(&self.lua, instance).map_err(err)?)
                .map_err(err)?;
        }
        let (value, error): (Lv, Option<String>) = decode
            .call((self.wire_name(type_name)?, buffer, side))
            .map_err(|e| format!("raised: {e}"))?;
        if let Some(error) = error {
            return Err(error);
        }
        from_lua(&self.schema, &Ty::Named(type_name.into()), &value)
    }
}

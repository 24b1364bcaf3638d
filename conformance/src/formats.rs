//! The Luau schema-driven formats (`Formats/Json.luau`, `Formats/MsgPack.luau`,
//! `Formats/Protobuf.luau`) in an embedded, sandboxed Luau VM, reading the
//! generated `Schema.luau`,
//! with values converted like the bit-packed codecs' ([`crate::luau`]).

use crate::luau::{from_lua, instance_from_lua, instance_to_lua, to_lua, LuauError};
use mlua::{Lua, Table, Value as Lv};
use skyrocket::dynamic::Value;
use skyrocket::roblox::Instance;
use skyrocket::schema::{Schema, Ty};
use skyrocket_luau::library::FORMAT_FILES;

/// The Luau source of a runtime format module (`"Json"`, `"MsgPack"`, `"Protobuf"`).
pub fn format_source(module: &str) -> Option<&'static str> {
    let path = format!("Formats/{module}.luau");
    FORMAT_FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, src)| *src)
}

/// The Luau format codecs for one schema, in their own VM.
pub struct LuauFormats {
    lua: Lua,
    codecs: Vec<(String, Table)>,
    schema: Schema,
}

fn err(e: impl std::fmt::Display) -> LuauError {
    e.to_string()
}

impl LuauFormats {
    /// Loads `Schema.luau` for `schema` and the JSON and MessagePack modules,
    /// with native codegen on or off.
    pub fn load(schema: &Schema, native: bool) -> Result<Self, LuauError> {
        Self::load_modules(schema, &["Json", "MsgPack"], native)
    }

    /// Loads `Schema.luau` for `schema` and the named format modules.
    pub fn load_modules(
        schema: &Schema,
        modules: &[&str],
        native: bool,
    ) -> Result<Self, LuauError> {
        let lua = skyrocket_sim::new_sandboxed_vm_with(native).map_err(err)?;
        let descriptor = skyrocket_luau::descriptor::generate_descriptor(
            schema,
            skyrocket_luau::schema_hash(schema),
            None,
        );
        let schema_table: Table = lua
            .load(descriptor.as_str())
            .set_name("=Schema")
            .eval()
            .map_err(err)?;
        let mut codecs = Vec::new();
        for &module in modules {
            let src = format_source(module).ok_or_else(|| format!("no Formats/{module}.luau"))?;
            let table: Table = lua
                .load(src)
                .set_name(format!("={module}"))
                .eval()
                .map_err(err)?;
            let new: mlua::Function = table.get("new").map_err(err)?;
            let codec: Table = new.call(schema_table.clone()).map_err(err)?;
            let name: String = codec.get("name").map_err(err)?;
            codecs.push((name, codec));
        }
        Ok(LuauFormats {
            lua,
            codecs,
            schema: schema.clone(),
        })
    }

    /// The VM the codecs run in.
    pub fn lua(&self) -> &Lua {
        &self.lua
    }

    /// The Luau codec table (`{ name, encode, decode }`) of `format`.
    pub fn codec_table(&self, format: &str) -> Result<Table, LuauError> {
        self.codec(format).cloned()
    }

    fn codec(&self, format: &str) -> Result<&Table, LuauError> {
        self.codecs
            .iter()
            .find(|(n, _)| n == format)
            .map(|(_, t)| t)
            .ok_or_else(|| format!("no Luau codec {format}"))
    }

    fn wire_name(&self, type_name: &str) -> Result<String, LuauError> {
        self.schema
            .get(type_name)
            .map(|d| d.wire_name.clone())
            .ok_or_else(|| format!("no type {type_name}"))
    }

    /// Encodes `value` of the named (Rust) type with the Luau codec `format`.
    pub fn encode(
        &self,
        format: &str,
        type_name: &str,
        value: &Value,
    ) -> Result<(Vec<u8>, Vec<Instance>), LuauError> {
        let lv =
            to_lua(&self.lua, &self.schema, &Ty::Named(type_name.into()), value).map_err(err)?;
        self.encode_lua(format, type_name, lv)
    }

    /// Encodes an already converted Luau value.
    pub fn encode_lua(
        &self,
        format: &str,
        type_name: &str,
        lv: Lv,
    ) -> Result<(Vec<u8>, Vec<Instance>), LuauError> {
        let encode: mlua::Function = self.codec(format)?.get("encode").map_err(err)?;
        let (b, side): (Lv, Option<Table>) =
            encode.call((self.wire_name(type_name)?, lv)).map_err(err)?;
        let bytes = match b {
            Lv::Buffer(buf) => buf.to_vec(),
            other => return Err(format!("encode returned {}", other.type_name())),
        };
        let mut instances = Vec::new();
        if let Some(side) = side {
            for i in 1..=side.raw_len() {
                instances.push(instance_from_lua(&side.raw_get(i).map_err(err)?)?);
            }
        }
        Ok((bytes, instances))
    }

    /// Decodes with the Luau codec; `Err` holds its error string, or
    /// "decode raised: ..." if it raised (which it never may).
    pub fn decode(
        &self,
        format: &str,
        type_name: &str,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Value, LuauError> {
        let lv = self.decode_lua(format, type_name, bytes, instances)?;
        from_lua(&self.schema, &Ty::Named(type_name.into()), &lv)
    }

    /// Decodes to the Luau value.
    pub fn decode_lua(
        &self,
        format: &str,
        type_name: &str,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Lv, LuauError> {
        let decode: mlua::Function = self.codec(format)?.get("decode").map_err(err)?;
        let buffer = self.lua.create_buffer(bytes).map_err(err)?;
        let side = self.lua.create_table().map_err(err)?;
        for (i, instance) in instances.iter().enumerate() {
            side.raw_set(i + 1, instance_to_lua(&self.lua, instance).map_err(err)?)
                .map_err(err)?;
        }
        let (value, error): (Lv, Option<String>) = decode
            .call((self.wire_name(type_name)?, buffer, side))
            .map_err(|e| format!("decode raised: {e}"))?;
        match error {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }
}

/// One Luau format module, addressed without naming its codec each time.
pub struct LuauFormat {
    formats: LuauFormats,
    name: String,
}

impl LuauFormat {
    /// Loads the runtime module `file` (a `FORMAT_FILES` path such as
    /// `Formats/Protobuf.luau`) over the descriptor of `schema`.
    pub fn load(schema: &Schema, file: &str, native: bool) -> Result<Self, LuauError> {
        let module = file
            .strip_prefix("Formats/")
            .and_then(|m| m.strip_suffix(".luau"))
            .ok_or_else(|| format!("not a Formats/ module: {file}"))?;
        let formats = LuauFormats::load_modules(schema, &[module], native)?;
        let name = formats
            .codecs
            .first()
            .map(|(name, _)| name.clone())
            .ok_or_else(|| format!("{file} made no codec"))?;
        Ok(LuauFormat { formats, name })
    }

    /// The VM the module runs in.
    pub fn lua(&self) -> &Lua {
        self.formats.lua()
    }

    /// Encodes `value` of the named type (Rust name); `Err` holds the raised error.
    pub fn encode(
        &self,
        type_name: &str,
        value: &Value,
    ) -> Result<(Vec<u8>, Vec<Instance>), LuauError> {
        self.formats.encode(&self.name, type_name, value)
    }

    /// Decodes; `Err` holds the codec's error string, or `decode raised: ...`
    /// when the decoder raised (which it never may).
    pub fn decode(
        &self,
        type_name: &str,
        bytes: &[u8],
        instances: &[Instance],
    ) -> Result<Value, LuauError> {
        self.formats.decode(&self.name, type_name, bytes, instances)
    }
}

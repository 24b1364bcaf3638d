//! `Enum`, `Enums` and `EnumItem`, with a subset of Roblox's enums.
//!
//! Each `EnumItem` exists once per Lua state, so items compare by identity
//! and work as table keys, as in Roblox.

use super::{enum_data::ENUMS, userdata_from_lua};
use mlua::{AnyUserData, Lua, MetaMethod, Result, Table, UserData, UserDataMethods};

/// Roblox `EnumItem`.
#[derive(Clone, Debug)]
pub struct EnumItem {
    /// The enum's name, e.g. `KeyCode`.
    pub enum_type: &'static str,
    /// The item's name, e.g. `A`.
    pub name: &'static str,
    /// The item's value, e.g. `97`.
    pub value: u32,
}

impl PartialEq for EnumItem {
    fn eq(&self, o: &Self) -> bool {
        self.enum_type == o.enum_type && self.value == o.value && self.name == o.name
    }
}

userdata_from_lua!(EnumItem, "EnumItem");

/// Roblox `Enum` (one enumeration, e.g. `Enum.KeyCode`).
#[derive(Clone, Debug)]
pub struct Enum {
    /// The enum's name.
    pub name: &'static str,
    items: Table,
    list: Vec<AnyUserData>,
}

userdata_from_lua!(Enum, "Enum");

/// The global `Enum` object (Roblox type `Enums`).
#[derive(Clone, Debug)]
pub struct Enums {
    enums: Table,
    list: Vec<AnyUserData>,
}

fn enum_key(name: &str) -> String {
    format!("skyrocket.Enum.{name}")
}

impl EnumItem {
    /// Looks up the shared userdata for `Enum.<enum_type>.<name>` in `lua`
    /// (after [`super::install`]).
    pub fn lookup(lua: &Lua, enum_type: &str, name: &str) -> Result<Option<AnyUserData>> {
        let e: Option<AnyUserData> = lua.named_registry_value(&enum_key(enum_type))?;
        match e {
            Some(e) => e.borrow::<Enum>()?.items.get(name),
            None => Ok(None),
        }
    }
}

impl UserData for EnumItem {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "EnumItem");
        fields.add_field_method_get("Name", |_, e| Ok(e.name));
        fields.add_field_method_get("Value", |_, e| Ok(e.value));
        fields.add_field_method_get("EnumType", |lua, e| {
            lua.named_registry_value::<AnyUserData>(&enum_key(e.enum_type))
        });
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("IsA", |_, e, name: String| Ok(e.enum_type == name));
        methods.add_meta_method(MetaMethod::ToString, |_, e, ()| {
            Ok(format!("Enum.{}.{}", e.enum_type, e.name))
        });
        super::userdata_eq!(methods, EnumItem);
    }
}

impl UserData for Enum {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "Enum");
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("GetEnumItems", |lua, e, ()| {
            lua.create_sequence_from(e.list.iter().cloned())
        });
        methods.add_method("FromName", |_, e, name: String| {
            e.items.get::<Option<AnyUserData>>(name)
        });
        methods.add_method("FromValue", |_, e, v: f64| {
            for ud in &e.list {
                if f64::from(ud.borrow::<EnumItem>()?.value) == v {
                    return Ok(Some(ud.clone()));
                }
            }
            Ok(None)
        });
        methods.add_meta_method(MetaMethod::Index, |_, e, key: String| {
            match e.items.get::<Option<AnyUserData>>(key.as_str())? {
                Some(item) => Ok(item),
                None => Err(mlua::Error::runtime(format!(
                    "{key} is not a valid member of \"Enum.{}\"",
                    e.name
                ))),
            }
        });
        methods.add_meta_method(MetaMethod::ToString, |_, e, ()| Ok(e.name));
    }
}

impl UserData for Enums {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "Enums");
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_method("GetEnums", |lua, e, ()| {
            lua.create_sequence_from(e.list.iter().cloned())
        });
        methods.add_meta_method(MetaMethod::Index, |_, e, key: String| {
            match e.enums.get::<Option<AnyUserData>>(key.as_str())? {
                Some(en) => Ok(en),
                None => Err(mlua::Error::runtime(format!(
                    "{key} is not a valid member of \"Enum\""
                ))),
            }
        });
        methods.add_meta_method(MetaMethod::ToString, |_, _, ()| Ok("Enums"));
    }
}

/// Installs the global `Enum`.
pub(super) fn install(lua: &Lua) -> Result<()> {
    let enums = lua.create_table()?;
    let mut enum_list = Vec::new();
    for (name, items) in ENUMS {
        let table = lua.create_table()?;
        let mut list = Vec::with_capacity(items.len());
        for (item, value) in items.iter() {
            let ud = lua.create_userdata(EnumItem {
                enum_type: name,
                name: item,
                value: *value,
            })?;
            table.set(*item, ud.clone())?;
            list.push(ud);
        }
        table.set_readonly(true);
        let ud = lua.create_userdata(Enum {
            name,
            items: table,
            list,
        })?;
        lua.set_named_registry_value(&enum_key(name), ud.clone())?;
        enums.set(*name, ud.clone())?;
        enum_list.push(ud);
    }
    enums.set_readonly(true);
    lua.globals().set(
        "Enum",
        Enums {
            enums,
            list: enum_list,
        },
    )
}

//! One peer's Luau VM: Roblox datatypes, the host prelude (scheduler,
//! signals, instances, services, remotes), then sandboxing.

use crate::counters::Names;
use crate::datatypes::{self, ClockSource, RandomSeeds};
use crate::services;
use crate::value::NetValue;
use mlua::{
    Buffer, Function, Lua, MetaMethod, MultiValue, Result, Table, UserData, Value, Variadic,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

const PRELUDE: &str = concat!(
    include_str!("host/scheduler.luau"),
    include_str!("host/signal.luau"),
    include_str!("host/instance.luau"),
    include_str!("host/services.luau"),
);

thread_local! {
    static PRELUDE_BYTECODE: std::cell::OnceCell<Vec<u8>> = const { std::cell::OnceCell::new() };
}

/// The prelude compiled once per thread (VM creation is then mostly
/// executing it, not parsing it).
fn prelude_bytecode() -> Result<Vec<u8>> {
    PRELUDE_BYTECODE.with(|cell| {
        if let Some(b) = cell.get() {
            return Ok(b.clone());
        }
        let b = mlua::Compiler::new().compile(PRELUDE)?;
        Ok(cell.get_or_init(|| b).clone())
    })
}

/// Handle to an Instance inside one VM (`typeof(x) == "Instance"`). The id
/// is shared by the server and clients for replicated instances; the
/// instance's state lives in the VM's host prelude.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceRef(pub i64);

impl UserData for InstanceRef {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "Instance");
        fields.add_meta_field_with("__index", |lua| {
            lua.named_registry_value::<Function>("skyrocket.instance.index")
        });
        fields.add_meta_field_with("__newindex", |lua| {
            lua.named_registry_value::<Function>("skyrocket.instance.newindex")
        });
        fields.add_meta_field_with("__tostring", |lua| {
            lua.named_registry_value::<Function>("skyrocket.instance.tostring")
        });
    }
}

/// Handle of an `RBXScriptSignal` (state in the host prelude).
struct SignalHandle;

impl UserData for SignalHandle {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "RBXScriptSignal");
        fields.add_meta_field_with("__index", |lua| {
            lua.named_registry_value::<Function>("skyrocket.signal.index")
        });
        fields.add_meta_field_with("__tostring", |lua| {
            lua.named_registry_value::<Function>("skyrocket.signal.tostring")
        });
    }
}

/// Handle of an `RBXScriptConnection` (state in the host prelude).
struct ConnectionHandle;

impl UserData for ConnectionHandle {
    fn add_fields<F: mlua::UserDataFields<Self>>(fields: &mut F) {
        fields.add_meta_field(MetaMethod::Type, "RBXScriptConnection");
        fields.add_meta_field_with("__index", |lua| {
            lua.named_registry_value::<Function>("skyrocket.connection.index")
        });
        fields.add_meta_field_with("__tostring", |lua| {
            lua.named_registry_value::<Function>("skyrocket.connection.tostring")
        });
    }
}

/// Kinds of remote traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// RemoteEvent fire.
    Event,
    /// UnreliableRemoteEvent fire.
    Unreliable,
    /// RemoteFunction invocation.
    Invoke,
    /// RemoteFunction result.
    Response,
    /// Instance replication.
    Replication,
}

impl Kind {
    /// The number the host prelude uses for this kind (`KIND_*` in
    /// services.luau).
    pub(crate) fn code(self) -> i64 {
        match self {
            Kind::Event => 1,
            Kind::Unreliable => 2,
            Kind::Invoke => 3,
            Kind::Response => 4,
            Kind::Replication => 5,
        }
    }
    fn from_code(c: i64) -> Option<Kind> {
        Some(match c {
            1 => Kind::Event,
            2 => Kind::Unreliable,
            3 => Kind::Invoke,
            4 => Kind::Response,
            _ => return None,
        })
    }
}

/// Something a VM asked the host to send.
#[derive(Debug)]
pub(crate) struct Outgoing {
    pub kind: Kind,
    pub remote_id: i64,
    /// Interned full name (see [`Names`]).
    pub name: u32,
    /// 0: server; -1: all clients; otherwise a UserId.
    pub target: i64,
    pub call_id: f64,
    pub args: Vec<NetValue>,
}

/// State shared between a VM's host callbacks and the world.
#[derive(Default)]
pub(crate) struct PeerShared {
    pub outbox: RefCell<Vec<Outgoing>>,
    pub errors: RefCell<Vec<String>>,
    pub output: RefCell<Vec<String>>,
    pub kicks: RefCell<Vec<(i64, String)>>,
}

/// A peer VM.
pub(crate) struct Vm {
    pub lua: Lua,
    pub shared: Rc<PeerShared>,
    h: Table,
    /// `H.step`, `H.deliver` and the `byId` table, fetched once: looking
    /// them up by name costs a string hash per call.
    step_fn: Function,
    deliver_fn: Function,
    by_id: Table,
}

/// Luau GC goal (percent heap growth over live data before a cycle ends);
/// `SKYROCKET_SIM_GC_GOAL` overrides it.
fn gc_goal() -> i32 {
    std::env::var("SKYROCKET_SIM_GC_GOAL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(GC_GOAL)
}

/// Default Luau GC goal for peer VMs (Luau's own default is 200).
const GC_GOAL: i32 = 400;

/// Values per `H.step`/`H.deliver` call: Luau caps a C function's stack.
const MAX_BATCH_VALUES: usize = 4000;

/// Options for building a VM.
pub(crate) struct VmOptions {
    pub is_server: bool,
    pub user_id: i64,
    pub seed: u64,
    pub unix_epoch: f64,
    pub clock: Rc<Cell<f64>>,
    pub native: bool,
    pub frame_dt: f64,
    pub names: Rc<RefCell<Names>>,
}

fn module_source(source: &str) -> String {
    // Keep `--!` hot comments first, then inject `script` on the first code
    // line so line numbers are unchanged.
    let mut out = String::with_capacity(source.len() + 32);
    let mut injected = false;
    for line in source.split_inclusive('\n') {
        if !injected && !line.trim_start().starts_with("--!") {
            out.push_str("local script = ...; ");
            injected = true;
        }
        out.push_str(line);
    }
    if !injected {
        out.push_str("\nlocal script = ...");
    }
    out
}

/// Marks the global table "safe" before the host prelude loads, so that
/// Luau resolves the prelude's global imports (`select`, `error`,
/// `table.clear`, ...) once at load time instead of looking them up on every
/// execution (`luaV_getimport`). The prelude reads only builtins that
/// [`Lua::sandbox`] freezes right after it runs, never a global it installs
/// itself, so the resolved values are the ones a lookup would find.
fn mark_globals_safe(lua: &Lua) -> Result<()> {
    // SAFETY: only flips the `safeenv` flag of the state's global table;
    // nothing is pushed or popped.
    unsafe {
        lua.exec_raw::<()>((), |state| {
            mlua::ffi::lua_setsafeenv(state, mlua::ffi::LUA_GLOBALSINDEX, 1);
        })
    }
}

impl Vm {
    pub fn new(o: VmOptions) -> Result<Vm> {
        let lua = Lua::new();
        // Before any chunk is loaded: codegen applies at load time.
        lua.enable_jit(o.native);
        datatypes::install(&lua)?;
        let shared = Rc::new(PeerShared::default());
        let clock = o.clock.clone();
        let epoch = o.unix_epoch;
        lua.set_app_data(ClockSource(Rc::new(move || {
            ((epoch + clock.get()) * 1000.0).floor() as i64
        })));
        lua.set_app_data(RandomSeeds(Cell::new(o.seed ^ 0x5EED)));
        // Luau seeds math.random from the clock; make it follow the world seed.
        let math: Table = lua.globals().get("math")?;
        math.get::<Function>("randomseed")?
            .call::<()>((o.seed & 0x7fff_ffff) as i64)?;
        let hostfns = lua.create_table()?;
        let tostring: Function = lua.globals().get("tostring")?;

        let sh = shared.clone();
        hostfns.set(
            "report",
            lua.create_function(move |_, msg: String| {
                sh.errors.borrow_mut().push(msg);
                Ok(())
            })?,
        )?;
        for (name, prefix) in [("print", ""), ("warn", "WARN: ")] {
            let sh = shared.clone();
            let ts = tostring.clone();
            hostfns.set(
                name,
                lua.create_function(move |_, args: Variadic<Value>| {
                    let mut line = String::from(prefix);
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            line.push(' ');
                        }
                        line.push_str(&ts.call::<String>(a.clone())?);
                    }
                    sh.output.borrow_mut().push(line);
                    Ok(())
                })?,
            )?;
        }
        hostfns.set(
            "newproxy",
            lua.create_function(|lua, id: i64| lua.create_userdata(InstanceRef(id)))?,
        )?;
        hostfns.set(
            "setInstanceMeta",
            lua.create_function(|lua, (i, n, t): (Function, Function, Function)| {
                lua.set_named_registry_value("skyrocket.instance.index", i)?;
                lua.set_named_registry_value("skyrocket.instance.newindex", n)?;
                lua.set_named_registry_value("skyrocket.instance.tostring", t)
            })?,
        )?;
        hostfns.set(
            "setSignalMeta",
            lua.create_function(
                |lua, (si, st, ci, ct): (Function, Function, Function, Function)| {
                    lua.set_named_registry_value("skyrocket.signal.index", si)?;
                    lua.set_named_registry_value("skyrocket.signal.tostring", st)?;
                    lua.set_named_registry_value("skyrocket.connection.index", ci)?;
                    lua.set_named_registry_value("skyrocket.connection.tostring", ct)
                },
            )?,
        )?;
        hostfns.set(
            "newSignal",
            lua.create_function(|lua, ()| lua.create_userdata(SignalHandle))?,
        )?;
        hostfns.set(
            "newConnection",
            lua.create_function(|lua, ()| lua.create_userdata(ConnectionHandle))?,
        )?;
        let sh = shared.clone();
        let names = o.names.clone();
        hostfns.set(
            "send",
            lua.create_function(
                move |_,
                      (kind, remote_id, name, target, call_id, args): (
                    i64,
                    i64,
                    mlua::String,
                    i64,
                    f64,
                    Variadic<Value>,
                )| {
                    let kind = Kind::from_code(kind)
                        .ok_or_else(|| mlua::Error::runtime("unknown message kind"))?;
                    let args = args
                        .iter()
                        .map(NetValue::from_lua)
                        .collect::<Result<Vec<_>>>()?;
                    let name = names.borrow_mut().intern(&name.to_str()?);
                    sh.outbox.borrow_mut().push(Outgoing {
                        kind,
                        remote_id,
                        name,
                        target,
                        call_id,
                        args,
                    });
                    Ok(())
                },
            )?,
        )?;
        let sh = shared.clone();
        let replication = o.names.borrow_mut().intern("replication");
        hostfns.set(
            "replicate",
            lua.create_function(move |_, args: Variadic<Value>| {
                let args = args
                    .iter()
                    .map(NetValue::from_lua)
                    .collect::<Result<Vec<_>>>()?;
                sh.outbox.borrow_mut().push(Outgoing {
                    kind: Kind::Replication,
                    remote_id: 0,
                    name: replication,
                    target: -1,
                    call_id: 0.0,
                    args,
                });
                Ok(())
            })?,
        )?;
        let sh = shared.clone();
        hostfns.set(
            "kick",
            lua.create_function(move |_, (uid, msg): (i64, String)| {
                sh.kicks.borrow_mut().push((uid, msg));
                Ok(())
            })?,
        )?;
        let rng = RefCell::new(ChaCha8Rng::seed_from_u64(o.seed));
        hostfns.set(
            "guid",
            lua.create_function(move |_, ()| Ok(services::guid(&mut rng.borrow_mut())))?,
        )?;
        hostfns.set(
            "jsonEncode",
            lua.create_function(|_, v: Value| services::json_encode(v))?,
        )?;
        hostfns.set(
            "jsonDecode",
            lua.create_function(|lua, s: String| services::json_decode(lua, &s))?,
        )?;
        hostfns.set(
            "compress",
            lua.create_function(|lua, (b, _alg, level): (Buffer, Value, Option<i32>)| {
                services::compress(lua, &b, level.unwrap_or(1))
            })?,
        )?;
        hostfns.set(
            "decompress",
            lua.create_function(|lua, (b, _alg): (Buffer, Value)| services::decompress(lua, &b))?,
        )?;
        hostfns.set(
            "decompressedSize",
            lua.create_function(|_, (b, _alg): (Buffer, Value)| {
                Ok(services::decompressed_size(&b))
            })?,
        )?;
        hostfns.set(
            "base64Encode",
            lua.create_function(|lua, b: Buffer| {
                lua.create_buffer(services::base64_encode(&b.to_vec()))
            })?,
        )?;
        hostfns.set(
            "base64Decode",
            lua.create_function(
                |lua, b: Buffer| match services::base64_decode(&b.to_vec()) {
                    Some(v) => lua.create_buffer(v),
                    None => Err(mlua::Error::runtime("invalid base64 input")),
                },
            )?,
        )?;
        hostfns.set(
            "loadModule",
            lua.create_function(|lua, (source, name): (String, String)| {
                lua.load(module_source(&source))
                    .set_name(format!("={name}"))
                    .into_function()
            })?,
        )?;
        hostfns.set("unixEpoch", o.unix_epoch)?;

        mark_globals_safe(&lua)?;
        let (h, g): (Table, Table) = lua
            .load(prelude_bytecode()?)
            .set_name("=SkyrocketHost")
            .call((hostfns, o.is_server, o.user_id, o.frame_dt))?;
        let globals = lua.globals();
        for pair in g.pairs::<Value, Value>() {
            let (k, v) = pair?;
            globals.set(k, v)?;
        }
        lua.sandbox(true)?;
        // A VM's live heap is mostly the host prelude and the replicated
        // tree, which never die; with Luau's default goal (200%) a full
        // mark of it starts every few hundred KB of garbage, and marking
        // 100 cold heaps per second was the largest source of cache misses
        // in sim-bench. A higher goal trades memory for that work.
        lua.gc_set_pause(gc_goal());
        let step_fn = h.get("step")?;
        let deliver_fn = h.get("deliver")?;
        let by_id = h.get("byId")?;
        Ok(Vm {
            lua,
            shared,
            h,
            step_fn,
            deliver_fn,
            by_id,
        })
    }

    /// Calls an exported prelude function.
    pub fn call<R: mlua::FromLuaMulti>(
        &self,
        name: &str,
        args: impl mlua::IntoLuaMulti,
    ) -> Result<R> {
        let f: Function = self.h.get(name)?;
        f.call(args)
    }

    fn push_values(&self, out: &mut Vec<Value>, args: &[NetValue]) -> Result<()> {
        let resolve = |id: i64| self.by_id.raw_get::<Value>(id);
        for a in args {
            out.push(a.to_lua(&self.lua, &resolve)?);
        }
        Ok(())
    }

    /// Appends one delivered message to a batch for [`Vm::step`]: kind,
    /// remote id, sender UserId, call id, argument count, arguments.
    /// On a conversion error the batch is left as it was.
    pub fn push_message(
        &self,
        batch: &mut Vec<Value>,
        kind: Kind,
        remote_id: i64,
        from_user: u64,
        call_id: f64,
        args: &[NetValue],
    ) -> Result<()> {
        let start = batch.len();
        batch.extend([
            Value::Integer(kind.code()),
            Value::Number(remote_id as f64),
            Value::Number(from_user as f64),
            Value::Number(call_id),
            Value::Integer(args.len() as i64),
        ]);
        if let Err(e) = self.push_values(batch, args) {
            batch.truncate(start);
            return Err(e);
        }
        Ok(())
    }

    /// One frame of this VM: sets its clock to `now`, hands it the batch of
    /// delivered messages (drained), then runs its frame (deferred events,
    /// timers, RunService signals). Large batches go in several calls.
    pub fn step(&self, now: f64, dt: f64, batch: &mut Vec<Value>) -> Result<()> {
        let mut r = Ok(());
        while batch.len() > MAX_BATCH_VALUES {
            // Split on a message boundary.
            let mut end = 0;
            while end < batch.len() {
                let argc = match batch[end + 4] {
                    Value::Integer(n) => n as usize,
                    _ => 0,
                };
                if end > 0 && end + 5 + argc > MAX_BATCH_VALUES {
                    break;
                }
                end += 5 + argc;
            }
            let mut head = MultiValue::from_vec(batch.drain(..end).collect());
            head.push_front(Value::Number(now));
            if let Err(e) = self.deliver_fn.call::<()>(head) {
                r = Err(e);
            }
        }
        let mut mv = MultiValue::with_capacity(batch.len() + 2);
        mv.push_back(Value::Number(now));
        mv.push_back(Value::Number(dt));
        mv.extend(batch.drain(..));
        let s = self.step_fn.call::<()>(mv);
        r.and(s)
    }

    /// Loads a chunk and runs it in a new thread (so it may yield);
    /// compile errors are returned, runtime errors are reported by the
    /// scheduler.
    pub fn spawn_source(&self, source: &str, name: &str) -> Result<()> {
        let f = self
            .lua
            .load(source)
            .set_name(format!("={name}"))
            .into_function()?;
        self.call::<Value>("spawn", f)?;
        Ok(())
    }

    /// Takes reported errors.
    pub fn take_errors(&self) -> Vec<String> {
        std::mem::take(&mut *self.shared.errors.borrow_mut())
    }
}

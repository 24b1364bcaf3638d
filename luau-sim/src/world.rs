//! The world: one server VM, client VMs joining and leaving, a virtual clock,
//! and the conditioned network between them.

use crate::counters::{Counters, Direction, Names};
use crate::link::{LinkConfig, LinkState};
use crate::value::{message_size, NetValue};
use crate::vm::{Kind, Vm, VmOptions};
use mlua::{FromLuaMulti, Lua, MultiValue, Result, Table, Value};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Roblox drops UnreliableRemoteEvent payloads above this size.
pub const UNRELIABLE_LIMIT: usize = 1000;

/// World settings.
#[derive(Clone, Debug)]
pub struct WorldConfig {
    /// Seed for every random choice (network, GUIDs).
    pub seed: u64,
    /// Frames per second (default 60).
    pub frame_rate: f64,
    /// Link conditions for new players, both directions.
    pub default_link: LinkConfig,
    /// Unix time (seconds) at virtual time 0, for `tick()`, `os.time()`,
    /// `DateTime.now()` and `GetServerTimeNow()`.
    pub unix_epoch: f64,
    /// Native code generation for the server VM (Roblox compiles `--!native`
    /// code on servers only).
    pub server_native: bool,
    /// Native code generation for client VMs (off: clients run the
    /// interpreter on Roblox).
    pub client_native: bool,
}

impl Default for WorldConfig {
    fn default() -> Self {
        Self {
            seed: 0,
            frame_rate: 60.0,
            default_link: LinkConfig::PERFECT,
            unix_epoch: 1_700_000_000.0,
            server_native: true,
            client_native: false,
        }
    }
}

/// A peer of the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Peer {
    /// The server.
    Server,
    /// A client, by UserId.
    Client(u64),
}

/// A Luau error raised by a script or handler, with its traceback.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptError {
    /// Where it happened.
    pub peer: Peer,
    /// Message (chunk name, line) and traceback.
    pub message: String,
    /// Virtual time.
    pub time: f64,
}

/// Real (wall-clock) time spent stepping, for reports. Not deterministic:
/// it measures this machine, not the simulation.
#[derive(Clone, Debug, Default)]
pub struct Timing {
    /// Frames stepped.
    pub frames: u64,
    /// Server VM: rebuilding delivered messages and running its frames.
    pub server: Duration,
    /// Per client (UserId): frames it was stepped, and the time taken as for
    /// the server.
    pub clients: BTreeMap<u64, (u64, Duration)>,
    /// Everything else: links, routing, counters.
    pub host: Duration,
    /// Thread CPU time of the server VM's part of each frame (what `server`
    /// measures), immune to other processes on a shared machine.
    pub server_cpu: Duration,
}

struct Client {
    vm: Vm,
    up: LinkState,
    down: LinkState,
    /// Messages due this frame: (sender UserId, payload).
    inbox: Vec<(u64, Rc<Payload>)>,
}

enum Payload {
    Remote {
        kind: Kind,
        remote_id: i64,
        call_id: f64,
        args: Vec<NetValue>,
    },
    Replication(Vec<Vec<NetValue>>),
}

struct InFlight {
    arrival: f64,
    seq: u64,
    to: Peer,
    from_user: u64,
    name: u32,
    bytes: usize,
    payload: Rc<Payload>,
}

impl PartialEq for InFlight {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for InFlight {}
impl PartialOrd for InFlight {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for InFlight {
    // Reversed: BinaryHeap pops the earliest arrival (then lowest seq) first.
    fn cmp(&self, o: &Self) -> Ordering {
        o.arrival
            .total_cmp(&self.arrival)
            .then_with(|| o.seq.cmp(&self.seq))
    }
}

/// A simulated Roblox game: server, clients, network, virtual time.
///
/// Set the environment variable `SKYROCKET_SIM_ECHO` to echo `print`/`warn`
/// output and script errors to stderr as they happen.
pub struct World {
    config: WorldConfig,
    clock: Rc<Cell<f64>>,
    frame: u64,
    rng: ChaCha8Rng,
    server: Vm,
    clients: BTreeMap<u64, Client>,
    next_user_id: u64,
    in_flight: BinaryHeap<InFlight>,
    seq: u64,
    counters: Counters,
    errors: Vec<ScriptError>,
    output: Vec<(Peer, String)>,
    client_scripts: Vec<(String, String)>,
    echo: bool,
    names: Rc<RefCell<Names>>,
    replication_name: u32,
    server_inbox: Vec<(u64, Rc<Payload>)>,
    /// Reused argument vector for [`Vm::step`].
    batch: Vec<Value>,
    timing: Timing,
}

fn peer_seed(seed: u64, n: u64) -> u64 {
    seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl World {
    /// Creates a world with a server and no players.
    pub fn new(config: WorldConfig) -> Result<World> {
        let clock = Rc::new(Cell::new(0.0));
        let names = Rc::new(RefCell::new(Names::default()));
        let replication_name = names.borrow_mut().intern("replication");
        let server = Vm::new(VmOptions {
            names: names.clone(),
            is_server: true,
            user_id: 0,
            seed: peer_seed(config.seed, 0),
            unix_epoch: config.unix_epoch,
            clock: clock.clone(),
            native: config.server_native,
            frame_dt: 1.0 / config.frame_rate,
        })?;
        Ok(World {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            config,
            clock,
            frame: 0,
            server,
            clients: BTreeMap::new(),
            next_user_id: 1,
            in_flight: BinaryHeap::new(),
            seq: 0,
            counters: Counters::default(),
            errors: Vec::new(),
            output: Vec::new(),
            client_scripts: Vec::new(),
            echo: std::env::var_os("SKYROCKET_SIM_ECHO").is_some(),
            names,
            replication_name,
            server_inbox: Vec::new(),
            batch: Vec::new(),
            timing: Timing::default(),
        })
    }

    /// Virtual time in seconds.
    pub fn now(&self) -> f64 {
        self.clock.get()
    }

    /// Frames stepped so far.
    pub fn frame(&self) -> u64 {
        self.frame
    }

    /// The server's Lua state.
    pub fn server(&self) -> &Lua {
        &self.server.lua
    }

    /// A client's Lua state.
    pub fn client(&self, user_id: u64) -> Option<&Lua> {
        self.clients.get(&user_id).map(|c| &c.vm.lua)
    }

    /// UserIds of connected players, ascending.
    pub fn players(&self) -> Vec<u64> {
        self.clients.keys().copied().collect()
    }

    fn vm(&self, peer: Peer) -> Result<&Vm> {
        match peer {
            Peer::Server => Ok(&self.server),
            Peer::Client(id) => self
                .clients
                .get(&id)
                .map(|c| &c.vm)
                .ok_or_else(|| mlua::Error::runtime(format!("no client with UserId {id}"))),
        }
    }

    /// Real time spent per peer (see [`Timing`]).
    pub fn timing(&self) -> &Timing {
        &self.timing
    }

    /// Byte and message counters.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Script errors so far (handlers, scripts, modules), in order.
    pub fn errors(&self) -> &[ScriptError] {
        &self.errors
    }

    /// Takes the script errors collected so far.
    pub fn take_errors(&mut self) -> Vec<ScriptError> {
        std::mem::take(&mut self.errors)
    }

    /// `print`/`warn` output so far.
    pub fn output(&self) -> &[(Peer, String)] {
        &self.output
    }

    /// Changes one direction of a player's link (takes effect for packets
    /// sent from now on).
    pub fn set_link(&mut self, user_id: u64, dir: Direction, config: LinkConfig) {
        if let Some(c) = self.clients.get_mut(&user_id) {
            match dir {
                Direction::Up => c.up.config = config,
                Direction::Down => c.down.config = config,
            }
        }
    }

    /// Changes both directions of every current player's link and the
    /// default for players joining later.
    pub fn set_all_links(&mut self, config: LinkConfig) {
        self.config.default_link = config;
        for c in self.clients.values_mut() {
            c.up.config = config;
            c.down.config = config;
        }
    }

    /// Runs Luau source on a peer in a new thread (it may yield); runtime
    /// errors are collected in [`World::errors`], compile errors returned.
    pub fn run(&mut self, peer: Peer, source: &str, chunk_name: &str) -> Result<()> {
        let r = self.vm(peer)?.spawn_source(source, chunk_name);
        self.collect(peer);
        r
    }

    /// Evaluates Luau source on a peer synchronously (no yielding) and
    /// returns its results; handy for assertions from Rust.
    pub fn eval<R: FromLuaMulti>(&mut self, peer: Peer, source: &str) -> Result<R> {
        let vm = self.vm(peer)?;
        let r = vm.lua.load(source).set_name("=eval").eval::<R>();
        vm.call::<()>("flush", ())?;
        self.collect(peer);
        r
    }

    /// Creates (or replaces) a ModuleScript on the server at a path such as
    /// `ReplicatedStorage/Shared/Net`; folders are created as needed. Modules
    /// under ReplicatedStorage replicate to clients.
    pub fn add_module(&mut self, path: &str, source: &str) -> Result<()> {
        self.server.call::<Value>("createModule", (path, source))?;
        self.route_outboxes();
        Ok(())
    }

    /// `require`s a module on a peer by path (`ReplicatedStorage/Shared/Net`
    /// or dotted) and returns its value.
    pub fn require(&mut self, peer: Peer, path: &str) -> Result<Value> {
        let r = self.vm(peer)?.call::<Value>("require", path);
        self.collect(peer);
        r
    }

    /// Loads a Rojo-like folder: `X.luau`/`X.lua` become ModuleScripts named
    /// `X` under `parent_path` (a service path such as `ReplicatedStorage` or
    /// `ReplicatedStorage/Shared`), sub-folders become Folders, `init.luau`
    /// makes its folder a ModuleScript, `X.server.luau` runs on the server
    /// and `X.client.luau` runs on every client (joined or joining).
    pub fn load_dir(&mut self, dir: &Path, parent_path: &str) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(mlua::Error::external)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if path.is_dir() {
                self.load_dir(&path, &format!("{parent_path}/{file}"))?;
                continue;
            }
            let Some(stem) = file
                .strip_suffix(".luau")
                .or_else(|| file.strip_suffix(".lua"))
            else {
                continue;
            };
            let source = std::fs::read_to_string(&path).map_err(mlua::Error::external)?;
            // Scripts are named like instances in errors: `ServerScriptService.Main:3:`.
            let chunk = |name: &str| format!("{parent_path}/{name}").replace('/', ".");
            if let Some(name) = stem.strip_suffix(".server") {
                self.run(Peer::Server, &source, &chunk(name))?;
            } else if let Some(name) = stem.strip_suffix(".client") {
                self.add_client_script(&chunk(name), &source)?;
            } else if stem == "init" {
                self.add_module(parent_path, &source)?;
            } else {
                self.add_module(&format!("{parent_path}/{stem}"), &source)?;
            }
        }
        Ok(())
    }

    /// Adds a LocalScript: it runs now on every connected client and on
    /// every client that joins later (`chunk_name` names it in errors).
    pub fn add_client_script(&mut self, chunk_name: &str, source: &str) -> Result<()> {
        for id in self.players() {
            self.run(Peer::Client(id), source, chunk_name)?;
        }
        self.client_scripts
            .push((chunk_name.to_string(), source.to_string()));
        Ok(())
    }

    /// Connects a new player; returns its UserId. The server sees a Player
    /// under Players and PlayerAdded fires; the client VM starts with its
    /// LocalPlayer and receives the replicated world over its link.
    pub fn add_player(&mut self, name: &str) -> Result<u64> {
        let uid = self.next_user_id;
        self.next_user_id += 1;
        let instance_id: i64 = self.server.call("addPlayer", (uid, name, Value::Nil))?;
        self.route_outboxes();
        let vm = Vm::new(VmOptions {
            names: self.names.clone(),
            is_server: false,
            user_id: uid as i64,
            seed: peer_seed(self.config.seed, uid),
            unix_epoch: self.config.unix_epoch,
            clock: self.clock.clone(),
            native: self.config.client_native,
            frame_dt: 1.0 / self.config.frame_rate,
        })?;
        vm.call::<()>("setStartTime", self.now())?;
        vm.call::<Value>("addPlayer", (uid, name, instance_id))?;
        let link = self.config.default_link;
        self.clients.insert(
            uid,
            Client {
                vm,
                up: LinkState::new(link),
                down: LinkState::new(link),
                inbox: Vec::new(),
            },
        );
        let snapshot: Table = self.server.call("snapshot", ())?;
        let mut ops = Vec::new();
        for op in snapshot.sequence_values::<Table>() {
            let op = op?;
            let args = op
                .sequence_values::<Value>()
                .map(|v| v.and_then(|v| NetValue::from_lua(&v)))
                .collect::<Result<Vec<_>>>()?;
            ops.push(args);
        }
        if !ops.is_empty() {
            self.send_replication(uid, ops);
        }
        let scripts = self.client_scripts.clone();
        for (name, source) in scripts {
            self.run(Peer::Client(uid), &source, &name)?;
        }
        Ok(uid)
    }

    /// Disconnects a player: PlayerRemoving fires on the server, the Player
    /// is destroyed everywhere, and the client VM is dropped.
    pub fn remove_player(&mut self, user_id: u64) -> Result<()> {
        if self.clients.remove(&user_id).is_none() {
            return Ok(());
        }
        let r = self.server.call::<()>("removePlayer", user_id);
        self.collect(Peer::Server);
        self.route_outboxes();
        r
    }

    fn collect(&mut self, peer: Peer) {
        let now = self.now();
        let Ok(vm) = self.vm(peer) else { return };
        let errs = vm.take_errors();
        let out = std::mem::take(&mut *vm.shared.output.borrow_mut());
        if self.echo {
            for l in &out {
                eprintln!("[{peer:?} {now:.3}] {l}");
            }
            for e in &errs {
                eprintln!("[{peer:?} {now:.3}] ERROR {e}");
            }
        }
        self.errors
            .extend(errs.into_iter().map(|message| ScriptError {
                peer,
                message,
                time: now,
            }));
        self.output.extend(out.into_iter().map(|l| (peer, l)));
    }

    fn send_replication(&mut self, uid: u64, ops: Vec<Vec<NetValue>>) {
        let bytes: usize = ops.iter().map(|o| message_size(o)).sum();
        let payload = Rc::new(Payload::Replication(ops));
        let name = self.replication_name;
        self.enqueue(uid, Direction::Down, name, bytes, true, payload);
    }

    fn enqueue(
        &mut self,
        uid: u64,
        dir: Direction,
        name: u32,
        bytes: usize,
        reliable: bool,
        payload: Rc<Payload>,
    ) {
        let now = self.now();
        let Some(client) = self.clients.get_mut(&uid) else {
            return;
        };
        let link = match dir {
            Direction::Up => &mut client.up,
            Direction::Down => &mut client.down,
        };
        let fate = link.transmit(now, bytes, reliable, &mut self.rng);
        let c = self
            .counters
            .entry(name, self.names.borrow().get(name), uid, dir);
        c.sent_messages += 1;
        c.sent_bytes += bytes as u64;
        c.retransmits += u64::from(fate.retransmits);
        if fate.arrivals.is_empty() {
            c.dropped += 1;
        }
        c.duplicated += fate.arrivals.len().saturating_sub(1) as u64;
        let to = match dir {
            Direction::Up => Peer::Server,
            Direction::Down => Peer::Client(uid),
        };
        for arrival in fate.arrivals {
            self.seq += 1;
            self.in_flight.push(InFlight {
                arrival,
                seq: self.seq,
                to,
                from_user: uid,
                name,
                bytes,
                payload: payload.clone(),
            });
        }
    }

    /// Moves everything the VMs asked to send onto the links.
    fn route_outboxes(&mut self) {
        let out = std::mem::take(&mut *self.server.shared.outbox.borrow_mut());
        for o in out {
            let bytes = message_size(&o.args);
            if o.kind == Kind::Replication {
                let payload = Rc::new(Payload::Replication(vec![o.args]));
                let ids: Vec<u64> = self.clients.keys().copied().collect();
                for uid in ids {
                    self.enqueue(uid, Direction::Down, o.name, bytes, true, payload.clone());
                }
                continue;
            }
            let payload = Rc::new(Payload::Remote {
                kind: o.kind,
                remote_id: o.remote_id,
                call_id: o.call_id,
                args: o.args,
            });
            let reliable = o.kind != Kind::Unreliable;
            let oversize = o.kind == Kind::Unreliable && bytes > UNRELIABLE_LIMIT;
            let send = |w: &mut World, uid: u64| {
                if oversize {
                    let names = w.names.borrow();
                    w.counters
                        .entry(o.name, names.get(o.name), uid, Direction::Down)
                        .oversize += 1;
                } else {
                    w.enqueue(
                        uid,
                        Direction::Down,
                        o.name,
                        bytes,
                        reliable,
                        payload.clone(),
                    );
                }
            };
            if o.target < 0 {
                let ids: Vec<u64> = self.clients.keys().copied().collect();
                for uid in ids {
                    send(self, uid);
                }
            } else {
                send(self, o.target as u64);
            }
        }
        let ids: Vec<u64> = self.clients.keys().copied().collect();
        for uid in ids {
            let out = match self.clients.get(&uid) {
                Some(c) => std::mem::take(&mut *c.vm.shared.outbox.borrow_mut()),
                None => continue,
            };
            for o in out {
                if o.kind == Kind::Replication {
                    continue;
                }
                let bytes = message_size(&o.args);
                if o.kind == Kind::Unreliable && bytes > UNRELIABLE_LIMIT {
                    let names = self.names.borrow();
                    self.counters
                        .entry(o.name, names.get(o.name), uid, Direction::Up)
                        .oversize += 1;
                    continue;
                }
                let payload = Rc::new(Payload::Remote {
                    kind: o.kind,
                    remote_id: o.remote_id,
                    call_id: o.call_id,
                    args: o.args,
                });
                let reliable = o.kind != Kind::Unreliable;
                self.enqueue(uid, Direction::Up, o.name, bytes, reliable, payload);
            }
        }
    }

    /// Moves the packets due now into their receivers' inboxes, counting
    /// them as delivered.
    fn deliver_due(&mut self) {
        let now = self.now();
        while self.in_flight.peek().is_some_and(|p| p.arrival <= now) {
            let Some(p) = self.in_flight.pop() else { break };
            let (dir, inbox) = match p.to {
                Peer::Server => {
                    if !self.clients.contains_key(&p.from_user) {
                        // The sender left; Roblox drops traffic of departed players.
                        continue;
                    }
                    (Direction::Up, &mut self.server_inbox)
                }
                Peer::Client(uid) => match self.clients.get_mut(&uid) {
                    Some(c) => (Direction::Down, &mut c.inbox),
                    None => continue,
                },
            };
            inbox.push((p.from_user, p.payload));
            let c = self
                .counters
                .entry(p.name, self.names.borrow().get(p.name), p.from_user, dir);
            c.delivered_messages += 1;
            c.delivered_bytes += p.bytes as u64;
        }
    }

    /// Rebuilds a peer's due messages in its VM and runs its frame.
    fn step_vm(
        vm: &Vm,
        inbox: &mut Vec<(u64, Rc<Payload>)>,
        batch: &mut Vec<Value>,
        now: f64,
        dt: f64,
    ) -> (Result<()>, Vec<mlua::Error>) {
        let mut conversion_errors = Vec::new();
        for (from_user, payload) in inbox.drain(..) {
            let r = match &*payload {
                Payload::Replication(ops) => ops
                    .iter()
                    .try_for_each(|op| vm.push_message(batch, Kind::Replication, 0, 0, 0.0, op)),
                Payload::Remote {
                    kind,
                    remote_id,
                    call_id,
                    args,
                } => vm.push_message(batch, *kind, *remote_id, from_user, *call_id, args),
            };
            if let Err(e) = r {
                conversion_errors.push(e);
            }
        }
        (vm.step(now, dt, batch), conversion_errors)
    }

    /// Advances one frame: move due packets to their receivers, then for the
    /// server and each client in UserId order: hand it its packets and step
    /// it (deferred events, timers, RunService signals); then send what the
    /// VMs queued and apply kicks.
    ///
    /// Each VM is handled start to finish before the next (its packets, its
    /// frame) so that its memory stays in cache; VMs only affect each other
    /// through the network, which carries nothing within a frame, so this is
    /// the same as delivering to every VM first. Errors and output are
    /// listed per peer in that order.
    pub fn step(&mut self) -> Result<()> {
        let host_start = Instant::now();
        self.frame += 1;
        self.timing.frames += 1;
        let dt = 1.0 / self.config.frame_rate;
        let now = self.frame as f64 * dt;
        self.clock.set(now);
        self.deliver_due();
        let mut host = host_start.elapsed();

        let t = Instant::now();
        let cpu = crate::clock::thread_cpu();
        let (r, conv) = Self::step_vm(
            &self.server,
            &mut self.server_inbox,
            &mut self.batch,
            now,
            dt,
        );
        self.timing.server_cpu += crate::clock::thread_cpu().saturating_sub(cpu);
        self.timing.server += t.elapsed();
        self.record(Peer::Server, r, conv, now);
        let ids: Vec<u64> = self.clients.keys().copied().collect();
        for uid in ids {
            let Some(c) = self.clients.get_mut(&uid) else {
                continue;
            };
            let t = Instant::now();
            let (r, conv) = Self::step_vm(&c.vm, &mut c.inbox, &mut self.batch, now, dt);
            let e = self.timing.clients.entry(uid).or_default();
            e.0 += 1;
            e.1 += t.elapsed();
            self.record(Peer::Client(uid), r, conv, now);
        }
        let t = Instant::now();
        self.route_outboxes();
        let r = self.apply_kicks();
        host += t.elapsed();
        self.timing.host += host;
        r
    }

    fn record(&mut self, peer: Peer, r: Result<()>, conv: Vec<mlua::Error>, now: f64) {
        for e in conv.into_iter().chain(r.err()) {
            self.errors.push(ScriptError {
                peer,
                message: e.to_string(),
                time: now,
            });
        }
        self.collect(peer);
    }

    fn apply_kicks(&mut self) -> Result<()> {
        let mut kicks = std::mem::take(&mut *self.server.shared.kicks.borrow_mut());
        for c in self.clients.values() {
            kicks.extend(c.vm.shared.kicks.borrow_mut().drain(..));
        }
        for (uid, msg) in kicks {
            if uid > 0 && self.clients.contains_key(&(uid as u64)) {
                self.output
                    .push((Peer::Client(uid as u64), format!("Kicked: {msg}")));
                self.remove_player(uid as u64)?;
            }
        }
        Ok(())
    }

    /// Steps frames until at least `seconds` of virtual time have passed.
    pub fn run_for(&mut self, seconds: f64) -> Result<()> {
        let frames = (seconds * self.config.frame_rate).round().max(0.0) as u64;
        for _ in 0..frames {
            self.step()?;
        }
        Ok(())
    }

    /// Calls a global function of a peer with arguments (synchronously).
    pub fn call<R: FromLuaMulti>(
        &mut self,
        peer: Peer,
        global: &str,
        args: MultiValue,
    ) -> Result<R> {
        let vm = self.vm(peer)?;
        let f: mlua::Function = vm.lua.globals().get(global)?;
        let r = f.call(args);
        self.collect(peer);
        r
    }
}

//! Arena: a small multiplayer shooter's network schema.
//!
//! `skyrocket gen examples/arena/schema.rs --out <dir>` turns this file into
//! Luau codecs; the same file compiles as Rust with `#[derive(NetCodec)]`
//! (see `codec-core/examples/arena.rs`), and both sides produce the same bytes.
//! The game beside it (`src/`) plays over the generated API:
//! `skyrocket sim examples/arena` regenerates it and runs the match.

use skyrocket::roblox::{CFrame, Color3, DateTime, EnumItem, Instance, Vector3};
use skyrocket::NetCodec;
use std::collections::BTreeMap;

/// What a player is doing; drives animation on other clients.
#[derive(NetCodec, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MoveState {
    /// Standing still.
    #[default]
    Idle,
    /// Walking or running.
    Running,
    /// In the air, going up.
    Jumping,
    /// In the air, going down.
    Falling,
    /// Crouched.
    Crouching,
    /// Dead, waiting to respawn.
    Dead,
}

/// One player as every client sees it, sent unreliably every frame.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct PlayerState {
    /// Index of the player in the match (not the Roblox UserId).
    pub id: u16,
    /// World position, 1/64 stud precision inside a 4096-stud arena.
    #[net(quantize(min = -2048.0, max = 2047.984375, step = 0.015625))]
    pub position: Vector3,
    /// Facing, radians.
    #[net(quantize(min = 0.0, max = 6.277049384028044, step = 0.006135923151542565))]
    pub yaw: f32,
    /// Hit points.
    #[net(range = 0..=100)]
    pub health: u8,
    /// Animation state.
    pub state: MoveState,
    /// Sprinting, aiming, reloading, shielded.
    pub flags: [bool; 4],
    /// Velocity in studs per second, 1/16 precision.
    #[net(quantize(min = -128.0, max = 127.9375, step = 0.0625))]
    pub velocity: Vector3,
}

/// The world as of one server tick.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Server tick number; wraps.
    pub tick: u32,
    /// Every player in the match.
    #[net(max_len = 64)]
    pub players: Vec<PlayerState>,
}

/// Weapons a projectile can come from.
#[derive(NetCodec, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weapon {
    /// Hitscan rifle.
    Rifle,
    /// Arcing grenade.
    Grenade,
    /// Slow rocket with splash damage.
    Rocket,
}

/// A projectile spawned by the server.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct ProjectileSpawned {
    /// Projectile id, unique per match.
    #[net(varint)]
    pub id: u32,
    /// Who fired it.
    pub owner: u16,
    /// Which weapon.
    pub weapon: Weapon,
    /// Muzzle transform.
    pub origin: CFrame,
    /// Initial speed, studs per second.
    #[net(half)]
    pub speed: f32,
}

/// One stack in a player's inventory.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct ItemStack {
    /// Catalog item id.
    #[net(varint)]
    pub item: u32,
    /// How many.
    #[net(range = 1..=999)]
    pub count: u16,
    /// Tint chosen by the player.
    pub tint: Option<Color3>,
}

/// A full inventory, sent reliably on join and on change.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct Inventory {
    /// Slot number to stack.
    #[net(max_len = 40)]
    pub slots: BTreeMap<u8, ItemStack>,
    /// Soft currency.
    #[net(varint)]
    pub coins: u64,
}

/// A chat line.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// Sender's player index.
    pub from: u16,
    /// Text, at most 200 bytes of UTF-8.
    #[net(max_len = 200)]
    pub text: String,
    /// Which channel.
    pub channel: ChatChannel,
    /// When the server accepted it.
    pub sent_at: DateTime,
}

/// Chat channels.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub enum ChatChannel {
    /// Everyone.
    All,
    /// The sender's team.
    Team(#[net(range = 0..=7)] u8),
    /// One player.
    Whisper {
        /// Recipient's player index.
        to: u16,
    },
}

/// Client input for one frame, sent unreliably.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct InputFrame {
    /// Client frame counter, for reconciliation.
    pub sequence: u16,
    /// Movement stick, each axis -1..1 in 1/127 steps.
    #[net(quantize(min = -1.0, max = 1.0, step = 0.007874015748031496))]
    pub move_x: f32,
    /// Forward axis.
    #[net(quantize(min = -1.0, max = 1.0, step = 0.007874015748031496))]
    pub move_z: f32,
    /// Aim direction as yaw and pitch.
    #[net(quantize(min = -3.141592653589793, max = 3.1400586728019073, step = 0.0015339807878856412))]
    pub aim_yaw: f32,
    /// Pitch.
    #[net(quantize(min = -1.5707963267948966, max = 1.5707963267948966, step = 0.0015339807878856412))]
    pub aim_pitch: f32,
    /// Jump, fire, aim, reload, crouch, sprint.
    pub buttons: [bool; 6],
    /// A key pressed this frame, if any.
    #[net(roblox_enum = "KeyCode")]
    pub key: Option<EnumItem>,
}

/// A client asks to interact with a world object.
#[derive(NetCodec, Debug, Clone, PartialEq)]
pub struct Interact {
    /// The part clicked (travels beside the buffer; nil if streamed out).
    pub target: Instance,
    /// Where on the part.
    pub hit: Vector3,
}

/// The remotes of the game: `skyrocket gen` turns these declarations into a
/// typed Luau API (`Remotes.luau`) over the runtime (`Net/`).
#[skyrocket::protocol]
pub mod net {
    use super::*;

    /// Match state, every frame.
    pub mod world {
        /// The world snapshot, every frame to every player.
        #[event(to_client, unreliable, splittable, priority = 200)]
        pub type Snapshot = super::Snapshot;

        /// A projectile appeared.
        #[event(to_client, priority = 150)]
        pub type ProjectileSpawned = super::ProjectileSpawned;
    }

    /// What players send.
    pub mod player {
        use super::*;

        /// Client input, every frame (60 a second; twice that in a burst).
        #[event(to_server, unreliable, rate = 60, burst = 120)]
        pub type Input = InputFrame;

        /// Clicking a world object.
        #[event(to_server, rate = 5, burst = 10)]
        pub type Interact = super::Interact;

        /// A chat line, relayed to the channel.
        #[event(to_server, rate = 2, burst = 5)]
        pub type Say = ChatMessage;

        /// Chat lines as delivered.
        #[event(to_client, priority = 50)]
        pub type Chat = ChatMessage;

        /// The player's inventory, on request.
        #[function(to_server, timeout = 5, retries = 2, rate = 4)]
        pub type GetInventory = fn(u8) -> Inventory;
    }
}

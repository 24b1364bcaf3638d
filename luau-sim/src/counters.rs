//! Byte and message counters per remote, per player and per direction.

use std::collections::HashMap;
use std::rc::Rc;

/// Direction of traffic on a player's link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Client to server.
    Up,
    /// Server to client.
    Down,
}

/// Traffic totals (bytes follow the size model of [`crate::value`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Messages handed to the link.
    pub sent_messages: u64,
    /// Bytes handed to the link.
    pub sent_bytes: u64,
    /// Messages (copies) delivered to a live peer.
    pub delivered_messages: u64,
    /// Bytes delivered to a live peer.
    pub delivered_bytes: u64,
    /// Unreliable messages lost on the link.
    pub dropped: u64,
    /// Extra copies created by duplication.
    pub duplicated: u64,
    /// Reliable retransmissions caused by loss.
    pub retransmits: u64,
    /// UnreliableRemoteEvent payloads over 1000 bytes, dropped before sending.
    pub oversize: u64,
}

impl Traffic {
    fn add(&mut self, o: &Traffic) {
        self.sent_messages += o.sent_messages;
        self.sent_bytes += o.sent_bytes;
        self.delivered_messages += o.delivered_messages;
        self.delivered_bytes += o.delivered_bytes;
        self.dropped += o.dropped;
        self.duplicated += o.duplicated;
        self.retransmits += o.retransmits;
        self.oversize += o.oversize;
    }
}

/// All counters of a world, keyed by (remote full name, UserId, direction).
/// Replication traffic is counted under the name `"replication"`.
///
/// The hot path (one update per message sent and per copy delivered) finds
/// its entry through an interned name id, so no string is hashed, compared
/// or allocated per message; the string-keyed views below sort on demand.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// (name id, UserId, direction) -> index into `entries`.
    index: HashMap<(u32, u64, Direction), usize>,
    entries: Vec<((String, u64, Direction), Traffic)>,
}

impl PartialEq for Counters {
    fn eq(&self, o: &Self) -> bool {
        self.iter().eq(o.iter())
    }
}
impl Eq for Counters {}

impl Counters {
    /// The entry for an interned remote name (`name` is the id's text,
    /// used only when the entry is created).
    pub(crate) fn entry(&mut self, id: u32, name: &str, user: u64, dir: Direction) -> &mut Traffic {
        let n = self.entries.len();
        let i = *self.index.entry((id, user, dir)).or_insert(n);
        if i == n {
            self.entries
                .push(((name.to_string(), user, dir), Traffic::default()));
        }
        &mut self.entries[i].1
    }

    /// Counters of one remote for one player and direction.
    pub fn get(&self, remote: &str, user: u64, dir: Direction) -> Traffic {
        self.entries
            .iter()
            .find(|((r, u, d), _)| r == remote && *u == user && *d == dir)
            .map(|(_, t)| *t)
            .unwrap_or_default()
    }

    fn sum(&self, f: impl Fn(&str, u64, Direction) -> bool) -> Traffic {
        let mut t = Traffic::default();
        for ((r, u, d), v) in &self.entries {
            if f(r, *u, *d) {
                t.add(v);
            }
        }
        t
    }

    /// Totals in one direction.
    pub fn total(&self, dir: Direction) -> Traffic {
        self.sum(|_, _, d| d == dir)
    }

    /// Totals of one player in one direction.
    pub fn player(&self, user: u64, dir: Direction) -> Traffic {
        self.sum(|_, u, d| u == user && d == dir)
    }

    /// Totals of one remote (full name) in one direction.
    pub fn remote(&self, remote: &str, dir: Direction) -> Traffic {
        self.sum(|r, _, d| r == remote && d == dir)
    }

    /// Every entry, ordered by (remote name, UserId, direction).
    pub fn iter(&self) -> impl Iterator<Item = (&(String, u64, Direction), &Traffic)> {
        let mut v: Vec<_> = self.entries.iter().map(|(k, t)| (k, t)).collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v.into_iter()
    }
}

/// Interned remote names shared by the world and its VMs: a name crosses
/// from Luau to Rust as a borrowed string and is looked up without
/// allocating; messages and counters carry the `u32` id.
#[derive(Debug, Default)]
pub(crate) struct Names {
    map: HashMap<Box<str>, u32>,
    list: Vec<Rc<str>>,
}

impl Names {
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.map.get(name) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push(Rc::from(name));
        self.map.insert(name.into(), id);
        id
    }

    pub(crate) fn get(&self, id: u32) -> &str {
        &self.list[id as usize]
    }
}

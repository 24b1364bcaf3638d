//! Byte and message counters per remote, per player and per direction.

use std::collections::BTreeMap;

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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    map: BTreeMap<(String, u64, Direction), Traffic>,
}

impl Counters {
    pub(crate) fn entry(&mut self, remote: &str, user: u64, dir: Direction) -> &mut Traffic {
        self.map.entry((remote.to_string(), user, dir)).or_default()
    }

    /// Counters of one remote for one player and direction.
    pub fn get(&self, remote: &str, user: u64, dir: Direction) -> Traffic {
        self.map
            .get(&(remote.to_string(), user, dir))
            .copied()
            .unwrap_or_default()
    }

    fn sum(&self, f: impl Fn(&str, u64, Direction) -> bool) -> Traffic {
        let mut t = Traffic::default();
        for ((r, u, d), v) in &self.map {
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

    /// Every entry, in a deterministic order.
    pub fn iter(&self) -> impl Iterator<Item = (&(String, u64, Direction), &Traffic)> {
        self.map.iter()
    }
}

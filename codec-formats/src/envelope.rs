//! The encryption envelope, byte-identical to the Luau `Crypto/Envelope.luau`:
//! ChaCha20-Poly1305 (RFC 8439) with counter nonces, per-direction nonce
//! prefixes, the message kind bound as associated data, and a replay window.
//!
//! ```text
//! envelope = key id (u8) | counter (u64 LE) | ciphertext | tag (16 bytes)
//! nonce    = direction prefix (4 bytes: "S2C\0" or "C2S\0") | counter (u64 LE)
//! aad      = key id | 0x01 | kind (u32 LE)     for a numeric kind
//!            key id | 0x02 | kind (bytes)      for a string kind
//! ```
//!
//! What it protects and what it cannot: docs/encryption.md.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use std::fmt;

/// Header (key id + counter) plus tag: bytes an envelope adds to a payload.
pub const OVERHEAD: usize = HEADER + TAG;
/// How many counters below the highest accepted one can still arrive (out of
/// order) once each.
pub const WINDOW: u64 = 64;

const HEADER: usize = 9;
const TAG: usize = 16;
/// Counters stay below 2^53 so Luau numbers hold them exactly.
const MAX_COUNTER: u64 = 1 << 53;

/// What a message is, bound into its tag: a payload sealed as one kind does
/// not open as another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind<'a> {
    /// A numeric message kind (e.g. a remote id).
    Num(u32),
    /// A named message kind (e.g. `"Shop.Buy"`).
    Str(&'a str),
}

/// Which way an endpoint seals. An endpoint opens only the opposite
/// direction, so a message cannot be reflected back to its sender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Sealed by the server, opened by a client.
    ServerToClient,
    /// Sealed by a client, opened by the server.
    ClientToServer,
}

impl Direction {
    fn prefix(self) -> [u8; 4] {
        match self {
            Direction::ServerToClient => *b"S2C\0",
            Direction::ClientToServer => *b"C2S\0",
        }
    }

    fn opposite(self) -> Direction {
        match self {
            Direction::ServerToClient => Direction::ClientToServer,
            Direction::ClientToServer => Direction::ServerToClient,
        }
    }

    /// The name the Luau module uses (`"ServerToClient"` ...).
    pub fn name(self) -> &'static str {
        match self {
            Direction::ServerToClient => "ServerToClient",
            Direction::ClientToServer => "ClientToServer",
        }
    }
}

/// Why an envelope was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// Shorter than [`OVERHEAD`].
    TooShort(usize),
    /// Sealed under another key.
    UnknownKeyId(u8),
    /// A counter at or above 2^53.
    CounterOutOfRange,
    /// A counter [`WINDOW`] or more below the highest accepted.
    TooOld {
        /// The envelope's counter.
        counter: u64,
        /// The highest counter accepted so far.
        highest: u64,
    },
    /// A counter already accepted.
    Replayed(u64),
    /// The tag does not match: tampered, wrong key, wrong kind or direction.
    AuthenticationFailed,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::TooShort(n) => write!(
                f,
                "envelope too short: {n} bytes, at least {OVERHEAD} needed"
            ),
            OpenError::UnknownKeyId(id) => write!(f, "unknown key id {id}"),
            OpenError::CounterOutOfRange => write!(f, "counter out of range"),
            OpenError::TooOld { counter, highest } => write!(
                f,
                "counter {counter} too old (highest accepted {highest}, window {WINDOW})"
            ),
            OpenError::Replayed(c) => write!(f, "counter {c} replayed"),
            OpenError::AuthenticationFailed => write!(f, "authentication failed"),
        }
    }
}

impl std::error::Error for OpenError {}

/// Why sealing failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SealError {
    /// 2^53 messages were sealed with this key: rotate it.
    CounterExhausted,
    /// The AEAD refused the input (longer than RFC 8439 allows).
    TooLong,
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SealError::CounterExhausted => write!(f, "nonce counter exhausted; rotate the key"),
            SealError::TooLong => write!(f, "plaintext too long for ChaCha20-Poly1305"),
        }
    }
}

impl std::error::Error for SealError {}

/// One endpoint's envelope for one key: seals its own direction with its
/// send counter, opens the other direction through a replay window. Never
/// make two envelopes with the same key and direction (nonces would repeat).
pub struct Envelope {
    cipher: ChaCha20Poly1305,
    key_id: u8,
    direction: Direction,
    send_counter: u64,
    highest: Option<u64>,
    seen: [bool; WINDOW as usize],
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("key_id", &self.key_id)
            .field("direction", &self.direction)
            .field("send_counter", &self.send_counter)
            .field("highest", &self.highest)
            .finish_non_exhaustive()
    }
}

fn aad(key_id: u8, kind: Kind<'_>) -> Vec<u8> {
    let mut a = vec![key_id];
    match kind {
        Kind::Num(n) => {
            a.push(1);
            a.extend(n.to_le_bytes());
        }
        Kind::Str(s) => {
            a.push(2);
            a.extend(s.as_bytes());
        }
    }
    a
}

fn nonce(direction: Direction, counter: u64) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..4].copy_from_slice(&direction.prefix());
    n[4..].copy_from_slice(&counter.to_le_bytes());
    n
}

impl Envelope {
    /// An endpoint that seals `direction` with `key` (32 bytes), tagged `key_id`.
    pub fn new(key: &[u8; 32], key_id: u8, direction: Direction) -> Envelope {
        Envelope {
            cipher: ChaCha20Poly1305::new(Key::from_slice(key)),
            key_id,
            direction,
            send_counter: 0,
            highest: None,
            seen: [false; WINDOW as usize],
        }
    }

    /// The counter the next [`Envelope::seal`] uses.
    pub fn send_counter(&self) -> u64 {
        self.send_counter
    }

    /// Seals `plaintext` as a message of `kind` with the next counter.
    pub fn seal(&mut self, kind: Kind<'_>, plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
        if self.send_counter >= MAX_COUNTER {
            return Err(SealError::CounterExhausted);
        }
        let sealed = self.seal_with_counter(kind, plaintext, self.send_counter)?;
        self.send_counter += 1;
        Ok(sealed)
    }

    /// Seals with an explicit counter. Reusing a counter reuses a nonce and
    /// breaks confidentiality: only for tests that forge replays.
    #[doc(hidden)]
    pub fn seal_with_counter(
        &self,
        kind: Kind<'_>,
        plaintext: &[u8],
        counter: u64,
    ) -> Result<Vec<u8>, SealError> {
        let n = nonce(self.direction, counter);
        let body = self
            .cipher
            .encrypt(
                Nonce::from_slice(&n),
                Payload {
                    msg: plaintext,
                    aad: &aad(self.key_id, kind),
                },
            )
            .map_err(|_| SealError::TooLong)?;
        let mut out = Vec::with_capacity(HEADER + body.len());
        out.push(self.key_id);
        out.extend(counter.to_le_bytes());
        out.extend(body);
        Ok(out)
    }

    /// Opens an envelope of `kind` sealed by the other direction; a counter
    /// is accepted once, and only within [`WINDOW`] of the highest accepted.
    pub fn open(&mut self, kind: Kind<'_>, data: &[u8]) -> Result<Vec<u8>, OpenError> {
        if data.len() < OVERHEAD {
            return Err(OpenError::TooShort(data.len()));
        }
        if data[0] != self.key_id {
            return Err(OpenError::UnknownKeyId(data[0]));
        }
        let mut counter_bytes = [0u8; 8];
        counter_bytes.copy_from_slice(&data[1..HEADER]);
        let counter = u64::from_le_bytes(counter_bytes);
        if counter >= MAX_COUNTER {
            return Err(OpenError::CounterOutOfRange);
        }
        if let Some(highest) = self.highest {
            if counter <= highest {
                if highest - counter >= WINDOW {
                    return Err(OpenError::TooOld { counter, highest });
                }
                if self.seen[(counter % WINDOW) as usize] {
                    return Err(OpenError::Replayed(counter));
                }
            }
        }
        let n = nonce(self.direction.opposite(), counter);
        let plaintext = self
            .cipher
            .decrypt(
                Nonce::from_slice(&n),
                Payload {
                    msg: &data[HEADER..],
                    aad: &aad(self.key_id, kind),
                },
            )
            .map_err(|_| OpenError::AuthenticationFailed)?;
        match self.highest {
            Some(highest) if counter <= highest => {}
            Some(highest) if counter - highest < WINDOW => {
                for c in highest + 1..counter {
                    self.seen[(c % WINDOW) as usize] = false;
                }
                self.highest = Some(counter);
            }
            _ => {
                self.seen = [false; WINDOW as usize];
                self.highest = Some(counter);
            }
        }
        self.seen[(counter % WINDOW) as usize] = true;
        Ok(plaintext)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Envelope, Envelope) {
        let key = [7u8; 32];
        (
            Envelope::new(&key, 3, Direction::ServerToClient),
            Envelope::new(&key, 3, Direction::ClientToServer),
        )
    }

    #[test]
    fn seals_and_opens_across_directions_only() {
        let (mut server, mut client) = pair();
        let sealed = server.seal(Kind::Str("Shop.Buy"), b"sword").expect("seal");
        assert_eq!(sealed.len(), 5 + OVERHEAD);
        assert_eq!(&sealed[..HEADER], &[3, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            client.open(Kind::Str("Shop.Buy"), &sealed).expect("open"),
            b"sword"
        );
        // Reflected back to its sender: wrong direction.
        assert_eq!(
            server.open(Kind::Str("Shop.Buy"), &sealed),
            Err(OpenError::AuthenticationFailed)
        );
        assert_eq!(server.send_counter(), 1);
    }

    #[test]
    fn kind_binding_replays_and_the_window() {
        let (mut server, mut client) = pair();
        let first = server.seal(Kind::Num(1), b"a").expect("seal");
        assert_eq!(
            client.open(Kind::Num(2), &first),
            Err(OpenError::AuthenticationFailed)
        );
        assert!(client.open(Kind::Num(1), &first).is_ok());
        assert_eq!(
            client.open(Kind::Num(1), &first),
            Err(OpenError::Replayed(0))
        );
        let late = server
            .seal_with_counter(Kind::Num(1), b"x", 100)
            .expect("seal");
        assert!(client.open(Kind::Num(1), &late).is_ok());
        let old = server
            .seal_with_counter(Kind::Num(1), b"x", 36)
            .expect("seal");
        assert_eq!(
            client.open(Kind::Num(1), &old),
            Err(OpenError::TooOld {
                counter: 36,
                highest: 100
            })
        );
        let in_window = server
            .seal_with_counter(Kind::Num(1), b"x", 37)
            .expect("seal");
        assert!(client.open(Kind::Num(1), &in_window).is_ok());
    }

    #[test]
    fn hostile_envelopes_are_refused_without_panicking() {
        let (mut server, mut client) = pair();
        assert_eq!(
            client.open(Kind::Num(0), &[0; 24]),
            Err(OpenError::TooShort(24))
        );
        let mut sealed = server.seal(Kind::Num(0), b"hello").expect("seal");
        let mut wrong_key = sealed.clone();
        wrong_key[0] = 4;
        assert_eq!(
            client.open(Kind::Num(0), &wrong_key),
            Err(OpenError::UnknownKeyId(4))
        );
        let mut huge = sealed.clone();
        huge[8] = 0xff;
        assert_eq!(
            client.open(Kind::Num(0), &huge),
            Err(OpenError::CounterOutOfRange)
        );
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert_eq!(
            client.open(Kind::Num(0), &sealed),
            Err(OpenError::AuthenticationFailed)
        );
    }
}

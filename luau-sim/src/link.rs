//! Link conditioner: latency, jitter, loss, duplication, reordering and a
//! bandwidth cap per link direction, all drawn from the world's seeded RNG.
//!
//! Reliable traffic (RemoteEvent, RemoteFunction, replication) is never lost
//! or duplicated: a lost transmission is resent after a retransmission
//! timeout (`max(2 * latency, 50 ms)`), and delivery stays in send order on
//! each link direction (which implies Roblox's per-remote ordering).
//! Unreliable traffic (UnreliableRemoteEvent) may be dropped, duplicated
//! (the copy gets its own delay) or reordered (held back by up to
//! `latency + 50 ms` extra).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Conditions of one link direction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkConfig {
    /// One-way latency in seconds.
    pub latency: f64,
    /// Uniform jitter in seconds added on top of latency: `[0, jitter)`.
    pub jitter: f64,
    /// Probability that a transmission is lost (0..1).
    pub loss: f64,
    /// Probability that an unreliable packet is delivered twice (0..1).
    pub duplicate: f64,
    /// Probability that an unreliable packet is held back and so reordered.
    pub reorder: f64,
    /// Bandwidth cap in bytes per second (`None`: unlimited).
    pub bandwidth: Option<f64>,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self::PERFECT
    }
}

impl LinkConfig {
    /// No latency, no loss.
    pub const PERFECT: LinkConfig = LinkConfig {
        latency: 0.0,
        jitter: 0.0,
        loss: 0.0,
        duplicate: 0.0,
        reorder: 0.0,
        bandwidth: None,
    };
    /// Local network: 1 ms, tiny jitter.
    pub const LAN: LinkConfig = LinkConfig {
        latency: 0.001,
        jitter: 0.0005,
        loss: 0.0,
        duplicate: 0.0,
        reorder: 0.0,
        bandwidth: Some(12_500_000.0),
    };
    /// Home broadband: 20 ms, 5 ms jitter, 0.1% loss, 2 MB/s.
    pub const HOME_BROADBAND: LinkConfig = LinkConfig {
        latency: 0.020,
        jitter: 0.005,
        loss: 0.001,
        duplicate: 0.0,
        reorder: 0.001,
        bandwidth: Some(2_000_000.0),
    };
    /// Mobile 4G: 50 ms, 20 ms jitter, 1% loss, 500 KB/s.
    pub const MOBILE_4G: LinkConfig = LinkConfig {
        latency: 0.050,
        jitter: 0.020,
        loss: 0.01,
        duplicate: 0.001,
        reorder: 0.01,
        bandwidth: Some(500_000.0),
    };
    /// Mobile 3G: 150 ms, 50 ms jitter, 2% loss, 100 KB/s.
    pub const MOBILE_3G: LinkConfig = LinkConfig {
        latency: 0.150,
        jitter: 0.050,
        loss: 0.02,
        duplicate: 0.002,
        reorder: 0.02,
        bandwidth: Some(100_000.0),
    };
    /// Lossy: 40 ms, 10 ms jitter, 5% loss, 1% duplication, 2% reordering.
    pub const LOSSY_5: LinkConfig = LinkConfig {
        latency: 0.040,
        jitter: 0.010,
        loss: 0.05,
        duplicate: 0.01,
        reorder: 0.02,
        bandwidth: None,
    };

    /// A preset by name: `perfect`, `lan`, `home`, `4g`, `3g`, `lossy5`.
    pub fn preset(name: &str) -> Option<LinkConfig> {
        Some(match name {
            "perfect" => Self::PERFECT,
            "lan" => Self::LAN,
            "home" | "broadband" => Self::HOME_BROADBAND,
            "4g" | "mobile4g" => Self::MOBILE_4G,
            "3g" | "mobile3g" => Self::MOBILE_3G,
            "lossy5" | "lossy" => Self::LOSSY_5,
            _ => return None,
        })
    }

    fn rto(&self) -> f64 {
        (2.0 * self.latency).max(0.05)
    }
}

/// What happened to one packet handed to [`LinkState::transmit`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Fate {
    /// Arrival times of the copies delivered (empty: dropped).
    pub arrivals: Vec<f64>,
    /// Retransmissions a reliable packet needed.
    pub retransmits: u32,
}

/// The running state of one link direction.
#[derive(Clone, Debug, Default)]
pub struct LinkState {
    /// Current conditions (may be changed mid-run).
    pub config: LinkConfig,
    busy_until: f64,
    last_reliable_arrival: f64,
}

impl LinkState {
    /// A link with the given conditions.
    pub fn new(config: LinkConfig) -> Self {
        Self {
            config,
            busy_until: 0.0,
            last_reliable_arrival: 0.0,
        }
    }

    fn delay(&self, rng: &mut ChaCha8Rng) -> f64 {
        let j = if self.config.jitter > 0.0 {
            rng.gen::<f64>() * self.config.jitter
        } else {
            0.0
        };
        self.config.latency + j
    }

    /// Schedules a packet of `bytes` sent at `now`.
    pub fn transmit(
        &mut self,
        now: f64,
        bytes: usize,
        reliable: bool,
        rng: &mut ChaCha8Rng,
    ) -> Fate {
        let c = self.config;
        let start = now.max(self.busy_until);
        let tx = c.bandwidth.map(|bw| bytes as f64 / bw).unwrap_or(0.0);
        self.busy_until = start + tx;
        let sent = start + tx;
        let mut fate = Fate::default();
        if reliable {
            let mut extra = 0.0;
            while c.loss > 0.0 && rng.gen::<f64>() < c.loss && fate.retransmits < 64 {
                fate.retransmits += 1;
                extra += c.rto();
            }
            let arrival = (sent + extra + self.delay(rng)).max(self.last_reliable_arrival);
            self.last_reliable_arrival = arrival;
            fate.arrivals.push(arrival);
        } else {
            if c.loss > 0.0 && rng.gen::<f64>() < c.loss {
                return fate;
            }
            let mut arrival = sent + self.delay(rng);
            if c.reorder > 0.0 && rng.gen::<f64>() < c.reorder {
                arrival += rng.gen::<f64>() * (c.latency + 0.05);
            }
            fate.arrivals.push(arrival);
            if c.duplicate > 0.0 && rng.gen::<f64>() < c.duplicate {
                fate.arrivals.push(sent + self.delay(rng));
            }
        }
        fate
    }
}

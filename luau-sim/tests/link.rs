//! Link conditioner statistics over many packets match their settings.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use skyrocket_sim::link::LinkState;
use skyrocket_sim::LinkConfig;

const N: usize = 100_000;

fn rng() -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(42)
}

#[test]
fn unreliable_loss_duplication_and_delay() {
    let cfg = LinkConfig {
        latency: 0.05,
        jitter: 0.02,
        loss: 0.05,
        duplicate: 0.01,
        reorder: 0.0,
        bandwidth: None,
    };
    let mut link = LinkState::new(cfg);
    let mut r = rng();
    let (mut dropped, mut dups, mut delay_sum, mut delivered) = (0usize, 0usize, 0.0, 0usize);
    let (mut min_d, mut max_d) = (f64::MAX, 0.0f64);
    for i in 0..N {
        let now = i as f64 * 0.001;
        let f = link.transmit(now, 100, false, &mut r);
        if f.arrivals.is_empty() {
            dropped += 1;
        }
        dups += f.arrivals.len().saturating_sub(1);
        if let Some(a) = f.arrivals.first() {
            let d = a - now;
            delay_sum += d;
            delivered += 1;
            min_d = min_d.min(d);
            max_d = max_d.max(d);
        }
    }
    let loss = dropped as f64 / N as f64;
    assert!((loss - 0.05).abs() < 0.004, "loss {loss}");
    let dup = dups as f64 / (N - dropped) as f64;
    assert!((dup - 0.01).abs() < 0.002, "dup {dup}");
    let mean = delay_sum / delivered as f64;
    assert!((mean - 0.06).abs() < 0.001, "mean delay {mean}");
    assert!(min_d >= 0.05 && max_d < 0.07, "{min_d}..{max_d}");
}

#[test]
fn unreliable_reordering_rate() {
    let cfg = LinkConfig {
        latency: 0.05,
        reorder: 0.1,
        ..LinkConfig::PERFECT
    };
    let mut link = LinkState::new(cfg);
    let mut r = rng();
    let mut held = 0;
    for i in 0..N {
        let now = i as f64 * 0.01;
        let f = link.transmit(now, 10, false, &mut r);
        if f.arrivals[0] - now > 0.05 + 1e-12 {
            held += 1;
        }
    }
    let rate = held as f64 / N as f64;
    assert!((rate - 0.1).abs() < 0.006, "reorder {rate}");
}

#[test]
fn reliable_never_lost_and_stays_ordered() {
    let cfg = LinkConfig {
        latency: 0.04,
        jitter: 0.03,
        loss: 0.2,
        duplicate: 0.5,
        reorder: 0.5,
        bandwidth: None,
    };
    let mut link = LinkState::new(cfg);
    let mut r = rng();
    let mut last = 0.0;
    let mut retransmits = 0u64;
    for i in 0..N {
        let f = link.transmit(i as f64 * 0.001, 50, true, &mut r);
        assert_eq!(f.arrivals.len(), 1, "reliable: exactly one copy");
        assert!(f.arrivals[0] >= last, "in order");
        last = f.arrivals[0];
        retransmits += u64::from(f.retransmits);
    }
    // Expected retransmissions per packet with loss p: p / (1 - p) = 0.25.
    let per = retransmits as f64 / N as f64;
    assert!((per - 0.25).abs() < 0.01, "retransmits/packet {per}");
}

#[test]
fn bandwidth_cap_serializes_packets() {
    let cfg = LinkConfig {
        latency: 0.1,
        bandwidth: Some(10_000.0),
        ..LinkConfig::PERFECT
    };
    let mut link = LinkState::new(cfg);
    let mut r = rng();
    // 50 packets of 1000 bytes at t=0: the last leaves after 5 s.
    let mut last = 0.0;
    for _ in 0..50 {
        last = link.transmit(0.0, 1000, true, &mut r).arrivals[0];
    }
    assert!((last - 5.1).abs() < 1e-9, "{last}");
    // An idle link sends immediately again.
    let a = link.transmit(100.0, 1000, false, &mut r).arrivals[0];
    assert!((a - 100.2).abs() < 1e-9, "{a}");
}

#[test]
fn config_changes_mid_run() {
    let mut link = LinkState::new(LinkConfig::PERFECT);
    let mut r = rng();
    assert_eq!(link.transmit(0.0, 10, false, &mut r).arrivals, vec![0.0]);
    link.config = LinkConfig {
        loss: 1.0,
        ..LinkConfig::PERFECT
    };
    assert!(link.transmit(1.0, 10, false, &mut r).arrivals.is_empty());
    link.config = LinkConfig::MOBILE_3G;
    let a = link.transmit(2.0, 10, false, &mut r).arrivals;
    assert!(a.is_empty() || a[0] >= 2.15);
}

#[test]
fn presets_by_name() {
    assert_eq!(LinkConfig::preset("lan"), Some(LinkConfig::LAN));
    assert_eq!(LinkConfig::preset("home"), Some(LinkConfig::HOME_BROADBAND));
    assert_eq!(LinkConfig::preset("4g"), Some(LinkConfig::MOBILE_4G));
    assert_eq!(LinkConfig::preset("3g"), Some(LinkConfig::MOBILE_3G));
    assert_eq!(LinkConfig::preset("lossy5").map(|c| c.loss), Some(0.05));
    assert_eq!(LinkConfig::preset("nope"), None);
}

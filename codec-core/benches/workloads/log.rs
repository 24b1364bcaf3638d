//! Workload 4b: the shape of rust_serialization_benchmark's `log` data set
//! (web server access logs), regenerated from a seed with the same field
//! types and similar distributions.
//!
//! Skyrocket schema: `code` is `#[net(range = 100..=599)]` (9 bits) and
//! `size` is `#[net(varint)]`; strings have no `max_len` (varint lengths).

use super::{rng, varint_bits, Case};
use rand::Rng;
use serde::{Deserialize, Serialize};
use skyrocket::wire;
use skyrocket::NetCodec;

/// Log lines in the data set (the original has 10 000; 1000 keeps it quick).
pub const LOGS: usize = 1000;
const CODE_LO: i128 = 100;
const CODE_HI: i128 = 599;

/// An IPv4 address.
#[derive(
    NetCodec,
    Serialize,
    Deserialize,
    bitcode::Encode,
    bitcode::Decode,
    Clone,
    Copy,
    Debug,
    PartialEq,
)]
pub struct Address {
    pub x0: u8,
    pub x1: u8,
    pub x2: u8,
    pub x3: u8,
}

/// One access log line.
#[derive(
    NetCodec, Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq,
)]
pub struct Log {
    pub address: Address,
    pub identity: String,
    pub userid: String,
    pub date: String,
    pub request: String,
    #[net(range = 100..=599)]
    pub code: u16,
    #[net(varint)]
    pub size: u64,
}

/// The data set's root.
#[derive(
    NetCodec, Serialize, Deserialize, bitcode::Encode, bitcode::Decode, Clone, Debug, PartialEq,
)]
pub struct Logs {
    pub logs: Vec<Log>,
}

#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct AddressPb {
    #[prost(uint32, tag = "1")]
    pub x0: u32,
    #[prost(uint32, tag = "2")]
    pub x1: u32,
    #[prost(uint32, tag = "3")]
    pub x2: u32,
    #[prost(uint32, tag = "4")]
    pub x3: u32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct LogPb {
    #[prost(message, optional, tag = "1")]
    pub address: Option<AddressPb>,
    #[prost(string, tag = "2")]
    pub identity: String,
    #[prost(string, tag = "3")]
    pub userid: String,
    #[prost(string, tag = "4")]
    pub date: String,
    #[prost(string, tag = "5")]
    pub request: String,
    #[prost(uint32, tag = "6")]
    pub code: u32,
    #[prost(uint64, tag = "7")]
    pub size: u64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct LogsPb {
    #[prost(message, repeated, tag = "1")]
    pub logs: Vec<LogPb>,
}

fn pick<'a>(rng: &mut impl Rng, options: &[&'a str]) -> &'a str {
    options[rng.gen_range(0..options.len())]
}

fn log(rng: &mut impl Rng) -> Log {
    const USERS: [&str; 9] = [
        "-", "alice", "bob", "carmen", "david", "eric", "frank", "george", "harry",
    ];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const METHODS: [&str; 5] = ["GET", "POST", "PUT", "UPDATE", "DELETE"];
    const ROUTES: [&str; 7] = [
        "/favicon.ico",
        "/css/index.css",
        "/css/font-awsome.min.css",
        "/img/logo-full.svg",
        "/img/splash.jpg",
        "/api/login",
        "/api/logout",
    ];
    const PROTOCOLS: [&str; 4] = ["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3"];
    const CODES: [u16; 12] = [100, 200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 500];
    let address = Address {
        x0: rng.gen(),
        x1: rng.gen(),
        x2: rng.gen(),
        x3: rng.gen(),
    };
    let zone: i32 = rng.gen_range(-12..=12);
    let date = format!(
        "{}/{}/{}:{}:{}:{} {}{:02}00",
        rng.gen_range(1..=28),
        pick(rng, &MONTHS),
        rng.gen_range(1970..=2021),
        rng.gen_range(0..24),
        rng.gen_range(0..60),
        rng.gen_range(0..60),
        if zone < 0 { '-' } else { '+' },
        zone.abs(),
    );
    let request = format!(
        "{} {} {}",
        pick(rng, &METHODS),
        pick(rng, &ROUTES),
        pick(rng, &PROTOCOLS)
    );
    Log {
        address,
        identity: "-".into(),
        userid: pick(rng, &USERS).into(),
        date,
        request,
        code: CODES[rng.gen_range(0..CODES.len())],
        size: rng.gen_range(0..100_000_000),
    }
}

/// Skyrocket's bits for `logs`: the sum of the schema's field widths.
pub fn floor_bits(logs: &Logs) -> u64 {
    let string = |s: &String| varint_bits(s.len() as u64) + 8 * s.len() as u64;
    varint_bits(logs.logs.len() as u64)
        + logs
            .logs
            .iter()
            .map(|l| {
                32 + string(&l.identity)
                    + string(&l.userid)
                    + string(&l.date)
                    + string(&l.request)
                    + u64::from(wire::range_bits(CODE_LO, CODE_HI))
                    + varint_bits(l.size)
            })
            .sum::<u64>()
}

/// The data set.
pub fn case() -> Case<Logs, Logs, LogsPb> {
    let mut rng = rng(5);
    let plain = Logs {
        logs: (0..LOGS).map(|_| log(&mut rng)).collect(),
    };
    let proto = LogsPb {
        logs: plain
            .logs
            .iter()
            .map(|l| LogPb {
                address: Some(AddressPb {
                    x0: l.address.x0.into(),
                    x1: l.address.x1.into(),
                    x2: l.address.x2.into(),
                    x3: l.address.x3.into(),
                }),
                identity: l.identity.clone(),
                userid: l.userid.clone(),
                date: l.date.clone(),
                request: l.request.clone(),
                code: l.code.into(),
                size: l.size,
            })
            .collect(),
    };
    Case {
        name: "log",
        floor_bits: floor_bits(&plain),
        sky: plain.clone(),
        plain,
        proto,
    }
}

//! Hostile input: random bytes and mutated valid encodings fed to decoders of
//! nested types. Decoding must never panic, must stay linear, and must not
//! allocate beyond a small multiple of the input: a counting global allocator
//! records the largest single request and the peak live bytes per thread.
//! Any input that does decode must be canonical (re-encode to itself).

mod common;

use common::*;
use skyrocket::roblox::{CFrame, Color3, UDim2, Vector3};
use skyrocket::NetCodec;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Debug;

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn note_alloc(size: usize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + size;
        live.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
    let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
}

fn note_free(size: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(size)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_alloc(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_free(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_free(layout.size());
        note_alloc(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns (largest single allocation, peak live growth) in it.
fn measure(f: impl FnOnce()) -> (usize, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    LARGEST.with(|l| l.set(0));
    f();
    (
        LARGEST.with(Cell::get),
        PEAK.with(Cell::get).saturating_sub(base),
    )
}

struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Decodes `input` as `T`: no panic (a panic fails the test), bounded
/// allocation, and canonical on success. Returns whether it decoded.
fn probe<T: NetCodec + Debug>(input: &[u8]) -> bool {
    probe_with::<T>(input, true)
}

/// [`probe`]; `canonical = false` for types holding smallest-three rotations,
/// where every 47-bit pattern decodes but not every one is what the encoder
/// would write (the "largest" index need not be the largest component).
/// Those must still re-encode and decode again.
fn probe_with<T: NetCodec + Debug>(input: &[u8], canonical: bool) -> bool {
    let mut result = None;
    let (largest, peak) = measure(|| result = Some(T::from_bytes(input)));
    // Decoded values may legitimately be bigger than their encoding (a bit
    // per bool becomes a byte, a 1-byte empty Vec a 24-byte header...), so
    // the bound is generous in the factor but fixed in the shape: linear in
    // the input, with a constant for small inputs.
    let bound = 4096 + input.len() * 512;
    assert!(
        largest <= bound && peak <= bound * 4,
        "{}: {} input bytes -> largest allocation {largest}, peak {peak}",
        std::any::type_name::<T>(),
        input.len()
    );
    match result.unwrap() {
        Ok(value) if !canonical => {
            let again = value.to_bytes().unwrap();
            assert_eq!(again.len(), input.len());
            T::from_bytes(&again).unwrap();
            true
        }
        Ok(value) => {
            assert_eq!(
                value.to_bytes().unwrap(),
                input,
                "non-canonical input accepted as {value:?}"
            );
            true
        }
        Err(e) => {
            // The reported cursors are inside the input.
            assert!(e.byte_offset() <= input.len());
            assert!(e.bit_offset() <= input.len() as u64 * 8);
            false
        }
    }
}

type Nested = Vec<(Option<String>, BTreeMap<u16, Vec<i64>>, Shape)>;
type Mixed = (
    Vec<Player>,
    HashSet<i32>,
    Option<Box<Node>>,
    (Ranged<-3, 300>, VarI<32>, Quant<2>),
    BoundedVec<Vec<bool>, 5>,
    Vec<[Half; 2]>,
);
type Roblox = (
    Vec<CFrame>,
    Option<Color3>,
    UDim2,
    Vec<Vector3>,
    BoundedStr<20>,
);

fn probe_all(input: &[u8]) -> usize {
    [
        probe::<Vec<Vec<u64>>>(input),
        probe::<Nested>(input),
        probe::<Mixed>(input),
        probe_with::<Roblox>(input, false),
        probe::<(Option<Color3>, UDim2, Vec<Vector3>)>(input),
        probe::<Vec<String>>(input),
        probe::<Node>(input),
        probe::<Vec<bool>>(input),
        probe::<Vec<u8>>(input),
    ]
    .iter()
    .filter(|ok| **ok)
    .count()
}

#[test]
fn random_bytes() {
    let mut rng = SplitMix(0xBAD_B17E5);
    let mut decoded = 0;
    for i in 0..30_000 {
        let len = match i % 4 {
            0 => rng.below(4) as usize,
            1 => rng.below(16) as usize,
            2 => rng.below(64) as usize,
            _ => rng.below(600) as usize,
        };
        let mut input = rng.bytes(len);
        if i % 3 == 0 {
            // Sparse inputs decode further: small counts, zero padding.
            for b in input.iter_mut() {
                if rng.below(4) != 0 {
                    *b = 0;
                }
            }
        }
        decoded += probe_all(&input);
    }
    // Sanity: some random inputs are valid messages (e.g. Vec<u8>, Node).
    assert!(decoded > 100, "only {decoded} decoded");
}

fn valid_messages() -> Vec<Vec<u8>> {
    let nested: Nested = vec![
        (
            Some("héllo".into()),
            [(1, vec![-1, i64::MAX]), (600, vec![])].into(),
            Shape::Circle { radius: 2.5 },
        ),
        (None, BTreeMap::new(), Shape::Square(9)),
        (Some(String::new()), [(7, vec![0; 5])].into(), Shape::Empty),
    ];
    let mixed: Mixed = (
        vec![Player {
            id: 7,
            alive: true,
            hp: 999,
            name: "Zed".into(),
        }],
        [1, -5, 1 << 20].into(),
        Some(Box::new(Node::chain(3))),
        (Ranged(299), VarI(-70_000), Quant(1.25)),
        BoundedVec(vec![vec![true, false], vec![], vec![true; 9]]),
        vec![
            [Half(1.5), Half(-0.0)],
            [Half(65504.0), Half(f64::INFINITY)],
        ],
    );
    let roblox: Roblox = (
        vec![CFrame::IDENTITY, CFrame::from_euler_xyz(0.3, -1.2, 2.0)],
        Some(Color3::from_rgb(1, 2, 3)),
        UDim2::default(),
        vec![Vector3::new(1.0, f32::NAN, -0.0)],
        BoundedStr("twenty bytes max".into()),
    );
    vec![
        vec![vec![1u64, 2, 3], vec![], vec![u64::MAX]]
            .to_bytes()
            .unwrap(),
        nested.to_bytes().unwrap(),
        mixed.to_bytes().unwrap(),
        roblox.to_bytes().unwrap(),
        vec!["a".to_string(), "bc".into(), "".into()]
            .to_bytes()
            .unwrap(),
        Node::chain(4).to_bytes().unwrap(),
    ]
}

#[test]
fn mutated_valid_encodings() {
    let mut rng = SplitMix(0x0DD5);
    let messages = valid_messages();
    for message in &messages {
        assert!(probe_all(message) >= 1);
    }
    for i in 0..20_000 {
        let mut m = messages[i % messages.len()].clone();
        for _ in 0..1 + rng.below(3) {
            let len = m.len().max(1) as u64;
            match rng.below(6) {
                // Flip a bit.
                0 | 1 => {
                    if !m.is_empty() {
                        let at = rng.below(len) as usize;
                        m[at] ^= 1 << rng.below(8);
                    }
                }
                // Overwrite a byte.
                2 => {
                    if !m.is_empty() {
                        let at = rng.below(len) as usize;
                        m[at] = rng.next() as u8;
                    }
                }
                // Cut the front or the back.
                3 => {
                    let cut = rng.below(len) as usize;
                    if rng.below(2) == 0 {
                        m.truncate(cut);
                    } else {
                        m.drain(..cut.min(m.len()));
                    }
                }
                // Insert bytes.
                4 => {
                    let at = rng.below(len + 1) as usize;
                    let at = at.min(m.len());
                    let count = 1 + rng.below(4) as usize;
                    let extra = rng.bytes(count);
                    m.splice(at..at, extra);
                }
                // Claim a huge count: 0xff bytes at the end (varint
                // continuation groups) followed by a small terminator.
                _ => {
                    let k = 1 + rng.below(5) as usize;
                    m.extend_from_slice(&unhex("0f ff ff ff ff")[5 - k..]);
                }
            }
        }
        probe_all(&m);
    }
}

/// Tiny inputs claiming enormous counts: the counts are refused (or the
/// allocation stays small) without gigabytes or long loops.
#[test]
fn huge_counts_from_few_bytes() {
    // u32::MAX elements (the largest count varint) in 8 bytes.
    let claims = [
        "00 00 00 0f ff ff ff ff",
        "0f ff ff ff ff 00 00 00",
        // Outer count 1, inner count u32::MAX.
        "0f ff ff ff ff 01",
        // Outer count 3 (fits), inners claim more than there is.
        "00 00 7f 7f 7f 03",
    ];
    for claim in claims {
        let input = unhex(claim);
        let start = std::time::Instant::now();
        let (largest, peak) = measure(|| {
            assert!(Vec::<Vec<u64>>::from_bytes(&input).is_err());
            assert!(Vec::<Vec<bool>>::from_bytes(&input).is_err());
            assert!(Vec::<String>::from_bytes(&input).is_err());
            assert!(Vec::<Vec<()>>::from_bytes(&input).is_err());
            assert!(BTreeMap::<u8, Vec<u8>>::from_bytes(&input).is_err());
        });
        assert!(largest < 4096 && peak < 16384, "{claim}: {largest} {peak}");
        assert!(start.elapsed().as_secs() < 2);
    }
    // 1 MiB claiming 1,000,000 inner vectors (allowed: under one per bit)
    // whose first one is already invalid. Preallocating the claimed count
    // would reserve 24 MB; wire::safe_capacity caps it at 4096 elements.
    // 1_000_000 = 0xF4240 -> groups c0 84 3d -> message tail 3d 84 c0.
    let mut big = vec![0xffu8; 1 << 20];
    let n = big.len();
    big[n - 3..].copy_from_slice(&unhex("3d 84 c0"));
    let (largest, _) = measure(|| {
        assert!(Vec::<Vec<u64>>::from_bytes(&big).is_err());
    });
    assert!(largest <= 4096 * 24, "largest allocation {largest}");
}

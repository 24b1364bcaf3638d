//! zstd framing: threshold, round trips, and hostile frames.

use skyrocket_formats::compress::{Compression, RAW, ZSTD};

fn compressible(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 7) as u8).collect()
}

#[test]
fn small_payloads_stay_raw_and_large_ones_are_compressed() {
    let c = Compression::default();
    let small = compressible(c.threshold - 1);
    let frame = c.pack(&small).expect("pack");
    assert_eq!(frame[0], RAW);
    assert_eq!(&frame[1..], &small[..]);

    let large = compressible(4096);
    let frame = c.pack(&large).expect("pack");
    assert_eq!(frame[0], ZSTD);
    assert!(frame.len() < large.len() / 4, "{} bytes", frame.len());
    assert_eq!(c.unpack(&frame).expect("unpack"), large);
}

#[test]
fn incompressible_payloads_are_sent_raw_even_above_the_threshold() {
    let c = Compression::default();
    let mut state = 0x1234_5678_u32;
    let noise: Vec<u8> = (0..1000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let frame = c.pack(&noise).expect("pack");
    assert_eq!(frame[0], RAW);
    assert_eq!(c.unpack(&frame).expect("unpack"), noise);
}

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size() {
    let bomb = zstd::bulk::compress(&vec![0u8; 8 << 20], 3).expect("compress");
    assert!(bomb.len() < 2048);
    let mut frame = vec![ZSTD];
    frame.extend_from_slice(&bomb);
    let c = Compression {
        max_decompressed: 1 << 20,
        ..Compression::default()
    };
    let err = c.unpack(&frame).expect_err("over the cap");
    let text = err.to_string();
    assert!(text.contains("declared decompressed size 8388608 exceeds the cap of 1048576"), "{text}");
    assert_eq!(err.offset, Some(1));
}

#[test]
fn frames_without_a_declared_size_and_garbage_are_rejected() {
    let c = Compression::default();
    let mut streamed = Vec::new();
    {
        let mut enc = zstd::stream::Encoder::new(&mut streamed, 3).expect("encoder");
        std::io::Write::write_all(&mut enc, &compressible(1000)).expect("write");
        enc.finish().expect("finish");
    }
    let mut frame = vec![ZSTD];
    frame.extend_from_slice(&streamed);
    let text = c.unpack(&frame).expect_err("no size").to_string();
    assert!(text.contains("does not declare its content size"), "{text}");

    let text = c.unpack(&[ZSTD, 1, 2, 3]).expect_err("garbage").to_string();
    assert!(text.contains("not a zstd frame"), "{text}");

    let text = c.unpack(&[]).expect_err("empty").to_string();
    assert!(text.contains("missing the header byte"), "{text}");

    let text = c.unpack(&[7, 0]).expect_err("header").to_string();
    assert!(text.contains("unknown frame header 0x07"), "{text}");

    let good = c.pack(&compressible(4096)).expect("pack");
    let truncated = &good[..good.len() - 3];
    let text = c.unpack(truncated).expect_err("truncated").to_string();
    assert!(text.contains("corrupt zstd frame"), "{text}");
}

#[test]
fn raw_frames_obey_the_cap_too() {
    let c = Compression {
        max_decompressed: 10,
        ..Compression::default()
    };
    assert!(c.unpack(&[RAW; 12]).is_err());
    assert_eq!(c.unpack(&[RAW, 1, 2]).expect("small"), vec![1, 2]);
}

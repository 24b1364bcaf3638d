//! ChaCha20-Poly1305 (RFC 8439) in Luau (`luau-codecs/runtime/Crypto/`)
//! against the RFC's test vectors and the RustCrypto crates, in both the
//! interpreter and native code generation, plus the encryption envelope
//! (`Envelope.luau`) against a Rust mirror of its layout.

use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use mlua::{Buffer, Function, Lua, ObjectLike, Table, Value};
use poly1305::Poly1305;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skyrocket_sim::{Peer, World, WorldConfig};

const CHACHA_SRC: &str = include_str!("../../luau-codecs/runtime/Crypto/ChaCha20Poly1305.luau");
const ENVELOPE_SRC: &str = include_str!("../../luau-codecs/runtime/Crypto/Envelope.luau");

fn unhex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    hex::decode(clean).expect("hex")
}

/// The Luau module loaded in a sandboxed VM, called from Rust.
struct Luau {
    lua: Lua,
    m: Table,
    native: bool,
}

impl Luau {
    fn new(native: bool) -> Luau {
        let lua = skyrocket_sim::new_sandboxed_vm_with(native).expect("vm");
        let m: Table = lua
            .load(CHACHA_SRC)
            .set_name("ChaCha20Poly1305")
            .eval()
            .expect("load ChaCha20Poly1305.luau");
        Luau { lua, m, native }
    }

    fn both() -> [Luau; 2] {
        [Luau::new(false), Luau::new(true)]
    }

    fn buf(&self, b: &[u8]) -> Buffer {
        self.lua.create_buffer(b).expect("buffer")
    }

    fn opt_buf(&self, b: Option<&[u8]>) -> Value {
        match b {
            Some(b) => Value::Buffer(self.buf(b)),
            None => Value::Nil,
        }
    }

    fn f(&self, name: &str) -> Function {
        self.m.get(name).expect(name)
    }

    fn encrypt(&self, key: &[u8], nonce: &[u8], pt: &[u8], aad: Option<&[u8]>) -> Vec<u8> {
        let out: Buffer = self
            .f("encrypt")
            .call((
                self.buf(key),
                self.buf(nonce),
                self.buf(pt),
                self.opt_buf(aad),
            ))
            .expect("encrypt");
        out.to_vec()
    }

    /// `decrypt` must never raise for bad sealed data: a Lua error here
    /// fails the test.
    fn decrypt_value(
        &self,
        key: &[u8],
        nonce: &[u8],
        sealed: Value,
        aad: Option<&[u8]>,
    ) -> Result<Vec<u8>, String> {
        let (pt, err): (Option<Buffer>, Option<String>) = self
            .f("decrypt")
            .call((self.buf(key), self.buf(nonce), sealed, self.opt_buf(aad)))
            .expect("decrypt raised");
        match (pt, err) {
            (Some(pt), None) => Ok(pt.to_vec()),
            (None, Some(e)) => Err(e),
            (pt, err) => panic!("decrypt returned ({pt:?}, {err:?})"),
        }
    }

    fn decrypt(
        &self,
        key: &[u8],
        nonce: &[u8],
        sealed: &[u8],
        aad: Option<&[u8]>,
    ) -> Result<Vec<u8>, String> {
        self.decrypt_value(key, nonce, Value::Buffer(self.buf(sealed)), aad)
    }

    fn block(&self, key: &[u8], counter: u32, nonce: &[u8]) -> Vec<u8> {
        let out: Buffer = self
            .f("chacha20Block")
            .call((self.buf(key), counter, self.buf(nonce)))
            .expect("chacha20Block");
        out.to_vec()
    }

    fn chacha20(&self, key: &[u8], counter: u32, nonce: &[u8], data: &[u8]) -> Vec<u8> {
        let out: Buffer = self
            .f("chacha20")
            .call((self.buf(key), counter, self.buf(nonce), self.buf(data)))
            .expect("chacha20");
        out.to_vec()
    }

    fn poly1305(&self, key: &[u8], msg: &[u8]) -> Vec<u8> {
        let out: Buffer = self
            .f("poly1305")
            .call((self.buf(key), self.buf(msg)))
            .expect("poly1305");
        out.to_vec()
    }

    fn mode(&self) -> &'static str {
        if self.native {
            "native"
        } else {
            "interpreter"
        }
    }
}

fn rust_encrypt(key: &[u8], nonce: &[u8], pt: &[u8], aad: &[u8]) -> Vec<u8> {
    ChaCha20Poly1305::new(Key::from_slice(key))
        .encrypt(Nonce::from_slice(nonce), Payload { msg: pt, aad })
        .expect("rust encrypt")
}

fn rust_decrypt(key: &[u8], nonce: &[u8], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    ChaCha20Poly1305::new(Key::from_slice(key))
        .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad })
        .ok()
}

fn rust_chacha20(key: &[u8], counter: u32, nonce: &[u8], data: &[u8]) -> Vec<u8> {
    let mut c = chacha20::ChaCha20::new(key.into(), nonce.into());
    c.seek(u64::from(counter) * 64);
    let mut out = data.to_vec();
    c.apply_keystream(&mut out);
    out
}

fn rust_poly1305(key: &[u8], msg: &[u8]) -> Vec<u8> {
    Poly1305::new(poly1305::Key::from_slice(key))
        .compute_unpadded(msg)
        .to_vec()
}

const SUNSCREEN: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";

fn key_0_to_31() -> Vec<u8> {
    (0u8..32).collect()
}

// RFC 8439 section 2.3.2.
#[test]
fn rfc8439_2_3_2_block_function() {
    let key = key_0_to_31();
    let nonce = unhex("000000090000004a00000000");
    let expected = unhex(
        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e
         d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
    );
    assert_eq!(rust_chacha20(&key, 1, &nonce, &[0; 64]), expected, "crate");
    for l in Luau::both() {
        assert_eq!(l.block(&key, 1, &nonce), expected, "{}", l.mode());
    }
}

// RFC 8439 section 2.4.2.
#[test]
fn rfc8439_2_4_2_encryption() {
    let key = key_0_to_31();
    let nonce = unhex("000000000000004a00000000");
    let expected = unhex(
        "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b
         f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8
         07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736
         5af90bbf74a35be6b40b8eedf2785e42874d",
    );
    assert_eq!(rust_chacha20(&key, 1, &nonce, SUNSCREEN), expected, "crate");
    for l in Luau::both() {
        assert_eq!(
            l.chacha20(&key, 1, &nonce, SUNSCREEN),
            expected,
            "{}",
            l.mode()
        );
        assert_eq!(
            l.chacha20(&key, 1, &nonce, &expected),
            SUNSCREEN,
            "{}",
            l.mode()
        );
    }
}

// RFC 8439 section 2.5.2, and the Poly1305 vectors of appendix A.3 that
// exercise the final reduction (h >= p, carries into bit 130, s overflow).
#[test]
fn rfc8439_poly1305_vectors() {
    let mut vectors: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = vec![(
        unhex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b"),
        b"Cryptographic Forum Research Group".to_vec(),
        unhex("a8061dc1305136c6c22b8baf0c0127a9"),
    )];
    let r2 = {
        let mut k = vec![0u8; 32];
        k[0] = 2;
        k
    };
    let r1 = {
        let mut k = vec![0u8; 32];
        k[0] = 1;
        k
    };
    // A.3 #5: r = 2, s = 0, message 2^128 - 1.
    vectors.push((
        r2.clone(),
        vec![0xff; 16],
        unhex("03000000000000000000000000000000"),
    ));
    // A.3 #6: r = 2, s = 2^128 - 1, message 2.
    let mut k6 = r2.clone();
    k6[16..].fill(0xff);
    let mut m6 = vec![0u8; 16];
    m6[0] = 2;
    vectors.push((k6, m6, unhex("03000000000000000000000000000000")));
    // A.3 #7: r = 1: h wraps past 2^130.
    let mut m7 = vec![0xff; 16];
    m7.extend(unhex("f0ffffffffffffffffffffffffffffff"));
    m7.extend(unhex("11000000000000000000000000000000"));
    vectors.push((r1.clone(), m7, unhex("05000000000000000000000000000000")));
    // A.3 #8: r = 1: h == p exactly at the end.
    let mut m8 = vec![0xff; 16];
    m8.extend(unhex("fbfefefefefefefefefefefefefefefe"));
    m8.extend(vec![0x01; 16]);
    vectors.push((r1.clone(), m8, unhex("00000000000000000000000000000000")));
    // A.3 #9: r = 2, message 2^128 - 3.
    vectors.push((
        r2,
        unhex("fdffffffffffffffffffffffffffffff"),
        unhex("faffffffffffffffffffffffffffffff"),
    ));
    // A.3 #10 and #11: r = 2^64 + 1.
    let mut k10 = vec![0u8; 32];
    k10[0] = 1;
    k10[8] = 4;
    let m10 = unhex(
        "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000
         0000000000000000000000000000000001000000000000000000000000000000",
    );
    vectors.push((
        k10.clone(),
        m10.clone(),
        unhex("14000000000000005500000000000000"),
    ));
    vectors.push((
        k10,
        m10[..48].to_vec(),
        unhex("13000000000000000000000000000000"),
    ));

    let luau = Luau::both();
    for (i, (key, msg, tag)) in vectors.iter().enumerate() {
        assert_eq!(&rust_poly1305(key, msg), tag, "vector {i}: crate");
        for l in &luau {
            assert_eq!(&l.poly1305(key, msg), tag, "vector {i}: {}", l.mode());
        }
    }
}

// RFC 8439 section 2.8.2.
#[test]
fn rfc8439_2_8_2_aead() {
    let key = unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    let nonce = unhex("070000004041424344454647");
    let aad = unhex("50515253c0c1c2c3c4c5c6c7");
    let mut expected = unhex(
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
         3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
         92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
         3ff4def08e4b7a9de576d26586cec64b6116",
    );
    expected.extend(unhex("1ae10b594f09e26a7e902ecbd0600691"));
    assert_eq!(
        rust_encrypt(&key, &nonce, SUNSCREEN, &aad),
        expected,
        "crate"
    );
    for l in Luau::both() {
        assert_eq!(
            l.encrypt(&key, &nonce, SUNSCREEN, Some(&aad)),
            expected,
            "{}",
            l.mode()
        );
        assert_eq!(
            l.decrypt(&key, &nonce, &expected, Some(&aad)).as_deref(),
            Ok(SUNSCREEN),
            "{}",
            l.mode()
        );
    }
}

// RFC 8439 appendix A.5: decryption.
#[test]
fn rfc8439_a5_decryption() {
    let key = unhex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
    let nonce = unhex("000000000102030405060708");
    let aad = unhex("f33388860000000000004e91");
    let mut sealed = unhex(
        "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2
         4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf
         332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855
         9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4
         b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e
         af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a
         0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10
         49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29
         a6ad5cb4022b02709b",
    );
    sealed.extend(unhex("eead9d67890cbb22392336fea1851f38"));
    let plain = rust_decrypt(&key, &nonce, &sealed, &aad).expect("crate accepts A.5");
    assert_eq!(plain.len(), 265);
    assert!(
        plain.starts_with(b"Internet-Drafts are draft documents valid for a maximum of six months")
    );
    // Sic: the RFC's plaintext has these slashes before the quotes.
    assert!(plain.ends_with("other than as /\u{201c}work in progress./\u{201d}".as_bytes()));
    for l in Luau::both() {
        assert_eq!(
            l.decrypt(&key, &nonce, &sealed, Some(&aad)),
            Ok(plain.clone()),
            "{}",
            l.mode()
        );
        assert_eq!(
            l.encrypt(&key, &nonce, &plain, Some(&aad)),
            sealed,
            "{}",
            l.mode()
        );
    }
}

fn random_bytes(rng: &mut ChaCha8Rng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rng.fill_bytes(&mut v);
    v
}

#[test]
fn random_messages_match_the_crate() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_c4a4);
    for l in Luau::both() {
        let mut lengths: Vec<usize> = (0..=300).collect();
        lengths.extend([65536, 65535, 65537, 64 * 1024 + 15]);
        for len in lengths {
            let key = random_bytes(&mut rng, 32);
            let nonce = random_bytes(&mut rng, 12);
            let pt = random_bytes(&mut rng, len);
            let aad_len = match rng.gen_range(0..4) {
                0 => 0,
                1 => rng.gen_range(1..16),
                2 => 16 * rng.gen_range(1..4),
                _ => rng.gen_range(1..200),
            };
            let aad = random_bytes(&mut rng, aad_len);
            let aad_opt = if aad_len == 0 && rng.gen_bool(0.5) {
                None
            } else {
                Some(aad.as_slice())
            };
            let rust = rust_encrypt(&key, &nonce, &pt, &aad);
            let luau = l.encrypt(&key, &nonce, &pt, aad_opt);
            assert_eq!(luau, rust, "{} len {len} aad {aad_len}", l.mode());
            assert_eq!(
                l.decrypt(&key, &nonce, &rust, aad_opt),
                Ok(pt.clone()),
                "{} len {len}",
                l.mode()
            );
        }
    }
}

#[test]
fn random_chacha20_and_poly1305_match_the_crates() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for l in Luau::both() {
        for i in 0..300 {
            let key = random_bytes(&mut rng, 32);
            let nonce = random_bytes(&mut rng, 12);
            let counter: u32 = if i % 3 == 0 {
                rng.gen()
            } else {
                rng.gen_range(0..1000)
            };
            let blocks_left = (u64::from(u32::MAX) - u64::from(counter) + 1) * 64;
            let len = (rng.gen_range(0..300) as u64).min(blocks_left) as usize;
            let data = random_bytes(&mut rng, len);
            assert_eq!(
                l.chacha20(&key, counter, &nonce, &data),
                rust_chacha20(&key, counter, &nonce, &data),
                "{} counter {counter} len {len}",
                l.mode()
            );
            assert_eq!(
                l.block(&key, counter, &nonce),
                rust_chacha20(&key, counter, &nonce, &[0; 64]),
                "{} block {counter}",
                l.mode()
            );
        }
        // Poly1305: random data plus extreme limbs (all-ones messages and
        // keys with every clamped bit of r set) to stress carries.
        for i in 0..600 {
            let mut key = random_bytes(&mut rng, 32);
            let len = rng.gen_range(0..200);
            let mut msg = random_bytes(&mut rng, len);
            match i % 4 {
                1 => msg.fill(0xff),
                2 => key[..16].fill(0xff),
                3 => {
                    key.fill(0xff);
                    msg.fill(0xff);
                }
                _ => {}
            }
            assert_eq!(
                l.poly1305(&key, &msg),
                rust_poly1305(&key, &msg),
                "{} poly {i} len {len}",
                l.mode()
            );
        }
    }
}

#[test]
fn tampering_and_wrong_parameters_are_rejected_without_raising() {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let key = random_bytes(&mut rng, 32);
    let nonce = random_bytes(&mut rng, 12);
    let aad = b"header".to_vec();
    for l in Luau::both() {
        for len in [0usize, 1, 15, 16, 17, 64, 1000, 70_000] {
            let pt = random_bytes(&mut rng, len);
            let sealed = l.encrypt(&key, &nonce, &pt, Some(&aad));
            assert_eq!(sealed.len(), len + 16);
            assert_eq!(l.decrypt(&key, &nonce, &sealed, Some(&aad)), Ok(pt.clone()));
            let auth = Err("authentication failed".to_string());
            // Every bit of the tag, and ciphertext bytes at the ends and middle.
            let step = if len > 1000 { 17 } else { 1 };
            for bit in (0..128).step_by(step) {
                let mut t = sealed.clone();
                t[len + bit / 8] ^= 1 << (bit % 8);
                assert_eq!(
                    l.decrypt(&key, &nonce, &t, Some(&aad)),
                    auth,
                    "tag bit {bit}"
                );
            }
            for pos in [0, len / 2, len.saturating_sub(1)] {
                if len > 0 {
                    let mut t = sealed.clone();
                    t[pos] ^= 0x80;
                    assert_eq!(
                        l.decrypt(&key, &nonce, &t, Some(&aad)),
                        auth,
                        "{} ct byte {pos}",
                        l.mode()
                    );
                    assert!(rust_decrypt(&key, &nonce, &t, &aad).is_none());
                }
            }
            let mut wrong_key = key.clone();
            wrong_key[31] ^= 1;
            assert_eq!(l.decrypt(&wrong_key, &nonce, &sealed, Some(&aad)), auth);
            let mut wrong_nonce = nonce.clone();
            wrong_nonce[0] ^= 1;
            assert_eq!(l.decrypt(&key, &wrong_nonce, &sealed, Some(&aad)), auth);
            assert_eq!(l.decrypt(&key, &nonce, &sealed, Some(b"headeR")), auth);
            assert_eq!(l.decrypt(&key, &nonce, &sealed, None), auth);
            assert_eq!(l.decrypt(&key, &nonce, &sealed, Some(b"")), auth);
            // Truncated or extended by one byte.
            let e = l
                .decrypt(&key, &nonce, &sealed[..sealed.len() - 1], Some(&aad))
                .unwrap_err();
            assert!(
                e == "authentication failed" || (len == 0 && e.contains("too short")),
                "{e}"
            );
            let mut longer = sealed.clone();
            longer.push(0);
            assert_eq!(l.decrypt(&key, &nonce, &longer, Some(&aad)), auth);
        }
        // Empty aad and nil aad are the same thing (as in the crate).
        let sealed = l.encrypt(&key, &nonce, b"x", None);
        assert_eq!(sealed, rust_encrypt(&key, &nonce, b"x", b""));
        assert_eq!(
            l.decrypt(&key, &nonce, &sealed, Some(b"")),
            Ok(b"x".to_vec())
        );
        // Shorter than a tag: a clear error, not a raise.
        for n in 0..16 {
            let e = l.decrypt(&key, &nonce, &vec![0; n], None).unwrap_err();
            assert!(e.contains("too short"), "{e}");
        }
        // An all-zero tag over empty plaintext is not accepted.
        assert_eq!(
            l.decrypt(&key, &nonce, &[0; 16], None),
            Err("authentication failed".into())
        );
        // Not a buffer at all (untrusted input from a remote).
        let e = l
            .decrypt_value(
                &key,
                &nonce,
                Value::String(l.lua.create_string("hi").unwrap()),
                None,
            )
            .unwrap_err();
        assert!(e.contains("must be a buffer"), "{e}");
        let e = l.decrypt_value(&key, &nonce, Value::Nil, None).unwrap_err();
        assert!(e.contains("must be a buffer"), "{e}");
    }
}

#[test]
fn bad_keys_nonces_and_ranges_raise_clear_errors() {
    let l = Luau::new(true);
    let check = |code: &str, needle: &str| {
        let err = l
            .lua
            .load(code)
            .call::<()>(l.m.clone())
            .expect_err(code)
            .to_string();
        assert!(err.contains(needle), "{code}: {err}");
    };
    check(
        "local C = ...; C.encrypt(buffer.create(16), buffer.create(12), buffer.create(1))",
        "key must be 32 bytes, got 16",
    );
    check(
        "local C = ...; C.encrypt(buffer.create(32), buffer.create(8), buffer.create(1))",
        "nonce must be 12 bytes, got 8",
    );
    check(
        "local C = ...; C.encrypt(buffer.create(32), buffer.create(12), 'text')",
        "plaintext must be a buffer, got string",
    );
    check(
        "local C = ...; C.decrypt(buffer.create(32), buffer.create(13), buffer.create(40))",
        "nonce must be 12 bytes, got 13",
    );
    check(
        "local C = ...; C.encrypt(buffer.create(32), buffer.create(12), buffer.create(1), 5)",
        "aad must be a buffer, got number",
    );
    check(
        "local C = ...; C.encryptInto(buffer.create(32), buffer.create(12), buffer.create(10), nil, buffer.create(30), 5)",
        "26 bytes do not fit in out at offset 5",
    );
    // decryptAt: ranges outside the data are untrusted input: nil + error.
    let (pt, err): (Option<Buffer>, Option<String>) = l
        .lua
        .load("local C = ...; return C.decryptAt(buffer.create(32), buffer.create(12), buffer.create(40), 30, 20)")
        .call(l.m.clone())
        .unwrap();
    assert!(pt.is_none());
    assert_eq!(err.as_deref(), Some("sealed data range out of bounds"));
}

#[test]
fn encrypt_into_and_decrypt_at_work_on_ranges() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let key = random_bytes(&mut rng, 32);
    let nonce = random_bytes(&mut rng, 12);
    let pt = random_bytes(&mut rng, 100);
    for l in Luau::both() {
        let out = l.lua.create_buffer(vec![0xAAu8; 7 + 116 + 5]).unwrap();
        l.f("encryptInto")
            .call::<()>((
                l.buf(&key),
                l.buf(&nonce),
                l.buf(&pt),
                Value::Nil,
                out.clone(),
                7,
            ))
            .unwrap();
        let bytes = out.to_vec();
        assert_eq!(&bytes[..7], &[0xAA; 7]);
        assert_eq!(&bytes[123..], &[0xAA; 5]);
        assert_eq!(bytes[7..123], rust_encrypt(&key, &nonce, &pt, b"")[..]);
        let (got, err): (Option<Buffer>, Option<String>) = l
            .f("decryptAt")
            .call((l.buf(&key), l.buf(&nonce), out, 7, 116, Value::Nil))
            .unwrap();
        assert_eq!(err, None);
        assert_eq!(got.unwrap().to_vec(), pt);
    }
}

// ---------------------------------------------------------------------------
// Envelope

/// The Rust envelope (`skyrocket_formats::envelope`), the reference the Luau
/// module is checked against, with errors as short strings for comparisons.
mod envelope {
    pub use skyrocket_formats::envelope::{Direction, Kind, OpenError, OVERHEAD};

    pub struct Envelope(skyrocket_formats::envelope::Envelope);

    impl Envelope {
        pub fn new(key: &[u8], key_id: u8, direction: Direction) -> Envelope {
            let key: &[u8; 32] = key.try_into().expect("32-byte key");
            Envelope(skyrocket_formats::envelope::Envelope::new(
                key, key_id, direction,
            ))
        }

        pub fn seal(&mut self, kind: Kind, pt: &[u8]) -> Vec<u8> {
            self.0.seal(kind, pt).expect("seal")
        }

        pub fn seal_with_counter(&self, kind: Kind, pt: &[u8], c: u64) -> Vec<u8> {
            self.0.seal_with_counter(kind, pt, c).expect("seal")
        }

        pub fn open(&mut self, kind: Kind, data: &[u8]) -> Result<Vec<u8>, &'static str> {
            self.0.open(kind, data).map_err(|e| match e {
                OpenError::TooShort(_) => "too short",
                OpenError::UnknownKeyId(_) => "unknown key id",
                OpenError::CounterOutOfRange => "counter out of range",
                OpenError::TooOld { .. } => "too old",
                OpenError::Replayed(_) => "replayed",
                OpenError::AuthenticationFailed => "authentication failed",
            })
        }
    }
}

use envelope::{Direction, Kind};

/// A Luau Envelope object living in one of a World's VMs.
struct LuauEnvelope<'a> {
    lua: &'a Lua,
    obj: Table,
}

impl<'a> LuauEnvelope<'a> {
    fn new(lua: &'a Lua, class: &Table, key: &[u8], key_id: u8, d: Direction) -> LuauEnvelope<'a> {
        let obj: Table = class
            .get::<Function>("new")
            .unwrap()
            .call((lua.create_buffer(key).unwrap(), key_id, d.name()))
            .expect("Envelope.new");
        LuauEnvelope { lua, obj }
    }

    fn kind(&self, k: Kind) -> Value {
        match k {
            Kind::Num(n) => Value::Number(f64::from(n)),
            Kind::Str(s) => Value::String(self.lua.create_string(s).unwrap()),
        }
    }

    fn seal(&self, k: Kind, pt: &[u8]) -> Vec<u8> {
        let b: Buffer = self
            .obj
            .call_method("seal", (self.kind(k), self.lua.create_buffer(pt).unwrap()))
            .expect("seal");
        b.to_vec()
    }

    fn open(&self, k: Kind, data: &[u8]) -> Result<Vec<u8>, String> {
        let (pt, err): (Option<Buffer>, Option<String>) = self
            .obj
            .call_method(
                "open",
                (self.kind(k), self.lua.create_buffer(data).unwrap()),
            )
            .expect("open raised");
        match (pt, err) {
            (Some(pt), None) => Ok(pt.to_vec()),
            (None, Some(e)) => Err(e),
            other => panic!("open returned {other:?}"),
        }
    }
}

/// A world whose ReplicatedStorage holds the Crypto modules, as `skyrocket
/// gen` ships them, with one player.
fn crypto_world(server_native: bool) -> (World, u64) {
    let mut w = World::new(WorldConfig {
        server_native,
        ..WorldConfig::default()
    })
    .unwrap();
    w.add_module("ReplicatedStorage/Crypto/ChaCha20Poly1305", CHACHA_SRC)
        .unwrap();
    w.add_module("ReplicatedStorage/Crypto/Envelope", ENVELOPE_SRC)
        .unwrap();
    let uid = w.add_player("Player1").unwrap();
    w.run_for(0.1).unwrap();
    (w, uid)
}

fn envelope_class(w: &mut World, peer: Peer) -> Table {
    match w
        .require(peer, "ReplicatedStorage/Crypto/Envelope")
        .expect("require Envelope")
    {
        Value::Table(t) => t,
        other => panic!("Envelope module returned {other:?}"),
    }
}

#[test]
fn envelope_round_trips_between_luau_and_rust_and_between_vms() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for native in [false, true] {
        let (mut w, uid) = crypto_world(native);
        let server_class = envelope_class(&mut w, Peer::Server);
        let client_class = envelope_class(&mut w, Peer::Client(uid));
        let key = random_bytes(&mut rng, 32);
        let server = LuauEnvelope::new(
            w.server(),
            &server_class,
            &key,
            7,
            Direction::ServerToClient,
        );
        let client = LuauEnvelope::new(
            w.client(uid).unwrap(),
            &client_class,
            &key,
            7,
            Direction::ClientToServer,
        );
        let mut rust_server = envelope::Envelope::new(&key, 7, Direction::ServerToClient);
        let mut rust_client = envelope::Envelope::new(&key, 7, Direction::ClientToServer);
        for i in 0..100u32 {
            let len = rng.gen_range(0..300);
            let pt = random_bytes(&mut rng, len);
            let kind = if i % 2 == 0 {
                Kind::Num(i * 1000)
            } else {
                Kind::Str("Chat.Message")
            };
            // Luau server -> Rust client and Luau client.
            let sealed = server.seal(kind, &pt);
            assert_eq!(sealed.len(), pt.len() + envelope::OVERHEAD);
            assert_eq!(sealed[0], 7);
            assert_eq!(
                u64::from_le_bytes(sealed[1..9].try_into().unwrap()),
                u64::from(i)
            );
            // Byte-identical to the Rust mirror with the same counter.
            assert_eq!(
                sealed,
                rust_server.seal(kind, &pt),
                "native {native} message {i}"
            );
            assert_eq!(rust_client.open(kind, &sealed), Ok(pt.clone()));
            assert_eq!(client.open(kind, &sealed), Ok(pt.clone()));
            // Luau client -> Rust server and Luau server.
            let up = client.seal(kind, &pt);
            assert_eq!(up, rust_client.seal(kind, &pt));
            assert_eq!(rust_server.open(kind, &up), Ok(pt.clone()));
            assert_eq!(server.open(kind, &up), Ok(pt.clone()));
        }
        // Rust -> Luau with counters Luau did not produce itself.
        let far = rust_client.seal_with_counter(Kind::Num(1), b"far", (1u64 << 53) - 1);
        assert_eq!(server.open(Kind::Num(1), &far), Ok(b"far".to_vec()));
        let too_far = rust_client.seal_with_counter(Kind::Num(1), b"x", 1u64 << 53);
        assert_eq!(
            server.open(Kind::Num(1), &too_far),
            Err("counter out of range".into())
        );
        assert!(w.errors().is_empty(), "{:?}", w.errors());
    }
}

#[test]
fn envelope_rejects_replays_old_counters_wrong_kind_direction_and_key() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let (mut w, _uid) = crypto_world(true);
    let class = envelope_class(&mut w, Peer::Server);
    let key = random_bytes(&mut rng, 32);
    let server = LuauEnvelope::new(w.server(), &class, &key, 1, Direction::ServerToClient);
    let mut rust_server = envelope::Envelope::new(&key, 1, Direction::ServerToClient);
    let client = envelope::Envelope::new(&key, 1, Direction::ClientToServer);
    let k = Kind::Str("Move");
    let msg = |c: u64| client.seal_with_counter(k, format!("m{c}").as_bytes(), c);
    let body = |c: u64| format!("m{c}").into_bytes();

    // In order, then a replay of each.
    for c in 0..10 {
        assert_eq!(server.open(k, &msg(c)), Ok(body(c)));
        assert_eq!(rust_server.open(k, &msg(c)), Ok(body(c)));
    }
    for c in 0..10 {
        let e = server.open(k, &msg(c)).unwrap_err();
        assert!(e.contains("replayed"), "{e}");
        assert_eq!(rust_server.open(k, &msg(c)), Err("replayed"));
    }
    // Out of order within the window: a jump ahead, then the skipped ones.
    assert_eq!(server.open(k, &msg(70)), Ok(body(70)));
    assert_eq!(rust_server.open(k, &msg(70)), Ok(body(70)));
    for c in (10..70).rev() {
        if 70 - c < 64 {
            assert_eq!(server.open(k, &msg(c)), Ok(body(c)), "counter {c}");
            assert_eq!(rust_server.open(k, &msg(c)), Ok(body(c)));
        } else {
            let e = server.open(k, &msg(c)).unwrap_err();
            assert!(e.contains("too old"), "counter {c}: {e}");
            assert_eq!(rust_server.open(k, &msg(c)), Err("too old"));
        }
    }
    // 7 is the oldest counter still inside the window [7, 70].
    let e = server.open(k, &msg(7)).unwrap_err();
    assert!(e.contains("replayed"), "{e}");
    assert!(server.open(k, &msg(6)).unwrap_err().contains("too old"));
    assert!(server.open(k, &msg(0)).unwrap_err().contains("too old"));
    // A jump by more than the window clears it.
    assert_eq!(server.open(k, &msg(1000)), Ok(body(1000)));
    assert_eq!(server.open(k, &msg(999)), Ok(body(999)));
    assert_eq!(server.open(k, &msg(937)), Ok(body(937)));
    assert!(server.open(k, &msg(936)).unwrap_err().contains("too old"));
    assert!(server.open(k, &msg(1000)).unwrap_err().contains("replayed"));

    // A message that fails authentication does not move the window.
    let mut forged = msg(5000);
    let last = forged.len() - 1;
    forged[last] ^= 1;
    assert_eq!(server.open(k, &forged), Err("authentication failed".into()));
    assert_eq!(server.open(k, &msg(1001)), Ok(body(1001)));
    // Forging the counter in the header (the nonce) breaks the tag.
    let mut moved = msg(2000);
    moved[1] ^= 1;
    assert_eq!(server.open(k, &moved), Err("authentication failed".into()));

    // Wrong kind: other string, a number, and string vs number of the same bytes.
    let m = msg(1100);
    assert_eq!(
        server.open(Kind::Str("Mov"), &m),
        Err("authentication failed".into())
    );
    assert_eq!(
        server.open(Kind::Num(0), &m),
        Err("authentication failed".into())
    );
    let n = client.seal_with_counter(Kind::Num(u32::from_le_bytes(*b"Move")), b"n", 1101);
    assert_eq!(
        server.open(Kind::Str("Move"), &n),
        Err("authentication failed".into())
    );
    assert_eq!(
        server.open(Kind::Num(u32::from_le_bytes(*b"Move")), &n),
        Ok(b"n".to_vec())
    );
    assert_eq!(server.open(k, &m), Ok(body(1100)));

    // Wrong direction: a server-sealed message reflected back to the server.
    // (A fresh endpoint, so that the counter is inside its window.)
    let fresh = LuauEnvelope::new(w.server(), &class, &key, 1, Direction::ServerToClient);
    let reflected = fresh.seal(k, b"to client");
    assert_eq!(
        fresh.open(k, &reflected),
        Err("authentication failed".into())
    );
    let reflected = rust_server.seal_with_counter(k, b"to client", 1102);
    assert_eq!(
        server.open(k, &reflected),
        Err("authentication failed".into())
    );
    // Wrong key id, wrong key, truncated, not a buffer.
    let other_id = envelope::Envelope::new(&key, 2, Direction::ClientToServer)
        .seal_with_counter(k, b"x", 1200);
    assert_eq!(server.open(k, &other_id), Err("unknown key id 2".into()));
    let other_key =
        envelope::Envelope::new(&random_bytes(&mut rng, 32), 1, Direction::ClientToServer)
            .seal_with_counter(k, b"x", 1201);
    assert_eq!(
        server.open(k, &other_key),
        Err("authentication failed".into())
    );
    for len in [0, 1, 9, 24] {
        let e = server.open(k, &msg(1202)[..len]).unwrap_err();
        assert!(e.contains("too short"), "{e}");
    }
    let (pt, err): (Option<Buffer>, Option<String>) = server
        .obj
        .call_method("open", ("Move", "not a buffer"))
        .unwrap();
    assert!(pt.is_none() && err.unwrap().contains("must be a buffer"));
}

#[test]
fn envelope_validates_its_arguments() {
    let (mut w, _) = crypto_world(true);
    let class = envelope_class(&mut w, Peer::Server);
    let lua = w.server();
    let new: Function = class.get("new").unwrap();
    let err = |r: mlua::Result<Table>| r.expect_err("should raise").to_string();
    let key = lua.create_buffer([0u8; 32]).unwrap();
    let e = err(new.call((lua.create_buffer([0u8; 31]).unwrap(), 1, "ServerToClient")));
    assert!(e.contains("key must be a 32-byte buffer"), "{e}");
    let e = err(new.call((key.clone(), 256, "ServerToClient")));
    assert!(e.contains("keyId must be an integer in 0..255"), "{e}");
    let e = err(new.call((key.clone(), 1, "Sideways")));
    assert!(e.contains("direction must be"), "{e}");
    let env: Table = new.call((key, 1, "ServerToClient")).unwrap();
    let e = env
        .call_method::<Buffer>("seal", (1.5, lua.create_buffer([1u8]).unwrap()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("a number kind must be an integer"), "{e}");
    let e = env
        .call_method::<Buffer>("seal", (true, lua.create_buffer([1u8]).unwrap()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("kind must be a string or a number"), "{e}");
    let sealed: Buffer = env
        .call_method("seal", (3, lua.create_buffer([1u8]).unwrap()))
        .unwrap();
    assert_eq!(sealed.len(), 1 + envelope::OVERHEAD);
    assert_eq!(env.call_method::<f64>("sendCounter", ()).unwrap(), 1.0);
}

/// The worked example in docs/encryption.md.
#[test]
fn envelope_layout_example_from_the_docs() {
    let key = key_0_to_31();
    let mut rust = envelope::Envelope::new(&key, 1, Direction::ServerToClient);
    let sealed = rust.seal(Kind::Str("Chat"), b"hi");
    // key id | counter 0 (u64 LE) | "hi" encrypted | tag
    let doc = "01 0000000000000000 64e6 a0a6c4ca582b0f7ca89fd4d7f1d132db";
    assert_eq!(hex::encode(&sealed), doc.replace(' ', ""));
    // The same with the plain AEAD: nonce "S2C\0" || 0u64, aad 01 02 "Chat".
    let aead = rust_encrypt(&key, b"S2C\0\0\0\0\0\0\0\0\0", b"hi", b"\x01\x02Chat");
    assert_eq!(aead, sealed[9..]);
    let (mut w, uid) = crypto_world(false);
    let class = envelope_class(&mut w, Peer::Server);
    let server = LuauEnvelope::new(w.server(), &class, &key, 1, Direction::ServerToClient);
    assert_eq!(server.seal(Kind::Str("Chat"), b"hi"), sealed);
    let class = envelope_class(&mut w, Peer::Client(uid));
    let client = LuauEnvelope::new(
        w.client(uid).unwrap(),
        &class,
        &key,
        1,
        Direction::ClientToServer,
    );
    assert_eq!(client.open(Kind::Str("Chat"), &sealed), Ok(b"hi".to_vec()));
}

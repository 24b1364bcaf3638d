//! Decoder emission: one `dec_T` Luau function per schema type.
//!
//! A decoder takes `(b, p, q, E)`: the buffer, the byte-section cursor (an
//! absolute offset), the number of bit-section bits read, and the absolute
//! end of the message; it returns `(value, p, q)`. Bit fields are extracted
//! at constant positions from 32-bit windows (`wx`) read once per 32 bits of
//! a run (see [`Dec::extract`]); byte fields are read at static offsets
//! from `p`. Every read checks the cursors as the spec requires
//! (`lim` is the first byte of the bit section touched so far), and values
//! are checked before any allocation. Records are built with one table
//! constructor.

use skyrocket_schema::{
    bits_for_count, length_bits, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Schema, Ty,
    TypeDef, TypeKind,
};

use crate::emit::{field_access, field_key, lua_int, lua_number, lua_string, Placeholder, Writer};
use crate::path::Path;
use crate::types::{is_string_enum, luau_type};
use crate::{neg, SAFE_INT};

/// The decoder function of a named type: a local, or an entry of the
/// `DEC` table in large schemas.
pub fn dec_fn(name: &str, large: bool) -> String {
    if large {
        format!("DEC.{name}")
    } else {
        format!("dec_{name}")
    }
}

/// Pending bounds checks a value check's failure branch may repeat.
const MAX_PENDING_IN_FAILURE: usize = 8;

/// Decoder generator for one function.
pub struct Dec<'a> {
    schema: &'a Schema,
    w: Writer,
    tmp: usize,
    pend: u64,
    qoff: u64,
    win: Option<u64>,
    used_window: bool,
    large: bool,
    inline: std::collections::HashSet<String>,
    inline_depth: u32,
    /// Largest depth this decoder is entered at, when statically bounded.
    entry: Option<u32>,
    /// Deferred bit-section bounds checks: (byte cursor expression, bit
    /// offset after the field, the field's `UnexpectedEnd` failure).
    pending: Vec<(String, u64, String)>,
    /// The open run of byte-section reads: its check's placeholder (before
    /// the first read) and (end offset from `p`, failure) per field.
    byte_run: Option<(Placeholder, Vec<(u64, String)>)>,
    /// Bit offset (in `qoff` terms) up to which a bounds check has passed:
    /// bits below it lie in the message.
    checked: i64,
    /// Bytes before the message start that a window may read (see
    /// [`Dec::open_window`]).
    pad: u64,
}

impl<'a> Dec<'a> {
    fn new(schema: &'a Schema, large: bool) -> Self {
        Dec {
            schema,
            w: Writer::with_indent(1),
            tmp: 0,
            pend: 0,
            qoff: 0,
            win: None,
            used_window: false,
            large,
            inline: crate::inlinable(schema),
            inline_depth: 0,
            entry: None,
            pending: vec![],
            byte_run: None,
            checked: 0,
            pad: 0,
        }
    }

    /// Whether `d + k <= max` holds for every entry depth `d`.
    fn depth_ok(&self, k: u32, max: u32) -> bool {
        matches!(self.entry, Some(e) if e.saturating_add(k) <= max)
    }

    fn fresh(&mut self, base: &str) -> String {
        self.tmp += 1;
        format!("{base}{}", self.tmp)
    }

    fn p(&self) -> String {
        if self.pend == 0 {
            "p".into()
        } else {
            format!("p + {}", self.pend)
        }
    }

    fn q_at(&self, off: u64) -> String {
        if off == 0 {
            "q".into()
        } else {
            format!("q + {off}")
        }
    }

    /// A failure statement. Bit-section bounds checks still pending run
    /// first, so an earlier `UnexpectedEnd` wins as in the Rust decoder;
    /// the open byte run is closed (its check must not cover later fields).
    fn fail(&mut self, kind: &str, path: &Path, p: &str, q: &str) -> String {
        // Each failure carries the pending checks: past a few, check them
        // now, or a run of checked fields grows quadratically (code size,
        // and Luau's type solver gives up on such functions).
        if self.pending.len() >= MAX_PENDING_IN_FAILURE {
            self.flush_bits();
        }
        self.close_bytes();
        let f = Self::fail_stmt(kind, path, p, q);
        if self.pending.is_empty() {
            f
        } else {
            format!("{}; {f}", self.precise())
        }
    }

    /// Fills the open byte run's check: one test for the whole run (read
    /// positions only grow), per field only to name the failing one.
    fn close_bytes(&mut self) {
        let Some((at, run)) = self.byte_run.take() else {
            return;
        };
        let (end, f) = run.last().expect("non-empty run");
        let text = if run.len() == 1 {
            format!("if p + {end} > lim then {f} end")
        } else {
            let precise: Vec<String> = run
                .iter()
                .map(|(e, f)| format!("if p + {e} > lim then {f} end"))
                .collect();
            format!("if p + {end} > lim then {} end", precise.join("; "))
        };
        self.w.patch(at, text);
    }

    fn fail_stmt(kind: &str, path: &Path, p: &str, q: &str) -> String {
        let (t, idx) = path.template();
        let mut args = vec![lua_string(kind), lua_string(&t), p.to_owned(), q.to_owned()];
        args.extend(idx.into_iter().take(4));
        format!("fail({})", args.join(", "))
    }

    /// The pending bounds checks one by one, in field order.
    fn precise(&self) -> String {
        self.pending
            .iter()
            .map(|(p, end, f)| {
                format!("if {p} > E - bit32.rshift(q + {}, 3) then {f} end", end + 7)
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Emits the pending bounds checks as one test (bounds only shrink as
    /// the bit section grows, so the last field's check covers the run),
    /// falling back to the precise checks to name the first failing field.
    fn flush_bits(&mut self) {
        let Some((p, end, f)) = self.pending.last().cloned() else {
            return;
        };
        // `lim` moves: later byte reads need their own check.
        self.close_bytes();
        self.checked = self.checked.max(end as i64);
        self.w
            .line(format!("lim = E - bit32.rshift(q + {}, 3)", end + 7));
        if self.pending.len() == 1 {
            self.w.line(format!("if {p} > lim then {f} end"));
        } else {
            let precise = self.precise();
            self.w.line(format!("if {p} > lim then {precise} end"));
        }
        self.pending.clear();
    }

    /// Makes the static offsets real (before control flow).
    fn flush(&mut self) {
        self.flush_bits();
        self.close_bytes();
        if self.pend > 0 {
            self.w.line(format!("p += {}", self.pend));
            self.pend = 0;
        }
        if self.qoff > 0 {
            self.w.line(format!("q += {}", self.qoff));
            self.checked -= self.qoff as i64;
            self.qoff = 0;
        }
        self.win = None;
    }

    /// After code that checked the bit section up to the current `q`
    /// itself (a call, a varint, a run of bools, a branch's start).
    fn checked_here(&mut self) {
        self.checked = self.qoff as i64;
    }

    /// Checks and reserves `n` byte-section bytes; returns their position.
    fn bytes(&mut self, n: u64, path: &Path) -> String {
        self.flush_bits();
        let f = Self::fail_stmt("UnexpectedEnd", path, &self.p(), &self.q_at(self.qoff));
        if self.byte_run.is_none() {
            let at = self.w.placeholder();
            self.byte_run = Some((at, vec![]));
        }
        let end = self.pend + n;
        if let Some((_, run)) = self.byte_run.as_mut() {
            run.push((end, f));
        }
        let at = self.p();
        self.pend += n;
        at
    }

    /// Reads the window of run bits `start..start + 32` into `wx`, shifted
    /// so that they sit at bits 0..32 of its integer part: the 5 bytes
    /// holding them form an exact 40-bit integer, scaled by `ws` =
    /// `2^-(bit offset within the first byte)`; `bit32` truncates. Windows
    /// of one run lie 32 bits apart, so they share `ws` (`first`: compute
    /// it). Variable shifts are slow in native code; this has none.
    ///
    /// Bounds are checked after a run of fields, so a window may start
    /// below the message (never more than [`Dec::pad`] bytes: each check
    /// put the bits below `checked` in the message, whose start is at or
    /// after the buffer's). `read` gives messages that close to the buffer's
    /// start a padded copy, so windows need no test of their own.
    fn open_window(&mut self, start: u64, first: bool) {
        let ahead = (start as i64 - self.checked).max(0) as u64;
        self.pad = self.pad.max(6 + ahead.div_ceil(8));
        let q = self.q_at(start);
        match self.win {
            Some(prev) if !first => {
                self.w.line(format!("wa -= {}", (start - prev) / 8));
            }
            _ => {
                self.w.line(format!("wa = E - 5 - bit32.rshift({q}, 3)"));
                self.w.line(format!("ws = WSCALE[bit32.band({q}, 7) + 1]"));
            }
        }
        self.w.line(
            "wx = (bit32.byteswap(buffer.readu32(b, wa + 1)) + buffer.readu8(b, wa) * 4294967296) * ws",
        );
        self.win = Some(start);
        self.used_window = true;
    }

    /// An expression of the next `w` (<= 32) bits, unchecked. The run's
    /// windows start at static offsets, so every extraction has constant
    /// positions; a field crossing two windows is joined from both.
    fn extract(&mut self, w: u32) -> String {
        debug_assert!((1..=32).contains(&w));
        let w = w as u64;
        let start = self.window();
        let off = self.qoff - start;
        self.qoff += w;
        let ext = |off: u64, w: u64| {
            if w == 1 {
                format!("bit32.extract(wx, {off})")
            } else {
                format!("bit32.extract(wx, {off}, {w})")
            }
        };
        if off + w <= 32 {
            return ext(off, w);
        }
        let lo_w = 32 - off;
        let lo = self.fresh("lo");
        self.w.line(format!("local {lo} = {}", ext(off, lo_w)));
        self.open_window(start + 32, false);
        format!("{lo} + {} * {}", ext(0, w - lo_w), 1u64 << lo_w)
    }

    /// A boolean expression of the next bit (one `bit32.btest`), unchecked.
    fn extract_bool(&mut self) -> String {
        let start = self.window();
        let off = self.qoff - start;
        self.qoff += 1;
        format!("bit32.btest(wx, {})", 1u64 << off)
    }

    /// The start of the window holding the next bit (opened if needed).
    fn window(&mut self) -> u64 {
        match self.win {
            Some(s) if self.qoff < s + 32 => s,
            Some(s) => {
                let next = s + (self.qoff - s) / 32 * 32;
                self.open_window(next, false);
                next
            }
            None => {
                self.open_window(self.qoff, true);
                self.qoff
            }
        }
    }

    /// Like [`Dec::extract`], bound to a fresh local (the window may move
    /// before a later use).
    fn extract_local(&mut self, w: u32) -> String {
        let e = self.extract(w);
        let l = self.fresh("x");
        self.w.line(format!("local {l} = {e}"));
        l
    }

    /// Queues the bounds check of a bit field that started at `start` and
    /// ends at the current offset (see [`Dec::flush_bits`]).
    fn check_bits(&mut self, start: u64, path: &Path) {
        let f = Self::fail_stmt("UnexpectedEnd", path, &self.p(), &self.q_at(start));
        self.pending.push((self.p(), self.qoff, f));
        if self.pending.len() >= 32 {
            self.flush_bits();
        }
    }

    /// Reads `w` (<= 53) bits into a fresh local (checked).
    fn bits(&mut self, w: u32, path: &Path) -> String {
        let v = self.fresh("v");
        if w == 0 {
            self.w.line(format!("local {v} = 0"));
            return v;
        }
        let start = self.qoff;
        let expr = if w <= 32 {
            self.extract(w)
        } else {
            let lo = self.extract_local(32);
            format!("{lo} + {} * 4294967296", self.extract(w - 32))
        };
        self.w.line(format!("local {v} = {expr}"));
        self.check_bits(start, path);
        v
    }

    /// Reads an unsigned value of `w` bits from the section the spec puts
    /// it in; `w` <= 53 or exactly 64 (then checked to be a safe integer by
    /// the caller). Returns a local.
    fn sized(&mut self, w: u32, path: &Path) -> String {
        match w {
            8 | 16 | 32 => {
                let at = self.bytes(w as u64 / 8, path);
                let v = self.fresh("v");
                self.w.line(format!("local {v} = buffer.readu{w}(b, {at})"));
                v
            }
            64 => {
                let at = self.bytes(8, path);
                let v = self.fresh("v");
                self.w.line(format!(
                    "local {v} = buffer.readu32(b, {at} + 4) * 4294967296 + buffer.readu32(b, {at})"
                ));
                v
            }
            w => self.bits(w, path),
        }
    }

    /// Reads a varint of a `type_bits`-bit type; returns a local.
    fn varint(&mut self, type_bits: u32, signed: bool, path: &Path) -> String {
        self.flush();
        let g0 = self.fresh("g");
        let zr = self.fresh("z");
        let sh = self.fresh("sh");
        let mul = self.fresh("mul");
        let a = self.fresh("a");
        let g = self.fresh("g");
        let pl = self.fresh("pl");
        self.w.line(format!("local {g0}, {zr} = 0, 0"));
        self.w.open("do");
        self.w.line(format!("local {sh}, {mul} = 0, 1"));
        self.w.open("while true do");
        self.w.line("lim = E - bit32.rshift(q + 15, 3)");
        let f = self.fail("UnexpectedEnd", path, "p", "q");
        self.w.line(format!("if p > lim then {f} end"));
        self.w
            .line(format!("local {a} = E - 4 - bit32.rshift(q, 3)"));
        self.w.line(format!(
            "local {g} = bit32.extract(bit32.byteswap(if {a} >= 0 then buffer.readu32(b, {a}) else rwin(b, {a})), bit32.band(q, 7), 8)"
        ));
        self.w.line("q += 8");
        self.w.line(format!("local {pl} = bit32.band({g}, 127)"));
        let f = self.fail("InvalidVarint", path, "p", "q");
        self.w.line(format!(
            "if {sh} >= {type_bits} or ({sh} > 0 and bit32.rshift({pl}, math.min({type_bits} - {sh}, 7)) ~= 0) then {f} end"
        ));
        self.w.line(format!(
            "if {sh} == 0 then {g0} = {pl} else {zr} += {pl} * {mul}; {mul} *= 128 end"
        ));
        self.w.open(format!("if {g} < 128 then"));
        let f = self.fail("NonCanonical", path, "p", "q");
        self.w
            .line(format!("if {pl} == 0 and {sh} > 0 then {f} end"));
        self.w.line("break");
        self.w.close("end");
        self.w.line(format!("{sh} += 7"));
        self.w.close("end");
        self.w.close("end");
        self.checked_here();
        let v = self.fresh("v");
        if signed {
            self.w.line(format!(
                "local {v} = if {g0} % 2 == 0 then {g0} / 2 + {zr} * 64 else -(({g0} + 1) / 2 + {zr} * 64)"
            ));
        } else {
            self.w.line(format!("local {v} = {g0} + {zr} * 128"));
        }
        if type_bits == 64 {
            let f = self.fail("UnsafeInteger", path, "p", "q");
            self.w.line(format!(
                "if {v} > {SAFE_INT} or {v} < -{SAFE_INT} then {f} end"
            ));
        }
        v
    }

    fn f32(&mut self, path: &Path) -> String {
        let at = self.bytes(4, path);
        let v = self.fresh("f");
        self.w.line(format!("local {v} = buffer.readf32(b, {at})"));
        let f = self.fail("NonCanonical", path, &self.p(), &self.q_at(self.qoff));
        self.w.line(format!(
            "if {v} ~= {v} and buffer.readu32(b, {at}) ~= 0x7FC00000 then {f} end"
        ));
        v
    }

    fn f64(&mut self, path: &Path) -> String {
        let at = self.bytes(8, path);
        let v = self.fresh("f");
        self.w.line(format!("local {v} = buffer.readf64(b, {at})"));
        let f = self.fail("NonCanonical", path, &self.p(), &self.q_at(self.qoff));
        self.w.line(format!(
            "if {v} ~= {v} and (buffer.readu32(b, {at}) ~= 0 or buffer.readu32(b, {at} + 4) ~= 0x7FF80000) then {f} end"
        ));
        v
    }

    /// `ft` decides rounding: `F32` results are rounded to binary32.
    fn float(&mut self, ft: FloatTy, fe: &FloatEncoding, path: &Path) -> String {
        match fe {
            FloatEncoding::Full => match ft {
                FloatTy::F32 => self.f32(path),
                FloatTy::F64 => self.f64(path),
            },
            FloatEncoding::Half => {
                let at = self.bytes(2, path);
                let h = self.fresh("h");
                self.w.line(format!("local {h} = buffer.readu16(b, {at})"));
                let f = self.fail("NonCanonical", path, &self.p(), &self.q_at(self.qoff));
                self.w.line(format!(
                    "if {h} ~= 0x7E00 and bit32.band({h}, 0x7C00) == 0x7C00 and bit32.band({h}, 0x3FF) ~= 0 then {f} end"
                ));
                let v = self.fresh("f");
                self.w.line(format!("local {v} = fromHalf({h})"));
                v
            }
            FloatEncoding::Quantized(q) => {
                let l = self.sized(q.bits(), path);
                if (q.levels() as f64) < 2f64.powi(q.bits() as i32) {
                    let f = self.fail("OutOfRange", path, &self.p(), &self.q_at(self.qoff));
                    self.w.line(format!(
                        "if {l} >= {} then {f} end",
                        lua_number(q.levels() as f64)
                    ));
                }
                let v = self.fresh("f");
                let scaled = format!("{l} * {}", neg(&lua_number(q.step)));
                // `+0 + y` is `y` for `y = l * step >= +0` (not for `-0 + 0`).
                let e = if q.min == 0.0 && q.min.is_sign_positive() {
                    scaled
                } else {
                    format!("{} + {scaled}", lua_number(q.min))
                };
                match ft {
                    FloatTy::F32 => self
                        .w
                        .line(format!("local {v} = vector.create({e}, 0, 0).x")),
                    FloatTy::F64 => self.w.line(format!("local {v} = {e}")),
                }
                v
            }
        }
    }

    fn int(&mut self, it: IntTy, ie: &IntEncoding, path: &Path) -> String {
        match ie {
            IntEncoding::Fixed => {
                let bits = it.bits();
                let s = if it.signed() { "i" } else { "u" };
                let at = self.bytes(bits as u64 / 8, path);
                let v = self.fresh("v");
                if bits == 64 {
                    let hi = self.fresh("hi");
                    self.w
                        .line(format!("local {hi} = buffer.read{s}32(b, {at} + 4)"));
                    let f = self.fail("UnsafeInteger", path, &self.p(), &self.q_at(self.qoff));
                    let lo = self.fresh("lo");
                    self.w.line(format!("local {lo} = buffer.readu32(b, {at})"));
                    self.w.line(format!(
                        "if {hi} >= 2097152 or {hi} < -2097152 or ({hi} == -2097152 and {lo} == 0) then {f} end"
                    ));
                    self.w.line(format!("local {v} = {hi} * 4294967296 + {lo}"));
                } else {
                    self.w
                        .line(format!("local {v} = buffer.read{s}{bits}(b, {at})"));
                }
                v
            }
            IntEncoding::Range { lo, hi } => {
                let (lo, hi) = (*lo, *hi);
                let w = bits_for_count((hi - lo) as u128 + 1);
                if w == 0 {
                    return neg(&lua_int(lo));
                }
                let span = hi - lo;
                if lo.abs() <= SAFE_INT && hi.abs() <= SAFE_INT && w <= 53 {
                    let o = self.sized(w, path);
                    if (span + 1).count_ones() != 1 || w == 64 {
                        let f = self.fail("OutOfRange", path, &self.p(), &self.q_at(self.qoff));
                        self.w.line(format!("if {o} > {span} then {f} end"));
                    }
                    if lo == 0 {
                        o
                    } else {
                        let v = self.fresh("v");
                        self.w
                            .line(format!("local {v} = {o} + {}", neg(&lua_int(lo))));
                        v
                    }
                } else {
                    let (ol, oh) = if w == 64 {
                        let at = self.bytes(8, path);
                        let ol = self.fresh("ol");
                        let oh = self.fresh("oh");
                        self.w.line(format!("local {ol} = buffer.readu32(b, {at})"));
                        self.w
                            .line(format!("local {oh} = buffer.readu32(b, {at} + 4)"));
                        (ol, oh)
                    } else if w <= 32 {
                        (self.sized(w, path), "0".to_owned())
                    } else {
                        let start = self.qoff;
                        let ol = self.fresh("ol");
                        let oh = self.fresh("oh");
                        let a = self.extract_local(16);
                        let b2 = self.extract_local(16);
                        self.w.line(format!("local {ol} = {a} + {b2} * 65536"));
                        let mut parts = vec![];
                        let mut left = w - 32;
                        let mut shift = 0;
                        while left > 0 {
                            let take = left.min(16);
                            let e = self.extract_local(take);
                            parts.push(if shift == 0 {
                                e
                            } else {
                                format!("{e} * {}", 1u64 << shift)
                            });
                            shift += take;
                            left -= take;
                        }
                        self.w.line(format!("local {oh} = {}", parts.join(" + ")));
                        self.check_bits(start, path);
                        (ol, oh)
                    };
                    let sh = span >> 32;
                    let sl = span & 0xFFFF_FFFF;
                    let f = self.fail("OutOfRange", path, &self.p(), &self.q_at(self.qoff));
                    self.w.line(format!(
                        "if {oh} > {sh} or ({oh} == {sh} and {ol} > {sl}) then {f} end"
                    ));
                    let v = self.fresh("v");
                    self.w.line(format!(
                        "local {v} = wideAdd({ol}, {oh}, {}, {})",
                        lo.rem_euclid(1 << 32),
                        neg(&lua_int(lo.div_euclid(1 << 32)))
                    ));
                    let f = self.fail("UnsafeInteger", path, &self.p(), &self.q_at(self.qoff));
                    self.w.line(format!("if {v} == nil then {f} end"));
                    let r = self.fresh("v");
                    self.w.line(format!("local {r} = {v} :: number"));
                    r
                }
            }
            IntEncoding::Varint => self.varint(it.bits(), it.signed(), path),
        }
    }

    fn length(&mut self, max_len: Option<u32>, path: &Path) -> String {
        match max_len {
            Some(m) => {
                let n = self.bits(length_bits(m), path);
                if (m as u64 + 1).count_ones() != 1 {
                    let f = self.fail("LengthLimit", path, &self.p(), &self.q_at(self.qoff));
                    self.w.line(format!("if {n} > {m} then {f} end"));
                }
                n
            }
            None => {
                let n = self.varint(32, false, path);
                let f = self.fail("LengthLimit", path, "p", "q");
                self.w
                    .line(format!("if {n} > (E - p) * 8 - q then {f} end"));
                n
            }
        }
    }

    /// Emits the decoding of one value of `ty`; returns a Luau expression
    /// (a local or a constant) holding it.
    pub fn value(&mut self, ty: &Ty, path: &Path) -> String {
        match ty {
            Ty::Unit => "true".into(),
            Ty::Bool => {
                let start = self.qoff;
                let e = self.extract_bool();
                let r = self.fresh("v");
                self.w.line(format!("local {r} = {e}"));
                self.check_bits(start, path);
                r
            }
            Ty::Int(it, ie) => self.int(*it, ie, path),
            Ty::Float(ft, fe) => self.float(*ft, fe, path),
            Ty::String { max_len } | Ty::Bytes { max_len } => {
                let n = self.length(*max_len, path);
                self.flush();
                let f = self.fail("UnexpectedEnd", path, "p", "q");
                self.w.line(format!("if p + {n} > lim then {f} end"));
                let v = self.fresh("s");
                if matches!(ty, Ty::String { .. }) {
                    self.w
                        .line(format!("local {v} = buffer.readstring(b, p, {n})"));
                    self.w.line(format!("p += {n}"));
                    let f = self.fail("InvalidUtf8", path, "p", "q");
                    self.w.line(format!(
                        "if utf8.len({v}) == nil or string.find({v}, \"\\237[\\160-\\191]\") then {f} end"
                    ));
                } else {
                    self.w.line(format!("local {v} = buffer.create({n})"));
                    self.w.line(format!("buffer.copy({v}, 0, b, p, {n})"));
                    self.w.line(format!("p += {n}"));
                }
                v
            }
            Ty::ByteArray(len) => {
                let at = self.bytes(*len as u64, path);
                let v = self.fresh("s");
                self.w.line(format!("local {v} = buffer.create({len})"));
                self.w.line(format!("buffer.copy({v}, 0, b, {at}, {len})"));
                v
            }
            Ty::Option(inner) => {
                let flag = self.bits(1, path);
                self.flush();
                let v = self.fresh("o");
                let t = luau_type(self.schema, ty);
                self.w.line(format!("local {v}: {t} = nil"));
                self.w.open(format!("if {flag} ~= 0 then"));
                let x = self.value(inner, path);
                self.flush();
                self.w.line(format!("{v} = {x}"));
                self.w.close("end");
                v
            }
            Ty::Boxed(inner) => self.value(inner, path),
            Ty::List { elem, max_len } => {
                let n = self.length(*max_len, path);
                self.flush();
                // Preallocate at most 4096 slots: the count is only a claim
                // until the elements decode (spec 6).
                let cap = match max_len {
                    Some(m) if *m <= 4096 => n.clone(),
                    _ => format!("math.min({n}, 4096)"),
                };
                self.seq(elem, &n, &cap, ty, path)
            }
            Ty::Array { elem, len } if *len <= 8 && crate::encode::unrollable(elem) => {
                let parts: Vec<String> = (1..=*len)
                    .map(|k| self.value(elem, &path.lit(&format!("[{k}]"))))
                    .collect();
                let v = self.fresh("t");
                let t = luau_type(self.schema, ty);
                self.w
                    .line(format!("local {v}: {t} = {{ {} }}", parts.join(", ")));
                v
            }
            Ty::Array { elem, len } => {
                self.flush();
                let n = len.to_string();
                self.seq(elem, &n, &n, ty, path)
            }
            Ty::Tuple(elems) => {
                let mut parts = vec![];
                for (k, e) in elems.iter().enumerate() {
                    parts.push(self.value(e, &path.lit(&format!("[{}]", k + 1))));
                }
                let v = self.fresh("t");
                let t = luau_type(self.schema, ty);
                self.w
                    .line(format!("local {v}: {t} = {{ {} }}", parts.join(", ")));
                v
            }
            Ty::Map {
                key,
                value,
                max_len,
                ..
            } => self.map(key, Some(value), *max_len, ty, path),
            Ty::Set { elem, max_len, .. } => self.map(elem, None, *max_len, ty, path),
            Ty::Roblox(r) => self.roblox(r, path),
            Ty::Named(name) if self.inline.contains(name) => {
                let schema = self.schema;
                let Some(def) = schema.get(name) else {
                    return "nil".into();
                };
                if let TypeKind::Enum(vs) = &def.kind {
                    // A string enum: tag, then a name lookup.
                    if !self.depth_ok(self.inline_depth + 1, def.max_depth) {
                        let f = self.fail("DepthLimit", path, &self.p(), &self.q_at(self.qoff));
                        self.w.line(format!(
                            "if d + {} > {} then {f} end",
                            self.inline_depth + 1,
                            def.max_depth
                        ));
                    }
                    let tag = self.bits(bits_for_count(vs.len() as u128), path);
                    if vs.len() > 1 && !vs.len().is_power_of_two() {
                        let f = self.fail("InvalidTag", path, &self.p(), &self.q_at(self.qoff));
                        self.w
                            .line(format!("if {tag} >= {} then {f} end", vs.len()));
                    }
                    let v = self.fresh("x");
                    let sep = if self.large { "." } else { "_" };
                    self.w.line(format!(
                        "local {v}: {} = NAMES{sep}{name}[{tag} + 1]",
                        def.wire_name
                    ));
                    return v;
                }
                let TypeKind::Struct(fields) = &def.kind else {
                    return "nil".into();
                };
                // Inlined struct: the depth check of its decoder, then its
                // fields, built with one constructor.
                self.inline_depth += 1;
                if !self.depth_ok(self.inline_depth, def.max_depth) {
                    let f = self.fail("DepthLimit", path, &self.p(), &self.q_at(self.qoff));
                    self.w.line(format!(
                        "if d + {} > {} then {f} end",
                        self.inline_depth, def.max_depth
                    ));
                }
                let rec = self.record(fields, None, path);
                self.inline_depth -= 1;
                let v = self.fresh("x");
                self.w.line(format!("local {v}: {} = {rec}", def.wire_name));
                v
            }
            Ty::Named(name) => {
                self.flush();
                let (t, idx) = path.template();
                self.w.line(format!("ctxT[d] = {}", lua_string(&t)));
                for (k, i) in idx.iter().take(4).enumerate() {
                    self.w.line(format!("ctxI[d * 4 + {}] = {i}", k + 1));
                }
                let v = self.fresh("x");
                let np = self.fresh("np");
                let nq = self.fresh("nq");
                let lt = self
                    .schema
                    .get(name)
                    .map(|d| d.wire_name.clone())
                    .unwrap_or_else(|| name.clone());
                self.w.line(format!(
                    "local {v}: {lt}, {np}: number, {nq}: number = {}(b, p, q, E)",
                    dec_fn(name, self.large)
                ));
                self.w.line(format!("p, q = {np}, {nq}"));
                self.w.line("lim = E - bit32.rshift(q + 7, 3)");
                self.checked_here();
                v
            }
        }
    }

    fn seq(&mut self, elem: &Ty, n: &str, cap: &str, ty: &Ty, path: &Path) -> String {
        if matches!(elem, Ty::Bool) {
            return self.bools(n, cap, ty, path);
        }
        let t = luau_type(self.schema, ty);
        let v = self.fresh("l");
        self.w
            .line(format!("local {v}: {t} = table.create({cap}) :: any"));
        let i = self.fresh("i");
        self.w.open(format!("for {i} = 1, {n} do"));
        let x = self.value(elem, &path.index(&i));
        self.flush();
        self.w.line(format!("{v}[{i}] = {x}"));
        self.w.close("end");
        v
    }

    /// A sequence of `n` bools (offsets flushed): one bounds check for the
    /// whole run (per element only to name the failing one), then 32 bools
    /// per window with constant masks (`bit32.btest(wx, 2^j)`, unrolled),
    /// the last `n % 32` in a loop.
    fn bools(&mut self, n: &str, cap: &str, ty: &Ty, path: &Path) -> String {
        let t = luau_type(self.schema, ty);
        let i = self.fresh("i");
        let f = Self::fail_stmt(
            "UnexpectedEnd",
            &path.index(&i),
            "p",
            &format!("q + {i} - 1"),
        );
        self.w
            .line(format!("lim = E - bit32.rshift(q + {n} + 7, 3)"));
        self.w.open("if p > lim then");
        self.w.open(format!("for {i} = 1, {n} do"));
        self.w.line(format!(
            "if p > E - bit32.rshift(q + {i} + 7, 3) then {f} end"
        ));
        self.w.close("end");
        self.w.close("end");
        let v = self.fresh("l");
        self.w
            .line(format!("local {v}: {t} = table.create({cap}) :: any"));
        let k = self.fresh("k");
        self.w.line(format!("local {k} = 1"));
        // Windows of the checked run: none starts below its first byte
        // minus 4 (see `open_window`).
        self.pad = self.pad.max(6);
        self.used_window = true;
        let window = "wa = E - 5 - bit32.rshift(q, 3)
        wx = (bit32.byteswap(buffer.readu32(b, wa + 1)) + buffer.readu8(b, wa) * 4294967296) * WSCALE[bit32.band(q, 7) + 1]";
        self.w.open(format!("while {k} + 31 <= {n} do"));
        for l in window.lines() {
            self.w.line(l.trim());
        }
        for j in 0..32u32 {
            let at = if j == 0 {
                k.clone()
            } else {
                format!("{k} + {j}")
            };
            self.w
                .line(format!("{v}[{at}] = bit32.btest(wx, {})", 1u64 << j));
        }
        self.w.line("q += 32");
        self.w.line(format!("{k} += 32"));
        self.w.close("end");
        self.w.open(format!("if {k} <= {n} then"));
        for l in window.lines() {
            self.w.line(l.trim());
        }
        let wv = self.fresh("w");
        let j = self.fresh("j");
        self.w.line(format!("local {wv} = bit32.bor(wx, 0)"));
        self.w.open(format!("for {j} = {k}, {n} do"));
        self.w.line(format!("{v}[{j}] = bit32.band({wv}, 1) ~= 0"));
        self.w.line(format!("{wv} = bit32.rshift({wv}, 1)"));
        self.w.close("end");
        self.w.line(format!("q += {n} - {k} + 1"));
        self.w.close("end");
        self.checked_here();
        v
    }

    fn map(
        &mut self,
        key: &Ty,
        value: Option<&Ty>,
        max_len: Option<u32>,
        ty: &Ty,
        path: &Path,
    ) -> String {
        let n = self.length(max_len, path);
        self.flush();
        let t = luau_type(self.schema, ty);
        let m = self.fresh("m");
        self.w.line(format!("local {m}: {t} = {{}}"));
        let prev = self.fresh("prev");
        let kt = luau_type(self.schema, key);
        let zero = match key {
            Ty::Bool => "false",
            Ty::String { .. } => "\"\"",
            _ => "0",
        };
        self.w.line(format!("local {prev}: {kt} = {zero}"));
        let i = self.fresh("i");
        self.w.open(format!("for {i} = 1, {n} do"));
        let ep = path.index(&i);
        let kp = ep.lit("<key>");
        let k = self.value(key, &kp);
        let bad = if matches!(key, Ty::Bool) {
            format!("({prev} or not {k})")
        } else {
            format!("{k} <= {prev}")
        };
        let f = self.fail("NonCanonical", &kp, &self.p(), &self.q_at(self.qoff));
        self.w.line(format!("if {i} > 1 and {bad} then {f} end"));
        match value {
            Some(vt) => {
                let x = self.value(vt, &ep);
                self.flush();
                self.w.line(format!("{m}[{k}] = {x}"));
            }
            None => {
                self.flush();
                self.w.line(format!("{m}[{k}] = true"));
            }
        }
        self.w.line(format!("{prev} = {k}"));
        self.w.close("end");
        m
    }

    fn roblox(&mut self, r: &RobloxTy, path: &Path) -> String {
        let v = self.fresh("r");
        match r {
            RobloxTy::Vector3(fe) | RobloxTy::Vector2(fe) => {
                let (ctor, comps): (&str, &[&str]) = if matches!(r, RobloxTy::Vector3(_)) {
                    ("Vector3", &["X", "Y", "Z"])
                } else {
                    ("Vector2", &["X", "Y"])
                };
                let mut parts = vec![];
                for c in comps {
                    let cp = path.field(c);
                    parts.push(match fe {
                        FloatEncoding::Full => self.f32(&cp),
                        _ => self.float(FloatTy::F64, fe, &cp),
                    });
                }
                self.w
                    .line(format!("local {v} = {ctor}.new({})", parts.join(", ")));
            }
            RobloxTy::CFrame { lossless } => {
                let mut parts = vec![];
                for _ in 0..(if *lossless { 12 } else { 3 }) {
                    parts.push(self.f32(path));
                }
                if !*lossless {
                    let start = self.qoff;
                    let li = self.fresh("li");
                    let e = self.extract(2);
                    self.w.line(format!("local {li} = {e}"));
                    let mut ls = vec![li];
                    for _ in 0..3 {
                        let l = self.fresh("rl");
                        let e = self.extract(15);
                        self.w.line(format!("local {l} = {e}"));
                        ls.push(l);
                    }
                    self.check_bits(start, path);
                    let f = self.fail("OutOfRange", path, &self.p(), &self.q_at(self.qoff));
                    self.w.line(format!(
                        "if {} > ROT_MAX or {} > ROT_MAX or {} > ROT_MAX then {f} end",
                        ls[1], ls[2], ls[3]
                    ));
                    parts.push(format!("decRot({})", ls.join(", ")));
                }
                self.w
                    .line(format!("local {v} = CFrame.new({})", parts.join(", ")));
            }
            RobloxTy::Color3 { lossless } => {
                let mut parts = vec![];
                for c in ["R", "G", "B"] {
                    if *lossless {
                        parts.push(self.f32(&path.field(c)));
                    } else {
                        let at = self.bytes(1, path);
                        parts.push(format!("buffer.readu8(b, {at}) / 255"));
                    }
                }
                self.w
                    .line(format!("local {v} = Color3.new({})", parts.join(", ")));
            }
            RobloxTy::UDim => {
                let s = self.f32(path);
                let at = self.bytes(4, path);
                self.w.line(format!(
                    "local {v} = UDim.new({s}, buffer.readi32(b, {at}))"
                ));
            }
            RobloxTy::UDim2 => {
                let xs = self.f32(&path.field("X"));
                let xo = self.bytes(4, path);
                let xo_l = self.fresh("o");
                self.w
                    .line(format!("local {xo_l} = buffer.readi32(b, {xo})"));
                let ys = self.f32(&path.field("Y"));
                let yo = self.bytes(4, path);
                self.w.line(format!(
                    "local {v} = UDim2.new({xs}, {xo_l}, {ys}, buffer.readi32(b, {yo}))"
                ));
            }
            RobloxTy::DateTime => {
                let ms = self.int(IntTy::I64, &IntEncoding::Fixed, path);
                self.w.line(format!(
                    "local {v} = DateTime.fromUnixTimestampMillis({ms})"
                ));
            }
            RobloxTy::EnumItem { enum_name } => {
                let n = self.int(IntTy::U16, &IntEncoding::Fixed, path);
                let it = self.fresh("it");
                self.w.line(format!(
                    "local {it} = (Enum :: any).{enum_name}:FromValue({n})"
                ));
                let f = self.fail("InvalidTag", path, &self.p(), &self.q_at(self.qoff));
                self.w.line(format!("if {it} == nil then {f} end"));
                self.w.line(format!("local {v}: EnumItem = {it}"));
            }
            RobloxTy::Instance => {
                self.w.line("dInstN += 1");
                let raw = self.fresh("raw");
                self.w.line(format!("local {raw} = dInst[dInstN]"));
                self.w.line(format!(
                    "local {v}: Instance? = if typeof({raw}) == \"Instance\" then {raw} :: any else nil"
                ));
            }
        }
        v
    }

    /// The record constructor of a field list (encoded fields only).
    fn record(
        &mut self,
        fields: &skyrocket_schema::Fields,
        tag: Option<&str>,
        path: &Path,
    ) -> String {
        if let Some(segments) = crate::segments(self.schema, &self.inline, fields) {
            return self.segmented_record(segments, tag, path);
        }
        let mut parts = vec![];
        if let Some(tag) = tag {
            parts.push(format!("{} = {}", crate::types::TAG_FIELD, lua_string(tag)));
        }
        for f in fields.encoded() {
            let x = self.value(&f.ty, &path.field(&f.wire_name));
            parts.push(format!("{} = {x}", field_key(&f.wire_name)));
        }
        if parts.is_empty() {
            "{}".into()
        } else {
            format!("{{ {} }}", parts.join(", "))
        }
    }

    /// A record too wide for one constructor within Luau's 200 locals per
    /// function: filled a `do ... end` segment of fields at a time, each
    /// ending its run (bounds checks, offsets) so its locals die at `end`.
    fn segmented_record(
        &mut self,
        segments: Vec<Vec<&skyrocket_schema::Field>>,
        tag: Option<&str>,
        path: &Path,
    ) -> String {
        self.flush();
        let r = self.fresh("rec");
        self.w.line(format!("local {r}: any = {{}}"));
        if let Some(tag) = tag {
            self.w.line(format!(
                "{} = {}",
                field_access(&r, crate::types::TAG_FIELD),
                lua_string(tag)
            ));
        }
        for segment in segments {
            self.w.open("do");
            let values: Vec<(String, String)> = segment
                .into_iter()
                .map(|f| {
                    (
                        f.wire_name.clone(),
                        self.value(&f.ty, &path.field(&f.wire_name)),
                    )
                })
                .collect();
            self.flush();
            for (name, x) in values {
                self.w.line(format!("{} = {x}", field_access(&r, &name)));
            }
            self.w.close("end");
        }
        r
    }
}

/// Emits `dec_T` for one schema type (assigning the forward-declared local);
/// `entry` is its static entry-depth bound ([`crate::entry_depths`]).
/// Returns how many bytes before the message its windows may read.
pub fn emit_decoder(
    w: &mut Writer,
    schema: &Schema,
    def: &TypeDef,
    large: bool,
    entry: Option<u32>,
) -> u64 {
    let t = &def.wire_name;
    let mut d = Dec::new(schema, large);
    d.entry = entry;
    let root = Path::new();
    match &def.kind {
        TypeKind::Struct(fields) => {
            let rec = d.record(fields, None, &root);
            d.flush_bits();
            d.close_bytes();
            d.w.line("dDepth = d - 1");
            let (p, q) = (d.p(), d.q_at(d.qoff));
            d.w.line(format!("return {rec}, {p}, {q}"));
        }
        TypeKind::Enum(variants) => {
            let tb = bits_for_count(variants.len() as u128);
            let tag = if tb == 0 {
                "0".to_owned()
            } else {
                d.bits(tb, &root)
            };
            if variants.len() > 1 && !variants.len().is_power_of_two() {
                let f = d.fail("InvalidTag", &root, &d.p(), &d.q_at(d.qoff));
                d.w.line(format!("if {tag} >= {} then {f} end", variants.len()));
            }
            if variants.is_empty() {
                let f = d.fail("InvalidTag", &root, "p", "q");
                d.w.line(f);
                d.w.line("error(\"unreachable\")");
            } else if is_string_enum(def) {
                d.flush_bits();
                d.close_bytes();
                d.w.line("dDepth = d - 1");
                let (p, q) = (d.p(), d.q_at(d.qoff));
                let sep = if large { "." } else { "_" };
                d.w.line(format!(
                    "return NAMES{sep}{}[{tag} + 1], {p}, {q}",
                    def.name
                ));
            } else {
                d.flush();
                for (i, var) in variants.iter().enumerate() {
                    if i == 0 {
                        d.w.open(format!("if {tag} == {i} then"));
                    } else if i + 1 == variants.len() {
                        d.w.reopen("else");
                    } else {
                        d.w.reopen(format!("elseif {tag} == {i} then"));
                    }
                    let rec = d.record(
                        &var.fields,
                        Some(&var.wire_name),
                        &root.field(&var.wire_name),
                    );
                    d.flush_bits();
                    d.close_bytes();
                    d.w.line("dDepth = d - 1");
                    let (p, q) = (d.p(), d.q_at(d.qoff));
                    d.w.line(format!("return {rec}, {p}, {q}"));
                    d.pend = 0;
                    d.qoff = 0;
                    d.win = None;
                    d.checked_here();
                }
                d.w.close("end");
            }
        }
    }
    w.open(format!(
        "{} = function(b: buffer, p: number, q: number, E: number): ({t}, number, number)",
        dec_fn(&def.name, large)
    ));
    w.line("local d = dDepth + 1");
    w.line("dDepth = d");
    if !d.depth_ok(0, def.max_depth) {
        w.line(format!(
            "if d > {} then fail(\"DepthLimit\", \"\", p, q) end",
            def.max_depth
        ));
    }
    w.line("local lim = E - bit32.rshift(q + 7, 3)");
    if d.used_window {
        w.line("local wa, wx, ws = 0, 0, 0");
    }
    let pad = d.pad;
    w.append(d.w);
    w.close("end");
    pad
}

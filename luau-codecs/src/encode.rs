//! Encoder emission: one `enc_T` Luau function per schema type.
//!
//! Generated encoders keep the writer state in locals threaded through
//! calls: `b` (scratch buffer), `p` (byte-section cursor), `acc`/`na` (up to
//! 31 pending bit-section bits, as the integer part of `acc`, and their
//! count) and `bp` (start of the flushed bit-section words, which grow
//! backward from the end of `b`).
//! Straight-line runs of fields form *chunks*: one capacity check per chunk,
//! byte writes at static offsets from `p`, and the chunk's bit fields packed
//! at static offsets into 32-bit words (see [`Enc::flush_group`]).

use skyrocket_schema::{
    bits_for_count, length_bits, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Schema, Ty,
    TypeDef, TypeKind,
};

use crate::emit::{field_access, lua_int, lua_number, lua_string, Placeholder, Writer};
use crate::path::Path;
use crate::types::{is_string_enum, luau_type};
use crate::{neg, SAFE_INT};

/// Whether a fixed array of this element type is unrolled (scalars only).
pub fn unrollable(elem: &Ty) -> bool {
    matches!(elem, Ty::Bool | Ty::Int(..) | Ty::Float(..) | Ty::Unit)
}

/// The encoder function of a named type: a local, or an entry of the
/// `ENC` table in large schemas (Luau allows 200 locals per function).
pub fn enc_fn(name: &str, large: bool) -> String {
    if large {
        format!("ENC.{name}")
    } else {
        format!("enc_{name}")
    }
}

/// A queued bit-section field.
struct Bits {
    expr: String,
    w: u32,
    /// `false`: `expr` may be a non-integer in `[0, 2^w)`, to be truncated
    /// by the `bit32` operation that places it in its word.
    integral: bool,
    /// A bool field: `expr` is the Luau value, placed as `if expr then
    /// <its bit> else 0` (no 0/1 local, no shift).
    boolean: bool,
}

/// `2^-32`, exactly (the shortest literal that reads back as it).
const INV_2_32: &str = "2.3283064365386963e-10";

/// `parts` (non-overlapping bit fields of one word) OR-ed by `bit32.bor`
/// calls of at most five arguments (native code inlines those; an
/// interpreter pays per call, not per argument).
fn bor_tree(parts: &[String]) -> String {
    const MAX_ARGS: usize = 5;
    if parts.len() == 1 {
        return parts[0].clone();
    }
    if parts.len() <= MAX_ARGS {
        return format!("bit32.bor({})", parts.join(", "));
    }
    let (head, rest) = parts.split_at(MAX_ARGS - 1);
    format!("bit32.bor({}, {})", head.join(", "), bor_tree(rest))
}

struct Chunk {
    at: Placeholder,
    bytes: u64,
    bits: u64,
}

/// Encoder generator for one function.
pub struct Enc<'a> {
    schema: &'a Schema,
    /// Output.
    pub w: &'a mut Writer,
    tmp: usize,
    chunk: Option<Chunk>,
    pend: u64,
    group: Vec<Bits>,
    group_bits: u64,
    root: String,
    large: bool,
    inline: std::collections::HashSet<String>,
    /// Deferred integer checks (condition, error statement), emitted
    /// together by [`Enc::flush_checks`].
    checks: Vec<(String, String)>,
    /// Number of [`Enc::end_chunk`] calls: unchanged across a list element
    /// means the element is one straight-line chunk.
    barriers: usize,
    /// Whether the local `pw` holds `2^na` here (statically: it is
    /// maintained by word pushes and lost at control flow and at any other
    /// change of `na`).
    pw_valid: bool,
    /// Number of changes of `na` that do not maintain `pw`.
    pw_losses: usize,
    /// Every `pw = POW2[na + 1]` emitted, in order (a list loop may hoist
    /// its body's only one).
    pw_loads: Vec<Placeholder>,
    /// Whether `pw` is used outside those (the local must be declared).
    pw_used: bool,
}

impl<'a> Enc<'a> {
    fn new(schema: &'a Schema, w: &'a mut Writer, root: &str, large: bool) -> Self {
        Enc {
            schema,
            w,
            tmp: 0,
            chunk: None,
            pend: 0,
            group: vec![],
            group_bits: 0,
            root: root.to_owned(),
            large,
            inline: crate::inlinable(schema),
            checks: vec![],
            barriers: 0,
            pw_valid: false,
            pw_losses: 0,
            pw_loads: vec![],
            pw_used: false,
        }
    }

    /// Records a change of `na` that leaves `pw` stale.
    fn lose_pw(&mut self) {
        self.pw_valid = false;
        self.pw_losses += 1;
    }

    /// Emits the deferred integer checks as one `if` (the common case: all
    /// valid) that re-tests them in field order to raise the first error.
    fn flush_checks(&mut self) {
        let checks = std::mem::take(&mut self.checks);
        match checks.len() {
            0 => {}
            1 => {
                let (c, e) = &checks[0];
                self.w.line(format!("if {c} then {e} end"));
            }
            _ => {
                let conds: Vec<&str> = checks.iter().map(|(c, _)| c.as_str()).collect();
                self.w.open(format!("if {} then", conds.join(" or ")));
                for (c, e) in &checks {
                    self.w.line(format!("if {c} then {e} end"));
                }
                self.w.close("end");
            }
        }
    }

    fn fresh(&mut self, base: &str) -> String {
        self.tmp += 1;
        format!("{base}{}", self.tmp)
    }

    fn chunk(&mut self) -> &mut Chunk {
        if self.chunk.is_none() {
            let at = self.w.placeholder();
            self.chunk = Some(Chunk {
                at,
                bytes: 0,
                bits: 0,
            });
        }
        self.chunk.as_mut().expect("chunk")
    }

    /// Ends the current straight-line run: pending bits pushed, `p`
    /// advanced, and the chunk's capacity check filled in.
    fn end_chunk(&mut self) {
        self.barriers += 1;
        self.flush_checks();
        self.flush_group();
        if self.pend > 0 {
            self.w.line(format!("p += {}", self.pend));
            self.pend = 0;
        }
        if let Some(c) = self.chunk.take() {
            if c.bytes + c.bits > 0 {
                let need = c.bytes + c.bits.div_ceil(8) + 4;
                self.w.patch(
                    c.at,
                    format!("if bp - p < {need} then b, bp = grow(b, p, bp, {need}) end"),
                );
            }
        }
        // Control flow follows.
        self.pw_valid = false;
    }

    fn pos(&self) -> String {
        if self.pend == 0 {
            "p".into()
        } else {
            format!("p + {}", self.pend)
        }
    }

    /// Reserves `n` byte-section bytes and returns the position expression.
    fn bytes(&mut self, n: u64) -> String {
        self.chunk().bytes += n;
        let at = self.pos();
        self.pend += n;
        at
    }

    /// Queues `w` (<= 32) bits held by `expr` (a side-effect-free
    /// expression of an integer in `0..2^w`, unchanged until the chunk ends).
    fn bits(&mut self, expr: &str, w: u32) {
        self.bits_of(expr, w, true);
    }

    /// [`Enc::bits`] for an `expr` that may also be a non-integer below
    /// `2^w` (`integral = false`), meaning its integer part.
    fn bits_of(&mut self, expr: &str, w: u32, integral: bool) {
        if w == 0 {
            return;
        }
        debug_assert!(w <= 32);
        self.chunk().bits += w as u64;
        self.group.push(Bits {
            expr: expr.to_owned(),
            w,
            integral,
            boolean: false,
        });
        self.group_bits += w as u64;
    }

    /// Pushes the queued bit fields into the bit section. Their offsets
    /// within the run are static, so the run is cut into 32-bit words at
    /// generation time (constant shifts only); only the run's start `na`
    /// is dynamic. A word is placed with exact double arithmetic:
    /// `t = word * pw` with `pw = 2^na` (< 2^63, exact); `bit32` takes its
    /// low 32 bits (it converts through a 64-bit integer, in the VM and in
    /// native code on x64 and arm64), which complete the pending `acc`
    /// (< 2^na) into a whole word; `t * 2^-32` is the next `acc`. That
    /// `acc` keeps the word's low bits as a fraction: it is only ever read
    /// through `bit32`, which truncates. Full words need no overflow test;
    /// only the last partial word has one. `pw` is kept beside `na` (a
    /// multiplication by a constant) rather than looked up in `POW2` per
    /// run: in a list of records the lookup moves before the loop.
    fn flush_group(&mut self) {
        if self.group.is_empty() {
            return;
        }
        let group = std::mem::take(&mut self.group);
        let total = self.group_bits;
        self.group_bits = 0;
        let nwords = total.div_ceil(32) as usize;
        let mut words: Vec<Vec<String>> = vec![vec![]; nwords];
        let mut bare: Vec<Option<&Bits>> = vec![None; nwords];
        let mut off = 0u64;
        for f in &group {
            let k = (off / 32) as usize;
            let s = off % 32;
            if f.boolean {
                words[k].push(format!("(if {} then {} else 0)", f.expr, 1u64 << s));
            } else if s == 0 {
                words[k].push(f.expr.clone());
                bare[k] = Some(f);
            } else {
                words[k].push(format!("bit32.lshift({}, {s})", f.expr));
            }
            if s + f.w as u64 > 32 {
                words[k + 1].push(format!("bit32.rshift({}, {})", f.expr, 32 - s));
            }
            off += f.w as u64;
        }
        if !self.pw_valid {
            let at = self.w.placeholder();
            self.w.patch(at, "pw = POW2[na + 1]");
            self.pw_loads.push(at);
            self.pw_valid = true;
        }
        self.w.open("do");
        for (k, parts) in words.iter().enumerate() {
            let mut word = bor_tree(parts);
            if parts.len() == 1 && bare[k].is_some_and(|f| !f.integral) {
                word = format!("bit32.bor({word}, 0)");
            }
            let decl = if k == 0 { "local " } else { "" };
            self.w.line(format!("{decl}t = {word} * pw"));
            let bits = (total - 32 * k as u64).min(32);
            if bits == 32 {
                self.emit_word("bit32.bor(acc, t)");
                self.w.line(format!("acc = t * {INV_2_32}"));
            } else {
                self.w.line(format!("na += {bits}"));
                self.w.open("if na >= 32 then");
                self.emit_word("bit32.bor(acc, t)");
                self.w.line(format!("acc = t * {INV_2_32}"));
                self.w.line("na -= 32");
                self.w
                    .line(format!("pw *= {}", lua_number(2f64.powi(bits as i32 - 32))));
                self.w.reopen("else");
                self.w.line("acc = bit32.bor(acc, t)");
                self.w
                    .line(format!("pw *= {}", lua_number(2f64.powi(bits as i32))));
                self.w.close("end");
            }
        }
        self.w.close("end");
    }

    /// Writes one finished bit-section word (a `u32` expression).
    fn emit_word(&mut self, word: &str) {
        self.w.line("bp -= 4");
        self.w
            .line(format!("buffer.writeu32(b, bp, bit32.byteswap({word}))"));
    }

    /// The accumulator push of `w` bits held in local `x`.
    fn push_acc(&mut self, x: &str, w: u32) {
        self.lose_pw();
        self.w
            .line(format!("acc = bit32.bor(acc, bit32.lshift({x}, na))"));
        self.w.line(format!("na += {w}"));
        self.w.open("if na >= 32 then");
        self.w.line("bp -= 4");
        self.w.line("buffer.writeu32(b, bp, bit32.byteswap(acc))");
        self.w.line("na -= 32");
        self.w.line(format!("acc = bit32.rshift({x}, {w} - na)"));
        self.w.close("end");
    }

    /// An error statement; deferred integer checks are emitted first so
    /// errors keep their field order.
    fn err(&mut self, path: &Path, msg: &str) -> String {
        self.flush_checks();
        self.err_stmt(path, msg)
    }

    fn err_stmt(&self, path: &Path, msg: &str) -> String {
        format!("encErr({}, {msg})", path.expr(&self.root))
    }

    /// Binds `expr` to a fresh local unless it already is a plain name.
    fn bind(&mut self, expr: &str, base: &str) -> String {
        if expr.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return expr.to_owned();
        }
        let l = self.fresh(base);
        self.w.line(format!("local {l} = {expr}"));
        l
    }

    /// Queues the check that `x` is an integer in `lo..=hi` (see
    /// [`Enc::flush_checks`]). For `lo == 0` and `hi < 2^32` the test is
    /// `bit32.band(x, mask) ~= x`: `bit32` truncates to an integer modulo
    /// 2^32, so the result equals `x` exactly when `x` is an integer in
    /// `0..=mask` (NaN, fractions, negatives and large values all differ).
    fn check_int(&mut self, x: &str, lo: i128, hi: i128, path: &Path) {
        let lo = lo.max(-SAFE_INT);
        let hi = hi.min(SAFE_INT);
        let msg = format!(
            "\"value \" .. tostring({x}) .. \" is not an integer in {}..={}\"",
            lo, hi
        );
        let e = self.err_stmt(path, &msg);
        let cond = if lo == 0 && hi < 1 << 32 {
            let mask = (hi as u64 + 1).next_power_of_two() - 1;
            if mask == hi as u64 {
                format!("bit32.band({x}, {mask}) ~= {x}")
            } else {
                format!("bit32.band({x}, {mask}) ~= {x} or {x} > {hi}")
            }
        } else {
            format!(
                "{x} ~= {x} // 1 or {x} < {} or {x} > {}",
                neg(&lua_int(lo)),
                neg(&lua_int(hi))
            )
        };
        self.checks.push((cond, e));
    }

    /// Writes the unsigned integer local `o` (exact, < 2^53) in `w` bits.
    fn sized(&mut self, o: &str, w: u32) {
        match w {
            0 => {}
            8 | 16 | 32 => {
                let at = self.bytes(w as u64 / 8);
                self.w.line(format!("buffer.writeu{w}(b, {at}, {o})"));
            }
            64 => {
                let lo = self.fresh("lo");
                self.w.line(format!("local {lo} = {o} % 4294967296"));
                let at = self.bytes(8);
                self.w.line(format!("buffer.writeu32(b, {at}, {lo})"));
                self.w.line(format!(
                    "buffer.writeu32(b, {at} + 4, ({o} - {lo}) / 4294967296)"
                ));
            }
            w if w <= 32 => self.bits(o, w),
            w => {
                let lo = self.fresh("lo");
                let hi = self.fresh("hi");
                self.w.line(format!("local {lo} = {o} % 4294967296"));
                self.w
                    .line(format!("local {hi} = ({o} - {lo}) / 4294967296"));
                self.bits(&lo, 32);
                self.bits(&hi, w - 32);
            }
        }
    }

    fn f32(&mut self, x: &str) {
        let at = self.bytes(4);
        self.w.line(format!(
            "if {x} ~= {x} then buffer.writeu32(b, {at}, 0x7FC00000) else buffer.writef32(b, {at}, {x}) end"
        ));
    }

    fn f64(&mut self, x: &str) {
        let at = self.bytes(8);
        self.w.line(format!(
            "if {x} ~= {x} then buffer.writeu32(b, {at}, 0); buffer.writeu32(b, {at} + 4, 0x7FF80000) else buffer.writef64(b, {at}, {x}) end"
        ));
    }

    fn float(&mut self, ft: FloatTy, fe: &FloatEncoding, expr: &str) {
        let x = self.bind(expr, "x");
        match fe {
            FloatEncoding::Full => match ft {
                FloatTy::F32 => self.f32(&x),
                FloatTy::F64 => self.f64(&x),
            },
            FloatEncoding::Half => {
                let at = self.bytes(2);
                let v = match ft {
                    FloatTy::F32 => format!("toHalf(vector.create({x}, 0, 0).x)"),
                    FloatTy::F64 => format!("toHalf({x})"),
                };
                self.w.line(format!("buffer.writeu16(b, {at}, {v})"));
            }
            FloatEncoding::Quantized(q) => {
                let v = match ft {
                    FloatTy::F32 => format!("vector.create({x}, 0, 0).x"),
                    FloatTy::F64 => x.clone(),
                };
                let l = self.fresh("q");
                let top = (q.levels() - 1) as f64;
                // Dividing by a power of two equals multiplying by its
                // (exact) reciprocal: both round the exact quotient once.
                let (m, f) = frexp(q.step);
                let scale = if m == 0.5 && (-1000..=1000).contains(&f) {
                    format!("* {}", lua_number(1.0 / q.step))
                } else {
                    format!("/ {}", neg(&lua_number(q.step)))
                };
                // `x - 0` is `x` for every x (-0 - 0 is -0).
                let off = if q.min == 0.0 && q.min.is_sign_positive() {
                    v
                } else {
                    format!("({v} - {})", neg(&lua_number(q.min)))
                };
                let w = q.bits();
                let top = lua_number(top);
                if w < 32 && !matches!(w, 0 | 8 | 16) {
                    // Bit section: the word's `bit32` operation truncates,
                    // and for the clamped value (`0 <= y <= top`)
                    // truncation is `floor`: no `math.floor` needed. NaN
                    // stays NaN through `math.clamp` and `bit32` turns it
                    // into 0 (its conversion goes through a 64-bit integer:
                    // x64 gives 2^63, arm64 0; low 32 bits 0 either way).
                    // One builtin, not `math.min(math.max(..))`: 7 % faster
                    // for Arena, interpreted and native.
                    self.w.line(format!(
                        "local {l} = math.clamp({off} {scale} + 0.5, 0, {top})"
                    ));
                    self.bits_of(&l, w, false);
                } else {
                    // `math.max(0, y)` is 0 for NaN (the first argument
                    // wins unless the second is greater, in the VM and in
                    // native code alike): buffer writes get an integer.
                    self.w.line(format!(
                        "local {l} = math.min(math.max(0, math.floor({off} {scale} + 0.5)), {top})"
                    ));
                    self.sized(&l, w);
                }
            }
        }
    }

    fn int(&mut self, it: IntTy, ie: &IntEncoding, expr: &str, path: &Path) {
        let x = self.bind(expr, "x");
        match ie {
            IntEncoding::Fixed => {
                self.check_int(&x, it.min_value(), it.max_value(), path);
                let bits = it.bits();
                let s = if it.signed() { "i" } else { "u" };
                if bits == 64 {
                    let lo = self.fresh("lo");
                    self.w.line(format!("local {lo} = {x} % 4294967296"));
                    let at = self.bytes(8);
                    self.w.line(format!("buffer.writeu32(b, {at}, {lo})"));
                    self.w.line(format!(
                        "buffer.write{s}32(b, {at} + 4, ({x} - {lo}) / 4294967296)"
                    ));
                } else {
                    let at = self.bytes(bits as u64 / 8);
                    self.w.line(format!("buffer.write{s}{bits}(b, {at}, {x})"));
                }
            }
            IntEncoding::Range { lo, hi } => {
                let (lo, hi) = (*lo, *hi);
                self.check_int(&x, lo, hi, path);
                let w = bits_for_count((hi - lo) as u128 + 1);
                if w == 0 {
                    return;
                }
                if lo.abs() <= SAFE_INT && hi.abs() <= SAFE_INT && w <= 53 {
                    let o = if lo == 0 {
                        x.clone()
                    } else {
                        let o = self.fresh("o");
                        self.w
                            .line(format!("local {o} = {x} - {}", neg(&lua_int(lo))));
                        o
                    };
                    self.sized(&o, w);
                } else {
                    let ol = self.fresh("ol");
                    let oh = self.fresh("oh");
                    self.w.line(format!(
                        "local {ol}, {oh} = wideSub({x}, {}, {})",
                        neg(&lua_int(lo.div_euclid(1 << 32))),
                        lo.rem_euclid(1 << 32)
                    ));
                    if w == 64 {
                        let at = self.bytes(8);
                        self.w.line(format!("buffer.writeu32(b, {at}, {ol})"));
                        self.w.line(format!("buffer.writeu32(b, {at} + 4, {oh})"));
                    } else if w <= 32 {
                        self.sized(&ol, w);
                    } else {
                        self.bits(&ol, 32);
                        self.bits(&oh, w - 32);
                    }
                }
            }
            IntEncoding::Varint => {
                self.check_int(&x, it.min_value(), it.max_value(), path);
                let g = self.fresh("g");
                let z = self.fresh("z");
                if !it.signed() {
                    self.w.line(format!("local {g} = {x} % 128"));
                    self.w.line(format!("local {z} = ({x} - {g}) / 128"));
                } else if it.bits() < 64 {
                    let zz = self.fresh("zz");
                    self.w.line(format!(
                        "local {zz} = if {x} >= 0 then {x} * 2 else -{x} * 2 - 1"
                    ));
                    self.w.line(format!("local {g} = {zz} % 128"));
                    self.w.line(format!("local {z} = ({zz} - {g}) / 128"));
                } else {
                    self.w.line(format!("local {g}, {z} = zigzag64({x})"));
                }
                // The varint loop only terminates for valid values.
                self.flush_checks();
                self.varint(&g, &z, it.bits());
            }
        }
    }

    /// Writes a varint whose first group payload is local `g` and whose
    /// remaining value (already divided by 128) is local `z`.
    fn varint(&mut self, g: &str, z: &str, type_bits: u32) {
        self.flush_group();
        let groups = type_bits.div_ceil(7);
        self.chunk().bits += 8 * groups as u64;
        self.w.open("while true do");
        let c = self.fresh("c");
        self.w
            .line(format!("local {c} = if {z} > 0 then {g} + 128 else {g}"));
        self.push_acc(&c, 8);
        self.w.line(format!("if {z} == 0 then break end"));
        self.w.line(format!("{g} = {z} % 128"));
        self.w.line(format!("{z} = ({z} - {g}) / 128"));
        self.w.close("end");
    }

    /// Writes a collection length `n` (a local) after checking `max_len`.
    fn length(&mut self, n: &str, max_len: Option<u32>, path: &Path) {
        match max_len {
            Some(m) => {
                let e = self.err(
                    path,
                    &format!("\"length \" .. tostring({n}) .. \" is above max_len {m}\""),
                );
                self.w.line(format!("if {n} > {m} then {e} end"));
                self.bits(n, length_bits(m));
            }
            None => {
                let g = self.fresh("g");
                let z = self.fresh("z");
                self.w.line(format!("local {g} = {n} % 128"));
                self.w.line(format!("local {z} = ({n} - {g}) / 128"));
                self.varint(&g, &z, 32);
            }
        }
    }

    /// Emits the fields of struct value `obj`. Fields whose locals would
    /// approach Luau's 200 per function ([`crate::local_cost`]) go in
    /// `do ... end` blocks, each ending its run (checks, bit words, `p`) so
    /// that its locals die at `end`.
    fn fields(&mut self, fields: &skyrocket_schema::Fields, obj: &str, path: &Path) {
        let Some(segments) = crate::segments(self.schema, &self.inline, fields) else {
            for f in fields.encoded() {
                self.value(
                    &f.ty,
                    &field_access(obj, &f.wire_name),
                    &path.field(&f.wire_name),
                );
            }
            return;
        };
        for segment in segments {
            self.w.open("do");
            for f in segment {
                self.value(
                    &f.ty,
                    &field_access(obj, &f.wire_name),
                    &path.field(&f.wire_name),
                );
            }
            self.end_chunk();
            self.w.close("end");
        }
    }

    /// Emits the encoding of `expr` (a Luau expression of the Luau
    /// representation of `ty`).
    pub fn value(&mut self, ty: &Ty, expr: &str, path: &Path) {
        if !matches!(
            ty,
            Ty::Unit | Ty::Bool | Ty::Int(..) | Ty::Float(..) | Ty::Boxed(_) | Ty::Named(_)
        ) {
            // Length and field accesses raise on wrong values: earlier
            // errors first.
            self.flush_checks();
        }
        match ty {
            Ty::Unit => {}
            Ty::Bool => {
                let x = self.bind(expr, "x");
                self.chunk().bits += 1;
                self.group.push(Bits {
                    expr: x,
                    w: 1,
                    integral: true,
                    boolean: true,
                });
                self.group_bits += 1;
            }
            Ty::Int(it, ie) => self.int(*it, ie, expr, path),
            Ty::Float(ft, fe) => self.float(*ft, fe, expr),
            Ty::String { max_len } => {
                let s = self.bind(expr, "s");
                let n = self.fresh("n");
                self.w.line(format!("local {n} = #{s}"));
                let e = self.err(path, "\"invalid UTF-8\"");
                self.w.line(format!(
                    "if utf8.len({s}) == nil or string.find({s}, \"\\237[\\160-\\191]\") then {e} end"
                ));
                self.length(&n, *max_len, path);
                self.end_chunk();
                self.w.line(format!(
                    "if bp - p < {n} + 4 then b, bp = grow(b, p, bp, {n} + 4) end"
                ));
                self.w.line(format!("buffer.writestring(b, p, {s})"));
                self.w.line(format!("p += {n}"));
            }
            Ty::Bytes { max_len } => {
                let s = self.bind(expr, "s");
                let n = self.fresh("n");
                self.w.line(format!("local {n} = buffer.len({s})"));
                self.length(&n, *max_len, path);
                self.end_chunk();
                self.w.line(format!(
                    "if bp - p < {n} + 4 then b, bp = grow(b, p, bp, {n} + 4) end"
                ));
                self.w.line(format!("buffer.copy(b, p, {s}, 0, {n})"));
                self.w.line(format!("p += {n}"));
            }
            Ty::ByteArray(len) => {
                let s = self.bind(expr, "s");
                let e = self.err(
                    path,
                    &format!(
                        "\"buffer length \" .. tostring(buffer.len({s})) .. \" is not {len}\""
                    ),
                );
                self.w
                    .line(format!("if buffer.len({s}) ~= {len} then {e} end"));
                let at = self.bytes(*len as u64);
                self.w.line(format!("buffer.copy(b, {at}, {s}, 0, {len})"));
            }
            Ty::Option(inner) => {
                let x = self.bind(expr, "x");
                let bit = self.fresh("t");
                self.w
                    .line(format!("local {bit} = if {x} ~= nil then 1 else 0"));
                self.bits(&bit, 1);
                self.end_chunk();
                self.w.open(format!("if {x} ~= nil then"));
                self.value(inner, &x, path);
                self.end_chunk();
                self.w.close("end");
            }
            Ty::Boxed(inner) => self.value(inner, expr, path),
            Ty::List { elem, max_len } => {
                let x = self.bind(expr, "list");
                let n = self.fresh("n");
                self.w.line(format!("local {n} = #{x}"));
                self.length(&n, *max_len, path);
                self.end_chunk();
                let i = self.fresh("i");
                if matches!(**elem, Ty::Bool) {
                    self.bools(&x, &i, &n);
                    return;
                }
                self.each(&i, &n, |e| {
                    let elem_path = path.index(&i);
                    e.value(elem, &format!("{x}[{i}]"), &elem_path);
                });
            }
            Ty::Array { elem, len } if *len <= 8 && unrollable(elem) => {
                let x = self.bind(expr, "arr");
                let e = self.err(
                    path,
                    &format!("\"array length \" .. tostring(#{x}) .. \" is not {len}\""),
                );
                self.w.line(format!("if #{x} ~= {len} then {e} end"));
                for k in 1..=*len {
                    self.value(elem, &format!("{x}[{k}]"), &path.lit(&format!("[{k}]")));
                }
            }
            Ty::Array { elem, len } => {
                let x = self.bind(expr, "arr");
                let e = self.err(
                    path,
                    &format!("\"array length \" .. tostring(#{x}) .. \" is not {len}\""),
                );
                self.w.line(format!("if #{x} ~= {len} then {e} end"));
                self.end_chunk();
                let i = self.fresh("i");
                if matches!(**elem, Ty::Bool) {
                    self.bools(&x, &i, &len.to_string());
                    return;
                }
                self.each(&i, &len.to_string(), |e| {
                    let elem_path = path.index(&i);
                    e.value(elem, &format!("{x}[{i}]"), &elem_path);
                });
            }
            Ty::Tuple(elems) => {
                let x = self.bind(expr, "tup");
                for (k, e) in elems.iter().enumerate() {
                    let el = self.fresh("e");
                    self.w.line(format!("local {el} = {x}[{}] :: any", k + 1));
                    self.value(e, &el, &path.lit(&format!("[{}]", k + 1)));
                }
            }
            Ty::Map {
                key,
                value,
                max_len,
                ..
            } => self.map(key, Some(value), *max_len, expr, path),
            Ty::Set { elem, max_len, .. } => self.map(elem, None, *max_len, expr, path),
            Ty::Roblox(r) => self.roblox(r, expr, path),
            Ty::Named(name) if self.inline.contains(name) => {
                let x = self.bind(expr, "x");
                let schema = self.schema;
                match schema.get(name).map(|d| &d.kind) {
                    Some(TypeKind::Struct(fields)) => {
                        self.flush_checks();
                        self.fields(fields, &x, path);
                    }
                    Some(TypeKind::Enum(vs)) => {
                        let tag = self.fresh("tag");
                        let sep = if self.large { "." } else { "_" };
                        self.w.line(format!("local {tag} = TAGS{sep}{name}[{x}]"));
                        let msg = self.err(path, &format!("\"unknown variant \" .. tostring({x})"));
                        self.w.line(format!("if {tag} == nil then {msg} end"));
                        self.bits(&tag, bits_for_count(vs.len() as u128));
                    }
                    None => {}
                }
            }
            Ty::Named(name) => {
                let x = self.bind(expr, "x");
                self.end_chunk();
                self.w.line(format!(
                    "b, p, acc, na, bp = {}({x}, b, p, acc, na, bp)",
                    enc_fn(name, self.large)
                ));
                self.lose_pw();
            }
        }
    }

    /// `n` bools of list `x` (chunk ended): one capacity check; each 32
    /// bools become one word (a sum of constants) pushed like a full word
    /// of [`Enc::flush_group`], which leaves `na` and `pw` as they are; the
    /// last `n % 32` go one bit each into the accumulator.
    fn bools(&mut self, x: &str, i: &str, n: &str) {
        let need = self.fresh("need");
        self.w.line(format!(
            "local {need} = ({n} + 7) // 8 + 4; if bp - p < {need} then b, bp = grow(b, p, bp, {need}) end"
        ));
        if !self.pw_valid {
            self.w.line("pw = POW2[na + 1]");
            self.pw_valid = true;
            self.pw_used = true;
        }
        let k = self.fresh("k");
        self.w.line(format!("local {k} = 1"));
        self.w.open(format!("while {k} + 31 <= {n} do"));
        let terms: Vec<String> = (0..32u32)
            .map(|j| {
                let at = if j == 0 {
                    k.clone()
                } else {
                    format!("{k} + {j}")
                };
                format!("(if {x}[{at}] then {} else 0)", 1u64 << j)
            })
            .collect();
        self.w
            .line(format!("local t = ({}) * pw", terms.join(" + ")));
        self.emit_word("bit32.bor(acc, t)");
        self.w.line(format!("acc = t * {INV_2_32}"));
        self.w.line(format!("{k} += 32"));
        self.w.close("end");
        self.lose_pw();
        self.w.open(format!("for {i} = {k}, {n} do"));
        self.w.line(format!(
            "if {x}[{i}] then acc = bit32.bor(acc, bit32.lshift(1, na)) end"
        ));
        self.w.line("na += 1");
        self.w.open("if na >= 32 then");
        self.w.line("bp -= 4");
        self.w.line("buffer.writeu32(b, bp, bit32.byteswap(acc))");
        self.w.line("na = 0");
        self.w.line("acc = 0");
        self.w.close("end");
        self.w.close("end");
    }

    /// A `for {i} = 1, {n}` loop whose body `body` emits. When the body is
    /// one straight-line chunk (fixed maximum size per element), its
    /// capacity check moves before the loop, sized for all `n` elements.
    ///
    /// `pw` then also needs only one `POW2` lookup, before the loop: the
    /// body's word pushes keep it equal to `2^na` from one element to the
    /// next.
    fn each(&mut self, i: &str, n: &str, body: impl FnOnce(&mut Self)) {
        let before = self.w.placeholder();
        let before_pw = self.w.placeholder();
        self.w.open(format!("for {i} = 1, {n} do"));
        // The loop head is a join point.
        self.pw_valid = false;
        let barriers = self.barriers;
        let (losses, loads) = (self.pw_losses, self.pw_loads.len());
        body(self);
        let hoisted = if self.barriers == barriers {
            self.chunk.take()
        } else {
            None
        };
        self.end_chunk();
        self.w.close("end");
        if let Some(c) = &hoisted {
            if c.bytes + c.bits > 0 {
                let mut parts = vec![];
                if c.bytes > 0 {
                    parts.push(format!("{n} * {}", c.bytes));
                }
                if c.bits > 0 {
                    parts.push(format!("({n} * {} + 7) // 8", c.bits));
                }
                parts.push("4".into());
                let need = self.fresh("need");
                self.w.patch(
                    before,
                    format!(
                        "local {need} = {}; if bp - p < {need} then b, bp = grow(b, p, bp, {need}) end",
                        parts.join(" + ")
                    ),
                );
            }
            if self.pw_losses == losses && self.pw_loads.len() == loads + 1 {
                let at = self.pw_loads.pop().expect("the body's load");
                self.w.patch(at, "");
                self.w.patch(before_pw, "pw = POW2[na + 1]");
                self.pw_loads.push(before_pw);
            }
        }
    }

    fn map(&mut self, key: &Ty, value: Option<&Ty>, max_len: Option<u32>, expr: &str, path: &Path) {
        self.flush_checks();
        let m = self.bind(expr, "map");
        let keys = self.fresh("keys");
        let n = self.fresh("n");
        let kt = luau_type(self.schema, key);
        if matches!(key, Ty::Bool) {
            self.w.line(format!("local {keys}: {{boolean}} = {{}}"));
            self.w.line(format!("local {n} = 0"));
            self.w.line(format!(
                "if {m}[false] ~= nil then {n} += 1; {keys}[{n}] = false end"
            ));
            self.w.line(format!(
                "if {m}[true] ~= nil then {n} += 1; {keys}[{n}] = true end"
            ));
        } else {
            self.w.line(format!("local {keys}: {{{kt}}} = {{}}"));
            self.w.line(format!("local {n} = 0"));
            let k = self.fresh("k");
            self.w
                .line(format!("for {k} in {m} do {n} += 1; {keys}[{n}] = {k} end"));
            self.w.line(format!("table.sort({keys})"));
        }
        self.length(&n, max_len, path);
        self.end_chunk();
        let i = self.fresh("i");
        self.w.open(format!("for {i} = 1, {n} do"));
        let k = self.fresh("k");
        self.w.line(format!("local {k} = {keys}[{i}]"));
        let ep = path.index(&i);
        self.value(key, &k, &ep.lit("<key>"));
        if let Some(v) = value {
            self.value(v, &format!("{m}[{k}]"), &ep);
        }
        self.end_chunk();
        self.w.close("end");
    }

    fn roblox(&mut self, r: &RobloxTy, expr: &str, path: &Path) {
        // Component accesses raise on a wrong value: earlier errors first.
        self.flush_checks();
        let x = self.bind(expr, "x");
        match r {
            RobloxTy::Vector3(fe) | RobloxTy::Vector2(fe) => {
                let comps: &[&str] = if matches!(r, RobloxTy::Vector3(_)) {
                    &["X", "Y", "Z"]
                } else {
                    &["X", "Y"]
                };
                for c in comps {
                    let l = self.fresh("c");
                    self.w.line(format!("local {l} = {x}.{c}"));
                    // Components are binary32 already: no rounding before
                    // half or quantize; the full encoding is `f32`.
                    match fe {
                        FloatEncoding::Full => self.f32(&l),
                        _ => self.float(FloatTy::F64, fe, &l),
                    }
                }
            }
            RobloxTy::CFrame { lossless } => {
                let names: Vec<String> = (0..12).map(|_| self.fresh("m")).collect();
                self.w
                    .line(format!("local {} = {x}:GetComponents()", names.join(", ")));
                let count = if *lossless { 12 } else { 3 };
                for n in &names[..count] {
                    self.f32(n);
                }
                if !*lossless {
                    let lo = self.fresh("rlo");
                    let hi = self.fresh("rhi");
                    self.w.line(format!(
                        "local {lo}, {hi} = encRot({})",
                        names[3..].join(", ")
                    ));
                    self.bits(&lo, 32);
                    self.bits(&hi, 15);
                }
            }
            RobloxTy::Color3 { lossless } => {
                for c in ["R", "G", "B"] {
                    let l = self.fresh("c");
                    if *lossless {
                        self.w.line(format!("local {l} = {x}.{c}"));
                        self.f32(&l);
                    } else {
                        self.w.line(format!("local {l} = color8({x}.{c})"));
                        let at = self.bytes(1);
                        self.w.line(format!("buffer.writeu8(b, {at}, {l})"));
                    }
                }
            }
            RobloxTy::UDim => self.udim(&x),
            RobloxTy::UDim2 => {
                self.udim(&format!("{x}.X"));
                self.udim(&format!("{x}.Y"));
            }
            RobloxTy::DateTime => {
                self.int(
                    IntTy::I64,
                    &IntEncoding::Fixed,
                    &format!("{x}.UnixTimestampMillis"),
                    path,
                );
            }
            RobloxTy::EnumItem { .. } => {
                self.int(IntTy::U16, &IntEncoding::Fixed, &format!("{x}.Value"), path);
            }
            RobloxTy::Instance => {
                self.w.line("eInstN += 1");
                self.w.line(format!("eInst[eInstN] = {x}"));
            }
        }
    }

    fn udim(&mut self, u: &str) {
        let s = self.fresh("s");
        self.w.line(format!("local {s} = {u}.Scale"));
        self.f32(&s);
        let at = self.bytes(4);
        self.w.line(format!("buffer.writei32(b, {at}, {u}.Offset)"));
    }
}

/// Emits `enc_T` for one schema type (assigning the forward-declared local).
pub fn emit_encoder(w: &mut Writer, schema: &Schema, def: &TypeDef, large: bool) {
    let t = &def.wire_name;
    w.open(format!(
        "{} = function(v: {t}, b: buffer, p: number, acc: number, na: number, bp: number): (buffer, number, number, number, number)",
        enc_fn(&def.name, large)
    ));
    let decl = w.placeholder();
    let mut e = Enc::new(schema, w, t, large);
    let root = Path::new();
    match &def.kind {
        TypeKind::Struct(fields) => {
            e.fields(fields, "v", &root);
            e.end_chunk();
        }
        TypeKind::Enum(variants) => {
            let tb = bits_for_count(variants.len() as u128);
            if variants.is_empty() {
                let msg = e.err(&root, "\"enum has no variants\"");
                e.w.line(msg);
            } else if is_string_enum(def) {
                let tag = e.fresh("tag");
                let sep = if large { "." } else { "_" };
                e.w.line(format!("local {tag} = TAGS{sep}{}[v]", def.name));
                let msg = e.err(&root, "\"unknown variant \" .. tostring(v)");
                e.w.line(format!("if {tag} == nil then {msg} end"));
                if tb > 0 {
                    e.bits(&tag, tb);
                }
                e.end_chunk();
            } else {
                for (i, var) in variants.iter().enumerate() {
                    let kw = if i == 0 { "if" } else { "elseif" };
                    if i == 0 {
                        e.w.open(format!(
                            "{kw} v.kind == {} then",
                            lua_string(&var.wire_name)
                        ));
                    } else {
                        e.w.reopen(format!(
                            "{kw} v.kind == {} then",
                            lua_string(&var.wire_name)
                        ));
                    }
                    if tb > 0 {
                        e.bits(&i.to_string(), tb);
                    }
                    let vp = root.field(&var.wire_name);
                    e.fields(&var.fields, "v", &vp);
                    e.end_chunk();
                }
                e.w.reopen("else");
                let msg = e.err(
                    &root,
                    "\"unknown variant kind \" .. tostring((v :: any).kind)",
                );
                e.w.line(msg);
                e.w.close("end");
            }
        }
    }
    let uses_pw = e.pw_used || !e.pw_loads.is_empty();
    if uses_pw {
        w.patch(decl, "local pw = 0");
    }
    w.line("return b, p, acc, na, bp");
    w.close("end");
}

/// `(m, e)` with `x = m * 2^e` and `0.5 <= |m| < 1` for finite non-zero
/// normal `x`; `(x, 0)` otherwise.
fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        return (x, 0);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

#[cfg(test)]
mod tests {
    use super::frexp;

    #[test]
    fn frexp_finds_powers_of_two() {
        assert_eq!(frexp(0.015625), (0.5, -5));
        assert_eq!(frexp(4.0), (0.5, 3));
        assert_eq!(frexp(0.0625).0, 0.5);
        assert_ne!(frexp(0.006135923151542565).0, 0.5);
        assert_ne!(frexp(-0.5).0, 0.5);
        assert_eq!(frexp(0.0), (0.0, 0));
    }
}

//! The JSON decoder: a schema-driven parser over the bytes, so every error
//! knows its field path and byte offset, and nothing is allocated that the
//! input does not pay for (every element, key and character consumes input).

use super::base64;
use crate::common::{
    check_exact_len, check_int, check_len, int_bounds, is_option, key_text, named_within,
    unit_only, Fail, Res,
};
use skyrocket::dynamic::{key_order, Value};
use skyrocket::roblox::{self, EnumItem, Instance};
use skyrocket_schema::ir::{
    Fields, FloatTy, IntEncoding, IntTy, RobloxTy, Schema, Ty, TypeKind, Variant,
};
use std::cmp::Ordering;

/// How deep an unknown (skipped) value may nest.
pub const SKIP_DEPTH: u32 = 64;

pub(super) struct Parser<'a> {
    schema: &'a Schema,
    src: &'a [u8],
    pos: usize,
    depth: u32,
    instances: &'a [Instance],
}

impl<'a> Parser<'a> {
    pub(super) fn new(schema: &'a Schema, src: &'a [u8], instances: &'a [Instance]) -> Self {
        Parser {
            schema,
            src,
            pos: 0,
            depth: 0,
            instances,
        }
    }

    /// One whole document of type `ty`.
    pub(super) fn document(&mut self, ty: &Ty) -> Res<Value> {
        let value = self.value(ty)?;
        self.ws();
        if self.pos != self.src.len() {
            return Err(self.fail(
                self.pos,
                format!("expected the end of input, found {}", self.found()),
            ));
        }
        Ok(value)
    }

    fn fail(&self, at: usize, message: impl Into<String>) -> Fail {
        Fail::new(Some(at), message)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.src.get(self.pos) {
            self.pos += 1;
        }
    }

    /// What the next token is, for error messages.
    fn found(&self) -> String {
        match self.src.get(self.pos) {
            None => "the end of input".to_owned(),
            Some(b'{') => "an object".to_owned(),
            Some(b'[') => "an array".to_owned(),
            Some(b'"') => "a string".to_owned(),
            Some(b'-' | b'0'..=b'9') => "a number".to_owned(),
            Some(b't' | b'f') => "a boolean".to_owned(),
            Some(b'n') => "null".to_owned(),
            Some(c) if c.is_ascii_graphic() => format!("'{}'", *c as char),
            Some(c) => format!("byte 0x{c:02x}"),
        }
    }

    fn expected(&self, what: &str) -> Fail {
        self.fail(self.pos, format!("expected {what}, found {}", self.found()))
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.src.get(self.pos) == Some(&c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn literal(&mut self, word: &str) -> bool {
        self.ws();
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    /// `[ item, ... ]`, calling `each` with the element index; the count.
    fn array(
        &mut self,
        what: &str,
        mut each: impl FnMut(&mut Self, usize) -> Res<()>,
    ) -> Res<usize> {
        if !self.eat(b'[') {
            return Err(self.expected(what));
        }
        if self.eat(b']') {
            return Ok(0);
        }
        let mut n = 0;
        loop {
            each(self, n)?;
            n += 1;
            if self.eat(b']') {
                return Ok(n);
            }
            if !self.eat(b',') {
                return Err(self.expected("',' or ']'"));
            }
        }
    }

    /// `{ "key": value, ... }`, calling `each` with the key and its offset
    /// (the value is `each`'s to read).
    fn object(
        &mut self,
        what: &str,
        mut each: impl FnMut(&mut Self, String, usize) -> Res<()>,
    ) -> Res<()> {
        if !self.eat(b'{') {
            return Err(self.expected(what));
        }
        if self.eat(b'}') {
            return Ok(());
        }
        loop {
            self.ws();
            let key_at = self.pos;
            if self.src.get(self.pos) != Some(&b'"') {
                return Err(self.expected("a key string"));
            }
            let key = self.string()?;
            if !self.eat(b':') {
                return Err(self.expected("':'"));
            }
            each(self, key, key_at)?;
            if self.eat(b'}') {
                return Ok(());
            }
            if !self.eat(b',') {
                return Err(self.expected("',' or '}'"));
            }
        }
    }

    /// A string token (the cursor on its opening quote).
    fn string(&mut self) -> Res<String> {
        self.ws();
        let start = self.pos;
        if self.src.get(self.pos) != Some(&b'"') {
            return Err(self.expected("a string"));
        }
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let run = self.pos;
            while let Some(&c) = self.src.get(self.pos) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.extend_from_slice(&self.src[run..self.pos]);
            match self.src.get(self.pos) {
                None => return Err(self.fail(start, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(c) => {
                    return Err(self.fail(
                        self.pos,
                        format!("control character 0x{c:02x} in a string must be escaped"),
                    ))
                }
            }
        }
        String::from_utf8(out).map_err(|e| {
            self.fail(
                start,
                format!(
                    "invalid UTF-8 in a string (after {} bytes)",
                    e.utf8_error().valid_up_to()
                ),
            )
        })
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Res<()> {
        let at = self.pos;
        let c = *self
            .src
            .get(self.pos + 1)
            .ok_or_else(|| self.fail(at, "unterminated escape"))?;
        self.pos += 2;
        let simple = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let mut code = self.hex4(at)?;
                if (0xdc00..0xe000).contains(&code) {
                    return Err(self.fail(at, "lone low surrogate in \\u escape"));
                }
                if (0xd800..0xdc00).contains(&code) {
                    let low_at = self.pos;
                    if self.src.get(self.pos) != Some(&b'\\')
                        || self.src.get(self.pos + 1) != Some(&b'u')
                    {
                        return Err(self.fail(at, "high surrogate not followed by a low surrogate"));
                    }
                    self.pos += 2;
                    let low = self.hex4(low_at)?;
                    if !(0xdc00..0xe000).contains(&low) {
                        return Err(
                            self.fail(low_at, "high surrogate not followed by a low surrogate")
                        );
                    }
                    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                }
                let ch = char::from_u32(code).ok_or_else(|| self.fail(at, "invalid \\u escape"))?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                return Ok(());
            }
            _ => return Err(self.fail(at, "invalid escape")),
        };
        out.push(simple);
        Ok(())
    }

    fn hex4(&mut self, at: usize) -> Res<u32> {
        let digits = self
            .src
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.fail(at, "truncated \\u escape"))?;
        let mut v = 0u32;
        for &d in digits {
            let h = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.fail(at, "invalid hex digit in \\u escape"))?;
            v = v * 16 + h;
        }
        self.pos += 4;
        Ok(v)
    }

    /// A number token; whether it is written as an integer (no fraction, no exponent).
    fn number(&mut self) -> Res<(&'a str, bool)> {
        self.ws();
        let start = self.pos;
        let s = self.src;
        let digits = |p: &mut usize| {
            let from = *p;
            while s.get(*p).is_some_and(u8::is_ascii_digit) {
                *p += 1;
            }
            *p > from
        };
        let mut p = self.pos;
        if s.get(p) == Some(&b'-') {
            p += 1;
        }
        match s.get(p) {
            Some(b'0') => p += 1,
            Some(b'1'..=b'9') => {
                digits(&mut p);
            }
            _ => return Err(self.expected("a number")),
        }
        let mut integer = true;
        if s.get(p) == Some(&b'.') {
            p += 1;
            integer = false;
            if !digits(&mut p) {
                return Err(self.fail(start, "a number needs digits after '.'"));
            }
        }
        if let Some(b'e' | b'E') = s.get(p) {
            p += 1;
            integer = false;
            if let Some(b'+' | b'-') = s.get(p) {
                p += 1;
            }
            if !digits(&mut p) {
                return Err(self.fail(start, "a number needs digits in its exponent"));
            }
        }
        self.pos = p;
        // The grammar above admits ASCII only.
        let text = std::str::from_utf8(&s[start..p]).unwrap_or("0");
        Ok((text, integer))
    }

    fn int_text(&mut self, kind: IntTy, encoding: IntEncoding) -> Res<i128> {
        self.ws();
        let at = self.pos;
        if !matches!(self.src.get(self.pos), Some(b'-' | b'0'..=b'9')) {
            return Err(self.expected("an integer"));
        }
        let (text, integer) = self.number()?;
        if !integer {
            return Err(self.fail(at, format!("expected an integer, got {text}")));
        }
        let (lo, hi) = int_bounds(kind, encoding);
        // 40 characters hold every i128; longer is out of range for any type.
        let v: i128 = if text.len() <= 40 {
            text.parse().ok()
        } else {
            None
        }
        .ok_or_else(|| {
            self.fail(
                at,
                format!("expected an integer in {lo}..={hi}, got {text}"),
            )
        })?;
        check_int(kind, encoding, v).map_err(|m| self.fail(at, m))?;
        Ok(v)
    }

    fn float(&mut self, kind: FloatTy) -> Res<f64> {
        self.ws();
        let at = self.pos;
        let v = if self.src.get(self.pos) == Some(&b'"') {
            match self.string()?.as_str() {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                other => {
                    return Err(self.fail(
                        at,
                        format!(
                        "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", got {other:?}"
                    ),
                    ))
                }
            }
        } else if matches!(self.src.get(self.pos), Some(b'-' | b'0'..=b'9')) {
            let (text, _) = self.number()?;
            text.parse::<f64>()
                .map_err(|e| self.fail(at, e.to_string()))?
        } else {
            return Err(self.expected("a number"));
        };
        Ok(match kind {
            FloatTy::F32 => v as f32 as f64,
            FloatTy::F64 => v,
        })
    }

    /// Skips any JSON value (an unknown key's), nesting at most [`SKIP_DEPTH`].
    fn skip(&mut self, nesting: u32) -> Res<()> {
        self.ws();
        match self.src.get(self.pos) {
            Some(b'{') | Some(b'[') if nesting >= SKIP_DEPTH => Err(self.fail(
                self.pos,
                format!("an unknown value nests deeper than {SKIP_DEPTH}"),
            )),
            Some(b'{') => self.object("an object", |p, _, _| p.skip(nesting + 1)),
            Some(b'[') => self
                .array("an array", |p, _| p.skip(nesting + 1))
                .map(|_| ()),
            Some(b'"') => self.string().map(|_| ()),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| ()),
            _ => {
                if self.literal("true") || self.literal("false") || self.literal("null") {
                    Ok(())
                } else {
                    Err(self.expected("a JSON value"))
                }
            }
        }
    }

    pub(super) fn value(&mut self, ty: &Ty) -> Res<Value> {
        self.ws();
        let at = self.pos;
        Ok(match ty {
            Ty::Unit => {
                self.object("{} (unit)", |p, _, _| p.skip(0))?;
                Value::Unit
            }
            Ty::Bool => {
                if self.literal("true") {
                    Value::Bool(true)
                } else if self.literal("false") {
                    Value::Bool(false)
                } else {
                    return Err(self.expected("true or false"));
                }
            }
            Ty::Int(kind, encoding) => Value::Int(self.int_text(*kind, *encoding)?),
            Ty::Float(kind, _) => Value::Float(self.float(*kind)?),
            Ty::String { max_len } => {
                let s = self.string()?;
                check_len(s.len(), *max_len, "string").map_err(|m| self.fail(at, m))?;
                Value::String(s)
            }
            Ty::Bytes { max_len } => {
                let b = self.bytes()?;
                check_len(b.len(), *max_len, "byte string").map_err(|m| self.fail(at, m))?;
                Value::Bytes(b)
            }
            Ty::ByteArray(n) => {
                let b = self.bytes()?;
                check_exact_len(b.len(), *n as usize, "bytes").map_err(|m| self.fail(at, m))?;
                Value::Bytes(b)
            }
            Ty::Option(inner) => {
                if self.literal("null") {
                    Value::Option(None)
                } else {
                    Value::Option(Some(Box::new(self.value(inner)?)))
                }
            }
            Ty::Boxed(inner) => self.value(inner)?,
            Ty::List { elem, max_len } => {
                let mut items = Vec::new();
                self.array("an array", |p, i| {
                    let item_at = p.pos;
                    check_len(i + 1, *max_len, "list").map_err(|m| p.fail(item_at, m).index(i))?;
                    items.push(p.value(elem).map_err(|e| e.index(i))?);
                    Ok(())
                })?;
                Value::List(items)
            }
            Ty::Array { elem, len } => {
                let items = self.fixed(*len as usize, |_| &**elem)?;
                Value::List(items)
            }
            Ty::Tuple(tys) => Value::List(self.fixed(tys.len(), |i| &tys[i])?),
            Ty::Set { elem, max_len, .. } => {
                let mut items: Vec<(Value, usize)> = Vec::new();
                self.array("an array", |p, i| {
                    p.ws();
                    let item_at = p.pos;
                    check_len(i + 1, *max_len, "set").map_err(|m| p.fail(item_at, m).index(i))?;
                    items.push((p.value(elem).map_err(|e| e.index(i))?, item_at));
                    Ok(())
                })?;
                Value::List(self.unique(items)?.into_iter().map(|(k, _)| k).collect())
            }
            Ty::Map {
                key,
                value,
                max_len,
                ..
            } => {
                let mut entries: Vec<((Value, Value), usize)> = Vec::new();
                self.object("an object", |p, text, key_at| {
                    check_len(entries.len() + 1, *max_len, "map").map_err(|m| p.fail(key_at, m))?;
                    let k = map_key(key, &text).map_err(|m| p.fail(key_at, m).key(&text))?;
                    let v = p.value(value).map_err(|e| e.key(&text))?;
                    entries.push(((k, v), key_at));
                    Ok(())
                })?;
                entries.sort_by(|a, b| key_order(&a.0 .0, &b.0 .0));
                for w in entries.windows(2) {
                    if key_order(&w[0].0 .0, &w[1].0 .0) == Ordering::Equal {
                        let at = w[0].1.max(w[1].1);
                        return Err(
                            self.fail(at, format!("duplicate key {}", key_text(&w[1].0 .0)))
                        );
                    }
                }
                Value::Map(entries.into_iter().map(|(e, _)| e).collect())
            }
            Ty::Roblox(r) => self.roblox(r)?,
            Ty::Named(name) => self.named(name, at)?,
        })
    }

    fn bytes(&mut self) -> Res<Vec<u8>> {
        self.ws();
        let at = self.pos;
        let text = self.string()?;
        base64::decode(text.as_bytes()).map_err(|(i, m)| self.fail(at + 1 + i, m))
    }

    /// An array of exactly `n` elements, element `i` of type `ty(i)`.
    fn fixed<'t>(&mut self, n: usize, ty: impl Fn(usize) -> &'t Ty) -> Res<Vec<Value>> {
        let at = self.pos;
        let mut items = Vec::new();
        let count = self.array("an array", |p, i| {
            if i >= n {
                return Err(p
                    .fail(p.pos, format!("expected exactly {n} elements"))
                    .index(i));
            }
            items.push(p.value(ty(i)).map_err(|e| e.index(i))?);
            Ok(())
        })?;
        if count != n {
            return Err(self.fail(at, format!("expected exactly {n} elements, got {count}")));
        }
        Ok(items)
    }

    /// Sorts set elements into key order, rejecting duplicates.
    fn unique(&self, mut items: Vec<(Value, usize)>) -> Res<Vec<(Value, usize)>> {
        items.sort_by(|a, b| key_order(&a.0, &b.0));
        for w in items.windows(2) {
            if key_order(&w[0].0, &w[1].0) == Ordering::Equal {
                let at = w[0].1.max(w[1].1);
                return Err(self.fail(at, format!("duplicate set element {}", key_text(&w[1].0))));
            }
        }
        Ok(items)
    }

    fn f32s(&mut self, n: usize) -> Res<Vec<f32>> {
        let ty = Ty::Float(FloatTy::F32, skyrocket_schema::ir::FloatEncoding::Full);
        let values = self.fixed(n, |_| &ty)?;
        Ok(values
            .into_iter()
            .map(|v| match v {
                Value::Float(f) => f as f32,
                _ => 0.0,
            })
            .collect())
    }

    fn udims(&mut self, n: usize) -> Res<Vec<roblox::UDim>> {
        let scale = Ty::Float(FloatTy::F32, skyrocket_schema::ir::FloatEncoding::Full);
        let offset = Ty::Int(IntTy::I32, IntEncoding::Fixed);
        let values = self.fixed(2 * n, |i| if i % 2 == 0 { &scale } else { &offset })?;
        Ok(values
            .chunks(2)
            .map(|pair| match pair {
                [Value::Float(s), Value::Int(o)] => roblox::UDim {
                    scale: *s as f32,
                    offset: *o as i32,
                },
                _ => roblox::UDim::default(),
            })
            .collect())
    }

    fn roblox(&mut self, ty: &RobloxTy) -> Res<Value> {
        self.ws();
        let at = self.pos;
        Ok(match ty {
            RobloxTy::Vector3(_)
            | RobloxTy::Vector2(_)
            | RobloxTy::CFrame { .. }
            | RobloxTy::Color3 { .. } => {
                let count = crate::common::roblox_float_count(ty).unwrap_or(0);
                let c = self.f32s(count)?;
                crate::common::roblox_from_floats(ty, &c).unwrap_or(Value::Unit)
            }
            RobloxTy::UDim => Value::UDim(self.udims(1)?[0]),
            RobloxTy::UDim2 => {
                let u = self.udims(2)?;
                Value::UDim2(roblox::UDim2 { x: u[0], y: u[1] })
            }
            RobloxTy::DateTime => Value::DateTime(roblox::DateTime {
                unix_millis: self.int_text(IntTy::I64, IntEncoding::Fixed)? as i64,
            }),
            RobloxTy::EnumItem { .. } => Value::EnumItem(EnumItem {
                value: self.int_text(IntTy::U16, IntEncoding::Fixed)? as u16,
            }),
            RobloxTy::Instance => {
                let index = self.int_text(IntTy::U32, IntEncoding::Fixed)? as usize;
                let instance = self.instances.get(index).ok_or_else(|| {
                    self.fail(
                        at,
                        format!(
                            "no instance {index} in the side table (it holds {})",
                            self.instances.len()
                        ),
                    )
                })?;
                Value::Instance(*instance)
            }
        })
    }

    fn named(&mut self, name: &str, at: usize) -> Res<Value> {
        let schema = self.schema;
        let def = named_within(schema, name, self.depth).map_err(|m| self.fail(at, m))?;
        self.depth += 1;
        let value = match &def.kind {
            TypeKind::Struct(fields) => Value::Struct(self.fields(fields, false)?),
            TypeKind::Enum(variants) => self.variant(variants)?,
        };
        self.depth -= 1;
        Ok(value)
    }

    fn variant(&mut self, variants: &[Variant]) -> Res<Value> {
        self.ws();
        let at = self.pos;
        let find = |p: &Self, name: &str, at: usize| {
            variants
                .iter()
                .position(|v| v.wire_name == name)
                .ok_or_else(|| p.fail(at, format!("unknown variant {name:?}")))
        };
        if unit_only(variants) {
            let name = self.string()?;
            return Ok(Value::Enum(find(self, &name, at)? as u32, Vec::new()));
        }
        // Find `kind` first (usually the first key), then read the fields.
        let kind = self.find_kind()?;
        let (name, kind_at) = kind.ok_or_else(|| self.fail(at, "missing \"kind\""))?;
        let index = find(self, &name, kind_at)?;
        self.pos = at;
        let values = self.fields(&variants[index].fields, true)?;
        Ok(Value::Enum(index as u32, values))
    }

    /// The `kind` of a variant's object and its offset, scanning the keys
    /// before it (the cursor is reset by the caller).
    fn find_kind(&mut self) -> Res<Option<(String, usize)>> {
        if !self.eat(b'{') {
            return Err(self.expected("an object with a \"kind\""));
        }
        if self.eat(b'}') {
            return Ok(None);
        }
        loop {
            self.ws();
            if self.src.get(self.pos) != Some(&b'"') {
                return Err(self.expected("a key string"));
            }
            let key = self.string()?;
            if !self.eat(b':') {
                return Err(self.expected("':'"));
            }
            if key == "kind" {
                self.ws();
                let at = self.pos;
                return Ok(Some((self.string()?, at)));
            }
            self.skip(0)?;
            if self.eat(b'}') {
                return Ok(None);
            }
            if !self.eat(b',') {
                return Err(self.expected("',' or '}'"));
            }
        }
    }

    /// A struct's or variant's object (`with_kind`: a variant's, whose
    /// `kind` key is already read and must appear once).
    fn fields(&mut self, fields: &Fields, with_kind: bool) -> Res<Vec<Value>> {
        self.ws();
        let at = self.pos;
        let list: Vec<_> = fields.encoded().collect();
        let mut slots: Vec<Option<Value>> = vec![None; list.len()];
        let mut kind_seen = false;
        self.object("an object", |p, key, key_at| {
            if with_kind && key == "kind" {
                if kind_seen {
                    return Err(p.fail(key_at, "duplicate key \"kind\""));
                }
                kind_seen = true;
                return p.skip(0);
            }
            match list.iter().position(|f| f.wire_name == key) {
                Some(i) => {
                    if slots[i].is_some() {
                        return Err(p.fail(key_at, format!("duplicate key {key:?}")));
                    }
                    slots[i] = Some(
                        p.value(&list[i].ty)
                            .map_err(|e| e.field(&list[i].wire_name))?,
                    );
                    Ok(())
                }
                None => p.skip(0),
            }
        })?;
        list.iter()
            .zip(slots)
            .map(|(field, slot)| match slot {
                Some(v) => Ok(v),
                None if is_option(&field.ty) => Ok(Value::Option(None)),
                None => Err(self.fail(at, format!("missing field {:?}", field.wire_name))),
            })
            .collect()
    }
}

/// A map key from its object-key text: strings as they are, integers in
/// canonical decimal, booleans as `true`/`false`.
fn map_key(ty: &Ty, text: &str) -> Result<Value, String> {
    match ty {
        Ty::String { max_len } => {
            check_len(text.len(), *max_len, "string")?;
            Ok(Value::String(text.to_owned()))
        }
        Ty::Bool => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!(
                "expected the key \"true\" or \"false\", got {text:?}"
            )),
        },
        Ty::Int(kind, encoding) => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            let canonical = !digits.is_empty()
                && digits.len() <= 39
                && digits.bytes().all(|c| c.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'))
                && text != "-0";
            if !canonical {
                return Err(format!(
                    "expected an integer key in canonical decimal, got {text:?}"
                ));
            }
            let v: i128 = text
                .parse()
                .map_err(|_| format!("integer key {text:?} out of range"))?;
            check_int(*kind, *encoding, v)?;
            Ok(Value::Int(v))
        }
        Ty::Boxed(inner) => map_key(inner, text),
        other => Err(format!("{other:?} cannot be a map key")),
    }
}

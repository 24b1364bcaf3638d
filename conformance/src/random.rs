//! Seeded random values of any schema type, biased towards the edges the
//! wire format must get right: range ends, ±0, NaN, infinities, subnormals,
//! empty and full collections.

use rand::{Rng, RngCore};
use skyrocket::dynamic::{key_order, Value};
use skyrocket::roblox::{self, CFrame, Color3, EnumItem, Instance, Vector2, Vector3};
use skyrocket::schema::{
    Fields, FloatEncoding, FloatTy, IntEncoding, IntTy, RobloxTy, Schema, Ty, TypeKind,
};

/// Generates values; `depth` bounds recursion so recursive types terminate.
pub struct ValueGen<'a, R: RngCore> {
    schema: &'a Schema,
    rng: R,
    /// Bytes in a generated unbounded string or list at most.
    pub max_unbounded_len: usize,
    /// Elements in any generated collection at most, whatever its `max_len`.
    pub max_collection_len: usize,
    /// Whether 64-bit integers stay inside Luau's exact range (±(2^53 - 1)).
    pub luau_safe_integers: bool,
    depth: u32,
    next_instance: u64,
}

const LUAU_SAFE: i128 = (1i128 << 53) - 1;

impl<'a, R: RngCore> ValueGen<'a, R> {
    /// A generator over `schema`.
    pub fn new(schema: &'a Schema, rng: R) -> Self {
        ValueGen {
            schema,
            rng,
            max_unbounded_len: 12,
            max_collection_len: usize::MAX,
            luau_safe_integers: true,
            depth: 0,
            next_instance: 1,
        }
    }

    fn edge(&mut self) -> bool {
        self.rng.gen_ratio(1, 4)
    }

    fn len(&mut self, max_len: Option<u32>) -> usize {
        let max = max_len
            .map_or(self.max_unbounded_len, |m| m as usize)
            .min(self.max_collection_len);
        // Deep in a recursive type, keep collections small so values stay finite.
        let max = match self.depth {
            0..=4 => max,
            5..=6 => max.min(1),
            _ => 0,
        };
        if self.edge() {
            if self.rng.gen() {
                0
            } else {
                max
            }
        } else {
            self.rng.gen_range(0..=max)
        }
    }

    /// A random value of `ty`.
    pub fn value(&mut self, ty: &Ty) -> Value {
        match ty {
            Ty::Unit => Value::Unit,
            Ty::Bool => Value::Bool(self.rng.gen()),
            Ty::Int(kind, encoding) => Value::Int(self.int(*kind, *encoding)),
            Ty::Float(kind, encoding) => Value::Float(self.float(*kind, encoding)),
            Ty::String { max_len } => Value::String(self.string(*max_len)),
            Ty::Bytes { max_len } => {
                let n = self.len(*max_len);
                Value::Bytes((0..n).map(|_| self.rng.gen()).collect())
            }
            Ty::ByteArray(n) => Value::Bytes((0..*n).map(|_| self.rng.gen()).collect()),
            Ty::Option(inner) => Value::Option(if self.rng.gen() && self.depth < 7 {
                Some(Box::new(self.value(inner)))
            } else {
                None
            }),
            Ty::Boxed(inner) => self.value(inner),
            Ty::List { elem, max_len } => {
                let n = self.len(*max_len);
                Value::List((0..n).map(|_| self.value(elem)).collect())
            }
            Ty::Array { elem, len } => Value::List((0..*len).map(|_| self.value(elem)).collect()),
            Ty::Tuple(tys) => Value::List(tys.iter().map(|t| self.value(t)).collect()),
            Ty::Set { elem, max_len, .. } => Value::List(self.keys(elem, *max_len)),
            Ty::Map {
                key,
                value,
                max_len,
                ..
            } => {
                let keys = self.keys(key, *max_len);
                Value::Map(keys.into_iter().map(|k| (k, self.value(value))).collect())
            }
            Ty::Roblox(r) => self.roblox(r),
            Ty::Named(name) => self.named(name),
        }
    }

    fn keys(&mut self, ty: &Ty, max_len: Option<u32>) -> Vec<Value> {
        let n = self.len(max_len);
        let mut keys: Vec<Value> = (0..n * 2).map(|_| self.value(ty)).collect();
        keys.sort_by(key_order);
        keys.dedup_by(|a, b| key_order(a, b).is_eq());
        keys.truncate(n);
        keys
    }

    fn int(&mut self, kind: IntTy, encoding: IntEncoding) -> i128 {
        let (mut lo, mut hi) = match encoding {
            IntEncoding::Range { lo, hi } => (lo, hi),
            _ => (kind.min_value(), kind.max_value()),
        };
        if self.luau_safe_integers {
            lo = lo.max(-LUAU_SAFE);
            hi = hi.min(LUAU_SAFE);
        }
        if self.edge() {
            let picks = [lo, hi, 0.clamp(lo, hi), (lo + 1).min(hi), (hi - 1).max(lo)];
            return picks[self.rng.gen_range(0..picks.len())];
        }
        if matches!(encoding, IntEncoding::Varint) && self.rng.gen() {
            // Small magnitudes exercise one- and two-group varints.
            return self.rng.gen_range(-300i128..=300).clamp(lo, hi);
        }
        let span = (hi - lo) as u128;
        let offset = if span == u128::MAX {
            self.rng.gen::<u128>()
        } else {
            self.rng.gen::<u128>() % (span + 1)
        };
        lo + offset as i128
    }

    fn float(&mut self, kind: FloatTy, encoding: &FloatEncoding) -> f64 {
        let v = match encoding {
            FloatEncoding::Quantized(q) if !self.edge() => {
                self.rng.gen_range(q.min - q.step..=q.max + q.step)
            }
            FloatEncoding::Half if !self.edge() => {
                self.rng.gen_range(-70000.0..70000.0) * self.tiny()
            }
            _ => self.special_float(),
        };
        match kind {
            FloatTy::F32 => v as f32 as f64,
            FloatTy::F64 => v,
        }
    }

    fn tiny(&mut self) -> f64 {
        if self.rng.gen_ratio(1, 5) {
            1e-6
        } else {
            1.0
        }
    }

    fn special_float(&mut self) -> f64 {
        const SPECIAL: [f64; 12] = [
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1.0,
            -1.5,
            f64::MIN_POSITIVE,
            5e-324,
            1e300,
            f32::MAX as f64,
            6.103515625e-5,
        ];
        if self.rng.gen() {
            SPECIAL[self.rng.gen_range(0..SPECIAL.len())]
        } else {
            f64::from_bits(self.rng.gen())
        }
    }

    fn string(&mut self, max_len: Option<u32>) -> String {
        const PIECES: [&str; 8] = ["a", "Z", " ", "é", "字", "🚀", "\0", "~"];
        let max = self.len(max_len);
        let mut s = String::new();
        loop {
            let piece = PIECES[self.rng.gen_range(0..PIECES.len())];
            if s.len() + piece.len() > max {
                return s;
            }
            s.push_str(piece);
        }
    }

    fn component(&mut self, encoding: &FloatEncoding) -> f32 {
        self.float(FloatTy::F32, encoding) as f32
    }

    fn finite(&mut self) -> f32 {
        self.rng.gen_range(-5000.0f32..5000.0)
    }

    fn roblox(&mut self, ty: &RobloxTy) -> Value {
        match ty {
            RobloxTy::Vector3(e) => Value::Vector3(Vector3::new(
                self.component(e),
                self.component(e),
                self.component(e),
            )),
            RobloxTy::Vector2(e) => {
                Value::Vector2(Vector2::new(self.component(e), self.component(e)))
            }
            RobloxTy::CFrame { .. } => {
                let mut cf = CFrame::from_euler_xyz(
                    self.rng.gen_range(-3.2..3.2),
                    self.rng.gen_range(-3.2..3.2),
                    self.rng.gen_range(-3.2..3.2),
                );
                if self.edge() {
                    cf = CFrame::IDENTITY;
                }
                cf.position = Vector3::new(self.finite(), self.finite(), self.finite());
                Value::CFrame(cf)
            }
            RobloxTy::Color3 { .. } => Value::Color3(Color3 {
                r: self.rng.gen_range(0.0..=1.0),
                g: self.rng.gen_range(0.0..=1.0),
                b: self.rng.gen_range(0.0..=1.0),
            }),
            RobloxTy::UDim => Value::UDim(self.udim()),
            RobloxTy::UDim2 => Value::UDim2(roblox::UDim2 {
                x: self.udim(),
                y: self.udim(),
            }),
            RobloxTy::DateTime => Value::DateTime(roblox::DateTime {
                unix_millis: self
                    .rng
                    .gen_range(-62_135_596_800_000i64..253_402_300_799_999),
            }),
            RobloxTy::EnumItem { enum_name } => {
                // Values that exist in Roblox (and the embedded host): Luau
                // decoders refuse values with no item.
                let items: &[u16] = match enum_name.as_str() {
                    "KeyCode" => &[0, 8, 32, 97, 119],
                    "Material" => &[256, 272, 288, 512, 816],
                    _ => &[0],
                };
                Value::EnumItem(EnumItem {
                    value: items[self.rng.gen_range(0..items.len())],
                })
            }
            RobloxTy::Instance => {
                self.next_instance += 1;
                Value::Instance(Instance {
                    id: self.next_instance,
                })
            }
        }
    }

    fn udim(&mut self) -> roblox::UDim {
        roblox::UDim {
            scale: self.rng.gen_range(-2.0f32..2.0),
            offset: self.rng.gen(),
        }
    }

    fn named(&mut self, name: &str) -> Value {
        let Some(def) = self.schema.get(name) else {
            return Value::Unit;
        };
        let kind = def.kind.clone();
        self.depth += 1;
        let value = match &kind {
            TypeKind::Struct(fields) => Value::Struct(self.fields(fields)),
            TypeKind::Enum(variants) => {
                // Deep down, prefer the first variant without a self reference.
                let index = if self.depth > 5 {
                    variants
                        .iter()
                        .position(|v| v.fields.iter().all(|f| !mentions(&f.ty, name)))
                        .unwrap_or(0)
                } else {
                    self.rng.gen_range(0..variants.len())
                };
                Value::Enum(index as u32, self.fields(&variants[index].fields))
            }
        };
        self.depth -= 1;
        value
    }

    fn fields(&mut self, fields: &Fields) -> Vec<Value> {
        fields.encoded().map(|f| self.value(&f.ty)).collect()
    }
}

fn mentions(ty: &Ty, name: &str) -> bool {
    match ty {
        Ty::Named(n) => n == name,
        Ty::Option(t) | Ty::Boxed(t) => mentions(t, name),
        Ty::List { elem, .. } | Ty::Array { elem, .. } | Ty::Set { elem, .. } => {
            mentions(elem, name)
        }
        Ty::Map { key, value, .. } => mentions(key, name) || mentions(value, name),
        Ty::Tuple(tys) => tys.iter().any(|t| mentions(t, name)),
        _ => false,
    }
}

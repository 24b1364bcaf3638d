//! Field paths for error messages, known statically except for loop indices.

use crate::emit::lua_string;

/// One segment of a field path.
#[derive(Debug, Clone)]
enum Seg {
    /// Static text (`.players`, `[`, `<key>` ...).
    Lit(String),
    /// A loop index held in the named Luau local.
    Idx(String),
}

/// A field path inside one generated function: static text plus the names
/// of the loop-index locals in scope.
#[derive(Debug, Clone, Default)]
pub struct Path {
    segs: Vec<Seg>,
}

impl Path {
    /// The empty path.
    pub fn new() -> Self {
        Self::default()
    }

    /// `self.name`
    pub fn field(&self, name: &str) -> Path {
        self.lit(&format!(".{name}"))
    }

    /// `self` followed by static text.
    pub fn lit(&self, text: &str) -> Path {
        let mut p = self.clone();
        match p.segs.last_mut() {
            Some(Seg::Lit(s)) => s.push_str(text),
            _ => p.segs.push(Seg::Lit(text.to_owned())),
        }
        p
    }

    /// `self[index]`, the index being the Luau local `local_name`.
    pub fn index(&self, local_name: &str) -> Path {
        let mut p = self.lit("[");
        p.segs.push(Seg::Idx(local_name.to_owned()));
        p.lit("]")
    }

    /// A Luau expression building the path string, prefixed by `root`
    /// (evaluated only on error paths).
    pub fn expr(&self, root: &str) -> String {
        let mut parts = vec![];
        let mut text = root.to_owned();
        for s in &self.segs {
            match s {
                Seg::Lit(l) => text.push_str(l),
                Seg::Idx(i) => {
                    parts.push(lua_string(&text));
                    text.clear();
                    parts.push(format!("tostring({i})"));
                }
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(lua_string(&text));
        }
        parts.join(" .. ")
    }

    /// The decoder form: a template with `#` for each index, and the index
    /// locals in order.
    pub fn template(&self) -> (String, Vec<String>) {
        let mut t = String::new();
        let mut idx = vec![];
        for s in &self.segs {
            match s {
                Seg::Lit(l) => t.push_str(&l.replace('#', "?")),
                Seg::Idx(i) => {
                    t.push('#');
                    idx.push(i.clone());
                }
            }
        }
        (t, idx)
    }
}

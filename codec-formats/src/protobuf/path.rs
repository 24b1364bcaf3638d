//! Error locations: a path built while an error unwinds out of the value.

/// One step into a value.
#[derive(Debug, Clone)]
pub(crate) enum Seg {
    /// A struct field, variant or component by name.
    Name(String),
    /// A list, array, set, tuple or map entry position.
    Index(usize),
}

/// An error on its way out: the innermost step is pushed first.
#[derive(Debug, Clone)]
pub(crate) struct Fail {
    pub offset: Option<usize>,
    pub message: String,
    path: Vec<Seg>,
}

impl Fail {
    pub(crate) fn new(offset: Option<usize>, message: impl Into<String>) -> Self {
        Fail {
            offset,
            message: message.into(),
            path: Vec::new(),
        }
    }

    /// Adds the step that led into the failing value.
    pub(crate) fn at(mut self, seg: Seg) -> Self {
        self.path.push(seg);
        self
    }

    pub(crate) fn name(self, name: &str) -> Self {
        self.at(Seg::Name(name.to_owned()))
    }

    pub(crate) fn index(self, i: usize) -> Self {
        self.at(Seg::Index(i))
    }

    /// `players[3].health`
    pub(crate) fn path(&self) -> String {
        let mut s = String::new();
        for seg in self.path.iter().rev() {
            match seg {
                Seg::Name(n) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(n);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }
}

pub(crate) type Res<T> = Result<T, Fail>;

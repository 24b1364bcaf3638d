//! One error type for every codec: which format, where in the value, where
//! in the bytes, and what went wrong.

use std::fmt;

/// A value a codec cannot encode, or bytes it cannot decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The codec's name (`"json"`, `"zstd"` ...).
    pub format: String,
    /// Whether encoding or decoding failed.
    pub during: Direction,
    /// Field path inside the value (`players[3].health`), empty at the root.
    pub path: String,
    /// Byte offset in the input where decoding failed, when known.
    pub offset: Option<usize>,
    /// What went wrong.
    pub message: String,
}

/// Encoding or decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Turning a value into bytes.
    Encode,
    /// Turning bytes into a value.
    Decode,
}

impl FormatError {
    /// An encode error at `path`.
    pub fn encode(format: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        FormatError {
            format: format.to_owned(),
            during: Direction::Encode,
            path: path.into(),
            offset: None,
            message: message.into(),
        }
    }

    /// A decode error at `path`, at byte `offset` when known.
    pub fn decode(
        format: &str,
        path: impl Into<String>,
        offset: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        FormatError {
            format: format.to_owned(),
            during: Direction::Decode,
            path: path.into(),
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self.during {
            Direction::Encode => "cannot encode",
            Direction::Decode => "cannot decode",
        };
        write!(f, "{}: {verb}", self.format)?;
        if !self.path.is_empty() {
            write!(f, " {}", self.path)?;
        }
        if let Some(offset) = self.offset {
            write!(f, " at byte {offset}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FormatError {}

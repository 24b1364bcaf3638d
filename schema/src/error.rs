//! Errors found in a schema, with the source position they point at.

use std::fmt;

use crate::ir::Pos;

/// A problem in a schema file: a message and the position it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where (1-based line and column); `0:0` when unknown.
    pub pos: Pos,
}

impl SchemaError {
    /// A new error at `pos`.
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        SchemaError {
            message: message.into(),
            pos,
        }
    }

    /// The compiler-style rendering `file:line:col: error: message`.
    pub fn render(&self, file_name: &str) -> String {
        format!(
            "{file_name}:{}:{}: error: {}",
            self.pos.line, self.pos.column, self.message
        )
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.pos.line, self.pos.column, self.message)
    }
}

impl std::error::Error for SchemaError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_render() {
        let e = SchemaError::new(Pos { line: 3, column: 7 }, "bad range");
        assert_eq!(e.to_string(), "3:7: bad range");
        assert_eq!(e.render("schema.rs"), "schema.rs:3:7: error: bad range");
    }
}

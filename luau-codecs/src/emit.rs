//! A small indented-line writer for generated Luau source.

/// Accumulates lines of Luau with a consistent 4-space indentation and
/// supports placeholders patched after the fact (capacity checks whose size
/// is known only once the code they guard has been emitted).
#[derive(Debug, Default)]
pub struct Writer {
    lines: Vec<String>,
    indent: usize,
}

/// A handle to a line emitted with [`Writer::placeholder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder(usize);

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty writer whose lines start `indent` levels deep.
    pub fn with_indent(indent: usize) -> Self {
        Writer {
            lines: vec![],
            indent,
        }
    }

    /// Appends the lines of another writer (placeholders kept unpatched are
    /// dropped later as usual).
    pub fn append(&mut self, other: Writer) {
        self.lines.extend(other.lines);
    }

    /// Emits one line at the current indentation (an empty string emits an
    /// empty line).
    pub fn line(&mut self, text: impl AsRef<str>) {
        let text = text.as_ref();
        if text.is_empty() {
            self.lines.push(String::new());
        } else {
            self.lines
                .push(format!("{}{}", "    ".repeat(self.indent), text));
        }
    }

    /// Emits a line and indents what follows (`if ... then`, `do` ...).
    pub fn open(&mut self, text: impl AsRef<str>) {
        self.line(text);
        self.indent += 1;
    }

    /// Dedents, then emits a line (`end`, `else` ...).
    pub fn close(&mut self, text: impl AsRef<str>) {
        self.indent = self.indent.saturating_sub(1);
        self.line(text);
    }

    /// Dedents, emits a line, and indents again (`else`, `elseif ... then`).
    pub fn reopen(&mut self, text: impl AsRef<str>) {
        self.indent = self.indent.saturating_sub(1);
        self.line(text);
        self.indent += 1;
    }

    /// Emits an empty line to be filled later with [`Writer::patch`]; a
    /// placeholder never patched is dropped from the output.
    pub fn placeholder(&mut self) -> Placeholder {
        self.lines.push(String::from("\u{0}"));
        Placeholder(self.lines.len() - 1)
    }

    /// Fills a placeholder at the indentation current when it is patched
    /// (callers patch at the same depth they created it). An empty text
    /// removes the line.
    pub fn patch(&mut self, at: Placeholder, text: impl AsRef<str>) {
        let text = text.as_ref();
        self.lines[at.0] = if text.is_empty() {
            String::from("\u{0}")
        } else {
            format!("{}{}", "    ".repeat(self.indent), text)
        };
    }

    /// Appends verbatim text (already indented), line by line.
    pub fn raw(&mut self, text: &str) {
        for l in text.lines() {
            self.lines.push(l.to_owned());
        }
    }

    /// The source, one `\n` after each line, unpatched placeholders removed.
    pub fn finish(self) -> String {
        let mut out = String::new();
        for l in self.lines {
            if l == "\u{0}" {
                continue;
            }
            out.push_str(l.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Luau reserved words, which cannot be used as bare field names.
const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local",
    "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

/// Whether `name` can be written bare (`t.name`, `{ name = ... }`).
pub fn is_plain_ident(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && !KEYWORDS.contains(&name)
}

/// `obj.name`, or `obj["name"]` when `name` is not a plain identifier.
pub fn field_access(obj: &str, name: &str) -> String {
    if is_plain_ident(name) {
        format!("{obj}.{name}")
    } else {
        format!("{obj}[{}]", lua_string(name))
    }
}

/// A table-constructor or table-type key: `name` or `["name"]`.
pub fn field_key(name: &str) -> String {
    if is_plain_ident(name) {
        name.to_owned()
    } else {
        format!("[{}]", lua_string(name))
    }
}

/// A Luau double-quoted string literal.
pub fn lua_string(s: &str) -> String {
    let mut out = String::from("\"");
    for b in s.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b}")),
        }
    }
    out.push('"');
    out
}

/// A Luau numeric literal that reads back as exactly `v`.
pub fn lua_number(v: f64) -> String {
    if v.is_nan() {
        "(0 / 0)".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 {
            "math.huge".to_owned()
        } else {
            "-math.huge".to_owned()
        }
    } else if v == v.trunc() && v.abs() < 1e15 {
        if v == 0.0 && v.is_sign_negative() {
            "-0.0".to_owned()
        } else {
            format!("{}", v as i64)
        }
    } else {
        // `{:?}` prints the shortest representation that round-trips.
        format!("{v:?}")
    }
}

/// A Luau integer literal for an exactly representable integer.
pub fn lua_int(v: i128) -> String {
    format!("{v}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_indents_and_patches() {
        let mut w = Writer::new();
        w.open("do");
        let ph = w.placeholder();
        let dropped = w.placeholder();
        w.line("x()");
        w.patch(ph, "y()");
        let _ = dropped;
        w.close("end");
        assert_eq!(w.finish(), "do\n    y()\n    x()\nend\n");
    }

    #[test]
    fn literals() {
        assert_eq!(lua_number(0.1), "0.1");
        assert_eq!(lua_number(-0.0), "-0.0");
        assert_eq!(lua_number(3.0), "3");
        assert_eq!(lua_string("a\"b\u{e9}"), "\"a\\\"b\\195\\169\"");
        assert_eq!(field_access("v", "end"), "v[\"end\"]");
        assert_eq!(field_key("x_1"), "x_1");
    }
}

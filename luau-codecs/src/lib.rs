//! Luau generator.

//! Skyrocket schema IR.

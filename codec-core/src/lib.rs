//! Skyrocket.

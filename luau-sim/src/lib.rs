//! Embedded Roblox host.

//! Codecs by name, so a channel or message can name its format in
//! configuration and users can plug in their own.

use crate::{BitPacked, Codec, Json, MsgPack};
use std::sync::Arc;

/// A set of codecs looked up by [`Codec::name`]. [`Registry::default`] holds
/// the built-in formats; [`Registry::register`] adds or replaces one.
#[derive(Clone)]
pub struct Registry {
    codecs: Vec<Arc<dyn Codec>>,
}

impl Default for Registry {
    fn default() -> Self {
        let mut registry = Registry::empty();
        registry.register(Arc::new(BitPacked));
        registry.register(Arc::new(Json));
        registry.register(Arc::new(MsgPack));
        registry.register(Arc::new(crate::Protobuf));
        registry
    }
}

impl Registry {
    /// A registry with no codecs at all.
    pub fn empty() -> Self {
        Registry { codecs: Vec::new() }
    }

    /// Adds `codec`, replacing a codec of the same name; returns the one it replaced.
    pub fn register(&mut self, codec: Arc<dyn Codec>) -> Option<Arc<dyn Codec>> {
        match self.codecs.iter_mut().find(|c| c.name() == codec.name()) {
            Some(slot) => Some(std::mem::replace(slot, codec)),
            None => {
                self.codecs.push(codec);
                None
            }
        }
    }

    /// The codec named `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Codec>> {
        self.codecs.iter().find(|c| c.name() == name)
    }

    /// Registered names, in registration order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.codecs.iter().map(|c| c.name())
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

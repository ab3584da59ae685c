//! A hasher for maps whose keys are already hashes or plain ids: one
//! multiply-xorshift instead of SipHash, which would dominate insert time.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = crate::hash::hash_bytes(bytes) ^ self.0.rotate_left(17);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = crate::hash::fmix64(i ^ self.0.rotate_left(17));
    }
}

pub type MixBuild = BuildHasherDefault<MixHasher>;
pub type FastMap<K, V> = std::collections::HashMap<K, V, MixBuild>;
pub type FastSet<K> = std::collections::HashSet<K, MixBuild>;

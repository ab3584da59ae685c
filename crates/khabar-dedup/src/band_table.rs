//! The LSH band index: a compact multimap from 32-bit band keys to story
//! slots.
//!
//! A story adds one posting per band, so at a million stories and 32 bands
//! the table holds 32 million postings; a general `HashMap<u64, Vec<_>>`
//! would spend 40+ bytes on each. Here a posting is one `u64` (key in the
//! high half, slot + 1 in the low half; 0 means empty) in open-addressed,
//! linearly probed arrays kept at most 4/5 full: about 10 bytes a posting.
//! The arrays are split into 16 shards by the key's top bits, each growing
//! on its own by a quarter, so a resize never holds two copies of the whole
//! table at once. The 32-bit key may collide between unrelated bands (a
//! few lookups in a hundred at a million stories): harmless, because every
//! candidate is verified by its MinHash similarity.

const SHARDS: usize = 16;
const SHARD_BITS: u32 = 4;
/// Grow a shard when more than 4/5 of its slots are taken, by a quarter.
const MAX_LOAD_NUM: usize = 4;
const MAX_LOAD_DEN: usize = 5;
const GROWTH_NUM: usize = 5;
const GROWTH_DEN: usize = 4;
const MIN_SHARD: usize = 256;

struct Shard {
    slots: Vec<u64>,
    len: usize,
}

impl Shard {
    fn new(slots: usize) -> Self {
        Shard {
            slots: vec![0; slots.max(MIN_SHARD)],
            len: 0,
        }
    }

    /// First slot for a key, over any shard size (Lemire's multiply-shift
    /// range reduction). The key is rotated so that the bits that chose the
    /// shard do not also choose the slot.
    #[inline]
    fn home(&self, key: u32) -> usize {
        ((key.rotate_left(SHARD_BITS) as u64 * self.slots.len() as u64) >> 32) as usize
    }

    #[inline]
    fn next(&self, i: usize) -> usize {
        if i + 1 == self.slots.len() { 0 } else { i + 1 }
    }

    fn insert(&mut self, key: u32, slot: u32, max_per_key: usize) {
        if (self.len + 1) * MAX_LOAD_DEN > self.slots.len() * MAX_LOAD_NUM {
            self.grow();
        }
        let mut i = self.home(key);
        let mut same = 0;
        loop {
            let s = self.slots[i];
            if s == 0 {
                self.slots[i] = ((key as u64) << 32) | (slot as u64 + 1);
                self.len += 1;
                return;
            }
            if (s >> 32) as u32 == key {
                same += 1;
                if same >= max_per_key {
                    return;
                }
            }
            i = self.next(i);
        }
    }

    fn grow(&mut self) {
        let new_len = (self.slots.len() * GROWTH_NUM / GROWTH_DEN).max(MIN_SHARD);
        let old = std::mem::replace(&mut self.slots, vec![0; new_len]);
        for s in old.into_iter().filter(|&s| s != 0) {
            let mut i = self.home((s >> 32) as u32);
            while self.slots[i] != 0 {
                i = self.next(i);
            }
            self.slots[i] = s;
        }
    }
}

pub struct BandTable {
    shards: Vec<Shard>,
    /// Postings kept per key: a key shared by more stories than this is a
    /// crowd of copies already linked among themselves, and scanning it on
    /// every insert would make cost grow with the store.
    max_per_key: usize,
}

impl BandTable {
    pub fn with_capacity(postings: usize, max_per_key: usize) -> Self {
        let per_shard = postings / SHARDS * MAX_LOAD_DEN / MAX_LOAD_NUM + 1;
        BandTable {
            shards: (0..SHARDS).map(|_| Shard::new(per_shard)).collect(),
            max_per_key: max_per_key.max(1),
        }
    }

    #[inline]
    fn shard(&self, key: u32) -> usize {
        (key >> (32 - SHARD_BITS)) as usize
    }

    /// Adds `slot` under `key`, unless the key already holds its quota.
    pub fn insert(&mut self, key: u32, slot: u32) {
        let s = self.shard(key);
        let max = self.max_per_key;
        self.shards[s].insert(key, slot, max);
    }

    /// Calls `f` with every slot stored under `key`.
    #[inline]
    pub fn for_each(&self, key: u32, mut f: impl FnMut(u32)) {
        let shard = &self.shards[self.shard(key)];
        let mut i = shard.home(key);
        loop {
            let s = shard.slots[i];
            if s == 0 {
                return;
            }
            if (s >> 32) as u32 == key {
                f((s & 0xFFFF_FFFF) as u32 - 1);
            }
            i = shard.next(i);
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.len).sum()
    }

    pub fn heap_bytes(&self) -> usize {
        self.shards.iter().map(|s| s.slots.len() * 8).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_all_postings_of_a_key_across_growth() {
        let mut t = BandTable::with_capacity(4, 100);
        for slot in 0..50_000u32 {
            // Spread keys over all shards.
            t.insert((slot % 1000).wrapping_mul(0x9E37_79B9), slot);
        }
        assert_eq!(t.len(), 50_000);
        let mut got = Vec::new();
        t.for_each(7u32.wrapping_mul(0x9E37_79B9), |s| got.push(s));
        got.sort();
        assert_eq!(got, (0..50).map(|k| 7 + 1000 * k).collect::<Vec<u32>>());
        let mut none = Vec::new();
        t.for_each(123_456, |s| none.push(s));
        assert!(none.is_empty());
    }

    #[test]
    fn a_crowded_key_keeps_its_quota_only() {
        let mut t = BandTable::with_capacity(16, 3);
        for slot in 0..10 {
            t.insert(42, slot);
        }
        let mut n = 0;
        t.for_each(42, |_| n += 1);
        assert_eq!(n, 3);
    }
}

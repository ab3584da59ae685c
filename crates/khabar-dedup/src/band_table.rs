//! The LSH band index: a compact multimap from 32-bit band keys to story
//! slots.
//!
//! A story adds one posting per band, so at a million stories and 20 bands
//! the table holds twenty million postings; a general `HashMap<u64, Vec<_>>`
//! would spend 40+ bytes on each. Here a posting is one `u64` (key in the
//! high half, slot + 1 in the low half; 0 means empty) in an open-addressed,
//! linearly probed array, about 11 bytes a posting at the usual load. The
//! 32-bit key may collide between unrelated bands (about one lookup in a few
//! hundred at a million stories): harmless, because every candidate is
//! verified by its MinHash similarity.

/// Grow when more than 4/5 of the slots are taken, by a quarter: the
/// table is most of the index's memory, so it is kept close to full rather
/// than doubled in power-of-two steps.
const MAX_LOAD_NUM: usize = 4;
const MAX_LOAD_DEN: usize = 5;
const GROWTH_NUM: usize = 5;
const GROWTH_DEN: usize = 4;

pub struct BandTable {
    slots: Vec<u64>,
    len: usize,
    /// Postings kept per key: a key shared by more stories than this is a
    /// crowd of copies already linked among themselves, and scanning it on
    /// every insert would make cost grow with the store.
    max_per_key: usize,
}

impl BandTable {
    pub fn with_capacity(postings: usize, max_per_key: usize) -> Self {
        let slots = (postings * MAX_LOAD_DEN / MAX_LOAD_NUM + 1)
            .next_power_of_two()
            .max(1024);
        BandTable {
            slots: vec![0; slots],
            len: 0,
            max_per_key: max_per_key.max(1),
        }
    }

    /// Maps a key to its first slot over any table size (Lemire's
    /// multiply-shift range reduction); band keys are uniform hash bits.
    #[inline]
    fn home(&self, key: u32) -> usize {
        ((key as u64 * self.slots.len() as u64) >> 32) as usize
    }

    #[inline]
    fn next(&self, i: usize) -> usize {
        if i + 1 == self.slots.len() { 0 } else { i + 1 }
    }

    /// Adds `slot` under `key`, unless the key already holds its quota.
    pub fn insert(&mut self, key: u32, slot: u32) {
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
                if same >= self.max_per_key {
                    return;
                }
            }
            i = self.next(i);
        }
    }

    /// Calls `f` with every slot stored under `key`.
    #[inline]
    pub fn for_each(&self, key: u32, mut f: impl FnMut(u32)) {
        let mut i = self.home(key);
        loop {
            let s = self.slots[i];
            if s == 0 {
                return;
            }
            if (s >> 32) as u32 == key {
                f((s & 0xFFFF_FFFF) as u32 - 1);
            }
            i = self.next(i);
        }
    }

    fn grow(&mut self) {
        let new_len = (self.slots.len() * GROWTH_NUM / GROWTH_DEN).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![0; new_len]);
        for s in old.into_iter().filter(|&s| s != 0) {
            let mut i = self.home((s >> 32) as u32);
            while self.slots[i] != 0 {
                i = self.next(i);
            }
            self.slots[i] = s;
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_all_postings_of_a_key_across_growth() {
        let mut t = BandTable::with_capacity(4, 100);
        for slot in 0..5000u32 {
            t.insert(slot % 1000, slot);
        }
        assert_eq!(t.len(), 5000);
        let mut got = Vec::new();
        t.for_each(7, |s| got.push(s));
        got.sort();
        assert_eq!(got, vec![7, 1007, 2007, 3007, 4007]);
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

//! A small, fast 64-bit hash for tokens and shingles.
//!
//! Dedup hashes every word of every story, so the hash must be cheap, yet its
//! output feeds MinHash, which assumes well-mixed bits; a multiply-rotate
//! loop over 8-byte chunks followed by murmur3's finaliser gives both. The
//! values are persisted inside signatures, so this function must never
//! change without bumping the signature version.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Murmur3's 64-bit finaliser: full avalanche of all input bits.
#[inline]
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    h
}

/// Hash of a byte string (a folded token).
#[inline]
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = (b.len() as u64).wrapping_mul(K);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(29);
    }
    fmix64(h)
}

/// Order-sensitive combination of token hashes into one shingle hash.
#[inline]
pub fn combine(hashes: &[u64], salt: u64) -> u64 {
    let mut h = salt;
    for &t in hashes {
        h = (h.rotate_left(23) ^ t).wrapping_mul(K);
    }
    fmix64(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_inputs_hash_apart_and_stably() {
        assert_ne!(hash_bytes(b"iran"), hash_bytes(b"iraq"));
        assert_ne!(hash_bytes(b"abcdefgh1"), hash_bytes(b"abcdefgh2"));
        assert_eq!(hash_bytes(b"tehran"), hash_bytes(b"tehran"));
        assert_ne!(combine(&[1, 2], 0), combine(&[2, 1], 0));
        assert_ne!(combine(&[1, 2], 0), combine(&[1, 2], 1));
    }
}

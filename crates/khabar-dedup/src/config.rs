/// Tuning of the dedup index. The defaults were chosen on the labelled
/// evaluation in `tests/` (see `docs/bench/dedup.md`); change them only
/// with that evaluation at hand.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupConfig {
    /// LSH bands; `bands * rows` must not exceed 128 (the MinHash length).
    pub bands: usize,
    /// MinHash values per band. With 3 rows, a pair at Jaccard 0.5 shares at
    /// least one band with probability 1 - (1 - 0.5^3)^bands.
    pub rows: usize,
    /// A candidate is a copy when at least this share of the smaller
    /// story's shingles is found in the larger (estimated from MinHash)...
    pub copy_containment: f32,
    /// ...and their Jaccard similarity is at least this, so that a short
    /// brief is not taken for a copy of a long feature that quotes it.
    pub copy_min_jaccard: f32,
    /// Stories kept per band key; bounds the work per insert.
    pub max_per_band_key: usize,
    /// Two reports can belong to one event only if published this close
    /// (seconds). Stories without a time are compared by arrival only.
    pub event_window_secs: i64,
    /// Keywords two reports must share to be one event...
    pub event_min_shared: usize,
    /// ...and the idf-weighted share of the smaller keyword set they cover.
    pub event_min_overlap: f32,
    /// Most recent stories looked at per keyword when searching events.
    pub event_scan_per_keyword: usize,
    /// Expected number of stories, to size tables up front (0 = grow).
    pub expected_stories: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            bands: 24,
            rows: 3,
            copy_containment: 0.6,
            copy_min_jaccard: 0.25,
            max_per_band_key: 64,
            event_window_secs: 2 * 24 * 3600,
            event_min_shared: 3,
            event_min_overlap: 0.45,
            event_scan_per_keyword: 64,
            expected_stories: 0,
        }
    }
}

impl DedupConfig {
    /// The band layout actually used: clamped so it fits the signature.
    pub(crate) fn layout(&self) -> (usize, usize) {
        let rows = self.rows.clamp(1, crate::signature::NUM_HASHES);
        let bands = self.bands.clamp(1, crate::signature::NUM_HASHES / rows);
        (bands, rows)
    }
}

/// Tuning of the dedup index. The defaults were chosen on the labelled
/// evaluation in `tests/` (see `docs/bench/dedup.md`); change them only
/// with that evaluation at hand.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupConfig {
    /// LSH bands; `bands * rows` must not exceed 128 (the MinHash length).
    pub bands: usize,
    /// MinHash values per band. A pair at Jaccard J shares at least one
    /// band with probability 1 - (1 - J^rows)^bands: with 32 bands of 2
    /// rows, 0.95 at J = 0.3 and 0.73 at J = 0.2, while unrelated stories
    /// (J < 0.01) collide about once in 3,000 pairs.
    pub rows: usize,
    /// A candidate is a copy when at least this share of the smaller
    /// story's shingles is found in the larger (estimated from MinHash)...
    pub copy_containment: f32,
    /// ...and their Jaccard similarity is at least this, so that a short
    /// brief is not taken for a copy of a long feature that quotes it.
    pub copy_min_jaccard: f32,
    /// Below this many shingles (about as many words) a story is a short
    /// item, often built from a template (dividends, rate moves); two short
    /// items are copies only at a Jaccard of at least `short_min_jaccard`.
    pub short_shingles: u32,
    pub short_min_jaccard: f32,
    /// ...or when at least `short_contained` of it is found in the other
    /// and their Jaccard is at least `short_contained_min_jaccard` (a brief
    /// later expanded into a fuller item).
    pub short_contained: f32,
    pub short_contained_min_jaccard: f32,
    /// When both stories carry figures, this share of the smaller set of
    /// figures must appear in the other: templated items differ in them.
    pub copy_min_figure_overlap: f32,
    /// Two items of template size (under `figure_check_below_shingles`)
    /// whose headlines name the same ticker (`<JWC>`) are copies when this
    /// share of figures agrees (all of them for short items) and their
    /// Jaccard is at least `named_min_jaccard`: a notice re-issued in other
    /// words ("Qtly div ... Pay April One" / "Quarterly dividend ...
    /// Payable April 1") keeps few of its 4-word shingles, and a correction
    /// changes a figure or two. Different tickers: never copies.
    pub named_min_figure_overlap: f32,
    pub named_min_jaccard: f32,
    /// The same for short items (under `short_shingles`), which must agree
    /// on every figure: one re-worded word costs a 15-word notice a larger
    /// share of its shingles.
    pub named_short_min_jaccard: f32,
    /// Figures the longer (not short) of such items must carry for their
    /// agreement to count: one or two shared figures (a date, a price) are
    /// common to different reports about one company.
    pub named_min_figures: usize,
    /// The figure check applies only when the shorter story has fewer
    /// shingles than this: long reports are not templated, and in them a
    /// rewritten figure ("ten" for "10") would only cost recall.
    pub figure_check_below_shingles: u32,
    /// Copies are published within this many seconds of each other;
    /// the same text weeks apart is a recurring item, not a re-issue.
    pub copy_window_secs: i64,
    /// Stories kept per band key; bounds the work per insert.
    pub max_per_band_key: usize,
    /// Two reports can belong to one event only if published this close
    /// (seconds). Stories without a time are compared by arrival only.
    pub event_window_secs: i64,
    /// Keywords two reports must share to be one event...
    pub event_min_shared: usize,
    /// ...and the idf-weighted share of the smaller keyword set they cover.
    pub event_min_overlap: f32,
    /// ...and at least this many of the shared keywords must be distinctive:
    /// found in at most `event_distinctive_df` stories (or 1/200 of the
    /// store, whichever is more). Template headlines share common words.
    pub event_min_distinctive: usize,
    pub event_distinctive_df: usize,
    /// Most recent stories looked at per keyword when searching events.
    pub event_scan_per_keyword: usize,
    /// Expected number of stories, to size tables up front (0 = grow).
    pub expected_stories: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            bands: 32,
            rows: 2,
            copy_containment: 0.6,
            copy_min_jaccard: 0.1,
            short_shingles: 40,
            short_min_jaccard: 0.6,
            short_contained: 0.9,
            short_contained_min_jaccard: 0.35,
            copy_min_figure_overlap: 0.9,
            named_min_figure_overlap: 0.75,
            named_min_jaccard: 0.25,
            named_min_figures: 3,
            named_short_min_jaccard: 0.2,
            figure_check_below_shingles: 200,
            copy_window_secs: 84 * 3600,
            max_per_band_key: 64,
            event_window_secs: 2 * 24 * 3600,
            event_min_shared: 3,
            event_min_overlap: 0.45,
            event_min_distinctive: 2,
            event_distinctive_df: 5,
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

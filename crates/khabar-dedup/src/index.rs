//! The dedup index: finds copies of a new story among every story seen,
//! keeps copies together as one story group with a primary version, and
//! links groups that report the same event.
//!
//! Cost per insert stays flat as the store grows: copies are found through
//! LSH bands (a fixed number of hash-table probes, each bucket capped) and
//! events through keyword postings of which only the most recent few are
//! scanned. Memory is a few hundred bytes a story, mostly the 16-bit
//! MinHash values kept to verify candidates.

use crate::DedupError;
use crate::band_table::BandTable;
use crate::config::DedupConfig;
use crate::fast_hash::{FastMap, FastSet};
use crate::hash::{combine, hash_bytes};
use crate::signature::{
    MAX_TITLE_FIGURES, NUM_HASHES, Signature, containment_from_jaccard, figure_overlap,
    title_figures_agree,
};

const NONE: u32 = u32::MAX;
const NO_TIME: i64 = i64::MIN;

/// What the caller knows about a story besides its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryMeta {
    pub published_unix: Option<i64>,
    /// Length of the plain-text body (bytes or chars, as long as the
    /// caller is consistent): the longest copy is the primary version.
    pub body_len: usize,
    /// The outlet, for counting how many outlets carried an event.
    pub source: Option<String>,
}

/// What a newly inserted story is.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupDecision {
    /// The primary story of the group this one copies, as it was before
    /// this insert; `None` when the story starts a group of its own.
    pub copy_of: Option<u64>,
    /// Estimated share of the shorter story's text found in the longer
    /// (0 when no copy was found).
    pub similarity: f32,
    /// This story is more complete than the group's primary (longer body;
    /// equal length and earlier) and is now the group's primary.
    pub becomes_primary: bool,
    /// The group: the id of the group's first story.
    pub group: u64,
    /// The event this story's group belongs to, when other reports of the
    /// same event exist: the id of the event's first story, which then
    /// belongs to the event as well. Events are per group: every copy in a
    /// group shares its group's event.
    pub event: Option<u64>,
}

/// Jaccard from the number of equal 8-bit MinHash values: each value
/// agrees by chance with probability 1/256, so E[share] = J + (1 - J)/256.
fn b_bit_jaccard(same: usize) -> f32 {
    const CHANCE: f32 = 1.0 / 256.0;
    let share = same as f32 / NUM_HASHES as f32;
    ((share - CHANCE) / (1.0 - CHANCE)).max(0.0)
}

/// What is known about a candidate pair when deciding whether it is a copy.
pub(crate) struct PairEvidence {
    pub jaccard: f32,
    pub shingles: (u32, u32),
    /// `None` when either story has no figures or too many.
    pub figure_overlap: Option<f32>,
    /// Figures of the story with fewer (0 when unknown).
    pub min_figures: usize,
    /// Seconds between the two publications, when both are known.
    pub gap_secs: Option<i64>,
    /// Whether the headlines name the same ticker; `None` unless both
    /// carry one.
    pub same_ticker: Option<bool>,
    /// Whether the headlines begin with the same two words; `None` when
    /// either is unknown (an old signature) or empty.
    pub same_lead: Option<bool>,
    /// Whether the headlines' figures agree; `None` unless both have some.
    pub title_figures_agree: Option<bool>,
}

impl PairEvidence {
    fn of(a: &Signature, b: &Signature, jaccard: f32, figure_overlap: Option<f32>) -> Self {
        PairEvidence {
            jaccard,
            shingles: (a.shingle_count(), b.shingle_count()),
            figure_overlap,
            min_figures: match (a.figures(), b.figures()) {
                (Some(x), Some(y)) => x.len().min(y.len()),
                _ => 0,
            },
            gap_secs: None,
            same_ticker: same_ticker(a.ticker(), b.ticker()),
            same_lead: same_ticker(a.title_lead(), b.title_lead()),
            title_figures_agree: title_figures_agree(a.title_figures(), b.title_figures()),
        }
    }
}

fn same_ticker(a: u32, b: u32) -> Option<bool> {
    (a != 0 && b != 0).then_some(a == b)
}

/// Whether a candidate pair is a copy; returns its containment similarity.
pub(crate) fn copy_verdict(config: &DedupConfig, e: &PairEvidence) -> Option<f32> {
    let (a, b) = e.shingles;
    if e.gap_secs
        .is_some_and(|g| g.abs() > config.copy_window_secs)
    {
        return None;
    }
    let short = a.min(b) < config.short_shingles;
    let templated_size = a.min(b) < config.figure_check_below_shingles;
    let named = e.same_ticker == Some(true);
    let cont = containment_from_jaccard(e.jaccard, a, b);
    if templated_size {
        // Items of template size about two different companies are
        // different items however alike their text.
        if e.same_ticker == Some(false) {
            return None;
        }
        if named {
            // One company, its figures (nearly) all the same: a re-issue
            // in other words ("Qtly div" / "Quarterly dividend", "Sales" /
            // "Revs") or a correction of a figure or two. A short notice
            // with few figures must agree on all of them.
            let overlap = e.figure_overlap.unwrap_or(0.0);
            let most_figures = e.min_figures >= config.named_min_figures
                && overlap >= config.named_min_figure_overlap
                && e.jaccard >= config.named_min_jaccard;
            let every_figure = short
                && e.min_figures >= 1
                && overlap >= 1.0
                && e.jaccard >= config.named_short_min_jaccard;
            if most_figures || every_figure {
                return Some(cont);
            }
        } else {
            // Without a ticker: a series re-sent with new figures in its
            // headline ("GRAIN FUTURES 12:10" / "12:20") is a new item, and
            // a short item's headline begins with its subject (fund,
            // market, company), so two short items whose headlines begin
            // differently are about different things.
            if e.title_figures_agree == Some(false) || (short && e.same_lead == Some(false)) {
                return None;
            }
        }
    }
    let similar_enough = if short {
        // A short item is a copy when nearly the same text, or when it is
        // wholly contained in a (longer) version of itself.
        e.jaccard >= config.short_min_jaccard
            || (cont >= config.short_contained && e.jaccard >= config.short_contained_min_jaccard)
    } else {
        e.jaccard >= config.copy_min_jaccard
    };
    let min_figures = if named {
        config.named_min_figure_overlap
    } else {
        config.copy_min_figure_overlap
    };
    let ok = cont >= config.copy_containment
        && similar_enough
        && (!templated_size || e.figure_overlap.is_none_or(|f| f >= min_figures));
    ok.then_some(cont)
}

/// Whether story `b` is a copy of story `a` under `config`, judged on the
/// two signatures alone (no index): the similarity when it is.
pub fn is_copy(
    config: &DedupConfig,
    a: &Signature,
    b: &Signature,
    gap_secs: Option<i64>,
) -> Option<f32> {
    if a.shingle_count() == 0 || b.shingle_count() == 0 {
        return None;
    }
    let mut evidence = PairEvidence::of(a, b, a.jaccard(b), a.figure_overlap(b));
    evidence.gap_secs = gap_secs;
    copy_verdict(config, &evidence)
}

/// An index rebuilt from stored signature blobs (see [`DedupIndex::rebuild`]).
pub struct Rebuilt {
    pub index: DedupIndex,
    /// Stories whose blob could not be decoded, with the reason; they are
    /// not in the index (re-compute their signature from the text).
    pub skipped: Vec<(u64, DedupError)>,
}

/// One group of copies, for reading the index back.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupView {
    pub group: u64,
    pub primary: u64,
    /// Every story of the group in arrival order: the group's history.
    pub members: Vec<u64>,
    pub event: Option<u64>,
}

struct Group {
    founder: u32,
    primary: u32,
    last: u32,
    size: u32,
    event: u32,
}

struct Event {
    founder: u32,
    groups: u32,
    outlets: u32,
}

pub struct DedupIndex {
    config: DedupConfig,
    bands: usize,
    rows: usize,
    table: BandTable,
    ids: Vec<u64>,
    by_id: FastMap<u64, u32>,
    /// Low 8 bits of each MinHash value, `NUM_HASHES` per story ("b-bit
    /// MinHash"): chance agreement of 1/256 per value is corrected for in
    /// the estimate, at a quarter of the memory of full values.
    sigs: Vec<u8>,
    shingles: Vec<u32>,
    /// Figures of all stories, flat; `fig_offsets[i]..fig_offsets[i+1]`
    /// are story i's. A story with too many figures has none stored and
    /// its bit set in `fig_many`.
    figs: Vec<u16>,
    fig_offsets: Vec<u32>,
    fig_many: Vec<bool>,
    /// Headline ticker hash and figures per story (see `Signature`).
    tickers: Vec<u32>,
    title_leads: Vec<u32>,
    title_figs: Vec<[u16; MAX_TITLE_FIGURES]>,
    published: Vec<i64>,
    body_len: Vec<u32>,
    source: Vec<u32>,
    group_of: Vec<u32>,
    next_in_group: Vec<u32>,
    groups: Vec<Group>,
    kw_offsets: Vec<u32>,
    kw: Vec<u32>,
    postings: FastMap<u32, Vec<u32>>,
    events: Vec<Event>,
    event_sources: FastSet<u64>,
}

impl DedupIndex {
    pub fn new(config: DedupConfig) -> Self {
        let (bands, rows) = config.layout();
        let n = config.expected_stories;
        let table = BandTable::with_capacity(n * bands, config.max_per_band_key);
        let mut by_id = FastMap::default();
        by_id.reserve(n);
        DedupIndex {
            bands,
            rows,
            table,
            ids: Vec::with_capacity(n),
            by_id,
            sigs: Vec::with_capacity(n * NUM_HASHES),
            shingles: Vec::with_capacity(n),
            figs: Vec::new(),
            fig_offsets: vec![0],
            fig_many: Vec::with_capacity(n),
            tickers: Vec::with_capacity(n),
            title_leads: Vec::with_capacity(n),
            title_figs: Vec::with_capacity(n),
            published: Vec::with_capacity(n),
            body_len: Vec::with_capacity(n),
            source: Vec::with_capacity(n),
            group_of: Vec::with_capacity(n),
            next_in_group: Vec::with_capacity(n),
            groups: Vec::new(),
            kw_offsets: vec![0],
            kw: Vec::new(),
            postings: FastMap::default(),
            events: Vec::new(),
            event_sources: FastSet::default(),
            config,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Rebuilds the index on restart from the store's signature blobs, in
    /// the order given (oldest first, as they were first inserted, gives
    /// the same groups). Bad blobs are reported, never silently dropped, and
    /// a rebuild that decodes none of a non-empty input is an error.
    pub fn rebuild<B: AsRef<[u8]>>(
        config: DedupConfig,
        stored: impl IntoIterator<Item = (u64, B, StoryMeta)>,
    ) -> Result<Rebuilt, DedupError> {
        let mut index = DedupIndex::new(config);
        let mut skipped = Vec::new();
        let mut seen = 0usize;
        for (id, blob, meta) in stored {
            seen += 1;
            match Signature::from_bytes(blob.as_ref()) {
                Ok(sig) => {
                    index.insert(id, sig, meta);
                }
                Err(e) => skipped.push((id, e)),
            }
        }
        if seen > 0 && index.is_empty() {
            return Err(DedupError::EmptyRebuild(seen));
        }
        Ok(Rebuilt { index, skipped })
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    /// Adds a story and returns what it is. Inserting an id a second time
    /// changes nothing and returns the story's current standing.
    pub fn insert(&mut self, id: u64, signature: Signature, meta: StoryMeta) -> DedupDecision {
        if let Some(&idx) = self.by_id.get(&id) {
            return self.standing(idx);
        }
        let idx = self.ids.len() as u32;
        let mh = signature.minhash();
        let mut sig8 = [0u8; NUM_HASHES];
        for (d, s) in sig8.iter_mut().zip(mh.iter()) {
            *d = *s as u8;
        }
        let band_keys: Vec<u32> = if signature.shingle_count() == 0 {
            Vec::new()
        } else {
            (0..self.bands)
                .map(|b| {
                    let vals: Vec<u64> = mh[b * self.rows..(b + 1) * self.rows]
                        .iter()
                        .map(|&v| v as u64)
                        .collect();
                    (combine(&vals, b as u64 + 1) >> 32) as u32
                })
                .collect()
        };
        let (best, similarity) = self.best_copy(&band_keys, &sig8, &signature, meta.published_unix);

        // Record the story. The per-story vectors grow by a quarter, not by
        // doubling: at a million stories doubling would leave up to half of
        // their memory unused.
        if self.ids.len() == self.ids.capacity() {
            let extra = (self.ids.len() / 4).max(1024);
            self.ids.reserve_exact(extra);
            self.sigs.reserve_exact(extra * NUM_HASHES);
            for v in [
                &mut self.shingles,
                &mut self.body_len,
                &mut self.source,
                &mut self.group_of,
                &mut self.next_in_group,
                &mut self.fig_offsets,
                &mut self.kw_offsets,
                &mut self.tickers,
                &mut self.title_leads,
            ] {
                v.reserve_exact(extra);
            }
            self.title_figs.reserve_exact(extra);
            self.published.reserve_exact(extra);
            self.fig_many.reserve_exact(extra);
        }
        if self.kw.capacity() - self.kw.len() < 16 {
            self.kw.reserve_exact(self.kw.len() / 4 + 1024);
        }
        if self.figs.capacity() - self.figs.len() < 64 {
            self.figs.reserve_exact(self.figs.len() / 4 + 1024);
        }
        self.ids.push(id);
        self.by_id.insert(id, idx);
        self.sigs.extend_from_slice(&sig8);
        self.shingles.push(signature.shingle_count());
        match signature.figures() {
            Some(f) => {
                self.figs.extend_from_slice(f);
                self.fig_many.push(false);
            }
            None => self.fig_many.push(true),
        }
        self.fig_offsets.push(self.figs.len() as u32);
        self.tickers.push(signature.ticker());
        self.title_leads.push(signature.title_lead());
        self.title_figs.push(signature.title_figures());
        self.published.push(meta.published_unix.unwrap_or(NO_TIME));
        self.body_len
            .push(meta.body_len.min(u32::MAX as usize) as u32);
        self.source.push(
            meta.source
                .as_deref()
                .map_or(0, |s| (hash_bytes(s.as_bytes()) >> 32) as u32 | 1),
        );
        self.next_in_group.push(NONE);
        for &k in &band_keys {
            self.table.insert(k, idx);
        }

        // Group.
        let (group, copy_of, becomes_primary) = match best {
            Some(c) => {
                let g = self.group_of[c as usize];
                let grp = &self.groups[g as usize];
                let prim = grp.primary;
                let becomes = self.more_complete(idx, prim);
                let last = grp.last;
                self.next_in_group[last as usize] = idx;
                let grp = &mut self.groups[g as usize];
                grp.last = idx;
                grp.size += 1;
                if becomes {
                    grp.primary = idx;
                }
                self.group_of.push(g);
                (g, Some(self.ids[prim as usize]), becomes)
            }
            None => {
                let g = self.groups.len() as u32;
                self.groups.push(Group {
                    founder: idx,
                    primary: idx,
                    last: idx,
                    size: 1,
                    event: NONE,
                });
                self.group_of.push(g);
                (g, None, false)
            }
        };

        // Event.
        let keywords = signature.keywords();
        let ev = self.groups[group as usize].event;
        if ev != NONE {
            self.count_outlet(ev, idx);
        } else if let Some(partner) = self.event_partner(idx, group, keywords) {
            let pg = self.group_of[partner as usize];
            let e = match self.groups[pg as usize].event {
                NONE => {
                    let e = self.events.len() as u32;
                    self.events.push(Event {
                        founder: self.groups[pg as usize].founder,
                        groups: 0,
                        outlets: 0,
                    });
                    self.attach(pg, e);
                    e
                }
                e => e,
            };
            self.attach(group, e);
        }
        for &k in keywords {
            self.postings.entry(k).or_default().push(idx);
        }
        self.kw.extend_from_slice(keywords);
        self.kw_offsets.push(self.kw.len() as u32);

        let grp = &self.groups[group as usize];
        DedupDecision {
            copy_of,
            similarity,
            becomes_primary,
            group: self.ids[grp.founder as usize],
            event: self.event_id(grp.event),
        }
    }

    /// The best verified copy among the band candidates, with its
    /// containment similarity.
    fn best_copy(
        &self,
        band_keys: &[u32],
        sig8: &[u8; NUM_HASHES],
        signature: &Signature,
        published: Option<i64>,
    ) -> (Option<u32>, f32) {
        let shingles = signature.shingle_count();
        let mut cands: Vec<u32> = Vec::new();
        for &k in band_keys {
            self.table.for_each(k, |s| cands.push(s));
        }
        cands.sort_unstable();
        cands.dedup();
        let mut best: Option<(u32, f32, f32)> = None;
        for c in cands {
            let other = &self.sigs[c as usize * NUM_HASHES..(c as usize + 1) * NUM_HASHES];
            let same = sig8.iter().zip(other).filter(|(a, b)| a == b).count();
            let j = b_bit_jaccard(same);
            let ci = c as usize;
            let figure_overlap = match (signature.figures(), self.fig_many[ci]) {
                (Some(f), false) => figure_overlap(
                    f,
                    &self.figs[self.fig_offsets[ci] as usize..self.fig_offsets[ci + 1] as usize],
                ),
                _ => None,
            };
            let tc = self.published[ci];
            let theirs = self.fig_offsets[ci + 1] - self.fig_offsets[ci];
            let evidence = PairEvidence {
                jaccard: j,
                shingles: (shingles, self.shingles[ci]),
                figure_overlap,
                min_figures: signature
                    .figures()
                    .map_or(0, |f| f.len().min(theirs as usize)),
                gap_secs: published.filter(|_| tc != NO_TIME).map(|t| t - tc),
                same_ticker: same_ticker(signature.ticker(), self.tickers[ci]),
                same_lead: same_ticker(signature.title_lead(), self.title_leads[ci]),
                title_figures_agree: title_figures_agree(
                    signature.title_figures(),
                    self.title_figs[ci],
                ),
            };
            let Some(cont) = copy_verdict(&self.config, &evidence) else {
                continue;
            };
            if best.is_none_or(|(_, bc, bj)| (cont, j) > (bc, bj)) {
                best = Some((c, cont, j));
            }
        }
        match best {
            Some((c, cont, _)) => (Some(c), cont),
            None => (None, 0.0),
        }
    }

    /// Longer body wins; at equal length the earlier publication wins;
    /// otherwise the current primary stays.
    fn more_complete(&self, new: u32, primary: u32) -> bool {
        let (nl, pl) = (self.body_len[new as usize], self.body_len[primary as usize]);
        if nl != pl {
            return nl > pl;
        }
        let (nt, pt) = (
            self.published[new as usize],
            self.published[primary as usize],
        );
        nt != NO_TIME && pt != NO_TIME && nt < pt
    }

    fn idf(&self, keyword: u32) -> f32 {
        let df = self.postings.get(&keyword).map_or(0, Vec::len) as f32;
        (1.0 + self.ids.len() as f32 / (df + 1.0)).ln()
    }

    /// A story of another group that reports the same event, if any: one
    /// sharing enough salient title/lead words, published within the window.
    fn event_partner(&self, idx: u32, group: u32, keywords: &[u32]) -> Option<u32> {
        if keywords.len() < self.config.event_min_shared {
            return None;
        }
        let t = self.published[idx as usize];
        // Scan only the postings themselves (contiguous, most recent
        // first); the per-story checks below run on the few candidates
        // sharing enough keywords, so cost does not grow with the store.
        let n = self.ids.len();
        let mut hits: Vec<(u32, f32, bool)> = Vec::new();
        let mut w_new = 0.0f32;
        for &k in keywords {
            let idf = self.idf(k);
            w_new += idf;
            let Some(list) = self.postings.get(&k) else {
                continue;
            };
            // A distinctive word (a name, a place) is in few stories; words
            // of a template headline ("1st qtr net") are in many.
            let distinctive = list.len() <= self.config.event_distinctive_df.max(n / 200);
            hits.extend(
                list.iter()
                    .rev()
                    .take(self.config.event_scan_per_keyword)
                    .map(|&c| (c, idf, distinctive)),
            );
        }
        hits.sort_unstable_by_key(|h| h.0);
        // (candidate, shared idf weight, shared keywords, distinctive ones)
        let mut agg: Vec<(u32, f32, usize, usize)> = Vec::new();
        for (c, w, d) in hits {
            match agg.last_mut() {
                Some(last) if last.0 == c => {
                    last.1 += w;
                    last.2 += 1;
                    last.3 += d as usize;
                }
                _ => agg.push((c, w, 1, d as usize)),
            }
        }
        agg.retain(|&(c, _, n, d)| {
            if n < self.config.event_min_shared
                || d < self.config.event_min_distinctive
                || self.group_of[c as usize] == group
            {
                return false;
            }
            let tc = self.published[c as usize];
            t == NO_TIME || tc == NO_TIME || (t - tc).abs() <= self.config.event_window_secs
        });
        agg.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        let mut best: Option<(u32, f32)> = None;
        for &(c, shared, _, _) in agg.iter().take(8) {
            let (lo, hi) = (
                self.kw_offsets[c as usize] as usize,
                self.kw_offsets[c as usize + 1] as usize,
            );
            let w_c: f32 = self.kw[lo..hi].iter().map(|&k| self.idf(k)).sum();
            let denom = w_new.min(w_c);
            if denom <= 0.0 {
                continue;
            }
            let score = shared / denom;
            if score >= self.config.event_min_overlap && best.is_none_or(|(_, s)| score > s) {
                best = Some((c, score));
            }
        }
        best.map(|b| b.0)
    }

    /// Puts a whole group into an event, counting its outlets.
    fn attach(&mut self, group: u32, event: u32) {
        self.groups[group as usize].event = event;
        self.events[event as usize].groups += 1;
        let mut m = self.groups[group as usize].founder;
        while m != NONE {
            self.count_outlet(event, m);
            m = self.next_in_group[m as usize];
        }
    }

    fn count_outlet(&mut self, event: u32, story: u32) {
        let src = self.source[story as usize];
        let new = src == 0
            || self
                .event_sources
                .insert(((event as u64) << 32) | src as u64);
        if new {
            self.events[event as usize].outlets += 1;
        }
    }

    fn event_id(&self, e: u32) -> Option<u64> {
        (e != NONE).then(|| self.ids[self.events[e as usize].founder as usize])
    }

    fn standing(&self, idx: u32) -> DedupDecision {
        let g = &self.groups[self.group_of[idx as usize] as usize];
        DedupDecision {
            copy_of: (g.primary != idx).then(|| self.ids[g.primary as usize]),
            similarity: 0.0,
            becomes_primary: false,
            group: self.ids[g.founder as usize],
            event: self.event_id(g.event),
        }
    }

    fn group_index(&self, group: u64) -> Option<u32> {
        let idx = *self.by_id.get(&group)?;
        let g = self.group_of[idx as usize];
        (self.groups[g as usize].founder == idx).then_some(g)
    }

    fn view(&self, g: u32) -> GroupView {
        let grp = &self.groups[g as usize];
        let mut members = Vec::with_capacity(grp.size as usize);
        let mut m = grp.founder;
        while m != NONE {
            members.push(self.ids[m as usize]);
            m = self.next_in_group[m as usize];
        }
        GroupView {
            group: self.ids[grp.founder as usize],
            primary: self.ids[grp.primary as usize],
            members,
            event: self.event_id(grp.event),
        }
    }

    /// The group a story belongs to (the id of the group's first story).
    pub fn group_of(&self, id: u64) -> Option<u64> {
        let idx = *self.by_id.get(&id)?;
        Some(self.ids[self.groups[self.group_of[idx as usize] as usize].founder as usize])
    }

    /// A group by its id, with its primary and history.
    pub fn group(&self, group: u64) -> Option<GroupView> {
        self.group_index(group).map(|g| self.view(g))
    }

    /// Every group, in order of creation.
    pub fn groups(&self) -> impl Iterator<Item = GroupView> + '_ {
        (0..self.groups.len() as u32).map(|g| self.view(g))
    }

    /// The event a story belongs to, if its group has related coverage.
    pub fn event_of(&self, id: u64) -> Option<u64> {
        let idx = *self.by_id.get(&id)?;
        self.event_id(self.groups[self.group_of[idx as usize] as usize].event)
    }

    /// Distinct outlets that carried an event (stories without a source
    /// count as one outlet each), for ranking events.
    pub fn event_outlets(&self, event: u64) -> usize {
        let Some(&idx) = self.by_id.get(&event) else {
            return 0;
        };
        match self.groups[self.group_of[idx as usize] as usize].event {
            NONE => 0,
            e => self.events[e as usize].outlets as usize,
        }
    }

    /// Number of groups and of events.
    pub fn counts(&self) -> (usize, usize) {
        (self.groups.len(), self.events.len())
    }

    /// Heap bytes held by the index (capacities, not just lengths; hash
    /// map overheads estimated).
    pub fn heap_bytes(&self) -> usize {
        let postings: usize = self
            .postings
            .values()
            .map(|v| v.capacity() * 4 + 16)
            .sum::<usize>()
            + self.postings.capacity() * (4 + 24 + 1);
        self.table.heap_bytes()
            + self.ids.capacity() * 8
            + self.by_id.capacity() * (12 + 1)
            + self.sigs.capacity()
            + self.figs.capacity() * 2
            + self.fig_offsets.capacity() * 4
            + self.fig_many.capacity()
            + (self.tickers.capacity() + self.title_leads.capacity()) * 4
            + self.title_figs.capacity() * 2 * MAX_TITLE_FIGURES
            + (self.shingles.capacity() + self.body_len.capacity() + self.source.capacity()) * 4
            + self.published.capacity() * 8
            + (self.group_of.capacity() + self.next_in_group.capacity()) * 4
            + self.groups.capacity() * std::mem::size_of::<Group>()
            + (self.kw_offsets.capacity() + self.kw.capacity()) * 4
            + postings
            + self.events.capacity() * std::mem::size_of::<Event>()
            + self.event_sources.capacity() * 9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "TEHRAN (Reuters) - Iran's parliament on Sunday approved a bill that \
        would limit cooperation with the International Atomic Energy Agency unless Western \
        sanctions are lifted, state media reported.\n\n\
        The bill, passed by 221 of the 290 members, obliges the government to suspend snap \
        inspections by the agency's inspectors within two months.\n\n\
        Foreign Minister Abbas Araqchi said the government would abide by the law but hoped \
        diplomacy with European powers could still resolve the dispute over the programme.";
    const UPDATE: &str = "\n\nThe European Union's foreign policy chief said the bloc was studying \
        the bill and would respond after consulting Britain, France and Germany, which are \
        parties to the 2015 nuclear agreement.";
    const OTHER: &str = "TEHRAN (Reuters) - Iran's foreign minister met the head of the \
        International Atomic Energy Agency in Vienna on Monday to discuss inspections, \
        days after parliament voted to curb the agency's access to nuclear sites.\n\n\
        Araqchi told reporters the meeting with Rafael Grossi was constructive and that \
        technical teams would meet again in Tehran next week to agree a timetable.";

    fn meta(t: i64, body: &str, src: &str) -> StoryMeta {
        StoryMeta {
            published_unix: Some(t),
            body_len: body.len(),
            source: Some(src.into()),
        }
    }

    #[test]
    fn copies_join_one_group_and_a_longer_update_becomes_primary() {
        let mut ix = DedupIndex::new(DedupConfig::default());
        let first = ix.insert(
            1,
            Signature::of("Iran parliament votes to curb IAEA", REPORT),
            meta(0, REPORT, "a"),
        );
        assert_eq!(first.copy_of, None);
        assert_eq!(first.group, 1);

        let trimmed: String = REPORT
            .split("\n\n")
            .take(2)
            .collect::<Vec<_>>()
            .join("\n\n");
        let copy = ix.insert(
            2,
            Signature::of(
                "Iranian MPs back bill limiting nuclear inspections",
                &trimmed,
            ),
            meta(600, &trimmed, "b"),
        );
        assert_eq!(copy.copy_of, Some(1));
        assert!(!copy.becomes_primary);
        assert_eq!(copy.group, 1);

        let longer = format!("{REPORT}{UPDATE}");
        let update = ix.insert(
            3,
            Signature::of("UPDATE 1-Iran parliament votes to curb IAEA", &longer),
            meta(3600, &longer, "c"),
        );
        assert_eq!(update.copy_of, Some(1));
        assert!(update.becomes_primary);
        let g = ix.group(1).unwrap();
        assert_eq!(g.primary, 3);
        assert_eq!(g.members, vec![1, 2, 3]);
    }

    #[test]
    fn a_different_report_of_the_same_event_is_a_separate_group_in_one_event() {
        let mut ix = DedupIndex::new(DedupConfig::default());
        ix.insert(
            1,
            Signature::of("Iran parliament votes to curb IAEA inspections", REPORT),
            meta(0, REPORT, "a"),
        );
        let d = ix.insert(
            2,
            Signature::of(
                "Iran foreign minister meets IAEA chief Grossi over inspections",
                OTHER,
            ),
            meta(86_400, OTHER, "b"),
        );
        assert_eq!(d.copy_of, None);
        assert_eq!(d.group, 2);
        assert_eq!(d.event, Some(1));
        assert_eq!(ix.event_of(1), Some(1));
        assert_eq!(ix.event_outlets(1), 2);
    }

    #[test]
    fn a_different_report_outside_the_window_is_no_event() {
        let mut ix = DedupIndex::new(DedupConfig::default());
        ix.insert(
            1,
            Signature::of("Iran parliament votes to curb IAEA inspections", REPORT),
            meta(0, REPORT, "a"),
        );
        let d = ix.insert(
            2,
            Signature::of(
                "Iran foreign minister meets IAEA chief Grossi over inspections",
                OTHER,
            ),
            meta(30 * 86_400, OTHER, "b"),
        );
        assert_eq!(d.event, None);
    }

    #[test]
    fn an_index_rebuilt_from_stored_blobs_decides_the_same() {
        let texts = [
            ("Iran parliament votes to curb IAEA", REPORT),
            ("Iran FM meets IAEA chief", OTHER),
        ];
        let mut blobs = Vec::new();
        let mut live = DedupIndex::new(DedupConfig::default());
        for (i, (t, b)) in texts.iter().enumerate() {
            let sig = Signature::of(t, b);
            blobs.push(sig.to_bytes());
            live.insert(i as u64, sig, meta(0, b, "x"));
        }
        let mut rebuilt = DedupIndex::new(DedupConfig::default());
        for (i, blob) in blobs.iter().enumerate() {
            rebuilt.insert(
                i as u64,
                Signature::from_bytes(blob).unwrap(),
                meta(0, texts[i].1, "x"),
            );
        }
        assert_eq!(rebuilt.len(), 2);
        let probe = Signature::of("Iran's parliament curbs IAEA", REPORT);
        let a = live.insert(9, probe.clone(), meta(60, REPORT, "y"));
        let b = rebuilt.insert(9, probe, meta(60, REPORT, "y"));
        assert_eq!(a, b);
        assert_eq!(a.copy_of, Some(0));
    }

    #[test]
    fn rebuild_reports_bad_blobs_and_refuses_to_come_up_empty() {
        let good = Signature::of("Iran parliament votes to curb IAEA", REPORT).to_bytes();
        let r = DedupIndex::rebuild(
            DedupConfig::default(),
            vec![
                (1, good.clone(), meta(0, REPORT, "a")),
                (2, b"junk".to_vec(), meta(0, "", "a")),
            ],
        )
        .unwrap();
        assert_eq!(r.index.len(), 1);
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].0, 2);
        let all_bad = DedupIndex::rebuild(
            DedupConfig::default(),
            vec![(1, b"junk".to_vec(), meta(0, "", "a"))],
        );
        assert!(matches!(all_bad, Err(DedupError::EmptyRebuild(1))));
        let none: Vec<(u64, Vec<u8>, StoryMeta)> = Vec::new();
        assert!(
            DedupIndex::rebuild(DedupConfig::default(), none)
                .unwrap()
                .index
                .is_empty()
        );
    }

    #[test]
    fn inserting_an_id_twice_changes_nothing() {
        let mut ix = DedupIndex::new(DedupConfig::default());
        ix.insert(5, Signature::of("t", REPORT), meta(0, REPORT, "a"));
        let again = ix.insert(5, Signature::of("other", OTHER), meta(0, OTHER, "a"));
        assert_eq!(ix.len(), 1);
        assert_eq!(again.group, 5);
        assert_eq!(again.copy_of, None);
    }

    #[test]
    fn persian_copies_with_other_spellings_are_one_group() {
        let a = "تهران - وزیر امور خارجه ایران روز دوشنبه گفت که مذاکرات هسته‌ای با کشورهای اروپایی \
                 هفته آینده در وین از سر گرفته می‌شود و ایران آماده گفت‌وگو درباره برنامه بازرسی‌ها است.\n\n\
                 او افزود که هیئت ایرانی پیشنهادهای تازه‌ای برای رفع نگرانی‌های آژانس بین‌المللی انرژی اتمی \
                 به همراه خواهد داشت و امیدوار است که تحریم‌ها به‌زودی برداشته شوند.\n\n\
                 سخنگوی اتحادیه اروپا نیز از از سرگیری گفت‌وگوها استقبال کرد.";
        // Another outlet: Arabic yeh and kaf, no ZWNJ, a "read more" line.
        let b = a
            .replace('ی', "ي")
            .replace('ک', "ك")
            .replace('\u{200C}', "")
            + "\n\nبیشتر بخوانید: گزارش‌های دیگر";
        let mut ix = DedupIndex::new(DedupConfig::default());
        ix.insert(
            1,
            Signature::of("ازسرگیری مذاکرات هسته‌ای در وین", a),
            meta(0, a, "x"),
        );
        let d = ix.insert(
            2,
            Signature::of("مذاكرات هسته اي در وين از سر گرفته مي شود", &b),
            meta(60, &b, "y"),
        );
        assert_eq!(d.copy_of, Some(1));
        assert!(d.similarity > 0.8, "{}", d.similarity);
    }

    #[test]
    fn empty_stories_never_match_each_other() {
        let mut ix = DedupIndex::new(DedupConfig::default());
        ix.insert(1, Signature::of("", ""), meta(0, "", "a"));
        let d = ix.insert(2, Signature::of("", ""), meta(0, "", "a"));
        assert_eq!(d.copy_of, None);
    }
}

/// The title rules for templated wire items, on real Reuters-21578 items.
#[cfg(test)]
mod title_rule_tests {
    use super::*;

    const HOUR: i64 = 3600;

    fn copy(a: (&str, &str), b: (&str, &str)) -> bool {
        let (sa, sb) = (Signature::of(a.0, a.1), Signature::of(b.0, b.1));
        is_copy(&DedupConfig::default(), &sa, &sb, Some(HOUR)).is_some()
    }

    #[test]
    fn a_dividend_notice_reissued_in_other_words_is_a_copy() {
        assert!(copy(
            (
                "JIM WALTER CORP <JWC> REGULAR DIVIDEND",
                "Qtly div 35 cts vs 35 cts in prior qtr\n Payable April one\n Record March 14"
            ),
            (
                "JIM WALTER CORP <JWC> SETS PAYOUT",
                "Qtly div 35 cts vs 35 cts prior\n Pay April One\n Record March 14"
            ),
        ));
        assert!(copy(
            (
                "THE CHUBB CORP <CB> SETS QTRLY PAYOUT",
                "Qtrly 42 cts vs 42 cts prior\n Pay April 7\n Record March 20"
            ),
            (
                "CHUBB CORP <CB> SETS QUARTERLY",
                "Qtly div 42 cts vs 42 cts prior\n Pay April Seven\n Record March 20"
            ),
        ));
    }

    #[test]
    fn another_companys_notice_with_the_same_figures_is_not() {
        let body = "Qtly div 35 cts vs 35 cts prior\n Pay April One\n Record March 14";
        assert!(!copy(
            ("JIM WALTER CORP <JWC> SETS PAYOUT", body),
            ("HARSCO CORP <HSC> SETS PAYOUT", body),
        ));
        // Without tickers the headline's subject tells them apart.
        let hogs =
            "Hog prices opened 1.00 dlr higher, private sources said. Top 51.50 dlrs per cwt.";
        assert!(!copy(
            ("JOLIET HOGS UP 1.00 DLR - PRIVATE SOURCES", hogs),
            ("ST JOSEPH HOGS OPEN UP 1.00 DLR - PRIVATE", hogs),
        ));
        assert!(copy(
            ("JOLIET HOGS UP 1.00 DLR - PRIVATE SOURCES", hogs),
            ("JOLIET HOGS OPEN UP 1.00 DLR", hogs),
        ));
    }

    #[test]
    fn a_series_resent_with_a_new_headline_figure_is_not_a_copy() {
        let body = "MINNEAPOLIS WHEAT\n MAY7 285 UP 1 1/2\n JUL7 281 1/4 UP 1/2\n \
                    SEP7 276 1/2 UP 1/2\n DEC7 -- --\n MAR8 -- --";
        assert!(!copy(
            ("MIDWEST GRAIN FUTURES 12:10   EDT", body),
            ("MIDWEST GRAIN FUTURES 12:20   EDT", body),
        ));
        assert!(copy(
            ("MIDWEST GRAIN FUTURES 12:10   EDT", body),
            ("MIDWEST GRAIN FUTURES 12:10", body),
        ));
    }

    #[test]
    fn a_corrected_earnings_item_of_one_company_is_a_copy() {
        assert!(copy(
            (
                "INTERNATIONAL HYDRON CORP <HYD> 4TH QTR NET",
                "Oper shr profit six cts vs loss 20 cts\n Oper net profit 634,000 vs loss 2,312,000\n \
                 Sales 16.8 mln vs 13.9 mln\n Year\n Oper shr profit 30 cts vs profit three cts\n \
                 Oper net profit 3,342,000 vs profit 318,000\n Sales 67.5 mln vs 52.6 mln"
            ),
            (
                "INT'L HYDRON CORP <HYD> 4TH QTR OPER NET",
                "Oper shr profit six cts vs loss 20 cts\n Oper net profit 734,000 vs loss 2,312,000\n \
                 Revs 16.8 mln vs 13.9 mln\n Year\n Oper shr profit 30 cts vs profit three cts\n \
                 Oper net profit 3,342,000 vs profit 318,000\n Revs 67.5 mln vs 52.6 mln"
            ),
        ));
    }
}

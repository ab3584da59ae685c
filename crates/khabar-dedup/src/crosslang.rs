//! One event across languages: does an English report and a Persian
//! report tell of the same happening? No translation: the evidence is what
//! survives a change of script — named people, places and bodies (through
//! the bilingual gazetteer), figures, and the days named — within a time
//! window, with precision first.
//!
//! [`CrossLangMatcher::facts`] reads a report once; [`CrossLangMatcher::compare`]
//! turns two readings into a handful of features and a learned logistic
//! score (`data/crosslang-weights.toml`, trained on the fit part of the
//! fixtures by `examples/train_crosslang.rs`). A pair is the same event
//! only when the score clears the stored threshold, the reports are in
//! different languages, within the window, and share at least one entity
//! that is not generic: "Iran" or "Tehran" alone proves nothing.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::crosslang_dates::named_days;
use crate::crosslang_error::CrossLangError;
use crate::crosslang_figures::{figures, same_figure};
use crate::event_kinds::EventKinds;
use crate::gazetteer::{Gazetteer, Lang, Tier};
use crate::logistic::Logistic;

/// The learned weights shipped with the crate.
const BUNDLED_WEIGHTS: &str = include_str!("../data/crosslang-weights.toml");

/// The features, in the order of the weights file. The file names them
/// and loading refuses a file whose names differ.
pub const FEATURE_NAMES: [&str; 10] = [
    "entity_weight",
    "entity_overlap",
    "title_coverage",
    "figure_weight",
    "figure_disagreement",
    "day_agreement",
    "hours_apart",
    "title_unmatched",
    "kind_overlap",
    "title_kind_agreement",
];

/// How much of a title or body is read (see [`CrossLangMatcher::facts`]).
pub(crate) const MAX_READ_BYTES: usize = 16 * 1024;

/// The start of a text, cut at a character boundary.
fn lead(s: &str) -> &str {
    if s.len() <= MAX_READ_BYTES {
        return s;
    }
    let mut end = MAX_READ_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A report as the matcher needs it: the plain fields of a stored story.
#[derive(Debug, Clone, Copy)]
pub struct CrossLangReport<'a> {
    pub title: &'a str,
    /// Plain-text body (the lead paragraphs are enough).
    pub body: &'a str,
    pub lang: Lang,
    pub published_unix: Option<i64>,
}

/// What the matcher read from one report.
#[derive(Debug, Clone)]
pub struct ReportFacts {
    pub lang: Lang,
    pub published_unix: Option<i64>,
    /// Distinct gazetteer entities: (id, named in the title).
    pub entities: Vec<(u32, bool)>,
    /// Distinct figures (see `crosslang_figures`).
    pub figures: Vec<f64>,
    /// Days named (Gregorian).
    pub days: Vec<NaiveDate>,
    /// Kinds of event the words name (see `event_kinds`), whole report.
    pub kinds: Vec<u16>,
    /// Kinds of event the title names.
    pub title_kinds: Vec<u16>,
}

/// The verdict on a pair of reports, with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossLangDecision {
    pub same_event: bool,
    /// Learned probability that the pair is one event (0 when a gate
    /// failed before scoring).
    pub score: f64,
    /// What aligned (entities, figures, days) or which gate failed, for
    /// people and for debugging.
    pub reasons: Vec<String>,
}

#[derive(Deserialize)]
struct WeightsFile {
    features: Vec<String>,
    weights: Vec<f64>,
    bias: f64,
    threshold: f64,
    window_hours: f64,
}

/// The cross-language matcher: gazetteer plus learned weights.
#[derive(Debug, Clone)]
pub struct CrossLangMatcher {
    gazetteer: Gazetteer,
    kinds: EventKinds,
    model: Logistic,
    threshold: f64,
    window_secs: i64,
}

/// How much an entity of each tier counts.
pub(crate) fn tier_weight(t: Tier) -> f64 {
    match t {
        Tier::Specific => 1.0,
        Tier::Common => 0.3,
        Tier::Generic => 0.05,
    }
}

/// How much a shared figure counts: small numbers agree by chance.
fn figure_weight(v: f64) -> f64 {
    if v < 10.0 {
        0.3
    } else if v <= 31.0 && v.fract() == 0.0 {
        0.6
    } else {
        1.0
    }
}

impl CrossLangMatcher {
    /// The bundled gazetteer and weights.
    pub fn bundled() -> Result<CrossLangMatcher, CrossLangError> {
        CrossLangMatcher::new(
            Gazetteer::bundled()?,
            EventKinds::bundled()?,
            BUNDLED_WEIGHTS,
        )
    }

    /// A matcher from a gazetteer, an event vocabulary and the text of a
    /// weights file.
    pub fn new(
        gazetteer: Gazetteer,
        kinds: EventKinds,
        weights_toml: &str,
    ) -> Result<CrossLangMatcher, CrossLangError> {
        let w: WeightsFile =
            toml::from_str(weights_toml).map_err(|e| CrossLangError::Weights(e.to_string()))?;
        if w.features != FEATURE_NAMES || w.weights.len() != FEATURE_NAMES.len() {
            return Err(CrossLangError::Weights(format!(
                "features {:?} do not match this code's {:?}",
                w.features, FEATURE_NAMES
            )));
        }
        if !(0.0..=1.0).contains(&w.threshold) || w.window_hours <= 0.0 {
            return Err(CrossLangError::Weights(
                "threshold or window out of range".into(),
            ));
        }
        Ok(CrossLangMatcher {
            gazetteer,
            kinds,
            model: Logistic {
                weights: w.weights,
                bias: w.bias,
            },
            threshold: w.threshold,
            window_secs: (w.window_hours * 3600.0) as i64,
        })
    }

    /// The gazetteer the matcher reads names with.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Longest gap between two reports of one event.
    pub fn window_secs(&self) -> i64 {
        self.window_secs
    }

    /// Reads a report once: entities, figures and days. Only the first
    /// 16 KB of the title and of the body are read: the lead
    /// carries the event, and a 30 MB page must not cost 30 MB of tokens.
    pub fn facts(&self, r: &CrossLangReport<'_>) -> ReportFacts {
        let title = lead(r.title);
        let body = lead(r.body);
        let title_toks = khabar_text::tokens(title).into_vec();
        let body_toks = khabar_text::tokens(body).into_vec();
        let mut entities: Vec<(u32, bool)> = Vec::new();
        for (toks, in_title) in [(&title_toks, true), (&body_toks, false)] {
            for hit in self.gazetteer.find(toks, r.lang) {
                match entities.iter_mut().find(|e| e.0 == hit.entity) {
                    Some(e) => e.1 |= in_title,
                    None => entities.push((hit.entity, in_title)),
                }
            }
        }
        let mut figs = figures(title, r.lang);
        for f in figures(body, r.lang) {
            if !figs.iter().any(|&g| same_figure(f, g)) {
                figs.push(f);
            }
        }
        let mut days = named_days(&title_toks, r.lang, r.published_unix);
        for d in named_days(&body_toks, r.lang, r.published_unix) {
            if !days.contains(&d) {
                days.push(d);
            }
        }
        let title_kinds = self.kinds.kinds(&title_toks, r.lang);
        let mut kinds = self.kinds.kinds(&body_toks, r.lang);
        kinds.extend_from_slice(&title_kinds);
        kinds.sort_unstable();
        kinds.dedup();
        ReportFacts {
            lang: r.lang,
            published_unix: r.published_unix,
            entities,
            figures: figs,
            days,
            kinds,
            title_kinds,
        }
    }

    fn weight(&self, id: u32) -> f64 {
        self.gazetteer
            .entity(id)
            .map_or(0.0, |e| tier_weight(e.tier))
    }

    fn tier(&self, id: u32) -> Tier {
        self.gazetteer.entity(id).map_or(Tier::Generic, |e| e.tier)
    }

    fn label(&self, id: u32) -> String {
        self.gazetteer
            .entity(id)
            .map_or_else(|| id.to_string(), |e| e.label.clone())
    }

    /// The feature vector of a pair (see [`FEATURE_NAMES`]) and the
    /// evidence behind it.
    pub fn features(&self, a: &ReportFacts, b: &ReportFacts) -> (Vec<f64>, Vec<String>) {
        let mut reasons = Vec::new();
        let shared: Vec<u32> = a
            .entities
            .iter()
            .filter(|e| b.entities.iter().any(|f| f.0 == e.0))
            .map(|e| e.0)
            .collect();
        let shared_w: f64 = shared.iter().map(|&e| self.weight(e)).sum();
        let total = |f: &ReportFacts| f.entities.iter().map(|e| self.weight(e.0)).sum::<f64>();
        let overlap = shared_w / total(a).min(total(b)).max(1e-9);
        if !shared.is_empty() {
            let names: Vec<String> = shared.iter().map(|&e| self.label(e)).collect();
            reasons.push(format!("entities: {}", names.join(", ")));
        }

        // Title coverage: how much of each title's non-generic entities the
        // other report names at all; the weaker side counts.
        let mut coverage = Vec::new();
        let mut unmatched = 0.0;
        for (x, y) in [(a, b), (b, a)] {
            let title: Vec<u32> = x
                .entities
                .iter()
                .filter(|e| e.1 && self.tier(e.0) != Tier::Generic)
                .map(|e| e.0)
                .collect();
            let tw: f64 = title.iter().map(|&e| self.weight(e)).sum();
            let missing: Vec<u32> = title
                .iter()
                .copied()
                .filter(|&e| !y.entities.iter().any(|f| f.0 == e))
                .collect();
            let mw: f64 = missing.iter().map(|&e| self.weight(e)).sum();
            unmatched += missing
                .iter()
                .filter(|&&e| self.tier(e) == Tier::Specific)
                .count() as f64;
            coverage.push(if tw > 0.0 { 1.0 - mw / tw } else { 0.5 });
            if !missing.is_empty() {
                let names: Vec<String> = missing.iter().map(|&e| self.label(e)).collect();
                reasons.push(format!(
                    "title names missing on the other side: {}",
                    names.join(", ")
                ));
            }
        }
        let title_coverage = coverage.iter().copied().fold(1.0, f64::min);

        let shared_figs: Vec<f64> = a
            .figures
            .iter()
            .copied()
            .filter(|&f| b.figures.iter().any(|&g| same_figure(f, g)))
            .collect();
        let fig_w: f64 = shared_figs.iter().map(|&f| figure_weight(f)).sum();
        if !shared_figs.is_empty() {
            let s: Vec<String> = shared_figs.iter().map(|f| format!("{f}")).collect();
            reasons.push(format!("figures: {}", s.join(", ")));
        }
        let significant = |f: &ReportFacts| f.figures.iter().filter(|&&v| v >= 10.0).count();
        let min_sig = significant(a).min(significant(b));
        let sig_shared = shared_figs.iter().filter(|&&v| v >= 10.0).count();
        let disagreement = if min_sig > 0 {
            1.0 - (sig_shared as f64 / min_sig as f64).min(1.0)
        } else {
            0.0
        };

        let day = if a.days.iter().any(|d| b.days.contains(d)) {
            let d = a.days.iter().find(|d| b.days.contains(d));
            if let Some(d) = d {
                reasons.push(format!("day: {d}"));
            }
            1.0
        } else if !a.days.is_empty()
            && !b.days.is_empty()
            && !a
                .days
                .iter()
                .any(|d| b.days.iter().any(|e| (*d - *e).num_days().abs() <= 1))
        {
            reasons.push("different days named".to_string());
            -1.0
        } else {
            0.0
        };

        let hours = match (a.published_unix, b.published_unix) {
            (Some(x), Some(y)) => x.abs_diff(y) as f64 / 3600.0,
            _ => 24.0,
        };
        reasons.push(format!("hours apart: {hours:.1}"));

        // What happened: kinds of event named on both sides.
        let shared_kinds: Vec<u16> = a
            .kinds
            .iter()
            .copied()
            .filter(|k| b.kinds.contains(k))
            .collect();
        let union = a.kinds.len() + b.kinds.len() - shared_kinds.len();
        let kind_overlap = if a.kinds.is_empty() || b.kinds.is_empty() {
            0.0
        } else {
            shared_kinds.len() as f64 / union.max(1) as f64
        };
        if !shared_kinds.is_empty() {
            let names: Vec<&str> = shared_kinds.iter().map(|&k| self.kinds.name(k)).collect();
            reasons.push(format!("kinds: {}", names.join(", ")));
        }
        // Titles: -1 when they name only different kinds, +1 when the same
        // ones, 0 when either names none.
        let title_kinds = if a.title_kinds.is_empty() || b.title_kinds.is_empty() {
            0.0
        } else {
            let shared = a
                .title_kinds
                .iter()
                .filter(|k| b.title_kinds.contains(k))
                .count();
            let union = a.title_kinds.len() + b.title_kinds.len() - shared;
            if shared == 0 {
                reasons.push("titles name different kinds of event".to_string());
            }
            2.0 * shared as f64 / union.max(1) as f64 - 1.0
        };

        (
            vec![
                (1.0 + shared_w).ln(),
                overlap.min(1.0),
                title_coverage,
                (1.0 + fig_w).ln(),
                disagreement,
                day,
                hours / 24.0,
                (1.0 + unmatched).ln(),
                kind_overlap,
                title_kinds,
            ],
            reasons,
        )
    }

    /// The first gate a pair fails, if any: same language, outside the
    /// time window, or no shared entity beyond generic ones. Pairs that
    /// fail a gate are not scored (and not used in training).
    pub fn gate(&self, a: &ReportFacts, b: &ReportFacts) -> Option<&'static str> {
        if a.lang == b.lang {
            return Some("same language: left to copy detection");
        }
        if let (Some(x), Some(y)) = (a.published_unix, b.published_unix)
            && x.abs_diff(y) > self.window_secs.unsigned_abs()
        {
            return Some("outside the time window");
        }
        let specific_shared = a
            .entities
            .iter()
            .any(|e| self.tier(e.0) != Tier::Generic && b.entities.iter().any(|f| f.0 == e.0));
        if !specific_shared {
            return Some("no shared entity beyond generic ones");
        }
        None
    }

    /// The verdict on two reports already read by [`CrossLangMatcher::facts`].
    pub fn compare(&self, a: &ReportFacts, b: &ReportFacts) -> CrossLangDecision {
        if let Some(reason) = self.gate(a, b) {
            return CrossLangDecision {
                same_event: false,
                score: 0.0,
                reasons: vec![reason.to_string()],
            };
        }
        let (x, reasons) = self.features(a, b);
        let score = self.model.probability(&x);
        CrossLangDecision {
            same_event: score >= self.threshold,
            score,
            reasons,
        }
    }

    /// Reads and compares two reports.
    pub fn decide(&self, a: &CrossLangReport<'_>, b: &CrossLangReport<'_>) -> CrossLangDecision {
        self.compare(&self.facts(a), &self.facts(b))
    }

    /// Non-generic entities of a report: the keys the index files it under.
    pub(crate) fn index_keys<'f>(&'f self, f: &'f ReportFacts) -> impl Iterator<Item = u32> + 'f {
        f.entities
            .iter()
            .map(|e| e.0)
            .filter(|&e| self.tier(e) != Tier::Generic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(title: &str, body: &str, lang: Lang, t: Option<i64>) -> ReportFacts {
        let m = CrossLangMatcher::bundled().unwrap();
        m.facts(&CrossLangReport {
            title,
            body,
            lang,
            published_unix: t,
        })
    }

    #[test]
    fn hostile_input_gives_a_result_not_a_panic() {
        let m = CrossLangMatcher::bundled().unwrap();
        let huge = "۹".repeat(400) + " Araghchi " + &"ي\u{200c}".repeat(3_000_000);
        let a = report(&huge, &huge, Lang::Persian, Some(i64::MAX));
        let b = report(
            "",
            "\u{202e}\0 1e999 ..,,// ٫٬",
            Lang::English,
            Some(i64::MIN),
        );
        assert!(a.figures.iter().all(|f| f.is_finite()));
        let d = m.compare(&a, &b);
        assert!(!d.same_event);
        let d = m.compare(&b, &b);
        assert!(!d.same_event);
    }

    #[test]
    fn a_long_body_is_read_only_as_far_as_its_lead() {
        let body = format!(
            "Araghchi met Grossi. {}",
            "filler words here. ".repeat(10_000)
        );
        let f = report("Talks", &body, Lang::English, Some(0));
        assert_eq!(f.entities.len(), 2);
        assert_eq!(lead(&"ی".repeat(20_000)).len() % 2, 0);
    }
}

//! Candidates for cross-language matching without comparing all pairs: a
//! report is filed under its non-generic gazetteer entities, and a new
//! report is compared only with reports of the other language, within the
//! time window, that share at least one of them.

use std::collections::{BTreeSet, HashMap};

use crate::crosslang::{CrossLangDecision, CrossLangMatcher, CrossLangReport, ReportFacts};
use crate::gazetteer::Lang;

/// A report found to tell of the same event as the one inserted.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossLangMatch {
    pub id: u64,
    pub decision: CrossLangDecision,
}

/// Reports seen so far, filed by language and entity. Pure: no clock; the
/// caller drops old reports with [`CrossLangIndex::forget_before`].
#[derive(Debug, Clone)]
pub struct CrossLangIndex {
    matcher: CrossLangMatcher,
    facts: HashMap<u64, ReportFacts>,
    by_entity: HashMap<(Lang, u32), Vec<u64>>,
}

impl CrossLangIndex {
    pub fn new(matcher: CrossLangMatcher) -> Self {
        CrossLangIndex {
            matcher,
            facts: HashMap::new(),
            by_entity: HashMap::new(),
        }
    }

    pub fn matcher(&self) -> &CrossLangMatcher {
        &self.matcher
    }

    /// Number of reports held.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// Ids of the reports of the other language, within the window, that
    /// share a non-generic entity with `f`, in id order.
    pub fn candidates(&self, f: &ReportFacts) -> Vec<u64> {
        let other = f.lang.other();
        let window = self.matcher.window_secs();
        let mut out = BTreeSet::new();
        for e in self.matcher.index_keys(f) {
            for id in self.by_entity.get(&(other, e)).into_iter().flatten() {
                let Some(c) = self.facts.get(id) else {
                    continue;
                };
                let near = match (f.published_unix, c.published_unix) {
                    (Some(x), Some(y)) => x.abs_diff(y) <= window.unsigned_abs(),
                    _ => true,
                };
                if near {
                    out.insert(*id);
                }
            }
        }
        out.into_iter().collect()
    }

    /// Files a report under `id` and returns the reports of the other
    /// language it tells the same event as, best score first. Inserting an
    /// id again replaces the earlier report.
    pub fn insert(&mut self, id: u64, report: &CrossLangReport<'_>) -> Vec<CrossLangMatch> {
        self.remove(id);
        let f = self.matcher.facts(report);
        let mut found: Vec<CrossLangMatch> = self
            .candidates(&f)
            .into_iter()
            .filter_map(|c| {
                let other = self.facts.get(&c)?;
                let decision = self.matcher.compare(&f, other);
                decision
                    .same_event
                    .then_some(CrossLangMatch { id: c, decision })
            })
            .collect();
        found.sort_by(|a, b| b.decision.score.total_cmp(&a.decision.score));
        let keys: Vec<u32> = self.matcher.index_keys(&f).collect();
        for e in keys {
            self.by_entity.entry((f.lang, e)).or_default().push(id);
        }
        self.facts.insert(id, f);
        found
    }

    /// Drops a report.
    pub fn remove(&mut self, id: u64) {
        let Some(f) = self.facts.remove(&id) else {
            return;
        };
        let keys: Vec<u32> = self.matcher.index_keys(&f).collect();
        for e in keys {
            if let Some(ids) = self.by_entity.get_mut(&(f.lang, e)) {
                ids.retain(|&x| x != id);
                if ids.is_empty() {
                    self.by_entity.remove(&(f.lang, e));
                }
            }
        }
    }

    /// Drops every report published before `unix` (reports without a time
    /// are kept): keeps memory bounded on a long-running site.
    pub fn forget_before(&mut self, unix: i64) {
        let old: Vec<u64> = self
            .facts
            .iter()
            .filter(|(_, f)| f.published_unix.is_some_and(|t| t < unix))
            .map(|(&id, _)| id)
            .collect();
        for id in old {
            self.remove(id);
        }
    }
}

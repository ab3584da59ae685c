//! Searching: the store's search semantics (every word must match, headline
//! hits weigh four times body hits, filters on language, source, tag and
//! time) answered from the index.

use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Order, Searcher, Term};

use crate::analysis::query_terms;
use crate::error::Result;
use crate::index::StoryIndex;

/// A headline hit counts this many body hits.
const HEADLINE_BOOST: f32 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IndexSort {
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// One page of a search.
#[derive(Debug, Clone, Default)]
pub struct IndexQuery {
    pub text: String,
    pub lang: Option<String>,
    pub source_id: Option<i64>,
    pub tag: Option<String>,
    /// Unix seconds, inclusive.
    pub since: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    pub sort: IndexSort,
    pub offset: usize,
    pub limit: usize,
}

/// A page of story ids with their relevance, and how many stories matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranked {
    pub hits: Vec<(i64, f32)>,
    pub total: usize,
}

impl StoryIndex {
    /// Runs `q` against the last commit. A query without words matches nothing.
    pub fn search(&self, q: &IndexQuery) -> Result<Ranked> {
        let Some(query) = self.build_query(q) else {
            return Ok(Ranked::default());
        };
        let searcher = self.searcher();
        let limit = q.limit.max(1);
        let (total, docs): (usize, Vec<(Option<f32>, DocAddress)>) = match q.sort {
            IndexSort::Relevance => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(q.offset)
                    .order_by_score();
                let (total, docs) = searcher.search(&query, &(Count, top))?;
                (total, docs.into_iter().map(|(s, d)| (Some(s), d)).collect())
            }
            IndexSort::Date => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(q.offset)
                    .order_by_fast_field::<i64>("sort_at", Order::Desc);
                let (total, docs) = searcher.search(&query, &(Count, top))?;
                (total, docs.into_iter().map(|(_, d)| (None, d)).collect())
            }
        };
        let hits = self.with_ids(&searcher, &query, docs)?;
        Ok(Ranked { hits, total })
    }

    /// Story ids of the page's documents; a date-sorted page gets its
    /// relevance computed for its own rows only.
    fn with_ids(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        docs: Vec<(Option<f32>, DocAddress)>,
    ) -> Result<Vec<(i64, f32)>> {
        let weight = if docs.iter().any(|(s, _)| s.is_none()) {
            Some(query.weight(EnableScoring::enabled_from_searcher(searcher))?)
        } else {
            None
        };
        let mut out = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let segment = searcher.segment_reader(addr.segment_ord);
            let Some(id) = segment.fast_fields().u64("id")?.first(addr.doc_id) else {
                continue;
            };
            let score = match (score, &weight) {
                (Some(s), _) => s,
                (None, Some(w)) => w.explain(segment, addr.doc_id)?.value(),
                (None, None) => 0.0,
            };
            out.push((id as i64, score));
        }
        Ok(out)
    }

    fn build_query(&self, q: &IndexQuery) -> Option<BooleanQuery> {
        let f = self.fields;
        let terms = query_terms(&q.text);
        if terms.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|t| {
                let headline = BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.headline, t),
                        IndexRecordOption::WithFreqs,
                    )),
                    HEADLINE_BOOST,
                );
                let body = TermQuery::new(
                    Term::from_field_text(f.body, t),
                    IndexRecordOption::WithFreqs,
                );
                let either: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, Box::new(headline) as Box<dyn Query>),
                    (Occur::Should, Box::new(body)),
                ]));
                (Occur::Must, either)
            })
            .collect();
        // Filters narrow the matches without moving their scores.
        let mut filter = |q: Box<dyn Query>| {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        };
        if let Some(lang) = q.lang.as_deref().filter(|l| !l.is_empty()) {
            filter(Box::new(TermQuery::new(
                Term::from_field_text(f.lang, lang),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(source) = q.source_id {
            filter(Box::new(TermQuery::new(
                Term::from_field_u64(f.source, source as u64),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(tag) = q.tag.as_deref().filter(|t| !t.is_empty()) {
            filter(Box::new(TermQuery::new(
                Term::from_field_text(f.tag, tag),
                IndexRecordOption::Basic,
            )));
        }
        if q.since.is_some() || q.until.is_some() {
            let bound = |v: Option<i64>, inclusive: bool| match v {
                None => Bound::Unbounded,
                Some(v) if inclusive => Bound::Included(Term::from_field_i64(f.sort_at, v)),
                Some(v) => Bound::Excluded(Term::from_field_i64(f.sort_at, v)),
            };
            filter(Box::new(RangeQuery::new(
                bound(q.since, true),
                bound(q.until, false),
            )));
        }
        Some(BooleanQuery::new(clauses))
    }
}

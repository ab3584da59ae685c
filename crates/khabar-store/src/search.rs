//! The database's own full-text search: the documented fallback that answers
//! while the site's tantivy index ([`khabar_search`]) is being built, or
//! when it cannot be opened.
//!
//! Both engines are fed the terms of khabar's one analyser
//! ([`khabar_search::analyze`]), not raw text, and queries are its terms
//! too, so the Persian spellings the index treats as one word (spaced, ZWNJ
//! or joined compounds, plurals and the singular, Arabic letter forms,
//! digits of any script) meet here as well. SQLite: FTS5 over the terms of
//! headline and body. PostgreSQL: a GIN-indexed tsvector of the terms with
//! the 'simple' configuration (no second stemming).
//!
//! Where the engines cannot agree with the index:
//! - SQLite's FTS5 table applies its Porter stemmer on top of the analyser's
//!   Snowball stems (the table's tokenizer is fixed by migration 0001), so a
//!   few English words Snowball keeps apart meet here (`general`,
//!   `generous`): the database may find a little more.
//! - Stories indexed before the analyser existed keep the folded text they
//!   were indexed with until they are next written: the Persian suffix and
//!   compound rules do not reach them here (the tantivy index, rebuilt under
//!   its new schema version, has them all).
//! - Ranking: bm25 on SQLite and `ts_rank` on PostgreSQL rank in their own
//!   ways; the set of matches and the date order are what agree.

use std::collections::HashMap;

use crate::row::RowExt;
use crate::snippet::hit;
use crate::sql::{Binds, bind_all, on_pool};
use crate::stories::{Filters, clamp_limit};
use crate::{Page, Pool, Result, SearchHit, SearchQuery, SearchSort, Store};

/// The analyser's query terms; every one must match (AND).
pub(crate) fn query_words(text: &str) -> Vec<String> {
    khabar_search::query_terms(text)
}

/// FTS5 MATCH expression: each word quoted (so `OR`, `NEAR`, `-` are plain words).
fn fts5_match(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One backend's pieces of a search statement.
struct SearchSql {
    /// FROM … JOIN … of the matches (stories as `s`, sources as `src` when `with_source`).
    from: String,
    /// Extra WHERE clauses of the match itself.
    matches: Vec<String>,
    /// The relevance expression, higher is better.
    score: &'static str,
}

fn search_sql(
    pool: &Pool,
    words: &[String],
    b: &mut Binds,
    with_source: bool,
    sort: SearchSort,
) -> SearchSql {
    let src = if with_source {
        " JOIN sources src ON src.id = s.source_id"
    } else {
        ""
    };
    match pool {
        Pool::Sqlite(_) => {
            let m = b.text(fts5_match(words));
            SearchSql {
                // The FTS match drives the join (CROSS JOIN fixes the loop order in
                // SQLite); otherwise the planner may walk stories and probe FTS per row.
                // bm25 is lower-is-better; headline hits weigh 4x body hits.
                from: format!(
                    "FROM (SELECT rowid AS id, -bm25(story_fts, 4.0, 1.0) AS score FROM story_fts \
                     WHERE story_fts MATCH {m}) AS m CROSS JOIN stories s ON s.id = m.id{src}"
                ),
                matches: Vec::new(),
                score: "m.score",
            }
        }
        Pool::Postgres(_) => {
            let query = pg_tsquery(words, b);
            match sort {
                // Sorted by date with a LIMIT, the planner walks every story
                // newest first and tests each one's tsvector (600 ms at 100k
                // stories for `oil prices`). `OFFSET 0` keeps the GIN match a
                // subquery of its own, so the matches are found first and
                // only they are sorted (37 ms).
                SearchSort::Date => SearchSql {
                    from: format!(
                        "FROM (SELECT ss.story_id FROM story_search ss \
                         WHERE ss.tsv @@ {query} OFFSET 0) m JOIN stories s ON s.id = m.story_id{src}"
                    ),
                    matches: Vec::new(),
                    score: "0::float8",
                },
                SearchSort::Relevance => SearchSql {
                    from: format!(
                        "FROM story_search ss JOIN stories s ON s.id = ss.story_id{src} \
                         CROSS JOIN (SELECT {query} AS query) q"
                    ),
                    matches: vec!["ss.tsv @@ q.query".into()],
                    score: "ts_rank(ss.tsv, q.query)::float8",
                },
            }
        }
    }
}

/// The PostgreSQL query of `words`: every term, as the analyser made it
/// (the index holds the analyser's terms, so no second stemming). Stories
/// indexed before the analyser also hold English stems, which the
/// 'english' form still reaches.
fn pg_tsquery(words: &[String], b: &mut Binds) -> String {
    let parts: Vec<String> = words
        .iter()
        .map(|word| {
            let n = b.text(word.as_str());
            format!("(plainto_tsquery('simple', {n}) || plainto_tsquery('english', {n}))")
        })
        .collect();
    format!("({})", parts.join(" && "))
}

impl Store {
    /// Searches published primary stories. Empty or wordless queries give an empty page.
    ///
    /// Only the ranking visits every match, and it reads only the small
    /// columns of each (id, score, filter columns) and counts them on the
    /// way (one evaluation of the full-text match per page); the stories
    /// themselves are read, and their snippets made, for the page alone.
    /// A date-sorted page computes no score but for its own rows. A page
    /// past the end counts up to `stories::count_cap`.
    pub async fn search(&self, q: &SearchQuery) -> Result<Page<SearchHit>> {
        let limit = clamp_limit(q.limit);
        let offset = q.offset.max(0);
        let words = query_words(&q.text);
        if words.is_empty() {
            return Ok(Page::empty(offset, limit));
        }
        let with_source = q.source_slug.as_deref().is_some_and(|s| !s.is_empty());
        let mut b = Binds::default();
        let sql = search_sql(&self.pool, &words, &mut b, with_source, q.sort);
        let mut w = vec![
            "s.status = 'published'".to_string(),
            "s.duplicate_of IS NULL".to_string(),
        ];
        w.extend(sql.matches.iter().cloned());
        Filters {
            lang: q.lang.as_deref(),
            source_slug: q.source_slug.as_deref(),
            tag: q.tag.as_deref(),
            day: None,
            from: q.from,
            to: q.to,
        }
        .push(&mut b, &mut w);
        let filter = w.join(" AND ");
        let from = &sql.from;

        // 1. The page's ids in order (by date: no score is computed at all).
        let (select, order) = match q.sort {
            SearchSort::Relevance => (
                format!("s.id AS id, {} AS score", sql.score),
                "score DESC, s.sort_at DESC, s.id DESC",
            ),
            SearchSort::Date => ("s.id AS id".to_string(), "s.sort_at DESC, s.id DESC"),
        };
        // Ordering already visits every match, so the window count is free and
        // spares a second evaluation of the full-text match for the total.
        let select = format!("{select}, COUNT(*) OVER () AS total");
        let mut pb = Binds {
            args: b.args.clone(),
        };
        let lim = pb.int(limit);
        let off = pb.int(offset);
        let ids_sql = format!(
            "SELECT {select} {from} WHERE {filter} ORDER BY {order} LIMIT {lim} OFFSET {off}"
        );
        let (ranked, window_total): (Vec<(i64, Option<f64>)>, Option<i64>) = on_pool!(self, p => {
            let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(ids_sql)), &pb.args)
                .fetch_all(p)
                .await?;
            let total = rows.first().map(|r| r.int("total")).transpose()?;
            let ranked = rows
                .iter()
                .map(|r| {
                    let score = match q.sort {
                        SearchSort::Relevance => Some(r.float("score")?),
                        SearchSort::Date => None,
                    };
                    Ok((r.int("id")?, score))
                })
                .collect::<Result<_>>()?;
            (ranked, total)
        });

        // 2. Scores of a date-sorted page, for the page only.
        let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
        let scores: HashMap<i64, f64> = match q.sort {
            SearchSort::Relevance => ranked
                .iter()
                .filter_map(|(id, s)| s.map(|s| (*id, s)))
                .collect(),
            SearchSort::Date => self.scores_of(&words, &ids).await?,
        };

        // 3. The page's stories and snippets.
        let mut stories = self.search_log().visible_stories(&ids).await?;
        let items: Vec<SearchHit> = ids
            .iter()
            // A story changed between the two reads is left out.
            .filter_map(|id| stories.remove(id))
            .map(|story| {
                let rank = scores.get(&story.id).copied().unwrap_or(0.0) as f32;
                hit(story, &q.text, rank)
            })
            .collect();

        // 4. The total: counted with the page; only a page past the end
        // (no rows, so no window) counts again, up to a cap.
        let (total, total_exact) = if let Some(total) = window_total {
            (total, true)
        } else if offset == 0 {
            (0, true)
        } else {
            self.capped_count(from, &filter, &b.args, offset, limit)
                .await?
        };
        Ok(Page {
            items,
            total,
            offset,
            limit,
            total_exact,
        })
    }

    /// Relevance scores of these stories for `words` (same scale as a relevance-sorted search).
    async fn scores_of(&self, words: &[String], ids: &[i64]) -> Result<HashMap<i64, f64>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut b = Binds::default();
        let sql = match &self.pool {
            Pool::Sqlite(_) => {
                // FTS5 runs the whole MATCH once per value of a `rowid IN (…)`
                // list (20 full queries for a page). One materialised pass over
                // the matches, without touching `stories`, then the page's ids.
                let m = b.text(fts5_match(words));
                let list = b.int_list(ids);
                format!(
                    "WITH m AS MATERIALIZED (SELECT rowid AS id, -bm25(story_fts, 4.0, 1.0) AS score \
                     FROM story_fts WHERE story_fts MATCH {m}) SELECT id, score FROM m WHERE id IN ({list})"
                )
            }
            Pool::Postgres(_) => {
                let query = pg_tsquery(words, &mut b);
                let list = b.int_list(ids);
                format!(
                    "SELECT ss.story_id AS id, ts_rank(ss.tsv, q.query)::float8 AS score \
                     FROM story_search ss CROSS JOIN (SELECT {query} AS query) q WHERE ss.story_id IN ({list})"
                )
            }
        };
        on_pool!(self, p => {
            bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args)
                .fetch_all(p)
                .await?
                .iter()
                .map(|r| Ok((r.int("id")?, r.float("score")?)))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_expression_quotes_operators_and_folds() {
        let words = query_words("Iran OR \"Quds\" كيهان");
        assert_eq!(fts5_match(&words), "\"iran\" \"or\" \"qud\" \"کیهان\"");
        assert!(query_words("  ?!  ").is_empty());
    }
}

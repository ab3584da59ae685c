//! Full-text search. SQLite: FTS5 (`porter unicode61 remove_diacritics 2`)
//! over folded headline + body. PostgreSQL: a tsvector of 'simple' lexemes
//! plus 'english' stems of the folded text, GIN-indexed. Queries are folded
//! the same way, so Arabic/Persian letter variants and ZWNJ spellings meet.

use sqlx::{PgConnection, SqliteConnection};

use crate::row::RowExt;
use crate::snippet::snippet_html;
use crate::sql::{Binds, bind_all};
use crate::stories::{Filters, STORY_COLS, clamp_limit, story_from_row};
use crate::{Page, Pool, Result, SearchHit, SearchQuery, SearchSort, Store};

/// Words in a result snippet.
const SNIPPET_WORDS: usize = 36;
/// Index at most this much folded body text per story: PostgreSQL refuses
/// tsvectors over 1 MB, and relevance is decided long before that.
const MAX_INDEXED_BYTES: usize = 200_000;

/// Keeping a story's search entry in step with its text, inside the caller's transaction.
pub(crate) trait SearchIndex {
    async fn index_story(&mut self, id: i64, headline: &str, body: &str) -> Result<()>;
    async fn unindex_story(&mut self, id: i64) -> Result<()>;
}

/// Folded text to index, cut at a character boundary.
fn index_text(s: &str) -> String {
    let mut f = khabar_text::fold(s);
    if f.len() > MAX_INDEXED_BYTES {
        let mut cut = MAX_INDEXED_BYTES;
        while !f.is_char_boundary(cut) {
            cut -= 1;
        }
        f.truncate(cut);
    }
    f
}

impl SearchIndex for SqliteConnection {
    async fn index_story(&mut self, id: i64, headline: &str, body: &str) -> Result<()> {
        sqlx::query("INSERT INTO story_fts (rowid, headline, body) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(index_text(headline))
            .bind(index_text(body))
            .execute(&mut *self)
            .await?;
        Ok(())
    }
    async fn unindex_story(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM story_fts WHERE rowid = $1")
            .bind(id)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
}

impl SearchIndex for PgConnection {
    async fn index_story(&mut self, id: i64, headline: &str, body: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO story_search (story_id, tsv) VALUES ($1, \
             setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B') || \
             setweight(to_tsvector('english', $2), 'A') || setweight(to_tsvector('english', $3), 'B')) \
             ON CONFLICT (story_id) DO UPDATE SET tsv = excluded.tsv",
        )
        .bind(id)
        .bind(index_text(headline))
        .bind(index_text(body))
        .execute(&mut *self)
        .await?;
        Ok(())
    }
    async fn unindex_story(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM story_search WHERE story_id = $1")
            .bind(id)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
}

/// Folded query words; every word must match (AND).
pub(crate) fn query_words(text: &str) -> Vec<String> {
    khabar_text::tokens(text)
        .filter(|t| !t.is_empty())
        .take(32)
        .collect()
}

/// FTS5 MATCH expression: each word quoted (so `OR`, `NEAR`, `-` are plain words).
fn fts5_match(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Store {
    /// Searches published primary stories. Empty or wordless queries give an empty page.
    pub async fn search(&self, q: &SearchQuery) -> Result<Page<SearchHit>> {
        let limit = clamp_limit(q.limit);
        let offset = q.offset.max(0);
        let words = query_words(&q.text);
        if words.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                total: 0,
                offset,
                limit,
            });
        }
        let mut b = Binds::default();
        let mut w = vec![
            "s.status = 'published'".to_string(),
            "s.duplicate_of IS NULL".to_string(),
        ];
        let (from_sql, score_sql, best_first) = match &self.pool {
            Pool::Sqlite(_) => {
                let m = b.text(fts5_match(&words));
                (
                    // The FTS match drives the join (CROSS JOIN fixes the loop order in
                    // SQLite); otherwise the planner may walk stories and probe FTS per row.
                    // bm25 is lower-is-better; headline hits weigh 4x body hits.
                    format!(
                        "FROM (SELECT rowid AS id, -bm25(story_fts, 4.0, 1.0) AS score FROM story_fts \
                         WHERE story_fts MATCH {m}) AS m CROSS JOIN stories s ON s.id = m.id \
                         JOIN sources src ON src.id = s.source_id"
                    ),
                    "m.score".to_string(),
                    "score DESC",
                )
            }
            Pool::Postgres(_) => {
                let parts: Vec<String> = words
                    .iter()
                    .map(|word| {
                        let n = b.text(word.as_str());
                        format!(
                            "(plainto_tsquery('simple', {n}) || plainto_tsquery('english', {n}))"
                        )
                    })
                    .collect();
                w.push("ss.tsv @@ q.query".into());
                (
                    format!(
                        "FROM story_search ss JOIN stories s ON s.id = ss.story_id \
                         JOIN sources src ON src.id = s.source_id CROSS JOIN (SELECT {} AS query) q",
                        parts.join(" && ")
                    ),
                    "ts_rank(ss.tsv, q.query)::float8".to_string(),
                    "score DESC",
                )
            }
        };
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
        let order = match q.sort {
            SearchSort::Relevance => format!("{best_first}, s.sort_at DESC, s.id DESC"),
            SearchSort::Date => "s.sort_at DESC, s.id DESC".to_string(),
        };
        // The sources join is needed only to filter by slug.
        let count_from = if q.source_slug.as_deref().is_some_and(|s| !s.is_empty()) {
            from_sql.clone()
        } else {
            from_sql.replace(" JOIN sources src ON src.id = s.source_id", "")
        };
        let count_sql = format!("SELECT COUNT(*) {count_from} WHERE {filter}");
        let mut pb = Binds {
            args: b.args.clone(),
        };
        let lim = pb.int(limit);
        let off = pb.int(offset);
        let page_sql = format!(
            "SELECT {STORY_COLS}, {score_sql} AS score {from_sql} WHERE {filter} ORDER BY {order} \
             LIMIT {lim} OFFSET {off}"
        );
        let (total, rows) = crate::sql::on_pool!(self, p => {
            let total = bind_all(sqlx::query(sqlx::AssertSqlSafe(count_sql)), &b.args)
                .fetch_one(p)
                .await?
                .int_at0()?;
            let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(page_sql)), &pb.args)
                .fetch_all(p)
                .await?;
            let hits = rows
                .iter()
                .map(|r| Ok((story_from_row(r)?, r.float("score")? as f32)))
                .collect::<Result<Vec<_>>>()?;
            (total, hits)
        });
        let items = rows
            .into_iter()
            .map(|(story, rank)| {
                // Excerpt-only sources: never show more of the text than the excerpt.
                let text = if story.full_text && !story.body_text.is_empty() {
                    &story.body_text
                } else {
                    &story.excerpt
                };
                let snippet_html = snippet_html(text, &q.text, SNIPPET_WORDS);
                SearchHit {
                    story,
                    snippet_html,
                    rank,
                }
            })
            .collect();
        Ok(Page {
            items,
            total,
            offset,
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_expression_quotes_operators_and_folds() {
        let words = query_words("Iran OR \"Quds\" كيهان");
        assert_eq!(fts5_match(&words), "\"iran\" \"or\" \"quds\" \"کیهان\"");
        assert!(query_words("  ?!  ").is_empty());
    }
}

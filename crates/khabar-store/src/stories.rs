//! Stories: idempotent insert, lists with filters, moderation, likes and
//! the small per-story updates the dedup stage makes.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use khabar_model::{NewStory, Relevance, StoredStory, StoryStatus, TextDirection};
use sqlx::types::Json;

use crate::fts::SearchIndex;
use crate::row::RowExt;
use crate::sql::{Binds, bind_all, on_pool};
use crate::time::{
    DAY, day_from_number, day_start, from_unix, now, opt_from_unix, opt_unix, to_unix,
};
use crate::{
    DedupRecord, InsertOutcome, Page, Result, Store, StoreCounts, StoreError, StoryOrder,
    StoryQuery, StoryStamp,
};

/// Columns of a [`StoredStory`]; every story read joins its source for name, slug and full_text.
pub(crate) const STORY_COLS: &str = "s.id, s.source_id, src.name AS source_name, src.slug AS source_slug, \
    (src.full_text AND NOT s.excerpt_only) AS full_text, s.url, s.canonical_url, s.declared_url, s.headline, s.dateline, s.byline, s.credits, \
    s.published_at, s.fetched_at, s.lang, s.dir, s.blocks, s.body_text, s.excerpt, s.lead_image, \
    s.content_hash, s.relevant, s.relevance_score, s.relevance_reasons, s.tags, s.status, \
    s.duplicate_of, s.event_id, s.likes, s.pinned, s.updated_at, s.crosslang_id, \
    img.id AS image_id, img.width AS image_width, img.height AS image_height, img.widths AS image_widths, \
    img.alt AS image_alt, img.caption AS image_caption, img.credit AS image_credit";
pub(crate) const STORY_FROM: &str = "FROM stories s JOIN sources src ON src.id = s.source_id \
    LEFT JOIN images img ON img.id = s.image_id AND img.status = 'ready'";

/// Largest page a caller can ask for; protects the database from `limit=1000000`.
pub(crate) const MAX_LIMIT: i64 = 500;
/// How many URLs go into one `IN (…)` list (SQLite allows 32766 parameters; stay far below).
const IN_CHUNK: usize = 500;

pub(crate) fn story_from_row(r: &impl RowExt) -> Result<StoredStory> {
    Ok(StoredStory {
        id: r.int("id")?,
        source_id: r.int("source_id")?,
        source_name: r.text("source_name")?,
        source_slug: r.text("source_slug")?,
        full_text: r.boolean("full_text")?,
        url: r.text("url")?,
        canonical_url: r.text("canonical_url")?,
        declared_url: r.opt_text("declared_url")?,
        headline: r.text("headline")?,
        dateline: r.opt_text("dateline")?,
        byline: r.opt_text("byline")?,
        credits: r.opt_text("credits")?,
        published_at: opt_from_unix(r.opt_int("published_at")?),
        fetched_at: from_unix(r.int("fetched_at")?),
        lang: r.opt_text("lang")?,
        dir: if r.text("dir")? == "rtl" {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        },
        blocks: r.json("blocks")?,
        body_text: r.text("body_text")?,
        excerpt: r.text("excerpt")?,
        lead_image: r.opt_text("lead_image")?,
        content_hash: r.text("content_hash")?,
        relevance: Relevance {
            relevant: r.boolean("relevant")?,
            score: r.float("relevance_score")? as f32,
            reasons: r.json("relevance_reasons")?,
            tags: r.json("tags")?,
        },
        status: StoryStatus::parse(&r.text("status")?)?,
        duplicate_of: r.opt_int("duplicate_of")?,
        event_id: r.opt_int("event_id")?,
        likes: r.int("likes")?,
        pinned: r.boolean("pinned")?,
        image: crate::images::story_image_from_row(r)?,
        updated_at: opt_from_unix(r.opt_int("updated_at")?),
        crosslang_id: r.opt_int("crosslang_id")?,
    })
}

/// Sub-topic tags as slugs ([`crate::tag_slug`]), deduplicated, in their
/// first order.
pub(crate) fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    tags.iter()
        .map(|t| crate::tag_slug(t))
        .filter(|t| !t.is_empty() && seen.insert(t.clone()))
        .collect()
}

pub(crate) fn clamp_limit(limit: i64) -> i64 {
    if limit <= 0 { 20 } else { limit.min(MAX_LIMIT) }
}

/// Filters shared by story lists and search, appended as `AND …` clauses.
#[derive(Default)]
pub(crate) struct Filters<'a> {
    pub lang: Option<&'a str>,
    pub source_slug: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub day: Option<NaiveDate>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Filters<'_> {
    pub(crate) fn push(&self, b: &mut Binds, w: &mut Vec<String>) {
        if let Some(lang) = self.lang.filter(|l| !l.is_empty()) {
            let exact = b.text(lang);
            let sub = b.text(format!("{lang}-%"));
            w.push(format!("(s.lang = {exact} OR s.lang LIKE {sub})"));
        }
        if let Some(slug) = self.source_slug.filter(|s| !s.is_empty()) {
            w.push(format!("src.slug = {}", b.text(slug)));
        }
        if let Some(tag) = self.tag.filter(|t| !t.is_empty()) {
            w.push(format!(
                "EXISTS (SELECT 1 FROM story_tags t WHERE t.story_id = s.id AND t.tag = {})",
                b.text(tag)
            ));
        }
        if let Some(day) = self.day {
            let start = day_start(day);
            w.push(format!("s.sort_at >= {}", b.int(start)));
            w.push(format!("s.sort_at < {}", b.int(start + DAY)));
        }
        let (since, until) = day_window(self.from, self.to);
        if let Some(since) = since {
            w.push(format!("s.sort_at >= {}", b.int(since)));
        }
        if let Some(until) = until {
            w.push(format!("s.sort_at < {}", b.int(until)));
        }
    }
}

/// The Unix-second window of the days `from` through `to`, both whole days
/// included: `from`'s first second, and the start of the day after `to`
/// (exclusive).
pub(crate) fn day_window(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (Option<i64>, Option<i64>) {
    (from.map(day_start), to.map(|d| day_start(d) + DAY))
}

/// Lists whose totals are counted past this many matches only when the
/// reader pages that far; see [`count_cap`].
pub(crate) const COUNT_CAP: i64 = 1000;

/// Where counting may stop for a page at `offset`: the next multiple of
/// [`COUNT_CAP`] past the page, so the pager always knows whether there is
/// a next page while a broad list costs at most a bounded index walk.
pub(crate) fn count_cap(offset: i64, limit: i64) -> i64 {
    COUNT_CAP * (1 + (offset.max(0) + limit.max(0)) / COUNT_CAP)
}

/// The previous text of a story, kept as a version before it is replaced.
pub(crate) const ARCHIVE_TEXT: &str = "INSERT INTO story_versions (story_id, replaced_at, headline, dateline, byline, credits, \
    published_at, blocks, body_text, excerpt, content_hash) \
    SELECT id, $2, headline, dateline, byline, credits, published_at, blocks, body_text, excerpt, \
    content_hash FROM stories WHERE id = $1";

/// A story's text replaced by a newer version of the same report.
pub(crate) const REPLACE_TEXT: &str = "UPDATE stories SET headline = $1, dateline = $2, byline = $3, credits = $4, \
    published_at = COALESCE($5, published_at), sort_at = COALESCE($5, published_at, fetched_at), \
    blocks = $6, body_text = $7, body_words = $8, body_chars = $9, excerpt = $10, \
    lead_image = COALESCE($11, lead_image), content_hash = $12, updated_at = $13 WHERE id = $14";

/// Replaces story `$id`'s text with `$update` inside the open transaction
/// `$tx` (either backend): the old text archived, the new one written and
/// re-indexed. A macro because the transaction's type differs by backend;
/// [`Store::replace_text`] and [`Store::apply_grouping`] share it.
macro_rules! replace_text_in {
    ($tx:ident, $id:expr, $update:expr) => {{
        let (id, update): (i64, &khabar_model::NewStory) = ($id, $update);
        let n = sqlx::query($crate::stories::ARCHIVE_TEXT)
            .bind(id)
            .bind($crate::time::now())
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        $crate::stories::not_found_if_zero(n, id)?;
        sqlx::query($crate::stories::REPLACE_TEXT)
            .bind(&update.headline)
            .bind(&update.dateline)
            .bind(&update.byline)
            .bind(&update.credits)
            .bind($crate::time::opt_unix(update.published_at))
            .bind(sqlx::types::Json(&update.blocks))
            .bind(&update.body_text)
            .bind(khabar_text::word_count(&update.body_text) as i64)
            .bind(update.body_text.chars().count() as i64)
            .bind(&update.excerpt)
            .bind(&update.lead_image)
            .bind(&update.content_hash)
            .bind($crate::time::now())
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        $crate::fts::SearchIndex::unindex_story(&mut *$tx, id).await?;
        $crate::fts::SearchIndex::index_story(&mut *$tx, id, &update.headline, &update.body_text)
            .await?;
    }};
}
pub(crate) use replace_text_in;

impl Store {
    /// Counts the rows of `{from} WHERE {filter}` (bound with `args`), but
    /// stops at [`count_cap`] past this page: returns the total and whether
    /// it is exact (false means "at least this many").
    pub(crate) async fn capped_count(
        &self,
        from: &str,
        filter: &str,
        args: &[crate::sql::Arg],
        offset: i64,
        limit: i64,
    ) -> Result<(i64, bool)> {
        let cap = count_cap(offset, limit);
        let mut cb = Binds {
            args: args.to_vec(),
        };
        let capped = cb.int(cap + 1);
        let count_sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 AS one {from} WHERE {filter} LIMIT {capped}) AS c"
        );
        let n = on_pool!(self, p => {
            bind_all(sqlx::query(sqlx::AssertSqlSafe(count_sql)), &cb.args)
                .fetch_one(p)
                .await?
                .int_at0()?
        });
        Ok(if n > cap { (cap, false) } else { (n, true) })
    }
}

/// The total of a story list from the maintained `story_counts` table, when
/// the list filters only by what that table is keyed on (status, primary or
/// copy, language, source): the front page, language and source pages.
/// `None` for tag and date filters.
fn counted_filters(
    q: &StoryQuery,
    statuses: &[StoryStatus],
) -> Option<(String, Vec<crate::sql::Arg>)> {
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    if has(&q.tag) || q.day.is_some() || q.from.is_some() || q.to.is_some() || q.coverage.is_some()
    {
        return None;
    }
    let mut b = Binds::default();
    let list: Vec<String> = statuses.iter().map(|s| b.text(s.as_str())).collect();
    let mut w = vec![format!("c.status IN ({})", list.join(", "))];
    if !q.include_copies {
        w.push("c.is_primary = TRUE".into());
    }
    if let Some(lang) = q.lang.as_deref().filter(|l| !l.is_empty()) {
        let exact = b.text(lang);
        let sub = b.text(format!("{lang}-%"));
        w.push(format!("(c.lang = {exact} OR c.lang LIKE {sub})"));
    }
    let mut from = "FROM story_counts c".to_string();
    if let Some(slug) = q.source_slug.as_deref().filter(|s| !s.is_empty()) {
        from.push_str(" JOIN sources src ON src.id = c.source_id");
        w.push(format!("src.slug = {}", b.text(slug)));
    }
    // SUM is NUMERIC in PostgreSQL; the cast keeps one integer type on both backends.
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) {from} WHERE {}",
        w.join(" AND ")
    );
    Some((sql, b.args))
}

pub(crate) fn not_found_if_zero(n: u64, id: i64) -> Result<()> {
    if n == 0 {
        Err(StoreError::StoryNotFound(id))
    } else {
        Ok(())
    }
}

impl Store {
    /// Stores a new story, idempotent on `canonical_url`, and indexes it for search.
    pub async fn insert_story(&self, story: &NewStory) -> Result<InsertOutcome> {
        let sql = "INSERT INTO stories (source_id, url, canonical_url, headline, dateline, byline, credits, \
            published_at, fetched_at, sort_at, lang, dir, blocks, body_text, body_words, body_chars, excerpt, \
            lead_image, content_hash, relevant, relevance_score, relevance_reasons, tags, status, \
            duplicate_of, event_id, excerpt_only, declared_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
            $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28) \
            ON CONFLICT (canonical_url) DO NOTHING RETURNING id";
        let published = opt_unix(story.published_at);
        let fetched = to_unix(story.fetched_at);
        let words = khabar_text::word_count(&story.body_text) as i64;
        let chars = story.body_text.chars().count() as i64;
        on_pool!(self, p => {
            // The source's own tags (an operator's folders) join the
            // topic model's on every story stored from it. Read before the
            // transaction: on SQLite a transaction that reads first and then
            // writes cannot wait for the write lock ("database is locked").
            let source_tags: Option<Json<Vec<String>>> =
                sqlx::query_scalar("SELECT tags FROM sources WHERE id = $1")
                    .bind(story.source_id)
                    .fetch_optional(p)
                    .await?;
            let mut all_tags = story.relevance.tags.clone();
            all_tags.extend(source_tags.map(|t| t.0).unwrap_or_default());
            let tags = clean_tags(&all_tags);
            let mut tx = p.begin().await?;
            let inserted: Option<i64> = sqlx::query_scalar(sql)
                .bind(story.source_id)
                .bind(&story.url)
                .bind(&story.canonical_url)
                .bind(&story.headline)
                .bind(&story.dateline)
                .bind(&story.byline)
                .bind(&story.credits)
                .bind(published)
                .bind(fetched)
                .bind(published.unwrap_or(fetched))
                .bind(&story.lang)
                .bind(story.dir.as_str())
                .bind(Json(&story.blocks))
                .bind(&story.body_text)
                .bind(words)
                .bind(chars)
                .bind(&story.excerpt)
                .bind(&story.lead_image)
                .bind(&story.content_hash)
                .bind(story.relevance.relevant)
                .bind(f64::from(story.relevance.score))
                .bind(Json(&story.relevance.reasons))
                .bind(Json(&tags))
                .bind(story.status.as_str())
                .bind(story.duplicate_of)
                .bind(story.event_id)
                .bind(story.excerpt_only)
                .bind(&story.declared_url)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(id) = inserted else {
                tx.rollback().await?;
                let existing: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM stories WHERE canonical_url = $1")
                        .bind(&story.canonical_url)
                        .fetch_optional(p)
                        .await?;
                return match existing {
                    Some(id) => Ok(InsertOutcome::Existing(id)),
                    // Lost a race with a takedown purge or similar; nothing sensible to return.
                    None => Err(StoreError::StoryNotFound(0)),
                };
            };
            for tag in &tags {
                sqlx::query("INSERT INTO story_tags (story_id, tag) VALUES ($1, $2)")
                    .bind(id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
            }
            // The database's full-text entry serves only its search, which
            // shows published stories: a rejected story (most of what a
            // topic site reads) gets one only if it is published later.
            if story.status == StoryStatus::Published {
                tx.index_story(id, &story.headline, &story.body_text).await?;
            }
            // A story stored from a worker's job counts for the poll that
            // queued it. Here, not at the job's completion: the insert
            // happens once per URL whoever makes it, even a worker that
            // then loses its lease to another, which finds the story stored.
            sqlx::query(
                "UPDATE fetch_log SET stories_added = stories_added + 1 \
                 WHERE id = (SELECT fetch_id FROM entry_jobs WHERE canonical_url = $1)",
            )
            .bind(&story.canonical_url)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(InsertOutcome::Inserted(id))
        })
    }

    /// Which of these canonical URLs are already stored (so the pipeline skips fetching them).
    pub async fn known_urls(&self, canonical_urls: &[String]) -> Result<HashSet<String>> {
        let mut known = HashSet::new();
        for chunk in canonical_urls.chunks(IN_CHUNK) {
            let mut b = Binds::default();
            let list: Vec<String> = chunk.iter().map(|u| b.text(u.as_str())).collect();
            let sql = format!(
                "SELECT canonical_url FROM stories WHERE canonical_url IN ({})",
                list.join(", ")
            );
            let found: Vec<String> = on_pool!(self, p => {
                let q = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args);
                q.fetch_all(p)
                    .await?
                    .iter()
                    .map(|r| r.text("canonical_url"))
                    .collect::<Result<_>>()?
            });
            known.extend(found);
        }
        Ok(known)
    }

    /// The oldest story with exactly this content hash (any status, so a
    /// taken-down text is not republished under another URL).
    pub async fn story_id_by_content_hash(&self, hash: &str) -> Result<Option<i64>> {
        let sql = "SELECT id FROM stories WHERE content_hash = $1 ORDER BY id LIMIT 1";
        Ok(on_pool!(self, p => sqlx::query_scalar(sql).bind(hash).fetch_optional(p).await?))
    }

    /// One story by id, whatever its status (callers decide what readers may see).
    pub async fn story(&self, id: i64) -> Result<Option<StoredStory>> {
        let sql = format!("SELECT {STORY_COLS} {STORY_FROM} WHERE s.id = $1");
        on_pool!(self, p => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?;
            row.as_ref().map(story_from_row).transpose()
        })
    }

    /// A filtered, ordered page of stories plus the total count.
    pub async fn stories(&self, q: &StoryQuery) -> Result<Page<StoredStory>> {
        let limit = clamp_limit(q.limit);
        let offset = q.offset.max(0);
        let mut b = Binds::default();
        let mut w = Vec::new();
        let statuses = if q.statuses.is_empty() {
            vec![StoryStatus::Published]
        } else {
            q.statuses.clone()
        };
        let list: Vec<String> = statuses.iter().map(|s| b.text(s.as_str())).collect();
        w.push(format!("s.status IN ({})", list.join(", ")));
        if !q.include_copies {
            w.push("s.duplicate_of IS NULL".into());
        }
        Filters {
            lang: q.lang.as_deref(),
            source_slug: q.source_slug.as_deref(),
            tag: q.tag.as_deref(),
            day: q.day,
            from: q.from,
            to: q.to,
        }
        .push(&mut b, &mut w);
        if let Some(view) = q.coverage {
            w.push(crate::coverage::view_filter(view));
        }
        let filter = w.join(" AND ");
        let order = match q.order {
            StoryOrder::Latest => "s.pinned DESC, s.sort_at DESC, s.id DESC",
            // Reported by more outlets: published copies plus other primaries of the same event.
            StoryOrder::EventSize => {
                "((SELECT COUNT(*) FROM stories c WHERE c.duplicate_of = s.id AND c.status = 'published') + \
                 CASE WHEN s.event_id IS NULL THEN 0 ELSE (SELECT COUNT(*) FROM stories e \
                 WHERE e.event_id = s.event_id AND e.id <> s.id AND e.status = 'published') END) DESC, \
                 s.sort_at DESC, s.id DESC"
            }
        };
        let mut pb = Binds {
            args: b.args.clone(),
        };
        let lim = pb.int(limit);
        let off = pb.int(offset);
        let page_sql = format!(
            "SELECT {STORY_COLS} {STORY_FROM} WHERE {filter} ORDER BY {order} LIMIT {lim} OFFSET {off}"
        );
        let items = on_pool!(self, p => {
            let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(page_sql)), &pb.args)
                .fetch_all(p)
                .await?;
            rows.iter().map(story_from_row).collect::<Result<Vec<_>>>()?
        });
        let (total, total_exact) = match counted_filters(q, &statuses) {
            Some((count_sql, args)) => {
                let n = on_pool!(self, p => {
                    bind_all(sqlx::query(sqlx::AssertSqlSafe(count_sql)), &args)
                        .fetch_one(p)
                        .await?
                        .int_at0()?
                });
                (n, true)
            }
            None => {
                // Tag and date filters have no maintained count: count the
                // matches, but stop at a cap past this page.
                let from = if q.source_slug.as_deref().is_some_and(|s| !s.is_empty()) {
                    STORY_FROM
                } else {
                    "FROM stories s"
                };
                self.capped_count(from, &filter, &b.args, offset, limit)
                    .await?
            }
        };
        Ok(Page {
            items,
            total,
            offset,
            limit,
            total_exact,
        })
    }

    /// The number of published copies of each of these primaries, in one
    /// query (a list page needs "N outlets" for every row; asking per row
    /// was one round trip each). Primaries without copies are absent.
    pub async fn copy_counts(&self, primary_ids: &[i64]) -> Result<HashMap<i64, i64>> {
        let mut counts = HashMap::new();
        for chunk in primary_ids.chunks(IN_CHUNK) {
            let mut b = Binds::default();
            let list = b.int_list(chunk);
            let sql = format!(
                "SELECT duplicate_of AS id, COUNT(*) AS n FROM stories \
                 WHERE duplicate_of IN ({list}) AND status = 'published' GROUP BY duplicate_of"
            );
            let found: Vec<(i64, i64)> = on_pool!(self, p => {
                bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args)
                    .fetch_all(p)
                    .await?
                    .iter()
                    .map(|r| Ok((r.int("id")?, r.int("n")?)))
                    .collect::<Result<_>>()?
            });
            counts.extend(found);
        }
        Ok(counts)
    }

    /// A number that grows whenever anything shown on a story list or feed
    /// changes (stories published, hidden, edited, merged, re-tagged; sources
    /// renamed), whoever wrote it: it is kept by triggers in the database, so
    /// writes from another process (a CLI moderation command, a separate
    /// pipeline) count too. Likes do not move it: no list shows them.
    /// Callers cache rendered lists under it; one primary-key read.
    pub async fn generation(&self) -> Result<i64> {
        let sql = "SELECT generation FROM store_generation WHERE id = 1";
        Ok(on_pool!(self, p => sqlx::query_scalar(sql).fetch_one(p).await?))
    }

    /// The store generation and a story's like count, in one read: what a
    /// kept story page needs to know it is current and to show the count.
    /// `None` when there is no such story.
    pub async fn story_stamp(&self, id: i64) -> Result<Option<StoryStamp>> {
        let sql = "SELECT g.generation AS generation, s.likes AS likes \
                   FROM stories s CROSS JOIN store_generation g WHERE s.id = $1 AND g.id = 1";
        on_pool!(self, p => {
            let row = sqlx::query(sql).bind(id).fetch_optional(p).await?;
            row.map(|r| Ok(StoryStamp { generation: r.int("generation")?, likes: r.int("likes")? }))
                .transpose()
        })
    }

    /// Stories whose topic decision an editor overruled, oldest first:
    /// published from `rejected`, or sent from `published` to `rejected`,
    /// and still standing so. Labels for the next training of the topic
    /// model.
    pub async fn editor_overruled(&self) -> Result<Vec<StoredStory>> {
        let sql = format!(
            "SELECT {STORY_COLS} {STORY_FROM} WHERE s.id IN \
             (SELECT story_id FROM moderation_log WHERE \
              (from_status = 'rejected' AND to_status = 'published') OR \
              (from_status = 'published' AND to_status = 'rejected')) \
             AND s.status IN ('published', 'rejected') ORDER BY s.id"
        );
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?;
            rows.iter().map(story_from_row).collect()
        })
    }

    /// Published copies of a primary ("Also reported by"), oldest first.
    pub async fn copies_of(&self, primary_id: i64) -> Result<Vec<StoredStory>> {
        let sql = format!(
            "SELECT {STORY_COLS} {STORY_FROM} WHERE s.duplicate_of = $1 AND s.status = 'published' \
             ORDER BY s.sort_at, s.id"
        );
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(primary_id).fetch_all(p).await?;
            rows.iter().map(story_from_row).collect()
        })
    }

    /// Other published primaries of the same event ("More on this"), newest first.
    pub async fn event_stories(
        &self,
        event_id: i64,
        exclude_id: i64,
        limit: i64,
    ) -> Result<Vec<StoredStory>> {
        let sql = format!(
            "SELECT {STORY_COLS} {STORY_FROM} WHERE s.event_id = $1 AND s.id <> $2 \
             AND s.status = 'published' AND s.duplicate_of IS NULL ORDER BY s.sort_at DESC, s.id DESC LIMIT $3"
        );
        on_pool!(self, p => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(event_id)
                .bind(exclude_id)
                .bind(clamp_limit(limit))
                .fetch_all(p)
                .await?;
            rows.iter().map(story_from_row).collect()
        })
    }

    /// Marks a story as a copy of `primary` (or a primary again with `None`).
    pub async fn set_duplicate_of(&self, id: i64, primary: Option<i64>) -> Result<()> {
        let sql = "UPDATE stories SET duplicate_of = $1 WHERE id = $2";
        let n = on_pool!(self, p => sqlx::query(sql).bind(primary).bind(id).execute(p).await?.rows_affected());
        not_found_if_zero(n, id)
    }

    pub async fn set_event(&self, id: i64, event_id: Option<i64>) -> Result<()> {
        let sql = "UPDATE stories SET event_id = $1 WHERE id = $2";
        let n = on_pool!(self, p => sqlx::query(sql).bind(event_id).bind(id).execute(p).await?.rows_affected());
        not_found_if_zero(n, id)
    }

    pub async fn set_pinned(&self, id: i64, pinned: bool) -> Result<()> {
        let sql = "UPDATE stories SET pinned = $1 WHERE id = $2";
        let n = on_pool!(self, p => sqlx::query(sql).bind(pinned).bind(id).execute(p).await?.rows_affected());
        not_found_if_zero(n, id)
    }

    /// Replaces a story's text with a longer/updated version; the previous
    /// text goes to `story_versions`. URL, source, status, tags, likes stay.
    pub async fn replace_text(&self, id: i64, update: &NewStory) -> Result<()> {
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            replace_text_in!(tx, id, update);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Earlier texts of a story, oldest first: (replaced_at, headline, body_text).
    pub async fn story_versions(
        &self,
        id: i64,
    ) -> Result<Vec<(chrono::DateTime<chrono::Utc>, String, String)>> {
        let sql = "SELECT replaced_at, headline, body_text FROM story_versions WHERE story_id = $1 ORDER BY id";
        on_pool!(self, p => {
            let rows = sqlx::query(sql).bind(id).fetch_all(p).await?;
            rows.iter()
                .map(|r| Ok((from_unix(r.int("replaced_at")?), r.text("headline")?, r.text("body_text")?)))
                .collect()
        })
    }

    /// Hides, unhides, rejects or takes a story down. Every change is kept in
    /// `moderation_log` with its reason; a takedown also drops the text (body,
    /// blocks, excerpt, image, earlier versions, search entry).
    pub async fn set_status(
        &self,
        id: i64,
        status: StoryStatus,
        reason: Option<&str>,
    ) -> Result<()> {
        let log = "INSERT INTO moderation_log (story_id, at, from_status, to_status, reason) \
            SELECT id, $2, status, $3, $4 FROM stories WHERE id = $1";
        let set = "UPDATE stories SET status = $1 WHERE id = $2";
        let purge = "UPDATE stories SET body_text = '', blocks = '[]', excerpt = '', lead_image = NULL, \
            body_words = 0, body_chars = 0, dedup_sig = NULL, updated_at = $1 WHERE id = $2";
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(log)
                .bind(id)
                .bind(now())
                .bind(status.as_str())
                .bind(reason)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            not_found_if_zero(n, id)?;
            sqlx::query(set).bind(status.as_str()).bind(id).execute(&mut *tx).await?;
            if status == StoryStatus::Published {
                // Stored rejected, it has no full-text entry yet.
                let (headline, body): (String, String) =
                    sqlx::query_as("SELECT headline, body_text FROM stories WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.unindex_story(id).await?;
                tx.index_story(id, &headline, &body).await?;
            }
            if status == StoryStatus::TakenDown {
                sqlx::query(purge).bind(now()).bind(id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM story_versions WHERE story_id = $1").bind(id).execute(&mut *tx).await?;
                tx.unindex_story(id).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The moderation history of a story, oldest first: (at, from, to, reason).
    pub async fn moderation_log(
        &self,
        id: i64,
    ) -> Result<
        Vec<(
            chrono::DateTime<chrono::Utc>,
            StoryStatus,
            StoryStatus,
            Option<String>,
        )>,
    > {
        let sql = "SELECT at, from_status, to_status, reason FROM moderation_log WHERE story_id = $1 ORDER BY id";
        on_pool!(self, p => {
            let rows = sqlx::query(sql).bind(id).fetch_all(p).await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        from_unix(r.int("at")?),
                        StoryStatus::parse(&r.text("from_status")?)?,
                        StoryStatus::parse(&r.text("to_status")?)?,
                        r.opt_text("reason")?,
                    ))
                })
                .collect()
        })
    }

    /// Saves a story's dedup signature and gives it the next place in the
    /// index's insertion order (see [`Store::dedup_signatures_since`]). Call
    /// it under the grouping lock when several processes group stories.
    pub async fn save_dedup_signature(&self, id: i64, sig: &[u8]) -> Result<()> {
        let sql = "UPDATE stories SET dedup_sig = $1, \
            dedup_seq = (SELECT COALESCE(MAX(dedup_seq), 0) + 1 FROM stories) WHERE id = $2";
        let n = on_pool!(self, p => sqlx::query(sql).bind(sig.to_vec()).bind(id).execute(p).await?.rows_affected());
        not_found_if_zero(n, id)
    }

    /// Every saved signature: (story id, signature, published unix seconds, body length in chars).
    #[allow(clippy::type_complexity)]
    pub async fn dedup_signatures(&self) -> Result<Vec<(i64, Vec<u8>, Option<i64>, i64)>> {
        let sql = "SELECT id, dedup_sig, published_at, body_chars FROM stories WHERE dedup_sig IS NOT NULL ORDER BY id";
        on_pool!(self, p => {
            let rows = sqlx::query(sql).fetch_all(p).await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.int("id")?,
                        r.opt_bytes("dedup_sig")?.unwrap_or_default(),
                        r.opt_int("published_at")?,
                        r.int("body_chars")?,
                    ))
                })
                .collect()
        })
    }

    /// Signatures saved after position `after` of the index's insertion
    /// order, in that order: what a process replays to catch its in-memory
    /// index up with the others (0 gives every signature).
    pub async fn dedup_signatures_since(&self, after: i64) -> Result<Vec<DedupRecord>> {
        let sql = "SELECT dedup_seq, id, dedup_sig, published_at, body_chars FROM stories \
            WHERE dedup_seq > $1 AND dedup_sig IS NOT NULL ORDER BY dedup_seq";
        on_pool!(self, p => {
            let rows = sqlx::query(sql).bind(after).fetch_all(p).await?;
            rows.iter()
                .map(|r| {
                    Ok(DedupRecord {
                        seq: r.int("dedup_seq")?,
                        story_id: r.int("id")?,
                        signature: r.opt_bytes("dedup_sig")?.unwrap_or_default(),
                        published_unix: r.opt_int("published_at")?,
                        body_chars: r.int("body_chars")?,
                    })
                })
                .collect()
        })
    }

    /// Whether a story's signature is saved, i.e. it has been grouped.
    pub async fn has_dedup_signature(&self, id: i64) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM stories WHERE id = $1 AND dedup_sig IS NOT NULL";
        Ok(on_pool!(self, p => sqlx::query(sql).bind(id).fetch_one(p).await?.int_at0()?) > 0)
    }

    /// Totals for the admin overview.
    pub async fn counts(&self) -> Result<StoreCounts> {
        let sql = "SELECT COUNT(*) FILTER (WHERE status = 'published') AS published, \
            COUNT(*) FILTER (WHERE status = 'rejected') AS rejected, \
            COUNT(*) FILTER (WHERE status = 'hidden') AS hidden, \
            COUNT(*) FILTER (WHERE status = 'taken_down') AS taken_down, \
            COUNT(*) FILTER (WHERE status = 'published' AND duplicate_of IS NULL) AS primaries, \
            COUNT(*) AS total, \
            (SELECT COUNT(*) FROM sources WHERE removed_at IS NULL) AS sources, \
            (SELECT COUNT(*) FROM likes) AS likes FROM stories";
        on_pool!(self, p => {
            let r = sqlx::query(sql).fetch_one(p).await?;
            Ok(StoreCounts {
                published: r.int("published")?,
                rejected: r.int("rejected")?,
                hidden: r.int("hidden")?,
                taken_down: r.int("taken_down")?,
                total_stories: r.int("total")?,
                published_primaries: r.int("primaries")?,
                sources: r.int("sources")?,
                likes: r.int("likes")?,
            })
        })
    }

    /// Tag slugs with the number of published primary stories carrying them, most used first.
    pub async fn tags(&self) -> Result<Vec<(String, i64)>> {
        let sql = "SELECT t.tag AS tag, COUNT(*) AS n FROM story_tags t JOIN stories s ON s.id = t.story_id \
            WHERE s.status = 'published' AND s.duplicate_of IS NULL GROUP BY t.tag ORDER BY n DESC, t.tag";
        on_pool!(self, p => {
            let rows = sqlx::query(sql).fetch_all(p).await?;
            rows.iter().map(|r| Ok((r.text("tag")?, r.int("n")?))).collect()
        })
    }

    /// Published primaries per UTC month over the whole store, newest month
    /// first, for the archive index. Counted per day in the database (the
    /// same expression on SQLite and PostgreSQL, answered from the
    /// `stories_status_sort` index) and summed by month here.
    pub async fn archive_months(&self) -> Result<Vec<(i32, u32, i64)>> {
        let sql = "SELECT sort_at / 86400 AS d, COUNT(*) AS n FROM stories \
            WHERE status = 'published' AND duplicate_of IS NULL GROUP BY sort_at / 86400";
        let rows: Vec<(i64, i64)> = on_pool!(self, p => {
            let rows = sqlx::query(sql).fetch_all(p).await?;
            rows.iter().map(|r| Ok((r.int("d")?, r.int("n")?))).collect::<Result<_>>()?
        });
        let mut months: std::collections::BTreeMap<(i32, u32), i64> = Default::default();
        for (d, n) in rows {
            if let Some(day) = day_from_number(d) {
                *months.entry((day.year(), day.month())).or_default() += n;
            }
        }
        Ok(months
            .into_iter()
            .rev()
            .map(|((y, m), n)| (y, m, n))
            .collect())
    }

    /// Published primaries per UTC day of one month, for the archive calendar
    /// (days without stories are absent). An invalid month gives an empty list.
    pub async fn archive_days(&self, year: i32, month: u32) -> Result<Vec<(NaiveDate, i64)>> {
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            return Ok(Vec::new());
        };
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        let Some(next) = next else {
            return Ok(Vec::new());
        };
        let sql = "SELECT sort_at / 86400 AS d, COUNT(*) AS n FROM stories \
            WHERE status = 'published' AND duplicate_of IS NULL AND sort_at >= $1 AND sort_at < $2 \
            GROUP BY sort_at / 86400 ORDER BY d";
        let rows: Vec<(i64, i64)> = on_pool!(self, p => {
            let rows = sqlx::query(sql).bind(day_start(first)).bind(day_start(next)).fetch_all(p).await?;
            rows.iter().map(|r| Ok((r.int("d")?, r.int("n")?))).collect::<Result<_>>()?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(d, n)| day_from_number(d).map(|day| (day, n)))
            .collect())
    }

    /// Counts one like per reader (`reader_key` is a salted hash made by the
    /// web layer). Returns the story's like count and whether this one counted.
    pub async fn add_like(&self, story_id: i64, reader_key: &str) -> Result<(i64, bool)> {
        let like = "INSERT INTO likes (story_id, reader_key, at) SELECT id, $2, $3 FROM stories WHERE id = $1 \
            ON CONFLICT (story_id, reader_key) DO NOTHING";
        let bump = "UPDATE stories SET likes = likes + 1 WHERE id = $1";
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let counted = sqlx::query(like)
                .bind(story_id)
                .bind(reader_key)
                .bind(now())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if counted {
                sqlx::query(bump).bind(story_id).execute(&mut *tx).await?;
            }
            let likes: Option<i64> = sqlx::query_scalar("SELECT likes FROM stories WHERE id = $1")
                .bind(story_id)
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            match likes {
                Some(n) => Ok((n, counted)),
                None => Err(StoreError::StoryNotFound(story_id)),
            }
        })
    }
}

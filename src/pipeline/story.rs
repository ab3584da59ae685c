//! Turning one feed entry into a stored story: article fetch, extraction,
//! topic decision, exact-duplicate check, store, grouping.

use chrono::Utc;

use khabar_fetch::{FetchOutcome, FetchRequest, Purpose};
use khabar_model::FailureKind;
use khabar_model::{
    Article, Block, EntryLink, FeedEntry, NewStory, PageType, Source, StoryStatus, TextDirection,
};
use khabar_store::InsertOutcome;
use khabar_topic::TopicInput;

use super::Pipeline;
use super::entry_error::EntryError;

/// Longest excerpt shown on lists and for excerpt-only sources.
const EXCERPT_CHARS: usize = 320;

pub(crate) enum EntryOutcome {
    Stored {
        published: bool,
        copy: bool,
    },
    /// Another poll (or a worker that died before finishing the job)
    /// stored the same URL already.
    AlreadyStored,
}

impl Pipeline {
    /// Processes one new entry. Errors are messages naming the URL and the
    /// cause; the entry is not stored and will be tried again next poll.
    pub(crate) async fn process_entry(
        &self,
        source: &Source,
        entry: FeedEntry,
        canonical_url: String,
    ) -> Result<EntryOutcome, EntryError> {
        let (article, from_feed) = self.article_for(source, &entry).await?;
        let mut story = build_story(source, &entry, canonical_url, &article);
        // A link-less item's story is the feed's text, shown as an excerpt
        // with the way to the source, never as the source's full article.
        story.excerpt_only = from_feed && entry.link_from != EntryLink::Link;
        if story.body_text.trim().is_empty() && story.headline.is_empty() {
            return Err(EntryError::new(
                FailureKind::NotAnArticle,
                format!("{}: no article text found", entry.url),
            ));
        }
        let started = std::time::Instant::now();
        story.relevance = self.topic.classify(&TopicInput {
            title: &story.headline,
            dateline: story.dateline.as_deref(),
            body: &story.body_text,
            lang: story.lang.as_deref(),
            dedicated_source: source.dedicated,
        });
        crate::metrics::stage("topic", started);
        if let Some(reason) = page_type_rejection(&article, from_feed) {
            // Recorded like an off-topic story: kept, rejected, with the
            // reason first where the admin lists why stories were rejected.
            story.relevance.relevant = false;
            story.relevance.reasons.insert(0, reason);
        }
        story.status = if story.relevance.relevant {
            StoryStatus::Published
        } else {
            StoryStatus::Rejected
        };
        let started = std::time::Instant::now();
        if story.relevance.relevant && !story.body_text.is_empty() {
            story.duplicate_of = self
                .store
                .story_id_by_content_hash(&story.content_hash)
                .await
                .map_err(|e| {
                    crate::metrics::store_error("content_hash");
                    EntryError::new(FailureKind::Store, format!("{}: store: {e}", entry.url))
                })?;
        }
        let inserted = self.store.insert_story(&story).await;
        crate::metrics::stage("store", started);
        let id = match inserted {
            Ok(InsertOutcome::Inserted(id)) => id,
            Ok(InsertOutcome::Existing(id)) => {
                let regrouped = self
                    .finish_grouping(source, id, &story)
                    .await
                    .map_err(|e| grouping_error(&entry.url, e))?;
                if let Some(copy) = regrouped {
                    // The earlier attempt stopped before its lead image and
                    // push-out, which come after grouping: do them now.
                    self.after_grouping(id, source, &story, &article, copy)
                        .await;
                }
                return Ok(EntryOutcome::AlreadyStored);
            }
            Err(e) => {
                crate::metrics::store_error("insert_story");
                return Err(EntryError::new(
                    FailureKind::Store,
                    format!("{}: store: {e}", entry.url),
                ));
            }
        };
        crate::metrics::story_stored(story.status);
        let mut copy = story.duplicate_of.is_some();
        if story.relevance.relevant && !copy {
            let started = std::time::Instant::now();
            let grouped = self
                .grouper
                .assign(&self.store, id, source.id, &story)
                .await;
            crate::metrics::stage("dedup", started);
            // The story is stored; a grouping that failed (the store's
            // trouble) fails the job, and its retry finds the story stored
            // and finishes the grouping (`finish_grouping`).
            copy = grouped.map_err(|e| grouping_error(&entry.url, e))?.is_copy;
        }
        if story.status == StoryStatus::Published {
            self.after_grouping(id, source, &story, &article, copy)
                .await;
        }
        Ok(EntryOutcome::Stored {
            published: story.status == StoryStatus::Published,
            copy,
        })
    }

    /// What follows the grouping of a published story: its lead image
    /// (a primary's only) and the push-out. Neither can fail the job.
    async fn after_grouping(
        &self,
        id: i64,
        source: &Source,
        story: &NewStory,
        article: &Article,
        copy: bool,
    ) {
        if let Some(url) = story.lead_image.as_deref()
            && !copy
        {
            // After the story is stored: a refused image is recorded, never fatal.
            self.attach_lead_image(id, source, url, article).await;
        }
        // Only queues rows; sending happens off the ingest path. A copy
        // is pushed only to the feed of the story it joined.
        crate::push::story_published(&self.store, &self.config, id, source).await;
    }

    /// A story found already stored may have been left ungrouped by a
    /// process that died (or whose store failed) between storing and
    /// grouping it; grouping is idempotent, so a published primary is
    /// (re)assigned. Returns whether the grouping made it a copy when it
    /// was done here, `None` when there was nothing to do.
    async fn finish_grouping(
        &self,
        source: &Source,
        id: i64,
        story: &NewStory,
    ) -> anyhow::Result<Option<bool>> {
        let Some(stored) = self.store.story(id).await? else {
            return Ok(None);
        };
        if stored.status != StoryStatus::Published || stored.duplicate_of.is_some() {
            return Ok(None);
        }
        if self.store.has_dedup_signature(id).await? {
            return Ok(None);
        }
        let grouped = self
            .grouper
            .assign(&self.store, id, source.id, story)
            .await?;
        Ok(Some(grouped.is_copy))
    }

    /// Fetches and extracts the article page; when the page cannot be had,
    /// falls back to the text the feed itself carries, if any. An item
    /// whose only address is its enclosure or the feed's site link has no
    /// page to fetch: its story is the feed's text. The flag says the
    /// article came from the feed rather than from the page.
    async fn article_for(
        &self,
        source: &Source,
        entry: &FeedEntry,
    ) -> Result<(Article, bool), EntryError> {
        let page_error = match entry.link_from {
            EntryLink::Link | EntryLink::Guid => match self.article_page(source, entry).await? {
                Ok(a) => return Ok((a, false)),
                Err(e) => e,
            },
            EntryLink::Enclosure => EntryError::new(
                FailureKind::NotAnArticle,
                format!("{}: the item links only to its enclosure", entry.url),
            ),
            EntryLink::SiteLink => EntryError::new(
                FailureKind::NotAnArticle,
                format!("{}: the item has no link of its own", entry.url),
            ),
        };
        // An item with a link of its own needs a real body from the feed
        // before it stands in for the page; a link-less item has only this.
        let min_len = if entry.link_from == EntryLink::Link {
            200
        } else {
            0
        };
        if let Some(html) = entry
            .content_html
            .as_deref()
            .filter(|h| h.len() > min_len && !h.trim().is_empty())
        {
            let wrapped =
                format!("<!doctype html><html><body><article>{html}</article></body></html>");
            match self
                .extract_off_thread(
                    wrapped.into_bytes(),
                    entry.url.clone(),
                    Some("text/html; charset=utf-8".into()),
                )
                .await
                .map_err(|e| EntryError::new(FailureKind::Other, format!("{}: {e}", entry.url)))?
            {
                Ok(a) if !a.text.trim().is_empty() => return Ok((a, true)),
                Ok(_) if entry.link_from == EntryLink::Link => {
                    return Err(page_error.and("feed content: no article text"));
                }
                Err(e) if entry.link_from == EntryLink::Link => {
                    return Err(page_error.and(format_args!("feed content: {e}")));
                }
                _ => {}
            }
        }
        match entry.summary.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(text) if entry.link_from != EntryLink::Link => Ok((article_from_text(text), true)),
            _ => Err(page_error),
        }
    }

    /// The article page of an entry, extracted: the outer error is one the
    /// entry cannot get past (a failed task), the inner one why the page
    /// gave no article.
    async fn article_page(
        &self,
        source: &Source,
        entry: &FeedEntry,
    ) -> Result<Result<Article, EntryError>, EntryError> {
        let req = FetchRequest {
            url: entry.url.clone(),
            purpose: Purpose::Article,
            etag: None,
            last_modified: None,
            proxy: source.proxy.clone(),
        };
        Ok(match self.fetch(&req).await {
            Ok(FetchOutcome::Fetched(page)) => {
                let result = self
                    .extract_off_thread(
                        page.body.to_vec(),
                        page.final_url.clone(),
                        page.content_type.clone(),
                    )
                    .await
                    .map_err(|e| {
                        EntryError::new(FailureKind::Other, format!("{}: {e}", entry.url))
                    })?;
                match result {
                    Ok(a) if !a.text.trim().is_empty() => Ok(a),
                    Ok(_) => Err(EntryError::new(
                        FailureKind::NotAnArticle,
                        format!("{}: no article text found on the page", page.final_url),
                    )),
                    Err(e) => Err(EntryError::new(
                        FailureKind::Parse,
                        format!("{}: {e}", page.final_url),
                    )),
                }
            }
            Ok(FetchOutcome::NotModified) => Err(EntryError::new(
                FailureKind::Other,
                format!("{}: unexpected 304", entry.url),
            )),
            Err(e) => Err(EntryError::from_fetch(&e)),
        })
    }

    /// Runs the extractor on the blocking pool: extraction is CPU work and
    /// must not hold up the I/O threads, whether the HTML came from the page
    /// or from the feed. The outer error is a failed task, the inner one the
    /// extractor's verdict.
    async fn extract_off_thread(
        &self,
        bytes: Vec<u8>,
        url: String,
        content_type: Option<String>,
    ) -> Result<Result<Article, khabar_extract::ExtractError>, String> {
        let extractor = self.extractor.clone();
        let started = std::time::Instant::now();
        let result = tokio::task::spawn_blocking(move || {
            extractor.extract(&bytes, Some(&url), content_type.as_deref())
        })
        .await
        .map_err(|e| format!("extraction task failed: {e}"));
        crate::metrics::stage("extract", started);
        result
    }
}

/// Merges what the page says with what the feed says; the page wins for
/// text and credits, the feed for the headline (feeds carry the publisher's
/// own headline without site-name suffixes).
pub(crate) fn build_story(
    source: &Source,
    entry: &FeedEntry,
    canonical_url: String,
    article: &Article,
) -> NewStory {
    let headline = entry
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .or(article.title.as_deref())
        .map(khabar_text::normalize_display)
        .unwrap_or_default();
    let byline = article
        .byline
        .clone()
        .or_else(|| (!entry.authors.is_empty()).then(|| entry.authors.join(", ")));
    let lang = article
        .lang
        .as_deref()
        .or(entry.language.as_deref())
        .or(source.lang.as_deref())
        .map(primary_language);
    let dir = match lang.as_deref() {
        Some(l) if khabar_text::is_rtl_lang(l) => TextDirection::Rtl,
        Some(_) => TextDirection::Ltr,
        None => article.dir,
    };
    let body_text = article.text.clone();
    let excerpt = article
        .description
        .as_deref()
        .filter(|d| d.chars().count() > 40)
        .or_else(|| article.blocks.first().map(|b| b.text.as_str()))
        .map(|t| truncate_words(t, EXCERPT_CHARS))
        .unwrap_or_default();
    let content_hash = if body_text.trim().is_empty() {
        khabar_text::content_hash(&headline)
    } else {
        khabar_text::content_hash(&body_text)
    };
    NewStory {
        source_id: source.id,
        url: entry.url.clone(),
        canonical_url,
        declared_url: super::declared_url::declared_url(
            article.canonical_url.as_deref(),
            &[article.url.as_deref().unwrap_or(&entry.url), &entry.url],
        ),
        headline,
        dateline: article.dateline.clone(),
        byline,
        credits: article.credits.clone(),
        published_at: article
            .published
            .map(|d| d.with_timezone(&Utc))
            .or(entry.published)
            .or(entry.updated),
        fetched_at: Utc::now(),
        lang,
        dir,
        blocks: article.blocks.clone(),
        content_hash,
        body_text,
        excerpt,
        lead_image: article.lead_image.clone().or_else(|| entry.image.clone()),
        relevance: Default::default(),
        status: StoryStatus::Published,
        duplicate_of: None,
        event_id: None,
        excerpt_only: false,
    }
}

/// Why a page that is not an article (a listing, forum, product, docs or
/// service page) is not published: only articles are. The feed's own text
/// stands for an article whatever its markup looks like.
fn page_type_rejection(article: &Article, from_feed: bool) -> Option<String> {
    (!from_feed && article.page_type != PageType::Article)
        .then(|| format!("page type: {} (not an article)", article.page_type.as_str()))
}

/// An article made of a feed item's plain-text summary, one paragraph per
/// blank-line-separated part.
fn article_from_text(text: &str) -> Article {
    let blocks: Vec<Block> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Block::paragraph)
        .collect();
    Article {
        text: blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
        blocks,
        ..Default::default()
    }
}

/// `fa-IR` → `fa`: the site filters and sets `dir` by primary language.
fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .trim()
        .to_ascii_lowercase()
}

/// Cuts text to at most `max` characters at a word boundary, adding "…".
pub(crate) fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// A stored story whose grouping could not be written: the store's trouble,
/// tried again like any transient failure.
fn grouping_error(url: &str, e: anyhow::Error) -> EntryError {
    EntryError::new(FailureKind::Store, format!("{url}: grouping: {e:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_article_pages_are_published() {
        let mut a = Article::default();
        assert_eq!(page_type_rejection(&a, false), None);
        a.page_type = PageType::Listing;
        assert_eq!(
            page_type_rejection(&a, false).as_deref(),
            Some("page type: listing (not an article)")
        );
        assert_eq!(page_type_rejection(&a, true), None);
    }

    #[test]
    fn feed_headline_wins_and_page_text_is_kept() {
        let source = Source {
            id: 7,
            lang: Some("en".into()),
            ..Default::default()
        };
        let entry = FeedEntry {
            url: "https://x.example/a?utm_source=rss".into(),
            title: Some("Iran says talks to resume".into()),
            authors: vec!["Jane Doe".into()],
            ..Default::default()
        };
        let article = Article {
            title: Some("Iran says talks to resume | X News".into()),
            dateline: Some("TEHRAN (Reuters) –".into()),
            credits: Some("Reporting by Jane Doe; Editing by John Roe".into()),
            blocks: vec![Block::paragraph("Iran said on Monday talks would resume.")],
            text: "Iran said on Monday talks would resume.".into(),
            ..Default::default()
        };
        let s = build_story(&source, &entry, "https://x.example/a".into(), &article);
        assert_eq!(s.headline, "Iran says talks to resume");
        assert_eq!(s.byline.as_deref(), Some("Jane Doe"));
        assert_eq!(s.lang.as_deref(), Some("en"));
        assert_eq!(s.source_id, 7);
        assert_eq!(s.excerpt, "Iran said on Monday talks would resume.");
        assert_eq!(s.content_hash, khabar_text::content_hash(&s.body_text));
    }

    #[test]
    fn persian_language_sets_rtl() {
        let source = Source {
            lang: Some("fa-IR".into()),
            ..Default::default()
        };
        let entry = FeedEntry {
            url: "https://x.example/b".into(),
            ..Default::default()
        };
        let s = build_story(
            &source,
            &entry,
            "https://x.example/b".into(),
            &Article::default(),
        );
        assert_eq!(s.lang.as_deref(), Some("fa"));
        assert_eq!(s.dir, TextDirection::Rtl);
    }

    #[test]
    fn truncates_at_word_boundary() {
        assert_eq!(truncate_words("one two three", 100), "one two three");
        assert_eq!(truncate_words("one two three", 9), "one two…");
    }
}

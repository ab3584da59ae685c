//! Polling one source: fetch its feed or sitemap, find the entries not seen
//! before, process each, and record the outcome on the source.

use std::collections::HashSet;
use std::time::Instant;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Serialize;

use khabar_fetch::{FetchOutcome, FetchRequest, Purpose};
use khabar_model::{EntryLink, FeedEntry, FeedKind, Source, SourceStatus};
use khabar_store::FetchRecord;

use super::Pipeline;
use super::story::EntryOutcome;

/// Child sitemaps followed from one sitemap index per poll; indexes list
/// the newest first on news sites, and older ones hold nothing new.
const MAX_CHILD_SITEMAPS: usize = 3;
/// Article errors kept in a report, so one broken site cannot flood it.
const MAX_REPORTED_ERRORS: usize = 5;

/// What one poll of one source did; printed by `khabar fetch`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceReport {
    pub slug: String,
    pub status: String,
    /// Why the source failed, naming the URL and cause.
    pub error: Option<String>,
    pub items_seen: usize,
    pub new_items: usize,
    pub stories_added: usize,
    pub published: usize,
    pub rejected: usize,
    pub copies: usize,
    pub article_errors: Vec<String>,
    pub article_error_count: usize,
    /// What a successful poll left out: the document's damage and the
    /// items that could not be stories, each with why.
    pub note: Option<String>,
    pub elapsed_ms: u128,
}

/// Validators and entries of a successful feed fetch.
struct FeedPoll {
    etag: Option<String>,
    last_modified: Option<String>,
    http_status: u16,
    entries: Vec<FeedEntry>,
    /// What the document had wrong and which items could not be stories,
    /// for the fetch log.
    note: Option<String>,
}

enum PollOutcome {
    NotModified,
    Polled(FeedPoll),
}

/// What a poll does with the new articles it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NewEntries {
    /// Fetch, extract and store them now, in this process (`khabar fetch`).
    Process,
    /// Queue them as entry jobs for any worker to claim.
    Enqueue,
}

impl Pipeline {
    pub(crate) async fn poll_source(&self, source: Source) -> SourceReport {
        self.poll_source_with(source, NewEntries::Process).await
    }

    pub(crate) async fn poll_source_with(&self, source: Source, new: NewEntries) -> SourceReport {
        let started = Instant::now();
        let mut report = SourceReport {
            slug: source.slug.clone(),
            ..Default::default()
        };
        let at = Utc::now();
        // Articles for the workers, queued with the poll's record.
        let mut queue = Vec::new();
        let outcome = self.fetch_feed(&source).await;
        let record = match outcome {
            Ok(PollOutcome::NotModified) => {
                report.status = SourceStatus::NotModified.as_str().into();
                FetchRecord {
                    at,
                    status: SourceStatus::NotModified,
                    http_status: Some(304),
                    error: None,
                    etag: source.etag.clone(),
                    last_modified: source.last_modified.clone(),
                    next_fetch_at: Some(self.next_regular_poll(at)),
                    consecutive_failures: 0,
                    items_seen: 0,
                    stories_added: 0,
                    duration_ms: 0,
                    note: None,
                    error_kind: None,
                }
            }
            Ok(PollOutcome::Polled(feed)) => {
                report.note.clone_from(&feed.note);
                report.status = SourceStatus::Ok.as_str().into();
                report.items_seen = feed.entries.len();
                let listed = match new {
                    NewEntries::Process => {
                        self.process_entries(&source, feed.entries, &mut report)
                            .await
                    }
                    NewEntries::Enqueue => {
                        match self.entries_to_queue(feed.entries, &mut report).await {
                            Some(fresh) => {
                                queue = fresh;
                                true
                            }
                            None => false,
                        }
                    }
                };
                // Which entries are new could not be read from the store:
                // keep the old validators, so the next poll gets the whole
                // feed again instead of a 304 that would hide these entries,
                // and keep the source due, so that poll comes as soon as the
                // store answers rather than a whole interval later. The
                // source did nothing wrong: no failure is counted.
                let (etag, last_modified, next_fetch_at) = if listed {
                    (feed.etag, feed.last_modified, self.next_regular_poll(at))
                } else {
                    (source.etag.clone(), source.last_modified.clone(), at)
                };
                FetchRecord {
                    at,
                    status: SourceStatus::Ok,
                    http_status: Some(feed.http_status),
                    error: None,
                    etag,
                    last_modified,
                    next_fetch_at: Some(next_fetch_at),
                    consecutive_failures: 0,
                    items_seen: report.items_seen as i64,
                    stories_added: report.stories_added as i64,
                    duration_ms: 0,
                    note: feed.note,
                    error_kind: None,
                }
            }
            Err(failure) => {
                let failures = source.consecutive_failures.saturating_add(1);
                let sched = &self.config.schedule;
                let delay = khabar_fetch::next_poll_delay(
                    u32::try_from(failures).unwrap_or(u32::MAX),
                    std::time::Duration::from_secs(sched.backoff_base_secs),
                    std::time::Duration::from_secs(sched.backoff_max_secs),
                    failure.retry_after,
                );
                tracing::warn!(source = %source.slug, error = %failure.message, "source failed");
                report.status = SourceStatus::Failing.as_str().into();
                report.error = Some(failure.message.clone());
                FetchRecord {
                    at,
                    status: SourceStatus::Failing,
                    http_status: failure.http_status,
                    error: Some(failure.message),
                    // Keep the validators of the last good fetch.
                    etag: source.etag.clone(),
                    last_modified: source.last_modified.clone(),
                    next_fetch_at: Some(at + chrono::Duration::from_std(delay).unwrap_or_default()),
                    consecutive_failures: failures,
                    items_seen: 0,
                    stories_added: 0,
                    duration_ms: 0,
                    note: None,
                    error_kind: Some(failure.kind),
                }
            }
        };
        report.elapsed_ms = started.elapsed().as_millis();
        let record = FetchRecord {
            duration_ms: i64::try_from(report.elapsed_ms).unwrap_or(i64::MAX),
            ..record
        };
        match self
            .store
            .sources()
            .record_poll(source.id, &record, &queue)
            .await
        {
            Ok(queued) => {
                if !queue.is_empty() {
                    report.new_items = usize::try_from(queued).unwrap_or(usize::MAX);
                }
            }
            Err(e) => {
                tracing::error!(source = %source.slug, error = %e, "cannot record fetch");
                report
                    .article_errors
                    .push(format!("recording the fetch failed: {e}"));
            }
        }
        crate::metrics::source_polled(
            &report.slug,
            &report.status,
            report.article_error_count,
            report.elapsed_ms,
        );
        report
    }

    fn next_regular_poll(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        // Up to 10% jitter spreads sources that were added together.
        let base = self.poll_interval();
        let jitter = base.mul_f64(rand::random::<f64>() * 0.1);
        at + chrono::Duration::from_std(base + jitter).unwrap_or_default()
    }

    async fn fetch_feed(&self, source: &Source) -> Result<PollOutcome, PollFailure> {
        let req = FetchRequest {
            url: source.url.clone(),
            purpose: Purpose::Feed,
            etag: source.etag.clone(),
            last_modified: source.last_modified.clone(),
            proxy: source.proxy.clone(),
        };
        let page = match self.fetch(&req).await.map_err(PollFailure::from_fetch)? {
            FetchOutcome::NotModified => return Ok(PollOutcome::NotModified),
            FetchOutcome::Fetched(page) => page,
        };
        let mut report =
            khabar_feed::parse_feed_http(&page.body, &page.final_url, http_context(&page))
                .map_err(|e| PollFailure {
                    message: format!("{}: {e}", page.final_url),
                    retry_after: None,
                    http_status: Some(page.status),
                    kind: e.kind(),
                })?;
        let unpublishable = drop_unpublishable(&mut report.feed.entries);
        let note = poll_note(&report, unpublishable);
        if let Some(note) = &note {
            tracing::warn!(source = %source.slug, "{}: {note}", page.final_url);
        }
        let feed = report.feed;
        let mut entries = feed.entries;
        if feed.kind == FeedKind::SitemapIndex {
            entries.extend(
                self.child_sitemap_entries(source, &feed.child_sitemaps)
                    .await,
            );
        }
        Ok(PollOutcome::Polled(FeedPoll {
            etag: page.etag,
            last_modified: page.last_modified,
            http_status: page.status,
            entries,
            note,
        }))
    }

    /// Entries of the first few child sitemaps of an index. A broken child
    /// is logged and skipped: the index itself was fine.
    async fn child_sitemap_entries(&self, source: &Source, children: &[String]) -> Vec<FeedEntry> {
        let mut out = Vec::new();
        for child in children.iter().take(MAX_CHILD_SITEMAPS) {
            let req = FetchRequest {
                url: child.clone(),
                purpose: Purpose::Feed,
                etag: None,
                last_modified: None,
                proxy: source.proxy.clone(),
            };
            match self.fetch(&req).await {
                Ok(FetchOutcome::Fetched(page)) => {
                    match khabar_feed::parse_feed_http(
                        &page.body,
                        &page.final_url,
                        http_context(&page),
                    ) {
                        Ok(r) => out.extend(r.feed.entries),
                        Err(e) => tracing::warn!(source = %source.slug, "{child}: {e}"),
                    }
                }
                Ok(FetchOutcome::NotModified) => {}
                Err(e) => tracing::warn!(source = %source.slug, "{e}"),
            }
        }
        out
    }

    /// The entries of a feed not stored yet, canonicalised, without repeats,
    /// newest first, at most `max_articles_per_poll`.
    async fn fresh_entries(
        &self,
        entries: Vec<FeedEntry>,
    ) -> khabar_store::Result<Vec<(String, FeedEntry)>> {
        // Canonicalise, drop repeats within the feed, newest first.
        let mut seen = HashSet::new();
        let mut candidates: Vec<(String, FeedEntry)> = entries
            .into_iter()
            .filter_map(|e| {
                let canon = story_key(&e)?;
                seen.insert(canon.clone()).then_some((canon, e))
            })
            .collect();
        candidates.sort_by_key(|(_, e)| std::cmp::Reverse(e.published.or(e.updated)));
        let urls: Vec<String> = candidates.iter().map(|(c, _)| c.clone()).collect();
        let known = self.store.known_urls(&urls).await?;
        Ok(candidates
            .into_iter()
            .filter(|(c, _)| !known.contains(c))
            .take(self.config.fetch.max_articles_per_poll)
            .collect())
    }

    /// The feed's entries not stored yet, for the workers' queue; `None`
    /// (with the error reported) when the store cannot say which are new.
    async fn entries_to_queue(
        &self,
        entries: Vec<FeedEntry>,
        report: &mut SourceReport,
    ) -> Option<Vec<(String, FeedEntry)>> {
        match self.fresh_entries(entries).await {
            Ok(fresh) => Some(fresh),
            Err(e) => {
                report.article_errors.push(format!("store: {e}"));
                report.article_error_count += 1;
                None
            }
        }
    }

    /// Fetches, extracts and stores the new entries now. False when the
    /// store could not say which entries are new (nothing was processed).
    async fn process_entries(
        &self,
        source: &Source,
        entries: Vec<FeedEntry>,
        report: &mut SourceReport,
    ) -> bool {
        let fresh = match self.fresh_entries(entries).await {
            Ok(f) => f,
            Err(e) => {
                report.article_errors.push(format!("store: {e}"));
                report.article_error_count += 1;
                return false;
            }
        };
        report.new_items = fresh.len();
        let limit = self.config.fetch.article_concurrency.max(1);
        let mut results = futures_util::stream::iter(fresh.into_iter().map(|(canon, entry)| {
            let this = self.clone();
            let source = source.clone();
            async move { this.process_entry(&source, entry, canon).await }
        }))
        .buffer_unordered(limit);
        while let Some(result) = results.next().await {
            match result {
                Ok(EntryOutcome::Stored { published, copy }) => {
                    report.stories_added += 1;
                    if copy {
                        report.copies += 1;
                    }
                    if published {
                        report.published += 1;
                    } else {
                        report.rejected += 1;
                    }
                }
                Ok(EntryOutcome::AlreadyStored) => {}
                Err(e) => {
                    tracing::warn!(source = %source.slug, kind = %e.kind, "{e}");
                    report.article_error_count += 1;
                    if report.article_errors.len() < MAX_REPORTED_ERRORS {
                        report.article_errors.push(format!("[{}] {e}", e.kind));
                    }
                }
            }
        }
        true
    }
}

/// Why a source's poll failed, with what the backoff needs.
struct PollFailure {
    message: String,
    retry_after: Option<std::time::Duration>,
    http_status: Option<u16>,
    kind: khabar_model::FailureKind,
}

impl PollFailure {
    fn from_fetch(e: khabar_fetch::FetchError) -> Self {
        PollFailure {
            retry_after: e.retry_after(),
            http_status: e.status(),
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

/// What the feed stage needs of the HTTP response besides the body.
fn http_context(page: &khabar_fetch::FetchedPage) -> khabar_feed::HttpContext<'_> {
    khabar_feed::HttpContext {
        content_type: page.content_type.as_deref(),
        content_location: page.content_location.as_deref(),
        content_language: page.content_language.as_deref(),
    }
}

/// Removes the items that have neither a page of their own nor a title or
/// text to publish in its place, and says which they were.
fn drop_unpublishable(entries: &mut Vec<FeedEntry>) -> Vec<String> {
    let mut dropped = Vec::new();
    entries.retain(|e| {
        let own_page = matches!(e.link_from, EntryLink::Link | EntryLink::Guid);
        let has_text = e.title.is_some() || e.summary.is_some() || e.content_html.is_some();
        if !own_page && !has_text {
            dropped.push(format!(
                "item {}: no link of its own and no title or text to publish",
                e.guid.as_deref().unwrap_or(&e.url)
            ));
        }
        own_page || has_text
    });
    dropped
}

/// The fetch log's note for a poll that succeeded: the document's damage
/// and each item skipped, with why. Nothing is dropped silently.
fn poll_note(report: &khabar_feed::FeedReport, unpublishable: Vec<String>) -> Option<String> {
    let lines: Vec<&str> = report
        .damage
        .iter()
        .chain(&report.skipped)
        .chain(&unpublishable)
        .map(String::as_str)
        .collect();
    (!lines.is_empty()).then(|| lines.join("; "))
}

/// The key a feed entry's story is stored under: its canonical URL. Items
/// that share the feed's site link as their only address are told apart by
/// their guid, else their title and text, after a `#` the canonical URL
/// itself never carries.
fn story_key(e: &FeedEntry) -> Option<String> {
    let canon = khabar_feed::canonicalize_url(&e.url).ok()?;
    if e.link_from != EntryLink::SiteLink {
        return Some(canon);
    }
    let identity = match e.guid.as_deref() {
        Some(g) => g.to_string(),
        None => format!(
            "{}\n{}",
            e.title.as_deref().unwrap_or_default(),
            e.summary.as_deref().unwrap_or_default()
        ),
    };
    Some(format!(
        "{canon}#item-{}",
        khabar_text::content_hash(&identity)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_less_items_sharing_the_site_link_get_keys_of_their_own() {
        let item = |guid: Option<&str>, title: &str| FeedEntry {
            url: "https://site.example/?utm_source=rss".into(),
            guid: guid.map(str::to_string),
            title: Some(title.into()),
            link_from: EntryLink::SiteLink,
            ..Default::default()
        };
        let a = story_key(&item(Some("urn:1"), "One")).unwrap();
        let b = story_key(&item(Some("urn:2"), "One")).unwrap();
        let c = story_key(&item(None, "Two")).unwrap();
        assert!(a.starts_with("https://site.example/#item-"), "{a}");
        assert_ne!(a, b);
        assert_ne!(b, c);
        assert_eq!(a, story_key(&item(Some("urn:1"), "Changed title")).unwrap());
        // An item with a link of its own keeps its canonical URL.
        let linked = FeedEntry {
            url: "https://site.example/a?utm_source=rss".into(),
            ..Default::default()
        };
        assert_eq!(story_key(&linked).unwrap(), "https://site.example/a");
    }

    #[test]
    fn items_with_no_page_and_nothing_to_publish_are_dropped_and_said() {
        let feed = br#"<rss version="2.0"><channel><title>S</title><link>https://s.example/</link>
            <item><title>Linked</title><link>https://s.example/a</link></item>
            <item><description>Only text: kept, excerpt-only</description></item>
            <item><guid isPermaLink="false">urn:empty</guid></item>
            <item><title>Cut</ti"#;
        let mut report = khabar_feed::parse_feed_report(feed, "https://s.example/rss").unwrap();
        let dropped = drop_unpublishable(&mut report.feed.entries);
        let kept: Vec<EntryLink> = report.feed.entries.iter().map(|e| e.link_from).collect();
        assert_eq!(kept, [EntryLink::Link, EntryLink::SiteLink]);
        assert_eq!(
            dropped,
            ["item urn:empty: no link of its own and no title or text to publish"]
        );
        let note = poll_note(&report, dropped).unwrap();
        assert!(note.contains("truncated"), "{note}");
        assert!(
            note.contains("the 3 items before the cut were kept"),
            "{note}"
        );
        assert!(note.contains("urn:empty"), "{note}");
    }
}

//! The bridge between the pure dedup index and the store: the index lives
//! in memory, its signatures live in the store, and on start-up the index is
//! rebuilt from them so it is never silently empty after a restart.
//!
//! Several processes (workers) may group stories into one store. Each keeps
//! its own index, so grouping runs under the store's grouping lock and
//! first replays the signatures the others saved since it last looked, in
//! the order they were saved: every process then decides from the same
//! index, and two copies stored at the same moment cannot both become
//! primaries.

use khabar_dedup::{DedupConfig, DedupIndex, Signature, StoryMeta};
use khabar_model::NewStory;
use khabar_store::{DedupRecord, GroupingWrites, Store};

use super::crosslang::AcrossLanguages;

/// Groups stored stories into copies of one report and events.
pub struct StoryGrouper {
    /// The index and how far into the store's signature order it has read.
    /// An async mutex: it is held across the store calls of one grouping.
    state: tokio::sync::Mutex<Indexed>,
    /// Names this process in the store's lock (SQLite's lock row).
    holder: String,
}

struct Indexed {
    index: DedupIndex,
    last_seq: i64,
    /// New primaries matched with the other language's reports.
    across: AcrossLanguages,
    /// A decision was made in memory but could not be written: the index
    /// is ahead of the store and is rebuilt before it decides again.
    /// Otherwise the retry of that story would find it "already grouped"
    /// in memory and never write its grouping.
    stale: bool,
}

impl Indexed {
    /// Rebuilds the index from the store's signatures, in the order they
    /// were saved, so that replaying gives the same groups as the original
    /// inserts did.
    async fn load(store: &Store) -> anyhow::Result<Indexed> {
        let records = store.dedup_signatures_since(0).await?;
        let last_seq = records.last().map_or(0, |r| r.seq);
        let stored = records.into_iter().map(|r| {
            let meta = meta_of(&r);
            (r.story_id as u64, r.signature, meta)
        });
        // A store whose signatures all fail to decode is an error, not an
        // empty index: copies would silently stop being merged.
        let rebuilt = DedupIndex::rebuild(DedupConfig::default(), stored)
            .map_err(|e| anyhow::anyhow!("rebuilding the dedup index from the store: {e}"))?;
        for (id, why) in &rebuilt.skipped {
            tracing::warn!(
                story = id,
                "dedup signature unreadable, story left out of the index: {why}"
            );
        }
        tracing::info!(stories = rebuilt.index.len(), "dedup index rebuilt");
        let across = AcrossLanguages::load(store).await?;
        Ok(Indexed {
            index: rebuilt.index,
            last_seq,
            across,
            stale: false,
        })
    }
}

/// What grouping did to one story.
pub struct Grouping {
    pub is_copy: bool,
}

impl StoryGrouper {
    /// A grouper whose index is rebuilt from the store (see `Indexed::load`).
    pub async fn load(store: &Store, holder: &str) -> anyhow::Result<StoryGrouper> {
        Ok(StoryGrouper {
            state: tokio::sync::Mutex::new(Indexed::load(store).await?),
            holder: holder.to_string(),
        })
    }

    /// Adds a stored story to the index and records in the store what it
    /// is a copy of and which event it belongs to. Safe to call again for a
    /// story already grouped (by this or another process): it is then left
    /// as it is.
    pub async fn assign(
        &self,
        store: &Store,
        id: i64,
        source_id: i64,
        story: &NewStory,
    ) -> anyhow::Result<Grouping> {
        // The signature is pure work on this story alone: computed before
        // the lock, so other workers wait only for the decision itself.
        let sig = Signature::of(&story.headline, &story.body_text);
        let mut state = self.state.lock().await;
        let lock = store.lock_grouping(&self.holder).await?;
        let result = self
            .assign_locked(&mut state, store, id, source_id, story, sig)
            .await;
        if let Err(e) = lock.release().await {
            // The lock frees itself (session end or expiry); only log.
            tracing::warn!("releasing the grouping lock: {e}");
        }
        result
    }

    async fn assign_locked(
        &self,
        state: &mut Indexed,
        store: &Store,
        id: i64,
        source_id: i64,
        story: &NewStory,
        sig: Signature,
    ) -> anyhow::Result<Grouping> {
        if state.stale {
            *state = Indexed::load(store).await?;
        }
        if let Err(e) = catch_up(state, store).await {
            // Some replayed stories may be in the index but not yet filed
            // for cross-language matching: start again from the store.
            state.stale = true;
            return Err(e);
        }
        if let Some(group) = state.index.group_of(id as u64) {
            return Ok(Grouping {
                is_copy: state
                    .index
                    .group(group)
                    .is_some_and(|g| g.primary != id as u64),
            });
        }
        let bytes = sig.to_bytes();
        let meta = StoryMeta {
            published_unix: story.published_at.map(|t| t.timestamp()),
            body_len: story.body_text.len(),
            source: Some(source_id.to_string()),
        };
        let decision = state.index.insert(id as u64, sig, meta);
        let written = write_decision(state, store, id, source_id, story, &bytes, decision).await;
        if written.is_err() {
            state.stale = true;
        }
        written
    }
}

/// Works the index's decision for a story out into the store's rows and
/// writes them in one transaction (see `khabar_store::GroupingWrites`).
/// The next catch-up reads this signature back and skips it: the story is
/// already in the index.
async fn write_decision(
    state: &mut Indexed,
    store: &Store,
    id: i64,
    source_id: i64,
    story: &NewStory,
    bytes: &[u8],
    decision: khabar_dedup::DedupDecision,
) -> anyhow::Result<Grouping> {
    let mut is_copy = false;
    let mut replace_text = None;
    let mut took_over = None;
    let mut duplicate_of: Vec<(i64, Option<i64>)> = Vec::new();
    if let Some(primary) = decision.copy_of.map(|p| p as i64).filter(|p| *p != id) {
        is_copy = true;
        let primary_story = store.story(primary).await?;
        let same_source = primary_story
            .as_ref()
            .is_some_and(|p| p.source_id == source_id);
        if decision.becomes_primary && same_source {
            // An agency's fuller re-issue of its own report: the story
            // keeps its page and takes the new text; the old text is
            // kept as history by the store.
            replace_text = Some((primary, story));
            duplicate_of.push((id, Some(primary)));
        } else if decision.becomes_primary {
            // Another outlet carries a more complete version: it becomes
            // the primary, and the group follows it.
            for copy in store.copies_of(primary).await? {
                duplicate_of.push((copy.id, Some(id)));
            }
            duplicate_of.push((primary, Some(id)));
            took_over = Some(primary);
            is_copy = false;
        } else {
            duplicate_of.push((id, Some(primary)));
        }
    }
    let mut events: Vec<(i64, i64)> = Vec::new();
    if let Some(event) = decision.event.map(|e| e as i64) {
        events.push((id, event));
        if event != id {
            events.push((event, event));
        }
    }
    // A copy is told of through its primary; a new primary meets the
    // other language's reports.
    let crosslang = if is_copy {
        Vec::new()
    } else {
        state.across.place(id, story, took_over)
    };
    store
        .apply_grouping(&GroupingWrites {
            story_id: id,
            signature: bytes,
            replace_text,
            duplicate_of: &duplicate_of,
            events: &events,
            crosslang: &crosslang,
        })
        .await?;
    Ok(Grouping { is_copy })
}

/// Replays into the index what other processes grouped since we last
/// looked. Their decisions are already in the store; replaying only makes
/// our index see the same stories in the same order. Their new primaries
/// are then filed for cross-language matching, with the groups those
/// processes gave them, read in one query.
async fn catch_up(state: &mut Indexed, store: &Store) -> anyhow::Result<()> {
    let mut replayed = Vec::new();
    for record in store.dedup_signatures_since(state.last_seq).await? {
        state.last_seq = record.seq;
        let id = record.story_id as u64;
        if state.index.group_of(id).is_some() {
            continue;
        }
        match Signature::from_bytes(&record.signature) {
            Ok(sig) => {
                state.index.insert(id, sig, meta_of(&record));
            }
            Err(e) => tracing::warn!(story = id, "dedup signature unreadable: {e}"),
        }
        replayed.push(record.story_id);
    }
    if !replayed.is_empty() {
        for (id, headline, body, lang, at, group) in store.crosslang_rows_of(&replayed).await? {
            state
                .across
                .note(id, &headline, &body, &lang, Some(at), group);
        }
    }
    Ok(())
}

fn meta_of(r: &DedupRecord) -> StoryMeta {
    StoryMeta {
        published_unix: r.published_unix,
        body_len: usize::try_from(r.body_chars).unwrap_or(0),
        source: None,
    }
}

//! The bridge between the pure dedup index and the store: the index lives
//! in memory, its signatures live in the store, and on start-up the index is
//! rebuilt from them so it is never silently empty after a restart.

use std::sync::Mutex;

use khabar_dedup::{DedupConfig, DedupIndex, Signature, StoryMeta};
use khabar_model::NewStory;
use khabar_store::Store;

/// Groups stored stories into copies of one report and events.
pub struct StoryGrouper {
    index: Mutex<DedupIndex>,
}

/// What grouping did to one story.
pub struct Grouping {
    pub is_copy: bool,
}

impl StoryGrouper {
    /// Rebuilds the index from the store's signatures, oldest first so that
    /// replaying gives the same groups as the original inserts did.
    pub async fn load(store: &Store) -> anyhow::Result<StoryGrouper> {
        let mut sigs = store.dedup_signatures().await?;
        sigs.sort_by_key(|(id, ..)| *id);
        let stored = sigs.into_iter().map(|(id, bytes, published, body_len)| {
            let meta = StoryMeta {
                published_unix: published,
                body_len: usize::try_from(body_len).unwrap_or(0),
                source: None,
            };
            (id as u64, bytes, meta)
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
        Ok(StoryGrouper {
            index: Mutex::new(rebuilt.index),
        })
    }

    pub fn len(&self) -> usize {
        self.index.lock().map(|i| i.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a stored story to the index and records in the store what it
    /// is a copy of and which event it belongs to.
    pub async fn assign(
        &self,
        store: &Store,
        id: i64,
        source_id: i64,
        story: &NewStory,
    ) -> anyhow::Result<Grouping> {
        let sig = Signature::of(&story.headline, &story.body_text);
        let bytes = sig.to_bytes();
        let meta = StoryMeta {
            published_unix: story.published_at.map(|t| t.timestamp()),
            body_len: story.body_text.len(),
            source: Some(source_id.to_string()),
        };
        let decision = {
            let mut index = self
                .index
                .lock()
                .map_err(|_| anyhow::anyhow!("dedup index lock poisoned"))?;
            index.insert(id as u64, sig, meta)
        };
        store.save_dedup_signature(id, &bytes).await?;
        let mut is_copy = false;
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
                store.replace_text(primary, story).await?;
                store.set_duplicate_of(id, Some(primary)).await?;
            } else if decision.becomes_primary {
                // Another outlet carries a more complete version: it becomes
                // the primary, and the group follows it.
                for copy in store.copies_of(primary).await? {
                    store.set_duplicate_of(copy.id, Some(id)).await?;
                }
                store.set_duplicate_of(primary, Some(id)).await?;
                is_copy = false;
            } else {
                store.set_duplicate_of(id, Some(primary)).await?;
            }
        }
        if let Some(event) = decision.event.map(|e| e as i64) {
            store.set_event(id, Some(event)).await?;
            if event != id {
                store.set_event(event, Some(event)).await?;
            }
        }
        Ok(Grouping { is_copy })
    }
}

//! Reading back what pipeline runs stored.

use khabar_model::{StoredStory, StoryStatus};
use khabar_store::{Page, Store, StoryQuery};

/// Every story stored, published or rejected, copies included (the test
/// sites hold far fewer than the 200 asked for).
pub async fn every_story(store: &Store) -> Page<StoredStory> {
    store
        .stories(&StoryQuery {
            statuses: vec![StoryStatus::Published, StoryStatus::Rejected],
            include_copies: true,
            limit: 200,
            ..Default::default()
        })
        .await
        .expect("list stories")
}

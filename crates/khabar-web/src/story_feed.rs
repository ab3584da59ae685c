//! Follow a story: `/story/{id}/feed.{atom,rss,json}`, a feed of one
//! story's reports (the first report, the copies other outlets ran, its
//! reports in other languages), newest first. A new report is a new entry
//! and a revised report an updated one, so a feed reader shows the story
//! as it unfolds. No account: the feed address is the subscription, and
//! the WebSub hub is told when a report joins (see `feeds::story_feed_paths`).

use axum::extract::{Path, State};
use khabar_model::{StoredStory, StoryStatus};

use crate::error::WebResult;
use crate::feeds::{FEED_ITEMS, FeedFormat, coverage_of, feed_locale, meta, render};
use crate::i18n;
use crate::pages::visible_story;
use crate::state::AppState;
use crate::view;

/// A story's published reports, newest first, at most a feed's worth.
async fn reports(state: &AppState, primary: StoredStory) -> WebResult<Vec<StoredStory>> {
    let store = state.store();
    let mut out = store
        .copies_of(primary.id)
        .await?
        .into_iter()
        .filter(|c| c.status == StoryStatus::Published)
        .collect::<Vec<_>>();
    if let Some(g) = primary.crosslang_id {
        out.extend(store.crosslang_reports(g, primary.id).await?);
    }
    out.push(primary);
    out.sort_by_key(|s| std::cmp::Reverse((s.display_time(), s.id)));
    out.truncate(FEED_ITEMS as usize);
    Ok(out)
}

/// `/story/{id}/feed.{atom,rss,json}`; a copy's id gives its primary's
/// feed. From the page cache while the store is unchanged.
pub async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    format: FeedFormat,
) -> WebResult {
    let s = visible_story(&state, &id).await?;
    let primary = match s.duplicate_of {
        Some(p) => visible_story(&state, &p.to_string()).await?,
        None => s,
    };
    let key = format!("feed /story/{}/feed.{}", primary.id, format.ext());
    state
        .cached(key, || async {
            let lang = view::lang_of(&primary);
            let loc = feed_locale(&state, Some(&lang));
            let site = state.settings().title.clone();
            let title = i18n::text(
                loc,
                "story-feed-title",
                &[
                    ("headline", primary.headline.clone().into()),
                    ("site", site.into()),
                ],
            );
            let description = i18n::text(loc, "story-feed-description", &[]);
            let html_path = view::story_path(&primary);
            let self_path = format!("/story/{}/feed.{}", primary.id, format.ext());
            let stories = reports(&state, primary).await?;
            let mut m = meta(&state, title, description, &html_path, &self_path);
            m.language = lang;
            m.coverage = coverage_of(&state, &stories).await?;
            Ok(render(format, &m, &stories))
        })
        .await
}

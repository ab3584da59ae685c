//! The front page's lead story and its sections by topic.
//!
//! Both come from one index-ordered read of the latest primaries (and one
//! copy count for them), so the front page costs two queries more than a
//! plain list, once per store generation (the page is kept in the page
//! cache until the store changes).
//!
//! The lead is the story most outlets carry, weighted by recency:
//!
//! ```text
//! score = outlets / (age_hours + 2) ^ 1.5        over the last 48 hours
//! ```
//!
//! `outlets` is 1 + the story's published copies. The `+ 2` keeps a story a
//! few minutes old from outranking everything by age alone; with the
//! exponent 1.5 a story four outlets carry leads a brand-new single-outlet
//! story until it is about 3 hours old, and one ten outlets carry until
//! about 7 hours. With nothing in the window the newest story leads. Only
//! the latest [`CANDIDATES`] primaries are weighed, and a pinned story
//! leads whatever its score: an older story would
//! need far more outlets than any story has to outrank them.

use chrono::{DateTime, Utc};
use khabar_store::StoryQuery;
use serde::Serialize;

use crate::error::WebResult;
use crate::page_parts::items_with_outlets;
use crate::state::AppState;
use crate::view::{StoryItem, url_path_escape};

/// Hours a story stays a lead candidate.
pub const LEAD_WINDOW_HOURS: f64 = 48.0;
/// The latest primaries the lead and the sections are chosen from.
pub const CANDIDATES: i64 = 200;
/// Topic sections on the front page, and stories in each.
pub const SECTIONS: usize = 6;
pub const PER_SECTION: usize = 4;

/// A story's weight as the lead (see the module docs).
pub fn lead_score(outlets: i64, age_hours: f64) -> f64 {
    outlets as f64 / (age_hours.max(0.0) + 2.0).powf(1.5)
}

/// One topic's block on the front page.
#[derive(Debug, Serialize)]
pub struct Section {
    pub tag: String,
    pub href: String,
    pub items: Vec<StoryItem>,
}

/// The top of the front page.
#[derive(Debug, Serialize, Default)]
pub struct Front {
    pub lead: Option<StoryItem>,
    pub sections: Vec<Section>,
}

/// The lead and the sections among the latest primaries in `lang` (all
/// languages when `None`); `edition` is appended to section links.
pub async fn front(state: &AppState, lang: Option<String>, edition: &str) -> WebResult<Front> {
    let res = state
        .store()
        .stories(&StoryQuery {
            lang,
            limit: CANDIDATES,
            ..Default::default()
        })
        .await?;
    let tags: Vec<Vec<String>> = res.items.iter().map(|s| s.relevance.tags.clone()).collect();
    let items = items_with_outlets(state, &res.items).await?;
    Ok(choose(items, &tags, Utc::now(), edition))
}

/// Picks the lead and fills the sections; `tags[i]` are `items[i]`'s tags.
fn choose(items: Vec<StoryItem>, tags: &[Vec<String>], now: DateTime<Utc>, edition: &str) -> Front {
    let age = |it: &StoryItem| {
        DateTime::parse_from_rfc3339(&it.date_iso)
            .map(|t| (now - t.with_timezone(&Utc)).num_seconds() as f64 / 3600.0)
            .unwrap_or(f64::INFINITY)
    };
    // An editor's pin overrides the formula: the pinned story leads.
    let pinned = items.iter().position(|it| it.pinned);
    let lead_idx = pinned.or_else(|| {
        items
            .iter()
            .enumerate()
            .filter(|(_, it)| age(it) <= LEAD_WINDOW_HOURS)
            .map(|(i, it)| (i, lead_score(it.outlets, age(it))))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i)
            .or_else(|| {
                // Nothing recent: the newest story (the list's order puts pinned first).
                items
                    .iter()
                    .enumerate()
                    .filter(|(_, it)| !it.pinned)
                    .min_by(|a, b| age(a.1).total_cmp(&age(b.1)))
                    .map(|(i, _)| i)
                    .or((!items.is_empty()).then_some(0))
            })
    });
    // Topics by how many of the latest stories carry them, then by name.
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (i, ts) in tags.iter().enumerate() {
        if Some(i) == lead_idx {
            continue;
        }
        for t in ts {
            match counts.iter_mut().find(|(k, _)| k == t) {
                Some((_, n)) => *n += 1,
                None => counts.push((t, 1)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut used = vec![false; items.len()];
    if let Some(i) = lead_idx {
        used[i] = true;
    }
    let mut sections = Vec::new();
    for (tag, _) in counts {
        if sections.len() == SECTIONS {
            break;
        }
        let picked: Vec<usize> = (0..items.len())
            .filter(|&i| !used[i] && tags[i].iter().any(|t| t == tag))
            .take(PER_SECTION)
            .collect();
        // A topic with a single story left is not a section.
        if picked.len() < 2 {
            continue;
        }
        for &i in &picked {
            used[i] = true;
        }
        sections.push(Section {
            tag: tag.to_string(),
            href: format!("/tag/{}{edition}", url_path_escape(tag)),
            items: picked.iter().map(|&i| items[i].clone()).collect(),
        });
    }
    Front {
        lead: lead_idx.map(|i| items[i].clone()),
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn item(id: i64, outlets: i64, hours_ago: i64, now: DateTime<Utc>) -> StoryItem {
        let s = khabar_model::StoredStory {
            id,
            headline: format!("story {id}"),
            published_at: Some(now - Duration::hours(hours_ago)),
            ..Default::default()
        };
        StoryItem::new(&s, outlets - 1)
    }

    #[test]
    fn the_lead_is_the_most_carried_story_weighted_by_recency() {
        let now = Utc::now();
        let items = vec![
            item(1, 1, 1, now),  // newest, one outlet
            item(2, 5, 3, now),  // five outlets, three hours old
            item(3, 9, 60, now), // most outlets, outside the window
        ];
        let f = choose(items, &[vec![], vec![], vec![]], now, "");
        assert_eq!(f.lead.map(|l| l.id), Some(2));
        assert!(lead_score(4, 2.9) > lead_score(1, 0.0));
        assert!(lead_score(4, 3.2) < lead_score(1, 0.0));
    }

    #[test]
    fn sections_group_by_topic_without_repeating_a_story() {
        let now = Utc::now();
        let items: Vec<StoryItem> = (1..=6).map(|i| item(i, 1, i, now)).collect();
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let tags = vec![
            t(&[]),
            t(&["nuclear", "diplomacy"]),
            t(&["nuclear"]),
            t(&["diplomacy"]),
            t(&["diplomacy", "energy"]),
            t(&["nuclear"]),
        ];
        let f = choose(items, &tags, now, "?lang=fa");
        assert_eq!(f.lead.as_ref().map(|l| l.id), Some(1));
        let names: Vec<&str> = f.sections.iter().map(|s| s.tag.as_str()).collect();
        assert_eq!(names, ["diplomacy", "nuclear"], "energy has one story only");
        let ids: Vec<Vec<i64>> = f
            .sections
            .iter()
            .map(|s| s.items.iter().map(|i| i.id).collect())
            .collect();
        assert_eq!(ids, [vec![2, 4, 5], vec![3, 6]]);
        assert_eq!(f.sections[0].href, "/tag/diplomacy?lang=fa");
    }
}

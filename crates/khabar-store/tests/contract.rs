//! The store contract, run against both backends: every test body is an
//! `async fn(&Store)` instantiated once for SQLite (temp file) and once for
//! PostgreSQL (fresh schema).

#[macro_use]
mod common;

use std::collections::HashSet;

use common::*;
use khabar_model::{Block, SourceStatus, StoryStatus, TextDirection};
use khabar_store::{
    FetchRecord, GroupingWrites, InsertOutcome, SearchQuery, SearchSort, Store, StoreError,
    StoryOrder, StoryQuery,
};

contract!(
    insert_is_idempotent_and_round_trips,
    story_lists_filter_and_order,
    copies_events_and_event_size_order,
    replace_text_keeps_history,
    a_grouping_decision_is_written_whole_or_not_at_all,
    takedown_clears_text_and_keeps_reason,
    a_rejected_story_published_later_is_found,
    likes_count_once_per_reader,
    search_stems_english_on_reuters,
    search_meets_persian_spelling_variants,
    search_filters_and_sorts,
    upsert_source_keeps_polling_state,
    record_fetch_and_source_health,
    dedup_signatures_round_trip,
    archive_days_tags_and_counts,
    concurrent_writers_all_succeed,
    list_totals_stay_exact_through_changes,
    generation_moves_when_lists_change,
    copy_counts_count_published_copies,
    broad_totals_stop_at_a_cap,
    source_and_editor_tags,
    refused_images_name_story_and_source,
    coverage_counts_reports_by_outlet_and_language,
);

fn ids<T>(items: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
    items.iter().map(id).collect()
}

async fn insert_is_idempotent_and_round_trips(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap();
    let mut s = story(
        src.id,
        "a1",
        "Iran and IAEA agree on inspections",
        "Vienna talks ended.\n\nInspectors return.",
        Some(at(2025, 6, 13, 8)),
    );
    s.dateline = Some("VIENNA (Reuters) –".into());
    s.byline = Some("By Francois Murphy".into());
    s.credits = Some("Reporting by Francois Murphy; Editing by Alex Richardson".into());
    s.relevance.tags = vec!["nuclear".into(), " nuclear ".into(), "diplomacy".into()];
    s.lead_image = Some("https://img.example/1.jpg".into());
    let first = store.insert_story(&s).await.unwrap();
    let InsertOutcome::Inserted(id) = first else {
        panic!("first insert must insert: {first:?}")
    };

    let mut again = s.clone();
    again.headline = "Different headline, same URL".into();
    assert_eq!(
        store.insert_story(&again).await.unwrap(),
        InsertOutcome::Existing(id)
    );

    let got = store.story(id).await.unwrap().expect("stored story");
    assert_eq!(got.headline, s.headline);
    assert_eq!(got.source_slug, "reuters");
    assert_eq!(got.source_name, "Source reuters");
    assert!(got.full_text);
    assert_eq!(got.canonical_url, s.canonical_url);
    assert_eq!(got.url, s.url);
    assert_eq!(got.dateline, s.dateline);
    assert_eq!(got.byline, s.byline);
    assert_eq!(got.credits, s.credits);
    assert_eq!(got.published_at, s.published_at);
    assert_eq!(got.fetched_at, s.fetched_at);
    assert_eq!(got.blocks, s.blocks);
    assert_eq!(got.body_text, s.body_text);
    assert_eq!(got.excerpt, s.excerpt);
    assert_eq!(got.lead_image, s.lead_image);
    assert_eq!(got.content_hash, s.content_hash);
    assert_eq!(got.relevance.reasons, s.relevance.reasons);
    assert_eq!(
        got.relevance.tags,
        vec!["nuclear".to_string(), "diplomacy".to_string()]
    );
    assert!((got.relevance.score - 0.9).abs() < 1e-6);
    assert_eq!(got.status, StoryStatus::Published);
    assert_eq!((got.likes, got.pinned), (0, false));

    let mut fa = story(src.id, "fa1", "ایران", "متن خبر", None);
    fa.dir = TextDirection::Rtl;
    fa.lang = Some("fa".into());
    fa.blocks = vec![Block {
        kind: khabar_model::BlockKind::Heading(2),
        text: "تیتر".into(),
    }];
    let fa_id = store.insert_story(&fa).await.unwrap().id();
    let fa_got = store.story(fa_id).await.unwrap().unwrap();
    assert_eq!(fa_got.dir, TextDirection::Rtl);
    assert_eq!(fa_got.blocks, fa.blocks);
    assert_eq!(fa_got.published_at, None);
    assert_eq!(fa_got.display_time(), fa.fetched_at);

    let known = store
        .known_urls(&[
            s.canonical_url.clone(),
            "https://news.example/never".into(),
            fa.canonical_url.clone(),
        ])
        .await
        .unwrap();
    assert_eq!(
        known,
        HashSet::from([s.canonical_url.clone(), fa.canonical_url.clone()])
    );
    assert!(store.known_urls(&[]).await.unwrap().is_empty());

    assert_eq!(
        store
            .story_id_by_content_hash(&s.content_hash)
            .await
            .unwrap(),
        Some(id)
    );
    assert_eq!(store.story_id_by_content_hash("0000").await.unwrap(), None);
    assert_eq!(store.story(id + 1000).await.unwrap(), None);
}

async fn story_lists_filter_and_order(store: &Store) {
    let en = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let fa = store
        .sources()
        .upsert(&spec("bbc-persian", "fa"))
        .await
        .unwrap()
        .id;
    let mut e1 = story(
        en,
        "e1",
        "Nuclear talks",
        "Talks on the nuclear file.",
        Some(at(2025, 6, 10, 9)),
    );
    e1.relevance.tags = vec!["nuclear".into()];
    let e1 = store.insert_story(&e1).await.unwrap().id();
    let mut e2 = story(
        en,
        "e2",
        "New sanctions",
        "Treasury sanctions.",
        Some(at(2025, 6, 11, 9)),
    );
    e2.relevance.tags = vec!["sanctions".into()];
    let e2 = store.insert_story(&e2).await.unwrap().id();
    let mut f1 = story(fa, "f1", "تحریم‌ها", "متن", Some(at(2025, 6, 11, 12)));
    f1.lang = Some("fa-IR".into());
    let f1 = store.insert_story(&f1).await.unwrap().id();
    let mut r1 = story(en, "r1", "Football", "Off topic.", Some(at(2025, 6, 12, 9)));
    r1.status = StoryStatus::Rejected;
    let r1 = store.insert_story(&r1).await.unwrap().id();
    let mut c1 = story(
        fa,
        "c1",
        "Nuclear talks (copy)",
        "Talks on the nuclear file, copy.",
        Some(at(2025, 6, 10, 10)),
    );
    c1.duplicate_of = Some(e1);
    let c1 = store.insert_story(&c1).await.unwrap().id();

    let all = store.stories(&StoryQuery::default()).await.unwrap();
    assert_eq!(ids(&all.items, |s| s.id), vec![f1, e2, e1]);
    assert_eq!((all.total, all.offset, all.limit), (3, 0, 20));

    let q = |f: fn(&mut StoryQuery)| {
        let mut q = StoryQuery::default();
        f(&mut q);
        q
    };
    let got = store
        .stories(&q(|q| q.lang = Some("fa".into())))
        .await
        .unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![f1]);
    let got = store
        .stories(&q(|q| q.lang = Some("en".into())))
        .await
        .unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![e2, e1]);
    let got = store
        .stories(&q(|q| q.source_slug = Some("bbc-persian".into())))
        .await
        .unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![f1]);
    let got = store
        .stories(&q(|q| q.tag = Some("nuclear".into())))
        .await
        .unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![e1]);
    let got = store
        .stories(&q(|q| q.day = Some(day(2025, 6, 11))))
        .await
        .unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![f1, e2]);
    let got = store
        .stories(&q(|q| {
            q.from = Some(day(2025, 6, 9));
            q.to = Some(day(2025, 6, 10));
        }))
        .await
        .unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![e1]);
    let got = store
        .stories(&q(|q| q.statuses = vec![StoryStatus::Rejected]))
        .await
        .unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![r1]);
    let got = store
        .stories(&q(|q| {
            q.statuses = vec![StoryStatus::Published, StoryStatus::Rejected]
        }))
        .await
        .unwrap();
    assert_eq!(got.total, 4);
    let got = store
        .stories(&q(|q| q.include_copies = true))
        .await
        .unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![f1, e2, c1, e1]);

    store.set_pinned(e1, true).await.unwrap();
    let got = store.stories(&StoryQuery::default()).await.unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![e1, f1, e2]);
    assert!(got.items[0].pinned);
    let page2 = store
        .stories(&q(|q| {
            q.limit = 1;
            q.offset = 1;
        }))
        .await
        .unwrap();
    assert_eq!(
        (
            ids(&page2.items, |s| s.id),
            page2.total,
            page2.offset,
            page2.limit
        ),
        (vec![f1], 3, 1, 1)
    );
    store.set_pinned(e1, false).await.unwrap();
    let got = store.stories(&StoryQuery::default()).await.unwrap();
    assert_eq!(ids(&got.items, |s| s.id), vec![f1, e2, e1]);
    assert!(matches!(
        store.set_pinned(9_999_999, true).await,
        Err(StoreError::StoryNotFound(9_999_999))
    ));
}

async fn copies_events_and_event_size_order(store: &Store) {
    let a = store.sources().upsert(&spec("ap", "en")).await.unwrap().id;
    let b = store.sources().upsert(&spec("afp", "en")).await.unwrap().id;
    let p = store
        .insert_story(&story(
            a,
            "p",
            "Strike on Natanz",
            "Body p",
            Some(at(2025, 6, 13, 1)),
        ))
        .await
        .unwrap()
        .id();
    let c1 = store
        .insert_story(&story(
            b,
            "c1",
            "Strike on Natanz site",
            "Body c1",
            Some(at(2025, 6, 13, 2)),
        ))
        .await
        .unwrap()
        .id();
    let c2 = store
        .insert_story(&story(
            b,
            "c2",
            "Strike copy hidden",
            "Body c2",
            Some(at(2025, 6, 13, 3)),
        ))
        .await
        .unwrap()
        .id();
    let p2 = store
        .insert_story(&story(
            b,
            "p2",
            "Reactions to strike",
            "Body p2",
            Some(at(2025, 6, 13, 4)),
        ))
        .await
        .unwrap()
        .id();
    let p3 = store
        .insert_story(&story(
            a,
            "p3",
            "Oil jumps after strike",
            "Body p3",
            Some(at(2025, 6, 13, 5)),
        ))
        .await
        .unwrap()
        .id();
    let lone = store
        .insert_story(&story(
            a,
            "lone",
            "Unrelated newer",
            "Body lone",
            Some(at(2025, 6, 14, 5)),
        ))
        .await
        .unwrap()
        .id();
    store.set_duplicate_of(c1, Some(p)).await.unwrap();
    store.set_duplicate_of(c2, Some(p)).await.unwrap();
    store
        .set_status(c2, StoryStatus::Hidden, None)
        .await
        .unwrap();
    for id in [p, p2, p3] {
        store.set_event(id, Some(77)).await.unwrap();
    }
    assert_eq!(ids(&store.copies_of(p).await.unwrap(), |s| s.id), vec![c1]);
    assert_eq!(
        store.story(c1).await.unwrap().unwrap().duplicate_of,
        Some(p)
    );
    assert_eq!(
        ids(&store.event_stories(77, p, 10).await.unwrap(), |s| s.id),
        vec![p3, p2]
    );
    assert_eq!(
        ids(&store.event_stories(77, p, 1).await.unwrap(), |s| s.id),
        vec![p3]
    );
    assert_eq!(store.story(p2).await.unwrap().unwrap().event_id, Some(77));

    let latest = store.stories(&StoryQuery::default()).await.unwrap();
    assert_eq!(latest.items[0].id, lone);
    let big = store
        .stories(&StoryQuery {
            order: StoryOrder::EventSize,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(big.items[0].id, p, "1 copy + 2 event members beats others");
    assert_eq!(*ids(&big.items, |s| s.id).last().unwrap(), lone);

    store.set_duplicate_of(c1, None).await.unwrap();
    assert!(store.copies_of(p).await.unwrap().is_empty());
    store.set_event(p3, None).await.unwrap();
    assert_eq!(
        ids(&store.event_stories(77, p, 10).await.unwrap(), |s| s.id),
        vec![p2]
    );
}

async fn a_grouping_decision_is_written_whole_or_not_at_all(store: &Store) {
    let a = store
        .sources()
        .upsert(&spec("wire", "en"))
        .await
        .unwrap()
        .id;
    let b = store
        .sources()
        .upsert(&spec("paper", "en"))
        .await
        .unwrap()
        .id;
    let insert = |src: i64, key: &'static str, body: &'static str| {
        let s = story(
            src,
            key,
            "Tanker seized in Hormuz",
            body,
            Some(at(2025, 6, 13, 8)),
        );
        async move { store.insert_story(&s).await.unwrap().id() }
    };
    let primary = insert(a, "p", "Short report.").await;
    let copy = insert(a, "c", "Short report, again.").await;
    let fuller = insert(b, "f", "A fuller report of the seizure.").await;
    store.set_duplicate_of(copy, Some(primary)).await.unwrap();

    // A fuller report takes the group over, but the decision also names a
    // story that is not stored: nothing of it may be written.
    let missing = fuller + 1000;
    let failed = store
        .apply_grouping(&GroupingWrites {
            story_id: fuller,
            signature: &[1, 2, 3],
            replace_text: None,
            duplicate_of: &[(copy, Some(fuller)), (primary, Some(fuller))],
            events: &[(fuller, primary), (missing, primary)],
            crosslang: &[],
        })
        .await;
    assert!(
        matches!(failed, Err(StoreError::StoryNotFound(id)) if id == missing),
        "{failed:?}"
    );
    let get = |id| async move { store.story(id).await.unwrap().unwrap() };
    assert_eq!(
        get(copy).await.duplicate_of,
        Some(primary),
        "copy not moved"
    );
    assert_eq!(get(primary).await.duplicate_of, None);
    assert_eq!(get(fuller).await.event_id, None);
    assert!(
        store.dedup_signatures_since(0).await.unwrap().is_empty(),
        "the signature is not saved, so the story is grouped again later"
    );

    // The same decision without the bad row goes in whole.
    let update = story(a, "p", "Tanker seized in Hormuz", "The fuller text.", None);
    store
        .apply_grouping(&GroupingWrites {
            story_id: fuller,
            signature: &[1, 2, 3],
            replace_text: Some((primary, &update)),
            duplicate_of: &[(copy, Some(fuller)), (primary, Some(fuller))],
            events: &[(fuller, primary), (primary, primary)],
            crosslang: &[(fuller, fuller)],
        })
        .await
        .unwrap();
    assert_eq!(get(copy).await.duplicate_of, Some(fuller));
    assert_eq!(get(primary).await.duplicate_of, Some(fuller));
    assert_eq!(get(fuller).await.event_id, Some(primary));
    assert_eq!(get(primary).await.event_id, Some(primary));
    assert_eq!(get(primary).await.body_text, "The fuller text.");
    assert_eq!(get(fuller).await.crosslang_id, Some(fuller));
    assert_eq!(store.story_versions(primary).await.unwrap().len(), 1);
    let sigs = store.dedup_signatures_since(0).await.unwrap();
    assert_eq!(sigs.len(), 1);
    assert_eq!(
        (sigs[0].story_id, sigs[0].signature.clone()),
        (fuller, vec![1, 2, 3])
    );
}

async fn replace_text_keeps_history(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let old = story(
        src,
        "u1",
        "Blast in Bandar Abbas",
        "An explosion hit the port.",
        Some(at(2025, 4, 26, 8)),
    );
    let id = store.insert_story(&old).await.unwrap().id();
    let mut update = story(
        src,
        "u1",
        "Blast in Bandar Abbas kills 14",
        "An explosion hit the Shahid Rajaee port, killing 14 and injuring hundreds.",
        None,
    );
    update.byline = Some("By Parisa Hafezi".into());
    store.replace_text(id, &update).await.unwrap();

    let got = store.story(id).await.unwrap().unwrap();
    assert_eq!(got.headline, update.headline);
    assert_eq!(got.body_text, update.body_text);
    assert_eq!(got.byline, update.byline);
    assert_eq!(got.content_hash, update.content_hash);
    assert_eq!(
        got.published_at, old.published_at,
        "an update without a date keeps the original date"
    );
    let versions = store.story_versions(id).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(
        (versions[0].1.as_str(), versions[0].2.as_str()),
        (old.headline.as_str(), old.body_text.as_str())
    );

    let hits = store
        .search(&SearchQuery {
            text: "Rajaee".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(&hits.items, |h| h.story.id), vec![id]);
    assert!(matches!(
        store.replace_text(id + 100, &update).await,
        Err(StoreError::StoryNotFound(_))
    ));
}

async fn takedown_clears_text_and_keeps_reason(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let s = story(
        src,
        "t1",
        "Zanjan court ruling",
        "The Zanjan court ruled on Tuesday.",
        Some(at(2025, 3, 1, 8)),
    );
    let id = store.insert_story(&s).await.unwrap().id();
    store.save_dedup_signature(id, &[1, 2, 3]).await.unwrap();
    store
        .replace_text(
            id,
            &story(
                src,
                "t1",
                "Zanjan court ruling (updated)",
                "The Zanjan court ruled on Tuesday, lawyers said.",
                None,
            ),
        )
        .await
        .unwrap();

    store
        .set_status(id, StoryStatus::Hidden, Some("checking"))
        .await
        .unwrap();
    assert_eq!(
        store.stories(&StoryQuery::default()).await.unwrap().total,
        0
    );
    store
        .set_status(id, StoryStatus::Published, None)
        .await
        .unwrap();
    assert_eq!(
        store.stories(&StoryQuery::default()).await.unwrap().total,
        1
    );
    store
        .set_status(id, StoryStatus::TakenDown, Some("DMCA notice #42"))
        .await
        .unwrap();

    let got = store.story(id).await.unwrap().unwrap();
    assert_eq!(got.status, StoryStatus::TakenDown);
    assert!(got.body_text.is_empty() && got.blocks.is_empty() && got.excerpt.is_empty());
    assert_eq!(
        got.headline, "Zanjan court ruling (updated)",
        "headline stays for the operator's list"
    );
    assert!(
        store.story_versions(id).await.unwrap().is_empty(),
        "old texts go too"
    );
    assert!(store.dedup_signatures().await.unwrap().is_empty());
    let log = store.moderation_log(id).await.unwrap();
    let steps: Vec<_> = log
        .iter()
        .map(|(_, from, to, reason)| (*from, *to, reason.clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (
                StoryStatus::Published,
                StoryStatus::Hidden,
                Some("checking".into())
            ),
            (StoryStatus::Hidden, StoryStatus::Published, None),
            (
                StoryStatus::Published,
                StoryStatus::TakenDown,
                Some("DMCA notice #42".into())
            ),
        ]
    );
    let hits = store
        .search(&SearchQuery {
            text: "zanjan".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(hits.total, 0);
    assert_eq!(store.counts().await.unwrap().taken_down, 1);
    assert!(matches!(
        store.set_status(id + 50, StoryStatus::Hidden, None).await,
        Err(StoreError::StoryNotFound(_))
    ));
}

/// A rejected story gets no full-text entry when stored (nothing shows it),
/// and one when an editor publishes it: the database search finds it then.
async fn a_rejected_story_published_later_is_found(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let mut s = story(
        src,
        "r1",
        "Kermanshah earthquake relief",
        "Aid convoys reached Kermanshah province.",
        None,
    );
    s.status = StoryStatus::Rejected;
    s.relevance.relevant = false;
    let id = store.insert_story(&s).await.unwrap().id();
    let find = |store: &Store| {
        let store = store.clone();
        async move {
            store
                .search(&SearchQuery {
                    text: "kermanshah".into(),
                    ..Default::default()
                })
                .await
                .unwrap()
                .items
                .iter()
                .map(|h| h.story.id)
                .collect::<Vec<_>>()
        }
    };
    assert!(
        find(store).await.is_empty(),
        "a rejected story is not shown"
    );
    store
        .set_status(id, StoryStatus::Published, Some("editor: on topic"))
        .await
        .unwrap();
    assert_eq!(
        find(store).await,
        [id],
        "published by an editor, it is found"
    );
    // Publishing again (hide, then unhide) keeps one entry, not two.
    store
        .set_status(id, StoryStatus::Hidden, None)
        .await
        .unwrap();
    store
        .set_status(id, StoryStatus::Published, None)
        .await
        .unwrap();
    assert_eq!(find(store).await, [id]);
}

async fn likes_count_once_per_reader(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let id = store
        .insert_story(&story(src, "l1", "Likes", "Body", None))
        .await
        .unwrap()
        .id();
    assert_eq!(store.add_like(id, "reader-a").await.unwrap(), (1, true));
    assert_eq!(store.add_like(id, "reader-a").await.unwrap(), (1, false));
    assert_eq!(store.add_like(id, "reader-b").await.unwrap(), (2, true));
    assert_eq!(store.story(id).await.unwrap().unwrap().likes, 2);
    assert_eq!(store.counts().await.unwrap().likes, 2);
    assert!(matches!(
        store.add_like(id + 9, "reader-a").await,
        Err(StoreError::StoryNotFound(_))
    ));
}

/// English stemming on real Reuters wire copy: "sanctions" finds stories
/// that only say "sanctioned"; "attacked" finds attack/attacks/attacking.
async fn search_stems_english_on_reuters(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let all = reuters();
    let word_re = |text: &str, words: &[&str]| {
        khabar_text::tokens(text).any(|t| words.iter().any(|w| t == *w))
    };
    let chosen: Vec<_> = all
        .iter()
        .filter(|r| r.places.iter().any(|p| p == "iran") || [2652, 3470, 9442].contains(&r.id))
        .cloned()
        .collect();
    assert!(chosen.len() > 90, "corpus has the Iran stories");
    let mut by_story = std::collections::HashMap::new();
    for r in &chosen {
        let id = store
            .insert_story(&reuters_story(src, r))
            .await
            .unwrap()
            .id();
        by_story.insert(id, r.clone());
    }

    let hits = store
        .search(&SearchQuery {
            text: "sanctions".into(),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let found: HashSet<i64> = hits
        .items
        .iter()
        .map(|h| by_story[&h.story.id].id)
        .collect();
    assert!(
        found.contains(&2652) && found.contains(&3470),
        "stories saying only 'sanctioned' are found: {found:?}"
    );
    let h = hits
        .items
        .iter()
        .find(|h| by_story[&h.story.id].id == 2652)
        .unwrap();
    assert!(
        h.snippet_html.contains("<mark>sanctioned</mark>"),
        "{}",
        h.snippet_html
    );

    let hits = store
        .search(&SearchQuery {
            text: "attacked".into(),
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap();
    let found: HashSet<i64> = hits.items.iter().map(|h| h.story.id).collect();
    let expected: HashSet<i64> = by_story
        .iter()
        .filter(|(_, r)| {
            word_re(
                &format!("{} {}", r.title, r.body),
                &["attack", "attacks", "attacked", "attacking"],
            )
        })
        .map(|(id, _)| *id)
        .collect();
    assert!(expected.len() > 20);
    assert!(
        expected.is_subset(&found),
        "missing {:?}",
        expected.difference(&found).collect::<Vec<_>>()
    );
    assert_eq!(hits.total as usize, found.len());
    for h in &hits.items {
        assert!(
            h.snippet_html.contains("<mark>"),
            "snippet marks the match: {}",
            h.snippet_html
        );
        assert!(!h.snippet_html.contains("<b") && !h.snippet_html.contains("<script"));
    }
    assert!(
        hits.items.windows(2).all(|w| w[0].rank >= w[1].rank),
        "relevance order"
    );

    let by_date = store
        .search(&SearchQuery {
            text: "attacked".into(),
            sort: SearchSort::Date,
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_date.total, hits.total);
    assert!(
        by_date
            .items
            .windows(2)
            .all(|w| w[0].story.display_time() >= w[1].story.display_time())
    );

    let two = store
        .search(&SearchQuery {
            text: "Iraq attacked Basra".into(),
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(two.total > 0 && two.total < hits.total, "words are ANDed");
    let paged = store
        .search(&SearchQuery {
            text: "attacked".into(),
            limit: 5,
            offset: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        ids(&paged.items, |h| h.story.id),
        ids(&hits.items[5..10], |h| h.story.id)
    );
    assert_eq!(paged.total, hits.total);
    assert_eq!(
        store
            .search(&SearchQuery {
                text: " ?! ".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .total,
        0
    );
}

/// Real Persian feed items (with Arabic-yeh and ZWNJ spellings) are found
/// whichever way the reader types the word.
async fn search_meets_persian_spelling_variants(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("hoder", "fa"))
        .await
        .unwrap()
        .id;
    let items = hoder_items();
    assert!(items.len() >= 5);
    let mut ids_by_title = Vec::new();
    for (i, (link, title, desc)) in items.iter().enumerate() {
        let mut s = story(
            src,
            &format!("hoder/{i}"),
            title,
            desc,
            Some(at(2005, 10, 12, i as u32)),
        );
        s.canonical_url = link.clone();
        s.lang = Some("fa".into());
        s.dir = TextDirection::Rtl;
        ids_by_title.push((
            store.insert_story(&s).await.unwrap().id(),
            title.clone(),
            desc.clone(),
        ));
    }
    let search = |text: &str| {
        let text = text.to_string();
        async move {
            store
                .search(&SearchQuery {
                    text,
                    limit: 50,
                    ..Default::default()
                })
                .await
                .unwrap()
        }
    };
    // Stored with Arabic yeh (لينکدونی), typed with Persian yeh.
    let with_arabic_yeh = ids_by_title
        .iter()
        .filter(|(_, t, _)| t.contains("لينکدونی"))
        .count();
    assert!(with_arabic_yeh >= 4);
    assert_eq!(search("لینکدونی").await.total as usize, with_arabic_yeh);
    // Stored as می‌کنند (Persian kaf/yeh, ZWNJ), typed with Arabic kaf/yeh and no ZWNJ.
    let hits = search("ميكنند").await;
    let expected: Vec<i64> = ids_by_title
        .iter()
        .filter(|(_, _, d)| d.contains("می\u{200c}کنند"))
        .map(|(id, _, _)| *id)
        .collect();
    assert!(expected.len() >= 2);
    let mut got = ids(&hits.items, |h| h.story.id);
    got.sort();
    assert_eq!(got, expected);
    assert!(
        hits.items
            .iter()
            .all(|h| h.snippet_html.contains("<mark>می\u{200c}کنند</mark>")),
        "original spelling is marked"
    );
    // Typed with a Persian ZWNJ where the text has one too; and typed without.
    assert_eq!(search("بعضی\u{200c}ها").await.total, 1);
    assert_eq!(search("بعضيها").await.total, 1);
    assert_eq!(search("توقيف").await.total, 1);
    assert_eq!(search("کتابخانه").await.total, 0);
}

async fn search_filters_and_sorts(store: &Store) {
    let en = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let fa = store
        .sources()
        .upsert(&spec("radiofarda", "fa"))
        .await
        .unwrap()
        .id;
    let mut a = story(
        en,
        "s1",
        "Hormuz tanker seized",
        "A tanker was seized in the Strait of Hormuz.",
        Some(at(2025, 5, 1, 8)),
    );
    a.relevance.tags = vec!["military".into()];
    let a = store.insert_story(&a).await.unwrap().id();
    let b = store
        .insert_story(&story(
            en,
            "s2",
            "Shipping insurers react",
            "Insurers raise rates after Hormuz tanker seizure; Hormuz traffic slows; Hormuz.",
            Some(at(2025, 5, 3, 8)),
        ))
        .await
        .unwrap()
        .id();
    let mut c = story(
        fa,
        "s3",
        "Hormuz",
        "Hormuz report in English words from a Persian source.",
        Some(at(2025, 5, 2, 8)),
    );
    c.lang = Some("fa".into());
    let c = store.insert_story(&c).await.unwrap().id();
    let mut copy = story(
        en,
        "s4",
        "Hormuz tanker seized (copy)",
        "Copy of the Hormuz story.",
        Some(at(2025, 5, 1, 9)),
    );
    copy.duplicate_of = Some(a);
    store.insert_story(&copy).await.unwrap();
    let hidden = store
        .insert_story(&story(
            en,
            "s5",
            "Hormuz hidden",
            "Hormuz hidden story.",
            Some(at(2025, 5, 4, 9)),
        ))
        .await
        .unwrap()
        .id();
    store
        .set_status(hidden, StoryStatus::Hidden, None)
        .await
        .unwrap();

    let base = SearchQuery {
        text: "hormuz".into(),
        ..Default::default()
    };
    let all = store.search(&base).await.unwrap();
    let mut got = ids(&all.items, |h| h.story.id);
    got.sort();
    assert_eq!(
        got,
        vec![a, b, c],
        "copies and hidden stories are not search results"
    );
    let by_date = store
        .search(&SearchQuery {
            sort: SearchSort::Date,
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(ids(&by_date.items, |h| h.story.id), vec![b, c, a]);
    let q = store
        .search(&SearchQuery {
            lang: Some("fa".into()),
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(ids(&q.items, |h| h.story.id), vec![c]);
    let q = store
        .search(&SearchQuery {
            source_slug: Some("reuters".into()),
            sort: SearchSort::Date,
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(ids(&q.items, |h| h.story.id), vec![b, a]);
    let q = store
        .search(&SearchQuery {
            tag: Some("military".into()),
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(ids(&q.items, |h| h.story.id), vec![a]);
    let q = store
        .search(&SearchQuery {
            from: Some(day(2025, 5, 2)),
            to: Some(day(2025, 5, 2)),
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(ids(&q.items, |h| h.story.id), vec![c]);
    let q = store
        .search(&SearchQuery {
            text: "tanker seized".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        q.items.first().map(|h| h.story.id),
        Some(a),
        "headline match ranks first"
    );
}

async fn upsert_source_keeps_polling_state(store: &Store) {
    let s = store
        .sources()
        .upsert(&spec("iranintl", "fa"))
        .await
        .unwrap();
    assert_eq!(s.status, SourceStatus::New);
    let rec = FetchRecord {
        at: at(2025, 1, 1, 10),
        status: SourceStatus::Ok,
        http_status: Some(200),
        error: None,
        etag: Some("\"abc\"".into()),
        last_modified: Some("Wed, 01 Jan 2025 10:00:00 GMT".into()),
        next_fetch_at: Some(at(2025, 1, 1, 11)),
        consecutive_failures: 0,
        items_seen: 30,
        stories_added: 4,
        duration_ms: 812,
        note: None,
        error_kind: None,
    };
    store.sources().record_fetch(s.id, &rec).await.unwrap();
    let mut edited = spec("iranintl", "fa");
    edited.name = "Iran International".into();
    edited.full_text = false;
    edited.proxy = Some("socks5://127.0.0.1:9050".into());
    let s2 = store.sources().upsert(&edited).await.unwrap();
    assert_eq!(s2.id, s.id);
    assert_eq!(
        (s2.name.as_str(), s2.full_text, s2.proxy.as_deref()),
        ("Iran International", false, Some("socks5://127.0.0.1:9050"))
    );
    assert_eq!(s2.etag.as_deref(), Some("\"abc\""));
    assert_eq!(s2.status, SourceStatus::Ok);
    assert_eq!(s2.next_fetch_at, Some(at(2025, 1, 1, 11)));
    assert_eq!(s2.last_success_at, Some(at(2025, 1, 1, 10)));

    store
        .sources()
        .upsert(&spec("aaa-first", "en"))
        .await
        .unwrap();
    let names: Vec<String> = store
        .sources()
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(
        names,
        vec![
            "Iran International".to_string(),
            "Source aaa-first".to_string()
        ]
    );

    let sid = store
        .insert_story(&story(s.id, "k1", "Kept", "Kept story", None))
        .await
        .unwrap()
        .id();
    assert!(store.sources().remove("iranintl").await.unwrap());
    assert!(!store.sources().remove("iranintl").await.unwrap());
    assert_eq!(store.sources().by_slug("iranintl").await.unwrap(), None);
    assert_eq!(
        store.sources().by_id(s.id).await.unwrap().map(|s| s.slug),
        Some("iranintl".into())
    );
    assert_eq!(store.sources().all().await.unwrap().len(), 1);
    assert_eq!(
        store.story(sid).await.unwrap().unwrap().source_name,
        "Iran International"
    );
    assert_eq!(
        store.stories(&StoryQuery::default()).await.unwrap().total,
        1,
        "stories of a removed source stay"
    );
    let back = store.sources().upsert(&edited).await.unwrap();
    assert_eq!((back.id, back.etag.as_deref()), (s.id, Some("\"abc\"")));
    assert_eq!(store.sources().all().await.unwrap().len(), 2);
}

async fn record_fetch_and_source_health(store: &Store) {
    let s = store.sources().upsert(&spec("isna", "fa")).await.unwrap();
    let ok = |i: u32| FetchRecord {
        at: at(2025, 2, 1, 0) + chrono::Duration::minutes(i as i64),
        status: SourceStatus::Ok,
        http_status: Some(200),
        error: None,
        etag: Some(format!("e{i}")),
        last_modified: None,
        next_fetch_at: None,
        consecutive_failures: 0,
        items_seen: i as i64,
        stories_added: 1,
        duration_ms: 100,
        note: None,
        error_kind: None,
    };
    for i in 0..60 {
        store.sources().record_fetch(s.id, &ok(i)).await.unwrap();
    }
    let fail = FetchRecord {
        at: at(2025, 2, 2, 0),
        status: SourceStatus::Failing,
        http_status: Some(503),
        error: Some("HTTP 503 Service Unavailable".into()),
        etag: None,
        last_modified: None,
        next_fetch_at: Some(at(2025, 2, 2, 1)),
        consecutive_failures: 1,
        items_seen: 0,
        stories_added: 0,
        duration_ms: 30_000,
        note: None,
        error_kind: Some(khabar_model::FailureKind::Http5xx),
    };
    store.sources().record_fetch(s.id, &fail).await.unwrap();
    let log = store.sources().fetch_log(s.id, 100).await.unwrap();
    assert_eq!(log.len(), 50, "only the last 50 polls are kept");
    assert_eq!(
        (log[0].status, log[0].http_status, log[0].error.as_deref()),
        (
            SourceStatus::Failing,
            Some(503),
            Some("HTTP 503 Service Unavailable")
        )
    );
    assert_eq!(log[1].items_seen, 59);
    assert_eq!(store.sources().fetch_log(s.id, 3).await.unwrap().len(), 3);
    assert_eq!(log[0].error_kind, Some(khabar_model::FailureKind::Http5xx));
    assert_eq!(log[1].error_kind, None);
    let src = store.sources().by_id(s.id).await.unwrap().unwrap();
    assert_eq!(src.status, SourceStatus::Failing);
    assert_eq!(
        src.last_error_kind,
        Some(khabar_model::FailureKind::Http5xx)
    );
    assert_eq!(
        src.etag.as_deref(),
        Some("e59"),
        "a failed poll keeps the validators"
    );
    assert_eq!(src.last_success_at, Some(ok(59).at));
    assert_eq!(src.last_fetch_at, Some(fail.at));
    assert_eq!(src.consecutive_failures, 1);
    assert!(matches!(
        store.sources().record_fetch(s.id + 100, &fail).await,
        Err(StoreError::SourceNotFound(_))
    ));

    let long_body = vec!["word"; 120].join(" ");
    let mut a = story(s.id, "h1", "A", &long_body, Some(at(2025, 2, 1, 1)));
    a.byline = Some("By Someone".into());
    store.insert_story(&a).await.unwrap();
    store
        .insert_story(&story(
            s.id,
            "h2",
            "B",
            &format!("{long_body} more"),
            Some(at(2025, 2, 1, 2)),
        ))
        .await
        .unwrap();
    store
        .insert_story(&story(
            s.id,
            "h3",
            "C",
            "Too short to be a real article.",
            Some(at(2025, 2, 1, 3)),
        ))
        .await
        .unwrap();
    let mut r = story(s.id, "h4", "D", "Off topic and short.", None);
    r.status = StoryStatus::Rejected;
    r.fetched_at = at(2026, 3, 1, 0);
    store.insert_story(&r).await.unwrap();

    let h = store.sources().health(s.id).await.unwrap();
    assert_eq!((h.published, h.rejected, h.total, h.recent), (3, 1, 4, 4));
    assert_eq!(h.last_story_at, Some(at(2026, 3, 1, 0)));
    assert!((h.share_plausible_body - 0.5).abs() < 1e-6);
    assert!((h.share_dated - 0.75).abs() < 1e-6);
    assert!((h.share_bylined - 0.25).abs() < 1e-6);
    assert_eq!(h.source.slug, "isna");
    let empty = store.sources().upsert(&spec("empty", "en")).await.unwrap();
    let h = store.sources().health(empty.id).await.unwrap();
    assert_eq!(
        (h.total, h.recent, h.share_dated, h.last_story_at),
        (0, 0, 0.0, None)
    );
}

async fn dedup_signatures_round_trip(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let a = store
        .insert_story(&story(
            src,
            "d1",
            "A",
            "Body of story A",
            Some(at(2025, 1, 2, 3)),
        ))
        .await
        .unwrap()
        .id();
    let b = store
        .insert_story(&story(src, "d2", "B", "ایران", None))
        .await
        .unwrap()
        .id();
    store
        .insert_story(&story(src, "d3", "C", "No signature", None))
        .await
        .unwrap();
    let sig_a: Vec<u8> = (0..=255u8).collect();
    store.save_dedup_signature(a, &sig_a).await.unwrap();
    store.save_dedup_signature(b, &[0, 0, 7]).await.unwrap();
    let sigs = store.dedup_signatures().await.unwrap();
    assert_eq!(
        sigs,
        vec![
            (a, sig_a, Some(at(2025, 1, 2, 3).timestamp()), 15),
            (b, vec![0, 0, 7], None, 5)
        ]
    );
    assert!(matches!(
        store.save_dedup_signature(b + 10, &[1]).await,
        Err(StoreError::StoryNotFound(_))
    ));
}

async fn archive_days_tags_and_counts(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let mk = |key: &str, t: chrono::DateTime<chrono::Utc>, tags: &[&str]| {
        let mut s = story(src, key, key, &format!("body {key}"), Some(t));
        s.relevance.tags = tags.iter().map(|t| t.to_string()).collect();
        s
    };
    let a = store
        .insert_story(&mk("a", at(2025, 6, 1, 0), &["nuclear"]))
        .await
        .unwrap()
        .id();
    store
        .insert_story(&mk("b", at(2025, 6, 1, 23), &["nuclear", "sanctions"]))
        .await
        .unwrap();
    store
        .insert_story(&mk("c", at(2025, 6, 30, 12), &[]))
        .await
        .unwrap();
    store
        .insert_story(&mk("d", at(2025, 7, 1, 0), &["sanctions"]))
        .await
        .unwrap();
    let mut copy = mk("e", at(2025, 6, 30, 13), &["nuclear"]);
    copy.duplicate_of = Some(a);
    store.insert_story(&copy).await.unwrap();
    let mut rejected = mk("f", at(2025, 6, 2, 0), &["nuclear"]);
    rejected.status = StoryStatus::Rejected;
    store.insert_story(&rejected).await.unwrap();

    assert_eq!(
        store.archive_days(2025, 6).await.unwrap(),
        vec![(day(2025, 6, 1), 2), (day(2025, 6, 30), 1)]
    );
    assert_eq!(
        store.archive_days(2025, 7).await.unwrap(),
        vec![(day(2025, 7, 1), 1)]
    );
    assert!(store.archive_days(2025, 13).await.unwrap().is_empty());
    assert_eq!(
        store.tags().await.unwrap(),
        vec![("nuclear".to_string(), 2), ("sanctions".to_string(), 2)]
    );
    let c = store.counts().await.unwrap();
    assert_eq!(
        (
            c.published,
            c.rejected,
            c.hidden,
            c.taken_down,
            c.total_stories,
            c.published_primaries,
            c.sources
        ),
        (5, 1, 0, 0, 6, 4, 1)
    );
}

/// The pipeline writes from several tasks at once; SQLite must queue them
/// (busy timeout, write-first transactions) rather than fail with "database is locked".
async fn concurrent_writers_all_succeed(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let shared = store
        .insert_story(&story(
            src,
            "shared",
            "Shared",
            "Liked by every writer",
            None,
        ))
        .await
        .unwrap()
        .id();
    let mut tasks = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..25 {
                let s = story(
                    src,
                    &format!("w{w}/{i}"),
                    "Concurrent",
                    &format!("writer {w} story {i}"),
                    None,
                );
                let id = store.insert_story(&s).await.unwrap().id();
                store.add_like(id, &format!("reader-{w}")).await.unwrap();
                // Every writer also likes the same shared story, once per reader.
                store
                    .add_like(shared, &format!("writer-{w}-{}", i % 5))
                    .await
                    .unwrap();
                ids.push(id);
            }
            ids
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 100);
    let c = store.counts().await.unwrap();
    assert_eq!((c.published, c.likes), (101, 120));
    assert_eq!(store.story(shared).await.unwrap().unwrap().likes, 20);
}

/// Every list total the store answers from its maintained counts equals the
/// number of stories the same list holds, before and after each kind of change.
async fn list_totals_stay_exact_through_changes(store: &Store) {
    let en = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let fa = store.sources().upsert(&spec("bbc", "fa")).await.unwrap().id;
    let mut e = Vec::new();
    for i in 0..6 {
        let s = story(
            en,
            &format!("e{i}"),
            "English",
            "Text.",
            Some(at(2025, 3, 1, i)),
        );
        e.push(store.insert_story(&s).await.unwrap().id());
    }
    for (i, lang) in [Some("fa"), Some("fa-IR"), Some("fa-IR"), None]
        .into_iter()
        .enumerate()
    {
        let mut s = story(
            fa,
            &format!("f{i}"),
            "فارسی",
            "متن",
            Some(at(2025, 3, 2, i as u32)),
        );
        s.lang = lang.map(str::to_string);
        store.insert_story(&s).await.unwrap();
    }
    let mut c = story(fa, "c0", "Copy", "Copy text.", Some(at(2025, 3, 3, 0)));
    c.duplicate_of = Some(e[0]);
    let c0 = store.insert_story(&c).await.unwrap().id();
    let mut r = story(en, "r0", "Off topic", "Text.", Some(at(2025, 3, 3, 1)));
    r.status = StoryStatus::Rejected;
    store.insert_story(&r).await.unwrap();

    let queries: Vec<StoryQuery> = vec![
        StoryQuery::default(),
        StoryQuery {
            lang: Some("en".into()),
            ..Default::default()
        },
        StoryQuery {
            lang: Some("fa".into()),
            ..Default::default()
        },
        StoryQuery {
            source_slug: Some("bbc".into()),
            ..Default::default()
        },
        StoryQuery {
            source_slug: Some("reuters".into()),
            lang: Some("en".into()),
            ..Default::default()
        },
        StoryQuery {
            include_copies: true,
            ..Default::default()
        },
        StoryQuery {
            statuses: vec![StoryStatus::Published, StoryStatus::Rejected],
            include_copies: true,
            ..Default::default()
        },
        StoryQuery {
            statuses: vec![StoryStatus::Hidden, StoryStatus::TakenDown],
            ..Default::default()
        },
    ];
    let check = |when: &'static str| {
        let queries = queries.clone();
        async move {
            for q in &queries {
                let got = store
                    .stories(&StoryQuery {
                        limit: 500,
                        ..q.clone()
                    })
                    .await
                    .unwrap();
                assert!(got.total_exact, "{when}: {q:?}");
                assert_eq!(got.total, got.items.len() as i64, "{when}: {q:?}");
                let small = store
                    .stories(&StoryQuery {
                        limit: 1,
                        ..q.clone()
                    })
                    .await
                    .unwrap();
                assert_eq!(small.total, got.total, "{when}, one per page: {q:?}");
            }
        }
    };
    check("after inserts").await;
    assert_eq!(
        store.stories(&StoryQuery::default()).await.unwrap().total,
        10
    );
    store
        .set_status(e[1], StoryStatus::Hidden, None)
        .await
        .unwrap();
    check("after hide").await;
    store
        .set_status(e[2], StoryStatus::TakenDown, Some("legal"))
        .await
        .unwrap();
    check("after takedown").await;
    store
        .set_status(e[1], StoryStatus::Published, None)
        .await
        .unwrap();
    check("after unhide").await;
    store.set_duplicate_of(e[3], Some(e[0])).await.unwrap();
    check("after merging").await;
    store.set_duplicate_of(c0, None).await.unwrap();
    check("after splitting").await;
    assert_eq!(
        store.stories(&StoryQuery::default()).await.unwrap().total,
        9
    );
}

/// The generation grows with every change a list or feed shows, from any
/// writer, and stays put for likes and dedup signatures (no list shows them).
async fn generation_moves_when_lists_change(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let mut last = store.generation().await.unwrap();
    let mut moved = |now: i64, what: &str| {
        assert!(now > last, "{what} moves the generation ({last} -> {now})");
        last = now;
    };
    let mut s = story(src, "g1", "Headline", "Body text.", Some(at(2025, 4, 1, 0)));
    s.relevance.tags = vec!["economy".into()];
    let id = store.insert_story(&s).await.unwrap().id();
    moved(store.generation().await.unwrap(), "insert");
    store.set_pinned(id, true).await.unwrap();
    moved(store.generation().await.unwrap(), "pin");
    store
        .set_status(id, StoryStatus::Hidden, None)
        .await
        .unwrap();
    moved(store.generation().await.unwrap(), "hide");
    let mut longer = s.clone();
    longer.body_text = "Body text, now longer.".into();
    store.replace_text(id, &longer).await.unwrap();
    moved(store.generation().await.unwrap(), "new text");
    let mut renamed = spec("reuters", "en");
    renamed.name = "Reuters World".into();
    store.sources().upsert(&renamed).await.unwrap();
    moved(store.generation().await.unwrap(), "source renamed");

    let before = store.generation().await.unwrap();
    store.add_like(id, "reader").await.unwrap();
    store.save_dedup_signature(id, &[1, 2, 3]).await.unwrap();
    store.sources().upsert(&renamed).await.unwrap();
    assert_eq!(
        store.generation().await.unwrap(),
        before,
        "likes, signatures and an unchanged source re-read leave lists valid"
    );
}

async fn copy_counts_count_published_copies(store: &Store) {
    let src = store.sources().upsert(&spec("ap", "en")).await.unwrap().id;
    let p1 = store
        .insert_story(&story(
            src,
            "p1",
            "Primary",
            "Text one.",
            Some(at(2025, 5, 1, 0)),
        ))
        .await
        .unwrap()
        .id();
    let p2 = store
        .insert_story(&story(
            src,
            "p2",
            "Alone",
            "Text two.",
            Some(at(2025, 5, 1, 1)),
        ))
        .await
        .unwrap()
        .id();
    let mut hidden = 0;
    for i in 0..3 {
        let mut c = story(
            src,
            &format!("c{i}"),
            "Copy",
            "Copy.",
            Some(at(2025, 5, 1, 2)),
        );
        c.duplicate_of = Some(p1);
        hidden = store.insert_story(&c).await.unwrap().id();
    }
    store
        .set_status(hidden, StoryStatus::Hidden, None)
        .await
        .unwrap();
    let counts = store.copy_counts(&[p1, p2, 9_999_999]).await.unwrap();
    assert_eq!(
        counts.get(&p1),
        Some(&2),
        "the hidden copy is not an outlet"
    );
    assert_eq!(counts.get(&p2), None);
    assert_eq!(counts.len(), 1);
    assert!(store.copy_counts(&[]).await.unwrap().is_empty());
    assert_eq!(
        store.copies_of(p1).await.unwrap().len(),
        2,
        "the per-story read agrees"
    );
}

/// Tag lists count their matches only up to a cap past the page (and say
/// so); search totals and all pages themselves stay exact and complete.
async fn broad_totals_stop_at_a_cap(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("lloyds", "en"))
        .await
        .unwrap()
        .id;
    let n: i64 = 1_005;
    let t0 = at(2025, 1, 1, 0);
    for i in 0..n {
        let mut s = story(
            src,
            &format!("h{i}"),
            &format!("Hormuz shipping report {i}"),
            "Tankers crossed the Strait of Hormuz today.",
            Some(t0 + chrono::Duration::hours(i)),
        );
        s.relevance.tags = vec!["shipping".into()];
        store.insert_story(&s).await.unwrap();
    }
    let search = |offset: i64, sort: SearchSort| async move {
        store
            .search(&SearchQuery {
                text: "hormuz tankers".into(),
                sort,
                offset,
                limit: 20,
                ..Default::default()
            })
            .await
    };
    // Search counts its matches while ranking them, so its totals stay exact.
    let first = search(0, SearchSort::Relevance).await.unwrap();
    assert_eq!(
        (first.total, first.total_exact, first.items.len()),
        (n, true, 20)
    );
    assert!(
        first
            .items
            .iter()
            .all(|h| h.snippet_html.contains("<mark>"))
    );
    let last = search(1000, SearchSort::Relevance).await.unwrap();
    assert_eq!(
        (last.total, last.total_exact, last.items.len()),
        (n, true, 5)
    );
    let past = search(2000, SearchSort::Relevance).await.unwrap();
    assert_eq!(
        (past.total, past.total_exact, past.items.len()),
        (n, true, 0)
    );
    let by_date = search(0, SearchSort::Date).await.unwrap();
    assert_eq!(
        by_date.items[0].story.headline,
        format!("Hormuz shipping report {}", n - 1),
        "newest first"
    );
    assert!(
        by_date.items.iter().all(|h| h.rank > 0.0),
        "date pages are still scored"
    );
    let narrow = store
        .search(&SearchQuery {
            text: "hormuz".into(),
            from: Some(day(2025, 1, 2)),
            to: Some(day(2025, 1, 2)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (narrow.total, narrow.total_exact, narrow.items.len()),
        (24, true, 20)
    );

    let all = store.stories(&StoryQuery::default()).await.unwrap();
    assert_eq!(
        (all.total, all.total_exact),
        (n, true),
        "maintained counts are exact"
    );
    let tag = |offset: i64| async move {
        store
            .stories(&StoryQuery {
                tag: Some("shipping".into()),
                offset,
                ..Default::default()
            })
            .await
    };
    let t = tag(0).await.unwrap();
    assert_eq!((t.total, t.total_exact, t.items.len()), (1000, false, 20));
    let t = tag(1000).await.unwrap();
    assert_eq!((t.total, t.total_exact, t.items.len()), (n, true, 5));
}

/// A source's tags (an imported reader's folders) join the model's on every
/// story stored from it; an editor's edit replaces a story's tags, shows on
/// tag lists at once and is logged without changing the status.
async fn source_and_editor_tags(store: &Store) {
    let src = store
        .sources()
        .upsert(&spec("iranwire", "en"))
        .await
        .unwrap();
    let folders = vec!["middle-east".to_string(), " iran ".into(), "iran".into()];
    assert!(store.set_source_tags("iranwire", &folders).await.unwrap());
    assert!(!store.set_source_tags("nobody", &folders).await.unwrap());
    assert_eq!(
        store.source_tags("iranwire").await.unwrap(),
        vec!["middle-east", "iran"]
    );
    // Re-reading the configuration keeps the tags.
    store
        .sources()
        .upsert(&spec("iranwire", "en"))
        .await
        .unwrap();
    assert_eq!(store.source_tags("iranwire").await.unwrap().len(), 2);

    let mut s = story(
        src.id,
        "t1",
        "Tehran talks",
        "Body.",
        Some(at(2025, 5, 1, 0)),
    );
    s.relevance.tags = vec!["nuclear".into(), "iran".into()];
    let id = store.insert_story(&s).await.unwrap().id();
    let stored = store.story(id).await.unwrap().unwrap();
    assert_eq!(
        stored.relevance.tags,
        vec!["nuclear", "iran", "middle-east"]
    );
    let in_tag = |tag: &str| StoryQuery {
        tag: Some(tag.into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(
        store.stories(&in_tag("middle-east")).await.unwrap().total,
        1
    );

    let before = store.generation().await.unwrap();
    let edited = store
        .set_story_tags(
            id,
            &[
                "economy".to_string(),
                "sanctions".to_string(),
                "economy".to_string(),
            ],
            "tags by the admin",
        )
        .await
        .unwrap();
    assert_eq!(edited, vec!["economy", "sanctions"]);
    assert!(
        store.generation().await.unwrap() > before,
        "tag pages change"
    );
    let stored = store.story(id).await.unwrap().unwrap();
    assert_eq!(stored.relevance.tags, vec!["economy", "sanctions"]);
    assert_eq!(stored.status, StoryStatus::Published);
    assert_eq!(
        store.stories(&in_tag("middle-east")).await.unwrap().total,
        0
    );
    assert_eq!(store.stories(&in_tag("sanctions")).await.unwrap().total, 1);
    let tags = store.tags().await.unwrap();
    assert!(
        tags.iter().any(|(t, n)| t == "sanctions" && *n == 1),
        "{tags:?}"
    );
    assert!(!tags.iter().any(|(t, _)| t == "nuclear"), "{tags:?}");
    let log = store.moderation_log(id).await.unwrap();
    let (_, from, to, reason) = log.last().unwrap();
    assert_eq!(
        (*from, *to),
        (StoryStatus::Published, StoryStatus::Published)
    );
    assert_eq!(reason.as_deref(), Some("tags by the admin"));
    // Not an overruled topic decision: no training label comes of it.
    assert!(store.editor_overruled().await.unwrap().is_empty());
    assert!(matches!(
        store.set_story_tags(id + 1000, &[], "x").await,
        Err(StoreError::StoryNotFound(_))
    ));
}

async fn refused_images_name_story_and_source(store: &Store) {
    let src = store.sources().upsert(&spec("bbc", "en")).await.unwrap();
    let id = store
        .insert_story(&story(
            src.id,
            "i1",
            "Pictured",
            "Body.",
            Some(at(2025, 5, 2, 0)),
        ))
        .await
        .unwrap()
        .id();
    let refused = store
        .images()
        .record_image_refusal(
            "https://img.example/bomb.png",
            "too_many_pixels",
            "50 megapixels",
        )
        .await
        .unwrap();
    store.images().link_story_image(id, refused).await.unwrap();
    store
        .images()
        .record_image_refusal("https://img.example/lone.gif", "not_an_image", "text/html")
        .await
        .unwrap();
    let rows = store.images().refused_images(10).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].reason.as_deref(), Some("not_an_image"));
    assert_eq!(rows[0].story_id, None);
    assert_eq!(rows[1].source_url, "https://img.example/bomb.png");
    assert_eq!(rows[1].detail.as_deref(), Some("50 megapixels"));
    assert_eq!(rows[1].story_id, Some(id));
    assert_eq!(rows[1].source_name.as_deref(), Some("Source bbc"));
    assert_eq!(rows[1].headline.as_deref(), Some("Pictured"));
}

/// Who carried a story: its copies and its reports in another language
/// count by their sources' kinds; a hidden copy does not; the coverage
/// views page through the same rule.
async fn coverage_counts_reports_by_outlet_and_language(store: &Store) {
    use khabar_model::{CoverageView, OutletKind};
    use khabar_store::SourceSpec;
    let source = |slug: &str, lang: &str, outlet: OutletKind| SourceSpec {
        outlet,
        outlet_note: Some(format!("{slug} note")),
        ..spec(slug, lang)
    };
    let irna = store
        .sources()
        .upsert(&source("irna", "en", OutletKind::State))
        .await
        .unwrap();
    assert_eq!(irna.outlet, OutletKind::State);
    assert_eq!(irna.outlet_note.as_deref(), Some("irna note"));
    let tasnim = store
        .sources()
        .upsert(&source("tasnim", "en", OutletKind::State))
        .await
        .unwrap();
    let wire = store
        .sources()
        .upsert(&source("wire", "en", OutletKind::International))
        .await
        .unwrap();
    let farsi = store
        .sources()
        .upsert(&source("farsi", "fa", OutletKind::Independent))
        .await
        .unwrap();
    let when = Some(at(2025, 6, 1, 8));
    let state_story = store
        .insert_story(&story(irna.id, "s1", "State only", "Text.", when))
        .await
        .unwrap()
        .id();
    let mut copy = story(tasnim.id, "s1c", "State only copy", "Text.", when);
    copy.duplicate_of = Some(state_story);
    store.insert_story(&copy).await.unwrap();
    let mut hidden = story(wire.id, "s1h", "Hidden copy", "Text.", when);
    hidden.duplicate_of = Some(state_story);
    let hidden = store.insert_story(&hidden).await.unwrap().id();
    store
        .set_status(hidden, StoryStatus::Hidden, None)
        .await
        .unwrap();
    let wire_story = store
        .insert_story(&story(wire.id, "w1", "Wire", "Text.", when))
        .await
        .unwrap()
        .id();
    let mut fa = story(farsi.id, "f1", "خبر", "متن.", when);
    fa.lang = Some("fa-IR".into());
    let fa_story = store.insert_story(&fa).await.unwrap().id();

    let cov = store
        .coverage(&[state_story, wire_story, fa_story, 9_999_999])
        .await
        .unwrap();
    assert_eq!(cov[&state_story].outlets.get(&OutletKind::State), Some(&2));
    assert_eq!(
        cov[&state_story].reports(),
        2,
        "the hidden copy is not a report"
    );
    assert_eq!(
        cov[&fa_story].languages.get("fa"),
        Some(&1),
        "fa-IR counts as fa"
    );
    assert_eq!(cov[&9_999_999].reports(), 0);
    let view = |v: CoverageView| async move {
        let q = StoryQuery {
            coverage: Some(v),
            ..Default::default()
        };
        let page = store.stories(&q).await.unwrap();
        let mut ids: Vec<i64> = page.items.iter().map(|s| s.id).collect();
        ids.sort();
        (ids, page.total)
    };
    assert_eq!(view(CoverageView::StateOnly).await, (vec![state_story], 1));
    assert_eq!(
        view(CoverageView::NotState).await.0,
        vec![wire_story, fa_story]
    );
    assert_eq!(view(CoverageView::PersianOnly).await.0, vec![fa_story]);
    assert_eq!(
        view(CoverageView::EnglishOnly).await.0,
        vec![state_story, wire_story]
    );

    // The Persian report joins the state story's event in the other language.
    store
        .apply_grouping(&khabar_store::GroupingWrites {
            story_id: fa_story,
            signature: &[1, 2, 3],
            replace_text: None,
            duplicate_of: &[],
            events: &[],
            crosslang: &[(state_story, state_story), (fa_story, state_story)],
        })
        .await
        .unwrap();
    let cov = store.coverage(&[state_story, fa_story]).await.unwrap();
    assert_eq!(cov[&state_story], cov[&fa_story], "one event, one coverage");
    assert_eq!(cov[&fa_story].reports(), 3);
    assert_eq!(
        cov[&fa_story].outlets.get(&OutletKind::Independent),
        Some(&1)
    );
    assert_eq!(view(CoverageView::StateOnly).await.0, Vec::<i64>::new());
    assert_eq!(view(CoverageView::NotState).await.0, vec![wire_story]);
    assert_eq!(view(CoverageView::PersianOnly).await.0, Vec::<i64>::new());
    assert_eq!(view(CoverageView::EnglishOnly).await.0, vec![wire_story]);
    let all = store
        .coverage(&[state_story, wire_story, fa_story])
        .await
        .unwrap();
    for v in CoverageView::ALL {
        let (ids, _) = view(v).await;
        for (id, c) in &all {
            assert_eq!(
                ids.contains(id),
                c.fits(v),
                "{v:?} and story {id}: the SQL and the rule in words agree"
            );
        }
    }
}

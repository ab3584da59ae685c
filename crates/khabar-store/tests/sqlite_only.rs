//! SQLite specifics: the database file is created with its directories and
//! data survive closing and reopening; and the SQLite -> PostgreSQL migration.

mod common;

use common::*;
use khabar_model::StoryStatus;
use khabar_store::{Backend, SearchQuery, SourceStatus, Store, StoreError, StoryQuery};

#[tokio::test]
async fn data_survives_reopen_and_dirs_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/data/khabar.db");
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    let src = store
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let id = store
        .insert_story(&story(
            src,
            "r1",
            "Isfahan drone attack",
            "Drones attacked a plant in Isfahan.",
            None,
        ))
        .await
        .unwrap()
        .id();
    store.add_like(id, "reader").await.unwrap();
    store.close().await;
    assert!(path.exists());

    let store = Store::connect(&url).await.unwrap();
    let got = store
        .story(id)
        .await
        .unwrap()
        .expect("story survives reopen");
    assert_eq!(
        (got.headline.as_str(), got.likes),
        ("Isfahan drone attack", 1)
    );
    let hits = store
        .search(&SearchQuery {
            text: "isfahan attacks".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(hits.total, 1, "search index survives reopen");
    store.close().await;
}

#[tokio::test]
async fn bad_urls_give_clear_errors_without_passwords() {
    let err = Store::connect("mysql://x/y").await.unwrap_err();
    assert!(matches!(err, StoreError::BadUrl { .. }), "{err}");
    let err = Store::connect("postgres://khabar:hunter2@127.0.0.1:1/news")
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("127.0.0.1:1") && !msg.contains("hunter2"),
        "{msg}"
    );
}

#[tokio::test]
async fn in_memory_store_works() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    let src = store.sources().upsert(&spec("a", "en")).await.unwrap().id;
    store
        .insert_story(&story(src, "m", "Memory", "In memory", None))
        .await
        .unwrap();
    assert_eq!(
        store.stories(&StoryQuery::default()).await.unwrap().total,
        1
    );
}

#[tokio::test]
async fn migrates_sqlite_to_postgres_keeping_ids() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let lite = TestDb::sqlite().await;
    let from = &lite.store;
    let a = from
        .sources()
        .upsert(&spec("reuters", "en"))
        .await
        .unwrap()
        .id;
    let b = from
        .sources()
        .upsert(&spec("bbc-persian", "fa"))
        .await
        .unwrap()
        .id;
    // A source with settings beyond the basics and no stories yet.
    let world = from
        .sources()
        .upsert(&khabar_store::SourceSpec {
            outlet: khabar_model::OutletKind::International,
            outlet_note: Some("A public broadcaster's world service".into()),
            ..spec("bbc-world", "en")
        })
        .await
        .unwrap()
        .id;
    from.set_source_tags("bbc-world", &["world".to_string()])
        .await
        .unwrap();
    let gone = from.sources().upsert(&spec("gone", "en")).await.unwrap().id;
    from.sources().remove("gone").await.unwrap();
    let mut ids = Vec::new();
    for r in reuters()
        .iter()
        .filter(|r| r.places.iter().any(|p| p == "iran"))
        .take(40)
    {
        let mut s = reuters_story(a, r);
        s.relevance.tags = vec!["gulf-war".into()];
        ids.push(from.insert_story(&s).await.unwrap().id());
    }
    for (i, (link, title, desc)) in hoder_items().iter().enumerate() {
        let mut s = story(b, &format!("h{i}"), title, desc, None);
        s.canonical_url = link.clone();
        ids.push(from.insert_story(&s).await.unwrap().id());
    }
    ids.push(
        from.insert_story(&story(
            gone,
            "g",
            "Gone source",
            "Story of a removed source",
            None,
        ))
        .await
        .unwrap()
        .id(),
    );
    // A copy pointing at a later primary, a replaced text, a takedown, likes, fetch log, signature.
    from.set_duplicate_of(ids[0], Some(ids[5])).await.unwrap();
    from.set_event(ids[1], Some(9)).await.unwrap();
    from.replace_text(
        ids[2],
        &story(
            a,
            "x",
            "Updated headline",
            "Updated longer body about Iran and Iraq.",
            None,
        ),
    )
    .await
    .unwrap();
    from.set_status(ids[3], StoryStatus::TakenDown, Some("court order"))
        .await
        .unwrap();
    from.set_pinned(ids[4], true).await.unwrap();
    from.save_dedup_signature(ids[6], &[9, 8, 7]).await.unwrap();
    from.add_like(ids[5], "r1").await.unwrap();
    from.add_like(ids[5], "r2").await.unwrap();
    for i in 0..3 {
        from.sources()
            .record_fetch(
                a,
                &khabar_store::FetchRecord {
                    at: at(2025, 1, 1, i),
                    status: SourceStatus::Ok,
                    http_status: Some(200),
                    error: None,
                    etag: Some("e".into()),
                    last_modified: None,
                    next_fetch_at: None,
                    consecutive_failures: 0,
                    items_seen: 1,
                    stories_added: 1,
                    duration_ms: 5,
                    note: None,
                    error_kind: None,
                },
            )
            .await
            .unwrap();
    }

    let seen = std::sync::Mutex::new(Vec::new());
    let report = from
        .migrate_to(&pg.store, |table, done, total| {
            seen.lock().unwrap().push((table.to_string(), done, total))
        })
        .await
        .unwrap();
    assert_eq!(
        (
            report.sources,
            report.stories,
            report.likes,
            report.fetch_log,
            report.versions,
            report.moderation_log
        ),
        (4, ids.len() as u64, 2, 3, 1, 1)
    );
    assert_eq!(report.tags, 40);
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|(t, d, n)| t == "stories" && *d == *n && *n == ids.len() as u64)
    );

    let to = &pg.store;
    assert_eq!(to.backend(), Backend::Postgres);
    for id in &ids {
        assert_eq!(
            to.story(*id).await.unwrap(),
            from.story(*id).await.unwrap(),
            "story {id}"
        );
    }
    assert_eq!(
        to.sources().all().await.unwrap(),
        from.sources().all().await.unwrap()
    );
    // Who runs a source and its tags travel too.
    let copied = to.sources().by_id(world).await.unwrap().unwrap();
    assert_eq!(copied.outlet, khabar_model::OutletKind::International);
    assert_eq!(
        to.source_tags("bbc-world").await.unwrap(),
        vec!["world".to_string()]
    );
    assert_eq!(
        to.sources().by_id(gone).await.unwrap(),
        from.sources().by_id(gone).await.unwrap()
    );
    assert_eq!(to.counts().await.unwrap(), from.counts().await.unwrap());
    assert_eq!(to.tags().await.unwrap(), from.tags().await.unwrap());
    assert_eq!(
        to.sources().fetch_log(a, 10).await.unwrap(),
        from.sources().fetch_log(a, 10).await.unwrap()
    );
    assert_eq!(
        to.story_versions(ids[2]).await.unwrap(),
        from.story_versions(ids[2]).await.unwrap()
    );
    assert_eq!(
        to.moderation_log(ids[3]).await.unwrap(),
        from.moderation_log(ids[3]).await.unwrap()
    );
    assert_eq!(
        to.dedup_signatures().await.unwrap(),
        from.dedup_signatures().await.unwrap()
    );
    assert_eq!(
        to.add_like(ids[5], "r1").await.unwrap(),
        (2, false),
        "likes keep their readers"
    );
    for q in ["attacked", "ميكنند", "updated longer"] {
        let q = SearchQuery {
            text: q.into(),
            limit: 100,
            ..Default::default()
        };
        let (x, y) = (from.search(&q).await.unwrap(), to.search(&q).await.unwrap());
        let mut xi: Vec<i64> = x.items.iter().map(|h| h.story.id).collect();
        let mut yi: Vec<i64> = y.items.iter().map(|h| h.story.id).collect();
        xi.sort();
        yi.sort();
        assert!(!xi.is_empty());
        assert_eq!(xi, yi, "search index rebuilt for {:?}", q.text);
    }
    // Sequences moved past the copied ids.
    let new_id = to
        .insert_story(&story(a, "after", "After migration", "New story", None))
        .await
        .unwrap()
        .id();
    assert!(new_id > *ids.iter().max().unwrap());
    let again = from.migrate_to(to, |_, _, _| {}).await.unwrap_err();
    assert!(matches!(again, StoreError::TargetNotEmpty(_)), "{again}");

    lite.finish().await;
    pg.finish().await;
}

//! The index answers the store's search semantics, survives a reopen, and
//! refuses a second writer.

use khabar_search::{IndexQuery, IndexSort, LogPosition, SearchDoc, SearchError, StoryIndex};

fn at(seq: i64) -> LogPosition {
    LogPosition {
        store: "store-a".into(),
        seq,
    }
}

fn doc(
    id: i64,
    headline: &str,
    body: &str,
    lang: &str,
    source_id: i64,
    tags: &[&str],
    sort_at: i64,
) -> SearchDoc {
    SearchDoc {
        id,
        headline: headline.into(),
        body: body.into(),
        lang: Some(lang.into()),
        source_id,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        sort_at,
    }
}

fn sample() -> Vec<SearchDoc> {
    vec![
        doc(
            1,
            "Oil prices rise after OPEC meeting",
            "Crude oil prices rose on Monday.",
            "en",
            1,
            &["energy"],
            1_000,
        ),
        doc(
            2,
            "Iran talks resume in Vienna",
            "Diplomats said oil was not discussed. Prices of bread rose.",
            "en",
            2,
            &["diplomacy"],
            2_000,
        ),
        doc(
            3,
            "Weather",
            "Sunny. Oil painting exhibition opens.",
            "en",
            1,
            &[],
            3_000,
        ),
        doc(
            4,
            "قیمت نفت ایران افزایش یافت",
            "قیمت نفت در بازار جهانی بالا رفت و کیهان گزارش داد.",
            "fa",
            3,
            &["energy"],
            4_000,
        ),
        doc(
            5,
            "Oil price",
            "A price list for oil.",
            "en",
            2,
            &["energy"],
            5_000,
        ),
    ]
}

fn filled() -> StoryIndex {
    let index = StoryIndex::in_memory().expect("index");
    for d in sample() {
        index.upsert(&d).expect("upsert");
    }
    index.commit(&at(5)).expect("commit");
    index
}

fn q(text: &str) -> IndexQuery {
    IndexQuery {
        text: text.into(),
        limit: 20,
        ..Default::default()
    }
}

fn ids(index: &StoryIndex, q: &IndexQuery) -> Vec<i64> {
    index
        .search(q)
        .expect("search")
        .hits
        .iter()
        .map(|(id, _)| *id)
        .collect()
}

#[test]
fn every_word_must_match_and_headline_hits_rank_first() {
    let index = filled();
    let r = index.search(&q("oil prices")).expect("search");
    // Story 3 has "oil" but no "price"; stemming makes "prices" meet "price".
    assert_eq!(r.total, 3);
    let got: Vec<i64> = r.hits.iter().map(|(id, _)| *id).collect();
    assert_eq!(got.len(), 3);
    assert!(!got.contains(&3));
    // Both words in the headline beat both words only in the body.
    let pos = |id| got.iter().position(|&x| x == id).expect("present");
    assert!(pos(1) < pos(2) && pos(5) < pos(2), "{got:?}");
    assert!(
        r.hits.windows(2).all(|w| w[0].1 >= w[1].1),
        "scores descend"
    );
    assert!(ids(&index, &q("oil zebra")).is_empty());
    assert!(ids(&index, &q("  ?! ")).is_empty());
}

#[test]
fn persian_spellings_meet_and_filters_narrow() {
    let index = filled();
    // Arabic kaf and yeh in the query find the Persian spelling.
    assert_eq!(ids(&index, &q("كيهان")), vec![4]);
    assert_eq!(ids(&index, &q("نفت")), vec![4]);

    let mut only_fa = q("oil");
    only_fa.lang = Some("fa".into());
    assert!(ids(&index, &only_fa).is_empty());
    let mut source2 = q("oil");
    source2.source_id = Some(2);
    let mut got = ids(&index, &source2);
    got.sort();
    assert_eq!(got, vec![2, 5]);
    let mut energy = q("oil");
    energy.tag = Some("energy".into());
    let mut got = ids(&index, &energy);
    got.sort();
    assert_eq!(got, vec![1, 5]);
    let mut window = q("oil");
    window.since = Some(2_000);
    window.until = Some(5_000);
    let mut got = ids(&index, &window);
    got.sort();
    assert_eq!(got, vec![2, 3], "since is inclusive, until exclusive");
}

#[test]
fn date_sort_pages_newest_first_with_scores() {
    let index = filled();
    let mut by_date = q("oil");
    by_date.sort = IndexSort::Date;
    let r = index.search(&by_date).expect("search");
    assert_eq!(
        r.hits.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![5, 3, 2, 1]
    );
    assert!(
        r.hits.iter().all(|(_, s)| *s > 0.0),
        "relevance still given: {r:?}"
    );
    by_date.offset = 1;
    by_date.limit = 2;
    let r = index.search(&by_date).expect("search");
    assert_eq!(
        r.hits.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![3, 2]
    );
    assert_eq!(r.total, 4, "the total counts every match, not the page");
}

#[test]
fn upsert_replaces_and_remove_takes_out() {
    let index = filled();
    index
        .upsert(&doc(3, "Weather", "Sunny and warm.", "en", 1, &[], 3_000))
        .expect("upsert");
    index.remove(1);
    index.commit(&at(7)).expect("commit");
    let mut got = ids(&index, &q("oil"));
    got.sort();
    assert_eq!(got, vec![2, 5], "3 lost its oil, 1 was removed");
    assert_eq!(index.len(), 4);
    assert_eq!(index.position(), Some(at(7)));
}

#[test]
fn a_reopened_index_keeps_its_stories_and_position_and_has_one_writer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("search");
    {
        let index = StoryIndex::open(&path).expect("open");
        assert_eq!(index.position(), None, "a new index was never filled");
        for d in sample() {
            index.upsert(&d).expect("upsert");
        }
        index.commit(&at(42)).expect("commit");
        match StoryIndex::open(&path) {
            Err(SearchError::Locked { path: p }) => assert!(p.ends_with("search"), "{p}"),
            Err(other) => panic!("expected Locked, got {other}"),
            Ok(_) => panic!("a second writer was allowed"),
        }
    }
    let index = StoryIndex::open(&path).expect("reopen");
    assert_eq!(index.position(), Some(at(42)));
    assert_eq!(index.len(), 5);
    assert_eq!(ids(&index, &q("vienna")), vec![2]);
}

//! The work-sharing contract on both backends: leased source polls, entry
//! jobs, per-host slots and the grouping lock behave the same on SQLite and
//! PostgreSQL, because workers rely on them to never lose or repeat work.

#[macro_use]
mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use khabar_model::{FeedEntry, SourceStatus};
use khabar_store::{FetchRecord, Store};

contract!(
    due_sources_are_claimed_by_one_worker,
    expired_source_lease_is_taken_over,
    entry_jobs_are_enqueued_once_and_claimed_once,
    completion_is_fenced_by_the_lease,
    polls_are_credited_with_the_stories_their_jobs_store,
    failed_jobs_retry_then_give_up,
    renewal_keeps_a_lease_alive,
    host_slots_are_spaced_for_all_claimers,
    grouping_lock_is_exclusive,
    dedup_order_is_replayable,
);

const LEASE: Duration = Duration::from_secs(60);

fn entry(url: &str) -> (String, FeedEntry) {
    (
        url.to_string(),
        FeedEntry {
            url: format!("{url}?utm_source=feed"),
            title: Some(format!("Headline of {url}")),
            ..Default::default()
        },
    )
}

async fn sources(store: &Store, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            store
                .sources()
                .upsert(&spec(&format!("s{i}"), "en"))
                .await
                .unwrap()
                .id,
        );
    }
    ids
}

/// Pushes every lease of `owner` into the past, as if its worker died a while ago.
async fn expire_leases(store: &Store, owner: &str, jobs: &[i64], sources: &[i64]) {
    // A lease of zero seconds is stamped "now + 1 s"; renewing with it and
    // waiting two seconds is the shortest honest way to outlive it.
    store
        .jobs()
        .renew_leases(owner, Duration::from_secs(0), jobs, sources)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
}

async fn due_sources_are_claimed_by_one_worker(store: &Store) {
    let all = sources(store, 10).await;
    // Four workers claim at once; every source goes to exactly one of them.
    let mut tasks = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let owner = format!("w{w}");
            let got = store
                .jobs()
                .claim_due_sources(&owner, LEASE, 4)
                .await
                .unwrap();
            got.into_iter()
                .map(move |s| (s.id, owner.clone()))
                .collect::<Vec<_>>()
        }));
    }
    let mut owners = std::collections::HashMap::new();
    let mut claimed = Vec::new();
    for t in tasks {
        for (id, owner) in t.await.unwrap() {
            claimed.push(id);
            owners.insert(id, owner);
        }
    }
    let unique: HashSet<i64> = claimed.iter().copied().collect();
    assert_eq!(
        unique.len(),
        claimed.len(),
        "a source was claimed twice: {claimed:?}"
    );
    assert_eq!(
        unique,
        all.iter().copied().collect::<HashSet<_>>(),
        "all 10 claimed"
    );
    let counts = store.jobs().counts().await.unwrap();
    assert_eq!((counts.sources_due, counts.sources_leased), (0, 10));
    // Nothing is left for a fifth worker while the leases live.
    assert!(
        store
            .jobs()
            .claim_due_sources("w9", LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // A released source whose poll was not rescheduled is due again.
    assert!(
        !store.jobs().release_source(all[0], "w9").await.unwrap(),
        "only the holder releases"
    );
    assert!(
        store
            .jobs()
            .release_source(all[0], &owners[&all[0]])
            .await
            .unwrap()
    );
    let again = store
        .jobs()
        .claim_due_sources("w9", LEASE, 10)
        .await
        .unwrap();
    assert_eq!(again.iter().map(|s| s.id).collect::<Vec<_>>(), vec![all[0]]);
}

async fn expired_source_lease_is_taken_over(store: &Store) {
    let ids = sources(store, 2).await;
    let first = store
        .jobs()
        .claim_due_sources("dead", LEASE, 10)
        .await
        .unwrap();
    assert_eq!(first.len(), 2);
    expire_leases(store, "dead", &[], &ids).await;
    let taken = store
        .jobs()
        .claim_due_sources("alive", LEASE, 10)
        .await
        .unwrap();
    let mut got: Vec<i64> = taken.iter().map(|s| s.id).collect();
    got.sort();
    assert_eq!(got, ids, "the dead worker's sources are taken over");
    assert!(
        !store.jobs().release_source(ids[0], "dead").await.unwrap(),
        "the dead worker lost them"
    );
    assert!(store.jobs().release_source(ids[0], "alive").await.unwrap());
}

async fn entry_jobs_are_enqueued_once_and_claimed_once(store: &Store) {
    let src = sources(store, 1).await[0];
    let batch: Vec<_> = (0..20)
        .map(|i| entry(&format!("https://a.example/{i}")))
        .collect();
    assert_eq!(store.jobs().enqueue_entries(src, &batch).await.unwrap(), 20);
    // The same articles found again (another poll, another worker) add nothing.
    assert_eq!(
        store
            .jobs()
            .enqueue_entries(src, &batch[5..])
            .await
            .unwrap(),
        0
    );
    let mut tasks = Vec::new();
    for w in 0..3 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let jobs = store
                    .jobs()
                    .claim_entry_jobs(&format!("w{w}"), LEASE, 3)
                    .await
                    .unwrap();
                if jobs.is_empty() {
                    return mine;
                }
                for j in jobs {
                    assert!(
                        store
                            .jobs()
                            .complete_entry_job(j.id, &format!("w{w}"))
                            .await
                            .unwrap()
                    );
                    mine.push(j);
                }
            }
        }));
    }
    let mut done = Vec::new();
    for t in tasks {
        done.extend(t.await.unwrap());
    }
    let urls: HashSet<&str> = done.iter().map(|j| j.canonical_url.as_str()).collect();
    assert_eq!(
        (done.len(), urls.len()),
        (20, 20),
        "each job done exactly once"
    );
    let job = done
        .iter()
        .find(|j| j.canonical_url == "https://a.example/7")
        .unwrap();
    assert_eq!(job.entry, batch[7].1, "the feed entry round-trips");
    assert_eq!((job.source_id, job.attempts), (src, 1));
    let c = store.jobs().counts().await.unwrap();
    assert_eq!(
        (c.queued, c.ready, c.leased, c.done, c.failed),
        (0, 0, 0, 20, 0)
    );
    assert!(!c.busy() || c.sources_due > 0);
    // Finished jobs can be purged; nothing younger than the age goes.
    assert_eq!(
        store
            .jobs()
            .purge_finished(Duration::from_secs(3600))
            .await
            .unwrap(),
        0
    );
}

async fn completion_is_fenced_by_the_lease(store: &Store) {
    let src = sources(store, 1).await[0];
    store
        .jobs()
        .enqueue_entries(src, &[entry("https://a.example/x")])
        .await
        .unwrap();
    let job = store
        .jobs()
        .claim_entry_jobs("slow", LEASE, 1)
        .await
        .unwrap()
        .remove(0);
    assert!(
        store
            .jobs()
            .claim_entry_jobs("other", LEASE, 1)
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );
    expire_leases(store, "slow", &[job.id], &[]).await;
    let again = store
        .jobs()
        .claim_entry_jobs("other", LEASE, 1)
        .await
        .unwrap();
    assert_eq!(again.len(), 1, "an expired lease is taken over");
    assert_eq!(again[0].attempts, 2);
    assert!(
        !store
            .jobs()
            .complete_entry_job(job.id, "slow")
            .await
            .unwrap(),
        "the old holder is fenced off"
    );
    assert!(
        !store
            .jobs()
            .fail_entry_job(job.id, "slow", "late", LEASE, 5)
            .await
            .unwrap()
    );
    assert!(
        store
            .jobs()
            .complete_entry_job(job.id, "other")
            .await
            .unwrap()
    );
    assert!(
        !store
            .jobs()
            .complete_entry_job(job.id, "other")
            .await
            .unwrap(),
        "done once"
    );
}

fn polled(etag: &str, items_seen: i64) -> FetchRecord {
    FetchRecord {
        at: chrono::Utc::now(),
        status: SourceStatus::Ok,
        http_status: Some(200),
        error: None,
        etag: Some(etag.into()),
        last_modified: None,
        next_fetch_at: None,
        consecutive_failures: 0,
        items_seen,
        stories_added: 0,
        duration_ms: 5,
        note: None,
        error_kind: None,
    }
}

/// A worker's poll only queues articles; the stories come later from other
/// jobs. Each poll's log row must still end up counting the stories its
/// articles became, once each, whoever stored them.
async fn polls_are_credited_with_the_stories_their_jobs_store(store: &Store) {
    let src = sources(store, 1).await[0];
    let url = |k: usize| format!("https://news.example/k{k}");
    let first: Vec<_> = (0..3).map(|k| entry(&url(k))).collect();
    assert_eq!(
        store
            .sources()
            .record_poll(src, &polled("e1", 3), &first)
            .await
            .unwrap(),
        3
    );
    let mut second = first.clone();
    second.push(entry(&url(3)));
    assert_eq!(
        store
            .sources()
            .record_poll(src, &polled("e2", 4), &second)
            .await
            .unwrap(),
        1,
        "articles already queued are not queued again"
    );
    let jobs = store.jobs().claim_entry_jobs("w", LEASE, 10).await.unwrap();
    assert_eq!(jobs.len(), 4);
    let job = |k: usize| jobs.iter().find(|j| j.canonical_url == url(k)).unwrap().id;
    let stored = |k: usize| story(src, &format!("k{k}"), &format!("Story {k}"), "Body.", None);

    // k0 and k3 become stories; k1 is stored by a worker that then loses
    // its lease, and the one that takes over finds it stored; k2 fails.
    store.insert_story(&stored(0)).await.unwrap();
    assert!(store.jobs().complete_entry_job(job(0), "w").await.unwrap());
    store.insert_story(&stored(1)).await.unwrap();
    expire_leases(store, "w", &[job(1)], &[]).await;
    assert_eq!(
        store
            .jobs()
            .claim_entry_jobs("w2", LEASE, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        !store.jobs().complete_entry_job(job(1), "w").await.unwrap(),
        "lease lost"
    );
    assert!(matches!(
        store.insert_story(&stored(1)).await.unwrap(),
        khabar_store::InsertOutcome::Existing(_)
    ));
    assert!(store.jobs().complete_entry_job(job(1), "w2").await.unwrap());
    assert!(
        store
            .jobs()
            .fail_entry_job(job(2), "w", "HTTP 500", LEASE, 5)
            .await
            .unwrap()
    );
    store.insert_story(&stored(3)).await.unwrap();
    assert!(store.jobs().complete_entry_job(job(3), "w").await.unwrap());
    // A story stored without a job (a `khabar fetch` run) credits no poll.
    store.insert_story(&stored(9)).await.unwrap();

    let log = store.sources().fetch_log(src, 10).await.unwrap();
    let added: Vec<i64> = log.iter().map(|r| r.stories_added).collect();
    assert_eq!(added, vec![1, 2], "newest poll first: k3; then k0 and k1");
    assert_eq!(log[0].items_seen, 4);
    let source = store.sources().by_id(src).await.unwrap().unwrap();
    assert_eq!(source.etag.as_deref(), Some("e2"));

    // A poll that cannot be recorded queues nothing: its articles wait for
    // the next poll instead of being half taken.
    let missing = entry("https://a.example/never");
    assert!(
        store
            .sources()
            .record_poll(src + 1000, &polled("x", 1), &[missing])
            .await
            .is_err()
    );
    assert!(
        store
            .jobs()
            .claim_entry_jobs("w3", LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn failed_jobs_retry_then_give_up(store: &Store) {
    let src = sources(store, 1).await[0];
    store
        .jobs()
        .enqueue_entries(src, &[entry("https://a.example/broken")])
        .await
        .unwrap();
    for attempt in 1..=3 {
        let job = store
            .jobs()
            .claim_entry_jobs("w", LEASE, 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(job.attempts, attempt);
        let msg = format!("https://a.example/broken: HTTP 500 (attempt {attempt})");
        assert!(
            store
                .jobs()
                .fail_entry_job(job.id, "w", &msg, Duration::ZERO, 3)
                .await
                .unwrap()
        );
    }
    let c = store.jobs().counts().await.unwrap();
    assert_eq!(
        (c.queued, c.failed),
        (0, 1),
        "given up after three attempts"
    );
    assert!(
        store
            .jobs()
            .claim_entry_jobs("w", LEASE, 1)
            .await
            .unwrap()
            .is_empty()
    );
    let failed = store.jobs().failed(10).await.unwrap();
    assert_eq!(
        failed,
        vec![(
            "https://a.example/broken".to_string(),
            3,
            Some("https://a.example/broken: HTTP 500 (attempt 3)".to_string())
        )]
    );
    // A retry delay keeps a job queued but not ready.
    store
        .jobs()
        .enqueue_entries(src, &[entry("https://a.example/later")])
        .await
        .unwrap();
    let job = store
        .jobs()
        .claim_entry_jobs("w", LEASE, 1)
        .await
        .unwrap()
        .remove(0);
    store
        .jobs()
        .fail_entry_job(job.id, "w", "timeout", Duration::from_secs(600), 5)
        .await
        .unwrap();
    let c = store.jobs().counts().await.unwrap();
    assert_eq!((c.queued, c.ready), (1, 0));
    assert!(
        store
            .jobs()
            .claim_entry_jobs("w", LEASE, 1)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn renewal_keeps_a_lease_alive(store: &Store) {
    let src = sources(store, 1).await[0];
    let batch = [
        entry("https://a.example/long"),
        entry("https://a.example/lost"),
    ];
    store.jobs().enqueue_entries(src, &batch).await.unwrap();
    let jobs = store
        .jobs()
        .claim_entry_jobs("w", Duration::from_secs(1), 2)
        .await
        .unwrap();
    let polled = store
        .jobs()
        .claim_due_sources("w", Duration::from_secs(1), 1)
        .await
        .unwrap();
    assert_eq!((jobs.len(), polled.len()), (2, 1));
    // Renewed before it runs out, a lease outlives its first deadline; the
    // job left out of the renewal (its outcome was lost) is freed instead.
    let renewed = store
        .jobs()
        .renew_leases("w", LEASE, &[jobs[0].id], &[polled[0].id])
        .await
        .unwrap();
    assert_eq!(renewed, 2);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let taken = store
        .jobs()
        .claim_entry_jobs("thief", LEASE, 2)
        .await
        .unwrap();
    assert_eq!(
        taken.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![jobs[1].id],
        "only the job no longer renewed is taken over"
    );
    assert!(
        store
            .jobs()
            .claim_due_sources("thief", LEASE, 1)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .jobs()
            .renew_leases("nobody", LEASE, &[jobs[0].id], &[])
            .await
            .unwrap(),
        0,
        "only the holder renews"
    );
}

async fn host_slots_are_spaced_for_all_claimers(store: &Store) {
    let gap = Duration::from_millis(250);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .jobs()
                .claim_host_slot("news.example", gap)
                .await
                .unwrap()
        }));
    }
    let mut starts = Vec::new();
    for t in tasks {
        starts.push(t.await.unwrap());
    }
    starts.sort();
    for w in starts.windows(2) {
        assert!(w[1] - w[0] >= 250, "slots closer than the gap: {starts:?}");
    }
    // Another host has its own clock.
    let other = store
        .jobs()
        .claim_host_slot("other.example", gap)
        .await
        .unwrap();
    assert!(
        other < starts[7],
        "{other} waits behind news.example's slots {starts:?}"
    );
}

async fn grouping_lock_is_exclusive(store: &Store) {
    let inside = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        let inside = inside.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..5 {
                let lock = store.lock_grouping(&format!("w{w}")).await.unwrap();
                let n = inside.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                assert_eq!(n, 0, "two holders of the grouping lock at once");
                tokio::time::sleep(Duration::from_millis(2)).await;
                inside.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                lock.release().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    // A lock dropped without release (a failed task) does not stay held.
    let dropped = store.lock_grouping("gone").await.unwrap();
    drop(dropped);
    if store.backend() == khabar_store::Backend::Postgres {
        let again = tokio::time::timeout(Duration::from_secs(5), store.lock_grouping("next")).await;
        again
            .expect("a dropped PostgreSQL lock is freed")
            .unwrap()
            .release()
            .await
            .unwrap();
    }
}

async fn dedup_order_is_replayable(store: &Store) {
    let src = sources(store, 1).await[0];
    let mut ids = Vec::new();
    for i in 0..4 {
        let s = story(src, &format!("k{i}"), "H", &format!("body {i}"), None);
        ids.push(store.insert_story(&s).await.unwrap().id());
    }
    // Grouped in another order than inserted (two workers, different speeds).
    for &i in &[2usize, 0, 3] {
        store
            .save_dedup_signature(ids[i], &[i as u8])
            .await
            .unwrap();
    }
    let all = store.dedup_signatures_since(0).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.story_id).collect::<Vec<_>>(),
        vec![ids[2], ids[0], ids[3]],
        "replayed in the order they were grouped"
    );
    let after = store.dedup_signatures_since(all[1].seq).await.unwrap();
    assert_eq!(
        after.iter().map(|r| r.story_id).collect::<Vec<_>>(),
        vec![ids[3]]
    );
    assert!(store.has_dedup_signature(ids[0]).await.unwrap());
    assert!(!store.has_dedup_signature(ids[1]).await.unwrap());
}

//! The push-out queue's contract on both backends: webhook deliveries are
//! queued once per story and webhook, hub pings coalesce while waiting,
//! claims are exclusive and leased, retries wait out their delay, and the
//! status operators see counts every outcome and keeps the last error.

#[macro_use]
mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use khabar_store::{DeliveryKind, DeliveryOutcome, Store};

contract!(
    webhook_deliveries_are_queued_once_per_story_and_webhook,
    hub_pings_coalesce_until_taken,
    claims_are_exclusive_and_leases_expire,
    retries_wait_then_give_up_with_the_error,
    stats_count_per_target_and_per_source,
    finishing_is_fenced_by_the_lease,
);

const LEASE: Duration = Duration::from_secs(60);

async fn stored_story(store: &Store, slug: &str, key: &str) -> (i64, i64) {
    let src = store.sources().upsert(&spec(slug, "en")).await.unwrap();
    let id = store
        .insert_story(&story(src.id, key, "Iran talks", "Text about Iran.", None))
        .await
        .unwrap()
        .id();
    (src.id, id)
}

async fn webhook_deliveries_are_queued_once_per_story_and_webhook(store: &Store) {
    let (_, id) = stored_story(store, "wire", "a").await;
    let body = r#"{"id":1,"headline":"Iran talks"}"#;
    assert_eq!(
        store
            .deliveries()
            .enqueue_webhooks(id, &["ops", "alerts"], body)
            .await
            .unwrap(),
        2
    );
    // The same story queued again (a retried job) adds nothing.
    assert_eq!(
        store
            .deliveries()
            .enqueue_webhooks(id, &["ops", "alerts"], body)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .deliveries()
            .enqueue_webhooks(id, &[], body)
            .await
            .unwrap(),
        0
    );
    let got = store.deliveries().claim("w1", LEASE, 10).await.unwrap();
    assert_eq!(got.len(), 2);
    let targets: HashSet<&str> = got.iter().map(|d| d.target.as_str()).collect();
    assert_eq!(targets, HashSet::from(["ops", "alerts"]));
    for d in &got {
        assert_eq!(d.kind, DeliveryKind::Webhook);
        assert_eq!(d.story_id, Some(id));
        assert_eq!(d.payload, body, "the exact body is kept");
        assert_eq!(d.attempts, 1);
        assert_eq!(d.topic, None);
    }
}

async fn hub_pings_coalesce_until_taken(store: &Store) {
    let hub = "https://hub.example/";
    let feeds = vec![
        "https://n.example/feed.atom".to_string(),
        "https://n.example/feed.rss".to_string(),
    ];
    assert_eq!(
        store
            .deliveries()
            .enqueue_hub_pings(hub, &feeds)
            .await
            .unwrap(),
        2
    );
    // More stories before the ping went out: still one ping per feed.
    assert_eq!(
        store
            .deliveries()
            .enqueue_hub_pings(hub, &feeds)
            .await
            .unwrap(),
        0
    );
    let taken = store.deliveries().claim("w1", LEASE, 10).await.unwrap();
    assert_eq!(taken.len(), 2);
    assert!(
        taken
            .iter()
            .all(|d| d.kind == DeliveryKind::Websub && d.target == hub && d.story_id.is_none())
    );
    let topics: HashSet<String> = taken.iter().filter_map(|d| d.topic.clone()).collect();
    assert_eq!(topics, feeds.iter().cloned().collect());
    // A story published while the ping is being sent needs a ping of its
    // own: the hub may already have fetched the feed.
    assert_eq!(
        store
            .deliveries()
            .enqueue_hub_pings(hub, &feeds[..1])
            .await
            .unwrap(),
        1
    );
    // Another hub is another target.
    assert_eq!(
        store
            .deliveries()
            .enqueue_hub_pings("https://other.example/", &feeds[..1])
            .await
            .unwrap(),
        1
    );
}

async fn claims_are_exclusive_and_leases_expire(store: &Store) {
    let (_, a) = stored_story(store, "wire", "a").await;
    let (_, b) = stored_story(store, "wire", "b").await;
    store
        .deliveries()
        .enqueue_webhooks(a, &["ops"], "{}")
        .await
        .unwrap();
    store
        .deliveries()
        .enqueue_webhooks(b, &["ops"], "{}")
        .await
        .unwrap();
    // Two senders at once never take the same row.
    let (x, y) = tokio::join!(
        store.deliveries().claim("w1", LEASE, 1),
        store.deliveries().claim("w2", LEASE, 1)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.len() + y.len(), 2, "{x:?} {y:?}");
    let ids: HashSet<i64> = x.iter().chain(&y).map(|d| d.id).collect();
    assert_eq!(ids.len(), 2, "each row claimed once");
    assert!(
        store
            .deliveries()
            .claim("w3", LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.deliveries().ready().await.unwrap(), 0);

    // A sender that died: its lease runs out and another takes the row.
    let (_, c) = stored_story(store, "wire", "c").await;
    store
        .deliveries()
        .enqueue_webhooks(c, &["ops"], "{}")
        .await
        .unwrap();
    let short = store
        .deliveries()
        .claim("dead", Duration::from_secs(1), 10)
        .await
        .unwrap();
    assert_eq!(short.len(), 1);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let again = store.deliveries().claim("w4", LEASE, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, short[0].id);
    assert_eq!(again[0].attempts, 2, "the lost attempt counts");
}

async fn retries_wait_then_give_up_with_the_error(store: &Store) {
    let (_, id) = stored_story(store, "wire", "a").await;
    store
        .deliveries()
        .enqueue_webhooks(id, &["ops"], "{}")
        .await
        .unwrap();
    let d = store
        .deliveries()
        .claim("w1", LEASE, 10)
        .await
        .unwrap()
        .remove(0);
    let retry = DeliveryOutcome::Failed {
        error: "HTTP 500 from https://hook.example/".into(),
        http_status: Some(500),
        retry_in: Some(Duration::from_millis(400)),
    };
    assert!(store.deliveries().finish(d.id, "w1", &retry).await.unwrap());
    // Not before its delay.
    assert!(
        store
            .deliveries()
            .claim("w1", LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let stats = store.deliveries().stats().await.unwrap();
    assert_eq!((stats[0].pending, stats[0].failed), (1, 0));
    assert_eq!(stats[0].last_http_status, Some(500));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let d = store
        .deliveries()
        .claim("w1", LEASE, 10)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(d.attempts, 2);
    let give_up = DeliveryOutcome::Failed {
        error: "connection refused".into(),
        http_status: None,
        retry_in: None,
    };
    assert!(
        store
            .deliveries()
            .finish(d.id, "w1", &give_up)
            .await
            .unwrap()
    );
    assert!(
        store
            .deliveries()
            .claim("w1", LEASE, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let stats = store.deliveries().stats().await.unwrap();
    assert_eq!(stats.len(), 1);
    assert_eq!((stats[0].pending, stats[0].failed), (0, 1));
    assert_eq!(stats[0].last_error.as_deref(), Some("connection refused"));
    assert_eq!(stats[0].last_http_status, None);
    let failed = store.deliveries().recent(Some("failed"), 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 2);
    assert_eq!(failed[0].story_id, Some(id));
    assert_eq!(failed[0].last_error.as_deref(), Some("connection refused"));
    assert!(failed[0].finished_at.is_some());
    assert!(
        store
            .deliveries()
            .recent(Some("delivered"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.deliveries().recent(None, 10).await.unwrap().len(), 1);
    // Given-up rows are purged once old enough, not before.
    assert_eq!(
        store
            .deliveries()
            .purge_finished(Duration::from_secs(3600))
            .await
            .unwrap(),
        0
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        store
            .deliveries()
            .purge_finished(Duration::ZERO)
            .await
            .unwrap(),
        1
    );
    assert!(store.deliveries().stats().await.unwrap().is_empty());
}

async fn stats_count_per_target_and_per_source(store: &Store) {
    let (wire, a) = stored_story(store, "wire", "a").await;
    let (_, b) = stored_story(store, "wire", "b").await;
    let (other, c) = stored_story(store, "other", "c").await;
    for id in [a, b, c] {
        store
            .deliveries()
            .enqueue_webhooks(id, &["ops", "alerts"], "{}")
            .await
            .unwrap();
    }
    store
        .deliveries()
        .enqueue_hub_pings(
            "https://hub.example/",
            &["https://n.example/feed.rss".into()],
        )
        .await
        .unwrap();
    let taken = store.deliveries().claim("w1", LEASE, 100).await.unwrap();
    assert_eq!(taken.len(), 7);
    for d in &taken {
        let outcome = if d.target == "alerts" && d.story_id == Some(c) {
            DeliveryOutcome::Failed {
                error: "HTTP 410".into(),
                http_status: Some(410),
                retry_in: None,
            }
        } else if d.target == "alerts" && d.story_id == Some(b) {
            DeliveryOutcome::Failed {
                error: "timed out".into(),
                http_status: None,
                retry_in: Some(Duration::from_secs(600)),
            }
        } else {
            DeliveryOutcome::Delivered {
                http_status: Some(if d.kind == DeliveryKind::Websub {
                    204
                } else {
                    200
                }),
            }
        };
        assert!(
            store
                .deliveries()
                .finish(d.id, "w1", &outcome)
                .await
                .unwrap()
        );
    }
    let stats = store.deliveries().stats().await.unwrap();
    let by = |t: &str| stats.iter().find(|s| s.target == t).unwrap().clone();
    let ops = by("ops");
    assert_eq!((ops.pending, ops.delivered, ops.failed), (0, 3, 0));
    assert_eq!(ops.last_error, None);
    assert!(ops.last_attempt_at.is_some());
    let alerts = by("alerts");
    assert_eq!((alerts.pending, alerts.delivered, alerts.failed), (1, 1, 1));
    assert!(alerts.last_error.is_some());
    let hub = by("https://hub.example/");
    assert_eq!(hub.kind, DeliveryKind::Websub);
    assert_eq!((hub.pending, hub.delivered, hub.failed), (0, 1, 0));

    let w = store.deliveries().counts_for_source(wire).await.unwrap();
    assert_eq!((w.pending, w.delivered, w.failed), (1, 3, 0));
    let o = store.deliveries().counts_for_source(other).await.unwrap();
    assert_eq!((o.pending, o.delivered, o.failed), (0, 1, 1));
}

async fn finishing_is_fenced_by_the_lease(store: &Store) {
    let (_, id) = stored_story(store, "wire", "a").await;
    store
        .deliveries()
        .enqueue_webhooks(id, &["ops"], "{}")
        .await
        .unwrap();
    let d = store
        .deliveries()
        .claim("w1", LEASE, 10)
        .await
        .unwrap()
        .remove(0);
    let done = DeliveryOutcome::Delivered {
        http_status: Some(200),
    };
    assert!(
        !store
            .deliveries()
            .finish(d.id, "someone-else", &done)
            .await
            .unwrap()
    );
    assert!(store.deliveries().finish(d.id, "w1", &done).await.unwrap());
    // Recorded once: a late second finish changes nothing.
    assert!(!store.deliveries().finish(d.id, "w1", &done).await.unwrap());
    let stats = store.deliveries().stats().await.unwrap();
    assert_eq!((stats[0].delivered, stats[0].pending), (1, 0));
}

//! PostgreSQL row locks held by another process: `serve` and `worker` set
//! their configuration's sources at every start, and a source row held by a
//! running poll (or by a process that hangs mid-transaction) must not keep
//! a restarted process from coming up when nothing changes.

mod common;

use std::time::Duration;

use common::{TestDb, spec};
use sqlx::Executor;

#[tokio::test]
async fn unchanged_sources_and_tags_are_not_written_past_a_held_row() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let store = &db.store;
    let source = spec("reuters", "en");
    store.sources().upsert(&source).await.expect("first upsert");
    let tags = vec!["world".to_string()];
    assert!(store.set_source_tags("reuters", &tags).await.expect("tags"));

    // Another process holds the source's row in an open transaction.
    let (admin, schema) = db.pg_admin().expect("a PostgreSQL test store");
    let mut other = admin.begin().await.expect("begin");
    other
        .execute(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {schema}.sources WHERE slug = 'reuters' FOR UPDATE"
        )))
        .await
        .expect("hold the row");

    let quick = Duration::from_secs(5);
    let same = tokio::time::timeout(quick, store.sources().upsert(&source))
        .await
        .expect("an unchanged source does not wait for the held row")
        .expect("upsert");
    assert_eq!(same.name, source.name);
    let known = tokio::time::timeout(quick, store.set_source_tags("reuters", &tags))
        .await
        .expect("unchanged tags do not wait for the held row")
        .expect("tags");
    assert!(known);

    // A real change does wait: the row is held, so the check above meant something.
    let mut renamed = source.clone();
    renamed.name = "Reuters World".into();
    let waited =
        tokio::time::timeout(Duration::from_millis(500), store.sources().upsert(&renamed)).await;
    assert!(waited.is_err(), "a changed source is written, so it waits");

    other.rollback().await.expect("release the row");
    let written = store
        .sources()
        .upsert(&renamed)
        .await
        .expect("upsert after release");
    assert_eq!(written.name, "Reuters World");
    db.finish().await;
}

//! A PostgreSQL schema of its own for one test, on the server `.ci/run`
//! makes sure of (override with KHABAR_TEST_PG_URL).

use sqlx::Executor;

pub struct TestSchema {
    /// A store URL whose connections use the schema.
    pub url: String,
    admin: sqlx::PgPool,
    schema: String,
}

pub fn base_url() -> String {
    std::env::var("KHABAR_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh schema, or None (with a notice) when PostgreSQL is unreachable
/// outside CI; in CI (env CI set) an unreachable server fails the test.
pub async fn schema() -> Option<TestSchema> {
    let base = base_url();
    let admin = match sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect(&base)
        .await
    {
        Ok(p) => p,
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("PostgreSQL is unreachable at {base} ({e}); CI must start it")
        }
        Err(e) => {
            eprintln!("NOTICE: skipping PostgreSQL test: {base} unreachable ({e})");
            return None;
        }
    };
    let schema = format!("w_{:016x}", rand::random::<u64>());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await
        .expect("create test schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    Some(TestSchema { url, admin, schema })
}

impl TestSchema {
    pub fn pool(&self) -> &sqlx::PgPool {
        &self.admin
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.schema
    }

    /// The schema-qualified name of a table.
    pub fn table(&self, name: &str) -> String {
        format!("{}.{name}", self.schema)
    }

    pub async fn drop(self) {
        let _ = self
            .admin
            .execute(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA {} CASCADE",
                self.schema
            )))
            .await;
    }
}

//! Plumbing that lets one SQL text run on either pool.
//!
//! Both schemas use the same column names and types that decode to the same
//! Rust types, and SQLite accepts PostgreSQL's `$N` placeholders, so most
//! statements are written once. `on_pool!` expands a block once per backend,
//! which keeps every query statically typed without a trait-object layer.

use sqlx::{Database, Encode, Type, query::Query};

/// Runs `$body` with `$p` bound to the concrete pool (`&SqlitePool` or `&PgPool`).
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($p) => $body,
            $crate::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// A bind value for dynamically built statements (filters), where the
/// number and types of parameters depend on the request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// Collects a dynamic WHERE clause and its binds; `push` returns the `$N` to write.
#[derive(Debug, Default)]
pub(crate) struct Binds {
    pub args: Vec<Arg>,
}

impl Binds {
    pub fn int(&mut self, v: i64) -> String {
        self.args.push(Arg::Int(v));
        format!("${}", self.args.len())
    }
    pub fn text(&mut self, v: impl Into<String>) -> String {
        self.args.push(Arg::Text(v.into()));
        format!("${}", self.args.len())
    }
    /// Binds every id and returns the placeholders for an `IN (…)` list.
    pub fn int_list(&mut self, ids: &[i64]) -> String {
        let list: Vec<String> = ids.iter().map(|id| self.int(*id)).collect();
        list.join(", ")
    }
}

/// Binds every collected argument, in order, to `q`.
pub(crate) fn bind_all<'q, DB>(
    mut q: Query<'q, DB, <DB as Database>::Arguments>,
    args: &[Arg],
) -> Query<'q, DB, <DB as Database>::Arguments>
where
    DB: Database,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> String: Encode<'t, DB> + Type<DB>,
{
    for a in args {
        q = match a {
            Arg::Int(v) => q.bind(*v),
            Arg::Text(v) => q.bind(v.clone()),
        };
    }
    q
}

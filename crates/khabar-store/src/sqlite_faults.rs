//! Re-opening SQLite connections after a write failed under them.
//!
//! When the disk fills up or the file turns read-only, SQLite fails the
//! statement but may leave it unreset, and an unreset statement keeps its
//! transaction: its connection goes on holding the write lock ("database is
//! locked" for every other connection, even once space is back) or reading
//! an old snapshot of the database (the search index would miss what came
//! after it). Closing the connection ends both. So every such error is
//! noted here, and the pool closes, as it hands them out or takes them back,
//! the connections opened before the last one noted.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Milliseconds since [`origin`] of the last fault noted, 0 for none.
static LAST_FAULT_MS: AtomicU64 = AtomicU64::new(0);

fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

/// SQLite's primary result codes for I/O trouble: SQLITE_READONLY (8),
/// SQLITE_IOERR (10), SQLITE_CORRUPT (11), SQLITE_FULL (13),
/// SQLITE_CANTOPEN (14); extended codes keep the primary in the low byte.
fn is_fault(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
                && db
                    .code()
                    .and_then(|c| c.parse::<i64>().ok())
                    .is_some_and(|c| matches!(c & 0xff, 8 | 10 | 11 | 13 | 14))
        }
        _ => false,
    }
}

/// Notes `e` if it is an SQLite I/O fault.
pub(crate) fn note(e: &sqlx::Error) {
    if is_fault(e) {
        mark_fault();
    }
}

fn mark_fault() {
    let now = origin().elapsed().as_millis() as u64;
    LAST_FAULT_MS.store(now.max(1), Ordering::Release);
}

/// True for a connection of age `age` that was open when the last fault
/// was noted: the pool closes it instead of using it again.
pub(crate) fn predates_last_fault(age: Duration) -> bool {
    let fault = LAST_FAULT_MS.load(Ordering::Acquire);
    if fault == 0 {
        return false;
    }
    let now = origin().elapsed();
    let opened = now.saturating_sub(age);
    opened <= Duration::from_millis(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_older_than_a_fault_are_recycled_and_newer_ones_kept() {
        let _ = origin();
        std::thread::sleep(Duration::from_millis(5));
        // (A real SQLite "disk is full" is noted in tests/faults.rs, which
        // fills a disk under a running site.)
        mark_fault();
        // Opened long ago: recycled. Opened just now: kept.
        assert!(predates_last_fault(Duration::from_secs(3600)));
        std::thread::sleep(Duration::from_millis(5));
        assert!(!predates_last_fault(Duration::from_millis(1)));
        // Other errors are no fault of the connection.
        assert!(!is_fault(&sqlx::Error::RowNotFound));
    }
}

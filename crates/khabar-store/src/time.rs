//! Times are stored as unix seconds (UTC) in both backends: one encoding,
//! trivially indexable, and day buckets are plain integer division.

use chrono::{DateTime, NaiveDate, Utc};

pub(crate) const DAY: i64 = 86_400;

pub(crate) fn to_unix(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

pub(crate) fn opt_unix(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(to_unix)
}

/// Out-of-range values (corrupt rows) read as the epoch rather than failing a whole page.
pub(crate) fn from_unix(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

pub(crate) fn opt_from_unix(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.map(from_unix)
}

/// Unix seconds at 00:00 UTC of `day`.
pub(crate) fn day_start(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or_default()
}

/// The UTC day of unix day number `n` (seconds / 86400).
pub(crate) fn day_from_number(n: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp(n.checked_mul(DAY)?, 0).map(|t| t.date_naive())
}

pub(crate) fn now() -> i64 {
    Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_bounds_round_trip() {
        let d = NaiveDate::from_ymd_opt(2025, 6, 13).unwrap();
        let s = day_start(d);
        assert_eq!(s % DAY, 0);
        assert_eq!(day_from_number(s / DAY), Some(d));
        assert_eq!(from_unix(s).date_naive(), d);
    }
}

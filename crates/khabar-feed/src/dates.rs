//! Feed and sitemap dates, read by khabar-text's one date parser and
//! given in UTC (the feed stage stores instants; the offset a feed wrote
//! is not a fact about the story).

use chrono::{DateTime, Utc};

/// A date from any date element of a feed or sitemap: W3C-DTF in all its
/// precisions, RFC 822/2822 as feeds write it, or a Jalali stamp.
pub(crate) fn parse_feed_date(raw: &str) -> Option<DateTime<Utc>> {
    khabar_text::dates::parse_date_value(raw).map(|d| d.to_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        parse_feed_date(s)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn feed_dates_come_out_in_utc() {
        assert_eq!(d("2024-05-01T10:30:00+03:30"), "2024-05-01T07:00:00+00:00");
        assert_eq!(d("Mon, 01 Jan 04 19:48 EST"), "2004-01-02T00:48:00+00:00");
        assert_eq!(d("2024-05"), "2024-05-01T00:00:00+00:00");
        // A Jalali stamp of an Iranian feed: Tehran wall-clock time.
        assert_eq!(d("۱۴۰۳/۰۹/۱۷ - ۱۴:۳۰"), "2024-12-07T11:00:00+00:00");
        assert_eq!(parse_feed_date("soon"), None);
    }
}

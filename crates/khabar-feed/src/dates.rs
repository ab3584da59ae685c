//! Sitemap dates: W3C Datetime (a profile of ISO 8601) in all its allowed
//! precisions, plus RFC 2822 because some generators write that instead.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

pub(crate) fn parse_w3c_datetime(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    // Minutes without seconds, with an offset: 2024-05-01T10:30+03:30
    for fmt in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%#z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    if let Some(z) = s.strip_suffix('Z') {
        for fmt in ["%Y-%m-%dT%H:%M"] {
            if let Ok(n) = NaiveDateTime::parse_from_str(z, fmt) {
                return Some(n.and_utc());
            }
        }
    }
    // No offset at all: read as UTC rather than drop the date.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(n.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
    }
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = s.parse().ok()?;
        return NaiveDate::from_ymd_opt(year, 1, 1)?
            .and_hms_opt(0, 0, 0)
            .map(|n| n.and_utc());
    }
    DateTime::parse_from_rfc2822(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse_w3c_datetime(s)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn all_w3c_precisions() {
        assert_eq!(
            iso("2024-05-01T10:30:00+03:30"),
            "2024-05-01T07:00:00+00:00"
        );
        assert_eq!(iso("2024-05-01T10:30+03:30"), "2024-05-01T07:00:00+00:00");
        assert_eq!(
            iso("2024-05-01T10:30:15.25Z"),
            "2024-05-01T10:30:15.250+00:00"
        );
        assert_eq!(iso("2024-05-01T10:30Z"), "2024-05-01T10:30:00+00:00");
        assert_eq!(iso("2024-05-01"), "2024-05-01T00:00:00+00:00");
        assert_eq!(iso("2024-05"), "2024-05-01T00:00:00+00:00");
        assert_eq!(iso("2024"), "2024-01-01T00:00:00+00:00");
        assert_eq!(
            iso("Wed, 01 May 2024 10:30:00 GMT"),
            "2024-05-01T10:30:00+00:00"
        );
        assert_eq!(parse_w3c_datetime("yesterday"), None);
    }
}

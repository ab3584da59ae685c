//! Reading a page's zone-less times in the zone the page is written for.
//!
//! A time the page gives without a zone (`2021-11-04 23:30`, a printed
//! `14:30`) is the wall clock of the site's readers, not UTC: when the
//! page gives no zone of its own, its language says where most of them
//! live: Persian pages are read in Tehran (or Kabul) time, pages in the
//! languages of Central Europe in CET/CEST. Other languages (English,
//! Spanish, Portuguese, Arabic...) span too many zones to guess.
//!
//! A time whose value named its zone (`+01:00`, `Z`, `+00:00`, `GMT`) is
//! never moved: re-showing an explicit UTC stamp in a guessed zone moves
//! late-evening stories across midnight to a day the page never printed.

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use khabar_text::dates::Zone;

/// Languages whose pages are overwhelmingly published in Central European
/// Time (the EU's summer-time rule applies).
const CENTRAL_EUROPEAN: &[&str] = &[
    "de", "fr", "it", "nl", "pl", "cs", "sk", "sl", "hr", "hu", "da", "sv", "nb", "nn", "no", "sr", "bs", "lb",
];

/// The page's zone, when its language pins one.
fn page_zone(lang: Option<&str>, tag: Option<&str>) -> Option<Tz> {
    match lang {
        Some("fa" | "prs" | "pes") => {
            let afghan = tag.is_some_and(|t| t.to_ascii_uppercase().ends_with("-AF")) || lang == Some("prs");
            Some(if afghan {
                chrono_tz::Asia::Kabul
            } else {
                chrono_tz::Asia::Tehran
            })
        }
        Some(l) if CENTRAL_EUROPEAN.contains(&l) => Some(chrono_tz::Europe::Berlin),
        _ => None,
    }
}

/// `d` as the page meant it: kept when its value named a zone
/// (`zone_given`) or carries a non-zero offset; otherwise its wall-clock
/// time is read in the zone the page's language pins, when it pins one.
///
/// The zones are the IANA database's (`chrono-tz`), so history is right:
/// Tehran kept summer time (+04:30) until 2022, which a fixed offset would
/// get wrong by an hour for half of every older year.
pub fn local_time(
    d: DateTime<FixedOffset>,
    zone_given: bool,
    lang: Option<&str>,
    tag: Option<&str>,
) -> DateTime<FixedOffset> {
    if zone_given || d.offset().local_minus_utc() != 0 {
        return d;
    }
    match page_zone(lang, tag) {
        Some(tz) => Zone::Region(tz).at(d.naive_local()).unwrap_or(d),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn zone_less_times_are_tehran_or_kabul_wall_clock_on_persian_pages() {
        let d = utc("2023-12-02T21:45:00+00:00");
        assert_eq!(
            local_time(d, false, Some("fa"), Some("fa-IR")).to_rfc3339(),
            "2023-12-02T21:45:00+03:30"
        );
        assert_eq!(
            local_time(d, false, Some("fa"), Some("fa-AF")).to_rfc3339(),
            "2023-12-02T21:45:00+04:30"
        );
    }

    #[test]
    fn central_european_pages_follow_summer_time() {
        let d = utc("2021-11-04T23:00:00Z");
        assert_eq!(
            local_time(d, false, Some("de"), Some("de")).to_rfc3339(),
            "2021-11-04T23:00:00+01:00"
        );
        let d = utc("2019-10-18T22:30:00Z");
        assert_eq!(
            local_time(d, false, Some("de"), Some("de-CH")).to_rfc3339(),
            "2019-10-18T22:30:00+02:00"
        );
        // The switch itself (last Sunday of March 2024 = 31 March, 02:00).
        let secs = |s: &str| local_time(utc(s), false, Some("fr"), None).offset().local_minus_utc();
        assert_eq!(secs("2024-03-31T01:59:00Z"), 3600);
        assert_eq!(secs("2024-03-31T03:00:00Z"), 7200);
    }

    #[test]
    fn tehran_summer_time_before_2022_is_kept() {
        // 1 July 2021: Iran still kept summer time (+04:30).
        assert_eq!(
            local_time(utc("2021-07-01T20:00:00Z"), false, Some("fa"), Some("fa-IR")).to_rfc3339(),
            "2021-07-01T20:00:00+04:30"
        );
        // 1 July 2023: abolished, +03:30 all year.
        assert_eq!(
            local_time(utc("2023-07-01T20:00:00Z"), false, Some("fa"), Some("fa-IR")).to_rfc3339(),
            "2023-07-01T20:00:00+03:30"
        );
    }

    #[test]
    fn given_zones_and_other_languages_are_kept() {
        let d = utc("2023-12-02T23:45:00Z");
        // An explicit UTC stamp late in the evening stays on its day.
        assert_eq!(local_time(d, true, Some("de"), None), d);
        assert_eq!(local_time(d, true, Some("fa"), Some("fa-IR")), d);
        assert_eq!(local_time(d, false, Some("en"), Some("en")), d);
        assert_eq!(local_time(d, false, None, None), d);
        let given = utc("2023-12-02T21:45:00+01:00");
        assert_eq!(local_time(given, false, Some("de"), None), given);
        assert_eq!(local_time(given, false, Some("fa"), None), given);
    }
}

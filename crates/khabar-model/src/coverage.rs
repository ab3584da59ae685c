//! Who carried a story: its reports counted by kind of outlet and by
//! language, and the views readers of Iran news ask for.
//!
//! A story's reports are its primary, the published copies grouped under
//! it, and the reports of the same event in other languages (its
//! cross-language group) with their copies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::OutletKind;

/// A story's published reports, counted two ways.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Reports by the kind of outlet that published them.
    pub outlets: BTreeMap<OutletKind, i64>,
    /// Reports by primary language subtag (`fa`, `en`); reports of no
    /// known language are left out.
    pub languages: BTreeMap<String, i64>,
}

impl Coverage {
    /// Adds `n` reports of `outlet` in `lang` (`fa-IR` counts as `fa`).
    pub fn add(&mut self, outlet: OutletKind, lang: Option<&str>, n: i64) {
        *self.outlets.entry(outlet).or_default() += n;
        if let Some(l) = lang.map(primary_subtag).filter(|l| !l.is_empty()) {
            *self.languages.entry(l).or_default() += n;
        }
    }

    /// Every report counted once.
    pub fn reports(&self) -> i64 {
        self.outlets.values().sum()
    }

    /// Whether an outlet of this kind carried the story.
    pub fn carried_by(&self, kind: OutletKind) -> bool {
        self.outlets.get(&kind).is_some_and(|n| *n > 0)
    }

    /// Whether a report in this language (primary subtag) exists.
    pub fn reported_in(&self, lang: &str) -> bool {
        self.languages.get(lang).is_some_and(|n| *n > 0)
    }

    /// Whether the story belongs in `view`, judged from these counts (the
    /// store filters with the same rule in SQL; this is the rule in words).
    pub fn fits(&self, view: CoverageView) -> bool {
        match view {
            CoverageView::StateOnly => {
                self.carried_by(OutletKind::State)
                    && self
                        .outlets
                        .iter()
                        .all(|(k, n)| *k == OutletKind::State || *n == 0)
            }
            CoverageView::NotState => self.reports() > 0 && !self.carried_by(OutletKind::State),
            CoverageView::PersianOnly => self.reported_in("fa") && !self.reported_in("en"),
            CoverageView::EnglishOnly => self.reported_in("en") && !self.reported_in("fa"),
        }
    }
}

fn primary_subtag(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The coverage views: stories picked by who carried them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageView {
    /// Carried by state media inside Iran and by no one else.
    StateOnly,
    /// Not carried by any state outlet.
    NotState,
    /// Reported in Persian and not in English.
    PersianOnly,
    /// Reported in English and not in Persian.
    EnglishOnly,
}

impl CoverageView {
    pub const ALL: [CoverageView; 4] = [
        CoverageView::StateOnly,
        CoverageView::NotState,
        CoverageView::PersianOnly,
        CoverageView::EnglishOnly,
    ];
    pub const NAMES: &'static [&'static str] =
        &["state-only", "not-state", "persian-only", "english-only"];

    /// The view's name in URLs (`/coverage/state-only`) and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageView::StateOnly => "state-only",
            CoverageView::NotState => "not-state",
            CoverageView::PersianOnly => "persian-only",
            CoverageView::EnglishOnly => "english-only",
        }
    }

    /// The view named `s`; unknown is an error.
    pub fn parse(s: &str) -> Result<Self, crate::UnknownName> {
        crate::unknown_name::by_name(s, "coverage view", &Self::ALL, Self::NAMES, Self::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cov(rows: &[(OutletKind, &str, i64)]) -> Coverage {
        let mut c = Coverage::default();
        for (k, l, n) in rows {
            c.add(*k, Some(l), *n);
        }
        c
    }

    #[test]
    fn a_story_only_state_media_carried_is_in_the_state_only_view() {
        let c = cov(&[
            (OutletKind::State, "fa-IR", 2),
            (OutletKind::State, "en", 1),
        ]);
        assert_eq!(c.languages.get("fa"), Some(&2));
        assert!(c.fits(CoverageView::StateOnly));
        assert!(!c.fits(CoverageView::NotState));
        assert!(!c.fits(CoverageView::PersianOnly), "also in English");
    }

    #[test]
    fn one_international_report_takes_a_story_out_of_state_only() {
        let c = cov(&[
            (OutletKind::State, "fa", 3),
            (OutletKind::International, "fa", 1),
        ]);
        assert!(!c.fits(CoverageView::StateOnly));
        assert!(!c.fits(CoverageView::NotState));
        assert!(c.fits(CoverageView::PersianOnly));
        assert!(!c.fits(CoverageView::EnglishOnly));
        assert_eq!(c.reports(), 4);
    }

    #[test]
    fn view_names_read_back_and_unknown_ones_are_refused() {
        for v in CoverageView::ALL {
            assert_eq!(CoverageView::parse(v.as_str()), Ok(v));
        }
        assert!(CoverageView::parse("state").is_err());
    }
}

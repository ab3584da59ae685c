//! One story across languages: the pipeline's side of
//! [`khabar_dedup::CrossLangIndex`].
//!
//! After a story is grouped with its same-language copies, a new primary
//! report in English or Persian is compared with the other language's
//! reports of the last two days; when the matcher finds the same event, the
//! two share a cross-language group in the store, and each story page shows
//! the other language's reports. The index lives in memory like the dedup
//! index and is warmed from the store at start-up, so a restart does not
//! forget the reports it could still meet.

use std::collections::HashMap;

use anyhow::Context;
use chrono::Utc;
use khabar_dedup::{CrossLangIndex, CrossLangMatcher, CrossLangReport, Lang};
use khabar_model::NewStory;
use khabar_store::Store;

/// The languages the matcher reads.
const LANGS: &[&str] = &["en", "fa"];

/// Reports in the matching window and the cross-language group of each.
pub(crate) struct AcrossLanguages {
    index: CrossLangIndex,
    groups: HashMap<i64, i64>,
}

impl AcrossLanguages {
    /// The bundled matcher, with the store's recent primary reports filed.
    pub(crate) async fn load(store: &Store) -> anyhow::Result<AcrossLanguages> {
        let matcher = CrossLangMatcher::bundled()
            .context("loading the cross-language gazetteer and weights")?;
        let since = Utc::now().timestamp() - 2 * matcher.window_secs();
        let mut me = AcrossLanguages {
            index: CrossLangIndex::new(matcher),
            groups: HashMap::new(),
        };
        for (id, headline, body, lang, at, group) in
            store.crosslang_candidates(since, LANGS).await?
        {
            me.note(id, &headline, &body, &lang, Some(at), group);
        }
        tracing::info!(reports = me.index.len(), "cross-language index warmed");
        Ok(me)
    }

    /// Files a report whose group is already decided (read back from the
    /// store), without deciding anything.
    pub(crate) fn note(
        &mut self,
        id: i64,
        headline: &str,
        body: &str,
        lang: &str,
        published_unix: Option<i64>,
        group: Option<i64>,
    ) {
        let Some(lang) = Lang::from_code(lang) else {
            return;
        };
        self.index.insert(
            id as u64,
            &CrossLangReport {
                title: headline,
                body,
                lang,
                published_unix,
            },
        );
        if let Some(g) = group {
            self.groups.insert(id, g);
        }
    }

    /// Files the new primary report `id` and says which stories go in which
    /// cross-language group: `(story, group)` pairs for the store. A report
    /// that took a group over from an earlier primary (`took_over`) joins
    /// that primary's group; otherwise it joins the group of the best
    /// match in the other language, which starts one if it had none.
    pub(crate) fn place(
        &mut self,
        id: i64,
        story: &NewStory,
        took_over: Option<i64>,
    ) -> Vec<(i64, i64)> {
        let Some(lang) = story.lang.as_deref().and_then(Lang::from_code) else {
            return Vec::new();
        };
        let published = story.published_at.unwrap_or(story.fetched_at).timestamp();
        self.index
            .forget_before(Utc::now().timestamp() - 2 * self.index.matcher().window_secs());
        let found = self.index.insert(
            id as u64,
            &CrossLangReport {
                title: &story.headline,
                body: &story.body_text,
                lang,
                published_unix: Some(published),
            },
        );
        let mut writes = Vec::new();
        let group = match took_over.and_then(|p| self.groups.get(&p).copied()) {
            Some(g) => g,
            None => {
                let Some(best) = found.first() else {
                    return writes;
                };
                let other = best.id as i64;
                tracing::debug!(
                    story = id,
                    other,
                    score = best.decision.score,
                    reasons = ?best.decision.reasons,
                    "same event in another language"
                );
                match self.groups.get(&other) {
                    Some(&g) => g,
                    None => {
                        self.groups.insert(other, other);
                        writes.push((other, other));
                        other
                    }
                }
            }
        };
        self.groups.insert(id, group);
        writes.push((id, group));
        writes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn fresh() -> AcrossLanguages {
        AcrossLanguages {
            index: CrossLangIndex::new(CrossLangMatcher::bundled().expect("bundled matcher")),
            groups: HashMap::new(),
        }
    }

    /// The latest 08:30 UTC (noon in Tehran) before now: the reports are
    /// dated back from it, so a weekday they name ("on Tuesday") resolves
    /// to one day on both sides whatever the hour the test runs at (from
    /// `Utc::now()` itself, the reports straddled Tehran's midnight in the
    /// evening and named days a week apart).
    fn noon_in_tehran() -> chrono::DateTime<Utc> {
        let now = Utc::now();
        let noon = now
            .date_naive()
            .and_hms_opt(8, 30, 0)
            .expect("valid time")
            .and_utc();
        if noon > now {
            noon - chrono::Duration::days(1)
        } else {
            noon
        }
    }

    fn report(lang: &str, hours_ago: i64, headline: &str, body: &str) -> NewStory {
        let at = noon_in_tehran() - chrono::Duration::hours(hours_ago);
        NewStory {
            lang: Some(lang.into()),
            headline: headline.into(),
            body_text: body.into(),
            published_at: Some(at),
            fetched_at: Utc.timestamp_opt(at.timestamp(), 0).unwrap(),
            ..Default::default()
        }
    }

    fn quake_en() -> NewStory {
        report(
            "en",
            5,
            "Magnitude 5.6 earthquake strikes Kerman province, 3 killed",
            "A magnitude 5.6 earthquake struck near the city of Kerman in southeastern Iran on \
             Tuesday, killing three people and injuring 41, the Red Crescent said. Rescue teams \
             were sent to villages south of Kerman where several mud-brick homes collapsed.",
        )
    }

    fn quake_fa() -> NewStory {
        report(
            "fa",
            4,
            "زلزله ۵.۶ ریشتری در کرمان سه کشته برجای گذاشت",
            "زمین‌لرزه‌ای به بزرگی ۵.۶ ریشتر روز سه‌شنبه حوالی شهر کرمان را لرزاند. به گفته \
             جمعیت هلال احمر در این زلزله سه نفر جان باختند و ۴۱ نفر زخمی شدند. گروه‌های امداد \
             به روستاهای جنوب کرمان اعزام شدند که چند خانه خشتی در آنها فرو ریخت.",
        )
    }

    #[test]
    fn the_same_event_in_persian_joins_the_english_report() {
        let mut across = fresh();
        assert!(
            across.place(1, &quake_en(), None).is_empty(),
            "nothing to meet yet"
        );
        assert_eq!(across.place(2, &quake_fa(), None), vec![(1, 1), (2, 1)]);
        // A fuller English report that took the group over from story 1
        // stays in its group.
        assert_eq!(across.place(3, &quake_en(), Some(1)), vec![(3, 1)]);
    }

    #[test]
    fn another_event_in_the_same_city_stays_apart() {
        let mut across = fresh();
        across.place(1, &quake_en(), None);
        let other = report(
            "fa",
            3,
            "افتتاح نمایشگاه کتاب کرمان با حضور استاندار",
            "بیست‌وپنجمین نمایشگاه کتاب استان کرمان روز سه‌شنبه با حضور استاندار کرمان در محل \
             نمایشگاه‌های بین‌المللی این شهر گشایش یافت. در این نمایشگاه ۳۰۰ ناشر آثار خود را \
             عرضه کرده‌اند.",
        );
        assert!(across.place(2, &other, None).is_empty());
    }

    #[test]
    fn a_language_the_matcher_does_not_read_is_left_alone() {
        let mut across = fresh();
        across.place(1, &quake_en(), None);
        let mut german = quake_en();
        german.lang = Some("de".into());
        assert!(across.place(2, &german, None).is_empty());
        let mut unknown = quake_fa();
        unknown.lang = None;
        assert!(across.place(3, &unknown, None).is_empty());
    }
}

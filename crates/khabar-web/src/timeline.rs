//! How a story unfolded: who reported it first and when, the later reports
//! and copies, and each revision of the text with what changed.
//!
//! Readers of a running story ask what is new since they last looked and
//! who had it first; the store already keeps every outlet's report and each
//! earlier text of a report, so the story page lays them out in time order.
//! A revision is shown as a word diff of the passages that changed, a few
//! words of context around each, never the whole text twice.

use chrono::{DateTime, Utc};
use khabar_model::{StoredStory, StoryStatus};
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::view;

/// Words of unchanged text kept on each side of a change.
const CONTEXT_WORDS: usize = 6;
/// Changed passages shown per revision; the rest are counted.
const MAX_PASSAGES: usize = 5;

/// One moment of the story's timeline.
#[derive(Debug, Serialize, PartialEq)]
pub struct Moment {
    /// `first` (the earliest report), `report` (a later outlet),
    /// `revision` (a report's text replaced by a newer version) or
    /// `correction` (a revision that added a correction notice).
    pub kind: &'static str,
    /// The correction notice a correction added, as the source wrote it.
    pub notice: Option<String>,
    pub time_iso: String,
    pub source_name: String,
    /// khabar's page of that report (reports only).
    pub href: Option<String>,
    /// The report at its source (reports only).
    pub url: Option<String>,
    /// The headline before a revision, when the revision changed it.
    pub headline_before: Option<String>,
    pub words_added: usize,
    pub words_removed: usize,
    /// The changed passages of a revision, in text order.
    pub passages: Vec<Vec<Piece>>,
    /// Changed passages not shown.
    pub more_passages: usize,
}

/// A run of text in a changed passage: kept, removed or added.
#[derive(Debug, Serialize, PartialEq)]
pub struct Piece {
    /// `same`, `del` or `ins`.
    pub tag: &'static str,
    pub text: String,
}

/// An earlier text of a report: when it was replaced, its headline and body.
pub type Version = (DateTime<Utc>, String, String);

/// The timeline of a story: `reports` are the primary and its copies (any
/// order; unpublished ones are left out), `versions` the primary's earlier
/// texts, oldest first, as the store keeps them. Empty when there is
/// nothing to tell beyond the page itself (one report, never revised).
pub fn timeline(
    primary: &StoredStory,
    reports: &[StoredStory],
    versions: &[Version],
) -> Vec<Moment> {
    let mut moments: Vec<(DateTime<Utc>, Moment)> = Vec::new();
    let mut shown: Vec<&StoredStory> = reports
        .iter()
        .filter(|r| r.status == StoryStatus::Published)
        .collect();
    shown.sort_by_key(|r| (r.display_time(), r.id));
    shown.dedup_by_key(|r| r.id);
    for (i, r) in shown.iter().enumerate() {
        let t = r.display_time();
        moments.push((
            t,
            Moment {
                kind: if i == 0 { "first" } else { "report" },
                time_iso: t.to_rfc3339(),
                source_name: r.source_name.clone(),
                href: Some(view::story_path(r)),
                url: Some(view::original_url(r)),
                ..Moment::empty()
            },
        ));
    }
    // Each version is the text that was replaced at its time; the text that
    // replaced it is the next version, or the story as it is now.
    let current = (primary.headline.as_str(), primary.body_text.as_str());
    for (i, (at, headline, body)) in versions.iter().enumerate() {
        let (next_headline, next_body) = versions
            .get(i + 1)
            .map_or(current, |(_, h, b)| (h.as_str(), b.as_str()));
        let mut m = revision(body, next_body);
        m.time_iso = at.to_rfc3339();
        m.source_name = primary.source_name.clone();
        if headline.trim() != next_headline.trim() {
            m.headline_before = Some(headline.clone());
        }
        // A notice the new text has and the old one did not: a correction.
        let notice_in = |h: &str, b: &str| {
            khabar_text::correction_notice(h)
                .or_else(|| khabar_text::correction_notice(b))
                .map(str::to_string)
        };
        let added = notice_in(next_headline, next_body);
        if added.is_some() && added != notice_in(headline, body) {
            m.kind = "correction";
            m.notice = added;
        }
        moments.push((*at, m));
    }
    if moments.len() < 2 {
        return Vec::new();
    }
    moments.sort_by_key(|(t, _)| *t);
    moments.into_iter().map(|(_, m)| m).collect()
}

impl Moment {
    fn empty() -> Moment {
        Moment {
            kind: "report",
            time_iso: String::new(),
            source_name: String::new(),
            href: None,
            url: None,
            headline_before: None,
            notice: None,
            words_added: 0,
            words_removed: 0,
            passages: Vec::new(),
            more_passages: 0,
        }
    }
}

/// The word diff of one revision, as passages with a little context.
fn revision(old: &str, new: &str) -> Moment {
    let diff = TextDiff::from_words(old, new);
    let mut m = Moment {
        kind: "revision",
        ..Moment::empty()
    };
    for group in diff.grouped_ops(CONTEXT_WORDS) {
        let mut passage: Vec<Piece> = Vec::new();
        for op in &group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    ChangeTag::Equal => "same",
                    ChangeTag::Delete => "del",
                    ChangeTag::Insert => "ins",
                };
                let text = change.value();
                if !text.trim().is_empty() {
                    match tag {
                        "del" => m.words_removed += 1,
                        "ins" => m.words_added += 1,
                        _ => {}
                    }
                }
                match passage.last_mut() {
                    Some(last) if last.tag == tag => last.text.push_str(text),
                    _ => passage.push(Piece {
                        tag,
                        text: text.to_string(),
                    }),
                }
            }
        }
        if m.passages.len() < MAX_PASSAGES {
            m.passages.push(passage);
        } else {
            m.more_passages += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 13, h, 0, 0).unwrap()
    }

    fn report(id: i64, source: &str, hour: u32) -> StoredStory {
        StoredStory {
            id,
            source_name: source.into(),
            headline: format!("Report {id}"),
            url: format!("https://{source}.example/{id}"),
            canonical_url: format!("https://{source}.example/{id}"),
            published_at: Some(at(hour)),
            status: StoryStatus::Published,
            ..Default::default()
        }
    }

    #[test]
    fn reports_in_time_order_with_the_first_named() {
        let primary = report(1, "wire", 9);
        let reports = [
            primary.clone(),
            report(2, "paper", 8),
            report(3, "radio", 11),
        ];
        let t = timeline(&primary, &reports, &[]);
        let got: Vec<(&str, &str)> = t.iter().map(|m| (m.kind, m.source_name.as_str())).collect();
        assert_eq!(
            got,
            [("first", "paper"), ("report", "wire"), ("report", "radio")]
        );
        assert_eq!(t[0].url.as_deref(), Some("https://paper.example/2"));
    }

    #[test]
    fn a_lone_unrevised_report_has_no_timeline() {
        let primary = report(1, "wire", 9);
        assert!(timeline(&primary, std::slice::from_ref(&primary), &[]).is_empty());
        let mut hidden = report(2, "paper", 8);
        hidden.status = StoryStatus::Hidden;
        assert!(timeline(&primary, &[primary.clone(), hidden], &[]).is_empty());
    }

    #[test]
    fn a_revision_shows_what_changed_with_context() {
        let mut primary = report(1, "wire", 9);
        primary.headline = "Blast in Bandar Abbas kills 14".into();
        primary.body_text =
            "An explosion hit the Shahid Rajaee port on Saturday, killing 14 people and injuring hundreds, officials said."
                .into();
        let versions = [(
            at(10),
            "Blast in Bandar Abbas".to_string(),
            "An explosion hit the Shahid Rajaee port on Saturday, officials said.".to_string(),
        )];
        let t = timeline(&primary, std::slice::from_ref(&primary), &versions);
        assert_eq!(t.len(), 2);
        let rev = &t[1];
        assert_eq!(rev.kind, "revision");
        assert_eq!(
            rev.headline_before.as_deref(),
            Some("Blast in Bandar Abbas")
        );
        assert_eq!((rev.words_added, rev.words_removed), (6, 0));
        let added: String = rev.passages[0]
            .iter()
            .filter(|p| p.tag == "ins")
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(added.trim(), "killing 14 people and injuring hundreds,");
        // Context, not the whole text: the opening words are left out.
        let shown: String = rev.passages[0].iter().map(|p| p.text.as_str()).collect();
        assert!(!shown.contains("An explosion"), "{shown}");
    }

    #[test]
    fn several_revisions_chain_to_the_current_text() {
        let mut primary = report(1, "wire", 9);
        primary.body_text = "Three dead.".into();
        let versions = [
            (at(10), primary.headline.clone(), "One dead.".to_string()),
            (at(12), primary.headline.clone(), "Two dead.".to_string()),
        ];
        let t = timeline(&primary, std::slice::from_ref(&primary), &versions);
        let changes: Vec<(String, String)> = t[1..]
            .iter()
            .map(|m| {
                let pick = |tag| {
                    m.passages[0]
                        .iter()
                        .filter(|p| p.tag == tag)
                        .map(|p| p.text.trim().to_string())
                        .collect::<String>()
                };
                (pick("del"), pick("ins"))
            })
            .collect();
        assert_eq!(
            changes,
            [("One".into(), "Two".into()), ("Two".into(), "Three".into())]
        );
    }

    #[test]
    fn a_revision_that_adds_a_correction_notice_is_a_correction() {
        let mut primary = report(1, "wire", 9);
        primary.body_text = "Iran said on Monday it would resume talks.\n\
            (Corrects day of the announcement to Monday, not Tuesday)"
            .into();
        let versions = [(
            at(10),
            primary.headline.clone(),
            "Iran said on Tuesday it would resume talks.".to_string(),
        )];
        let t = timeline(&primary, std::slice::from_ref(&primary), &versions);
        assert_eq!(t[1].kind, "correction");
        assert_eq!(
            t[1].notice.as_deref(),
            Some("(Corrects day of the announcement to Monday, not Tuesday)")
        );
        // A later update of a text that already carried the notice is an
        // ordinary revision.
        let mut later = primary.clone();
        later.body_text = format!("{}\nTalks start in Oman.", primary.body_text);
        let versions = [(at(11), primary.headline.clone(), primary.body_text.clone())];
        let t = timeline(&later, std::slice::from_ref(&later), &versions);
        assert_eq!(t[1].kind, "revision");
        assert_eq!(t[1].notice, None);
    }
}

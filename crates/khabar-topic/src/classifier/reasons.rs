//! Human-readable reasons: each feature's contribution to the score,
//! worded with the evidence behind it, strongest first.

use super::{Scored, TopicClassifier};
use crate::evidence::*;

/// How many reasons a decision carries.
const MAX_REASONS: usize = 5;

fn pct(num: u32, den: u32) -> u32 {
    if den == 0 {
        0
    } else {
        (100.0 * num as f32 / den as f32).round() as u32
    }
}

pub(crate) fn explain(c: &TopicClassifier, s: &Scored) -> Vec<String> {
    let comp = c.compiled();
    let name = comp.topic_name.as_str();
    let label = |i: usize| comp.labels.get(i).map_or("?", |l| l.as_str());
    let ev = &s.ev;
    let w = &c.model().weights;
    let mut out: Vec<(f32, String)> = Vec::new();
    if ev.mentions == 0 {
        out.push((f32::INFINITY, format!("no {name} terms found")));
    }
    for (f, &x) in ev.x.iter().enumerate() {
        if x == 0.0 {
            continue;
        }
        let mut contrib = w[f] * x;
        if f == F_HEADLINE_SUBJECT {
            // Said with the headline reason.
            continue;
        }
        if f == F_HEADLINE {
            contrib += w[F_HEADLINE_SUBJECT] * ev.x[F_HEADLINE_SUBJECT];
        }
        let text = match f {
            F_HEADLINE => ev.headline_term.map(|l| match ev.headline_subject {
                Some(sl) => format!(
                    "headline mentions \"{}\": {name} (\"{}\") is the subject of the headline",
                    label(l),
                    label(sl)
                ),
                None => format!("headline mentions \"{}\"", label(l)),
            }),
            F_DATELINE => ev
                .dateline_term
                .map(|l| format!("dateline names \"{}\"", label(l))),
            F_LEAD => ev
                .lead_term
                .map(|l| format!("lead paragraph mentions \"{}\"", label(l))),
            F_MENTIONS => Some(format!("{} mentions of {name} terms", ev.mentions)),
            F_MENTIONED => {
                let top: Vec<String> = ev
                    .top_terms
                    .iter()
                    .take(3)
                    .map(|&l| format!("\"{}\"", label(l)))
                    .collect();
                Some(format!("mentions {name}: {}", top.join(", ")))
            }
            F_DENSITY => Some(format!(
                "{:.1} {name} mentions per 100 words",
                x.exp() - 1.0
            )),
            F_PARA_SHARE => Some(format!(
                "{}% of paragraphs mention {name} terms ({} of {})",
                pct(ev.paras_with, ev.n_paras),
                ev.paras_with,
                ev.n_paras
            )),
            F_SENT_SHARE => Some(format!(
                "{}% of sentences mention {name} terms ({} of {})",
                pct(ev.sents_with, ev.n_sents),
                ev.sents_with,
                ev.n_sents
            )),
            F_EARLY => match (ev.headline_term, ev.first_word) {
                (None, Some(wd)) => Some(format!(
                    "first mention at word {} of {}",
                    wd + 1,
                    ev.body_words
                )),
                _ => None,
            },
            F_DOMINANCE => Some(match ev.top_competitor {
                Some((l, n)) => format!(
                    "{name} terms are {}% of country mentions (most named other: \"{}\" ×{n})",
                    (100.0 * x).round(),
                    label(l)
                ),
                None => format!("{name} is the only country named"),
            }),
            F_TOP_COUNTRY => match ev.top_competitor {
                Some((l, n)) if x < 0.0 => Some(format!(
                    "\"{}\" is named more often than {name} ({n} vs {})",
                    label(l),
                    ev.mentions
                )),
                _ => Some(format!("{name} is named more often than any other country")),
            },
            F_PASSING => Some(match ev.top_competitor {
                Some((l, n)) if !ev.list_only => format!(
                    "only a passing mention: \"{}\" named {n} times, {name} once",
                    label(l)
                ),
                _ => format!(
                    "only a passing mention: one of {} countries listed",
                    ev.list_size.max(3)
                ),
            }),
            F_ENTITIES => {
                let names: Vec<String> = ev
                    .entity_terms
                    .iter()
                    .take(4)
                    .map(|&l| format!("\"{}\"", label(l)))
                    .collect();
                Some(format!(
                    "names {name}'s people, places or institutions: {}",
                    names.join(", ")
                ))
            }
            F_OTHER_HEADLINE => ev
                .headline_competitor
                .map(|l| format!("headline is about another country (\"{}\")", label(l))),
            F_WEAK => Some(format!(
                "{} word{} that in its own press mean{} {name} (\"the country\", \"the government\"...), no other country named",
                ev.weak_mentions,
                if ev.weak_mentions == 1 { "" } else { "s" },
                if ev.weak_mentions == 1 { "s" } else { "" }
            )),
            F_FIRST_SENT => ev
                .first_sent_term
                .map(|l| format!("first sentence names \"{}\"", label(l))),
            F_SUBJECT_SHARE => Some(format!(
                "{name}'s actors are the subject of {} of {} sentences{}",
                ev.subject_sents.len(),
                ev.n_sents,
                ev.subject_term
                    .map(|l| format!(" (\"{}\")", label(l)))
                    .unwrap_or_default()
            )),
            F_TOPIC_SHARE => Some(format!(
                "{}% of sentences are on {name} ({} name it{})",
                pct(ev.sents_with + ev.reference_sents.len() as u32, ev.n_sents),
                ev.sents_with,
                ev.reference_term
                    .map(|l| format!(
                        ", {} refer back to it: \"{}\"",
                        ev.reference_sents.len(),
                        label(l)
                    ))
                    .unwrap_or_default()
            )),
            F_TOPIC_RUN => {
                let refs = ev
                    .reference_term
                    .map(|l| format!(", counting those that refer back to it (\"{}\")", label(l)))
                    .unwrap_or_default();
                Some(match ev.topic_run {
                    1 => format!("longest passage on {name}: 1 sentence"),
                    n => format!("longest passage on {name}: {n} sentences in a row{refs}"),
                })
            }
            F_PASSING_PHRASE => ev.passing_phrase.map(|l| {
                format!(
                    "only a passing mention: \"{}\" does not make {name} an actor",
                    label(l)
                )
            }),
            _ => None,
        };
        if let Some(t) = text {
            out.push((contrib, t));
        }
    }
    if let Some((lang, shift)) = &s.prior {
        let p = c.model().language_priors.get(lang).copied().unwrap_or(0.0);
        out.push((
            *shift,
            format!(
                "{lang}-language press: {:.0}% of stories expected about {name}",
                100.0 * p
            ),
        ));
    }
    if !s.vocab_hits.is_empty() {
        let mut words: Vec<(&str, f32)> = s.vocab_hits.iter().map(|&h| c.vocab_word(h)).collect();
        words.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let total: f32 = words.iter().map(|(_, w)| w).sum();
        let shown: Vec<String> = words
            .iter()
            .take(4)
            .map(|(wd, wt)| format!("{wd} {wt:+.1}"))
            .collect();
        out.push((total, format!("context words: {}", shown.join(", "))));
    }
    out.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    // Where the topic stands (headline, dateline) and which of its terms
    // were found are always said: they are the reasons an editor reads
    // first.
    let found = format!("mentions {name}:");
    let placed = |t: &str| {
        t.starts_with("headline mentions")
            || t.starts_with("dateline names")
            || t.starts_with(found.as_str())
    };
    let mut kept: Vec<(f32, String)> = Vec::new();
    let mut rest: Vec<(f32, String)> = Vec::new();
    for (i, r) in out.into_iter().enumerate() {
        if i < MAX_REASONS {
            kept.push(r);
        } else if placed(&r.1) {
            rest.push(r);
        }
    }
    kept.extend(rest);
    kept.into_iter()
        .map(|(contrib, t)| {
            if contrib.is_finite() {
                format!("{t} ({contrib:+.1})")
            } else {
                t
            }
        })
        .collect()
}

//! The labelled evaluation of copy detection on real Reuters text (see
//! `docs/bench/dedup.md`): (a) hand-labelled re-issue/correction pairs,
//! (b) syndicated variants made by a seeded perturbation of real stories,
//! (c) different stories of the same day, places and topics.
//!
//! All three are measured on one index holding the whole corpus (15,390
//! stories) plus the variants, inserted in publication order, so grouping
//! (not just a pairwise score) is what is judged.

mod common;

use std::collections::{BTreeMap, HashSet};

use common::{Rng, Story, labelled_pairs, paragraphs, reuters, syndicate};
use khabar_dedup::{DedupConfig, DedupIndex, Signature, StoryMeta};

const VARIANT_ID_BASE: u64 = 10_000_000;

struct Run {
    index: DedupIndex,
    /// (variant id, source id)
    variants: Vec<(u64, u64)>,
}

fn build(stories: &[Story]) -> Run {
    let mut rng = Rng::new(0x5EED_0001);
    // Sources for (b): real stories long enough to be syndicated.
    let candidates: Vec<&Story> = stories
        .iter()
        .filter(|s| paragraphs(&s.body).len() >= 5 && khabar_text::word_count(&s.body) >= 150)
        .collect();
    let mut extra: Vec<(u64, u64, String, String, Option<i64>)> = Vec::new();
    let mut next = VARIANT_ID_BASE;
    for _ in 0..400 {
        let src = candidates[rng.below(candidates.len())];
        let filler = candidates[rng.below(candidates.len())];
        for _ in 0..2 {
            let (t, b) = syndicate(&src.title, &src.body, &filler.body, &mut rng);
            let delay = 60 * (5 + rng.below(600)) as i64;
            extra.push((next, src.id, t, b, src.published.map(|p| p + delay)));
            next += 1;
        }
    }
    let mut order: Vec<(i64, u64, &str, &str)> = stories
        .iter()
        .map(|s| {
            (
                s.published.unwrap_or(0),
                s.id,
                s.title.as_str(),
                s.body.as_str(),
            )
        })
        .collect();
    order.extend(
        extra
            .iter()
            .map(|(id, _, t, b, p)| (p.unwrap_or(0), *id, t.as_str(), b.as_str())),
    );
    order.sort_by_key(|o| (o.0, o.1));
    let mut index = DedupIndex::new(DedupConfig::default());
    for (t, id, title, body) in order {
        let meta = StoryMeta {
            published_unix: Some(t),
            body_len: body.chars().count(),
            source: None,
        };
        index.insert(id, Signature::of(title, body), meta);
    }
    Run {
        index,
        variants: extra.iter().map(|e| (e.0, e.1)).collect(),
    }
}

#[test]
fn copy_detection_meets_the_floors_on_real_text() {
    let stories = reuters();
    assert!(stories.len() > 15_000, "corpus incomplete");
    let run = build(&stories);
    let same = |a: u64, b: u64| {
        run.index.group_of(a).is_some() && run.index.group_of(a) == run.index.group_of(b)
    };

    // (a) Hand-labelled real pairs.
    let pairs = labelled_pairs();
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    let mut false_merges = Vec::new();
    for &(a, b, copy) in &pairs {
        match (copy, same(a, b)) {
            (true, true) => tp += 1,
            (false, true) => {
                fp += 1;
                false_merges.push((a, b));
            }
            (true, false) => {
                fneg += 1;
                misses.push((a, b));
            }
            _ => {}
        }
    }
    let precision_a = tp as f64 / (tp + fp).max(1) as f64;
    let recall_a = tp as f64 / (tp + fneg).max(1) as f64;
    println!(
        "(a) labelled Reuters pairs: {} pairs ({} copies): precision {precision_a:.4}, recall {recall_a:.4} (tp {tp}, fp {fp}, fn {fneg})",
        pairs.len(),
        tp + fneg
    );
    println!(
        "    false merges (first 20): {:?}",
        &false_merges[..false_merges.len().min(20)]
    );
    println!(
        "    misses (first 60): {:?}",
        &misses[..misses.len().min(60)]
    );

    // (b) Syndicated variants.
    let found = run.variants.iter().filter(|(v, s)| same(*v, *s)).count();
    let recall_b = found as f64 / run.variants.len() as f64;
    println!(
        "(b) syndicated variants: {} of {} grouped with their source: recall {recall_b:.4}",
        found,
        run.variants.len()
    );

    // (c) Same day, same places, same topics, different reports.
    let copies: HashSet<(u64, u64)> = pairs
        .iter()
        .filter(|p| p.2)
        .map(|p| (p.0.min(p.1), p.0.max(p.1)))
        .collect();
    let mut buckets: BTreeMap<(String, Vec<String>, Vec<String>), Vec<u64>> = BTreeMap::new();
    for s in stories
        .iter()
        .filter(|s| !s.topics.is_empty() && !s.places.is_empty() && !s.body.trim().is_empty())
    {
        let mut p = s.places.clone();
        p.sort();
        let mut t = s.topics.clone();
        t.sort();
        buckets.entry((s.day.clone(), p, t)).or_default().push(s.id);
    }
    let (mut negatives, mut kept_apart) = (0usize, 0usize);
    let mut merged = Vec::new();
    for ids in buckets.values() {
        for i in 0..ids.len() {
            for j in i + 1..ids.len() {
                let key = (ids[i].min(ids[j]), ids[i].max(ids[j]));
                if copies.contains(&key) {
                    continue;
                }
                negatives += 1;
                if same(ids[i], ids[j]) {
                    merged.push(key);
                } else {
                    kept_apart += 1;
                }
            }
        }
    }
    let apart = kept_apart as f64 / negatives.max(1) as f64;
    println!(
        "(c) same-day same-topic different stories: {negatives} pairs, kept apart {apart:.4} ({} merged)",
        merged.len()
    );
    println!(
        "    merged (first 20): {:?}",
        &merged[..merged.len().min(20)]
    );

    // Related coverage: a story in an event should be about the same
    // places as the event's first story (Reuters editors' `places`).
    let by_id = common::by_id(&stories);
    let (mut in_events, mut coherent) = (0usize, 0usize);
    for s in &stories {
        let Some(e) = run.index.event_of(s.id) else {
            continue;
        };
        let Some(f) = by_id.get(&e) else { continue };
        if e == s.id || s.places.is_empty() || f.places.is_empty() {
            continue;
        }
        in_events += 1;
        coherent += s.places.iter().any(|p| f.places.contains(p)) as usize;
    }
    let coherence = coherent as f64 / in_events.max(1) as f64;
    let (groups, events) = run.index.counts();
    println!(
        "events: {events} over {groups} groups; {in_events} stories joined an event, {coherence:.4} share a place with its first story"
    );
    assert!(in_events > 500, "too few stories in events: {in_events}");
    assert!(coherence >= 0.9, "event coherence {coherence}");

    assert!(
        pairs.len() > 1000 && tp + fneg > 300,
        "labelled set too small"
    );
    assert!(negatives > 10_000, "too few hard negatives: {negatives}");
    // The project targets: precision >= 0.99 and recall >= 0.95 on the
    // hand-labelled Reuters pairs (reached: 0.991 / 0.952, see
    // docs/bench/dedup.md).
    assert!(precision_a >= 0.99, "precision {precision_a}");
    assert!(recall_a >= 0.95, "recall on labelled pairs {recall_a}");
    assert!(recall_b >= 0.95, "recall on syndicated variants {recall_b}");
    assert!(apart >= 0.99, "hard negatives kept apart {apart}");
}

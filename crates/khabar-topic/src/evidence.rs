//! Turns a story into evidence: where topic terms stand, how much of the
//! story they cover, and how they compare with other countries. The
//! numbers here are the model's features; the rest explains them.

use rustc_hash::FxHashMap;

use crate::definition::TopicDefinition;
use crate::document::{Document, Zone};
use crate::lexicon::{Lexicon, Match, term_tokens};

/// Kinds of gazetteer evidence. `Weak` never counts as a mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Country = 0,
    Place = 1,
    Institution = 2,
    Person = 3,
    Event = 4,
    Weak = 5,
    Competitor = 6,
    /// A phrase where an Iran word does not make Iran an actor
    /// ("Iranian-American", "Persian rug").
    Passing = 7,
    /// Waters shared with other states ("Persian Gulf"): no evidence.
    Water = 8,
    /// A word that refers back to Iran or one of its affairs once the story
    /// has named them ("the scandal", "the offensive"): not a mention by
    /// itself, it keeps a sentence on the topic.
    Reference = 9,
}

impl Kind {
    fn from_u32(v: u32) -> Kind {
        match v {
            0 => Kind::Country,
            1 => Kind::Place,
            2 => Kind::Institution,
            3 => Kind::Person,
            4 => Kind::Event,
            5 => Kind::Weak,
            7 => Kind::Passing,
            8 => Kind::Water,
            9 => Kind::Reference,
            _ => Kind::Competitor,
        }
    }
}

/// Names of the structural features, in vector order. Stored in the model
/// file so a model trained with another feature set is refused.
pub const FEATURE_NAMES: [&str; 21] = [
    "headline",
    "dateline",
    "lead",
    "mentions",
    "density",
    "paragraph_share",
    "sentence_share",
    "early",
    "dominance",
    "top_country",
    "passing",
    "entities",
    "other_headline",
    "mentioned",
    "weak",
    "first_sentence",
    "headline_subject",
    "subject_share",
    "passing_phrase",
    "topic_share",
    "topic_run",
];
pub const N_FEATURES: usize = FEATURE_NAMES.len();
pub const F_HEADLINE: usize = 0;
pub const F_DATELINE: usize = 1;
pub const F_LEAD: usize = 2;
pub const F_MENTIONS: usize = 3;
pub const F_DENSITY: usize = 4;
pub const F_PARA_SHARE: usize = 5;
pub const F_SENT_SHARE: usize = 6;
pub const F_EARLY: usize = 7;
pub const F_DOMINANCE: usize = 8;
pub const F_TOP_COUNTRY: usize = 9;
pub const F_PASSING: usize = 10;
pub const F_ENTITIES: usize = 11;
pub const F_OTHER_HEADLINE: usize = 12;
/// Any mention at all (the step from none to one is the biggest).
pub const F_MENTIONED: usize = 13;
pub const F_WEAK: usize = 14;
/// An actor in the first sentence of the body.
pub const F_FIRST_SENT: usize = 15;
/// An actor is the grammatical subject of the headline.
pub const F_HEADLINE_SUBJECT: usize = 16;
/// Share of body sentences whose subject is an actor.
pub const F_SUBJECT_SHARE: usize = 17;
/// Iran words only in phrases that do not make Iran an actor
/// ("Iranian-American", "Persian rug") and no actor mention besides.
pub const F_PASSING_PHRASE: usize = 18;
/// Share of body sentences on the topic: those that name an actor, and
/// those that refer back to one named before ("the scandal", "the war").
/// A story can name Iran once and then follow its affair for ten
/// sentences; one that names it in a clause of background does not.
pub const F_TOPIC_SHARE: usize = 19;
/// Longest run of consecutive body sentences on the topic (log scale): a
/// passage that follows Iran for several sentences, even late in a story
/// about something else, is part of the news; scattered clauses are not.
pub const F_TOPIC_RUN: usize = 20;

/// The sign each feature's weight must have, when it has one: evidence
/// that can only speak for (+1) or against (-1) the topic. Training fixes
/// a weight at zero rather than let correlated features flip its meaning
/// (a reason reading "names Iran's institutions (-1.1)" would be nonsense).
pub const FEATURE_SIGNS: [i8; N_FEATURES] = [
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 1, -1, 1, 1, 1, 1, 1, -1, 1, 1,
];

/// Payload layout in the term lexicon: kind in the high byte, label index
/// below.
fn payload(kind: Kind, label: usize) -> u32 {
    ((kind as u32) << 24) | (label as u32 & 0x00FF_FFFF)
}
fn unpack(p: u32) -> (Kind, usize) {
    (Kind::from_u32(p >> 24), (p & 0x00FF_FFFF) as usize)
}

/// A definition compiled for matching.
pub(crate) struct Compiled {
    terms: Lexicon,
    /// Weak terms live apart so a weak phrase ("نمایندگان مجلس") never
    /// hides a strong one overlapping it ("مجلس شورای اسلامی").
    weak: Lexicon,
    /// Reference words live apart too: they must not hide an actor
    /// phrase that overlaps them ("arms sales" in "Iran arms sales").
    refs: Lexicon,
    /// Display label of each topic term / competitor country.
    pub labels: Vec<String>,
    /// Competitor index -> label index.
    tag_lex: Lexicon,
    pub tag_names: Vec<String>,
    pub topic_name: String,
}

impl Compiled {
    pub fn new(def: &TopicDefinition) -> Compiled {
        let mut terms = Lexicon::default();
        let mut weak = Lexicon::default();
        let mut refs = Lexicon::default();
        let mut labels = Vec::new();
        let g = &def.gazetteer;
        let groups = [
            (Kind::Country, &g.country),
            (Kind::Place, &g.place),
            (Kind::Institution, &g.institution),
            (Kind::Person, &g.person),
            (Kind::Event, &g.event),
            (Kind::Weak, &g.weak),
        ];
        for (kind, list) in groups {
            for t in list {
                labels.push(t.clone());
                let lex = if kind == Kind::Weak {
                    &mut weak
                } else {
                    &mut terms
                };
                lex.add(t, payload(kind, labels.len() - 1));
            }
        }
        for a in &def.actors {
            let kind = match a.kind.as_str() {
                "country" => Kind::Country,
                "place" => Kind::Place,
                "institution" => Kind::Institution,
                "person" => Kind::Person,
                "event" => Kind::Event,
                "passing" => Kind::Passing,
                "reference" => Kind::Reference,
                _ => Kind::Water,
            };
            labels.push(a.term.clone());
            let lex = if kind == Kind::Reference {
                &mut refs
            } else {
                &mut terms
            };
            lex.add(&a.term, payload(kind, labels.len() - 1));
        }
        for (country, names) in &def.competitors {
            labels.push(country.clone());
            let idx = labels.len() - 1;
            for n in names {
                terms.add(n, payload(Kind::Competitor, idx));
            }
        }
        let mut tag_lex = Lexicon::default();
        let mut tag_names = Vec::new();
        for (slug, words) in &def.tags {
            tag_names.push(slug.clone());
            for w in words {
                tag_lex.add(w, (tag_names.len() - 1) as u32);
            }
        }
        Compiled {
            terms,
            weak,
            refs,
            labels,
            tag_lex,
            tag_names,
            topic_name: def.name.clone(),
        }
    }

    /// Tag slugs whose keywords carry enough weight in the story: a
    /// headline hit counts 3, a lead hit 2, a body hit 1; a tag needs 3.
    pub fn tags(&self, doc: &Document) -> Vec<String> {
        let mut score = vec![0u32; self.tag_names.len()];
        self.tag_lex.scan(doc, |m| {
            let w = match doc.places[m.start].zone {
                Zone::Headline => 3,
                Zone::Lead | Zone::Dateline => 2,
                Zone::Body => 1,
            };
            score[m.payload as usize] += w;
        });
        let mut tagged: Vec<(u32, usize)> = score
            .iter()
            .enumerate()
            .filter(|(_, s)| **s >= 3)
            .map(|(i, s)| (*s, i))
            .collect();
        tagged.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        tagged
            .into_iter()
            .map(|(_, i)| self.tag_names[i].clone())
            .collect()
    }
}

/// The evidence found in one story.
#[derive(Debug, Clone, Default)]
pub(crate) struct Evidence {
    pub x: [f32; N_FEATURES],
    /// Label indices of topic terms in headline / dateline / lead.
    pub headline_term: Option<usize>,
    pub dateline_term: Option<usize>,
    pub lead_term: Option<usize>,
    pub headline_competitor: Option<usize>,
    /// Topic mentions (weak terms excluded).
    pub mentions: usize,
    pub weak_mentions: usize,
    /// Distinct topic labels, most frequent first.
    pub top_terms: Vec<usize>,
    /// Distinct people/institutions/places named.
    pub entity_terms: Vec<usize>,
    pub paras_with: u32,
    pub n_paras: u32,
    pub sents_with: u32,
    pub n_sents: u32,
    pub first_word: Option<usize>,
    pub body_words: usize,
    pub competitor_mentions: usize,
    /// Most-mentioned other country (label index, count).
    pub top_competitor: Option<(usize, usize)>,
    pub list_only: bool,
    /// One mention, not in headline or dateline, while another country is
    /// named at least twice.
    pub outnumbered: bool,
    /// Body sentences that mention the topic (sorted, distinct).
    pub mention_sents: Vec<u32>,
    /// Countries in the longest list the topic is named in.
    pub list_size: usize,
    /// First topic term in the first body sentence.
    pub first_sent_term: Option<usize>,
    /// Topic term that is the subject of the headline.
    pub headline_subject: Option<usize>,
    /// First topic term that is the subject of a body sentence.
    pub subject_term: Option<usize>,
    /// Body sentences whose subject is a topic actor (sorted, distinct).
    pub subject_sents: Vec<u32>,
    /// First passing-mention phrase ("Iranian-American"), label index.
    pub passing_phrase: Option<usize>,
    /// Body sentences that name no actor but refer back to one named
    /// before them (sorted, distinct).
    pub reference_sents: Vec<u32>,
    /// First reference word of those sentences, label index.
    pub reference_term: Option<usize>,
    /// Longest run of consecutive body sentences on the topic.
    pub topic_run: u32,
}

/// Words that, right before an actor, make it the object of a preposition
/// rather than the subject ("arms sales to Iran", "در تهران").
const PREPOSITIONS: &[&str] = &[
    "to",
    "from",
    "in",
    "on",
    "at",
    "with",
    "against",
    "by",
    "of",
    "for",
    "into",
    "over",
    "about",
    "toward",
    "towards",
    "near",
    "off",
    "via",
    "than",
    "like",
    "between",
    "among",
    "including",
    "and",
    "or",
    "as",
    "under",
    "after",
    "before",
    "without",
    "through",
    "across",
    "به",
    "از",
    "در",
    "با",
    "برای",
    "علیه",
    "درباره",
    "بر",
    "تا",
    "و",
    "یا",
    "مانند",
    "بین",
];

/// English verbs that follow a subject in wire and headline style.
const VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "has",
    "have",
    "had",
    "is",
    "was",
    "were",
    "are",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "must",
    "should",
    "to",
    "plans",
    "plan",
    "launches",
    "launch",
    "attack",
    "attacks",
    "warns",
    "warn",
    "denies",
    "deny",
    "rejects",
    "reject",
    "accuses",
    "accuse",
    "seizes",
    "seize",
    "hits",
    "hit",
    "strikes",
    "strike",
    "fires",
    "fire",
    "vows",
    "calls",
    "call",
    "urges",
    "urge",
    "offers",
    "offer",
    "seeks",
    "seek",
    "buys",
    "buy",
    "sells",
    "sell",
    "raises",
    "raise",
    "cuts",
    "cut",
    "boosts",
    "sees",
    "see",
    "expects",
    "expect",
    "claims",
    "claim",
    "reports",
    "opens",
    "open",
    "shuts",
    "executes",
    "execute",
    "arrests",
    "arrest",
    "bans",
    "ban",
    "threatens",
    "threaten",
    "holds",
    "hold",
    "wins",
    "win",
    "signs",
    "sign",
    "agrees",
    "agree",
    "resumes",
    "resume",
    "halts",
    "halt",
    "suspends",
    "suspend",
    "gets",
    "wants",
    "want",
    "needs",
    "backs",
    "condemns",
    "condemn",
    "welcomes",
    "blames",
    "blame",
    "tests",
    "test",
    "unveils",
    "enriches",
    "retaliates",
    "responds",
    "summons",
    "expels",
    "frees",
    "releases",
    "sentences",
    "hangs",
    "tells",
    "told",
    "puts",
    "sets",
    "set",
    "takes",
    "took",
    "gives",
    "gave",
    "sends",
    "sent",
    "makes",
    "made",
    "asks",
    "asked",
    "keeps",
    "kept",
    "pumps",
    "produces",
    "exports",
    "imports",
    "ships",
    "pays",
    "paid",
    "owes",
    "meets",
    "met",
    "begins",
    "began",
    "ends",
    "ended",
    "stops",
];

fn is_verb(tok: &str) -> bool {
    VERBS.contains(&tok) || (tok.len() >= 5 && tok.ends_with("ed") && tok.is_ascii())
}

/// First token of the body sentence that holds token `i`.
fn sent_start(doc: &Document, i: usize) -> usize {
    let sent = doc.places[i].sent;
    let mut k = i;
    while k > doc.body_start && doc.places[k - 1].sent == sent && !doc.tok(k - 1).is_empty() {
        k -= 1;
    }
    k
}

/// An actor is the subject of its sentence when it opens it (at most
/// `max_before` words before it, the last not a preposition) and, in
/// English, a verb follows within four words. Persian puts the verb last,
/// so there the opening position is the test.
fn is_subject(doc: &Document, m: &Match, start: usize, max_before: usize) -> bool {
    if m.start < start || m.start - start > max_before {
        return false;
    }
    if m.start > start && PREPOSITIONS.contains(&doc.tok(m.start - 1)) {
        return false;
    }
    let first = doc.tok(m.start);
    if !first.is_ascii() {
        return true;
    }
    let zone = doc.places[m.start].zone;
    let sent = doc.places[m.start].sent;
    (m.start + m.len..(m.start + m.len + 4).min(doc.len()))
        .take_while(|&k| {
            !doc.tok(k).is_empty()
                && doc.places[k].sent == sent
                && (doc.places[k].zone == zone
                    || matches!(
                        (doc.places[k].zone, zone),
                        (Zone::Lead | Zone::Body, Zone::Lead | Zone::Body)
                    ))
        })
        .any(|k| is_verb(doc.tok(k)))
}

/// Matches within this many tokens of a topic mention, in the same
/// sentence, that name two or more other countries make it a list entry.
const LIST_WINDOW: usize = 5;

pub(crate) fn gather(compiled: &Compiled, doc: &Document) -> Evidence {
    let mut ev = Evidence {
        n_paras: doc.n_paras,
        n_sents: doc.n_sents,
        body_words: doc.body_words(),
        ..Evidence::default()
    };
    let mut topic: Vec<Match> = Vec::new();
    let mut competitors: Vec<Match> = Vec::new();
    let mut passing: Vec<Match> = Vec::new();
    let mut water: Vec<Match> = Vec::new();
    compiled.terms.scan(doc, |m| match unpack(m.payload).0 {
        Kind::Competitor => competitors.push(m),
        Kind::Passing => passing.push(m),
        Kind::Water => water.push(m),
        _ => topic.push(m),
    });
    // Weak words inside a strong phrase ("رهبر" in "رهبر جمهوری اسلامی")
    // are not separate evidence.
    let mut covered = vec![false; doc.len()];
    for m in topic.iter().chain(&passing).chain(&water) {
        covered[m.start..m.start + m.len]
            .iter_mut()
            .for_each(|c| *c = true);
    }
    let mut weak = 0usize;
    compiled.weak.scan(doc, |m| {
        if !covered[m.start] {
            weak += 1;
        }
    });
    ev.weak_mentions = weak;
    // References count once the story has named an actor: in the headline
    // or dateline (a story filed from Tehran is about Iran's "protests"),
    // or earlier in the body.
    let first_actor = topic.first().map(|m| match doc.places[m.start].zone {
        Zone::Headline | Zone::Dateline => 0,
        Zone::Lead | Zone::Body => m.start,
    });
    let mut refs: Vec<(u32, usize)> = Vec::new();
    if let Some(first) = first_actor {
        compiled.refs.scan(doc, |m| {
            let p = doc.places[m.start];
            if m.start > first && matches!(p.zone, Zone::Lead | Zone::Body) && !covered[m.start] {
                refs.push((p.sent, unpack(m.payload).1));
            }
        });
    }
    ev.mentions = topic.len();
    ev.competitor_mentions = competitors.len();

    let mut counts: FxHashMap<usize, usize> = FxHashMap::default();
    let mut last_para = u32::MAX;
    let mut last_sent = u32::MAX;
    let mut in_list = 0usize;
    let mut body_hits = 0usize;
    for m in &topic {
        let (kind, label) = unpack(m.payload);
        *counts.entry(label).or_default() += 1;
        if kind != Kind::Country && !ev.entity_terms.contains(&label) {
            ev.entity_terms.push(label);
        }
        let place = doc.places[m.start];
        match place.zone {
            Zone::Headline => {
                ev.headline_term.get_or_insert(label);
                if ev.headline_subject.is_none() && is_subject(doc, m, 0, 2) {
                    ev.headline_subject = Some(label);
                }
            }
            Zone::Dateline => {
                if matches!(kind, Kind::Place | Kind::Country) {
                    ev.dateline_term.get_or_insert(label);
                }
            }
            Zone::Lead | Zone::Body => {
                if place.zone == Zone::Lead {
                    ev.lead_term.get_or_insert(label);
                }
                body_hits += 1;
                if ev.first_word.is_none() {
                    let words = (doc.body_start..m.start)
                        .filter(|&k| !doc.tok(k).is_empty())
                        .count();
                    ev.first_word = Some(words);
                }
                if place.para != last_para {
                    ev.paras_with += 1;
                    last_para = place.para;
                }
                if place.sent != last_sent {
                    ev.sents_with += 1;
                    last_sent = place.sent;
                    ev.mention_sents.push(place.sent);
                }
                let near = competitors
                    .iter()
                    .filter(|c| {
                        c.start.abs_diff(m.start) <= LIST_WINDOW
                            && doc.places[c.start].sent == place.sent
                            && doc.places[c.start].zone != Zone::Headline
                    })
                    .count();
                if near >= 2 {
                    in_list += 1;
                    ev.list_size = ev.list_size.max(near + 1);
                }
                if place.sent == 0 {
                    ev.first_sent_term.get_or_insert(label);
                }
                if is_subject(doc, m, sent_start(doc, m.start), 3) {
                    ev.subject_term.get_or_insert(label);
                    if ev.subject_sents.last() != Some(&place.sent) {
                        ev.subject_sents.push(place.sent);
                    }
                }
            }
        }
    }
    // Sentences that also name an actor are counted as mentions already.
    refs.retain(|r| ev.mention_sents.binary_search(&r.0).is_err());
    // A reference in a sentence that names another country (and no Iran
    // actor) refers to that country's affair: "sanctions against South
    // Africa", "Chinese missiles".
    let other: Vec<u32> = competitors
        .iter()
        .filter(|c| matches!(doc.places[c.start].zone, Zone::Lead | Zone::Body))
        .map(|c| doc.places[c.start].sent)
        .collect();
    refs.retain(|r| !other.contains(&r.0));
    refs.dedup_by_key(|r| r.0);
    ev.reference_sents = refs.iter().map(|r| r.0).collect();
    ev.reference_term = refs.first().map(|r| r.1);
    ev.topic_run = longest_run(&ev.mention_sents, &ev.reference_sents);
    let mut by_count: Vec<(usize, usize)> = counts.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ev.top_terms = by_count.iter().map(|(l, _)| *l).collect();

    let mut comp_counts: FxHashMap<usize, usize> = FxHashMap::default();
    for c in &competitors {
        let (_, label) = unpack(c.payload);
        *comp_counts.entry(label).or_default() += 1;
        if doc.places[c.start].zone == Zone::Headline {
            ev.headline_competitor.get_or_insert(label);
        }
    }
    ev.top_competitor = comp_counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
    ev.list_only = body_hits > 0 && in_list == body_hits && ev.headline_term.is_none();
    let top_other = ev.top_competitor.map_or(0, |(_, c)| c);
    // A name followed by sentences that refer back to it ("Iran arms
    // sales ... the scandal ... immunity") is not a lone mention.
    ev.outnumbered = ev.mentions + ev.reference_sents.len() == 1
        && top_other >= 2
        && ev.headline_term.is_none()
        && ev.dateline_term.is_none();

    let n = ev.mentions as f32;
    let x = &mut ev.x;
    x[F_HEADLINE] = ev.headline_term.is_some() as u8 as f32;
    x[F_DATELINE] = ev.dateline_term.is_some() as u8 as f32;
    x[F_LEAD] = ev.lead_term.is_some() as u8 as f32;
    x[F_MENTIONS] = (1.0 + n).ln();
    let words = (0..doc.len())
        .filter(|&k| !doc.tok(k).is_empty())
        .count()
        .max(1) as f32;
    x[F_DENSITY] = (1.0 + 100.0 * n / words).ln();
    x[F_PARA_SHARE] = if ev.n_paras > 0 {
        ev.paras_with as f32 / ev.n_paras as f32
    } else {
        0.0
    };
    x[F_SENT_SHARE] = if ev.n_sents > 0 {
        ev.sents_with as f32 / ev.n_sents as f32
    } else {
        0.0
    };
    x[F_EARLY] = if ev.headline_term.is_some() {
        1.0
    } else {
        match ev.first_word {
            Some(w) if ev.body_words > 0 => 1.0 - w as f32 / ev.body_words as f32,
            _ => 0.0,
        }
    };
    if ev.mentions > 0 {
        x[F_DOMINANCE] = n / (n + ev.competitor_mentions as f32);
        let top_other = ev.top_competitor.map_or(0, |(_, c)| c);
        // +1 when the topic is named most, -1 when another country is.
        x[F_TOP_COUNTRY] = if ev.mentions >= top_other { 1.0 } else { -1.0 };
    }
    x[F_PASSING] = (ev.list_only || ev.outnumbered) as u8 as f32;
    x[F_ENTITIES] = (1.0 + ev.entity_terms.len() as f32).ln();
    x[F_OTHER_HEADLINE] =
        (ev.headline_term.is_none() && ev.headline_competitor.is_some()) as u8 as f32;
    x[F_MENTIONED] = (ev.mentions > 0) as u8 as f32;
    x[F_FIRST_SENT] = ev.first_sent_term.is_some() as u8 as f32;
    x[F_HEADLINE_SUBJECT] = ev.headline_subject.is_some() as u8 as f32;
    x[F_SUBJECT_SHARE] = if ev.n_sents > 0 {
        ev.subject_sents.len() as f32 / ev.n_sents as f32
    } else {
        0.0
    };
    if ev.n_sents > 0 {
        x[F_TOPIC_SHARE] =
            (ev.sents_with as usize + ev.reference_sents.len()) as f32 / ev.n_sents as f32;
    }
    x[F_TOPIC_RUN] = (1.0 + ev.topic_run as f32).ln();
    if !passing.is_empty() {
        ev.passing_phrase = Some(unpack(passing[0].payload).1);
        let p = passing.len() as f32;
        x[F_PASSING_PHRASE] = p / (p + n);
    }
    // Weak words ("the country", "the president") point home only when
    // no other country is named.
    if ev.competitor_mentions == 0 {
        x[F_WEAK] = (1.0 + weak as f32).ln();
    }
    ev
}

/// Longest run of consecutive sentence numbers in the union of two sorted
/// lists.
fn longest_run(a: &[u32], b: &[u32]) -> u32 {
    let mut all: Vec<u32> = a.iter().chain(b).copied().collect();
    all.sort_unstable();
    all.dedup();
    let (mut best, mut cur, mut prev) = (0u32, 0u32, None::<u32>);
    for s in all {
        cur = if prev.is_some_and(|p| p + 1 == s) {
            cur + 1
        } else {
            1
        };
        best = best.max(cur);
        prev = Some(s);
    }
    best
}

/// Tokens of the headline and of the body sentences that mention the
/// topic: the words that say what the story says ABOUT the topic ("arms
/// sales to Iran", "Iranian attacks on shipping"). Empty when the story
/// never mentions the topic: context words refine a mention, they never
/// stand in for one.
pub(crate) fn context_tokens<'d>(
    doc: &'d Document,
    ev: &Evidence,
) -> impl Iterator<Item = &'d str> {
    let active = ev.mentions > 0;
    let sents = ev.mention_sents.clone();
    let headline = ev.headline_term.is_some();
    (0..doc.len()).filter_map(move |i| {
        let (t, p) = (doc.tok(i), &doc.places[i]);
        let keep = active
            && !t.is_empty()
            && match p.zone {
                Zone::Headline => headline,
                Zone::Dateline => false,
                Zone::Lead | Zone::Body => sents.binary_search(&p.sent).is_ok(),
            };
        keep.then_some(t)
    })
}

/// Learned context words present in the story, as vocabulary indices
/// (sorted, distinct).
pub(crate) fn vocab_hits(
    vocab: &FxHashMap<String, u32>,
    doc: &Document,
    ev: &Evidence,
) -> Vec<u32> {
    if ev.mentions == 0 || vocab.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<u32> = context_tokens(doc, ev)
        .filter_map(|t| vocab.get(t).copied())
        .collect();
    hits.sort_unstable();
    hits.dedup();
    hits
}

/// Folded form of a vocabulary word, as the tokens of a story show it.
pub(crate) fn vocab_key(word: &str) -> Option<String> {
    let mut t = term_tokens(word);
    if t.len() == 1 { t.pop() } else { None }
}

#[cfg(test)]
mod tests {
    use super::longest_run;

    #[test]
    fn longest_run_joins_mentions_and_references() {
        // Mentions in 0, 5 and 9; references in 6, 7 and 10: 5-7 is a
        // passage of three, 9-10 of two.
        assert_eq!(longest_run(&[0, 5, 9], &[6, 7, 10]), 3);
        assert_eq!(longest_run(&[2], &[2]), 1);
        assert_eq!(longest_run(&[], &[]), 0);
    }
}

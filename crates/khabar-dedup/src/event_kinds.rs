//! What happened, in either language: the kinds of event a report's words
//! name (earthquake, execution, protest, seizure, ...), from the reviewed
//! vocabulary of `data/event-kinds.toml`. Two reports of one place on one
//! day are often different events (farmers protesting over water, bakers
//! on strike); the names cannot tell them apart, the kinds can.

use std::collections::HashMap;

use serde::Deserialize;

use crate::crosslang_error::CrossLangError;
use crate::gazetteer::Lang;

const BUNDLED: &str = include_str!("../data/event-kinds.toml");

#[derive(Deserialize)]
struct RawFile {
    kind: Vec<RawKind>,
}

#[derive(Deserialize)]
struct RawKind {
    name: String,
    en: Vec<String>,
    fa: Vec<String>,
    note: String,
}

/// Words of one language: whole tokens and token beginnings.
#[derive(Debug, Clone, Default)]
struct Words {
    exact: HashMap<String, Vec<u16>>,
    prefix: Vec<(String, u16)>,
}

/// The event vocabulary of both languages.
#[derive(Debug, Clone)]
pub struct EventKinds {
    names: Vec<String>,
    en: Words,
    fa: Words,
}

impl EventKinds {
    /// The reviewed vocabulary bundled with the crate.
    pub fn bundled() -> Result<EventKinds, CrossLangError> {
        EventKinds::from_toml(BUNDLED)
    }

    /// Parses a vocabulary file; every kind needs words in both languages
    /// and a note, and every word must fold to one token.
    pub fn from_toml(text: &str) -> Result<EventKinds, CrossLangError> {
        let raw: RawFile =
            toml::from_str(text).map_err(|e| CrossLangError::EventKinds(e.to_string()))?;
        let mut k = EventKinds {
            names: Vec::new(),
            en: Words::default(),
            fa: Words::default(),
        };
        for (i, kind) in raw.kind.into_iter().enumerate() {
            let id = u16::try_from(i).map_err(|_| CrossLangError::EventKinds("too many".into()))?;
            if kind.note.trim().is_empty() || kind.en.is_empty() || kind.fa.is_empty() {
                return Err(CrossLangError::EventKinds(format!(
                    "kind {:?} needs a note and words in both languages",
                    kind.name
                )));
            }
            for (words, list) in [(&mut k.en, &kind.en), (&mut k.fa, &kind.fa)] {
                for w in list {
                    let (stem, is_prefix) = match w.strip_suffix('*') {
                        Some(s) => (s, true),
                        None => (w.as_str(), false),
                    };
                    let toks = khabar_text::tokens(stem).into_vec();
                    let [tok] = toks.as_slice() else {
                        return Err(CrossLangError::EventKinds(format!("{w:?} is not one word")));
                    };
                    if is_prefix {
                        words.prefix.push((tok.clone(), id));
                    } else {
                        words.exact.entry(tok.clone()).or_default().push(id);
                    }
                }
            }
            k.names.push(kind.name);
        }
        Ok(k)
    }

    /// The name of a kind returned by [`EventKinds::kinds`].
    pub fn name(&self, id: u16) -> &str {
        self.names.get(usize::from(id)).map_or("", String::as_str)
    }

    /// The kinds named by folded tokens, sorted and distinct.
    pub fn kinds(&self, toks: &[String], lang: Lang) -> Vec<u16> {
        let words = match lang {
            Lang::English => &self.en,
            Lang::Persian => &self.fa,
        };
        let mut out = Vec::new();
        for t in toks {
            if let Some(ids) = words.exact.get(t) {
                out.extend_from_slice(ids);
            }
            for (p, id) in &words.prefix {
                if t.starts_with(p.as_str()) {
                    out.push(*id);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(k: &EventKinds, s: &str, lang: Lang) -> Vec<String> {
        k.kinds(&khabar_text::tokens(s).into_vec(), lang)
            .into_iter()
            .map(|i| k.name(i).to_string())
            .collect()
    }

    #[test]
    fn the_same_happening_has_the_same_kinds_in_both_languages() {
        let k = EventKinds::bundled().unwrap();
        assert_eq!(
            names(&k, "Two Baluch prisoners hanged", Lang::English),
            names(&k, "اعدام دو زندانی بلوچ", Lang::Persian)
        );
        assert_eq!(
            names(&k, "Guards seize tanker", Lang::English),
            ["seizure", "shipping"]
        );
        assert_eq!(
            names(&k, "توقیف نفتکش", Lang::Persian),
            ["seizure", "oil", "shipping"]
        );
        assert!(names(&k, "آتش‌سوزی پالایشگاه", Lang::Persian).contains(&"fire".to_string()));
    }

    #[test]
    fn words_that_only_begin_like_a_kind_are_not_it() {
        let k = EventKinds::bundled().unwrap();
        assert!(names(&k, "the executive board", Lang::English).is_empty());
        assert!(names(&k, "test-fired a missile", Lang::English) == ["missile"]);
    }

    #[test]
    fn a_phrase_is_refused() {
        let bad = r#"kind = [{ name = "x", en = ["air quality"], fa = ["هوا"], note = "n" }]"#;
        assert!(EventKinds::from_toml(bad).is_err());
    }
}

//! The bilingual gazetteer: named people, places, organisations and
//! programmes with their Persian spellings and English transliterations,
//! so a report in one language can be aligned with a report in the other
//! without translation (see `data/bilingual-gazetteer.toml`).
//!
//! Matching is on `khabar_text` folded tokens. Persian spellings are also
//! keyed with their tokens run together, because the same name is written
//! with a space, a ZWNJ or nothing between its parts (`خامنه‌ای`,
//! `خامنه ای`, `بندرعباس`, `بندر عباس`) and folding drops the ZWNJ; but
//! words of a text are only run together when none of them is a particle
//! such as `و` (and), or `فرد و` (person and) would read as `فردو`
//! (Fordow). English keeps the space, so `U.S.` never meets the pronoun
//! `us`.

use std::collections::HashMap;

use serde::Deserialize;

use crate::crosslang_error::CrossLangError;

/// The gazetteer shipped with the crate.
const BUNDLED: &str = include_str!("../data/bilingual-gazetteer.toml");

/// Persian suffixes tolerated after a name: the adjective/ezafe yeh
/// (`ایرانی`), plurals (`حوثی‌ها`) and the indefinite/ezafe forms.
const FA_SUFFIXES: &[&str] = &["هایی", "های", "ها", "یی", "ای", "ی"];

/// Persian particles that stand alone between words: a window of text
/// holding one is matched only with its spaces (`سیستان و بلوچستان`).
const FA_PARTICLES: &[&str] = &["و", "به", "از", "در", "با", "که", "را", "تا", "یا", "ب"];

/// Longest name, in tokens, the matcher will try.
const MAX_TERM_TOKENS: usize = 8;

/// How much an entity proves on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Named in nearly every story of the site (Iran, Tehran, the US).
    Generic,
    /// Named in much unrelated news (big countries, heads of state).
    Common,
    /// A person, place or body that narrows the event.
    Specific,
}

/// Language of a report, as far as the cross-language matcher cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    English,
    Persian,
}

impl Lang {
    /// From a BCP-47 code: `en*` is English, `fa*` (and the Dari `prs`)
    /// Persian; anything else is not matched across languages.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::English),
            "fa" | "per" | "fas" | "prs" => Some(Lang::Persian),
            _ => None,
        }
    }

    /// The other language of the pair.
    pub fn other(self) -> Lang {
        match self {
            Lang::English => Lang::Persian,
            Lang::Persian => Lang::English,
        }
    }
}

/// One entity of the gazetteer.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Its first English spelling, for reasons shown to people.
    pub label: String,
    pub kind: String,
    pub tier: Tier,
}

#[derive(Deserialize)]
struct RawFile {
    entity: Vec<RawEntity>,
}

#[derive(Deserialize)]
struct RawEntity {
    kind: String,
    #[serde(default)]
    tier: Option<Tier>,
    fa: Vec<String>,
    en: Vec<String>,
    note: String,
}

/// Names in both scripts, each mapped to its entity id.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    en: HashMap<String, u32>,
    fa: HashMap<String, u32>,
}

/// An entity found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityHit {
    pub entity: u32,
    /// Token position of the match.
    pub at: usize,
}

impl Gazetteer {
    /// The reviewed gazetteer bundled with the crate.
    pub fn bundled() -> Result<Gazetteer, CrossLangError> {
        Gazetteer::from_toml(BUNDLED)
    }

    /// Parses a gazetteer file. A spelling listed under two different
    /// entities is an error: it would make the match depend on file order.
    pub fn from_toml(text: &str) -> Result<Gazetteer, CrossLangError> {
        let raw: RawFile =
            toml::from_str(text).map_err(|e| CrossLangError::Gazetteer(e.to_string()))?;
        let mut g = Gazetteer {
            entities: Vec::with_capacity(raw.entity.len()),
            en: HashMap::new(),
            fa: HashMap::new(),
        };
        for (i, e) in raw.entity.into_iter().enumerate() {
            let id = u32::try_from(i).map_err(|_| CrossLangError::Gazetteer("too many".into()))?;
            if e.note.trim().is_empty() || e.en.is_empty() || e.fa.is_empty() {
                return Err(CrossLangError::Gazetteer(format!(
                    "entity {i} needs a note and spellings in both languages"
                )));
            }
            for (lang, names) in [(Lang::English, &e.en), (Lang::Persian, &e.fa)] {
                for name in names {
                    let toks = khabar_text::tokens(name).into_vec();
                    if toks.is_empty() || toks.len() > MAX_TERM_TOKENS {
                        return Err(CrossLangError::Gazetteer(format!("bad spelling {name:?}")));
                    }
                    let mut keys = vec![toks.join(" ")];
                    if lang == Lang::Persian {
                        keys.push(toks.concat());
                    }
                    let map = g.map_mut(lang);
                    for key in keys {
                        match map.get(&key) {
                            Some(&other) if other != id => {
                                return Err(CrossLangError::Gazetteer(format!(
                                    "{name:?} names two entities"
                                )));
                            }
                            _ => {
                                map.insert(key, id);
                            }
                        }
                    }
                }
            }
            g.entities.push(Entity {
                label: e.en[0].clone(),
                kind: e.kind,
                tier: e.tier.unwrap_or(Tier::Specific),
            });
        }
        Ok(g)
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// True when the gazetteer holds no entity.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The entity of an id returned by [`Gazetteer::find`].
    pub fn entity(&self, id: u32) -> Option<&Entity> {
        self.entities.get(id as usize)
    }

    fn map(&self, lang: Lang) -> &HashMap<String, u32> {
        match lang {
            Lang::English => &self.en,
            Lang::Persian => &self.fa,
        }
    }

    fn map_mut(&mut self, lang: Lang) -> &mut HashMap<String, u32> {
        match lang {
            Lang::English => &mut self.en,
            Lang::Persian => &mut self.fa,
        }
    }

    /// Entities named in already-folded tokens of a text in `lang`: the
    /// longest name at each position wins and consumes its tokens, so
    /// `Mojtaba Khamenei` is not also `Khamenei`.
    pub fn find(&self, toks: &[String], lang: Lang) -> Vec<EntityHit> {
        let map = self.map(lang);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let longest = MAX_TERM_TOKENS.min(toks.len() - i);
            let mut hit = None;
            for n in (1..=longest).rev() {
                let window = &toks[i..i + n];
                let spaced = window.join(" ");
                let glued = (lang == Lang::Persian
                    && n > 1
                    && !window.iter().any(|t| FA_PARTICLES.contains(&t.as_str())))
                .then(|| window.concat());
                let found = lookup(map, lang, &spaced)
                    .or_else(|| glued.and_then(|g| lookup(map, lang, &g)));
                if let Some(id) = found {
                    hit = Some((id, n));
                    break;
                }
            }
            match hit {
                Some((entity, n)) => {
                    out.push(EntityHit { entity, at: i });
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// Exact key first, then the key less a tolerated suffix.
fn lookup(map: &HashMap<String, u32>, lang: Lang, key: &str) -> Option<u32> {
    if let Some(&id) = map.get(key) {
        return Some(id);
    }
    match lang {
        Lang::English => key
            .strip_suffix("'s")
            .or_else(|| key.strip_suffix('\''))
            .and_then(|k| map.get(k).copied()),
        Lang::Persian => FA_SUFFIXES.iter().find_map(|s| {
            key.strip_suffix(s)
                // A two-letter stem plus a suffix is more often a word.
                .filter(|k| k.chars().count() >= 3)
                .and_then(|k| map.get(k).copied())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(g: &Gazetteer, text: &str, lang: Lang) -> Vec<String> {
        let toks = khabar_text::tokens(text).into_vec();
        g.find(&toks, lang)
            .iter()
            .map(|h| g.entity(h.entity).unwrap().label.clone())
            .collect()
    }

    #[test]
    fn bundled_gazetteer_loads_with_hundreds_of_entities() {
        let g = Gazetteer::bundled().unwrap();
        assert!(g.len() >= 300, "{}", g.len());
    }

    #[test]
    fn persian_names_match_with_zwnj_space_or_suffix() {
        let g = Gazetteer::bundled().unwrap();
        assert_eq!(
            names(&g, "آیت‌الله خامنه‌ای گفت", Lang::Persian),
            ["Khamenei"]
        );
        assert_eq!(names(&g, "بندر عباس و بندرعباس", Lang::Persian).len(), 2);
        assert_eq!(names(&g, "حوثی‌ها حمله کردند", Lang::Persian), ["Houthis"]);
        assert_eq!(names(&g, "مقام‌های ايراني", Lang::Persian), ["Iran"]);
        // "person and" is not Fordow, "Sistan and Baluchestan" still is one.
        assert_eq!(
            names(&g, "هشت فرد و چهار نهاد", Lang::Persian),
            Vec::<String>::new()
        );
        assert_eq!(
            names(&g, "استان سیستان و بلوچستان", Lang::Persian),
            ["Sistan-Baluchestan"]
        );
    }

    #[test]
    fn longest_name_wins_and_possessive_is_tolerated() {
        let g = Gazetteer::bundled().unwrap();
        assert_eq!(
            names(&g, "Mojtaba Khamenei met Araghchi's deputy", Lang::English),
            ["Mojtaba Khamenei", "Araghchi"]
        );
        assert_eq!(
            names(&g, "let us talk", Lang::English),
            Vec::<String>::new()
        );
        assert_eq!(
            names(&g, "the U.S. envoy", Lang::English),
            ["United States"]
        );
    }

    #[test]
    fn same_spelling_under_two_entities_is_refused() {
        let bad = r#"entity = [
            { kind = "place", fa = ["الف"], en = ["A"], note = "x" },
            { kind = "place", fa = ["ب"], en = ["A"], note = "y" },
        ]"#;
        assert!(Gazetteer::from_toml(bad).is_err());
    }

    #[test]
    fn lang_codes() {
        assert_eq!(Lang::from_code("fa-IR"), Some(Lang::Persian));
        assert_eq!(Lang::from_code("EN_us"), Some(Lang::English));
        assert_eq!(Lang::from_code("ar"), None);
    }
}

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::TopicError;

/// The shipped definition of the "Iran" topic (terms, competing countries,
/// sub-topic keywords), authored as TOML so operators can read and extend it.
pub const IRAN_DEFINITION_TOML: &str = include_str!("../topics/iran.toml");

/// The reviewed actor lexicon of the "Iran" topic: each term with its kind
/// and a one-line note of why it names Iran (or, for `passing`, why it
/// does not make Iran an actor).
pub const IRAN_ACTORS_TOML: &str = include_str!("../topics/iran-actors.toml");

/// One reviewed lexicon entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub term: String,
    /// country | place | institution | person | event | passing | water |
    /// reference (a word that refers back to Iran or its affairs once the
    /// story has named them: "the scandal", "the war")
    pub kind: String,
    /// Why the term names the topic: a general fact, not a corpus phrase.
    pub why: String,
}

/// The actor lexicon file: `[[actor]]` entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorFile {
    #[serde(default)]
    pub actor: Vec<Actor>,
}

/// Kinds an actor entry may have.
pub const ACTOR_KINDS: [&str; 8] = [
    "country",
    "place",
    "institution",
    "person",
    "event",
    "passing",
    "water",
    "reference",
];

/// What a topic is: its name and the words that are evidence for it.
///
/// A topic is configuration, not code: the classifier only knows the KINDS
/// of evidence (a country name in the headline, a share of paragraphs...)
/// and learns how much each kind weighs; which words are evidence comes
/// from here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicDefinition {
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub languages: Vec<String>,
    pub gazetteer: Gazetteer,
    /// Other countries: display name -> its names, people, capital. Used to
    /// tell a story about Iran from one that names Iran among many.
    #[serde(default)]
    pub competitors: BTreeMap<String, Vec<String>>,
    /// Sub-topic tag slug -> keywords.
    #[serde(default)]
    pub tags: BTreeMap<String, Vec<String>>,
    /// The reviewed actor lexicon (merged into the gazetteer by kind;
    /// `passing` and `water` phrases are evidence of a passing mention).
    #[serde(default)]
    pub actors: Vec<Actor>,
}

/// Topic terms by kind. Each kind is a separate kind of evidence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gazetteer {
    /// The country and its people.
    #[serde(default)]
    pub country: Vec<String>,
    #[serde(default)]
    pub place: Vec<String>,
    #[serde(default)]
    pub institution: Vec<String>,
    #[serde(default)]
    pub person: Vec<String>,
    #[serde(default)]
    pub event: Vec<String>,
    /// Suggestive words (Persian "the country", "the president"), never
    /// enough alone.
    #[serde(default)]
    pub weak: Vec<String>,
}

impl TopicDefinition {
    /// Parses a definition written in TOML.
    pub fn from_toml(text: &str) -> Result<TopicDefinition, TopicError> {
        let def: TopicDefinition =
            toml::from_str(text).map_err(|e| TopicError::Definition(e.to_string()))?;
        if def.gazetteer.country.is_empty() {
            return Err(TopicError::Definition(
                "gazetteer.country must name the topic at least once".into(),
            ));
        }
        if let Some(a) = def
            .actors
            .iter()
            .find(|a| !ACTOR_KINDS.contains(&a.kind.as_str()))
        {
            return Err(TopicError::Definition(format!(
                "actor \"{}\" has unknown kind \"{}\"",
                a.term, a.kind
            )));
        }
        Ok(def)
    }

    /// Adds the entries of an actor lexicon file (TOML, `[[actor]]`).
    pub fn with_actors_toml(mut self, text: &str) -> Result<TopicDefinition, TopicError> {
        let file: ActorFile =
            toml::from_str(text).map_err(|e| TopicError::Definition(format!("actors: {e}")))?;
        for a in &file.actor {
            if !ACTOR_KINDS.contains(&a.kind.as_str()) {
                return Err(TopicError::Definition(format!(
                    "actor \"{}\" has unknown kind \"{}\"",
                    a.term, a.kind
                )));
            }
            if a.why.trim().is_empty() {
                return Err(TopicError::Definition(format!(
                    "actor \"{}\" has no `why` note",
                    a.term
                )));
            }
        }
        self.actors.extend(file.actor);
        Ok(self)
    }

    /// The shipped "Iran" definition, with its actor lexicon.
    pub fn iran() -> TopicDefinition {
        // The text is compiled in and checked by the tests below, so this
        // cannot fail at run time.
        Self::from_toml(IRAN_DEFINITION_TOML)
            .and_then(|d| d.with_actors_toml(IRAN_ACTORS_TOML))
            .expect("embedded topics/iran.toml and topics/iran-actors.toml are valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_definition_parses_and_covers_both_languages() {
        let d = TopicDefinition::iran();
        assert_eq!(d.slug, "iran");
        assert!(d.gazetteer.country.iter().any(|t| t == "Iran"));
        assert!(d.gazetteer.country.iter().any(|t| t == "ایران"));
        assert!(d.gazetteer.person.iter().any(|t| t == "Khamenei"));
        assert!(d.competitors.contains_key("Iraq"));
        for slug in [
            "nuclear",
            "sanctions-economy",
            "protests-rights",
            "regional-conflict",
            "diplomacy",
            "energy",
        ] {
            assert!(d.tags.contains_key(slug), "{slug}");
        }
    }

    #[test]
    fn every_actor_has_a_kind_and_a_note() {
        let d = TopicDefinition::iran();
        assert!(d.actors.len() >= 100, "{}", d.actors.len());
        for want in [
            "IRGC",
            "Majlis",
            "Kharg",
            "Strait of Hormuz",
            "سپاه پاسداران",
            "تنگه هرمز",
            "snapback",
        ] {
            assert!(d.actors.iter().any(|a| a.term == want), "{want}");
        }
        assert!(d.actors.iter().all(|a| a.why.len() >= 8));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err =
            TopicDefinition::from_toml("name='x'\nslug='x'\nbogus=1\n[gazetteer]\ncountry=['X']\n");
        assert!(err.is_err());
    }
}

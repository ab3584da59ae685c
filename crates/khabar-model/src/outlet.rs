//! The kind of outlet a source is, as readers of Iran news weigh it.
//!
//! The same event reads differently in state media inside Iran, in
//! independent or diaspora media outside it, and in international wires:
//! readers ask "who carried this?" and "what did state media not report?".
//! The kind is the operator's judgement, set per source in the configuration
//! with a note saying why; khabar never guesses it.

use serde::{Deserialize, Serialize};

/// Who runs a source, in the classes the coverage views use.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum OutletKind {
    /// State or state-affiliated media inside Iran (news agencies, state
    /// broadcasters, outlets run by state bodies or the Revolutionary Guards).
    State,
    /// Independent or diaspora media outside Iran's state.
    Independent,
    /// International wires and broadcasters.
    International,
    /// Media of the region (Gulf, Arab, Turkish, Israeli outlets).
    Regional,
    /// Not classed.
    #[default]
    Other,
}

impl OutletKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [OutletKind; 5] = [
        OutletKind::State,
        OutletKind::Independent,
        OutletKind::International,
        OutletKind::Regional,
        OutletKind::Other,
    ];
    /// The stored and configured names, in the order of [`Self::ALL`].
    pub const NAMES: &'static [&'static str] =
        &["state", "independent", "international", "regional", "other"];

    pub fn as_str(self) -> &'static str {
        match self {
            OutletKind::State => "state",
            OutletKind::Independent => "independent",
            OutletKind::International => "international",
            OutletKind::Regional => "regional",
            OutletKind::Other => "other",
        }
    }

    /// The kind named `s` (stored or configured); unknown is an error.
    pub fn parse(s: &str) -> Result<Self, crate::UnknownName> {
        crate::unknown_name::by_name(s, "outlet kind", &Self::ALL, Self::NAMES, Self::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::OutletKind;

    #[test]
    fn names_read_back_and_unknown_ones_are_refused() {
        for (k, name) in OutletKind::ALL.iter().zip(OutletKind::NAMES) {
            assert_eq!(k.as_str(), *name);
            assert_eq!(OutletKind::parse(name), Ok(*k));
        }
        let err = OutletKind::parse("state-media").unwrap_err();
        assert!(err.to_string().contains("outlet kind"), "{err}");
    }

    #[test]
    fn configuration_words_deserialize() {
        #[derive(serde::Deserialize)]
        struct S {
            outlet: OutletKind,
        }
        let s: S = serde_json::from_str(r#"{"outlet":"international"}"#).unwrap();
        assert_eq!(s.outlet, OutletKind::International);
        assert!(serde_json::from_str::<S>(r#"{"outlet":"wire"}"#).is_err());
    }
}

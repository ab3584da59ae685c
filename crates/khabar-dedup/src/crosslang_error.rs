/// What can go wrong when loading the cross-language matcher's data.
/// Matching itself never fails.
#[derive(Debug, thiserror::Error)]
pub enum CrossLangError {
    /// The bilingual gazetteer does not parse or is inconsistent.
    #[error("bilingual gazetteer: {0}")]
    Gazetteer(String),
    /// The event vocabulary does not parse or is inconsistent.
    #[error("event kinds: {0}")]
    EventKinds(String),
    /// The learned weights do not parse or do not fit this code's features.
    #[error("cross-language weights: {0}")]
    Weights(String),
}

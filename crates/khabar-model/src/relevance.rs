use serde::{Deserialize, Serialize};

/// The topic stage's decision on one story, with the evidence, so an
/// operator can see why a story was published or rejected.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Relevance {
    pub relevant: bool,
    /// Confidence in [0, 1] that the story is about the topic.
    pub score: f32,
    /// Strongest signals first, human readable, e.g. `headline: "Tehran" (+2.1)`.
    pub reasons: Vec<String>,
    /// Sub-topic tags (slugs), e.g. `nuclear`, `sanctions-economy`.
    pub tags: Vec<String>,
}

use serde::Deserialize;

/// Operator settings layered over a model.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TopicSettings {
    /// Decision threshold on the score; the model's own when `None`.
    pub threshold: Option<f32>,
    /// Terms whose presence makes a story relevant whatever the model says.
    pub include_terms: Vec<String>,
    /// Terms whose presence makes a story irrelevant; they win over
    /// include terms and dedicated sources (an operator's explicit "never").
    pub exclude_terms: Vec<String>,
}

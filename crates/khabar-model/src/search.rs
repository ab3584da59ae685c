/// A published primary story as the search index takes it: what the store
/// reads for the index and what the index stores, so neither converts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchDoc {
    pub id: i64,
    pub headline: String,
    pub body: String,
    pub lang: Option<String>,
    pub source_id: i64,
    pub tags: Vec<String>,
    /// Display and sort time, Unix seconds.
    pub sort_at: i64,
}

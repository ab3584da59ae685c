//! Helpers shared by the integration tests that load real corpus data.
#![allow(dead_code)]

use std::path::PathBuf;

use chrono::{Duration, Utc};
use khabar_model::{Block, NewStory, Relevance, StoryStatus, TextDirection};
use khabar_store::{SourceKind, SourceSpec};

/// The shared corpora: `$KHABAR_CORPUS` when set (so a crate can be tested
/// on its own, with the corpora anywhere), else `shared/corpus` beside the
/// repository, where CI clones it.
pub fn corpus() -> PathBuf {
    std::env::var_os("KHABAR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

pub fn spec(slug: &str, lang: &str) -> SourceSpec {
    SourceSpec {
        slug: slug.into(),
        name: slug.into(),
        url: format!("https://{slug}.example/"),
        kind: SourceKind::Feed,
        lang: Some(lang.into()),
        full_text: true,
        dedicated: false,
        proxy: None,
        ..Default::default()
    }
}

pub fn new_story(
    source_id: i64,
    url: String,
    headline: String,
    lang: &str,
    dateline: Option<String>,
    paragraphs: Vec<String>,
    age_minutes: i64,
) -> NewStory {
    let blocks: Vec<Block> = paragraphs.into_iter().map(Block::paragraph).collect();
    let body_text = khabar_model::Article::text_from_blocks(&blocks);
    let t = Utc::now() - Duration::minutes(age_minutes);
    NewStory {
        source_id,
        canonical_url: url.clone(),
        url,
        headline,
        dateline,
        published_at: Some(t),
        fetched_at: t,
        lang: Some(lang.into()),
        dir: if lang == "fa" {
            TextDirection::Rtl
        } else {
            TextDirection::Ltr
        },
        excerpt: body_text.chars().take(200).collect(),
        content_hash: khabar_text::content_hash(&body_text),
        body_text,
        blocks,
        relevance: Relevance {
            relevant: true,
            score: 0.8,
            reasons: vec![],
            tags: vec!["iran".into()],
        },
        status: StoryStatus::Published,
        ..Default::default()
    }
}

/// A Reuters-21578 story with a headline and body.
pub struct Wire {
    pub id: String,
    pub title: String,
    pub dateline: Option<String>,
    pub paragraphs: Vec<String>,
    pub about_iran: bool,
}

/// The stories of the corpus's `train.jsonl` that have a headline and a body.
pub fn reuters() -> Vec<Wire> {
    let lines = std::fs::read_to_string(corpus().join("reuters21578/train.jsonl"))
        .expect("reuters21578/train.jsonl in the shared corpus");
    lines
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| {
            let title = v["title"].as_str()?.trim();
            let body = v["body"].as_str()?;
            let paragraphs: Vec<String> = body
                .split("\n    ")
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|p| !p.is_empty())
                .collect();
            if title.is_empty() || paragraphs.is_empty() {
                return None;
            }
            Some(Wire {
                id: v["id"].to_string(),
                title: title.to_string(),
                dateline: v["dateline"].as_str().map(str::to_string),
                paragraphs,
                about_iran: v["places"]
                    .as_array()
                    .is_some_and(|p| p.iter().any(|x| x == "iran")),
            })
        })
        .collect()
}

//! `khabar inspect feed|article <file|url>`: what khabar sees, as JSON, so an
//! operator can tell why a source misbehaves without reading the code.

use std::path::Path;

use anyhow::Context;
use clap::Subcommand;

use khabar_fetch::{FetchOutcome, FetchRequest, Fetcher, Purpose};

use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum InspectCommand {
    /// Parse a feed or sitemap.
    Feed {
        /// A file (.xml, .json, .gz) or an http(s) URL.
        target: String,
    },
    /// Extract an article and decide its topic relevance.
    Article {
        /// A file (.html, .html.gz) or an http(s) URL.
        target: String,
        /// The page's URL when reading a file (for links and URL dates).
        #[arg(long)]
        url: Option<String>,
    },
}

pub async fn run(cmd: InspectCommand, config: Config) -> anyhow::Result<()> {
    match cmd {
        InspectCommand::Feed { target } => {
            let (bytes, url, fetch) = load(&target, None, Purpose::Feed, &config).await?;
            let header = |name: &str| fetch.get(name).and_then(|v| v.as_str());
            let http = khabar_feed::HttpContext {
                content_type: header("content_type"),
                content_location: header("content_location"),
                content_language: header("content_language"),
            };
            let report = khabar_feed::parse_feed_http(
                &bytes,
                url.as_deref().unwrap_or("http://localhost/"),
                http,
            )
            .with_context(|| target.clone())?;
            let out = serde_json::json!({
                "fetch": fetch,
                "encoding": report.encoding,
                "damage": report.damage,
                "skipped": report.skipped,
                "feed": report.feed,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        InspectCommand::Article { target, url } => {
            let (bytes, url, fetch) = load(&target, url, Purpose::Article, &config).await?;
            let ct = fetch
                .get("content_type")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let extractor = khabar_extract::ArticleExtractor::new(Default::default());
            let explained = extractor
                .extract_explained(&bytes, url.as_deref(), ct.as_deref())
                .with_context(|| target.clone())?;
            let article = explained.article;
            let page_type = serde_json::json!({
                "type": article.page_type.as_str(),
                "probabilities": explained
                    .page_type
                    .probabilities
                    .iter()
                    .map(|(t, p)| (t.as_str().to_string(), serde_json::json!((p * 1000.0).round() / 1000.0)))
                    .collect::<serde_json::Map<_, _>>(),
                "reasons": explained.page_type.reasons,
            });
            let topic = crate::topic_classifier(&config.topic)?;
            let relevance = topic.classify(&khabar_topic::TopicInput {
                title: article.title.as_deref().unwrap_or(""),
                dateline: article.dateline.as_deref(),
                body: &article.text,
                lang: article.lang.as_deref(),
                dedicated_source: false,
            });
            let out = serde_json::json!({
                "fetch": fetch,
                "article": article,
                "page_type": page_type,
                // Which containers the body was read from and each region
                // of them left out, with the rule that left it out.
                "body": explained.body,
                "word_count": khabar_text::word_count(&article.text),
                "content_hash": khabar_text::content_hash(&article.text),
                "relevance": relevance,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
    }
    Ok(())
}

/// Reads a file or fetches a URL (with the configured politeness), giving
/// the bytes, the URL to resolve against, and facts about the fetch.
async fn load(
    target: &str,
    url: Option<String>,
    purpose: Purpose,
    config: &Config,
) -> anyhow::Result<(Vec<u8>, Option<String>, serde_json::Value)> {
    if target.starts_with("http://") || target.starts_with("https://") {
        let fetcher = Fetcher::new(crate::fetch_config(&config.fetch))?;
        let req = FetchRequest {
            url: target.to_string(),
            purpose,
            etag: None,
            last_modified: None,
            proxy: None,
        };
        match fetcher.fetch(&req).await? {
            FetchOutcome::Fetched(page) => {
                let info = serde_json::json!({
                    "final_url": page.final_url, "status": page.status, "content_type": page.content_type,
                    "content_location": page.content_location, "content_language": page.content_language, "etag": page.etag, "last_modified": page.last_modified, "bytes": page.body.len(),
                    "elapsed_ms": page.elapsed.as_millis() as u64,
                });
                Ok((page.body.to_vec(), Some(page.final_url), info))
            }
            FetchOutcome::NotModified => anyhow::bail!("{target}: 304 Not Modified"),
        }
    } else {
        let bytes = super::extract::read_maybe_gz(Path::new(target))?;
        let info = serde_json::json!({ "file": target, "bytes": bytes.len() });
        Ok((bytes, url, info))
    }
}

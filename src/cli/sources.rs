//! `khabar source add|list|remove|show`.

use clap::{Args, Subcommand};

use khabar_model::SourceKind;
use khabar_store::SourceSpec;

use crate::config::{Config, check_lang, check_proxy, valid_slug};

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Add a source (or update one with the same slug).
    Add(AddArgs),
    /// List sources with their status.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a source; its stories stay.
    Remove { slug: String },
    /// Show a source: last fetch, status, error, counts, recent fetches.
    Show { slug: String },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Feed or sitemap URL.
    pub url: String,
    #[arg(long)]
    pub slug: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    /// feed or sitemap.
    #[arg(long, default_value = "feed")]
    pub kind: String,
    #[arg(long)]
    pub lang: Option<String>,
    /// Republish only an excerpt with a link to the original.
    #[arg(long)]
    pub excerpt_only: bool,
    /// Every story of this source is on topic.
    #[arg(long)]
    pub dedicated: bool,
    #[arg(long)]
    pub proxy: Option<String>,
}

pub async fn run(cmd: SourceCommand, config: Config) -> anyhow::Result<()> {
    let store = super::open(&config).await?;
    match cmd {
        SourceCommand::Add(a) => {
            let url = url::Url::parse(&a.url).map_err(|e| anyhow::anyhow!("{}: {e}", a.url))?;
            if !matches!(url.scheme(), "http" | "https") {
                anyhow::bail!("{}: only http and https sources can be fetched", a.url);
            }
            let kind = SourceKind::parse(&a.kind).map_err(|e| anyhow::anyhow!("--kind: {e}"))?;
            let slug = a.slug.clone().unwrap_or_else(|| slug_from_url(&url));
            if !valid_slug(&slug) {
                anyhow::bail!("--slug {slug:?}: use lower-case letters, digits and '-'");
            }
            if let Some(l) = &a.lang {
                check_lang(l, &config.topic.languages)
                    .map_err(|why| anyhow::anyhow!("--lang {l:?}: {why}"))?;
            }
            if let Some(p) = &a.proxy {
                check_proxy(p).map_err(|why| anyhow::anyhow!("--proxy {p:?}: {why}"))?;
            }
            let spec = SourceSpec {
                slug: slug.clone(),
                name: a
                    .name
                    .unwrap_or_else(|| url.host_str().unwrap_or(&slug).to_string()),
                url: a.url,
                kind,
                lang: a.lang,
                full_text: !a.excerpt_only,
                dedicated: a.dedicated,
                proxy: a.proxy,
                ..Default::default()
            };
            let s = store.sources().upsert(&spec).await?;
            println!("added {} ({}) {}", s.slug, s.name, s.url);
        }
        SourceCommand::List { json } => {
            let sources = store.sources().all().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&sources)?);
            } else {
                for s in sources {
                    println!(
                        "{:<24} {:<12} {:<4} {}{}",
                        s.slug,
                        s.status.as_str(),
                        s.lang.as_deref().unwrap_or("-"),
                        s.url,
                        s.last_error.map(|e| format!("  ! {e}")).unwrap_or_default()
                    );
                }
            }
        }
        SourceCommand::Remove { slug } => {
            if config.sources.iter().any(|s| s.slug == slug) {
                anyhow::bail!("{slug} is listed in the configuration file; remove it there");
            }
            if store.sources().remove(&slug).await? {
                println!("removed {slug} (its stories are kept)");
            } else {
                anyhow::bail!("no source named {slug:?}");
            }
        }
        SourceCommand::Show { slug } => {
            let Some(source) = store.sources().by_slug(&slug).await? else {
                anyhow::bail!("no source named {slug:?}");
            };
            let health = store.sources().health(source.id).await?;
            let log = store.sources().fetch_log(source.id, 10).await?;
            // This source's stories sent to webhooks (`khabar push status` has the rest).
            let pushed = store.deliveries().counts_for_source(source.id).await?;
            let out = serde_json::json!({
                "source": source,
                "stories": { "published": health.published, "rejected": health.rejected, "total": health.total,
                             "last_story_at": health.last_story_at },
                "extraction_health": { "recent": health.recent, "plausible_body": health.share_plausible_body,
                                       "dated": health.share_dated, "bylined": health.share_bylined },
                "recent_fetches": log,
                "webhook_deliveries": pushed,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
    }
    store.close().await;
    Ok(())
}

/// `https://www.bbc.co.uk/persian/rss.xml` → `bbc-co-uk`.
pub(crate) fn slug_from_url(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("source");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut slug: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    slug.truncate(64);
    slug.trim_matches('-').to_string()
}

//! `khabar push status`: what push-out has delivered, what waits and what
//! failed, per webhook and hub, with the last error of each.

use clap::{Args, Subcommand};

use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum PushCommand {
    /// Deliveries per webhook and hub: pending, delivered, failed, last error.
    Status(StatusArgs),
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print as JSON: per-target counts and the latest failed deliveries.
    #[arg(long)]
    pub json: bool,
    /// How many of the latest failed deliveries to list.
    #[arg(long, default_value_t = 10)]
    pub failed: i64,
}

pub async fn run(cmd: PushCommand, config: Config) -> anyhow::Result<()> {
    let PushCommand::Status(args) = cmd;
    let store = crate::open_store(&config).await?;
    let stats = store.deliveries().stats().await?;
    let failed = store
        .deliveries()
        .recent(Some("failed"), args.failed.max(0))
        .await?;
    store.close().await;
    if args.json {
        let doc = serde_json::json!({
            "websub_hub": config.push.websub_hub,
            "webhooks": config.push.webhooks.iter().map(|w| serde_json::json!({
                "name": w.key(),
                "url": w.url,
                "query": w.query,
            })).collect::<Vec<_>>(),
            "targets": stats,
            "failed": failed,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    match &config.push.websub_hub {
        Some(hub) => println!("WebSub hub: {hub}"),
        None => println!("WebSub hub: none"),
    }
    for w in &config.push.webhooks {
        match &w.query {
            Some(q) => println!("webhook {}: {} (alert: {q})", w.key(), w.url),
            None => println!("webhook {}: {}", w.key(), w.url),
        }
    }
    if stats.is_empty() {
        println!("no deliveries yet");
    }
    for s in &stats {
        println!(
            "{:<8} {:<40} pending {:>5}  delivered {:>6}  failed {:>5}",
            s.kind.as_str(),
            s.target,
            s.pending,
            s.delivered,
            s.failed
        );
        if let Some(e) = &s.last_error {
            println!("{:<8}   last error: {e}", "");
        }
    }
    for d in &failed {
        println!(
            "failed #{} {} {} after {} attempts: {}",
            d.id,
            d.kind.as_str(),
            d.story_id
                .map(|id| format!("story {id}"))
                .or_else(|| d.topic.clone())
                .unwrap_or_default(),
            d.attempts,
            d.last_error.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

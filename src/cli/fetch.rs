//! `khabar fetch`: one pipeline run, with a progress bar, then exit.

use std::sync::Arc;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Config;
use crate::pipeline::Pipeline;

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Source slugs to fetch; all sources when none are given.
    pub sources: Vec<String>,
    /// Print the run report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Exit with an error when any source failed (by default only when
    /// every source failed).
    #[arg(long)]
    pub strict: bool,
}

pub async fn run(args: FetchArgs, config: Config) -> anyhow::Result<()> {
    let config = Arc::new(config);
    let store = super::open(&config).await?;
    let all = store.sources().all().await?;
    let sources = if args.sources.is_empty() {
        all
    } else {
        let mut picked = Vec::new();
        for slug in &args.sources {
            match all.iter().find(|s| &s.slug == slug) {
                Some(s) => picked.push(s.clone()),
                None => anyhow::bail!("no source named {slug:?} (see `khabar source list`)"),
            }
        }
        picked
    };
    let pipeline = Pipeline::new(store.clone(), config.clone()).await?;
    let sender = crate::push::Sender::new(store.clone(), &config, &pipeline.worker_id)?;
    let bar = ProgressBar::new(sources.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sources {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = pipeline
        .run(sources, |r| {
            bar.set_message(r.slug.clone());
            bar.inc(1);
        })
        .await;
    bar.finish_and_clear();
    // One attempt at each delivery due now; retries wait for the next
    // run, or for `khabar serve` / `khabar worker`.
    if let Some(sender) = &sender {
        let sent = sender.send_all_due().await;
        if !args.json && sent != crate::push::SendReport::default() {
            println!(
                "push: {} delivered, {} to retry, {} failed (see `khabar push status`)",
                sent.delivered, sent.retrying, sent.failed
            );
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for s in &report.sources {
            match &s.error {
                Some(e) => println!("{:<24} FAILED  {e}", s.slug),
                None => println!(
                    "{:<24} {:<12} seen {:>3}  new {:>3}  published {:>3}  rejected {:>3}  copies {:>3}  errors {:>3}",
                    s.slug,
                    s.status,
                    s.items_seen,
                    s.new_items,
                    s.published,
                    s.rejected,
                    s.copies,
                    s.article_error_count
                ),
            }
            if let Some(note) = &s.note {
                println!("{:<24}   ~ {note}", "");
            }
            for e in &s.article_errors {
                println!("{:<24}   ! {e}", "");
            }
        }
        println!(
            "{} sources in {:.1}s: {} stories added, {} published, {} sources failed",
            report.sources.len(),
            report.elapsed_ms as f64 / 1000.0,
            report.stories_added(),
            report.published(),
            report.failed_sources()
        );
    }
    store.close().await;
    // A run in which nothing could be fetched is a failure a scheduler or
    // a script must see, not a success with an empty site.
    let failed = report.failed_sources();
    let total = report.sources.len();
    if total > 0 && failed == total {
        anyhow::bail!(
            "all {total} sources failed (see the errors above, or `khabar source show SLUG`)"
        );
    }
    if args.strict && failed > 0 {
        anyhow::bail!("{failed} of {total} sources failed (--strict)");
    }
    Ok(())
}

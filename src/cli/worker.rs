//! `khabar worker`: one of any number of processes sharing the pipeline's
//! work through the store, and `khabar jobs`, what that work looks like.

use std::sync::Arc;

use clap::Args;

use crate::config::Config;
use crate::pipeline::{Pipeline, Worker};

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Stop when no work is left in the store (nothing due, queued or held
    /// by any worker) instead of waiting for more; prints what it did.
    #[arg(long)]
    pub until_idle: bool,
    /// Article jobs in flight at once, overriding worker.job_concurrency.
    #[arg(long)]
    pub jobs: Option<usize>,
}

pub async fn run(args: WorkerArgs, mut config: Config) -> anyhow::Result<()> {
    if let Some(n) = args.jobs {
        anyhow::ensure!(n > 0, "--jobs: must be at least 1");
        config.worker.job_concurrency = n;
    }
    let config = Arc::new(config);
    let store = super::open_waiting(&config).await?;
    let pipeline = Pipeline::new(store.clone(), config.clone()).await?;
    let worker = Worker::new(pipeline);
    let sender = crate::push::Sender::new(store.clone(), &config, worker.id())?;
    // Printed on stdout so scripts and tests can tell the workers apart.
    println!("khabar: worker {} started", worker.id());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stop_push = stop_rx.clone();
    tokio::spawn(async move {
        super::shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    // Push-out runs beside the pipeline; a draining worker makes one
    // attempt at what is due once its work is done.
    let until_idle = args.until_idle;
    let push = tokio::spawn({
        let sender = sender.clone();
        async move {
            if let (Some(sender), false) = (sender, until_idle) {
                sender.run(stop_push).await;
            }
        }
    });
    let report = worker.run(stop_rx, args.until_idle).await;
    if args.until_idle
        && let Some(sender) = &sender
    {
        sender.send_all_due().await;
    }
    let _ = push.await;
    println!("{}", serde_json::to_string(&report)?);
    store.close().await;
    Ok(())
}

/// Prints the job tables' counts and the articles given up on, as JSON.
/// `khabar jobs`: an aligned table for people, `--json` for scripts.
pub async fn status(config: Config, json: bool) -> anyhow::Result<()> {
    let store = crate::open_store(&config).await?;
    let counts = store.jobs().counts().await?;
    let failed_jobs = store.jobs().failed(20).await?;
    store.close().await;
    if json {
        let failed: Vec<_> = failed_jobs
            .iter()
            .map(|(url, attempts, error)| {
                serde_json::json!({"url": url, "attempts": attempts, "error": error})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"counts": counts, "failed": failed}))?
        );
        return Ok(());
    }
    for (label, n) in [
        ("sources due", counts.sources_due),
        ("sources leased", counts.sources_leased),
        ("articles queued", counts.queued),
        ("  ready now", counts.ready),
        ("  leased", counts.leased),
        ("articles done", counts.done),
        ("articles failed", counts.failed),
    ] {
        println!("{label:<18} {n:>8}");
    }
    if !failed_jobs.is_empty() {
        println!("\nlast failed articles (attempts, error):");
        for (url, attempts, error) in &failed_jobs {
            println!(
                "  {attempts:>2}  {url}\n      {}",
                error.as_deref().unwrap_or("-")
            );
        }
    }
    Ok(())
}

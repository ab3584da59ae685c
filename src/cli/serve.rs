//! `khabar serve`: the web site plus the background pipeline.

use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use crate::config::Config;
use crate::pipeline::{Pipeline, Worker};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, overriding site.listen (port 0 picks a free port).
    #[arg(long)]
    pub listen: Option<String>,
    /// Serve the site only; `khabar worker` processes run the pipeline.
    #[arg(long)]
    pub web_only: bool,
}

pub async fn run(args: ServeArgs, mut config: Config) -> anyhow::Result<()> {
    // Bound first: with no base URL configured, links are built on the
    // address actually listened on (port 0 resolved).
    // `--listen` is already in `site.listen`: flags are the last layer.
    let listen = config.site.listen.clone();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen} (site.listen)"))?;
    let addr = listener.local_addr()?;
    let base = config.site.reader_base_url(Some(addr));
    config.site.base_url = base.url.clone();
    let config = Arc::new(config);
    let store = super::open_waiting(&config).await?;
    let settings = crate::site_settings(&config, &super::data_dir(&config))?;
    // A language without an interface catalogue stops start-up, naming the key.
    settings.validate()?;
    let metrics = crate::metrics::install()
        .map(|handle| -> khabar_web::MetricsRender { Arc::new(move || handle.render()) });
    let state = khabar_web::AppState::with_metrics(store.clone(), settings, metrics);
    // Printed on stdout so scripts and tests can find a port chosen by the OS.
    // A supervisor or test may read the first line and close the pipe: a
    // banner that cannot be written must never stop the site (println!
    // would panic on the closed pipe).
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "khabar: serving {} on http://{addr}/",
            config.site.title
        );
        let _ = writeln!(out, "khabar: links use base URL {base}");
        let _ = out.flush();
    }

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let scheduler = if args.web_only {
        None
    } else {
        // The site's own pipeline is a worker like any other, so it can
        // share a PostgreSQL store with `khabar worker` processes.
        let worker = Worker::new(Pipeline::new(store.clone(), config.clone()).await?);
        let sender = crate::push::Sender::new(store.clone(), &config, worker.id())?;
        let push_stop = stop_rx.clone();
        Some(tokio::spawn(async move {
            // Push-out runs beside the pipeline, never in its way.
            let push = async {
                if let Some(sender) = &sender {
                    sender.run(push_stop).await;
                }
            };
            tokio::join!(worker.run(stop_rx, false), push).0
        }))
    };
    // serve_with_shutdown keeps client addresses, which the likes rate limit needs.
    khabar_web::serve_with_shutdown(listener, state, super::shutdown_signal())
        .await
        .context("web server")?;
    let _ = stop_tx.send(true);
    if let Some(task) = scheduler {
        let _ = task.await;
    }
    store.close().await;
    Ok(())
}

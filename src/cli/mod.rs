//! The `khabar` command line. Each subcommand lives in its own file and
//! calls into the stage crates; this file only declares and dispatches.

mod admin;
mod extract;
mod fetch;
mod inspect;
mod labels;
mod opml;
mod push;
mod serve;
mod sources;
mod tools;
mod worker;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::config::Config;

#[derive(Debug, Parser)]
#[command(name = "khabar", version = crate::VERSION, about = "Runs a topic news site by itself.")]
pub struct Cli {
    /// Configuration file (TOML); the bundled Persian News default when absent.
    #[arg(long, short, global = true, env = "KHABAR_CONFIG")]
    pub config: Option<PathBuf>,
    /// Storage URL, overriding storage.url (sqlite://PATH or postgres://…).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// More log output (-v info, -vv debug); KHABAR_LOG takes a tracing filter.
    #[arg(long, short, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web site and run the pipeline on its schedule.
    Serve(serve::ServeArgs),
    /// Run the pipeline once over all (or the named) sources, then exit.
    Fetch(fetch::FetchArgs),
    /// Share the pipeline's work with other workers through the store
    /// (polls and articles claimed under leases); runs until stopped.
    Worker(worker::WorkerArgs),
    /// Show the shared work: due and leased sources, queued, done and failed articles.
    Jobs {
        /// JSON for scripts instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Manage sources.
    #[command(subcommand)]
    Source(sources::SourceCommand),
    /// Push out: webhook and WebSub delivery status.
    #[command(subcommand)]
    Push(push::PushCommand),
    /// Add the feeds of an OPML file as sources.
    ImportOpml { file: PathBuf },
    /// Write all sources as OPML (to a file, or standard output).
    ExportOpml { file: Option<PathBuf> },
    /// Show what khabar sees in a feed or an article (JSON), for debugging a source.
    #[command(subcommand)]
    Inspect(inspect::InspectCommand),
    /// Extract articles from .html / .html.gz files or folders; one JSON line per page.
    Extract(extract::ExtractArgs),
    /// Decide topic relevance for JSON lines (`id, title, body`); one JSON line per story.
    Classify(tools::ClassifyArgs),
    /// The stories editors published against the topic decision, as labelled
    /// JSON lines for `train-topic`.
    Labels(labels::LabelsArgs),
    /// Train the topic model from labelled JSON lines and write the model file.
    TrainTopic(tools::TrainArgs),
    /// Group JSON-line stories into copies and events; one JSON line per group.
    Dedup(tools::DedupArgs),
    /// Moderate a story: hide, unhide, pin, unpin or take down.
    #[command(subcommand)]
    Story(admin::StoryCommand),
    /// Copy a whole site from one store to another (e.g. SQLite to PostgreSQL).
    MigrateStore(admin::MigrateArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `khabar man > khabar.1`.
    Man,
}

/// True when the error is a write to a pipe whose reader has gone (`khabar
/// classify … | head -1`): not a failure of the command.
pub fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `println!` panics when standard output is a pipe whose reader has gone;
/// that ends the command quietly with status 0, as `head` users expect.
/// Every other panic is reported as before.
pub fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// Runs the command line; the binary's `main` only reports the error.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    let config = load_config(&cli)?;
    match cli.command {
        // Pure commands need no runtime or store.
        Command::Extract(args) => extract::run(args),
        Command::Classify(args) => tools::classify(args, &config),
        Command::TrainTopic(args) => tools::train(args),
        Command::Dedup(args) => tools::dedup(args),
        // Written whole, so that a closed pipe is an error returned here
        // (and ignored by `main`) rather than a panic in the generator.
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "khabar", &mut out);
            std::io::Write::write_all(&mut std::io::stdout(), &out)?;
            Ok(())
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            std::io::Write::write_all(&mut std::io::stdout(), &out)?;
            Ok(())
        }
        command => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(run_async(command, config))
        }
    }
}

async fn run_async(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(args, config).await,
        Command::Fetch(args) => fetch::run(args, config).await,
        Command::Worker(args) => worker::run(args, config).await,
        Command::Jobs { json } => worker::status(config, json).await,
        Command::Source(cmd) => sources::run(cmd, config).await,
        Command::Push(cmd) => push::run(cmd, config).await,
        Command::ImportOpml { file } => opml::import(&file, config).await,
        Command::ExportOpml { file } => opml::export(file.as_deref(), config).await,
        Command::Inspect(cmd) => inspect::run(cmd, config).await,
        Command::Story(cmd) => admin::story(cmd, config).await,
        Command::Labels(args) => labels::run(args, config).await,
        Command::MigrateStore(args) => admin::migrate(args).await,
        Command::Extract(_)
        | Command::Classify(_)
        | Command::TrainTopic(_)
        | Command::Dedup(_)
        | Command::Completions { .. }
        | Command::Man => {
            unreachable!("handled without a runtime")
        }
    }
}

/// The configuration in its layers: defaults, file, environment, then the
/// flags that name a setting (`--database-url`, `serve --listen`).
fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let flags = crate::config::Flags {
        database_url: cli.database_url.clone(),
        listen: match &cli.command {
            Command::Serve(args) => args.listen.clone(),
            _ => None,
        },
    };
    Ok(Config::load_layers(
        cli.config.as_deref(),
        std::env::vars(),
        &flags,
    )?)
}

fn init_tracing(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn,khabar=info",
        1 => "info",
        _ => "debug",
    };
    let filter = std::env::var("KHABAR_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    // Colour only for a person at a terminal, and never with NO_COLOR
    // (no-color.org): piped logs and log files get plain text.
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .try_init();
}

/// The folder for files beside the database (the like salt): the SQLite
/// file's folder, or `data/` for a server database.
pub(crate) fn data_dir(config: &Config) -> PathBuf {
    crate::setup::sqlite_folder(&config.storage.url)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("data"))
}

/// Opens the store and makes the configured sources exist in it.
pub(crate) async fn open(config: &Config) -> anyhow::Result<khabar_store::Store> {
    let store = crate::open_store(config).await?;
    crate::sync_config_sources(&store, config).await?;
    Ok(store)
}

/// [`open`] for `serve` and `worker`, which wait for a PostgreSQL server
/// that is not up yet instead of exiting (a one-shot command still stops
/// at once, so a mistyped host never hangs it).
pub(crate) async fn open_waiting(config: &Config) -> anyhow::Result<khabar_store::Store> {
    let store = crate::open_store_waiting(config, shutdown_signal()).await?;
    crate::sync_config_sources(&store, config).await?;
    Ok(store)
}

/// Resolves on Ctrl-C or SIGTERM, which stop `serve` and `worker` cleanly.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

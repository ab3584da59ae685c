//! Operator actions from the command line: moderation and store migration.

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use khabar_model::StoryStatus;

use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum StoryCommand {
    /// Hide a story from readers.
    Hide {
        id: i64,
    },
    /// Show a hidden story again.
    Unhide {
        id: i64,
    },
    /// Keep a story at the top of the home page.
    Pin {
        id: i64,
    },
    Unpin {
        id: i64,
    },
    /// Remove a story's text on a takedown request, recording why.
    Takedown {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

pub async fn story(cmd: StoryCommand, config: Config) -> anyhow::Result<()> {
    let store = super::open(&config).await?;
    let id = match &cmd {
        StoryCommand::Hide { id }
        | StoryCommand::Unhide { id }
        | StoryCommand::Pin { id }
        | StoryCommand::Unpin { id }
        | StoryCommand::Takedown { id, .. } => *id,
    };
    if store.story(id).await?.is_none() {
        anyhow::bail!("no story {id}");
    }
    match cmd {
        StoryCommand::Hide { id } => store.set_status(id, StoryStatus::Hidden, None).await?,
        StoryCommand::Unhide { id } => store.set_status(id, StoryStatus::Published, None).await?,
        StoryCommand::Pin { id } => store.set_pinned(id, true).await?,
        StoryCommand::Unpin { id } => store.set_pinned(id, false).await?,
        StoryCommand::Takedown { id, reason } => {
            store
                .set_status(id, StoryStatus::TakenDown, Some(&reason))
                .await?
        }
    }
    println!("story {id}: done");
    store.close().await;
    Ok(())
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The store to copy from, e.g. sqlite://data/khabar.db
    #[arg(long)]
    pub from: String,
    /// The store to copy to, e.g. postgres://postgres@127.0.0.1/khabar
    #[arg(long)]
    pub to: String,
}

pub async fn migrate(args: MigrateArgs) -> anyhow::Result<()> {
    let from = khabar_store::Store::connect(&args.from).await?;
    let to = khabar_store::Store::connect(&args.to).await?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:12} {bar:30} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = from
        .migrate_to(&to, |what: &str, done: u64, total: u64| {
            bar.set_message(what.to_string());
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish_and_clear();
    println!("{report:?}");
    from.close().await;
    to.close().await;
    Ok(())
}

//! `khabar labels`: the editors' topic decisions as training labels.
//!
//! A story an editor published from the admin's rejected list, or marked
//! "off-topic" on the admin page, is one the topic model got wrong; written
//! as a labelled JSON line (`id, title, body, relevant: 1 or 0, why`) it
//! joins the editorial set `khabar train-topic` reads, so the next model
//! learns from the marks.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::config::Config;

#[derive(Debug, Args)]
pub struct LabelsArgs {
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub async fn run(args: LabelsArgs, config: Config) -> anyhow::Result<()> {
    let store = super::open(&config).await?;
    let stories = store.editor_overruled().await?;
    let mut lines = Vec::with_capacity(stories.len());
    for s in &stories {
        use khabar_model::StoryStatus::{Published, Rejected};
        // The editor's last word on the story decides its label.
        let Some((_, _, to, reason)) =
            store
                .moderation_log(s.id)
                .await?
                .into_iter()
                .rev()
                .find(|(_, from, to, _)| {
                    matches!((from, to), (Rejected, Published) | (Published, Rejected))
                })
        else {
            continue;
        };
        let relevant = u8::from(to == Published);
        let why = reason.unwrap_or_else(|| "an editor's decision".into());
        lines.push(serde_json::json!({
            "id": format!("story-{}", s.id),
            "title": s.headline,
            "body": s.body_text,
            "lang": s.lang,
            "relevant": relevant,
            "why": why,
        }));
    }
    store.close().await;
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    for l in &lines {
        writeln!(out, "{l}")?;
    }
    out.flush()?;
    eprintln!("{} editorial labels", lines.len());
    Ok(())
}

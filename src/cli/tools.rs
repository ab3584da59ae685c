//! Stage tools over JSON lines: `classify`, `train-topic`, `dedup`. They
//! read a file (or `-` for standard input) and write standard output, so a
//! stage can be evaluated on any labelled set.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::config::Config;

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// JSON lines with `id, title, body` (`-` for standard input).
    pub input: PathBuf,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// JSON lines labelled by the editorial standard (`relevant` or `iran` on each
    /// line), or unlabelled stories (Reuters `train.jsonl`) with `--labels`.
    pub input: PathBuf,
    /// Editorial labels by story id (`id`, `relevant` 1/0/null, `why`): a listed story
    /// takes its label, a null one is left out, every other story is not about the topic.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// Where to write the model file.
    #[arg(long, short, default_value = "crates/khabar-topic/models/iran.json")]
    pub output: PathBuf,
    /// Also report N-fold cross-validated precision, recall and F1.
    #[arg(long)]
    pub cross_validate: Option<usize>,
}

#[derive(Debug, Args)]
pub struct DedupArgs {
    /// JSON lines with `id, title, body` and optionally `source`, `published`.
    pub input: PathBuf,
}

fn open_input(path: &PathBuf) -> anyhow::Result<Box<dyn BufRead>> {
    if path.as_os_str() == "-" {
        Ok(Box::new(BufReader::new(std::io::stdin())))
    } else {
        let f =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok(Box::new(BufReader::new(f)))
    }
}

pub fn classify(args: ClassifyArgs, config: &Config) -> anyhow::Result<()> {
    let classifier = crate::topic_classifier(&config.topic)?;
    let input = open_input(&args.input)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let stats = khabar_topic::classify_jsonl(input, &mut out, &classifier)
        .with_context(|| args.input.display().to_string())?;
    out.flush()?;
    eprintln!("{stats:?}");
    Ok(())
}

pub fn train(args: TrainArgs) -> anyhow::Result<()> {
    let input = open_input(&args.input)?;
    let stories = match &args.labels {
        Some(path) => {
            let labels = khabar_topic::read_editorial_labels(open_input(path)?)
                .with_context(|| path.display().to_string())?;
            let s = khabar_topic::read_labelled_jsonl(input, khabar_topic::LabelRule::Unlabelled)
                .with_context(|| args.input.display().to_string())?;
            khabar_topic::apply_editorial_labels(s, &labels)
        }
        None => khabar_topic::read_labelled_jsonl(input, khabar_topic::LabelRule::default())
            .with_context(|| args.input.display().to_string())?,
    };
    let options = khabar_topic::TrainOptions::default();
    if let Some(folds) = args.cross_validate {
        let report = khabar_topic::cross_validate_by_id(&stories, folds, &options);
        let (f1, p, r) = khabar_topic::fold_spread(&report.folds);
        eprintln!(
            "{folds}-fold CV (folds fixed by id): F1 {:.3} ± {:.3} ({:.3}-{:.3}), P {:.3}, R {:.3}",
            f1.mean, f1.std, f1.min, f1.max, p.mean, r.mean
        );
        eprintln!("{report:?}");
    }
    let model = khabar_topic::train(&stories, &options)?;
    let bytes = model.to_bytes();
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!(
        "wrote {} ({} bytes) from {} stories",
        args.output.display(),
        bytes.len(),
        stories.len()
    );
    Ok(())
}

pub fn dedup(args: DedupArgs) -> anyhow::Result<()> {
    let input = open_input(&args.input)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let stats = khabar_dedup::dedup_jsonl(input, &mut out, &khabar_dedup::DedupConfig::default())
        .with_context(|| args.input.display().to_string())?;
    out.flush()?;
    eprintln!("{stats:?}");
    Ok(())
}

//! JSON-lines input and output: the Reuters corpus format
//! (`id, title, dateline, body, places...`), the Persian fixture format
//! (`id, title, body, iran`), and the `khabar classify` output.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::TopicError;
use crate::classifier::{TopicClassifier, TopicInput};
use crate::train::LabelledStory;

/// How a labelled line says whether its story is relevant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LabelRule {
    /// The `places` array contains this value (Reuters: `"iran"`).
    PlacesContains(String),
    /// A boolean field of this name.
    Field(String),
    /// A boolean (or 0/1) `relevant` or `iran` field. There is no fallback
    /// to Reuters `places`: that is not the site's label standard, and a
    /// model trained on it would be stamped with the wrong one.
    #[default]
    Auto,
    /// No label read: every story `false`, for labels applied afterwards
    /// by id ([`crate::apply_editorial_labels`]).
    Unlabelled,
}

#[derive(Deserialize)]
struct InLine {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    headline: Option<String>,
    #[serde(default)]
    dateline: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    dedicated: bool,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn label_of(line: &InLine, rule: &LabelRule) -> Result<bool, String> {
    let places = |want: &str| -> Result<bool, String> {
        match line.rest.get("places") {
            Some(Value::Array(a)) => Ok(a.iter().any(|p| p.as_str() == Some(want))),
            _ => Err("no `places` array".into()),
        }
    };
    let field = |name: &str| -> Option<Result<bool, String>> {
        line.rest.get(name).map(|v| match v {
            Value::Bool(b) => Ok(*b),
            Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
            Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
            _ => Err(format!("`{name}` is not a boolean or 0/1")),
        })
    };
    match rule {
        LabelRule::PlacesContains(p) => places(p),
        LabelRule::Field(f) => field(f).unwrap_or_else(|| Err(format!("no `{f}` field"))),
        LabelRule::Unlabelled => Ok(false),
        LabelRule::Auto => {
            field("relevant")
                .or_else(|| field("iran"))
                .unwrap_or_else(|| {
                    Err("no `relevant` label: label stories by the editorial standard (for Reuters \
                 train.jsonl, give editorial-train.jsonl with `--labels`); `places` \
                 is not that standard"
                .into())
                })
        }
    }
}

/// The JSON lines of `input`, blank ones skipped, each with its 1-based
/// line number; a line that does not parse is an error naming it.
pub(crate) fn json_lines<T: serde::de::DeserializeOwned>(
    input: impl BufRead,
) -> impl Iterator<Item = Result<(usize, T), TopicError>> {
    input.lines().enumerate().filter_map(|(i, line)| {
        let line = match line {
            Ok(l) => l,
            Err(e) => return Some(Err(e.into())),
        };
        if line.trim().is_empty() {
            return None;
        }
        Some(
            serde_json::from_str(&line)
                .map(|v| (i + 1, v))
                .map_err(|e| TopicError::BadLine {
                    line: i + 1,
                    reason: e.to_string(),
                }),
        )
    })
}

/// Parses labelled stories; a malformed line is an error naming its line
/// number (training data must be clean: a silently skipped line would
/// shift the figures). Blank lines are ignored.
pub fn read_labelled_jsonl(
    input: impl BufRead,
    label: LabelRule,
) -> Result<Vec<LabelledStory>, TopicError> {
    let mut out = Vec::new();
    for item in json_lines::<InLine>(input) {
        let (line, parsed) = item?;
        let relevant =
            label_of(&parsed, &label).map_err(|reason| TopicError::BadLine { line, reason })?;
        out.push(LabelledStory {
            id: id_string(&parsed.id),
            title: parsed.title.or(parsed.headline).unwrap_or_default(),
            dateline: parsed.dateline.filter(|d| !d.trim().is_empty()),
            body: parsed.body.or(parsed.text).unwrap_or_default(),
            relevant,
        });
    }
    Ok(out)
}

/// Counts of a `classify_jsonl` run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClassifyStats {
    pub lines: usize,
    pub classified: usize,
    pub relevant: usize,
    /// Lines skipped (not JSON, or neither title nor body).
    pub skipped: usize,
    /// The first skipped lines, as `(line number, why)` (at most 100).
    pub skipped_lines: Vec<(usize, String)>,
}

#[derive(Serialize)]
struct OutLine<'a> {
    id: &'a Value,
    relevant: bool,
    score: f32,
    tags: &'a [String],
    reasons: &'a [String],
}

const MAX_SKIP_REPORT: usize = 100;

/// Classifies a JSON-lines file: one output line per story,
/// `{id, relevant, score, tags, reasons}`.
///
/// A bad line (not JSON, or no title and no body) is skipped and reported
/// in the returned stats with its line number, rather than aborting: one
/// damaged record in a large crawl should not cost the rest. I/O errors do
/// abort. Extra fields are ignored; `dateline`, `lang` and `dedicated` are
/// used when present.
pub fn classify_jsonl(
    input: impl BufRead,
    mut output: impl Write,
    classifier: &TopicClassifier,
) -> Result<ClassifyStats, TopicError> {
    let mut stats = ClassifyStats::default();
    let skip = |stats: &mut ClassifyStats, line: usize, why: String| {
        stats.skipped += 1;
        if stats.skipped_lines.len() < MAX_SKIP_REPORT {
            stats.skipped_lines.push((line, why));
        }
    };
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        stats.lines += 1;
        let parsed: InLine = match serde_json::from_str(&line) {
            Ok(p) => p,
            Err(e) => {
                skip(&mut stats, i + 1, e.to_string());
                continue;
            }
        };
        let title = parsed
            .title
            .as_deref()
            .or(parsed.headline.as_deref())
            .unwrap_or("");
        let body = parsed
            .body
            .as_deref()
            .or(parsed.text.as_deref())
            .unwrap_or("");
        if title.trim().is_empty() && body.trim().is_empty() {
            skip(&mut stats, i + 1, "no title and no body".into());
            continue;
        }
        let rel = classifier.classify(&TopicInput {
            title,
            dateline: parsed.dateline.as_deref().filter(|d| !d.trim().is_empty()),
            body,
            lang: parsed.lang.as_deref(),
            dedicated_source: parsed.dedicated,
        });
        stats.classified += 1;
        stats.relevant += rel.relevant as usize;
        let out = OutLine {
            id: &parsed.id,
            relevant: rel.relevant,
            score: rel.score,
            tags: &rel.tags,
            reasons: &rel.reasons,
        };
        serde_json::to_writer(&mut output, &out).map_err(|e| TopicError::Io(e.into()))?;
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(stats)
}

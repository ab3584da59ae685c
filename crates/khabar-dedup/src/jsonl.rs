//! `khabar dedup <jsonl>`: groups copies and events in a file of stories.
//!
//! Input: one JSON object per line with `id` (number or string), `title`,
//! `body`, and optionally `source` and `published` (or `date`, as in the
//! Reuters corpus): RFC 3339, RFC 2822, `YYYY-MM-DD[ HH:MM:SS]`, the
//! Reuters `26-FEB-1987 15:01:01.79`, or a number of Unix seconds. Other
//! fields are ignored; blank lines are skipped.
//!
//! Output, after the whole input is read, one JSON object per line:
//! * every group of two or more copies, in order of creation:
//!   `{"kind":"copies","group":G,"primary":P,"ids":[...]}` (ids in arrival
//!   order; singletons are not printed, the stats count them);
//! * then every event: `{"kind":"event","event":E,"outlets":N,
//!   "groups":[primary of each group],"ids":[every story]}`.
//!
//! Ids are printed back exactly as they appeared in the input.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use serde_json::{Value, json};

use crate::{DedupConfig, DedupError, DedupIndex, Signature, StoryMeta};

/// What a run over a jsonl file found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupStats {
    /// Stories read (distinct ids).
    pub stories: usize,
    /// Lines whose id had already been seen (ignored).
    pub repeated_ids: usize,
    /// Groups of every size, singletons included.
    pub groups: usize,
    /// Groups of two or more copies.
    pub copy_groups: usize,
    /// Stories that are not their group's primary.
    pub copies: usize,
    /// Events (two or more groups).
    pub events: usize,
}

/// Reads stories from `input`, writes groups and events to `output`.
pub fn dedup_jsonl(
    input: impl BufRead,
    mut output: impl Write,
    config: &DedupConfig,
) -> Result<DedupStats, DedupError> {
    let mut index = DedupIndex::new(config.clone());
    let mut original: Vec<Value> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut stats = DedupStats::default();
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        let lineno = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| DedupError::BadLine {
            line: lineno,
            message,
        };
        let v: Value = serde_json::from_str(&line).map_err(|e| bad(format!("not JSON: {e}")))?;
        let obj = v
            .as_object()
            .ok_or_else(|| bad("not a JSON object".into()))?;
        let id = match obj.get("id") {
            Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
            _ => return Err(bad("missing `id` (number or string)".into())),
        };
        let title = obj.get("title").and_then(Value::as_str).unwrap_or("");
        let body = obj
            .get("body")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("missing `body` string".into()))?;
        let published = match obj.get("published").or_else(|| obj.get("date")) {
            Some(Value::String(s)) => parse_time(s),
            Some(Value::Number(x)) => x.as_i64(),
            _ => None,
        };
        let source = obj
            .get("source")
            .and_then(Value::as_str)
            .map(str::to_string);
        let key = id.to_string();
        if seen.contains_key(&key) {
            stats.repeated_ids += 1;
            continue;
        }
        let internal = original.len() as u64;
        seen.insert(key, internal);
        original.push(id);
        let meta = StoryMeta {
            published_unix: published,
            body_len: body.chars().count(),
            source,
        };
        index.insert(internal, Signature::of(title, body), meta);
    }
    stats.stories = original.len();
    let orig = |i: u64| original[i as usize].clone();
    let mut events: Vec<(u64, Vec<u64>, Vec<u64>)> = Vec::new();
    let mut event_pos: HashMap<u64, usize> = HashMap::new();
    for g in index.groups() {
        stats.groups += 1;
        if g.members.len() >= 2 {
            stats.copy_groups += 1;
            stats.copies += g.members.len() - 1;
            let ids: Vec<Value> = g.members.iter().map(|&i| orig(i)).collect();
            let line = json!({"kind": "copies", "group": orig(g.group), "primary": orig(g.primary), "ids": ids});
            writeln!(output, "{line}")?;
        }
        if let Some(e) = g.event {
            let pos = *event_pos.entry(e).or_insert_with(|| {
                events.push((e, Vec::new(), Vec::new()));
                events.len() - 1
            });
            events[pos].1.push(g.primary);
            events[pos].2.extend(&g.members);
        }
    }
    stats.events = events.len();
    for (e, primaries, members) in events {
        let line = json!({
            "kind": "event",
            "event": orig(e),
            "outlets": index.event_outlets(e),
            "groups": primaries.iter().map(|&i| orig(i)).collect::<Vec<_>>(),
            "ids": members.iter().map(|&i| orig(i)).collect::<Vec<_>>(),
        });
        writeln!(output, "{line}")?;
    }
    output.flush()?;
    Ok(stats)
}

/// Unix seconds of a date as news feeds and corpora write them (through
/// khabar-text's one date parser); `None` when the text is not a date.
pub fn parse_time(s: &str) -> Option<i64> {
    khabar_text::dates::parse_machine_date(s).map(|d| d.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_date_shapes_of_feeds_and_corpora() {
        assert_eq!(parse_time("1987-02-26T15:01:01Z"), Some(541_350_061));
        assert_eq!(parse_time("26-FEB-1987 15:01:01.79"), Some(541_350_061));
        assert_eq!(
            parse_time(" 4-MAR-1987 15:01:01.79"),
            parse_time("1987-03-04 15:01:01")
        );
        assert_eq!(
            parse_time("Thu, 26 Feb 1987 15:01:01 +0000"),
            Some(541_350_061)
        );
        assert_eq!(
            parse_time("27-MAR-1987 11:46:05.99V RM"),
            parse_time("1987-03-27 11:46:05")
        );
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn groups_copies_and_prints_original_ids() {
        let body = "TEHRAN, March 3 - Iran said on Tuesday it had shot down an Iraqi warplane over \
                    the southern front near Basra and captured its pilot, the official news agency said.\n\
                    The agency said the plane was hit by anti-aircraft fire while attacking \
                    residential areas of the city of Ahvaz in the province of Khuzestan.";
        let other = "LONDON, March 3 - Oil prices rose sharply on Tuesday as traders reacted to \
                     reports that OPEC members were keeping to their agreed output ceilings.";
        let input = format!(
            "{}\n{}\n\n{}\n",
            json!({"id": "a-1", "title": "IRAN SAYS IT DOWNED IRAQI JET", "body": body}),
            json!({"id": 7, "title": "Iran downs Iraqi plane", "body": format!("{body}\nThe pilot was taken to Tehran."), "source": "x"}),
            json!({"id": "b", "title": "OIL PRICES RISE", "body": other}),
        );
        let mut out = Vec::new();
        let stats = dedup_jsonl(input.as_bytes(), &mut out, &DedupConfig::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(stats.stories, 3);
        assert_eq!(stats.copy_groups, 1);
        let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["ids"], json!(["a-1", 7]));
        assert_eq!(first["primary"], json!(7));
    }

    #[test]
    fn bad_lines_are_errors_with_line_numbers() {
        let r = dedup_jsonl(
            "{\"id\":1,\"title\":\"t\",\"body\":\"b\"}\n[1,2]\n".as_bytes(),
            Vec::new(),
            &DedupConfig::default(),
        );
        assert!(matches!(r, Err(DedupError::BadLine { line: 2, .. })));
        let r = dedup_jsonl(
            "{\"title\":\"t\",\"body\":\"b\"}\n".as_bytes(),
            Vec::new(),
            &DedupConfig::default(),
        );
        assert!(matches!(r, Err(DedupError::BadLine { line: 1, .. })));
    }
}

//! Removes the lines outlets add around a wire story, by their shape.
//!
//! Copies of one report differ mostly in what surrounds the text: credits,
//! copyright notices, "Read more" links, share prompts, lone labels such as
//! "Advertisement". Left in, they make two copies look less alike and two
//! different stories of one outlet look more alike. The rules here look at
//! a line's shape (length, digits, standing alone, a generic opening phrase
//! found on news sites in general), never at which site it came from.

/// Openings of lines that are furniture, not reporting (folded, lower case).
const FURNITURE_OPENINGS: &[&str] = &[
    "reporting by",
    "additional reporting",
    "writing by",
    "editing by",
    "compiled by",
    "copyright",
    "all rights reserved",
    "click here",
    "read more",
    "read also",
    "also read",
    "see also",
    "related:",
    "related articles",
    "related stories",
    "related coverage",
    "share this",
    "share on",
    "share:",
    "follow us",
    "sign up",
    "subscribe",
    "advertisement",
    "(c) ",
    "© ",
    "bookmark",
    "print this",
    "email this",
    // Persian: "read more", "also read", "all rights", "copy", "share".
    "بیشتر بخوانید",
    "همچنین بخوانید",
    "بخوانید:",
    "کلیه حقوق",
    "تمامی حقوق",
    "کپی",
    "اشتراک",
];

/// Lines longer than this (in words) are reporting even when they open
/// with a furniture phrase ("Subscribers to the fund said...").
const FURNITURE_MAX_WORDS: usize = 25;
/// A line standing alone with at most this many words and no digit is a
/// label ("Advertisement", "Tweet", "REUTER"), not a sentence.
const LONE_LABEL_MAX_WORDS: usize = 3;

/// The lines of `text` worth comparing, in order.
pub fn content_lines(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let mut kept = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let prev = if i == 0 { None } else { Some(lines[i - 1]) };
        if !is_furniture(trimmed, prev) {
            kept.push(*line);
        }
    }
    kept
}

/// Whether one non-empty line is furniture. `prev` is the line before it,
/// used to tell a lone label from the wrapped tail of a sentence.
pub fn is_furniture(line: &str, prev: Option<&str>) -> bool {
    let words = khabar_text::word_count(line);
    let folded = crate::fast_fold::fold(line);
    let body = folded.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(' && c != '©');
    if words <= FURNITURE_MAX_WORDS && FURNITURE_OPENINGS.iter().any(|p| opens_with(body, p)) {
        return true;
    }
    if words <= FURNITURE_MAX_WORDS && folded.contains("all rights reserved") {
        return true;
    }
    if words <= 12
        && (folded.contains("http://") || folded.contains("https://") || folded.contains("www."))
    {
        return true;
    }
    let has_digit = line.chars().any(|c| c.is_numeric());
    if words <= LONE_LABEL_MAX_WORDS && !has_digit && stands_alone(prev) {
        return true;
    }
    false
}

/// Whether `s` opens with the phrase `p` as whole words ("subscribe" does
/// not open "Subscribers said...").
fn opens_with(s: &str, p: &str) -> bool {
    s.strip_prefix(p).is_some_and(|rest| {
        !p.ends_with(char::is_alphanumeric) || !rest.starts_with(char::is_alphanumeric)
    })
}

/// A line stands alone when nothing before it runs on into it: it starts
/// the text, follows a blank line, or follows a finished sentence.
fn stands_alone(prev: Option<&str>) -> bool {
    match prev.map(str::trim_end) {
        None => true,
        Some(p) if p.trim().is_empty() => true,
        Some(p) => p.ends_with(['.', '!', '?', ':', '"', '\'', ')', '؟', '»', '”']),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_credits_links_and_lone_labels() {
        let text = "WASHINGTON (Reuters) - Iran said on Monday it would resume talks.\n\
                    \n\
                    Advertisement\n\
                    \n\
                    The talks stalled last year over sanctions.\n\
                    Reporting by Humeyra Pamuk; Editing by Mark Heinrich\n\
                    Read more: https://example.com/x\n\
                    © 2024 Some Outlet. All rights reserved.\n\
                    بیشتر بخوانید: گزارش دیگر\n\
                    Share on Facebook";
        let kept = content_lines(text);
        assert_eq!(
            kept,
            vec![
                "WASHINGTON (Reuters) - Iran said on Monday it would resume talks.",
                "The talks stalled last year over sanctions."
            ]
        );
    }

    #[test]
    fn keeps_wrapped_sentence_tails_and_number_rows() {
        // Wire copy wraps lines; a short tail of a sentence is content, and
        // so is a short table row with figures.
        let text = "Arrivals were 155,221 bags, again counting what was\n\
                    on consignment.\n\
                    Shr 12 cts\n\
                    Reporters said the subscription offer for the shares was oversubscribed.\n\
                    Subscribers to the fund said they were pleased.";
        assert_eq!(content_lines(text).len(), 5);
    }

    #[test]
    fn wire_signoff_on_its_own_line_is_dropped() {
        let text = "    Soybean oil total 55.8 (33.7).\n&\\t   REUTER";
        assert_eq!(
            content_lines(text),
            vec!["    Soybean oil total 55.8 (33.7)."]
        );
    }
}

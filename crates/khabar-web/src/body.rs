//! Story bodies as HTML, and sanitising of HTML that came from elsewhere.
//!
//! Bodies are built from plain-text [`Block`]s with every character escaped,
//! then passed through ammonia anyway: republished text must never be able
//! to carry markup onto our pages or into readers' feed readers.

use std::collections::HashSet;
use std::sync::LazyLock;

use khabar_model::{Block, BlockKind, StoredStory};

/// Escapes text for HTML element content and attribute values (khabar's
/// one escaper, [`khabar_text::escape_html`]).
pub use khabar_text::escape_html as escape;

/// HTML of body blocks; consecutive list items share one `<ul>`; the
/// dateline, when given, leads the first paragraph as on the wire.
pub fn blocks_html(blocks: &[Block], dateline: Option<&str>) -> String {
    let mut out = String::new();
    let mut in_list = false;
    let mut dateline = dateline.filter(|d| !d.trim().is_empty());
    for b in blocks {
        let is_item = b.kind == BlockKind::ListItem;
        if in_list && !is_item {
            out.push_str("</ul>\n");
            in_list = false;
        }
        let text = escape(&b.text);
        match b.kind {
            BlockKind::Paragraph => {
                out.push_str("<p>");
                if let Some(d) = dateline.take() {
                    out.push_str("<strong class=\"dateline\">");
                    out.push_str(&escape(d));
                    out.push_str("</strong> ");
                }
                out.push_str(&text);
                out.push_str("</p>\n");
            }
            BlockKind::Heading(level) => {
                let level = level.clamp(2, 6);
                out.push_str(&format!("<h{level}>{text}</h{level}>\n"));
            }
            BlockKind::ListItem => {
                if !in_list {
                    out.push_str("<ul>\n");
                    in_list = true;
                }
                out.push_str(&format!("<li>{text}</li>\n"));
            }
            BlockKind::Quote => out.push_str(&format!("<blockquote><p>{text}</p></blockquote>\n")),
            BlockKind::Preformatted => out.push_str(&format!("<pre>{text}</pre>\n")),
        }
    }
    if in_list {
        out.push_str("</ul>\n");
    }
    if let Some(d) = dateline {
        // A body without paragraphs still shows its dateline.
        out.insert_str(
            0,
            &format!("<p><strong class=\"dateline\">{}</strong></p>\n", escape(d)),
        );
    }
    clean(&out)
}

/// The body readers see for a story: the full text when the source allows
/// republishing it, else the excerpt (the page and feeds then link out).
pub fn story_body_html(s: &StoredStory) -> String {
    if s.full_text && !s.blocks.is_empty() {
        blocks_html(&s.blocks, s.dateline.as_deref())
    } else if s.full_text && !s.body_text.trim().is_empty() {
        let blocks: Vec<Block> = s
            .body_text
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| Block::paragraph(p.trim()))
            .collect();
        blocks_html(&blocks, s.dateline.as_deref())
    } else {
        blocks_html(
            &[Block::paragraph(s.excerpt.clone())],
            s.dateline.as_deref(),
        )
    }
}

/// Full HTML for a feed item: body, credits, and the attribution line
/// linking to the original.
pub fn feed_item_html(s: &StoredStory) -> String {
    let mut html = story_body_html(s);
    let original = crate::view::original_url(s);
    if let Some(credits) = s.credits.as_deref().filter(|c| !c.trim().is_empty()) {
        html.push_str(&format!("<p><em>{}</em></p>\n", escape(credits)));
    }
    if !s.full_text {
        html.push_str(&format!(
            "<p><a href=\"{}\">Read the full story at {}</a></p>\n",
            escape(&original),
            escape(&s.source_name)
        ));
    }
    // The story page's own attribution line, worded the same.
    html.push_str(&format!(
        "<p>Original News: <a href=\"{}\">{}</a> — {}</p>\n",
        escape(&original),
        escape(&original),
        escape(&s.source_name)
    ));
    clean(&html)
}

static BODY_CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tag_attributes("strong", &["class"]);
    b.link_rel(Some("noopener noreferrer"));
    b
});

static MARK_ONLY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(HashSet::from(["mark"]));
    b
});

/// Sanitises an HTML fragment for republishing (ammonia's safe defaults).
pub fn clean(html: &str) -> String {
    BODY_CLEANER.clean(html).to_string()
}

/// Sanitises a search snippet: text and `<mark>` only.
pub fn clean_snippet(html: &str) -> String {
    MARK_ONLY.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_escaped_and_structured() {
        let blocks = vec![
            Block::paragraph("Iran <script>alert(1)</script> & friends"),
            Block {
                kind: BlockKind::Heading(2),
                text: "Sub".into(),
            },
            Block {
                kind: BlockKind::ListItem,
                text: "one".into(),
            },
            Block {
                kind: BlockKind::ListItem,
                text: "two".into(),
            },
            Block {
                kind: BlockKind::Quote,
                text: "said".into(),
            },
        ];
        let html = blocks_html(&blocks, Some("WASHINGTON (Reuters) –"));
        assert!(html.contains(
            "<strong class=\"dateline\">WASHINGTON (Reuters) –</strong> Iran &lt;script&gt;"
        ));
        assert!(!html.contains("<script>"));
        assert!(html.contains("<h2>Sub</h2>"));
        assert_eq!(html.matches("<ul>").count(), 1);
        assert!(html.contains("<li>one</li>\n<li>two</li>"));
        assert!(html.contains("<blockquote><p>said</p></blockquote>"));
    }

    #[test]
    fn snippet_keeps_only_mark() {
        let s = clean_snippet("a <mark>Iran</mark> <b>x</b> <img src=x onerror=alert(1)>");
        assert_eq!(s, "a <mark>Iran</mark> x ");
    }

    #[test]
    fn excerpt_only_sources_get_a_link_out() {
        let s = StoredStory {
            full_text: false,
            excerpt: "Short".into(),
            blocks: vec![Block::paragraph("Whole text")],
            source_name: "Wire".into(),
            url: "https://wire.example/a?x=1&y=2".into(),
            ..Default::default()
        };
        let html = feed_item_html(&s);
        assert!(html.contains("Short"));
        assert!(!html.contains("Whole text"));
        assert!(html.contains(
            "Original News: <a href=\"https://wire.example/a?x=1&amp;y=2\" rel=\"noopener noreferrer\">https://wire.example/a?x=1&amp;y=2</a> — Wire"
        ));
    }
}

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::PageType;

/// Reading direction of a piece of text; Persian and Arabic stories are
/// rendered right-to-left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDirection {
    #[default]
    Ltr,
    Rtl,
}

impl TextDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }
}

/// What kind of block of the article body a [`Block`] is. The site renders
/// each kind with its own element, so the article keeps its structure
/// (headings, lists, quotes) rather than becoming one wall of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph,
    /// A heading inside the body; level 2..=6.
    Heading(u8),
    ListItem,
    Quote,
    /// Preformatted text, table rows flattened to text, or code.
    Preformatted,
}

/// One block of article text, plain (no markup), whitespace-normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block {
            kind: BlockKind::Paragraph,
            text: text.into(),
        }
    }
}

/// What the extraction stage found in one article page.
///
/// Every field but `blocks`/`text` is optional because real pages omit any of
/// them; the pipeline falls back to the feed entry's values where the page is
/// silent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The URL the page was fetched from.
    pub url: Option<String>,
    /// `<link rel=canonical>` or `og:url`, resolved against `url`.
    pub canonical_url: Option<String>,
    pub title: Option<String>,
    /// Byline as the page shows it, e.g. "By Humeyra Pamuk".
    pub byline: Option<String>,
    /// Individual author names, when they can be told apart.
    pub authors: Vec<String>,
    /// Publish time with the page's own offset where the page gives one.
    pub published: Option<DateTime<FixedOffset>>,
    /// Last modified time, when the page says so.
    pub modified: Option<DateTime<FixedOffset>>,
    /// The wire dateline, e.g. "WASHINGTON (Reuters) –".
    pub dateline: Option<String>,
    /// The credits line, e.g. "Reporting by …; Editing by …".
    pub credits: Option<String>,
    /// BCP-47 language code (`en`, `fa`, …).
    pub lang: Option<String>,
    pub dir: TextDirection,
    /// The body as structured blocks, without dateline and credits.
    pub blocks: Vec<Block>,
    /// The body as plain text: blocks joined by blank lines.
    pub text: String,
    pub description: Option<String>,
    pub lead_image: Option<String>,
    /// What the lead image shows, for `alt` (`og:image:alt`, the image's own `alt`).
    pub lead_image_alt: Option<String>,
    /// The lead image's caption as the page prints it (`figcaption`, JSON-LD `caption`).
    pub lead_image_caption: Option<String>,
    /// Who made or owns the lead image (`creditText`, `copyrightHolder`, credit markup).
    pub lead_image_credit: Option<String>,
    pub site_name: Option<String>,
    /// What kind of page this is; only articles are published.
    #[serde(default)]
    pub page_type: PageType,
}

impl Article {
    /// Joins blocks into the plain-text body (blank line between blocks).
    pub fn text_from_blocks(blocks: &[Block]) -> String {
        let mut out = String::new();
        for b in blocks {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&b.text);
        }
        out
    }
}

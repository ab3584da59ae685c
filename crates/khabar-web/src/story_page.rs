//! Story pages kept rendered, with the two per-reader parts left open.
//!
//! A story page is the same for every reader but for the like form's token
//! (one per reader) and the like count (which changes without moving the
//! store generation, since no list shows it). Rendering it costs four store
//! queries, sanitising the body and a template run; so the page is rendered
//! once per store generation with an unguessable marker in each of those two
//! places and kept split at the markers. A later request costs one store read
//! (generation and like count together) and three copies.
//!
//! The markers are random per process: a republished body cannot contain
//! them, so it cannot make the page split in the wrong place.

use std::sync::Arc;

use crate::cache::{GenerationCache, Weigh};
use crate::security;

/// At most this many story pages are kept.
pub(crate) const MAX_PAGES: usize = 4096;
/// At most this many bytes of story pages are kept.
pub(crate) const MAX_BYTES: usize = 96 * 1024 * 1024;

/// Stand-ins rendered in place of the per-request parts.
pub(crate) struct Markers {
    pub token: String,
    pub likes: String,
}

impl Markers {
    pub(crate) fn new() -> Markers {
        Markers {
            token: format!("khabar-token-{}", security::random_id()),
            likes: format!("khabar-likes-{}", security::random_id()),
        }
    }
}

/// A rendered story page cut at the like token and the like count.
pub(crate) struct StoryShell {
    /// The page's interface locale, for the like count's wording.
    pub(crate) locale: &'static str,
    before_token: Box<str>,
    before_likes: Box<str>,
    rest: Box<str>,
}

impl Weigh for StoryShell {
    fn weight(&self) -> usize {
        self.before_token.len() + self.before_likes.len() + self.rest.len()
    }
}

impl StoryShell {
    /// Cuts `html` at the markers; `None` unless each appears exactly once, token first.
    pub(crate) fn split(html: &str, m: &Markers, locale: &'static str) -> Option<StoryShell> {
        let (a, tail) = split_once_only(html, &m.token)?;
        let (b, c) = split_once_only(tail, &m.likes)?;
        if a.contains(&m.likes) {
            return None;
        }
        Some(StoryShell {
            locale,
            before_token: a.into(),
            before_likes: b.into(),
            rest: c.into(),
        })
    }

    /// The page for one reader: their token and the current like text.
    pub(crate) fn fill(&self, token: &str, likes_text: &str) -> String {
        let mut out = String::with_capacity(self.weight() + token.len() + likes_text.len());
        out.push_str(&self.before_token);
        out.push_str(token);
        out.push_str(&self.before_likes);
        out.push_str(likes_text);
        out.push_str(&self.rest);
        out
    }
}

/// `s` cut around `marker` when it occurs exactly once.
fn split_once_only<'a>(s: &'a str, marker: &str) -> Option<(&'a str, &'a str)> {
    let (a, b) = s.split_once(marker)?;
    (!b.contains(marker)).then_some((a, b))
}

/// Rendered story shells by story id, each valid for one store generation.
pub(crate) type StoryPageCache = GenerationCache<i64, Arc<StoryShell>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_reader_token_and_like_count_into_the_kept_page() {
        let m = Markers::new();
        let html = format!(
            "<p>body</p><input value=\"{}\"><span>{}</span><footer>",
            m.token, m.likes
        );
        let shell = StoryShell::split(&html, &m, "en").expect("both markers once");
        assert_eq!(
            shell.fill("abc123", "2 readers like this"),
            "<p>body</p><input value=\"abc123\"><span>2 readers like this</span><footer>"
        );
        assert_eq!(
            shell.fill("zzz", "1 reader likes this"),
            "<p>body</p><input value=\"zzz\"><span>1 reader likes this</span><footer>"
        );
    }

    #[test]
    fn refuses_a_page_where_a_marker_is_missing_repeated_or_out_of_order() {
        let m = Markers::new();
        assert!(StoryShell::split("<p>no form</p>", &m, "en").is_none());
        let twice = format!("{0}{1}{0}", m.token, m.likes);
        assert!(StoryShell::split(&twice, &m, "en").is_none());
        let reversed = format!("{}{}", m.likes, m.token);
        assert!(StoryShell::split(&reversed, &m, "en").is_none());
        assert_ne!(m.token, Markers::new().token, "markers are random");
    }
}

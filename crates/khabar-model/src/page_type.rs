use serde::{Deserialize, Serialize};

/// What kind of page an extracted page is. Only articles are published;
/// every other kind is kept as a rejected story with its type as the
/// reason, and its main content is still extracted (a forum's posts, a
/// product's description, a doc's body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageType {
    /// One story or post with a body of running text.
    #[default]
    Article,
    /// A section front, tag page or search result: teasers linking to articles.
    Listing,
    /// A gallery or curated set of items (recipes, products, links).
    Collection,
    /// A discussion thread: posts and replies.
    Forum,
    /// A product page: description, price, offer.
    Product,
    /// Technical documentation or reference.
    Documentation,
    /// A company, service or landing page.
    Service,
}

impl PageType {
    /// Every type, in the order the page-type model lists its classes.
    pub const ALL: [PageType; 7] = [
        PageType::Article,
        PageType::Listing,
        PageType::Collection,
        PageType::Forum,
        PageType::Product,
        PageType::Documentation,
        PageType::Service,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PageType::Article => "article",
            PageType::Listing => "listing",
            PageType::Collection => "collection",
            PageType::Forum => "forum",
            PageType::Product => "product",
            PageType::Documentation => "documentation",
            PageType::Service => "service",
        }
    }

    /// The type named `s` (as [`PageType::as_str`] writes it).
    pub fn parse(s: &str) -> Option<PageType> {
        PageType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in PageType::ALL {
            assert_eq!(PageType::parse(t.as_str()), Some(t));
        }
        assert_eq!(PageType::parse("blog"), None);
    }
}

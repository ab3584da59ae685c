//! The part every syndication format shares: giving each item an address
//! and turning the items into the pipeline's [`ParsedFeed`].

use khabar_model::{EntryLink, FeedEntry, FeedKind, ParsedFeed};

use crate::FeedReport;

/// What a format reader found in the feed's head.
pub(crate) struct Channel {
    pub kind: FeedKind,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub language: Option<String>,
}

/// One item as read, before the link fallbacks decide its address.
#[derive(Default)]
pub(crate) struct Item {
    pub entry: FeedEntry,
    /// The article link, if the item has one (`<link>`, Atom alternate).
    pub link: Option<String>,
    /// A guid or id that is the item's permalink.
    pub permalink: Option<String>,
    /// The item's enclosure (audio, video, a document).
    pub enclosure: Option<String>,
}

/// Gives every item an address: its own link, its permalink guid, its
/// enclosure, else the feed's site link, or the home page of the host that
/// serves the feed. The feed stage keeps every item it can address, text
/// or not, repeated or not; whether one can be published, and which of
/// several items with one address is the story, is the pipeline's call
/// (it keys stories by canonical URL). Items left
/// without any address are counted, each with why.
pub(crate) fn assemble(channel: Channel, items: Vec<Item>, base: Option<&url::Url>) -> FeedReport {
    let home = channel
        .site_url
        .clone()
        .or_else(|| base.map(crate::sitemap::site_root));
    let mut entries = Vec::with_capacity(items.len());
    let mut skipped = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let mut entry = item.entry;
        let address = item
            .link
            .map(|u| (u, EntryLink::Link))
            .or(item.permalink.map(|u| (u, EntryLink::Guid)))
            .or(item.enclosure.map(|u| (u, EntryLink::Enclosure)))
            .or(home.clone().map(|u| (u, EntryLink::SiteLink)));
        let Some((url, from)) = address else {
            skipped.push(format!(
                "item {}: no link, no permalink, no enclosure, and no site to link to",
                i + 1
            ));
            continue;
        };
        entry.url = url;
        entry.link_from = from;
        if entry.language.is_none() {
            entry.language.clone_from(&channel.language);
        }
        entries.push(entry);
    }
    let mut report = FeedReport::new(
        ParsedFeed {
            kind: channel.kind,
            title: channel.title,
            site_url: channel.site_url,
            language: channel.language,
            entries,
            child_sitemaps: Vec::new(),
        },
        skipped.len(),
    );
    report.skipped = skipped;
    report
}

//! `khabar import-opml` / `export-opml`.

use std::path::Path;

use anyhow::Context;

use khabar_feed::opml::{KhabarOutline, OpmlOutline, parse_opml, write_opml};
use khabar_model::SourceKind;
use khabar_store::SourceSpec;

use crate::config::Config;

pub async fn import(file: &Path, config: Config) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let outlines = parse_opml(&bytes).with_context(|| file.display().to_string())?;
    let (outlines, repeated) = merge_repeats(outlines);
    for (url, n) in &repeated {
        println!("listed {n} times: {url} (imported once, with the tags of every folder)");
    }
    let store = super::open(&config).await?;
    let existing = store.sources().all().await?;
    let mut added = 0;
    let mut duplicates = 0;
    for o in outlines {
        let Ok(url) = url::Url::parse(&o.xml_url) else {
            eprintln!("skipped {:?}: not a URL", o.xml_url);
            continue;
        };
        if let Some(s) = existing.iter().find(|s| s.url == o.xml_url) {
            println!("already a source: {} ({})", o.xml_url, s.slug);
            duplicates += 1;
            continue;
        }
        // A list written by a khabar site carries each source's settings;
        // any other reader's list gets the defaults of `source add`.
        let settings = o.khabar.clone().unwrap_or_default();
        let kind = match settings.kind.as_deref() {
            None | Some("feed") => SourceKind::Feed,
            Some("sitemap") => SourceKind::Sitemap,
            Some(other) => {
                eprintln!("skipped {:?}: unknown source kind {other:?}", o.xml_url);
                continue;
            }
        };
        let proxy = match settings.proxy.clone() {
            Some(p) => match crate::config::check_proxy(&p) {
                Ok(()) => Some(p),
                Err(why) => {
                    eprintln!("skipped {:?}: proxy {p:?}: {why}", o.xml_url);
                    continue;
                }
            },
            None => None,
        };
        let outlet = match settings
            .outlet
            .as_deref()
            .map(khabar_model::OutletKind::parse)
        {
            None => khabar_model::OutletKind::Other,
            Some(Ok(k)) => k,
            Some(Err(e)) => {
                eprintln!("skipped {:?}: {e}", o.xml_url);
                continue;
            }
        };
        let base_slug = settings
            .slug
            .clone()
            .filter(|s| crate::config::valid_slug(s))
            .unwrap_or_else(|| super::sources::slug_from_url(&url));
        let mut slug = base_slug.clone();
        let mut n = 2;
        while existing.iter().any(|s| s.slug == slug)
            || store.sources().by_slug(&slug).await?.is_some()
        {
            slug = format!("{base_slug}-{n}");
            n += 1;
        }
        // Another reader's folders become the source's tags; a khabar list
        // carries them itself.
        let tags: Vec<String> = settings.tags.iter().chain(&o.folders).cloned().collect();
        store
            .sources()
            .upsert(&SourceSpec {
                slug: slug.clone(),
                name: if o.title.is_empty() {
                    url.host_str().unwrap_or("").to_string()
                } else {
                    o.title.clone()
                },
                url: o.xml_url.clone(),
                kind,
                lang: o.language.clone(),
                full_text: settings.full_text.unwrap_or(true),
                dedicated: settings.dedicated.unwrap_or(false),
                proxy,
                outlet,
                outlet_note: settings.outlet_note.clone(),
            })
            .await?;
        store.set_source_tags(&slug, &tags).await?;
        added += 1;
    }
    println!("imported {added} new sources, {duplicates} already there");
    store.close().await;
    Ok(())
}

pub async fn export(file: Option<&Path>, config: Config) -> anyhow::Result<()> {
    let store = super::open(&config).await?;
    let mut outlines = Vec::new();
    for s in store.sources().all().await? {
        let tags = store.source_tags(&s.slug).await?;
        // Other readers show the first tag as the source's folder.
        let folder = tags.first().cloned();
        outlines.push(OpmlOutline {
            title: s.name,
            xml_url: s.url,
            html_url: None,
            category: folder.clone(),
            folders: folder.into_iter().collect(),
            language: s.lang,
            khabar: Some(KhabarOutline {
                slug: Some(s.slug),
                kind: Some(s.kind.as_str().to_string()),
                full_text: Some(s.full_text),
                dedicated: Some(s.dedicated),
                proxy: s.proxy,
                tags,
                outlet: Some(s.outlet.as_str().to_string()),
                outlet_note: s.outlet_note,
            }),
        });
    }
    let xml = write_opml(&config.site.title, &outlines);
    match file {
        Some(p) => {
            std::fs::write(p, xml).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => print!("{xml}"),
    }
    store.close().await;
    Ok(())
}

/// One outline per feed address: a feed listed in several folders (common
/// in Feedly and FreshRSS exports) is imported once, with every folder it
/// sat in. Returns the merged list and the addresses listed more than once.
fn merge_repeats(outlines: Vec<OpmlOutline>) -> (Vec<OpmlOutline>, Vec<(String, usize)>) {
    let mut merged: Vec<OpmlOutline> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    for o in outlines {
        match merged.iter().position(|m| m.xml_url == o.xml_url) {
            Some(i) => {
                merged[i].folders.extend(o.folders);
                counts[i] += 1;
            }
            None => {
                merged.push(o);
                counts.push(1);
            }
        }
    }
    let repeated = merged
        .iter()
        .zip(&counts)
        .filter(|(_, n)| **n > 1)
        .map(|(o, n)| (o.xml_url.clone(), *n))
        .collect();
    (merged, repeated)
}

//! A story's coverage in its feed entry, so a feed reader or a script can
//! tell who carried it without fetching the page: in Atom and RSS a
//! `<khabar:coverage>` element in khabar's namespace, in JSON Feed the
//! `_khabar` extension object (the JSON Feed way to extend an item).
//!
//! ```xml
//! <khabar:coverage reports="3">
//!   <khabar:outlet kind="state" reports="1"/>
//!   <khabar:outlet kind="international" reports="2"/>
//!   <khabar:language code="en" reports="2"/>
//!   <khabar:language code="fa" reports="1"/>
//! </khabar:coverage>
//! ```

use std::collections::BTreeMap;

use khabar_model::Coverage;

/// The namespace of khabar's feed extension elements.
pub const KHABAR_FEED_NS: &str = "urn:khabar:feed:1";
/// The prefix it is bound to.
pub const PREFIX: &str = "khabar";

/// One element of the extension, independent of the feed crate writing it.
struct Element {
    local: &'static str,
    attrs: BTreeMap<String, String>,
    children: Vec<Element>,
}

fn element(cov: &Coverage) -> Element {
    let attr = |pairs: &[(&str, String)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    let mut children: Vec<Element> = cov
        .outlets
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| Element {
            local: "outlet",
            attrs: attr(&[("kind", k.as_str().to_string()), ("reports", n.to_string())]),
            children: Vec::new(),
        })
        .collect();
    children.extend(
        cov.languages
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(l, n)| Element {
                local: "language",
                attrs: attr(&[("code", l.clone()), ("reports", n.to_string())]),
                children: Vec::new(),
            }),
    );
    Element {
        local: "coverage",
        attrs: attr(&[("reports", cov.reports().to_string())]),
        children,
    }
}

macro_rules! extension_map {
    ($ext:path, $map:path, $cov:expr) => {{
        fn convert(e: Element) -> $ext {
            let mut children: BTreeMap<String, Vec<$ext>> = BTreeMap::new();
            for c in e.children {
                children
                    .entry(c.local.to_string())
                    .or_default()
                    .push(convert(c));
            }
            let mut x = <$ext>::default();
            x.name = format!("{PREFIX}:{}", e.local);
            x.attrs = e.attrs;
            x.children = children;
            x
        }
        let root = element($cov);
        let mut by_name = BTreeMap::new();
        by_name.insert(root.local.to_string(), vec![convert(root)]);
        let mut map = <$map>::new();
        map.insert(PREFIX.to_string(), by_name);
        map
    }};
}

/// The Atom entry's extension map holding the coverage element.
pub fn atom(cov: &Coverage) -> atom_syndication::extension::ExtensionMap {
    extension_map!(
        atom_syndication::extension::Extension,
        atom_syndication::extension::ExtensionMap,
        cov
    )
}

/// The RSS item's extension map holding the coverage element.
pub fn rss(cov: &Coverage) -> rss::extension::ExtensionMap {
    extension_map!(rss::extension::Extension, rss::extension::ExtensionMap, cov)
}

/// The JSON Feed item's `_khabar` object.
pub fn json(cov: &Coverage) -> serde_json::Value {
    serde_json::json!({ "coverage": {
        "reports": cov.reports(),
        "outlets": cov.outlets,
        "languages": cov.languages,
    }})
}

#[cfg(test)]
mod tests {
    use super::*;
    use khabar_model::OutletKind;

    #[test]
    fn counts_become_attributes_of_namespaced_elements() {
        let mut c = Coverage::default();
        c.add(OutletKind::State, Some("fa"), 1);
        c.add(OutletKind::International, Some("en"), 2);
        let map = rss(&c);
        let root = &map[PREFIX]["coverage"][0];
        assert_eq!(root.name, "khabar:coverage");
        assert_eq!(root.attrs["reports"], "3");
        let outlets = &root.children["outlet"];
        assert_eq!(outlets.len(), 2);
        assert_eq!(outlets[0].attrs["kind"], "state");
        assert_eq!(root.children["language"][1].attrs["code"], "fa");
        let j = json(&c);
        assert_eq!(j["coverage"]["outlets"]["international"], 2);
    }
}

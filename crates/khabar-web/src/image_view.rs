//! What templates, JSON-LD, OpenGraph and feeds see of a story's lead
//! image: only khabar's own `/img/` addresses, never the source's.

use khabar_model::{StoredStory, StoryImage};
use serde::Serialize;

/// Width of the default `src`: sharp in a card or a phone-wide column.
const DEFAULT_WIDTH: u32 = 640;

/// A lead image ready for `<img src srcset width height alt>` and a
/// `<figcaption>` with its credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageView {
    /// Site-relative URL of the default variant (format negotiated).
    pub src: String,
    /// `"/img/7/320 320w, /img/7/640 640w, …"`, ready for the attribute.
    pub srcset: String,
    /// Size of the `src` variant, so the page reserves its box.
    pub width: u32,
    pub height: u32,
    /// Alt text: the page's own, else the caption, else the headline.
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

impl ImageView {
    /// `None` when khabar holds no variant of the story's picture.
    pub fn of(s: &StoredStory) -> Option<ImageView> {
        let img = s.image.as_ref()?;
        let width = default_width(img)?;
        let nonempty = |t: &Option<String>| {
            t.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let caption = nonempty(&img.caption);
        Some(ImageView {
            src: variant_path(img.id, width, None),
            srcset: img
                .widths
                .iter()
                .map(|w| format!("{} {w}w", variant_path(img.id, *w, None)))
                .collect::<Vec<_>>()
                .join(", "),
            width,
            height: height_at(img, width),
            alt: nonempty(&img.alt)
                .or_else(|| caption.clone())
                .unwrap_or_else(|| s.headline.clone()),
            caption,
            credit: nonempty(&img.credit),
        })
    }
}

/// The variant shown by default: 640 px, or the widest below it.
fn default_width(img: &StoryImage) -> Option<u32> {
    img.widths
        .iter()
        .copied()
        .filter(|&w| w <= DEFAULT_WIDTH)
        .max()
        .or_else(|| img.widths.iter().copied().min())
}

/// Height of the `width` variant, from the largest variant's aspect.
pub fn height_at(img: &StoryImage, width: u32) -> u32 {
    if img.width == 0 {
        return 0;
    }
    let h = (u64::from(img.height) * u64::from(width) + u64::from(img.width) / 2)
        / u64::from(img.width);
    h.max(1) as u32
}

/// `/img/{id}/{width}` (negotiated) or with `.webp`/`.jpg`.
pub fn variant_path(id: i64, width: u32, ext: Option<&str>) -> String {
    match ext {
        Some(e) => format!("/img/{id}/{width}.{e}"),
        None => format!("/img/{id}/{width}"),
    }
}

/// The largest JPEG variant as an absolute URL, with its size: what feeds,
/// OpenGraph and JSON-LD name (their readers do not negotiate formats and
/// JPEG is the one every one of them takes).
pub fn absolute_jpeg(s: &StoredStory, base_url: &str) -> Option<(String, u32, u32)> {
    let img = s.image.as_ref()?;
    let w = img.widths.iter().copied().max()?;
    Some((
        format!(
            "{}{}",
            base_url.trim_end_matches('/'),
            variant_path(img.id, w, Some("jpg"))
        ),
        w,
        height_at(img, w),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story() -> StoredStory {
        StoredStory {
            headline: "Talks resume".into(),
            image: Some(StoryImage {
                id: 7,
                width: 1024,
                height: 576,
                widths: vec![320, 640, 1024],
                alt: None,
                caption: Some("Delegates in Vienna.".into()),
                credit: Some("Photo: Jane Doe".into()),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn srcset_and_default_variant() {
        let v = ImageView::of(&story()).unwrap();
        assert_eq!(v.src, "/img/7/640");
        assert_eq!(
            v.srcset,
            "/img/7/320 320w, /img/7/640 640w, /img/7/1024 1024w"
        );
        assert_eq!((v.width, v.height), (640, 360));
        assert_eq!(v.alt, "Delegates in Vienna.");
        assert_eq!(v.credit.as_deref(), Some("Photo: Jane Doe"));
        assert_eq!(
            absolute_jpeg(&story(), "https://n.example/"),
            Some(("https://n.example/img/7/1024.jpg".into(), 1024, 576))
        );
    }

    #[test]
    fn no_image_no_view() {
        assert_eq!(ImageView::of(&StoredStory::default()), None);
    }
}

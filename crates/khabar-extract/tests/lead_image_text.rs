//! The lead image's alt text, caption and credit on real pages.

use std::path::{Path, PathBuf};

use khabar_extract::ArticleExtractor;
use khabar_model::Article;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/readability-pages")
}

fn extract(dir: &str) -> Option<Article> {
    let html = std::fs::read(root().join(dir).join("source.html")).ok()?;
    ArticleExtractor::new(Default::default())
        .extract(&html, Some("http://fakehost/test/page.html"), None)
        .ok()
}

#[test]
fn figure_captions_and_credits_of_the_lead_picture() {
    let a = extract("bug-1255978").expect("corpus page");
    assert_eq!(
        a.lead_image_caption.as_deref(),
        Some("Even luxury hotels aren’t always cleaned as often as they should be")
    );
    assert_eq!(a.lead_image_credit.as_deref(), Some("Getty Images"));

    let a = extract("cnet").expect("corpus page");
    assert_eq!(
        a.lead_image_caption.as_deref(),
        Some("Facebook CEO Mark Zuckerberg, the man with the acquisition plan.")
    );
    assert_eq!(a.lead_image_credit.as_deref(), Some("Photo by James Martin/CNET"));

    let a = extract("folha").expect("corpus page");
    assert_eq!(a.lead_image_credit.as_deref(), Some("Heinrich Aikawa/Instituto Lula"));
    assert!(
        a.lead_image_caption
            .as_deref()
            .is_some_and(|c| c.starts_with("Luiz Inácio Lula da Silva"))
    );
}

/// Over the whole corpus: a credit is never the story's byline, alt text
/// is never markup or a file name, and a fair share of pages with a lead
/// image yield a caption or credit.
#[test]
fn across_the_corpus_text_is_the_pictures_own() {
    let mut dirs: Vec<String> = std::fs::read_dir(root())
        .expect("corpus")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    dirs.sort();
    let (mut with_image, mut described) = (0, 0);
    for d in &dirs {
        let Some(a) = extract(d) else { continue };
        if a.lead_image.is_none() {
            assert_eq!((&a.lead_image_caption, &a.lead_image_credit), (&None, &None), "{d}");
            continue;
        }
        with_image += 1;
        if a.lead_image_caption.is_some() || a.lead_image_credit.is_some() {
            described += 1;
        }
        if let (Some(credit), Some(byline)) = (&a.lead_image_credit, &a.byline) {
            assert!(
                !byline.contains(credit.as_str()),
                "{d}: credit {credit:?} is the byline {byline:?}"
            );
        }
        if let Some(alt) = &a.lead_image_alt {
            assert!(!alt.contains('<'), "{d}: {alt:?}");
            assert!(!alt.to_ascii_lowercase().ends_with(".jpg"), "{d}: {alt:?}");
        }
        for t in [&a.lead_image_caption, &a.lead_image_credit].into_iter().flatten() {
            assert_eq!(t.trim(), t, "{d}");
            assert!(!t.is_empty() && t.chars().count() <= 600, "{d}");
        }
    }
    assert!(with_image >= 40, "{with_image} pages with a lead image");
    assert!(described >= 8, "only {described} of {with_image} described");
}

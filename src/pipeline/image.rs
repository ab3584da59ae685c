//! The lead image of a stored story: fetched by khabar through the same
//! polite fetcher as articles (private-address guard on every hop,
//! robots.txt, per-host pacing, size cap, timeouts), turned into variants
//! by `khabar-image` off the async threads, and stored, so the site serves
//! the picture from its own address and never hot-links the source.
//!
//! Nothing here can fail or hold back the story: it is stored and
//! published before this runs, and a broken or hostile image becomes a
//! refusal row with its reason (`too_many_pixels`, `not_an_image`,
//! `http_4xx`, `robots`, …) linked to the story instead of variants.

use khabar_fetch::{FetchOutcome, FetchRequest, Purpose};
use khabar_image::{ImagePolicy, Processed};
use khabar_model::{Article, Source};
use khabar_store::{NewImage, NewImageVariant};

use super::Pipeline;

impl Pipeline {
    /// Fetches, checks and stores the lead image at `url` for story
    /// `story_id`, linking the story to the result. Errors are logged and
    /// recorded, never returned.
    pub(crate) async fn attach_lead_image(
        &self,
        story_id: i64,
        source: &Source,
        url: &str,
        article: &Article,
    ) {
        let started = std::time::Instant::now();
        let outcome = self.lead_image(source, url, article).await;
        crate::metrics::stage("image", started);
        let image_id = match &outcome {
            Ok(id) => Ok(*id),
            Err((reason, detail)) => {
                tracing::info!(
                    story = story_id,
                    url,
                    reason,
                    "lead image refused: {detail}"
                );
                self.store
                    .images()
                    .record_image_refusal(url, reason, detail)
                    .await
            }
        };
        match image_id {
            Ok(id) => {
                if let Err(e) = self.store.images().link_story_image(story_id, id).await {
                    tracing::warn!(story = story_id, "cannot link the lead image: {e}");
                }
            }
            Err(e) => tracing::warn!(story = story_id, "cannot record the lead image: {e}"),
        }
    }

    /// The stored image's id, or the refusal's kind and message.
    async fn lead_image(
        &self,
        source: &Source,
        url: &str,
        article: &Article,
    ) -> Result<i64, (&'static str, String)> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err((
                "not_a_web_address",
                format!("{url} is not an http(s) address"),
            ));
        }
        match self.store.images().ready_image_by_source(url).await {
            Ok(Some(id)) => return Ok(id),
            Ok(None) => {}
            Err(e) => return Err(("store", e.to_string())),
        }
        let req = FetchRequest {
            url: url.to_string(),
            // Article rules: robots.txt applies to images as to pages.
            purpose: Purpose::Article,
            etag: None,
            last_modified: None,
            proxy: source.proxy.clone(),
        };
        let page = match self.fetch(&req).await {
            Ok(FetchOutcome::Fetched(page)) => page,
            Ok(FetchOutcome::NotModified) => {
                return Err(("other", format!("{url}: unexpected 304")));
            }
            Err(e) => return Err((e.kind().as_str(), e.to_string())),
        };
        let bytes = page.body.clone();
        let content_type = page.content_type.clone();
        let processed = tokio::task::spawn_blocking(move || {
            khabar_image::process(&bytes, content_type.as_deref(), &ImagePolicy::default())
        })
        .await;
        let processed = match processed {
            Ok(Ok(p)) => p,
            Ok(Err(e)) => return Err((e.kind(), e.to_string())),
            Err(e) => return Err(("internal", format!("image task failed: {e}"))),
        };
        // Caption and credit belong to the page's own lead image; a
        // feed's enclosure image has none.
        let described = article.lead_image.as_deref() == Some(url);
        let image = new_image(
            url,
            page.body.len(),
            processed,
            described.then_some(article),
        );
        self.store
            .images()
            .save(&image)
            .await
            .map_err(|e| ("store", e.to_string()))
    }
}

fn new_image(url: &str, source_bytes: usize, p: Processed, article: Option<&Article>) -> NewImage {
    NewImage {
        source_url: url.to_string(),
        alt: article.and_then(|a| a.lead_image_alt.clone()),
        caption: article.and_then(|a| a.lead_image_caption.clone()),
        credit: article.and_then(|a| a.lead_image_credit.clone()),
        source_bytes,
        variants: p
            .variants
            .into_iter()
            .map(|v| NewImageVariant {
                width: v.width,
                height: v.height,
                format: v.format.as_str().to_string(),
                bytes: v.bytes,
            })
            .collect(),
    }
}

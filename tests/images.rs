//! Lead images end to end: `khabar fetch` over a local server that serves
//! a real photo, a decompression bomb and an HTML page named `.jpg`. Every
//! story is published; the photo is served from khabar's own `/img/` with
//! immutable caching and the right types; the bad ones are refused with
//! their reasons on record; nothing points at the source's image.

mod support;

use std::path::Path;

use khabar_store::Store;
use support::corpus::iran_stories;
use support::khabar_bin::{run_fetch, start_site};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The three articles: slug, image path, image bytes, image content type.
fn images() -> Vec<(&'static str, &'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "good",
            "/media/lead-photo.jpg",
            khabar_image::fixtures::photo_jpeg(1600, 900),
            "image/jpeg",
        ),
        (
            "bomb",
            "/media/huge.png",
            khabar_image::fixtures::bomb_png(50_000, 50_000),
            "image/png",
        ),
        (
            "fake",
            "/media/blocked.jpg",
            b"<!doctype html><html><body><h1>Hotlinking forbidden</h1></body></html>".to_vec(),
            "image/jpeg",
        ),
    ]
}

async fn serve_news(server: &MockServer) {
    let stories = iran_stories(3);
    let mut items = String::new();
    for ((slug, img_path, bytes, ct), story) in images().into_iter().zip(&stories) {
        let headline = story.headline();
        let body: String = story
            .paragraphs()
            .iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect();
        let page = format!(
            r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{headline}</title>
<meta property="og:image" content="{img_path}"><meta property="og:image:alt" content="Delegates around a table">
</head><body><article><h1>{headline}</h1>
<figure><img src="{img_path}" alt="x"><figcaption>Delegates meet before the talks. <span class="photo-credit">Photo: Jane Doe</span></figcaption></figure>
{body}</article></body></html>"#
        );
        Mock::given(method("GET"))
            .and(path(format!("/a/{slug}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8"))
            .mount(server)
            .await;
        Mock::given(method("GET"))
            .and(path(img_path))
            .respond_with(ResponseTemplate::new(200).set_body_raw(bytes, ct))
            .mount(server)
            .await;
        items.push_str(&format!(
            "<item><title>{}</title><link>{}/a/{slug}</link><guid>{}/a/{slug}</guid><pubDate>Mon, 07 Dec 2026 01:00:00 GMT</pubDate></item>",
            headline.replace('&', "&amp;").replace('<', "&lt;"),
            server.uri(),
            server.uri()
        ));
    }
    let rss = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>{}/</link><description>d</description>{items}</channel></rss>"#,
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/feed.xml"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(rss, "application/rss+xml"))
        .mount(server)
        .await;
}

fn write_config(dir: &Path, server: &MockServer) -> std::path::PathBuf {
    let db = format!("sqlite://{}", dir.join("data/khabar.db").display());
    let toml = format!(
        "[site]\nbase_url = \"https://news.example\"\n\n[storage]\nurl = \"{db}\"\n\n\
         [fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\nper_host_concurrency = 4\ntimeout_secs = 10\n\n\
         [[sources]]\nslug = \"wire\"\nname = \"Wire\"\nurl = \"{}/feed.xml\"\nlang = \"en\"\ndedicated = true\n",
        server.uri()
    );
    let p = dir.join("khabar.toml");
    std::fs::write(&p, toml).expect("write config");
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lead_images_are_fetched_checked_and_served_from_our_own_address() {
    let server = MockServer::start().await;
    serve_news(&server).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &server);
    let report = run_fetch(&config);
    assert_eq!(
        report["sources"][0]["published"], 3,
        "every story is published: {report}"
    );

    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("data/khabar.db").display()
    ))
    .await
    .expect("open store");
    let mut by_slug = std::collections::HashMap::new();
    for s in store
        .stories(&Default::default())
        .await
        .expect("stories")
        .items
    {
        let slug = s.url.rsplit('/').next().unwrap_or_default().to_string();
        by_slug.insert(slug, s);
    }
    assert_eq!(by_slug.len(), 3, "{:?}", by_slug.keys());

    // The photo: variants, with the page's caption, credit and alt.
    let good = &by_slug["good"];
    let img = good.image.clone().expect("the photo was accepted");
    assert_eq!(img.widths, vec![320, 640, 1024]);
    assert_eq!((img.width, img.height), (1024, 576));
    assert_eq!(
        img.caption.as_deref(),
        Some("Delegates meet before the talks.")
    );
    assert_eq!(img.credit.as_deref(), Some("Photo: Jane Doe"));
    assert_eq!(img.alt.as_deref(), Some("Delegates around a table"));

    // The bomb and the HTML page: refused with their reasons, stories kept.
    for (slug, reason) in [("bomb", "too_many_pixels"), ("fake", "not_an_image")] {
        let s = &by_slug[slug];
        assert!(s.image.is_none(), "{slug}");
        let r = store
            .images()
            .story_image(s.id)
            .await
            .unwrap()
            .expect("refusal on record");
        assert_eq!(
            (r.status.as_str(), r.reason.as_deref()),
            ("refused", Some(reason)),
            "{slug}: {r:?}"
        );
        assert!(
            r.source_url
                .ends_with(images().iter().find(|i| i.0 == slug).unwrap().1)
        );
    }
    store.close().await;

    // The site serves the variants itself.
    let (_site, base) = start_site(&config);
    let http = reqwest::Client::new();
    // The banner is printed as the listener opens; wait until it answers.
    for _ in 0..100 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let url = |w: &str| format!("{base}/img/{}/{w}", img.id);
    let r = http
        .get(url("640"))
        .header("Accept", "image/avif,image/webp,*/*")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/webp");
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(h["vary"], "Accept");
    let etag = h["etag"].to_str().unwrap().to_string();
    let webp = r.bytes().await.unwrap();
    assert_eq!(&webp[..4], b"RIFF");
    assert_eq!(&webp[8..12], b"WEBP");
    let again = http
        .get(url("640"))
        .header("Accept", "image/webp")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let r = http
        .get(url("640"))
        .header("Accept", "image/png,image/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    let r = http.get(url("1024.jpg")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert!(r.headers().get("vary").is_none());
    let jpeg = r.bytes().await.unwrap();
    assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF]);
    assert!(
        jpeg.len() < images()[0].2.len(),
        "the variant is smaller than the source"
    );

    for missing in [url("800"), url("640.png"), format!("{base}/img/999999/640")] {
        assert_eq!(
            http.get(&missing).send().await.unwrap().status(),
            404,
            "{missing}"
        );
    }

    // Pages, JSON-LD, OpenGraph and feeds name our copy, never the source's.
    let page = http
        .get(format!("{base}/story/{}", good.id))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let own = format!("https://news.example/img/{}/1024.jpg", img.id);
    assert!(
        page.contains(&format!("<meta property=\"og:image\" content=\"{own}\">")),
        "{page}"
    );
    assert!(page.contains("\"@type\":\"ImageObject\""), "JSON-LD image");
    assert!(
        page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"),
        "a story with an image is shared with it large"
    );
    assert!(page.contains("\"creditText\":\"Photo: Jane Doe\""));
    let feed = http
        .get(format!("{base}/feed.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(feed.contains(&own), "{feed}");
    let rss = http
        .get(format!("{base}/feed.rss"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(rss.contains(&own));
    for text in [&page, &feed, &rss] {
        assert!(
            !text.contains("/media/lead-photo.jpg"),
            "the source's image is never linked"
        );
    }
}

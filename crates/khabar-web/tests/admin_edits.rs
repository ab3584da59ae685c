//! The admin's edits and tables beyond moderation: a story's tags, the
//! refused images, and the admin pages and empty-site note in the site's
//! language.

mod common;

use std::net::SocketAddr;

use common::{new_story, spec};
use khabar_model::{SourceStatus, StoryStatus};
use khabar_store::{FetchRecord, Store};
use khabar_web::{AppState, SiteSettings};
use reqwest::StatusCode;

const TOKEN: &str = "admin-edits-token";

struct Site {
    base: String,
    store: Store,
    _dir: tempfile::TempDir,
}

impl Site {
    async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = client()
            .get(format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> StatusCode {
        client()
            .post(format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
            .form(form)
            .send()
            .await
            .unwrap()
            .status()
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn serve(store: Store, dir: tempfile::TempDir, language: &str) -> Site {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let settings = SiteSettings {
        title: "Persian News".into(),
        tagline: "All Persian News Related to Iran".into(),
        base_url: base.clone(),
        language: language.into(),
        admin_token: Some(TOKEN.into()),
        like_salt: "salt".into(),
        page_size: 20,
        likes_per_minute_per_ip: 100,
        ..Default::default()
    };
    let state = AppState::new(store.clone(), settings);
    tokio::spawn(async move {
        let _ = khabar_web::serve(listener, state).await;
    });
    Site {
        base,
        store,
        _dir: dir,
    }
}

async fn empty_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("a.db").display()))
        .await
        .unwrap();
    (store, dir)
}

/// A site with one story (tagged `iran`) whose lead image was refused.
async fn site(language: &str) -> (Site, i64) {
    let (store, dir) = empty_store().await;
    let wire = store.sources().upsert(&spec("wire", "en")).await.unwrap();
    let story = new_story(
        wire.id,
        "https://wire.example/talks".into(),
        "Tehran and Vienna resume talks".into(),
        "en",
        None,
        vec!["Negotiators met in Vienna on Monday.".into()],
        5,
    );
    let id = store.insert_story(&story).await.unwrap().id();
    let refused = store
        .images()
        .record_image_refusal(
            "https://img.example/huge.png",
            "too_many_pixels",
            "50000000 pixels is over the cap",
        )
        .await
        .unwrap();
    store.images().link_story_image(id, refused).await.unwrap();
    (serve(store, dir, language).await, id)
}

#[tokio::test]
async fn an_editor_sets_a_storys_tags_and_they_show_at_once() {
    let (site, id) = site("en").await;
    // Cached once before the edit, so the edit must move past the cache.
    assert!(site.get("/tag/iran").await.1.contains("Tehran and Vienna"));

    let (_, dash) = site.get("/admin").await;
    assert!(
        dash.contains(&format!("action=\"/admin/story/{id}/tags\"")),
        "a tags form on the story's actions"
    );
    assert!(
        dash.contains("value=\"iran\""),
        "the form shows the current tags"
    );

    let path = format!("/admin/story/{id}/tags");
    assert_eq!(
        site.post(&path, &[("tags", "Nuclear talks, sanctions، sanctions")])
            .await,
        StatusCode::SEE_OTHER
    );
    let story = site.store.story(id).await.unwrap().unwrap();
    assert_eq!(story.relevance.tags, vec!["nuclear-talks", "sanctions"]);
    assert_eq!(story.status, StoryStatus::Published);
    let log = site.store.moderation_log(id).await.unwrap();
    let reason = log.last().unwrap().3.clone().unwrap_or_default();
    assert_eq!(
        reason,
        "tags set to [nuclear-talks, sanctions] (were [iran]) by the admin API token"
    );

    let (status, page) = site.get(&format!("/story/{id}")).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    let page = if status.is_redirection() {
        site.get(&format!("/story/{id}/tehran-and-vienna-resume-talks"))
            .await
            .1
    } else {
        page
    };
    assert!(
        page.contains("/tag/sanctions"),
        "story page shows the new tag"
    );
    assert!(!page.contains("/tag/iran\""), "and not the old one");
    let (status, tag_page) = site.get("/tag/sanctions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(tag_page.contains("Tehran and Vienna"));
    let (_, old) = site.get("/tag/iran").await;
    assert!(!old.contains("Tehran and Vienna"), "gone from the old tag");

    // A form without the field is refused; a taken-down story has no tags to edit.
    assert_eq!(site.post(&path, &[]).await, StatusCode::BAD_REQUEST);
    site.store
        .set_status(id, StoryStatus::TakenDown, Some("legal"))
        .await
        .unwrap();
    assert_eq!(
        site.post(&path, &[("tags", "x")]).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn refused_images_are_listed_with_reason_and_source() {
    let (site, _) = site("en").await;
    let (status, dash) = site.get("/admin").await;
    assert_eq!(status, StatusCode::OK);
    let table = &dash[dash.find("Refused images").expect("the table's heading")..];
    assert!(table.contains("https://img.example/huge.png"), "{table}");
    assert!(table.contains("too_many_pixels"));
    assert!(table.contains("50000000 pixels is over the cap"));
    assert!(table.contains("Tehran and Vienna resume talks"));
    assert!(table.contains(">wire<"), "the story's source");
}

#[tokio::test]
async fn a_persian_site_has_a_persian_admin() {
    let (site, id) = site("fa").await;
    let (_, dash) = site.get("/admin").await;
    for persian in [
        "<h1>مدیریت</h1>",
        "تصویرهای پذیرفته‌نشده",
        "ذخیرهٔ برچسب‌ها",
        "همین حالا بخوان",
    ] {
        assert!(dash.contains(persian), "{persian} missing");
    }
    for english in [
        "Refused images",
        "Save tags",
        "Poll now",
        "Latest published",
    ] {
        assert!(!dash.contains(english), "{english} left in English");
    }
    let (_, rejected) = site.get("/admin/rejected").await;
    assert!(rejected.contains("خبرهای ردشده"));
    let login = client()
        .get(format!("{}/admin", site.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(login.contains("ورود به مدیریت"), "{login}");
    assert!(id > 0);
}

#[tokio::test]
async fn an_empty_persian_site_explains_itself_in_persian() {
    let (store, dir) = empty_store().await;
    let src = store.sources().upsert(&spec("down", "fa")).await.unwrap();
    let failing = FetchRecord {
        at: chrono::Utc::now(),
        status: SourceStatus::Failing,
        http_status: None,
        error: Some("dns error".into()),
        etag: None,
        last_modified: None,
        next_fetch_at: Some(chrono::Utc::now() + chrono::Duration::minutes(5)),
        consecutive_failures: 1,
        items_seen: 0,
        stories_added: 0,
        duration_ms: 3,
        note: None,
        error_kind: Some(khabar_model::FailureKind::Dns),
    };
    store
        .sources()
        .record_fetch(src.id, &failing)
        .await
        .unwrap();
    let site = serve(store, dir, "fa").await;
    let home = client()
        .get(format!("{}/", site.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("هنوز خبری نیست"), "{home}");
    assert!(home.contains("صفحهٔ مدیریت"), "{home}");
    assert!(!home.contains("No stories yet"), "{home}");
}

//! Lead images on both backends: variants stored and read back, a refusal
//! recorded with its reason, stories carrying only ready images.

mod common;

use common::*;
use khabar_store::{NewImage, NewImageVariant, StoryQuery};

async fn images_round_trip(db: &TestDb) {
    let store = &db.store;
    let src = store
        .sources()
        .upsert(&spec("wire", "en"))
        .await
        .unwrap()
        .id;
    let good = store
        .insert_story(&story(
            src,
            "g",
            "Talks resume in Vienna",
            "Officials met in Vienna.",
            None,
        ))
        .await
        .unwrap()
        .id();
    let bad = store
        .insert_story(&story(
            src,
            "b",
            "Sanctions widen",
            "New sanctions were announced.",
            None,
        ))
        .await
        .unwrap()
        .id();
    let bytes = |n: u8, len: usize| vec![n; len];
    let img = NewImage {
        source_url: "https://img.example/lead.jpg".into(),
        alt: Some("Delegates at a table".into()),
        caption: Some("Delegates meet in Vienna.".into()),
        credit: Some("Photo: Jane Doe".into()),
        source_bytes: 250_000,
        variants: [(320, 180), (640, 360), (1024, 576)]
            .iter()
            .flat_map(|&(w, h)| {
                ["webp", "jpeg"].map(|f| NewImageVariant {
                    width: w,
                    height: h,
                    format: f.into(),
                    bytes: bytes(w as u8 ^ u8::from(f == "webp"), w as usize * 10),
                })
            })
            .collect(),
    };
    let id = store.images().save(&img).await.unwrap();
    store.images().link_story_image(good, id).await.unwrap();
    assert_eq!(
        store
            .images()
            .ready_image_by_source("https://img.example/lead.jpg")
            .await
            .unwrap(),
        Some(id)
    );

    let refused = store
        .images()
        .record_image_refusal(
            "https://img.example/bomb.png",
            "too_many_pixels",
            "50000x50000 is 2500 megapixels",
        )
        .await
        .unwrap();
    store.images().link_story_image(bad, refused).await.unwrap();
    assert_eq!(
        store
            .images()
            .ready_image_by_source("https://img.example/bomb.png")
            .await
            .unwrap(),
        None
    );

    // The story read carries the ready image only.
    let s = store.story(good).await.unwrap().unwrap();
    let si = s.image.expect("ready image joined");
    assert_eq!((si.id, si.width, si.height), (id, 1024, 576));
    assert_eq!(si.widths, vec![320, 640, 1024]);
    assert_eq!(si.caption.as_deref(), Some("Delegates meet in Vienna."));
    assert_eq!(si.credit.as_deref(), Some("Photo: Jane Doe"));
    assert_eq!(si.alt.as_deref(), Some("Delegates at a table"));
    assert!(store.story(bad).await.unwrap().unwrap().image.is_none());
    // Lists carry it too.
    let page = store.stories(&StoryQuery::default()).await.unwrap();
    assert_eq!(page.items.iter().filter(|s| s.image.is_some()).count(), 1);

    // Variants by width and format; unknown ones are None.
    let v = store
        .images()
        .variant(id, 640, "webp")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((v.width, v.height, v.format.as_str()), (640, 360, "webp"));
    assert_eq!(v.bytes, img.variants[2].bytes);
    assert!(v.etag.starts_with('"') && v.etag.len() == 34);
    let j = store
        .images()
        .variant(id, 640, "jpeg")
        .await
        .unwrap()
        .unwrap();
    assert_ne!(v.etag, j.etag);
    assert!(
        store
            .images()
            .variant(id, 800, "webp")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .images()
            .variant(refused, 320, "webp")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .images()
            .variant(id + 1000, 320, "webp")
            .await
            .unwrap()
            .is_none()
    );

    // The refusal is on record with its reason.
    let r = store.images().story_image(bad).await.unwrap().unwrap();
    assert_eq!(
        (r.status.as_str(), r.reason.as_deref()),
        ("refused", Some("too_many_pixels"))
    );
    assert!(r.detail.unwrap().contains("2500 megapixels"));
    let all = store.images().image_refusals(10).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].source_url, "https://img.example/bomb.png");
}

#[tokio::test]
async fn images_on_sqlite() {
    let db = TestDb::sqlite().await;
    images_round_trip(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn images_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    images_round_trip(&db).await;
    db.finish().await;
}

//! Moving a site's sources to another khabar site through OPML keeps each
//! source's slug, kind and settings, and any other reader can still read
//! the list.

use std::path::Path;

use khabar_store::Store;

fn khabar(config: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"));
    c.arg("--config")
        .arg(config)
        .env_remove("KHABAR_DATABASE_URL")
        .env("KHABAR_LOG", "warn");
    c
}

fn config(dir: &Path, sources: &str) -> std::path::PathBuf {
    let path = dir.join("khabar.toml");
    let db = format!("sqlite://{}", dir.join("khabar.db").display());
    std::fs::write(&path, format!("[storage]\nurl = \"{db}\"\n\n{sources}")).expect("write config");
    path
}

fn run(cmd: &mut std::process::Command) -> String {
    let out = cmd.output().expect("run khabar");
    assert!(
        out.status.success(),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn export_then_import_keeps_slug_kind_and_settings() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let sources = "\
[[sources]]\nslug = \"radio-farda\"\nname = \"Radio Farda\"\nurl = \"https://farda.example/rss\"\nlang = \"fa\"\nfull_text = false\n\n\
[[sources]]\nslug = \"irna-sitemap\"\nname = \"IRNA sitemap\"\nurl = \"https://irna.example/sitemap.xml\"\nkind = \"sitemap\"\nlang = \"fa\"\ndedicated = true\n\n\
[[sources]]\nslug = \"wire\"\nname = \"Wire & Co\"\nurl = \"https://wire.example/feed.atom\"\nlang = \"en\"\nproxy = \"socks5://127.0.0.1:9050\"\ntags = [\"wires\", \"middle-east\"]\n";
    let config_a = config(a.path(), sources);
    let file = a.path().join("sources.opml");
    run(khabar(&config_a).arg("export-opml").arg(&file));
    let opml = std::fs::read_to_string(&file).expect("read export");
    assert!(
        opml.contains("xmlns:khabar=\"urn:khabar:opml:1\""),
        "{opml}"
    );

    // The second site has none of these sources until the import.
    let config_b = config(b.path(), "");
    let printed = run(khabar(&config_b).arg("import-opml").arg(&file));
    assert!(printed.contains("imported"), "{printed}");

    let store_a = Store::connect(&format!(
        "sqlite://{}",
        a.path().join("khabar.db").display()
    ))
    .await
    .expect("store a");
    let store_b = Store::connect(&format!(
        "sqlite://{}",
        b.path().join("khabar.db").display()
    ))
    .await
    .expect("store b");
    let there = store_b.sources().all().await.expect("sources b");
    for src in store_a.sources().all().await.expect("sources a") {
        let got = there
            .iter()
            .find(|s| s.url == src.url)
            .unwrap_or_else(|| panic!("{} was not imported", src.url));
        assert_eq!(
            (
                &got.slug,
                &got.name,
                got.kind,
                &got.lang,
                got.full_text,
                got.dedicated,
                &got.proxy
            ),
            (
                &src.slug,
                &src.name,
                src.kind,
                &src.lang,
                src.full_text,
                src.dedicated,
                &src.proxy
            ),
            "{}",
            src.url
        );
        assert_eq!(
            store_b.source_tags(&got.slug).await.expect("tags b"),
            store_a.source_tags(&src.slug).await.expect("tags a"),
            "{}",
            src.url
        );
    }
    assert_eq!(
        store_b.source_tags("wire").await.expect("tags"),
        vec!["wires", "middle-east"]
    );
    // Importing again adds nothing.
    let again = run(khabar(&config_b).arg("import-opml").arg(&file));
    assert!(
        again.contains("imported 0 new sources, 3 already there"),
        "{again}"
    );
    assert!(
        again.contains("already a source: https://wire.example/feed.atom (wire)"),
        "{again}"
    );
}

/// Another reader's export (folders nested the way Miniflux, FreshRSS and
/// Feedly write them, a feed filed in two folders, one in none) imports
/// cleanly: each feed once, its folders as its tags, and those tags on the
/// stories stored from it.
#[tokio::test]
async fn another_readers_folders_become_tags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opml = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Feedly export</title></head>
  <body>
    <outline text="Middle East" title="Middle East">
      <outline text="Iran" title="Iran">
        <outline type="rss" text="Radio Farda" title="Radio Farda" xmlUrl="https://farda.example/rss" htmlUrl="https://farda.example/"/>
        <outline type="rss" text="IranWire" xmlUrl="https://iranwire.example/feed/"/>
      </outline>
      <outline type="rss" text="Al Jazeera" xmlUrl="https://aljazeera.example/rss.xml"/>
    </outline>
    <outline text="Business &amp; Economy">
      <outline type="rss" text="IranWire" xmlUrl="https://iranwire.example/feed/"/>
    </outline>
    <outline type="rss" text="Loose feed" xmlUrl="https://loose.example/atom.xml"/>
    <outline text="An empty folder"/>
  </body>
</opml>"#;
    let file = dir.path().join("feedly.opml");
    std::fs::write(&file, opml).expect("write opml");
    let config_path = config(dir.path(), "");
    let printed = run(khabar(&config_path).arg("import-opml").arg(&file));
    assert!(
        printed.contains("imported 4 new sources, 0 already there"),
        "{printed}"
    );
    assert!(
        printed.contains("listed 2 times: https://iranwire.example/feed/"),
        "{printed}"
    );

    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("khabar.db").display()
    ))
    .await
    .expect("store");
    let sources = store.sources().all().await.expect("sources");
    assert_eq!(sources.len(), 4, "{sources:?}");
    let tags_of = |url: &str| {
        let slug = sources
            .iter()
            .find(|s| s.url == url)
            .unwrap_or_else(|| panic!("{url} imported"))
            .slug
            .clone();
        let store = store.clone();
        async move { store.source_tags(&slug).await.expect("tags") }
    };
    assert_eq!(
        tags_of("https://farda.example/rss").await,
        vec!["middle-east", "iran"]
    );
    assert_eq!(
        tags_of("https://iranwire.example/feed/").await,
        vec!["middle-east", "iran", "business-economy"]
    );
    assert_eq!(
        tags_of("https://aljazeera.example/rss.xml").await,
        vec!["middle-east"]
    );
    assert!(tags_of("https://loose.example/atom.xml").await.is_empty());

    // A story stored from the source carries its folders as tags, beside
    // the topic model's.
    let farda = sources
        .iter()
        .find(|s| s.url == "https://farda.example/rss")
        .expect("farda");
    let story = khabar_model::NewStory {
        source_id: farda.id,
        url: "https://farda.example/a/1".into(),
        canonical_url: "https://farda.example/a/1".into(),
        headline: "Story".into(),
        body_text: "Body.".into(),
        fetched_at: chrono::Utc::now(),
        relevance: khabar_model::Relevance {
            relevant: true,
            score: 0.9,
            reasons: vec![],
            tags: vec!["nuclear".into()],
        },
        status: khabar_model::StoryStatus::Published,
        ..Default::default()
    };
    let id = store.insert_story(&story).await.expect("insert").id();
    let stored = store.story(id).await.expect("read").expect("stored");
    assert_eq!(
        stored.relevance.tags,
        vec!["nuclear", "middle-east", "iran"]
    );

    // Importing the list again doubles nothing.
    let again = run(khabar(&config_path).arg("import-opml").arg(&file));
    assert!(
        again.contains("imported 0 new sources, 4 already there"),
        "{again}"
    );
    store.close().await;
}

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
[[sources]]\nslug = \"wire\"\nname = \"Wire & Co\"\nurl = \"https://wire.example/feed.atom\"\nlang = \"en\"\nproxy = \"socks5://127.0.0.1:9050\"\n";
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
    let there = store_b.sources().await.expect("sources b");
    for src in store_a.sources().await.expect("sources a") {
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
    }
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

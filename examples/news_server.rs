//! The end-to-end tests' local news server, run on its own so `khabar
//! fetch` can be measured against it:
//!
//! ```sh
//! cargo run --release --example news_server -- /tmp/bench.db 20 50 > /tmp/ns.toml &
//! /usr/bin/time -v target/release/khabar --config /tmp/ns.toml fetch
//! ```
//!
//! Arguments: database path (or a `postgres://` URL), number of bulk
//! sources, stories per bulk source. It prints a khabar configuration pointing at itself (the e2e
//! sources plus the bulk ones, built from real Reuters stories, so the run
//! has enough stories to time), then serves until killed.

// Only the server and its corpus picks: the rest of the test support drives
// the khabar binary, which an example cannot name. `news_server` reaches
// `corpus` as `super::corpus`, so both sit at the crate root here.
#[path = "../tests/support/corpus.rs"]
mod corpus;
#[allow(dead_code)] // the example reads only what it prints
#[path = "../tests/support/news_server.rs"]
mod news_server;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let db = args.next().unwrap_or_else(|| "data/bench.db".into());
    let bulk: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let per_source: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let server = news_server::start_with_bulk(bulk, per_source).await;
    let sources = [
        ("wire", "/wire/rss.xml", "en"),
        ("atom", "/atom/feed.atom", "en"),
        ("jsonfeed", "/json/feed.json", "en"),
        ("etag", "/etag/rss.xml", "en"),
        ("persian", "/fa/rss.xml", "fa"),
        ("legacy", "/legacy/rss.xml", "fa"),
        ("broken", "/broken/rss.xml", "en"),
    ];
    // A path is an SQLite file; a postgres:// URL is used as it is.
    let storage = if db.starts_with("postgres") {
        db.clone()
    } else {
        format!("sqlite://{db}")
    };
    println!(
        "[storage]\nurl = \"{storage}\"\n\n[fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\nper_host_concurrency = 8\narticle_concurrency = 8\n"
    );
    for (slug, path, lang) in sources {
        println!(
            "[[sources]]\nslug = \"{slug}\"\nname = \"{slug}\"\nurl = \"{}\"\nlang = \"{lang}\"\n",
            server.url(path)
        );
    }
    print!("{}", server.bulk_sources_toml(bulk));
    eprintln!(
        "news server on http://{} with {} pages",
        server.addr,
        server.page_count()
    );
    std::future::pending::<()>().await;
}

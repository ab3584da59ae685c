//! Parse throughput of khabar-feed on the corpus feed and on synthetic
//! documents shaped like real big ones (a 300-item full-text RSS feed, a
//! 50,000-URL sitemap, a 1,000-item Google News sitemap).
//!
//! cargo run --release -p khabar-feed --example feed_bench

use std::path::PathBuf;
use std::time::Instant;

use khabar_feed::{canonicalize_url, parse_feed};

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(rel)
}

fn big_rss(items: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Bench</title><link>https://bench.example/</link>\n",
    );
    for i in 0..items {
        s.push_str(&format!(
            "<item><title>گفت\u{200C}وگوهای هسته\u{200C}ای ایران و آژانس &amp; تحریم\u{200C}ها {i}</title><link>https://bench.example/news/{i}?utm_source=rss</link><guid>https://bench.example/news/{i}</guid><pubDate>Tue, 04 Jun 2024 10:{:02}:00 +0330</pubDate><description>&lt;p&gt;خلاصه خبر شماره {i} درباره مذاکرات&lt;/p&gt;</description><content:encoded><![CDATA[{}]]></content:encoded></item>\n",
            i % 60,
            "<p>متن کامل خبر با جزئیات بیشتر درباره مذاکرات وین.</p>".repeat(20)
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

fn big_sitemap(urls: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for i in 0..urls {
        s.push_str(&format!("<url><loc>https://site.example/fa/news/{i}</loc><lastmod>2024-06-0{}T10:30:00+03:30</lastmod></url>\n", 1 + i % 9));
    }
    s.push_str("</urlset>\n");
    s
}

fn news_sitemap(urls: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for i in 0..urls {
        s.push_str(&format!("<url><loc>https://news.example/fa/{i}</loc><news:news><news:publication><news:name>نیوز</news:name><news:language>fa</news:language></news:publication><news:publication_date>2024-06-05T09:15:00+03:30</news:publication_date><news:title>عنوان خبر {i} درباره ایران</news:title></news:news></url>\n"));
    }
    s.push_str("</urlset>\n");
    s
}

fn bench(name: &str, doc: &[u8], base: &str, iters: usize) {
    let entries = parse_feed(doc, base)
        .map(|f| f.entries.len() + f.child_sitemaps.len())
        .unwrap_or(0);
    let start = Instant::now();
    for _ in 0..iters {
        std::hint::black_box(parse_feed(std::hint::black_box(doc), base).ok());
    }
    let per = start.elapsed().as_secs_f64() / iters as f64;
    println!(
        "| {name} | {:.1} KiB | {entries} | {:.3} ms | {:.1} MiB/s | {:.2} µs |",
        doc.len() as f64 / 1024.0,
        per * 1e3,
        doc.len() as f64 / per / (1024.0 * 1024.0),
        per * 1e6 / entries.max(1) as f64
    );
}

fn main() {
    println!("| document | size | entries | time/doc | throughput | per entry |");
    println!("| --- | --- | --- | --- | --- | --- |");
    match std::fs::read(corpus("feeds/hoder.xml")) {
        Ok(hoder) => bench(
            "hoder.xml (corpus, RSS 2.0 fa)",
            &hoder,
            "http://editormyself.info/index.xml",
            2000,
        ),
        Err(e) => eprintln!("corpus feed unavailable: {e}"),
    }
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    if let Ok(w) = std::fs::read(fixtures.join("windows-1256.xml")) {
        bench(
            "windows-1256 RSS (fixture, transcoded)",
            &w,
            "http://cp1256.example/rss",
            5000,
        );
    }
    bench(
        "synthetic RSS 2.0, 300 full-text items",
        big_rss(300).as_bytes(),
        "https://bench.example/rss",
        20,
    );
    bench(
        "synthetic sitemap, 50,000 URLs",
        big_sitemap(50_000).as_bytes(),
        "https://site.example/sitemap.xml",
        5,
    );
    bench(
        "synthetic Google News sitemap, 1,000 items",
        news_sitemap(1000).as_bytes(),
        "https://news.example/news.xml",
        50,
    );

    let urls: Vec<String> = (0..100_000)
        .map(|i| format!("https://WWW.Example.com:443/fa/news/{i}/%d8%a7?utm_source=tw&id={i}&fbclid=abc&b=2#frag"))
        .collect();
    let start = Instant::now();
    let mut ok = 0;
    for u in &urls {
        ok += canonicalize_url(std::hint::black_box(u)).is_ok() as usize;
    }
    let per = start.elapsed().as_secs_f64() / urls.len() as f64;
    println!(
        "\ncanonicalize_url: {:.2} µs per URL ({ok} URLs)",
        per * 1e6
    );
}

//! The republished story in `shared/seed/persian-news-page.txt`, wrapped
//! in a WordPress-style page (the kind of page the site itself and many
//! sources produce): headline, wire dateline, body, credits, then the
//! "Like this" / "%d bloggers like this:" box, related posts and comments.

use std::path::Path;

use khabar_extract::ArticleExtractor;

#[test]
fn wordpress_wire_story_keeps_body_dateline_and_credits_only() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/persian-news-page.txt");
    let text = std::fs::read_to_string(&seed).expect("seed page");
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let title = lines[3];
    let start = lines
        .iter()
        .position(|l| l.starts_with("WASHINGTON"))
        .expect("dateline line");
    let end = lines
        .iter()
        .position(|l| l.starts_with("Original News"))
        .expect("end marker");
    let body: String = lines[start..end].iter().map(|p| format!("<p>{p}</p>\n")).collect();
    let html = format!(
        r##"<!doctype html><html lang="en-US"><head><meta charset="utf-8"><title>{title} &#8211; Persian News</title>
<meta property="og:site_name" content="Persian News"><meta property="article:published_time" content="2023-12-03T09:15:00+00:00"></head>
<body class="post-template-default single single-post right-sidebar">
<header id="masthead" class="site-header"><p class="site-title"><a href="/">Persian News</a></p>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/iran">Iran</a></li></ul></nav></header>
<div id="primary" class="content-area"><main id="main" class="site-main"><article class="post type-post hentry">
<header class="entry-header"><h1 class="entry-title">{title}</h1><div class="entry-meta"><span class="posted-on">December 3, 2023</span></div></header>
<div class="entry-content">{body}<p>Original News : <a href="https://www.reuters.com/x">Reuters</a></p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a href="#">Twitter</a></li><li><a href="#">Facebook</a></li></ul></div>
<div class="sharedaddy sd-block sd-like jetpack-likes-widget-wrapper"><h3 class="sd-title">Like this:</h3><div class="likes-widget-placeholder">Loading...</div></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3></div>
</div></article>
<div id="comments" class="comments-area"><h2 class="comments-title">One thought on this story</h2><ol class="comment-list"><li class="comment"><p>Great article, thanks for posting it, really.</p></li></ol></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2><ul><li><a href="/a">Another story about Iran and the region</a></li></ul></section></aside>
<footer class="site-footer">Copyright 2023 Persian News</footer>
<div id="likes-other-gravatars"><div class="likes-text"><span>%d</span> bloggers like this:</div></div>
</body></html>"##
    );
    let a = ArticleExtractor::default()
        .extract(
            html.as_bytes(),
            Some("https://persiannews.example/2023/12/03/threat/"),
            None,
        )
        .expect("extract");
    assert_eq!(a.title.as_deref(), Some(title));
    assert_eq!(a.dateline.as_deref(), Some("WASHINGTON (Reuters) –"));
    assert_eq!(
        a.credits.as_deref(),
        Some("Reporting by Humeyra Pamuk; Editing by Chris Reese and Rosalba O’Brien")
    );
    assert_eq!(
        a.published.map(|d| d.date_naive().to_string()).as_deref(),
        Some("2023-12-03")
    );
    assert_eq!(a.site_name.as_deref(), Some("Persian News"));
    assert!(a.text.starts_with("Iranian-backed militia pose"), "{}", &a.text[..80]);
    assert!(
        a.text.ends_with("if they want those forces to remain,” he said."),
        "{}",
        a.text
    );
    for junk in [
        "bloggers like this",
        "Like this",
        "Share this",
        "Great article",
        "Recent Posts",
        "Copyright",
        "Loading",
    ] {
        assert!(!a.text.contains(junk), "{junk} leaked into body");
    }
    assert_eq!(a.blocks.len(), end - start - 1);
}

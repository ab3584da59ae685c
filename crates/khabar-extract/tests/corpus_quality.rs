//! Quality floors on the real development corpora. Each floor sits a
//! little below what the extractor reaches (see docs/bench/extract.md), so
//! a regression fails the suite. Scores are computed the way
//! `shared/tools/score-extraction` computes them.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use khabar_extract::ArticleExtractor;
use khabar_model::PageType;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn read_maybe_gz(p: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let f = std::fs::File::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    if p.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(f).read_to_end(&mut out).expect("gzip");
    } else {
        let mut f = f;
        f.read_to_end(&mut out).expect("read");
    }
    out
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).expect("json")
}

/// Python's `\w+` tokens (letters, digits, underscore).
fn tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

fn shingles(s: &str) -> HashMap<Vec<&str>, usize> {
    let t = tokens(s);
    let mut m = HashMap::new();
    if t.len() < 4 {
        for w in t {
            *m.entry(vec![w]).or_insert(0) += 1;
        }
    } else {
        for w in t.windows(4) {
            *m.entry(w.to_vec()).or_insert(0) += 1;
        }
    }
    m
}

/// Per-document shingle precision and recall.
fn pr(gold: &str, pred: &str) -> (f64, f64) {
    let g = shingles(gold);
    let p = shingles(pred);
    let tp: usize = p.iter().map(|(k, n)| (*n).min(*g.get(k).unwrap_or(&0))).sum();
    let np: usize = p.values().sum();
    let ng: usize = g.values().sum();
    let precision = if np == 0 {
        if ng == 0 { 1.0 } else { 0.0 }
    } else {
        tp as f64 / np as f64
    };
    let recall = if ng == 0 { 1.0 } else { tp as f64 / ng as f64 };
    (precision, recall)
}

fn f1(prs: &[(f64, f64)]) -> f64 {
    let n = prs.len() as f64;
    let p = prs.iter().map(|x| x.0).sum::<f64>() / n;
    let r = prs.iter().map(|x| x.1).sum::<f64>() / n;
    2.0 * p * r / (p + r)
}

/// The fixed fit/validation split of every dev corpus: a page is in the
/// validation part when the FNV-1a 64-bit hash of its key (the id in
/// aeb-dev and wcxb-dev, the folder name in readability-pages, the gold
/// `file` name in htmldate-dev), mod 100, is below 30. Tune on the fit
/// part; a change that raises fit but not validation is reverted.
/// `bench/fitval.py` applies the same rule with the shared scorers.
fn is_validation(key: &str) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h % 100 < 30
}

/// F1 over the fit and the validation parts of `(key, pr)` rows.
fn f1_parts(rows: &[(String, (f64, f64))]) -> (f64, f64) {
    let part = |val: bool| {
        let v: Vec<(f64, f64)> = rows
            .iter()
            .filter(|(k, _)| is_validation(k) == val)
            .map(|r| r.1)
            .collect();
        f1(&v)
    };
    (part(false), part(true))
}

#[test]
fn split_rule_is_fixed() {
    // Pinned so the rule cannot drift between the tests and the scripts.
    let keys = ["0001", "0002", "0003", "001", "002"];
    let val: Vec<bool> = keys.iter().map(|k| is_validation(k)).collect();
    let shares = (0..1000).filter(|i| is_validation(&format!("{i:04}"))).count();
    eprintln!("split: {val:?}, validation share of 1000 ids {shares}");
    assert!((250..350).contains(&shares));
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[test]
fn aeb_body_f1_floor() {
    let dir = corpus().join("aeb-dev");
    let gold = json(&dir.join("ground-truth.json"));
    let ex = ArticleExtractor::default();
    let mut prs = Vec::new();
    let mut rows = Vec::new();
    let mut rejected = 0usize;
    for (id, g) in gold.as_object().expect("object") {
        let bytes = read_maybe_gz(&dir.join("html").join(format!("{id}.html.gz")));
        let url = g["url"].as_str();
        let (text, page_type) = ex
            .extract(&bytes, url, None)
            .map(|a| (a.text, a.page_type))
            .unwrap_or_default();
        if page_type != PageType::Article {
            eprintln!("aeb {id}: taken for a {} page", page_type.as_str());
            rejected += 1;
        }
        let r = pr(g["articleBody"].as_str().unwrap_or(""), &text);
        prs.push(r);
        rows.push((id.clone(), r));
    }
    let score = f1(&prs);
    let (fit, val) = f1_parts(&rows);
    eprintln!(
        "aeb body F1 = {score:.3} over {} pages (fit {fit:.3}, validation {val:.3})",
        prs.len()
    );
    assert!(prs.len() >= 80);
    assert!(score >= 0.97, "aeb body F1 {score:.3} fell below 0.97");
    // Every aeb page is an article; at most 1 % may be taken for another type.
    eprintln!("aeb pages taken for non-articles: {rejected}/{}", prs.len());
    assert!(
        rejected * 100 <= prs.len(),
        "{rejected} aeb articles rejected as non-articles"
    );
}

#[test]
fn readability_title_and_byline_floors() {
    let dir = corpus().join("readability-pages");
    let ex = ArticleExtractor::default();
    let (mut titles, mut title_hits, mut bylines, mut byline_hits) = (0, 0, 0, 0);
    // [fit, validation] x (titles, hits, bylines, hits)
    let mut parts = [[0usize; 4]; 2];
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("dir").filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let meta = e.path().join("expected-metadata.json");
        if !meta.exists() {
            continue;
        }
        let gold = json(&meta);
        let a = ex
            .extract(&read_maybe_gz(&e.path().join("source.html")), None, None)
            .ok();
        let part = &mut parts[is_validation(&e.file_name().to_string_lossy()) as usize];
        if let Some(t) = gold["title"].as_str().filter(|t| !t.is_empty()) {
            let hit = (a.as_ref().and_then(|a| a.title.as_deref()).map(fold) == Some(fold(t))) as usize;
            titles += 1;
            title_hits += hit;
            part[0] += 1;
            part[1] += hit;
        }
        if let Some(b) = gold["byline"].as_str().filter(|t| !t.is_empty()) {
            let hit = (a.as_ref().and_then(|a| a.byline.as_deref()).map(fold) == Some(fold(b))) as usize;
            bylines += 1;
            byline_hits += hit;
            part[2] += 1;
            part[3] += hit;
        }
    }
    for (name, p) in ["fit", "validation"].iter().zip(parts) {
        eprintln!(
            "readability {name}: title {:.3} ({}), byline {:.3} ({})",
            p[1] as f64 / p[0].max(1) as f64,
            p[0],
            p[3] as f64 / p[2].max(1) as f64,
            p[2]
        );
    }
    let tr = title_hits as f64 / titles as f64;
    let br = byline_hits as f64 / bylines as f64;
    eprintln!("readability title {tr:.3} ({titles}), byline {br:.3} ({bylines})");
    // Readability's gold keeps some "Headline - Site" suffixes that khabar
    // strips on purpose (the site is shown apart), which costs ~4 points.
    assert!(tr >= 0.93, "title rate {tr:.3} below 0.93");
    assert!(br >= 0.82, "byline rate {br:.3} below 0.82");
}

#[test]
fn htmldate_publish_date_floor() {
    let dir = corpus().join("htmldate-dev");
    let gold = json(&dir.join("gold.json"));
    let ex = ArticleExtractor::default();
    let (mut n, mut hits) = (0, 0);
    let mut parts = [[0usize; 2]; 2];
    for (url, g) in gold.as_object().expect("object") {
        let file = g["file"].as_str().expect("file");
        let bytes = read_maybe_gz(&dir.join("pages").join(format!("{file}.gz")));
        n += 1;
        let got = ex.extract(&bytes, Some(url), None).ok().and_then(|a| a.published);
        let hit = (got.map(|d| d.date_naive().to_string()).as_deref() == g["date"].as_str()) as usize;
        hits += hit;
        let part = &mut parts[is_validation(file) as usize];
        part[0] += 1;
        part[1] += hit;
    }
    let acc = hits as f64 / n as f64;
    let rate = |p: [usize; 2]| p[1] as f64 / p[0].max(1) as f64;
    eprintln!(
        "htmldate accuracy {acc:.3} over {n} (fit {:.3} of {}, validation {:.3} of {})",
        rate(parts[0]),
        parts[0][0],
        rate(parts[1]),
        parts[1][0]
    );
    assert!(acc >= 0.94, "date accuracy {acc:.3} below 0.94");
}

/// One Persian fixture page extracted and compared with its gold entry.
struct PersianPage {
    article: khabar_model::Article,
    body: (f64, f64),
    title_ok: bool,
    date_ok: bool,
}

impl PersianPage {
    fn score(ex: &ArticleExtractor, dir: &Path, file: &str, g: &serde_json::Value) -> PersianPage {
        let bytes = read_maybe_gz(&dir.join(file));
        let article = ex.extract(&bytes, g["url"].as_str(), None).expect("extract");
        // The extractor republishes Persian spelling (ی/ک for Arabic ي/ك,
        // as khabar_text::normalize_display does); the gold keeps the
        // page's own letters, so compare after the same normalisation.
        let norm = |s: &str| khabar_text::normalize_display(s);
        let body = pr(&norm(g["body"].as_str().unwrap_or("")), &article.text);
        let title_ok = article.title.as_deref().map(fold) == g["title"].as_str().map(|t| fold(&norm(t)));
        let date_ok = article.published.map(|d| d.date_naive().to_string()).as_deref() == g["published"].as_str();
        PersianPage {
            article,
            body,
            title_ok,
            date_ok,
        }
    }
}

#[test]
fn persian_fixture_pages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/persian-pages");
    let gold = json(&dir.join("gold.json"));
    let ex = ArticleExtractor::default();
    let mut prs = Vec::new();
    let (mut n, mut titles, mut dates, mut rtl, mut fa) = (0, 0, 0, 0, 0);
    let (mut datelines, mut credits) = (0, 0);
    for (file, g) in gold.as_object().expect("object") {
        let page = PersianPage::score(&ex, &dir, file, g);
        let a = &page.article;
        n += 1;
        let norm = |s: &str| khabar_text::normalize_display(s);
        prs.push(page.body);
        titles += page.title_ok as usize;
        dates += page.date_ok as usize;
        rtl += (a.dir == khabar_model::TextDirection::Rtl) as usize;
        datelines += (a.dateline.as_deref() == g["dateline"].as_str().map(norm).as_deref()) as usize;
        credits += (a.credits.as_deref() == g["credits"].as_str().map(norm).as_deref()) as usize;
        fa += (a.lang.as_deref() == Some("fa")) as usize;
        // ZWNJ survives extraction wherever the gold has it.
        if g["body"].as_str().is_some_and(|b| b.contains('\u{200C}')) && !a.text.is_empty() {
            assert!(a.text.contains('\u{200C}'), "{file}: ZWNJ lost");
        }
    }
    let score = f1(&prs);
    eprintln!(
        "persian fixtures: body F1 {score:.3}, titles {titles}/{n}, dates {dates}/{n}, datelines {datelines}/{n}, \
         credits {credits}/{n}, rtl {rtl}/{n}, fa {fa}/{n}"
    );
    assert!(n >= 30);
    assert!(score >= 0.95, "persian body F1 {score:.3}");
    assert!(titles * 10 >= n * 9, "titles {titles}/{n}");
    assert!(datelines * 100 >= n * 90, "datelines {datelines}/{n}");
    assert!(credits * 100 >= n * 90, "credits {credits}/{n}");
    assert!(rtl * 10 >= n * 9, "rtl {rtl}/{n}");
    assert!(dates * 100 >= n * 95, "dates {dates}/{n}");
}

/// Sixteen Persian pages written in session 4 by a helper not shown the
/// extractor or the first fixture set (tests/fixtures/persian-pages-heldout,
/// README there), in layouts the first set lacks: WordPress "Newspaper",
/// Drupal, AMP, live blogs, ASP table sites, undeclared windows-1256.
/// Scored once before any change: body F1 0.974, titles 14/16, dates 14/16;
/// the two date misses were then fixed with general rules (dates 16/16).
#[test]
fn persian_heldout_pages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/persian-pages-heldout");
    let gold = json(&dir.join("gold.json"));
    let ex = ArticleExtractor::default();
    let mut prs = Vec::new();
    let (mut n, mut titles, mut dates) = (0, 0, 0);
    for (file, g) in gold.as_object().expect("object") {
        let page = PersianPage::score(&ex, &dir, file, g);
        n += 1;
        prs.push(page.body);
        titles += page.title_ok as usize;
        if page.date_ok {
            dates += 1;
        } else {
            eprintln!(
                "{file}: published {:?}, gold {:?}",
                page.article.published, g["published"]
            );
        }
    }
    let score = f1(&prs);
    eprintln!("persian held-out pages: body F1 {score:.3}, titles {titles}/{n}, dates {dates}/{n}");
    assert_eq!(n, 16);
    assert!(score >= 0.95, "persian held-out body F1 {score:.3}");
    assert!(titles >= 14, "titles {titles}/{n}");
    assert!(dates >= 15, "dates {dates}/{n}");
}

/// Word-level F1 as `shared/tools/score-wcxb` computes it (lower-cased
/// `\w+` words, bag overlap).
fn word_f1(pred: &str, gold: &str) -> f64 {
    let bag = |s: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for w in tokens(&s.to_lowercase()) {
            *m.entry(w.to_string()).or_insert(0) += 1;
        }
        m
    };
    let (p, g) = (bag(pred), bag(gold));
    let (np, ng): (usize, usize) = (p.values().sum(), g.values().sum());
    if ng == 0 {
        return if np == 0 { 1.0 } else { 0.0 };
    }
    if np == 0 {
        return 0.0;
    }
    let o: usize = p.iter().map(|(k, n)| (*n).min(*g.get(k).unwrap_or(&0))).sum();
    let (pr, rc) = (o as f64 / np as f64, o as f64 / ng as f64);
    if pr + rc == 0.0 { 0.0 } else { 2.0 * pr * rc / (pr + rc) }
}

/// One wcxb-dev page as the extractor saw it.
struct WcxbPage {
    id: String,
    gold_type: String,
    gold: String,
    text: String,
    page_type: PageType,
}

/// Every wcxb-dev page extracted once, shared by the wcxb tests (extraction
/// of 1,500 pages is the slow part of this suite). The gold type is the one
/// score-wcxb reads (absent = article).
static WCXB: LazyLock<Vec<WcxbPage>> = LazyLock::new(|| {
    let dir = corpus().join("wcxb-dev");
    let ex = ArticleExtractor::default();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("ground-truth"))
        .expect("ground-truth")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
            let g = json(&path);
            let pt = &g["_internal"]["page_type"];
            let gold_type = pt["primary"].as_str().or(pt.as_str()).unwrap_or("article").to_string();
            let gold = g["ground_truth"]["main_content"].as_str().unwrap_or("").to_string();
            let bytes = read_maybe_gz(&dir.join("html").join(format!("{id}.html.gz")));
            let (text, page_type) = ex
                .extract(&bytes, None, None)
                .map(|a| (a.text, a.page_type))
                .unwrap_or_default();
            WcxbPage {
                id,
                gold_type,
                gold,
                text,
                page_type,
            }
        })
        .collect()
});

/// Mean word F1 of `pages` per part: ((fit, n), (validation, n)).
fn wcxb_f1<'p>(pages: impl Iterator<Item = &'p WcxbPage>) -> [(f64, usize); 2] {
    let mut parts = [(0.0f64, 0usize); 2];
    for p in pages {
        let part = &mut parts[is_validation(&p.id) as usize];
        part.0 += word_f1(&p.text, &p.gold);
        part.1 += 1;
    }
    parts.map(|(sum, n)| (sum / n.max(1) as f64, n))
}

/// The article pages of wcxb-dev (2025-26 layouts: page builders, hidden
/// streamed bodies, widget wrappers), scored on both parts of the split.
#[test]
fn wcxb_article_f1_floor() {
    let [(fit, nf), (val, nv)] = wcxb_f1(WCXB.iter().filter(|p| p.gold_type == "article"));
    eprintln!("wcxb articles word F1: fit {fit:.3} ({nf}), validation {val:.3} ({nv})");
    assert!(nf + nv >= 700);
    // Session 6: 0.942 / 0.946 (was 0.893 / 0.862).
    assert!(fit >= 0.94, "wcxb article fit F1 {fit:.3} below 0.94");
    assert!(val >= 0.94, "wcxb article validation F1 {val:.3} below 0.94");
}

/// Floors of the other page types' word F1, on both parts: the content of
/// a listing, forum, shop or service page is its main region (session 9,
/// fit / validation: service 0.833 / 0.761, forum 0.749 / 0.793, listing
/// 0.713 / 0.715, product 0.640 / 0.650, collection 0.655 / 0.665,
/// documentation 0.895 / 0.954), each floor 0.03 below the lower part.
const TYPE_FLOORS: [(&str, f64); 6] = [
    ("service", 0.73),
    ("forum", 0.72),
    ("listing", 0.68),
    ("product", 0.61),
    ("collection", 0.62),
    ("documentation", 0.86),
];

/// All seven page types of wcxb-dev: the main content of listings, forums,
/// products, docs and service pages is scored too, per type and overall.
#[test]
fn wcxb_all_types_f1_floor() {
    let mut types: Vec<&str> = WCXB.iter().map(|p| p.gold_type.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    let mut low = Vec::new();
    for t in &types {
        let [(fit, nf), (val, nv)] = wcxb_f1(WCXB.iter().filter(|p| p.gold_type == *t));
        eprintln!("wcxb {t:<14} word F1: fit {fit:.3} ({nf}), validation {val:.3} ({nv})");
        if let Some((_, floor)) = TYPE_FLOORS.iter().find(|(n, _)| n == t)
            && fit.min(val) < *floor
        {
            low.push(format!("{t} {fit:.3}/{val:.3} < {floor}"));
        }
    }
    let [(fit, nf), (val, nv)] = wcxb_f1(WCXB.iter());
    eprintln!("wcxb all types      word F1: fit {fit:.3} ({nf}), validation {val:.3} ({nv})");
    assert_eq!(types.len(), 7, "{types:?}");
    assert!(low.is_empty(), "page types below their floor: {low:?}");
    // Before page types: 0.765 / 0.787; session 9 (main region for other
    // types, <noscript> pages): 0.853 / 0.856.
    assert!(fit >= 0.85, "wcxb all-types fit F1 {fit:.3} below 0.85");
    assert!(val >= 0.85, "wcxb all-types validation F1 {val:.3} below 0.85");
}

/// The page-type decision against wcxb-dev's `page_type`, with the
/// confusion table per part, and how many articles it would keep from
/// being published (the costly mistake, so the model leans to article).
#[test]
fn wcxb_page_type_accuracy_floor() {
    let names = PageType::ALL.map(PageType::as_str);
    for val in [false, true] {
        let mut conf = [[0usize; 7]; 7];
        for p in WCXB.iter().filter(|p| is_validation(&p.id) == val) {
            let g = names.iter().position(|n| *n == p.gold_type).expect("known type");
            let d = names
                .iter()
                .position(|n| *n == p.page_type.as_str())
                .expect("known type");
            conf[g][d] += 1;
        }
        let n: usize = conf.iter().flatten().sum();
        let right: usize = (0..7).map(|c| conf[c][c]).sum();
        let accuracy = right as f64 / n as f64;
        let articles: usize = conf[0].iter().sum();
        let lost = articles - conf[0][0];
        let part = if val { "validation" } else { "fit" };
        eprintln!("wcxb page type {part}: accuracy {accuracy:.3} ({right}/{n}), articles rejected {lost}/{articles}");
        eprintln!(
            "  gold \\ decided  {}",
            names.map(|c| format!("{:>5}", &c[..5])).join(" ")
        );
        for (c, row) in conf.iter().enumerate() {
            eprintln!("  {:<15} {}", names[c], row.map(|v| format!("{v:>5}")).join(" "));
        }
        // Session 12: 0.792 fit, 0.761 validation (before it 0.781,
        // 0.756; session 9: 0.758, 0.734; session 8: 0.750, 0.721).
        assert!(accuracy >= 0.755, "page-type {part} accuracy {accuracy:.3}");
        assert!(
            lost * 100 <= articles,
            "{part}: {lost}/{articles} articles rejected as non-articles"
        );
    }
}

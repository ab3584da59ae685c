//! The command line behaves as a Unix tool should, checked through the
//! real binary: a closed pipe is not a failure, logs to a pipe carry no
//! colour codes, flags are validated with a clear message, and the version
//! names the commit.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn khabar(dir: &Path) -> Command {
    let config = dir.join("khabar.toml");
    if !config.exists() {
        let db = format!("sqlite://{}", dir.join("khabar.db").display());
        std::fs::write(&config, format!("[storage]\nurl = \"{db}\"\n")).expect("write config");
    }
    let mut c = Command::new(env!("CARGO_BIN_EXE_khabar"));
    c.arg("--config")
        .arg(config)
        .env_remove("KHABAR_DATABASE_URL")
        .env_remove("NO_COLOR")
        .env("KHABAR_LOG", "warn");
    c
}

fn reuters_train() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/reuters21578/train.jsonl")
}

#[test]
fn a_reader_that_stops_early_is_not_a_failure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = khabar(dir.path())
        .arg("classify")
        .arg(reuters_train())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn classify");
    // `| head -1`: read one line, then close the pipe.
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("read a line");
    assert!(first.starts_with("{\"id\":"), "{first}");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "status {:?}: {stderr}", out.status);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");

    // The same for text a generator writes in one go.
    let mut child = khabar(dir.path())
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn completions");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn logs_written_to_a_pipe_carry_no_colour_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = khabar(dir.path())
        .env("KHABAR_LOG", "debug")
        .args(["source", "list"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !out.stderr.is_empty(),
        "debug logging wrote nothing to check"
    );
    assert!(
        !out.stderr.contains(&0x1b),
        "ANSI escape in piped logs: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn flags_are_checked_with_a_message_naming_the_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let add = |extra: &[&str]| {
        khabar(dir.path())
            .args([
                "source",
                "add",
                "https://news.example/rss",
                "--slug",
                "news",
            ])
            .args(extra)
            .output()
            .expect("run source add")
    };
    let lang = add(&["--lang", "english"]);
    assert!(!lang.status.success());
    let msg = String::from_utf8_lossy(&lang.stderr);
    assert!(
        msg.contains("--lang \"english\"") && msg.contains("en, fa"),
        "{msg}"
    );

    let proxy = add(&["--proxy", "nonsense"]);
    assert!(!proxy.status.success());
    assert!(String::from_utf8_lossy(&proxy.stderr).contains("--proxy \"nonsense\""));
    let ftp = add(&["--proxy", "ftp://proxy.example:21"]);
    assert!(!ftp.status.success());
    assert!(String::from_utf8_lossy(&ftp.stderr).contains("socks5"));

    let good = add(&["--lang", "fa-IR", "--proxy", "socks5://127.0.0.1:9050"]);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
}

#[test]
fn version_names_the_commit_and_a_man_page_is_generated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = khabar(dir.path()).arg("--version").output().expect("run");
    let version = String::from_utf8_lossy(&out.stdout);
    assert!(version.starts_with("khabar 0."), "{version}");
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        // Built from this checkout: its commit, or a later one's when the
        // binary predates the last commit; always a hash.
        Some(_) => assert!(
            version.contains("(commit ") && !version.contains("(commit unknown)"),
            "{version}"
        ),
        None => assert!(version.contains("(commit unknown)"), "{version}"),
    }
    let man = khabar(dir.path()).arg("man").output().expect("run man");
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.contains(".TH khabar 1"), "{page}");
    assert!(page.contains("import\\-opml"), "the subcommands are listed");
}

/// One plain HTTP/1.0 GET, enough to read a small page from the local site.
fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect to the site");
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("send request");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read answer");
    out
}

#[test]
fn without_a_base_url_links_follow_the_listen_address_and_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = khabar(dir.path())
        .args(["serve", "--web-only", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let _guard = Kill(child);
    let banner = lines.next().expect("a banner line").expect("read banner");
    let addr = banner
        .split("http://")
        .nth(1)
        .map(|r| r.trim_end_matches('/').to_string())
        .unwrap_or_else(|| panic!("no address in {banner:?}"));
    assert!(!addr.ends_with(":0"), "{banner}");
    let base_line = lines.next().expect("a base URL line").expect("read line");
    assert!(
        base_line.contains(&format!("base URL http://{addr} ")),
        "{base_line}"
    );
    assert!(
        base_line.contains("site.base_url"),
        "says how to change it: {base_line}"
    );
    // Absolute links are on the port actually served, not on a default one.
    let robots = http_get(&addr, "/robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: http://{addr}/sitemap.xml")),
        "{robots}"
    );
}

/// The binary layers its settings file < environment < flags, and an error
/// names the layer at fault: the variable, the flag or the file.
#[test]
fn settings_layer_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}", dir.path().join("flag.db").display());
    // The environment's database is unusable; the flag's wins.
    let out = khabar(dir.path())
        .env("KHABAR_DATABASE_URL", "mysql://nowhere/db")
        .args(["--database-url", &db, "source", "list", "--json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("flag.db").exists(), "the flag's database");
    // Without the flag, the environment's value is used over the file's.
    let out = khabar(dir.path())
        .env("KHABAR_DATABASE_URL", "mysql://nowhere/db")
        .args(["source", "list"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("environment variable KHABAR_DATABASE_URL") && err.contains("storage.url"),
        "{err}"
    );
    let out = khabar(dir.path())
        .env("KHABAR_FETCH__TIMEOUT_SECS", "soon")
        .args(["source", "list"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("KHABAR_FETCH__TIMEOUT_SECS"),
        "{err}"
    );
    let out = khabar(dir.path())
        .args(["--database-url", "mysql://h/db", "source", "list"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("--database-url"),
        "{err}"
    );
}

#[test]
fn inspect_article_says_which_regions_were_left_out_and_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let para = "Officials said on Monday that the talks, which began last week, would continue for several more days, according to people familiar with the matter.";
    let page = format!(
        "<html><head><title>Talks go on</title></head><body><article class=post><h1>Talks go on</h1>\
         <p>{para}</p><p>{para}</p><p>{para}</p>\
         <div class=share-tools><a href=/s>Share this story on Facebook</a> <a href=/t>Share on X</a></div>\
         <ul class=related-stories><li><a href=/a>Another story about the talks</a></li>\
         <li><a href=/b>A third story about the same talks</a></li></ul></article></body></html>"
    );
    let file = dir.path().join("page.html");
    std::fs::write(&file, page).expect("write page");
    let out = khabar(dir.path())
        .args(["inspect", "article"])
        .arg(&file)
        .output()
        .expect("run inspect article");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let body = &json["body"];
    assert_eq!(body["from"], "article", "{body}");
    assert!(
        body["containers"][0]
            .as_str()
            .is_some_and(|c| c.starts_with("article")),
        "{body}"
    );
    let dropped = body["dropped"].as_array().expect("dropped regions");
    let reason_of = |class: &str| {
        dropped
            .iter()
            .find(|d| d["element"].as_str().is_some_and(|e| e.contains(class)))
            .and_then(|d| d["reason"].as_str())
            .map(str::to_string)
    };
    assert!(
        reason_of("share-tools").is_some_and(|r| r.contains("share")),
        "{body}"
    );
    assert!(reason_of("related-stories").is_some(), "{body}");
    assert!(
        !json["article"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("Another story"),
        "{json}"
    );
}

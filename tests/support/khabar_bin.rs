//! Driving the real `khabar` binary from tests: a config pointing at the
//! local news server, `fetch`, and `serve` on an OS-chosen port.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::news_server::NewsServer;

/// A source of the news server: slug, name, feed path, language.
pub type TestSource = (&'static str, &'static str, &'static str, &'static str);

/// Writes a config with an SQLite store in `dir`, private addresses
/// allowed (the news server is on 127.0.0.1) and no per-host delay.
pub fn write_config(
    dir: &Path,
    server: &NewsServer,
    sources: &[TestSource],
    admin_token: Option<&str>,
) -> PathBuf {
    let db = format!("sqlite://{}", dir.join("data/khabar.db").display());
    write_config_for_store(dir, server, sources, admin_token, &db)
}

/// [`write_config`] for the store at `store_url` (SQLite or PostgreSQL).
pub fn write_config_for_store(
    dir: &Path,
    server: &NewsServer,
    sources: &[TestSource],
    admin_token: Option<&str>,
    store_url: &str,
) -> PathBuf {
    let admin = admin_token
        .map(|t| format!("admin_token = \"{t}\"\n"))
        .unwrap_or_default();
    let mut toml = format!(
        "[site]\nbase_url = \"http://127.0.0.1:9\"\n{admin}\n[storage]\nurl = \"{store_url}\"\n\n\
         [fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\nper_host_concurrency = 4\ntimeout_secs = 10\n\n"
    );
    for (slug, name, path, lang) in sources {
        toml.push_str(&format!(
            "[[sources]]\nslug = \"{slug}\"\nname = \"{name}\"\nurl = \"{}\"\nlang = \"{lang}\"\n\n",
            server.url(path)
        ));
    }
    let path = dir.join("khabar.toml");
    std::fs::write(&path, toml).expect("write config");
    path
}

pub fn khabar(config: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_khabar"));
    c.arg("--config")
        .arg(config)
        .env_remove("KHABAR_DATABASE_URL")
        .env("KHABAR_LOG", "warn");
    c
}

/// Runs `khabar fetch --json` and returns its run report.
pub fn run_fetch(config: &Path) -> serde_json::Value {
    let out = khabar(config)
        .args(["fetch", "--json"])
        .output()
        .expect("run khabar fetch");
    assert!(
        out.status.success(),
        "khabar fetch failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("fetch --json prints the run report")
}

/// A child process ended when dropped, so a failing test leaves nothing behind.
pub struct Guarded(pub Child);

impl Drop for Guarded {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `khabar serve --web-only` on a free port; returns it and its base URL.
pub fn start_site(config: &Path) -> (Guarded, String) {
    let mut child = khabar(config)
        .args(["serve", "--web-only", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start khabar serve");
    let stdout = child.stdout.take().expect("stdout");
    let guard = Guarded(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read serve banner");
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in banner {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (guard, base)
}

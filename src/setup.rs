//! Building the stages from the configuration.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use khabar_fetch::FetchConfig;
use khabar_store::{SourceSpec, Store};
use khabar_topic::{TopicClassifier, TopicSettings};
use khabar_web::SiteSettings;

use crate::config::{Config, FetchSettings, TopicConfig};

pub fn fetch_config(f: &FetchSettings) -> FetchConfig {
    FetchConfig {
        user_agent: f.user_agent.clone(),
        timeout: Duration::from_secs(f.timeout_secs),
        connect_timeout: Duration::from_secs(f.connect_timeout_secs),
        max_redirects: f.max_redirects,
        max_body_bytes: f.max_body_bytes,
        per_host_concurrency: f.per_host_concurrency,
        per_host_delay: Duration::from_millis(f.per_host_delay_ms),
        allow_private_addresses: f.allow_private_addresses,
        respect_robots: f.respect_robots,
        ..FetchConfig::default()
    }
}

pub fn topic_classifier(t: &TopicConfig) -> anyhow::Result<TopicClassifier> {
    let settings = TopicSettings {
        threshold: t.threshold,
        include_terms: t.include_terms.clone(),
        exclude_terms: t.exclude_terms.clone(),
    };
    if !t.name.eq_ignore_ascii_case("iran") {
        anyhow::bail!(
            "topic.name = {:?}: only the shipped \"Iran\" topic model exists; train another with `khabar train-topic`",
            t.name
        );
    }
    Ok(TopicClassifier::iran().with_settings(settings))
}

/// The folder an `sqlite://PATH` storage URL keeps its file in, if the URL
/// is SQLite and names one (not for `postgres://…` or `sqlite::memory:`).
pub(crate) fn sqlite_folder(url: &str) -> Option<&Path> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next().unwrap_or(path);
    Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
}

/// Opens the store named by `storage.url`, creating the folder of an
/// SQLite file when needed.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = &config.storage.url;
    prepare_data_folder(url)?;
    Store::connect(url).await.context("storage.url")
}

/// The folder of an SQLite store: made when missing, and checked writable.
fn prepare_data_folder(url: &str) -> anyhow::Result<()> {
    if let Some(folder) = sqlite_folder(url) {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the data folder {}", folder.display()))?;
        check_writable(folder)?;
    }
    Ok(())
}

/// SQLite writes beside its database (journal, shared memory) and the
/// search index lives there too: a folder that cannot be written (mounted
/// read-only, wrong owner) is named as such, instead of SQLite's "unable
/// to open database file" or a failure at the first write.
fn check_writable(folder: &Path) -> anyhow::Result<()> {
    let probe = folder.join(format!(".khabar-write-check-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .with_context(|| {
            format!(
                "the data folder {} cannot be written; khabar keeps its database and search index there",
                folder.display()
            )
        })
}

/// [`open_store`] for the long-running processes (`serve`, `worker`): a
/// PostgreSQL server that cannot be reached yet (still starting, restarting,
/// the network not up) is waited for, with one clear line per attempt, until
/// it answers or the process is told to stop. Anything else (a wrong URL, a
/// refused password, an SQLite file that cannot be opened) stops start-up at
/// once, since waiting cannot mend it. `stop` (Ctrl-C, SIGTERM) ends the wait.
pub async fn open_store_waiting(
    config: &Config,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<Store> {
    const FIRST_WAIT: Duration = Duration::from_millis(500);
    const LONGEST_WAIT: Duration = Duration::from_secs(30);
    let url = &config.storage.url;
    prepare_data_folder(url)?;
    let mut wait = FIRST_WAIT;
    tokio::pin!(stop);
    loop {
        match Store::connect(url).await {
            Ok(store) => return Ok(store),
            Err(e) if sqlite_folder(url).is_none() && e.is_unreachable() => {
                tracing::warn!(
                    "storage.url: {e}; the database cannot be reached yet, trying again in {:.1} s",
                    wait.as_secs_f64()
                );
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = &mut stop => anyhow::bail!("stopped while waiting for the store ({e})"),
                }
                wait = (wait * 2).min(LONGEST_WAIT);
            }
            Err(e) => return Err(e).context("storage.url"),
        }
    }
}

/// Makes the sources of the configuration file exist in the store with the
/// configured settings (their polling state is kept).
pub async fn sync_config_sources(store: &Store, config: &Config) -> anyhow::Result<()> {
    for s in &config.sources {
        store
            .sources()
            .upsert(&SourceSpec {
                slug: s.slug.clone(),
                name: s.name.clone(),
                url: s.url.clone(),
                kind: s.kind,
                lang: s.lang.clone(),
                full_text: s.full_text,
                dedicated: s.dedicated,
                proxy: s.proxy.clone(),
                outlet: s.outlet,
                outlet_note: s.outlet_note.clone(),
            })
            .await
            .with_context(|| format!("source {}", s.slug))?;
        // The configuration is the truth for its sources' tags too.
        store
            .set_source_tags(&s.slug, &s.tags)
            .await
            .with_context(|| format!("source {}", s.slug))?;
    }
    Ok(())
}

/// The web layer's settings; an empty like salt is replaced by a random one
/// kept in the data folder so likes stay counted across restarts.
pub fn site_settings(config: &Config, data_dir: &Path) -> anyhow::Result<SiteSettings> {
    let site = &config.site;
    let like_salt = if site.like_salt.is_empty() {
        persistent_salt(data_dir)?
    } else {
        site.like_salt.clone()
    };
    Ok(SiteSettings {
        title: site.title.clone(),
        tagline: site.tagline.clone(),
        base_url: site.reader_base_url(None).url,
        language: site.language.clone(),
        admin_token: (!site.admin_token.is_empty()).then(|| site.admin_token.clone()),
        like_salt,
        page_size: site.page_size,
        likes_per_minute_per_ip: site.likes_per_minute_per_ip,
        websub_hub: config.push.websub_hub.clone(),
    })
}

fn persistent_salt(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join("like-salt");
    if let Ok(s) = std::fs::read_to_string(&path) {
        let s = s.trim().to_string();
        if s.len() >= 16 {
            return Ok(s);
        }
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let salt: String = (0..32)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect();
    std::fs::write(&path, &salt).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(salt)
}

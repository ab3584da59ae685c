//! khabar: runs a topic news site by itself.
//!
//! This crate is the thin top of the system: configuration, the command
//! line, and the pipeline that wires the stage crates together
//! (`khabar-fetch` → `khabar-feed` → `khabar-extract` → `khabar-topic` →
//! `khabar-dedup` → `khabar-store` → `khabar-web`).

pub mod cli;

/// The version `khabar --version` prints: the package's, and the git commit
/// it was built from (`unknown` outside a git checkout), so an operator can
/// tell two builds of one version apart.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("BUILD_GIT_COMMIT"),
    ")"
);

pub mod config;
pub mod metrics;
pub mod pipeline;
pub mod push;
mod setup;

pub use setup::{
    fetch_config, open_store, open_store_waiting, site_settings, sync_config_sources,
    topic_classifier,
};

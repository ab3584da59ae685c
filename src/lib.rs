//! khabar: runs a topic news site by itself.
//!
//! This crate is the thin top of the system: configuration, the command
//! line, and the pipeline that wires the stage crates together
//! (`khabar-fetch` → `khabar-feed` → `khabar-extract` → `khabar-topic` →
//! `khabar-dedup` → `khabar-store` → `khabar-web`).

pub mod cli;
pub mod config;
pub mod metrics;
pub mod pipeline;
pub mod push;
mod setup;

pub use setup::{fetch_config, open_store, site_settings, sync_config_sources, topic_classifier};

//! Helpers shared by the integration tests; each test uses a subset.
#![allow(dead_code)]

pub mod corpus;
pub mod khabar_bin;
pub mod markup_safety;
pub mod news_server;
pub mod postgres;
pub mod static_site;
pub mod stored;

//! Helpers shared by the integration tests; each test uses a subset.
#![allow(dead_code)]

pub mod corpus;
pub mod khabar_bin;
pub mod news_server;
pub mod postgres;
pub mod stored;

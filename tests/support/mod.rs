pub mod corpus;
pub mod khabar_bin;
pub mod news_server;

pub mod corpus;
pub mod news_server;

//! khabar fetch stage (being written).

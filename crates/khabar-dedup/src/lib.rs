//! khabar dedup stage (being written).

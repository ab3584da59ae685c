//! khabar web stage (being written).

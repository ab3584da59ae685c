//! khabar topic stage (being written).

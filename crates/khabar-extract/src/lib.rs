//! khabar extract stage (being written).

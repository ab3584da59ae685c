//! khabar store stage (being written).

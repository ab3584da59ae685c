//! khabar feed stage (being written).

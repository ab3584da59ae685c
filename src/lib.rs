//! khabar: the binary's library half (configuration, pipeline, CLI).

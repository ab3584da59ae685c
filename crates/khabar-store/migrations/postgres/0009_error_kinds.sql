-- The kind of a failure (dns, connect, tls, timeout, http_4xx, http_5xx,
-- too_large, not_a_feed, parse, robots, …; khabar_model::FailureKind), kept
-- beside the message so operators can filter sources and polls by it.
ALTER TABLE sources ADD COLUMN last_error_kind TEXT;
ALTER TABLE fetch_log ADD COLUMN error_kind TEXT;

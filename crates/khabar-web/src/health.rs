//! What state the site is in, for an operator: the readiness endpoint
//! `/health` and the explanation an empty home page gives. `/healthz`
//! stays a liveness probe (the process answers and the store is there).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use khabar_model::{Source, SourceStatus};
use serde::Serialize;

use fluent_templates::fluent_bundle::FluentValue;

use crate::i18n;
use crate::state::AppState;

/// The sources, summed up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourcesSummary {
    pub total: usize,
    /// Polled at least once with success (or 304) and not failing now.
    pub ok: usize,
    pub failing: usize,
    pub never_fetched: usize,
    /// When the next poll is due, if one is scheduled.
    pub next_poll_at: Option<DateTime<Utc>>,
}

impl SourcesSummary {
    pub fn of(sources: &[Source]) -> SourcesSummary {
        let mut s = SourcesSummary {
            total: sources.len(),
            ..Default::default()
        };
        for src in sources {
            match src.status {
                SourceStatus::Failing => s.failing += 1,
                SourceStatus::New => s.never_fetched += 1,
                SourceStatus::Ok | SourceStatus::NotModified => s.ok += 1,
            }
        }
        s.next_poll_at = sources.iter().filter_map(|src| src.next_fetch_at).min();
        s
    }

    /// `ok`, `degraded` or `failing`, with the reasons an operator acts on.
    pub fn verdict(&self) -> (&'static str, Vec<String>) {
        let mut reasons = Vec::new();
        if self.total == 0 {
            reasons.push("no sources are configured".to_string());
            return ("degraded", reasons);
        }
        if self.failing == self.total {
            reasons.push(format!("all {} sources are failing", self.total));
            return ("failing", reasons);
        }
        if self.failing > 0 {
            reasons.push(format!(
                "{} of {} sources are failing",
                self.failing, self.total
            ));
        }
        if self.ok == 0 {
            reasons.push("no source has been fetched yet".to_string());
        }
        (if reasons.is_empty() { "ok" } else { "degraded" }, reasons)
    }

    /// Why a site with no stories has none, in a reader's words and the
    /// page's language (`locale` is a catalogue: `en`, `fa`).
    pub fn why_empty(&self, locale: &str, admin: bool) -> EmptyNote {
        use crate::i18n::text as t;
        let total = || ("total", FluentValue::from(self.total));
        let health_key = if admin {
            "empty-health-admin"
        } else {
            "empty-health-cli"
        };
        let health = t(locale, health_key, &[]);
        let text = if self.total == 0 {
            t(locale, "empty-no-sources", &[])
        } else if self.failing == self.total {
            format!("{} {health}", t(locale, "empty-all-failing", &[total()]))
        } else if self.ok == 0 {
            match self.next_poll_at {
                Some(at) if at > Utc::now() => t(
                    locale,
                    "empty-not-fetched-next",
                    &[total(), ("at", i18n::date_time(locale, at).into())],
                ),
                _ => t(locale, "empty-not-fetched-starting", &[total()]),
            }
        } else {
            let mut text = t(locale, "empty-nothing-on-topic", &[]);
            if self.failing > 0 {
                let failing = t(
                    locale,
                    "empty-some-failing",
                    &[("failing", FluentValue::from(self.failing)), total()],
                );
                text = format!("{text} {failing} {health}");
            }
            text
        };
        EmptyNote {
            text,
            admin_link: admin && self.failing > 0,
        }
    }
}

/// The explanation an empty story list shows.
#[derive(Debug, Clone, Serialize)]
pub struct EmptyNote {
    pub text: String,
    /// Link to the admin page's source health.
    pub admin_link: bool,
}

#[derive(Serialize)]
struct SourceHealth {
    slug: String,
    status: &'static str,
    last_fetch_at: Option<DateTime<Utc>>,
    last_success_at: Option<DateTime<Utc>>,
    consecutive_failures: i64,
    error: Option<String>,
    error_kind: Option<&'static str>,
    next_fetch_at: Option<DateTime<Utc>>,
}

/// `GET /health`: readiness as JSON, 200 when `ok` or `degraded`, 503 when
/// `failing` (the store unreachable, or every source failing).
pub async fn health(State(state): State<AppState>) -> Response {
    let store = state.store();
    let (sources, queue) = match (store.sources().all().await, store.jobs().counts().await) {
        (Ok(s), Ok(q)) => (s, q),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = %e, "health: store unreachable");
            return reply(
                StatusCode::SERVICE_UNAVAILABLE,
                serde_json::json!({
                    "status": "failing",
                    "reasons": ["the store cannot be reached"],
                    "store": { "reachable": false },
                }),
            );
        }
    };
    let summary = SourcesSummary::of(&sources);
    let (status, reasons) = summary.verdict();
    let per_source: Vec<SourceHealth> = sources
        .iter()
        .map(|s| SourceHealth {
            slug: s.slug.clone(),
            status: s.status.as_str(),
            last_fetch_at: s.last_fetch_at,
            last_success_at: s.last_success_at,
            consecutive_failures: s.consecutive_failures,
            error: s.last_error.clone(),
            error_kind: s.last_error_kind.map(|k| k.as_str()),
            next_fetch_at: s.next_fetch_at,
        })
        .collect();
    let code = if status == "failing" {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    reply(
        code,
        serde_json::json!({
            "status": status,
            "reasons": reasons,
            "store": { "reachable": true, "backend": store.backend().as_str() },
            "sources": summary,
            "queue": queue,
            "per_source": per_source,
        }),
    )
}

fn reply(code: StatusCode, body: serde_json::Value) -> Response {
    let mut r = (code, Json(body)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(status: SourceStatus) -> Source {
        Source {
            status,
            ..Default::default()
        }
    }

    #[test]
    fn the_verdict_follows_the_sources() {
        assert_eq!(SourcesSummary::of(&[]).verdict().0, "degraded");
        let all_down = [source(SourceStatus::Failing), source(SourceStatus::Failing)];
        let (status, reasons) = SourcesSummary::of(&all_down).verdict();
        assert_eq!(
            (status, reasons[0].as_str()),
            ("failing", "all 2 sources are failing")
        );
        let one_down = [source(SourceStatus::Ok), source(SourceStatus::Failing)];
        assert_eq!(SourcesSummary::of(&one_down).verdict().0, "degraded");
        let fresh = [source(SourceStatus::New)];
        assert_eq!(SourcesSummary::of(&fresh).verdict().0, "degraded");
        let fine = [source(SourceStatus::Ok), source(SourceStatus::NotModified)];
        assert_eq!(SourcesSummary::of(&fine).verdict(), ("ok", vec![]));
    }

    #[test]
    fn an_empty_site_says_why() {
        let none = SourcesSummary::of(&[]).why_empty("en", false);
        assert!(
            none.text.contains("No sources are configured"),
            "{}",
            none.text
        );
        let down = SourcesSummary::of(&[source(SourceStatus::Failing)]).why_empty("en", true);
        assert!(
            down.text.contains("all 1 sources are failing"),
            "{}",
            down.text
        );
        assert!(down.admin_link);
        let mut waiting = source(SourceStatus::New);
        waiting.next_fetch_at = Some(Utc::now() + chrono::Duration::minutes(5));
        let wait = SourcesSummary::of(&[waiting]).why_empty("en", false);
        assert!(wait.text.contains("the next run is at"), "{}", wait.text);
    }

    /// A Persian site explains itself in Persian, numbers in Persian digits.
    #[test]
    fn the_note_speaks_the_page_language() {
        let down = [source(SourceStatus::Failing), source(SourceStatus::Failing)];
        let fa = SourcesSummary::of(&down).why_empty("fa", true);
        assert!(fa.text.contains("هنوز خبری نیست"), "{}", fa.text);
        assert!(
            fa.text.contains('۲') && !fa.text.contains('2'),
            "{}",
            fa.text
        );
        assert!(fa.text.contains("صفحهٔ مدیریت"), "{}", fa.text);
        let en = SourcesSummary::of(&down).why_empty("en", true);
        assert_eq!(
            en.text,
            "No stories yet: all 2 sources are failing. The source health table is on the admin page."
        );
    }
}

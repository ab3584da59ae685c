//! Operator pages behind a token: source health, rejected stories with the
//! reasons, and moderation (hide, unhide, pin, unpin, takedown).
//!
//! Without a configured token the admin area does not exist (404). With one,
//! a request is admitted by `Authorization: Bearer <token>` (scripts) or by
//! the signed session cookie the login form sets (browsers); cookie-borne
//! POSTs must also carry a CSRF token derived from that cookie.

use std::net::SocketAddr;

use axum::Form;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use khabar_model::{StoredStory, StoryStatus};
use khabar_store::StoryQuery;
use serde::{Deserialize, Serialize};

use crate::error::{WebError, WebResult};
use crate::i18n;
use crate::page_parts::{Pager, html};
use crate::params::ListParams;
use crate::security;
use crate::state::{AppState, PageMeta, SiteView};
use crate::view;

pub const ADMIN_COOKIE: &str = "khabar_admin";
const SESSION_SECS: i64 = 12 * 60 * 60;

/// How a request proved it is the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminAuth {
    Bearer,
    /// Signed-in browser; the session cookie value keys the CSRF token.
    Session(String),
}

fn configured_token(state: &AppState) -> WebResult<&str> {
    state
        .settings()
        .admin_token
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or(WebError::NotFound)
}

fn session_mac(state: &AppState, token: &str, expires: i64) -> String {
    security::token(
        &state.settings().like_salt,
        &format!("admin-session\0{token}"),
        &expires.to_string(),
    )
}

/// A new session cookie value: `{expiry}x{mac}`.
fn new_session(state: &AppState, token: &str) -> String {
    let expires = Utc::now().timestamp() + SESSION_SECS;
    format!("{expires}x{}", session_mac(state, token, expires))
}

fn valid_session(state: &AppState, token: &str, value: &str) -> bool {
    let Some((exp, mac)) = value.split_once('x') else {
        return false;
    };
    let Ok(exp) = exp.parse::<i64>() else {
        return false;
    };
    exp > Utc::now().timestamp()
        && security::constant_time_eq(mac.as_bytes(), session_mac(state, token, exp).as_bytes())
}

/// Checks the request's credentials. `Err(NotFound)` when no token is
/// configured, `Ok(None)` when the request is simply not signed in.
pub fn authenticate(state: &AppState, headers: &HeaderMap) -> WebResult<Option<AdminAuth>> {
    let token = configured_token(state)?;
    if let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Ok(
            security::constant_time_eq(given.trim().as_bytes(), token.as_bytes())
                .then_some(AdminAuth::Bearer),
        );
    }
    Ok(security::cookie(headers, ADMIN_COOKIE)
        .filter(|v| valid_session(state, token, v))
        .map(AdminAuth::Session))
}

fn csrf_for(state: &AppState, session: &str) -> String {
    security::token(&state.settings().like_salt, "admin-csrf", session)
}

/// For state-changing requests: Bearer passes; a session must bring its CSRF token
/// and come from this site.
fn check_post(state: &AppState, headers: &HeaderMap, csrf: &str) -> WebResult<AdminAuth> {
    let auth = authenticate(state, headers)?.ok_or(WebError::Unauthorized)?;
    if let AdminAuth::Session(session) = &auth {
        let expected = csrf_for(state, session);
        if !security::constant_time_eq(csrf.as_bytes(), expected.as_bytes())
            || !security::same_origin(headers, state.inner.site_host.as_deref())
        {
            return Err(WebError::Forbidden(
                "The form token is missing or stale; reload the admin page.".into(),
            ));
        }
    }
    Ok(auth)
}

#[derive(Serialize)]
struct LoginCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    failed: bool,
}

fn login_page(state: &AppState, failed: bool) -> WebResult {
    let mut page = PageMeta::new(state, i18n::text(locale(state), "admin-sign-in", &[]));
    page.noindex = true;
    let mut resp = html(
        "admin_login.html",
        &LoginCtx {
            site: state.site(),
            page,
            failed,
        },
    )?;
    *resp.status_mut() = StatusCode::UNAUTHORIZED;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"khabar admin\""),
    );
    Ok(resp)
}

fn no_store(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    token: String,
}

/// `POST /admin/login`
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> WebResult {
    let token = configured_token(&state)?;
    let ip = security::client_ip(&headers, peer.as_ref().map(|e| &e.0));
    if !state.inner.login_limiter.allow(ip) {
        return Err(WebError::TooManyRequests);
    }
    if !security::same_origin(&headers, state.inner.site_host.as_deref()) {
        return Err(WebError::Forbidden("Sign in from this site.".into()));
    }
    if !security::constant_time_eq(form.token.trim().as_bytes(), token.as_bytes()) {
        return login_page(&state, true);
    }
    let cookie = security::set_cookie(
        ADMIN_COOKIE,
        &new_session(&state, token),
        SESSION_SECS,
        state.settings().secure(),
    );
    let mut resp = Redirect::to("/admin").into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(no_store(resp))
}

/// Fields of the admin POST forms. Read from the raw body so scripts using
/// Bearer auth may send no body at all.
#[derive(Default)]
pub struct CsrfForm {
    csrf: String,
    reason: String,
    /// A story's new tags, comma-separated (the `tags` action).
    tags: Option<String>,
}

impl CsrfForm {
    fn parse(body: &[u8]) -> Self {
        let mut f = CsrfForm::default();
        for (k, v) in url::form_urlencoded::parse(body) {
            match &*k {
                "csrf" => f.csrf = v.into_owned(),
                "reason" => f.reason = v.chars().take(500).collect(),
                "tags" => f.tags = Some(v.chars().take(500).collect()),
                _ => {}
            }
        }
        f
    }
}

/// `POST /admin/logout`
pub async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> WebResult {
    let form = CsrfForm::parse(&body);
    check_post(&state, &headers, &form.csrf)?;
    let mut resp = Redirect::to("/").into_response();
    let clear = security::set_cookie(ADMIN_COOKIE, "", 0, state.settings().secure());
    if let Ok(v) = HeaderValue::from_str(&clear) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(no_store(resp))
}

#[derive(Serialize)]
struct Share {
    label: String,
    pct: i64,
    low: bool,
}

#[derive(Serialize)]
struct SourceRow {
    name: String,
    slug: String,
    href: String,
    kind: &'static str,
    lang: Option<String>,
    full_text: bool,
    /// The status in the admin's language.
    status: String,
    failing: bool,
    failures: i64,
    last_fetch: String,
    last_story: String,
    error: String,
    /// The kind of the last error (`timeout`, `http_4xx`, `not_a_feed`…).
    error_kind: Option<&'static str>,
    published: i64,
    rejected: i64,
    total: i64,
    recent: i64,
    shares: Vec<Share>,
}

#[derive(Serialize)]
struct AdminStory {
    id: i64,
    href: String,
    headline: String,
    source_name: String,
    date_text: String,
    status: String,
    pinned: bool,
    actions: Vec<ActionButton>,
    /// The story's tags as the edit form shows them; `None` when they
    /// cannot be edited (a taken-down story).
    tags: Option<String>,
}

/// One moderation button: the action posted and its label.
#[derive(Serialize)]
struct ActionButton {
    name: &'static str,
    label: String,
}

impl AdminStory {
    fn new(s: &StoredStory, locale: &str) -> Self {
        let actions = match s.status {
            StoryStatus::Published => {
                vec![
                    if s.pinned { "unpin" } else { "pin" },
                    "hide",
                    "off-topic",
                    "takedown",
                ]
            }
            StoryStatus::Hidden | StoryStatus::Rejected => vec!["unhide", "takedown"],
            StoryStatus::TakenDown => vec![],
        };
        AdminStory {
            id: s.id,
            href: view::story_path(s),
            headline: s.headline.clone(),
            source_name: s.source_name.clone(),
            date_text: i18n::date_time(locale, s.display_time()),
            status: i18n::text(locale, &format!("admin-status-{}", s.status.as_str()), &[]),
            pinned: s.pinned,
            actions: actions
                .into_iter()
                .map(|name| ActionButton {
                    name,
                    label: i18n::text(locale, &format!("admin-action-{name}"), &[]),
                })
                .collect(),
            tags: (s.status != StoryStatus::TakenDown).then(|| s.relevance.tags.join(", ")),
        }
    }
}

#[derive(Serialize)]
struct DashboardCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    csrf: String,
    has_metrics: bool,
    notice: Option<String>,
    counts: Vec<(String, i64)>,
    sources: Vec<SourceRow>,
    /// Error kinds of the failing sources, for the filter links.
    error_kinds: Vec<&'static str>,
    kind_filter: Option<&'static str>,
    moderated: Vec<AdminStory>,
    latest: Vec<AdminStory>,
    push: Vec<PushRow>,
    refusals: Vec<RefusalRow>,
}

/// A lead image khabar refused, with why and for which story and source.
#[derive(Serialize)]
struct RefusalRow {
    url: String,
    reason: String,
    detail: String,
    when: String,
    story_href: Option<String>,
    headline: String,
    source_name: String,
}

impl RefusalRow {
    fn new(r: &khabar_store::RefusedImage, locale: &str) -> Self {
        RefusalRow {
            url: r.source_url.clone(),
            reason: r.reason.clone().unwrap_or_default(),
            detail: r.detail.clone().unwrap_or_default(),
            when: chrono::DateTime::from_timestamp(r.created_at, 0)
                .map(|t| i18n::date_time(locale, t))
                .unwrap_or_default(),
            story_href: r.story_id.map(|id| format!("/story/{id}")),
            headline: r.headline.clone().unwrap_or_default(),
            source_name: r.source_name.clone().unwrap_or_default(),
        }
    }
}

/// Deliveries of one webhook or hub, for the push-out table.
#[derive(Serialize)]
struct PushRow {
    kind: &'static str,
    target: String,
    pending: i64,
    delivered: i64,
    failed: i64,
    last_attempt: String,
    last_error: String,
    last_error_at: String,
}

impl PushRow {
    fn new(s: &khabar_store::DeliveryStats, locale: &str) -> Self {
        let when = |t: Option<i64>| {
            t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map(|t| i18n::date_time(locale, t))
                .unwrap_or_default()
        };
        PushRow {
            kind: s.kind.as_str(),
            target: s.target.clone(),
            pending: s.pending,
            delivered: s.delivered,
            failed: s.failed,
            last_attempt: when(s.last_attempt_at),
            last_error: s.last_error.clone().unwrap_or_default(),
            last_error_at: when(s.last_error_at),
        }
    }
}

/// Share of recent stories below which extraction looks broken.
fn share(label: String, v: f32, threshold: f32, recent: i64) -> Share {
    Share {
        label,
        pct: (v * 100.0).round() as i64,
        low: recent >= 5 && v < threshold,
    }
}

fn csrf_of(state: &AppState, auth: &AdminAuth) -> String {
    match auth {
        AdminAuth::Session(s) => csrf_for(state, s),
        AdminAuth::Bearer => String::new(),
    }
}

#[derive(Deserialize, Default)]
pub struct DashboardParams {
    done: Option<String>,
    /// Only sources whose last error is of this kind.
    kind: Option<String>,
    /// `failures`: the most failing sources first.
    sort: Option<String>,
}

/// `GET /admin`
pub async fn dashboard(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<DashboardParams>,
) -> WebResult {
    let Some(auth) = authenticate(&state, &headers)? else {
        return login_page(&state, false);
    };
    let loc = locale(&state);
    let t = |key: &str| i18n::text(loc, key, &[]);
    let store = state.store();
    let c = store.counts().await?;
    let mut sources = Vec::new();
    let kind_filter = q.kind.as_deref().and_then(khabar_model::FailureKind::parse);
    let mut all_sources = store.sources().all().await?;
    if let Some(k) = kind_filter {
        all_sources.retain(|s| s.last_error_kind == Some(k));
    }
    if q.sort.as_deref() == Some("failures") {
        all_sources.sort_by_key(|s| std::cmp::Reverse(s.consecutive_failures));
    }
    // The kinds present, for the filter links.
    let mut kinds: Vec<&'static str> = store
        .sources()
        .all()
        .await?
        .iter()
        .filter_map(|s| s.last_error_kind.map(|k| k.as_str()))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for src in all_sources {
        let h = store.sources().health(src.id).await?;
        let s = &h.source;
        sources.push(SourceRow {
            name: s.name.clone(),
            slug: s.slug.clone(),
            href: format!("/source/{}", view::url_path_escape(&s.slug)),
            kind: s.kind.as_str(),
            lang: s.lang.clone(),
            full_text: s.full_text,
            status: t(&format!("admin-source-{}", s.status.as_str())),
            failing: s.status == khabar_model::SourceStatus::Failing,
            failures: s.consecutive_failures,
            last_fetch: s
                .last_fetch_at
                .map(|t| i18n::date_time(loc, t))
                .unwrap_or_else(|| t("admin-never")),
            last_story: h
                .last_story_at
                .map(|t| i18n::date_time(loc, t))
                .unwrap_or_else(|| t("admin-none")),
            error: s.last_error.clone().unwrap_or_default(),
            error_kind: s.last_error_kind.map(|k| k.as_str()),
            published: h.published,
            rejected: h.rejected,
            total: h.total,
            recent: h.recent,
            shares: vec![
                share(t("admin-share-body"), h.share_plausible_body, 0.6, h.recent),
                share(t("admin-share-dated"), h.share_dated, 0.6, h.recent),
                // Many wires carry no bylines at all: shown, never flagged.
                share(t("admin-share-bylined"), h.share_bylined, 0.0, h.recent),
            ],
        });
    }
    let moderated = store
        .stories(&StoryQuery {
            statuses: vec![StoryStatus::Hidden, StoryStatus::TakenDown],
            include_copies: true,
            limit: 50,
            ..Default::default()
        })
        .await?
        .items;
    let latest = store
        .stories(&StoryQuery {
            include_copies: true,
            limit: 30,
            ..Default::default()
        })
        .await?
        .items;
    let push = store.deliveries().stats().await?;
    let refusals = store.images().refused_images(20).await?;
    let mut page = PageMeta::new(&state, t("admin-title"));
    page.noindex = true;
    page.wide = true;
    let ctx = DashboardCtx {
        site: state.site(),
        page,
        csrf: csrf_of(&state, &auth),
        error_kinds: kinds,
        kind_filter: kind_filter.map(|k| k.as_str()),
        has_metrics: state.inner.metrics_render.is_some(),
        notice: q
            .done
            .filter(|d| d.len() < 40 && d.chars().all(|c| c.is_alphanumeric() || c == ' '))
            .map(|d| i18n::text(loc, "admin-done", &[("action", d.into())])),
        counts: [
            ("admin-count-published", c.published),
            ("admin-count-primaries", c.published_primaries),
            ("admin-count-rejected", c.rejected),
            ("admin-count-hidden", c.hidden),
            ("admin-count-taken-down", c.taken_down),
            ("admin-count-all", c.total_stories),
            ("admin-count-sources", c.sources),
            ("admin-count-likes", c.likes),
        ]
        .into_iter()
        .map(|(key, n)| (t(key), n))
        .collect(),
        sources,
        moderated: moderated.iter().map(|s| AdminStory::new(s, loc)).collect(),
        latest: latest.iter().map(|s| AdminStory::new(s, loc)).collect(),
        push: push.iter().map(|p| PushRow::new(p, loc)).collect(),
        refusals: refusals.iter().map(|r| RefusalRow::new(r, loc)).collect(),
    };
    Ok(no_store(html("admin.html", &ctx)?))
}

#[derive(Serialize)]
struct RejectedRow {
    id: i64,
    headline: String,
    original_url: String,
    source_name: String,
    date_text: String,
    score: String,
    reasons: Vec<String>,
    lang: String,
    dir: &'static str,
}

#[derive(Serialize)]
struct RejectedCtx<'a> {
    site: SiteView<'a>,
    page: PageMeta,
    total: i64,
    items: Vec<RejectedRow>,
    pager: Pager,
    csrf: String,
}

/// The admin pages speak the site's language (its catalogue, else English).
fn locale(state: &AppState) -> &'static str {
    i18n::catalogue(&state.settings().language).unwrap_or("en")
}

/// Tags as an editor types them: comma-separated words, each made a slug
/// by the store (`Middle East` is `middle-east`).
fn typed_tags(raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in raw.split([',', '،', '\n']).map(khabar_store::tag_slug) {
        // A tag typed twice is one tag, in the log as in the store.
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags
}

/// The moderation log's reason for an editor's topic decision: what was
/// decided, by whom (the signed-in admin or the API token), and why.
fn editor_decision(what: &str, auth: &AdminAuth, reason: Option<&str>) -> String {
    let by = match auth {
        AdminAuth::Bearer => "the admin API token",
        AdminAuth::Session(_) => "the admin",
    };
    let why = reason.map(|r| format!(": {r}")).unwrap_or_default();
    format!("{what} by {by}{why}")
}

/// `POST /admin/source/{slug}/poll-now`: the source is due at once; the
/// pipeline polls it on its next run instead of waiting out its backoff.
pub async fn poll_source_now(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult {
    let form = CsrfForm::parse(&body);
    check_post(&state, &headers, &form.csrf)?;
    if !state.store().sources().poll_now(&slug).await? {
        return Err(WebError::NotFound);
    }
    tracing::info!(source = %slug, "admin: poll now");
    Ok(no_store(
        Redirect::to("/admin?done=poll%20now").into_response(),
    ))
}

/// `GET /admin/rejected?page=`
pub async fn rejected(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<ListParams>,
) -> WebResult {
    let Some(auth) = authenticate(&state, &headers)? else {
        return login_page(&state, false);
    };
    let loc = locale(&state);
    let limit = 50;
    let page = p.page();
    let res = state
        .store()
        .stories(&StoryQuery {
            statuses: vec![StoryStatus::Rejected],
            include_copies: true,
            offset: (page - 1) * limit,
            limit,
            ..Default::default()
        })
        .await?;
    let items = res
        .items
        .iter()
        .map(|s| RejectedRow {
            id: s.id,
            headline: s.headline.clone(),
            original_url: view::original_url(s),
            source_name: s.source_name.clone(),
            date_text: i18n::date_time(loc, s.display_time()),
            score: format!("{:.2}", s.relevance.score),
            reasons: s.relevance.reasons.clone(),
            lang: view::lang_of(s),
            dir: view::dir_of(s),
        })
        .collect();
    let mut meta = PageMeta::new(&state, i18n::text(loc, "admin-rejected-title", &[]));
    meta.noindex = true;
    meta.wide = true;
    let ctx = RejectedCtx {
        site: state.site(),
        page: meta,
        total: res.total,
        items,
        pager: Pager::new("/admin/rejected", page, res.total, limit),
        csrf: csrf_of(&state, &auth),
    };
    Ok(no_store(html("admin_rejected.html", &ctx)?))
}

/// `POST /admin/story/{id}/{action}` with `csrf` (and `reason` for takedown).
pub async fn story_action(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult {
    let form = CsrfForm::parse(&body);
    let auth = check_post(&state, &headers, &form.csrf)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let store = state.store();
    let story = store.story(id).await?.ok_or(WebError::NotFound)?;
    let reason = form.reason.trim();
    let reason = (!reason.is_empty()).then_some(reason);
    match action.as_str() {
        "hide" => {
            store
                .set_status(story.id, StoryStatus::Hidden, reason)
                .await?
        }
        "unhide" => {
            store
                .set_status(story.id, StoryStatus::Published, reason)
                .await?
        }
        // An editor overrules the topic decision: the moderation log keeps
        // who (the signed-in admin or the API token), when and why, and
        // `khabar labels` hands these decisions to `khabar train-topic`.
        "publish" if story.status == StoryStatus::Rejected => {
            let why = editor_decision("published against the topic decision", &auth, reason);
            store
                .set_status(story.id, StoryStatus::Published, Some(&why))
                .await?
        }
        // The opposite mark: a published story that is not about the topic
        // leaves the site as rejected, and becomes a negative label.
        "off-topic" if story.status == StoryStatus::Published => {
            let why = editor_decision("marked not about the topic", &auth, reason);
            store
                .set_status(story.id, StoryStatus::Rejected, Some(&why))
                .await?
        }
        // An editor sets the story's tags; the log keeps the old and the
        // new ones and who changed them.
        "tags" if story.status != StoryStatus::TakenDown => {
            let raw = form
                .tags
                .as_deref()
                .ok_or_else(|| WebError::BadRequest("The tags field is missing.".into()))?;
            let tags = typed_tags(raw);
            let what = format!(
                "tags set to [{}] (were [{}])",
                tags.join(", "),
                story.relevance.tags.join(", ")
            );
            store
                .set_story_tags(story.id, &tags, &editor_decision(&what, &auth, reason))
                .await?;
        }
        "pin" => store.set_pinned(story.id, true).await?,
        "unpin" => store.set_pinned(story.id, false).await?,
        "takedown" => {
            let reason =
                reason.ok_or_else(|| WebError::BadRequest("A takedown needs a reason.".into()))?;
            store
                .set_status(story.id, StoryStatus::TakenDown, Some(reason))
                .await?
        }
        _ => return Err(WebError::NotFound),
    }
    tracing::info!(story = story.id, action = %action, "admin action");
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        return Ok(no_store(
            axum::Json(serde_json::json!({ "ok": true, "id": story.id, "action": action }))
                .into_response(),
        ));
    }
    Ok(no_store(
        Redirect::to(&format!("/admin?done={action}")).into_response(),
    ))
}

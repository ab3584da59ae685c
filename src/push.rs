//! Push out, wired to the pipeline and the store.
//!
//! When the pipeline publishes a story of its own (not a copy), it calls
//! [`story_published`], which only writes rows to the store's delivery
//! queue: one webhook delivery per matching webhook (a keyword alert's
//! query decides for its webhook), and a WebSub ping for each site feed the
//! story appears in. Nothing is sent on the ingest path, and a failure here
//! is logged, never passed on: the story is stored and published either way.
//!
//! A [`Sender`] drains the queue in the background (inside `khabar serve`
//! and `khabar worker`; `khabar fetch` makes one attempt at each due
//! delivery before it exits): it claims due rows under a lease, sends them
//! through `khabar-push` with a timeout, and records each outcome — retried
//! with exponential backoff until `push.max_attempts`, then `failed` with
//! its last error.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::sync::watch;
use tokio::task::JoinSet;

use khabar_model::{Source, StoryStatus};
use khabar_push::{AlertQuery, PushClient, StoryWords};
use khabar_store::{Delivery, DeliveryKind, DeliveryOutcome, Store};
use khabar_web::SiteSettings;

use crate::config::{Config, PushConfig, WebhookConfig};

/// How often delivered and given-up rows older than `push.keep_days` go.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// The settings story JSON and feed addresses are built with.
fn site_for_links(config: &Config) -> SiteSettings {
    SiteSettings {
        base_url: config.site.reader_base_url(None).url,
        language: config.site.language.clone(),
        ..SiteSettings::default()
    }
}

/// Queues what the publication of story `id` (of `source`) should push.
/// Errors are logged: push-out never fails ingest.
pub async fn story_published(store: &Store, config: &Config, id: i64, source: &Source) {
    let push = &config.push;
    if !push.enabled() {
        return;
    }
    if let Err(e) = queue_story(store, config, id).await {
        tracing::warn!(story = id, source = %source.slug, "cannot queue push deliveries: {e}");
    }
}

async fn queue_story(store: &Store, config: &Config, id: i64) -> khabar_store::Result<()> {
    let Some(story) = store.story(id).await? else {
        return Ok(());
    };
    if story.status != StoryStatus::Published {
        return Ok(());
    }
    let site = site_for_links(config);
    if story.duplicate_of.is_some() {
        // A copy is news only to the readers following its story.
        if let Some(hub) = &config.push.websub_hub {
            let feeds = khabar_web::story_feed_urls_for(&site, &story);
            store.deliveries().enqueue_hub_pings(hub, &feeds).await?;
        }
        return Ok(());
    }
    let push = &config.push;
    if !push.webhooks.is_empty() {
        let words = push
            .webhooks
            .iter()
            .any(|w| w.query.is_some())
            .then(|| StoryWords::new(&story.headline, &story.body_text));
        let wanted: Vec<&str> = push
            .webhooks
            .iter()
            .filter(|w| wants(w, words.as_ref()))
            .map(WebhookConfig::key)
            .collect();
        if !wanted.is_empty() {
            let coverage = store.coverage(&[id]).await?.remove(&id);
            let body = khabar_web::story_json(&site, &story, coverage);
            store
                .deliveries()
                .enqueue_webhooks(id, &wanted, &body)
                .await?;
        }
    }
    if let Some(hub) = &push.websub_hub {
        let feeds = khabar_web::feed_urls_for(&site, &story);
        store.deliveries().enqueue_hub_pings(hub, &feeds).await?;
    }
    Ok(())
}

/// Whether a webhook takes a story: every story, or a keyword alert's matches.
fn wants(w: &WebhookConfig, words: Option<&StoryWords>) -> bool {
    match (&w.query, words) {
        (None, _) => true,
        (Some(q), Some(words)) => AlertQuery::parse(q).is_some_and(|q| q.matches(words)),
        (Some(_), None) => false,
    }
}

/// What one pass over the due deliveries did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SendReport {
    pub delivered: usize,
    /// Failed attempts that will be tried again.
    pub retrying: usize,
    /// Deliveries given up on in this pass.
    pub failed: usize,
}

impl SendReport {
    fn add(&mut self, o: &DeliveryOutcome) {
        match o {
            DeliveryOutcome::Delivered { .. } => self.delivered += 1,
            DeliveryOutcome::Failed {
                retry_in: Some(_), ..
            } => self.retrying += 1,
            DeliveryOutcome::Failed { retry_in: None, .. } => self.failed += 1,
        }
    }

    fn attempts(&self) -> usize {
        self.delivered + self.retrying + self.failed
    }
}

/// Sends the queued deliveries of the store.
#[derive(Clone)]
pub struct Sender {
    store: Store,
    settings: Arc<PushConfig>,
    webhooks: Arc<HashMap<String, WebhookConfig>>,
    client: PushClient,
    owner: Arc<str>,
}

impl Sender {
    /// A sender for `config.push`, or `None` when nothing is configured to
    /// be pushed. `owner` names this process in the delivery leases.
    pub fn new(store: Store, config: &Config, owner: &str) -> anyhow::Result<Option<Sender>> {
        let push = &config.push;
        if !push.enabled() {
            return Ok(None);
        }
        let client = PushClient::new(
            &config.fetch.user_agent,
            Duration::from_secs(push.timeout_secs),
        )?;
        let webhooks = push
            .webhooks
            .iter()
            .map(|w| (w.key().to_string(), w.clone()))
            .collect();
        Ok(Some(Sender {
            store,
            settings: Arc::new(push.clone()),
            webhooks: Arc::new(webhooks),
            client,
            owner: owner.into(),
        }))
    }

    /// A claimed row is held this long: one request's time limit, with room.
    fn lease(&self) -> Duration {
        Duration::from_secs(self.settings.timeout_secs.saturating_mul(3).max(30))
    }

    /// Sends until `shutdown` turns true, keeping up to `push.concurrency`
    /// deliveries in flight: a free slot is refilled at once, so a slow or
    /// dead receiver holds one slot for at most one request's time limit
    /// and never the others. On shutdown the attempts in flight are
    /// finished (bounded by that limit) so their outcomes are recorded.
    pub async fn run(&self, mut shutdown: watch::Receiver<bool>) {
        let idle = Duration::from_millis(self.settings.poll_ms.max(10));
        let width = self.settings.concurrency.max(1);
        let mut running: JoinSet<()> = JoinSet::new();
        let mut last_purge = Instant::now();
        loop {
            if *shutdown.borrow() {
                break;
            }
            while running.try_join_next().is_some() {}
            let free = width.saturating_sub(running.len());
            let claimed = if free > 0 {
                self.claim(free).await
            } else {
                Vec::new()
            };
            let got = !claimed.is_empty();
            for d in claimed {
                let this = self.clone();
                running.spawn(async move {
                    let outcome = this.attempt(&d).await;
                    this.record(&d, &outcome).await;
                });
            }
            if last_purge.elapsed() > PURGE_EVERY {
                last_purge = Instant::now();
                self.purge().await;
            }
            if got && running.len() < width {
                continue;
            }
            tokio::select! {
                Some(_) = running.join_next(), if !running.is_empty() => {}
                _ = tokio::time::sleep(idle) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        while running.join_next().await.is_some() {}
    }

    async fn claim(&self, n: usize) -> Vec<Delivery> {
        match self
            .store
            .deliveries()
            .claim(&self.owner, self.lease(), n as i64)
            .await
        {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("cannot claim push deliveries: {e}");
                Vec::new()
            }
        }
    }

    /// Makes one attempt at every delivery due now (those waiting out a
    /// retry delay stay queued), for one-off runs such as `khabar fetch`.
    pub async fn send_all_due(&self) -> SendReport {
        let mut total = SendReport::default();
        loop {
            let pass = self.send_due().await;
            total.delivered += pass.delivered;
            total.retrying += pass.retrying;
            total.failed += pass.failed;
            if pass.attempts() == 0 {
                return total;
            }
        }
    }

    /// Claims up to `push.concurrency` due deliveries and sends them at
    /// the same time.
    async fn send_due(&self) -> SendReport {
        let width = self.settings.concurrency.max(1);
        let claimed = self.claim(width).await;
        let mut report = SendReport::default();
        let mut sends = futures_util::stream::iter(claimed.into_iter().map(|d| {
            let this = self.clone();
            async move {
                let outcome = this.attempt(&d).await;
                this.record(&d, &outcome).await;
                outcome
            }
        }))
        .buffer_unordered(width);
        while let Some(outcome) = sends.next().await {
            report.add(&outcome);
        }
        report
    }

    async fn attempt(&self, d: &Delivery) -> DeliveryOutcome {
        let sent = match d.kind {
            DeliveryKind::Webhook => match self.webhooks.get(&d.target) {
                Some(w) => {
                    self.client
                        .deliver(&w.url, &w.secret, &d.payload, d.id)
                        .await
                }
                None => {
                    return DeliveryOutcome::Failed {
                        error: format!("webhook {:?} is no longer configured", d.target),
                        http_status: None,
                        retry_in: None,
                    };
                }
            },
            DeliveryKind::Websub => {
                let topic = d.topic.as_deref().unwrap_or_default();
                self.client.ping_hub(&d.target, topic).await
            }
        };
        match sent {
            Ok(status) => DeliveryOutcome::Delivered {
                http_status: Some(status),
            },
            Err(e) => {
                let s = &self.settings;
                let retry_in = (d.attempts < i64::from(s.max_attempts)).then(|| {
                    khabar_push::retry_delay(
                        Duration::from_millis(s.retry_base_ms),
                        Duration::from_millis(s.retry_max_ms),
                        d.attempts,
                    )
                });
                tracing::warn!(
                    delivery = d.id,
                    kind = d.kind.as_str(),
                    attempt = d.attempts,
                    "push failed: {e}"
                );
                DeliveryOutcome::Failed {
                    http_status: e.http_status(),
                    error: e.to_string(),
                    retry_in,
                }
            }
        }
    }

    async fn record(&self, d: &Delivery, outcome: &DeliveryOutcome) {
        let label = match outcome {
            DeliveryOutcome::Delivered { .. } => "delivered",
            DeliveryOutcome::Failed {
                retry_in: Some(_), ..
            } => "retrying",
            DeliveryOutcome::Failed { retry_in: None, .. } => "failed",
        };
        metrics::counter!("khabar_push_total", "kind" => d.kind.as_str(), "outcome" => label)
            .increment(1);
        match self
            .store
            .deliveries()
            .finish(d.id, &self.owner, outcome)
            .await
        {
            Ok(true) => {}
            Ok(false) => tracing::warn!(delivery = d.id, "push lease lost before recording"),
            // The lease runs out and the delivery is tried again.
            Err(e) => tracing::error!(delivery = d.id, "cannot record push outcome: {e}"),
        }
    }

    async fn purge(&self) {
        let age = Duration::from_secs(self.settings.keep_days.saturating_mul(86_400));
        match self.store.deliveries().purge_finished(age).await {
            Ok(n) if n > 0 => tracing::info!(deliveries = n, "old push deliveries purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!("cannot purge push deliveries: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(query: Option<&str>) -> WebhookConfig {
        WebhookConfig {
            name: None,
            url: "https://hook.example/".into(),
            secret: "s".into(),
            query: query.map(str::to_string),
        }
    }

    #[test]
    fn only_alerts_with_a_query_filter() {
        let words = StoryWords::new("Iran talks resume in Vienna", "");
        assert!(wants(&hook(None), Some(&words)));
        assert!(wants(&hook(None), None));
        assert!(wants(&hook(Some("vienna IRAN")), Some(&words)));
        assert!(!wants(&hook(Some("Geneva")), Some(&words)));
    }
}

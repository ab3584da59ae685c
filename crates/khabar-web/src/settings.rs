//! What the operator configures about the site.

/// Site-wide settings passed in by the binary (from the config file).
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// Site name, e.g. "Persian News".
    pub title: String,
    /// e.g. "All Persian News Related to Iran".
    pub tagline: String,
    /// Absolute URL the site is reached at; feeds, sitemaps and OpenGraph
    /// need absolute links.
    pub base_url: String,
    /// Language of the site's own chrome and feeds, e.g. "en".
    pub language: String,
    /// Admin pages exist only when a token is configured.
    pub admin_token: Option<String>,
    /// Secret for reader keys and CSRF tokens; keep it stable across restarts
    /// or readers can like again and open forms stop working.
    pub like_salt: String,
    /// Stories per list page.
    pub page_size: i64,
    pub likes_per_minute_per_ip: u32,
    /// The WebSub hub the site's feeds name (`rel="hub"`), if any.
    pub websub_hub: Option<String>,
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            title: "Persian News".into(),
            tagline: "All Persian News Related to Iran".into(),
            base_url: "http://127.0.0.1:8080".into(),
            language: "en".into(),
            admin_token: None,
            like_salt: String::new(),
            page_size: 20,
            likes_per_minute_per_ip: 10,
            websub_hub: None,
        }
    }
}

impl SiteSettings {
    /// `base_url` without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// Absolute URL of a site path.
    pub fn abs(&self, path: &str) -> String {
        format!("{}{}", self.base(), path)
    }

    pub fn host(&self) -> Option<String> {
        url::Url::parse(&self.base_url).ok().and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
    }

    pub fn secure(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Checks what the site cannot run without: a `site.language` with an
    /// interface catalogue (otherwise every page would fall back to
    /// English while claiming another language).
    pub fn validate(&self) -> Result<(), SettingsError> {
        if crate::i18n::catalogue(&self.language).is_none() {
            return Err(SettingsError::Language {
                language: self.language.clone(),
                available: crate::i18n::LANGUAGES.join(", "),
            });
        }
        Ok(())
    }

    pub fn page_size(&self) -> i64 {
        self.page_size.clamp(1, 200)
    }
}

/// A setting the site refuses to start with.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(
        "site.language = {language:?} has no interface catalogue; available languages: {available}"
    )]
    Language { language: String, available: String },
}

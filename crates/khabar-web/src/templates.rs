//! The page templates, compiled into the binary so the site runs from any
//! working directory, with HTML autoescaping on for every template.

use std::sync::LazyLock;

use minijinja::{AutoEscape, Environment, value::Serde};
use serde::Serialize;

macro_rules! embed {
    ($env:ident, $($name:literal),* $(,)?) => {
        $(
            if let Err(e) = $env.add_template($name, include_str!(concat!("../templates/", $name))) {
                // Templates are part of the binary; a broken one is a build defect caught by tests.
                tracing::error!(template = $name, error = %e, "template does not compile");
            }
        )*
    };
}

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    // minijinja's HTML escaping also rewrites `/`, which turns every URL in an
    // attribute into `https:&#x2f;&#x2f;…`. Valid, but noisy for readers of the
    // source and for tools; `& < > " '` are all HTML needs.
    env.set_formatter(
        |out, state, value| match (state.auto_escape(), value.as_str()) {
            (AutoEscape::Html, Some(s)) if !value.is_safe() => out
                .write_str(&crate::body::escape(s))
                .map_err(minijinja::Error::from),
            _ => minijinja::escape_formatter(out, state, value),
        },
    );
    crate::i18n::register(&mut env);
    env.add_global(
        "assets",
        minijinja::Value::from(Serde(crate::assets::icons())),
    );
    embed!(
        env,
        "base.html",
        "home.html",
        "tags.html",
        "sources.html",
        "coverage.html",
        "archive_index.html",
        "_items.html",
        "_admin_actions.html",
        "list.html",
        "search.html",
        "story.html",
        "archive.html",
        "error.html",
        "admin.html",
        "admin_login.html",
        "admin_rejected.html",
    );
    env
});

/// Renders template `name` with `ctx` (any serialisable value).
pub fn render<T: Serialize>(name: &str, ctx: &T) -> Result<String, minijinja::Error> {
    ENV.get_template(name)?
        .render(minijinja::Value::from(Serde(ctx)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        for name in [
            "base.html",
            "home.html",
            "tags.html",
            "sources.html",
            "archive_index.html",
            "_items.html",
            "_admin_actions.html",
            "list.html",
            "search.html",
            "story.html",
            "archive.html",
            "error.html",
            "admin.html",
            "admin_login.html",
            "admin_rejected.html",
        ] {
            assert!(ENV.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn values_are_escaped() {
        let html = render(
            "error.html",
            &serde_json::json!({"site": {"title": "T"}, "page": {"lang": "en", "dir": "ltr"},
                "heading": "<b>x</b>", "message": "m"}),
        )
        .unwrap();
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"));
        let html = render(
            "error.html",
            &serde_json::json!({"site": {"title": "T"}, "page": {"lang": "en", "dir": "ltr", "canonical": "https://a.example/x?b=1&c=\"2\""},
                "heading": "h", "message": "m"}),
        )
        .unwrap();
        assert!(
            html.contains("href=\"https://a.example/x?b=1&amp;c=&quot;2&quot;\""),
            "{html}"
        );
    }
}

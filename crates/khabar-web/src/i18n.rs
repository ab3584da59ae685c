//! Interface text in the reader's language: Fluent catalogues under
//! `locales/{en,fa}/*.ftl`, compiled into the binary, and the template
//! functions that read them (`t`, and the `date`, `datetime`, `num` and
//! `tagname` filters).
//!
//! The locale of a page is its `page.lang` (the edition a reader chose with
//! `?lang=`, the story's language on story pages, else the site's language),
//! narrowed to a language with a catalogue. Persian pages get Persian digits
//! and Jalali dates; the machine-readable `<time datetime>` stays Gregorian.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, State};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks keep a Latin source name from reordering a
        // Persian sentence; English text has no use for them.
        customise: |bundle| {
            let persian = bundle.locales.first().is_some_and(|l| l.language.as_str() == "fa");
            bundle.set_use_isolating(persian);
            if persian {
                bundle.set_formatter(Some(persian_number));
            }
        },
    };
}

/// Languages with a complete catalogue, the first being the fallback.
pub const LANGUAGES: &[&str] = &["en", "fa"];

static EN: LanguageIdentifier = langid!("en");
static FA: LanguageIdentifier = langid!("fa");

/// The catalogue for a language code (`fa`, `fa-IR`, `en-GB`), if there is one.
pub fn catalogue(lang: &str) -> Option<&'static str> {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    LANGUAGES.iter().copied().find(|l| *l == primary)
}

fn id(locale: &str) -> &'static LanguageIdentifier {
    if locale == "fa" { &FA } else { &EN }
}

/// Whether pages in this locale run right to left.
pub fn is_rtl(locale: &str) -> bool {
    locale == "fa"
}

/// Fluent's number formatter for Persian: the same number in Persian digits.
fn persian_number<M>(v: &FluentValue, _: &M) -> Option<String> {
    match v {
        FluentValue::Number(n) => Some(persian_digits(&n.as_string())),
        _ => None,
    }
}

/// ASCII digits replaced by Persian ones (`۰`–`۹`).
pub fn persian_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(0x06F0 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Digits as the locale writes them.
pub fn digits(locale: &str, s: &str) -> String {
    if locale == "fa" {
        persian_digits(s)
    } else {
        s.to_string()
    }
}

/// The message `key` in `locale` with named arguments; a key missing from
/// the locale falls back to English, and a key missing everywhere shows
/// itself (the catalogue test keeps that from shipping).
pub fn text(locale: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    if args.is_empty() {
        return LOCALES.lookup(id(locale), key);
    }
    let map: HashMap<Cow<'static, str>, FluentValue<'static>> = args
        .iter()
        .map(|(k, v)| (Cow::Owned((*k).to_string()), v.clone().into_owned()))
        .collect();
    LOCALES.lookup_with_args(id(locale), key, &map)
}

/// Whether this locale's own catalogue has `key` (without falling back;
/// a message that wants arguments counts).
#[cfg(test)]
fn has_exact(locale: &str, key: &str) -> bool {
    match LOCALES.lookup_single_language::<&str>(id(locale), key, None) {
        Ok(_) => true,
        // Found, but formatting wanted its arguments.
        Err(e) => e.to_string().starts_with("Fluent errors"),
    }
}

/// "December 3, 2023" in English; the Jalali date in Persian digits
/// ("۱۲ آذر ۱۴۰۲") on Persian pages.
pub fn date(locale: &str, t: DateTime<Utc>) -> String {
    if locale == "fa" {
        return khabar_text::format_jalali(t.date_naive());
    }
    text(
        locale,
        "date-long",
        &[
            ("month", month_name(locale, t.month()).into()),
            ("day", t.day().into()),
            ("year", t.year().to_string().into()),
        ],
    )
}

/// A date with its UTC time of day.
pub fn date_time(locale: &str, t: DateTime<Utc>) -> String {
    text(
        locale,
        "date-time",
        &[
            ("date", date(locale, t).into()),
            (
                "time",
                digits(locale, &t.format("%H:%M").to_string()).into(),
            ),
        ],
    )
}

/// The Gregorian month's name (archive pages count by Gregorian month).
pub fn month_name(locale: &str, month: u32) -> String {
    text(locale, &format!("month-{month}"), &[])
}

/// "March 2024" / "مارس ۲۰۲۴".
pub fn month_year(locale: &str, year: i32, month: u32) -> String {
    text(
        locale,
        "month-year",
        &[
            ("month", month_name(locale, month).into()),
            ("year", digits(locale, &year.to_string()).into()),
        ],
    )
}

/// How many readers like a story.
pub fn likes(locale: &str, n: i64) -> String {
    text(locale, "likes", &[("count", n.into())])
}

/// A tag's name: from the catalogue (`tag-nuclear = Nuclear programme`),
/// else the slug made readable ("culture-sport" → "Culture sport").
pub fn tag_name(locale: &str, slug: &str) -> String {
    let key = format!("tag-{slug}");
    let fluent_id = slug
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fluent_id && let Some(name) = LOCALES.try_lookup(id(locale), &key) {
        return name;
    }
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => slug.to_string(),
    }
}

/// A language's name for listing sources ("Persian"); the code when unknown.
pub fn language_name(locale: &str, code: &str) -> String {
    match catalogue(code) {
        Some(l) => text(locale, &format!("language-{l}"), &[]),
        None => code.to_string(),
    }
}

/// The locale a template renders in: `page.lang` when it has a catalogue,
/// else the site's language, else English.
fn locale_of(state: &State) -> &'static str {
    let get = |obj: &str, attr: &str| {
        state
            .lookup(obj)
            .and_then(|o| o.get_attr(attr).ok())
            .and_then(|v| v.as_str().and_then(catalogue))
    };
    get("page", "lang")
        .or_else(|| get("site", "language"))
        .unwrap_or("en")
}

/// A template value as a Fluent argument: numbers stay numbers so plural
/// rules can select on them.
fn fluent_arg(v: &Value) -> FluentValue<'static> {
    if let Ok(n) = i64::try_from(v.clone()) {
        return n.into();
    }
    if let Ok(f) = f64::try_from(v.clone()) {
        return f.into();
    }
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
        .into()
}

fn t_fn(state: &State, key: &str, kwargs: Kwargs) -> Result<String, Error> {
    let mut args = Vec::new();
    let names: Vec<String> = kwargs.args().map(str::to_string).collect();
    for name in &names {
        let v: Value = kwargs.get(name)?;
        args.push((name.as_str(), fluent_arg(&v)));
    }
    kwargs.assert_all_used()?;
    Ok(text(locale_of(state), key, &args))
}

fn parse_time(iso: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(iso)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn date_filter(state: &State, iso: &str) -> String {
    parse_time(iso)
        .map(|t| date(locale_of(state), t))
        .unwrap_or_default()
}

fn datetime_filter(state: &State, iso: &str) -> String {
    parse_time(iso)
        .map(|t| date_time(locale_of(state), t))
        .unwrap_or_default()
}

fn num_filter(state: &State, v: Value) -> String {
    digits(locale_of(state), &v.to_string())
}

fn tagname_filter(state: &State, slug: &str) -> String {
    tag_name(locale_of(state), slug)
}

fn language_filter(state: &State, code: &str) -> String {
    language_name(locale_of(state), code)
}

/// `t_or(key, fallback)`: the message when a catalogue has it, else
/// `fallback` (error pages, whose headings and messages come from the error).
fn t_or_fn(state: &State, key: &str, fallback: &str) -> String {
    LOCALES
        .try_lookup(id(locale_of(state)), key)
        .unwrap_or_else(|| fallback.to_string())
}

/// `edition("/archive")`: a site path in the page's edition, carrying
/// `?lang=` when the page's locale is not the site's own.
fn edition_fn(state: &State, path: &str) -> String {
    let page = locale_of(state);
    let site = state
        .lookup("site")
        .and_then(|o| o.get_attr("language").ok())
        .and_then(|v| v.as_str().and_then(catalogue))
        .unwrap_or("en");
    if page == site {
        path.to_string()
    } else {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{path}{sep}lang={page}")
    }
}

/// Adds `t`, `edition` and the locale-aware filters to a template environment.
pub fn register(env: &mut Environment<'static>) {
    env.add_function("t", t_fn);
    env.add_function("t_or", t_or_fn);
    env.add_function("edition", edition_fn);
    env.add_filter("date", date_filter);
    env.add_filter("datetime", datetime_filter);
    env.add_filter("num", num_filter);
    env.add_filter("tagname", tagname_filter);
    env.add_filter("language", language_filter);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn persian_dates_are_jalali_in_persian_digits() {
        let t = Utc.with_ymd_and_hms(2023, 12, 3, 14, 30, 0).unwrap();
        assert_eq!(date("fa", t), "۱۲ آذر ۱۴۰۲");
        assert_eq!(date("en", t), "December 3, 2023");
        assert!(
            date_time("fa", t).contains("۱۴:۳۰"),
            "{}",
            date_time("fa", t)
        );
    }

    #[test]
    fn numbers_and_plurals_follow_the_locale() {
        assert_eq!(likes("en", 1), "1 reader likes this");
        assert_eq!(likes("en", 12), "12 readers like this");
        assert!(likes("fa", 12).contains("۱۲"), "{}", likes("fa", 12));
        assert!(!likes("fa", 12).contains("12"));
    }

    #[test]
    fn tags_have_names_or_a_readable_fallback() {
        assert_eq!(tag_name("en", "nuclear"), "Nuclear programme");
        assert_ne!(tag_name("fa", "nuclear"), tag_name("en", "nuclear"));
        assert_eq!(tag_name("en", "oil-and-gas"), "Oil and gas");
    }

    /// Message ids of one catalogue directory, read from the `.ftl` files.
    fn keys(locale: &str) -> std::collections::BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(locale);
        let mut out = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && !id.is_empty()
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    out.insert(id.to_string());
                }
            }
        }
        out
    }

    #[test]
    fn both_catalogues_have_every_key() {
        let en = keys("en");
        let fa = keys("fa");
        assert!(en.len() > 100, "{} keys", en.len());
        let only_en: Vec<_> = en.difference(&fa).collect();
        let only_fa: Vec<_> = fa.difference(&en).collect();
        assert!(only_en.is_empty(), "missing from fa: {only_en:?}");
        assert!(only_fa.is_empty(), "missing from en: {only_fa:?}");
        // And the loader resolves each in each language without falling back.
        for k in &en {
            for l in LANGUAGES {
                assert!(has_exact(l, k), "{l}: {k}");
            }
        }
    }

    #[test]
    fn every_key_a_template_names_is_in_the_catalogues() {
        let en = keys("en");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut used = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("t(\"") {
                // `t("key"` and `t_or("key"`; keys built at render time are checked below.
                let rest = &text[i + 3..];
                let key = &rest[..rest.find('"').unwrap()];
                if key.ends_with('-') {
                    // A prefix completed at render time (`"source-kind-" ~ kind`).
                    assert!(en.iter().any(|k| k.starts_with(key)), "{key}");
                } else {
                    assert!(
                        en.contains(key),
                        "{}: {key} is in no catalogue",
                        path.display()
                    );
                }
                used += 1;
            }
        }
        assert!(used > 50, "{used} keys used");
        // Keys made at render time: error headings, source kinds, weekdays, months.
        for e in [
            crate::WebError::NotFound,
            crate::WebError::Gone,
            crate::WebError::BadRequest(String::new()),
            crate::WebError::Unauthorized,
            crate::WebError::Forbidden(String::new()),
            crate::WebError::TooManyRequests,
        ] {
            let key = format!("error-{}", e.heading().to_lowercase().replace(' ', "-"));
            assert!(en.contains(&key), "{key}");
        }
        for k in ["source-kind-feed", "source-kind-sitemap"] {
            assert!(en.contains(k), "{k}");
        }
        for d in 1..=7 {
            assert!(en.contains(&format!("weekday-{d}")));
        }
        for m in 1..=12 {
            assert!(en.contains(&format!("month-{m}")));
        }
    }

    #[test]
    fn catalogues_are_picked_by_primary_language() {
        assert_eq!(catalogue("fa-IR"), Some("fa"));
        assert_eq!(catalogue("EN"), Some("en"));
        assert_eq!(catalogue("de"), None);
    }
}

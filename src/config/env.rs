//! Environment overrides: `KHABAR_<SECTION>__<KEY>=value`.
//!
//! Overrides are applied to the parsed TOML table before it is turned into
//! [`Config`](super::Config), so the same unknown-key and wrong-type checks
//! apply to them as to the file.

use super::ConfigError;

/// Shortcuts for the settings most often set from the environment.
const ALIASES: &[(&str, &str, &str)] = &[
    ("KHABAR_DATABASE_URL", "storage", "url"),
    ("KHABAR_ADMIN_TOKEN", "site", "admin_token"),
    ("KHABAR_LISTEN", "site", "listen"),
    ("KHABAR_BASE_URL", "site", "base_url"),
];

/// Names that start with `KHABAR_` but are not settings.
const NOT_SETTINGS: &[&str] = &["KHABAR_CONFIG", "KHABAR_LOG"];

pub fn apply_env_overrides(
    table: &mut toml::Table,
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<(), ConfigError> {
    for (var, value) in vars {
        if !var.starts_with("KHABAR_") || NOT_SETTINGS.contains(&var.as_str()) {
            continue;
        }
        let (section, key) = if let Some((_, s, k)) = ALIASES.iter().find(|(v, _, _)| *v == var) {
            (s.to_string(), k.to_string())
        } else if let Some((s, k)) = var["KHABAR_".len()..].split_once("__") {
            (s.to_ascii_lowercase(), k.to_ascii_lowercase())
        } else {
            return Err(ConfigError::Env {
                var,
                message: "not a khabar setting; use KHABAR_<SECTION>__<KEY>".into(),
            });
        };
        let entry = table
            .entry(section.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        match entry {
            toml::Value::Table(t) => {
                // A key that holds text in the file stays text, so a title
                // such as "2024" is not read as a number.
                let parsed = match t.get(&key) {
                    Some(toml::Value::String(_)) => toml::Value::String(value),
                    _ => parse_value(&value),
                };
                t.insert(key, parsed);
            }
            _ => {
                return Err(ConfigError::Env {
                    var,
                    message: format!("[{section}] is not a section"),
                });
            }
        }
    }
    Ok(())
}

/// Reads a value as TOML (numbers, booleans, arrays) and falls back to a
/// plain string, so `KHABAR_SITE__TITLE=Persian News` needs no quotes.
fn parse_value(raw: &str) -> toml::Value {
    let doc = format!("v = {raw}");
    match doc.parse::<toml::Table>() {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(raw.to_string())),
        Err(_) => toml::Value::String(raw.to_string()),
    }
}

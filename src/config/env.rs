//! The environment and the command-line flags as figment layers.
//!
//! Every setting can be set as `KHABAR_<SECTION>__<KEY>=value`; a few
//! often-set ones have shortcuts. Each variable (and each flag) is its own
//! figment provider, so an error in it names the variable or the flag, and
//! the values go through the same unknown-key and wrong-type checks as the
//! file's. Values are read by figment's own parser (numbers, booleans,
//! `[arrays]`, `{key = value}` tables, else text).

use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};

use super::ConfigError;

/// Shortcuts for the settings most often set from the environment.
pub const ALIASES: &[(&str, &str)] = &[
    ("KHABAR_DATABASE_URL", "storage.url"),
    ("KHABAR_ADMIN_TOKEN", "site.admin_token"),
    ("KHABAR_LISTEN", "site.listen"),
    ("KHABAR_BASE_URL", "site.base_url"),
];

/// Names that start with `KHABAR_` but are not settings.
pub const NOT_SETTINGS: &[&str] = &["KHABAR_CONFIG", "KHABAR_LOG"];

/// One setting from outside the files: an environment variable or a flag.
pub struct Setting {
    /// What set it, for errors: `environment variable KHABAR_…` or `--flag`.
    pub origin: String,
    /// The dotted key it sets (`fetch.timeout_secs`).
    pub key: String,
    pub value: Value,
}

impl Provider for Setting {
    fn metadata(&self) -> Metadata {
        Metadata::named(self.origin.clone())
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        match figment::util::nest(&self.key, self.value.clone()) {
            Value::Dict(_, dict) => Ok(Profile::Default.collect(dict)),
            _ => Err(format!("{}: an empty key", self.origin).into()),
        }
    }
}

/// The dotted key an environment variable sets; `None` for variables that
/// are not khabar's settings.
pub fn key_of(var: &str) -> Option<Result<String, ConfigError>> {
    let rest = var.strip_prefix("KHABAR_")?;
    if NOT_SETTINGS.contains(&var) {
        return None;
    }
    if let Some((_, key)) = ALIASES.iter().find(|(v, _)| *v == var) {
        return Some(Ok((*key).to_string()));
    }
    Some(match rest.split_once("__") {
        Some((section, key)) if !section.is_empty() && !key.is_empty() => Ok(format!(
            "{}.{}",
            section.to_ascii_lowercase(),
            key.to_ascii_lowercase().replace("__", ".")
        )),
        _ => Err(ConfigError::Env {
            var: var.to_string(),
            message: "not a khabar setting; use KHABAR_<SECTION>__<KEY>".into(),
        }),
    })
}

/// The settings among `vars`, each read as the kind of value its key holds
/// in `defaults`: a key whose default is text stays text, so a title such
/// as "2024" is not read as a number.
pub fn settings(
    vars: impl IntoIterator<Item = (String, String)>,
    defaults: &Figment,
) -> Result<Vec<Setting>, ConfigError> {
    let mut out = Vec::new();
    for (var, raw) in vars {
        let Some(key) = key_of(&var) else { continue };
        let key = key?;
        out.push(Setting {
            origin: format!("environment variable {var}"),
            value: value_for(defaults, &key, &raw),
            key,
        });
    }
    // The same order whatever order the process environment lists them in.
    out.sort_by(|a, b| a.origin.cmp(&b.origin));
    Ok(out)
}

/// `raw` as the value of `key`: text where the default is text, else
/// whatever figment's parser makes of it.
pub fn value_for(defaults: &Figment, key: &str, raw: &str) -> Value {
    match defaults.find_value(key) {
        Ok(Value::String(..)) => Value::from(raw.to_string()),
        _ => raw.parse::<Value>().unwrap_or_else(|e| match e {}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_name_their_keys() {
        let key = |v: &str| key_of(v).map(|r| r.map_err(|e| e.to_string()));
        assert_eq!(
            key("KHABAR_FETCH__TIMEOUT_SECS"),
            Some(Ok("fetch.timeout_secs".into()))
        );
        assert_eq!(key("KHABAR_DATABASE_URL"), Some(Ok("storage.url".into())));
        assert_eq!(key("KHABAR_CONFIG"), None);
        assert_eq!(key("HOME"), None);
        let err = key("KHABAR_TIMEOUT").unwrap().unwrap_err();
        assert!(err.contains("KHABAR_TIMEOUT"), "{err}");
    }
}

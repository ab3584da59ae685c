//! Loading the configuration in layers through figment, lowest first: the
//! defaults declared on the structs, the file (or the bundled
//! `default.toml`), the environment, the command-line flags.

use std::path::Path;

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};

use super::env::{self, Setting};
use super::{Config, ConfigError, DEFAULT_TOML};

/// Settings given as command-line flags: the last layer.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--database-url`: `storage.url`.
    pub database_url: Option<String>,
    /// `khabar serve --listen`: `site.listen`.
    pub listen: Option<String>,
}

impl Flags {
    fn settings(&self, defaults: &Figment) -> Vec<Setting> {
        [
            ("--database-url", "storage.url", &self.database_url),
            ("--listen", "site.listen", &self.listen),
        ]
        .into_iter()
        .filter_map(|(flag, key, v)| {
            v.as_deref().map(|v| Setting {
                origin: flag.to_string(),
                key: key.to_string(),
                value: env::value_for(defaults, key, v),
            })
        })
        .collect()
    }
}

const BUNDLED: &str = "(bundled default)";

impl Config {
    /// Loads the configuration: `path` if given, else the bundled default;
    /// then environment overrides from `vars` (normally `std::env::vars()`).
    pub fn load(
        path: Option<&Path>,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        Config::load_layers(path, vars, &Flags::default())
    }

    /// [`Config::load`] with the command-line flags on top.
    pub fn load_layers(
        path: Option<&Path>,
        vars: impl IntoIterator<Item = (String, String)>,
        flags: &Flags,
    ) -> Result<Config, ConfigError> {
        let defaults = Figment::from(Serialized::defaults(Config::default()));
        let (file, file_origin) = match path {
            Some(p) => {
                // Read here first so a missing file is named as such.
                std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.to_path_buf(),
                    source,
                })?;
                (Figment::from(Toml::file_exact(p)), p.display().to_string())
            }
            None => (Figment::from(Toml::string(DEFAULT_TOML)), BUNDLED.into()),
        };
        let mut figment = defaults.clone().merge(file.clone());
        for setting in env::settings(vars, &defaults)?
            .into_iter()
            .chain(flags.settings(&defaults))
        {
            figment = figment.merge(setting);
        }
        let config: Config = figment.extract().map_err(|e| {
            let origin = origin_of(&e, &file, &file_origin);
            ConfigError::Invalid {
                origin,
                message: describe(&e),
            }
        })?;
        config.validate().map_err(|message| ConfigError::Invalid {
            origin: validation_origin(&figment, &message, &file_origin),
            message,
        })?;
        Ok(config)
    }
}

/// The layer an error comes from, named for the operator: the file's path,
/// the environment variable or the flag.
fn origin_of(e: &figment::Error, file: &Figment, file_origin: &str) -> String {
    // A table's tag is the last layer that set anything in it, so an
    // unknown key is looked up in the file before taking the tag's word.
    if let figment::error::Kind::UnknownField(field, _) = &e.kind {
        let key = e
            .path
            .iter()
            .map(String::as_str)
            .chain([field.as_str()])
            .collect::<Vec<_>>()
            .join(".");
        if file.find_value(&key).is_ok() {
            return file_origin.to_string();
        }
    }
    match &e.metadata {
        Some(m) => layer_name(m, file_origin),
        None => file_origin.to_string(),
    }
}

/// A layer's name for the operator. The struct defaults (declared in code)
/// cannot be wrong, so a fault found there is the file's.
fn layer_name(m: &figment::Metadata, file_origin: &str) -> String {
    match &m.source {
        Some(figment::Source::File(p)) => p.display().to_string(),
        Some(figment::Source::Code(_)) => file_origin.to_string(),
        _ if m.name.starts_with("TOML") => file_origin.to_string(),
        _ => m.name.to_string(),
    }
}

/// `fetch.timeout_secs: invalid type: found string "x", expected u64`.
fn describe(e: &figment::Error) -> String {
    if e.path.is_empty() {
        e.kind.to_string()
    } else {
        format!("{}: {}", e.path.join("."), e.kind)
    }
}

/// Which layer set the key a validation message starts with
/// (`storage.url = …`, `sources[2].url = …`).
fn validation_origin(figment: &Figment, message: &str, file_origin: &str) -> String {
    let key: String = message
        .split([' ', ':', '='])
        .next()
        .unwrap_or_default()
        .split('[')
        .next()
        .unwrap_or_default()
        .to_string();
    figment
        .find_metadata(&key)
        .map(|m| layer_name(m, file_origin))
        .unwrap_or_else(|| file_origin.to_string())
}

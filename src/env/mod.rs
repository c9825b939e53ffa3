//! `.env` files: names, parsing, and the model of the Kafka settings they define.

pub mod keys;
pub mod parser;

use std::collections::BTreeMap;
use std::collections::btree_map::Entry as MapEntry;

use crate::model::{EnvFile, EnvGroup, EnvSetting, Note, SettingValue};
use crate::setting::Setting;
use crate::source::FileId;
use crate::timeout::TimeoutValue;

/// `.env`, `.env.<anything>` or `<name>.env`.
pub fn is_env_file_name(name: &str) -> bool {
    let suffix = name.len() > ".env".len()
        && name
            .get(name.len() - ".env".len()..)
            .is_some_and(|s| s.eq_ignore_ascii_case(".env"));
    name == ".env" || name.starts_with(".env.") || suffix
}

/// A dot- or underscore-separated part of the name is `test` or `testing` (any case).
pub fn is_test_env_file_name(name: &str) -> bool {
    name.split(['.', '_'])
        .any(|part| part.eq_ignore_ascii_case("test") || part.eq_ignore_ascii_case("testing"))
}

/// Parses an env file and builds its model. Returns a note instead of groups when the file
/// configures a Kafka broker rather than a client.
pub fn analyze(
    file: FileId,
    is_test: bool,
    path: &std::path::Path,
    text: &str,
    extra_keys: &BTreeMap<Setting, Vec<String>>,
    shown_keys: &[String],
) -> (EnvFile, Option<Note>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for item in parser::parse(text) {
        match item {
            Ok(entry) => entries.push(entry),
            Err(error) => errors.push(error),
        }
    }
    let broker_key = entries
        .iter()
        .find(|e| keys::is_broker_key(&e.key))
        .map(|e| e.key.clone());
    let note = broker_key.as_ref().map(|key| Note {
        path: path.to_path_buf(),
        message: format!(
            "skipped Kafka settings: the file configures a Kafka broker (it sets `{key}`)"
        ),
    });
    let groups = if broker_key.is_some() {
        Vec::new()
    } else {
        groups(&entries, extra_keys)
    };
    let is_broker = broker_key.is_some();
    let masked = masked(text, &entries, &errors, extra_keys, shown_keys);
    let file = EnvFile {
        file,
        is_test,
        entries,
        errors,
        groups,
        is_broker,
        masked,
    };
    (file, note)
}

/// The value ranges a report must never print ([`crate::secret`]): values of keys that are not
/// Kafka settings (nor `shown_keys`), of keys that look secret, and of values with URL user
/// info; on a line dotenvy rejects, the text after its `=` (all of it when it has none).
fn masked(
    text: &str,
    entries: &[parser::Entry],
    errors: &[parser::LineError],
    extra_keys: &BTreeMap<Setting, Vec<String>>,
    shown_keys: &[String],
) -> Vec<std::ops::Range<usize>> {
    let read_by_tool = |key: &str| {
        keys::classify(key, extra_keys).is_some()
            || shown_keys.iter().any(|k| k.eq_ignore_ascii_case(key))
    };
    let mut out = Vec::new();
    for e in entries {
        if !crate::secret::env_value_shown(&e.key, &e.value, read_by_tool(&e.key)) {
            out.push(e.value_span.clone());
        }
    }
    for error in errors {
        let line = &text[error.line.clone()];
        let key_end = line
            .trim_start()
            .strip_prefix("export ")
            .map_or(line.trim_start(), str::trim_start);
        let key: String = key_end
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        let value_at = line.find('=').map(|i| error.line.start + i + 1);
        match value_at {
            Some(at) => {
                let value = &text[at..error.line.end];
                if !crate::secret::env_value_shown(&key, value, read_by_tool(&key)) {
                    out.push(at..error.line.end);
                }
            }
            None => out.push(error.line.clone()),
        }
    }
    out
}

fn groups(entries: &[parser::Entry], extra_keys: &BTreeMap<Setting, Vec<String>>) -> Vec<EnvGroup> {
    let mut by_prefix: BTreeMap<String, EnvGroup> = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let Some(key) = keys::classify(&entry.key, extra_keys) else {
            continue;
        };
        let group = by_prefix
            .entry(key.prefix.clone())
            .or_insert_with(|| EnvGroup {
                prefix: key.prefix,
                first_key: index,
                settings: BTreeMap::new(),
            });
        if let Some(setting) = key.setting {
            if let MapEntry::Vacant(slot) = group.settings.entry(setting) {
                slot.insert(EnvSetting {
                    entry: index,
                    value: setting_value(entry),
                });
            }
        }
    }
    let mut groups: Vec<EnvGroup> = by_prefix.into_values().collect();
    groups.sort_by_key(|g| g.first_key);
    groups
}

fn setting_value(entry: &parser::Entry) -> SettingValue {
    let suspicious = entry
        .substitutions
        .iter()
        .any(|s| !s.resolved || s.cut_short.is_some());
    if suspicious {
        SettingValue::Unresolved
    } else {
        SettingValue::Known(TimeoutValue::parse(&entry.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_names() {
        for name in [
            ".env",
            ".env.test",
            ".env.test.local",
            "app.env",
            "test.env",
        ] {
            assert!(is_env_file_name(name), "{name}");
        }
        for name in ["env", ".envrc", "environment.rs", ".env_file", ".env"] {
            assert_eq!(is_env_file_name(name), name == ".env", "{name}");
        }
    }

    #[test]
    fn test_env_file_names() {
        for name in [
            ".env.test",
            ".env.test.local",
            "test.env",
            ".env.TESTING",
            "integration_test.env",
        ] {
            assert!(is_test_env_file_name(name), "{name}");
        }
        for name in [".env", ".env.contest", ".env.tests", "latest.env"] {
            assert!(!is_test_env_file_name(name), "{name}");
        }
    }
}

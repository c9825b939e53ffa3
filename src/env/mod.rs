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
    path: &str,
    text: &str,
    extra_keys: &BTreeMap<Setting, Vec<String>>,
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
        path: path.to_owned(),
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
    let file = EnvFile {
        file,
        is_test,
        entries,
        errors,
        groups,
        is_broker,
    };
    (file, note)
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

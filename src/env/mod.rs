//! The env front-end: which files are env files, reading them exactly as dotenvy does, and
//! lowering each into the model: its facts ([`EnvFile`]) and one client site per key prefix.

pub mod keys;
pub mod parser;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::config::Configs;
use crate::model::{
    ClientSite, EnvFile, InternalError, Library, Model, Note, Origin, Protocol, Role, SiteSetting,
    Span, State, Written,
};
use crate::setting::Setting;
use crate::source::FileId;

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

/// What the analysis of one env file yields.
#[derive(Debug)]
pub struct Analysed {
    pub env: EnvFile,
    /// One site per `<PREFIX>KAFKA_*` group, in order of first appearance; none for a file
    /// that configures a broker.
    pub sites: Vec<ClientSite>,
    /// Value ranges a report must not print ([`crate::secret`]).
    pub masked: Vec<Range<usize>>,
    /// Why the Kafka settings were skipped, for a broker file.
    pub note: Option<Note>,
}

/// Parses an env file and lowers it into the model's facts and sites.
pub fn analyze(
    file: FileId,
    is_test: bool,
    path: &Path,
    text: &str,
    extra_keys: &BTreeMap<Setting, Vec<String>>,
    shown_keys: &[String],
) -> Analysed {
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
    let masked = masked(text, &entries, &errors, extra_keys, shown_keys);
    let env = EnvFile {
        file,
        is_test,
        entries,
        errors,
        is_broker: broker_key.is_some(),
    };
    let sites = if env.is_broker {
        Vec::new()
    } else {
        sites(&env, extra_keys)
    };
    Analysed {
        env,
        sites,
        masked,
        note,
    }
}

/// Reads, parses and lowers every env file into the model. A panic in one file's analysis is
/// an `internal-error` of that file, and the others are still read.
///
/// # Panics
/// Only on purpose, when `panics_on` matches a file (`--debug-panic-on`): the panic is caught
/// and becomes that file's `internal-error`.
pub fn load(
    model: &mut Model,
    root: &Path,
    paths: impl IntoIterator<Item = (PathBuf, bool)>,
    configs: &Configs,
    panics_on: &dyn Fn(&Path) -> bool,
) {
    for (path, is_test) in paths {
        let Some(file) = model.read_file(crate::source::display_name(root, &path), path) else {
            continue;
        };
        let source = model.files.get(file);
        let config = configs.for_path(&source.path);
        let bounded: Vec<String> = config.bounds.iter().map(|b| b.key.clone()).collect();
        let panics = panics_on(&source.path);
        let analysed = crate::guard::catch(|| {
            assert!(!panics, "--debug-panic-on matched this file");
            let comments = crate::suppress::env_comments(&source.text);
            let suppressions = crate::suppress::find(file, &source.text, &comments);
            let analysed = analyze(
                file,
                is_test,
                &source.path,
                &source.text,
                &config.keys,
                &bounded,
            );
            (analysed, suppressions)
        });
        match analysed {
            Ok((analysed, suppressions)) => {
                model.files.get_mut(file).mask(analysed.masked);
                model.suppressions.extend(suppressions);
                model.env_files.push(analysed.env);
                model.sites.extend(analysed.sites);
                model.notes.extend(analysed.note);
            }
            Err(message) => model.internal_errors.push(InternalError { file, message }),
        }
    }
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
) -> Vec<Range<usize>> {
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

/// One site per key prefix: each timeout the group defines, at its first definition (the one
/// `dotenvy::dotenv()` keeps).
fn sites(env: &EnvFile, extra_keys: &BTreeMap<Setting, Vec<String>>) -> Vec<ClientSite> {
    let mut by_prefix: BTreeMap<String, (usize, Vec<SiteSetting>)> = BTreeMap::new();
    for (index, entry) in env.entries.iter().enumerate() {
        let Some(key) = keys::classify(&entry.key, extra_keys) else {
            continue;
        };
        let (_, settings) = by_prefix
            .entry(key.prefix.clone())
            .or_insert_with(|| (index, Vec::new()));
        let Some(setting) = key.setting else { continue };
        if settings.iter().any(|s| s.setting == Some(setting)) {
            continue;
        }
        // A value that depends on the process environment, or on a substitution that is
        // itself a mistake, is not known.
        let suspicious = entry
            .substitutions
            .iter()
            .any(|s| !s.resolved || s.cut_short.is_some());
        settings.push(SiteSetting {
            key: entry.key.clone(),
            setting: Some(setting),
            state: State::Set(Written {
                text: (!suspicious).then(|| entry.value.clone()),
                key_span: Span::new(env.file, entry.key_span.clone()),
                value_span: Span::new(env.file, env.value_span(index)),
                binding: None,
            }),
        });
    }
    let mut groups: Vec<(String, usize, Vec<SiteSetting>)> = by_prefix
        .into_iter()
        .map(|(prefix, (first, settings))| (prefix, first, settings))
        .collect();
    groups.sort_by_key(|(_, first, _)| *first);
    groups
        .into_iter()
        .map(|(prefix, first, mut settings)| {
            settings.sort_by_key(|s| s.setting);
            ClientSite {
                library: Library::AnyClient,
                origin: Origin::Env {
                    file: env.file,
                    prefix,
                    first_key: Span::new(env.file, env.entries[first].key_span.clone()),
                },
                role: Role::EnvConfiguration,
                protocol: Protocol::Classic,
                settings,
                unseen: None,
                is_test: env.is_test,
            }
        })
        .collect()
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

//! The outcome of a run and its renderers. Renderers read diagnostics and files only; they know
//! nothing about rules beyond a diagnostic's id.

pub mod consumers;
pub mod github;
pub mod human;
pub mod json;
pub mod paths;
pub mod sarif;
pub mod short;
pub mod sink;

pub use paths::Paths;

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Severity};
use std::fmt::Write as _;

use crate::model::{ClientSite, Library, Model, Note};
use crate::rules::Rule;
use crate::source::Files;

/// How many files of each kind were checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked {
    pub env: usize,
    pub rust: usize,
}

/// How many rdkafka consumers were found, and how many of them the tool could fully follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Consumers {
    pub found: usize,
    /// Every timeout and `group.id` known (set or unset).
    pub known: usize,
    /// Some of them depend on what the tool cannot see.
    pub unresolved: usize,
}

/// Everything a renderer needs: the files, the findings in their final order, and counts.
#[derive(Debug)]
pub struct Report {
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    pub checked: Checked,
    pub consumers: Consumers,
    /// What the tool saw of each consumer (for `--format json` and `-v`).
    pub consumer_views: Vec<consumers::ConsumerView>,
    pub notes: Vec<Note>,
    /// How files are named in each format.
    pub paths: Paths,
}

impl Report {
    /// The report of a run: the findings as the sink left them (in order), and what the model
    /// says of the files and consumers (with a view of each consumer when `views`).
    pub fn new(model: Model, diagnostics: Vec<Diagnostic>, views: bool) -> Report {
        let checked = Checked {
            env: model.env_files.len(),
            rust: model.rust_files,
        };
        let consumers = count_consumers(&model);
        let consumer_views = if views {
            consumers::consumers(&model)
        } else {
            Vec::new()
        };
        let mut notes = model.notes;
        notes.sort();
        Report {
            files: model.files,
            diagnostics,
            checked,
            consumers,
            consumer_views,
            notes,
            paths: Paths::default(),
        }
    }

    /// Adds the report of another workspace of the same run after this one's findings.
    pub fn append(&mut self, other: Report) {
        let offset = self.files.append(other.files);
        let shift = |label: &mut crate::diagnostic::Label| label.file = label.file.shifted(offset);
        for mut d in other.diagnostics {
            shift(&mut d.primary);
            d.secondary.iter_mut().for_each(shift);
            self.diagnostics.push(d);
        }
        for mut view in other.consumer_views {
            view.shift(offset);
            self.consumer_views.push(view);
        }
        self.checked.env += other.checked.env;
        self.checked.rust += other.checked.rust;
        self.consumers.found += other.consumers.found;
        self.consumers.known += other.consumers.known;
        self.consumers.unresolved += other.consumers.unresolved;
        self.notes.extend(other.notes);
        self.notes.sort();
    }

    /// Why `path` must not be written as a report: a file this run read, or a file that a
    /// later run would read (an env file, a Rust file, a manifest or a configuration file).
    pub fn reads(&self, path: &std::path::Path) -> Option<String> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let canonical = crate::workspace::canonical_link(path);
        if self
            .files
            .iter()
            .any(|(_, f)| f.path == canonical || f.path == path)
        {
            return Some("it is a file this run lints".into());
        }
        let read_by_lints = crate::env::is_env_file_name(&name)
            || std::path::Path::new(&name)
                .extension()
                .is_some_and(|e| e == "rs")
            || matches!(
                name.as_str(),
                "Cargo.toml" | "kafka-lint.toml" | ".kafka-lint.toml"
            );
        read_by_lints.then(|| format!("`{name}` is a name of the files this tool lints"))
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// 0 without error-level findings, 1 with them, 2 when a file could not be read.
    pub fn exit_code(&self) -> u8 {
        if self
            .diagnostics
            .iter()
            .any(|d| d.rule == Rule::UnreadableFile)
        {
            2
        } else {
            u8::from(self.count(Severity::Error) > 0)
        }
    }

    /// `2 errors, 1 warning in 3 files; checked 5 env files`.
    pub fn summary_line(&self) -> String {
        let mut checked = format!("checked {}", plural(self.checked.env, "env file"));
        if self.checked.rust > 0 {
            let c = self.consumers;
            let _ = write!(
                checked,
                " and {}; {} ({} checked, {} unresolved",
                plural(self.checked.rust, "Rust file"),
                plural(c.found, "consumer"),
                c.known,
                c.unresolved
            );
            if c.unresolved > 0 {
                checked.push_str(": `-W unresolved-consumer-config` or `-v` lists them");
            }
            checked.push(')');
        }
        if self.diagnostics.is_empty() && self.consumers.unresolved > 0 {
            // A gate must not say "no problems" of consumers it could not check.
            return format!("no problems found in what could be checked; {checked}");
        }
        if self.diagnostics.is_empty() {
            return format!("no problems found; {checked}");
        }
        let files: BTreeSet<_> = self.diagnostics.iter().map(|d| d.primary.file).collect();
        format!(
            "{}, {} in {}; {checked}",
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning"),
            plural(files.len(), "file")
        )
    }
}

fn count_consumers(model: &Model) -> Consumers {
    let consumers: Vec<&ClientSite> = model
        .code_sites(Library::Librdkafka)
        .map(|(_, s)| s)
        .filter(|s| s.is_consumer())
        .collect();
    let unresolved = consumers
        .iter()
        .filter(|c| !c.unresolved().is_empty())
        .count();
    Consumers {
        found: consumers.len(),
        known: consumers.len() - unresolved,
        unresolved,
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

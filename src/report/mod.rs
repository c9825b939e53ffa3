//! The outcome of a run and its renderers. Renderers read diagnostics and files only; they know
//! nothing about rules beyond a diagnostic's id.

pub mod human;
pub mod json;

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Model, Note};
use crate::rules::Rule;
use crate::source::Files;

/// How many files of each kind were checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked {
    pub env: usize,
    pub rust: usize,
}

/// Everything a renderer needs: the files, the findings in their final order, and counts.
#[derive(Debug)]
pub struct Report {
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    pub checked: Checked,
    pub notes: Vec<Note>,
}

impl Report {
    /// Sorts findings by file, line, column and rule, and drops exact repeats.
    pub fn new(model: Model, mut diagnostics: Vec<Diagnostic>) -> Report {
        let files = model.files;
        diagnostics.sort_by(|a, b| sort_key(&files, a).cmp(&sort_key(&files, b)));
        diagnostics
            .dedup_by(|a, b| a.rule == b.rule && a.primary == b.primary && a.message == b.message);
        let checked = Checked {
            env: model.env_files.len(),
            rust: 0,
        };
        let mut notes = model.notes;
        notes.sort();
        Report {
            files,
            diagnostics,
            checked,
            notes,
        }
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
        let checked = format!("checked {}", plural(self.checked.env, "env file"));
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

/// File, position, rule, then message: a total order, so output never depends on rule order.
fn sort_key<'a>(
    files: &'a Files,
    d: &'a Diagnostic,
) -> (&'a str, usize, &'static str, &'a str, usize) {
    let file = files.get(d.primary.file).name.as_str();
    (
        file,
        d.primary.span.start,
        d.rule.id(),
        d.message.as_str(),
        d.primary.span.end,
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

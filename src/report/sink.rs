//! The sink, as cargo-deny's: rules push findings at their default severity and know nothing of
//! levels, suppressions, path arguments or order; the sink applies them all, in one place:
//!
//! 1. each finding takes the level of the package its file is in (the command line wins),
//! 2. suppression comments remove the findings they cover, and the sink records which entries
//!    did (no interior mutability: the set is passed to the rules about suppressions),
//! 3. `unused-suppression` and `invalid-suppression` run and take their levels,
//! 4. findings outside the path arguments are dropped,
//! 5. findings are sorted (file, position, rule, then the plainest first) and repeats of one
//!    rule at one place are dropped: one root cause, one diagnostic.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::config::Configs;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::rules::{self, Cx, Levels};
use crate::source::{FileId, Files};

/// Runs every enabled rule over `model` and returns the findings to report, in order.
pub fn collect(
    model: &Model,
    configs: &Configs,
    config_files: &[FileId],
    levels: &Levels,
    paths: &[PathBuf],
) -> Vec<Diagnostic> {
    let nothing_used = HashSet::new();
    let cx = Cx {
        model,
        configs,
        config_files,
        used: &nothing_used,
    };
    let enabled = |reads_suppressions: bool| {
        move |rule: rules::Rule| {
            rule.reads_suppressions() == reads_suppressions && levels.enabled_anywhere(rule)
        }
    };
    let mut found = rules::run(&cx, enabled(false));
    apply_levels(&mut found, model, levels);
    let used = suppress(&mut found, model);
    let cx = Cx { used: &used, ..cx };
    let mut about_suppressions = rules::run(&cx, enabled(true));
    apply_levels(&mut about_suppressions, model, levels);
    found.append(&mut about_suppressions);
    if !paths.is_empty() {
        found.retain(|d| {
            let file = &model.files.get(d.primary.file).path;
            paths.iter().any(|p| file.starts_with(p))
        });
    }
    found.sort_by(|a, b| sort_key(&model.files, a).cmp(&sort_key(&model.files, b)));
    // Findings of one rule at one place are the same finding (a value reached through an env
    // binding and checked by the env-only rules too, a helper's key shared by several clients);
    // the plainest one is kept.
    found.dedup_by(|a, b| {
        a.rule == b.rule && a.primary.file == b.primary.file && a.primary.span == b.primary.span
    });
    found
}

/// Gives each finding the severity of its file's package, and drops those not reported there.
fn apply_levels(found: &mut Vec<Diagnostic>, model: &Model, levels: &Levels) {
    found.retain_mut(|d| {
        let path = &model.files.get(d.primary.file).path;
        match levels.severity(d.rule, path) {
            Some(severity) => {
                d.severity = severity;
                true
            }
            None => false,
        }
    });
}

/// Drops the findings a suppression covers and returns the `(suppression, entry)` pairs that
/// covered one. Every covering entry counts as used, so none of them is reported as unused.
fn suppress(found: &mut Vec<Diagnostic>, model: &Model) -> HashSet<(usize, usize)> {
    let mut by_file: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (i, s) in model.suppressions.iter().enumerate() {
        by_file.entry(s.file).or_default().push(i);
    }
    let mut used = HashSet::new();
    found.retain(|d| {
        let Some(candidates) = by_file.get(&d.primary.file) else {
            return true;
        };
        let file = model.files.get(d.primary.file);
        let line = file.line_col(d.primary.span.start).line;
        let statement_lines: Vec<usize> = model
            .statements
            .get(&d.primary.file)
            .into_iter()
            .flatten()
            .filter(|r| r.start <= d.primary.span.start && d.primary.span.start < r.end)
            .map(|r| file.line_col(r.start).line)
            .collect();
        let mut covered = false;
        for &i in candidates {
            if let Some(entry) = model.suppressions[i].covering(d.rule.id(), line, &statement_lines)
            {
                used.insert((i, entry));
                covered = true;
            }
        }
        !covered
    });
    used
}

/// File, position, rule, then the plainest first: a total order, so output never depends on
/// the order rules ran in.
fn sort_key<'a>(
    files: &'a Files,
    d: &'a Diagnostic,
) -> (&'a str, usize, &'static str, usize, usize, &'a str) {
    let file = files.get(d.primary.file).name.as_str();
    (
        file,
        d.primary.span.start,
        d.rule.id(),
        d.primary.span.end,
        d.secondary.len(),
        d.message.as_str(),
    )
}

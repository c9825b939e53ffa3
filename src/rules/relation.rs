//! What the relation rules share: finding two settings of one env client group with
//! well-formed values, and building the two-label diagnostic they report.

use crate::diagnostic::{Diagnostic, Label};
use crate::model::{EnvFile, EnvGroup, Model};
use crate::rules::Rule;
use crate::setting::Setting;

/// One setting of one group, with its well-formed value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Known<'a> {
    pub(super) env: &'a EnvFile,
    pub(super) group: &'a EnvGroup,
    pub(super) setting: Setting,
    pub(super) entry: usize,
    pub(super) ms: u64,
}

impl Known<'_> {
    /// The key as written in the file.
    pub(super) fn key(&self) -> &str {
        &self.env.entries[self.entry].key
    }

    pub(super) fn label(&self, message: impl Into<String>) -> Label {
        Label::new(self.env.file, self.env.value_span(self.entry), message)
    }
}

/// Every group setting of every env file whose value is known and well-formed.
pub(super) fn known_values(model: &Model, setting: Setting) -> impl Iterator<Item = Known<'_>> {
    model.env_files.iter().flat_map(move |env| {
        env.groups
            .iter()
            .filter_map(move |group| known(env, group, setting))
    })
}

/// One setting of a group when its value is known and well-formed.
pub(super) fn known<'a>(
    env: &'a EnvFile,
    group: &'a EnvGroup,
    setting: Setting,
) -> Option<Known<'a>> {
    let s = group.settings.get(&setting)?;
    Some(Known {
        env,
        group,
        setting,
        entry: s.entry,
        ms: s.millis()?,
    })
}

/// Pairs `(subject, other)` of settings of the same group, both known and well-formed.
pub(super) fn pairs(
    model: &Model,
    subject: Setting,
    other: Setting,
) -> impl Iterator<Item = (Known<'_>, Known<'_>)> {
    known_values(model, subject).filter_map(move |s| Some((s, known(s.env, s.group, other)?)))
}

/// The diagnostic of a broken relation: primary label on the subject's value, secondary on the
/// value it was compared with.
pub(super) fn relation_diagnostic(
    rule: Rule,
    subject: Known<'_>,
    other: Known<'_>,
    message: String,
) -> Diagnostic {
    Diagnostic::new(
        rule,
        message,
        subject.label(format!("{} {} ms", subject.setting, subject.ms)),
    )
    .with_label(other.label(format!("{} set here ({} ms)", other.setting, other.ms)))
}

/// The request-type settings compared with the session: the request timeout of Java and
/// aiokafka, and librdkafka's socket timeout, which is an rdkafka consumer's request timeout.
pub(super) const REQUEST_SETTINGS: [Setting; 2] = [Setting::Request, Setting::Socket];

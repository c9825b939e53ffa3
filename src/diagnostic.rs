//! One diagnostic value per problem: rule, severity, message, spans and help.

use std::fmt;
use std::ops::Range;

use crate::rules::Rule;
use crate::source::FileId;

/// How bad a reported finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The level a rule runs at, as users configure it (`allow`, `warn`, `deny`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    /// The severity of the findings of a rule at this level; `None` when it does not run.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// `allow`, `warn` or `deny`, as written in configuration and on the command line.
    pub fn from_name(name: &str) -> Option<Level> {
        [Level::Allow, Level::Warn, Level::Deny]
            .into_iter()
            .find(|l| l.as_str() == name)
    }
}

/// One replacement in a file: the bytes of `span` become `text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub file: FileId,
    pub span: Range<usize>,
    pub text: String,
}

/// How sure a fix is to keep a working client working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// The result is what the file evidently already means (`--fix`).
    Safe,
    /// It changes behaviour (`--fix --unsafe-fixes`).
    Unsafe,
    /// Shown, never applied.
    DisplayOnly,
}

/// Edits that resolve a finding, as ruff's `Fix`: byte ranges plus text, applied from the back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// A span of a file with what it means for the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub file: FileId,
    /// Byte range into the file's text as read.
    pub span: Range<usize>,
    pub message: String,
}

impl Label {
    pub fn new(file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Label {
            file,
            span,
            message: message.into(),
        }
    }
}

/// A finding. Rules build it; the sink gives it its severity; renderers only read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    /// The offending item.
    pub primary: Label,
    /// Related places ("session timeout set here").
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// The edits that fix it, when the tool knows them exactly.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic at the rule's default severity (the sink applies the configured one).
    pub fn new(rule: Rule, message: impl Into<String>, primary: Label) -> Self {
        let severity = rule.default_level().severity().unwrap_or(Severity::Warning);
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            primary,
            secondary: Vec::new(),
            help: None,
            fix: None,
        }
    }

    #[must_use]
    pub fn with_label(mut self, label: Label) -> Self {
        self.secondary.push(label);
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

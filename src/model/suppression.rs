//! Inline suppressions as the model holds them: one per comment that is (or is meant as) a
//! `kafka-lint:` suppression. `crate::suppress` finds them; the sink applies them and says
//! which entries were used.

use std::ops::Range;

use crate::source::FileId;

/// What a suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Findings on the comment's line or the line after it (or in a statement that starts on
    /// the line after it).
    Line,
    /// Every finding in the file.
    File,
}

/// One rule id written in a suppression (rules resolve it; the model keeps what is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub span: Range<usize>,
}

/// A comment meant as a suppression that is not a valid one: it suppresses nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// One `kafka-lint: allow(..)` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub file: FileId,
    /// 1-based line of the comment.
    pub line: usize,
    /// Whether code precedes the comment on its line (an end-of-line comment).
    pub trailing: bool,
    pub scope: Scope,
    pub entries: Vec<Entry>,
    /// Why the comment is not a valid suppression, when it is not (then it has no entries).
    pub malformed: Option<Malformed>,
}

impl Suppression {
    /// The entry that covers a finding of the rule `id` on `line`, where `statement_lines` are
    /// the first lines of the statements and items that contain it.
    pub fn covering(&self, id: &str, line: usize, statement_lines: &[usize]) -> Option<usize> {
        let here = match self.scope {
            Scope::File => true,
            Scope::Line => {
                line == self.line
                    || (!self.trailing
                        && (line == self.line + 1 || statement_lines.contains(&(self.line + 1))))
            }
        };
        if !here {
            return None;
        }
        self.entries.iter().position(|e| e.id == id)
    }
}

//! The facts of one env file, as its reader (dotenvy) sees them: every entry with the spans of
//! its key and value and the substitutions in it, and every line it rejects. The env front-end
//! (`crate::env`) fills them; env-file rules read them.

use std::ops::Range;

use crate::source::FileId;

/// One parsed env file.
#[derive(Debug)]
pub struct EnvFile {
    pub file: FileId,
    /// A dot- or underscore-separated part of the name is `test` or `testing` (or the
    /// configuration's `test-env-files` names it).
    pub is_test: bool,
    /// Every entry dotenvy yields, in file order (duplicates included).
    pub entries: Vec<Entry>,
    /// Lines dotenvy rejects, in file order.
    pub errors: Vec<LineError>,
    /// The file configures a Kafka broker container, not a client.
    pub is_broker: bool,
}

impl EnvFile {
    /// The first definition of `key` (the one `dotenvy::dotenv()` keeps) when its value does
    /// not depend on the process environment.
    pub fn lookup(&self, matches: impl Fn(&str) -> bool) -> Option<usize> {
        let index = self.entries.iter().position(|e| matches(&e.key))?;
        (!self.entries[index].is_unresolved()).then_some(index)
    }

    /// The span of an entry's value, or of its key when the value is empty.
    pub fn value_span(&self, entry: usize) -> Range<usize> {
        let e = &self.entries[entry];
        if e.value_span.is_empty() {
            e.key_span.clone()
        } else {
            e.value_span.clone()
        }
    }
}

/// One `KEY=value` that dotenvy would yield.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value as dotenvy yields it (quotes removed, escapes and substitutions applied).
    pub value: String,
    /// The raw value text, from its first character to the end of the line (comment excluded).
    /// Empty (at the position after `=`) when the value is empty.
    pub value_span: Range<usize>,
    /// Every `$NAME` / `${NAME}` the value expands.
    pub substitutions: Vec<Substitution>,
}

impl Entry {
    /// True when the value depends on a name this file does not define before it (dotenvy would
    /// take it from the process environment, which a linter must not read).
    pub fn is_unresolved(&self) -> bool {
        self.substitutions.iter().any(|s| !s.resolved)
    }
}

/// One expansion of `$NAME` or `${NAME}` inside a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substitution {
    /// The name dotenvy looks up.
    pub name: String,
    /// From the `$` to the end of the name (or the closing `}`).
    pub span: Range<usize>,
    pub braced: bool,
    /// Whether an earlier key of the same file defines the name.
    pub resolved: bool,
    /// For an unbraced name: the `_`-joined name that directly follows it and that the author
    /// probably meant (`$KAFKA_SESSION` expands `$KAFKA` and keeps `_SESSION` as text).
    pub cut_short: Option<CutShort>,
}

/// The name an unbraced substitution probably meant, and its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutShort {
    pub intended: String,
    pub span: Range<usize>,
}

/// A line dotenvy rejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The offending character (empty at the end of a line when something is missing).
    pub span: Range<usize>,
    pub kind: LineErrorKind,
    /// The logical line the error is on (several physical lines when a quote is open; to the
    /// end of the file when it is never closed). Set by [`parse`] once the line is known.
    pub line: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineErrorKind {
    /// A key must start with an ASCII letter or `_`.
    InvalidKeyStart(char),
    /// The key is not followed by `=`.
    MissingEquals { key: String, found: Option<char> },
    /// Something other than a comment follows whitespace in an unquoted value.
    TextAfterWhitespace(char),
    /// A backslash escape dotenvy does not know.
    InvalidEscape(char),
    /// A quote opened in the value is still open at the end of the line.
    UnclosedQuote { quote: char },
    /// `K="$A"`: the unbraced name ends at the closing quote, which dotenvy keeps as text.
    QuoteTakenBySubstitution { name: String },
    /// `${` without `}`.
    UnclosedBrace,
    /// The file ends while a quote is open: dotenvy read the rest of the file into this value.
    UnclosedQuoteAtEof { quote: char },
    /// The last line ends in whitespace and the file does not end with a newline.
    TrailingWhitespaceAtEof,
    /// The file ends with a backslash.
    TrailingBackslashAtEof,
}

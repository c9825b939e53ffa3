//! Inline suppressions: `# kafka-lint: allow(rule-id) reason` in env files and
//! `// kafka-lint: allow(rule-id, other-id) reason` in Rust, on the line before a finding or
//! at the end of its line (in Rust also on the line before a statement or item that contains
//! it), and `kafka-lint: allow-file(rule-id)` anywhere in a file. Comments are found in the
//! text (syn does not see them).

use std::cell::Cell;
use std::ops::Range;

use crate::rules::Rule;
use crate::source::{FileId, SourceFile};

/// What a suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Findings on the comment's line or the line after it (or in a statement that starts on
    /// the line after it).
    Line,
    /// Every finding in the file.
    File,
}

/// One rule id written in a suppression.
#[derive(Debug)]
pub struct Entry {
    /// The rule, or the unknown id as written.
    pub rule: Result<Rule, String>,
    pub span: Range<usize>,
    /// Set once the entry has suppressed a finding.
    pub used: Cell<bool>,
}

/// One `kafka-lint: allow(..)` comment.
#[derive(Debug)]
pub struct Suppression {
    pub file: FileId,
    /// 1-based line of the comment.
    pub line: usize,
    /// Whether code precedes the comment on its line (an end-of-line comment).
    pub trailing: bool,
    pub scope: Scope,
    pub entries: Vec<Entry>,
}

const MARKER: &str = "kafka-lint:";

/// Finds the suppressions of a file; `comment` is `#` for env files and `//` for Rust.
pub fn find(file: FileId, source: &SourceFile, comment: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (index, line) in source.text.split('\n').enumerate() {
        let start = offset;
        offset += line.len() + 1;
        let Some(at) = comment_start(line, comment) else {
            continue;
        };
        let body = line[at + comment.len()..].trim_start();
        let Some(rest) = body.strip_prefix(MARKER) else {
            continue;
        };
        let rest_at = start + line.len() - rest.len();
        let rest_trimmed = rest.trim_start();
        let rest_at = rest_at + (rest.len() - rest_trimmed.len());
        let (scope, args) = if let Some(args) = rest_trimmed.strip_prefix("allow-file(") {
            (Scope::File, (args, rest_at + "allow-file(".len()))
        } else if let Some(args) = rest_trimmed.strip_prefix("allow(") {
            (Scope::Line, (args, rest_at + "allow(".len()))
        } else {
            continue;
        };
        let (list, list_at) = args;
        let list = list.split(')').next().unwrap_or_default();
        let mut entries = Vec::new();
        let mut cursor = 0;
        for part in list.split(',') {
            let id = part.trim();
            let id_at = list_at + cursor + (part.len() - part.trim_start().len());
            cursor += part.len() + 1;
            if id.is_empty() {
                continue;
            }
            let rule = Rule::from_id(id).ok_or_else(|| id.to_owned());
            entries.push(Entry {
                rule,
                span: id_at..id_at + id.len(),
                used: Cell::new(false),
            });
        }
        let trailing = !line[..at].trim().is_empty();
        out.push(Suppression {
            file,
            line: index + 1,
            trailing,
            scope,
            entries,
        });
    }
    out
}

/// Where a comment starts on a line: `#` at the start or after whitespace (env files), `//`
/// anywhere outside a string as far as a quick scan can tell (Rust).
fn comment_start(line: &str, comment: &str) -> Option<usize> {
    let mut in_string = false;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        if c == '"' && comment == "//" && previous != '\\' {
            in_string = !in_string;
        } else if !in_string
            && line[i..].starts_with(comment)
            && (comment == "//" || previous.is_whitespace())
        {
            return Some(i);
        }
        previous = c;
    }
    None
}

impl Suppression {
    /// Marks and reports whether this suppression covers a finding of `rule` on `line`, where
    /// `statement_lines` are the first lines of the statements and items that contain it.
    pub fn covers(&self, rule: Rule, line: usize, statement_lines: &[usize]) -> bool {
        let here = match self.scope {
            Scope::File => true,
            Scope::Line => {
                line == self.line
                    || (!self.trailing
                        && (line == self.line + 1 || statement_lines.contains(&(self.line + 1))))
            }
        };
        if !here {
            return false;
        }
        let Some(entry) = self.entries.iter().find(|e| e.rule == Ok(rule)) else {
            return false;
        };
        entry.used.set(true);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, comment: &str) -> Vec<Suppression> {
        find(
            FileId(0),
            &SourceFile::new("f".into(), "f".into(), text.into()),
            comment,
        )
    }

    #[test]
    fn env_comments() {
        let s = parse(
            "A=é # kafka-lint: allow(slow-test-teardown) fine\n# kafka-lint: allow-file(duplicate-env-key)\nB=2#kafka-lint: allow(x)\n",
            "#",
        );
        assert_eq!(s.len(), 2);
        assert!(s[0].trailing && s[0].scope == Scope::Line && s[0].line == 1);
        assert_eq!(s[0].entries[0].rule, Ok(Rule::SlowTestTeardown));
        assert_eq!(s[1].scope, Scope::File);
    }

    #[test]
    fn rust_comments_with_several_ids_and_spans() {
        let text = "let s = \"// kafka-lint: allow(x)\";\n    // kafka-lint: allow(consumer-missing-timeouts, nope) why\n";
        let s = parse(text, "//");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].entries.len(), 2);
        assert_eq!(&text[s[0].entries[1].span.clone()], "nope");
        assert_eq!(s[0].entries[1].rule, Err("nope".to_owned()));
    }
}

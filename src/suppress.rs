//! Inline suppressions: `# kafka-lint: allow(rule-id) reason` in env files and
//! `// kafka-lint: allow(rule-id, other-id) reason` in Rust, on the line before a finding or
//! at the end of its line (in Rust also on the line before a statement or item that contains
//! it), and `kafka-lint: allow-file(rule-id)` anywhere in a file.
//!
//! Only real comments count, as the file's reader sees them: the env parser's comments (a `#`
//! inside a quoted value is text) and the Rust lexer's line comments (text in a string literal
//! is not a comment). A comment that starts like a suppression but is not a valid one (upper
//! case, no colon, an unknown verb, an empty or unclosed list, a doc or block comment) is
//! reported by `invalid-suppression`, never ignored.

use std::ops::Range;

use crate::model::suppression::{Entry, Malformed, Scope, Suppression};
use crate::rust::lex::{Comment, CommentKind};
use crate::source::FileId;

const MARKER: &str = "kafka-lint:";

/// A comment of an env or Rust file: where it is, where its text starts after the marker, and
/// whether it may hold a suppression at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentText {
    pub span: Range<usize>,
    /// The text without its markers (`#`, `//`, `///`, `/*` .. `*/`).
    pub body: Range<usize>,
    /// A plain line comment (`#`, `//`); doc and block comments cannot hold suppressions.
    pub kind: CommentKind,
}

/// The `#` comments of an env file, where dotenvy sees them.
pub fn env_comments(text: &str) -> Vec<CommentText> {
    crate::env::parser::comments(text)
        .into_iter()
        .map(|span| CommentText {
            body: span.start + 1..span.end,
            span,
            kind: CommentKind::Line,
        })
        .collect()
}

/// The comments of a Rust file, where the lexer finds them (never inside a string).
pub fn rust_comments(text: &str) -> Vec<CommentText> {
    crate::rust::lex::comments(text)
        .into_iter()
        .map(|c: Comment| CommentText {
            body: c.body(text),
            span: c.span,
            kind: c.kind,
        })
        .collect()
}

/// The suppressions among a file's comments.
pub fn find(file: FileId, text: &str, comments: &[CommentText]) -> Vec<Suppression> {
    let mut out = Vec::new();
    for comment in comments {
        let body_at = comment.body.start;
        let body = &text[comment.body.clone()];
        let trimmed = body.trim_start();
        let at = body_at + (body.len() - trimmed.len());
        if !looks_like_a_suppression(trimmed) {
            continue;
        }
        let line = 1 + text[..comment.span.start].matches('\n').count();
        let line_start = text[..comment.span.start].rfind('\n').map_or(0, |i| i + 1);
        let trailing = !text[line_start..comment.span.start].trim().is_empty();
        let mut suppression = Suppression {
            file,
            line,
            trailing,
            scope: Scope::Line,
            entries: Vec::new(),
            malformed: None,
        };
        let malformed = |message: String, help: &str| Malformed {
            span: comment.span.clone(),
            message,
            help: help.to_owned(),
        };
        if matches!(
            comment.kind,
            CommentKind::LineDoc | CommentKind::BlockDoc | CommentKind::Block
        ) {
            let what =
                if comment.kind == CommentKind::LineDoc || comment.kind == CommentKind::BlockDoc {
                    "a doc comment is documentation"
                } else {
                    "a block comment"
                };
            suppression.malformed = Some(malformed(
                format!("{what} cannot hold a suppression"),
                "write it as a plain line comment: `// kafka-lint: allow(rule-id)`",
            ));
            out.push(suppression);
            continue;
        }
        match parse(trimmed, at) {
            Ok((scope, entries)) => {
                suppression.scope = scope;
                suppression.entries = entries;
            }
            Err((message, help)) => suppression.malformed = Some(malformed(message, help)),
        }
        out.push(suppression);
    }
    out
}

/// Whether a comment's text (after its marker and spaces) is meant as a suppression: it starts
/// with `kafka-lint` in any case or spelling (`kafka_lint`, `kafkalint`), followed by `:` or
/// by `allow` (prose that names the tool, `// kafka-lint runs in CI`, is not one).
/// Whether a text may hold a suppression comment, well-formed or not (`kafka-lint`,
/// `kafka_lint` or `kafkalint` in any case): files without one need no search.
pub fn mentioned(text: &[u8]) -> bool {
    static MATCHER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    MATCHER
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(["kafka-lint", "kafka_lint", "kafkalint"])
                .ok()
        })
        .as_ref()
        .is_none_or(|m| m.is_match(text))
}

fn looks_like_a_suppression(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let rest = ["kafka-lint", "kafka_lint", "kafkalint"]
        .iter()
        .find_map(|name| lower.strip_prefix(name));
    rest.is_some_and(|rest| {
        let rest = rest.trim_start();
        rest.starts_with(':') || rest.starts_with("allow")
    })
}

/// Parses `kafka-lint: allow(a, b) reason` (the text starts at byte `at` of the file).
fn parse(text: &str, at: usize) -> Result<(Scope, Vec<Entry>), (String, &'static str)> {
    const FORM: &str = "write `kafka-lint: allow(rule-id)` or `kafka-lint: allow-file(rule-id)`";
    let Some(rest) = text.strip_prefix(MARKER) else {
        return Err((
            "a suppression starts with `kafka-lint:`, in lower case and with a colon".into(),
            FORM,
        ));
    };
    let verb_text = rest.trim_start();
    let verb_at = at + MARKER.len() + (rest.len() - verb_text.len());
    let (scope, list_at) = if let Some(list) = verb_text.strip_prefix("allow-file(") {
        (Scope::File, (list, verb_at + "allow-file(".len()))
    } else if let Some(list) = verb_text.strip_prefix("allow(") {
        (Scope::Line, (list, verb_at + "allow(".len()))
    } else {
        let verb: String = verb_text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let message = if verb.is_empty() {
            "the suppression names no verb".to_owned()
        } else {
            format!("`{verb}` is not a suppression verb: `allow` and `allow-file` are")
        };
        return Err((message, FORM));
    };
    let (list, list_start) = list_at;
    let Some(close) = list.find(')') else {
        return Err(("the list of rule ids is not closed with `)`".into(), FORM));
    };
    let mut entries = Vec::new();
    let mut cursor = 0;
    for part in list[..close].split(',') {
        let id = part.trim();
        let id_at = list_start + cursor + (part.len() - part.trim_start().len());
        cursor += part.len() + 1;
        if id.is_empty() {
            continue;
        }
        entries.push(Entry {
            id: id.to_owned(),
            span: id_at..id_at + id.len(),
        });
    }
    if entries.is_empty() {
        return Err((
            "the suppression names no rule".into(),
            "name the rule ids it allows: `kafka-lint: allow(rule-id)` (`cargo kafka-lint rules` lists them)",
        ));
    }
    Ok((scope, entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(text: &str) -> Vec<Suppression> {
        find(FileId(0), text, &env_comments(text))
    }

    fn rust(text: &str) -> Vec<Suppression> {
        find(FileId(0), text, &rust_comments(text))
    }

    #[test]
    fn env_comment_suppressions() {
        let s = env(
            "A=é # kafka-lint: allow(slow-test-teardown) fine\n# kafka-lint: allow-file(duplicate-env-key)\nB=2#kafka-lint: allow(x)\nQ=\"a\n# kafka-lint: allow-file(x)\n\"\n",
        );
        assert_eq!(s.len(), 2);
        assert!(s[0].trailing && s[0].scope == Scope::Line && s[0].line == 1);
        assert_eq!(s[0].entries[0].id, "slow-test-teardown");
        assert_eq!(s[1].scope, Scope::File);
    }

    #[test]
    fn rust_comments_with_several_ids_and_spans() {
        let text = "let s = \"// kafka-lint: allow(x)\";\n    // kafka-lint: allow(consumer-missing-timeouts, nope) why\n";
        let s = rust(text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].entries.len(), 2);
        assert_eq!(&text[s[0].entries[1].span.clone()], "nope");
        assert_eq!(s[0].entries[1].id, "nope");
    }

    #[test]
    fn malformed_suppressions_are_kept_with_a_reason() {
        let cases = [
            ("// kafka-lint: allow()", "names no rule"),
            (
                "// kafka-lint: deny(slow-test-teardown)",
                "`deny` is not a suppression verb",
            ),
            ("// KAFKA-LINT: allow(slow-test-teardown)", "lower case"),
            (
                "// kafka-lint: Allow(slow-test-teardown)",
                "`Allow` is not a suppression verb",
            ),
            ("// kafka-lint allow(slow-test-teardown)", "with a colon"),
            ("// kafka-lint: allow(slow-test-teardown", "not closed"),
            ("/// kafka-lint: allow(slow-test-teardown)", "doc comment"),
            (
                "/* kafka-lint: allow(slow-test-teardown) */",
                "block comment",
            ),
            ("// kafka_lint: allow(slow-test-teardown)", "lower case"),
        ];
        for (text, expected) in cases {
            let s = rust(text);
            let m = s[0].malformed.as_ref().unwrap_or_else(|| panic!("{text}"));
            assert!(m.message.contains(expected), "{text}: {}", m.message);
            assert!(s[0].entries.is_empty());
        }
        assert!(rust("// kafka-lint runs in CI\n// see kafka-lint: docs").is_empty());
    }
}

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Label};
use crate::model::env::LineErrorKind;
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Reports a line that dotenvy 0.15 rejects, pointing at the offending character. The rest
    /// of the file is still linted.
    ///
    /// ## Why is this bad?
    /// `dotenvy::dotenv()` stops at the first line it cannot parse and returns an error that
    /// most programs ignore (`dotenv().ok()`): every key after that line is silently not
    /// loaded, and the service runs with client defaults. Some rejections are surprising:
    /// an unquoted value with a space (`K=a b`), an unknown escape (`\t`), `"$NAME"` (the
    /// unbraced name swallows the closing quote; write `"${NAME}"`), and a last line ending in
    /// whitespace in a file without a final newline. A NUL byte in a value is read without
    /// complaint, but setting the variable panics (`std::env::set_var` rejects it).
    ///
    /// ## Example
    /// ```dotenv
    /// KAFKA_GROUP_ID=orders consumer
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// ```
    ///
    /// ## Use instead
    /// ```dotenv
    /// KAFKA_GROUP_ID="orders consumer"
    /// KAFKA_SESSION_TIMEOUT_MS=6000
    /// ```
    ///
    /// ## References
    /// - dotenvy 0.15.7 `src/parse.rs` and `src/iter.rs`
    id: "unparsable-env-line",
    level: Deny,
    summary: "A line that dotenvy rejects (it stops loading the file there)",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for env in &cx.model.env_files {
        let file = cx.model.files.get(env.file);
        for (n, error) in env.errors.iter().enumerate() {
            // A secret's value is masked in snippets; the message must not quote it either.
            let (message, label, mut help) = if file.is_masked(&error.span) {
                describe_hidden(&error.kind)
            } else {
                describe(&error.kind)
            };
            if n == 0 {
                let after = env.entries.iter().filter(|e| e.key_span.start > error.span.start).count();
                let lost = match after {
                    0 => None,
                    1 => Some("the key after it is".to_owned()),
                    n => Some(format!("the {n} keys after it are")),
                };
                if let Some(lost) = lost {
                    let _ = write!(help, "; `dotenvy::dotenv()` stops at this line, so {lost} not loaded");
                }
            }
            let primary = Label::new(env.file, error.span.clone(), label);
            out.push(Diagnostic::new(Rule::UnparsableEnvLine, message, primary).with_help(help));
        }
        let text = &cx.model.files.get(env.file).text;
        for entry in env.entries.iter().filter(|e| e.value.contains('\0')) {
            // The NUL is in the line as written (escapes cannot produce one).
            let line = entry.key_span.start..entry.value_span.end.max(entry.key_span.end);
            let Some(at) = text.get(line.clone()).and_then(|l| l.find('\0')) else {
                continue;
            };
            let span = line.start + at..line.start + at + 1;
            out.push(
                Diagnostic::new(
                    Rule::UnparsableEnvLine,
                    format!("the value of `{}` contains a NUL byte", entry.key),
                    Label::new(env.file, span, "NUL byte"),
                )
                .with_help(
                    "`dotenvy::dotenv()` panics when it sets this variable (the environment \
                     cannot hold NUL bytes); remove it",
                ),
            );
        }
    }
}

/// As [`describe`], without quoting text of the line: for a value that is not shown.
fn describe_hidden(kind: &LineErrorKind) -> (String, String, String) {
    let (message, label, help) = describe(kind);
    let message = match kind {
        LineErrorKind::InvalidKeyStart(_) => "a key cannot start with this character".to_owned(),
        LineErrorKind::MissingEquals { .. } => "this line has no `=`".to_owned(),
        LineErrorKind::TextAfterWhitespace(_) => "unquoted value continues after a space".to_owned(),
        LineErrorKind::InvalidEscape(_) => "an escape in this value is not one dotenvy accepts".to_owned(),
        _ => message,
    };
    let help = match kind {
        LineErrorKind::MissingEquals { .. } => "write `KEY=value`, or remove the line".to_owned(),
        _ => help,
    };
    (message, label, help)
}

/// Message, label and help for each kind of rejected line.
fn describe(kind: &LineErrorKind) -> (String, String, String) {
    match kind {
        LineErrorKind::InvalidKeyStart(c) => (
            format!("a key cannot start with `{}`", c.escape_debug()),
            "not a letter or `_`".into(),
            "keys are ASCII letters, digits, `_` and `.`, starting with a letter or `_`".into(),
        ),
        LineErrorKind::MissingEquals { key, found: Some(c) } => (
            format!("expected `=` after the key `{key}`, found `{}`", c.escape_debug()),
            "expected `=`".into(),
            "write `KEY=value`; keys cannot contain spaces or dashes".into(),
        ),
        LineErrorKind::MissingEquals { key, found: None } => (
            format!("the key `{key}` has no `=` and no value"),
            "expected `=` after this".into(),
            format!("write `{key}=` for an empty value, or remove the line"),
        ),
        LineErrorKind::TextAfterWhitespace(c) => (
            format!("unquoted value continues after a space with `{}`", c.escape_debug()),
            "unexpected text after whitespace".into(),
            "quote values that contain spaces (`KEY=\"a b\"`); a comment needs a space before `#`".into(),
        ),
        LineErrorKind::InvalidEscape(c) => (
            format!("`\\{}` is not an escape dotenvy accepts", c.escape_debug()),
            "unknown escape".into(),
            "dotenvy accepts only `\\\\`, `\\'`, `\\\"`, `\\$`, `\\ ` and `\\n`; use single quotes for literal text".into(),
        ),
        LineErrorKind::UnclosedQuote { quote } => (
            format!("the quote `{quote}` is not closed on its line"),
            "opened here".into(),
            format!("close the value with `{quote}`"),
        ),
        LineErrorKind::QuoteTakenBySubstitution { name } => (
            format!("`${name}\"` does not close the double quote: dotenvy ends the name at `\"` and keeps the quote as text"),
            "taken as text".into(),
            format!("write `${{{name}}}` inside double quotes"),
        ),
        LineErrorKind::UnclosedBrace => (
            "`${` is not closed with `}`".into(),
            "opened here".into(),
            "close the substitution: `${NAME}`".into(),
        ),
        LineErrorKind::UnclosedQuoteAtEof { quote } => (
            format!("the quote `{quote}` is never closed: dotenvy reads the rest of the file into this value"),
            "opened here".into(),
            format!("close the value with `{quote}`; an apostrophe in an unquoted value opens a quote too"),
        ),
        LineErrorKind::TrailingWhitespaceAtEof => (
            "the last line ends in whitespace and the file has no final newline".into(),
            "trailing whitespace".into(),
            "remove the trailing whitespace or end the file with a newline".into(),
        ),
        LineErrorKind::TrailingBackslashAtEof => (
            "the file ends with a backslash".into(),
            "trailing backslash".into(),
            "remove the backslash or end the file with a newline".into(),
        ),
    }
}

//! Text that came from the linted tree (file names, keys and values from code, comments) on
//! its way to a terminal or a line-based format: control characters are escaped so that it
//! cannot move the cursor, forge a line or hide text.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character must not reach a terminal or a line format raw: C0 and C1 controls,
/// DEL, and the bidirectional overrides that reorder what a reader sees.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// The text with every unsafe character written as an escape (`\n`, `\t`, `\u{1b}`).
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// As [`escape_control`], but keeps line breaks (for help texts that are lists).
pub fn escape_control_keep_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escape_control).collect();
    Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_are_escaped() {
        assert!(matches!(escape_control("a/é.env"), Cow::Borrowed(_)));
        assert_eq!(
            escape_control("a\nb\u{1b}[2J\u{202e}"),
            "a\\nb\\u{1b}[2J\\u{202e}"
        );
        assert_eq!(escape_control_keep_lines("a\n\u{7}b"), "a\n\\u{7}b");
    }
}

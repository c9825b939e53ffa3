//! A span-keeping parser that reads `.env` files exactly as dotenvy 0.15.7 does.
//!
//! It is a port of dotenvy's two state machines (`iter.rs`: joining physical lines into logical
//! ones while a quote is open; `parse.rs`: the key and value of one logical line) that records
//! byte offsets instead of discarding them. Agreement with dotenvy is checked by a differential
//! test over every fixture and over generated inputs, so quirks are reproduced on purpose:
//! `K="$A"` is an error (the unbraced name ends at `"` and the quote is kept as text), and so
//! is a last line that ends in whitespace without a newline.
//!
//! One deliberate difference: substitution never reads the process environment, only earlier
//! keys of the same file, so results do not depend on who runs the tool. A reference to a name
//! the file does not define is recorded as unresolved.

use std::collections::HashMap;
use std::ops::Range;

pub use crate::model::env::{CutShort, Entry, LineError, LineErrorKind, Substitution};

/// What one logical line yields: a key and value, or an error (as dotenvy's iterator does).
pub type Item = Result<Entry, LineError>;

/// Parses a whole file. A leading byte-order mark is skipped, as `dotenvy::dotenv()` does.
pub fn parse(text: &str) -> Vec<Item> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut values: HashMap<String, String> = HashMap::new();
    let mut items = Vec::new();
    for line in (LogicalLines { text, pos: start }) {
        match line {
            Logical::Line(range) => {
                let mut parser = LineParser {
                    text,
                    values: &mut values,
                };
                match parser.parse_line(range.clone()) {
                    Ok(Some(entry)) => items.push(Ok(entry)),
                    Ok(None) => {}
                    Err(err) => items.push(Err(LineError { line: range, ..err })),
                }
            }
            Logical::Comment => {}
            Logical::Eof(start, err) => items.push(Err(LineError {
                line: start..text.len(),
                ..err
            })),
        }
    }
    items
}

/// Where the comments of a file are, as dotenvy reads it: a line whose first character other
/// than whitespace is `#`, and a `#` after whitespace that ends a value. A `#` inside quotes
/// (also in the continuation lines of a quoted value) or glued to a value (`K=v#x`) is text.
/// Each range runs from the `#` to the end of its line (line break excluded).
pub fn comments(text: &str) -> Vec<Range<usize>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LogicalLines { text, pos: start };
    let mut out = Vec::new();
    loop {
        let before = lines.pos;
        match lines.next() {
            None => break,
            Some(Logical::Comment) => {
                let at = before + text[before..].find('#').unwrap_or(0);
                out.push(at..line_end(text, at));
            }
            Some(Logical::Line(range))
                if lines.pos > range.end && text[range.end..].starts_with('#') =>
            {
                out.push(range.end..line_end(text, range.end));
            }
            Some(_) => {}
        }
    }
    out
}

/// The end of the physical line holding `at`, without its line break.
fn line_end(text: &str, at: usize) -> usize {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

enum Logical {
    Line(Range<usize>),
    Comment,
    /// The file ended inside the logical line that starts at `.0`.
    Eof(usize, LineError),
}

#[derive(Clone, Copy)]
enum JoinState {
    Complete,
    Escape,
    StrongOpen,
    StrongOpenEscape,
    WeakOpen,
    WeakOpenEscape,
    Comment,
    WhiteSpace,
}

/// dotenvy's `QuotedLines`: physical lines joined while a quote is open, comments cut off.
struct LogicalLines<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for LogicalLines<'_> {
    type Item = Logical;

    fn next(&mut self) -> Option<Logical> {
        let text = self.text;
        if self.pos >= text.len() {
            return None;
        }
        let start = self.pos;
        let mut state = JoinState::Complete;
        let mut quote_open_at = start;
        loop {
            if self.pos >= text.len() {
                return Some(Logical::Eof(
                    start,
                    eof_error(text, start, state, quote_open_at),
                ));
            }
            let line_start = self.pos;
            let line_end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i + 1);
            self.pos = line_end;
            if text[start..line_end].trim_start().starts_with('#') {
                return Some(Logical::Comment);
            }
            let (cut, end_state) =
                eval_end_state(state, text, line_start..line_end, &mut quote_open_at);
            state = end_state;
            match state {
                JoinState::Complete => {
                    let mut end = line_end;
                    if text[..end].ends_with('\n') {
                        end -= 1;
                        if text[..end].ends_with('\r') {
                            end -= 1;
                        }
                    }
                    return Some(Logical::Line(start..end));
                }
                JoinState::Comment => return Some(Logical::Line(start..cut)),
                _ => {}
            }
        }
    }
}

/// Runs the joining state machine over one physical line; returns where a comment starts.
fn eval_end_state(
    mut state: JoinState,
    text: &str,
    line: Range<usize>,
    quote_open_at: &mut usize,
) -> (usize, JoinState) {
    for (i, c) in text[line.clone()].char_indices() {
        let at = line.start + i;
        state = match state {
            JoinState::WhiteSpace => match c {
                '#' => return (at, JoinState::Comment),
                '\\' => JoinState::Escape,
                '"' | '\'' => {
                    *quote_open_at = at;
                    if c == '"' {
                        JoinState::WeakOpen
                    } else {
                        JoinState::StrongOpen
                    }
                }
                _ => JoinState::Complete,
            },
            JoinState::Escape => JoinState::Complete,
            JoinState::Complete => match c {
                c if c.is_whitespace() && c != '\n' && c != '\r' => JoinState::WhiteSpace,
                '\\' => JoinState::Escape,
                '"' | '\'' => {
                    *quote_open_at = at;
                    if c == '"' {
                        JoinState::WeakOpen
                    } else {
                        JoinState::StrongOpen
                    }
                }
                _ => JoinState::Complete,
            },
            JoinState::WeakOpen => match c {
                '\\' => JoinState::WeakOpenEscape,
                '"' => JoinState::Complete,
                _ => JoinState::WeakOpen,
            },
            JoinState::WeakOpenEscape => JoinState::WeakOpen,
            JoinState::StrongOpen => match c {
                '\\' => JoinState::StrongOpenEscape,
                '\'' => JoinState::Complete,
                _ => JoinState::StrongOpen,
            },
            JoinState::StrongOpenEscape => JoinState::StrongOpen,
            JoinState::Comment => return (at, JoinState::Comment),
        };
    }
    (line.end, state)
}

fn eof_error(text: &str, start: usize, state: JoinState, quote_open_at: usize) -> LineError {
    let end = text.len();
    match state {
        JoinState::WeakOpen | JoinState::WeakOpenEscape => LineError {
            span: quote_open_at..quote_open_at + 1,
            kind: LineErrorKind::UnclosedQuoteAtEof { quote: '"' },
            line: 0..0,
        },
        JoinState::StrongOpen | JoinState::StrongOpenEscape => LineError {
            span: quote_open_at..quote_open_at + 1,
            kind: LineErrorKind::UnclosedQuoteAtEof { quote: '\'' },
            line: 0..0,
        },
        JoinState::Escape => LineError {
            span: end.saturating_sub(1).max(start)..end,
            kind: LineErrorKind::TrailingBackslashAtEof,
            line: 0..0,
        },
        // Only whitespace can leave this state at the end of input.
        JoinState::WhiteSpace | JoinState::Complete | JoinState::Comment => {
            let trimmed = start + text[start..].trim_end().len();
            LineError {
                span: trimmed..end,
                kind: LineErrorKind::TrailingWhitespaceAtEof,
                line: 0..0,
            }
        }
    }
}

/// dotenvy's `LineParser` and `parse_value` over one logical line.
struct LineParser<'a, 'm> {
    text: &'a str,
    /// Values of the keys defined so far, empty values included (dotenvy's `substitution_data`).
    values: &'m mut HashMap<String, String>,
}

impl LineParser<'_, '_> {
    fn parse_line(&mut self, range: Range<usize>) -> Result<Option<Entry>, LineError> {
        let text = self.text;
        let line_end = range.start + text[range.clone()].trim_end().len();
        let mut pos = skip_whitespace(text, range.start, line_end);
        if pos == line_end || text[pos..line_end].starts_with('#') {
            return Ok(None);
        }
        let mut key_span = parse_key(text, pos, line_end)?;
        pos = skip_whitespace(text, key_span.end, line_end);
        if &text[key_span.clone()] == "export"
            && pos < line_end
            && !text[pos..line_end].starts_with('=')
        {
            key_span = parse_key(text, pos, line_end)?;
            pos = skip_whitespace(text, key_span.end, line_end);
        }
        let key = text[key_span.clone()].to_owned();
        if !text[pos..line_end].starts_with('=') {
            return Err(missing_equals(text, key, key_span, pos, line_end));
        }
        pos = skip_whitespace(text, pos + 1, line_end);
        let empty = pos == line_end || text[pos..line_end].starts_with('#');
        let value_span = if empty { pos..pos } else { pos..line_end };
        let (value, substitutions) = if empty {
            (String::new(), Vec::new())
        } else {
            self.parse_value(value_span.clone())?
        };
        self.values.insert(key.clone(), value.clone());
        Ok(Some(Entry {
            key,
            key_span,
            value,
            value_span,
            substitutions,
        }))
    }

    #[allow(clippy::too_many_lines)] // A faithful port reads best as one state machine.
    fn parse_value(&self, range: Range<usize>) -> Result<(String, Vec<Substitution>), LineError> {
        let text = self.text;
        let input = &text[range.clone()];
        let mut strong_quote = false;
        let mut weak_quote = false;
        let mut quote_open_at = range.start;
        let mut quote_taken: Option<(String, usize)> = None;
        let mut escaped = false;
        let mut expecting_end = false;
        let mut output = String::new();
        let mut mode = SubMode::None;
        let mut name = String::new();
        let mut name_start = range.start;
        let mut substitutions = Vec::new();

        for (i, c) in input.char_indices() {
            let at = range.start + i;
            if expecting_end {
                if c == ' ' || c == '\t' {
                    continue;
                } else if c == '#' {
                    break;
                }
                return Err(error_at(text, at, LineErrorKind::TextAfterWhitespace(c)));
            } else if escaped {
                match c {
                    '\\' | '\'' | '"' | '$' | ' ' => output.push(c),
                    'n' => output.push('\n'),
                    _ => return Err(error_at(text, at, LineErrorKind::InvalidEscape(c))),
                }
                escaped = false;
            } else if strong_quote {
                if c == '\'' {
                    strong_quote = false;
                } else {
                    output.push(c);
                }
            } else if mode != SubMode::None {
                if c.is_alphanumeric() {
                    name.push(c);
                } else if mode == SubMode::Block {
                    if c == '{' && name.is_empty() {
                        mode = SubMode::Braced;
                    } else {
                        substitutions.push(self.substitute(
                            &mut output,
                            &name,
                            name_start..at,
                            false,
                        ));
                        name.clear();
                        if c == '$' {
                            name_start = at;
                        } else {
                            mode = SubMode::None;
                            if weak_quote && c == '"' {
                                quote_taken = Some((
                                    substitutions
                                        .last()
                                        .map(|s| s.name.clone())
                                        .unwrap_or_default(),
                                    at,
                                ));
                            }
                            output.push(c);
                        }
                    }
                } else if c == '}' {
                    mode = SubMode::None;
                    substitutions.push(self.substitute(
                        &mut output,
                        &name,
                        name_start..at + 1,
                        true,
                    ));
                    name.clear();
                } else {
                    name.push(c);
                }
            } else if c == '$' {
                mode = SubMode::Block;
                name_start = at;
            } else if weak_quote {
                if c == '"' {
                    weak_quote = false;
                    quote_taken = None;
                } else if c == '\\' {
                    escaped = true;
                } else {
                    output.push(c);
                }
            } else if c == '\'' {
                strong_quote = true;
                quote_open_at = at;
            } else if c == '"' {
                weak_quote = true;
                quote_open_at = at;
            } else if c == '\\' {
                escaped = true;
            } else if c == ' ' || c == '\t' {
                expecting_end = true;
            } else {
                output.push(c);
            }
        }

        if mode == SubMode::Braced {
            return Err(LineError {
                span: name_start..name_start + 2,
                kind: LineErrorKind::UnclosedBrace,
                line: 0..0,
            });
        }
        if strong_quote || weak_quote {
            if let (true, Some((name, at))) = (weak_quote, quote_taken) {
                return Err(error_at(
                    text,
                    at,
                    LineErrorKind::QuoteTakenBySubstitution { name },
                ));
            }
            let quote = if strong_quote { '\'' } else { '"' };
            return Err(LineError {
                span: quote_open_at..quote_open_at + 1,
                kind: LineErrorKind::UnclosedQuote { quote },
                line: 0..0,
            });
        }
        if mode == SubMode::Block {
            substitutions.push(self.substitute(&mut output, &name, name_start..range.end, false));
        }
        Ok((output, substitutions))
    }

    /// Appends the value of `name` (an earlier key of this file, else nothing) and records it.
    fn substitute(
        &self,
        output: &mut String,
        name: &str,
        span: Range<usize>,
        braced: bool,
    ) -> Substitution {
        if let Some(value) = self.values.get(name) {
            output.push_str(value);
        }
        let resolved = name.is_empty() || self.values.contains_key(name);
        let cut_short = if braced {
            None
        } else {
            cut_short(self.text, name, span.clone())
        };
        Substitution {
            name: name.to_owned(),
            span,
            braced,
            resolved,
            cut_short,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SubMode {
    None,
    Block,
    Braced,
}

/// `$KAFKA_SESSION_MS`: the unbraced name stops at `_`; returns the full name and its span.
fn cut_short(text: &str, name: &str, span: Range<usize>) -> Option<CutShort> {
    let rest = &text[span.end..];
    if !rest.starts_with('_') {
        return None;
    }
    let tail = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let end = span.end + tail;
    Some(CutShort {
        intended: format!("{name}{}", &rest[..tail]),
        span: span.start..end,
    })
}

fn skip_whitespace(text: &str, pos: usize, end: usize) -> usize {
    text[pos..end]
        .find(|c: char| !c.is_whitespace())
        .map_or(end, |i| pos + i)
}

fn parse_key(text: &str, pos: usize, end: usize) -> Result<Range<usize>, LineError> {
    let rest = &text[pos..end];
    match rest.chars().next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        Some(c) => return Err(error_at(text, pos, LineErrorKind::InvalidKeyStart(c))),
        None => {
            return Err(LineError {
                span: pos..pos,
                kind: LineErrorKind::InvalidKeyStart(' '),
                line: 0..0,
            });
        }
    }
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    Ok(pos..pos + len)
}

fn missing_equals(
    text: &str,
    key: String,
    key_span: Range<usize>,
    pos: usize,
    end: usize,
) -> LineError {
    match text[pos..end].chars().next() {
        Some(c) => error_at(
            text,
            pos,
            LineErrorKind::MissingEquals {
                key,
                found: Some(c),
            },
        ),
        None => LineError {
            span: key_span,
            kind: LineErrorKind::MissingEquals { key, found: None },
            line: 0..0,
        },
    }
}

/// An error spanning the character at `at`.
fn error_at(text: &str, at: usize, kind: LineErrorKind) -> LineError {
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    LineError {
        span: at..at + len,
        kind,
        line: 0..0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<(String, String)> {
        parse(text)
            .into_iter()
            .map(|i| i.map(|e| (e.key, e.value)).unwrap())
            .collect()
    }

    fn errors(text: &str) -> Vec<LineError> {
        parse(text).into_iter().filter_map(Result::err).collect()
    }

    #[test]
    fn spans_of_key_and_value() {
        let text = "# héllo\nexport  KEY = \"6000\" # note\n";
        let items = parse(text);
        let e = items[0].as_ref().unwrap();
        assert_eq!(&text[e.key_span.clone()], "KEY");
        assert_eq!(&text[e.value_span.clone()], "\"6000\"");
        assert_eq!(e.value, "6000");
    }

    #[test]
    fn multi_line_values_and_crlf() {
        assert_eq!(
            entries("A=\"x\r\ny\"\r\nB=2\r\n"),
            [("A".into(), "x\r\ny".into()), ("B".into(), "2".into())]
        );
    }

    #[test]
    fn substitution_from_earlier_keys_only() {
        let items = parse("A=1\nB=${A}0\nC=$Z\nD=$A_X\n");
        let got: Vec<_> = items
            .iter()
            .map(|i| i.as_ref().unwrap().value.clone())
            .collect();
        assert_eq!(got, ["1", "10", "", "1_X"]);
        let c = items[2].as_ref().unwrap();
        assert!(c.is_unresolved());
        let d = items[3].as_ref().unwrap();
        assert_eq!(
            d.substitutions[0].cut_short.as_ref().unwrap().intended,
            "A_X"
        );
    }

    #[test]
    fn quirks_reproduced() {
        let e = errors("A=1\nK=\"$A\"\n");
        assert!(matches!(
            e[0].kind,
            LineErrorKind::QuoteTakenBySubstitution { .. }
        ));
        let e = errors("K=1 ");
        assert_eq!(e[0].kind, LineErrorKind::TrailingWhitespaceAtEof);
        assert_eq!(e[0].span, 3..4);
        let e = errors("K='open\nL=2\n");
        assert_eq!(e[0].span, 2..3);
    }

    #[test]
    fn comments_are_where_dotenvy_sees_them() {
        let text = "# full\nK=v # trailing\nG=v#glued\nQ=\"open\n# inside quotes\nclose\" # after\n  # indented\n";
        let found: Vec<&str> = comments(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["# full", "# trailing", "# after", "# indented"]);
    }

    #[test]
    fn error_points_at_the_offending_character() {
        let text = "K=é x\n";
        let e = errors(text);
        assert_eq!(&text[e[0].span.clone()], "x");
        let text = "K=\\f\n";
        assert_eq!(&text[errors(text)[0].span.clone()], "f");
    }
}

//! The part of a file a report shows around its labels, made safe and small.
//!
//! A snippet holds the lines of the labels and one line of context on each side, never the
//! whole file, so rendering a finding costs the same in a 10-line file and in a 10 MB one, and
//! 10,000 findings in one file render in time linear in the findings. On the way:
//! - lines longer than [`MAX_LINE_CHARS`] are cut to a window around the labels (`…`);
//! - masked ranges (secret values, see [`crate::secret`]) print as `*`;
//! - control characters a terminal would act on (a lone carriage return, escape sequences,
//!   NUL, bidirectional overrides) print as `?`, so a file cannot rewrite the screen.
//!
//! Spans are remapped into the snippet; the snippet knows the line number it starts at.

use std::ops::Range;

use crate::source::SourceFile;

/// Longest line shown whole, in characters; longer lines show a window of this size.
pub const MAX_LINE_CHARS: usize = 160;

/// Characters kept before the first label on a cut line.
const LEAD_CHARS: usize = 40;

/// Most lines of one span shown (a span over more lines is cut after them).
pub const MAX_SPAN_LINES: usize = 12;

/// Text to show, with the spans it was made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// 0-based line number of the first line of `text` in the file.
    pub first_line: usize,
    /// Each requested span, as a range of `text`.
    pub spans: Vec<Range<usize>>,
}

/// A snippet as miette reads it, named `path:line:column` after the first label it shows
/// (column in characters), with the line numbers of the file in the gutter.
#[derive(Debug, Clone)]
pub struct NamedSnippet {
    pub snippet: Snippet,
    pub name: String,
}

impl miette::SourceCode for NamedSnippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.snippet.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line() + self.snippet.first_line,
            contents.column(),
            // miette counts the lines from the start of the text (it merges the contexts of
            // labels by it); the snippet's text starts at `first_line`.
            contents.line_count() + self.snippet.first_line,
        )))
    }
}

/// The snippet of `file` around `spans` (byte ranges of the file's text).
pub fn snippet(file: &SourceFile, spans: &[Range<usize>]) -> Snippet {
    let len = file.text.len();
    // Clamp spans into the text and to a bounded number of lines.
    let spans: Vec<Range<usize>> = spans
        .iter()
        .map(|s| {
            let start = floor_char(&file.text, s.start.min(len));
            let end = floor_char(&file.text, s.end.clamp(start, len));
            let last_line = file.line_of(start) + MAX_SPAN_LINES - 1;
            let end = if file.line_of(end) > last_line {
                file.line_range(last_line).end
            } else {
                end
            };
            start..end
        })
        .collect();
    let Some(first) = spans.iter().map(|s| file.line_of(s.start)).min() else {
        return Snippet {
            text: String::new(),
            first_line: 0,
            spans,
        };
    };
    let last = spans
        .iter()
        .map(|s| file.line_of(if s.end > s.start { s.end - 1 } else { s.end }))
        .max()
        .unwrap_or(first);
    let lo = first.saturating_sub(1);
    let hi = (last + 1).min(file.line_count() - 1);
    let mut points: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
    points.sort_unstable();
    points.dedup();
    let mut mapped: Vec<(usize, usize)> = Vec::with_capacity(points.len());
    let mut text = String::new();
    let masked = file.masked();
    for line in lo..=hi {
        let range = file.line_range(line);
        let on_line: Vec<usize> = points
            .iter()
            .copied()
            .filter(|p| file.line_of(*p) == line)
            .collect();
        let window = window(&file.text, &range, on_line.first().copied());
        if window.start > range.start {
            text.push('…');
        }
        // Points before the window map to its start, after it to its end.
        for &p in on_line.iter().filter(|p| **p < window.start) {
            mapped.push((p, text.len()));
        }
        let mut next_point = on_line
            .iter()
            .copied()
            .filter(|p| *p >= window.start)
            .peekable();
        let mut mask_at = masked.partition_point(|m| m.end <= window.start);
        for (i, c) in file.text[window.clone()].char_indices() {
            let at = window.start + i;
            while next_point.peek().is_some_and(|p| *p <= at) {
                mapped.push((next_point.next().unwrap_or(at), text.len()));
            }
            while masked.get(mask_at).is_some_and(|m| m.end <= at) {
                mask_at += 1;
            }
            let hidden = masked.get(mask_at).is_some_and(|m| m.start <= at);
            text.push(if hidden {
                '*'
            } else if unprintable(c) {
                '?'
            } else {
                c
            });
        }
        for p in next_point {
            mapped.push((p, text.len()));
        }
        if window.end < range.end {
            text.push('…');
        }
        if line < hi {
            text.push('\n');
        }
    }
    let map = |offset: usize| {
        mapped
            .iter()
            .find(|(p, _)| *p == offset)
            .map_or(text.len(), |(_, n)| *n)
    };
    let spans = spans.iter().map(|s| map(s.start)..map(s.end)).collect();
    Snippet {
        text,
        first_line: lo,
        spans,
    }
}

/// The part of a line to show: all of it when it is short, else [`MAX_LINE_CHARS`] characters
/// starting a little before `anchor`.
fn window(text: &str, line: &Range<usize>, anchor: Option<usize>) -> Range<usize> {
    let content = &text[line.clone()];
    if content.chars().nth(MAX_LINE_CHARS).is_none() {
        return line.clone();
    }
    let anchor = anchor.unwrap_or(line.start).clamp(line.start, line.end);
    let before = &text[line.start..anchor];
    let start = before
        .char_indices()
        .rev()
        .nth(LEAD_CHARS - 1)
        .map_or(line.start, |(i, _)| line.start + i);
    let end = text[start..line.end]
        .char_indices()
        .nth(MAX_LINE_CHARS)
        .map_or(line.end, |(i, _)| start + i);
    start..end
}

/// The char boundary at or before `at`.
fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Characters a terminal would act on; tabs stay (snippets draw them as spaces).
fn unprintable(c: char) -> bool {
    c != '\t' && crate::text::is_unsafe(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("f".into(), "f".into(), text.into())
    }

    #[test]
    fn context_lines_and_remapped_spans() {
        let f = file("a=1\nb=2\nc=3\nd=4\n");
        let at = f.text.find('3').unwrap();
        let s = snippet(&f, &[at..at + 1, at..at]);
        assert_eq!(s.text, "b=2\nc=3\nd=4");
        assert_eq!(s.first_line, 1);
        assert_eq!(&s.text[s.spans[0].clone()], "3");
    }

    #[test]
    fn long_lines_are_cut_around_the_label() {
        let long = format!("K={}X{}\n", "é".repeat(10_000), "y".repeat(10_000));
        let f = file(&long);
        let at = f.text.find('X').unwrap();
        let s = snippet(&f, &[at..at + 1, at..at]);
        let shown = s.text.lines().next().unwrap();
        assert_eq!(shown.chars().count(), MAX_LINE_CHARS + 2, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(&s.text[s.spans[0].clone()], "X");
    }

    #[test]
    fn masked_values_and_control_characters_never_show() {
        let mut f = file("DB_PASSWORD=hunter2\nK=6\u{1b}[2J\r0\n");
        let value = f.text.find("hunter2").unwrap();
        f.mask(std::iter::once(value..value + 7));
        let at = f.text.find('6').unwrap();
        let s = snippet(&f, &[at..at + 1, at..at]);
        assert_eq!(s.text, "DB_PASSWORD=*******\nK=6?[2J?0\n");
        assert!(!s.text.contains("hunter2"));
    }

    #[test]
    fn spans_past_the_end_or_inside_a_character_do_not_panic() {
        let f = file("é");
        let s = snippet(&f, &[1..99, 0..0]);
        assert_eq!(s.text, "é");
        assert_eq!(s.spans[1], 0..0);
    }
}

//! A token-level scan of Rust text that knows where comments, strings, raw strings and
//! character literals start and end, without parsing: the depth guard of [`super::parse`] and
//! the search for suppression comments read the file through it, so that text inside a string
//! is never taken for code or a comment, and a comment never for code.

use std::ops::Range;

/// What a comment is, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `// ...` (and `////...`, which is not documentation).
    Line,
    /// `/// ...` or `//! ...`.
    LineDoc,
    /// `/* ... */` (nested comments included).
    Block,
    /// `/** ... */` or `/*! ... */`.
    BlockDoc,
}

/// One comment: its kind and its byte range (markers included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    pub span: Range<usize>,
}

impl Comment {
    /// The byte range of the comment's text without its markers (`//`, `///`, `/*`, `*/`).
    pub fn body(&self, text: &str) -> Range<usize> {
        let raw = &text[self.span.clone()];
        let (open, close) = match self.kind {
            CommentKind::Line => (2, 0),
            CommentKind::LineDoc => (3, 0),
            CommentKind::Block => (2, usize::from(raw.ends_with("*/") && raw.len() >= 4) * 2),
            CommentKind::BlockDoc => (3, usize::from(raw.ends_with("*/") && raw.len() >= 5) * 2),
        };
        let open = open.min(raw.len());
        let end = raw.len().saturating_sub(close).max(open);
        self.span.start + open..self.span.start + end
    }
}

/// Every comment of a Rust file, in order. Strings, raw strings, byte and C strings and
/// character literals are skipped, so `"// not a comment"` is not one.
pub fn comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(bytes.len(), |n| i + n);
                let doc = matches!(bytes.get(i + 2), Some(b'/' | b'!'))
                    && bytes.get(i + 3) != Some(&b'/')
                    || bytes.get(i + 2) == Some(&b'!');
                let kind = if doc {
                    CommentKind::LineDoc
                } else {
                    CommentKind::Line
                };
                let end = if end > i && bytes[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                out.push(Comment { kind, span: i..end });
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = skip_block_comment(bytes, i);
                let doc = matches!(bytes.get(i + 2), Some(b'*' | b'!'))
                    && !(bytes.get(i + 2) == Some(&b'*')
                        && matches!(bytes.get(i + 3), Some(b'*' | b'/')));
                let kind = if doc {
                    CommentKind::BlockDoc
                } else {
                    CommentKind::Block
                };
                out.push(Comment { kind, span: i..end });
                i = end;
            }
            b'"' => i = skip_string(bytes, i + 1),
            b'\'' => i = skip_char_or_lifetime(bytes, i),
            b'r' | b'b' | b'c' if raw_string_start(bytes, i).is_some() => {
                let (hashes, quote) = raw_string_start(bytes, i).unwrap_or((0, i));
                i = skip_raw_string(bytes, quote + 1, hashes);
            }
            b'b' | b'c' if bytes.get(i + 1) == Some(&b'"') && !ident_before(bytes, i) => {
                i = skip_string(bytes, i + 2);
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether an identifier character comes right before `at` (`abc"` is not a byte string).
fn ident_before(bytes: &[u8], at: usize) -> bool {
    at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_')
}

/// The index just past the next `byte` at or after `from` (or the end).
pub(crate) fn memchr_from(bytes: &[u8], from: usize, byte: u8) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == byte)
        .map_or(bytes.len(), |n| from + n + 1)
}

/// Skips a (nested) block comment starting at `from`.
pub(crate) fn skip_block_comment(bytes: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Skips the rest of a string literal whose contents start at `from`.
pub(crate) fn skip_string(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Skips a character literal, or just the quote of a lifetime or label.
pub(crate) fn skip_char_or_lifetime(bytes: &[u8], from: usize) -> usize {
    // '\n', '\'', '\u{..}': a closing quote within a few bytes of the backslash.
    if bytes.get(from + 1) == Some(&b'\\') {
        return bytes
            .get(from + 3..)
            .unwrap_or_default()
            .iter()
            .take(12)
            .position(|b| *b == b'\'')
            .map_or(from + 1, |n| from + 3 + n + 1);
    }
    // 'x', 'é': exactly one character, then the quote; anything else is a lifetime
    // (`<'a>(&'a self`: the quote five bytes on is another lifetime's).
    let Some(&first) = bytes.get(from + 1) else {
        return from + 1;
    };
    let len = match first {
        b'\'' => return from + 1,
        0..0x80 => 1,
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    };
    if bytes.get(from + 1 + len) == Some(&b'\'') {
        from + len + 2
    } else {
        from + 1
    }
}

/// `(hashes, index of the opening quote)` when a raw string (`r"`, `r#"`, `br#"`, `cr"`)
/// starts at `at` (and not in the middle of an identifier).
pub(crate) fn raw_string_start(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
        return None;
    }
    let mut i = at;
    if bytes[i] == b'b' || bytes[i] == b'c' {
        i += 1;
    }
    if bytes.get(i) != Some(&b'r') {
        return None;
    }
    i += 1;
    let hashes = bytes[i..].iter().take_while(|b| **b == b'#').count();
    i += hashes;
    (bytes.get(i) == Some(&b'"')).then_some((hashes, i))
}

/// Skips the rest of a raw string whose contents start at `from`.
pub(crate) fn skip_raw_string(bytes: &[u8], from: usize, hashes: usize) -> usize {
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|b| **b == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_literals_and_lifetimes() {
        let end = |text: &str| skip_char_or_lifetime(text.as_bytes(), 0);
        for (text, past) in [
            ("'a' x", 3),
            ("'é' x", 4),
            ("'字' x", 5),
            ("'\\n' x", 4),
            ("'\\'' x", 4),
            ("'\\u{1F600}' x", 11),
            // Lifetimes: only the quote.
            ("'a>(&'a self", 1),
            ("'static str", 1),
            ("'_>", 1),
            ("'", 1),
        ] {
            assert_eq!(end(text), past, "{text}");
        }
    }

    #[test]
    fn comments_outside_strings_with_their_kinds() {
        let text = "let s = \"// no\"; // yes\nlet r = r#\"/* no */\"#;\n/// doc\n//! inner\n//// plain\n/* block /* nested */ */ /** doc */ /*! inner */ /**/ /***/\nlet c = '\"'; // after a quote char\n";
        let found: Vec<(CommentKind, &str)> = comments(text)
            .iter()
            .map(|c| (c.kind, &text[c.span.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                (CommentKind::Line, "// yes"),
                (CommentKind::LineDoc, "/// doc"),
                (CommentKind::LineDoc, "//! inner"),
                (CommentKind::Line, "//// plain"),
                (CommentKind::Block, "/* block /* nested */ */"),
                (CommentKind::BlockDoc, "/** doc */"),
                (CommentKind::BlockDoc, "/*! inner */"),
                (CommentKind::Block, "/**/"),
                (CommentKind::Block, "/***/"),
                (CommentKind::Line, "// after a quote char"),
            ]
        );
        let c = &comments(text)[0];
        assert_eq!(&text[c.body(text)], " yes");
    }

    #[test]
    fn a_multi_line_string_hides_what_looks_like_a_comment() {
        let text = "const S: &str = \"\n// kafka-lint: allow-file(x)\n\";\n";
        assert!(comments(text).is_empty());
    }
}

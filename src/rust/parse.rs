//! Parsing one Rust file with syn, with spans turned into byte offsets of the file as read.
//!
//! syn drops a leading byte-order mark and shebang line before parsing, so its offsets are
//! relative to what remains; `base` adds them back. Nesting is checked before parsing, since
//! syn recurses once per level and deep enough input would overflow the stack.

use std::ops::Range;

use proc_macro2::Span;

/// Deepest bracket nesting parsed; deeper files are reported instead of parsed.
pub const MAX_NESTING: usize = 256;

/// A parsed file and the offset its spans are relative to.
#[derive(Debug)]
pub struct Parsed {
    pub ast: syn::File,
    pub base: usize,
}

/// Why a file could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub span: Range<usize>,
    pub message: String,
}

/// Parses `text`; spans of the result are converted with [`Parsed::range`].
pub fn parse(text: &str) -> Result<Parsed, ParseFailure> {
    let mut base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[base..];
    if rest.starts_with("#!") && !rest[2..].trim_start().starts_with('[') {
        base += rest.find('\n').unwrap_or(rest.len());
    }
    let source = &text[base..];
    if let Some(at) = too_deep(source) {
        return Err(ParseFailure {
            span: base + at..base + at + 1,
            message: format!("brackets nest more than {MAX_NESTING} levels deep"),
        });
    }
    match syn::parse_file(source) {
        Ok(ast) => Ok(Parsed { ast, base }),
        Err(err) => {
            let range = err.span().byte_range();
            let start = (base + range.start).min(text.len());
            let end = (base + range.end).clamp(start, text.len());
            Err(ParseFailure {
                span: start..end,
                message: err.to_string(),
            })
        }
    }
}

impl Parsed {
    /// The byte ranges of every statement and item of the file: a suppression comment on the
    /// line before one covers the findings inside it.
    pub fn statement_ranges(&self) -> Vec<Range<usize>> {
        use syn::visit::Visit;
        struct Collect<'p>(&'p Parsed, Vec<Range<usize>>);
        impl<'ast> Visit<'ast> for Collect<'_> {
            fn visit_stmt(&mut self, s: &'ast syn::Stmt) {
                use syn::spanned::Spanned;
                self.1.push(self.0.range(s.span()));
                syn::visit::visit_stmt(self, s);
            }
            fn visit_item(&mut self, i: &'ast syn::Item) {
                use syn::spanned::Spanned;
                self.1.push(self.0.range(i.span()));
                syn::visit::visit_item(self, i);
            }
        }
        let mut collect = Collect(self, Vec::new());
        collect.visit_file(&self.ast);
        collect.1
    }

    /// The byte range of a span of this file's syntax tree.
    pub fn range(&self, span: Span) -> Range<usize> {
        let r = span.byte_range();
        self.base + r.start..self.base + r.end
    }
}

/// Where bracket nesting first exceeds [`MAX_NESTING`], ignoring brackets in strings,
/// characters and comments only roughly (an overestimate is harmless: such files are rare).
fn too_deep(source: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in source.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::spanned::Spanned;

    #[test]
    fn offsets_account_for_bom_and_shebang() {
        let text = "\u{feff}#!/usr/bin/env run-cargo-script\nfn é() {}\nfn main() {}\n";
        let parsed = parse(text).unwrap();
        let last = parsed.ast.items.last().unwrap();
        assert_eq!(&text[parsed.range(last.span())], "fn main() {}");
    }

    #[test]
    fn inner_attributes_are_not_a_shebang() {
        let text = "#![allow(dead_code)]\nfn main() {}\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.base, 0);
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = "fn main() { let = ; }\n";
        let err = parse(text).unwrap_err();
        assert_eq!(&text[err.span], "=");
    }

    #[test]
    fn deep_nesting_is_refused_before_syn_recurses() {
        let text = format!(
            "fn main() {{ {}{} }}",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("nest"));
    }
}

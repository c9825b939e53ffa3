//! Parsing one Rust file with syn, with spans turned into byte offsets of the file as read.
//!
//! syn drops a leading byte-order mark and shebang line before parsing, so its offsets are
//! relative to what remains; `base` adds them back. Nesting is checked before parsing, since
//! syn recurses once per level and deep enough input would overflow the stack.

use std::ops::Range;

use proc_macro2::Span;

use crate::rust::lex::{
    memchr_from, raw_string_start, skip_block_comment, skip_char_or_lifetime, skip_raw_string,
    skip_string,
};

/// Deepest bracket nesting parsed; deeper files are reported instead of parsed.
pub const MAX_NESTING: usize = 256;

/// A parsed file and the offset its spans are relative to.
#[derive(Debug)]
pub struct Parsed {
    pub ast: syn::File,
    pub base: usize,
    /// Functions standing for code that runs outside any function, each with the inline
    /// module it is in: see [`initializers`].
    pub synthetic: Vec<(Option<syn::Ident>, syn::ItemFn)>,
}

/// Why a file could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    if let Some(deep) = too_deep(source) {
        let (at, message) = match deep {
            TooDeep::Brackets(at) => (
                at,
                format!("brackets nest more than {MAX_NESTING} levels deep"),
            ),
            TooDeep::Expression(at) => (
                at,
                format!(
                    "an expression nests more than {MAX_EXPRESSION_DEPTH} levels deep \
                     (operators and calls chained without a `,` or `;`)"
                ),
            ),
        };
        let end = source[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        return Err(ParseFailure {
            span: base + at..base + end,
            message,
        });
    }
    match syn::parse_file(source) {
        Ok(ast) => {
            let mut synthetic = Vec::new();
            initializers(&ast.items, None, &mut synthetic);
            Ok(Parsed {
                ast,
                base,
                synthetic,
            })
        }
        Err(err) => {
            // A file that is one expression is the target of an `include!` in expression
            // position (Rust accepts it nowhere else): it is analysed as that expression.
            if let Ok(expr) = syn::parse_str::<syn::Expr>(source) {
                let name = syn::Ident::new("included_expression", Span::call_site());
                return Ok(Parsed {
                    ast: syn::File {
                        shebang: None,
                        attrs: Vec::new(),
                        items: Vec::new(),
                    },
                    base,
                    synthetic: vec![(None, function(&name, None, &expr))],
                });
            }
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

/// Functions for the initializers of statics, which run outside any function:
/// `static C: LazyLock<StreamConsumer> = LazyLock::new(|| ..);` becomes
/// `fn C() -> LazyLock<StreamConsumer> { LazyLock::new(|| ..) }`, and so does each
/// `static ref C: T = ..;` of a `lazy_static!` block. Spans are kept, so the analysis
/// follows them like any function and reports what they create where it is written.
/// Initializers that call nothing (literals, arrays of them) are left out.
fn initializers(
    items: &[syn::Item],
    module: Option<&syn::Ident>,
    out: &mut Vec<(Option<syn::Ident>, syn::ItemFn)>,
) {
    let calls = |e: &syn::Expr| {
        matches!(
            e,
            syn::Expr::Call(_)
                | syn::Expr::MethodCall(_)
                | syn::Expr::Closure(_)
                | syn::Expr::Block(_)
                | syn::Expr::Macro(_)
        )
    };
    for item in items {
        match item {
            syn::Item::Static(s) if calls(&s.expr) => {
                out.push((module.cloned(), function(&s.ident, Some(&s.ty), &s.expr)));
            }
            syn::Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "lazy_static") =>
            {
                if let Ok(statics) = m.mac.parse_body_with(lazy_statics) {
                    for (ident, ty, expr) in statics.iter().filter(|(_, _, e)| calls(e)) {
                        out.push((module.cloned(), function(ident, Some(ty), expr)));
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    initializers(items, Some(&m.ident), out);
                }
            }
            _ => {}
        }
    }
}

/// The body of `lazy_static! { [pub] static ref NAME: TYPE = EXPR; .. }`.
fn lazy_statics(
    input: syn::parse::ParseStream<'_>,
) -> syn::Result<Vec<(syn::Ident, syn::Type, syn::Expr)>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        input.call(syn::Attribute::parse_outer)?;
        input.parse::<syn::Visibility>()?;
        input.parse::<syn::Token![static]>()?;
        input.parse::<syn::Token![ref]>()?;
        let ident: syn::Ident = input.parse()?;
        input.parse::<syn::Token![:]>()?;
        let ty: syn::Type = input.parse()?;
        input.parse::<syn::Token![=]>()?;
        let expr: syn::Expr = input.parse()?;
        input.parse::<syn::Token![;]>()?;
        out.push((ident, ty, expr));
    }
    Ok(out)
}

/// `fn NAME() -> TYPE { EXPR }`, with the spans of `NAME`, `TYPE` and `EXPR`.
fn function(name: &syn::Ident, ty: Option<&syn::Type>, expr: &syn::Expr) -> syn::ItemFn {
    let span = name.span();
    syn::ItemFn {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            unsafety: None,
            abi: None,
            fn_token: syn::Token![fn](span),
            ident: name.clone(),
            generics: syn::Generics::default(),
            paren_token: syn::token::Paren::default(),
            inputs: syn::punctuated::Punctuated::new(),
            variadic: None,
            output: match ty {
                Some(ty) => syn::ReturnType::Type(syn::Token![->](span), Box::new(ty.clone())),
                None => syn::ReturnType::Default,
            },
        },
        block: Box::new(syn::Block {
            brace_token: syn::token::Brace::default(),
            stmts: vec![syn::Stmt::Expr(expr.clone(), None)],
        }),
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
        // An included expression's statements (those of statics are visited above).
        for (_, f) in &self.synthetic {
            collect.visit_block(&f.block);
        }
        let mut ranges = collect.1;
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges.dedup();
        ranges
    }

    /// The byte range of a span of this file's syntax tree.
    pub fn range(&self, span: Span) -> Range<usize> {
        let r = span.byte_range();
        self.base + r.start..self.base + r.end
    }

    /// Empties the body of every function `keep` rejects, given its name and its text from
    /// `fn` to the closing brace of its body (`text`: the file as parsed), and returns how
    /// many bytes of bodies were dropped. The items themselves stay (the index looks
    /// signatures, constants, types and fields up by name), and so do the functions of
    /// `impl Default` blocks (field defaults) and those standing for initializers.
    pub(crate) fn prune(
        &mut self,
        text: &str,
        keep: &dyn Fn(&str, &str, Option<&str>) -> bool,
    ) -> usize {
        let base = self.base;
        let mut dropped = 0;
        let mut body =
            |sig: &syn::Signature, block: &mut syn::Block, header: Option<Range<usize>>| {
                if block.stmts.is_empty() {
                    return;
                }
                let start = base + sig.fn_token.span.byte_range().start;
                let end = base + block.brace_token.span.close().byte_range().end;
                let name = sig.ident.to_string();
                let header = header.and_then(|h| text.get(base + h.start..base + h.end));
                if !keep(&name, text.get(start..end).unwrap_or(""), header) {
                    block.stmts = Vec::new();
                    dropped += end.saturating_sub(start);
                }
            };
        prune_items(&mut self.ast.items, &mut body);
        dropped
    }
}

type Body<'b> = dyn FnMut(&syn::Signature, &mut syn::Block, Option<Range<usize>>) + 'b;

fn prune_items(items: &mut [syn::Item], body: &mut Body<'_>) {
    for item in items {
        match item {
            syn::Item::Fn(f) => body(&f.sig, &mut f.block, None),
            syn::Item::Impl(i) => {
                let default = i.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "Default")
                });
                if default {
                    continue;
                }
                let header = i.impl_token.span.byte_range().start
                    ..i.brace_token.span.open().byte_range().start;
                for item in &mut i.items {
                    if let syn::ImplItem::Fn(f) = item {
                        body(&f.sig, &mut f.block, Some(header.clone()));
                    }
                }
            }
            syn::Item::Trait(t) => {
                for item in &mut t.items {
                    if let syn::TraitItem::Fn(f) = item {
                        if let Some(block) = &mut f.default {
                            body(&f.sig, block, None);
                        }
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    prune_items(items, body);
                }
            }
            _ => {}
        }
    }
}

/// Deepest nesting of expressions, types and patterns parsed, counted in brackets plus
/// operators, method calls, `else`, `return` and the like chained inside one expression: syn
/// (and dropping its tree) recurses once per level of all of these.
pub const MAX_EXPRESSION_DEPTH: usize = 10_000;

/// Why a file nests too deeply to parse safely, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TooDeep {
    Brackets(usize),
    Expression(usize),
}

/// Where nesting first exceeds [`MAX_NESTING`] brackets or [`MAX_EXPRESSION_DEPTH`] levels.
///
/// A rough token scan: comments, strings and characters are skipped; every operator character
/// and nesting keyword adds a level to the bracket it stands in, until a `,`, `;` or `fn` at
/// that bracket ends the expression. This overestimates depth (`a + b + c` is flat to syn), so
/// the limit is far above anything written by hand, and the parser runs on a thread whose
/// stack holds [`MAX_EXPRESSION_DEPTH`] levels (see `crate::STACK_SIZE`).
fn too_deep(source: &str) -> Option<TooDeep> {
    let bytes = source.as_bytes();
    // One counter per open bracket (plus the file level); `sum` is their total.
    let mut levels: Vec<usize> = vec![0];
    let mut sum = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr_from(bytes, i, b'\n');
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                continue;
            }
            b'\'' => {
                i = skip_char_or_lifetime(bytes, i);
                continue;
            }
            b'r' | b'b' | b'c' if raw_string_start(bytes, i).is_some() => {
                let (hashes, quote) = raw_string_start(bytes, i).unwrap_or((0, i));
                i = skip_raw_string(bytes, quote + 1, hashes);
                continue;
            }
            b'(' | b'[' | b'{' => {
                levels.push(0);
                if levels.len() - 1 > MAX_NESTING {
                    return Some(TooDeep::Brackets(i));
                }
            }
            b')' | b']' | b'}' if levels.len() > 1 => {
                sum -= levels.pop().unwrap_or(0);
                // A block followed by a name, literal or attribute ends what it was part of
                // (a match arm `A => { .. } B => ..`, an item): only `else`, `as`, operators
                // and calls continue an expression after `}`.
                if b == b'}' && starts_new_expression(&bytes[i + 1..]) {
                    let top = levels.last_mut().expect("the file level is never popped");
                    sum -= std::mem::take(top);
                }
            }
            b',' | b';' => {
                let top = levels.last_mut().expect("the file level is never popped");
                sum -= std::mem::take(top);
            }
            b'.' | b'?' | b'!' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'&' | b'|' | b'<'
            | b'>' | b'=' => {
                *levels.last_mut().expect("the file level is never popped") += 1;
                sum += 1;
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(bytes.len(), |n| i + n);
                let top = levels.last_mut().expect("the file level is never popped");
                match &bytes[i..end] {
                    b"fn" => sum -= std::mem::take(top),
                    b"as" | b"else" | b"return" | b"break" | b"yield" | b"move" | b"async"
                    | b"dyn" | b"impl" | b"mut" | b"ref" | b"box" | b"become" => {
                        *top += 1;
                        sum += 1;
                    }
                    _ => {}
                }
                i = end;
                continue;
            }
            _ => {}
        }
        if sum + levels.len() > MAX_EXPRESSION_DEPTH {
            return Some(TooDeep::Expression(i));
        }
        i += 1;
    }
    None
}

/// Whether the text after a closing brace starts something new rather than continuing an
/// expression (see [`too_deep`]).
fn starts_new_expression(rest: &[u8]) -> bool {
    let Some(start) = rest.iter().position(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    let rest = &rest[start..];
    match rest[0] {
        b'#' | b'"' | b'\'' | b'0'..=b'9' => true,
        b if b.is_ascii_alphabetic() || b == b'_' => {
            let word_end = rest
                .iter()
                .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                .unwrap_or(rest.len());
            !matches!(&rest[..word_end], b"else" | b"as")
        }
        _ => false,
    }
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

    /// Chains that nest one level per operator, call or keyword, far beyond the limit.
    fn deep_chains(n: usize) -> Vec<(&'static str, String)> {
        vec![
            (
                "method calls",
                format!("c{}", ".set(\"a\", \"b\")".repeat(n)),
            ),
            ("binary operators", vec!["1"; n].join(" + ")),
            ("unary operators", format!("{}true", "!".repeat(n))),
            (
                "else if",
                format!("if a {{ 1 }} {}else {{ 2 }}", "else if a { 1 } ".repeat(n)),
            ),
            ("return", format!("{}1", "return ".repeat(n))),
            ("closures", format!("{}1", "|x| ".repeat(n))),
            ("casts", format!("1{}", " as u8".repeat(n))),
            ("try", format!("c{}", "?".repeat(n))),
        ]
    }

    #[test]
    fn deep_expressions_are_refused_before_syn_recurses() {
        for (what, expr) in deep_chains(100_000) {
            let text = format!("fn main() {{\n    let x = {expr};\n}}\n");
            let err = parse(&text).unwrap_err();
            assert!(
                err.message.contains("levels deep"),
                "{what}: {}",
                err.message
            );
            assert_eq!(&text[..err.span.start].lines().count(), &2, "{what}");
        }
    }

    #[test]
    fn long_flat_code_and_text_in_strings_and_comments_parse() {
        let n = 30_000;
        let lines = [
            // Statements, arguments and array elements end expressions.
            "x += 1;\n".repeat(n),
            format!("let v = [{}];\n", vec!["-1"; n].join(", ")),
            format!("f({});\n", vec!["a.b()"; n].join(", ")),
            // Operators inside strings, characters and comments are not code.
            format!("let s = \"{}\";\n", "+".repeat(n)),
            format!("let r = r#\"{}\"#;\n", "\"+".repeat(n)),
            format!(
                "// {}\n/* {} /* nested */ */\n",
                ".".repeat(n),
                "-".repeat(n)
            ),
            format!("let c = [{}];\n", vec!["'+'"; n].join(",")),
        ];
        for body in lines {
            let text = format!("fn main() {{\n{body}}}\n");
            assert!(parse(&text).is_ok(), "{}", &body[..40]);
        }
        let items = "fn f() -> u8 { 1 }\n".repeat(n);
        assert!(parse(&items).is_ok());
        // Block-bodied match arms have no commas between them.
        let arms = "        1 => { x += 1 }\n".repeat(n);
        let text = format!("fn main() {{\n    match y {{\n{arms}        _ => {{}}\n    }}\n}}\n");
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn expressions_just_under_the_limit_are_analysed_on_the_analysis_stack() {
        // Two levels per repetition at most (closures), so these stay under the limit.
        for (what, expr) in deep_chains(MAX_EXPRESSION_DEPTH / 2 - 100) {
            let text = format!(
                "use rdkafka::config::ClientConfig;\nfn main() {{\n    let c = ClientConfig::new();\n    let x = {expr};\n}}\n"
            );
            let failures = std::thread::Builder::new()
                .stack_size(crate::STACK_SIZE)
                .spawn(move || {
                    let mut files = crate::source::Files::default();
                    let file = crate::source::SourceFile::new("a.rs".into(), "a.rs".into(), text);
                    let id = files.add(file);
                    let facts = crate::rust::analyze_sources(&[(id, files.get(id).text.as_str())]);
                    facts
                        .failures
                        .into_iter()
                        .map(|(_, f)| f.message)
                        .collect::<Vec<_>>()
                })
                .unwrap()
                .join()
                .unwrap();
            assert!(
                failures.iter().all(|m| !m.contains("levels deep")),
                "{what}: {failures:?}"
            );
        }
    }
}

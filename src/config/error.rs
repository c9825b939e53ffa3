//! A mistake in a configuration file: what is wrong, and labels that point at it (two of them
//! when two values disagree, such as a minimum above its maximum). The snippet is made like
//! every other one ([`crate::snippet`]): a few lines around the labels, long lines cut, control
//! characters masked, so a configuration error never prints a 200 KB line.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::snippet::{NamedSnippet, snippet};
use crate::source::{LineCol, SourceFile};

/// A mistake in a configuration file.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// The file, as found or given.
    pub path: PathBuf,
    /// How messages name the file (relative to the current folder once the run knows it).
    shown: String,
    pub message: String,
    pub help: Option<String>,
    /// Byte ranges of the file and what each means (the first is the primary label), and the
    /// snippet they are drawn on.
    detail: Box<Detail>,
}

#[derive(Debug, Clone)]
struct Detail {
    labels: Vec<(Range<usize>, String)>,
    source: Option<(NamedSnippet, LineCol)>,
}

impl ConfigError {
    /// An error in `text` (the file's contents, empty when it could not be read).
    pub(crate) fn new(
        path: &Path,
        text: &str,
        labels: Vec<(Range<usize>, String)>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> ConfigError {
        let shown = path.display().to_string();
        let source = (!labels.is_empty() && !text.is_empty()).then(|| {
            let file = SourceFile::new(shown.clone(), path.to_path_buf(), text.to_owned());
            let spans: Vec<Range<usize>> = labels.iter().map(|(s, _)| s.clone()).collect();
            let at = file.line_col(spans[0].start);
            let named = NamedSnippet {
                snippet: snippet(&file, &spans),
                name: String::new(),
            };
            (named, at)
        });
        let mut error = ConfigError {
            path: path.to_path_buf(),
            shown: String::new(),
            message: humanize(&message.into()),
            help,
            detail: Box::new(Detail {
                labels: labels.into_iter().map(|(s, l)| (s, humanize(&l))).collect(),
                source,
            }),
        };
        error.name(shown);
        error
    }

    /// Byte ranges of the file and what each means; the first is the primary label.
    pub fn spans(&self) -> &[(Range<usize>, String)] {
        &self.detail.labels
    }

    /// Names the file `shown` in the message and the snippet.
    pub fn name(&mut self, shown: String) {
        if let Some((named, at)) = &mut self.detail.source {
            named.name = format!("{shown}:{}:{}", at.line, at.column);
        }
        self.shown = shown;
    }
}

/// serde's wording without Rust type names: "expected u64" → "expected a number of 0 or
/// more", "data did not match any variant of untagged enum X" → "this value has the wrong
/// form".
fn humanize(message: &str) -> String {
    let mut out = message.to_owned();
    for (rust, plain) in [
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected a sequence", "expected a list (`[..]`)"),
        ("expected a map", "expected a table"),
        ("expected a boolean", "expected `true` or `false`"),
    ] {
        out = out.replace(rust, plain);
    }
    if out.contains("untagged enum") || out.contains("did not match any variant") {
        out = "this value has the wrong form".into();
    }
    out
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = crate::text::escape_control(&self.shown);
        let message = crate::text::escape_control(&self.message);
        write!(f, "invalid configuration in `{shown}`: {message}")
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("config"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.detail
            .source
            .as_ref()
            .map(|(named, _)| named as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let (named, _) = self.detail.source.as_ref()?;
        let labels = self
            .detail
            .labels
            .iter()
            .zip(&named.snippet.spans)
            .enumerate()
            .map(|(i, ((_, text), span))| {
                let text = Some(crate::text::escape_control(text).into_owned());
                if i == 0 {
                    miette::LabeledSpan::new_primary_with_span(text, span.clone())
                } else {
                    miette::LabeledSpan::new_with_span(text, span.clone())
                }
            });
        Some(Box::new(labels.collect::<Vec<_>>().into_iter()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_type_names_never_reach_users() {
        assert_eq!(
            humanize("invalid value: integer `-5`, expected u64"),
            "invalid value: integer `-5`, expected a whole number of 0 or more"
        );
        assert_eq!(
            humanize("data did not match any variant of untagged enum FilesConfig"),
            "this value has the wrong form"
        );
    }

    #[test]
    fn a_huge_line_is_cut() {
        let text = format!("exclude = [\"{}\"]\nx = 1\n", "a".repeat(200_000));
        let at = text.find("x = 1").unwrap();
        let e = ConfigError::new(
            Path::new("k.toml"),
            &text,
            vec![(at..at + 1, "here".into())],
            "bad",
            None,
        );
        let (named, _) = e.detail.source.as_ref().unwrap();
        assert!(
            named.snippet.text.len() < 1000,
            "{}",
            named.snippet.text.len()
        );
        assert_eq!(named.name, "k.toml:2:1");
    }
}

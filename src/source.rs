//! Files as read, and the one place where byte spans become lines and columns.
//!
//! Everything inside the pipeline speaks in byte ranges into the text exactly as it was read
//! (byte-order mark included). Renderers convert a span to 1-based line and column once, here;
//! columns count characters, not bytes, so multi-byte text before a span does not shift it.

use std::ops::Range;
use std::path::PathBuf;

/// Index of a file in [`Files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub(crate) u32);

/// How file ids are renumbered while a cached analysis is written or read (see
/// [`crate::cache`]): a crate's results name its files by their place in the crate's own list,
/// not by the run's ids.
pub(crate) mod renumber {
    use std::cell::RefCell;
    use std::collections::HashMap;

    thread_local! {
        static MAP: RefCell<Option<HashMap<u32, u32>>> = const { RefCell::new(None) };
    }

    /// Runs `f` with ids renumbered by `map` (an id missing from it maps to `u32::MAX`).
    pub(crate) fn with<T>(map: HashMap<u32, u32>, f: impl FnOnce() -> T) -> T {
        let previous = MAP.with(|m| m.replace(Some(map)));
        let out = f();
        MAP.with(|m| *m.borrow_mut() = previous);
        out
    }

    pub(super) fn apply(id: u32) -> u32 {
        MAP.with(|m| match &*m.borrow() {
            Some(map) => map.get(&id).copied().unwrap_or(u32::MAX),
            None => id,
        })
    }
}

impl serde::Serialize for FileId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(renumber::apply(self.0))
    }
}

impl<'de> serde::Deserialize<'de> for FileId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = u32::deserialize(d)?;
        match renumber::apply(id) {
            u32::MAX => Err(serde::de::Error::custom(
                "a file id outside the crate's list",
            )),
            id => Ok(FileId(id)),
        }
    }
}

impl FileId {
    /// The id of the same file once its table is appended at `offset` ([`Files::append`]).
    #[must_use]
    pub fn shifted(self, offset: u32) -> FileId {
        FileId(self.0.saturating_add(offset))
    }
}

/// One file the run looked at.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the linted root, with `/` separators (the name users see).
    pub name: String,
    /// Path on disk.
    pub path: PathBuf,
    /// The text as read; empty when the file could not be read.
    pub text: String,
    line_starts: Vec<usize>,
    /// Byte ranges never to print (values of secrets, sorted and disjoint): snippets show
    /// them as `*`.
    masked: Vec<Range<usize>>,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name,
            path,
            text,
            line_starts,
            masked: Vec::new(),
        }
    }

    /// Marks byte ranges as never to be printed.
    pub fn mask(&mut self, ranges: impl IntoIterator<Item = Range<usize>>) {
        self.masked
            .extend(ranges.into_iter().filter(|r| !r.is_empty()));
        self.masked.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(self.masked.len());
        for r in self.masked.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        self.masked = merged;
    }

    /// The ranges never to print, sorted and disjoint.
    pub fn masked(&self) -> &[Range<usize>] {
        &self.masked
    }

    /// Whether any byte of `span` is masked.
    pub fn is_masked(&self, span: &Range<usize>) -> bool {
        let i = self.masked.partition_point(|m| m.end <= span.start);
        self.masked
            .get(i)
            .is_some_and(|m| m.start < span.end.max(span.start + 1))
    }

    /// The 0-based line holding a byte offset (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// How many lines the text has (a final newline starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of a 0-based line, without its line break (`\n` or `\r\n`).
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// 1-based line and character column of a byte offset.
    ///
    /// Offsets past the end clamp to the end and an offset inside a multi-byte character counts
    /// the partial character, so a bad span can never panic a renderer.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let line_start = self.line_starts[line];
        let column = self.text.get(line_start..offset).map_or_else(
            || {
                self.text.as_bytes()[line_start..offset]
                    .iter()
                    .filter(|b| (**b & 0xC0) != 0x80)
                    .count()
            },
            |s| s.chars().count(),
        );
        // Editors and rustc do not show a byte-order mark: columns of line 1 start after it.
        let bom = usize::from(line == 0 && offset >= 3 && self.text.starts_with('\u{feff}'));
        LineCol {
            line: line + 1,
            column: column - bom + 1,
        }
    }

    /// Start and end (exclusive) of a span as lines and columns.
    pub fn span_location(&self, span: &Range<usize>) -> SpanLocation {
        SpanLocation {
            start: self.line_col(span.start),
            end: self.line_col(span.end),
        }
    }
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Where a span starts and where it ends (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanLocation {
    pub start: LineCol,
    pub end: LineCol,
}

/// The table of every file of a run; diagnostics refer to files by [`FileId`].
#[derive(Debug, Default)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(file);
        id
    }

    /// Moves every file of `other` to the end of this table; ids of `other` are shifted by
    /// the returned offset.
    pub fn append(&mut self, other: Files) -> u32 {
        let offset = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.extend(other.files);
        offset
    }

    pub fn get_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id.0 as usize]
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The path relative to the root with `/` separators (the name rules and sorting use); paths
/// outside the root stay as they are.
pub fn display_name(root: &std::path::Path, path: &std::path::Path) -> String {
    let Ok(relative) = path.strip_prefix(root) else {
        return path.to_string_lossy().into_owned();
    };
    let parts: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("f".into(), "f".into(), text.into())
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = file("# café ☕\nKEY=é6000\n");
        let value = f.text.find("6000").unwrap();
        assert_eq!(f.line_col(value), LineCol { line: 2, column: 6 });
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(f.text.len()), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn offsets_out_of_range_or_inside_a_character_do_not_panic() {
        let f = file("é");
        assert_eq!(f.line_col(1), LineCol { line: 1, column: 2 });
        assert_eq!(f.line_col(99), LineCol { line: 1, column: 2 });
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let f = file("\u{feff}KEY=6000\nB=1\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(7), LineCol { line: 1, column: 5 });
        assert_eq!(
            f.line_col(f.text.find('B').unwrap()),
            LineCol { line: 2, column: 1 }
        );
    }

    #[test]
    fn crlf_lines_keep_the_carriage_return_in_the_previous_line() {
        let f = file("A=1\r\nB=2\r\n");
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
    }
}

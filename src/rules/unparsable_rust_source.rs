use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Reports a Rust file that syn cannot parse, at the place it stopped, in a crate that uses
    /// the rdkafka API (or speaks to this tool in a `kafka-lint:` comment). Everything else is
    /// still linted; consumers in this file are not checked. Crates that never mention rdkafka
    /// are not parsed at all, so their syntax errors are not this tool's business; nor are
    /// the files of a crate that uses rdkafka which the analysis does not need (read token by
    /// token, they neither use the rdkafka API nor define or call anything that code using it
    /// reaches), nor the function bodies it does not read (they neither name a config or
    /// client type nor call a function that may build one: they are blanked before parsing,
    /// and the file's consumers are checked), nor the other items of a file it reads only in
    /// part (for a constant, settings struct or `Default` impl that Kafka code uses, or to
    /// tell whether its `from_config` calls create a client: the rest of that file is
    /// blanked). `--no-prefilter` parses all of them.
    ///
    /// ## Why is this bad?
    /// A file the tool cannot parse is a file whose consumers it did not check. Usually the
    /// file does not compile either; sometimes it uses syntax newer than the tool's parser, or
    /// nests deeper than the tool parses: 256 levels of brackets, or 10 000 operators, calls
    /// and keywords chained in one expression (generated code, mostly). The parser recurses
    /// once per level, so such files are refused before parsing instead of overflowing the
    /// stack.
    ///
    /// ## Example
    /// ```rust,ignore
    /// fn main(config: ClientConfig) { let = 1; }
    /// ```
    ///
    /// ## Use instead
    /// ```rust,ignore
    /// fn main(config: ClientConfig) { let x = 1; }
    /// ```
    id: "unparsable-rust-source",
    level: Warn,
    summary: "A Rust file cannot be parsed, so its consumers are not checked",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for failure in &cx.model.parse_failures {
        let message = format!("cannot parse this file: {}", failure.message);
        let label = Label::new(failure.file, failure.span.clone(), "parsing stopped here");
        out.push(
            Diagnostic::new(Rule::UnparsableRustSource, message, label)
                .with_help("the rest of the workspace was linted; consumers in this file were not checked"),
        );
    }
}

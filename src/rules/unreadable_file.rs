use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Reports a file that should be linted but cannot be read: permission denied, a folder
    /// that cannot be listed, or text that is not UTF-8. The run goes on with the other files
    /// and exits with code 2.
    ///
    /// ## Why is this bad?
    /// A file the linter cannot read is a file it did not check; passing silently would claim
    /// otherwise. Kafka clients and dotenvy cannot read a non-UTF-8 env file either
    /// (`dotenvy::dotenv()` fails with an I/O error).
    ///
    /// ## Example
    /// A `.env.test` saved as UTF-16 by an editor, or owned by another user with mode 600.
    ///
    /// ## Use instead
    /// Save env files as UTF-8 and make them readable by whoever runs the linter.
    id: "unreadable-file",
    level: Deny,
    summary: "A file to lint cannot be read (permissions, not UTF-8)",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for unreadable in &cx.model.unreadable {
        let name = &cx.model.files.get(unreadable.file).name;
        let (message, help) = if unreadable.folder {
            (
                format!("cannot list the folder `{name}`: {}", unreadable.reason),
                "make the folder readable; nothing below it was linted",
            )
        } else {
            (
                format!("cannot read `{name}`: {}", unreadable.reason),
                "make the file readable UTF-8 text; it was not linted",
            )
        };
        let label = Label::new(unreadable.file, 0..0, "not read");
        out.push(Diagnostic::new(Rule::UnreadableFile, message, label).with_help(help));
    }
}

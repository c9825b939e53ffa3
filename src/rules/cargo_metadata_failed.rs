use crate::diagnostic::{Diagnostic, Label};
use crate::rules::{Cx, Rule};

declare_rule! {
    /// ## What it does
    /// Reports that `cargo metadata` could not describe the workspace, and that its members
    /// were read from the manifests instead, quoting what cargo said. The lint goes on: the
    /// members (`[workspace] members`, globs and folders outside the root included), `exclude`
    /// and each member's `[package]` and target paths come from the `Cargo.toml` files.
    ///
    /// Cargo fails where a repository pins a toolchain that is not installed, uses a manifest
    /// feature this cargo does not know (`cargo-features`, a newer edition), has a member
    /// manifest that cannot be read, or takes longer than `--metadata-timeout` (a FIFO named
    /// `Cargo.toml` made it wait forever). Cargo runs from the file system root with the
    /// manifest passed by path, so the tree's `rust-toolchain.toml` and `.cargo/config.toml`
    /// never choose what runs.
    ///
    /// ## Why is this bad?
    /// The manifests say what cargo would say in all but unusual cases (members whose names
    /// come from a build of the manifest, for instance); a run that silently linted less than
    /// the workspace would be worse. Fix what cargo reports so that it can describe the
    /// workspace again, or run the tool with the toolchain the repository pins.
    ///
    /// ## Example
    /// ```toml
    /// cargo-features = ["a-feature-of-a-newer-cargo"]
    ///
    /// [workspace]
    /// members = ["services/*"]
    /// ```
    ///
    /// ## Use instead
    /// ```toml
    /// [workspace]
    /// members = ["services/*"]
    /// ```
    id: "cargo-metadata-failed",
    level: Warn,
    summary: "`cargo metadata` failed, so workspace members were read from the manifests",
}

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for failure in &cx.model.workspace_failures {
        let text = &cx.model.files.get(failure.file).text;
        let first = text.chars().next().map_or(0, char::len_utf8);
        let label = Label::new(failure.file, 0..first, "workspace read from its manifests");
        out.push(
            Diagnostic::new(
                Rule::CargoMetadataFailed,
                "`cargo metadata` failed: the workspace members were read from the manifests",
                label,
            )
            .with_help(format!(
                "cargo said: {}\nthe lint went on with the members the manifests list",
                failure.cargo_said.trim()
            )),
        );
    }
}

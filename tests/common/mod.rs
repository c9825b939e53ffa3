//! Helpers shared by the integration tests.

use std::path::Path;

/// A temporary folder outside any Cargo project, with the given files.
pub(crate) fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        dir.path()
            .ancestors()
            .all(|a| !a.join("Cargo.toml").exists()),
        "temp dir inside a Cargo project"
    );
    for (name, content) in files {
        write(dir.path(), name, content);
    }
    dir
}

/// Writes `content` to `root/name`, creating folders.
fn write(root: &Path, name: &str, content: &[u8]) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

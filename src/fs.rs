//! The one way this tool reads a file: never through a symbolic link (a link in the tree can
//! point anywhere, `/proc/self/environ` included), never anything but a regular file (a FIFO
//! would block the run forever), and never more than a limit (a 40 MB "configuration" is a
//! mistake, not something to load).
//!
//! On Unix the file is opened with `O_NOFOLLOW | O_NONBLOCK` and checked after opening, so a
//! link or FIFO swapped in after the walk looked at the path is refused as well.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// Largest configuration file (`kafka-lint.toml`, a `Cargo.toml`) read.
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// Largest env or source file read.
pub const MAX_SOURCE_BYTES: u64 = 256 << 20;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The path is a symbolic link.
    Symlink,
    /// A FIFO, socket, device or folder.
    NotRegular,
    /// Larger than the limit (the size in bytes).
    TooLarge { size: u64, limit: u64 },
    /// What the operating system said.
    Io(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Symlink => f.write_str("it is a symbolic link, and links are not followed"),
            ReadError::NotRegular => f.write_str("it is not a regular file"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "it is {}, more than the {} this tool reads",
                human_bytes(*size),
                human_bytes(*limit)
            ),
            ReadError::Io(message) => f.write_str(message),
        }
    }
}

/// `4 MiB`, `40.0 MiB`, `512 bytes`.
fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        #[allow(clippy::cast_precision_loss)] // One decimal of a size for a message.
        let mib = n as f64 / MIB as f64;
        format!("{mib:.1} MiB")
    } else {
        format!("{n} bytes")
    }
}

/// Reads a regular file that is not a symbolic link, up to `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path)?;
    let metadata = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may grow while it is read: never take more than the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Reads a file as UTF-8 text (see [`read`]); the error says why it cannot.
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read(path, limit).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Why an output file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The path is a symbolic link (writing would go wherever it points).
    Symlink,
    /// A folder, FIFO or device.
    NotRegular,
    Io(std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Symlink => {
                f.write_str("it is a symbolic link, and links are not written through")
            }
            WriteError::NotRegular => f.write_str("it is not a regular file"),
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so that
/// a reader never sees half a report and a failure leaves the old file as it was. An existing
/// file keeps its permissions; a link or a non-regular file is refused.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    use std::io::Write as _;
    let existing = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink),
        Ok(m) if !m.is_file() => return Err(WriteError::NotRegular),
        Ok(m) => Some(m.permissions()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(WriteError::Io(e)),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        if let Some(permissions) = &existing {
            file.set_permissions(permissions.clone())?;
        }
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(WriteError::Io)
}

#[cfg(unix)]
fn open(path: &Path) -> Result<std::fs::File, ReadError> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => Ok(std::fs::File::from(fd)),
        // `O_NOFOLLOW` on a link fails with ELOOP (EMLINK on some BSDs).
        Err(rustix::io::Errno::LOOP | rustix::io::Errno::MLINK)
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) =>
        {
            Err(ReadError::Symlink)
        }
        Err(e) => Err(ReadError::Io(std::io::Error::from(e).to_string())),
    }
}

#[cfg(not(unix))]
fn open(path: &Path) -> Result<std::fs::File, ReadError> {
    let metadata = std::fs::symlink_metadata(path).map_err(|e| ReadError::Io(e.to_string()))?;
    if metadata.file_type().is_symlink() {
        return Err(ReadError::Symlink);
    }
    if !metadata.is_file() {
        return Err(ReadError::NotRegular);
    }
    std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_fifos_and_large_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, b"x = 1\n").unwrap();
        assert_eq!(read(&file, 100).unwrap(), b"x = 1\n");
        assert_eq!(
            read(&file, 3),
            Err(ReadError::TooLarge { size: 6, limit: 3 })
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("link.toml");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(read(&link, 100), Err(ReadError::Symlink));
            let fifo = dir.path().join("fifo.toml");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                // Opening a FIFO for reading would block without O_NONBLOCK.
                assert_eq!(read(&fifo, 100), Err(ReadError::NotRegular));
            }
        }
        assert_eq!(read(dir.path(), 100), Err(ReadError::NotRegular));
        assert!(matches!(
            read(&dir.path().join("none"), 100),
            Err(ReadError::Io(_))
        ));
    }

    #[test]
    fn writes_replace_files_keep_modes_and_refuse_links() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report.json");
        write_atomically(&out, b"one").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
            write_atomically(&out, b"two").unwrap();
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&out, &link).unwrap();
            assert!(matches!(
                write_atomically(&link, b"x"),
                Err(WriteError::Symlink)
            ));
        }
        assert_eq!(std::fs::read(&out).unwrap(), b"two");
        assert!(matches!(
            write_atomically(dir.path(), b"x"),
            Err(WriteError::NotRegular)
        ));
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(
            names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")),
            "{names:?}"
        );
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(4 << 20), "4 MiB");
        assert_eq!(human_bytes(40 * 1_000_000), "38.1 MiB");
        assert_eq!(human_bytes(12), "12 bytes");
    }
}

//! Running `cargo metadata` so that the linted tree cannot choose what runs, and so that it
//! can never block the lint.
//!
//! - The program is `$CARGO` when set (cargo sets it for its subcommands: the cargo the user
//!   ran), else `cargo` from the `PATH`.
//! - It runs in the root folder of the file system, not in the tree: rustup's proxy picks the
//!   toolchain from a `rust-toolchain.toml` in the current folder or above it (its `path = ..`
//!   key executes a binary from the tree), and cargo reads `.cargo/config.toml` from there
//!   (`build.rustc`, `build.rustc-wrapper`). The manifest is passed by absolute path.
//! - `--no-deps --offline`: no dependency resolution, no network. `CARGO_TERM_COLOR` is
//!   removed, so a value this cargo does not know cannot make it fail.
//! - It is stopped (with the processes it started) after a time limit; a FIFO named
//!   `Cargo.toml` made it wait forever.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The default time limit of `cargo metadata`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs `cargo metadata --no-deps` for `manifest` (absolute); the error is what went wrong, in
/// words fit for the note that says membership came from the manifests instead.
pub(crate) fn metadata(
    manifest: &Path,
    timeout: Duration,
) -> Result<cargo_metadata::Metadata, String> {
    let mut command = cargo_metadata::MetadataCommand::new()
        .manifest_path(manifest)
        .no_deps()
        .other_options(vec![
            "--offline".to_owned(),
            "--color".to_owned(),
            "never".to_owned(),
        ])
        .cargo_command();
    command
        .current_dir(neutral_folder(manifest))
        .env_remove("CARGO_TERM_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.spawn().map_err(|e| {
        let from = if std::env::var_os("CARGO").is_some() {
            " (from $CARGO)"
        } else {
            " (from the PATH)"
        };
        format!(
            "could not run `{program}`{from}: {e}\n(install Rust with rustup, or set CARGO to \
             the path of a cargo binary)"
        )
    })?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                stop(&mut child);
                return Err(format!(
                    "`cargo metadata` did not finish within {} s and was stopped (a manifest \
                     that is a FIFO, or a toolchain being downloaded, can make it wait; \
                     `--metadata-timeout` sets the limit)",
                    timeout.as_secs()
                ));
            }
            // `cargo metadata --no-deps` takes some 30 ms: a finer poll answers sooner.
            Ok(None) => std::thread::sleep(Duration::from_millis(1)),
            Err(e) => return Err(format!("waiting for `cargo metadata` failed: {e}")),
        }
    };
    // The pipes close when cargo exits; a process it left behind could keep them open, so
    // the output is awaited only until the deadline.
    let remaining = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(1));
    let err_text = stderr.recv_timeout(remaining).unwrap_or_default();
    if !status.success() {
        let said = String::from_utf8_lossy(&err_text).trim().to_owned();
        return Err(if said.is_empty() {
            format!("`cargo metadata` failed ({status}) without saying why")
        } else {
            said
        });
    }
    let out_text = stdout.recv_timeout(remaining).unwrap_or_default();
    let text = String::from_utf8_lossy(&out_text);
    let json = text
        .lines()
        .find(|line| line.starts_with('{'))
        .ok_or_else(|| "`cargo metadata` printed no JSON".to_owned())?;
    cargo_metadata::MetadataCommand::parse(json)
        .map_err(|e| format!("the output of `cargo metadata` could not be read: {e}"))
}

/// Reads a pipe to its end on a thread of its own; the bytes arrive on the channel.
fn drain(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (send, receive) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            let _ = send.send(bytes);
        });
    }
    receive
}

/// Stops cargo and every process it started (they share its process group).
fn stop(child: &mut Child) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(child.id())
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The root of the file system the manifest is on: a folder the tree cannot put a
/// `rust-toolchain.toml` or `.cargo/config.toml` into.
fn neutral_folder(manifest: &Path) -> &Path {
    manifest.ancestors().last().unwrap_or(Path::new("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_neutral_folder_is_the_file_system_root() {
        assert_eq!(neutral_folder(Path::new("/a/b/Cargo.toml")), Path::new("/"));
    }
}

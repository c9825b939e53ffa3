//! Panics in the analysis of one crate become `internal-error` diagnostics instead of ending
//! the run. The binary installs [`install_panic_hook`] so that a caught panic prints nothing;
//! a panic anywhere else still prints as usual.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// Whether this thread runs inside [`catch`].
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// The message and place of the last panic caught on this thread.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps panics inside [`catch`] quiet (they are reported as diagnostics) and leaves every
/// other panic to the previous hook.
pub fn install_panic_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if GUARDED.with(Cell::get) {
            let message = match info.location() {
                Some(at) => format!(
                    "{} (at {}:{})",
                    payload_text(info.payload()),
                    at.file(),
                    at.line()
                ),
                None => payload_text(info.payload()),
            };
            LAST.with(|last| *last.borrow_mut() = Some(message));
        } else {
            previous(info);
        }
    }));
}

/// Runs `f`, turning a panic into its message (with the source location when the hook of
/// [`install_panic_hook`] is installed).
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = GUARDED.with(|g| g.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    result.map_err(|payload| {
        LAST.with(|last| last.borrow_mut().take())
            .unwrap_or_else(|| payload_text(payload.as_ref()))
    })
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        install_panic_hook();
        let caught = catch(|| -> u8 { panic!("boom {}", 1) });
        let message = caught.unwrap_err();
        assert!(message.starts_with("boom 1 (at src/guard.rs:"), "{message}");
        assert_eq!(catch(|| 7), Ok(7));
    }
}

//! Interruption: a request to stop (Ctrl-C) that the passes honour between batches.
//!
//! Takes a request from the binary's signal handler ([`request`]); gives [`check`], which the
//! passes call between batches and which turns a pending request into [`Error::Interrupted`].
//! The library installs no handler itself (a library must not take over a process's signals);
//! `bodo`'s `main` does.
//!
//! Guarantees: once requested, every later [`check`] fails, so a run stops at its next batch and
//! writes nothing into `--out` (see `run`'s staging directory).

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Asks the running job to stop at its next check.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Forgets a request, before a new run in the same process (the Python bindings run one job
/// after another; the CLI runs one and exits).
pub fn clear() {
    REQUESTED.store(false, Ordering::SeqCst);
}

/// Whether a stop was requested.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// `Err(Error::Interrupted)` once a stop was requested.
pub fn check() -> Result<()> {
    if requested() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

//! Progress bars on stderr for the long stages.
//!
//! Drawn only when asked for and stderr is a terminal (indicatif hides itself otherwise), so
//! logs and CI output stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Makes progress bars, or hidden ones when progress is off.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    enabled: bool,
}

impl Progress {
    pub fn new(enabled: bool) -> Self {
        Progress { enabled }
    }

    fn target(&self) -> ProgressDrawTarget {
        if self.enabled {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        }
    }

    /// A counter for work of unknown size.
    pub fn spinner(&self, message: &'static str) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(None, self.target());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}: {human_pos} records [{elapsed}]")
                .expect("static template"),
        );
        bar.set_message(message);
        bar
    }

    /// A bar over `len` items.
    pub fn bar(&self, len: u64, message: &'static str) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(Some(len), self.target());
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>10} [{bar:40}] {human_pos}/{human_len} articles ({per_sec}, {eta} left)",
            )
            .expect("static template")
            .progress_chars("=> "),
        );
        bar.set_message(message);
        bar
    }
}

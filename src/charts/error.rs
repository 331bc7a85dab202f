//! The one error type of the chart module. Every variant names the file it is about (a font, a
//! table, a chart being written), so `bodo charts` can print it as it is and the user knows what
//! to fix; nothing in the module panics on bad input.

use std::path::PathBuf;

/// What went wrong while loading a font, reading a table or writing a chart.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The `--font` file could not be read at all.
    #[error("{}: cannot read font: {source}", path.display())]
    FontRead {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file was read but is no usable font: not TrueType/OpenType, or without Hangul.
    #[error("{}: not a usable font: {reason}", path.display())]
    FontInvalid { path: PathBuf, reason: String },
    /// plotters refused the font bytes (its own error carries no message).
    #[error("font {family}: the chart renderer could not register it")]
    FontRegister { family: String },
    /// The reports directory given is not a directory.
    #[error("{}: not a directory of bodo tables", path.display())]
    NoReports { path: PathBuf },
    /// A table exists but cannot be read or parsed; the csv error gives record and line.
    #[error("{}: {source}", path.display())]
    Table { path: PathBuf, source: csv::Error },
    /// Creating the charts directory or writing a chart file failed.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// plotters failed while drawing (a font glyph, a backend error).
    #[error("{}: drawing failed: {message}", path.display())]
    Draw { path: PathBuf, message: String },
}

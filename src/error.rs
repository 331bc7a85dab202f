//! Errors that stop a run (as opposed to bad records, which are rejected and counted).
//!
//! Every variant says where: the path, and the line or record when there is one. Bad records
//! never become an [`Error`]; they become [`crate::record::Rejection`]s.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // The message already holds the I/O error, so it is not also the error's `source` (a field
    // of that name would be): `{:#}` would print it twice.
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: {message}")]
    Input { path: PathBuf, message: String },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("dictionary: {0}")]
    Dictionary(String),
    #[error("{what}: {message}")]
    Output { what: PathBuf, message: String },
    #[error("invalid option: {0}")]
    Config(String),
    #[error(transparent)]
    Chart(#[from] crate::charts::ChartError),
    /// Ctrl-C: the run stopped before writing anything into the output directory.
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

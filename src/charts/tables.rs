//! The tables the charts are drawn from, as typed rows. Takes the CSVs a bodo run wrote (UTF-8,
//! header row, a byte-order mark with `--excel`); gives one `Vec` of rows per table, or `None` when
//! the file is absent.
//!
//! Columns are matched by header name and only the ones the charts use are read, so a table with
//! more columns (or from a bodo version that added some) still parses; a missing required column
//! or a malformed value is an error naming the file, the record and the line.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::charts::error::ChartError;

/// One day of `timeline.csv` (one row per day from the first to the last, zero days included).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TimelineRow {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub articles: u64,
    pub stories: u64,
    #[serde(default)]
    pub outlets: u64,
    #[serde(default)]
    pub off_topic: u64,
}

/// One keyword of `keywords.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct KeywordRow {
    pub keyword: String,
    /// `PER`/`ORG`/`LOC`/`TERM`, or the ko-dic tags of a noun (`NNG+NNG`).
    #[serde(default)]
    pub kind: String,
    /// Stories containing the keyword.
    pub df: u64,
    /// Articles containing it, copies included.
    #[serde(default)]
    pub articles: u64,
}

/// One entity of `entities.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EntityRow {
    pub entity: String,
    /// `PER`, `ORG`, `LOC` or `DATE`.
    #[serde(rename = "type")]
    pub kind: String,
    pub mentions: u64,
    #[serde(default)]
    pub articles: u64,
    pub stories: u64,
}

/// One outlet of `outlets.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OutletRow {
    pub outlet: String,
    pub articles: u64,
    pub stories: u64,
    /// Stories this outlet printed first.
    #[serde(default)]
    pub originated: u64,
}

/// One story of `clusters.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ClusterRow {
    pub cluster_id: u64,
    /// Articles in the story.
    pub size: u64,
    /// The representative article's title.
    pub title: String,
    pub n_outlets: u64,
    #[serde(default)]
    pub off_topic: bool,
}

/// One (day, keyword) row of `keywords_by_day.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct KeywordDayRow {
    pub date: String,
    pub keyword: String,
    /// That day's stories containing the keyword.
    pub df: u64,
}

/// One pair of `cooccurrence.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EdgeRow {
    pub term_a: String,
    pub term_b: String,
    /// Stories containing both terms.
    pub stories: u64,
    /// Normalised PMI over stories, −1..1.
    pub npmi: f64,
}

/// The first `k` rows of a table in `order`, streamed so that only `k` rows are held (after a
/// million articles `clusters.csv` has half a million rows), or `None` if the file does not
/// exist. csv-core strips a leading UTF-8 byte-order mark (written by `--excel`), so the first
/// header is matched as written.
pub fn read_top<T: DeserializeOwned>(
    path: &Path,
    k: usize,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Result<Option<Vec<T>>, ChartError> {
    if !path.exists() {
        return Ok(None);
    }
    let table_error = |source| ChartError::Table {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = csv::Reader::from_path(path).map_err(table_error)?;
    let mut top: Vec<T> = Vec::with_capacity(k.saturating_add(1).min(1024));
    for row in reader.deserialize() {
        let row: T = row.map_err(table_error)?;
        // After the rows it does not precede: ties keep file order.
        let at = top.partition_point(|kept| order(kept, &row) != std::cmp::Ordering::Greater);
        if at < k {
            top.insert(at, row);
            top.truncate(k);
        }
    }
    Ok(Some(top))
}

/// Every row of a table, in file order (see [`read_top`] for a table that may be long).
pub fn read_table<T: DeserializeOwned>(path: &Path) -> Result<Option<Vec<T>>, ChartError> {
    // No row precedes another, so each goes last.
    read_top(path, usize::MAX, |_, _| std::cmp::Ordering::Equal)
}

//! `bodo charts REPORTS_DIR`: every chart redrawn from the CSV tables a bodo run wrote, so a chart
//! is a function of a table and can be redrawn without re-analysing. Takes the reports directory,
//! a [`Font`] and the [`Binning`] of the charts over time (`--bin`); gives
//! `REPORTS_DIR/charts/NAME.png` and `NAME.svg` for each chart the tables allow, and a one-line
//! reason for each one skipped (its table is missing or has no rows, e.g. an input without dates
//! has no timeline).
//!
//! | chart | from | shows |
//! |---|---|---|
//! | `timeline` | timeline.csv | articles and stories per day, week, month or year |
//! | `keywords` | keywords.csv | top 20 keywords by stories (df) |
//! | `entities_per`, `_org`, `_loc` | entities.csv | top 15 people, organisations, places |
//! | `outlets` | outlets.csv | articles and stories of the top 20 outlets |
//! | `clusters` | clusters.csv | the 15 largest stories: articles and outlets |
//! | `keyword_heatmap` | keywords.csv, keywords_by_day.csv | top 15 keywords × day, week, month or year |
//! | `network` | keywords.csv, cooccurrence.csv | co-occurrence network of the top terms |
//!
//! Guarantees: Hangul renders from the embedded NanumGothic (or `--font`) whatever fonts the
//! machine has; the same tables give byte-identical PNG and SVG files; each chart has its own
//! public function taking typed rows, so it can be drawn and tested alone; nothing panics on bad
//! tables — errors name the file. A skipped chart's old files are removed, so the directory
//! never mixes charts from two runs.
//!
//! Fonts: PNG text is rasterised in `glyphs.rs` from the [`Font`]'s own glyphs, and plotters
//! measures text (label areas) with the same font, registered under a private key through its
//! `ab_glyph` feature. plotters' `ttf` feature must stay off in the whole dependency tree: with it
//! plotters measures with system fonts and ignores `register_font` (a test catches that). SVG
//! text is drawn by the viewer, so the SVGs name a Korean font-family stack instead.

mod bars;
mod error;
mod font;
mod glyphs;
mod heatmap;
mod layout;
mod network;
mod render;
mod tables;
mod timeline;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::bins::Binning;

pub use bars::{
    clusters, entities_loc, entities_org, entities_per, keywords, largest_first, outlets,
    TITLE_CHARS, TOP_CLUSTERS, TOP_ENTITIES, TOP_KEYWORDS, TOP_OUTLETS,
};
pub use error::ChartError;
pub use font::Font;
pub use heatmap::{keyword_heatmap, HEATMAP_KEYWORDS};
pub use network::{network, NETWORK_NODES};
pub use tables::{
    read_table, read_top, ClusterRow, EdgeRow, EntityRow, KeywordDayRow, KeywordRow, OutletRow,
    TimelineRow,
};
pub use timeline::timeline;

/// The charts in drawing (and report) order.
pub const CHART_NAMES: [&str; 9] = [
    "timeline",
    "keywords",
    "entities_per",
    "entities_org",
    "entities_loc",
    "outlets",
    "clusters",
    "keyword_heatmap",
    "network",
];

/// A chart drawn: its files and what to say about it in a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub name: &'static str,
    pub title: String,
    /// One sentence telling a reader how to read the chart, with its main fact.
    pub reading: String,
    pub png: PathBuf,
    pub svg: PathBuf,
}

/// What a chart function did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Drawn(Chart),
    /// Not drawn, and why (one line, naming the table).
    Skipped(String),
}

/// A chart not drawn: its name and the one-line reason.
pub type Skipped = (&'static str, String);

/// Draws every chart the tables in `reports` allow into `reports/charts/`, the timeline and the
/// heatmap binned by `bin`. Returns the charts drawn and the ones skipped (name, one-line
/// reason), both in [`CHART_NAMES`] order.
pub fn draw_all(
    reports: &Path,
    font: &Font,
    bin: Binning,
) -> Result<(Vec<Chart>, Vec<Skipped>), ChartError> {
    if !reports.is_dir() {
        return Err(ChartError::NoReports {
            path: reports.to_path_buf(),
        });
    }
    let dir = reports.join("charts");
    std::fs::create_dir_all(&dir).map_err(|source| ChartError::Write {
        path: dir.clone(),
        source,
    })?;
    let table = |name: &str| reports.join(name);
    let missing =
        |name: &str| Outcome::Skipped(format!("{name} not found in {}", reports.display()));

    let mut outcomes: Vec<(&'static str, Outcome)> = Vec::new();
    let timeline_rows = read_table::<TimelineRow>(&table("timeline.csv"))?;
    outcomes.push((
        "timeline",
        match &timeline_rows {
            Some(rows) => timeline(rows, bin, &dir, font)?,
            None => missing("timeline.csv"),
        },
    ));
    let keyword_rows = read_table::<KeywordRow>(&table("keywords.csv"))?;
    outcomes.push((
        "keywords",
        match &keyword_rows {
            Some(rows) => keywords(rows, &dir, font)?,
            None => missing("keywords.csv"),
        },
    ));
    let entity_rows = read_table::<EntityRow>(&table("entities.csv"))?;
    type EntityChart = fn(&[EntityRow], &Path, &Font) -> Result<Outcome, ChartError>;
    let entity_charts: [(&'static str, EntityChart); 3] = [
        ("entities_per", entities_per),
        ("entities_org", entities_org),
        ("entities_loc", entities_loc),
    ];
    for (name, draw) in entity_charts {
        outcomes.push((
            name,
            match &entity_rows {
                Some(rows) => draw(rows, &dir, font)?,
                None => missing("entities.csv"),
            },
        ));
    }
    let outlet_rows = read_table::<OutletRow>(&table("outlets.csv"))?;
    outcomes.push((
        "outlets",
        match &outlet_rows {
            Some(rows) => outlets(rows, &dir, font)?,
            None => missing("outlets.csv"),
        },
    ));
    let cluster_rows = read_top(&table("clusters.csv"), TOP_CLUSTERS, largest_first)?;
    outcomes.push((
        "clusters",
        match &cluster_rows {
            Some(rows) => clusters(rows, &dir, font)?,
            None => missing("clusters.csv"),
        },
    ));
    let by_day = read_table::<KeywordDayRow>(&table("keywords_by_day.csv"))?;
    outcomes.push((
        "keyword_heatmap",
        match (&keyword_rows, &by_day) {
            (Some(keywords), Some(by_day)) => keyword_heatmap(keywords, by_day, bin, &dir, font)?,
            (None, _) => missing("keywords.csv"),
            (_, None) => missing("keywords_by_day.csv"),
        },
    ));
    let edges = read_table::<EdgeRow>(&table("cooccurrence.csv"))?;
    outcomes.push((
        "network",
        match (&keyword_rows, &edges) {
            (Some(keywords), Some(edges)) => network(keywords, edges, &dir, font)?,
            (None, _) => missing("keywords.csv"),
            (_, None) => missing("cooccurrence.csv"),
        },
    ));

    let mut drawn = Vec::new();
    let mut skipped = Vec::new();
    for (name, outcome) in outcomes {
        match outcome {
            Outcome::Drawn(chart) => drawn.push(chart),
            Outcome::Skipped(reason) => {
                remove_stale(&dir, name)?;
                skipped.push((name, reason));
            }
        }
    }
    Ok((drawn, skipped))
}

/// Removes a skipped chart's files left by an earlier run.
fn remove_stale(dir: &Path, name: &str) -> Result<(), ChartError> {
    for ext in ["png", "svg"] {
        let path = dir.join(format!("{name}.{ext}"));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(ChartError::Write { path, source }),
        }
    }
    Ok(())
}

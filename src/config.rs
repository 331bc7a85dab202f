//! Config: everything a run needs, validated once before any work starts.
//!
//! Takes values from the command line (or a test); gives a [`Config`] whose fields every stage can
//! trust. The library never sees clap: `main.rs` builds this.

use std::path::PathBuf;

use crate::aggregate::AggregateConfig;
use crate::bins::Binning;
use crate::dedup::DedupConfig;
use crate::error::{Error, Result};
use crate::ingest::IngestOptions;
use crate::relevance::Threshold;

/// A `bodo run`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Files, directories, or `-` for stdin.
    pub inputs: Vec<PathBuf>,
    /// Output directory for tables and the manifest (created if missing).
    pub out: PathBuf,
    pub ingest: IngestOptions,
    pub dedup: DedupConfig,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Write CSVs with a UTF-8 byte-order mark, for Excel.
    pub excel: bool,
    /// Also write every table as Parquet.
    pub parquet: bool,
    /// Extra stopword files, on top of the shipped list.
    pub stopword_files: Vec<PathBuf>,
    /// Keywords shorter than this many characters are dropped.
    pub min_keyword_chars: usize,
    /// Gazetteer files on top of the shipped `data/gazetteer-ko.csv` (same format).
    pub user_dicts: Vec<PathBuf>,
    /// Place entity spans with the trained KLUE tagger (`data/ner-klue.bin`, the default);
    /// `false`: the rules alone.
    pub entity_tagger: bool,
    /// Score relevance against this query instead of the dump's own centroid.
    pub topic: Option<String>,
    pub threshold: Threshold,
    pub aggregate: AggregateConfig,
    /// Write into `out` even when it holds files that are not a previous bodo report.
    pub force: bool,
    /// Draw the charts and write report.html.
    pub charts: bool,
    /// The font for charts and report instead of the embedded NanumGothic.
    pub font: Option<PathBuf>,
    /// The unit the timeline and keyword heatmap are drawn in, and `timeline_binned.csv`'s
    /// (`auto`: chosen from the date range, see [`crate::bins`]).
    pub bin: Binning,
    /// Articles per batch: the unit of parallel work and of memory held at once.
    pub batch_size: usize,
    /// Show progress bars on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
    /// The command line, recorded in the manifest.
    pub command_line: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            inputs: Vec::new(),
            out: PathBuf::from("reports"),
            ingest: IngestOptions::default(),
            dedup: DedupConfig::default(),
            threads: 0,
            excel: false,
            parquet: false,
            stopword_files: Vec::new(),
            min_keyword_chars: 2,
            user_dicts: Vec::new(),
            entity_tagger: true,
            topic: None,
            threshold: Threshold::default(),
            aggregate: AggregateConfig::default(),
            force: false,
            charts: true,
            font: None,
            bin: Binning::Auto,
            batch_size: 2048,
            progress: false,
            command_line: Vec::new(),
        }
    }
}

impl Config {
    /// Checks what can be checked before reading any input.
    pub fn validate(&self) -> Result<()> {
        if self.inputs.is_empty() {
            return Err(Error::Config(
                "no input: give files, directories or - for stdin".into(),
            ));
        }
        self.dedup.validate()?;
        if self.batch_size == 0 {
            return Err(Error::Config("--batch-size must be at least 1".into()));
        }
        if self.min_keyword_chars == 0 {
            return Err(Error::Config(
                "--min-keyword-chars must be at least 1".into(),
            ));
        }
        for (flag, files) in [
            ("--stopwords", &self.stopword_files),
            ("--user-dict", &self.user_dicts),
        ] {
            if let Some(file) = files.iter().find(|f| !f.is_file()) {
                return Err(Error::Config(format!(
                    "{flag} {}: no such file",
                    file.display()
                )));
            }
        }
        if !(0.0..=1.0).contains(&self.threshold.ratio) {
            return Err(Error::Config(format!(
                "--off-topic-ratio must be between 0 and 1, got {}",
                self.threshold.ratio
            )));
        }
        if self.topic.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(Error::Config("--topic is empty".into()));
        }
        Ok(())
    }

    /// The number of worker threads this run uses.
    pub fn thread_count(&self) -> usize {
        if self.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.threads
        }
    }
}

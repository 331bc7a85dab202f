//! Config: everything a run needs, validated once before any work starts.
//!
//! Takes values from the command line, the Python bindings' keyword arguments (both as
//! [`RunOptions`]) or a test; gives a [`Config`] whose fields every stage can trust. The library
//! never sees clap: `main.rs` fills [`RunOptions`] from its arguments.

use std::path::PathBuf;

use crate::aggregate::AggregateConfig;
use crate::bins::Binning;
use crate::dedup::DedupConfig;
use crate::error::{Error, Result};
use crate::ingest::{Format, IngestOptions};
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
        self.validate_options()
    }

    /// [`Config::validate`] but for the inputs: the options of a driver that read them itself
    /// (the Python bindings' `bodo.arrow.write`).
    pub fn validate_options(&self) -> Result<()> {
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

    /// The options the analysers are built from.
    pub fn analysis(&self) -> crate::analyse::AnalysisConfig {
        crate::analyse::AnalysisConfig {
            stopword_files: self.stopword_files.clone(),
            min_keyword_chars: self.min_keyword_chars,
            user_dicts: self.user_dicts.clone(),
            entity_tagger: self.entity_tagger,
        }
    }

    /// How the tables are written (`--excel`, `--parquet`).
    pub fn table_format(&self) -> crate::tables::TableFormat {
        crate::tables::TableFormat {
            excel: self.excel,
            parquet: self.parquet,
        }
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

/// The options of `bodo run`, flat and named as its flags (`--no-dedup` is `no_dedup`): the one
/// place their defaults and meaning live. The CLI fills it from its arguments (clap's defaults
/// are read from [`RunOptions::default`]), the Python bindings from `bodo.run`'s keyword
/// arguments (deserialised, unknown names refused); [`RunOptions::config`] makes the [`Config`].
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunOptions {
    /// Read every input as this format: page, jsonl, csv, tsv or xlsx.
    #[serde(deserialize_with = "parsed_option")]
    pub format: Option<Format>,
    /// utf-8 or cp949 (= euc-kr) instead of detecting the encoding.
    pub encoding: Option<String>,
    pub threads: usize,
    pub excel: bool,
    pub parquet: bool,
    pub keep_bigkinds_excluded: bool,
    pub force: bool,
    /// Extra stopword files.
    pub stopwords: Vec<PathBuf>,
    pub min_keyword_chars: usize,
    pub batch_size: usize,
    pub no_dedup: bool,
    pub no_learned_boilerplate: bool,
    pub dedup_threshold: f64,
    pub shingle_size: usize,
    /// Extra gazetteer files.
    pub user_dict: Vec<PathBuf>,
    pub entity_rules: bool,
    pub topic: Option<String>,
    pub off_topic_ratio: f64,
    pub keep_off_topic: bool,
    pub keywords_per_group: usize,
    pub cooccurrence_terms: usize,
    pub cooccurrence_min: u64,
    pub font: Option<PathBuf>,
    #[serde(deserialize_with = "parsed")]
    pub bin: Binning,
    pub no_charts: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        let config = Config::default();
        RunOptions {
            format: None,
            encoding: None,
            threads: config.threads,
            excel: config.excel,
            parquet: config.parquet,
            keep_bigkinds_excluded: config.ingest.keep_excluded,
            force: config.force,
            stopwords: Vec::new(),
            min_keyword_chars: config.min_keyword_chars,
            batch_size: config.batch_size,
            no_dedup: !config.dedup.enabled,
            no_learned_boilerplate: !config.dedup.learn,
            dedup_threshold: config.dedup.threshold,
            shingle_size: config.dedup.shingle,
            user_dict: Vec::new(),
            entity_rules: !config.entity_tagger,
            topic: None,
            off_topic_ratio: config.threshold.ratio,
            keep_off_topic: config.aggregate.keep_off_topic,
            keywords_per_group: config.aggregate.keywords_per_group,
            cooccurrence_terms: config.aggregate.cooccurrence_terms,
            cooccurrence_min: config.aggregate.cooccurrence_min_stories,
            font: None,
            bin: config.bin,
            no_charts: !config.charts,
        }
    }
}

impl RunOptions {
    /// The run of `inputs` into `out` with these options (not yet validated: [`crate::run`]
    /// does that); fails only on an unknown encoding name.
    pub fn config(self, inputs: Vec<PathBuf>, out: PathBuf) -> Result<Config> {
        let encoding = self
            .encoding
            .as_deref()
            .map(crate::ingest::parse_encoding)
            .transpose()?;
        Ok(Config {
            inputs,
            out,
            ingest: IngestOptions {
                format: self.format,
                encoding,
                keep_excluded: self.keep_bigkinds_excluded,
            },
            dedup: DedupConfig {
                enabled: !self.no_dedup,
                learn: !self.no_learned_boilerplate,
                shingle: self.shingle_size,
                threshold: self.dedup_threshold,
                ..DedupConfig::default()
            },
            threads: self.threads,
            excel: self.excel,
            parquet: self.parquet,
            stopword_files: self.stopwords,
            min_keyword_chars: self.min_keyword_chars,
            user_dicts: self.user_dict,
            entity_tagger: !self.entity_rules,
            topic: self.topic,
            threshold: Threshold {
                ratio: self.off_topic_ratio,
            },
            aggregate: AggregateConfig {
                keep_off_topic: self.keep_off_topic,
                keywords_per_group: self.keywords_per_group,
                cooccurrence_terms: self.cooccurrence_terms,
                cooccurrence_min_stories: self.cooccurrence_min,
            },
            batch_size: self.batch_size,
            force: self.force,
            charts: !self.no_charts,
            font: self.font,
            bin: self.bin,
            ..Config::default()
        })
    }
}

/// A value given as text and parsed by its `FromStr` (`"week"` for a [`Binning`]).
fn parsed<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text = <String as serde::Deserialize>::deserialize(d)?;
    text.parse().map_err(serde::de::Error::custom)
}

/// [`parsed`], or `None` for a missing value (`null`).
fn parsed_option<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text = <Option<String> as serde::Deserialize>::deserialize(d)?;
    text.map(|t| t.parse().map_err(serde::de::Error::custom))
        .transpose()
}

//! Manifest: what a run read, how it counted, and how long each stage took.
//!
//! Takes the run's inputs, options and counts; gives `manifest.json`. Guarantees: `counts.read ==
//! counts.analysed + counts.duplicate + counts.rejected` (checked before writing); everything that
//! varies between identical runs (wall times, thread count) sits under `run`, so the rest of the
//! manifest is as reproducible as the tables.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ingest::InputFile;

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub bodo_version: &'static str,
    pub command_line: Vec<String>,
    pub options: Options,
    pub dictionary: &'static str,
    pub inputs: Vec<InputFile>,
    pub counts: Counts,
    pub stories: StoryCounts,
    pub relevance: RelevanceCounts,
    pub entities: EntityCounts,
    pub bigkinds: BigKindsCounts,
    pub charts: ChartList,
    pub outputs: Vec<String>,
    pub run: RunInfo,
}

#[derive(Debug, Clone, Serialize)]
pub struct Options {
    pub format: Option<String>,
    pub encoding: Option<String>,
    pub excel: bool,
    pub parquet: bool,
    pub keep_bigkinds_excluded: bool,
    pub min_keyword_chars: usize,
    pub stopwords: usize,
    pub stopword_files: Vec<String>,
    pub batch_size: usize,
    pub dedup: crate::dedup::DedupConfig,
    /// Gazetteer rows loaded (shipped plus user files) and the user files.
    pub gazetteer_entries: usize,
    pub user_dicts: Vec<String>,
    /// Spans from the trained KLUE tagger (the default) rather than the rules alone
    /// (`--entity-rules`).
    pub entity_tagger: bool,
    pub topic: Option<String>,
    pub off_topic: crate::relevance::Threshold,
    pub tables: crate::aggregate::AggregateConfig,
    /// `--bin`: `auto` or the unit of the timeline, heatmap and `timeline_binned.csv`.
    pub bin: String,
}

/// Which stories were on the dump's topic, and what the tables counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RelevanceCounts {
    /// `centroid` (the dump's own keywords) or `topic` (the --topic query).
    pub against: &'static str,
    /// Relevance below which a story was off topic in this run.
    pub cutoff: f64,
    pub off_topic_stories: u64,
    pub off_topic_articles: u64,
    /// Stories and articles the keyword, entity and co-occurrence tables count.
    pub counted_stories: u64,
    pub counted_articles: u64,
}

/// BIGKinds exports among the inputs: rows BIGKinds itself excludes, and how its entity columns
/// compare with bodo's (see `bigkinds_entities_overlap.csv`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BigKindsCounts {
    /// Records rejected because their `분석제외 여부` is set (0 with --keep-bigkinds-excluded).
    pub excluded_rejected: u64,
    /// (article, entity) pairs over the analysed articles from BIGKinds exports.
    pub overlap: crate::bigkinds::OverlapTotals,
}

/// The charts drawn into `charts/` and those the tables did not allow.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChartList {
    pub drawn: Vec<&'static str>,
    /// (chart, one-line reason), e.g. a timeline without dates.
    pub skipped: Vec<(&'static str, String)>,
}

/// What the entity recogniser found (over all analysed stories, off-topic ones included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EntityCounts {
    /// Rows of mentions.csv.
    pub mentions: u64,
    /// Rows of entities.csv.
    pub entities: u64,
}

/// How every record read was accounted for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Records read from all inputs (articles and rejected records).
    pub read: u64,
    /// Stories: one article per dedup cluster (its representative), analysed.
    pub analysed: u64,
    /// Articles that are copies of another article's story (wire copies, rewrites, exact
    /// repeats).
    pub duplicate: u64,
    /// Records that could not be read as articles (see `rejected.csv`).
    pub rejected: u64,
    /// Articles with a date bodo could not parse (kept raw in `articles.csv`'s `date_raw`).
    pub unparsed_dates: u64,
    /// Characters of boilerplate removed from bodies.
    pub boilerplate_chars: u64,
    /// Characters of template learned from the dump, left out of dedup and analysis.
    pub learned_boilerplate_chars: u64,
    /// Distinct keywords in `keywords.csv`.
    pub keywords: u64,
}

/// The shape of the story clusters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct StoryCounts {
    /// Stories (clusters), equal to `counts.analysed`.
    pub stories: u64,
    /// Clusters with more than one article.
    pub clusters_with_copies: u64,
    /// Articles in the largest cluster.
    pub largest_cluster: u64,
    pub dedup: crate::pipeline::DedupStats,
}

impl Counts {
    pub fn reconciles(&self) -> bool {
        self.read == self.analysed + self.duplicate + self.rejected
    }
}

/// What differs between two runs of the same input.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    pub threads: usize,
    /// The morphology stage's unit cache: units (eojeols) analysed, and how many came from the
    /// cache (which units hit first depends on the threads' timing, so it sits here).
    pub morphology_units: u64,
    pub morphology_cache_hits: u64,
    pub morphology_cache_hit_rate: f64,
    /// Wall time per stage, in pipeline order.
    pub stages: Vec<StageTime>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageTime {
    pub stage: &'static str,
    pub seconds: f64,
    /// Peak resident memory of the process up to the end of this stage, in MB (Linux only):
    /// where it jumps is the stage that needed the memory.
    pub peak_rss_mb: Option<u64>,
}

/// The process's peak resident set size so far (`VmHWM`), in MB; `None` where `/proc` is not.
pub fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024)
}

impl Options {
    /// The options of a run as `config` set them, with what the analysers loaded.
    pub fn of(config: &crate::Config, analysers: &crate::analyse::Analysers) -> Self {
        let paths = |files: &[std::path::PathBuf]| -> Vec<String> {
            files.iter().map(|p| p.display().to_string()).collect()
        };
        Options {
            format: config
                .ingest
                .format
                .map(|f| format!("{f:?}").to_lowercase()),
            encoding: config.ingest.encoding.map(|e| e.name().to_string()),
            excel: config.excel,
            parquet: config.parquet,
            keep_bigkinds_excluded: config.ingest.keep_excluded,
            min_keyword_chars: config.min_keyword_chars,
            stopwords: analysers.filter.stopword_count(),
            stopword_files: paths(&config.stopword_files),
            batch_size: config.batch_size,
            dedup: config.dedup.clone(),
            gazetteer_entries: analysers.recogniser.gazetteer().len(),
            user_dicts: paths(&config.user_dicts),
            entity_tagger: config.entity_tagger,
            topic: config.topic.clone(),
            off_topic: config.threshold,
            tables: config.aggregate,
            bin: config.bin.to_string(),
        }
    }
}

impl StoryCounts {
    /// From the number of articles each record stands for (its cluster size for a
    /// representative, 0 otherwise) and dedup's counts.
    pub fn of(copies: &[u64], dedup: crate::pipeline::DedupStats) -> Self {
        StoryCounts {
            stories: copies.iter().filter(|&&c| c > 0).count() as u64,
            clusters_with_copies: copies.iter().filter(|&&c| c > 1).count() as u64,
            largest_cluster: copies.iter().copied().max().unwrap_or(0),
            dedup,
        }
    }
}

impl RelevanceCounts {
    pub fn of(
        config: &crate::Config,
        relevance: &crate::relevance::Relevance,
        agg: &crate::aggregate::Aggregates,
        rows: &[crate::record::ArticleRow],
    ) -> Self {
        RelevanceCounts {
            against: if config.topic.is_some() {
                "topic"
            } else {
                "centroid"
            },
            cutoff: relevance.cutoff,
            off_topic_stories: relevance.off_topic.iter().filter(|&&o| o).count() as u64,
            off_topic_articles: rows.iter().filter(|r| r.off_topic == Some(true)).count() as u64,
            counted_stories: agg.counted_stories,
            counted_articles: agg.counted_articles,
        }
    }
}

impl BigKindsCounts {
    pub fn of(rejections: &[crate::record::Rejection], overlap: &crate::bigkinds::Overlap) -> Self {
        BigKindsCounts {
            excluded_rejected: rejections
                .iter()
                .filter(|r| r.reason.starts_with(crate::ingest::EXCLUDED_REASON))
                .count() as u64,
            overlap: overlap.totals(),
        }
    }
}

impl RunInfo {
    pub fn of(
        config: &crate::Config,
        cache: crate::morph::CacheStats,
        stages: Vec<StageTime>,
    ) -> Self {
        RunInfo {
            threads: config.thread_count(),
            morphology_units: cache.units,
            morphology_cache_hits: cache.hits,
            morphology_cache_hit_rate: (cache.hit_rate() * 1e4).round() / 1e4,
            stages,
        }
    }
}

impl Manifest {
    pub fn write(&self, dir: &Path) -> Result<()> {
        if !self.counts.reconciles() {
            return Err(Error::Output {
                what: dir.join("manifest.json"),
                message: format!("counts do not reconcile: {:?}", self.counts),
            });
        }
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Output {
            what: dir.join("manifest.json"),
            message: e.to_string(),
        })?;
        crate::tables::write_atomically(dir, "manifest.json", |f| {
            std::io::Write::write_all(f, &json)?;
            std::io::Write::write_all(f, b"\n")
        })?;
        Ok(())
    }
}

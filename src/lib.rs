//! bodo: how Korean news covered an event, from a dump of articles, in one batch run.
//!
//! ```text
//! pass 1  ingest ─► normalise ─► dedup::signature        (MinHash + exact hash, per batch)
//!                                dedup::candidates       (LSH banding over all signatures)
//! pass 2  ingest ─► normalise ─► dedup::Verifier         (candidate pairs on shingle sets)
//!                                dedup::clusters         (stories, representatives)
//! pass 3  ingest ─► normalise ─► morph (nouns) ─► keywords   (representatives, in parallel)
//!         tables (polars → CSV) + manifest.json
//! ```
//!
//! [`run`] is the whole job; each stage is a module of plain functions from typed input to typed
//! output (`ingest::scan`, `normalise::normalise`, `dedup::*`, `morph::Worker::nouns`,
//! `keywords::KeywordCounts::add`, `tables::*`); [`pipeline`] streams the inputs through them in
//! batches. Records between stages are in [`record`].

pub mod config;
pub mod dedup;
pub mod dupset;
pub mod error;
pub mod ingest;
pub mod keywords;
pub mod manifest;
pub mod morph;
pub mod normalise;
pub mod pipeline;
pub mod progress;
pub mod record;
pub mod synth;
pub mod tables;

use std::time::Instant;

pub use config::Config;
pub use error::{Error, Result};
pub use manifest::Counts;

use crate::keywords::KeywordFilter;
use crate::manifest::{Manifest, Options, RunInfo, StageTime, StoryCounts};
use crate::progress::Progress;
use crate::record::Status;

/// What a finished run reports back.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub counts: Counts,
    pub out: std::path::PathBuf,
    pub outputs: Vec<String>,
}

/// Runs the whole pipeline and writes the tables and manifest into `config.out`.
pub fn run(config: &Config) -> Result<RunSummary> {
    config.validate()?;
    let filter =
        KeywordFilter::with_stopword_files(&config.stopword_files, config.min_keyword_chars)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.thread_count())
        .build()
        .map_err(|e| {
            Error::Config(format!(
                "cannot start {} threads: {e}",
                config.thread_count()
            ))
        })?;
    let progress = Progress::new(config.progress);
    let mut seconds = Vec::new();
    let mut timed = |stage: &'static str, start: Instant| {
        seconds.push(StageTime {
            stage,
            seconds: start.elapsed().as_secs_f64(),
        })
    };

    let t = Instant::now();
    let inputs = ingest::resolve(&config.inputs, &config.ingest)?;
    std::fs::create_dir_all(&config.out).map_err(|e| Error::io(&config.out, e))?;
    timed("resolve inputs", t);
    let source = pipeline::Source {
        inputs: &inputs,
        opts: &config.ingest,
        batch_size: config.batch_size,
    };

    let t = Instant::now();
    let bar = progress.spinner("reading");
    let mut scanned = pool.install(|| pipeline::scan(&source, &config.dedup, &bar))?;
    bar.finish_and_clear();
    timed("ingest + normalise + signatures", t);

    let t = Instant::now();
    let (clusters, dedup_stats) =
        pool.install(|| pipeline::dedup(&source, &config.dedup, &mut scanned))?;
    let copies = pipeline::apply_clusters(&mut scanned, &clusters);
    timed("dedup: candidates + verification + clusters", t);

    let t = Instant::now();
    let stories = copies.iter().filter(|&&c| c > 0).count() as u64;
    let bar = progress.bar(stories, "analysing");
    let keyword_counts = pool.install(|| {
        pipeline::analyse(
            &source,
            &config.dedup,
            &mut scanned,
            &clusters,
            &copies,
            &filter,
            &bar,
        )
    })?;
    bar.finish_and_clear();
    timed("morphology + keywords", t);

    let t = Instant::now();
    let counts = count(&scanned, keyword_counts.len() as u64);
    let mut outputs = Vec::new();
    for (name, mut table) in [
        ("articles.csv", tables::articles(&scanned.rows)?),
        ("keywords.csv", tables::keywords(&keyword_counts)?),
        ("clusters.csv", tables::clusters(&scanned.rows)?),
        ("rejected.csv", tables::rejected(&scanned.rejections)?),
    ] {
        tables::write_csv(&mut table, &config.out, name, config.excel)?;
        outputs.push(name.to_string());
    }
    outputs.push("manifest.json".to_string());
    timed("tables", t);

    let manifest = Manifest {
        bodo_version: env!("CARGO_PKG_VERSION"),
        command_line: config.command_line.clone(),
        options: Options {
            format: config
                .ingest
                .format
                .map(|f| format!("{f:?}").to_lowercase()),
            encoding: config.ingest.encoding.map(|e| e.name().to_string()),
            excel: config.excel,
            min_keyword_chars: config.min_keyword_chars,
            stopwords: filter.stopword_count(),
            stopword_files: config
                .stopword_files
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            batch_size: config.batch_size,
            dedup: config.dedup.clone(),
        },
        dictionary: morph::DICTIONARY,
        inputs: inputs.files.clone(),
        counts,
        stories: StoryCounts {
            stories,
            clusters_with_copies: copies.iter().filter(|&&c| c > 1).count() as u64,
            largest_cluster: copies.iter().copied().max().unwrap_or(0),
            dedup: dedup_stats,
        },
        outputs: outputs.clone(),
        run: RunInfo {
            threads: config.thread_count(),
            stages: seconds,
        },
    };
    manifest.write(&config.out)?;
    Ok(RunSummary {
        counts,
        out: config.out.clone(),
        outputs,
    })
}

fn count(scanned: &pipeline::Scanned, keywords: u64) -> Counts {
    let by = |s: Status| scanned.rows.iter().filter(|r| r.status == s).count() as u64;
    Counts {
        read: scanned.rows.len() as u64,
        analysed: by(Status::Analysed),
        duplicate: by(Status::Duplicate),
        rejected: by(Status::Rejected),
        unparsed_dates: scanned
            .rows
            .iter()
            .filter(|r| !r.date.unparsed().is_empty())
            .count() as u64,
        boilerplate_chars: scanned
            .rows
            .iter()
            .map(|r| r.boilerplate_chars as u64)
            .sum(),
        keywords,
    }
}

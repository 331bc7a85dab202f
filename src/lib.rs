//! bodo: how Korean news covered an event, from a dump of articles, in one batch run.
//!
//! ```text
//! pass 1  ingest ─► normalise ─► dedup::signature        (MinHash, exact hash, lead keys)
//!                              ├► template::sighting     (units counted, per batch)
//!                              └► spool                  (normalised texts, on disk)
//!                                template::Counter::learn (outlet templates)
//!                                dedup::candidates       (LSH bands, headline and lead keys)
//! pass 2  spool ─► template::Templates::find ─► dedup::Verifier (pairs, template left out)
//!                                dedup::clusters         (stories, representatives)
//! pass 3  spool ─► morph (tokens, nouns) ─► entities ─► keywords
//!                                (representatives, in parallel, template left out) ─►
//!                                stories (on-disk store), mentions.csv (streamed)
//! then    relevance (off-topic stories) ─► aggregate (TF-IDF totals, per day/outlet, entity
//!         counts) + cooccurrence ─► tables (polars → CSV) + manifest.json
//! ```
//!
//! [`run`] is the whole job, one call per stage. Each stage is a module with a plain function
//! per batch, typed in → typed out — the unit every driver calls (the CLI's passes, the Python
//! bindings' `bodo.arrow`, an engine's executor): `ingest::read`/`ingest::scan` (inputs →
//! [`record::Article`]s and [`record::Rejection`]s), [`normalise::batch`], `template::sightings`
//! → `template::Counter::learn`, [`dedup::signatures`], [`dedup::candidates`],
//! [`dedup::verify`], [`dedup::clusters`] (union-find over scored pairs), [`analyse::batch`]
//! (morphology + entities + keywords of representatives), `relevance::score`,
//! `aggregate::aggregate`, [`outputs::write`]. [`pipeline`] streams the inputs through them in
//! three passes, in bounded memory. Records between stages are in [`record`].

pub mod aggregate;
pub mod analyse;
pub mod bigkinds;
pub mod bins;
pub mod charts;
pub mod config;
pub mod cooccurrence;
pub mod coverage;
pub mod dedup;
pub mod entities;
pub mod error;
pub mod ingest;
pub mod interrupt;
pub mod keywords;
pub mod manifest;
pub mod morph;
pub mod normalise;
pub mod outputs;
pub mod pipeline;
pub mod progress;
pub mod record;
pub mod relevance;
pub mod report;
pub mod spool;
pub mod stories;
pub mod synth;
pub mod tables;
pub mod template;

use std::time::Instant;

pub use config::{Config, RunOptions};
pub use error::{Error, Result};
pub use manifest::Counts;

use crate::entities::Recogniser;
use crate::manifest::{
    BigKindsCounts, ChartList, EntityCounts, Manifest, RelevanceCounts, RunInfo, StageTime,
    StoryCounts,
};
use crate::progress::Progress;
use crate::record::Status;

/// What a finished run reports back.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub counts: Counts,
    pub out: std::path::PathBuf,
    pub outputs: Vec<String>,
}

/// Runs the whole pipeline and writes the tables and manifest into `config.out`: one call per
/// stage, each returning the typed value the next takes; the streaming over the inputs is in
/// [`pipeline`], the timing and progress bars wrap the calls.
pub fn run(config: &Config) -> Result<RunSummary> {
    config.validate()?;
    let pool = thread_pool(config.thread_count())?;
    let progress = Progress::new(config.progress);
    let mut timer = Timer::default();

    let (inputs, staging) = timer.time("resolve inputs", || {
        let inputs = ingest::resolve(&config.inputs, &config.ingest)?;
        Ok((inputs, staging_dir(&config.out, config.force)?))
    })?;
    let out = staging.path();
    let source = pipeline::Source {
        inputs: &inputs,
        opts: &config.ingest,
        batch_size: config.batch_size,
    };
    let mut scanned = timer.time("ingest + normalise + signatures", || {
        let bar = progress.spinner("reading");
        let scanned = pool.install(|| pipeline::scan(&source, &config.dedup, &bar));
        bar.finish_and_clear();
        scanned
    })?;
    let (clusters, dedup_stats, copies) =
        timer.time("dedup: candidates + verification + clusters", || {
            let (clusters, stats) =
                pool.install(|| pipeline::dedup(&source, &config.dedup, &mut scanned))?;
            let copies = pipeline::apply_clusters(&mut scanned, &clusters);
            Ok((clusters, stats, copies))
        })?;
    let stories = copies.iter().filter(|&&c| c > 0).count() as u64;
    let loaded = analyse::Loaded::load(&config.analysis())?;
    let analysers = loaded.analysers();
    let mut mentions = tables::TableStream::create(
        out,
        "mentions.csv",
        config.excel,
        config.parquet,
        pipeline::MENTION_COLUMNS,
    )?;
    let mut analysed = timer.time("morphology + entities + keywords", || {
        let bar = progress.bar(stories, "analysing");
        let analysed = pool.install(|| {
            let (src, dedup) = (&source, &config.dedup);
            let (clusters, copies) = (&clusters, &copies);
            pipeline::analyse(
                src,
                dedup,
                &mut scanned,
                clusters,
                copies,
                &analysers,
                &mut mentions,
                &bar,
            )
        });
        bar.finish_and_clear();
        loaded.morphology.release_cache();
        analysed
    })?;
    let relevance = timer.time("relevance", || {
        let topic = match &config.topic {
            Some(query) => topic_terms(query, &analysers, &analysed.store)?,
            None => Vec::new(),
        };
        relevance::score(&mut analysed.store, &analysed.df, &topic, config.threshold)
    })?;
    let agg = timer.time("aggregation", || {
        aggregate::aggregate(
            &mut analysed.store,
            &mut scanned,
            &relevance,
            &config.aggregate,
        )
    })?;
    let written = timer.time("tables", || {
        let run = outputs::Run {
            scanned: &scanned,
            store: &analysed.store,
            agg: &agg,
            overlap: &analysed.overlap,
            keep_off_topic: config.aggregate.keep_off_topic,
            bin: config.bin,
        };
        outputs::write(out, config.table_format(), &run, mentions)
    })?;
    let drawn = timer.time("charts", || draw_charts(config, out))?;

    let mut outputs = written.files;
    outputs.extend(drawn.files(out));
    outputs.push("manifest.json".to_string());
    let counts = count(&scanned, written.keywords);
    let manifest = Manifest {
        bodo_version: env!("CARGO_PKG_VERSION"),
        command_line: config.command_line.clone(),
        options: manifest::Options::of(config, &loaded),
        dictionary: morph::DICTIONARY,
        inputs: inputs.files.clone(),
        counts,
        stories: StoryCounts::of(&copies, dedup_stats),
        relevance: RelevanceCounts::of(config, &relevance, &agg, &scanned.rows),
        entities: EntityCounts {
            mentions: analysed.mentions,
            entities: written.entities,
        },
        bigkinds: BigKindsCounts::of(&scanned.rejections, &analysed.overlap),
        charts: drawn.list(),
        outputs: outputs.clone(),
        run: RunInfo::of(config, loaded.morphology.cache_stats(), timer.stages),
    };
    manifest.write(out)?;
    if let Some(font) = &drawn.font {
        report::write(out, &figures(&drawn.charts), &drawn.skipped, font)?;
    }
    interrupt::check()?;
    publish(out, &config.out)?;
    Ok(RunSummary {
        counts,
        out: config.out.clone(),
        outputs,
    })
}

/// Wall time and peak memory after each stage, for the manifest's `run.stages`.
#[derive(Default)]
struct Timer {
    stages: Vec<StageTime>,
}

impl Timer {
    fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> Result<T>) -> Result<T> {
        let start = Instant::now();
        let value = work()?;
        self.stages.push(StageTime {
            stage,
            seconds: start.elapsed().as_secs_f64(),
            peak_rss_mb: manifest::peak_rss_mb(),
        });
        Ok(value)
    }
}

/// A rayon pool of `threads` workers: every parallel stage of a run runs on it.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Config(format!("cannot start {threads} threads: {e}")))
}

/// The hidden staging directory inside `out` everything is written into, moved into place by
/// [`publish`] only when the run has finished: an interrupted or failed run leaves the previous
/// reports as they were (the directory is removed when the guard drops).
fn staging_dir(out: &std::path::Path, force: bool) -> Result<tempfile::TempDir> {
    check_out_dir(out, force)?;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    tempfile::Builder::new()
        .prefix(".bodo-staging-")
        .tempdir_in(out)
        .map_err(|e| Error::io(out, e))
}

/// The charts a run drew (none with `--no-charts`) and the font report.html is set in.
struct Drawn {
    font: Option<charts::Font>,
    charts: Vec<charts::Chart>,
    skipped: Vec<(&'static str, String)>,
}

impl Drawn {
    /// The files written, relative to `out`: every chart's PNG and SVG, and report.html.
    fn files(&self, out: &std::path::Path) -> Vec<String> {
        let mut files: Vec<String> = self
            .charts
            .iter()
            .flat_map(|c| [&c.png, &c.svg])
            .filter_map(|file| Some(file.strip_prefix(out).ok()?.display().to_string()))
            .collect();
        if self.font.is_some() {
            files.push("report.html".to_string());
        }
        files
    }

    fn list(&self) -> ChartList {
        ChartList {
            drawn: self.charts.iter().map(|c| c.name).collect(),
            skipped: self.skipped.clone(),
        }
    }
}

fn draw_charts(config: &Config, out: &std::path::Path) -> Result<Drawn> {
    if !config.charts {
        return Ok(Drawn {
            font: None,
            charts: Vec::new(),
            skipped: Vec::new(),
        });
    }
    let font = match &config.font {
        Some(path) => charts::Font::from_file(path)?,
        None => charts::Font::embedded(),
    };
    let (charts, skipped) = charts::draw_all(out, &font, config.bin)?;
    Ok(Drawn {
        font: Some(font),
        charts,
        skipped,
    })
}

/// The report's view of the charts drawn.
pub fn figures(charts: &[charts::Chart]) -> Vec<report::Figure> {
    charts
        .iter()
        .map(|c| report::Figure {
            title: c.title.clone(),
            reading: c.reading.clone(),
            svg: c.svg.clone(),
        })
        .collect()
}

/// `bodo charts`: redraws the charts and the report of an existing reports directory from its
/// tables, without analysing anything again; `bin` is the unit of the timeline and heatmap
/// (the tables, `timeline_binned.csv` included, are left as the run wrote them).
pub fn redraw(
    reports: &std::path::Path,
    font: Option<&std::path::Path>,
    bin: bins::Binning,
) -> Result<ChartList> {
    let font = match font {
        Some(path) => charts::Font::from_file(path)?,
        None => charts::Font::embedded(),
    };
    let (drawn, skipped) = charts::draw_all(reports, &font, bin)?;
    report::write(reports, &figures(&drawn), &skipped, &font)?;
    Ok(ChartList {
        drawn: drawn.iter().map(|c| c.name).collect(),
        skipped,
    })
}

/// Refuses an output directory that holds files bodo did not write (unless `force`): a run
/// replaces its files, and a mistyped `--out ~/Documents` must not mix tables into someone's
/// folder. Missing, empty, or a previous bodo report directory (its `manifest.json` names a bodo
/// version) is fine; a README and hidden files do not count.
fn check_out_dir(out: &std::path::Path, force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    let entries = match std::fs::read_dir(out) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, e)),
    };
    let previous = std::fs::read(out.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|m| m["bodo_version"].is_string());
    if previous {
        return Ok(());
    }
    let mut foreign: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.to_ascii_lowercase().starts_with("readme"))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let more = if foreign.len() > 3 { ", …" } else { "" };
    foreign.truncate(3);
    Err(Error::Config(format!(
        "--out {}: the directory holds files that are not a bodo report ({}{more}); \
         choose an empty or new directory, or add --force to write there anyway",
        out.display(),
        foreign.join(", ")
    )))
}

/// Moves a finished run's files from `staging` into `out`, replacing the previous run's: each
/// file by a rename (atomic), `charts/` as a whole directory, so it never mixes two runs.
fn publish(staging: &std::path::Path, out: &std::path::Path) -> Result<()> {
    let entries = std::fs::read_dir(staging).map_err(|e| Error::io(staging, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(staging, e))?;
        let target = out.join(entry.file_name());
        // A directory (charts/) cannot replace another by rename: the old one is moved aside
        // and removed (when `_old` drops) once the new one is in place.
        let _old = if entry.path().is_dir() && target.exists() {
            let old = tempfile::Builder::new()
                .prefix(".bodo-old-")
                .tempdir_in(out)
                .map_err(|e| Error::io(out, e))?;
            std::fs::rename(&target, old.path().join("charts"))
                .map_err(|e| Error::io(&target, e))?;
            Some(old)
        } else {
            None
        };
        std::fs::rename(entry.path(), &target).map_err(|e| Error::io(&target, e))?;
    }
    Ok(())
}

/// The term ids of a `--topic` query, analysed like an article but with the entity rules
/// alone: a query is a list of keywords without a sentence around them, and the tagger reads
/// names from their context (alone, `카카오 먹통` reads to it as one organisation). An error
/// when none occurs in the dump (every story would be off topic).
fn topic_terms(
    query: &str,
    analysers: &analyse::Analysers,
    store: &stories::StoryStore,
) -> Result<Vec<u32>> {
    let text = normalise::normalise_text("", query);
    let rules = Recogniser::new(analysers.recogniser.gazetteer().clone());
    let analysers = analyse::Analysers {
        recogniser: &rules,
        ..*analysers
    };
    let mut worker = analysers.morphology.worker();
    let (terms, _) = analyse::text(&mut worker, &analysers, &text, None)?;
    let mut words: Vec<&str> = terms.counts().map(|(k, _)| k).collect();
    words.sort_unstable();
    let ids: Vec<u32> = words
        .iter()
        .filter_map(|w| store.terms.get(&w.to_string()))
        .collect();
    if ids.is_empty() {
        return Err(Error::Config(format!(
            "--topic {query:?}: none of its keywords ({}) occurs in the input",
            words.join(", ")
        )));
    }
    Ok(ids)
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
        learned_boilerplate_chars: scanned
            .rows
            .iter()
            .map(|r| r.learned_boilerplate_chars as u64)
            .sum(),
        keywords,
    }
}

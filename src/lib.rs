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
//! finish  relevance (off-topic stories) ─► aggregate (TF-IDF totals, per day/outlet, entity
//!         counts) + cooccurrence ─► tables (polars → CSV) ─► charts + manifest.json + report.html
//! ```
//!
//! [`run`] is the whole job, one call per stage. Each stage is a module with a plain function
//! per batch, typed in → typed out — the unit every driver calls (the CLI's passes, the Python
//! bindings' `bodo.arrow`, an engine's executor): `ingest::read`/`ingest::scan` (inputs →
//! [`record::Article`]s and [`record::Rejection`]s), [`normalise::batch`], `template::sightings`
//! → `template::Counter::learn`, [`dedup::signatures`], [`dedup::candidates`],
//! [`dedup::verify`], [`dedup::clusters`] (union-find over scored pairs), [`analyse::batch`]
//! (morphology + entities + keywords of representatives) whose stories
//! [`pipeline::Analysed::add`] keeps, then [`finish::score`] (`relevance::score`,
//! `aggregate::aggregate`) and [`finish::write`] (tables, charts, manifest, report) — the end
//! every driver shares: `bodo run`, and `bodo.arrow.tables`/`write` after the Arrow stages
//! (Spark's driver among them). [`pipeline`] streams the inputs through them in three passes,
//! in bounded memory. Records between stages are in [`record`].

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
pub mod finish;
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

pub use config::{Config, RunOptions};
pub use error::{Error, Result};
pub use manifest::Counts;

use crate::finish::Timer;
use crate::manifest::{ChartList, StoryCounts};
use crate::progress::Progress;

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
    let analysis = config.analysis();
    // The dictionary, gazetteer and tagger take a third of a second to load on one thread, and
    // passes 1 and 2 do not need them: they load beside those passes. (On an early error the
    // scope waits for the load before returning.)
    std::thread::scope(|scope| {
        let loading = scope.spawn(|| analyse::Loaded::load(&analysis));
        run_loading(config, loading)
    })
}

/// [`run`], given the analysers as they load.
fn run_loading(
    config: &Config,
    loading: std::thread::ScopedJoinHandle<'_, Result<analyse::Loaded>>,
) -> Result<RunSummary> {
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
    let loaded = timer.time("load analysers (what passes 1 and 2 left)", || {
        loading.join().expect("loading the analysers panicked")
    })?;
    let analysers = loaded.analysers();
    let mut mentions = pipeline::mentions_stream(out, config.table_format())?;
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
    let scores = finish::score(&mut scanned, &mut analysed, &analysers, config, &mut timer)?;
    let stories = StoryCounts::of(&copies, dedup_stats);
    let written = finish::write(
        out,
        config,
        &analysers,
        inputs.files.clone(),
        &scanned,
        &analysed,
        &scores,
        mentions,
        stories,
        timer,
    )?;
    interrupt::check()?;
    publish(out, &config.out)?;
    Ok(RunSummary {
        counts: written.counts,
        out: config.out.clone(),
        outputs: written.outputs,
    })
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
pub fn staging_dir(out: &std::path::Path, force: bool) -> Result<tempfile::TempDir> {
    check_out_dir(out, force)?;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    tempfile::Builder::new()
        .prefix(".bodo-staging-")
        .tempdir_in(out)
        .map_err(|e| Error::io(out, e))
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
    report::write(reports, &finish::figures(&drawn), &skipped, &font)?;
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
pub fn publish(staging: &std::path::Path, out: &std::path::Path) -> Result<()> {
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

//! Finish: from a run's analysed stories to its report — relevance, aggregation, the tables,
//! the charts, `manifest.json` and `report.html`.
//!
//! Takes the article rows ([`Scanned`]: clusters, each copy's similarity and learned template
//! filled in), the analysed stories ([`Analysed`]: the story store in position order, per-term
//! story counts, mentions written, the BIGKinds comparison) and the run's [`Config`]
//! (`--topic`, `--off-topic-ratio`, `--keep-off-topic`, the top-N settings, `--bin`, the table
//! format, charts and font). Gives [`Scores`] ([`score`]: each story's relevance and the
//! aggregates, relevance written into the rows), every table as a DataFrame ([`frames`]), or
//! every file of a report directory ([`write`]: tables, charts, manifest, report).
//!
//! Every driver ends here: [`crate::run`] after its three passes, and the Python bindings'
//! `bodo.arrow.tables` and `bodo.arrow.write` after the Arrow batch stages; Spark's driver
//! through [`score_grouped`], with relevance and the aggregates' sums computed by Spark from
//! the same per-story functions. Guarantees: the same rows and stories give the same tables
//! byte for byte, whoever analysed them and however the sums were grouped (relevance's sums
//! are order-free, see [`crate::relevance`]); the tables written are the DataFrames [`frames`]
//! gives.

use std::path::Path;
use std::time::Instant;

use polars::prelude::DataFrame;

use crate::aggregate::{self, Aggregates};
use crate::analyse::{self, Analysers};
use crate::charts;
use crate::config::Config;
use crate::entities::Recogniser;
use crate::error::{Error, Result};
use crate::ingest::InputFile;
use crate::manifest::{
    self, BigKindsCounts, ChartList, Counts, EntityCounts, Manifest, RelevanceCounts, RunInfo,
    StageTime, StoryCounts,
};
use crate::normalise;
use crate::outputs;
use crate::pipeline::{Analysed, Scanned};
use crate::record::Status;
use crate::relevance::{self, Relevance};
use crate::report;
use crate::stories::StoryStore;
use crate::tables::TableStream;

/// What relevance and aggregation give.
pub struct Scores {
    pub relevance: Relevance,
    pub agg: Aggregates,
}

/// Wall time and peak memory after each stage, for the manifest's `run.stages`.
#[derive(Default)]
pub struct Timer {
    pub stages: Vec<StageTime>,
}

impl Timer {
    /// Runs `work` as the stage `stage`.
    pub fn time<T>(&mut self, stage: &'static str, work: impl FnOnce() -> Result<T>) -> Result<T> {
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

/// Scores every story against `config.topic` (or the dump's centroid) and aggregates the
/// counted ones; writes each story's relevance into its articles' rows.
pub fn score(
    scanned: &mut Scanned,
    analysed: &mut Analysed,
    analysers: &Analysers,
    config: &Config,
    timer: &mut Timer,
) -> Result<Scores> {
    let relevance = timer.time("relevance", || {
        let topic = match &config.topic {
            Some(query) => topic_terms(query, analysers, &analysed.store)?,
            None => Vec::new(),
        };
        relevance::score(&mut analysed.store, &analysed.df, &topic, config.threshold)
    })?;
    let agg = timer.time("aggregation", || {
        aggregate::aggregate(&mut analysed.store, scanned, &relevance, &config.aggregate)
    })?;
    Ok(Scores { relevance, agg })
}

fn tables_of<'a>(
    scanned: &'a Scanned,
    analysed: &'a Analysed,
    scores: &'a Scores,
    config: &Config,
) -> outputs::Run<'a> {
    outputs::Run {
        rows: &scanned.rows,
        rejections: &scanned.rejections,
        store: &analysed.store,
        agg: &scores.agg,
        overlap: &analysed.overlap,
        keep_off_topic: config.aggregate.keep_off_topic,
        bin: config.bin,
    }
}

/// Every table of the run (`mentions.csv` aside: it is written as the stories come), by file
/// name, in the order [`write`] writes them: the DataFrames written as CSV.
pub fn frames(
    scanned: &Scanned,
    analysed: &Analysed,
    scores: &Scores,
    config: &Config,
) -> Result<Vec<(&'static str, DataFrame)>> {
    let mut frames = Vec::new();
    outputs::for_each_table(
        &tables_of(scanned, analysed, scores, config),
        |name, pieces| {
            let mut whole: Option<DataFrame> = None;
            for piece in pieces {
                let piece = piece?;
                match &mut whole {
                    Some(table) => {
                        table.vstack_mut(&piece).map_err(|e| Error::Output {
                            what: name.into(),
                            message: e.to_string(),
                        })?;
                    }
                    None => whole = Some(piece),
                }
            }
            frames.push((name, whole.expect("every table has a piece")));
            Ok(())
        },
    )?;
    Ok(frames)
}

/// What [`write`] wrote.
pub struct Written {
    /// Every file, relative to the directory, `manifest.json` last.
    pub outputs: Vec<String>,
    pub counts: Counts,
}

/// Writes the run's report into `out` (a staging directory: [`crate::publish`] moves it into
/// place): every table, `mentions` finished, the charts and `report.html` (unless
/// `config.charts` is off) and `manifest.json`, whose `inputs` are `inputs`, `stories` the
/// clusters' shape and `run.stages` the `timer`'s stages then "tables" and "charts".
#[allow(clippy::too_many_arguments)]
pub fn write(
    out: &Path,
    config: &Config,
    analysers: &Analysers,
    inputs: Vec<InputFile>,
    scanned: &Scanned,
    analysed: &Analysed,
    scores: &Scores,
    mentions: TableStream,
    stories: StoryCounts,
    mut timer: Timer,
) -> Result<Written> {
    let written = timer.time("tables", || {
        let run = tables_of(scanned, analysed, scores, config);
        outputs::write(out, config.table_format(), &run, mentions)
    })?;
    let drawn = timer.time("charts", || draw_charts(config, out))?;

    let mut outputs = written.files;
    outputs.extend(drawn.files(out));
    outputs.push("manifest.json".to_string());
    let counts = count(scanned, written.keywords);
    let manifest = Manifest {
        bodo_version: env!("CARGO_PKG_VERSION"),
        command_line: config.command_line.clone(),
        options: manifest::Options::of(config, analysers),
        dictionary: crate::morph::DICTIONARY,
        inputs,
        counts,
        stories,
        relevance: RelevanceCounts::of(config, &scores.relevance, &scores.agg, &scanned.rows),
        entities: EntityCounts {
            mentions: analysed.mentions,
            entities: written.entities,
        },
        bigkinds: BigKindsCounts::of(&scanned.rejections, &analysed.overlap),
        charts: drawn.list(),
        outputs: outputs.clone(),
        run: RunInfo::of(config, analysers.morphology.cache_stats(), timer.stages),
    };
    manifest.write(out)?;
    if let Some(font) = &drawn.font {
        report::write(out, &figures(&drawn.charts), &drawn.skipped, font)?;
    }
    Ok(Written { outputs, counts })
}

/// The charts a run drew (none with `--no-charts`) and the font report.html is set in.
struct Drawn {
    font: Option<charts::Font>,
    charts: Vec<charts::Chart>,
    skipped: Vec<(&'static str, String)>,
}

impl Drawn {
    /// The files written, relative to `out`: every chart's PNG and SVG, and report.html.
    fn files(&self, out: &Path) -> Vec<String> {
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

fn draw_charts(config: &Config, out: &Path) -> Result<Drawn> {
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

/// The term ids of a `--topic` query (see [`topic_words`]). An error when none occurs in the
/// dump (every story would be off topic).
fn topic_terms(query: &str, analysers: &Analysers, store: &StoryStore) -> Result<Vec<u32>> {
    let words = topic_words(query, analysers)?;
    let ids = words
        .iter()
        .filter_map(|w| store.terms.get(&w.to_string()))
        .collect();
    topic_found(query, &words, ids)
}

/// The keywords of a `--topic` query, sorted: the query analysed like an article but with the
/// entity rules alone (a query is a list of keywords without a sentence around them, and the
/// tagger reads names from their context: alone, `카카오 먹통` reads to it as one
/// organisation).
pub fn topic_words(query: &str, analysers: &Analysers) -> Result<Vec<String>> {
    let text = normalise::normalise_text("", query);
    let rules = Recogniser::new(analysers.recogniser.gazetteer().clone());
    let analysers = Analysers {
        recogniser: &rules,
        ..*analysers
    };
    let mut worker = analysers.morphology.worker();
    let (terms, _) = analyse::text(&mut worker, &analysers, &text, None)?;
    let mut words: Vec<String> = terms.counts().map(|(k, _)| k.to_string()).collect();
    words.sort_unstable();
    Ok(words)
}

/// `found`, the query's `words` that occur in the dump (in whatever form a driver keeps them),
/// or the error of a topic none of whose keywords occurs.
pub fn topic_found<T>(query: &str, words: &[String], found: Vec<T>) -> Result<Vec<T>> {
    if found.is_empty() {
        return Err(Error::Config(format!(
            "--topic {query:?}: none of its keywords ({}) occurs in the input",
            words.join(", ")
        )));
    }
    Ok(found)
}

/// [`score`] from an engine's sums (`bodo.spark`): each story's relevance (store order) and
/// the cutoff as [`relevance`]'s per-story functions gave them, the keyword and entity tables'
/// summed parts and the network's summed pairs ([`aggregate::grouped`]).
pub fn score_grouped(
    scanned: &mut Scanned,
    analysed: &mut Analysed,
    scores: Vec<f64>,
    cutoff: f64,
    parts: &[aggregate::NamedPart],
    pairs: &[aggregate::NamedPair],
    config: &Config,
) -> Result<Scores> {
    if scores.len() != analysed.store.len() {
        return Err(Error::Config(format!(
            "{} relevance scores for {} stories",
            scores.len(),
            analysed.store.len()
        )));
    }
    let relevance = Relevance::of_scores(scores, cutoff);
    let agg = aggregate::grouped(
        &mut analysed.store,
        scanned,
        &relevance,
        parts,
        pairs,
        &config.aggregate,
    )?;
    Ok(Scores { relevance, agg })
}

fn count(scanned: &Scanned, keywords: u64) -> Counts {
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

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
//! [`run`] is the whole job; each stage is a module of plain functions from typed input to typed
//! output (`ingest::scan`, `normalise::normalise`, `dedup::*`, `morph::Worker::tokens`,
//! `entities::Recogniser::recognise`, `keywords::ArticleTerms::new`, `relevance::score`,
//! `aggregate::aggregate`, `cooccurrence::edges`, `tables::*`); [`pipeline`] streams the inputs
//! through them in batches. Records between stages are in [`record`].

pub mod aggregate;
pub mod bigkinds;
pub mod bins;
pub mod charts;
pub mod config;
pub mod cooccurrence;
pub mod coverage;
pub mod dedup;
pub mod dupset;
pub mod entities;
pub mod error;
pub mod ingest;
pub mod interrupt;
pub mod keywords;
pub mod manifest;
pub mod morph;
pub mod normalise;
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

pub use config::Config;
pub use error::{Error, Result};
pub use manifest::Counts;

use crate::entities::gazetteer::Gazetteer;
use crate::entities::Recogniser;
use crate::keywords::KeywordFilter;
use crate::manifest::{
    BigKindsCounts, ChartList, EntityCounts, Manifest, Options, RelevanceCounts, RunInfo,
    StageTime, StoryCounts,
};
use crate::morph::Morphology;
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
            peak_rss_mb: manifest::peak_rss_mb(),
        })
    };

    let t = Instant::now();
    let inputs = ingest::resolve(&config.inputs, &config.ingest)?;
    check_out_dir(&config.out, config.force)?;
    std::fs::create_dir_all(&config.out).map_err(|e| Error::io(&config.out, e))?;
    // Everything is written into a hidden staging directory inside --out and moved into place
    // only when the run has finished: an interrupted or failed run leaves the previous reports
    // as they were (and the staging directory is removed with this guard).
    let staging = tempfile::Builder::new()
        .prefix(".bodo-staging-")
        .tempdir_in(&config.out)
        .map_err(|e| Error::io(&config.out, e))?;
    let out = staging.path();
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
    let morphology = Morphology::load()?;
    let gazetteer = Gazetteer::load(&config.user_dicts)?;
    let recogniser = if config.entity_tagger {
        Recogniser::with_tagger(gazetteer)
    } else {
        Recogniser::new(gazetteer)
    };
    let analysers = pipeline::Analysers {
        morphology: &morphology,
        recogniser: &recogniser,
        filter: &filter,
    };
    let mut mentions = tables::TableStream::create(
        out,
        "mentions.csv",
        config.excel,
        config.parquet,
        pipeline::MENTION_COLUMNS,
    )?;
    let bar = progress.bar(stories, "analysing");
    let mut analysed = pool.install(|| {
        pipeline::analyse(
            &source,
            &config.dedup,
            &mut scanned,
            &clusters,
            &copies,
            &analysers,
            &mut mentions,
            &bar,
        )
    })?;
    bar.finish_and_clear();
    morphology.release_cache();
    timed("morphology + entities + keywords", t);

    let t = Instant::now();
    let topic = match &config.topic {
        Some(query) => topic_terms(query, &analysers, &analysed.store)?,
        None => Vec::new(),
    };
    let relevance = relevance::score(&mut analysed.store, &analysed.df, &topic, config.threshold)?;
    timed("relevance", t);

    let t = Instant::now();
    let agg = aggregate::aggregate(
        &mut analysed.store,
        &mut scanned,
        &relevance,
        &config.aggregate,
    )?;
    timed("aggregation", t);

    let t = Instant::now();
    let store = &analysed.store;
    let term = |t: u32| store.terms.name(t).as_str();
    let keyword_rows: Vec<tables::KeywordRow> = agg
        .ranked
        .iter()
        .map(|&t| tables::KeywordRow {
            keyword: term(t),
            kind: store.kind(t),
            tf: agg.totals.tf[t as usize],
            df: agg.totals.df[t as usize],
            articles: agg.totals.articles[t as usize],
            idf: agg.totals.idf(t),
        })
        .collect();
    let by_group = |groups, rows| group_rows(groups, rows, store);
    let entity_rows: Vec<tables::EntityRow> = agg
        .entities
        .iter()
        .enumerate()
        .filter(|(_, c)| c.stories > 0)
        .map(|(e, c)| {
            let (kind, name) = store.entities.name(e as u32);
            let mut aliases: Vec<&str> = c
                .aliases
                .iter()
                .map(|&s| store.surfaces.name(s).as_str())
                .collect();
            aliases.sort_unstable();
            tables::EntityRow {
                entity: name,
                kind: kind.as_str(),
                mentions: c.mentions,
                articles: c.articles,
                stories: c.stories,
                aliases_seen: aliases.join(";"),
            }
        })
        .collect();
    let edge_rows: Vec<tables::EdgeRow> = agg
        .edges
        .iter()
        .map(|e| tables::EdgeRow {
            a: term(agg.nodes[e.a]),
            b: term(agg.nodes[e.b]),
            stories: e.stories,
            articles: e.articles,
            npmi: e.npmi,
        })
        .collect();
    let entity_day_rows: Vec<tables::EntityDayRow> = agg
        .entities_by_day
        .iter()
        .map(|e| {
            let (kind, name) = store.entities.name(e.entity);
            tables::EntityDayRow {
                date: agg.days.names[e.day as usize].as_str(),
                entity: name,
                kind: kind.as_str(),
                mentions: e.mentions,
                stories: e.stories,
            }
        })
        .collect();
    let keep = config.aggregate.keep_off_topic;
    let summaries = coverage::stories(&scanned.rows);
    let timeline = coverage::timeline(&scanned.rows, keep);
    let outlets = coverage::outlets(&scanned.rows, &summaries, keep);
    let counts = count(&scanned, keyword_rows.len() as u64);
    let format = tables::TableFormat {
        excel: config.excel,
        parquet: config.parquet,
    };
    // Tables with a row per article or story are built and written a piece at a time.
    let rows = &scanned.rows;
    let mut outputs = tables::write_table(
        out,
        "articles.csv",
        format,
        tables::chunks(rows.len(), |r| tables::articles(&rows[r])),
    )?;
    let story_list = tables::story_order(&summaries);
    outputs.extend(tables::write_table(
        out,
        "clusters.csv",
        format,
        tables::chunks(story_list.len(), |r| tables::clusters(&story_list[r])),
    )?);
    let rejections = &scanned.rejections;
    outputs.extend(tables::write_table(
        out,
        "rejected.csv",
        format,
        tables::chunks(rejections.len(), |r| tables::rejected(&rejections[r])),
    )?);
    for (name, table) in [
        ("keywords.csv", tables::keywords(&keyword_rows)?),
        (
            "keywords_by_day.csv",
            tables::keywords_by("date", &by_group(&agg.days, &agg.by_day))?,
        ),
        (
            "keywords_by_outlet.csv",
            tables::keywords_by("outlet", &by_group(&agg.outlets, &agg.by_outlet))?,
        ),
        ("entities.csv", tables::entities(&entity_rows)?),
        ("cooccurrence.csv", tables::cooccurrence(&edge_rows)?),
        ("timeline.csv", tables::timeline(&timeline)?),
        (
            "timeline_binned.csv",
            tables::timeline_binned(&coverage::timeline_binned(&timeline, config.bin))?,
        ),
        ("outlets.csv", tables::outlets(&outlets)?),
        (
            "entities_by_day.csv",
            tables::entities_by_day(&entity_day_rows)?,
        ),
        (
            "bigkinds_entities_overlap.csv",
            tables::bigkinds_overlap(&analysed.overlap.rows())?,
        ),
    ] {
        outputs.extend(tables::write_table(out, name, format, [Ok(table)])?);
    }
    outputs.extend(mentions.finish()?);
    timed("tables", t);

    let t = Instant::now();
    let font = if config.charts {
        Some(match &config.font {
            Some(path) => charts::Font::from_file(path)?,
            None => charts::Font::embedded(),
        })
    } else {
        None
    };
    let (drawn, skipped) = match &font {
        Some(font) => charts::draw_all(out, font, config.bin)?,
        None => (Vec::new(), Vec::new()),
    };
    for chart in &drawn {
        for file in [&chart.png, &chart.svg] {
            if let Ok(name) = file.strip_prefix(out) {
                outputs.push(name.display().to_string());
            }
        }
    }
    if font.is_some() {
        outputs.push("report.html".to_string());
    }
    outputs.push("manifest.json".to_string());
    timed("charts", t);

    let off_topic_articles = scanned
        .rows
        .iter()
        .filter(|r| r.off_topic == Some(true))
        .count() as u64;
    let cache = morphology.cache_stats();
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
            parquet: config.parquet,
            keep_bigkinds_excluded: config.ingest.keep_excluded,
            min_keyword_chars: config.min_keyword_chars,
            stopwords: filter.stopword_count(),
            stopword_files: paths(&config.stopword_files),
            batch_size: config.batch_size,
            dedup: config.dedup.clone(),
            gazetteer_entries: recogniser.gazetteer().len(),
            user_dicts: paths(&config.user_dicts),
            entity_tagger: config.entity_tagger,
            topic: config.topic.clone(),
            off_topic: config.threshold,
            tables: config.aggregate,
            bin: config.bin.to_string(),
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
        relevance: RelevanceCounts {
            against: if config.topic.is_some() {
                "topic"
            } else {
                "centroid"
            },
            cutoff: relevance.cutoff,
            off_topic_stories: relevance.off_topic.iter().filter(|&&o| o).count() as u64,
            off_topic_articles,
            counted_stories: agg.counted_stories,
            counted_articles: agg.counted_articles,
        },
        entities: EntityCounts {
            mentions: analysed.mentions,
            entities: entity_rows.len() as u64,
        },
        bigkinds: BigKindsCounts {
            excluded_rejected: scanned
                .rejections
                .iter()
                .filter(|r| r.reason.starts_with(ingest::EXCLUDED_REASON))
                .count() as u64,
            overlap: analysed.overlap.totals(),
        },
        charts: ChartList {
            drawn: drawn.iter().map(|c| c.name).collect(),
            skipped: skipped.clone(),
        },
        outputs: outputs.clone(),
        run: RunInfo {
            threads: config.thread_count(),
            morphology_units: cache.units,
            morphology_cache_hits: cache.hits,
            morphology_cache_hit_rate: (cache.hit_rate() * 1e4).round() / 1e4,
            stages: seconds,
        },
    };
    manifest.write(out)?;
    if let Some(font) = &font {
        report::write(out, &figures(&drawn), &skipped, font)?;
    }
    interrupt::check()?;
    publish(out, &config.out)?;
    Ok(RunSummary {
        counts,
        out: config.out.clone(),
        outputs,
    })
}

fn group_rows<'a>(
    groups: &'a keywords::Groups,
    rows: &[keywords::GroupKeyword],
    store: &'a stories::StoryStore,
) -> Vec<tables::GroupKeywordRow<'a>> {
    rows.iter()
        .map(|r| tables::GroupKeywordRow {
            group: groups.names[r.group as usize].as_str(),
            keyword: store.terms.name(r.term),
            tf: r.tf,
            df: r.df,
            tfidf: r.tfidf,
            rank: r.rank,
        })
        .collect()
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

fn paths(files: &[std::path::PathBuf]) -> Vec<String> {
    files.iter().map(|p| p.display().to_string()).collect()
}

/// The term ids of a `--topic` query, analysed like an article but with the entity rules
/// alone: a query is a list of keywords without a sentence around them, and the tagger reads
/// names from their context (alone, `카카오 먹통` reads to it as one organisation). An error
/// when none occurs in the dump (every story would be off topic).
fn topic_terms(
    query: &str,
    analysers: &pipeline::Analysers,
    store: &stories::StoryStore,
) -> Result<Vec<u32>> {
    let text = normalise::normalise_text("", query);
    let rules = Recogniser::new(analysers.recogniser.gazetteer().clone());
    let analysers = pipeline::Analysers {
        recogniser: &rules,
        ..*analysers
    };
    let mut worker = analysers.morphology.worker();
    let (terms, _) = pipeline::analyse_text(&mut worker, &analysers, &text, None)?;
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

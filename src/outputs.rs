//! Outputs: a finished run's tables, from its article rows, story store and aggregates.
//!
//! Takes what the passes and the aggregation gave ([`Run`]); gives the rows of every table
//! ([`keyword_rows`], [`entity_rows`], …: names looked up in the store's vocabularies), every
//! table as DataFrames by file name ([`for_each_table`]) and [`write`], which writes them all
//! with [`crate::tables`]. Guarantees: rows come in the orders the aggregation fixed (totals
//! ranked by TF-IDF then keyword, entities by id), so the tables do not depend on the thread
//! count; tables with a row per article or story come, and are written, a piece at a time; what
//! is written is exactly what [`for_each_table`] gives (the Python bindings' tables).

use std::path::Path;

use polars::prelude::DataFrame;

use crate::aggregate::Aggregates;
use crate::bigkinds::Overlap;
use crate::bins::Binning;
use crate::coverage;
use crate::error::Result;
use crate::keywords::{GroupKeyword, Groups};
use crate::record::{ArticleRow, Rejection};
use crate::stories::StoryStore;
use crate::tables::{self, TableFormat, TableStream};

/// Everything the tables are written from.
pub struct Run<'a> {
    /// One row per record, in run order (`articles.csv`).
    pub rows: &'a [ArticleRow],
    pub rejections: &'a [Rejection],
    pub store: &'a StoryStore,
    pub agg: &'a Aggregates,
    pub overlap: &'a Overlap,
    /// Count off-topic stories' articles in the timeline and outlets too.
    pub keep_off_topic: bool,
    pub bin: Binning,
}

/// What [`write`] wrote.
pub struct Written {
    /// The files, relative to the output directory.
    pub files: Vec<String>,
    /// Rows of `keywords.csv` and `entities.csv`.
    pub keywords: u64,
    pub entities: u64,
}

/// `keywords.csv`'s rows: the ranked terms with their totals.
pub fn keyword_rows<'a>(agg: &'a Aggregates, store: &'a StoryStore) -> Vec<tables::KeywordRow<'a>> {
    agg.ranked
        .iter()
        .map(|&t| tables::KeywordRow {
            keyword: store.terms.name(t).as_str(),
            kind: store.kind(t),
            tf: agg.totals.tf[t as usize],
            df: agg.totals.df[t as usize],
            articles: agg.totals.articles[t as usize],
            idf: agg.totals.idf(t),
        })
        .collect()
}

/// `entities.csv`'s rows: every entity of a counted story, aliases sorted.
pub fn entity_rows<'a>(agg: &Aggregates, store: &'a StoryStore) -> Vec<tables::EntityRow<'a>> {
    agg.entities
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
        .collect()
}

/// `cooccurrence.csv`'s rows.
pub fn edge_rows<'a>(agg: &Aggregates, store: &'a StoryStore) -> Vec<tables::EdgeRow<'a>> {
    let term = |t: u32| store.terms.name(t).as_str();
    agg.edges
        .iter()
        .map(|e| tables::EdgeRow {
            a: term(agg.nodes[e.a]),
            b: term(agg.nodes[e.b]),
            stories: e.stories,
            articles: e.articles,
            npmi: e.npmi,
        })
        .collect()
}

/// `entities_by_day.csv`'s rows.
pub fn entity_day_rows<'a>(
    agg: &'a Aggregates,
    store: &'a StoryStore,
) -> Vec<tables::EntityDayRow<'a>> {
    agg.entities_by_day
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
        .collect()
}

/// `keywords_by_day.csv`'s or `keywords_by_outlet.csv`'s rows.
pub fn group_rows<'a>(
    groups: &'a Groups,
    rows: &[GroupKeyword],
    store: &'a StoryStore,
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

/// Gives `each` every table of a run but `mentions.csv` — its file name and its pieces (one,
/// or several of [`tables::CHUNK_ROWS`] rows for the tables with a row per article or story) —
/// in the order [`write`] writes them; gives the rows of `keywords.csv` and `entities.csv`.
pub fn for_each_table(
    run: &Run,
    mut each: impl FnMut(&'static str, &mut dyn Iterator<Item = Result<DataFrame>>) -> Result<()>,
) -> Result<(u64, u64)> {
    let Run {
        rows,
        rejections,
        store,
        agg,
        ..
    } = *run;
    let keyword_rows = keyword_rows(agg, store);
    let entity_rows = entity_rows(agg, store);
    let summaries = coverage::stories(rows);
    let timeline = coverage::timeline(rows, run.keep_off_topic);
    let outlets = coverage::outlets(rows, &summaries, run.keep_off_topic);
    each(
        "articles.csv",
        &mut tables::chunks(rows.len(), |r| tables::articles(&rows[r])),
    )?;
    let story_list = tables::story_order(&summaries);
    each(
        "clusters.csv",
        &mut tables::chunks(story_list.len(), |r| tables::clusters(&story_list[r])),
    )?;
    each(
        "rejected.csv",
        &mut tables::chunks(rejections.len(), |r| tables::rejected(&rejections[r])),
    )?;
    for (name, table) in [
        ("keywords.csv", tables::keywords(&keyword_rows)),
        (
            "keywords_by_day.csv",
            tables::keywords_by("date", &group_rows(&agg.days, &agg.by_day, store)),
        ),
        (
            "keywords_by_outlet.csv",
            tables::keywords_by("outlet", &group_rows(&agg.outlets, &agg.by_outlet, store)),
        ),
        ("entities.csv", tables::entities(&entity_rows)),
        (
            "cooccurrence.csv",
            tables::cooccurrence(&edge_rows(agg, store)),
        ),
        ("timeline.csv", tables::timeline(&timeline)),
        (
            "timeline_binned.csv",
            tables::timeline_binned(&coverage::timeline_binned(&timeline, run.bin)),
        ),
        ("outlets.csv", tables::outlets(&outlets)),
        (
            "entities_by_day.csv",
            tables::entities_by_day(&entity_day_rows(agg, store)),
        ),
        (
            "bigkinds_entities_overlap.csv",
            tables::bigkinds_overlap(&run.overlap.rows()),
        ),
    ] {
        each(name, &mut std::iter::once(table))?;
    }
    Ok((keyword_rows.len() as u64, entity_rows.len() as u64))
}

/// Writes every table of a run into `out` (the mentions stream is finished here too).
pub fn write(out: &Path, format: TableFormat, run: &Run, mentions: TableStream) -> Result<Written> {
    let mut files = Vec::new();
    let (keywords, entities) = for_each_table(run, |name, pieces| {
        files.extend(tables::write_table(out, name, format, pieces)?);
        Ok(())
    })?;
    files.extend(mentions.finish()?);
    Ok(Written {
        files,
        keywords,
        entities,
    })
}

//! Tables: polars DataFrames for every output table, and their CSV files.
//!
//! Takes the run's rows and counts; gives DataFrames (`articles`, `keywords`, `clusters`,
//! `rejected`) and writes them as CSV.
//!
//! Guarantees: every table is sorted by a total order (articles and rejections by run order,
//! keywords by `tf` descending then keyword, clusters by size descending then cluster id), so the same input gives byte-identical files; files
//! are written to a temporary name in the output directory and renamed, so a reader never sees a
//! half-written table; UTF-8, with a byte-order mark when `excel` is set (Excel on Korean Windows
//! otherwise reads UTF-8 as CP949 and shows mojibake).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::keywords::KeywordCounts;
use crate::record::{ArticleRow, Rejection};

fn polars_err(what: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Output {
        what: PathBuf::from(what),
        message: e.to_string(),
    }
}

/// `articles.csv`: one row per input record, in run order.
pub fn articles(rows: &[ArticleRow]) -> Result<DataFrame> {
    let col = |f: fn(&ArticleRow) -> &str| rows.iter().map(f).collect::<Vec<_>>();
    let opt = |f: fn(&ArticleRow) -> Option<&str>| rows.iter().map(f).collect::<Vec<_>>();
    df!(
        "article_id" => col(|r| &r.article_id),
        "source" => col(|r| &r.source),
        "outlet" => opt(|r| r.outlet.as_deref()),
        "date" => opt(|r| Some(r.date.iso()).filter(|d| !d.is_empty())),
        "date_raw" => opt(|r| Some(r.date.unparsed()).filter(|d| !d.is_empty())),
        "url" => opt(|r| r.url.as_deref()),
        "title" => col(|r| &r.title),
        "chars" => rows.iter().map(|r| r.chars as u64).collect::<Vec<_>>(),
        "boilerplate_chars" => rows.iter().map(|r| r.boilerplate_chars as u64).collect::<Vec<_>>(),
        "status" => col(|r| r.status.as_str()),
        "duplicate_of" => opt(|r| r.duplicate_of.as_deref()),
        "cluster_id" => rows.iter().map(|r| r.cluster_id).collect::<Vec<_>>(),
        "is_representative" => rows
            .iter()
            .map(|r| r.cluster_id.map(|_| r.is_representative()))
            .collect::<Vec<_>>(),
        "similarity_to_representative" => rows
            .iter()
            // Four decimals: enough to rank copies, and stable across platforms' float printing.
            .map(|r| r.similarity.map(|s| (s * 1e4).round() / 1e4))
            .collect::<Vec<_>>(),
    )
    .map_err(polars_err("articles table"))
}

/// One story as `clusters.csv` describes it.
#[derive(Debug, Default)]
struct Story<'a> {
    size: u64,
    representative: Option<&'a ArticleRow>,
    outlets: BTreeSet<&'a str>,
    first_date: Option<&'a str>,
    last_date: Option<&'a str>,
    /// Outlet of the earliest dated article (input order among equal dates), else of the first
    /// article with an outlet.
    first_outlet: Option<(&'a str, &'a str)>,
    any_outlet: Option<&'a str>,
}

/// `clusters.csv`: one row per story — by size descending, then cluster id.
pub fn clusters(rows: &[ArticleRow]) -> Result<DataFrame> {
    let mut stories: BTreeMap<u32, Story> = BTreeMap::new();
    for row in rows {
        let Some(id) = row.cluster_id else { continue };
        let story = stories.entry(id).or_default();
        story.size += 1;
        if row.is_representative() {
            story.representative = Some(row);
        }
        let date = Some(row.date.iso()).filter(|d| !d.is_empty());
        if let Some(outlet) = row.outlet.as_deref() {
            story.outlets.insert(outlet);
            story.any_outlet.get_or_insert(outlet);
            if let Some(d) = date {
                if story.first_outlet.is_none_or(|(fd, _)| d < fd) {
                    story.first_outlet = Some((d, outlet));
                }
            }
        }
        if let Some(d) = date {
            story.first_date = Some(story.first_date.map_or(d, |f| f.min(d)));
            story.last_date = Some(story.last_date.map_or(d, |l| l.max(d)));
        }
    }
    let list: Vec<(u32, Story)> = stories.into_iter().collect();
    fn rep<'a>(s: &Story<'a>) -> &'a ArticleRow {
        s.representative
            .expect("every cluster has a representative")
    }
    let table = df!(
        "cluster_id" => list.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        "size" => list.iter().map(|(_, s)| s.size).collect::<Vec<_>>(),
        "representative_id" => list.iter().map(|(_, s)| rep(s).article_id.as_str()).collect::<Vec<_>>(),
        "title" => list.iter().map(|(_, s)| rep(s).title.as_str()).collect::<Vec<_>>(),
        "outlets" => list
            .iter()
            .map(|(_, s)| {
                let outlets: Vec<&str> = s.outlets.iter().copied().collect();
                (!outlets.is_empty()).then(|| outlets.join(";"))
            })
            .collect::<Vec<_>>(),
        "n_outlets" => list.iter().map(|(_, s)| s.outlets.len() as u64).collect::<Vec<_>>(),
        "first_date" => list.iter().map(|(_, s)| s.first_date).collect::<Vec<_>>(),
        "last_date" => list.iter().map(|(_, s)| s.last_date).collect::<Vec<_>>(),
        "first_outlet" => list
            .iter()
            .map(|(_, s)| s.first_outlet.map(|(_, o)| o).or(s.any_outlet))
            .collect::<Vec<_>>(),
    )
    .and_then(|t| {
        t.sort(
            ["size", "cluster_id"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
    })
    .map_err(polars_err("clusters table"))?;
    Ok(table)
}

/// `keywords.csv`: keyword, pos, tf, df, df_all, rank — by tf descending, then keyword.
pub fn keywords(counts: &KeywordCounts) -> Result<DataFrame> {
    let mut keyword = Vec::with_capacity(counts.len());
    let mut pos = Vec::with_capacity(counts.len());
    let (mut tf, mut df, mut df_all) = (Vec::new(), Vec::new(), Vec::new());
    for (k, s) in &counts.stats {
        keyword.push(k.as_str());
        pos.push(s.pos());
        tf.push(s.tf);
        df.push(s.df);
        df_all.push(s.df_all);
    }
    let table = df!(
        "keyword" => keyword,
        "pos" => pos,
        "tf" => tf,
        "df" => df,
        "df_all" => df_all,
    )
    .and_then(|t| {
        t.sort(
            ["tf", "keyword"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
    })
    .map_err(polars_err("keywords table"))?;
    with_rank(table)
}

/// Appends `rank`, 1 for the first row.
fn with_rank(mut table: DataFrame) -> Result<DataFrame> {
    let rank: Vec<u64> = (1..=table.height() as u64).collect();
    table
        .with_column(Column::new("rank".into(), rank))
        .map_err(polars_err("rank column"))?;
    Ok(table)
}

/// `rejected.csv`: source, article_id, reason — in run order.
pub fn rejected(rows: &[Rejection]) -> Result<DataFrame> {
    df!(
        "source" => rows.iter().map(|r| r.source.as_str()).collect::<Vec<_>>(),
        "article_id" => rows.iter().map(|r| r.article_id.as_deref()).collect::<Vec<_>>(),
        "reason" => rows.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>(),
    )
    .map_err(polars_err("rejected table"))
}

/// Writes `table` as `dir/name` atomically.
pub fn write_csv(table: &mut DataFrame, dir: &Path, name: &str, excel: bool) -> Result<PathBuf> {
    write_atomically(dir, name, |file| {
        CsvWriter::new(file)
            .include_bom(excel)
            .include_header(true)
            .finish(table)
            .map_err(|e| std::io::Error::other(e.to_string()))
    })
}

/// Writes a file through `write` into a temporary file in `dir`, then renames it to `name`.
pub fn write_atomically(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<PathBuf> {
    let path = dir.join(name);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    write(tmp.as_file_mut())
        .and_then(|()| tmp.as_file_mut().flush())
        .and_then(|()| readable_by_all(tmp.as_file()))
        .map_err(|e| Error::io(&path, e))?;
    tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
    Ok(path)
}

/// Temporary files are created owner-only; reports are meant to be shared like any other file.
#[cfg(unix)]
fn readable_by_all(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn readable_by_all(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

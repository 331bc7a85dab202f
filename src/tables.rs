//! Tables: polars DataFrames for every output table, and their CSV (and Parquet) files.
//!
//! Takes the run's rows and counts; gives DataFrames (`articles`, `keywords`, `clusters`,
//! `rejected`, …) and writes them as CSV, and as Parquet when asked ([`write_parquet`]);
//! [`TableStream`] writes a table too long to hold (`mentions`) row by row in both formats.
//!
//! Guarantees: every table is sorted by a total order (articles and rejections by run order,
//! keywords by `tf` descending then keyword, clusters by size descending then cluster id), so the same input gives byte-identical files; files
//! are written to a temporary name in the output directory and renamed, so a reader never sees a
//! half-written table; UTF-8, with a byte-order mark when `excel` is set (Excel on Korean Windows
//! otherwise reads UTF-8 as CP949 and shows mojibake). Parquet files hold the same rows and
//! columns with their types (zstd-compressed, polars' defaults) and never the `--excel`
//! apostrophes, which are for Excel only.

use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use std::collections::BTreeMap;

use crate::bigkinds::OverlapRow;
use crate::coverage::{Day, Outlet, Period, StorySummary};
use crate::error::{Error, Result};
use crate::record::{ArticleRow, BigKinds, Rejection};

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
        // An empty cell is written as nothing (null to polars), not as `""`, like every other
        // missing value: a rejected record has no id, an untitled one no title.
        "article_id" => opt(|r| Some(r.article_id.as_str()).filter(|t| !t.is_empty())),
        "source" => col(|r| &r.source),
        "outlet" => opt(|r| r.outlet.as_deref()),
        "date" => opt(|r| Some(r.date.iso()).filter(|d| !d.is_empty())),
        "date_raw" => opt(|r| Some(r.date.unparsed()).filter(|d| !d.is_empty())),
        "url" => opt(|r| r.url.as_deref()),
        "title" => opt(|r| Some(r.title.as_str()).filter(|t| !t.is_empty())),
        "chars" => rows.iter().map(|r| r.chars as u64).collect::<Vec<_>>(),
        "boilerplate_chars" => rows.iter().map(|r| r.boilerplate_chars as u64).collect::<Vec<_>>(),
        "learned_boilerplate_chars" => rows
            .iter()
            .map(|r| r.learned_boilerplate_chars as u64)
            .collect::<Vec<_>>(),
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
            .map(|r| r.similarity.map(round4))
            .collect::<Vec<_>>(),
        "relevance" => rows.iter().map(|r| r.relevance.map(round4)).collect::<Vec<_>>(),
        "off_topic" => rows.iter().map(|r| r.off_topic).collect::<Vec<_>>(),
        "bigkinds_people" => opt(|r| bigkinds_cell(r, |b| &b.people)),
        "bigkinds_places" => opt(|r| bigkinds_cell(r, |b| &b.places)),
        "bigkinds_organisations" => opt(|r| bigkinds_cell(r, |b| &b.organisations)),
        "bigkinds_keywords" => opt(|r| bigkinds_cell(r, |b| &b.keywords)),
    )
    .map_err(polars_err("articles table"))
}

/// A BIGKinds column of a row, `None` when empty or not from a BIGKinds export.
fn bigkinds_cell(row: &ArticleRow, cell: fn(&BigKinds) -> &String) -> Option<&str> {
    row.bigkinds
        .as_deref()
        .map(|b| cell(b).as_str())
        .filter(|c| !c.is_empty())
}

/// Four decimals: enough to rank by, and stable across platforms' float printing.
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// The stories in `clusters.csv`'s order: by size descending, then cluster id.
pub fn story_order<'s, 'a>(
    stories: &'s BTreeMap<u32, StorySummary<'a>>,
) -> Vec<(&'s u32, &'s StorySummary<'a>)> {
    let mut list: Vec<_> = stories.iter().collect();
    list.sort_by(|a, b| b.1.size.cmp(&a.1.size).then(a.0.cmp(b.0)));
    list
}

/// `clusters.csv` rows for `list`, a slice of [`story_order`].
pub fn clusters(list: &[(&u32, &StorySummary)]) -> Result<DataFrame> {
    fn rep<'a>(s: &StorySummary<'a>) -> &'a ArticleRow {
        s.representative
            .expect("every cluster has a representative")
    }
    let table = df!(
        "cluster_id" => list.iter().map(|(id, _)| **id).collect::<Vec<_>>(),
        "size" => list.iter().map(|(_, s)| s.size).collect::<Vec<_>>(),
        "representative_id" => list.iter().map(|(_, s)| rep(s).article_id.as_str()).collect::<Vec<_>>(),
        "title" => list
            .iter()
            .map(|(_, s)| Some(rep(s).title.as_str()).filter(|t| !t.is_empty()))
            .collect::<Vec<_>>(),
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
            .map(|(_, s)| s.first_outlet)
            .collect::<Vec<_>>(),
        "relevance" => list.iter().map(|(_, s)| rep(s).relevance.map(round4)).collect::<Vec<_>>(),
        "off_topic" => list.iter().map(|(_, s)| rep(s).off_topic).collect::<Vec<_>>(),
    )
    .map_err(polars_err("clusters table"))?;
    Ok(table)
}

/// `timeline.csv`: date, articles, stories, outlets, off_topic — one row per day, in order.
pub fn timeline(days: &[Day]) -> Result<DataFrame> {
    df!(
        "date" => days.iter().map(|d| d.date.as_str()).collect::<Vec<_>>(),
        "articles" => days.iter().map(|d| d.articles).collect::<Vec<_>>(),
        "stories" => days.iter().map(|d| d.stories).collect::<Vec<_>>(),
        "outlets" => days.iter().map(|d| d.outlets).collect::<Vec<_>>(),
        "off_topic" => days.iter().map(|d| d.off_topic).collect::<Vec<_>>(),
    )
    .map_err(polars_err("timeline table"))
}

/// `timeline_binned.csv`: bin, start, end, label, days, articles, stories, outlets, off_topic —
/// one row per bin (see [`crate::coverage::timeline_binned`]), in order.
pub fn timeline_binned(periods: &[Period]) -> Result<DataFrame> {
    df!(
        "bin" => periods.iter().map(|p| p.bin.name()).collect::<Vec<_>>(),
        "start" => periods.iter().map(|p| p.start.as_str()).collect::<Vec<_>>(),
        "end" => periods.iter().map(|p| p.end.as_str()).collect::<Vec<_>>(),
        "label" => periods.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(),
        "days" => periods.iter().map(|p| p.days).collect::<Vec<_>>(),
        "articles" => periods.iter().map(|p| p.articles).collect::<Vec<_>>(),
        "stories" => periods.iter().map(|p| p.stories).collect::<Vec<_>>(),
        "outlets" => periods.iter().map(|p| p.outlets).collect::<Vec<_>>(),
        "off_topic" => periods.iter().map(|p| p.off_topic).collect::<Vec<_>>(),
    )
    .map_err(polars_err("binned timeline table"))
}

/// `outlets.csv`: outlet, articles, stories, share_articles, share_stories, first_date,
/// originated — in the order given (articles descending, then outlet).
pub fn outlets(outlets: &[Outlet]) -> Result<DataFrame> {
    df!(
        "outlet" => outlets.iter().map(|o| o.outlet).collect::<Vec<_>>(),
        "articles" => outlets.iter().map(|o| o.articles).collect::<Vec<_>>(),
        "stories" => outlets.iter().map(|o| o.stories).collect::<Vec<_>>(),
        "share_articles" => outlets.iter().map(|o| round4(o.share_articles)).collect::<Vec<_>>(),
        "share_stories" => outlets.iter().map(|o| round4(o.share_stories)).collect::<Vec<_>>(),
        "first_date" => outlets.iter().map(|o| o.first_date).collect::<Vec<_>>(),
        "originated" => outlets.iter().map(|o| o.originated).collect::<Vec<_>>(),
    )
    .map_err(polars_err("outlets table"))
}

/// One row of `entities_by_day.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityDayRow<'a> {
    pub date: &'a str,
    pub entity: &'a str,
    pub kind: &'a str,
    pub mentions: u64,
    pub stories: u64,
}

/// `entities_by_day.csv`: date, entity, type, mentions, stories — in the order given (by date,
/// then stories descending).
pub fn entities_by_day(rows: &[EntityDayRow]) -> Result<DataFrame> {
    df!(
        "date" => rows.iter().map(|r| r.date).collect::<Vec<_>>(),
        "entity" => rows.iter().map(|r| r.entity).collect::<Vec<_>>(),
        "type" => rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
        "mentions" => rows.iter().map(|r| r.mentions).collect::<Vec<_>>(),
        "stories" => rows.iter().map(|r| r.stories).collect::<Vec<_>>(),
    )
    .map_err(polars_err("entities by day table"))
}

/// One row of `keywords.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct KeywordRow<'a> {
    pub keyword: &'a str,
    /// PER/ORG/LOC/TERM for names, else the noun's ko-dic tags (`NNG`, `NNP+NNG`).
    pub kind: &'a str,
    pub tf: u64,
    pub df: u64,
    pub articles: u64,
    pub idf: f64,
}

/// `keywords.csv`: keyword, kind, tf, df, articles, idf, tfidf, rank — in the order given (the
/// caller ranks: TF-IDF descending, then keyword).
pub fn keywords(rows: &[KeywordRow]) -> Result<DataFrame> {
    let table = df!(
        "keyword" => rows.iter().map(|r| r.keyword).collect::<Vec<_>>(),
        "kind" => rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
        "tf" => rows.iter().map(|r| r.tf).collect::<Vec<_>>(),
        "df" => rows.iter().map(|r| r.df).collect::<Vec<_>>(),
        "articles" => rows.iter().map(|r| r.articles).collect::<Vec<_>>(),
        "idf" => rows.iter().map(|r| round4(r.idf)).collect::<Vec<_>>(),
        "tfidf" => rows.iter().map(|r| round4(r.tf as f64 * r.idf)).collect::<Vec<_>>(),
    )
    .map_err(polars_err("keywords table"))?;
    with_rank(table)
}

/// One row of a per-group keyword table.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupKeywordRow<'a> {
    pub group: &'a str,
    pub keyword: &'a str,
    pub tf: u64,
    pub df: u64,
    pub tfidf: f64,
    pub rank: u32,
}

/// `keywords_by_day.csv` / `keywords_by_outlet.csv`: `group_column` (date or outlet), keyword,
/// tf, df, tfidf, rank — in the order given (by group, then rank).
pub fn keywords_by(group_column: &str, rows: &[GroupKeywordRow]) -> Result<DataFrame> {
    df!(
        group_column => rows.iter().map(|r| r.group).collect::<Vec<_>>(),
        "keyword" => rows.iter().map(|r| r.keyword).collect::<Vec<_>>(),
        "tf" => rows.iter().map(|r| r.tf).collect::<Vec<_>>(),
        "df" => rows.iter().map(|r| r.df).collect::<Vec<_>>(),
        "tfidf" => rows.iter().map(|r| round4(r.tfidf)).collect::<Vec<_>>(),
        "rank" => rows.iter().map(|r| r.rank).collect::<Vec<_>>(),
    )
    .map_err(polars_err("keywords by group table"))
}

/// One row of `entities.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRow<'a> {
    pub entity: &'a str,
    pub kind: &'a str,
    pub mentions: u64,
    pub articles: u64,
    pub stories: u64,
    /// Other surfaces seen for the entity, sorted, joined by `;`.
    pub aliases_seen: String,
}

/// `entities.csv`: entity, type, mentions, articles, stories, aliases_seen — by stories
/// descending, then mentions descending, then type and entity.
pub fn entities(rows: &[EntityRow]) -> Result<DataFrame> {
    df!(
        "entity" => rows.iter().map(|r| r.entity).collect::<Vec<_>>(),
        "type" => rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
        "mentions" => rows.iter().map(|r| r.mentions).collect::<Vec<_>>(),
        "articles" => rows.iter().map(|r| r.articles).collect::<Vec<_>>(),
        "stories" => rows.iter().map(|r| r.stories).collect::<Vec<_>>(),
        "aliases_seen" => rows
            .iter()
            .map(|r| Some(r.aliases_seen.as_str()).filter(|a| !a.is_empty()))
            .collect::<Vec<_>>(),
    )
    .and_then(|t| {
        t.sort(
            ["stories", "mentions", "type", "entity"],
            SortMultipleOptions::default().with_order_descending_multi([true, true, false, false]),
        )
    })
    .map_err(polars_err("entities table"))
}

/// One row of `cooccurrence.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRow<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub stories: u64,
    pub articles: u64,
    pub npmi: f64,
}

/// `cooccurrence.csv`: term_a, term_b, stories, articles, npmi — by stories descending, then
/// npmi descending, then the terms.
pub fn cooccurrence(rows: &[EdgeRow]) -> Result<DataFrame> {
    df!(
        "term_a" => rows.iter().map(|r| r.a).collect::<Vec<_>>(),
        "term_b" => rows.iter().map(|r| r.b).collect::<Vec<_>>(),
        "stories" => rows.iter().map(|r| r.stories).collect::<Vec<_>>(),
        "articles" => rows.iter().map(|r| r.articles).collect::<Vec<_>>(),
        "npmi" => rows.iter().map(|r| round4(r.npmi)).collect::<Vec<_>>(),
    )
    .and_then(|t| {
        t.sort(
            ["stories", "npmi", "term_a", "term_b"],
            SortMultipleOptions::default().with_order_descending_multi([true, true, false, false]),
        )
    })
    .map_err(polars_err("co-occurrence table"))
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
        "article_id" => rows
            .iter()
            .map(|r| r.article_id.as_deref().filter(|id| !id.is_empty()))
            .collect::<Vec<_>>(),
        "reason" => rows.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>(),
    )
    .map_err(polars_err("rejected table"))
}

/// `bigkinds_entities_overlap.csv`: entity, type, in_bigkinds, in_bodo, articles — in the
/// order given (see [`crate::bigkinds`]).
pub fn bigkinds_overlap(rows: &[OverlapRow]) -> Result<DataFrame> {
    df!(
        "entity" => rows.iter().map(|r| r.entity.as_str()).collect::<Vec<_>>(),
        "type" => rows.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
        "in_bigkinds" => rows.iter().map(|r| r.in_bigkinds).collect::<Vec<_>>(),
        "in_bodo" => rows.iter().map(|r| r.in_bodo).collect::<Vec<_>>(),
        "articles" => rows.iter().map(|r| r.articles).collect::<Vec<_>>(),
    )
    .map_err(polars_err("BIGKinds overlap table"))
}

/// A table as the bytes of a Parquet file: how the Python bindings hand a table to pyarrow,
/// its column types kept.
pub fn parquet_bytes(table: &mut DataFrame) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .finish(table)
        .map_err(polars_err("a table in memory"))?;
    Ok(bytes)
}

/// `name.csv` → `name.parquet`.
pub fn parquet_name(csv_name: &str) -> String {
    let stem = csv_name.strip_suffix(".csv").unwrap_or(csv_name);
    format!("{stem}.parquet")
}

/// Rows per piece of a table with a row per article or story (see [`chunks`]).
pub const CHUNK_ROWS: usize = 64 * 1024;

/// The pieces of a table of `rows` rows, each built by `build` over a range of at most
/// [`CHUNK_ROWS`] rows: a million-row `articles.csv` is then never one DataFrame (which would
/// copy every title and id at once). There is always at least one piece, so an empty table still
/// has its header and schema.
pub fn chunks<'a>(
    rows: usize,
    build: impl Fn(std::ops::Range<usize>) -> Result<DataFrame> + 'a,
) -> impl Iterator<Item = Result<DataFrame>> + 'a {
    let pieces = rows.div_ceil(CHUNK_ROWS).max(1);
    (0..pieces).map(move |i| build(i * CHUNK_ROWS..((i + 1) * CHUNK_ROWS).min(rows)))
}

/// What every table file is written with.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableFormat {
    /// UTF-8 BOM and formula-like cells neutralised in the CSV (see [`excel_safe`]).
    pub excel: bool,
    /// A Parquet twin beside the CSV.
    pub parquet: bool,
}

/// Writes the table whose pieces `pieces` yields as `dir/name` (a `.csv` name), and as
/// `NAME.parquet` when asked, each atomically; returns the names of the files written.
pub fn write_table(
    dir: &Path,
    name: &str,
    format: TableFormat,
    pieces: impl IntoIterator<Item = Result<DataFrame>>,
) -> Result<Vec<String>> {
    let csv_path = dir.join(name);
    let mut csv = temporary(dir, name)?;
    let mut parquet = None;
    for (i, piece) in pieces.into_iter().enumerate() {
        let mut piece = piece?;
        if format.parquet {
            let stream = match &mut parquet {
                Some(stream) => stream,
                None => parquet.insert(ParquetStream::create(dir, &parquet_name(name), &piece)?),
            };
            stream.write(&piece)?;
        }
        // After Parquet: the apostrophes are for Excel only.
        if format.excel {
            neutralise_formulas(&mut piece).map_err(polars_err("formula neutralisation"))?;
        }
        CsvWriter::new(csv.as_file_mut())
            .include_bom(format.excel && i == 0)
            .include_header(i == 0)
            .finish(&mut piece)
            .map_err(|e| Error::io(&csv_path, std::io::Error::other(e.to_string())))?;
    }
    let mut written = Vec::new();
    if let Some(stream) = parquet {
        written.push(stream.finish()?);
    }
    persist(csv, &csv_path)?;
    written.insert(0, name.to_string());
    Ok(written)
}

/// A cell Excel would evaluate as a formula — one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return — behind a leading apostrophe, as OWASP advises against CSV injection (a
/// headline such as `=HYPERLINK(…)` in a scraped dump must not run when an analyst opens the
/// file); any other cell as it is. Applied to every text cell when `--excel` is on.
pub fn excel_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Applies [`excel_safe`] to every text column of `table`.
fn neutralise_formulas(table: &mut DataFrame) -> PolarsResult<()> {
    let names: Vec<PlSmallStr> = table
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String)
        .map(|c| c.name().clone())
        .collect();
    for name in names {
        let safe = table
            .column(&name)?
            .str()?
            .apply_into_string_amortized(|cell, buf| buf.push_str(&excel_safe(cell)));
        table.replace(&name, safe.into_column())?;
    }
    Ok(())
}

/// Writes a file through `write` into a temporary file in `dir`, then renames it to `name`.
pub fn write_atomically(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<PathBuf> {
    let mut tmp = temporary(dir, name)?;
    let path = dir.join(name);
    write(tmp.as_file_mut()).map_err(|e| Error::io(&path, e))?;
    persist(tmp, &path)
}

fn temporary(dir: &Path, name: &str) -> Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))
}

fn persist(mut tmp: tempfile::NamedTempFile, path: &Path) -> Result<PathBuf> {
    tmp.as_file_mut()
        .flush()
        .and_then(|()| readable_by_all(tmp.as_file()))
        .map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(path.to_path_buf())
}

/// A column of a [`TableStream`]: its name and whether it holds counts (`u64` in Parquet; cells
/// are given as text either way).
#[derive(Debug, Clone, Copy)]
pub struct StreamColumn {
    pub name: &'static str,
    pub count: bool,
}

/// A table too long to hold in memory (`mentions`), written row by row into temporary files
/// and renamed into place by [`TableStream::finish`] — same atomicity and encoding as
/// [`write_csv`], and, when asked, a Parquet twin written in row groups of
/// [`PARQUET_ROW_GROUP`] rows, so memory holds one row group at most.
pub struct TableStream {
    writer: csv::Writer<std::io::BufWriter<tempfile::NamedTempFile>>,
    path: PathBuf,
    excel: bool,
    parquet: Option<ParquetRows>,
}

/// Rows per Parquet row group of a [`TableStream`].
pub const PARQUET_ROW_GROUP: usize = 32 * 1024;

/// A Parquet file written one row group at a time.
struct ParquetStream {
    /// Writes through a second handle on `file`, which is persisted once the writer is done.
    writer: polars::io::parquet::write::BatchedWriter<std::fs::File>,
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

impl ParquetStream {
    /// Starts `dir/name` with the schema of `like`.
    fn create(dir: &Path, name: &str, like: &DataFrame) -> Result<Self> {
        let path = dir.join(name);
        let file = temporary(dir, name)?;
        let handle = file
            .as_file()
            .try_clone()
            .map_err(|e| Error::io(&path, e))?;
        let writer = ParquetWriter::new(handle)
            .batched(like.schema())
            .map_err(polars_err(name))?;
        Ok(ParquetStream { writer, file, path })
    }

    fn write(&mut self, rows: &DataFrame) -> Result<()> {
        let what = self.path.display().to_string();
        self.writer.write_batch(rows).map_err(polars_err(&what))
    }

    /// Completes the file and moves it into place; returns its name.
    fn finish(self) -> Result<String> {
        let what = self.path.display().to_string();
        self.writer.finish().map_err(polars_err(&what))?;
        drop(self.writer);
        persist(self.file, &self.path)?;
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        Ok(name.into_owned())
    }
}

/// The rows of a [`TableStream`]'s Parquet twin not yet written, by column.
struct ParquetRows {
    stream: Option<ParquetStream>,
    dir: PathBuf,
    name: String,
    columns: &'static [StreamColumn],
    cells: Vec<Vec<String>>,
}

impl TableStream {
    /// Starts `dir/name` (a `.csv` name), and `dir/NAME.parquet` when `parquet` is set.
    pub fn create(
        dir: &Path,
        name: &str,
        excel: bool,
        parquet: bool,
        columns: &'static [StreamColumn],
    ) -> Result<Self> {
        let path = dir.join(name);
        let mut file = std::io::BufWriter::with_capacity(1 << 16, temporary(dir, name)?);
        if excel {
            file.write_all("\u{feff}".as_bytes())
                .map_err(|e| Error::io(&path, e))?;
        }
        let parquet = parquet.then(|| ParquetRows::new(dir, &parquet_name(name), columns));
        let mut stream = TableStream {
            writer: csv::Writer::from_writer(file),
            path,
            excel,
            parquet: None,
        };
        stream.write_csv(columns.iter().map(|c| c.name))?;
        stream.parquet = parquet;
        Ok(stream)
    }

    /// Writes one row (CSV cells through [`excel_safe`] when the stream is for Excel).
    pub fn write<const N: usize>(&mut self, record: [&str; N]) -> Result<()> {
        if let Some(parquet) = &mut self.parquet {
            parquet.push(&record)?;
        }
        self.write_csv(record)
    }

    fn write_csv<'c>(&mut self, record: impl IntoIterator<Item = &'c str>) -> Result<()> {
        let path = &self.path;
        let error = |e: csv::Error| Error::io(path, e.into());
        for cell in record {
            let cell = if self.excel {
                excel_safe(cell)
            } else {
                cell.into()
            };
            self.writer.write_field(cell.as_bytes()).map_err(error)?;
        }
        // An empty record ends the row.
        self.writer.write_record(None::<&[u8]>).map_err(error)
    }

    /// Completes the files and moves them into place; returns the names of the files written.
    pub fn finish(self) -> Result<Vec<String>> {
        let path = self.path.clone();
        let file = self
            .writer
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        let mut written = Vec::new();
        if let Some(parquet) = self.parquet {
            written.push(parquet.finish()?);
        }
        persist(file, &path)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        written.insert(0, name.into_owned());
        Ok(written)
    }
}

impl ParquetRows {
    fn new(dir: &Path, name: &str, columns: &'static [StreamColumn]) -> Self {
        ParquetRows {
            stream: None,
            dir: dir.to_path_buf(),
            name: name.to_string(),
            columns,
            cells: vec![Vec::new(); columns.len()],
        }
    }

    fn push(&mut self, record: &[&str]) -> Result<()> {
        for (column, cell) in self.cells.iter_mut().zip(record) {
            column.push(cell.to_string());
        }
        if self.cells[0].len() >= PARQUET_ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group (the first call also starts the file, so an
    /// empty table still gets its schema).
    fn flush(&mut self) -> Result<()> {
        let path = self.dir.join(&self.name);
        let mut columns = Vec::with_capacity(self.columns.len());
        for (spec, cells) in self.columns.iter().zip(&mut self.cells) {
            let cells = std::mem::take(cells);
            let column = if spec.count {
                let numbers = cells
                    .iter()
                    .map(|c| c.parse::<u64>())
                    .collect::<std::result::Result<Vec<u64>, _>>()
                    .map_err(|e| Error::Output {
                        what: path.clone(),
                        message: format!("column {} holds a non-count: {e}", spec.name),
                    })?;
                Column::new(spec.name.into(), numbers)
            } else {
                Column::new(spec.name.into(), cells)
            };
            columns.push(column);
        }
        let rows = DataFrame::new_infer_height(columns).map_err(polars_err(&self.name))?;
        let stream = match &mut self.stream {
            Some(stream) => stream,
            None => self
                .stream
                .insert(ParquetStream::create(&self.dir, &self.name, &rows)?),
        };
        stream.write(&rows)
    }

    fn finish(mut self) -> Result<String> {
        if self.stream.is_none() || !self.cells[0].is_empty() {
            self.flush()?;
        }
        self.stream.take().expect("flushed").finish()
    }
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

//! Report: one self-contained `report.html` an analyst can e-mail.
//!
//! Takes a reports directory (`manifest.json`, the CSV tables, the charts' SVG files) and the
//! font the charts use; gives `report.html`: the run summary (articles read, stories,
//! duplicates, off-topic, rejected, date range, inputs with their sha256), every chart inlined
//! as SVG with a one-sentence reading guide (and, for a chart the tables did not allow, why it
//! is missing), the top rows of the keyword, entity, outlet and cluster tables, and links to the
//! files beside it.
//!
//! Guarantees: no network request and no script — the page's Korean text renders on a machine
//! without any Korean font, because the report embeds a subset of the font holding exactly the
//! characters it shows (a few hundred glyphs instead of the whole 4.7 MB NanumGothic); every
//! number in the summary is read from `manifest.json` and tagged with the manifest key it shows
//! (`data-manifest="counts.read"`), so a reader (or a test) can check it; the same directory
//! gives the same bytes.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use allsorts::tables::FontTableProvider;
use base64::Engine as _;
use html_escape::encode_text as esc;

use crate::charts::Font;
use crate::entities::UNNAMED;
use crate::error::{Error, Result};

/// A chart as the report shows it.
#[derive(Debug, Clone)]
pub struct Figure {
    pub title: String,
    /// One sentence on how to read it.
    pub reading: String,
    /// The chart's SVG file, inlined into the page.
    pub svg: PathBuf,
}

/// Writes `report.html` into `reports`.
pub fn write(
    reports: &Path,
    figures: &[Figure],
    skipped: &[(&str, String)],
    font: &Font,
) -> Result<PathBuf> {
    let manifest: serde_json::Value = {
        let path = reports.join("manifest.json");
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Input {
            path,
            message: format!("not a bodo manifest: {e}"),
        })?
    };
    let mut body = String::new();
    summary(&mut body, reports, &manifest)?;
    charts(&mut body, figures, skipped)?;
    tables(&mut body, reports)?;
    files(&mut body, reports, &manifest);

    let used: BTreeSet<char> = body.chars().chain(TITLE.chars()).collect();
    let face = font_face(font, &used)?;
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{TITLE}</title>\n<style>\n{face}\n{CSS}body {{ font-family: '{family}', {STACK}; }}\n\
         </style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        family = font.family().replace(['\'', '\\'], "")
    );
    crate::tables::write_atomically(reports, "report.html", |f| {
        std::io::Write::write_all(f, html.as_bytes())
    })
}

const TITLE: &str = "bodo report: how the news covered it";

/// Korean fonts of Windows, macOS and Linux, after the embedded one.
const STACK: &str = "'NanumGothic', 'Malgun Gothic', '맑은 고딕', 'Apple SD Gothic Neo', \
'Noto Sans KR', sans-serif";

const CSS: &str = "\
body { margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 2px solid #333; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }
th, td { border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #e8e8e8; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5em 0; } figure svg { width: 100%; height: auto; border: 1px solid #ccc; }
figcaption { color: #333; font-size: 0.95em; margin-top: 0.3em; }
code { font-size: 0.9em; } .skipped { color: #555; }
";

/// The subset of `font` covering `used`, as an `@font-face` rule with the font inlined: the CSS
/// stack below starts with NanumGothic, the embedded font's family.
fn font_face(font: &Font, used: &BTreeSet<char>) -> Result<String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    let mut ids: Vec<u16> = std::iter::once(0)
        .chain(used.iter().map(|&c| font.glyph_id(c)))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let error = |e: String| Error::Output {
        what: PathBuf::from("report.html"),
        message: format!("cannot embed the font: {e}"),
    };
    let data = ReadScope::new(font.bytes())
        .read::<FontData>()
        .map_err(|e| error(e.to_string()))?;
    let provider = data.table_provider(0).map_err(|e| error(e.to_string()))?;
    let subset = allsorts::subset::subset(&provider, &ids).map_err(|e| error(e.to_string()))?;
    let subset_data = ReadScope::new(&subset)
        .read::<FontData>()
        .map_err(|e| error(e.to_string()))?;
    let subset_provider = subset_data
        .table_provider(0)
        .map_err(|e| error(e.to_string()))?;
    let web = WithOs2 {
        subset: &subset_provider,
        original: &provider,
    };
    let tags = web.table_tags().unwrap_or_default();
    let subset = allsorts::subset::whole_font(&web, &tags).map_err(|e| error(e.to_string()))?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(subset);
    // Declared under the family the SVGs' font stacks name first, so charts and text use it.
    Ok(format!(
        "@font-face {{ font-family: '{}'; src: url(data:font/ttf;base64,{b64}) format('truetype'); }}",
        font.family().replace(['\'', '\\'], "")
    ))
}

/// The subset font's tables plus the original's `OS/2`: browsers' font sanitiser (OTS) rejects a
/// TrueType font without `OS/2`, and allsorts' subset, made for PDF embedding, leaves it out.
struct WithOs2<'a, S, O> {
    subset: &'a S,
    original: &'a O,
}

impl<S: FontTableProvider, O: FontTableProvider> FontTableProvider for WithOs2<'_, S, O> {
    fn table_data(
        &self,
        tag: u32,
    ) -> std::result::Result<Option<std::borrow::Cow<'_, [u8]>>, allsorts::error::ParseError> {
        if tag == allsorts::tag::OS_2 {
            self.original.table_data(tag)
        } else {
            self.subset.table_data(tag)
        }
    }

    fn has_table(&self, tag: u32) -> bool {
        if tag == allsorts::tag::OS_2 {
            self.original.has_table(tag)
        } else {
            self.subset.has_table(tag)
        }
    }

    fn table_tags(&self) -> Option<Vec<u32>> {
        let mut tags = self.subset.table_tags()?;
        if self.original.has_table(allsorts::tag::OS_2) && !tags.contains(&allsorts::tag::OS_2) {
            tags.push(allsorts::tag::OS_2);
        }
        tags.sort_unstable();
        Some(tags)
    }
}

/// A number from the manifest, tagged with its key.
fn number(manifest: &serde_json::Value, key: &str) -> String {
    let value = key
        .split('.')
        .fold(manifest, |v, k| &v[k])
        .as_u64()
        .map_or_else(|| "?".to_string(), |n| n.to_string());
    format!("<td class=\"n\" data-manifest=\"{key}\">{value}</td>")
}

fn summary(out: &mut String, reports: &Path, manifest: &serde_json::Value) -> Result<()> {
    let range = match read_table(&reports.join("timeline.csv"), usize::MAX, &all)? {
        Some(t) if !t.rows.is_empty() => format!(
            "{} – {} ({} days)",
            t.rows[0][0],
            t.rows[t.rows.len() - 1][0],
            t.rows.len()
        ),
        _ => "no dates in the input".to_string(),
    };
    let _ = write!(
        out,
        "<h1>{TITLE}</h1>\n<p>Made by bodo {} from {} input file(s). The tables beside this file \
         hold every figure; this page shows the main ones.</p>\n<h2>Run summary</h2>\n<table>\n",
        esc(manifest["bodo_version"].as_str().unwrap_or("?")),
        manifest["inputs"].as_array().map_or(0, Vec::len),
    );
    for (label, key) in [
        ("Articles read", "counts.read"),
        ("Stories (analysed once each)", "counts.analysed"),
        ("Duplicates (wire copies, rewrites)", "counts.duplicate"),
        ("Rejected records (see rejected.csv)", "counts.rejected"),
        ("Off-topic stories", "relevance.off_topic_stories"),
        ("Off-topic articles", "relevance.off_topic_articles"),
        (
            "Stories in the keyword and entity tables",
            "relevance.counted_stories",
        ),
        ("Entities (entities.csv)", "entities.entities"),
        // mentions.csv holds every story's mentions, off-topic ones too, so this is more than
        // entities.csv's `mentions` add up to when stories are off topic.
        (
            "Entity mentions, off-topic stories too (mentions.csv)",
            "entities.mentions",
        ),
        ("Keywords", "counts.keywords"),
    ] {
        let _ = writeln!(out, "<tr><th>{label}</th>{}</tr>", number(manifest, key));
    }
    let _ = writeln!(
        out,
        "<tr><th>Date range</th><td>{}</td></tr>\n</table>",
        esc(&range)
    );
    out.push_str("<h3>Inputs</h3>\n<table>\n<tr><th>file</th><th>bytes</th><th>sha256</th></tr>\n");
    for input in manifest["inputs"].as_array().into_iter().flatten() {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td><code>{}</code></td></tr>",
            esc(input["path"].as_str().unwrap_or("?")),
            input["bytes"].as_u64().unwrap_or(0),
            esc(input["sha256"].as_str().unwrap_or("?")),
        );
    }
    out.push_str("</table>\n");
    Ok(())
}

fn charts(out: &mut String, figures: &[Figure], skipped: &[(&str, String)]) -> Result<()> {
    out.push_str("<h2>Charts</h2>\n");
    for figure in figures {
        let svg = std::fs::read_to_string(&figure.svg).map_err(|e| Error::io(&figure.svg, e))?;
        // Inline SVG needs no XML prolog.
        let svg = svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]);
        let _ = write!(
            out,
            "<figure>\n<h3>{}</h3>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            esc(&figure.title),
            svg.trim_end(),
            esc(&figure.reading)
        );
    }
    if !skipped.is_empty() {
        out.push_str("<ul class=\"skipped\">\n");
        for (name, reason) in skipped {
            let _ = writeln!(out, "<li>No {} chart: {}</li>", esc(name), esc(reason));
        }
        out.push_str("</ul>\n");
    }
    Ok(())
}

/// A CSV table as strings.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Which rows of a table the report shows: given a row and a column-name → index lookup.
type Keep<'k> = &'k dyn Fn(&[String], &dyn Fn(&str) -> usize) -> bool;

/// Every row.
fn all(_: &[String], _: &dyn Fn(&str) -> usize) -> bool {
    true
}

/// The first `limit` rows of a table bodo wrote that `keep` accepts (the csv reader skips Excel's
/// byte-order mark); `None` if the file is absent. The rest is streamed past, not held: after a
/// million articles `clusters.csv` alone has half a million rows.
fn read_table(path: &Path, limit: usize, keep: Keep) -> Result<Option<Table>> {
    if !path.exists() {
        return Ok(None);
    }
    let bad = |e: csv::Error| Error::Input {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut reader = csv::Reader::from_path(path).map_err(bad)?;
    let header: Vec<String> = reader
        .headers()
        .map_err(bad)?
        .iter()
        .map(str::to_string)
        .collect();
    let index = |name: &str| header.iter().position(|h| h == name).unwrap_or(usize::MAX);
    let mut rows = Vec::new();
    for record in reader.records() {
        if rows.len() == limit {
            break;
        }
        let row: Vec<String> = record.map_err(bad)?.iter().map(str::to_string).collect();
        if keep(&row, &index) {
            rows.push(row);
        }
    }
    Ok(Some(Table { header, rows }))
}

/// Writes the rows of a table, with the given columns.
fn html_table(out: &mut String, table: &Table, columns: &[&str]) {
    let index = |name: &str| {
        table
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or(usize::MAX)
    };
    let idx: Vec<usize> = columns.iter().map(|c| index(c)).collect();
    out.push_str("<table>\n<tr>");
    for c in columns {
        let _ = write!(out, "<th>{}</th>", esc(c));
    }
    out.push_str("</tr>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for &i in &idx {
            let cell = row.get(i).map_or("", String::as_str);
            let numeric = !cell.is_empty() && cell.parse::<f64>().is_ok();
            let class = if numeric { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", esc(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

fn tables(out: &mut String, reports: &Path) -> Result<()> {
    out.push_str("<h2>Top tables</h2>\n");
    if let Some(t) = read_table(&reports.join("keywords.csv"), 20, &all)? {
        out.push_str(
            "<h3>Keywords (by TF-IDF over stories; <a href=\"keywords.csv\">all</a>)</h3>\n",
        );
        html_table(
            out,
            &t,
            &["rank", "keyword", "kind", "df", "articles", "tfidf"],
        );
    }
    for (kind, label) in [
        ("PER", "People"),
        ("ORG", "Organisations"),
        ("LOC", "Places"),
    ] {
        // Unnamed people (`박씨`, `A씨`) are counted in entities.csv, but name no one.
        let of_kind = |row: &[String], index: &dyn Fn(&str) -> usize| {
            row.get(index("type")).is_some_and(|t| t == kind)
                && row.get(index("entity")).is_some_and(|e| e != UNNAMED)
        };
        if let Some(t) = read_table(&reports.join("entities.csv"), 10, &of_kind)? {
            let _ = writeln!(
                out,
                "<h3>{label} (by stories; <a href=\"entities.csv\">all entities</a>)</h3>"
            );
            html_table(
                out,
                &t,
                &["entity", "mentions", "stories", "articles", "aliases_seen"],
            );
        }
    }
    if let Some(t) = read_table(&reports.join("outlets.csv"), 20, &all)? {
        if !t.rows.is_empty() {
            out.push_str("<h3>Outlets (<a href=\"outlets.csv\">all</a>)</h3>\n");
            html_table(
                out,
                &t,
                &[
                    "outlet",
                    "articles",
                    "stories",
                    "share_articles",
                    "originated",
                    "first_date",
                ],
            );
        }
    }
    if let Some(t) = read_table(&reports.join("clusters.csv"), 15, &all)? {
        out.push_str(
            "<h3>Largest stories and the outlets that carried them (<a href=\"clusters.csv\">all</a>)</h3>\n",
        );
        html_table(
            out,
            &t,
            &[
                "size",
                "n_outlets",
                "title",
                "outlets",
                "first_outlet",
                "off_topic",
            ],
        );
    }
    Ok(())
}

fn files(out: &mut String, reports: &Path, manifest: &serde_json::Value) {
    out.push_str("<h2>Files beside this report</h2>\n<ul>\n");
    for name in manifest["outputs"].as_array().into_iter().flatten() {
        let Some(name) = name.as_str() else { continue };
        if name != "report.html" && reports.join(name).exists() {
            let _ = writeln!(out, "<li><a href=\"{0}\">{0}</a></li>", esc(name));
        }
    }
    out.push_str("</ul>\n");
}

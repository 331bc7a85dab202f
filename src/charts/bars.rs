//! Horizontal bar charts, one bar (or a dark and a light bar) per label, largest at the top:
//! `keywords`, `entities_per`/`entities_org`/`entities_loc`, `outlets` and `clusters`. Takes the
//! parsed rows of keywords.csv, entities.csv, outlets.csv and clusters.csv; gives the chart or the
//! reason it was skipped.
//!
//! Guarantees: the label column is as wide as the widest label in the chart's font, so no label
//! is clipped or overlaps the bars; every bar carries its value; the order is total (value, then
//! label), so ties never reorder between runs.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::error::ChartError;
use crate::charts::font::Font;
use crate::charts::render::{
    count_ticks, frame, render, shorten, thousands, widest, DrawResult, Plot, Swatch, Theme,
    Ticked, DARK, DESC_PX, GRID, INK, LIGHT, MID, MUTED, TICK_PX, VALUE_PX,
};
use crate::charts::tables::{ClusterRow, EntityRow, KeywordRow, OutletRow};
use crate::charts::{Chart, Outcome};
use crate::entities::UNNAMED;

/// Keywords in the `keywords` chart.
pub const TOP_KEYWORDS: usize = 20;
/// People, organisations or places in each `entities_*` chart.
pub const TOP_ENTITIES: usize = 15;
/// Outlets in the `outlets` chart.
pub const TOP_OUTLETS: usize = 20;
/// Stories in the `clusters` chart.
pub const TOP_CLUSTERS: usize = 15;
/// Characters of a story title kept as its label (the last one "…").
pub const TITLE_CHARS: usize = 22;

/// `keywords`: the top keywords by stories containing them (df).
pub fn keywords(rows: &[KeywordRow], dir: &Path, font: &Font) -> Result<Outcome, ChartError> {
    let mut top: Vec<&KeywordRow> = rows.iter().filter(|r| !r.keyword.is_empty()).collect();
    if top.is_empty() {
        return Ok(Outcome::Skipped("keywords.csv has no keywords".to_string()));
    }
    top.sort_by(|a, b| b.df.cmp(&a.df).then_with(|| a.keyword.cmp(&b.keyword)));
    top.truncate(TOP_KEYWORDS);
    let title = format!("Top {} keywords by stories", top.len());
    let bars = Bars {
        title: title.clone(),
        x_desc: "stories containing the keyword (df)".to_string(),
        labels: top.iter().map(|r| r.keyword.clone()).collect(),
        series: vec![Series {
            name: "stories".to_string(),
            values: top.iter().map(|r| r.df).collect(),
            color: MID,
        }],
        size: (1200, 760),
    };
    let reading = format!(
        "Each bar counts the stories (wire copies counted once) that use the keyword; \
         '{}' leads with {} stories.",
        top[0].keyword,
        thousands(top[0].df)
    );
    finish(&bars, "keywords", title, reading, dir, font)
}

/// `entities_per`: the people named in most stories.
pub fn entities_per(rows: &[EntityRow], dir: &Path, font: &Font) -> Result<Outcome, ChartError> {
    entities(rows, "PER", "entities_per", "people", dir, font)
}

/// `entities_org`: the organisations named in most stories.
pub fn entities_org(rows: &[EntityRow], dir: &Path, font: &Font) -> Result<Outcome, ChartError> {
    entities(rows, "ORG", "entities_org", "organisations", dir, font)
}

/// `entities_loc`: the places named in most stories.
pub fn entities_loc(rows: &[EntityRow], dir: &Path, font: &Font) -> Result<Outcome, ChartError> {
    entities(rows, "LOC", "entities_loc", "places", dir, font)
}

fn entities(
    rows: &[EntityRow],
    kind: &str,
    name: &'static str,
    what: &str,
    dir: &Path,
    font: &Font,
) -> Result<Outcome, ChartError> {
    let mut top: Vec<&EntityRow> = rows
        .iter()
        // Unnamed people (`박씨`, `A씨`) are counted in entities.csv, but name no one.
        .filter(|r| r.kind == kind && !r.entity.is_empty() && r.entity != UNNAMED)
        .collect();
    if top.is_empty() {
        return Ok(Outcome::Skipped(format!(
            "entities.csv has no {kind} entities ({what})"
        )));
    }
    top.sort_by(|a, b| {
        (b.stories, b.mentions)
            .cmp(&(a.stories, a.mentions))
            .then_with(|| a.entity.cmp(&b.entity))
    });
    top.truncate(TOP_ENTITIES);
    let title = format!("Top {} {what} ({kind}) by stories", top.len());
    let bars = Bars {
        title: title.clone(),
        x_desc: "stories naming it".to_string(),
        labels: top.iter().map(|r| r.entity.clone()).collect(),
        series: vec![Series {
            name: "stories".to_string(),
            values: top.iter().map(|r| r.stories).collect(),
            color: MID,
        }],
        size: (1200, 640),
    };
    let reading = format!(
        "The {what} named in most stories, aliases merged into one name; '{}' is named in {} \
         stories ({} mentions).",
        top[0].entity,
        thousands(top[0].stories),
        thousands(top[0].mentions)
    );
    finish(&bars, name, title, reading, dir, font)
}

/// `outlets`: articles and stories per outlet, the outlets with most articles.
pub fn outlets(rows: &[OutletRow], dir: &Path, font: &Font) -> Result<Outcome, ChartError> {
    let mut top: Vec<&OutletRow> = rows.iter().filter(|r| !r.outlet.is_empty()).collect();
    if top.is_empty() {
        return Ok(Outcome::Skipped(
            "no outlets in the input (outlets.csv has no named outlet)".to_string(),
        ));
    }
    top.sort_by(|a, b| {
        (b.articles, b.stories)
            .cmp(&(a.articles, a.stories))
            .then_with(|| a.outlet.cmp(&b.outlet))
    });
    top.truncate(TOP_OUTLETS);
    let title = format!("Articles and stories of the top {} outlets", top.len());
    let bars = Bars {
        title: title.clone(),
        x_desc: "count".to_string(),
        labels: top.iter().map(|r| r.outlet.clone()).collect(),
        series: vec![
            Series {
                name: "articles".to_string(),
                values: top.iter().map(|r| r.articles).collect(),
                color: DARK,
            },
            Series {
                name: "stories".to_string(),
                values: top.iter().map(|r| r.stories).collect(),
                color: LIGHT,
            },
        ],
        size: (1200, 900),
    };
    let reading = format!(
        "Dark bars count an outlet's articles, light bars the distinct stories among them: a \
         dark bar much longer than its light one means repeats and updates of the same story; \
         {} printed most ({} articles).",
        top[0].outlet,
        thousands(top[0].articles)
    );
    finish(&bars, "outlets", title, reading, dir, font)
}

/// `clusters`: the largest stories, their articles and outlets, labelled by shortened title.
/// The clusters chart's order: size, then outlets, descending; then cluster id.
pub fn largest_first(a: &ClusterRow, b: &ClusterRow) -> std::cmp::Ordering {
    (b.size, b.n_outlets)
        .cmp(&(a.size, a.n_outlets))
        .then_with(|| a.cluster_id.cmp(&b.cluster_id))
}

pub fn clusters(rows: &[ClusterRow], dir: &Path, font: &Font) -> Result<Outcome, ChartError> {
    if rows.is_empty() {
        return Ok(Outcome::Skipped("clusters.csv has no stories".to_string()));
    }
    let mut top: Vec<&ClusterRow> = rows.iter().collect();
    top.sort_by(|a, b| largest_first(a, b));
    top.truncate(TOP_CLUSTERS);
    let title = format!("The {} largest stories", top.len());
    let short: Vec<String> = top.iter().map(|r| shorten(&r.title, TITLE_CHARS)).collect();
    let labels = top
        .iter()
        .zip(&short)
        .map(|(r, title)| {
            // Two stories with one headline (a rewrite that did not match) get their ids, so the
            // reader can tell them apart and find them in clusters.csv.
            let label = if title.is_empty() {
                format!("story #{}", r.cluster_id)
            } else if short.iter().filter(|t| *t == title).count() > 1 {
                format!("{title} #{}", r.cluster_id)
            } else {
                title.clone()
            };
            if r.off_topic {
                format!("{label} (off topic)")
            } else {
                label
            }
        })
        .collect();
    let sizes = Series {
        name: "articles in the story".to_string(),
        values: top.iter().map(|r| r.size).collect(),
        color: DARK,
    };
    // Without outlets in the input every count is 0: one series then, not a row of empty bars.
    let bars = if top.iter().any(|r| r.n_outlets > 0) {
        Bars {
            title: title.clone(),
            x_desc: "count".to_string(),
            labels,
            series: vec![
                sizes,
                Series {
                    name: "outlets that printed it".to_string(),
                    values: top.iter().map(|r| r.n_outlets).collect(),
                    color: LIGHT,
                },
            ],
            size: (1200, 800),
        }
    } else {
        Bars {
            title: title.clone(),
            x_desc: "articles in the story (copies included)".to_string(),
            labels,
            series: vec![Series {
                color: MID,
                ..sizes
            }],
            size: (1200, 700),
        }
    };
    let reading = format!(
        "The stories printed most often, by their representative's headline: {}; the largest \
         has {} articles.",
        if bars.series.len() > 1 {
            "dark bars count articles (copies included), light bars the outlets that printed them"
        } else {
            "bars count articles, copies included"
        },
        thousands(top[0].size)
    );
    finish(&bars, "clusters", title, reading, dir, font)
}

fn finish(
    bars: &Bars,
    name: &'static str,
    title: String,
    reading: String,
    dir: &Path,
    font: &Font,
) -> Result<Outcome, ChartError> {
    let (png, svg) = render(bars, dir, name, font)?;
    Ok(Outcome::Drawn(Chart {
        name,
        title,
        reading,
        png,
        svg,
    }))
}

/// One series of bars, aligned with [`Bars::labels`].
struct Series {
    name: String,
    values: Vec<u64>,
    color: RGBColor,
}

/// A horizontal bar chart: labels top to bottom, one or two series.
struct Bars {
    title: String,
    x_desc: String,
    labels: Vec<String>,
    series: Vec<Series>,
    size: (u32, u32),
}

impl Plot for Bars {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<DB> {
        let n = self.labels.len();
        let tick = theme.text(TICK_PX);
        let label_width = widest(root, &self.labels, &tick)?;
        let max = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .max()
            .unwrap_or(0) as f64;
        // Room right of the longest bar for its value label: the axis ends a step or more past it.
        let (ticks, end) = count_ticks(max * 1.12, 6);
        let rows: Vec<f64> = (0..n).map(|i| i as f64).collect();

        let two = self.series.len() > 1;
        let legend: Vec<(&str, Swatch)> = if two {
            self.series
                .iter()
                .map(|s| (s.name.as_str(), Swatch::Bar(s.color)))
                .collect()
        } else {
            Vec::new()
        };
        let area = frame(root, theme, &self.title, &legend)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(20)
            .margin_top(6)
            .margin_right(40)
            .x_label_area_size(56)
            .y_label_area_size(label_width + 16)
            .build_cartesian_2d(
                Ticked::new(0.0, end, ticks),
                Ticked::new(-0.5, n as f64 - 0.5, rows),
            )?;
        // Row 0 is at the bottom; the first label (the largest value) goes to the top row.
        let label_of = |y: &f64| {
            let row = y.round().max(0.0) as usize;
            n.checked_sub(row + 1)
                .and_then(|i| self.labels.get(i))
                .cloned()
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK)
            .x_desc(self.x_desc.as_str())
            .axis_desc_style(theme.colored(DESC_PX, &MUTED))
            .label_style(tick.clone())
            .x_label_formatter(&|x| thousands(x.round() as u64))
            .y_label_formatter(&label_of)
            .draw()?;

        for (s, series) in self.series.iter().enumerate() {
            // One series: a bar of 0.7 rows; two: the first above the centre, the second below.
            let band = |i: usize| {
                let centre = (n - 1 - i) as f64;
                match (two, s) {
                    (false, _) => (centre - 0.35, centre + 0.35),
                    (true, 0) => (centre + 0.02, centre + 0.4),
                    (true, _) => (centre - 0.4, centre - 0.02),
                }
            };
            chart.draw_series(series.values.iter().enumerate().map(|(i, &v)| {
                let (y0, y1) = band(i);
                Rectangle::new([(0.0, y0), (v as f64, y1)], series.color.filled())
            }))?;
            // The light series gets an outline, so it stays visible on white in greyscale.
            if series.color == LIGHT {
                chart.draw_series(series.values.iter().enumerate().map(|(i, &v)| {
                    let (y0, y1) = band(i);
                    Rectangle::new([(0.0, y0), (v as f64, y1)], INK.stroke_width(1))
                }))?;
            }
            let value_px = if two { VALUE_PX - 1.0 } else { VALUE_PX };
            let style = theme.text(value_px).pos(Pos::new(HPos::Left, VPos::Center));
            chart.draw_series(series.values.iter().enumerate().map(|(i, &v)| {
                let (y0, y1) = band(i);
                EmptyElement::at((v as f64, (y0 + y1) / 2.0))
                    + Text::new(thousands(v), (5, 0), style.clone())
            }))?;
        }
        Ok(())
    }
}

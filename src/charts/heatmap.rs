//! `keyword_heatmap`: the top keywords (by stories, from keywords.csv) against every day, week,
//! month or year from the first to the last date in keywords_by_day.csv; a cell's shade is the
//! number of that bin's stories using the keyword, summed over its days (0 where no day's list
//! has it). Takes the rows of both tables and the `--bin` choice; gives the chart, or a skip when
//! there are no dated rows or no keywords.
//!
//! The days are summed into calendar bins ([`crate::bins`]): under `auto` the finest unit with at
//! most [`HEATMAP_BINS`] columns, so a cell stays wide enough to see; the unit is named in the
//! title and on the axis. The shade follows the square root of the count, so a keyword's rise is
//! visible beside one that dominates every bin; the colour bar beside the grid shows the mapping
//! in stories. The scale is one sequential blue, light to dark, so it reads in greyscale. Tick
//! labels are thinned so they never collide; counts are written in the cells when the cells are
//! wide enough.

use std::collections::BTreeMap;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::bins::{span_index, Bin, Binning, Span, HEATMAP_BINS};
use crate::charts::error::ChartError;
use crate::charts::font::Font;
use crate::charts::render::{
    bin_labels, bin_ticks, count_ticks, frame, render, thousands, when, widest, DrawResult, Plot,
    Theme, Ticked, DESC_PX, INK, MUTED, TICK_PX, VALUE_PX,
};
use crate::charts::tables::{KeywordDayRow, KeywordRow};
use crate::charts::{Chart, Outcome};
use crate::entities::dates::day_number;

/// Keywords (rows) in the heatmap.
pub const HEATMAP_KEYWORDS: usize = 15;

/// Light to dark blue, each stop darker than the last (ColorBrewer "Blues").
const STOPS: [(u8, u8, u8); 5] = [
    (239, 243, 255),
    (189, 215, 238),
    (107, 174, 214),
    (33, 113, 181),
    (8, 48, 107),
];
/// A zero cell: near white, lighter than the lightest non-zero shade.
const ZERO: RGBColor = RGBColor(250, 250, 250);

/// `keyword_heatmap`: top keywords × bin of `binning`, by stories in the bin.
pub fn keyword_heatmap(
    keywords: &[KeywordRow],
    by_day: &[KeywordDayRow],
    binning: Binning,
    dir: &Path,
    font: &Font,
) -> Result<Outcome, ChartError> {
    let dated: Vec<(i64, &KeywordDayRow)> = by_day
        .iter()
        .filter_map(|r| Some((day_number(&r.date)?, r)))
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|(d, _)| *d).min(),
        dated.iter().map(|(d, _)| *d).max(),
    ) else {
        return Ok(Outcome::Skipped(
            "no dated articles (keywords_by_day.csv has no dated rows)".to_string(),
        ));
    };
    let mut top: Vec<&KeywordRow> = keywords.iter().filter(|r| !r.keyword.is_empty()).collect();
    if top.is_empty() {
        return Ok(Outcome::Skipped("keywords.csv has no keywords".to_string()));
    }
    top.sort_by(|a, b| b.df.cmp(&a.df).then_with(|| a.keyword.cmp(&b.keyword)));
    top.truncate(HEATMAP_KEYWORDS);

    let row_of: BTreeMap<&str, usize> = top
        .iter()
        .enumerate()
        .map(|(i, r)| (r.keyword.as_str(), i))
        .collect();
    // A (day, keyword) pair is one row; were it repeated, the larger count stands.
    let mut daily: BTreeMap<(usize, i64), u64> = BTreeMap::new();
    for (day, row) in &dated {
        if let Some(&k) = row_of.get(row.keyword.as_str()) {
            let cell = daily.entry((k, *day)).or_default();
            *cell = (*cell).max(row.df);
        }
    }
    let bin = binning.resolve(first, last, HEATMAP_BINS);
    let spans = bin.spans(first, last);
    let mut values = vec![vec![0u64; spans.len()]; top.len()];
    for ((k, day), df) in daily {
        if let Some(i) = span_index(&spans, day) {
            values[k][i] += df;
        }
    }
    let (peak_k, peak_d, peak) = values
        .iter()
        .enumerate()
        .flat_map(|(k, row)| row.iter().enumerate().map(move |(d, &v)| (k, d, v)))
        .fold(
            (0, 0, 0),
            |best, cell| if cell.2 > best.2 { cell } else { best },
        );
    let title = format!("Top {} keywords by {}", top.len(), bin.name());
    let summed = if bin == Bin::Day {
        String::new()
    } else {
        " (summed over its days)".to_string()
    };
    let reading = format!(
        "Each row is a keyword and each column a {unit}, darker where more of that {unit}'s \
         stories use it{summed}: read along a row to see a theme rise and fade; the darkest cell \
         is '{}' {} ({} stories).",
        top[peak_k].keyword,
        when(bin, spans[peak_d]),
        thousands(peak),
        unit = bin.name(),
    );
    let plot = Heatmap {
        title: title.clone(),
        bin,
        keywords: top.iter().map(|r| r.keyword.clone()).collect(),
        spans,
        values,
    };
    let (png, svg) = render(&plot, dir, "keyword_heatmap", font)?;
    Ok(Outcome::Drawn(Chart {
        name: "keyword_heatmap",
        title,
        reading,
        png,
        svg,
    }))
}

struct Heatmap {
    title: String,
    bin: Bin,
    keywords: Vec<String>,
    spans: Vec<Span>,
    /// `values[keyword][bin]`: stories in the bin using the keyword.
    values: Vec<Vec<u64>>,
}

/// The shade of `value` on a scale up to `max` (square root, see the module doc).
fn shade(value: f64, max: f64) -> RGBColor {
    if value <= 0.0 || max <= 0.0 {
        return ZERO;
    }
    let t = (value / max).sqrt().clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Whether text on `color` should be white (on the darker half of the scale).
fn dark(color: RGBColor) -> bool {
    let luma = 0.299 * f64::from(color.0) + 0.587 * f64::from(color.1) + 0.114 * f64::from(color.2);
    luma < 140.0
}

impl Plot for Heatmap {
    fn size(&self) -> (u32, u32) {
        (1200, 720)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<DB> {
        let (columns, rows) = (self.spans.len(), self.keywords.len());
        let max = self.values.iter().flatten().copied().max().unwrap_or(0);
        let tick = theme.text(TICK_PX);
        let area = frame(root, theme, &self.title, &[])?;
        let (width, _) = area.dim_in_pixel();
        let (main, bar) = area.split_horizontally(width - 130);

        let (labels, x_desc) = bin_labels(self.bin, &self.spans);
        let label_width = widest(root, &labels, &tick)?.max(1);
        let keyword_width = widest(root, &self.keywords, &tick)?;
        let plot_width = main.dim_in_pixel().0.saturating_sub(keyword_width + 60);
        let fit = (plot_width / (2 * label_width)).max(2) as usize;
        let x_ticks: Vec<f64> = bin_ticks(self.bin, &self.spans, fit)
            .into_iter()
            .map(|i| i as f64 + 0.5)
            .collect();
        let y_ticks: Vec<f64> = (0..rows).map(|k| k as f64 + 0.5).collect();

        let mut chart = ChartBuilder::on(&main)
            .margin(20)
            .margin_top(6)
            // A label centred on the last column may reach past the grid: keep it off the bar.
            .margin_right(20.max(label_width / 2 + 8))
            .x_label_area_size(56)
            .y_label_area_size(keyword_width + 16)
            .build_cartesian_2d(
                Ticked::new(0.0, columns as f64, x_ticks),
                Ticked::new(0.0, rows as f64, y_ticks),
            )?;
        let label_of = |x: &f64| {
            labels
                .get(x.floor().max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        };
        // Row 0 is at the bottom; the first keyword (most stories) goes to the top.
        let keyword_of = |y: &f64| {
            rows.checked_sub(y.floor().max(0.0) as usize + 1)
                .and_then(|k| self.keywords.get(k))
                .cloned()
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(INK)
            .x_desc(x_desc)
            .axis_desc_style(theme.colored(DESC_PX, &MUTED))
            .label_style(tick.clone())
            .x_label_formatter(&label_of)
            .y_label_formatter(&keyword_of)
            .draw()?;

        let cell_width = chart.plotting_area().dim_in_pixel().0 as f64 / columns as f64;
        // Gaps between cells only while cells are wide enough to keep their colour visible.
        let gap = if cell_width >= 6.0 { 1 } else { 0 };
        chart.draw_series(self.values.iter().enumerate().flat_map(|(k, row)| {
            let y = (rows - 1 - k) as f64;
            row.iter().enumerate().map(move |(d, &v)| {
                let x = d as f64;
                Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    shade(v as f64, max as f64).filled(),
                )
            })
        }))?;
        if gap > 0 {
            // White lines between cells, drawn as a grid over the cells.
            let plot_area = chart.plotting_area();
            for d in 1..columns {
                plot_area.draw(&PathElement::new(
                    vec![(d as f64, 0.0), (d as f64, rows as f64)],
                    WHITE.stroke_width(gap),
                ))?;
            }
            for k in 1..rows {
                plot_area.draw(&PathElement::new(
                    vec![(0.0, k as f64), (columns as f64, k as f64)],
                    WHITE.stroke_width(gap),
                ))?;
            }
        }
        // Counts in the cells when the widest count fits with room to spare.
        let value_style = theme.text(VALUE_PX - 1.0);
        let widest_value = widest(root, [thousands(max)], &value_style)? as f64;
        if cell_width >= widest_value + 8.0 {
            for (k, row) in self.values.iter().enumerate() {
                let y = (rows - 1 - k) as f64 + 0.5;
                for (d, &v) in row.iter().enumerate().filter(|(_, &v)| v > 0) {
                    let color = if dark(shade(v as f64, max as f64)) {
                        WHITE
                    } else {
                        INK
                    };
                    chart.plotting_area().draw(&Text::new(
                        thousands(v),
                        (d as f64 + 0.5, y),
                        theme
                            .colored(VALUE_PX - 1.0, &color)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    ))?;
                }
            }
        }

        // The colour bar: the same mapping, in stories.
        let (ticks, _) = count_ticks(max as f64, 5);
        let ticks: Vec<f64> = ticks.into_iter().filter(|&t| t <= max as f64).collect();
        let mut scale = ChartBuilder::on(&bar)
            .margin(20)
            .margin_top(6)
            .margin_left(0)
            .x_label_area_size(56)
            .y_label_area_size(0)
            .right_y_label_area_size(56)
            .build_cartesian_2d(
                Ticked::new(0.0, 1.0, Vec::new()),
                Ticked::new(0.0, max.max(1) as f64, ticks),
            )?;
        scale
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .axis_style(INK)
            .label_style(tick.clone())
            .y_label_formatter(&|y| thousands(y.round() as u64))
            .draw()?;
        let steps = 200;
        let top = max.max(1) as f64;
        scale.draw_series((0..steps).map(|i| {
            let (y0, y1) = (
                top * i as f64 / steps as f64,
                top * (i + 1) as f64 / steps as f64,
            );
            Rectangle::new([(0.0, y0), (1.0, y1)], shade((y0 + y1) / 2.0, top).filled())
        }))?;
        scale.draw_series(std::iter::once(Rectangle::new(
            [(0.0, 0.0), (1.0, top)],
            INK.stroke_width(1),
        )))?;
        // The bar's caption, under it where the x labels would be.
        let (bar_width, bar_height) = bar.dim_in_pixel();
        bar.draw_text(
            "stories",
            &theme
                .colored(DESC_PX, &MUTED)
                .pos(Pos::new(HPos::Center, VPos::Top)),
            ((bar_width as i32 - 56) / 2, bar_height as i32 - 48),
        )?;
        Ok(())
    }
}

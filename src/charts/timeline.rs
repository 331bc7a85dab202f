//! `timeline`: articles and stories per day, week, month or year. Takes the rows of timeline.csv
//! (one per day from the first to the last date, zero days included) and the `--bin` choice;
//! gives the chart, or a skip when the input had no dates (no rows, or no article on any day).
//!
//! The days are summed into calendar bins ([`crate::bins`]): under `auto` the finest unit with at
//! most [`LINE_BINS`] bins, so a dump of fourteen years reads by year and an outage week by day;
//! the unit is named in the title and on both axes. Every bin from the first to the last is
//! drawn, empty ones at 0, so a gap in coverage is a dip to the axis, never a missing piece.
//!
//! Two lines, dark with dots (articles) and orange with triangles (stories), and the band between
//! them shaded: that gap is wire copy and reprints. Tick labels are thinned so they never
//! collide. Nothing is drawn outside the plot: values map a few pixels inside its edges, and thick
//! lines are drawn a segment at a time (plotters joins a thick polyline with mitres that, at a
//! spike's sharp angle, reach hundreds of pixels past the point: under the axis).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::bins::{span_index, Bin, Binning, Span, LINE_BINS};
use crate::charts::error::ChartError;
use crate::charts::font::Font;
use crate::charts::render::{
    bin_labels, bin_ticks, count_ticks, frame, render, thousands, when, widest, DrawResult, Marker,
    Plot, Swatch, Theme, Ticked, DARK, DESC_PX, GRID, INK, MUTED, TICK_PX,
};
use crate::charts::tables::TimelineRow;
use crate::charts::{Chart, Outcome};
use crate::entities::dates::{day_number, iso_day};

/// The stories line: orange darker than the bars' light orange, as a 2 px line on white must
/// still read in greyscale (luma 132, against the articles' 55).
const STORIES: RGBColor = RGBColor(214, 110, 20);
/// The band between the lines (luma 221).
const GAP: RGBColor = RGBColor(221, 221, 221);

/// Pixels between the plot's edges and its first and last bin, lowest and highest value: room
/// for half the thickest line (3 px) and the largest marker (a 4 px triangle).
const INSET_PX: i32 = 5;

/// Bins up to which points get markers and thick lines (they stay apart: ≥ 10 px each).
const MARKED_BINS: usize = 92;

/// `timeline`: articles and stories per bin of `binning` (see the module doc).
pub fn timeline(
    rows: &[TimelineRow],
    binning: Binning,
    dir: &Path,
    font: &Font,
) -> Result<Outcome, ChartError> {
    let dated: Vec<(i64, &TimelineRow)> = rows
        .iter()
        .filter_map(|r| Some((day_number(&r.date)?, r)))
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|(d, _)| *d).min(),
        dated.iter().map(|(d, _)| *d).max(),
    ) else {
        return Ok(no_dates());
    };
    if dated.iter().all(|(_, r)| r.articles == 0) {
        return Ok(no_dates());
    }
    let bin = binning.resolve(first, last, LINE_BINS);
    let spans = bin.spans(first, last);
    let mut articles = vec![0u64; spans.len()];
    let mut stories = vec![0u64; spans.len()];
    for (day, row) in &dated {
        if let Some(i) = span_index(&spans, *day) {
            articles[i] += row.articles;
            stories[i] += row.stories;
        }
    }
    // The bin with most articles; the earliest of equals.
    let peak = (0..spans.len())
        .max_by(|&a, &b| articles[a].cmp(&articles[b]).then(b.cmp(&a)))
        .expect("at least one bin");
    let title = format!("Articles and stories per {}", bin.name());
    let reading = if bin == Bin::Day {
        format!(
            "The dark line counts articles and the orange one distinct stories per day, the \
             shaded gap being wire copies and reprints; coverage peaked on {} with {} articles \
             in {} stories.",
            iso_day(spans[peak].start),
            thousands(articles[peak]),
            thousands(stories[peak])
        )
    } else {
        // A bin the dates start or end inside is low for want of days, not of coverage.
        let partial = first > spans[0].start || last < spans[spans.len() - 1].end;
        let partial = if partial {
            format!(
                "; the dates run from {} to {}, so a {} at either end may be partly covered",
                iso_day(first),
                iso_day(last),
                bin.name()
            )
        } else {
            String::new()
        };
        format!(
            "The dark line counts articles and the orange one stories per {unit} (each day's \
             distinct stories, summed over the {unit}), the shaded gap being wire copies and \
             reprints; coverage peaked {} with {} articles{partial}.",
            when(bin, spans[peak]),
            thousands(articles[peak]),
            unit = bin.name(),
        )
    };
    let plot = Timeline {
        bin,
        title: title.clone(),
        spans,
        articles,
        stories,
    };
    let (png, svg) = render(&plot, dir, "timeline", font)?;
    Ok(Outcome::Drawn(Chart {
        name: "timeline",
        title,
        reading,
        png,
        svg,
    }))
}

fn no_dates() -> Outcome {
    Outcome::Skipped("no dated articles (timeline.csv has no days with articles)".to_string())
}

struct Timeline {
    bin: Bin,
    title: String,
    spans: Vec<Span>,
    articles: Vec<u64>,
    stories: Vec<u64>,
}

impl Plot for Timeline {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<DB> {
        let n = self.spans.len();
        let tick = theme.text(TICK_PX);
        let (labels, x_desc) = bin_labels(self.bin, &self.spans);
        // As many labels as fit with a label's width of space between them.
        let label_width = widest(root, &labels, &tick)?.max(1);
        let plot_width = root.dim_in_pixel().0.saturating_sub(140);
        let fit = (plot_width / (2 * label_width)).max(2) as usize;
        let ticks: Vec<f64> = bin_ticks(self.bin, &self.spans, fit)
            .into_iter()
            .map(|i| i as f64)
            .collect();
        let max = self
            .articles
            .iter()
            .chain(&self.stories)
            .copied()
            .max()
            .unwrap_or(0);
        let (y_ticks, y_end) = count_ticks(max as f64 * 1.05, 8);
        let y_label_width = widest(root, y_ticks.iter().map(|t| thousands(*t as u64)), &tick)?;

        // Markers and thick lines while the bins are few enough for them to stay apart; beyond
        // (only with a --bin finer than auto's), 1 px lines.
        let markers = n <= MARKED_BINS;
        let (articles_px, stories_px) = match (markers, n <= LINE_BINS) {
            (true, _) => (3, 2),
            (false, true) => (2, 1),
            (false, false) => (1, 1),
        };
        let legend = [
            ("articles", Swatch::Line(DARK, articles_px, Marker::Dot)),
            (
                "stories",
                Swatch::Line(STORIES, stories_px, Marker::Triangle),
            ),
            ("copies (articles - stories)", Swatch::Bar(GAP)),
        ];
        let area = frame(root, theme, &self.title, &legend)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(20)
            .margin_top(6)
            // The last label is centred on the last bin: room for its right half.
            .margin_right(40.max(label_width / 2 + 12))
            .x_label_area_size(56)
            .y_label_area_size(y_label_width + 44)
            .build_cartesian_2d(
                Ticked::new(-0.5, n as f64 - 0.5, ticks).inset(INSET_PX),
                Ticked::new(0.0, y_end, y_ticks).inset(INSET_PX),
            )?;
        let label_of = |x: &f64| {
            labels
                .get(x.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK)
            .x_desc(x_desc)
            .y_desc(format!("per {}", self.bin.name()))
            .axis_desc_style(theme.colored(DESC_PX, &MUTED))
            .label_style(tick.clone())
            .x_label_formatter(&label_of)
            .y_label_formatter(&|y| thousands(y.round() as u64))
            .draw()?;

        let point = |i: usize, v: u64| (i as f64, v as f64);
        // The gap: along the articles line, back along the stories line.
        let band: Vec<(f64, f64)> = (0..n)
            .map(|i| point(i, self.articles[i]))
            .chain((0..n).rev().map(|i| point(i, self.stories[i])))
            .collect();
        chart.draw_series(std::iter::once(Polygon::new(band, GAP.filled())))?;

        for (values, color, px) in [
            (&self.articles, DARK, articles_px),
            (&self.stories, STORIES, stories_px),
        ] {
            let points: Vec<(f64, f64)> = (0..n).map(|i| point(i, values[i])).collect();
            if px <= 1 {
                // 1 px lines are drawn segment by segment by plotters itself: no joins.
                chart.draw_series(LineSeries::new(points, color.stroke_width(1)))?;
                continue;
            }
            // Thick: one element per segment (a rectangle, no mitre), round dots as joins.
            chart.draw_series(
                points
                    .windows(2)
                    .map(|pair| PathElement::new(pair.to_vec(), color.stroke_width(px))),
            )?;
            chart.draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, px / 2, color.filled())),
            )?;
        }
        if markers {
            chart.draw_series(
                (0..n).map(|i| Circle::new(point(i, self.articles[i]), 3, DARK.filled())),
            )?;
            chart.draw_series(
                (0..n).map(|i| TriangleMarker::new(point(i, self.stories[i]), 4, STORIES.filled())),
            )?;
        }
        Ok(())
    }
}

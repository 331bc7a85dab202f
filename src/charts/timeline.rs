//! `timeline`: articles and stories per day. Takes the rows of timeline.csv (one per day from the
//! first to the last date, zero days included); gives the chart, or a skip when the input had no
//! dates (no rows, or no article on any day).
//!
//! Two lines, dark with dots (articles) and orange with triangles (stories), and the band between
//! them shaded: that gap is wire copy and reprints. Date ticks are thinned to whole weeks when
//! the days are many, so labels never collide.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::error::ChartError;
use crate::charts::font::Font;
use crate::charts::render::{
    count_ticks, day_labels, day_ticks, frame, render, thousands, widest, DrawResult, Marker, Plot,
    Swatch, Theme, Ticked, DARK, DESC_PX, GRID, INK, MUTED, TICK_PX,
};
use crate::charts::tables::TimelineRow;
use crate::charts::{Chart, Outcome};

/// The stories line: orange darker than the bars' light orange, as a 2 px line on white must
/// still read in greyscale (luma 132, against the articles' 55).
const STORIES: RGBColor = RGBColor(214, 110, 20);
/// The band between the lines (luma 221).
const GAP: RGBColor = RGBColor(221, 221, 221);

/// `timeline`: articles and stories per day.
pub fn timeline(rows: &[TimelineRow], dir: &Path, font: &Font) -> Result<Outcome, ChartError> {
    let mut rows: Vec<&TimelineRow> = rows.iter().collect();
    rows.sort_by(|a, b| a.date.cmp(&b.date));
    if rows.iter().all(|r| r.articles == 0) {
        return Ok(Outcome::Skipped(
            "no dated articles (timeline.csv has no days with articles)".to_string(),
        ));
    }
    let dates: Vec<String> = rows.iter().map(|r| r.date.clone()).collect();
    let plot = Timeline {
        dates,
        articles: rows.iter().map(|r| r.articles).collect(),
        stories: rows.iter().map(|r| r.stories).collect(),
    };
    let peak = rows
        .iter()
        .max_by(|a, b| {
            a.articles
                .cmp(&b.articles)
                .then_with(|| b.date.cmp(&a.date))
        })
        .expect("rows are not empty");
    let title = "Articles and stories per day".to_string();
    let reading = format!(
        "The dark line counts articles and the orange one distinct stories per day, the shaded \
         gap being wire copies and reprints; coverage peaked on {} with {} articles in {} stories.",
        peak.date,
        thousands(peak.articles),
        thousands(peak.stories)
    );
    let (png, svg) = render(&plot, dir, "timeline", font)?;
    Ok(Outcome::Drawn(Chart {
        name: "timeline",
        title,
        reading,
        png,
        svg,
    }))
}

struct Timeline {
    dates: Vec<String>,
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
        let n = self.dates.len();
        let tick = theme.text(TICK_PX);
        let (labels, year) = day_labels(&self.dates);
        // As many date labels as fit with a label's width of space between them.
        let label_width = widest(root, &labels, &tick)?.max(1);
        let plot_width = root.dim_in_pixel().0.saturating_sub(140);
        let fit = (plot_width / (2 * label_width)).max(2) as usize;
        let ticks: Vec<f64> = day_ticks(n, fit).into_iter().map(|i| i as f64).collect();
        let max = self
            .articles
            .iter()
            .chain(&self.stories)
            .copied()
            .max()
            .unwrap_or(0);
        let (y_ticks, y_end) = count_ticks(max as f64 * 1.05, 8);
        let y_label_width = widest(root, y_ticks.iter().map(|t| thousands(*t as u64)), &tick)?;
        let x_desc = match &year {
            Some(year) => format!("date ({year})"),
            None => "date".to_string(),
        };

        let legend = [
            ("articles", Swatch::Line(DARK, 3, Marker::Dot)),
            ("stories", Swatch::Line(STORIES, 2, Marker::Triangle)),
            ("copies (articles - stories)", Swatch::Bar(GAP)),
        ];
        let area = frame(root, theme, "Articles and stories per day", &legend)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(20)
            .margin_top(6)
            // The last date label is centred on the last day: room for its right half.
            .margin_right(40.max(label_width / 2 + 12))
            .x_label_area_size(56)
            .y_label_area_size(y_label_width + 44)
            .build_cartesian_2d(
                Ticked::new(-0.5, n as f64 - 0.5, ticks),
                Ticked::new(0.0, y_end, y_ticks),
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
            .y_desc("per day")
            .axis_desc_style(theme.colored(DESC_PX, &MUTED))
            .label_style(tick.clone())
            .x_label_formatter(&label_of)
            .y_label_formatter(&|y| thousands(y.round() as u64))
            .draw()?;

        let point = |i: usize, v: u64| (i as f64, v as f64);
        // Markers and thick lines while the days are few enough for them to stay apart.
        let markers = n <= 92;
        // The gap: along the articles line, back along the stories line.
        let band: Vec<(f64, f64)> = (0..n)
            .map(|i| point(i, self.articles[i]))
            .chain((0..n).rev().map(|i| point(i, self.stories[i])))
            .collect();
        chart.draw_series(std::iter::once(Polygon::new(band, GAP.filled())))?;

        chart.draw_series(LineSeries::new(
            (0..n).map(|i| point(i, self.articles[i])),
            DARK.stroke_width(if markers { 3 } else { 2 }),
        ))?;
        chart.draw_series(LineSeries::new(
            (0..n).map(|i| point(i, self.stories[i])),
            STORIES.stroke_width(if markers { 2 } else { 1 }),
        ))?;
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

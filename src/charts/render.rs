//! Drawing one chart into its two files. Takes a [`Plot`] (a chart's data plus how to draw it on
//! any plotters backend) and a [`Font`]; gives `NAME.png` (drawn with the font's own glyphs) and
//! `NAME.svg` (text left to the viewer, with a Korean `font-family` stack).
//!
//! Guarantees: both files come from the same drawing code on the same layout (text is measured
//! with the registered font for both backends); the bytes depend only on the plot's data and the
//! font — no clock, no randomness, no hash-map order — so the same tables give identical files.
//! Also the small shared pieces every chart uses: palette, text styles, ticks, dates, numbers.

use std::path::{Path, PathBuf};

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::bins::{Bin, Span};
use crate::charts::error::ChartError;
use crate::charts::font::Font;
use crate::charts::glyphs::PngBackend;
use crate::entities::dates::iso_day;

/// What a chart's `draw` returns on any backend.
pub(crate) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart ready to draw: its data, already selected and sorted, and its drawing code.
pub(crate) trait Plot {
    /// Width and height in pixels (the SVG's too).
    fn size(&self) -> (u32, u32);
    /// Draws on a white `root` of [`Plot::size`].
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<DB>;
}

// The palette: series differ in lightness first (they must survive greyscale printing), hue
// second. Luma (0.299 R + 0.587 G + 0.114 B) in the comments.
/// Text and axes (luma 34).
pub(crate) const INK: RGBColor = RGBColor(34, 34, 34);
/// Secondary text: axis descriptions, notes (luma 96).
pub(crate) const MUTED: RGBColor = RGBColor(96, 96, 96);
/// The first series: dark blue (luma 55).
pub(crate) const DARK: RGBColor = RGBColor(31, 58, 95);
/// The second series: light orange, always with a dark outline (luma 184).
pub(crate) const LIGHT: RGBColor = RGBColor(244, 172, 92);
/// A single series: mid blue, between the two (luma 112).
pub(crate) const MID: RGBColor = RGBColor(70, 114, 160);
/// Grid lines (luma 225).
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);

/// Font sizes in pixels, one scale for every chart.
pub(crate) const TITLE_PX: f64 = 28.0;
pub(crate) const DESC_PX: f64 = 18.0;
pub(crate) const TICK_PX: f64 = 16.0;
pub(crate) const VALUE_PX: f64 = 14.0;

/// The registered font family every text of a chart uses.
pub(crate) struct Theme {
    family: String,
}

impl Theme {
    /// Text in `px` pixels, in ink.
    pub(crate) fn text(&self, px: f64) -> TextStyle<'_> {
        self.colored(px, &INK)
    }

    /// Text in `px` pixels and `color`.
    pub(crate) fn colored(&self, px: f64, color: &RGBColor) -> TextStyle<'_> {
        // Built field by field: `TextStyle::color` would tie the colour's borrow to the font's.
        TextStyle {
            font: (self.family.as_str(), px).into_font(),
            color: color.to_backend_color(),
            pos: Pos::default(),
        }
    }
}

/// An `f64` axis with exactly the given ticks (labels and grid lines), no others. plotters'
/// `with_key_points` does the same but loses the label formatter bound for `f64`.
#[derive(Clone)]
pub(crate) struct Ticked {
    start: f64,
    end: f64,
    ticks: Vec<f64>,
    inset: i32,
}

impl Ticked {
    pub(crate) fn new(start: f64, end: f64, ticks: Vec<f64>) -> Ticked {
        Ticked {
            start,
            end,
            ticks,
            inset: 0,
        }
    }

    /// Maps `start` and `end` `px` pixels inside the plot's edges instead of onto them: a line
    /// of width w (or a marker) at the first or last value then stays inside the plot, where on
    /// the edge half of it would cover the axis and the pixels beyond.
    pub(crate) fn inset(mut self, px: i32) -> Ticked {
        self.inset = px.max(0);
        self
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.end - self.start;
        if span == 0.0 {
            return (limit.0 + limit.1) / 2;
        }
        // Limits run either way (y: bottom to top); an inset too large for the axis is dropped.
        let direction = (limit.1 - limit.0).signum();
        let limit = if (limit.1 - limit.0).abs() > 4 * self.inset {
            (
                limit.0 + direction * self.inset,
                limit.1 - direction * self.inset,
            )
        } else {
            limit
        };
        let t = (value - self.start) / span;
        limit.0 + ((limit.1 - limit.0) as f64 * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Light (minor) grid lines: none.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.start..self.end
    }
}

/// Draws `plot` into `dir/NAME.png` and `dir/NAME.svg`, returning the two paths.
pub(crate) fn render<P: Plot>(
    plot: &P,
    dir: &Path,
    name: &str,
    font: &Font,
) -> Result<(PathBuf, PathBuf), ChartError> {
    font.register()?;
    let theme = Theme {
        family: font.key().to_string(),
    };
    let (width, height) = plot.size();
    let png_path = dir.join(format!("{name}.png"));
    let svg_path = dir.join(format!("{name}.svg"));
    let failed = |path: &Path, message: String| ChartError::Draw {
        path: path.to_path_buf(),
        message,
    };

    let mut pixels = vec![255u8; width as usize * height as usize * 3];
    {
        let backend = PngBackend::new(&mut pixels, (width, height), font.face().clone());
        let root = backend.into_drawing_area();
        draw_on(&root, plot, &theme).map_err(|e| failed(&png_path, e))?;
    }
    let png = encode_png(&pixels, width, height).map_err(|e| failed(&png_path, e.to_string()))?;
    write(&png_path, &png)?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw_on(&root, plot, &theme).map_err(|e| failed(&svg_path, e))?;
    }
    // plotters writes the family key it drew with; viewers need real font names. The key is
    // `[a-z0-9-]` only and the stack has no `"`, `&` or `<`, so the XML stays valid.
    let svg = svg.replace(
        &format!("font-family=\"{}\"", font.key()),
        &format!("font-family=\"{}\"", font.svg_family_stack()),
    );
    write(&svg_path, svg.as_bytes())?;
    Ok((png_path, svg_path))
}

fn draw_on<DB: DrawingBackend, P: Plot>(
    root: &DrawingArea<DB, Shift>,
    plot: &P,
    theme: &Theme,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    plot.draw(root, theme).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// RGB pixels to PNG bytes; the encoder is deterministic for the same pixels.
fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(out)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ChartError> {
    std::fs::write(path, bytes).map_err(|source| ChartError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A legend entry's sample.
pub(crate) enum Swatch {
    /// A bar of this colour (outlined when light, as on the chart).
    Bar(RGBColor),
    /// A line of this colour and width, with a marker.
    Line(RGBColor, u32, Marker),
}

/// A point marker on a line.
#[derive(Clone, Copy)]
pub(crate) enum Marker {
    None,
    Dot,
    Triangle,
}

/// Draws the title at the top of `root` and, under it, a one-row legend of `entries` centred;
/// returns the area left for the chart. A legend outside the plot can never hide data.
pub(crate) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    entries: &[(&str, Swatch)],
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, _) = root.dim_in_pixel();
    let title_style = theme.text(TITLE_PX);
    let title_height = root.estimate_text_size(title, &title_style)?.1 as i32;
    // 16 px above the title, 12 below it.
    root.draw_text(
        title,
        &title_style.pos(Pos::new(HPos::Center, VPos::Top)),
        (width as i32 / 2, 16),
    )?;
    let mut top = 16 + title_height + 12;
    if !entries.is_empty() {
        let style = theme.text(TICK_PX);
        const SAMPLE: i32 = 26;
        const GAP: i32 = 8;
        const SPACING: i32 = 28;
        let mut widths = Vec::with_capacity(entries.len());
        for (label, _) in entries {
            widths.push(root.estimate_text_size(label, &style)?.0 as i32);
        }
        let total: i32 = widths.iter().map(|w| SAMPLE + GAP + w).sum::<i32>()
            + SPACING * (entries.len() as i32 - 1);
        let mut x = (width as i32 - total) / 2;
        let y = top + 11;
        for ((label, swatch), w) in entries.iter().zip(widths) {
            match swatch {
                Swatch::Bar(color) => {
                    root.draw(&Rectangle::new(
                        [(x, y - 8), (x + SAMPLE, y + 8)],
                        color.filled(),
                    ))?;
                    if *color == LIGHT {
                        root.draw(&Rectangle::new(
                            [(x, y - 8), (x + SAMPLE, y + 8)],
                            INK.stroke_width(1),
                        ))?;
                    }
                }
                Swatch::Line(color, stroke, marker) => {
                    root.draw(&PathElement::new(
                        vec![(x, y), (x + SAMPLE, y)],
                        color.stroke_width(*stroke),
                    ))?;
                    let centre = (x + SAMPLE / 2, y);
                    match marker {
                        Marker::None => {}
                        Marker::Dot => root.draw(&Circle::new(centre, 4, color.filled()))?,
                        Marker::Triangle => {
                            root.draw(&TriangleMarker::new(centre, 5, color.filled()))?
                        }
                    }
                }
            }
            root.draw_text(
                label,
                &style.pos(Pos::new(HPos::Left, VPos::Center)),
                (x + SAMPLE + GAP, y),
            )?;
            x += SAMPLE + GAP + w + SPACING;
        }
        top += 30;
    }
    Ok(root.margin(top as u32, 0, 0, 0))
}

/// The widest of `texts` in pixels when drawn in `style` on `root` (0 for none).
pub(crate) fn widest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    texts: impl IntoIterator<Item = impl AsRef<str>>,
    style: &TextStyle<'_>,
) -> Result<u32, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut widest = 0;
    for text in texts {
        widest = widest.max(root.estimate_text_size(text.as_ref(), style)?.0);
    }
    Ok(widest)
}

/// `text` cut to at most `max` characters, the last being "…" when cut; the cut goes back to the
/// last space when that keeps two thirds of the characters, so words are not broken in half.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: Vec<char> = text.chars().take(max.saturating_sub(1)).collect();
    let mid_word = !text
        .chars()
        .nth(kept.len())
        .is_some_and(char::is_whitespace);
    let end = match kept.iter().rposition(|c| c.is_whitespace()) {
        Some(space) if mid_word && space * 3 >= max * 2 => space,
        _ => kept.len(),
    };
    let kept: String = kept[..end].iter().collect();
    format!("{}…", kept.trim_end())
}

/// A count with thousands separators: `12,345`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Integer tick positions for a count axis from 0: a step of 1, 2 or 5 × 10^k giving at most
/// `target` intervals up to at least `max`, and the axis end (the last tick).
pub(crate) fn count_ticks(max: f64, target: usize) -> (Vec<f64>, f64) {
    let max = max.max(1.0);
    let raw = max / target.max(1) as f64;
    let mut step = 1.0;
    'search: loop {
        for m in [1.0, 2.0, 5.0] {
            if m * step >= raw {
                step *= m;
                break 'search;
            }
        }
        step *= 10.0;
    }
    let end = (max / step).ceil() * step;
    let ticks = (0..=((end / step).round() as usize))
        .map(|i| i as f64 * step)
        .collect();
    (ticks, end)
}

/// Tick labels for a run of dates: `MM-DD` when all fall in one year (the year then goes in the
/// axis description, returned second), else the full date.
pub(crate) fn day_labels(dates: &[String]) -> (Vec<String>, Option<String>) {
    let year = |d: &String| d.get(..4).map(str::to_string);
    let first = dates.first().and_then(year);
    if first.is_some() && dates.iter().all(|d| year(d) == first && d.len() >= 10) {
        let labels = dates.iter().map(|d| d[5..10].to_string()).collect();
        (labels, first)
    } else {
        (dates.to_vec(), None)
    }
}

/// Which of `n` days get a tick label: every day, every 2nd, then whole weeks (7, 14, 28 …), so
/// that at most `max_labels` are shown, starting at the first day.
pub(crate) fn day_ticks(n: usize, max_labels: usize) -> Vec<usize> {
    let max_labels = max_labels.max(1);
    let mut step = 1;
    for candidate in [1, 2, 7, 14, 28, 56, 91, 182, 364] {
        step = candidate;
        if n.div_ceil(candidate) <= max_labels {
            break;
        }
    }
    while n.div_ceil(step) > max_labels {
        step *= 2;
    }
    (0..n).step_by(step).collect()
}

/// Tick labels for the bins of a chart's x axis, and the axis description: days as
/// [`day_labels`] writes them (`MM-DD`, the year in the description, when all fall in one year),
/// other units by their labels (`2022-W42`, `2022-10`, `2022`), which name their year.
pub(crate) fn bin_labels(bin: Bin, spans: &[Span]) -> (Vec<String>, String) {
    if bin == Bin::Day {
        let dates: Vec<String> = spans.iter().map(|s| iso_day(s.start)).collect();
        let (labels, year) = day_labels(&dates);
        let desc = match year {
            Some(year) => format!("date ({year})"),
            None => "date".to_string(),
        };
        return (labels, desc);
    }
    let labels = spans.iter().map(|s| bin.label(s.start)).collect();
    (labels, bin.axis().to_string())
}

/// Which of the bins get a tick label, at most `max_labels`: days as [`day_ticks`] picks them
/// (whole weeks from the first); weeks every 1, 2, 4, 13 (a quarter), 26 or 52; months every 1,
/// 2, 3, 6 or 12 … on calendar multiples (quarters start in January, April, July, October;
/// years in January); years every 1, 2, 5, 10 … on years divisible by the step.
pub(crate) fn bin_ticks(bin: Bin, spans: &[Span], max_labels: usize) -> Vec<usize> {
    let n = spans.len();
    let max_labels = max_labels.max(1);
    let (steps, ordinal): (&[usize], fn(i64) -> i64) = match bin {
        Bin::Day => return day_ticks(n, max_labels),
        Bin::Week => (&[1, 2, 4, 13, 26, 52], |_| 0),
        Bin::Month => (&[1, 2, 3, 6, 12, 24, 60, 120], |start| {
            let iso = iso_day(start);
            let (year, month) = (&iso[..iso.len() - 6], &iso[iso.len() - 5..iso.len() - 3]);
            year.parse::<i64>().unwrap_or(0) * 12 + month.parse::<i64>().unwrap_or(1) - 1
        }),
        Bin::Year => (&[1, 2, 5, 10, 20, 50, 100], |start| {
            let iso = iso_day(start);
            iso[..iso.len() - 6].parse().unwrap_or(0)
        }),
    };
    // n bins hold at most ⌈n / step⌉ multiples of the step, wherever the first one falls.
    let step = steps
        .iter()
        .copied()
        .find(|&c| n.div_ceil(c) <= max_labels)
        .unwrap_or_else(|| {
            let mut step = steps[steps.len() - 1];
            while n.div_ceil(step) > max_labels {
                step *= 2;
            }
            step
        });
    if bin == Bin::Week {
        // Weeks have no calendar multiple: from the first, like days.
        return (0..n).step_by(step).collect();
    }
    let ticks: Vec<usize> = (0..n)
        .filter(|&i| ordinal(spans[i].start).rem_euclid(step as i64) == 0)
        .collect();
    // A step longer than the bins may hold no multiple: label the first bin then.
    if ticks.is_empty() && n > 0 {
        vec![0]
    } else {
        ticks
    }
}

/// A bin in a sentence: `in the week of 2022-10-17 (2022-W42)`, `in 2022-10`, `in 2022`.
pub(crate) fn when(bin: Bin, span: Span) -> String {
    match bin {
        Bin::Day => format!("on {}", iso_day(span.start)),
        Bin::Week => format!(
            "in the week of {} ({})",
            iso_day(span.start),
            bin.label(span.start)
        ),
        Bin::Month | Bin::Year => format!("in {}", bin.label(span.start)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(count_ticks(3.0, 6), (vec![0.0, 1.0, 2.0, 3.0], 3.0));
        let (ticks, end) = count_ticks(10_406.0, 6);
        assert_eq!(end, 12_000.0);
        assert_eq!(ticks.len(), 7);
        assert_eq!(day_ticks(61, 12), (0..61).step_by(7).collect::<Vec<_>>());
        assert_eq!(day_ticks(5, 12), vec![0, 1, 2, 3, 4]);
        assert!(day_ticks(3000, 12).len() <= 12);
    }

    #[test]
    fn bin_ticks_land_on_calendar_multiples_and_stay_under_the_limit() {
        use crate::entities::dates::day_number;
        let d = |iso: &str| day_number(iso).unwrap();
        let (first, last) = (d("2009-03-04"), d("2023-02-10"));
        let months = Bin::Month.spans(first, last);
        assert_eq!(months.len(), 168);
        let ticks = bin_ticks(Bin::Month, &months, 15);
        let labels: Vec<String> = ticks
            .iter()
            .map(|&i| Bin::Month.label(months[i].start))
            .collect();
        // Every January: 14 of them, 2010 to 2023.
        assert_eq!(labels.len(), 14);
        assert!(labels.iter().all(|l| l.ends_with("-01")), "{labels:?}");
        assert_eq!(labels[0], "2010-01");
        // Quarters when there is room for them.
        let quarters = bin_ticks(Bin::Month, &months[..36], 15);
        assert!(quarters.iter().all(|&i| {
            let label = Bin::Month.label(months[i].start);
            ["-01", "-04", "-07", "-10"]
                .iter()
                .any(|q| label.ends_with(q))
        }));
        let years = Bin::Year.spans(first, last);
        assert_eq!(bin_ticks(Bin::Year, &years, 15).len(), 15);
        let fives: Vec<String> = bin_ticks(Bin::Year, &years, 4)
            .iter()
            .map(|&i| Bin::Year.label(years[i].start))
            .collect();
        assert_eq!(fives, ["2010", "2015", "2020"]);
        let weeks = Bin::Week.spans(d("2021-01-01"), d("2022-12-31"));
        assert_eq!(
            bin_ticks(Bin::Week, &weeks, 12),
            (0..weeks.len()).step_by(13).collect::<Vec<_>>()
        );
        // One bin, a long step: the bin still has its label.
        assert_eq!(bin_ticks(Bin::Month, &months[1..2], 1), vec![0]);
        let (labels, desc) = bin_labels(Bin::Week, &weeks[..2]);
        assert_eq!(
            (labels[0].as_str(), desc.as_str()),
            ("2020-W53", "week (ISO, Monday start)")
        );
        let (labels, desc) =
            bin_labels(Bin::Day, &Bin::Day.spans(d("2022-10-15"), d("2022-10-16")));
        assert_eq!(
            (labels, desc.as_str()),
            (vec!["10-15".to_string(), "10-16".into()], "date (2022)")
        );
    }

    #[test]
    fn an_inset_axis_keeps_its_ends_inside_the_plot() {
        let y = Ticked::new(0.0, 100.0, Vec::new());
        // y runs from the bottom pixel (500) up to the top (0).
        assert_eq!((y.map(&0.0, (500, 0)), y.map(&100.0, (500, 0))), (500, 0));
        let y = y.inset(5);
        assert_eq!((y.map(&0.0, (500, 0)), y.map(&100.0, (500, 0))), (495, 5));
        let x = Ticked::new(-0.5, 9.5, Vec::new()).inset(5);
        assert_eq!(
            (x.map(&-0.5, (100, 1100)), x.map(&9.5, (100, 1100))),
            (105, 1095)
        );
        // An axis too short for the inset keeps its ends.
        assert_eq!(x.map(&-0.5, (100, 110)), 100);
    }

    #[test]
    fn labels_are_shortened_by_characters() {
        assert_eq!(shorten("카카오 먹통", 22), "카카오 먹통");
        let long = "‘카카오 먹통’ 김범수, 24일 과방위 국감장 나오나…여야 증인 협의 진통";
        let short = shorten(long, 22);
        assert_eq!(short, "‘카카오 먹통’ 김범수, 24일 과방위…");
        // A word is not cut in half when a space is near the cut.
        assert_eq!(
            shorten("카카오 “판교 데이터센터 화재 복구 95%”", 22),
            "카카오 “판교 데이터센터 화재 복구…"
        );
        assert_eq!(
            shorten("가나다라마바사아자차카타파하가나다라마바사아자", 10),
            "가나다라마바사아자…"
        );
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}

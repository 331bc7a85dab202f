//! Calendar bins: days grouped into days, ISO weeks, months or years, so that a timeline or a
//! heatmap reads over any range (five days of an outage or fourteen years of a dump).
//!
//! Takes day numbers (days since 1970-01-01, from the one calendar in
//! [`crate::entities::dates`]) and a [`Binning`] (`--bin`); gives the [`Bin`] unit a range is
//! drawn in and its [`Span`]s: every bin from the one holding the first day to the one holding
//! the last, empty ones included, each with its first and last day and an unambiguous label
//! (`2022-10-17`, `2022-W42`, `2022-10`, `2022`).
//!
//! Guarantees: the spans partition the days from the first span's start to the last span's end
//! (consecutive, no gap, no overlap), so counts summed over bins equal the daily totals; weeks
//! are ISO 8601 weeks (Monday to Sunday, numbered in the ISO year of their Thursday, so
//! 2020-12-28 … 2021-01-03 is `2020-W53`); [`Binning::Auto`] depends only on the first and last
//! day, so the same tables give the same bins.

use std::fmt;
use std::str::FromStr;

use crate::entities::dates::iso_day;

/// Most points the timeline draws under `auto`. Its plot is about 1,000 px wide: 120 bins keep
/// ≥ 8 px between points, so a rise and a fall stay two strokes and markers do not merge, while
/// 4 months of days, 2⅓ years of weeks or 10 years of months still show day, week or month.
pub const LINE_BINS: usize = 120;

/// Most columns the heatmap draws under `auto`. Its grid is about 900 px wide (beside the
/// keyword labels and the colour bar): 40 columns are ≥ 20 px cells, wide enough to see a
/// shade, to point at, and to write a small count in; more turns a row into a barcode.
pub const HEATMAP_BINS: usize = 40;

/// The unit of a bin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bin {
    Day,
    /// ISO 8601 week: Monday to Sunday.
    Week,
    Month,
    Year,
}

impl Bin {
    /// From finest to coarsest: the order `auto` tries them in.
    pub const ALL: [Bin; 4] = [Bin::Day, Bin::Week, Bin::Month, Bin::Year];

    /// `day`, `week`, `month` or `year` (the `bin` column of `timeline_binned.csv`).
    pub fn name(self) -> &'static str {
        match self {
            Bin::Day => "day",
            Bin::Week => "week",
            Bin::Month => "month",
            Bin::Year => "year",
        }
    }

    /// The x-axis description of a chart in this unit (days name their year elsewhere).
    pub fn axis(self) -> &'static str {
        match self {
            Bin::Day => "date",
            Bin::Week => "week (ISO, Monday start)",
            Bin::Month => "month",
            Bin::Year => "year",
        }
    }

    /// The first day of the bin holding `day`.
    pub fn start_of(self, day: i64) -> i64 {
        match self {
            Bin::Day => day,
            // 1970-01-01 was a Thursday: Monday is 3 days before it.
            Bin::Week => day - (day + 3).rem_euclid(7),
            Bin::Month => month_start(day),
            Bin::Year => year_start(day),
        }
    }

    /// The first day of the bin after the one starting on `start`.
    pub fn next(self, start: i64) -> i64 {
        match self {
            Bin::Day => start + 1,
            Bin::Week => start + 7,
            // A month has 28 to 31 days, a year 365 or 366: the next bin starts on the first
            // of those lengths that lands on a first of the month (of January).
            Bin::Month => (28..=31)
                .map(|n| start + n)
                .find(|&d| ymd(d).2 == 1)
                .unwrap_or(start + 31),
            Bin::Year => [365, 366]
                .map(|n| start + n)
                .into_iter()
                .find(|&d| ymd(d).1 == 1 && ymd(d).2 == 1)
                .unwrap_or(start + 366),
        }
    }

    /// The label of the bin starting on `start`: `2022-10-17`, `2022-W42` (ISO year and week),
    /// `2022-10` or `2022`.
    pub fn label(self, start: i64) -> String {
        let iso = iso_day(start);
        match self {
            Bin::Day => iso,
            Bin::Week => {
                let (year, week) = iso_week(start);
                format!("{year:04}-W{week:02}")
            }
            // `iso_day` ends in `-MM-DD`.
            Bin::Month => iso[..iso.len() - 3].to_string(),
            Bin::Year => iso[..iso.len() - 6].to_string(),
        }
    }

    /// The bins from the one holding `first` to the one holding `last` (none when `last` comes
    /// first).
    pub fn spans(self, first: i64, last: i64) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut start = self.start_of(first);
        while start <= last {
            let next = self.next(start);
            spans.push(Span {
                start,
                end: next - 1,
            });
            start = next;
        }
        spans
    }

    /// How many bins `first..=last` touches (what `auto` compares with its limit).
    pub fn count(self, first: i64, last: i64) -> usize {
        if last < first {
            return 0;
        }
        let (a, b) = (ymd(first), ymd(last));
        let count = match self {
            Bin::Day => last - first + 1,
            Bin::Week => (self.start_of(last) - self.start_of(first)) / 7 + 1,
            Bin::Month => (b.0 - a.0) * 12 + i64::from(b.1) - i64::from(a.1) + 1,
            Bin::Year => b.0 - a.0 + 1,
        };
        count as usize
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One bin: its first and last day (day numbers, both included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    pub fn contains(&self, day: i64) -> bool {
        (self.start..=self.end).contains(&day)
    }
}

/// The index of the span holding `day` in `spans` (as [`Bin::spans`] gives them), if any.
pub fn span_index(spans: &[Span], day: i64) -> Option<usize> {
    let i = spans.partition_point(|s| s.end < day);
    spans.get(i).filter(|s| s.contains(day)).map(|_| i)
}

/// `--bin`: a unit, or `auto` (the finest unit that keeps a chart under its limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Binning {
    #[default]
    Auto,
    Fixed(Bin),
}

impl Binning {
    /// The unit for the days `first..=last` on a chart of at most `max_bins` bins: the given
    /// one, or under `auto` the finest whose bins over the range are no more than `max_bins`
    /// (years when none is: there is nothing coarser).
    pub fn resolve(self, first: i64, last: i64, max_bins: usize) -> Bin {
        match self {
            Binning::Fixed(bin) => bin,
            Binning::Auto => Bin::ALL
                .into_iter()
                .find(|bin| bin.count(first, last) <= max_bins)
                .unwrap_or(Bin::Year),
        }
    }
}

impl fmt::Display for Binning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Binning::Auto => f.write_str("auto"),
            Binning::Fixed(bin) => f.write_str(bin.name()),
        }
    }
}

impl FromStr for Binning {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Binning::Auto),
            "day" => Ok(Binning::Fixed(Bin::Day)),
            "week" => Ok(Binning::Fixed(Bin::Week)),
            "month" => Ok(Binning::Fixed(Bin::Month)),
            "year" => Ok(Binning::Fixed(Bin::Year)),
            other => Err(format!(
                "{other:?} is not a bin: day, week, month, year or auto"
            )),
        }
    }
}

// Month and year arithmetic goes through `iso_day` alone, so there is one calendar (dates.rs)
// and no day number, however far out, can make it fail.

/// Year, month, day of a day number.
fn ymd(day: i64) -> (i64, u32, u32) {
    let iso = iso_day(day);
    // `iso_day` writes `Y-MM-DD` with at least four year digits (a sign before 0).
    let (year, rest) = iso.split_at(iso.len() - 6);
    let part = |r: std::ops::Range<usize>| rest[r].parse::<u32>().unwrap_or(1);
    (year.parse().unwrap_or(0), part(1..3), part(4..6))
}

/// The first day of the month holding `day`.
fn month_start(day: i64) -> i64 {
    day - i64::from(ymd(day).2) + 1
}

/// January 1st of the year holding `day`: back a month at a time (at most eleven).
fn year_start(day: i64) -> i64 {
    let mut start = month_start(day);
    while ymd(start).1 > 1 {
        start = month_start(start - 1);
    }
    start
}

/// ISO year and week of `day`: the week belongs to the year holding its Thursday.
fn iso_week(day: i64) -> (i64, i64) {
    let thursday = Bin::Week.start_of(day) + 3;
    (ymd(thursday).0, (thursday - year_start(thursday)) / 7 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::dates::day_number;

    fn d(iso: &str) -> i64 {
        day_number(iso).unwrap()
    }

    /// The spans of `bin` over `first..=last` as (start, end, label).
    fn spans(bin: Bin, first: &str, last: &str) -> Vec<(String, String, String)> {
        bin.spans(d(first), d(last))
            .iter()
            .map(|s| (iso_day(s.start), iso_day(s.end), bin.label(s.start)))
            .collect()
    }

    fn own(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn iso_weeks_start_on_monday_and_cross_year_ends() {
        // 2020 has 53 ISO weeks; its last runs into 2021, and 2021-W01 starts on Jan 4.
        assert_eq!(
            spans(Bin::Week, "2020-12-30", "2021-01-05"),
            own(&[
                ("2020-12-28", "2021-01-03", "2020-W53"),
                ("2021-01-04", "2021-01-10", "2021-W01"),
            ])
        );
        // 2024-12-30 is a Monday in 2025-W01 (its Thursday is 2025-01-02).
        assert_eq!(
            spans(Bin::Week, "2024-12-29", "2024-12-31"),
            own(&[
                ("2024-12-23", "2024-12-29", "2024-W52"),
                ("2024-12-30", "2025-01-05", "2025-W01"),
            ])
        );
        // The outage week: Saturday 2022-10-15 is in W41, Monday the 17th starts W42.
        assert_eq!(
            Bin::Week.label(Bin::Week.start_of(d("2022-10-15"))),
            "2022-W41"
        );
        assert_eq!(iso_day(Bin::Week.start_of(d("2022-10-23"))), "2022-10-17");
        assert_eq!(Bin::Week.label(d("2022-10-17")), "2022-W42");
        // Before 1970 too (day numbers are negative).
        assert_eq!(iso_day(Bin::Week.start_of(d("1969-12-31"))), "1969-12-29");
    }

    #[test]
    fn months_end_on_their_last_day_leap_years_included() {
        assert_eq!(
            spans(Bin::Month, "2024-01-31", "2024-03-01"),
            own(&[
                ("2024-01-01", "2024-01-31", "2024-01"),
                ("2024-02-01", "2024-02-29", "2024-02"),
                ("2024-03-01", "2024-03-31", "2024-03"),
            ])
        );
        assert_eq!(
            spans(Bin::Month, "2023-02-10", "2023-02-10")[0].1,
            "2023-02-28"
        );
        // 1900 is no leap year, 2000 is.
        assert_eq!(
            spans(Bin::Month, "1900-02-01", "1900-02-01")[0].1,
            "1900-02-28"
        );
        assert_eq!(
            spans(Bin::Month, "2000-02-01", "2000-02-01")[0].1,
            "2000-02-29"
        );
        assert_eq!(
            spans(Bin::Month, "2022-12-31", "2023-01-01"),
            own(&[
                ("2022-12-01", "2022-12-31", "2022-12"),
                ("2023-01-01", "2023-01-31", "2023-01"),
            ])
        );
        assert_eq!(
            spans(Bin::Year, "2023-12-31", "2024-01-01"),
            own(&[
                ("2023-01-01", "2023-12-31", "2023"),
                ("2024-01-01", "2024-12-31", "2024"),
            ])
        );
        assert_eq!(Bin::Year.spans(d("2024-01-01"), d("2024-12-31")).len(), 1);
        // The last year the date reader accepts: its successor is computed, not parsed.
        assert_eq!(
            spans(Bin::Year, "2999-12-31", "2999-12-31")[0].1,
            "2999-12-31"
        );
        assert_eq!(Bin::Month.next(d("2999-12-01")), d("2999-12-31") + 1);
        assert_eq!(
            Bin::Year.spans(d("2024-06-01"), d("2024-12-31"))[0].end - d("2024-01-01"),
            365
        );
    }

    #[test]
    fn spans_partition_the_days_and_count_matches() {
        let (first, last) = (d("2009-01-01"), d("2023-01-29"));
        for bin in Bin::ALL {
            let spans = bin.spans(first, last);
            assert_eq!(spans.len(), bin.count(first, last), "{bin}");
            assert!(spans[0].contains(first) && spans.last().unwrap().contains(last));
            for pair in spans.windows(2) {
                assert_eq!(pair[0].end + 1, pair[1].start, "{bin}");
            }
            for day in [first, first + 400, last - 1, last] {
                let i = span_index(&spans, day).unwrap();
                assert!(spans[i].contains(day));
            }
            assert_eq!(span_index(&spans, spans[0].start - 1), None);
            // Labels are unique: a bin is never named twice.
            let labels: std::collections::BTreeSet<String> =
                spans.iter().map(|s| bin.label(s.start)).collect();
            assert_eq!(labels.len(), spans.len(), "{bin}");
        }
        assert_eq!(Bin::Day.count(5, 4), 0);
        assert!(Bin::Day.spans(5, 4).is_empty());
    }

    #[test]
    fn auto_picks_the_finest_unit_under_the_limit() {
        let pick = |first: &str, last: &str, max| Binning::Auto.resolve(d(first), d(last), max);
        // The timeline (120 points): days up to 120 days, weeks up to 120 weeks, months up to
        // ten years, then years.
        assert_eq!(pick("2022-10-15", "2022-10-19", LINE_BINS), Bin::Day);
        assert_eq!(pick("2022-01-01", "2022-04-30", LINE_BINS), Bin::Day);
        assert_eq!(pick("2022-01-01", "2022-05-01", LINE_BINS), Bin::Week);
        assert_eq!(pick("2021-01-01", "2022-12-31", LINE_BINS), Bin::Week);
        assert_eq!(pick("2014-01-01", "2023-12-31", LINE_BINS), Bin::Month);
        assert_eq!(pick("2009-01-01", "2023-01-29", LINE_BINS), Bin::Year);
        // The heatmap (40 columns): days up to 40 days, weeks up to 40 weeks, months up to 40.
        assert_eq!(pick("2022-10-01", "2022-11-09", HEATMAP_BINS), Bin::Day);
        assert_eq!(pick("2022-10-01", "2022-11-10", HEATMAP_BINS), Bin::Week);
        assert_eq!(pick("2022-01-01", "2022-12-31", HEATMAP_BINS), Bin::Month);
        assert_eq!(pick("2020-01-01", "2023-04-30", HEATMAP_BINS), Bin::Month);
        assert_eq!(pick("2020-01-01", "2023-05-01", HEATMAP_BINS), Bin::Year);
        // More years than the limit: still years.
        assert_eq!(pick("1900-01-01", "2023-01-01", HEATMAP_BINS), Bin::Year);
        // A fixed unit is kept whatever the range.
        let day = Binning::Fixed(Bin::Day);
        assert_eq!(day.resolve(d("2009-01-01"), d("2023-01-01"), 40), Bin::Day);
    }

    #[test]
    fn the_option_parses_and_prints() {
        for text in ["auto", "day", "week", "month", "year"] {
            assert_eq!(text.parse::<Binning>().unwrap().to_string(), text);
        }
        assert_eq!("Week".parse::<Binning>(), Ok(Binning::Fixed(Bin::Week)));
        assert!("fortnight"
            .parse::<Binning>()
            .unwrap_err()
            .contains("day, week"));
    }
}

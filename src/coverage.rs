//! Coverage: how the articles of a run spread over stories, days and outlets.
//!
//! Takes the rows of `articles.csv` once relevance is known; gives one summary per story (size,
//! outlets, first and last date, the outlet that ran it first), the `timeline` (one row per day
//! from the first to the last date, days without articles included, so a chart's gaps are real),
//! the same timeline in calendar bins (`timeline_binned.csv`: weeks, months or years, see
//! [`crate::bins`]) and the `outlets` table.
//!
//! Which articles count: those of on-topic stories, or all with `keep_off_topic`; the timeline
//! also counts each day's off-topic articles so their share stays visible.
//!
//! Guarantees: every figure is a count over rows, every list sorted by a total order, so the
//! result does not depend on the thread count.

use std::collections::{BTreeMap, BTreeSet};

use crate::bins::{span_index, Bin, Binning, LINE_BINS};
use crate::entities::dates::{day_number, days_between, iso_day};
use crate::record::ArticleRow;

/// One story as `clusters.csv` describes it.
#[derive(Debug, Default)]
pub struct StorySummary<'a> {
    pub size: u64,
    pub representative: Option<&'a ArticleRow>,
    pub outlets: BTreeSet<&'a str>,
    pub first_date: Option<&'a str>,
    pub last_date: Option<&'a str>,
    /// Outlet of the earliest dated article (input order among equal dates), else of the first
    /// article with an outlet: the likely origin of a wire copy.
    pub first_outlet: Option<&'a str>,
    dated_first_outlet: Option<(&'a str, &'a str)>,
}

fn date_of(row: &ArticleRow) -> Option<&str> {
    Some(row.date.iso()).filter(|d| !d.is_empty())
}

/// Every story of the rows, by cluster id.
pub fn stories(rows: &[ArticleRow]) -> BTreeMap<u32, StorySummary<'_>> {
    let mut stories: BTreeMap<u32, StorySummary> = BTreeMap::new();
    for row in rows {
        let Some(id) = row.cluster_id else { continue };
        let story = stories.entry(id).or_default();
        story.size += 1;
        if row.is_representative() {
            story.representative = Some(row);
        }
        let date = date_of(row);
        if let Some(outlet) = row.outlet.as_deref() {
            story.outlets.insert(outlet);
            story.first_outlet.get_or_insert(outlet);
            if let Some(d) = date {
                if story.dated_first_outlet.is_none_or(|(fd, _)| d < fd) {
                    story.dated_first_outlet = Some((d, outlet));
                }
            }
        }
        if let Some(d) = date {
            story.first_date = Some(story.first_date.map_or(d, |f| f.min(d)));
            story.last_date = Some(story.last_date.map_or(d, |l| l.max(d)));
        }
    }
    for story in stories.values_mut() {
        if let Some((_, outlet)) = story.dated_first_outlet {
            story.first_outlet = Some(outlet);
        }
    }
    stories
}

/// Whether a row is counted in the coverage tables.
fn counted(row: &ArticleRow, keep_off_topic: bool) -> bool {
    row.cluster_id.is_some() && (keep_off_topic || row.off_topic != Some(true))
}

/// One row of `timeline.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: String,
    pub articles: u64,
    /// Stories with at least one article that day.
    pub stories: u64,
    pub outlets: u64,
    /// Off-topic articles that day (counted in `articles` only with `keep_off_topic`).
    pub off_topic: u64,
}

/// One row per day from the first to the last dated article (counted or off topic); empty when
/// no article has a date.
pub fn timeline(rows: &[ArticleRow], keep_off_topic: bool) -> Vec<Day> {
    #[derive(Default)]
    struct Count<'a> {
        articles: u64,
        stories: BTreeSet<u32>,
        outlets: BTreeSet<&'a str>,
        off_topic: u64,
    }
    let mut days: BTreeMap<&str, Count> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.cluster_id.is_some()) {
        let Some(date) = date_of(row) else { continue };
        let day = days.entry(date).or_default();
        if row.off_topic == Some(true) {
            day.off_topic += 1;
        }
        if counted(row, keep_off_topic) {
            day.articles += 1;
            day.stories.extend(row.cluster_id);
            day.outlets.extend(row.outlet.as_deref());
        }
    }
    let (Some(first), Some(last)) = (days.keys().next(), days.keys().next_back()) else {
        return Vec::new();
    };
    days_between(first, last)
        .into_iter()
        .map(|date| {
            let c = days.get(date.as_str());
            Day {
                articles: c.map_or(0, |c| c.articles),
                stories: c.map_or(0, |c| c.stories.len() as u64),
                outlets: c.map_or(0, |c| c.outlets.len() as u64),
                off_topic: c.map_or(0, |c| c.off_topic),
                date,
            }
        })
        .collect()
}

/// One row of `timeline_binned.csv`: the days of one bin, their counts summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub bin: Bin,
    /// First and last day of the bin (ISO dates, both included): a bin is whole even where the
    /// timeline starts or ends inside it.
    pub start: String,
    pub end: String,
    /// `2022-10-17`, `2022-W42`, `2022-10` or `2022`.
    pub label: String,
    /// Days of the bin within the timeline (fewer than the bin's own in a first or last bin the
    /// dates start or end inside): for rates per day, and to tell a partial bin from a quiet one.
    pub days: u64,
    pub articles: u64,
    /// Summed over the days: a story with articles on three days of a week counts three times,
    /// as on the daily timeline (distinct stories per bin would not add up to the days').
    pub stories: u64,
    /// Summed over the days, likewise.
    pub outlets: u64,
    pub off_topic: u64,
}

/// The daily `timeline` in bins of `binning` (`auto`: the finest unit with at most
/// [`LINE_BINS`] bins, as the timeline chart draws it): one row per bin from the first day's to
/// the last day's, empty bins included, each count the sum of its days'. Empty when the timeline
/// is.
pub fn timeline_binned(days: &[Day], binning: Binning) -> Vec<Period> {
    let dated: Vec<(i64, &Day)> = days
        .iter()
        .filter_map(|d| Some((day_number(&d.date)?, d)))
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|(n, _)| *n).min(),
        dated.iter().map(|(n, _)| *n).max(),
    ) else {
        return Vec::new();
    };
    let bin = binning.resolve(first, last, LINE_BINS);
    let spans = bin.spans(first, last);
    let mut periods: Vec<Period> = spans
        .iter()
        .map(|s| Period {
            bin,
            start: iso_day(s.start),
            end: iso_day(s.end),
            label: bin.label(s.start),
            days: (s.end.min(last) - s.start.max(first) + 1) as u64,
            articles: 0,
            stories: 0,
            outlets: 0,
            off_topic: 0,
        })
        .collect();
    for (day, counts) in dated {
        if let Some(p) = span_index(&spans, day).map(|i| &mut periods[i]) {
            p.articles += counts.articles;
            p.stories += counts.stories;
            p.outlets += counts.outlets;
            p.off_topic += counts.off_topic;
        }
    }
    periods
}

/// One row of `outlets.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outlet<'a> {
    pub outlet: &'a str,
    pub articles: u64,
    pub stories: u64,
    /// Of the counted articles that name an outlet.
    pub share_articles: f64,
    /// Of the counted stories.
    pub share_stories: f64,
    pub first_date: Option<&'a str>,
    /// Stories this outlet ran first (see [`StorySummary::first_outlet`]).
    pub originated: u64,
}

/// The outlets of the counted articles, by articles descending, then name.
pub fn outlets<'a>(
    rows: &'a [ArticleRow],
    stories: &BTreeMap<u32, StorySummary<'a>>,
    keep_off_topic: bool,
) -> Vec<Outlet<'a>> {
    #[derive(Default)]
    struct Count<'a> {
        articles: u64,
        stories: BTreeSet<u32>,
        first_date: Option<&'a str>,
        originated: u64,
    }
    let mut outlets: BTreeMap<&str, Count> = BTreeMap::new();
    let mut all_stories = BTreeSet::new();
    for row in rows.iter().filter(|r| counted(r, keep_off_topic)) {
        all_stories.extend(row.cluster_id);
        let Some(outlet) = row.outlet.as_deref() else {
            continue;
        };
        let c = outlets.entry(outlet).or_default();
        c.articles += 1;
        c.stories.extend(row.cluster_id);
        if let Some(d) = date_of(row) {
            c.first_date = Some(c.first_date.map_or(d, |f| f.min(d)));
        }
    }
    for (id, story) in stories {
        if all_stories.contains(id) {
            if let Some(c) = story.first_outlet.and_then(|o| outlets.get_mut(o)) {
                c.originated += 1;
            }
        }
    }
    let total_articles: u64 = outlets.values().map(|c| c.articles).sum();
    let mut list: Vec<Outlet> = outlets
        .into_iter()
        .map(|(outlet, c)| Outlet {
            outlet,
            articles: c.articles,
            stories: c.stories.len() as u64,
            share_articles: c.articles as f64 / total_articles.max(1) as f64,
            share_stories: c.stories.len() as f64 / all_stories.len().max(1) as f64,
            first_date: c.first_date,
            originated: c.originated,
        })
        .collect();
    list.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.outlet.cmp(b.outlet)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Article, ArticleDate, Status};

    fn row(cluster: u32, date: &str, outlet: &str, off_topic: bool, rep: bool) -> ArticleRow {
        let mut r = ArticleRow::new(Article {
            index: 0,
            article_id: format!("a{cluster}"),
            source: String::new(),
            outlet: Some(outlet.to_string()).filter(|o| !o.is_empty()),
            date: if date.is_empty() {
                ArticleDate::Missing
            } else {
                ArticleDate::Iso(date.to_string())
            },
            title: String::new(),
            body: String::new(),
            url: None,
            bigkinds: None,
        });
        r.cluster_id = Some(cluster);
        r.off_topic = Some(off_topic);
        if !rep {
            r.status = Status::Duplicate;
        }
        r
    }

    #[test]
    fn timeline_has_every_day_and_counts_copies_and_strays() {
        let rows = [
            row(1, "2022-10-15", "연합뉴스", false, true),
            row(1, "2022-10-15", "서울신문", false, false),
            row(2, "2022-10-17", "한겨레", false, true),
            row(3, "2022-10-17", "한겨레", true, true),
            row(4, "", "한겨레", false, true),
        ];
        let days = timeline(&rows, false);
        let got: Vec<(&str, u64, u64, u64, u64)> = days
            .iter()
            .map(|d| {
                (
                    d.date.as_str(),
                    d.articles,
                    d.stories,
                    d.outlets,
                    d.off_topic,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2022-10-15", 2, 1, 2, 0),
                ("2022-10-16", 0, 0, 0, 0),
                ("2022-10-17", 1, 1, 1, 1)
            ]
        );
        assert_eq!(timeline(&rows, true)[2].articles, 2);
        assert!(timeline(&rows[4..], false).is_empty());
    }

    #[test]
    fn binned_timeline_sums_the_days_over_whole_bins() {
        // 14 years of days, one article most days, a burst in October 2022.
        let days: Vec<Day> = days_between("2009-03-04", "2023-02-10")
            .into_iter()
            .enumerate()
            .map(|(i, date)| {
                let burst = date.starts_with("2022-10-1");
                Day {
                    articles: if burst { 40 } else { (i % 3) as u64 },
                    stories: if burst { 12 } else { (i % 3).min(1) as u64 },
                    outlets: (i % 5) as u64,
                    off_topic: (i % 7 == 0) as u64,
                    date,
                }
            })
            .collect();
        let total = |f: fn(&Day) -> u64| days.iter().map(f).sum::<u64>();
        for binning in ["auto", "day", "week", "month", "year"] {
            let binning: Binning = binning.parse().unwrap();
            let periods = timeline_binned(&days, binning);
            let sum = |f: fn(&Period) -> u64| periods.iter().map(f).sum::<u64>();
            assert_eq!(sum(|p| p.articles), total(|d| d.articles), "{binning}");
            assert_eq!(sum(|p| p.stories), total(|d| d.stories), "{binning}");
            assert_eq!(sum(|p| p.outlets), total(|d| d.outlets), "{binning}");
            assert_eq!(sum(|p| p.off_topic), total(|d| d.off_topic), "{binning}");
            // Whole bins, back to back, covering every day.
            assert!(periods[0].start.as_str() <= "2009-03-04");
            assert!(periods.last().unwrap().end.as_str() >= "2023-02-10");
            for pair in periods.windows(2) {
                let next = day_number(&pair[0].end).unwrap() + 1;
                assert_eq!(iso_day(next), pair[1].start);
            }
        }
        let covered: u64 = timeline_binned(&days, "week".parse().unwrap())
            .iter()
            .map(|p| p.days)
            .sum();
        assert_eq!(covered, days.len() as u64);
        // Auto: 15 calendar years is more than 120 months.
        let years = timeline_binned(&days, Binning::Auto);
        assert_eq!(years.len(), 15);
        let y2009 = &years[0];
        assert_eq!(
            (
                y2009.bin,
                y2009.start.as_str(),
                y2009.end.as_str(),
                y2009.label.as_str()
            ),
            (Bin::Year, "2009-01-01", "2009-12-31", "2009")
        );
        // 2009 from March 4th: 365 - 62 days; 2010 whole.
        assert_eq!((years[0].days, years[1].days), (303, 365));
        let year_2022 = days.iter().filter(|d| d.date.starts_with("2022"));
        assert_eq!(
            years[13].articles,
            year_2022.map(|d| d.articles).sum::<u64>()
        );
        // A week straddling New Year is labelled by its ISO year.
        let weeks = timeline_binned(&days, "week".parse().unwrap());
        let w = weeks.iter().find(|p| p.start == "2020-12-28").unwrap();
        assert_eq!(
            (w.label.as_str(), w.end.as_str()),
            ("2020-W53", "2021-01-03")
        );
        assert!(timeline_binned(&[], Binning::Auto).is_empty());
    }

    #[test]
    fn outlets_count_shares_and_origins() {
        let rows = [
            row(1, "2022-10-15", "연합뉴스", false, true),
            row(1, "2022-10-16", "서울신문", false, false),
            row(2, "2022-10-17", "서울신문", false, true),
            row(3, "2022-10-17", "한겨레", true, true),
        ];
        let summaries = stories(&rows);
        assert_eq!(summaries[&1].first_outlet, Some("연합뉴스"));
        let list = outlets(&rows, &summaries, false);
        let got: Vec<(&str, u64, u64, u64)> = list
            .iter()
            .map(|o| (o.outlet, o.articles, o.stories, o.originated))
            .collect();
        assert_eq!(got, [("서울신문", 2, 2, 1), ("연합뉴스", 1, 1, 1)]);
        assert!((list[0].share_articles - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(list[0].share_stories, 1.0);
        assert_eq!(list[0].first_date, Some("2022-10-16"));
    }
}

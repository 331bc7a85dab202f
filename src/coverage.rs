//! Coverage: how the articles of a run spread over stories, days and outlets.
//!
//! Takes the rows of `articles.csv` once relevance is known; gives one summary per story (size,
//! outlets, first and last date, the outlet that ran it first), the `timeline` (one row per day
//! from the first to the last date, days without articles included, so a chart's gaps are real)
//! and the `outlets` table.
//!
//! Which articles count: those of on-topic stories, or all with `keep_off_topic`; the timeline
//! also counts each day's off-topic articles so their share stays visible.
//!
//! Guarantees: every figure is a count over rows, every list sorted by a total order, so the
//! result does not depend on the thread count.

use std::collections::{BTreeMap, BTreeSet};

use crate::entities::dates::days_between;
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

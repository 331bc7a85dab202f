//! Template lines that change from article to article, for the hard labelled set.
//!
//! Takes an outlet's [`Varying`] plan and a ChaCha8 stream; gives the lines real sites print
//! around a story that no two articles share whole: a date/time stamp (`입력 2022.10.16 14:32`),
//! a view counter or article number, the reporter's e-mail line (an outlet's reporters rotate),
//! a photo caption (`▲ … (사진=…)`), and a "related articles" box listing two or three
//! headlines of the outlet's other stories nearest in date ([`fill_related`], once the whole set
//! is printed). Counting identical lines cannot learn them: each holds the article's own date,
//! time, number, reporter or neighbours.
//!
//! Guarantees: every line is recognised back ([`is_head_line`], [`is_bottom_line`] and the box
//! by its header) without knowing the article, so `outlets::split` takes any printed body apart;
//! no story text line matches (story lines are sentences ending in `.`, `다` or a quote).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use regex::Regex;

use super::outlets::{self, Reporter};
use crate::LabelledArticle;

/// What an outlet prints per article beyond its fixed template.
#[derive(Debug, Clone, Copy)]
pub struct Varying {
    /// Stamp format ([`stamp`]) and whether it heads the body (else it follows the text).
    pub stamp: Option<(usize, bool)>,
    /// Counter format ([`counter`]).
    pub counter: Option<usize>,
    /// E-mail line format ([`email_line`]).
    pub email: usize,
    /// Related-box style ([`BOXES`]).
    pub related: Option<usize>,
    /// Share of articles printed with a photo caption.
    pub caption: f64,
}

/// The plans of the varying outlets, in table order: every kind of line printed by several
/// outlets, in several formats.
pub const PLANS: [Varying; 8] = [
    plan(Some((0, true)), Some(0), 0, Some(0), 0.5),
    plan(Some((1, false)), None, 1, Some(1), 0.0),
    plan(Some((2, true)), Some(1), 2, None, 0.6),
    plan(None, Some(2), 3, Some(2), 0.3),
    plan(Some((3, true)), Some(3), 0, Some(3), 0.0),
    plan(Some((4, false)), None, 2, Some(0), 0.4),
    plan(Some((1, true)), Some(0), 3, None, 0.2),
    plan(None, None, 1, Some(2), 0.7),
];

const fn plan(
    stamp: Option<(usize, bool)>,
    counter: Option<usize>,
    email: usize,
    related: Option<usize>,
    caption: f64,
) -> Varying {
    Varying {
        stamp,
        counter,
        email,
        related,
        caption,
    }
}

/// Related-box styles: the header line and the prefix of each listed headline.
pub const BOXES: [(&str, &str); 4] = [
    ("▶ 관련기사", "▶ "),
    ("[관련기사]", "· "),
    ("■ 함께 보면 좋은 기사", "☞ "),
    ("<이 기사와 함께 많이 본 뉴스>", "- "),
];

/// Where the related box goes until the whole set is printed (a line of its own).
pub const RELATED_MARK: &str = "\u{E000}";

/// Stock photo captions: (caption, credit; `{o}` the outlet).
const STOCK_CAPTIONS: [(&str, &str); 5] = [
    ("기사 내용과 직접적인 관련 없는 자료사진", "게티이미지뱅크"),
    ("이해를 돕기 위한 자료사진", "클립아트코리아"),
    ("본문과 무관한 이미지", "픽사베이"),
    ("자료사진", "{o} DB"),
    ("그래픽", "{o} 그래픽팀"),
];
const STORY_CREDITS: [&str; 5] = ["독자 제공", "{o} DB", "관계 당국 제공", "연합뉴스", "뉴스1"];

/// One article's values of the varying lines.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// Minutes after midnight the article was posted, and last edited (0: never edited).
    pub posted: u32,
    pub edited: u32,
    /// Views (or the article's sequence number of the day).
    pub counter: u32,
    pub caption: Option<String>,
}

impl Extra {
    /// Values for an article titled `title` by `outlet` with plan `plan`.
    pub fn draw(rng: &mut ChaCha8Rng, plan: &Varying, outlet: &str, title: &str) -> Extra {
        let posted = rng.random_range(6 * 60..24 * 60);
        let edited = if rng.random_bool(0.5) {
            (posted + rng.random_range(5..180)).min(24 * 60 - 1)
        } else {
            0
        };
        let caption = rng.random_bool(plan.caption).then(|| {
            let (text, credit) = if rng.random_bool(0.5) {
                *STOCK_CAPTIONS.choose(rng).expect("captions")
            } else {
                (title, *STORY_CREDITS.choose(rng).expect("credits"))
            };
            // A caption of the story says what the picture shows: its headline, untagged.
            let text = match text.strip_prefix('[').and_then(|t| t.split_once(']')) {
                Some((_, rest)) => format!("{} 관련 현장", rest.trim()),
                None if text == title => format!("{text} 관련 현장"),
                None => text.to_string(),
            };
            format!("▲ {text} (사진={})", credit.replace("{o}", outlet))
        });
        Extra {
            posted,
            edited,
            counter: rng.random_range(30..20_000),
            caption,
        }
    }
}

/// The stamp line of format `format` for an article of `day`.
pub fn stamp(format: usize, day: u32, extra: &Extra) -> String {
    let (y, m, d) = outlets::civil(day);
    let (hh, mm) = (extra.posted / 60, extra.posted % 60);
    match format {
        0 => format!("입력 {y}.{m:02}.{d:02} {hh:02}:{mm:02}"),
        1 if extra.edited > 0 => {
            let (h2, m2) = (extra.edited / 60, extra.edited % 60);
            format!(
                "입력 {y}.{m:02}.{d:02} {hh:02}:{mm:02} | 수정 {y}.{m:02}.{d:02} {h2:02}:{m2:02}"
            )
        }
        1 => format!("입력 {y}.{m:02}.{d:02} {hh:02}:{mm:02}"),
        2 => format!(
            "기사입력 {y}-{m:02}-{d:02} {hh:02}:{mm:02}:{:02}",
            extra.counter % 60
        ),
        3 => format!("승인 {y}.{m:02}.{d:02} {hh:02}:{mm:02}"),
        _ => {
            let half = if hh < 12 { "오전" } else { "오후" };
            let h12 = if hh % 12 == 0 { 12 } else { hh % 12 };
            format!("등록 {y}-{m:02}-{d:02} {half} {h12}:{mm:02}:00")
        }
    }
}

/// The counter line of format `format`.
pub fn counter(format: usize, day: u32, extra: &Extra) -> String {
    let (y, m, d) = outlets::civil(day);
    match format {
        0 => format!("조회수 {}", super::daily::comma(i64::from(extra.counter))),
        1 => format!(
            "기사번호 : {y}{m:02}{d:02}{:04}{:02}",
            extra.posted,
            extra.counter % 100
        ),
        2 => format!("hit {}", extra.counter),
        _ => format!("조회 {}회", extra.counter),
    }
}

/// The e-mail line of format `format` for reporter `r`.
pub fn email_line(format: usize, r: &Reporter) -> String {
    let (n, e) = (&r.name, &r.email);
    match format {
        0 => format!("{n} 기자 {e}"),
        1 => e.clone(),
        2 => format!("/ {n} 기자 · {e}"),
        _ => format!("{n} 기자({e})"),
    }
}

static HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?:입력|승인) \d{4}\.\d{2}\.\d{2} \d{2}:\d{2}",
        r"(?: \| 수정 \d{4}\.\d{2}\.\d{2} \d{2}:\d{2})?",
        r"|기사입력 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}",
        r"|등록 \d{4}-\d{2}-\d{2} 오[전후] \d{1,2}:\d{2}:00",
        r"|▲ .+ \(사진=[^()]+\))$",
    ))
    .expect("head line regex")
});

static COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:조회수 [\d,]+|기사번호 : \d+|hit \d+|조회 \d+회)$").expect("counter regex")
});

/// A stamp or caption line (what may head a body).
pub fn is_head_line(line: &str) -> bool {
    HEAD.is_match(line.trim())
}

/// A line an outlet with `plan` prints after the text: a stamp, a counter or one of its
/// reporters' e-mail lines (the related box is recognised by its header, see `outlets::split`).
pub fn is_bottom_line(plan: &Varying, reporters: &[Reporter], line: &str) -> bool {
    let t = line.trim();
    (plan.stamp.is_some() && HEAD.is_match(t) && !t.starts_with('▲'))
        || (plan.counter.is_some() && COUNTER.is_match(t))
        || reporters.iter().any(|r| email_line(plan.email, r) == t)
}

/// Replaces every article's [`RELATED_MARK`] with its outlet's related box: a header and two or
/// three headlines, drawn from the six articles of the same outlet, of other stories, nearest in
/// date (a site's box lists its latest or most-read stories).
pub fn fill_related(out: &mut [LabelledArticle], rng: &mut ChaCha8Rng) {
    let mut by_outlet: BTreeMap<String, Vec<(u32, usize)>> = BTreeMap::new();
    for (i, a) in out.iter().enumerate() {
        let day = outlets::day_of(&a.date).unwrap_or(0);
        by_outlet
            .entry(a.outlet.clone())
            .or_default()
            .push((day, i));
    }
    for i in 0..out.len() {
        if !out[i].body.lines().any(|l| l == RELATED_MARK) {
            continue;
        }
        let outlet = outlets::by_name(&out[i].outlet).expect("a varying outlet of the table");
        let style = outlet
            .varying
            .and_then(|v| v.related)
            .expect("a related box");
        let day = outlets::day_of(&out[i].date).unwrap_or(0);
        let mut near: Vec<(u32, usize)> = by_outlet[&out[i].outlet]
            .iter()
            .filter(|&&(_, j)| out[j].gold != out[i].gold)
            .map(|&(d, j)| (d.abs_diff(day), j))
            .collect();
        near.sort_unstable();
        near.truncate(6);
        let mut titles: Vec<&str> = near.iter().map(|&(_, j)| out[j].title.as_str()).collect();
        titles.dedup();
        titles.shuffle(rng);
        titles.truncate(rng.random_range(2..=3));
        let (header, prefix) = BOXES[style];
        let mut lines = vec![header.to_string()];
        lines.extend(titles.iter().map(|t| format!("{prefix}{t}")));
        let related = lines.join("\n");
        let body = out[i]
            .body
            .lines()
            .map(|l| {
                if l == RELATED_MARK {
                    related.as_str()
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        out[i].body = body;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_line_is_recognised() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let r = Reporter {
            name: "곽하람".into(),
            email: "haram.kwak@example.kr".into(),
        };
        for _ in 0..50 {
            let plan = PLANS[rng.random_range(0..PLANS.len())];
            let e = Extra::draw(&mut rng, &PLANS[0], "한빛통신", "[속보] 시청 앞 화재");
            let day = rng.random_range(0..730);
            for f in 0..5 {
                let s = stamp(f, day, &e);
                assert!(is_head_line(&s), "{s}");
                let with_stamp = Varying {
                    stamp: Some((f, false)),
                    ..plan
                };
                assert!(is_bottom_line(&with_stamp, &[], &s), "{s}");
            }
            for f in 0..4 {
                let c = counter(f, day, &e);
                let with_counter = Varying {
                    counter: Some(f),
                    ..plan
                };
                assert!(is_bottom_line(&with_counter, &[], &c), "{c}");
                assert!(is_bottom_line(
                    &plan,
                    std::slice::from_ref(&r),
                    &email_line(plan.email, &r)
                ));
            }
            if let Some(c) = &e.caption {
                assert!(is_head_line(c), "{c}");
            }
        }
        assert!(!is_head_line("입력 시각은 14:32였다."));
        assert!(!is_bottom_line(&PLANS[0], &[r], "조회수가 크게 늘었다."));
    }

    #[test]
    fn stamps_hold_the_date() {
        let e = Extra {
            posted: 14 * 60 + 32,
            edited: 15 * 60 + 1,
            counter: 1234,
            caption: None,
        };
        assert_eq!(stamp(0, 288, &e), "입력 2022.10.16 14:32");
        assert_eq!(
            stamp(1, 288, &e),
            "입력 2022.10.16 14:32 | 수정 2022.10.16 15:01"
        );
        assert_eq!(stamp(4, 288, &e), "등록 2022-10-16 오후 2:32:00");
        assert_eq!(counter(0, 288, &e), "조회수 1,234");
    }
}

//! Synth: a deterministic, news-like Korean corpus for benchmarks and scale tests.
//!
//! Takes seed articles (the shipped search page, or any dump) and a [`SynthConfig`]; gives JSONL
//! articles: stories made of the seeds' sentences recombined, a third of their words swapped for
//! other seed words (so distinct stories stay distinct, as real ones do), each published by one to several
//! outlets on dates over a period. Wire copies carry each outlet's own byline, e-mail and copyright
//! line (which normalisation strips), and some drop their last sentences or retag the headline,
//! so dedup has both exact and near copies to find.
//!
//! Guarantees: the same seeds and config give byte-identical output (ChaCha8 with a fixed seed,
//! whose stream is specified and does not change between rand versions).

use std::io::Write;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::record::Article;

/// Outlets the generator assigns (names of real Korean outlets; only names, no content).
pub const OUTLETS: [&str; 24] = [
    "연합뉴스",
    "뉴시스",
    "뉴스1",
    "서울신문",
    "한겨레",
    "경향신문",
    "조선일보",
    "중앙일보",
    "동아일보",
    "한국일보",
    "국민일보",
    "세계일보",
    "문화일보",
    "매일경제",
    "한국경제",
    "머니투데이",
    "이데일리",
    "아시아경제",
    "헤럴드경제",
    "파이낸셜뉴스",
    "전자신문",
    "디지털타임스",
    "KBS",
    "SBS",
];

const REPORTERS: [&str; 8] = [
    "김민수",
    "이서연",
    "박지훈",
    "최유진",
    "정현우",
    "강다은",
    "윤성호",
    "임하늘",
];

#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// Articles to write (copies included).
    pub articles: usize,
    pub seed: u64,
    /// Share of stories republished by more than one outlet.
    pub wire_share: f64,
    /// Most outlets carrying one wire story.
    pub max_copies: usize,
    /// Dates are spread over this many days from 2022-10-15.
    pub days: u32,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            articles: 10_000,
            seed: 20_221_015,
            wire_share: 0.3,
            max_copies: 6,
            days: 60,
        }
    }
}

#[derive(Serialize)]
struct Line<'a> {
    id: String,
    date: String,
    outlet: &'a str,
    title: String,
    body: String,
    url: String,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SynthStats {
    pub articles: usize,
    pub stories: usize,
    pub bytes: u64,
}

/// Share of words replaced in each sentence of a synthetic story.
const SWAP_SHARE: f64 = 0.35;

/// Splits a body into sentences at `.`, `?` or `!` followed by a space.
fn sentences(body: &str) -> impl Iterator<Item = &str> {
    body.split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| s.chars().count() > 8)
}

/// Writes `config.articles` JSONL lines built from `seeds` to `out`.
pub fn generate(
    seeds: &[Article],
    config: &SynthConfig,
    out: &mut impl Write,
) -> std::io::Result<SynthStats> {
    let pool: Vec<&str> = seeds.iter().flat_map(|a| sentences(&a.body)).collect();
    let titles: Vec<&str> = seeds.iter().map(|a| a.title.as_str()).collect();
    let words: Vec<&str> = pool.iter().flat_map(|s| s.split(' ')).collect();
    if pool.is_empty() || titles.is_empty() {
        return Err(std::io::Error::other("seed articles have no sentences"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut stats = SynthStats::default();
    while stats.articles < config.articles {
        stats.stories += 1;
        let n = rng.random_range(6..=18);
        let sentences: Vec<String> = (0..n)
            .map(|_| {
                let sentence = pool.choose(&mut rng).expect("non-empty");
                // Swap about a third of the words for others from the seeds: two stories that
                // drew the same seed sentence then share only fragments of it, as two real
                // stories on one topic do, instead of whole sentences.
                sentence
                    .split(' ')
                    .map(|w| {
                        if rng.random_bool(SWAP_SHARE) {
                            *words.choose(&mut rng).expect("non-empty")
                        } else {
                            w
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let title = format!(
            "{} ({})",
            titles.choose(&mut rng).expect("non-empty"),
            stats.stories
        );
        let copies = if rng.random_bool(config.wire_share) {
            rng.random_range(2..=config.max_copies.max(2))
        } else {
            1
        };
        let mut outlets = OUTLETS.to_vec();
        outlets.shuffle(&mut rng);
        let day = rng.random_range(0..config.days);
        for (copy, outlet) in outlets.iter().take(copies).enumerate() {
            if stats.articles == config.articles {
                break;
            }
            stats.articles += 1;
            let reporter = REPORTERS.choose(&mut rng).expect("non-empty");
            let (hour, minute) = (rng.random_range(6..23), rng.random_range(0..60));
            // Later copies are what outlets make of a wire story: some drop the last sentence or
            // two, some rewrite the headline.
            let kept = if copy > 0 && rng.random_bool(0.4) {
                n - rng.random_range(1..=2)
            } else {
                n
            };
            let body = sentences[..kept].join(" ");
            let title = if copy > 0 && rng.random_bool(0.3) {
                format!("[종합] {title}")
            } else {
                title.clone()
            };
            let line = Line {
                id: format!("synth-{:07}", stats.articles),
                date: format!("{} {hour:02}:{minute:02}", iso_day(day + copy as u32 / 3)),
                outlet,
                title,
                body: format!(
                    "[{outlet} {reporter} 기자] {body} {reporter} 기자 reporter{}@example.com ⓒ {outlet} 무단전재 및 재배포 금지",
                    stats.articles % 97
                ),
                url: format!("https://news.example.com/{}", stats.articles),
            };
            let mut json = serde_json::to_vec(&line).map_err(std::io::Error::other)?;
            json.push(b'\n');
            out.write_all(&json)?;
            stats.bytes += json.len() as u64;
        }
    }
    Ok(stats)
}

/// 2022-10-15 plus `offset` days, as an ISO date.
fn iso_day(offset: u32) -> String {
    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut year, mut month, mut day) = (2022u32, 10usize, 15 + offset);
    loop {
        let leap = month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0));
        let len = DAYS[month - 1] + u32::from(leap);
        if day <= len {
            return format!("{year}-{month:02}-{day:02}");
        }
        day -= len;
        month += 1;
        if month == 13 {
            month = 1;
            year += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_roll_over_months_and_years() {
        assert_eq!(iso_day(0), "2022-10-15");
        assert_eq!(iso_day(17), "2022-11-01");
        assert_eq!(iso_day(78), "2023-01-01");
        assert_eq!(iso_day(78 + 31 + 28), "2023-03-01");
    }
}

//! Synth: a deterministic, news-like Korean corpus for benchmarks and scale tests.
//!
//! Takes seed articles (the shipped search page, or any dump) and a [`SynthConfig`]; gives JSONL
//! articles: stories made of the seeds' sentences recombined, a third of their words swapped for
//! other seed words (so distinct stories stay distinct, as real ones do), each published by one to several
//! outlets on dates over a period. Wire copies carry each outlet's own byline, e-mail and copyright
//! line (which normalisation strips), and some drop their last sentences or retag the headline,
//! so dedup has both exact and near copies to find.
//!
//! Two knobs make the corpus as repetitive as real news rather than as repetitive as its 20 seed
//! articles (a per-eojeol cache benchmarked on it would otherwise see a 99 % hit rate):
//! [`SynthConfig::copy_share`] fixes the share of articles that are copies of another article of
//! their story, hit exactly over the corpus, and [`SynthConfig::novel_share`] replaces eojeols
//! (space-separated words) with new words a Korean analyser can read: compounds of seed nouns
//! with a particle, numbers with units, people's names ([`SynthConfig::news`] sets both).
//!
//! Why it stays in the library (while the labelled near-duplicate sets moved to the dev-only
//! `crates/bodo-dupset`): it is `bodo synth`, a documented command users run to size a machine
//! or check a deployment at scale before a real dump (`benches/run.sh` does the same), not only
//! test support; the CLI can only call the library.
//!
//! Guarantees: the same seeds and config give byte-identical output (ChaCha8 with a fixed seed,
//! whose stream is specified and does not change between rand versions). Without the two knobs
//! the output is byte for byte what the generator wrote before they existed (a test pins it).

use std::collections::BTreeMap;
use std::fmt::Write as _;
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
    /// Share of articles that are copies of another article of the same story (0..=0.9), hit
    /// over the corpus to within one story's copies; `None`: `wire_share` of the stories run in
    /// 2..=`max_copies` outlets (about 48 % copies with the defaults).
    pub copy_share: Option<f64>,
    /// Share of a story's eojeols replaced by a new word (0..=1; 0: the seeds' words only). Its
    /// copies repeat those words, and new words sometimes coincide, so the share of eojeol tokens
    /// seen for the first time is lower: see [`SynthConfig::news`] for measured figures.
    pub novel_share: f64,
}

impl SynthConfig {
    /// The `--news` preset's copy share: a quarter of the articles are copies of another.
    pub const NEWS_COPY_SHARE: f64 = 0.25;
    /// The `--news` preset's novel share, calibrated so that about 75 % of eojeol tokens repeat
    /// an earlier one in a 20 MB corpus, as in real Korean news (25 % first occurrences).
    ///
    /// Measured with `python3 benches/repeat_rate.py` on `bodo synth
    /// data/seoul-shinmun-kakao-outage-search.txt --news --days 365 -n N` (2026-12-03):
    ///
    /// | articles | MB | eojeol tokens | distinct | repeat rate | copy share |
    /// |---|---|---|---|---|---|
    /// MEASURED
    ///
    /// The repeat rate hardly moves with size (new words are made at a fixed rate, whereas a real
    /// corpus's rate creeps up as it grows), so calibrate again for corpora far from 20 MB.
    pub const NEWS_NOVEL_SHARE: f64 = 0.4;

    /// The `--news` preset: defaults with [`Self::NEWS_COPY_SHARE`] and
    /// [`Self::NEWS_NOVEL_SHARE`].
    pub fn news() -> Self {
        SynthConfig {
            copy_share: Some(Self::NEWS_COPY_SHARE),
            novel_share: Self::NEWS_NOVEL_SHARE,
            ..Default::default()
        }
    }
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            articles: 10_000,
            seed: 20_221_015,
            wire_share: 0.3,
            max_copies: 6,
            days: 60,
            copy_share: None,
            novel_share: 0.0,
        }
    }
}

/// Parses a `--copy-share` value: a number in 0..=0.9 (beyond 0.9 stories would need more
/// copies than there are outlets).
pub fn parse_copy_share(text: &str) -> Result<f64, String> {
    parse_share(text, MAX_COPY_SHARE)
}

/// Parses a `--novel-share` value: a number in 0..=1.
pub fn parse_novel_share(text: &str) -> Result<f64, String> {
    parse_share(text, 1.0)
}

fn parse_share(text: &str, max: f64) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    check_share(value, max)
}

fn check_share(value: f64, max: f64) -> Result<f64, String> {
    if (0.0..=max).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and {max}"))
    }
}

/// Highest copy share: a story runs in at most [`OUTLETS`] outlets, and the planner needs room
/// to vary story sizes around the mean.
const MAX_COPY_SHARE: f64 = 0.9;

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

impl SynthStats {
    /// Articles that are copies of another article of their story (every story's articles
    /// after its first).
    pub fn copies(&self) -> usize {
        self.articles - self.stories
    }

    /// [`Self::copies`] as a share of the articles.
    pub fn copy_share(&self) -> f64 {
        if self.articles == 0 {
            0.0
        } else {
            self.copies() as f64 / self.articles as f64
        }
    }
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
    let invalid = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, what);
    if let Some(share) = config.copy_share {
        check_share(share, MAX_COPY_SHARE).map_err(|e| invalid(format!("copy share: {e}")))?;
    }
    check_share(config.novel_share, 1.0).map_err(|e| invalid(format!("novel share: {e}")))?;
    let pool: Vec<&str> = seeds.iter().flat_map(|a| sentences(&a.body)).collect();
    let titles: Vec<&str> = seeds.iter().map(|a| a.title.as_str()).collect();
    let words: Vec<&str> = pool.iter().flat_map(|s| s.split(' ')).collect();
    if pool.is_empty() || titles.is_empty() {
        return Err(std::io::Error::other("seed articles have no sentences"));
    }
    let stems = noun_stems(&words);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut plan = config
        .copy_share
        .map(|share| CopyPlan::new(share, config.articles, config.max_copies));
    let mut stats = SynthStats::default();
    while stats.articles < config.articles {
        stats.stories += 1;
        let n = rng.random_range(6..=18);
        let sentences: Vec<String> = (0..n)
            .map(|_| {
                let sentence = pool.choose(&mut rng).expect("non-empty");
                // Swap about a third of the words for others from the seeds: two stories that
                // drew the same seed sentence then share only fragments of it, as two real
                // stories on one topic do, instead of whole sentences. With a novel share, that
                // share of the words is first replaced by new ones (no draw at 0, so the stream
                // and output without it are as before).
                let mut text = String::with_capacity(sentence.len() + 16);
                for (i, w) in sentence.split(' ').enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    if config.novel_share > 0.0 && rng.random_bool(config.novel_share) {
                        novel_word(&stems, &mut rng, &mut text);
                    } else if rng.random_bool(SWAP_SHARE) {
                        text.push_str(words.choose(&mut rng).expect("non-empty"));
                    } else {
                        text.push_str(w);
                    }
                }
                text
            })
            .collect();
        let title = format!(
            "{} ({})",
            titles.choose(&mut rng).expect("non-empty"),
            stats.stories
        );
        let copies = match &mut plan {
            Some(plan) => plan.story(&mut rng, config.articles - stats.articles),
            None if rng.random_bool(config.wire_share) => {
                rng.random_range(2..=config.max_copies.max(2))
            }
            None => 1,
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

/// How many articles each story gets so that copies make `share` of the corpus: the copies
/// still owed are spread over the stories still to start, each story drawing whether it is a
/// wire story and how many outlets run it. The draw's odds follow what is owed, so the share
/// ends exact up to the last story (at most [`OUTLETS`] articles), not just on average.
struct CopyPlan {
    /// Copies the corpus still needs.
    owed: usize,
    max_copies: usize,
}

impl CopyPlan {
    fn new(share: f64, articles: usize, max_copies: usize) -> Self {
        CopyPlan {
            owed: (share * articles as f64).round() as usize,
            max_copies: max_copies.clamp(2, OUTLETS.len()),
        }
    }

    /// Articles of the next story, with `remaining` articles left to write.
    fn story(&mut self, rng: &mut ChaCha8Rng, remaining: usize) -> usize {
        let owed = self.owed.min(remaining.saturating_sub(1));
        let starts = remaining - owed;
        let articles = if owed == 0 {
            1
        } else if starts <= 1 {
            // The last story takes what is owed.
            (owed + 1).min(OUTLETS.len())
        } else {
            // A wire story of 2..=top articles brings top / 2 copies on average; run one with
            // the odds that bring the copies owed per story still to start.
            let per_story = owed as f64 / starts as f64;
            let top = self
                .max_copies
                .max((2.0 * per_story).ceil() as usize)
                .min(OUTLETS.len());
            if rng.random_bool((per_story / (top as f64 / 2.0)).min(1.0)) {
                rng.random_range(2..=top).min(owed + 1)
            } else {
                1
            }
        };
        self.owed = owed - (articles - 1);
        articles
    }
}

/// The seeds' particles a word may end in, longest first so that `에서` is not read as `에`.
const SEED_PARTICLES: [&str; 15] = [
    "에서", "으로", "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만",
];

/// Particles for new words, each as written after a final consonant and after a vowel
/// (`으로` is `로` after ㄹ as well).
const PARTICLES: [(&str, &str); 10] = [
    ("은", "는"),
    ("이", "가"),
    ("을", "를"),
    ("의", "의"),
    ("에", "에"),
    ("에서", "에서"),
    ("으로", "로"),
    ("과", "와"),
    ("도", "도"),
    ("만", "만"),
];

/// Last syllables that mark a verb or adjective form rather than a noun (`이용하`, `있`, `하지`,
/// `중인`): a stem ending in one is not taken as a noun.
const VERBAL_ENDINGS: &str = "하되있없않였했된한았었겠지어인며면게여아";

/// Common Korean surnames (two-syllable ones included).
const SURNAMES: [&str; 48] = [
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황",
    "안", "송", "류", "전", "홍", "고", "문", "양", "손", "배", "백", "허", "유", "남", "심", "노",
    "하", "곽", "성", "차", "주", "우", "구", "민", "진", "나", "지", "엄", "채", "원", "남궁",
    "선우",
];

/// Common syllables of given names.
const GIVEN: [&str; 48] = [
    "민", "서", "지", "현", "준", "수", "영", "우", "진", "은", "하", "유", "예", "도", "윤", "연",
    "성", "호", "재", "승", "정", "원", "태", "동", "혜", "경", "주", "시", "상", "희", "아", "빈",
    "석", "규", "훈", "나", "채", "다", "소", "인", "철", "용", "광", "근", "미", "선", "혁", "찬",
];

/// What follows a name as a word of its own (`김민수 대표는`).
const TITLES: [&str; 3] = ["기자", "대표", "장관"];

/// Counting units for numbers of things.
const UNITS: [&str; 8] = ["명", "건", "개", "곳", "대", "가구", "개사", "회"];

/// The seeds' noun stems, sorted: Hangul words of at least two syllables that appear in at
/// least two of the forms bare, `STEM+particle`, `STEM+other particle`, at least one with a
/// particle (`책임을`, `책임이`), do not end like a verb form and are not themselves a seed word
/// plus a particle (`사고로`).
fn noun_stems<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let hangul = |w: &str| w.chars().all(is_syllable);
    // Per candidate stem: bit 0 bare, bit 1 + i particle i of SEED_PARTICLES.
    let mut forms: BTreeMap<&str, u32> = BTreeMap::new();
    for &w in words {
        if !hangul(w) || w.is_empty() {
            continue;
        }
        *forms.entry(w).or_default() |= 1;
        if let Some((i, p)) = SEED_PARTICLES
            .iter()
            .enumerate()
            .find(|(_, p)| w.ends_with(*p))
        {
            let stem = &w[..w.len() - p.len()];
            if stem.chars().count() >= 2 {
                *forms.entry(stem).or_default() |= 2 << i;
            }
        }
    }
    forms
        .iter()
        .filter(|&(stem, &bits)| {
            bits.count_ones() >= 2
                && bits > 1
                && stem.chars().count() >= 2
                && !stem.ends_with(|c| VERBAL_ENDINGS.contains(c))
                && !SEED_PARTICLES.iter().any(|p| {
                    stem.strip_suffix(p)
                        .is_some_and(|rest| forms.contains_key(rest))
                })
        })
        .map(|(stem, _)| *stem)
        .collect()
}

fn is_syllable(c: char) -> bool {
    ('가'..='힣').contains(&c)
}

/// The final consonant (jongseong index 1..=27) of the text's last character, if it is a
/// syllable that has one.
fn final_consonant(text: &str) -> Option<u32> {
    let c = text.chars().next_back().filter(|&c| is_syllable(c))?;
    Some((c as u32 - '가' as u32) % 28).filter(|&j| j != 0)
}

/// Appends the particle `PARTICLES[kind]` in the form that follows `text`.
fn push_particle(text: &mut String, kind: usize) {
    const RIEUL: u32 = 8;
    let (after_consonant, after_vowel) = PARTICLES[kind];
    let particle = match final_consonant(text) {
        Some(RIEUL) if after_consonant == "으로" => after_vowel,
        Some(_) => after_consonant,
        None => after_vowel,
    };
    text.push_str(particle);
}

/// Appends a new word (rarely two, a name and its title) to `text`: a compound of two or three
/// seed noun stems with a particle (`데이터센터복구를`), a number with its unit (`3억2000만원`,
/// `17.5%`, `1만2000명`, `10월15일`, sometimes with a particle), or a name (`김서준씨는`,
/// `박지호 대표`, `최하은이`). Each kind has from hundreds of thousands to billions of forms,
/// so most are new to the corpus, and all are what a mecab-ko-dic analyser meets in news.
fn novel_word(stems: &[&str], rng: &mut ChaCha8Rng, text: &mut String) {
    let start = text.len();
    let kind = rng.random_range(0..20);
    match kind {
        // Compounds: 9 in 20 (none when the seeds give fewer than two stems).
        0..=8 if stems.len() >= 2 => {
            let parts = if rng.random_bool(0.2) { 3 } else { 2 };
            let mut last = "";
            for _ in 0..parts {
                let stem = loop {
                    let stem = *stems.choose(rng).expect("two or more");
                    if stem != last {
                        break stem;
                    }
                };
                text.push_str(stem);
                last = stem;
            }
            push_particle(text, rng.random_range(0..PARTICLES.len()));
        }
        // Numbers with units: 6 in 20.
        0..=14 => {
            match rng.random_range(0..6) {
                0 => {
                    let (eok, man) = (rng.random_range(1..1000), rng.random_range(0..10_000));
                    let _ = write!(text, "{eok}억");
                    if man > 0 {
                        let _ = write!(text, "{man}만");
                    }
                    text.push('원');
                }
                1 => {
                    let _ = write!(text, "{}만원", rng.random_range(1..10_000));
                }
                2 => {
                    let (man, rest) = (rng.random_range(0..100), rng.random_range(1..10_000));
                    if man > 0 {
                        let _ = write!(text, "{man}만");
                    }
                    let _ = write!(text, "{rest}{}", UNITS.choose(rng).expect("non-empty"));
                }
                3 => {
                    let (whole, tenth) = (rng.random_range(0..100), rng.random_range(0..10));
                    let point = if rng.random_bool(0.2) { "%p" } else { "%" };
                    let _ = write!(text, "{whole}.{tenth}{point}");
                }
                4 => {
                    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
                    let month = rng.random_range(1..=12);
                    let day = rng.random_range(1..=DAYS[month - 1]);
                    let _ = write!(text, "{month}월{day}일");
                }
                _ => {
                    let (hours, minutes) = (rng.random_range(1..100), rng.random_range(1..60));
                    let _ = write!(text, "{hours}시간{minutes}분");
                }
            }
            if rng.random_bool(0.4) {
                push_particle(text, rng.random_range(0..PARTICLES.len()));
            }
        }
        // Names: 5 in 20.
        _ => {
            text.push_str(SURNAMES.choose(rng).expect("non-empty"));
            text.push_str(GIVEN.choose(rng).expect("non-empty"));
            text.push_str(GIVEN.choose(rng).expect("non-empty"));
            match rng.random_range(0..3) {
                0 => {
                    text.push('씨');
                    if rng.random_bool(0.5) {
                        push_particle(text, rng.random_range(0..PARTICLES.len()));
                    }
                }
                1 => {
                    text.push(' ');
                    text.push_str(TITLES.choose(rng).expect("non-empty"));
                    if rng.random_bool(0.5) {
                        push_particle(text, rng.random_range(0..PARTICLES.len()));
                    }
                }
                _ => push_particle(text, rng.random_range(0..PARTICLES.len())),
            }
        }
    }
    debug_assert!(text.len() > start);
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
    use sha2::{Digest, Sha256};
    use std::collections::HashSet;

    fn seeds() -> Vec<Article> {
        let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/seoul-shinmun-kakao-outage-search.txt");
        crate::pipeline::read_articles(&[page], &Default::default()).unwrap()
    }

    fn corpus(config: &SynthConfig) -> (Vec<u8>, SynthStats) {
        let mut out = Vec::new();
        let stats = generate(&seeds(), config, &mut out).unwrap();
        (out, stats)
    }

    fn sha256(bytes: &[u8]) -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[derive(serde::Deserialize)]
    struct Read {
        title: String,
        body: String,
    }

    fn lines(out: &[u8]) -> Vec<Read> {
        out.split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect()
    }

    /// Tests and benchmarks rely on the default corpus. The hashes are those of `bodo synth
    /// PAGE -n 300` and `bodo synth PAGE -n 300 --days 365 --seed 3` written by the generator
    /// before `copy_share` and `novel_share` existed (commit 1ec9ae7).
    #[test]
    fn default_output_is_what_it_was_before_the_share_knobs() {
        let config = SynthConfig {
            articles: 300,
            ..Default::default()
        };
        let (out, stats) = corpus(&config);
        assert_eq!(
            sha256(&out),
            "defa83aab4a4dcd7cc37fa7aa045f654df6c11e911b713cdfa9c322d78c97869"
        );
        assert_eq!(stats.articles, 300);
        let config = SynthConfig {
            articles: 300,
            days: 365,
            seed: 3,
            ..Default::default()
        };
        assert_eq!(
            sha256(&corpus(&config).0),
            "b2fe83c32f6b834994304ed6dca3cc1cd4fd2e67c5cd018139cb2787d596320d"
        );
    }

    #[test]
    fn copy_share_is_hit_within_one_percent() {
        for articles in [300, 2_000] {
            for share in [0.0, 0.1, 0.25, 0.5, 0.9] {
                let config = SynthConfig {
                    articles,
                    copy_share: Some(share),
                    seed: articles as u64,
                    ..Default::default()
                };
                let (out, stats) = corpus(&config);
                let read = lines(&out);
                assert_eq!(read.len(), articles);
                assert_eq!(stats.articles, articles);
                assert!(
                    (stats.copy_share() - share).abs() <= 0.01,
                    "{articles} articles, share {share}: got {}",
                    stats.copy_share()
                );
                // The titles (which end in the story number) agree with the stats.
                let stories: HashSet<&str> = read
                    .iter()
                    .map(|r| r.title.trim_start_matches("[종합] "))
                    .collect();
                assert_eq!(stories.len(), stats.stories);
            }
        }
    }

    #[test]
    fn copies_stay_near_copies() {
        let config = SynthConfig {
            articles: 2_000,
            copy_share: Some(0.25),
            novel_share: 0.4,
            ..Default::default()
        };
        let read = lines(&corpus(&config).0);
        let retagged = read
            .iter()
            .filter(|r| r.title.starts_with("[종합] "))
            .count();
        // Copies drop their last sentences: a story's articles differ in length.
        let mut lengths: BTreeMap<&str, HashSet<usize>> = BTreeMap::new();
        for r in &read {
            let story = r.title.trim_start_matches("[종합] ");
            let body = r.body.split_once(" 기자] ").unwrap().1;
            let body = body.rsplit_once(" 기자 reporter").unwrap().0;
            lengths.entry(story).or_default().insert(body.len() / 2);
        }
        let shortened = lengths.values().filter(|l| l.len() > 1).count();
        assert!(retagged > 50, "{retagged} headlines retagged");
        assert!(shortened > 20, "{shortened} stories with shortened copies");
    }

    #[test]
    fn same_seed_and_config_give_the_same_bytes() {
        let config = SynthConfig {
            articles: 500,
            seed: 7,
            days: 365,
            ..SynthConfig::news()
        };
        let (a, _) = corpus(&config);
        assert_eq!(a, corpus(&config).0);
        let other = SynthConfig { seed: 8, ..config };
        assert_ne!(a, corpus(&other).0);
    }

    const PARTICLE: &str = "(은|는|이|가|을|를|의|에|에서|으로|로|와|과|도|만)";

    fn well_formed() -> regex::Regex {
        regex::Regex::new(&format!(
            "^(?:[가-힣]{{2,}}(?:{PARTICLE}|씨|씨{PARTICLE})\
             |(?:[가-힣]{{3,4}} )?(?:기자|대표|장관){PARTICLE}?\
             |(?:\\d+억(?:\\d+만)?원|\\d+만원|(?:\\d+만)?\\d+(?:명|건|개|곳|대|가구|개사|회)\
             |\\d+\\.\\d%p?|\\d+월\\d+일|\\d+시간\\d+분){PARTICLE}?)$"
        ))
        .unwrap()
    }

    #[test]
    fn novel_words_are_well_formed_korean() {
        let stems = noun_stems(&["책임을", "책임이", "카카오는", "카카오", "화재가", "화재로"]);
        assert_eq!(stems, ["책임", "카카오", "화재"]);
        let shape = well_formed();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut seen = HashSet::new();
        for _ in 0..20_000 {
            let mut word = String::new();
            novel_word(&stems, &mut rng, &mut word);
            assert!(shape.is_match(&word), "{word:?}");
            assert!(word.split(' ').all(|w| !w.is_empty()), "{word:?}");
            seen.insert(word);
        }
        // Numbers and names are mostly new; compounds of three stems repeat.
        assert!(seen.len() > 9_000, "{} distinct", seen.len());
    }

    #[test]
    fn particles_follow_the_final_consonant() {
        let with = |word: &str, kind: usize| {
            let mut text = word.to_string();
            push_particle(&mut text, kind);
            text
        };
        assert_eq!(with("책임", 2), "책임을");
        assert_eq!(with("카카오", 2), "카카오를");
        assert_eq!(with("서울", 6), "서울로");
        assert_eq!(with("정부", 6), "정부로");
        assert_eq!(with("3억원", 6), "3억원으로");
        assert_eq!(with("17.5%", 1), "17.5%가");
        assert_eq!(with("김민수씨", 0), "김민수씨는");
        assert_eq!(with("장관", 7), "장관과");
    }

    #[test]
    fn seed_stems_are_nouns() {
        let words = [
            "책임을",
            "책임이",
            "이용하는",
            "이용하고",
            "이용",
            "사고로",
            "사고",
            "사고가",
            "있는",
            "있지",
            "하지",
            "하지만",
        ];
        assert_eq!(noun_stems(&words), ["사고", "책임"]);
    }

    #[test]
    fn the_novel_share_of_a_corpus_is_new_words() {
        let seeds = seeds();
        // Words as the generator cuts them: sentences trimmed, then split at spaces.
        let known: HashSet<&str> = seeds
            .iter()
            .flat_map(|a| {
                sentences(&a.body)
                    .flat_map(|s| s.split(' '))
                    .chain(a.body.split_whitespace())
                    .chain(a.title.split_whitespace())
            })
            .collect();
        let config = SynthConfig {
            articles: 300,
            copy_share: Some(0.0),
            novel_share: 0.4,
            ..Default::default()
        };
        let mut out = Vec::new();
        generate(&seeds, &config, &mut out).unwrap();
        let shape = well_formed();
        let (mut words, mut novel) = (0, 0);
        for r in lines(&out) {
            let body = r.body.split_once(" 기자] ").unwrap().1;
            let body = body.rsplit_once(" 기자 reporter").unwrap().0;
            for w in body.split(' ') {
                assert!(!w.is_empty());
                words += 1;
                if !known.contains(w) {
                    novel += 1;
                    // A name before its title (`김서준 대표`) is a word of its own.
                    let name = (3..=4).contains(&w.chars().count()) && w.chars().all(is_syllable);
                    assert!(shape.is_match(w) || name, "{w:?}");
                }
            }
        }
        let share = novel as f64 / words as f64;
        assert!((0.33..=0.42).contains(&share), "{share}");
    }

    #[test]
    fn dates_roll_over_months_and_years() {
        assert_eq!(iso_day(0), "2022-10-15");
        assert_eq!(iso_day(17), "2022-11-01");
        assert_eq!(iso_day(78), "2023-01-01");
        assert_eq!(iso_day(78 + 31 + 28), "2023-03-01");
    }
}

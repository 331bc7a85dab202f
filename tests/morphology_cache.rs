//! The unit cache changes speed, never output: every text analysed with the cache (units met
//! rarely analysed in context, then tabulated for every context, later taken from the table) gives exactly the morphemes of the analysis without it (every unit analysed in
//! context, MeCab's lattice pass by pass). The two paths share only the dictionary lookup; the
//! join of tables, the pruning of dominated ways and MeCab's tie order are checked here against
//! the plain pass.
//!
//! Texts: the shipped page, a news-like `bodo synth` corpus, the golden sentences, and generated
//! lines full of what could break the cut into units: runs of spaces, tabs, U+00A0 and U+3000
//! (symbols to ko-dic, not spaces), carriage returns, ko-dic's entries with a space in them
//! (`에듀 `, `영치기 영차`), words repeated so that they are tabulated and reused, and runs longer
//! than a unit may be.

use std::sync::OnceLock;

use proptest::prelude::*;

use bodo::morph::{Morpheme, Morphology};

/// The analysis without a cache: the reference.
fn plain() -> &'static Morphology {
    static PLAIN: OnceLock<Morphology> = OnceLock::new();
    PLAIN.get_or_init(|| Morphology::with_cache(0).unwrap())
}

/// Analyses each text `tabulate_at + 1` times with a fresh cache of `budget` bytes that
/// tabulates a unit at its `tabulate_at`-th meeting (met, tabulated, reused) and checks every
/// pass against the plain analysis; gives the cache's hit rate.
fn check(texts: &[String], budget: usize, tabulate_at: u8) -> f64 {
    let cached = plain().sharing(budget).tabulating_at(tabulate_at);
    let mut reference = plain().worker();
    let expected: Vec<Vec<Morpheme>> = texts
        .iter()
        .map(|t| reference.morphemes(t).unwrap())
        .collect();
    {
        let mut worker = cached.worker();
        for pass in 0..=tabulate_at {
            for (text, want) in texts.iter().zip(&expected) {
                let got = worker.morphemes(text).unwrap();
                assert_eq!(&got, want, "pass {pass}, text {text:?}");
            }
        }
    }
    cached.cache_stats().hit_rate()
}

fn page_lines() -> Vec<String> {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/seoul-shinmun-kakao-outage-search.txt"
    ))
    .unwrap()
    .lines()
    .filter(|l| !l.trim().is_empty())
    .map(str::to_string)
    .collect()
}

#[test]
fn the_shipped_page_is_analysed_the_same_with_and_without_the_cache() {
    let hit_rate = check(
        &page_lines(),
        bodo::morph::DEFAULT_CACHE_BUDGET,
        bodo::morph::TABULATE_AT,
    );
    assert!(hit_rate > 0.1, "the last pass hits: {hit_rate}");
}

#[test]
fn a_news_corpus_is_analysed_the_same_with_and_without_the_cache() {
    let seeds = bodo::pipeline::read_articles(
        &[concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/seoul-shinmun-kakao-outage-search.txt"
        )
        .into()],
        &Default::default(),
    )
    .unwrap();
    let config = bodo::synth::SynthConfig {
        articles: 300,
        ..bodo::synth::SynthConfig::news()
    };
    let mut jsonl = Vec::new();
    bodo::synth::generate(&seeds, &config, &mut jsonl).unwrap();
    let texts: Vec<String> = String::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            format!(
                "{}\n{}",
                v["title"].as_str().unwrap(),
                v["body"].as_str().unwrap()
            )
        })
        .collect();
    check(&texts, bodo::morph::DEFAULT_CACHE_BUDGET, 2);
    check(&texts, bodo::morph::DEFAULT_CACHE_BUDGET, 3);
    // A cache too small for the corpus empties its shards again and again.
    check(&texts, 64 << 10, 2);
}

#[test]
fn golden_sentences_are_analysed_the_same_with_and_without_the_cache() {
    let snapshot = include_str!("snapshots/golden_morphology__golden_morphemes.snap");
    // The snapshot's morphemes, glued back into their sentences, are as good a text as any.
    let text: String = snapshot
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect::<Vec<_>>()
        .join(" ");
    check(&[text], bodo::morph::DEFAULT_CACHE_BUDGET, 2);
}

/// Words to build lines from: ordinary eojeols, the heads and tails of ko-dic's entries with a
/// space, symbols, numbers and Latin letters.
const WORDS: &[&str] = &[
    "카카오",
    "카카오톡이",
    "먹통",
    "사태로",
    "판교",
    "데이터센터에서",
    "불이",
    "나",
    "서비스가",
    "멈춰",
    "버렸다.",
    "다른",
    "수",
    "있는",
    "경기도",
    "진짜사나이",
    "저는",
    "재미있네요",
    "미수령",
    "부가조사",
    "합의점을",
    "에듀",
    "에듀테크",
    "영치기",
    "영차",
    "캘리",
    "콜라비",
    "내셔날",
    "SK",
    "C&C",
    "3.5%",
    "2022년",
    "10월15일",
    "(KISA)",
    "“먹통”",
    "…",
    "尹",
    "ㅋㅋㅋ",
    "뾁뛣했다",
];

const SEPARATORS: &[&str] = &[" ", "  ", "\t", " \t ", "\u{a0}", "\u{3000}", "\r", ""];

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 0..24).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, s)| format!("{}{}", WORDS[w], SEPARATORS[s]))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_lines_are_analysed_the_same_with_and_without_the_cache(
        lines in prop::collection::vec(line(), 1..6),
        lead in 0..SEPARATORS.len(),
    ) {
        // Leading spaces make the first word pay the left-space penalty; line feeds cut
        // sentences.
        let text = format!("{}{}", SEPARATORS[lead], lines.join("\n"));
        check(&[text], 1 << 20, 2);
    }
}

#[test]
fn very_long_runs_without_spaces_are_analysed_the_same_with_and_without_the_cache() {
    let hangul = "가나다라마바사아자차카타파하".repeat(400); // 16,800 bytes, past a unit's limit
    let latin = "abcdefghij0123456789".repeat(300);
    let mixed = format!("{hangul} 카카오 {latin}\t{hangul}{latin}");
    let hit_rate = check(
        &[mixed.clone(), mixed],
        bodo::morph::DEFAULT_CACHE_BUDGET,
        2,
    );
    assert!(hit_rate > 0.0);
}

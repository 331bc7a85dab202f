//! Morphology benchmark: raw lindera against bodo's morphology stage, on the same normalised
//! texts, all threads, in one process (so the ratio holds on a shared, noisy machine).
//!
//!     cargo bench --bench morphology -- target/bench-data/news-10000.jsonl
//!     cargo bench --bench morphology                  # 10k-article `bodo synth --news` corpus
//!
//! - raw lindera: `Segmenter::segment` as lindera 6.2 ships it (ko-dic, Normal mode, its default
//!   space penalty), dictionary loaded beforehand, one worker per thread;
//! - bodo: `Worker::tokens` + keyword nouns (what the pipeline runs per field), from a cold unit
//!   cache each time (a new `Morphology`, loaded beforehand), as a run starts;
//! - bodo, tables at the 2nd meeting: the same with the cache tabulating a unit the second time it
//!   is met, not at the [`morph::TABULATE_AT`]-th (what the default policy saves);
//! - bodo uncached: the same with the cache off (`Morphology::with_cache(0)`).
//!
//! Each runs three times, interleaved, and the median is reported. Cached and uncached output must be identical
//! (every token and noun is hashed), or the benchmark fails. Last line, for `benches/compare.sh`:
//! `raw_lindera_mbps=… bodo_morphology_mbps=… bodo_uncached_mbps=… hit_rate=… text_mb=…`.

mod common;

use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use bodo::morph::{self, Morphology};
use bodo::normalise::normalise;
use bodo::record::Field;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Everything the stage gives for one text, hashed.
fn digest(tokens: &[morph::Token], nouns: &[bodo::record::Noun]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for t in tokens {
        (t.start, t.end, t.tag.as_str(), t.class as u8).hash(&mut h);
    }
    for n in nouns {
        (n.start, n.end, &n.pos).hash(&mut h);
    }
    h.finish()
}

fn main() {
    let Some(corpus) = common::corpus_argument() else {
        return; // `cargo test --benches`: nothing to list.
    };
    let docs = bodo::pipeline::read_articles(std::slice::from_ref(&corpus), &Default::default())
        .expect("readable corpus");
    let texts: Vec<String> = docs
        .iter()
        .flat_map(|a| {
            let n = normalise(a);
            [n.title, n.body]
        })
        .collect();
    let text_bytes: usize = texts.iter().map(String::len).sum();
    let threads = rayon::current_num_threads();
    println!(
        "corpus: {} ({} articles, {:.1} MB normalised title + body text), {threads} threads",
        corpus.display(),
        docs.len(),
        text_bytes as f64 / 1e6
    );

    let segmenter = lindera::segmenter::Segmenter::new(
        lindera::mode::Mode::Normal,
        lindera::dictionary::load_dictionary("embedded://ko-dic").unwrap(),
        None,
    );
    let raw_run = || {
        let t = Instant::now();
        let tokens: usize = texts
            .par_iter()
            .map_init(
                || segmenter.new_worker(),
                |w, text| w.segment(text).unwrap().len(),
            )
            .sum();
        assert!(tokens > 0);
        t.elapsed()
    };

    // One run of bodo's stage from a cold cache: its time, digest and cache use.
    let loaded = Morphology::with_cache(0).unwrap();
    let bodo = |morphology: Morphology| {
        let t = Instant::now();
        let digests: Vec<u64> = texts
            .par_iter()
            .map_init(
                || (morphology.worker(), Vec::new(), Vec::new()),
                |(w, tokens, nouns), text| {
                    nouns.clear();
                    w.tokens(text, tokens).unwrap();
                    morph::nouns(text, tokens, Field::Body, nouns);
                    digest(tokens, nouns)
                },
            )
            .collect();
        let elapsed = t.elapsed();
        (elapsed, digests, morphology.cache_stats())
    };
    // Rounds interleave the variants, so a busy spell of the machine slows them all.
    let (mut raw, mut cached, mut second, mut uncached) = (vec![], vec![], vec![], vec![]);
    let mut answer = None;
    let mut stats = None;
    for _ in 0..3 {
        raw.push(raw_run());
        let (t, d, s) = bodo(loaded.sharing(morph::DEFAULT_CACHE_BUDGET));
        cached.push(t);
        let (ts, ds, _) = bodo(loaded.sharing(morph::DEFAULT_CACHE_BUDGET).tabulating_at(2));
        second.push(ts);
        let (tu, du, _) = bodo(loaded.sharing(0));
        uncached.push(tu);
        assert_eq!(d, du, "cached and uncached analyses differ");
        assert_eq!(d, ds, "the two cache policies give different analyses");
        if let Some(prev) = &answer {
            assert_eq!(prev, &d, "two runs gave different analyses");
        }
        answer = Some(d);
        stats = Some(s);
    }
    let mbps = |d: Duration| text_bytes as f64 / 1e6 / d.as_secs_f64();
    let (raw, cached, second, uncached) = (
        median(raw),
        median(cached),
        median(second),
        median(uncached),
    );
    let stats = stats.expect("ran");
    println!("raw lindera                     {:>8.2} MB/s", mbps(raw));
    println!(
        "bodo morphology                 {:>8.2} MB/s  ({:.2} × raw lindera; unit cache hit rate {:.3} of {} units)",
        mbps(cached),
        raw.as_secs_f64() / cached.as_secs_f64(),
        stats.hit_rate(),
        stats.units
    );
    println!(
        "bodo, tables at the 2nd meeting {:>8.2} MB/s  ({:.2} × raw lindera)",
        mbps(second),
        raw.as_secs_f64() / second.as_secs_f64()
    );
    println!(
        "bodo, no cache                  {:>8.2} MB/s  ({:.2} × raw lindera)",
        mbps(uncached),
        raw.as_secs_f64() / uncached.as_secs_f64()
    );
    println!(
        "raw_lindera_mbps={:.3} bodo_morphology_mbps={:.3} bodo_uncached_mbps={:.3} hit_rate={:.4} text_mb={:.3}",
        mbps(raw),
        mbps(cached),
        mbps(uncached),
        stats.hit_rate(),
        text_bytes as f64 / 1e6
    );
}

//! Throughput benchmark: raw lindera segmentation, bodo's morphology stage, the stages after it
//! (entities, keywords, store + relevance + co-occurrence; one thread and all threads) and the
//! end-to-end `bodo run`, measured in one process on one generated corpus so the figures can be
//! compared as ratios.
//!
//!     cargo bench --bench throughput                 # 24 MB corpus (~16k articles)
//!     BODO_BENCH_ARTICLES=50000 cargo bench --bench throughput
//!
//! The corpus is `bodo synth` output from the shipped search page (deterministic; written to
//! `target/bench-data/`). Each measurement runs three times and reports the median; each checks
//! its answer (token and keyword counts must agree between runs and thread counts, the run's
//! manifest must reconcile) so a fast wrong answer cannot pass. Peak memory of the whole `bodo`
//! binary is measured by `benches/run.sh`.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::Recogniser;
use bodo::keywords::{ArticleTerms, KeywordFilter};
use bodo::morph::{self, Morphology, Token};
use bodo::normalise::normalise;
use bodo::record::{Field, Noun};
use bodo::stories::{StoryRecord, StoryStore};
use bodo::{cooccurrence, relevance};

/// One article after morphology: what the later stages start from.
#[derive(Default)]
struct Analysed {
    date: Option<String>,
    title_tokens: Vec<Token>,
    body_tokens: Vec<Token>,
    nouns: Vec<Noun>,
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn measure<T: PartialEq + std::fmt::Debug>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut answer = None;
    for _ in 0..3 {
        let t = Instant::now();
        let a = f();
        times.push(t.elapsed());
        if let Some(prev) = &answer {
            assert_eq!(prev, &a, "a benchmark gave two different answers");
        }
        answer = Some(a);
    }
    (median(times), answer.expect("ran"))
}

fn mbps(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` / `cargo bench -- --list`: nothing to list.
    }
    let (corpus, stats) = common::corpus(common::articles(16_000));
    let input_bytes = std::fs::metadata(&corpus).unwrap().len() as usize;

    let docs =
        bodo::pipeline::read_articles(std::slice::from_ref(&corpus), &Default::default()).unwrap();
    let texts: Vec<(String, String)> = docs
        .iter()
        .map(|a| {
            let n = normalise(a);
            (n.title, n.body)
        })
        .collect();
    let text_bytes: usize = texts.iter().map(|(t, b)| t.len() + b.len()).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "corpus: {} articles, {} stories, {:.1} MB JSONL, {:.1} MB normalised text; {cores} cores",
        stats.articles,
        stats.stories,
        input_bytes as f64 / 1e6,
        text_bytes as f64 / 1e6
    );

    // 0. Normalisation alone (both passes run it).
    let (norm, norm_chars) =
        measure(|| docs.iter().map(|a| normalise(a).body.len()).sum::<usize>());
    let doc_bytes: usize = docs.iter().map(|a| a.title.len() + a.body.len()).sum();

    let morphology = Morphology::load().unwrap();
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };

    // 1. Raw lindera: segmentation only, every morpheme, no details looked up.
    let (raw, tokens) = measure(|| {
        let segmenter = lindera::segmenter::Segmenter::new(
            lindera::mode::Mode::Normal,
            lindera::dictionary::load_dictionary("embedded://ko-dic").unwrap(),
            None,
        );
        let mut worker = segmenter.new_worker();
        texts
            .iter()
            .map(|(t, b)| worker.segment(t).unwrap().len() + worker.segment(b).unwrap().len())
            .sum::<usize>()
    });
    let raw_mbps = mbps(text_bytes, raw);

    // 2-3. bodo's morphology stage: morphemes with tags and classes, then keyword nouns.
    let stage = |threads: usize| {
        pool(threads).install(|| {
            texts
                .par_iter()
                .map_init(
                    || (morphology.worker(), Vec::new()),
                    |(w, nouns), (t, b)| {
                        nouns.clear();
                        w.nouns(t, Field::Title, nouns).unwrap();
                        w.nouns(b, Field::Body, nouns).unwrap();
                        nouns.len()
                    },
                )
                .sum::<usize>()
        })
    };
    let (one, kw1) = measure(|| stage(1));
    let (all, kwn) = measure(|| stage(cores));
    assert_eq!(kw1, kwn, "noun counts differ between 1 and {cores} threads");

    // 4-6. The stages after morphology, each on the previous one's output: entities (gazetteer,
    // dates, rules), keywords (mentions replace the nouns they cover, stopwords), then the story
    // store, relevance and co-occurrence (sequential by design).
    let analysed: Vec<Analysed> = texts
        .par_iter()
        .zip(&docs)
        .map_init(
            || morphology.worker(),
            |w, ((t, b), doc)| {
                let mut a = Analysed {
                    date: doc.date.known().map(String::from),
                    ..Default::default()
                };
                w.tokens(t, &mut a.title_tokens).unwrap();
                w.tokens(b, &mut a.body_tokens).unwrap();
                morph::nouns(t, &a.title_tokens, Field::Title, &mut a.nouns);
                morph::nouns(b, &a.body_tokens, Field::Body, &mut a.nouns);
                a
            },
        )
        .collect();
    let recogniser = Recogniser::new(Gazetteer::load(&[]).unwrap());
    let entities = |threads: usize| {
        pool(threads).install(|| {
            texts
                .par_iter()
                .zip(&analysed)
                .map(|((t, b), a)| {
                    let mut m = Vec::new();
                    let date = a.date.as_deref();
                    recogniser.recognise(t, &a.title_tokens, Field::Title, date, &mut m);
                    recogniser.recognise(b, &a.body_tokens, Field::Body, date, &mut m);
                    m
                })
                .collect::<Vec<_>>()
        })
    };
    let (ent1, mentions) = measure(|| entities(1));
    let (entn, mentions_n) = measure(|| entities(cores));
    assert_eq!(
        mentions, mentions_n,
        "mentions differ between 1 and {cores} threads"
    );
    let filter = KeywordFilter::with_stopword_files(&[] as &[PathBuf], 2).unwrap();
    let keywords = |threads: usize| {
        pool(threads).install(|| {
            analysed
                .par_iter()
                .zip(&mentions)
                .map(|(a, m)| ArticleTerms::new(a.nouns.iter().cloned(), m, &filter))
                .collect::<Vec<_>>()
        })
    };
    let (kw_one, terms) = measure(|| keywords(1));
    let (kw_all, terms_n) = measure(|| keywords(cores));
    assert_eq!(
        terms, terms_n,
        "keywords differ between 1 and {cores} threads"
    );
    let (network, edges) = measure(|| {
        let mut store = StoryStore::new().unwrap();
        let mut df = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            let mut ids: Vec<(u32, u32)> = t
                .counts()
                .map(|(k, n)| (store.terms.intern(&k.to_string()), n as u32))
                .collect();
            ids.sort_unstable();
            df.resize(store.terms.len(), 0u64);
            ids.iter().for_each(|&(id, _)| df[id as usize] += 1);
            let story = StoryRecord {
                position: i as u32,
                terms: ids,
                ..Default::default()
            };
            store.push(&story).unwrap();
        }
        let relevance = relevance::score(&mut store, &df, &[], Default::default()).unwrap();
        let mut nodes: Vec<u32> = (0..df.len() as u32).collect();
        nodes.sort_by_key(|&t| {
            (
                std::cmp::Reverse(df[t as usize]),
                store.terms.name(t).clone(),
            )
        });
        nodes.truncate(200);
        nodes.sort_by_key(|&t| store.terms.name(t).clone());
        let counted: Vec<bool> = relevance.off_topic.iter().map(|o| !o).collect();
        let mut totals = bodo::keywords::Totals::default();
        let mut reader = store.read().unwrap();
        let (mut story, mut s) = (StoryRecord::default(), 0);
        while reader.next_into(&mut story).unwrap() {
            if counted[s] {
                totals.add(&story.terms, 1);
            }
            s += 1;
        }
        let ones = vec![1; terms.len()];
        cooccurrence::edges(&mut store, &counted, &ones, &nodes, &totals, 2)
            .unwrap()
            .len()
    });

    // 4. End to end: bodo::run on the JSONL file, all threads, tables written.
    let out = tempfile::tempdir().unwrap();
    let run_config = bodo::Config {
        inputs: vec![corpus.clone()],
        out: out.path().to_path_buf(),
        ..Default::default()
    };
    let (e2e, counts) = measure(|| bodo::run(&run_config).unwrap().counts);
    assert!(counts.read == stats.articles as u64 && counts.rejected == 0);
    // Every synthetic story found, up to LSH's rare missed near copy (see benches/dedup.rs).
    let found = counts.analysed as usize;
    assert!(
        found >= stats.stories && (found - stats.stories) * 1000 <= stats.stories * 2,
        "{found} stories found for {} generated",
        stats.stories
    );
    // Wire copies are analysed once, so the run analyses about this much text.
    let unique_bytes = text_bytes * counts.analysed as usize / counts.read as usize;

    println!("{:<44} {:>9} {:>10}", "measure", "seconds", "MB/s");
    let row = |name: &str, d: Duration, bytes: usize| {
        println!(
            "{name:<44} {:>9.2} {:>10.2}",
            d.as_secs_f64(),
            mbps(bytes, d)
        )
    };
    row("normalise, 1 thread", norm, doc_bytes);
    row("raw lindera segmentation, 1 thread", raw, text_bytes);
    row("bodo morphology stage, 1 thread", one, text_bytes);
    row(
        &format!("bodo morphology stage, {cores} threads"),
        all,
        text_bytes,
    );
    row("entities, 1 thread", ent1, text_bytes);
    row(&format!("entities, {cores} threads"), entn, text_bytes);
    row("keywords, 1 thread", kw_one, text_bytes);
    row(&format!("keywords, {cores} threads"), kw_all, text_bytes);
    row(
        "store + relevance + co-occurrence, 1 thread",
        network,
        text_bytes,
    );
    row(
        &format!("bodo run end to end, {cores} threads (input)"),
        e2e,
        input_bytes,
    );
    println!(
        "normalised body bytes {norm_chars}; tokens {tokens}; nouns {kw1}; mentions {}; co-occurrence edges {edges}; run: read {} analysed {} duplicate {}",
        mentions.iter().map(Vec::len).sum::<usize>(),
        counts.read, counts.analysed, counts.duplicate
    );
    let after = |e: Duration, k: Duration| (e + k + network).as_secs_f64();
    println!(
        "entities + keywords + co-occurrence / morphology stage = {:.2} on 1 thread, {:.2} on {cores} threads (goal < 1)",
        after(ent1, kw_one) / one.as_secs_f64(),
        after(entn, kw_all) / all.as_secs_f64(),
    );
    println!(
        "stage speed-up {:.2}x on {cores} threads; stage 1 thread = {:.2} x raw",
        one.as_secs_f64() / all.as_secs_f64(),
        raw.as_secs_f64() / one.as_secs_f64()
    );
    println!(
        "end to end / (raw x cores) = {:.2} (goal >= 0.70) by input bytes; {:.2} by unique text (~{:.1} MB analysed)",
        mbps(input_bytes, e2e) / (raw_mbps * cores as f64),
        mbps(unique_bytes, e2e) / (raw_mbps * cores as f64),
        unique_bytes as f64 / 1e6
    );
}

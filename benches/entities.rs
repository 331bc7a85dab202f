//! Entity benchmark: the entity stage against the morphology stage it follows, on the same
//! normalised texts, all threads, in one process (so the ratio holds on a shared machine).
//!
//!     cargo bench --bench entities -- target/bench-data/news-10000.jsonl
//!     cargo bench --bench entities                    # 10k-article `bodo synth --news` corpus
//!
//! - morphology: `Worker::tokens` per title and body from a cold unit cache, as a run starts;
//! - rules: `Recogniser::recognise` without the tagger, on those tokens;
//! - tagger: `Recogniser::recognise` with the shipped tagger (it runs the rules too: they are
//!   its evidence), on the same tokens.
//!
//! Each runs three times, the median is reported. Last line, for scripts:
//! `morphology_s=… rules_s=… tagger_s=… tagger_over_morphology=…`.

mod common;

use std::time::{Duration, Instant};

use rayon::prelude::*;

use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::Recogniser;
use bodo::morph::{self, Morphology};
use bodo::normalise::normalise;
use bodo::record::Field;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let Some(corpus) = common::corpus_argument() else {
        return; // `cargo test --benches`: nothing to list.
    };
    let docs = bodo::pipeline::read_articles(std::slice::from_ref(&corpus), &Default::default())
        .expect("readable corpus");
    // (text, field, article date)
    let texts: Vec<(String, Field, Option<String>)> = docs
        .iter()
        .flat_map(|a| {
            let n = normalise(a);
            let date = Some(a.date.iso().to_string()).filter(|d| !d.is_empty());
            [
                (n.title, Field::Title, date.clone()),
                (n.body, Field::Body, date),
            ]
        })
        .collect();
    let text_bytes: usize = texts.iter().map(|t| t.0.len()).sum();
    println!(
        "corpus: {} ({} articles, {:.1} MB normalised title + body text), {} threads",
        corpus.display(),
        docs.len(),
        text_bytes as f64 / 1e6,
        rayon::current_num_threads()
    );

    let loaded = Morphology::with_cache(0).unwrap();
    let mut morphology_runs = Vec::new();
    let mut tokens: Vec<Vec<morph::Token>> = Vec::new();
    for _ in 0..3 {
        let morphology = loaded.sharing(morph::DEFAULT_CACHE_BUDGET);
        let t = Instant::now();
        tokens = texts
            .par_iter()
            .map_init(
                || morphology.worker(),
                |w, (text, _, _)| {
                    let mut out = Vec::new();
                    w.tokens(text, &mut out).unwrap();
                    out
                },
            )
            .collect();
        morphology_runs.push(t.elapsed());
    }

    let gazetteer = || Gazetteer::load(&[]).unwrap();
    let rules = Recogniser::new(gazetteer());
    let tagger = Recogniser::with_tagger(gazetteer());
    let time = |recogniser: &Recogniser| {
        let t = Instant::now();
        let mentions: usize = texts
            .par_iter()
            .zip(&tokens)
            .map(|((text, field, date), tokens)| {
                let mut out = Vec::new();
                recogniser.recognise(text, tokens, *field, date.as_deref(), &mut out);
                out.len()
            })
            .sum();
        (t.elapsed(), mentions)
    };
    let (mut rules_runs, mut tagger_runs) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        rules_runs.push(time(&rules).0);
        tagger_runs.push(time(&tagger).0);
    }
    let (m, r, t) = (
        median(morphology_runs).as_secs_f64(),
        median(rules_runs).as_secs_f64(),
        median(tagger_runs).as_secs_f64(),
    );
    println!("morphology          {m:>8.3} s");
    println!(
        "entities, rules     {r:>8.3} s  ({:.2} × morphology)",
        r / m
    );
    println!(
        "entities, tagger    {t:>8.3} s  ({:.2} × morphology)",
        t / m
    );
    println!(
        "morphology_s={m:.3} rules_s={r:.3} tagger_s={t:.3} tagger_over_morphology={:.3}",
        t / m
    );
}

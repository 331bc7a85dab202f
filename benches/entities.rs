//! Entity benchmark: the entity stage against the morphology stage it follows, on the same
//! normalised texts, all threads, in one process (so the ratio holds on a shared machine).
//!
//!     cargo bench --bench entities -- target/bench-data/news-10000.jsonl
//!     cargo bench --bench entities                    # 10k-article `bodo synth --news` corpus
//!     cargo bench --bench entities -- CORPUS --model /tmp/other.bin   # also another model
//!
//! - morphology: `Worker::tokens` per title and body from a cold unit cache, as a run starts;
//! - rules: `Recogniser::recognise` without the tagger, on those tokens;
//! - tagger: `Recogniser::recognise` with the shipped tagger (it runs the rules too: they are
//!   its evidence), on the same tokens;
//! - with `--model PATH`, the same with the model `bodo-train-ner` wrote to PATH, runs
//!   alternated with the shipped model's (so both see the same load).
//!
//! Each runs three times, the median wall and CPU time (this process, all threads: other
//! load on a shared machine stretches the first, not the second) are reported. Last line,
//! for scripts: `morphology_s=… rules_s=… tagger_s=… tagger_over_morphology=…
//! cpu_tagger_over_morphology=…`.

mod common;

use std::time::{Duration, Instant};

use rayon::prelude::*;

use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::tagger::Model;
use bodo::entities::Recogniser;
use bodo::morph::{self, Morphology};
use bodo::normalise::normalise;
use bodo::record::Field;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// This process's CPU time (user + system, all threads) from `/proc/self/stat`: on a shared
/// machine, other processes' load stretches wall time but not this.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

/// Wall and CPU time of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (wall, cpu) = (Instant::now(), cpu_time());
    let out = f();
    (out, wall.elapsed(), cpu_time() - cpu)
}

/// The model after `--model`, read and kept for the process.
fn model_argument() -> Option<&'static Model> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.iter().skip_while(|a| *a != "--model").nth(1)?;
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let model = Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    Some(Box::leak(Box::new(model)))
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
    // (wall, cpu) per run
    let mut morphology_runs = (Vec::new(), Vec::new());
    let mut tokens: Vec<Vec<morph::Token>> = Vec::new();
    for _ in 0..3 {
        let morphology = loaded.sharing(morph::DEFAULT_CACHE_BUDGET);
        let (out, wall, cpu) = timed(|| {
            texts
                .par_iter()
                .map_init(
                    || morphology.worker(),
                    |w, (text, _, _)| {
                        let mut out = Vec::new();
                        w.tokens(text, &mut out).unwrap();
                        out
                    },
                )
                .collect()
        });
        tokens = out;
        morphology_runs.0.push(wall);
        morphology_runs.1.push(cpu);
    }

    let gazetteer = || Gazetteer::load(&[]).unwrap();
    let rules = Recogniser::new(gazetteer());
    let tagger = Recogniser::with_tagger(gazetteer());
    let other = model_argument().map(|model| Recogniser::with_model(gazetteer(), model));
    let time = |recogniser: &Recogniser, runs: &mut (Vec<Duration>, Vec<Duration>)| {
        let (_, wall, cpu) = timed(|| {
            texts
                .par_iter()
                .zip(&tokens)
                .map(|((text, field, date), tokens)| {
                    let mut out = Vec::new();
                    recogniser.recognise(text, tokens, *field, date.as_deref(), &mut out);
                    out.len()
                })
                .sum::<usize>()
        });
        runs.0.push(wall);
        runs.1.push(cpu);
    };
    let (mut rules_runs, mut tagger_runs, mut other_runs) = Default::default();
    for _ in 0..3 {
        time(&rules, &mut rules_runs);
        time(&tagger, &mut tagger_runs);
        if let Some(other) = &other {
            time(other, &mut other_runs);
        }
    }
    let medians = |(wall, cpu): (Vec<Duration>, Vec<Duration>)| {
        (median(wall).as_secs_f64(), median(cpu).as_secs_f64())
    };
    let (m, r, t) = (
        medians(morphology_runs),
        medians(rules_runs),
        medians(tagger_runs),
    );
    let o = other.is_some().then(|| medians(other_runs));
    println!("                    wall s   CPU s   (CPU: all threads of this process)");
    println!("morphology        {:>8.3} {:>8.3}", m.0, m.1);
    println!(
        "entities, rules   {:>8.3} {:>8.3}  ({:.2} × morphology, CPU {:.2} ×)",
        r.0,
        r.1,
        r.0 / m.0,
        r.1 / m.1
    );
    println!(
        "entities, tagger  {:>8.3} {:>8.3}  ({:.2} × morphology, CPU {:.2} ×)",
        t.0,
        t.1,
        t.0 / m.0,
        t.1 / m.1
    );
    if let Some(o) = o {
        println!(
            "entities, --model  {:>8.3} {:>8.3}  ({:.2} × morphology, CPU {:.2} ×; {:.2} × the shipped model)",
            o.0,
            o.1,
            o.0 / m.0,
            o.1 / m.1,
            o.0 / t.0
        );
    }
    println!(
        "morphology_s={:.3} rules_s={:.3} tagger_s={:.3} tagger_over_morphology={:.3} cpu_tagger_over_morphology={:.3}",
        m.0,
        r.0,
        t.0,
        t.0 / m.0,
        t.1 / m.1
    );
}

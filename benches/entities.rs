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
//! All of it twice: on every article's title and body (wire copies included), and on the
//! stories' representatives only, found by `bodo run`'s own clustering: a run analyses
//! nothing else, so the second is the stage's share of a run.
//!
//! In rounds (5, or `BODO_BENCH_ROUNDS`), each of them every measurement once; reported: the
//! median wall and CPU time (this process, all threads: other load on a shared machine
//! stretches the first, not the second), and the median of each round's ratio to that
//! round's morphology (the machine's load drifts less within a round than across them).
//! Last line, for scripts: `morphology_s=… rules_s=… tagger_s=… tagger_over_morphology=…
//! cpu_tagger_over_morphology=…` (every article), `run_tagger_over_morphology=…
//! run_cpu_tagger_over_morphology=…` (representatives).

mod common;

use std::time::{Duration, Instant};

use rayon::prelude::*;

use bodo::dedup::{DedupConfig, Item};
use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::tagger::Model;
use bodo::entities::Recogniser;
use bodo::morph::{self, Morphology};
use bodo::normalise::normalise;
use bodo::record::{Field, Normalised};

fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
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

/// Each measurement's (wall, CPU) seconds per round, on one set of texts.
#[derive(Default)]
struct Figures {
    morphology: Vec<(f64, f64)>,
    rules: Vec<(f64, f64)>,
    tagger: Vec<(f64, f64)>,
    other: Vec<(f64, f64)>,
}

impl Figures {
    /// The median (wall, CPU) seconds of `runs`.
    fn seconds(runs: &[(f64, f64)]) -> (f64, f64) {
        (
            median(runs.iter().map(|r| r.0).collect()),
            median(runs.iter().map(|r| r.1).collect()),
        )
    }

    /// The median over the rounds of `runs` over the round's morphology, (wall, CPU): each
    /// round's runs are minutes apart at most, so their ratio moves less with the machine's
    /// load than a ratio of medians.
    fn over_morphology(&self, runs: &[(f64, f64)]) -> (f64, f64) {
        let ratios = |f: fn(&(f64, f64)) -> f64| {
            median(
                runs.iter()
                    .zip(&self.morphology)
                    .map(|(r, m)| f(r) / f(m))
                    .collect(),
            )
        };
        (ratios(|r| r.0), ratios(|r| r.1))
    }
}

/// (text, field, article date)
type Text = (String, Field, Option<String>);

fn main() {
    let Some(corpus) = common::corpus_argument() else {
        return; // `cargo test --benches`: nothing to list.
    };
    let docs = bodo::pipeline::read_articles(std::slice::from_ref(&corpus), &Default::default())
        .expect("readable corpus");
    let normalised: Vec<Normalised> = docs.iter().map(normalise).collect();
    let dates: Vec<Option<String>> = docs
        .iter()
        .map(|a| a.date.known().map(String::from))
        .collect();
    // The stories as `bodo run` finds them (its in-memory clustering, outlets and dates
    // included): a run analyses only their representatives.
    let items: Vec<Item> = normalised
        .iter()
        .zip(&docs)
        .zip(&dates)
        .map(|((text, a), date)| Item {
            text,
            outlet: a.outlet.as_deref(),
            date: date.as_deref(),
        })
        .collect();
    let clusters = bodo::dedup::cluster(&items, &DedupConfig::default());
    let texts_of = |keep: &dyn Fn(usize) -> bool| -> Vec<Text> {
        (0..docs.len())
            .filter(|&i| keep(i))
            .flat_map(|i| {
                let n = &normalised[i];
                [
                    (n.title.clone(), Field::Title, dates[i].clone()),
                    (n.body.clone(), Field::Body, dates[i].clone()),
                ]
            })
            .collect()
    };
    let all = texts_of(&|_| true);
    let representatives = texts_of(&|i| clusters.is_representative(i));
    let mb = |texts: &[Text]| texts.iter().map(|t| t.0.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "corpus: {} ({} articles, {:.1} MB normalised title + body text; {} stories, {:.1} MB), {} threads",
        corpus.display(),
        docs.len(),
        mb(&all),
        clusters.stories(),
        mb(&representatives),
        rayon::current_num_threads()
    );

    let loaded = Morphology::with_cache(0).unwrap();
    let gazetteer = || Gazetteer::load(&[]).unwrap();
    let rules = Recogniser::new(gazetteer());
    let tagger = Recogniser::with_tagger(gazetteer());
    let other = model_argument().map(|model| Recogniser::with_model(gazetteer(), model));
    let recognisers = (&rules, &tagger, other.as_ref());

    let every = measure(&loaded, recognisers, &all);
    print("every article's text (copies included)", &every);
    let run = measure(&loaded, recognisers, &representatives);
    print(
        "the stories' representatives (what `bodo run` analyses)",
        &run,
    );
    let (m, r, t) = (
        Figures::seconds(&every.morphology),
        Figures::seconds(&every.rules),
        Figures::seconds(&every.tagger),
    );
    let (ratio, run_ratio) = (
        every.over_morphology(&every.tagger),
        run.over_morphology(&run.tagger),
    );
    println!(
        "morphology_s={:.3} rules_s={:.3} tagger_s={:.3} tagger_over_morphology={:.3} cpu_tagger_over_morphology={:.3} run_tagger_over_morphology={:.3} run_cpu_tagger_over_morphology={:.3}",
        m.0, r.0, t.0, ratio.0, ratio.1, run_ratio.0, run_ratio.1,
    );
}

/// The three (or four) measurements on `texts`, in rounds ([`rounds`]): each round analyses
/// the texts from a cold unit cache, then recognises their entities with each recogniser.
fn measure(
    loaded: &Morphology,
    (rules, tagger, other): (&Recogniser, &Recogniser, Option<&Recogniser>),
    texts: &[Text],
) -> Figures {
    let seconds = |(wall, cpu): (Duration, Duration)| (wall.as_secs_f64(), cpu.as_secs_f64());
    let recognise = |recogniser: &Recogniser, tokens: &[Vec<morph::Token>]| {
        let (_, wall, cpu) = timed(|| {
            texts
                .par_iter()
                .zip(tokens)
                .map(|((text, field, date), tokens)| {
                    let mut out = Vec::new();
                    recogniser.recognise(text, tokens, *field, date.as_deref(), &mut out);
                    out.len()
                })
                .sum::<usize>()
        });
        seconds((wall, cpu))
    };
    let mut figures = Figures::default();
    for _ in 0..rounds() {
        let morphology = loaded.sharing(morph::DEFAULT_CACHE_BUDGET);
        let (tokens, wall, cpu) = timed(|| {
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
                .collect::<Vec<_>>()
        });
        figures.morphology.push(seconds((wall, cpu)));
        figures.rules.push(recognise(rules, &tokens));
        figures.tagger.push(recognise(tagger, &tokens));
        if let Some(other) = other {
            figures.other.push(recognise(other, &tokens));
        }
    }
    figures
}

/// Rounds per set of texts: `BODO_BENCH_ROUNDS`, else 5 (at least one).
fn rounds() -> usize {
    common::count_from_env("BODO_BENCH_ROUNDS", 5).max(1)
}

fn print(what: &str, f: &Figures) {
    let (m, r, t) = (
        Figures::seconds(&f.morphology),
        Figures::seconds(&f.rules),
        Figures::seconds(&f.tagger),
    );
    let (rr, tr) = (f.over_morphology(&f.rules), f.over_morphology(&f.tagger));
    println!("{what}:");
    println!("                    wall s   CPU s   (CPU: all threads of this process)");
    println!("morphology        {:>8.3} {:>8.3}", m.0, m.1);
    println!(
        "entities, rules   {:>8.3} {:>8.3}  ({:.2} × morphology, CPU {:.2} ×)",
        r.0, r.1, rr.0, rr.1
    );
    println!(
        "entities, tagger  {:>8.3} {:>8.3}  ({:.2} × morphology, CPU {:.2} ×)",
        t.0, t.1, tr.0, tr.1
    );
    if !f.other.is_empty() {
        let (o, or) = (Figures::seconds(&f.other), f.over_morphology(&f.other));
        let over_shipped = median(
            f.other
                .iter()
                .zip(&f.tagger)
                .map(|(o, t)| o.0 / t.0)
                .collect(),
        );
        println!(
            "entities, --model  {:>8.3} {:>8.3}  ({:.2} × morphology, CPU {:.2} ×; {:.2} × the shipped model)",
            o.0, o.1, or.0, or.1, over_shipped
        );
    }
}

//! Entity recognition against two hand-labelled gold sets in `tests/data/entities/`, both
//! labelled by the rules in its GUIDELINES.md without looking at bodo's output: the development
//! set (every article of the shipped page and of the dated fixtures; 1,028 mentions) and the
//! held-out set (`heldout/`, 454 mentions in 14 articles on other news topics, never used to
//! tune the rules or train the tagger). Each set is labelled twice: in the rules' own
//! conventions (`gold.tsv`, scored against `--entity-rules`) and in KLUE-NER's
//! (`gold-klue.tsv`, derived by `klue.py`; scored against the default, the trained tagger).
//!
//! A mention counts as found only when field, start, end and type all equal the gold's (strict
//! matching, as CoNLL scores it); PER, ORG, LOC and DATE are scored. Floors are asserted per
//! type; `cargo test --release --test entity_quality -- --nocapture` prints the full table,
//! including how often a found mention also has the gold's canonical name (aliases, DATE
//! resolutions). `BODO_ENTITY_ERRORS=NAME` (`dev`, `heldout`, `dev-klue`, `heldout-klue`, …)
//! lists a set's misses and spurious mentions.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use bodo::analyse::{text as analyse_text, Analysers};
use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::{char_spans, Recogniser};
use bodo::ingest::IngestOptions;
use bodo::keywords::KeywordFilter;
use bodo::morph::Morphology;
use bodo::normalise::normalise;
use bodo::pipeline::read_articles;

/// The types scored (KLUE's TIME rows in `gold-klue.tsv` document the labelling, unscored).
const SCORED: [&str; 4] = ["PER", "ORG", "LOC", "DATE"];

/// (article_id, field, start, end, type) → canonical entity.
type Spans = BTreeMap<(String, String, usize, usize, String), String>;

fn gold(path: &str) -> Spans {
    let text = std::fs::read_to_string(path).unwrap();
    let mut gold = Spans::new();
    for line in text.lines().skip(1).filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 7, "gold.tsv: {line}");
        if !SCORED.contains(&f[5]) {
            continue;
        }
        gold.insert(
            (
                f[0].into(),
                f[1].into(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                f[5].into(),
            ),
            f[6].into(),
        );
    }
    gold
}

fn predicted(inputs: &[&str], tagger: bool) -> Spans {
    let inputs: Vec<PathBuf> = inputs.iter().map(PathBuf::from).collect();
    let articles = read_articles(&inputs, &IngestOptions::default()).unwrap();
    let morphology = Morphology::load().unwrap();
    let gazetteer = Gazetteer::load(&[]).unwrap();
    let recogniser = if tagger {
        Recogniser::with_tagger(gazetteer)
    } else {
        Recogniser::new(gazetteer)
    };
    let filter = KeywordFilter::with_stopword_files(&[] as &[PathBuf], 2).unwrap();
    let analysers = Analysers {
        morphology: &morphology,
        recogniser: &recogniser,
        filter: &filter,
    };
    let mut worker = morphology.worker();
    let mut out = Spans::new();
    for article in &articles {
        let text = normalise(article);
        let date = Some(article.date.iso()).filter(|d| !d.is_empty());
        let (_, mentions) = analyse_text(&mut worker, &analysers, &text, date).unwrap();
        for (m, (start, end, _)) in mentions.iter().zip(char_spans(&text, &mentions)) {
            if SCORED.contains(&m.kind.as_str()) {
                out.insert(
                    (
                        article.article_id.clone(),
                        m.field.as_str().into(),
                        start,
                        end,
                        m.kind.as_str().into(),
                    ),
                    m.entity.clone(),
                );
            }
        }
    }
    out
}

#[derive(Debug, Default, Clone, Copy)]
struct Score {
    gold: usize,
    predicted: usize,
    found: usize,
    canonical: usize,
}

impl Score {
    fn p(&self) -> f64 {
        self.found as f64 / self.predicted.max(1) as f64
    }
    fn r(&self) -> f64 {
        self.found as f64 / self.gold.max(1) as f64
    }
    fn f1(&self) -> f64 {
        2.0 * self.p() * self.r() / (self.p() + self.r()).max(f64::MIN_POSITIVE)
    }
}

/// Scores the recogniser on one labelled set and checks the floors.
fn score(name: &str, gold_path: &str, inputs: &[&str], tagger: bool, floors: &[(&str, f64, f64)]) {
    let gold = gold(gold_path);
    let predicted = predicted(inputs, tagger);
    assert!(
        gold.len() >= 300,
        "the gold set has {} mentions",
        gold.len()
    );
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    for (key, entity) in &gold {
        let s = scores.entry(key.4.clone()).or_default();
        s.gold += 1;
        if let Some(e) = predicted.get(key) {
            s.found += 1;
            s.canonical += usize::from(e == entity);
        }
    }
    for key in predicted.keys() {
        scores.entry(key.4.clone()).or_default().predicted += 1;
    }
    let total = scores.values().fold(Score::default(), |a, s| Score {
        gold: a.gold + s.gold,
        predicted: a.predicted + s.predicted,
        found: a.found + s.found,
        canonical: a.canonical + s.canonical,
    });
    println!("{name}\ntype   gold  pred  found  P      R      F1     canonical");
    for (t, s) in scores.iter().chain([(&"all".to_string(), &total)]) {
        println!(
            "{t:<5} {:>5} {:>5} {:>6}  {:.3}  {:.3}  {:.3}  {:.3}",
            s.gold,
            s.predicted,
            s.found,
            s.p(),
            s.r(),
            s.f1(),
            s.canonical as f64 / s.found.max(1) as f64
        );
    }
    if std::env::var("BODO_ENTITY_ERRORS").is_ok_and(|v| v == name) {
        let g: HashSet<_> = gold.keys().collect();
        let p: HashSet<_> = predicted.keys().collect();
        let mut missed: Vec<_> = g.difference(&p).collect();
        missed.sort();
        let mut spurious: Vec<_> = p.difference(&g).collect();
        spurious.sort();
        for m in missed {
            println!("missed   {m:?} {}", gold[*m]);
        }
        for m in spurious {
            println!("spurious {m:?} {}", predicted[*m]);
        }
    }
    for &(t, p_floor, r_floor) in floors {
        let s = scores[t];
        assert!(s.gold >= 50, "{name} {t}: only {} gold mentions", s.gold);
        assert!(
            s.p() >= p_floor && s.r() >= r_floor,
            "{name} {t}: P {:.3} R {:.3} below the floors {p_floor}/{r_floor}",
            s.p(),
            s.r()
        );
    }
}

/// The development set: the rules were written while reading its errors.
#[test]
fn entities_on_the_development_set() {
    score(
        "dev",
        "tests/data/entities/gold.tsv",
        &[
            "data/seoul-shinmun-kakao-outage-search.txt",
            "tests/data/entities/articles.jsonl",
        ],
        false,
        &[
            ("PER", 0.85, 0.85),
            ("ORG", 0.93, 0.90),
            ("LOC", 0.75, 0.65),
            ("DATE", 0.88, 0.88),
        ],
    );
}

/// The held-out set: written and labelled by someone who never saw the recogniser's rules or
/// output, and never used to tune them (only to measure).
#[test]
fn entities_on_the_held_out_set() {
    score(
        "heldout",
        "tests/data/entities/heldout/gold.tsv",
        &["tests/data/entities/heldout/articles.jsonl"],
        false,
        &[
            ("PER", 0.85, 0.75),
            ("ORG", 0.90, 0.68),
            ("LOC", 0.58, 0.62),
            ("DATE", 0.82, 0.82),
        ],
    );
}

/// The development set relabelled to KLUE-NER's conventions (`gold-klue.tsv`), tagged by the
/// shipped tagger, which was trained on it (with KLUE-NER): not a measure, a check that the
/// pipeline gives the trainer's spans.
#[test]
fn tagger_on_the_development_set() {
    score(
        "dev-klue",
        "tests/data/entities/gold-klue.tsv",
        &[
            "data/seoul-shinmun-kakao-outage-search.txt",
            "tests/data/entities/articles.jsonl",
        ],
        true,
        &[
            ("PER", 0.95, 0.95),
            ("ORG", 0.95, 0.95),
            ("LOC", 0.95, 0.95),
            ("DATE", 0.95, 0.95),
        ],
    );
}

/// The held-out set relabelled to KLUE-NER's conventions, tagged by the shipped tagger (never
/// trained on it): bodo's default entities against text on other news topics.
#[test]
fn tagger_on_the_held_out_set() {
    score(
        "heldout-klue",
        "tests/data/entities/heldout/gold-klue.tsv",
        &["tests/data/entities/heldout/articles.jsonl"],
        true,
        &[
            ("PER", 0.90, 0.82),
            ("ORG", 0.85, 0.76),
            ("LOC", 0.70, 0.70),
            ("DATE", 0.88, 0.88),
        ],
    );
}

/// The rules alone on the relabelled sets: what the tagger is measured against.
#[test]
fn rules_on_the_relabelled_sets() {
    score(
        "dev-klue-rules",
        "tests/data/entities/gold-klue.tsv",
        &[
            "data/seoul-shinmun-kakao-outage-search.txt",
            "tests/data/entities/articles.jsonl",
        ],
        false,
        &[],
    );
    score(
        "heldout-klue-rules",
        "tests/data/entities/heldout/gold-klue.tsv",
        &["tests/data/entities/heldout/articles.jsonl"],
        false,
        &[],
    );
}

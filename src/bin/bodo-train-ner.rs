//! Trains bodo's entity tagger (`src/entities/tagger.rs`) from KLUE-NER news sentences.
//!
//!     cargo run --release --bin bodo-train-ner                    # 5-fold CV, then the model
//!     cargo run --release --bin bodo-train-ner -- --ablation      # CV without each feature family
//!     cargo run --release --bin bodo-train-ner -- --folds 0 -o data/ner-klue.bin
//!
//! Reads `../shared/eval/klue-ner-news-dev/klue-ner-news-dev.jsonl` (KLUE-NER v1.1 dev, news half
//! A; `--gold PATH` for another file of the same shape). Each sentence is analysed as `bodo run`
//! analyses a body: MeCab-ko's morphemes, the recogniser's mentions, gazetteer hits and the date
//! grammar give the features. Cross-validation uses contiguous blocks (no sentence of a block is
//! trained on when the block is scored) and reports exact-span precision, recall and F1 per
//! type, as `ner_score.py` counts them (PS, OG, LC, DT; TI and QT are trained, not scored).
//! Training is L-BFGS (deterministic): the same data gives the same model.
//!
//! It also trains on bodo's own development set relabelled to KLUE's conventions
//! (`tests/data/entities/gold-klue.tsv`: the shipped page and the dated fixtures, one example
//! per title and body; `--klue-only` leaves it out): in every cross-validation fold and in the
//! model, never scored. The project's held-out set (`tests/data/entities/heldout/`) is never
//! read: it measures the model.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use rayon::prelude::*;

use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::tagger::{self, Features, Kind, Model, Span};
use bodo::entities::Recogniser;
use bodo::morph::Morphology;
use bodo::record::Field;

#[derive(Parser)]
#[command(about = "Train bodo's entity tagger from KLUE-NER news sentences")]
struct Args {
    /// KLUE-NER sentences (JSONL: text, entities with character start/end and type).
    #[arg(
        long,
        default_value = "../shared/eval/klue-ner-news-dev/klue-ner-news-dev.jsonl"
    )]
    gold: PathBuf,
    /// Where the model trained on every sentence goes.
    #[arg(short, long, default_value = "data/ner-klue.bin")]
    out: PathBuf,
    /// Cross-validation folds (contiguous blocks); 0 skips cross-validation.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Also cross-validate with each feature family left out.
    #[arg(long)]
    ablation: bool,
    /// Only cross-validate; write no model.
    #[arg(long)]
    no_model: bool,
    /// L1 and L2 regularisation, and L-BFGS iterations.
    #[arg(long, default_value_t = 0.05)]
    c1: f64,
    #[arg(long, default_value_t = 0.5)]
    c2: f64,
    #[arg(long, default_value_t = 150)]
    iterations: usize,
    /// Train on KLUE-NER alone, without the project's development set in KLUE's conventions
    /// (tests/data/entities/gold-klue.tsv with its articles).
    #[arg(long)]
    klue_only: bool,
}

/// The project's development set in KLUE's conventions, and the articles it labels.
const PROJECT_DEV: &str = "tests/data/entities/gold-klue.tsv";
const PROJECT_DEV_INPUTS: [&str; 2] = [
    "data/seoul-shinmun-kakao-outage-search.txt",
    "tests/data/entities/articles.jsonl",
];

struct Sentence {
    text: String,
    /// Gold spans in characters.
    gold: Vec<(usize, usize, Kind)>,
    field: Field,
    /// The article's date (`YYYY-MM-DD`), when known.
    date: Option<String>,
}

#[derive(serde::Deserialize)]
struct GoldRow {
    text: String,
    entities: Vec<GoldEntity>,
}

#[derive(serde::Deserialize)]
struct GoldEntity {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
}

fn read_gold(path: &PathBuf) -> Result<Vec<Sentence>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} (KLUE-NER sentences)", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: GoldRow = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not a KLUE-NER row", path.display(), n + 1))?;
        let chars = row.text.chars().count();
        let mut gold = Vec::new();
        for e in row.entities {
            let Some(kind) = Kind::parse(&e.kind) else {
                bail!(
                    "{} line {}: unknown type {:?}",
                    path.display(),
                    n + 1,
                    e.kind
                );
            };
            if e.start >= e.end || e.end > chars {
                bail!(
                    "{} line {}: span {}..{} outside the text",
                    path.display(),
                    n + 1,
                    e.start,
                    e.end
                );
            }
            gold.push((e.start, e.end, kind));
        }
        out.push(Sentence {
            text: row.text,
            gold,
            field: Field::Body,
            date: None,
        });
    }
    Ok(out)
}

/// Each title and body of the project's development set with its gold spans in KLUE's
/// conventions (types PER/ORG/LOC/DATE/TIME as bodo names them).
fn read_project_dev() -> Result<Vec<Sentence>> {
    let inputs: Vec<PathBuf> = PROJECT_DEV_INPUTS.iter().map(PathBuf::from).collect();
    let articles = bodo::pipeline::read_articles(&inputs, &Default::default())?;
    let mut fields = std::collections::BTreeMap::new();
    for a in &articles {
        let text = bodo::normalise::normalise(a);
        let date = a.date.known().map(String::from);
        for (field, t) in [(Field::Title, text.title), (Field::Body, text.body)] {
            let key = (a.article_id.clone(), field.as_str().to_string());
            fields.insert(
                key,
                Sentence {
                    text: t,
                    gold: Vec::new(),
                    field,
                    date: date.clone(),
                },
            );
        }
    }
    let tsv = std::fs::read_to_string(PROJECT_DEV)
        .with_context(|| format!("cannot read {PROJECT_DEV}"))?;
    for (n, line) in tsv.lines().enumerate().skip(1) {
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let kind = match f.get(5) {
            Some(&"PER") => Kind::Ps,
            Some(&"ORG") => Kind::Og,
            Some(&"LOC") => Kind::Lc,
            Some(&"DATE") => Kind::Dt,
            Some(&"TIME") => Kind::Ti,
            _ => bail!("{PROJECT_DEV} line {}: not a gold row", n + 1),
        };
        let sentence = fields
            .get_mut(&(f[0].to_string(), f[1].to_string()))
            .with_context(|| format!("{PROJECT_DEV} line {}: no such field", n + 1))?;
        let (start, end): (usize, usize) = (f[2].parse()?, f[3].parse()?);
        sentence.gold.push((start, end, kind));
    }
    Ok(fields
        .into_values()
        .filter(|s| !s.text.is_empty())
        .collect())
}

/// A sentence's positions' features and gold labels, and the positions.
type Featurised = (Vec<Vec<u64>>, Vec<String>, Vec<tagger::Position>);

/// Per sentence: its [`Featurised`].
type Data = Vec<Featurised>;

fn featurise(sentences: &[Sentence], which: Features) -> Result<Data> {
    let morphology = Morphology::load()?;
    let recogniser = Recogniser::new(Gazetteer::load(&[])?);
    Ok(sentences
        .par_iter()
        .map_init(
            || (morphology.worker(), Vec::new()),
            |(worker, tokens), s| {
                worker
                    .tokens(&s.text, tokens)
                    .expect("analysis does not fail");
                let found = recogniser.evidence(&s.text, tokens, s.field, s.date.as_deref());
                let evidence = found.for_tagger(tokens);
                let (x, positions) = tagger::features(&s.text, &evidence, which);
                let y = tagger::labels(&s.text, &positions, &s.gold);
                (x, y, positions)
            },
        )
        .collect())
}

/// Trains a CRF with CRFsuite's L-BFGS (`crfs`) and reads its weights into bodo's [`Model`].
fn train(data: &[&Featurised], args: &Args) -> Result<Model> {
    let mut trainer = crfs::train::Trainer::lbfgs();
    for (x, y, _) in data {
        if x.is_empty() {
            continue;
        }
        let x: Vec<Vec<crfs::Attribute>> = x
            .iter()
            .map(|f| {
                f.iter()
                    .map(|h| crfs::Attribute::new(format!("{h:016x}"), 1.0))
                    .collect()
            })
            .collect();
        trainer.append(&x, y)?;
    }
    trainer.params_mut().set_c1(args.c1)?;
    trainer.params_mut().set_c2(args.c2)?;
    trainer.params_mut().set_max_iterations(args.iterations)?;
    let file = tempfile::NamedTempFile::new()?;
    trainer.train(file.path())?;
    let bytes = std::fs::read(file.path())?;
    let crf = crfs::Model::new(&bytes)?;
    let mut dump = Vec::new();
    crf.dump(&mut dump)?;
    let dump = String::from_utf8(dump)?;
    // The dump lists labels, then `(1) FROM --> TO: W` transitions and `(0) ATTR --> LABEL: W`
    // state features.
    let names: Vec<String> = (0..crf.num_labels())
        .map(|i| crf.to_label(i).unwrap_or_default().to_string())
        .collect();
    let label = |name: &str| -> Result<usize> {
        names
            .iter()
            .position(|n| n == name)
            .with_context(|| format!("model dump names an unknown label {name:?}"))
    };
    let (mut transitions, mut features) = (Vec::new(), Vec::new());
    for line in dump.lines() {
        let line = line.trim();
        let Some((kind, rest)) = line.split_once(") ") else {
            continue;
        };
        let Some((from, rest)) = rest.split_once(" --> ") else {
            continue;
        };
        let Some((to, weight)) = rest.split_once(": ") else {
            continue;
        };
        let weight: f32 = weight.parse()?;
        match kind {
            "(1" => transitions.push((label(from)?, label(to)?, weight)),
            "(0" => features.push((u64::from_str_radix(from, 16)?, label(to)?, weight)),
            _ => {}
        }
    }
    Model::new(names, &transitions, &features).map_err(anyhow::Error::msg)
}

/// Exact-span counts per scored type: (true positives, predicted, gold).
#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    predicted: usize,
    gold: usize,
}

const SCORED: [Kind; 4] = [Kind::Ps, Kind::Og, Kind::Lc, Kind::Dt];

fn f1(c: Counts) -> (f64, f64, f64) {
    let p = c.tp as f64 / c.predicted.max(1) as f64;
    let r = c.tp as f64 / c.gold.max(1) as f64;
    (
        p,
        r,
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        },
    )
}

/// Cross-validated counts per scored type.
fn cross_validate(
    sentences: &[Sentence],
    data: &Data,
    extra: &Data,
    args: &Args,
) -> Result<[Counts; 4]> {
    let n = sentences.len();
    let folds: Vec<(usize, usize)> = (0..args.folds)
        .map(|k| (k * n / args.folds, (k + 1) * n / args.folds))
        .collect();
    let per_fold: Vec<[Counts; 4]> = folds
        .par_iter()
        .map(|&(a, b)| -> Result<[Counts; 4]> {
            let training: Vec<_> = data[..a].iter().chain(&data[b..]).chain(extra).collect();
            let model = train(&training, args)?;
            let mut counts = [Counts::default(); 4];
            for (s, (x, _, positions)) in sentences[a..b].iter().zip(&data[a..b]) {
                let predicted = model.tag(&s.text, positions, x);
                score(s, &predicted, &mut counts);
            }
            Ok(counts)
        })
        .collect::<Result<_>>()?;
    let mut total = [Counts::default(); 4];
    for fold in per_fold {
        for (t, c) in total.iter_mut().zip(fold) {
            t.tp += c.tp;
            t.predicted += c.predicted;
            t.gold += c.gold;
        }
    }
    Ok(total)
}

fn score(s: &Sentence, predicted: &[Span], counts: &mut [Counts; 4]) {
    let char_of = |b: usize| s.text[..b].chars().count();
    let predicted: Vec<(usize, usize, Kind)> = predicted
        .iter()
        .map(|p| (char_of(p.start), char_of(p.end), p.kind))
        .collect();
    for (k, kind) in SCORED.iter().enumerate() {
        let g: Vec<_> = s.gold.iter().filter(|x| x.2 == *kind).collect();
        let p: Vec<_> = predicted.iter().filter(|x| x.2 == *kind).collect();
        counts[k].gold += g.len();
        counts[k].predicted += p.len();
        counts[k].tp += p.iter().filter(|x| g.contains(x)).count();
    }
}

fn report(label: &str, counts: &[Counts; 4]) {
    let mut all = Counts::default();
    let mut line = String::new();
    for (kind, c) in SCORED.iter().zip(counts) {
        let (p, r, f) = f1(*c);
        line += &format!("  {} P={p:.3} R={r:.3} F1={f:.3}", kind.as_str());
        all.tp += c.tp;
        all.predicted += c.predicted;
        all.gold += c.gold;
    }
    let (p, r, f) = f1(all);
    println!("{label:<16} micro P={p:.3} R={r:.3} F1={f:.3} |{line}");
}

fn main() -> Result<()> {
    let args = Args::parse();
    let sentences = read_gold(&args.gold)?;
    println!(
        "{} sentences from {}, {} gold spans",
        sentences.len(),
        args.gold.display(),
        sentences.iter().map(|s| s.gold.len()).sum::<usize>()
    );
    let project = if !args.klue_only {
        let project = read_project_dev()?;
        println!(
            "{} titles and bodies from {PROJECT_DEV}, {} gold spans (trained on, not scored)",
            project.len(),
            project.iter().map(|s| s.gold.len()).sum::<usize>()
        );
        project
    } else {
        Vec::new()
    };
    let t = Instant::now();
    let data = featurise(&sentences, Features::ALL)?;
    let extra = featurise(&project, Features::ALL)?;
    println!("features in {:.1} s", t.elapsed().as_secs_f64());
    if args.folds > 1 {
        let t = Instant::now();
        let counts = cross_validate(&sentences, &data, &extra, &args)?;
        report(&format!("{}-fold CV", args.folds), &counts);
        println!("  ({:.0} s)", t.elapsed().as_secs_f64());
    }
    if args.ablation && args.folds > 1 {
        let all = Features::ALL;
        let variants = [
            (
                "- chars",
                Features {
                    chars: false,
                    ..all
                },
            ),
            (
                "- morphemes",
                Features {
                    morphemes: false,
                    ..all
                },
            ),
            (
                "- rules",
                Features {
                    rules: false,
                    ..all
                },
            ),
            (
                "- gazetteer",
                Features {
                    gazetteer: false,
                    ..all
                },
            ),
            (
                "- dates",
                Features {
                    dates: false,
                    ..all
                },
            ),
            (
                "chars only",
                Features {
                    chars: true,
                    morphemes: false,
                    rules: false,
                    gazetteer: false,
                    dates: false,
                },
            ),
        ];
        for (label, which) in variants {
            let data = featurise(&sentences, which)?;
            let extra = featurise(&project, which)?;
            let counts = cross_validate(&sentences, &data, &extra, &args)?;
            report(label, &counts);
        }
    }
    if !args.no_model {
        let t = Instant::now();
        let everything: Vec<_> = data.iter().chain(&extra).collect();
        let model = train(&everything, &args)?.to_bytes();
        std::fs::write(&args.out, &model)
            .with_context(|| format!("cannot write {}", args.out.display()))?;
        println!(
            "model: {} ({} KB, {:.0} s)",
            args.out.display(),
            model.len() / 1024,
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

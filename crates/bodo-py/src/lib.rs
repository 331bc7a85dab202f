//! `bodo._bodo`: the Rust side of `import bodo`.
//!
//! Takes Python values (paths, keyword options as JSON, text, and the columns of Arrow batches as
//! Python lists, which `bodo/arrow.py` converts); gives the results of bodo's own stage
//! functions — `bodo::run`, `bodo::analyse`, `bodo::normalise::batch`, `bodo::dedup::*`,
//! `bodo::template::*`, for an engine's sums the per-story functions of `bodo::relevance`,
//! `bodo::aggregate` and `bodo::cooccurrence` (`relevance_parts`, `story_parts`, `story_pairs`,
//! …: a task's stories interned into a store of its own, rows out by name), and for
//! `bodo.arrow.tables`/`write` the CLI's own end of a run (`pipeline::Analysed::add` per story,
//! `bodo::finish`: relevance and aggregation — or, given an engine's sums,
//! `finish::score_grouped` — tables, charts, manifest, report) — without a line of pipeline
//! logic of its own: every function here only converts and calls.
//!
//! Guarantees: the GIL is released during Rust work ([`Python::detach`]); work runs on a rayon
//! pool of `threads` workers (0: one per core; pools are kept per size), results in input order,
//! so they are identical whatever the thread count; the dictionary, gazetteer and tagger are
//! loaded once per process (per set of analysis options); every `bodo::Error` becomes a Python
//! exception whose message names the file and line ([`error`]), and Ctrl-C stops `run` at its
//! next batch, as in the CLI.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyboardInterrupt, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use bodo::aggregate;
use bodo::analyse::{self, Analysers, AnalysisConfig, MentionRow, StoryRows};
use bodo::dedup::{self, Clusters, Completeness, DedupConfig, Scored, Signature};
use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::{EntityType, Recogniser};
use bodo::finish;
use bodo::keywords::KeywordFilter;
use bodo::manifest::StoryCounts;
use bodo::morph::Morphology;
use bodo::pipeline::{self, Analysed, Scanned};
use bodo::record::{Article, ArticleDate, ArticleRow, BigKinds, Field, Normalised, Rejection};
use bodo::relevance;
use bodo::stories::{StoryRecord, StoryStore, Vocabulary};
use bodo::tables::TableStream;
use bodo::template::{self, Learned, Templates};

create_exception!(_bodo, BodoError, PyException, "An error that stopped bodo.");
create_exception!(
    _bodo,
    InputError,
    BodoError,
    "An input bodo could not read; the message starts with `path:line`."
);
create_exception!(
    _bodo,
    OptionError,
    BodoError,
    "An option bodo cannot use (a bad value, an unknown name)."
);

/// The Python exception of a bodo error: inputs (I/O, unreadable files, parse errors) raise
/// `InputError` with `path` and `line` attributes, options `OptionError`, Ctrl-C
/// `KeyboardInterrupt`, everything else `BodoError`; the message is the CLI's.
fn error(py: Python, e: bodo::Error) -> PyErr {
    let message = e.to_string();
    let (path, line) = match &e {
        bodo::Error::Io { path, .. } | bodo::Error::Input { path, .. } => (Some(path), None),
        bodo::Error::Parse { path, line, .. } => (Some(path), Some(*line)),
        _ => (None, None),
    };
    let err = match e {
        bodo::Error::Interrupted => PyKeyboardInterrupt::new_err(message),
        bodo::Error::Config(_) => OptionError::new_err(message),
        _ if path.is_some() => InputError::new_err(message),
        _ => BodoError::new_err(message),
    };
    if let Some(path) = path {
        let value = err.value(py);
        let _ = value.setattr("path", path.display().to_string());
        let _ = value.setattr("line", line);
    }
    err
}

/// A rayon pool of `threads` workers (0: one per core), made once per size.
fn pool(threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let threads = bodo::Config {
        threads,
        ..bodo::Config::default()
    }
    .thread_count();
    let mut pools = POOLS.get_or_init(Default::default).lock().expect("pools");
    if let Some(pool) = pools.get(&threads) {
        return Ok(pool.clone());
    }
    let pool = Arc::new(bodo::thread_pool(threads).map_err(|e| Python::attach(|py| error(py, e)))?);
    pools.insert(threads, pool.clone());
    Ok(pool)
}

/// Runs `work` on a pool of `threads` workers with the GIL released.
fn parallel<T: Send>(py: Python, threads: usize, work: impl FnOnce() -> T + Send) -> PyResult<T> {
    let pool = pool(threads)?;
    Ok(py.detach(|| pool.install(work)))
}

/// The dictionary, loaded once per process.
fn morphology(py: Python) -> PyResult<&'static Morphology> {
    static MORPHOLOGY: OnceLock<Morphology> = OnceLock::new();
    if let Some(m) = MORPHOLOGY.get() {
        return Ok(m);
    }
    let loaded = py.detach(Morphology::load).map_err(|e| error(py, e))?;
    Ok(MORPHOLOGY.get_or_init(|| loaded))
}

/// The analysers of a set of analysis options, built once per process and set of options.
fn analysers(py: Python, cfg: AnalysisConfig) -> PyResult<Analysers<'static>> {
    type Built = (&'static Recogniser, &'static KeywordFilter);
    static BUILT: OnceLock<Mutex<Vec<(AnalysisConfig, Built)>>> = OnceLock::new();
    let morphology = morphology(py)?;
    let built = BUILT.get_or_init(Default::default);
    let found = built
        .lock()
        .expect("analysers")
        .iter()
        .find(|(c, _)| *c == cfg)
        .map(|(_, b)| *b);
    let (recogniser, filter) = match found {
        Some(b) => b,
        None => {
            let made = py
                .detach(|| -> bodo::Result<_> {
                    let filter = KeywordFilter::with_stopword_files(
                        &cfg.stopword_files,
                        cfg.min_keyword_chars,
                    )?;
                    let gazetteer = Gazetteer::load(&cfg.user_dicts)?;
                    Ok((analyse::recogniser(gazetteer, cfg.entity_tagger), filter))
                })
                .map_err(|e| error(py, e))?;
            // Kept for the life of the process, as the dictionary is: one per set of options.
            let b: Built = (Box::leak(Box::new(made.0)), Box::leak(Box::new(made.1)));
            built.lock().expect("analysers").push((cfg, b));
            b
        }
    };
    Ok(Analysers {
        morphology,
        recogniser,
        filter,
    })
}

/// The analysis options of the text and batch functions (`entity_rules=`, `stopwords=`, …).
fn analysis(
    entity_rules: bool,
    stopwords: Vec<PathBuf>,
    min_keyword_chars: usize,
    user_dict: Vec<PathBuf>,
) -> AnalysisConfig {
    AnalysisConfig {
        stopword_files: stopwords,
        min_keyword_chars,
        user_dicts: user_dict,
        entity_tagger: !entity_rules,
    }
}

/// A run's [`bodo::Config`] from `bodo run`'s options as JSON (named as its flags; unknown
/// names refused), as `bodo.run` and `bodo.arrow.tables`/`write` take them.
fn config(
    py: Python,
    options: &str,
    inputs: Vec<PathBuf>,
    out: PathBuf,
    command_line: Vec<String>,
) -> PyResult<bodo::Config> {
    let options: bodo::RunOptions =
        serde_json::from_str(options).map_err(|e| OptionError::new_err(e.to_string()))?;
    Ok(bodo::Config {
        command_line,
        ..options.config(inputs, out).map_err(|e| error(py, e))?
    })
}

/// `bodo run`'s options as JSON checked as `bodo.arrow.write` will check them (names, values,
/// files), so a driver can refuse them before its stages run.
#[pyfunction]
fn check_options(py: Python, options: &str) -> PyResult<()> {
    let config = config(py, options, Vec::new(), PathBuf::new(), Vec::new())?;
    config.validate_options().map_err(|e| error(py, e))
}

/// `bodo.run`: the CLI's `bodo run`, options as JSON (named as the flags); gives the counts as
/// JSON. The run goes on in its own thread while this one waits with the GIL released, checking
/// for Ctrl-C: the first asks the run to stop at its next batch (`--out` left as it was, then
/// `KeyboardInterrupt`); a second raises at once (the run still stops at its next batch).
#[pyfunction]
#[pyo3(signature = (inputs, out, options, command_line))]
fn run(
    py: Python,
    inputs: Vec<PathBuf>,
    out: PathBuf,
    options: &str,
    command_line: Vec<String>,
) -> PyResult<String> {
    let config = config(py, options, inputs, out, command_line)?;
    bodo::interrupt::clear();
    let (tx, rx) = std::sync::mpsc::channel();
    // Shared with the GIL-free waits below (a receiver alone is not `Sync`).
    let rx = Mutex::new(rx);
    std::thread::spawn(move || {
        let _ = tx.send(bodo::run(&config));
    });
    let mut interrupted = false;
    let result = loop {
        let tick = std::time::Duration::from_millis(100);
        match py.detach(|| rx.lock().expect("receiver").recv_timeout(tick)) {
            Ok(result) => break result,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(BodoError::new_err("the run stopped without a result"));
            }
        }
        if let Err(signal) = py.check_signals() {
            if interrupted {
                return Err(signal);
            }
            interrupted = true;
            bodo::interrupt::request();
        }
    };
    let summary = result.map_err(|e| error(py, e))?;
    if interrupted {
        // Ctrl-C came after the run's last check: it finished and published. Python code must
        // still see the interrupt, so it is raised, saying so.
        return Err(PyKeyboardInterrupt::new_err(format!(
            "interrupted after the run had finished: {} holds its reports",
            summary.out.display()
        )));
    }
    serde_json::to_string(&summary.counts).map_err(|e| BodoError::new_err(e.to_string()))
}

/// Character offset of every byte offset of `text` that starts a character (and of its end).
fn char_offsets(text: &str) -> impl Fn(usize) -> usize + '_ {
    move |byte| text[..byte].chars().count()
}

/// A morpheme as `bodo.Morpheme`: surface, tag, features, character start and end.
type MorphemeRow = (String, String, Vec<String>, usize, usize);
/// A mention as `bodo.Mention`: surface, type, entity, character start and end.
type FoundMention = (String, String, String, usize, usize);

/// `bodo.tokenize`: ko-dic's morphemes (surface, tag, features, start, end; character offsets).
#[pyfunction]
fn tokenize(py: Python, text: &str) -> PyResult<Vec<MorphemeRow>> {
    let morphology = morphology(py)?;
    let morphemes = py
        .detach(|| morphology.worker().morphemes(text))
        .map_err(|e| error(py, e))?;
    let at = char_offsets(text);
    Ok(morphemes
        .into_iter()
        .map(|m| (m.tag().to_string(), m))
        .map(|(tag, m)| (m.surface, tag, m.features, at(m.start), at(m.end)))
        .collect())
}

/// `bodo.nouns`: the keyword nouns (keyword, tags, start, end), before stopwords.
#[pyfunction]
fn nouns(py: Python, text: &str) -> PyResult<Vec<(String, String, usize, usize)>> {
    let morphology = morphology(py)?;
    let mut nouns = Vec::new();
    py.detach(|| morphology.worker().nouns(text, Field::Body, &mut nouns))
        .map_err(|e| error(py, e))?;
    let at = char_offsets(text);
    Ok(nouns
        .into_iter()
        .map(|n| (n.text, n.pos, at(n.start), at(n.end)))
        .collect())
}

/// `bodo.entities`: the mentions of `text` read as an article body (surface, type, entity,
/// start, end), dates resolved against `date`.
#[pyfunction]
#[pyo3(signature = (text, date=None, entity_rules=false, user_dict=Vec::new()))]
fn entities(
    py: Python,
    text: &str,
    date: Option<&str>,
    entity_rules: bool,
    user_dict: Vec<PathBuf>,
) -> PyResult<Vec<FoundMention>> {
    let cfg = AnalysisConfig {
        entity_tagger: !entity_rules,
        user_dicts: user_dict,
        ..AnalysisConfig::default()
    };
    let analysers = analysers(py, cfg)?;
    let body = Normalised {
        title: String::new(),
        body: text.to_string(),
        boilerplate_chars: 0,
    };
    let story = py
        .detach(|| {
            let item = analyse::Item {
                text: &body,
                date,
                learned: &Learned::default(),
                outlet: None,
            };
            analyse::story(&mut analysers.morphology.worker(), &analysers, &item)
        })
        .map_err(|e| error(py, e))?;
    // Every mention, as `bodo tokenize --entities` prints them (products the gazetteer lists
    // are TERM mentions, which the tables leave out).
    Ok(story
        .mentions
        .iter()
        .zip(story.spans)
        .map(|(m, (start, end, surface))| {
            (
                surface,
                m.kind.as_str().to_string(),
                m.entity.clone(),
                start,
                end,
            )
        })
        .collect())
}

/// `bodo.normalise` and `bodo.arrow.normalise`: each (title, body) normalised; gives titles,
/// bodies, boilerplate characters removed and body characters.
#[pyfunction]
#[pyo3(signature = (titles, bodies, threads=0))]
#[allow(clippy::type_complexity)]
fn normalise(
    py: Python,
    titles: Vec<String>,
    bodies: Vec<String>,
    threads: usize,
) -> PyResult<(Vec<String>, Vec<String>, Vec<usize>, Vec<usize>)> {
    let texts = parallel(py, threads, || {
        let fields: Vec<(&str, &str)> = titles
            .iter()
            .zip(&bodies)
            .map(|(t, b)| (t.as_str(), b.as_str()))
            .collect();
        bodo::normalise::batch(&fields)
    })?;
    let chars = texts.iter().map(|t| t.body.chars().count()).collect();
    let boilerplate = texts.iter().map(|t| t.boilerplate_chars).collect();
    let (titles, bodies) = texts.into_iter().map(|t| (t.title, t.body)).unzip();
    Ok((titles, bodies, boilerplate, chars))
}

/// Normalised texts as the columns of a normalised batch give them back.
fn texts(titles: Vec<String>, bodies: Vec<String>) -> Vec<Normalised> {
    titles
        .into_iter()
        .zip(bodies)
        .map(|(title, body)| Normalised {
            title,
            body,
            boilerplate_chars: 0,
        })
        .collect()
}

/// The dedup parameters of the batch functions (the CLI's defaults unless given).
fn dedup_config(shingle: usize, threshold: f64) -> PyResult<DedupConfig> {
    let cfg = DedupConfig {
        shingle,
        threshold,
        ..DedupConfig::default()
    };
    cfg.validate()
        .map_err(|e| OptionError::new_err(e.to_string()))?;
    Ok(cfg)
}

type SignatureColumns<'py> = (
    Vec<Bound<'py, PyBytes>>,
    Vec<Vec<u32>>,
    Vec<Vec<u64>>,
    Vec<Vec<u32>>,
    Vec<bool>,
);

/// `bodo.arrow.signatures`: each normalised text's dedup signature: exact hash (16 bytes,
/// little-endian), MinHash, headline and lead keys, lead prints, short.
#[pyfunction]
#[pyo3(signature = (titles, bodies, shingle, threads=0))]
fn signatures<'py>(
    py: Python<'py>,
    titles: Vec<String>,
    bodies: Vec<String>,
    shingle: usize,
    threads: usize,
) -> PyResult<SignatureColumns<'py>> {
    let cfg = dedup_config(shingle, DedupConfig::default().threshold)?;
    let texts = texts(titles, bodies);
    let signatures = parallel(py, threads, || dedup::signatures(&texts, &cfg))?;
    let mut columns: SignatureColumns = Default::default();
    for s in signatures {
        columns.0.push(PyBytes::new(py, &s.exact.to_le_bytes()));
        columns.1.push(s.minhash.to_vec());
        columns.2.push(s.keys.to_vec());
        columns.3.push(s.prints.to_vec());
        columns.4.push(s.short);
    }
    Ok(columns)
}

/// A signature from its columns, checked against bodo's lengths.
fn signature(
    exact: u128,
    minhash: Vec<u32>,
    keys: Vec<u64>,
    prints: Vec<u32>,
    short: bool,
    cfg: &DedupConfig,
) -> PyResult<Signature> {
    let bad = |what: &str| PyValueError::new_err(format!("signatures: {what}"));
    if minhash.len() != cfg.permutations() {
        return Err(bad("a MinHash of another length than bodo's"));
    }
    Ok(Signature {
        exact,
        minhash: minhash.into_boxed_slice(),
        keys: keys.try_into().map_err(|_| bad("keys of another length"))?,
        prints: prints
            .try_into()
            .map_err(|_| bad("prints of another length"))?,
        short,
    })
}

/// `bodo.arrow.candidate_keys`: the buckets of each signature, one row per bucket: kind
/// (`BucketKind::code`), key, the article's position, short.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn candidate_keys(
    positions: Vec<u32>,
    minhash: Vec<Vec<u32>>,
    keys: Vec<Vec<u64>>,
    prints: Vec<Vec<u32>>,
    short: Vec<bool>,
) -> PyResult<(Vec<u32>, Vec<u64>, Vec<u32>, Vec<bool>)> {
    let cfg = DedupConfig::default();
    let mut columns: (Vec<u32>, Vec<u64>, Vec<u32>, Vec<bool>) = Default::default();
    for ((position, minhash), ((keys, prints), short)) in positions
        .into_iter()
        .zip(minhash)
        .zip(keys.into_iter().zip(prints).zip(short))
    {
        let s = signature(0, minhash, keys, prints, short, &cfg)?;
        for (kind, key) in dedup::bucket_keys(&s, &cfg) {
            columns.0.push(kind.code());
            columns.1.push(key);
            columns.2.push(position);
            columns.3.push(short);
        }
    }
    Ok(columns)
}

/// `bodo.arrow.bucket_pairs`: the pairs `(a, b)`, `a < b`, each bucket proposes (kind as
/// `BucketKind::code`, members in position order, whether each is short), in bucket order.
#[pyfunction]
fn bucket_pairs(
    kinds: Vec<u32>,
    members: Vec<Vec<u32>>,
    shorts: Vec<Vec<bool>>,
) -> PyResult<(Vec<u32>, Vec<u32>)> {
    let mut pairs = Vec::new();
    for ((kind, members), shorts) in kinds.into_iter().zip(members).zip(shorts) {
        let kind = dedup::BucketKind::from_code(kind)
            .ok_or_else(|| PyValueError::new_err(format!("buckets: no bucket kind {kind}")))?;
        if shorts.len() != members.len() || !members.is_sorted_by(|a, b| a < b) {
            return Err(PyValueError::new_err(
                "buckets: members must be distinct, in position order, with one short flag each",
            ));
        }
        dedup::bucket_pairs(kind, &members, &shorts, &mut pairs);
    }
    Ok(pairs.into_iter().unzip())
}

/// `bodo.arrow.candidates`: the candidate pairs (a < b, positions in the table) among all
/// signatures, and whether each is an exact copy: LSH bands, headline and lead keys, as the CLI.
#[pyfunction]
#[pyo3(signature = (exact, minhash, keys, prints, short, threads=0))]
#[allow(clippy::type_complexity)]
fn candidates(
    py: Python,
    exact: Vec<Vec<u8>>,
    minhash: Vec<Vec<u32>>,
    keys: Vec<Vec<u64>>,
    prints: Vec<Vec<u32>>,
    short: Vec<bool>,
    threads: usize,
) -> PyResult<(Vec<u32>, Vec<u32>, Vec<bool>)> {
    let cfg = DedupConfig::default();
    let mut signatures = Vec::with_capacity(exact.len());
    for (((exact, minhash), (keys, prints)), short) in exact
        .into_iter()
        .zip(minhash)
        .zip(keys.into_iter().zip(prints))
        .zip(short)
    {
        let exact = exact
            .try_into()
            .map_err(|_| PyValueError::new_err("signatures: exact is 16 bytes"))?;
        let exact = u128::from_le_bytes(exact);
        signatures.push(signature(exact, minhash, keys, prints, short, &cfg)?);
    }
    let (pairs, exact) = parallel(py, threads, || {
        let minhashes = dedup::flatten(&mut signatures);
        let pairs = dedup::candidates(&signatures, minhashes, &cfg);
        let (exact, _) = dedup::split_exact(&signatures, &pairs);
        (pairs, exact)
    })?;
    // The exact pairs are a subsequence of the candidates, in the same order.
    let mut exact = exact.iter().map(|s| (s.a, s.b)).peekable();
    let flags = pairs
        .iter()
        .map(|p| exact.next_if(|e| e == p).is_some())
        .collect();
    let (a, b) = pairs.into_iter().unzip();
    Ok((a, b, flags))
}

/// Learned template keys (across the dump, within outlets): what `LearnedTemplates` pickles as.
type TemplateKeys = (Vec<u64>, Vec<u64>);

/// Templates learned from a dump, for `verify` and `analyse` (`bodo.arrow.TemplateCounter`
/// learns them).
#[pyclass(frozen, module = "bodo._bodo")]
struct LearnedTemplates(Templates);

#[pymethods]
impl LearnedTemplates {
    /// Templates from the keys `keys()` gave (in another process).
    #[new]
    fn new(global: Vec<u64>, outlet: Vec<u64>) -> Self {
        LearnedTemplates(Templates::from_keys(&global, &outlet))
    }

    /// Units learned: (across outlets, within one outlet).
    fn __len__(&self) -> usize {
        let (global, outlet) = self.0.len();
        global + outlet
    }

    /// The learned keys (across the dump, within outlets), sorted.
    fn keys(&self) -> (Vec<u64>, Vec<u64>) {
        self.0.keys()
    }

    /// Pickled as its keys, so an engine can ship the templates to its workers.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, TemplateKeys)> {
        Ok((slf.get_type().into_any(), slf.get().0.keys()))
    }
}

/// Counts the units templates are learned from, batch by batch, in input order.
#[pyclass(module = "bodo._bodo")]
struct TemplateCounter(Option<template::Counter>);

#[pymethods]
impl TemplateCounter {
    #[new]
    fn new() -> Self {
        TemplateCounter(Some(template::Counter::default()))
    }

    /// Counts a batch of normalised texts with their outlets and ISO dates.
    #[pyo3(signature = (titles, bodies, outlets, dates, threads=0))]
    fn add(
        &mut self,
        py: Python,
        titles: Vec<String>,
        bodies: Vec<String>,
        outlets: Vec<Option<String>>,
        dates: Vec<Option<String>>,
        threads: usize,
    ) -> PyResult<()> {
        let counter = self
            .0
            .as_mut()
            .ok_or_else(|| BodoError::new_err("the templates were already learned"))?;
        let sightings = sightings(py, titles, bodies, outlets, dates, threads)?;
        counter.add(&sightings).map_err(|e| error(py, e))
    }

    /// The templates of everything added (the counter is used up).
    fn learn(&mut self, py: Python) -> PyResult<LearnedTemplates> {
        let counter = self
            .0
            .take()
            .ok_or_else(|| BodoError::new_err("the templates were already learned"))?;
        let templates = py.detach(|| counter.learn()).map_err(|e| error(py, e))?;
        Ok(LearnedTemplates(templates))
    }
}

/// The template sightings of normalised texts with their outlets and ISO dates (an empty date
/// is none).
fn sightings(
    py: Python,
    titles: Vec<String>,
    bodies: Vec<String>,
    outlets: Vec<Option<String>>,
    dates: Vec<Option<String>>,
    threads: usize,
) -> PyResult<Vec<template::Sighting>> {
    let texts = texts(titles, bodies);
    parallel(py, threads, || {
        let keys: Vec<(Option<&str>, Option<&str>)> = outlets
            .iter()
            .zip(&dates)
            .map(|(o, d)| (o.as_deref(), d.as_deref().filter(|d| !d.is_empty())))
            .collect();
        template::sightings(&texts, &keys)
    })
}

/// `bodo.arrow.template_keys`: the keys each normalised text is counted under for the
/// templates, one row per key: whether it is counted within the outlet, the key, the article's
/// day (days since 1950-01-01, `None` undated). Grouped by (outlet, key) across a dump, they
/// give the [`template::Counts`] that `learned_keys` decides on.
#[pyfunction]
#[pyo3(signature = (titles, bodies, outlets, dates, threads=0))]
#[allow(clippy::type_complexity)]
fn template_keys(
    py: Python,
    titles: Vec<String>,
    bodies: Vec<String>,
    outlets: Vec<Option<String>>,
    dates: Vec<Option<String>>,
    threads: usize,
) -> PyResult<(Vec<bool>, Vec<u64>, Vec<Option<u16>>)> {
    let sightings = sightings(py, titles, bodies, outlets, dates, threads)?;
    let mut columns: (Vec<bool>, Vec<u64>, Vec<Option<u16>>) = Default::default();
    for s in &sightings {
        for (outlet, key) in s.keys() {
            columns.0.push(outlet);
            columns.1.push(key);
            columns.2.push(s.day());
        }
    }
    Ok(columns)
}

/// `bodo.arrow.learned_keys`: for each key's counts over a dump (counted within the outlet or
/// not, articles, distinct days, first and last day), whether it is template.
#[pyfunction]
fn learned_keys(
    outlet: Vec<bool>,
    articles: Vec<u64>,
    days: Vec<u64>,
    first: Vec<Option<u16>>,
    last: Vec<Option<u16>>,
) -> PyResult<Vec<bool>> {
    let n = outlet.len();
    if [articles.len(), days.len(), first.len(), last.len()] != [n; 4] {
        return Err(PyValueError::new_err(
            "learned keys: outlet, articles, days, first and last must have one value per key",
        ));
    }
    Ok((0..n)
        .map(|i| {
            let counts = template::Counts {
                articles: articles[i],
                days: days[i],
                span: first[i].zip(last[i]),
            };
            counts.is_template(outlet[i])
        })
        .collect())
}

/// Each text's learned template (nothing without templates).
fn learned(
    templates: Option<&LearnedTemplates>,
    texts: &[Normalised],
    outlets: &[Option<String>],
) -> Vec<Learned> {
    use rayon::prelude::*;
    match templates {
        Some(t) => texts
            .par_iter()
            .zip(outlets)
            .map(|(text, outlet)| t.0.find(text, outlet.as_deref()))
            .collect(),
        None => vec![Learned::default(); texts.len()],
    }
}

/// `bodo.arrow.verify`: each pair (a, b) scored on the texts: similarity (containment, Jaccard
/// for short texts), veto, size ratio, the smaller's position; exact pairs score 1 unread.
#[pyfunction]
#[pyo3(signature = (a, b, exact, texts_a, texts_b, outlets_a, outlets_b, shingle, templates=None, threads=0))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn verify(
    py: Python,
    a: Vec<u32>,
    b: Vec<u32>,
    exact: Vec<bool>,
    texts_a: (Vec<String>, Vec<String>),
    texts_b: (Vec<String>, Vec<String>),
    outlets_a: Vec<Option<String>>,
    outlets_b: Vec<Option<String>>,
    shingle: usize,
    templates: Option<PyRef<LearnedTemplates>>,
    threads: usize,
) -> PyResult<(Vec<f64>, Vec<bool>, Vec<f64>, Vec<u32>)> {
    let n = a.len();
    let (ta, tb) = (texts(texts_a.0, texts_a.1), texts(texts_b.0, texts_b.1));
    let templates = templates.as_deref();
    let scored = parallel(py, threads, || {
        let (la, lb) = (
            learned(templates, &ta, &outlets_a),
            learned(templates, &tb, &outlets_b),
        );
        // Row i's texts are positions 2i and 2i + 1 of one in-memory batch.
        let rows: Vec<usize> = (0..n).filter(|&i| !exact[i]).collect();
        let pairs: Vec<(u32, u32)> = rows
            .iter()
            .map(|&i| (2 * i as u32, 2 * i as u32 + 1))
            .collect();
        let batch: Vec<(usize, &Normalised, &Learned)> = rows
            .iter()
            .flat_map(|&i| [(2 * i, &ta[i], &la[i]), (2 * i + 1, &tb[i], &lb[i])])
            .collect();
        dedup::verify(&pairs, &batch, shingle)
    })?;
    let mut out: Vec<Scored> = (0..n).map(|i| Scored::exact(a[i], b[i])).collect();
    for s in scored {
        let i = s.a as usize / 2;
        out[i] = Scored {
            a: a[i],
            b: b[i],
            small: if s.small == s.a { a[i] } else { b[i] },
            ..s
        };
    }
    Ok((
        out.iter().map(|s| s.similarity).collect(),
        out.iter().map(|s| s.veto).collect(),
        out.iter().map(|s| s.ratio).collect(),
        out.iter().map(|s| s.small).collect(),
    ))
}

/// `bodo.arrow.clusters`: union-find over scored pairs: each article's cluster id and
/// representative (positions), from the articles' body characters and dates.
#[pyfunction]
#[pyo3(signature = (a, b, similarity, veto, ratio, small, chars, dates, threshold))]
#[allow(clippy::too_many_arguments)]
fn clusters(
    a: Vec<u32>,
    b: Vec<u32>,
    similarity: Vec<f64>,
    veto: Vec<bool>,
    ratio: Vec<f64>,
    small: Vec<u32>,
    chars: Vec<usize>,
    dates: Vec<Option<String>>,
    threshold: f64,
) -> PyResult<(Vec<u32>, Vec<usize>)> {
    let n = chars.len() as u32;
    if let Some(p) = a.iter().chain(&b).find(|&&p| p >= n) {
        return Err(PyValueError::new_err(format!(
            "clusters: pair position {p} is not among the {n} articles"
        )));
    }
    let mut pairs: Vec<Scored> = (0..a.len())
        .map(|i| Scored {
            a: a[i].min(b[i]),
            b: a[i].max(b[i]),
            similarity: similarity[i],
            veto: veto[i],
            ratio: ratio[i],
            small: small[i],
        })
        .collect();
    // The CLI hands union-find its pairs in (a, b) order; so does any driver, whatever the
    // order of the edge table.
    pairs.sort_by_key(|s| (s.a, s.b));
    let completeness: Vec<Completeness> = chars
        .into_iter()
        .zip(dates)
        .map(|(chars, date)| Completeness {
            chars,
            date: date.filter(|d| !d.is_empty()),
        })
        .collect();
    let clusters = dedup::clusters(&completeness, &pairs, threshold);
    Ok((clusters.cluster_id, clusters.representative))
}

/// The keywords of a batch as flat columns: row `i`'s are `offsets[i]..offsets[i + 1]` of
/// `keyword`, `kind` and `count` (sorted by keyword, then kind) — Arrow's list layout, so the
/// Python side builds the list column without a Python object per keyword.
#[derive(Default)]
struct KeywordColumns {
    offsets: Vec<u64>,
    keyword: Vec<String>,
    kind: Vec<String>,
    count: Vec<u64>,
}

/// The entity mentions of a batch as flat columns, like [`KeywordColumns`]; start and end in
/// characters of the field.
#[derive(Default)]
struct MentionColumns {
    offsets: Vec<u64>,
    field: Vec<String>,
    start: Vec<usize>,
    end: Vec<usize>,
    surface: Vec<String>,
    entity: Vec<String>,
    kind: Vec<String>,
}

type KeywordTuple = (Vec<u64>, Vec<String>, Vec<String>, Vec<u64>);
type MentionTuple = (
    Vec<u64>,
    Vec<String>,
    Vec<usize>,
    Vec<usize>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
);

/// `bodo.arrow.analyse`: each normalised text's keywords (keyword, kind, count) and entity
/// mentions (field, start, end, surface, entity, type), as pass 3 of the CLI analyses a story's
/// representative; both as flat columns with row offsets.
#[pyfunction]
#[pyo3(signature = (titles, bodies, dates, outlets, templates=None, entity_rules=false, stopwords=Vec::new(), min_keyword_chars=2, user_dict=Vec::new(), threads=0))]
#[allow(clippy::too_many_arguments)]
fn analyse_batch(
    py: Python,
    titles: Vec<String>,
    bodies: Vec<String>,
    dates: Vec<Option<String>>,
    outlets: Vec<Option<String>>,
    templates: Option<PyRef<LearnedTemplates>>,
    entity_rules: bool,
    stopwords: Vec<PathBuf>,
    min_keyword_chars: usize,
    user_dict: Vec<PathBuf>,
    threads: usize,
) -> PyResult<(KeywordTuple, MentionTuple)> {
    let analysers = analysers(
        py,
        analysis(entity_rules, stopwords, min_keyword_chars, user_dict),
    )?;
    let texts = texts(titles, bodies);
    let templates = templates.as_deref();
    let (k, m) = parallel(py, threads, || -> bodo::Result<_> {
        let learned = learned(templates, &texts, &outlets);
        let items: Vec<analyse::Item> = texts
            .iter()
            .zip(&learned)
            .zip(&dates)
            .zip(&outlets)
            .map(|(((text, learned), date), outlet)| analyse::Item {
                text,
                date: date.as_deref().filter(|d| !d.is_empty()),
                learned,
                outlet: outlet.as_deref(),
            })
            .collect();
        let stories = analyse::batch(&analysers, &items)?;
        let mut k = KeywordColumns {
            offsets: vec![0],
            ..Default::default()
        };
        let mut m = MentionColumns {
            offsets: vec![0],
            ..Default::default()
        };
        for story in &stories {
            let rows = story.rows();
            for (word, kind, n) in rows.keywords {
                k.keyword.push(word.to_string());
                k.kind.push(kind.to_string());
                k.count.push(n);
            }
            k.offsets.push(k.keyword.len() as u64);
            for mention in rows.mentions {
                m.field.push(mention.field.to_string());
                m.start.push(mention.start);
                m.end.push(mention.end);
                m.surface.push(mention.surface.to_string());
                m.entity.push(mention.entity.to_string());
                m.kind.push(mention.kind.as_str().to_string());
            }
            m.offsets.push(m.field.len() as u64);
        }
        Ok((k, m))
    })?
    .map_err(|e| error(py, e))?;
    Ok((
        (k.offsets, k.keyword, k.kind, k.count),
        (
            m.offsets, m.field, m.start, m.end, m.surface, m.entity, m.kind,
        ),
    ))
}

/// An article as `bodo.arrow.read` lists it: index, id, source, outlet, ISO date, raw date,
/// title, body, url, BIGKinds cells.
type ReadArticle = (
    usize,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<BigKindsCells>,
);
/// A BIGKinds export's 인물, 위치, 기관 and 키워드 cells.
type BigKindsCells = (String, String, String, String);
/// A rejected record: index, source, article id, reason.
type RejectionRow = (usize, String, Option<String>, String);

/// `bodo.arrow.read`: the records of input files (or of `data`, read as the file `inputs[0]`
/// would be) as bodo reads them, any format `bodo run` takes: the articles' columns, and the
/// rejected records' (source, article id, reason).
#[pyfunction]
#[pyo3(signature = (inputs, data=None))]
fn read(
    py: Python,
    inputs: Vec<PathBuf>,
    data: Option<&[u8]>,
) -> PyResult<(Vec<ReadArticle>, Vec<RejectionRow>)> {
    let opts = Default::default();
    let (articles, rejections) = py
        .detach(|| match (data, inputs.first()) {
            (Some(data), Some(name)) => {
                bodo::ingest::read_bytes(&name.display().to_string(), data, &opts)
            }
            _ => bodo::ingest::read(&inputs, &opts),
        })
        .map_err(|e| error(py, e))?;
    Ok((
        articles
            .into_iter()
            .map(|a| {
                let date = a.date.known().map(String::from);
                let raw = Some(a.date.unparsed().to_string()).filter(|d| !d.is_empty());
                let bigkinds = a
                    .bigkinds
                    .map(|b| (b.people, b.places, b.organisations, b.keywords));
                (
                    a.index,
                    a.article_id,
                    a.source,
                    a.outlet,
                    date,
                    raw,
                    a.title,
                    a.body,
                    a.url,
                    bigkinds,
                )
            })
            .collect(),
        rejections
            .into_iter()
            .map(|r| (r.index, r.source, r.article_id, r.reason))
            .collect(),
    ))
}

/// `bodo.arrow.learned_chars`: characters of each normalised text that are learned template
/// (`articles.csv`'s `learned_boilerplate_chars`; 0 without templates).
#[pyfunction]
#[pyo3(signature = (titles, bodies, outlets, templates=None, threads=0))]
fn learned_chars(
    py: Python,
    titles: Vec<String>,
    bodies: Vec<String>,
    outlets: Vec<Option<String>>,
    templates: Option<PyRef<LearnedTemplates>>,
    threads: usize,
) -> PyResult<Vec<usize>> {
    let texts = texts(titles, bodies);
    let templates = templates.as_deref();
    parallel(py, threads, || {
        let learned = learned(templates, &texts, &outlets);
        learned
            .iter()
            .zip(&texts)
            .map(|(l, t)| l.chars(t))
            .collect()
    })
}

/// `bodo.arrow.copy_pairs`: each copy with its representative (a < b, positions) where their
/// texts differ by exact hash (16 bytes each).
#[pyfunction]
fn copy_pairs(representative: Vec<usize>, exact: Vec<Vec<u8>>) -> PyResult<(Vec<u32>, Vec<u32>)> {
    let exact = exact
        .iter()
        .map(|e| Ok(u128::from_le_bytes(e.as_slice().try_into()?)))
        .collect::<Result<Vec<u128>, std::array::TryFromSliceError>>()
        .map_err(|_| PyValueError::new_err("exact hashes are 16 bytes"))?;
    Ok(pipeline::copy_pairs(&representative, &exact)
        .into_iter()
        .unzip())
}

/// `bodo.arrow.copy_pairs` on rows already joined (an engine's join): each article's position,
/// its story's representative and both exact hashes (16 bytes each, or `None` without dedup);
/// the same pairs, for the rows that give one.
#[pyfunction]
fn copy_pair_rows(
    position: Vec<usize>,
    representative: Vec<usize>,
    exact: Vec<Option<Vec<u8>>>,
    representative_exact: Vec<Option<Vec<u8>>>,
) -> PyResult<(Vec<u32>, Vec<u32>)> {
    let n = position.len();
    if [
        representative.len(),
        exact.len(),
        representative_exact.len(),
    ] != [n; 3]
    {
        return Err(PyValueError::new_err(
            "copy pairs: position, representative and both exact hashes must have one value per row",
        ));
    }
    let hash = |e: Option<Vec<u8>>| -> PyResult<Option<u128>> {
        e.map(|e| {
            <[u8; 16]>::try_from(e.as_slice())
                .map(u128::from_le_bytes)
                .map_err(|_| PyValueError::new_err("exact hashes are 16 bytes"))
        })
        .transpose()
    };
    let mut pairs: (Vec<u32>, Vec<u32>) = Default::default();
    for (((p, rep), e), r) in position
        .into_iter()
        .zip(representative)
        .zip(exact)
        .zip(representative_exact)
    {
        if let Some((a, b)) = pipeline::copy_pair(p, rep, hash(e)?, hash(r)?) {
            pairs.0.push(a);
            pairs.1.push(b);
        }
    }
    Ok(pairs)
}

/// The articles of a run as `bodo.arrow.tables` passes them (normalised, in position order).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct ArticleColumns {
    index: Vec<usize>,
    article_id: Vec<String>,
    source: Vec<String>,
    outlet: Vec<Option<String>>,
    date: Vec<Option<String>>,
    date_raw: Vec<Option<String>>,
    url: Vec<Option<String>>,
    title: Vec<String>,
    chars: Vec<usize>,
    boilerplate_chars: Vec<usize>,
    learned_boilerplate_chars: Vec<usize>,
    bigkinds: Vec<Option<BigKindsCells>>,
}

/// Everything the tables are made from, as `bodo.arrow.tables` passes it: the articles, their
/// stories (position order), the rejected records, the copies' scores, the analysed stories'
/// keywords and mentions as flat columns with offsets (in position order).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct RunColumns {
    articles: ArticleColumns,
    cluster_id: Vec<u32>,
    representative: Vec<usize>,
    rejected: (Vec<usize>, Vec<String>, Vec<Option<String>>, Vec<String>),
    copies: (Vec<u32>, Vec<u32>, Vec<f64>),
    position: Vec<usize>,
    keywords: KeywordTuple,
    mentions: MentionTuple,
}

impl RunColumns {
    /// Whether the columns describe one run: lengths agree, every representative is an article
    /// and its own representative, the analysed stories are the representatives in position
    /// order, offsets and entity types are valid.
    fn check(&self) -> PyResult<()> {
        let bad = |m: String| Err(PyValueError::new_err(m));
        let a = &self.articles;
        let n = a.index.len();
        let lengths = [
            a.article_id.len(),
            a.source.len(),
            a.outlet.len(),
            a.date.len(),
            a.date_raw.len(),
            a.url.len(),
            a.title.len(),
            a.chars.len(),
            a.boilerplate_chars.len(),
            a.learned_boilerplate_chars.len(),
            a.bigkinds.len(),
            self.cluster_id.len(),
            self.representative.len(),
        ];
        if lengths.iter().any(|&l| l != n) {
            return bad(format!(
                "the articles' columns and their stories differ in length ({n} articles)"
            ));
        }
        for (p, &rep) in self.representative.iter().enumerate() {
            if rep >= n || self.representative[rep] != rep {
                return bad(format!(
                    "article {p}'s representative {rep} is not a representative"
                ));
            }
        }
        let reps: Vec<usize> = (0..n).filter(|&p| self.representative[p] == p).collect();
        if self.position != reps {
            return bad(format!(
                "the analysed stories ({}) are not the {} representatives, one each in position order",
                self.position.len(),
                reps.len()
            ));
        }
        let (k, m) = (&self.keywords, &self.mentions);
        for (what, offsets, len) in [("keywords", &k.0, k.1.len()), ("mentions", &m.0, m.1.len())] {
            let ok = offsets.len() == reps.len() + 1
                && offsets.first() == Some(&0)
                && offsets.last() == Some(&(len as u64))
                && offsets.windows(2).all(|w| w[0] <= w[1]);
            if !ok {
                return bad(format!(
                    "the {what} offsets do not fit the analysed stories"
                ));
            }
        }
        if let Some(t) = m.6.iter().find(|t| EntityType::parse(t).is_none()) {
            return bad(format!("{t:?} is not an entity type"));
        }
        let (c, r) = (&self.copies, &self.rejected);
        if c.0.len() != c.1.len()
            || c.0.len() != c.2.len()
            || c.0.iter().chain(&c.1).any(|&p| p as usize >= n)
        {
            return bad("the copies are not pairs of articles".to_string());
        }
        if [r.1.len(), r.2.len(), r.3.len()]
            .iter()
            .any(|&l| l != r.0.len())
        {
            return bad("the rejected records' columns differ in length".to_string());
        }
        Ok(())
    }
}

/// The rows and stories of a run from its columns (checked): what `bodo run` has after its
/// three passes, its stories' mentions written to `mentions` when given; and, per record, the
/// articles it stands for (its cluster size for a representative).
/// The options of `bodo.arrow.tables` and `write` as `bodo run` checks them, with the
/// analysers they name (the columns checked first).
fn checked(
    py: Python,
    columns: &RunColumns,
    options: &str,
    inputs: Vec<PathBuf>,
    out: PathBuf,
    command_line: Vec<String>,
) -> PyResult<(bodo::Config, Analysers<'static>)> {
    columns.check()?;
    let config = config(py, options, inputs, out, command_line)?;
    config.validate_options().map_err(|e| error(py, e))?;
    let analysers = analysers(py, config.analysis())?;
    Ok((config, analysers))
}

/// A run's stories from the stages' columns, scored (relevance and the aggregates).
struct ScoredRun {
    scanned: Scanned,
    analysed: Analysed,
    /// Each story's copies (for the manifest's story shape).
    copies: Vec<u64>,
    scores: finish::Scores,
    timer: finish::Timer,
}

/// The stories of `columns` (their mentions written to `mentions` when given), scored from
/// the stories themselves or from an engine's `grouped` sums.
fn scored(
    columns: RunColumns,
    analysers: &Analysers,
    config: &bodo::Config,
    grouped: Option<GroupedColumns>,
    mentions: Option<&mut TableStream>,
) -> bodo::Result<ScoredRun> {
    let gazetteer = analysers.recogniser.gazetteer();
    let (mut scanned, mut analysed, copies) = stories(columns, gazetteer, mentions)?;
    let mut timer = finish::Timer::default();
    let scores = score(
        &mut scanned,
        &mut analysed,
        analysers,
        config,
        grouped,
        &mut timer,
    )?;
    Ok(ScoredRun {
        scanned,
        analysed,
        copies,
        scores,
        timer,
    })
}

fn stories(
    columns: RunColumns,
    gazetteer: &Gazetteer,
    mut mentions: Option<&mut TableStream>,
) -> bodo::Result<(Scanned, Analysed, Vec<u64>)> {
    let a = columns.articles;
    let rows = a
        .index
        .into_iter()
        .zip(a.article_id)
        .zip(a.source)
        .zip(a.outlet)
        .zip(a.date.into_iter().zip(a.date_raw))
        .zip(a.url)
        .zip(a.title)
        .zip(a.bigkinds)
        .zip(
            a.chars
                .into_iter()
                .zip(a.boilerplate_chars)
                .zip(a.learned_boilerplate_chars),
        )
        .map(
            |(
                (((((((index, article_id), source), outlet), dates), url), title), bigkinds),
                counts,
            )| {
                let date = match dates {
                    (Some(d), _) if !d.is_empty() => ArticleDate::Iso(d),
                    (_, Some(raw)) if !raw.is_empty() => ArticleDate::Unparsed(raw),
                    _ => ArticleDate::Missing,
                };
                let bigkinds = bigkinds.map(|(people, places, organisations, keywords)| {
                    Box::new(BigKinds {
                        people,
                        places,
                        organisations,
                        keywords,
                    })
                });
                let article = Article {
                    index,
                    article_id,
                    source,
                    outlet,
                    date,
                    title,
                    body: String::new(),
                    url,
                    bigkinds,
                };
                let ((chars, boilerplate_chars), learned_boilerplate_chars) = counts;
                let row = ArticleRow {
                    chars,
                    boilerplate_chars,
                    learned_boilerplate_chars,
                    ..ArticleRow::new(article)
                };
                (index, row)
            },
        )
        .collect();
    let (r_index, r_source, r_id, r_reason) = columns.rejected;
    let rejections = r_index
        .into_iter()
        .zip(r_source)
        .zip(r_id)
        .zip(r_reason)
        .map(|(((index, source), article_id), reason)| Rejection {
            index,
            source,
            article_id,
            reason,
        })
        .collect();
    let mut scanned = Scanned::of_records(rows, rejections);
    let clusters = Clusters {
        representative: columns.representative,
        cluster_id: columns.cluster_id,
    };
    let copies = pipeline::apply_clusters(&mut scanned, &clusters);
    let (ca, cb, similarity) = columns.copies;
    let scored: Vec<Scored> = ca
        .into_iter()
        .zip(cb)
        .zip(similarity)
        .map(|((a, b), similarity)| Scored {
            similarity,
            ..Scored::exact(a, b)
        })
        .collect();
    pipeline::copy_similarity(&mut scanned, &clusters, &scored);

    let mut analysed = Analysed::new()?;
    let (k, m) = (&columns.keywords, &columns.mentions);
    for (i, &position) in columns.position.iter().enumerate() {
        let story = story_rows(k, m, i);
        let article = &scanned.rows[scanned.article_rows[position]];
        analysed.add(
            position,
            article,
            &story,
            gazetteer,
            mentions.as_deref_mut(),
        )?;
    }
    Ok((scanned, analysed, copies))
}

/// `bodo.arrow.tables`: every table `bodo run` writes (but `mentions.csv`) from the stages'
/// columns, with `bodo run`'s options as JSON: (file name, the table as Parquet bytes).
#[pyfunction]
#[pyo3(signature = (columns, options, grouped=None))]
fn tables<'py>(
    py: Python<'py>,
    columns: RunColumns,
    options: &str,
    grouped: Option<GroupedColumns>,
) -> PyResult<Vec<(&'static str, Bound<'py, PyBytes>)>> {
    let (config, analysers) = checked(
        py,
        &columns,
        options,
        Vec::new(),
        PathBuf::new(),
        Vec::new(),
    )?;
    let frames = py
        .detach(|| -> bodo::Result<Vec<(&'static str, Vec<u8>)>> {
            let run = scored(columns, &analysers, &config, grouped, None)?;
            finish::frames(&run.scanned, &run.analysed, &run.scores, &config)?
                .into_iter()
                .map(|(name, mut table)| Ok((name, bodo::tables::parquet_bytes(&mut table)?)))
                .collect()
        })
        .map_err(|e| error(py, e))?;
    Ok(frames
        .into_iter()
        .map(|(name, bytes)| (name, PyBytes::new(py, &bytes)))
        .collect())
}

/// `bodo.arrow.write`: the report directory `bodo run` writes (every table, `mentions.csv`,
/// charts, `report.html`, `manifest.json`, staged and moved into `out` when complete) from the
/// stages' columns; `inputs` are the files read (the manifest's and report's inputs, hashed
/// here). Gives the counts and files written as JSON.
#[pyfunction]
#[pyo3(signature = (out, inputs, columns, options, command_line, grouped=None))]
fn write(
    py: Python,
    out: PathBuf,
    inputs: Vec<PathBuf>,
    columns: RunColumns,
    options: &str,
    command_line: Vec<String>,
    grouped: Option<GroupedColumns>,
) -> PyResult<String> {
    let (config, analysers) = checked(py, &columns, options, inputs, out, command_line)?;
    let written = py
        .detach(|| -> bodo::Result<finish::Written> {
            let inputs = match config.inputs.is_empty() {
                true => Vec::new(),
                false => bodo::ingest::resolve(&config.inputs, &config.ingest)?.files,
            };
            let staging = bodo::staging_dir(&config.out, config.force)?;
            let out = staging.path();
            let mut mentions = pipeline::mentions_stream(out, config.table_format())?;
            let run = scored(columns, &analysers, &config, grouped, Some(&mut mentions))?;
            // Dedup's own counts (candidate pairs, seconds) are the engine's: not known here.
            let shape = StoryCounts::of(&run.copies, Default::default());
            let written = finish::write(
                out,
                &config,
                &analysers,
                inputs,
                &run.scanned,
                &run.analysed,
                &run.scores,
                mentions,
                shape,
                run.timer,
            )?;
            bodo::publish(out, &config.out)?;
            Ok(written)
        })
        .map_err(|e| error(py, e))?;
    let result = serde_json::json!({"counts": written.counts, "outputs": written.outputs});
    Ok(result.to_string())
}

/// Story `i` of flat keyword and mention columns with offsets, as the story store takes it
/// (keywords sorted: an engine's lists may come in any order).
fn story_rows<'a>(k: &'a KeywordTuple, m: &'a MentionTuple, i: usize) -> StoryRows<'a> {
    let (k0, k1) = (k.0[i] as usize, k.0[i + 1] as usize);
    let mut keywords: Vec<(&str, &str, u64)> = (k0..k1)
        .map(|j| (k.1[j].as_str(), k.2[j].as_str(), k.3[j]))
        .collect();
    keywords.sort_unstable();
    let mentions = match m.0.get(i + 1) {
        Some(&end) => (m.0[i] as usize..end as usize)
            .map(|j| MentionRow {
                field: &m.1[j],
                start: m.2[j],
                end: m.3[j],
                surface: &m.4[j],
                entity: &m.5[j],
                kind: EntityType::parse(&m.6[j]).expect("checked"),
            })
            .collect(),
        None => Vec::new(),
    };
    StoryRows { keywords, mentions }
}

/// What an engine computed of the tables (`bodo.spark`): each story's relevance (position
/// order) and the cutoff, the keyword and entity tables' summed parts (`story_parts` rows
/// summed by table, group, key and kind) and the network's summed pairs.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct GroupedColumns {
    relevance: Vec<f64>,
    cutoff: f64,
    parts: PartTuple,
    pairs: (Vec<String>, Vec<String>, Vec<u64>, Vec<u64>),
}

/// Summed parts: table, group, key, kind, n, stories, articles.
type PartTuple = (
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<String>,
    Vec<u64>,
    Vec<u64>,
    Vec<u64>,
);

fn named_parts(p: PartTuple) -> Vec<aggregate::NamedPart> {
    let (table, group, key, kind, n, stories, articles) = p;
    table
        .into_iter()
        .zip(group)
        .zip(key)
        .zip(kind)
        .zip(n.into_iter().zip(stories).zip(articles))
        .map(
            |((((table, group), key), kind), ((n, stories), articles))| aggregate::NamedPart {
                table,
                group,
                key,
                kind,
                n,
                stories,
                articles,
            },
        )
        .collect()
}

/// Relevance and aggregates: the CLI's ([`finish::score`]) or, given an engine's sums, from
/// them ([`finish::score_grouped`]).
fn score(
    scanned: &mut Scanned,
    analysed: &mut Analysed,
    analysers: &Analysers,
    config: &bodo::Config,
    grouped: Option<GroupedColumns>,
    timer: &mut finish::Timer,
) -> bodo::Result<finish::Scores> {
    let Some(g) = grouped else {
        return finish::score(scanned, analysed, analysers, config, timer);
    };
    let parts = named_parts(g.parts);
    let (a, b, stories, articles) = g.pairs;
    let pairs: Vec<aggregate::NamedPair> = a
        .into_iter()
        .zip(b)
        .zip(stories.into_iter().zip(articles))
        .map(|((a, b), (stories, articles))| aggregate::NamedPair {
            a,
            b,
            stories,
            articles,
        })
        .collect();
    timer.time("aggregation", || {
        finish::score_grouped(
            scanned,
            analysed,
            g.relevance,
            g.cutoff,
            &parts,
            &pairs,
            config,
        )
    })
}

/// A batch's stories' terms interned as the CLI's story store interns a story (a keyword
/// tagged two ways, on two rows, is one term), into a store of the batch's own: each story's
/// (local id, tf), and for each local id a row of the flat columns that holds its keyword (its
/// df and centroid weight are the same on every row).
struct BatchTerms {
    store: StoryStore,
    record: StoryRecord,
    row: Vec<usize>,
    df: Vec<u64>,
}

impl BatchTerms {
    fn new() -> bodo::Result<Self> {
        Ok(BatchTerms {
            store: StoryStore::new()?,
            record: StoryRecord::default(),
            row: Vec::new(),
            df: Vec::new(),
        })
    }

    /// Interns story `i` of `terms`: its (local term id, tf) are then `self.record.terms`.
    fn read(&mut self, terms: &TermTuple, i: usize) {
        let (offsets, keywords, counts, _) = terms;
        let rows = offsets[i] as usize..offsets[i + 1] as usize;
        let mut rows_of_story: Vec<(&str, &str, u64)> = rows
            .clone()
            .map(|j| (keywords[j].as_str(), "", counts[j]))
            .collect();
        rows_of_story.sort_unstable();
        let story = StoryRows {
            keywords: rows_of_story,
            mentions: Vec::new(),
        };
        self.store.intern(&mut self.record, i, &story, &mut self.df);
        self.row.resize(self.store.terms.len(), 0);
        for j in rows {
            let id = self.store.terms.get(&keywords[j]).expect("interned");
            self.row[id as usize] = j;
        }
    }
}

/// Per-story term rows: offsets, keyword, count, df.
type TermTuple = (Vec<u64>, Vec<String>, Vec<u64>, Vec<u64>);

/// The query vector of `query` (keyword, df) over `stories` stories.
fn query_of(query: &(Vec<String>, Vec<u64>), stories: u64) -> Vec<(&str, f64)> {
    let terms: Vec<(&str, u64)> = query
        .0
        .iter()
        .map(String::as_str)
        .zip(query.1.iter().copied())
        .collect();
    relevance::query_vector(&terms, stories)
}

/// `bodo.arrow.relevance_parts`: what each story adds to the centroid (keyword, the
/// fixed-point part as two limbs), its terms given with their df over all `stories` stories.
#[pyfunction]
fn relevance_parts(
    py: Python,
    terms: TermTuple,
    stories: u64,
    query: (Vec<String>, Vec<u64>),
) -> PyResult<(Vec<String>, Vec<i64>, Vec<i64>)> {
    py.detach(|| -> bodo::Result<_> {
        let (offsets, keywords, _, dfs) = &terms;
        let q: HashMap<&str, f64> = query_of(&query, stories).into_iter().collect();
        let mut batch = BatchTerms::new()?;
        let (mut v, mut scratch) = (Vec::new(), Vec::new());
        let (mut keys, mut hi, mut lo) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..offsets.len().saturating_sub(1) {
            batch.read(&terms, i);
            let (story, row) = (&batch.record.terms, &batch.row);
            let of = |t: u32| (keywords[row[t as usize]].as_str(), dfs[row[t as usize]]);
            let terms = story.iter().map(|&(t, tf)| (of(t).0, tf as u64, of(t).1));
            relevance::story_vector(terms, stories, &mut v, &mut scratch);
            let weight = relevance::story_weight(&v, &q, &mut scratch);
            relevance::centroid_parts(&v, weight, |k, f| {
                let (h, l) = f.limbs();
                keys.push(k.to_string());
                hi.push(h);
                lo.push(l);
            });
        }
        Ok((keys, hi, lo))
    })
    .map_err(|e| error(py, e))
}

/// `bodo.arrow.centroid`: the centroid from the parts summed per keyword (limbs summed apart):
/// each keyword's weight, `|centroid|²`, and whether it is a topic's.
#[pyfunction]
fn centroid(
    keys: Vec<String>,
    hi: Vec<i64>,
    lo: Vec<i64>,
    stories: u64,
    query: (Vec<String>, Vec<u64>),
) -> (Vec<String>, Vec<f64>, f64, bool) {
    let q = query_of(&query, stories);
    let sums = keys
        .iter()
        .zip(hi.iter().zip(&lo))
        .map(|(k, (&h, &l))| (k.as_str(), relevance::Fixed::from_limbs(h, l)));
    let c = relevance::Centroid::new(sums, &q);
    let mut weights: Vec<(&str, f64)> = c.weights.iter().map(|(&k, &w)| (k, w)).collect();
    weights.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let (k, w) = weights.into_iter().map(|(k, w)| (k.to_string(), w)).unzip();
    (k, w, c.square, c.topic)
}

/// `bodo.arrow.relevance_scores`: each story's relevance, its terms given with their df and
/// their centroid weight (null: 0).
#[pyfunction]
fn relevance_scores(
    py: Python,
    terms: TermTuple,
    weights: Vec<Option<f64>>,
    stories: u64,
    square: f64,
    topic: bool,
) -> PyResult<Vec<f64>> {
    py.detach(|| -> bodo::Result<_> {
        let (offsets, _, _, dfs) = &terms;
        let mut batch = BatchTerms::new()?;
        let (mut v, mut scratch) = (Vec::new(), Vec::new());
        let mut scores = Vec::with_capacity(offsets.len().saturating_sub(1));
        for i in 0..offsets.len().saturating_sub(1) {
            batch.read(&terms, i);
            let (story, row) = (&batch.record.terms, &batch.row);
            let terms = story
                .iter()
                .map(|&(t, tf)| (t, tf as u64, dfs[row[t as usize]]));
            relevance::story_vector(terms, stories, &mut v, &mut scratch);
            let weight = |t: u32| weights[row[t as usize]].unwrap_or(0.0);
            scores.push(relevance::story_score(
                &v,
                weight,
                square,
                topic,
                stories,
                &mut scratch,
            ));
        }
        Ok(scores)
    })
    .map_err(|e| error(py, e))
}

/// `bodo.arrow.typical_ranks`: the two ranks of the sorted scores the cutoff is read between.
#[pyfunction]
fn typical_ranks(stories: usize, topic: bool) -> (usize, usize) {
    relevance::typical_ranks(stories, topic)
}

/// `bodo.arrow.relevance_cutoff`: the cutoff from the scores at [`typical_ranks`], with the
/// `--off-topic-ratio` of `options`.
#[pyfunction]
fn relevance_cutoff(
    py: Python,
    options: &str,
    stories: usize,
    low: f64,
    high: f64,
) -> PyResult<f64> {
    let config = config(py, options, Vec::new(), PathBuf::new(), Vec::new())?;
    let topic = config.topic.is_some();
    Ok(relevance::cutoff(
        config.threshold,
        stories,
        topic,
        low,
        high,
    ))
}

/// `bodo.arrow.topic_keywords`: the keywords of `options`' `--topic` (none without one).
#[pyfunction]
fn topic_keywords(py: Python, options: &str) -> PyResult<Vec<String>> {
    let config = config(py, options, Vec::new(), PathBuf::new(), Vec::new())?;
    let Some(topic) = &config.topic else {
        return Ok(Vec::new());
    };
    let analysers = analysers(py, config.analysis())?;
    py.detach(|| finish::topic_words(topic, &analysers))
        .map_err(|e| error(py, e))
}

/// `bodo.arrow.topic_query`: the topic's keywords found in the dump, with their df, or the
/// error of a topic none of whose keywords occurs.
#[pyfunction]
fn topic_query(
    py: Python,
    options: &str,
    keywords: Vec<String>,
    dfs: Vec<u64>,
) -> PyResult<(Vec<String>, Vec<u64>)> {
    let config = config(py, options, Vec::new(), PathBuf::new(), Vec::new())?;
    let Some(topic) = &config.topic else {
        return Ok((Vec::new(), Vec::new()));
    };
    let words = topic_keywords(py, options)?;
    let mut found: Vec<(String, u64)> = keywords
        .into_iter()
        .zip(dfs)
        .filter(|(k, _)| words.binary_search(k).is_ok())
        .collect();
    found.sort_unstable();
    let found = finish::topic_found(topic, &words, found).map_err(|e| error(py, e))?;
    Ok(found.into_iter().unzip())
}

/// Whether each story counts in the tables: on topic by `cutoff`, or all with
/// `--keep-off-topic`.
fn counted(config: &bodo::Config, relevance: &[f64], cutoff: f64) -> Vec<bool> {
    relevance
        .iter()
        .map(|&s| config.aggregate.keep_off_topic || !relevance::off_topic(s, cutoff))
        .collect()
}

/// Story `i`'s group names (offsets, names) as ids into `vocabulary`, sorted and distinct;
/// with `named`, empty names are no group (an article without an ISO date is in no day, as in
/// `bodo run`, while an empty outlet is an outlet).
fn group_ids(
    groups: &(Vec<u64>, Vec<String>),
    i: usize,
    vocabulary: &mut Vocabulary<String>,
    named: bool,
) -> Vec<u32> {
    let mut ids: Vec<u32> = (groups.0[i] as usize..groups.0[i + 1] as usize)
        .filter(|&j| !(named && groups.1[j].is_empty()))
        .map(|j| vocabulary.intern(groups.1[j].as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `bodo.arrow.story_parts`: each story's parts of the keyword and entity tables (if it
/// counts) and its keywords' kinds, as rows: table, group, key, kind, n, articles.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn story_parts(
    py: Python,
    keywords: KeywordTuple,
    mentions: MentionTuple,
    relevance: Vec<f64>,
    articles: Vec<u64>,
    days: (Vec<u64>, Vec<String>),
    outlets: (Vec<u64>, Vec<String>),
    cutoff: f64,
    options: &str,
) -> PyResult<PartTuple> {
    let config = config(py, options, Vec::new(), PathBuf::new(), Vec::new())?;
    let counted = counted(&config, &relevance, cutoff);
    if let Some(t) = mentions.6.iter().find(|t| EntityType::parse(t).is_none()) {
        return Err(PyValueError::new_err(format!(
            "{t:?} is not an entity type"
        )));
    }
    py.detach(|| -> bodo::Result<PartTuple> {
        // The batch's own ids: parts leave it as names.
        let mut store = StoryStore::new()?;
        let (mut day_names, mut outlet_names) = (Vocabulary::default(), Vocabulary::default());
        let (mut record, mut df) = (StoryRecord::default(), Vec::new());
        let mut out: PartTuple = Default::default();
        let mut push = |p: aggregate::NamedPart| {
            out.0.push(p.table);
            out.1.push(p.group);
            out.2.push(p.key);
            out.3.push(p.kind);
            out.4.push(p.n);
            out.5.push(p.stories);
            out.6.push(p.articles);
        };
        for (i, &counts) in counted.iter().enumerate() {
            let story = story_rows(&keywords, &mentions, i);
            for &(keyword, kind, n) in &story.keywords {
                push(aggregate::NamedPart {
                    table: aggregate::KIND_TABLE.to_string(),
                    group: kind.to_string(),
                    key: keyword.to_string(),
                    n,
                    stories: 1,
                    ..Default::default()
                });
            }
            if !counts {
                continue;
            }
            store.intern(&mut record, i, &story, &mut df);
            let d = group_ids(&days, i, &mut day_names, true);
            let o = group_ids(&outlets, i, &mut outlet_names, false);
            aggregate::story_parts(&record, articles[i], &d, &o, |part| {
                let day = |g: u32| day_names.name(g).as_str();
                let outlet = |g: u32| outlet_names.name(g).as_str();
                push(aggregate::NamedPart::of(part, &store, day, outlet))
            });
        }
        Ok(out)
    })
    .map_err(|e| error(py, e))
}

/// `bodo.arrow.cooccurrence_nodes`: the network's nodes from the summed parts.
#[pyfunction]
fn cooccurrence_nodes(py: Python, parts: PartTuple, options: &str) -> PyResult<Vec<String>> {
    let config = config(py, options, Vec::new(), PathBuf::new(), Vec::new())?;
    let parts = named_parts(parts);
    py.detach(|| aggregate::grouped_nodes(&parts, &config.aggregate))
        .map_err(|e| error(py, e))
}

/// `bodo.arrow.story_pairs`: each counted story's pairs of network nodes (a before b in
/// `nodes`' order), with the articles it stands for.
#[pyfunction]
fn story_pairs(
    py: Python,
    keywords: KeywordTuple,
    relevance: Vec<f64>,
    articles: Vec<u64>,
    nodes: Vec<String>,
    cutoff: f64,
    options: &str,
) -> PyResult<(Vec<String>, Vec<String>, Vec<u64>)> {
    let config = config(py, options, Vec::new(), PathBuf::new(), Vec::new())?;
    let counted = counted(&config, &relevance, cutoff);
    let no_mentions: MentionTuple = Default::default();
    py.detach(|| -> bodo::Result<_> {
        let index: HashMap<&str, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i as u32))
            .collect();
        let mut store = StoryStore::new()?;
        let (mut record, mut df, mut node_of, mut present) =
            (StoryRecord::default(), Vec::new(), Vec::new(), Vec::new());
        let (mut a, mut b, mut arts) = (Vec::new(), Vec::new(), Vec::new());
        for (i, &counts) in counted.iter().enumerate() {
            if !counts {
                continue;
            }
            store.intern(
                &mut record,
                i,
                &story_rows(&keywords, &no_mentions, i),
                &mut df,
            );
            for t in node_of.len()..store.terms.len() {
                let name = store.terms.name(t as u32).as_str();
                node_of.push(index.get(name).copied().unwrap_or(u32::MAX));
            }
            bodo::cooccurrence::story_pairs(&record.terms, &node_of, &mut present, |x, y| {
                a.push(nodes[x].clone());
                b.push(nodes[y].clone());
                arts.push(articles[i]);
            });
        }
        Ok((a, b, arts))
    })
    .map_err(|e| error(py, e))
}

/// Dedup's defaults, so that the Python side never restates them.
#[pyfunction]
fn dedup_defaults() -> (usize, f64) {
    let cfg = DedupConfig::default();
    (cfg.shingle, cfg.threshold)
}

#[pymodule]
fn _bodo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("BodoError", py.get_type::<BodoError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("OptionError", py.get_type::<OptionError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DICTIONARY", bodo::morph::DICTIONARY)?;
    m.add_class::<TemplateCounter>()?;
    m.add_class::<LearnedTemplates>()?;
    for f in [
        wrap_pyfunction!(run, m)?,
        wrap_pyfunction!(tokenize, m)?,
        wrap_pyfunction!(nouns, m)?,
        wrap_pyfunction!(entities, m)?,
        wrap_pyfunction!(normalise, m)?,
        wrap_pyfunction!(signatures, m)?,
        wrap_pyfunction!(candidates, m)?,
        wrap_pyfunction!(candidate_keys, m)?,
        wrap_pyfunction!(bucket_pairs, m)?,
        wrap_pyfunction!(verify, m)?,
        wrap_pyfunction!(clusters, m)?,
        wrap_pyfunction!(analyse_batch, m)?,
        wrap_pyfunction!(read, m)?,
        wrap_pyfunction!(dedup_defaults, m)?,
        wrap_pyfunction!(learned_chars, m)?,
        wrap_pyfunction!(template_keys, m)?,
        wrap_pyfunction!(learned_keys, m)?,
        wrap_pyfunction!(copy_pairs, m)?,
        wrap_pyfunction!(copy_pair_rows, m)?,
        wrap_pyfunction!(tables, m)?,
        wrap_pyfunction!(write, m)?,
        wrap_pyfunction!(check_options, m)?,
        wrap_pyfunction!(relevance_parts, m)?,
        wrap_pyfunction!(centroid, m)?,
        wrap_pyfunction!(relevance_scores, m)?,
        wrap_pyfunction!(typical_ranks, m)?,
        wrap_pyfunction!(relevance_cutoff, m)?,
        wrap_pyfunction!(topic_keywords, m)?,
        wrap_pyfunction!(topic_query, m)?,
        wrap_pyfunction!(story_parts, m)?,
        wrap_pyfunction!(cooccurrence_nodes, m)?,
        wrap_pyfunction!(story_pairs, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}

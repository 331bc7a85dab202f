//! Morphology: Korean morphemes and keyword nouns — MeCab-ko's analysis, over lindera's ko-dic.
//!
//! Takes normalised text; gives [`Morpheme`]s (every morpheme with its ko-dic features, for
//! `bodo tokenize`) or keyword [`Noun`]s (for the keyword stage).
//!
//! Each line is a sentence, analysed as MeCab-ko analyses it with the same mecab-ko-dic 2.1.1
//! (embedded by lindera-ko-dic): the words on both sides of a space connect directly (lindera's
//! own lattice keeps a space as a node that cuts the context), with mecab-ko's left-space
//! penalty, unknown words tried at every position and equal costs broken in MeCab's order. The
//! stages: a line is cut into units at spaces (`sentence.rs`); each unit's lattice is built from
//! lindera's dictionary parts (`lattice.rs`) either in its context or, for a unit met often
//! ([`TABULATE_AT`]), as a table over every context, kept in a shared cache (`cache.rs`); a
//! Viterbi over the units joins them. Why lindera stays the dictionary and this lattice is bodo's own, and how exact it
//! is, is in `docs/morphology.md`.
//!
//! The dictionary is loaded once ([`Morphology::load`]) and shared with the cache; each thread
//! analyses with its own [`Worker`] (lattice buffers are per thread).
//!
//! The noun rule, applied to each whitespace-separated word (eojeol):
//! - a keyword part is a morpheme tagged NNG (common noun), NNP (proper noun), SL (foreign
//!   letters: `SK`, `KISA`) or SH (Hanja: `尹`); bound nouns (NNB, NNBC), pronouns, numerals
//!   and numbers are not keywords;
//! - adjacent parts inside one eojeol, with nothing between them, are joined into one compound:
//!   ko-dic splits `판교데이터센터` into 판교/NNP 데이터/NNG 센터/NNG, and the compound is what the
//!   writer meant; `판교 데이터센터` (two eojeols) stays two keywords, `판교` and `데이터센터`.
//!   A derivational noun suffix (XSN) joins the noun it is attached to — `가능성`, `법조계`,
//!   `이원화` are words in their own right — except the suffixes that only inflect (`들` plural,
//!   `적` adjectival, `님`/`씨` honorific), which end it: `이용자들` counts as `이용자`.
//!   `&` between foreign letters joins them (`C&C`, `R&D`, `AT&T`). Anything else (a particle,
//!   punctuation, a number) ends the compound.
//!
//! Guarantees: offsets are byte offsets into the text given, end exclusive, on char boundaries;
//! output depends only on the text (not on the thread, earlier calls or the cache:
//! `tests/morphology_cache.rs` checks cached against uncached analysis).

mod cache;
mod lattice;
mod sentence;

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

use lindera::dictionary::load_dictionary;

use crate::error::{Error, Result};
use crate::record::{Field, Noun};

pub use cache::DEFAULT_BUDGET as DEFAULT_CACHE_BUDGET;
pub use cache::TABULATE_AT;
use cache::{Cache, Found};
use lattice::{Lexicon, Morph, Plain, Scratch, Unit, Way, Word};
use sentence::{Joiner, Units};

/// The dictionary bodo analyses with, as named in manifests.
pub const DICTIONARY: &str = "ko-dic (mecab-ko-dic 2.1.1, embedded in lindera-ko-dic 6.2.0)";

/// The ko-dic tags the noun and entity rules tell apart; every other tag is [`Tag::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// Common noun.
    Nng,
    /// Proper noun.
    Nnp,
    /// Bound noun (`씨`, `것`, `수`).
    Nnb,
    /// Foreign letters (`SK`, `KISA`).
    Sl,
    /// Hanja (`尹`).
    Sh,
    /// Number.
    Sn,
    /// Noun-deriving suffix (`성`, `들`).
    Xsn,
    /// Prefix (`최` in `최모`, `제`).
    Xpn,
    /// `&` (other symbols are [`Tag::Other`]).
    Ampersand,
    /// Any particle (JKS, JKO, JX, JC …).
    Particle,
    Other,
}

impl Tag {
    fn of(tag: &str, surface: &str) -> Tag {
        match tag {
            "NNG" => Tag::Nng,
            "NNP" => Tag::Nnp,
            "NNB" | "NNBC" => Tag::Nnb,
            "SL" => Tag::Sl,
            "SH" => Tag::Sh,
            "SN" => Tag::Sn,
            "XSN" => Tag::Xsn,
            "XPN" => Tag::Xpn,
            "SY" if surface == "&" => Tag::Ampersand,
            _ if tag.starts_with('J') => Tag::Particle,
            _ => Tag::Other,
        }
    }

    /// The ko-dic name, as keywords.csv's `pos` shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::Nng => "NNG",
            Tag::Nnp => "NNP",
            Tag::Nnb => "NNB",
            Tag::Sl => "SL",
            Tag::Sh => "SH",
            Tag::Sn => "SN",
            Tag::Xsn => "XSN",
            Tag::Xpn => "XPN",
            Tag::Ampersand => "SY",
            Tag::Particle => "J",
            Tag::Other => "*",
        }
    }
}

/// ko-dic's semantic class of a proper noun: evidence for a person or a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    None,
    /// `인명`
    Person,
    /// `지명`
    Place,
}

/// One morpheme as the noun and entity rules read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offsets into the analysed text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub tag: Tag,
    pub class: Class,
}

/// Noun suffixes that inflect rather than derive a new word: they end a keyword.
const INFLECTING_SUFFIXES: [&str; 5] = ["들", "적", "님", "씨", "께"];

/// How a morpheme takes part in a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Starts or continues a keyword.
    Noun,
    /// A derivational suffix: continues a keyword, never starts one.
    Suffix,
    /// `&`: continues a keyword only between two foreign-letter parts.
    Ampersand,
    /// Ends any keyword.
    Other,
}

fn part_of(tag: Tag, surface: &str) -> Part {
    match tag {
        Tag::Nng | Tag::Nnp | Tag::Sl | Tag::Sh => Part::Noun,
        Tag::Xsn if !INFLECTING_SUFFIXES.contains(&surface) => Part::Suffix,
        Tag::Ampersand => Part::Ampersand,
        _ => Part::Other,
    }
}

/// The loaded dictionary and the unit cache, shared by all threads.
pub struct Morphology {
    lexicon: Arc<Lexicon>,
    readings: Arc<Readings>,
    cache: Cache,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// How often a unit's analysis came from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Units (eojeols) analysed, cached or not.
    pub units: u64,
    /// Of those, found in the cache.
    pub hits: u64,
}

impl CacheStats {
    pub fn hit_rate(&self) -> f64 {
        if self.units == 0 {
            0.0
        } else {
            self.hits as f64 / self.units as f64
        }
    }
}

impl Morphology {
    /// Loads the embedded ko-dic (a few hundred milliseconds; do it once per run) with a unit
    /// cache of the default budget.
    pub fn load() -> Result<Self> {
        Self::with_cache(DEFAULT_CACHE_BUDGET)
    }

    /// Loads the embedded ko-dic with a unit cache of at most `budget` bytes (0: no cache, every
    /// unit analysed afresh; the output is the same either way).
    pub fn with_cache(budget: usize) -> Result<Self> {
        let dictionary = load_dictionary("embedded://ko-dic")
            .map_err(|e| Error::Dictionary(format!("cannot load embedded ko-dic: {e}")))?;
        let lexicon = Lexicon::new(dictionary)
            .map_err(|e| Error::Dictionary(format!("embedded ko-dic: {e}")))?;
        Ok(Morphology {
            readings: Arc::new(Readings::new(&lexicon)),
            lexicon: Arc::new(lexicon),
            cache: Cache::new(budget, TABULATE_AT),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        })
    }

    /// Another analyser over the same dictionary (not loaded again) with an empty cache of at
    /// most `budget` bytes.
    pub fn sharing(&self, budget: usize) -> Morphology {
        Morphology {
            lexicon: Arc::clone(&self.lexicon),
            readings: Arc::clone(&self.readings),
            cache: Cache::new(budget, TABULATE_AT),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The same analyser with an empty cache that tabulates a unit at its `meeting`-th meeting
    /// (at least the 2nd) instead of [`TABULATE_AT`]: for tests and benchmarks of the cache.
    pub fn tabulating_at(self, meeting: u8) -> Morphology {
        let budget = self.cache.budget();
        Morphology {
            cache: Cache::new(budget, meeting),
            ..self
        }
    }

    /// A per-thread analyser.
    pub fn worker(&self) -> Worker<'_> {
        Worker {
            morphology: self,
            scratch: Scratch::default(),
            joiner: Joiner::default(),
            hits: 0,
            misses: 0,
        }
    }

    /// Empties the unit cache (the analysis stays the same, only slower) and frees its memory in
    /// the background: for when a run's analysis is done.
    pub fn release_cache(&self) {
        self.cache.release();
    }

    /// Cache use by the workers dropped so far.
    pub fn cache_stats(&self) -> CacheStats {
        let hits = self.hits.load(Ordering::Relaxed);
        CacheStats {
            units: hits + self.misses.load(Ordering::Relaxed),
            hits,
        }
    }
}

/// One morpheme with its ko-dic features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Morpheme {
    pub surface: String,
    /// Byte offsets into the analysed text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// ko-dic's features: tag, semantic class, final consonant, reading, type, first tag, last
    /// tag, expression (`*` where empty), as MeCab-ko prints them.
    pub features: Vec<String>,
}

impl Morpheme {
    pub fn tag(&self) -> &str {
        self.features.first().map_or("*", String::as_str)
    }
}

/// A per-thread analyser: owns the lattice and join buffers.
pub struct Worker<'m> {
    morphology: &'m Morphology,
    scratch: Scratch,
    joiner: Joiner,
    hits: u64,
    misses: u64,
}

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        self.morphology.hits.fetch_add(self.hits, Ordering::Relaxed);
        self.morphology
            .misses
            .fetch_add(self.misses, Ordering::Relaxed);
    }
}

impl Worker<'_> {
    /// Hands every morpheme of `text` to `emit` with byte offsets into `text`; each line is a
    /// sentence of its own.
    fn analyse(&mut self, text: &str, emit: &mut impl FnMut(usize, usize, &Morph)) {
        let Worker {
            morphology,
            scratch,
            joiner,
            hits,
            misses,
        } = self;
        let mut units = Source {
            lexicon: &morphology.lexicon,
            cache: &morphology.cache,
            readings: &morphology.readings,
            scratch,
            hits,
            misses,
        };
        let mut offset = 0;
        for line in text.split('\n') {
            joiner.analyse(units.lexicon, line, &mut units, &mut |start, end, m| {
                emit(offset + start, offset + end, m)
            });
            offset += line.len() + 1;
        }
    }

    /// Every morpheme of `text` with all its features (whitespace is not a morpheme).
    pub fn morphemes(&mut self, text: &str) -> Result<Vec<Morpheme>> {
        let lexicon = &self.morphology.lexicon;
        let mut out = Vec::new();
        self.analyse(text, &mut |start, end, m| {
            out.push(Morpheme {
                surface: text[start..end].to_string(),
                start,
                end,
                features: lexicon.features(m.word).map(str::to_string).collect(),
            })
        });
        Ok(out)
    }

    /// The morphemes of `text` as the noun and entity rules read them, into `out` (cleared).
    pub fn tokens(&mut self, text: &str, out: &mut Vec<Token>) -> Result<()> {
        out.clear();
        self.analyse(text, &mut |start, end, m| {
            out.push(Token {
                start,
                end,
                tag: m.tag,
                class: m.class,
            })
        });
        Ok(())
    }

    /// Appends the keyword nouns of `text` (one field of an article) to `out`.
    pub fn nouns(&mut self, text: &str, field: Field, out: &mut Vec<Noun>) -> Result<()> {
        let mut tokens = Vec::new();
        self.tokens(text, &mut tokens)?;
        nouns(text, &tokens, field, out);
        Ok(())
    }
}

/// Where a worker's units come from: the cache, a new table, or a pass in context.
struct Source<'a> {
    lexicon: &'a Lexicon,
    cache: &'a Cache,
    scratch: &'a mut Scratch,
    readings: &'a Readings,
    hits: &'a mut u64,
    misses: &'a mut u64,
}

impl Units for Source<'_> {
    fn table(&mut self, text: &str) -> Option<Arc<Unit>> {
        if !self.cache.enabled() || text.len() > cache::MAX_KEY_BYTES {
            *self.misses += 1;
            return None;
        }
        let hash = cache::hash(text);
        match self.cache.find(text, hash) {
            Found::Unit(unit) => {
                *self.hits += 1;
                Some(unit)
            }
            Found::Tabulate => {
                *self.misses += 1;
                let (lexicon, readings) = (self.lexicon, self.readings);
                let mut classify =
                    |word: Word, surface: &str| classify(lexicon, readings, word, surface);
                let unit = Arc::new(lexicon.unit(text, self.scratch, &mut classify));
                self.cache.insert(hash, Arc::clone(&unit));
                Some(unit)
            }
            Found::Rare => {
                *self.misses += 1;
                None
            }
        }
    }

    fn forward(&mut self, text: &str, way_in: &mut dyn FnMut(Way) -> i64, plain: &mut Plain) {
        let (lexicon, readings) = (self.lexicon, self.readings);
        let mut classify = |word: Word, surface: &str| classify(lexicon, readings, word, surface);
        lexicon.forward(text, self.scratch, &mut |w| way_in(w), &mut classify, plain)
    }
}

/// Appends the keyword nouns of `text`, given its `tokens`, to `out` (the rule is in the module
/// documentation).
pub fn nouns(text: &str, tokens: &[Token], field: Field, out: &mut Vec<Noun>) {
    let part = |t: &Token| part_of(t.tag, &text[t.start..t.end]);
    let mut i = 0;
    while i < tokens.len() {
        if part(&tokens[i]) != Part::Noun {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < tokens.len() && tokens[j].start == tokens[j - 1].end {
            match part(&tokens[j]) {
                Part::Noun | Part::Suffix => j += 1,
                Part::Ampersand
                    if tokens[j - 1].tag == Tag::Sl
                        && tokens
                            .get(j + 1)
                            .is_some_and(|n| n.tag == Tag::Sl && n.start == tokens[j].end) =>
                {
                    j += 2
                }
                _ => break,
            }
        }
        let group = &tokens[i..j];
        let (start, end) = (group[0].start, group[group.len() - 1].end);
        out.push(Noun {
            text: text[start..end].to_string(),
            pos: group
                .iter()
                .map(|t| t.tag.as_str())
                .collect::<Vec<_>>()
                .join("+"),
            field,
            start,
            end,
        });
        i = j;
    }
}

/// The tag and class of each entry met so far, shared by every worker: reading an entry's
/// features costs far more than the lattice's use of it, and the same few thousand entries
/// recur. A byte per entry: 0 until read, then 1 + the tag's place in [`TAGS`] × 3 + the
/// class's in [`CLASSES`], or [`BY_SURFACE`] for an unknown-word entry whose reading depends
/// on the surface (an unknown entry stands for a character class, so its surface varies).
struct Readings {
    system: Box<[AtomicU8]>,
    unknown: Box<[AtomicU8]>,
}

const TAGS: [Tag; 11] = [
    Tag::Nng,
    Tag::Nnp,
    Tag::Nnb,
    Tag::Sl,
    Tag::Sh,
    Tag::Sn,
    Tag::Xsn,
    Tag::Xpn,
    Tag::Ampersand,
    Tag::Particle,
    Tag::Other,
];
const CLASSES: [Class; 3] = [Class::None, Class::Person, Class::Place];
const BY_SURFACE: u8 = u8::MAX;

impl Readings {
    fn new(lexicon: &Lexicon) -> Readings {
        let slots = |n: usize| (0..n).map(|_| AtomicU8::new(0)).collect();
        Readings {
            system: slots(lexicon.dictionary.prefix_dictionary.word_count()),
            unknown: slots(lexicon.dictionary.unknown_dictionary.costs.len()),
        }
    }
}

/// The tag and class of a morpheme, from its dictionary entry (remembered in `readings`).
fn classify(lexicon: &Lexicon, readings: &Readings, word: Word, surface: &str) -> (Tag, Class) {
    let table = if word.is_unknown() {
        &readings.unknown
    } else {
        &readings.system
    };
    let slot = table.get(word.id());
    match slot.map_or(0, |s| s.load(Ordering::Relaxed)) {
        0 | BY_SURFACE => {}
        known => {
            let k = usize::from(known - 1);
            return (TAGS[k / 3], CLASSES[k % 3]);
        }
    }
    let mut features = lexicon.features(word);
    let raw = features.next().unwrap_or("*");
    let named = features.next().unwrap_or("*");
    let class = match named {
        // ko-dic lists some common words as names too (이용자, 이원화): a name that is also a
        // common noun is no evidence of a person.
        "인명" if !lexicon.has_common_noun(surface) && !COMMON_WORDS.contains(&surface) => {
            Class::Person
        }
        "지명" => Class::Place,
        _ => Class::None,
    };
    let tag = Tag::of(raw, surface);
    if let Some(slot) = slot {
        // A dictionary entry has one surface; an unknown one stands for many, and its reading
        // holds for them all unless the rules above read the surface.
        let known = if word.is_unknown() && (raw == "SY" || named == "인명") {
            BY_SURFACE
        } else {
            let t = TAGS
                .iter()
                .position(|&t| t == tag)
                .expect("every tag listed");
            let c = CLASSES
                .iter()
                .position(|&c| c == class)
                .expect("every class listed");
            1 + (t * 3 + c) as u8
        };
        slot.store(known, Ordering::Relaxed);
    }
    (tag, class)
}

/// Common words ko-dic lists only as names (인명), with no common-noun entry to tell them apart:
/// `데이터센터 이중화` (duplication) read as a person named 이중화; `이용권` (voucher), `보드`
/// (board), `마켓` (market) and `데일리` (daily, in outlet names: `이데일리` is 이/MM 데일리/NNP to
/// MeCab-ko), which MeCab-ko's analysis takes as those names. Found in outage coverage.
const COMMON_WORDS: &[&str] = &["이중화", "이용권", "보드", "마켓", "데일리"];

/// Writes MeCab's output format for `text`: each line analysed on its own, one
/// `surface\tfeature,feature,…` line per morpheme, then `EOS`.
pub fn write_mecab(
    worker: &mut Worker,
    text: &str,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    for line in text.lines() {
        for m in worker.morphemes(line).map_err(std::io::Error::other)? {
            writeln!(out, "{}\t{}", m.surface, m.features.join(","))?;
        }
        writeln!(out, "EOS")?;
    }
    Ok(())
}

/// Writes the keyword nouns of each line of `text`: `keyword\tTAG+TAG` lines, then `EOS`.
pub fn write_nouns(
    worker: &mut Worker,
    text: &str,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut nouns = Vec::new();
    for line in text.lines() {
        nouns.clear();
        worker
            .nouns(line, Field::Body, &mut nouns)
            .map_err(std::io::Error::other)?;
        for n in &nouns {
            writeln!(out, "{}\t{}", n.text, n.pos)?;
        }
        writeln!(out, "EOS")?;
    }
    Ok(())
}

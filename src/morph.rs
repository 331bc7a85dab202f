//! Morphology: Korean morphemes and keyword nouns, with lindera and the embedded ko-dic.
//!
//! Takes normalised text; gives [`Morpheme`]s (every morpheme with its ko-dic features, for
//! `bodo tokenize`) or keyword [`Noun`]s (for the keyword stage).
//!
//! The dictionary is loaded once ([`Morphology::load`]) and shared; each thread segments with its
//! own [`Worker`] (lattice buffers are per thread), so analysis parallelises without locks.
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
//! output depends only on the text (not on the thread or on earlier calls).

use lindera::dictionary::load_dictionary;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera::token::Token as LinderaToken;
use lindera::worker::SegmentWorker;

use crate::error::{Error, Result};
use crate::record::{Field, Noun};

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

/// The loaded dictionary and segmenter, shared by all threads.
pub struct Morphology {
    segmenter: Segmenter,
}

impl Morphology {
    /// Loads the embedded ko-dic (a few hundred milliseconds; do it once per run).
    pub fn load() -> Result<Self> {
        let dictionary = load_dictionary("embedded://ko-dic")
            .map_err(|e| Error::Dictionary(format!("cannot load embedded ko-dic: {e}")))?;
        Ok(Morphology {
            segmenter: Segmenter::new(Mode::Normal, dictionary, None),
        })
    }

    /// A per-thread analyser.
    pub fn worker(&self) -> Worker {
        Worker {
            inner: self.segmenter.new_worker(),
            known: Vec::new(),
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

/// A per-thread analyser: owns the segmenter's lattice buffers.
pub struct Worker {
    inner: SegmentWorker,
    /// (tag, class) per ko-dic entry id, filled as entries are met: reading an entry's features
    /// costs more than segmenting around it, and news reuses a small vocabulary.
    known: Vec<Option<(Tag, Class)>>,
}

impl Worker {
    /// Every morpheme of `text` with all its features (whitespace is not a morpheme).
    pub fn morphemes(&mut self, text: &str) -> Result<Vec<Morpheme>> {
        let tokens = self
            .inner
            .segment(text)
            .map_err(|e| Error::Dictionary(format!("segmentation failed: {e}")))?;
        Ok(tokens
            .into_iter()
            .map(|mut t| Morpheme {
                surface: t.surface.to_string(),
                start: t.byte_start,
                end: t.byte_end,
                features: t.details_iter().map(str::to_string).collect(),
            })
            .collect())
    }

    /// The morphemes of `text` as the noun and entity rules read them, into `out` (cleared).
    pub fn tokens(&mut self, text: &str, out: &mut Vec<Token>) -> Result<()> {
        out.clear();
        let Worker { inner, known } = self;
        let tokens = inner
            .segment(text)
            .map_err(|e| Error::Dictionary(format!("segmentation failed: {e}")))?;
        out.extend(tokens.iter().map(|token| {
            let surface = &text[token.byte_start..token.byte_end];
            let id = token.word_id.id() as usize;
            // Unknown-word entries stand for a character class, so their surface varies.
            let cacheable = token.word_id.is_system();
            let (tag, class) = match known.get(id).copied().flatten() {
                Some(tc) if cacheable => tc,
                _ => {
                    let tc = classify(token, surface);
                    if cacheable {
                        if known.len() <= id {
                            known.resize(id + 1, None);
                        }
                        known[id] = Some(tc);
                    }
                    tc
                }
            };
            Token {
                start: token.byte_start,
                end: token.byte_end,
                tag,
                class,
            }
        }));
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

/// The ko-dic tag and semantic class of a token, read straight from the dictionary entry:
/// `Token::get_detail` would first copy out all eight features, which costs a third of the
/// stage's time on news text.
fn tag_and_class<'a>(token: &LinderaToken<'a>) -> (&'a str, &'a str) {
    let id = token.word_id.id() as usize;
    let mut features = if token.word_id.is_unknown() {
        token.dictionary.unknown_word_details_iter(id)
    } else if token.word_id.is_system() {
        token.dictionary.word_details_iter(id)
    } else {
        // bodo loads no user dictionary, so there are no other entries.
        return ("*", "*");
    };
    let tag = features.next().unwrap_or("*");
    (tag, features.next().unwrap_or("*"))
}

/// The tag and class of a token, from its dictionary entry.
fn classify(token: &LinderaToken, surface: &str) -> (Tag, Class) {
    let (tag, class) = tag_and_class(token);
    let class = match class {
        // ko-dic lists some common words as names too (이용자, 이원화): a name that is also a
        // common noun is no evidence of a person.
        "인명" if !has_common_noun_entry(token, surface) && !COMMON_WORDS.contains(&surface) => {
            Class::Person
        }
        "지명" => Class::Place,
        _ => Class::None,
    };
    (Tag::of(tag, surface), class)
}

/// Common words ko-dic lists only as names (인명), with no common-noun entry to tell them apart:
/// `데이터센터 이중화` (duplication) read as a person named 이중화. Found in outage coverage.
const COMMON_WORDS: &[&str] = &["이중화"];

/// Whether ko-dic also lists `surface` as a common noun (NNG).
fn has_common_noun_entry(token: &LinderaToken, surface: &str) -> bool {
    let dictionary = token.dictionary;
    dictionary
        .prefix_dictionary
        .find_surface_iter(surface)
        .any(|entry| {
            let id = entry.word_id();
            id.is_system() && dictionary.word_details_iter(id.id() as usize).next() == Some("NNG")
        })
}

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

//! A trained sequence tagger for entity spans as KLUE-NER marks them.
//!
//! Takes one field of normalised text, its morphemes and the rule-based evidence (the
//! recogniser's own mentions, every gazetteer hit, the date grammar's spans); gives spans with a
//! KLUE type ([`Kind`]): PS (person), OG (organisation), LC (place), DT (date), TI (time), QT
//! (quantity).
//!
//! The model is a linear-chain CRF over characters (CRFsuite's model, trained and read by the
//! pure-Rust `crfs`), labels `I-` per type and O (IO: a span is a run of one type). Each
//! character's features: the characters around it (unigrams and bigrams in a ±2 window,
//! trigrams where they cross a space), character classes, the morpheme covering it (ko-dic
//! tag, B/I place, its surface when a noun, ko-dic's 인명/지명 class, the tags of its
//! neighbours), where it sits in its eojeol and the eojeol's last characters (its particle), and
//! the evidence as B/I labels: what the rules chose, what the gazetteer knows, what the date
//! grammar matched. The model is trained by `bodo-train-ner` from KLUE-NER's news sentences; the
//! rules are its features, so it learns where KLUE's conventions differ from them (`경찰` is OG,
//! `이날` is DT, `박씨` marks `박`).
//!
//! Guarantees: spans are sorted, do not overlap, lie on char boundaries and depend only on the
//! text, its tokens and the evidence (CRF decoding is exact Viterbi, no randomness).

use super::dates::DateMention;
use super::gazetteer::Hit;
use super::{EntityType, Mention};
use crate::morph::{Class, Tag, Token};

/// KLUE-NER's entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Ps,
    Og,
    Lc,
    Dt,
    Ti,
    Qt,
}

impl Kind {
    pub const ALL: [Kind; 6] = [Kind::Ps, Kind::Og, Kind::Lc, Kind::Dt, Kind::Ti, Kind::Qt];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Ps => "PS",
            Kind::Og => "OG",
            Kind::Lc => "LC",
            Kind::Dt => "DT",
            Kind::Ti => "TI",
            Kind::Qt => "QT",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// bodo's type for the entities KLUE and bodo share.
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            Kind::Ps => Some(EntityType::Per),
            Kind::Og => Some(EntityType::Org),
            Kind::Lc => Some(EntityType::Loc),
            Kind::Dt => Some(EntityType::Date),
            Kind::Ti | Kind::Qt => None,
        }
    }

    /// The code of a rule-based type among the tagger's evidence.
    fn of(t: EntityType) -> u8 {
        t as u8
    }

    /// The date grammar's code among the evidence.
    const DT_EVIDENCE: u8 = 16;
}

/// One tagged span: byte offsets into the text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// Which families of features to compute; all of them in bodo, fewer for the trainer's
/// ablation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    pub chars: bool,
    pub morphemes: bool,
    pub rules: bool,
    pub gazetteer: bool,
    pub dates: bool,
}

impl Features {
    pub const ALL: Features = Features {
        chars: true,
        morphemes: true,
        rules: true,
        gazetteer: true,
        dates: true,
    };
}

/// What the tagger reads besides the text: the rule-based recogniser's evidence.
pub struct Evidence<'a> {
    pub tokens: &'a [Token],
    /// The recogniser's chosen mentions of this field.
    pub mentions: &'a [Mention],
    /// Every gazetteer hit in the text, overlapping ones included.
    pub hits: &'a [Hit<'a>],
    pub dates: &'a [DateMention],
}

fn char_class(c: char) -> u8 {
    match c {
        '가'..='힣' => 1,
        'ㄱ'..='ㆎ' => 2,
        '0'..='9' => 3,
        'a'..='z' => 4,
        'A'..='Z' => 5,
        '\u{4E00}'..='\u{9FFF}' => 6,
        ' ' => 7,
        '(' | ')' | '[' | ']' | '<' | '>' | '「' | '」' | '《' | '》' | '〈' | '〉' => 8,
        '\'' | '"' | '‘' | '’' | '“' | '”' => 9,
        '.' | ',' | '?' | '!' | '·' | '…' => 10,
        _ => 11,
    }
}

/// Marks each character of `[start, end)` (character indexes) with (begins, `x`) in `marks`.
fn mark(marks: &mut [Option<(bool, u8)>], start: usize, end: usize, x: u8) {
    for (i, m) in marks.iter_mut().enumerate().take(end).skip(start) {
        if m.is_none() {
            *m = Some((i == start, x));
        }
    }
}

/// Feature templates: a feature is a template and its values, hashed ([`feature`]).
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
enum T {
    Bias = 1,
    Char,
    Class,
    Bigram,
    Trigram,
    EojeolPlace,
    EojeolLast,
    EojeolLast2,
    Word,
    MorphTag,
    MorphTagPlace,
    MorphClass,
    Morph,
    TagBefore,
    TagAfter,
    TagPair,
    Rule,
    RuleBefore,
    RuleAfter,
    Gazetteer,
    Date,
}

/// One feature's identity: its template and values, mixed (FxHash's multiply-rotate); the
/// trainer and the tagger compute the same numbers, and the model is keyed by them.
fn feature(template: T, values: &[u64]) -> u64 {
    values
        .iter()
        .fold(mix(0, template as u64), |h, &v| mix(h, v))
}

fn text_hash(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

/// Each character's features (one list per character of `text`), for training.
pub fn features(text: &str, evidence: &Evidence, which: Features) -> Vec<Vec<u64>> {
    let mut described = Described::default();
    described.describe(text, evidence, which);
    (0..described.chars.len())
        .map(|i| described.list(i, which))
        .collect()
}

/// The features of a character that depend only on the five characters around it (`u32::MAX`
/// past either end of the text): the characters, their classes, bigrams and trigrams.
fn window_features(window: [u32; 5], mut put: impl FnMut(u64)) {
    for d in -2..=2isize {
        unigram_features(d, window[(d + 2) as usize], &mut put);
    }
    for d in -2..=1isize {
        let k = (d + 2) as usize;
        put(bigram_feature(d, [window[k], window[k + 1]]));
    }
    for d in -2..=0isize {
        let k = (d + 2) as usize;
        let t = [window[k], window[k + 1], window[k + 2]];
        if trigram_kept(t) {
            put(trigram_feature(d, t));
        }
    }
}

/// Whether a trigram is a feature: only where it crosses a space or an end of the text.
/// Inside an eojeol the bigrams and the eojeol's own features (its last characters, the word)
/// carry the same evidence at equal cross-validated F1, and a trigram at every character was
/// a lookup per character in a table larger than a core's cache.
fn trigram_kept(t: [u32; 3]) -> bool {
    t.into_iter().any(breaks_words)
}

/// Whether a window's character (`u32::MAX` past either end) is a space or an end of the text.
#[inline]
fn breaks_words(c: u32) -> bool {
    char::from_u32(c).is_none_or(char::is_whitespace)
}

/// The features of character `c` seen at offset `d` in a window: the character and its class.
fn unigram_features(d: isize, c: u32, mut put: impl FnMut(u64)) {
    let class = char::from_u32(c).map_or(u64::MAX, |c| char_class(c) as u64);
    put(feature(T::Char, &[d as u64, u64::from(c)]));
    put(feature(T::Class, &[d as u64, class]));
}

/// The low bits of a feature's key where an n-gram feature keeps its offset (plus 2): the
/// features of one n-gram at every offset share the rest of the key, their *base*, and the
/// model keeps them together ([`Table`]), so the tagger looks an n-gram up once, not once per
/// offset. Other features share their base too (their low bits are hash bits); an n-gram
/// lookup takes every pair of its base, so one of them sharing an n-gram's base would weigh as
/// that n-gram's: the odds are those of two 61-bit hashes meeting, about 10⁻⁹ for the shipped
/// model's 37k bases.
const OFFSET_BITS: u64 = 0b111;

/// A key's base: the key without its offset bits.
#[inline]
fn base(h: u64) -> u64 {
    h & !OFFSET_BITS
}

/// The feature of an n-gram (its base) at offset `d`.
fn at_offset(base: u64, d: isize) -> u64 {
    base | (d + 2) as u64
}

fn bigram_base([a, b]: [u32; 2]) -> u64 {
    base(feature(T::Bigram, &[u64::from(a), u64::from(b)]))
}

fn trigram_base([a, b, c]: [u32; 3]) -> u64 {
    base(feature(
        T::Trigram,
        &[u64::from(a), u64::from(b), u64::from(c)],
    ))
}

fn bigram_feature(d: isize, b: [u32; 2]) -> u64 {
    at_offset(bigram_base(b), d)
}

fn trigram_feature(d: isize, t: [u32; 3]) -> u64 {
    at_offset(trigram_base(t), d)
}

/// A character's features that take few distinct values: the bias, its place in its eojeol,
/// its morpheme's tag and place, and the evidence labels at and around it. `None`: the family
/// is off, or the character is in no eojeol (a space) or no morpheme.
#[derive(Debug, Clone, Copy, Default)]
struct Local {
    bias: bool,
    place: Option<u8>,
    /// (ko-dic tag, first character of the morpheme)
    morph: Option<(u8, bool)>,
    /// The rules' label here, before and after.
    rules: Option<[u8; 3]>,
    gazetteer: Option<u8>,
    date: Option<u8>,
}

impl Local {
    /// One number per distinct value (the tagger's memo key): labels and tags are below 256.
    fn key(self) -> u64 {
        let opt = |o: Option<u8>| o.map_or(0, |x| u64::from(x) + 1);
        let morph = self.morph.map_or(0, |(tag, first)| {
            1 | u64::from(first) << 1 | u64::from(tag) << 2
        });
        let rules = self.rules.map_or(0, |[a, b, c]| {
            1 | u64::from(a) << 1 | u64::from(b) << 9 | u64::from(c) << 17
        });
        u64::from(self.bias)
            | opt(self.place) << 1
            | morph << 3
            | rules << 13
            | opt(self.gazetteer) << 38
            | opt(self.date) << 47
    }

    fn bias(self, mut put: impl FnMut(u64)) {
        if self.bias {
            put(feature(T::Bias, &[]));
        }
    }

    fn place(self, mut put: impl FnMut(u64)) {
        if let Some(place) = self.place {
            put(feature(T::EojeolPlace, &[u64::from(place)]));
        }
    }

    fn morph(self, mut put: impl FnMut(u64)) {
        if let Some((tag, first)) = self.morph {
            put(feature(T::MorphTag, &[u64::from(tag)]));
            put(feature(
                T::MorphTagPlace,
                &[u64::from(tag), u64::from(first)],
            ));
        }
    }

    fn evidence(self, mut put: impl FnMut(u64)) {
        if let Some([here, before, after]) = self.rules {
            put(feature(T::Rule, &[u64::from(here)]));
            put(feature(T::RuleBefore, &[u64::from(before)]));
            put(feature(T::RuleAfter, &[u64::from(after)]));
        }
        if let Some(x) = self.gazetteer {
            put(feature(T::Gazetteer, &[u64::from(x)]));
        }
        if let Some(x) = self.date {
            put(feature(T::Date, &[u64::from(x)]));
        }
    }

    fn each(self, mut put: impl FnMut(u64)) {
        self.bias(&mut put);
        self.place(&mut put);
        self.morph(&mut put);
        self.evidence(&mut put);
    }
}

/// An eojeol or a morpheme: the features all its characters share are made from its recipe.
#[derive(Clone, Copy)]
struct Group {
    /// The values the features are made from, mixed (not a feature): equal features, equal
    /// keys; unequal ones share a key with the odds of two features sharing a hash, which the
    /// model already takes.
    key: u64,
    recipe: Recipe,
}

#[derive(Clone, Copy)]
enum Recipe {
    /// Characters `start..end`, whose text hashes to `hash` (0 past six characters: not a
    /// feature).
    Eojeol { start: u32, end: u32, hash: u64 },
    /// ko-dic's class (0: none, 1: 인명, 2: 지명), the surface's hash when a noun, and the
    /// tags before, of and after the morpheme.
    Morpheme {
        class: u64,
        surface: Option<u64>,
        tags: [u64; 3],
    },
}

/// Seeds of the two kinds of [`Group::key`].
const EOJEOL_KEY: u64 = 1;
const MORPHEME_KEY: u64 = 2;

/// Mixes `v` into `h` (FxHash's multiply-rotate, as [`feature`]).
fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// No group: a character in no eojeol or no morpheme.
const NO_GROUP: u32 = u32::MAX;

/// A text as the features see it: its characters (the windows), each character's
/// few-valued features ([`Local`]) and the features all characters of an eojeol or of a
/// morpheme share. [`features`] lists them per character; [`Model::tag_text`] scores each
/// distinct part once. Kept between texts by the tagger (no allocation per text).
#[derive(Default)]
struct Described {
    chars: Vec<u32>,
    local: Vec<Local>,
    /// Per character: its eojeol's and its morpheme's group ([`NO_GROUP`]: none).
    group_of: Vec<[u32; 2]>,
    /// The eojeols and morphemes: what their features are made from, and a key that is
    /// equal only where the features are ([`Group::key`]).
    groups: Vec<Group>,
    /// Each character's byte offset.
    bytes: Vec<usize>,
    // Working arrays.
    token_of: Vec<usize>,
    eojeol: Vec<(usize, usize)>,
    rules: Vec<Option<(bool, u8)>>,
    gazetteer: Vec<Option<(bool, u8)>>,
    dates: Vec<Option<(bool, u8)>>,
}

impl Described {
    fn describe(&mut self, text: &str, evidence: &Evidence, which: Features) {
        let Described {
            chars,
            local,
            group_of,
            groups,
            bytes,
            token_of,
            eojeol,
            rules,
            gazetteer,
            dates,
        } = self;
        chars.clear();
        bytes.clear();
        for (b, c) in text.char_indices() {
            bytes.push(b);
            chars.push(c as u32);
        }
        let n = chars.len();
        // Byte offset (a char boundary, or the end) → character index.
        let index = |b: usize| bytes.partition_point(|&x| x < b);
        let is_space = |c: u32| char::from_u32(c).is_some_and(char::is_whitespace);

        // Morpheme per character.
        token_of.clear();
        token_of.resize(n, usize::MAX);
        // Tokens are in order: their characters are found walking forward.
        let mut i = 0;
        for (k, t) in evidence.tokens.iter().enumerate() {
            if bytes.get(i).is_some_and(|&b| b > t.start) {
                i = index(t.start);
            }
            while bytes.get(i).is_some_and(|&b| b < t.start) {
                i += 1;
            }
            while bytes.get(i).is_some_and(|&b| b < t.end) {
                token_of[i] = k;
                i += 1;
            }
        }
        // Eojeols: runs of non-space characters.
        eojeol.clear();
        eojeol.resize(n, (0, 0));
        let mut i = 0;
        while i < n {
            if is_space(chars[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < n && !is_space(chars[i]) {
                i += 1;
            }
            eojeol[start..i].fill((start, i));
        }
        for marks in [&mut *rules, &mut *gazetteer, &mut *dates] {
            marks.clear();
            marks.resize(n, None);
        }
        for m in evidence.mentions {
            mark(rules, index(m.start), index(m.end), Kind::of(m.kind));
        }
        if which.gazetteer {
            for hit in evidence.hits {
                mark(
                    gazetteer,
                    index(hit.start),
                    index(hit.end),
                    Kind::of(hit.entry.kind),
                );
            }
        }
        for d in evidence.dates {
            mark(dates, index(d.start), index(d.end), Kind::DT_EVIDENCE);
        }
        let label = |m: Option<(bool, u8)>| match m {
            Some((begin, x)) => 1 + u8::from(begin) + 2 * x,
            None => 0,
        };
        let tag = |k: usize| evidence.tokens.get(k).map_or(u64::MAX, |t| t.tag as u64);

        local.clear();
        group_of.clear();
        groups.clear();
        let close = |groups: &mut Vec<Group>, group: Group| {
            groups.push(group);
            (groups.len() - 1) as u32
        };
        let (mut word, mut morpheme) = ((usize::MAX, NO_GROUP), (usize::MAX, NO_GROUP));
        for i in 0..n {
            let mut here = Local {
                bias: which.chars,
                ..Local::default()
            };
            let mut of = [NO_GROUP; 2];
            let (a, b) = eojeol[i];
            if which.chars && b > a {
                here.place = Some(if i == a {
                    0
                } else if i + 1 == b {
                    1
                } else {
                    2
                });
                if word.0 != a {
                    let (from, to) = (bytes[a], bytes.get(b).copied().unwrap_or(text.len()));
                    // The word itself is a feature of short eojeols only: a long one is
                    // keyed by its last characters, so that its features are shared.
                    let hash = if b - a <= 6 {
                        text_hash(&text[from..to])
                    } else {
                        0
                    };
                    let last = |k: usize| chars.get(b.wrapping_sub(k)).copied().unwrap_or(u32::MAX);
                    let group = Group {
                        key: [hash, u64::from(last(1)), u64::from(last(2))]
                            .into_iter()
                            .fold(EOJEOL_KEY, mix),
                        recipe: Recipe::Eojeol {
                            start: a as u32,
                            end: b as u32,
                            hash,
                        },
                    };
                    word = (a, close(groups, group));
                }
                of[0] = word.1;
            }
            let k = token_of[i];
            if which.morphemes && k != usize::MAX {
                let t = evidence.tokens[k];
                let own = t.tag as u64;
                here.morph = Some((t.tag as u8, bytes[i] == t.start));
                if morpheme.0 != k {
                    let before = k.checked_sub(1).map_or(u64::MAX - 1, tag);
                    let after = tag(k + 1);
                    let surface = matches!(t.tag, Tag::Nnp | Tag::Nng | Tag::Nnb | Tag::Sl)
                        .then(|| text_hash(&text[t.start..t.end]));
                    let class = match t.class {
                        Class::Person => 1,
                        Class::Place => 2,
                        Class::None => 0,
                    };
                    let key = [surface.map_or(0, |h| h | 1), class, before, own, after]
                        .into_iter()
                        .fold(MORPHEME_KEY, mix);
                    let group = Group {
                        key,
                        recipe: Recipe::Morpheme {
                            class,
                            surface,
                            tags: [before, own, after],
                        },
                    };
                    morpheme = (k, close(groups, group));
                }
                of[1] = morpheme.1;
            }
            if which.rules {
                let before = if i > 0 { rules[i - 1] } else { None };
                let after = rules.get(i + 1).copied().flatten();
                here.rules = Some([label(rules[i]), label(before), label(after)]);
            }
            if which.gazetteer {
                here.gazetteer = Some(label(gazetteer[i]));
            }
            if which.dates {
                here.date = Some(label(dates[i]));
            }
            local.push(here);
            group_of.push(of);
        }
    }

    /// Character `i`'s window: the characters from two before to two after (`u32::MAX` past
    /// either end).
    fn window(&self, i: usize) -> [u32; 5] {
        std::array::from_fn(|k| {
            (i + k)
                .checked_sub(2)
                .and_then(|j| self.chars.get(j))
                .copied()
                .unwrap_or(u32::MAX)
        })
    }

    /// Group `g`'s features (none for [`NO_GROUP`]).
    fn group(&self, g: u32, mut put: impl FnMut(u64)) {
        let Some(group) = self.groups.get(g as usize) else {
            return;
        };
        match group.recipe {
            Recipe::Eojeol { start, end, hash } => {
                let (a, b) = (start as usize, end as usize);
                let at = |i: usize| u64::from(self.chars[i]);
                put(feature(T::EojeolLast, &[at(b - 1)]));
                if b - a >= 2 {
                    put(feature(T::EojeolLast2, &[at(b - 2), at(b - 1)]));
                }
                if b - a <= 6 {
                    put(feature(T::Word, &[hash]));
                }
            }
            Recipe::Morpheme {
                class,
                surface,
                tags: [before, own, after],
            } => {
                if class != 0 {
                    put(feature(T::MorphClass, &[class]));
                }
                if let Some(surface) = surface {
                    put(feature(T::Morph, &[surface]));
                }
                put(feature(T::TagBefore, &[before]));
                put(feature(T::TagAfter, &[after]));
                put(feature(T::TagPair, &[0, before, own]));
                put(feature(T::TagPair, &[1, own, after]));
            }
        }
    }

    /// Character `i`'s features in the order the model was trained with.
    fn list(&self, i: usize, which: Features) -> Vec<u64> {
        let mut out = Vec::new();
        let here = self.local[i];
        let [word, morpheme] = self.group_of[i];
        here.bias(|h| out.push(h));
        if which.chars {
            window_features(self.window(i), |h| out.push(h));
        }
        here.place(|h| out.push(h));
        self.group(word, |h| out.push(h));
        here.morph(|h| out.push(h));
        self.group(morpheme, |h| out.push(h));
        here.evidence(|h| out.push(h));
        out
    }
}

/// The label sequence's spans (characters of `text` → byte offsets). An `I-` after `O` or
/// another type starts a span, as CRFsuite's users read BIO.
pub fn spans(text: &str, labels: &[impl AsRef<str>]) -> Vec<Span> {
    let starts = char_starts(text);
    spans_of(text, &starts, labels.iter().map(|l| read_label(l.as_ref())))
}

/// Each character's byte offset in `text`.
fn char_starts(text: &str) -> Vec<usize> {
    text.char_indices().map(|(b, _)| b).collect()
}

/// A label's (begins a span, type): `B-PS` → (true, PS), `O` → (false, none).
fn read_label(label: &str) -> (bool, Option<Kind>) {
    match label.split_once('-') {
        Some((p, k)) => (p == "B", Kind::parse(k)),
        None => (false, None),
    }
}

/// [`spans`] of labels already read ([`read_label`]), one per character of `text`, whose byte
/// offsets `starts` holds.
fn spans_of(
    text: &str,
    starts: &[usize],
    labels: impl ExactSizeIterator<Item = (bool, Option<Kind>)>,
) -> Vec<Span> {
    let end = text.len();
    let offset = |i: usize| starts.get(i).copied().unwrap_or(end);
    let mut out: Vec<Span> = Vec::new();
    let mut open: Option<(usize, Kind)> = None;
    for (i, (begin, kind)) in labels.enumerate() {
        let continues = matches!((open, kind), (Some((_, a)), Some(b)) if a == b && !begin);
        if !continues {
            if let Some((start, k)) = open.take() {
                out.push(Span {
                    start: offset(start),
                    end: offset(i),
                    kind: k,
                });
            }
            if let Some(k) = kind {
                open = Some((i, k));
            }
        }
    }
    if let Some((start, k)) = open {
        out.push(Span {
            start: offset(start),
            end,
            kind: k,
        });
    }
    // A span never ends in a space: KLUE's spans are trimmed.
    for s in &mut out {
        let trimmed = text[s.start..s.end].trim_end();
        s.end = s.start + trimmed.len();
    }
    out.retain(|s| s.end > s.start);
    out
}

/// IO labels of gold spans given in characters, for training: `I-` and the type on each
/// character of a span, `O` elsewhere. Two spans of one type that touch (`한`·`미` as two
/// OG in `한미`, 13 of half A's 5,039 spans) read back as one: the price of a row of label
/// scores in one register ([`MAX_LABELS`]).
pub fn labels(n: usize, gold: &[(usize, usize, Kind)]) -> Vec<String> {
    let mut out = vec!["O".to_string(); n];
    for &(start, end, kind) in gold {
        for slot in out.iter_mut().take(end.min(n)).skip(start) {
            *slot = format!("I-{}", kind.as_str());
        }
    }
    out
}

/// A trained model: a weight per (feature, label) and per pair of labels in a row.
///
/// Stored as bodo's own compact file (`data/ner-klue.bin`, written by `bodo-train-ner` from the
/// CRFsuite model it trains): the magic line, the labels, the transition weights, then the
/// feature weights keyed by the features' hashes, all little-endian.
pub struct Model {
    /// `O`, and `B-`/`I-` per [`Kind`].
    names: Vec<String>,
    /// Each label read once ([`read_label`]), for decoding.
    read: Vec<(bool, Option<Kind>)>,
    /// `transitions[from * labels + to]`.
    transitions: Vec<f32>,
    /// The same as rows: `from_rows[from][to]` (lanes past the labels 0).
    from_rows: Vec<Row>,
    /// The feature weights ([`Table`]).
    table: Table,
    /// A Bloom filter of the features in `table` ([`FILTER_WORDS`]): most features a text
    /// has (its n-grams) are not in the model, and the filter says so from a core's cache.
    filter: Vec<u64>,
}

/// The weights of the features that share a base ([`base`]): the base and up to
/// [`INLINE`] (code, weight) pairs, a code being a feature's offset bits and label
/// (`offset << 4 | label`), so that looking an n-gram up reads one cache line; more pairs are
/// in [`Table::more`].
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct Entry {
    key: u64,
    weights: [f32; INLINE],
    codes: [u8; INLINE],
    /// How many pairs; 0: an empty slot.
    count: u8,
    /// Past [`INLINE`] pairs: where they all are in [`Table::more`].
    more: u32,
}

/// Pairs an [`Entry`] holds itself (it fills a 64-byte cache line).
const INLINE: usize = 10;

/// A pair's code: the feature's offset bits and its label.
fn code(h: u64, label: u8) -> u8 {
    ((h & OFFSET_BITS) as u8) << 4 | label
}

/// The feature weights by base, open-addressed (linear probing from the slot of the key's
/// high bits), about three quarters full.
#[derive(Default)]
struct Table {
    entries: Vec<Entry>,
    more: Vec<(u8, f32)>,
}

impl Table {
    /// From the (code, weight) pairs grouped by base (each base once, at least one pair).
    fn new(bases: &[(u64, Vec<(u8, f32)>)]) -> Table {
        let len = (bases.len() * 4 / 3).max(1);
        let mut table = Table {
            entries: vec![Entry::default(); len],
            more: Vec::new(),
        };
        for (key, pairs) in bases {
            let mut i = table.slot(*key);
            while table.entries[i].count != 0 {
                i = if i + 1 == len { 0 } else { i + 1 };
            }
            let e = &mut table.entries[i];
            e.key = *key;
            e.count = pairs.len() as u8;
            if pairs.len() <= INLINE {
                for (k, &(code, w)) in pairs.iter().enumerate() {
                    e.codes[k] = code;
                    e.weights[k] = w;
                }
            } else {
                e.more = table.more.len() as u32;
                table.more.extend_from_slice(pairs);
            }
        }
        table
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (((key >> 32) * self.entries.len() as u64) >> 32) as usize
    }

    #[inline]
    fn get(&self, key: u64) -> Option<&Entry> {
        let len = self.entries.len();
        let mut i = self.slot(key);
        loop {
            let e = &self.entries[i];
            if e.count == 0 {
                return None;
            }
            if e.key == key {
                return Some(e);
            }
            i = if i + 1 == len { 0 } else { i + 1 };
        }
    }

    /// An entry's (code, weight) pairs, in code order.
    #[inline]
    fn pairs<'a>(&'a self, e: &'a Entry) -> impl Iterator<Item = (u8, f32)> + 'a {
        let (inline, more) = if e.count as usize <= INLINE {
            (e.count as usize, &[][..])
        } else {
            (0, &self.more[e.more as usize..][..e.count as usize])
        };
        (0..inline)
            .map(|k| (e.codes[k], e.weights[k]))
            .chain(more.iter().copied())
    }

    /// Starts loading `key`'s first slot, so that a [`Table::get`] soon after finds it in the
    /// cache.
    #[inline]
    fn touch(&self, key: u64) {
        prefetch(&self.entries[self.slot(key)]);
    }

    fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.count != 0)
    }
}

/// Starts loading `x` into the cache: a prefetch, which nothing waits for (a plain load would
/// stall the loop on it).
#[inline]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let p: *const T = x;
        // SAFETY: a prefetch reads nothing and cannot fault; `p` comes from a reference.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// The Bloom filter's size in 64-bit words (128 KB): two bits per feature, in one word.
const FILTER_WORDS: usize = 1 << 14;

/// A feature's word and bits in the filter (from its hash's high bits, the well-mixed ones).
#[inline]
fn filter_bits(h: u64) -> (usize, u64) {
    let word = (h >> 50) as usize & (FILTER_WORDS - 1);
    (word, 1 << ((h >> 44) & 63) | 1 << ((h >> 38) & 63))
}

/// The model file's first line. Version 3: one label per type (IO, at most [`MAX_LABELS`]);
/// version 2 had B-/I- labels (13, too many for a row), version 1 hashed the n-grams' offsets
/// into their keys.
const MAGIC: &[u8] = b"bodo-ner-crf 3\n";

/// Labels a model may have; a row of label scores is this wide: one AVX2 register (the unused
/// lanes stay 0). `O` and one label per [`Kind`] fit; B-/I- pairs would need two registers for
/// every row added and twice the Viterbi work, for the 0.3 % of KLUE's spans that touch
/// another of the same type.
const MAX_LABELS: usize = 8;

/// One character's (or one feature group's) label scores.
type Row = [f32; MAX_LABELS];

/// [`Local`] values whose summed weights a thread keeps (a few hundred distinct: tags, places,
/// evidence labels), direct-mapped.
const MEMO_SLOTS: usize = 1 << 12;

/// How many groups ahead the tagger starts loading a group's memo slot.
const GROUPS_AHEAD: usize = 6;

/// Distinct eojeols and morphemes in context whose summed weights a thread keeps,
/// direct-mapped: news repeats most of them.
const GROUP_SLOTS: usize = 1 << 13;

/// Characters (of the Basic Multilingual Plane) and the weights their window features give
/// at each of the five offsets, kept per thread: a character's features are looked up in the
/// model once, not in each of the five windows that see it.
#[derive(Default)]
struct Unigrams {
    /// Per character (the last slot: past an end of the text): `start << 5 | offsets`, the
    /// rows of the offsets with weights (bit `k`: offset `k - 2`) being `rows[start..]`;
    /// `u32::MAX`: not met yet.
    kept: Vec<u32>,
    rows: Vec<Row>,
}

impl Unigrams {
    /// Character `c`'s rows and which offsets they are, computed by `weights` (offset, row →
    /// has weights) when met first; `None` past the Basic Multilingual Plane (not kept).
    fn get(
        &mut self,
        c: u32,
        mut weights: impl FnMut(isize, &mut Row) -> bool,
    ) -> Option<(&[Row], u32)> {
        let slot = if c == u32::MAX {
            0x1_0000
        } else if c < 0x1_0000 {
            c as usize
        } else {
            return None;
        };
        if self.kept.is_empty() {
            self.kept = vec![u32::MAX; 0x1_0001];
        }
        if self.kept[slot] == u32::MAX {
            let start = self.rows.len();
            let mut offsets = 0;
            for k in 0..5 {
                let mut row = [0.0; MAX_LABELS];
                if weights(k as isize - 2, &mut row) {
                    self.rows.push(row);
                    offsets |= 1 << k;
                }
            }
            self.kept[slot] = (start as u32) << 5 | offsets;
        }
        let at = self.kept[slot];
        Some((&self.rows[(at >> 5) as usize..], at & 31))
    }
}

/// Summed weights kept by key, direct-mapped: a slot holds the last key that hashed to it.
#[derive(Default)]
struct Memo {
    /// (key, its summed weights); a key of `u64::MAX`: empty.
    slots: Vec<(u64, Row)>,
}

impl Memo {
    fn new(slots: usize) -> Memo {
        debug_assert!(slots.is_power_of_two());
        Memo {
            slots: vec![(u64::MAX, [0.0; MAX_LABELS]); slots],
        }
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & (self.slots.len() - 1)
    }

    /// Starts loading `key`'s slot, so that a [`Memo::get`] soon after finds it in the cache.
    #[inline]
    fn touch(&self, key: u64) {
        prefetch(&self.slots[self.slot(key)]);
    }

    /// The row of `key` (not `u64::MAX`), summed by `sum` when not kept.
    #[inline]
    fn get(&mut self, key: u64, sum: impl FnOnce(&mut Row)) -> &Row {
        let at = self.slot(key);
        let slot = &mut self.slots[at];
        if slot.0 != key {
            *slot = (key, [0.0; MAX_LABELS]);
            sum(&mut slot.1);
        }
        &slot.1
    }
}

/// A thread's working memory for [`Model::tag_text`], for one model.
#[derive(Default)]
struct Scratch {
    model: usize,
    described: Described,
    unigrams: Unigrams,
    /// Rows by [`Local::key`].
    memo: Memo,
    /// Rows of eojeols' and morphemes' shared features, by [`Group::key`].
    group_memo: Memo,
    /// Each character's label scores.
    state: Vec<Row>,
    /// Bigrams and trigrams the model may have (their bases) and where they start.
    candidates: Vec<(u64, i32)>,
    viterbi: Viterbi,
}

impl Scratch {
    fn for_model(&mut self, model: &Model) {
        let id = model as *const Model as usize;
        if self.model == id {
            return;
        }
        *self = Scratch {
            model: id,
            memo: Memo::new(MEMO_SLOTS),
            group_memo: Memo::new(GROUP_SLOTS),
            ..Default::default()
        };
    }
}

/// Adds `row` to `state`, lane by lane.
#[inline(always)]
fn add_row(state: &mut Row, row: &Row) {
    for (s, w) in state.iter_mut().zip(row) {
        *s += w;
    }
}

impl Model {
    /// A model from its labels, transitions (`from`, `to`, weight) and feature weights
    /// (feature, label, weight).
    pub fn new(
        names: Vec<String>,
        transitions: &[(usize, usize, f32)],
        features: &[(u64, usize, f32)],
    ) -> Result<Model, String> {
        let l = names.len();
        if l == 0 || l > MAX_LABELS {
            return Err(format!("{l} labels (at most {MAX_LABELS})"));
        }
        for name in &names {
            let known = match name.split_once('-') {
                Some((p, k)) => (p == "B" || p == "I") && Kind::parse(k).is_some(),
                None => name == "O",
            };
            if !known {
                return Err(format!("unknown label {name:?}"));
            }
        }
        let mut matrix = vec![0.0; l * l];
        for &(a, b, w) in transitions {
            if a >= l || b >= l {
                return Err(format!("transition {a} → {b} past {l} labels"));
            }
            matrix[a * l + b] = w;
        }
        let mut sorted: Vec<(u64, usize, f32)> =
            features.iter().copied().filter(|f| f.2 != 0.0).collect();
        sorted.sort_unstable_by_key(|f| (f.0, f.1));
        sorted.dedup_by_key(|f| (f.0, f.1));
        if let Some(&(_, label, _)) = sorted.iter().find(|f| f.1 >= l) {
            return Err(format!("feature weight for label {label} past {l} labels"));
        }
        // Sorted by key, so by base and then offset: each base's pairs in code order.
        let mut grouped: Vec<(u64, Vec<(u8, f32)>)> = Vec::new();
        for group in sorted.chunk_by(|a, b| base(a.0) == base(b.0)) {
            if group.len() > usize::from(u8::MAX) {
                return Err(format!("{} weights share a feature base", group.len()));
            }
            grouped.push((
                base(group[0].0),
                group
                    .iter()
                    .map(|&(h, label, w)| (code(h, label as u8), w))
                    .collect(),
            ));
        }
        if grouped.len() >= 1 << 31 {
            return Err("too many features".to_string());
        }
        let from_rows = (0..l)
            .map(|a| std::array::from_fn(|b| if b < l { matrix[a * l + b] } else { 0.0 }))
            .collect();
        let mut filter = vec![0u64; FILTER_WORDS];
        for &(h, _) in &grouped {
            let (word, bits) = filter_bits(h);
            filter[word] |= bits;
        }
        Ok(Model {
            filter,
            read: names.iter().map(|n| read_label(n)).collect(),
            names,
            transitions: matrix,
            from_rows,
            table: Table::new(&grouped),
        })
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let mut rest = bytes.strip_prefix(MAGIC).ok_or_else(|| {
            if bytes.starts_with(b"bodo-ner-crf ") {
                "an entity model of another bodo version (other labels or feature hashes): \
                     train it again with bodo-train-ner"
            } else {
                "not a bodo entity model (bad magic line)"
            }
        })?;
        let mut take = |n: usize| -> Result<&[u8], String> {
            if rest.len() < n {
                return Err("truncated entity model".to_string());
            }
            let (a, b) = rest.split_at(n);
            rest = b;
            Ok(a)
        };
        let u32_at = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("4 bytes"));
        let l = take(1)?[0] as usize;
        let mut names = Vec::with_capacity(l);
        for _ in 0..l {
            let len = take(1)?[0] as usize;
            let name = std::str::from_utf8(take(len)?).map_err(|e| e.to_string())?;
            names.push(name.to_string());
        }
        let mut transitions = Vec::with_capacity(l * l);
        for a in 0..l {
            for b in 0..l {
                let w = f32::from_le_bytes(take(4)?.try_into().expect("4 bytes"));
                transitions.push((a, b, w));
            }
        }
        let count = u32_at(take(4)?) as usize;
        let mut features = Vec::with_capacity(count);
        for _ in 0..count {
            let h = u64::from_le_bytes(take(8)?.try_into().expect("8 bytes"));
            let label = take(1)?[0] as usize;
            let w = f32::from_le_bytes(take(4)?.try_into().expect("4 bytes"));
            features.push((h, label, w));
        }
        Model::new(names, &transitions, &features)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(self.names.len() as u8);
        for name in &self.names {
            out.push(name.len() as u8);
            out.extend_from_slice(name.as_bytes());
        }
        for w in &self.transitions {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let mut bases: Vec<&Entry> = self.table.iter().collect();
        bases.sort_unstable_by_key(|e| e.key);
        let mut records = Vec::new();
        for e in bases {
            for (code, w) in self.table.pairs(e) {
                let h = e.key | u64::from(code >> 4);
                records.extend_from_slice(&h.to_le_bytes());
                records.push(code & 15);
                records.extend_from_slice(&w.to_le_bytes());
            }
        }
        out.extend_from_slice(&((records.len() / 13) as u32).to_le_bytes());
        out.extend_from_slice(&records);
        out
    }

    /// The label names, `O` and `B-`/`I-` per type.
    pub fn labels(&self) -> &[String] {
        &self.names
    }

    /// The spans of `text` given its features ([`features`]): the best label sequence
    /// (Viterbi; of equal scores the lower label index wins).
    pub fn tag(&self, text: &str, features: &[Vec<u64>]) -> Vec<Span> {
        let mut state = vec![[0f32; MAX_LABELS]; features.len()];
        for (row, f) in state.iter_mut().zip(features) {
            for &h in f {
                self.add(row, h);
            }
        }
        self.decode(text, &char_starts(text), &state, &mut Viterbi::default())
    }

    /// The spans of `text` with its evidence: [`Model::tag`] without listing the features.
    /// Each distinct part of a character's features is scored once: its few-valued features
    /// ([`Local`]) through a memo, each eojeol's and morpheme's shared features once for all
    /// their characters and, through a memo by [`Group::key`], once for all their repeats, the
    /// window's characters once for its five offsets (kept per thread: most characters of news
    /// text repeat), and each bigram and trigram in one lookup for all its offsets. The sums
    /// are [`Model::tag`]'s up to the order of float additions, and do not depend on what a
    /// thread kept before.
    pub fn tag_text(&self, text: &str, evidence: &Evidence) -> Vec<Span> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
        }
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.for_model(self);
            scratch.described.describe(text, evidence, Features::ALL);
            self.score_widest(scratch);
            self.back(text, &scratch.described.bytes, &scratch.viterbi)
        })
    }

    /// [`Model::score`] compiled for the widest vector instructions the processor has: a row of
    /// label scores is 8 lanes, one AVX2 register against two SSE2 ones. The same
    /// additions and comparisons lane by lane, so the same results.
    fn score_widest(&self, scratch: &mut Scratch) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { self.score_avx2(scratch) };
        }
        self.score(scratch)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_avx2(&self, scratch: &mut Scratch) {
        self.score(scratch)
    }

    /// Each character's label scores (`state`) from the described text, and Viterbi's pass
    /// forward over them ([`Viterbi`]).
    #[inline(always)]
    fn score(&self, scratch: &mut Scratch) {
        let Scratch {
            described,
            unigrams,
            memo,
            group_memo,
            state,
            candidates,
            viterbi,
            ..
        } = scratch;
        let n = described.chars.len();
        state.clear();
        state.resize(n, [0.0; MAX_LABELS]);
        let mut groups = [(NO_GROUP, [0.0; MAX_LABELS]); 2];
        for (i, row) in state.iter_mut().enumerate() {
            let here = described.local[i];
            add_row(
                row,
                memo.get(here.key(), |sum| {
                    here.each(|h| {
                        self.add(sum, h);
                    })
                }),
            );
            for (g, (kept, sum)) in described.group_of[i].into_iter().zip(&mut groups) {
                if g == NO_GROUP {
                    continue;
                }
                if *kept != g {
                    *kept = g;
                    // Groups are numbered as met: a few ahead are a few characters ahead.
                    if let Some(later) = described.groups.get(g as usize + GROUPS_AHEAD) {
                        group_memo.touch(later.key);
                    }
                    *sum = *group_memo.get(described.groups[g as usize].key, |sum| {
                        described.group(g, |h| {
                            self.add(sum, h);
                        })
                    });
                }
                add_row(row, sum);
            }
        }
        let c = |j: isize| {
            usize::try_from(j)
                .ok()
                .and_then(|j| described.chars.get(j))
                .map_or(u32::MAX, |&c| c)
        };
        let last = n as isize;
        // Bigrams and trigrams (those the filter lets through) are collected first and then
        // looked up with the entry of a later one already being loaded: the lookups wait on
        // memory, not on each other.
        let char_at = |j: isize, d: isize| usize::try_from(j - d).ok().filter(|&i| i < n);
        candidates.clear();
        // Bit k: character `j + k` breaks words ([`trigram_kept`]); each character is tested
        // once, as it enters the window, not once per trigram it is in.
        let mut breaks = u8::from(breaks_words(c(-2))) | u8::from(breaks_words(c(-1))) << 1;
        for j in -2..last + 2 {
            let u = c(j);
            breaks |= u8::from(breaks_words(c(j + 2))) << 2;
            match unigrams.get(u, |d, row| {
                let mut any = false;
                unigram_features(d, u, |h| any |= self.add(row, h));
                any
            }) {
                Some(rows) => spread(state, rows, j),
                None => {
                    for d in -2..=2 {
                        if let Some(i) = char_at(j, d) {
                            unigram_features(d, u, |h| {
                                self.add(&mut state[i], h);
                            });
                        }
                    }
                }
            }
            if j <= last {
                let b = bigram_base([u, c(j + 1)]);
                if self.may_have(b) {
                    candidates.push((b, j as i32));
                }
            }
            if j < last {
                let t = [u, c(j + 1), c(j + 2)];
                debug_assert_eq!(breaks != 0, trigram_kept(t));
                if breaks != 0 {
                    let b = trigram_base(t);
                    if self.may_have(b) {
                        candidates.push((b, j as i32));
                    }
                }
            }
            breaks >>= 1;
        }
        // Viterbi's steps forward are taken as the characters' scores are complete, between
        // the lookups (arithmetic while memory is awaited): an n-gram starting at `j` weighs
        // on characters `j - 1` to `j + 2`, so once the n-grams are past `j`, the
        // characters before `j - 1` are complete.
        const AHEAD: usize = 4;
        viterbi.clear();
        for (k, &(b, j)) in candidates.iter().enumerate() {
            if let Some(&(later, _)) = candidates.get(k + AHEAD) {
                self.table.touch(later);
            }
            while (viterbi.len() as isize) < j as isize - 1 && viterbi.len() < n {
                self.forward(viterbi, &state[viterbi.len()]);
            }
            self.add_ngram(state, b, j as isize);
        }
        while viterbi.len() < n {
            self.forward(viterbi, &state[viterbi.len()]);
        }
    }

    /// Whether the model may have features of base `b` (the Bloom filter; no: certainly not).
    #[inline]
    fn may_have(&self, b: u64) -> bool {
        let (word, bits) = filter_bits(b);
        self.filter[word] & bits == bits
    }

    /// Adds feature `h`'s weights to a row of label scores; whether the model has any.
    #[inline]
    fn add(&self, row: &mut Row, h: u64) -> bool {
        let b = base(h);
        if !self.may_have(b) {
            return false;
        }
        let Some(e) = self.table.get(b) else {
            return false;
        };
        let mut any = false;
        for (code, w) in self.table.pairs(e) {
            if u64::from(code >> 4) == h & OFFSET_BITS {
                row[usize::from(code & 15)] += w;
                any = true;
            }
        }
        any
    }

    /// Adds the weights of the n-gram of base `b` starting at character `j` to the characters
    /// whose windows see it: its feature at offset `d` is character `j - d`'s.
    #[inline]
    fn add_ngram(&self, state: &mut [Row], b: u64, j: isize) {
        let Some(e) = self.table.get(b) else {
            return;
        };
        let mut put = |code: u8, w: f32| {
            let d = isize::from(code >> 4) - 2;
            if let Some(row) = usize::try_from(j - d).ok().and_then(|i| state.get_mut(i)) {
                row[usize::from(code & 15)] += w;
            }
        };
        for (code, w) in self.table.pairs(e) {
            put(code, w);
        }
    }

    /// Viterbi over per-character label scores ([`Model::forward`], then [`Model::back`]).
    fn decode(
        &self,
        text: &str,
        starts: &[usize],
        state: &[Row],
        viterbi: &mut Viterbi,
    ) -> Vec<Span> {
        viterbi.clear();
        for row in state {
            self.forward(viterbi, row);
        }
        self.back(text, starts, viterbi)
    }

    /// Viterbi's step forward over the next character, whose label scores are `row`: each
    /// label's best score and the label before it on that best path (of equal scores the
    /// lower label index).
    #[inline(always)]
    fn forward(&self, viterbi: &mut Viterbi, row: &Row) {
        if viterbi.from.is_empty() {
            viterbi.best = *row;
            viterbi.from.push([0; MAX_LABELS]);
            return;
        }
        let mut next = [f32::NEG_INFINITY; MAX_LABELS];
        // u32 lanes, as wide as the scores', so that the choice is one blend per register.
        let mut from = [0u32; MAX_LABELS];
        for (a, (&s, t)) in viterbi.best[..self.names.len()]
            .iter()
            .zip(&self.from_rows)
            .enumerate()
        {
            for ((x, f), &t) in next.iter_mut().zip(&mut from).zip(t) {
                let v = s + t;
                let better = v > *x;
                *x = if better { v } else { *x };
                *f = if better { a as u32 } else { *f };
            }
        }
        add_row(&mut next, row);
        viterbi.best = next;
        viterbi.from.push(from.map(|a| a as u8));
    }

    /// The spans of the best label sequence, read back from the pass forward
    /// ([`Model::forward`]): the best last label (of equal scores the lower index), then the
    /// label before each.
    fn back(&self, text: &str, starts: &[usize], viterbi: &Viterbi) -> Vec<Span> {
        let n = viterbi.len();
        if n == 0 {
            return Vec::new();
        }
        let score = &viterbi.best;
        let mut last = 0;
        for k in 0..self.names.len() {
            if score[k] > score[last] {
                last = k;
            }
        }
        let mut labels = vec![0usize; n];
        labels[n - 1] = last;
        for i in (1..n).rev() {
            labels[i - 1] = usize::from(viterbi.from[i][labels[i]]);
        }
        spans_of(text, starts, labels.iter().map(|&k| self.read[k]))
    }
}

/// Viterbi's pass forward so far: each label's best score at the last character, and per
/// character (after the first) and label, the label before it on the best path ending there.
#[derive(Default)]
struct Viterbi {
    best: Row,
    from: Vec<[u8; MAX_LABELS]>,
}

impl Viterbi {
    fn clear(&mut self) {
        self.from.clear();
    }

    /// Characters passed.
    fn len(&self) -> usize {
        self.from.len()
    }
}

/// Adds a character's rows ([`Unigrams::get`]) to the characters whose windows see it: the
/// character is at `j` and its row for offset `k - 2` belongs to character `j + 2 - k`.
#[inline(always)]
fn spread(state: &mut [Row], (rows, offsets): (&[Row], u32), j: isize) {
    let mut r = 0;
    for k in 0..5 {
        if offsets & 1 << k == 0 {
            continue;
        }
        if let Some(row) = usize::try_from(j + 2 - k)
            .ok()
            .and_then(|i| state.get_mut(i))
        {
            add_row(row, &rows[r]);
        }
        r += 1;
    }
}

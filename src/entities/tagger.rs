//! A trained sequence tagger for entity spans as KLUE-NER marks them.
//!
//! Takes one field of normalised text, its morphemes and the rule-based evidence (the
//! recogniser's own mentions, every gazetteer hit, the date grammar's spans); gives spans with a
//! KLUE type ([`Kind`]): PS (person), OG (organisation), LC (place), DT (date), TI (time), QT
//! (quantity).
//!
//! The model is a linear-chain CRF over characters (CRFsuite's model, trained and read by the
//! pure-Rust `crfs`), labels B-/I- per type and O. Each character's features: the characters
//! around it (unigrams to trigrams in a ±2 window), character classes, the morpheme covering it
//! (ko-dic tag, B/I place, its surface when a noun, ko-dic's 인명/지명 class, the tags of its
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
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = (template as u64).wrapping_mul(K);
    for &v in values {
        h = (h.rotate_left(5) ^ v).wrapping_mul(K);
    }
    h
}

fn text_hash(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

/// Each character's features (one list per character of `text`), for training.
pub fn features(text: &str, evidence: &Evidence, which: Features) -> Vec<Vec<u64>> {
    let mut listed = Listed(vec![Vec::new(); text.chars().count()]);
    each_feature(text, evidence, which, &mut Buffers::default(), &mut listed);
    listed.0
}

/// Where [`each_feature`] hands the features. They come grouped by what they depend on, so
/// that a tagger can score a group once for all the characters that share it.
trait Sink {
    /// A feature of character `i`.
    fn feature(&mut self, i: usize, h: u64);
    /// Character `i`'s [`window_features`].
    fn window(&mut self, i: usize, window: [u32; 5]);
    /// Features that every character of one eojeol or one morpheme has: the same `group` and
    /// the same `features` for each of its characters.
    fn shared(&mut self, i: usize, group: Group, features: &[u64]);
}

/// A run of characters that share features (its first character's index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Eojeol(usize),
    Token(usize),
}

/// The features as one list per character.
struct Listed(Vec<Vec<u64>>);

impl Sink for Listed {
    fn feature(&mut self, i: usize, h: u64) {
        self.0[i].push(h);
    }
    fn window(&mut self, i: usize, window: [u32; 5]) {
        window_features(window, |h| self.0[i].push(h));
    }
    fn shared(&mut self, i: usize, _: Group, features: &[u64]) {
        self.0[i].extend_from_slice(features);
    }
}

/// The features of a character that depend only on the five characters around it (`u32::MAX`
/// past either end of the text): the characters, their classes, bigrams and trigrams.
fn window_features(window: [u32; 5], mut put: impl FnMut(u64)) {
    let at = |k: isize| u64::from(window[(k + 2) as usize]);
    let class = |k: isize| match char::from_u32(window[(k + 2) as usize]) {
        Some(c) => char_class(c) as u64,
        None => u64::MAX,
    };
    for d in -2..=2isize {
        put(feature(T::Char, &[d as u64, at(d)]));
        put(feature(T::Class, &[d as u64, class(d)]));
    }
    for d in -2..=1isize {
        put(feature(T::Bigram, &[d as u64, at(d), at(d + 1)]));
    }
    for d in -2..=0isize {
        put(feature(
            T::Trigram,
            &[d as u64, at(d), at(d + 1), at(d + 2)],
        ));
    }
}

/// [`each_feature`]'s working arrays, kept between texts by the tagger.
#[derive(Default)]
struct Buffers {
    chars: Vec<(usize, char)>,
    /// Byte offset → character index.
    index: Vec<usize>,
    token_of: Vec<usize>,
    eojeol: Vec<(usize, usize)>,
    rules: Vec<Option<(bool, u8)>>,
    gazetteer: Vec<Option<(bool, u8)>>,
    dates: Vec<Option<(bool, u8)>>,
}

/// Hands every feature of every character of `text` to `sink`, characters in order.
fn each_feature(
    text: &str,
    evidence: &Evidence,
    which: Features,
    buffers: &mut Buffers,
    sink: &mut impl Sink,
) {
    let Buffers {
        chars,
        index,
        token_of,
        eojeol,
        rules,
        gazetteer,
        dates,
    } = buffers;
    chars.clear();
    chars.extend(text.char_indices());
    let chars = &chars[..];
    let n = chars.len();
    index.clear();
    index.resize(text.len() + 1, 0);
    for (i, &(b, c)) in chars.iter().enumerate() {
        for slot in &mut index[b..b + c.len_utf8()] {
            *slot = i;
        }
    }
    index[text.len()] = n;
    let at = |i: isize| -> u64 {
        if i < 0 || i as usize >= n {
            u64::from(u32::MAX)
        } else {
            u64::from(chars[i as usize].1)
        }
    };

    // Morpheme per character.
    token_of.clear();
    token_of.resize(n, usize::MAX);
    for (k, t) in evidence.tokens.iter().enumerate() {
        for slot in &mut token_of[index[t.start]..index[t.end]] {
            *slot = k;
        }
    }
    // Eojeols: runs of non-space characters.
    eojeol.clear();
    eojeol.resize(n, (0, 0));
    let mut i = 0;
    while i < n {
        if chars[i].1.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && !chars[i].1.is_whitespace() {
            i += 1;
        }
        for slot in &mut eojeol[start..i] {
            *slot = (start, i);
        }
    }
    for marks in [&mut *rules, &mut *gazetteer, &mut *dates] {
        marks.clear();
        marks.resize(n, None);
    }
    for m in evidence.mentions {
        mark(rules, index[m.start], index[m.end], Kind::of(m.kind));
    }
    if which.gazetteer {
        for hit in evidence.hits {
            mark(
                gazetteer,
                index[hit.start],
                index[hit.end],
                Kind::of(hit.entry.kind),
            );
        }
    }
    for d in evidence.dates {
        mark(dates, index[d.start], index[d.end], Kind::DT_EVIDENCE);
    }
    let label = |m: Option<(bool, u8)>| match m {
        Some((begin, x)) => 1 + u64::from(begin) + 2 * u64::from(x),
        None => 0,
    };
    let tag = |k: usize| evidence.tokens.get(k).map_or(u64::MAX, |t| t.tag as u64);

    let mut word = (usize::MAX, [0u64; 3], 0); // eojeol start, its features, how many
    let mut morpheme = (usize::MAX, [0u64; 6], 0); // token, its shared features, how many
    for i in 0..n {
        let ii = i as isize;
        if which.chars {
            sink.feature(i, feature(T::Bias, &[]));
            let window = [
                at(ii - 2) as u32,
                at(ii - 1) as u32,
                at(ii) as u32,
                at(ii + 1) as u32,
                at(ii + 2) as u32,
            ];
            sink.window(i, window);
            let (a, b) = eojeol[i];
            if b > a {
                let place = if i == a {
                    0
                } else if i + 1 == b {
                    1
                } else {
                    2
                };
                sink.feature(i, feature(T::EojeolPlace, &[place]));
                if word.0 != a {
                    let (from, to) = (chars[a].0, chars[b - 1].0 + chars[b - 1].1.len_utf8());
                    word = (a, [0; 3], 0);
                    let mut push = |h: u64| {
                        word.1[word.2] = h;
                        word.2 += 1;
                    };
                    push(feature(T::EojeolLast, &[at(b as isize - 1)]));
                    if b - a >= 2 {
                        push(feature(
                            T::EojeolLast2,
                            &[at(b as isize - 2), at(b as isize - 1)],
                        ));
                    }
                    if b - a <= 6 {
                        push(feature(T::Word, &[text_hash(&text[from..to])]));
                    }
                }
                sink.shared(i, Group::Eojeol(a), &word.1[..word.2]);
            }
        }
        if which.morphemes {
            let k = token_of[i];
            if k != usize::MAX {
                let t = evidence.tokens[k];
                let first = u64::from(index[t.start] == i);
                let own = t.tag as u64;
                sink.feature(i, feature(T::MorphTag, &[own]));
                sink.feature(i, feature(T::MorphTagPlace, &[own, first]));
                if morpheme.0 != k {
                    morpheme = (k, [0; 6], 0);
                    let mut push = |h: u64| {
                        morpheme.1[morpheme.2] = h;
                        morpheme.2 += 1;
                    };
                    match t.class {
                        Class::Person => push(feature(T::MorphClass, &[1])),
                        Class::Place => push(feature(T::MorphClass, &[2])),
                        Class::None => {}
                    }
                    if matches!(t.tag, Tag::Nnp | Tag::Nng | Tag::Nnb | Tag::Sl) {
                        push(feature(T::Morph, &[text_hash(&text[t.start..t.end])]));
                    }
                    let (before, after) = (k.checked_sub(1).map_or(u64::MAX - 1, tag), tag(k + 1));
                    push(feature(T::TagBefore, &[before]));
                    push(feature(T::TagAfter, &[after]));
                    push(feature(T::TagPair, &[0, before, own]));
                    push(feature(T::TagPair, &[1, own, after]));
                }
                sink.shared(i, Group::Token(k), &morpheme.1[..morpheme.2]);
            }
        }
        if which.rules {
            sink.feature(i, feature(T::Rule, &[label(rules[i])]));
            let before = if i > 0 { rules[i - 1] } else { None };
            sink.feature(i, feature(T::RuleBefore, &[label(before)]));
            sink.feature(
                i,
                feature(T::RuleAfter, &[label(rules.get(i + 1).copied().flatten())]),
            );
        }
        if which.gazetteer {
            sink.feature(i, feature(T::Gazetteer, &[label(gazetteer[i])]));
        }
        if which.dates {
            sink.feature(i, feature(T::Date, &[label(dates[i])]));
        }
    }
}

/// The label sequence's spans (characters of `text` → byte offsets). An `I-` after `O` or
/// another type starts a span, as CRFsuite's users read BIO.
pub fn spans(text: &str, labels: &[impl AsRef<str>]) -> Vec<Span> {
    spans_of(text, labels.iter().map(|l| read_label(l.as_ref())))
}

/// A label's (begins a span, type): `B-PS` → (true, PS), `O` → (false, none).
fn read_label(label: &str) -> (bool, Option<Kind>) {
    match label.split_once('-') {
        Some((p, k)) => (p == "B", Kind::parse(k)),
        None => (false, None),
    }
}

/// [`spans`] of labels already read ([`read_label`]), one per character of `text`.
fn spans_of(text: &str, labels: impl ExactSizeIterator<Item = (bool, Option<Kind>)>) -> Vec<Span> {
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let n = labels.len();
    let mut out: Vec<Span> = Vec::new();
    let mut open: Option<(usize, Kind)> = None;
    for (i, (begin, kind)) in labels.enumerate() {
        let continues = matches!((open, kind), (Some((_, a)), Some(b)) if a == b && !begin);
        if !continues {
            if let Some((start, k)) = open.take() {
                out.push(Span {
                    start: offsets[start],
                    end: offsets[i],
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
            start: offsets[start],
            end: offsets[n],
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

/// BIO labels of gold spans given in characters, for training.
pub fn labels(n: usize, gold: &[(usize, usize, Kind)]) -> Vec<String> {
    let mut out = vec!["O".to_string(); n];
    for &(start, end, kind) in gold {
        for (i, slot) in out.iter_mut().enumerate().take(end.min(n)).skip(start) {
            *slot = format!("{}-{}", if i == start { "B" } else { "I" }, kind.as_str());
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
    /// The same, by label reached: `into[to * labels + from]`.
    into: Vec<f32>,
    /// Per feature: where its weights are in `weights`, as `start << 4 | count` (only the
    /// labels it has a weight for; a feature has one or two, and the whole model then fits
    /// in a core's cache).
    index: rustc_hash::FxHashMap<u64, u32>,
    weights: Vec<(u8, f32)>,
}

const MAGIC: &[u8] = b"bodo-ner-crf 1\n";

/// Window scores a thread keeps, direct-mapped: a window takes the slot of its hash, and a
/// new window in a taken slot replaces the old one (a slot is 84 bytes: 5 MB per thread).
const WINDOW_SLOTS: usize = 1 << 16;
/// Per-character features whose weights a thread keeps (a few hundred distinct: tags, places,
/// evidence labels), likewise direct-mapped.
const MEMO_SLOTS: usize = 1 << 12;
/// Labels a model may have: a window's scores fit one slot.
const MAX_LABELS: usize = 16;

/// A kept window and its label scores.
#[derive(Clone, Copy)]
struct WindowSlot {
    window: [u32; 5],
    scores: [f32; MAX_LABELS],
}

/// No character: an empty window slot.
const NO_WINDOW: WindowSlot = WindowSlot {
    window: [u32::MAX - 1; 5],
    scores: [0.0; MAX_LABELS],
};

/// A thread's working memory for [`Model::tag_text`], for one model.
#[derive(Default)]
struct Scratch {
    model: usize,
    buffers: Buffers,
    windows: Vec<WindowSlot>,
    /// (feature, 0 empty / 1 not in the model / its `index` value + 2).
    memo: Vec<(u64, u32)>,
    /// Each character's label scores.
    state: Vec<f32>,
    /// The current eojeol's and morpheme's shared scores.
    groups: [(Option<Group>, Vec<f32>); 2],
    back: Vec<u8>,
}

impl Scratch {
    fn for_model(&mut self, model: &Model) {
        let id = model as *const Model as usize;
        if self.model == id {
            return;
        }
        let l = model.names.len();
        *self = Scratch {
            model: id,
            windows: vec![NO_WINDOW; WINDOW_SLOTS],
            memo: vec![(0, 0); MEMO_SLOTS],
            groups: [(None, vec![0.0; l]), (None, vec![0.0; l])],
            ..Default::default()
        };
    }
}

/// The scores of [`each_feature`]'s features summed per character, shared groups scored
/// once.
struct Scorer<'a> {
    model: &'a Model,
    l: usize,
    state: &'a mut [f32],
    windows: &'a mut [WindowSlot],
    memo: &'a mut [(u64, u32)],
    groups: &'a mut [(Option<Group>, Vec<f32>); 2],
}

impl Sink for Scorer<'_> {
    fn feature(&mut self, i: usize, h: u64) {
        let slot = &mut self.memo[(h >> 52) as usize & (MEMO_SLOTS - 1)];
        if slot.1 == 0 || slot.0 != h {
            *slot = (h, self.model.index.get(&h).map_or(1, |&at| at + 2));
        }
        if slot.1 >= 2 {
            let l = self.l;
            add_weights(
                &mut self.state[i * l..(i + 1) * l],
                self.model.weights_at(slot.1 - 2),
            );
        }
    }

    fn window(&mut self, i: usize, window: [u32; 5]) {
        let l = self.l;
        let mut h = 0u64;
        for c in window {
            h = (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        let slot = &mut self.windows[(h >> 40) as usize & (WINDOW_SLOTS - 1)];
        if slot.window != window {
            slot.window = window;
            slot.scores = [0.0; MAX_LABELS];
            window_features(window, |h| self.model.add(&mut slot.scores[..l], h));
        }
        add_row(&mut self.state[i * l..(i + 1) * l], &slot.scores[..l]);
    }

    fn shared(&mut self, i: usize, group: Group, features: &[u64]) {
        let l = self.l;
        let (key, row) = &mut self.groups[matches!(group, Group::Token(_)) as usize];
        if *key != Some(group) {
            *key = Some(group);
            row.fill(0.0);
            for &h in features {
                self.model.add(row, h);
            }
        }
        add_row(&mut self.state[i * l..(i + 1) * l], row);
    }
}

fn add_weights(state: &mut [f32], weights: &[(u8, f32)]) {
    for &(label, w) in weights {
        state[label as usize] += w;
    }
}

fn add_row(state: &mut [f32], row: &[f32]) {
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
            return Err(format!("{l} labels"));
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
        let mut index = rustc_hash::FxHashMap::default();
        let mut weights: Vec<(u8, f32)> = Vec::with_capacity(sorted.len());
        for group in sorted.chunk_by(|a, b| a.0 == b.0) {
            if let Some(&(_, label, _)) = group.iter().find(|f| f.1 >= l) {
                return Err(format!("feature weight for label {label} past {l} labels"));
            }
            if weights.len() >= 1 << 27 {
                return Err("too many feature weights".to_string());
            }
            index.insert(group[0].0, (weights.len() as u32) << 4 | group.len() as u32);
            weights.extend(group.iter().map(|&(_, label, w)| (label as u8, w)));
        }
        let mut into = vec![0.0; l * l];
        for a in 0..l {
            for b in 0..l {
                into[b * l + a] = matrix[a * l + b];
            }
        }
        Ok(Model {
            read: names.iter().map(|n| read_label(n)).collect(),
            names,
            transitions: matrix,
            into,
            index,
            weights,
        })
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let mut rest = bytes
            .strip_prefix(MAGIC)
            .ok_or("not a bodo entity model (bad magic line)")?;
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
        let mut features: Vec<(u64, u32)> = self.index.iter().map(|(&h, &r)| (h, r)).collect();
        features.sort_unstable();
        let mut records = Vec::new();
        for (h, at) in features {
            for &(label, w) in self.weights_at(at) {
                records.extend_from_slice(&h.to_le_bytes());
                records.push(label);
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
        let l = self.names.len();
        let mut state = vec![0f32; features.len() * l];
        for (i, f) in features.iter().enumerate() {
            for h in f {
                self.add(&mut state[i * l..(i + 1) * l], *h);
            }
        }
        self.decode(text, &state, &mut Vec::new())
    }

    /// The spans of `text` with its evidence: [`Model::tag`] without holding the features.
    /// Each thread keeps the scores of the windows it met (most windows of news text repeat,
    /// and one lookup then stands for seventeen features), of the per-character features, and
    /// of the current eojeol's and morpheme's shared features. The sums are [`Model::tag`]'s
    /// up to the order of float additions.
    pub fn tag_text(&self, text: &str, evidence: &Evidence) -> Vec<Span> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
        }
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.for_model(self);
            let l = self.names.len();
            let n = text.chars().count();
            scratch.state.clear();
            scratch.state.resize(n * l, 0.0);
            for (key, _) in scratch.groups.iter_mut() {
                *key = None;
            }
            let mut scorer = Scorer {
                model: self,
                l,
                state: &mut scratch.state,
                windows: &mut scratch.windows,
                memo: &mut scratch.memo,
                groups: &mut scratch.groups,
            };
            each_feature(
                text,
                evidence,
                Features::ALL,
                &mut scratch.buffers,
                &mut scorer,
            );
            self.decode(text, &scratch.state, &mut scratch.back)
        })
    }

    /// Adds feature `h`'s weights to one character's label scores.
    #[inline]
    fn add(&self, state: &mut [f32], h: u64) {
        if let Some(&at) = self.index.get(&h) {
            add_weights(state, self.weights_at(at));
        }
    }

    /// A feature's (label, weight) pairs, from its `index` value.
    #[inline]
    fn weights_at(&self, at: u32) -> &[(u8, f32)] {
        &self.weights[(at >> 4) as usize..][..(at & 15) as usize]
    }

    /// Viterbi over per-character label scores (`state`, a row of labels per character).
    fn decode(&self, text: &str, state: &[f32], back: &mut Vec<u8>) -> Vec<Span> {
        let l = self.names.len();
        let n = state.len() / l;
        if n == 0 {
            return Vec::new();
        }
        let mut score = state[..l].to_vec();
        let mut next = vec![0f32; l];
        back.clear();
        back.resize(n * l, 0);
        for i in 1..n {
            for to in 0..l {
                let (mut best, mut from) = (f32::NEG_INFINITY, 0);
                for (a, (&s, &t)) in score.iter().zip(&self.into[to * l..][..l]).enumerate() {
                    let v = s + t;
                    if v > best {
                        best = v;
                        from = a;
                    }
                }
                next[to] = best + state[i * l + to];
                back[i * l + to] = from as u8;
            }
            std::mem::swap(&mut score, &mut next);
        }
        let mut last = 0;
        for (k, &s) in score.iter().enumerate() {
            if s > score[last] {
                last = k;
            }
        }
        let mut labels = vec![0usize; n];
        labels[n - 1] = last;
        for i in (1..n).rev() {
            labels[i - 1] = back[i * l + labels[i]] as usize;
        }
        spans_of(text, labels.iter().map(|&k| self.read[k]))
    }
}

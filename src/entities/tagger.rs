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
use super::gazetteer::Gazetteer;
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
    pub gazetteer: &'a Gazetteer,
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
    let mut out: Vec<Vec<u64>> = vec![Vec::new(); text.chars().count()];
    each_feature(text, evidence, which, None, |i, h| out[i].push(h));
    out
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

/// Hands every feature of every character to `put(character index, feature)`, characters in
/// order; with `window_of`, a character's [`window_features`] go to it as the window instead.
fn each_feature(
    text: &str,
    evidence: &Evidence,
    which: Features,
    mut window_of: Option<&mut dyn FnMut(usize, [u32; 5])>,
    mut put: impl FnMut(usize, u64),
) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    // Byte offset → character index.
    let mut index = vec![0usize; text.len() + 1];
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
    let mut token_of = vec![usize::MAX; n];
    for (k, t) in evidence.tokens.iter().enumerate() {
        for slot in &mut token_of[index[t.start]..index[t.end]] {
            *slot = k;
        }
    }
    // Eojeols: runs of non-space characters.
    let mut eojeol = vec![(0usize, 0usize); n];
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
    let mut rules = vec![None; n];
    for m in evidence.mentions {
        mark(&mut rules, index[m.start], index[m.end], Kind::of(m.kind));
    }
    let mut gazetteer = vec![None; n];
    for hit in evidence.gazetteer.hits(text) {
        mark(
            &mut gazetteer,
            index[hit.start],
            index[hit.end],
            Kind::of(hit.entry.kind),
        );
    }
    let mut dates = vec![None; n];
    for d in evidence.dates {
        mark(&mut dates, index[d.start], index[d.end], Kind::DT_EVIDENCE);
    }
    let label = |m: Option<(bool, u8)>| match m {
        Some((begin, x)) => 1 + u64::from(begin) + 2 * u64::from(x),
        None => 0,
    };
    let tag = |k: usize| evidence.tokens.get(k).map_or(u64::MAX, |t| t.tag as u64);

    let mut word = (usize::MAX, 0u64, 0u64, 0u64); // eojeol start, its hashes
    for i in 0..n {
        let mut f = |h: u64| put(i, h);
        f(feature(T::Bias, &[]));
        let ii = i as isize;
        if which.chars {
            let window = [
                at(ii - 2) as u32,
                at(ii - 1) as u32,
                at(ii) as u32,
                at(ii + 1) as u32,
                at(ii + 2) as u32,
            ];
            match window_of {
                Some(ref mut grouped) => grouped(i, window),
                None => window_features(window, &mut f),
            }
            let (a, b) = eojeol[i];
            if b > a {
                let place = if i == a {
                    0
                } else if i + 1 == b {
                    1
                } else {
                    2
                };
                f(feature(T::EojeolPlace, &[place]));
                if word.0 != a {
                    let (from, to) = (chars[a].0, chars[b - 1].0 + chars[b - 1].1.len_utf8());
                    let last2 = if b - a >= 2 {
                        feature(T::EojeolLast2, &[at(b as isize - 2), at(b as isize - 1)])
                    } else {
                        0
                    };
                    let whole = if b - a <= 6 {
                        feature(T::Word, &[text_hash(&text[from..to])])
                    } else {
                        0
                    };
                    word = (
                        a,
                        feature(T::EojeolLast, &[at(b as isize - 1)]),
                        last2,
                        whole,
                    );
                }
                for h in [word.1, word.2, word.3] {
                    if h != 0 {
                        f(h);
                    }
                }
            }
        }
        if which.morphemes {
            let k = token_of[i];
            if k != usize::MAX {
                let t = evidence.tokens[k];
                let first = u64::from(index[t.start] == i);
                let own = t.tag as u64;
                f(feature(T::MorphTag, &[own]));
                f(feature(T::MorphTagPlace, &[own, first]));
                match t.class {
                    Class::Person => f(feature(T::MorphClass, &[1])),
                    Class::Place => f(feature(T::MorphClass, &[2])),
                    Class::None => {}
                }
                if matches!(t.tag, Tag::Nnp | Tag::Nng | Tag::Nnb | Tag::Sl) {
                    f(feature(T::Morph, &[text_hash(&text[t.start..t.end])]));
                }
                let (before, after) = (k.checked_sub(1).map_or(u64::MAX - 1, tag), tag(k + 1));
                f(feature(T::TagBefore, &[before]));
                f(feature(T::TagAfter, &[after]));
                f(feature(T::TagPair, &[0, before, own]));
                f(feature(T::TagPair, &[1, own, after]));
            }
        }
        if which.rules {
            f(feature(T::Rule, &[label(rules[i])]));
            let before = if i > 0 { rules[i - 1] } else { None };
            f(feature(T::RuleBefore, &[label(before)]));
            f(feature(
                T::RuleAfter,
                &[label(rules.get(i + 1).copied().flatten())],
            ));
        }
        if which.gazetteer {
            f(feature(T::Gazetteer, &[label(gazetteer[i])]));
        }
        if which.dates {
            f(feature(T::Date, &[label(dates[i])]));
        }
    }
}

/// The label sequence's spans (characters of `text` → byte offsets). An `I-` after `O` or
/// another type starts a span, as CRFsuite's users read BIO.
pub fn spans(text: &str, labels: &[impl AsRef<str>]) -> Vec<Span> {
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let mut out: Vec<Span> = Vec::new();
    let mut open: Option<(usize, Kind)> = None;
    for (i, label) in labels.iter().enumerate() {
        let label = label.as_ref();
        let (begin, kind) = match label.split_once('-') {
            Some((p, k)) => (p == "B", Kind::parse(k)),
            None => (false, None),
        };
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
            end: offsets[labels.len()],
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
    /// `transitions[from * labels + to]`.
    transitions: Vec<f32>,
    /// Per feature: its row of `weights` (a weight per label, zero where the model has none:
    /// one read per feature when tagging).
    index: rustc_hash::FxHashMap<u64, u32>,
    weights: Vec<f32>,
}

const MAGIC: &[u8] = b"bodo-ner-crf 1\n";

/// Windows whose scores a thread keeps before it starts over (a few MB).
const WINDOW_CAP: usize = 1 << 17;

/// A thread's window scores ([`Model::tag_text`]), for one model.
#[derive(Default)]
struct Windows {
    model: usize,
    index: rustc_hash::FxHashMap<[u32; 5], usize>,
    rows: Vec<f32>,
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
        if l == 0 || l > 255 {
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
        let mut index = rustc_hash::FxHashMap::default();
        let mut weights = Vec::new();
        for &(h, label, w) in features {
            if label >= l {
                return Err(format!("feature weight for label {label} past {l} labels"));
            }
            let row = *index.entry(h).or_insert_with(|| {
                weights.resize(weights.len() + l, 0.0);
                (weights.len() / l - 1) as u32
            });
            weights[row as usize * l + label] = w;
        }
        Ok(Model {
            names,
            transitions: matrix,
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
        let l = self.names.len();
        let mut features: Vec<(u64, u32)> = self.index.iter().map(|(&h, &r)| (h, r)).collect();
        features.sort_unstable();
        let mut records = Vec::new();
        for (h, row) in features {
            for (label, &w) in self.weights[row as usize * l..][..l].iter().enumerate() {
                if w != 0.0 {
                    records.extend_from_slice(&h.to_le_bytes());
                    records.push(label as u8);
                    records.extend_from_slice(&w.to_le_bytes());
                }
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
        self.decode(text, &state)
    }

    /// The spans of `text` with its evidence: [`Model::tag`] without holding the features.
    /// The scores of a character's [`window_features`] are kept per thread by window: most
    /// windows of news text repeat, and one lookup then stands for seventeen.
    pub fn tag_text(&self, text: &str, evidence: &Evidence) -> Vec<Span> {
        thread_local! {
            static WINDOWS: std::cell::RefCell<Windows> = Default::default();
        }
        let l = self.names.len();
        let mut state = vec![0f32; text.chars().count() * l];
        WINDOWS.with_borrow_mut(|windows| {
            if windows.model != self as *const Model as usize || windows.rows.len() > WINDOW_CAP * l
            {
                windows.index.clear();
                windows.rows.clear();
                windows.model = self as *const Model as usize;
            }
            let mut grouped = |i: usize, window: [u32; 5]| {
                let row = match windows.index.get(&window) {
                    Some(&row) => row,
                    None => {
                        let row = windows.rows.len() / l;
                        windows.rows.resize(windows.rows.len() + l, 0.0);
                        let scores = &mut windows.rows[row * l..];
                        window_features(window, |h| self.add(&mut scores[..l], h));
                        windows.index.insert(window, row);
                        row
                    }
                };
                for (s, w) in state[i * l..(i + 1) * l]
                    .iter_mut()
                    .zip(&windows.rows[row * l..(row + 1) * l])
                {
                    *s += w;
                }
            };
            let mut rest = vec![0f32; text.chars().count() * l];
            each_feature(text, evidence, Features::ALL, Some(&mut grouped), |i, h| {
                self.add(&mut rest[i * l..(i + 1) * l], h)
            });
            for (s, r) in state.iter_mut().zip(&rest) {
                *s += r;
            }
        });
        self.decode(text, &state)
    }

    /// Adds feature `h`'s weights to one character's label scores.
    #[inline]
    fn add(&self, state: &mut [f32], h: u64) {
        if let Some(&row) = self.index.get(&h) {
            let l = state.len();
            for (s, w) in state.iter_mut().zip(&self.weights[row as usize * l..][..l]) {
                *s += w;
            }
        }
    }

    /// Viterbi over per-character label scores (`state`, a row of labels per character).
    fn decode(&self, text: &str, state: &[f32]) -> Vec<Span> {
        let l = self.names.len();
        let n = state.len() / l;
        if n == 0 {
            return Vec::new();
        }
        let mut score = state[..l].to_vec();
        let mut next = vec![0f32; l];
        let mut back = vec![0u8; n * l];
        for i in 1..n {
            for to in 0..l {
                let (mut best, mut from) = (f32::NEG_INFINITY, 0);
                for (a, &s) in score.iter().enumerate() {
                    let v = s + self.transitions[a * l + to];
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
        let names: Vec<&str> = labels.iter().map(|&k| self.names[k].as_str()).collect();
        spans(text, &names)
    }
}

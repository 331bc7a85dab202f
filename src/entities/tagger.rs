//! A trained sequence tagger for entity spans as KLUE-NER marks them.
//!
//! Takes one field of normalised text, its morphemes and the rule-based evidence (the
//! recogniser's own mentions, every gazetteer hit, the date grammar's spans); gives spans with a
//! KLUE type ([`Kind`]): PS (person), OG (organisation), LC (place), DT (date), TI (time), QT
//! (quantity).
//!
//! The model is a linear-chain CRF (CRFsuite's model, trained and read by the pure-Rust
//! `crfs`) over *positions*: MeCab-ko's morphemes (a bare surname ko-dic fuses with its suffix,
//! `박씨`, split in two: KLUE marks `박`; cut where a piece of evidence begins or ends inside
//! it), each run of whitespace, and any character no morpheme covers ([`positions`]); labels
//! `I-` per type and O (IO: a span is a run of one type, and a whitespace position labelled O
//! ends one). A morpheme is half the characters of news text on average, so the tagger takes
//! about two thirds of the steps a character tagger would (whitespace included), and 98 % of
//! KLUE's spans begin and end on a morpheme's edge. Each position's features, by family: its own text
//! and morpheme (surface, ko-dic tag and 인명/지명 class, first and last characters and
//! bigrams, length), the two morphemes on either side (surface and tag, across whitespace), the
//! tags around it, the characters at its edges and across them, its eojeol's last characters
//! (its particle) and the eojeol when short, whitespace around it, its place in the eojeol, and
//! the evidence as B/I labels at its first character and around it: what the rules chose, what
//! the gazetteer knows, what the date grammar matched. The model is trained by
//! `bodo-train-ner` from KLUE-NER's news sentences; the rules are its features, so it learns
//! where KLUE's conventions differ from them (`경찰` is OG, `이날` is DT, `박씨` marks `박`).
//!
//! Guarantees: spans are sorted, do not overlap, lie on char boundaries and depend only on the
//! text, its tokens and the evidence (CRF decoding is exact Viterbi, no randomness).

use super::dates::DateMention;
use super::gazetteer::Hit;
use super::is_surname;
use super::{EntityType, Mention};
use crate::morph::{Class, Token};

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

/// A position of the tagger ([`positions`]): a morpheme of the analysis or a piece of one, a
/// run of whitespace, or a character no morpheme covers. Byte offsets into the text, end
/// exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub start: usize,
    pub end: usize,
    /// The morpheme's index in the tokens, if any.
    token: Option<usize>,
    /// A run of whitespace between eojeols.
    space: bool,
}

/// What follows a bare surname in a morpheme ko-dic fuses with it (`석씨`, `강모`): KLUE
/// marks the surname alone.
const AFTER_SURNAME: [char; 4] = ['씨', '모', '군', '양'];

/// The tagger's positions in a text with its morphemes and evidence: every character lies in
/// exactly one, in order; each run of whitespace between eojeols is one (its label says whether
/// a span runs on across it), and a morpheme is cut where a piece of evidence begins or ends
/// inside it (`과방위` in `과방위원장`, analysed 과방 + 위원장, where the gazetteer's hit ends).
pub fn positions(text: &str, evidence: &Evidence) -> Vec<Position> {
    let (mut out, mut cuts) = (Vec::new(), Vec::new());
    positions_into(text, evidence, &mut cuts, &mut out);
    out
}

/// [`positions`] into `out` (cleared first), with `cuts` as working memory.
fn positions_into(text: &str, evidence: &Evidence, cuts: &mut Vec<usize>, out: &mut Vec<Position>) {
    out.clear();
    cuts.clear();
    let spans = (evidence.mentions.iter().map(|m| (m.start, m.end)))
        .chain(evidence.hits.iter().map(|h| (h.start, h.end)))
        .chain(evidence.dates.iter().map(|d| (d.start, d.end)));
    for (start, end) in spans {
        cuts.extend([start, end]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let uncovered = |out: &mut Vec<Position>, from: usize, to: usize| {
        for (b, c) in text[from..to].char_indices() {
            let start = from + b;
            let end = start + c.len_utf8();
            match out.last_mut() {
                // A run of whitespace is one position.
                Some(last) if last.space && last.end == start && c.is_whitespace() => {
                    last.end = end;
                }
                _ => out.push(Position {
                    start,
                    end,
                    token: None,
                    space: c.is_whitespace(),
                }),
            }
        }
    };
    // The morpheme `k` from `start` to `end`, cut where evidence begins or ends; `next`: the
    // first cut not behind, as morphemes come in order.
    let cut = |out: &mut Vec<Position>, next: &mut usize, start: usize, end: usize, k: usize| {
        let mut at = start;
        while cuts.get(*next).is_some_and(|&c| c <= start) {
            *next += 1;
        }
        for &c in cuts[*next..].iter().take_while(|&&c| c < end) {
            out.push(Position {
                start: at,
                end: c,
                token: Some(k),
                space: false,
            });
            at = c;
        }
        out.push(Position {
            start: at,
            end,
            token: Some(k),
            space: false,
        });
    };
    let (mut at, mut next) = (0, 0);
    for (k, t) in evidence.tokens.iter().enumerate() {
        if t.start < at || t.end <= t.start {
            continue;
        }
        uncovered(out, at, t.start);
        let surface = &text[t.start..t.end];
        let mut chars = surface.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(first), Some(second), None)
                if AFTER_SURNAME.contains(&second) && is_surname(first) =>
            {
                let split = t.start + first.len_utf8();
                cut(out, &mut next, t.start, split, k);
                cut(out, &mut next, split, t.end, k);
            }
            _ => cut(out, &mut next, t.start, t.end, k),
        }
        at = t.end;
    }
    uncovered(out, at, text.len());
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
    SpaceBefore,
    SpaceAfter,
    WordPlace,
    Rule,
    RuleBefore,
    RuleAfter,
    Gazetteer,
    Date,
    Surface,
    Tag,
    Class,
    SurfaceTag,
    First,
    Last,
    First2,
    Last2,
    Length,
    Inner,
    Neighbour,
    NeighbourTag,
    TagPair,
    Before,
    After,
    BeforeFirst,
    LastAfter,
    WordLast,
    WordLast2,
    Word,
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

/// Each position's features, for training, and the positions ([`positions`]) they belong to.
pub fn features(
    text: &str,
    evidence: &Evidence,
    which: Features,
) -> (Vec<Vec<u64>>, Vec<Position>) {
    let mut described = Described::default();
    described.describe(text, evidence);
    let features = (0..described.units.len())
        .map(|k| described.list(text, k, which))
        .collect();
    (features, std::mem::take(&mut described.positions))
}

/// The low bits of a feature's key where a neighbour's feature keeps its offset (plus 2): the
/// features of one morpheme seen from each of its neighbours share the rest of the key, their
/// *base*, and the model keeps them together ([`Table`]). Other features share their base too
/// (their low bits are hash bits); a lookup takes every pair of its base, so one of them
/// sharing a neighbour feature's base would weigh as that one's: the odds are those of two
/// 61-bit hashes meeting.
const OFFSET_BITS: u64 = 0b111;

/// A key's base: the key without its offset bits.
#[inline]
fn base(h: u64) -> u64 {
    h & !OFFSET_BITS
}

/// The feature of a base at offset `d`.
fn at_offset(base: u64, d: isize) -> u64 {
    base | (d + 2) as u64
}

/// Where a neighbour is seen from: two before to two after.
const NEIGHBOURS: [isize; 4] = [-2, -1, 1, 2];

/// A value past either end of the text, or of no morpheme.
const NONE: u64 = u64::MAX;

/// The tag of whitespace.
const SPACE: u64 = u64::MAX - 1;

/// Whitespace's eojeol.
const NO_WORD: u32 = u32::MAX;

/// A position's features that take few distinct values: the bias, whitespace around it, its
/// place in its eojeol and the evidence labels at and around it. `None`: the family is off.
#[derive(Debug, Clone, Copy, Default)]
struct Local {
    /// Bias, whitespace before, whitespace after, and the place in the eojeol (0: alone,
    /// 1: first, 2: last, 3: inside).
    shape: Option<(bool, bool, u8)>,
    /// The rules' label at its first character, before it and after it.
    rules: Option<[u8; 3]>,
    gazetteer: Option<u8>,
    date: Option<u8>,
}

impl Local {
    /// One number per distinct value (the tagger's memo key): labels are below 256.
    fn key(self) -> u64 {
        let opt = |o: Option<u8>| o.map_or(0, |x| u64::from(x) + 1);
        let shape = self.shape.map_or(0, |(a, b, p)| {
            1 | u64::from(a) << 1 | u64::from(b) << 2 | u64::from(p) << 3
        });
        let rules = self.rules.map_or(0, |[a, b, c]| {
            1 | u64::from(a) << 1 | u64::from(b) << 9 | u64::from(c) << 17
        });
        shape | rules << 6 | opt(self.gazetteer) << 32 | opt(self.date) << 41
    }

    fn each(self, mut put: impl FnMut(u64)) {
        if let Some((before, after, place)) = self.shape {
            put(feature(T::Bias, &[]));
            put(feature(T::SpaceBefore, &[u64::from(before)]));
            put(feature(T::SpaceAfter, &[u64::from(after)]));
            put(feature(T::WordPlace, &[u64::from(place)]));
        }
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
}

/// A position as its features see it.
#[derive(Debug, Clone, Copy)]
struct Unit {
    start: usize,
    end: usize,
    /// The surface's hash.
    surface: u64,
    /// ko-dic's tag ([`NONE`]: no morpheme).
    tag: u64,
    /// ko-dic's class (0: none, 1: 인명, 2: 지명).
    class: u64,
    /// Its first and last characters, and the characters just before and after it
    /// (`u32::MAX` past either end of the text).
    first: u32,
    last: u32,
    before: u32,
    after: u32,
    /// Its eojeol ([`Described::words`]) and its index among the positions that are not
    /// whitespace ([`Described::solid`]); [`NO_WORD`] for whitespace.
    word: u32,
    solid: u32,
    local: Local,
}

impl Unit {
    /// The key of [`Unit::own`]'s features.
    fn own_key(&self) -> u64 {
        [self.surface, self.tag, self.class]
            .into_iter()
            .fold(OWN_KEY, mix)
    }

    /// The features of the position's own text and morpheme.
    fn own(&self, text: &str, which: Features, mut put: impl FnMut(u64)) {
        let surface = &text[self.start..self.end];
        if which.morphemes {
            put(feature(T::Surface, &[self.surface]));
            put(feature(T::Tag, &[self.tag]));
            if self.class != 0 {
                put(feature(T::Class, &[self.class]));
            }
            put(feature(T::SurfaceTag, &[self.surface, self.tag]));
        }
        if which.chars {
            let (mut n, mut first, mut second, mut before_last, mut last) =
                (0u64, NONE, NONE, NONE, NONE);
            for c in surface.chars() {
                let c = u64::from(c as u32);
                match n {
                    0 => first = c,
                    1 => second = c,
                    _ => {}
                }
                if n >= 1 {
                    if n <= MAX_INNER {
                        put(feature(T::Inner, &[last, c]));
                    }
                    before_last = last;
                }
                last = c;
                n += 1;
            }
            put(feature(T::First, &[first]));
            put(feature(T::Last, &[last]));
            put(feature(T::Length, &[n.min(5)]));
            if n >= 2 {
                put(feature(T::First2, &[first, second]));
                put(feature(T::Last2, &[before_last, last]));
            }
        }
    }

    /// The base of this position's features as a neighbour's ([`at_offset`]): its surface
    /// and its tag.
    fn neighbour_bases(surface: u64, tag: u64) -> [u64; 2] {
        [
            base(feature(T::Neighbour, &[surface])),
            base(feature(T::NeighbourTag, &[tag])),
        ]
    }

    /// The features of the characters at its edges and across them: those of the boundary
    /// before it seen from after it, and of the boundary after it seen from before it
    /// ([`boundary`]).
    fn edges(&self, mut put: impl FnMut(u64)) {
        let (before, _) = boundary(self.before, self.first);
        let (_, after) = boundary(self.last, self.after);
        put(before[0]);
        put(after[0]);
        put(before[1]);
        put(after[1]);
    }
}

/// The features of a boundary between the characters `x` and `y` (`u32::MAX` past either end
/// of the text): those of the position that starts at it (the character before it, and the
/// pair across) and those of the position that ends at it (the character after it, and the
/// pair). Positions tile the text, so one boundary's two halves belong to the two positions
/// on either side and the tagger sums them once per distinct pair ([`Model::score`]).
fn boundary(x: u32, y: u32) -> ([u64; 2], [u64; 2]) {
    let (x, y) = (u64::from(x), u64::from(y));
    (
        [feature(T::Before, &[x]), feature(T::BeforeFirst, &[x, y])],
        [feature(T::After, &[y]), feature(T::LastAfter, &[x, y])],
    )
}

/// Inner bigrams of a position that are features: the first ones of a long number or name.
const MAX_INNER: u64 = 8;

/// The tags on either side and a position's own, as pairs.
fn context(tags: [u64; 3], mut put: impl FnMut(u64)) {
    let [before, own, after] = tags;
    put(feature(T::TagPair, &[0, before, own]));
    put(feature(T::TagPair, &[1, own, after]));
}

/// An eojeol: its last one and two characters (its particle, its ending) and, when short,
/// the word itself.
#[derive(Clone, Copy)]
struct Word {
    /// The values its features are made from, mixed (not a feature).
    key: u64,
    last: [u32; 2],
    /// The text's hash (0 past six characters: not a feature).
    hash: u64,
}

impl Word {
    fn each(&self, mut put: impl FnMut(u64)) {
        let [before_last, last] = self.last;
        put(feature(T::WordLast, &[u64::from(last)]));
        if before_last != u32::MAX {
            put(feature(
                T::WordLast2,
                &[u64::from(before_last), u64::from(last)],
            ));
        }
        if self.hash != 0 {
            put(feature(T::Word, &[self.hash]));
        }
    }
}

/// Seeds of the memo keys of the feature families.
const WORD_KEY: u64 = 1;
const OWN_KEY: u64 = 2;
const CONTEXT_KEY: u64 = 4;
const NEIGHBOUR_KEY: u64 = 5;

/// Mixes `v` into `h` (FxHash's multiply-rotate, as [`feature`]).
fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// A text as the features see it: its positions ([`Unit`]) and eojeols ([`Word`]). Kept
/// between texts by the tagger (no allocation per text).
#[derive(Default)]
struct Described {
    units: Vec<Unit>,
    words: Vec<Word>,
    /// The positions that are not whitespace, whose neighbours are each other
    /// ([`NEIGHBOURS`]).
    solid: Vec<u32>,
    // Working arrays.
    positions: Vec<Position>,
    cuts: Vec<usize>,
    eojeol: Vec<(u32, u32)>,
    bytes: Vec<usize>,
    chars: Vec<u32>,
    rules: Vec<Option<(bool, u8)>>,
    gazetteer: Vec<Option<(bool, u8)>>,
    dates: Vec<Option<(bool, u8)>>,
}

impl Described {
    fn describe(&mut self, text: &str, evidence: &Evidence) {
        let Described {
            units,
            words,
            solid,
            positions: found,
            cuts,
            eojeol,
            bytes,
            chars,
            rules,
            gazetteer,
            dates,
        } = self;
        bytes.clear();
        chars.clear();
        for (b, c) in text.char_indices() {
            bytes.push(b);
            chars.push(c as u32);
        }
        let n = chars.len();
        // Byte offset (a char boundary, or the end) → character index.
        let index = |b: usize| bytes.partition_point(|&x| x < b);
        for marks in [&mut *rules, &mut *gazetteer, &mut *dates] {
            marks.clear();
            marks.resize(n, None);
        }
        for m in evidence.mentions {
            mark(rules, index(m.start), index(m.end), Kind::of(m.kind));
        }
        for hit in evidence.hits {
            mark(
                gazetteer,
                index(hit.start),
                index(hit.end),
                Kind::of(hit.entry.kind),
            );
        }
        for d in evidence.dates {
            mark(dates, index(d.start), index(d.end), Kind::DT_EVIDENCE);
        }
        let label = |m: Option<&Option<(bool, u8)>>| match m.copied().flatten() {
            Some((begin, x)) => 1 + u8::from(begin) + 2 * x,
            None => 0,
        };
        // Hangul and most else past U+3000 is no whitespace: the common case skips the table.
        let is_space = |i: usize| {
            chars[i] <= 0x3000 && char::from_u32(chars[i]).is_some_and(char::is_whitespace)
        };
        let char_at = |i: Option<usize>| i.and_then(|i| chars.get(i)).copied().unwrap_or(u32::MAX);

        // The few-valued features of the position of characters `i..j`, shaped `shape`.
        let local = |i: usize, j: usize, shape| Local {
            shape: Some(shape),
            rules: Some([
                label(rules.get(i)),
                label(i.checked_sub(1).and_then(|i| rules.get(i))),
                label(rules.get(j)),
            ]),
            gazetteer: Some(label(gazetteer.get(i))),
            date: Some(label(dates.get(i))),
        };
        positions_into(text, evidence, cuts, found);
        // Each character's eojeol (first character, last + 1); whitespace: (0, 0).
        eojeol.clear();
        eojeol.resize(n, (0, 0));
        let mut i = 0;
        while i < n {
            if is_space(i) {
                i += 1;
                continue;
            }
            let start = i;
            while i < n && !is_space(i) {
                i += 1;
            }
            eojeol[start..i].fill((start as u32, i as u32));
        }
        units.clear();
        words.clear();
        solid.clear();
        let mut word_end = 0;
        // Positions are in order: their characters are found walking forward.
        let mut i = 0;
        for p in found.iter() {
            while bytes.get(i).is_some_and(|&b| b < p.start) {
                i += 1;
            }
            let mut j = i;
            while bytes.get(j).is_some_and(|&b| b < p.end) {
                j += 1;
            }
            let mut unit = Unit {
                start: p.start,
                end: p.end,
                surface: text_hash(&text[p.start..p.end]),
                tag: SPACE,
                class: 0,
                first: chars[i],
                last: chars[j - 1],
                before: char_at(i.checked_sub(1)),
                after: char_at(Some(j)),
                word: NO_WORD,
                solid: NO_WORD,
                local: local(i, j, (false, false, 4)),
            };
            if p.space {
                units.push(unit);
                continue;
            }
            // A position holding whitespace (a ko-dic entry with a space) takes the eojeol of
            // its first character.
            let (a, b) = match eojeol[i] {
                (a, b) if b > a => (a as usize, (b as usize).max(j)),
                _ => (i, j),
            };
            if a >= word_end || words.is_empty() {
                let hash = if b - a <= 6 {
                    text_hash(&text[bytes[a]..bytes.get(b).copied().unwrap_or(text.len())])
                } else {
                    0
                };
                let last = [
                    if b - a >= 2 { chars[b - 2] } else { u32::MAX },
                    chars[b - 1],
                ];
                words.push(Word {
                    key: [hash, u64::from(last[0]), u64::from(last[1])]
                        .into_iter()
                        .fold(WORD_KEY, mix),
                    last,
                    hash,
                });
                word_end = b;
            }
            let place = match (i == a, j == b) {
                (true, true) => 0,
                (true, false) => 1,
                (false, true) => 2,
                (false, false) => 3,
            };
            let token = p.token.map(|k| evidence.tokens[k]);
            unit.tag = token.map_or(NONE, |t| t.tag as u64);
            unit.class = match token.map(|t| t.class) {
                Some(Class::Person) => 1,
                Some(Class::Place) => 2,
                _ => 0,
            };
            unit.word = (words.len() - 1) as u32;
            unit.solid = solid.len() as u32;
            unit.local = local(
                i,
                j,
                (i == 0 || is_space(i - 1), j == n || is_space(j), place),
            );
            units.push(unit);
            solid.push((units.len() - 1) as u32);
        }
    }

    /// Position `k`'s tag, and [`NONE`] past either end.
    fn tag(&self, k: isize) -> u64 {
        usize::try_from(k)
            .ok()
            .and_then(|k| self.units.get(k))
            .map_or(NONE, |u| u.tag)
    }

    /// The surface's hash and tag of the `k`th position that is not whitespace, [`NONE`]
    /// past either end.
    fn seen(&self, k: isize) -> (u64, u64) {
        usize::try_from(k)
            .ok()
            .and_then(|k| self.solid.get(k))
            .map_or((NONE, NONE), |&u| {
                let u = &self.units[u as usize];
                (u.surface, u.tag)
            })
    }

    /// The tags before, of and after position `k`.
    fn tags(&self, k: usize) -> [u64; 3] {
        let k = k as isize;
        [self.tag(k - 1), self.tag(k), self.tag(k + 1)]
    }

    /// Position `k`'s features in the order the model was trained with.
    fn list(&self, text: &str, k: usize, which: Features) -> Vec<u64> {
        let mut out = Vec::new();
        let u = &self.units[k];
        let mut put = |h| out.push(h);
        let local = Local {
            shape: u.local.shape.filter(|_| which.chars),
            rules: u.local.rules.filter(|_| which.rules),
            gazetteer: u.local.gazetteer.filter(|_| which.gazetteer),
            date: u.local.date.filter(|_| which.dates),
        };
        local.each(&mut put);
        u.own(text, which, &mut put);
        if which.morphemes {
            for d in NEIGHBOURS.iter().filter(|_| u.solid != NO_WORD) {
                let (surface, tag) = self.seen(u.solid as isize + d);
                for b in Unit::neighbour_bases(surface, tag) {
                    put(at_offset(b, *d));
                }
            }
            context(self.tags(k), &mut put);
        }
        if which.chars {
            u.edges(&mut put);
            if let Some(word) = self.words.get(u.word as usize) {
                word.each(&mut put);
            }
        }
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

/// [`spans`] of labels already read ([`read_label`]), one per unit of `text` (a character, or
/// a tagger's position) whose first bytes `starts` holds.
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

/// IO labels of gold spans given in characters, for training, one per position of `text`
/// ([`positions`]): `I-` and the type of the span holding the position's first character, `O`
/// elsewhere. Two spans of one type that touch (`한`·`미` as two OG in `한미`, 13 of half A's
/// 5,039 spans) or that only whitespace separates read back as one: the price of a row of
/// label scores in one register ([`MAX_LABELS`]).
pub fn labels(text: &str, positions: &[Position], gold: &[(usize, usize, Kind)]) -> Vec<String> {
    let starts = char_starts(text);
    positions
        .iter()
        .map(|p| {
            let i = starts.partition_point(|&b| b < p.start);
            gold.iter()
                .find(|&&(start, end, _)| (start..end).contains(&i))
                .map_or_else(|| "O".to_string(), |g| format!("I-{}", g.2.as_str()))
        })
        .collect()
}

/// A trained model: a weight per (feature, label) and per pair of labels in a row.
///
/// Stored as bodo's own compact file (`data/ner-klue.bin`, written by `bodo-train-ner` from the
/// CRFsuite model it trains): the magic line, the labels, the transition weights, then the
/// feature weights keyed by the features' hashes, all little-endian.
pub struct Model {
    /// `O`, and `I-` per [`Kind`] (IO: [`labels`]).
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

    fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.count != 0)
    }
}

/// Starts loading the cache line holding byte `p`: a prefetch, which nothing waits for (a
/// plain load would stall the loop on it).
#[inline]
fn prefetch_at(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch reads nothing and cannot fault, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
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
const MAGIC: &[u8] = b"bodo-ner-crf 4\n";

/// Labels a model may have; a row of label scores is this wide: one AVX2 register (the unused
/// lanes stay 0). `O` and one label per [`Kind`] fit; B-/I- pairs would need two registers for
/// every row added and twice the Viterbi work, for the 0.3 % of KLUE's spans that touch
/// another of the same type.
const MAX_LABELS: usize = 8;

/// One character's (or one feature group's) label scores.
type Row = [f32; MAX_LABELS];

/// [`Local`] values whose summed weights a thread keeps (a few hundred distinct: whitespace,
/// places, evidence labels), direct-mapped.
const MEMO_SLOTS: usize = 1 << 12;

/// Distinct values of each other family whose summed weights a thread keeps, direct-mapped,
/// one memo per family ([`Unit::own`], [`context`], [`Word`]): news repeats most of them.
/// Larger memos miss less but wait longer on each hit.
const GROUP_SLOTS: [usize; 3] = [1 << 15, 1 << 11, 1 << 14];

/// Distinct pairs of characters across a boundary between positions whose weights a thread
/// keeps ([`boundary`]): a few thousand make most of news text.
const BOUNDARY_SLOTS: usize = 1 << 14;

/// Distinct morphemes whose weights as each of their neighbours' features a thread keeps.
const NEIGHBOUR_SLOTS: usize = 1 << 14;

/// How many positions ahead the tagger starts loading their memo slots.
const AHEAD: usize = 4;

/// A morpheme's rows as its neighbours' feature, one per offset of [`NEIGHBOURS`].
type Seen = [Row; 4];

/// A boundary's rows ([`boundary`]): for the position after it and for the one before it.
type Sides = [Row; 2];

/// Summed weights kept by key, direct-mapped: a slot holds the last key that hashed to it.
#[derive(Default)]
struct Memo<V = Row> {
    slots: Vec<Slot<V>>,
}

/// A key (`u64::MAX`: empty) and its summed weights, on cache lines of their own: a slot that
/// straddled two lines would wait on both.
#[derive(Clone, Default)]
#[repr(align(64))]
struct Slot<V> {
    key: u64,
    value: V,
}

impl<V: Clone + Default> Memo<V> {
    fn new(slots: usize) -> Memo<V> {
        debug_assert!(slots.is_power_of_two());
        Memo {
            slots: vec![
                Slot {
                    key: u64::MAX,
                    value: V::default()
                };
                slots
            ],
        }
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & (self.slots.len() - 1)
    }

    /// Starts loading `key`'s slot, so that a [`Memo::get`] soon after finds it in the cache.
    #[inline]
    fn touch(&self, key: u64) {
        let slot: *const Slot<V> = &self.slots[self.slot(key)];
        for line in (0..std::mem::size_of::<Slot<V>>()).step_by(64) {
            prefetch_at(slot.cast::<u8>().wrapping_add(line));
        }
    }

    /// The value of `key` (not `u64::MAX`), summed by `sum` into a zeroed value when not kept.
    #[inline]
    fn get(&mut self, key: u64, sum: impl FnOnce(&mut V)) -> &V {
        let at = self.slot(key);
        let slot = &mut self.slots[at];
        if slot.key != key {
            *slot = Slot {
                key,
                value: V::default(),
            };
            sum(&mut slot.value);
        }
        &slot.value
    }
}

/// A thread's working memory for [`Model::tag_text`], for one model.
#[derive(Default)]
struct Scratch {
    model: usize,
    described: Described,
    /// Rows by [`Local::key`].
    memo: Memo,
    /// Rows of the other families, by their keys: own, context, eojeol.
    groups: [Memo; 3],
    /// Boundaries' rows, by the pair of characters across them.
    boundaries: Memo<Sides>,
    /// Morphemes' rows as their neighbours' features, by surface and tag.
    neighbours: Memo<Seen>,
    /// Each position's label scores.
    state: Vec<Row>,
    /// Each position's memo keys ([`Model::score`]): few-valued, own, context, and the
    /// boundary after it.
    keys: Vec<[u64; 4]>,
    /// Each position's first byte.
    starts: Vec<usize>,
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
            groups: GROUP_SLOTS.map(Memo::new),
            boundaries: Memo::new(BOUNDARY_SLOTS),
            neighbours: Memo::new(NEIGHBOUR_SLOTS),
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

    /// The label names, `O` and `I-` per type.
    pub fn labels(&self) -> &[String] {
        &self.names
    }

    /// The spans of `text` given its positions ([`positions`]) and their features
    /// ([`features`]): the best label sequence (Viterbi; of equal scores the lower label index
    /// wins).
    pub fn tag(&self, text: &str, positions: &[Position], features: &[Vec<u64>]) -> Vec<Span> {
        let starts: Vec<usize> = positions.iter().map(|p| p.start).collect();
        let mut state = vec![[0f32; MAX_LABELS]; features.len()];
        for (row, f) in state.iter_mut().zip(features) {
            for &h in f {
                self.add(row, h);
            }
        }
        let mut viterbi = Viterbi::default();
        for row in &state {
            self.forward(&mut viterbi, row);
        }
        self.back(text, &starts, &viterbi)
    }

    /// The spans of `text` with its evidence: [`Model::tag`] without listing the features.
    /// Each family of a position's features is summed through a memo keyed by what the family
    /// is made from ([`Local`], [`Unit::own`], [`boundary`], [`context`], [`Word`]), and
    /// each morpheme's weights as its neighbours' feature once for all four of them. The sums
    /// are [`Model::tag`]'s up to the order of float additions, and do not depend on what a
    /// thread kept before.
    pub fn tag_text(&self, text: &str, evidence: &Evidence) -> Vec<Span> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
        }
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.for_model(self);
            scratch.described.describe(text, evidence);
            self.score_widest(text, scratch);
            scratch.starts.clear();
            scratch
                .starts
                .extend(scratch.described.units.iter().map(|u| u.start));
            self.back(text, &scratch.starts, &scratch.viterbi)
        })
    }

    /// [`Model::score`] compiled for the widest vector instructions the processor has: a row of
    /// label scores is 8 lanes, one AVX2 register against two SSE2 ones. The same
    /// additions and comparisons lane by lane, so the same results.
    fn score_widest(&self, text: &str, scratch: &mut Scratch) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { self.score_avx2(text, scratch) };
        }
        self.score(text, scratch)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_avx2(&self, text: &str, scratch: &mut Scratch) {
        self.score(text, scratch)
    }

    /// Each position's label scores (`state`) from the described text, and Viterbi's pass
    /// forward over them ([`Viterbi`]).
    #[inline(always)]
    fn score(&self, text: &str, scratch: &mut Scratch) {
        let Scratch {
            described,
            memo,
            groups,
            boundaries,
            neighbours,
            state,
            keys,
            viterbi,
            ..
        } = scratch;
        let n = described.units.len();
        state.clear();
        state.resize(n, [0.0; MAX_LABELS]);
        let [own, contexts, words] = groups;
        // Each morpheme (and the ends past the text) as seen by the two on either side.
        let seen_key = |j: isize| {
            let (surface, tag) = described.seen(j);
            mix(mix(NEIGHBOUR_KEY, surface), tag)
        };
        let solid = &described.solid;
        for j in -2..solid.len() as isize + 2 {
            neighbours.touch(seen_key(j + AHEAD as isize));
            let (surface, tag) = described.seen(j);
            let seen = neighbours.get(seen_key(j), |rows| {
                for b in Unit::neighbour_bases(surface, tag) {
                    self.add_seen(rows, b);
                }
            });
            for (row, d) in seen.iter().zip(NEIGHBOURS) {
                if let Some(&k) = usize::try_from(j - d).ok().and_then(|k| solid.get(k)) {
                    add_row(&mut state[k as usize], row);
                }
            }
        }
        viterbi.clear();
        let units = &described.units;
        let Some(first) = units.first() else {
            return;
        };
        // A boundary's key: the pair of characters across it, as they are (no hash); never a
        // memo's empty key, as a boundary has a character on at least one side.
        let pair = |x: u32, y: u32| u64::from(x) << 32 | u64::from(y);
        let sides = |key: u64| {
            let (x, y) = ((key >> 32) as u32, key as u32);
            move |rows: &mut Sides| {
                let (after, before) = boundary(x, y);
                for h in after {
                    self.add(&mut rows[0], h);
                }
                for h in before {
                    self.add(&mut rows[1], h);
                }
            }
        };
        let key = pair(first.before, first.first);
        // The rows of the boundary before the position being summed, for it.
        let mut from_before = boundaries.get(key, sides(key))[0];
        let mut word = (u32::MAX, [0.0; MAX_LABELS]);
        // Each position's memo keys, computed once: the slots of a few positions ahead start
        // loading while a position is summed.
        keys.clear();
        keys.extend(units.iter().enumerate().map(|(k, u)| {
            let context = described.tags(k).into_iter().fold(CONTEXT_KEY, mix);
            [u.local.key(), u.own_key(), context, pair(u.last, u.after)]
        }));
        for (k, row) in state.iter_mut().enumerate() {
            // The sums wait on memory, not on each other.
            if let Some(&[l, o, c, b]) = keys.get(k + AHEAD) {
                memo.touch(l);
                own.touch(o);
                contexts.touch(c);
                boundaries.touch(b);
            }
            let [local_key, own_key, context_key, after_key] = keys[k];
            let u = &units[k];
            let local = u.local;
            add_row(
                row,
                memo.get(local_key, |sum| {
                    local.each(|h| {
                        self.add(sum, h);
                    })
                }),
            );
            add_row(
                row,
                own.get(own_key, |sum| {
                    u.own(text, Features::ALL, |h| {
                        self.add(sum, h);
                    })
                }),
            );
            let [next, here] = *boundaries.get(after_key, sides(after_key));
            add_row(row, &from_before);
            add_row(row, &here);
            from_before = next;
            add_row(
                row,
                contexts.get(context_key, |sum| {
                    context(described.tags(k), |h| {
                        self.add(sum, h);
                    })
                }),
            );
            if word.0 != u.word && u.word != NO_WORD {
                let w = &described.words[u.word as usize];
                word = (
                    u.word,
                    *words.get(w.key, |sum| {
                        w.each(|h| {
                            self.add(sum, h);
                        })
                    }),
                );
            }
            if u.word != NO_WORD {
                add_row(row, &word.1);
            }
            self.forward(viterbi, row);
        }
    }

    /// Adds the weights of the neighbour features of base `b` to a morpheme's rows as seen
    /// from each offset ([`Seen`]).
    #[inline]
    fn add_seen(&self, rows: &mut Seen, b: u64) {
        if !self.may_have(b) {
            return;
        }
        let Some(e) = self.table.get(b) else {
            return;
        };
        for (code, w) in self.table.pairs(e) {
            let d = isize::from(code >> 4) - 2;
            if let Some(k) = NEIGHBOURS.iter().position(|&x| x == d) {
                rows[k][usize::from(code & 15)] += w;
            }
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

    /// Viterbi's step forward over the next position, whose label scores are `row`: each
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

/// Viterbi's pass forward so far: each label's best score at the last position, and per
/// position (after the first) and label, the label before it on the best path ending there.
#[derive(Default)]
struct Viterbi {
    best: Row,
    from: Vec<[u8; MAX_LABELS]>,
}

impl Viterbi {
    fn clear(&mut self) {
        self.from.clear();
    }

    /// Positions passed.
    fn len(&self) -> usize {
        self.from.len()
    }
}

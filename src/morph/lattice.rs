//! MeCab-ko's lattice over lindera's ko-dic, one unit of text at a time.
//!
//! Takes the text of a unit (an eojeol, or eojeols that a dictionary entry with a space joins,
//! see [`Lexicon::space_key_head`]); gives a [`Unit`]: for every way into the unit (the left
//! context id and space penalty of its first morpheme) and every way out (the right context id
//! of its last morpheme), the cost of the best path between them and the morphemes on it. A
//! sentence-level Viterbi over units (`sentence.rs`) then finds the same best path as MeCab-ko's
//! lattice over the whole sentence, because the only things a morpheme's choice depends on
//! across a space are those two context ids and the penalty.
//!
//! What makes this MeCab-ko's analysis and not lindera's (whose lattice keeps each space as a
//! node with all connection costs 0, so the word after a space is chosen with no left context):
//! - spaces (characters of ko-dic's `SPACE` class) are skipped before a word is looked up, and
//!   the words on both sides connect directly, plus mecab-ko's left-space penalty
//!   (`left-space-penalty-factor`, lindera's [`SpacePenaltyTable`]) on a word that follows one;
//! - unknown words are tried at every reachable position, with MeCab's rules: only the
//!   character's first class, a group only up to 24 characters past the first, the length
//!   ladder from `char.def`, and one character when nothing else starts there;
//! - candidates are created, and equal costs broken, in MeCab's order.
//!
//! Guarantees: a [`Unit`] depends only on the unit's text (not on the sentence around it, the
//! thread or earlier calls), so it can be cached and shared.

use lindera_dictionary::dictionary::Dictionary;
use lindera_dictionary::space_penalty::SpacePenaltyTable;
use lindera_dictionary::viterbi::{LexType, WordId};

use super::{Class, Tag};

/// MeCab's `max-grouping-size`: a group of same-class characters becomes one unknown word only
/// up to this many characters after its first.
const MAX_GROUPING: usize = 24;

/// A path cost no real path reaches (costs are summed in `i32` within a unit, whose length
/// [`MAX_UNIT_BYTES`] bounds the sum far below this).
pub(crate) const UNREACHABLE: i32 = i32::MAX / 2;

/// Longest unit analysed as one: a longer run of text without spaces (a pasted hash, a URL) is
/// cut here, so a unit's byte offsets fit `u16` and its lattice stays small. MeCab has no such
/// cut; no word in ko-dic is near this long, so only such runs are affected.
pub(crate) const MAX_UNIT_BYTES: usize = 4096;

/// ko-dic entries whose surface contains a space. MeCab matches them across the space, so the
/// text before such a space must be analysed together with what follows (see
/// [`Lexicon::space_key_head`]). mecab-ko-dic 2.1.1 holds five, `영치기 영차` and four words with
/// a trailing space (`에듀 `, `내셔날 `, `캘리 `, `콜라비 `); lindera's copy lost the trailing
/// spaces (its CSV reader trims fields), so those four are plain words there and only the first
/// is left. A test checks the embedded dictionary holds exactly this.
pub(crate) const SPACE_KEYS: [&str; 1] = ["영치기 영차"];

/// A dictionary or unknown-word entry, packed: the entry id, with the top bit set for an
/// unknown-word entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Word(u32);

impl Word {
    const UNKNOWN: u32 = 1 << 31;

    fn system(id: u32) -> Word {
        Word(id)
    }

    fn unknown(id: u32) -> Word {
        Word(id | Word::UNKNOWN)
    }

    pub(crate) fn is_unknown(self) -> bool {
        self.0 & Word::UNKNOWN != 0
    }

    pub(crate) fn id(self) -> usize {
        (self.0 & !Word::UNKNOWN) as usize
    }

    fn word_id(self) -> WordId {
        let lex = if self.is_unknown() {
            LexType::Unknown
        } else {
            LexType::System
        };
        WordId::new(lex, self.id() as u32)
    }
}

/// What the lattice needs of one entry.
#[derive(Debug, Clone, Copy)]
struct Entry {
    word: Word,
    left: u16,
    right: u16,
    cost: i16,
    /// mecab-ko's left-space penalty for this entry's tag, added when a space precedes it.
    penalty: i32,
}

/// A character's ko-dic classes: a bit per class, and its first (default) class, which alone
/// names the unknown-word entries tried for it.
#[derive(Debug, Clone, Copy)]
struct CharInfo {
    mask: u32,
    default: u8,
}

impl CharInfo {
    fn pack(self) -> u32 {
        self.mask | (u32::from(self.default) << 24)
    }

    fn unpack(packed: u32) -> CharInfo {
        CharInfo {
            mask: packed & 0x00FF_FFFF,
            default: (packed >> 24) as u8,
        }
    }

    /// MeCab's `isKindOf`: the two share a class.
    fn kind_of(self, other: CharInfo) -> bool {
        self.mask & other.mask != 0
    }
}

/// A character class of `char.def` with its unknown-word entries.
struct Category {
    invoke: bool,
    group: bool,
    length: usize,
    unknown: Box<[Entry]>,
}

/// The dictionary, arranged for the lattice: loaded once, shared by all threads.
pub(crate) struct Lexicon {
    pub(crate) dictionary: Dictionary,
    penalty: SpacePenaltyTable,
    /// The left-space penalty of the dictionary's entries by left context id, when the left
    /// id decides it (it does in ko-dic: the id encodes the tag the rules read); looking it
    /// up by entry id would cost a cache miss per lattice node.
    left_penalty: Option<Box<[i32]>>,
    /// [`CharInfo`] of every BMP code point, packed.
    bmp: Box<[u32]>,
    categories: Vec<Category>,
    /// The classes of a space, as MeCab's `space_` holds them.
    space: CharInfo,
    /// For entries that tie with another of the same surface (same context ids and cost), their
    /// place in MeCab-ko's order where lindera's differs ([`TIES`]).
    ties: std::collections::HashMap<u32, u8>,
    /// The keys of `ties`, a bit per entry id.
    tied: Box<[u64]>,
    /// The connection matrix transposed (a row per right context id), for [`Self::spread_out`].
    columns: Box<[i16]>,
    columns_len: usize,
    /// [`Self::spread_in`] per pair of left ids and [`Self::spread_out`] per pair of right
    /// ids, filled as pairs are met (each costs a pass over a matrix row, and a run meets the
    /// same pairs again and again); shared by the threads, who may both fill a slot with the
    /// same value.
    spreads_in: Box<[std::sync::atomic::AtomicI16]>,
    spreads_out: Box<[std::sync::atomic::AtomicI16]>,
}

/// The left-space penalty by left context id, if every dictionary entry of one left id has the
/// same (a pass over the entry records: a few milliseconds).
fn left_penalty(dictionary: &Dictionary, penalty: &SpacePenaltyTable) -> Option<Box<[i32]>> {
    let lefts = dictionary.connection_cost_matrix.backward_size as usize;
    let mut by_left: Vec<Option<i32>> = vec![None; lefts];
    let records: &[u8] = &dictionary.prefix_dictionary.vals_data;
    for record in records.chunks_exact(10) {
        // Read as `Lexicon::create` reads them.
        let id = u32::from_le_bytes(record[0..4].try_into().expect("4 bytes"));
        let left = u16::from_le_bytes(record[6..8].try_into().expect("2 bytes"));
        let cost = penalty.cost(Word::system(id).word_id());
        match by_left.get_mut(usize::from(left))? {
            Some(known) if *known != cost => return None,
            slot => *slot = Some(cost),
        }
    }
    Some(by_left.into_iter().map(|p| p.unwrap_or(0)).collect())
}

/// The value in `slot`, computed by `spread` the first time.
fn remembered(slot: &std::sync::atomic::AtomicI16, spread: impl FnOnce() -> i32) -> i32 {
    use std::sync::atomic::Ordering::Relaxed;
    match slot.load(Relaxed) {
        UNKNOWN_SPREAD => {
            let value = spread();
            // Rounding a bound down would prune a path that can win: too large means none.
            let stored = if value >= i32::from(HUGE_SPREAD) {
                HUGE_SPREAD
            } else {
                value.max(i32::from(UNKNOWN_SPREAD) + 1) as i16
            };
            slot.store(stored, Relaxed);
            i32::from(stored)
        }
        HUGE_SPREAD => UNREACHABLE_SPREAD,
        stored => i32::from(stored),
    }
}

/// A bound that prunes nothing.
const UNREACHABLE_SPREAD: i32 = UNREACHABLE;

/// A spread not computed yet.
const UNKNOWN_SPREAD: i16 = i16::MIN;
/// A spread too large for `i16`: no bound (pruning never uses it).
const HUGE_SPREAD: i16 = i16::MAX;

/// ko-dic entries that tie, in the order MeCab-ko lists them (`data/make-kodic-ties.py` wrote it
/// from mecab-ko-dic's compiled sys.dic; lindera's copy lists them sorted by feature).
const TIES: &str = include_str!("../../data/kodic-ties.tsv");

/// Reads [`TIES`] into each listed entry's place in its group.
fn ties(dictionary: &Dictionary) -> Result<std::collections::HashMap<u32, u8>, String> {
    let mut places = std::collections::HashMap::new();
    for (n, line) in TIES.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let surface = fields.next().unwrap_or_default();
        let cost: i16 = fields
            .nth(2)
            .and_then(|c| c.parse().ok())
            .ok_or(format!("data/kodic-ties.tsv line {}: no cost", n + 1))?;
        let entries = dictionary.prefix_dictionary.find_surface(surface);
        for (place, features) in fields.enumerate() {
            let entry = entries
                .iter()
                .find(|e| {
                    e.word_cost() == cost
                        && dictionary
                            .word_details_iter(e.word_id().id() as usize)
                            .eq(features.split(','))
                })
                .ok_or(format!(
                    "data/kodic-ties.tsv line {}: no entry {surface} {features}",
                    n + 1
                ))?;
            places.insert(entry.word_id().id(), place as u8);
        }
    }
    Ok(places)
}

impl Lexicon {
    /// Arranges `dictionary` for the lattice; fails if it lacks a class MeCab-ko needs or its
    /// space-penalty rules cannot be applied.
    pub(crate) fn new(dictionary: Dictionary) -> Result<Lexicon, String> {
        let rules = dictionary
            .metadata
            .space_penalty
            .clone()
            .ok_or("the dictionary ships no left-space penalty rules")?;
        let penalty = SpacePenaltyTable::build(&rules, &dictionary, None)
            .map_err(|e| format!("cannot apply the left-space penalty: {e}"))?;
        let definitions = &dictionary.character_definition;
        let names = definitions.categories().to_vec();
        if names.len() > 24 {
            return Err(format!("{} character classes, at most 24 fit", names.len()));
        }
        let default_class = definitions
            .category_id_by_name("DEFAULT")
            .ok_or("char.def has no DEFAULT class")?;
        let mut categories = Vec::with_capacity(names.len());
        for name in &names {
            let id = definitions
                .category_id_by_name(name)
                .expect("a listed class");
            let data = definitions.lookup_definition(id);
            let unknown = dictionary
                .unknown_dictionary
                .lookup_word_ids(id)
                .iter()
                .map(|&uid| {
                    let e = dictionary.unknown_dictionary.word_entry(uid);
                    let word = Word::unknown(uid);
                    Entry {
                        word,
                        left: e.left_id() as u16,
                        right: e.right_id() as u16,
                        cost: e.word_cost(),
                        penalty: penalty.cost(word.word_id()),
                    }
                })
                .collect();
            categories.push(Category {
                invoke: data.invoke,
                group: data.group,
                length: data.length as usize,
                unknown,
            });
        }
        let info_of = |c: char| -> CharInfo {
            let classes = definitions.lookup_categories(c);
            let classes: &[_] = if classes.is_empty() {
                std::slice::from_ref(&default_class)
            } else {
                classes
            };
            CharInfo {
                mask: classes.iter().fold(0, |m, id| m | (1 << id.0)),
                default: classes[0].0 as u8,
            }
        };
        let bmp = (0..=0xFFFFu32)
            .map(|cp| char::from_u32(cp).map_or(info_of('\0'), info_of).pack())
            .collect();
        let space = info_of(' ');
        let ties = ties(&dictionary)?;
        let mut tied = vec![0u64; dictionary.prefix_dictionary.word_count() / 64 + 1];
        for &id in ties.keys() {
            tied[id as usize / 64] |= 1 << (id % 64);
        }
        let left_penalty = left_penalty(&dictionary, &penalty);
        let matrix = &dictionary.connection_cost_matrix;
        let (rights, lefts) = (matrix.forward_size as usize, matrix.backward_size as usize);
        let mut columns = vec![0i16; rights * lefts].into_boxed_slice();
        for left in 0..lefts {
            for (right, &cost) in matrix.row(left as u32).iter().enumerate() {
                columns[right * lefts + left] = cost;
            }
        }
        Ok(Lexicon {
            ties,
            tied: tied.into_boxed_slice(),
            columns,
            columns_len: lefts,
            spreads_in: (0..lefts * lefts)
                .map(|_| std::sync::atomic::AtomicI16::new(UNKNOWN_SPREAD))
                .collect(),
            spreads_out: (0..rights * rights)
                .map(|_| std::sync::atomic::AtomicI16::new(UNKNOWN_SPREAD))
                .collect(),
            penalty,
            left_penalty,
            bmp,
            categories,
            space,
            dictionary,
        })
    }

    fn info(&self, c: char) -> CharInfo {
        match self.bmp.get(c as usize) {
            Some(&packed) => CharInfo::unpack(packed),
            None => {
                let classes = self.dictionary.character_definition.lookup_categories(c);
                match classes.first() {
                    Some(first) => CharInfo {
                        mask: classes.iter().fold(0, |m, id| m | (1 << id.0)),
                        default: first.0 as u8,
                    },
                    None => CharInfo::unpack(self.bmp[0]),
                }
            }
        }
    }

    /// Whether MeCab skips `c` before looking a word up (ko-dic's `SPACE` class: space, tab,
    /// line feed, vertical tab, carriage return; not U+00A0 or U+3000, which are symbols).
    pub(crate) fn is_space(&self, c: char) -> bool {
        self.space.kind_of(self.info(c))
    }

    /// Whether `text` ends with the part before the space of a [`SPACE_KEYS`] entry: then the
    /// space after it may be inside a word, and the unit goes on past it.
    pub(crate) fn space_key_head(text: &str) -> bool {
        SPACE_KEYS.iter().any(|key| {
            let head = key.split(' ').next().unwrap_or(key);
            text.ends_with(head)
        })
    }

    /// Whether `word` is listed in [`TIES`] (one bit per entry, so the common case costs one
    /// load).
    fn tied(&self, word: Word) -> bool {
        let id = word.0 as usize;
        self.tied
            .get(id / 64)
            .is_some_and(|bits| bits & (1 << (id % 64)) != 0)
    }

    /// A dictionary entry, with its left-space penalty.
    fn entry(&self, word: Word, left: u32, right: u32, cost: i16) -> Entry {
        let penalty = match &self.left_penalty {
            Some(by_left) if !word.is_unknown() => by_left[left as usize],
            _ => self.penalty.cost(word.word_id()),
        };
        Entry {
            word,
            left: left as u16,
            right: right as u16,
            cost,
            penalty,
        }
    }

    /// The connection cost from a morpheme with right context `right` to one with left context
    /// `left` (BOS and EOS have context 0).
    #[inline]
    pub(crate) fn connect(&self, right: u16, left: u16) -> i32 {
        self.dictionary
            .connection_cost_matrix
            .cost(u32::from(right), u32::from(left))
    }

    /// How much more a path entering by left context `a` can cost than one entering by `b`,
    /// at most, whatever precedes ([`Self::spread_in`], remembered).
    fn bound_in(&self, a: u16, b: u16) -> i32 {
        let slot = &self.spreads_in[usize::from(a) * self.columns_len + usize::from(b)];
        remembered(slot, || self.spread_in(a, b))
    }

    /// How much more a path leaving by right context `a` can cost than one leaving by `b`, at
    /// most, whatever follows ([`Self::spread_out`], remembered).
    fn bound_out(&self, a: u16, b: u16) -> i32 {
        let rights = self.columns.len() / self.columns_len;
        let slot = &self.spreads_out[usize::from(a) * rights + usize::from(b)];
        remembered(slot, || self.spread_out(a, b))
    }

    /// The largest excess of the connection cost into left context `a` over that into `b`,
    /// from any right context (BOS included).
    fn spread_in(&self, a: u16, b: u16) -> i32 {
        let matrix = &self.dictionary.connection_cost_matrix;
        let (a, b) = (matrix.row(u32::from(a)), matrix.row(u32::from(b)));
        a.iter()
            .zip(b)
            .map(|(&x, &y)| i32::from(x) - i32::from(y))
            .max()
            .unwrap_or(0)
    }

    /// The largest excess of the connection cost from right context `a` over that from `b`,
    /// into any left context (EOS included).
    fn spread_out(&self, a: u16, b: u16) -> i32 {
        let n = self.columns_len;
        let (a, b) = (usize::from(a) * n, usize::from(b) * n);
        self.columns[a..a + n]
            .iter()
            .zip(&self.columns[b..b + n])
            .map(|(&x, &y)| i32::from(x) - i32::from(y))
            .max()
            .unwrap_or(0)
    }

    /// The features of an entry, as ko-dic lists them.
    pub(crate) fn features(&self, word: Word) -> impl Iterator<Item = &str> {
        if word.is_unknown() {
            self.dictionary.unknown_word_details_iter(word.id())
        } else {
            self.dictionary.word_details_iter(word.id())
        }
    }

    /// Whether ko-dic has a common-noun (NNG) entry with this exact surface.
    pub(crate) fn has_common_noun(&self, surface: &str) -> bool {
        self.dictionary
            .prefix_dictionary
            .find_surface_iter(surface)
            .any(|e| {
                e.word_id().is_system()
                    && self
                        .dictionary
                        .word_details_iter(e.word_id().id() as usize)
                        .next()
                        == Some("NNG")
            })
    }
}

/// One morpheme of a unit: byte offsets into the unit's text, its entry, and how the noun and
/// entity rules read it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Morph {
    pub(crate) start: u16,
    pub(crate) end: u16,
    pub(crate) word: Word,
    pub(crate) tag: Tag,
    pub(crate) class: Class,
    /// Its place in the order MeCab relaxes the unit's nodes: of two paths of equal cost, MeCab
    /// keeps the one whose last differing node comes later in this order.
    pub(crate) node: u32,
}

/// A way into a unit: its first morpheme's left context id and left-space penalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Way {
    pub(crate) left: u16,
    pub(crate) penalty: i32,
}

/// A unit analysed for every way in and out (see the module documentation).
#[derive(Debug)]
pub(crate) struct Unit {
    /// The unit's text, which alone decides the rest.
    pub(crate) text: Box<str>,
    /// Ways in, in MeCab's order of their first morpheme.
    pub(crate) ins: Box<[Way]>,
    /// Ways out: the right context ids of last morphemes.
    pub(crate) outs: Box<[u16]>,
    /// Best path cost per (way in, way out), row-major, [`UNREACHABLE`] where there is none;
    /// the first morpheme's connection and penalty are left to the caller, who knows what
    /// precedes the unit.
    pub(crate) costs: Box<[i32]>,
    /// The morphemes of each best path: a range of `steps` per (way in, way out).
    pub(crate) paths: Box<[(u32, u32)]>,
    /// Indexes into `morphs`, path after path.
    pub(crate) steps: Box<[u16]>,
    pub(crate) morphs: Box<[Morph]>,
}

impl Unit {
    pub(crate) fn cost(&self, way_in: usize, way_out: usize) -> i32 {
        self.costs[way_in * self.outs.len() + way_out]
    }

    /// The morphemes of the best path from `way_in` to `way_out`.
    pub(crate) fn path(
        &self,
        way_in: usize,
        way_out: usize,
    ) -> impl DoubleEndedIterator<Item = &Morph> {
        let (start, end) = self.paths[way_in * self.outs.len() + way_out];
        self.steps[start as usize..end as usize]
            .iter()
            .map(|&i| &self.morphs[i as usize])
    }

    /// Of two best paths to `way_out` of equal cost, whether MeCab keeps the one from `a` over
    /// the one from `b`: it keeps the path whose last node that differs was relaxed later.
    pub(crate) fn prefers(&self, a: usize, b: usize, way_out: usize) -> bool {
        let mut b_path = self.path(b, way_out).rev();
        for m in self.path(a, way_out).rev() {
            match b_path.next() {
                Some(n) if n.node == m.node => continue,
                Some(n) => return m.node > n.node,
                None => return false,
            }
        }
        false
    }

    /// The node a path to `way_out` from `way_in` ends with, in relaxation order.
    pub(crate) fn last_node(&self, way_in: usize, way_out: usize) -> u32 {
        self.path(way_in, way_out).next_back().map_or(0, |m| m.node)
    }

    /// Bytes held, for the cache's budget.
    pub(crate) fn size(&self) -> usize {
        std::mem::size_of::<Unit>()
            + self.text.len()
            + self.ins.len() * std::mem::size_of::<Way>()
            + self.outs.len() * 2
            + self.costs.len() * 4
            + self.paths.len() * 8
            + self.steps.len() * 2
            + self.morphs.len() * std::mem::size_of::<Morph>()
    }
}

/// A unit analysed in its context ([`Lexicon::forward`]): per way out, its best cost and path.
#[derive(Debug, Default)]
pub(crate) struct Plain {
    pub(crate) outs: Vec<PlainOut>,
    morphs: Vec<Morph>,
}

#[derive(Debug)]
pub(crate) struct PlainOut {
    pub(crate) right: u16,
    pub(crate) cost: i64,
    /// The node the path ends with, in relaxation order.
    pub(crate) last: u32,
    /// The way in the path starts from.
    pub(crate) way: u32,
    path: (u32, u32),
}

impl Plain {
    /// The morphemes of the best path to way out `out`.
    pub(crate) fn path(&self, out: usize) -> &[Morph] {
        let (a, b) = self.outs[out].path;
        &self.morphs[a as usize..b as usize]
    }
}

/// A lattice node: an entry placed on the text.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Where the lookup that made it began: the end of the nodes before it (MeCab's
    /// `rlength` counts from here, spaces included).
    from: u32,
    start: u32,
    end: u32,
    entry: Entry,
    /// Its way in, if it starts the unit.
    way_in: u32,
}

/// How much better one way can be than another whatever the context, kept per thread.
///
/// For ways in `f` and `e` of a unit: whatever precedes it, the path entering by `f` costs at
/// most `bound(f, e)` more than the one entering by `e` (the largest difference of their
/// connection costs from any right context, plus the difference of their left-space penalties
/// if positive). So if `f`'s best cost at a node plus that bound is still below `e`'s, `e` is
/// never on a best path through the node. Likewise for ways out, over every left context.
#[derive(Default)]
struct Bounds {
    /// The current unit's bounds between ways in, `i32::MIN` where not yet needed.
    unit: Vec<i32>,
    /// The same between its ways out.
    unit_out: Vec<i32>,
    lanes: usize,
}

impl Bounds {
    fn reset(&mut self, lanes: usize) {
        self.lanes = lanes;
        self.unit.clear();
        self.unit.resize(lanes * lanes, i32::MIN);
        self.unit_out.clear();
    }

    /// How much more entering by way `f` can cost than entering by way `e`, at most.
    fn get(&mut self, lexicon: &Lexicon, ins: &[Way], f: usize, e: usize) -> i32 {
        let slot = f * self.lanes + e;
        if self.unit[slot] == i32::MIN {
            let (a, b) = (ins[f], ins[e]);
            let spread = lexicon.bound_in(a.left, b.left);
            self.unit[slot] = spread.saturating_add((a.penalty - b.penalty).max(0));
        }
        self.unit[slot]
    }

    /// How much more leaving by way out `a` can cost than leaving by `b`, at most.
    fn get_out(&mut self, lexicon: &Lexicon, outs: &[u16], a: usize, b: usize) -> i32 {
        if self.unit_out.len() != outs.len() * outs.len() {
            self.unit_out.clear();
            self.unit_out.resize(outs.len() * outs.len(), i32::MIN);
        }
        let slot = a * outs.len() + b;
        if self.unit_out[slot] == i32::MIN {
            self.unit_out[slot] = lexicon.bound_out(outs[a], outs[b]);
        }
        self.unit_out[slot]
    }
}

/// The buffers a unit's lattice is built in, kept per thread.
#[derive(Default)]
pub(crate) struct Scratch {
    chars: Vec<char>,
    infos: Vec<CharInfo>,
    /// Byte offset of each character, and the text's length last.
    offsets: Vec<u32>,
    nodes: Vec<Node>,
    /// Node indexes by end position, in the order MeCab relaxes them.
    ends_at: Vec<Vec<u32>>,
    costs: Vec<i32>,
    /// Path costs of [`Lexicon::forward`], which start from a sentence's running total.
    wide: Vec<i64>,
    back: Vec<u32>,
    /// Per node, the lanes still live there (a bit per way in).
    live: Vec<u64>,
    bounds: Bounds,
    ins: Vec<Way>,
    outs: Vec<u16>,
    morph_of: Vec<u16>,
    /// [`Lexicon::forward`]'s cost of each way in, ways out beaten, and a path being read back.
    entry: Vec<i64>,
    beaten: Vec<bool>,
    path: Vec<u32>,
}

impl Scratch {
    /// Where the unit's paths end: its end, or, for a line that ends with spaces no entry
    /// covers, the last position nodes end at (MeCab connects EOS there).
    fn last_end(&self, n: usize) -> usize {
        (0..=n)
            .rev()
            .find(|&p| !self.ends_at[p].is_empty())
            .unwrap_or(n)
    }
}

impl Lexicon {
    /// MeCab-ko's `Tokenizer::lookup` at character `from`: appends the nodes it creates to
    /// `nodes`, in the order MeCab relaxes them (MeCab prepends each new node to a list it then
    /// walks from the head: the reverse of creation).
    fn lookup(&self, s: &mut Scratch, from: usize) {
        let before = s.nodes.len();
        self.create(s, from);
        s.nodes[before..].reverse();
    }

    /// The nodes MeCab's lookup creates at `from`, in creation order.
    fn create(&self, s: &mut Scratch, from: usize) {
        let n = s.chars.len();
        // seekToOtherType from a space: skip a run of characters each sharing a class with the
        // one before it, starting from the space's classes.
        let mut begin = from;
        let mut kind = self.space;
        while begin < n && kind.kind_of(s.infos[begin]) {
            kind = s.infos[begin];
            begin += 1;
        }
        if begin == n {
            return;
        }
        let before = s.nodes.len();
        let from = from as u32;
        let push = |nodes: &mut Vec<Node>, entry: Entry, end: usize| {
            nodes.push(Node {
                from,
                start: begin as u32,
                end: end as u32,
                entry,
                way_in: u32::MAX,
            });
        };
        for (bytes, len) in self
            .dictionary
            .prefix_dictionary
            .common_prefix_search(&s.chars[begin..])
        {
            let first = s.nodes.len();
            for record in bytes.chunks_exact(10) {
                // lindera's serialised WordEntry: id u32, cost i16, left u16, right u16 (LE);
                // a test checks this reading against `find_surface`.
                let id = u32::from_le_bytes(record[0..4].try_into().expect("4 bytes"));
                let cost = i16::from_le_bytes(record[4..6].try_into().expect("2 bytes"));
                let left = u16::from_le_bytes(record[6..8].try_into().expect("2 bytes"));
                let right = u16::from_le_bytes(record[8..10].try_into().expect("2 bytes"));
                let entry = self.entry(Word::system(id), left.into(), right.into(), cost);
                push(&mut s.nodes, entry, begin + len);
            }
            let key = &mut s.nodes[first..];
            if key.len() > 1 && key.iter().any(|n| self.tied(n.entry.word)) {
                key.sort_by_key(|n| self.ties.get(&n.entry.word.0).copied().unwrap_or(0));
            }
        }
        let info = s.infos[begin];
        let category = &self.categories[info.default as usize];
        if s.nodes.len() > before && !category.invoke {
            return;
        }
        let add_unknown = |nodes: &mut Vec<Node>, end: usize| {
            for &entry in category.unknown.iter() {
                push(nodes, entry, end);
            }
        };
        let mut next = begin + 1;
        let mut group_end = usize::MAX;
        if category.group {
            let mut end = next;
            let mut kind = info;
            while end < n && kind.kind_of(s.infos[end]) {
                kind = s.infos[end];
                end += 1;
            }
            if end - next <= MAX_GROUPING {
                add_unknown(&mut s.nodes, end);
            }
            group_end = end;
        }
        for _ in 1..=category.length {
            if next > n || next == group_end {
                break;
            }
            add_unknown(&mut s.nodes, next);
            if next == n || !info.kind_of(s.infos[next]) {
                break;
            }
            next += 1;
        }
        if s.nodes.len() == before {
            add_unknown(&mut s.nodes, next.min(n));
        }
    }

    /// Builds a unit's lattice: its characters, nodes (in relaxation order), nodes by end, and
    /// ways in.
    fn build(&self, text: &str, s: &mut Scratch) {
        s.chars.clear();
        s.infos.clear();
        s.offsets.clear();
        for (offset, c) in text.char_indices() {
            s.chars.push(c);
            s.infos.push(self.info(c));
            s.offsets.push(offset as u32);
        }
        s.offsets.push(text.len() as u32);
        let n = s.chars.len();
        s.nodes.clear();
        for slot in s.ends_at.iter_mut().take(n + 1) {
            slot.clear();
        }
        if s.ends_at.len() < n + 1 {
            s.ends_at.resize_with(n + 1, Vec::new);
        }
        s.ins.clear();

        // Build: nodes are looked up at every reachable position, so they come out ordered by
        // `from`, and every node's predecessors are made before it.
        for pos in 0..n {
            if pos > 0 && s.ends_at[pos].is_empty() {
                continue;
            }
            let first = s.nodes.len();
            self.lookup(s, pos);
            for i in first..s.nodes.len() {
                let node = s.nodes[i];
                if pos == 0 {
                    let way = Way {
                        left: node.entry.left,
                        penalty: node.entry.penalty,
                    };
                    let index = match s.ins.iter().position(|w| *w == way) {
                        Some(index) => index,
                        None => {
                            s.ins.push(way);
                            s.ins.len() - 1
                        }
                    };
                    s.nodes[i].way_in = index as u32;
                }
                s.ends_at[node.end as usize].push(i as u32);
            }
        }
    }

    /// Analyses one unit in its context, as MeCab's lattice does: `way_in` gives the best cost
    /// of reaching each way in from what precedes the unit (left-space penalty included). Costs
    /// what building a [`Unit`] costs for one way in; used for a unit not worth tabulating.
    pub(crate) fn forward(
        &self,
        text: &str,
        s: &mut Scratch,
        way_in: &mut impl FnMut(Way) -> i64,
        classify: &mut impl FnMut(Word, &str) -> (Tag, Class),
        plain: &mut Plain,
    ) {
        self.build(text, s);
        let n = s.chars.len();
        let mut entry = std::mem::take(&mut s.entry);
        entry.clear();
        entry.extend(s.ins.iter().map(|&w| way_in(w)));
        s.wide.clear();
        s.wide.resize(s.nodes.len(), i64::MAX);
        s.back.clear();
        s.back.resize(s.nodes.len(), u32::MAX);
        for i in 0..s.nodes.len() {
            let node = s.nodes[i];
            if node.from == 0 {
                s.wide[i] = entry[node.way_in as usize].saturating_add(i64::from(node.entry.cost));
                continue;
            }
            let own = i64::from(node.entry.cost)
                + if node.start > node.from {
                    i64::from(node.entry.penalty)
                } else {
                    0
                };
            let row = self
                .dictionary
                .connection_cost_matrix
                .row(u32::from(node.entry.left));
            let (mut best, mut back) = (i64::MAX, u32::MAX);
            // The last minimum in relaxation order, as in `unit`.
            for &m in &s.ends_at[node.from as usize] {
                let from = s.wide[m as usize];
                if from == i64::MAX {
                    continue;
                }
                let cost = from + i64::from(row[s.nodes[m as usize].entry.right as usize]) + own;
                if cost <= best {
                    best = cost;
                    back = m;
                }
            }
            s.wide[i] = best;
            s.back[i] = back;
        }
        s.entry = entry;
        plain.outs.clear();
        plain.morphs.clear();
        for &i in &s.ends_at[s.last_end(n)] {
            let node = s.nodes[i as usize];
            let cost = s.wide[i as usize];
            if cost == i64::MAX {
                continue;
            }
            match plain.outs.iter_mut().find(|o| o.right == node.entry.right) {
                Some(out) if cost <= out.cost => {
                    out.cost = cost;
                    out.last = i;
                }
                Some(_) => {}
                None => plain.outs.push(PlainOut {
                    right: node.entry.right,
                    cost,
                    last: i,
                    way: 0,
                    path: (0, 0),
                }),
            }
        }
        // A way out that another beats whatever follows is never on the best path: dropping it
        // spares its path and the next unit's joins.
        let outs = &plain.outs;
        let mut beaten = std::mem::take(&mut s.beaten);
        beaten.clear();
        beaten.extend((0..outs.len()).map(|x| {
            (0..outs.len()).any(|o| {
                o != x
                    && outs[o].cost + i64::from(self.bound_out(outs[o].right, outs[x].right))
                        < outs[x].cost
            })
        }));
        let mut kept = beaten.iter().map(|b| !b);
        plain.outs.retain(|_| kept.next().unwrap_or(true));
        s.beaten = beaten;
        let mut path = std::mem::take(&mut s.path);
        for out in &mut plain.outs {
            path.clear();
            let mut i = out.last;
            while i != u32::MAX {
                path.push(i);
                i = s.back[i as usize];
            }
            let start = plain.morphs.len() as u32;
            for &i in path.iter().rev() {
                let node = s.nodes[i as usize];
                let (a, b) = (s.offsets[node.start as usize], s.offsets[node.end as usize]);
                let (tag, class) = classify(node.entry.word, &text[a as usize..b as usize]);
                plain.morphs.push(Morph {
                    start: a as u16,
                    end: b as u16,
                    word: node.entry.word,
                    tag,
                    class,
                    node: i,
                });
            }
            out.way = s.nodes[*path.last().expect("a path") as usize].way_in;
            out.path = (start, plain.morphs.len() as u32);
        }
        s.path = path;
    }

    /// Analyses one unit for every way in and out (see the module documentation). `classify`
    /// gives the tag and class of a morpheme from its entry and surface.
    pub(crate) fn unit(
        &self,
        text: &str,
        s: &mut Scratch,
        classify: &mut impl FnMut(Word, &str) -> (Tag, Class),
    ) -> Unit {
        self.build(text, s);
        let n = s.chars.len();

        // Relax, one cost per way in ("lane"): a node's best path from each way in. A lane that
        // another lane beats at some node whatever precedes the unit (`Bounds`) can never be on
        // a best path through that node, so it is dropped there: most ways in die within a
        // character or two, and the relaxation follows only the live ones.
        let lanes = s.ins.len();
        let masked = lanes <= 64;
        s.costs.clear();
        s.costs.resize(s.nodes.len() * lanes, UNREACHABLE);
        s.back.clear();
        s.back.resize(s.nodes.len() * lanes, u32::MAX);
        s.live.clear();
        s.live.resize(s.nodes.len(), 0);
        s.bounds.reset(lanes);
        for i in 0..s.nodes.len() {
            let node = s.nodes[i];
            if node.from == 0 {
                s.costs[i * lanes + node.way_in as usize] = i32::from(node.entry.cost);
                s.live[i] = if masked { 1 << node.way_in } else { 0 };
                continue;
            }
            let own = i32::from(node.entry.cost)
                + if node.start > node.from {
                    node.entry.penalty
                } else {
                    0
                };
            let row = self
                .dictionary
                .connection_cost_matrix
                .row(u32::from(node.entry.left));
            let (before, rest) = s.costs.split_at_mut(i * lanes);
            let best = &mut rest[..lanes];
            let back = &mut s.back[i * lanes..(i + 1) * lanes];
            let mut live = 0u64;
            // MeCab keeps the first minimum of a list built newest first: the last minimum in
            // relaxation order.
            for &m in &s.ends_at[node.from as usize] {
                let m = m as usize;
                let step = i32::from(row[s.nodes[m].entry.right as usize]) + own;
                let from = &before[m * lanes..(m + 1) * lanes];
                if masked {
                    let mut bits = s.live[m];
                    live |= bits;
                    while bits != 0 {
                        let lane = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        let cost = from[lane] + step;
                        if cost <= best[lane] {
                            best[lane] = cost;
                            back[lane] = m as u32;
                        }
                    }
                } else {
                    for lane in 0..lanes {
                        let cost = from[lane].saturating_add(step);
                        if from[lane] < UNREACHABLE && cost <= best[lane] {
                            best[lane] = cost;
                            back[lane] = m as u32;
                        }
                    }
                }
            }
            if masked && live.count_ones() > 1 {
                let mut outer = live;
                while outer != 0 {
                    let e = outer.trailing_zeros() as usize;
                    outer &= outer - 1;
                    let mut inner = live & !(1 << e);
                    while inner != 0 {
                        let f = inner.trailing_zeros() as usize;
                        inner &= inner - 1;
                        if best[f].saturating_add(s.bounds.get(self, &s.ins, f, e)) < best[e] {
                            live &= !(1 << e);
                            best[e] = UNREACHABLE;
                            break;
                        }
                    }
                }
            }
            s.live[i] = live;
        }

        // Ways out: the right contexts of the nodes ending the unit, each with the best node
        // per lane.
        s.outs.clear();
        let mut exits: Vec<u32> = Vec::new();
        for &i in &s.ends_at[s.last_end(n)] {
            let right = s.nodes[i as usize].entry.right;
            let out = match s.outs.iter().position(|&r| r == right) {
                Some(out) => out,
                None => {
                    s.outs.push(right);
                    exits.resize(s.outs.len() * lanes, u32::MAX);
                    s.outs.len() - 1
                }
            };
            for lane in 0..lanes {
                let cost = s.costs[i as usize * lanes + lane];
                if cost >= UNREACHABLE {
                    continue;
                }
                let best = &mut exits[out * lanes + lane];
                if *best == u32::MAX || cost <= s.costs[*best as usize * lanes + lane] {
                    *best = i;
                }
            }
        }
        // A (way in, way out) pair that another pair beats whatever follows the unit is never
        // on a best path either.
        let cost_of = |s: &Scratch, out: usize, lane: usize| match exits[out * lanes + lane] {
            u32::MAX => UNREACHABLE,
            node => s.costs[node as usize * lanes + lane],
        };
        let outs = s.outs.len();
        let mut dead = vec![false; lanes * outs];
        for lane in 0..lanes {
            for out in 0..outs {
                let cost = cost_of(s, out, lane);
                if cost >= UNREACHABLE {
                    dead[lane * outs + out] = true;
                    continue;
                }
                let beaten_in = (0..lanes).any(|f| {
                    f != lane && {
                        let other = cost_of(s, out, f);
                        other < UNREACHABLE
                            && other.saturating_add(s.bounds.get(self, &s.ins, f, lane)) < cost
                    }
                });
                let beaten_out = (0..outs).any(|o| {
                    o != out && {
                        let other = cost_of(s, o, lane);
                        other < UNREACHABLE
                            && other.saturating_add(s.bounds.get_out(self, &s.outs, o, out)) < cost
                    }
                });
                dead[lane * outs + out] = beaten_in || beaten_out;
            }
        }
        for lane in 0..lanes {
            for out in 0..outs {
                if dead[lane * outs + out] {
                    exits[out * lanes + lane] = u32::MAX;
                }
            }
        }
        // Keep only the ways in and out some best path can use.
        let keep_in: Vec<usize> = (0..lanes)
            .filter(|&l| (0..outs).any(|o| exits[o * lanes + l] != u32::MAX))
            .collect();
        let keep_out: Vec<usize> = (0..outs)
            .filter(|&o| (0..lanes).any(|l| exits[o * lanes + l] != u32::MAX))
            .collect();

        // Paths, morphemes shared between them stored once.
        let (ins, outs) = (keep_in.len(), keep_out.len());
        let mut costs = vec![UNREACHABLE; ins * outs];
        let mut paths = vec![(0u32, 0u32); ins * outs];
        let mut steps: Vec<u16> = Vec::new();
        let mut morphs: Vec<Morph> = Vec::new();
        s.morph_of.clear();
        s.morph_of.resize(s.nodes.len(), u16::MAX);
        let mut path = Vec::new();
        for (k, &lane) in keep_in.iter().enumerate() {
            for (j, &out) in keep_out.iter().enumerate() {
                let last = exits[out * lanes + lane];
                if last == u32::MAX {
                    continue;
                }
                costs[k * outs + j] = s.costs[last as usize * lanes + lane];
                path.clear();
                let mut i = last;
                while i != u32::MAX {
                    path.push(i);
                    i = s.back[i as usize * lanes + lane];
                }
                let start = steps.len() as u32;
                for &i in path.iter().rev() {
                    let i = i as usize;
                    if s.morph_of[i] == u16::MAX {
                        let node = s.nodes[i];
                        let (a, b) = (s.offsets[node.start as usize], s.offsets[node.end as usize]);
                        let (tag, class) = classify(node.entry.word, &text[a as usize..b as usize]);
                        s.morph_of[i] = morphs.len() as u16;
                        morphs.push(Morph {
                            start: a as u16,
                            end: b as u16,
                            word: node.entry.word,
                            tag,
                            class,
                            node: i as u32,
                        });
                    }
                    steps.push(s.morph_of[i]);
                }
                paths[k * outs + j] = (start, steps.len() as u32);
            }
        }
        Unit {
            text: text.into(),
            ins: keep_in.iter().map(|&l| s.ins[l]).collect(),
            outs: keep_out.iter().map(|&o| s.outs[o]).collect(),
            costs: costs.into_boxed_slice(),
            paths: paths.into_boxed_slice(),
            steps: steps.into_boxed_slice(),
            morphs: morphs.into_boxed_slice(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn lexicon() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            let dictionary = lindera::dictionary::load_dictionary("embedded://ko-dic").unwrap();
            Lexicon::new(dictionary).unwrap()
        })
    }

    /// The lattice reads lindera's serialised entries itself; they must be what lindera's own
    /// API decodes.
    #[test]
    fn entry_records_read_as_lindera_decodes_them() {
        let lexicon = lexicon();
        let prefix = &lexicon.dictionary.prefix_dictionary;
        for surface in ["저", "카카오", "데이터", "있", "에듀", "영치기 영차"] {
            let chars: Vec<char> = surface.chars().collect();
            let mut ours = Vec::new();
            for (bytes, len) in prefix.common_prefix_search(&chars) {
                if len == chars.len() {
                    for r in bytes.chunks_exact(10) {
                        ours.push((
                            u32::from_le_bytes(r[0..4].try_into().unwrap()),
                            i16::from_le_bytes(r[4..6].try_into().unwrap()),
                            u16::from_le_bytes(r[6..8].try_into().unwrap()),
                            u16::from_le_bytes(r[8..10].try_into().unwrap()),
                        ));
                    }
                }
            }
            let theirs: Vec<_> = prefix
                .find_surface(surface)
                .iter()
                .map(|e| {
                    (
                        e.word_id().id(),
                        e.word_cost(),
                        e.left_id() as u16,
                        e.right_id() as u16,
                    )
                })
                .collect();
            assert!(!theirs.is_empty(), "{surface:?} is a ko-dic entry");
            assert_eq!(ours, theirs, "{surface:?}");
        }
    }

    /// ko-dic's left-space penalty depends on the left context id alone, so the lattice reads it
    /// from a small table; another dictionary would fall back to the entry's own penalty.
    #[test]
    fn the_left_space_penalty_is_read_by_left_context() {
        let lexicon = lexicon();
        let by_left = lexicon
            .left_penalty
            .as_ref()
            .expect("one penalty per left id");
        let prefix = &lexicon.dictionary.prefix_dictionary;
        for surface in ["저", "은", "카카오", "있", "다"] {
            for e in prefix.find_surface(surface) {
                assert_eq!(
                    by_left[e.left_id() as usize],
                    lexicon.penalty.cost(e.word_id()),
                    "{surface:?}"
                );
            }
        }
        assert!(by_left.iter().any(|&p| p > 0), "some tags are penalised");
    }

    #[test]
    fn space_keys_are_dictionary_entries() {
        let lexicon = lexicon();
        let prefix = &lexicon.dictionary.prefix_dictionary;
        for key in SPACE_KEYS {
            assert!(!prefix.find_surface(key).is_empty(), "{key:?}");
        }
        // The four with a trailing space are there without it.
        for key in ["내셔날 ", "에듀 ", "캘리 ", "콜라비 "] {
            assert!(prefix.find_surface(key).is_empty(), "{key:?}");
            let trimmed = prefix.find_surface(key.trim_end());
            assert!(
                trimmed.iter().any(|e| lexicon
                    .dictionary
                    .word_details_iter(e.word_id().id() as usize)
                    .next()
                    == Some("NNG")),
                "{key:?}"
            );
        }
    }
}

//! Learned boilerplate: outlet templates found in the dump itself, not in a list.
//!
//! The normaliser's regexes ([`crate::normalise`]) strip the bylines and copyright lines they
//! know; every outlet has others (`◎공감언론 뉴시스 e-mail`, `★ … 네이버에서 구독하세요 ★`,
//! `[서울=뉴시스]이름 기자 =`), and they change over the years. A short flash ends with a trailer
//! longer than its own text, so two different flashes of one outlet look alike, and the trailer's
//! words top the keyword tables. This stage learns such text from the dump, in the manner of
//! CCNet's line-hash counts:
//!
//! - [`units`]: an article's *units* — each body line, the prefixes of the body's first line and
//!   of the title that end at a punctuation mark (a byline
//!   `[서울=뉴시스]홍길동 기자 =` before the lead sentence), and the suffixes of the last line that
//!   start at one. A unit's key is its text without whitespace, digits masked to `0` (a trailer
//!   with a date or a phone number is still the same trailer).
//! - [`Counter`] (pass 1): for every key, in how many articles and on which days it was seen,
//!   across the dump and within each outlet — exact [`Counts`], which depend on the set of
//!   articles only, not on their order (so a Spark `groupBy` of the same keys learns the same).
//! - [`Counter::learn`] → [`Templates`]: a unit is template when it recurs over time, not when it
//!   recurs on one day: seen on at least [`GLOBAL_DAYS`] distinct days spread over at least
//!   [`GLOBAL_SPAN_DAYS`] days, or within one outlet in at least [`OUTLET_ARTICLES`] articles on at
//!   least [`OUTLET_DAYS`] distinct days. Text that many outlets share on the same day or the next
//!   is the wire copy itself and keeps counting; a story's background paragraph that an outlet
//!   repeats day after day becomes template, which is what keeps daily reports apart.
//! - [`Templates::find`] → [`Learned`]: the template spans of one article; dedup compares the
//!   text without them ([`Learned::compared`]), and analysis counts no keyword, entity or mention
//!   inside them ([`Learned::covers`]). `articles.csv` reports their length per article.
//!
//! Guarantees: deterministic and order-free (a key's counts are sums, minima and maxima over the
//! articles it is in; no randomly seeded hasher); bounded memory (a [`Sketch`] of
//! [`SEEN_BITS`] bits tells which keys were seen twice, and only those are counted, from the
//! sightings spilled to a temporary file: the dump's unique lines, most of it, cost two bits in
//! memory and their key on disk); conservative (an article that would be left with almost
//! nothing is compared whole, see [`MIN_KEPT_CHARS`]). Undated articles add to article counts
//! but not to days, so a dump without dates learns only what the regexes already strip.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::BuildHasherDefault;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::error::Result;
use crate::record::{Field, Normalised};

/// Distinct days a unit must be seen on, over the whole dump, to be template.
pub const GLOBAL_DAYS: usize = 5;
/// …and the days between its first and last sighting. Wire copies and a story's follow-ups sit
/// within days of each other; outlet trailers recur for months.
pub const GLOBAL_SPAN_DAYS: u16 = 28;
/// Articles of one outlet a unit must be seen in to be that outlet's template…
pub const OUTLET_ARTICLES: u32 = 4;
/// …on at least this many distinct days (an outlet's same-day updates of one story share lines).
pub const OUTLET_DAYS: usize = 3;
/// An article whose text without template would keep fewer characters than this (whitespace
/// aside) is compared whole: it is all template, and comparing nothing would lose it.
pub const MIN_KEPT_CHARS: usize = 12;
/// Characters of a first line (title) within which byline prefixes are looked for, and of a last
/// line within which trailer suffixes are.
const PREFIX_CHARS: usize = 48;
const SUFFIX_CHARS: usize = 64;
/// Keys with fewer characters (whitespace aside) are not units: `▲`, `사진` say nothing.
const MIN_UNIT_CHARS: usize = 3;
/// Bits of the sketches that tell which keys were seen twice, over both rules and all shards
/// (64 MiB).
pub const SEEN_BITS: usize = 1 << 29;
const SHARDS: usize = 16;
/// Distinct days remembered per key: enough to decide both rules.
const DAYS_KEPT: usize = if GLOBAL_DAYS > OUTLET_DAYS {
    GLOBAL_DAYS
} else {
    OUTLET_DAYS
};

/// Where a unit sits, which decides what a match removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A whole body line or a sentence of one.
    Body,
    /// A prefix of the body's first line.
    Lead,
    /// A suffix of the body's last line.
    Tail,
    /// A prefix of the title (`[포토]`, `[속보]`).
    Title,
}

/// One unit of an article: where it sits, its byte range in the field, and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    place: Place,
    range: Range<usize>,
    pub key: u64,
}

/// The key of a unit's text: whitespace removed, ASCII digits masked, hashed with its place
/// (a line that happens to equal a title prefix is another unit).
#[cfg(test)]
fn key(place: Place, text: &str) -> Option<u64> {
    let mut compact = Compact::default();
    compact.extend(text);
    compact.key(place, 0..compact.text.len(), compact.chars)
}

/// A text as unit keys hash it (see [`key`]), built a character at a time so that the keys of a
/// line's prefixes (suffixes) are hashes of prefixes (suffixes) of one compact text: compacting
/// each prefix anew cost more than the rest of template learning.
#[derive(Default)]
struct Compact {
    text: String,
    /// Characters in `text`.
    chars: usize,
}

impl Compact {
    fn clear(&mut self) {
        self.text.clear();
        self.chars = 0;
    }

    fn push(&mut self, c: char) {
        if !c.is_whitespace() {
            self.text.push(if c.is_ascii_digit() { '0' } else { c });
            self.chars += 1;
        }
    }

    fn extend(&mut self, s: &str) {
        s.chars().for_each(|c| self.push(c));
    }

    /// The key of `self.text[bytes]`, which holds `chars` characters; `None` when too short.
    fn key(&self, place: Place, bytes: Range<usize>, chars: usize) -> Option<u64> {
        (chars >= MIN_UNIT_CHARS)
            .then(|| xxh3_64_with_seed(&self.text.as_bytes()[bytes], place as u64))
    }
}

/// A punctuation mark or symbol: where a byline or a trailer may end or start.
fn is_mark(c: char) -> bool {
    !is_letter(c) && !c.is_whitespace()
}

/// A letter or digit. Hangul syllables and ASCII are answered without the Unicode tables, whose
/// lookup for non-ASCII characters was a tenth of a run when every character went through it.
pub fn is_letter(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{AC00}'..='\u{D7A3}').contains(&c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Byte ranges of the sentences of a line (for dedup's lead keys): cut after `.`, `?`, `!` or `。` followed by a space.
pub fn sentence_ranges(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '?' | '!' | '。') && chars.peek().is_some_and(|(_, n)| *n == ' ') {
            let end = i + c.len_utf8();
            out.push(start..end);
            start = end + 1;
        }
    }
    if start < line.len() {
        out.push(start..line.len());
    }
    out
}

/// Every unit of an article (see the module docs), with byte ranges into its normalised title
/// (for [`Place::Title`]) or body.
pub fn units(text: &Normalised) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut compact = Compact::default();
    let body = text.body.as_str();
    let mut offset = 0;
    let lines: Vec<(usize, &str)> = body
        .split('\n')
        .map(|line| {
            let start = offset;
            offset += line.len() + 1;
            (start, line)
        })
        .collect();
    // Whole lines only, not the sentences inside them: a sentence that recurs for months inside
    // paragraphs of different stories is background (the guards in `dedup` keep daily reports
    // apart), and a story made mostly of such sentences must not be reduced to its remainder.
    for &(start, line) in &lines {
        compact.clear();
        compact.extend(line);
        if let Some(key) = compact.key(Place::Body, 0..compact.text.len(), compact.chars) {
            let (place, range) = (Place::Body, start..start + line.len());
            out.push(Unit { place, range, key });
        }
    }
    if let Some(&(start, first)) = lines.first() {
        prefix_units(Place::Lead, first, start, &mut compact, &mut out);
    }
    if let Some(&(start, last)) = lines.last() {
        // The suffix from byte `from` compacts to the compact line's tail after the compact
        // length of `last[..from]`, and holds the characters not before it.
        let starts = suffix_starts(last);
        if let Some(&first) = starts.first() {
            compact.clear();
            let mut cuts = Vec::with_capacity(starts.len());
            let mut next = starts.iter().peekable();
            for (i, c) in last[first..].char_indices() {
                if next.next_if(|&&from| from == first + i).is_some() {
                    cuts.push((compact.text.len(), compact.chars));
                }
                compact.push(c);
            }
            for (&from, (byte, before)) in starts.iter().zip(cuts) {
                let chars = compact.chars - before;
                if let Some(key) = compact.key(Place::Tail, byte..compact.text.len(), chars) {
                    let range = start + from..start + last.len();
                    out.push(Unit {
                        place: Place::Tail,
                        range,
                        key,
                    });
                }
            }
        }
    }
    prefix_units(Place::Title, &text.title, 0, &mut compact, &mut out);
    out
}

/// The units of the prefixes of `line` ([`prefix_ends`]), whose byte ranges start at `offset`
/// in their field.
fn prefix_units(
    place: Place,
    line: &str,
    offset: usize,
    compact: &mut Compact,
    out: &mut Vec<Unit>,
) {
    let ends = prefix_ends(line);
    let Some(&last) = ends.last() else { return };
    compact.clear();
    let mut next = ends.iter().peekable();
    for (i, c) in line[..last].char_indices() {
        compact.push(c);
        if next.next_if(|&&end| end == i + c.len_utf8()).is_some() {
            let end = i + c.len_utf8();
            if let Some(key) = compact.key(place, 0..compact.text.len(), compact.chars) {
                out.push(Unit {
                    place,
                    range: offset..offset + end,
                    key,
                });
            }
        }
    }
}

/// Ends (byte offsets, after the mark) of the prefixes of `line` that end at a mark within its
/// first [`PREFIX_CHARS`] characters; not the whole line (that is a line unit).
fn prefix_ends(line: &str) -> Vec<usize> {
    line.char_indices()
        .take(PREFIX_CHARS)
        .filter(|&(_, c)| is_mark(c))
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&end| end < line.trim_end().len())
        .collect()
}

/// Starts (byte offsets, at the mark) of the suffixes of `line` that start at a mark within its
/// last [`SUFFIX_CHARS`] characters; not the whole line.
fn suffix_starts(line: &str) -> Vec<usize> {
    let skip = line.chars().count().saturating_sub(SUFFIX_CHARS);
    line.char_indices()
        .skip(skip)
        .filter(|&(i, c)| i > 0 && is_mark(c))
        .map(|(i, _)| i)
        .collect()
}

/// The key of a unit within one outlet.
fn outlet_key(outlet: u64, key: u64) -> u64 {
    xxh3_64_with_seed(&key.to_le_bytes(), outlet)
}

/// An outlet's name as a hash seed (`None`: no outlet rule).
pub fn outlet_id(outlet: Option<&str>) -> Option<u64> {
    outlet
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| xxh3_64(o.as_bytes()) | 1)
}

/// A date as a day number for counting (days since 1950-01-01), or `None`.
pub fn day(iso: Option<&str>) -> Option<u16> {
    let days = crate::entities::dates::day_number(iso?)?;
    u16::try_from(days + 7305).ok()
}

/// What is known of a key over the whole dump: the articles it is in, the distinct days
/// among them, the first and last of those days. A template is a function of these counts
/// alone ([`Counts::is_template`]), so any engine that groups the sightings by key (this
/// module's [`Counter`], a Spark `groupBy`) learns the same templates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub articles: u64,
    /// Distinct days (undated articles add none).
    pub days: u64,
    /// First and last day (`None` when no article with the key is dated).
    pub span: Option<(u16, u16)>,
}

impl Counts {
    /// Whether a key with these counts is template: `outlet` tells the rule, per outlet or
    /// across the dump (see the module documentation).
    pub fn is_template(&self, outlet: bool) -> bool {
        if outlet {
            self.articles >= u64::from(OUTLET_ARTICLES) && self.days >= OUTLET_DAYS as u64
        } else {
            self.days >= GLOBAL_DAYS as u64
                && self
                    .span
                    .is_some_and(|(first, last)| last - first >= GLOBAL_SPAN_DAYS)
        }
    }
}

/// What is remembered of a key while counting: articles, and up to [`DAYS_KEPT`] distinct days
/// with the span — enough to give the [`Counts`] the rules read, in less memory.
#[derive(Debug, Clone, Default)]
struct Seen {
    articles: u32,
    days: [u16; DAYS_KEPT],
    distinct: u8,
    first: u16,
    last: u16,
}

impl Seen {
    fn add(&mut self, day: Option<u16>) {
        self.articles = self.articles.saturating_add(1);
        let Some(day) = day else { return };
        let n = self.distinct as usize;
        if n == 0 {
            (self.first, self.last) = (day, day);
        } else {
            self.first = self.first.min(day);
            self.last = self.last.max(day);
        }
        if n < DAYS_KEPT && !self.days[..n].contains(&day) {
            self.days[n] = day;
            self.distinct += 1;
        }
    }

    /// The counts, with days capped at [`DAYS_KEPT`] (the rules ask for no more).
    fn counts(&self) -> Counts {
        Counts {
            articles: u64::from(self.articles),
            days: u64::from(self.distinct),
            span: (self.distinct > 0).then_some((self.first, self.last)),
        }
    }
}

type FixedState = BuildHasherDefault<xxhash_rust::xxh3::Xxh3Default>;

/// Which keys were seen at least once, at least twice: two bits a slot of a hash of the key.
/// The final bits depend only on how many sightings each slot had, not on their order.
struct Sketch {
    once: Vec<u64>,
    twice: Vec<u64>,
}

impl Sketch {
    fn new(bits: usize) -> Self {
        Sketch {
            once: vec![0; bits / 64],
            twice: vec![0; bits / 64],
        }
    }

    fn slot(&self, key: u64) -> (usize, u64) {
        let bit = (key.rotate_left(17) % (self.once.len() as u64 * 64)) as usize;
        (bit / 64, 1u64 << (bit % 64))
    }

    fn add(&mut self, key: u64) {
        let (word, mask) = self.slot(key);
        if self.once[word] & mask == 0 {
            self.once[word] |= mask;
        } else {
            self.twice[word] |= mask;
        }
    }

    /// Whether the key may have been seen twice (true for every key that was; also for a few
    /// seen once, whose slot another key shares).
    fn maybe_twice(&self, key: u64) -> bool {
        let (word, mask) = self.slot(key);
        self.twice[word] & mask != 0
    }
}

/// One article's contribution to the counts: its distinct keys, its outlet (as
/// [`outlet_id`]) and its day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sighting {
    global: Vec<u64>,
    outlet: Option<u64>,
    day: Option<u16>,
}

impl Sighting {
    /// The keys counted, with the rule each is counted for (`true`: within the outlet).
    pub fn keys(&self) -> impl Iterator<Item = (bool, u64)> + '_ {
        let global = self.global.iter().map(|&k| (false, k));
        let outlet = self
            .outlet
            .into_iter()
            .flat_map(|o| self.global.iter().map(move |&k| (true, outlet_key(o, k))));
        global.chain(outlet)
    }

    /// The article's day (days since 1950-01-01), if it is dated.
    pub fn day(&self) -> Option<u16> {
        self.day
    }
}

/// The sightings of a batch, in parallel (on the current rayon pool), in order; `keys` holds
/// each text's outlet and ISO date.
pub fn sightings(texts: &[Normalised], keys: &[(Option<&str>, Option<&str>)]) -> Vec<Sighting> {
    use rayon::prelude::*;
    texts
        .par_iter()
        .zip(keys)
        .map(|(text, (outlet, date))| sighting(text, *outlet, *date))
        .collect()
}

/// The sighting of one article.
pub fn sighting(text: &Normalised, outlet: Option<&str>, date: Option<&str>) -> Sighting {
    let mut global: Vec<u64> = units(text).into_iter().map(|u| u.key).collect();
    global.sort_unstable();
    global.dedup();
    Sighting {
        global,
        outlet: outlet_id(outlet),
        day: day(date),
    }
}

/// Pass 1's counts of units (see the module docs): exact [`Counts`], independent of the order the
/// sightings come in: [`Counter::add`] marks each key in a [`Sketch`] and spills the sighting to
/// a temporary file; [`Counter::learn`] reads the sightings back and counts exactly the keys the
/// sketch says may have been seen twice (a key seen once is never template). The dump's unique
/// lines, most of it, cost two bits each in memory and their key on disk.
pub struct Counter {
    /// Sketches by shard of the key space: across the dump, then within outlets.
    sketches: Vec<Sketch>,
    spill: Option<BufWriter<File>>,
    sightings: usize,
}

impl Default for Counter {
    fn default() -> Self {
        Counter::with_bits(SEEN_BITS)
    }
}

/// The sketch (and table) a key is counted in: its rule's half, then a shard by its high bits.
fn shard_of(outlet: bool, key: u64) -> usize {
    usize::from(outlet) * SHARDS + (key >> 60) as usize % SHARDS
}

fn spill_error(error: std::io::Error) -> crate::error::Error {
    crate::error::Error::io(std::env::temp_dir().join("(template unit keys)"), error)
}

impl Counter {
    /// A counter whose sketches hold `bits` bits in all (a multiple of 256 × shards).
    fn with_bits(bits: usize) -> Self {
        Counter {
            sketches: (0..2 * SHARDS)
                .map(|_| Sketch::new(bits / 4 / SHARDS))
                .collect(),
            spill: None,
            sightings: 0,
        }
    }

    /// Counts a batch of sightings (batches may come in any order).
    pub fn add(&mut self, batch: &[Sighting]) -> Result<()> {
        self.mark(batch);
        let spill = match &mut self.spill {
            Some(spill) => spill,
            None => self.spill.insert(BufWriter::with_capacity(
                1 << 20,
                tempfile::tempfile().map_err(spill_error)?,
            )),
        };
        for s in batch {
            write_sighting(spill, s).map_err(spill_error)?;
        }
        self.sightings += batch.len();
        Ok(())
    }

    /// The templates the counts show; the counts and the spilled sightings are dropped.
    pub fn learn(mut self) -> Result<Templates> {
        let mut tables = self.tables();
        if let Some(spill) = self.spill.take() {
            let mut file = spill
                .into_inner()
                .map_err(|e| spill_error(e.into_error()))?;
            file.seek(SeekFrom::Start(0)).map_err(spill_error)?;
            let mut reader = BufReader::with_capacity(1 << 20, file);
            let mut left = self.sightings;
            while left > 0 {
                let n = left.min(1 << 16);
                let batch = (0..n)
                    .map(|_| read_sighting(&mut reader))
                    .collect::<std::io::Result<Vec<Sighting>>>()
                    .map_err(spill_error)?;
                left -= n;
                count(&self.sketches, &mut tables, &batch);
            }
        }
        Ok(templates_of(tables))
    }

    /// Marks the keys of a batch in the sketches.
    fn mark(&mut self, batch: &[Sighting]) {
        self.sketches
            .par_iter_mut()
            .enumerate()
            .for_each(|(i, sketch)| {
                for s in batch {
                    for (_, key) in s.keys().filter(|&(o, k)| shard_of(o, k) == i) {
                        sketch.add(key);
                    }
                }
            });
    }

    fn tables(&self) -> Vec<Table> {
        (0..self.sketches.len()).map(|_| Table::default()).collect()
    }
}

/// Exact counts of the keys a shard's sketch says may have been seen twice.
type Table = HashMap<u64, Seen, FixedState>;

/// Counts a batch of sightings into the tables, each shard on its own thread.
fn count(sketches: &[Sketch], tables: &mut [Table], batch: &[Sighting]) {
    tables
        .par_iter_mut()
        .zip(sketches)
        .enumerate()
        .for_each(|(i, (table, sketch))| {
            for s in batch {
                for (_, key) in s.keys().filter(|&(o, k)| shard_of(o, k) == i) {
                    if sketch.maybe_twice(key) {
                        table.entry(key).or_default().add(s.day);
                    }
                }
            }
        });
}

fn templates_of(tables: Vec<Table>) -> Templates {
    let mut templates = Templates::default();
    for (i, table) in tables.into_iter().enumerate() {
        let outlet = i >= SHARDS;
        let learned = table
            .into_iter()
            .filter(|(_, seen)| seen.counts().is_template(outlet))
            .map(|(k, _)| k);
        if outlet {
            templates.outlet.extend(learned);
        } else {
            templates.global.extend(learned);
        }
    }
    templates
}

/// The templates of sightings held in memory: [`Counter`]'s counts without the spill.
pub fn learn(sightings: &[Sighting]) -> Templates {
    let mut counter = Counter::default();
    counter.mark(sightings);
    let mut tables = counter.tables();
    count(&counter.sketches, &mut tables, sightings);
    templates_of(tables)
}

/// A sighting on the spill: flags (dated, has an outlet), day, outlet, key count, keys.
fn write_sighting(w: &mut impl Write, s: &Sighting) -> std::io::Result<()> {
    let flags = u8::from(s.day.is_some()) | u8::from(s.outlet.is_some()) << 1;
    w.write_all(&[flags])?;
    w.write_all(&s.day.unwrap_or(0).to_le_bytes())?;
    w.write_all(&s.outlet.unwrap_or(0).to_le_bytes())?;
    w.write_all(&(s.global.len() as u32).to_le_bytes())?;
    for key in &s.global {
        w.write_all(&key.to_le_bytes())?;
    }
    Ok(())
}

fn read_sighting(r: &mut impl Read) -> std::io::Result<Sighting> {
    let mut head = [0u8; 1 + 2 + 8 + 4];
    r.read_exact(&mut head)?;
    let day = u16::from_le_bytes([head[1], head[2]]);
    let outlet = u64::from_le_bytes(head[3..11].try_into().expect("8 bytes"));
    let n = u32::from_le_bytes(head[11..15].try_into().expect("4 bytes")) as usize;
    let mut keys = vec![0u8; n * 8];
    r.read_exact(&mut keys)?;
    Ok(Sighting {
        global: keys
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect(),
        outlet: (head[0] & 2 != 0).then_some(outlet),
        day: (head[0] & 1 != 0).then_some(day),
    })
}

/// The learned templates: keys of template units, across the dump and per outlet.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    global: HashSet<u64, FixedState>,
    outlet: HashSet<u64, FixedState>,
}

impl Templates {
    /// Nothing learned (dedup off, or an in-memory run without learning).
    pub fn none() -> Self {
        Templates::default()
    }

    /// Number of template keys learned (across the dump, within outlets), for the manifest.
    pub fn len(&self) -> (usize, usize) {
        (self.global.len(), self.outlet.len())
    }

    pub fn is_empty(&self) -> bool {
        self.global.is_empty() && self.outlet.is_empty()
    }

    /// The learned keys (across the dump, within outlets), sorted: what another process needs
    /// to rebuild the same templates with [`Templates::from_keys`] (a Spark executor).
    pub fn keys(&self) -> (Vec<u64>, Vec<u64>) {
        let sorted = |set: &HashSet<u64, FixedState>| {
            let mut keys: Vec<u64> = set.iter().copied().collect();
            keys.sort_unstable();
            keys
        };
        (sorted(&self.global), sorted(&self.outlet))
    }

    /// The templates of keys given by [`Templates::keys`].
    pub fn from_keys(global: &[u64], outlet: &[u64]) -> Self {
        Templates {
            global: global.iter().copied().collect(),
            outlet: outlet.iter().copied().collect(),
        }
    }

    fn is_template(&self, outlet: Option<u64>, key: u64) -> bool {
        self.global.contains(&key)
            || outlet.is_some_and(|o| self.outlet.contains(&outlet_key(o, key)))
    }

    /// The template spans of one article.
    pub fn find(&self, text: &Normalised, outlet: Option<&str>) -> Learned {
        let mut learned = Learned::default();
        if self.is_empty() {
            return learned;
        }
        let outlet = outlet_id(outlet);
        let (mut lead, mut tail, mut title) = (0usize, usize::MAX, 0usize);
        for unit in units(text) {
            if !self.is_template(outlet, unit.key) {
                continue;
            }
            match unit.place {
                Place::Body => learned.body.push(unit.range),
                Place::Lead => lead = lead.max(unit.range.end),
                Place::Tail => tail = tail.min(unit.range.start),
                Place::Title => title = title.max(unit.range.end),
            }
        }
        if lead > 0 {
            learned.body.push(0..lead);
        }
        if tail != usize::MAX {
            learned.body.push(tail..text.body.len());
        }
        learned.title = 0..title;
        learned.body = merged(std::mem::take(&mut learned.body));
        let kept = |s: &str, cut: &[Range<usize>]| {
            let cut_chars: usize = cut
                .iter()
                .map(|r| s[r.clone()].chars().filter(|c| !c.is_whitespace()).count())
                .sum();
            s.chars().filter(|c| !c.is_whitespace()).count() - cut_chars
        };
        if kept(&text.body, &learned.body) + kept(&text.title, std::slice::from_ref(&learned.title))
            < MIN_KEPT_CHARS
        {
            return Learned::default();
        }
        learned
    }
}

/// Sorted, disjoint ranges covering the same bytes.
fn merged(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges.into_iter().filter(|r| r.start < r.end) {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// One article's learned template: byte ranges of its normalised title (a prefix) and body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Learned {
    pub title: Range<usize>,
    /// Sorted and disjoint.
    pub body: Vec<Range<usize>>,
}

impl Learned {
    /// Nothing of the article is template.
    pub fn is_empty(&self) -> bool {
        self.title.is_empty() && self.body.is_empty()
    }

    /// Characters of template (whitespace included) in the article.
    pub fn chars(&self, text: &Normalised) -> usize {
        text.title[self.title.clone()].chars().count()
            + self
                .body
                .iter()
                .map(|r| text.body[r.clone()].chars().count())
                .sum::<usize>()
    }

    /// Whether the byte range `start..end` of `field` lies in template.
    pub fn covers(&self, field: Field, start: usize, end: usize) -> bool {
        let inside = |r: &Range<usize>| r.start <= start && end <= r.end && start < end;
        match field {
            Field::Title => inside(&self.title),
            Field::Body => self.body.iter().any(inside),
        }
    }

    /// The article as dedup compares it: title and body without their template.
    pub fn compared(&self, text: &Normalised) -> Normalised {
        let mut body = String::with_capacity(text.body.len());
        let mut from = 0;
        for r in &self.body {
            body.push_str(&text.body[from..r.start]);
            body.push('\n');
            from = r.end;
        }
        body.push_str(&text.body[from..]);
        Normalised {
            title: text.title[self.title.end..].to_string(),
            body,
            boilerplate_chars: text.boilerplate_chars,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise_text;

    fn text(title: &str, body: &str) -> Normalised {
        normalise_text(title, body)
    }

    fn learn(items: &[(&str, &str, &str, &str)]) -> Templates {
        let sightings: Vec<Sighting> = items
            .iter()
            .map(|(outlet, date, title, body)| {
                sighting(&text(title, body), Some(outlet), Some(date))
            })
            .collect();
        super::learn(&sightings)
    }

    const TRAILER: &str = "◎공감언론 한빛통신 e-mail\n★ 한빛통신 뉴스, 이제 앱에서 구독하세요 ★";

    #[test]
    fn an_outlets_trailer_and_byline_prefix_are_learned_the_wire_copy_is_not() {
        let stories = [
            "시청 앞 광장에서 등불 축제가 열렸다.",
            "기준금리가 0.25%포인트 올랐다고 밝혔다.",
            "프로야구 개막전에 관중 2만명이 몰렸다.",
            "전국에 강한 비가 내리겠다고 예보했다.",
            "서울 지하철 노조가 파업에 들어갔다.",
        ];
        let mut items = Vec::new();
        for (i, s) in stories.iter().enumerate() {
            let date = format!("2022-10-{:02}", 10 + i);
            let byline = "[광주=한빛통신]김가수 기자 = ";
            items.push((
                "한빛통신",
                date.clone(),
                format!("[속보] {s}"),
                format!("{byline}{s}\n{TRAILER}"),
            ));
        }
        // The same wire story in three outlets on one day: shared, but not template.
        let wire = "카카오는 16일 판교 데이터센터 화재로 멈췄던 서비스를 복구했다고 밝혔다.";
        for outlet in ["가람일보", "누리경제", "온새뉴스"] {
            items.push((
                outlet,
                "2022-10-16".into(),
                "카카오 복구".into(),
                wire.into(),
            ));
        }
        let items: Vec<(&str, &str, &str, &str)> = items
            .iter()
            .map(|(o, d, t, b)| (*o, d.as_str(), t.as_str(), b.as_str()))
            .collect();
        let templates = learn(&items);
        let flash = text(
            "[속보] 새 소식",
            &format!("[광주=한빛통신]김가수 기자 = 새 소식이 들어왔다고 전했다.\n{TRAILER}"),
        );
        let learned = templates.find(&flash, Some("한빛통신"));
        let compared = learned.compared(&flash);
        assert_eq!(
            compared.body.trim(),
            "새 소식이 들어왔다고 전했다.",
            "{learned:?}"
        );
        assert!(learned.chars(&flash) > 40);
        // Another outlet's article with the same trailer text is not that outlet's template.
        assert_eq!(templates.find(&flash, Some("가람일보")), Learned::default());
        let copy = text("카카오 복구", wire);
        assert_eq!(templates.find(&copy, Some("가람일보")), Learned::default());
    }

    #[test]
    fn text_recurring_over_months_is_template_across_outlets() {
        let mut items = Vec::new();
        for (i, outlet) in ["가", "나", "다", "라", "마", "바"].iter().enumerate() {
            let date = format!("2022-{:02}-01", i + 1);
            let body = format!("{i}번째 이야기가 시작됐다고 했다.\n※ 이 기사는 무료로 제공됩니다");
            items.push((format!("{outlet}일보"), date, format!("제목 {i}"), body));
        }
        let items: Vec<(&str, &str, &str, &str)> = items
            .iter()
            .map(|(o, d, t, b)| (o.as_str(), d.as_str(), t.as_str(), b.as_str()))
            .collect();
        let templates = learn(&items);
        let t = text(
            "제목",
            "새로운 기사 본문이 여기 있다고 했다.\n※ 이 기사는 무료로 제공됩니다",
        );
        let learned = templates.find(&t, None);
        assert_eq!(
            learned.compared(&t).body.trim(),
            "새로운 기사 본문이 여기 있다고 했다."
        );
        assert!(learned.covers(Field::Body, t.body.len() - 6, t.body.len()));
        assert!(!learned.covers(Field::Body, 0, 6));
    }

    #[test]
    fn an_article_that_is_all_template_is_kept_whole() {
        let mut items = Vec::new();
        for i in 0..6 {
            items.push((
                "가람일보",
                format!("2022-{:02}-03", i + 1),
                "[포토] 오늘",
                "사진으로 보는 오늘의 뉴스",
            ));
        }
        let items: Vec<(&str, &str, &str, &str)> = items
            .iter()
            .map(|(o, d, t, b)| (*o, d.as_str(), *t, *b))
            .collect();
        let templates = learn(&items);
        assert!(!templates.is_empty());
        let t = text("[포토] 오늘", "사진으로 보는 오늘의 뉴스");
        assert_eq!(templates.find(&t, Some("가람일보")), Learned::default());
    }

    #[test]
    fn units_cover_lines_sentences_prefixes_and_suffixes() {
        let t = text(
            "[단독] 제목이다",
            "[서울=한빛]홍길동 기자 = 첫 문장이다. 둘째 문장이다.\n끝 줄이다 ◎한빛 구독",
        );
        let u = units(&t);
        let places = |p: Place| u.iter().filter(|x| x.place == p).count();
        assert_eq!(places(Place::Body), 2, "{u:?}");
        assert!(places(Place::Lead) >= 3);
        assert_eq!(places(Place::Tail), 1);
        assert_eq!(places(Place::Title), 1);
        let title = u.iter().find(|x| x.place == Place::Title).unwrap();
        assert_eq!(&t.title[title.range.clone()], "[단독]");
        // Digits are masked: the same trailer with another date is the same unit.
        assert_eq!(
            key(Place::Body, "2022.10.16 구독"),
            key(Place::Body, "2023.01.02 구독")
        );
    }

    /// Every key's counts by brute force: the definition a `groupBy` implements.
    fn grouped(sightings: &[Sighting]) -> (Vec<u64>, Vec<u64>) {
        let mut by_key: HashMap<(bool, u64), (u64, std::collections::BTreeSet<u16>)> =
            HashMap::new();
        for s in sightings {
            for key in s.keys() {
                let entry = by_key.entry(key).or_default();
                entry.0 += 1;
                entry.1.extend(s.day());
            }
        }
        let mut learned = (Vec::new(), Vec::new());
        for ((outlet, key), (articles, days)) in by_key {
            let counts = Counts {
                articles,
                days: days.len() as u64,
                span: days.first().map(|&f| (f, *days.last().unwrap())),
            };
            if counts.is_template(outlet) {
                if outlet {
                    &mut learned.1
                } else {
                    &mut learned.0
                }
                .push(key);
            }
        }
        learned.0.sort_unstable();
        learned.1.sort_unstable();
        learned
    }

    /// Sightings of articles made of a few shared lines and one of their own: (shared line,
    /// outlet, day, dated) each.
    fn generated(articles: &[(usize, usize, u16, bool)]) -> Vec<Sighting> {
        let lines = [
            "◎공감언론 한빛통신 e-mail",
            "★ 구독하세요 ★",
            "무단 전재 및 재배포 금지",
            "카카오 서비스가 복구됐다.",
            "판교 데이터센터에서 불이 났다.",
            "정부는 점검에 나섰다.",
            "이용자 불편이 이어졌다.",
            "사진=연합뉴스",
            "속보입니다.",
            "김범수 의장이 사과했다.",
            "다음 날 재개됐다.",
            "관계자는 말했다.",
        ];
        articles
            .iter()
            .enumerate()
            .map(|(i, &(line, outlet, day, dated))| {
                let body = format!(
                    "{}\n고유한 문장 {i}번이다.\n{}",
                    lines[line],
                    lines[(line * 7 + 3) % 12]
                );
                let date = crate::entities::dates::iso_day(i64::from(day) + 18_900);
                sighting(
                    &text("제목", &body),
                    Some(["가람일보", "누리경제", "온새뉴스", ""][outlet]),
                    dated.then_some(date.as_str()),
                )
            })
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// The counter learns what grouping every sighting by key learns, whatever the order
        /// and batching of the articles, also with a sketch so small that most keys share a slot.
        #[test]
        fn counts_are_the_grouped_counts_in_any_order(
            articles in proptest::collection::vec((0usize..12, 0usize..4, 0u16..400, proptest::bool::ANY), 1..120),
            seed in 0u64..1000,
            chunk in 1usize..40,
            tiny in proptest::bool::ANY,
        ) {
            let sightings = generated(&articles);
            let expected = grouped(&sightings);
            let mut shuffled = sightings.clone();
            let mut state = seed;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (state >> 33) as usize % (i + 1));
            }
            let mut counter = if tiny { Counter::with_bits(64 * 4 * 2 * SHARDS) } else { Counter::default() };
            for batch in shuffled.chunks(chunk) {
                counter.add(batch).unwrap();
            }
            proptest::prop_assert_eq!(counter.learn().unwrap().keys(), expected.clone());
            proptest::prop_assert_eq!(super::learn(&sightings).keys(), expected);
        }
    }

    #[test]
    fn the_generated_articles_have_templates_of_both_rules() {
        let articles: Vec<_> = (0..120)
            .map(|i| (i % 12, i % 4, (i * 37 % 400) as u16, i % 5 != 0))
            .collect();
        let (global, outlet) = grouped(&generated(&articles));
        assert!(!global.is_empty() && !outlet.is_empty());
    }

    #[test]
    fn a_sighting_reads_back_from_the_spill_as_written() {
        let dated = sighting(
            &text("[속보] 제목", "본문이다.\n꼬리 문구다"),
            Some("가람일보"),
            Some("2022-10-16"),
        );
        let bare = sighting(&text("", "본문"), None, None);
        let mut bytes = Vec::new();
        for s in [&dated, &bare] {
            write_sighting(&mut bytes, s).unwrap();
        }
        let mut r = bytes.as_slice();
        assert_eq!(read_sighting(&mut r).unwrap(), dated);
        assert_eq!(read_sighting(&mut r).unwrap(), bare);
        assert!(r.is_empty());
    }
}

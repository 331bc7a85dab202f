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
//!   across the dump and within each outlet.
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
//! Guarantees: deterministic (the counts are folded in input order, shards by key; no randomly
//! seeded hasher); bounded memory (a key enters the table only on its second sighting: a bit set
//! of [`SEEN_BITS`] bits remembers first sightings, so the dump's unique lines, most of it, cost
//! one bit each; a false positive only lets a key in one sighting early); conservative (an
//! article that would be left with almost nothing is compared whole, see [`MIN_KEPT_CHARS`]).
//! Undated articles add to article counts but not to days, so a dump without dates learns only
//! what the regexes already strip.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::ops::Range;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

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
/// Bits remembering first sightings, over all shards (32 MiB).
pub const SEEN_BITS: usize = 1 << 28;
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

/// What is remembered of a key: articles, and up to [`DAYS_KEPT`] distinct days with the span.
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
}

type FixedState = BuildHasherDefault<xxhash_rust::xxh3::Xxh3Default>;

#[derive(Default)]
struct Shard {
    seen_once: Vec<u64>,
    table: HashMap<u64, Seen, FixedState>,
}

/// One article's contribution to the counts: its distinct keys (global, and per outlet with the
/// outlet rule's tag) and its day.
#[derive(Debug, Clone, Default)]
pub struct Sighting {
    global: Vec<u64>,
    outlet: Vec<u64>,
    day: Option<u16>,
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

/// The sighting of one article (computed in parallel; folded in input order by [`Counter::add`]).
pub fn sighting(text: &Normalised, outlet: Option<&str>, date: Option<&str>) -> Sighting {
    let mut global: Vec<u64> = units(text).into_iter().map(|u| u.key).collect();
    global.sort_unstable();
    global.dedup();
    let outlet = outlet_id(outlet).map_or_else(Vec::new, |o| {
        global.iter().map(|&k| outlet_key(o, k)).collect()
    });
    Sighting {
        global,
        outlet,
        day: day(date),
    }
}

/// Pass 1's counts of units (see the module docs).
pub struct Counter {
    global: Vec<Shard>,
    outlet: Vec<Shard>,
}

impl Default for Counter {
    fn default() -> Self {
        let shards = || {
            (0..SHARDS)
                .map(|_| Shard {
                    seen_once: vec![0; SEEN_BITS / SHARDS / 64],
                    table: HashMap::default(),
                })
                .collect()
        };
        Counter {
            global: shards(),
            outlet: shards(),
        }
    }
}

fn shard_of(key: u64) -> usize {
    (key >> 60) as usize % SHARDS
}

impl Counter {
    /// Folds a batch of sightings, in input order.
    pub fn add(&mut self, batch: &[Sighting]) {
        for (shards, pick) in [
            (
                &mut self.global,
                (|s: &Sighting| &s.global) as fn(&Sighting) -> &Vec<u64>,
            ),
            (&mut self.outlet, |s: &Sighting| &s.outlet),
        ] {
            shards.par_iter_mut().enumerate().for_each(|(i, shard)| {
                let bits = shard.seen_once.len() as u64 * 64;
                for s in batch {
                    for &key in pick(s).iter().filter(|&&k| shard_of(k) == i) {
                        if let Some(seen) = shard.table.get_mut(&key) {
                            seen.add(s.day);
                            continue;
                        }
                        let bit = (key.rotate_left(17) % bits) as usize;
                        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
                        if shard.seen_once[word] & mask == 0 {
                            shard.seen_once[word] |= mask;
                        } else {
                            // The first sighting's day is not known; it was one more article.
                            let mut seen = Seen::default();
                            seen.add(s.day);
                            seen.articles += 1;
                            shard.table.insert(key, seen);
                        }
                    }
                }
            });
        }
    }

    /// The templates the counts show; the counts are dropped.
    pub fn learn(self) -> Templates {
        let global = self.global.into_iter().flat_map(|s| {
            s.table.into_iter().filter_map(|(k, seen)| {
                (seen.distinct as usize >= GLOBAL_DAYS
                    && seen.last - seen.first >= GLOBAL_SPAN_DAYS)
                    .then_some(k)
            })
        });
        let outlet = self.outlet.into_iter().flat_map(|s| {
            s.table.into_iter().filter_map(|(k, seen)| {
                (seen.articles >= OUTLET_ARTICLES && seen.distinct as usize >= OUTLET_DAYS)
                    .then_some(k)
            })
        });
        Templates {
            global: global.collect(),
            outlet: outlet.collect(),
        }
    }
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
        let mut counter = Counter::default();
        let sightings: Vec<Sighting> = items
            .iter()
            .map(|(outlet, date, title, body)| {
                sighting(&text(title, body), Some(outlet), Some(date))
            })
            .collect();
        counter.add(&sightings);
        counter.learn()
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

    #[test]
    fn counts_do_not_depend_on_batching() {
        let items: Vec<Sighting> = (0..40)
            .map(|i| {
                let body = format!("본문 {}\n고정된 꼬리 문구다", i % 7);
                sighting(
                    &text("t", &body),
                    Some(["a", "b"][i % 2]),
                    Some(&format!("2022-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
                )
            })
            .collect();
        let mut whole = Counter::default();
        whole.add(&items);
        let mut batched = Counter::default();
        for chunk in items.chunks(3) {
            batched.add(chunk);
        }
        let (a, b) = (whole.learn(), batched.learn());
        assert_eq!(a.len(), b.len());
        assert!(a.len().0 > 0);
    }
}

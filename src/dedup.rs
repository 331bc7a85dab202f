//! Dedup: which articles tell the same story (wire copies, rewrites, online/print versions).
//!
//! Takes normalised articles (the boilerplate the regexes know already stripped) and, for
//! verification, the same articles without the template the dump itself shows
//! ([`crate::template`]), so that shared bylines and trailers cannot make two stories look alike;
//! gives [`Clusters`]: for every article its story's representative and cluster id.
//!
//! The method, near-linear in the number of articles:
//! 1. [`signature`]: the article's character shingles — `shingle` consecutive characters of title
//!    and body with whitespace removed (Korean rewrites move spaces and particles; whitespace
//!    words would miss them) — summarised as a MinHash of `bands × rows` 32-bit values, plus a
//!    128-bit hash of the exact text and [`LEAD_KEYS`] keys of its headline and lead sentences.
//! 2. [`candidates`]: LSH banding: articles that agree on every value of at least one band are
//!    candidate pairs. No all-pairs loop: each band is sorted once; a bucket of k articles gives
//!    at most 2k pairs (each member with the first and with its predecessor). A flash (headline
//!    and lead sentence of a long story) has a Jaccard similarity near 0.05 with its story, which
//!    LSH on Jaccard almost never proposes; so articles sharing a headline or the end of a lead
//!    sentence are candidates too, each with the first of its key's bucket (a star, never all
//!    pairs of a bucket). Each bucket proposes its pairs alone ([`bucket_keys`],
//!    [`bucket_pairs`]), so an engine finds the same pairs with a `groupBy` on the keys.
//! 3. [`Verifier`]: each candidate pair is checked on its actual shingle sets by containment,
//!    |A ∩ B| / min(|A|, |B|), so a copy that dropped its last paragraph still matches the full
//!    one. Sets are built while streaming the articles again, and kept only until their last
//!    partner has been seen. Exact duplicates skip the check (similarity 1). A pair is *vetoed*
//!    when a number in the shorter text's headline or lead sentence is nowhere in the longer
//!    (daily reports in one sentence frame with other figures are other stories).
//! 4. [`clusters`]: union-find over the pairs at or above `threshold`; pairs whose dates lie more
//!    than [`NEAR_DAYS`] apart need [`FAR_THRESHOLD`]. A text less than [`ATTACH_RATIO`] the size
//!    of its partner (a flash, an excerpt) joins only its one best partner, so a flash can never
//!    join two stories.
//!
//! Representative of a cluster: the most complete text (most characters of normalised body);
//! ties go to the earliest date (articles without a date come after dated ones), then to the
//! earliest in input order. Cluster ids are 1, 2, … in the input order of each cluster's first
//! article. Both depend only on the texts, dates and input order, never on thread count.
//!
//! [`cluster`] runs every step in memory, for small sets and evaluation.

use std::collections::HashMap;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::error::{Error, Result};
use crate::record::Normalised;
use crate::template::{is_letter, Learned};

/// Dedup parameters. The defaults were chosen on bodo's labelled near-duplicate set
/// (`crates/bodo-dupset`, `tests/dedup_quality.rs`, whose ignored `sweep_parameters` test prints the
/// measurements).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DedupConfig {
    /// Off: every article is its own story (`--no-dedup`).
    pub enabled: bool,
    /// Characters per shingle.
    pub shingle: usize,
    /// Containment at or above which two articles are one story.
    pub threshold: f64,
    /// LSH bands and rows per band; `bands × rows` MinHash values per article. With 24 × 3 a pair
    /// with Jaccard 0.5 becomes a candidate with probability 0.96, one with Jaccard 0.15 with
    /// probability 0.08.
    pub bands: usize,
    pub rows: usize,
    /// Learn outlet templates from the dump and leave them out of comparison and analysis
    /// ([`crate::template`]); off: only the regexes' boilerplate is left out.
    pub learn: bool,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            enabled: true,
            shingle: 5,
            threshold: 0.5,
            bands: 24,
            rows: 3,
            learn: true,
        }
    }
}

impl DedupConfig {
    pub fn validate(&self) -> Result<()> {
        if !(1..=32).contains(&self.shingle) {
            return Err(Error::Config(
                "--shingle-size must be 1 to 32 characters".into(),
            ));
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(Error::Config("--dedup-threshold must be in (0, 1]".into()));
        }
        if self.bands == 0 || self.rows == 0 || self.bands * self.rows > 1024 {
            return Err(Error::Config("LSH needs 1 to 1024 MinHash values".into()));
        }
        Ok(())
    }

    /// MinHash values per article, `bands × rows`.
    pub fn permutations(&self) -> usize {
        self.bands * self.rows
    }
}

/// Keys of an article's headline and first two lead sentences, for flash candidates.
pub const LEAD_KEYS: usize = 3;
/// Articles whose dates lie further apart than this many days are one story only at
/// [`FAR_THRESHOLD`]: a daily report and the next week's share a frame, not a story.
pub const NEAR_DAYS: i64 = 3;
pub const FAR_THRESHOLD: f64 = 0.8;
/// A text with fewer than this share of its partner's shingles attaches to one best partner.
pub const ATTACH_RATIO: f64 = 0.5;

/// Below this many shingles containment says little (a one-line text is "contained" in many
/// articles), so short texts are compared by Jaccard similarity instead.
const MIN_SHINGLES_FOR_CONTAINMENT: usize = 25;

/// What dedup keeps of an article between passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// 128-bit hash of the normalised title and body (paragraph breaks count as spaces). At 128
    /// bits an accidental collision in a billion articles has odds of about 1e-21.
    pub exact: u128,
    /// MinHash of the shingle set, `bands × rows` values.
    pub minhash: Box<[u32]>,
    /// Keys of the headline and the ends of the first two lead sentences (0: none).
    pub keys: [u64; LEAD_KEYS],
    /// Sampled fingerprints of the start of the body (see [`lead_prints`]), and whether the
    /// article is short enough to look for its story by them.
    pub prints: [u32; LEAD_PRINTS],
    pub short: bool,
}

/// The text dedup compares: title and body without whitespace, the title kept apart from the
/// body by a character normalised text cannot contain.
fn compared_text(text: &Normalised) -> String {
    let mut out = String::with_capacity(text.title.len() + text.body.len() + 1);
    out.extend(text.title.chars().filter(|c| !c.is_whitespace()));
    out.push('\u{1}');
    out.extend(text.body.chars().filter(|c| !c.is_whitespace()));
    out
}

/// Hashes of the article's shingles, in text order, repeats included.
fn shingle_hashes(text: &Normalised, size: usize) -> Vec<u32> {
    let compact = compared_text(text);
    let bounds: Vec<usize> = compact
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(compact.len()))
        .collect();
    let chars = bounds.len() - 1;
    let size = size.min(chars).max(1);
    (0..=chars - size)
        .map(|i| xxh3_64(&compact.as_bytes()[bounds[i]..bounds[i + size]]) as u32)
        .collect()
}

/// The article's shingle sets without and with its learned template, sorted and distinct, in one
/// pass: a shingle belongs to the first when none of its characters is template. (Shingles that
/// would bridge a cut are not made: the text on either side of a cut never stood together.)
fn shingle_sets(text: &Normalised, learned: &Learned, size: usize) -> (Vec<u32>, Vec<u32>) {
    let mut compact = String::with_capacity(text.title.len() + text.body.len() + 1);
    let mut template: Vec<bool> = Vec::with_capacity(compact.capacity());
    let mut bounds: Vec<usize> = Vec::with_capacity(compact.capacity());
    let mut push = |c: char, cut: bool| {
        bounds.push(compact.len());
        compact.push(c);
        template.push(cut);
    };
    for (i, c) in text
        .title
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
    {
        push(c, learned.title.contains(&i));
    }
    push('\u{1}', false);
    let mut cuts = learned.body.iter().peekable();
    for (i, c) in text.body.char_indices().filter(|(_, c)| !c.is_whitespace()) {
        while cuts.peek().is_some_and(|r| r.end <= i) {
            cuts.next();
        }
        push(c, cuts.peek().is_some_and(|r| r.contains(&i)));
    }
    bounds.push(compact.len());
    let chars = bounds.len() - 1;
    let size = size.min(chars).max(1);
    // Template characters among the first k, so a window's count is a difference.
    let mut before = vec![0u32; chars + 1];
    for (k, &t) in template.iter().enumerate() {
        before[k + 1] = before[k] + u32::from(t);
    }
    let (mut kept, mut whole) = (Vec::new(), Vec::with_capacity(chars));
    for i in 0..=chars - size {
        let h = xxh3_64(&compact.as_bytes()[bounds[i]..bounds[i + size]]) as u32;
        whole.push(h);
        if before[i + size] == before[i] {
            kept.push(h);
        }
    }
    for set in [&mut kept, &mut whole] {
        set.sort_unstable();
        set.dedup();
    }
    (kept, whole)
}

/// The article's shingle set as sorted, distinct 32-bit hashes.
pub fn shingles(text: &Normalised, size: usize) -> Vec<u32> {
    let mut set = shingle_hashes(text, size);
    set.sort_unstable();
    set.dedup();
    set
}

fn exact_hash(text: &Normalised) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(text.title.as_bytes());
    hasher.update(&[0xFF]);
    for (i, paragraph) in text.body.split('\n').enumerate() {
        if i > 0 {
            hasher.update(b" ");
        }
        hasher.update(paragraph.as_bytes());
    }
    hasher.digest128()
}

/// MinHash permutation `i` of the 32-bit shingle hashes: `h(x) = (x ^ b) · a mod 2³²` with `a`
/// odd, a bijection of u32 whose high bits (which decide a minimum) depend on every bit of `x`.
/// 32-bit arithmetic lets the compiler compute eight permutations per instruction; `a` and `b`
/// are fixed for all runs (SplitMix64 of `i`).
fn permutation(i: usize) -> (u32, u32) {
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let z = mix((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    ((z as u32) | 1, (z >> 32) as u32)
}

/// Builds the signature of a normalised article.
pub fn signature(text: &Normalised, cfg: &DedupConfig) -> Signature {
    let (a, b): (Vec<u32>, Vec<u32>) = (0..cfg.permutations()).map(permutation).unzip();
    let mut minhash = vec![u32::MAX; a.len()].into_boxed_slice();
    // Repeated shingles cannot change a minimum, so the hashes need no sorting here.
    for x in shingle_hashes(text, cfg.shingle) {
        for ((min, &a), &b) in minhash.iter_mut().zip(&a).zip(&b) {
            *min = (*min).min((x ^ b).wrapping_mul(a));
        }
    }
    Signature {
        exact: exact_hash(text),
        minhash,
        keys: lead_keys(text),
        prints: lead_prints(&text.body),
        short: text
            .body
            .chars()
            .filter(|&c| is_letter(c))
            .nth(SHORT_CHARS)
            .is_none(),
    }
}

/// Letters and digits of the body's start that [`lead_prints`] samples: a flash is a headline
/// and one or two lead sentences, which stand in the first few hundred characters of its story.
const LEAD_PRINT_CHARS: usize = 200;
/// Characters per fingerprint window, and one window in this many kept (by hash value, so two
/// texts sharing a passage keep the same windows of it, wherever it stands).
const LEAD_PRINT_WINDOW: usize = 10;
const LEAD_PRINT_RATE: u32 = 16;
/// Prints kept per article, the first by position (about 12 are sampled from 200 characters):
/// held inline, a million articles' prints cost 48 MB.
pub const LEAD_PRINTS: usize = 12;
/// Bodies with at most this many letters and digits look for their story by lead prints.
pub const SHORT_CHARS: usize = 400;
/// A print shared by more articles than this is a stock phrase, not a story's lead.
const MAX_PRINT_BUCKET: usize = 512;

/// Sampled fingerprints of the start of a body: hashes of the windows of
/// [`LEAD_PRINT_WINDOW`] letters and digits (punctuation, spaces and bylines' marks aside) among
/// its first [`LEAD_PRINT_CHARS`], kept when the hash is divisible by [`LEAD_PRINT_RATE`] (the
/// first [`LEAD_PRINTS`] of them; 0 marks none). A
/// flash whose lead sentence was edited at the end (`밝혔다` → `16일 밝혔다`) still shares the
/// windows before the edit with its story, which a key of the whole sentence would miss.
fn lead_prints(body: &str) -> [u32; LEAD_PRINTS] {
    let mut start = String::with_capacity(LEAD_PRINT_CHARS * 3);
    let mut bounds = Vec::with_capacity(LEAD_PRINT_CHARS + 1);
    for c in body
        .chars()
        .filter(|&c| is_letter(c))
        .take(LEAD_PRINT_CHARS)
    {
        bounds.push(start.len());
        start.push(c);
    }
    bounds.push(start.len());
    let windows = bounds.len().saturating_sub(LEAD_PRINT_WINDOW);
    let mut prints = [0u32; LEAD_PRINTS];
    let sampled = (0..windows)
        .map(|i| xxh3_64(&start.as_bytes()[bounds[i]..bounds[i + LEAD_PRINT_WINDOW]]) as u32)
        .filter(|&h| h != 0 && h % LEAD_PRINT_RATE == 0);
    for (slot, h) in prints.iter_mut().zip(sampled) {
        *slot = h;
    }
    prints
}

/// Characters a headline key needs (whitespace and marks aside); shorter headlines (`부고`,
/// `인사`) are shared by unrelated articles.
const MIN_HEADLINE_KEY: usize = 8;
/// A lead key is the end of a sentence: this many characters before its final mark, which a
/// byline or a wire prefix before the sentence cannot change.
const LEAD_KEY_CHARS: usize = 20;

/// The letters and digits of `s`, in order.
fn letters(s: &str) -> Vec<char> {
    s.chars().filter(|&c| is_letter(c)).collect()
}

/// The headline without the bracketed tags before it (`[속보]`, `<종합2보>`).
fn headline_core(title: &str) -> &str {
    let mut t = title.trim_start();
    while let Some(open) = t.chars().next() {
        let close = match open {
            '[' => ']',
            '<' => '>',
            '【' => '】',
            '〈' => '〉',
            '(' => ')',
            _ => break,
        };
        match t.find(close) {
            Some(end) if end <= 40 => t = t[end + close.len_utf8()..].trim_start(),
            _ => break,
        }
    }
    t
}

/// The article's headline key and the keys of its first two lead sentences (see [`LEAD_KEYS`]).
fn lead_keys(text: &Normalised) -> [u64; LEAD_KEYS] {
    let mut keys = [0u64; LEAD_KEYS];
    let headline = letters(headline_core(&text.title));
    if headline.len() >= MIN_HEADLINE_KEY {
        keys[0] = xxh3_64(headline.iter().collect::<String>().as_bytes()) | 1;
    }
    for (slot, sentence) in keys[1..].iter_mut().zip(lead_sentences(&text.body)) {
        let chars = letters(sentence);
        if chars.len() >= LEAD_KEY_CHARS {
            let end: String = chars[chars.len() - LEAD_KEY_CHARS..].iter().collect();
            *slot = xxh3_64(end.as_bytes()) | 1;
        }
    }
    keys
}

/// The body's sentences from the start, lines first, sentences of a line in order.
fn lead_sentences(body: &str) -> impl Iterator<Item = &str> {
    body.lines().flat_map(|line| {
        // Only the first sentences are ever wanted: look at the start of a long line.
        let mut end = line.len().min(1200);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let head = &line[..end];
        crate::template::sentence_ranges(head)
            .into_iter()
            .map(move |r| &head[r])
    })
}

/// The numbers of a text, each as a hash of its value: `3천억`, `3000억` and `300,000,000,000`
/// are one number, `15일` and `15 일` too.
pub fn numbers(text: &str) -> Vec<u32> {
    numbers_of(text, false)
}

/// [`numbers`], leaving out days of the month when `days_aside`.
fn numbers_of(text: &str, days_aside: bool) -> Vec<u32> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut value = 0f64;
    let mut in_number = false;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (matches!(chars[i], ',' | '.')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            if chars[i] != ',' {
                digits.push(chars[i]);
            }
            i += 1;
        }
        let mut n: f64 = digits.parse().unwrap_or(0.0);
        if let Some(m) = chars.get(i).and_then(|&c| small_unit(c)) {
            n *= m;
            i += 1;
        }
        let big = chars.get(i).and_then(|&c| big_unit(c));
        if let Some(m) = big {
            n *= m;
            i += 1;
        }
        // `3조2000억`: a number right after a big unit continues the same amount.
        value = if in_number { value + n } else { n };
        in_number = big.is_some() && chars.get(i).is_some_and(char::is_ascii_digit);
        // A day of the month (`16일`) dates the report rather than counting anything: a flash
        // adds `관계자가 16일 밝혔다` to its story's lead, and a daily report's own figures
        // differ anyway.
        let day = big.is_none() && chars.get(i) == Some(&'일') && value < 32.0;
        if !(in_number || days_aside && day) {
            out.push(xxh3_64(format!("{value}").as_bytes()) as u32);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The headline (tags aside) and first sentence of an article, outside brackets: where a
/// report's own figures stand.
fn lead_of(text: &Normalised) -> String {
    without_brackets(&format!(
        "{} {}",
        headline_core(&text.title),
        lead_sentences(&text.body).next().unwrap_or("")
    ))
}

/// The text outside brackets: a bracketed number (an age `(33)`, a serial `(295)`, a code) is
/// an aside, not the figure a report is about.
fn without_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' | '<' | '【' | '〈' => depth += 1,
            ')' | ']' | '>' | '】' | '〉' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn small_unit(c: char) -> Option<f64> {
    match c {
        '십' => Some(10.0),
        '백' => Some(100.0),
        '천' => Some(1000.0),
        _ => None,
    }
}

fn big_unit(c: char) -> Option<f64> {
    match c {
        '만' => Some(1e4),
        '억' => Some(1e8),
        '조' => Some(1e12),
        _ => None,
    }
}

/// What verification keeps of an article: the shingle set of its text without template, the
/// shingle set of its whole text (empty when nothing was template), the numbers of its
/// headline and lead sentence, and all its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub shingles: Vec<u32>,
    pub whole: Vec<u32>,
    pub lead_numbers: Vec<u32>,
    pub numbers: Vec<u32>,
}

/// Containment of the whole texts, template included, below which a pair is not one story
/// however alike the texts without template are: leaving template out may only separate
/// articles, never join two that share little but what is left (two stories whose text is
/// mostly recurring background and share one sentence of the rest). A flash whose trailer is
/// longer than its text still keeps about a third of its shingles in its story.
pub const WHOLE_FLOOR: f64 = 0.2;

impl Fingerprint {
    /// The fingerprint of a normalised article and its learned template.
    pub fn new(text: &Normalised, learned: &crate::template::Learned, shingle: usize) -> Self {
        let (shingles, whole) = if learned.is_empty() {
            (shingles(text, shingle), Vec::new())
        } else {
            shingle_sets(text, learned, shingle)
        };
        let lead = if learned.is_empty() {
            lead_of(text)
        } else {
            lead_of(&learned.compared(text))
        };
        let mut numbers_all = numbers(&text.title);
        numbers_all.extend(numbers(&text.body));
        numbers_all.sort_unstable();
        numbers_all.dedup();
        Fingerprint {
            shingles,
            whole,
            lead_numbers: numbers_of(&lead, true),
            numbers: numbers_all,
        }
    }

    fn whole(&self) -> &[u32] {
        if self.whole.is_empty() {
            &self.shingles
        } else {
            &self.whole
        }
    }

    fn encode(&self) -> Vec<u32> {
        let mut out = vec![
            self.shingles.len() as u32,
            self.whole.len() as u32,
            self.lead_numbers.len() as u32,
        ];
        out.extend(&self.shingles);
        out.extend(&self.whole);
        out.extend(&self.lead_numbers);
        out.extend(&self.numbers);
        out
    }

    fn decode(v: &[u32]) -> Self {
        let (s, w, l) = (v[0] as usize, v[1] as usize, v[2] as usize);
        let mut rest = &v[3..];
        let mut take = |n: usize| {
            let (head, tail) = rest.split_at(n);
            rest = tail;
            head.to_vec()
        };
        let (shingles, whole, lead_numbers) = (take(s), take(w), take(l));
        Fingerprint {
            shingles,
            whole,
            lead_numbers,
            numbers: rest.to_vec(),
        }
    }

    /// Compares two fingerprints: similarity without template; the veto (a number of the shorter
    /// one's lead missing from the longer, or whole texts under [`WHOLE_FLOOR`]); the ratio of
    /// their sizes; and whether `self` is the shorter.
    pub fn compare(&self, other: &Fingerprint) -> (f64, bool, f64, bool) {
        let alike = similarity(&self.shingles, &other.shingles);
        let (small, large) = if self.shingles.len() <= other.shingles.len() {
            (self, other)
        } else {
            (other, self)
        };
        let veto = small
            .lead_numbers
            .iter()
            .any(|n| large.numbers.binary_search(n).is_err())
            || similarity(self.whole(), other.whole()) < WHOLE_FLOOR;
        let ratio = if large.shingles.is_empty() {
            1.0
        } else {
            small.shingles.len() as f64 / large.shingles.len() as f64
        };
        (alike, veto, ratio, std::ptr::eq(small, self))
    }
}

/// Candidate pairs `(i, j)`, `i < j`, positions into `signatures`; sorted, distinct.
///
/// An order-free function of buckets ([`bucket_keys`], [`bucket_pairs`]): articles sharing a
/// band hash, a headline or lead key, or a lead print form a bucket, and each bucket proposes
/// its pairs alone — so an engine can find the same pairs with a `groupBy` on the keys.
///
/// Copies of a story share most bands, so each pair turns up in many of them: the bands are
/// taken a few at a time (one per thread) and their pairs merged into the distinct set after
/// each round, so memory holds the distinct pairs and one round's, not every band's.
///
/// `minhashes` holds every article's MinHash values one after the other ([`flatten`]); it is
/// dropped once the bands have been read: the largest part of dedup's memory, in one block the
/// allocator gives back, before the key candidates need memory of their own.
pub fn candidates(
    signatures: &[Signature],
    minhashes: Vec<u32>,
    cfg: &DedupConfig,
) -> Vec<(u32, u32)> {
    let bands: Vec<usize> = (0..cfg.bands).collect();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for round in bands.chunks(rayon::current_num_threads().max(1)) {
        let mut found: Vec<(u32, u32)> = round
            .par_iter()
            .flat_map_iter(|&band| band_pairs(&minhashes, cfg, band))
            .collect();
        found.par_sort_unstable();
        found.dedup();
        pairs = merge_distinct(&pairs, &found);
    }
    drop(minhashes);
    let mut found: Vec<(u32, u32)> = (0..LEAD_KEYS)
        .into_par_iter()
        .flat_map_iter(|slot| key_pairs(signatures, slot))
        .collect();
    found.extend(print_pairs(signatures));
    found.par_sort_unstable();
    found.dedup();
    merge_distinct(&pairs, &found)
}

/// Which kind of bucket a key names: an LSH band, a headline or lead key slot, or a lead print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BucketKind {
    /// Band `0..bands`: the hash of the band's MinHash values.
    Band(u16),
    /// Headline or lead sentence key slot `0..LEAD_KEYS`.
    Lead(u8),
    /// A lead print (its short members look for their story in it).
    Print,
}

impl BucketKind {
    /// The kind as one number, for Arrow columns: 0 a print, `1..=LEAD_KEYS` a lead key slot
    /// (slot + 1), then the bands (`1 + LEAD_KEYS + band`).
    pub fn code(self) -> u32 {
        match self {
            BucketKind::Print => 0,
            BucketKind::Lead(slot) => 1 + u32::from(slot),
            BucketKind::Band(band) => 1 + LEAD_KEYS as u32 + u32::from(band),
        }
    }

    /// The kind [`BucketKind::code`] gives `code`.
    pub fn from_code(code: u32) -> Option<BucketKind> {
        match code {
            0 => Some(BucketKind::Print),
            c if c <= LEAD_KEYS as u32 => Some(BucketKind::Lead((c - 1) as u8)),
            c => u16::try_from(c - 1 - LEAD_KEYS as u32)
                .ok()
                .map(BucketKind::Band),
        }
    }
}

/// The key of one band's MinHash values (articles with equal keys share a band bucket).
fn band_key(values: &[u32]) -> u64 {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    xxh3_64(&bytes)
}

/// The buckets an article belongs to, as `(kind, key)`: one per band of its MinHash, one per
/// non-zero headline or lead key, one per distinct non-zero lead print. With [`bucket_pairs`]
/// over the articles grouped by `(kind, key)`, they give [`candidates`]' pairs.
pub fn bucket_keys(signature: &Signature, cfg: &DedupConfig) -> Vec<(BucketKind, u64)> {
    let mut out: Vec<(BucketKind, u64)> = signature
        .minhash
        .chunks_exact(cfg.rows)
        .take(cfg.bands)
        .enumerate()
        .map(|(band, values)| (BucketKind::Band(band as u16), band_key(values)))
        .collect();
    for (slot, &key) in signature.keys.iter().enumerate() {
        if key != 0 {
            out.push((BucketKind::Lead(slot as u8), key));
        }
    }
    let mut prints: Vec<u32> = signature
        .prints
        .iter()
        .copied()
        .filter(|&p| p != 0)
        .collect();
    prints.sort_unstable();
    prints.dedup();
    out.extend(
        prints
            .into_iter()
            .map(|p| (BucketKind::Print, u64::from(p))),
    );
    out
}

/// The pairs one bucket proposes, `(min, max)`, appended to `out`. `members` are the bucket's
/// articles in position order, distinct; `shorts[i]` whether `members[i]` is short (read for
/// prints only).
pub fn bucket_pairs(kind: BucketKind, members: &[u32], shorts: &[bool], out: &mut Vec<(u32, u32)>) {
    match kind {
        BucketKind::Band(_) => band_bucket_pairs(members, out),
        BucketKind::Lead(_) => key_bucket_pairs(members, out),
        BucketKind::Print => print_bucket_pairs(members, |i| shorts[i], out),
    }
}

/// A band bucket: a chain from its first member plus consecutive members (enough to connect
/// the bucket, at most 2k pairs for k members).
pub fn band_bucket_pairs(members: &[u32], out: &mut Vec<(u32, u32)>) {
    for (k, &member) in members.iter().enumerate().skip(1) {
        out.push((members[0], member));
        if k > 1 {
            out.push((members[k - 1], member));
        }
    }
}

/// A headline or lead key bucket: each member with the first (a star, never all pairs).
pub fn key_bucket_pairs(members: &[u32], out: &mut Vec<(u32, u32)>) {
    out.extend(members.iter().skip(1).map(|&member| (members[0], member)));
}

/// A lead print bucket: each short member with the first two other members; nothing from a
/// bucket of one or of more than [`MAX_PRINT_BUCKET`] (a stock phrase). `short(i)`: whether
/// `members[i]` is short.
pub fn print_bucket_pairs(
    members: &[u32],
    short: impl Fn(usize) -> bool,
    out: &mut Vec<(u32, u32)>,
) {
    if members.len() < 2 || members.len() > MAX_PRINT_BUCKET {
        return;
    }
    for (i, &member) in members.iter().enumerate() {
        if !short(i) {
            continue;
        }
        for &other in members.iter().filter(|&&o| o != member).take(2) {
            out.push((member.min(other), member.max(other)));
        }
    }
}

/// The pairs lead prints propose: each short article with the first two other articles of each
/// of its prints' buckets (buckets of stock phrases, over [`MAX_PRINT_BUCKET`], left out).
fn print_pairs(signatures: &[Signature]) -> Vec<(u32, u32)> {
    let mut keyed: Vec<(u32, u32)> = signatures
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            let mut prints: Vec<u32> = s.prints.iter().copied().filter(|&p| p != 0).collect();
            prints.sort_unstable();
            prints.dedup();
            prints.into_iter().map(move |p| (p, i as u32))
        })
        .collect();
    keyed.par_sort_unstable();
    let (mut out, mut members) = (Vec::new(), Vec::new());
    for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
        members.clear();
        members.extend(bucket.iter().map(|&(_, m)| m));
        print_bucket_pairs(
            &members,
            |i| signatures[members[i] as usize].short,
            &mut out,
        );
    }
    out
}

/// The pairs one headline or lead key proposes: each member of a key's bucket with its first.
fn key_pairs(signatures: &[Signature], slot: usize) -> Vec<(u32, u32)> {
    let mut keyed: Vec<(u64, u32)> = signatures
        .iter()
        .enumerate()
        .filter(|(_, s)| s.keys[slot] != 0)
        .map(|(i, s)| (s.keys[slot], i as u32))
        .collect();
    keyed.sort_unstable();
    let (mut out, mut members) = (Vec::new(), Vec::new());
    for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
        members.clear();
        members.extend(bucket.iter().map(|&(_, m)| m));
        key_bucket_pairs(&members, &mut out);
    }
    out
}

/// Moves every signature's MinHash values into one block, in order, for [`candidates`].
pub fn flatten(signatures: &mut [Signature]) -> Vec<u32> {
    let mut out = Vec::with_capacity(signatures.iter().map(|s| s.minhash.len()).sum());
    for s in signatures {
        out.extend_from_slice(&std::mem::take(&mut s.minhash));
    }
    out
}

/// The pairs one LSH band proposes: articles whose band values hash alike.
fn band_pairs(minhashes: &[u32], cfg: &DedupConfig, band: usize) -> Vec<(u32, u32)> {
    let range = band * cfg.rows..(band + 1) * cfg.rows;
    let mut keyed: Vec<(u64, u32)> = minhashes
        .chunks_exact(cfg.permutations())
        .enumerate()
        .map(|(i, m)| (band_key(&m[range.clone()]), i as u32))
        .collect();
    keyed.sort_unstable();
    let (mut out, mut members) = (Vec::new(), Vec::new());
    for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
        members.clear();
        members.extend(bucket.iter().map(|&(_, m)| m));
        band_bucket_pairs(&members, &mut out);
    }
    out
}

/// The sorted union of two sorted, distinct lists.
fn merge_distinct<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// Containment of the smaller set in the larger, or Jaccard for very short texts.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    if smaller < MIN_SHINGLES_FOR_CONTAINMENT {
        common as f64 / (a.len() + b.len() - common) as f64
    } else {
        common as f64 / smaller as f64
    }
}

/// A scored pair of articles (positions), `a < b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub a: u32,
    pub b: u32,
    pub similarity: f64,
    /// A number in the shorter text's headline or lead is not in the longer: not one story.
    pub veto: bool,
    /// Shingles of the smaller text over the larger's (1 for exact copies).
    pub ratio: f64,
    /// The position of the smaller text (`a` for exact copies).
    pub small: u32,
}

impl Scored {
    /// An exact copy: similarity 1, nothing to veto.
    pub fn exact(a: u32, b: u32) -> Self {
        Scored {
            a,
            b,
            similarity: 1.0,
            veto: false,
            ratio: 1.0,
            small: a,
        }
    }
}

/// Checks pairs of articles on their shingle sets while the articles stream past in order,
/// keeping each set only until its last partner has been seen.
pub struct Verifier {
    shingle: usize,
    /// For each position, its earlier partners (CSR layout: `starts[p]..starts[p + 1]`).
    starts: Vec<u32>,
    earlier: Vec<u32>,
    /// For each position, the last position that needs its set (or 0 when none does).
    last_use: Vec<u32>,
    store: SetStore,
    scored: Vec<Scored>,
}

/// Shingle sets held beyond this many bytes go to a temporary file (see [`SetStore`]).
const SET_MEMORY: usize = 256 << 20;

/// The shingle sets a [`Verifier`] keeps for later partners: in memory up to [`SET_MEMORY`]
/// bytes, then in an unnamed temporary file, read back by offset. A candidate pair can span the
/// whole input (two articles sharing a stock sentence, a wire copy in another outlet's file),
/// so without the file a million articles would hold hundreds of thousands of sets at once.
struct SetStore {
    /// Bytes of sets held in memory before the file is used ([`SET_MEMORY`]).
    budget: usize,
    memory: HashMap<u32, Vec<u32>>,
    memory_bytes: usize,
    /// Position → (offset, values) in `file`.
    spilled: HashMap<u32, (u64, u32)>,
    file: Option<std::fs::File>,
    end: u64,
}

impl Default for SetStore {
    fn default() -> Self {
        SetStore {
            budget: SET_MEMORY,
            memory: HashMap::new(),
            memory_bytes: 0,
            spilled: HashMap::new(),
            file: None,
            end: 0,
        }
    }
}

impl SetStore {
    fn get(&self, position: u32) -> std::io::Result<Option<std::borrow::Cow<'_, [u32]>>> {
        if let Some(set) = self.memory.get(&position) {
            return Ok(Some(set.as_slice().into()));
        }
        let (Some(&(offset, len)), Some(file)) = (self.spilled.get(&position), &self.file) else {
            return Ok(None);
        };
        let mut bytes = vec![0u8; len as usize * 4];
        read_at(file, &mut bytes, offset)?;
        let set = bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect::<Vec<u32>>();
        Ok(Some(set.into()))
    }

    fn insert(&mut self, position: u32, set: Vec<u32>) -> std::io::Result<()> {
        let bytes = set.len() * 4;
        if self.memory_bytes + bytes <= self.budget {
            self.memory_bytes += bytes;
            self.memory.insert(position, set);
            return Ok(());
        }
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(tempfile::tempfile()?),
        };
        let data: Vec<u8> = set.iter().flat_map(|v| v.to_le_bytes()).collect();
        write_at(file, &data, self.end)?;
        self.spilled.insert(position, (self.end, set.len() as u32));
        self.end += data.len() as u64;
        Ok(())
    }

    /// Forgets the sets `keep` rejects (their file space is reused by nothing: the file goes
    /// when the verifier does).
    fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        let mut freed = 0;
        self.memory.retain(|&p, set| {
            let kept = keep(p);
            if !kept {
                freed += set.len() * 4;
            }
            kept
        });
        self.memory_bytes -= freed;
        self.spilled.retain(|&p, _| keep(p));
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(unix)]
fn write_at(file: &std::fs::File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
fn write_at(file: &std::fs::File, mut buf: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, buf, offset)?;
        buf = &buf[n..];
        offset += n as u64;
    }
    Ok(())
}

impl Verifier {
    /// A verifier for `pairs` (`a < b`) among `n` articles.
    pub fn new(n: usize, pairs: &[(u32, u32)], shingle: usize) -> Self {
        let mut counts = vec![0u32; n + 1];
        let mut last_use = vec![0u32; n];
        for &(a, b) in pairs {
            counts[b as usize + 1] += 1;
            last_use[a as usize] = last_use[a as usize].max(b);
            last_use[b as usize] = last_use[b as usize].max(b);
        }
        for p in 0..n {
            counts[p + 1] += counts[p];
        }
        let mut fill = counts.clone();
        let mut earlier = vec![0u32; pairs.len()];
        for &(a, b) in pairs {
            earlier[fill[b as usize] as usize] = a;
            fill[b as usize] += 1;
        }
        Verifier {
            shingle,
            starts: counts,
            earlier,
            last_use,
            store: SetStore::default(),
            scored: Vec::with_capacity(pairs.len()),
        }
    }

    /// Whether the article at `position` takes part in any pair.
    pub fn needs(&self, position: usize) -> bool {
        self.last_use.get(position).is_some_and(|&l| l > 0)
            || self.starts[position] != self.starts[position + 1]
    }

    /// Feeds one batch of articles, positions increasing across calls; only those it
    /// [`needs`](Self::needs) are looked at. Fails only when the temporary file that holds sets
    /// beyond [`SET_MEMORY`] cannot be written or read.
    pub fn offer(&mut self, batch: &[(usize, &Normalised, &Learned)]) -> std::io::Result<()> {
        let shingle = self.shingle;
        let sets: Vec<(usize, Fingerprint)> = batch
            .par_iter()
            .filter(|(p, _, _)| self.needs(*p))
            .map(|(p, text, learned)| (*p, Fingerprint::new(text, learned, shingle)))
            .collect();
        let in_batch: HashMap<u32, &Fingerprint> =
            sets.iter().map(|(p, s)| (*p as u32, s)).collect();
        let scored: Vec<Scored> = sets
            .par_iter()
            .flat_map_iter(|(p, set)| {
                let range = self.starts[*p] as usize..self.starts[*p + 1] as usize;
                let (store, in_batch) = (&self.store, &in_batch);
                self.earlier[range].iter().map(move |&a| {
                    let other = match in_batch.get(&a) {
                        Some(other) => Some(std::borrow::Cow::Borrowed(*other)),
                        None => store
                            .get(a)?
                            .map(|v| std::borrow::Cow::Owned(Fingerprint::decode(&v))),
                    };
                    let (similarity, veto, ratio, a_small) =
                        other.map_or((0.0, false, 1.0, true), |o| o.compare(set));
                    Ok(Scored {
                        a,
                        b: *p as u32,
                        similarity,
                        veto,
                        ratio,
                        small: if a_small { a } else { *p as u32 },
                    })
                })
            })
            .collect::<std::io::Result<_>>()?;
        self.scored.extend(scored);
        let Some(&(last, _, _)) = batch.last() else {
            return Ok(());
        };
        let last = last as u32;
        let last_use = &self.last_use;
        self.store.retain(|p| last_use[p as usize] > last);
        for (p, set) in sets {
            if self.last_use[p] > last {
                self.store.insert(p as u32, set.encode())?;
            }
        }
        Ok(())
    }

    /// The scored pairs, sorted by `(a, b)`.
    pub fn finish(mut self) -> Vec<Scored> {
        self.scored.sort_by_key(|s| (s.a, s.b));
        self.scored
    }
}

/// What decides a cluster's representative, per article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completeness {
    /// Characters of the normalised body.
    pub chars: usize,
    /// ISO date, or `None`.
    pub date: Option<String>,
}

impl Completeness {
    fn day(&self) -> Option<i64> {
        crate::entities::dates::day_number(self.date.as_deref()?)
    }
}

/// The partition of articles into stories.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    /// For each article (position), the position of its cluster's representative.
    pub representative: Vec<usize>,
    /// For each article, its cluster id (1-based, in order of each cluster's first article).
    pub cluster_id: Vec<u32>,
}

impl Clusters {
    /// Every article its own story.
    pub fn singletons(n: usize) -> Self {
        Clusters {
            representative: (0..n).collect(),
            cluster_id: (1..=n as u32).collect(),
        }
    }

    pub fn is_representative(&self, i: usize) -> bool {
        self.representative[i] == i
    }

    /// Number of articles in each representative's cluster, indexed like the articles (0 for
    /// non-representatives).
    pub fn sizes(&self) -> Vec<u64> {
        let mut sizes = vec![0u64; self.representative.len()];
        for &r in &self.representative {
            sizes[r] += 1;
        }
        sizes
    }

    /// Number of clusters (stories).
    pub fn stories(&self) -> usize {
        (0..self.representative.len())
            .filter(|&i| self.is_representative(i))
            .count()
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// Union-find over the pairs with similarity at or above `threshold`; representatives by
/// completeness (see the module docs).
pub fn clusters(completeness: &[Completeness], pairs: &[Scored], threshold: f64) -> Clusters {
    let n = completeness.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let days: Vec<Option<i64>> = completeness.iter().map(Completeness::day).collect();
    let matched = |p: &&Scored| {
        let far = match (days[p.a as usize], days[p.b as usize]) {
            (Some(a), Some(b)) => (a - b).abs() > NEAR_DAYS,
            _ => false,
        };
        let needed = if far {
            threshold.max(FAR_THRESHOLD)
        } else {
            threshold
        };
        !p.veto && p.similarity >= needed
    };
    let union = |parent: &mut Vec<u32>, a: u32, b: u32| {
        let (ra, rb) = (find(parent, a), find(parent, b));
        // The smaller position becomes the root, so a root is its cluster's first article.
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    };
    // A short text (flash, excerpt) joins only its best partner: the most similar, then the
    // larger (most complete) partner's earliest position.
    let mut best: HashMap<u32, (f64, u32)> = HashMap::new();
    for pair in pairs.iter().filter(matched) {
        if pair.ratio >= ATTACH_RATIO {
            union(&mut parent, pair.a, pair.b);
            continue;
        }
        let (small, large) = if pair.small == pair.a {
            (pair.a, pair.b)
        } else {
            (pair.b, pair.a)
        };
        let entry = best.entry(small).or_insert((pair.similarity, large));
        if (pair.similarity, std::cmp::Reverse(large)) > (entry.0, std::cmp::Reverse(entry.1)) {
            *entry = (pair.similarity, large);
        }
    }
    let mut attached: Vec<(u32, u32)> = best.into_iter().map(|(s, (_, l))| (s, l)).collect();
    attached.sort_unstable();
    for (small, large) in attached {
        union(&mut parent, small, large);
    }
    let roots: Vec<u32> = (0..n as u32).map(|i| find(&mut parent, i)).collect();
    // Best member per root: more characters, then earlier date (missing last), then position.
    let better = |a: usize, b: usize| {
        let (ca, cb) = (&completeness[a], &completeness[b]);
        cb.chars
            .cmp(&ca.chars)
            .then_with(|| match (&ca.date, &cb.date) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then(a.cmp(&b))
            .is_lt()
    };
    let mut best: Vec<usize> = (0..n).collect();
    let mut cluster_id = vec![0u32; n];
    let mut next_id = 0u32;
    for i in 0..n {
        let root = roots[i] as usize;
        if root == i {
            next_id += 1;
            cluster_id[i] = next_id;
        } else {
            cluster_id[i] = cluster_id[root];
            if better(i, best[root]) {
                best[root] = i;
            }
        }
    }
    Clusters {
        representative: roots.iter().map(|&r| best[r as usize]).collect(),
        cluster_id,
    }
}

/// One article as the in-memory [`cluster`] takes it.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    pub text: &'a Normalised,
    pub outlet: Option<&'a str>,
    /// ISO date.
    pub date: Option<&'a str>,
}

/// All steps in memory: templates learned from the items, signatures, candidates, verification,
/// clusters. Representatives by body length, then date, then position.
pub fn cluster(items: &[Item], cfg: &DedupConfig) -> Clusters {
    if !cfg.enabled {
        return Clusters::singletons(items.len());
    }
    let templates = if cfg.learn {
        let sightings: Vec<_> = items
            .par_iter()
            .map(|i| crate::template::sighting(i.text, i.outlet, i.date))
            .collect();
        crate::template::learn(&sightings)
    } else {
        crate::template::Templates::none()
    };
    let texts: Vec<&Normalised> = items.iter().map(|i| i.text).collect();
    let mut signatures = signatures(&texts, cfg);
    let minhashes = flatten(&mut signatures);
    let candidates = candidates(&signatures, minhashes, cfg);
    let (exact, pairs) = split_exact(&signatures, &candidates);
    let learned: Vec<Learned> = items
        .par_iter()
        .map(|i| templates.find(i.text, i.outlet))
        .collect();
    let batch: Vec<(usize, &Normalised, &Learned)> = items
        .iter()
        .zip(&learned)
        .enumerate()
        .map(|(p, (i, l))| (p, i.text, l))
        .collect();
    let mut scored = verify(&pairs, &batch, cfg.shingle);
    scored.extend(exact);
    let completeness: Vec<Completeness> = items
        .iter()
        .map(|i| Completeness {
            chars: i.text.body.chars().count(),
            date: i.date.map(String::from),
        })
        .collect();
    clusters(&completeness, &scored, cfg.threshold)
}

/// [`cluster`] of texts without outlets or dates (nothing is learned without dates).
pub fn cluster_texts(texts: &[Normalised], cfg: &DedupConfig) -> Clusters {
    let items: Vec<Item> = texts
        .iter()
        .map(|text| Item {
            text,
            outlet: None,
            date: None,
        })
        .collect();
    cluster(&items, cfg)
}

/// The [`signature`] of every text of a batch, in parallel (on the current rayon pool), in order.
pub fn signatures<T>(texts: &[T], cfg: &DedupConfig) -> Vec<Signature>
where
    T: std::borrow::Borrow<Normalised> + Sync,
{
    texts
        .par_iter()
        .map(|t| signature(t.borrow(), cfg))
        .collect()
}

/// Verifies `pairs` (positions into `texts`, `a < b`) in memory: every text of the batch is at
/// hand, so nothing is kept for later. The scored pairs, sorted by `(a, b)`.
pub fn verify(
    pairs: &[(u32, u32)],
    texts: &[(usize, &Normalised, &Learned)],
    shingle: usize,
) -> Vec<Scored> {
    let n = texts.iter().map(|(p, _, _)| p + 1).max().unwrap_or(0);
    let mut verifier = Verifier::new(n, pairs, shingle);
    verifier
        .offer(texts)
        .expect("one batch keeps no sets for later, so nothing goes to a file");
    verifier.finish()
}

/// Splits candidate pairs into exact duplicates (scored 1 without looking at the text) and
/// pairs that need verification.
pub fn split_exact(
    signatures: &[Signature],
    pairs: &[(u32, u32)],
) -> (Vec<Scored>, Vec<(u32, u32)>) {
    let mut exact = Vec::new();
    let mut rest = Vec::new();
    for &(a, b) in pairs {
        if signatures[a as usize].exact == signatures[b as usize].exact {
            exact.push(Scored::exact(a, b));
        } else {
            rest.push((a, b));
        }
    }
    (exact, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise_text;

    fn texts(items: &[(&str, &str)]) -> Vec<Normalised> {
        items.iter().map(|(t, b)| normalise_text(t, b)).collect()
    }

    #[test]
    fn merged_pairs_are_the_sorted_union() {
        assert_eq!(
            merge_distinct(&[(0, 1), (0, 3), (2, 5)], &[(0, 2), (0, 3), (4, 5)]),
            vec![(0, 1), (0, 2), (0, 3), (2, 5), (4, 5)]
        );
        assert_eq!(merge_distinct::<u32>(&[], &[]), Vec::<u32>::new());
        assert_eq!(merge_distinct(&[1], &[]), vec![1]);
    }

    const STORY: &str = "카카오는 16일 판교 데이터센터 화재로 멈췄던 카카오톡 메시지 수발신 기능이 복구됐다고 밝혔다. 카카오는 나머지 서비스도 순차적으로 정상화하겠다고 설명했다. 이용자 피해 보상 방안은 다음 주에 발표할 예정이다.";

    #[test]
    fn exact_and_near_copies_cluster_and_the_longest_represents() {
        let short = "카카오는 16일 판교 데이터센터 화재로 멈췄던 카카오톡 메시지 수발신 기능이 복구됐다고 밝혔다. 카카오는 나머지 서비스도 순차적으로 정상화하겠다고 설명했다.";
        let other = "기상청은 17일 전국에 강한 비가 내리겠다고 예보했다. 남부 지방에는 시간당 30㎜ 안팎의 폭우가 쏟아질 것으로 보인다.";
        let t = texts(&[
            ("[속보] 카카오 복구", short),
            ("카카오 “주요 서비스 복구”", STORY),
            (
                "카카오 “주요 서비스 복구”",
                &format!("(서울=연합뉴스) 김민수 기자 = {STORY} kms@yna.co.kr"),
            ),
            ("전국에 비", other),
        ]);
        let c = cluster_texts(&t, &DedupConfig::default());
        assert_eq!(c.representative, vec![1, 1, 1, 3]);
        assert_eq!(c.cluster_id, vec![1, 1, 1, 2]);
        assert_eq!(c.stories(), 2);
        assert_eq!(c.sizes(), vec![0, 3, 0, 1]);
        let off = cluster_texts(
            &t,
            &DedupConfig {
                enabled: false,
                ..Default::default()
            },
        );
        assert_eq!(off.stories(), 4);
    }

    #[test]
    fn similarity_is_containment_for_long_texts_jaccard_for_short() {
        let long: Vec<u32> = (0..100).collect();
        let half: Vec<u32> = (0..50).collect();
        assert_eq!(similarity(&long, &half), 1.0);
        let short: Vec<u32> = (0..10).collect();
        assert_eq!(similarity(&long, &short), 0.1);
        assert_eq!(similarity(&[], &short), 0.0);
    }

    #[test]
    fn verifier_streams_in_batches_like_in_one() {
        let t = texts(&[
            ("a", STORY),
            ("b", "전혀 다른 기사다. 날씨가 맑다."),
            ("c", STORY),
            ("d", STORY),
        ]);
        let pairs = vec![(0, 2), (0, 3), (1, 3), (2, 3)];
        let none = Learned::default();
        let mut whole = Verifier::new(4, &pairs, 5);
        whole
            .offer(
                &t.iter()
                    .enumerate()
                    .map(|(i, x)| (i, x, &none))
                    .collect::<Vec<_>>(),
            )
            .unwrap();
        let mut streamed = Verifier::new(4, &pairs, 5);
        // No memory for held sets: every set kept for a later partner goes through the file.
        let mut spilled = Verifier::new(4, &pairs, 5);
        spilled.store.budget = 0;
        for (i, text) in t.iter().enumerate() {
            streamed.offer(&[(i, text, &none)]).unwrap();
            spilled.offer(&[(i, text, &none)]).unwrap();
        }
        assert!(spilled.store.file.is_some() && spilled.store.memory.is_empty());
        for store in [&streamed.store, &spilled.store] {
            assert!(
                store.memory.is_empty() && store.spilled.is_empty(),
                "every set dropped after its last partner"
            );
        }
        let (w, s) = (whole.finish(), streamed.finish());
        assert_eq!(w, s);
        assert_eq!(spilled.finish(), s);
        assert_eq!(w.iter().filter(|p| p.similarity > 0.9).count(), 3);
    }

    #[test]
    fn numbers_are_compared_by_value() {
        assert_eq!(numbers("3천억원"), numbers("3000억 원"));
        assert_eq!(numbers("300,000,000,000원"), numbers("3000억원"));
        assert_eq!(numbers("3조2000억"), numbers("3,200,000,000,000"));
        assert_eq!(numbers("15일"), numbers("15 일"));
        assert_ne!(numbers("확진자 1234명"), numbers("확진자 1243명"));
        assert_eq!(numbers("3.5%와 3.5퍼센트").len(), 1);
        assert!(numbers("숫자 없음").is_empty());
    }

    #[test]
    fn a_flash_is_found_by_its_lead_and_joins_one_story() {
        let flash = "[속보] 카카오 “주요 서비스 복구”";
        let lead = "카카오는 16일 판교 데이터센터 화재로 멈췄던 카카오톡 메시지 수발신 기능이 복구됐다고 밝혔다.";
        let long_tail = "카카오는 나머지 서비스도 순차적으로 정상화하겠다고 설명했다. 이용자 피해 보상 방안은 다음 주에 발표할 예정이다. 정부는 데이터센터 재난 대응 체계를 점검하겠다고 밝혔다. 업계에서는 이중화 투자가 부족했다는 지적이 나온다. 소상공인들은 주말 내내 주문을 받지 못해 피해를 호소했다. 과학기술정보통신부는 사고 원인 조사에 착수했다. 카카오 주가는 장중 한때 큰 폭으로 떨어졌다.";
        let t = texts(&[
            (flash, lead),
            ("카카오 “주요 서비스 복구”", &format!("{lead} {long_tail}")),
            ("전국에 비", "기상청은 17일 전국에 강한 비가 내리겠다고 예보했다. 남부 지방에는 시간당 30㎜ 안팎의 폭우가 쏟아질 것으로 보인다."),
        ]);
        let mut sigs: Vec<Signature> = t
            .iter()
            .map(|x| signature(x, &DedupConfig::default()))
            .collect();
        let minhashes = flatten(&mut sigs);
        assert!(candidates(&sigs, minhashes, &DedupConfig::default()).contains(&(0, 1)));
        let c = cluster_texts(&t, &DedupConfig::default());
        assert_eq!(c.cluster_id, vec![1, 1, 2]);
    }

    #[test]
    fn buckets_grouped_by_key_give_the_candidates() {
        let lead = "카카오는 16일 판교 데이터센터 화재로 멈췄던 카카오톡 메시지 수발신 기능이 복구됐다고 밝혔다.";
        let tail = "카카오는 나머지 서비스도 순차적으로 정상화하겠다고 설명했다. 이용자 피해 보상 방안은 다음 주에 발표할 예정이다. 정부는 데이터센터 재난 대응 체계를 점검하겠다고 밝혔다.";
        let long = format!("{lead} {tail}");
        let t = texts(&[
            ("[속보] 카카오 “주요 서비스 복구”", lead),
            ("카카오 “주요 서비스 복구”", &long),
            (
                "전국에 비",
                "기상청은 17일 전국에 강한 비가 내리겠다고 예보했다.",
            ),
            ("카카오 “주요 서비스 복구”", &long),
            (
                "카카오 서비스 복구",
                &format!("{lead} 정부는 점검하겠다고 밝혔다."),
            ),
            (
                "전국에 비",
                "기상청은 17일 전국에 강한 비가 내리겠다고 예보했다.",
            ),
            ("카카오 “주요 서비스 복구”", &long),
        ]);
        let cfg = DedupConfig::default();
        let mut sigs: Vec<Signature> = t.iter().map(|x| signature(x, &cfg)).collect();
        // A plain groupBy: members in position order, as an engine sorts them.
        let mut buckets: HashMap<(BucketKind, u64), Vec<u32>> = HashMap::new();
        for (i, s) in sigs.iter().enumerate() {
            for key in bucket_keys(s, &cfg) {
                buckets.entry(key).or_default().push(i as u32);
            }
        }
        let mut grouped = Vec::new();
        for ((kind, _), members) in &buckets {
            assert_eq!(BucketKind::from_code(kind.code()), Some(*kind));
            let shorts: Vec<bool> = members.iter().map(|&m| sigs[m as usize].short).collect();
            bucket_pairs(*kind, members, &shorts, &mut grouped);
        }
        grouped.sort_unstable();
        grouped.dedup();
        let minhashes = flatten(&mut sigs);
        let expected = candidates(&sigs, minhashes, &cfg);
        assert!(expected.contains(&(0, 1)) && expected.contains(&(2, 5)));
        assert_eq!(grouped, expected);
    }

    #[test]
    fn a_short_text_attaches_to_its_best_partner_only() {
        let c = |chars| Completeness { chars, date: None };
        let all = vec![c(50), c(1000), c(1000)];
        let pair = |a, b, similarity| Scored {
            a,
            b,
            similarity,
            veto: false,
            ratio: 0.1,
            small: 0,
        };
        // The flash is contained in both long texts; it joins the more similar one only.
        let cl = clusters(&all, &[pair(0, 1, 0.7), pair(0, 2, 0.9)], 0.5);
        assert_eq!(cl.cluster_id, vec![1, 2, 1]);
    }

    #[test]
    fn vetoed_and_far_apart_pairs_need_more() {
        let c = |date: &str| Completeness {
            chars: 100,
            date: Some(date.into()),
        };
        let all = vec![c("2022-10-01"), c("2022-10-02"), c("2022-10-20")];
        let pair = |a, b, similarity, veto| Scored {
            a,
            b,
            similarity,
            veto,
            ratio: 1.0,
            small: a,
        };
        assert_eq!(clusters(&all, &[pair(0, 1, 0.6, true)], 0.5).stories(), 3);
        assert_eq!(clusters(&all, &[pair(0, 1, 0.6, false)], 0.5).stories(), 2);
        assert_eq!(clusters(&all, &[pair(0, 2, 0.6, false)], 0.5).stories(), 3);
        assert_eq!(clusters(&all, &[pair(0, 2, 0.85, false)], 0.5).stories(), 2);
        // A number in the shorter text's lead that the longer lacks vetoes the pair.
        let report = |n: &str| {
            normalise_text("신규 확진", &format!("16일 0시 기준 신규 확진자는 {n}명이다. 방역 당국은 거리 두기를 이어가겠다고 밝혔다."))
        };
        let (a, b) = (
            Fingerprint::new(&report("1234"), &Learned::default(), 5),
            Fingerprint::new(&report("1243"), &Learned::default(), 5),
        );
        let (similarity, veto, _, _) = a.compare(&b);
        assert!(similarity > 0.5 && veto, "{similarity}");
        let (_, veto, _, _) = a.compare(&Fingerprint::new(&report("1234"), &Learned::default(), 5));
        assert!(!veto);
    }

    #[test]
    fn representative_prefers_length_then_date_then_position() {
        let c = |chars, date: Option<&str>| Completeness {
            chars,
            date: date.map(String::from),
        };
        let all = vec![
            c(10, None),
            c(10, Some("2022-10-16")),
            c(10, Some("2022-10-15")),
            c(5, Some("2022-10-01")),
        ];
        let pairs: Vec<Scored> = [(0, 1), (1, 2), (2, 3)]
            .iter()
            .map(|&(a, b)| Scored::exact(a, b))
            .collect();
        let cl = clusters(&all, &pairs, 0.5);
        assert_eq!(cl.representative, vec![2, 2, 2, 2]);
        assert_eq!(cl.cluster_id, vec![1, 1, 1, 1]);
    }
}

//! Dedup: which articles tell the same story (wire copies, rewrites, online/print versions).
//!
//! Takes normalised articles (boilerplate already stripped, so shared bylines, wire prefixes and
//! copyright lines cannot make two stories look alike); gives [`Clusters`]: for every article its
//! story's representative and cluster id.
//!
//! The method, near-linear in the number of articles:
//! 1. [`signature`]: the article's character shingles — `shingle` consecutive characters of title
//!    and body with whitespace removed (Korean rewrites move spaces and particles; whitespace
//!    words would miss them) — summarised as a MinHash of `bands × rows` 32-bit values, plus a
//!    128-bit hash of the exact text.
//! 2. [`candidates`]: LSH banding: articles that agree on every value of at least one band are
//!    candidate pairs. No all-pairs loop: each band is sorted once; a bucket of k articles gives
//!    at most 2k pairs (each member with the first and with its predecessor).
//! 3. [`Verifier`]: each candidate pair is checked on its actual shingle sets by containment,
//!    |A ∩ B| / min(|A|, |B|), so a copy that dropped its last paragraph still matches the full
//!    one. Sets are built while streaming the articles again, and kept only until their last
//!    partner has been seen. Exact duplicates skip the check (similarity 1).
//! 4. [`clusters`]: union-find over the pairs at or above `threshold`.
//!
//! Representative of a cluster: the most complete text (most characters of normalised body);
//! ties go to the earliest date (articles without a date come after dated ones), then to the
//! earliest in input order. Cluster ids are 1, 2, … in the input order of each cluster's first
//! article. Both depend only on the texts, dates and input order, never on thread count.
//!
//! [`cluster_texts`] runs all four steps in memory, for small sets and evaluation.

use std::collections::HashMap;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::error::{Error, Result};
use crate::record::Normalised;

/// Dedup parameters. The defaults were chosen on bodo's labelled near-duplicate set
/// (`src/dupset.rs`, `tests/dedup_quality.rs`, whose ignored `sweep_parameters` test prints the
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
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            enabled: true,
            shingle: 5,
            threshold: 0.5,
            bands: 24,
            rows: 3,
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

    fn permutations(&self) -> usize {
        self.bands * self.rows
    }
}

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
    }
}

/// Candidate pairs `(i, j)`, `i < j`, positions into `signatures`; sorted, distinct.
///
/// Copies of a story share most bands, so each pair turns up in many of them: the bands are
/// taken a few at a time (one per thread) and their pairs merged into the distinct set after
/// each round, so memory holds the distinct pairs and one round's, not every band's.
pub fn candidates(signatures: &[Signature], cfg: &DedupConfig) -> Vec<(u32, u32)> {
    let bands: Vec<usize> = (0..cfg.bands).collect();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for round in bands.chunks(rayon::current_num_threads().max(1)) {
        let mut found: Vec<(u32, u32)> = round
            .par_iter()
            .flat_map_iter(|&band| band_pairs(signatures, cfg, band))
            .collect();
        found.par_sort_unstable();
        found.dedup();
        pairs = merge_distinct(&pairs, &found);
    }
    pairs
}

/// The pairs one LSH band proposes: articles whose band values hash alike, each bucket as a
/// chain from its first member plus consecutive members (enough to connect the bucket).
fn band_pairs(signatures: &[Signature], cfg: &DedupConfig, band: usize) -> Vec<(u32, u32)> {
    let range = band * cfg.rows..(band + 1) * cfg.rows;
    let mut keyed: Vec<(u64, u32)> = signatures
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let values: Vec<u8> = s.minhash[range.clone()]
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect();
            (xxh3_64(&values), i as u32)
        })
        .collect();
    keyed.sort_unstable();
    let mut out = Vec::new();
    for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
        let first = bucket[0].1;
        for (k, &(_, member)) in bucket.iter().enumerate().skip(1) {
            out.push((first, member));
            if k > 1 {
                out.push((bucket[k - 1].1, member));
            }
        }
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
    pub fn offer(&mut self, batch: &[(usize, &Normalised)]) -> std::io::Result<()> {
        let shingle = self.shingle;
        let sets: Vec<(usize, Vec<u32>)> = batch
            .par_iter()
            .filter(|(p, _)| self.needs(*p))
            .map(|(p, text)| (*p, shingles(text, shingle)))
            .collect();
        let in_batch: HashMap<u32, &Vec<u32>> = sets.iter().map(|(p, s)| (*p as u32, s)).collect();
        let scored: Vec<Scored> = sets
            .par_iter()
            .flat_map_iter(|(p, set)| {
                let range = self.starts[*p] as usize..self.starts[*p + 1] as usize;
                let (store, in_batch) = (&self.store, &in_batch);
                self.earlier[range].iter().map(move |&a| {
                    let other = match in_batch.get(&a) {
                        Some(other) => Some(std::borrow::Cow::Borrowed(other.as_slice())),
                        None => store.get(a)?,
                    };
                    Ok(Scored {
                        a,
                        b: *p as u32,
                        similarity: other.map_or(0.0, |o| similarity(&o, set)),
                    })
                })
            })
            .collect::<std::io::Result<_>>()?;
        self.scored.extend(scored);
        let Some(&(last, _)) = batch.last() else {
            return Ok(());
        };
        let last = last as u32;
        let last_use = &self.last_use;
        self.store.retain(|p| last_use[p as usize] > last);
        for (p, set) in sets {
            if self.last_use[p] > last {
                self.store.insert(p as u32, set)?;
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
    for pair in pairs.iter().filter(|p| p.similarity >= threshold) {
        let (ra, rb) = (find(&mut parent, pair.a), find(&mut parent, pair.b));
        // The smaller position becomes the root, so a root is its cluster's first article.
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
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

/// All four steps in memory: signatures, candidates, verification, clusters. Representatives by
/// body length, then position (no dates).
pub fn cluster_texts(texts: &[Normalised], cfg: &DedupConfig) -> Clusters {
    if !cfg.enabled {
        return Clusters::singletons(texts.len());
    }
    let signatures: Vec<Signature> = texts.par_iter().map(|t| signature(t, cfg)).collect();
    let (exact, pairs) = split_exact(&signatures, &candidates(&signatures, cfg));
    let mut verifier = Verifier::new(texts.len(), &pairs, cfg.shingle);
    let batch: Vec<(usize, &Normalised)> = texts.iter().enumerate().collect();
    verifier
        .offer(&batch)
        .expect("one batch keeps no sets for later, so nothing goes to a file");
    let mut scored = verifier.finish();
    scored.extend(exact);
    let completeness: Vec<Completeness> = texts
        .iter()
        .map(|t| Completeness {
            chars: t.body.chars().count(),
            date: None,
        })
        .collect();
    clusters(&completeness, &scored, cfg.threshold)
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
            exact.push(Scored {
                a,
                b,
                similarity: 1.0,
            });
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
        let mut whole = Verifier::new(4, &pairs, 5);
        whole
            .offer(&t.iter().enumerate().collect::<Vec<_>>())
            .unwrap();
        let mut streamed = Verifier::new(4, &pairs, 5);
        // No memory for held sets: every set kept for a later partner goes through the file.
        let mut spilled = Verifier::new(4, &pairs, 5);
        spilled.store.budget = 0;
        for (i, text) in t.iter().enumerate() {
            streamed.offer(&[(i, text)]).unwrap();
            spilled.offer(&[(i, text)]).unwrap();
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
            .map(|&(a, b)| Scored {
                a,
                b,
                similarity: 1.0,
            })
            .collect();
        let cl = clusters(&all, &pairs, 0.5);
        assert_eq!(cl.representative, vec![2, 2, 2, 2]);
        assert_eq!(cl.cluster_id, vec![1, 1, 1, 1]);
    }
}

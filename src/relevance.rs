//! Relevance: how close each story is to the dump's main topic, and which stories are strays.
//!
//! Takes the [`StoryStore`] (each story's keyword counts) and, optionally, the terms of a
//! `--topic` query; gives each story a relevance in 0..=1 and an off-topic flag.
//!
//! A story is a TF-IDF vector over its keywords (entities included): weight `(1 + ln tf) × idf`,
//! idf smoothed as in [`crate::keywords::idf`] over all stories, scaled to unit length.
//! - Without a topic, the dump's topic is its centroid, the sum of all story vectors, and a
//!   story's relevance is its cosine with the centroid of the *other* stories (leave one out:
//!   in a small dump a stray would otherwise count towards its own topic).
//! - With a topic (`--topic "카카오 먹통"`), the query's keywords form a vector; the stories
//!   are weighted by their cosine with it, and relevance is the cosine with the query plus the
//!   weighted centroid of the stories (pseudo-relevance feedback: a story that shares the
//!   coverage's vocabulary but not the query's exact words still scores).
//!
//! Off topic: relevance below [`Threshold::ratio`] × a typical on-topic story's relevance — the
//! median story's against the centroid (strays are a minority of a dump by definition), the
//! 90th percentile's against a topic (the query may pick a minority of the dump). The threshold
//! is relative because cosines shrink as a dump's vocabulary grows: a stray in a twenty-article
//! page and in a million-article year both sit far below their dump's typical story.
//!
//! The default ratio, 0.4, was chosen on labelled mixes (`tests/relevance_quality.rs`): on the
//! shipped page the festival article scores 0.02 against a median of 0.26 (cutoff 0.10, lowest
//! outage story 0.14); with four unrelated articles added, those score 0.03–0.06 and the outage
//! stories 0.14 and up (cutoff 0.09); on a synthetic dump with no strays nothing is cut (lowest
//! 0.20, cutoff 0.16). A dump where strays are as many as the coverage has no "main topic" to
//! find; give `--topic` there.
//!
//! Per story and summed: the per-story pieces ([`story_vector`], [`centroid_parts`],
//! [`story_score`]) and the sums over stories ([`Centroid`]: exact fixed-point sums per term,
//! [`typical_ranks`] and [`cutoff`]: an order statistic of the scores) are what every driver
//! calls — [`score`] over the CLI's story store, and the Python bindings per batch of stories,
//! with Spark summing the parts (`bodo.spark`).
//!
//! Guarantees: no result depends on the order stories or terms come in, so scores are identical
//! whatever the thread count, partitioning or term ids: the centroid is a sum of fixed-point
//! integers (62 fractional bits, converted to `f64` once), every other float sum adds its
//! terms in increasing order ([`sum`]); a dump of one story is on topic with relevance 1.

use std::hash::Hash;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::keywords::idf;
use crate::stories::{StoryRecord, StoryStore};

/// When a story is off topic.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Threshold {
    /// Off topic when relevance < ratio × the typical story's (see the module documentation).
    pub ratio: f64,
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold { ratio: 0.4 }
    }
}

/// Relevance of every story, in store order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Relevance {
    pub scores: Vec<f64>,
    pub off_topic: Vec<bool>,
    /// The relevance below which a story is off topic in this run.
    pub cutoff: f64,
}

impl Relevance {
    /// The stories' scores (store order) against a cutoff.
    pub fn of_scores(scores: Vec<f64>, cutoff: f64) -> Self {
        let off_topic = scores.iter().map(|&s| off_topic(s, cutoff)).collect();
        Relevance {
            scores,
            off_topic,
            cutoff,
        }
    }
}

/// Whether a story of relevance `score` is off topic under `cutoff`.
pub fn off_topic(score: f64, cutoff: f64) -> bool {
    score < cutoff
}

/// The sum of `values` in increasing order: the same numbers give the same sum, bit for bit,
/// whatever order they came in (float addition is not associative). Sorts `values`.
pub fn sum(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    values.iter().sum()
}

/// A story's TF-IDF vector, scaled to unit length: `(key, (1 + ln tf) × idf)` for each
/// `(key, tf, df)` of its terms (a term once), idf over `stories` stories. `scratch` is reused.
pub fn story_vector<K: Copy>(
    terms: impl IntoIterator<Item = (K, u64, u64)>,
    stories: u64,
    out: &mut Vec<(K, f64)>,
    scratch: &mut Vec<f64>,
) {
    out.clear();
    out.extend(
        terms
            .into_iter()
            .map(|(k, tf, df)| (k, (1.0 + (tf as f64).ln()) * idf(stories, df))),
    );
    scratch.clear();
    scratch.extend(out.iter().map(|(_, w)| w * w));
    let norm = sum(scratch).sqrt();
    if norm > 0.0 {
        out.iter_mut().for_each(|(_, w)| *w /= norm);
    }
}

/// The unit vector of a `--topic` query: its terms' `(key, df)` (each once), idf over
/// `stories` stories. Empty without a topic.
pub fn query_vector<K: Copy>(terms: &[(K, u64)], stories: u64) -> Vec<(K, f64)> {
    let mut q: Vec<(K, f64)> = terms.iter().map(|&(k, df)| (k, idf(stories, df))).collect();
    let mut squares: Vec<f64> = q.iter().map(|(_, w)| w * w).collect();
    let norm = sum(&mut squares).sqrt();
    if norm > 0.0 {
        q.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    q
}

/// `v · dense`, where `dense(key)` gives the other vector's weight.
fn dot<K: Copy>(v: &[(K, f64)], dense: impl Fn(K) -> f64, scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend(v.iter().map(|&(k, w)| w * dense(k)));
    sum(scratch)
}

/// A weight in fixed point: 62 fractional bits in an `i128`. Every centroid part is in 0..=1, so
/// a part is exact to 2⁻⁶³ (below an `f64` ulp of any part above 2⁻¹⁰) and sums of parts are
/// exact integer sums, the same in any order and partitioning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fixed(pub i128);

/// 2⁶²: [`Fixed`]'s scale.
const FIXED_ONE: f64 = (1u64 << 62) as f64;
/// [`Fixed::limbs`] splits at this bit.
const LIMB_BITS: u32 = 32;

impl Fixed {
    /// `x` (in −1..=1) in fixed point, rounded to the nearest step.
    pub fn of(x: f64) -> Fixed {
        Fixed((x * FIXED_ONE).round() as i128)
    }

    /// Two `i64`s an engine can sum (Spark has no 128-bit integer): `hi × 2³² + lo`, `lo` in
    /// 0..2³². Sums of up to 2³¹ parts of at most 1 stay in `i64` limb by limb.
    pub fn limbs(self) -> (i64, i64) {
        (
            (self.0 >> LIMB_BITS) as i64,
            (self.0 & ((1 << LIMB_BITS) - 1)) as i64,
        )
    }

    /// The sum whose limbs, summed separately, are `hi` and `lo`.
    pub fn from_limbs(hi: i64, lo: i64) -> Fixed {
        Fixed(((hi as i128) << LIMB_BITS) + lo as i128)
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / FIXED_ONE
    }
}

impl std::ops::AddAssign for Fixed {
    fn add_assign(&mut self, other: Fixed) {
        self.0 += other.0;
    }
}

/// A story's weight in the centroid: 1 against the dump's centroid; against a topic, its
/// cosine with the query (pseudo-relevance feedback).
pub fn story_weight<K: Copy + Eq + Hash, S: std::hash::BuildHasher>(
    v: &[(K, f64)],
    query: &std::collections::HashMap<K, f64, S>,
    scratch: &mut Vec<f64>,
) -> f64 {
    if query.is_empty() {
        1.0
    } else {
        dot(v, |k| query.get(&k).copied().unwrap_or(0.0), scratch)
    }
}

/// What one story adds to the centroid: `(key, weight × w)` for each term of its vector.
pub fn centroid_parts<K: Copy>(v: &[(K, f64)], weight: f64, mut emit: impl FnMut(K, Fixed)) {
    for &(k, w) in v {
        emit(k, Fixed::of(weight * w));
    }
}

/// The centroid the stories are scored against: per term, the sum of its parts over all
/// stories; against a topic, the query plus the sums scaled to unit length.
#[derive(Debug, Clone, Default)]
pub struct Centroid<K: Eq + Hash> {
    pub weights: FxHashMap<K, f64>,
    /// `|centroid|²`.
    pub square: f64,
    /// Scored against a topic (else the dump's centroid, leave one out).
    pub topic: bool,
}

impl<K: Copy + Eq + Hash> Centroid<K> {
    /// From the summed parts of every story (each term once) and the query (empty: none).
    pub fn new(sums: impl IntoIterator<Item = (K, Fixed)>, query: &[(K, f64)]) -> Self {
        let mut weights: FxHashMap<K, f64> =
            sums.into_iter().map(|(k, f)| (k, f.to_f64())).collect();
        let topic = !query.is_empty();
        if topic {
            let mut squares: Vec<f64> = weights.values().map(|w| w * w).collect();
            let norm = sum(&mut squares).sqrt();
            let q: FxHashMap<K, f64> = query.iter().copied().collect();
            for (k, c) in weights.iter_mut() {
                let scaled = if norm > 0.0 { *c / norm } else { 0.0 };
                *c = q.get(k).copied().unwrap_or(0.0) + scaled;
            }
            for (&k, &w) in &q {
                weights.entry(k).or_insert(w);
            }
        }
        let mut squares: Vec<f64> = weights.values().map(|w| w * w).collect();
        Centroid {
            square: sum(&mut squares),
            weights,
            topic,
        }
    }

    pub fn weight(&self, key: K) -> f64 {
        self.weights.get(&key).copied().unwrap_or(0.0)
    }
}

/// A story's relevance (0..=1) from its vector `v`, given the centroid's weights of its terms
/// (`weight`), `|centroid|²` and the number of stories.
pub fn story_score<K: Copy>(
    v: &[(K, f64)],
    weight: impl Fn(K) -> f64,
    square: f64,
    topic: bool,
    stories: u64,
    scratch: &mut Vec<f64>,
) -> f64 {
    let s = if topic {
        let norm = square.sqrt();
        if norm > 0.0 {
            dot(v, weight, scratch) / norm
        } else {
            0.0
        }
    } else if stories == 1 {
        1.0
    } else {
        // |C − v|² = |C|² − 2 C·v + |v|², and v·(C − v) = C·v − |v|².
        let cv = dot(v, weight, scratch);
        scratch.clear();
        scratch.extend(v.iter().map(|(_, w)| w * w));
        let vv = sum(scratch);
        let rest = (square - 2.0 * cv + vv).max(0.0).sqrt();
        if rest > 0.0 {
            (cv - vv) / rest
        } else {
            0.0
        }
    };
    s.clamp(0.0, 1.0)
}

/// The typical story's quantile: the median against the centroid, the 90th percentile against
/// a topic (see the module documentation).
fn typical(topic: bool) -> f64 {
    if topic {
        0.9
    } else {
        0.5
    }
}

/// The two ranks (0-based, in increasing order of score) among `stories` scores between which
/// the typical story's score lies; [`cutoff`] takes the scores found there.
pub fn typical_ranks(stories: usize, topic: bool) -> (usize, usize) {
    let rank = typical(topic) * stories.saturating_sub(1) as f64;
    (rank.floor() as usize, rank.ceil() as usize)
}

/// The relevance below which a story is off topic: `threshold.ratio` × the typical story's
/// score, interpolated between the scores `low` and `high` at [`typical_ranks`].
pub fn cutoff(threshold: Threshold, stories: usize, topic: bool, low: f64, high: f64) -> f64 {
    let rank = typical(topic) * stories.saturating_sub(1) as f64;
    let (lo, _) = typical_ranks(stories, topic);
    threshold.ratio * (low + (high - low) * (rank - lo as f64))
}

/// Scores the stories of `store`; `topic` holds the query's term ids (empty: the dump's centroid).
pub fn score(
    store: &mut StoryStore,
    df: &[u64],
    topic: &[u32],
    threshold: Threshold,
) -> Result<Relevance> {
    let n = store.len();
    if n == 0 {
        return Ok(Relevance::default());
    }
    let stories = n as u64;
    let (mut v, mut scratch) = (Vec::new(), Vec::new());
    let vector = |story: &StoryRecord, v: &mut Vec<(u32, f64)>, scratch: &mut Vec<f64>| {
        let terms = story
            .terms
            .iter()
            .map(|&(t, tf)| (t, tf as u64, df[t as usize]));
        story_vector(terms, stories, v, scratch)
    };
    let query_terms: Vec<(u32, u64)> = topic.iter().map(|&t| (t, df[t as usize])).collect();
    let query = query_vector(&query_terms, stories);
    let query_map: FxHashMap<u32, f64> = query.iter().copied().collect();

    let mut sums = vec![Fixed::default(); df.len()];
    let mut seen = vec![false; df.len()];
    let mut story = StoryRecord::default();
    let mut reader = store.read()?;
    while reader.next_into(&mut story)? {
        vector(&story, &mut v, &mut scratch);
        let weight = story_weight(&v, &query_map, &mut scratch);
        centroid_parts(&v, weight, |t, f| {
            sums[t as usize] += f;
            seen[t as usize] = true;
        });
    }
    let parts = (0..df.len() as u32)
        .filter(|&t| seen[t as usize])
        .map(|t| (t, sums[t as usize]));
    let centroid = Centroid::new(parts, &query);

    let mut scores = Vec::with_capacity(n);
    let mut reader = store.read()?;
    while reader.next_into(&mut story)? {
        vector(&story, &mut v, &mut scratch);
        scores.push(story_score(
            &v,
            |t| centroid.weight(t),
            centroid.square,
            centroid.topic,
            stories,
            &mut scratch,
        ));
    }
    if scores.len() != n {
        return Err(Error::Config(format!(
            "story store returned {} of {n} stories",
            scores.len()
        )));
    }
    let cutoff = quantile_cutoff(&scores, !topic.is_empty(), threshold);
    Ok(Relevance::of_scores(scores, cutoff))
}

/// [`cutoff`] over every story's score at hand.
pub fn quantile_cutoff(scores: &[f64], topic: bool, threshold: Threshold) -> f64 {
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (lo, hi) = typical_ranks(sorted.len(), topic);
    cutoff(threshold, sorted.len(), topic, sorted[lo], sorted[hi])
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::stories::test_store as store;

    fn df(stories: &[&[(u32, u32)]], terms: usize) -> Vec<u64> {
        let mut df = vec![0; terms];
        for s in stories {
            for (t, _) in s.iter() {
                df[*t as usize] += 1;
            }
        }
        df
    }

    #[test]
    fn the_stray_is_off_topic() {
        // Terms 0–3: the outage; 4–5: a festival.
        let stories: &[&[(u32, u32)]] = &[
            &[(0, 3), (1, 2), (2, 1)],
            &[(0, 2), (1, 1), (3, 1)],
            &[(0, 1), (2, 2), (3, 1)],
            &[(1, 2), (2, 1), (3, 2)],
            &[(4, 3), (5, 2)],
        ];
        let r = score(
            &mut store(stories),
            &df(stories, 6),
            &[],
            Threshold::default(),
        )
        .unwrap();
        assert_eq!(r.off_topic, [false, false, false, false, true]);
        assert_eq!(r.scores[4], 0.0);
        assert!(r.scores[..4].iter().all(|&s| s > 0.5), "{:?}", r.scores);
    }

    #[test]
    fn a_topic_query_picks_its_stories() {
        let stories: &[&[(u32, u32)]] = &[
            &[(0, 3), (1, 2)],
            &[(0, 2), (1, 1), (2, 1)],
            &[(3, 3), (4, 2)],
            &[(3, 1), (4, 1), (5, 1)],
        ];
        let mut s = store(stories);
        let r = score(&mut s, &df(stories, 6), &[3], Threshold { ratio: 0.25 }).unwrap();
        assert!(
            r.scores[2] > r.scores[0] && r.scores[3] > r.scores[1],
            "{:?}",
            r.scores
        );
        assert_eq!(r.off_topic, [true, true, false, false]);
    }

    #[test]
    fn a_topic_may_pick_a_minority_of_the_dump() {
        // One story in five is about the query's term 3; the others share nothing with it.
        let stories: &[&[(u32, u32)]] = &[
            &[(0, 3), (1, 2)],
            &[(0, 2), (1, 1)],
            &[(0, 1), (2, 1)],
            &[(1, 2), (2, 2)],
            &[(3, 3), (4, 2)],
        ];
        let r = score(
            &mut store(stories),
            &df(stories, 5),
            &[3],
            Threshold::default(),
        )
        .unwrap();
        assert_eq!(
            r.off_topic,
            [true, true, true, true, false],
            "{:?}",
            r.scores
        );
    }

    #[test]
    fn quantiles_interpolate() {
        let one = Threshold { ratio: 1.0 };
        assert_eq!(quantile_cutoff(&[3.0, 1.0, 2.0], false, one), 2.0);
        assert_eq!(quantile_cutoff(&[1.0, 2.0, 3.0, 4.0], false, one), 2.5);
        assert!((quantile_cutoff(&[0.0, 10.0], true, one) - 9.0).abs() < 1e-12);
        assert_eq!(typical_ranks(4, false), (1, 2));
        assert_eq!(typical_ranks(1, true), (0, 0));
    }

    #[test]
    fn fixed_point_sums_are_exact_in_limbs() {
        let parts = [0.1, 0.7, 1.0, 1e-9, 0.333];
        let (mut hi, mut lo, mut whole) = (0i64, 0i64, Fixed::default());
        for &x in &parts {
            let f = Fixed::of(x);
            let (h, l) = f.limbs();
            assert_eq!(Fixed::from_limbs(h, l), f);
            (hi, lo) = (hi + h, lo + l);
            whole += f;
        }
        assert_eq!(Fixed::from_limbs(hi, lo), whole);
        assert!((whole.to_f64() - parts.iter().sum::<f64>()).abs() < 1e-15);
    }

    #[test]
    fn scores_do_not_depend_on_term_ids() {
        // The same stories with their term ids permuted: the same scores, bit for bit.
        let stories: &[&[(u32, u32)]] = &[
            &[(0, 3), (1, 2), (2, 1)],
            &[(0, 2), (1, 1), (3, 1)],
            &[(0, 1), (2, 2), (3, 1)],
            &[(1, 2), (2, 1), (3, 2)],
        ];
        let permuted: Vec<Vec<(u32, u32)>> = stories
            .iter()
            .map(|s| {
                let mut t: Vec<(u32, u32)> = s.iter().map(|&(t, n)| (3 - t, n)).collect();
                t.sort_unstable();
                t
            })
            .collect();
        let permuted: Vec<&[(u32, u32)]> = permuted.iter().map(Vec::as_slice).collect();
        let a = score(
            &mut store(stories),
            &df(stories, 4),
            &[],
            Threshold::default(),
        )
        .unwrap();
        let b = score(
            &mut store(&permuted),
            &df(&permuted, 4),
            &[],
            Threshold::default(),
        )
        .unwrap();
        assert_eq!(a, b);
        let a = score(
            &mut store(stories),
            &df(stories, 4),
            &[1],
            Threshold::default(),
        )
        .unwrap();
        let b = score(
            &mut store(&permuted),
            &df(&permuted, 4),
            &[2],
            Threshold::default(),
        )
        .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn one_story_is_on_topic() {
        let stories: &[&[(u32, u32)]] = &[&[(0, 1)]];
        let r = score(
            &mut store(stories),
            &df(stories, 1),
            &[],
            Threshold::default(),
        )
        .unwrap();
        assert_eq!(
            (r.scores.as_slice(), r.off_topic.as_slice()),
            (&[1.0][..], &[false][..])
        );
    }
}

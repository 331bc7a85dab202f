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
//! Guarantees: sums run in story order on one thread, so scores are identical whatever the
//! thread count; a dump of one story is on topic with relevance 1.

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
    let idf: Vec<f64> = df.iter().map(|&d| idf(n as u64, d)).collect();
    let vector = |story: &StoryRecord, out: &mut Vec<(u32, f64)>| {
        out.clear();
        out.extend(
            story
                .terms
                .iter()
                .map(|&(t, tf)| (t, (1.0 + (tf as f64).ln()) * idf[t as usize])),
        );
        let norm = out.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            out.iter_mut().for_each(|(_, w)| *w /= norm);
        }
    };
    let dot = |v: &[(u32, f64)], dense: &[f64]| {
        v.iter().map(|&(t, w)| w * dense[t as usize]).sum::<f64>()
    };

    let mut query = vec![0.0; idf.len()];
    for &t in topic {
        query[t as usize] += idf[t as usize];
    }
    let query_norm = query.iter().map(|w| w * w).sum::<f64>().sqrt();
    if !topic.is_empty() {
        query.iter_mut().for_each(|w| *w /= query_norm);
    }

    let mut centroid = vec![0.0; idf.len()];
    let mut story = StoryRecord::default();
    let mut v = Vec::new();
    let mut reader = store.read()?;
    while reader.next_into(&mut story)? {
        vector(&story, &mut v);
        let weight = if topic.is_empty() {
            1.0
        } else {
            dot(&v, &query)
        };
        for &(t, w) in &v {
            centroid[t as usize] += weight * w;
        }
    }
    if !topic.is_empty() {
        let norm = centroid.iter().map(|w| w * w).sum::<f64>().sqrt();
        for (c, q) in centroid.iter_mut().zip(&query) {
            *c = q + if norm > 0.0 { *c / norm } else { 0.0 };
        }
    }
    let centroid_sq = centroid.iter().map(|w| w * w).sum::<f64>();

    let mut scores = Vec::with_capacity(n);
    let mut reader = store.read()?;
    while reader.next_into(&mut story)? {
        vector(&story, &mut v);
        let s = if topic.is_empty() {
            if n == 1 {
                1.0
            } else {
                // |C − v|² = |C|² − 2 C·v + |v|², and v·(C − v) = C·v − |v|².
                let cv = dot(&v, &centroid);
                let vv = v.iter().map(|(_, w)| w * w).sum::<f64>();
                let rest = (centroid_sq - 2.0 * cv + vv).max(0.0).sqrt();
                if rest > 0.0 {
                    (cv - vv) / rest
                } else {
                    0.0
                }
            }
        } else {
            let norm = centroid_sq.sqrt();
            if norm > 0.0 {
                dot(&v, &centroid) / norm
            } else {
                0.0
            }
        };
        scores.push(s.clamp(0.0, 1.0));
    }
    if scores.len() != n {
        return Err(Error::Config(format!(
            "story store returned {} of {n} stories",
            scores.len()
        )));
    }
    let typical = if topic.is_empty() { 0.5 } else { 0.9 };
    let cutoff = threshold.ratio * quantile(&scores, typical);
    let off_topic = scores.iter().map(|&s| s < cutoff).collect();
    Ok(Relevance {
        scores,
        off_topic,
        cutoff,
    })
}

/// The `q` quantile of `values` (linear between the two nearest ranks; the median for 0.5).
fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
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
        assert_eq!(quantile(&[3.0, 1.0, 2.0], 0.5), 2.0);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert!((quantile(&[0.0, 10.0], 0.9) - 9.0).abs() < 1e-12);
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

//! Co-occurrence: which keywords and entities travel together, as a network's edge list.
//!
//! Takes the [`StoryStore`], which stories count, each story's article count, and the node
//! terms (the top N keywords by stories, entities included); gives, for every pair of nodes
//! found together in at least `min_stories` stories, how many stories and articles hold both
//! and their normalised pointwise mutual information over stories:
//! `npmi = ln(p(a,b) / (p(a) p(b))) / −ln p(a,b)`, with p the share of counted stories —
//! 1 when a and b always appear together, 0 when independent, −1 never together (pairs below the
//! minimum are not listed).
//!
//! Guarantees: counts are integer sums, so the edge list does not depend on the order stories
//! are read or on the thread count; pairs are ordered `term_a < term_b`.

use crate::error::Result;
use crate::stories::{StoryRecord, StoryStore};

/// One edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Indices into the node list given, `a < b` by name.
    pub a: usize,
    pub b: usize,
    pub stories: u64,
    pub articles: u64,
    pub npmi: f64,
}

/// Counts the pairs of `nodes` (term ids) over the stories `counted` says, each story standing
/// for `articles[s]` articles; `df[i]` is node i's story count over the same stories.
pub fn edges(
    store: &mut StoryStore,
    counted: &[bool],
    articles: &[u64],
    nodes: &[u32],
    min_stories: u64,
) -> Result<Vec<Edge>> {
    let k = nodes.len();
    let mut node_of = vec![u32::MAX; store.terms.len()];
    for (i, &t) in nodes.iter().enumerate() {
        node_of[t as usize] = i as u32;
    }
    let mut pair_stories = vec![0u64; k * k];
    let mut pair_articles = vec![0u64; k * k];
    let mut df = vec![0u64; k];
    let mut total = 0u64;
    let mut story = StoryRecord::default();
    let mut present = Vec::new();
    let mut reader = store.read()?;
    let mut s = 0;
    while reader.next_into(&mut story)? {
        if counted[s] {
            total += 1;
            present.clear();
            present.extend(
                story
                    .terms
                    .iter()
                    .map(|&(t, _)| node_of[t as usize])
                    .filter(|&i| i != u32::MAX),
            );
            for (x, &i) in present.iter().enumerate() {
                df[i as usize] += 1;
                for &j in &present[x + 1..] {
                    let (i, j) = (i.min(j) as usize, i.max(j) as usize);
                    pair_stories[i * k + j] += 1;
                    pair_articles[i * k + j] += articles[s];
                }
            }
        }
        s += 1;
    }
    let mut out = Vec::new();
    for i in 0..k {
        for j in i + 1..k {
            let both = pair_stories[i * k + j];
            if both < min_stories.max(1) {
                continue;
            }
            let p = |c: u64| c as f64 / total as f64;
            let pab = p(both);
            let npmi = if pab >= 1.0 {
                1.0
            } else {
                (pab / (p(df[i]) * p(df[j]))).ln() / -pab.ln()
            };
            out.push(Edge {
                a: i,
                b: j,
                stories: both,
                articles: pair_articles[i * k + j],
                npmi,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pairs_and_npmi() {
        let mut store = crate::stories::test_store(&[
            &[(0, 1), (1, 2)],
            &[(0, 1), (1, 1)],
            &[(2, 1)],
            &[(0, 1), (2, 1)],
        ]);
        for (i, t) in ["a", "b", "c"].iter().enumerate() {
            assert_eq!(store.terms.intern(&t.to_string()), i as u32);
        }
        let e = edges(&mut store, &[true; 4], &[3, 1, 1, 1], &[0, 1, 2], 1).unwrap();
        let got: Vec<(usize, usize, u64, u64)> = e
            .iter()
            .map(|e| (e.a, e.b, e.stories, e.articles))
            .collect();
        assert_eq!(got, [(0, 1, 2, 4), (0, 2, 1, 1)]);
        // p(a)=3/4, p(b)=2/4, p(ab)=2/4: ln((1/2)/(3/8)) / ln 2.
        assert!((e[0].npmi - (4f64 / 3.0).ln() / 2f64.ln()).abs() < 1e-12);
        // Leaving story 0 out drops the a–b pair below two stories.
        let e = edges(
            &mut store,
            &[false, true, true, true],
            &[3, 1, 1, 1],
            &[0, 1, 2],
            2,
        )
        .unwrap();
        assert!(e.is_empty());
    }
}

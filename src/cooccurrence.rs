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
//! Per story and summed, as [`crate::aggregate`]: [`story_pairs`] gives one story's pairs of
//! nodes, [`Pairs`] sums them (the CLI's [`edges`] as it reads the store, Spark's driver from a
//! `groupBy`'s sums) and gives the edges.
//!
//! Guarantees: counts are integer sums, so the edge list does not depend on the order stories
//! are read, on how they were grouped or on the thread count; pairs are ordered
//! `term_a < term_b`.

use rustc_hash::FxHashMap;

use crate::error::Result;
use crate::keywords::Totals;
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

/// The network's nodes: the `k` terms of `ranked` (the terms with `df > 0`) in the most
/// counted stories (ties: by name, `order` as in [`crate::keywords::Totals::ranked`]), sorted by
/// name.
pub fn nodes(totals: &Totals, ranked: &[u32], order: &[u32], k: usize) -> Vec<u32> {
    let mut nodes: Vec<u32> = ranked.to_vec();
    nodes.sort_by(|&a, &b| {
        totals.df[b as usize]
            .cmp(&totals.df[a as usize])
            .then_with(|| order[a as usize].cmp(&order[b as usize]))
    });
    nodes.truncate(k);
    nodes.sort_unstable_by_key(|&t| order[t as usize]);
    nodes
}

/// The pairs of nodes one counted story holds: `(i, j)`, `i < j` indexes into the node list,
/// for its `terms` (term id, occurrences); `node_of[t]` is term t's node index or `u32::MAX`.
/// Every driver calls this per story (the CLI's [`edges`], Spark's executors).
pub fn story_pairs(
    terms: &[(u32, u32)],
    node_of: &[u32],
    present: &mut Vec<u32>,
    mut emit: impl FnMut(usize, usize),
) {
    present.clear();
    present.extend(
        terms
            .iter()
            .filter_map(|&(t, _)| node_of.get(t as usize).copied())
            .filter(|&i| i != u32::MAX),
    );
    for (x, &i) in present.iter().enumerate() {
        for &j in &present[x + 1..] {
            emit(i.min(j) as usize, i.max(j) as usize);
        }
    }
}

/// Per pair of nodes, the stories holding both and the articles they stand for.
#[derive(Debug, Default)]
pub struct Pairs {
    counts: FxHashMap<(usize, usize), (u64, u64)>,
}

impl Pairs {
    /// Adds `stories` stories (standing for `articles` articles) holding nodes `i < j`.
    pub fn add(&mut self, i: usize, j: usize, stories: u64, articles: u64) {
        let c = self.counts.entry((i, j)).or_default();
        c.0 += stories;
        c.1 += articles;
    }

    /// The edges of pairs found together in at least `min_stories` stories, by `(a, b)`; node
    /// i's stories are `totals.df[nodes[i]]`, out of `totals.stories`.
    pub fn edges(self, nodes: &[u32], totals: &Totals, min_stories: u64) -> Vec<Edge> {
        let total = totals.stories;
        let df = |i: usize| totals.df[nodes[i] as usize];
        let mut out: Vec<Edge> = self
            .counts
            .into_iter()
            .filter(|&(_, (both, _))| both >= min_stories.max(1))
            .map(|((a, b), (both, articles))| {
                let p = |c: u64| c as f64 / total as f64;
                let pab = p(both);
                let npmi = if pab >= 1.0 {
                    1.0
                } else {
                    (pab / (p(df(a)) * p(df(b)))).ln() / -pab.ln()
                };
                Edge {
                    a,
                    b,
                    stories: both,
                    articles,
                    npmi,
                }
            })
            .collect();
        out.sort_unstable_by_key(|e| (e.a, e.b));
        out
    }
}

/// Counts the pairs of `nodes` (term ids, sorted by name) over the stories `counted` says, each
/// story standing for `articles[s]` articles; `totals` are the same stories' (node df, stories).
pub fn edges(
    store: &mut StoryStore,
    counted: &[bool],
    articles: &[u64],
    nodes: &[u32],
    totals: &Totals,
    min_stories: u64,
) -> Result<Vec<Edge>> {
    let mut node_of = vec![u32::MAX; store.terms.len()];
    for (i, &t) in nodes.iter().enumerate() {
        if node_of.len() <= t as usize {
            node_of.resize(t as usize + 1, u32::MAX);
        }
        node_of[t as usize] = i as u32;
    }
    let mut pairs = Pairs::default();
    let mut story = StoryRecord::default();
    let mut present = Vec::new();
    let mut reader = store.read()?;
    let mut s = 0;
    while reader.next_into(&mut story)? {
        if counted[s] {
            story_pairs(&story.terms, &node_of, &mut present, |i, j| {
                pairs.add(i, j, 1, articles[s])
            });
        }
        s += 1;
    }
    Ok(pairs.edges(nodes, totals, min_stories))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pairs_and_npmi() {
        let stories: &[&[(u32, u32)]] = &[
            &[(0, 1), (1, 2)],
            &[(0, 1), (1, 1)],
            &[(2, 1)],
            &[(0, 1), (2, 1)],
        ];
        let totals = |counted: &[bool]| {
            let mut t = Totals::default();
            for (s, terms) in stories.iter().enumerate() {
                if counted[s] {
                    t.add(terms, 1);
                }
            }
            t
        };
        let mut store = crate::stories::test_store(stories);
        for (i, t) in ["a", "b", "c"].iter().enumerate() {
            assert_eq!(store.terms.intern(&t.to_string()), i as u32);
        }
        let all = [true; 4];
        let e = edges(
            &mut store,
            &all,
            &[3, 1, 1, 1],
            &[0, 1, 2],
            &totals(&all),
            1,
        )
        .unwrap();
        let got: Vec<(usize, usize, u64, u64)> = e
            .iter()
            .map(|e| (e.a, e.b, e.stories, e.articles))
            .collect();
        assert_eq!(got, [(0, 1, 2, 4), (0, 2, 1, 1)]);
        // p(a)=3/4, p(b)=2/4, p(ab)=2/4: ln((1/2)/(3/8)) / ln 2.
        assert!((e[0].npmi - (4f64 / 3.0).ln() / 2f64.ln()).abs() < 1e-12);
        // Leaving story 0 out drops the a–b pair below two stories.
        let some = [false, true, true, true];
        let e = edges(
            &mut store,
            &some,
            &[3, 1, 1, 1],
            &[0, 1, 2],
            &totals(&some),
            2,
        )
        .unwrap();
        assert!(e.is_empty());
    }
}

//! Aggregate: from the stories of a run to the rows of its report tables.
//!
//! Takes the [`StoryStore`] of pass 3, the article rows (dates, outlets, clusters) and the
//! [`Relevance`] of each story; writes each story's relevance into its articles' rows and gives
//! [`Aggregates`]: keyword totals ranked by TF-IDF over stories, the top keywords per day and
//! per outlet, entity counts, and the co-occurrence edges among the top terms.
//!
//! Which stories count: the on-topic ones, or all with `keep_off_topic`. A story appears in a
//! day (an outlet) when at least one of its articles is dated that day (is from that outlet);
//! its keywords then count once for that day, however many copies ran that day.
//!
//! Guarantees: every figure is an integer sum or computed from one, and every list is sorted by a
//! total order, so the result does not depend on the thread count.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::cooccurrence::{self, Edge};
use crate::error::Result;
use crate::keywords::{name_order, GroupCounts, GroupKeyword, Groups, Totals};
use crate::pipeline::Scanned;
use crate::relevance::Relevance;
use crate::stories::{StoryRecord, StoryStore};

/// How the tables are cut.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AggregateConfig {
    /// Count off-topic stories too.
    pub keep_off_topic: bool,
    /// Keywords listed per day and per outlet, and entities per day.
    pub keywords_per_group: usize,
    /// Terms (keywords and entities, by stories) that are nodes of the co-occurrence network.
    pub cooccurrence_terms: usize,
    /// Pairs found together in fewer stories are not listed.
    pub cooccurrence_min_stories: u64,
}

impl Default for AggregateConfig {
    fn default() -> Self {
        AggregateConfig {
            keep_off_topic: false,
            keywords_per_group: 100,
            cooccurrence_terms: 200,
            cooccurrence_min_stories: 2,
        }
    }
}

/// Counts of one entity over the counted stories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityCount {
    pub mentions: u64,
    pub stories: u64,
    pub articles: u64,
    /// Surface ids of the other ways it was written.
    pub aliases: BTreeSet<u32>,
}

/// An entity's mentions on one day: each story counts once for each day it appeared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityDay {
    pub day: u32,
    pub entity: u32,
    pub mentions: u64,
    pub stories: u64,
}

/// Everything the keyword, entity and network tables need.
pub struct Aggregates {
    pub totals: Totals,
    /// Term ids with `df > 0`, by TF-IDF descending, then keyword.
    pub ranked: Vec<u32>,
    pub days: Groups,
    pub by_day: Vec<GroupKeyword>,
    pub outlets: Groups,
    pub by_outlet: Vec<GroupKeyword>,
    /// Per entity id.
    pub entities: Vec<EntityCount>,
    /// The top entities of each day (see [`EntityDay`]).
    pub entities_by_day: Vec<EntityDay>,
    /// Node term ids of the network, sorted by keyword.
    pub nodes: Vec<u32>,
    pub edges: Vec<Edge>,
    pub counted_stories: u64,
    pub counted_articles: u64,
}

/// Writes relevance into the rows and aggregates the counted stories.
pub fn aggregate(
    store: &mut StoryStore,
    scanned: &mut Scanned,
    relevance: &Relevance,
    cfg: &AggregateConfig,
) -> Result<Aggregates> {
    let n = store.len();
    let row_of = |s: usize| scanned.article_rows[store.positions[s] as usize];
    let mut story_of_cluster = Vec::new();
    for s in 0..n {
        let cluster = scanned.rows[row_of(s)]
            .cluster_id
            .expect("a representative has a cluster") as usize;
        if story_of_cluster.len() <= cluster {
            story_of_cluster.resize(cluster + 1, usize::MAX);
        }
        story_of_cluster[cluster] = s;
    }
    let counted: Vec<bool> = (0..n)
        .map(|s| cfg.keep_off_topic || !relevance.off_topic[s])
        .collect();
    let mut articles = vec![0u64; n];
    let (mut day_pairs, mut outlet_pairs) = (Vec::new(), Vec::new());
    for row in scanned.rows.iter_mut() {
        let Some(cluster) = row.cluster_id else {
            continue;
        };
        let s = story_of_cluster[cluster as usize];
        row.relevance = Some(relevance.scores[s]);
        row.off_topic = Some(relevance.off_topic[s]);
        articles[s] += 1;
    }
    for row in &scanned.rows {
        let Some(cluster) = row.cluster_id else {
            continue;
        };
        let s = story_of_cluster[cluster as usize];
        if !counted[s] {
            continue;
        }
        if !row.date.iso().is_empty() {
            day_pairs.push((s, row.date.iso()));
        }
        if let Some(outlet) = row.outlet.as_deref() {
            outlet_pairs.push((s, outlet));
        }
    }
    let days = Groups::new(n, day_pairs);
    let outlets = Groups::new(n, outlet_pairs);

    let mut totals = Totals::new(store.terms.len());
    let mut entities = vec![EntityCount::default(); store.entities.len()];
    let (mut per_day, mut per_outlet) = (GroupCounts::default(), GroupCounts::default());
    let mut entity_days: FxHashMap<(u32, u32), (u64, u64)> = FxHashMap::default();
    let mut story = StoryRecord::default();
    let mut reader = store.read()?;
    let mut s = 0;
    while reader.next_into(&mut story)? {
        if counted[s] {
            totals.add(&story.terms, articles[s]);
            for &(e, m) in &story.entities {
                let count = &mut entities[e as usize];
                count.mentions += m as u64;
                count.stories += 1;
                count.articles += articles[s];
            }
            for &(e, surface) in &story.aliases {
                entities[e as usize].aliases.insert(surface);
            }
            per_day.add(&days.of_story[s], &story.terms);
            for &day in &days.of_story[s] {
                for &(e, m) in &story.entities {
                    let c = entity_days.entry((day, e)).or_default();
                    c.0 += m as u64;
                    c.1 += 1;
                }
            }
            per_outlet.add(&outlets.of_story[s], &story.terms);
        }
        s += 1;
    }
    let name = |t: u32| store.terms.name(t).as_str();
    let order = name_order(store.terms.len(), name);
    let ranked = totals.ranked(&order);
    let idf = |t: u32| totals.idf(t);
    let by_day = per_day.top(cfg.keywords_per_group, idf, &order);
    let by_outlet = per_outlet.top(cfg.keywords_per_group, idf, &order);

    let mut entities_by_day: Vec<EntityDay> = entity_days
        .into_iter()
        .map(|((day, entity), (mentions, stories))| EntityDay {
            day,
            entity,
            mentions,
            stories,
        })
        .collect();
    entities_by_day.sort_by(|a, b| {
        a.day
            .cmp(&b.day)
            .then(b.stories.cmp(&a.stories))
            .then(b.mentions.cmp(&a.mentions))
            .then_with(|| {
                store
                    .entities
                    .name(a.entity)
                    .cmp(store.entities.name(b.entity))
            })
    });
    entities_by_day.retain({
        let (mut day, mut kept) = (u32::MAX, 0);
        move |e| {
            if e.day != day {
                (day, kept) = (e.day, 0);
            }
            kept += 1;
            kept <= cfg.keywords_per_group
        }
    });
    let mut nodes: Vec<u32> = ranked.clone();
    nodes.sort_by(|&a, &b| {
        totals.df[b as usize]
            .cmp(&totals.df[a as usize])
            .then_with(|| order[a as usize].cmp(&order[b as usize]))
    });
    nodes.truncate(cfg.cooccurrence_terms);
    nodes.sort_unstable_by_key(|&t| order[t as usize]);
    let edges = cooccurrence::edges(
        store,
        &counted,
        &articles,
        &nodes,
        cfg.cooccurrence_min_stories,
    )?;
    let counted_articles = (0..n).filter(|&s| counted[s]).map(|s| articles[s]).sum();
    Ok(Aggregates {
        counted_stories: totals.stories,
        totals,
        ranked,
        days,
        by_day,
        outlets,
        by_outlet,
        entities,
        entities_by_day,
        nodes,
        edges,
        counted_articles,
    })
}

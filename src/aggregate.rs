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
//! In two steps every driver shares: per counted story, its [`Part`]s ([`story_parts`]: rows
//! of what it adds to each table); summed by key into [`Sums`], then ranked
//! ([`Sums::aggregates`]). The CLI sums the parts as it reads the story store ([`aggregate`]);
//! `bodo.spark` has its executors emit them and a `groupBy` sum them, and gives the sums to
//! [`Sums::add`] on the driver.
//!
//! Guarantees: every figure is an integer sum or computed from one, and every list is sorted by a
//! total order, so the result depends neither on the thread count nor on the order or grouping
//! in which the parts were summed.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::cooccurrence::{self, Edge};
use crate::entities::EntityType;
use crate::error::{Error, Result};
use crate::keywords::{best_first, name_order, GroupCounts, GroupKeyword, Groups, Totals};
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

/// Which sum a [`Part`] adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// One per counted story: the stories and articles counted.
    Story,
    /// `key` a term: `n` its occurrences (`keywords.csv`).
    Keyword,
    /// `group` a day, `key` a term (`keywords_by_day.csv`).
    DayKeyword,
    /// `group` an outlet, `key` a term (`keywords_by_outlet.csv`).
    OutletKeyword,
    /// `key` an entity: `n` its mentions (`entities.csv`).
    Entity,
    /// `key` an entity, `group` a surface it was written as.
    Alias,
    /// `group` a day, `key` an entity: `n` its mentions (`entities_by_day.csv`).
    DayEntity,
}

impl Table {
    pub const ALL: [Table; 7] = [
        Table::Story,
        Table::Keyword,
        Table::DayKeyword,
        Table::OutletKeyword,
        Table::Entity,
        Table::Alias,
        Table::DayEntity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Table::Story => "story",
            Table::Keyword => "keyword",
            Table::DayKeyword => "day_keyword",
            Table::OutletKeyword => "outlet_keyword",
            Table::Entity => "entity",
            Table::Alias => "alias",
            Table::DayEntity => "day_entity",
        }
    }

    pub fn parse(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// One row of what a counted story adds to the tables. Summed over stories by key
/// (`table`, `group`, `key`) — `n` and `articles` added, the stories counted — the rows are
/// every figure of the keyword and entity tables ([`Sums`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub table: Table,
    /// A day or outlet id, or a surface id (0 where the table has no group).
    pub group: u32,
    /// A term or entity id (0 for [`Table::Story`]).
    pub key: u32,
    /// Occurrences or mentions.
    pub n: u64,
    /// The articles the story stands for.
    pub articles: u64,
}

/// What one counted story adds: `story`'s terms and entities, the `articles` it stands for,
/// and the days and outlets it appeared in (group ids). Every driver calls this per story: the
/// CLI summing into [`Sums`] at once, Spark's executors emitting rows a `groupBy` sums.
pub fn story_parts(
    story: &StoryRecord,
    articles: u64,
    days: &[u32],
    outlets: &[u32],
    mut emit: impl FnMut(Part),
) {
    let part = |table, group, key, n| Part {
        table,
        group,
        key,
        n,
        articles,
    };
    emit(part(Table::Story, 0, 0, 0));
    for &(t, tf) in &story.terms {
        emit(part(Table::Keyword, 0, t, tf as u64));
        for &day in days {
            emit(part(Table::DayKeyword, day, t, tf as u64));
        }
        for &outlet in outlets {
            emit(part(Table::OutletKeyword, outlet, t, tf as u64));
        }
    }
    for &(e, m) in &story.entities {
        emit(part(Table::Entity, 0, e, m as u64));
        for &day in days {
            emit(part(Table::DayEntity, day, e, m as u64));
        }
    }
    for &(e, surface) in &story.aliases {
        emit(part(Table::Alias, surface, e, 0));
    }
}

/// The keyword and entity tables' sums over the counted stories, from [`Part`]s.
#[derive(Debug, Default)]
pub struct Sums {
    pub totals: Totals,
    pub per_day: GroupCounts,
    pub per_outlet: GroupCounts,
    /// Per entity id.
    pub entities: Vec<EntityCount>,
    /// (day, entity) → (mentions, stories).
    pub entity_days: FxHashMap<(u32, u32), (u64, u64)>,
    pub counted_articles: u64,
}

impl Sums {
    /// Adds a part that `stories` stories gave (1 for one story's part; a `groupBy`'s count for
    /// a summed row, whose `n` and `articles` are sums).
    pub fn add(&mut self, part: Part, stories: u64) {
        let Part {
            table,
            group,
            key,
            n,
            articles,
        } = part;
        match table {
            Table::Story => {
                self.totals.stories += stories;
                self.counted_articles += articles;
            }
            Table::Keyword => self.totals.add_term(key, n, stories, articles),
            Table::DayKeyword => self.per_day.add_term(group, key, n, stories),
            Table::OutletKeyword => self.per_outlet.add_term(group, key, n, stories),
            Table::Entity => {
                let count = self.entity(key);
                count.mentions += n;
                count.stories += stories;
                count.articles += articles;
            }
            Table::Alias => {
                self.entity(key).aliases.insert(group);
            }
            Table::DayEntity => {
                let c = self.entity_days.entry((group, key)).or_default();
                c.0 += n;
                c.1 += stories;
            }
        }
    }

    fn entity(&mut self, e: u32) -> &mut EntityCount {
        if self.entities.len() <= e as usize {
            self.entities.resize(e as usize + 1, EntityCount::default());
        }
        &mut self.entities[e as usize]
    }

    /// The ranked tables: keywords by TF-IDF, each day's and outlet's top keywords, each day's
    /// top entities and the co-occurrence network's nodes (its edges are left to
    /// [`cooccurrence`], which needs the nodes first). Names are the store's vocabularies';
    /// `days` and `outlets` name the group ids.
    pub fn aggregates(
        self,
        store: &StoryStore,
        days: Groups,
        outlets: Groups,
        cfg: &AggregateConfig,
    ) -> Aggregates {
        let Sums {
            mut totals,
            per_day,
            per_outlet,
            mut entities,
            entity_days,
            counted_articles,
        } = self;
        totals.resize(store.terms.len());
        entities.resize(store.entities.len(), EntityCount::default());
        let name = |t: u32| store.terms.name(t).as_str();
        let order = name_order(store.terms.len(), name);
        let ranked = totals.ranked(&order);
        // Each term's IDF once, not once per (group, term) row.
        let idfs = totals.idfs();
        let idf = |t: u32| idfs[t as usize];
        let by_day = per_day.top(cfg.keywords_per_group, idf, &order);
        let by_outlet = per_outlet.top(cfg.keywords_per_group, idf, &order);

        let mut all_days: Vec<EntityDay> = entity_days
            .into_iter()
            .map(|((day, entity), (mentions, stories))| EntityDay {
                day,
                entity,
                mentions,
                stories,
            })
            .collect();
        // Each day's top entities: most stories, then mentions, then type and name (a total
        // order: no two entities share both). Only the kept ones are sorted by it.
        let better = |a: &EntityDay, b: &EntityDay| {
            b.stories
                .cmp(&a.stories)
                .then(b.mentions.cmp(&a.mentions))
                .then_with(|| {
                    store
                        .entities
                        .name(a.entity)
                        .cmp(store.entities.name(b.entity))
                })
        };
        all_days.sort_unstable_by_key(|e| e.day);
        let top = cfg.keywords_per_group;
        let mut entities_by_day = Vec::new();
        for day in all_days.chunk_by_mut(|a, b| a.day == b.day) {
            entities_by_day.extend_from_slice(best_first(day, top, better));
        }
        let nodes = cooccurrence::nodes(&totals, &ranked, &order, cfg.cooccurrence_terms);
        Aggregates {
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
            edges: Vec::new(),
            counted_articles,
        }
    }
}

/// Writes each story's relevance into its articles' rows; gives, per story (store order), the
/// articles it stands for.
pub fn apply_relevance(
    store: &StoryStore,
    scanned: &mut Scanned,
    relevance: &Relevance,
) -> Vec<u64> {
    let story_of_cluster = stories_of_clusters(store, scanned);
    let mut articles = vec![0u64; store.len()];
    for row in scanned.rows.iter_mut() {
        let Some(cluster) = row.cluster_id else {
            continue;
        };
        let s = story_of_cluster[cluster as usize];
        row.relevance = Some(relevance.scores[s]);
        row.off_topic = Some(relevance.off_topic[s]);
        articles[s] += 1;
    }
    articles
}

/// Per cluster id, its story's index in the store.
fn stories_of_clusters(store: &StoryStore, scanned: &Scanned) -> Vec<usize> {
    let mut story_of_cluster = Vec::new();
    for (s, &position) in store.positions.iter().enumerate() {
        let row = scanned.article_rows[position as usize];
        let cluster = scanned.rows[row]
            .cluster_id
            .expect("a representative has a cluster") as usize;
        if story_of_cluster.len() <= cluster {
            story_of_cluster.resize(cluster + 1, usize::MAX);
        }
        story_of_cluster[cluster] = s;
    }
    story_of_cluster
}

/// Writes relevance into the rows and aggregates the counted stories: each counted story's
/// [`story_parts`] summed, the tables ranked ([`Sums::aggregates`]), the network's pairs counted.
pub fn aggregate(
    store: &mut StoryStore,
    scanned: &mut Scanned,
    relevance: &Relevance,
    cfg: &AggregateConfig,
) -> Result<Aggregates> {
    let n = store.len();
    let articles = apply_relevance(store, scanned, relevance);
    let story_of_cluster = stories_of_clusters(store, scanned);
    let counted: Vec<bool> = (0..n)
        .map(|s| cfg.keep_off_topic || !relevance.off_topic[s])
        .collect();
    let (mut day_pairs, mut outlet_pairs) = (Vec::new(), Vec::new());
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

    let mut sums = Sums::default();
    let mut story = StoryRecord::default();
    let mut reader = store.read()?;
    let mut s = 0;
    while reader.next_into(&mut story)? {
        if counted[s] {
            let (d, o) = (&days.of_story[s], &outlets.of_story[s]);
            story_parts(&story, articles[s], d, o, |part| sums.add(part, 1));
        }
        s += 1;
    }
    let mut agg = sums.aggregates(store, days, outlets, cfg);
    agg.edges = cooccurrence::edges(
        store,
        &counted,
        &articles,
        &agg.nodes,
        &agg.totals,
        cfg.cooccurrence_min_stories,
    )?;
    Ok(agg)
}

/// A summed [`Part`] as an engine gives it back, names for ids: `table` a [`Table`]'s name or
/// `kind` (a keyword's `n` occurrences tagged `group`, over every story: `keywords.csv`'s
/// `kind`); `group` a day, an outlet or a surface; `key` a keyword or an entity's name, whose
/// type is `kind`; `stories` the parts summed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedPart {
    pub table: String,
    pub group: String,
    pub key: String,
    pub kind: String,
    pub n: u64,
    pub stories: u64,
    pub articles: u64,
}

/// `kind`: a keyword's tags, a row of every story (counted or not).
pub const KIND_TABLE: &str = "kind";

impl NamedPart {
    /// One story's part in names: ids looked up in `store` (terms, entities, surfaces) and in
    /// the day and outlet names.
    pub fn of<'a>(
        part: Part,
        store: &StoryStore,
        day: impl Fn(u32) -> &'a str,
        outlet: impl Fn(u32) -> &'a str,
    ) -> NamedPart {
        let term = |t: u32| store.terms.name(t).clone();
        let entity = |e: u32| {
            let (kind, name) = store.entities.name(e);
            (name.clone(), kind.as_str().to_string())
        };
        let (group, (key, kind)) = match part.table {
            Table::Story => (String::new(), (String::new(), String::new())),
            Table::Keyword => (String::new(), (term(part.key), String::new())),
            Table::DayKeyword => (day(part.group).into(), (term(part.key), String::new())),
            Table::OutletKeyword => (outlet(part.group).into(), (term(part.key), String::new())),
            Table::Entity => (String::new(), entity(part.key)),
            Table::Alias => (store.surfaces.name(part.group).clone(), entity(part.key)),
            Table::DayEntity => (day(part.group).into(), entity(part.key)),
        };
        NamedPart {
            table: part.table.as_str().to_string(),
            group,
            key,
            kind,
            n: part.n,
            stories: 1,
            articles: part.articles,
        }
    }
}

/// A summed pair of network nodes as an engine gives it back: the two keywords (`a` before
/// `b` in the node list), the stories holding both and their articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedPair {
    pub a: String,
    pub b: String,
    pub stories: u64,
    pub articles: u64,
}

/// The sums of summed named parts, their names interned into `store` (keywords' kinds
/// tallied there), and the day and outlet groups they name (sorted, as [`Groups::new`]).
fn sums_of(store: &mut StoryStore, parts: &[NamedPart]) -> Result<(Sums, Groups, Groups)> {
    let bad = |p: &NamedPart, what: &str| {
        Error::Config(format!(
            "summed part {:?} ({} {:?}, group {:?}): {what}",
            p.table, p.kind, p.key, p.group
        ))
    };
    let names = |table: Table| {
        let mut names: Vec<String> = parts
            .iter()
            .filter(|p| Table::parse(&p.table) == Some(table))
            .map(|p| p.group.clone())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    let mut day_names = names(Table::DayKeyword);
    day_names.extend(names(Table::DayEntity));
    day_names.sort_unstable();
    day_names.dedup();
    let days = Groups {
        names: day_names,
        of_story: Vec::new(),
    };
    let outlets = Groups {
        names: names(Table::OutletKeyword),
        of_story: Vec::new(),
    };
    let group = |groups: &Groups, p: &NamedPart| {
        groups
            .names
            .binary_search(&p.group)
            .expect("every name was collected") as u32
    };
    let mut sums = Sums::default();
    for p in parts {
        if p.table == KIND_TABLE {
            let t = store.terms.intern(p.key.as_str());
            store.tally_kind(t, &p.group, p.n);
            continue;
        }
        let table = Table::parse(&p.table).ok_or_else(|| bad(p, "no such table"))?;
        let entity = |store: &mut StoryStore| -> Result<u32> {
            let kind = EntityType::parse(&p.kind).ok_or_else(|| bad(p, "no such entity type"))?;
            Ok(store.entities.intern(&(kind, p.key.clone())))
        };
        let (group, key) = match table {
            Table::Story => (0, 0),
            Table::Keyword => (0, store.terms.intern(p.key.as_str())),
            Table::DayKeyword => (group(&days, p), store.terms.intern(p.key.as_str())),
            Table::OutletKeyword => (group(&outlets, p), store.terms.intern(p.key.as_str())),
            Table::Entity => (0, entity(store)?),
            Table::Alias => (store.surfaces.intern(p.group.as_str()), entity(store)?),
            Table::DayEntity => (group(&days, p), entity(store)?),
        };
        let part = Part {
            table,
            group,
            key,
            n: p.n,
            articles: p.articles,
        };
        sums.add(part, p.stories);
    }
    Ok((sums, days, outlets))
}

/// The co-occurrence network's nodes (keywords) from summed named parts: what an engine needs
/// before it counts the pairs ([`cooccurrence::story_pairs`]).
pub fn grouped_nodes(parts: &[NamedPart], cfg: &AggregateConfig) -> Result<Vec<String>> {
    let mut store = StoryStore::new()?;
    let (sums, days, outlets) = sums_of(&mut store, parts)?;
    let agg = sums.aggregates(&store, days, outlets, cfg);
    Ok(agg
        .nodes
        .iter()
        .map(|&t| store.terms.name(t).clone())
        .collect())
}

/// [`aggregate`] from an engine's sums: writes each story's relevance into its articles' rows
/// (`store` holds the stories, in position order, their terms not needed), and ranks the
/// summed `parts` and `pairs` (of the nodes [`grouped_nodes`] gives) into the same
/// [`Aggregates`] as [`aggregate`] over the same stories.
pub fn grouped(
    store: &mut StoryStore,
    scanned: &mut Scanned,
    relevance: &Relevance,
    parts: &[NamedPart],
    pairs: &[NamedPair],
    cfg: &AggregateConfig,
) -> Result<Aggregates> {
    apply_relevance(store, scanned, relevance);
    let (sums, days, outlets) = sums_of(store, parts)?;
    let mut agg = sums.aggregates(store, days, outlets, cfg);
    let node: FxHashMap<&str, usize> = agg
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &t)| (store.terms.name(t).as_str(), i))
        .collect();
    let mut summed = cooccurrence::Pairs::default();
    for p in pairs {
        let (Some(&a), Some(&b)) = (node.get(p.a.as_str()), node.get(p.b.as_str())) else {
            return Err(Error::Config(format!(
                "summed pair {:?}–{:?}: not two nodes of the network",
                p.a, p.b
            )));
        };
        summed.add(a.min(b), a.max(b), p.stories, p.articles);
    }
    agg.edges = summed.edges(&agg.nodes, &agg.totals, cfg.cooccurrence_min_stories);
    Ok(agg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three stories' parts, added one story at a time (the CLI) and summed by key first (an
    /// engine's `groupBy`, keys in another order), give the same sums.
    #[test]
    fn parts_summed_by_key_are_the_stories_added_one_by_one() {
        let stories = [
            StoryRecord {
                terms: vec![(0, 2), (1, 1)],
                entities: vec![(0, 3)],
                aliases: vec![(0, 1)],
                ..Default::default()
            },
            StoryRecord {
                terms: vec![(1, 4), (2, 1)],
                entities: vec![(0, 1), (1, 2)],
                ..Default::default()
            },
            StoryRecord::default(),
        ];
        let groups: [(&[u32], &[u32], u64); 3] =
            [(&[0, 1], &[0], 3), (&[1], &[], 1), (&[0], &[1], 2)];
        let (mut one_by_one, mut keyed) = (Sums::default(), FxHashMap::default());
        for (story, &(days, outlets, articles)) in stories.iter().zip(&groups) {
            story_parts(story, articles, days, outlets, |p| {
                one_by_one.add(p, 1);
                let sum = keyed
                    .entry((p.table, p.group, p.key))
                    .or_insert((0u64, 0u64, 0u64));
                *sum = (sum.0 + p.n, sum.1 + 1, sum.2 + p.articles);
            });
        }
        let mut keyed: Vec<_> = keyed.into_iter().collect();
        keyed.sort_unstable_by_key(|&((table, group, key), _)| {
            std::cmp::Reverse((table, key, group))
        });
        let mut grouped = Sums::default();
        for ((table, group, key), (n, stories, articles)) in keyed {
            let part = Part {
                table,
                group,
                key,
                n,
                articles,
            };
            grouped.add(part, stories);
        }
        assert_eq!(grouped.totals, one_by_one.totals);
        assert_eq!(grouped.totals.stories, 3);
        assert_eq!(grouped.totals.df, [1, 2, 1]);
        assert_eq!(grouped.totals.articles, [3, 4, 1]);
        assert_eq!(grouped.entities, one_by_one.entities);
        assert_eq!(grouped.entity_days, one_by_one.entity_days);
        assert_eq!(grouped.counted_articles, 6);
        let order = [0, 1, 2];
        let top = |s: Sums| {
            let (day, outlet) = (
                s.per_day.top(10, |_| 1.0, &order),
                s.per_outlet.top(10, |_| 1.0, &order),
            );
            (day, outlet)
        };
        assert_eq!(top(grouped), top(one_by_one));
    }

    /// Each day keeps its `keywords_per_group` top entities (most stories, then mentions, then
    /// type and name), the same as sorting every (day, entity) row and cutting each day.
    #[test]
    fn each_days_top_entities_are_the_fully_sorted_rows_cut() {
        let mut store = StoryStore::new().unwrap();
        let names = ["가", "나", "다", "라", "마", "바", "사"];
        let mut sums = Sums::default();
        for (i, name) in names.iter().enumerate() {
            for kind in [EntityType::Per, EntityType::Org] {
                let e = store.entities.intern(&(kind, name.to_string()));
                for day in 0..3u32 {
                    // Many ties on stories and mentions, so the names decide.
                    let (n, stories) = (1 + (i as u64 + u64::from(day)) % 3, 1 + i as u64 % 2);
                    let part = Part {
                        table: Table::DayEntity,
                        group: day,
                        key: e,
                        n,
                        articles: 1,
                    };
                    sums.add(part, stories);
                }
            }
        }
        let mut all: Vec<EntityDay> = sums
            .entity_days
            .iter()
            .map(|(&(day, entity), &(mentions, stories))| EntityDay {
                day,
                entity,
                mentions,
                stories,
            })
            .collect();
        all.sort_by(|a, b| {
            (
                a.day,
                std::cmp::Reverse(a.stories),
                std::cmp::Reverse(a.mentions),
            )
                .cmp(&(
                    b.day,
                    std::cmp::Reverse(b.stories),
                    std::cmp::Reverse(b.mentions),
                ))
                .then_with(|| {
                    store
                        .entities
                        .name(a.entity)
                        .cmp(store.entities.name(b.entity))
                })
        });
        let cfg = AggregateConfig {
            keywords_per_group: 4,
            ..AggregateConfig::default()
        };
        let expected: Vec<EntityDay> = (0..3u32)
            .flat_map(|day| all.iter().filter(move |e| e.day == day).take(4).copied())
            .collect();
        let groups = || Groups {
            names: Vec::new(),
            of_story: Vec::new(),
        };
        let agg = sums.aggregates(&store, groups(), groups(), &cfg);
        assert_eq!(agg.entities_by_day.len(), 12);
        assert_eq!(agg.entities_by_day, expected);
    }
}

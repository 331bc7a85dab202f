//! BIGKinds comparison: the entities a BIGKinds export lists for each article against the ones
//! bodo finds in it.
//!
//! Takes: for every analysed article (story representative) read from a BIGKinds export, its
//! `인물`/`위치`/`기관` cells ([`BigKinds`]) and bodo's mentions in it.
//! Gives: [`Overlap`], the rows of `bigkinds_entities_overlap.csv` — per entity and type, the
//! articles where BIGKinds names it (`in_bigkinds`), where bodo does (`in_bodo`) and where both do
//! (`articles`) — and totals for the manifest.
//! Guarantees:
//! - One key per name on both sides: a BIGKinds name is first mapped through the gazetteer (an
//!   alias such as `과기정통부` counts as its canonical `과학기술정보통신부` when the types agree),
//!   then both sides are compared without whitespace (`SK C&C` = `SKC&C`). The name shown is
//!   bodo's canonical name when bodo found the entity, else BIGKinds' spelling.
//! - BIGKinds' 인물 is PER, 위치 LOC, 기관 ORG; bodo's DATE and TERM mentions have no BIGKinds
//!   column and are left out. Each article counts once per entity however often it is named.
//! - bodo joins an address into one place (`경기 성남시 분당구`) where BIGKinds lists its parts
//!   (`경기`, `성남`, `분당구`), so a place of several words also names each word that is a place
//!   on its own — a province's short name, a gazetteer place, or a word ending in an
//!   administrative unit (시 군 구 동 읍 면 리 도); `판교 데이터센터` names 판교, not 데이터센터.
//! - Deterministic: rows sorted by `articles`, then `in_bigkinds + in_bodo` (both descending),
//!   type and name.

use std::collections::{BTreeMap, HashMap};

use crate::entities::gazetteer::Gazetteer;
use crate::entities::{EntityType, LOC_SUFFIXES, PROVINCES};
use crate::record::BigKinds;

/// One row of `bigkinds_entities_overlap.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlapRow {
    pub entity: String,
    pub kind: EntityType,
    pub in_bigkinds: u64,
    pub in_bodo: u64,
    /// Articles where both name it.
    pub articles: u64,
}

/// Totals over all compared articles: (article, entity) pairs each side named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct OverlapTotals {
    /// Analysed articles that came from a BIGKinds export.
    pub articles: u64,
    pub bigkinds_pairs: u64,
    pub bodo_pairs: u64,
    pub shared_pairs: u64,
}

/// The comparison, accumulated article by article.
#[derive(Debug, Default)]
pub struct Overlap {
    rows: HashMap<(EntityType, String), OverlapRow>,
    totals: OverlapTotals,
}

impl Overlap {
    /// Adds one analysed article: BIGKinds' cells and bodo's mentions of it (type, canonical
    /// name).
    pub fn add<'m>(
        &mut self,
        bigkinds: &BigKinds,
        mentions: impl IntoIterator<Item = (EntityType, &'m str)>,
        gazetteer: &Gazetteer,
    ) {
        let mut theirs: BTreeMap<(EntityType, String), String> = BTreeMap::new();
        for (cell, kind) in [
            (&bigkinds.people, EntityType::Per),
            (&bigkinds.places, EntityType::Loc),
            (&bigkinds.organisations, EntityType::Org),
        ] {
            for name in cell.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let name = gazetteer.canonical(name, kind);
                theirs.entry((kind, key(&name))).or_insert(name);
            }
        }
        let mut ours: BTreeMap<(EntityType, String), String> = BTreeMap::new();
        for (kind, entity) in mentions {
            if matches!(kind, EntityType::Per | EntityType::Org | EntityType::Loc) {
                ours.entry((kind, key(entity)))
                    .or_insert_with(|| entity.to_string());
            }
            if kind == EntityType::Loc && entity.contains(' ') {
                for part in entity.split_whitespace().filter(|p| is_place(gazetteer, p)) {
                    let part = gazetteer.canonical(part, EntityType::Loc);
                    ours.entry((EntityType::Loc, key(&part))).or_insert(part);
                }
            }
        }
        let totals = &mut self.totals;
        totals.articles += 1;
        totals.bigkinds_pairs += theirs.len() as u64;
        totals.bodo_pairs += ours.len() as u64;
        for (id, name) in ours {
            let shared = theirs.contains_key(&id);
            let row = self
                .rows
                .entry(id)
                .or_insert_with_key(|id| new_row(&name, id.0));
            // bodo's canonical name wins over BIGKinds' spelling.
            row.entity = name;
            row.in_bodo += 1;
            if shared {
                row.articles += 1;
                totals.shared_pairs += 1;
            }
        }
        for (id, name) in theirs {
            let row = self
                .rows
                .entry(id)
                .or_insert_with_key(|id| new_row(&name, id.0));
            row.in_bigkinds += 1;
        }
    }

    pub fn totals(&self) -> OverlapTotals {
        self.totals
    }

    /// The table's rows, sorted as the module docs say.
    pub fn rows(&self) -> Vec<OverlapRow> {
        let mut rows: Vec<OverlapRow> = self.rows.values().cloned().collect();
        rows.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then((b.in_bigkinds + b.in_bodo).cmp(&(a.in_bigkinds + a.in_bodo)))
                .then(a.kind.cmp(&b.kind))
                .then(a.entity.cmp(&b.entity))
        });
        rows
    }
}

fn new_row(name: &str, kind: EntityType) -> OverlapRow {
    OverlapRow {
        entity: name.to_string(),
        kind,
        in_bigkinds: 0,
        in_bodo: 0,
        articles: 0,
    }
}

/// Whether one word of a multi-word place is a place on its own (see the module docs).
fn is_place(gazetteer: &Gazetteer, word: &str) -> bool {
    PROVINCES.contains(&word)
        || LOC_SUFFIXES
            .iter()
            .any(|s| word.len() > s.len() && word.ends_with(s))
        || gazetteer
            .entry(word)
            .is_some_and(|entry| entry.kind == EntityType::Loc)
}

/// The comparison key: the name without whitespace.
fn key(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::Mention;
    use crate::record::Field;

    fn mention(kind: EntityType, entity: &str) -> Mention {
        Mention {
            field: Field::Body,
            start: 0,
            end: 0,
            kind,
            entity: entity.to_string(),
        }
    }

    #[test]
    fn names_meet_through_the_gazetteer_and_without_spaces() {
        let gazetteer = Gazetteer::load(&[]).unwrap();
        let bk = BigKinds {
            people: "김범수, 홍은택".into(),
            places: "판교,성남,경기".into(),
            organisations: "과기정통부,SKC&C,카카오,카카오".into(),
            keywords: "먹통".into(),
        };
        let found = [
            mention(EntityType::Per, "김범수"),
            mention(EntityType::Per, "김범수"),
            mention(EntityType::Org, "과학기술정보통신부"),
            mention(EntityType::Org, "SK C&C"),
            mention(EntityType::Org, "카카오"),
            mention(EntityType::Org, "네이버"),
            mention(EntityType::Date, "2022-10-15"),
            mention(EntityType::Loc, "경기 성남시 분당구"),
            mention(EntityType::Loc, "판교 데이터센터"),
        ];
        let mut overlap = Overlap::default();
        overlap.add(
            &bk,
            found.iter().map(|m| (m.kind, m.entity.as_str())),
            &gazetteer,
        );
        let rows = overlap.rows();
        let row = |name: &str| rows.iter().find(|r| r.entity == name).cloned();
        let both = |name: &str| (name.to_string(), 1, 1, 1);
        for name in [
            "김범수",
            "과학기술정보통신부",
            "SK C&C",
            "카카오",
            "경기",
            "판교",
        ] {
            let r = row(name).unwrap_or_else(|| panic!("{name} in {rows:?}"));
            assert_eq!((r.entity, r.in_bigkinds, r.in_bodo, r.articles), both(name));
        }
        let r = row("홍은택").unwrap();
        assert_eq!((r.in_bigkinds, r.in_bodo, r.articles), (1, 0, 0));
        let r = row("네이버").unwrap();
        assert_eq!((r.in_bigkinds, r.in_bodo, r.articles), (0, 1, 0));
        assert!(row("2022-10-15").is_none(), "BIGKinds has no dates");
        assert!(
            row("데이터센터").is_none(),
            "a facility is not a place of its own"
        );
        let r = row("분당구").unwrap();
        assert_eq!((r.in_bigkinds, r.in_bodo, r.articles), (0, 1, 0));
        let t = overlap.totals();
        assert_eq!(
            (t.articles, t.bigkinds_pairs, t.bodo_pairs, t.shared_pairs),
            (1, 8, 11, 7)
        );
        // The shared rows come first.
        assert_eq!(rows[0].articles, 1);
        assert_eq!(rows.last().unwrap().articles, 0);
    }
}

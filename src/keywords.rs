//! Keywords: which words and names dominated, ranked by TF-IDF over stories.
//!
//! Takes each story representative's [`Noun`]s and entity [`Mention`]s; gives its
//! [`ArticleTerms`] (names under their canonical form, and the nouns no name covers, through the
//! [`KeywordFilter`]); over the run, [`Totals`] per keyword — `tf` (occurrences in stories), `df`
//! (stories containing it), `articles` (copies included) — ranked by `tf × idf` with the smoothed
//! [`idf`], and [`GroupCounts`] ranking each day's or outlet's keywords the same way.
//!
//! The [`KeywordFilter`] drops stopwords (the shipped `data/stopwords-ko.txt` plus any user
//! lists), keywords shorter than `min_chars` characters, and keywords with no letter.
//!
//! Guarantees: counts are sums, so adding stories in any order gives the same totals; rankings
//! break ties by keyword, so they are total orders.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::entities::Mention;
use crate::error::{Error, Result};
use crate::record::Noun;

/// The shipped stopword list (see the file's header for what it holds and why).
pub const DEFAULT_STOPWORDS: &str = include_str!("../data/stopwords-ko.txt");

/// Which nouns count as keywords.
#[derive(Debug, Clone)]
pub struct KeywordFilter {
    stopwords: HashSet<String>,
    min_chars: usize,
}

impl KeywordFilter {
    /// A filter with the given stopwords and minimum length in characters.
    pub fn new(stopwords: HashSet<String>, min_chars: usize) -> Self {
        KeywordFilter {
            stopwords,
            min_chars,
        }
    }

    /// The shipped list plus the user's files (one word per line, `#` comments).
    pub fn with_stopword_files(files: &[impl AsRef<Path>], min_chars: usize) -> Result<Self> {
        let mut stopwords = parse_stopwords(DEFAULT_STOPWORDS);
        for file in files {
            let path = file.as_ref();
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            stopwords.extend(parse_stopwords(&text));
        }
        Ok(KeywordFilter::new(stopwords, min_chars))
    }

    pub fn keeps(&self, keyword: &str) -> bool {
        keyword.chars().count() >= self.min_chars
            && keyword.chars().any(char::is_alphabetic)
            && !self.stopwords.contains(keyword)
    }

    pub fn stopword_count(&self) -> usize {
        self.stopwords.len()
    }
}

/// One word per line; blank lines and `#` comments ignored.
pub fn parse_stopwords(text: &str) -> HashSet<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The keyword occurrences of one article (a story's representative), kept by the filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleTerms {
    terms: HashMap<String, TermCount>,
}

/// Occurrences of one keyword in one article, by kind (a noun's tag sequence such as `NNP+NNG`,
/// or an entity type such as `ORG`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TermCount {
    n: u64,
    /// Almost always one entry, so a list beats a map.
    kinds: Vec<(String, u64)>,
}

impl ArticleTerms {
    /// The keywords of one article: its entity mentions (by canonical name: `카톡` and `카카오톡`
    /// are one keyword, `SK C&C` one, not two) and the nouns no mention covers, through the
    /// filter. Dates and times are entities but not keywords, nor are unnamed people.
    pub fn new(
        nouns: impl IntoIterator<Item = Noun>,
        mentions: &[Mention],
        filter: &KeywordFilter,
    ) -> Self {
        let mut terms = ArticleTerms::default();
        let named: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.kind.is_named() && m.entity != crate::entities::UNNAMED)
            .collect();
        for m in &named {
            terms.add(m.entity.as_str(), m.kind.as_str(), filter);
        }
        // Both lists are sorted by field, then offset.
        let mut k = 0;
        for noun in nouns {
            while k < named.len() && (named[k].field, named[k].end) <= (noun.field, noun.start) {
                k += 1;
            }
            let covered = named[k..]
                .iter()
                .take_while(|m| (m.field, m.start) < (noun.field, noun.end))
                .any(|m| m.field == noun.field);
            if !covered {
                terms.add(noun.text, noun.pos, filter);
            }
        }
        terms
    }

    /// The keywords of plain nouns (no entities).
    pub fn from_nouns(nouns: impl IntoIterator<Item = Noun>, filter: &KeywordFilter) -> Self {
        Self::new(nouns, &[], filter)
    }

    /// Counts one occurrence; takes owned strings so a new keyword costs no copy.
    fn add<K, P>(&mut self, keyword: K, kind: P, filter: &KeywordFilter)
    where
        K: AsRef<str> + Into<String>,
        P: AsRef<str> + Into<String>,
    {
        if !filter.keeps(keyword.as_ref()) {
            return;
        }
        let entry = match self.terms.get_mut(keyword.as_ref()) {
            Some(e) => e,
            None => self.terms.entry(keyword.into()).or_default(),
        };
        entry.n += 1;
        match entry.kinds.iter_mut().find(|(p, _)| p == kind.as_ref()) {
            Some((_, m)) => *m += 1,
            None => entry.kinds.push((kind.into(), 1)),
        }
    }

    /// Occurrences of each keyword in this article (in no particular order).
    pub fn counts(&self) -> impl Iterator<Item = (&str, u64)> {
        self.terms.iter().map(|(k, t)| (k.as_str(), t.n))
    }

    /// Each keyword with its occurrences by kind (in no particular order).
    pub fn kinds(&self) -> impl Iterator<Item = (&str, &[(String, u64)])> {
        self.terms
            .iter()
            .map(|(k, t)| (k.as_str(), t.kinds.as_slice()))
    }
}

/// TF-IDF's inverse document frequency over stories, smoothed as scikit-learn's default:
/// `ln((1 + n) / (1 + df)) + 1`, as if one more story contained every term — so no term divides
/// by zero and a term in every story still weighs 1, not 0.
pub fn idf(stories: u64, df: u64) -> f64 {
    ((1 + stories) as f64 / (1 + df) as f64).ln() + 1.0
}

/// Per-term totals over the stories a table covers (the on-topic ones, by default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// Occurrences in the stories' representatives.
    pub tf: Vec<u64>,
    /// Stories containing the term.
    pub df: Vec<u64>,
    /// Articles (copies included) whose story contains the term.
    pub articles: Vec<u64>,
    /// Stories counted.
    pub stories: u64,
}

impl Totals {
    /// Totals over no story, for `terms` terms.
    pub fn new(terms: usize) -> Self {
        Totals {
            tf: vec![0; terms],
            df: vec![0; terms],
            articles: vec![0; terms],
            stories: 0,
        }
    }

    /// Counts one story: its (term id, occurrences) and the articles it stands for.
    pub fn add(&mut self, terms: &[(u32, u32)], articles: u64) {
        self.stories += 1;
        for &(t, tf) in terms {
            self.add_term(t, tf as u64, 1, articles);
        }
    }

    /// Adds `tf` occurrences of `term` in `stories` stories standing for `articles` articles
    /// (the stories themselves are counted apart, in [`Totals::stories`]).
    pub fn add_term(&mut self, term: u32, tf: u64, stories: u64, articles: u64) {
        let t = term as usize;
        if self.df.len() <= t {
            self.resize(t + 1);
        }
        self.tf[t] += tf;
        self.df[t] += stories;
        self.articles[t] += articles;
    }

    /// Room for `terms` terms (never shrinks).
    pub fn resize(&mut self, terms: usize) {
        let terms = terms.max(self.df.len());
        self.tf.resize(terms, 0);
        self.df.resize(terms, 0);
        self.articles.resize(terms, 0);
    }

    pub fn idf(&self, term: u32) -> f64 {
        idf(self.stories, self.df[term as usize])
    }

    /// Every term's [`Totals::idf`], by term id: a logarithm each, taken once.
    pub fn idfs(&self) -> Vec<f64> {
        (0..self.df.len() as u32).map(|t| self.idf(t)).collect()
    }

    /// The terms with `df > 0`, by TF-IDF descending, then by name (`order[id]`: the term's
    /// place in name order, see [`name_order`]).
    pub fn ranked(&self, order: &[u32]) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.df.len() as u32)
            .filter(|&t| self.df[t as usize] > 0)
            .collect();
        // Scores computed once, not in every comparison.
        let score: Vec<f64> = self
            .idfs()
            .iter()
            .zip(&self.tf)
            .map(|(idf, &tf)| tf as f64 * idf)
            .collect();
        ids.sort_unstable_by(|&a, &b| {
            score[b as usize]
                .total_cmp(&score[a as usize])
                .then_with(|| order[a as usize].cmp(&order[b as usize]))
        });
        ids
    }
}

/// Each id's place when the ids `0..n` are sorted by `name(id)`: sorting by it is sorting by
/// name, at the cost of one string sort instead of a string comparison per tie.
pub fn name_order<'a>(n: usize, name: impl Fn(u32) -> &'a str) -> Vec<u32> {
    // Names' first eight bytes, big-endian (zero-padded), order as the names do up to them:
    // most comparisons end there, without reaching for the strings.
    let prefix = |s: &str| {
        let mut b = [0u8; 8];
        let k = s.len().min(8);
        b[..k].copy_from_slice(&s.as_bytes()[..k]);
        u64::from_be_bytes(b)
    };
    let mut ids: Vec<(u64, u32)> = (0..n as u32).map(|id| (prefix(name(id)), id)).collect();
    ids.sort_unstable_by(|&(pa, a), &(pb, b)| {
        pa.cmp(&pb)
            .then_with(|| name(a).cmp(name(b)))
            .then(a.cmp(&b))
    });
    let mut order = vec![0; n];
    for (place, &(_, id)) in ids.iter().enumerate() {
        order[id as usize] = place as u32;
    }
    order
}

/// A set of story groups (days, outlets): for each story, the groups it appeared in.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    /// Group names, sorted; group ids index this.
    pub names: Vec<String>,
    /// Per story index, its group ids (sorted, unique).
    pub of_story: Vec<Vec<u32>>,
}

impl Groups {
    /// Groups from (story index, group name) pairs for `stories` stories.
    pub fn new<'a>(stories: usize, pairs: impl IntoIterator<Item = (usize, &'a str)>) -> Self {
        let pairs: Vec<(usize, &str)> = pairs.into_iter().collect();
        let mut names: Vec<&str> = pairs.iter().map(|(_, g)| *g).collect();
        names.sort_unstable();
        names.dedup();
        let mut of_story = vec![Vec::new(); stories];
        for (s, g) in pairs {
            let id = names.binary_search(&g).expect("every name was collected") as u32;
            of_story[s].push(id);
        }
        for groups in &mut of_story {
            groups.sort_unstable();
            groups.dedup();
        }
        Groups {
            names: names.into_iter().map(str::to_string).collect(),
            of_story,
        }
    }
}

/// One row of a per-group keyword table.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupKeyword {
    pub group: u32,
    pub term: u32,
    /// Occurrences in the group's stories (each story once per group it appeared in).
    pub tf: u64,
    /// The group's stories containing the term.
    pub df: u64,
    /// `tf × idf`, with the idf of the whole table's stories.
    pub tfidf: f64,
    /// 1 for the group's top term.
    pub rank: u32,
}

/// The `top` best of `rows` by `better` (a total order: `Less` is better), best first; only
/// those are sorted, after selecting them. The rest of `rows` is left in no order.
pub fn best_first<T>(
    rows: &mut [T],
    top: usize,
    better: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> &mut [T] {
    if rows.len() > top && top > 0 {
        rows.select_nth_unstable_by(top - 1, &better);
    }
    let len = top.min(rows.len());
    let kept = &mut rows[..len];
    kept.sort_unstable_by(better);
    kept
}

/// Accumulates per-group keyword counts story by story.
#[derive(Debug, Default)]
pub struct GroupCounts {
    /// Per group id, term → (tf, df). One map per group, not one keyed by (group, term): a
    /// story's terms all go to its few groups, whose small maps stay in cache, where one map of
    /// every (day, term) pair (two million at 10k articles) missed it on every add.
    groups: Vec<FxHashMap<u32, (u64, u64)>>,
}

impl GroupCounts {
    pub fn add(&mut self, groups: &[u32], terms: &[(u32, u32)]) {
        for &g in groups {
            for &(t, n) in terms {
                self.add_term(g, t, n as u64, 1);
            }
        }
    }

    /// Adds `tf` occurrences of `term` in `stories` of `group`'s stories.
    pub fn add_term(&mut self, group: u32, term: u32, tf: u64, stories: u64) {
        let g = group as usize;
        if g >= self.groups.len() {
            self.groups.resize_with(g + 1, FxHashMap::default);
        }
        let e = self.groups[g].entry(term).or_default();
        e.0 += tf;
        e.1 += stories;
    }

    /// The top `top` terms of each group by TF-IDF (ties: the keyword, by `order` as in
    /// [`Totals::ranked`]), by group then rank.
    pub fn top(self, top: usize, idf: impl Fn(u32) -> f64, order: &[u32]) -> Vec<GroupKeyword> {
        let better = |a: &GroupKeyword, b: &GroupKeyword| {
            b.tfidf
                .total_cmp(&a.tfidf)
                .then_with(|| order[a.term as usize].cmp(&order[b.term as usize]))
        };
        let mut out = Vec::new();
        let mut rows: Vec<GroupKeyword> = Vec::new();
        for (group, counts) in self.groups.into_iter().enumerate() {
            rows.clear();
            rows.extend(counts.into_iter().map(|(term, (tf, df))| GroupKeyword {
                group: group as u32,
                term,
                tf,
                df,
                tfidf: tf as f64 * idf(term),
                rank: 0,
            }));
            let kept = best_first(&mut rows, top, better);
            out.extend(kept.iter().enumerate().map(|(rank, row)| GroupKeyword {
                rank: rank as u32 + 1,
                ..row.clone()
            }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::EntityType;
    use crate::record::Field;

    fn noun(text: &str, pos: &str) -> Noun {
        Noun {
            text: text.into(),
            pos: pos.into(),
            field: Field::Body,
            start: 0,
            end: text.len(),
        }
    }

    #[test]
    fn filter_drops_stopwords_short_and_letterless() {
        let filter = KeywordFilter::with_stopword_files(&[] as &[&Path], 2).unwrap();
        assert!(filter.keeps("카카오"));
        assert!(!filter.keeps("기자"));
        assert!(!filter.keeps("이날"));
        assert!(!filter.keeps("화"));
        assert!(!filter.keeps("2022"));
    }

    fn mention(start: usize, end: usize, entity: &str, kind: EntityType) -> Mention {
        Mention {
            field: Field::Body,
            start,
            end,
            kind,
            entity: entity.into(),
        }
    }

    #[test]
    fn mentions_replace_the_nouns_they_cover() {
        let filter = KeywordFilter::new(HashSet::new(), 2);
        let at = |text: &str, start: usize, pos: &str| Noun {
            start,
            end: start + text.len(),
            ..noun(text, pos)
        };
        // "SK C&C 판교 카톡 15일": SK and C&C are one ORG; 카톡 is the TERM 카카오톡; the date is no keyword.
        let nouns = [
            at("SK", 0, "SL"),
            at("C&C", 3, "SL+SY+SL"),
            at("판교", 7, "NNG"),
            at("카톡", 14, "NNP"),
        ];
        let mentions = [
            mention(0, 6, "SK C&C", EntityType::Org),
            mention(14, 20, "카카오톡", EntityType::Term),
            mention(21, 26, "15일", EntityType::Date),
        ];
        let terms = ArticleTerms::new(nouns, &mentions, &filter);
        let mut got: Vec<(&str, u64)> = terms.counts().collect();
        got.sort();
        assert_eq!(got, [("SK C&C", 1), ("카카오톡", 1), ("판교", 1)]);
        let kinds: HashMap<&str, &[(String, u64)]> = terms.kinds().collect();
        assert_eq!(kinds["SK C&C"], [("ORG".to_string(), 1)]);
    }

    #[test]
    fn idf_is_smoothed() {
        assert_eq!(idf(9, 9), 1.0);
        assert!((idf(9, 0) - (10f64.ln() + 1.0)).abs() < 1e-12);
        assert!(idf(100, 1) > idf(100, 50));
    }

    #[test]
    fn group_tops_rank_within_each_group() {
        let mut g = GroupCounts::default();
        g.add(&[0, 1], &[(0, 3), (1, 1)]);
        g.add(&[1], &[(1, 5)]);
        let names = ["a", "b"];
        let rows = g.top(1, |_| 1.0, &name_order(2, |t| names[t as usize]));
        let got: Vec<(u32, u32, u64, u64, u32)> = rows
            .iter()
            .map(|r| (r.group, r.term, r.tf, r.df, r.rank))
            .collect();
        assert_eq!(got, [(0, 0, 3, 1, 1), (1, 1, 6, 2, 1)]);
    }

    #[test]
    fn groups_are_sorted_and_unique_per_story() {
        let g = Groups::new(
            2,
            [
                (0, "2022-10-16"),
                (0, "2022-10-15"),
                (0, "2022-10-16"),
                (1, "2022-10-15"),
            ],
        );
        assert_eq!(g.names, ["2022-10-15", "2022-10-16"]);
        assert_eq!(g.of_story, [vec![0, 1], vec![0]]);
    }
}

//! Keywords: which nouns dominated, counted over stories and over all articles.
//!
//! Takes each story representative's [`Noun`]s and how many articles its story has (itself plus
//! its copies); gives [`KeywordCounts`]: per keyword its term frequency `tf` (occurrences in
//! stories), document frequency `df` (stories containing it), `df_all` (articles containing it,
//! copies included) and its ko-dic tag sequence.
//!
//! The [`KeywordFilter`] drops stopwords (the shipped `data/stopwords-ko.txt` plus any user
//! lists), keywords shorter than `min_chars` characters, and keywords with no letter.
//!
//! Guarantees: counts are sums, so merging per-batch or per-thread counts in any order gives the
//! same result; a keyword's `pos` is its most frequent tag sequence, ties broken by the smaller
//! string, so it too is order-independent.

use std::collections::{HashMap, HashSet};
use std::path::Path;

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

/// The keyword occurrences of one article, kept by the filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleTerms {
    terms: HashMap<String, TermCount>,
}

/// Occurrences of one keyword in one article, by tag sequence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TermCount {
    n: u64,
    /// Almost always one entry, so a list beats a map.
    pos: Vec<(String, u64)>,
}

impl ArticleTerms {
    /// Applies the filter to one article's nouns, taking them.
    pub fn from_nouns(nouns: impl IntoIterator<Item = Noun>, filter: &KeywordFilter) -> Self {
        let mut terms: HashMap<String, TermCount> = HashMap::new();
        for noun in nouns.into_iter().filter(|n| filter.keeps(&n.text)) {
            let entry = terms.entry(noun.text).or_default();
            entry.n += 1;
            match entry.pos.iter_mut().find(|(p, _)| *p == noun.pos) {
                Some((_, m)) => *m += 1,
                None => entry.pos.push((noun.pos, 1)),
            }
        }
        ArticleTerms { terms }
    }

    /// Occurrences of each keyword in this article (in no particular order).
    pub fn counts(&self) -> impl Iterator<Item = (&str, u64)> {
        self.terms.iter().map(|(k, t)| (k.as_str(), t.n))
    }
}

/// Counts of one keyword over the run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeywordStats {
    pub tf: u64,
    pub df: u64,
    pub df_all: u64,
    pos: HashMap<String, u64>,
}

impl KeywordStats {
    /// The most frequent tag sequence (ties: the smaller string).
    pub fn pos(&self) -> &str {
        self.pos
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map_or("", |(p, _)| p.as_str())
    }
}

/// Keyword counts over the run.
#[derive(Debug, Clone, Default)]
pub struct KeywordCounts {
    pub stats: HashMap<String, KeywordStats>,
}

impl KeywordCounts {
    /// Adds one unique article that stands for `copies` articles (itself and its duplicates).
    pub fn add(&mut self, article: ArticleTerms, copies: u64) {
        for (keyword, term) in article.terms {
            let stats = self.stats.entry(keyword).or_default();
            stats.tf += term.n;
            stats.df += 1;
            stats.df_all += copies;
            for (tag, m) in term.pos {
                *stats.pos.entry(tag).or_default() += m;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.stats.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stats.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn counts_tf_df_and_df_all() {
        let filter = KeywordFilter::new(HashSet::new(), 2);
        let a = ArticleTerms::from_nouns(
            [
                noun("카카오", "NNP"),
                noun("카카오", "NNP"),
                noun("화재", "NNG"),
            ],
            &filter,
        );
        let b = ArticleTerms::from_nouns([noun("카카오", "NNG")], &filter);
        let mut counts = KeywordCounts::default();
        counts.add(a, 3);
        counts.add(b, 1);
        let k = &counts.stats["카카오"];
        assert_eq!((k.tf, k.df, k.df_all, k.pos()), (3, 2, 4, "NNP"));
        let f = &counts.stats["화재"];
        assert_eq!((f.tf, f.df, f.df_all), (1, 1, 3));
    }
}

//! Analyse: the morphology, entities and keywords of one story's representative.
//!
//! Takes a [`Normalised`] article, its ISO date (relative dates resolve against it), the
//! template learned for it ([`Learned`], empty when nothing was learned) and its outlet; gives
//! a [`Story`]: its keyword counts ([`ArticleTerms`]), its mentions and each mention's
//! character span.
//!
//! [`story`] is the function every driver calls for one text; [`batch`] runs it over a batch in
//! parallel, one morphology [`Worker`] per thread, results in input order — the CLI's pass 3
//! ([`crate::pipeline::analyse`]) and the Python bindings' `bodo.arrow.analyse` both call it.
//! [`Story::rows`] is what the later stages keep of a story ([`StoryRows`]: keywords by kind,
//! entity mentions), the same whether the story was analysed in this process or crossed from
//! another as `bodo.arrow.analyse`'s columns.
//!
//! Guarantees: the result depends only on the text, date, template, outlet and analysers,
//! never on the thread count or on the other texts of the batch (the morphology cache only
//! saves time); no noun or mention inside learned template is kept (an outlet's trailer names
//! the outlet, its app and its tip line: no keyword or entity of the story), and no mention of
//! the story's own outlet.

use rayon::prelude::*;

use crate::entities::{gazetteer::Gazetteer, EntityType, Mention, Recogniser};
use crate::error::Result;
use crate::keywords::{ArticleTerms, KeywordFilter};
use crate::morph::{Morphology, Worker};
use crate::record::{Field, Normalised};
use crate::template::Learned;

/// The analysers a story runs through, loaded once and shared by the threads.
#[derive(Clone, Copy)]
pub struct Analysers<'a> {
    pub morphology: &'a Morphology,
    pub recogniser: &'a Recogniser,
    pub filter: &'a KeywordFilter,
}

/// How the analysers are built: the options of `bodo run` that concern them.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisConfig {
    /// Extra stopword files on top of the shipped list.
    pub stopword_files: Vec<std::path::PathBuf>,
    /// Keywords shorter than this many characters are dropped.
    pub min_keyword_chars: usize,
    /// Gazetteer files on top of the shipped one.
    pub user_dicts: Vec<std::path::PathBuf>,
    /// The trained tagger places entity spans (the default); `false`: the rules alone.
    pub entity_tagger: bool,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            stopword_files: Vec::new(),
            min_keyword_chars: 2,
            user_dicts: Vec::new(),
            entity_tagger: true,
        }
    }
}

/// The analysers of an [`AnalysisConfig`], owned (borrow them with [`Loaded::analysers`]).
pub struct Loaded {
    pub morphology: Morphology,
    pub recogniser: Recogniser,
    pub filter: KeywordFilter,
}

impl Loaded {
    /// Loads the dictionary, the gazetteer (and tagger) and the stopwords.
    pub fn load(cfg: &AnalysisConfig) -> Result<Self> {
        Ok(Loaded {
            filter: KeywordFilter::with_stopword_files(&cfg.stopword_files, cfg.min_keyword_chars)?,
            morphology: Morphology::load()?,
            recogniser: recogniser(Gazetteer::load(&cfg.user_dicts)?, cfg.entity_tagger),
        })
    }

    pub fn analysers(&self) -> Analysers<'_> {
        Analysers {
            morphology: &self.morphology,
            recogniser: &self.recogniser,
            filter: &self.filter,
        }
    }
}

/// The recogniser: spans by the trained tagger, or by the rules alone.
pub fn recogniser(gazetteer: Gazetteer, tagger: bool) -> Recogniser {
    if tagger {
        Recogniser::with_tagger(gazetteer)
    } else {
        Recogniser::new(gazetteer)
    }
}

/// One analysed story.
#[derive(Debug, Clone)]
pub struct Story {
    pub terms: ArticleTerms,
    pub mentions: Vec<Mention>,
    /// Per mention: start and end in characters of its field, and its surface.
    pub spans: Vec<(usize, usize, String)>,
}

impl Story {
    /// What the later stages keep of the story: its keywords by kind (sorted) and its entity
    /// mentions (in text order; TERM mentions are keywords only).
    pub fn rows(&self) -> StoryRows<'_> {
        let mut keywords: Vec<(&str, &str, u64)> = self
            .terms
            .kinds()
            .flat_map(|(word, kinds)| kinds.iter().map(move |(kind, n)| (word, kind.as_str(), *n)))
            .collect();
        keywords.sort_unstable();
        let mentions = self
            .mentions
            .iter()
            .zip(&self.spans)
            .filter(|(m, _)| m.kind.is_entity())
            .map(|(m, (start, end, surface))| MentionRow {
                field: m.field.as_str(),
                start: *start,
                end: *end,
                surface,
                entity: &m.entity,
                kind: m.kind,
            })
            .collect();
        StoryRows { keywords, mentions }
    }
}

/// An analysed story as the story store, `mentions.csv` and the BIGKinds comparison take it,
/// whoever analysed it: [`Story::rows`] in the CLI's pass 3, `bodo.arrow.analyse`'s columns in
/// the Python bindings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryRows<'a> {
    /// (keyword, kind, occurrences), sorted by keyword then kind: a keyword tagged two ways
    /// (`NNP` and `ORG`) has two rows. Sorted so that every driver interns a story's keywords
    /// in the same order (the store's ids, and so the order of relevance's sums, follow it).
    pub keywords: Vec<(&'a str, &'a str, u64)>,
    /// Entity mentions, in text order.
    pub mentions: Vec<MentionRow<'a>>,
}

/// One entity mention: a row of `mentions.csv` without its article id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentionRow<'a> {
    /// `title` or `body`.
    pub field: &'a str,
    /// Characters into the normalised field, end exclusive.
    pub start: usize,
    pub end: usize,
    pub surface: &'a str,
    /// The canonical name.
    pub entity: &'a str,
    pub kind: EntityType,
}

/// One text of a [`batch`].
#[derive(Debug, Clone, Copy)]
pub struct Item<'t> {
    pub text: &'t Normalised,
    /// ISO date, or `None`.
    pub date: Option<&'t str>,
    pub learned: &'t Learned,
    /// The outlet that published it, when known: its own name is no mention in it.
    pub outlet: Option<&'t str>,
}

/// Tokens, nouns, entities and keywords of one normalised text (nothing learned left out).
pub fn text(
    worker: &mut Worker,
    analysers: &Analysers,
    text: &Normalised,
    date: Option<&str>,
) -> Result<(ArticleTerms, Vec<Mention>)> {
    terms(worker, analysers, text, date, &Learned::default(), None)
}

/// [`text`] of a story, leaving out the nouns and mentions inside its learned template, and
/// the mentions of its own outlet ([`own_outlet`]).
pub fn terms(
    worker: &mut Worker,
    analysers: &Analysers,
    text: &Normalised,
    date: Option<&str>,
    learned: &Learned,
    outlet: Option<&str>,
) -> Result<(ArticleTerms, Vec<Mention>)> {
    let mut tokens = Vec::new();
    let mut nouns = Vec::new();
    let mut mentions = Vec::new();
    for (field, t) in [(Field::Title, &text.title), (Field::Body, &text.body)] {
        worker.tokens(t, &mut tokens)?;
        crate::morph::nouns(t, &tokens, field, &mut nouns);
        analysers
            .recogniser
            .recognise(t, &tokens, field, date, &mut mentions);
    }
    if !learned.is_empty() {
        nouns.retain(|n| !learned.covers(n.field, n.start, n.end));
        mentions.retain(|m| !learned.covers(m.field, m.start, m.end));
    }
    if let Some(outlet) = outlet.filter(|o| !o.trim().is_empty()) {
        mentions.retain(|m| !own_outlet(&text.field(m.field)[m.start..m.end], outlet));
    }
    let terms = ArticleTerms::new(nouns, &mentions, analysers.filter);
    Ok((terms, mentions))
}

/// Whether a mention's `surface` is the article's own `outlet` (`새벽타임스`), or one of its
/// desks (`새벽타임스 그래픽팀`): an outlet names itself in its bylines, photo credits
/// and trailers, which template learning misses where an outlet has few articles, and an
/// outlet signing its own story is not who the story names.
fn own_outlet(surface: &str, outlet: &str) -> bool {
    let outlet = outlet.trim();
    surface == outlet
        || surface
            .strip_prefix(outlet)
            .is_some_and(|rest| rest.starts_with(' '))
}

/// One story: [`terms`] and the character spans of its mentions.
pub fn story(worker: &mut Worker, analysers: &Analysers, item: &Item) -> Result<Story> {
    let (terms, mentions) = terms(
        worker,
        analysers,
        item.text,
        item.date,
        item.learned,
        item.outlet,
    )?;
    let spans = crate::entities::char_spans(item.text, &mentions);
    Ok(Story {
        terms,
        mentions,
        spans,
    })
}

/// [`story`] of every item, in parallel on the current rayon pool, in input order.
pub fn batch(analysers: &Analysers, items: &[Item]) -> Result<Vec<Story>> {
    items
        .par_iter()
        .map_init(
            || analysers.morphology.worker(),
            |worker, item| story(worker, analysers, item),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::own_outlet;

    #[test]
    fn an_outlet_and_its_desks_are_its_own_not_other_names_that_begin_alike() {
        assert!(own_outlet("새벽타임스", "새벽타임스"));
        assert!(own_outlet("새벽타임스", " 새벽타임스 "));
        assert!(own_outlet("새벽타임스 그래픽팀", "새벽타임스"));
        assert!(!own_outlet("연합뉴스", "새벽타임스"));
        // Another name that merely begins with the outlet's stays a mention.
        assert!(!own_outlet("한국경제신문사", "한국경제"));
        assert!(!own_outlet("서울", "서울신문"));
    }
}

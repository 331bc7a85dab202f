//! Typed records that flow between stages.
//!
//! Takes nothing; gives the types every stage speaks: [`Record`] (what ingest yields for each
//! input record, an [`Article`] or a [`Rejection`]), [`Normalised`] (an article after
//! normalisation), [`Noun`] (a keyword candidate with offsets into the normalised text) and
//! [`Status`]. Guarantees: `index` is the record's position in the whole run (0-based, over all
//! inputs in sorted order, rejected records included), so every pass over the same inputs gives
//! the same indices.

use serde::Serialize;

/// One article as read from an input, before normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Position of the record in the run (0-based, over all inputs).
    pub index: usize,
    /// The input's own id (`id`, `뉴스 식별자`, …) or a stable id derived from file and record.
    pub article_id: String,
    /// Where it came from: `path:line` for text formats, `path:record N` where lines do not apply.
    pub source: String,
    pub outlet: Option<String>,
    pub date: ArticleDate,
    pub title: String,
    pub body: String,
    pub url: Option<String>,
    /// BIGKinds' own entity and keyword columns, when the input has any of them.
    pub bigkinds: Option<Box<BigKinds>>,
}

/// What a BIGKinds export says about an article: its `인물`, `위치`, `기관` and `키워드` columns,
/// verbatim (comma-separated names), so that analysts can compare them with bodo's entities.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BigKinds {
    pub people: String,
    pub places: String,
    pub organisations: String,
    pub keywords: String,
}

impl BigKinds {
    /// The columns of one record; `None` when the input has none of them (not a BIGKinds export).
    pub fn from_columns(
        people: Option<String>,
        places: Option<String>,
        organisations: Option<String>,
        keywords: Option<String>,
    ) -> Option<Box<BigKinds>> {
        if people.is_none() && places.is_none() && organisations.is_none() && keywords.is_none() {
            return None;
        }
        let text = |v: Option<String>| v.map(|s| s.trim().to_string()).unwrap_or_default();
        Some(Box::new(BigKinds {
            people: text(people),
            places: text(places),
            organisations: text(organisations),
            keywords: text(keywords),
        }))
    }
}

/// A publication date as parsed from the input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ArticleDate {
    /// No date field, or an empty one.
    #[default]
    Missing,
    /// Parsed to an ISO date, `YYYY-MM-DD`.
    Iso(String),
    /// Present but not in a form bodo understands; kept verbatim and counted.
    Unparsed(String),
}

impl ArticleDate {
    /// The ISO date, or `""`.
    pub fn iso(&self) -> &str {
        match self {
            ArticleDate::Iso(d) => d,
            _ => "",
        }
    }

    /// The ISO date, or `None` when there is none.
    pub fn known(&self) -> Option<&str> {
        Some(self.iso()).filter(|d| !d.is_empty())
    }

    /// The raw text of a date bodo could not parse, or `""`.
    pub fn unparsed(&self) -> &str {
        match self {
            ArticleDate::Unparsed(d) => d,
            _ => "",
        }
    }
}

/// A record that could not become an article, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub index: usize,
    /// `path:line` or `path:record N`, as for [`Article::source`].
    pub source: String,
    /// The article id when the record got far enough to have one.
    pub article_id: Option<String>,
    pub reason: String,
}

/// What ingest yields for each input record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Article(Article),
    Rejected(Rejection),
}

impl Record {
    pub fn index(&self) -> usize {
        match self {
            Record::Article(a) => a.index,
            Record::Rejected(r) => r.index,
        }
    }
}

/// An article after normalisation: the text every later stage reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    pub title: String,
    pub body: String,
    /// Characters of boilerplate (bylines, wire prefixes, copyright lines …) removed.
    pub boilerplate_chars: usize,
}

impl Normalised {
    /// The text of one field.
    pub fn field(&self, field: Field) -> &str {
        match field {
            Field::Title => &self.title,
            Field::Body => &self.body,
        }
    }
}

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Unique text, analysed.
    Analysed,
    /// Same text as an earlier article (see `duplicate_of`); counted, not analysed again.
    Duplicate,
    /// Could not be read as an article (see `rejected.csv`).
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Analysed => "analysed",
            Status::Duplicate => "duplicate",
            Status::Rejected => "rejected",
        }
    }
}

/// Which field of an article a span points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Title,
    Body,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Body => "body",
        }
    }
}

/// A keyword candidate: one noun or joined compound noun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Noun {
    /// The keyword as counted (for compounds, the parts joined without spaces).
    pub text: String,
    /// ko-dic tags of the parts joined by `+` (`NNP+NNG` for 판교데이터센터).
    pub pos: String,
    pub field: Field,
    /// Byte offsets into the normalised field, end exclusive.
    pub start: usize,
    pub end: usize,
}

/// One row of `articles.csv`: what happened to one input record.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    pub article_id: String,
    pub source: String,
    pub outlet: Option<String>,
    pub date: ArticleDate,
    pub url: Option<String>,
    /// The normalised title.
    pub title: String,
    /// Characters of the normalised body (after boilerplate removal).
    pub chars: usize,
    pub boilerplate_chars: usize,
    /// Characters of template learned from the dump ([`crate::template`]) in the normalised
    /// title and body: left out of dedup's comparison and of the analysis.
    pub learned_boilerplate_chars: usize,
    pub status: Status,
    /// For duplicates, the article id of their story's representative.
    pub duplicate_of: Option<String>,
    /// The story (dedup cluster) the article belongs to; `None` for rejected records.
    pub cluster_id: Option<u32>,
    /// Similarity of the article's text to its representative's (1 for the representative and
    /// exact copies); `None` for rejected records.
    pub similarity: Option<f64>,
    /// Relevance of the article's story to the dump's topic (see [`crate::relevance`]);
    /// `None` for rejected records.
    pub relevance: Option<f64>,
    pub off_topic: Option<bool>,
    /// BIGKinds' own columns, for articles read from a BIGKinds export.
    pub bigkinds: Option<Box<BigKinds>>,
}

impl ArticleRow {
    /// The row of an article that is, until dedup says otherwise, its own story.
    pub fn new(a: Article) -> Self {
        ArticleRow {
            article_id: a.article_id,
            source: a.source,
            outlet: a.outlet,
            date: a.date,
            url: a.url,
            bigkinds: a.bigkinds,
            title: a.title,
            chars: 0,
            boilerplate_chars: 0,
            learned_boilerplate_chars: 0,
            status: Status::Analysed,
            duplicate_of: None,
            cluster_id: None,
            similarity: None,
            relevance: None,
            off_topic: None,
        }
    }

    /// The row of a rejected record.
    pub fn rejected(r: &Rejection) -> Self {
        ArticleRow {
            article_id: r.article_id.clone().unwrap_or_default(),
            source: r.source.clone(),
            outlet: None,
            date: ArticleDate::Missing,
            url: None,
            title: String::new(),
            chars: 0,
            boilerplate_chars: 0,
            learned_boilerplate_chars: 0,
            status: Status::Rejected,
            duplicate_of: None,
            cluster_id: None,
            similarity: None,
            relevance: None,
            off_topic: None,
            bigkinds: None,
        }
    }

    pub fn is_representative(&self) -> bool {
        self.status == Status::Analysed
    }
}

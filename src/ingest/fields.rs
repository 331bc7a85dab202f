//! Field names and the one place where a record's fields become an [`Article`] or a
//! [`Rejection`].
//!
//! Takes: column names (CSV headers, JSON keys) and the text values of one record.
//! Gives: [`field_for`], which maps an English or Korean name to a [`Field`], and
//! [`Fields::into_record`], which applies the rules every structured format shares.
//! Guarantees: JSONL, CSV and BIGKinds Excel exports read the same aliases and build articles
//! identically — title and body trimmed of surrounding whitespace only, an empty or missing body
//! rejected with a reason, ids taken from the input when non-empty and derived otherwise, dates
//! parsed by [`super::date::parse_date`], BIGKinds' own entity and keyword columns carried
//! verbatim, and a record BIGKinds marks `분석제외 여부` rejected with its value unless kept.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::record::{Article, BigKinds, Record, Rejection};

use super::date::parse_date;

/// The article fields an input column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Title,
    Body,
    Date,
    Outlet,
    Url,
    /// BIGKinds' `인물` (people it recognised), `위치`, `기관`, `키워드` columns.
    People,
    Places,
    Organisations,
    Keywords,
    /// BIGKinds' `분석제외 여부`: why BIGKinds itself leaves the article out of analyses.
    Excluded,
}

/// The alias table, in the form names are written in the brief and shown in error messages.
/// Matching ignores case, spaces and underscores (see [`match_key`]), so `뉴스 식별자`,
/// `뉴스식별자`, `Article_ID` and `articleid` are all spelled once here.
const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Id,
        &[
            "id",
            "article_id",
            "news_id",
            "doc_id",
            "뉴스 식별자",
            "식별자",
        ],
    ),
    (Field::Title, &["title", "headline", "제목"]),
    (
        Field::Body,
        &["body", "content", "text", "article", "본문", "내용", "기사"],
    ),
    (
        Field::Date,
        &[
            "date",
            "published",
            "published_at",
            "pub_date",
            "datetime",
            "time",
            "일자",
            "작성일",
            "날짜",
            "발행일",
            "등록일",
        ],
    ),
    (
        Field::Outlet,
        &[
            "outlet",
            "press",
            "media",
            "source",
            "publisher",
            "언론사",
            "매체",
            "신문사",
        ],
    ),
    (Field::Url, &["url", "link", "href", "출처", "원문"]),
    (Field::People, &["인물"]),
    (Field::Places, &["위치"]),
    (Field::Organisations, &["기관"]),
    (Field::Keywords, &["키워드"]),
    (Field::Excluded, &["분석제외 여부", "분석 제외"]),
];

/// The key a column name is matched by: lower-cased, without whitespace or underscores.
fn match_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// [`ALIASES`] by match key; built once because JSONL looks up every key of every line.
static BY_KEY: LazyLock<HashMap<String, Field>> = LazyLock::new(|| {
    ALIASES
        .iter()
        .flat_map(|(field, names)| names.iter().map(|n| (match_key(n), *field)))
        .collect()
});

/// The field a column or key name feeds, if any.
pub fn field_for(name: &str) -> Option<Field> {
    BY_KEY.get(&match_key(name)).copied()
}

/// The names looked for a field, for error messages: `body, content, text, …`.
pub fn aliases(field: Field) -> String {
    ALIASES
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, names)| names.join(", "))
        .unwrap_or_default()
}

/// Maps the columns of a header to fields; when two columns match the same field the first
/// wins and the later one is ignored (`None`), so a record never has to choose.
pub fn map_columns<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Option<Field>> {
    let mut seen: Vec<Field> = Vec::new();
    names
        .into_iter()
        .map(|name| {
            let field = field_for(name).filter(|f| !seen.contains(f))?;
            seen.push(field);
            Some(field)
        })
        .collect()
}

/// Where a record sits and what to call it when the input gives no id.
#[derive(Debug, Clone, Copy)]
pub struct RecordPlace<'a> {
    /// Position in the run (`Article::index`).
    pub index: usize,
    /// `path:line`.
    pub source: &'a str,
    /// `{stem}-{record number:06}`, used when the record has no non-empty id of its own.
    pub derived_id: &'a str,
}

/// The raw text values of one record, before the shared rules are applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub id: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub people: Option<String>,
    pub places: Option<String>,
    pub organisations: Option<String>,
    pub keywords: Option<String>,
    pub excluded: Option<String>,
}

impl Fields {
    fn slot(&mut self, field: Field) -> &mut Option<String> {
        match field {
            Field::Id => &mut self.id,
            Field::Title => &mut self.title,
            Field::Body => &mut self.body,
            Field::Date => &mut self.date,
            Field::Outlet => &mut self.outlet,
            Field::Url => &mut self.url,
            Field::People => &mut self.people,
            Field::Places => &mut self.places,
            Field::Organisations => &mut self.organisations,
            Field::Keywords => &mut self.keywords,
            Field::Excluded => &mut self.excluded,
        }
    }

    /// Whether `field` already has a value (first occurrence wins).
    pub fn has(&self, field: Field) -> bool {
        match field {
            Field::Id => self.id.is_some(),
            Field::Title => self.title.is_some(),
            Field::Body => self.body.is_some(),
            Field::Date => self.date.is_some(),
            Field::Outlet => self.outlet.is_some(),
            Field::Url => self.url.is_some(),
            Field::People => self.people.is_some(),
            Field::Places => self.places.is_some(),
            Field::Organisations => self.organisations.is_some(),
            Field::Keywords => self.keywords.is_some(),
            Field::Excluded => self.excluded.is_some(),
        }
    }

    /// Sets `field` unless an earlier column or key already set it: the first one wins.
    pub fn set_first(&mut self, field: Field, value: String) {
        let slot = self.slot(field);
        if slot.is_none() {
            *slot = Some(value);
        }
    }

    /// Applies the rules shared by every format. `missing_body` is the reason given when no
    /// body field was present at all (formats name it differently: a JSON key, a CSV column);
    /// `keep_excluded` reads records BIGKinds marks `분석제외 여부` as articles.
    pub fn into_record(
        self,
        place: RecordPlace<'_>,
        missing_body: &str,
        keep_excluded: bool,
    ) -> Record {
        let article_id = non_empty(self.id).unwrap_or_else(|| place.derived_id.to_string());
        let reject = |reason: &str| {
            Record::Rejected(Rejection {
                index: place.index,
                source: place.source.to_string(),
                article_id: Some(article_id.clone()),
                reason: reason.to_string(),
            })
        };
        if let Some(excluded) = non_empty(self.excluded).filter(|_| !keep_excluded) {
            return reject(&format!("{EXCLUDED_REASON}{excluded}"));
        }
        let Some(body) = self.body else {
            return reject(missing_body);
        };
        let body = body.trim();
        if body.is_empty() {
            return reject("empty body");
        }
        Record::Article(Article {
            index: place.index,
            source: place.source.to_string(),
            outlet: non_empty(self.outlet),
            date: parse_date(self.date.as_deref().unwrap_or("")),
            title: self.title.as_deref().unwrap_or("").trim().to_string(),
            body: body.to_string(),
            url: non_empty(self.url),
            bigkinds: BigKinds::from_columns(
                self.people,
                self.places,
                self.organisations,
                self.keywords,
            ),
            article_id,
        })
    }
}

/// The start of the rejection reason of a record BIGKinds excludes; its value follows.
pub const EXCLUDED_REASON: &str = "BIGKinds 분석제외 여부: ";

/// The value trimmed, or `None` when it is missing or blank.
fn non_empty(value: Option<String>) -> Option<String> {
    let value = value?;
    let trimmed = value.trim();
    match trimmed.len() {
        0 => None,
        n if n == value.len() => Some(value),
        _ => Some(trimmed.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::ArticleDate;

    #[test]
    fn english_and_korean_aliases() {
        assert_eq!(field_for("id"), Some(Field::Id));
        assert_eq!(field_for("News_ID"), Some(Field::Id));
        assert_eq!(field_for("뉴스 식별자"), Some(Field::Id));
        assert_eq!(field_for("뉴스식별자"), Some(Field::Id));
        assert_eq!(field_for(" 식별자 "), Some(Field::Id));
        assert_eq!(field_for("Headline"), Some(Field::Title));
        assert_eq!(field_for("제목"), Some(Field::Title));
        assert_eq!(field_for("CONTENT"), Some(Field::Body));
        assert_eq!(field_for("본문"), Some(Field::Body));
        assert_eq!(field_for("기사"), Some(Field::Body));
        assert_eq!(field_for("published at"), Some(Field::Date));
        assert_eq!(field_for("pubdate"), Some(Field::Date));
        assert_eq!(field_for("일자"), Some(Field::Date));
        assert_eq!(field_for("등록일"), Some(Field::Date));
        assert_eq!(field_for("언론사"), Some(Field::Outlet));
        assert_eq!(field_for("Press"), Some(Field::Outlet));
        assert_eq!(field_for("URL"), Some(Field::Url));
        assert_eq!(field_for("원문"), Some(Field::Url));
    }

    #[test]
    fn unknown_and_empty_names_feed_nothing() {
        assert_eq!(field_for("통합 분류1"), None);
        assert_eq!(field_for("keywords"), None);
        assert_eq!(field_for(""), None);
        assert_eq!(field_for(" _ "), None);
    }

    #[test]
    fn first_matching_column_wins() {
        let cols = map_columns(["본문", "title", "content", "제목", "x"]);
        assert_eq!(
            cols,
            vec![Some(Field::Body), Some(Field::Title), None, None, None]
        );
        let mut f = Fields::default();
        f.set_first(Field::Id, "a".into());
        f.set_first(Field::Id, "b".into());
        assert_eq!(f.id.as_deref(), Some("a"));
    }

    fn place() -> RecordPlace<'static> {
        RecordPlace {
            index: 7,
            source: "x.jsonl:3",
            derived_id: "x-000003",
        }
    }

    #[test]
    fn builds_article_with_trimmed_fields_and_derived_id() {
        let f = Fields {
            id: Some("  ".into()),
            title: Some("  제목  ".into()),
            body: Some("\n 본문 첫 줄\n 둘째 줄 \n".into()),
            date: Some("2022년 10월 17일".into()),
            outlet: Some(" 서울신문 ".into()),
            url: Some(String::new()),
            ..Fields::default()
        };
        let Record::Article(a) = f.into_record(place(), "no body", false) else {
            panic!("expected an article");
        };
        assert_eq!(a.index, 7);
        assert_eq!(a.article_id, "x-000003");
        assert_eq!(a.source, "x.jsonl:3");
        assert_eq!(a.title, "제목");
        assert_eq!(a.body, "본문 첫 줄\n 둘째 줄");
        assert_eq!(a.date, ArticleDate::Iso("2022-10-17".into()));
        assert_eq!(a.outlet.as_deref(), Some("서울신문"));
        assert_eq!(a.url, None);
        assert_eq!(a.bigkinds, None);
    }

    #[test]
    fn bigkinds_columns_are_carried_and_exclusions_rejected() {
        let cols = map_columns([
            "뉴스식별자",
            "인물",
            "위치",
            "기관",
            "키워드",
            "분석제외 여부",
        ]);
        assert_eq!(
            cols,
            vec![
                Some(Field::Id),
                Some(Field::People),
                Some(Field::Places),
                Some(Field::Organisations),
                Some(Field::Keywords),
                Some(Field::Excluded),
            ]
        );
        let f = Fields {
            body: Some("본문".into()),
            people: Some("김범수,홍은택".into()),
            organisations: Some("카카오".into()),
            excluded: Some(" 예외:중복 ".into()),
            ..Fields::default()
        };
        let Record::Rejected(r) = f.clone().into_record(place(), "no body", false) else {
            panic!("an excluded record is rejected");
        };
        assert_eq!(r.reason, "BIGKinds 분석제외 여부: 예외:중복");
        let Record::Article(a) = f.into_record(place(), "no body", true) else {
            panic!("kept when asked");
        };
        let bk = a.bigkinds.expect("BIGKinds columns");
        assert_eq!(bk.people, "김범수,홍은택");
        assert_eq!(bk.places, "");
        assert_eq!(bk.organisations, "카카오");
    }

    #[test]
    fn empty_and_missing_bodies_are_rejected_with_the_id() {
        let f = Fields {
            id: Some("42".into()),
            body: Some(" \t\n".into()),
            ..Fields::default()
        };
        let Record::Rejected(r) = f.into_record(place(), "no body", false) else {
            panic!("expected a rejection");
        };
        assert_eq!(r.reason, "empty body");
        assert_eq!(r.article_id.as_deref(), Some("42"));
        assert_eq!(r.source, "x.jsonl:3");

        let Record::Rejected(r) = Fields::default().into_record(place(), "no body key", false)
        else {
            panic!("expected a rejection");
        };
        assert_eq!(r.reason, "no body key");
        assert_eq!(r.article_id.as_deref(), Some("x-000003"));
    }

    #[test]
    fn alias_list_for_messages() {
        assert_eq!(
            aliases(Field::Body),
            "body, content, text, article, 본문, 내용, 기사"
        );
    }
}

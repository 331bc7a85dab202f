//! Entities: the people, organisations, places and dates an article names.
//!
//! Takes one field of a normalised article, its morphemes ([`crate::morph::Token`]) and the
//! article's date; gives [`Mention`]s: byte spans of that field with a type and a canonical name.
//!
//! By default ([`Recogniser::new`]) the recogniser combines evidence, each source proposing
//! candidate spans (with [`Recogniser::with_tagger`] the trained [`tagger`] places the spans
//! instead, as KLUE-NER marks them, with this evidence among its features and for canonical
//! names):
//! 1. the [`gazetteer`] (shipped list plus `--user-dict`): known names and aliases, matched on the
//!    text where they start and end on morpheme boundaries (`카카오` in `카카오가`, not in
//!    `카카오톡`), mapped to their canonical name (`과기정통부` → `과학기술정보통신부`);
//! 2. [`dates`]: absolute and relative dates and times, resolved against the article's date;
//! 3. ko-dic's semantic classes: a proper noun of class 인명 (two syllables or more) is a person,
//!    of class 지명 a place; a surname + `모` (`최모(28)씨`) is an anonymised person;
//! 4. context: a word of three or four syllables starting with a surname and followed by a title
//!    within three words (`박성하 SK C&C 대표`), or any such word followed by an age
//!    (`이성아(30)씨`), is a person;
//! 5. suffixes: a compound noun of two parts or more ending in an organisation head (`부`, `청`,
//!    `처`, `위원회`, `공사`, `그룹`, `은행`, `전자`, `증권`, `대학교`, `재단`, `협회` …) is an
//!    organisation (`과학기술정보통신부`); a place followed, without a space, by an
//!    administrative suffix (`시`, `군`, `구`, `동`, `읍`, `면`, `리`) is one place (`분당구`).
//!
//! A gazetteer name may end inside one of ko-dic's tokens when the rest of the token is a fused
//! title or a particle (`서울시장` → `서울시`, `분당구의` read as 분당 + 구의).
//!
//! Overlapping candidates are settled left to right, longest first (a gazetteer name beats a rule
//! of the same length). Then spans join: places written in a row are one address (`서울 종로구`,
//! `경기 성남시 분당구`, with a province's short name in front and a neighbourhood ending in
//! 동/읍/면/리 behind), and a single place followed by a facility noun is one place (`판교
//! 데이터센터`). Exceptions, on purpose: surname-only references (`최씨`, `김 의장`) are not
//! people; titles are never part of a person's span (`윤석열 대통령` → `윤석열`); an organisation
//! head that is a whole common word (`일부`, `정부`, `내부`) makes no organisation;
//! products and services (`카카오톡`) are [`EntityType::Term`]: one keyword, not an entity.
//!
//! Guarantees: mentions are sorted, never overlap, lie on char boundaries, and depend only on
//! the text, its tokens and the date.

pub mod dates;
pub mod gazetteer;
pub mod tagger;

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::morph::{Class, Tag, Token};
use crate::record::{Field, Normalised};
use crate::template::is_letter;
use dates::DateFinder;
use dates::DateMention;
use gazetteer::{Gazetteer, Hit};

/// What kind of thing a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum EntityType {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
    #[serde(rename = "DATE")]
    Date,
    /// A time of day (`오후 3시`), after the date it belongs to, as KLUE marks it.
    #[serde(rename = "TIME")]
    Time,
    /// A product, service or other multi-word term: counted as one keyword, not an entity.
    #[serde(rename = "TERM")]
    Term,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Date => "DATE",
            EntityType::Time => "TIME",
            EntityType::Term => "TERM",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            EntityType::Per,
            EntityType::Org,
            EntityType::Loc,
            EntityType::Date,
            EntityType::Time,
            EntityType::Term,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    /// Whether mentions of this type are reported as entities (TERM is a keyword only).
    pub fn is_entity(self) -> bool {
        self != EntityType::Term
    }

    /// Whether a mention of this type names something an article is about, and so counts as a
    /// keyword (dates and times do not).
    pub fn is_named(self) -> bool {
        !matches!(self, EntityType::Date | EntityType::Time)
    }
}

/// The canonical name of a person a text does not name: a bare surname (`박씨` → `박`), an
/// anonymised letter (`A씨`). Such mentions are counted together, as unnamed people, not as a
/// person called 박.
pub const UNNAMED: &str = "(이름 없음)";

/// One mention of an entity in one field of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub field: Field,
    /// Byte offsets into the normalised field, end exclusive.
    pub start: usize,
    pub end: usize,
    pub kind: EntityType,
    /// The canonical name (for DATE: the ISO resolution, or the surface when unresolved).
    pub entity: String,
}

/// Where a candidate came from; the lower wins a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    Gazetteer,
    Date,
    Rule,
}

#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    kind: EntityType,
    /// `None`: the surface is the canonical name.
    canonical: Option<String>,
    evidence: Evidence,
}

/// Last parts that make a compound noun an organisation.
const ORG_HEADS: &[&str] = &[
    "부",
    "청",
    "처",
    "관리원",
    "개발원",
    "평가원",
    "조정원",
    "경찰서",
    "소방서",
    "병원",
    "협의회",
    "기구",
    "본부",
    "당",
    "기술원",
    "정보원",
    "감독원",
    "교육원",
    "위원회",
    "공사",
    "공단",
    "그룹",
    "은행",
    "전자",
    "증권",
    "대학교",
    "대학",
    "재단",
    "협회",
    "연합회",
    "노조",
    "노동조합",
    "연구원",
    "진흥원",
    "통신부",
    "정통부",
    "경찰청",
    "검찰청",
    "법원",
];

/// Common words that end like an organisation but name none, even at the end of a compound
/// (`피해지원`, `디지털정부`, `회사직원`).
const NOT_ORG: &[&str] = &[
    "일부",
    "내부",
    "외부",
    "전부",
    "세부",
    "간부",
    "정부",
    "여부",
    "학부",
    "주부",
    "부부",
    "직원",
    "회원",
    "인원",
    "요원",
    "지원",
    "사원",
    "의원",
    "공원",
    "자원",
    "재원",
    "전원",
    "차원",
    "민원",
    "동원",
    "복원",
    "요청",
    "신청",
    "시청",
    "구청",
    "도청",
    "시중은행",
    "정당",
    "해당",
    "식당",
    "강당",
    "성당",
    "전당",
    "사당",
    "여당",
    "야당",
    "본당",
];

/// Administrative suffixes that extend a place (`분당` + `구`).
pub(crate) const LOC_SUFFIXES: &[&str] = &["시", "군", "구", "동", "읍", "면", "리", "도"];

/// Nouns that, after a place and a space, name a facility at that place.
const FACILITIES: &[&str] = &[
    "데이터센터",
    "센터",
    "공항",
    "국제공항",
    "항",
    "역",
    "공장",
    "캠퍼스",
    "발전소",
    "터미널",
    "경기장",
    "산업단지",
    "테크노밸리",
];

/// The entity recogniser: the gazetteer and the date patterns, built once and shared by threads.
pub struct Recogniser {
    gazetteer: Gazetteer,
    dates: DateFinder,
    /// The trained tagger that places spans as KLUE marks them; `None`: the rules alone.
    model: Option<&'static tagger::Model>,
}

/// What the rules found in one field: their chosen mentions, every gazetteer hit and every date
/// expression ([`Recogniser::evidence`]).
pub struct Found<'g> {
    pub rules: Vec<Mention>,
    pub hits: Vec<Hit<'g>>,
    pub dates: Vec<DateMention>,
}

impl<'g> Found<'g> {
    /// The tagger's evidence for the field analysed into `tokens`.
    pub fn for_tagger<'a>(&'a self, tokens: &'a [Token]) -> tagger::Evidence<'a>
    where
        'g: 'a,
    {
        tagger::Evidence {
            tokens,
            mentions: &self.rules,
            hits: &self.hits,
            dates: &self.dates,
        }
    }
}

/// The shipped tagger model, trained by `bodo-train-ner` on KLUE-NER (see `data/README.md`).
const SHIPPED_MODEL: &[u8] = include_bytes!("../../data/ner-klue.bin");

/// The shipped model, read once per process.
pub fn shipped_model() -> &'static tagger::Model {
    static MODEL: std::sync::OnceLock<tagger::Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        tagger::Model::from_bytes(SHIPPED_MODEL).expect("data/ner-klue.bin is a valid model")
    })
}

impl Recogniser {
    /// The rules and gazetteer alone (also the tagger's evidence).
    pub fn new(gazetteer: Gazetteer) -> Self {
        Recogniser {
            gazetteer,
            dates: DateFinder::new(),
            model: None,
        }
    }

    /// Spans placed by the shipped tagger as KLUE-NER marks them, with the rules, gazetteer and
    /// date grammar as its evidence and for canonical names.
    pub fn with_tagger(gazetteer: Gazetteer) -> Self {
        Self::with_model(gazetteer, shipped_model())
    }

    /// As [`Recogniser::with_tagger`], with another model (one `bodo-train-ner` wrote).
    pub fn with_model(gazetteer: Gazetteer, model: &'static tagger::Model) -> Self {
        Recogniser {
            model: Some(model),
            ..Recogniser::new(gazetteer)
        }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Appends the mentions of `text` (one field, analysed into `tokens`) to `out`, in order.
    pub fn recognise(
        &self,
        text: &str,
        tokens: &[Token],
        field: Field,
        article_date: Option<&str>,
        out: &mut Vec<Mention>,
    ) {
        let from = out.len();
        match self.model {
            None => out.extend(self.evidence(text, tokens, field, article_date).rules),
            Some(_) if text.len() > TAGGER_CHUNK => {
                self.recognise_in_chunks(text, tokens, field, article_date, out)
            }
            Some(model) => self.tag(model, text, tokens, field, article_date, out),
        }
        for m in &mut out[from..] {
            if m.kind == EntityType::Loc {
                if let Some(site) = self.site_of_address(&m.entity) {
                    m.entity = site;
                }
            }
        }
    }

    /// The site a place named with its address is counted as (`경기 성남시 판교 데이터센터` →
    /// `판교 데이터센터`, as the site is named alone elsewhere): the leading administrative
    /// divisions dropped while a name that is not one remains. `None`: not an address, or an
    /// address alone (`서울 상암동`, `경기 성남시`), which stays whole.
    fn site_of_address(&self, name: &str) -> Option<String> {
        let is_division = |word: &str| {
            PROVINCES.contains(&word)
                || (word.chars().count() >= 2
                    && LOC_SUFFIXES.iter().any(|s| word.ends_with(s))
                    && self
                        .gazetteer
                        .entry(word)
                        .is_some_and(|e| e.kind == EntityType::Loc))
        };
        let mut site = name;
        while let Some((first, rest)) = site.split_once(' ') {
            if !is_division(first) {
                break;
            }
            site = rest;
        }
        if site.len() == name.len() || site.split(' ').all(is_division) {
            return None;
        }
        Some(self.gazetteer.canonical(site, EntityType::Loc))
    }

    /// [`Recogniser::recognise`] with the tagger placing the spans, on a field of at most
    /// [`TAGGER_CHUNK`] bytes.
    fn tag(
        &self,
        model: &tagger::Model,
        text: &str,
        tokens: &[Token],
        field: Field,
        article_date: Option<&str>,
        out: &mut Vec<Mention>,
    ) {
        let found = self.evidence(text, tokens, field, article_date);
        let Found { rules, dates, .. } = &found;
        let spans = model.tag_text(text, &found.for_tagger(tokens));
        let mut tagged: Vec<Mention> = Vec::with_capacity(spans.len() + rules.len());
        for span in &spans {
            let kind = match span.kind {
                tagger::Kind::Ps => EntityType::Per,
                tagger::Kind::Og => EntityType::Org,
                tagger::Kind::Lc => EntityType::Loc,
                tagger::Kind::Dt => EntityType::Date,
                tagger::Kind::Ti => EntityType::Time,
                tagger::Kind::Qt => continue,
            };
            // A name does not run across a quotation mark (`과기정통부 “판교…`) or a line break:
            // the span ends before it.
            let mut end = span.end;
            if let Some(q) = text[span.start..span.end].find(STOPS) {
                end = span.start + text[span.start..span.start + q].trim_end().len();
            }
            let (start, surface) = (span.start, &text[span.start..end]);
            // Addresses (`tip@….co.kr`, `….co.kr/letter`) are no names, whatever the letters in
            // them look like to the tagger.
            if end <= start || surface.contains(['@', '/']) {
                continue;
            }
            let known = self.gazetteer.entry(surface);
            // Products and services the gazetteer lists stay keywords, whatever type KLUE would
            // give the company behind them.
            let kind = match known {
                Some(e) if e.kind == EntityType::Term => EntityType::Term,
                _ => kind,
            };
            let same_rule = rules
                .iter()
                .find(|m| m.start == start && m.end == end && m.kind == kind);
            let entity = if let Some(m) = same_rule {
                m.entity.clone()
            } else if kind == EntityType::Date {
                // The date grammar may have read the date with its time (`지난 15일 오후 3시`):
                // the day it resolved is this span's.
                dates
                    .iter()
                    .find(|d| d.start < end && start < d.end)
                    .and_then(|d| d.resolved.as_deref())
                    .map(|day| day.split('T').next().unwrap_or(day).to_string())
                    .or_else(|| article_date.and_then(|d| dates::anaphoric_day(surface, d)))
                    .unwrap_or_else(|| surface.to_string())
            } else if kind == EntityType::Per && unnamed(surface) {
                UNNAMED.to_string()
            } else {
                match known {
                    Some(e) if e.kind == kind => e.canonical.clone(),
                    _ => surface.to_string(),
                }
            };
            tagged.push(Mention {
                field,
                start,
                end,
                kind,
                entity,
            });
        }
        // Products and services the rules know stay keywords where the tagger marked nothing.
        for m in rules.iter().filter(|m| m.kind == EntityType::Term) {
            if !tagged.iter().any(|t| t.start < m.end && m.start < t.end) {
                tagged.push(m.clone());
            }
        }
        tagged.sort_by_key(|m| (m.start, m.end));
        out.extend(tagged);
    }

    /// [`Recogniser::recognise`] of a field longer than [`TAGGER_CHUNK`], part by part: the
    /// tagger's memory grows with its text and a whole 10 MB body would not stay in cache.
    /// Parts end at a line break where one is near (no span crosses one), else at a space.
    fn recognise_in_chunks(
        &self,
        text: &str,
        tokens: &[Token],
        field: Field,
        article_date: Option<&str>,
        out: &mut Vec<Mention>,
    ) {
        let mut start = 0;
        let mut part_tokens = Vec::new();
        let mut found = Vec::new();
        while start < text.len() {
            let end = chunk_end(text, start, TAGGER_CHUNK);
            let part = &text[start..end];
            part_tokens.clear();
            part_tokens.extend(
                tokens
                    .iter()
                    .filter(|t| t.start >= start && t.end <= end)
                    .map(|t| Token {
                        start: t.start - start,
                        end: t.end - start,
                        ..*t
                    }),
            );
            found.clear();
            self.recognise(part, &part_tokens, field, article_date, &mut found);
            out.extend(found.drain(..).map(|m| Mention {
                start: m.start + start,
                end: m.end + start,
                ..m
            }));
            start = end;
        }
    }

    /// What the rules find in `text` (one field, analysed into `tokens`): the tagger's
    /// evidence, each source searched once.
    pub fn evidence<'g>(
        &'g self,
        text: &str,
        tokens: &[Token],
        field: Field,
        article_date: Option<&str>,
    ) -> Found<'g> {
        let hits: Vec<Hit<'g>> = self.gazetteer.hits(text).collect();
        let dates = self.dates.find(text, article_date);
        let mut rules = Vec::new();
        self.rules(text, tokens, field, &hits, &dates, &mut rules);
        Found { rules, hits, dates }
    }

    /// The rules' mentions (see the module documentation), in order, from the text's gazetteer
    /// hits and date expressions.
    fn rules(
        &self,
        text: &str,
        tokens: &[Token],
        field: Field,
        hits: &[Hit],
        dates: &[DateMention],
        out: &mut Vec<Mention>,
    ) {
        let edges = Edges::of(text.len(), tokens);
        let mut candidates: Vec<Candidate> = Vec::new();
        for hit in hits {
            if edges.starts_at(hit.start)
                && (edges.ends_at(hit.end) || title_follows(text, tokens, hit.end))
            {
                candidates.push(Candidate {
                    start: hit.start,
                    end: hit.end,
                    kind: hit.entry.kind,
                    canonical: Some(hit.entry.canonical.clone()),
                    evidence: Evidence::Gazetteer,
                });
            }
        }
        for d in dates {
            candidates.push(Candidate {
                start: d.start,
                end: d.end,
                kind: EntityType::Date,
                canonical: d.resolved.clone(),
                evidence: Evidence::Date,
            });
        }
        rule_candidates(text, tokens, &mut candidates);

        candidates.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.evidence.cmp(&b.evidence))
        });
        let mut chosen: Vec<Candidate> = Vec::new();
        for c in candidates {
            if chosen.last().is_none_or(|last| c.start >= last.end) {
                chosen.push(c);
            }
        }
        let chosen = join_places(text, tokens, chosen);
        out.extend(chosen.into_iter().map(|c| {
            Mention {
                field,
                start: c.start,
                end: c.end,
                kind: c.kind,
                entity: c
                    .canonical
                    .unwrap_or_else(|| text[c.start..c.end].to_string()),
            }
        }));
    }
}

/// The byte offsets of a text where tokens start and where they end, as bit sets: the rules
/// ask at every gazetteer hit, overlapping ones included (a binary search over the tokens per
/// hit was a sixth of the rules' time).
struct Edges {
    starts: Vec<u64>,
    ends: Vec<u64>,
}

impl Edges {
    /// The edges of `tokens`, which lie in a text of `len` bytes.
    fn of(len: usize, tokens: &[Token]) -> Edges {
        let mut edges = Edges {
            starts: vec![0; len / 64 + 1],
            ends: vec![0; len / 64 + 1],
        };
        for t in tokens {
            edges.starts[t.start / 64] |= 1 << (t.start % 64);
            edges.ends[t.end / 64] |= 1 << (t.end % 64);
        }
        edges
    }

    fn starts_at(&self, b: usize) -> bool {
        Edges::has(&self.starts, b)
    }

    fn ends_at(&self, b: usize) -> bool {
        Edges::has(&self.ends, b)
    }

    fn has(bits: &[u64], b: usize) -> bool {
        bits.get(b / 64).is_some_and(|w| w >> (b % 64) & 1 == 1)
    }
}

/// The longest text the tagger reads at once, in bytes (about 20,000 Hangul characters, far
/// longer than a news article's body).
const TAGGER_CHUNK: usize = 1 << 16;

/// Where a part of `text` that starts at `start` ends: at most `limit` bytes on, after the last
/// line break in that reach, else after its last space, else on a character boundary.
fn chunk_end(text: &str, start: usize, limit: usize) -> usize {
    if text.len() - start <= limit {
        return text.len();
    }
    let mut end = start + limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let reach = &text[start..end];
    match reach
        .rfind('\n')
        .or_else(|| reach.rfind(char::is_whitespace))
    {
        Some(at) if at > 0 => start + at + reach[at..].chars().next().map_or(1, char::len_utf8),
        _ => end,
    }
}

/// Quotation marks and line breaks, which no entity span crosses.
const STOPS: &[char] = &[
    '"', '“', '”', '‘', '’', '\'', '「', '」', '『', '』', '\n', '\r',
];

/// Whether a person's span names no one: one Hangul syllable (a surname, `박씨`) or one Latin
/// letter (`A씨`).
fn unnamed(surface: &str) -> bool {
    let mut chars = surface.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => ('가'..='힣').contains(&c) || c.is_ascii_alphabetic(),
        _ => false,
    }
}

/// Character offsets and surfaces of `mentions` in `text` (mentions are sorted by field, then
/// start, so each field is walked once).
pub fn char_spans(text: &Normalised, mentions: &[Mention]) -> Vec<(usize, usize, String)> {
    let mut spans = Vec::with_capacity(mentions.len());
    let mut at = (Field::Title, 0usize, 0usize); // field, byte, char
    for m in mentions {
        let field = text.field(m.field);
        if at.0 != m.field {
            at = (m.field, 0, 0);
        }
        let start = at.2 + field[at.1..m.start].chars().count();
        let end = start + field[m.start..m.end].chars().count();
        at = (m.field, m.end, end);
        spans.push((start, end, field[m.start..m.end].to_string()));
    }
    spans
}

/// Whether byte `at`, inside a token, is followed by the rest of a title fused to a name
/// (`서울시장` → the place `서울시`; `과방위원장` → the committee `과방위`) or by a particle
/// ko-dic glued to the name's last syllable (`분당구의` read as 분당 + 구의).
fn title_follows(text: &str, tokens: &[Token], at: usize) -> bool {
    let i = tokens.partition_point(|t| t.end <= at);
    tokens
        .get(i)
        .is_some_and(|t| t.start < at && FUSED_TAILS.contains(&&text[at..t.end]))
}

/// What may follow a name inside one of ko-dic's tokens: the rest of a title, or a particle.
const FUSED_TAILS: &[&str] = &[
    "장", "원", "원장", "원들", "의", "은", "는", "이", "가", "을", "를", "에", "에서", "와", "과",
    "도", "로", "으로",
];

/// Short names of provinces and metropolitan cities that start an address (`경기 성남시`); alone
/// they are often common words (`경기` is also a match), so only an address makes them places.
pub(crate) const PROVINCES: &[&str] = &[
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
    "전북", "전남", "경북", "경남", "제주",
];

/// Writes the mentions of each line of `text`: `surface\tTYPE\tcanonical` lines, then `EOS`
/// (`bodo tokenize --entities`).
pub fn write_entities(
    worker: &mut crate::morph::Worker,
    recogniser: &Recogniser,
    text: &str,
    date: Option<&str>,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut tokens = Vec::new();
    let mut mentions = Vec::new();
    for line in text.lines() {
        worker
            .tokens(line, &mut tokens)
            .map_err(std::io::Error::other)?;
        mentions.clear();
        recogniser.recognise(line, &tokens, Field::Body, date, &mut mentions);
        for m in &mentions {
            writeln!(
                out,
                "{}\t{}\t{}",
                &line[m.start..m.end],
                m.kind.as_str(),
                m.entity
            )?;
        }
        writeln!(out, "EOS")?;
    }
    Ok(())
}

/// Candidates from ko-dic's semantic classes and from suffixes.
fn rule_candidates(text: &str, tokens: &[Token], out: &mut Vec<Candidate>) {
    let surface = |t: &Token| &text[t.start..t.end];
    let rule = |start, end, kind| Candidate {
        start,
        end,
        kind,
        canonical: None,
        evidence: Evidence::Rule,
    };
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1).filter(|n| n.start == t.end);
        match (t.tag, t.class) {
            // 최모(28)씨: a surname, then 모.
            (Tag::Nnp | Tag::Xpn, _)
                if surface(t).chars().count() == 1
                    && surface(t).chars().all(is_surname)
                    && next.is_some_and(|n| surface(n) == "모") =>
            {
                out.push(rule(t.start, t.end + "모".len(), EntityType::Per));
            }
            // A name stands alone: 텔레 in 텔레그램 is tagged 인명 but continues into a noun.
            (Tag::Nnp, Class::Person)
                if surface(t).chars().count() >= 2
                    && !next.is_some_and(|n| continues_word(n, surface(n)))
                    && !(i > 0
                        && tokens[i - 1].end == t.start
                        && matches!(tokens[i - 1].tag, Tag::Nng | Tag::Nnp | Tag::Sl)) =>
            {
                out.push(rule(t.start, t.end, EntityType::Per));
            }
            (Tag::Nnp, Class::Place) => {
                let end = match next {
                    Some(n) if LOC_SUFFIXES.contains(&surface(n)) && ends_word(text, n.end) => {
                        n.end
                    }
                    _ => t.end,
                };
                out.push(rule(t.start, end, EntityType::Loc));
            }
            _ => {}
        }
    }
    people_by_context(text, tokens, out);
    // Organisations by their head: over each run of nouns written together.
    let is_part = |t: &Token| matches!(t.tag, Tag::Nng | Tag::Nnp | Tag::Sl | Tag::Xsn);
    let mut i = 0;
    while i < tokens.len() {
        if !is_part(&tokens[i]) || tokens[i].tag == Tag::Xsn {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < tokens.len() && tokens[j].start == tokens[j - 1].end && is_part(&tokens[j]) {
            j += 1;
        }
        let last = surface(&tokens[j - 1]);
        let whole = &text[tokens[i].start..tokens[j - 1].end];
        let is_head = ends_with_org_head(last) && !NOT_ORG.contains(&last);
        if is_head && (j - i >= 2 || (tokens[i].tag == Tag::Nnp && whole.chars().count() >= 3)) {
            out.push(rule(tokens[i].start, tokens[j - 1].end, EntityType::Org));
        }
        i = j;
    }
}

/// People the dictionary does not know, by what surrounds them: a word of two to four syllables
/// starting with a surname, then an age in parentheses (`이성아(30)씨`), or a title within the
/// next three words (`박성하 SK C&C 대표`, `한상희 건국대 법전원 교수`). A word ko-dic reads as one
/// common noun (`이번 대표`) is not a name, except before an age.
fn people_by_context(text: &str, tokens: &[Token], out: &mut Vec<Candidate>) {
    for (i, t) in tokens.iter().enumerate() {
        // Most tokens do not start with a surname: that is asked first.
        if !text[t.start..].chars().next().is_some_and(is_surname)
            || text[..t.start].chars().next_back().is_some_and(is_letter)
        {
            continue;
        }
        let run: usize = text[t.start..]
            .chars()
            .take_while(|c| is_hangul(*c))
            .take(5)
            .map(char::len_utf8)
            .sum();
        let end = t.start + run;
        let chars = text[t.start..end].chars().count();
        if !(2..=4).contains(&chars) {
            continue;
        }
        let Some(last) = tokens[i..]
            .iter()
            .take_while(|u| u.start < end)
            .position(|u| u.end == end)
        else {
            continue;
        };
        // ko-dic cuts unknown names anyhow (박성 + 하, 양 + 현서), but a name holds a noun and
        // no particle.
        let parts = &tokens[i..=i + last];
        if parts.iter().any(|u| u.tag == Tag::Particle)
            || !parts.iter().any(|u| matches!(u.tag, Tag::Nng | Tag::Nnp))
        {
            continue;
        }
        let rest = &text[end..];
        // An age: one to three digits in parentheses, maybe with more after a separator
        // (`(28)`, `(28·여)`); `(11만 4500원)` is a price.
        let aged = rest.strip_prefix('(').is_some_and(|r| {
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            (1..=3).contains(&digits) && r[digits..].starts_with([')', '·', ','])
        });
        // A word ko-dic reads as common nouns of two syllables or more, with or without a
        // suffix (이번, 정상 + 화, 손해 + 배상), is no name; an unknown name breaks up into odd
        // pieces (박성 + 하, 양 + 현서, 문종 + 현) or is a 인명 proper noun.
        // A single proper noun ko-dic does not class as a name (손해배상, or 이원화 once
        // demoted as a common word) is no name either.
        let common = parts.iter().all(|u| {
            u.tag == Tag::Xsn || u.tag == Tag::Nng && text[u.start..u.end].chars().count() >= 2
        }) || matches!(parts, [only] if only.tag == Tag::Nnp && only.class != Class::Person);
        // Two-syllable words before a title are mostly common words (이번, 가장); names have three.
        let titled = !common && chars >= 3 && rest.starts_with(' ') && {
            // The title within the next three words, unless a name comes first and takes it
            // (`카카오 오너인 김범수 의장`: the title is 김범수's).
            let mut at = end + 1;
            let mut found = false;
            for word in rest[1..].split(' ').take(3) {
                let named = tokens
                    .binary_search_by_key(&at, |u| u.start)
                    .is_ok_and(|k| tokens[k].class == Class::Person);
                // So does a surname alone (`오너인 김 의장`: the title is 김's).
                let surname = word.chars().count() == 1 && word.chars().all(is_surname);
                if named || surname {
                    break;
                }
                if is_title(word) {
                    found = true;
                    break;
                }
                at += word.len() + 1;
            }
            found
        };
        if aged || titled {
            out.push(Candidate {
                start: t.start,
                end,
                kind: EntityType::Per,
                canonical: None,
                evidence: Evidence::Rule,
            });
        }
    }
}

fn is_hangul(c: char) -> bool {
    ('가'..='힣').contains(&c)
}

/// Whether `word` is a title, possibly with a particle; a long title may also end a compound
/// (`시큐리티대응센터장은`).
fn is_title(word: &str) -> bool {
    let titles = titles_by_first();
    let mut chars = word.char_indices();
    let Some((_, first)) = chars.next() else {
        return false;
    };
    titles
        .get(&first)
        .is_some_and(|ts| ts.iter().any(|t| is_word_with_particle(word, t)))
        || chars.any(|(k, c)| {
            titles.get(&c).is_some_and(|ts| {
                ts.iter()
                    .any(|t| t.chars().count() >= 3 && is_word_with_particle(&word[k..], t))
            })
        })
}

/// [`TITLES`] by first character: a word is checked against the titles that can start at each
/// of its characters, not against every title at every character.
fn titles_by_first() -> &'static FxHashMap<char, Vec<&'static str>> {
    static INDEX: LazyLock<FxHashMap<char, Vec<&'static str>>> =
        LazyLock::new(|| index_by(TITLES, |t| t.chars().next()));
    &INDEX
}

/// Whether a noun run's `last` part ends with one of [`ORG_HEADS`] (looked up by its last
/// character: this runs for every noun run of every text).
fn ends_with_org_head(last: &str) -> bool {
    static INDEX: LazyLock<FxHashMap<char, Vec<&'static str>>> =
        LazyLock::new(|| index_by(ORG_HEADS, |h| h.chars().next_back()));
    last.chars()
        .next_back()
        .and_then(|c| INDEX.get(&c))
        .is_some_and(|heads| heads.iter().any(|h| last.ends_with(h)))
}

/// `words` grouped by the character `key` picks (each list in the order of `words`).
fn index_by(
    words: &[&'static str],
    key: impl Fn(&str) -> Option<char>,
) -> FxHashMap<char, Vec<&'static str>> {
    let mut index: FxHashMap<char, Vec<&'static str>> = FxHashMap::default();
    for &w in words {
        index
            .entry(key(w).expect("list entries are not empty"))
            .or_default()
            .push(w);
    }
    index
}

/// `word` is `stem`, possibly followed by a particle or punctuation (`대표는`, `교수도`, `의장,`).
fn is_word_with_particle(word: &str, stem: &str) -> bool {
    word.strip_prefix(stem).is_some_and(|rest| {
        rest.is_empty()
            || rest
                .chars()
                .next()
                .is_some_and(|c| !is_letter(c) || PARTICLE_STARTS.contains(&c) || c == '은')
                && rest.chars().count() <= 2
    })
}

/// Whether a token written right after a name makes the name part of a longer word (a noun
/// that is not a title or an honorific).
fn continues_word(next: &Token, surface: &str) -> bool {
    matches!(next.tag, Tag::Nng | Tag::Nnp | Tag::Sl) && !TITLES.contains(&surface)
}

/// Titles that may be written right after a name (`홍길동씨`, `김범수의장`).
const TITLES: &[&str] = &[
    "씨",
    "대통령",
    "의장",
    "회장",
    "부회장",
    "대표",
    "사장",
    "부사장",
    "장관",
    "차관",
    "의원",
    "총리",
    "위원장",
    "위원",
    "교수",
    "원장",
    "청장",
    "처장",
    "실장",
    "국장",
    "센터장",
    "본부장",
    "이사",
    "이사장",
    "전무",
    "상무",
    "감독",
    "선수",
    "변호사",
    "대변인",
    "수석",
    "비서관",
    "총장",
    "시장",
    "지사",
    "군수",
    "구청장",
    "후보",
    "창업자",
    "최고경영자",
    "부장",
    "팀장",
    "연구원",
];

/// Whether byte `at` ends a word: the text ends, or whitespace, punctuation or a particle
/// follows (a following Hangul syllable would make `도` in `서울도심` part of another word).
fn ends_word(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !is_letter(c) || PARTICLE_STARTS.contains(&c))
}

/// First syllables of the particles that may follow a place name directly.
const PARTICLE_STARTS: &[char] = &[
    '은', '는', '이', '가', '을', '를', '의', '에', '와', '과', '도', '로', '으', '까', '부', '보',
    '만',
];

/// Joins places written in a row into one address, and a place and a following facility noun
/// into one place.
fn join_places(text: &str, tokens: &[Token], chosen: Vec<Candidate>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(chosen.len());
    for mut c in chosen {
        if c.kind == EntityType::Loc {
            let before = &text[out.last().map_or(0, |p| p.end)..c.start];
            if let Some(p) = PROVINCES.iter().find(|p| {
                before.strip_suffix(' ').is_some_and(|b| {
                    b.strip_suffix(**p)
                        .is_some_and(|bb| !bb.chars().next_back().is_some_and(is_letter))
                })
            }) {
                c.start -= p.len() + 1;
                c.canonical = None;
            }
        }
        if let Some(prev) = out.last_mut() {
            let gap = &text[prev.end..c.start];
            // An address joins administrative units only: `서울 종로구`, but `성남시 판교` is a
            // city and an area, two places.
            if prev.kind == EntityType::Loc
                && c.kind == EntityType::Loc
                && gap == " "
                && text[..c.end]
                    .chars()
                    .next_back()
                    .is_some_and(|last| LOC_SUFFIXES.iter().any(|s| s.starts_with(last)))
            {
                prev.end = c.end;
                prev.canonical = None;
                continue;
            }
        }
        out.push(c);
    }
    for c in &mut out {
        // A facility is named after one place, not after an address (`서울 상암동 데이터센터`
        // is an address and a data centre).
        if c.kind != EntityType::Loc || text[c.start..c.end].contains(' ') {
            continue;
        }
        // The facility: the run of nouns right after the place, after one space or none.
        let from = if text[c.end..].starts_with(' ') {
            c.end + 1
        } else {
            c.end
        };
        let Ok(k) = tokens.binary_search_by_key(&from, |t| t.start) else {
            continue;
        };
        let mut end = tokens[k].end;
        let mut j = k + 1;
        while j < tokens.len()
            && tokens[j].start == tokens[j - 1].end
            && matches!(tokens[j].tag, Tag::Nng | Tag::Nnp)
        {
            end = tokens[j].end;
            j += 1;
        }
        if matches!(tokens[k].tag, Tag::Nng | Tag::Nnp) && FACILITIES.contains(&&text[from..end]) {
            // One name however it is spaced: `판교데이터센터` is `판교 데이터센터`.
            c.canonical = Some(format!("{} {}", &text[c.start..c.end], &text[from..end]));
            c.end = end;
        }
    }
    // An address goes on into a neighbourhood ko-dic does not know (`서울 관악구 신림동`).
    for c in &mut out {
        let ends_admin = |t: &str| t.ends_with(['시', '군', '구']);
        if c.kind != EntityType::Loc || !ends_admin(&text[c.start..c.end]) {
            continue;
        }
        let Some(next) = text[c.end..].strip_prefix(' ') else {
            continue;
        };
        let word: usize = next
            .chars()
            .take_while(|ch| is_hangul(*ch))
            .map(char::len_utf8)
            .sum();
        let word = &next[..word];
        // The neighbourhood, with at most one particle after it (`신림동의`).
        let stem = [
            word,
            word.trim_end_matches(|ch| PARTICLE_STARTS.contains(&ch)),
        ]
        .into_iter()
        .find(|w| w.ends_with(['동', '읍', '면', '리']) && word.len() - w.len() <= 3);
        if let Some(stem) = stem.filter(|w| (3..=4).contains(&w.chars().count())) {
            c.end += 1 + stem.len();
            c.canonical = None;
        }
    }
    // Joining may have swallowed a following candidate's span.
    let mut merged: Vec<Candidate> = Vec::with_capacity(out.len());
    for c in out {
        if merged.last().is_none_or(|last| c.start >= last.end) {
            merged.push(c);
        }
    }
    merged
}

/// Korean surnames of one syllable, for anonymised names (`최모`) and names by context.
const SURNAMES: &[char] = &[
    '김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황',
    '안', '송', '류', '유', '전', '홍', '고', '문', '양', '손', '배', '백', '허', '남', '심', '노',
    '하', '곽', '성', '차', '주', '우', '구', '민', '진', '지', '엄', '채', '원', '천', '방', '공',
    '현', '함', '변', '염', '여', '추', '도', '소', '석', '선', '설', '마', '길', '연', '위', '표',
    '명', '기', '반', '라', '왕', '금', '옥', '육', '인', '맹', '제', '모', '탁', '국', '어', '은',
    '편', '용', '예', '경', '봉', '사', '부', '가', '복', '태', '목', '형', '피', '두', '감', '음',
    '빈', '동', '온', '호', '범', '좌',
];

/// [`SURNAMES`] as one bit per Hangul syllable: asked at every token of every text.
static SURNAME_BITS: [u64; HANGUL_SYLLABLES.div_ceil(64)] = {
    let mut bits = [0; HANGUL_SYLLABLES.div_ceil(64)];
    let mut k = 0;
    while k < SURNAMES.len() {
        let i = SURNAMES[k] as usize - '가' as usize;
        bits[i / 64] |= 1 << (i % 64);
        k += 1;
    }
    bits
};

/// Hangul syllables, 가 to 힣.
const HANGUL_SYLLABLES: usize = '힣' as usize - '가' as usize + 1;

fn is_surname(c: char) -> bool {
    let i = (c as usize).wrapping_sub('가' as usize);
    i < HANGUL_SYLLABLES && SURNAME_BITS[i / 64] >> (i % 64) & 1 == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::morph::Morphology;
    use std::sync::OnceLock;

    /// (surface, type, canonical) of every mention in `text`, dated `date`.
    fn entities(text: &str, date: Option<&str>) -> Vec<(String, &'static str, String)> {
        static MORPHOLOGY: OnceLock<Morphology> = OnceLock::new();
        static RECOGNISER: OnceLock<Recogniser> = OnceLock::new();
        let morphology = MORPHOLOGY.get_or_init(|| Morphology::load().unwrap());
        let recogniser = RECOGNISER.get_or_init(|| Recogniser::new(Gazetteer::load(&[]).unwrap()));
        let mut tokens = Vec::new();
        morphology.worker().tokens(text, &mut tokens).unwrap();
        let mut out = Vec::new();
        recogniser.recognise(text, &tokens, Field::Body, date, &mut out);
        for pair in out.windows(2) {
            assert!(pair[0].end <= pair[1].start, "mentions overlap: {out:?}");
        }
        out.iter()
            .map(|m| {
                (
                    text[m.start..m.end].to_string(),
                    m.kind.as_str(),
                    m.entity.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn parts_end_at_line_breaks_then_spaces_on_char_boundaries() {
        let text = "가나다\n라마 바사\u{3000}아자";
        assert_eq!(chunk_end(text, 0, 100), text.len());
        // Within 14 bytes the last line break is after 가나다.
        assert_eq!(&text[..chunk_end(text, 0, 14)], "가나다\n");
        // No line break in reach: after the last space (U+3000 is three bytes).
        let from = "가나다\n".len();
        assert_eq!(&text[from..chunk_end(text, from, 20)], "라마 바사\u{3000}");
        // Neither: on a character boundary.
        assert_eq!(&text[..chunk_end(text, 0, 4)], "가");
    }

    /// A body far longer than the tagger reads at once is tagged part by part: every mention
    /// lies inside the text, in order, and each copy of a paragraph finds its names.
    #[test]
    fn a_huge_field_is_tagged_in_parts() {
        let paragraph =
            "카카오 김범수 의장이 19일 경기 성남시 판교 데이터센터 화재에 대해 사과했다.\n";
        let copies = TAGGER_CHUNK * 3 / paragraph.len();
        let text = paragraph.repeat(copies);
        let morphology = Morphology::load().unwrap();
        let recogniser = Recogniser::with_tagger(Gazetteer::load(&[]).unwrap());
        let mut tokens = Vec::new();
        morphology.worker().tokens(&text, &mut tokens).unwrap();
        let mut out = Vec::new();
        recogniser.recognise(&text, &tokens, Field::Body, Some("2022-10-20"), &mut out);
        for pair in out.windows(2) {
            assert!(pair[0].end <= pair[1].start, "mentions overlap");
        }
        let named = |surface: &str| {
            out.iter()
                .filter(|m| &text[m.start..m.end] == surface)
                .count()
        };
        assert_eq!(named("김범수"), copies);
        assert_eq!(named("카카오"), copies);
    }

    fn has(found: &[(String, &str, String)], surface: &str, kind: &str, entity: &str) -> bool {
        found
            .iter()
            .any(|(s, k, e)| s == surface && *k == kind && e == entity)
    }

    #[test]
    fn surname_bits_are_the_list() {
        for c in ('\0'..='\u{FFFF}').chain(['\u{1F600}', char::MAX]) {
            assert_eq!(is_surname(c), SURNAMES.contains(&c), "{c:?}");
        }
    }

    #[test]
    fn a_site_named_with_its_address_is_the_site() {
        let r = Recogniser::new(Gazetteer::load(&[]).unwrap());
        let site = |name: &str| r.site_of_address(name);
        let want = Some("판교 데이터센터".to_string());
        assert_eq!(site("경기 성남시 판교 데이터센터"), want);
        assert_eq!(site("성남시 분당구 판교 데이터센터"), want);
        assert_eq!(
            site("서울 마포구 상암동 SK C&C 데이터센터").as_deref(),
            Some("SK C&C 데이터센터")
        );
        // An address alone, a site alone, and a place that is no division stay as named.
        for name in [
            "서울 상암동",
            "경기 성남시 분당구",
            "판교 데이터센터",
            "미국 뉴욕",
            "서울",
        ] {
            assert_eq!(site(name), None, "{name}");
        }
    }

    #[test]
    fn aliases_map_to_one_canonical_name() {
        let found = entities("과기정통부는 과방위에 보고했다. 尹 “카톡 먹통 대책”", None);
        assert!(
            has(&found, "과기정통부", "ORG", "과학기술정보통신부"),
            "{found:?}"
        );
        assert!(
            has(&found, "과방위", "ORG", "과학기술정보방송통신위원회"),
            "{found:?}"
        );
        assert!(has(&found, "尹", "PER", "윤석열"), "{found:?}");
        assert!(has(&found, "카톡", "TERM", "카카오톡"), "{found:?}");
    }

    #[test]
    fn people_by_class_by_title_and_by_age_but_not_by_surname_alone() {
        let found = entities(
            "김범수 카카오 의장과 박성하 SK C&C 대표, 직장인 이성아(30)씨와 최모(28)씨. 최씨와 김 의장은",
            None,
        );
        for name in ["김범수", "박성하", "이성아", "최모"] {
            assert!(has(&found, name, "PER", name), "{name}: {found:?}");
        }
        assert!(has(&found, "SK C&C", "ORG", "SK C&C"), "{found:?}");
        let people: Vec<&str> = found
            .iter()
            .filter(|m| m.1 == "PER")
            .map(|m| m.0.as_str())
            .collect();
        assert_eq!(people, ["김범수", "박성하", "이성아", "최모"], "{found:?}");
        // 이용자 is a common noun even though ko-dic also lists it as a name; 이중화 one ko-dic
        // lists only as a name.
        assert!(entities("이용자들은 불편을 겪었다", None).is_empty());
        assert!(entities("데이터센터 이중화가 부족했다", None).is_empty());
    }

    #[test]
    fn organisations_by_their_head_and_not_by_common_words() {
        let found = entities("국립과학수사연구원과 분당소방서, 일부 직원과 정부", None);
        assert!(
            has(&found, "국립과학수사연구원", "ORG", "국립과학수사연구원"),
            "{found:?}"
        );
        assert!(has(&found, "분당소방서", "ORG", "분당소방서"), "{found:?}");
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn addresses_facilities_and_fused_titles() {
        let found = entities(
            "경기 성남시 분당구의 아파트와 서울 관악구 신림동, SK C&C 판교 데이터센터. 서울시장은",
            None,
        );
        assert!(
            has(&found, "경기 성남시 분당구", "LOC", "경기 성남시 분당구"),
            "{found:?}"
        );
        assert!(
            has(&found, "서울 관악구 신림동", "LOC", "서울 관악구 신림동"),
            "{found:?}"
        );
        assert!(
            has(&found, "판교 데이터센터", "LOC", "판교 데이터센터"),
            "{found:?}"
        );
        let glued = entities("판교데이터센터 화재", None);
        assert!(
            has(&glued, "판교데이터센터", "LOC", "판교 데이터센터"),
            "{glued:?}"
        );
        assert!(
            found.iter().any(|m| m.0 == "서울시" && m.1 == "LOC"),
            "{found:?}"
        );
    }

    #[test]
    fn dates_resolve_against_the_article() {
        let found = entities(
            "지난 15일 오후 3시 33분께 불이 났고 오는 24일 국감",
            Some("2022-10-17"),
        );
        assert!(
            has(
                &found,
                "지난 15일 오후 3시 33분",
                "DATE",
                "2022-10-15T15:33"
            ),
            "{found:?}"
        );
        assert!(has(&found, "오는 24일", "DATE", "2022-10-24"), "{found:?}");
        let undated = entities("지난 15일", None);
        assert!(
            has(&undated, "지난 15일", "DATE", "지난 15일"),
            "{undated:?}"
        );
    }

    proptest::proptest! {
        /// The indexed lookups answer as a scan of the whole lists does, on words made of
        /// the lists' own pieces (titles and heads, inside compounds, with particles).
        #[test]
        fn indexed_title_and_head_lookups_agree_with_scans(
            parts in proptest::collection::vec(
                proptest::sample::select(
                    TITLES.iter().chain(ORG_HEADS).copied()
                        .chain(["김", "시큐리티", "은", "는", "도", ",", "A", "대응", "장"])
                        .collect::<Vec<_>>(),
                ),
                1..4,
            )
        ) {
            let word = parts.concat();
            let scanned_title = TITLES.iter().any(|title| {
                let first = title.chars().next().unwrap();
                is_word_with_particle(&word, title)
                    || title.chars().count() >= 3
                        && word.char_indices().any(|(k, c)| {
                            k > 0 && c == first && is_word_with_particle(&word[k..], title)
                        })
            });
            proptest::prop_assert_eq!(is_title(&word), scanned_title, "{}", word);
            let scanned_head = ORG_HEADS.iter().any(|h| word.ends_with(h));
            proptest::prop_assert_eq!(ends_with_org_head(&word), scanned_head, "{}", word);
        }

        /// The edges' bit sets answer as binary searches over the tokens do, at every offset
        /// of the text and one past it (tokens in order, touching or with gaps, across word
        /// boundaries of the bit sets).
        #[test]
        fn token_edges_agree_with_binary_searches(
            pieces in proptest::collection::vec((0usize..3, 1usize..70), 0..12)
        ) {
            let mut tokens = Vec::new();
            let mut at = 0;
            for (gap, len) in pieces {
                tokens.push(Token { start: at + gap, end: at + gap + len, tag: Tag::Nng, class: Class::None });
                at += gap + len;
            }
            let len = at + 2;
            let edges = Edges::of(len, &tokens);
            for b in 0..=len + 1 {
                let starts = tokens.binary_search_by_key(&b, |t| t.start).is_ok();
                let ends = tokens.binary_search_by_key(&b, |t| t.end).is_ok();
                proptest::prop_assert_eq!(edges.starts_at(b), starts, "start {}", b);
                proptest::prop_assert_eq!(edges.ends_at(b), ends, "end {}", b);
            }
        }
    }
}

//! Korean date and time expressions in news text.
//!
//! Takes: a text (an article title or body, normalised or not) and optionally the article's
//! publication date `YYYY-MM-DD`. Gives: every date/time expression in it as a [`DateMention`]:
//! byte offsets and an ISO resolution against the article date (`YYYY-MM-DD`, `YYYY-MM` or
//! `YYYY`, plus `THH:MM` when a clock time is attached), or `None` when the form does not resolve
//! or there is no (valid) article date. Guarantees: mentions are in text order, never overlap,
//! start and end on char boundaries and never include particles (`15일에` → `15일`) or the
//! punctuation around them; a resolution is always a real calendar date and time; `find` never
//! panics, whatever the input, and allocates only the result.
//!
//! Follows the DATE section and the DATE resolution rules of `tests/data/entities/GUIDELINES.md`;
//! what they leave open is decided below.
//!
//! # What is a date
//! One span per contiguous expression, relative markers included, made of these parts in this
//! order, each optional, separated by spaces or nothing:
//! - year: `2022년`, `지난해`/`작년`, `재작년`, `올해`/`금년`, `내년`, `내후년`;
//! - month: `10월`, `올 10월`, `지난달`, `이달`/`이번 달`, `다음 달`/`내달`;
//! - day: `15일`, `오늘`/`금일`, `어제`, `어젯밤`, `그제`/`그저께`, `내일`/`명일`, `모레`, `글피`,
//!   `2022.10.15`, `2022. 10. 15.` (the final dot left out), `2022-10-15`, `2022/10/15`, or a
//!   week: `지난주`, `이번 주`, `다음 주`;
//! - weekday: `토요일`; then `(토)`, `(토요일)`, `(현지시간)`, `(현지 시각)`, `(한국시간)`;
//! - part of day: `새벽`, `오전`, `아침`, `낮`, `오후`, `저녁`, `밤`, `심야`, `자정`;
//! - clock: `3시`, `3시 반`, `3시 33분`, `3시 33분 20초`, `정오`, and `15:30` after a day or a
//!   part of day.
//!
//! A year takes only a month after it and a month only a day, so `지난해 15일` is two mentions.
//! `지난`/`오는` go with a numeric year, month or day (`지난 15일`, `오는 3월`, `지난 2018년`), and
//! `지난`/`오는`/`이번`/`다음` with a weekday (`지난 토요일`).
//!
//! Decided cases:
//! - A parenthesis that ends an expression is left out (`15일(토)` → `15일`); one followed by a
//!   time is inside the contiguous expression (`15일(토) 오후 3시`).
//! - A part of day alone (`오후 들어`, `밤`) is not a date; with a day or a clock it is in the span.
//!   `자정` is a part of day (midnight of which day is ambiguous); `정오` is a clock (12:00).
//! - A bare `15:30` is not a date (scores, ratios); after a day or a part of day it is.
//! - Years have four digits, 1000–2999: `5년`, `징역 3년` are durations; `2000년대` (a decade) and
//!   `1990년생` are not dates. `22.10.15` and `10.15` (also decimals, versions) are not dates.
//! - Weekday names are dates, but nothing is after a recurrence word (`매주 토요일`, `매년 3월`,
//!   `평일 오전 9시`: 매일 매주 매달 매월 매년 매해 매번 격주 격월 평일 주중 주말) or before
//!   `마다`: a recurring day is no particular day.
//! - A range or list is not joined: `15일부터 17일까지`, `오전 9시~오후 6시`, `2일과 3일` are two
//!   mentions each. A range sharing one unit keeps only the part with the unit
//!   (`15~17일` → `17일`, `오후 2~3시` → `3시`, read as written).
//!
//! # What is not
//! - Durations and counts: a unit followed by a duration marker, attached (`3일간`, `3일째`,
//!   `15일치`, `2일차`, `3일여`, `5일만에`, `7일이내`, `127시간`, `30분간`) or as the next word
//!   (`3일 동안`, `5일 만에`, `3일 전`/`후`/`뒤`, `7일 이내`/`내`, `10일 넘게`, `3일 연속`,
//!   `1일 평균` but not `15일 평균 기온`; `3시 30분 동안`). `전` before a title is "former"
//!   (`15일 전 대통령`), and after a day with a month or `지난`/`오는` `전`/`후`/`뒤`/`내` are
//!   ordinary words (`10월 15일 전까지`); `간`, `동안`, `째`, `만`, `연속` remain durations.
//!   Minutes and seconds exist only inside a clock, so `1시간 30분` holds no date (`1시` is
//!   a duration, `30분` cannot stand alone), and a clock followed by a duration marker is dropped
//!   as a whole.
//! - After a unit, attached Hangul must be a particle or a date suffix (`15일에`, `15일부터`,
//!   `15일자`, `15일께`, `10월말`, `3시쯤`); anything else makes another word (`3시즌`, `1분기`,
//!   `5일장`). After a word (`오늘`, `지난해`, `토요일`, `오후`) only particles: `오늘날`,
//!   `어제오늘`, `그제야`, `내일신문`, `이번 주말`, `낮은`, `밤새` are not dates.
//! - An invalid value rejects the whole expression: `13월`, `10월 32일`, `2월 30일`,
//!   `2023년 2월 29일`, `25시`, `24시` (`24시 편의점`), `3시 60분`, `오전 15시`, `100일`.
//! - Not at a word start: after a letter or digit (`약2022년`, `G20일`) or inside a decimal
//!   (`1.5일`). A `지난`/`오는` inside a word is dropped (`다가오는 15일` → `15일`).
//! - Never tokens: `이날`, `당시`, `최근`, `현재`, `주말`, `전날`, `엊그제`, `일일`, `일부`, `시간`,
//!   `월급`, `시민`, `일본`, `3명`, `3개월`, ages.
//!
//! # How it resolves (article dated D)
//! - `YYYY년 M월 D일` and numeric dates → that date; `M월 D일` → in D's year; `M월` → `YYYY-MM` in
//!   D's year; `YYYY년 M월`, `지난해 M월` → that month. `지난 M월 (D일)` → the latest such month
//!   (day) on or before D, `오는 M월 (D일)` → the first after D.
//! - bare `N일` → day N of D's month, unresolved when it has no day N; `지난 N일` → the latest
//!   day N on or before D; `오는 N일` → the first day N after D; `지난달 N일`, `이달 N일`,
//!   `다음 달 N일` → day N of that month (unresolved if it has none).
//! - `오늘`/`금일` D, `어제`/`어젯밤` D−1, `그제`/`그저께` D−2, `내일`/`명일` D+1, `모레` D+2,
//!   `글피` D+3; `올해`/`금년` D's year, `지난해`/`작년` −1, `재작년` −2, `내년` +1, `내후년` +2;
//!   `지난달`, `이달`, `다음 달`/`내달` → that month, across year ends.
//! - `지난 토요일` → the latest Saturday before D, `오는 토요일` → the first after D. Weeks
//!   (`지난주`, `다음 주 월요일`), bare weekdays and `이번`/`다음` weekdays stay unresolved.
//! - A clock adds `THH:MM`: `오전`/`새벽`/`아침` 12시 → 00; `오후`/`저녁` 1–11시 → +12;
//!   `밤`/`심야`/`자정` 6–11시 → +12, 12시 → 00, 1–5시 as written; `낮` 1–6시 → +12; `반` → 30
//!   minutes; seconds dropped. Without a part of day the hour is as written (`3시` → 03:00,
//!   `15시` → 15:00). A clock alone refers to D; a clock on an unresolved day is unresolved.
//! - The end of a range or the next item of a list — a mention right after the previous one and
//!   `~`, `-`, `부터`, `에서`, `과`/`와`, `및`, `또는`, `이나`/`나` — continues it when it lacks
//!   what the first one has: a bare `N일` is the first day N on or after the previous date
//!   (`8월 8일 밤부터 9일 새벽` → 08-09), and a bare clock is on the previous date, read as
//!   the hour that does not go back in time (`25일 오후 6시~8시` → 25일 20:00, `오전 10시~12시` →
//!   12:00).

use regex::Regex;

use crate::template::is_letter;

/// One date or time expression in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte offsets into the text given, end exclusive, on char boundaries.
    pub start: usize,
    pub end: usize,
    /// ISO resolution against the article date: "YYYY-MM-DD", "YYYY-MM" or "YYYY",
    /// with "THH:MM" appended when a clock time is attached; None when it cannot be resolved
    /// (no article date, or a form that does not resolve such as 지난주).
    pub resolved: Option<String>,
}

/// Compiled patterns; build once, share across threads (Send + Sync).
pub struct DateFinder {
    tokens: Regex,
}

/// The parts an expression is built from, one regex match each (`find_iter` over the whole text
/// is the only scan). Only the shape is matched here; values, order, word boundaries and what
/// follows are checked in code, where a failed part can be dropped from the end of an expression
/// instead of losing the whole match, and where no look-around is needed (the regex crate has
/// none, and Unicode `\b` would push it off its fast DFA engines on Hangul).
///
/// A relative marker is matched together with its number or weekday so that a bare `지난`,
/// `다음` (very common words) never becomes a token. `N시 반` is one token; `반` starting another
/// word (`3시 반대`) is given back in code.
const TOKEN_PATTERN: &str = r"(?x)
    [0-9]{4}(?: \.\x20?[0-9]{1,2}\.\x20?[0-9]{1,2} | -[0-9]{1,2}-[0-9]{1,2} | /[0-9]{1,2}/[0-9]{1,2} )
  | [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?
  | (?:지난|오는)\x20*[0-9]+(?:년|월|일)
  | [0-9]+(?:년|월|일|시(?:\x20?반)?|분|초)
  | 올\x20+[0-9]+월
  | (?:(?:지난|오는|이번|다음)\x20*)?[월화수목금토일]요일
  | 지난\x20?(?:해|달|주) | 이번\x20?(?:달|주) | 다음\x20?(?:달|주)
  | 재작년 | 작년 | 올해 | 금년 | 내후년 | 내년 | 이달 | 내달
  | 오늘 | 금일 | 어젯밤 | 어제 | 그저께 | 그제 | 내일 | 명일 | 모레 | 글피
  | \((?:[월화수목금토일](?:요일)? | (?:현지|한국)\x20?시[간각])\)
  | 새벽 | 오전 | 오후 | 아침 | 낮 | 저녁 | 밤 | 심야 | 정오 | 자정
";

impl Default for DateFinder {
    fn default() -> Self {
        Self::new()
    }
}

impl DateFinder {
    pub fn new() -> Self {
        let tokens = Regex::new(TOKEN_PATTERN).expect("date token regex");
        Self { tokens }
    }

    /// Every date/time expression of `text`, in order, non-overlapping.
    /// `article_date` is the article's publication date as "YYYY-MM-DD" (or None).
    pub fn find(&self, text: &str, article_date: Option<&str>) -> Vec<DateMention> {
        let mut scan = Scan {
            text,
            anchor: article_date.and_then(parse_article_date),
            out: Vec::new(),
            prev: None,
        };
        let mut expr = Expr::new();
        for m in self.tokens.find_iter(text) {
            let tok = classify(m.as_str(), m.start());
            if let Some(last) = expr.last() {
                if joins(text, last, &tok) && expr.push(tok) {
                    continue;
                }
                scan.finish(&mut expr);
            }
            if can_start(&tok) {
                expr.push(tok);
            }
        }
        scan.finish(&mut expr);
        scan.out
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rel {
    /// 지난
    Past,
    /// 오는
    Next,
    /// 이번, 다음 (weekdays only; never resolved)
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pod {
    /// 오전, 새벽, 아침
    Morning,
    /// 오후, 저녁
    Afternoon,
    /// 밤, 심야, 자정
    Night,
    /// 낮
    Daytime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    YearNum(u32),
    /// Years from D's year.
    YearRel(i32),
    MonthNum(u32),
    /// `올 M월`.
    ThisYearMonth(u32),
    /// Months from D's month.
    MonthRel(i32),
    DayNum(u32),
    /// Days from D; `true` for 어젯밤 (it implies night for a following clock).
    DayRel(i32, bool),
    Numeric(u32, u32, u32),
    Week,
    /// Monday = 0.
    Weekday(u32),
    Paren,
    Pod(Pod),
    /// Hour and whether `반` (half past) is attached.
    Hour(u32, bool),
    Minute(u32),
    Second(u32),
    Colon(u32, u32),
    Noon,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    /// Span start, relative marker included.
    start: usize,
    /// Start without the relative marker.
    core: usize,
    end: usize,
    /// End of `N시` when the token is `N시 반`, to fall back on when `반` starts another word.
    short_end: usize,
    rel: Option<Rel>,
    kind: Kind,
    /// Numbers in range (month 1–12, four-digit year…); checked after trimming, so that a
    /// trimmed duration (`25시간`) does not reject the rest.
    valid: bool,
}

const NO_TOKEN: Token = Token {
    start: 0,
    core: 0,
    end: 0,
    short_end: 0,
    rel: None,
    kind: Kind::Paren,
    valid: false,
};

/// Level of each part: an expression's parts strictly increase, which bounds its length.
fn level(kind: Kind) -> u8 {
    match kind {
        Kind::YearNum(_) | Kind::YearRel(_) => 1,
        Kind::MonthNum(_) | Kind::ThisYearMonth(_) | Kind::MonthRel(_) => 2,
        Kind::DayNum(_) | Kind::DayRel(..) | Kind::Numeric(..) | Kind::Week => 3,
        Kind::Weekday(_) => 4,
        Kind::Paren => 5,
        Kind::Pod(_) => 6,
        Kind::Hour(..) | Kind::Noon => 7,
        Kind::Minute(_) | Kind::Colon(..) => 8,
        Kind::Second(_) => 9,
    }
}

fn is_clock(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Hour(..) | Kind::Minute(_) | Kind::Second(_) | Kind::Colon(..) | Kind::Noon
    )
}

/// Leading ASCII digits of `s`: (value saturated at 99 999, digit count).
fn leading_number(s: &str) -> (u32, usize) {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let value = s.as_bytes()[..digits]
        .iter()
        .fold(0u32, |v, b| (v * 10 + u32::from(b - b'0')).min(99_999));
    (value, digits)
}

/// Parses one token the regex matched at `start`.
fn classify(s: &str, start: usize) -> Token {
    let mut tok = Token {
        start,
        core: start,
        end: start + s.len(),
        short_end: start + s.len(),
        rel: None,
        kind: Kind::Paren,
        valid: true,
    };
    let mut body = s;
    for (word, rel) in [
        ("지난", Rel::Past),
        ("오는", Rel::Next),
        ("이번", Rel::Other),
        ("다음", Rel::Other),
    ] {
        if let Some(rest) = s.strip_prefix(word) {
            let rest = rest.trim_start_matches(' ');
            // Only a marker before a number or a weekday; 지난해, 다음 달, 이번 주 are words.
            if rest.starts_with(|c: char| c.is_ascii_digit()) || rest.ends_with("요일") {
                tok.rel = Some(rel);
                tok.core = start + s.len() - rest.len();
                body = rest;
            }
            break;
        }
    }
    if body.starts_with(|c: char| c.is_ascii_digit()) {
        classify_number(body, &mut tok);
    } else if body.starts_with('(') {
        tok.kind = Kind::Paren;
    } else if let Some(day) = body.strip_suffix("요일") {
        let day = day.chars().next();
        let wd = "월화수목금토일".chars().position(|c| Some(c) == day);
        tok.kind = Kind::Weekday(wd.unwrap_or(0) as u32);
    } else if let Some(month) = body.strip_prefix("올 ") {
        let month = month.trim_start_matches(' ');
        let (m, digits) = leading_number(month);
        tok.kind = Kind::ThisYearMonth(m);
        tok.valid = digits <= 2 && (1..=12).contains(&m);
    } else {
        tok.kind = word_kind(body);
    }
    tok
}

/// Digits followed by a unit, a numeric date or a colon time.
fn classify_number(s: &str, tok: &mut Token) {
    let (n, digits) = leading_number(s);
    let rest = &s[digits..];
    let small = digits <= 2;
    if rest.starts_with(['.', '-', '/']) {
        // y.m.d: the regex guarantees two more numbers after separators (and optional spaces).
        let rest = rest[1..].trim_start_matches(' ');
        let (m, md) = leading_number(rest);
        let rest = rest.get(md + 1..).unwrap_or("").trim_start_matches(' ');
        let (d, _) = leading_number(rest);
        tok.kind = Kind::Numeric(n, m, d);
        tok.valid = (1000..=2999).contains(&n) && (1..=12).contains(&m) && (1..=31).contains(&d);
    } else if let Some(rest) = rest.strip_prefix(':') {
        let (m, _) = leading_number(rest);
        let sec_ok = rest.get(3..).is_none_or(|sec| leading_number(sec).0 <= 59);
        tok.kind = Kind::Colon(n, m);
        tok.valid = n <= 23 && m <= 59 && sec_ok;
    } else if rest.starts_with('년') {
        tok.kind = Kind::YearNum(n);
        tok.valid = digits == 4 && (1000..=2999).contains(&n);
    } else if rest.starts_with('월') {
        tok.kind = Kind::MonthNum(n);
        tok.valid = small && (1..=12).contains(&n);
    } else if rest.starts_with('일') {
        tok.kind = Kind::DayNum(n);
        tok.valid = small && (1..=31).contains(&n);
    } else if let Some(after) = rest.strip_prefix('시') {
        let half = !after.is_empty();
        tok.kind = Kind::Hour(n, half);
        tok.valid = small && n <= 23;
        if half {
            tok.short_end = tok.end - after.len();
        }
    } else if rest.starts_with('분') {
        tok.kind = Kind::Minute(n);
        tok.valid = small && n <= 59;
    } else {
        tok.kind = Kind::Second(n);
        tok.valid = small && n <= 59;
    }
}

/// The fixed words of the token regex (spaces inside them ignored).
fn word_kind(word: &str) -> Kind {
    const WORDS: &[(&str, Kind)] = &[
        ("지난해", Kind::YearRel(-1)),
        ("작년", Kind::YearRel(-1)),
        ("재작년", Kind::YearRel(-2)),
        ("올해", Kind::YearRel(0)),
        ("금년", Kind::YearRel(0)),
        ("내년", Kind::YearRel(1)),
        ("내후년", Kind::YearRel(2)),
        ("지난달", Kind::MonthRel(-1)),
        ("이달", Kind::MonthRel(0)),
        ("이번달", Kind::MonthRel(0)),
        ("다음달", Kind::MonthRel(1)),
        ("내달", Kind::MonthRel(1)),
        ("지난주", Kind::Week),
        ("이번주", Kind::Week),
        ("다음주", Kind::Week),
        ("오늘", Kind::DayRel(0, false)),
        ("금일", Kind::DayRel(0, false)),
        ("명일", Kind::DayRel(1, false)),
        ("어제", Kind::DayRel(-1, false)),
        ("어젯밤", Kind::DayRel(-1, true)),
        ("그제", Kind::DayRel(-2, false)),
        ("그저께", Kind::DayRel(-2, false)),
        ("내일", Kind::DayRel(1, false)),
        ("모레", Kind::DayRel(2, false)),
        ("글피", Kind::DayRel(3, false)),
        ("새벽", Kind::Pod(Pod::Morning)),
        ("오전", Kind::Pod(Pod::Morning)),
        ("아침", Kind::Pod(Pod::Morning)),
        ("오후", Kind::Pod(Pod::Afternoon)),
        ("저녁", Kind::Pod(Pod::Afternoon)),
        ("낮", Kind::Pod(Pod::Daytime)),
        ("밤", Kind::Pod(Pod::Night)),
        ("심야", Kind::Pod(Pod::Night)),
        ("자정", Kind::Pod(Pod::Night)),
        ("정오", Kind::Noon),
    ];
    // Every word the regex matches is listed; were one missing, `Paren` cannot start an
    // expression, so the token would just be ignored.
    WORDS
        .iter()
        .find(|(w, _)| word.chars().filter(|&c| c != ' ').eq(w.chars()))
        .map_or(Kind::Paren, |&(_, kind)| kind)
}

// ---------------------------------------------------------------------------------------------
// Expressions

/// Longest chain of strictly increasing levels.
const MAX_PARTS: usize = 9;

/// The expression being built, on the stack: no allocation per call.
struct Expr {
    toks: [Token; MAX_PARTS],
    len: usize,
}

impl Expr {
    fn new() -> Self {
        Self {
            toks: [NO_TOKEN; MAX_PARTS],
            len: 0,
        }
    }

    fn last(&self) -> Option<&Token> {
        self.len.checked_sub(1).map(|i| &self.toks[i])
    }

    /// False when full (cannot happen: levels strictly increase).
    fn push(&mut self, tok: Token) -> bool {
        if self.len == MAX_PARTS {
            return false;
        }
        self.toks[self.len] = tok;
        self.len += 1;
        true
    }
}

fn can_start(tok: &Token) -> bool {
    !matches!(
        tok.kind,
        Kind::Paren | Kind::Minute(_) | Kind::Second(_) | Kind::Colon(..)
    )
}

/// Whether `next` continues the expression ending with `prev`: only spaces between them (a
/// numeric date may keep its final dot) and a part that may follow.
fn joins(text: &str, prev: &Token, next: &Token) -> bool {
    if next.rel.is_some() || level(next.kind) <= level(prev.kind) {
        return false;
    }
    let mut gap = &text[prev.end..next.start];
    if matches!(prev.kind, Kind::Numeric(..)) {
        gap = gap.strip_prefix('.').unwrap_or(gap);
    }
    if !gap.bytes().all(|b| b == b' ' || b == b'\t') {
        return false;
    }
    use Kind::*;
    match (prev.kind, next.kind) {
        (YearNum(_) | YearRel(_), MonthNum(_)) => true,
        (MonthNum(_) | ThisYearMonth(_) | MonthRel(_), DayNum(_)) => true,
        (DayNum(_) | DayRel(..) | Numeric(..) | Week, Weekday(_)) => true,
        (DayNum(_) | Numeric(..), Paren) => true,
        (
            DayNum(_) | DayRel(..) | Numeric(..) | Week | Weekday(_) | Paren,
            Pod(_) | Hour(..) | Colon(..) | Noon,
        ) => true,
        (Pod(_), Hour(..) | Colon(..)) => true,
        (Hour(_, half), Minute(_)) => !half,
        (Minute(_), Second(_)) => true,
        _ => false,
    }
}

/// The state of one `find` call.
struct Scan<'t> {
    text: &'t str,
    anchor: Option<Ymd>,
    out: Vec<DateMention>,
    prev: Option<Prev>,
}

/// The last mention found, for the one after a range or list connector (`8일 밤부터 9일 새벽`).
#[derive(Clone, Copy)]
struct Prev {
    end: usize,
    date: Option<Ymd>,
    /// 24-hour.
    hour: Option<u32>,
}

impl Scan<'_> {
    /// Checks, trims and resolves the expression, records it if it survives, and empties it.
    fn finish(&mut self, expr: &mut Expr) {
        let text = self.text;
        let len = std::mem::take(&mut expr.len);
        if len == 0 {
            return;
        }
        let toks = &mut expr.toks[..len];
        // A marker inside a word is part of that word (`다가오는 15일`), not of the date.
        if toks[0].rel.is_some() && !starts_word(text, toks[0].start) {
            toks[0].rel = None;
            toks[0].start = toks[0].core;
        }
        if !starts_word(text, toks[0].start) || recurring_before(text, toks[0].start) {
            return;
        }
        let Some(n) = trim(text, toks) else {
            return;
        };
        let toks = &toks[..n];
        // A part of day needs a day before it or a clock after it.
        if matches!(toks[0].kind, Kind::Pod(_)) && !toks.iter().any(|t| is_clock(t.kind)) {
            return;
        }
        if !toks.iter().all(|t| t.valid) {
            return;
        }
        let Some(sem) = Sem::read(toks) else {
            return;
        };
        let (start, end) = (toks[0].start, toks[n - 1].end);
        let after = self.prev.filter(|p| is_connector(&text[p.end..start]));
        let resolved = self.anchor.and_then(|d| sem.resolve(d, after.as_ref()));
        self.prev = Some(Prev {
            end,
            date: match resolved {
                Some((When::Day(date), _)) => Some(date),
                _ => None,
            },
            hour: resolved.and_then(|(_, clock)| clock).map(|(h, _)| h),
        });
        self.out.push(DateMention {
            start,
            end,
            resolved: resolved.map(|(when, clock)| format_resolution(when, clock)),
        });
    }
}

/// Whether `gap` joins two mentions as a range or a list (`~`, `부터`, `과`), after an optional
/// parenthesis the first one left out (`21일(금)부터 23일`).
fn is_connector(gap: &str) -> bool {
    let mut gap = gap.trim_start_matches([' ', '\t']);
    if gap.starts_with('(') {
        match gap.find(')') {
            Some(close) => gap = &gap[close + 1..],
            None => return false,
        }
    }
    matches!(
        gap.trim_matches([' ', '\t']),
        "~" | "∼"
            | "～"
            | "-"
            | "–"
            | "부터"
            | "에서"
            | "과"
            | "와"
            | "및"
            | "또는"
            | "이나"
            | "나"
    )
}

fn format_resolution(when: When, clock: Option<(u32, u32)>) -> String {
    let mut s = match when {
        When::Year(y) => format!("{y:04}"),
        When::Month(y, m) => format!("{y:04}-{m:02}"),
        When::Day(ymd) => format!("{:04}-{:02}-{:02}", ymd.y, ymd.m, ymd.d),
    };
    if let Some((h, m)) = clock {
        use std::fmt::Write;
        let _ = write!(s, "T{h:02}:{m:02}");
    }
    s
}

/// Drops trailing parts that are not part of the date (a final parenthesis, a unit that is a
/// duration or the start of another word); the number of parts kept, None if none is.
fn trim(text: &str, toks: &mut [Token]) -> Option<usize> {
    let mut n = toks.len();
    // `지난`/`오는` or a month before the day makes it a calendar day, so `전`, `후` after it are
    // ordinary words (`10월 15일 전까지`), not "N days ago".
    let calendar_day = toks[0].rel.is_some()
        || toks.iter().any(|t| {
            matches!(
                t.kind,
                Kind::MonthNum(_) | Kind::ThisYearMonth(_) | Kind::MonthRel(_)
            )
        });
    while n > 0 {
        let last = &mut toks[n - 1];
        if last.kind == Kind::Paren {
            n -= 1;
            continue;
        }
        if tail_ok(text, last, calendar_day) {
            return Some(n);
        }
        if let Kind::Hour(h, true) = last.kind {
            last.kind = Kind::Hour(h, false);
            last.end = last.short_end;
            continue;
        }
        // A clock followed by a duration marker is a duration as a whole (`3시 30분 동안`).
        if is_clock(last.kind) {
            while n > 0 && is_clock(toks[n - 1].kind) {
                n -= 1;
            }
        } else {
            n -= 1;
        }
    }
    None
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// The Hangul syllables at the start of `s`.
fn hangul_prefix(s: &str) -> &str {
    let end = s.find(|c: char| !is_hangul(c)).unwrap_or(s.len());
    &s[..end]
}

/// Particles, copulas and date suffixes that may follow a date directly.
const PARTICLES: &[&str] = &[
    "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "으로", "만", "부터",
    "까지", "께", "쯤", "경", "엔", "처럼", "보다", "마저", "조차", "인", "였", "다", "라", "나",
    "랑", "하고", "중", "말", "초", "무렵", "대비", "뿐",
];

/// After `낮` only these: 낮은, 낮다, 낮게, 낮춘 are "low".
const DAYTIME_PARTICLES: &[&str] = &[
    "에", "엔", "부터", "까지", "께", "쯤", "경", "의", "이었", "이다", "인", "으로", "중",
];

fn starts_with_any(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.starts_with(w))
}

/// `word` is `base` alone or followed by a particle (`전에`, `동안의`, `만에`).
fn word_is(word: &str, base: &str) -> bool {
    word.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || starts_with_any(rest, PARTICLES))
}

/// Duration markers as the next word after a day (`3일 동안`, `3일 전`).
const DAY_DURATION: &[&str] = &[
    "동안", "간", "째", "만", "전", "후", "뒤", "이내", "내", "내내", "이상", "이하", "미만",
    "초과", "넘게", "남짓", "가량", "정도", "연속", "사이", "만큼", "안팎", "여", "치",
];
/// Those that stay durations after a calendar day (`10월 3일간`, `지난 3일 동안`).
const CALENDAR_DAY_DURATION: &[&str] = &["동안", "간", "째", "만", "연속", "내내"];
const YEAR_DURATION: &[&str] = &["동안", "간", "째", "만", "전", "후", "뒤"];
const CLOCK_DURATION: &[&str] = &[
    "동안", "간", "째", "만", "넘게", "남짓", "내내", "가량", "이상", "이내", "여",
];
/// After `N일 전`, a title makes `전` "former" (`15일 전 대통령`).
const TITLES: &[&str] = &[
    "대통령",
    "장관",
    "대표",
    "총리",
    "의원",
    "회장",
    "위원장",
    "사장",
    "시장",
    "지사",
    "차관",
    "청장",
    "총장",
    "감독",
    "의장",
    "실장",
    "국장",
    "부총리",
    "원장",
];

/// Whether what follows `tok` leaves it a date.
fn tail_ok(text: &str, tok: &Token, calendar_day: bool) -> bool {
    let rest = &text[tok.end..];
    if matches!(tok.kind, Kind::Numeric(..) | Kind::Colon(..)) && continues_number(rest) {
        return false;
    }
    let attached = hangul_prefix(rest);
    if !attached.is_empty() {
        return match tok.kind {
            Kind::DayNum(_) => {
                // 만 (5일만에), 이내, 이상, 이하 start like particles but mark a duration.
                (!starts_with_any(attached, &["만", "이내", "이상", "이하"])
                    && starts_with_any(attached, PARTICLES))
                    || starts_with_any(attached, &["자", "날"])
            }
            Kind::Week => !attached.starts_with('말') && starts_with_any(attached, PARTICLES),
            Kind::Weekday(_) => {
                !attached.starts_with("마다") && starts_with_any(attached, PARTICLES)
            }
            Kind::Pod(Pod::Daytime) => starts_with_any(attached, DAYTIME_PARTICLES),
            _ => starts_with_any(attached, PARTICLES),
        };
    }
    let next = rest.trim_start_matches([' ', '\t']);
    if next.len() == rest.len() {
        return true;
    }
    let word = hangul_prefix(next);
    if word.is_empty() {
        return true;
    }
    let durations: &[&str] = match tok.kind {
        Kind::DayNum(_) if calendar_day => CALENDAR_DAY_DURATION,
        Kind::DayNum(1) if word_is(word, "평균") => return false,
        Kind::DayNum(_) => {
            if word == "전" {
                let after = next[word.len()..].trim_start_matches(' ');
                if starts_with_any(after, TITLES) {
                    return true;
                }
            }
            DAY_DURATION
        }
        Kind::YearNum(_) => YEAR_DURATION,
        k if is_clock(k) => CLOCK_DURATION,
        _ => return true,
    };
    !durations.iter().any(|d| word_is(word, d))
}

/// A digit, or a separator and a digit: the numeric date or time is part of a longer number.
fn continues_number(rest: &str) -> bool {
    let b = rest.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_digit() => true,
        Some(b'.' | b'-' | b'/' | b':') => b.get(1).is_some_and(u8::is_ascii_digit),
        _ => false,
    }
}

/// Whether a date may start at `pos`: not inside a word or a number.
fn starts_word(text: &str, pos: usize) -> bool {
    let mut before = text[..pos].chars().rev();
    match before.next() {
        None => true,
        Some(c) if is_letter(c) => false,
        // 1.5일, 1,000년
        Some('.' | ',') => !before.next().is_some_and(|c| c.is_ascii_digit()),
        Some(_) => true,
    }
}

/// A recurrence word before the expression: `매주 토요일` is no particular day.
fn recurring_before(text: &str, pos: usize) -> bool {
    const RECURRING: &[&str] = &[
        "매일", "매주", "매달", "매월", "매년", "매해", "매번", "격주", "격월", "평일", "주중",
        "주말",
    ];
    let before = &text[..pos];
    let trimmed = before.trim_end_matches([' ', '\t']);
    if trimmed.len() == before.len() {
        return false;
    }
    RECURRING.iter().any(|w| {
        trimmed
            .strip_suffix(w)
            .is_some_and(|head| !head.chars().next_back().is_some_and(is_letter))
    })
}

// ---------------------------------------------------------------------------------------------
// Meaning and resolution

/// What the parts of an expression say, ready to resolve.
#[derive(Default)]
struct Sem {
    rel: Option<Rel>,
    year: Option<Year>,
    month: Option<Month>,
    day: Option<Day>,
    pod: Option<Pod>,
    /// Hour as written, minute.
    clock: Option<(u32, u32)>,
}

#[derive(Clone, Copy)]
enum Year {
    Abs(i32),
    Rel(i32),
}

#[derive(Clone, Copy)]
enum Month {
    Abs(u32),
    Rel(i32),
}

#[derive(Clone, Copy)]
enum Day {
    Num(u32),
    Rel(i32),
    Date(Ymd),
    Week,
    Weekday(u32),
}

impl Sem {
    /// None when the parts name no calendar date or time (`2월 30일`, `오전 15시`).
    fn read(toks: &[Token]) -> Option<Sem> {
        let mut sem = Sem {
            rel: toks[0].rel,
            ..Sem::default()
        };
        for t in toks {
            match t.kind {
                Kind::YearNum(y) => sem.year = Some(Year::Abs(y as i32)),
                Kind::YearRel(k) => sem.year = Some(Year::Rel(k)),
                Kind::MonthNum(m) => sem.month = Some(Month::Abs(m)),
                Kind::ThisYearMonth(m) => {
                    sem.year = Some(Year::Rel(0));
                    sem.month = Some(Month::Abs(m));
                }
                Kind::MonthRel(k) => sem.month = Some(Month::Rel(k)),
                Kind::DayNum(d) => sem.day = Some(Day::Num(d)),
                Kind::DayRel(k, night) => {
                    sem.day = Some(Day::Rel(k));
                    if night {
                        sem.pod = Some(Pod::Night);
                    }
                }
                Kind::Numeric(y, m, d) => {
                    let date = Ymd::new(y as i32, m, d)?;
                    sem.day = Some(Day::Date(date));
                }
                Kind::Week => sem.day = Some(Day::Week),
                Kind::Weekday(w) => {
                    if sem.day.is_none() {
                        sem.day = Some(Day::Weekday(w));
                    }
                }
                Kind::Paren => {}
                Kind::Pod(p) => sem.pod = Some(p),
                Kind::Hour(h, half) => sem.clock = Some((h, if half { 30 } else { 0 })),
                Kind::Minute(m) => {
                    if let Some(clock) = &mut sem.clock {
                        clock.1 = m;
                    }
                }
                Kind::Second(_) => {}
                Kind::Colon(h, m) => sem.clock = Some((h, m)),
                Kind::Noon => sem.clock = Some((12, 0)),
            }
        }
        if let (Some(Month::Abs(m)), Some(Day::Num(d))) = (sem.month, sem.day) {
            let max = match sem.year {
                Some(Year::Abs(y)) => days_in_month(y, m),
                _ => days_in_month(2000, m),
            };
            if d > max {
                return None;
            }
        }
        if sem.clock.is_some() {
            sem.hour24()?;
        }
        Some(sem)
    }

    /// The clock's hour on a 24-hour clock, given the part of day.
    fn hour24(&self) -> Option<u32> {
        let (h, _) = self.clock?;
        let h = match self.pod {
            None => h,
            Some(Pod::Morning) => match h {
                12 => 0,
                0..=11 => h,
                _ => return None,
            },
            Some(Pod::Afternoon) => match h {
                1..=11 => h + 12,
                _ => h,
            },
            Some(Pod::Night) => match h {
                12 => 0,
                6..=11 => h + 12,
                _ => h,
            },
            Some(Pod::Daytime) => match h {
                1..=6 => h + 12,
                _ => h,
            },
        };
        Some(h)
    }

    /// The date and the 24-hour clock, against article date `d`; `after` is the mention this
    /// one continues as the end of a range or the next item of a list.
    fn resolve(&self, d: Ymd, after: Option<&Prev>) -> Option<(When, Option<(u32, u32)>)> {
        let clock = match self.clock {
            None => None,
            Some((_, minute)) => Some((self.hour24()?, minute)),
        };
        let bare = self.year.is_none() && self.month.is_none() && self.rel.is_none();
        if let (Some(p), true) = (after, bare) {
            match (self.day, p.date) {
                // `오후 6시~8시`: the same day, and the reading of the hour that does not go back
                // in time (20:00; `오전 10시~12시` stays 12:00).
                (None, Some(date)) if self.pod.is_none() => {
                    if let (Some((h, m)), Some(from)) = (clock, p.hour) {
                        let h = if h < from && h + 12 >= from && h < 12 {
                            h + 12
                        } else {
                            h
                        };
                        return Some((When::Day(date), Some((h, m))));
                    }
                }
                // `8월 8일 밤부터 9일 새벽`: the first day N from the previous date on.
                (Some(Day::Num(n)), Some(date)) => {
                    let day = (0..12)
                        .filter_map(|k| {
                            let (y, m) = add_months(date.y, date.m, k);
                            Ymd::new(y, m, n)
                        })
                        .find(|c| *c >= date)?;
                    return Some((When::Day(day), clock));
                }
                _ => {}
            }
        }
        let when = self.when(d)?;
        // Only days (or nothing, which is D) carry a clock: the grammar puts none after a month.
        if clock.is_some() && !matches!(when, When::Day(_)) {
            return None;
        }
        Some((when, clock))
    }

    fn when(&self, d: Ymd) -> Option<When> {
        let year = self.year.map(|y| match y {
            Year::Abs(y) => y,
            Year::Rel(k) => d.y + k,
        });
        let day = match self.day {
            None => None,
            Some(Day::Date(date)) => return Some(When::Day(date)),
            Some(Day::Rel(k)) => return Some(When::Day(d.add_days(k))),
            Some(Day::Week) => return None,
            Some(Day::Weekday(w)) => {
                return match self.rel {
                    Some(Rel::Past) => {
                        Some(When::Day(d.add_days(-1 - (d.weekday() + 6 - w) as i32 % 7)))
                    }
                    Some(Rel::Next) => {
                        Some(When::Day(d.add_days(1 + (w + 6 - d.weekday()) as i32 % 7)))
                    }
                    _ => None,
                };
            }
            Some(Day::Num(n)) => Some(n),
        };
        match (year, self.month, day) {
            (_, None, None) => year.map(When::Year).or(Some(When::Day(d))),
            (Some(y), Some(Month::Abs(m)), None) => Some(When::Month(y, m)),
            (Some(y), Some(Month::Abs(m)), Some(n)) => Ymd::new(y, m, n).map(When::Day),
            (None, Some(Month::Abs(m)), None) => Some(match self.rel {
                Some(Rel::Past) if m > d.m => When::Month(d.y - 1, m),
                Some(Rel::Next) if m <= d.m => When::Month(d.y + 1, m),
                _ => When::Month(d.y, m),
            }),
            (None, Some(Month::Abs(m)), Some(n)) => match self.rel {
                Some(Rel::Past) => (0..8)
                    .filter_map(|k| Ymd::new(d.y - k, m, n))
                    .find(|c| *c <= d)
                    .map(When::Day),
                Some(Rel::Next) => (0..9)
                    .filter_map(|k| Ymd::new(d.y + k, m, n))
                    .find(|c| *c > d)
                    .map(When::Day),
                _ => Ymd::new(d.y, m, n).map(When::Day),
            },
            (None, Some(Month::Rel(k)), day) => {
                let (y, m) = add_months(d.y, d.m, k);
                match day {
                    None => Some(When::Month(y, m)),
                    Some(n) => Ymd::new(y, m, n).map(When::Day),
                }
            }
            (None, None, Some(n)) => match self.rel {
                Some(Rel::Past) => (0..12)
                    .filter_map(|k| {
                        let (y, m) = add_months(d.y, d.m, -k);
                        Ymd::new(y, m, n)
                    })
                    .find(|c| *c <= d)
                    .map(When::Day),
                Some(Rel::Next) => (0..12)
                    .filter_map(|k| {
                        let (y, m) = add_months(d.y, d.m, k);
                        Ymd::new(y, m, n)
                    })
                    .find(|c| *c > d)
                    .map(When::Day),
                _ => Ymd::new(d.y, d.m, n).map(When::Day),
            },
            // The grammar admits no other combination (a year before a relative month or a day).
            _ => None,
        }
    }
}

#[derive(Clone, Copy)]
enum When {
    Year(i32),
    Month(i32, u32),
    Day(Ymd),
}

// ---------------------------------------------------------------------------------------------
// Calendar

/// A valid proleptic Gregorian date; field order makes the derived ordering chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Ymd {
    y: i32,
    m: u32,
    d: u32,
}

impl Ymd {
    fn new(y: i32, m: u32, d: u32) -> Option<Ymd> {
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some(Ymd { y, m, d })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    fn days(self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn from_days(z: i64) -> Ymd {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        Ymd { y, m, d }
    }

    fn add_days(self, k: i32) -> Ymd {
        Ymd::from_days(self.days() + i64::from(k))
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    fn weekday(self) -> u32 {
        (self.days() + 3).rem_euclid(7) as u32
    }
}

/// Every ISO date from `first` to `last`, both included (empty when either is not a date or
/// `last` comes first): the days of a timeline, gaps included.
pub fn days_between(first: &str, last: &str) -> Vec<String> {
    let (Some(a), Some(b)) = (day_number(first), day_number(last)) else {
        return Vec::new();
    };
    (a..=b).map(iso_day).collect()
}

/// Days since 1970-01-01 of an ISO `YYYY-MM-DD` date (a time after it is ignored), or `None`
/// when it is not a valid date: the calendar arithmetic the charts' date axes share.
pub fn day_number(iso: &str) -> Option<i64> {
    parse_article_date(iso).map(Ymd::days)
}

/// The day a news word for "that day" names, against the article's date (`YYYY-MM-DD`):
/// `이날`/`당일` the article's day, `전날` the day before, `다음날`/`다음 날`/`이튿날` the day
/// after. The date grammar leaves these words alone (they refer back, and the rules do not mark
/// them); the tagger marks them as KLUE does, and this resolves them as a reporter means them.
pub fn anaphoric_day(word: &str, article_date: &str) -> Option<String> {
    let shift = match word {
        "이날" | "당일" => 0,
        "전날" => -1,
        "다음날" | "다음 날" | "이튿날" => 1,
        _ => return None,
    };
    day_number(article_date).map(|d| iso_day(d + shift))
}

/// The ISO `YYYY-MM-DD` of a [`day_number`].
pub fn iso_day(days: i64) -> String {
    let Ymd { y, m, d } = Ymd::from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn is_leap(y: i32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn add_months(y: i32, m: u32, k: i32) -> (i32, u32) {
    let total = y * 12 + (m as i32 - 1) + k;
    (total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

/// `YYYY-MM-DD` (anything after the date, such as a time, is ignored).
fn parse_article_date(s: &str) -> Option<Ymd> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || b.get(10).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = num(0..4)?;
    // The same range as years in the text, so that offsets stay four-digit years.
    if !(1000..=2999).contains(&year) {
        return None;
    }
    Ymd::new(year as i32, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_reject_garbage() {
        for date in [
            "1970-01-01",
            "2022-10-15",
            "2024-02-29",
            "2000-12-31",
            "1999-03-01",
        ] {
            assert_eq!(iso_day(day_number(date).unwrap()), date);
        }
        assert_eq!(
            day_number("2022-10-16").unwrap() - day_number("2022-10-15").unwrap(),
            1
        );
        assert_eq!(day_number("2022-10-17T09:00"), day_number("2022-10-17"));
        for bad in ["", "2022-1-5", "20221015", "2022-13-01", "abcd-ef-gh"] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_between_spans_months_and_gaps() {
        assert_eq!(
            days_between("2024-02-28", "2024-03-01"),
            ["2024-02-28", "2024-02-29", "2024-03-01"]
        );
        assert_eq!(days_between("2022-10-15", "2022-10-15"), ["2022-10-15"]);
        assert!(days_between("2022-10-16", "2022-10-15").is_empty());
        assert!(days_between("", "2022-10-15").is_empty());
    }
    use std::sync::OnceLock;

    fn finder() -> &'static DateFinder {
        static F: OnceLock<DateFinder> = OnceLock::new();
        F.get_or_init(DateFinder::new)
    }

    /// (surface, resolution) of every mention.
    fn found(text: &str, date: Option<&str>) -> Vec<(String, Option<String>)> {
        finder()
            .find(text, date)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.resolved))
            .collect()
    }

    fn surfaces(text: &str) -> Vec<String> {
        found(text, None).into_iter().map(|(s, _)| s).collect()
    }

    /// The one mention of `text` (its surface and resolution against `date`).
    fn one(text: &str, date: &str) -> (String, Option<String>) {
        let all = found(text, Some(date));
        assert_eq!(all.len(), 1, "{text:?}: {all:?}");
        all.into_iter().next().unwrap()
    }

    const D: &str = "2022-10-17";

    #[track_caller]
    fn check(text: &str, surface: &str, resolved: Option<&str>) {
        let (s, r) = one(text, D);
        assert_eq!(s, surface, "{text:?}");
        assert_eq!(r.as_deref(), resolved, "{text:?}");
    }

    #[track_caller]
    fn none(text: &str) {
        assert_eq!(found(text, Some(D)), vec![], "{text:?}");
    }

    // --- forms --------------------------------------------------------------------------

    #[test]
    fn full_korean_date() {
        check(
            "2022년 10월 15일 발생한",
            "2022년 10월 15일",
            Some("2022-10-15"),
        );
        check("2022년10월15일에", "2022년10월15일", Some("2022-10-15"));
        check("2021년 3월 1일부터", "2021년 3월 1일", Some("2021-03-01"));
    }

    #[test]
    fn numeric_dates() {
        check("2022.10.15 발생", "2022.10.15", Some("2022-10-15"));
        check("2022-10-15에", "2022-10-15", Some("2022-10-15"));
        check("2022/1/5 기준", "2022/1/5", Some("2022-01-05"));
        // The final dot is punctuation, outside the span.
        check(
            "지난 2022. 10. 15. 카카오",
            "2022. 10. 15",
            Some("2022-10-15"),
        );
        check("(2020.2.29)", "2020.2.29", Some("2020-02-29"));
    }

    #[test]
    fn numeric_dates_that_are_other_numbers() {
        none("버전 2022.10.15.3 배포");
        none("192.2022.10.15");
        none("2022.10.150");
        none("2022.13.01");
        none("2023.2.29");
        none("2022-10");
        none("10.15");
    }

    #[test]
    fn numeric_date_with_time() {
        check(
            "2022-10-15 14:30 발생",
            "2022-10-15 14:30",
            Some("2022-10-15T14:30"),
        );
        check(
            "2022. 10. 15. 오후 3시",
            "2022. 10. 15. 오후 3시",
            Some("2022-10-15T15:00"),
        );
    }

    #[test]
    fn month_day() {
        check("10월 15일 오후", "10월 15일 오후", Some("2022-10-15"));
        check("1월 5일에는", "1월 5일", Some("2022-01-05"));
        check("12월 31일까지", "12월 31일", Some("2022-12-31"));
    }

    #[test]
    fn bare_day() {
        check("15일 밝혔다", "15일", Some("2022-10-15"));
        check("31일에", "31일", Some("2022-10-31"));
        check("1일부터", "1일", Some("2022-10-01"));
    }

    #[test]
    fn relative_days_with_markers() {
        check("지난 15일 발생", "지난 15일", Some("2022-10-15"));
        check("오는 24일 열린다", "오는 24일", Some("2022-10-24"));
        check("지난달 15일", "지난달 15일", Some("2022-09-15"));
        check("이달 20일", "이달 20일", Some("2022-10-20"));
        check("다음 달 5일", "다음 달 5일", Some("2022-11-05"));
        check("내달 5일", "내달 5일", Some("2022-11-05"));
    }

    #[test]
    fn day_words() {
        check("오늘 발표", "오늘", Some("2022-10-17"));
        check("어제 새벽", "어제 새벽", Some("2022-10-16"));
        check("그제 밤", "그제 밤", Some("2022-10-15"));
        check("그저께", "그저께", Some("2022-10-15"));
        check("내일 오전", "내일 오전", Some("2022-10-18"));
        check("모레", "모레", Some("2022-10-19"));
        check("글피", "글피", Some("2022-10-20"));
        check("어젯밤 11시", "어젯밤 11시", Some("2022-10-16T23:00"));
        check("오늘밤", "오늘밤", Some("2022-10-17"));
        check("금일 오후", "금일 오후", Some("2022-10-17"));
        check("명일", "명일", Some("2022-10-18"));
    }

    #[test]
    fn part_of_day_with_day() {
        check("15일 오후 들어", "15일 오후", Some("2022-10-15"));
        check("15일 새벽 사이", "15일 새벽", Some("2022-10-15"));
        check("15일 낮에", "15일 낮", Some("2022-10-15"));
        check("16일 자정", "16일 자정", Some("2022-10-16"));
        check("12월 31일 자정", "12월 31일 자정", Some("2022-12-31"));
    }

    #[test]
    fn clock_times() {
        check("오후 3시 33분께", "오후 3시 33분", Some("2022-10-17T15:33"));
        check("3시 33분께", "3시 33분", Some("2022-10-17T03:33"));
        check("오전 9시", "오전 9시", Some("2022-10-17T09:00"));
        check("15시 30분", "15시 30분", Some("2022-10-17T15:30"));
        check("오후 3시 반쯤", "오후 3시 반", Some("2022-10-17T15:30"));
        check(
            "오후 3시 20분 10초",
            "오후 3시 20분 10초",
            Some("2022-10-17T15:20"),
        );
        check("정오께", "정오", Some("2022-10-17T12:00"));
        check("0시 기준", "0시", Some("2022-10-17T00:00"));
        check("오후 3:30", "오후 3:30", Some("2022-10-17T15:30"));
        check("3시경", "3시", Some("2022-10-17T03:00"));
    }

    #[test]
    fn part_of_day_hours() {
        for (text, time) in [
            ("오전 12시", "00:00"),
            ("오후 12시", "12:00"),
            ("오후 12시 30분", "12:30"),
            ("오후 11시", "23:00"),
            ("오후 15시", "15:00"),
            ("새벽 2시", "02:00"),
            ("아침 8시", "08:00"),
            ("낮 12시", "12:00"),
            ("낮 2시", "14:00"),
            ("저녁 7시", "19:00"),
            ("밤 10시", "22:00"),
            ("밤 12시", "00:00"),
            ("밤 1시", "01:00"),
            ("심야 11시", "23:00"),
        ] {
            let (_, r) = one(text, D);
            assert_eq!(r, Some(format!("2022-10-17T{time}")), "{text}");
        }
    }

    #[test]
    fn day_and_time_are_one_span() {
        check(
            "15일 오후 3시 33분께 불이 났다",
            "15일 오후 3시 33분",
            Some("2022-10-15T15:33"),
        );
        check(
            "지난 15일 오후 3시",
            "지난 15일 오후 3시",
            Some("2022-10-15T15:00"),
        );
        check("어제 오후 2시", "어제 오후 2시", Some("2022-10-16T14:00"));
        check("15일 14:05", "15일 14:05", Some("2022-10-15T14:05"));
        check("15일 정오", "15일 정오", Some("2022-10-15T12:00"));
        check(
            "2022년 10월 15일 오후 3시 33분",
            "2022년 10월 15일 오후 3시 33분",
            Some("2022-10-15T15:33"),
        );
    }

    #[test]
    fn years_and_months() {
        check("지난해 매출", "지난해", Some("2021"));
        check("지난 해 매출", "지난 해", Some("2021"));
        check("작년", "작년", Some("2021"));
        check("재작년", "재작년", Some("2020"));
        check("올해", "올해", Some("2022"));
        check("금년", "금년", Some("2022"));
        check("내년", "내년", Some("2023"));
        check("내후년", "내후년", Some("2024"));
        check("지난달", "지난달", Some("2022-09"));
        check("이달", "이달", Some("2022-10"));
        check("이번 달", "이번 달", Some("2022-10"));
        check("다음 달", "다음 달", Some("2022-11"));
        check("다음달", "다음달", Some("2022-11"));
        check("3월", "3월", Some("2022-03"));
        check("2022년", "2022년", Some("2022"));
        check("1950년 6월", "1950년 6월", Some("1950-06"));
        check("지난해 10월", "지난해 10월", Some("2021-10"));
        check("내년 1월 1일", "내년 1월 1일", Some("2023-01-01"));
        check("올 3월", "올 3월", Some("2022-03"));
        check("올 3월 15일", "올 3월 15일", Some("2022-03-15"));
        check("지난 2020년", "지난 2020년", Some("2020"));
        check("2022년 10월 현재", "2022년 10월", Some("2022-10"));
        check("10월 중순", "10월", Some("2022-10"));
        check("올해 상반기", "올해", Some("2022"));
    }

    #[test]
    fn relative_months() {
        check("지난 3월", "지난 3월", Some("2022-03"));
        check("지난 11월", "지난 11월", Some("2021-11"));
        check("오는 11월", "오는 11월", Some("2022-11"));
        check("오는 3월", "오는 3월", Some("2023-03"));
        check("지난 10월 20일", "지난 10월 20일", Some("2021-10-20"));
        check("오는 10월 1일", "오는 10월 1일", Some("2023-10-01"));
        check("지난 10월 17일", "지난 10월 17일", Some("2022-10-17"));
    }

    #[test]
    fn weeks_stay_unresolved() {
        check("지난주", "지난주", None);
        check("지난 주", "지난 주", None);
        check("이번 주", "이번 주", None);
        check("이번주에", "이번주", None);
        check("다음 주", "다음 주", None);
        check("지난주 금요일 오후", "지난주 금요일 오후", None);
        check("다음 주 월요일 오전 10시", "다음 주 월요일 오전 10시", None);
    }

    #[test]
    fn weekdays() {
        // 2022-10-17 is a Monday.
        check("지난 토요일", "지난 토요일", Some("2022-10-15"));
        check("지난 월요일", "지난 월요일", Some("2022-10-10"));
        check("오는 월요일", "오는 월요일", Some("2022-10-24"));
        check("오는 금요일", "오는 금요일", Some("2022-10-21"));
        check("토요일에", "토요일", None);
        check("이번 토요일", "이번 토요일", None);
        check("15일 토요일", "15일 토요일", Some("2022-10-15"));
        none("매주 토요일");
        none("토요일마다");
    }

    #[test]
    fn weekday_in_parentheses() {
        check("15일(토) 열린", "15일", Some("2022-10-15"));
        check("15일(토요일) 열린", "15일", Some("2022-10-15"));
        check("15일(현지시간) 밝혔다", "15일", Some("2022-10-15"));
        check("15일(현지 시각) 밝혔다", "15일", Some("2022-10-15"));
        check("15일(한국시간) 밝혔다", "15일", Some("2022-10-15"));
        check(
            "15일(토) 오후 3시",
            "15일(토) 오후 3시",
            Some("2022-10-15T15:00"),
        );
        check("오후 3시(현지시간)", "오후 3시", Some("2022-10-17T15:00"));
        check("2022.10.15(토)", "2022.10.15", Some("2022-10-15"));
    }

    // --- non-dates -------------------------------------------------------------------------

    #[test]
    fn durations_are_not_dates() {
        for text in [
            "3일간",
            "3일간의 연휴",
            "3일 동안",
            "127시간",
            "5년 만에",
            "5년만에",
            "10년째",
            "1시간 30분",
            "1시간 30분 동안",
            "30분 만에",
            "3일째",
            "3일 만에",
            "3일 전",
            "3일 후",
            "3일 뒤에",
            "7일 이내",
            "7일이내",
            "10일 넘게",
            "3일 연속",
            "2일차",
            "3일여",
            "3일 정도",
            "3시간 동안",
            "3시 30분 동안",
            "20분간",
            "10초",
            "30분",
            "지난 3일간",
            "지난 3일 동안",
            "징역 3년",
            "2000년대",
            "1990년생",
        ] {
            none(text);
        }
    }

    #[test]
    fn duration_after_a_date_keeps_the_date() {
        check("10월 3일간", "10월", Some("2022-10"));
        check("15일 3시간 동안", "15일", Some("2022-10-15"));
        check("15일 오후 3시간", "15일 오후", Some("2022-10-15"));
        check("오후 3시 반대", "오후 3시", Some("2022-10-17T15:00"));
    }

    #[test]
    fn counts_and_rates() {
        none("1일 평균 3만명");
        none("1일평균");
        none("3명");
        none("15일치 물량");
        none("취임 100일");
        none("1분기");
        none("3시즌");
        check("15일 평균 기온", "15일", Some("2022-10-15"));
    }

    #[test]
    fn former_title_is_not_ago() {
        check("15일 전 대통령이", "15일", Some("2022-10-15"));
        check("10월 15일 전까지", "10월 15일", Some("2022-10-15"));
        check("지난 15일 전후", "지난 15일", Some("2022-10-15"));
        check("15일 전국에서", "15일", Some("2022-10-15"));
        check("15일 후보 등록", "15일", Some("2022-10-15"));
        check("15일 내놓은", "15일", Some("2022-10-15"));
    }

    #[test]
    fn words_that_are_not_dates() {
        for text in [
            "이날",
            "당시",
            "최근",
            "현재",
            "주말",
            "이번 주말",
            "지난 주말",
            "지난주말",
            "일일",
            "일부",
            "시간",
            "월급",
            "시민",
            "일본",
            "오늘날",
            "어제오늘",
            "그제야",
            "그제서야",
            "내일신문",
            "오후",
            "오후 들어",
            "밤새",
            "낮은 금리",
            "다음과 같다",
            "지난 시즌",
            "다음 달리기",
            "지난 해외",
            "올림픽",
            "엊그제",
            "전날",
            "정오표",
            "1시간",
        ] {
            none(text);
        }
    }

    #[test]
    fn invalid_values() {
        for text in [
            "10월 32일",
            "13월",
            "25시",
            "24시 편의점",
            "2월 30일",
            "2023년 2월 29일",
            "3시 60분",
            "오전 15시",
            "0일",
            "0월",
            "123일",
            "12345년",
            "999년",
            "10월 32일 오후 3시",
        ] {
            none(text);
        }
    }

    #[test]
    fn word_start_required() {
        none("약2022년");
        none("G20일");
        none("코로나19일");
        none("1.5일");
        none("12022년");
        check("다가오는 15일", "15일", Some("2022-10-15"));
        check("(15일)", "15일", Some("2022-10-15"));
        check("“15일", "15일", Some("2022-10-15"));
        check("10~15일", "15일", Some("2022-10-15"));
    }

    #[test]
    fn particles_outside_the_span() {
        for (text, surface) in [
            ("15일에", "15일"),
            ("15일부터", "15일"),
            ("15일까지", "15일"),
            ("15일자", "15일"),
            ("15일께", "15일"),
            ("어제는", "어제"),
            ("지난해보다", "지난해"),
            ("올해도", "올해"),
            ("10월말", "10월"),
            ("2022년도", "2022년"),
            ("3시쯤", "3시"),
            ("오후 3시에", "오후 3시"),
            ("지난주부터", "지난주"),
            ("오늘의", "오늘"),
            ("이달 중", "이달"),
            ("15일,", "15일"),
            ("15일.", "15일"),
        ] {
            assert_eq!(surfaces(text), vec![surface.to_string()], "{text}");
        }
    }

    #[test]
    fn recurrence_is_no_date() {
        none("매년 3월");
        none("매월 15일");
        none("매일 오후 3시");
        none("평일 오전 9시");
    }

    #[test]
    fn separate_expressions() {
        assert_eq!(surfaces("지난해 15일"), ["지난해", "15일"]);
        assert_eq!(surfaces("어제 오늘"), ["어제", "오늘"]);
        assert_eq!(surfaces("그제(15일)"), ["그제", "15일"]);
        assert_eq!(surfaces("오전 10시~오후 3시"), ["오전 10시", "오후 3시"]);
        assert_eq!(surfaces("15일 16일"), ["15일", "16일"]);
        assert_eq!(surfaces("15일\n오후 3시"), ["15일", "오후 3시"]);
    }

    #[test]
    fn running_text() {
        let text = "카카오는 지난 15일 오후 3시 33분께 경기 성남시 판교 SK C&C 데이터센터에서 \
                    불이 나 127시간 동안 서비스가 멈췄다고 17일 밝혔다. 이날 김범수 의장은 \
                    지난해 10월에도 사과했다. 복구는 오는 24일까지, 보상안은 다음 달 발표한다.";
        assert_eq!(
            found(text, Some(D)),
            vec![
                (
                    "지난 15일 오후 3시 33분".into(),
                    Some("2022-10-15T15:33".into())
                ),
                ("17일".into(), Some("2022-10-17".into())),
                ("지난해 10월".into(), Some("2021-10".into())),
                ("오는 24일".into(), Some("2022-10-24".into())),
                ("다음 달".into(), Some("2022-11".into())),
            ]
        );
    }

    // --- resolution edge cases ---------------------------------------------------------------

    #[test]
    fn past_day_across_months() {
        assert_eq!(
            one("지난 31일", "2023-03-02").1.as_deref(),
            Some("2023-01-31")
        );
        assert_eq!(
            one("지난 30일", "2023-03-01").1.as_deref(),
            Some("2023-01-30")
        );
        assert_eq!(
            one("지난 29일", "2024-03-01").1.as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(
            one("지난 15일", "2022-10-15").1.as_deref(),
            Some("2022-10-15")
        );
        assert_eq!(
            one("지난 20일", "2022-01-05").1.as_deref(),
            Some("2021-12-20")
        );
    }

    #[test]
    fn next_day_across_months_and_years() {
        assert_eq!(
            one("오는 5일", "2022-12-28").1.as_deref(),
            Some("2023-01-05")
        );
        assert_eq!(
            one("오는 15일", "2022-10-15").1.as_deref(),
            Some("2022-11-15")
        );
        assert_eq!(
            one("오는 30일", "2023-01-31").1.as_deref(),
            Some("2023-03-30")
        );
        assert_eq!(
            one("오는 31일", "2022-10-17").1.as_deref(),
            Some("2022-10-31")
        );
    }

    #[test]
    fn relative_words_across_boundaries() {
        assert_eq!(one("어제", "2024-03-01").1.as_deref(), Some("2024-02-29"));
        assert_eq!(one("어제", "2023-03-01").1.as_deref(), Some("2023-02-28"));
        assert_eq!(one("그제", "2023-01-01").1.as_deref(), Some("2022-12-30"));
        assert_eq!(one("내일", "2022-12-31").1.as_deref(), Some("2023-01-01"));
        assert_eq!(one("모레", "2024-02-28").1.as_deref(), Some("2024-03-01"));
        assert_eq!(one("지난달", "2023-01-10").1.as_deref(), Some("2022-12"));
        assert_eq!(one("다음 달", "2022-12-10").1.as_deref(), Some("2023-01"));
        assert_eq!(
            one("지난달 31일", "2023-01-10").1.as_deref(),
            Some("2022-12-31")
        );
        assert_eq!(
            one("지난 토요일", "2022-10-15").1.as_deref(),
            Some("2022-10-08")
        );
        assert_eq!(
            one("오는 토요일", "2022-10-15").1.as_deref(),
            Some("2022-10-22")
        );
        assert_eq!(
            one("어제 밤 11시", "2023-01-01").1.as_deref(),
            Some("2022-12-31T23:00")
        );
    }

    #[test]
    fn days_the_month_lacks_are_unresolved() {
        assert_eq!(one("30일", "2023-02-10").1, None);
        assert_eq!(one("29일", "2023-02-10").1, None);
        assert_eq!(one("29일", "2024-02-10").1.as_deref(), Some("2024-02-29"));
        assert_eq!(one("지난달 31일", "2022-10-17").1, None);
        assert_eq!(one("2월 29일", "2023-05-01").1, None);
        assert_eq!(
            one("2월 29일", "2024-05-01").1.as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(one("30일 오후 3시", "2023-02-10").1, None);
    }

    #[test]
    fn past_and_next_leap_day() {
        assert_eq!(
            one("지난 2월 29일", "2023-05-01").1.as_deref(),
            Some("2020-02-29")
        );
        assert_eq!(
            one("오는 2월 29일", "2023-05-01").1.as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn range_and_list_ends_continue_the_first_mention() {
        let pairs = |text: &str, date: &str| -> Vec<Option<String>> {
            found(text, Some(date))
                .into_iter()
                .map(|(_, r)| r)
                .collect()
        };
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            pairs("25일 오후 6시~8시", D),
            [s("2022-10-25T18:00"), s("2022-10-25T20:00")]
        );
        assert_eq!(
            pairs("오전 10시 ~ 12시", D),
            [s("2022-10-17T10:00"), s("2022-10-17T12:00")]
        );
        assert_eq!(
            pairs("오전 9시부터 5시까지", D),
            [s("2022-10-17T09:00"), s("2022-10-17T17:00")]
        );
        assert_eq!(
            pairs("지난 8월 8일 밤부터 9일 새벽까지", D),
            [s("2022-08-08"), s("2022-08-09")]
        );
        assert_eq!(
            pairs("지난달 30일부터 2일까지", D),
            [s("2022-09-30"), s("2022-10-02")]
        );
        assert_eq!(
            pairs("12월 31일과 1일", "2022-12-01"),
            [s("2022-12-31"), s("2023-01-01")]
        );
        assert_eq!(
            pairs("21일(금)부터 23일(일)까지", D),
            [s("2022-10-21"), s("2022-10-23")]
        );
        // Not a connector, or the second has its own part of day or month: read on its own.
        assert_eq!(
            pairs("8월 8일 밤, 9일", D),
            [s("2022-08-08"), s("2022-10-09")]
        );
        assert_eq!(
            pairs("오후 6시~오전 8시", D),
            [s("2022-10-17T18:00"), s("2022-10-17T08:00")]
        );
        assert_eq!(
            pairs("8월 8일~9월 9일", D),
            [s("2022-08-08"), s("2022-09-09")]
        );
    }

    #[test]
    fn words_for_that_day_resolve_against_the_article() {
        assert_eq!(
            anaphoric_day("이날", "2022-10-16").as_deref(),
            Some("2022-10-16")
        );
        assert_eq!(
            anaphoric_day("전날", "2022-03-01").as_deref(),
            Some("2022-02-28")
        );
        assert_eq!(
            anaphoric_day("이튿날", "2022-12-31").as_deref(),
            Some("2023-01-01")
        );
        assert_eq!(anaphoric_day("이날", ""), None);
        assert_eq!(anaphoric_day("당시", "2022-10-16"), None);
    }

    #[test]
    fn without_article_date_nothing_resolves() {
        let all = found("2022년 10월 15일 오후 3시, 어제, 지난해", None);
        assert_eq!(all.len(), 3);
        assert!(all.iter().all(|(_, r)| r.is_none()));
    }

    #[test]
    fn bad_article_date_is_no_date() {
        for date in [
            "",
            "2022",
            "2022-13-01",
            "2022-02-30",
            "2022/10/15",
            "20221015",
            "가나다",
        ] {
            assert_eq!(
                found("어제", Some(date)),
                vec![("어제".into(), None)],
                "{date}"
            );
        }
        assert_eq!(
            one("어제", "2022-10-17T09:00:00+09:00").1.as_deref(),
            Some("2022-10-16")
        );
    }

    #[test]
    fn calendar_arithmetic() {
        for days in [
            -800_000i64,
            -1,
            0,
            1,
            59,
            60,
            365,
            11_016,
            19_000,
            2_000_000,
        ] {
            assert_eq!(Ymd::from_days(days).days(), days);
        }
        assert_eq!(Ymd::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Ymd::new(2000, 3, 1).unwrap().days(), 11_017);
        assert_eq!(Ymd::new(2022, 10, 17).unwrap().weekday(), 0);
        assert_eq!(add_months(2022, 1, -1), (2021, 12));
        assert_eq!(add_months(2022, 12, 1), (2023, 1));
        assert_eq!(add_months(2022, 3, -27), (2019, 12));
        assert!(is_leap(2000) && is_leap(2024) && !is_leap(1900) && !is_leap(2023));
    }

    // --- offsets -------------------------------------------------------------------------------

    #[test]
    fn offsets_are_bytes_into_the_text() {
        let text = "카카오 먹통은 15일 시작됐다.";
        let m = &finder().find(text, Some(D))[0];
        assert_eq!((m.start, m.end), (20, 25));
        assert_eq!(&text[m.start..m.end], "15일");
    }

    #[test]
    fn finder_is_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<DateFinder>();
        let f = DateFinder::default();
        std::thread::scope(|s| {
            let h = s.spawn(|| f.find("어제", Some(D)));
            assert_eq!(h.join().unwrap().len(), 1);
        });
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_string(text in "\\PC*", date in proptest::option::of("\\PC{0,12}")) {
            check_invariants(&text, date.as_deref());
        }

        /// Strings made of date parts, particles and noise hit the interesting paths far more
        /// often than arbitrary ones.
        #[test]
        fn never_panics_on_date_like_strings(
            parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..24),
            day in 1u32..=28, month in 1u32..=12, year in 1990i32..2040,
        ) {
            let text: String = parts.concat();
            let date = format!("{year:04}-{month:02}-{day:02}");
            check_invariants(&text, Some(&date));
        }
    }

    const FRAGMENTS: &[&str] = &[
        "2022",
        "15",
        "3",
        "0",
        "31",
        "99",
        "12345",
        "년",
        "월",
        "일",
        "시",
        "분",
        "초",
        "반",
        " ",
        "  ",
        ".",
        ". ",
        "-",
        "/",
        ":",
        "~",
        "(",
        ")",
        "(토)",
        "(현지시간)",
        "요일",
        "토",
        "지난",
        "오는",
        "이번",
        "다음",
        "해",
        "달",
        "주",
        "올",
        "올해",
        "지난해",
        "오늘",
        "어제",
        "어젯밤",
        "그제",
        "내일",
        "오후",
        "오전",
        "낮",
        "밤",
        "정오",
        "자정",
        "간",
        "동안",
        "만에",
        "전",
        "대통령",
        "에",
        "은",
        "부터",
        "께",
        "매주",
        "평균",
        "가",
        "a",
        "\n",
        "é",
        "🎉",
    ];

    fn check_invariants(text: &str, date: Option<&str>) {
        let mentions = finder().find(text, date);
        let mut prev_end = 0;
        for m in &mentions {
            assert!(m.start < m.end && m.end <= text.len());
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            assert!(m.start >= prev_end, "overlap or disorder in {text:?}");
            prev_end = m.end;
            let surface = &text[m.start..m.end];
            assert_eq!(surface, surface.trim(), "spaces around {surface:?}");
            if let Some(r) = &m.resolved {
                assert!(resolution_is_valid(r), "{r:?} from {surface:?}");
            }
        }
    }

    fn resolution_is_valid(r: &str) -> bool {
        let (date, time) = match r.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (r, None),
        };
        let parts: Vec<&str> = date.split('-').collect();
        let num = |s: &str| s.parse::<u32>().ok();
        let date_ok = match parts[..] {
            [y] => y.len() == 4 && num(y).is_some(),
            [y, m] => y.len() == 4 && m.len() == 2 && num(m).is_some_and(|m| (1..=12).contains(&m)),
            [y, m, d] => {
                m.len() == 2 && d.len() == 2 && {
                    let ymd = (y.parse::<i32>().ok(), num(m), num(d));
                    matches!(ymd, (Some(y), Some(m), Some(d)) if Ymd::new(y, m, d).is_some())
                }
            }
            _ => false,
        };
        let time_ok = time.is_none_or(|t| {
            parts.len() == 3
                && t.len() == 5
                && t.split_once(':').is_some_and(|(h, m)| {
                    num(h).is_some_and(|h| h <= 23) && num(m).is_some_and(|m| m <= 59)
                })
        });
        date_ok && time_ok
    }

    // --- speed ---------------------------------------------------------------------------------

    /// `cargo test --release -- --ignored --nocapture throughput`
    #[test]
    #[ignore]
    fn throughput() {
        const SENTENCES: &[&str] = &[
            "카카오는 지난 15일 오후 3시 33분께 경기 성남시 분당구 SK C&C 판교 데이터센터에서 불이 나 서비스가 중단됐다고 17일 밝혔다.",
            "이날 과학기술정보통신부는 방송통신위원회와 함께 재난 대응 상황을 점검하고 재발 방지 대책을 마련하기로 했다.",
            "카카오톡과 카카오T, 카카오페이 등 주요 서비스는 127시간 만에 모두 정상화됐으며 피해 접수는 다음 달까지 이어진다.",
            "김범수 카카오 이사회 의장은 19일 기자회견을 열고 \"국민들께 깊이 사과드린다\"며 고개를 숙였다.",
            "업계에서는 데이터센터 이중화 투자가 지난해 대비 30% 이상 늘어야 한다는 지적이 나온다.",
            "정부는 오는 24일 국회 과방위 국정감사에서 관련 자료를 제출할 예정이며, 윤석열 대통령도 이 문제를 언급했다.",
            "소상공인 피해는 1만 2천여 건에 달했고, 일부 택시 기사들은 하루 평균 10만 원 이상의 손실을 봤다고 주장했다.",
            "한편 2022년 10월 현재 국내 데이터센터는 모두 156곳으로, 이 가운데 60%가 수도권에 몰려 있다.",
        ];
        let mut text = String::new();
        let mut i = 0;
        while text.len() < 20 << 20 {
            text.push_str(SENTENCES[i % SENTENCES.len()]);
            text.push(if i % 5 == 4 { '\n' } else { ' ' });
            i += 1;
        }
        let finder = DateFinder::new();
        // Articles are a few KB each; find() is called per article.
        let articles: Vec<&str> = text.split_inclusive('\n').collect();
        let mut best = f64::MAX;
        let mut count = 0;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            count = articles
                .iter()
                .map(|a| finder.find(a, Some("2022-10-17")).len())
                .sum::<usize>();
            best = best.min(t.elapsed().as_secs_f64());
        }
        let mb = text.len() as f64 / 1e6;
        println!(
            "{mb:.1} MB, {} articles, {count} mentions, best {best:.3} s: {:.0} MB/s",
            articles.len(),
            mb / best
        );
    }
}

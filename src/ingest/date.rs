//! Korean news dates.
//!
//! Takes: the raw text of a date field. Gives: an [`ArticleDate`] — `Iso("YYYY-MM-DD")` for the
//! forms Korean portals and archives write, `Missing` for blank text, `Unparsed(trimmed raw)`
//! for anything else. Guarantees: the calendar date is validated (month 1–12, day within the
//! month, leap years), a time part is accepted only when it is itself a valid time, and the time
//! is dropped (no time-zone conversion: a Korean article dated 2022-10-17 KST stays on that day).
//!
//! Date forms: `2022-10-17`, `2022.10.17`, `2022. 10. 17.`, `2022/10/17`, `20221017`,
//! `2022년 10월 17일`, optionally followed by a weekday in parentheses (`(월)`, `(Mon)`) and/or a
//! time: `14:03`, `14:03:22`, `오후 2:03`, `T14:03:22+09:00`, `14:03:22.5Z`.

use std::sync::LazyLock;

use regex::Regex;

use crate::record::ArticleDate;

/// One regex per date shape, each capturing `y`, `m`, `d` and the `rest` (weekday/time).
/// Separate regexes rather than one alternation because the regex crate forbids duplicate group
/// names, and one shape per line is easier to read than numbered groups.
static DATE_SHAPES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?<rest>.*)$",
        r"^(?<y>\d{4})\.\s*(?<m>\d{1,2})\.\s*(?<d>\d{1,2})\.?(?<rest>.*)$",
        r"^(?<y>\d{4})/(?<m>\d{1,2})/(?<d>\d{1,2})(?<rest>.*)$",
        r"^(?<y>\d{4})\s*년\s*(?<m>\d{1,2})\s*월\s*(?<d>\d{1,2})\s*일(?<rest>.*)$",
        // Compact BIGKinds form; `rest` must not continue the digits (checked by REST).
        r"^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})(?<rest>.*)$",
    ]
    .iter()
    .map(|re| Regex::new(re).expect("date regex"))
    .collect()
});

/// What may follow the date: an optional weekday, then an optional time with optional
/// fraction and zone. `T` joins ISO datetimes; otherwise whitespace must separate the time.
static REST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^
        (?:\s*\((?:[월화수목금토일]|[A-Za-z]{3})\))?      # weekday
        (?:(?:T|\s+)
           (?:(?<ampm>오전|오후)\s*)?
           (?<h>\d{1,2}):(?<min>\d{2})(?::(?<s>\d{2})(?:[.,]\d+)?)?
           (?:\s*(?:Z|[+-]\d{2}(?::?\d{2})?))?
        )?
        \s*$",
    )
    .expect("time regex")
});

/// Parses a date field; see the module docs for the accepted forms.
pub fn parse_date(raw: &str) -> ArticleDate {
    let text = raw.trim();
    if text.is_empty() {
        return ArticleDate::Missing;
    }
    match parse_iso(text) {
        Some(iso) => ArticleDate::Iso(iso),
        None => ArticleDate::Unparsed(text.to_string()),
    }
}

fn parse_iso(text: &str) -> Option<String> {
    let caps = DATE_SHAPES.iter().find_map(|re| re.captures(text))?;
    let num = |name: &str| caps[name].parse::<u32>().ok();
    let (y, m, d) = (num("y")?, num("m")?, num("d")?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let rest = REST.captures(&caps["rest"])?;
    if let Some(h) = rest.name("h") {
        let h: u32 = h.as_str().parse().ok()?;
        let min: u32 = rest["min"].parse().ok()?;
        let s: u32 = rest
            .name("s")
            .map_or(Some(0), |s| s.as_str().parse().ok())?;
        let max_hour = if rest.name("ampm").is_some() { 12 } else { 23 };
        if h > max_hour || min > 59 || s > 59 {
            return None;
        }
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> ArticleDate {
        ArticleDate::Iso(s.to_string())
    }

    fn unparsed(s: &str) -> ArticleDate {
        ArticleDate::Unparsed(s.to_string())
    }

    #[test]
    fn date_forms() {
        for raw in [
            "2022-10-17",
            "2022.10.17",
            "2022. 10. 17.",
            "2022. 10. 17",
            "2022/10/17",
            "20221017",
            "2022년 10월 17일",
            "2022년10월17일",
            "2022년 10월 17일 (월)",
            "2022.10.17(월)",
            "  2022-10-17\t",
        ] {
            assert_eq!(parse_date(raw), iso("2022-10-17"), "{raw:?}");
        }
        assert_eq!(parse_date("2022-1-5"), iso("2022-01-05"));
        assert_eq!(parse_date("2022. 1. 5."), iso("2022-01-05"));
    }

    #[test]
    fn dates_with_times() {
        for raw in [
            "2022-10-17 14:03",
            "2022-10-17 14:03:22",
            "2022-10-17T14:03:22",
            "2022-10-17T14:03:22+09:00",
            "2022-10-17T05:03:22Z",
            "2022-10-17T14:03:22.123+0900",
            "2022.10.17 14:03",
            "2022. 10. 17. 오후 2:03",
            "2022. 10. 17. 오전 11:59",
            "2022/10/17 14:03",
            "20221017 14:03",
            "2022년 10월 17일 14:03",
            "2022년 10월 17일 오후 2:03",
            "2022년 10월 17일 (월) 14:03",
            "2022-10-17 (Mon) 14:03:22",
        ] {
            assert_eq!(parse_date(raw), iso("2022-10-17"), "{raw:?}");
        }
    }

    #[test]
    fn leap_years() {
        assert_eq!(parse_date("2024-02-29"), iso("2024-02-29"));
        assert_eq!(parse_date("2000-02-29"), iso("2000-02-29"));
        assert_eq!(parse_date("2023-02-29"), unparsed("2023-02-29"));
        assert_eq!(parse_date("1900-02-29"), unparsed("1900-02-29"));
    }

    #[test]
    fn invalid_dates_are_kept_verbatim() {
        for raw in [
            "2022-13-01",
            "2022-02-30",
            "2022-04-31",
            "2022-00-10",
            "2022-10-00",
            "2022-10-17 25:00",
            "2022-10-17 14:60",
            "2022. 10. 17. 오후 13:00",
            "2022-10-17 14",
            "2022-10-17abc",
            "202210171",
            "2022-10/17",
            "17.10.2022",
            "지난주 월요일",
            "10월 17일",
        ] {
            assert_eq!(parse_date(raw), unparsed(raw), "{raw:?}");
        }
        assert_eq!(parse_date("  2022-13-01 "), unparsed("2022-13-01"));
    }

    #[test]
    fn blank_is_missing() {
        assert_eq!(parse_date(""), ArticleDate::Missing);
        assert_eq!(parse_date(" \t "), ArticleDate::Missing);
    }
}

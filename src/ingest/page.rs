//! Saved portal search-result pages (the text a browser saves from a news search).
//!
//! Takes: the decoded lines of one page. Gives: one record per article block, in page order,
//! with `source` = `path:LINE` of the block's bullet line; date, outlet and URL are absent
//! (the page shows none), unless a body starts with a line that is a complete date.
//!
//! The page looks like this (`·` = space):
//!
//! ```text
//! 최근검색어                      ← chrome at column 0
//! ··• 네이버                      ← recent-search bullet: text follows with no blank line
//! ····2026-02-18
//! ····검색기록 지우기
//! 11,463                          ← result counter, column 0
//! ··• TITLE                       ← article bullet
//!                                 ← blank line
//! ····TITLE                       ← the title repeated (usually; sometimes missing)
//!
//! ····BODY (one or more indented lines)
//! 위로                            ← footer, column 0
//! ```
//!
//! Rules, chosen so that page chrome can never become an article:
//! 1. A *bullet* is a line `^\s*•\s+TITLE$`.
//! 2. An *article block* starts at a bullet whose next line is blank (or the end of the page).
//!    A bullet followed directly by text is page chrome (recent searches list a date and
//!    `검색기록 지우기` right under the bullet) and is skipped with its lines.
//! 3. The block's content is the non-blank lines after the bullet that are indented deeper than
//!    the bullet, up to the next bullet, the footer `위로`, or the first line at the bullet's
//!    indentation or less (page chrome is at column 0, article text is indented under its bullet).
//! 4. A first content line equal to the title is the repeated title and is dropped; the rest,
//!    each trimmed of its layout indentation, joined with `\n`, is the body. A block with no body
//!    left is rejected (`no body under title`).
//! 5. Lines outside blocks are chrome. If a non-blank page has no article block at all, one
//!    rejection for the file says so, rather than yielding nothing.
//!
//! A line that does not decode, or is longer than [`MAX_RECORD_BYTES`] (it is not held in
//! memory), is rejected (in line order) and read as blank, so it cannot change which lines are
//! chrome.

use std::io::BufRead;

use crate::error::Result;
use crate::record::ArticleDate;

use super::date::parse_date;
use super::decode::{read_line_capped, TextDecoder};
use super::fields::Fields;
use super::{record_too_long, FileOut, MAX_RECORD_BYTES};

const FOOTER: &str = "위로";
const NO_BODY: &str = "no body under title";

/// Reads the whole page (pages are small) and emits its records.
pub(crate) fn read(mut reader: impl BufRead, dec: TextDecoder, out: &mut FileOut) -> Result<()> {
    let mut lines: Vec<String> = Vec::new();
    let mut bad_lines = Vec::new();
    let mut buf = Vec::new();
    // Line by line and capped, rather than the whole file at once: a line without an end (a
    // 100 MB line) is rejected without being held. Keep what was read before a read error: its
    // blocks are still emitted, then the error (a line cut by the error is not kept).
    let read_err = loop {
        let len = match read_line_capped(&mut reader, &mut buf, MAX_RECORD_BYTES) {
            Ok(None) => break None,
            Ok(Some(len)) => len,
            Err(err) => break Some(err),
        };
        let line = lines.len() as u64 + 1;
        if len > MAX_RECORD_BYTES as u64 {
            bad_lines.push((
                line,
                format!("{}: line {line} has {len} bytes", record_too_long()),
            ));
            lines.push(String::new());
            buf = Vec::new();
            continue;
        }
        match dec.decode(&buf) {
            Ok(text) => lines.push(text.into_owned()),
            Err(reason) => {
                bad_lines.push((line, format!("{reason} of line {line}")));
                lines.push(String::new());
            }
        }
    };
    let complete_lines = lines.len() as u64;
    let texts: Vec<&str> = lines.iter().map(|l| l.as_str()).collect();
    let blocks = blocks(&texts);

    // Emit blocks and undecodable lines merged in line order, so indices follow the page.
    let mut bad = bad_lines.into_iter().peekable();
    for block in &blocks {
        while let Some((line, reason)) = bad.next_if(|(line, _)| *line < block.line) {
            out.record(line, Err(reason), NO_BODY)?;
        }
        out.record(block.line, Ok(block.fields()), NO_BODY)?;
    }
    for (line, reason) in bad {
        out.record(line, Err(reason), NO_BODY)?;
    }
    if blocks.is_empty() && texts.iter().any(|l| !l.trim().is_empty()) {
        out.reject_file(
            "no article blocks found (expected bullet lines \"  • TITLE\" followed by a blank line)",
        )?;
    }
    match read_err {
        Some(err) => out.read_failed(complete_lines, err),
        None => Ok(()),
    }
}

/// One article block: its bullet line (1-based), title and content lines (trimmed).
#[derive(Debug, PartialEq, Eq)]
struct Block<'a> {
    line: u64,
    title: &'a str,
    content: Vec<&'a str>,
}

impl Block<'_> {
    fn fields(&self) -> Fields {
        let mut content = self.content.as_slice();
        if content.first() == Some(&self.title) {
            content = &content[1..];
        }
        let mut date = None;
        if let [first, rest @ ..] = content {
            if !rest.is_empty() && matches!(parse_date(first), ArticleDate::Iso(_)) {
                date = Some(first.to_string());
                content = rest;
            }
        }
        Fields {
            title: Some(self.title.to_string()),
            body: (!content.is_empty()).then(|| content.join("\n")),
            date,
            ..Fields::default()
        }
    }
}

/// The title of a bullet line and the indentation (in chars) of its `•`.
fn bullet(line: &str) -> Option<(usize, &str)> {
    let rest = line.trim_start();
    let after = rest.strip_prefix('•')?;
    if !after.starts_with(char::is_whitespace) {
        return None;
    }
    let title = after.trim();
    let indent = line.chars().count() - rest.chars().count();
    (!title.is_empty()).then_some((indent, title))
}

fn indent(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Finds the article blocks of a page (see the module rules).
fn blocks<'a>(lines: &[&'a str]) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((bullet_indent, title)) = bullet(lines[i]) else {
            i += 1;
            continue;
        };
        let start = i;
        i += 1;
        if lines.get(i).is_some_and(|next| !is_blank(next)) {
            continue; // rule 2: chrome bullet
        }
        let mut content = Vec::new();
        while let Some(line) = lines.get(i) {
            if is_blank(line) {
                i += 1;
                continue;
            }
            if bullet(line).is_some() || line.trim() == FOOTER || indent(line) <= bullet_indent {
                break;
            }
            content.push(line.trim());
            i += 1;
        }
        blocks.push(Block {
            line: start as u64 + 1,
            title,
            content,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.lines().collect()
    }

    #[test]
    fn chrome_bullets_and_column_zero_lines_are_not_articles() {
        let page = "최근검색어\n  • 네이버\n    2026-02-18\n    검색기록 지우기\n11,463\n  • 제목\n\n    제목\n\n    본문\n위로";
        let found = blocks(&lines(page));
        assert_eq!(
            found,
            vec![Block {
                line: 6,
                title: "제목",
                content: vec!["제목", "본문"],
            }]
        );
        let f = found[0].fields();
        assert_eq!(f.body.as_deref(), Some("본문"));
    }

    #[test]
    fn body_without_repeated_title_and_multi_line_bodies() {
        let page = "  • 가\n\n    첫 문단\n\n    둘째 문단\n  • 나\n\n    나\n\n    본문";
        let found = blocks(&lines(page));
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].fields().body.as_deref(),
            Some("첫 문단\n둘째 문단")
        );
        assert_eq!(found[1].fields().body.as_deref(), Some("본문"));
    }

    #[test]
    fn title_only_block_has_no_body() {
        let found = blocks(&lines("  • 가\n\n    가\n  • 나\n"));
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].fields().body, None);
        assert_eq!(found[1].fields().body, None);
    }

    #[test]
    fn leading_date_line_becomes_the_date() {
        let found = blocks(&lines("  • 가\n\n    2022.10.17 14:03\n    본문"));
        let f = found[0].fields();
        assert_eq!(f.date.as_deref(), Some("2022.10.17 14:03"));
        assert_eq!(f.body.as_deref(), Some("본문"));
    }

    #[test]
    fn bullet_needs_space_and_title() {
        assert_eq!(bullet("  • 제목 "), Some((2, "제목")));
        assert_eq!(bullet("•제목"), None);
        assert_eq!(bullet("  •  "), None);
        assert_eq!(bullet("제목 • 부제"), None);
    }
}

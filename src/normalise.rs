//! Normalise: the text every later stage reads.
//!
//! Takes an [`Article`]'s title and body; gives a [`Normalised`] copy in which
//! - HTML tags are removed and entities decoded (only when the text contains markup),
//! - the text is NFC (Hangul composed: NFD jamo from macOS exports becomes syllables),
//! - full-width ASCII (`ＳＫ`, `１５일`) and the ideographic space are folded to ASCII,
//! - zero-width characters are dropped, runs of spaces become one space, line breaks are kept
//!   (one per paragraph) and lines are trimmed,
//! - news boilerplate is stripped from the body and its length counted: a wire or outlet prefix
//!   at the start (`(서울=연합뉴스) 홍길동 기자 =`, `[머니투데이 김철수 기자]`, `【서울=뉴시스】`),
//!   and at the end reporter bylines, e-mail addresses and copyright notices
//!   (`ⓒ 서울신문 무단전재 및 재배포 금지`), plus whole lines that are photo credits, copyright
//!   notices or related-article links (`사진=연합뉴스`, `▶ 관련기사 …`).
//!
//! Guarantees: conservative — boilerplate is only taken from the very start of the body, from the
//! tail after the last sentence, or as whole lines made of nothing else, so a sentence of the
//! story is never removed; idempotent (`normalise(normalise(x)) == normalise(x)`).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::record::{Article, Normalised};

/// Normalises one article.
pub fn normalise(article: &Article) -> Normalised {
    normalise_text(&article.title, &article.body)
}

/// Normalises a batch of (title, body) pairs in parallel (on the current rayon pool), in order:
/// the unit every driver calls (the CLI's first pass, `bodo.arrow.normalise`).
pub fn batch(texts: &[(&str, &str)]) -> Vec<Normalised> {
    use rayon::prelude::*;
    texts
        .par_iter()
        .map(|(title, body)| normalise_text(title, body))
        .collect()
}

/// Normalises a title and a body (the body also loses its boilerplate).
pub fn normalise_text(title: &str, body: &str) -> Normalised {
    let title = clean(title).replace('\n', " ");
    let body = clean(body);
    let (body, boilerplate_chars) = strip_boilerplate(&body);
    Normalised {
        title,
        body,
        boilerplate_chars,
    }
}

/// Markup, Unicode form, width and whitespace; no boilerplate removal. Idempotent.
pub fn clean(text: &str) -> String {
    let mut text = clean_once(text);
    // Markup can hide markup: `&lt;b&gt;` decodes to a tag, `＜ｂ＞` folds to one, a zero-width
    // character dropped from `<\u{200B}b>` or `&am\u{200B}p;` leaves one, and NFC turns the Greek
    // question mark in `&amp\u{37E}` into the `;` of an entity. So clean again until nothing
    // changes. Only text with a tag or a decodable entity can change again (everything else a
    // round does is idempotent, see `has_markup`), which keeps the usual article at one round;
    // and the loop ends, since each further round removes a tag or an entity and the text gets
    // shorter.
    while text.contains(['<', '&']) && has_markup(&text) {
        let again = clean_once(&text);
        if again == text {
            break;
        }
        text = again;
    }
    text
}

/// Whether another round of [`clean`] could change `text`: only when it holds a tag or an entity
/// that decodes. Everything else a round does is idempotent on its own output, so without them a
/// round returns the text as it is; checking is cheaper than cleaning again (most articles that
/// name `SK C&C` would otherwise be cleaned twice).
fn has_markup(text: &str) -> bool {
    TAG.is_match(text)
        || matches!(
            html_escape::decode_html_entities(text),
            Cow::Owned(ref decoded) if decoded != text
        )
}

/// One round of [`clean`].
fn clean_once(text: &str) -> String {
    let text = strip_html(text);
    let text = clean_chars(text.chars(), text.len());
    // NFC last: folding a width (`Ａ` + U+0301 → `A` + U+0301) or dropping a zero-width character
    // between a letter and its accent leaves text that is not NFC. Nearly all news text is NFC
    // already; the quick check spares composing it again (composing was a tenth of a whole run's
    // time). Whitespace stays as collapsed: NFC neither makes nor removes it.
    if text.chars().all(stays_nfc) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        text.nfc().collect()
    }
}

/// Characters that are NFC whatever stands next to them: normalisation-stable (NFC_QC = Yes),
/// combining class 0 and never the second character of a canonical composition (so no Hangul
/// jamo, no combining mark). A text of nothing else is NFC, which spares the per-character
/// table lookups of `is_nfc_quick` on nearly every Korean article (they were a twentieth of a
/// run). The ranges were checked against Unicode's data (Python's unicodedata, Unicode 14):
/// Latin-1, general punctuation, letterlike and number forms, arrows to dingbats (without
/// U+2329/U+232A, which decompose), CJK symbols (without the tone marks U+302A–U+302F),
/// compatibility jamo, enclosed CJK and squared units, unified ideographs, Hangul syllables and
/// half/full-width forms; `stays_nfc_agrees_with_the_slow_check` tests each against the crate.
fn stays_nfc(c: char) -> bool {
    matches!(c as u32,
        0x00..=0xFF
        | 0x2010..=0x2027
        | 0x2030..=0x205E
        | 0x2160..=0x218B
        | 0x2190..=0x2328
        | 0x232B..=0x26FF
        | 0x3000..=0x3029
        | 0x3030..=0x303F
        | 0x3130..=0x318F
        | 0x3200..=0x33FF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xFF01..=0xFFEF)
}

/// One pass over the characters: fold widths, drop zero-width characters, collapse spaces.
fn clean_chars(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    let mut pending_newline = false;
    for c in chars {
        let c = fold_width(c);
        match c {
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => pending_newline = true,
            c if c.is_whitespace() || c.is_control() => pending_space = true,
            c => {
                if !out.is_empty() {
                    if pending_newline {
                        out.push('\n');
                    } else if pending_space {
                        out.push(' ');
                    }
                }
                pending_space = false;
                pending_newline = false;
                out.push(c);
            }
        }
    }
    out
}

/// Full-width ASCII variants (U+FF01..U+FF5E) to ASCII, ideographic space to a space.
/// Narrower than NFKC on purpose: NFKC would also rewrite `㈜`, `①` and compatibility jamo, which
/// the entity stage wants to see as written.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// The boilerplate patterns run on every article with Hangul classes and counted repetitions;
/// with the default lazy-DFA cache they kept rebuilding states (a sixth of a run's time).
fn big_cache(pattern: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(16 << 20)
        .build()
}

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(?:br\s*/?|/?p|/?div|/?li)\s*[^<>]{0,200}>|</?[a-z][a-z0-9]*(?:\s[^<>]{0,500})?/?>|<!--.*?-->")
        .expect("tag regex")
});
static BLOCK_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^<(?:br|/?p|/?div|/?li)\b").expect("block regex"));

/// Removes tags (block tags become line breaks) and decodes entities. Text without `<` or `&` is
/// returned as is, so a plain `a < b` in prose is never touched.
fn strip_html(text: &str) -> Cow<'_, str> {
    if !text.contains('<') && !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let untagged = TAG.replace_all(text, |caps: &regex::Captures| {
        if BLOCK_TAG.is_match(&caps[0]) {
            "\n"
        } else {
            " "
        }
    });
    Cow::Owned(html_escape::decode_html_entities(&untagged).into_owned())
}

static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"[가-힣]{2,4}";
    let role = r"(?:선임|수석|객원|인턴|사진)?(?:기자|특파원|논설위원|위원)";
    let names = format!(r"{name}(?:\s*[·ㆍ,]\s*{name})*\s*{role}");
    big_cache(&format!(
        concat!(
            r"^(?:",
            // (서울=연합뉴스) 홍길동 기자 =   /   (세종=뉴스1) 김철수 기자 =
            r"[\(（][^()（）\n]{{1,20}}=[^()（）\n]{{1,20}}[\)）]\s*(?:{names}\s*)?=?",
            r"|【[^】\n]{{1,30}}】\s*(?:{names}\s*)?=?",
            // [머니투데이 김철수 기자]  /  [서울신문 홍길동·김영희 기자]
            r"|\[[^\[\]\n]{{0,20}}?{names}\]",
            // 홍길동 기자 =
            r"|{names}\s*=",
            r")\s*"
        ),
        names = names
    ))
    .expect("lead regex")
});

static TAIL: LazyLock<Regex> = LazyLock::new(|| {
    let email = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}";
    let byline = r"(?:[/\-]\s*)?[가-힣]{2,4}(?:\s*[·ㆍ,]\s*[가-힣]{2,4})*\s*(?:선임|수석|객원|인턴|사진)?(?:기자|특파원)";
    let copyright = concat!(
        r"[<\[\(]?\s*(?:(?:저작권자|Copyright|ⓒ|©|\(c\))[^\n]{0,60}?)?",
        r"(?:무단\s*전재[^\n]{0,20}?(?:재배포|AI\s*학습[^\n]{0,20}?)*\s*금지|재배포\s*금지|All\s+rights\s+reserved\.?)",
        r"\s*[>\]\)]?"
    );
    let mark = r"[<\[\(]?\s*(?:ⓒ|©|Copyright)\s*[^\n]{0,30}?[>\]\)]?";
    big_cache(&format!(
        r"(?:\s*(?:{email}|{byline}|{copyright}|{mark})[\s.,;]*)+$"
    ))
    .expect("tail regex")
});

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    big_cache(concat!(
        r"^(?:",
        r"[/\[\(]?\s*(?:사진|그래픽|자료|영상)\s*(?:제공)?\s*=\s*[^\s/\]\)]{1,20}(?:\s*(?:제공|DB|캡처))?[\]\)]?",
        r"|[▶☞■]\s*[^\n]{0,80}(?:기사|바로가기|구독|클릭|보기)[^\n]{0,40}",
        r"|관련\s*기사\s*:?",
        r")$"
    ))
    .expect("line regex")
});

/// A line made of nothing but boilerplate: a credit or link line, or bylines and notices only.
fn is_boilerplate_line(line: &str) -> bool {
    line.len() <= TAIL_WINDOW
        && (LINE.is_match(line) || (!line.is_empty() && tail_start(line) == 0))
}

/// Strips boilerplate from a cleaned body; returns the body and the number of characters removed.
fn strip_boilerplate(body: &str) -> (String, usize) {
    // Boilerplate can nest (`[outlet] (wire) byline =`, a credit line above a copyright line), so
    // strip to a fixpoint: this is also what makes normalisation idempotent.
    let mut text = body.to_string();
    while let Some(next) = strip_once(&text) {
        text = next;
    }
    let removed = body.chars().count() - text.chars().count();
    (text, removed)
}

/// Bytes at the end of a text that a tail boilerplate match is looked for in. A run of bylines,
/// e-mails and notices is far shorter; a longer one is stripped over several rounds of the
/// fixpoint. Searching only here matters: the end-anchored pattern run over a whole article cost
/// more than the rest of normalisation.
const TAIL_WINDOW: usize = 600;

/// Where the tail boilerplate of `text` starts (`text.len()` when there is none).
fn tail_start(text: &str) -> usize {
    let mut from = text.len().saturating_sub(TAIL_WINDOW);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    TAIL.find(&text[from..])
        .map_or(text.len(), |m| from + m.start())
}

/// One round of stripping, or `None` when there is nothing (more) to strip. A body that is
/// nothing but boilerplate is left alone rather than emptied.
fn strip_once(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().filter(|l| !is_boilerplate_line(l)).collect();
    let kept = lines.join("\n");
    let lead_end = LEAD.find(&kept).map_or(0, |m| m.end());
    let tail_start = tail_start(&kept);
    if lead_end >= tail_start {
        return None;
    }
    let stripped = kept[lead_end..tail_start].trim();
    // A cut must not expose markup: a related-article line between `<p` and `>` may be all that
    // keeps them from being a tag, which normalising the result again would remove. Such a body
    // keeps its boilerplate (conservative, and idempotent). Only text with `<` or `&` can change
    // when cleaned again.
    if stripped.contains(['<', '&']) && clean(stripped) != stripped {
        return None;
    }
    (stripped != text).then(|| stripped.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(s: &str) -> (String, usize) {
        let n = normalise_text("", s);
        (n.body, n.boilerplate_chars)
    }

    #[test]
    fn folds_width_and_composes_hangul() {
        let nfd: String = "카카오".nfd().collect();
        assert_eq!(
            clean(&format!("{nfd}　ＳＫ　Ｃ＆Ｃ １５일")),
            "카카오 SK C&C 15일"
        );
    }

    #[test]
    fn stays_nfc_agrees_with_the_slow_check() {
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| stays_nfc(c))
        {
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0);
            // Never the second of a composition: after a Hangul syllable or a Latin letter it
            // stays as it is.
            for first in ['가', '각', 'A', 'e'] {
                let pair: String = [first, c].iter().collect();
                assert_eq!(pair.nfc().collect::<String>(), pair, "{c:?}");
            }
        }
    }

    #[test]
    fn collapses_spaces_keeps_paragraphs() {
        assert_eq!(
            clean("  가  나\t다 \r\n\r\n 라\u{200B}마 "),
            "가 나 다\n라마"
        );
    }

    #[test]
    fn strips_html_only_when_markup() {
        assert_eq!(
            clean("<p>카카오&amp;네이버</p><br/>복구"),
            "카카오&네이버\n복구"
        );
        assert_eq!(clean("a < b 이고 c > d"), "a < b 이고 c > d");
    }

    #[test]
    fn strips_wire_prefix_and_tail() {
        let (b, n) = body(
            "(서울=연합뉴스) 홍길동 기자 = 카카오가 17일 서비스를 복구했다고 밝혔다. hong@yna.co.kr ⓒ 연합뉴스 무단전재-재배포 금지",
        );
        assert_eq!(b, "카카오가 17일 서비스를 복구했다고 밝혔다.");
        assert!(n > 30);
    }

    #[test]
    fn strips_bracket_byline_and_copyright_line() {
        let (b, _) = body("[머니투데이 김철수 기자] 네이버는 빠르게 복구했다.\n사진=뉴스1\n<저작권자 ⓒ 머니투데이, 무단전재 및 재배포 금지>");
        assert_eq!(b, "네이버는 빠르게 복구했다.");
        let (b, _) = body("【서울=뉴시스】김영희 기자 = 화재가 났다.\n▶ 관련기사 더 보기");
        assert_eq!(b, "화재가 났다.");
    }

    #[test]
    fn keeps_story_sentences_that_mention_reporters() {
        // A sentence about a reporter, inside the story, is not a byline.
        let text = "기자회견에서 김범수 의장은 사과했다. 이 자리에는 기자 50여명이 참석했다.";
        assert_eq!(body(text), (text.to_string(), 0));
        let text = "카카오 측은 “무단 전재가 아니다”라고 반박했다. 결론은 다음 주에 나온다.";
        assert_eq!(body(text).0, text);
    }

    #[test]
    fn clean_is_idempotent_when_markup_hides_markup() {
        // The first was found by the fuzz checks (tests/fuzz/src/lib.rs, run on stable by
        // tests/fuzz_harness.rs), the others are the same fault reached other ways: each cleaned
        // to text that a second cleaning changed, or (the last two) to text that was not NFC.
        for (raw, cleaned) in [
            ("＜ｂ＞굵게", "굵게"),
            ("&lt;b&gt;굵게", "굵게"),
            ("&amp;amp; 기호", "& 기호"),
            ("<\u{200B}b>굵게", "굵게"),
            ("&am\u{200B}p;", "&"),
            ("&amp\u{37E}", "&"),
            ("Ａ\u{301}", "\u{C1}"),
            ("e\u{200B}\u{301}", "\u{E9}"),
        ] {
            let once = clean(raw);
            assert_eq!(once, cleaned, "{raw:?}");
            assert_eq!(clean(&once), once, "{raw:?}");
        }
    }

    #[test]
    fn idempotent_when_stripping_a_line_exposes_markup() {
        // The first was found by the `normalise` fuzz target: a related-article line was all
        // that kept `<p` and `>` from being a tag, so a second normalisation removed the tag.
        // Such a cut is not made.
        for raw in [
            "<p\u{FFFD}\n▶<클릭\n>",
            "<p\n▶ <관련기사> 클릭\n>카카오가 복구했다.",
        ] {
            let once = normalise_text("", raw);
            let twice = normalise_text(&once.title, &once.body);
            assert_eq!(twice.body, once.body, "{raw:?}");
            assert_eq!(twice.boilerplate_chars, 0, "{raw:?}");
            assert_eq!(once.body, clean(raw), "{raw:?}");
        }
    }

    #[test]
    fn idempotent_on_nested_boilerplate() {
        let once = normalise_text(
            "[속보] 제목",
            "[서울신문 홍길동 기자] (서울=연합뉴스) 본문이다. ⓒ 서울신문",
        );
        let twice = normalise_text(&once.title, &once.body);
        assert_eq!(once.body, "본문이다.");
        assert_eq!(twice.body, once.body);
        assert_eq!(twice.boilerplate_chars, 0);
    }
}

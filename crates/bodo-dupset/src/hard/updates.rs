//! Edited flashes, update chains and late reprints for the hard labelled set.
//!
//! Takes a full story of the set; gives what wire desks and other outlets print of it besides
//! copies:
//! - `edited-flash`: a flash whose lead is not the full story's lead: another ending (`밝혔다.`
//!   → `16일 밝혔다.`, `전했다.`, an attribution added or dropped), a clause inserted (`경찰에
//!   따르면`, `이날`) or dropped (the time of day, a parenthesis), numbers written otherwise
//!   (`1만2000명` ↔ `1만 2천명` ↔ `12,000명`), a quote trimmed ([`edit_lead`]);
//! - an update chain, all on the story's day: `update-flash` (`[속보]`, the lead; sometimes
//!   with the first report's lower count, [`earlier_count`]), `update-short` (`[1보]`, the lead
//!   and one or two more sentences), `update-full` (`[종합]`, the whole story and a paragraph
//!   more), by one wire outlet, the flash sometimes by another;
//! - `late-reprint`: the story printed 4–7 days later by another outlet (a weekly's reprint),
//!   whole or with its last paragraph dropped.
//!
//! Guarantees: an edit changes the text (an attribution is added when nothing else applies);
//! every piece printed keeps at least [`EDITED_KEEP`] of its own shingles in the story's root
//! and stays under [`super::NEIGHBOUR_MAX`] against every other story (else it is not printed).

use std::sync::LazyLock;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use regex::Regex;

use super::leads::particle;
use super::{containment, flash_title, outlets, text_set, Hard, Source, NEIGHBOUR_MAX};
use crate::{headline_from, tag_headline, transform};

/// The smallest containment of an edited flash or an update against its root.
pub const EDITED_KEEP: f64 = 0.5;
/// Shares of full stories with a lead that get an edited flash, and an update chain; share of
/// full stories reprinted late.
const EDITED_SHARE: f64 = 0.6;
const CHAIN_SHARE: f64 = 0.4;
const REPRINT_SHARE: f64 = 0.2;

/// Sentence endings and what a flash desk writes instead (`{d}` the day of the month).
const ENDINGS: [(&str, &[&str]); 7] = [
    ("밝혔다.", &["{d}일 밝혔다.", "전했다.", "{d}일 발표했다."]),
    ("전했다.", &["밝혔다.", "{d}일 전했다."]),
    ("말했다.", &["{d}일 말했다.", "설명했다."]),
    ("발표했다.", &["{d}일 발표했다.", "밝혔다."]),
    (
        "것으로 알려졌다.",
        &["것으로 전해졌다.", "것으로 확인됐다."],
    ),
    ("것으로 추정된다.", &["것으로 보인다.", "것으로 파악됐다."]),
    ("했다.", &["한 것으로 알려졌다.", "했다고 전했다."]),
];
/// Who a flash attributes its lead to (generic: the lead may be of any domain).
const SOURCES: [&str; 4] = ["관계 당국", "해당 기관", "관계자", "현지 당국"];
const ADVERBS: [&str; 7] = [
    "모두 ",
    "약 ",
    "곧바로 ",
    "현재 ",
    "이날 ",
    "당초 ",
    "다시 ",
];

static ATTRIBUTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"다고 [가-힣 ]{2,12}[이가] (?:\d+일 )?(?:밝혔|전했|설명했)다\.$")
        .expect("attribution regex")
});
static DATED_SAID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d+일 (밝혔|전했|말했|발표했)다\.$").expect("dated ending regex")
});
static TIME_OF_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:오전|오후|새벽|밤|저녁) ?\d{1,2}시(?: ?\d{1,2}분)?(?:께|쯤|경)? ")
        .expect("time regex")
});
static PARENTHESIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r" ?\([^()]{1,30}\)").expect("parenthesis regex"));
static ACCORDING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^ ]+(?: [^ ]+)?에 따르면 ").expect("according regex"));
static QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"“([^”]{12,})”").expect("quote regex"));
/// `a만 b천`, `a만bbbb`, `12,000`, or a plain number of four to six digits before a unit.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(\d+)만 ?(\d)천|(\d+)만(\d{4})|(\d{1,3}(?:,\d{3})+)",
        r"|(\d{4,6})(명|원|개|건|가구|대|곳|t|톤|㎡|달러)"
    ))
    .expect("number regex")
});
/// A count: a number and its counter word, not a score (`2대0`). Not `대` (an age group `40대`
/// is no count; a vehicle count is a score's look-alike).
static COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+)(명|가구|곳|척)(?:[^\d]|$)").expect("count regex"));

/// The sentence's ending changed; `None` when no rule applies.
fn change_ending(rng: &mut ChaCha8Rng, s: &str, dm: u32) -> Option<String> {
    if let Some(m) = ATTRIBUTED.find(s) {
        return Some(format!("{}다.", &s[..m.start()]));
    }
    if let Some(c) = DATED_SAID.captures(s) {
        if rng.random_bool(0.5) {
            let m = c.get(0).expect("match");
            return Some(format!("{}{}다.", &s[..m.start()], &c[1]));
        }
    }
    for (from, tos) in ENDINGS {
        if let Some(stem) = s.strip_suffix(from) {
            let dated = stem.ends_with("일 ");
            let tos: Vec<&str> = tos
                .iter()
                .copied()
                .filter(|t| !(dated && t.contains("{d}")))
                .collect();
            let to = tos.choose(rng)?;
            return Some(format!("{stem}{}", to.replace("{d}", &dm.to_string())));
        }
    }
    attribute(rng, s, dm)
}

/// `…다.` → `…다고 관계 당국이 16일 밝혔다.` (not when the sentence names its source).
fn attribute(rng: &mut ChaCha8Rng, s: &str, dm: u32) -> Option<String> {
    if s.contains("따르면") {
        return None;
    }
    let stem = s.strip_suffix("다.")?;
    let src = SOURCES.choose(rng).expect("sources");
    Some(format!(
        "{stem}다고 {src}{} {dm}일 밝혔다.",
        particle(src, "이")
    ))
}

/// A clause or word inserted: a source before the sentence, or the day or `이날` after its
/// topic.
fn insert_clause(rng: &mut ChaCha8Rng, s: &str, dm: u32) -> Option<String> {
    let sourced = s.contains("따르면") || ATTRIBUTED.is_match(s);
    if rng.random_bool(0.5) && !sourced {
        let src = SOURCES.choose(rng).expect("sources");
        return Some(format!("{src}에 따르면 {s}"));
    }
    // After the sentence's topic, when its first word is one (`경찰은`, `시는`).
    let topic = s.split(' ').next()?;
    if !(topic.ends_with('은') || topic.ends_with('는')) || topic.chars().count() < 2 {
        return None;
    }
    let at = topic.len() + 1;
    // A topic followed by its date (`시는 15일 …`) has its time word already.
    if s[at..].starts_with(|c: char| c.is_ascii_digit()) || s[at..].starts_with("이날") {
        return None;
    }
    let day = format!("{dm}일 ");
    let word = if s.contains(&format!("{dm}일")) || rng.random_bool(0.5) {
        "이날 "
    } else {
        day.as_str()
    };
    Some(format!("{}{word}{}", &s[..at], &s[at..]))
}

/// A time of day, a parenthesis, a leading source or an adverb dropped.
fn drop_clause(rng: &mut ChaCha8Rng, s: &str) -> Option<String> {
    let mut rules = [0, 1, 2, 3];
    rules.shuffle(rng);
    for rule in rules {
        let dropped = match rule {
            0 => TIME_OF_DAY.replace(s, "").into_owned(),
            1 => PARENTHESIS.replace(s, "").into_owned(),
            2 => ACCORDING.replace(s, "").into_owned(),
            _ => ADVERBS
                .iter()
                .find(|a| s.contains(*a))
                .map_or(s.to_string(), |a| s.replacen(a, "", 1)),
        };
        if dropped != s {
            return Some(dropped);
        }
    }
    None
}

/// A quote cut to its first sentence, or to its first clause and `…`.
fn trim_quote(s: &str) -> Option<String> {
    let c = QUOTE.captures(s)?;
    let inner = &c[1];
    let cut = if let Some((first, _)) = inner.split_once(". ") {
        first.to_string()
    } else if let Some((first, _)) = inner.split_once(", ") {
        format!("{first}…")
    } else {
        return None;
    };
    let m = c.get(0).expect("match");
    Some(format!("{}“{cut}”{}", &s[..m.start()], &s[m.end()..]))
}

/// Numbers written another way, each with probability 0.8: `1만2000` → `1만 2천` or `12,000`,
/// `1만 2천` → `1만2000`, `12,000` → `1만2000`, `1200명` → `1천200명` or `1,200명`.
pub fn respell_numbers(rng: &mut ChaCha8Rng, text: &str) -> String {
    NUMBER
        .replace_all(text, |c: &regex::Captures| {
            if !rng.random_bool(0.8) {
                return c[0].to_string();
            }
            let int = |i: usize| c[i].replace(',', "").parse::<u64>().unwrap_or(0);
            let comma = |n: u64| super::daily::comma(n as i64);
            let man = |n: u64| match (n / 10_000, n % 10_000) {
                (a, 0) => format!("{a}만"),
                (a, b) => format!("{a}만{b}"),
            };
            if c.get(1).is_some() {
                format!("{}만{}000", &c[1], &c[2])
            } else if c.get(3).is_some() {
                let (a, b) = (int(3), int(4));
                if b % 1000 == 0 && b > 0 && rng.random_bool(0.6) {
                    format!("{a}만 {}천", b / 1000)
                } else {
                    comma(a * 10_000 + b)
                }
            } else if c.get(5).is_some() {
                let n = int(5);
                if n >= 10_000 {
                    man(n)
                } else {
                    n.to_string()
                }
            } else {
                let (n, unit) = (int(6), &c[7]);
                match n {
                    10_000.. => format!("{}{unit}", man(n)),
                    _ if n % 1000 != 0 && rng.random_bool(0.5) => {
                        format!("{}천{}{unit}", n / 1000, n % 1000)
                    }
                    _ => format!("{}{unit}", comma(n)),
                }
            }
        })
        .into_owned()
}

/// A sentence after the lead as a flash desk rewrote it: a clause dropped, numbers respelled or
/// a quote trimmed (its source and date stay the lead's business). May give the input back.
pub fn edit_follow(rng: &mut ChaCha8Rng, sentence: &str) -> String {
    let edited = match rng.random_range(0..3) {
        0 => drop_clause(rng, sentence),
        1 => Some(respell_numbers(rng, sentence)),
        _ => trim_quote(sentence),
    };
    edited.unwrap_or_else(|| sentence.to_string())
}

/// The lead as a flash desk rewrote it: one or two of another ending, a clause inserted or
/// dropped, numbers respelled, a quote trimmed. `dm` is the day of the month. Never the input.
pub fn edit_lead(rng: &mut ChaCha8Rng, sentence: &str, dm: u32) -> String {
    let mut ops = [0, 1, 2, 3, 4];
    ops.shuffle(rng);
    let want = rng.random_range(1..=2);
    let mut s = sentence.to_string();
    let mut done = 0;
    for op in ops {
        if done == want {
            break;
        }
        let edited = match op {
            0 => change_ending(rng, &s, dm),
            1 => insert_clause(rng, &s, dm),
            2 => drop_clause(rng, &s),
            3 => Some(respell_numbers(rng, &s)),
            _ => trim_quote(&s),
        };
        if let Some(e) = edited.filter(|e| *e != s) {
            s = e;
            done += 1;
        }
    }
    if s == sentence {
        let src = SOURCES.choose(rng).expect("sources");
        s = if sentence.contains("따르면") {
            format!("이날 {sentence}")
        } else {
            format!("{src}에 따르면 {sentence}")
        };
    }
    s
}

/// The text with its first count (`3명`, `12곳`, …) of 2 or more lowered (by at most half), as
/// a first report gives it before the count rises, and the count before and after (`3명`,
/// `2명`); `None` when it has none.
pub fn earlier_count(rng: &mut ChaCha8Rng, text: &str) -> Option<(String, String, String)> {
    let c = COUNT
        .captures_iter(text)
        .find(|c| c[1].parse::<u64>().is_ok_and(|n| n >= 2))?;
    let n: u64 = c[1].parse().ok()?;
    let (number, counter) = (c.get(1).expect("number"), c.get(2).expect("counter"));
    // Lower, not another order of magnitude: a first count is a part of the last one.
    let lower = rng.random_range(n.div_ceil(2)..n);
    let unit = counter.as_str();
    Some((
        format!(
            "{}{lower}{}",
            &text[..number.start()],
            &text[counter.start()..]
        ),
        format!("{n}{unit}"),
        format!("{lower}{unit}"),
    ))
}

impl Hard {
    /// Whether `body` may be printed as part of story `gold`: it keeps [`EDITED_KEEP`] of its
    /// shingles in the story's root and stays under [`NEIGHBOUR_MAX`] against every other.
    fn fits(&self, gold: usize, body: &str) -> bool {
        let set = text_set(body);
        let root = text_set(&self.b.stories[gold].draft.render());
        containment(&set, &root) >= EDITED_KEEP && self.texts.closest(&set, &[gold]) < NEIGHBOUR_MAX
    }

    /// Prints `body` of story `gold` by outlet `o` on `day` when it [`Hard::fits`].
    fn print_if_fits(
        &mut self,
        gold: usize,
        kind: &'static str,
        title: String,
        body: &str,
        o: usize,
        day: u32,
    ) -> bool {
        if !self.fits(gold, body) {
            return false;
        }
        let printed = self.print(o, &title, body, day);
        let name = outlets::outlets()[o].name.clone();
        self.emit(gold, kind, title, printed, &name, day);
        true
    }

    /// The lead sentences a flash of story `gold` takes: an invented lead whole (see
    /// `fresh_lead`), else the first one or two.
    pub(super) fn flash_lead(&mut self, gold: usize) -> Vec<String> {
        let meta = self.meta[gold];
        let k = if meta.invented {
            meta.lead
        } else {
            meta.lead.min(self.b.rng.random_range(1..=2))
        };
        self.b.stories[gold]
            .draft
            .sentences()
            .take(k)
            .cloned()
            .collect()
    }

    /// What else than copies a full story gets: an edited flash, an update chain, a late
    /// reprint, each with its share.
    pub(super) fn updates(&mut self, gold: usize) {
        let meta = self.meta[gold];
        if meta.source != Source::Full {
            return;
        }
        if meta.lead > 0 && self.b.rng.random_bool(EDITED_SHARE) {
            self.edited_flash(gold);
        }
        if meta.lead > 0 && self.b.rng.random_bool(CHAIN_SHARE) {
            self.update_chain(gold);
        }
        if self.b.rng.random_bool(REPRINT_SHARE) {
            self.reprint(gold);
        }
    }

    fn edited_flash(&mut self, gold: usize) {
        let (title, day) = {
            let s = &self.b.stories[gold];
            (s.draft.title.clone(), s.day)
        };
        let dm = outlets::civil(day).2;
        let wire = self.b.rng.random_bool(0.75);
        let o = self.random_outlet(wire, self.meta[gold].outlet);
        for _ in 0..5 {
            let mut lead = self.flash_lead(gold);
            lead[0] = edit_lead(&mut self.b.rng, &lead[0], dm);
            if lead.len() > 1 && self.b.rng.random_bool(0.4) {
                lead[1] = edit_follow(&mut self.b.rng, &lead[1]);
            }
            let t = flash_title(&mut self.b.rng, &title);
            if self.print_if_fits(gold, "edited-flash", t, &lead.join(" "), o, day) {
                return;
            }
        }
    }

    /// `[속보]` → `[1보]` → `[종합]` on the story's day, by a wire outlet (the flash by another
    /// one a third of the time).
    fn update_chain(&mut self, gold: usize) {
        let (draft, day) = {
            let s = &self.b.stories[gold];
            (s.draft.clone(), s.day)
        };
        let dm = outlets::civil(day).2;
        let root = self.meta[gold].outlet;
        let w = self.random_outlet(true, root);
        let lead = self.flash_lead(gold);

        let mut flash = lead.clone();
        if self.b.rng.random_bool(0.5) {
            flash[0] = edit_lead(&mut self.b.rng, &flash[0], dm);
        }
        let mut flash = flash.join(" ");
        let mut recount = None;
        if self.b.rng.random_bool(0.25) {
            if let Some((lower, from, to)) = earlier_count(&mut self.b.rng, &flash) {
                flash = lower;
                recount = Some((from, to));
            }
        }
        let bare = match draft
            .title
            .strip_prefix('[')
            .and_then(|t| t.split_once(']'))
        {
            Some((_, rest)) => rest.trim().to_string(),
            None => draft.title.clone(),
        };
        let headline = if self.b.rng.random_bool(0.2) {
            headline_from(&lead[0])
        } else {
            bare.clone()
        };
        let fw = if self.b.rng.random_bool(0.3) {
            self.random_outlet(true, Some(w))
        } else {
            w
        };
        let fw = if Some(fw) == root { w } else { fw };
        self.print_if_fits(
            gold,
            "update-flash",
            // The first report's headline carries its count too.
            format!(
                "[속보] {}",
                match &recount {
                    Some((from, to)) => headline.replacen(from.as_str(), to, 1),
                    None => headline,
                }
            ),
            &flash,
            fw,
            day,
        );

        let more = self.b.rng.random_range(1..=2);
        let mut short: Vec<String> = draft.sentences().take(lead.len() + more).cloned().collect();
        if self.b.rng.random_bool(0.5) {
            short[0] = edit_lead(&mut self.b.rng, &short[0], dm);
        }
        if short.len() > lead.len() {
            self.print_if_fits(
                gold,
                "update-short",
                format!("[1보] {bare}"),
                &short.join(" "),
                w,
                day,
            );
        }

        let (_, body) = transform(&mut self.b.rng, "added-paragraph", draft);
        let tag = *["종합", "종합2보", "종합"]
            .choose(&mut self.b.rng)
            .expect("tags");
        self.print_if_fits(
            gold,
            "update-full",
            format!("[{tag}] {bare}"),
            &body,
            w,
            day,
        );
    }

    /// The story printed 4–7 days later by a non-wire outlet, whole or shortened.
    fn reprint(&mut self, gold: usize) {
        let (draft, day) = {
            let s = &self.b.stories[gold];
            (s.draft.clone(), s.day)
        };
        let o = self.random_outlet(false, self.meta[gold].outlet);
        if outlets::outlets()[o].wire {
            return;
        }
        let later = day + self.b.rng.random_range(4..=7);
        let (title, body) = if self.b.rng.random_bool(0.6) {
            (draft.title.clone(), draft.render())
        } else {
            transform(&mut self.b.rng, "dropped-paragraph", draft.clone())
        };
        let title = if self.b.rng.random_bool(0.3) {
            tag_headline(&mut self.b.rng, &title)
        } else {
            title
        };
        self.print_if_fits(gold, "late-reprint", title, &body, o, later);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Draft;
    use rand::SeedableRng;

    fn first(d: &Draft) -> &str {
        d.sentences().next().map_or("", String::as_str)
    }

    #[test]
    fn endings_change_as_desks_change_them() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let s = "시는 새 정책을 발표했다고 밝혔다.";
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..40 {
            seen.insert(change_ending(&mut rng, s, 16).unwrap());
        }
        assert!(
            seen.contains("시는 새 정책을 발표했다고 16일 밝혔다."),
            "{seen:?}"
        );
        assert!(
            seen.contains("시는 새 정책을 발표했다고 전했다."),
            "{seen:?}"
        );
        // An attribution goes, a dated one keeps its day out of a second date.
        assert_eq!(
            change_ending(&mut rng, "불이 났다고 소방 당국이 밝혔다.", 3).unwrap(),
            "불이 났다."
        );
        let dated = change_ending(&mut rng, "회사는 투자를 늘린다고 5일 밝혔다.", 5).unwrap();
        assert!(!dated.contains("5일 5일"), "{dated}");
        assert_eq!(
            attribute(&mut ChaCha8Rng::seed_from_u64(0), "불이 났다.", 16)
                .unwrap()
                .matches("16일 밝혔다.")
                .count(),
            1
        );
    }

    #[test]
    fn numbers_respell_both_ways() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..60 {
            seen.insert(respell_numbers(&mut rng, "관중 1만2000명"));
            seen.insert(respell_numbers(&mut rng, "관중 1만 2천명"));
            seen.insert(respell_numbers(&mut rng, "관중 12,000명"));
            seen.insert(respell_numbers(&mut rng, "주민 1200명"));
        }
        for want in [
            "관중 1만 2천명",
            "관중 12,000명",
            "관중 1만2000명",
            "주민 1천200명",
            "주민 1,200명",
        ] {
            assert!(seen.contains(want), "{want}: {seen:?}");
        }
    }

    #[test]
    fn edits_change_the_lead_and_keep_most_of_it() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let d = Draft::parse(
            "t",
            "기상청은 16일 오후 2시를 기해 강원 영동에 대설 경보를 발령했다고 밝혔다. 둘째 문장이다.",
        );
        for _ in 0..100 {
            let e = edit_lead(&mut rng, first(&d), 16);
            assert_ne!(e, first(&d));
            let c = containment(&text_set(&e), &text_set(first(&d)));
            assert!(c >= 0.6, "{c}: {e}");
        }
        let quoted = "그는 “모두 무사하다. 곧 돌아간다”고 말했다.";
        assert_eq!(
            trim_quote(quoted).unwrap(),
            "그는 “모두 무사하다”고 말했다."
        );
        let (lower, from, to) = earlier_count(
            &mut ChaCha8Rng::seed_from_u64(4),
            "1명이 숨지고 2명이 다쳤다.",
        )
        .unwrap();
        assert_eq!(lower, "1명이 숨지고 1명이 다쳤다.");
        assert_eq!((from.as_str(), to.as_str()), ("2명", "1명"));
        // Neither a score nor an age group is a count.
        assert_eq!(earlier_count(&mut rng, "40대 남성 1명이 붙잡혔다."), None);
        assert_eq!(earlier_count(&mut rng, "팀의 2대0 승리를 이끌었다."), None);
        // A day goes after a topic only.
        for _ in 0..20 {
            let e = insert_clause(&mut rng, "등불을 띄우는 축제가 개막했다.", 7);
            assert!(e.as_deref().is_none_or(|e| e.contains("따르면")), "{e:?}");
        }
    }
}

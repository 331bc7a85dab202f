//! Paraphrase for the hard labelled set: a sentence retold.
//!
//! Takes a ChaCha8 stream, a sentence and a strength; gives the sentence with synonyms from
//! [`SYNONYMS`], dropped adverbs and one clause moved (a quote or a reported clause before its
//! speaker, a time phrase before the subject, `…에 따르면` turned into a reported clause).
//!
//! Guarantees: words inside “quotes” are left as said; particles after a moved source agree
//! with it.

use std::sync::LazyLock;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use regex::Regex;

use super::leads::particle;

/// News synonyms, applied one way (`from` → `to`); keys are tried longest first. Nouns are
/// swapped only where the particle after them stays right.
pub const SYNONYMS: [(&str, &str); 44] = [
    ("밝혔다", "전했다"),
    ("전했다", "밝혔다"),
    ("말했다", "설명했다"),
    ("설명했다", "말했다"),
    ("늘었다", "증가했다"),
    ("증가했다", "늘었다"),
    ("줄었다", "감소했다"),
    ("감소했다", "줄었다"),
    ("예정이다", "계획이다"),
    ("계획이다", "방침이다"),
    ("지난해 ", "작년 "),
    ("지난해보다", "작년보다"),
    ("지난해의", "작년의"),
    ("따르면", "의하면"),
    ("발표했다", "공개했다"),
    ("때문에", "탓에"),
    ("다시", "재차"),
    ("그러나", "하지만"),
    ("하지만", "그러나"),
    ("전망이다", "것으로 보인다"),
    ("지적했다", "꼬집었다"),
    ("강조했다", "역설했다"),
    ("요구했다", "촉구했다"),
    ("촉구했다", "요구했다"),
    ("시작했다", "개시했다"),
    ("확인됐다", "파악됐다"),
    ("파악됐다", "확인됐다"),
    ("집계됐다", "나타났다"),
    ("조사하고 있다", "살펴보고 있다"),
    ("당부했다", "요청했다"),
    ("대책", "방안"),
    ("가량", "정도"),
    ("이후", "뒤"),
    ("위해", "위하여"),
    ("보인다", "관측된다"),
    ("받고 있다", "받는 중이다"),
    ("나섰다", "착수했다"),
    ("덧붙였다", "부연했다"),
    ("내다봤다", "전망했다"),
    ("기록했다", "나타냈다"),
    ("발생했다", "일어났다"),
    ("병원으로 옮겨졌다", "병원에 이송됐다"),
    ("들어갔다", "돌입했다"),
    ("잇따라", "연이어"),
];

/// Adverbs a rewrite may drop (whole words only).
const ADVERBS: [&str; 14] = [
    "특히",
    "또",
    "다만",
    "아울러",
    "한편",
    "이날",
    "실제로",
    "결국",
    "여전히",
    "이미",
    "약",
    "모두",
    "크게",
    "곧바로",
];

static SYNONYM: LazyLock<Regex> = LazyLock::new(|| {
    let mut keys: Vec<&str> = SYNONYMS.iter().map(|e| e.0).collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let alternation: Vec<String> = keys.iter().map(|k| regex::escape(k)).collect();
    Regex::new(&alternation.join("|")).expect("synonym regex")
});

/// `관계자는 “…”고 말했다.` → `“…”고 관계자는 말했다.`
static QUOTE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S+(?:은|는|이|가)) (“[^”]+”)(고|라고|며|면서) (.+)$").expect("quote regex")
});
/// `기상청은 … 것이라고 예보했다.` → `… 것이라고 기상청은 예보했다.`
static SAID_LAST: LazyLock<Regex> = LazyLock::new(|| {
    let verbs = "밝혔다|전했다|말했다|설명했다|덧붙였다|강조했다|예보했다|발표했다|주장했다|당부했다|내다봤다|공시했다";
    Regex::new(&format!(
        r"^(\S+(?:은|는)) (.+?)(다고|라고|다며) ({verbs})\.$"
    ))
    .expect("said regex")
});
/// `경찰은 15일 …` → `15일 경찰은 …`
static TIME_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\S+(?:은|는|이|가)) (\d+일(?: 오전| 오후| 새벽| 밤)?|이날|지난 \d+일) ")
        .expect("time regex")
});
/// `경찰에 따르면 A씨는 …했다.` → `A씨는 …했다고 경찰은 밝혔다.`
static ACCORDING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)에 따르면 (.+)다\.$").expect("according regex"));

/// One sentence retold: each synonym with probability `strength`, each droppable adverb with
/// probability `strength`, and with probability `strength` one reordering (a quote or a reported
/// clause before its speaker, a time phrase before the subject, `…에 따르면` turned into a
/// reported clause). Quotes keep their words.
pub fn paraphrase(rng: &mut ChaCha8Rng, sentence: &str, strength: f64) -> String {
    let mut s = sentence.to_string();
    if rng.random_bool(strength) {
        if let Some(c) = QUOTE_FIRST.captures(&s) {
            s = format!("{}{} {} {}", &c[2], &c[3], &c[1], &c[4]);
        } else if let Some(c) = SAID_LAST.captures(&s) {
            s = format!("{}{} {} {}.", &c[2], &c[3], &c[1], &c[4]);
        } else if let Some(c) = ACCORDING.captures(&s) {
            let source = c[1].trim();
            s = format!("{}다고 {source}{} 밝혔다.", &c[2], particle(source, "은"));
        } else if let Some(c) = TIME_FIRST.captures(&s) {
            s = format!(
                "{} {} {}",
                &c[2],
                &c[1],
                &s[c.get(0).expect("match").end()..]
            );
        }
    }
    // Words outside quotes only: a quote is what someone said.
    let mut depth = 0u32;
    let words: Vec<&str> = s
        .split(' ')
        .filter(|w| {
            let inside = depth > 0 || w.starts_with('“');
            depth += w.matches('“').count() as u32;
            depth = depth.saturating_sub(w.matches('”').count() as u32);
            inside || !ADVERBS.contains(&w.trim_end_matches(',')) || !rng.random_bool(strength)
        })
        .collect();
    let s = words.join(" ");
    SYNONYM
        .replace_all(&s, |c: &regex::Captures| {
            let found = &c[0];
            match SYNONYMS.iter().find(|e| e.0 == found) {
                Some(&(_, to)) if rng.random_bool(strength) => to.to_string(),
                _ => found.to_string(),
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn paraphrase_moves_clauses_and_keeps_quotes() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let s = paraphrase(&mut rng, "관계자는 “특히 안전이 중요하다”고 말했다.", 1.0);
        assert_eq!(s, "“특히 안전이 중요하다”고 관계자는 설명했다.");
        let s = paraphrase(
            &mut rng,
            "기상청은 내일 아침 기온이 영하 2도까지 떨어질 것이라고 예보했다.",
            1.0,
        );
        assert_eq!(
            s,
            "내일 아침 기온이 영하 2도까지 떨어질 것이라고 기상청은 예보했다."
        );
        let s = paraphrase(
            &mut rng,
            "경찰에 따르면 A씨는 특히 지난해 5억원을 가로챘다.",
            1.0,
        );
        assert_eq!(s, "A씨는 작년 5억원을 가로챘다고 경찰은 전했다.");
    }
}

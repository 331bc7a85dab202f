//! Property tests against naive references: normalisation is idempotent, mention offsets slice
//! the text, keyword totals equal a plain HashMap count and rank by TF-IDF, dedup partitions its
//! input, puts copies of a story in one cluster, never merges different stories, and does not
//! depend on input order.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use proptest::prelude::*;

use bodo::analyse::{text as analyse_text, Analysers};
use bodo::dedup::{self, DedupConfig};
use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::{char_spans, Recogniser};
use bodo::keywords::{ArticleTerms, KeywordFilter, Totals};
use bodo::morph::Morphology;
use bodo::normalise::normalise_text;
use bodo::record::{Field, Normalised, Noun};
use bodo::stories::Vocabulary;

/// Text built from pieces real articles have: Hangul words, ASCII, full-width and NFD forms,
/// markup, wire prefixes, bylines, copyright lines, odd spaces.
fn newsy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("카카오".to_string()),
        Just("먹통이 됐다.".to_string()),
        Just("(서울=연합뉴스) 홍길동 기자 =".to_string()),
        Just("[머니투데이 김철수 기자]".to_string()),
        Just("hong@yna.co.kr".to_string()),
        Just("ⓒ 서울신문 무단전재 및 재배포 금지".to_string()),
        Just("사진=뉴스1".to_string()),
        Just("<p>".to_string()),
        Just("&amp;".to_string()),
        Just("ＳＫ　Ｃ＆Ｃ".to_string()),
        Just("\u{1100}\u{1161}\u{11A8}".to_string()),
        Just("\n\n".to_string()),
        Just(" \t ".to_string()),
        Just("\u{200B}".to_string()),
        "[가-힣a-zA-Z0-9 .,“”‘’…]{0,12}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.join(" "))
}

/// News text with names, places and dates among the noise.
fn text_with_entities() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        newsy_text(),
        Just("김범수 카카오 의장은".to_string()),
        Just("과기정통부와 과방위,".to_string()),
        Just("경기 성남시 분당구의".to_string()),
        Just("SK C&C 판교 데이터센터".to_string()),
        Just("지난 15일 오후 3시 33분께".to_string()),
        Just("최모(28)씨와 尹".to_string()),
        Just("서울시장은".to_string()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every mention's character span slices the normalised text to its surface, spans are in
    /// order and never overlap.
    #[test]
    fn mention_offsets_slice_the_text(
        title in text_with_entities(),
        body in text_with_entities(),
        dated in any::<bool>(),
    ) {
        let text = normalise_text(&title, &body);
        let analysers = analysers();
        let mut worker = analysers.morphology.worker();
        let date = dated.then_some("2022-10-17");
        let (_, mentions) = analyse_text(&mut worker, analysers, &text, date).unwrap();
        let spans = char_spans(&text, &mentions);
        for (m, (start, end, surface)) in mentions.iter().zip(&spans) {
            let field = if m.field == Field::Title { &text.title } else { &text.body };
            let slice: String = field.chars().skip(*start).take(end - start).collect();
            prop_assert_eq!(&slice, surface);
            prop_assert!(!surface.is_empty());
        }
        for pair in mentions.windows(2) {
            prop_assert!((pair[0].field, pair[0].end) <= (pair[1].field, pair[1].start));
        }
    }
}

/// The analysers, loaded once for all cases.
fn analysers() -> &'static Analysers<'static> {
    static MORPHOLOGY: OnceLock<Morphology> = OnceLock::new();
    static RECOGNISER: OnceLock<Recogniser> = OnceLock::new();
    static FILTER: OnceLock<KeywordFilter> = OnceLock::new();
    static ANALYSERS: OnceLock<Analysers<'static>> = OnceLock::new();
    ANALYSERS.get_or_init(|| Analysers {
        morphology: MORPHOLOGY.get_or_init(|| Morphology::load().unwrap()),
        recogniser: RECOGNISER.get_or_init(|| Recogniser::new(Gazetteer::load(&[]).unwrap())),
        filter: FILTER.get_or_init(|| KeywordFilter::new(HashSet::new(), 2)),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalising_twice_changes_nothing(title in newsy_text(), body in newsy_text()) {
        let once = normalise_text(&title, &body);
        let twice = normalise_text(&once.title, &once.body);
        prop_assert_eq!(&twice.title, &once.title);
        prop_assert_eq!(&twice.body, &once.body);
        prop_assert_eq!(twice.boilerplate_chars, 0);
    }

    #[test]
    fn keyword_totals_equal_naive_count_and_rank_by_tfidf(
        articles in prop::collection::vec(
            (prop::collection::vec(("[가나다라]{1,3}", prop::sample::select(vec!["NNG", "NNP"])), 0..20), 1u64..4),
            1..30,
        )
    ) {
        let filter = KeywordFilter::new(HashSet::new(), 1);
        let mut vocabulary: Vocabulary<String> = Vocabulary::default();
        let mut totals = Totals::default();
        let mut naive_tf: HashMap<String, u64> = HashMap::new();
        let mut naive_df: HashMap<String, u64> = HashMap::new();
        let mut naive_articles: HashMap<String, u64> = HashMap::new();
        for (words, copies) in &articles {
            let nouns: Vec<Noun> = words
                .iter()
                .map(|(w, pos)| Noun { text: w.clone(), pos: pos.to_string(), field: Field::Body, start: 0, end: w.len() })
                .collect();
            let terms = ArticleTerms::from_nouns(nouns, &filter);
            let mut ids: Vec<(u32, u32)> = terms
                .counts()
                .map(|(k, n)| (vocabulary.intern(&k.to_string()), n as u32))
                .collect();
            ids.sort_unstable();
            totals.add(&ids, *copies);
            let distinct: HashSet<&String> = words.iter().map(|(w, _)| w).collect();
            for (w, _) in words {
                *naive_tf.entry(w.clone()).or_default() += 1;
            }
            for w in distinct {
                *naive_df.entry(w.clone()).or_default() += 1;
                *naive_articles.entry(w.clone()).or_default() += copies;
            }
        }
        let ranked = totals.ranked(&bodo::keywords::name_order(vocabulary.len(), |t| {
            vocabulary.name(t).as_str()
        }));
        prop_assert_eq!(ranked.len(), naive_tf.len());
        let n = articles.len() as u64;
        let mut previous: Option<(f64, String)> = None;
        for t in ranked {
            let k = vocabulary.name(t).clone();
            let (tf, df) = (naive_tf[&k], naive_df[&k]);
            prop_assert_eq!(totals.tf[t as usize], tf);
            prop_assert_eq!(totals.df[t as usize], df);
            prop_assert_eq!(totals.articles[t as usize], naive_articles[&k]);
            let tfidf = tf as f64 * (((1 + n) as f64 / (1 + df) as f64).ln() + 1.0);
            if let Some((p, pk)) = &previous {
                prop_assert!(*p > tfidf || (*p == tfidf && *pk < k), "sorted by tfidf desc, keyword asc");
            }
            previous = Some((tfidf, k));
        }
    }

    #[test]
    fn dedup_partitions_and_ignores_order(
        picks in prop::collection::vec((0usize..STORIES.len(), 0usize..2, any::<bool>()), 1..25),
        seed in any::<u64>(),
    ) {
        // Each item: a story, whether a copy dropped its last sentence (of four), and a byline.
        let texts: Vec<Normalised> = picks
            .iter()
            .map(|&(story, dropped, byline)| {
                let sentences: Vec<&str> = STORIES[story].split_inclusive(". ").collect();
                let kept = sentences[..sentences.len() - dropped.min(sentences.len() - 1)].concat();
                let body = if byline { format!("[뉴스1 김철수 기자] {kept} ⓒ 뉴스1") } else { kept };
                normalise_text("", &body)
            })
            .collect();
        let cfg = DedupConfig::default();
        let clusters = dedup::cluster_texts(&texts, &cfg);
        // A partition: every article's representative represents itself and shares its id.
        for (i, &r) in clusters.representative.iter().enumerate() {
            prop_assert!(clusters.is_representative(r));
            prop_assert_eq!(clusters.cluster_id[i], clusters.cluster_id[r]);
        }
        prop_assert_eq!(clusters.sizes().iter().sum::<u64>(), texts.len() as u64);
        // Copies of one story are one cluster; different stories never merge.
        for (i, a) in picks.iter().enumerate() {
            for (j, b) in picks.iter().enumerate() {
                prop_assert_eq!(a.0 == b.0, clusters.cluster_id[i] == clusters.cluster_id[j]);
            }
        }
        // Shuffled input: the same groups, as sets of texts.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        let mut state = seed;
        for i in (1..order.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (state >> 33) as usize % (i + 1));
        }
        let shuffled: Vec<Normalised> = order.iter().map(|&i| texts[i].clone()).collect();
        let other = dedup::cluster_texts(&shuffled, &cfg);
        let groups = |c: &dedup::Clusters, t: &[Normalised]| {
            let mut g: HashMap<u32, Vec<String>> = HashMap::new();
            for (i, id) in c.cluster_id.iter().enumerate() {
                g.entry(*id).or_default().push(t[i].body.clone());
            }
            let mut v: Vec<Vec<String>> = g.into_values().map(|mut m| { m.sort(); m }).collect();
            v.sort();
            v
        };
        prop_assert_eq!(groups(&clusters, &texts), groups(&other, &shuffled));
    }
}

/// Distinct stories (written for this test) of four or five sentences each.
const STORIES: [&str; 4] = [
    "카카오는 16일 판교 데이터센터 화재로 멈췄던 카카오톡 메시지 수발신 기능이 복구됐다고 밝혔다. 카카오는 나머지 서비스도 순차적으로 정상화하겠다고 설명했다. 이용자 피해 보상 방안은 다음 주에 발표할 예정이다. 회사는 재발 방지 대책도 함께 내놓겠다고 했다. ",
    "기상청은 17일 전국에 강한 비가 내리겠다고 예보했다. 남부 지방에는 시간당 30㎜ 안팎의 폭우가 쏟아질 것으로 보인다. 산사태와 하천 범람에 대비해 달라고 당부했다. 비는 주말 오후부터 그칠 전망이다. ",
    "서울 종로구는 이번 주말 청와대에서 서촌까지 걷는 문화재 야행을 연다고 밝혔다. 행사에는 국악 공연과 야간 해설 프로그램이 마련된다. 참가비는 무료이며 사전 신청을 받는다. 구는 교통 혼잡에 대비해 대중교통 이용을 권했다. ",
    "프로야구 한국시리즈 1차전에서 홈팀이 연장 접전 끝에 승리했다. 선발 투수는 7이닝 동안 무실점으로 호투했다. 결승타는 11회말 2사 후에 터졌다. 2차전은 내일 같은 구장에서 열린다. ",
];

//! Property tests against naive references: normalisation is idempotent, the polars keyword
//! table equals a plain HashMap count, dedup partitions its input and does not depend on order.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use bodo::dedup::{self, Signature};
use bodo::keywords::{ArticleTerms, KeywordCounts, KeywordFilter};
use bodo::normalise::normalise_text;
use bodo::record::{Field, Noun};

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
    fn keyword_table_equals_naive_count(
        articles in prop::collection::vec(
            (prop::collection::vec(("[가나다라]{1,3}", prop::sample::select(vec!["NNG", "NNP"])), 0..20), 1u64..4),
            1..30,
        )
    ) {
        let filter = KeywordFilter::new(HashSet::new(), 1);
        let mut counts = KeywordCounts::default();
        let mut naive_tf: HashMap<String, u64> = HashMap::new();
        let mut naive_df: HashMap<String, u64> = HashMap::new();
        let mut naive_df_all: HashMap<String, u64> = HashMap::new();
        for (words, copies) in &articles {
            let nouns: Vec<Noun> = words
                .iter()
                .map(|(w, pos)| Noun { text: w.clone(), pos: pos.to_string(), field: Field::Body, start: 0, end: w.len() })
                .collect();
            counts.add(ArticleTerms::from_nouns(nouns, &filter), *copies);
            let distinct: HashSet<&String> = words.iter().map(|(w, _)| w).collect();
            for (w, _) in words {
                *naive_tf.entry(w.clone()).or_default() += 1;
            }
            for w in distinct {
                *naive_df.entry(w.clone()).or_default() += 1;
                *naive_df_all.entry(w.clone()).or_default() += copies;
            }
        }
        let table = bodo::tables::keywords(&counts).unwrap();
        prop_assert_eq!(table.height(), naive_tf.len());
        let keyword = table.column("keyword").unwrap().str().unwrap().clone();
        let tf = table.column("tf").unwrap().u64().unwrap().clone();
        let df = table.column("df").unwrap().u64().unwrap().clone();
        let df_all = table.column("df_all").unwrap().u64().unwrap().clone();
        let mut previous: Option<(u64, String)> = None;
        for i in 0..table.height() {
            let k = keyword.get(i).unwrap().to_string();
            prop_assert_eq!(tf.get(i).unwrap(), naive_tf[&k]);
            prop_assert_eq!(df.get(i).unwrap(), naive_df[&k]);
            prop_assert_eq!(df_all.get(i).unwrap(), naive_df_all[&k]);
            let key = (tf.get(i).unwrap(), k);
            if let Some((ptf, pk)) = &previous {
                prop_assert!(*ptf > key.0 || (*ptf == key.0 && *pk < key.1), "sorted by tf desc, keyword asc");
            }
            previous = Some(key);
        }
    }

    #[test]
    fn dedup_partitions_and_ignores_order(hashes in prop::collection::vec(0u128..6, 1..60), seed in any::<u64>()) {
        let sigs: Vec<Signature> = hashes.iter().map(|&h| Signature { exact: h }).collect();
        let clusters = dedup::cluster(&sigs);
        // Every article points at a representative with the same text, which is the first such.
        for (i, &r) in clusters.representative.iter().enumerate() {
            prop_assert!(r <= i);
            prop_assert_eq!(sigs[r], sigs[i]);
            prop_assert!(clusters.is_representative(r));
        }
        prop_assert_eq!(clusters.sizes().iter().sum::<u64>(), sigs.len() as u64);
        prop_assert_eq!(clusters.stories(), hashes.iter().collect::<HashSet<_>>().len());
        // Shuffled input: the same groups (as sets of texts with sizes).
        let mut order: Vec<usize> = (0..sigs.len()).collect();
        let mut state = seed;
        for i in (1..order.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (state >> 33) as usize % (i + 1));
        }
        let shuffled: Vec<Signature> = order.iter().map(|&i| sigs[i]).collect();
        let other = dedup::cluster(&shuffled);
        let groups = |c: &dedup::Clusters, s: &[Signature]| {
            let sizes = c.sizes();
            let mut g: Vec<(u128, u64)> = (0..s.len()).filter(|&i| c.is_representative(i)).map(|i| (s[i].exact, sizes[i])).collect();
            g.sort();
            g
        };
        prop_assert_eq!(groups(&clusters, &sigs), groups(&other, &shuffled));
    }
}

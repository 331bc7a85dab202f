//! Noun quality on hand-labelled news sentences (`tests/data/nouns-gold.tsv`): precision and
//! recall of bodo's keyword nouns against the gold nouns, counted as multisets per sentence.
//!
//! The floors sit just under what was measured when the noun rule was written (see the figures
//! printed with `--nocapture`); MeCab-ko on the same sentences and dictionary is measured by
//! `benches/nouns_vs_mecab.py`.

use std::collections::HashMap;

use bodo::morph::Morphology;
use bodo::record::Field;

/// (true positives, predicted, gold) over the gold file.
fn score(predict: &mut dyn FnMut(&str) -> Vec<String>) -> (usize, usize, usize) {
    let gold = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/nouns-gold.tsv"
    ))
    .unwrap();
    let (mut tp, mut predicted, mut expected) = (0, 0, 0);
    for line in gold
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (sentence, nouns) = line.split_once('\t').expect("sentence TAB nouns");
        let mut want: HashMap<&str, usize> = HashMap::new();
        for n in nouns.split('|') {
            *want.entry(n).or_default() += 1;
        }
        expected += nouns.split('|').count();
        let got = predict(sentence);
        predicted += got.len();
        for g in &got {
            if let Some(c) = want.get_mut(g.as_str()).filter(|c| **c > 0) {
                *c -= 1;
                tp += 1;
            }
        }
    }
    (tp, predicted, expected)
}

#[test]
fn bodo_nouns_against_gold() {
    let morphology = Morphology::load().unwrap();
    let mut worker = morphology.worker();
    let (tp, predicted, expected) = score(&mut |s| {
        let mut out = Vec::new();
        worker.nouns(s, Field::Body, &mut out).unwrap();
        out.into_iter().map(|n| n.text).collect()
    });
    let precision = tp as f64 / predicted as f64;
    let recall = tp as f64 / expected as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    println!("bodo nouns: P {precision:.3} R {recall:.3} F1 {f1:.3} ({tp} of {predicted} predicted, {expected} gold)");
    assert!(expected >= 180, "the gold set is all there");
    assert!(precision >= 0.92, "precision {precision:.3}");
    assert!(recall >= 0.92, "recall {recall:.3}");
}

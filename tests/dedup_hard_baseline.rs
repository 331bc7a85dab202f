//! How `bodo::dedup::cluster_texts` scores, per kind, on the hard labelled set of
//! `bodo::dupset::hard`: invented outlets whose bylines and trailers the normaliser does not
//! strip, flashes, paraphrases and daily reports (see that module's docs).
//!
//! Takes the shipped search page as seeds; generates the set (seed [`SEED`], [`STORIES`] gold
//! stories), normalises every article, clusters the texts and prints the set's size, the overall
//! scores and per kind: pairwise and B-cubed precision and recall (pairs with at least one
//! article of the kind; B-cubed over the kind's articles), copies not joined to their story's
//! root and articles merged with another story. It asserts nothing: the quality floors belong in
//! `tests/dedup_quality.rs`; this prints the figures they are set from.
//!
//!     cargo test --release --test dedup_hard_baseline -- --ignored --nocapture

use bodo::dedup::{cluster_texts, DedupConfig};
use bodo::dupset::{self, hard};
use bodo::normalise::normalise_text;
use bodo::record::{Article, Normalised};

const SEED: u64 = 20_221_015;
const STORIES: usize = 500;

fn page() -> Vec<Article> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/seoul-shinmun-kakao-outage-search.txt");
    bodo::pipeline::read_articles(&[path], &Default::default()).expect("the shipped page")
}

#[test]
#[ignore = "prints today's dedup scores per kind on the hard set; asserts nothing"]
fn hard_set_scores_per_kind() {
    let set = hard::generate(&page(), SEED, STORIES);
    let s = hard::summary(&set);
    println!(
        "{} articles, {} gold stories, {} outlets ({} templates), {} hard-negative pairs",
        s.articles, s.stories, s.outlets, s.templates, s.hard_negative_pairs
    );
    let texts: Vec<Normalised> = set
        .iter()
        .map(|a| normalise_text(&a.title, &a.body))
        .collect();
    let predicted = cluster_texts(&texts, &DedupConfig::default()).representative;
    let gold: Vec<usize> = set.iter().map(|a| a.gold).collect();
    let all = dupset::score(&gold, &predicted);
    let clusters = predicted
        .iter()
        .enumerate()
        .filter(|&(i, &r)| i == r)
        .count();
    println!("{clusters} predicted clusters");
    println!(
        "all       pairwise P {:.4} R {:.4} F1 {:.4} · B-cubed P {:.4} R {:.4} F1 {:.4}",
        all.pair_precision,
        all.pair_recall,
        all.pair_f1,
        all.bcubed_precision,
        all.bcubed_recall,
        all.bcubed_f1
    );
    println!(
        "{:<30} {:>5} {:>7} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
        "kind", "n", "pair P", "pair R", "B3 P", "B3 R", "missed", "merged", "joined"
    );
    for k in hard::scores_by_kind(&set, &predicted) {
        println!(
            "{:<30} {:>5} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>6} {:>6} {:>6.3}",
            k.kind,
            k.articles,
            k.scores.pair_precision,
            k.scores.pair_recall,
            k.scores.bcubed_precision,
            k.scores.bcubed_recall,
            k.missed,
            k.merged,
            k.joined()
        );
    }
}

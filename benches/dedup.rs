//! Dedup benchmark: what grouping copies into stories costs, next to morphology, as the corpus
//! grows.
//!
//!     cargo bench --bench dedup                          # 10,000 articles
//!     BODO_BENCH_ARTICLES=100000 cargo bench --bench dedup
//!
//! On a `bodo synth` corpus (deterministic, from the shipped page; cached in target/bench-data/)
//! it runs the pipeline's own passes and reports:
//! - signatures: pass 1 with dedup on minus pass 1 with dedup off (ingest and normalise cancel);
//! - candidates + verification + clusters: the dedup pass (it re-reads the input);
//! - morphology: the analysis pass, for the ratio the dedup goal is stated in;
//! - the process's peak resident memory (VmHWM), and the dedup data held per article.
//!
//! It checks its answer: the clusters must be the synthetic stories, up to the few near copies
//! per thousand that LSH can miss (a missed copy becomes a story of its own, never a wrong merge).

mod common;

use std::path::Path;
use std::time::Instant;

use bodo::dedup::DedupConfig;
use bodo::entities::gazetteer::Gazetteer;
use bodo::entities::Recogniser;
use bodo::keywords::KeywordFilter;
use bodo::morph::Morphology;
use bodo::pipeline;
use bodo::pipeline::MENTION_COLUMNS;
use bodo::tables::TableStream;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let articles = common::articles(10_000);
    let (corpus, stats) = common::corpus(articles);
    let inputs = bodo::ingest::resolve(std::slice::from_ref(&corpus), &Default::default()).unwrap();
    let opts = Default::default();
    let source = pipeline::Source {
        inputs: &inputs,
        opts: &opts,
        batch_size: 2048,
    };
    let bar = indicatif::ProgressBar::hidden();
    let on = DedupConfig::default();
    let off = DedupConfig {
        enabled: false,
        ..Default::default()
    };

    let t = Instant::now();
    drop(pipeline::scan(&source, &off, &bar).unwrap());
    let scan_plain = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut scanned = pipeline::scan(&source, &on, &bar).unwrap();
    let scan_signed = t.elapsed().as_secs_f64();
    let signature_bytes: usize =
        std::mem::size_of_val(scanned.signatures.as_slice()) + 4 * scanned.minhashes.len();
    let t = Instant::now();
    let (clusters, dedup_stats) = pipeline::dedup(&source, &on, &mut scanned).unwrap();
    let dedup_pass = t.elapsed().as_secs_f64();
    // LSH is probabilistic: a near copy whose Jaccard similarity is low can miss every band
    // (about 3 in 1,000 at Jaccard 0.6), and then stays its own story. Allow a few per thousand.
    let found = clusters.stories();
    assert!(
        found >= stats.stories && (found - stats.stories) * 1000 <= stats.stories * 2,
        "{found} clusters for {} synthetic stories",
        stats.stories
    );
    let copies = pipeline::apply_clusters(&mut scanned, &clusters);
    let peak_before_morph = peak_rss_mb();

    let filter = KeywordFilter::with_stopword_files(&[] as &[&Path], 2).unwrap();
    let morph = Morphology::load().unwrap();
    let recogniser = Recogniser::new(Gazetteer::load(&[]).unwrap());
    let analysers = bodo::analyse::Analysers {
        morphology: &morph,
        recogniser: &recogniser,
        filter: &filter,
    };
    let out = tempfile::tempdir().unwrap();
    let mut mentions =
        TableStream::create(out.path(), "mentions.csv", false, false, MENTION_COLUMNS).unwrap();
    let t = Instant::now();
    pipeline::analyse(
        &source,
        &on,
        &mut scanned,
        &clusters,
        &copies,
        &analysers,
        &mut mentions,
        &bar,
    )
    .unwrap();
    let morphology = t.elapsed().as_secs_f64();

    let signatures = (scan_signed - scan_plain).max(0.0);
    let dedup_total = signatures + dedup_pass;
    let mb = std::fs::metadata(&corpus).unwrap().len() as f64 / 1e6;
    println!(
        "{articles} articles ({mb:.0} MB, {} stories generated, {found} clusters found), {} threads",
        stats.stories,
        rayon::current_num_threads()
    );
    println!("  signatures (pass 1 with − without dedup) {signatures:>8.2} s");
    println!(
        "  candidates + verification + clusters     {dedup_pass:>8.2} s  ({} candidate pairs, {} exact, {} matched)",
        dedup_stats.candidate_pairs, dedup_stats.exact_pairs, dedup_stats.matched_pairs
    );
    println!(
        "  dedup total                              {dedup_total:>8.2} s  = {:.0} articles/s",
        articles as f64 / dedup_total
    );
    println!("  morphology + keywords (pass 3)           {morphology:>8.2} s");
    println!(
        "  dedup / morphology = {:.2} (goal < 0.25); signatures held: {:.0} bytes/article; peak RSS {:.0} MB before morphology, {:.0} MB at the end",
        dedup_total / morphology,
        signature_bytes as f64 / articles as f64,
        peak_before_morph,
        peak_rss_mb()
    );
}

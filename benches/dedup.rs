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
//! It checks its answer: every synthetic story must come out as exactly one cluster.

use std::path::Path;
use std::time::Instant;

use bodo::dedup::DedupConfig;
use bodo::keywords::KeywordFilter;
use bodo::pipeline;

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
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let articles: usize = std::env::var("BODO_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = root.join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let corpus = dir.join(format!("synth-{articles}.jsonl"));
    let seeds = pipeline::read_articles(
        &[root.join("data/seoul-shinmun-kakao-outage-search.txt")],
        &Default::default(),
    )
    .unwrap();
    let config = bodo::synth::SynthConfig {
        articles,
        ..Default::default()
    };
    let stats = if corpus.exists() {
        bodo::synth::generate(&seeds, &config, &mut std::io::sink()).unwrap()
    } else {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&corpus).unwrap());
        bodo::synth::generate(&seeds, &config, &mut file).unwrap()
    };
    let inputs = bodo::ingest::resolve(std::slice::from_ref(&corpus), &Default::default()).unwrap();
    let opts = Default::default();
    let bar = indicatif::ProgressBar::hidden();
    let batch = 2048;
    let on = DedupConfig::default();
    let off = DedupConfig {
        enabled: false,
        ..Default::default()
    };

    let t = Instant::now();
    drop(pipeline::scan(&inputs, &opts, batch, &off, &bar).unwrap());
    let scan_plain = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut scanned = pipeline::scan(&inputs, &opts, batch, &on, &bar).unwrap();
    let scan_signed = t.elapsed().as_secs_f64();
    let signature_bytes: usize = scanned
        .signatures
        .iter()
        .map(|s| 16 + 4 * s.minhash.len())
        .sum();
    let t = Instant::now();
    let (clusters, dedup_stats) =
        pipeline::dedup(&inputs, &opts, batch, &on, &mut scanned).unwrap();
    let dedup_pass = t.elapsed().as_secs_f64();
    assert_eq!(
        clusters.stories(),
        stats.stories,
        "every synthetic story is one cluster"
    );
    let copies = pipeline::apply_clusters(&mut scanned, &clusters);
    let peak_before_morph = peak_rss_mb();

    let filter = KeywordFilter::with_stopword_files(&[] as &[&Path], 2).unwrap();
    let t = Instant::now();
    pipeline::analyse(
        &inputs,
        &opts,
        batch,
        &on,
        &mut scanned,
        &clusters,
        &copies,
        &filter,
        &bar,
    )
    .unwrap();
    let morphology = t.elapsed().as_secs_f64();

    let signatures = (scan_signed - scan_plain).max(0.0);
    let dedup_total = signatures + dedup_pass;
    let mb = std::fs::metadata(&corpus).unwrap().len() as f64 / 1e6;
    println!(
        "{articles} articles ({mb:.0} MB, {} stories), {} threads",
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

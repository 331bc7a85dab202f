//! Charts and report benchmark: how long drawing every chart (PNG and SVG) and writing
//! report.html takes after a large run — they read the aggregated tables, not the articles, so
//! the goal is under two seconds for a 100k-article run.
//!
//!     cargo bench --bench report                      # 100k synthetic articles
//!     BODO_BENCH_ARTICLES=20000 cargo bench --bench report
//!
//! The run itself (without charts) is done once and not timed; `bodo::redraw` (what
//! `bodo charts` does) is timed three times and the median reported, with the size of the
//! tables it read. Each redraw must give the same bytes.

mod common;

use std::time::{Duration, Instant};

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let (corpus, stats) = common::corpus(common::articles(100_000));
    let out = tempfile::tempdir().unwrap();
    let config = bodo::Config {
        inputs: vec![corpus],
        out: out.path().to_path_buf(),
        charts: false,
        ..Default::default()
    };
    let t = Instant::now();
    let summary = bodo::run(&config).unwrap();
    let run = t.elapsed();

    let mut times = Vec::new();
    let mut report: Option<Vec<u8>> = None;
    for _ in 0..3 {
        let t = Instant::now();
        let charts = bodo::redraw(out.path(), None, bodo::bins::Binning::Auto).unwrap();
        times.push(t.elapsed());
        assert_eq!(charts.drawn.len(), 9, "skipped: {:?}", charts.skipped);
        let html = std::fs::read(out.path().join("report.html")).unwrap();
        if let Some(previous) = &report {
            assert!(previous == &html, "two redraws gave different reports");
        }
        report = Some(html);
    }
    times.sort();
    let median: Duration = times[1];
    let table_bytes: u64 = std::fs::read_dir(out.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .filter(|e| e.file_name() != "articles.csv" && e.file_name() != "mentions.csv")
        .map(|e| e.metadata().unwrap().len())
        .sum();
    println!(
        "{} articles ({} stories); run without charts {:.1} s; aggregated tables {:.1} MB",
        stats.articles,
        summary.counts.analysed,
        run.as_secs_f64(),
        table_bytes as f64 / 1e6
    );
    println!(
        "charts (9, PNG + SVG) + report.html: median {:.3} s of 3 (goal < 2 s); report {:.0} kB",
        median.as_secs_f64(),
        report.map_or(0, |r| r.len()) as f64 / 1e3
    );
}

//! What the benchmarks share: the synthetic corpus they measure on.

use std::path::{Path, PathBuf};

use bodo::synth::{SynthConfig, SynthStats};

/// Articles to generate: `BODO_BENCH_ARTICLES`, or `default`.
pub fn articles(default: usize) -> usize {
    count_from_env("BODO_BENCH_ARTICLES", default)
}

/// The number in the environment variable `var`, or `default` when it is unset or not a number.
#[allow(dead_code)] // not every benchmark uses it
pub fn count_from_env(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `bodo synth` corpus of `articles` articles seeded by the shipped page, written once to
/// `target/bench-data/` and reused (generation is deterministic, so a cached file is the same).
#[allow(dead_code)] // not every benchmark uses it
pub fn corpus(articles: usize) -> (PathBuf, SynthStats) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("synth-{articles}.jsonl"));
    let seeds = bodo::pipeline::read_articles(
        &[root.join("data/seoul-shinmun-kakao-outage-search.txt")],
        &Default::default(),
    )
    .unwrap();
    let config = SynthConfig {
        articles,
        ..Default::default()
    };
    let stats = if path.exists() {
        bodo::synth::generate(&seeds, &config, &mut std::io::sink()).unwrap()
    } else {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        bodo::synth::generate(&seeds, &config, &mut file).unwrap()
    };
    (path, stats)
}

/// The corpus a benchmark measures: the first argument that is neither an option nor the value
/// of `--model`, else the 10k article news corpus ([`news_corpus`]); `None` under `cargo test
/// --benches` (`--list`).
#[allow(dead_code)] // not every benchmark uses it
pub fn corpus_argument() -> Option<PathBuf> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        return None;
    }
    let value_of_model = |i: usize| i > 0 && args[i - 1] == "--model";
    let path = (0..args.len()).find(|&i| !args[i].starts_with('-') && !value_of_model(i));
    Some(match path.map(|i| &args[i]) {
        Some(path) => PathBuf::from(path),
        None => news_corpus(articles(10_000)),
    })
}

/// A news-like corpus of `articles` articles (`bodo synth --news`: a quarter wire copies, a
/// realistic share of new words), written once to `target/bench-data/` by the built binary.
#[allow(dead_code)] // not every benchmark uses it
pub fn news_corpus(articles: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(format!("target/bench-data/news-{articles}.jsonl"));
    if !path.exists() {
        std::fs::create_dir_all(path.parent().expect("a directory")).unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_bodo"))
            .arg("synth")
            .arg(root.join("data/seoul-shinmun-kakao-outage-search.txt"))
            .args(["-n", &articles.to_string(), "--days", "365", "--news", "-o"])
            .arg(&path)
            .status()
            .expect("bodo synth runs");
        assert!(status.success(), "bodo synth --news failed");
    }
    path
}

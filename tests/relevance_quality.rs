//! Off-topic detection on labelled mixes: the shipped page (fourteen outage stories and one
//! festival piece, `000004`) plus articles of the held-out entity set (`heldout-*`: courts,
//! health, rates, sport, diplomacy … none about the outage). Every stray must be flagged and no
//! outage story, against the dump's centroid when strays are a minority, and against `--topic`
//! when they are as many as the coverage.

use std::path::Path;

mod common;

use common::{bodo, repo, PAGE};

/// (representative id, off_topic) of every story of a run.
fn stories(inputs: &[&Path], extra: &[&str]) -> Vec<(String, bool)> {
    let out = tempfile::tempdir().unwrap();
    let status = bodo()
        .arg("run")
        .args(inputs)
        .args(extra)
        .arg("-q")
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let mut reader = csv::Reader::from_path(out.path().join("clusters.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, off) = (col("representative_id"), col("off_topic"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[id].to_string(), &r[off] == "true")
        })
        .collect()
}

fn is_stray(id: &str) -> bool {
    id.starts_with("heldout-") || id.ends_with("-000004")
}

/// Precision and recall of the off-topic flag against the labels.
fn check(found: &[(String, bool)], strays: usize) {
    let flagged: Vec<&str> = found
        .iter()
        .filter(|(_, off)| *off)
        .map(|(id, _)| id.as_str())
        .collect();
    let right = flagged.iter().filter(|id| is_stray(id)).count();
    println!(
        "{} stories, {strays} strays: flagged {}, precision {:.3}, recall {:.3}",
        found.len(),
        flagged.len(),
        right as f64 / flagged.len().max(1) as f64,
        right as f64 / strays as f64
    );
    assert_eq!(found.iter().filter(|(id, _)| is_stray(id)).count(), strays);
    assert!(
        right == strays && flagged.len() == strays,
        "flagged {flagged:?}"
    );
}

#[test]
fn a_few_strays_against_the_centroid() {
    let dir = tempfile::tempdir().unwrap();
    let four = dir.path().join("four.jsonl");
    let heldout = std::fs::read_to_string(repo("tests/data/entities/heldout/articles.jsonl"));
    let lines: Vec<&str> = heldout.as_ref().unwrap().lines().take(4).collect();
    std::fs::write(&four, lines.join("\n") + "\n").unwrap();
    let page = repo(PAGE);
    check(&stories(&[&page, &four], &[]), 5);
    check(&stories(&[&page], &[]), 1);
}

#[test]
fn as_many_strays_as_stories_against_a_topic() {
    let page = repo(PAGE);
    let heldout = repo("tests/data/entities/heldout/articles.jsonl");
    check(
        &stories(&[&page, &heldout], &["--topic", "카카오 먹통"]),
        15,
    );
}

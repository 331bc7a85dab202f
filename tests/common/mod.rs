//! What the end-to-end tests share: the binary, paths in the repository, and readers for the
//! tables and manifest a run writes. (Each test crate uses some of it.)
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The shipped search page.
pub const PAGE: &str = "data/seoul-shinmun-kakao-outage-search.txt";

pub fn bodo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bodo"))
}

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A CSV as a header and rows of strings.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).expect("csv opens");
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

pub fn column<'a>(header: &[String], rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows.iter().map(|r| r[i].as_str()).collect()
}

pub fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

pub fn counts(out: &Path) -> HashMap<String, u64> {
    let m = manifest(out);
    let c = m["counts"].as_object().unwrap();
    let counts: HashMap<String, u64> = c
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(
        counts["read"],
        counts["analysed"] + counts["duplicate"] + counts["rejected"],
        "manifest reconciles: {counts:?}"
    );
    counts
}

/// Every entry of a directory (hidden ones included) with its bytes, sorted by path.
pub fn dir_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

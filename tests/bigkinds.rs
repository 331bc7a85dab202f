//! End-to-end tests of BIGKinds Excel exports (`.xlsx`), `.zip` archives of inputs and `.zst`
//! inputs, run through the real binary on the fixtures of `tests/data/bigkinds/`.
//!
//! The fixtures are made by `tests/data/bigkinds/make_fixtures.py`, which also writes
//! `labels.json`: row by row, the cells each file holds and what bodo must make of the row
//! (analysed, a duplicate of which article, or rejected and why), and the counts per file. The
//! directory's README says why each file exists. Every expectation below comes from those labels,
//! or is computed here from bodo's other outputs (articles.csv, mentions.csv) and the shipped
//! gazetteer; none is a number copied from a run.
//!
//! Regenerate the fixtures with `python3 tests/data/bigkinds/make_fixtures.py` (openpyxl 3.1.5,
//! zstandard 0.25.0); the output is byte-identical from run to run.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;

use common::{bodo, counts, read_csv, repo};

const KAKAO: &str = "kakao-outage-bigkinds.xlsx";
const OLDER: &str = "older-header-bigkinds.xlsx";
const EDGE: &str = "edge-cases-bigkinds.xlsx";
const ARCHIVE: &str = "bigkinds-archive.zip";
const ZST: &str = "news.jsonl.zst";

/// The columns articles.csv carries over from a BIGKinds export (인물, 위치, 기관, 키워드), and
/// the entity type each of the first three names.
const BIGKINDS_COLUMNS: [&str; 4] = [
    "bigkinds_people",
    "bigkinds_places",
    "bigkinds_organisations",
    "bigkinds_keywords",
];
const BIGKINDS_TYPES: [(&str, &str); 3] = [
    ("bigkinds_people", "PER"),
    ("bigkinds_places", "LOC"),
    ("bigkinds_organisations", "ORG"),
];

const OVERLAP: &str = "bigkinds_entities_overlap.csv";

fn fixture(name: &str) -> PathBuf {
    repo(&format!("tests/data/bigkinds/{name}"))
}

/// The labels of one fixture file (see make_fixtures.py's `labels()`).
fn labels(file: &str) -> Value {
    let all: Value =
        serde_json::from_slice(&std::fs::read(fixture("labels.json")).unwrap()).unwrap();
    assert!(all[file].is_object(), "no labels for {file}");
    all[file].clone()
}

fn label_rows(labels: &Value) -> &[Value] {
    labels["rows"].as_array().unwrap()
}

fn s(v: &Value) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("{v} is not a string in labels.json"))
}

/// A CSV read as rows of named cells.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let (header, rows) = read_csv(path);
        Table { header, rows }
    }

    fn records(&self) -> Vec<HashMap<&str, &str>> {
        self.rows
            .iter()
            .map(|r| {
                self.header
                    .iter()
                    .map(String::as_str)
                    .zip(r.iter().map(String::as_str))
                    .collect()
            })
            .collect()
    }
}

/// A finished run: its output directory, exit status and stderr.
struct Run {
    out: tempfile::TempDir,
    code: i32,
    stderr: String,
}

impl Run {
    fn table(&self, name: &str) -> Table {
        Table::read(&self.out.path().join(name))
    }
}

/// `bodo run INPUTS FLAGS --no-charts --out TMP`; it must finish (exit 0, or 1 with rejections).
fn run(inputs: &[&Path], flags: &[&str]) -> Run {
    let out = tempfile::tempdir().unwrap();
    let output = bodo()
        .arg("run")
        .args(inputs)
        .args(flags)
        .args(["--no-charts", "--out"])
        .arg(out.path())
        .output()
        .expect("bodo runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "bodo run {inputs:?} {flags:?} did not finish (exit {code}): {stderr}"
    );
    Run { out, code, stderr }
}

/// The manifest reconciles, articles.csv has a row per record and rejected.csv one per rejection,
/// the counts are the labelled ones, the summary line says them and the exit status follows.
fn assert_counts(run: &Run, expected: &Value) {
    let c = counts(run.out.path());
    for key in ["read", "analysed", "duplicate", "rejected"] {
        assert_eq!(
            c[key],
            expected[key].as_u64().unwrap(),
            "{key}: manifest counts {c:?}, labelled {expected}"
        );
    }
    assert_eq!(run.table("articles.csv").rows.len() as u64, c["read"]);
    assert_eq!(run.table("rejected.csv").rows.len() as u64, c["rejected"]);
    let summary = format!(
        "read {} · analysed {} · duplicates {} · rejected {}",
        c["read"], c["analysed"], c["duplicate"], c["rejected"]
    );
    assert!(run.stderr.contains(&summary), "{}", run.stderr);
    assert_eq!(
        run.code,
        if c["rejected"] > 0 { 1 } else { 0 },
        "exit status 1 exactly when records were rejected"
    );
}

/// The rows of articles.csv (and rejected.csv) read from one BIGKinds sheet, whose sources are
/// `{sheet}:{ROW}`, against the sheet's labelled rows; `key` is `default` or `kept`
/// (`--keep-bigkinds-excluded`).
fn assert_rows(run: &Run, sheet: &str, rows: &[Value], key: &str) {
    let articles = run.table("articles.csv");
    let rejected = run.table("rejected.csv");
    let prefix = format!("{sheet}:");
    let got: Vec<HashMap<&str, &str>> = articles
        .records()
        .into_iter()
        .filter(|r| r["source"].starts_with(&prefix))
        .collect();
    assert_eq!(
        got.len(),
        rows.len(),
        "one articles.csv row per non-blank row of {sheet}"
    );
    let rejections = rejected.records();
    for (a, label) in got.iter().zip(rows) {
        let row = label["row"].as_u64().unwrap();
        let want = &label[key];
        let status = s(&want["status"]);
        assert_eq!(a["source"], format!("{sheet}:{row}"), "Excel row numbers");
        assert_eq!(a["article_id"], s(&label["id"]), "뉴스 식별자 of row {row}");
        assert_eq!(a["status"], status, "row {row}: {a:?}");
        if status == "rejected" {
            let r = rejections
                .iter()
                .find(|r| r["source"] == a["source"])
                .unwrap_or_else(|| panic!("row {row} is not in rejected.csv"));
            assert_eq!(r["article_id"], s(&label["id"]));
            assert_eq!(r["reason"], s(&want["reason"]), "row {row}");
            continue;
        }
        if status == "duplicate" {
            assert_eq!(a["duplicate_of"], s(&want["duplicate_of"]), "row {row}");
        } else {
            assert_eq!(a["duplicate_of"], "", "row {row}");
        }
        for (column, field) in [
            ("outlet", "outlet"),
            ("date", "date"),
            ("url", "url"),
            ("title", "title"),
        ] {
            assert_eq!(a[column], s(&label[field]), "{column} of row {row}");
        }
        assert_eq!(a["date_raw"], "", "row {row}'s date was read");
        for column in BIGKINDS_COLUMNS {
            assert_eq!(a[column], s(&label[column]), "{column} of row {row}");
        }
    }
}

// ------------------------------------------------------------------------------------------
// The overlap table, computed independently.

fn no_spaces(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The shipped gazetteer: (surface without spaces, type) → canonical name.
fn gazetteer() -> HashMap<(String, String), String> {
    let text = std::fs::read_to_string(repo("data/gazetteer-ko.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 4, "{l}");
            let canonical = if f[2].is_empty() { f[0] } else { f[2] };
            ((no_spaces(f[0]), f[1].to_string()), canonical.to_string())
        })
        .collect()
}

/// Per (name without spaces, type): [in_bigkinds, in_bodo, articles] over the analysed articles
/// that came from a BIGKinds export (an `.xlsx` sheet, in an archive or not): BIGKinds' names
/// from articles.csv's bigkinds_* cells mapped through the gazetteer, bodo's from mentions.csv.
fn expected_overlap(run: &Run) -> BTreeMap<(String, String), [u64; 3]> {
    let gazetteer = gazetteer();
    let articles = run.table("articles.csv");
    let mentions = run.table("mentions.csv");
    // A place of several words (an address bodo joined) also names each word that is a place on
    // its own: a province's short name, a word ending in an administrative unit, a gazetteer place.
    const PROVINCES: [&str; 17] = [
        "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북",
        "충남", "전북", "전남", "경북", "경남", "제주",
    ];
    let place = |word: &str| -> Option<String> {
        let known = gazetteer.get(&(word.to_string(), "LOC".to_string()));
        let unit = ["시", "군", "구", "동", "읍", "면", "리", "도"]
            .iter()
            .any(|u| word.len() > u.len() && word.ends_with(u));
        (known.is_some() || unit || PROVINCES.contains(&word))
            .then(|| no_spaces(known.map_or(word, String::as_str)))
    };
    let mut found: HashMap<&str, BTreeSet<(String, String)>> = HashMap::new();
    for m in mentions.records() {
        let names = found.entry(m["article_id"]).or_default();
        names.insert((no_spaces(m["entity"]), m["type"].to_string()));
        if m["type"] == "LOC" && m["entity"].contains(' ') {
            for part in m["entity"].split_whitespace().filter_map(place) {
                names.insert((part, "LOC".to_string()));
            }
        }
    }
    let mut out: BTreeMap<(String, String), [u64; 3]> = BTreeMap::new();
    for a in articles.records() {
        if a["status"] != "analysed" || !a["source"].contains(".xlsx:") {
            continue;
        }
        let mut named = BTreeSet::new();
        for (column, kind) in BIGKINDS_TYPES {
            for name in a[column]
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                let key = (no_spaces(name), kind.to_string());
                let canonical = gazetteer.get(&key).map_or(name, String::as_str);
                named.insert((no_spaces(canonical), kind.to_string()));
            }
        }
        let by_bodo = found.remove(a["article_id"]).unwrap_or_default();
        for key in &named {
            out.entry(key.clone()).or_default()[0] += 1;
        }
        for key in &by_bodo {
            out.entry(key.clone()).or_default()[1] += 1;
        }
        for key in named.intersection(&by_bodo) {
            out.entry(key.clone()).or_default()[2] += 1;
        }
    }
    out
}

/// The overlap table bodo wrote, by (name without spaces, type): (entity as written, counts).
/// Checks it against [`expected_overlap`]: the same PER/ORG/LOC rows with the same counts, one
/// row per entity whatever its spacing; rows of other types (DATE), where listed, counted the
/// same way.
fn assert_overlap(run: &Run) -> BTreeMap<(String, String), (String, [u64; 3])> {
    let table = run.table(OVERLAP);
    assert_eq!(
        table.header,
        ["entity", "type", "in_bigkinds", "in_bodo", "articles"]
    );
    let mut got = BTreeMap::new();
    for r in table.records() {
        let n = |c: &str| r[c].parse::<u64>().unwrap();
        let counts = [n("in_bigkinds"), n("in_bodo"), n("articles")];
        assert!(
            counts[2] <= counts[0].min(counts[1]) && counts[0] + counts[1] > 0,
            "{r:?}"
        );
        let key = (no_spaces(r["entity"]), r["type"].to_string());
        let previous = got.insert(key.clone(), (r["entity"].to_string(), counts));
        assert!(
            previous.is_none(),
            "two rows for {key:?} (names are compared ignoring spaces)"
        );
    }
    let expected = expected_overlap(run);
    let bigkinds_type = |t: &str| BIGKINDS_TYPES.iter().any(|(_, k)| *k == t);
    for (key, want) in expected.iter().filter(|(k, _)| bigkinds_type(&k.1)) {
        assert_eq!(
            got.get(key).map(|g| g.1),
            Some(*want),
            "{key:?}: [in_bigkinds, in_bodo, articles] computed from articles.csv, mentions.csv \
             and the gazetteer"
        );
    }
    for (key, (entity, have)) in &got {
        assert_eq!(
            expected.get(key),
            Some(have),
            "{entity} {}: not named by BIGKinds or bodo in an analysed BIGKinds article, or \
             counted differently",
            key.1
        );
    }
    got
}

/// Analysed rows (by the `default` labels) whose `column` names one of `names`.
fn labelled(rows: &[Value], column: &str, names: &[&str]) -> u64 {
    rows.iter()
        .filter(|r| s(&r["default"]["status"]) == "analysed")
        .filter(|r| s(&r[column]).split(',').any(|n| names.contains(&n.trim())))
        .count() as u64
}

// ------------------------------------------------------------------------------------------

#[test]
fn kakao_export_rows_counts_and_rejections_match_the_labels() {
    let path = fixture(KAKAO);
    let labels = labels(KAKAO);
    let r = run(&[&path], &[]);
    assert_counts(&r, &labels["counts"]);
    assert_rows(&r, path.to_str().unwrap(), label_rows(&labels), "default");

    // The three 분석제외 values, verbatim in the reason, and the empty 본문.
    let rejected = r.table("rejected.csv");
    let reasons: BTreeSet<&str> = rejected.records().iter().map(|x| x["reason"]).collect();
    for reason in [
        "BIGKinds 분석제외 여부: 중복",
        "BIGKinds 분석제외 여부: 예외:지역일반",
        "BIGKinds 분석제외 여부: 예외:중복, 포토",
        "empty body",
    ] {
        assert!(reasons.contains(reason), "{reasons:?}");
    }
    // No Parquet unless asked for.
    let parquet = std::fs::read_dir(r.out.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .and_then(|x| x.to_str())
                == Some("parquet")
        })
        .count();
    assert_eq!(parquet, 0);
}

#[test]
fn keep_bigkinds_excluded_reads_excluded_rows_as_articles() {
    let path = fixture(KAKAO);
    let labels = labels(KAKAO);
    let r = run(&[&path], &["--keep-bigkinds-excluded"]);
    assert_counts(&r, &labels["counts_keep_excluded"]);
    assert_rows(&r, path.to_str().unwrap(), label_rows(&labels), "kept");
    let rejected = r.table("rejected.csv");
    assert!(
        rejected
            .records()
            .iter()
            .all(|x| x["reason"] == "empty body"),
        "only the empty 본문 is rejected"
    );
    // The kept rows take part in the overlap table like any analysed article (row 13, a photo
    // caption, is analysed; whether it is off topic does not matter).
    assert_overlap(&r);
}

#[test]
fn numeric_and_date_cell_dates_are_iso_dates() {
    let path = fixture(KAKAO);
    let labels = labels(KAKAO);
    let r = run(&[&path], &[]);
    let articles = r.table("articles.csv");
    let records = articles.records();
    let mut kinds = BTreeSet::new();
    for label in label_rows(&labels) {
        let kind = s(&label["date_kind"]);
        if kind == "text" {
            continue;
        }
        kinds.insert(kind);
        let a = records
            .iter()
            .find(|a| a["article_id"] == s(&label["id"]))
            .unwrap();
        assert_eq!(
            a["date"],
            s(&label["date"]),
            "{kind} 일자 of row {}",
            label["row"]
        );
        assert_eq!(a["date_raw"], "", "{kind} 일자 was read");
    }
    assert_eq!(kinds, BTreeSet::from(["date-cell", "number"]));
    // Both dates count in the timeline like any other.
    let timeline = r.table("timeline.csv");
    let days: Vec<&str> = timeline.rows.iter().map(|t| t[0].as_str()).collect();
    assert!(
        days.contains(&"2022-10-17") && days.contains(&"2022-10-18"),
        "{days:?}"
    );
}

#[test]
fn bigkinds_columns_carry_the_cells_and_are_empty_for_other_inputs() {
    let kakao = fixture(KAKAO);
    let jsonl = repo("tests/data/pipeline/wire-copies.jsonl");
    let r = run(&[&kakao, &jsonl], &[]);
    let articles = r.table("articles.csv");
    for column in BIGKINDS_COLUMNS {
        assert!(articles.header.iter().any(|h| h == column), "{column}");
    }
    // Cells verbatim (checked against the labels row by row) …
    assert_rows(
        &r,
        kakao.to_str().unwrap(),
        label_rows(&labels(KAKAO)),
        "default",
    );
    // … and empty for the JSONL articles.
    let other: Vec<_> = articles
        .records()
        .into_iter()
        .filter(|a| a["source"].contains("wire-copies.jsonl:"))
        .collect();
    assert_eq!(other.len(), 4);
    for a in &other {
        for column in BIGKINDS_COLUMNS {
            assert_eq!(a[column], "", "{column} of {}", a["source"]);
        }
    }
    // With the JSONL in the run, the overlap table still counts only the BIGKinds articles.
    assert_overlap(&r);

    // A run without any BIGKinds export: the overlap table is its header alone.
    let plain = run(&[&jsonl], &[]);
    let overlap = plain.table(OVERLAP);
    assert_eq!(
        overlap.header,
        ["entity", "type", "in_bigkinds", "in_bodo", "articles"]
    );
    assert!(overlap.rows.is_empty(), "{:?}", overlap.rows);
    for a in plain.table("articles.csv").records() {
        for column in BIGKINDS_COLUMNS {
            assert_eq!(a[column], "");
        }
    }
}

#[test]
fn overlap_table_agrees_with_articles_mentions_and_the_gazetteer() {
    let path = fixture(KAKAO);
    let labels = labels(KAKAO);
    let rows = label_rows(&labels);
    let r = run(&[&path], &[]);
    let got = assert_overlap(&r);
    let get = |name: &str, kind: &str| {
        got.get(&(no_spaces(name), kind.to_string()))
            .map(|(entity, c)| (entity.as_str(), *c))
    };
    let org = "bigkinds_organisations";

    // 카카오: named by BIGKinds in most analysed rows and found by bodo in their texts.
    let (_, kakao) = get("카카오", "ORG").expect("카카오 ORG");
    assert_eq!(kakao[0], labelled(rows, org, &["카카오"]));
    assert!(kakao[1] > 0 && kakao[2] > 0, "{kakao:?}");

    // BIGKinds' aliases count under the gazetteer's canonical name, written canonically.
    for (canonical, kind, column, spellings) in [
        (
            "과학기술정보통신부",
            "ORG",
            org,
            &["과학기술정보통신부", "과기정통부"][..],
        ),
        (
            "과학기술정보방송통신위원회",
            "ORG",
            org,
            &["과학기술정보방송통신위원회", "과방위"][..],
        ),
        ("SK C&C", "ORG", org, &["SK C&C", "SKC&C"][..]),
        ("SK", "ORG", org, &["SK", "SK그룹"][..]),
        (
            "서울특별시",
            "LOC",
            "bigkinds_places",
            &["서울특별시", "서울"][..],
        ),
        ("춘천시", "LOC", "bigkinds_places", &["춘천시", "춘천"][..]),
    ] {
        let (entity, c) =
            get(canonical, kind).unwrap_or_else(|| panic!("{canonical} {kind} not listed"));
        assert_eq!(entity, canonical, "written under its canonical name");
        assert_eq!(c[0], labelled(rows, column, spellings), "{canonical}");
        assert!(c[0] > 0, "{canonical}: the fixture names it");
    }
    for alias in ["과기정통부", "과방위", "SK그룹", "SKC&C", "서울", "춘천"] {
        assert!(
            got.values().all(|(entity, _)| entity != alias),
            "{alias} listed under its alias"
        );
    }
    // Row 6 names 과기정통부, its text 과학기술정보통신부: both, in one article.
    assert!(get("과학기술정보통신부", "ORG").unwrap().1[2] >= 1);

    // 판교데이터센터 (BIGKinds, row 17) and 판교 데이터센터 (bodo) are one row.
    let (_, pangyo) = get("판교 데이터센터", "LOC").expect("판교 데이터센터 LOC");
    assert_eq!(
        pangyo[0],
        labelled(
            rows,
            "bigkinds_places",
            &["판교데이터센터", "판교 데이터센터"]
        )
    );

    // 경기 alone is no name to bodo (the gazetteer omits it, 경기 also meaning game or economy),
    // but bodo's address `경기 성남시 …` names it as a part: BIGKinds lists it in three articles,
    // and the articles where bodo read such an address count for both.
    let (_, gyeonggi) = get("경기", "LOC").expect("경기 LOC");
    assert_eq!(gyeonggi[0], labelled(rows, "bigkinds_places", &["경기"]));
    assert_eq!(gyeonggi[0], 3);
    assert!(gyeonggi[2] > 0, "{gyeonggi:?}");

    // A name in BIGKinds' lists that is not in the gazetteer (소상공인연합회, row 17's 기관) is
    // listed as written. A name only a duplicate's cells give (소방청, row 4) is not counted, and
    // 박성하 counts once (row 10), not for row 4.
    let (entity, union) = get("소상공인연합회", "ORG").expect("소상공인연합회 ORG");
    assert_eq!(entity, "소상공인연합회");
    assert_eq!(union[0], labelled(rows, org, &["소상공인연합회"]));
    assert_eq!(labelled(rows, org, &["소방청"]), 0);
    assert_eq!(get("소방청", "ORG").map_or(0, |(_, c)| c[0]), 0);
    assert_eq!(
        get("박성하", "PER").expect("박성하 PER").1[0],
        labelled(rows, "bigkinds_people", &["박성하"])
    );
    assert_eq!(labelled(rows, "bigkinds_people", &["박성하"]), 1);
}

#[test]
fn older_header_spelling_reads_the_same_fields() {
    let older = fixture(OLDER);
    let kakao = fixture(KAKAO);
    let labels_old = labels(OLDER);
    let r = run(&[&older], &[]);
    assert_counts(&r, &labels_old["counts"]);
    assert_rows(
        &r,
        older.to_str().unwrap(),
        label_rows(&labels_old),
        "default",
    );
    let kept = run(&[&older], &["--keep-bigkinds-excluded"]);
    assert_counts(&kept, &labels_old["counts_keep_excluded"]);

    // Its rows repeat rows of the standard export: every field reads the same.
    let standard = run(&[&kakao], &[]);
    let old_articles = r.table("articles.csv");
    let new_articles = standard.table("articles.csv");
    assert_eq!(old_articles.header, new_articles.header);
    let new_records = new_articles.records();
    let mut compared = 0;
    for a in old_articles.records() {
        if a["status"] == "rejected" {
            continue;
        }
        let b = new_records
            .iter()
            .find(|b| b["article_id"] == a["article_id"])
            .unwrap_or_else(|| panic!("{} not in the standard export", a["article_id"]));
        for column in [
            "outlet",
            "date",
            "date_raw",
            "url",
            "title",
            "chars",
            "boilerplate_chars",
        ]
        .into_iter()
        .chain(BIGKINDS_COLUMNS)
        {
            assert_eq!(a[column], b[column], "{column} of {}", a["article_id"]);
        }
        compared += 1;
    }
    assert_eq!(compared, labels_old["counts"]["analysed"].as_u64().unwrap());
    assert_overlap(&r);
}

#[test]
fn edge_cases_formulas_long_cells_partial_and_blank_rows_second_sheet() {
    let path = fixture(EDGE);
    let labels = labels(EDGE);
    let r = run(&[&path], &[]);
    assert_counts(&r, &labels["counts"]);
    // Blank rows (5: no cells, 6: empty cells) and the styled empty row 30 are no records, and
    // do not shift the row numbers of the rows after them.
    assert_rows(&r, path.to_str().unwrap(), label_rows(&labels), "default");
    let articles = r.table("articles.csv");
    let records = articles.records();
    let sources: Vec<&str> = records
        .iter()
        .map(|a| a["source"].rsplit(':').next().unwrap())
        .collect();
    assert_eq!(sources, ["2", "3", "4", "7", "8"]);
    // The second worksheet (selected when saved) is not read.
    assert!(records.iter().all(|a| a["article_id"] != "memo-1"));

    let by_row = |row: &str| {
        records
            .iter()
            .find(|a| a["source"].ends_with(&format!(":{row}")))
            .unwrap()
    };
    // Formula-like text is text, as written.
    assert_eq!(by_row("2")["title"], "=SUM(1)");
    assert!(by_row("2")["bigkinds_keywords"].starts_with("=SUM(1),"));
    // A 20,541-character 본문 (no boilerplate, single spaces) is read whole.
    let long = labels["long_body_chars"].as_u64().unwrap();
    assert_eq!(by_row("3")["chars"].parse::<u64>().unwrap(), long);
    assert_eq!(by_row("3")["boilerplate_chars"], "0");
    // A row with only 뉴스 식별자, 제목 and 본문.
    assert_eq!((by_row("4")["outlet"], by_row("4")["date"]), ("", ""));
    assert_eq!(by_row("4")["status"], "analysed");
    // A date-time cell.
    assert_eq!(by_row("8")["date"], "2022-10-24");

    // For Excel, the formula-like cells get their apostrophe.
    let excel = run(&[&path], &["--excel"]);
    let articles = excel.table("articles.csv");
    let records = articles.records();
    assert_eq!(records[0]["title"], "'=SUM(1)");
    assert!(records[0]["bigkinds_keywords"].starts_with("'=SUM(1),"));
}

#[test]
fn zip_archive_members_are_read_in_name_order() {
    let path = fixture(ARCHIVE);
    let labels = labels(ARCHIVE);
    let r = run(&[&path], &[]);
    assert_counts(&r, &labels["counts"]);
    let zip = path.to_str().unwrap();

    // Sources, member by member in name order (written into the zip in another order).
    let mut expected = Vec::new();
    for member in labels["members"].as_array().unwrap() {
        let name = s(&member["name"]);
        if member["skipped"].as_bool() == Some(true) {
            continue;
        }
        if let Some(rows) = member["rows"].as_array() {
            expected.extend(rows.iter().map(|x| {
                (
                    format!("{zip}/{name}:{}", x["row"]),
                    s(&x["id"]).to_string(),
                )
            }));
        } else {
            let ids = member["ids"].as_array().unwrap();
            expected.extend(
                ids.iter()
                    .enumerate()
                    .map(|(i, id)| (format!("{zip}/{name}:{}", i + 1), s(id).to_string())),
            );
        }
    }
    let articles = r.table("articles.csv");
    let records = articles.records();
    let got: Vec<(String, String)> = records
        .iter()
        .map(|a| (a["source"].to_string(), a["article_id"].to_string()))
        .collect();
    assert_eq!(got, expected);

    // The unsupported member is no record and no rejection.
    let rejected = r.table("rejected.csv");
    for t in [&articles, &rejected] {
        assert!(t.rows.iter().flatten().all(|c| !c.contains("03-notes.md")));
    }
    // The xlsx member is a BIGKinds export like any other: exclusions, cells, overlap.
    let sheet = format!("{zip}/02-bigkinds.xlsx");
    let member = &labels["members"][1];
    assert_rows(&r, &sheet, member["rows"].as_array().unwrap(), "default");
    for a in records.iter().filter(|a| !a["source"].contains(".xlsx:")) {
        for column in BIGKINDS_COLUMNS {
            assert_eq!(a[column], "");
        }
    }
    let overlap = assert_overlap(&r);
    assert!(overlap.contains_key(&("카카오".to_string(), "ORG".to_string())));
}

#[test]
fn zst_input_is_read_like_gz() {
    let path = fixture(ZST);
    let labels = labels(ZST);
    let r = run(&[&path], &[]);
    assert_counts(&r, &labels["counts"]);
    let articles = r.table("articles.csv");
    let records = articles.records();
    let file = path.to_str().unwrap();
    let ids = labels["ids"].as_array().unwrap();
    let dates = labels["dates"].as_array().unwrap();
    assert_eq!(records.len(), ids.len());
    for (i, a) in records.iter().enumerate() {
        assert_eq!(a["source"], format!("{file}:{}", i + 1));
        assert_eq!(a["article_id"], s(&ids[i]));
        if a["status"] != "rejected" {
            assert_eq!(a["date"], s(&dates[i]));
        }
    }
    let rejected = r.table("rejected.csv");
    let rejections = rejected.records();
    for (line, reason) in labels["rejected_lines"].as_object().unwrap() {
        let x = rejections
            .iter()
            .find(|x| x["source"] == format!("{file}:{line}"))
            .unwrap_or_else(|| panic!("line {line} not rejected"));
        assert_eq!(x["reason"], s(reason));
    }
    // Not a BIGKinds export: header only.
    assert!(r.table(OVERLAP).rows.is_empty());
}

#[test]
fn directories_pick_up_xlsx_zip_and_zst() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let copies = [
        (fixture(ARCHIVE), dir.path().join(ARCHIVE)),
        (fixture(KAKAO), dir.path().join(KAKAO)),
        (fixture(ZST), dir.path().join(ZST)),
        (fixture(EDGE), sub.join(EDGE)),
        // Hidden files are skipped, whatever their type.
        (fixture(OLDER), dir.path().join(".hidden-bigkinds.xlsx")),
    ];
    for (from, to) in &copies {
        std::fs::copy(from, to).unwrap();
    }
    let r = run(&[dir.path()], &[]);
    let c = counts(r.out.path());
    let count_of = |file: &str, key: &str| labels(file)["counts"][key].as_u64().unwrap();
    let files = [ARCHIVE, KAKAO, ZST, EDGE];
    for key in ["read", "rejected"] {
        let want: u64 = files.iter().map(|f| count_of(f, key)).sum();
        assert_eq!(c[key], want, "{key}: {c:?}");
    }
    // Sorted path order: each file's records together, files in order, none from the hidden one.
    let articles = r.table("articles.csv");
    let records = articles.records();
    assert!(records.iter().all(|a| !a["source"].contains(".hidden")));
    let file_of = |source: &str| {
        files
            .iter()
            .position(|f| source.contains(&format!("{f}:")) || source.contains(&format!("{f}/")))
            .unwrap_or_else(|| panic!("{source} from no known file"))
    };
    let order: Vec<usize> = records.iter().map(|a| file_of(a["source"])).collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    for (i, f) in files.iter().enumerate() {
        assert_eq!(
            order.iter().filter(|&&o| o == i).count() as u64,
            count_of(f, "read"),
            "{f}"
        );
    }
    assert_overlap(&r);
}

#[test]
fn parquet_writes_a_twin_of_every_table() {
    use polars::prelude::{ParquetReader, SerReader};

    let kakao = fixture(KAKAO);
    let zst = fixture(ZST);
    let r = run(&[&kakao, &zst], &["--parquet"]);
    let mut tables = Vec::new();
    for entry in std::fs::read_dir(r.out.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|x| x.to_str()) == Some("csv") {
            tables.push(path);
        }
    }
    tables.sort();
    let names: Vec<String> = tables
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for name in [
        "articles",
        "rejected",
        "entities",
        "mentions",
        "bigkinds_entities_overlap",
    ] {
        assert!(names.iter().any(|n| n == name), "{name}.csv in {names:?}");
    }
    for csv in &tables {
        let parquet = csv.with_extension("parquet");
        let bytes = std::fs::read(&parquet)
            .unwrap_or_else(|e| panic!("{} has no Parquet twin: {e}", csv.display()));
        assert!(
            bytes.len() >= 8 && bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
            "{} is not Parquet",
            parquet.display()
        );
        let table = Table::read(csv);
        let frame = ParquetReader::new(std::fs::File::open(&parquet).unwrap())
            .finish()
            .unwrap_or_else(|e| panic!("{}: {e}", parquet.display()));
        let columns: Vec<String> = frame
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(columns, table.header, "{}", parquet.display());
        assert_eq!(frame.height(), table.rows.len(), "{}", parquet.display());
    }
    // The same articles, in the same order.
    let articles = Table::read(&r.out.path().join("articles.csv"));
    let frame =
        ParquetReader::new(std::fs::File::open(r.out.path().join("articles.parquet")).unwrap())
            .finish()
            .unwrap();
    let column = frame.column("article_id").unwrap().str().unwrap();
    let ids: Vec<String> = (0..column.len())
        .map(|i| column.get(i).unwrap_or_default().to_string())
        .collect();
    let csv_ids: Vec<String> = articles
        .records()
        .iter()
        .map(|a| a["article_id"].to_string())
        .collect();
    assert_eq!(ids, csv_ids);
}

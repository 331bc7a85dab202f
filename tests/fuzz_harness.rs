//! The fuzz targets' checks on stable Rust, in the normal test suite (cargo-fuzz needs nightly,
//! so CI cannot run it): the same code (`tests/fuzz/src/lib.rs`, included below, not copied)
//! runs on
//! - every file of the fuzz corpora in `tests/fuzz/corpus/<target>/`: the seeds and the inputs
//!   that once broke a check (kept there as regressions);
//! - the BIGKinds fixtures (`tests/data/bigkinds/`: Excel exports, a zip archive, a `.zst`), the
//!   real workbooks the structure-aware `xlsx` target cannot replay on stable (it builds its
//!   workbooks with `rust_xlsxwriter`, a fuzz-crate dependency);
//! - proptest-generated inputs made of the pieces real and hostile inputs are made of (bullets,
//!   JSON objects with aliased keys, quoted CSV rows, CRLF, BOMs, NULs, invalid UTF-8, markup,
//!   entities, full-width and combining characters, boilerplate), and zip archives of them.
//!
//! See `tests/fuzz/README.md` for what the checks assert and how to run the fuzzers.

#[path = "fuzz/src/lib.rs"]
mod checks;

use std::path::Path;

use proptest::prelude::*;

mod common;

/// Where the corpora live.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    common::dir_files(&common::repo("tests/fuzz/corpus").join(target))
}

/// Runs one input the way the fuzz target `target` does.
fn run_target(dir: &Path, target: &str, bytes: &[u8]) {
    match target {
        "page" => drop(checks::check_ingest(dir, "page.txt", bytes)),
        "jsonl" => drop(checks::check_ingest(dir, "input.jsonl", bytes)),
        "csv" => {
            checks::check_ingest(dir, "input.csv", bytes);
            checks::check_ingest(dir, "input.tsv", bytes);
        }
        "normalise" => {
            let text = String::from_utf8_lossy(bytes);
            let (title, body) = checks::title_and_body(&text);
            checks::check_normalise(title, body);
        }
        other => panic!("no target {other}"),
    }
}

#[test]
fn fuzz_corpora_pass_the_checks() {
    let dir = checks::scratch_dir();
    for target in ["page", "jsonl", "csv", "normalise"] {
        let files = corpus(target);
        assert!(!files.is_empty(), "no seeds for {target}");
        for (name, bytes) in files {
            println!("{target}: {name}");
            run_target(dir.path(), target, &bytes);
        }
    }
}

#[test]
fn bigkinds_fixtures_pass_the_checks() {
    let dir = checks::scratch_dir();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bigkinds");
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if [".xlsx", ".zip", ".zst"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            println!("{name}");
            checks::check_ingest(dir.path(), &name, &std::fs::read(&path).unwrap());
            checked += 1;
        }
    }
    assert!(checked > 0, "no fixtures in {}", fixtures.display());
}

/// Text pieces real articles and hostile inputs are made of.
fn text_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("카카오 먹통 사태".to_string()),
        Just("(서울=연합뉴스) 홍길동 기자 = ".to_string()),
        Just("[머니투데이 김철수 기자] ".to_string()),
        Just(" hong@yna.co.kr".to_string()),
        Just("ⓒ 서울신문 무단전재 및 재배포 금지".to_string()),
        Just("\n사진=뉴스1\n".to_string()),
        Just("▶ 관련기사 보기".to_string()),
        Just("<p>".to_string()),
        Just("<br/>".to_string()),
        Just("<!-- x -->".to_string()),
        Just("&amp;".to_string()),
        Just("&lt;b&gt;".to_string()),
        Just("&#x200B;".to_string()),
        Just("&nbsp;".to_string()),
        Just("ＳＫ　Ｃ＆Ｃ".to_string()),
        Just("＜ｂ＞".to_string()),
        Just("\u{1100}\u{1161}\u{11A8}".to_string()),
        Just("e\u{0301}\u{0316}".to_string()),
        Just("\u{200B}\u{00AD}\u{FEFF}".to_string()),
        Just("\u{2028}\u{3000}\u{00A0}".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just(" \t ".to_string()),
        Just("\0\u{1}\u{7f}".to_string()),
        Just("2022.10.17 14:03".to_string()),
        Just("2022년 10월 17일 (월) 오후 2:03".to_string()),
        "[가-힣a-zA-Z0-9 .,“”‘’…<>&;#=/\\[\\]()\u{301}]{0,12}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(text_piece(), 0..10).prop_map(|v| v.concat())
}

/// Pieces of the layout of one format, or raw bytes.
fn bytes_of(layout: Vec<&'static str>) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => prop::sample::select(layout).prop_map(|s| s.as_bytes().to_vec()),
        3 => text().prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..8),
        1 => prop::sample::select(vec![&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xC3", b"\xB0\xA1"])
            .prop_map(<[u8]>::to_vec),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

const PAGE_LAYOUT: [&str; 9] = [
    "  • 카카오 먹통\n",
    "  • ",
    "\n",
    "    카카오 먹통\n",
    "    서비스가 멈췄다.\n",
    "    2022.10.17 14:03\n",
    "위로\n",
    "11,463\n",
    "최근검색어\n  • 네이버\n    2026-02-18\n",
];

const JSONL_LAYOUT: [&str; 14] = [
    "{\"id\": \"a1\", \"title\": \"카카오\", \"body\": \"서비스가 멈췄다.\"}\n",
    "{\"뉴스 식별자\": 1100101, \"일자\": \"20221017\", \"본문\": \"",
    "{\"content\": null, \"text\": \"",
    "\", \"date\": \"2022-02-30\"}\n",
    "\"}\n",
    "{\"body\": [\"a\", {\"b\": 1}]}\n",
    "{\"body\": 1e999}\n",
    "[[[[",
    "\\u0000\\ud800\\\"",
    "{",
    "}",
    "\n",
    "   \n",
    "null\n",
];

const CSV_LAYOUT: [&str; 12] = [
    "id,title,body,date\n",
    "뉴스 식별자\t일자\t언론사\t제목\t본문\n",
    "제목,일자\n",
    "a1,카카오,서비스가 멈췄다.,2022-10-17\n",
    ",",
    "\t",
    "\"",
    "\"\"",
    "\r\n",
    "\r",
    "\n",
    "\"여러 줄\n본문\"",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn page_inputs_pass_the_checks(bytes in bytes_of(PAGE_LAYOUT.to_vec())) {
        run_target(checks::scratch_dir().path(), "page", &bytes);
    }

    #[test]
    fn jsonl_inputs_pass_the_checks(bytes in bytes_of(JSONL_LAYOUT.to_vec())) {
        run_target(checks::scratch_dir().path(), "jsonl", &bytes);
    }

    #[test]
    fn csv_inputs_pass_the_checks(bytes in bytes_of(CSV_LAYOUT.to_vec())) {
        run_target(checks::scratch_dir().path(), "csv", &bytes);
    }
}

/// A zip member: a name the `zip` fuzz target could choose and content of any format.
fn zip_member() -> impl Strategy<Value = checks::ZipMember> {
    let layouts = [&PAGE_LAYOUT[..], &JSONL_LAYOUT, &CSV_LAYOUT].concat();
    (
        "[a-z가-힣/.]{0,6}",
        prop::sample::select(checks::MEMBER_EXTENSIONS.to_vec()),
        any::<bool>(),
        bytes_of(layouts),
    )
        .prop_map(|(stem, ext, deflate, bytes)| checks::ZipMember {
            name: format!("{stem}.{ext}"),
            bytes,
            deflate,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn zip_archives_pass_the_checks(
        members in prop::collection::vec(zip_member(), 0..5),
        damage in prop::option::of((any::<u16>(), any::<u8>())),
    ) {
        let mut bytes = checks::zip_archive(&members);
        if let Some((at, xor)) = damage {
            checks::damage(&mut bytes, usize::from(at), xor);
        }
        checks::check_ingest(checks::scratch_dir().path(), "input.zip", &bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn normalised_text_passes_the_checks(title in text(), body in text()) {
        checks::check_normalise(&title, &body);
    }
}

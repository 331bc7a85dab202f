//! Ingest on real files: the shipped search-result page, and fixtures for every format,
//! encoding and failure mode under `tests/data/ingest/` (made by `tests/data/ingest/generate.py`;
//! rerun it there to regenerate the bytes).

use std::fs;
use std::path::{Path, PathBuf};

use bodo::error::Error;
use bodo::ingest::{self, Compression, Format, IngestOptions, Inputs};
use bodo::record::{Article, ArticleDate, Record, Rejection};
use sha2::{Digest, Sha256};

const SHIPPED_PAGE: &str = "data/seoul-shinmun-kakao-outage-search.txt";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> PathBuf {
    root().join("tests/data/ingest").join(rel)
}

fn resolve(paths: &[PathBuf], opts: &IngestOptions) -> Inputs {
    ingest::resolve(paths, opts).expect("resolve")
}

fn scan_inputs(inputs: &Inputs, opts: &IngestOptions) -> Vec<Record> {
    let mut records = Vec::new();
    ingest::scan(inputs, opts, &mut |r| {
        records.push(r);
        Ok(())
    })
    .expect("scan");
    records
}

fn scan_with(paths: &[PathBuf], opts: &IngestOptions) -> Vec<Record> {
    scan_inputs(&resolve(paths, opts), opts)
}

fn scan(paths: &[PathBuf]) -> Vec<Record> {
    scan_with(paths, &IngestOptions::default())
}

fn articles(records: &[Record]) -> Vec<&Article> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Article(a) => Some(a),
            Record::Rejected(_) => None,
        })
        .collect()
}

fn rejections(records: &[Record]) -> Vec<&Rejection> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Rejected(r) => Some(r),
            Record::Article(_) => None,
        })
        .collect()
}

fn at(path: &Path, line: u64) -> String {
    format!("{}:{line}", path.display())
}

fn iso(date: &str) -> ArticleDate {
    ArticleDate::Iso(date.to_string())
}

// ---------------------------------------------------------------------------------------------
// The shipped page

const PAGE_TITLES: [&str; 20] = [
    "카톡 불통이 강제 소환한 ‘디지털 디톡스’",
    "‘카카오 먹통’ 악용한 사이버 공격 ‘주의보’",
    "[속보] ‘카카오톡 먹통 사태’에 최태원·김범수·이해진 국감 증인 채택",
    "청와대에서 서촌까지…역사를 걷는 종로 ‘문화재 야행’",
    "과기정통부 “판교데이터센터 95% 복구… 카카오페이 등 일부 정상화”",
    "[사설] 온 나라 주말을 ‘먹통’ 만든 카카오 서버 화재",
    "겨우 반등 카카오株 신뢰 붕괴… 개미들 ‘검은 월요일’ 조마조마",
    "카톡 먹통에 과방위 국감 증인 신경전",
    "카톡 먹통에 과방위 국감 증인 신경전",
    "공짜로 쓰는 카톡, 손배소는 쉽지 않아",
    "서버 비용 낮추려고 판교 집중… 카카오 ‘디지털 정전’ 키웠다",
    "몸만 불린 카카오… 기본도 안 지켰다",
    "카카오, ‘먹통’ 30시간 만의 정상화 공지…일부 항목 복구 ‘여전’",
    "카카오, 일부 서비스 보상안 마련…원희룡 “마른 하늘에 날벼락”",
    "원시적 사고에 당했다…몸집 키우는데 급급했던 카카오, 이원화는 먹통",
    "복구 빨랐던 네이버, ‘판교’ 집중한 카카오는 화 키워",
    "국회 과방위, 화재 SK데이터센터 방문…“원인 규명해 대책 마련”",
    "민관협력 주문…‘카톡 먹통 사태’에 안보리스크 우려한 尹",
    "카카오 통신 대란, 손배 가능할까…법조계 “무료 서비스라 면책·경감”",
    "‘카카오 먹통’ 김범수, 24일 과방위 국감장 나오나…여야 증인 협의 진통",
];

/// Bullet line of each article in the shipped page.
const PAGE_LINES: [u64; 20] = [
    21, 26, 31, 36, 41, 46, 51, 56, 61, 64, 69, 74, 79, 84, 89, 94, 99, 104, 109, 114,
];

#[test]
fn shipped_page_gives_exactly_its_20_articles() {
    let path = root().join(SHIPPED_PAGE);
    let records = scan(std::slice::from_ref(&path));
    assert_eq!(records.len(), 20);
    assert!(rejections(&records).is_empty());
    let articles = articles(&records);
    let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, PAGE_TITLES);

    for (i, a) in articles.iter().enumerate() {
        assert_eq!(a.index, i);
        assert_eq!(a.source, at(&path, PAGE_LINES[i]));
        assert_eq!(
            a.article_id,
            format!("seoul-shinmun-kakao-outage-search-{:06}", i + 1)
        );
        assert_eq!(a.date, ArticleDate::Missing);
        assert_eq!(a.outlet, None);
        assert_eq!(a.url, None);
        // Every body is one line of the page, and never the repeated title.
        assert!(!a.body.contains('\n'), "{}", a.title);
        assert_ne!(a.body, a.title);
        assert!(a.body.chars().count() > 100, "{}", a.title);
    }

    let first = articles[0];
    assert!(first.body.starts_with("“주말에 업무 관련 연락을"));
    assert!(first.body.ends_with("따로 저장하려 한다”고 전했다."));

    // Line 61: bullet, blank, body — no repeated title. Its body is its own, not line 58's.
    let no_repeat = articles[8];
    assert_eq!(no_repeat.source, at(&path, 61));
    assert!(no_repeat
        .body
        .starts_with("‘디지털 정전’으로 불리는 ‘카카오 먹통’ 사태와 관련해 국회"));
    assert!(no_repeat
        .body
        .ends_with("카카오, 네이버 등 관계사와 간담회도 진행했다."));
    assert!(articles[7]
        .body
        .starts_with("‘디지털 정전’으로 불리는 ‘카카오 먹통’ 사태에 국회"));
}

#[test]
fn shipped_page_chrome_never_leaks() {
    let records = scan(&[root().join(SHIPPED_PAGE)]);
    let chrome = [
        "찾아보고 싶은 뉴스가 있다면, 검색",
        "검색",
        "최근검색어",
        "네이버",
        "2026-02-18",
        "검색기록 지우기",
        "저장된 검색어가 없습니다.",
        "검색어 저장 기능이 꺼져 있습니다.",
        "검색어 저장 끄기",
        "전체삭제",
        "위로",
    ];
    for a in articles(&records) {
        for line in a.title.lines().chain(a.body.lines()) {
            assert!(
                !chrome.contains(&line.trim()),
                "chrome line {line:?} leaked"
            );
        }
        assert!(!a.title.contains("11,463") && !a.body.contains("11,463"));
        assert!(!a.body.contains("검색기록 지우기") && !a.body.contains("최근검색어"));
    }
}

#[test]
fn shipped_page_input_is_fingerprinted() {
    let path = root().join(SHIPPED_PAGE);
    let inputs = resolve(std::slice::from_ref(&path), &IngestOptions::default());
    let bytes = fs::read(&path).unwrap();
    let file = &inputs.files[0];
    assert_eq!(file.path, path.display().to_string());
    assert_eq!(file.format, Format::Page);
    assert_eq!(file.compression, Compression::None);
    assert_eq!(file.bytes, bytes.len() as u64);
    let expected: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(file.sha256, expected);
}

#[test]
fn page_block_with_title_but_no_body_is_rejected() {
    let path = fixture("page/small.txt");
    let records = scan(std::slice::from_ref(&path));
    assert_eq!(records.len(), 2);
    let Record::Rejected(r) = &records[0] else {
        panic!("expected a rejection: {:?}", records[0]);
    };
    assert_eq!(r.reason, "no body under title");
    assert_eq!(r.source, at(&path, 7));
    let Record::Article(a) = &records[1] else {
        panic!("expected an article: {:?}", records[1]);
    };
    assert_eq!(a.title, "본문 있는 기사");
    assert_eq!(a.body, "첫 줄.\n둘째 줄.");
    assert_eq!(a.source, at(&path, 10));
    assert_eq!(a.article_id, "small-000002");
}

// ---------------------------------------------------------------------------------------------
// JSONL

#[test]
fn jsonl_with_bom_korean_keys_and_numeric_id() {
    let path = fixture("jsonl/articles.jsonl");
    let inputs = resolve(std::slice::from_ref(&path), &IngestOptions::default());
    assert_eq!(inputs.files[0].format, Format::Jsonl);
    let records = scan_inputs(&inputs, &IngestOptions::default());
    assert_eq!(records.len(), 3, "the blank line is not a record");
    let a = articles(&records);

    assert_eq!(a[0].article_id, "1100101");
    assert_eq!(a[0].source, at(&path, 1));
    assert_eq!(a[0].date, iso("2022-10-17"));
    assert_eq!(a[0].outlet.as_deref(), Some("서울신문"));
    assert_eq!(a[0].title, "카톡 불통이 강제 소환한 ‘디지털 디톡스’");
    assert_eq!(
        a[0].body,
        "“주말에 업무 관련 연락을 안 봐도 되니 오히려 좋던데요.”"
    );
    assert_eq!(a[0].url.as_deref(), Some("https://www.seoul.co.kr/news/1"));

    // Empty id → derived from the file stem and the record number.
    assert_eq!(a[1].article_id, "articles-000002");
    assert_eq!(a[1].title, "‘카카오 먹통’ 악용한 사이버 공격 ‘주의보’");
    assert_eq!(a[1].date, iso("2022-10-17"));
    assert_eq!(a[1].outlet.as_deref(), Some("한겨레"));
    assert_eq!(a[1].url.as_deref(), Some("https://example.com/2"));

    assert_eq!(a[2].article_id, "n-3");
    assert_eq!(a[2].source, at(&path, 4));
    assert_eq!(
        a[2].body,
        "국회 과방위는 김범수 의장을 증인으로 채택했다.\n둘째 문단."
    );
    assert_eq!(a[2].date, iso("2022-10-17"));
    assert_eq!(a[2].outlet.as_deref(), Some("연합뉴스"));
}

#[test]
fn jsonl_bad_lines_are_rejected_alone() {
    let path = fixture("jsonl/broken.jsonl");
    let records = scan(std::slice::from_ref(&path));
    let summary: Vec<(usize, String, bool)> = records
        .iter()
        .map(|r| match r {
            Record::Article(a) => (a.index, a.source.clone(), true),
            Record::Rejected(r) => (r.index, r.source.clone(), false),
        })
        .collect();
    let expected: Vec<(usize, String, bool)> = [(1, true), (2, false), (3, false)]
        .into_iter()
        .chain([(5, false), (6, false), (7, true), (8, false)])
        .enumerate()
        .map(|(i, (line, ok))| (i, at(&path, line), ok))
        .collect();
    assert_eq!(summary, expected);

    let a = articles(&records);
    assert_eq!(a[0].article_id, "b1");
    assert_eq!(a[0].body, "첫 기사 본문.");
    assert_eq!(a[1].article_id, "7");
    assert_eq!(a[1].body, "둘째 정상 기사.");
    assert_eq!(a[1].date, ArticleDate::Unparsed("2022-02-30".into()));

    let r = rejections(&records);
    assert!(
        r[0].reason
            .starts_with("malformed JSON: EOF while parsing a string at line 2 column "),
        "{}",
        r[0].reason
    );
    assert_eq!(r[0].article_id, None);
    assert_eq!(r[1].reason, "empty body");
    assert_eq!(r[1].article_id.as_deref(), Some("b3"));
    assert_eq!(r[2].reason, "JSON line is an array, not an object");
    assert_eq!(r[3].reason, "invalid UTF-8 at byte 29 of the record");
    assert_eq!(
        r[4].reason,
        "no body field (looked for: body, content, text, article, 본문, 내용, 기사)"
    );
    assert_eq!(r[4].article_id.as_deref(), Some("b8"));
}

// ---------------------------------------------------------------------------------------------
// CSV / TSV

#[test]
fn csv_bigkinds_headers_multiline_body_ragged_row_and_empty_body() {
    let path = fixture("csv/bigkinds.csv");
    let records = scan(std::slice::from_ref(&path));
    assert_eq!(records.len(), 4);

    let Record::Article(a) = &records[0] else {
        panic!("{:?}", records[0]);
    };
    assert_eq!(a.article_id, "01100101.20221017001");
    assert_eq!(a.source, at(&path, 2));
    assert_eq!(a.date, iso("2022-10-17"));
    assert_eq!(a.outlet.as_deref(), Some("서울신문"));
    assert_eq!(a.title, "카톡 불통이 강제 소환한 ‘디지털 디톡스’");
    assert_eq!(
        a.body,
        "\"주말에 업무 관련 연락을 안 봐도 되니 오히려 좋던데요.\"\n텔레그램을 설치하라는 연락이 왔다."
    );
    assert_eq!(a.url.as_deref(), Some("https://www.seoul.co.kr/news/1"));

    let Record::Article(a) = &records[1] else {
        panic!("{:?}", records[1]);
    };
    assert_eq!(a.source, at(&path, 4), "line of the row after a 2-line row");
    assert_eq!(
        a.title,
        "[사설] 온 나라 주말을 ‘먹통’ 만든 카카오 서버 화재"
    );

    let Record::Rejected(r) = &records[2] else {
        panic!("{:?}", records[2]);
    };
    assert_eq!(r.source, at(&path, 5));
    assert_eq!(r.reason, "expected 8 fields, found 3");

    let Record::Rejected(r) = &records[3] else {
        panic!("{:?}", records[3]);
    };
    assert_eq!(r.source, at(&path, 6));
    assert_eq!(r.reason, "empty body");
    assert_eq!(r.article_id.as_deref(), Some("bigkinds-000004"));
}

#[test]
fn csv_without_body_column_rejects_every_row() {
    let path = fixture("csv/no-body.csv");
    let records = scan(std::slice::from_ref(&path));
    let r = rejections(&records);
    assert_eq!((records.len(), r.len()), (2, 2));
    for (i, r) in r.iter().enumerate() {
        assert_eq!(
            r.reason,
            "no body column (looked for: body, content, text, article, 본문, 내용, 기사)"
        );
        assert_eq!(r.source, at(&path, i as u64 + 2));
        assert_eq!(r.article_id, Some((i + 1).to_string()));
    }
}

#[test]
fn tsv_with_english_headers() {
    let path = fixture("tsv/news.tsv");
    let inputs = resolve(std::slice::from_ref(&path), &IngestOptions::default());
    assert_eq!(inputs.files[0].format, Format::Tsv);
    let records = scan_inputs(&inputs, &IngestOptions::default());
    let a = articles(&records);
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].article_id, "t1");
    assert_eq!(a[0].title, "카카오 먹통");
    assert_eq!(a[0].body, "판교 데이터센터 화재.");
    assert_eq!(a[0].date, iso("2022-10-17"));
    assert_eq!(a[0].outlet.as_deref(), Some("서울신문"));
    assert_eq!(a[0].url.as_deref(), Some("https://example.com/t1"));
    assert_eq!(a[1].date, iso("2022-10-18"));
    assert_eq!(a[1].url, None, "empty cell is no URL");
}

fn check_cp949_articles(path: &Path, records: &[Record]) {
    let a = articles(records);
    assert_eq!(a.len(), 2, "{records:?}");
    assert_eq!(a[0].article_id, "1");
    assert_eq!(a[0].title, "카카오 먹통");
    assert_eq!(a[0].body, "“판교 데이터센터 화재로 카카오톡이 멈췄다.”");
    assert_eq!(a[0].outlet.as_deref(), Some("서울신문"));
    assert_eq!(a[0].date, iso("2022-10-17"));
    // CRLF rows: csv's own line numbers are one short here (see ingest/csv.rs, LineIndex).
    assert_eq!(a[0].source, at(path, 2));
    assert_eq!(a[1].source, at(path, 3));
    assert_eq!(a[1].date, iso("2022-10-18"));
    // Interior text is kept as written, CRLF included (normalisation is a later stage).
    assert_eq!(
        a[1].body,
        "카카오는 서비스 대부분을 복구했다고 밝혔다.\r\n일부 기능은 여전히 불안정하다."
    );
}

#[test]
fn cp949_csv_is_detected() {
    let path = fixture("csv/cp949.csv");
    let records = scan(std::slice::from_ref(&path));
    check_cp949_articles(&path, &records);
}

#[test]
fn cp949_csv_with_forced_encoding() {
    let path = fixture("csv/cp949.csv");
    let opts = IngestOptions {
        encoding: Some(ingest::parse_encoding("cp949").unwrap()),
        ..IngestOptions::default()
    };
    let records = scan_with(std::slice::from_ref(&path), &opts);
    check_cp949_articles(&path, &records);
}

#[test]
fn cp949_csv_forced_as_utf8_is_rejected_not_garbled() {
    let path = fixture("csv/cp949.csv");
    let opts = IngestOptions {
        encoding: Some(ingest::parse_encoding("utf-8").unwrap()),
        ..IngestOptions::default()
    };
    let records = scan_with(std::slice::from_ref(&path), &opts);
    assert_eq!(records.len(), 2);
    for r in rejections(&records) {
        assert!(r.reason.starts_with("no body column"), "{}", r.reason);
    }
}

// ---------------------------------------------------------------------------------------------
// gzip

#[test]
fn gzipped_jsonl_reads_like_the_plain_file() {
    let path = fixture("gz/articles.jsonl.gz");
    let inputs = resolve(std::slice::from_ref(&path), &IngestOptions::default());
    assert_eq!(inputs.files[0].compression, Compression::Gzip);
    assert_eq!(inputs.files[0].format, Format::Jsonl);
    assert_eq!(inputs.files[0].bytes, fs::metadata(&path).unwrap().len());
    let gz = scan_inputs(&inputs, &IngestOptions::default());
    let plain = scan(&[fixture("jsonl/articles.jsonl")]);
    let key = |a: &&Article| {
        (
            a.article_id.clone(),
            a.title.clone(),
            a.body.clone(),
            a.date.clone(),
        )
    };
    let gz_keys: Vec<_> = articles(&gz).iter().map(key).collect();
    let plain_keys: Vec<_> = articles(&plain).iter().map(key).collect();
    assert_eq!(gz_keys.len(), 3);
    assert_eq!(gz_keys, plain_keys);
}

#[test]
fn truncated_gzip_keeps_records_before_the_break() {
    let path = fixture("gz/truncated.jsonl.gz");
    let records = scan(std::slice::from_ref(&path));
    let (last, before) = records.split_last().unwrap();
    let Record::Rejected(r) = last else {
        panic!("last record should be the gzip rejection: {last:?}");
    };
    let kept = articles(before);
    assert_eq!(kept.len(), before.len(), "only articles before the break");
    assert!(kept.len() > 100 && kept.len() < 3000, "{}", kept.len());
    for (i, a) in kept.iter().enumerate() {
        assert_eq!(a.article_id, format!("g{}", i + 1));
    }
    assert_eq!(r.source, path.display().to_string());
    assert!(
        r.reason
            .starts_with(&format!("corrupt gzip stream after line {}: ", kept.len())),
        "{}",
        r.reason
    );
}

// ---------------------------------------------------------------------------------------------
// Directories, resolution errors, whole-file rejections

#[test]
fn directory_is_walked_sorted_recursively_without_hidden_files() {
    let dir = fixture("dir");
    let inputs = resolve(std::slice::from_ref(&dir), &IngestOptions::default());
    let found: Vec<(String, Format, bool)> = inputs
        .files
        .iter()
        .map(|f| (f.path.clone(), f.format, f.compression == Compression::Gzip))
        .collect();
    let p = |rel: &str| dir.join(rel).display().to_string();
    assert_eq!(
        found,
        vec![
            (p("a/b/page.txt"), Format::Page, false),
            (p("a/news.csv"), Format::Csv, false),
            (p("a/z.tsv.gz"), Format::Tsv, true),
            (p("news.jsonl"), Format::Jsonl, false),
        ]
    );
    let records = scan_inputs(&inputs, &IngestOptions::default());
    let got: Vec<(usize, &str, &str)> = articles(&records)
        .iter()
        .map(|a| (a.index, a.article_id.as_str(), a.body.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, "page-000001", "dir/a/b/page.txt 의 기사"),
            (1, "news-000001", "dir/a/news.csv 의 기사"),
            (2, "z-000001", "dir/a/z.tsv.gz 의 기사"),
            // Same stem as dir/a/news.csv: suffixed so derived ids stay unique.
            (3, "news~2-000001", "dir/news.jsonl 의 기사"),
        ]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    let tmp = tempfile::tempdir().unwrap();
    let sub = tmp.path().join("sub");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("a.jsonl"), "{\"body\": \"본문\"}\n").unwrap();
    std::os::unix::fs::symlink(tmp.path(), sub.join("loop")).unwrap();
    let inputs = resolve(&[tmp.path().to_path_buf()], &IngestOptions::default());
    let paths: Vec<&str> = inputs.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, vec![sub.join("a.jsonl").display().to_string()]);
}

#[test]
fn unreadable_or_empty_inputs_fail_up_front() {
    let missing = fixture("does-not-exist.jsonl");
    match ingest::resolve(std::slice::from_ref(&missing), &IngestOptions::default()) {
        Err(Error::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected an I/O error, got {other:?}"),
    }

    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.md"), "not an input").unwrap();
    fs::write(tmp.path().join(".hidden.jsonl"), "{}").unwrap();
    match ingest::resolve(&[tmp.path().to_path_buf()], &IngestOptions::default()) {
        Err(Error::Input { path, message }) => {
            assert_eq!(path, tmp.path());
            assert!(
                message.contains(".jsonl") && message.contains(".csv"),
                "{message}"
            );
        }
        other => panic!("expected an input error, got {other:?}"),
    }

    assert!(matches!(
        ingest::resolve(&[], &IngestOptions::default()),
        Err(Error::Config(_))
    ));
}

#[test]
fn empty_binary_and_utf16_files_are_one_rejection_each() {
    let paths = [
        fixture("bad/empty.jsonl"),
        fixture("bad/binary.jsonl"),
        fixture("bad/utf16.txt"),
    ];
    let records = scan(&paths);
    let got: Vec<(usize, String, &str)> = rejections(&records)
        .iter()
        .map(|r| (r.index, r.source.clone(), r.reason.as_str()))
        .collect();
    let p = |i: usize| paths[i].display().to_string();
    assert_eq!(
        got,
        vec![
            (0, p(0), "empty file"),
            (1, p(1), "binary file (NUL bytes), not a supported format"),
            (2, p(2), "UTF-16 is not supported; re-save as UTF-8"),
        ]
    );
    assert_eq!(records.len(), 3);
}

#[test]
fn format_is_sniffed_without_extension_and_can_be_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let jsonl = tmp.path().join("dump");
    fs::write(&jsonl, "{\"본문\": \"본문\"}\n").unwrap();
    let csv = tmp.path().join("export.dat");
    fs::write(&csv, "제목,본문\n제목,본문\n").unwrap();
    let inputs = resolve(&[jsonl.clone(), csv.clone()], &IngestOptions::default());
    let formats: Vec<Format> = inputs.files.iter().map(|f| f.format).collect();
    assert_eq!(formats, vec![Format::Jsonl, Format::Csv]);
    assert_eq!(
        articles(&scan_inputs(&inputs, &IngestOptions::default())).len(),
        2
    );

    let forced = IngestOptions {
        format: Some("jsonl".parse().unwrap()),
        ..IngestOptions::default()
    };
    let inputs = resolve(std::slice::from_ref(&csv), &forced);
    assert_eq!(inputs.files[0].format, Format::Jsonl);
    let records = scan_inputs(&inputs, &forced);
    assert_eq!(rejections(&records).len(), 2, "CSV lines are not JSON");
}

// ---------------------------------------------------------------------------------------------
// The run as a whole

fn everything() -> Vec<PathBuf> {
    vec![
        root().join(SHIPPED_PAGE),
        fixture("jsonl/articles.jsonl"),
        fixture("jsonl/broken.jsonl"),
        fixture("csv/bigkinds.csv"),
        fixture("csv/cp949.csv"),
        fixture("tsv/news.tsv"),
        fixture("gz/truncated.jsonl.gz"),
        fixture("bad/empty.jsonl"),
        fixture("dir"),
    ]
}

#[test]
fn indices_run_across_files_and_two_scans_are_identical() {
    let opts = IngestOptions::default();
    let inputs = resolve(&everything(), &opts);
    let first = scan_inputs(&inputs, &opts);
    let second = scan_inputs(&inputs, &opts);
    assert_eq!(first, second);
    let indices: Vec<usize> = first.iter().map(Record::index).collect();
    assert_eq!(indices, (0..first.len()).collect::<Vec<_>>());
    // 20 page + 3 + 7 + 4 + 2 + 2 + (truncated: >100) + 1 + 4 (dir)
    assert!(first.len() > 20 + 3 + 7 + 4 + 2 + 2 + 100 + 1 + 4);
}

#[test]
fn a_sink_error_stops_the_scan() {
    let opts = IngestOptions::default();
    let inputs = resolve(&everything(), &opts);
    let mut seen = 0;
    let result = ingest::scan(&inputs, &opts, &mut |_| {
        seen += 1;
        if seen == 3 {
            Err(Error::Config("sink full".into()))
        } else {
            Ok(())
        }
    });
    assert!(matches!(result, Err(Error::Config(m)) if m == "sink full"));
    assert_eq!(seen, 3);
}

// ---------------------------------------------------------------------------------------------
// Parquet

/// Writes `frame` as Parquet (row groups of 1,000 rows) to `path`.
fn write_parquet(path: &Path, frame: &mut polars::prelude::DataFrame) {
    use polars::prelude::ParquetWriter;
    let file = fs::File::create(path).unwrap();
    ParquetWriter::new(file)
        .with_row_group_size(Some(1_000))
        .finish(frame)
        .unwrap();
}

#[test]
fn parquet_rows_are_records_with_korean_columns_dates_and_nulls() {
    use polars::prelude::*;
    let tmp = tempfile::tempdir().unwrap();
    let days = |d: &[Option<i32>]| {
        // Days since 1970-01-01: 19281 is 2022-10-16.
        Series::new("일자".into(), d).cast(&DataType::Date).unwrap()
    };
    let mut frame = DataFrame::new_infer_height(vec![
        Column::new("뉴스 식별자".into(), &[Some(1100101_i64), None, Some(3)]),
        Column::new("제목".into(), &["카카오 먹통", "복구 공지", "본문 없는 행"]),
        Column::new(
            "본문".into(),
            &[
                Some("카카오 서비스가 멈췄다."),
                Some("복구됐다고 밝혔다."),
                None,
            ],
        ),
        days(&[Some(19281), Some(19282), None]).into(),
        Column::new("언론사".into(), &["가람일보", "누리경제", "온새뉴스"]),
        Column::new("기타".into(), &[1.5_f64, 2.5, 3.5]),
    ])
    .unwrap();
    let path = tmp.path().join("dump.parquet");
    write_parquet(&path, &mut frame);
    let plain = tmp.path().join("dump-without-extension");
    fs::copy(&path, &plain).unwrap();
    for file in [&path, &plain] {
        let inputs = resolve(std::slice::from_ref(file), &IngestOptions::default());
        assert_eq!(inputs.files[0].format, Format::Parquet);
        let records = scan_inputs(&inputs, &IngestOptions::default());
        assert_eq!(records.len(), 3, "one record per row");
        let arts = articles(&records);
        assert_eq!(arts.len(), 2);
        assert_eq!(
            arts[0].article_id, "1100101",
            "an integer id is its decimal text"
        );
        assert_eq!(arts[0].source, at(file, 1));
        assert_eq!(arts[0].date, iso("2022-10-16"));
        assert_eq!(arts[0].outlet.as_deref(), Some("가람일보"));
        let stem = file.file_stem().unwrap().to_string_lossy();
        assert_eq!(
            arts[1].article_id,
            format!("{stem}-000002"),
            "a null id is derived"
        );
        assert_eq!(arts[1].date, iso("2022-10-17"));
        let rejected = rejections(&records);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].source, at(file, 3));
        assert_eq!(rejected[0].reason, "empty body");
    }
}

#[test]
fn parquet_larger_than_one_read_keeps_every_row_in_order() {
    use polars::prelude::*;
    let tmp = tempfile::tempdir().unwrap();
    let n = ingest::PARQUET_ROWS_PER_READ * 2 + 123;
    let bodies: Vec<String> = (0..n).map(|i| format!("{i}번째 기사 본문이다.")).collect();
    let stamps = Series::new(
        "published".into(),
        (0..n as i64)
            .map(|i| 1_665_878_400_000 + i * 1_000)
            .collect::<Vec<_>>(),
    )
    .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
    .unwrap();
    let mut frame =
        DataFrame::new_infer_height(vec![Column::new("body".into(), &bodies), stamps.into()])
            .unwrap();
    let path = tmp.path().join("big.parquet");
    write_parquet(&path, &mut frame);
    let records = scan(std::slice::from_ref(&path));
    let arts = articles(&records);
    assert_eq!(arts.len(), n);
    for (i, a) in arts.iter().enumerate() {
        assert_eq!(a.index, i);
        assert_eq!(a.body, bodies[i]);
        assert_eq!(a.source, at(&path, i as u64 + 1));
    }
    // 2022-10-16 00:00 UTC and one second a row: every timestamp is that day.
    assert!(arts.iter().all(|a| a.date == iso("2022-10-16")));
}

#[test]
fn parquet_that_cannot_be_read_is_one_rejection_naming_why() {
    use polars::prelude::*;
    let tmp = tempfile::tempdir().unwrap();
    let list = Series::new("x".into(), &[1_i64, 2])
        .implode()
        .unwrap()
        .into_series()
        .with_name("body".into());
    let mut frame = DataFrame::new_infer_height(vec![list.into()]).unwrap();
    let listed = tmp.path().join("listed.parquet");
    write_parquet(&listed, &mut frame);
    let broken = tmp.path().join("broken.parquet");
    fs::write(&broken, b"PAR1 and then nothing a Parquet reader wants").unwrap();
    let zipped = tmp.path().join("dump.parquet.gz");
    {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(
            fs::File::create(&zipped).unwrap(),
            flate2::Compression::default(),
        );
        gz.write_all(&fs::read(&listed).unwrap()).unwrap();
        gz.finish().unwrap();
    }
    for (file, why) in [
        (&listed, "\"body\" is list"),
        (&broken, "not a readable Parquet file"),
        (&zipped, "give the .parquet itself"),
    ] {
        let records = scan(std::slice::from_ref(file));
        let rejected = rejections(&records);
        assert_eq!(records.len(), 1, "{file:?}");
        assert_eq!(rejected[0].source, file.display().to_string());
        assert!(rejected[0].reason.contains(why), "{}", rejected[0].reason);
    }
}
